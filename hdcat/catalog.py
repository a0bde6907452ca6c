"""The catalog core: load, validate, store and read records.

Data flows one way: files are parsed and cut into records (hdcat.records: in memory, or read
twice and streamed for big unvalidated loads), validated per record (hdcat.validation,
hdcat.fastshacl) and written to the catalog store (hdcat.store) one named graph per record.
Readers (CLI, web service) go through this class.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph as ox

from hdcat import datatypes, privacy, queries, rdfio, resources, validation_worker
from hdcat.audit import WriteIntents
from hdcat.config import Settings, load_settings
from hdcat.errors import InputError
from hdcat.garbage import fewer_collections
from hdcat.namespaces import (
    GRAPH_LEGISLATION,
    GRAPH_ONTOLOGY,
    GRAPH_STANDARDS,
    GRAPH_VOCABULARIES,
    PREFIXES,
)
from hdcat.records import (
    RDF_TYPE,
    DocumentChanged,
    Record,
    Splitter,
    StreamSplitter,
    mint_record_iri,
)
from hdcat.store import ATOMIC_BULK_QUADS, EmbeddedStore, Store, nquads, open_store
from hdcat.terms import to_oxigraph, to_rdflib, triples_to_graph

if TYPE_CHECKING:
    from hdcat.audit import AuditLog
    from hdcat.search import SearchIndex
    from hdcat.state import PrivateState
from hdcat.validation import (
    Report,
    inverse_links,
    profile_shapes,
    soften_external_references,
    validate_graph,
)

PROV_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
PROV_GENERATED = ox.NamedNode("http://www.w3.org/ns/prov#wasGeneratedBy")
DCT_TYPE = ox.NamedNode("http://purl.org/dc/terms/type")
SKOS_IN_SCHEME = ox.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme")

# Links to web pages and files, which nothing in the catalog describes: validation does not
# look them up.
WEB_LINKS = frozenset({
    "http://www.w3.org/ns/dcat#accessURL",
    "http://www.w3.org/ns/dcat#downloadURL",
    "http://www.w3.org/ns/dcat#landingPage",
    "http://www.w3.org/ns/dcat#endpointURL",
    "http://xmlns.com/foaf/0.1/page",
    "http://xmlns.com/foaf/0.1/homepage",
    "http://purl.org/dc/terms/isReferencedBy",
    "http://www.w3.org/2006/vcard/ns#hasEmail",
    "http://www.w3.org/2006/vcard/ns#hasURL",
})
WEB_LINK_NODES = frozenset(ox.NamedNode(iri) for iri in WEB_LINKS)
SHIPPED_GRAPHS = (GRAPH_ONTOLOGY, GRAPH_VOCABULARIES, GRAPH_STANDARDS, GRAPH_LEGISLATION)
EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "rdf": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
}
QUAD_FORMATS = {ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG}
log = logging.getLogger(__name__)

# A write of records (but for the bulk writes of big unvalidated files) holds
# WRITE_BATCH_RECORDS records at most, and no more than WRITE_BATCH_QUADS triples: bigger,
# an embedded write leaves the bulk loader for a transaction (a validated 100k load written
# in chunks just past the bound took 302 s and 324 CPU s, against 153 s and 198 CPU s).
WRITE_BATCH_RECORDS = 2000
WRITE_BATCH_QUADS = ATOMIC_BULK_QUADS
# Unvalidated loads of files with at least this many records use the bulk loader (embedded
# store), in chunks of BULK_CHUNK_RECORDS records.
BULK_MIN_RECORDS = 5000
BULK_CHUNK_RECORDS = 2000
VALIDATION_GROUP = 200

WriteListener = Callable[[dict[str, list[ox.Triple]]], None]


@dataclass
class LoadReport:
    """What a load did: records stored, records refused with their reasons, files refused."""

    stored: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    refused: list[Report] = field(default_factory=list)
    warned: list[Report] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    shared: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.refused and not self.errors


@dataclass
class _Batch:
    """Records and shared graphs of one document, as the validator sees them."""

    records: list[Record]
    shared: dict[str, list[ox.Triple]]
    source: str
    existing: dict[str, str] = field(default_factory=dict)
    """Dataset IRI -> the record IRI that already holds it in the store."""
    by_dataset: dict[ox.NamedNode | ox.BlankNode, Record] = field(default_factory=dict)

    stored_incoming: dict[tuple, list[ox.Triple]] = field(default_factory=dict)
    """(resource, predicates) -> the links to it the store holds (see Catalog._incoming)."""
    _incoming: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] | None = None

    def __post_init__(self) -> None:
        self.by_dataset = {r.dataset: r for r in self.records}

    def incoming(
        self, node: ox.NamedNode | ox.BlankNode, predicates: frozenset[str]
    ) -> list[ox.Triple]:
        """What the batch's records say that links to `node` by one of `predicates` (any
        of validation.inverse_links()), with the linking resources' types."""
        if self._incoming is None:
            wanted = {p for preds in inverse_links().values() for p in preds}
            self._incoming = {}
            for record in self.records:
                links = [t for t in record.triples if t.predicate.value in wanted]
                if not links:
                    continue
                sources = {t.subject for t in links}
                types = [t for t in record.triples
                         if t.predicate == RDF_TYPE and t.subject in sources]
                for t in links:
                    self._incoming.setdefault(t.object, []).extend(
                        [t, *(u for u in types if u.subject == t.subject)])
        return [t for t in self._incoming.get(node, [])
                if t.predicate == RDF_TYPE or t.predicate.value in predicates]


