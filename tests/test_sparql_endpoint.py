"""The public SPARQL endpoint: protocol, formats, refusals, limits, timeouts, descriptions,
and a real client (SPARQLWrapper) against a real server (waitress), on both store backends."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from live_server import free_port, start_server, stop_server
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.store import EmbeddedStore, RemoteStore, Store
from service import sparql as sparql_module
from service.app import create_app
from service.sparql import check_query, endpoint_state, graph_lookup

DATA = Path(__file__).parent / "data"
VALID = DATA / "record-valid.ttl"
DS = "https://hdcat.example.org/dataset/dm-complications-2020"
REC = "https://hdcat.example.org/record/dm-complications-2020"
DCAT = "http://www.w3.org/ns/dcat#"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
TRUNCATED = "X-Hdcat-Truncated"

Q_DATASETS = f"SELECT ?d WHERE {{ ?d a <{DCAT}Dataset> }}"
Q_CONSTRUCT = f"CONSTRUCT {{ ?d ?p ?o }} WHERE {{ ?d a <{DCAT}Dataset> ; ?p ?o }}"
Q_ASK = f"ASK {{ <{DS}> a <{DCAT}Dataset> }}"
# a runaway: COUNT over a cartesian product of the whole store (about 3000^3 rows) cannot
# stream, so only the timeout stops it (SELECT * of it would be cut by the result cap)
Q_RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _fill(store: Store, data_dir: Path) -> Catalog:
    catalog = Catalog(Settings(data_dir=data_dir), store)
    catalog.initialize()
    report = catalog.load([VALID])
    assert report.ok
    return catalog


@pytest.fixture(scope="module")
def embedded_catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    d = tmp_path_factory.mktemp("sparql-embedded")
    catalog = _fill(EmbeddedStore(d / "store"), d)
    yield catalog
    catalog.close()


@pytest.fixture(scope="module")
def remote_catalog(
    oxigraph_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Catalog]:
    store = RemoteStore.from_base_url(oxigraph_server)
    store.clear()
    catalog = _fill(store, tmp_path_factory.mktemp("sparql-remote"))
    yield catalog
    catalog.close()


@pytest.fixture(scope="module")
def timeout_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server of our own with --timeout-s (the shared one has none)."""
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        pytest.skip("the oxigraph server binary is not installed")
    port = free_port()
    proc = subprocess.Popen(
        [str(binary), "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", "3"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("oxigraph server did not start")
                time.sleep(0.05)
        yield base
    finally:
        proc.kill()
        proc.wait()


def _app(catalog: Catalog, **config: object) -> Flask:
    app = create_app(catalog)
    app.config.update(config)
    return app


@pytest.fixture(scope="module",
                params=["embedded", pytest.param("remote", marks=pytest.mark.remote)])
def catalog(request: pytest.FixtureRequest) -> Catalog:
    return request.getfixturevalue(f"{request.param}_catalog")


@pytest.fixture(scope="module")
def app(catalog: Catalog) -> Iterator[Flask]:
    """One app per backend for the module (its worker pool is started once)."""
    app = _app(catalog)
    yield app
    endpoint_state(app).close()


def _with_settings(catalog: Catalog, **changes: object) -> Catalog:
    """Another catalog object on the same store, with other settings."""
    return Catalog(replace(catalog.settings, **changes), catalog.store)


# ---------------------------------------------------------------- protocol and formats


def _select_rows(body: bytes, fmt: ox.QueryResultsFormat) -> list[dict[str, ox.NamedNode]]:
    result = ox.parse_query_results(body, fmt)
    names = [v.value for v in result.variables]
    return [{n: sol[n] for n in names if sol[n] is not None} for sol in result]


def test_protocol_forms(app: Flask) -> None:
    c = app.test_client()
    accept = {"Accept": "application/sparql-results+json"}
    responses = [
        c.get("/sparql", query_string={"query": Q_DATASETS}, headers=accept),
        c.post("/sparql", data={"query": Q_DATASETS}, headers=accept),
        c.post("/sparql", data=Q_DATASETS.encode(), headers={
            **accept, "Content-Type": "application/sparql-query; charset=utf-8"}),
    ]
    for resp in responses:
        assert resp.status_code == 200, resp.data
        assert resp.mimetype == "application/sparql-results+json"
        assert json.loads(resp.data)["results"]["bindings"] == [
            {"d": {"type": "uri", "value": DS}}
        ]


def test_default_graph_is_the_union(app: Flask) -> None:
    c = app.test_client()
    resp = c.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }", "format": "json"})
    subjects = {b["s"]["value"] for b in json.loads(resp.data)["results"]["bindings"]}
    assert DS in subjects and REC in subjects
    resp = c.get("/sparql", query_string={
        "query": f"SELECT ?g {{ GRAPH ?g {{ <{DS}> a ?t }} }}", "format": "csv"})
    assert list(csv.reader(io.StringIO(resp.data.decode())))[1:] == [[REC]]


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("text/csv", ox.QueryResultsFormat.CSV),
    ],
)
def test_select_formats_by_accept(app: Flask, accept: str, fmt: ox.QueryResultsFormat) -> None:
    q = (f"SELECT ?d ?title WHERE {{ <{DS}> <http://purl.org/dc/terms/title> ?title . "
         f"BIND(<{DS}> AS ?d) }} ORDER BY ?title")
    resp = app.test_client().get("/sparql", query_string={"query": q},
                                 headers={"Accept": accept})
    assert resp.status_code == 200 and resp.mimetype == accept
    if fmt == ox.QueryResultsFormat.CSV:
        rows = list(csv.reader(io.StringIO(resp.data.decode())))
        assert rows[0] == ["d", "title"]
        assert [r[0] for r in rows[1:]] == [DS, DS]
        assert {r[1] for r in rows[1:]} == {"糖尿病并发症预警数据集",
                                             "Diabetes Complications Early-Warning Dataset"}
        return
    rows = _select_rows(resp.data, fmt)
    titles = {(r["title"].value, r["title"].language) for r in rows}
    assert titles == {("糖尿病并发症预警数据集", "zh"),
                      ("Diabetes Complications Early-Warning Dataset", "en")}
    assert all(r["d"] == ox.NamedNode(DS) for r in rows)


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_formats_by_accept(app: Flask, accept: str, fmt: ox.RdfFormat) -> None:
    c = app.test_client()
    resp = c.get("/sparql", query_string={"query": Q_CONSTRUCT}, headers={"Accept": accept})
    assert resp.status_code == 200 and resp.mimetype == accept
    triples = {q.triple for q in ox.parse(resp.data, fmt)}
    expected = {ox.Triple(ox.NamedNode(DS), ox.NamedNode(str(RDF.type)),
                          ox.NamedNode(DCAT + "Dataset"))}
    assert expected <= triples
    assert all(t.subject == ox.NamedNode(DS) for t in triples)
    assert len(triples) > 20
    # DESCRIBE answers as an RDF graph too
    resp = c.get("/sparql", query_string={"query": f"DESCRIBE <{DS}>"},
                 headers={"Accept": accept})
    assert resp.status_code == 200
    assert {q.triple for q in ox.parse(resp.data, fmt)} >= expected


