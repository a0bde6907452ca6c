# ruff: noqa: E501
"""The labelled set of the duplicate check: planned-dataset queries with their true answers,
against the demo catalog plus a synthetic one (bench/generate.py).

    python bench/dedup/labelled.py --workdir /tmp/hdcat-dedup --synthetic 5000 --seed 2 -o FILE

Each query is a planned dataset (the fields of ``POST /api/dedup``) with

* ``kind``: ``duplicate`` (a catalogued dataset rewritten), ``overlap`` (related data: a part
  of its time range, a wider region), ``negative`` (a hard negative: the same publisher,
  domain, disease or kind with other data, or the same topic in another region) or
  ``unrelated`` (not health data at all);
* ``transform``: how it was made (paraphrase, reorder, abbreviation, English title, shifted
  time range, added or dropped words, full plan with description and keywords...);
* ``target``: the dataset it was made from (None for unrelated ones);
* ``gold``: the datasets it duplicates, by the rule below, for every query alike;
* ``related``: datasets it overlaps (acceptable in the overlap band, wrong in duplicate).

The rule for "duplicates". A synthetic dataset is a population (disease x kind of data x
region), a publisher and a time range, so a plan duplicates every synthetic dataset of the
same disease, kind and region (when the plan names a region), of the same publisher (when it
names an institution), whose time range shares at least half of their joint span with the
plan's (Jaccard >= 0.5). A demo dataset is duplicated by plans made from it, and (same rule
for time) by plans made from another version in its series; its lineage neighbours (raw
source, derived aggregates) and the other versions are "related".
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE.parent))

import generate  # noqa: E402  (bench/generate.py)

from hdcat.demo import demo_data  # noqa: E402

DEMO_BASE = "https://hdcat.example.org/"
SYN_BASE = "https://hdcat.example.org"
DOMAIN_CODES = {"HM": "health-management", "PH": "public-health", "BM": "biomedicine",
                "CM": "clinical-medicine", "PS": "pharmacy"}
DOMAIN_LABELS = {"HM": "健康管理", "PH": "公共卫生", "BM": "生物医学", "CM": "临床医学",
                 "PS": "药学"}

# --------------------------------------------------------------------------- word lists

# Other ways of naming the synthetic diseases and kinds of data (zh, en).
DISEASE_ZH = {
    "dm": ["糖尿病", "糖尿病患者"], "htn": ["高血压", "高血压病"],
    "cad": ["冠状动脉粥样硬化性心脏病", "冠心病患者"], "stroke": ["中风", "卒中"],
    "copd": ["慢阻肺", "COPD"], "tb": ["肺结核", "结核"], "hbv": ["乙肝", "HBV"],
    "lc": ["肺癌患者", "肺癌"], "gc": ["胃癌患者", "胃癌"], "ckd": ["慢性肾脏病", "CKD"],
    "dep": ["抑郁障碍", "抑郁"], "flu": ["流感", "流感病例"], "mat": ["孕产期保健", "孕产妇保健"],
    "child": ["生长发育", "儿童生长发育"], "aging": ["老龄化", "老年健康"], "obes": ["超重肥胖", "肥胖"],
}
DISEASE_ABBR = {"dm": "DM", "htn": "HTN", "cad": "CHD", "copd": "COPD", "tb": "TB", "hbv": "HBV",
                "ckd": "CKD", "flu": "flu", "stroke": "CVA", "lc": "lung cancer",
                "gc": "stomach cancer", "dep": "depressive disorder", "mat": "maternal care",
                "child": "child growth", "aging": "healthy aging", "obes": "overweight"}
KIND_ZH = {"cohort": ["队列", "随访队列"], "emr": ["病历", "电子健康档案"],
           "survey": ["抽样调查", "调查"], "surv": ["监测数据", "监测"], "trial": ["试验", "随机对照试验"],
           "reg": ["登记库", "注册登记"], "omics": ["多组学", "组学"], "claims": ["医保", "医疗保险结算"]}
KIND_ABBR = {"cohort": "longitudinal cohort", "emr": "EMR", "survey": "survey", "surv": "monitoring",
             "trial": "RCT", "reg": "register", "omics": "multi-omics", "claims": "insurance claims"}
REGION_SHORT = {"bj": "北京", "sh": "上海", "gd": "广东", "sc": "四川", "hb": "湖北", "zj": "浙江",
                "xj": "新疆", "cn": "全国"}
REGION_CODE = {"bj": "cn.bj", "sh": "cn.sh", "gd": "cn.gd", "sc": "cn.sc", "hb": "cn.hb",
               "zj": "cn.zj", "xj": "cn.xj", "cn": "cn"}
ADDED_ZH = ["多中心", "前瞻性", "真实世界", "随访", "拟采集"]
ADDED_EN = ["multicentre", "prospective", "real-world", "planned"]

# Topics no catalogued dataset covers (hard negatives keep a publisher, domain or kind).
NEG_TOPICS = [("类风湿关节炎", "rheumatoid arthritis"), ("帕金森病", "Parkinson's disease"),
              ("骨质疏松症", "osteoporosis"), ("白内障", "cataract"), ("银屑病", "psoriasis"),
              ("痛风", "gout"), ("偏头痛", "migraine"), ("缺铁性贫血", "iron-deficiency anaemia"),
              ("青光眼", "glaucoma"), ("系统性红斑狼疮", "systemic lupus erythematosus"),
              ("甲型肝炎", "hepatitis A"), ("狂犬病", "rabies"), ("疟疾", "malaria"),
              ("非酒精性脂肪肝", "non-alcoholic fatty liver disease"), ("多发性硬化", "multiple sclerosis"),
              ("先天性心脏病", "congenital heart disease"), ("过敏性鼻炎", "allergic rhinitis"),
              ("睡眠呼吸暂停", "sleep apnoea"), ("孤独症谱系障碍", "autism spectrum disorder"),
              ("前列腺癌", "prostate cancer")]
NEG_KINDS = [("队列数据", "cohort data"), ("登记数据", "registry data"), ("病历数据", "medical records"),
             ("调查数据", "survey data"), ("生物样本库数据", "biobank data"), ("影像数据", "imaging data")]
UNRELATED = [
    "城市公交刷卡出行数据", "全国中小学数学成绩统计", "长江流域水文监测数据", "沪深股市日交易数据",
    "全国高速公路车流量数据", "城市共享单车骑行轨迹", "农作物遥感产量估算数据", "高校图书馆借阅记录",
    "电商平台商品评论语料", "气象站逐时降水观测数据", "海洋表层温度再分析数据", "古籍文献数字化图像",
    "城市房价与租金数据", "工业企业能耗统计", "森林资源清查样地数据", "外卖订单配送时效数据",
    "Global sea surface temperature reanalysis", "Stock exchange daily trading records",
    "Urban bike-sharing trip records", "Primary school mathematics test scores",
    "Railway passenger timetable data", "Crop yield estimates from satellite imagery",
    "Library loan records of a university", "Online product review corpus",
    "Hourly precipitation at weather stations", "Highway traffic counts by hour",
    "Digitised images of ancient books", "Housing prices and rents in large cities",
    "Industrial energy consumption statistics", "Forest inventory plot measurements",
]

# --------------------------------------------------------------------------- helpers


def jaccard(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float:
    if a is None or b is None:
        return 1.0
    inter = min(a[1], b[1]) - max(a[0], b[0])
    union = max(a[1], b[1]) - min(a[0], b[0])
    return max(0.0, inter) / union if union > 0 else 0.0


def years(start: int, end: int) -> tuple[float, float]:
    """A range of whole years, start to end inclusive."""
    return float(start), float(end + 1)


@dataclass
class Syn:
    """A synthetic dataset's attributes."""

    iri: str
    region: str
    disease: str
    kind: str
    publisher: str
    start: int
    end: int

    @property
    def time(self) -> tuple[float, float]:
        return years(self.start, self.end)


