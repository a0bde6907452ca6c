"""The quality and use pages (service/stats.py) on the demo catalog: /stats with each chart's
table and CSV, the quality dashboard, a record's quality page, the counting hooks, the
counting redirect (no open redirect), the home page charts, and a link check against a
real server on 127.0.0.1 that no page waits for."""

from __future__ import annotations

import csv
import http.server
import io
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef

from hdcat.catalog import Catalog
from hdcat.config import Settings

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "hdcat" / "demo" / "demo-catalog.ttl"
B = "https://hdcat.example.org"
DS = "dm-complications-2020"
BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"}
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
HDCAT = Namespace("https://w3id.org/hdcat/ns#")


@cache
def demo() -> Graph:
    return Graph().parse(DEMO, format="turtle")


def demo_datasets() -> set:
    return set(demo().subjects(RDF.type, DCAT.Dataset))


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - a Flask app
    from service.app import create_app

    data = tmp_path_factory.mktemp("stats")
    cat = Catalog(Settings(data_dir=data))
    cat.initialize(demo=True)
    app = create_app(cat)
    app.testing = True
    app.extensions["hdcat_quality"].recompute()
    yield app
    app.extensions["hdcat_stats_jobs"].stop()
    cat.close()


@pytest.fixture
def client(app):  # noqa: ANN001, ANN201
    app.extensions["hdcat_stats_cache"].clear()
    return app.test_client()


def page(client, url: str, **kw) -> str:  # noqa: ANN001
    r = client.get(url, headers=BROWSER, **kw)
    assert r.status_code == 200, (url, r.status_code, r.data[:300])
    return r.get_data(as_text=True)


def figure(html: str, chart_id: str) -> str:
    found = re.search(rf'<figure[^>]*aria-labelledby="{chart_id}-cap".*?</figure>', html, re.S)
    assert found, chart_id
    return found.group(0)


def csv_of(client, href: str) -> list[list[str]]:  # noqa: ANN001
    r = client.get(href.replace("&amp;", "&"))
    assert r.status_code == 200 and r.mimetype == "text/csv", href
    assert r.mimetype_params.get("charset") == "utf-8"
    return list(csv.reader(io.StringIO(r.get_data(as_text=True))))


# ---------------------------------------------------------------------------- /stats


CHARTS = ("domain", "category", "level", "year", "growth", "quality", "quality-histogram",
          "most-used", "institutions", "standards", "usage-monthly")


def test_stats_page_has_every_chart_with_its_table_and_csv(client) -> None:  # noqa: ANN001
    html = page(client, "/stats")
    for name in CHARTS:
        fig = figure(html, f"st-{name}")
        assert 'role="img"' in fig or "chart-empty" in fig, name
        href = re.search(r'<p class="chart-csv"><a href="([^"]+)"', fig)
        assert href, name
        rows = csv_of(client, href.group(1))
        if "chart-empty" in fig:
            continue
        # The table beside the chart shows the same numbers as the CSV.
        cells = [int(v.replace(",", "")) for v in re.findall(r'<td class="num">([\d,]+)</td>',
                                                               fig)]
        assert cells, name
        numbers = [int(r[-1] if name not in ("most-used", "quality", "institutions")
                       else r[{"most-used": 5, "quality": 2, "institutions": 2}[name]])
                   for r in rows[1:]]
        if name != "usage-monthly":
            assert cells == numbers[:len(cells)], name


def test_stats_numbers_match_the_demo_graph(client) -> None:  # noqa: ANN001
    rows = csv_of(client, "/stats/domain.csv")
    assert rows[0] == ["label", "iri", "datasets"]
    expected = Counter(str(o) for ds in demo_datasets() for o in set(
        demo().objects(ds, HDCAT.domain)))
    assert {r[1]: int(r[2]) for r in rows[1:]} == dict(expected)
    growth = csv_of(client, "/stats/growth.csv")
    assert int(growth[-1][1]) == len(demo_datasets())
    years = [int(r[1]) for r in growth[1:]]
    assert years == sorted(years)
    quality = csv_of(client, "/stats/quality.csv")
    assert sum(int(r[2]) for r in quality[1:]) == 73  # every record (datasets and series)
    records = csv_of(client, "/stats/quality-records.csv")
    assert len(records) == 74 and "keywordAvailability" in records[0]
    standards = csv_of(client, "/stats/standards.csv")
    assert standards[1:] and all(int(r[2]) > 0 for r in standards[1:])
    assert client.get("/stats/nothing.csv").status_code == 404


