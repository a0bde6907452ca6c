"""The catalog on Virtuoso Open Source 7 (Debian's package) as its remote SPARQL store.

The shared store suite (tests/test_store.py) runs on Virtuoso through the `store` fixture's
"virtuoso" backend. Here: the demo catalog loaded into a Catalog on Virtuoso and served by
the Flask app (home, search, a dataset page, a dataset as Turtle, the SPARQL endpoint), with
the checks of tests/test_home_search.py and tests/test_pages.py run on it and its answers
compared with those of the embedded store; then what Virtuoso makes RemoteStore do
differently (hdcat/store.py, the Virtuoso notes): atomic replacement although Virtuoso
commits the operations of a request one by one, blank nodes and ill-typed literals it
refuses in INSERT DATA, its parser's limit, its default graph, its JSON.

The store tests below work on graphs of their own (urn:x-test:virtuoso:...) and remove them,
so they never disturb the catalog, which shares the session's Virtuoso.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import rdflib
import test_home_search as home
import test_pages as pages
from flask import Flask
from flask.testing import FlaskClient
from virtuoso_server import VirtuosoServer

from hdcat.audit import _INTEGERS
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.store import (
    EmbeddedStore,
    QuerySyntaxError,
    RemoteStore,
    StoreError,
    open_store,
)
from service.app import create_app
from service.sparql import endpoint_state

pytestmark = pytest.mark.virtuoso

B = "https://hdcat.example.org"
DM = f"{B}/dataset/dm-complications-2020"
REC = f"{B}/record/dm-complications-2020"
DCAT = "http://www.w3.org/ns/dcat#"
XSD = "http://www.w3.org/2001/XMLSchema#"
T = "urn:x-test:virtuoso:"
P = ox.NamedNode(T + "p")


# --------------------------------------------------------------------------- fixtures


def _app(catalog: Catalog) -> Flask:
    app = create_app(catalog)
    app.testing = True
    return app


@pytest.fixture(scope="module")
def catalog(
    virtuoso_server: VirtuosoServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Catalog]:
    store = RemoteStore.virtuoso(virtuoso_server.sparql_url)
    store.clear()
    cat = Catalog(Settings(data_dir=tmp_path_factory.mktemp("virtuoso-catalog")), store)
    cat.initialize(demo=True)
    yield cat
    cat.close()


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    """The same catalog on the embedded store, to compare answers with."""
    data = tmp_path_factory.mktemp("virtuoso-twin")
    cat = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store"))
    cat.initialize(demo=True)
    yield cat
    cat.close()


@pytest.fixture(scope="module")
def app(catalog: Catalog) -> Iterator[Flask]:
    app = _app(catalog)
    yield app
    endpoint_state(app).close()


@pytest.fixture(scope="module")
def twin(embedded: Catalog) -> Iterator[Flask]:
    app = _app(embedded)
    yield app
    endpoint_state(app).close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def vstore(virtuoso_server: VirtuosoServer) -> Iterator[RemoteStore]:
    """A store on the session's Virtuoso; the test's own graphs are dropped afterwards."""
    store = RemoteStore.virtuoso(virtuoso_server.sparql_url)
    try:
        yield store
    finally:
        mine = [g for g in store._virtuoso_graphs()
                if g.startswith(T) or g == store.default_graph]
        store.drop_graphs(mine)
        store.close()


def _normal(quad: ox.Quad) -> str:
    """A quad as text, integer-derived literals as xsd:integer (Oxigraph keeps only that
    datatype, Virtuoso keeps the declared one; hdcat.datatypes restores it on reading)."""
    o = quad.object
    if isinstance(o, ox.Literal) and o.datatype.value in _INTEGERS:
        o = ox.Literal(str(int(o.value)), datatype=ox.NamedNode(XSD + "integer"))
    return str(ox.Quad(quad.subject, quad.predicate, o, quad.graph_name))


def _canon(quads) -> ox.Dataset:
    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return ds


# --------------------------------------------------------------------------- the demo catalog


def test_store_holds_what_the_embedded_store_holds(catalog: Catalog, embedded: Catalog) -> None:
    assert catalog.store.graph_names() == embedded.store.graph_names()
    assert len(catalog.store) == len(embedded.store)
    assert {_normal(q) for q in catalog.store.quads()} == {
        _normal(q) for q in embedded.store.quads()}


def test_home(client: FlaskClient) -> None:
    home.test_home_numbers(client)
    home.test_home_charts_match_the_graph(client)
    home.test_home_newest_link_to_their_pages(client)


@pytest.mark.parametrize(("q", "expected", "absent"), [
    ("糖尿病", {"dm-complications-2020", "gdm-pregnancy-cohort-gd"}, {"sars-cov-2-genomes-cn"}),
    ("diabetes", {"dm-complications-2020", "gut-microbiome-t2d"}, {"ili-sentinel-2023"}),
])
def test_search(client: FlaskClient, twin: Flask, q: str, expected: set, absent: set) -> None:
    home.test_full_text_in_chinese_and_english(client, q, expected, absent)
    home.test_search_page_lists_hits_with_links_and_marks(client)
    home.test_json_output(client)
    url = "/search.json?per_page=100&q=" + quote(q)
    assert _search(home.get_json(client, url)) == _search(home.get_json(twin.test_client(), url))


def _search(result: dict) -> tuple:
    """What a search answered, without labels: hdcat.labels keeps the first label a thing has
    in a language and its query has no ORDER BY, so where a standard has two Chinese labels
    (dct:title, rdfs:label) each store may give the other one."""
    facets = {name: [(f["value"], f["count"]) for f in values]
              for name, values in result["facets"].items()}
    return result["total"], [h["dataset"] for h in result["hits"]], facets


def test_dataset_page(client: FlaskClient) -> None:
    pages.test_dataset_page_content(client)
    pages.test_dataset_page_citation(client)
    pages.test_schema_org_jsonld(client)
    link = client.get("/dataset/dm-complications-2020", headers={"Accept": "text/html"}).headers[
        "Link"]
    assert '<https://doi.org/10.12213/11.A0005.202006.001018>; rel="cite-as"' in link
    assert 'rel="describedby"; type="text/turtle"' in link


def test_dataset_as_turtle(client: FlaskClient, twin: Flask) -> None:
    pages.test_dataset_rdf_by_accept_and_format(client, "ttl")
    r = client.get("/dataset/dm-complications-2020?format=ttl")
    same = twin.test_client().get("/dataset/dm-complications-2020?format=ttl")
    assert r.status_code == same.status_code == 200
    assert r.mimetype == "text/turtle"
    mine = {_normal(ox.Quad(t.subject, t.predicate, t.object))
            for t in ox.parse(r.data, ox.RdfFormat.TURTLE)}
    theirs = {_normal(ox.Quad(t.subject, t.predicate, t.object))
              for t in ox.parse(same.data, ox.RdfFormat.TURTLE)}
    assert mine == theirs and len(mine) > 50


def _sparql(client: FlaskClient, query: str, accept: str = "application/sparql-results+json"):
    return client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})


SPARQL_CASES = [
    f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a <{DCAT}Dataset> }}",
    f"SELECT ?d ?t WHERE {{ ?d a <{DCAT}Dataset> ; <http://purl.org/dc/terms/title> ?t }}"
    " ORDER BY ?d ?t",
    f"SELECT ?g WHERE {{ GRAPH ?g {{ <{DM}> a ?type }} }}",
    f"ASK {{ <{DM}> a <{DCAT}Dataset> }}",
]


@pytest.mark.parametrize("query", SPARQL_CASES)
def test_sparql_endpoint_answers_as_embedded(client: FlaskClient, twin: Flask, query: str) -> None:
    r = _sparql(client, query)
    same = _sparql(twin.test_client(), query)
    assert r.status_code == same.status_code == 200, r.data[:300]
    assert r.mimetype == "application/sparql-results+json"
    mine, theirs = json.loads(r.data), json.loads(same.data)
    if "results" in mine:  # ORDER BY of literals in several languages is the store's choice
        for data in (mine, theirs):
            data["results"]["bindings"].sort(key=lambda b: json.dumps(b, sort_keys=True))
    assert mine == theirs


def test_sparql_endpoint(client: FlaskClient) -> None:
    count = SPARQL_CASES[0]
    data = json.loads(_sparql(client, count).data)
    total = data["results"]["bindings"][0]["n"]["value"]
    assert int(total) >= len(home.datasets())
    # the default graph is the union of the record graphs
    rows = json.loads(_sparql(client, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{DM}> a ?t }} }}").data)
    assert {b["g"]["value"] for b in rows["results"]["bindings"]} == {REC}
    # every results format parses as SPARQL 1.1 (Virtuoso's own TSV and CSV would not)
    for accept in ("application/sparql-results+xml", "text/tab-separated-values", "text/csv"):
        r = _sparql(client, count, accept)
        assert r.status_code == 200 and r.mimetype == accept
        if accept == "text/csv":
            assert r.get_data(as_text=True).split() == ["n", total]
        else:
            fmt = ox.QueryResultsFormat.from_media_type(accept)
            assert [s["n"].value for s in ox.parse_query_results(r.data, fmt)] == [total]
    r = _sparql(client, f"CONSTRUCT {{ <{DM}> ?p ?o }} WHERE {{ <{DM}> ?p ?o }}", "text/turtle")
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    assert (rdflib.URIRef(DM), rdflib.RDF.type, rdflib.URIRef(DCAT + "Dataset")) in g
    # a malformed query: 400 with the parser's message
    r = _sparql(client, "SELECT * WHERE { ?s ?p ")
    assert r.status_code == 400
    assert "expected" in r.get_data(as_text=True)


@pytest.mark.parametrize("query", [
    'SELECT (bif:http_get("http://127.0.0.1:1/") AS ?x) WHERE {}',
    'PREFIX b: <bif:> SELECT (b:sys_stat("st_dbms_ver") AS ?x) WHERE {}',
    'SELECT (<sql:RDF_GRAPH_GROUP_LIST>() AS ?x) WHERE {}',
    'DEFINE input:grab-all "yes" SELECT * WHERE { <http://127.0.0.1:1/x> ?p ?o }',
])
def test_sparql_endpoint_refuses_virtuoso_extensions(client: FlaskClient, query: str) -> None:
    """Virtuoso runs its SQL built-ins from SPARQL (bif:http_get fetches any URL) and fetches
    documents on DEFINE pragmas: the store refuses them, so the public endpoint does."""
    r = _sparql(client, query)
    assert r.status_code == 400
    assert "Virtuoso" in r.get_data(as_text=True)
    with pytest.raises(QuerySyntaxError):
        client.application.catalog.store.query(query)


# --------------------------------------------------------------------------- the store on Virtuoso


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(T + local)


def test_replace_is_all_or_nothing_though_virtuoso_commits_operation_by_operation(
    vstore: RemoteStore,
) -> None:
    g1, g2 = T + "g1", T + "g2"
    old = [ox.Triple(n("old"), P, ox.Literal("old"))]
    vstore.replace_graphs({g1: old, g2: old})
    before = _canon([*vstore.quads(g1), *vstore.quads(g2)])
    # Virtuoso accepts this request, runs its first operations (the new content of g1, into
    # staging), then fails on the duration (SR553: it cannot store xsd:duration) and
    # commits what ran: the targets must not have changed, no staging graph may be left
    new = [ox.Triple(n(f"s{i}"), P, ox.Literal(f"v{i}")) for i in range(1500)]
    bad = [ox.Triple(n("x"), P, ox.Literal("P1D", datatype=ox.NamedNode(XSD + "duration")))]
    with pytest.raises(StoreError):
        vstore.replace_graphs({g1: new, g2: bad})
    assert _canon([*vstore.quads(g1), *vstore.quads(g2)]) == before
    assert not [g for g in vstore._virtuoso_graphs() if g.startswith("urn:x-hdcat:staging:")]
    assert vstore.graph(g1) == old


def test_big_graphs_blank_nodes_and_ill_typed_literals(vstore: RemoteStore) -> None:
    """More triples than Virtuoso's parser takes in one block (about 5,000), blank nodes it
    refuses in INSERT DATA (many small groups, one bigger than a template, one shared by two
    graphs), and literals it refuses there."""
    ga, gb = T + "a", T + "b"
    hub, shared = ox.BlankNode(), ox.BlankNode()
    periods = [ox.BlankNode() for _ in range(200)]
    a = [ox.Triple(n(f"s{i}"), P, ox.Literal(f"值 {i}", language="zh")) for i in range(6000)]
    a += [ox.Triple(hub, P, ox.Literal(f"h{i}")) for i in range(350)]
    a += [ox.Triple(n("hub"), P, hub), ox.Triple(n("x"), P, shared)]
    a += [t for i, b in enumerate(periods)
          for t in (ox.Triple(n(f"p{i}"), P, b), ox.Triple(b, P, ox.Literal(str(i))))]
    a += [ox.Triple(n("ill"), P, ox.Literal(v, datatype=ox.NamedNode(XSD + t)))
          for v, t in [("not a number", "integer"), ("1,5", "decimal"), ("yes", "boolean"),
                       ("x", "double")]]
    b = [ox.Triple(shared, P, ox.Literal("shared"))]
    vstore.replace_graphs({ga: a, gb: b})
    expected = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                for g, ts in ((ga, a), (gb, b)) for t in ts]
    assert _canon([*vstore.quads(ga), *vstore.quads(gb)]) == _canon(expected)
    assert len(vstore.graph(ga)) == len(a)
    # replacing again swaps the new content in, the old out
    vstore.replace_graphs({ga: a[:10], gb: []})
    assert sorted(map(str, vstore.graph(ga))) == sorted(map(str, a[:10]))
    assert not vstore.has_graph(gb)


def test_bulk_extend_keeps_blank_nodes_across_chunks(vstore: RemoteStore) -> None:
    vstore.chunk_size = 3
    b = ox.BlankNode()
    g = ox.NamedNode(T + "bulk")
    quads = [ox.Quad(n(f"s{i}"), P, ox.Literal(str(i)), g) for i in range(10)]
    quads.insert(1, ox.Quad(n("first"), P, b, g))
    quads.append(ox.Quad(b, P, ox.Literal("last"), g))
    vstore.bulk_extend(quads)
    assert _canon(vstore.quads(g.value)) == _canon(quads)


def test_default_graph_beside_named_graphs(vstore: RemoteStore) -> None:
    g = T + "named"
    vstore.bulk_extend([ox.Quad(n("d"), P, ox.Literal("default")),
                        ox.Quad(n("x"), P, ox.Literal("named"), ox.NamedNode(g))])
    in_default = f"SELECT ?s WHERE {{ ?s <{P.value}> ?o }}"
    assert [r["s"] for r in vstore.query(in_default)] == [n("d")]
    # a named graph and the default graph in one query (Virtuoso then matches GRAPH <g> only
    # for the graphs the request lists)
    both = f"SELECT ?s ?x WHERE {{ ?s <{P.value}> ?o GRAPH <{g}> {{ ?x ?p ?y }} }}"
    assert vstore.query(both) == [{"s": n("d"), "x": n("x")}]
    update = f"DELETE WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
    vstore.update(update)
    assert not vstore.has_graph(g)
    union = vstore.query(in_default + f" VALUES ?s {{ <{T}d> }}", union_default_graph=True)
    assert [r["s"] for r in union] == [n("d")]
    assert vstore.default_graph not in vstore.graph_names()
    assert ox.Quad(n("d"), P, ox.Literal("default")) in set(vstore.quads())


def test_json_results_are_fixed_on_the_way(vstore: RemoteStore) -> None:
    """Virtuoso names blank nodes "nodeID://..." and writes booleans as 1 and 0 in JSON."""
    g = T + "json"
    b = ox.BlankNode()
    yes = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
    no = ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean"))
    vstore.replace_graphs({g: [ox.Triple(n("s"), P, b), ox.Triple(b, P, yes),
                               ox.Triple(n("t"), P, no)]})
    query = f"SELECT ?s ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
    with vstore.open_query(query) as result:
        rows = [(row["s"], row["o"]) for row in result]
    assert {o for _, o in rows if isinstance(o, ox.Literal)} == {yes, no}
    assert sum(isinstance(s, ox.BlankNode) for s, _ in rows) == 1
    body, ctype = vstore.query_raw(query, "text/tab-separated-values")
    assert ctype.split(";")[0] == "text/tab-separated-values"
    assert len(list(ox.parse_query_results(body, ox.QueryResultsFormat.TSV))) == 3


def test_syntax_errors_carry_oxigraph_s_message(vstore: RemoteStore) -> None:
    with pytest.raises(QuerySyntaxError) as err:
        vstore.query("SELECT * WHERE { ?s ?p ?o ")
    assert "expected" in err.value.detail and "Virtuoso" in err.value.detail
    assert "SPARQL query:" not in str(err.value)  # Virtuoso's echo of the text is cut


def test_open_store_detects_virtuoso(virtuoso_server: VirtuosoServer, tmp_path: Path) -> None:
    store = open_store(tmp_path, virtuoso_server.sparql_url)
    assert isinstance(store, RemoteStore)
    assert store.has_graph(T + "none") is False
    assert store.dialect == "virtuoso"
    assert not (tmp_path / "store").exists()


def test_json_fixes_across_chunk_boundaries() -> None:
    from hdcat.store import _fix_virtuoso_json, _FixedJson

    row = ('{ "s": { "type": "bnode", "value": "nodeID://b10003" }\t, "o": { "type": '
           '"typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", '
           '"value": "%d" }}')
    body = ('{ "head": { "link": [], "vars": ["s", "o"] },\n  "results": { "distinct": false, '
            '"ordered": true, "bindings": [\n' + ",\n".join(row % (i % 2) for i in range(300))
            + " ] } }").encode()

    class Trickle:  # answers a few bytes at a time
        def __init__(self) -> None:
            self.at = 0

        def read1(self, size: int = 65536) -> bytes:
            n = 1 + self.at % 7
            out = body[self.at:self.at + n]
            self.at += len(out)
            return out

    rows = list(ox.parse_query_results(_FixedJson(Trickle()), ox.QueryResultsFormat.JSON))
    assert len(rows) == 300
    assert {r["o"].value for r in rows} == {"true", "false"}
    assert {r["s"] for r in rows} == {ox.BlankNode("b10003")}
    assert _fix_virtuoso_json(body).count(b"nodeID://") == 0