class Catalog:
    """A health-data catalog in a data folder (or on a remote SPARQL store)."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        self.store = (
            store if store is not None else open_store(settings.data_dir, settings.store_url)
        )
        self._shipped: dict[ox.NamedNode | ox.BlankNode, list[ox.Quad]] | None = None
        self._shipped_triple_cache: dict[ox.NamedNode, list[ox.Triple]] = {}
        self._shipped_restored: dict[int, list[ox.Triple]] = {}
        self._vocabulary: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] | None = None
        self._listeners: list[WriteListener] = [
            self._audit_write, self._update_search, self._vocabulary_written]
        self._closing: list[Callable[[], None]] = []
        self._search: SearchIndex | None = None
        self._audit: AuditLog | None = None
        self._owns_state = False
        self._intents = WriteIntents(settings.data_dir / "audit-intents")

    def audit_log(self) -> AuditLog:
        """The audit chain of this data folder (in its private state)."""
        if self._audit is None:
            from hdcat.audit import AuditLog
            from hdcat.state import PrivateState

            self._audit = AuditLog(PrivateState.of(self.settings.data_dir))
            self._owns_state = True
            self._recover_audit()
        return self._audit

    def _recover_audit(self) -> None:
        assert self._audit is not None
        recorded = self._audit.recover(self._intents, self.store.graph)
        if recorded:
            log.warning("audit: %d graph(s) written by an interrupted run recorded now",
                        len(recorded))

    def private_state(self) -> PrivateState:
        """The private state connection this catalog's audit chain writes through; share it
        (harvests, the workflow) so that an audit entry joins the transaction of the step
        that wrote, instead of waiting for its lock."""
        return self.audit_log().state

    def share_private_state(self, state: PrivateState) -> None:
        """Write audit entries through `state` (a harvester's connection, whose transaction
        is open while it writes a page)."""
        from hdcat.audit import AuditLog

        if self._audit is not None and self._audit.state is state:
            return
        fresh = self._audit is None
        if self._audit is not None and self._owns_state:
            self._audit.state.close()
        self._audit = AuditLog(state)
        self._owns_state = False
        if fresh:
            self._recover_audit()

    def _audit_write(self, graphs: dict[str, list[ox.Triple]]) -> None:
        audit = self.audit_log()
        audit.on_write(graphs)
        audit.state.after_commit(self._intents.settle(graphs))

    def stored_graphs(self) -> Iterator[tuple[str, list[ox.Triple]]]:
        """Every named graph of the store with its triples as stored (for `audit verify`)."""
        for name in self.store.graph_names():
            yield name, self.store.graph(name)

    def search_index(self) -> SearchIndex:
        """The full-text and facet index of the public records (DATA/search.sqlite), built on
        first use and kept in step with every write made through this catalog."""
        if self._search is None:
            from hdcat.search import SearchIndex

            index = SearchIndex(self.settings.data_dir / "search.sqlite")
            if index.count() == 0 and self.count_records():
                index.rebuild(self)
            self._search = index
        return self._search

    def _update_search(self, graphs: dict[str, list[ox.Triple]]) -> None:
        if self._search is not None or (self.settings.data_dir / "search.sqlite").exists():
            self.search_index().apply(self, graphs)

    def on_write(self, listener: WriteListener) -> None:
        """Call `listener(graphs)` after every write; `graphs` maps each replaced graph to its
        new triples (empty: dropped). Indexes (search, statistics) keep in step this way."""
        self._listeners.append(listener)

    def _commit(self, graphs: dict[str, list[ox.Triple]]) -> None:
        self._intents.note(graphs)
        self.store.replace_graphs(graphs)
        for listener in self._listeners:
            listener(graphs)

    @classmethod
    def open(cls, data_dir: str | Path | None = None, **overrides: object) -> Catalog:
        settings = load_settings(data_dir, **overrides)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return cls(settings)

    def on_close(self, callback: Callable[[], None]) -> None:
        """Call `callback()` when the catalog is closed, before its store and state are:
        background jobs that read them stop there."""
        self._closing.append(callback)

    def close(self) -> None:
        closing, self._closing = self._closing, []
        for callback in closing:
            callback()
        self.store.close()
        self._intents.close()
        if self._audit is not None and self._owns_state:
            self._audit.state.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def base(self) -> str:
        return self.settings.base_iri.rstrip("/")

    # ------------------------------------------------------------------ initialisation

    def is_initialized(self) -> bool:
        return self.store.has_graph(GRAPH_ONTOLOGY)

    def initialize(self, demo: bool = False, progress: bool = False) -> LoadReport | None:
        """Load the shipped ontology, vocabularies, standards and legislation; the demo if asked."""
        graphs: dict[str, list[ox.Triple]] = {}
        for graph, paths in resources.ontology_files().items():
            triples: list[ox.Triple] = []
            for path in paths:
                triples.extend(q.triple for q in ox.parse(path=str(path)))
            graphs[graph] = triples
        self._commit(graphs)
        if demo:
            return self.load([resources.demo_catalog()], progress=progress)
        return None

    def count_records(self) -> int:
        rows = self.store.query(queries.get("stats_counts"))
        return int(rows[0]["records"].value) if rows else 0

    # ------------------------------------------------------------------ background

    def _shipped_index(self) -> dict[ox.NamedNode | ox.BlankNode, list[ox.Quad]]:
        """Subject -> quads of the shipped vocabularies, standards and legislation."""
        if self._shipped is None:
            index: dict[ox.NamedNode | ox.BlankNode, list[ox.Quad]] = {}
            for graph, paths in resources.ontology_files().items():
                name = ox.NamedNode(graph)
                for path in paths:
                    for quad in ox.parse(path=str(path)):
                        index.setdefault(quad.subject, []).append(
                            ox.Quad(quad.subject, quad.predicate, quad.object, name)
                        )
            self._shipped = index
        return self._shipped

    def _shipped_closure(self, iri: ox.NamedNode) -> list[ox.Triple]:
        """A shipped thing's description and those of the shipped things it points to,
        three links deep (a concept, its scheme, what the scheme cites...), computed once."""
        cached = self._shipped_triple_cache.get(iri)
        if cached is None:
            index = self._shipped_index()
            cached = []
            seen = {iri}
            frontier = [iri]
            for _depth in range(3):
                nxt = []
                for node in frontier:
                    for q in index.get(node, []):
                        cached.append(q.triple)
                        if isinstance(q.object, ox.NamedNode) and q.object not in seen \
                                and q.object in index:
                            seen.add(q.object)
                            nxt.append(q.object)
                frontier = nxt
            self._shipped_triple_cache[iri] = cached
            # The same triples with their datatypes restored, keyed by the list's identity
            # (validation looks them up by the list _gather hands it).
            self._shipped_restored[id(cached)] = list(datatypes.restore(cached))
        return cached

    def _stored_descriptions(
        self, iris: Iterable[ox.NamedNode], with_types: bool = False
    ) -> dict[ox.NamedNode, list[ox.Triple]]:
        """The graphs named by these IRIs; with `with_types`, also their rdf:type wherever
        stated (a link to another record's dataset is then typed, for class-range checks)."""
        iris = list(iris)
        found: dict[ox.NamedNode, list[ox.Triple]] = {}
        if not iris:
            return found
        for row in self.store.query(queries.with_values("graphs_content", g=iris)):
            found.setdefault(row["g"], []).append(ox.Triple(row["s"], row["p"], row["o"]))
        if with_types:
            for row in self.store.query(queries.with_values("resource_types", s=iris)):
                found.setdefault(row["s"], []).append(ox.Triple(row["s"], RDF_TYPE, row["o"]))
        return found

    # ------------------------------------------------------------------ validation

    def _validation_data(
        self, record: Record, batch: _Batch, cache: dict[ox.NamedNode, list[ox.Triple]]
    ) -> tuple[list[ox.Triple], set]:
        """The record plus what its rules look at: referenced things and upstream lineage."""
        parts: list[list[ox.Triple]] = []
        focus = self._gather(record, batch, cache, parts, set())
        return [t for part in parts for t in part], focus

    def _gather(
        self,
        record: Record,
        batch: _Batch,
        cache: dict[ox.NamedNode, list[ox.Triple]],
        parts: list[list[ox.Triple]],
        added: set,
    ) -> set:
        """Append to `parts` the record's triples and what its rules look at (referenced
        things, three links deep, and upstream lineage), leaving out the descriptions already
        in `added` (the group's); return the record's focus nodes. Shipped descriptions come
        with their datatypes restored already (see _shipped_closure)."""
        parts.append(record.triples)
        own = record.subjects()
        focus: set = set(own)
        shipped = self._shipped_index()
        named = ox.NamedNode
        linked = {
            o for t in record.triples
            if type(o := t.object) is named and t.predicate not in WEB_LINK_NODES
        }
        frontier = linked - own
        seen: set = set(own)
        shared = batch.shared
        by_dataset = batch.by_dataset
        for depth in range(3):
            missing = []
            next_frontier: set = set()
            for iri in frontier:
                if iri in seen:
                    continue
                seen.add(iri)
                described = shared.get(iri.value)
                if described is not None and depth == 0:
                    focus.update(t.subject for t in described)
                if described is None and iri in shipped:
                    # Shipped things (concepts, standards, laws): their closure is cached.
                    if iri not in added:
                        added.add(iri)
                        parts.append(self._shipped_closure(iri))
                    continue
                if described is None and iri in by_dataset:
                    key = ("types", iri)
                    if key not in added:
                        added.add(key)
                        parts.append([t for t in by_dataset[iri].triples
                                      if t.subject == iri and t.predicate == RDF_TYPE])
                    continue
                if described is None:
                    described = cache.get(iri)
                if described is None:
                    missing.append(iri)
                    continue
                key = ("described", iri)
                if key not in added:
                    added.add(key)
                    parts.append(described)
                next_frontier.update(
                    t.object for t in described if isinstance(t.object, ox.NamedNode)
                )
            if missing:
                stored = self._stored_descriptions(missing, with_types=True)
                for iri in missing:
                    described = cache[iri] = stored.get(iri, [])
                    key = ("described", iri)
                    if key not in added:
                        added.add(key)
                        parts.append(described)
                    next_frontier.update(
                        t.object for t in described if isinstance(t.object, ox.NamedNode)
                    )
            frontier = next_frontier
        lineage = self._upstream_lineage(record, batch)
        if lineage:
            parts.append(lineage)
        inverse = inverse_links()
        if any(o.value in inverse for o in linked):  # rarely: e.g. the record has a series
            for t in record.triples:
                if t.predicate == RDF_TYPE and t.object.value in inverse and t.subject in own:
                    parts.append(self._incoming(t.subject, inverse[t.object.value], batch))
        return focus

    def _incoming(
        self, node: ox.NamedNode | ox.BlankNode, predicates: frozenset[str], batch: _Batch
    ) -> list[ox.Triple]:
        """The links to `node` by `predicates` (rules on inverse paths look at them: a
        series' members), from the batch and from the store (where the batch does not hold
        the linking record), so a verdict does not depend on the group it is made in."""
        found = batch.incoming(node, predicates)
        if isinstance(node, ox.NamedNode):
            stored = batch.stored_incoming.get((node, predicates))
            if stored is None:
                stored = batch.stored_incoming[node, predicates] = list(self.store.query(
                    queries.with_values("incoming_links", o=[node],
                                        p=[ox.NamedNode(p) for p in sorted(predicates)])))
            found.extend(t for t in stored if t.subject not in batch.by_dataset)
        return found

    def _upstream_lineage(self, record: Record, batch: _Batch) -> list[ox.Triple]:
        facts: list[ox.Triple] = []
        frontier = {
            t.object
            for t in record.triples
            if t.predicate == PROV_DERIVED and t.subject == record.dataset
        }
        seen = {record.dataset}
        for _ in range(25):
            frontier -= seen
            if not frontier:
                break
            seen |= frontier
            from_store = []
            nxt: set = set()
            for ds in frontier:
                upstream = batch.by_dataset.get(ds)
                if upstream is None:
                    if isinstance(ds, ox.NamedNode):
                        from_store.append(ds)
                    continue
                acts = {
                    t.object
                    for t in upstream.triples
                    if t.subject == ds and t.predicate == PROV_GENERATED
                }
                for t in upstream.triples:
                    if (t.subject == ds and t.predicate in (PROV_DERIVED, PROV_GENERATED)) or (
                        t.subject in acts and t.predicate == DCT_TYPE
                    ):
                        facts.append(t)
                        if t.predicate == PROV_DERIVED:
                            nxt.add(t.object)
            if from_store:
                for t in self.store.query(queries.with_values("lineage_facts", ds=from_store)):
                    facts.append(t)
                    if t.predicate == PROV_DERIVED:
                        nxt.add(t.object)
            frontier = nxt
        return facts

    def _groups(
        self, batch: _Batch
    ) -> Iterator[tuple[list[Record], list[list[ox.Triple]], dict]]:
        """The batch's records in groups of VALIDATION_GROUP, each with the parts of its data
        graph (see _gather) and, for each focus node, the records of the group it is one of."""
        cache: dict[ox.NamedNode, list[ox.Triple]] = {}
        for start in range(0, len(batch.records), VALIDATION_GROUP):
            group = batch.records[start : start + VALIDATION_GROUP]
            parts: list[list[ox.Triple]] = []
            added: set = set()
            records_of: dict = {}  # focus node -> the records (of the group) it is a focus of
            for index, record in enumerate(group):
                for node in self._gather(record, batch, cache, parts, added):
                    records_of.setdefault(node, []).append(index)
            yield group, parts, records_of

    def _validate_batch(
        self, batch: _Batch, level: str, engine: str = "fast", gather_first: bool = False
    ) -> Iterator[tuple[Record, Report]]:
        """Validate records in groups of VALIDATION_GROUP. `engine="fast"` (hdcat.fastshacl,
        compiled shapes, one run per group; a large batch is judged in worker processes
        while the next groups are gathered, see hdcat.validation_worker);
        `engine="pyshacl"` runs pySHACL per group (its
        cost is dominated by setting up the ~300 shapes, not by the size of the data).
        With `gather_first`, everything validation reads of the store is read before the
        first verdict is given, so writes made meanwhile cannot change a verdict."""
        shipped = self._shipped_restored
        groups = self._groups(batch)
        pending: list[tuple[list[Record], dict]] = []

        def data_graphs() -> Iterator[tuple[list[ox.Triple], set]]:
            for group, parts, records_of in groups:
                # Shipped closures are restored once (cached); the rest is restored here.
                # The order of the triples is the order of their first mention, as before.
                restored = list(dict.fromkeys(
                    t for part in parts
                    for t in (shipped[id(part)] if id(part) in shipped
                              else datatypes.restore(part))
                ))
                pending.append((group, records_of))
                yield restored, set(records_of)

        if engine == "fast":
            verdicts = validation_worker.judge_groups(
                level, data_graphs(), len(batch.records), read_all_first=gather_first)
        else:
            graphs: Iterable = list(data_graphs()) if gather_first else data_graphs()
            verdicts = (self._pyshacl(restored, wanted, level) for restored, wanted in graphs)
        for results in verdicts:
            group, records_of = pending.pop(0)
            mine: list[list] = [[] for _ in group]
            for r in results:
                for index in records_of.get(to_oxigraph(r.focus), ()):
                    mine[index].append(r)
            for record, found in zip(group, mine, strict=True):
                yield record, Report(_text(record.dataset), found, source=batch.source)

    @staticmethod
    def _pyshacl(restored: list[ox.Triple], wanted: set, level: str) -> list:
        graph = triples_to_graph(restored)
        results = validate_graph(graph, profile_shapes(level),
                                 focus={to_rdflib(n) for n in wanted}, engine="pyshacl")
        if level == "core":
            results = soften_external_references(results, graph)
        return results

    # ------------------------------------------------------------------ loading

    def _existing_records(self, datasets: list) -> dict[str, str]:
        """Dataset IRI -> the record IRI that already holds it in the store."""
        named = [d for d in datasets if isinstance(d, ox.NamedNode)]
        if not named:
            return {}
        if isinstance(self.store, EmbeddedStore):
            # Index lookups, one per dataset (nothing at all while the store holds no
            # record): a VALUES block of many rows makes Oxigraph scan every record. The
            # record IRI a dataset gets by default is tried first (a point lookup).
            return self.store.records_for_datasets(
                named, {ds: mint_record_iri(ds, self.base) for ds in named})
        found: dict[str, str] = {}
        for start in range(0, len(named), 500):
            chunk = named[start : start + 500]
            for row in self.store.query(queries.with_values("records_for_datasets", ds=chunk)):
                found[str(row["ds"])] = row["record"].value
        return found

    @staticmethod
    def _document(
        path: Path, contexts: Mapping[str, object] | None, fmt: str | None
    ) -> rdfio.Document:
        return rdfio.Document(path, fmt=rdfio.detect_format(path, fmt), contexts=contexts)

    def _read(
        self, path: Path, contexts: Mapping[str, object] | None, fmt: str | None
    ) -> _Batch:
        """A file parsed once, in memory, and cut into records (for validation)."""
        doc = self._document(path, contexts, fmt)
        splitter = Splitter.from_triples(doc.triples(), self.base, today=date.today())
        existing = self._existing_records(splitter.datasets)
        records = list(splitter.iter_records(existing))
        shared, _kinds = splitter.shared_graphs()
        return _Batch(records, shared, str(path), existing)

    def load(
        self,
        paths: Iterable[str | Path],
        *,
        level: str = "full",
        strict: bool = False,
        validate: bool = True,
        contexts: Mapping[str, object] | None = None,
        fmt: str | None = None,
        progress: bool = False,
        on_record: Callable[[Record, Report | None], None] | None = None,
        engine: str = "fast",
    ) -> LoadReport:
        """Load RDF files: split into records, validate, store the valid ones.

        With `strict`, nothing is written if any file or record is refused. A file that
        cannot be read is refused whole. Nothing is ever half written: each write replaces
        whole graphs atomically.

        Without validation, each file is read twice and written as a stream of record
        chunks, so memory does not grow with the file (hdcat.records.StreamSplitter); a file
        that cannot be read is found by the first read, before anything is written. On an
        embedded store a file of at least BULK_MIN_RECORDS records is written with Oxigraph's
        bulk loader in chunks (fast, but a failure midway, such as a full disk, can leave the
        file's records partly written).
        """
        with fewer_collections():
            return self._load(paths, level=level, strict=strict, validate=validate,
                              contexts=contexts, fmt=fmt, progress=progress,
                              on_record=on_record, engine=engine)

    def _load(
        self,
        paths: Iterable[str | Path],
        *,
        level: str,
        strict: bool,
        validate: bool,
        contexts: Mapping[str, object] | None,
        fmt: str | None,
        progress: bool,
        on_record: Callable[[Record, Report | None], None] | None,
        engine: str,
    ) -> LoadReport:
        report = LoadReport()
        paths = [Path(raw) for raw in paths]
        # Unvalidated records are never refused, so a single file (or any number of files
        # when not strict) can be written while it is being split.
        stream = not validate and (not strict or len(paths) <= 1)
        # A single file validated and not strict: its accepted records are written while the
        # next ones are validated (nothing else is validated after its writes begin).
        overlap = validate and not strict and len(paths) == 1
        pending: list[tuple[_Batch, list[Record]]] = []
        for path in paths:
            try:
                if stream:
                    doc = self._document(path, contexts, fmt)
                    splitter = StreamSplitter(doc.triples, self.base, today=date.today())
                    existing = self._existing_records(splitter.datasets)
                    self._write_stream(splitter, existing, report, progress, on_record, path)
                    continue
                batch = self._read(path, contexts, fmt)
            except (DocumentChanged, SyntaxError) as e:  # the file changed between two reads
                report.errors.append(InputError(str(path), f"file changed while read: {e}"))
                continue
            except InputError as e:
                report.errors.append(e)
                continue
            if overlap:
                self._check_and_write(batch, level, progress, on_record, report, engine)
                continue
            accepted = self._check(batch, level, validate, progress, on_record, report, engine)
            pending.append((batch, accepted))
        if strict and not report.ok:
            return report
        for batch, accepted in pending:
            self._write(batch, accepted, report)
        report.written = True
        return report

    def _check(
        self,
        batch: _Batch,
        level: str,
        validate: bool,
        progress: bool,
        on_record: Callable[[Record, Report | None], None] | None,
        report: LoadReport,
        engine: str = "fast",
    ) -> list[Record]:
        """Validate a batch's records; note the refused ones in `report`; return the others."""
        checked = (
            self._validate_batch(batch, level, engine)
            if validate
            else ((r, None) for r in batch.records)
        )
        return list(self._accepted(checked, batch.source, len(batch.records), progress,
                                   on_record, report))

    def _accepted(
        self,
        checked: Iterable[tuple[Record, Report | None]],
        source: str,
        total: int,
        progress: bool,
        on_record: Callable[[Record, Report | None], None] | None,
        report: LoadReport,
    ) -> Iterator[Record]:
        """The records whose verdict (None: not validated) accepts them, and that hold no
        personal data; the refused ones noted in `report`. `total` is for the progress bar."""
        for record, verdict in _progress(checked, total, progress, Path(source).name):
            leaks = privacy.scan(record.triples)
            if leaks:  # personal data refuses a record at every level, validated or not
                verdict = Report(_text(record.dataset),
                                 [*(verdict.results if verdict else ()), *leaks],
                                 source=source)
            if on_record is not None:
                on_record(record, verdict)
            if verdict is not None and not verdict.conforms:
                report.refused.append(verdict)
                continue
            if verdict is not None and verdict.results:
                report.warned.append(verdict)
            yield record

    def _check_and_write(
        self,
        batch: _Batch,
        level: str,
        progress: bool,
        on_record: Callable[[Record, Report | None], None] | None,
        report: LoadReport,
        engine: str,
    ) -> None:
        """_check then _write (the same writes, in the same order), with each chunk of
        accepted records written by a second thread while the next records are validated
        (the bulk loader works without the GIL). All the store reads of validation are made
        before the first write, so the verdicts are those of a validation before any write.
        Listeners hear of each write in this thread, once it is done."""
        checked = self._validate_batch(batch, level, engine, gather_first=True)
        shared_done = False
        running: Future[dict[str, list[ox.Triple]]] | None = None
        with ThreadPoolExecutor(max_workers=1) as writer:
            accepted = self._accepted(checked, batch.source, len(batch.records), progress,
                                      on_record, report)
            for chunk in _write_chunks(accepted, WRITE_BATCH_RECORDS, WRITE_BATCH_QUADS,
                                       count_triples(batch.shared), final_empty=True):
                graphs: dict[str, list[ox.Triple]] = {}
                if not shared_done and (chunk or not batch.records):
                    graphs.update(batch.shared)
                    report.shared += len(batch.shared)
                    shared_done = True
                graphs.update(self._record_graphs(chunk, batch.existing, report))
                if running is not None:
                    self._notify(running.result())
                    running = None
                if graphs:
                    running = writer.submit(self._replace, graphs)
            if running is not None:
                self._notify(running.result())

    def _replace(self, graphs: dict[str, list[ox.Triple]]) -> dict[str, list[ox.Triple]]:
        self._intents.note(graphs)
        self.store.replace_graphs(graphs)
        return graphs

    def load_triples(
        self,
        triples: Iterable[ox.Triple],
        *,
        source: str,
        level: str = "full",
        strict: bool = False,
        validate: bool = True,
        select: Callable[[Record], bool] | None = None,
        decorate: Callable[[Record], None] | None = None,
        on_record: Callable[[Record, Report | None], None] | None = None,
        write: Callable[[dict[str, list[ox.Triple]]], None] | None = None,
    ) -> LoadReport:
        """Load RDF that is already parsed (a harvested page, a registration): split into
        records, keep those `select` accepts (e.g. changed ones), let `decorate` add to each
        (provenance), validate, store the valid ones. `source` names the input in reports.
        With `write`, the graphs to write are handed to it instead of being written (the
        caller writes them with `store_graphs` and tells the listeners with `notify`)."""
        report = LoadReport()
        splitter = Splitter.from_triples(triples, self.base, today=date.today())
        existing = self._existing_records(splitter.datasets)
        records = list(splitter.iter_records(existing))
        shared, _kinds = splitter.shared_graphs()
        if select is not None:
            records = [r for r in records if select(r)]
            if not records:  # nothing new: write nothing, not even the shared things
                report.written = True
                return report
        if decorate is not None:
            for record in records:
                decorate(record)
        batch = _Batch(records, shared, source, existing)
        accepted = self._check(batch, level, validate, False, on_record, report)
        if strict and not report.ok:
            return report
        self._write(batch, accepted, report, write)
        report.written = True
        return report

    def _record_graphs(
        self, records: list[Record], existing: Mapping[str, str], report: LoadReport
    ) -> dict[str, list[ox.Triple]]:
        """The graphs a write of these records replaces (an old record graph of a dataset
        that now has another record IRI is dropped: empty list)."""
        graphs: dict[str, list[ox.Triple]] = {}
        for record in records:
            old = existing.get(str(record.dataset))
            if old is not None:
                report.replaced.append(record.iri)
                if old != record.iri:
                    graphs[old] = []
            graphs[record.iri] = record.triples
            report.stored.append(record.iri)
        return graphs

    def _write(
        self,
        batch: _Batch,
        accepted: list[Record],
        report: LoadReport,
        commit: Callable[[dict[str, list[ox.Triple]]], None] | None = None,
    ) -> None:
        commit = commit or self._commit
        graphs: dict[str, list[ox.Triple]] = {}
        if accepted or not batch.records:
            graphs.update(batch.shared)
            report.shared += len(batch.shared)
        for chunk in _write_chunks(accepted, WRITE_BATCH_RECORDS, WRITE_BATCH_QUADS,
                                       count_triples(graphs)):
            graphs.update(self._record_graphs(chunk, batch.existing, report))
            commit(graphs)
            graphs = {}
        if graphs:
            commit(graphs)

    def _write_stream(
        self,
        splitter: Splitter,
        existing: dict[str, str],
        report: LoadReport,
        progress: bool,
        on_record: Callable[[Record, Report | None], None] | None,
        path: Path,
    ) -> None:
        """Write the records of a split file chunk by chunk as they are cut, then its shared
        graphs. Big files on an embedded store go through the bulk loader, in a second
        thread, while the next chunk is cut."""
        total = len(splitter.datasets)
        bulk = isinstance(self.store, EmbeddedStore) and total >= BULK_MIN_RECORDS
        clean = self._accepted(((r, None) for r in splitter.iter_records(existing)),
                               str(path), total, progress, on_record, report)
        chunks = (_write_chunks(clean, BULK_CHUNK_RECORDS, None) if bulk
                  else _write_chunks(clean, WRITE_BATCH_RECORDS, WRITE_BATCH_QUADS))
        with ThreadPoolExecutor(max_workers=1) as writer:
            running: Future[dict[str, list[ox.Triple]]] | None = None
            for chunk in chunks:
                graphs = self._record_graphs(chunk, existing, report)
                if not bulk:
                    self._commit(graphs)
                    continue
                payload = nquads(graphs)  # here: building it needs the GIL, loading it not
                if running is not None:
                    self._notify(running.result())
                running = writer.submit(self._bulk_write, graphs, payload)
            if running is not None:
                self._notify(running.result())
        shared, _kinds = splitter.shared_graphs()
        if shared:
            self._commit(shared)
        report.shared += len(shared)

    def _bulk_write(
        self, graphs: dict[str, list[ox.Triple]], payload: bytes
    ) -> dict[str, list[ox.Triple]]:
        """Replace record graphs with the bulk loader: drop those that exist, then load the
        graphs' N-Quads (`payload`). pyoxigraph releases the GIL while it loads bytes (not
        while it takes quads from a Python iterable), so the next chunk is cut meanwhile."""
        store = self.store
        assert isinstance(store, EmbeddedStore)
        self._intents.note(graphs)
        present = [name for name in graphs if store.has_graph(name)]
        if present:
            store.drop_graphs(present)
        if payload:
            store.bulk_load(payload, ox.RdfFormat.N_QUADS, trusted=True)
        return graphs

    def _notify(self, graphs: dict[str, list[ox.Triple]]) -> None:
        for listener in self._listeners:
            listener(graphs)

    def store_graphs(self, graphs: dict[str, list[ox.Triple]]) -> None:
        """Replace graphs in the store without telling the listeners (call `notify` after):
        a write another thread may make, since the listeners are not thread-safe."""
        self._intents.note(graphs)
        self.store.replace_graphs(graphs)

    def notify(self, graphs: dict[str, list[ox.Triple]]) -> None:
        """Tell the write listeners (search index, audit...) of graphs written by
        `store_graphs`."""
        self._notify(graphs)

    def replace_shared(self, iri: str, triples: list[ox.Triple]) -> None:
        """Replace the graph of one shared thing (an agent, a harvest source...)."""
        self._commit({iri: triples})

    def write_derived(self, payload: bytes, contents: Mapping[str, str]) -> None:
        """Replace many graphs of derived data (quality scores, use counters) by N-Quads
        (`payload`) with the bulk loader: recorded in the audit chain (`contents`: each
        graph's `audit.content_hash` after the write), not passed to the other write
        listeners (no index reads them)."""
        self._intents.note(contents)
        store = self.store
        present = [name for name in contents if store.has_graph(name)]
        if present:
            store.drop_graphs(present)
        if payload:
            store.bulk_load(payload, ox.RdfFormat.N_QUADS)
        audit = self.audit_log()
        audit.append(contents.items())
        audit.state.after_commit(self._intents.settle(contents))

    def drop_records(self, record_iris: Iterable[str]) -> None:
        """Remove records from the public graph (withdrawn at their source)."""
        graphs: dict[str, list[ox.Triple]] = {iri: [] for iri in record_iris}
        if graphs:
            self._commit(graphs)

    def validate_file(
        self,
        path: str | Path,
        *,
        level: str = "full",
        contexts: Mapping[str, object] | None = None,
        fmt: str | None = None,
        engine: str = "fast",
    ) -> list[Report]:
        """Validate a file as `load` would, without writing anything."""
        path = Path(path)
        with fewer_collections():
            batch = self._read(path, contexts, fmt)
            return [verdict for _record, verdict in self._validate_batch(batch, level, engine)]

    def validate_triples(
        self, triples: Iterable[ox.Triple], *, source: str, level: str = "full",
        engine: str = "fast",
    ) -> list[Report]:
        """Validate parsed RDF (a draft, a form) as `load_triples` would, without writing."""
        staging = ox.Store()
        staging.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                       for t in triples)
        splitter = Splitter(staging, self.base, today=date.today())
        existing = self._existing_records(splitter.datasets)
        records = list(splitter.iter_records(existing))
        shared, _kinds = splitter.shared_graphs()
        batch = _Batch(records, shared, source, existing)
        return [verdict for _record, verdict in self._validate_batch(batch, level, engine)]

    def validate_all(
        self, level: str = "full", progress: bool = False, engine: str = "fast"
    ) -> list[Report]:
        """Validate every stored record, each against the catalog as it is."""
        records = [
            Record(row["ds"], row["record"].value, self.record_triples(row["record"].value))
            for row in self.store.query(queries.get("all_records"))
        ]
        batch = _Batch(records, {}, "catalog")
        checked = self._validate_batch(batch, level, engine)
        return [v for _r, v in _progress(checked, len(records), progress, "catalog")]

    # ------------------------------------------------------------------ reading

    def records(self) -> list[tuple[str, str]]:
        """(record IRI, dataset IRI) of every record."""
        return [
            (row["record"].value, _text(row["ds"]))
            for row in self.store.query(queries.get("all_records"))
        ]

    def find_record(self, iri: str) -> tuple[str, ox.NamedNode | ox.BlankNode] | None:
        """The record named by a dataset IRI or a catalog record IRI."""
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return None
        # Two index lookups of one bound IRI each: a FILTER over both, or a VALUES of several
        # rows, makes Oxigraph scan every record.
        rows = self.store.query(queries.with_values("records_for_datasets", ds=[node]))
        if rows:
            return rows[0]["record"].value, node
        rows = self.store.query(queries.with_values("dataset_of_record", iri=[node]))
        if rows:
            return node.value, rows[0]["ds"]
        return None

    def record_triples(self, record_iri: str) -> list[ox.Triple]:
        return list(datatypes.restore(self.store.graph(record_iri)))

    def _vocabulary_index(self) -> dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]]:
        """Subject -> triples of the vocabularies graph (read once, until it is written)."""
        if self._vocabulary is None:
            index: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
            for t in self.store.graph(GRAPH_VOCABULARIES):
                index.setdefault(t.subject, []).append(t)
            self._vocabulary = index
        return self._vocabulary

    def _vocabulary_written(self, graphs: dict[str, list[ox.Triple]]) -> None:
        if GRAPH_VOCABULARIES in graphs:
            self._vocabulary = None

    def used_vocabulary(self, objects: set) -> list[ox.Triple]:
        """Vocabulary triples of the concepts used, and of everything those point to in the
        vocabularies (their schemes, licence types, mapped access rights...)."""
        by_subject = self._vocabulary_index()
        out: list[ox.Triple] = []
        done: set = set()
        todo = [o for o in objects if o in by_subject]
        while todo:
            node = todo.pop()
            if node in done:
                continue
            done.add(node)
            for t in by_subject[node]:
                out.append(t)
                if t.object in by_subject and t.object not in done:
                    todo.append(t.object)
        return out

    def export_quads(self, record: str | None = None, progress: bool = False) -> Iterator[ox.Quad]:
        """The public catalog (or one record with what it references) as quads."""
        if record is not None:
            found = self.find_record(record)
            if found is None:
                raise KeyError(f"no record for {record}")
            record_iri, _ds = found
            graphs = [record_iri]
        else:
            graphs = [
                g for g in self.store.graph_names() if g not in (GRAPH_VOCABULARIES, GRAPH_ONTOLOGY)
            ]
        objects: set = set()
        for name in _progress(graphs, len(graphs), progress, "export", unit="graph"):
            g = ox.NamedNode(name)
            for t in datatypes.restore(self.store.graph(name)):
                if isinstance(t.object, ox.NamedNode):
                    objects.add(t.object)
                yield ox.Quad(t.subject, t.predicate, t.object, g)
        if record is not None:
            yield from self.referenced(objects)
        else:
            # Whole catalog: standards and legislation went out as graphs; add what the
            # records cite from the ontology itself (the hdcat profile, a dct:Standard).
            for o in list(objects):
                for q in self._shipped_index().get(o, []):
                    if q.graph_name.value == GRAPH_ONTOLOGY:
                        yield q
        vocab_graph = ox.NamedNode(GRAPH_VOCABULARIES)
        for t in self.used_vocabulary(objects):
            yield ox.Quad(t.subject, t.predicate, t.object, vocab_graph)

    def referenced(self, objects: set) -> Iterator[ox.Quad]:
        """Descriptions of the things a record points to (agents, standards, legislation...),
        two links deep; adds what those point to in turn to `objects`. Concepts are left to
        used_vocabulary."""
        shipped = self._shipped_index()
        done: set = set()
        frontier = set(objects)
        for _depth in range(2):
            todo = [o for o in frontier - done if isinstance(o, ox.NamedNode)]
            done.update(todo)
            found: list[ox.Quad] = []
            for o in todo:
                found.extend(
                    q for q in shipped.get(o, []) if q.graph_name.value != GRAPH_VOCABULARIES
                )
            stored = self._stored_descriptions(o for o in todo if o not in shipped)
            for name, triples in stored.items():
                found.extend(
                    ox.Quad(t.subject, t.predicate, t.object, name)
                    for t in datatypes.restore(triples)
                )
            frontier = set()
            for q in found:
                if isinstance(q.object, ox.NamedNode) and q.object not in objects:
                    objects.add(q.object)
                    frontier.add(q.object)
                yield q

    def export(
        self, output: BinaryIO, fmt: str = "ttl", record: str | None = None, progress: bool = False
    ) -> int:
        """Write the public catalog or one record; return the number of triples written."""
        try:
            rdf_format = EXPORT_FORMATS[fmt]
        except KeyError:
            raise ValueError(
                f"unknown export format {fmt!r} (use one of {', '.join(EXPORT_FORMATS)})"
            ) from None
        quads = self.export_quads(record, progress=progress)
        if rdf_format in QUAD_FORMATS:
            items: list = list(quads)
        else:
            items = list(dict.fromkeys(q.triple for q in quads))
        ox.serialize(items, output, rdf_format, prefixes=PREFIXES)
        return len(items)

    # ------------------------------------------------------------------ numbers

    def counts(self) -> dict[str, int]:
        """The headline numbers (records, datasets, series, distributions, publishers,
        standards): two queries."""
        rows = self.store.query(queries.get("stats_counts"))
        row = rows[0] if rows else {}
        out: dict[str, int] = {
            key: int(row[var].value) if var in row else 0
            for key, var in (
                ("datasets", "datasets"),
                ("series", "series_count"),
                ("records", "records"),
                ("distributions", "distributions"),
                ("publishers", "publishers"),
            )
        }
        std = self.store.query(queries.get("count_standards"))
        out["standards"] = int(std[0]["n"].value) if std else 0
        return out

    def stats(self) -> dict[str, object]:
        """The headline numbers, the size of the store, and datasets per domain, category,
        sensitivity level and sharing mode (whole-catalog queries: for the CLI, not pages)."""
        out: dict[str, object] = dict(self.counts())
        out["triples"] = len(self.store)
        by = {
            "by_domain": "https://w3id.org/hdcat/ns#domain",
            "by_category": "https://w3id.org/hdcat/ns#dataCategory",
            "by_sensitivity_level": "https://w3id.org/hdcat/ns#sensitivityLevel",
            "by_sharing_mode": "https://w3id.org/hdcat/ns#sharingMode",
        }
        for key, prop in by.items():
            counts = self.store.query(
                queries.get("stats_by_concept"), {"property": ox.NamedNode(prop)}
            )
            out[key] = {_local(r["value"]): int(r["n"].value) for r in counts}
        return out


