"""Metadata quality (hdcat/quality.py): every indicator hit and missed by records built for
it, the weights and ratings, the DQV measurements in the public graph kept in step with
writes, the DCAT-AP compliance verdict, and link checks against a real HTTP server on
127.0.0.1 (only hosts the operator allows, with timeouts)."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from hdcat import quality
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.quality import INDICATOR, INDICATORS, Quality, QualitySettings

B = "https://q.example.org"
DQV = "http://www.w3.org/ns/dqv#"

PREFIXES = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix adms: <http://www.w3.org/ns/adms#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix hdcat: <https://w3id.org/hdcat/ns#> .
@prefix theme: <http://publications.europa.eu/resource/authority/data-theme/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix ar: <http://publications.europa.eu/resource/authority/access-right/> .
@prefix lic: <http://publications.europa.eu/resource/authority/licence/> .
@prefix ft: <http://publications.europa.eu/resource/authority/file-type/> .
@prefix text: <http://www.iana.org/assignments/media-types/text/> .
@prefix lvl: <https://w3id.org/hdcat/vocab/sensitivity-level/> .
@prefix cat: <https://w3id.org/hdcat/vocab/data-category/> .
@prefix share: <https://w3id.org/hdcat/vocab/sharing-mode/> .
@prefix proc: <https://w3id.org/hdcat/vocab/processing/> .
@prefix deid: <https://w3id.org/hdcat/vocab/deidentification/> .
"""


# ---------------------------------------------------------------------------- records


def record(name: str, base_url: str = "http://127.0.0.1:9/", **parts: str | None) -> str:
    """A Turtle record that hits every indicator; `parts` replace (or, with None, drop)
    its pieces by name."""
    ds = f"<{B}/dataset/{name}>"
    dist = f"<{B}/dataset/{name}#dist>"
    full: dict[str, str] = {
        "keyword": 'dcat:keyword "糖尿病"@zh , "diabetes"@en',
        "theme": "dcat:theme theme:HEAL",
        "spatial": "dct:spatial country:CHN",
        "temporal": f"dct:temporal <{B}/dataset/{name}#period>",
        "title": f'dct:title "数据集 {name}"@zh , "Dataset {name}"@en',
        "description": 'dct:description "中文描述"@zh , "An English description"@en',
        "access_rights": "dct:accessRights ar:PUBLIC",
        "licence": "dct:license lic:CC_BY_4_0",
        "rights": f"dct:rights <{B}/dataset/{name}#rights>",
        "contact": f"dcat:contactPoint <{B}/dataset/{name}#contact>",
        "publisher": f"dct:publisher <{B}/agent/pub-a>",
        "creator": f"dct:creator <{B}/agent/creator-a>",
        "issued": 'dct:issued "2021-03-01"^^xsd:date',
        "modified": 'dct:modified "2023-05-01"^^xsd:date',
        "level": "hdcat:sensitivityLevel lvl:L2",
        "category": "hdcat:dataCategory cat:HS",
        "mode": "hdcat:sharingMode share:open",
        "generated": f"prov:wasGeneratedBy <{B}/dataset/{name}#deid>",
        "derived": None,
        "provenance": None,
        "standards": "dct:conformsTo <https://w3id.org/hdcat/standard/ws-t-363>",
        "identifier": f"adms:identifier <{B}/dataset/{name}#cstr>",
        "cited": None,
        # the distribution
        "access_url": f"dcat:accessURL <{base_url}ok/{name}>",
        "download_url": f"dcat:downloadURL <{base_url}ok/{name}.csv>",
        "format": "dct:format ft:CSV",
        "media": "dcat:mediaType text:csv",
        "dist_licence": "dct:license lic:CC_BY_4_0",
        "byte_size": 'dcat:byteSize "1024"^^xsd:nonNegativeInteger',
        "extra_dist": None,
    }
    for key, value in parts.items():
        assert key in full, key
        full[key] = value
    ds_props = [v for k, v in full.items() if v and k not in (
        "access_url", "download_url", "format", "media", "dist_licence", "byte_size",
        "extra_dist")]
    dist_props = [v for k, v in full.items() if v and k in (
        "access_url", "download_url", "format", "media", "dist_licence", "byte_size")]
    dists = [dist]
    extra = ""
    if full["extra_dist"]:
        dists.append(f"<{B}/dataset/{name}#dist2>")
        extra = f"<{B}/dataset/{name}#dist2> a dcat:Distribution ; {full['extra_dist']} .\n"
    return PREFIXES + f"""
<{B}/record/{name}> a dcat:CatalogRecord ; foaf:primaryTopic {ds} ;
    dct:modified "2023-05-01"^^xsd:date .
{ds} a dcat:Dataset ; {" ; ".join(ds_props)} ;
    dcat:distribution {" , ".join(dists)} .
{dist} a dcat:Distribution ; {" ; ".join(dist_props) or "dct:title 'd'"} .
{extra}<{B}/dataset/{name}#period> a dct:PeriodOfTime ; dcat:startDate "2015-01-01"^^xsd:date .
<{B}/dataset/{name}#rights> a dct:RightsStatement ; rdfs:label "Cite the dataset."@en .
<{B}/dataset/{name}#contact> a vcard:Kind , vcard:Organization ;
    vcard:fn "Data service"@en ; vcard:hasEmail <mailto:data@q.example.org> .
<{B}/dataset/{name}#deid> a prov:Activity , hdcat:ProcessingActivity ;
    dct:type proc:deidentification ;
    hdcat:deidentificationMethod deid:k-anonymity .
<{B}/dataset/{name}#cstr> a adms:Identifier ;
    skos:notation "CSTR:A0006.11.Q0001.{name}"^^hdcat:CSTR .
"""