def test_csv_cells_cannot_run_as_formulas() -> None:
    from hdcat.charts import to_csv

    text = to_csv(["a"], [['=HYPERLINK("x")'], ["+1"], ["-2"], ["@SUM"], ["plain"], [-3]])
    cells = [row[0] for row in csv.reader(io.StringIO(text))]
    assert cells == ["a", "'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM", "plain", "-3"]
    assert text.endswith("\r\n")


def test_home_page_keeps_its_charts_and_adds_quality_and_use(client) -> None:  # noqa: ANN001
    html = page(client, "/")
    for old in ("domain", "level", "year"):
        fig = figure(html, f"chart-{old}")
        assert f'href="/stats/{old}.csv"' in fig
    quality = figure(html, "chart-quality")
    assert 'role="img"' in quality and "chart-data" in quality
    assert 'href="/stats"' in html


# ---------------------------------------------------------------------------- quality


def test_quality_dashboard(client) -> None:  # noqa: ANN001
    html = page(client, "/quality?lang=en")
    assert "Metadata quality dashboard" in html
    for chart in ("st-quality", "st-quality-histogram", "st-dimensions",
                  "st-quality-violations"):
        figure(html, chart)
    worst = re.search(r'<table class="st-table" id="q-worst">.*?</table>', html, re.S).group(0)
    assert worst.count("<tr>") == 1 + 20
    assert "/quality" in worst  # rows link to the records' quality pages
    publishers = re.search(r'id="q-publishers">.*?</table>', html, re.S).group(0)
    assert "National Population Health Data Center" in publishers
    violations = csv_of(client, "/stats/quality-violations.csv")
    counts = [int(r[4]) for r in violations[1:]]
    assert counts == sorted(counts, reverse=True) and counts[0] == 73


def test_record_quality_page_and_json(app, client) -> None:  # noqa: ANN001
    html = page(client, f"/dataset/{DS}/quality?lang=en")
    stored = app.extensions["hdcat_quality"].get(f"{B}/dataset/{DS}").score
    assert f'data-score="{stored.total}"' in html
    assert re.search(r'<tr id="q-dim-findability"><th scope="row">Findability</th>'
                     r'<td class="num">100</td><td class="num">100</td>', html)
    fix = re.search(r'<ol class="q-fix" id="q-fix">(.*?)</ol>', html, re.S).group(1)
    first = re.findall(r"<li>(.*?)</li>", fix)[0]
    assert "access URL" in first and "(+50 points)" in first
    assert "not on the list of hosts" in first  # why it is not checked, in words
    data = client.get(f"/dataset/{DS}/quality?format=json").get_json()
    assert data["score"] == stored.total and data["max"] == 405
    assert data["dimensions"]["reusability"] == {"points": 75, "max": 75}
    assert data["indicators"]["keywordAvailability"] == {"points": 30, "weight": 30}
    zh = page(client, f"/dataset/{DS}/quality?lang=zh")
    assert "优先改进" in zh and "可发现性" in zh
    assert client.get("/dataset/no-such-dataset/quality").status_code == 404


def test_quality_page_escapes_what_records_say(app, client) -> None:  # noqa: ANN001
    cat = app.catalog
    ttl = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{B}/record/hostile> a dcat:CatalogRecord ; foaf:primaryTopic <{B}/dataset/hostile> ;
  dct:modified "2024-01-01"^^xsd:date .
<{B}/dataset/hostile> a dcat:Dataset ; dct:title "<script>alert(1)</script>"@en ;
  dct:description "x"@en .