@pytest.mark.parametrize(
    ("key", "media"),
    [("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
     ("csv", "text/csv"), ("tsv", "text/tab-separated-values")],
)
def test_ask_and_format_override(app: Flask, key: str, media: str) -> None:
    c = app.test_client()
    resp = c.get("/sparql", query_string={"query": Q_ASK, "format": key},
                 headers={"Accept": "text/turtle"})  # ?format= wins over Accept
    assert resp.status_code == 200 and resp.mimetype == media
    if key in ("json", "xml"):
        fmt = ox.QueryResultsFormat.JSON if key == "json" else ox.QueryResultsFormat.XML
        assert bool(ox.parse_query_results(resp.data, fmt)) is True
    else:
        assert resp.data.decode().strip() == "true"
    resp = c.get("/sparql", query_string={"query": f"ASK {{ <{DS}> a <{DCAT}Catalog> }}",
                                          "format": "json"})
    assert json.loads(resp.data)["boolean"] is False


@pytest.mark.parametrize(("key", "fmt"), [("ttl", ox.RdfFormat.TURTLE),
                                          ("jsonld", ox.RdfFormat.JSON_LD),
                                          ("nt", ox.RdfFormat.N_TRIPLES),
                                          ("rdf", ox.RdfFormat.RDF_XML)])
def test_construct_format_override(app: Flask, key: str, fmt: ox.RdfFormat) -> None:
    resp = app.test_client().get("/sparql", query_string={"query": Q_CONSTRUCT, "format": key},
                                 headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200 and resp.mimetype == fmt.media_type
    assert any(q.subject == ox.NamedNode(DS) for q in ox.parse(resp.data, fmt))


def test_not_acceptable_and_bad_format(app: Flask) -> None:
    c = app.test_client()
    resp = c.get("/sparql", query_string={"query": Q_DATASETS}, headers={"Accept": "image/png"})
    assert resp.status_code == 406 and b"application/sparql-results+json" in resp.data
    resp = c.get("/sparql", query_string={"query": Q_CONSTRUCT},
                 headers={"Accept": "text/csv"})
    assert resp.status_code == 406
    resp = c.get("/sparql", query_string={"query": Q_DATASETS, "format": "xlsx"})
    assert resp.status_code == 400 and b"unknown format" in resp.data


def test_malformed_query_gets_the_parser_message(app: Flask) -> None:
    resp = app.test_client().get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p "})
    assert resp.status_code == 400 and resp.mimetype == "text/plain"
    text = resp.data.decode()
    assert "expected" in text and "1:" in text
    assert "Traceback" not in text and "127.0.0.1" not in text and "/tmp" not in text


def test_protocol_errors(app: Flask) -> None:
    c = app.test_client()
    resp = c.get("/sparql", query_string=[("query", Q_ASK), ("query", Q_ASK)])
    assert resp.status_code == 400
    resp = c.get("/sparql", query_string={"query": Q_ASK, "default-graph-uri": REC})
    assert resp.status_code == 400 and b"default-graph-uri" in resp.data
    resp = c.post("/sparql", data={"query": Q_ASK, "named-graph-uri": REC})
    assert resp.status_code == 400 and b"named-graph-uri" in resp.data
    resp = c.post("/sparql", data=b"x", headers={"Content-Type": "text/plain"})
    assert resp.status_code == 415
    resp = c.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 400 and b"no query" in resp.data
    resp = c.post("/sparql", data=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 400


# ---------------------------------------------------------------- read-only


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "insert data { <urn:a> <urn:b> <urn:c> }",
        "PREFIX ex: <http://example.org/>\n# a comment\nDELETE WHERE { ?s ?p ?o }",
        "BASE <http://example.org/> DeLeTe { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "CREATE GRAPH <urn:g>",
        "ADD <urn:a> TO <urn:b>",
        "MOVE DEFAULT TO <urn:b>",
        "COPY <urn:a> TO <urn:b>",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ],
)
def test_updates_are_refused(app: Flask, update: str) -> None:
    c = app.test_client()
    for resp in (
        c.get("/sparql", query_string={"query": update}),
        c.post("/sparql", data={"query": update}),
        c.post("/sparql", data=update.encode(),
               headers={"Content-Type": "application/sparql-query"}),
    ):
        assert resp.status_code == 403, (update, resp.data)
        assert b"read-only" in resp.data
    assert app.catalog.store.has_graph(REC)  # type: ignore[attr-defined]


def test_update_operations_are_refused(app: Flask) -> None:
    c = app.test_client()
    resp = c.post("/sparql", data={"update": "DROP ALL"})
    assert resp.status_code == 403
    resp = c.post("/sparql", data=b"DROP ALL",
                  headers={"Content-Type": "application/sparql-update"})
    assert resp.status_code == 403
    assert app.catalog.store.has_graph(REC)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { SERVIC\\u0045 <http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(app: Flask, query: str) -> None:
    resp = app.test_client().get("/sparql", query_string={"query": query})
    assert resp.status_code == 400 and b"SERVICE" in resp.data


def test_keywords_in_strings_iris_and_comments_are_allowed(app: Flask) -> None:
    c = app.test_client()
    for query in [
        'SELECT ?s WHERE { ?s ?p "INSERT SERVICE" }',
        "SELECT ?s WHERE { ?s ?p 'DROP ALL' }",
        'SELECT ?s WHERE { ?s ?p """LOAD <x> ; CLEAR""" }',
        "SELECT ?s WHERE { ?s <http://example.org/insert/delete#SERVICE> ?o }",
        "# DELETE everything\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
        "PREFIX insert: <http://example.org/> SELECT ?s WHERE { ?s insert:drop ?o }",
        "SELECT ?insert WHERE { ?insert ?delete ?service } LIMIT 1",
    ]:
        resp = c.get("/sparql", query_string={"query": query, "format": "json"})
        assert resp.status_code == 200, (query, resp.data)
        assert "results" in json.loads(resp.data)


def test_check_query_unit() -> None:
    check_query('SELECT ?s WHERE { ?s ?p "INSERT SERVICE" }')
    for bad in ("INSERT DATA {}", "SERVICE", "select * { ?s ?p ?o } ; load <x>"):
        with pytest.raises(Exception):  # noqa: B017,PT011 - Refused
            check_query(bad)


# ---------------------------------------------------------------- graph lookups


@pytest.mark.parametrize("query", [
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{REC}> {{ ?s ?p ?o }} }}",
    f"PREFIX rec: <https://hdcat.example.org/record/>\nBASE <{REC}>\n"
    "construct { ?s ?p ?o . } { graph rec:dm-complications-2020 { ?s ?p ?o . } } # done",
    f"SELECT * {{ GRAPH <{REC}> {{ ?s ?p ?o }} }}",
    f"SELECT DISTINCT ?s ?o WHERE {{ GRAPH <{REC}> {{ ?s ?p ?o }} }}",
])
def test_graph_lookup_is_recognised(query: str) -> None:
    assert graph_lookup(query)


