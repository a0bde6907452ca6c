"""Validation benchmark: the fast SHACL engine (hdcat.fastshacl) vs pySHACL.

    python bench/validate.py [--records 2000] [--pyshacl-records 500] [--import-sizes 10000]
                             [--batch-sizes 1,10,50,200,1000]

On the synthetic catalog (bench/generate.py, seed 42), full hdcat profile:

* engine throughput: `Catalog.validate_file(FILE, engine=...)` in one process, with the time
  spent inside the validator itself (per group of records) measured separately;
* batch-size sweep of the fast engine (records per validator call, `--batch-sizes`);
* validated import `Catalog.load([FILE], validate=True)` (fast engine) vs raw
  `pyoxigraph.Store(dir).bulk_load` of the same file, datasets/s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from generate import ensure_file  # noqa: E402

from hdcat import catalog as catalog_mod  # noqa: E402
from hdcat import fastshacl, validation, validation_worker  # noqa: E402
from hdcat.catalog import Catalog  # noqa: E402
from hdcat.config import Settings  # noqa: E402
from hdcat.store import EmbeddedStore  # noqa: E402


def new_catalog(workdir: Path, name: str) -> Catalog:
    data = workdir / name
    cat = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store"))
    cat.initialize()
    return cat


class Timer:
    """Wraps the engines' entry points to add up the time spent inside the validator."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._fast = fastshacl.FastValidator.validate
        self._slow = catalog_mod.validate_graph

    def __enter__(self) -> Timer:
        timer = self
        fast, slow = self._fast, self._slow

        def fast_timed(self_, *a, **k):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return fast(self_, *a, **k)
            finally:
                timer.seconds += time.perf_counter() - t
                timer.calls += 1

        def slow_timed(*a, **k):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return slow(*a, **k)
            finally:
                timer.seconds += time.perf_counter() - t
                timer.calls += 1

        fastshacl.FastValidator.validate = fast_timed  # type: ignore[method-assign]
        catalog_mod.validate_graph = slow_timed
        return self

    def __exit__(self, *exc: object) -> None:
        fastshacl.FastValidator.validate = self._fast  # type: ignore[method-assign]
        catalog_mod.validate_graph = self._slow


def engine_run(cat: Catalog, path: Path, engine: str, n: int) -> dict[str, float]:
    """One engine over a file, judged in this process: #4's target is for one process, and
    from validation_worker.POOL_MIN_RECORDS records a batch is otherwise judged in worker
    processes, out of the timer's sight."""
    pool_min = validation_worker.POOL_MIN_RECORDS
    validation_worker.POOL_MIN_RECORDS = sys.maxsize
    try:
        with Timer() as timer:
            t = time.perf_counter()
            reports = cat.validate_file(path, engine=engine)
            total = time.perf_counter() - t
    finally:
        validation_worker.POOL_MIN_RECORDS = pool_min
    assert timer.calls, "the validator was not called in this process"
    assert len(reports) == n, (len(reports), n)
    bad = sum(1 for r in reports if not r.conforms)
    return {"records": n, "total_s": total, "validator_s": timer.seconds, "refused": bad,
            "calls": timer.calls}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--pyshacl-records", type=int, default=500)
    ap.add_argument("--import-sizes", default="10000")
    ap.add_argument("--batch-sizes", default="1,10,50,200,1000")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="hdcat-bench-validate-"))
    workdir.mkdir(parents=True, exist_ok=True)

    cat = new_catalog(workdir, "validate")
    fast_validator_t = time.perf_counter()
    fastshacl.fast_validator(validation.profile_shapes("full"))
    compile_s = time.perf_counter() - fast_validator_t
    print(f"compile full profile: {compile_s * 1000:.0f} ms")

    big = ensure_file(args.records, "nt", workdir)
    small = ensure_file(args.pyshacl_records, "nt", workdir)
    cat.validate_file(small, engine="fast")  # warm caches (vocabulary descriptions)
    fast = engine_run(cat, big, "fast", args.records)
    slow = engine_run(cat, small, "pyshacl", args.pyshacl_records)
    fast_small = engine_run(cat, small, "fast", args.pyshacl_records)
    for name, r in (("fast", fast), ("pyshacl", slow), ("fast (same file)", fast_small)):
        print(f"{name:>18}: {r['records']} records, end-to-end {r['records'] / r['total_s']:.0f}"
              f" rec/s, validator only {r['records'] / r['validator_s']:.0f} rec/s "
              f"({r['validator_s'] * 1000 / r['records']:.2f} ms/rec), refused {r['refused']}")
    speed_val = (slow["validator_s"] / slow["records"]) / (fast["validator_s"] / fast["records"])
    speed_e2e = (slow["total_s"] / slow["records"]) / (fast["total_s"] / fast["records"])
    print(f"speed-up: validator {speed_val:.1f}x, end-to-end validate_file {speed_e2e:.1f}x")

    print("batch-size sweep (fast engine, validator-only rec/s, end-to-end rec/s):")
    original = catalog_mod.VALIDATION_GROUP
    sweep_n = min(args.records, 1000)
    sweep_file = ensure_file(sweep_n, "nt", workdir)
    try:
        for size in (int(x) for x in args.batch_sizes.split(",") if x):
            catalog_mod.VALIDATION_GROUP = size
            r = engine_run(cat, sweep_file, "fast", sweep_n)
            print(f"  batch {size:>5}: validator {r['records'] / r['validator_s']:>7.0f} rec/s,"
                  f" end-to-end {r['records'] / r['total_s']:>6.0f} rec/s")
    finally:
        catalog_mod.VALIDATION_GROUP = original
    cat.close()

    for n in (int(x) for x in args.import_sizes.split(",") if x):
        path = ensure_file(n, "nt", workdir)
        raw_dir = workdir / f"raw-{n}"
        t = time.perf_counter()
        ox.Store(str(raw_dir)).bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        raw = time.perf_counter() - t
        imp = new_catalog(workdir, f"import-{n}")
        t = time.perf_counter()
        report = imp.load([path], validate=True)
        done = time.perf_counter() - t
        imp.close()
        print(f"import {n}: raw bulk_load {n / raw:.0f} ds/s ({raw:.1f} s); validated load (fast)"
              f" {n / done:.0f} ds/s ({done:.1f} s), ratio {raw / done:.2f}x, "
              f"refused {len(report.refused)}")


if __name__ == "__main__":
    main()
