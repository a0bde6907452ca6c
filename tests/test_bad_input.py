"""Bad input: a clear error naming file and place, no crash, nothing half written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT

from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.store import EmbeddedStore

DATA = Path(__file__).parent / "data"
VALID = DATA / "record-valid.ttl"
DS = URIRef("https://hdcat.example.org/dataset/dm-complications-2020")


@pytest.fixture
def catalog(tmp_path: Path):
    cat = Catalog(Settings(data_dir=tmp_path), EmbeddedStore(tmp_path / "store"))
    cat.initialize()
    report = cat.load([VALID])
    assert report.ok
    yield cat
    cat.close()


def _refused(cat: Catalog, path: Path):
    """Load a bad file; check that it is refused whole and the store is untouched."""
    before = set(cat.store.quads())
    report = cat.load([path])
    assert len(report.errors) == 1, report
    assert report.stored == []
    assert set(cat.store.quads()) == before
    error = report.errors[0]
    assert error.source == str(path)
    assert str(error).startswith(str(path))
    return error


def test_unparseable_turtle_names_line_and_column(catalog: Catalog, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix dct: <http://purl.org/dc/terms/> .\n\n<http://x> dct:title ;\n")
    error = _refused(catalog, bad)
    assert error.line == 3 and error.column is not None
    assert "Turtle syntax error" in error.message


def test_gbk_encoded_file_is_refused_with_the_place(catalog: Catalog, tmp_path: Path) -> None:
    bad = tmp_path / "gbk.ttl"
    text = (
        '<http://x/a> <http://purl.org/dc/terms/title> "ok" .\n'
        '<http://x/b> <http://purl.org/dc/terms/title> "糖尿病" .\n'
    )
    bad.write_bytes(text.encode("gbk"))
    error = _refused(catalog, bad)
    assert error.line == 2
    assert error.column == text.splitlines()[1].index("糖") + 1
    assert "UTF-8" in error.message and "GBK" in error.message


def test_utf16_file_is_refused(catalog: Catalog, tmp_path: Path) -> None:
    bad = tmp_path / "utf16.ttl"
    bad.write_bytes('<http://x/a> <http://x/p> "x" .\n'.encode("utf-16"))
    error = _refused(catalog, bad)
    assert "UTF-16" in error.message


def test_empty_and_triple_less_files_are_refused(catalog: Catalog, tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_bytes(b"")
    assert _refused(catalog, empty).message == "file is empty"
    blank = tmp_path / "blank.ttl"
    blank.write_text("   \n\n")
    assert _refused(catalog, blank).message == "file is empty"
    comments = tmp_path / "comments.ttl"
    comments.write_text("# nothing but a comment\n@prefix dct: <http://purl.org/dc/terms/> .\n")
    assert _refused(catalog, comments).message == "file holds no RDF triples"


def test_iri_with_a_space_names_the_place(catalog: Catalog, tmp_path: Path) -> None:
    bad = tmp_path / "space.ttl"
    bad.write_text('<http://x/a> <http://x/p> "x" .\n<http://x/a b> <http://x/p> "y" .\n')
    error = _refused(catalog, bad)
    assert (error.line, error.column) == (2, 1)
    assert "IRI" in error.message


def test_literal_with_control_character_is_refused(catalog: Catalog, tmp_path: Path) -> None:
    bad = tmp_path / "ctrl.nt"
    bad.write_text(
        '<http://x/a> <http://purl.org/dc/terms/title> "ok" .\n'
        '<http://x/b> <http://purl.org/dc/terms/title> "bell\\u0007here" .\n'
    )
    error = _refused(catalog, bad)
    assert "U+0007" in error.message and "http://purl.org/dc/terms/title" in error.message
    assert "http://x/b" in error.message


def test_raw_control_character_is_located(catalog: Catalog, tmp_path: Path) -> None:
    bad = tmp_path / "raw-ctrl.ttl"
    bad.write_bytes(b'<http://x/a> <http://x/p> "a" .\n\n<http://x/b> <http://x/p> "b\x01c" .\n')
    error = _refused(catalog, bad)
    assert error.line == 3 and "U+0001" in error.message


def test_jsonld_with_remote_context_is_refused_not_fetched(
    catalog: Catalog, tmp_path: Path
) -> None:
    bad = tmp_path / "remote.jsonld"
    url = "https://example.org/never-fetched/context.jsonld"
    bad.write_text(json.dumps({"@context": url, "@id": "http://x/a", "title": "x"}))
    error = _refused(catalog, bad)
    assert url in error.message and "--context" in error.message
    # With a local copy of that context the same document is read.
    local = tmp_path / "context.jsonld"
    local.write_text(json.dumps({"@context": {"title": "http://purl.org/dc/terms/title"}}))
    from hdcat.rdfio import load_context_file

    report = catalog.load([bad], contexts={url: load_context_file(local)})
    assert report.errors == []
    assert catalog.store.has_graph("http://x/a")


def test_broken_json_names_line_and_column(catalog: Catalog, tmp_path: Path) -> None:
    bad = tmp_path / "broken.jsonld"
    bad.write_text('{\n  "@id": "http://x/a",\n  "title" "x"\n}\n')
    error = _refused(catalog, bad)
    assert error.line == 3 and "invalid JSON" in error.message


def test_broken_rdfxml_names_line(catalog: Catalog, tmp_path: Path) -> None:
    bad = tmp_path / "broken.rdf"
    bad.write_text(
        '<?xml version="1.0"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="http://x/a">\n'
        "</rdf:RDF>\n"
    )
    error = _refused(catalog, bad)
    assert error.line == 4


def test_rdfxml_with_an_unknown_encoding_is_refused(catalog: Catalog, tmp_path: Path) -> None:
    """Found by fuzzing the loaders: expat raised LookupError through Catalog.load."""
    bad = tmp_path / "encoding.rdf"
    bad.write_text(
        '<?xml version="1.0" encoding="TTF-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="http://x/a"/>\n'
        "</rdf:RDF>\n"
    )
    error = _refused(catalog, bad)
    assert error.line == 1 and "unknown encoding" in str(error) and "TTF-8" in str(error)


def test_missing_file_is_an_error_not_a_crash(catalog: Catalog, tmp_path: Path) -> None:
    error = _refused(catalog, tmp_path / "no-such-file.ttl")
    assert "cannot read" in error.message


def test_record_with_ten_thousand_keywords_loads(catalog: Catalog, tmp_path: Path) -> None:
    g = Graph().parse(VALID, format="turtle")
    for i in range(10_000):
        g.add((DS, DCAT.keyword, Literal(f"关键词{i}", lang="zh")))
    path = tmp_path / "keywords.ttl"
    g.serialize(path, format="turtle")
    report = catalog.load([path])
    assert report.ok and report.replaced
    record = catalog.find_record(str(DS))
    assert record is not None
    keywords = [
        t for t in catalog.record_triples(record[0]) if t.predicate.value == str(DCAT.keyword)
    ]
    assert len(keywords) == 10_003


@pytest.mark.slow
def test_200_mb_file_with_an_error_at_the_end(catalog: Catalog, tmp_path: Path) -> None:
    """Parsed to the end on disk staging; the error names the last line; nothing written."""
    big = tmp_path / "big.nt"
    line = '<http://x.example/s{0}> <http://purl.org/dc/terms/description> "{1}" .\n'
    filler = "健康医疗数据 health data " * 3
    size = 0
    count = 0
    with big.open("w", encoding="utf-8") as f:
        while size < 200 * 1024 * 1024:
            chunk = "".join(line.format(count + i, filler) for i in range(10_000))
            f.write(chunk)
            size += len(chunk.encode("utf-8"))
            count += 10_000
        f.write('<http://x.example/last> <http://x.example/p> "unterminated .\n')
    error = _refused(catalog, big)
    assert error.line == count + 1
