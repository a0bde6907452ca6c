"""The store interface, run on both backends (embedded pyoxigraph, remote Oxigraph server)."""

from __future__ import annotations

import io
import socket
import threading
from pathlib import Path

import pytest
from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
)

from hdcat import store as store_module
from hdcat.store import (
    EmbeddedStore,
    NotAcceptableError,
    QuerySyntaxError,
    QueryTimeoutError,
    RemoteStore,
    SelectResult,
    Store,
    StoreError,
    open_store,
)

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
G1, G2, G3 = EX + "g/1", EX + "g/2", EX + "g/3"
P = NamedNode(EX + "p")
NASTY = '"> } ; DROP ALL #\n\'\'\' """ \\ \\u0022 中文'


def n(local: str) -> NamedNode:
    return NamedNode(EX + local)


def t(s: str, o: object) -> Triple:
    return Triple(n(s), P, o)


def canon(quads) -> Dataset:
    ds = Dataset(quads)
    ds.canonicalize(CanonicalizationAlgorithm.UNSTABLE)
    return ds


def simple(store: Store) -> None:
    store.replace_graphs({G1: [t("a", Literal("one")), t("b", n("c"))], G2: [t("x", Literal("2"))]})


# ---------------------------------------------------------------- replace_graphs


def test_replace_graph_does_not_touch_others(store: Store) -> None:
    simple(store)
    store.replace_graphs({G1: [t("new", Literal("only"))]})
    assert store.graph(G1) == [t("new", Literal("only"))]
    assert store.graph(G2) == [t("x", Literal("2"))]
    assert store.graph_names() == [G1, G2]
    assert len(store) == 2


def test_replace_with_empty_drops_graph(store: Store) -> None:
    simple(store)
    store.replace_graphs({G1: []})
    assert not store.has_graph(G1)
    assert store.has_graph(G2)
    assert store.graph(G1) == []
    assert store.graph_names() == [G2]


def test_replace_graphs_all_or_nothing_bad_item(store: Store) -> None:
    simple(store)
    before = canon(store.quads())
    bad = [t("y", Literal("fine")), "not a triple", t("z", Literal("never"))]
    with pytest.raises(StoreError, match="Triple"):
        store.replace_graphs({G1: [t("new", Literal("1"))], G2: bad, G3: [t("q", n("r"))]})
    assert canon(store.quads()) == before
    assert not store.has_graph(G3)


def test_replace_graphs_all_or_nothing_failing_iterator(store: Store) -> None:
    simple(store)
    before = canon(store.quads())

    def broken():
        yield t("y", Literal("first"))
        raise RuntimeError("source broke mid-way")

    with pytest.raises(RuntimeError, match="mid-way"):
        store.replace_graphs({G1: [t("new", Literal("1"))], G2: broken()})
    assert canon(store.quads()) == before


def test_update_is_atomic_in_the_backend(store: Store) -> None:
    """replace_graphs relies on one SPARQL Update request being one transaction."""
    simple(store)
    before = canon(store.quads())
    with pytest.raises(StoreError):
        store.update(
            f"DROP GRAPH <{G1}> ; INSERT DATA {{ GRAPH <{G3}> {{ <{EX}s> <{EX}p> 1 }} }} ;"
            f" DROP GRAPH <{EX}no-such-graph>"
        )
    assert canon(store.quads()) == before


def test_replace_many_graphs_and_shared_blank_node(store: Store) -> None:
    b = BlankNode()
    store.replace_graphs({G1: [Triple(n("a"), P, b)], G2: [Triple(b, P, Literal("v"))]})
    rows = store.query(
        f"SELECT ?v WHERE {{ GRAPH <{G1}> {{ ?a ?p ?b }} GRAPH <{G2}> {{ ?b ?p ?v }} }}"
    )
    assert [r["v"] for r in rows] == [Literal("v")]


def test_invalid_graph_name(store: Store) -> None:
    with pytest.raises(StoreError, match="invalid graph IRI"):
        store.replace_graphs({"not an iri": [t("a", Literal("x"))]})


