"""Harvesting feeds: the paged DCAT catalog (Hydra), OAI-PMH 2.0 and the sitemap.

This module builds the data; service/feeds.py renders it (RDF, XML). Paging, ordering and
filtering go through the search index (hdcat.search), never through a sorted SPARQL query
over the whole catalog:

* the DCAT feed lists records in the index's "newest" order (issued date descending, then
  title, then index id), one `SearchIndex.search` page per feed page;
* filtered feeds (``modified_since``), OAI-PMH lists and the sitemap read a *timeline*: every
  record of the index (in that order) with its datestamp, domains and publisher, built once
  and cached until the catalog is written (or `TTL` seconds pass, for writes made by other
  processes).

The datestamp of a record is the later of the catalog record's and the dataset's
``dct:modified`` (else the dataset's ``dct:issued``), as UTC ``YYYY-MM-DDThh:mm:ssZ``.
OAI-PMH lists are ordered by (datestamp, record IRI) and resumption tokens hold the last key
delivered, so a token stays right when records are added or changed meanwhile.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

import pyoxigraph as ox

from hdcat import datatypes, queries
from hdcat.namespaces import GRAPH_VOCABULARIES, PREFIXES
from hdcat.search import MAX_PER_PAGE, Hit

if TYPE_CHECKING:
    from hdcat.catalog import Catalog
    from hdcat.labels import Labels

TTL = 60.0
DEFAULT_PER_PAGE = 50
MAX_FEED_PER_PAGE = 200
OAI_RECORDS_PER_PAGE = 50
OAI_IDS_PER_PAGE = 200
TOKEN_LIFETIME = timedelta(hours=1)
SITEMAP_URLS = 50_000
HYDRA = "http://www.w3.org/ns/hydra/core#"
FEED_PREFIXES = PREFIXES | {"hydra": HYDRA}

_DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
_FOAF = "http://xmlns.com/foaf/0.1/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_ADMS = "http://www.w3.org/ns/adms#"
_HDCAT = "https://w3id.org/hdcat/ns#"
DOMAIN_NS = "https://w3id.org/hdcat/vocab/domain/"
GRAPH_CATALOG = "urn:hdcat:graph:catalog"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


RDF_TYPE = _n(_RDF + "type")
DCAT_DATASET = _n(_DCAT + "dataset")
DCAT_RECORD = _n(_DCAT + "record")
H_TYPE_VIEW = _n(HYDRA + "PartialCollectionView")
H_TYPE_PAGED = _n(HYDRA + "PagedCollection")
H_TYPE_COLLECTION = _n(HYDRA + "Collection")

# ------------------------------------------------------------------ dates


class FeedError(ValueError):
    """A request argument the feeds cannot take (the message says which)."""


_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECONDS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def datestamp(text: str | None) -> str | None:
    """An xsd:date / xsd:dateTime / gYear(-Month) value as UTC ``YYYY-MM-DDThh:mm:ssZ``, or
    None if it is not one (a dateTime without a zone is taken as UTC)."""
    if not text:
        return None
    text = text.strip()
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(Z|[+-]\d{2}:\d{2})?$", text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        try:
            return date(year, month, day).isoformat() + "T00:00:00Z"
        except ValueError:
            return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.replace(microsecond=0).isoformat() + "Z"


def parse_since(text: str) -> str:
    """A ``modified_since`` argument (ISO date or dateTime) as a UTC datestamp."""
    stamp = datestamp(text) if text and ("T" in text or _DAY_RE.match(text.strip())) else None
    if stamp is None:
        raise FeedError(f"not an ISO date or date-time: {text!r}")
    return stamp


def _later(*stamps: str | None) -> str | None:
    known = [s for s in stamps if s]
    return max(known) if known else None


# ------------------------------------------------------------------ the timeline


@dataclass(frozen=True)
class Entry:
    """One record as the lists see it."""

    record: str
    dataset: str
    datestamp: str
    domains: tuple[str, ...] = ()
    publisher: str | None = None
    kind: str = "dataset"

    @property
    def key(self) -> tuple[str, str]:
        """The OAI-PMH order: datestamp, then record IRI."""
        return (self.datestamp, self.record)


def _entry(hit: Hit, record_modified: str | None, fallback: str) -> Entry:
    stamp = _later(datestamp(record_modified), datestamp(hit.modified))
    stamp = stamp or datestamp(hit.issued) or fallback
    return Entry(hit.record, hit.dataset, stamp, tuple(hit.domains), hit.publisher, hit.kind)


@dataclass
class _Timeline:
    entries: list[Entry]  # in the index's "newest" order
    by_key: list[Entry]  # sorted by Entry.key
    by_record: dict[str, Entry]
    built: float
    count: int
    writes: int


# ------------------------------------------------------------------ pages of the DCAT feed


@dataclass
class FeedPage:
    """One page of the DCAT feed: the records, the numbers for the Hydra view, the triples."""

    page: int
    per_page: int
    total: int
    records: list[tuple[str, str]]  # (record IRI, dataset IRI)
    triples: list[ox.Triple] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


# ------------------------------------------------------------------ OAI-PMH data

OAI_FORMATS: dict[str, tuple[str, str]] = {
    "oai_dc": (
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/",
    ),
    "oai_datacite": (
        "http://schema.datacite.org/oai/oai-1.1/oai.xsd",
        "http://schema.datacite.org/oai/oai-1.1/",
    ),
    "datacite": (
        "http://schema.datacite.org/meta/kernel-4/metadata.xsd",
        "http://datacite.org/schema/kernel-4",
    ),
    "dcat": (
        "http://www.w3.org/TR/rdf-syntax-grammar/",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    ),
    "rdf": (
        "http://www.w3.org/TR/rdf-syntax-grammar/",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    ),
}
"""metadataPrefix -> (schema, metadataNamespace)."""

VERBS = ("Identify", "ListMetadataFormats", "ListSets", "ListIdentifiers", "ListRecords",
         "GetRecord")
_ARGS: dict[str, tuple[set[str], set[str]]] = {
    # verb -> (required, optional) arguments, besides the exclusive resumptionToken
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
_TOKEN_VERBS = {"ListIdentifiers", "ListRecords", "ListSets"}


class OaiError(Exception):
    """An OAI-PMH error condition: `code` is the spec's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Agent:
    """A creator or publisher: its names by language and whether it is a person."""

    iri: str
    names: dict[str, str]
    person: bool = False
    given: str | None = None
    family: str | None = None

    def name(self, lang: str = "zh") -> str:
        for key in (lang, "en" if lang == "zh" else "zh", ""):
            if self.names.get(key):
                return self.names[key]
        return next(iter(self.names.values()), self.iri)


