"""The search index (hdcat.search) on the real demo catalog, checked against rdflib."""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.search import FACETS, Hit, SearchIndex, _to_bits, fields, parse_query
from hdcat.store import EmbeddedStore

HERE = Path(__file__).parent
DEMO = HERE.parent / "hdcat" / "demo" / "demo-catalog.ttl"
RECORD_VALID = HERE / "data" / "record-valid.ttl"
BASE = "https://hdcat.example.org"
DM = f"{BASE}/dataset/dm-complications-2020"
DM_RECORD = f"{BASE}/record/dm-complications-2020"
# Plain namespaces: rdflib's closed ones warn when pytest inspects the module.
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SERIES = DCAT["DatasetSeries"]
HDCAT = rdflib.Namespace("https://w3id.org/hdcat/ns#")
LVL = "https://w3id.org/hdcat/vocab/sensitivity-level/"
DOM = "https://w3id.org/hdcat/vocab/domain/"
PROPS = {
    "domain": HDCAT["domain"],
    "category": HDCAT["dataCategory"],
    "level": HDCAT["sensitivityLevel"],
    "mode": HDCAT["sharingMode"],
    "publisher": DCTERMS["publisher"],
    "theme": DCAT["theme"],
    "standard": DCTERMS["conformsTo"],
}


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Catalog, SearchIndex]]:
    tmp = tmp_path_factory.mktemp("search-demo")
    catalog = Catalog(Settings(data_dir=tmp), EmbeddedStore(tmp / "store"))
    report = catalog.initialize(demo=True)
    assert report is not None and report.ok
    index = SearchIndex(tmp / "index" / "search.sqlite")
    assert index.rebuild(catalog) == 73
    yield catalog, index
    index.close()
    catalog.close()


@pytest.fixture(scope="module")
def index(demo: tuple[Catalog, SearchIndex]) -> SearchIndex:
    return demo[1]


@pytest.fixture(scope="module")
def truth() -> dict[str, dict[str, object]]:
    """Per demo dataset (and series), what rdflib reads from the demo file."""
    g = rdflib.Graph()
    g.parse(DEMO)
    out: dict[str, dict[str, object]] = {}
    datasets = set(g.subjects(RDF["type"], DCAT["Dataset"])) | set(g.subjects(RDF["type"], SERIES))
    for ds in datasets:
        facts: dict[str, object] = {
            facet: {str(o) for o in g.objects(ds, prop)} for facet, prop in PROPS.items()
        }
        dists = list(g.objects(ds, DCAT["distribution"]))
        facts["format"] = {str(f) for d in dists for f in g.objects(d, DCTERMS["format"])}
        issued = g.value(ds, DCTERMS["issued"])
        facts["year"] = {str(issued)[:4]} if issued is not None else set()
        facts["issued"] = str(issued) if issued is not None else None
        facts["modified"] = str(g.value(ds, DCTERMS["modified"]) or "") or None
        facts["kind"] = "series" if (ds, RDF["type"], SERIES) in g else "dataset"
        texts = [
            str(o)
            for p in (DCTERMS["title"], DCTERMS["description"], DCAT["keyword"])
            for o in g.objects(ds, p)
        ]
        facts["text"] = "\n".join(texts)
        facts["titles"] = "\n".join(str(o) for o in g.objects(ds, DCTERMS["title"]))
        out[str(ds)] = facts
    return out


def _all(index: SearchIndex, q: str = "", **kw: object) -> list[Hit]:
    return index.search(q, per_page=500, facets=False, **kw).hits


def _ids(hits: list[Hit]) -> set[str]:
    return {h.dataset for h in hits}


# ------------------------------------------------------------------ field extraction


