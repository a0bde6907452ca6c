"""Harvesting: run a source page by page into the catalog, incrementally, and report.

- Memory does not grow with the source: pages are fetched, mapped, stored one at a time.
- A content hash per record: unchanged records are not rewritten, changed ones replaced.
- Records gone from the source are withdrawn, only after a run that completed without
  source-level errors.
- One bad record never aborts a run; each failure is reported with its reason.
- The same dataset from two sources (same IRI, DOI, CSTR or identifier) is one dataset with
  both sources recorded on its catalog record.
- A run killed at any point leaves the store consistent: every write replaces whole graphs
  atomically and the private state is updated after the store, so the next run redoes at
  most the last page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from urllib.parse import quote

import pyoxigraph as ox

from hdcat import catalog as catalog_module
from hdcat.catalog import Catalog
from hdcat.errors import HdcatError
from hdcat.garbage import fewer_collections
from hdcat.records import DATASET_CLASSES, Record
from hdcat.state import PrivateState, Source, now
from hdcat.terms import ntriples_text
from loaders.base import Page
from loaders.http import FetchError, Http
from loaders.schedule import interval as schedule_interval
from loaders.schedule import is_due

HDCAT = "https://w3id.org/hdcat/ns#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
DCAT_DATASET = "http://www.w3.org/ns/dcat#Dataset"
DCT_IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")
DCT_PUBLISHER = ox.NamedNode("http://purl.org/dc/terms/publisher")
ADMS_IDENTIFIER = ox.NamedNode("http://www.w3.org/ns/adms#identifier")
SKOS_NOTATION = ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation")
HARVESTED_FROM = ox.NamedNode(HDCAT + "harvestedFrom")
HARVESTED_AT = ox.NamedNode(HDCAT + "harvestedAt")
HARVEST_RUN = ox.NamedNode(HDCAT + "harvestRun")
ORIGINAL_IRI = ox.NamedNode(HDCAT + "originalIri")
HARVEST_SOURCE = ox.NamedNode(HDCAT + "HarvestSource")
_KEY_PREDICATES = frozenset({DCT_IDENTIFIER, ADMS_IDENTIFIER, SKOS_NOTATION})
_DCAT_DATASET_NODE = ox.NamedNode(DCAT_DATASET)
MAX_LISTED_WARNINGS = 200
WRITE_RECORDS = 5_000
"""Pages are written together once their records reach this many (and while their triples
stay within the catalog's WRITE_BATCH_QUADS). Each bulk load has a fixed cost and leaves a
set of files for RocksDB to compact, more the larger the store: a first harvest of 100,000
took 374 CPU s written 2,500 records at a time and 270 CPU s written 6,000 at a time (of
which the writer and compactions 194 and 124 s). The price is memory: the records waiting,
and those being written, are held (bench/RESULTS.md, round 4)."""

_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)", re.I)
_CSTR = re.compile(r"(?:https?://(?:www\.)?cstr\.cn/|CSTR:)?([A-Za-z0-9]{5}\.\d{2}\.\S+)")


@dataclass
class RunReport:
    """What a run did: the counts and, for every failure, the reason."""

    source: str
    run: int = 0
    status: str = "running"
    pages: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    withdrawn: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    source_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """What could not be mapped, and what the records were warned of (the health rules and
    the recommended properties, at level core): the first MAX_LISTED_WARNINGS."""
    warnings_total: int = 0

    def warn(self, text: str) -> None:
        self.warnings_total += 1
        if len(self.warnings) < MAX_LISTED_WARNINGS:
            self.warnings.append(text)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "withdrawn": len(self.withdrawn),
            "failed": len(self.failed),
        }

    def to_json(self) -> dict:
        return asdict(self) | {"counts": self.counts()}


def content_hash(record: Record) -> str:
    """A hash of what the source said of a dataset: the record's triples without the parts
    hdcat adds (its catalog record and catalog links), blank nodes labelled by content."""
    rec = ox.NamedNode(record.iri)
    own = [t for t in record.triples
           if t.subject != rec and not t.subject.value.endswith("/catalog")]
    text = ntriples_text(own)
    if "_:" not in text:
        # No blank nodes (the common case): the lines below, serialised in one call. (A literal
        # holding "_:" goes the long way, to the same lines.)
        lines = sorted(text.split(" .\n")[:-1])
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    by_subject: dict = {}
    for t in own:
        by_subject.setdefault(t.subject, []).append(t)

    labels: dict = {}

    def label(node: object, depth: int = 0) -> str:
        if not isinstance(node, ox.BlankNode):
            return str(node)
        if node not in labels:
            if depth > 20:
                return "_:deep"
            inner = sorted(f"{t.predicate} {label(t.object, depth + 1)}"
                           for t in by_subject.get(node, []))
            labels[node] = "_:" + hashlib.sha1("\n".join(inner).encode()).hexdigest()[:16]
        return labels[node]

    lines = sorted(f"{label(t.subject)} {t.predicate} {label(t.object)}" for t in own)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def with_default_publisher(triples: list[ox.Triple], publisher: str) -> list[ox.Triple]:
    """The page's triples, each dataset (or series) that names no publisher given
    `publisher`."""
    datasets = {t.subject for t in triples if t.predicate == RDF_TYPE
                and t.object.value in DATASET_CLASSES}
    datasets -= {t.subject for t in triples if t.predicate == DCT_PUBLISHER}
    if not datasets:
        return triples
    agent = ox.NamedNode(publisher)
    return [*triples, *(ox.Triple(ds, DCT_PUBLISHER, agent) for ds in datasets)]


_BLANK_LABEL = re.compile(rb"_:[^\s]+")


def page_digest(triples: list[ox.Triple], level: str) -> str:
    """A hash of a page as delivered (in its order), blank nodes labelled by order of first
    appearance (a parser names anonymous ones afresh each time), and the level it is held
    to: the same digest means the page says exactly what it said before."""
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    if b"_:" in text:
        labels: dict[bytes, bytes] = {}
        text = _BLANK_LABEL.sub(
            lambda m: labels.setdefault(m.group(0), b"_:b%d" % len(labels)), text)
    return hashlib.sha256(level.encode() + b"\n" + text).hexdigest()


def identity_keys(dataset: ox.NamedNode, triples: Iterable[ox.Triple]) -> list[str]:
    """Keys that say two descriptions are of the same dataset: its IRI, DOI, CSTR, or a
    long enough identifier."""
    keys = [f"iri:{dataset.value}"]
    notations = {t.object for t in triples if t.predicate == SKOS_NOTATION}
    for t in triples:
        if t.subject != dataset:
            continue
        values = []
        if t.predicate == DCT_IDENTIFIER and isinstance(t.object, ox.Literal):
            values.append(t.object.value)
        if t.predicate == DCT_IDENTIFIER and isinstance(t.object, ox.NamedNode):
            values.append(t.object.value)
        if t.predicate == ADMS_IDENTIFIER:
            values.extend(n.value for n in notations)
        for value in values:
            value = value.strip()
            if m := _DOI.fullmatch(value):
                keys.append("doi:" + m.group(1).lower())
            elif m := _CSTR.fullmatch(value):
                keys.append("cstr:" + m.group(1).upper())
            elif len(value) >= 8:
                keys.append("id:" + value)
    return list(dict.fromkeys(keys))


@dataclass
class _PageWrites:
    """A page whose records wait to be written, or are being written (by the writer thread),
    and are not yet noted in the private state: that is done once the write is over."""

    graphs: dict[str, list[ox.Triple]]
    """The graphs the page's records replace (with the shared ones they need)."""
    stored: list[tuple[str, str, str, str, bool]]
    """(record IRI, dataset, content hash, original IRI, new) of each record written."""
    source: str
    run_id: int
    page_url: str = ""
    page_digest: str | None = None
    """Set when every record of the page was stored or unchanged (nothing refused)."""
    page_datasets: list[tuple[str, str]] = field(default_factory=list)
    """(dataset, content hash) of every record of the page."""

    @property
    def quads(self) -> int:
        return catalog_module.count_triples(self.graphs)

    def delivered(self) -> dict[str, tuple[str, str]]:
        """dataset -> (content hash, record IRI), as PrivateState.delivered will say."""
        return {dataset: (digest, record) for record, dataset, digest, _o, _n in self.stored}


@dataclass
class _Write:
    """The pages written together by one write of the writer thread."""

    future: Future | None
    pages: list[_PageWrites]
    graphs: dict[str, list[ox.Triple]]
    """What was written: the pages' graphs, a graph on two pages with its last content. The
    listeners hear of exactly this (the audit chain settles the write it noted by it)."""


class Harvester:
    """Runs harvest sources into a catalog; sources and runs live in the private state.

    Pages' records are written together, WRITE_RECORDS at a time, by a second thread while
    the next pages are fetched, cut and validated (the bulk loader works without the GIL); a
    page is noted in the private state only once its write is over, so a run killed at any
    point still redoes at most the pages whose writes were not noted. While a page waits or
    is in flight, what it delivered is looked up in it before the private state (a dataset
    on two pages is seen as before)."""

    def __init__(self, catalog: Catalog, state: PrivateState, http: Http | None = None,
                 loader_for: Callable | None = None) -> None:
        self.catalog = catalog
        self.state = state
        catalog.share_private_state(state)
        self.http = http or Http()
        if loader_for is None:
            from loaders.registry import loader_for as default_loader_for

            loader_for = default_loader_for
        self.loader_for = loader_for
        self._writer: ThreadPoolExecutor | None = None
        self._pending: list[_PageWrites] = []
        self._writing: _Write | None = None
        self._awaiting: dict[str, tuple[str, str]] = {}
        """What the pages not yet noted (waiting or in flight) delivered: dataset ->
        (content hash, record IRI), the later page winning; kept as pages queue and land."""

    def source_iri(self, name: str) -> str:
        return f"{self.catalog.base}/harvest/{quote(name, safe='')}"

    def add(self, name: str, url: str, kind: str, strict: bool = False,
            publisher: str | None = None, schedule: str | None = None) -> Source:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", name):
            raise HdcatError(f"harvest source name {name!r}: use letters, digits, . _ -")
        self.loader_for(kind)  # an unknown kind fails here, not at the first run
        if schedule:
            schedule_interval(schedule)  # an unknown schedule fails here
        if publisher is not None:
            try:
                ox.NamedNode(publisher)
            except ValueError as e:
                raise HdcatError(f"default publisher {publisher!r} is not an IRI: {e}") from None
        source = Source(name, url, kind, strict, publisher, schedule)
        self.state.add_source(source)
        node = ox.NamedNode(self.source_iri(name))
        label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
        page = ox.NamedNode("http://xmlns.com/foaf/0.1/page")
        self.catalog.replace_shared(node.value, [
            ox.Triple(node, RDF_TYPE, HARVEST_SOURCE),
            ox.Triple(node, label, ox.Literal(name)),
            ox.Triple(node, page, ox.NamedNode(url)) if "://" in url else
            ox.Triple(node, label, ox.Literal(url)),
        ])
        return self.state.source(name)  # type: ignore[return-value]

    def due(self, now: datetime | None = None) -> list[Source]:
        """The sources whose schedule says they should run now (see loaders.schedule)."""
        started = self.state.last_started()
        return [source for source in self.state.sources()
                if is_due(source.schedule, started.get(source.name), now)]

    def run(self, name: str) -> RunReport:
        source = self.state.source(name)
        if source is None:
            raise HdcatError(f"no harvest source named {name!r} (hdcat harvest list)")
        run_id = self.state.start_run(name)
        report = RunReport(name, run_id)
        loader = self.loader_for(source.kind)
        with fewer_collections():
            self._pages(source, run_id, loader, report)
        if report.source_errors:
            report.status = "failed"
        else:
            self._withdraw(source, run_id, report)
            report.status = "completed"
        self.state.finish_run(run_id, report.status, report.to_json())
        return report

    def _pages(self, source: Source, run_id: int, loader: object, report: RunReport) -> None:
        self._pending = []
        self._writing = None
        self._awaiting = {}
        with ThreadPoolExecutor(max_workers=1) as writer:
            self._writer = writer
            try:
                for page in loader.pages(source.url, self.http):  # type: ignore[attr-defined]
                    report.pages += 1
                    with self.state.transaction():
                        self._page(source, run_id, page, report)
            except (FetchError, HdcatError, OSError, ValueError) as e:
                report.source_errors.append(str(e))
            finally:
                with self.state.transaction():
                    self._submit(report)
                    self._landed(report)
                self._writer = None

    def _submit(self, report: RunReport) -> None:
        """Start writing the pending pages (once the write before is over), as one write."""
        self._landed(report)
        pages, self._pending = self._pending, []
        if not pages:
            return
        merged: dict[str, list[ox.Triple]] = {}
        for page in pages:  # in order: a graph written twice keeps its last content
            merged.update(page.graphs)
        assert self._writer is not None  # set by _pages for the whole run
        future = self._writer.submit(self.catalog.store_graphs, merged) if merged else None
        self._writing = _Write(future, pages, merged)

    def _landed(self, report: RunReport) -> None:
        """Wait for the write in flight; tell the catalog's listeners, put it on disk, note
        its pages in the private state."""
        job, self._writing = self._writing, None
        if job is None:
            return
        if job.future is not None:
            job.future.result()
            self.catalog.notify(job.graphs)
            # Put the writes on disk: an embedded store otherwise keeps them in its write
            # buffers, and memory grows with the source (about 45 KB a record).
            self.catalog.store.flush()
        for page in job.pages:
            self._note(page, report)
        self._awaiting = {}
        for page in self._pending:  # the pages queued after the write just noted
            self._awaiting.update(page.delivered())

    def _note(self, page: _PageWrites, report: RunReport) -> None:
        """Note a page whose writes are over in the private state."""
        for record_iri, dataset, digest, original, new in page.stored:
            self.state.remember(page.source, dataset, record_iri, digest, original, page.run_id)
            (report.added if new else report.updated).append(dataset)
        if page.page_digest is None:  # a record refused or unmapped: judge it again
            self.state.forget_page(page.source, page.page_url)
        else:
            self.state.remember_page(page.source, page.page_url, page.page_digest,
                                     page.page_datasets)

    # ------------------------------------------------------------------ one page

    def _page(self, source: Source, run_id: int, page: Page, report: RunReport) -> None:
        if page.source_error is not None:
            report.source_errors.append(f"{page.url}: {page.source_error}")
            return
        for warning in page.warnings:
            report.warn(warning)
        for error in page.errors:
            report.failed.append({"record": error.record, "reason": error.message})
        level = "full" if source.strict else "core"
        delivered = page.triples
        if source.publisher:
            delivered = with_default_publisher(delivered, source.publisher)
        digest = page_digest(delivered, level)
        if not page.errors:
            known = self.state.page_delivered(source.name, page.url, digest)
            if known is not None and self.state.touch_delivered(source.name, known, run_id):
                # The page says what it said when all its records were last noted: they
                # are unchanged, with no need to cut, hash or look them up one by one.
                report.unchanged += len(known)
                return
        triples, originals = self._unify(delivered)
        decided: dict[str, tuple[str, str, str, bool]] = {}
        seen: list[tuple[str, str]] = []
        at = ox.Literal(now().replace("+00:00", "Z"), datatype=XSD_DATETIME)
        run_node = ox.NamedNode(f"{self.source_iri(source.name)}/run/{run_id}")
        in_flight = self._awaiting

        def select(record: Record) -> bool:
            dataset = _text(record.dataset)
            digest = content_hash(record)
            seen.append((dataset, digest))
            before = in_flight.get(dataset) or self.state.delivered(source.name, dataset)
            if before is not None and before[0] == digest:
                self.state.touch(source.name, dataset, run_id)
                report.unchanged += 1
                return False
            decided[record.iri] = (dataset, digest, originals.get(dataset, dataset),
                                   before is None)
            return True

        def decorate(record: Record) -> None:
            rec = ox.NamedNode(record.iri)
            dataset = _text(record.dataset)
            sources = set(self.state.sources_of(dataset)) | {source.name}
            for name in sorted(sources):
                record.triples.append(
                    ox.Triple(rec, HARVESTED_FROM, ox.NamedNode(self.source_iri(name))))
            record.triples.append(ox.Triple(rec, HARVESTED_AT, at))
            record.triples.append(ox.Triple(rec, HARVEST_RUN, run_node))
            original = originals.get(dataset, dataset)
            record.triples.append(ox.Triple(rec, ORIGINAL_IRI, ox.NamedNode(original))
                                  if "://" in original else
                                  ox.Triple(rec, ORIGINAL_IRI, ox.Literal(original)))

        graphs: dict[str, list[ox.Triple]] = {}
        loaded = self.catalog.load_triples(
            triples,
            source=f"{source.name} page {report.pages} ({page.url})",
            level=level,
            select=select,
            decorate=decorate,
            write=graphs.update,
        )
        for refused in loaded.refused:
            report.failed.append({"record": refused.subject,
                                  "reason": refused.describe("en", warnings=False).strip()})
        for warned in loaded.warned:  # accepted records: their results are all warnings
            if len(report.warnings) >= MAX_LISTED_WARNINGS:
                report.warnings_total += len(warned.results)  # counted, not worded
                continue
            for line in warned.describe("en").splitlines():
                report.warn(f"{warned.subject}: {line.strip()}")
        for error in loaded.errors:
            report.source_errors.append(str(error))
        stored = [(record_iri, *decided[record_iri]) for record_iri in loaded.stored]
        clean = not (page.errors or loaded.refused or loaded.errors)
        done = _PageWrites(graphs, stored, source.name, run_id, page.url,
                           digest if clean else None, seen)
        if not graphs and not self._pending and self._writing is None:
            self._note(done, report)  # nothing to write, nothing noted before it to wait for
            return
        if self._pending and (sum(p.quads for p in self._pending) + done.quads
                              > catalog_module.WRITE_BATCH_QUADS):
            self._submit(report)  # written apart: together, a transaction, not a bulk load
        self._pending.append(done)
        self._awaiting.update(done.delivered())
        if sum(len(p.stored) for p in self._pending) >= WRITE_RECORDS:
            self._submit(report)

    def _unify(self, triples: list[ox.Triple]) -> tuple[list[ox.Triple], dict[str, str]]:
        """Give each dataset the IRI under which the catalog already knows it (same DOI,
        CSTR or identifier from another source); return the rewritten triples and, for each
        renamed dataset, its original IRI."""
        # identity_keys only looks at these predicates (of the dataset and of its
        # adms:identifier nodes): only their triples are grouped by subject.
        datasets: dict = {}
        by_subject: dict = {}
        named = ox.NamedNode
        for t in triples:
            p = t.predicate
            if p in _KEY_PREDICATES:
                by_subject.setdefault(t.subject, []).append(t)
            elif (p == RDF_TYPE and type(t.subject) is named
                  and t.object == _DCAT_DATASET_NODE):
                datasets[t.subject] = None
        rename: dict = {}
        originals: dict[str, str] = {}
        for ds in datasets:
            mine = list(by_subject.get(ds, []))
            for t in by_subject.get(ds, []):
                if t.predicate == ADMS_IDENTIFIER:
                    mine.extend(by_subject.get(t.object, []))
            keys = identity_keys(ds, mine)
            known = self.state.dataset_for_keys(keys)
            if known is not None and known != ds.value:
                rename[ds] = ox.NamedNode(known)
                originals[known] = ds.value
            else:
                self.state.claim_keys(keys, ds.value)
        if not rename:
            return triples, originals
        out = [
            ox.Triple(rename.get(t.subject, t.subject), t.predicate, rename.get(t.object, t.object))
            for t in triples
        ]
        return out, originals

    # ------------------------------------------------------------------ withdrawals

    def _withdraw(self, source: Source, run_id: int, report: RunReport) -> None:
        gone: list[str] = []
        for dataset, record in self.state.stale(source.name, run_id):
            self.state.forget(source.name, dataset)
            if self.state.sources_of(dataset):
                continue  # another source still delivers it
            gone.append(record)
            report.withdrawn.append(dataset)
        if gone:
            self.catalog.drop_records(gone)


def _text(node: object) -> str:
    return node.value if isinstance(node, ox.NamedNode) else str(node)