def synthetic_attributes(n: int, seed: int = 42) -> dict[str, Syn]:
    """The attributes of the first n datasets of the synthetic catalog, read back from its
    titles (generate.py writes "{region}{disease}{kind}数据集（{start}—{end}）")."""
    regions = {r[1]: r[0] for r in generate.REGIONS}
    diseases = {d[1]: d[0] for d in generate.DISEASES}
    kinds = {k[1]: k[0] for k in generate.KINDS}
    pattern = re.compile("^(" + "|".join(map(re.escape, regions)) + ")(" +
                         "|".join(map(re.escape, sorted(diseases, key=len, reverse=True))) + ")(" +
                         "|".join(map(re.escape, kinds)) + r")数据集（(\d{4})—(\d{4})）$")
    out: dict[str, Syn] = {}
    path = Path(f"/tmp/hdcat-syn-{n}-{seed}.nt")
    if not path.exists():
        with path.open("w", encoding="utf-8") as f:
            generate.generate(n, f, turtle=False, seed=seed)
    title = "<http://purl.org/dc/terms/title>"
    publisher = "<http://purl.org/dc/terms/publisher>"
    pubs: dict[str, str] = {}
    for line in path.open(encoding="utf-8"):
        if f" {title} " in line and line.rstrip().endswith("@zh ."):
            s = line.split(" ", 1)[0][1:-1]
            text = line.split(title, 1)[1].strip()
            text = json.loads(text[: text.rindex("@zh")])
            m = pattern.match(text)
            if m:
                out[s] = Syn(s, regions[m.group(1)], diseases[m.group(2)], kinds[m.group(3)],
                             "", int(m.group(4)), int(m.group(5)))
        elif f" {publisher} " in line:
            s = line.split(" ", 1)[0][1:-1]
            pubs[s] = line.split(publisher, 1)[1].strip().rstrip(" .")[1:-1]
    for s, syn in out.items():
        syn.publisher = pubs.get(s, "").rsplit("/", 1)[-1]
    return out


