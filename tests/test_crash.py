"""kill -9 at random points (issue #9): real `hdcat` processes are killed with SIGKILL during a
load, a harvest and a run of publications, with several seeds; after the restart the store
and the private state are consistent:

* every graph in the store is complete: equal to the graph an uninterrupted run writes (no
  half-written record), or absent;
* identifiers: every dataset has at most one minted CSTR and DOI, no serial is used twice,
  none is skipped, and a published dataset states exactly the CSTR minted for it;
* a submission recorded as published has its record in the store;
* `hdcat audit verify` passes right after the kill: a write killed between the store and its
  audit entries left a note (DATA/audit-intents) from which the next open records it (the
  number so recorded is printed per run);
* running the same operation again completes the work, after which everything is there and
  `hdcat audit verify` still passes.

What a kill can leave, and is healed by running the operation again (the tests check it): a
published record whose submission still says 'approved'.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from hdcat.accounts import Accounts
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.state import PrivateState
from hdcat.store import EmbeddedStore
from hdcat.workflow import Workflow
from tests.demo_copies import demo_copy

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://hdcat.example.org"
SOURCE = f"{BASE}/dataset/adult-tobacco-survey"
DCT = "http://purl.org/dc/terms/"
HDCAT = "https://w3id.org/hdcat/ns#"
CLI = [sys.executable, "-m", "hdcat.cli"]
SEEDS = [11, 23, 37]
pytestmark = pytest.mark.slow


def hdcat(data: Path, *args: str, check: bool = True, timeout: float = 900,
          ) -> subprocess.CompletedProcess:
    done = subprocess.run([*CLI, "--data", str(data), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)
    if check:
        assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done


def start(data: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "--data", str(data), *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True)


def kill(proc: subprocess.Popen) -> bool:
    """SIGKILL the process (and its session); whether it was still running."""
    running = proc.poll() is None
    if running:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return running


def _size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):  # a file RocksDB just removed
            total += path.stat().st_size
    return total


def kill_when_writing(proc: subprocess.Popen, data: Path, rng: random.Random,
                      at_most: float = 0.3) -> bool:
    """Kill the process a random moment (0 to `at_most` s) after its store starts growing:
    inside the write, wherever that falls in the run."""
    store = data / "store"
    start = _size(store)
    deadline = time.monotonic() + 600
    while proc.poll() is None and _size(store) == start and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(rng.uniform(0.0, at_most))
    return kill(proc)


def graphs(data: Path) -> dict[str, frozenset]:
    """Every named graph of a closed data folder's store, as a set of triples."""
    store = EmbeddedStore(data / "store", read_only=True)
    try:
        out: dict[str, set] = {}
        for q in store.quads():
            name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            out.setdefault(name, set()).add(q.triple)
        return {k: frozenset(v) for k, v in out.items()}
    finally:
        store.close()


def audit_problems(data: Path) -> list[str]:
    done = hdcat(data, "audit", "verify", check=False)
    return [line for line in done.stdout.splitlines() if ":" in line
            and not line.startswith("audit chain")]


def interrupted(data: Path) -> int:
    """Audit entries recorded at an open from the notes a killed write left."""
    state = PrivateState.of(data)
    try:
        return len(state.rows("SELECT seq FROM audit WHERE action LIKE '%(interrupted)'"))
    finally:
        state.close()


def assert_complete(killed: dict[str, frozenset], reference: dict[str, frozenset],
                    normalise=None) -> None:  # noqa: ANN001
    """Every graph of the killed run is one the uninterrupted run wrote, whole."""
    norm = normalise or (lambda _name, triples: triples)
    for name, triples in killed.items():
        assert name in reference, f"graph {name} is not one the load writes"
        got, want = norm(name, triples), norm(name, reference[name])
        assert got == want, (f"graph {name} is half written: {len(got)} of {len(want)} triples"
                             f"; missing e.g. {sorted(map(str, want - got))[:3]}")


# --------------------------------------------------------------------------- load


@pytest.fixture(scope="module")
def load_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("crash-load-files")
    out = {}
    for name, n in (("small", 300), ("bulk", 5400)):
        path = folder / f"syn-{n}.nt"
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(n), "-o",
                        str(path)], check=True, capture_output=True, timeout=300)
        out[name] = path
    return out


@pytest.fixture(scope="module")
def empty_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("crash-empty") / "data"
    hdcat(data, "init")
    return data


