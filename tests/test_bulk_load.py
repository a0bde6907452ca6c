"""The streamed, bulk write path of unvalidated loads gives the same catalog as the normal path."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from bench_scripts import bench_module

from hdcat import catalog as catalog_module
from hdcat import rdfio
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.errors import InputError
from hdcat.store import EmbeddedStore

BASE = "https://hdcat.example.org"

generate_module = bench_module("generate")

BLANKS = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://hdcat.example.org/dataset/b1> a dcat:Dataset ; dct:title "b1"@en ;
    dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://x/b1> ] ;
    dct:temporal _:shared .
<https://hdcat.example.org/dataset/b2> a dcat:Dataset ; dct:title "b2"@en ;
    dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://x/b2> ] ;
    dct:temporal _:shared .
_:shared a dct:PeriodOfTime ; dcat:startDate "2020-01-01" .
<https://hdcat.example.org/dataset/b3> a dcat:Dataset ; dct:title "b3"@en ;
    dct:publisher <http://x/agent> .
<http://x/agent> a foaf:Agent ; foaf:name "agent" .
<http://x/loose> dct:title "not a record" .
_:lonely dct:title "a blank leftover" .
"""


def _write(path: Path, n: int, seed: int = 42) -> Path:
    with path.open("w", encoding="utf-8") as f:
        generate_module.generate(n, f, turtle=path.suffix == ".ttl", seed=seed, base=BASE)
    return path


def _catalog(folder: Path) -> Catalog:
    cat = Catalog(Settings(data_dir=folder), EmbeddedStore(folder / "store"))
    cat.initialize()
    return cat


def _name(graph: str) -> str:
    # Loose blank-node leftovers get a graph named by a hash of their (random) blank labels.
    return "loose" if graph.startswith("urn:hdcat:graph:loose:") else graph


def _term(t: object) -> str:
    return "_:b" if isinstance(t, ox.BlankNode) else str(t)


def _content(cat: Catalog) -> set[tuple[str, str]]:
    """Every quad as text, blank nodes renamed (labels differ from one parse to the next)."""
    return {
        (_name(q.graph_name.value), f"{_term(q.subject)} {q.predicate} {_term(q.object)}")
        for q in cat.store.quads()
        if isinstance(q.graph_name, ox.NamedNode)
    }


def _graphs(cat: Catalog) -> dict[str, int]:
    return {_name(name): len(cat.store.graph(name)) for name in cat.store.graph_names()}


