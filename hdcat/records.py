"""Records: one dataset description per named graph, and the splitting of loaded RDF into records.

A record holds the dataset, its catalog record and everything the dataset owns (distributions,
identifiers, contact points, periods, checksums, processing activities, statements; blank nodes
and IRIs under the dataset IRI). Shared things (agents, standards, concepts, catalogs, data
services, legislation, licences) get one graph each, named by their IRI, so loading one of them
again replaces just that thing. Triples that belong to neither are kept in a graph per subject,
so nothing of a loaded file is lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
_DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
_FOAF = "http://xmlns.com/foaf/0.1/"
DCAT_DATASET = ox.NamedNode(_DCAT + "dataset")
DCAT_RECORD = ox.NamedNode(_DCAT + "record")
DCAT_CATALOG_RECORD = ox.NamedNode(_DCAT + "CatalogRecord")
FOAF_PRIMARY_TOPIC = ox.NamedNode(_FOAF + "primaryTopic")
DCT_MODIFIED = ox.NamedNode(_DCT + "modified")
DCT_ISSUED = ox.NamedNode(_DCT + "issued")

DATASET_CLASSES = frozenset({_DCAT + "Dataset", _DCAT + "DatasetSeries"})
CATALOG_CLASSES = frozenset({_DCAT + "Catalog"})
SHARED_CLASSES = frozenset(
    {
        _FOAF + "Agent",
        _FOAF + "Organization",
        _FOAF + "Person",
        _FOAF + "Group",
        "http://www.w3.org/ns/org#Organization",
        "http://www.w3.org/ns/prov#Organization",
        "http://www.w3.org/ns/prov#Person",
        _DCT + "Standard",
        _DCT + "LicenseDocument",
        _DCT + "MediaType",
        _DCT + "MediaTypeOrExtent",
        _DCT + "LinguisticSystem",
        _DCT + "Location",
        _DCAT + "DataService",
        _DCAT + "Catalog",
        "http://www.w3.org/2004/02/skos/core#Concept",
        "http://www.w3.org/2004/02/skos/core#ConceptScheme",
        "http://www.w3.org/2004/02/skos/core#Collection",
        "http://data.europa.eu/eli/ontology#LegalResource",
    }
)
# Links that lead from a record to another record, never into it.
_CROSS_RECORD_LINKS = frozenset(
    {
        "http://www.w3.org/ns/prov#wasDerivedFrom",
        "http://www.w3.org/ns/prov#used",
        _DCAT + "previousVersion",
        _DCAT + "hasVersion",
        _DCAT + "hasCurrentVersion",
        _DCAT + "inSeries",
        _DCAT + "seriesMember",
        _DCAT + "first",
        _DCAT + "last",
        _DCAT + "prev",
        _DCAT + "next",
        _DCT + "isVersionOf",
        _DCT + "hasVersion",
        _DCT + "source",
        _DCT + "relation",
        _DCT + "isReferencedBy",
        _DCT + "references",
        _DCT + "requires",
        _DCT + "isRequiredBy",
        _DCT + "hasPart",
        _DCT + "isPartOf",
        "http://www.w3.org/ns/adms#sample",
    }
)

_CROSS_RECORD_NODES = frozenset(ox.NamedNode(iri) for iri in _CROSS_RECORD_LINKS)

Subject = ox.NamedNode | ox.BlankNode
_OUT_CACHE_SIZE = 65536


@dataclass
class Record:
    """One dataset description: the triples of its named graph."""

    dataset: Subject
    iri: str
    triples: list[ox.Triple] = field(default_factory=list)

    def subjects(self) -> set[Subject]:
        return {t.subject for t in self.triples}


@dataclass
class Split:
    """A loaded document cut into records and shared graphs."""

    records: list[Record]
    shared: dict[str, list[ox.Triple]]
    """Graphs of shared things (agents, standards, concepts...), named by the thing's IRI."""
    kinds: dict[str, str]
    """For each shared graph, what it holds: agent, standard, concept, catalog, other."""