def triples(text: str) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(text.encode(), ox.RdfFormat.TURTLE)]


# ---------------------------------------------------------------------------- a local server


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def _answer(self) -> None:
        type(self).seen.append(self.path)
        if self.path.startswith("/ok/"):
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/slow/"):
            time.sleep(2.0)
            self.send_response(200)
            self.end_headers()
        elif self.path.startswith("/away/"):
            self.send_response(302)
            self.send_header("Location", "http://not-allowed.example.org/x")
            self.end_headers()
        elif self.path.startswith("/hop/"):
            self.send_response(301)
            self.send_header("Location", "/ok/hopped")
            self.end_headers()
        elif self.path.startswith("/nohead/") and self.command == "HEAD":
            self.send_response(405)
            self.end_headers()
        elif self.path.startswith("/nohead/"):
            self.send_response(200)
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()

    do_GET = _answer  # noqa: N815
    do_HEAD = _answer  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


# ---------------------------------------------------------------------------- a catalog


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    data = tmp_path_factory.mktemp("quality")
    cat = Catalog(Settings(data_dir=data, base_iri=B))
    cat.initialize()
    yield cat
    cat.close()


@pytest.fixture(scope="module")
def q(catalog: Catalog) -> Quality:
    settings = QualitySettings(allowed_hosts=("127.0.0.1",), check_timeout=0.5,
                               recheck_after=0.0)
    return Quality(catalog, settings=settings).attach()


def put(catalog: Catalog, text: str) -> None:
    report = catalog.load_triples(triples(text), source="test", validate=False)
    assert report.written and report.stored, report


def score_of(q: Quality, name: str) -> quality.Score:
    stored = q.get(f"{B}/record/{name}")
    assert stored is not None, name
    return stored.score


# ---------------------------------------------------------------------------- weights


def test_weights_ratings_and_dimensions() -> None:
    assert quality.MQA_MAX == 405
    assert {d.key: quality.dimension_max(d.key) for d in quality.DIMENSIONS} == {
        "findability": 100, "accessibility": 100, "interoperability": 110,
        "reusability": 75, "contextuality": 20, "health": 100}
    weights = {i.key: i.weight for i in INDICATORS}
    assert weights["keywordAvailability"] == 30 and weights["accessUrlStatusCode"] == 50
    assert weights["dcatApCompliance"] == 30 and weights["accessRightsVocabularyAlignment"] == 5
    for total, expected in ((405, "excellent"), (351, "excellent"), (350, "good"),
                            (221, "good"), (220, "sufficient"), (121, "sufficient"),
                            (120, "bad"), (0, "bad")):
        assert quality.rating(total) == expected, total