def test_fields_of_a_record() -> None:
    triples = [q.triple for q in ox.parse(path=str(RECORD_VALID))]
    hit = fields(DM_RECORD, triples)
    assert hit is not None
    assert hit.dataset == DM and hit.record == DM_RECORD and hit.kind == "dataset"
    assert hit.title == {
        "zh": "糖尿病并发症预警数据集",
        "en": "Diabetes Complications Early-Warning Dataset",
    }
    assert hit.description["zh"].startswith("该数据集来自北京协和医院")
    assert set(hit.keywords) == {"糖尿病", "并发症", "diabetes"}
    assert hit.publisher == f"{BASE}/agent/nphdc"
    assert (hit.issued, hit.modified, hit.year) == ("2020-06-15", "2024-03-01", 2020)
    assert hit.domains == [DOM + "clinical-medicine"]
    assert hit.categories == [
        "https://w3id.org/hdcat/vocab/data-category/HS",
        "https://w3id.org/hdcat/vocab/data-category/MA",
    ]
    assert hit.levels == [LVL + "L3"]
    assert hit.modes == ["https://w3id.org/hdcat/vocab/sharing-mode/conditional"]
    assert hit.themes == ["http://publications.europa.eu/resource/authority/data-theme/HEAL"]
    # the dataset's standards only: not the record's profile, not the activity's
    assert hit.standards == [
        "https://w3id.org/hdcat/standard/gb-t-14396",
        "https://w3id.org/hdcat/standard/ws-t-363",
    ]
    assert hit.formats == ["http://publications.europa.eu/resource/authority/file-type/CSV"]