def synthetic_gold(syns: dict[str, Syn], region: str | None, disease: str, kind: str,
                   publisher: str | None, time: tuple[float, float] | None) -> tuple[list, list]:
    """(duplicates, related) among the synthetic datasets for a plan's attributes."""
    dup, rel = [], []
    for s in syns.values():
        if s.disease != disease or s.kind != kind:
            continue
        if region is not None and s.region != region and "cn" not in (region, s.region):
            continue
        j = jaccard(time, s.time)
        if (region is None or s.region == region) and (publisher is None or s.publisher == publisher) \
                and j >= 0.5:
            dup.append(s.iri)
        elif j > 0 or time is None:
            rel.append(s.iri)
    return sorted(dup), sorted(rel)


# --------------------------------------------------------------------------- demo queries


def demo_rows() -> dict[str, dict]:
    return {r["id"]: r for r in demo_data.DATASETS}


def demo_iri(ident: str) -> str:
    return f"{DEMO_BASE}dataset/{ident}"


def _demo_time(row: dict) -> tuple[float, float]:
    from hdcat.dedup_features import year_of

    return (year_of(row["per"][0]), year_of(row["per"][1], end=True))


AGENT_ZH = {a[0]: a[2] for a in demo_data.AGENTS}
AGENT_EN = {a[0]: a[3] for a in demo_data.AGENTS}
AGENT_KIND = {a[0]: a[1] for a in demo_data.AGENTS}


def demo_gold(rows: dict[str, dict], ident: str,
              time: tuple[float, float] | None) -> tuple[list[str], list[str]]:
    row = rows[ident]
    dup = {ident}
    rel: set[str] = set()
    series = row.get("series")
    for other in rows.values():
        if other["id"] == ident:
            continue
        if series and other.get("series") == series:
            if jaccard(time or _demo_time(row), _demo_time(other)) >= 0.5:
                dup.add(other["id"])
            else:
                rel.add(other["id"])
        if ident in (other.get("src") or []) or other["id"] in (row.get("src") or []):
            rel.add(other["id"])
    rel -= dup
    return sorted(map(demo_iri, dup)), sorted(map(demo_iri, rel))