# ---------------------------------------------------------------- bindings


@pytest.mark.parametrize(
    "value",
    [
        Literal(NASTY),
        Literal(NASTY, language="zh-Hans-CN"),
        Literal("中文 newline\nand\ttab\r", language="zh"),
        Literal("5", datatype=NamedNode(XSD + "decimal")),
        NamedNode(EX + "a?b=c&d#frag"),
    ],
)
def test_bindings_are_matched_literally(store: Store, value) -> None:
    decoy = Literal(NASTY + " decoy")
    store.replace_graphs({G1: [t("hit", value), t("decoy", decoy)]})
    rows = store.query(
        "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"o": value}
    )
    assert [r["s"] for r in rows] == [n("hit")]
    assert rows.variables == ["s"]
    # the query was not altered: nothing was dropped
    assert len(store) == 2
    assert store.query("ASK { GRAPH ?g { ?s ?p ?o } }", {"o": value}) is True


def test_binding_language_tag_matters(store: Store) -> None:
    zh = Literal("x", language="zh")
    store.replace_graphs({G1: [t("en", Literal("x", language="en")), t("zh", zh)]})
    rows = store.query("SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"o": zh})
    assert rows == [{"s": n("zh"), "o": Literal("x", language="zh")}]


def test_binding_unprojected_variable_and_aggregate(store: Store) -> None:
    store.replace_graphs({G1: [t("a", Literal("1")), t("a", Literal("2")), t("b", Literal("3"))]})
    rows = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"s": n("a")}
    )
    assert rows[0]["n"] == Literal("2", datatype=NamedNode(XSD + "integer"))
    rows = store.query(
        "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?s != ?x) } ORDER BY ?o",
        {"x": n("a")},
    )
    assert [r["o"].value for r in rows] == ["3"]


def test_binding_in_construct_and_bad_names(store: Store) -> None:
    simple(store)
    triples = store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"s": n("a")}
    )
    assert triples == [t("a", Literal("one"))]
    with pytest.raises(StoreError, match="variable"):
        store.query("SELECT * WHERE { ?s ?p ?o }", {"s } DROP ALL": n("a")})


# ---------------------------------------------------------------- result shapes


def test_result_shapes(store: Store) -> None:
    simple(store)
    rows = store.query(
        f"SELECT ?s ?o ?missing WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }} ORDER BY ?s"
    )
    assert isinstance(rows, SelectResult)
    assert rows.variables == ["s", "o", "missing"]
    assert list(rows) == [{"s": n("a"), "o": Literal("one")}, {"s": n("b"), "o": n("c")}]
    empty = store.query("SELECT ?x WHERE { ?x ?y ?z }")
    assert empty == [] and empty.variables == ["x"]
    assert store.query(f"ASK {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}") is True
    assert store.query("ASK { <urn:x> ?p ?o }") is False
    triples = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}")
    assert triples == [t("x", Literal("2"))]
    assert all(isinstance(x, Triple) for x in triples)
    described = store.query(f"DESCRIBE <{EX}x> FROM <{G2}>")
    assert isinstance(described, list)