def test_fields_language_tags_and_non_records() -> None:
    rec, ds = ox.NamedNode(f"{BASE}/record/x"), ox.NamedNode(f"{BASE}/dataset/x")
    title = ox.NamedNode("http://purl.org/dc/terms/title")
    triples = [
        ox.Triple(rec, ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic"), ds),
        ox.Triple(ds, ox.NamedNode(str(RDF["type"])), ox.NamedNode(str(SERIES))),
        ox.Triple(ds, title, ox.Literal("肺癌筛查", language="zh-Hans")),
        ox.Triple(ds, title, ox.Literal("Lung cancer screening", language="en-GB")),
        ox.Triple(ds, title, ox.Literal("plain")),
    ]
    hit = fields(rec.value, triples)
    assert hit is not None and hit.kind == "series"
    assert hit.title == {"zh": "肺癌筛查", "en": "Lung cancer screening", "": "plain"}
    assert fields("urn:hdcat:graph:agents", triples) is None
    assert fields(rec.value, triples[:1]) is None  # untyped topic: not a dataset
    assert fields("not an iri", triples) is None


# ------------------------------------------------------------------ text search


def test_counts(index: SearchIndex, truth: dict) -> None:
    assert index.count() == len(truth) == 73
    kinds = Counter(f["kind"] for f in truth.values())
    assert index.facet_counts("kind") == [("dataset", 70), ("series", 3)]
    assert kinds == {"dataset": 70, "series": 3}
    assert index.search("").total == 73
    assert index.search("", filters={"kind": ["series"]}).total == 3


@pytest.mark.parametrize(
    "q", ["糖尿病", "新冠", "体检", "出生缺陷", "卒中", "甲状腺", "尿病", "病患者", "核酸检测"]
)
def test_chinese_substrings(index: SearchIndex, truth: dict, q: str) -> None:
    """A Chinese query finds exactly the datasets whose texts contain it, however jieba
    segments them (尿病 and 病患者 are no words)."""
    expected = {ds for ds, f in truth.items() if q in f["text"]}
    assert expected
    assert _ids(_all(index, q)) == expected


def test_chinese_titles(index: SearchIndex) -> None:
    titles = {h.title["zh"] for h in _all(index, "糖尿病")}
    assert {"糖尿病并发症预警数据集", "广东省妊娠糖尿病出生队列数据集"} <= titles
    assert {h.title["zh"] for h in _all(index, "体检")} == {
        "浙江省成人健康体检纵向队列数据集",
        "浙江省居民健康体检原始记录",
    }
    assert "北京市核酸检测服务医疗卫生机构数据集" in {h.title["zh"] for h in _all(index, "新冠")}
    assert "四川省母婴健康关联研究数据集" in {h.title["zh"] for h in _all(index, "出生缺陷")}


def test_lung_cancer_and_segmentation(tmp_path: Path) -> None:
    """肺癌 is not in the demo: index a few hits directly."""
    index = SearchIndex(tmp_path / "s.sqlite")

    def hit(i: int, zh: str, en: str = "", desc: str = "") -> Hit:
        return Hit(
            f"{BASE}/dataset/t{i}", f"{BASE}/record/t{i}", {"zh": zh, "en": en},
            {"zh": desc}, [], None, f"2020-01-0{i}", None, 2020,
        )  # fmt: skip

    index.rebuild_hits(
        [
            hit(1, "非小细胞肺癌靶向治疗队列", "Non-small cell lung cancer cohort"),
            hit(2, "肺部癌症筛查", "Lung screening", "包括早期肺癌病例"),
            hit(3, "新生儿出生缺陷监测", "Birth defects"),
            hit(4, "中华人民共和国卫生统计", "Health statistics"),
            hit(5, "肺结节与癌前病变", "Pulmonary nodules"),
        ]
    )
    found = _all(index, "肺癌")
    assert [h.dataset for h in found] == [f"{BASE}/dataset/t1", f"{BASE}/dataset/t2"]
    assert found[0].score > found[1].score  # title before description
    assert "<mark>肺癌</mark>" in found[1].snippet
    assert _ids(_all(index, "出生缺陷")) == {f"{BASE}/dataset/t3"}
    assert _ids(_all(index, "人民共和")) == {f"{BASE}/dataset/t4"}
    assert _ids(_all(index, "癌")) == {f"{BASE}/dataset/t{i}" for i in (1, 2, 5)}
    assert _ids(_all(index, "lung cancer")) == {f"{BASE}/dataset/t1"}
    assert _ids(_all(index, "LUNG")) == {f"{BASE}/dataset/t1", f"{BASE}/dataset/t2"}
    index.close()


@pytest.mark.parametrize(
    ("q", "pattern"),
    [
        ("diabetes", r"\bdiabetes\b"),
        ("Diabetes", r"\bdiabetes\b"),
        ("STROKE", r"\bstrokes?\b"),
        ("cohorts", r"\bcohorts?\b"),
        ("tuberculosis", r"\btuberculosis\b"),
    ],
)
def test_english_words(index: SearchIndex, truth: dict, q: str, pattern: str) -> None:
    expected = {ds for ds, f in truth.items() if re.search(pattern, f["text"], re.I)}
    assert expected
    assert _ids(_all(index, q)) == expected


def test_english_titles(index: SearchIndex) -> None:
    titles = {h.title["en"] for h in _all(index, "diabetes")}
    assert "Diabetes Complications Early-Warning Dataset" in titles
    assert "Guangdong Gestational Diabetes Birth Cohort" in titles
    assert _ids(_all(index, "diabetes complications")) >= {DM}
    assert _ids(_all(index, "diabetes 并发症")) >= {DM}


@pytest.mark.parametrize("q", ["糖尿病", "diabetes", "监测", "surveillance"])
def test_title_matches_rank_first(index: SearchIndex, truth: dict, q: str) -> None:
    hits = _all(index, q)
    in_title = [bool(re.search(re.escape(q), truth[h.dataset]["titles"], re.I)) for h in hits]
    assert any(in_title) and not all(in_title)
    assert in_title == sorted(in_title, reverse=True)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0


def _ranked_hits() -> list[Hit]:
    """Hits holding asthma / 哮喘 in their title, keywords and description in every way, the
    older ones the more relevant."""

    def hit(i: int, year: int, title: bool, keyword: bool) -> Hit:
        return Hit(
            f"{BASE}/dataset/r{i}",
            f"{BASE}/record/r{i}",
            {"en": "Asthma cohort" if title else "Cohort", "zh": "哮喘队列" if title else "队列"},
            {"en": "Children with asthma.", "zh": "哮喘儿童。"},
            ["asthma", "哮喘"] if keyword else ["cohort"],
            None, f"{year}-01-01", None, year,
        )  # fmt: skip

    return [
        hit(1, 2026, False, False),  # description only: 1
        hit(2, 2025, False, True),  # keywords: 5
        hit(3, 2024, True, False),  # title: 11
        hit(4, 2019, True, True),  # title and keywords: 15
        hit(5, 2020, True, False),  # title, older than r3
        Hit(f"{BASE}/dataset/r6", f"{BASE}/record/r6", {"en": "Other"}, {"en": "x"}, [],
            None, "2027-01-01", None, 2027),  # fmt: skip
    ]


@pytest.mark.parametrize("q", ["asthma", "哮喘", "ASTHMA 哮喘"])
def test_relevance_tiers(tmp_path: Path, q: str) -> None:
    """Relevance: all terms in the title (+10) and in the keywords (+4) beyond a match
    anywhere (1); equal scores newest first. The same on a first search and asked again."""
    index = SearchIndex(tmp_path / "s.sqlite")
    index.rebuild_hits(_ranked_hits())
    expected = [f"{BASE}/dataset/r{i}" for i in (4, 3, 5, 2, 1)]
    for _ in range(2):
        r = index.search(q, per_page=10)
        assert [h.dataset for h in r.hits] == expected
        assert [h.score for h in r.hits] == [15.0, 11.0, 11.0, 5.0, 1.0]
        pages = [h.dataset for p in (1, 2, 3) for h in index.search(q, page=p, per_page=2).hits]
        assert pages == expected
    r = index.search(q, filters={"year": ["2024", "2025", "2026"]}, per_page=2, page=2)
    assert [h.dataset for h in r.hits] == [f"{BASE}/dataset/r1"] and r.total == 3
    assert [h.score for h in index.search(q, sort="newest").hits] == [0.0] * 5
    index.close()


def test_index_of_schema_1_is_upgraded_in_place(tmp_path: Path) -> None:
    """Version 1 had no head table: it is made from the indexed text, nothing re-indexed."""
    path = tmp_path / "s.sqlite"
    index = SearchIndex(path)
    index.rebuild_hits(_ranked_hits())
    expected = [h.dataset for h in index.search("asthma").hits]
    index.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE head")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    conn.commit()
    conn.close()
    index = SearchIndex(path)
    assert index.count() == 6
    assert [h.dataset for h in index.search("asthma").hits] == expected
    assert [h.score for h in index.search("哮喘").hits] == [15.0, 11.0, 11.0, 5.0, 1.0]
    index.close()


def test_bitmaps_of_ids() -> None:
    assert _to_bits([]) == 0 and _to_bits([0]) == 1
    assert _to_bits([1, 3]) == _to_bits([3, 1]) == _to_bits(iter([3, 1, 3])) == 0b1010
    big = [5, 100_000, 77]
    assert _to_bits(big) == (1 << 5) | (1 << 100_000) | (1 << 77)


def test_snippet_is_escaped_and_marked(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "s.sqlite")
    index.rebuild_hits(
        [
            Hit(
                f"{BASE}/dataset/x",
                f"{BASE}/record/x",
                {"en": "x"},
                {"en": "<script>alert(1)</script> & diabetes data"},
                [],
                None,
                None,
                None,
                None,
            )  # fmt: skip
        ]
    )
    (hit,) = _all(index, "diabetes")
    assert hit.snippet == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>diabetes</mark> data"
    assert index.get(f"{BASE}/dataset/x").snippet.startswith("&lt;script&gt;")
    index.close()


# ------------------------------------------------------------------ facets


def _expected_counts(truth: dict, facet: str, where=lambda f: True) -> list[tuple[str, int]]:
    c = Counter(v for f in truth.values() if where(f) for v in f[facet])
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


@pytest.mark.parametrize("facet", [f for f in FACETS if f != "year"])
def test_facet_counts_match_rdflib(index: SearchIndex, truth: dict, facet: str) -> None:
    expected = _expected_counts(truth, facet)
    assert expected
    assert index.facet_counts(facet) == expected
    assert index.search("").facets[facet] == expected


def test_year_facet(index: SearchIndex, truth: dict) -> None:
    expected = Counter(y for f in truth.values() for y in f["year"])
    counts = index.facet_counts("year")
    assert dict(counts) == expected
    assert [y for y, _ in counts] == sorted(expected, reverse=True)
    assert index.search("", filters={"year": ["2023"]}).total == expected["2023"]
    assert index.search("", filters={"year": [2023]}).total == expected["2023"]


def test_filters_and_or(index: SearchIndex, truth: dict) -> None:
    l3, l4, cm = LVL + "L3", LVL + "L4", DOM + "clinical-medicine"
    r = index.search("", filters={"level": [l3]})
    assert r.total == sum(l3 in f["level"] for f in truth.values())
    r = index.search("", filters={"level": [l3, l4]}, per_page=100)
    expected = {ds for ds, f in truth.items() if f["level"] & {l3, l4}}
    assert r.total == len(expected) and _ids(r.hits) == expected
    r = index.search("", filters={"level": [l3, l4], "domain": [cm]}, per_page=100)
    expected = {ds for ds, f in truth.items() if f["level"] & {l3, l4} and cm in f["domain"]}
    assert expected and r.total == len(expected) and _ids(r.hits) == expected
    # counts: each facet under the other facets' filters
    assert r.facets["level"] == _expected_counts(truth, "level", lambda f: cm in f["domain"])
    assert r.facets["domain"] == _expected_counts(truth, "domain", lambda f: f["level"] & {l3, l4})
    assert r.facets["mode"] == _expected_counts(
        truth, "mode", lambda f: f["level"] & {l3, l4} and cm in f["domain"]
    )
    assert index.facet_counts("domain", {"level": [l3]}) == _expected_counts(
        truth, "domain", lambda f: l3 in f["level"]
    )


def test_facets_with_a_query(index: SearchIndex, truth: dict) -> None:
    r = index.search("糖尿病", filters={"level": [LVL + "L3"]})
    has = lambda f: "糖尿病" in f["text"]  # noqa: E731
    assert r.facets["level"] == _expected_counts(truth, "level", has)
    assert r.facets["category"] == _expected_counts(
        truth, "category", lambda f: has(f) and LVL + "L3" in f["level"]
    )
    assert r.total == sum(has(f) and LVL + "L3" in f["level"] for f in truth.values())


def test_unknown_and_selected_values(index: SearchIndex) -> None:
    r = index.search("", filters={"level": ["urn:nothing"], "no-such-facet": ["x"]})
    assert r.total == 0 and r.hits == [] and r.pages == 0
    assert ("urn:nothing", 0) in r.facets["level"]  # a selected value stays visible
    assert index.search("", filters={"level": []}).total == 73
    with pytest.raises(ValueError):
        index.facet_counts("colour")


# ------------------------------------------------------------------ sorting and paging


def _date_key(f: dict) -> str:
    return f["issued"] or f["modified"] or ""


def test_sort_newest(index: SearchIndex, truth: dict) -> None:
    hits = _all(index, "", sort="newest")
    dates = [h.issued or h.modified or "" for h in hits]
    assert len(hits) == 73 and dates == sorted(dates, reverse=True)
    assert dates[0] == max(_date_key(f) for f in truth.values())
    assert [h.dataset for h in _all(index, "")] == [h.dataset for h in hits]  # default
    assert [h.dataset for h in index.newest(5)] == [h.dataset for h in hits[:5]]
    assert all(h.kind == "series" for h in index.newest(3, kind="series"))
    hits = _all(index, "糖尿病", sort="newest")
    dates = [h.issued for h in hits]
    assert len(dates) > 3 and dates == sorted(dates, reverse=True)


def test_sort_title(index: SearchIndex) -> None:
    hits = _all(index, "", sort="title")
    keys = [(h.title.get("zh") or h.title.get("en", "")).casefold() for h in hits]
    assert len(hits) == 73 and keys == sorted(keys)
    hits = _all(index, "", sort="title", filters={"level": [LVL + "L2"]})
    keys = [h.title["zh"].casefold() for h in hits]
    assert keys == sorted(keys)


@pytest.mark.parametrize("sort", ["relevance", "newest", "title"])
def test_paging(index: SearchIndex, sort: str) -> None:
    for q in ("", "数据", "data"):
        full = [h.dataset for h in _all(index, q, sort=sort)]
        pages = []
        r = index.search(q, sort=sort, per_page=7, facets=False)
        assert r.pages == -(-r.total // 7) and r.total == len(full)
        for page in range(1, r.pages + 1):
            pages += [h.dataset for h in index.search(q, sort=sort, page=page, per_page=7).hits]
        assert pages == full
        beyond = index.search(q, sort=sort, page=r.pages + 1, per_page=7)
        assert beyond.hits == [] and beyond.total == len(full) and beyond.page == r.pages + 1
        assert index.search(q, sort=sort, page=500).hits == []


def test_get(index: SearchIndex) -> None:
    hit = index.get(DM)
    assert hit is not None and hit.title["zh"] == "糖尿病并发症预警数据集"
    assert index.get(DM_RECORD) == hit
    assert index.get(f"{BASE}/dataset/nope") is None


# ------------------------------------------------------------------ hostile input


@pytest.mark.parametrize(
    "q", ['"', "AND (", "*", "NEAR(", "OR", "-", "^", "a:b", "title:x", '"unterminated', "()",
          "NOT", "''", "\x00", "🙂", "\u200b", "一" * 5000, "a " * 300, "{title}: x", "肺癌*"]
)  # fmt: skip
def test_hostile_queries(index: SearchIndex, q: str) -> None:
    r = index.search(q, filters={"level": ['"', "*"]}, sort="bogus", page=-3, per_page=10**9)
    assert r.page == 1 and r.per_page <= 500 and isinstance(r.total, int)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    q=st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('"*()^:-+{}NEAR肺癌 ')),
    sort=st.sampled_from(["relevance", "newest", "title", "x"]),
    page=st.integers(min_value=-5, max_value=10**6),
)
def test_search_never_raises(index: SearchIndex, q: str, sort: str, page: int) -> None:
    r = index.search(q, sort=sort, page=page, per_page=5, filters={"year": [q]})
    assert r.total >= 0 and len(r.hits) <= 5
    assert all("<" not in re.sub(r"</?mark>", "", h.snippet) for h in r.hits)
    parse_query(q)


