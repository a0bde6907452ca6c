"""Resource pages and linked data (service/pages.py) over the demo catalog, on the embedded
store and on a remote Oxigraph server; read models (hdcat.browse, hdcat.lineage,
hdcat.citation) checked through them."""

from __future__ import annotations

import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient

from hdcat import browse, citation
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.lineage import lineage, to_svg
from hdcat.store import RemoteStore
from service.app import create_app

B = "https://hdcat.example.org"
DM = f"{B}/dataset/dm-complications-2020"
HOSTILE = "</script><script>alert(1)</script> \"&'"

EXTRA = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix hdcat: <https://w3id.org/hdcat/ns#> .
@prefix share: <https://w3id.org/hdcat/vocab/sharing-mode/> .
@prefix dom: <https://w3id.org/hdcat/vocab/domain/> .

<https://hdcat.example.org/dataset/hostile> a dcat:Dataset ;
    dct:title "</script><script>alert(1)</script> \\"&'"@zh ,
              "</script><script>alert(1)</script> \\"&' (en)"@en ;
    dct:description "<img src=x onerror=alert(1)> & description"@zh ;
    dcat:keyword "<b>bold</b>"@zh ;
    dct:identifier "CSTR:12345.11.hostile.0001" ;
    dct:publisher <https://hdcat.example.org/agent/nphdc> ;
    dct:creator <https://hdcat.example.org/agent/mallory> ;
    hdcat:domain dom:pharmacy ;
    dct:issued "2024-01-02"^^xsd:date ;
    prov:wasDerivedFrom <https://hdcat.example.org/dataset/dm-complications-2020> ;
    prov:wasGeneratedBy <https://hdcat.example.org/dataset/hostile#act> ;
    dcat:distribution <https://hdcat.example.org/dataset/hostile#dist> .
<https://hdcat.example.org/dataset/hostile#act> a prov:Activity ;
    rdfs:label "<script>act</script>"@zh ;
    prov:used <https://hdcat.example.org/dataset/dm-complications-2020> .
<https://hdcat.example.org/dataset/hostile#dist> a dcat:Distribution ;
    dct:title "<i>file</i>"@zh ;
    dcat:accessURL <https://example.org/ok> ;
    dcat:downloadURL <javascript:alert(1)> .
<https://hdcat.example.org/agent/mallory> a foaf:Agent , foaf:Person ;
    foaf:name "<b>\\"Mallory\\" & co</b>"@zh .

<https://hdcat.example.org/dataset/embargoed-future> a dcat:Dataset ;
    dct:title "保护期中的数据集"@zh , "Dataset under embargo"@en ;
    dct:publisher <https://hdcat.example.org/agent/fudan> ;
    dct:creator <https://hdcat.example.org/agent/zhang-san> ;
    dct:issued "2023-05-06"^^xsd:date ;
    dcat:version "2" ;
    hdcat:sharingMode share:embargoed ;
    hdcat:embargoEnd "2999-12-31"^^xsd:date ;
    dcat:distribution <https://hdcat.example.org/dataset/embargoed-future#csv> .
<https://hdcat.example.org/dataset/embargoed-future#csv> a dcat:Distribution ;
    dct:title "CSV"@en ;
    dcat:accessURL <https://example.org/embargo/landing> ;
    dcat:downloadURL <https://example.org/embargo/secret.csv> ;
    dcat:byteSize "1536"^^xsd:nonNegativeInteger .
<https://hdcat.example.org/agent/zhang-san> a foaf:Agent , foaf:Person ;
    foaf:name "张三"@zh , "Zhang San"@en ; foaf:familyName "Zhang" ; foaf:givenName "San" .
<https://hdcat.example.org/record/embargoed-future> a dcat:CatalogRecord ;
    foaf:primaryTopic <https://hdcat.example.org/dataset/embargoed-future> ;
    dct:source <https://harvest.example.org/oai/record/42> .

<http://localhost/dataset/hosted-here> a dcat:Dataset ;
    dct:title "本机地址下的数据集"@zh , "Dataset under the serving host"@en ;
    dct:publisher <https://hdcat.example.org/agent/nphdc> .