def test_literals_round_trip(store: Store) -> None:
    lits = [
        Literal("2020-06-15", datatype=NamedNode(XSD + "date")),
        Literal("2020-05-30T00:00:00", datatype=NamedNode(XSD + "dateTime")),
        Literal("0.02", datatype=NamedNode(XSD + "decimal")),
        Literal("true", datatype=NamedNode(XSD + "boolean")),
        Literal("CSTR:A0006.11.A0005.202006.001018", datatype=NamedNode("https://w3id.org/hdcat/ns#CSTR")),
        Literal("糖尿病并发症预警数据集", language="zh"),
        Literal("Diabetes", language="en-GB"),
        Literal(NASTY),
        Literal("not a number", datatype=NamedNode(XSD + "integer")),
    ]
    triples = [t(f"s{i}", lit) for i, lit in enumerate(lits)]
    store.replace_graphs({G1: triples})
    assert sorted(store.graph(G1), key=str) == sorted(triples, key=str)
    rows = store.query(f"SELECT ?o WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
    assert sorted((r["o"] for r in rows), key=str) == sorted(lits, key=str)


def test_blank_nodes(store: Store) -> None:
    period = BlankNode()
    triples = [
        Triple(n("ds"), NamedNode("http://purl.org/dc/terms/temporal"), period),
        Triple(period, NamedNode("http://www.w3.org/ns/dcat#startDate"),
               Literal("2015-01-01", datatype=NamedNode(XSD + "date"))),
    ]
    store.replace_graphs({G1: triples})
    got = store.graph(G1)
    assert len(got) == 2
    bnodes = {x.object for x in got if isinstance(x.object, BlankNode)}
    assert len(bnodes) == 1 and {x.subject for x in got} == {n("ds"), *bnodes}
    assert canon(Quad(x.subject, x.predicate, x.object, NamedNode(G1)) for x in got) == canon(
        Quad(x.subject, x.predicate, x.object, NamedNode(G1)) for x in triples
    )


# ---------------------------------------------------------------- bulk, dump, quads

TURTLE = """@prefix ex: <http://example.org/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:ds dct:title "标题"@zh , "Title"@en ; dct:temporal [ ex:start "2015"^^xsd:gYear ] .
"""

NQUADS = f"""<{EX}a> <{EX}p> "1" <{G1}> .
<{EX}b> <{EX}p> _:x <{G2}> .
_:x <{EX}p> "in g2" <{G2}> .
<{EX}d> <{EX}p> "default" .
"""


def test_bulk_load_turtle_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "data.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    store.bulk_load(path, RdfFormat.TURTLE, to_graph=G3)
    assert store.graph_names() == [G3]
    assert len(store.graph(G3)) == 4
    rows = store.query(
        "SELECT ?y WHERE { GRAPH ?g { ?ds <http://purl.org/dc/terms/temporal> ?p . ?p ?q ?y } }"
    )
    assert [r["y"].value for r in rows] == ["2015"]


def test_bulk_load_nquads(store: Store, tmp_path: Path) -> None:
    store.bulk_load(NQUADS.encode(), RdfFormat.N_QUADS)
    expected = canon(parse(NQUADS.encode(), RdfFormat.N_QUADS))
    assert canon(store.quads()) == expected
    assert store.graph_names() == [G1, G2]
    assert len(store) == 4
    path = tmp_path / "data.nq"
    path.write_text(NQUADS)
    store.clear()
    store.bulk_load(path, RdfFormat.N_QUADS)
    assert canon(store.quads()) == expected
    with pytest.raises(StoreError, match="to_graph"):
        store.bulk_load(path, RdfFormat.N_QUADS, to_graph=G3)


def test_bulk_load_bad_data(store: Store) -> None:
    with pytest.raises(StoreError):
        store.bulk_load(b"<http://a> <http://p> .", RdfFormat.N_TRIPLES, to_graph=G1)


_BLANK = BlankNode()
TRICKY = [  # terms whose N-Triples form needs escapes, non-ASCII or a blank node
    t("nasty", Literal(NASTY)),
    t("zh", Literal("数据集", language="zh-Hans-CN")),
    Triple(NamedNode(EX + "数据/é?q=1&r=%3C%3E"), P, _BLANK),
    Triple(_BLANK, P, Literal("2024-02-29", datatype=NamedNode(XSD + "date"))),
    t("tab", Literal("a\tb\r\u0001\U0001F600")),
]


def test_bulk_load_checks_iris_unless_trusted_with_hdcats_own_serialisation(
    store: Store,
) -> None:
    with pytest.raises(StoreError):
        store.bulk_load(b'<http://a b> <http://p> "x" .', RdfFormat.N_TRIPLES, to_graph=G1)
    assert len(store) == 0
    tricky = [*TRICKY, t("int", Literal("5", datatype=NamedNode(XSD + "nonNegativeInteger")))]
    payload = store_module.nquads({G1: tricky, G2: [t("x", Literal("2"))]})
    store.bulk_load(payload, RdfFormat.N_QUADS)
    checked = canon(store.quads())
    assert len(checked) == len(tricky) + 1
    store.clear()
    store.bulk_load(payload, RdfFormat.N_QUADS, trusted=True)
    assert canon(store.quads()) == checked


def test_replace_graphs_through_the_bulk_loader_keeps_every_term(store: Store) -> None:
    filler = [t(f"s{i}", Literal(str(i))) for i in range(store_module.BULK_WRITE_MIN_QUADS)]
    store.replace_graphs({G1: TRICKY, G2: filler})
    assert canon(store.quads(G1)) == canon(Quad(*x, NamedNode(G1)) for x in TRICKY)
    assert len(store.graph(G2)) == len(filler)


def test_bulk_extend(store: Store) -> None:
    b = BlankNode()
    quads = [Quad(n(f"s{i}"), P, Literal(str(i)), NamedNode(G1)) for i in range(5)]
    quads += [Quad(n("s"), P, b, NamedNode(G2)), Quad(b, P, Literal("x"), DefaultGraph())]
    if isinstance(store, RemoteStore):
        store.chunk_size = 2  # exercise chunking (and the blank-node rule)
    store.bulk_extend(quads)
    assert len(store) == 7
    assert canon(store.quads()) == canon(quads)


def test_dump_and_reload(store: Store) -> None:
    store.bulk_load(NQUADS.encode(), RdfFormat.N_QUADS)
    simple(store)
    buf = io.BytesIO()
    store.dump(buf, RdfFormat.N_QUADS)
    other = EmbeddedStore(None)
    other.bulk_load(buf.getvalue(), RdfFormat.N_QUADS)
    assert canon(other.quads()) == canon(store.quads())
    buf = io.BytesIO()
    store.dump(buf, RdfFormat.TURTLE, graph=G1)
    reread = [q.triple for q in parse(buf.getvalue(), RdfFormat.TURTLE)]
    assert sorted(reread, key=str) == sorted(store.graph(G1), key=str)
    with pytest.raises(StoreError, match="graph="):
        store.dump(io.BytesIO(), RdfFormat.TURTLE)


def test_quads_len_clear_drop(store: Store) -> None:
    simple(store)
    assert len(store) == 3
    assert {q.graph_name for q in store.quads()} == {NamedNode(G1), NamedNode(G2)}
    assert [q.triple for q in store.quads(G2)] == [t("x", Literal("2"))]
    store.drop_graphs([G2, G3])
    assert store.graph_names() == [G1]
    store.clear()
    assert len(store) == 0 and store.graph_names() == []
    store.flush()
    store.optimize()


# ---------------------------------------------------------------- raw queries


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/sparql-results+json", QueryResultsFormat.JSON),
        ("application/sparql-results+xml", QueryResultsFormat.XML),
        ("text/tab-separated-values", QueryResultsFormat.TSV),
    ],
)
def test_query_raw_select(store: Store, accept: str, fmt: QueryResultsFormat) -> None:
    simple(store)
    body, ctype = store.query_raw(f"SELECT ?s ?o WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}", accept)
    assert ctype.split(";")[0] == accept
    rows = [[sol["s"], sol["o"]] for sol in parse_query_results(body, fmt)]
    assert rows == [[n("x"), Literal("2")]]


