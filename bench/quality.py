"""Quality benchmark: scoring a whole catalog, and the score update on each write.

    python bench/quality.py --size 100000 [--writes 300] [--workdir DIR] [--keep]
    python bench/quality.py --size 100000 --dashboards 200000   # on the kept folder

1. A synthetic catalog of N datasets (bench/generate.py, seed 42) is loaded unvalidated into
   a fresh data folder (not timed; the quality listener is not attached during the load).
2. Scoring: `Quality.recompute()` scores every record from the store: reading each record
   graph, the DCAT-AP compliance verdict (hdcat.fastshacl, core level), the indicators, the
   private table and the DQV graphs written (none existed: the first scoring of the catalog).
   A second `recompute()` (scores unchanged: nothing written) is timed too.
3. Update on write: with the listener attached, `--writes` single-record writes through
   `Catalog.load_triples` (each rewrites an existing record with its keywords taken away,
   or given back, so its score changes and its quality graph is rewritten). The time
   of the quality listener for each write (scoring, compliance, private table, and its own
   write of the record's quality graph through the catalog) is taken from
   `Quality.timings` (wall) and `Quality.cpu_timings` (the thread's CPU time, which a busy
   machine does not inflate the way it inflates wall time); the whole write is timed for
   context.

Prints JSON (also written to WORKDIR/quality-N.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (the scoring workers)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(size: int, writes: int, workdir: Path, keep: bool) -> dict[str, object]:
    import pyoxigraph as ox
    from generate import ensure_file

    from hdcat.catalog import Catalog
    from hdcat.config import Settings
    from hdcat.quality import Quality, QualitySettings

    workdir.mkdir(parents=True, exist_ok=True)
    source = ensure_file(size, "nt", workdir)
    data = workdir / f"quality-{size}"
    out: dict[str, object] = {
        "size": size, "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(), "pyoxigraph": ox.__version__,
        "load_average_start": os.getloadavg(),
    }
    fresh = not (data / "loaded").exists()
    out["reused_loaded_folder"] = not fresh
    if fresh:
        shutil.rmtree(data, ignore_errors=True)
    cat = Catalog(Settings(data_dir=data))
    if fresh:
        cat.initialize()
        started = time.perf_counter()
        report = cat.load([source], validate=False)
        out["load_seconds_untimed_context"] = round(time.perf_counter() - started, 1)
        assert len(report.stored) == size, len(report.stored)
        (data / "loaded").write_text("yes")
    q = Quality(cat, settings=QualitySettings())
    q.reset()
    # A folder kept by an earlier run: remove its quality graphs first (not timed).
    old = [ox.NamedNode(g) for g in cat.store.graph_names() if g.endswith("#quality")]
    if old:
        raw = cat.store.oxigraph  # type: ignore[attr-defined]
        for n, name in enumerate(old, start=1):
            raw.remove_graph(name)
            if n % 2000 == 0:
                cat.store.flush()  # RocksDB's write buffers otherwise grow to ~1 GB
        cat.store.flush()

    started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    scored = q.recompute()
    first = time.perf_counter() - started
    out["scored"] = scored
    out["first_scoring_seconds"] = round(first, 1)
    out["first_scoring_cpu_seconds"] = round(time.process_time() - cpu, 1)
    out["first_scoring_worker_cpu_seconds"] = round(_children_cpu() - children, 1)
    out["first_scoring_records_per_s"] = round(scored / first, 1)
    started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    q.recompute()
    again = time.perf_counter() - started
    out["rescoring_unchanged_seconds"] = round(again, 1)
    out["rescoring_unchanged_cpu_seconds"] = round(time.process_time() - cpu, 1)
    out["rescoring_unchanged_worker_cpu_seconds"] = round(_children_cpu() - children, 1)
    out["quality_quads_per_record"] = round(
        sum(len(cat.store.graph(f"{r}#quality")) for r, _d in cat.records()[:1000]) / 1000, 1)
    summary = q.summary()
    out["mean_score"] = summary["mean"]
    out["ratings"] = summary["ratings"]

    # Update on write.
    q.attach()
    records = cat.records()
    step = max(1, len(records) // writes)
    picked = records[::step][:writes]
    listener: list[float] = []
    listener_cpu: list[float] = []
    whole: list[float] = []
    kw = "http://www.w3.org/ns/dcat#keyword"
    for n, (record, dataset) in enumerate(picked):
        # Keywords taken away, or given back: the score changes each time, so the record's
        # quality graph is rewritten.
        triples = cat.store.graph(record)
        had = any(t.predicate.value == kw for t in triples)
        if had:
            triples = [t for t in triples if t.predicate.value != kw]
        else:
            triples.append(ox.Triple(ox.NamedNode(dataset), ox.NamedNode(kw),
                                     ox.Literal(f"bench {n}", language="en")))
        before = len(q.timings)
        started = time.perf_counter()
        report = cat.load_triples(triples, source="bench", validate=False)
        whole.append(time.perf_counter() - started)
        assert report.stored, report
        calls = q.timings[before:]
        # The record's write is the longest call: the nested ones (its quality graph written
        # back through the catalog, ignored by the listener) run inside it.
        listener.append(max(calls))
        listener_cpu.append(max(q.cpu_timings[before:]))
        stored = q.get(record)
        assert stored is not None
        assert stored.score.points["keywordAvailability"] == (0 if had else 30)
    out["writes"] = len(picked)
    out["update_ms_median"] = round(statistics.median(listener) * 1000, 2)
    out["update_ms_p95"] = round(_pct(listener, 95) * 1000, 2)
    out["update_ms_max"] = round(max(listener) * 1000, 2)
    out["update_cpu_ms_median"] = round(statistics.median(listener_cpu) * 1000, 2)
    out["update_cpu_ms_p95"] = round(_pct(listener_cpu, 95) * 1000, 2)
    out["write_ms_median"] = round(statistics.median(whole) * 1000, 2)
    out["write_ms_p95"] = round(_pct(whole, 95) * 1000, 2)
    out["peak_rss_mb"] = round(_peak_rss_mb())
    out["load_average_end"] = os.getloadavg()
    cat.close()
    if not keep:
        shutil.rmtree(data, ignore_errors=True)
    return out


def dashboards(size: int, workdir: Path, hits: int) -> dict[str, object]:
    """On a scored catalog kept by an earlier run (--keep): count `hits` hits spread over
    the datasets, then time the queries behind /quality and /stats."""
    import random

    from hdcat.catalog import Catalog
    from hdcat.config import Settings
    from hdcat.quality import Quality, QualitySettings
    from hdcat.usage import Usage

    data = workdir / f"quality-{size}"
    cat = Catalog(Settings(data_dir=data))
    q = Quality(cat, settings=QualitySettings())
    u = Usage(q.state, data, window=1800)
    datasets = [d for _r, d in cat.records()]
    rng = random.Random(7)
    out: dict[str, object] = {"size": size, "hits": hits}
    started = time.perf_counter()
    now = time.time()
    for n in range(hits):
        ds = datasets[min(int(rng.paretovariate(1.2)) - 1, len(datasets) - 1)]
        u.hit(rng.choice(("view", "view", "view", "download", "access", "rdf")), ds,
              f"10.{n % 250}.{n // 250 % 250}.{n // 62500}", "Mozilla/5.0 bench",
              now=now - rng.random() * 300 * 86400)
    out["hit_ms_mean"] = round((time.perf_counter() - started) / hits * 1000, 3)
    for name, fn in (("summary", q.summary), ("violations", q.violations),
                     ("by_publisher", q.by_publisher), ("worst_20", lambda: q.worst(20)),
                     ("ranking_publishers", lambda: u.ranking("publisher")),
                     ("ranking_creators", lambda: u.ranking("creator")),
                     ("most_used_10", lambda: u.most_used(10)),
                     ("use_per_month", lambda: u.over_time(by="month"))):
        started = time.perf_counter()
        fn()
        out[f"{name}_ms"] = round((time.perf_counter() - started) * 1000, 1)
    cat.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--workdir", default="/tmp/hdcat-bench")
    parser.add_argument("--keep", action="store_true",
                        help="Keep the loaded data folder for another run.")
    parser.add_argument("--dashboards", type=int, default=0, metavar="HITS",
                        help="Only time the dashboard queries on a kept folder, after HITS "
                             "hits.")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    if args.dashboards:
        result = dashboards(args.size, workdir, args.dashboards)
        name = f"dashboards-{args.size}.json"
    else:
        result = run(args.size, args.writes, workdir, args.keep)
        name = f"quality-{args.size}.json"
    text = json.dumps(result, indent=1)
    (workdir / name).write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