@pytest.mark.parametrize("query", [
    f"CONSTRUCT {{ ?s ?p ?x }} WHERE {{ GRAPH <{REC}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"CONSTRUCT {{ ?s ?p ?o }} FROM <{REC}> WHERE {{ GRAPH <{REC}> {{ ?s ?p ?o }} }}",
    f"SELECT * {{ GRAPH <{REC}> {{ ?s ?p ?o }} }} OFFSET 5",
    f"SELECT * {{ GRAPH <{REC}> {{ ?s ?p ?o }} ?s ?p ?o }}",
    f"SELECT * {{ GRAPH <{REC}> {{ ?s ?p+ ?o }} }}",
    f"SELECT ?other {{ GRAPH <{REC}> {{ ?s ?p ?o }} }}",
    f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{REC}> {{ ?s ?p ?o }} }}",
    f"ASK {{ GRAPH <{REC}> {{ ?s ?p ?o }} }}",
    f"DESCRIBE <{DS}>",
    f"SELECT * {{ GRAPH <{REC}> {{ ?s ?p ?o }} SERVICE <http://x/> {{ ?s ?p ?o }} }}",
    "SELECT * { GRAPH <urn:\\u0067> { ?s ?p ?o } }",
    "SELECT * { GRAPH <urn:g> { ?s ?p ?o }",
    "",
])
def test_other_queries_are_no_graph_lookups(query: str) -> None:
    assert not graph_lookup(query)