# ---------------------------------------------------------------------------- indicators


def test_full_record_scores_everything_once_its_links_are_checked(
        catalog: Catalog, q: Quality, server: str) -> None:
    put(catalog, record("full", base_url=server))
    before = score_of(q, "full")
    # Never checked: the reachability indicators score nothing yet, and no request was made.
    assert before.points["accessUrlStatusCode"] == 0
    assert before.points["downloadUrlStatusCode"] == 0
    assert before.total == 405 - 80
    done = q.check_links()
    assert done["checked"] >= 2 and done["rescored"] >= 1
    after = score_of(q, "full")
    assert after.points == {i.key: i.weight for i in INDICATORS}, after.lost()
    assert after.total == 405 and after.rating == "excellent" and after.health == 100
    assert after.advice("en") == []


MISSES: dict[str, dict[str, str | None]] = {
    "keywordAvailability": {"keyword": None},
    "categoryAvailability": {"theme": None},
    "spatialAvailability": {"spatial": None},
    "temporalAvailability": {"temporal": None},
    "accessUrlStatusCode": {"access_url": "dcat:accessURL <{url}missing/a>"},
    "downloadUrlAvailability": {"download_url": None},
    "downloadUrlStatusCode": {"download_url": "dcat:downloadURL <{url}missing/a.csv>"},
    "formatAvailability": {"format": None},
    "mediaTypeAvailability": {"media": None},
    "formatMediaTypeVocabularyAlignment": {
        "format": "dct:format <https://q.example.org/format/own>",
        "media": "dcat:mediaType <https://q.example.org/media/own>"},
    "formatMediaTypeNonProprietary": {"format": "dct:format ft:XLSX"},
    "formatMediaTypeMachineInterpretable": {"format": "dct:format ft:PDF"},
    "dcatApCompliance": {"description": None},
    "licenceAvailability": {"licence": None, "dist_licence": None},
    "knownLicence": {"licence": "dct:license <https://q.example.org/licence/own>",
                     "dist_licence": None},
    "accessRightsAvailability": {"access_rights": None},
    "accessRightsVocabularyAlignment": {
        "access_rights": "dct:accessRights <https://q.example.org/rights/open>"},
    "contactPointAvailability": {"contact": None},
    "publisherAvailability": {"publisher": None},
    "rightsAvailability": {"rights": None},
    "byteSizeAvailability": {"byte_size": None},
    "dateIssuedAvailability": {"issued": None},
    "dateModifiedAvailability": {"modified": None},
    "sensitivityCategoryAvailability": {"level": None},
    "deidentificationDocumented": {"generated": None,
                                   "provenance": "dct:provenance <https://q.example.org/p>"},
    "lineageAvailability": {"generated": None, "category": "hdcat:dataCategory "
                                                           "cat:HR"},
    "standardsDeclared": {"standards": None},
    "bilingualTitleDescription": {"description": 'dct:description "只有中文"@zh'},
    "persistentIdentifierAvailability": {"identifier": None},
}


def test_every_indicator_has_a_miss_case() -> None:
    assert set(MISSES) == set(INDICATOR)


@pytest.mark.parametrize("key", list(MISSES))
def test_indicator_hit_and_miss(catalog: Catalog, q: Quality, server: str, key: str) -> None:
    name = f"miss-{key}"
    parts = {k: (v.format(url=server) if v else v) for k, v in MISSES[key].items()}
    put(catalog, record(name, base_url=server, **parts))
    put(catalog, record(f"hit-{key}", base_url=server))
    q.check_links()
    missed, hit = score_of(q, name), score_of(q, f"hit-{key}")
    assert hit.points[key] == INDICATOR[key].weight
    assert missed.points[key] < INDICATOR[key].weight, missed.points
    assert key in {i.key for i, _n in missed.lost()}
    # The advice names what to add, with the points it brings.
    words = " ".join(missed.advice("en"))
    assert INDICATOR[key].fix_en in words and "points" in words
    assert INDICATOR[key].fix_zh in " ".join(missed.advice("zh"))


