"""`hdcat backup DIR` and `hdcat restore DIR` (hdcat/backup.py), run as real processes on
real data folders: the snapshot (N-Quads of the store, the private state through SQLite's
online backup API, config and session key, a manifest with counts and SHA-256), a restore
that reproduces the same store (blank nodes compared up to isomorphism), the same audit chain
(`hdcat audit verify` passes) and the same private state, refusals (a non-empty target, a
damaged backup), and a backup taken while another process keeps publishing."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from hdcat.accounts import Accounts
from hdcat.backup import MANIFEST, STORE_FILE, read_manifest, sha256_file
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.identifiers import Identifiers
from hdcat.state import PrivateState
from hdcat.store import EmbeddedStore
from hdcat.workflow import Workflow
from tests.demo_copies import demo_copy

BASE = "https://hdcat.example.org"
SOURCE = f"{BASE}/dataset/adult-tobacco-survey"
DCT = "http://purl.org/dc/terms/"
PASSWORD = "backup-password-1"
CLI = [sys.executable, "-m", "hdcat.cli"]


def hdcat(data: Path, *args: str, check: bool = True,
          timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([*CLI, "--data", str(data), *args], capture_output=True, text=True,
                          timeout=timeout)
    if check:
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


def new_dataset(catalog: Catalog, iri: str, title: str) -> list[ox.Triple]:
    """A valid new dataset: a demo dataset's description under a new IRI and title."""
    return demo_copy(catalog, iri, title, title + " (en)")


def publish(flow: Workflow, owner, curator, iri: str, title: str) -> str:  # noqa: ANN001
    created = flow.create(owner, new_dataset(flow.catalog, iri, title), source="test")
    assert created.drafts, created.errors
    sid = created.drafts[0].id
    flow.act(sid, "submit", owner)
    flow.act(sid, "approve", curator)
    flow.act(sid, "publish", curator)
    return sid


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the demo, accounts and tokens, published, withdrawn, returned and
    draft submissions, an access request, a config file; closed (no process holds it)."""
    data = tmp_path_factory.mktemp("backup-source") / "data"
    data.mkdir()
    (data / "config.toml").write_text('cstr_centre = "BK001"\n', encoding="utf-8")
    catalog = Catalog.open(data)
    catalog.initialize(demo=True)
    from service.auth import _secret_key

    _secret_key(data)  # the session key a server makes on its first start
    state = PrivateState.of(data)
    accounts = Accounts(state)
    alice = accounts.add("alice", PASSWORD, "submitter")
    carol = accounts.add("carol", PASSWORD, "curator")
    accounts.issue_token("alice")
    accounts.set_role("alice", "submitter", actor="root")
    flow = Workflow(catalog, state)
    publish(flow, alice, carol, f"{BASE}/dataset/bk-published", "备份测试已发布")
    sid = publish(flow, alice, carol, f"{BASE}/dataset/bk-withdrawn", "备份测试撤回")
    flow.act(sid, "withdraw", carol, "测试撤回")
    draft = flow.create(alice, new_dataset(catalog, f"{BASE}/dataset/bk-draft", "草稿"),
                        source="test").drafts[0]
    flow.act(draft.id, "submit", alice)
    flow.act(draft.id, "return", carol, "请补充")
    from hdcat.access_requests import AccessRequests

    AccessRequests(state).add(f"{BASE}/dataset/adolescent-depression-screening", "王",
                              "某大学", "wang@univ.example", "研究")
    # A record with blank nodes (their labels are the store's own).
    bnode_ttl = data.parent / "bnodes.ttl"
    bnode_ttl.write_text(f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<{BASE}/dataset/bk-bnodes> a dcat:Dataset ; dct:title "空白节点"@zh ;
  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2020-01-01" ] ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://example.org/a> ] .
""", encoding="utf-8")
    report = catalog.load([bnode_ttl], validate=False)
    assert report.ok
    assert catalog.search_index().count() > 70
    state.close()
    catalog.close()
    assert hdcat(data, "audit", "verify").returncode == 0
    return data


def _quads(data: Path) -> list[ox.Quad]:
    store = EmbeddedStore(data / "store", read_only=True)
    try:
        return list(store.quads())
    finally:
        store.close()