def _triples(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(body, fmt)}


def test_graph_lookups_are_answered_inline(embedded_catalog: Catalog) -> None:
    """A record's CONSTRUCT is answered in the request thread, the same as by a worker."""
    app = _app(embedded_catalog)
    try:
        c = app.test_client()
        lookup = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{REC}> {{ ?s ?p ?o }} }}"
        # the same triples, asked in a form that is no graph lookup: a worker answers it
        general = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                   f"FILTER(?g = <{REC}>) }}")
        state = endpoint_state(app)
        for fmt_key, fmt in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES)):
            before = state.inline_answers
            fast = c.get("/sparql", query_string={"query": lookup, "format": fmt_key})
            assert fast.status_code == 200 and state.inline_answers == before + 1
            slow = c.get("/sparql", query_string={"query": general, "format": fmt_key})
            assert slow.status_code == 200 and state.inline_answers == before + 1
            assert fast.mimetype == slow.mimetype == fmt.media_type
            expected = {q.triple for q in embedded_catalog.store.quads()
                        if q.graph_name == ox.NamedNode(REC)}
            assert len(expected) > 20
            assert _triples(fast.data, fmt) == _triples(slow.data, fmt) == expected
        rows = c.get("/sparql", query_string={
            "query": f"SELECT ?p ?o {{ GRAPH <{REC}> {{ ?s ?p ?o }} }}", "format": "json"})
        assert rows.status_code == 200 and state.inline_answers == 3
        assert len(json.loads(rows.data)["results"]["bindings"]) == len(expected)
        # the checks still come first, and errors are those of the worker path
        refused = c.get("/sparql", query_string={
            "query": f"SELECT * {{ GRAPH <{REC}> {{ ?s ?p ?o }} SERVICE <{DS}> {{ ?s ?p ?o }} }}"})
        assert refused.status_code == 400
        not_acceptable = c.get("/sparql", query_string={"query": lookup},
                               headers={"Accept": "application/sparql-results+json"})
        assert not_acceptable.status_code == 406
        assert state.inline_answers == 3
    finally:
        endpoint_state(app).close()