def test_closed_data_need_no_deidentification_and_a_deidentified_source_counts(
        catalog: Catalog, q: Quality, server: str) -> None:
    put(catalog, record("closed", base_url=server, generated=None,
                        mode="hdcat:sharingMode share:closed",
                        access_rights="dct:accessRights ar:NON_PUBLIC"))
    assert score_of(q, "closed").points["deidentificationDocumented"] == 20
    # Derived from a de-identified dataset stored in the catalog: documented upstream.
    put(catalog, record("full", base_url=server))
    put(catalog, record("child", base_url=server, generated=None,
                        derived=f"prov:wasDerivedFrom <{B}/dataset/full>"))
    assert score_of(q, "child").points["deidentificationDocumented"] == 20
    put(catalog, record("orphan", base_url=server, generated=None,
                        derived=f"prov:wasDerivedFrom <{B}/dataset/closed>"))
    assert score_of(q, "orphan").points["deidentificationDocumented"] == 0


def test_distribution_indicators_score_the_share_of_distributions(
        catalog: Catalog, q: Quality, server: str) -> None:
    put(catalog, record("two", base_url=server, extra_dist=(
        f"dcat:accessURL <{server}missing/two2> ; dct:format ft:XLS")))
    q.check_links()
    s = score_of(q, "two")
    assert s.detail["byteSizeAvailability"] == [1, 2]
    assert s.points["byteSizeAvailability"] == 3  # 5 x 1/2, rounded
    assert s.detail["accessUrlStatusCode"] == [1, 2]
    assert s.points["accessUrlStatusCode"] == 25
    assert s.points["downloadUrlAvailability"] == 10
    assert s.points["licenceAvailability"] == 20  # the dataset's licence is inherited
    # Interoperability is that of the best distribution (the CSV one).
    assert s.dimension("interoperability") == 110
    assert "1 of 2 distributions meet it" in " ".join(s.advice("en"))


def test_what_to_fix_first_is_ordered_by_points_lost(
        catalog: Catalog, q: Quality, server: str) -> None:
    put(catalog, record("poor", base_url=server, keyword=None, byte_size=None,
                        standards=None))
    q.check_links()
    lost = [i.key for i, _n in score_of(q, "poor").lost()]
    assert lost == ["keywordAvailability", "standardsDeclared", "byteSizeAvailability"]


# ---------------------------------------------------------------------------- compliance


def test_compliance_is_the_core_validation_verdict(catalog: Catalog, q: Quality) -> None:
    for name, parts in (("ok", {}), ("no-title", {"title": None}),
                        ("no-access", {"access_url": None}),
                        ("no-description", {"description": None})):
        data = triples(record(f"c-{name}", **parts))
        verdict = catalog.validate_triples(data, source="t", level="core")
        conforms = all(v.conforms for v in verdict)
        scored = q.scorer.score(f"{B}/record/c-{name}", data)
        assert scored.points["dcatApCompliance"] == (30 if conforms else 0), name
        assert conforms == (name == "ok"), (name, [v.describe() for v in verdict])


# ---------------------------------------------------------------------------- DQV, in step


def measurements(catalog: Catalog, name: str) -> dict[str, int]:
    rows = catalog.store.query(
        "PREFIX dqv: <http://www.w3.org/ns/dqv#> SELECT ?metric ?value WHERE { "
        "?ds dqv:hasQualityMeasurement ?m . ?m dqv:isMeasurementOf ?metric ; dqv:value ?value }",
        {"ds": ox.NamedNode(f"{B}/dataset/{name}")}, union_default_graph=True)
    return {r["metric"].value.removeprefix(quality.NS): int(r["value"].value) for r in rows}


