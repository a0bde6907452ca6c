"""The catalog core end to end: load, replace, refuse, strict, export, on both store backends."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.store import EmbeddedStore, RemoteStore

DATA = Path(__file__).parent / "data"
VALID = DATA / "record-valid.ttl"
DEMO_FILE = Path(__file__).resolve().parents[1] / "hdcat" / "demo" / "demo-catalog.ttl"
DS = URIRef("https://hdcat.example.org/dataset/dm-complications-2020")
REC = "https://hdcat.example.org/record/dm-complications-2020"
HEALTH = URIRef("http://healthdataportal.eu/ns/health#")


@pytest.fixture(params=["embedded", pytest.param("remote", marks=pytest.mark.remote)])
def catalog(request: pytest.FixtureRequest, tmp_path: Path):
    settings = Settings(data_dir=tmp_path)
    if request.param == "embedded":
        store = EmbeddedStore(tmp_path / "store")
    else:
        store = RemoteStore.from_base_url(request.getfixturevalue("oxigraph_server"))
        store.clear()
    cat = Catalog(settings, store)
    cat.initialize()
    yield cat
    cat.close()


def _write(path: Path, graph: Graph) -> Path:
    graph.serialize(path, format="turtle")
    return path


def _valid_graph() -> Graph:
    return Graph().parse(VALID, format="turtle")


def _snapshot(cat: Catalog) -> set:
    return set(cat.store.quads())


def test_valid_record_is_stored_in_its_own_graph(catalog: Catalog) -> None:
    report = catalog.load([VALID])
    assert report.ok, [r.describe() for r in report.refused] + [str(e) for e in report.errors]
    assert report.stored == [REC]
    triples = catalog.record_triples(REC)
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    assert str(DS) in subjects and REC in subjects
    assert any(s.startswith(str(DS) + "#dist") for s in subjects)
    # The publisher lives in a graph of its own, not in the record.
    assert "https://hdcat.example.org/agent/nphdc" not in subjects
    assert catalog.store.has_graph("https://hdcat.example.org/agent/nphdc")
    assert catalog.stats()["datasets"] == 1


def test_nonnegative_integers_come_back_as_declared(catalog: Catalog) -> None:
    catalog.load([VALID])
    values = {
        (t.predicate.value, t.object.datatype.value)
        for t in catalog.record_triples(REC)
        if isinstance(t.object, ox.Literal)
        and t.predicate.value.startswith(str(HEALTH))
        and t.object.datatype.value.startswith(str(XSD))
    }
    assert (str(HEALTH) + "numberOfRecords", str(XSD.nonNegativeInteger)) in values
    byte_sizes = [
        t.object
        for t in catalog.record_triples(REC)
        if t.predicate.value == "http://www.w3.org/ns/dcat#byteSize"
    ]
    assert byte_sizes and all(o.datatype.value == str(XSD.nonNegativeInteger) for o in byte_sizes)


def test_loading_the_same_dataset_again_replaces_its_record(
    catalog: Catalog, tmp_path: Path
) -> None:
    catalog.load([VALID])
    g = _valid_graph()
    g.remove((DS, DCTERMS.title, None))
    g.add((DS, DCTERMS.title, Literal("糖尿病并发症预警数据集(第二版)", lang="zh")))
    g.add((DS, DCTERMS.title, Literal("Diabetes Complications Dataset, second edition", lang="en")))
    report = catalog.load([_write(tmp_path / "v2.ttl", g)])
    assert report.ok and report.replaced == [REC]
    titles = {
        t.object.value
        for t in catalog.record_triples(REC)
        if t.predicate.value == str(DCTERMS.title) and t.subject.value == str(DS)
    }
    assert titles == {
        "糖尿病并发症预警数据集(第二版)",
        "Diabetes Complications Dataset, second edition",
    }
    assert catalog.stats()["records"] == 1


def _invalid_second_dataset(tmp_path: Path) -> Path:
    g = _valid_graph()
    other = URIRef("https://hdcat.example.org/dataset/no-title")
    g.add(
        (
            other,
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            URIRef("http://www.w3.org/ns/dcat#Dataset"),
        )
    )
    g.add((other, DCTERMS.description, Literal("只有描述", lang="zh")))
    return _write(tmp_path / "mixed.ttl", g)


def test_invalid_record_is_refused_with_reasons_and_valid_one_kept(
    catalog: Catalog, tmp_path: Path
) -> None:
    report = catalog.load([_invalid_second_dataset(tmp_path)])
    assert not report.ok
    assert [r.subject for r in report.refused] == ["https://hdcat.example.org/dataset/no-title"]
    refused = report.refused[0]
    paths = {str(r.path) for r in refused.violations}
    assert str(DCTERMS.title) in paths
    title_result = next(r for r in refused.violations if str(r.path) == str(DCTERMS.title))
    assert title_result.message("zh") and title_result.message("en")
    assert title_result.message("zh") != title_result.message("en")
    assert report.stored == [REC]


def test_strict_writes_nothing_when_anything_is_refused(catalog: Catalog, tmp_path: Path) -> None:
    before = _snapshot(catalog)
    report = catalog.load([_invalid_second_dataset(tmp_path)], strict=True)
    assert not report.ok and not report.written
    assert _snapshot(catalog) == before


def test_unreadable_file_is_refused_whole_and_store_unchanged(
    catalog: Catalog, tmp_path: Path
) -> None:
    catalog.load([VALID])
    before = _snapshot(catalog)
    broken = tmp_path / "broken.ttl"
    text = VALID.read_text("utf-8")
    broken.write_text(
        text + '\n<https://hdcat.example.org/x> dct:title "unterminated .\n', encoding="utf-8"
    )
    report = catalog.load([broken])
    assert not report.ok and len(report.errors) == 1
    error = report.errors[0]
    assert error.source == str(broken)
    assert error.line == text.count("\n") + 2
    assert _snapshot(catalog) == before


def test_export_of_one_record_validates_on_its_own(catalog: Catalog, tmp_path: Path) -> None:
    catalog.load([VALID])
    out = tmp_path / "one.ttl"
    with out.open("wb") as f:
        catalog.export(f, "ttl", record=str(DS))
    other = Catalog(Settings(data_dir=tmp_path / "other"), EmbeddedStore(tmp_path / "other-store"))
    other.initialize()
    reports = other.validate_file(out)
    assert [r.subject for r in reports] == [str(DS)]
    assert reports[0].conforms, reports[0].describe()
    exported = Graph().parse(out, format="turtle")
    for triple in _valid_graph():
        if not any(isinstance(t, type(None)) for t in triple):
            assert triple in exported or _has_bnode(triple), triple


def _has_bnode(triple: tuple) -> bool:
    return any(type(t).__name__ == "BNode" for t in triple)


def test_export_formats_parse_back_to_the_same_graph(catalog: Catalog, tmp_path: Path) -> None:
    catalog.load([VALID])
    graphs = {}
    for fmt, rdflib_format in (
        ("ttl", "turtle"),
        ("nt", "nt"),
        ("jsonld", "json-ld"),
        ("rdf", "xml"),
    ):
        out = tmp_path / f"all.{fmt}"
        with out.open("wb") as f:
            catalog.export(f, fmt)
        graphs[fmt] = Graph().parse(out, format=rdflib_format)
    sizes = {fmt: len(g) for fmt, g in graphs.items()}
    assert len(set(sizes.values())) == 1, sizes
    assert set(graphs["ttl"]) == set(graphs["nt"])
    nq = tmp_path / "all.nq"
    with nq.open("wb") as f:
        catalog.export(f, "nq")
    graph_names = {q.graph_name.value for q in ox.parse(path=str(nq))}
    assert REC in graph_names


def test_validate_all_checks_stored_records(catalog: Catalog) -> None:
    catalog.load([VALID])
    reports = catalog.validate_all()
    assert [r.subject for r in reports] == [str(DS)]
    assert reports[0].conforms, reports[0].describe()


def test_load_triples_decorates_each_record_before_validation(catalog: Catalog) -> None:
    triples = [q.triple for q in ox.parse(path=str(VALID))]
    note = ox.Literal("harvested from source a", language="en")
    comment = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")

    def decorate(record) -> None:
        record.triples.append(ox.Triple(ox.NamedNode(record.iri), comment, note))

    report = catalog.load_triples(triples, source="page 1 of source a", decorate=decorate)
    assert report.ok and report.stored == [REC]
    stored = catalog.record_triples(REC)
    assert ox.Triple(ox.NamedNode(REC), comment, note) in stored
    broken = [t for t in triples if t.predicate.value != str(DCTERMS.title)]
    report = catalog.load_triples(broken, source="page 2 of source a", strict=True)
    assert not report.ok and not report.written
    assert report.refused[0].source == "page 2 of source a"


def test_a_data_folder_given_as_text_is_a_path(tmp_path: Path) -> None:
    """Settings keep `data_dir` a Path however it is given, so no reader has to convert it."""
    settings = Settings(data_dir=str(tmp_path / "data"))
    assert settings.data_dir == tmp_path / "data" and isinstance(settings.data_dir, Path)
    catalog = Catalog(settings)
    try:
        catalog.initialize(demo=True)
        assert catalog.count_records() > 0
        assert catalog.search_index().count() == catalog.count_records()
    finally:
        catalog.close()


SERIES = "https://hdcat.example.org/dataset/ncds-risk-series"
HAS_MEMBERS = "DatasetSeries-member-recommended-p"


def _verdicts(reports: list) -> dict[str, list[tuple]]:
    return {r.subject: sorted(x.key() for x in r.results) for r in reports}


def test_verdicts_do_not_depend_on_how_records_are_grouped(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _verdicts(catalog.validate_file(DEMO_FILE))
    monkeypatch.setattr("hdcat.catalog.VALIDATION_GROUP", 1)
    assert _verdicts(catalog.validate_file(DEMO_FILE)) == whole
    assert not any(HAS_MEMBERS in str(r.shape) for r in
                   next(r for r in catalog.validate_file(DEMO_FILE) if r.subject == SERIES).results)


def test_a_series_validated_alone_sees_its_members_in_the_store(
    catalog: Catalog, tmp_path: Path
) -> None:
    catalog.load([DEMO_FILE])
    out = tmp_path / "series.ttl"
    with out.open("wb") as f:
        catalog.export(f, "ttl", record=SERIES)
    [report] = catalog.validate_file(out)
    assert not any(HAS_MEMBERS in str(r.shape) for r in report.results), report.describe()
    # in an empty catalog the same series has no members: the rule speaks
    other = Catalog(Settings(data_dir=tmp_path / "other"), EmbeddedStore(tmp_path / "other-store"))
    other.initialize()
    [alone] = other.validate_file(out)
    other.close()
    assert any(HAS_MEMBERS in str(r.shape) for r in alone.results)
