"""The audit chain: every write is logged with a canonical content hash, and `hdcat audit
verify` finds changes made behind the application's back."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from hdcat import audit, resources
from hdcat.audit import EMPTY, content_hash
from hdcat.catalog import Catalog
from hdcat.config import Settings

XSD = "http://www.w3.org/2001/XMLSchema#"
A, B, C = (ox.NamedNode(f"https://x.example.org/{n}") for n in "abc")


def test_hash_ignores_order_and_blank_node_labels() -> None:
    one = [ox.Triple(A, B, ox.BlankNode("x1")), ox.Triple(ox.BlankNode("x1"), C, ox.Literal("v"))]
    two = [ox.Triple(ox.BlankNode("q"), C, ox.Literal("v")), ox.Triple(A, B, ox.BlankNode("q"))]
    assert content_hash(one) == content_hash(two)
    assert content_hash(one) != content_hash([*one, ox.Triple(A, C, ox.Literal("w"))])
    assert content_hash([]) == EMPTY


def test_hash_compares_literals_as_the_store_keeps_them() -> None:
    written = [ox.Triple(A, B, ox.Literal("05", datatype=ox.NamedNode(XSD + "nonNegativeInteger"))),
               ox.Triple(A, C, ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal")))]
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("https://g")) for t in
                 written)
    stored = [q.triple for q in store]
    assert stored != written  # Oxigraph normalised them
    assert content_hash(stored) == content_hash(written)
    other = [ox.Triple(A, B, ox.Literal("6", datatype=ox.NamedNode(XSD + "integer"))), written[1]]
    assert content_hash(other) != content_hash(written)


def test_hash_is_the_sorted_distinct_lines_with_values_keyed() -> None:
    """The definition chains already written rely on: changing it would make every
    recorded graph look tampered with."""
    import hashlib

    triples = [ox.Triple(A, B, ox.Literal("05", datatype=ox.NamedNode(XSD + "integer"))),
               ox.Triple(A, B, ox.Literal('say "hi"\n', language="zh")),
               ox.Triple(A, C, B), ox.Triple(A, C, B)]
    lines = sorted({
        f'<{A.value}> <{B.value}> "5"^^<{XSD}integer> .',
        f'<{A.value}> <{B.value}> "say \\"hi\\"\\n"@zh .',
        f"<{A.value}> <{C.value}> <{B.value}> .",
    })
    expected = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    assert content_hash(triples) == expected
    in_a_graph = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("https://g"))
                  for t in triples]
    assert content_hash(in_a_graph) == expected  # the graph name is not part of it


KEYED_FORMS = [  # lexical forms of literals keyed by value, with whitespace, escapes, junk
    ("05", "integer"), (" 5\n", "nonNegativeInteger"), ("abc", "integer"), ('5"', "long"),
    ("-0", "int"), ("+7", "unsignedByte"), ("1.50", "decimal"), ("1.5\t", "decimal"),
    ("NaN", "double"), ("1e3", "double"), ("INF", "float"), ("true", "boolean"),
    (" true\n", "boolean"), ("1", "boolean"), ("yes", "boolean"),
    ("2024-01-01T00:00:00Z", "dateTime"), ("2024-01-01T08:00:00+08:00\r", "dateTime"),
    ("\\5", "integer"),
]
OTHER_OBJECTS = [  # objects whose text could be mistaken for a keyed literal or a blank node
    ox.Literal('x "5"^^<http://www.w3.org/2001/XMLSchema#integer> .'), ox.Literal("ends with "),
    ox.Literal("a\u2028b\x85c"), ox.Literal('"5"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ox.Literal("5", datatype=ox.NamedNode(XSD + "string")),
    ox.Literal("2024-01-01", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("数据", language="zh-Hans"), ox.NamedNode(XSD + "integer"),
]


def _hash_by_definition(triples: list) -> str:
    """content_hash written out plainly (no blank nodes): the sorted distinct lines."""
    import hashlib

    def text(o: object) -> str:
        keyed = isinstance(o, ox.Literal) and o.datatype.value in audit._KEYED
        return audit._literal_key(o) if keyed else str(o)

    lines = {f"{t.subject} {t.predicate} {text(t.object)} ." for t in triples}
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def test_hash_of_one_serialisation_is_the_hash_by_definition() -> None:
    """content_hash reads its lines off one N-Triples serialisation where it can; it must give
    the hash of the definition for every literal keyed by value and every look-alike."""
    other = [ox.Triple(A, C, o) for o in OTHER_OBJECTS]
    for lexical, datatype in KEYED_FORMS:
        literal = ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))
        triples = [ox.Triple(A, B, literal), ox.Triple(B, B, literal), *other]
        assert content_hash(triples) == _hash_by_definition(triples), (lexical, datatype)
        # read off the serialisation unless the lexical form is escaped there
        assert (audit._serialised_lines(triples) is None) == ("\\" in str(literal))
        in_a_graph = [ox.Quad(*t, ox.NamedNode("https://g")) for t in triples]
        assert content_hash(in_a_graph) == _hash_by_definition(triples)
        with_blank_look_alike = [*triples, ox.Triple(A, C, ox.Literal("_:b0 is no blank node"))]
        assert content_hash(with_blank_look_alike) == _hash_by_definition(with_blank_look_alike)
    demo = [q.triple for q in ox.parse(path=str(resources.demo_catalog()))]
    by_subject: dict = {}
    for t in demo:
        by_subject.setdefault(t.subject, []).append(t)
    described = [ts for ts in by_subject.values()
                 if not any(isinstance(t.object, ox.BlankNode) for t in ts)]
    assert len(described) > 100
    for triples in described:
        assert content_hash(triples) == _hash_by_definition(triples)


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    catalog = Catalog(Settings(data_dir=tmp_path / "data"))
    with audit.acting("tester", "init"):
        catalog.initialize(demo=True)
    yield catalog
    catalog.close()


def test_every_write_is_logged_and_verifies(catalog: Catalog) -> None:
    log = catalog.audit_log()
    assert log.verify(catalog.stored_graphs()) == []
    record, _ = catalog.find_record("https://hdcat.example.org/dataset/adult-tobacco-survey")
    trail = log.trail(record)
    assert trail and trail[-1].actor == "tester" and trail[-1].action == "init"
    with audit.acting("carol", "withdraw"):
        catalog.drop_records([record])
    last = log.trail(record)[-1]
    assert (last.actor, last.action, last.content) == ("carol", "withdraw", EMPTY)
    assert log.verify(catalog.stored_graphs()) == []


def test_verify_names_graphs_changed_outside(catalog: Catalog) -> None:
    record, ds = catalog.find_record("https://hdcat.example.org/dataset/adult-tobacco-survey")
    other, _ = catalog.find_record("https://hdcat.example.org/dataset/adr-reports-gd-2022")
    raw = catalog.store.oxigraph
    raw.add(ox.Quad(ds, ox.NamedNode("http://purl.org/dc/terms/title"),
                    ox.Literal("篡改", language="zh"), ox.NamedNode(record)))
    raw.remove_graph(ox.NamedNode(other))
    raw.add(ox.Quad(A, B, C, ox.NamedNode("https://evil.example.org/graph")))
    problems = {(p.kind, p.subject) for p in catalog.audit_log().verify(catalog.stored_graphs())}
    assert problems == {("changed", record), ("missing", other),
                        ("unrecorded", "https://evil.example.org/graph")}


def test_verify_finds_a_tampered_chain(catalog: Catalog) -> None:
    db = sqlite3.connect(catalog.settings.data_dir / "private.sqlite")
    db.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 3")
    db.commit()
    db.close()
    problems = catalog.audit_log().verify_chain()
    assert [(p.kind, p.subject) for p in problems] == [("chain", "entry 3")]


def test_cli_verify_exits_non_zero_naming_the_record(tmp_path: Path) -> None:
    data = tmp_path / "data"
    hdcat = [sys.executable, "-m", "hdcat.cli", "--data", str(data)]
    subprocess.run([*hdcat, "init", "--demo"], check=True, capture_output=True)
    ok = subprocess.run([*hdcat, "audit", "verify"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # A triple added directly to the store folder, with the application stopped.
    store = ox.Store(str(data / "store"))
    record = "https://hdcat.example.org/record/adult-tobacco-survey"
    store.add(ox.Quad(A, B, C, ox.NamedNode(record)))
    store.flush()
    del store
    bad = subprocess.run([*hdcat, "audit", "verify"], capture_output=True, text=True)
    assert bad.returncode == 1
    assert f"changed: {record}" in bad.stdout
    trail = subprocess.run([*hdcat, "audit", "trail", record], capture_output=True, text=True)
    assert "\tinit\t" in trail.stdout and "cli:" in trail.stdout


def test_role_change_is_in_the_chain(catalog: Catalog) -> None:
    from hdcat.accounts import Accounts

    accounts = Accounts(catalog.audit_log().state)
    accounts.add("erin", "long enough password", "submitter")
    accounts.set_role("erin", "curator", actor="admin")
    entry = catalog.audit_log().trail("account:erin")[-1]
    assert (entry.actor, entry.action) == ("admin", "role-change")
    assert accounts.get("erin").role == "curator"
    assert catalog.audit_log().verify(catalog.stored_graphs()) == []


def test_bulk_written_scores_and_counters_are_in_the_chain(catalog: Catalog) -> None:
    """Quality graphs of a whole-catalog recompute and use counters go to the store with the
    bulk loader (not through the write listeners); they are audited all the same."""
    from hdcat.quality import Quality, quality_graph
    from hdcat.usage import USAGE_SUFFIX, Usage

    datasets = [ds for _r, ds in catalog.records()]
    assert len(datasets) > 50  # more than one write each: the bulk path
    usage = Usage(catalog.private_state(), catalog.settings.data_dir)
    for i, ds in enumerate(datasets):
        usage.hit("view", ds, f"192.0.2.{i % 250}", "Mozilla/5.0 Firefox/120.0")
    with audit.acting("tester", "quality"):
        assert Quality(catalog).recompute(workers=0) == len(datasets)
        assert usage.publish(catalog) > 50
    log = catalog.audit_log()
    assert log.verify(catalog.stored_graphs()) == []
    record, _ = catalog.find_record("https://hdcat.example.org/dataset/adult-tobacco-survey")
    for graph in (quality_graph(record), record + USAGE_SUFFIX):
        trail = log.trail(graph)
        assert trail and trail[-1].action == "quality", graph
        assert trail[-1].content == content_hash(catalog.store.graph(graph))


def _interrupted(catalog: Catalog, graphs: dict[str, list[ox.Triple]]) -> None:
    """What a process killed between its store write and its audit entries leaves."""
    catalog._intents.note(graphs)  # noqa: SLF001 - the step before the store write
    catalog.store.replace_graphs(graphs)


def test_a_write_cut_short_by_a_kill_is_recorded_at_the_next_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    catalog = Catalog(Settings(data_dir=data))
    catalog.initialize(demo=True)
    record, _ = catalog.find_record("https://hdcat.example.org/dataset/adult-tobacco-survey")
    changed = [*catalog.record_triples(record),
               ox.Triple(A, B, ox.Literal("written, then killed"))]
    with audit.acting("harvester", "harvest"):
        _interrupted(catalog, {record: changed})
    # A note whose write never reached the store (killed before it) changes nothing.
    catalog._intents.note(["https://x.example.org/never-written"])  # noqa: SLF001
    catalog.close()

    tampered = Catalog(Settings(data_dir=data))
    tampered.store.replace_graphs({"https://x.example.org/behind-its-back": [
        ox.Triple(A, C, ox.Literal("no note"))]})
    tampered.close()

    reopened = Catalog(Settings(data_dir=data))
    try:
        log = reopened.audit_log()
        problems = log.verify(reopened.stored_graphs())
        # The interrupted write is recorded (for whom it was made); the change without a
        # note is still reported: a note is not a licence to write outside hdcat.
        assert [(p.kind, p.subject) for p in problems] == [
            ("unrecorded", "https://x.example.org/behind-its-back")]
        last = log.trail(record)[-1]
        assert (last.actor, last.action) == ("harvester", "harvest (interrupted)")
        assert last.content == content_hash(changed)
        assert log.trail("https://x.example.org/never-written") == []
        assert list((data / "audit-intents").glob("*.json")) == []
    finally:
        reopened.close()


def test_notes_are_removed_once_the_entries_are_committed(catalog: Catalog) -> None:
    record, _ = catalog.find_record("https://hdcat.example.org/dataset/adult-tobacco-survey")
    folder = catalog.settings.data_dir / "audit-intents"
    state = catalog.private_state()
    with state.transaction():  # a harvested page: entries committed with the page
        catalog.replace_shared("https://x.example.org/agent", [
            ox.Triple(A, B, ox.Literal("in a page"))])
        assert len(list(folder.glob("*.json"))) == 1
    assert list(folder.glob("*.json")) == []
    with pytest.raises(RuntimeError), state.transaction():  # a page that fails
        catalog.drop_records([record])
        raise RuntimeError("the page failed")
    assert len(list(folder.glob("*.json"))) == 1  # its entries were rolled back: kept


def test_notes_of_live_writers_are_left_alone(tmp_path: Path) -> None:
    """A note of another live process (a second web worker on the folder) or of another
    open catalog of this process is a write in flight: not recorded, not removed."""
    import json
    import subprocess
    import sys

    data = tmp_path / "data"
    first = Catalog(Settings(data_dir=data))
    first.initialize()
    graph = "https://x.example.org/in-flight"
    first._intents.note([graph])  # noqa: SLF001 - about to write, still open
    first.store.replace_graphs({graph: [ox.Triple(A, B, ox.Literal("v"))]})
    first.store.close()
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    folder = data / "audit-intents"
    try:
        other = folder / f"{worker.pid}-7-1.json"
        other.write_text(json.dumps({"actor": "w2", "action": "publish", "graphs": [graph]}))
        second = Catalog(Settings(data_dir=data))
        assert second.audit_log().trail(graph) == []
        assert other.exists() and len(list(folder.glob("*.json"))) == 2
        second.close()
    finally:
        worker.kill()
        worker.wait()
    first._intents.close()  # noqa: SLF001 - the first catalog is gone now
    third = Catalog(Settings(data_dir=data))
    try:
        trail = third.audit_log().trail(graph)
        assert len(trail) == 1 and trail[0].action.endswith("(interrupted)")
        assert list(folder.glob("*.json")) == []
    finally:
        third.close()