def test_scores_are_dqv_measurements_in_the_public_graph_rewritten_on_every_write(
        catalog: Catalog, q: Quality, server: str) -> None:
    put(catalog, record("dqv", base_url=server, keyword=None))
    q.check_links()
    m = measurements(catalog, "dqv")
    s = score_of(q, "dqv")
    assert m["score"] == s.total == 405 - 30
    assert m["findabilityScore"] == 70 and m["keywordAvailability"] == 0
    assert m["healthScore"] == 100
    assert "themeAvailability" not in m and "categoryAvailability" not in m  # full marks
    assert q.published(f"{B}/dataset/dqv")[quality.TOTAL_METRIC] == s.total
    # The graph is public: the catalog's export carries it, and the metrics are described.
    graph = f"{B}/record/dqv#quality"
    assert any(q_.graph_name.value == graph for q_ in catalog.export_quads())
    labels = catalog.store.graph(quality.GRAPH_METRICS)
    assert any(t.subject.value == quality.NS + "keywordAvailability"
               and getattr(t.object, "language", None) == "zh" for t in labels)
    # Rewrite the record with keywords: the measurements follow.
    put(catalog, record("dqv", base_url=server))
    m = measurements(catalog, "dqv")
    assert m["score"] == 405 and "keywordAvailability" not in m
    # Drop it: its quality graph and stored score go too.
    catalog.drop_records([f"{B}/record/dqv"])
    assert not catalog.store.has_graph(graph)
    assert q.get(f"{B}/record/dqv") is None and measurements(catalog, "dqv") == {}


def test_the_listener_ignores_the_graphs_it_writes(catalog: Catalog, q: Quality) -> None:
    put(catalog, record("warm"))  # the metrics graph is written with the first scores
    written: list[list[str]] = []
    catalog.on_write(lambda graphs: written.append(sorted(graphs)))
    calls = len(q.timings)
    put(catalog, record("once"))
    # One write of the record, one of its quality graph, and nothing more.
    assert [g for w in written for g in w if g.endswith("#quality")] == [
        f"{B}/record/once#quality"]
    assert len(q.timings) - calls == 2
    # An unchanged score is not written again.
    written.clear()
    put(catalog, record("once"))
    assert [g for w in written for g in w if g.endswith("#quality")] == []


def test_recompute_scores_every_record_and_forgets_dropped_ones(
        tmp_path: Path, server: str) -> None:
    cat = Catalog(Settings(data_dir=tmp_path, base_iri=B))
    cat.initialize()
    for n in range(5):
        cat.load_triples(triples(record(f"r{n}", base_url=server)), source="t",
                         validate=False)
    q = Quality(cat, settings=QualitySettings())  # not attached: scores nothing by itself
    assert q.unscored() == 5
    assert q.recompute() == 5
    assert q.unscored() == 0 and q.summary()["records"] == 5
    assert all(cat.store.has_graph(f"{B}/record/r{n}#quality") for n in range(5))
    in_process = {r: q.get(f"{B}/record/r{r}").score.points for r in range(5)}
    # A worker process reading a read-only view of the store gives the same scores.
    q.reset()
    assert q.summary()["records"] == 0
    cat.store.drop_graphs([f"{B}/record/r{n}#quality" for n in range(5)])
    assert q.recompute(workers=1) == 5
    assert {r: q.get(f"{B}/record/r{r}").score.points for r in range(5)} == in_process
    assert all(cat.store.has_graph(f"{B}/record/r{n}#quality") for n in range(5))
    cat.drop_records([f"{B}/record/r0"])
    assert q.recompute() == 4 and q.get(f"{B}/record/r0") is None
    assert q.violations()[0][1] == 4  # unchecked links: every record
    cat.close()


# ---------------------------------------------------------------------------- link checks


def test_link_checker_only_requests_allowed_hosts_and_times_out(
        tmp_path: Path, server: str) -> None:
    from hdcat.state import PrivateState

    state = PrivateState.of(tmp_path)
    links = quality.LinkChecker(state, ["127.0.0.1"], timeout=0.5)
    _Handler.seen.clear()
    assert links.check(server + "ok/x") == (True, 200, None)
    assert links.check(server + "missing/x")[:2] == (False, 404)
    assert links.check(server + "hop/x")[:2] == (True, 200)  # redirect on an allowed host
    assert links.check(server + "nohead/x")[:2] == (True, 200)  # HEAD refused: GET
    ok, status, error = links.check(server + "away/x")
    assert not ok and error == "host not allowed"  # redirected off the list: not followed
    started = time.monotonic()
    ok, status, error = links.check(server + "slow/x")
    assert not ok and status is None and error and time.monotonic() - started < 1.8
    assert not links.check("http://data.not-allowed.example.org/x")[0]
    assert links.check("file:///etc/passwd") == (False, None, "host not allowed")
    assert all(p.startswith(("/ok", "/missing", "/hop", "/nohead", "/away", "/slow"))
               for p in _Handler.seen)
    # A run records its verdicts and skips hosts that are not allowed.
    changed = links.run([server + "ok/y", "https://elsewhere.example.org/z"])
    assert changed == [server + "ok/y"]
    assert links.status([server + "ok/y", "https://elsewhere.example.org/z"]) == {
        server + "ok/y": True, "https://elsewhere.example.org/z": None}
    state.close()