_LEX_SWAPS: list[tuple[str, str]] | None = None


def lexicon_swaps() -> list[tuple[str, str]]:
    """(form, other form of the same concept) pairs from the lexicon: synonyms and
    abbreviations, zh and en."""
    global _LEX_SWAPS
    if _LEX_SWAPS is None:
        from hdcat.dedup_lexicon import CONCEPTS

        swaps = []
        for zh, en, abbr, _b in CONCEPTS.values():
            for group in (zh, en):
                for form in group:
                    for other in (*group, *(a.upper() for a in abbr)):
                        if other.lower() != form.lower() and len(form) >= 2:
                            swaps.append((form, other))
        swaps.sort(key=lambda s: -len(s[0]))
        _LEX_SWAPS = swaps
    return _LEX_SWAPS


def swap_terms(text: str, rng: random.Random, at_most: int = 2) -> str:
    """A text with up to `at_most` lexicon terms replaced by a synonym or abbreviation."""
    done = 0
    for form, other in rng.sample(lexicon_swaps(), len(lexicon_swaps())):
        if done >= at_most:
            break
        m = re.search(re.escape(form), text, flags=re.IGNORECASE)
        if m is None or (form.isascii() and (
                (m.start() and text[m.start() - 1].isalnum())
                or (m.end() < len(text) and text[m.end()].isalnum()))):
            continue
        text = text[: m.start()] + other + text[m.end():]
        done += 1
    return text


def strip_generic(title: str) -> str:
    for word in ("数据集", "Dataset", "dataset"):
        title = title.replace(word, "数据" if word == "数据集" else "data")
    return re.sub(r"\s+", " ", title).strip()


