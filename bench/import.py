"""Import benchmark: raw Oxigraph bulk load vs hdcat load, with and without validation.

    python bench/import.py --sizes 10000,100000 [--format nt] [--sample 1000] [--workdir DIR]

For each size N a synthetic catalog is generated (bench/generate.py, seed 42) and, each in
a fresh subprocess and a fresh data folder:

* raw:       pyoxigraph.Store(dir).bulk_load(path=FILE, format=...)
* hdcat:     Catalog.load([FILE], validate=False) (after `initialize`, which is not timed)
* floor:     pyoxigraph bulk_load of what hdcat stored, as N-Quads (one named graph per
             record): the cost of writing the records' quads alone, without reading or splitting
* validated: Catalog.load([SAMPLE], validate=True) on the first --sample datasets of the same
             catalog; the rate is extrapolated to N (validation is per record, so linear)
* with --full-validated, also Catalog.load([FILE], validate=True) of all N, with its CPU
             split into the main thread, the load's other threads and the validation workers
             (a load that keeps two cores busy is bound by their sum, not by one thread)

Peak memory is each subprocess's own VmHWM (peak RSS). Prints a table (for bench/RESULTS.md);
with --json FILE, also writes the figures to FILE.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

FORMATS = {"nt": "N_TRIPLES", "ttl": "TURTLE"}
LATENCY_RECORDS = 201


def _cpu_seconds() -> float:
    """CPU time of this process so far, all threads (user + system)."""
    t = os.times()
    return t.user + t.system


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------- children


def child_raw(files: list[Path], folder: Path, fmt: str) -> dict[str, object]:
    """Bulk-load the files into a new store in `folder`, one load each, in turn."""
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    start, cpu = time.perf_counter(), _cpu_seconds()
    for file in files:
        store.bulk_load(path=str(file), format=getattr(ox.RdfFormat, fmt))
    store.flush()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu": _cpu_seconds() - cpu, "quads": len(store),
            "loads": len(files)}


def child_hdcat(file: Path, folder: Path, dump: str | None) -> dict[str, object]:
    import pyoxigraph as ox

    from hdcat.catalog import Catalog

    catalog = Catalog.open(folder)
    catalog.initialize()
    start, cpu = time.perf_counter(), _cpu_seconds()
    report = catalog.load([file], validate=False)
    catalog.store.flush()
    seconds = time.perf_counter() - start
    assert report.ok, report.errors
    out: dict[str, object] = {"seconds": seconds, "cpu": _cpu_seconds() - cpu,
                              "records": len(report.stored)}
    if dump:
        with open(dump, "wb") as f:
            catalog.store.dump(f, ox.RdfFormat.N_QUADS)
    catalog.close()
    return out


def child_validated(file: Path, folder: Path) -> dict[str, object]:
    from hdcat.catalog import Catalog

    catalog = Catalog.open(folder)
    catalog.initialize()
    start = time.perf_counter()
    report = catalog.load([file], validate=True)
    seconds = time.perf_counter() - start
    # Per-record latency: validate records one by one (a load validates them in groups).
    from hdcat.catalog import _Batch

    batch = catalog._read(file, None, None)
    gaps = []
    for record in batch.records[:LATENCY_RECORDS]:
        one = _Batch([record], batch.shared, batch.source, batch.existing)
        t0 = time.perf_counter()
        list(catalog._validate_batch(one, "full"))
        gaps.append(time.perf_counter() - t0)
    catalog.close()
    gaps = sorted(gaps[1:])  # the first one also builds the shapes graph
    return {
        "seconds": seconds,
        "records": len(report.stored),
        "refused": len(report.refused),
        "median_ms": statistics.median(gaps) * 1000 if gaps else None,
        "p95_ms": gaps[int(0.95 * (len(gaps) - 1))] * 1000 if gaps else None,
    }


def child_validated_full(file: Path, folder: Path) -> dict[str, object]:
    from hdcat import validation_worker
    from hdcat.catalog import Catalog

    catalog = Catalog.open(folder)
    catalog.initialize()
    start, cpu, main_thread = time.perf_counter(), _cpu_seconds(), time.thread_time()
    report = catalog.load([file], validate=True)
    catalog.store.flush()
    seconds = time.perf_counter() - start
    cpu, main_thread = _cpu_seconds() - cpu, time.thread_time() - main_thread
    validation_worker.shutdown()  # the workers' CPU is counted once they have ended
    children = os.times()
    catalog.close()
    return {"seconds": seconds, "cpu": cpu, "main_thread_cpu": main_thread,
            "workers_cpu": children.children_user + children.children_system,
            "records": len(report.stored), "refused": len(report.refused)}


def child_main(argv: list[str]) -> None:
    kind, file, folder = argv[0], Path(argv[1]), Path(argv[2])
    if kind == "validated-full":
        result = child_validated_full(file, folder)
    elif kind == "raw":
        result = child_raw([file], folder, argv[3])
    elif kind == "floor":
        result = child_raw([file], folder, "N_QUADS")
    elif kind == "chunks":  # every N-Quads file of the folder `file`, in name order
        result = child_raw(sorted(file.glob("*.nq")), folder, "N_QUADS")
    elif kind == "hdcat":
        result = child_hdcat(file, folder, argv[3] if len(argv) > 3 else None)
    else:
        result = child_validated(file, folder)
    result["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(result))


def run_child(*args: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------- driver


def ensure_file(n: int, suffix: str, workdir: Path) -> Path:
    from generate import ensure_file as cached

    return cached(n, suffix, workdir)


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def work_folder(given: Path | None, prefix: str) -> Path:
    """The folder a benchmark works in: `given`, or a new temporary one."""
    folder = given or Path(tempfile.mkdtemp(prefix=prefix))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def raw_bulk_load(file: Path, workdir: Path, fmt: str = "N_TRIPLES") -> dict[str, object]:
    """Raw `Store.bulk_load` of the file into a fresh store (workdir/raw), in a child process:
    the reference every ratio is taken against."""
    return run_child("raw", str(file), str(fresh(workdir / "raw")), fmt)


def bench_size(n: int, args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    file = ensure_file(n, args.format, workdir)
    sample_n = min(args.sample, n)
    sample = ensure_file(sample_n, args.format, workdir)
    row: dict[str, object] = {"n": n, "file_mb": file.stat().st_size / 1e6, "sample": sample_n}
    print(f"[{n}] raw bulk_load ...", file=sys.stderr)
    row["raw"] = raw_bulk_load(file, workdir, FORMATS[args.format])
    print(f"[{n}] hdcat load (no validation) ...", file=sys.stderr)
    dump = workdir / f"hdcat-{n}.nq"
    row["hdcat"] = run_child(
        "hdcat", str(file), str(fresh(workdir / "hdcat")), str(dump) if args.floor else ""
    )
    if args.floor:
        print(f"[{n}] floor: bulk_load of the stored named graphs ...", file=sys.stderr)
        row["floor"] = run_child("floor", str(dump), str(fresh(workdir / "floor")))
        dump.unlink()
    print(f"[{n}] hdcat load with validation, {sample_n} datasets ...", file=sys.stderr)
    row["validated"] = run_child("validated", str(sample), str(fresh(workdir / "validated")))
    if args.full_validated:
        print(f"[{n}] hdcat load with validation, all {n} datasets ...", file=sys.stderr)
        row["validated_full"] = run_child("validated-full", str(file),
                                          str(fresh(workdir / "validated")))
    print(f"[{n}] {json.dumps(row)}", file=sys.stderr)
    for folder in ("raw", "hdcat", "floor", "validated"):
        shutil.rmtree(workdir / folder, ignore_errors=True)
    return row


def rate(n: int, part: object) -> float:
    return n / float(part["seconds"])  # type: ignore[index]


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| datasets | file | raw bulk_load ds/s | hdcat (no validation) ds/s | ratio | "
        "floor: named-graph quads ds/s | hdcat peak RSS | raw peak RSS | "
        "validated ds/s (sample) | validated, extrapolated | validation median / p95 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        n = int(row["n"])  # type: ignore[arg-type]
        raw, hd, val = row["raw"], row["hdcat"], row["validated"]
        floor = row.get("floor")
        sample = int(row["sample"])  # type: ignore[arg-type]
        v_rate = rate(sample, val)
        lines.append(
            f"| {n:,} | {row['file_mb']:.0f} MB | {rate(n, raw):,.0f} ({raw['seconds']:.1f} s) "  # type: ignore[index]
            f"| {rate(n, hd):,.0f} ({hd['seconds']:.1f} s) | {rate(n, hd) / rate(n, raw):.2f}x "  # type: ignore[index]
            f"| {f'{rate(n, floor):,.0f}' if floor else '-'} "
            f"| {hd['peak_rss_mb']:,.0f} MB | {raw['peak_rss_mb']:,.0f} MB "  # type: ignore[index]
            f"| {v_rate:.1f} ({sample:,}) | {n / v_rate / 60:,.0f} min "
            f"| {val['median_ms']:.0f} / {val['p95_ms']:.0f} ms |"  # type: ignore[index]
        )
    for row in rows:
        full = row.get("validated_full")
        if full:
            n = int(row["n"])  # type: ignore[arg-type]
            raw = row["raw"]
            lines.append(
                f"\nvalidated load of all {n:,}: {rate(n, full):,.0f} ds/s "
                f"({full['seconds']:.1f} s, {full['refused']} refused), "  # type: ignore[index]
                f"{rate(n, full) / rate(n, raw):.2f}x raw, peak RSS "
                f"{full['peak_rss_mb']:,.0f} MB"  # type: ignore[index]
            )
            main, load = full["main_thread_cpu"], full["cpu"]  # type: ignore[index]
            lines.append(
                f"CPU of that load: main thread {main:.1f} s, its other threads (writer,"
                f" bulk loader, compactions, feeding the workers) {load - main:.1f} s,"
                f" validation workers {full['workers_cpu']:.1f} s; raw bulk_load"  # type: ignore[index]
                f" {raw['cpu']:.1f} s"  # type: ignore[index]
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child_main(argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--format", choices=sorted(FORMATS), default="nt")
    parser.add_argument("--sample", type=int, default=1000, help="datasets validated")
    parser.add_argument("--workdir", default="/tmp/hdcat-bench")
    parser.add_argument("--no-floor", dest="floor", action="store_false")
    parser.add_argument("--full-validated", action="store_true",
                        help="also a validated load of all N datasets (not only the sample)")
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rows = [bench_size(int(n), args, workdir) for n in args.sizes.split(",")]
    print(table(rows))
    print(
        f"\n{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},"
        f" {date.today().isoformat()}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
