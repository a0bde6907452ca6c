"""Fuzzing the loaders and `Catalog.load` with Hypothesis (issue #9).

Random and mutated inputs, seeded with real files of each kind (DCAT Turtle, CKAN package
JSON, DCAT-US data.json, schema.org JSON-LD, DataCite XML and JSON, registration sheet CSV,
the demo catalog in every RDF syntax), go through:

* every loader's `pages()` (files read through `loaders.http.Http`, CKAN answers served on
  127.0.0.1): the documented failure policy is that a loader never raises for bad input (a
  bad record is a MappingError of its page, a bad page a `Page.broken`), so any exception
  is a failure; what comes out is well-formed (triples, messages);
* `Catalog.load(..., strict=True)` on a real embedded store: it may refuse a file
  (`report.errors`, InputError) or records (`report.refused`), never raise; when the load
  is not ok the store is exactly as before, and an accepted load leaves the audit chain in
  agreement with the store.

Examples are derandomized (the same each run, so CI is stable); set HDCAT_FUZZ_RANDOM=1 for
new ones and HDCAT_FUZZ_EXAMPLES=N to scale every test up.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.errors import InputError
from hdcat.store import EmbeddedStore
from loaders.base import MappingError, Page
from loaders.http import Http
from loaders.registry import loader_for

HERE = Path(__file__).parent
HARVEST = HERE / "data" / "harvest"
EXTERNAL = HERE.parents[1] / "shared" / "external" / "catalogs"
SCALE = int(os.environ.get("HDCAT_FUZZ_EXAMPLES", "0") or 0)


def fuzz(n: int):  # noqa: ANN201 - a settings decorator
    return settings(max_examples=max(n, SCALE), deadline=None, database=None,
                    derandomize=not os.environ.get("HDCAT_FUZZ_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


def _read(path: Path, limit: int = 20_000) -> bytes:
    return path.read_bytes()[:limit] if path.exists() else b""


def _demo_in(fmt: ox.RdfFormat) -> bytes:
    """A few demo records re-serialised in `fmt`."""
    demo = HERE.parent / "hdcat" / "demo" / "demo-catalog.ttl"
    quads = list(ox.parse(path=str(demo)))
    keep = {q.subject for q in quads if q.subject.value.startswith(
        ("https://hdcat.example.org/dataset/adult-tobacco-survey",
         "https://hdcat.example.org/dataset/dm-complications-2020",
         "https://hdcat.example.org/agent/chinacdc"))}
    triples = [q.triple for q in quads if q.subject in keep]
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        return ox.serialize([ox.Quad(t.subject, t.predicate, t.object) for t in triples],
                            format=fmt)
    return ox.serialize(triples, format=fmt)


def _seeds() -> dict[str, list[bytes]]:
    """Real inputs of each kind (small ones, or the start of big ones)."""
    ckan = EXTERNAL / "ckanext_dcat_healthdcat_ap_ckan_package.json"
    packages = json.loads(ckan.read_text("utf-8")) if ckan.exists() else [{
        "name": "pkg", "title": "A package", "notes": "Notes", "resources": [
            {"url": "https://example.org/a.csv", "format": "CSV", "name": "a"}],
        "tags": [{"name": "health"}], "extras": [{"key": "issued", "value": "2020-01-01"}]}]
    cms = EXTERNAL / "cms_gov_data.json"
    if cms.exists():
        catalog = json.loads(cms.read_text("utf-8"))
        catalog["dataset"] = catalog["dataset"][:3]
        datajson = json.dumps(catalog).encode()
    else:
        datajson = json.dumps({"conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
                               "dataset": [{"title": "T", "description": "D",
                                            "identifier": "x-1", "keyword": ["a"],
                                            "modified": "2020-01-01",
                                            "publisher": {"name": "P"},
                                            "distribution": [{"downloadURL":
                                                              "https://e.org/a.csv"}]}]}).encode()
    schemaorg = _read(EXTERNAL / "dataverse_max_schemaorg.jsonld") or json.dumps({
        "@context": "https://schema.org", "@type": "Dataset", "name": "D",
        "description": "x", "url": "https://example.org/d"}).encode()
    dcat = _read(EXTERNAL / "ckanext_dcat_healthdcat_ap_dataset.ttl", 10**6)
    return {
        "dcat": [b for b in (dcat, _demo_in(ox.RdfFormat.TURTLE)) if b],
        "ckan": [json.dumps({"success": True, "result": {"count": len(packages),
                                                         "results": packages}}).encode()],
        "datajson": [datajson],
        "schemaorg": [schemaorg,
                      b"<html><head><script type=\"application/ld+json\">" + schemaorg
                      + b"</script></head><body></body></html>"],
        "datacite": [(HARVEST / "datacite-nphdc.xml").read_bytes(),
                     (HARVEST / "datacite-api.json").read_bytes()],
        "sheet": [(HARVEST / "registration.csv").read_bytes(),
                  (HARVEST / "registration.csv").read_text("utf-8").encode("gb18030")],
    }


SEEDS = _seeds()
SUFFIX = {"dcat": ".ttl", "ckan": ".json", "datajson": ".json", "schemaorg": ".jsonld",
          "datacite": ".xml", "sheet": ".csv"}

# Fragments that bite parsers: syntax of each format, odd Unicode, huge numbers, encodings.
TOKENS = [b"<", b">", b"\"", b"'", b"\\", b"@prefix", b"@base", b"_:b", b"[", b"]", b"(",
          b")", b"{", b"}", b":", b";", b",", b".", b"^^", b"@en", b"@zh-Hans", b"\"\"\"",
          b"<http://", b"<javascript:x>", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r\n",
          b"\t", b"\xe2\x80\xae", b"\xed\xa0\x80", b"null", b"true", b"[]", b"{}", b"1e999",
          b"-0", b"NaN", b"99999999999999999999999", b"<!DOCTYPE x [<!ENTITY e \"e\">]>",
          b"&e;", b"<![CDATA[", b"]]>", b"<?xml version=\"1.0\"?>", b"xmlns=\"\"",
          b"\"@context\"", b"\"@id\"", b"\"@type\"", b"\"@graph\"", b"\"@value\"", b"=cmd|",
          b"\xe6\x95\xb0\xe6\x8d\xae", b"\xc0\xaf", b"%00", b"a" * 300]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed with a few random edits: flips, cuts, insertions of tokens, duplications."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            data += draw(st.binary(max_size=64))
            continue
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "token", "dup", "truncate"]))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "cut":
            del data[at:at + draw(st.integers(1, 200))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif kind == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "dup":
            end = min(len(data), at + draw(st.integers(1, 500)))
            data[at:at] = data[at:end]
        else:
            del data[at:]
    return bytes(data)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                  max_size=4),
    max_leaves=12)


@st.composite
def json_confused(draw: st.DrawFn, seed: bytes) -> bytes:
    """A JSON seed with values swapped for others of any type (type confusion), at any
    depth; the keys the mappers read are kept, so the mappers get past the first check."""
    doc = json.loads(seed)

    def walk(node: object, depth: int) -> object:
        if draw(st.integers(0, 9)) == 0:
            return draw(JSON)
        if isinstance(node, dict):
            return {k: walk(v, depth + 1) for k, v in node.items()
                    if draw(st.integers(0, 14)) != 0}
        if isinstance(node, list):
            return [walk(v, depth + 1) for v in node]
        return node

    return json.dumps(walk(doc, 0), allow_nan=True).encode()


@pytest.mark.parametrize("body", [b'{"data": false}', b'{"data": [1]}', b"[[]]", b'["x"]'])
def test_datacite_json_with_non_object_items(body: bytes, tmp_path: Path) -> None:
    """Found by fuzzing: an item of a DataCite JSON list that is not an object (false, 1,
    a list...) crashed the mapper; it is a mapping error naming the item, not a raise."""
    path = tmp_path / "datacite.json"
    path.write_bytes(body)
    pages = list(loader_for("datacite").pages(str(path), Http()))
    _check_pages(pages)
    [page] = pages
    assert page.source_error is None
    assert [e.record for e in page.errors] == ["item 0"], page.errors
    assert "item 0" in page.errors[0].message


@pytest.mark.parametrize("citation", ['"Li M. (2020) A paper."', "false"])
def test_schemaorg_literal_citation(citation: str, tmp_path: Path) -> None:
    """A literal `citation` (no IRI) is a warning on the page, not a crash."""
    path = tmp_path / "dataset.jsonld"
    path.write_text('{"@context": "http://schema.org", "@type": "Dataset", '
                    '"@id": "https://example.org/d", "name": "D", '
                    f'"citation": {citation}}}', encoding="utf-8")
    _check_pages(list(loader_for("schemaorg").pages(str(path), Http())))


def _check_pages(pages: list[Page]) -> None:
    for page in pages:
        assert isinstance(page, Page)
        assert all(isinstance(t, ox.Triple) for t in page.triples)
        assert all(isinstance(w, str) for w in page.warnings)
        assert all(isinstance(e, MappingError) and isinstance(e.message, str)
                   for e in page.errors)
        if page.source_error is not None:
            assert not page.triples and page.errors


# --------------------------------------------------------------------------- the loaders


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-files")


class _Server:
    """A CKAN API on 127.0.0.1 that answers whatever body the test sets."""

    def __init__(self) -> None:
        self.body = b""
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                body = outer.body
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def ckan_server() -> Iterator[_Server]:
    server = _Server()
    yield server
    server.httpd.shutdown()


def run_loader(kind: str, body: bytes, folder: Path, server: _Server | None = None,
               suffix: str | None = None) -> list[Page]:
    """Every page of a loader of `kind` over `body` (a file, or the CKAN server)."""
    http = Http(timeout=10)
    if kind == "ckan":
        assert server is not None
        server.body = body
        return list(loader_for("ckan", rows=50).pages(server.base, http))
    path = folder / f"input{suffix or SUFFIX[kind]}"
    path.write_bytes(body)
    return list(loader_for(kind).pages(str(path), http))


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_seeds_load_cleanly(kind: str, files: Path, ckan_server: _Server) -> None:
    """The unmutated seeds map to triples (so the fuzzing starts from working inputs)."""
    for seed in SEEDS[kind]:
        pages = run_loader(kind, seed, files, ckan_server)
        _check_pages(pages)
        assert sum(len(p.triples) for p in pages) > 0, (kind, [p.errors for p in pages])



@pytest.mark.parametrize("kind", ["datacite", "dcat"])
def test_xml_declaring_an_unknown_encoding(kind: str, files: Path,
                                           ckan_server: _Server) -> None:
    """Found by fuzzing Catalog.load: expat raises LookupError for `encoding="TTF-8"`."""
    body = (b'<?xml version="1.0" encoding="TTF-8"?>\n<rdf:RDF xmlns:rdf='
            b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')
    pages = run_loader(kind, body, files, ckan_server, suffix=".rdf" if kind == "dcat" else None)
    _check_pages(pages)
    assert pages and all(p.source_error is not None and not p.triples for p in pages)

@pytest.mark.parametrize("results", ["null", "{}", '"x"', "7"])
def test_ckan_results_that_are_not_a_list(results: str, files: Path,
                                          ckan_server: _Server) -> None:
    """Found by CI's fuzzing: `"results": null` crashed the page mapper."""
    body = b'{"success": true, "result": {"count": 1, "results": ' + results.encode() + b"}}"
    pages = run_loader("ckan", body, files, ckan_server)
    _check_pages(pages)
    assert [p.source_error is not None for p in pages] == [True]
    assert "results is not a list" in pages[0].errors[0].message

