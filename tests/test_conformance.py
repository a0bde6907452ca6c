"""The exported demo catalog against the official shapes, with nothing but the export as data.

`hdcat export` writes every concept, agent, standard and law the records use, so the export
must validate on its own: DCAT-AP 3.0.1 (shapes.ttl + range.ttl) with zero violations, and
each health dataset against the HealthDCAT-AP Release 8 shapes of its access level.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import official_shapes as shapes
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.resources import demo_catalog
from hdcat.store import EmbeddedStore

pytestmark = pytest.mark.skipif(
    bool(shapes.missing_external()), reason="../shared/external shapes are missing"
)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    root = tmp_path_factory.mktemp("conformance")
    catalog = Catalog(Settings(data_dir=root), EmbeddedStore(root / "store"))
    catalog.initialize()
    report = catalog.load([demo_catalog()])
    assert report.ok
    out = root / "catalog.ttl"
    with out.open("wb") as f:
        catalog.export(f, "ttl")
    catalog.close()
    return Graph().parse(out, format="turtle")


def _datasets(g: Graph) -> list[URIRef]:
    return sorted(g.subjects(RDF.type, DCAT.Dataset))


def test_export_keeps_every_demo_triple(exported: Graph) -> None:
    demo = Graph().parse(demo_catalog(), format="turtle")
    missing = [t for t in demo if t not in exported]
    assert missing == []
    assert len(_datasets(exported)) == len(list(demo.subjects(RDF.type, DCAT.Dataset)))


def test_export_conforms_to_dcat_ap_301(exported: Graph) -> None:
    _conforms, report, _ = shapes.validate(shapes.copy(exported), shapes.dcat_ap_shapes())
    violations = shapes.results(report)
    assert violations == [], shapes.summary(violations)
    _conforms, report, _ = shapes.validate(shapes.copy(exported), shapes.dcat_ap_recommended())
    warnings = shapes.results(report, shapes.SH.Warning)
    by_path = Counter(w["path"].rsplit("/", 1)[-1] for w in warnings)
    print(f"\nDCAT-AP 3.0.1 shapes_recommended.ttl on the export: {len(warnings)} warnings,"
          f" by property {dict(sorted(by_path.items()))}")


def _shared(g: Graph) -> Graph:
    """Everything of the export that belongs to no record: agents, concepts, standards, laws."""
    records = {str(d) for d in g.subjects(RDF.type, DCAT.Dataset)}
    records |= {str(r) for r in g.subjects(RDF.type, DCAT.CatalogRecord)}
    records |= {str(c) for c in g.subjects(RDF.type, DCAT.Catalog)}
    out = Graph()
    for s, p, o in g:
        if str(s).split("#", 1)[0] not in records:
            out.add((s, p, o))
    return out


def test_each_exported_dataset_conforms_to_healthdcat_ap_for_its_access_level(exported: Graph
                                                                            ) -> None:
    shared = _shared(exported)
    checked: Counter[str] = Counter()
    failures = []
    for d in _datasets(exported):
        access = str(exported.value(d, DCTERMS.accessRights)).rsplit("/", 1)[-1]
        data = shapes.record_closure(exported, d)
        data += shared
        _conforms, report, _ = shapes.validate(data, shapes.healthdcat_shapes(access))
        violations = shapes.results(report)
        if violations:
            failures.append(f"{d} ({access}):\n{shapes.summary(violations, 5)}")
        checked[access] += 1
    print(f"\nHealthDCAT-AP R8 per exported dataset: {dict(checked)}")
    assert set(checked) == {"PUBLIC", "RESTRICTED", "NON_PUBLIC"}
    assert failures == [], "\n".join(failures[:5])


def test_a_wrong_access_level_is_caught(exported: Graph) -> None:
    """Negative control: a PUBLIC dataset checked against the NON_PUBLIC shapes fails once."""
    d = next(d for d in _datasets(exported)
             if str(exported.value(d, DCTERMS.accessRights)).endswith("/PUBLIC"))
    data = shapes.record_closure(exported, d)
    data += _shared(exported)
    _conforms, report, _ = shapes.validate(data, shapes.healthdcat_shapes("NON_PUBLIC"))
    assert [v["component"] for v in shapes.results(report)] == ["HasValueConstraintComponent"]


def test_exported_file_reloads_into_an_empty_catalog(exported: Graph, tmp_path: Path) -> None:
    out = tmp_path / "again.ttl"
    exported.serialize(out, format="turtle")
    catalog = Catalog(Settings(data_dir=tmp_path), EmbeddedStore(tmp_path / "store"))
    catalog.initialize()
    report = catalog.load([out])
    assert report.ok, [r.describe(warnings=False) for r in report.refused[:3]]
    assert catalog.stats()["datasets"] == len(_datasets(exported))
    catalog.close()
