"""Write a synthetic bilingual hdcat catalog of N datasets, valid against the hdcat profile.

    python bench/generate.py N -o FILE.ttl [--seed 42] [--base https://hdcat.example.org]

Turtle (``.ttl``) or N-Triples (``.nt``) by suffix. Output is streamed line by line (never an
in-memory graph), deterministic for a seed. Each dataset is one record of about 40 triples:
catalog links, the catalog record, the dataset (zh/en title, description, keywords, domain,
data categories, sensitivity level, sharing mode with matching access rights, licence,
publisher, contact point, dates, temporal, spatial, theme), a CSTR identifier (and a DOI on
every second dataset), a
contact point (vcard:Kind + vcard:Organization with a mailto: e-mail), a period of time and
one distribution. Openly shared personal data carries a de-identification activity. The few
publisher agents are written once, at the start.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

DEFAULT_BASE = "https://hdcat.example.org"
EU = "http://publications.europa.eu/resource/authority/"
VOCAB = "https://w3id.org/hdcat/vocab/"

PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "adms": "http://www.w3.org/ns/adms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "hdcat": "https://w3id.org/hdcat/ns#",
    "dom": VOCAB + "domain/",
    "dcatg": VOCAB + "data-category/",
    "lvl": VOCAB + "sensitivity-level/",
    "share": VOCAB + "sharing-mode/",
    "proc": VOCAB + "processing/",
    "deid": VOCAB + "deidentification/",
    "ar": EU + "access-right/",
    "lic": EU + "licence/",
    "ft": EU + "file-type/",
    "theme": EU + "data-theme/",
    "pubtype": "http://purl.org/adms/publishertype/",
}

# (code, zh, en) word lists
DISEASES = [
    ("dm", "糖尿病", "diabetes"),
    ("htn", "高血压", "hypertension"),
    ("cad", "冠心病", "coronary heart disease"),
    ("stroke", "脑卒中", "stroke"),
    ("copd", "慢性阻塞性肺疾病", "chronic obstructive pulmonary disease"),
    ("tb", "结核病", "tuberculosis"),
    ("hbv", "乙型肝炎", "hepatitis B"),
    ("lc", "肺癌", "lung cancer"),
    ("gc", "胃癌", "gastric cancer"),
    ("ckd", "慢性肾病", "chronic kidney disease"),
    ("dep", "抑郁症", "depression"),
    ("flu", "流行性感冒", "influenza"),
    ("mat", "孕产妇保健", "maternal health"),
    ("child", "儿童生长发育", "child growth and development"),
    ("aging", "老年健康", "healthy ageing"),
    ("obes", "肥胖", "obesity"),
]
KINDS = [
    ("cohort", "队列研究", "cohort study"),
    ("emr", "电子病历", "electronic medical records"),
    ("survey", "流行病学调查", "epidemiological survey"),
    ("surv", "监测", "surveillance"),
    ("trial", "临床试验", "clinical trial"),
    ("reg", "登记", "registry"),
    ("omics", "组学", "omics"),
    ("claims", "医保结算", "insurance claims"),
]
REGIONS = [
    ("bj", "北京市", "Beijing"),
    ("sh", "上海市", "Shanghai"),
    ("gd", "广东省", "Guangdong"),
    ("sc", "四川省", "Sichuan"),
    ("hb", "湖北省", "Hubei"),
    ("zj", "浙江省", "Zhejiang"),
    ("xj", "新疆维吾尔自治区", "Xinjiang"),
    ("cn", "全国", "nationwide"),
]
FEATURES = [
    ("人口学特征", "demographics"),
    ("实验室检查", "laboratory tests"),
    ("诊断信息", "diagnoses"),
    ("用药记录", "medication records"),
    ("随访结果", "follow-up outcomes"),
    ("生活方式问卷", "lifestyle questionnaires"),
    ("体格检查", "physical examinations"),
    ("费用信息", "cost data"),
    ("影像报告", "imaging reports"),
    ("基因分型", "genotypes"),
]
DOMAINS = ["health-management", "public-health", "biomedicine", "clinical-medicine", "pharmacy"]
PERSONAL = ["PA", "HS", "MA", "MP"]
NON_PERSONAL = ["HR", "PH"]
LICENCES = ["CC_BY_4_0", "CC_BY_NC_4_0", "CC0", "CC_BY_SA_4_0", "ODC_BY"]
FORMATS = ["CSV", "XLSX", "JSON", "ZIP", "TSV"]
DEID_METHODS = ["k-anonymity", "generalization", "suppression", "pseudonymization"]
# (id, zh name, en name, publisher type, CSTR prefix, e-mail domain)
AGENTS = [
    ("nphdc", "国家人口健康科学数据中心", "National Population Health Data Center",
     "NationalAuthority", "A0006", "ncmi.cn"),
    ("chinacdc", "中国疾病预防控制中心", "Chinese Center for Disease Control and Prevention",
     "NationalAuthority", "A0011", "chinacdc.cn"),
    ("pumch", "北京协和医院", "Peking Union Medical College Hospital",
     "Academia-ScientificOrganisation", "A0021", "pumch.cn"),
    ("wchscu", "四川大学华西医院", "West China Hospital, Sichuan University",
     "Academia-ScientificOrganisation", "A0022", "wchscu.cn"),
    ("fudan", "复旦大学公共卫生学院", "School of Public Health, Fudan University",
     "Academia-ScientificOrganisation", "A0031", "fudan.edu.cn"),
    ("nhc-stats", "国家卫生健康委统计信息中心", "NHC Center for Health Statistics and Information",
     "NationalAuthority", "A0041", "nhc.gov.cn"),
]


class Writer:
    """Writes triples as text lines: N-Triples, or Turtle with prefixed names."""

    def __init__(self, out: TextIO, turtle: bool) -> None:
        self.out = out
        self.turtle = turtle
        self.count = 0
        self._iri_cache: dict[str, str] = {}
        if turtle:
            for prefix, ns in PREFIXES.items():
                out.write(f"@prefix {prefix}: <{ns}> .\n")

    def iri(self, value: str) -> str:
        cached = self._iri_cache.get(value)
        if cached is not None:
            return cached
        text = str(ox.NamedNode(value))
        if self.turtle:
            for prefix, ns in PREFIXES.items():
                local = value[len(ns) :]
                plain = local.replace("-", "").replace("_", "").isalnum()
                if value.startswith(ns) and plain and local[:1].isalnum():
                    text = f"{prefix}:{local}"
                    break
        if len(self._iri_cache) < 4096:
            self._iri_cache[value] = text
        return text

    def triple(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} {p} {o} .\n")
        self.count += 1


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A properly escaped literal term."""
    if lang is not None:
        return str(ox.Literal(value, language=lang))
    if datatype is not None:
        return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(value))