@pytest.mark.parametrize("kind", sorted(SEEDS))
@fuzz(40)
@given(data=st.data())
def test_loaders_never_raise_on_mutated_input(kind: str, data: st.DataObject, files: Path,
                                              ckan_server: _Server) -> None:
    body = data.draw(mutated(SEEDS[kind]), label="body")
    _check_pages(run_loader(kind, body, files, ckan_server))


@pytest.mark.parametrize("kind", sorted(SEEDS))
@fuzz(15)
@given(body=st.binary(max_size=2000) | st.text(max_size=400).map(str.encode))
def test_loaders_never_raise_on_random_input(kind: str, body: bytes, files: Path,
                                             ckan_server: _Server) -> None:
    _check_pages(run_loader(kind, body, files, ckan_server))


JSON_KINDS = {"ckan": 0, "datajson": 0, "schemaorg": 0, "datacite": 1}


@pytest.mark.parametrize("kind", sorted(JSON_KINDS))
@fuzz(40)
@given(data=st.data())
def test_json_loaders_never_raise_on_type_confusion(kind: str, data: st.DataObject,
                                                    files: Path, ckan_server: _Server) -> None:
    seed = SEEDS[kind][JSON_KINDS[kind]]
    body = data.draw(json_confused(seed), label="body")
    suffix = ".json" if kind == "datacite" else None
    _check_pages(run_loader(kind, body, files, ckan_server, suffix=suffix))