def test_threads(index: SearchIndex) -> None:
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for q in ("糖尿病", "diabetes", "", "卒中")[i % 4 :] * 10:
                assert index.search(q, page=1 + i % 3).total >= 0
        except BaseException as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


# ------------------------------------------------------------------ keeping in step


def test_rebuild_is_idempotent(demo: tuple[Catalog, SearchIndex]) -> None:
    catalog, index = demo
    before = index.search("糖尿病", per_page=100)
    assert index.rebuild(catalog) == 73
    after = index.search("糖尿病", per_page=100)
    assert [h.dataset for h in after.hits] == [h.dataset for h in before.hits]
    assert after.facets == before.facets and index.count() == 73


def test_apply_follows_writes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    catalog = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store"))
    catalog.initialize()
    assert catalog.load([RECORD_VALID], validate=False).ok
    index = SearchIndex(tmp_path / "index" / "search.sqlite")
    assert index.rebuild(catalog) == 1
    assert _ids(_all(index, "预警")) == {DM}
    catalog.on_write(lambda graphs: index.apply(catalog, graphs))

    changed = tmp_path / "changed.ttl"
    text = RECORD_VALID.read_text(encoding="utf-8")
    text = text.replace("糖尿病并发症预警数据集", "妊娠期肺癌随访数据集").replace(
        "Diabetes Complications Early-Warning Dataset", "Pregnancy Lung Cancer Follow-up"
    )
    changed.write_text(text, encoding="utf-8")
    assert catalog.load([changed], validate=False).ok
    assert index.count() == 1
    assert _ids(_all(index, "肺癌")) == {DM}
    assert _ids(_all(index, "pregnancy")) == {DM}
    assert _all(index, "预警") == [] and _all(index, "warning") == []
    assert index.get(DM).title["zh"] == "妊娠期肺癌随访数据集"
    assert not index.stale

    # non-record graphs are ignored; a dropped record graph disappears
    index.apply(catalog, {"urn:hdcat:graph:agents": [], "urn:hdcat:graph:catalog": []})
    assert index.count() == 1
    catalog.store.drop_graphs([DM_RECORD])
    index.apply(catalog, {DM_RECORD: []})
    assert index.count() == 0 and index.get(DM) is None
    assert index.search("肺癌").total == 0 and index.facet_counts("level") == []

    # a second index on the same file (another process) sees the writes
    assert catalog.load([RECORD_VALID], validate=False).ok
    other = SearchIndex(tmp_path / "index" / "search.sqlite")
    assert _ids(_all(other, "预警")) == {DM}
    other.close()
    index.close()
    catalog.close()


def test_index_file_is_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "search.sqlite"
    index = SearchIndex(path)
    assert path.exists() and index.count() == 0
    assert index.search("糖尿病").total == 0 and index.newest() == []
    index.close()
    shutil.rmtree(tmp_path / "deep")
