"""Differential tests: hdcat.fastshacl gives the same results as pySHACL.

Each test runs both engines on the same data graph and shapes graph and requires identical
sets of (focus node, path, value, constraint component, severity). Blank nodes are compared by
their label: both engines see the same graph, so data blank nodes keep their labels, and a
complex path is the same shapes-graph blank node on both sides; nothing is excluded from the
key. Literals are keyed by (lexical form, datatype, lower-cased language), with a plain literal
and an explicit xsd:string one counted as the same (pyoxigraph does not tell them apart).

1. the demo catalog with its ontology background, hdcat profile at levels full and core;
2. the external examples (DCAT-AP 3.0.1 and 2.1.1, FDP, HealthDCAT-AP, ckanext) with their
   official shapes (DCAT-AP 3.0.1 shapes + range + recommended; HealthDCAT-AP R8 public and
   non-public + range + graph-guard, whose sh:sparql goes to pySHACL) and the hdcat profile;
3. records mutated at random with hypothesis, 50 per example.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from hdcat.fastshacl import fast_validator
from hdcat.terms import graph_to_triples
from hdcat.validation import Result, profile_shapes, validate_graph

sys.path.insert(0, str(Path(__file__).resolve().parent))
import official_shapes as official  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
DEMO = ROOT / "hdcat" / "demo" / "demo-catalog.ttl"
VALID = ROOT / "tests" / "data" / "record-valid.ttl"

needs_external = pytest.mark.skipif(
    bool(official.missing_external()), reason="official shapes not available"
)


def _term(node: object) -> object:
    if isinstance(node, Literal):
        if node.language:
            return ("lit", str(node), None, node.language.lower())
        return ("lit", str(node), str(node.datatype or XSD.string), None)
    return node


def keys(results: list[Result]) -> set[tuple]:
    return {(_term(r.focus), _term(r.path), _term(r.value), r.component, r.severity)
            for r in results}


def compare(data: Graph, shapes: Graph, focus: set | None = None, ox_path: bool = True) -> int:
    """Run both engines; assert the same result sets; return the number of results."""
    slow = validate_graph(data, shapes, focus=focus, engine="pyshacl")
    fast = fast_validator(shapes).validate(data, focus=focus)
    expected, got = keys(slow), keys(fast)
    missing = sorted(map(str, expected - got))[:10]
    extra = sorted(map(str, got - expected))[:10]
    assert expected == got, f"only pySHACL: {missing}\nonly fast: {extra}"
    for r in fast:
        assert r.engine in ("fast", "pyshacl")
        assert r.message("en")
    if ox_path:  # the same data as pyoxigraph triples, as the catalog passes it
        again = fast_validator(shapes).validate(list(graph_to_triples(data)), focus=focus)
        assert keys(again) == got
    return len(slow)


def _merge(*graphs: Graph) -> Graph:
    out = Graph()
    for g in graphs:
        for t in g:
            out.add(t)
    return out


# --------------------------------------------------------------------------- 1. demo
@pytest.fixture(scope="module")
def background() -> Graph:
    return official.ontology_background()


@pytest.fixture(scope="module")
def demo(background: Graph) -> Graph:
    g = Graph()
    g.parse(DEMO, format="turtle")
    return g


@pytest.mark.parametrize("level", ["full", "core"])
def test_demo_catalog_same_results(level: str, demo: Graph, background: Graph) -> None:
    data = _merge(background, demo)
    n = compare(data, profile_shapes(level))
    assert n > 0  # the demo has warnings (recommended properties) at least


def test_profile_needs_no_fallback() -> None:
    for level in ("full", "core"):
        v = fast_validator(profile_shapes(level))
        assert v.fallback == [] and len(v.top) > 30


def test_catalog_engines_agree(tmp_path: Path) -> None:
    from hdcat.catalog import Catalog
    from hdcat.config import Settings
    from hdcat.store import EmbeddedStore

    cat = Catalog(Settings(data_dir=tmp_path), EmbeddedStore(tmp_path / "store"))
    cat.initialize()
    for level in ("full", "core"):
        fast = cat.validate_file(DEMO, level=level, engine="fast")
        slow = cat.validate_file(DEMO, level=level, engine="pyshacl")
        assert [r.subject for r in fast] == [r.subject for r in slow]
        for a, b in zip(fast, slow, strict=True):
            assert keys(a.results) == keys(b.results), a.subject
            assert all(r.engine == "fast" for r in a.results)
    cat.close()


# --------------------------------------------------------------------------- 2. external
def _external_examples() -> list[Path]:
    files = sorted((EXTERNAL / "dcat-ap" / "3.0.1" / "examples").glob("*.ttl"))
    files += sorted((EXTERNAL / "dcat-ap" / "2.1.1" / "examples").glob("*.nt"))
    files += sorted((EXTERNAL / "fdp" / "examples").glob("*.ttl"))
    files += [EXTERNAL / "healthdcat-ap" / "release-8" / "examples"
              / "example-healthdcat-dataset.ttl",
              EXTERNAL / "catalogs" / "ckanext_dcat_healthdcat_ap_dataset.ttl"]
    out = []
    for path in files:
        if not path.is_file():
            continue
        g = Graph()
        try:
            g.parse(path, format="nt" if path.suffix == ".nt" else "turtle")
        except Exception:  # noqa: BLE001 - two 3.0.1 examples are not valid Turtle
            continue
        out.append(path)
    return out


EXAMPLES = _external_examples()


def _parse(path: Path) -> Graph:
    g = Graph()
    g.parse(path, format="nt" if path.suffix == ".nt" else "turtle")
    return g


@pytest.fixture(scope="module")
def dcat_ap() -> Graph:
    return _merge(official.dcat_ap_shapes(), official.dcat_ap_recommended())


@needs_external
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_external_example_with_official_shapes(example: Path, dcat_ap: Graph) -> None:
    data = _parse(example)
    compare(data, dcat_ap)
    for access in ("PUBLIC", "NON_PUBLIC"):
        shapes = official.healthdcat_shapes(access)
        v = fast_validator(shapes)
        assert any("sparql" in why for why in v.unsupported.values())  # the graph guard
        compare(data, shapes)


@needs_external
def test_graph_guard_fires_through_the_fallback() -> None:
    shapes = official.healthdcat_shapes("PUBLIC")
    data = Graph()
    data.add((URIRef("urn:x"), RDF.type, URIRef("urn:y")))
    results = fast_validator(shapes).validate(data)
    assert any(r.engine == "pyshacl" for r in results)
    compare(data, shapes)


@needs_external
def test_external_examples_with_the_profile(background: Graph) -> None:
    data = _merge(background, *(_parse(p) for p in EXAMPLES))
    for level in ("full", "core"):
        assert compare(data, profile_shapes(level)) > 0


# --------------------------------------------------------------------------- 3. mutations
HDCAT = "https://w3id.org/hdcat/"
WRONG_IRIS = [
    URIRef("https://w3id.org/hdcat/vocab/sensitivity-level/L5"),
    URIRef("https://w3id.org/hdcat/vocab/sharing-mode/open"),
    URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC"),
    URIRef("http://publications.europa.eu/resource/authority/data-theme/HEAL"),
    URIRef("https://w3id.org/hdcat/vocab/data-category/PA"),
    URIRef("https://w3id.org/hdcat/vocab/processing/deidentification"),
    URIRef("http://www.w3.org/ns/dcat#Dataset"),
    URIRef("https://example.org/undescribed"),
    URIRef("mailto:someone@example.org"),
    URIRef("mailto:broken"),
    URIRef("https://w3id.org/hdcat/standard/gb-t-39725-2020"),
]
CLASSES = [URIRef(u) for u in (
    "http://www.w3.org/ns/dcat#Dataset", "http://www.w3.org/ns/dcat#Distribution",
    "http://www.w3.org/ns/dcat#CatalogRecord", "http://www.w3.org/ns/dcat#Catalog",
    "http://xmlns.com/foaf/0.1/Agent", "http://www.w3.org/2006/vcard/ns#Kind",
    "http://purl.org/dc/terms/PeriodOfTime", "http://www.w3.org/ns/dcat#DataService",
    "http://www.w3.org/2004/02/skos/core#Concept")]
DATATYPES = [XSD.integer, XSD.nonNegativeInteger, XSD.decimal, XSD.boolean, XSD.date,
             XSD.dateTime, XSD.gYear, XSD.gYearMonth, XSD.duration, XSD.string, XSD.anyURI,
             URIRef("https://w3id.org/hdcat/ns#CSTR")]
LEXICAL = ["abc", "", "-5", "1.5", "42", "true", "0", "2020", "2020-13", "2020-02-30",
           "2021-02-29", "2020-1-1", "20200101", "2020-01-01T25:00:00", "2020-06-15",
           "2020-06-15T10:00:00", "P1Y", "1Y", "CSTR:31253.11.sciencedb.29221",
           "cstr:bad id!", "10.12213/11.A0005", "https://example.org/x y", " 7"]
LANGS = ["en", "zh", "zh-CN", "zh-Hans", "EN", "en-GB", "de", "fr"]
KINDS = ["remove", "duplicate", "to_iri", "to_literal", "datatype", "lexical", "language",
         "wrong_iri", "date", "retype", "predicate", "plain"]


def _records() -> list[list[tuple]]:
    """Base records: record-valid.ttl and each demo record (its closure)."""
    bases = []
    g = Graph()
    g.parse(VALID, format="turtle")
    demo = Graph()
    demo.parse(DEMO, format="turtle")
    dcat = "http://www.w3.org/ns/dcat#"
    for graph in (g, demo):
        for ds in sorted(graph.subjects(RDF.type, URIRef(dcat + "Dataset")), key=str):
            if isinstance(ds, URIRef):
                closure = official.record_closure(graph, ds)
                bases.append(sorted(closure, key=str))
    return bases


BASES = _records()


def _mutate(triples: list[tuple], kind: str, a: int, b: int) -> list[tuple]:
    if not triples:
        return triples
    i = a % len(triples)
    s, p, o = triples[i]
    out = list(triples)
    if kind == "remove":
        del out[i]
    elif kind == "duplicate":
        if isinstance(o, Literal):
            new = Literal(str(o) + " bis", lang=o.language, datatype=o.datatype)
        else:
            new = WRONG_IRIS[b % len(WRONG_IRIS)]
        out.append((s, p, new))
    elif kind == "to_iri" and isinstance(o, Literal):
        out[i] = (s, p, URIRef("https://example.org/v/" + str(b)))
    elif kind == "to_literal":
        out[i] = (s, p, Literal(str(o)))
    elif kind == "datatype" and isinstance(o, Literal):
        out[i] = (s, p, Literal(str(o), datatype=DATATYPES[b % len(DATATYPES)]))
    elif kind == "lexical" and isinstance(o, Literal):
        dt = o.datatype or DATATYPES[b % len(DATATYPES)]
        out[i] = (s, p, Literal(LEXICAL[b % len(LEXICAL)], datatype=dt, normalize=False))
    elif kind == "language" and isinstance(o, Literal):
        lang = LANGS[b % len(LANGS)]
        out[i] = (s, p, Literal(str(o), lang=lang) if b % 7 else Literal(str(o)))
    elif kind == "wrong_iri" and isinstance(o, (URIRef, BNode)):
        out[i] = (s, p, WRONG_IRIS[b % len(WRONG_IRIS)])
    elif kind == "date":
        dates = [t for t in range(len(out)) if isinstance(out[t][2], Literal)
                 and out[t][2].datatype in (XSD.date, XSD.dateTime, XSD.gYear)]
        if dates:
            j = dates[a % len(dates)]
            s2, p2, o2 = out[j]
            out[j] = (s2, p2, Literal(LEXICAL[8 + b % 10], datatype=o2.datatype, normalize=False))
    elif kind == "retype":
        types = [t for t in range(len(out)) if out[t][1] == RDF.type]
        if types:
            j = types[a % len(types)]
            if b % 3 == 0:
                del out[j]
            else:
                out[j] = (out[j][0], RDF.type, CLASSES[b % len(CLASSES)])
    elif kind == "predicate":
        preds = sorted({t[1] for t in triples}, key=str)
        out[i] = (s, preds[b % len(preds)], o)
    elif kind == "plain" and isinstance(o, Literal):
        out[i] = (s, p, Literal(str(o), datatype=XSD.string) if b % 2 else Literal(str(o)))
    return out


def _rename(triples: list[tuple], copy: int) -> list[tuple]:
    owned = {s for s, _p, _o in triples if isinstance(s, URIRef)}

    def ren(n: object) -> object:
        if n in owned:
            return URIRef(f"{n}~{copy}")
        if isinstance(n, BNode):
            return BNode(f"c{copy}x{n}")
        return n

    return [(ren(s), p, ren(o)) for s, p, o in triples]


def _context(background: Graph, triples: list[tuple]) -> list[tuple]:
    """What the catalog puts next to records: descriptions of the IRIs they point to (two
    hops) and the subclass axioms."""
    found: list[tuple] = list(background.triples((None, URIRef(
        "http://www.w3.org/2000/01/rdf-schema#subClassOf"), None)))
    frontier = {o for _s, _p, o in triples if isinstance(o, URIRef)}
    seen: set = set()
    for _ in range(2):
        nxt = set()
        for n in frontier - seen:
            seen.add(n)
            for p, o in background.predicate_objects(n):
                found.append((n, p, o))
                if isinstance(o, URIRef):
                    nxt.add(o)
        frontier = nxt
    return found


mutation = st.tuples(st.sampled_from(KINDS), st.integers(0, 10**6), st.integers(0, 10**6))
record = st.tuples(st.integers(0, max(len(BASES) - 1, 0)), st.lists(mutation, max_size=4))
SHAPE_SETS = ["full", "core", "dcat-ap"]
COUNT = {"records": 0}


@pytest.mark.skipif(not BASES, reason="no base records")
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(batch=st.lists(record, min_size=50, max_size=50), which=st.sampled_from(SHAPE_SETS))
def test_mutated_records_same_results(batch: list, which: str, background: Graph) -> None:
    triples: list[tuple] = []
    focus: set = set()
    for copy, (base, mutations) in enumerate(batch):
        rec = BASES[base]
        for kind, a, b in mutations:
            rec = _mutate(rec, kind, a, b)
        rec = _rename(rec, copy)
        triples.extend(rec)
        focus |= {s for s, _p, _o in rec}
    data = Graph()
    for t in triples + _context(background, triples):
        data.add(t)
    if which == "dcat-ap":
        if official.missing_external():
            return
        shapes = _merge(official.dcat_ap_shapes(), official.dcat_ap_recommended())
        shapes = _cached(which, shapes)
    else:
        shapes = profile_shapes(which)
    compare(data, shapes, focus=focus, ox_path=len(batch[0][1]) % 2 == 0)
    if batch[0][0] % 4 == 0:
        # with focus nodes, the fast engine narrows its targets: same as filtering afterwards
        everything = fast_validator(shapes).validate(data)
        assert keys([r for r in everything if r.focus in focus]) == keys(
            fast_validator(shapes).validate(data, focus=focus))
    COUNT["records"] += len(batch)


_SHAPES: dict[str, Graph] = {}


def _cached(name: str, graph: Graph) -> Graph:
    return _SHAPES.setdefault(name, graph)


def test_mutations_covered_thousands_of_records() -> None:
    if COUNT["records"] == 0:
        pytest.skip("runs after the hypothesis test in the same process only")
    assert COUNT["records"] >= 2000


def test_ill_typed_literals() -> None:
    """Lexical validity as pySHACL sees it, on a shape of each datatype."""
    shapes = Graph()
    shapes.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix ex: <urn:ex:> .
        ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
          sh:property [ sh:path ex:int ; sh:datatype xsd:integer ] ,
            [ sh:path ex:nni ; sh:datatype xsd:nonNegativeInteger ] ,
            [ sh:path ex:dec ; sh:datatype xsd:decimal ] ,
            [ sh:path ex:bool ; sh:datatype xsd:boolean ] ,
            [ sh:path ex:date ; sh:datatype xsd:date ] ,
            [ sh:path ex:dt ; sh:datatype xsd:dateTime ] ,
            [ sh:path ex:year ; sh:datatype xsd:gYear ] ,
            [ sh:path ex:dur ; sh:datatype xsd:duration ] ,
            [ sh:path ex:str ; sh:datatype xsd:string ] ,
            [ sh:path ex:lang ; sh:datatype rdf:langString ] ,
            [ sh:path ex:lang ; sh:languageIn ("zh" "en") ; sh:uniqueLang true ] ,
            [ sh:path ex:int ; sh:minInclusive 0 ; sh:maxExclusive 100 ] .
    """, format="turtle")
    data = Graph()
    ex = "urn:ex:"
    n = 0
    for pred in ("int", "nni", "dec", "bool", "date", "dt", "year", "dur", "str", "lang"):
        dt = {"int": XSD.integer, "nni": XSD.nonNegativeInteger, "dec": XSD.decimal,
              "bool": XSD.boolean, "date": XSD.date, "dt": XSD.dateTime, "year": XSD.gYear,
              "dur": XSD.duration, "str": XSD.string, "lang": None}[pred]
        for lex in LEXICAL:
            node = URIRef(f"{ex}n{n}")
            n += 1
            data.add((node, URIRef(ex + "p"), Literal(1)))
            lit = (Literal(lex, lang=LANGS[n % len(LANGS)]) if dt is None
                   else Literal(lex, datatype=dt, normalize=False))
            data.add((node, URIRef(ex + pred), lit))
            if dt is None:
                data.add((node, URIRef(ex + pred), Literal(lex + "2", lang="zh-cn")))
    assert compare(data, shapes) > 20


