"""Evaluate the duplicate check on the labelled set (bench/dedup/labelled.py).

    python bench/dedup/evaluate.py [--workdir /tmp/hdcat-dedup] [--synthetic 5000] [--seed 2]
                                   [--errors 20] [--json FILE]

Builds (once) a data folder with the demo catalog plus `--synthetic` synthetic datasets and
its index, makes the labelled queries of `--seed` (2: the test half; 1 trained the model),
checks each one (10 matches) and reports:

* precision and recall of the ``duplicate`` band: a pair (query, dataset) in the band is
  right when the dataset is one of the query's true duplicates; recall counts the true
  duplicates of each query up to the 10 a check shows; and the share of queries with a true
  duplicate that get at least one in the band;
* MRR: the mean of 1 / rank of the first true duplicate among a query's matches (for
  overlap queries without one: of its target; 0 when absent), over the duplicate and overlap
  queries;
* how many unrelated queries put anything in the ``duplicate`` band (target: none), and
  hard negatives with a dataset in the band that is not a true duplicate;
* the same per kind and per transform.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import labelled  # noqa: E402


def run(index, catalog, queries: list[dict], limit: int = 10) -> list[dict]:  # noqa: ANN001
    """Each query with its matches and check time."""
    out = []
    for q in queries:
        start = time.perf_counter()
        matches = index.check(q["plan"], limit=limit, lang="en", catalog=catalog)
        ms = (time.perf_counter() - start) * 1000
        out.append({**q, "ms": ms, "matches": [(m.dataset, m.score, m.band) for m in matches]})
    return out


def metrics(results: list[dict], limit: int = 10) -> dict[str, object]:
    tp = fp = fn = 0
    rr: list[float] = []
    found_any = with_gold = 0
    unrelated_hits = 0
    negative_fp = 0
    by: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in results:
        gold = set(r["gold"])
        band = {d for d, _s, b in r["matches"] if b == "duplicate"}
        t, f = len(band & gold), len(band - gold)
        n = min(len(gold), limit) - t  # a check shows `limit` matches
        tp, fp, fn = tp + t, fp + f, fn + n
        if gold:
            with_gold += 1
            found_any += bool(t)
        key = f"{r['kind']}/{r['transform']}"
        target = r["target"] or ""
        origin = "from synthetic" if "/dataset/syn-" in target else (
            "from demo" if target else "from nothing (unrelated)")
        for k in (r["kind"], key, origin):
            by[k]["queries"] += 1
            by[k]["tp"] += t
            by[k]["fp"] += f
            by[k]["fn"] += n
        if r["kind"] in ("duplicate", "overlap") and r["target"]:
            relevant = gold or {r["target"]}
            ranks = [i for i, (d, _s, _b) in enumerate(r["matches"], 1) if d in relevant]
            rr.append(1 / ranks[0] if ranks else 0.0)
            for k in (r["kind"], key, origin):
                by[k]["rr"] += rr[-1]
                by[k]["rr_n"] += 1
        if r["kind"] == "unrelated" and band:
            unrelated_hits += 1
        if r["kind"] == "negative" and f:
            negative_fp += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    times = sorted(r["ms"] for r in results)
    return {
        "queries": len(results),
        "kinds": {k: int(v["queries"]) for k, v in by.items()
                  if "/" not in k and not k.startswith("from ")},
        "precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn,
        "query_recall": found_any / with_gold if with_gold else 1.0,
        "mrr": statistics.fmean(rr) if rr else 0.0,
        "unrelated_in_duplicate": unrelated_hits,
        "negatives_with_false_duplicate": negative_fp,
        "ms_median": statistics.median(times), "ms_p95": times[int(0.95 * (len(times) - 1))],
        "by": {k: {"queries": int(v["queries"]), "tp": int(v["tp"]), "fp": int(v["fp"]),
                   "fn": int(v["fn"]), "mrr": v["rr"] / v["rr_n"] if v["rr_n"] else None}
               for k, v in sorted(by.items())},
    }


def report(m: dict[str, object]) -> str:
    lines = [
        f"queries: {m['queries']} {m['kinds']}",
        f"duplicate band: precision {m['precision']:.3f}, recall {m['recall']:.3f} "
        f"(tp {m['tp']}, fp {m['fp']}, fn {m['fn']}); queries with a true duplicate that "
        f"find one in the band: {m['query_recall']:.3f}",
        f"MRR (duplicate + overlap queries; first true duplicate, else the target): "
        f"{m['mrr']:.3f}",
        f"unrelated queries with a duplicate: {m['unrelated_in_duplicate']}; hard negatives with "
        f"a false duplicate: {m['negatives_with_false_duplicate']}",
        f"check time: median {m['ms_median']:.1f} ms, p95 {m['ms_p95']:.1f} ms",
        "",
        "| kind / transform | queries | tp | fp | fn | MRR |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for k, v in m["by"].items():
        mrr = f"{v['mrr']:.3f}" if v["mrr"] is not None else "–"
        lines.append(f"| {k} | {v['queries']} | {v['tp']} | {v['fp']} | {v['fn']} | {mrr} |")
    return "\n".join(lines)


def errors(results: list[dict], n: int) -> str:
    out = []
    for r in results:
        gold = set(r["gold"])
        band = {d for d, _s, b in r["matches"] if b == "duplicate"}
        if band != gold and n > 0:
            n -= 1
            plan = json.dumps(r["plan"], ensure_ascii=False)
            out.append(f"{r['id']} {r['kind']}/{r['transform']} {plan}")
            out.append(f"   gold {sorted(gold)[:4]} target {r['target']}")
            for d, s, b in r["matches"][:4]:
                mark = "*" if d in gold else ("~" if d in r["related"] else " ")
                out.append(f"   {mark} {s:.3f} {b} {d}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", default="/tmp/hdcat-dedup")
    parser.add_argument("--synthetic", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--json")
    args = parser.parse_args(argv)

    from hdcat.catalog import Catalog
    from hdcat.config import Settings
    from hdcat.dedup import dedup_index
    from hdcat.store import EmbeddedStore

    data = labelled.build_catalog(Path(args.workdir), args.synthetic)
    catalog = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store"))
    index = dedup_index(catalog, fresh=False)
    queries = labelled.labelled_set(args.synthetic, args.seed)
    results = run(index, catalog, queries)
    m = metrics(results)
    print(f"catalog: demo + {args.synthetic} synthetic ({index.count()} datasets); "
          f"seed {args.seed}")
    print(report(m))
    if args.errors:
        print(errors(results, args.errors))
    if args.json:
        Path(args.json).write_text(json.dumps({"metrics": m, "results": results},
                                              ensure_ascii=False, indent=1))
    catalog.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