def mint_record_iri(dataset: Subject, base: str, content: Iterable[ox.Triple] = ()) -> str:
    base = base.rstrip("/")
    if isinstance(dataset, ox.NamedNode):
        prefix = base + "/dataset/"
        if dataset.value.startswith(prefix) and "#" not in dataset.value:
            return base + "/record/" + dataset.value[len(prefix) :]
        key = dataset.value
    else:
        key = "\n".join(sorted(str(t) for t in content))
    return base + "/record/" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def _kind(types: set[str]) -> str:
    if types & {
        _FOAF + "Agent",
        _FOAF + "Organization",
        _FOAF + "Person",
        _FOAF + "Group",
        "http://www.w3.org/ns/org#Organization",
        "http://www.w3.org/ns/prov#Organization",
        "http://www.w3.org/ns/prov#Person",
    }:
        return "agent"
    if _DCT + "Standard" in types:
        return "standard"
    if types & {
        "http://www.w3.org/2004/02/skos/core#Concept",
        "http://www.w3.org/2004/02/skos/core#ConceptScheme",
        "http://www.w3.org/2004/02/skos/core#Collection",
    }:
        return "concept"
    if _DCAT + "Catalog" in types:
        return "catalog"
    if _DCAT + "DataService" in types:
        return "service"
    return "other"


_TYPE, _PRIMARY, _CATALOG_LINK, _CROSS = 1, 2, 3, 4
_PREDICATE_KIND: dict[ox.NamedNode, int] = {
    RDF_TYPE: _TYPE,
    FOAF_PRIMARY_TOPIC: _PRIMARY,
    DCAT_DATASET: _CATALOG_LINK,
    DCAT_RECORD: _CATALOG_LINK,
    **{node: _CROSS for node in _CROSS_RECORD_NODES},
}
_NOT_FOLLOWED = DATASET_CLASSES | SHARED_CLASSES
_NO_TYPES: frozenset[str] = frozenset()


class DocumentChanged(ValueError):
    """The second read of a document did not give what the first gave."""