@pytest.mark.parametrize("url, allowed, expected", [
    ("http://127.0.0.1:8080/x", ["127.0.0.1"], True),
    ("http://127.0.0.1:8080/x", ["127.0.0.1:8080"], True),
    ("http://127.0.0.1:8081/x", ["127.0.0.1:8080"], False),
    ("https://data.example.org/x", ["*.example.org"], True),
    ("https://example.org/x", ["*.example.org"], True),
    ("https://badexample.org/x", ["*.example.org"], False),
    ("https://example.org.evil.net/x", ["example.org"], False),
    ("ftp://example.org/x", ["example.org"], False),
    ("https://example.org/x", [], False),
])
def test_host_allowed(url: str, allowed: list[str], expected: bool) -> None:
    assert quality.host_allowed(url, allowed) is expected


def test_settings_from_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "quality.toml").write_text(
        'allowed_hosts = ["Data.Example.org"]\ncheck_timeout = 2\n', encoding="utf-8")
    monkeypatch.setenv("HDCAT_CHECK_HOSTS", "127.0.0.1, other.example.org")
    s = QualitySettings.load(tmp_path)
    assert s.allowed_hosts == ("data.example.org", "127.0.0.1", "other.example.org")
    assert s.check_timeout == 2.0
    (tmp_path / "quality.toml").write_text("nonsense = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown settings"):
        QualitySettings.load(tmp_path)