XSD = PREFIXES["xsd"]


def agent_triples(w: Writer, base: str) -> None:
    p = PREFIXES
    for aid, zh, en, ptype, _cstr, domain in AGENTS:
        a = w.iri(f"{base}/agent/{aid}")
        w.triple(a, w.iri(p["rdf"] + "type"), w.iri(p["foaf"] + "Organization"))
        w.triple(a, w.iri(p["rdf"] + "type"), w.iri(p["foaf"] + "Agent"))
        w.triple(a, w.iri(p["foaf"] + "name"), lit(zh, "zh"))
        w.triple(a, w.iri(p["foaf"] + "name"), lit(en, "en"))
        w.triple(a, w.iri(p["dct"] + "type"), w.iri(p["pubtype"] + ptype))
        w.triple(a, w.iri(p["foaf"] + "homepage"), w.iri(f"https://www.{domain}/"))


def dataset_triples(w: Writer, base: str, i: int, rng: random.Random) -> None:
    p = PREFIXES
    t = w.triple
    iri = w.iri
    rdf_type = iri(p["rdf"] + "type")
    dct = p["dct"]
    dcat = p["dcat"]
    hdcat = p["hdcat"]

    did = f"syn-{i:07d}"
    ds_iri = f"{base}/dataset/{did}"
    ds = str(ox.NamedNode(ds_iri))
    rec = str(ox.NamedNode(f"{base}/record/{did}"))
    own = lambda frag: str(ox.NamedNode(f"{ds_iri}#{frag}"))  # noqa: E731

    dis = rng.choice(DISEASES)
    kind = rng.choice(KINDS)
    reg = rng.choice(REGIONS)
    start = rng.randint(2005, 2021)
    end = min(start + rng.randint(0, 6), 2024)
    feats = rng.sample(FEATURES, 3)
    agent = rng.choice(AGENTS)
    level = rng.choices([1, 2, 3, 4, 5], weights=[10, 25, 40, 20, 5])[0]
    personal = rng.random() < 0.7
    cats = (
        rng.sample(PERSONAL, rng.randint(1, 2)) if personal else [rng.choice(NON_PERSONAL)]
    )
    if level <= 2:
        mode = rng.choices(["open", "conditional", "embargoed"], weights=[5, 4, 1])[0]
    else:
        mode = rng.choices(["conditional", "closed", "embargoed"], weights=[6, 3, 1])[0]
    access = {
        "open": "PUBLIC", "conditional": "RESTRICTED", "embargoed": "NON_PUBLIC",
        "closed": "NON_PUBLIC",
    }[mode]
    issued = f"{end + 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    modified = f"{min(end + 2, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    date = p["xsd"] + "date"

    # catalog links and the catalog record
    cat = iri(f"{base}/catalog")
    t(cat, iri(dcat + "dataset"), ds)
    t(cat, iri(dcat + "record"), rec)
    t(rec, rdf_type, iri(dcat + "CatalogRecord"))
    t(rec, iri(p["foaf"] + "primaryTopic"), ds)
    t(rec, iri(dct + "modified"), lit(modified, datatype=date))

    # the dataset
    t(ds, rdf_type, iri(dcat + "Dataset"))
    t(ds, iri(dct + "title"), lit(f"{reg[1]}{dis[1]}{kind[1]}数据集（{start}—{end}）", "zh"))
    t(ds, iri(dct + "title"), lit(
        f"{dis[2].capitalize()} {kind[2]} dataset, {reg[2]} ({start}-{end})", "en"))
    t(ds, iri(dct + "description"), lit(
        f"{agent[1]}发布的{reg[1]}{start}至{end}年{dis[1]}{kind[1]}数据，包含"
        f"{'、'.join(f[0] for f in feats)}，经去标识化处理。", "zh"))
    t(ds, iri(dct + "description"), lit(
        f"{kind[2].capitalize()} data on {dis[2]} in {reg[2]}, {start} to {end}, published by "
        f"{agent[2]}: {', '.join(f[1] for f in feats)}. De-identified.", "en"))
    cstr = f"CSTR:{agent[4]}.11.SYN.{i:07d}"
    doi = f"10.12213/{agent[4]}.syn.{i:07d}"
    has_doi = i % 2 == 0
    t(ds, iri(p["adms"] + "identifier"), own("cstr"))
    if has_doi:
        t(ds, iri(p["adms"] + "identifier"), own("doi"))
    t(ds, iri(dcat + "keyword"), lit(dis[1], "zh"))
    t(ds, iri(dcat + "keyword"), lit(dis[2], "en"))
    t(ds, iri(dcat + "theme"), iri(EU + "data-theme/HEAL"))
    t(ds, iri(hdcat + "domain"), iri(VOCAB + "domain/" + rng.choice(DOMAINS)))
    for c in cats:
        t(ds, iri(hdcat + "dataCategory"), iri(VOCAB + "data-category/" + c))
    t(ds, iri(hdcat + "sensitivityLevel"), iri(VOCAB + f"sensitivity-level/L{level}"))
    t(ds, iri(hdcat + "sharingMode"), iri(VOCAB + "sharing-mode/" + mode))
    t(ds, iri(dct + "accessRights"), iri(EU + "access-right/" + access))
    if mode == "embargoed":
        t(ds, iri(hdcat + "embargoEnd"), lit(f"{2026 + i % 3}-01-01", datatype=date))
    licence = iri(EU + "licence/" + rng.choice(LICENCES))
    t(ds, iri(dct + "license"), licence)
    t(ds, iri(dct + "publisher"), iri(f"{base}/agent/{agent[0]}"))
    t(ds, iri(dcat + "contactPoint"), own("contact"))
    t(ds, iri(dct + "issued"), lit(issued, datatype=date))
    t(ds, iri(dct + "modified"), lit(modified, datatype=date))
    t(ds, iri(dct + "temporal"), own("period"))
    t(ds, iri(dct + "spatial"), iri(EU + "country/CHN"))
    t(ds, iri(dcat + "distribution"), own("dist"))

    # identifiers
    ids = [("cstr", cstr, "CSTR")] + ([("doi", doi, "DOI")] if has_doi else [])
    for frag, notation, dtype in ids:
        node = own(frag)
        t(node, rdf_type, iri(p["adms"] + "Identifier"))
        t(node, iri(p["skos"] + "notation"), lit(notation, datatype=hdcat + dtype))

    # contact point
    contact = own("contact")
    t(contact, rdf_type, iri(p["vcard"] + "Kind"))
    t(contact, rdf_type, iri(p["vcard"] + "Organization"))
    t(contact, iri(p["vcard"] + "fn"), lit(f"{agent[1]}数据服务", "zh"))
    t(contact, iri(p["vcard"] + "hasEmail"), iri(f"mailto:data@{agent[5]}"))

    # period of time
    period = own("period")
    t(period, rdf_type, iri(dct + "PeriodOfTime"))
    t(period, iri(dcat + "startDate"), lit(f"{start}-01-01", datatype=date))
    t(period, iri(dcat + "endDate"), lit(f"{end}-12-31", datatype=date))

    # distribution
    dist = own("dist")
    fmt = rng.choice(FORMATS)
    t(dist, rdf_type, iri(dcat + "Distribution"))
    t(dist, iri(dcat + "accessURL"), iri(f"https://data.{agent[5]}/datasets/{did}"))
    t(dist, iri(dct + "format"), iri(EU + "file-type/" + fmt))
    t(dist, iri(dct + "license"), licence)

    # openly shared personal data must have been de-identified
    if mode == "open" and personal:
        deid = own("deid")
        t(ds, iri(p["prov"] + "wasGeneratedBy"), deid)
        t(deid, rdf_type, iri(p["prov"] + "Activity"))
        t(deid, rdf_type, iri(hdcat + "ProcessingActivity"))
        t(deid, iri(dct + "type"), iri(VOCAB + "processing/deidentification"))
        for m in rng.sample(DEID_METHODS, 2):
            t(deid, iri(hdcat + "deidentificationMethod"), iri(VOCAB + "deidentification/" + m))


def generate(n: int, out: TextIO, *, turtle: bool, seed: int = 42, base: str = DEFAULT_BASE) -> int:
    """Write n datasets (and the agents) to `out`; return the number of triples written."""
    base = base.rstrip("/")
    rng = random.Random(seed)
    w = Writer(out, turtle)
    agent_triples(w, base)
    for i in range(1, n + 1):
        dataset_triples(w, base, i, rng)
    return w.count


def ensure_file(n: int, suffix: str, workdir: Path) -> Path:
    """The synthetic catalog of `n` datasets in `workdir` (`syn-N.nt|ttl`), generated once
    and reused by later benchmark runs."""
    path = workdir / f"syn-{n}.{suffix}"
    if not path.exists():
        tmp = path.with_suffix(".part")
        with tmp.open("w", encoding="utf-8", buffering=1 << 20) as f:
            generate(n, f, turtle=suffix == "ttl")
        tmp.rename(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of datasets")
    parser.add_argument("-o", "--output", required=True, help="FILE.ttl or FILE.nt")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--base", default=DEFAULT_BASE)
    args = parser.parse_args(argv)
    path = Path(args.output)
    suffix = path.suffix.lower()
    if suffix not in (".ttl", ".nt"):
        parser.error("output must end in .ttl (Turtle) or .nt (N-Triples)")
    with path.open("w", encoding="utf-8", buffering=1 << 20) as f:
        count = generate(args.n, f, turtle=suffix == ".ttl", seed=args.seed, base=args.base)
    print(
        f"{path}: {args.n} datasets, {count} triples ({count / max(args.n, 1):.1f} per dataset)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