"""
    triples = [q.triple for q in ox.parse(ttl.encode(), ox.RdfFormat.TURTLE)]
    cat.load_triples(triples, source="t", validate=False)
    html = page(client, "/dataset/hostile/quality?lang=en")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert app.extensions["hdcat_quality"].get(f"{B}/dataset/hostile") is not None


# ---------------------------------------------------------------------------- counting


def _use(app, ds: str) -> dict[str, int]:  # noqa: ANN001
    return app.extensions["hdcat_usage"].dataset(f"{B}/dataset/{ds}")


def test_page_views_and_rdf_retrievals_are_counted_once_per_visitor(app, client) -> None:  # noqa: ANN001
    ds = "adult-tobacco-survey"
    before = _use(app, ds)
    for _ in range(3):
        page(client, f"/dataset/{ds}")
    assert _use(app, ds)["view"] == before["view"] + 1
    other = {"User-Agent": BROWSER["User-Agent"]}
    client.get(f"/dataset/{ds}", headers=other, environ_base={"REMOTE_ADDR": "192.0.2.44"})
    assert _use(app, ds)["view"] == before["view"] + 2
    assert client.get(f"/dataset/{ds}?format=ttl", headers=BROWSER).status_code == 200
    assert _use(app, ds)["rdf"] == before["rdf"] + 1
    robot = {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"}
    client.get(f"/dataset/{ds}", headers=robot, environ_base={"REMOTE_ADDR": "192.0.2.45"})
    client.head(f"/dataset/{ds}", headers=other, environ_base={"REMOTE_ADDR": "192.0.2.46"})
    client.get("/dataset/no-such-thing", headers=other,
               environ_base={"REMOTE_ADDR": "192.0.2.47"})
    assert _use(app, ds)["view"] == before["view"] + 2
    client.get(f"/dataset/{ds}/cite?style=bibtex", headers=BROWSER)
    assert _use(app, ds)["cite"] == before["cite"] + 1
    # Per dataset, publisher and creator over time, as CSV.
    month = time.strftime("%Y-%m", time.gmtime())
    rows = csv_of(client, "/stats/usage-monthly-datasets.csv")
    assert [month, f"{B}/dataset/{ds}", "view", str(before["view"] + 2)] in rows
    publisher = str(next(demo().objects(URIRef(f"{B}/dataset/{ds}"),
                                        URIRef("http://purl.org/dc/terms/publisher"))))
    rows = csv_of(client, "/stats/usage-monthly-publishers.csv")
    assert any(r[:3] == [month, publisher, "view"] for r in rows)
    totals = {r[0]: r for r in csv_of(client, "/stats/usage-datasets.csv")[1:]}
    assert int(totals[f"{B}/dataset/{ds}"][1]) == before["view"] + 2


def test_feeds_and_api_are_counted_for_the_catalog(app, client) -> None:  # noqa: ANN001
    u = app.extensions["hdcat_usage"]
    before = u.catalog_totals()
    harvester = {"User-Agent": "CKAN harvester"}
    assert client.get("/catalog/feed", headers=harvester).status_code == 200
    assert client.get("/oai?verb=Identify", headers=harvester,
                      environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 200
    assert client.get("/search.json?q=diabetes", headers=BROWSER).status_code == 200
    assert client.get("/search.json?q=stroke", headers=BROWSER).status_code == 200  # repeat
    assert client.get("/catalog?format=ttl", headers=BROWSER,
                      environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code == 200
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                      headers={**BROWSER, "Accept": "application/sparql-results+json"},
                      environ_base={"REMOTE_ADDR": "192.0.2.11"}).status_code == 200
    assert client.get("/sparql", headers={**BROWSER, "Accept": "text/turtle"},
                      environ_base={"REMOTE_ADDR": "192.0.2.12"}).status_code == 200
    assert client.get("/catalog", headers=BROWSER,
                      environ_base={"REMOTE_ADDR": "192.0.2.13"}).status_code == 200
    after = u.catalog_totals()
    assert after["harvest"] == before["harvest"] + 2
    # search JSON (a repeat within the window counts once), the catalog as RDF, a query;
    # not the endpoint's description nor the catalog's HTML page
    assert after["api"] == before["api"] + 3


def test_counting_redirect_goes_only_to_the_datasets_own_distributions(
        app, client) -> None:  # noqa: ANN001
    g = demo()
    ds = URIRef(f"{B}/dataset/{DS}")
    access = str(next(g.objects(next(g.objects(ds, DCAT.distribution)), DCAT.accessURL)))
    before = _use(app, DS)
    r = client.get(f"/go/{DS}", query_string={"url": access}, headers=BROWSER)
    assert r.status_code == 302 and r.headers["Location"] == access
    assert r.headers["Cache-Control"] == "no-store"
    assert _use(app, DS)["access"] == before["access"] + 1
    downloads = [(str(d), str(u)) for d in g.subjects(RDF.type, DCAT.Distribution)
                 for u in g.objects(d, DCAT.downloadURL)]
    owner_ds, download = next(
        (str(s).rsplit("/", 1)[1], u) for d, u in downloads
        for s in g.subjects(DCAT.distribution, URIRef(d))
        if (s, HDCAT.embargoEnd, None) not in g)
    r = client.get(f"/go/{owner_ds}", query_string={"url": download}, headers=BROWSER)
    assert r.status_code == 302 and r.headers["Location"] == download
    assert _use(app, owner_ds)["download"] >= 1
    for bad in ("https://evil.example.org/", "//evil.example.org/", "javascript:alert(1)",
                access + "x", download, ""):
        r = client.get(f"/go/{DS}", query_string={"url": bad}, headers=BROWSER)
        assert r.status_code == 400, bad
        assert "Location" not in r.headers
    assert client.get("/go/no-such-dataset", query_string={"url": access}).status_code == 404


def test_downloads_under_embargo_are_refused(app, client) -> None:  # noqa: ANN001
    ttl = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix hdcat: <https://w3id.org/hdcat/ns#> .
<{B}/record/embargoed> a dcat:CatalogRecord ; foaf:primaryTopic <{B}/dataset/embargoed> ;
  dct:modified "2024-01-01"^^xsd:date .
<{B}/dataset/embargoed> a dcat:Dataset ; dct:title "E"@en ; dct:description "x"@en ;
  hdcat:embargoEnd "2999-01-01"^^xsd:date ; dcat:distribution <{B}/dataset/embargoed#d> .
<{B}/dataset/embargoed#d> a dcat:Distribution ; dcat:accessURL <https://e.example.org/a> ;
  dcat:downloadURL <https://e.example.org/file.csv> .
<{B}/dataset/embargoed#x> a dcat:Distribution ; dcat:accessURL <javascript:alert(1)> .
<{B}/dataset/embargoed> dcat:distribution <{B}/dataset/embargoed#x> .
"""
    app.catalog.load_triples([q.triple for q in ox.parse(ttl.encode(), ox.RdfFormat.TURTLE)],
                             source="t", validate=False)
    r = client.get("/go/embargoed", query_string={"url": "https://e.example.org/file.csv"})
    assert r.status_code == 403 and "Location" not in r.headers
    r = client.get("/go/embargoed", query_string={"url": "https://e.example.org/a"})
    assert r.status_code == 302
    # A distribution "URL" that is no web address is never redirected to.
    r = client.get("/go/embargoed", query_string={"url": "javascript:alert(1)"})
    assert r.status_code == 400 and "Location" not in r.headers


