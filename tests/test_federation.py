"""Round trip: a second hdcat instance harvests the first over HTTP, through the paged DCAT
feed and through OAI-PMH, and holds the same datasets with their triples."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from live_server import serving

from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.state import PrivateState
from hdcat.store import EmbeddedStore

HDCAT = "https://w3id.org/hdcat/ns#"


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Catalog, str]]:
    root = tmp_path_factory.mktemp("first")
    catalog = Catalog(Settings(data_dir=root), EmbeddedStore(root / "store"))
    assert catalog.initialize(demo=True).ok
    with serving(catalog) as base:
        yield catalog, base
    catalog.close()


def _second(root: Path):
    from loaders.harvest import Harvester

    catalog = Catalog(Settings(data_dir=root, base_iri="https://second.example.cn"),
                      EmbeddedStore(root / "store"))
    catalog.initialize()
    state = PrivateState(root / "private.sqlite")
    return catalog, state, Harvester(catalog, state)


def _own_triples(catalog: Catalog, dataset: str) -> set[ox.Triple]:
    """What a record says of its dataset, minus the parts each catalog adds itself."""
    record, _ = catalog.find_record(dataset)
    rec = ox.NamedNode(record)
    return {
        t for t in catalog.record_triples(record)
        if t.subject != rec and not t.subject.value.endswith("/catalog")
        and not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
    }


@pytest.mark.parametrize("kind, path", [
    ("dcat", "/catalog/feed?per_page=20"),
    ("oai", "/oai?metadataPrefix=dcat"),
])
def test_second_instance_holds_the_same_datasets(first, tmp_path: Path, kind: str,
                                                 path: str) -> None:
    origin, base = first
    catalog, state, harvester = _second(tmp_path)
    try:
        harvester.add("first", base + path, kind)
        report = harvester.run("first")
        assert report.status == "completed", report.source_errors
        assert report.failed == []
        assert catalog.stats()["datasets"] == origin.stats()["datasets"] == 70
        assert catalog.stats()["series"] == origin.stats()["series"]
        theirs = {ds for _r, ds in origin.records()}
        assert {ds for _r, ds in catalog.records()} == theirs
        for dataset in sorted(theirs)[::7]:
            missing = _own_triples(origin, dataset) - _own_triples(catalog, dataset)
            assert not missing, (dataset, sorted(map(str, missing))[:5])
        record, _ = catalog.find_record("https://hdcat.example.org/dataset/dm-complications-2020")
        provenance = {t.predicate.value for t in catalog.record_triples(record)}
        assert HDCAT + "harvestedFrom" in provenance
        again = harvester.run("first")
        assert again.counts()["unchanged"] == len(theirs)
        assert again.counts()["added"] == again.counts()["updated"] == 0
    finally:
        state.close()
        catalog.close()
