"""Search index benchmark: build an index of N synthetic datasets and time a query mix.

    python bench/search_bench.py [N] [--path FILE] [--reps 20] [--seed 42]
                                 [--baseline OLD_search.py [--baseline-path FILE]]

No store is involved: bilingual `Hit`s are generated from word lists (diseases such as
肺癌 / lung cancer, 糖尿病 / diabetes, data kinds, regions) and written with
`SearchIndex.rebuild_hits`. Prints the build time and p50 / p95 latency per query group
and for the whole mix (each query run --reps times, after one warm-up run: so these are
answered from the index's cache of text matches), then the "new query" groups: every word of
the lists asked once, as a first search of it (the cost of a word nobody asked yet).

``--baseline FILE`` times another implementation of hdcat/search.py (e.g. a copy of it before
a change) on its own index of the same hits, group by group in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import hdcat.search  # noqa: E402
from hdcat.search import Hit  # noqa: E402

BASE = "https://hdcat.example.org"
VOCAB = "https://w3id.org/hdcat/vocab/"
EU = "http://publications.europa.eu/resource/authority/"
STD = "https://w3id.org/hdcat/standard/"
DISEASES = [
    ("肺癌", "lung cancer"), ("糖尿病", "diabetes"), ("高血压", "hypertension"),
    ("冠心病", "coronary heart disease"), ("脑卒中", "stroke"), ("新冠肺炎", "COVID-19"),
    ("慢性阻塞性肺疾病", "chronic obstructive pulmonary disease"), ("结核病", "tuberculosis"),
    ("乙型肝炎", "hepatitis B"), ("胃癌", "gastric cancer"), ("慢性肾病", "chronic kidney disease"),
    ("抑郁症", "depression"), ("流行性感冒", "influenza"), ("出生缺陷", "birth defects"),
    ("儿童生长发育", "child growth"), ("老年健康", "healthy ageing"), ("肥胖", "obesity"),
    ("乳腺癌", "breast cancer"), ("手足口病", "hand, foot and mouth disease"), ("哮喘", "asthma"),
]  # fmt: skip
KINDS = [
    ("队列研究", "cohort study"), ("电子病历", "electronic medical records"),
    ("流行病学调查", "epidemiological survey"), ("监测", "surveillance"),
    ("临床试验", "clinical trial"), ("登记", "registry"), ("组学", "omics"),
    ("医保结算", "insurance claims"), ("健康体检", "health check-up"), ("影像", "imaging"),
]  # fmt: skip
REGIONS = [
    ("北京市", "Beijing"), ("上海市", "Shanghai"), ("广东省", "Guangdong"),
    ("四川省", "Sichuan"), ("湖北省", "Hubei"), ("浙江省", "Zhejiang"),
    ("新疆维吾尔自治区", "Xinjiang"), ("全国", "National"),
]  # fmt: skip
FEATURES = [
    ("人口学特征", "demographics"), ("实验室检查", "laboratory tests"), ("诊断信息", "diagnoses"),
    ("用药记录", "medication records"), ("随访结果", "follow-up outcomes"),
    ("生活方式问卷", "lifestyle questionnaires"), ("体格检查", "physical examinations"),
    ("费用信息", "cost data"), ("影像报告", "imaging reports"), ("基因分型", "genotypes"),
]  # fmt: skip
DOMAINS = ["health-management", "public-health", "biomedicine", "clinical-medicine", "pharmacy"]
CATEGORIES = ["PA", "HS", "MA", "MP", "HR", "PH"]
MODES = ["open", "conditional", "embargoed", "closed"]
THEMES = ["HEAL", "SOCI", "SCIE", "GOVE", "ENVI"]
FORMATS = ["CSV", "XLSX", "JSON", "ZIP", "TSV", "PDF"]
STANDARDS = [f"ws-t-{n}" for n in range(300, 340)] + [f"gb-t-{n}" for n in range(14390, 14400)]
PUBLISHERS = [f"pub-{i:03d}" for i in range(120)]


def hits(n: int, seed: int) -> Iterator[Hit]:
    rng = random.Random(seed)
    for i in range(n):
        dz, de = rng.choice(DISEASES)
        kz, ke = rng.choice(KINDS)
        rz, re_ = rng.choice(REGIONS)
        year = rng.randint(2010, 2024)
        feats = rng.sample(FEATURES, 3)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        did = f"syn-{i:07d}"
        yield Hit(
            dataset=f"{BASE}/dataset/{did}",
            record=f"{BASE}/record/{did}",
            title={
                "zh": f"{rz}{dz}{kz}数据集（{year}）",
                "en": f"{re_} {de} {ke} dataset ({year})",
            },
            description={
                "zh": f"本数据集收录{rz}{year - 3}至{year}年{dz}相关的{kz}数据，包含"
                + "、".join(f[0] for f in feats)
                + "，经去标识化处理，可用于科学研究。",
                "en": f"{ke.capitalize()} data on {de} from {re_}, {year - 3} to {year}, with "
                + ", ".join(f[1] for f in feats)
                + "; de-identified, for scientific research.",
            },
            keywords=[dz, kz, de, ke],
            publisher=f"{BASE}/agent/{rng.choice(PUBLISHERS)}",
            issued=f"{year}-{month:02d}-{day:02d}",
            modified=None,
            year=year,
            domains=[VOCAB + "domain/" + rng.choice(DOMAINS)],
            categories=sorted(VOCAB + "data-category/" + c for c in rng.sample(CATEGORIES, 2)),
            levels=[VOCAB + f"sensitivity-level/L{rng.randint(1, 5)}"],
            modes=[VOCAB + "sharing-mode/" + rng.choice(MODES)],
            themes=[EU + "data-theme/" + rng.choice(THEMES)],
            standards=sorted(STD + s for s in rng.sample(STANDARDS, 2)),
            formats=sorted({EU + "file-type/" + f for f in rng.sample(FORMATS, rng.randint(1, 2))}),
        )  # fmt: skip


L3 = {"level": [VOCAB + "sensitivity-level/L3"]}
CM = {"domain": [VOCAB + "domain/clinical-medicine"]}
OPEN = {"mode": [VOCAB + "sharing-mode/open", VOCAB + "sharing-mode/conditional"]}
# group -> list of search() keyword arguments
MIX: dict[str, list[dict]] = {
    "zh": [{"q": q} for q in ("肺癌", "糖尿病", "高血压", "新冠", "体检", "出生缺陷", "北京 肺癌")],
    "en": [{"q": q} for q in ("diabetes", "lung cancer", "hypertension", "Cohort", "asthma")],
    "zh+facets": [{"q": "糖尿病", "filters": L3}, {"q": "肺癌", "filters": {**CM, **OPEN}}],
    "en+facets": [{"q": "diabetes", "filters": CM}, {"q": "stroke", "filters": {**L3, **OPEN}}],
    "newest": [
        {"q": "肺癌", "sort": "newest"},
        {"q": "diabetes", "sort": "newest", "filters": L3},
        {"q": "", "sort": "newest", "filters": CM},
    ],
    "title": [{"q": "", "sort": "title"}, {"q": "糖尿病", "sort": "title"}],
    "deep pages": [
        {"q": "", "page": 500},
        {"q": "", "page": 500, "filters": CM},
        {"q": "", "page": 200, "filters": L3, "sort": "title"},
        {"q": "糖尿病", "page": 100},
        {"q": "diabetes", "page": 100, "sort": "newest"},
    ],
    "home (no query)": [{"q": ""}, {"q": "", "filters": L3}],
    "broad (数据 / dataset)": [{"q": "数据集"}, {"q": "dataset"}],
}
# each asked once: a first search of the word (no cached matches)
WORDS = DISEASES + KINDS + REGIONS + FEATURES
NEW: dict[str, list[dict]] = {
    "new query zh": [{"q": zh} for zh, _en in WORDS],
    "new query en": [{"q": en} for _zh, en in WORDS],
}


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def load_module(path: Path) -> ModuleType:
    """Another implementation of hdcat.search, from a file."""
    spec = importlib.util.spec_from_file_location("search_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["search_baseline"] = module
    spec.loader.exec_module(module)
    return module


def open_index(module: ModuleType, path: Path, args: argparse.Namespace, name: str) -> object:
    index = module.SearchIndex(path)
    if not args.reuse or index.count() == 0:
        t = time.perf_counter()
        n = index.rebuild_hits(hits(args.n, args.seed))
        build = time.perf_counter() - t
        print(f"{name}: built {n} datasets in {build:.1f} s ({n / build:.0f}/s)")
    t = time.perf_counter()
    index.search("")
    print(
        f"{name}: first search (loads facet bitmaps and sort orders): "
        f"{1000 * (time.perf_counter() - t):.0f} ms; index file "
        f"{path.stat().st_size / 1e6:.0f} MB, {index.count()} datasets"
    )
    return index


def time_group(index: object, queries: list[dict], reps: int) -> tuple[list, list, list]:
    times: list[float] = []
    cpu: list[float] = []
    totals = []
    for kw in queries:
        if reps:
            totals.append(index.search(**kw).total)  # warm-up
        for _ in range(max(reps, 1)):
            t, c = time.perf_counter(), time.process_time()
            r = index.search(**kw)
            times.append(1000 * (time.perf_counter() - t))
            cpu.append(1000 * (time.process_time() - c))
        if not reps:
            totals.append(r.total)
    return times, cpu, totals


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, nargs="?", default=100_000)
    ap.add_argument("--path", type=Path, help="index file (default: a temporary one)")
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--reuse", action="store_true", help="query an existing --path index")
    ap.add_argument("--baseline", type=Path, help="another search.py to time in the same run")
    ap.add_argument("--baseline-path", type=Path, help="its index file (default: temporary)")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="search-bench-")
    if args.path is None:
        args.path = Path(tmp.name) / "search.sqlite"
    if args.baseline is not None and args.baseline_path is None:
        args.baseline_path = Path(tmp.name) / "baseline.sqlite"
    indexes = {"current": open_index(hdcat.search, args.path, args, "current")}
    if args.baseline is not None:
        base = load_module(args.baseline)
        indexes["baseline"] = open_index(base, args.baseline_path, args, "baseline")
    print("\nwall clock, and CPU time of this process (the same unless the machine is busy)")
    print(
        f"{'group':34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'cpu p50':>8} {'cpu p95':>8}  hits"
    )
    overall: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in indexes}
    groups = [(g, q, args.reps) for g, q in MIX.items()] + [(g, q, 0) for g, q in NEW.items()]
    for group, queries, reps in groups:
        for name, index in indexes.items():
            times, cpu, totals = time_group(index, queries, reps)
            if reps and not group.startswith("broad"):
                overall[name][0].extend(times)
                overall[name][1].extend(cpu)
            label = group if len(indexes) == 1 else f"{group} [{name}]"
            shown = totals if len(totals) <= 8 else f"{min(totals)}..{max(totals)}"
            print(
                f"{label:34} {len(times):5d} {pct(times, 50):8.1f} {pct(times, 95):8.1f} "
                f"{max(times):8.1f} {pct(cpu, 50):8.1f} {pct(cpu, 95):8.1f}  {shown}",
                flush=True,
            )
    for name, (times, cpu) in overall.items():
        label = "mix (without broad, new)" + ("" if len(indexes) == 1 else f" [{name}]")
        print(
            f"{label:34} {len(times):5d} {pct(times, 50):8.1f} {pct(times, 95):8.1f} "
            f"{max(times):8.1f} {pct(cpu, 50):8.1f} {pct(cpu, 95):8.1f}"
        )
    for index in indexes.values():
        index.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