def test_oxigraph_quads_are_accepted() -> None:
    shapes = profile_shapes("full")
    g = Graph()
    g.parse(VALID, format="turtle")
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
             for t in graph_to_triples(g)]
    assert keys(fast_validator(shapes).validate(quads)) == keys(
        fast_validator(shapes).validate(g))


@pytest.mark.parametrize("lexical,datatype", [
    ("2024-02-29", "date"), ("2023-02-29", "date"), ("0000-01-01", "date"),
    ("2024-13-01", "date"), ("2024-1-01", "date"), ("20240101", "date"), ("2024-01-01Z", "date"),
    ("2024-01-01T10:00:00", "dateTime"), ("2024-01-01T24:00:00", "dateTime"),
    ("2024-01-01T23:59:60", "dateTime"), ("2024-01-01T10:00:00+14:00", "dateTime"),
    ("2024-01-01T10:00:00.5Z", "dateTime"), ("2024-01-01 10:00:00", "dateTime"),
    ("42", "integer"), ("+42", "integer"), ("-0", "integer"), ("4 2", "integer"),
    ("123456789012345678901234567890", "integer"), ("4.0", "integer"),
])
def test_everyday_lexical_forms_are_judged_as_rdflib_judges_them(lexical: str,
                                                                 datatype: str) -> None:
    from hdcat import fastshacl

    dt = "http://www.w3.org/2001/XMLSchema#" + datatype
    fastshacl._lexical_ok.cache_clear()
    assert fastshacl._lexical_ok(lexical, dt) == fastshacl._rdflib_lexical_ok(lexical, dt)