class _Cut:
    """What cutting a document into records needs, and the cut itself.

    A scan of the document's triples notes each subject's types and the nodes it links to
    (not through literals or the links that lead to other records); `_plan` then walks, from
    every dataset and catalog record, the nodes a record owns, exactly as the rules in the
    module docstring say. Which triples go where only depends on the subjects: a record holds
    every triple of every node it owns.
    """

    def __init__(self, base: str, today: date | None) -> None:
        self.base = base.rstrip("/")
        self.catalog = ox.NamedNode(self.base + "/catalog")
        self.today = ox.Literal((today or date.today()).isoformat(), datatype=XSD_DATE)
        self.types: dict[Subject, frozenset[str]] = {}
        self._links: dict[Subject, list] = {}
        self._primary_links: list[tuple[object, object]] = []
        self._foreign_links: list[ox.Triple] = []
        self._taken: set[Subject] = set()
        self._planned = False

    # -- the scan (one pass over the document)
    def _note_type(self, s: Subject, o: object, combos: dict) -> None:
        if type(o) is ox.NamedNode:
            have = self.types.get(s, _NO_TYPES)
            key = (have, o.value)
            combo = combos.get(key)
            if combo is None:
                combo = combos[key] = have | {o.value}
            self.types[s] = combo

    def _scan(self, triples: Iterable, keep: dict | None, last: dict | None,
              blanks: dict | None) -> int:
        """Note what the cut needs of each triple. With `keep`, each subject's triples are
        kept (subject -> list); with `last` (and `blanks`), the index of each subject's last
        triple and the blank nodes in the order they first appear, and the triples are not
        kept (objects are interned instead). Returns the triple count."""
        links = self._links
        links_get = links.get
        kinds_get = _PREDICATE_KIND.get
        combos: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        literal = ox.Literal
        blank = ox.BlankNode
        catalog = self.catalog
        count = 0
        if keep is not None:
            keep_get = keep.get
            triple = ox.Triple
            for t in triples:
                if type(t) is not triple:
                    t = t.triple  # a Quad of a parser
                s = t.subject
                o = t.object
                mine = keep_get(s)
                if mine is None:
                    keep[s] = [t]
                else:
                    mine.append(t)
                kind = kinds_get(t.predicate)
                if kind is not None:
                    if kind == _TYPE:
                        self._note_type(s, o, combos)
                    elif kind == _PRIMARY:
                        self._primary_links.append((s, o))
                    elif kind == _CATALOG_LINK:
                        if s != catalog:
                            self._foreign_links.append(t)
                    else:  # a link to another record: never followed
                        continue
                if type(o) is literal:
                    continue
                mine = links_get(s)
                if mine is None:
                    links[s] = [o]
                else:
                    mine.append(o)
            return sum(len(v) for v in keep.values())
        assert last is not None and blanks is not None
        intern = {}.setdefault
        for t in triples:
            s = t.subject
            last[s] = count
            count += 1
            o = t.object
            to = type(o)
            if type(s) is blank and s not in blanks:
                blanks[s] = None
            if to is blank and o not in blanks:
                blanks[o] = None
            kind = kinds_get(t.predicate)
            if kind is not None:
                if kind == _TYPE:
                    self._note_type(s, o, combos)
                elif kind == _PRIMARY:
                    self._primary_links.append((s, o))
                elif kind == _CATALOG_LINK:
                    if s != catalog:
                        self._foreign_links.append(t.triple)
                else:
                    continue
            if to is literal:
                continue
            o = intern(o, o)
            mine = links_get(s)
            if mine is None:
                links[s] = [o]
            else:
                mine.append(o)
        return count

    # -- the plan
    def _closure(self, root: Subject, stop: set, subjects: Mapping) -> list[Subject]:
        """The nodes a record (or shared thing) rooted at `root` owns, root first."""
        nodes: list[Subject] = []
        seen = {root}
        stack = [root]
        types = self.types
        links = self._links
        prefixes = (root.value + "#", root.value + "/") if isinstance(root, ox.NamedNode) else None
        blank = ox.BlankNode
        named = ox.NamedNode
        while stack:
            node = stack.pop()
            nodes.append(node)
            for obj in links.get(node, ()):
                if obj in seen or obj in stop:
                    continue
                if type(obj) is not blank:
                    if type(obj) is not named:
                        continue
                    node_types = types.get(obj)
                    if node_types is not None and node_types & _NOT_FOLLOWED:
                        continue
                    if not (
                        node_types is not None
                        or (prefixes is not None and obj.value.startswith(prefixes))
                        or obj in subjects
                    ):
                        continue
                seen.add(obj)
                stack.append(obj)
        self._taken.update(seen)
        return nodes

    def _plan(self, subjects: Mapping) -> None:
        """Assign every subject: to the records that own it, to shared graphs, or leftover."""
        types = self.types
        self._datasets: list[Subject] = [s for s, t in types.items() if t & DATASET_CLASSES]
        primary: dict = {}
        for s, o in self._primary_links:
            if DCAT_CATALOG_RECORD.value in types.get(s, ()):
                primary[o] = s
        self._primary = primary
        self._stop = stop = set(self._datasets) | set(primary.values())
        # Links from other catalogs of the same document to a dataset or record stay with it.
        foreign: dict[tuple[ox.NamedNode, object], list[ox.Triple]] = {}
        for t in self._foreign_links:
            foreign.setdefault((t.predicate, t.object), []).append(t)
        self._foreign = foreign
        self._record_nodes: list[list[Subject]] = []
        for ds in self._datasets:
            # The root is in the closure's `seen` from the start, so `stop` may include it.
            nodes = self._closure(ds, stop, subjects)
            rec_node = primary.get(ds)
            if rec_node is not None:
                mine = set(nodes)
                nodes += [n for n in self._closure(rec_node, stop, subjects) if n not in mine]
            self._record_nodes.append(nodes)
        self._shared_nodes: list[tuple[str, str, list[Subject]]] = []
        for node, node_types in types.items():
            if node in self._taken or not isinstance(node, ox.NamedNode):
                continue
            if not node_types & SHARED_CLASSES:
                continue
            self._shared_nodes.append((node.value, _kind(node_types),
                                       self._closure(node, stop, subjects)))
        self._leftover_subjects = [s for s in subjects if s not in self._taken]
        self._links = {}  # not needed any more
        self._planned = True

    # -- building records and graphs
    @property
    def datasets(self) -> list[Subject]:
        return list(self._datasets)

    def _finish(self, index: int, triples: list[ox.Triple], existing: Mapping[str, str]) -> Record:
        ds = self._datasets[index]
        rec_node = self._primary.get(ds)
        iri = rec_node.value if isinstance(rec_node, ox.NamedNode) else None
        if iri is None:
            iri = existing.get(str(ds)) or mint_record_iri(ds, self.base, triples)
            triples += self._catalog_record(ds, ox.NamedNode(iri))
        rec = ox.NamedNode(iri)
        if _DCAT + "Dataset" in self.types[ds]:
            # A series that is not also typed dcat:Dataset is listed by its record only:
            # DCAT-AP's catalog checks dcat:dataset against dcat:Dataset, without inference.
            triples.append(ox.Triple(self.catalog, DCAT_DATASET, ds))
        triples.append(ox.Triple(self.catalog, DCAT_RECORD, rec))
        foreign = self._foreign
        if foreign:
            triples.extend(foreign.get((DCAT_DATASET, ds), ()))
            if rec_node is not None:
                triples.extend(foreign.get((DCAT_RECORD, rec_node), ()))
        return Record(ds, iri, _unique(triples))

    def _catalog_record(self, ds: Subject, rec: ox.NamedNode) -> list[ox.Triple]:
        return [
            ox.Triple(rec, RDF_TYPE, DCAT_CATALOG_RECORD),
            ox.Triple(rec, FOAF_PRIMARY_TOPIC, ds),
            ox.Triple(rec, DCT_MODIFIED, self.today),
        ]

    def _keeps(self, t: ox.Triple) -> bool:
        """Whether a shared or leftover graph keeps a triple: a catalog's links to the
        datasets and records of the document travel with the records."""
        return not (t.predicate in (DCAT_DATASET, DCAT_RECORD) and t.object in self._stop)

    def _graphs(
        self, shared_triples: list[list[ox.Triple]], leftover_triples: Iterable[
            tuple[Subject, list[ox.Triple]]]
    ) -> tuple[dict[str, list[ox.Triple]], dict[str, str]]:
        shared: dict[str, list[ox.Triple]] = {}
        kinds: dict[str, str] = {}
        for (name, kind, _nodes), triples in zip(self._shared_nodes, shared_triples, strict=True):
            shared[name] = _unique([t for t in triples if self._keeps(t)])
            kinds[name] = kind
        loose: list[ox.Triple] = []
        for s, triples in leftover_triples:
            kept = [t for t in triples if self._keeps(t)]
            if not kept:
                continue
            if isinstance(s, ox.NamedNode):
                shared.setdefault(s.value, []).extend(kept)
                kinds.setdefault(s.value, "other")
            else:
                loose.extend(kept)
        for name in kinds:
            if kinds[name] == "other" and name in shared:
                shared[name] = _unique(shared[name])
        if loose:
            loose = _unique(loose)
            key = hashlib.sha1("\n".join(sorted(map(str, loose))).encode("utf-8")).hexdigest()[:20]
            shared[f"urn:hdcat:graph:loose:{key}"] = loose
            kinds[f"urn:hdcat:graph:loose:{key}"] = "other"
        return shared, kinds


