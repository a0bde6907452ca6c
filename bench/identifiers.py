"""Identifier minting benchmark: many publishers at once on one data folder.

    python bench/identifiers.py [--count 1000] [--threads 8] [--processes 1] [--data DIR]

`--processes P --threads T`: P processes (each its own PrivateState, i.e. its own SQLite
connection) with T threads each mint `--count` identifiers for distinct datasets through
`hdcat.identifiers.Minter`, all in the same month. Then the record is checked: as many distinct
CSTRs and DOIs as datasets, serials 1..count without a gap, no error. Prints ids/s; exits 1 if
a check fails. `--json` prints the figures as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hdcat.config import Settings  # noqa: E402
from hdcat.identifiers import Identifiers, Minter  # noqa: E402
from hdcat.state import PrivateState  # noqa: E402

WHEN = date(2025, 3, 14)


def _worker(data: str, datasets: list[str], threads: int, start: float,
            out: multiprocessing.Queue | None = None) -> tuple[int, list[str]]:
    """Mint for `datasets` from `threads` threads of this process; (minted, errors)."""
    state = PrivateState(Path(data) / "private.sqlite")
    minter = Minter(state, Settings(data_dir=Path(data)))
    lock = threading.Lock()
    todo = list(datasets)
    errors: list[str] = []
    minted = 0

    def run() -> None:
        nonlocal minted
        while True:
            with lock:
                if not todo:
                    return
                iri = todo.pop()
            try:
                minter.mint(iri, WHEN)
                with lock:
                    minted += 1
            except Exception as e:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{iri}: {e!r}")

    while time.time() < start:  # start together with the other processes
        time.sleep(0.001)
    pool = [threading.Thread(target=run) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    state.close()
    if out is not None:
        out.put((minted, errors))
    return minted, errors


def run(data: Path, count: int, threads: int, processes: int) -> dict:
    datasets = [f"https://hdcat.example.org/dataset/bench-{i:05d}" for i in range(count)]
    state = PrivateState(data / "private.sqlite")  # create the tables before the race
    Identifiers(state)
    state.close()
    start = time.time() + (1.5 if processes > 1 else 0.0)
    if processes == 1:
        t0 = time.perf_counter()
        minted, errors = _worker(str(data), datasets, threads, start)
        elapsed = time.perf_counter() - t0
    else:
        ctx = multiprocessing.get_context("spawn")
        queue: multiprocessing.Queue = ctx.Queue()
        shares = [datasets[i::processes] for i in range(processes)]
        procs = [ctx.Process(target=_worker, args=(str(data), share, threads, start, queue))
                 for share in shares]
        for p in procs:
            p.start()
        results = [queue.get(timeout=600) for _ in procs]
        for p in procs:
            p.join()
        elapsed = time.time() - start
        minted = sum(r[0] for r in results)
        errors = [e for r in results for e in r[1]]

    state = PrivateState(data / "private.sqlite")
    rows = Identifiers(state).all()
    state.close()
    cstrs = [r.id for r in rows if r.kind == "cstr"]
    dois = [r.id for r in rows if r.kind == "doi"]
    serials = sorted(int(c.rsplit(".", 1)[1]) for c in cstrs)
    per_dataset = {r.dataset for r in rows if r.kind == "cstr"}
    # How often consecutive serials went to different processes: > 0 means they really
    # minted at the same time.
    owner = {iri: i % processes for i, iri in enumerate(datasets)}
    by_serial = sorted((int(r.id.rsplit(".", 1)[1]), owner.get(r.dataset, -1))
                       for r in rows if r.kind == "cstr")
    switches = sum(1 for a, b in zip(by_serial, by_serial[1:], strict=False) if a[1] != b[1])
    checks = {
        "distinct_cstr": len(set(cstrs)) == count == len(cstrs),
        "distinct_doi": len({d.upper() for d in dois}) == count == len(dois),
        "one_per_dataset": per_dataset == set(datasets),
        "serials_without_gap": serials == list(range(1, count + 1)),
        "no_error": not errors and minted == count,
    }
    return {
        "count": count, "threads": threads, "processes": processes, "minted": minted,
        "errors": errors[:5], "error_count": len(errors), "seconds": round(elapsed, 3),
        "ids_per_s": round(count / elapsed, 1) if elapsed > 0 else None,
        "first": cstrs[0] if cstrs else None, "process_switches": switches,
        "checks": checks, "ok": all(checks.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--data", type=Path, default=None,
                        help="An empty data folder (default: a temporary one).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hdcat-ids-") as tmp:
        data = args.data or Path(tmp)
        data.mkdir(parents=True, exist_ok=True)
        result = run(data, args.count, args.threads, args.processes)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['count']} datasets, {result['processes']} process(es) x "
              f"{result['threads']} threads: {result['minted']} minted in {result['seconds']} s "
              f"= {result['ids_per_s']} datasets/s, {2 * result['ids_per_s']:.1f} identifiers/s "
              "(a CSTR and a DOI each); "
              f"errors {result['error_count']}; first {result['first']}")
        if args.processes > 1:
            print(f"  serials passed between processes {result['process_switches']} times")
        for name, ok in result["checks"].items():
            print(f"  {name}: {'ok' if ok else 'FAILED'}")
        for error in result["errors"]:
            print("  error:", error)
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