@dataclass
class Metadata:
    """What the OAI metadata formats say of a record (texts are (value, language) pairs)."""

    dataset: str
    titles: list[tuple[str, str]] = field(default_factory=list)
    descriptions: list[tuple[str, str]] = field(default_factory=list)
    keywords: list[tuple[str, str]] = field(default_factory=list)
    subjects: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    """(concept IRI, labels): the record's domains."""
    creators: list[Agent] = field(default_factory=list)
    publisher: Agent | None = None
    issued: str | None = None
    modified: str | None = None
    doi: str | None = None
    cstr: str | None = None
    identifiers: list[str] = field(default_factory=list)
    landing_pages: list[str] = field(default_factory=list)
    licences: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    access_rights: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    rights: list[tuple[str, str]] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    temporal: tuple[str | None, str | None] | None = None
    version: str | None = None
    kind: str = "dataset"

    @property
    def year(self) -> str | None:
        for value in (self.issued, self.modified):
            if value and re.match(r"^\d{4}", value):
                return value[:4]
        return None


@dataclass
class OaiItem:
    """One record of an OAI-PMH answer: header data, and metadata when asked for."""

    identifier: str
    entry: Entry
    sets: list[str]
    metadata: Metadata | None = None
    rdf_xml: str | None = None


@dataclass
class Token:
    """A resumption token to print: the value ('' on the last page) and its attributes."""

    value: str
    expiration: str | None
    complete_size: int
    cursor: int


@dataclass
class OaiAnswer:
    """The answer to one OAI-PMH request, ready to render. `arguments` are echoed in the
    response's request element (empty after badVerb / badArgument)."""

    verb: str | None
    arguments: dict[str, str]
    errors: list[OaiError] = field(default_factory=list)
    identify: dict[str, object] | None = None
    formats: list[tuple[str, str, str]] = field(default_factory=list)
    sets: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    items: list[OaiItem] = field(default_factory=list)
    token: Token | None = None
    prefix: str | None = None


_LANGUAGE_CODES = {"ZHO": "zh", "ENG": "en", "FRA": "fr", "DEU": "de", "JPN": "ja",
                   "KOR": "ko", "RUS": "ru", "SPA": "es", "POR": "pt", "ITA": "it",
                   "ARA": "ar"}
_SET_SAFE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
_OAI_LOCAL_SAFE = "-_.!~*'();/?:@&=+$,"