def test_big_graph_lookups_go_to_a_worker(
    embedded_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past INLINE_MAX_ROWS an inline answer is dropped and a worker gives the whole one;
    the result cap and its header hold on both paths."""
    monkeypatch.setattr(sparql_module, "INLINE_MAX_ROWS", 10)
    lookup = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{REC}> {{ ?s ?p ?o }} }}"
    expected = {q.triple for q in embedded_catalog.store.quads()
                if q.graph_name == ox.NamedNode(REC)}
    app = _app(embedded_catalog)
    try:
        resp = app.test_client().get("/sparql", query_string={"query": lookup, "format": "nt"})
        assert resp.status_code == 200 and TRUNCATED not in resp.headers
        assert _triples(resp.data, ox.RdfFormat.N_TRIPLES) == expected
        assert endpoint_state(app).inline_answers == 0
    finally:
        endpoint_state(app).close()
    for limit, inline in ((5, 1), (len(expected) + 50, 0)):
        app = _app(_with_settings(embedded_catalog, result_limit=limit))
        try:
            resp = app.test_client().get("/sparql",
                                         query_string={"query": lookup, "format": "nt"})
            assert resp.status_code == 200
            triples = _triples(resp.data, ox.RdfFormat.N_TRIPLES)
            if limit < len(expected):
                assert resp.headers.get(TRUNCATED) == "true" and len(triples) == limit
            else:
                assert TRUNCATED not in resp.headers and triples == expected
            assert endpoint_state(app).inline_answers == inline
        finally:
            endpoint_state(app).close()


# ---------------------------------------------------------------- limits


def test_result_cap_truncates_and_says_so(catalog: Catalog) -> None:
    app = _app(_with_settings(catalog, result_limit=5))
    try:
        c = app.test_client()
        resp = c.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }", "format": "csv"})
        assert resp.status_code == 200
        assert resp.headers.get("X-Hdcat-Truncated") == "true"
        assert len(list(csv.reader(io.StringIO(resp.data.decode())))) == 1 + 5
        resp = c.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }",
                                              "format": "nt"})
        assert resp.headers.get("X-Hdcat-Truncated") == "true"
        assert len(list(ox.parse(resp.data, ox.RdfFormat.N_TRIPLES))) == 5
        resp = c.get("/sparql", query_string={"query": Q_DATASETS, "format": "json"})
        assert "X-Hdcat-Truncated" not in resp.headers
        assert len(json.loads(resp.data)["results"]["bindings"]) == 1
    finally:
        endpoint_state(app).close()


def test_body_cap(catalog: Catalog) -> None:
    app = _app(catalog, MAX_CONTENT_LENGTH=2000)
    c = app.test_client()
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
    resp = c.post("/sparql", data=big.encode(),
                  headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 413 and resp.mimetype == "text/plain"
    resp = c.post("/sparql", data={"query": big})
    assert resp.status_code == 413
    resp = c.post("/sparql", data={"query": Q_ASK})
    assert resp.status_code == 200
    endpoint_state(app).close()


def _runaway_and_simple(app: Flask, timeout: float) -> None:
    """A runaway query times out in about `timeout` s while simple ones keep answering."""
    c_slow, c_fast = app.test_client(), app.test_client()
    warm = c_fast.get("/sparql", query_string={"query": Q_ASK, "format": "json"})
    assert warm.status_code == 200
    result: dict[str, object] = {}

    def slow() -> None:
        t0 = time.monotonic()
        resp = c_slow.get("/sparql", query_string={"query": Q_RUNAWAY, "format": "json"})
        result["status"], result["body"] = resp.status_code, resp.data
        result["elapsed"] = time.monotonic() - t0

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    fast_times = []
    for _ in range(5):
        t0 = time.monotonic()
        resp = c_fast.get("/sparql", query_string={"query": Q_DATASETS, "format": "json"})
        fast_times.append(time.monotonic() - t0)
        assert resp.status_code == 200
        assert json.loads(resp.data)["results"]["bindings"][0]["d"]["value"] == DS
    assert thread.is_alive(), "the runaway query finished: it is not a runaway here"
    assert max(fast_times) < 1.0
    thread.join(timeout + 10)
    assert result["status"] in (503, 504), result
    assert b"timed out" in result["body"]  # type: ignore[operator]
    assert result["elapsed"] < timeout + 2.5  # type: ignore[operator]
    # the endpoint is still healthy afterwards
    resp = c_fast.get("/sparql", query_string={"query": Q_ASK, "format": "json"})
    assert resp.status_code == 200 and json.loads(resp.data)["boolean"] is True


def test_timeout_embedded_kills_the_worker(embedded_catalog: Catalog) -> None:
    app = _app(_with_settings(embedded_catalog, query_timeout=2.0), SPARQL_WORKERS=2)
    try:
        _runaway_and_simple(app, 2.0)
        assert endpoint_state(app).executor.killed == 1  # type: ignore[attr-defined]
    finally:
        endpoint_state(app).close()


@pytest.mark.remote
def test_timeout_remote(timeout_server: str, tmp_path: Path) -> None:
    store = RemoteStore.from_base_url(timeout_server)
    catalog = _fill(store, tmp_path)
    app = _app(_with_settings(catalog, query_timeout=2.0), SPARQL_WORKERS=2)
    try:
        _runaway_and_simple(app, 2.0)
    finally:
        endpoint_state(app).close()
        catalog.close()


def test_busy_endpoint_answers_503(embedded_catalog: Catalog) -> None:
    app = _app(_with_settings(embedded_catalog, query_timeout=3.0), SPARQL_WORKERS=1,
               SPARQL_QUEUE_WAIT=0.3)
    try:
        c = app.test_client()
        assert c.get("/sparql", query_string={"query": Q_ASK}).status_code == 200
        thread = threading.Thread(
            target=lambda: app.test_client().get("/sparql", query_string={"query": Q_RUNAWAY}))
        thread.start()
        time.sleep(0.3)
        resp = c.get("/sparql", query_string={"query": Q_ASK})
        assert resp.status_code == 503 and resp.headers.get("Retry-After")
        thread.join(10)
    finally:
        endpoint_state(app).close()


def test_concurrent_clients(app: Flask) -> None:
    queries = [Q_DATASETS, Q_ASK, Q_CONSTRUCT, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"]

    def one(i: int) -> int:
        resp = app.test_client().get("/sparql", query_string={"query": queries[i % 4]})
        return resp.status_code

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(one, range(200)))
    assert statuses == [200] * 200


def test_sees_later_writes(tmp_path: Path) -> None:
    """Workers hold read-only stores: a write through the catalog makes them re-open."""
    catalog = _fill(EmbeddedStore(tmp_path / "store"), tmp_path)
    app = _app(catalog)
    try:
        c = app.test_client()
        q = {"query": "SELECT * { GRAPH <urn:x:g> { ?s ?p ?o } }", "format": "json"}
        assert json.loads(c.get("/sparql", query_string=q).data)["results"]["bindings"] == []
        catalog.store.replace_graphs({"urn:x:g": [ox.Triple(
            ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("new"))]})
        for _ in range(4):  # every worker, whichever answers
            rows = json.loads(c.get("/sparql", query_string=q).data)["results"]["bindings"]
            assert rows == [{"s": {"type": "uri", "value": "urn:x:s"},
                             "p": {"type": "uri", "value": "urn:x:p"},
                             "o": {"type": "literal", "value": "new"}}]
    finally:
        endpoint_state(app).close()
        catalog.close()


# ---------------------------------------------------------------- HTML, descriptions


def test_html_page(app: Flask) -> None:
    c = app.test_client()
    resp = c.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    page = resp.data.decode()
    assert "<textarea" in page and "PREFIX dcat: &lt;http://www.w3.org/ns/dcat#&gt;" in page
    assert "hdcat:levelRank" in page and "prov:wasDerivedFrom+" in page
    assert "sparql.js" in page and "cdn" not in page.lower()
    resp = c.get("/sparql/ui", query_string={"lang": "en"})
    assert "Example queries" in resp.data.decode()
    resp = c.get("/sparql/ui", query_string={"lang": "zh"})
    assert "示例查询" in resp.data.decode()


def test_html_results_are_escaped_tables(app: Flask) -> None:
    c = app.test_client()
    q = 'SELECT ?x ?d WHERE { BIND("<script>alert(1)</script>" AS ?x) ' \
        f'BIND(<{DS}> AS ?d) }}'
    resp = c.get("/sparql/ui", query_string={"query": q})
    page = resp.data.decode()
    assert resp.status_code == 200
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<table" in page and DS in page
    for key in ("json", "csv", "tsv", "xml"):
        assert f"format={key}" in page
    # a query given to /sparql by a browser shows the page with results too
    resp = c.get("/sparql", query_string={"query": Q_DATASETS}, headers={"Accept": "text/html"})
    assert resp.mimetype == "text/html" and DS in resp.data.decode()
    # errors are shown on the page, short
    resp = c.get("/sparql/ui", query_string={"query": "SELECT * {"})
    assert resp.status_code == 400 and "expected" in resp.data.decode()
    resp = c.get("/sparql/ui", query_string={"query": "DROP ALL"})
    assert resp.status_code == 403


@pytest.mark.parametrize("key", [
    "sq_ex_domain", "sq_ex_lineage", "sq_ex_standard", "sq_ex_publisher", "sq_ex_level",
    "sq_ex_record"])
def test_example_queries_run(app: Flask, key: str) -> None:
    from service.sparql import EXAMPLES, _prologue

    text = _prologue() + dict(EXAMPLES)[key]
    resp = app.test_client().get("/sparql", query_string={"query": text, "format": "json"
                                                          if "CONSTRUCT" not in text else "nt"})
    assert resp.status_code == 200, resp.data
    if key == "sq_ex_level":  # the test record is level 3
        rows = json.loads(resp.data)["results"]["bindings"]
        assert [r["dataset"]["value"] for r in rows] == [DS]
        assert rows[0]["rank"]["value"] == "3"
    if key == "sq_ex_record":
        assert len(list(ox.parse(resp.data, ox.RdfFormat.N_TRIPLES))) > 20


def test_service_description(app: Flask) -> None:
    c = app.test_client()
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml"), ("*/*", "turtle")]:
        resp = c.get("/sparql", headers={"Accept": accept})
        assert resp.status_code == 200, accept
        g = Graph().parse(data=resp.data, format=fmt)
        services = list(g.subjects(RDF.type, URIRef(SD + "Service")))
        assert len(services) == 1
        s = services[0]
        assert (s, URIRef(SD + "endpoint"), URIRef("http://localhost/sparql")) in g
        assert (s, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in g
        assert (s, URIRef(SD + "defaultDataset"), None) in g
        formats = set(g.objects(s, URIRef(SD + "resultFormat")))
        assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
        assert len(formats) == 8


def test_void(app: Flask) -> None:
    c = app.test_client()
    resp = c.get("/.well-known/void")
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    g = Graph().parse(data=resp.data, format="turtle")
    ds = next(g.subjects(RDF.type, URIRef(VOID + "Dataset")))
    assert (ds, URIRef(VOID + "sparqlEndpoint"), URIRef("http://localhost/sparql")) in g
    triples = int(g.value(ds, URIRef(VOID + "triples")))
    assert triples == len(app.catalog.store)  # type: ignore[attr-defined]
    assert str(g.value(ds, URIRef(VOID + "uriSpace"))) == "https://hdcat.example.org/"
    assert URIRef(DCAT) in set(g.objects(ds, URIRef(VOID + "vocabulary")))
    titles = {t.language for t in g.objects(ds, URIRef("http://purl.org/dc/terms/title"))}
    assert titles == {"zh", "en"}
    partitions = {
        str(g.value(p, URIRef(VOID + "class"))): int(g.value(p, URIRef(VOID + "entities")))
        for p in g.objects(ds, URIRef(VOID + "classPartition"))
    }
    assert partitions[DCAT + "Dataset"] == 1
    for accept, fmt in [("application/ld+json", "json-ld"), ("application/n-triples", "nt"),
                        ("application/rdf+xml", "xml")]:
        resp = c.get("/.well-known/void", headers={"Accept": accept})
        assert resp.mimetype == accept
        assert len(Graph().parse(data=resp.data, format=fmt)) == len(g)
    assert c.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406


# ---------------------------------------------------------------- a real client and server


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    server, thread = start_server(app, threads=4)
    try:
        yield f"http://127.0.0.1:{server.effective_port}/sparql"
    finally:
        stop_server(server, thread)


def test_sparqlwrapper_client(served: str) -> None:
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sw = SPARQLWrapper(served)
    sw.setQuery(Q_DATASETS)
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["results"]["bindings"] == [{"d": {"type": "uri", "value": DS}}]

    sw = SPARQLWrapper(served)
    sw.setMethod(POST)
    sw.setQuery(Q_CONSTRUCT)
    sw.setReturnFormat(TURTLE)
    g = Graph().parse(data=sw.query().convert(), format="turtle")
    assert (URIRef(DS), RDF.type, URIRef(DCAT + "Dataset")) in g

    sw = SPARQLWrapper(served)
    sw.setQuery(Q_ASK)
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True

    sw = SPARQLWrapper(served)
    sw.setQuery("SELECT * WHERE { ?s ?p ")
    sw.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed) as err:
        sw.query()
    assert "expected" in str(err.value)

    # a plain HTTP client: the update is refused with 403
    req = urllib.request.Request(served, data=b"DROP ALL",
                                 headers={"Content-Type": "application/sparql-query"})
    with pytest.raises(urllib.error.HTTPError) as http_err:
        urllib.request.urlopen(req, timeout=10)
    assert http_err.value.code == 403


def _worker_processes(store: Path) -> list[int]:
    """Pids of live SPARQL worker processes reading `store`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and any(b"worker_entry" in a for a in cmdline) and \
                str(store).encode() in cmdline:
            found.append(int(proc.name))
    return found


def test_closing_the_catalog_ends_the_endpoint_workers(tmp_path: Path) -> None:
    """The worker processes of the endpoint read the catalog's store: they end when the
    catalog closes (they stayed until the interpreter exited)."""
    catalog = _fill(EmbeddedStore(tmp_path / "store"), tmp_path)
    app = _app(catalog)
    r = app.test_client().get(
        "/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert _worker_processes(tmp_path / "store")
    catalog.close()
    deadline = time.monotonic() + 10
    while _worker_processes(tmp_path / "store") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _worker_processes(tmp_path / "store") == []
