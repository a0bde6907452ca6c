"""The demo catalog hdcat/demo/demo-catalog.ttl: coverage, the hdcat rules, and conformance to the
official DCAT-AP 3.0.1 and HealthDCAT-AP Release 8 shapes and to the hdcat shapes in shapes/."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "hdcat" / "demo" / "demo-catalog.ttl"
B = "https://hdcat.example.org/"
CATALOG = URIRef(B + "catalog")

# plain Namespaces: pytest probes module attributes, which rdflib's closed namespaces warn about
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCT = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
CV = Namespace("http://data.europa.eu/m8g/")
HDCAT = Namespace("https://w3id.org/hdcat/ns#")
HEALTH = Namespace("http://healthdataportal.eu/ns/health#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
DOM = Namespace("https://w3id.org/hdcat/vocab/domain/")
DCATG = Namespace("https://w3id.org/hdcat/vocab/data-category/")
LVL = Namespace("https://w3id.org/hdcat/vocab/sensitivity-level/")
SHARE = Namespace("https://w3id.org/hdcat/vocab/sharing-mode/")
PROC = Namespace("https://w3id.org/hdcat/vocab/processing/")
ACCESS = Namespace("http://publications.europa.eu/resource/authority/access-right/")

PREFIXES = """
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX hdcat: <https://w3id.org/hdcat/ns#>
PREFIX dcatg: <https://w3id.org/hdcat/vocab/data-category/>
PREFIX lvl: <https://w3id.org/hdcat/vocab/sensitivity-level/>
PREFIX share: <https://w3id.org/hdcat/vocab/sharing-mode/>
PREFIX proc: <https://w3id.org/hdcat/vocab/processing/>
PREFIX std: <https://w3id.org/hdcat/standard/>
PREFIX access: <http://publications.europa.eu/resource/authority/access-right/>
"""

CSTR_RE = re.compile(r"^CSTR:[A-Za-z0-9]{5}\.\d{2}\.[^\s!?]+$")
DOI_RE = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Z0-9]+$", re.IGNORECASE)


@cache
def demo() -> Graph:
    return Graph().parse(DEMO, format="turtle")


def datasets() -> list[URIRef]:
    return sorted(demo().subjects(RDF.type, DCAT.Dataset))


def published(g: Graph | None = None) -> list[URIRef]:
    """Datasets that are published as data: every dataset but the closed raw sources (no DOI)."""
    g = g or demo()
    return [
        d
        for d in datasets()
        if any(
            g.value(i, SKOS.notation).datatype == HDCAT.DOI for i in g.objects(d, ADMS.identifier)
        )
    ]


def ask(query: str) -> list:
    return list(demo().query(PREFIXES + query))


def langs(g: Graph, s: URIRef, p: URIRef) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal)}


# ---------------------------------------------------------------------------------------------
# the file
# ---------------------------------------------------------------------------------------------
def test_demo_file_is_the_build_output():
    from hdcat.demo import build_demo

    assert DEMO.read_text(encoding="utf-8") == build_demo.render(), (
        "demo-catalog.ttl is stale: run .venv/bin/python hdcat/demo/build_demo.py"
    )


def test_build_is_deterministic():
    from hdcat.demo import build_demo

    assert build_demo.render() == build_demo.render()


# ---------------------------------------------------------------------------------------------
# (a) counts and coverage
# ---------------------------------------------------------------------------------------------
def test_counts_and_coverage():
    g = demo()
    ds = datasets()
    assert len(ds) >= 60
    doms = Counter(g.value(d, HDCAT.domain) for d in ds)
    cats = Counter(c for d in ds for c in g.objects(d, HDCAT.dataCategory))
    lvls = Counter(g.value(d, HDCAT.sensitivityLevel) for d in ds)
    modes = Counter(g.value(d, HDCAT.sharingMode) for d in ds)
    assert set(doms) == {
        DOM[x]
        for x in (
            "health-management",
            "public-health",
            "biomedicine",
            "clinical-medicine",
            "pharmacy",
        )
    }
    assert set(cats) == {DCATG[x] for x in ("PA", "HS", "MA", "MP", "HR", "PH")}
    assert set(lvls) == {LVL[f"L{i}"] for i in range(1, 6)}
    assert all(n >= 5 for n in lvls.values()), lvls
    assert set(modes) == {SHARE[x] for x in ("open", "conditional", "closed", "embargoed")}
    publishers = {g.value(d, DCT.publisher) for d in ds}
    assert len(publishers) >= 10
    for d in ds:  # exactly one of each
        for p in (
            HDCAT.domain,
            HDCAT.sensitivityLevel,
            HDCAT.sharingMode,
            DCT.accessRights,
            DCT.publisher,
        ):
            assert len(list(g.objects(d, p))) == 1, (d, p)


def test_every_dataset_has_a_catalog_record():
    g = demo()
    assert (CATALOG, RDF.type, DCAT.Catalog) in g
    for d in datasets():
        ident = str(d).removeprefix(B + "dataset/")
        rec = URIRef(f"{B}record/{ident}")
        assert (rec, RDF.type, DCAT.CatalogRecord) in g
        assert (rec, FOAF.primaryTopic, d) in g
        assert (CATALOG, DCAT.dataset, d) in g and (CATALOG, DCAT.record, rec) in g
        assert g.value(rec, DCT.modified) is not None


def test_bilingual_titles_descriptions_keywords():
    g = demo()
    for d in datasets():
        for p in (DCT["title"], DCT.description, DCAT.keyword):
            assert langs(g, d, p) == {"zh", "en"}, (d, p)
        zh = str(next(o for o in g.objects(d, DCT.description) if o.language == "zh"))
        en = str(next(o for o in g.objects(d, DCT.description) if o.language == "en"))
        assert 2 <= zh.count("。") <= 4, (d, zh)
        assert 2 <= len(re.findall(r"\.(?:\s|$)", en)) <= 4, (d, en)


def test_identifiers_unique_and_well_formed():
    g = demo()
    cstrs = [o for o in g.objects(None, SKOS.notation) if o.datatype == HDCAT.CSTR]
    dois = [o for o in g.objects(None, SKOS.notation) if o.datatype == HDCAT.DOI]
    assert len(cstrs) == len(set(cstrs)) and len(dois) == len(set(dois))
    ids = [i for d in datasets() for i in g.objects(d, DCT.identifier)]
    assert len(ids) == len(set(ids))
    pub = published()
    assert len(cstrs) == len(datasets()) and len(pub) == len(dois)
    for d in pub:
        ident = str(g.value(d, DCT.identifier))
        assert CSTR_RE.match(ident), ident
        notations = {g.value(i, SKOS.notation) for i in g.objects(d, ADMS.identifier)}
        cstr = next(n for n in notations if n.datatype == HDCAT.CSTR)
        doi = next(n for n in notations if n.datatype == HDCAT.DOI)
        assert str(cstr) == ident
        assert DOI_RE.match(str(doi)), doi
        if ident.startswith("CSTR:A0006.11."):  # NPHDC: DOI suffix repeats the CSTR suffix
            assert str(doi) == "10.12213/11." + ident.removeprefix("CSTR:A0006.11.")
    assert any(str(g.value(d, DCT.identifier)).startswith("CSTR:31253.11.sciencedb.") for d in pub)
    for d in set(datasets()) - set(pub):  # sources: registered with a CSTR and a local id, no DOI
        notations = [g.value(i, SKOS.notation) for i in g.objects(d, ADMS.identifier)]
        assert [n.datatype for n in notations] == [HDCAT.CSTR], notations
        assert len(list(g.objects(d, DCT.identifier))) == 2
        assert (d, HDCAT.sharingMode, SHARE.closed) in g


def test_lineage_chains():
    rows = ask("""
    SELECT DISTINCT ?pub ?src WHERE {
      ?pub prov:wasDerivedFrom ?src ; dct:identifier ?id ;
           prov:wasGeneratedBy ?deid , ?std .
      FILTER(STRSTARTS(STR(?id), "CSTR:"))
      ?src hdcat:sharingMode share:closed ; dct:accessRights access:NON_PUBLIC ;
           hdcat:sensitivityLevel ?lvl .
      FILTER(?lvl IN (lvl:L4, lvl:L5))
      FILTER NOT EXISTS {
        ?src adms:identifier/skos:notation ?doi FILTER(DATATYPE(?doi) = hdcat:DOI)
      }
      ?deid dct:type proc:deidentification ; prov:used ?src ;
            hdcat:deidentificationMethod ?m ; hdcat:deidentificationAssessment ?a .
      ?a hdcat:kValue ?k .
      ?std dct:type proc:standardization ; prov:wasInformedBy ?deid ; dct:conformsTo ?standard .
    }""")
    assert len({r.pub for r in rows}) >= 6, rows


def test_derived_aggregates():
    rows = ask("""
    SELECT DISTINCT ?agg WHERE {
      ?agg prov:wasDerivedFrom ?pub ; hdcat:sharingMode share:open ;
           hdcat:sensitivityLevel ?lvl ; prov:wasGeneratedBy ?act .
      FILTER(?lvl IN (lvl:L1, lvl:L2))
      ?act dct:type proc:aggregation ; prov:used ?pub .
      ?pub dct:identifier ?id . FILTER(STRSTARTS(STR(?id), "CSTR:"))
    }""")
    assert len(rows) >= 4


def test_version_chains():
    g = demo()
    chains = 0
    for series in g.subjects(DCAT.hasCurrentVersion, None):
        versions = set(g.objects(series, DCAT.hasVersion))
        current = g.value(series, DCAT.hasCurrentVersion)
        assert current in versions and len(versions) >= 2
        for v in versions:
            assert g.value(v, DCAT.version) is not None
            assert (v, DCAT.inSeries, series) in g
        # the current version is the newest: no version lists it as its previous version
        assert not any((v, DCAT.previousVersion, current) in g for v in versions)
        # every other version is reached from the current one through dcat:previousVersion
        reached, node = {current}, current
        while (node := g.value(node, DCAT.previousVersion)) is not None:
            reached.add(node)
        assert reached == versions
        chains += 1
    assert chains >= 3


def test_record_linkage():
    rows = ask("""
    SELECT ?act (COUNT(DISTINCT ?src) AS ?n) WHERE {
      ?act dct:type proc:record-linkage ; prov:used ?src . ?src a dcat:Dataset .
    } GROUP BY ?act HAVING (COUNT(DISTINCT ?src) >= 2)""")
    assert len(rows) >= 1


def test_distributions_follow_the_sharing_mode():
    g = demo()
    for d in datasets():
        mode = g.value(d, HDCAT.sharingMode)
        dists = list(g.objects(d, DCAT.distribution))
        assert dists, d
        for dist in dists:
            access = g.value(dist, DCAT.accessURL)
            assert str(access).startswith(B + "files/")
            assert g.value(dist, DCAT.byteSize).datatype == XSD.nonNegativeInteger
            for p in (DCT["format"], DCAT.mediaType, DCT.license, DCATAP.applicableLegislation):
                assert g.value(dist, p) is not None, (dist, p)
            if mode == SHARE.open:
                assert g.value(dist, DCAT.downloadURL) is not None, dist
            else:
                assert g.value(dist, DCAT.downloadURL) is None, dist
                assert str(access).endswith("/request"), dist


def test_publishers_and_hdabs_have_one_contact_point():
    g = demo()
    agents = {g.value(d, p) for d in datasets() for p in (DCT.publisher, HEALTH.hdab)}
    for a in agents:
        contacts = list(g.objects(a, CV.contactPoint))
        assert len(contacts) == 1, a
        assert (contacts[0], RDF.type, CV.ContactPoint) in g


# ---------------------------------------------------------------------------------------------
# (b) the hdcat rules, by SPARQL
# ---------------------------------------------------------------------------------------------
def test_open_personal_data_is_deidentified():
    rows = ask("""
    SELECT DISTINCT ?ds WHERE {
      ?ds a dcat:Dataset ; hdcat:dataCategory ?cat .
      VALUES ?cat { dcatg:PA dcatg:HS dcatg:MA dcatg:MP }
      { ?ds hdcat:sharingMode share:open } UNION { ?ds dct:accessRights access:PUBLIC }
      FILTER NOT EXISTS {
        ?ds prov:wasDerivedFrom* ?anc .
        ?anc prov:wasGeneratedBy ?act . ?act dct:type proc:deidentification .
      }
    }""")
    assert rows == []
    # the rule is not vacuous
    assert ask("""SELECT ?ds WHERE { ?ds hdcat:sharingMode share:open ; hdcat:dataCategory ?c .
                  VALUES ?c { dcatg:PA dcatg:HS dcatg:MA dcatg:MP } }""")


def test_level_3_and_above_is_never_public():
    rows = ask("""
    SELECT ?ds WHERE {
      ?ds a dcat:Dataset ; hdcat:sensitivityLevel ?lvl .
      VALUES ?lvl { lvl:L3 lvl:L4 lvl:L5 }
      { ?ds dct:accessRights access:PUBLIC } UNION { ?ds hdcat:sharingMode share:open }
    }""")
    assert rows == []


def test_sharing_mode_maps_to_access_rights():
    expected = {
        SHARE.open: ACCESS.PUBLIC,
        SHARE.conditional: ACCESS.RESTRICTED,
        SHARE.closed: ACCESS.NON_PUBLIC,
        SHARE.embargoed: ACCESS.NON_PUBLIC,
    }
    g = demo()
    for d in datasets():
        mode = g.value(d, HDCAT.sharingMode)
        assert g.value(d, DCT.accessRights) == expected[mode], d
        if mode == SHARE.embargoed:
            assert g.value(d, HDCAT.embargoEnd).datatype == XSD.date
        if mode == SHARE.conditional:
            assert langs(g, d, HDCAT.accessProcedure) == {"zh", "en"}, d


# The official DCAT-AP and HealthDCAT-AP checks run on the exported catalog:
# tests/test_conformance.py.


def test_demo_loads_through_the_catalog_with_zero_violations(tmp_path):
    """The real pipeline: split into records, validate each with the hdcat profile, store."""
    from hdcat.catalog import Catalog
    from hdcat.config import Settings
    from hdcat.resources import demo_catalog
    from hdcat.store import EmbeddedStore

    catalog = Catalog(Settings(data_dir=tmp_path), EmbeddedStore(tmp_path / "store"))
    catalog.initialize()
    report = catalog.load([demo_catalog()])
    assert report.errors == []
    assert [r.subject for r in report.refused] == [], "\n".join(
        r.subject + "\n" + r.describe(warnings=False) for r in report.refused[:5]
    )
    series = set(demo().subjects(RDF.type, DCAT.DatasetSeries))
    assert len(report.stored) == len(datasets()) + len(series)
    assert catalog.stats()["datasets"] == len(datasets())
    catalog.close()
