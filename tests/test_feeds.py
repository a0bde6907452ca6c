"""Harvesting feeds (service/feeds.py, hdcat/feeds.py) over the demo catalog: the paged DCAT
catalog with Hydra links, OAI-PMH 2.0 (every verb, format and error; sickle end to end
against waitress on 127.0.0.1) and the sitemap."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient

from hdcat import resources
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.feeds import datestamp, encode_token
from hdcat.store import EmbeddedStore
from service.app import create_app
from service.feeds import feeds as app_feeds

B = "https://hdcat.example.org"
CATALOG = rdflib.URIRef(f"{B}/catalog")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
HDCAT = rdflib.Namespace("https://w3id.org/hdcat/ns#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
DATACITE = "{http://datacite.org/schema/kernel-4}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RDF_PARSERS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}
MEDIA = {"ttl": "text/turtle", "jsonld": "application/ld+json", "rdf": "application/rdf+xml",
         "nt": "application/n-triples"}
TOTAL = 73


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    tmp = tmp_path_factory.mktemp("feeds")
    cat = Catalog(Settings(data_dir=tmp), EmbeddedStore(tmp / "store"))
    report = cat.initialize(demo=True)
    assert report is not None and report.ok
    yield cat
    cat.close()


@pytest.fixture(scope="module")
def app(catalog: Catalog) -> Flask:
    flask_app = create_app(catalog)
    flask_app.testing = True
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="module")
def demo() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(resources.demo_catalog())
    return g


@pytest.fixture(scope="module")
def stamps(catalog: Catalog, demo: rdflib.Graph) -> dict[str, str]:
    """Record IRI -> expected datestamp, from the demo file with rdflib: the later of the
    record's and the dataset's dct:modified; records the loader made itself (series) were
    stamped with the load day."""
    out: dict[str, str] = {}
    for record in demo.subjects(rdflib.RDF.type, DCAT.CatalogRecord):
        ds = demo.value(record, FOAF.primaryTopic)
        values = [datestamp(str(v)) for v in (demo.value(record, DCT.modified),
                                               demo.value(ds, DCT.modified)) if v is not None]
        issued = demo.value(ds, DCT.issued)
        out[str(record)] = max(v for v in values if v) if values else datestamp(str(issued))
    today = date.today().isoformat() + "T00:00:00Z"
    for record, _ds in catalog.records():
        out.setdefault(record, today)
    assert len(out) == TOTAL
    return out


def _graph(body: bytes, fmt: str = "ttl") -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=body, format=RDF_PARSERS[fmt])
    return g


def _path(url: str) -> str:
    parts = urlsplit(str(url))
    return parts.path + ("?" + parts.query if parts.query else "")


def _walk_feed(client: FlaskClient, start: str) -> tuple[list[str], list[rdflib.Graph]]:
    """Follow hydra:next from `start`; the records of every page, and the pages."""
    records: list[str] = []
    pages: list[rdflib.Graph] = []
    url: str | None = start
    while url:
        r = client.get(url)
        assert r.status_code == 200, (url, r.data[:300])
        g = _graph(r.data)
        pages.append(g)
        records += [str(o) for o in g.objects(CATALOG, DCAT.record)]
        nxt = list(g.subject_objects(HYDRA.next))
        url = _path(nxt[0][1]) if nxt else None
        assert len(pages) < 100
    return records, pages


# --------------------------------------------------------------------------- the DCAT feed


def test_feed_pages_cover_every_record_once(client: FlaskClient, catalog: Catalog) -> None:
    records, pages = _walk_feed(client, "/catalog/feed?per_page=10")
    assert len(pages) == 8
    assert len(records) == TOTAL
    assert set(records) == {r for r, _d in catalog.records()}
    for g in pages:  # each page: the catalog, its records and their full graphs
        assert (CATALOG, rdflib.RDF.type, DCAT.Catalog) in g
        assert g.value(CATALOG, DCT.title) is not None
        for record in g.objects(CATALOG, DCAT.record):
            ds = g.value(record, FOAF.primaryTopic)
            assert ds is not None and (CATALOG, DCAT.dataset, ds) in g
            assert g.value(ds, DCT.title) is not None
            publisher = g.value(ds, DCT.publisher)
            if publisher is not None:  # referenced agents come along
                assert g.value(publisher, FOAF.name) is not None


def test_feed_record_graph_complete(client: FlaskClient, catalog: Catalog) -> None:
    """A record on a feed page carries what `hdcat export --record` gives."""
    records, pages = _walk_feed(client, "/catalog/feed?per_page=25")
    page = next(g for g in pages
                if (CATALOG, DCAT.record, rdflib.URIRef(f"{B}/record/dm-complications-2020")) in g)
    export = rdflib.Graph()
    export.parse(data=b"".join(
        f"{q.subject} {q.predicate} {q.object} .\n".encode()
        for q in catalog.export_quads(record=f"{B}/record/dm-complications-2020")), format="nt")
    missing = [t for t in export if t not in page]
    assert not missing, missing[:5]


def test_hydra_links_chain(client: FlaskClient) -> None:
    seen_views = []
    url: str | None = "/catalog/feed?per_page=10&format=ttl"
    n = 0
    while url:
        n += 1
        g = _graph(client.get(url).data)
        views = list(g.subjects(rdflib.RDF.type, HYDRA.PartialCollectionView))
        assert len(views) == 1
        view = views[0]
        assert (view, rdflib.RDF.type, HYDRA.PagedCollection) in g
        assert (CATALOG, HYDRA.view, view) in g
        assert int(g.value(view, HYDRA.totalItems)) == TOTAL
        assert int(g.value(CATALOG, HYDRA.totalItems)) == TOTAL
        assert int(g.value(view, HYDRA.itemsPerPage)) == 10
        q = parse_qs(urlsplit(str(view)).query)
        assert q["page"] == [str(n)] and q["per_page"] == ["10"] and q["format"] == ["ttl"]
        for new, old in (("first", "firstPage"), ("last", "lastPage"), ("next", "nextPage"),
                         ("previous", "previousPage")):
            assert g.value(view, HYDRA[new]) == g.value(view, HYDRA[old])
        assert parse_qs(urlsplit(str(g.value(view, HYDRA.first))).query)["page"] == ["1"]
        assert parse_qs(urlsplit(str(g.value(view, HYDRA.last))).query)["page"] == ["8"]
        prev = g.value(view, HYDRA.previous)
        nxt = g.value(view, HYDRA.next)
        assert (prev is None) == (n == 1)
        assert (nxt is None) == (n == 8)
        if prev is not None:
            assert prev == seen_views[-1]
        seen_views.append(view)
        url = _path(nxt) if nxt is not None else None
    assert n == 8


def test_feed_order_is_stable(client: FlaskClient) -> None:
    a, _ = _walk_feed(client, "/catalog/feed?per_page=7")
    b, _ = _walk_feed(client, "/catalog/feed?per_page=7")
    c, _ = _walk_feed(client, "/catalog/feed?per_page=200")
    assert a == b
    assert a == c


@pytest.mark.parametrize("since", ["2023-01-01", "2024-02-01", "2023-06-30T12:00:00Z",
                                   "2030-01-01", "1999-01-01"])
def test_modified_since(client: FlaskClient, stamps: dict[str, str], since: str) -> None:
    cut = datestamp(since)
    assert cut is not None
    expected = {r for r, s in stamps.items() if s >= cut}
    records, pages = _walk_feed(client, f"/catalog/feed?per_page=10&modified_since={since}")
    assert len(records) == len(set(records))
    assert set(records) == expected
    total = pages[0].value(None, HYDRA.totalItems)
    assert int(pages[0].value(CATALOG, HYDRA.totalItems)) == len(expected), total
    view = next(pages[0].subjects(rdflib.RDF.type, HYDRA.PartialCollectionView))
    assert parse_qs(urlsplit(str(view)).query)["modified_since"] == [since]


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "rdf", "nt"])
def test_every_page_parses_in_every_format(client: FlaskClient, fmt: str) -> None:
    records: set[str] = set()
    for page in range(1, 5):
        for how in ("format", "accept"):
            if how == "format":
                r = client.get(f"/catalog/feed?per_page=20&page={page}&format={fmt}")
            else:
                r = client.get(f"/catalog/feed?per_page=20&page={page}",
                               headers={"Accept": MEDIA[fmt]})
            assert r.status_code == 200
            assert r.mimetype == MEDIA[fmt]
            g = _graph(r.data, fmt)
            found = {str(o) for o in g.objects(CATALOG, DCAT.record)}
            assert found and len(found) <= 20
            records |= found
    assert len(records) == TOTAL


def test_catalog_rdf_delegates_to_the_feed(client: FlaskClient) -> None:
    # With paging arguments, /catalog's RDF is a feed page.
    g = _graph(client.get("/catalog?format=ttl&page=2&per_page=30").data)
    assert len(set(g.objects(CATALOG, DCAT.record))) == 30
    assert int(g.value(CATALOG, HYDRA.totalItems)) == TOTAL
    g = _graph(client.get("/catalog?page=1", headers={"Accept": "text/turtle"}).data)
    assert len(set(g.objects(CATALOG, DCAT.record))) == 50
    records, _ = _walk_feed(client, "/catalog?format=ttl&per_page=30&page=1")
    assert len(set(records)) == TOTAL
    # Without: the description, with a view leading to page 1.
    g = _graph(client.get("/catalog?format=ttl").data)
    assert not list(g.objects(CATALOG, DCAT.dataset))
    assert g.value(CATALOG, DCT.title) is not None
    view = g.value(CATALOG, HYDRA.view)
    assert view is not None and int(g.value(view, HYDRA.totalItems)) == TOTAL
    first = g.value(view, HYDRA.first)
    assert g.value(view, HYDRA.next) == first == g.value(view, HYDRA.nextPage)
    records, pages = _walk_feed(client, _path(first))
    assert len(records) == TOTAL and len(pages) == 2
    # The HTML page is untouched.
    r = client.get("/catalog", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"


def test_feed_bad_arguments(client: FlaskClient) -> None:
    for query in ("page=0", "page=x", "per_page=-1", "modified_since=yesterday",
                  "modified_since=2024-13-01"):
        r = client.get(f"/catalog/feed?{query}")
        assert r.status_code == 400, query
    assert client.get("/catalog/feed?page=9&per_page=10").status_code == 404
    assert client.get("/catalog/feed?format=pdf").status_code == 406
    # per_page is capped
    g = _graph(client.get("/catalog/feed?per_page=100000").data)
    view = next(g.subjects(rdflib.RDF.type, HYDRA.PartialCollectionView))
    assert int(g.value(view, HYDRA.itemsPerPage)) <= 200


# --------------------------------------------------------------------------- OAI-PMH helpers


def _oai(client: FlaskClient, method: str = "get", **args: str) -> ET.Element:
    r = client.get("/oai", query_string=args) if method == "get" else client.post(
        "/oai", data=args)
    assert r.status_code == 200
    assert r.mimetype == "text/xml"
    root = ET.fromstring(r.data)
    assert root.tag == OAI + "OAI-PMH"
    children = [c.tag for c in root]
    assert children[:2] == [OAI + "responseDate", OAI + "request"]
    assert datetime.strptime(root.findtext(OAI + "responseDate"), "%Y-%m-%dT%H:%M:%SZ")
    return root


def _error(root: ET.Element) -> str | None:
    err = root.find(OAI + "error")
    return err.get("code") if err is not None else None


def _list_all(client: FlaskClient, verb: str, **args: str) -> tuple[list[ET.Element], int]:
    """Every header (ListIdentifiers) or record (ListRecords) through the tokens, checking
    cursor and completeListSize; also the number of requests."""
    items: list[ET.Element] = []
    root = _oai(client, verb=verb, **args)
    assert _error(root) is None, ET.tostring(root)[:500]
    requests = 1
    size = None
    while True:
        body = root.find(OAI + verb)
        tag = "header" if verb == "ListIdentifiers" else "record"
        page = body.findall(OAI + tag)
        token = body.find(OAI + "resumptionToken")
        if token is not None:
            assert int(token.get("cursor")) == len(items)
            size = int(token.get("completeListSize"))
        items += page
        if token is None or not (token.text or "").strip():
            break
        assert token.get("expirationDate")
        root = _oai(client, verb=verb, resumptionToken=token.text)
        requests += 1
    if size is not None:
        assert size == len(items)
    return items, requests


def _ids(items: list[ET.Element]) -> list[str]:
    return [(i.find(OAI + "header") if i.tag == OAI + "record" else i).findtext(
        OAI + "identifier") for i in items]


def _record_id(record: str) -> str:
    return "oai:hdcat.example.org:" + record.rsplit("/", 1)[-1]


@pytest.fixture
def small_pages(app: Flask) -> Iterator[None]:
    with app.app_context():
        f = app_feeds()
    old = (f.oai_records_per_page, f.oai_ids_per_page)
    f.oai_records_per_page, f.oai_ids_per_page = 20, 15
    yield
    f.oai_records_per_page, f.oai_ids_per_page = old


# --------------------------------------------------------------------------- OAI-PMH verbs


def test_identify(client: FlaskClient, stamps: dict[str, str]) -> None:
    for method in ("get", "post"):
        root = _oai(client, method, verb="Identify")
        assert root.find(OAI + "request").get("verb") == "Identify"
        ident = root.find(OAI + "Identify")
        assert ident.findtext(OAI + "repositoryName")
        assert ident.findtext(OAI + "baseURL") == "http://localhost/oai"
        assert ident.findtext(OAI + "protocolVersion") == "2.0"
        assert "@" in ident.findtext(OAI + "adminEmail")
        assert ident.findtext(OAI + "earliestDatestamp") == min(stamps.values())
        assert ident.findtext(OAI + "deletedRecord") in ("no", "transient", "persistent")
        assert ident.findtext(OAI + "granularity") == "YYYY-MM-DDThh:mm:ssZ"
        order = [c.tag.removeprefix(OAI) for c in ident]
        assert order[:8] == ["repositoryName", "baseURL", "protocolVersion", "adminEmail",
                             "earliestDatestamp", "deletedRecord", "granularity",
                             "description"]
        sample = ident.find(".//{http://www.openarchives.org/OAI/2.0/oai-identifier}"
                            "sampleIdentifier").text
        got = _oai(client, verb="GetRecord", identifier=sample, metadataPrefix="oai_dc")
        assert _error(got) is None


def test_list_metadata_formats(client: FlaskClient) -> None:
    root = _oai(client, verb="ListMetadataFormats")
    prefixes = {f.findtext(OAI + "metadataPrefix"): f.findtext(OAI + "metadataNamespace")
                for f in root.iter(OAI + "metadataFormat")}
    assert prefixes["oai_dc"] == "http://www.openarchives.org/OAI/2.0/oai_dc/"
    assert "oai_datacite" in prefixes and "dcat" in prefixes and "rdf" in prefixes
    root = _oai(client, verb="ListMetadataFormats",
                identifier=_record_id(f"{B}/record/dm-complications-2020"))
    assert len(list(root.iter(OAI + "metadataFormat"))) == len(prefixes)
    root = _oai(client, verb="ListMetadataFormats", identifier="oai:hdcat.example.org:nope")
    assert _error(root) == "idDoesNotExist"


def test_list_sets_and_set_filtering(client: FlaskClient, demo: rdflib.Graph,
                                     small_pages: None) -> None:
    root = _oai(client, verb="ListSets")
    specs = [s.findtext(OAI + "setSpec") for s in root.iter(OAI + "set")]
    assert "domain:public-health" in specs and "publisher:nphdc" in specs
    assert all(s.findtext(OAI + "setName") for s in root.iter(OAI + "set"))

    def expected(prop: rdflib.URIRef, value: rdflib.URIRef) -> set[str]:
        return {_record_id(str(r)) for ds in demo.subjects(prop, value)
                for r in demo.subjects(FOAF.primaryTopic, ds)}

    dom = rdflib.URIRef("https://w3id.org/hdcat/vocab/domain/public-health")
    items, _ = _list_all(client, "ListIdentifiers", metadataPrefix="oai_dc",
                         set="domain:public-health")
    assert set(_ids(items)) == expected(HDCAT.domain, dom)
    for header in items:
        assert "domain:public-health" in [s.text for s in header.findall(OAI + "setSpec")]
    items, _ = _list_all(client, "ListRecords", metadataPrefix="oai_dc", set="publisher:nphdc")
    nphdc = expected(DCT.publisher, rdflib.URIRef(f"{B}/agent/nphdc"))
    # series records (made by the loader) are in the set too when nphdc publishes them
    series = {_record_id(str(s)) for s in demo.subjects(rdflib.RDF.type, DCAT.DatasetSeries)
              if (s, DCT.publisher, rdflib.URIRef(f"{B}/agent/nphdc")) in demo}
    assert set(_ids(items)) == nphdc | series
    items, _ = _list_all(client, "ListIdentifiers", metadataPrefix="oai_dc", set="domain")
    assert len(items) == len({_record_id(str(r)) for ds in demo.subjects(HDCAT.domain, None)
                              for r in demo.subjects(FOAF.primaryTopic, ds)})
    root = _oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="domain:nothing")
    assert _error(root) == "noRecordsMatch"


def test_list_identifiers_through_tokens(client: FlaskClient, stamps: dict[str, str],
                                         small_pages: None) -> None:
    items, requests = _list_all(client, "ListIdentifiers", metadataPrefix="oai_dc")
    assert requests == 5  # 73 at 15 a page
    ids = _ids(items)
    assert len(ids) == len(set(ids)) == TOTAL
    assert set(ids) == {_record_id(r) for r in stamps}
    got = [(h.findtext(OAI + "datestamp"), h.findtext(OAI + "identifier")) for h in items]
    assert got == sorted(got)  # datestamp order
    for h in items:
        record = next(r for r in stamps if _record_id(r) == h.findtext(OAI + "identifier"))
        assert h.findtext(OAI + "datestamp") == stamps[record]


@pytest.mark.parametrize("prefix", ["oai_dc", "oai_datacite", "datacite", "dcat", "rdf"])
def test_list_records_every_format(client: FlaskClient, prefix: str,
                                   small_pages: None) -> None:
    items, requests = _list_all(client, "ListRecords", metadataPrefix=prefix)
    assert requests == 4  # 73 at 20 a page
    assert len(set(_ids(items))) == TOTAL
    for n, record in enumerate(items):
        meta = record.find(OAI + "metadata")
        assert meta is not None and len(meta) == 1
        payload = meta[0]
        if prefix == "oai_dc":
            assert payload.tag == "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
            assert payload.findall(DC + "title")
            assert payload.findtext(DC + "type") == "Dataset"
        elif prefix in ("oai_datacite", "datacite"):
            resource = payload if prefix == "datacite" else payload.find(
                "{http://schema.datacite.org/oai/oai-1.1/}payload/" + DATACITE + "resource")
            assert resource is not None and resource.tag == DATACITE + "resource"
            for tag in ("creators", "titles", "publisher", "publicationYear", "resourceType"):
                assert resource.find(DATACITE + tag) is not None, tag
            assert resource.find(DATACITE + "resourceType").get("resourceTypeGeneral") == \
                "Dataset"
        else:
            assert payload.tag == "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
            assert payload.find(".//{http://xmlns.com/foaf/0.1/}primaryTopic") is not None
            if n % 20:
                continue  # rdflib reads one record a page (it is slow at RDF/XML)
            g = rdflib.Graph()
            g.parse(data=ET.tostring(payload), format="xml")
            assert list(g.subjects(rdflib.RDF.type, DCAT.CatalogRecord))


def test_get_record_oai_dc(client: FlaskClient) -> None:
    ident = _record_id(f"{B}/record/dm-complications-2020")
    root = _oai(client, verb="GetRecord", identifier=ident, metadataPrefix="oai_dc")
    req = root.find(OAI + "request")
    assert req.get("identifier") == ident and req.get("metadataPrefix") == "oai_dc"
    rec = root.find(f"{OAI}GetRecord/{OAI}record")
    assert rec.findtext(f"{OAI}header/{OAI}identifier") == ident
    assert rec.findtext(f"{OAI}header/{OAI}datestamp") == "2024-03-01T00:00:00Z"
    dc = rec.find(f"{OAI}metadata/{{http://www.openarchives.org/OAI/2.0/oai_dc/}}dc")
    titles = {t.get(XML_LANG): t.text for t in dc.findall(DC + "title")}
    assert titles == {"zh": "糖尿病并发症预警数据集",
                      "en": "Diabetes Complications Early-Warning Dataset"}
    idents = [i.text for i in dc.findall(DC + "identifier")]
    assert "CSTR:A0006.11.A0005.202006.001018" in idents
    assert "https://doi.org/10.12213/11.A0005.202006.001018" in idents
    assert f"{B}/dataset/dm-complications-2020" in idents
    creators = [c.text for c in dc.findall(DC + "creator")]
    assert "北京协和医院" in creators
    assert "国家人口健康科学数据中心" in [p.text for p in dc.findall(DC + "publisher")]
    assert {"糖尿病", "diabetes"} <= {s.text for s in dc.findall(DC + "subject")}
    assert {d.get(XML_LANG) for d in dc.findall(DC + "description")} == {"zh", "en"}
    assert "2020-06-15" in [d.text for d in dc.findall(DC + "date")]
    assert "zh" in [x.text for x in dc.findall(DC + "language")]
    assert any("licence" in (r.text or "") for r in dc.findall(DC + "rights"))


def test_get_record_datacite(client: FlaskClient) -> None:
    ident = _record_id(f"{B}/record/dm-complications-2020")
    root = _oai(client, verb="GetRecord", identifier=ident, metadataPrefix="oai_datacite")
    res = root.find(f".//{DATACITE}resource")
    doi = res.find(DATACITE + "identifier")
    assert doi.get("identifierType") == "DOI" and doi.text == "10.12213/11.A0005.202006.001018"
    alt = {a.get("alternateIdentifierType"): a.text
           for a in res.iter(DATACITE + "alternateIdentifier")}
    assert alt["CSTR"] == "CSTR:A0006.11.A0005.202006.001018"
    assert alt["URL"] == f"{B}/dataset/dm-complications-2020"
    titles = {t.get(XML_LANG): t.text for t in res.iter(DATACITE + "title")}
    assert titles["en"] == "Diabetes Complications Early-Warning Dataset"
    names = [c.findtext(DATACITE + "creatorName") for c in res.iter(DATACITE + "creator")]
    assert "北京协和医院" in names
    kinds = {c.find(DATACITE + "creatorName").get("nameType")
             for c in res.iter(DATACITE + "creator")}
    assert kinds <= {"Personal", "Organizational"}
    assert res.findtext(DATACITE + "publicationYear") == "2020"
    assert res.findtext(DATACITE + "publisher") == "国家人口健康科学数据中心"
    dates = {d.get("dateType"): d.text for d in res.iter(DATACITE + "date")}
    assert dates["Issued"] == "2020-06-15" and dates["Updated"] == "2024-03-01"
    assert dates["Collected"] == "2015-01-01/2019-12-31"
    assert any(r.get("rightsURI") for r in res.iter(DATACITE + "rights"))
    assert {d.get("descriptionType") for d in res.iter(DATACITE + "description")} == \
        {"Abstract"}
    assert "diabetes" in [s.text for s in res.iter(DATACITE + "subject")]


def test_get_record_dcat(client: FlaskClient) -> None:
    ident = _record_id(f"{B}/record/dm-complications-2020")
    for prefix in ("dcat", "rdf"):
        root = _oai(client, verb="GetRecord", identifier=ident, metadataPrefix=prefix)
        rdf = root.find(f"{OAI}GetRecord/{OAI}record/{OAI}metadata")[0]
        g = rdflib.Graph()
        g.parse(data=ET.tostring(rdf), format="xml")
        ds = rdflib.URIRef(f"{B}/dataset/dm-complications-2020")
        assert (ds, rdflib.RDF.type, DCAT.Dataset) in g
        assert g.value(rdflib.URIRef(f"{B}/agent/nphdc"), FOAF.name) is not None


@pytest.mark.parametrize(("when", "field"), [
    ("2024-01-01", "from"), ("2023-06-30", "until"), ("2020-06-15", "until"),
    ("2024-03-01T00:00:00Z", "from"), ("2024-03-01T00:00:00Z", "until"),
])
def test_from_until(client: FlaskClient, stamps: dict[str, str], when: str, field: str,
                    small_pages: None) -> None:
    if field == "from":
        lo = datestamp(when)
        expected = {r for r, s in stamps.items() if s >= lo}
    else:
        hi = when if "T" in when else when + "T23:59:59Z"
        expected = {r for r, s in stamps.items() if s <= hi}
    items, _ = _list_all(client, "ListIdentifiers", metadataPrefix="oai_dc", **{field: when})
    assert set(_ids(items)) == {_record_id(r) for r in expected}


def test_from_and_until_together(client: FlaskClient, stamps: dict[str, str],
                                 small_pages: None) -> None:
    expected = {_record_id(r) for r, s in stamps.items()
                if "2022-01-01T00:00:00Z" <= s <= "2023-12-31T23:59:59Z"}
    items, _ = _list_all(client, "ListRecords", metadataPrefix="oai_datacite",
                         **{"from": "2022-01-01", "until": "2023-12-31"})
    assert set(_ids(items)) == expected and expected
    one = {_record_id(r) for r, s in stamps.items() if s.startswith("2024-03-01")}
    items, _ = _list_all(client, "ListIdentifiers", metadataPrefix="oai_dc",
                         **{"from": "2024-03-01", "until": "2024-03-01"})
    assert set(_ids(items)) == one and one


# --------------------------------------------------------------------------- OAI-PMH errors


@pytest.mark.parametrize(("args", "code"), [
    ({}, "badVerb"),
    ({"verb": "Explode"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "foo": "bar"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-30"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2024-01-01T00:00Z"},
     "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01",
      "until": "2024-12-31T00:00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-01",
      "until": "2024-01-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
     "badArgument"),
    ({"verb": "GetRecord", "identifier": "oai:hdcat.example.org:dm-complications-2020"},
     "badArgument"),
    ({"verb": "ListSets", "set": "domain"}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "garbage"}, "badResumptionToken"),
    ({"verb": "ListIdentifiers", "resumptionToken": "eyJ9.abc"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "nope"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "metadataPrefix": "marc21",
      "identifier": "oai:hdcat.example.org:dm-complications-2020"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc",
      "identifier": "oai:hdcat.example.org:no-such-record"}, "idDoesNotExist"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc",
      "identifier": "oai:other.example.org:dm-complications-2020"}, "idDoesNotExist"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "garbage"},
     "idDoesNotExist"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2099-01-01"},
     "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "1990-01-01"},
     "noRecordsMatch"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "publisher:nobody"},
     "noRecordsMatch"),
])
def test_oai_errors(client: FlaskClient, args: dict, code: str) -> None:
    r = client.get("/oai", query_string=args)
    assert r.status_code == 200
    root = ET.fromstring(r.data)
    assert _error(root) == code, r.data[:600]
    assert root.find(OAI + root.find(OAI + "request").get("verb", "none")) is None
    request_el = root.find(OAI + "request")
    assert request_el.text == "http://localhost/oai"
    if code in ("badVerb", "badArgument"):
        assert not request_el.attrib  # the spec: only the base URL after these errors


def _token(client: FlaskClient, verb: str = "ListIdentifiers") -> str:
    root = _oai(client, verb=verb, metadataPrefix="oai_dc")
    return root.find(f"{OAI}{verb}/{OAI}resumptionToken").text


def test_bad_resumption_tokens(client: FlaskClient, small_pages: None) -> None:
    token = _token(client)
    data, _, check = token.partition(".")
    for bad in (data + "." + "0" * len(check), data[:-2] + "." + check, token + "x"):
        root = _oai(client, verb="ListIdentifiers", resumptionToken=bad)
        assert _error(root) == "badResumptionToken"
    # a token of one verb is not good for another
    root = _oai(client, verb="ListRecords", resumptionToken=token)
    assert _error(root) == "badResumptionToken"
    # expired
    past = int((datetime.now(UTC) - timedelta(minutes=1)).timestamp())
    old = encode_token("ListIdentifiers", {"m": "oai_dc", "c": 15, "x": past,
                                           "k": ["2020-01-01T00:00:00Z", f"{B}/record/x"]})
    root = _oai(client, verb="ListIdentifiers", resumptionToken=old)
    assert _error(root) == "badResumptionToken"
    # the good one still works, with the other arguments it remembers
    root = _oai(client, verb="ListIdentifiers", resumptionToken=token)
    assert _error(root) is None
    assert root.find(OAI + "request").get("resumptionToken") == token


def test_token_continues_after_last_key(client: FlaskClient, small_pages: None) -> None:
    """A token holds the last key delivered (not an offset): the next page starts after it."""
    root = _oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    first = _ids(root.find(OAI + "ListIdentifiers").findall(OAI + "header"))
    token = root.find(f"{OAI}ListIdentifiers/{OAI}resumptionToken").text
    again = _oai(client, verb="ListIdentifiers", resumptionToken=token)
    second = _ids(again.find(OAI + "ListIdentifiers").findall(OAI + "header"))
    assert not set(first) & set(second)


# --------------------------------------------------------------------------- sickle, live


def test_sickle_end_to_end(catalog: Catalog) -> None:
    sickle = pytest.importorskip("sickle")
    from tests.live_server import serving

    with serving(catalog) as base:
        client = sickle.Sickle(base + "/oai", max_retries=0, timeout=30)
        ident = client.Identify()
        assert ident.protocolVersion == "2.0"
        assert ident.granularity == "YYYY-MM-DDThh:mm:ssZ"
        for prefix in ("oai_dc", "oai_datacite"):
            records = list(client.ListRecords(metadataPrefix=prefix))
            ids = [r.header.identifier for r in records]
            assert len(ids) == len(set(ids)) == TOTAL, prefix
            if prefix == "oai_dc":
                assert all(r.metadata.get("title") for r in records)
                assert all(r.metadata.get("type") == ["Dataset"] for r in records)
            else:
                assert all(r.xml.find(f".//{DATACITE}titles") is not None for r in records)
        headers = list(client.ListIdentifiers(metadataPrefix="oai_dc",
                                              set="domain:clinical-medicine"))
        assert headers and all("domain:clinical-medicine" in h.setSpecs for h in headers)
        sets = [s.setSpec for s in client.ListSets()]
        assert "publisher:nphdc" in sets
        formats = [f.metadataPrefix for f in client.ListMetadataFormats()]
        assert {"oai_dc", "oai_datacite", "dcat"} <= set(formats)
        one = client.GetRecord(identifier=ids[0], metadataPrefix="oai_dc")
        assert one.header.identifier == ids[0]
        from sickle.oaiexceptions import CannotDisseminateFormat, IdDoesNotExist

        with pytest.raises(IdDoesNotExist):
            client.GetRecord(identifier="oai:hdcat.example.org:none", metadataPrefix="oai_dc")
        with pytest.raises(CannotDisseminateFormat):
            client.GetRecord(identifier=ids[0], metadataPrefix="marc21")


# --------------------------------------------------------------------------- sitemap


def test_sitemap(client: FlaskClient, catalog: Catalog) -> None:
    r = client.get("/sitemap.xml")
    assert r.status_code == 200 and r.mimetype == "application/xml"
    root = ET.fromstring(r.data)
    assert root.tag == SM + "urlset"
    urls = {u.findtext(SM + "loc"): u.findtext(SM + "lastmod") for u in root.iter(SM + "url")}
    expected = {"http://localhost/dataset/" + ds.rsplit("/", 1)[-1]
                for _r, ds in catalog.records()}
    assert set(urls) == expected and len(urls) == TOTAL
    assert all(date.fromisoformat(v) for v in urls.values())
    assert urls["http://localhost/dataset/dm-complications-2020"] == "2024-03-01"
    assert client.get("/sitemap-1.xml").status_code == 404


def test_sitemap_index(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        f = app_feeds()
    old = f.sitemap_urls
    f.sitemap_urls = 30
    try:
        root = ET.fromstring(client.get("/sitemap.xml").data)
        assert root.tag == SM + "sitemapindex"
        locs = [s.findtext(SM + "loc") for s in root.iter(SM + "sitemap")]
        assert locs == [f"http://localhost/sitemap-{n}.xml" for n in (1, 2, 3)]
        assert all(s.findtext(SM + "lastmod") for s in root.iter(SM + "sitemap"))
        seen: list[str] = []
        for loc in locs:
            child = ET.fromstring(client.get(_path(loc)).data)
            found = [u.findtext(SM + "loc") for u in child.iter(SM + "url")]
            assert 0 < len(found) <= 30
            seen += found
        assert len(seen) == len(set(seen)) == TOTAL
        assert client.get("/sitemap-4.xml").status_code == 404
    finally:
        f.sitemap_urls = old


# --------------------------------------------------------------------------- hostile text

HOSTILE = "</title><script>alert(1)</script> ]]> \"&' <![CDATA[x]]> end"
HOSTILE_TTL = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix hdcat: <https://w3id.org/hdcat/ns#> . @prefix dom: <https://w3id.org/hdcat/vocab/domain/> .
<https://hdcat.example.org/dataset/hostile> a dcat:Dataset ;
    dct:title "</title><script>alert(1)</script> ]]> \\"&' <![CDATA[x]]> end"@zh ,
              "<b>&amp; English</b>"@en ;
    dct:description "<img src=x onerror=alert(1)> & description"@zh ;
    dcat:keyword "<b>bold</b>"@zh ;
    dct:identifier "CSTR:12345.11.hostile.0001" ;
    dct:publisher <https://hdcat.example.org/agent/mallory> ;
    dct:creator <https://hdcat.example.org/agent/mallory> ;
    hdcat:domain dom:pharmacy ;
    dct:issued "2024-01-02"^^xsd:date ; dct:modified "2024-01-03T10:20:30+08:00"^^xsd:dateTime .
<https://hdcat.example.org/agent/mallory> a foaf:Agent , foaf:Person ;
    foaf:name "<b>\\"Mallory\\" & co</b>"@zh .
"""


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    tmp = tmp_path_factory.mktemp("feeds-hostile")
    cat = Catalog(Settings(data_dir=tmp), EmbeddedStore(tmp / "store"))
    cat.initialize()
    path = Path(tmp) / "hostile.ttl"
    path.write_text(HOSTILE_TTL, encoding="utf-8")
    report = cat.load([path], validate=False)
    assert report.ok, report
    flask_app = create_app(cat)
    flask_app.testing = True
    yield flask_app.test_client()
    cat.close()