class Splitter(_Cut):
    """Cuts a document held in memory into records and shared graphs.

    `Splitter(staging, base)` reads the default graph of a (staging) store;
    `Splitter.from_triples(triples, base)` takes parsed triples (or the Quads of a parser,
    all taken as in the default graph). Records come out in the
    order their datasets are first typed in the document.
    """

    def __init__(
        self,
        staging: ox.Store | None,
        base: str,
        today: date | None = None,
        *,
        triples: Iterable[ox.Triple] | None = None,
    ) -> None:
        super().__init__(base, today)
        if triples is None:
            assert staging is not None
            triples = (
                q.triple for q in staging.quads_for_pattern(None, None, None, ox.DefaultGraph())
            )
        self._by_subject: dict[Subject, list[ox.Triple]] = {}
        self.count = self._scan(triples, self._by_subject, None, None)
        self._plan(self._by_subject)

    @classmethod
    def from_triples(
        cls, triples: Iterable[ox.Triple], base: str, today: date | None = None
    ) -> Splitter:
        return cls(None, base, today, triples=triples)

    def _triples_of(self, nodes: list[Subject]) -> list[ox.Triple]:
        by_subject = self._by_subject
        if len(nodes) == 1:
            return list(by_subject.get(nodes[0], ()))
        return [t for n in nodes for t in by_subject.get(n, ())]

    def split(self, existing_records: dict[str, str] | None = None) -> Split:
        records = list(self.iter_records(existing_records))
        shared, kinds = self.shared_graphs()
        return Split(records, shared, kinds)

    def iter_records(self, existing_records: Mapping[str, str] | None = None) -> Iterator[Record]:
        """The records, one by one; `existing_records` maps dataset IRI -> its stored record IRI."""
        existing = existing_records or {}
        for index, nodes in enumerate(self._record_nodes):
            yield self._finish(index, self._triples_of(nodes), existing)

    def shared_graphs(self) -> tuple[dict[str, list[ox.Triple]], dict[str, str]]:
        """Graphs of shared things and of leftovers (per IRI; blank-node leftovers together)."""
        by_subject = self._by_subject
        return self._graphs(
            [self._triples_of(nodes) for _name, _kind, nodes in self._shared_nodes],
            ((s, by_subject[s]) for s in self._leftover_subjects),
        )