def test_cli_quality(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from hdcat.cli import main

    cat = Catalog(Settings(data_dir=tmp_path, base_iri=B))
    cat.initialize()
    cat.load_triples(triples(record("cli", keyword=None)), source="t", validate=False)
    cat.close()
    runner = CliRunner()
    result = runner.invoke(main, ["--data", str(tmp_path), "quality", "--recompute", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["recomputed"] == 1 and out["summary"]["records"] == 1
    assert ["keywordAvailability", 1] in out["violations"]
    result = runner.invoke(main, ["--data", str(tmp_path), "quality", "--record",
                                  f"{B}/dataset/cli", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "补充关键词" in result.output and "(+30 分)" in result.output



def test_dashboard_totals_follow_writes_and_drops(catalog: Catalog, q: Quality) -> None:
    """The dashboard's running totals equal what a scan of the stored scores gives, after
    records are written, rewritten and dropped."""
    put(catalog, record("tot-a", keyword=None))
    put(catalog, record("tot-b", theme=None, standards=None))
    put(catalog, record("tot-a"))  # rewritten: its keyword miss goes away
    catalog.drop_records([f"{B}/record/tot-b"])
    scores = [s.score for s in q.scores()]
    summary = q.summary()
    assert summary["records"] == len(scores)
    assert summary["mean"] == round(sum(s.total for s in scores) / len(scores), 1)
    assert dict(summary["ratings"]) == {
        key: sum(1 for s in scores if s.rating == key) for key, *_r in quality.RATINGS}
    assert sum(n for _b, n in summary["histogram"]) == len(scores)
    expected = {i.key: sum(1 for s in scores if s.points[i.key] < i.weight)
                for i in INDICATORS}
    assert {i.key: n for i, n in q.violations()} == {k: n for k, n in expected.items() if n}
    rows = q.state.rows("SELECT publisher, COUNT(*) AS n, AVG(total) AS mean, MIN(total) AS"
                        " low FROM quality_score GROUP BY publisher")
    assert sorted((r["publisher"] or "", r["n"], round(r["mean"], 1), r["low"]) for r in rows) \
        == sorted((p["publisher"] or "", p["records"], p["mean"], p["worst"])
                  for p in q.by_publisher())
    cited = q.state.rows("SELECT COUNT(*) AS n, SUM(citations) AS c FROM quality_score"
                         " WHERE publisher=?", (f"{B}/agent/pub-a",))[0]
    assert q.shared("publisher")[f"{B}/agent/pub-a"] == (cited["n"], cited["c"])
    created = q.state.rows("SELECT COUNT(*) AS n FROM quality_creator WHERE creator=?",
                           (f"{B}/agent/creator-a",))[0]["n"]
    assert q.shared("creator")[f"{B}/agent/creator-a"][0] == created
    # Totals made before this table existed (or edited by hand) are rebuilt on open.
    q.state.execute("DELETE FROM quality_agg")
    again = Quality(catalog, q.state, q.settings)
    assert again.summary() == summary


@pytest.mark.parametrize("pool_min", [5000, 1], ids=["in-process", "as-recompute"])
def test_writes_of_other_processes_are_caught_up_from_the_audit_chain(
        tmp_path: Path, pool_min: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """`hdcat load` and other commands write without keeping the scores; the server (and
    `hdcat quality`) score what they wrote by following the audit chain (many graphs: with
    recompute's worker process)."""
    from click.testing import CliRunner

    from hdcat import quality
    from hdcat.cli import main

    monkeypatch.setattr(quality, "POOL_MIN", pool_min)

    base = tmp_path / "in"
    base.mkdir()
    for name, parts in (("c0", {}), ("c1", {"keyword": None}), ("c2", {})):
        (base / f"{name}.ttl").write_text(record(name, **parts), encoding="utf-8")
    runner = CliRunner()

    def hdcat(*args: str) -> str:
        result = runner.invoke(main, ["--data", str(tmp_path / "data"), *args])
        assert result.exit_code == 0, result.output
        return result.output

    hdcat("init")
    hdcat("load", "--no-validate", str(base / "c0.ttl"), str(base / "c1.ttl"))
    out = json.loads(hdcat("quality", "--json"))
    assert out["caught_up"] == 2 and out["summary"]["records"] == 2
    assert ["keywordAvailability", 1] in out["violations"]
    # Nothing written since: nothing to do.
    assert json.loads(hdcat("quality", "--json"))["caught_up"] == 0
    # A record changed, one added, one withdrawn, all by commands that keep no scores.
    (base / "c1.ttl").write_text(record("c1"), encoding="utf-8")
    hdcat("load", "--no-validate", str(base / "c1.ttl"), str(base / "c2.ttl"))
    cat = Catalog(Settings(data_dir=tmp_path / "data", base_iri=B))
    cat.drop_records([f"{B}/record/c0"])
    q = Quality(cat, settings=QualitySettings())  # as the server's background job has it
    try:
        assert q.catch_up() == 3
        assert q.get(f"{B}/record/c0") is None
        assert not cat.store.has_graph(f"{B}/record/c0#quality")
        assert q.get(f"{B}/record/c1").score.points["keywordAvailability"] == 30
        assert q.get(f"{B}/record/c2") is not None and q.summary()["records"] == 2
        assert "keywordAvailability" not in [i.key for i, _n in q.violations()]
        assert q.catch_up() == 0
    finally:
        cat.close()


def test_closing_the_catalog_stops_a_background_catch_up_and_loses_nothing(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The dashboard's catch-up thread stops when the catalog closes, between two chunks,
    and is waited for before the store closes (it went on, failing on the closed store);
    what it had not scored yet is scored by the next catch-up."""
    settings = Settings(data_dir=tmp_path / "data", base_iri=B)
    cat = Catalog(settings)
    cat.initialize()
    n = quality.CATCH_UP_CHUNK * 2 + 100
    text = "\n".join(record(f"c{i}") for i in range(n))
    assert len(cat.load_triples(triples(text), source="t", validate=False).stored) == n
    q = Quality(cat, settings=QualitySettings())
    assert q.catch_up_in_background()
    cat.close()
    assert not q.catching_up
    assert not q.catch_up_in_background()  # nothing starts on a closed catalog
    assert "quality catch-up failed" not in caplog.text
    q.state.close()
    cat = Catalog(settings)
    try:
        q = Quality(cat, settings=QualitySettings())
        q.catch_up()
        assert q.summary()["records"] == n
        assert q.catch_up() == 0
    finally:
        cat.close()