def demo_queries(rng: random.Random, targets: list[str]) -> Iterator[dict]:
    rows = demo_rows()
    for ident in targets:
        row = rows[ident]
        zh, en = row["t"]
        iri = demo_iri(ident)
        transform = rng.choice(["en", "zh_syn", "zh_reorder", "abbrev_en", "shift", "full",
                                "drop", "add", "institution_title"])
        plan: dict[str, object] = {}
        ptime = None
        if transform == "en":
            plan["title"] = en
        elif transform == "zh_syn":
            plan["title"] = strip_generic(swap_terms(zh, rng))
        elif transform == "zh_reorder":
            head = next((a for a in sorted(AGENT_ZH.values(), key=len, reverse=True)
                         if zh.startswith(a)), None)
            head = head or next((r for r in ("全国", "中国", "四川省", "广东省", "浙江省", "北京市")
                                 if zh.startswith(r)), None)
            if head:
                plan["title"] = strip_generic(zh[len(head):]).strip() + f"（{head}）"
            else:
                words = en.split()
                plan["title"] = " ".join(words[len(words) // 2:] + words[: len(words) // 2])
        elif transform == "abbrev_en":
            plan["title"] = swap_terms(en, rng)
        elif transform == "shift":
            s, e = int(row["per"][0][:4]), int(row["per"][1][:4])
            delta = rng.choice([-1, 1]) if e - s >= 2 else 0
            ptime = years(s + delta, e + delta)
            plan["title"] = re.sub(r"（\d{4}—\d{4}）", "", zh)
            plan["start"], plan["end"] = str(s + delta), str(e + delta)
        elif transform == "full":
            plan["title"] = strip_generic(swap_terms(zh, rng, 1))
            plan["description"] = row["d"][0].split("。")[0] + "。"
            plan["keywords"] = list(row["kw"][0])
            plan["institutions"] = [AGENT_ZH[row["pub"]]]
            plan["start"], plan["end"] = row["per"][0][:4], row["per"][1][:4]
            plan["domain"] = DOMAIN_LABELS[row["dom"]]
            if row.get("std"):
                plan["standards"] = [s.upper().replace("-T-", "/T ") for s in row["std"]]
        elif transform == "drop":
            words = [w for w in re.split(r"[\s（）()]+", zh) if w]
            core = max(words, key=len)
            plan["title"] = core.replace("数据集", "")
            if len(plan["title"]) < 4:
                plan["title"] = zh
        elif transform == "institution_title":
            orgs = [c for c in row["cre"] if AGENT_KIND[c] == "org"] or [row["pub"]]
            inst = AGENT_ZH[orgs[0]]
            core = zh
            for name in sorted(AGENT_ZH.values(), key=len, reverse=True):
                core = core.replace(name, "")
            plan["title"] = inst + strip_generic(swap_terms(core.strip(), rng, 1))
            if rng.random() < 0.5:
                plan["start"], plan["end"] = row["per"][0][:4], row["per"][1][:4]
        else:  # add
            plan["title"] = rng.choice(ADDED_ZH) + strip_generic(zh) + "项目"
        dup, rel = demo_gold(rows, ident, ptime)
        yield {"kind": "duplicate", "transform": transform, "target": iri, "plan": plan,
               "gold": dup, "related": rel}


def demo_overlaps(rng: random.Random, targets: list[str]) -> Iterator[dict]:
    rows = demo_rows()
    for ident in targets:
        row = rows[ident]
        zh = row["t"][0]
        e = int(row["per"][1][:4])
        plan: dict[str, object] = {"title": re.sub(r"（\d{4}—\d{4}）", "", zh),
                                   "start": str(e), "end": str(e + 3)}
        transform = "time_part"
        ptime = years(e, e + 3)
        dup, rel = demo_gold(rows, ident, ptime)
        dup = [d for d in dup if jaccard(ptime, _demo_time(rows[d.rsplit("/", 1)[-1]])) >= 0.5]
        yield {"kind": "overlap", "transform": transform, "target": demo_iri(ident),
               "plan": plan, "gold": dup, "related": sorted(set(rel) | {demo_iri(ident)})}


PROVINCES = [("四川省", "Sichuan"), ("广东省", "Guangdong"), ("浙江省", "Zhejiang"),
             ("北京市", "Beijing"), ("湖南省", "Hunan"), ("山东省", "Shandong"),
             ("云南省", "Yunnan"), ("河南省", "Henan")]


def demo_negatives(rng: random.Random, targets: list[str]) -> Iterator[dict]:
    rows = demo_rows()
    for ident in targets:
        row = rows[ident]
        zh = row["t"][0]
        prov = next((p for p in PROVINCES if zh.startswith(p[0])), None)
        s, e = int(row["per"][0][:4]), int(row["per"][1][:4])
        if prov is not None and rng.random() < 0.6:
            other = rng.choice([p for p in PROVINCES if p != prov])
            plan = {"title": other[0] + zh[len(prov[0]):], "start": str(s), "end": str(e)}
            transform = "other_region"
        else:
            topic = rng.choice(NEG_TOPICS)
            kind = rng.choice(NEG_KINDS)
            plan = {"title": f"{AGENT_ZH[row['pub']]}{topic[0]}{kind[0]}",
                    "institutions": [AGENT_ZH[row["pub"]]], "domain": DOMAIN_LABELS[row["dom"]],
                    "start": str(s), "end": str(e)}
            transform = "same_publisher_domain"
        yield {"kind": "negative", "transform": transform, "target": demo_iri(ident),
               "plan": plan, "gold": [], "related": [demo_iri(ident)]}


# --------------------------------------------------------------------------- synthetic queries

DIS = {d[0]: d for d in generate.DISEASES}
KND = {k[0]: k for k in generate.KINDS}
REG = {r[0]: r for r in generate.REGIONS}
PUB = {a[0]: a for a in generate.AGENTS}


def _syn_plan(rng: random.Random, t: Syn, transform: str, s: int, e: int) -> dict[str, object]:
    dis, kind, reg = DIS[t.disease], KND[t.kind], REG[t.region]
    dz = rng.choice(DISEASE_ZH[t.disease])
    kz = rng.choice(KIND_ZH[t.kind])
    rz = REGION_SHORT[t.region] if rng.random() < 0.5 else reg[1]
    plan: dict[str, object] = {}
    if transform == "para_zh":
        plan["title"] = rng.choice([f"{dz}{kz}数据（{rz}，{s}—{e}年）",
                                    f"{rz}{dz}{kz}研究数据 {s}-{e}",
                                    f"{s}—{e}年{rz}{dz}{kz}"])
    elif transform == "reorder_en":
        plan["title"] = rng.choice([f"{reg[2]} {dis[2]} {kind[2]} data, {s}-{e}",
                                    f"{kind[2].capitalize()} of {dis[2]} in {reg[2]} {s}-{e}"])
    elif transform == "abbrev_en":
        plan["title"] = f"{reg[2]} {DISEASE_ABBR[t.disease]} {KIND_ABBR[t.kind]} {s}-{e}"
    elif transform == "en_exact":
        plan["title"] = f"{dis[2].capitalize()} {kind[2]} dataset, {reg[2]} ({s}-{e})"
    elif transform == "shift":
        plan["title"] = f"{reg[1]}{dis[1]}{kind[1]}数据集"
        plan["start"], plan["end"] = str(s), str(e)
    elif transform == "full":
        feats = rng.sample(generate.FEATURES, 2)
        plan["title"] = f"{rz}{dz}{kz}数据"
        plan["description"] = (f"拟收集{reg[1]}{s}至{e}年{dis[1]}{kind[1]}数据，包括"
                               f"{'、'.join(f[0] for f in feats)}。")
        plan["keywords"] = [dis[1], kind[1]]
        plan["institutions"] = [PUB[t.publisher][1]]
        plan["start"], plan["end"] = str(s), str(e)
    elif transform == "add":
        plan["title"] = f"{rng.choice(ADDED_ZH)}{reg[1]}{dis[1]}{kind[1]}（{s}—{e}）"
    elif transform == "institution_title":
        plan["title"] = f"{PUB[t.publisher][1]}{dz}{kz}数据（{rz}）"
        plan["start"], plan["end"] = str(s), str(e)
    else:  # drop
        plan["title"] = f"{rz}{dz}{kz}"
        plan["time"] = f"{s}-{e}"
    return plan


def synthetic_queries(rng: random.Random, syns: dict[str, Syn], count: int) -> Iterator[dict]:
    pool = sorted(syns)
    for iri in rng.sample(pool, count):
        t = syns[iri]
        transform = rng.choice(["para_zh", "reorder_en", "abbrev_en", "en_exact", "shift", "full",
                                "add", "drop", "institution_title"])
        s, e = t.start, t.end
        if transform == "shift" and e - s >= 2:
            d = rng.choice([-1, 1])
            s, e = s + d, e + d
        plan = _syn_plan(rng, t, transform, s, e)
        pub = t.publisher if transform in ("full", "institution_title") else None
        dup, rel = synthetic_gold(syns, t.region, t.disease, t.kind, pub, years(s, e))
        yield {"kind": "duplicate" if iri in dup else "overlap", "transform": transform,
               "target": iri, "plan": plan, "gold": dup, "related": rel}


def synthetic_overlaps(rng: random.Random, syns: dict[str, Syn], count: int) -> Iterator[dict]:
    pool = sorted(syns)
    for iri in rng.sample(pool, count):
        t = syns[iri]
        dis, kind, reg = DIS[t.disease], KND[t.kind], REG[t.region]
        if t.region != "cn" and rng.random() < 0.4:
            transform = "wider_region"
            plan = {"title": f"全国{dis[1]}{kind[1]}数据", "start": str(t.start), "end": str(t.end)}
            dup, rel = synthetic_gold(syns, "cn", t.disease, t.kind, None, t.time)
        else:
            transform = "time_part"
            s = t.end
            e = t.end + rng.randint(2, 4)
            plan = {"title": f"{reg[1]}{dis[1]}{kind[1]}数据", "start": str(s), "end": str(e)}
            dup, rel = synthetic_gold(syns, t.region, t.disease, t.kind, None, years(s, e))
        yield {"kind": "overlap", "transform": transform, "target": iri, "plan": plan,
               "gold": dup, "related": sorted(set(rel) | {iri})}


def synthetic_negatives(rng: random.Random, syns: dict[str, Syn], count: int) -> Iterator[dict]:
    pool = sorted(syns)
    for iri in rng.sample(pool, count):
        t = syns[iri]
        transform = rng.choice(["other_region", "other_disease", "other_kind"])
        region, disease, kind = t.region, t.disease, t.kind
        if transform == "other_region":
            region = rng.choice([r for r in REG if r not in (t.region, "cn")])
        elif transform == "other_disease":
            disease = rng.choice([d for d in DIS if d != t.disease])
        else:
            kind = rng.choice([k for k in KND if k != t.kind])
        plan = {"title": f"{REG[region][1]}{DIS[disease][1]}{KND[kind][1]}数据",
                "institutions": [PUB[t.publisher][1]], "start": str(t.start), "end": str(t.end)}
        dup, rel = synthetic_gold(syns, region, disease, kind, t.publisher, t.time)
        yield {"kind": "negative", "transform": transform, "target": iri, "plan": plan,
               "gold": dup, "related": rel}


def unrelated_queries() -> Iterator[dict]:
    for text in UNRELATED:
        yield {"kind": "unrelated", "transform": "unrelated", "target": None,
               "plan": {"title": text}, "gold": [], "related": []}


def labelled_set(synthetic: int, seed: int, syn_seed: int = 42) -> list[dict]:
    """The labelled queries for a seed (seed 1: the training half; seed 2: the test half)."""
    rng = random.Random(seed)
    syns = synthetic_attributes(synthetic, syn_seed)
    demo = sorted(demo_rows())
    queries: list[dict] = []
    queries += demo_queries(rng, demo + rng.sample(demo, 30))
    queries += demo_overlaps(rng, rng.sample(demo, 20))
    queries += demo_negatives(rng, rng.sample(demo, 30))
    queries += synthetic_queries(rng, syns, 150)
    queries += synthetic_overlaps(rng, syns, 30)
    queries += synthetic_negatives(rng, syns, 50)
    queries += unrelated_queries()
    for i, q in enumerate(queries):
        q["id"] = f"q{seed}-{i:04d}"
        q["plan"]["id"] = q["id"]
    return queries


def build_catalog(workdir: Path, synthetic: int, syn_seed: int = 42) -> Path:
    """A data folder with the demo catalog and the first `synthetic` datasets of the synthetic
    one, and its duplicate-check index (made once, then reused)."""
    from hdcat.catalog import Catalog
    from hdcat.config import Settings
    from hdcat.dedup import dedup_index
    from hdcat.store import EmbeddedStore

    data = Path(workdir) / f"catalog-{synthetic}"
    marker = data / "READY"
    if marker.exists():
        return data
    data.mkdir(parents=True, exist_ok=True)
    nt = Path(f"/tmp/hdcat-syn-{synthetic}-{syn_seed}.nt")
    if not nt.exists():
        with nt.open("w", encoding="utf-8") as f:
            generate.generate(synthetic, f, turtle=False, seed=syn_seed)
    import time

    catalog = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store"))
    timings: dict[str, float] = {}
    try:
        catalog.initialize(demo=True)
        if synthetic:
            start = time.perf_counter()
            report = catalog.load([nt], validate=False)
            assert report.ok, report.errors[:1]
            timings["load_s"] = time.perf_counter() - start
        start = time.perf_counter()
        timings["indexed"] = dedup_index(catalog, fresh=False).rebuild(catalog)
        timings["index_s"] = time.perf_counter() - start
    finally:
        catalog.close()
    (data / "build.json").write_text(json.dumps(timings))
    marker.write_text("ok")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    queries = labelled_set(args.synthetic, args.seed)
    with open(args.output, "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for q in queries:
        kinds[q["kind"]] = kinds.get(q["kind"], 0) + 1
    print(f"{len(queries)} queries: {kinds}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