def test_query_raw_other_formats(store: Store) -> None:
    simple(store)
    body, ctype = store.query_raw(f"SELECT ?o WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}", "text/csv")
    assert ctype.startswith("text/csv") and body.decode().split() == ["o", "2"]
    body, _ = store.query_raw("ASK { GRAPH ?g { ?s ?p ?o } }", "application/sparql-results+json")
    assert bool(parse_query_results(body, QueryResultsFormat.JSON)) is True
    for accept, fmt in [
        ("text/turtle", RdfFormat.TURTLE),
        ("application/n-triples", RdfFormat.N_TRIPLES),
    ]:
        body, ctype = store.query_raw(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}", accept
        )
        assert ctype.split(";")[0] == accept
        got = [q.triple for q in parse(body, fmt)]
        assert sorted(got, key=str) == sorted(store.graph(G1), key=str)
    with pytest.raises(NotAcceptableError):
        store.query_raw("SELECT * WHERE { ?s ?p ?o }", "image/png")


# ---------------------------------------------------------------- errors


def test_syntax_error_keeps_parser_message(store: Store) -> None:
    with pytest.raises(QuerySyntaxError) as err:
        store.query("SELECT * WHERE { ?s ?p ?o ")
    message = str(err.value)
    assert "expected" in message and "1:" in message
    with pytest.raises(QuerySyntaxError):
        store.update("INSERT DATA { <a b> }")
    with pytest.raises(QuerySyntaxError):
        store.query_raw("SELEC", "application/sparql-results+json")