def test_jinja_helpers_for_the_dataset_page(app) -> None:  # noqa: ANN001
    with app.test_request_context("/"):
        env = app.jinja_env.globals
        assert env["quality_url"](f"{B}/dataset/{DS}") == f"/dataset/{DS}/quality"
        assert env["counted_url"](f"{B}/dataset/{DS}", "https://x.example.org/a?b=1") == (
            f"/go/{DS}?url=https://x.example.org/a?b%3D1")
        assert env["counted_url"]("https://other.example.org/d", "https://x/a") == "https://x/a"


def test_dataset_page_links_to_its_quality_page_and_counts_its_links(
        app, client) -> None:  # noqa: ANN001
    from html import unescape

    html = page(client, f"/dataset/{DS}")
    quality_link = re.search(r'<a id="quality-link" href="([^"]+)"', html)
    assert quality_link and quality_link.group(1) == f"/dataset/{DS}/quality"
    assert "MQA" in page(client, quality_link.group(1))
    g = demo()
    ds = URIRef(f"{B}/dataset/{DS}")
    access = str(next(g.objects(next(g.objects(ds, DCAT.distribution)), DCAT.accessURL)))
    hrefs = [unescape(h) for h in re.findall(r'<a[^>]* href="([^"]+)"', html)]
    assert access not in hrefs, "an access link that bypasses the counter"
    counted = [h for h in hrefs if h.startswith(f"/go/{DS}?")]
    assert counted, "no counted distribution link on the dataset page"
    before = _use(app, DS)
    for href in counted:  # a visitor not seen by the other tests (hits count once per window)
        r = client.get(href, headers=BROWSER, environ_base={"REMOTE_ADDR": "192.0.2.77"})
        assert r.status_code == 302, href
    assert r.headers["Location"] in {str(u) for u in g.objects(None, DCAT.accessURL)} | {
        str(u) for u in g.objects(None, DCAT.downloadURL)}
    after = _use(app, DS)
    assert after["access"] + after["download"] > before["access"] + before["download"]