def _by_graph(quads: list[ox.Quad]) -> dict[str, Graph]:
    def term(node: object) -> object:
        if isinstance(node, ox.BlankNode):
            return BNode(node.value)
        if isinstance(node, ox.NamedNode):
            return URIRef(node.value)
        return Literal(node.value, lang=node.language,
                       datatype=None if node.language else URIRef(node.datatype.value))

    graphs: dict[str, Graph] = {}
    for q in quads:
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        graphs.setdefault(name, Graph()).add((term(q.subject), URIRef(q.predicate.value),
                                              term(q.object)))
    return graphs


def assert_same_store(a: Path, b: Path) -> None:
    """The same quads; graphs with blank nodes compared up to isomorphism."""
    qa, qb = _quads(a), _quads(b)
    assert len(qa) == len(qb)
    ground_a = {q for q in qa if not _has_bnode(q)}
    ground_b = {q for q in qb if not _has_bnode(q)}
    assert ground_a == ground_b
    ga, gb = _by_graph([q for q in qa if _has_bnode(q)]), _by_graph(
        [q for q in qb if _has_bnode(q)])
    assert ga.keys() == gb.keys()
    for name in ga:
        assert isomorphic(ga[name], gb[name]), name


def _has_bnode(q: ox.Quad) -> bool:
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)