def test_blank_node_binding_rejected_remotely(store: Store) -> None:
    if isinstance(store, RemoteStore):
        with pytest.raises(StoreError, match="blank node"):
            store.query("SELECT * WHERE { ?s ?p ?o }", {"s": BlankNode()})


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.remote
def test_connection_refused_names_url() -> None:
    url = f"http://127.0.0.1:{_unused_port()}"
    for client in ("http", "sparqlwrapper"):
        store = RemoteStore.from_base_url(url, client=client)
        with pytest.raises(StoreError) as err:
            store.query("ASK {}")
        assert f"{url}/query" in str(err.value)
        with pytest.raises(StoreError, match=f"{url}/update"):
            store.update("DROP ALL")


@pytest.mark.remote
def test_timeout_is_store_error() -> None:
    with socket.socket() as silent:  # accepts connections (backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        store = RemoteStore.from_base_url(url, timeout=0.3)
        with pytest.raises(StoreError, match="timed out"):
            store.query("ASK {}")


@pytest.mark.remote
def test_keep_alive_survives_server_side_close(oxigraph_server: str) -> None:
    with RemoteStore.from_base_url(oxigraph_server) as store:
        assert store.query("ASK {}") is True
        for conn in store._http._all:  # simulate the server dropping idle connections
            if conn.sock is not None:
                conn.sock.shutdown(socket.SHUT_RDWR)
        assert store.query("ASK {}") is True


# ---------------------------------------------------------------- factory


def test_open_store_embedded(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        assert isinstance(store, EmbeddedStore)
        store.replace_graphs({G1: [t("a", Literal("x"))]})
    assert (tmp_path / "store").is_dir()
    with open_store(tmp_path) as store:
        assert store.graph(G1) == [t("a", Literal("x"))]


def test_open_store_remote_urls(tmp_path: Path) -> None:
    store = open_store(tmp_path, "http://127.0.0.1:7878/")
    assert isinstance(store, RemoteStore)
    assert (store.query_url, store.update_url, store.graph_store_url) == (
        "http://127.0.0.1:7878/query",
        "http://127.0.0.1:7878/update",
        "http://127.0.0.1:7878/store",
    )
    store = open_store(tmp_path, "http://127.0.0.1:8890/sparql")
    assert (store.query_url, store.update_url, store.graph_store_url) == (
        "http://127.0.0.1:8890/sparql",
        "http://127.0.0.1:8890/sparql",
        None,
    )
    store = open_store(tmp_path, "http://h/q", update_url="http://h/u", graph_store_url="http://h/s")
    assert (store.update_url, store.graph_store_url) == ("http://h/u", "http://h/s")
    with pytest.raises(StoreError):
        open_store(tmp_path, "ftp://127.0.0.1/x")
    assert not (tmp_path / "store").exists()


# ---------------------------------------------------------------- union default graph, streaming


def test_union_default_graph(store: Store) -> None:
    simple(store)
    q = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    assert store.query(q) == []
    rows = store.query(q, union_default_graph=True)
    assert [r["s"] for r in rows] == [n("a"), n("b"), n("x")]
    body, _ = store.query_raw(q, "application/sparql-results+json", union_default_graph=True)
    assert len(list(parse_query_results(body, QueryResultsFormat.JSON))) == 3
    body, _ = store.query_raw(q, "application/sparql-results+json")
    assert list(parse_query_results(body, QueryResultsFormat.JSON)) == []


def test_open_query_is_lazy_and_stops_early(store: Store) -> None:
    store.bulk_extend(Quad(n(f"s{i}"), P, Literal(i), NamedNode(G1)) for i in range(3000))
    with store.open_query("SELECT ?s ?o WHERE { ?s ?p ?o }", union_default_graph=True,
                          timeout=10) as result:
        assert [v.value for v in result.variables] == ["s", "o"]
        first = [row[0] for _, row in zip(range(5), result, strict=False)]
    assert len(first) == 5
    with store.open_query("ASK { ?s ?p ?o }", union_default_graph=True) as result:
        assert bool(result) is True
    graph = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}"
    with store.open_query(graph) as result:
        assert sum(1 for _ in result) == 3000
    with pytest.raises(QuerySyntaxError) as err, store.open_query("SELECT * { ?s "):
        pass
    assert "expected" in err.value.detail and "store" not in err.value.detail


