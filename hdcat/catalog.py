"""The catalog core: load, validate, store and read records.

Data flows one way: files are parsed into a staging store, cut into records
(hdcat.records), validated per record (hdcat.validation) and written to the catalog store
(hdcat.store) one named graph per record. Readers (CLI, web service) go through this class.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph as ox

from hdcat import datatypes, queries, rdfio, resources
from hdcat.config import Settings, load_settings
from hdcat.errors import InputError
from hdcat.namespaces import (
    GRAPH_LEGISLATION,
    GRAPH_ONTOLOGY,
    GRAPH_STANDARDS,
    GRAPH_VOCABULARIES,
    PREFIXES,
)
from hdcat.records import RDF_TYPE, Record, Splitter
from hdcat.store import EmbeddedStore, Store, open_store
from hdcat.terms import to_rdflib, triples_to_graph

if TYPE_CHECKING:
    from hdcat.search import SearchIndex
from hdcat.validation import Report, profile_shapes, soften_external_references, validate_graph

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
# Files larger than this are staged on disk rather than in memory. An in-memory staging store
# takes about 400 bytes a triple (a 630 MB N-Triples file of 4.3M triples: about 1.7 GB) but is
# read about six times faster than one on disk, whose reads decode every term from RocksDB.
DISK_STAGING_BYTES = 1024 * 1024 * 1024
WRITE_BATCH_RECORDS = 2000
# Unvalidated loads of files with at least this many records use the bulk loader (embedded
# store), in chunks of BULK_CHUNK_RECORDS records.
BULK_MIN_RECORDS = 5000
BULK_CHUNK_RECORDS = 5000
VALIDATION_GROUP = 50

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

    def __post_init__(self) -> None:
        self.by_dataset = {r.dataset: r for r in self.records}


class Catalog:
    """A health-data catalog in a data folder (or on a remote SPARQL store)."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        self.store = (
            store if store is not None else open_store(settings.data_dir, settings.store_url)
        )
        self._shipped: dict[ox.NamedNode | ox.BlankNode, list[ox.Quad]] | None = None
        self._shipped_triple_cache: dict[ox.NamedNode, list[ox.Triple]] = {}
        self._vocabulary: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] | None = None
        self._listeners: list[WriteListener] = [self._update_search, self._vocabulary_written]
        self._search: SearchIndex | None = None

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
        self.store.replace_graphs(graphs)
        for listener in self._listeners:
            listener(graphs)

    @classmethod
    def open(cls, data_dir: str | Path | None = None, **overrides: object) -> Catalog:
        settings = load_settings(data_dir, **overrides)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return cls(settings)

    def close(self) -> None:
        self.store.close()

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
        triples: list[ox.Triple] = list(record.triples)
        own = record.subjects()
        focus: set = set(own)
        shipped = self._shipped_index()
        frontier = {
            t.object for t in record.triples
            if isinstance(t.object, ox.NamedNode) and t.predicate.value not in WEB_LINKS
        } - own
        seen: set = set(own)
        for depth in range(3):
            missing = []
            next_frontier: set = set()
            for iri in frontier:
                if iri in seen:
                    continue
                seen.add(iri)
                described = batch.shared.get(iri.value)
                if described is not None and depth == 0:
                    focus.update(t.subject for t in described)
                if described is None and iri in shipped:
                    # Shipped things (concepts, standards, laws): their closure is cached.
                    triples.extend(self._shipped_closure(iri))
                    continue
                if described is None and iri in batch.by_dataset:
                    other = batch.by_dataset[iri]
                    triples.extend(
                        t for t in other.triples if t.subject == iri and t.predicate == RDF_TYPE
                    )
                    continue
                if described is None:
                    described = cache.get(iri)
                if described is None:
                    missing.append(iri)
                    continue
                triples.extend(described)
                next_frontier.update(
                    t.object for t in described if isinstance(t.object, ox.NamedNode)
                )
            if missing:
                stored = self._stored_descriptions(missing, with_types=True)
                for iri in missing:
                    cache[iri] = stored.get(iri, [])
                    triples.extend(cache[iri])
                    next_frontier.update(
                        t.object for t in cache[iri] if isinstance(t.object, ox.NamedNode)
                    )
            frontier = next_frontier
        triples.extend(self._upstream_lineage(record, batch))
        return triples, focus

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

    def _validate_batch(
        self, batch: _Batch, level: str, engine: str = "fast"
    ) -> Iterator[tuple[Record, Report]]:
        """Validate records in groups of VALIDATION_GROUP. `engine="fast"` (hdcat.fastshacl,
        compiled shapes, one run per group); `engine="pyshacl"` runs pySHACL per group (its
        cost is dominated by setting up the ~300 shapes, not by the size of the data)."""
        from hdcat.fastshacl import DescribedSubjects, fast_validator

        shapes = profile_shapes(level)
        cache: dict[ox.NamedNode, list[ox.Triple]] = {}
        for start in range(0, len(batch.records), VALIDATION_GROUP):
            group = batch.records[start : start + VALIDATION_GROUP]
            triples: list[ox.Triple] = []
            focus_of: list[set] = []
            for record in group:
                data, focus = self._validation_data(record, batch, cache)
                triples.extend(data)
                focus_of.append({to_rdflib(n) for n in focus})
            restored = list(datatypes.restore(dict.fromkeys(triples)))
            wanted = set().union(*focus_of)
            if engine == "fast":
                results = fast_validator(shapes).validate(restored, focus=wanted)
                described = DescribedSubjects(restored)
            else:
                graph = triples_to_graph(restored)
                results = validate_graph(graph, shapes, focus=wanted, engine="pyshacl")
                described = graph
            if level == "core":
                results = soften_external_references(results, described)
            for record, focus in zip(group, focus_of, strict=True):
                mine = [r for r in results if r.focus in focus]
                yield record, Report(_text(record.dataset), mine, source=batch.source)

    # ------------------------------------------------------------------ loading

    @contextmanager
    def _staging(self, path: Path) -> Iterator[ox.Store]:
        size = path.stat().st_size if path.exists() else 0
        if size > DISK_STAGING_BYTES:
            with tempfile.TemporaryDirectory(prefix="staging-", dir=self.settings.data_dir) as d:
                yield ox.Store(d)
        else:
            yield ox.Store()

    def _existing_records(self, datasets: list) -> dict[str, str]:
        named = [d for d in datasets if isinstance(d, ox.NamedNode)]
        found: dict[str, str] = {}
        for start in range(0, len(named), 500):
            chunk = named[start : start + 500]
            for row in self.store.query(queries.with_values("records_for_datasets", ds=chunk)):
                found[str(row["ds"])] = row["record"].value
        return found

    def _split(
        self, path: Path, staging: ox.Store, contexts: Mapping[str, object] | None, fmt: str | None
    ) -> tuple[Splitter, dict[str, str]]:
        rdfio.parse_into(staging, path, fmt=rdfio.detect_format(path, fmt), contexts=contexts)
        splitter = Splitter(staging, self.base, today=date.today())
        return splitter, self._existing_records(splitter.datasets)

    def _read(
        self, path: Path, staging: ox.Store, contexts: Mapping[str, object] | None, fmt: str | None
    ) -> _Batch:
        splitter, existing = self._split(path, staging, contexts, fmt)
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

        Without validation, each file is split and written as a stream of record chunks, so
        memory does not grow with the file; on an embedded store a file of at least
        BULK_MIN_RECORDS records is written with Oxigraph's bulk loader (fast, but a failure
        midway can leave the file's records partly written).
        """
        report = LoadReport()
        paths = [Path(raw) for raw in paths]
        # Unvalidated records are never refused, so a single file (or any number of files
        # when not strict) can be written while it is being split.
        stream = not validate and (not strict or len(paths) <= 1)
        pending: list[tuple[_Batch, list[Record]]] = []
        for path in paths:
            try:
                with self._staging(path) as staging:
                    if stream:
                        splitter, existing = self._split(path, staging, contexts, fmt)
                        self._write_stream(splitter, existing, report, progress, on_record, path)
                        continue
                    batch = self._read(path, staging, contexts, fmt)
            except InputError as e:
                report.errors.append(e)
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
        accepted: list[Record] = []
        checked = (
            self._validate_batch(batch, level, engine)
            if validate
            else ((r, None) for r in batch.records)
        )
        label = Path(batch.source).name
        for record, verdict in _progress(checked, len(batch.records), progress, label):
            if on_record is not None:
                on_record(record, verdict)
            if verdict is not None and not verdict.conforms:
                report.refused.append(verdict)
                continue
            if verdict is not None and verdict.results:
                report.warned.append(verdict)
            accepted.append(record)
        return accepted

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
    ) -> LoadReport:
        """Load RDF that is already parsed (a harvested page, a registration): split into
        records, keep those `select` accepts (e.g. changed ones), let `decorate` add to each
        (provenance), validate, store the valid ones. `source` names the input in reports."""
        report = LoadReport()
        staging = ox.Store()
        staging.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                       for t in triples)
        splitter = Splitter(staging, self.base, today=date.today())
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
        self._write(batch, accepted, report)
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

    def _write(self, batch: _Batch, accepted: list[Record], report: LoadReport) -> None:
        graphs: dict[str, list[ox.Triple]] = {}
        if accepted or not batch.records:
            graphs.update(batch.shared)
            report.shared += len(batch.shared)
        for start in range(0, len(accepted), WRITE_BATCH_RECORDS):
            chunk = accepted[start : start + WRITE_BATCH_RECORDS]
            graphs.update(self._record_graphs(chunk, batch.existing, report))
            self._commit(graphs)
            graphs = {}
        if graphs:
            self._commit(graphs)

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
        size = BULK_CHUNK_RECORDS if bulk else WRITE_BATCH_RECORDS
        records = _progress(splitter.iter_records(existing), total, progress, path.name)
        with ThreadPoolExecutor(max_workers=1) as writer:
            running: Future[dict[str, list[ox.Triple]]] | None = None
            chunk: list[Record] = []
            for record in itertools.chain(records, [None]):
                if record is not None:
                    if on_record is not None:
                        on_record(record, None)
                    chunk.append(record)
                    if len(chunk) < size:
                        continue
                if not chunk:
                    break
                graphs = self._record_graphs(chunk, existing, report)
                chunk = []
                if not bulk:
                    self._commit(graphs)
                    continue
                if running is not None:
                    self._notify(running.result())
                running = writer.submit(self._bulk_write, graphs)
            if running is not None:
                self._notify(running.result())
        shared, _kinds = splitter.shared_graphs()
        if shared:
            self._commit(shared)
        report.shared += len(shared)

    def _bulk_write(self, graphs: dict[str, list[ox.Triple]]) -> dict[str, list[ox.Triple]]:
        """Replace record graphs with the bulk loader: drop those that exist, then add."""
        store = self.store
        assert isinstance(store, EmbeddedStore)
        present = [name for name in graphs if store.has_graph(name)]
        if present:
            store.drop_graphs(present)
        store.bulk_extend(
            ox.Quad(t.subject, t.predicate, t.object, g)
            for name, triples in graphs.items()
            for g in (ox.NamedNode(name),)
            for t in triples
        )
        return graphs

    def _notify(self, graphs: dict[str, list[ox.Triple]]) -> None:
        for listener in self._listeners:
            listener(graphs)

    def replace_shared(self, iri: str, triples: list[ox.Triple]) -> None:
        """Replace the graph of one shared thing (an agent, a harvest source...)."""
        self._commit({iri: triples})

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
        with self._staging(path) as staging:
            batch = self._read(path, staging, contexts, fmt)
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
