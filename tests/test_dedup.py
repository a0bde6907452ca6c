"""The duplicate check (hdcat.dedup): text features, the index kept in step with writes, the
checks on the real demo catalog, the catalog-wide pass, the API, pages, CLI and decisions."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from hdcat import dedup
from hdcat.accounts import Accounts
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.dedup import (
    CANDIDATES,
    Decisions,
    DedupIndex,
    _accumulate,
    _members,
    _top,
    dedup_index,
    read_plans,
)
from hdcat.dedup_features import (
    DUPLICATE_AT,
    Analyzer,
    Profile,
    band,
    compare,
    parse_size,
    score,
    standard_key,
    year_of,
    years_in_text,
)
from hdcat.state import PrivateState
from hdcat.store import EmbeddedStore

HERE = Path(__file__).parent
ROOT = HERE.parent
BASE = "https://hdcat.example.org"
DM = f"{BASE}/dataset/dm-complications-2020"
SEPSIS = f"{BASE}/dataset/sepsis-icu-pumch"
HFMD = f"{BASE}/dataset/hfmd-surveillance-gd"
PASSWORD = "correct horse battery staple 42"


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    """The demo catalog, its duplicate-check index opened before it is loaded (so the index
    is made by the write listener), and a copy of one dataset under another IRI, as if
    harvested again from a regional platform."""
    data = tmp_path_factory.mktemp("dedup-demo")
    catalog = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store"))
    catalog.initialize()
    index = dedup_index(catalog)
    assert index.count() == 0
    report = catalog.initialize(demo=True)
    assert report is not None and report.ok
    copy = [_rename(t, "sepsis-icu-pumch", "sepsis-icu-gdhdp-copy")
            for t in catalog.record_triples(f"{BASE}/record/sepsis-icu-pumch")]
    report = catalog.load_triples(copy, source="test", validate=False)
    assert report.ok and len(report.stored) == 1
    yield catalog
    catalog.close()


def _rename(t: ox.Triple, old: str, new: str) -> ox.Triple:
    def term(x: object) -> object:
        if isinstance(x, ox.NamedNode) and old in x.value:
            return ox.NamedNode(x.value.replace(old, new))
        return x

    return ox.Triple(term(t.subject), t.predicate, term(t.object))


@pytest.fixture(scope="module")
def index(demo: Catalog) -> DedupIndex:
    return dedup_index(demo)


@pytest.fixture(scope="module")
def client(demo: Catalog) -> FlaskClient:
    from service.app import create_app

    accounts = Accounts(PrivateState.of(demo.settings.data_dir))
    accounts.add("carol", PASSWORD, "curator")
    accounts.add("alice", PASSWORD, "submitter")
    app = create_app(demo)
    app.testing = True
    return app.test_client()


def _check(index: DedupIndex, demo: Catalog, plan: dict, lang: str = "en") -> list:
    return index.check(plan, lang=lang, catalog=demo)


# ------------------------------------------------------------------ text features


def test_lexicon_makes_languages_and_abbreviations_meet() -> None:
    a = Analyzer()
    zh = set(a.units("北京协和医院 2 型糖尿病患者电子病历原始抽取"))
    en = set(a.units("PUMCH T2DM EMR raw extract"))
    assert {"c:t2dm", "c:diabetes", "c:emr", "c:raw-data"} <= zh & en
    icu = set(a.units("重症监护病房脓毒症")) & set(a.units("Intensive Care Unit sepsis"))
    assert "c:icu" in icu
    assert "c:copd" in a.units("慢阻肺") and "c:copd" in a.units("COPD cohort")
    # no concept is read inside a longer Latin word
    assert "c:ct" not in a.units("The actual data")
    assert a.regions("广东省手足口病") == ["cn.gd"] == a.regions("HFMD in Guangdong")
    assert a.units("全国医疗卫生机构资源统计 2021 版")[-3:] != a.units("... 2022 edition")[-3:]
    assert "v:e2021" in a.units("全国医疗卫生机构资源统计 2021 版")


def test_keys_of_standards_dates_and_sizes() -> None:
    assert standard_key("WS/T 363-2023") == standard_key("ws-t-363") == "ws363"
    assert standard_key("https://w3id.org/hdcat/standard/gb-t-14396") == "gb14396"
    assert standard_key("ICD-10") == "icd10"
    assert year_of("2015") == 2015.0 and year_of("2019", end=True) == 2020.0
    assert 2015.0 < year_of("2015-07-01") < 2015.6
    assert years_in_text("广东省登革热（2013—2019）") == (2013.0, 2020.0)
    assert years_in_text("cases from 2014 to 2016") == (2014.0, 2017.0)
    assert years_in_text("全国医疗卫生机构资源统计 2021 版") is None
    assert parse_size("3.5万") == 35000 and parse_size("35,000 patients") == 35000
    assert parse_size("2 million") == 2_000_000 and parse_size("many") is None


def test_a_chinese_plan_meets_an_english_only_title_through_the_lexicon() -> None:
    a = Analyzer()
    doc = Profile(dataset="urn:d", titles={"en": "x"},
                  tu={"en": a.units("Electronic health records of T2DM patients, Beijing")})
    same = Profile(tu={"zh": a.units("北京市2型糖尿病患者电子病历")})
    other = Profile(tu={"zh": a.units("北京市高血压患者体检数据")})

    def weight(_unit: str) -> float:
        return 1.0

    near, far = compare(same, doc, weight).features, compare(other, doc, weight).features
    assert near["title"] > 0.8 > 0.5 > far["title"]
    assert far["title_swap"] > 0


def test_score_is_a_probability_and_bands_follow_it() -> None:
    assert 0.0 < score({}) < 0.01
    same = {"title": 1, "title_cover": 1, "time_known": 1, "time": 1, "title_x_time": 1,
            "region_same": 1}
    assert score(same) > 0.95
    added = {**same, "title": 0.75, "title_cover": 1.0, "title_x_time": 0.75}
    assert score(added) > DUPLICATE_AT  # a plan that adds words to a catalogued title
    # ...but not one that names another disease or kind of data in their place
    assert score({**added, "title_cover": 0.75, "title_swap": 0.3}) < DUPLICATE_AT
    assert score({**same, "region_same": 0, "region_conflict": 1}) < DUPLICATE_AT
    assert score({**same, "time": 0.2, "title_x_time": 0.2}) < DUPLICATE_AT
    assert score({**same, "identifier": 1, "title": 0.3, "title_cover": 0.3}) > 0.95
    assert band(0.99) == "duplicate" and band(0.2) == "overlap" and band(0.01) == "distinct"


def test_bit_sliced_sums_match_brute_force() -> None:
    rng = random.Random(7)
    for _ in range(30):
        n = rng.randint(1, 400)
        maps = [(rng.getrandbits(n), rng.randint(1, 15)) for _ in range(rng.randint(1, 12))]
        planes: list[int] = []
        universe = 0
        for bits, w in maps:
            _accumulate(planes, bits, w)
            universe |= bits
        sums = [sum(w for bits, w in maps if bits >> d & 1) for d in range(n)]
        for d in range(n):
            assert sum(1 << i for i, p in enumerate(planes) if p >> d & 1) == sums[d]
        k = rng.randint(1, 20)
        sure, tied = _top(planes, universe, k)
        chosen = set(_members(sure)) | set(_members(tied))
        assert len(_members(sure)) <= k <= len(chosen) or len(chosen) == bin(universe).count("1")
        if chosen:
            floor = min(sums[d] for d in chosen)
            # nothing left out scores above what was chosen
            assert all(sums[d] <= floor for d in range(n) if d not in chosen)


# ------------------------------------------------------------------ checks on the demo


def test_index_holds_every_dataset_and_no_series(index: DedupIndex) -> None:
    assert index.count() == 71  # 70 demo datasets and the copy; the 3 series are not data
    assert index.records_seen() == 74


def test_chinese_plan_finds_the_dataset_described_in_chinese(index: DedupIndex,
                                                             demo: Catalog) -> None:
    matches = _check(index, demo, {"title": "糖尿病并发症预警数据"}, "zh")
    assert matches[0].dataset == DM and matches[0].band == "duplicate"
    assert matches[0].title == "糖尿病并发症预警数据集"
    assert any("糖尿病" in why for why in matches[0].why)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_english_plan_finds_its_english_title_despite_reordering_and_abbreviations(
        index: DedupIndex, demo: Catalog) -> None:
    for title in ("ICU Sepsis Patients Clinical Dataset",
                  "Clinical data of sepsis patients in the intensive care unit"):
        matches = _check(index, demo, {"title": title})
        top = {m.dataset for m in matches[:2]}
        assert SEPSIS in top, title
        assert next(m for m in matches if m.dataset == SEPSIS).band == "duplicate"


def test_time_range_region_and_publisher_decide_the_band(index: DedupIndex,
                                                         demo: Catalog) -> None:
    shifted = _check(index, demo, {"title": "广东省手足口病监测", "start": "2015", "end": "2023"})
    assert shifted[0].dataset == HFMD and shifted[0].band == "duplicate"
    assert any("overlapping time ranges" in w for w in shifted[0].why)
    disjoint = _check(index, demo, {"title": "广东省手足口病监测", "start": "1990", "end": "1995"})
    hfmd = next(m for m in disjoint if m.dataset == HFMD)
    assert hfmd.band != "duplicate"
    assert any("do not overlap" in w for w in hfmd.why)
    elsewhere = _check(index, demo, {"title": "四川省手足口病监测数据"})
    hfmd = next(m for m in elsewhere if m.dataset == HFMD)
    assert hfmd.band != "duplicate"
    assert any("different regions: Sichuan and Guangdong" in w for w in hfmd.why)
    other = _check(index, demo, {"title": "ICU sepsis clinical data",
                                 "institutions": "四川大学华西医院"})
    assert next(m for m in other if m.dataset == SEPSIS).band != "duplicate"
    same = _check(index, demo, {"title": "ICU sepsis clinical data",
                                "institutions": "北京协和医院"})
    assert any("Peking Union Medical College Hospital" in w
               for w in next(m for m in same if m.dataset == SEPSIS).why)


def test_full_plan_reasons_name_standards_and_domain(index: DedupIndex, demo: Catalog) -> None:
    plan = {"title_zh": "糖尿病并发症预警数据", "description": "2 型糖尿病患者随访数据",
            "keywords": ["糖尿病", "并发症"], "standards": ["WS/T 363", "GB/T 14396"],
            "domain": "临床医学", "start": "2015", "end": "2019", "size": "3.5万"}
    top = _check(index, demo, plan, "zh")[0]
    assert top.dataset == DM and top.band == "duplicate"
    text = " ".join(top.why)
    assert "共同标准：WS363, GB14396" in text and "同一领域：临床医学" in text
    assert "规模相近" in text


def test_unrelated_descriptions_never_land_in_the_duplicate_band(index: DedupIndex,
                                                                 demo: Catalog) -> None:
    for title in ("城市公交刷卡出行数据", "Global sea surface temperature reanalysis",
                  "沪深股市日交易数据", "Library loan records of a university"):
        assert all(m.band != "duplicate" for m in _check(index, demo, {"title": title}))
    with pytest.raises(ValueError):
        index.check({"keywords": ["糖尿病"]}, catalog=demo)


def test_a_check_compares_a_bounded_number_of_datasets(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Candidates come from the postings (or bitmaps) of the plan's keys; at most
    CANDIDATES profiles are read and compared, whatever the size of the catalog."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    path = tmp_path / "syn.nt"
    with path.open("w", encoding="utf-8") as f:
        generate.generate(400, f, turtle=False, seed=3)
    catalog = Catalog(Settings(data_dir=tmp_path), EmbeddedStore(tmp_path / "store"))
    catalog.initialize()
    assert catalog.load([path], validate=False).ok
    title = next(t.object.value for t in catalog.record_triples(f"{BASE}/record/syn-0000007")
                 if t.predicate.value.endswith("/title") and t.object.language == "zh")
    plan = {"title": title}
    found = {}
    for min_df in (10_000, 8):  # postings rows only, then bitmaps for every key held by 8+
        monkeypatch.setattr(dedup, "BITMAP_MIN_DF", min_df)
        idx = DedupIndex(tmp_path / f"dedup-{min_df}.sqlite")
        assert idx.rebuild(catalog) == 400
        with sqlite3.connect(idx.path) as c:
            bitmaps = c.execute("SELECT count(*) FROM bits").fetchone()[0]
        assert (bitmaps == 0) == (min_df == 10_000)
        idx._profiles.clear()
        matches = idx.check(plan, limit=CANDIDATES, catalog=catalog)
        assert 0 < len(idx._profiles) <= CANDIDATES < 400
        found[min_df] = [(m.dataset, round(m.score, 6)) for m in matches]
        assert matches[0].band == "duplicate" and matches[0].title == title
        idx.close()
    assert found[10_000] == found[8]
    catalog.close()


# ------------------------------------------------------------------ kept in step


def test_index_follows_writes_and_equals_a_rebuild(tmp_path: Path, demo: Catalog) -> None:
    data = tmp_path / "cat"
    catalog = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store"))
    catalog.initialize()
    index = dedup_index(catalog)
    plan = {"title": "糖尿病并发症预警数据"}
    assert index.check(plan, catalog=catalog) == []
    triples = demo.record_triples(f"{BASE}/record/dm-complications-2020")
    assert catalog.load_triples(triples, source="t", validate=False).ok
    assert index.check(plan, catalog=catalog)[0].dataset == DM
    renamed = [_rename(t, "dm-complications-2020", "dm-renamed") for t in triples]
    assert catalog.load_triples(renamed, source="t", validate=False).ok
    assert {m.dataset for m in index.check(plan, catalog=catalog)} == {
        DM, f"{BASE}/dataset/dm-renamed"}

    def tables(path: Path) -> tuple:
        with sqlite3.connect(path) as c:
            docs = {ds: json.loads(d) for ds, d in c.execute("SELECT dataset, data FROM docs")}
            ids = dict(c.execute("SELECT id, dataset FROM docs"))
            post = sorted((k, ids[d]) for k, d in c.execute("SELECT key, doc FROM post"))
            df = sorted(c.execute("SELECT unit, n FROM df"))
        return docs, post, df

    fresh = DedupIndex(tmp_path / "fresh.sqlite")
    assert fresh.rebuild(catalog) == 2
    assert tables(index.path) == tables(fresh.path)
    catalog.drop_records([f"{BASE}/record/dm-renamed"])
    assert [m.dataset for m in index.check(plan, catalog=catalog)] == [DM]
    assert index.count() == 1
    fresh.close()
    catalog.close()


def test_writes_made_without_the_index_are_caught_up_from_the_audit_chain(
        tmp_path: Path, demo: Catalog) -> None:
    """Another process (``hdcat load``) writes while no index follows: the next open applies
    those graphs, a replaced record too (same number of records)."""
    triples = demo.record_triples(f"{BASE}/record/hfmd-surveillance-gd")

    def opened() -> Catalog:
        return Catalog(Settings(data_dir=tmp_path), EmbeddedStore(tmp_path / "store"))

    first = opened()
    first.initialize()
    assert dedup_index(first).count() == 0
    first.close()
    second = opened()
    second.load_triples(triples, source="t", validate=False)  # no index open: not followed
    second.close()
    third = opened()
    index = dedup_index(third)
    assert index.count() == 1
    assert index.check({"title": "广东省手足口病监测"}, catalog=third)[0].dataset == HFMD
    third.close()
    fourth = opened()
    title = ox.NamedNode("http://purl.org/dc/terms/title")
    renamed = [t for t in triples if not (t.predicate == title and t.subject.value == HFMD)]
    new_title = ox.Literal("西藏包虫病筛查", language="zh")
    renamed.append(ox.Triple(ox.NamedNode(HFMD), title, new_title))
    fourth.load_triples(renamed, source="t", validate=False)
    fourth.close()
    fifth = opened()
    index = dedup_index(fifth)
    top = index.check({"title": "西藏包虫病筛查"}, catalog=fifth)[0]
    assert top.dataset == HFMD and top.title == "西藏包虫病筛查" and top.band == "duplicate"
    fifth.close()


# ------------------------------------------------------------------ catalog-wide


def test_catalog_pass_finds_the_copy_and_leaves_declared_lineage_out(index: DedupIndex) -> None:
    report = index.catalog_pass(workers=1)
    assert report.datasets == 71
    pairs = index.pairs()
    copy = f"{BASE}/dataset/sepsis-icu-gdhdp-copy"
    found = [p for p in pairs if {p.a, p.b} == {SEPSIS, copy}]
    assert found and found[0].band == "duplicate"
    assert any("same identifier" in w for w in found[0].why["en"])
    assert any("相同的标识符" in w for w in found[0].why["zh"])
    # raw extract -> published -> aggregate are declared lineage, not accidental duplicates
    lineage = {f"{BASE}/dataset/dm-complications-2020", f"{BASE}/dataset/pumch-emr-dm-raw"}
    assert not any({p.a, p.b} == lineage for p in pairs)
    assert all(p.declared for p in index.pairs(include_declared=True) if {p.a, p.b} == lineage)


def test_decisions_are_kept_in_the_private_state(tmp_path: Path) -> None:
    state = PrivateState.of(tmp_path)
    decisions = Decisions(state)
    decisions.decide("urn:b", "urn:a", "distinct", "carol", "different cohorts")
    assert decisions.get("urn:a", "urn:b")["decision"] == "distinct"
    decisions.decide("urn:a", "urn:b", "merge", "dave")
    assert decisions.all()[("urn:a", "urn:b")]["actor"] == "dave"
    with pytest.raises(ValueError):
        decisions.decide("urn:a", "urn:b", "maybe", "carol")
    state.close()
    again = PrivateState.of(tmp_path)
    assert Decisions(again).get("urn:b", "urn:a")["decision"] == "merge"
    again.close()


# ------------------------------------------------------------------ spreadsheets


def test_plans_are_read_from_csv_xlsx_and_json() -> None:
    text = ("编号,标题,起始年份,结束年份,机构\n"
            "P1,糖尿病并发症预警数据,2015,2019,北京协和医院\nP2,,,,\n")
    plans = read_plans(text.encode("utf-8-sig"), "plans.csv")
    assert plans == [{"id": "P1", "title": "糖尿病并发症预警数据", "start": "2015", "end": "2019",
                      "institutions": "北京协和医院"}]
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Title", "Title_en", "Start", "Size"])
    book.active.append(["手足口病监测", "HFMD surveillance", 2014, 5000])
    buf = io.BytesIO()
    book.save(buf)
    assert read_plans(buf.getvalue(), "plans.xlsx") == [
        {"title": "手足口病监测", "title_en": "HFMD surveillance", "start": 2014, "size": 5000}]
    assert read_plans(b'{"plans": [{"title": "x", "unknown": 1}]}', "p.json") == [{"title": "x"}]
    with pytest.raises(ValueError):
        read_plans(b"a,b\n1,2\n", "bad.csv")


def test_cli_checks_a_file_and_lists_pairs(demo: Catalog, index: DedupIndex,
                                           tmp_path: Path) -> None:
    from hdcat.cli import main

    path = tmp_path / "plans.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "title", "start", "end"])
        w.writerow(["p1", "ICU sepsis clinical data", "2014", "2021"])
        w.writerow(["p2", "城市公交刷卡出行数据", "", ""])
    runner = CliRunner()
    data = str(demo.settings.data_dir)
    obj = {"catalog": demo}  # the store is open here already: the command reuses it
    result = runner.invoke(main, ["--data", data, "dedup", str(path), "--json"], obj=obj,
                           catch_exceptions=False)
    out = json.loads(result.stdout)
    assert [r["plan"]["id"] for r in out] == ["p1", "p2"]
    assert out[0]["matches"][0]["band"] == "duplicate"
    assert out[0]["matches"][0]["dataset"] in (SEPSIS, f"{BASE}/dataset/sepsis-icu-gdhdp-copy")
    assert all(m["band"] != "duplicate" for m in out[1]["matches"])
    text = runner.invoke(main, ["--data", data, "dedup", str(path)], obj=obj).stdout
    assert "== p1 ICU sepsis clinical data" in text and "duplicate" in text
    listed = runner.invoke(main, ["--data", data, "dedup", "--catalog", "--workers", "1",
                                  "--json"], obj=obj)
    assert listed.exit_code == 0, listed.output
    pairs = json.loads(listed.stdout)
    assert any({p["a"], p["b"]} == {SEPSIS, f"{BASE}/dataset/sepsis-icu-gdhdp-copy"}
               for p in pairs)
    assert runner.invoke(main, ["--data", data, "dedup"], obj=obj).exit_code != 0


# ------------------------------------------------------------------ API and pages


def test_api_answers_matches_best_first(client: FlaskClient) -> None:
    r = client.post("/api/dedup", json={"title": "Diabetes complications early warning data",
                                        "start": "2015", "end": "2019", "lang": "zh"})
    assert r.status_code == 200
    matches = r.get_json()["matches"]
    assert matches[0]["dataset"] == DM and matches[0]["band"] == "duplicate"
    assert set(matches[0]) >= {"dataset", "score", "band", "why"}
    assert all(0 <= m["score"] <= 1 and m["band"] in ("duplicate", "overlap", "distinct")
               for m in matches)
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)
    assert any("时间范围重叠" in w for w in matches[0]["why"])
    assert client.post("/api/dedup", json={"keywords": "x"}).status_code == 400
    assert client.post("/api/dedup", json=["title"]).status_code == 400
    assert client.post("/api/dedup", data="title=x").status_code == 415
    doc = client.get("/api/openapi.json").get_json()
    assert "/api/dedup" in doc["paths"]


def _csrf(client: FlaskClient, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).get_data(True)).group(1)


def test_page_form_and_printable_report(client: FlaskClient) -> None:
    page = client.get("/dedup?lang=zh")
    assert page.status_code == 200 and 'name="title_zh"' in page.get_data(True)
    assert client.post("/dedup", data={"title_zh": "糖尿病"}).status_code == 400  # no CSRF
    csrf = _csrf(client, "/dedup")
    r = client.post("/dedup", data={"csrf": csrf, "title_zh": "糖尿病并发症预警<script>",
                                    "start": "2015", "end": "2019"})
    html = r.get_data(True)
    assert r.status_code == 200 and "查重报告" in html and "@media print" in html
    assert f'data-dataset="{DM}" data-band="duplicate"' in html
    assert 'href="/dataset/dm-complications-2020"' in html
    assert "<script>" not in html.split("<main", 1)[1] and "&lt;script&gt;" in html
    empty = client.post("/dedup", data={"csrf": csrf, "title_zh": ""})
    assert empty.status_code == 400 and "请至少填写标题或描述" in empty.get_data(True)


def test_batch_upload_reports_every_plan(client: FlaskClient) -> None:
    csrf = _csrf(client, "/dedup")
    body = "标题,起始年份,结束年份\n广东省手足口病监测,2014,2023\n城市公交刷卡出行数据,,\n"
    r = client.post("/dedup/batch", data={
        "csrf": csrf, "file": (io.BytesIO(body.encode("utf-8")), "plans.csv")},
        content_type="multipart/form-data")
    html = r.get_data(True)
    assert r.status_code == 200
    assert html.count('class="dedup-plan"') == 2
    assert f'data-dataset="{HFMD}" data-band="duplicate"' in html
    assert 'data-verdict="duplicate"' in html and "共 2 项计划数据" in html
    bad = client.post("/dedup/batch", data={
        "csrf": csrf, "file": (io.BytesIO(b"\x00\x01"), "plans.xlsx")},
        content_type="multipart/form-data")
    assert bad.status_code == 400


def _login(client: FlaskClient, name: str) -> None:
    csrf = _csrf(client, "/login")
    r = client.post("/login", data={"name": name, "password": PASSWORD, "csrf": csrf})
    assert r.status_code == 302


def test_curator_page_shows_pairs_and_keeps_decisions(demo: Catalog, index: DedupIndex,
                                                      client: FlaskClient) -> None:
    index.catalog_pass(workers=1)
    copy = f"{BASE}/dataset/sepsis-icu-gdhdp-copy"
    anonymous = demo_client(demo)
    assert anonymous.get("/dedup/pairs").status_code == 302
    _login(anonymous, "alice")
    assert anonymous.get("/dedup/pairs").status_code == 403
    _login(client, "carol")
    page = client.get("/dedup/pairs?lang=en").get_data(True)
    a, b = sorted((SEPSIS, copy))
    assert f'data-a="{a}" data-b="{b}"' in page
    csrf = _csrf(client, "/dedup/pairs")
    assert client.post("/dedup/pairs/decide", data={"a": a, "b": b, "decision": "distinct",
                                                    "csrf": "wrong"}).status_code == 400
    assert client.post("/dedup/pairs/decide", data={
        "a": a, "b": f"{BASE}/dataset/nothing", "decision": "merge",
        "csrf": csrf}).status_code == 404
    r = client.post("/dedup/pairs/decide", data={"a": a, "b": b, "decision": "distinct",
                                                 "note": "两个平台各自采集", "csrf": csrf})
    assert r.status_code == 302
    decided = Decisions(PrivateState.of(demo.settings.data_dir)).get(a, b)
    assert decided["note"] == "两个平台各自采集" and decided["actor"] == "carol"
    assert f'data-a="{a}"' not in client.get("/dedup/pairs").get_data(True)
    shown = client.get("/dedup/pairs?show=all").get_data(True)
    assert f'data-a="{a}"' in shown and "两个平台各自采集" in shown
    listed = client.get("/dedup/pairs?format=json&show=all").get_json()
    assert any(p.get("decision", {}).get("decision") == "distinct" for p in listed["pairs"])
    r = client.post("/dedup/pairs/decide", data={"a": a, "b": b, "decision": "merge",
                                                 "csrf": csrf})
    assert f'data-a="{a}"' in client.get("/dedup/pairs").get_data(True)


def demo_client(demo: Catalog) -> FlaskClient:
    from service.app import create_app

    app = create_app(demo)
    app.testing = True
    return app.test_client()