@pytest.mark.remote
def test_open_query_deadline_on_a_silent_server() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        store = RemoteStore.from_base_url(f"http://127.0.0.1:{silent.getsockname()[1]}")
        with pytest.raises(QueryTimeoutError), store.open_query("ASK {}", timeout=0.3):
            pass
        with pytest.raises(QueryTimeoutError):
            store.query_raw("ASK {}", "application/sparql-results+json", timeout=0.3)


def test_read_only_store_and_generation(tmp_path: Path) -> None:
    writer = EmbeddedStore(tmp_path / "store")
    g0 = writer.generation
    writer.replace_graphs({G1: [t("a", Literal("one"))]})
    assert writer.generation > g0
    reader = EmbeddedStore(tmp_path / "store", read_only=True)
    assert reader.query("ASK { ?s ?p ?o }", union_default_graph=True) is True
    g1 = writer.generation
    writer.replace_graphs({G2: [t("b", Literal("two"))]})
    assert writer.generation > g1
    # a read-only store is a snapshot: it needs re-opening to see later writes
    q = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    assert reader.query(q, union_default_graph=True)[0]["n"].value == "1"
    reader.close()
    reader = EmbeddedStore(tmp_path / "store", read_only=True)
    assert reader.query(q, union_default_graph=True)[0]["n"].value == "2"
    reader.close()
    writer.close()


def test_read_only_store_opens_while_the_writer_flushes_and_compacts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only open beside a busy writer (the SPARQL and scoring workers): the writer's
    flushes and compactions delete files the open was about to read, which RocksDB reports as
    corruption; the open tries again and sees a consistent store. The writer flushes about
    every 25 ms, far more often than any of hdcat's (unpaced, it flushed hundreds of times a
    second and on a loaded machine an open could lose for minutes on end)."""
    writer = EmbeddedStore(tmp_path / "store")
    writer.replace_graphs({G1: [t("a", Literal("one"))]})
    done = threading.Event()

    def write() -> None:
        i = 0
        while not done.wait(0.001):
            i += 1
            writer.replace_graphs({f"{EX}busy/{i}": [t(f"busy{i}", Literal(str(i)))]})
            if i % 20 == 0:
                writer.flush()

    def open_60() -> int:
        lost = 0
        for _ in range(60):
            try:
                reader = EmbeddedStore(tmp_path / "store", read_only=True)
            except StoreError:
                lost += 1
                continue
            assert reader.query("ASK { GRAPH ?g { ?s ?p ?o } }") is True
            reader.close()
        return lost

    busy = threading.Thread(target=write)
    busy.start()
    try:
        with monkeypatch.context() as once:  # one try each: the race is real here
            once.setattr(store_module, "READ_ONLY_OPEN_SECONDS", 0.0)
            assert open_60() > 0
        assert open_60() == 0
    finally:
        done.set()
        busy.join()
        writer.close()