def test_hostile_title_escaped(hostile_client: FlaskClient) -> None:
    ident = "oai:hdcat.example.org:hostile"
    clean = HOSTILE
    for prefix in ("oai_dc", "oai_datacite", "dcat"):
        r = hostile_client.get("/oai", query_string={
            "verb": "GetRecord", "identifier": ident, "metadataPrefix": prefix})
        assert b"<script>" not in r.data
        root = ET.fromstring(r.data)  # well-formed
        assert _error(root) is None
        rec = root.find(f"{OAI}GetRecord/{OAI}record")
        # the loader made the catalog record, stamped with the load day (later than the
        # dataset's dct:modified)
        assert rec.findtext(f"{OAI}header/{OAI}datestamp") == \
            date.today().isoformat() + "T00:00:00Z"
        if prefix == "oai_dc":
            titles = {t.get(XML_LANG): t.text for t in rec.iter(DC + "title")}
            assert titles["zh"] == clean
            assert titles["en"] == "<b>&amp; English</b>"
            assert '<b>"Mallory" & co</b>' in [c.text for c in rec.iter(DC + "creator")]
        elif prefix == "oai_datacite":
            titles = {t.get(XML_LANG): t.text for t in rec.iter(DATACITE + "title")}
            assert titles["zh"] == clean
            assert rec.find(f".//{DATACITE}creatorName").get("nameType") == "Personal"
        else:
            g = rdflib.Graph()
            g.parse(data=ET.tostring(rec.find(f"{OAI}metadata")[0]), format="xml")
            titles = {str(o) for o in g.objects(rdflib.URIRef(f"{B}/dataset/hostile"),
                                                DCT.title)}
            assert clean in titles
    r = hostile_client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc")
    assert len(ET.fromstring(r.data).findall(f".//{OAI}record")) == 1
    for fmt in ("ttl", "jsonld", "rdf", "nt"):
        r = hostile_client.get(f"/catalog/feed?format={fmt}")
        g = _graph(r.data, fmt)
        assert (CATALOG, DCAT.record, rdflib.URIRef(f"{B}/record/hostile")) in g
    ET.fromstring(hostile_client.get("/sitemap.xml").data)


def test_xml_text_drops_illegal_characters() -> None:
    from service.feeds import _x

    assert _x("a\x01b\x0bc\ud800d\ufffee\tf\ng") == "abcde\tf\ng"
    root = ET.Element("t")
    root.text = _x("<&>\x00]]>")
    assert ET.fromstring(ET.tostring(root)).text == "<&>]]>"


def test_datestamps() -> None:
    assert datestamp("2024-01-03T10:20:30+08:00") == "2024-01-03T02:20:30Z"
    assert datestamp("2024-01-03T10:20:30") == "2024-01-03T10:20:30Z"
    assert datestamp("2024-01-03") == "2024-01-03T00:00:00Z"
    assert datestamp("2024") == "2024-01-01T00:00:00Z"
    assert datestamp("2024-02-30") is None and datestamp("soon") is None