@pytest.fixture
def bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every unvalidated load goes through the bulk path, in chunks of 7 records."""
    monkeypatch.setattr(catalog_module, "BULK_MIN_RECORDS", 1)
    monkeypatch.setattr(catalog_module, "BULK_CHUNK_RECORDS", 7)


def test_generated_catalog_is_valid(tmp_path: Path) -> None:
    path = _write(tmp_path / "syn.ttl", 12)
    with _catalog(tmp_path / "v") as cat:
        report = cat.load([path])
    assert report.ok and len(report.stored) == 12, [r.describe() for r in report.refused]


def test_generator_is_deterministic_and_writes_ntriples(tmp_path: Path) -> None:
    a, b = io.StringIO(), io.StringIO()
    generate_module.generate(5, a, turtle=False, seed=7)
    generate_module.generate(5, b, turtle=False, seed=7)
    assert a.getvalue() == b.getvalue()
    quads = list(ox.parse(a.getvalue().encode(), ox.RdfFormat.N_TRIPLES))
    assert 5 * 38 < len(quads) < 5 * 50 + 40


@pytest.mark.usefixtures("bulk")
def test_bulk_load_gives_the_same_graphs_as_the_validated_path(tmp_path: Path) -> None:
    path = _write(tmp_path / "syn.nt", 30)
    with _catalog(tmp_path / "bulk") as fast, _catalog(tmp_path / "normal") as normal:
        seen: dict[str, int] = {}
        fast.on_write(lambda graphs: seen.update({g: len(t) for g, t in graphs.items()}))
        r1 = fast.load([path], validate=False)
        r2 = normal.load([path], validate=True)
        assert r1.ok and r2.ok
        assert r1.stored == r2.stored and len(r1.stored) == 30
        assert r1.shared == r2.shared
        assert _graphs(fast) == _graphs(normal)
        assert _content(fast) == _content(normal)
        # Listeners heard of every record graph and every shared graph, with its triples.
        for name, count in _graphs(fast).items():
            if name.startswith(BASE):
                assert seen[name] == count


def test_streamed_small_load_gives_the_same_graphs(tmp_path: Path) -> None:
    """Below the bulk threshold the unvalidated load streams SPARQL-update chunks."""
    path = _write(tmp_path / "syn.ttl", 9)
    with _catalog(tmp_path / "a") as a, _catalog(tmp_path / "b") as b:
        assert a.load([path], validate=False).ok
        assert b.load([path]).ok
        assert _content(a) == _content(b)


@pytest.mark.usefixtures("bulk")
def test_bulk_load_with_blank_nodes_and_leftovers(tmp_path: Path) -> None:
    path = tmp_path / "blanks.ttl"
    path.write_text(BLANKS)
    with _catalog(tmp_path / "bulk") as fast, _catalog(tmp_path / "normal") as normal:
        r1 = fast.load([path], validate=False)
        assert normal.load([path], validate=False, strict=True).ok
        assert len(r1.stored) == 3
        assert _graphs(fast) == _graphs(normal)
        assert _content(fast) == _content(normal)
        assert any(g.startswith("urn:hdcat:graph:loose:") for g in fast.store.graph_names())
        assert fast.store.has_graph("http://x/loose") and fast.store.has_graph("http://x/agent")
        # The shared blank period sits in both records that point to it.
        for name in (f"{BASE}/record/b1", f"{BASE}/record/b2"):
            assert any(
                t.predicate.value == "http://www.w3.org/ns/dcat#startDate"
                for t in fast.store.graph(name)
            )


@pytest.mark.usefixtures("bulk")
def test_bulk_reload_replaces_the_old_graphs(tmp_path: Path) -> None:
    first = _write(tmp_path / "first.nt", 20, seed=1)
    second = _write(tmp_path / "second.nt", 20, seed=2)
    with _catalog(tmp_path / "reload") as cat, _catalog(tmp_path / "fresh") as fresh:
        assert cat.load([first], validate=False).ok
        report = cat.load([second], validate=False)
        assert len(report.replaced) == 20 and len(report.stored) == 20
        assert fresh.load([second], validate=False).ok
        assert _content(cat) == _content(fresh)


@pytest.mark.usefixtures("bulk")
def test_bulk_reload_under_a_new_record_iri_drops_the_old_record(tmp_path: Path) -> None:
    first = _write(tmp_path / "first.nt", 8)
    with _catalog(tmp_path / "c") as cat:
        assert cat.load([first], validate=False).ok
        old = f"{BASE}/record/syn-0000003"
        assert cat.store.has_graph(old)
        moved = tmp_path / "moved.ttl"
        moved.write_text(
            f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<{BASE}/record/moved> a dcat:CatalogRecord ; foaf:primaryTopic <{BASE}/dataset/syn-0000003> ;
    dct:modified "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .
<{BASE}/dataset/syn-0000003> a dcat:Dataset ; dct:title "moved"@en .
"""
        )
        report = cat.load([moved], validate=False)
        assert report.replaced == [f"{BASE}/record/moved"]
        assert not cat.store.has_graph(old)
        assert cat.find_record(f"{BASE}/dataset/syn-0000003")[0] == f"{BASE}/record/moved"
        assert cat.count_records() == 8


def test_strict_unvalidated_load_of_several_files_writes_nothing_on_a_bad_file(
    tmp_path: Path,
) -> None:
    good = _write(tmp_path / "good.nt", 3)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x/a> <http://x/p> .\n")
    with _catalog(tmp_path / "c") as cat:
        before = len(cat.store)
        report = cat.load([good, bad], validate=False, strict=True)
        assert len(report.errors) == 1 and not report.written
        assert len(cat.store) == before


@pytest.mark.parametrize(
    "text",
    [
        '<http://x/a> <http://x/p> "bell\\u0007here" .\n',
        '<http://x/a> <http://x/p> "bell\\U0000001Fhere" .\n',
        '<http://x/a> <http://x/p> "raw\x01here" .\n',
    ],
)
def test_control_characters_are_found_across_scan_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setattr(rdfio, "_SCAN_CHUNK", 5)
    path = tmp_path / "ctrl.nt"
    path.write_text('<http://x/z> <http://x/p> "fine \\u00e9" .\n' * 3 + text)
    with pytest.raises(InputError, match="control"):
        rdfio.parse_into(ox.Store(), path)