def _lang_key(tag: str | None) -> str:
    if not tag:
        return ""
    tag = tag.lower()
    return "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else tag


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


# ------------------------------------------------------------------ the feeds


class Feeds:
    """The harvesting feeds of one catalog (one per application)."""

    def __init__(self, catalog: Catalog, labels: Labels | None = None) -> None:
        from hdcat.labels import Labels as _Labels

        self.catalog = catalog
        self.labels = labels if labels is not None else _Labels(catalog)
        self.oai_records_per_page = OAI_RECORDS_PER_PAGE
        self.oai_ids_per_page = OAI_IDS_PER_PAGE
        self.sitemap_urls = SITEMAP_URLS
        self._lock = threading.Lock()
        self._timeline: _Timeline | None = None
        self._writes = 0
        catalog.on_write(self._written)

    def _written(self, graphs: Mapping[str, object]) -> None:
        self._writes += 1

    @property
    def base(self) -> str:
        return self.catalog.base

    @property
    def catalog_iri(self) -> str:
        return self.catalog.settings.catalog_iri

    # -- timeline

    def timeline(self) -> list[Entry]:
        """Every record, in the feed order (the index's "newest")."""
        return self._current().entries

    def _current(self) -> _Timeline:
        index = self.catalog.search_index()
        current = self._timeline
        if (
            current is not None
            and current.writes == self._writes
            and time.monotonic() - current.built < TTL
            and current.count == index.count()
        ):
            return current
        with self._lock:
            current = self._timeline
            if current is not None and current.writes == self._writes and (
                time.monotonic() - current.built < TTL
            ) and current.count == index.count():
                return current
            writes = self._writes
            modified: dict[str, str] = {}
            for row in self.catalog.store.query(queries.get("record_dates")):
                value = row["modified"]
                old = modified.get(row["record"].value)
                if isinstance(value, ox.Literal) and (old is None or value.value > old):
                    modified[row["record"].value] = value.value
            now = datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
            entries: list[Entry] = []
            page = 1
            while True:
                result = index.search(sort="newest", page=page, per_page=MAX_PER_PAGE,
                                      facets=False)
                entries.extend(_entry(h, modified.get(h.record), now) for h in result.hits)
                if page >= result.pages or not result.hits:
                    break
                page += 1
            seen: set[str] = set()
            unique = [e for e in entries if not (e.record in seen or seen.add(e.record))]
            current = _Timeline(unique, sorted(unique, key=lambda e: e.key),
                                {e.record: e for e in unique}, time.monotonic(), index.count(),
                                writes)
            self._timeline = current
            return current

    # -- the DCAT feed

    def catalog_description(self) -> list[ox.Triple]:
        """The dcat:Catalog's own description (without its links to records)."""
        iri = self.catalog_iri
        rows = self.catalog.store.query(queries.with_values(
            "graphs_content", g=[_n(iri), _n(GRAPH_CATALOG)]))
        return [
            ox.Triple(row["s"], row["p"], row["o"]) for row in rows
            if isinstance(row["s"], ox.NamedNode)
            and (row["s"].value == iri or row["s"].value.startswith(iri + "#"))
            and row["p"] not in (DCAT_DATASET, DCAT_RECORD)
        ]

    def count(self, modified_since: str | None = None) -> int:
        """Number of records in the feed (modified at or after `modified_since`)."""
        if modified_since is None:
            return self.catalog.search_index().count()
        return sum(1 for e in self.timeline() if e.datestamp >= modified_since)

    def feed_page(
        self, page: int = 1, per_page: int = DEFAULT_PER_PAGE, modified_since: str | None = None,
        with_triples: bool = True,
    ) -> FeedPage:
        """Page `page` (1-based) of the catalog; records modified at or after
        `modified_since` (a datestamp from `parse_since`) when given."""
        if page < 1:
            raise FeedError("page must be 1 or more")
        per_page = max(1, min(per_page, MAX_FEED_PER_PAGE))
        if modified_since is None:
            result = self.catalog.search_index().search(
                sort="newest", page=page, per_page=per_page, facets=False)
            records = [(h.record, h.dataset) for h in result.hits]
            total = result.total
        else:
            chosen = [e for e in self.timeline() if e.datestamp >= modified_since]
            total = len(chosen)
            start = (page - 1) * per_page
            records = [(e.record, e.dataset) for e in chosen[start:start + per_page]]
        out = FeedPage(page, per_page, total, records)
        if with_triples:
            out.triples = self.page_triples(records)
        return out

    def page_triples(self, records: Sequence[tuple[str, str]]) -> list[ox.Triple]:
        """The catalog description, its links to these records, the record graphs and what
        they reference (agents, standards, legislation, concepts), like `hdcat export
        --record` for each."""
        cat = _n(self.catalog_iri)
        triples = self.catalog_description()
        for record, dataset in records:
            triples.append(ox.Triple(cat, DCAT_RECORD, _n(record)))
            if dataset.startswith(("http:", "https:", "urn:")):
                triples.append(ox.Triple(cat, DCAT_DATASET, _n(dataset)))
        triples.extend(q.triple for q in self.records_quads([r for r, _d in records],
                                                            extra=triples))
        return list(dict.fromkeys(triples))

    def records_quads(
        self, records: Sequence[str], extra: Iterable[ox.Triple] = ()
    ) -> Iterator[ox.Quad]:
        """The record graphs and what they reference (one pass for all of them)."""
        catalog = self.catalog
        objects: set = {t.object for t in extra if isinstance(t.object, ox.NamedNode)}
        for name in records:
            g = _n(name)
            for t in datatypes.restore(catalog.store.graph(name)):
                if isinstance(t.object, ox.NamedNode):
                    objects.add(t.object)
                yield ox.Quad(t.subject, t.predicate, t.object, g)
        yield from catalog.referenced(objects)
        vocab = _n(GRAPH_VOCABULARIES)
        for t in self.catalog.used_vocabulary(objects):
            yield ox.Quad(t.subject, t.predicate, t.object, vocab)

    def record_rdf_xml(self, record: str) -> str:
        """One record with what it references, as RDF/XML (the OAI `dcat` format)."""
        triples = list(dict.fromkeys(q.triple for q in self.records_quads([record])))
        data = ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)
        return data.decode("utf-8") if isinstance(data, bytes) else str(data)

    # -- sitemap

    def sitemap_chunks(self) -> int:
        """Number of child sitemaps (0 when one sitemap holds every page)."""
        total = self.catalog.search_index().count()
        return 0 if total <= self.sitemap_urls else -(-total // self.sitemap_urls)

    def sitemap_entries(self, chunk: int | None = None) -> list[Entry]:
        """The records of child sitemap `chunk` (1-based), or all of them."""
        entries = self.timeline()
        if chunk is None:
            return entries
        start = (chunk - 1) * self.sitemap_urls
        return entries[start:start + self.sitemap_urls]

    # -- OAI-PMH: identifiers and sets

    @property
    def repository_id(self) -> str:
        """The repositoryIdentifier of OAI identifiers: the host of the base IRI."""
        return urlsplit(self.base).hostname or "hdcat"

    def oai_identifier(self, record: str) -> str:
        prefix = self.base + "/record/"
        local = record[len(prefix):] if record.startswith(prefix) else record
        return f"oai:{self.repository_id}:{quote(local, safe=_OAI_LOCAL_SAFE)}"

    def record_of(self, identifier: str) -> str | None:
        """The record IRI an OAI identifier names (not checked against the store)."""
        head = f"oai:{self.repository_id}:"
        if not identifier.startswith(head) or len(identifier) == len(head):
            return None
        local = unquote(identifier[len(head):])
        if re.match(r"^[a-z][a-z0-9+.-]*:", local, re.I):
            return local
        return self.base + "/record/" + local

    def set_specs(self, entry: Entry) -> list[str]:
        """The sets a record belongs to (leaf sets and their parents)."""
        specs: list[str] = []
        domains = [d for d in entry.domains if d.startswith(DOMAIN_NS)]
        if domains:
            specs.append("domain")
            specs.extend(self._domain_spec(d) for d in domains)
        if entry.publisher:
            specs += ["publisher", self._publisher_spec(entry.publisher)]
        return specs

    @staticmethod
    def _domain_spec(iri: str) -> str:
        code = iri[len(DOMAIN_NS):]
        return "domain:" + (code if _SET_SAFE.match(code) else _hashed(iri))

    def _publisher_spec(self, iri: str) -> str:
        prefix = self.base + "/agent/"
        local = iri[len(prefix):] if iri.startswith(prefix) else ""
        return "publisher:" + (local if local and _SET_SAFE.match(local) else _hashed(iri))

    def all_sets(self) -> list[tuple[str, str, dict[str, str]]]:
        """(setSpec, setName, names by language) of every set with records."""
        index = self.catalog.search_index()
        lang = self.catalog.settings.language
        out: list[tuple[str, str, dict[str, str]]] = [
            ("domain", "数据领域 / Data domains", {"zh": "数据领域", "en": "Data domains"}),
        ]
        for iri, _count in index.facet_counts("domain"):
            if iri.startswith(DOMAIN_NS):
                out.append((self._domain_spec(iri), self.labels.label(iri, lang),
                            self.labels.all(iri)))
        out.append(("publisher", "发布者 / Publishers", {"zh": "发布者", "en": "Publishers"}))
        for iri, _count in index.facet_counts("publisher"):
            out.append((self._publisher_spec(iri), self.labels.label(iri, lang),
                        self.labels.all(iri)))
        return out

    # -- OAI-PMH: metadata

    def metadata(self, records: Sequence[str]) -> dict[str, Metadata]:
        """The metadata of these records (record IRI -> Metadata), one store read each and
        one query for their agents."""
        graphs = {r: self.catalog.record_triples(r) for r in records}
        out: dict[str, Metadata] = {}
        agents: set[str] = set()
        for record, triples in graphs.items():
            meta = _metadata(record, triples, self.labels)
            if meta is not None:
                out[record] = meta
                agents.update(a.iri for a in meta.creators)
                if meta.publisher is not None:
                    agents.add(meta.publisher.iri)
        info = self._agents(sorted(agents))
        for meta in out.values():
            meta.creators = [info.get(a.iri, a) for a in meta.creators]
            if meta.publisher is not None:
                meta.publisher = info.get(meta.publisher.iri, meta.publisher)
        return out

    def _agents(self, iris: list[str]) -> dict[str, Agent]:
        if not iris:
            return {}
        rows = self.catalog.store.query(
            queries.with_values("agents_info", agent=[_n(i) for i in iris]))
        out: dict[str, Agent] = {i: Agent(i, {}) for i in iris}
        for row in rows:
            agent = out[row["agent"].value]
            p, o = row["p"].value, row["o"]
            if p == _RDF + "type" and o.value == _FOAF + "Person":
                agent.person = True
            elif p == _FOAF + "name" and isinstance(o, ox.Literal):
                agent.names.setdefault(_lang_key(o.language), o.value)
            elif p == _FOAF + "givenName" and isinstance(o, ox.Literal):
                agent.given = agent.given or o.value
            elif p == _FOAF + "familyName" and isinstance(o, ox.Literal):
                agent.family = agent.family or o.value
        for iri, agent in out.items():
            if not agent.names:
                agent.names = self.labels.all(iri) or {"": _local(iri)}
        return out

    # -- OAI-PMH: requests

    def identify(self) -> dict[str, object]:
        """What Identify says (baseURL is the renderer's)."""
        lang = self.catalog.settings.language
        titles: dict[str, str] = {}
        for t in self.catalog_description():
            if t.predicate.value == _DCT + "title" and isinstance(t.object, ox.Literal):
                titles.setdefault(_lang_key(t.object.language), t.object.value)
        name = titles.get(lang) or titles.get("en") or next(iter(titles.values()), "hdcat")
        emails: list[str] = []
        rows = self.catalog.store.query(queries.get("catalog_emails"),
                                        {"catalog": _n(self.catalog_iri)})
        for row in sorted(rows, key=lambda r: (int(r["rank"].value), r["email"].value)):
            email = row["email"].value.removeprefix("mailto:")
            if "@" in email and email not in emails:
                emails.append(email)
        entries = self._current().by_key
        earliest = entries[0].datestamp if entries else "1970-01-01T00:00:00Z"
        sample = self.oai_identifier(entries[0].record) if entries else None
        return {
            "repositoryName": name,
            "adminEmail": emails or [f"admin@{self.repository_id}"],
            "earliestDatestamp": earliest,
            "deletedRecord": "no",
            "granularity": "YYYY-MM-DDThh:mm:ssZ",
            "repositoryIdentifier": self.repository_id,
            "sampleIdentifier": sample or f"oai:{self.repository_id}:example",
        }

    def oai(self, args: Mapping[str, Sequence[str]], now: datetime | None = None) -> OaiAnswer:
        """Answer an OAI-PMH request given its arguments (name -> every value given)."""
        now = now or datetime.now(UTC)
        verbs = list(args.get("verb", []))
        if len(verbs) != 1 or verbs[0] not in VERBS:
            why = "no verb" if not verbs else (
                "the verb is repeated" if len(verbs) > 1 else f"illegal verb {verbs[0]!r}")
            return OaiAnswer(None, {}, [OaiError("badVerb", why)])
        verb = verbs[0]
        try:
            given = self._arguments(verb, args)
        except OaiError as e:
            return OaiAnswer(verb, {}, [e])
        answer = OaiAnswer(verb, {"verb": verb, **given})
        try:
            if verb == "Identify":
                answer.identify = self.identify()
            elif verb == "ListMetadataFormats":
                if "identifier" in given:
                    self._existing(given["identifier"])
                answer.formats = [(p, s, ns) for p, (s, ns) in OAI_FORMATS.items()]
            elif verb == "ListSets":
                if "resumptionToken" in given:
                    raise OaiError("badResumptionToken", "ListSets is not paged")
                answer.sets = self.all_sets()
            elif verb == "GetRecord":
                self._get_record(given, answer)
            else:
                self._list(verb, given, answer, now)
        except OaiError as e:
            answer.errors.append(e)
            if e.code in ("badVerb", "badArgument"):
                answer.arguments = {}  # the spec: echo only the base URL then
        return answer

    @staticmethod
    def _arguments(verb: str, args: Mapping[str, Sequence[str]]) -> dict[str, str]:
        required, optional = _ARGS[verb]
        given: dict[str, str] = {}
        for name, values in args.items():
            if name == "verb":
                continue
            values = list(values)
            if len(values) != 1:
                raise OaiError("badArgument", f"the argument {name!r} is repeated")
            allowed = required | optional | ({"resumptionToken"} if verb in _TOKEN_VERBS
                                              else set())
            if name not in allowed:
                raise OaiError("badArgument", f"illegal argument {name!r} for {verb}")
            given[name] = values[0]
        if "resumptionToken" in given:
            if len(given) > 1:
                raise OaiError("badArgument", "resumptionToken is an exclusive argument")
            return given
        missing = sorted(required - set(given))
        if missing:
            raise OaiError("badArgument", f"missing argument {', '.join(missing)} for {verb}")
        return given

    def _existing(self, identifier: str) -> str:
        record = self.record_of(identifier)
        found = self.catalog.find_record(record) if record else None
        if found is None or found[0] != record:
            raise OaiError("idDoesNotExist", f"no record {identifier!r} in this repository")
        return record

    @staticmethod
    def _check_prefix(prefix: str) -> None:
        if prefix not in OAI_FORMATS:
            raise OaiError("cannotDisseminateFormat",
                           f"metadataPrefix {prefix!r} is not supported "
                           f"(use one of {', '.join(OAI_FORMATS)})")

    def _get_record(self, given: dict[str, str], answer: OaiAnswer) -> None:
        record = self._existing(given["identifier"])
        prefix = given["metadataPrefix"]
        self._check_prefix(prefix)
        entry = self._current().by_record.get(record)
        if entry is None:
            triples = self.catalog.record_triples(record)
            entry = _entry_of_triples(record, triples)
        answer.prefix = prefix
        answer.items = self._items([entry], prefix)

    def _items(self, entries: Sequence[Entry], prefix: str | None) -> list[OaiItem]:
        items = [OaiItem(self.oai_identifier(e.record), e, self.set_specs(e)) for e in entries]
        if prefix in ("dcat", "rdf"):
            for item in items:
                item.rdf_xml = self.record_rdf_xml(item.entry.record)
        elif prefix is not None:
            metas = self.metadata([e.record for e in entries])
            for item in items:
                item.metadata = metas.get(item.entry.record)
        return items

    def _list(self, verb: str, given: dict[str, str], answer: OaiAnswer, now: datetime) -> None:
        if "resumptionToken" in given:
            state = decode_token(given["resumptionToken"], verb, now)
        else:
            self._check_prefix(given["metadataPrefix"])
            state = {"m": given["metadataPrefix"], "c": 0}
            lo = _oai_date(given.get("from"), "from")
            hi = _oai_date(given.get("until"), "until")
            if lo and hi:
                if len(given["from"]) != len(given["until"]):
                    raise OaiError("badArgument", "from and until have different granularities")
                if lo[0] > hi[1]:
                    raise OaiError("badArgument", "from is later than until")
            if lo:
                state["f"] = lo[0]
            if hi:
                state["u"] = hi[1]
            if "set" in given:
                state["s"] = given["set"]
        prefix = str(state["m"])
        chosen = [e for e in self._current().by_key if self._matches(e, state)]
        total = len(chosen)
        after = state.get("k")
        start = 0
        if after is not None:
            key = (str(after[0]), str(after[1]))
            start = next((i for i, e in enumerate(chosen) if e.key > key), total)
        size = self.oai_records_per_page if verb == "ListRecords" else self.oai_ids_per_page
        page = chosen[start:start + size]
        cursor = int(state.get("c", 0))
        if not page:  # (also when the records after a token's key went meanwhile: an
            # empty list element would not be valid OAI-PMH)
            raise OaiError("noRecordsMatch", "no records match the arguments")
        answer.prefix = prefix
        answer.items = self._items(page, prefix if verb == "ListRecords" else None)
        if start + len(page) < total:
            expires = now + TOKEN_LIFETIME
            nxt = dict(state, k=list(page[-1].key), c=cursor + len(page),
                       x=int(expires.timestamp()))
            answer.token = Token(encode_token(verb, nxt), _stamp(expires), total, cursor)
        elif after is not None:
            answer.token = Token("", None, total, cursor)

    def _matches(self, entry: Entry, state: Mapping[str, object]) -> bool:
        lo, hi, spec = state.get("f"), state.get("u"), state.get("s")
        if lo is not None and entry.datestamp < str(lo):
            return False
        if hi is not None and entry.datestamp > str(hi):
            return False
        return spec is None or spec in self.set_specs(entry)


# ------------------------------------------------------------------ helpers


def _hashed(iri: str) -> str:
    return "h" + hashlib.sha1(iri.encode("utf-8")).hexdigest()[:16]


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _oai_date(text: str | None, name: str) -> tuple[str, str] | None:
    """(first, last) second a from/until argument covers, or None when absent."""
    if text is None:
        return None
    if _DAY_RE.match(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise OaiError("badArgument", f"{name}: not a date: {text!r}") from None
        return day.isoformat() + "T00:00:00Z", day.isoformat() + "T23:59:59Z"
    if _SECONDS_RE.match(text):
        try:
            datetime.fromisoformat(text[:-1])
        except ValueError:
            raise OaiError("badArgument", f"{name}: not a date-time: {text!r}") from None
        return text, text
    raise OaiError("badArgument",
                   f"{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not {text!r}")


def _checksum(payload: str) -> str:
    return hashlib.sha256(("hdcat-oai:" + payload).encode("utf-8")).hexdigest()[:12]


def encode_token(verb: str, state: Mapping[str, object]) -> str:
    """An opaque resumption token for a list request's state."""
    payload = json.dumps({"v": verb, **state}, separators=(",", ":"), sort_keys=True)
    data = base64.urlsafe_b64encode(payload.encode("utf-8")).decode("ascii").rstrip("=")
    return f"{data}.{_checksum(payload)}"


def decode_token(token: str, verb: str, now: datetime) -> dict[str, object]:
    """The state in a resumption token; OaiError badResumptionToken if it is not one of
    ours, is for another verb or has expired."""
    bad = OaiError("badResumptionToken", "the resumption token is invalid or has expired")
    data, _, check = token.partition(".")
    try:
        payload = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)).decode("utf-8")
        state = json.loads(payload)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(state, dict) or check != _checksum(payload) or state.pop("v", None) != verb:
        raise bad
    key = state.get("k")
    if (
        state.get("m") not in OAI_FORMATS
        or not isinstance(state.get("c"), int)
        or not isinstance(state.get("x"), int)
        or not (isinstance(key, list) and len(key) == 2 and all(isinstance(k, str) for k in key))
        or any(k in state and not isinstance(state[k], str) for k in ("f", "u", "s"))
    ):
        raise bad
    if state["x"] < now.timestamp():
        raise OaiError("badResumptionToken", "the resumption token has expired")
    return state


