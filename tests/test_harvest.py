"""Harvesting a paged DCAT source served on 127.0.0.1: incremental runs, withdrawals,
failures, one dataset from two sources, and a run killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.state import PrivateState
from hdcat.store import EmbeddedStore

HDCAT = "https://w3id.org/hdcat/ns#"


class Source:
    """A DCAT catalog of N datasets in pages of `size`, linked with hydra:next."""

    def __init__(self, prefix: str, count: int, size: int = 5) -> None:
        self.prefix = prefix
        self.size = size
        self.titles = {i: f"Dataset {prefix} number {i}" for i in range(count)}
        self.doi: dict[int, str] = {}
        self.broken_page: int | None = None
        self.delay_page: tuple[int, float] | None = None
        self.hits = 0

    def page(self, n: int, base: str) -> bytes:
        ids = sorted(self.titles)
        chunk = ids[(n - 1) * self.size : n * self.size]
        pages = max(1, -(-len(ids) // self.size))
        out = [
            "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
            "@prefix dct: <http://purl.org/dc/terms/> .",
            "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .",
            f"<{base}/catalog> a dcat:Catalog ; dct:title \"Source {self.prefix}\"@en ;",
            '  dct:description "A test source."@en .',
        ]
        for i in chunk:
            ds = f"https://{self.prefix}.example.org/dataset/{i}"
            out.append(f"<{base}/catalog> dcat:dataset <{ds}> .")
            out.append(
                f"<{ds}> a dcat:Dataset ; dct:title \"{self.titles[i]}\"@en ;"
                f" dct:description \"Description of {i}.\"@en ;"
                f" dct:identifier \"{self.doi.get(i, ds)}\" ;"
                f" dcat:distribution <{ds}/csv> ."
            )
            out.append(f"<{ds}/csv> a dcat:Distribution ; dcat:accessURL <{ds}/csv/file> .")
        view = f"<{base}/page/{n}> a hydra:PartialCollectionView ; hydra:totalItems {len(ids)}"
        if n < pages:
            view += f" ; hydra:next <{base}/page/{n + 1}>"
        out.append(view + " .")
        return "\n".join(out).encode("utf-8")


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, Source]]]:
    sources: dict[str, Source] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            _, name, _, number = self.path.split("/")
            source = sources[name]
            n = int(number)
            source.hits += 1
            if source.delay_page and source.delay_page[0] == n:
                time.sleep(source.delay_page[1])
            if source.broken_page == n:
                self.send_error(500, "broken page")
                return
            body = source.page(n, f"http://127.0.0.1:{self.server.server_port}/{name}")
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", sources
    httpd.shutdown()


@pytest.fixture
def harvester(tmp_path: Path):
    from loaders.harvest import Harvester

    catalog = Catalog(Settings(data_dir=tmp_path), EmbeddedStore(tmp_path / "store"))
    catalog.initialize()
    state = PrivateState(tmp_path / "private.sqlite")
    yield Harvester(catalog, state)
    state.close()
    catalog.close()


def _add(harvester, server, name: str, count: int) -> Source:
    base, sources = server
    sources[name] = Source(name, count)
    harvester.add(name, f"{base}/{name}/page/1", "dcat")
    return sources[name]


def _datasets(catalog: Catalog) -> set[str]:
    return {ds for _rec, ds in catalog.records()}


def test_first_run_adds_everything_with_provenance(harvester, server) -> None:
    _add(harvester, server, "alpha", 12)
    report = harvester.run("alpha")
    assert report.status == "completed" and report.pages == 3
    assert report.counts() == {"added": 12, "updated": 0, "unchanged": 0, "withdrawn": 0,
                               "failed": 0}
    catalog = harvester.catalog
    assert _datasets(catalog) == {f"https://alpha.example.org/dataset/{i}" for i in range(12)}
    rec, _ = catalog.find_record("https://alpha.example.org/dataset/3")
    triples = catalog.record_triples(rec)
    preds = {t.predicate.value for t in triples if t.subject.value == rec}
    assert {HDCAT + "harvestedFrom", HDCAT + "harvestedAt", HDCAT + "harvestRun",
            HDCAT + "originalIri"} <= preds
    rows = catalog.store.query(
        "SELECT ?src WHERE { GRAPH ?g { ?r <https://w3id.org/hdcat/ns#harvestedFrom> ?src } }"
    )
    assert {r["src"].value for r in rows} == {harvester.source_iri("alpha")}


def test_pages_are_written_together_and_noted_once_written(harvester, server,
                                                          monkeypatch) -> None:
    import loaders.harvest as harvest_module

    monkeypatch.setattr(harvest_module, "WRITE_RECORDS", 12)
    source = _add(harvester, server, "grouped", 30)  # 6 pages of 5
    writes: list[int] = []
    writes_when_noted: list[int] = []
    store_graphs = harvester.catalog.store_graphs
    remember = harvester.state.remember

    def counting(graphs: dict) -> None:
        writes.append(sum(1 for name in graphs if "/record/" in name))
        store_graphs(graphs)

    def noting(*args: object) -> None:
        writes_when_noted.append(len(writes))
        remember(*args)

    monkeypatch.setattr(harvester.catalog, "store_graphs", counting)
    monkeypatch.setattr(harvester.state, "remember", noting)
    report = harvester.run("grouped")
    assert report.status == "completed" and report.pages == 6
    assert report.counts()["added"] == 30
    # pages 1-3 (15 records) in one write, pages 4-6 in another; a page is noted in the
    # private state only once its write is over
    assert writes == [15, 15]
    assert writes_when_noted == [1] * 15 + [2] * 15
    assert _datasets(harvester.catalog) == {
        f"https://grouped.example.org/dataset/{i}" for i in range(30)}
    # the audit chain settled each write it noted: no note is left for a next start to
    # take for an interrupted write
    data_dir = harvester.catalog.settings.data_dir
    assert list((data_dir / "audit-intents").glob("*.json")) == []
    assert harvester.catalog.audit_log().verify(harvester.catalog.stored_graphs()) == []

    writes.clear()
    source.titles[20] = "Changed"
    report = harvester.run("grouped")
    assert report.counts() == {"added": 0, "updated": 1, "unchanged": 29, "withdrawn": 0,
                               "failed": 0}
    assert writes == [1]


def test_pages_written_together_stay_within_the_catalogs_write_bound(
        harvester, server, monkeypatch) -> None:
    """Pages wait to be written together up to WRITE_RECORDS records, but no write holds
    more triples than the catalog's WRITE_BATCH_QUADS (past it an embedded write leaves the
    bulk loader for a transaction): a page that would take the waiting ones past it is
    written apart."""
    import loaders.harvest as harvest_module
    from hdcat import catalog as catalog_module

    writes: list[int] = []
    store_graphs = harvester.catalog.store_graphs

    def counting(graphs: dict) -> None:
        writes.append(sum(len(t) for name, t in graphs.items() if "/record/" in name))
        store_graphs(graphs)

    monkeypatch.setattr(harvester.catalog, "store_graphs", counting)
    monkeypatch.setattr(harvest_module, "WRITE_RECORDS", 5)  # a page a write: their sizes
    _add(harvester, server, "sized", 30)
    assert harvester.run("sized").counts()["added"] == 30
    page = max(writes)
    assert len(writes) == 6
    bound = 2 * page + page // 2
    monkeypatch.setattr(harvest_module, "WRITE_RECORDS", 1000)
    monkeypatch.setattr(catalog_module, "WRITE_BATCH_QUADS", bound)
    writes.clear()
    _add(harvester, server, "bounded", 30)  # 6 pages of 5, as big as those above
    report = harvester.run("bounded")
    assert report.status == "completed" and report.counts()["added"] == 30
    assert all(w <= bound for w in writes), (writes, bound)
    assert len(writes) == 3  # two pages a write: three would pass the bound
    assert _datasets(harvester.catalog) >= {
        f"https://bounded.example.org/dataset/{i}" for i in range(30)}


def test_dataset_on_two_waiting_pages_is_seen_as_delivered(harvester, server,
                                                           monkeypatch) -> None:
    import loaders.harvest as harvest_module

    monkeypatch.setattr(harvest_module, "WRITE_RECORDS", 1000)  # every page waits to the end
    source = _add(harvester, server, "twice", 10)
    original = source.page

    def page(n: int, base: str) -> bytes:
        body = original(n, base)
        if n == 2:  # dataset 0 again, as page 1 gave it
            first = original(1, base).decode().splitlines()
            body += ("\n" + "\n".join(line for line in first
                                        if line.startswith("<https://twice.example.org/dataset/0")
                                        )).encode()
        return body

    source.page = page  # type: ignore[method-assign]
    report = harvester.run("twice")
    assert report.status == "completed"
    assert report.counts()["added"] == 10 and report.unchanged == 1
    assert len(_datasets(harvester.catalog)) == 10


def test_rerun_unchanged_writes_nothing_then_updates_and_withdraws(harvester, server) -> None:
    source = _add(harvester, server, "beta", 12)
    harvester.run("beta")
    writes: list[dict] = []
    harvester.catalog.on_write(writes.append)
    before = set(harvester.catalog.store.quads())
    report = harvester.run("beta")
    assert report.counts()["unchanged"] == 12 and report.counts()["added"] == 0
    assert writes == [] and set(harvester.catalog.store.quads()) == before

    source.titles[7] = "A changed title"
    report = harvester.run("beta")
    assert report.counts() == {"added": 0, "updated": 1, "unchanged": 11, "withdrawn": 0,
                               "failed": 0}
    rec, _ = harvester.catalog.find_record("https://beta.example.org/dataset/7")
    titles = {t.object.value for t in harvester.catalog.record_triples(rec)
              if t.predicate.value == "http://purl.org/dc/terms/title"}
    assert titles == {"A changed title"}

    del source.titles[11]
    report = harvester.run("beta")
    assert report.withdrawn == ["https://beta.example.org/dataset/11"]
    assert harvester.catalog.find_record("https://beta.example.org/dataset/11") is None
    assert len(_datasets(harvester.catalog)) == 11


def test_broken_page_fails_the_run_and_withdraws_nothing(harvester, server) -> None:
    source = _add(harvester, server, "gamma", 12)
    harvester.run("gamma")
    source.broken_page = 2
    del source.titles[0]
    report = harvester.run("gamma")
    assert report.status == "failed" and report.source_errors
    assert "500" in report.source_errors[0]
    assert report.withdrawn == []
    assert harvester.catalog.find_record("https://gamma.example.org/dataset/0") is not None
    runs = harvester.state.runs("gamma")
    assert runs[0].status == "failed" and runs[0].report["source_errors"]


def test_one_bad_record_does_not_abort_the_run(harvester, server) -> None:
    source = _add(harvester, server, "delta", 8)
    source.titles[4] = ""  # an empty title: the record is refused, the rest load
    original = source.page

    def page(n: int, base: str) -> bytes:
        return original(n, base).replace(b'dct:title ""@en ;', b"")

    source.page = page  # type: ignore[method-assign]
    report = harvester.run("delta")
    assert report.status == "completed"
    assert report.counts()["added"] == 7 and len(report.failed) == 1
    assert report.failed[0]["record"] == "https://delta.example.org/dataset/4"
    assert "title" in report.failed[0]["reason"]


def test_same_dataset_from_two_sources_is_one_dataset(harvester, server) -> None:
    first = _add(harvester, server, "east", 3)
    second = _add(harvester, server, "west", 3)
    first.doi[1] = "https://doi.org/10.5555/same.dataset"
    second.doi[2] = "doi:10.5555/SAME.DATASET"
    harvester.run("east")
    report = harvester.run("west")
    assert report.status == "completed"
    datasets = _datasets(harvester.catalog)
    assert "https://east.example.org/dataset/1" in datasets
    assert "https://west.example.org/dataset/2" not in datasets
    assert len(datasets) == 5
    rec, _ = harvester.catalog.find_record("https://east.example.org/dataset/1")
    sources = {t.object.value for t in harvester.catalog.record_triples(rec)
               if t.predicate.value == HDCAT + "harvestedFrom"}
    assert sources == {harvester.source_iri("east"), harvester.source_iri("west")}
    originals = {t.object.value for t in harvester.catalog.record_triples(rec)
                 if t.predicate.value == HDCAT + "originalIri"}
    assert originals == {"https://west.example.org/dataset/2"}


def test_run_killed_with_sigkill_is_completed_by_the_next_run(tmp_path: Path, server) -> None:
    base, sources = server
    source = Source("kill", 20)
    source.delay_page = (3, 30.0)
    sources["kill"] = source
    data = tmp_path / "data"
    cli = [sys.executable, "-m", "hdcat.cli", "--data", str(data)]
    subprocess.run([*cli, "harvest", "add", "kill", f"{base}/kill/page/1", "--kind", "dcat"],
                   check=True, capture_output=True, timeout=120)
    proc = subprocess.Popen([*cli, "harvest", "run", "kill"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while source.hits < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    source.delay_page = None
    done = subprocess.run([*cli, "harvest", "run", "kill"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    catalog = Catalog(Settings(data_dir=data), EmbeddedStore(data / "store"))
    try:
        assert _datasets(catalog) == {f"https://kill.example.org/dataset/{i}" for i in range(20)}
        for rec, _ds in catalog.records():
            triples = catalog.record_triples(rec)
            assert any(t.predicate.value == "http://purl.org/dc/terms/title" for t in triples)
        state = PrivateState(data / "private.sqlite")
        statuses = [r.status for r in state.runs("kill")]
        state.close()
        assert statuses == ["completed", "interrupted"]
    finally:
        catalog.close()


def test_reports_are_kept_and_shown_on_a_page(harvester, server) -> None:
    from service.app import create_app

    source = _add(harvester, server, "pages", 6)
    source.titles[2] = ""
    original = source.page
    source.page = lambda n, base: original(n, base).replace(b'dct:title ""@en ;', b"")
    harvester.run("pages")
    client = create_app(harvester.catalog).test_client()
    listing = client.get("/harvest?format=json").get_json()
    assert [s["name"] for s in listing] == ["pages"]
    assert listing[0]["last_run"]["counts"]["added"] == 5
    html = client.get("/harvest/pages").get_data(as_text=True)
    assert "https://pages.example.org/dataset/2" in html and "completed" in html
    detail = client.get("/harvest/pages?format=json").get_json()
    assert detail["runs"][0]["failed"][0]["record"] == "https://pages.example.org/dataset/2"
    assert client.get("/harvest/nope").status_code == 404


def _cut_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the records the harvester hashes one by one (it skips that for a page it
    knows)."""
    import loaders.harvest as harvest_module

    calls = [0]
    original = harvest_module.content_hash

    def counted(record: object) -> str:
        calls[0] += 1
        return original(record)

    monkeypatch.setattr(harvest_module, "content_hash", counted)
    return calls