def test_escaped_characters_that_are_not_control_characters_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "ok.nt"
    path.write_text('<http://x/a> <http://x/p> "caf\\u00e9 \\n &amp; \\u0041" .\n')
    assert rdfio.parse_into(ox.Store(), path) == 1


def test_validated_load_writes_chunks_in_order_and_stops_at_a_failed_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A validated load writes its accepted records chunk by chunk, in a second thread.
    Listeners hear of every write, in order, once it is done; when a write fails, the load
    stops there: no later chunk is written and nothing more is heard."""
    monkeypatch.setattr(catalog_module, "WRITE_BATCH_RECORDS", 4)
    source = _write(tmp_path / "syn.nt", 14)
    cat = _catalog(tmp_path / "ok")
    heard: list[list[str]] = []
    stored_when_heard: list[int] = []
    cat.on_write(lambda graphs: (heard.append(sorted(graphs)),
                                 stored_when_heard.append(cat.count_records())))
    report = cat.load([source])
    assert report.ok and len(report.stored) == 14
    stored = set(report.stored)
    records = [g for chunk in heard for g in chunk if g in stored]
    assert records == [g for chunk in (report.stored[i:i + 4] for i in range(0, 14, 4))
                       for g in sorted(chunk)]  # each chunk heard once, in write order
    # heard once written
    assert [n >= min(4 * (i + 1), 14) for i, n in enumerate(stored_when_heard)] == [True] * 4
    cat.close()

    cat = _catalog(tmp_path / "failing")
    replace = EmbeddedStore.replace_graphs
    calls: list[int] = []

    def failing_second(store: EmbeddedStore, graphs: dict) -> None:
        calls.append(len(graphs))
        if len(calls) == 2:
            raise OSError("disk full")
        replace(store, graphs)

    monkeypatch.setattr(EmbeddedStore, "replace_graphs", failing_second)
    heard.clear()
    cat.on_write(lambda graphs: heard.append(sorted(graphs)))
    with pytest.raises(OSError, match="disk full"):
        cat.load([source])
    assert len(calls) == 2  # no chunk after the failed write was written
    assert len(heard) == 1 and cat.count_records() == 4
    cat.close()


@pytest.mark.parametrize("bound", [120, 30])
@pytest.mark.parametrize("strict,validate", [(False, True), (True, True), (False, False)])
def test_writes_are_bounded_by_triples_as_well_as_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strict: bool, validate: bool,
    bound: int
) -> None:
    """Big records close a write early: no write holds more than WRITE_BATCH_QUADS record
    triples (past it an embedded write leaves the bulk loader for a transaction), whatever
    WRITE_BATCH_RECORDS allows, and a record bigger than the bound is written alone. The
    three ways a load writes (beside validation; after it when strict; a small file
    unvalidated, as it is cut) keep it."""
    monkeypatch.setattr(catalog_module, "WRITE_BATCH_RECORDS", 1000)
    monkeypatch.setattr(catalog_module, "WRITE_BATCH_QUADS", bound)
    source = _write(tmp_path / "syn.nt", 9)
    cat = _catalog(tmp_path / "store")
    writes: list[dict[str, int]] = []
    cat.on_write(lambda graphs: writes.append({g: len(t) for g, t in graphs.items()}))
    report = cat.load([source], strict=strict, validate=validate)
    assert report.ok and len(report.stored) == 9 and cat.count_records() == 9
    stored = set(report.stored)
    chunks = [[n for g, n in w.items() if g in stored] for w in writes]
    chunks = [c for c in chunks if c]
    assert sorted(g for w in writes for g in w if g in stored) == sorted(stored)
    for chunk, following in zip(chunks, chunks[1:] + [None], strict=True):
        assert len(chunk) == 1 or sum(chunk) <= bound
        if following is not None:  # closed only when the next record did not fit
            assert sum(chunk) + following[0] > bound
    assert 1 < len(chunks) < 9 if bound == 120 else len(chunks) == 9
    cat.close()