def _local(term: object) -> str:
    text = getattr(term, "value", str(term))
    return text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def count_triples(graphs: Mapping[str, Sequence[ox.Triple]]) -> int:
    """The triples of a write (graph name -> triples), as the write bounds count them."""
    return sum(len(triples) for triples in graphs.values())


def _write_chunks(
    records: Iterable[Record],
    max_records: int,
    max_quads: int | None,
    first_quads: int = 0,
    *,
    final_empty: bool = False,
) -> Iterator[list[Record]]:
    """The records in write-sized chunks: `max_records` records at most and no more than
    `max_quads` triples (None: no bound) unless one record alone has more, `first_quads`
    already taken in the first. Each chunk is handed on as soon as it is full; with
    `final_empty` the last chunk is yielded even when empty."""
    chunk: list[Record] = []
    quads = first_quads
    for record in records:
        size = len(record.triples)
        if chunk and max_quads is not None and quads + size > max_quads:
            yield chunk
            chunk, quads = [], 0
        chunk.append(record)
        quads += size
        if len(chunk) >= max_records:
            yield chunk
            chunk, quads = [], 0
    if chunk or final_empty:
        yield chunk


def _progress(
    items: Iterable, total: int, enabled: bool, label: str, unit: str = "rec"
) -> Iterable:
    """A progress bar on stderr for long runs (tqdm), when asked for."""
    if not enabled or total < 200:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc=label, unit=unit)


def _text(node: ox.NamedNode | ox.BlankNode) -> str:
    return node.value if isinstance(node, ox.NamedNode) else str(node)
