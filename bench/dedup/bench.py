"""Duplicate-check benchmark: per-check latency and the catalog-wide pass at scale.

    python bench/dedup/bench.py [--size 100000] [--workdir /tmp/hdcat-dedup] [--workers 2]
                                [--queries 410] [--skip-pass]

Builds (once; bench/dedup/labelled.py `build_catalog`) a data folder with the demo catalog
and --size synthetic datasets (bench/generate.py, seed 42, loaded without validation) and its
duplicate-check index, then

* checks every query of the labelled set (seed 2, made against the same synthetic catalog)
  once, after one warm-up check, and reports median / p95 / max latency (ms) and the quality
  figures at this size (bench/dedup/evaluate.py);
* runs the catalog-wide pass with --workers processes and reports its time and the pairs.

Prints a Markdown summary; --json FILE keeps the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import evaluate  # noqa: E402
import labelled  # noqa: E402


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--workdir", default="/tmp/hdcat-dedup")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queries", type=int, default=0, help="at most this many (0: all)")
    parser.add_argument("--skip-pass", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args(argv)

    from hdcat.catalog import Catalog
    from hdcat.config import Settings
    from hdcat.dedup import dedup_index
    from hdcat.store import EmbeddedStore

    started = time.perf_counter()
    data = labelled.build_catalog(Path(args.workdir), args.size)
    build = json.loads((data / "build.json").read_text()) if (data / "build.json").exists() else {}
    print(f"catalog ready in {time.perf_counter() - started:.0f} s: {build}", file=sys.stderr)
    catalog = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store"))
    index = dedup_index(catalog, fresh=False)
    queries = labelled.labelled_set(args.size, 2)
    if args.queries:
        queries = queries[: args.queries]
    out: dict[str, object] = {"size": args.size, "datasets": index.count(), "build": build,
                              "cpus": os.cpu_count(), "python": platform.python_version(),
                              "load_average": os.getloadavg()}
    start = time.perf_counter()
    index.check({"title": "糖尿病队列研究（预热分词）"}, catalog=catalog)  # loads jieba too
    out["first_check_s"] = time.perf_counter() - start
    cpu = time.process_time()
    results = evaluate.run(index, catalog, queries)
    out["checks_cpu_ms_mean"] = (time.process_time() - cpu) * 1000 / len(results)
    times = sorted(r["ms"] for r in results)
    slowest = max(results, key=lambda r: r["ms"])
    out["slowest"] = {"ms": slowest["ms"], "plan": slowest["plan"]}
    out["latency_ms"] = {"median": statistics.median(times),
                         "p95": times[int(0.95 * (len(times) - 1))], "max": times[-1],
                         "mean": statistics.fmean(times), "checks": len(times)}
    out["quality"] = {k: v for k, v in evaluate.metrics(results).items() if k != "by"}
    print(f"checks: {out['latency_ms']}", file=sys.stderr)
    print(f"quality: {out['quality']}", file=sys.stderr)
    if not args.skip_pass:
        report = index.catalog_pass(workers=args.workers)
        out["pass"] = {"seconds": report.seconds, "search_seconds": report.search_seconds,
                       "cpu_seconds": report.cpu_seconds, "datasets": report.datasets,
                       "pairs": report.pairs, "declared": report.declared,
                       "workers": report.workers, "load_average": os.getloadavg()}
        print(f"pass: {out['pass']}", file=sys.stderr)
    out["peak_rss_mb"] = _rss_mb()
    out["load_average_after"] = os.getloadavg()
    lat = out["latency_ms"]
    print(f"| {args.size:,} + demo | {lat['median']:.1f} | {lat['p95']:.1f} | {lat['max']:.0f} | "
          + (f"{out['pass']['seconds']:.0f} s ({out['pass']['pairs']:,} pairs)"
             if "pass" in out else "–") + " |")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False))
    catalog.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