def _rows(db: Path, table: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return sorted(con.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
    finally:
        con.close()


def _tables(db: Path) -> list[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"))
    finally:
        con.close()


# --------------------------------------------------------------------------- the snapshot


@pytest.fixture(scope="module")
def backup_dir(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("backups") / "one"
    done = hdcat(source, "backup", str(target))
    assert "audit entries" in done.stdout
    return target


def test_backup_folder_and_manifest(source: Path, backup_dir: Path) -> None:
    manifest = read_manifest(backup_dir)
    names = {e["path"] for e in manifest["files"]}
    assert names == {STORE_FILE, "private.sqlite", "files/config.toml", "files/secret_key"}
    for entry in manifest["files"]:
        path = backup_dir / entry["path"]
        assert path.stat().st_size == entry["bytes"]
        assert sha256_file(path) == entry["sha256"]
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, entry["path"]  # secrets inside
    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700
    # Counts: every quad and graph of the store, every row of the private state.
    quads = _quads(source)
    assert manifest["store"]["quads"] == len(quads)
    assert manifest["store"]["graphs"] == len({q.graph_name for q in quads
                                               if isinstance(q.graph_name, ox.NamedNode)})
    dumped = set(ox.parse(path=str(backup_dir / STORE_FILE), format=ox.RdfFormat.N_QUADS))
    assert dumped == set(quads)
    tables = manifest["databases"]["private.sqlite"]["tables"]
    for table in ("account", "api_token", "submission", "transition", "tombstone", "audit",
                  "identifier", "identifier_serial", "access_request"):
        assert tables[table] == len(_rows(source / "private.sqlite", table)) > 0, table
    assert manifest["audit"]["entries"] == tables["audit"]
    assert manifest["audit"]["problems"] == [] and manifest["audit"]["verified"]
    # The backup's database is a complete file (no -wal beside it) with the same rows.
    assert not list(backup_dir.glob("*-wal")) and not list(backup_dir.glob("*-shm"))
    for table in _tables(source / "private.sqlite"):
        assert _rows(backup_dir / "private.sqlite", table) == _rows(
            source / "private.sqlite", table), table
    # Not kept: the search index (rebuilt) and any daily visitor key.
    assert not (backup_dir / "search.sqlite").exists()
    assert not any("usage-keys" in n for n in names)


def test_restore_reproduces_store_audit_chain_and_private_state(
        source: Path, backup_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "restored"
    done = hdcat(target, "restore", str(backup_dir))
    assert "audit chain and store agree" in done.stdout, done.stdout + done.stderr
    verify = hdcat(target, "audit", "verify")
    assert "audit chain and store agree" in verify.stdout
    assert_same_store(source, target)
    for table in _tables(source / "private.sqlite"):
        assert _rows(target / "private.sqlite", table) == _rows(
            source / "private.sqlite", table), table
    assert (target / "config.toml").read_bytes() == (source / "config.toml").read_bytes()
    assert (target / "secret_key").read_bytes() == (source / "secret_key").read_bytes()
    assert stat.S_IMODE((target / "secret_key").stat().st_mode) == 0o600
    # The public export is identical (blank nodes up to isomorphism), and so is a search.
    exports = []
    for data in (source, target):
        out = data.parent / f"{data.name}-export.nq"
        hdcat(data, "export", "--format", "nq", "-o", str(out))
        exports.append(list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)))
    assert {q for q in exports[0] if not _has_bnode(q)} == {
        q for q in exports[1] if not _has_bnode(q)}
    ea, eb = (_by_graph([q for q in e if _has_bnode(q)]) for e in exports)
    assert ea.keys() == eb.keys() and all(isomorphic(ea[k], eb[k]) for k in ea)
    for data in (source, target):
        catalog = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store",
                                                                 read_only=True))
        try:
            hits = catalog.search_index().search("备份测试")
            found = {h.record for h in hits.hits}
            assert f"{BASE}/record/bk-published" in found
            assert f"{BASE}/record/bk-withdrawn" not in found
        finally:
            catalog.close()
    # The restored folder works: the tokens, the identifiers, the workflow go on.
    catalog = Catalog.open(target)
    try:
        state = PrivateState.of(target)
        assert Accounts(state).login("alice", PASSWORD) is not None
        ids = Identifiers(state).of_dataset(f"{BASE}/dataset/bk-published")
        assert {r.kind for r in ids} == {"cstr", "doi"} and "BK001" in ids[0].id
        flow = Workflow(catalog, state)
        carol = Accounts(state).get("carol")
        publish(flow, Accounts(state).get("alice"), carol, f"{BASE}/dataset/bk-after",
                "恢复后发布")
        serials = [r.id for r in Identifiers(state).all() if r.kind == "cstr"
                   and r.origin == "minted"]
        assert len(serials) == len(set(serials))
        state.close()
    finally:
        catalog.close()
    assert hdcat(target, "audit", "verify").returncode == 0


def test_restore_refuses_a_non_empty_folder_unless_forced(backup_dir: Path,
                                                          tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "something").write_text("keep me")
    done = hdcat(target, "restore", str(backup_dir), check=False)
    assert done.returncode != 0 and "not empty" in done.stderr
    assert (target / "something").read_text() == "keep me"
    assert not (target / "store").exists()
    done = hdcat(target, "restore", "--force", str(backup_dir))
    assert not (target / "something").exists()
    assert hdcat(target, "audit", "verify").returncode == 0


def test_restore_refuses_a_damaged_backup(backup_dir: Path, tmp_path: Path) -> None:
    import shutil

    damaged = tmp_path / "damaged"
    shutil.copytree(backup_dir, damaged)
    with (damaged / STORE_FILE).open("r+b") as f:
        f.seek(100)
        byte = f.read(1)
        f.seek(100)
        f.write(bytes([byte[0] ^ 0x20]))
    target = tmp_path / "from-damaged"
    done = hdcat(target, "restore", str(damaged), check=False)
    assert done.returncode != 0 and "damaged" in done.stderr and STORE_FILE in done.stderr
    assert not target.exists() or not any(target.iterdir())
    (damaged / MANIFEST).unlink()
    done = hdcat(target, "restore", str(damaged), check=False)
    assert done.returncode != 0 and "not a (complete) hdcat backup" in done.stderr


def test_backup_refuses_bad_targets(source: Path, backup_dir: Path, tmp_path: Path) -> None:
    done = hdcat(source, "backup", str(source / "inside"), check=False)
    assert done.returncode != 0 and "inside the data folder" in done.stderr
    other = tmp_path / "other"
    other.mkdir()
    (other / "file").write_text("x")
    done = hdcat(source, "backup", "--force", str(other), check=False)
    assert done.returncode != 0 and "holds no backup" in done.stderr
    assert (other / "file").exists()
    done = hdcat(source, "backup", str(backup_dir), check=False)
    assert done.returncode != 0 and "not empty" in done.stderr
    copy = tmp_path / "copy"
    hdcat(source, "backup", str(copy))
    before = read_manifest(copy)["created"]
    time.sleep(1.1)
    hdcat(source, "backup", "--force", str(copy))
    assert read_manifest(copy)["created"] != before


def test_restore_reports_a_tampered_store(source: Path, tmp_path: Path) -> None:
    """A triple added to the store behind hdcat's back is in the backup's manifest as an
    audit problem, and the restore says so instead of hiding it."""
    import shutil

    data = tmp_path / "tampered"
    shutil.copytree(source, data)
    store = EmbeddedStore(data / "store")
    store.bulk_extend([ox.Quad(ox.NamedNode(f"{BASE}/dataset/bk-published"),
                               ox.NamedNode(DCT + "title"), ox.Literal("篡改"),
                               ox.NamedNode(f"{BASE}/record/bk-published"))])
    store.close()
    target = tmp_path / "tampered-backup"
    done = hdcat(data, "backup", str(target))
    problems = read_manifest(target)["audit"]["problems"]
    assert [p["subject"] for p in problems] == [f"{BASE}/record/bk-published"]
    assert "audit changed" in done.stderr
    restored = tmp_path / "tampered-restored"
    done = hdcat(restored, "restore", str(target))  # known problems: reported, exit 0
    verify = hdcat(restored, "audit", "verify", check=False)
    assert verify.returncode == 1 and "changed" in verify.stdout


# --------------------------------------------------------------------------- while writing


@pytest.fixture
def busy(source: Path, tmp_path: Path) -> Iterator[tuple[Path, threading.Event, list[str]]]:
    """A copy of the source folder open in this process, where a thread keeps publishing
    datasets (store + private state writes) until told to stop."""
    import shutil

    data = tmp_path / "busy-data"
    shutil.copytree(source, data)
    catalog = Catalog.open(data)
    state = PrivateState.of(data)
    flow = Workflow(catalog, state)
    accounts = Accounts(state)
    alice, carol = accounts.get("alice"), accounts.get("carol")
    stop = threading.Event()
    published: list[str] = []
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            n = 0
            while not stop.is_set():
                n += 1
                iri = f"{BASE}/dataset/bk-live-{n:03d}"
                publish(flow, alice, carol, iri, f"写入中 {n}")
                published.append(iri)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield data, stop, published
    finally:
        stop.set()
        thread.join(timeout=120)
        state.close()
        catalog.close()
    assert not errors, errors


@pytest.mark.slow
def test_backup_while_another_process_writes(busy, tmp_path: Path) -> None:
    """The backup runs as its own process beside the writing one (the store opened
    read-only), and still gives a snapshot whose audit chain verifies after a restore."""
    data, stop, published = busy
    deadline = time.monotonic() + 60
    while len(published) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(published) >= 2
    targets = []
    for i in range(2):
        target = tmp_path / f"live-backup-{i}"
        done = hdcat(data, "backup", str(target))
        targets.append(target)
        assert "attempt" in done.stderr
    stop.set()
    time.sleep(0.5)
    for target in targets:
        manifest = read_manifest(target)
        assert manifest["audit"]["problems"] == [], manifest["audit"]
        restored = tmp_path / f"{target.name}-restored"
        done = hdcat(restored, "restore", str(target))
        assert "audit chain and store agree" in done.stdout
        assert hdcat(restored, "audit", "verify").returncode == 0
        # Every dataset whose publication is recorded as finished is in the snapshot, with
        # its minted CSTR; the snapshot holds no dataset the chain does not know.
        state = PrivateState.of(restored)
        try:
            done_subs = state.rows("SELECT dataset FROM submission WHERE state = 'published'")
            minted = {r["dataset"]: r["id"] for r in state.rows(
                "SELECT dataset, id FROM identifier WHERE kind = 'cstr'")}
        finally:
            state.close()
        catalog = Catalog(Settings(data_dir=restored), EmbeddedStore(restored / "store",
                                                                     read_only=True))
        try:
            in_store = {ds for _rec, ds in catalog.records()}
            for row in done_subs:
                assert row["dataset"] in in_store, row
            for iri in in_store & set(published):
                assert iri in minted, iri  # identifiers are minted before the record is written
        finally:
            catalog.close()
    assert json.loads((targets[0] / MANIFEST).read_text())["format"] == "hdcat-backup/1"
    assert os.path.exists(targets[1] / STORE_FILE)