<https://other.example.net/dataset/foreign-1> a dcat:Dataset ;
    dct:title "外部数据集"@zh , "Foreign dataset"@en ;
    dct:publisher <https://hdcat.example.org/agent/nphdc> .
"""


def _no_search_index(catalog: Catalog) -> None:
    """create_app asks for the search index (hdcat.search); until it lands, give a stub."""
    if importlib.util.find_spec("hdcat.search") is None:

        class _Stub:
            def count(self) -> int:
                return 0

            def apply(self, *_args: object) -> None:
                return None

        catalog._search = _Stub()  # type: ignore[assignment]


@pytest.fixture(
    scope="module", params=["embedded", pytest.param("remote", marks=pytest.mark.remote)]
)
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp(f"pages-{request.param}")
    if request.param == "embedded":
        catalog = Catalog(Settings(data_dir=tmp))
    else:
        store = RemoteStore.from_base_url(request.getfixturevalue("oxigraph_server"))
        store.clear()
        catalog = Catalog(Settings(data_dir=tmp), store)
    catalog.initialize(demo=True)
    extra = tmp / "extra.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    report = catalog.load([extra], validate=False)
    assert report.ok, report
    _no_search_index(catalog)
    flask_app = create_app(catalog)
    flask_app.testing = True
    yield flask_app
    catalog.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _html(client: FlaskClient, path: str, **headers: str) -> str:
    r = client.get(path, headers={"Accept": "text/html", **headers})
    assert r.status_code == 200, (path, r.status_code)
    assert r.mimetype == "text/html"
    return r.get_data(as_text=True)


def _jsonld(page: str) -> dict:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert m, "no JSON-LD script"
    return json.loads(m.group(1))


def _svg(page: str) -> str:
    m = re.search(r"<svg.*?</svg>", page, re.S)
    assert m, "no SVG"
    return m.group(0)


# --------------------------------------------------------------------------- dataset page


def test_dataset_page_content(client: FlaskClient) -> None:
    page = _html(client, "/dataset/dm-complications-2020?lang=zh")
    assert '<h1 lang="zh">糖尿病并发症预警数据集</h1>' in page
    assert "Diabetes Complications Early-Warning Dataset" in page  # other language too
    assert 'href="https://cstr.cn/A0006.11.A0005.202006.001018"' in page
    assert "cstr.cn/CSTR:" not in page
    assert 'href="https://doi.org/10.12213/11.A0005.202006.001018"' in page
    # standards it conforms to, linked to their pages, with their numbers
    assert 'href="/standard/ws-t-363"' in page and 'href="/standard/gb-t-14396"' in page
    assert "WS/T 363-2023" in page
    # classification, access, publisher, contact, de-identification, funding, papers
    for text in ("临床医学", "有条件共享", "第3级", "国家人口健康科学数据中心",
                 'href="mailto:service@ncmi.cn"', "K-匿名模型", "0.02", "2016YFC0901200",
                 'href="https://doi.org/10.5555/hdcat.2021.0101"', "50.0 MiB",
                 'href="/agent/nphdc"', 'href="/vocab/domain/clinical-medicine"'):
        assert text in page, text


def test_dataset_page_citation(client: FlaskClient) -> None:
    today = date.today().isoformat()
    page = _html(client, "/dataset/dm-complications-2020?lang=zh")
    expected = (
        f"李晓燕, 王建国, 北京协和医院. 糖尿病并发症预警数据集[DS/OL]. V1.0. "
        f"国家人口健康科学数据中心, 2020[{today}]. "
        "https://cstr.cn/A0006.11.A0005.202006.001018. CSTR:A0006.11.A0005.202006.001018."
    )
    assert expected in page
    assert ("李晓燕; 王建国; 北京协和医院 (2020): 糖尿病并发症预警数据集. Version 1.0. "
            "国家人口健康科学数据中心. (Dataset). "
            "https://doi.org/10.12213/11.A0005.202006.001018") in page
    page_en = _html(client, "/dataset/dm-complications-2020?lang=en")
    assert (
        "Li Xiaoyan, Wang Jianguo, Peking Union Medical College Hospital. Diabetes Complications "
        "Early-Warning Dataset[DS/OL]. V1.0. National Population Health Data Center, "
        f"2020[{today}]. https://cstr.cn/A0006.11.A0005.202006.001018. "
        "CSTR:A0006.11.A0005.202006.001018."
    ) in page_en


ACCESSED = date(2025, 1, 31)
GBT_CASES = [
    # one author, an organisation as creator, a CSTR but no DOI
    ("pumch-emr-dm-raw", "zh",
     "北京协和医院. 北京协和医院 2 型糖尿病患者电子病历原始抽取[DS/OL]. V1.0. 北京协和医院, "
     "2020[2025-01-31]. https://cstr.cn/A0006.11.A0005.202003.900001. "
     "CSTR:A0006.11.A0005.202003.900001."),
    ("pumch-emr-dm-raw", "en",
     "Peking Union Medical College Hospital. PUMCH Type 2 Diabetes EMR Raw Extract[DS/OL]. V1.0. "
     "Peking Union Medical College Hospital, 2020[2025-01-31]. "
     "https://cstr.cn/A0006.11.A0005.202003.900001. CSTR:A0006.11.A0005.202003.900001."),
    # three authors (persons first, then organisations)
    ("dm-complications-2020", "zh",
     "李晓燕, 王建国, 北京协和医院. 糖尿病并发症预警数据集[DS/OL]. V1.0. 国家人口健康科学数据中心, "
     "2020[2025-01-31]. https://cstr.cn/A0006.11.A0005.202006.001018. "
     "CSTR:A0006.11.A0005.202006.001018."),
    # four authors: the first three, then 等 / et al.
    ("body-composition-v1-1", "zh",
     "陈静, 杨帆, 中国医学科学院, 等. 中国人群人体成分数据集 V1.1[DS/OL]. V1.1. "
     "国家人口健康科学数据中心, 2021[2025-01-31]. https://cstr.cn/A0006.11.A0004.202101.002361. "
     "CSTR:A0006.11.A0004.202101.002361."),
    ("body-composition-v1-1", "en",
     "Chen Jing, Yang Fan, Chinese Academy of Medical Sciences, et al. Human Body Composition "
     "Dataset for the Chinese Population V1.1[DS/OL]. V1.1. National Population Health Data "
     "Center, 2021[2025-01-31]. https://cstr.cn/A0006.11.A0004.202101.002361. "
     "CSTR:A0006.11.A0004.202101.002361."),
    ("cn-wgs-variants-2023", "zh",
     "郭涛, 胡佳, 中国医学科学院, 等. 中国人群基因组变异频率数据集[DS/OL]. V1.0. "
     "国家基因组科学数据中心, 2023[2025-01-31]."),
    # one person with family and given names: family name in capitals in Latin script
    ("embargoed-future", "en",
     "ZHANG San. Dataset under embargo[DS/OL]. V2. Fudan University, 2023[2025-01-31]. "
     "https://hdcat.example.org/dataset/embargoed-future."),
    ("embargoed-future", "zh",
     "张三. 保护期中的数据集[DS/OL]. V2. 复旦大学, 2023[2025-01-31]. "
     "https://hdcat.example.org/dataset/embargoed-future."),
]


@pytest.mark.parametrize(("ident", "lang", "expected"), GBT_CASES)
def test_gbt7714(app: Flask, ident: str, lang: str, expected: str) -> None:
    view = browse.dataset_view(app.catalog, app.labels, f"{B}/dataset/{ident}", lang)
    assert view is not None
    text = citation.gbt7714(citation.from_view(view), lang, accessed=ACCESSED)
    assert text.startswith(expected)


def test_datacite(app: Flask) -> None:
    view = browse.dataset_view(app.catalog, app.labels, f"{B}/dataset/embargoed-future", "en")
    assert view is not None
    assert citation.datacite(citation.from_view(view), "en") == (
        "Zhang, San (2023): Dataset under embargo. Version 2. Fudan University. (Dataset). "
        "https://hdcat.example.org/dataset/embargoed-future"
    )
    data = citation.CitationData({"en": "T"}, [citation.Creator({"en": "Org"})], None, "2020",
                                 None, None, "10.1/x", None)
    assert citation.cite(data, "datacite", "en") == "Org (2020): T. (Dataset). https://doi.org/10.1/x"


def test_lineage_svg_links_up_and_down(client: FlaskClient) -> None:
    page = _html(client, "/dataset/dm-complications-2020")
    svg = _svg(page)
    ET.fromstring(svg)  # well-formed
    assert 'role="img"' in svg and "aria-label=" in svg
    assert 'href="/dataset/pumch-emr-dm-raw"' in svg  # upstream source
    assert 'href="/dataset/dm-complications-stats"' in svg  # downstream aggregate
    assert "<title>" in svg and "去标识化" in svg  # processing activity


def test_versions_and_series(client: FlaskClient) -> None:
    page = _html(client, "/dataset/health-resources-2022?lang=en")
    assert 'href="/dataset/health-resources-2021"' in page  # previous
    assert 'href="/dataset/health-resources-2023"' in page  # later
    assert 'href="/dataset/health-resources-series"' in page  # series
    series = _html(client, "/dataset/health-resources-series?lang=en")
    for ident in ("2021", "2022", "2023"):
        assert f'href="/dataset/health-resources-{ident}"' in series


def test_embargo_hides_download_and_harvest_source(client: FlaskClient) -> None:
    page = _html(client, "/dataset/embargoed-future?lang=en")
    assert "secret.csv" not in page
    assert "https://example.org/embargo/landing" in page
    assert "1.5 KiB" in page
    assert "https://harvest.example.org/oai/record/42" in page
    assert "secret.csv" not in json.dumps(_jsonld(page))


# --------------------------------------------------------------------------- hostile data


def test_hostile_title_escaped_everywhere(client: FlaskClient) -> None:
    r = client.get("/dataset/hostile", headers={"Accept": "text/html"})
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    for raw in ("<script>alert(1)", "</script><script>", "<img src=x", "<b>bold</b>",
                "<script>act</script>", "<i>file</i>", '<b>"Mallory"'):
        assert raw not in page, raw
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page and "javascript:alert" not in page
    # JSON-LD: parses back to the exact title, with no raw < > & in the script text
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert m and "<" not in m.group(1) and ">" not in m.group(1) and "&" not in m.group(1)
    data = json.loads(m.group(1))
    names = [n["@value"] if isinstance(n, dict) else n for n in data["name"]]
    assert HOSTILE in names
    # SVG: well-formed, the label escaped inside it
    svg = _svg(page)
    root = ET.fromstring(svg)
    texts = "".join(root.itertext())
    assert "alert(1)" in texts and "<script>" not in svg
    # the lineage explorer and the upstream dataset's page show it escaped too
    for path in ("/lineage?iri=hostile", "/dataset/dm-complications-2020"):
        other = _html(client, path)
        assert "<script>alert(1)" not in other and "</script><script>" not in other
        ET.fromstring(_svg(other))


def test_svg_escapes_without_service(app: Flask) -> None:
    graph = lineage(app.catalog, f"{B}/dataset/hostile", depth=2)
    svg = to_svg(graph, app.labels, "zh", link=lambda iri: '/x?a=1&b="2"')
    ET.fromstring(svg)
    assert "<script>" not in svg
    assert 'href="/x?a=1&amp;b=&quot;2&quot;"' in svg


# --------------------------------------------------------------------------- JSON-LD, headers


def test_schema_org_jsonld(client: FlaskClient) -> None:
    data = _jsonld(_html(client, "/dataset/dm-complications-2020"))
    assert data["@type"] == "Dataset"
    names = {n["@value"] for n in data["name"]}
    assert {"糖尿病并发症预警数据集", "Diabetes Complications Early-Warning Dataset"} <= names
    ids = data["identifier"]
    assert "https://doi.org/10.12213/11.A0005.202006.001018" in ids
    assert any(isinstance(i, dict) and i["propertyID"] == "CSTR"
               and i["url"] == "https://cstr.cn/A0006.11.A0005.202006.001018" for i in ids)
    assert data["temporalCoverage"] == "2015-01-01/2019-12-31"
    assert data["isAccessibleForFree"] is False
    assert data["includedInDataCatalog"]["@id"] == f"{B}/catalog"
    assert {c["@type"] for c in data["creator"]} == {"Person", "Organization"}
    assert all(d["@type"] == "DataDownload" for d in data["distribution"])
    assert data["version"] == "1.0"


def test_signposting_links(client: FlaskClient) -> None:
    r = client.get("/dataset/dm-complications-2020", headers={"Accept": "text/html"})
    link = r.headers["Link"]
    assert '<https://doi.org/10.12213/11.A0005.202006.001018>; rel="cite-as"' in link
    for mt in ("text/turtle", "application/ld+json", "application/rdf+xml",
               "application/n-triples"):
        assert f'rel="describedby"; type="{mt}"' in link
    assert '<https://schema.org/Dataset>; rel="type"' in link
    assert '<http://www.w3.org/ns/dcat#Dataset>; rel="type"' in link
    assert '<https://w3id.org/hdcat/vocab/licence/agreement>; rel="license"' in link
    assert "Accept" in r.headers["Vary"]
    # no DOI: the CSTR resolver; neither: the dataset IRI
    assert '<https://cstr.cn/12345.11.hostile.0001>; rel="cite-as"' in client.get(
        "/dataset/hostile").headers["Link"]
    assert f'<{B}/dataset/embargoed-future>; rel="cite-as"' in client.get(
        "/dataset/embargoed-future").headers["Link"]


# --------------------------------------------------------------------------- linked data

FORMATS = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
    "nt": ("application/n-triples", "nt"),
}


def _graph(body: bytes, parser: str) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=body, format=parser)
    return g


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_dataset_rdf_by_accept_and_format(client: FlaskClient, fmt: str) -> None:
    media, parser = FORMATS[fmt]
    ds = rdflib.URIRef(DM)
    title = rdflib.Literal("糖尿病并发症预警数据集", lang="zh")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    for r in (client.get("/dataset/dm-complications-2020", headers={"Accept": media}),
              client.get(f"/dataset/dm-complications-2020?format={fmt}")):
        assert r.status_code == 200
        assert r.mimetype == media
        assert "Accept" in r.headers["Vary"]
        g = _graph(r.data, parser)
        assert (ds, dct.title, title) in g
        assert (ds, dct.conformsTo, rdflib.URIRef("https://w3id.org/hdcat/standard/ws-t-363")) in g
        # what the record references comes along (the publisher's name)
        assert (rdflib.URIRef(f"{B}/agent/nphdc"), rdflib.FOAF.name, None) in g


def test_conneg_q_values_and_browsers(client: FlaskClient) -> None:
    r = client.get("/dataset/dm-complications-2020",
                   headers={"Accept": "text/turtle;q=0.3, application/ld+json;q=0.9"})
    assert r.mimetype == "application/ld+json"
    r = client.get("/dataset/dm-complications-2020",
                   headers={"Accept": "text/turtle, text/html;q=0.1"})
    assert r.mimetype == "text/turtle"
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/dataset/dm-complications-2020", headers={"Accept": browser})
    assert r.mimetype == "text/html"
    assert client.get("/dataset/dm-complications-2020").mimetype == "text/html"


def test_not_acceptable(client: FlaskClient) -> None:
    assert client.get("/dataset/dm-complications-2020",
                      headers={"Accept": "application/pdf"}).status_code == 406
    assert client.get("/dataset/dm-complications-2020?format=xlsx").status_code == 406
    assert client.get("/agent/nphdc", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize(
    ("path", "iri"),
    [
        ("/record/dm-complications-2020", DM),
        ("/agent/nphdc", f"{B}/agent/nphdc"),
        ("/catalog", f"{B}/catalog"),
        ("/standard/ws-t-363", "https://w3id.org/hdcat/standard/ws-t-363"),
        ("/vocab/domain/pharmacy", "https://w3id.org/hdcat/vocab/domain/pharmacy"),
        ("/vocab/domain", "https://w3id.org/hdcat/vocab/domain"),
        ("/resource?iri=http%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Flicence"
         "%2FCC_BY_4_0", "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"),
    ],
)
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_resource_is_rdf(client: FlaskClient, path: str, iri: str, fmt: str) -> None:
    media, parser = FORMATS[fmt]
    sep = "&" if "?" in path else "?"
    for r in (client.get(path, headers={"Accept": media}), client.get(f"{path}{sep}format={fmt}")):
        assert r.status_code == 200, (path, fmt)
        assert r.mimetype == media
        g = _graph(r.data, parser)
        assert (rdflib.URIRef(iri), None, None) in g


def test_catalog_rdf_is_bounded(client: FlaskClient) -> None:
    g = _graph(client.get("/catalog?format=nt").data, "nt")
    assert not list(g.triples((None, rdflib.URIRef("http://www.w3.org/ns/dcat#dataset"), None)))


# --------------------------------------------------------------------------- other pages


def test_record_redirects_to_dataset(client: FlaskClient) -> None:
    r = client.get("/record/dm-complications-2020", headers={"Accept": "text/html"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/dataset/dm-complications-2020")


def test_publisher_page(client: FlaskClient) -> None:
    page = _html(client, "/agent/pumch?lang=zh")
    assert "<h1>北京协和医院</h1>" in page
    assert "Peking Union Medical College Hospital" in page
    assert 'href="/dataset/dm-complications-2020"' in page  # as a creator
    assert 'href="/dataset/pumch-emr-dm-raw"' in page  # as publisher
    assert "research-data@pumch.example.org" in page
    person = _html(client, "/agent/wang-jianguo?lang=en")
    assert "Wang Jianguo" in person and 'href="/dataset/dm-complications-2020"' in person


def test_standard_pages(client: FlaskClient) -> None:
    page = _html(client, "/standard/ws-t-363?lang=zh")
    assert "WS/T 363-2023" in page
    assert 'href="/dataset/dm-complications-2020"' in page  # a conforming dataset
    assert 'href="/dataset/ili-sentinel-2023"' in page
    catalog = _html(client, "/standards?lang=en")
    for family in ("basic", "data", "management", "technical", "service", "professional"):
        assert f'href="/vocab/standard-family/{family}"' in catalog
    assert catalog.index('href="/vocab/standard-family/basic"') < catalog.index(
        'href="/vocab/standard-family/professional"')
    assert 'href="/standard/gb-t-7714"' in catalog


def test_concept_pages(client: FlaskClient) -> None:
    page = _html(client, "/vocab/domain/pharmacy?lang=zh")
    assert "<h1>药学" in page
    assert 'href="/vocab/domain"' in page
    assert 'href="/dataset/hostile"' in page  # a dataset using it
    scheme = _html(client, "/vocab/domain?lang=en")
    assert 'href="/vocab/domain/clinical-medicine"' in scheme
    eu = _html(client, "/resource?iri=http%3A%2F%2Fpublications.europa.eu%2Fresource%2F"
                       "authority%2Faccess-right%2FRESTRICTED&lang=en")
    assert "RESTRICTED" in eu


def test_resource_dispatch(client: FlaskClient) -> None:
    r = client.get(f"/resource?iri={DM}", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/dataset/dm-complications-2020")
    foreign = _html(client, "/resource?iri=https%3A%2F%2Fother.example.net%2Fdataset%2Fforeign-1")
    assert "外部数据集" in foreign or "Foreign dataset" in foreign
    assert client.get("/resource?iri=urn:nothing:here").status_code == 404
    assert client.get("/resource?iri=not%20an%20iri").status_code == 404
    assert client.get("/resource").status_code == 404


def test_catalog_page(client: FlaskClient) -> None:
    page = _html(client, "/catalog?lang=zh")
    assert "hdcat 健康医疗科学数据演示目录" in page


def test_lineage_explorer(client: FlaskClient) -> None:
    form = _html(client, "/lineage")
    assert "<form" in form and 'name="iri"' in form
    page = _html(client, "/lineage?iri=https%3A%2F%2Fhdcat.example.org%2Fdataset%2F"
                         "dm-complications-stats&depth=3")
    svg = _svg(page)
    assert 'href="/dataset/pumch-emr-dm-raw"' in svg  # two steps up
    assert 'href="/dataset/dm-complications-2020"' in svg
    # walk down from the raw source: all derived datasets, no siblings of upstream nodes
    down = _html(client, "/lineage?iri=pumch-emr-dm-raw&depth=2")
    assert 'href="/dataset/dm-complications-stats"' in _svg(down)
    assert "/lineage?depth=2&amp;iri=" in down  # explore from another node
    r = client.get("/lineage?iri=no-such-dataset", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert _html(client, "/lineage?iri=dm-complications-2020&depth=abc")


def test_lineage_model(app: Flask) -> None:
    graph = lineage(app.catalog, f"{B}/dataset/dm-complications-2020", depth=1)
    assert {n.iri for n in graph.upstream} == {f"{B}/dataset/pumch-emr-dm-raw"}
    downstream = {n.iri for n in graph.downstream}
    assert {f"{B}/dataset/dm-complications-stats", f"{B}/dataset/hostile"} <= downstream
    kinds = {e.kind for e in graph.edges}
    assert {"derived-from", "generated-by", "used"} <= kinds
    assert any(n.kind == "activity" for n in graph.nodes.values())


# --------------------------------------------------------------------------- 404, errors


def test_not_found_html_and_rdf(client: FlaskClient) -> None:
    r = client.get("/dataset/no-such-id", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.mimetype == "text/html"
    assert "目录中没有这个资源" in r.get_data(as_text=True) or "no such resource" in r.get_data(
        as_text=True)
    for path in ("/dataset/no-such-id", "/agent/nobody", "/standard/none", "/vocab/domain/none",
                 "/record/no-such-id"):
        r = client.get(path, headers={"Accept": "text/turtle"})
        assert r.status_code == 404, path
        assert r.mimetype == "text/plain"
        assert client.get(path + "?format=nt").status_code == 404
        assert client.get(path).status_code == 404
    # an agent IRI is not a standard, a dataset is not an agent
    assert client.get("/standard/..%2Fagent").status_code == 404
    assert client.get("/agent/dm-complications-2020").status_code == 404


def test_server_error_shows_no_details(app: Flask) -> None:
    def boom() -> str:
        raise RuntimeError("secret stack detail")

    fresh = create_app(app.catalog)
    fresh.add_url_rule("/__boom", "boom", boom)
    r = fresh.test_client().get("/__boom", headers={"Accept": "text/html"})
    assert r.status_code == 500
    body = r.get_data(as_text=True)
    assert "secret stack detail" not in body and "Traceback" not in body
    assert "出错了" in body or "Something went wrong" in body


# --------------------------------------------------------------------------- languages


def test_language_switch_and_cookie(app: Flask) -> None:
    client = app.test_client()
    en = _html(client, "/dataset/dm-complications-2020?lang=en")
    assert "Clinical medicine" in en and "临床医学" not in en
    assert '<h1 lang="en">Diabetes Complications Early-Warning Dataset</h1>' in en
    assert 'href="/dataset/dm-complications-2020?lang=zh"' in en  # the switch link
    # remembered by cookie
    again = _html(client, "/vocab/domain/pharmacy")
    assert "<h1>Pharmacy" in again
    zh = _html(client, "/dataset/dm-complications-2020?lang=zh")
    assert "临床医学" in zh and '<h1 lang="zh">糖尿病并发症预警数据集</h1>' in zh
    assert "<h1>药学" in _html(client, "/vocab/domain/pharmacy")


# --------------------------------------------------------------------------- served by path


def test_dataset_under_serving_host_is_served_by_path(client: FlaskClient) -> None:
    page = _html(client, "/dataset/hosted-here?lang=zh")
    assert "本机地址下的数据集" in page


def test_dataset_under_other_base_served_by_path(tmp_path: Path) -> None:
    base = "https://data.example.cn"
    catalog = Catalog(Settings(data_dir=tmp_path, base_iri=base))
    catalog.initialize()
    src = tmp_path / "one.ttl"
    src.write_text(f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<{base}/dataset/other-base-1> a dcat:Dataset ;
    dct:title "另一个基址下的数据集"@zh , "Dataset under another base"@en ;
    dct:identifier "CSTR:99999.11.other.1" .
""", encoding="utf-8")
    assert catalog.load([src], validate=False).ok
    _no_search_index(catalog)
    app = create_app(catalog)
    client = app.test_client()
    try:
        page = _html(client, "/dataset/other-base-1?lang=zh")
        assert "另一个基址下的数据集" in page
        assert 'href="https://cstr.cn/99999.11.other.1"' in page
        r = client.get("/dataset/other-base-1?format=ttl")
        g = _graph(r.data, "turtle")
        assert (rdflib.URIRef(f"{base}/dataset/other-base-1"), None, None) in g
        r = client.get("/record/other-base-1", headers={"Accept": "text/html"})
        assert r.status_code == 303
        assert _html(client, "/catalog")
    finally:
        catalog.close()


