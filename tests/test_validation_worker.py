"""Validation in worker processes: the same verdicts as in this process, whatever happens to
the workers."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from hdcat import validation_worker
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.terms import graph_to_triples
from hdcat.validation import Report, Result

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "hdcat" / "demo" / "demo-catalog.ttl"


def keys(results: list[Result]) -> list[tuple]:
    return sorted(r.key() for r in results)


def verdicts(reports: list[Report]) -> dict[str, list[tuple]]:
    return {r.subject: keys(r.results) for r in reports}


@pytest.fixture(scope="module")
def flawed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo catalog with violations of several kinds in a third of its datasets."""
    g = Graph().parse(DEMO)
    datasets = sorted(g.subjects(RDF.type, DCAT.Dataset))
    for i, ds in enumerate(datasets[::3]):
        if i % 3 == 0:
            g.remove((ds, DCTERMS.title, None))
        elif i % 3 == 1:
            g.remove((ds, DCAT.contactPoint, None))
        else:
            g.add((ds, DCTERMS.issued, Literal("last spring")))
            g.add((ds, DCAT.theme, URIRef("https://not.a.concept.example/x")))
    path = tmp_path_factory.mktemp("worker") / "flawed.ttl"
    g.serialize(path, format="turtle")
    return path


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    cat = Catalog(Settings(data_dir=tmp_path / "data"))
    cat.initialize()
    yield cat
    cat.close()


@pytest.mark.parametrize("level", ["full", "core"])
def test_workers_give_the_verdicts_this_process_gives(
    catalog: Catalog, flawed: Path, level: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hdcat.catalog.VALIDATION_GROUP", 7)  # several groups a worker
    monkeypatch.setattr(validation_worker, "POOL_MIN_RECORDS", 10**9)
    here = verdicts(catalog.validate_file(flawed, level=level))
    monkeypatch.setattr(validation_worker, "POOL_MIN_RECORDS", 1)
    there = verdicts(catalog.validate_file(flawed, level=level))
    assert there == here
    assert sum(1 for found in here.values() if any(k[4] == "Violation" for k in found)) >= 8
    # the workers did the judging and wait, alive, for the next batch
    assert validation_worker._idle
    assert all(w.process.poll() is None for w in validation_worker._idle)


def test_a_load_judged_by_workers_writes_what_one_judged_here_writes(
    tmp_path: Path, flawed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = {}
    for name, minimum in (("here", 10**9), ("workers", 1)):
        monkeypatch.setattr(validation_worker, "POOL_MIN_RECORDS", minimum)
        with Catalog(Settings(data_dir=tmp_path / name)) as cat:
            cat.initialize()
            report = cat.load([flawed])
            written[name] = (sorted(r.subject for r in report.refused), cat.count_records())
    assert written["workers"] == written["here"]
    assert written["here"][0]


def _groups() -> list[validation_worker.Group]:
    triples = list(graph_to_triples(Graph().parse(DEMO)))
    datasets = sorted({t.subject for t in triples
                       if t.predicate == ox.NamedNode(str(RDF.type))
                       and t.object == ox.NamedNode(str(DCAT.Dataset))}, key=str)
    return [(triples, set(datasets[i::4])) for i in range(4)]


def in_workers(groups: object) -> object:
    """judge_groups for a batch large enough to go to the workers."""
    return validation_worker.judge_groups(
        "full", groups, records=validation_worker.POOL_MIN_RECORDS)  # type: ignore[arg-type]


def test_a_worker_killed_midway_loses_no_verdict(caplog: pytest.LogCaptureFixture) -> None:
    groups = _groups()
    expected = [keys(validation_worker.judge("full", *g)) for g in groups]
    validation_worker.start("full")
    victims = list(validation_worker._idle)

    def feed() -> object:
        for i, group in enumerate(groups):
            yield group
            if i == 0:
                for worker in victims:
                    worker.process.kill()
                    worker.process.wait()

    got = [keys(r) for r in in_workers(feed())]
    assert got == expected
    assert "validated in this process" in caplog.text
    assert all(w not in validation_worker._idle for w in victims)
    # the next batch gets new workers
    again = [keys(r) for r in in_workers(groups)]
    assert again == expected


def test_a_batch_abandoned_midway_leaves_no_answer_for_the_next() -> None:
    groups = _groups()
    expected = [keys(validation_worker.judge("full", *g)) for g in groups]
    first = in_workers(groups)
    next(first)
    first.close()
    got = [keys(r) for r in in_workers(groups)]
    assert got == expected