class StreamSplitter(_Cut):
    """Cuts a document that is read twice, never held in memory whole.

    `read()` must give the same triples in the same order each time it is called (a parse of
    a file); blank nodes are matched between the two reads by the order they first appear in,
    so a parser that labels anonymous blank nodes afresh on each read is fine. The first read
    notes what the cut needs (types and links between nodes, about 100 bytes a node); the
    second streams the triples into records, each given out (in the order of its dataset) as
    soon as the last triple of the nodes it owns has been read. Shared and leftover graphs
    are complete once `iter_records` is exhausted.
    """

    def __init__(self, read: Callable[[], Iterable], base: str, today: date | None = None) -> None:
        super().__init__(base, today)
        self._read = read
        self._last: dict[Subject, int] = {}
        self._blanks: dict = {}
        self.count = self._scan(read(), None, self._last, self._blanks)
        self._plan(self._last)
        self._shared: tuple[dict[str, list[ox.Triple]], dict[str, str]] | None = None

    def _routes(self) -> tuple[dict, list[list], dict[int, list[int]], list, list]:
        """Subject -> the buffer (or tuple of buffers) its triples go to; the record buffers;
        triple index -> the records complete after it; shared and leftover buffers."""
        last = self._last
        record_bufs: list[list] = [[] for _ in self._record_nodes]
        owners: dict[Subject, list[list]] = {}
        done_at: dict[int, list[int]] = {}
        for index, nodes in enumerate(self._record_nodes):
            end = -1
            buf = record_bufs[index]
            for n in nodes:
                owners.setdefault(n, []).append(buf)
                end = max(end, last.get(n, -1))
            done_at.setdefault(end, []).append(index)
        shared_bufs: list[list[ox.Triple]] = [[] for _ in self._shared_nodes]
        for buf, (_name, _kind, nodes) in zip(shared_bufs, self._shared_nodes, strict=True):
            for n in nodes:
                owners.setdefault(n, []).append(buf)
        leftover_bufs: list[tuple[Subject, list[ox.Triple]]] = []
        for s in self._leftover_subjects:
            buf = []
            leftover_bufs.append((s, buf))
            owners.setdefault(s, []).append(buf)
        # One owner (nearly always): the buffer itself; more: a tuple of them.
        routes = {s: got[0] if len(got) == 1 else tuple(got) for s, got in owners.items()}
        self._last = {}
        return routes, record_bufs, done_at, shared_bufs, leftover_bufs

    def iter_records(self, existing_records: Mapping[str, str] | None = None) -> Iterator[Record]:
        existing = existing_records or {}
        routes, record_bufs, done_at, shared_bufs, leftover_bufs = self._routes()
        route = routes.get
        total = len(record_bufs)
        complete = [False] * total
        ends = sorted(done_at)
        ends.append(-2)
        at = 0
        if ends[0] == -1:  # records whose nodes have no triples at all
            for r in done_at[-1]:
                complete[r] = True
            at = 1
        next_end = ends[at]
        emitted = 0
        blank_order = list(self._blanks)
        self._blanks = {}
        mapping: dict = {}
        blank = ox.BlankNode
        triple = ox.Triple
        listed = list
        i = -1
        for t in self._read():
            i += 1
            s = t.subject
            if blank_order:
                o = t.object
                if type(s) is blank or type(o) is blank:
                    if type(s) is blank:
                        s = mapping.get(s) or mapping.setdefault(s, blank_order[len(mapping)])
                    if type(o) is blank:
                        o = mapping.get(o) or mapping.setdefault(o, blank_order[len(mapping)])
                    t = triple(s, t.predicate, o)
                elif type(t) is not triple:
                    t = t.triple
            elif type(t) is not triple:
                t = t.triple
            got = route(s)
            if got is not None:
                if type(got) is listed:
                    got.append(t)
                else:
                    for buf in got:
                        buf.append(t)
            if i == next_end:
                for r in done_at[i]:
                    complete[r] = True
                at += 1
                next_end = ends[at]
                while emitted < total and complete[emitted]:
                    yield self._emit(emitted, record_bufs, existing)
                    emitted += 1
        if i + 1 != self.count:
            raise DocumentChanged(
                f"the document changed while it was read ({self.count} triples, then {i + 1})")
        while emitted < total:
            yield self._emit(emitted, record_bufs, existing)
            emitted += 1
        self._shared = self._graphs(shared_bufs, leftover_bufs)

    def _emit(self, index: int, record_bufs: list[list], existing: Mapping[str, str]) -> Record:
        buf = record_bufs[index]
        record = self._finish(index, buf, existing)  # gives a new list
        buf.clear()  # the routes still point to it: keep nothing
        return record

    def shared_graphs(self) -> tuple[dict[str, list[ox.Triple]], dict[str, str]]:
        """Graphs of shared things and of leftovers; call after iter_records() is exhausted."""
        if self._shared is None:
            raise RuntimeError("StreamSplitter.shared_graphs() before iter_records() ended")
        return self._shared


def _unique(triples: list[ox.Triple]) -> list[ox.Triple]:
    return list(dict.fromkeys(triples))