@fuzz(30)
@given(rows=st.lists(st.lists(st.text(max_size=40), min_size=0, max_size=25), max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_sheet_loader_on_random_rows(rows: list[list[str]], encoding: str, files: Path) -> None:
    import csv
    import io

    header = SEEDS["sheet"][0].decode("utf-8").splitlines()[0]
    out = io.StringIO()
    out.write(header + "\n")
    csv.writer(out).writerows(rows)
    try:
        body = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        body = out.getvalue().encode("utf-8", errors="surrogatepass")
    _check_pages(run_loader("sheet", body, files))


# --------------------------------------------------------------------------- Catalog.load


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    data = tmp_path_factory.mktemp("fuzz-catalog")
    cat = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store"))
    cat.initialize()
    report = cat.load([HERE.parent / "hdcat" / "demo" / "demo-catalog.ttl"], validate=False)
    assert report.ok
    cat.on_write(WRITES.append)
    yield cat
    cat.close()


RDF_SEEDS = {
    ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD, ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG,
}
RDF_BODIES = {suffix: _demo_in(fmt) for suffix, fmt in RDF_SEEDS.items()}


WRITES: list[dict] = []


def _load(catalog: Catalog, path: Path, validate: bool):  # noqa: ANN202 - a LoadReport
    """Load strictly; a load that is not ok writes nothing: no write reaches the store (every
    write is seen by the catalog's write listeners, and the audit check at the end finds any
    that was not) and the number of quads is unchanged."""
    size = len(catalog.store)
    WRITES.clear()
    try:
        report = catalog.load([path], strict=True, validate=validate, level="core")
    except InputError:
        raise AssertionError("Catalog.load raised InputError instead of reporting it") from None
    assert all(isinstance(e, InputError) for e in report.errors)
    if not report.ok:
        assert WRITES == [] and len(catalog.store) == size, "a refused strict load wrote"
        assert not report.written
    else:
        assert report.written
    return report


@pytest.mark.parametrize("suffix", sorted(RDF_SEEDS))
@fuzz(12)
@given(data=st.data())
def test_catalog_load_on_mutated_rdf(suffix: str, data: st.DataObject, catalog: Catalog,
                                     files: Path) -> None:
    body = data.draw(mutated([RDF_BODIES[suffix]]), label="body")
    validate = data.draw(st.booleans(), label="validate")
    path = files / f"load{suffix}"
    path.write_bytes(body)
    _load(catalog, path, validate)


@fuzz(20)
@given(body=st.binary(max_size=1500) | st.text(max_size=300).map(str.encode),
       suffix=st.sampled_from([*sorted(RDF_SEEDS), ".json", ".xml", ".owl", ".txt", ""]))
@example(body=b"", suffix=".ttl")
@example(body=b"\xef\xbb\xbf", suffix=".ttl")
@example(body=b"<a> <b> <c> .", suffix="")
@example(body=b'{"@context": {"@vocab": 1}}', suffix=".jsonld")
@example(body=b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>', suffix=".rdf")
def test_catalog_load_on_random_files(body: bytes, suffix: str, catalog: Catalog,
                                      files: Path) -> None:
    path = files / f"random{suffix}"
    path.write_bytes(body)
    for validate in (True, False):
        _load(catalog, path, validate)


def test_after_fuzzing_the_audit_chain_agrees(catalog: Catalog) -> None:
    """Whatever the fuzzed loads stored went through the audit chain."""
    problems = catalog.audit_log().verify(catalog.stored_graphs())
    assert problems == [], problems[:5]