def test_linker_and_helpers() -> None:
    assert browse.local_path(f"{B}/dataset/x", B) == "/dataset/x"
    assert browse.local_path(f"{B}/dataset/x#dist", B) == "/dataset/x#dist"
    assert browse.local_path(f"{B}/files/x/", B) is None
    assert browse.local_path("https://w3id.org/hdcat/standard/ws-t-363", B) == "/standard/ws-t-363"
    assert browse.local_path("https://w3id.org/hdcat/vocab/domain/pharmacy", B) == (
        "/vocab/domain/pharmacy")
    assert browse.safe_url("javascript:alert(1)") is None
    assert browse.safe_url("mailto:a@b.c") == "mailto:a@b.c"
    assert browse.cstr_url("CSTR:CSTR:31253.11.sciencedb.29221") == (
        "https://cstr.cn/31253.11.sciencedb.29221")
    assert browse.doi_url("doi:10.57760/sciencedb.29221") == (
        "https://doi.org/10.57760/sciencedb.29221")
    assert browse.human_size(52428800) == "50.0 MiB"
    assert browse.human_size(512) == "512 B"
    assert browse.script_json({"a": "</script>&"}) == '{\n "a": "\\u003c/script\\u003e\\u0026"\n}'


def test_read_models_direct(app: Flask) -> None:
    catalog, labels = app.catalog, app.labels
    view = browse.publisher_view(catalog, labels, f"{B}/agent/nphdc", "en")
    assert view is not None and view.name == "National Population Health Data Center"
    assert any(d.link.iri == DM and "publisher" in d.role for d in view.datasets)
    std = browse.standard_view(catalog, labels, "https://w3id.org/hdcat/standard/ws-t-363", "zh")
    assert std is not None and std.notation == "WS/T 363-2023"
    assert DM in {d.iri for d in std.datasets}
    families = browse.standards_by_family(catalog, labels, "zh")
    assert families[0].family is not None and families[0].family.iri.endswith("/basic")
    concept = browse.concept_view(catalog, labels,
                                  "https://w3id.org/hdcat/vocab/domain/pharmacy", "en")
    assert concept is not None and concept.label.startswith("Pharmacy") and concept.notation == "PS"
    assert browse.standard_view(catalog, labels, f"{B}/agent/nphdc", "zh") is None
    assert browse.dataset_view(catalog, labels, f"{B}/dataset/none", "zh") is None
