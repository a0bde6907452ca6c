"""Official examples from ../shared/external: loaded at level core, exported back with every triple.

The DCAT-AP 3.0.1 examples are illustrative fragments; most lack a mandatory dct:title or
dct:description (see shared/external/dcat-ap/README.md). At level core such records are
refused, for exactly the missing mandatory properties the official DCAT-AP shapes report,
and they still round-trip when loaded without validation.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from hdcat import rdfio
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.store import EmbeddedStore
from hdcat.terms import triples_to_graph

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
DCATAP = EXTERNAL / "dcat-ap"
EXAMPLES_301 = DCATAP / "3.0.1" / "examples"
CONTEXT_URL = (
    "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/"
    "context.jsonld"
)
DATASET_CLASSES = {"http://www.w3.org/ns/dcat#Dataset", "http://www.w3.org/ns/dcat#DatasetSeries"}
BROKEN = {
    "example-bee-population-dataset-series-api.ttl",
    "example-bee-population-dataset-series-combined.ttl",
}

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="../shared/external is missing")


def _files() -> list[Path]:
    files = sorted(EXAMPLES_301.glob("*.ttl")) + sorted(EXAMPLES_301.glob("example-*.jsonld"))
    files += sorted((DCATAP / "2.1.1" / "examples").glob("*.nt"))
    files += sorted((EXTERNAL / "fdp" / "examples").glob("*.ttl"))
    files += [
        EXTERNAL / "healthdcat-ap" / "release-8" / "examples" / "example-healthdcat-dataset.ttl"
    ]
    files += [EXTERNAL / "catalogs" / "ckanext_dcat_healthdcat_ap_dataset.ttl"]
    return [f for f in files if f.name not in BROKEN]


def _contexts() -> dict[str, object]:
    return {CONTEXT_URL: rdfio.load_context_file(EXAMPLES_301 / "context.jsonld")}


def _source_graph(path: Path) -> Graph:
    g = Graph()
    if path.suffix == ".jsonld":
        # rdflib's JSON-LD processor reads these examples differently (it drops dcat:inSeries),
        # so the reference for JSON-LD is Oxigraph's reading with the local context.
        staging = ox.Store()
        rdfio.parse_into(staging, path, contexts=_contexts())
        triples_to_graph((q.triple for q in staging), g)
    else:
        g.parse(path, format={".ttl": "turtle", ".nt": "nt"}[path.suffix])
    return g


def _has_bnode(triple: tuple) -> bool:
    return any(isinstance(t, BNode) for t in triple)


def assert_every_triple_kept(source: Graph, exported: Graph) -> None:
    missing = [t for t in source if not _has_bnode(t) and t not in exported]
    assert not missing, missing[:5]
    with_bnodes_src = Graph()
    for t in source:
        if _has_bnode(t):
            with_bnodes_src.add(t)
    with_bnodes_out = Graph()
    for t in exported:
        if _has_bnode(t):
            with_bnodes_out.add(t)
    assert isomorphic(with_bnodes_src, with_bnodes_out)


def _catalog(tmp_path: Path) -> Catalog:
    cat = Catalog(Settings(data_dir=tmp_path), EmbeddedStore(tmp_path / "store"))
    cat.initialize()
    return cat


def _export(cat: Catalog, tmp_path: Path) -> Graph:
    out = tmp_path / "export.nt"
    with out.open("wb") as f:
        cat.export(f, "nt")
    return Graph().parse(out, format="nt")


def _official_missing(path: Path) -> set[tuple[str, str]]:
    """(focus, path) of the official DCAT-AP 3.0.1 minCount violations for a file."""
    import pyshacl

    shapes = Graph().parse(DCATAP / "3.0.1" / "shacl-split" / "shapes.ttl", format="turtle")
    _c, report, _t = pyshacl.validate(_source_graph(path), shacl_graph=shapes, advanced=True)
    return {
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)))
        for r in report.subjects(SH.sourceConstraintComponent, SH.MinCountConstraintComponent)
    }


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_example_loads_at_core_and_exports_every_triple(path: Path, tmp_path: Path) -> None:
    cat = _catalog(tmp_path)
    report = cat.load([path], level="core", contexts=_contexts())
    assert not report.errors, report.errors
    if report.refused:
        refused = {
            (r.focus.toPython() if isinstance(r.focus, URIRef) else str(r.focus), str(r.path))
            for rep in report.refused
            for r in rep.violations
        }
        components = {str(r.component) for rep in report.refused for r in rep.violations}
        assert components == {str(SH.MinCountConstraintComponent)}, components
        assert refused <= _official_missing(path)
        # Refused at core, the same document still round-trips when loaded without validation.
        cat.close()
        cat = _catalog(tmp_path / "unvalidated")
        report = cat.load([path], validate=False, contexts=_contexts())
        assert report.ok
    source = _source_graph(path)
    datasets = {s for s, _p, o in source if str(o) in DATASET_CLASSES}
    assert len(report.stored) == len(datasets)
    assert_every_triple_kept(source, _export(cat, tmp_path))
    cat.close()


def test_the_fdp_and_health_examples_are_not_refused_at_core(tmp_path: Path) -> None:
    cat = _catalog(tmp_path)
    files = sorted((EXTERNAL / "fdp" / "examples").glob("*.ttl")) + [
        EXTERNAL / "healthdcat-ap" / "release-8" / "examples" / "example-healthdcat-dataset.ttl"
    ]
    report = cat.load(files, level="core")
    assert report.ok, [r.describe() for r in report.refused]
    assert len(report.stored) == 5
    assert cat.stats()["datasets"] == 5


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_official_examples_are_refused_with_file_and_line(name: str, tmp_path: Path) -> None:
    cat = _catalog(tmp_path)
    cat.load([DCATAP / "2.1.1" / "examples" / "example1.nt"], level="core")
    before = set(cat.store.quads())
    path = EXAMPLES_301 / name
    report = cat.load([path], level="core")
    assert len(report.errors) == 1
    error = report.errors[0]
    assert error.source == str(path)
    lines = path.read_text("utf-8").splitlines()
    assert error.line is not None and "/" in lines[error.line - 1]
    assert error.column is not None
    assert str(error).startswith(f"{path}:{error.line}:{error.column}: ")
    assert set(cat.store.quads()) == before