LOADS = {
    # the 300 records are validated, then written in one transaction
    "validated": ("small", ["load", "--quiet", "--no-progress"]),
    # 5400 records unvalidated: Oxigraph's bulk loader, in chunks of 5000
    "bulk": ("bulk", ["load", "--no-validate", "--quiet", "--no-progress"]),
}


@pytest.fixture(scope="module")
def load_reference(load_files: dict[str, Path], empty_folder: Path,
                   tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """The store after each load, uninterrupted."""
    out = {}
    for kind, (file, args) in LOADS.items():
        data = tmp_path_factory.mktemp(f"crash-ref-{kind}") / "data"
        shutil.copytree(empty_folder, data)
        began = time.monotonic()
        hdcat(data, *args, str(load_files[file]))
        out[kind] = {"graphs": graphs(data), "seconds": time.monotonic() - began}
    return out


@pytest.mark.parametrize(("kind", "seed"), [
    *(("validated", seed) for seed in SEEDS), *(("bulk", seed) for seed in SEEDS[::2])])
def test_load_killed(kind: str, seed: int, load_files: dict[str, Path], empty_folder: Path,
                     load_reference: dict[str, dict], tmp_path: Path) -> None:
    file, args = LOADS[kind]
    reference = load_reference[kind]["graphs"]
    data = tmp_path / "data"
    shutil.copytree(empty_folder, data)
    rng = random.Random(seed)
    before = graphs(data)
    proc = start(data, *args, str(load_files[file]))
    if kind == "validated":
        # The records are written at the end, in one transaction: kill inside that write.
        was_running = kill_when_writing(proc, data, rng, at_most=rng.choice([0.3, 1.5, 4.0]))
    else:
        # A random point of the run: the uninterrupted load took `seconds` (start-up
        # included), its chunks are written all along.
        time.sleep(rng.uniform(0.35, 0.95) * load_reference[kind]["seconds"])
        was_running = kill(proc)
    after = graphs(data)
    # Nothing half written: every graph is the reference's (or the shipped one, untouched).
    assert_complete({k: v for k, v in after.items() if k not in before or v != before[k]},
                    reference)
    written = [k for k in after if k not in before]
    assert audit_problems(data) == []
    print(f"\n{kind} seed {seed}: killed={was_running}, {len(written)} graphs written, "
          f"{interrupted(data)} recorded from the notes of the interrupted write")
    # Running the load again completes it; the audit chain then agrees with the store.
    hdcat(data, *args, str(load_files[file]))
    assert graphs(data) == reference
    assert audit_problems(data) == []


# --------------------------------------------------------------------------- harvest


class Source:
    """A paged DCAT source on 127.0.0.1: N datasets, `size` a page, each page slow."""

    def __init__(self, count: int, size: int = 5, delay: float = 0.25) -> None:
        self.count, self.size, self.delay = count, size, delay
        self.hits = 0

    def page(self, n: int, base: str) -> bytes:
        ids = range((n - 1) * self.size, min(n * self.size, self.count))
        pages = -(-self.count // self.size)
        out = ["@prefix dcat: <http://www.w3.org/ns/dcat#> .",
               "@prefix dct: <http://purl.org/dc/terms/> .",
               "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .",
               f'<{base}/catalog> a dcat:Catalog ; dct:title "Crash source"@en .']
        for i in ids:
            ds = f"https://crash.example.org/dataset/{i}"
            out += [f"<{base}/catalog> dcat:dataset <{ds}> .",
                    f'<{ds}> a dcat:Dataset ; dct:title "Crash dataset {i}"@en ;'
                    f' dct:description "Dataset {i} of the crash source."@en ;'
                    f' dct:identifier "crash-{i}" ; dcat:keyword "crash", "k{i % 7}" ;'
                    f" dcat:distribution <{ds}/csv> .",
                    f"<{ds}/csv> a dcat:Distribution ; dcat:accessURL <{ds}/csv/file> ;"
                    f' dct:title "CSV {i}"@en .']
        view = f"<{base}/page/{n}> a hydra:PartialCollectionView ; hydra:totalItems {self.count}"
        if n < pages:
            view += f" ; hydra:next <{base}/page/{n + 1}>"
        return "\n".join([*out, view + " ."]).encode()


@pytest.fixture(scope="module")
def source() -> Iterator[tuple[str, Source]]:
    src = Source(60)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            n = int(self.path.rsplit("/", 1)[1])
            src.hits += 1
            time.sleep(src.delay)
            body = src.page(n, f"http://127.0.0.1:{self.server.server_port}")
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", src
    httpd.shutdown()


@pytest.fixture(scope="module")
def harvest_folder(empty_folder: Path, source: tuple[str, Source],
                   tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("crash-harvest") / "data"
    shutil.copytree(empty_folder, data)
    hdcat(data, "harvest", "add", "crash", f"{source[0]}/page/1", "--kind", "dcat")
    return data


VOLATILE = {HDCAT + "harvestedAt", HDCAT + "harvestRun", DCT + "modified", DCT + "issued"}


def _stable(_name: str, triples: frozenset) -> frozenset:
    """A harvested graph without what changes from run to run (times, run numbers)."""
    return frozenset(t for t in triples if t.predicate.value not in VOLATILE)


@pytest.fixture(scope="module")
def harvest_reference(harvest_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    data = tmp_path_factory.mktemp("crash-harvest-ref") / "data"
    shutil.copytree(harvest_folder, data)
    hdcat(data, "harvest", "run", "crash")
    return graphs(data)


@pytest.mark.parametrize("seed", SEEDS)
def test_harvest_killed(seed: int, harvest_folder: Path, harvest_reference: dict,
                        source: tuple[str, Source], tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(harvest_folder, data)
    before = graphs(data)
    rng = random.Random(seed)
    _base, src = source
    pages = -(-src.count // src.size)
    hits = src.hits
    proc = start(data, "harvest", "run", "crash")
    # A random point: after page k was asked for (k of 12), a random part of a page later.
    k = rng.randint(1, pages - 2)
    deadline = time.monotonic() + 120
    while src.hits - hits < k and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, 2 * src.delay))
    was_running = kill(proc)
    after = graphs(data)
    changed = {k: v for k, v in after.items() if k not in before or v != before[k]}
    assert_complete(changed, harvest_reference, _stable)
    assert audit_problems(data) == []
    print(f"\nharvest seed {seed}: killed={was_running}, {len(changed)} graphs written, "
          f"{interrupted(data)} recorded from the notes of the interrupted write")
    state = PrivateState.of(data)
    try:
        remembered = {r["dataset"] for r in state.rows("SELECT dataset FROM harvested")}
    finally:
        state.close()
    catalog = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store", read_only=True))
    try:
        in_store = {ds for _rec, ds in catalog.records()}
    finally:
        catalog.close()
    # What the private state says was delivered is in the store (it is noted after the write).
    assert remembered <= in_store
    # The next run completes the harvest.
    hdcat(data, "harvest", "run", "crash")
    final = graphs(data)
    assert {k: _stable(k, v) for k, v in final.items()} == {
        k: _stable(k, v) for k, v in harvest_reference.items()}
    assert audit_problems(data) == []
    state = PrivateState.of(data)
    try:
        statuses = [r.status for r in state.runs("crash")]
    finally:
        state.close()
    assert statuses[0] == "completed"
    if was_running:
        assert "interrupted" in statuses[1:]


# --------------------------------------------------------------------------- publication


N_DRAFTS = 8
PASSWORD = "crash-password-1"


def _new_dataset(catalog: Catalog, iri: str, title: str) -> list[ox.Triple]:
    return demo_copy(catalog, iri, title, title + " (en)")


@pytest.fixture(scope="module")
def approved_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The demo with N approved submissions waiting for publication; their ids."""
    data = tmp_path_factory.mktemp("crash-publish") / "data"
    catalog = Catalog.open(data)
    catalog.initialize(demo=True)
    state = PrivateState.of(data)
    accounts = Accounts(state)
    owner = accounts.add("crash-owner", PASSWORD, "submitter")
    curator = accounts.add("crash-curator", PASSWORD, "curator")
    flow = Workflow(catalog, state)
    sids = []
    for i in range(N_DRAFTS):
        created = flow.create(owner, _new_dataset(catalog, f"{BASE}/dataset/crash-{i}",
                                                  f"崩溃测试 {i}"), source="test")
        sid = created.drafts[0].id
        flow.act(sid, "submit", owner)
        flow.act(sid, "approve", curator)
        sids.append(sid)
    state.close()
    catalog.close()
    return data, sids


LOOP = """
import sys
from hdcat.cli import main
data, sids = sys.argv[1], sys.argv[2:]
for sid in sids:
    try:
        main(["--data", data, "submissions", "act", sid, "publish", "--as", "crash-curator"],
             standalone_mode=False)
    except SystemExit:
        pass
    print("published", sid, flush=True)
"""


def _publication_state(data: Path) -> dict:
    state = PrivateState.of(data)
    try:
        subs = {r["id"]: (r["dataset"], r["state"]) for r in state.rows(
            "SELECT id, dataset, state FROM submission")}
        minted = state.rows("SELECT id, kind, dataset, origin FROM identifier"
                            " WHERE origin = 'minted'")
        serial = state.rows("SELECT centre, month, last FROM identifier_serial")
    finally:
        state.close()
    return {"subs": subs, "minted": minted, "serial": serial}


def _check_identifiers(data: Path, sids: list[str]) -> tuple[dict, dict]:
    """The identifier invariants; (dataset -> minted CSTR, dataset -> CSTRs in the store)."""
    info = _publication_state(data)
    cstrs: dict[str, list[str]] = {}
    dois: dict[str, list[str]] = {}
    for row in info["minted"]:
        (cstrs if row["kind"] == "cstr" else dois).setdefault(row["dataset"], []).append(
            row["id"])
    assert all(len(v) == 1 for v in cstrs.values()), cstrs  # never minted twice
    assert all(len(v) == 1 for v in dois.values()), dois
    assert set(cstrs) == set(dois)  # minted in pairs, in one transaction
    serials = sorted(int(v[0].rsplit(".", 1)[1]) for v in cstrs.values())
    assert serials == list(range(1, len(serials) + 1)), serials  # none used twice or skipped
    last = sum(r["last"] for r in info["serial"])
    assert last == len(serials), (last, serials)
    catalog = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store", read_only=True))
    try:
        stated: dict[str, list[str]] = {}
        for sid in sids:
            dataset, _state = info["subs"][sid]
            found = catalog.find_record(dataset)
            if found is None:
                continue
            stated[dataset] = [t.object.value for t in catalog.record_triples(found[0])
                               if t.subject.value == dataset
                               and t.predicate.value == DCT + "identifier"
                               and t.object.value.startswith("CSTR:")]
    finally:
        catalog.close()
    for dataset, values in stated.items():
        assert values == cstrs[dataset], (dataset, values, cstrs.get(dataset))
    for sid in sids:
        dataset, state = info["subs"][sid]
        if state == "published":
            assert dataset in stated, f"{sid} is published but its record is not in the store"
    return {d: v[0] for d, v in cstrs.items()}, stated


@pytest.mark.parametrize("seed", SEEDS)
def test_publication_killed(seed: int, approved_folder: tuple[Path, list[str]],
                            tmp_path: Path) -> None:
    template, sids = approved_folder
    data = tmp_path / "data"
    shutil.copytree(template, data)
    rng = random.Random(seed)
    proc = subprocess.Popen([sys.executable, "-u", "-c", LOOP, str(data), *sids], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    # A random point: after k publications, a random part of the next one.
    k = rng.randint(1, N_DRAFTS - 2)
    done = 0
    while done < k and proc.poll() is None:
        line = proc.stdout.readline()
        done += line.startswith(b"published")
    time.sleep(rng.uniform(0.0, 0.5))
    was_running = kill(proc)
    proc.stdout.close()
    minted, stated = _check_identifiers(data, sids)
    states = {sid: _publication_state(data)["subs"][sid][1] for sid in sids}
    assert audit_problems(data) == []
    half = [sid for sid in sids if states[sid] == "approved"
            and _publication_state(data)["subs"][sid][0] in stated]
    print(f"\npublish seed {seed}: killed={was_running}, {len(stated)} records in the store, "
          f"{len(minted)} minted, {sum(s == 'published' for s in states.values())} marked "
          f"published, {len(half)} written but still 'approved', {interrupted(data)} recorded from "
          "the notes of the interrupted write")
    # Publishing what is left completes the work; the identifiers minted before the kill are
    # the ones the datasets keep.
    for sid in sids:
        if states[sid] == "approved":
            hdcat(data, "submissions", "act", sid, "publish", "--as", "crash-curator")
    final_minted, final_stated = _check_identifiers(data, sids)
    assert {d: final_minted[d] for d in minted} == minted
    assert len(final_stated) == N_DRAFTS
    assert all(_publication_state(data)["subs"][sid][1] == "published" for sid in sids)
    assert audit_problems(data) == []