def _entry_of_triples(record: str, triples: list[ox.Triple]) -> Entry:
    """An Entry from a record graph (records the index does not hold yet)."""
    rec = _n(record)
    ds = next((t.object for t in triples
               if t.subject == rec and t.predicate.value == _FOAF + "primaryTopic"), None)
    values: dict[tuple[object, str], list[ox.Term]] = {}
    for t in triples:
        values.setdefault((t.subject, t.predicate.value), []).append(t.object)

    def first(subject: object, prop: str) -> str | None:
        found = values.get((subject, prop))
        return found[0].value if found else None

    stamp = _later(datestamp(first(rec, _DCT + "modified")),
                   datestamp(first(ds, _DCT + "modified")))
    stamp = stamp or datestamp(first(ds, _DCT + "issued")) or _stamp(datetime.now(UTC))
    domains = tuple(sorted(o.value for o in values.get((ds, _HDCAT + "domain"), [])
                           if isinstance(o, ox.NamedNode)))
    publisher = first(ds, _DCT + "publisher")
    types = {o.value for o in values.get((ds, _RDF + "type"), [])}
    kind = "series" if _DCAT + "DatasetSeries" in types else "dataset"
    return Entry(record, ds.value if ds is not None else "", stamp, domains, publisher, kind)


def _metadata(record: str, triples: list[ox.Triple], labels: Labels) -> Metadata | None:
    """The Metadata of a record graph (agents get their names from `Feeds._agents`)."""
    rec = _n(record)
    by: dict[tuple[object, str], list[ox.Term]] = {}
    for t in triples:
        by.setdefault((t.subject, t.predicate.value), []).append(t.object)
    tops = by.get((rec, _FOAF + "primaryTopic"))
    if not tops:
        return None
    ds = tops[0]

    def texts(subject: object, prop: str) -> list[tuple[str, str]]:
        found = [o for o in by.get((subject, prop), []) if isinstance(o, ox.Literal)]
        found.sort(key=lambda o: (_lang_key(o.language) != "zh", o.language or "", o.value))
        return [(o.value, o.language or "") for o in found]

    def iris(subject: object, prop: str) -> list[str]:
        return sorted(o.value for o in by.get((subject, prop), []) if isinstance(o, ox.NamedNode))

    def first(subject: object, prop: str) -> str | None:
        found = sorted(o.value for o in by.get((subject, prop), []))
        return found[0] if found else None

    types = {o.value for o in by.get((ds, _RDF + "type"), [])}
    meta = Metadata(dataset=ds.value if isinstance(ds, ox.NamedNode) else str(ds))
    meta.kind = "series" if _DCAT + "DatasetSeries" in types else "dataset"
    meta.titles = texts(ds, _DCT + "title")
    meta.descriptions = texts(ds, _DCT + "description")
    meta.keywords = texts(ds, _DCAT + "keyword")
    meta.subjects = [(i, labels.all(i)) for i in iris(ds, _HDCAT + "domain")]
    meta.creators = [Agent(i, {}) for i in iris(ds, _DCT + "creator")]
    publishers = iris(ds, _DCT + "publisher")
    meta.publisher = Agent(publishers[0], {}) if publishers else None
    meta.issued = first(ds, _DCT + "issued")
    meta.modified = first(ds, _DCT + "modified") or first(rec, _DCT + "modified")
    meta.version = first(ds, _DCAT + "version")
    for ident in by.get((ds, _ADMS + "identifier"), []):
        for note in by.get((ident, _SKOS + "notation"), []):
            if not isinstance(note, ox.Literal):
                continue
            kind = note.datatype.value if note.datatype else ""
            agency = (first(ident, _ADMS + "schemaAgency") or "").upper()
            if kind == _HDCAT + "DOI" or agency == "DOI":
                meta.doi = meta.doi or note.value.removeprefix("https://doi.org/")
            elif kind == _HDCAT + "CSTR" or agency == "CSTR":
                meta.cstr = meta.cstr or note.value
    for value, _lang in texts(ds, _DCT + "identifier"):
        if value.upper().startswith("CSTR:") and meta.cstr is None:
            meta.cstr = value
        if value not in meta.identifiers:
            meta.identifiers.append(value)
    meta.landing_pages = [meta.dataset, *iris(ds, _DCAT + "landingPage")]
    meta.licences = [(i, labels.all(i)) for i in iris(ds, _DCT + "license")]
    meta.access_rights = [(i, labels.all(i)) for i in iris(ds, _DCT + "accessRights")]
    for node in by.get((ds, _DCT + "rights"), []):
        meta.rights.extend(texts(node, _RDFS + "label"))
    for iri in iris(ds, _DCT + "language"):
        code = _local(iri)
        code = _LANGUAGE_CODES.get(code.upper(), code.lower())
        if code not in meta.languages:
            meta.languages.append(code)
    periods = by.get((ds, _DCT + "temporal"), [])
    if periods:
        p = periods[0]
        start, end = first(p, _DCAT + "startDate"), first(p, _DCAT + "endDate")
        if start or end:
            meta.temporal = (start, end)
    return meta


def parse_positive(text: str | None, name: str, default: int) -> int:
    """A positive integer request argument (FeedError otherwise)."""
    if text is None or text == "":
        return default
    if not text.isdigit() or int(text) < 1:
        raise FeedError(f"{name} must be a positive integer, not {text!r}")
    return int(text)


__all__ = ["Feeds", "FeedError", "FeedPage", "OaiAnswer", "OaiError", "OaiItem", "Metadata",
           "Agent", "Entry", "Token", "datestamp", "parse_since", "parse_positive",
           "encode_token", "decode_token", "OAI_FORMATS", "HYDRA", "FEED_PREFIXES"]
