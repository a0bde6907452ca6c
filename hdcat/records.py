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
from collections.abc import Iterable, Iterator
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


class Splitter:
    """Cuts the default graph of a staging store into records and shared graphs."""

    def __init__(self, staging: ox.Store, base: str, today: date | None = None) -> None:
        self.staging = staging
        self.base = base.rstrip("/")
        self.catalog = ox.NamedNode(self.base + "/catalog")
        self.today = ox.Literal((today or date.today()).isoformat(), datatype=XSD_DATE)
        self._taken: set[Subject] = set()
        # Outgoing triples looked up by _owned_by, kept until _closure walks the node (or, for
        # nodes with none, while the cache is small): memory stays bounded on big files.
        self._out: dict[Subject, list[ox.Triple]] = {}
        self.types: dict[Subject, frozenset[str]] = {}
        # One frozenset per distinct combination of types, shared by all nodes that have it.
        combos: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        empty: frozenset[str] = frozenset()
        types = self.types
        for quad in staging.quads_for_pattern(None, RDF_TYPE, None, ox.DefaultGraph()):
            obj = quad.object
            if isinstance(obj, ox.NamedNode):
                subject = quad.subject
                have = types.get(subject, empty)
                key = (have, obj.value)
                combo = combos.get(key)
                if combo is None:
                    combo = combos[key] = have | {obj.value}
                types[subject] = combo
        self._datasets = [s for s, t in types.items() if t & DATASET_CLASSES]

    def _outgoing(self, node: Subject, keep: bool = False) -> list[ox.Triple]:
        cached = self._out.pop(node, None)
        if cached is None:
            cached = [
                q.triple
                for q in self.staging.quads_for_pattern(node, None, None, ox.DefaultGraph())
            ]
        if keep:
            if len(self._out) >= _OUT_CACHE_SIZE:
                self._out.clear()
            self._out[node] = cached
        return cached

    def _is_dataset(self, node: object) -> bool:
        return bool(self.types.get(node, set()) & DATASET_CLASSES)  # type: ignore[arg-type]

    def _is_shared(self, node: object) -> bool:
        return isinstance(node, ox.NamedNode) and bool(self.types.get(node, set()) & SHARED_CLASSES)

    def _owned_by(self, root: Subject, node: object) -> bool:
        if isinstance(node, ox.BlankNode):
            return True
        if not isinstance(node, ox.NamedNode) or self._is_dataset(node) or self._is_shared(node):
            return False
        if isinstance(root, ox.NamedNode) and node.value.startswith(
            (root.value + "#", root.value + "/")
        ):
            return True
        return node in self.types or bool(self._outgoing(node, keep=True))

    def _closure(self, root: Subject, stop_at: set[Subject]) -> list[ox.Triple]:
        # _owned_by, inlined: this loop runs once per triple of every record.
        triples: list[ox.Triple] = []
        seen = {root}
        stack = [root]
        types = self.types
        prefixes = (root.value + "#", root.value + "/") if isinstance(root, ox.NamedNode) else None
        while stack:
            node = stack.pop()
            for t in self._outgoing(node):
                triples.append(t)
                obj = t.object
                if (
                    isinstance(obj, ox.Literal)
                    or obj in seen
                    or obj in stop_at
                    or t.predicate in _CROSS_RECORD_NODES
                ):
                    continue
                if not isinstance(obj, ox.BlankNode):
                    if not isinstance(obj, ox.NamedNode):
                        continue
                    node_types = types.get(obj)
                    if node_types is not None and (
                        node_types & DATASET_CLASSES or node_types & SHARED_CLASSES
                    ):
                        continue
                    if not (
                        (prefixes is not None and obj.value.startswith(prefixes))
                        or node_types is not None
                        or self._outgoing(obj, keep=True)
                    ):
                        continue
                seen.add(obj)
                stack.append(obj)
        self._taken.update(seen)
        return triples

    @property
    def datasets(self) -> list[Subject]:
        return list(self._datasets)

    def split(self, existing_records: dict[str, str] | None = None) -> Split:
        records = list(self.iter_records(existing_records))
        shared, kinds = self.shared_graphs()
        return Split(records, shared, kinds)

    def iter_records(self, existing_records: dict[str, str] | None = None) -> Iterator[Record]:
        """The records, one by one; `existing_records` maps dataset IRI -> its stored record IRI."""
        existing = existing_records or {}
        datasets = self._datasets
        primary: dict[Subject, Subject] = {}
        for quad in self.staging.quads_for_pattern(
            None, FOAF_PRIMARY_TOPIC, None, ox.DefaultGraph()
        ):
            if DCAT_CATALOG_RECORD.value in self.types.get(quad.subject, ()):
                primary[quad.object] = quad.subject
        self._stop = stop = set(datasets) | set(primary.values())
        # Links from other catalogs of the same document to a dataset or record stay with it.
        foreign = self._foreign_catalog_links()
        for ds in datasets:
            # The root is in the closure's `seen` from the start, so `stop` may include it.
            triples = self._closure(ds, stop)
            rec_node = primary.get(ds)
            iri = rec_node.value if isinstance(rec_node, ox.NamedNode) else None
            if rec_node is not None:
                triples += self._closure(rec_node, stop)
            if iri is None:
                iri = existing.get(str(ds)) or mint_record_iri(ds, self.base, triples)
                triples += self._catalog_record(ds, ox.NamedNode(iri))
            rec = ox.NamedNode(iri)
            if _DCAT + "Dataset" in self.types[ds]:
                # A series that is not also typed dcat:Dataset is listed by its record only:
                # DCAT-AP's catalog checks dcat:dataset against dcat:Dataset, without inference.
                triples.append(ox.Triple(self.catalog, DCAT_DATASET, ds))
            triples.append(ox.Triple(self.catalog, DCAT_RECORD, rec))
            if foreign:
                triples.extend(foreign.get((DCAT_DATASET, ds), ()))
                if rec_node is not None:
                    triples.extend(foreign.get((DCAT_RECORD, rec_node), ()))
            yield Record(ds, iri, _unique(triples))

    def _foreign_catalog_links(self) -> dict[tuple[ox.NamedNode, object], list[ox.Triple]]:
        """dcat:dataset / dcat:record triples whose subject is not this catalog, by (link,
        object). One query over the staging store instead of two lookups per record."""
        links: dict[tuple[ox.NamedNode, object], list[ox.Triple]] = {}
        rows = self.staging.query(
            f"SELECT ?c ?p ?o WHERE {{ VALUES ?p {{ {DCAT_DATASET} {DCAT_RECORD} }}"
            f" ?c ?p ?o FILTER(?c != {self.catalog}) }}"
        )
        for row in rows:
            link = row["p"]
            links.setdefault((link, row["o"]), []).append(ox.Triple(row["c"], link, row["o"]))
        return links

    def shared_graphs(self) -> tuple[dict[str, list[ox.Triple]], dict[str, str]]:
        """Graphs of shared things and of leftovers; call after iter_records() is exhausted."""
        stop = getattr(self, "_stop", set(self.datasets))
        shared: dict[str, list[ox.Triple]] = {}
        kinds: dict[str, str] = {}
        for node, types in self.types.items():
            if node in self._taken or not isinstance(node, ox.NamedNode):
                continue
            if not types & SHARED_CLASSES:
                continue
            # A catalog's links to its datasets travel with the records (see iter_records).
            shared[node.value] = [
                t
                for t in self._closure(node, stop)
                if not (t.predicate in (DCAT_DATASET, DCAT_RECORD) and t.object in stop)
            ]
            kinds[node.value] = _kind(types)
        self._leftovers(shared, kinds, stop)
        return shared, kinds

    def _catalog_record(self, ds: Subject, rec: ox.NamedNode) -> list[ox.Triple]:
        return [
            ox.Triple(rec, RDF_TYPE, DCAT_CATALOG_RECORD),
            ox.Triple(rec, FOAF_PRIMARY_TOPIC, ds),
            ox.Triple(rec, DCT_MODIFIED, self.today),
        ]

    def _leftovers(
        self, shared: dict[str, list[ox.Triple]], kinds: dict[str, str], stop: set[Subject]
    ) -> None:
        placed = {t for triples in shared.values() for t in triples}
        loose: list[ox.Triple] = []
        taken = self._taken
        # The subjects are listed by Oxigraph; only those no record took are read back.
        for row in self.staging.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }"):
            s = row["s"]
            if s in taken:
                continue
            for quad in self.staging.quads_for_pattern(s, None, None, ox.DefaultGraph()):
                if quad.predicate in (DCAT_DATASET, DCAT_RECORD) and quad.object in stop:
                    continue
                t = quad.triple
                if t in placed:
                    continue
                if isinstance(s, ox.NamedNode):
                    shared.setdefault(s.value, []).append(t)
                    kinds.setdefault(s.value, "other")
                else:
                    loose.append(t)
        if loose:
            key = hashlib.sha1("\n".join(sorted(map(str, loose))).encode("utf-8")).hexdigest()[:20]
            shared[f"urn:hdcat:graph:loose:{key}"] = loose
            kinds[f"urn:hdcat:graph:loose:{key}"] = "other"


def _unique(triples: list[ox.Triple]) -> list[ox.Triple]:
    return list(dict.fromkeys(triples))