# ---------------------------------------------------------------------------- links


class _Slow(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_HEAD(self) -> None:  # noqa: N802
        type(self).hits.append(self.path)
        time.sleep(0.3)
        self.send_response(200 if self.path.startswith("/ok") else 404)
        self.end_headers()

    do_GET = do_HEAD  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def slow_server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_link_checks_run_in_the_background_and_no_page_waits(
        tmp_path: Path, slow_server: str) -> None:
    from service.app import create_app

    (tmp_path / "quality.toml").write_text(
        'allowed_hosts = ["127.0.0.1"]\ncheck_timeout = 2\ncheck_interval = 3600\n',
        encoding="utf-8")
    cat = Catalog(Settings(data_dir=tmp_path, base_iri=B))
    cat.initialize()
    app = create_app(cat)
    ttl = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{B}/record/linked> a dcat:CatalogRecord ; foaf:primaryTopic <{B}/dataset/linked> ;
  dct:modified "2024-01-01"^^xsd:date .
<{B}/dataset/linked> a dcat:Dataset ; dct:title "L"@en ; dct:description "x"@en ;
  dcat:distribution <{B}/dataset/linked#d> , <{B}/dataset/linked#e> .
<{B}/dataset/linked#d> a dcat:Distribution ; dcat:accessURL <{slow_server}/ok/a> .
<{B}/dataset/linked#e> a dcat:Distribution ; dcat:accessURL <{slow_server}/gone/b> .
"""
    cat.load_triples([q.triple for q in ox.parse(ttl.encode(), ox.RdfFormat.TURTLE)],
                     source="t", validate=False)
    client = app.test_client()
    _Slow.hits.clear()
    started = time.monotonic()
    html = client.get("/dataset/linked/quality?lang=en", headers=BROWSER).get_data(as_text=True)
    assert time.monotonic() - started < 0.3 * 2
    assert _Slow.hits == []  # the page asked nothing of the server
    assert "2 not checked yet" in html
    jobs = app.extensions["hdcat_stats_jobs"]
    done = jobs.run_once()
    assert done["checked"] == 2 and done["rescored"] == 1
    assert sorted(_Slow.hits) == ["/gone/b", "/ok/a"]
    data = client.get("/dataset/linked/quality?format=json").get_json()
    assert data["indicators"]["accessUrlStatusCode"]["points"] == 25  # one of two reachable
    html = client.get("/dataset/linked/quality?lang=en", headers=BROWSER).get_data(as_text=True)
    assert f"{slow_server}/gone/b: HTTP 404" in html
    assert jobs.run_once() == {}  # nothing due until check_interval has passed
    jobs.stop()
    cat.close()


def test_background_jobs_stop_when_the_catalog_closes(tmp_path: Path) -> None:
    """The jobs thread, started by the first request, ends when the catalog is closed,
    before the store and state it reads are (it used to go on, failing on the closed
    database at every turn), and no later request starts it again."""
    from service.app import create_app

    cat = Catalog(Settings(data_dir=tmp_path))
    cat.initialize()
    app = create_app(cat)
    app.testing = True
    jobs = app.extensions["hdcat_stats_jobs"]
    assert not jobs.running
    assert app.test_client().get("/", headers=BROWSER).status_code == 200
    assert jobs.running
    cat.close()
    assert not jobs.running
    jobs.start()
    assert not jobs.running