def test_a_page_that_says_what_it_said_is_not_cut_again(
    harvester, server, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _add(harvester, server, "iota", 12)
    harvester.run("iota")
    calls = _cut_count(monkeypatch)
    report = harvester.run("iota")
    assert report.counts() == {"added": 0, "updated": 0, "unchanged": 12, "withdrawn": 0,
                               "failed": 0}
    assert calls[0] == 0
    # one changed record: its page (5 records) is done the long way, the other two are not
    source.titles[6] = "Changed"
    report = harvester.run("iota")
    assert report.counts()["updated"] == 1 and report.counts()["unchanged"] == 11
    assert calls[0] == 5
    # the skipped pages still count as delivered: nothing is withdrawn
    report = harvester.run("iota")
    assert report.withdrawn == [] and len(_datasets(harvester.catalog)) == 12


def test_a_page_with_a_refused_record_is_judged_again(
    harvester, server, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _add(harvester, server, "kappa", 8)
    original = source.page
    source.page = lambda n, base: original(n, base).replace(  # type: ignore[method-assign]
        b'dct:title "Dataset kappa number 4"@en ;', b"")
    assert len(harvester.run("kappa").failed) == 1
    calls = _cut_count(monkeypatch)
    report = harvester.run("kappa")
    assert len(report.failed) == 1 and report.failed[0]["record"].endswith("/dataset/4")
    assert calls[0] == 5  # the page of the refused record (0-4); records 5-7 are skipped


def test_a_known_page_is_done_the_long_way_when_the_notes_differ(harvester, server) -> None:
    _add(harvester, server, "lambda", 6)
    harvester.run("lambda")
    harvester.catalog.drop_records([harvester.catalog.find_record(
        "https://lambda.example.org/dataset/2")[0]])
    harvester.state.forget("lambda", "https://lambda.example.org/dataset/2")
    report = harvester.run("lambda")
    assert report.counts()["added"] == 1 and report.counts()["unchanged"] == 5
    assert harvester.catalog.find_record("https://lambda.example.org/dataset/2") is not None


def test_page_digest_ignores_blank_node_labels_only() -> None:
    import pyoxigraph as ox

    from loaders.harvest import page_digest

    text = (b'<https://x.example.org/d> <https://x.example.org/p>'
            b' [ <https://x.example.org/q> "v" ] .')

    def parsed(data: bytes) -> list:
        return [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]

    assert page_digest(parsed(text), "core") == page_digest(parsed(text), "core")
    assert page_digest(parsed(text), "core") != page_digest(parsed(text), "full")
    assert page_digest(parsed(text), "core") != page_digest(
        parsed(text.replace(b'"v"', b'"w"')), "core")


def test_record_hash_is_the_sorted_lines_of_what_the_source_said() -> None:
    """A harvested record's hash (what says whether it changed since the last run): the
    sorted N-Triples lines of its triples but those hdcat adds, blank nodes labelled by what
    they hold. A literal that looks like a blank node changes nothing."""
    import hashlib

    import pyoxigraph as ox

    from hdcat.records import Record
    from loaders.harvest import content_hash

    x = "https://x.example.org/"
    d, p, q = (ox.NamedNode(x + n) for n in "dpq")
    hdcat_adds = [ox.Triple(ox.NamedNode(x + "record/d"), p, d),
                  ox.Triple(ox.NamedNode(x + "catalog"), p, d)]

    def record(triples: list) -> Record:
        return Record(d, x + "record/d", [*triples, *hdcat_adds])

    for literal in ("v", "_:b0 looks like a blank node", 'say "hi"\u2028'):
        said = [ox.Triple(d, p, ox.Literal(literal)), ox.Triple(d, q, p)]
        lines = sorted(str(t) for t in said)
        assert content_hash(record(said)) == hashlib.sha256(
            "\n".join(lines).encode()).hexdigest(), literal
    one, two = ox.BlankNode("a"), ox.BlankNode("b")
    assert content_hash(record([ox.Triple(d, p, one), ox.Triple(one, q, ox.Literal("v"))])) \
        == content_hash(record([ox.Triple(d, p, two), ox.Triple(two, q, ox.Literal("v"))]))
    assert content_hash(record([ox.Triple(d, p, one), ox.Triple(one, q, ox.Literal("v"))])) \
        != content_hash(record([ox.Triple(d, p, two), ox.Triple(two, q, ox.Literal("w"))]))


def test_what_records_are_warned_of_is_in_the_run_report(harvester, server) -> None:
    _add(harvester, server, "mu", 6)
    report = harvester.run("mu")
    assert report.counts()["added"] == 6
    # at level core the rest of the profile speaks as warnings: no contact point, ...
    about_3 = [w for w in report.warnings if w.startswith("https://mu.example.org/dataset/3:")]
    assert any("contactPoint" in w for w in about_3), report.warnings[:5]
    assert report.warnings_total >= 6 * len(about_3) > 0
    stored = harvester.state.runs("mu")[0].report
    assert stored["warnings_total"] == report.warnings_total
    assert stored["warnings"] == report.warnings


def test_warnings_past_the_listed_ones_are_still_counted(
    harvester, server, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(harvester, server, "nu", 6)
    _add(harvester, server, "xi", 6)
    whole = harvester.run("nu")
    monkeypatch.setattr("loaders.harvest.MAX_LISTED_WARNINGS", 5)
    capped = harvester.run("xi")
    assert len(capped.warnings) == 5 < len(whole.warnings)
    assert capped.warnings_total == whole.warnings_total


def _publishers(catalog: Catalog, dataset: str) -> set[str]:
    rec, _ = catalog.find_record(dataset)
    return {t.object.value for t in catalog.record_triples(rec)
            if t.subject.value == dataset
            and t.predicate.value == "http://purl.org/dc/terms/publisher"}


def test_a_default_publisher_is_given_to_datasets_that_name_none(harvester, server) -> None:
    base, sources = server
    source = sources["omicron"] = Source("omicron", 6)
    own = "https://agents.example.org/own"
    original = source.page
    source.page = lambda n, b: original(n, b).replace(  # type: ignore[method-assign]
        b'dct:title "Dataset omicron number 1"@en ;',
        f'dct:title "Dataset omicron number 1"@en ; dct:publisher <{own}> ;'.encode())
    default = "https://agents.example.org/regional-centre"
    harvester.add("omicron", f"{base}/omicron/page/1", "dcat", publisher=default)
    assert harvester.run("omicron").counts()["added"] == 6
    catalog = harvester.catalog
    assert _publishers(catalog, "https://omicron.example.org/dataset/0") == {default}
    assert _publishers(catalog, "https://omicron.example.org/dataset/1") == {own}
    # a new default reaches the datasets that took the old one, not the others
    other = "https://agents.example.org/national-centre"
    harvester.add("omicron", f"{base}/omicron/page/1", "dcat", publisher=other)
    report = harvester.run("omicron")
    assert report.counts()["updated"] == 5 and report.counts()["unchanged"] == 1
    assert _publishers(catalog, "https://omicron.example.org/dataset/0") == {other}


def test_a_default_publisher_must_be_an_iri(harvester, server) -> None:
    from hdcat.errors import HdcatError

    base, _ = server
    with pytest.raises(HdcatError, match="'Peking University' is not an IRI"):
        harvester.add("pi", f"{base}/pi/page/1", "dcat", publisher="Peking University")
    with pytest.raises(HdcatError, match="'PKU' is not an IRI: No scheme"):
        harvester.add("pi", f"{base}/pi/page/1", "dcat", publisher="PKU")
    assert harvester.state.source("pi") is None


def test_schedules_are_read_or_refused_by_name() -> None:
    from datetime import timedelta

    from hdcat.errors import HdcatError
    from loaders.schedule import interval

    assert interval("daily") == timedelta(days=1)
    assert interval("Weekly") == timedelta(days=7)
    assert interval("PT6H") == timedelta(hours=6)
    assert interval("p1dt12h") == timedelta(days=1, hours=12)
    assert interval("PT30M") == timedelta(minutes=30)
    for bad in ("every tuesday", "P", "PT", "P1DT", "PT0M", "", "1D"):
        with pytest.raises(HdcatError, match="schedule"):
            interval(bad)


def test_a_source_is_due_by_its_schedule(harvester, server) -> None:
    from datetime import UTC, datetime, timedelta

    from hdcat.errors import HdcatError

    base, sources = server
    sources["rho"] = Source("rho", 3)
    sources["sigma"] = Source("sigma", 3)
    harvester.add("rho", f"{base}/rho/page/1", "dcat", schedule="daily")
    harvester.add("sigma", f"{base}/sigma/page/1", "dcat")  # no schedule: never due
    with pytest.raises(HdcatError, match="schedule 'fortnightly'"):
        harvester.add("tau", f"{base}/tau/page/1", "dcat", schedule="fortnightly")
    assert [s.name for s in harvester.due()] == ["rho"]  # never run
    harvester.run("rho")
    assert harvester.due() == []
    later = datetime.now(UTC) + timedelta(days=1, seconds=5)
    assert [s.name for s in harvester.due(later)] == ["rho"]


def test_cli_runs_the_due_sources_only(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from hdcat.cli import main

    runner = CliRunner()
    data = str(tmp_path / "cli")
    assert runner.invoke(main, ["--data", data, "init"]).exit_code == 0
    done = runner.invoke(main, ["--data", data, "harvest", "run", "--due"])
    assert done.exit_code == 0 and "no source is due" in done.output
    both = runner.invoke(main, ["--data", data, "harvest", "run", "--due", "--all"])
    assert both.exit_code != 0 and "one of NAME, --all or --due" in both.output
