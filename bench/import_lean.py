"""A lean validated import, timed against raw `bulk_load` (issue #4's target: >= 0.3x).

    python bench/import_lean.py [--size 100000] [--workers 2] [--workdir DIR]

bench/import_budget.py adds up the CPU of the parts a validated load cannot do without; this
script runs them, pipelined, and times the wall clock, which is what the target is about:

* the main thread reads and cuts the file as cheaply as import_budget does (`read`, `cut`);
  then the pool's feeding thread prepares each group of VALIDATION_GROUP records: the privacy
  scan, one audit hash a record, the records' N-Triples for the validator and their N-Quads
  for the store;
* --workers processes judge the groups with hdcat's fast validator (the full profile) while
  the next ones are prepared;
* as verdicts come back, in order, the records' N-Quads join the next write; a write of at
  most ATOMIC_BULK_QUADS quads, whole records, is bulk-loaded by a writer thread (pyoxigraph
  lets go of the GIL while it loads) while the main thread goes on.

It does less than a real load: no validation context (vocabulary, linked records, lineage:
the groups are the records alone), no listeners of the writes (audit chain, search index), no
reports; every record is written whatever its verdict (the synthetic records are valid but for
the context left out).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from generate import ensure_file  # noqa: E402
from import_budget import (  # noqa: E402
    TARGET,
    audit_hash,
    cut,
    read,
    record_nquads,
    scan_privacy,
    whole_batches,
)

from hdcat.catalog import VALIDATION_GROUP  # noqa: E402
from hdcat.store import ATOMIC_BULK_QUADS  # noqa: E402
from hdcat.validation_worker import judge  # noqa: E402

LEVEL = "full"


def _compile() -> None:
    """A worker's start: the profile's shapes compiled, the garbage collector off."""
    from hdcat.fastshacl import fast_validator
    from hdcat.validation import profile_shapes

    gc.disable()
    fast_validator(profile_shapes(LEVEL))


def _judge(group: tuple[bytes, list[str]]) -> int:
    """The number of results of the fast validator on one group (in a worker process)."""
    data, focus = group
    triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    return len(judge(LEVEL, triples, {ox.NamedNode(iri) for iri in focus}))


def _groups(records: dict[object, list[tuple]], texts: deque) -> Iterator[tuple[bytes, list]]:
    """Each group for the validator; its N-Quads and quad count appended to `texts`."""
    items = list(records.items())
    for start in range(0, len(items), VALIDATION_GROUP):
        triples_text: list[str] = []
        quads_text: list[str] = []
        focus: set[str] = set()
        quads = 0
        for dataset, rows in items[start : start + VALIDATION_GROUP]:
            scan_privacy(rows)
            audit_hash(rows)
            focus.update(r[0].value for r in rows if type(r[0]) is ox.NamedNode)
            triples_text.append("".join(f"{r[3]} {r[4]} {r[5]} .\n" for r in rows))
            quads_text.append(record_nquads(dataset, rows))
            quads += len(rows)
        texts.append(("".join(quads_text), quads))
        yield "".join(triples_text).encode(), sorted(focus)


def _write(writer: ThreadPoolExecutor, store: ox.Store, batch: list[str],
           before: list[Future]) -> Future:
    """Bulk-load these records' N-Quads in the writer thread, once the writes `before` are
    done (the next batch is gathered meanwhile)."""
    payload = "".join(batch).encode()
    if before:
        before[-1].result()
    return writer.submit(store.bulk_load, payload, ox.RdfFormat.N_QUADS)


def lean_load(file: Path, store: ox.Store, workers: int) -> dict[str, float]:
    """Load `file` into `store` the lean way; its wall and CPU seconds."""
    context = multiprocessing.get_context("fork")
    pool = context.Pool(workers, initializer=_compile)
    gc.disable()
    start, cpu, main = time.perf_counter(), os.times(), time.thread_time()
    records = cut(read(file))
    texts: deque[tuple[str, int]] = deque()
    verdicts = pool.imap(_judge, _groups(records, texts))
    results: list[int] = []

    def judged() -> Iterator[tuple[str, int]]:
        for found in verdicts:
            results.append(found)
            yield texts.popleft()

    with ThreadPoolExecutor(max_workers=1) as writer:
        writes: list[Future] = []
        for batch in whole_batches(judged(), ATOMIC_BULK_QUADS):
            writes.append(_write(writer, store, batch, writes))
        writes[-1].result()
    store.flush()
    seconds = time.perf_counter() - start
    main_cpu = time.thread_time() - main
    pool.close()
    pool.join()
    end = os.times()
    gc.enable()
    return {"seconds": seconds, "records": len(records), "quads": len(store), "writes": len(writes),
            "results": sum(results), "main_thread_cpu": main_cpu,
            "other_threads_cpu": end.user + end.system - cpu.user - cpu.system - main_cpu,
            "workers_cpu": end.children_user + end.children_system
            - cpu.children_user - cpu.children_system}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    import_bench = importlib.import_module("import")
    workdir = import_bench.work_folder(args.workdir, "hdcat-bench-lean-")

    file = ensure_file(args.size, "nt", workdir)
    print("raw bulk_load ...", file=sys.stderr)
    raw = import_bench.raw_bulk_load(file, workdir)
    print("the lean validated load ...", file=sys.stderr)
    lean = lean_load(file, ox.Store(str(import_bench.fresh(workdir / "lean"))), args.workers)
    import_bench.fresh(workdir / "raw")
    import_bench.fresh(workdir / "lean")
    assert lean["records"] == args.size, (lean["records"], args.size)
    ratio = float(raw["seconds"]) / lean["seconds"]
    print(f"\n{args.size} datasets, {args.workers} validation workers: raw bulk_load "
          f"{raw['seconds']:.1f} s ({raw['cpu']:.1f} CPU s); lean validated load "
          f"{lean['seconds']:.1f} s, {ratio:.2f}x raw (target {TARGET}x); {lean['writes']} writes"
          f" of {lean['quads']:,} quads; {lean['results']:,} validation results\n"
          f"CPU: main thread {lean['main_thread_cpu']:.1f} s, other threads "
          f"{lean['other_threads_cpu']:.1f} s, workers {lean['workers_cpu']:.1f} s")
    if args.json:
        args.json.write_text(json.dumps({"raw": raw, "lean": lean, "ratio": ratio}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
