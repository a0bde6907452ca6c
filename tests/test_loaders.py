"""The harvest loaders: real outside catalogs (read from ../shared/external/catalogs, served on
127.0.0.1) and synthetic paged sources (CKAN API, OAI-PMH, Hydra, SPARQL, spreadsheets)."""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.store import EmbeddedStore
from hdcat.terms import triples_to_graph
from loaders.base import Page
from loaders.http import FetchError, Http, Response
from loaders.registry import LOADERS, loader_for

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external" / "catalogs"
HARVEST = Path(__file__).parent / "data" / "harvest"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
HEALTH = Namespace("http://healthdataportal.eu/ns/health#")
DPV = Namespace("https://w3id.org/dpv#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
HDCAT = Namespace("https://w3id.org/hdcat/ns#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
EU = "http://publications.europa.eu/resource/authority/"

needs_external = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="shared/external not present")

Handler = Callable[[str, dict[str, str], bytes], tuple[int, str, bytes]]


class _Server:
    """A local HTTP server: routes map a path to a handler of (path, query, body)."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        routes = self.routes

        class H(BaseHTTPRequestHandler):
            def _answer(self, body: bytes = b"") -> None:
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                handler = routes.get(parts.path)
                if handler is None:
                    status, ctype, out = 404, "text/plain", b"not found"
                else:
                    status, ctype, out = handler(parts.path, query, body)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def do_GET(self) -> None:  # noqa: N802
                self._answer()

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                self._answer(self.rfile.read(length))

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def static(self, path: str, body: bytes, ctype: str = "application/octet-stream") -> str:
        self.routes[path] = lambda p, q, b: (200, ctype, body)
        return self.base + path


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


class LocalHttp(Http):
    """Http that refuses anything but 127.0.0.1 and local files: tests never go online."""

    def get(self, url: str, accept: str = "*/*") -> Response:
        host = urllib.parse.urlsplit(url).hostname
        if host not in (None, "127.0.0.1"):
            raise FetchError(url, "test refuses to go online")
        return super().get(url, accept)


@pytest.fixture
def http() -> Http:
    return LocalHttp(timeout=10)


@pytest.fixture
def catalog(tmp_path: Path) -> Iterator[Catalog]:
    cat = Catalog(Settings(data_dir=tmp_path), EmbeddedStore(tmp_path / "store"))
    cat.initialize()
    yield cat
    cat.close()


def graph(pages: list[Page]) -> Graph:
    return triples_to_graph([t for p in pages for t in p.triples])


def datasets(g: Graph) -> set:
    return set(g.subjects(RDF.type, DCAT.Dataset))


def load(catalog: Catalog, pages: list[Page], source: str) -> list[str]:
    stored: list[str] = []
    for page in pages:
        if page.triples:
            report = catalog.load_triples(page.triples, source=source, level="core")
            assert not report.refused, [r.describe() for r in report.refused][:1]
            stored += report.stored
    return stored


# --- DCAT with Hydra ---------------------------------------------------------------------

def _dcat_page(n: int, next_url: str | None, *, deprecated: bool = False) -> str:
    lines = ["@prefix dcat: <http://www.w3.org/ns/dcat#> .",
             "@prefix dct: <http://purl.org/dc/terms/> .",
             "@prefix hydra: <http://www.w3.org/ns/hydra/core#> ."]
    for i in (2 * n, 2 * n + 1):
        lines.append(
            f'<http://data.test/ds/{i}> a dcat:Dataset ; dct:title "Dataset {i}"@en ;'
            f' dct:description "Synthetic dataset {i}"@en ; dcat:distribution'
            f' [ a dcat:Distribution ; dcat:accessURL <http://data.test/files/{i}.csv> ] .')
    view = "hydra:PagedCollection" if deprecated else "hydra:PartialCollectionView"
    nxt = "hydra:nextPage" if deprecated else "hydra:next"
    lines.append(f"<http://data.test/catalog?page={n}> a {view} ; hydra:totalItems 6"
                 + (f' ; {nxt} "{next_url}"' if deprecated and next_url else
                    f" ; {nxt} <{next_url}>" if next_url else "") + " .")
    return "\n".join(lines)


def test_dcat_follows_hydra_next_over_three_pages(server: _Server, http: Http) -> None:
    for n in range(3):
        nxt = f"{server.base}/catalog/{n + 1}.ttl" if n < 2 else None
        server.static(f"/catalog/{n}.ttl", _dcat_page(n, nxt).encode(), "text/turtle")
    pages = list(loader_for("dcat").pages(f"{server.base}/catalog/0.ttl", http))
    assert len(pages) == 3 and all(p.source_error is None for p in pages)
    assert [p.total for p in pages] == [6, 6, 6]
    assert pages[-1].next_url is None
    g = graph(pages)
    assert len(datasets(g)) == 6
    assert not [t for t in g if "hydra" in str(t[1]) or "hydra" in str(t[2])]


def test_dcat_follows_deprecated_next_page_and_sniffs_formats(server: _Server,
                                                                http: Http) -> None:
    server.static("/old/1", _dcat_page(0, f"{server.base}/old/2", deprecated=True).encode(),
                  "text/turtle; charset=utf-8")
    g2 = Graph().parse(data=_dcat_page(1, None, deprecated=True), format="turtle")
    server.static("/old/2", g2.serialize(format="json-ld").encode(), "application/json")
    pages = list(loader_for("dcat").pages(f"{server.base}/old/1", http))
    assert len(pages) == 2 and pages[0].next_url == f"{server.base}/old/2"
    assert len(datasets(graph(pages))) == 4


@needs_external
def test_dcat_zurich_page_uses_deprecated_hydra(server: _Server, http: Http,
                                                catalog: Catalog) -> None:
    url = server.static("/zh/catalog.ttl",
                        (EXTERNAL / "stadt_zuerich_catalog_page1_dcatap_ch.ttl").read_bytes(),
                        "text/turtle")
    pages = list(loader_for("dcat").pages(url, http))
    first = pages[0]
    assert first.total == 350
    assert first.next_url == "https://data.stadt-zuerich.ch/catalog.ttl?page=2"
    g = graph([first])
    assert len(datasets(g)) == 100
    assert len(set(g.subjects(RDF.type, DCAT.Distribution))) == 199
    # the next page is online: this test's Http refuses it, so it is reported as broken
    assert len(pages) == 2 and pages[1].source_error and "page=2" in pages[1].source_error
    assert pages[1].errors[0].record == first.next_url


def test_dcat_broken_page_in_the_middle_is_reported_after_the_good_ones(
        server: _Server, http: Http) -> None:
    server.static("/b/0", _dcat_page(0, f"{server.base}/b/1").encode(), "text/turtle")
    server.static("/b/1", b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<a> dcat:x \"oops .",
                  "text/turtle")
    pages = list(loader_for("dcat").pages(f"{server.base}/b/0", http))
    assert len(pages) == 2 and pages[0].source_error is None and pages[0].triples
    assert pages[1].source_error and f"{server.base}/b/1" in pages[1].source_error
    assert "syntax error" in pages[1].source_error.lower() and not pages[1].triples
    server.routes["/b/1"] = lambda p, q, b: (500, "text/plain", b"boom")
    pages = list(loader_for("dcat").pages(f"{server.base}/b/0", http))
    assert "HTTP 500" in (pages[1].source_error or "")


# --- CKAN --------------------------------------------------------------------------------

def _package(i: int) -> dict:
    return {
        "id": f"id-{i}", "name": f"pkg-{i}", "title": f"Package {i}",
        "notes": f"Notes of package {i}", "license_id": "cc-by",
        "tags": [{"name": "health"}, {"name": f"tag{i}"}],
        "organization": {"name": "nphdc", "title": "国家人口健康科学数据中心"},
        "maintainer": "Data desk", "maintainer_email": "desk@example.org",
        "metadata_created": "2024-01-02T03:04:05.123456",
        "metadata_modified": "2024-02-01T00:00:00",
        "extras": [{"key": "frequency", "value": f"{EU}frequency/ANNUAL"},
                   {"key": "custom_field", "value": "x"}],
        "groups": [{"name": "health"}],
        "resources": [{"id": f"r{i}", "package_id": f"id-{i}", "url": f"http://files.test/{i}.csv",
                       "format": "CSV", "mimetype": "text/csv", "size": 1024,
                       "hash": "d41d8cd98f00b204e9800998ecf8427e", "name": "data"}]
        if i != 7 else "not a list of resources",
    }


def _ckan_app(packages: list[dict], fail_at: int | None = None) -> Handler:
    def handle(path: str, query: dict[str, str], body: bytes) -> tuple[int, str, bytes]:
        rows, start = int(query.get("rows", 10)), int(query.get("start", 0))
        if start == fail_at:
            return 500, "text/plain", b"internal error"
        result = {"count": len(packages), "results": packages[start : start + rows]}
        return 200, "application/json", json.dumps({"success": True, "result": result}).encode()
    return handle


def test_ckan_pages_with_rows_and_start(server: _Server, http: Http, catalog: Catalog) -> None:
    server.routes["/api/3/action/package_search"] = _ckan_app([_package(i) for i in range(25)])
    pages = list(loader_for("ckan", rows=10).pages(server.base + "/", http))
    assert len(pages) == 3 and [p.total for p in pages] == [25, 25, 25]
    assert "start=10" in (pages[0].next_url or "") and pages[-1].next_url is None
    errors = [e for p in pages for e in p.errors]
    assert [e.record for e in errors] == ["pkg-7"]
    g = graph(pages)
    ds = URIRef(f"{server.base}/dataset/pkg-3")
    assert len(datasets(g)) == 24
    assert g.value(ds, DCTERMS.title) == Literal("Package 3")
    assert {str(k) for k in g.objects(ds, DCAT.keyword)} == {"health", "tag3"}
    assert g.value(ds, DCTERMS.license) == URIRef(EU + "licence/CC_BY_4_0")
    assert g.value(ds, DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/ANNUAL")
    dist = g.value(ds, DCAT.distribution)
    assert g.value(dist, DCTERMS.format) == URIRef(EU + "file-type/CSV")
    assert g.value(dist, DCAT.mediaType) == URIRef(
        "http://www.iana.org/assignments/media-types/text/csv")
    assert g.value(dist, DCAT.byteSize).datatype.endswith("nonNegativeInteger")
    warnings = [w for p in pages for w in p.warnings]
    assert "ckan package pkg-3: field custom_field not mapped" in warnings
    assert any("pkg-3: field groups" in w for w in warnings)
    stored = load(catalog, pages[:1], "ckan test")
    assert len(stored) == 9  # pkg-7 of page 1 is the bad one


def test_ckan_broken_page_is_reported_and_the_run_goes_on(server: _Server, http: Http) -> None:
    server.routes["/api/3/action/package_search"] = _ckan_app(
        [_package(i) for i in range(25) if i != 7], fail_at=10)
    pages = list(loader_for("ckan", rows=10).pages(server.base, http))
    assert [bool(p.source_error) for p in pages] == [False, True, False]
    assert "start=10" in pages[1].errors[0].record and "HTTP 500" in pages[1].source_error
    assert len(datasets(graph(pages))) == 14


@needs_external
def test_ckan_health_package_reproduces_the_healthdcat_turtle(server: _Server, http: Http,
                                                              catalog: Catalog) -> None:
    packages = json.loads((EXTERNAL / "ckanext_dcat_healthdcat_ap_ckan_package.json").read_text())
    server.routes["/api/3/action/package_search"] = _ckan_app(packages)
    pages = list(loader_for("ckan").pages(server.base, http))
    g = graph(pages)
    expected = Graph().parse(EXTERNAL / "ckanext_dcat_healthdcat_ap_dataset.ttl")
    ds = URIRef("http://example.healthdata.nl/set/dataset")
    assert datasets(g) == {ds}
    for p in (DCTERMS.title, DCTERMS.description, DCAT.keyword, DCAT.theme, DCTERMS.language,
              DCTERMS.accessRights, DCTERMS.accrualPeriodicity, DCTERMS.conformsTo,
              DCTERMS.isReferencedBy, DCTERMS.issued, DCTERMS.modified, DCTERMS.spatial,
              DCTERMS.relation, ADMS.sample, ADMS.versionNotes, DCAT.temporalResolution,
              DCATAP.applicableLegislation, HEALTH.analytics, HEALTH.hasCodeValues,
              HEALTH.hasCodingSystem, HEALTH.healthCategory, HEALTH.healthTheme,
              HEALTH.maxTypicalAge, HEALTH.minTypicalAge, HEALTH.numberOfRecords,
              HEALTH.numberOfUniqueIndividuals, HEALTH.populationCoverage, HEALTH.publisherNote,
              HEALTH.publisherType, HEALTH.trustedDataHolder, DPV.hasLegalBasis,
              DPV.hasPersonalData, DPV.hasPurpose):
        assert _values(g, ds, p) == _values(expected, ds, p), p

    def period(graph_: Graph, p: URIRef) -> set:
        return {(graph_.value(n, DCAT.startDate), graph_.value(n, DCAT.endDate))
                for n in graph_.objects(ds, p)}

    assert period(g, DCTERMS.temporal) == period(expected, DCTERMS.temporal)
    assert period(g, HEALTH.retentionPeriod) == period(expected, HEALTH.retentionPeriod)
    hdab = g.value(ds, HEALTH.hdab)
    assert str(g.value(hdab, URIRef("http://xmlns.com/foaf/0.1/name"))) == \
        "EU Health Data Access Body"
    assert g.value(g.value(ds, DCAT.contactPoint), URIRef(
        "http://www.w3.org/2006/vcard/ns#hasEmail")) == URIRef("mailto:covacsurv@sciensano.be")
    warnings = pages[0].warnings
    assert any("has no URL" in w for w in warnings)
    assert any("dcat_type" in w for w in warnings)
    assert load(catalog, pages, "ckan health") and catalog.count_records() >= 1


def _values(g: Graph, s: URIRef, p: URIRef) -> set:
    return {o.toPython() if isinstance(o, Literal) else o for o in g.objects(s, p)}


# --- data.json ---------------------------------------------------------------------------

@needs_external
def test_datajson_cms_catalog(server: _Server, http: Http, catalog: Catalog) -> None:
    url = server.static("/data.json", (EXTERNAL / "cms_gov_data.json").read_bytes(),
                        "application/json")
    pages = list(loader_for("datajson", page_size=50).pages(url, http))
    assert len(pages) == 3 and all(p.total == 139 for p in pages)
    g = graph(pages)
    assert len(datasets(g)) == 139
    assert len(list(g.triples((None, DCAT.distribution, None)))) == 4040
    assert not [o for o in g.objects(None, DCTERMS.modified) if str(o).startswith("R/")]
    assert set(g.objects(None, DCTERMS.accrualPeriodicity)) >= {URIRef(EU + "frequency/ANNUAL")}
    assert set(g.objects(None, DCTERMS.accessRights)) == {URIRef(EU + "access-right/PUBLIC")}
    ds = URIRef("https://data.cms.gov/data-api/v1/dataset/9767cb68-8ea9-4f0b-8179-9431abc89f11"
                "/data-viewer")
    assert str(g.value(ds, DCTERMS.title)) == "Accountable Care Organization Participants"
    assert "Medicare" in {str(k) for k in g.objects(ds, DCAT.keyword)}
    cp = g.value(ds, DCAT.contactPoint)
    assert g.value(cp, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")) == URIRef(
        "mailto:SharedSavingsProgram@cms.hhs.gov")
    warnings = [w for p in pages for w in p.warnings]
    assert any("resourcesAPI not mapped" in w for w in warnings)
    assert any("bureauCode not mapped" in w for w in warnings)
    small = list(loader_for("datajson", page_size=5).pages(url, http))[0]
    assert len(load(catalog, [small], "cms")) == 5


# --- schema.org --------------------------------------------------------------------------

@needs_external
def test_schemaorg_dataverse_jsonld_and_landing_page(server: _Server, http: Http,
                                                     catalog: Catalog) -> None:
    body = (EXTERNAL / "dataverse_max_schemaorg.jsonld").read_bytes()
    url = server.static("/ds.jsonld", body, "application/ld+json")
    html = (b"<!DOCTYPE html><html><head><title>x</title><script type=\"application/ld+json\">"
            + body + b"</script></head><body>landing</body></html>")
    landing = server.static("/landing", html, "text/html; charset=utf-8")
    for source in (url, landing):
        pages = list(loader_for("schemaorg").pages(source, http))
        assert len(pages) == 1 and not pages[0].errors, pages[0].errors
        g = graph(pages)
        ds = URIRef("https://doi.org/10.5072/FK2/VQTYHD")
        assert datasets(g) == {ds}
        assert str(g.value(ds, DCTERMS.title)) == "Max Schema.org"
        assert URIRef("https://orcid.org/0000-0002-9528-9470") in set(
            g.objects(ds, DCTERMS.creator))
        assert len(set(g.objects(ds, DCAT.distribution))) == 2
        assert len(set(g.objects(ds, HDCAT.fundingProject))) == 2
        assert g.value(ds, DCTERMS.license) == URIRef(EU + "licence/CC0")
        ident = g.value(ds, ADMS.identifier)
        assert str(g.value(ident, SKOS.notation)) == "10.5072/FK2/VQTYHD"
        assert str(g.value(g.value(ds, DCTERMS.temporal), DCAT.startDate)) == "2023-01-01"
    assert load(catalog, pages, "dataverse")


# --- DataCite ----------------------------------------------------------------------------

def test_datacite_xml_and_json(http: Http, catalog: Catalog) -> None:
    pages = list(loader_for("datacite").pages(str(HARVEST / "datacite-nphdc.xml"), http))
    g = graph(pages)
    ds = URIRef("https://doi.org/10.12213/11.A0005.202006.001018")
    assert datasets(g) == {ds}
    assert Literal("糖尿病并发症预警数据集", lang="zh") in set(g.objects(ds, DCTERMS.title))
    assert str(g.value(ds, DCTERMS.identifier)) == "CSTR:A0006.11.A0005.202006.001018"
    notations = {g.value(i, SKOS.notation) for i in g.objects(ds, ADMS.identifier)}
    assert Literal("CSTR:A0006.11.A0005.202006.001018", datatype=HDCAT.CSTR) in notations
    assert g.value(ds, PROV.wasDerivedFrom) == URIRef(
        "https://doi.org/10.12213/11.A0005.201901.000001")
    assert g.value(ds, DCTERMS.isReferencedBy) == URIRef("https://doi.org/10.1000/example-paper")
    assert g.value(ds, DCAT.hasVersion) and g.value(ds, DCTERMS.isVersionOf)
    assert URIRef("https://orcid.org/0000-0002-1825-0097") in set(g.objects(ds, DCTERMS.creator))
    assert g.value(ds, DCTERMS.license) == URIRef(EU + "licence/CC_BY_4_0")
    assert g.value(ds, DCTERMS.accessRights) == URIRef(EU + "access-right/RESTRICTED")
    project = g.value(ds, HDCAT.fundingProject)
    assert str(g.value(project, HDCAT.grantNumber)) == "2018YFC1315000"
    assert any("Available" in w for w in pages[0].warnings)
    assert len(load(catalog, pages, "datacite xml")) == 1

    pages = list(loader_for("datacite").pages(str(HARVEST / "datacite-api.json"), http))
    g = graph(pages)
    assert len(datasets(g)) == 1 and [e.record for e in pages[0].errors] == [
        "10.57760/sciencedb.00000"]
    ds = URIRef("https://doi.org/10.57760/sciencedb.29221")
    assert str(g.value(ds, DCTERMS.identifier)) == "CSTR:31253.11.sciencedb.29221"
    assert g.value(ds, DCTERMS.license) == URIRef(EU + "licence/CC0")


# --- OAI-PMH -----------------------------------------------------------------------------

def _oai(path: str, query: dict[str, str], body: bytes) -> tuple[int, str, bytes]:
    if query.get("resumptionToken") == "token-2":
        name = "oai-page2.xml"
    elif query.get("metadataPrefix") == "oai_datacite":
        name = "oai-datacite.xml"
    elif query.get("metadataPrefix") == "oai_dc":
        name = "oai-page1.xml"
    else:
        return 200, "text/xml", b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">' \
            b'<error code="badArgument">bad</error></OAI-PMH>'
    return 200, "text/xml; charset=utf-8", (HARVEST / name).read_bytes()


def test_oai_dc_with_resumption_token(server: _Server, http: Http, catalog: Catalog) -> None:
    server.routes["/oai"] = _oai
    pages = list(loader_for("oai", metadata_prefix="oai_dc").pages(server.base + "/oai", http))
    assert len(pages) == 2 and pages[0].total == 4
    assert "resumptionToken=token-2" in (pages[0].next_url or "") and pages[1].next_url is None
    g = graph(pages)
    assert len(datasets(g)) == 2
    ds = URIRef("https://doi.org/10.12213/11.A0001.202103.000001")
    assert Literal("高血压随访数据集", lang="zh") in set(g.objects(ds, DCTERMS.title))
    assert g.value(ds, DCTERMS.license) == URIRef(EU + "licence/CC_BY_4_0")
    warnings = [w for p in pages for w in p.warnings]
    assert any("oai:hdcat.test:2: deleted" in w for w in warnings)
    assert any("dc:coverage" in w for w in warnings)
    assert [e.record for p in pages for e in p.errors] == ["oai:hdcat.test:4"]
    assert len(load(catalog, pages, "oai")) == 2


def test_oai_datacite_reuses_the_datacite_mapping(server: _Server, http: Http) -> None:
    server.routes["/oai"] = _oai
    pages = list(loader_for("oai").pages(server.base + "/oai", http))
    g = graph(pages)
    ds = URIRef("https://doi.org/10.12213/11.A0005.202006.001018")
    assert datasets(g) == {ds} and g.value(ds, PROV.wasDerivedFrom) is not None
    bad = list(loader_for("oai", metadata_prefix="nope").pages(server.base + "/oai", http))
    assert bad[0].source_error and "bad" in bad[0].source_error


# --- SPARQL ------------------------------------------------------------------------------

def test_sparql_endpoint_pages_with_limit_offset(server: _Server, http: Http) -> None:
    store = ox.Store()
    for n in range(3):
        store.load(_dcat_page(n, None).encode(), format=ox.RdfFormat.TURTLE)
    store.load(b'<http://data.test/ds/0> <http://www.w3.org/ns/dcat#contactPoint> [ '
               b'<http://www.w3.org/2006/vcard/ns#fn> "Desk" ] .', format=ox.RdfFormat.TURTLE)

    def endpoint(path: str, query: dict[str, str], body: bytes) -> tuple[int, str, bytes]:
        params = dict(urllib.parse.parse_qsl(body.decode())) if body else query
        result = store.query(params["query"])
        if isinstance(result, ox.QuerySolutions):
            return 200, "application/sparql-results+json", result.serialize(
                format=ox.QueryResultsFormat.JSON)
        return 200, "text/turtle", ox.serialize(result, format=ox.RdfFormat.TURTLE)

    server.routes["/sparql"] = endpoint
    pages = list(loader_for("sparql", page_size=4).pages(server.base + "/sparql", http))
    assert len(pages) == 2 and pages[0].total == 6 and not any(p.errors for p in pages)
    g = graph(pages)
    assert len(datasets(g)) == 6
    assert len(set(g.objects(None, DCAT.accessURL))) == 6
    cp = g.value(URIRef("http://data.test/ds/0"), DCAT.contactPoint)
    assert str(g.value(cp, URIRef("http://www.w3.org/2006/vcard/ns#fn"))) == "Desk"


# --- spreadsheets ------------------------------------------------------------------------

def _sheet_checks(pages: list[Page]) -> None:
    g = graph(pages)
    errors = [e for p in pages for e in p.errors]
    assert {e.record for e in errors} == {"row 4", "row 5"}
    row4 = " | ".join(e.message for e in errors if e.record == "row 4")
    for expected in ("学科分类", "火星医学", "数据分级", "'9'", "时间范围", "共享方式",
                     "联系人邮箱", "not-an-email"):
        assert expected in row4, (expected, row4)
    assert any("数据集中文名称" in e.message for e in errors if e.record == "row 5")
    assert any("备注" in w for p in pages for w in p.warnings)
    assert len(datasets(g)) == 3
    ds = URIRef("https://hdcat.example.org/dataset/A0006.11.A0005.202006.001018")
    assert Literal("糖尿病并发症预警数据集", lang="zh") in set(g.objects(ds, DCTERMS.title))
    assert {str(k) for k in g.objects(ds, DCAT.keyword)} == {"糖尿病", "并发症", "随访"}
    assert g.value(ds, HDCAT.domain) == URIRef("https://w3id.org/hdcat/vocab/domain/clinical-medicine")
    assert g.value(ds, HDCAT.sensitivityLevel) == URIRef(
        "https://w3id.org/hdcat/vocab/sensitivity-level/L3")
    assert set(g.objects(ds, HDCAT.dataCategory)) == {
        URIRef("https://w3id.org/hdcat/vocab/data-category/HS"),
        URIRef("https://w3id.org/hdcat/vocab/data-category/MA")}
    assert g.value(ds, HDCAT.sharingMode) == URIRef(
        "https://w3id.org/hdcat/vocab/sharing-mode/conditional")
    assert g.value(ds, DCTERMS.accessRights) == URIRef(EU + "access-right/RESTRICTED")
    assert g.value(ds, DCTERMS.license) == URIRef(EU + "licence/CC_BY_4_0")
    period = g.value(ds, DCTERMS.temporal)
    assert (str(g.value(period, DCAT.startDate)), str(g.value(period, DCAT.endDate))) == (
        "2015-01-01", "2019-12-31")
    assert g.value(ds, DCAT.distribution) is not None
    body = URIRef("https://hdcat.example.org/dataset/A0006.11.A0005.201905.000346")
    assert g.value(body, DCTERMS.license) == URIRef(EU + "licence/CC_BY_NC_4_0")
    assert g.value(body, DCTERMS.accessRights) == URIRef(EU + "access-right/NON_PUBLIC")


def test_sheet_csv_utf8_gbk_and_xlsx(tmp_path: Path, http: Http, catalog: Catalog) -> None:
    source = HARVEST / "registration.csv"
    text = source.read_text("utf-8")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(text)):
        sheet.append(row)
    xlsx = tmp_path / "registration.xlsx"
    book.save(xlsx)
    for path in (source, bom, gbk, xlsx):
        pages = list(loader_for("sheet").pages(str(path), http))
        assert len(pages) == 1 and pages[0].source_error is None, path
        _sheet_checks(pages)
    assert len(load(catalog, pages, "registration.xlsx")) == 3


def test_sheet_without_title_column_is_a_broken_source(tmp_path: Path, http: Http) -> None:
    path = tmp_path / "x.csv"
    path.write_text("名称,描述\na,b\n", "utf-8")
    page = next(loader_for("sheet").pages(str(path), http))
    assert page.source_error and "数据集中文名称" in page.source_error


def test_registry_knows_every_kind() -> None:
    assert set(LOADERS) == {"dcat", "ckan", "datajson", "schemaorg", "datacite", "oai",
                            "sparql", "sheet"}
    for kind in LOADERS:
        assert loader_for(kind).kind == kind
    with pytest.raises(ValueError):
        loader_for("gopher")
