"""Duplicate check (查重): compare planned datasets with the published catalog, and find
likely duplicate pairs inside the catalog.

An index, not the truth: DATA/dedup.sqlite holds one *profile* per published dataset
(hdcat.dedup_features: title, description and keyword units in zh and en, regions, time
range, agents, standards, variables, sources, identifiers, domains and size). It is rebuilt
from the public graphs (`DedupIndex.rebuild`, ``hdcat dedup --rebuild``) and kept in step
with every write once opened through `dedup_index(catalog)`, which registers it as a
`catalog.on_write` listener. Writes made by processes that did not keep it (``hdcat load``
run while the site serves) are found in the catalog's audit chain (hdcat.audit: one entry
per graph written) and applied when the index is next opened (`DedupIndex.catch_up`).
Tables:

* ``docs``: id, record, dataset, profile (JSON);
* ``post``: (key, doc) postings of the index keys of each profile: title and keyword units
  other than bigrams, regions, years covered (``y:2015``), agents (``p:``), sources and the
  dataset itself (``s:``), identifiers (``i:``);
* ``df``: how many profiles hold each unit or key (their IDF weights);
* ``bits``: the postings of keys held by at least BITMAP_MIN_DF profiles, as bitmaps;
* ``agents``: names of the catalog's agents (to match a plan's institutions);
* ``pairs``: the likely duplicate pairs found by the last catalog-wide pass.

A check never scans the catalog. The plan's keys, weighted by IDF and rounded to a power
of two (1..16), are summed per profile: rare keys from their postings, frequent ones as a
bit-sliced sum of their bitmaps (a few dozen big-integer operations over N bits), whose top
profiles come out of the slices without visiting the others. The best of them (EXACT_MIN,
and up to CANDIDATES close to the best) are compared one by one
(`dedup_features.compare`), scored by the calibrated model and banded. The catalog-wide pass
runs the same for every profile against the others (in worker processes), keeping the pairs
in the duplicate band. Curators' decisions on pairs (merge / not a duplicate) live in the
private state (table ``dedup_decision``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import math
import re
import sqlite3
import sys
import threading
import time
import uuid
import weakref
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click
import pyoxigraph as ox

from hdcat import queries
from hdcat.dedup_features import (
    DUPLICATE_AT,
    OVERLAP_AT,
    PLAN_FIELDS,
    Analyzer,
    Context,
    Profile,
    band,
    compare,
    dataset_profile,
    plan_profile,
    reasons,
    score,
    standard_key,
)
from hdcat.namespaces import GRAPH_VOCABULARIES
from hdcat.state import PrivateState, now, open_sqlite

if TYPE_CHECKING:
    from hdcat.catalog import Catalog

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
BITMAP_MIN_DF = 128
"""Keys held by this many profiles are kept as bitmaps (rarer ones as postings rows)."""
COMMON_SHARE = 0.3
"""Keys held by more than this share of the profiles are not used to find candidates."""
CANDIDATES = 100
EXACT_MIN = 30
EXACT_SHARE = 0.8
"""Profiles compared one by one per check: the EXACT_MIN best by summed key weight, and up to
CANDIDATES of those with at least EXACT_SHARE of the best sum."""
PASS_CANDIDATES = 25
"""Per profile in the catalog-wide pass (with at least PASS_MIN_SHARE of its own key sum)."""
PASS_MIN_SHARE = 0.45
MAX_YEARS = 40
CATCH_UP_MOST = 20000
"""Graphs written behind the index's back that are applied one by one (more: a rebuild)."""
DEFAULT_LIMIT = 10
MAX_PLANS = 2000
PROFILE_CACHE = 20000
VOCAB = "https://w3id.org/hdcat/vocab/"
_BATCH = 2000

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RECORD = "http://www.w3.org/ns/dcat#CatalogRecord"
_STANDARD = "http://purl.org/dc/terms/Standard"
_AGENT_TYPES = frozenset({"http://xmlns.com/foaf/0.1/Agent", "http://xmlns.com/foaf/0.1/Organization",
                          "http://xmlns.com/foaf/0.1/Person"})
_NAME_PROPS = frozenset({"http://xmlns.com/foaf/0.1/name",
                         "http://www.w3.org/2004/02/skos/core#prefLabel",
                         "http://www.w3.org/2004/02/skos/core#altLabel"})

# ------------------------------------------------------------------ results


@dataclass
class Match:
    """One catalogued dataset matched by a check."""

    dataset: str
    record: str
    title: str
    score: float
    band: str
    why: list[str]
    features: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"dataset": self.dataset, "record": self.record, "title": self.title,
                "score": round(self.score, 3), "band": self.band, "why": self.why}


@dataclass
class Pair:
    """A likely duplicate pair found by the catalog-wide pass."""

    a: str
    b: str
    score: float
    band: str
    declared: bool
    why: dict[str, list[str]]
    titles: dict[str, str] = field(default_factory=dict)
    decision: dict[str, str] | None = None

    def to_json(self, lang: str = "en") -> dict[str, object]:
        out: dict[str, object] = {
            "a": self.a, "b": self.b, "score": round(self.score, 3), "band": self.band,
            "declared": self.declared, "why": self.why.get(lang, []),
            "titles": self.titles}
        if self.decision:
            out["decision"] = self.decision
        return out


@dataclass
class PassReport:
    """What a catalog-wide pass did: datasets, pairs kept (declared relations among them),
    wall time in all and of the search for pairs, CPU time of all its processes."""

    datasets: int
    pairs: int
    declared: int
    seconds: float
    workers: int
    search_seconds: float = 0.0
    cpu_seconds: float = 0.0


# ------------------------------------------------------------------ bitmaps


def _to_bits(ids: Iterable[int]) -> int:
    bits = 0
    for d in ids:
        bits |= 1 << d
    return bits


_NONZERO = re.compile(rb"[^\x00]")


def _members(bits: int, limit: int | None = None) -> list[int]:
    """The set bits of a bitmap, ascending (at most `limit`)."""
    out: list[int] = []
    if not bits:
        return out
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for m in _NONZERO.finditer(data):
        i = m.start()
        byte = data[i]
        base = i << 3
        for j in range(8):
            if byte >> j & 1:
                out.append(base + j)
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def _accumulate(planes: list[int], bits: int, weight: int) -> None:
    """Add `weight` times the bitmap to the bit-sliced counters (planes[i]: bit i)."""
    shift = 0
    while weight:
        if weight & 1:
            carry, i = bits, shift
            while len(planes) < i:
                planes.append(0)
            while carry:
                if i == len(planes):
                    planes.append(carry)
                    break
                p = planes[i]
                planes[i] = p ^ carry
                carry &= p
                i += 1
        weight >>= 1
        shift += 1


def _top(planes: list[int], universe: int, k: int) -> tuple[int, int]:
    """The bitmap of the k highest counters (sure ones, and ties at the boundary)."""
    if universe.bit_count() <= k:
        return universe, 0
    sure, tied = 0, universe
    for p in reversed(planes):
        x = sure | (tied & p)
        n = x.bit_count()
        if n > k:
            tied &= p
        elif n == k:
            return x, 0
        else:
            sure = x
            tied &= ~p
    return sure, tied


# ------------------------------------------------------------------ in-memory state


@dataclass
class _State:
    generation: int
    n: int
    df: dict[str, int]
    bits: dict[str, int]
    weights: dict[str, float] = field(default_factory=dict)

    def idf(self, unit: str) -> float:
        """log((N + 1) / (df + 0.5)); a unit no dataset holds counts as held by 0.5% of them
        (words a plan adds weigh less than rare words it shares)."""
        n = self.df.get(unit)
        if n is None:
            n = 1 if unit[:2] in ("s:", "i:") else max(2.0, UNKNOWN_SHARE * self.n)
        return math.log((self.n + 1) / (n + 0.5))

    def weight(self, unit: str) -> float:
        """The IDF of a unit times the factor of its kind (_FACTOR; cached)."""
        w = self.weights.get(unit)
        if w is None:
            factor = _FACTOR.get(unit[:2])
            if factor is None:
                factor = 0.5 if unit and unit[0] >= "\u2e80" else 1.0
            w = self.idf(unit) * factor
            if len(self.weights) > 500000:
                self.weights.clear()
            self.weights[unit] = w
        return w


# Weight factors by kind of unit: Chinese bigrams and words (0.5: a Chinese word also makes
# its sub-words and bigrams), versions and editions (a new version is mostly the same data),
# lexicon concepts and regions (one unit stands for a phrase that would otherwise make
# several).
_FACTOR = {"b:": 0.3, "v:": 0.5, "c:": 1.5, "r:": 1.5}
UNKNOWN_SHARE = 0.005


def _uncounted(unit: str) -> bool:
    """Keys left out of the document frequencies (near unique: their weight is fixed)."""
    return unit[:2] in ("s:", "i:")


def _profile_keys(p: Profile) -> list[str]:
    keys = p.keys()
    if p.time:
        start, end = int(math.floor(p.time[0])), int(math.ceil(p.time[1]))
        if 0 < end - start <= MAX_YEARS:
            keys.extend(f"y:{y}" for y in range(start, end))
    return keys


def _df_units(p: Profile) -> set[str]:
    return {u for u in p.all_units() | set(_profile_keys(p)) if not _uncounted(u)}


# ------------------------------------------------------------------ the index

_TABLES = ("docs", "others", "post", "df", "bits", "agents")


def _create_tables(c: sqlite3.Connection, suffix: str) -> None:
    token = uuid.uuid4().hex[:8]
    c.execute(f"CREATE TABLE docs{suffix} (id INTEGER PRIMARY KEY, record TEXT NOT NULL, "
              "dataset TEXT NOT NULL, data TEXT NOT NULL)")
    c.execute(f"CREATE UNIQUE INDEX ix_{token}_record ON docs{suffix} (record)")
    c.execute(f"CREATE INDEX ix_{token}_dataset ON docs{suffix} (dataset)")
    c.execute(f"CREATE TABLE others{suffix} (record TEXT PRIMARY KEY) WITHOUT ROWID")
    c.execute(f"CREATE TABLE post{suffix} (key TEXT NOT NULL, doc INTEGER NOT NULL, "
              "PRIMARY KEY (key, doc)) WITHOUT ROWID")
    c.execute(f"CREATE TABLE df{suffix} (unit TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
    c.execute(f"CREATE TABLE bits{suffix} (key TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID")
    c.execute(f"CREATE TABLE agents{suffix} (iri TEXT PRIMARY KEY, names TEXT NOT NULL) "
              "WITHOUT ROWID")


def _blob(bits: int) -> bytes:
    return bits.to_bytes((bits.bit_length() + 7) // 8, "little")


def _is_record(name: str, triples: Sequence[ox.Triple]) -> bool:
    return any(t.subject.value == name and t.predicate.value == _RDF_TYPE
               and t.object.value == _RECORD for t in triples
               if isinstance(t.subject, ox.NamedNode))


def _agent_names(triples: Iterable[ox.Triple]) -> dict[str, list[str]]:
    """Names of the agents a (shared) graph describes."""
    typed: set[str] = set()
    names: dict[str, list[str]] = {}
    for t in triples:
        if not isinstance(t.subject, ox.NamedNode):
            continue
        p = t.predicate.value
        if p == _RDF_TYPE and t.object.value in _AGENT_TYPES:
            typed.add(t.subject.value)
        elif p in _NAME_PROPS and isinstance(t.object, ox.Literal):
            names.setdefault(t.subject.value, []).append(t.object.value)
    return {iri: sorted(set(ns)) for iri, ns in names.items() if iri in typed}


def _name_key(text: str) -> str:
    from hdcat.dedup_features import _compact

    return re.sub(r"[\s,.()（）·]+", "", _compact(text))


class DedupIndex:
    """The duplicate-check index of a catalog (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = self._connect()
        self._state: _State | None = None
        self._profiles: OrderedDict[int, Profile] = OrderedDict()
        self._profiles_gen = -1
        self._building = False
        self._pending: list[Mapping[str, list[ox.Triple]]] = []
        self._standards: dict[str, str] | None = None
        self._spatial: dict[str, list[str]] = {}
        self._agents: tuple[int, list[tuple[str, list[str]]]] | None = None
        self._domains: dict[str, str] | None = None
        self._followed = time.monotonic()
        self._init_schema()
        self.analyzer = Analyzer(self._lexicon())

    # -- connection and schema

    def _connect(self) -> sqlite3.Connection:
        return open_sqlite(self.path, timeout=60)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> DedupIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _init_schema(self) -> None:
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                c.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                c.execute("CREATE TABLE IF NOT EXISTS pairs (a TEXT NOT NULL, b TEXT NOT NULL, "
                          "score REAL NOT NULL, band TEXT NOT NULL, declared INTEGER NOT NULL, "
                          "why TEXT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID")
                row = c.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                if row is None or row[0] != SCHEMA_VERSION:
                    for table in _TABLES:
                        c.execute(f"DROP TABLE IF EXISTS {table}")
                    _create_tables(c, "")
                    c.execute("DELETE FROM pairs")
                    c.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)",
                              (SCHEMA_VERSION,))
                    c.execute("INSERT OR REPLACE INTO meta VALUES ('generation', '0')")
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    def _meta(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _lexicon(self) -> dict[str, tuple[list[str], list[str]]]:
        stored = self._meta("lexicon")
        if not stored:
            return {}
        return {k: (v[0], v[1]) for k, v in json.loads(stored).items()}

    @staticmethod
    def _bump(c: sqlite3.Connection) -> None:
        c.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")

    @property
    def generation(self) -> int:
        return int(self._meta("generation") or 0)

    @property
    def stale(self) -> bool:
        """True after a write listener failed: the index needs a rebuild."""
        return self._meta("stale") == "1"

    def count(self) -> int:
        """Number of indexed datasets."""
        with self._lock:
            return self._conn.execute("SELECT count(*) FROM docs").fetchone()[0]

    def records_seen(self) -> int:
        """Number of record graphs indexed (datasets, and records of anything else)."""
        with self._lock:
            return (self._conn.execute("SELECT count(*) FROM docs").fetchone()[0]
                    + self._conn.execute("SELECT count(*) FROM others").fetchone()[0])

    # -- what profiles need from the catalog

    def _context(self, catalog: Catalog | None) -> Context:
        if self._standards is None and catalog is not None:
            codes: dict[str, str] = {}
            for row in catalog.store.query(queries.get("standards_list")):
                if "notation" in row and isinstance(row["std"], ox.NamedNode):
                    codes.setdefault(row["std"].value, standard_key(row["notation"].value))
            self._standards = codes
        standards = self._standards or {}

        def standard_codes(value: str) -> str:
            return standards.get(value) or standard_key(value)

        def spatial_regions(iri: str) -> list[str]:
            found = self._spatial.get(iri)
            if found is None:
                found = []
                if catalog is not None:
                    rows = catalog.store.query(
                        queries.with_values("dedup_labels", s=[ox.NamedNode(iri)]))
                    for row in rows:
                        found.extend(self.analyzer.regions(row["label"].value))
                if not found and iri.rstrip("/").endswith("/CHN"):
                    found = ["cn"]
                found = list(dict.fromkeys(found))
                if len(self._spatial) < 10000:
                    self._spatial[iri] = found
            return found

        return Context(self.analyzer, standard_codes, spatial_regions)

    @staticmethod
    def vocabulary_terms(catalog: Catalog) -> dict[str, tuple[list[str], list[str]]]:
        """Bilingual labels of the hdcat concept schemes, as extra lexicon entries."""
        terms: dict[str, tuple[list[str], list[str]]] = {}
        for row in catalog.store.query(queries.get("dedup_vocab_terms")):
            concept = row["concept"].value
            if not concept.startswith(VOCAB):
                continue
            label = row["label"]
            unit = "c:v/" + concept[len(VOCAB):]
            zh, en = terms.setdefault(unit, ([], []))
            lang = (label.language or "").lower()
            (zh if lang.startswith("zh") else en).append(label.value)
        return {u: (sorted(set(zh), key=len, reverse=True), sorted(set(en), key=len,
                                                                  reverse=True))
                for u, (zh, en) in sorted(terms.items())}

    def refresh_lexicon(self, catalog: Catalog) -> bool:
        """Read the vocabularies' bilingual terms again; True when they changed (profiles
        made before then are marked stale: `hdcat dedup --rebuild`)."""
        terms = self.vocabulary_terms(catalog)
        stored = json.dumps(terms, ensure_ascii=False)
        with self._lock:
            if stored == (self._meta("lexicon") or json.dumps({})):
                return False
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('lexicon', ?)", (stored,))
            if self.count():
                self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('stale', '1')")
            self.analyzer = Analyzer(terms)
            self._domains = None
        return True

    # -- writing

    def rebuild(self, catalog: Catalog, progress: bool = False) -> int:
        """Index every dataset of the catalog from scratch; returns the number indexed.

        Built in new tables (checks go on meanwhile) and swapped in with one transaction;
        writes applied in this process while it runs are applied again after the swap."""
        lexicon = self.vocabulary_terms(catalog)
        head = self._audit_head(catalog)
        with self._lock:
            self._building = True
            self._pending = []
            self.analyzer = Analyzer(lexicon)
            self._domains = None
            self._standards = None
            self._spatial = {}
        ctx = self._context(catalog)
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            for table in _TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}_new")
            _create_tables(conn, "_new")
            conn.execute("COMMIT")
            df: Counter[str] = Counter()
            postings: dict[str, list[int]] = {}
            doc_of: dict[str, int] = {}
            next_id = 1
            batch: list[tuple[int, Profile]] = []
            others: list[str] = []

            def flush() -> None:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    "INSERT OR REPLACE INTO docs_new (id, record, dataset, data) "
                    "VALUES (?, ?, ?, ?)",
                    [(d, p.record, p.dataset, json.dumps(p.to_json(), ensure_ascii=False))
                     for d, p in batch])
                conn.executemany("INSERT OR IGNORE INTO others_new VALUES (?)",
                                 [(r,) for r in others])
                conn.execute("COMMIT")
                batch.clear()
                others.clear()

            records = _progress(_record_graphs(catalog), progress, "dedup index")
            for record, triples in records:
                p = dataset_profile(record, triples, ctx)
                if p is None:
                    others.append(record)
                    continue
                if p.dataset in doc_of:  # one profile per dataset: the later record wins
                    continue
                doc = next_id
                next_id += 1
                doc_of[p.dataset] = doc
                df.update(_df_units(p))
                for key in _profile_keys(p):
                    postings.setdefault(key, []).append(doc)
                batch.append((doc, p))
                if len(batch) >= _BATCH:
                    flush()
            flush()
            agents: dict[str, list[str]] = {}
            for row in catalog.store.query(queries.get("dedup_agent_names")):
                agents.setdefault(row["agent"].value, []).append(row["name"].value)
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT INTO post_new VALUES (?, ?)",
                             ((k, d) for k, ds in postings.items() for d in ds))
            conn.executemany("INSERT INTO df_new VALUES (?, ?)", df.items())
            conn.executemany(
                "INSERT INTO bits_new VALUES (?, ?)",
                ((k, _blob(_to_bits(ds))) for k, ds in postings.items()
                 if len(ds) >= BITMAP_MIN_DF))
            conn.executemany("INSERT INTO agents_new VALUES (?, ?)",
                             ((a, json.dumps(sorted(set(ns)), ensure_ascii=False))
                              for a, ns in agents.items()))
            for table in _TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
                conn.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('lexicon', ?)",
                         (json.dumps(lexicon, ensure_ascii=False),))
            if head is not None:  # writes after this point are applied again by catch_up
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('audit_seq', ?)",
                             (str(head),))
            conn.execute("DELETE FROM meta WHERE key='stale'")
            self._bump(conn)
            conn.execute("COMMIT")
            n = len(doc_of)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            with self._lock:
                self._building = False
            raise
        finally:
            conn.close()
        with self._lock:
            self._building = False
            pending, self._pending = self._pending, []
        for graphs in pending:
            self.apply(catalog, graphs)
        return n

    def apply(self, catalog: Catalog | None, graphs: Mapping[str, list[ox.Triple]]) -> None:
        """A catalog write listener: re-profile the record graphs written, drop those
        dropped, and note agents' names. A failure is logged and marks the index stale."""
        if catalog is not None and GRAPH_VOCABULARIES in graphs:
            self.refresh_lexicon(catalog)
        ctx = self._context(catalog)
        upserts: list[Profile] = []
        gone: list[str] = []
        others: list[str] = []
        agents: dict[str, list[str]] = {}
        for name, triples in graphs.items():
            if triples and _is_record(name, triples):
                p = dataset_profile(name, triples, ctx)
                if p is None:
                    others.append(name)
                else:
                    upserts.append(p)
                continue
            gone.append(name)
            if triples:
                agents.update(_agent_names(triples))
                if any(t.object.value == _STANDARD for t in triples
                       if t.predicate.value == _RDF_TYPE):
                    self._standards = None
        with self._lock:
            if self._building:
                self._pending.append(dict(graphs))
            try:
                self._write(upserts, gone, others, agents)
            except sqlite3.Error:
                log.exception("duplicate-check index out of step (run `hdcat dedup --rebuild`)")
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('stale', '1')")
                return
            if catalog is not None and not self._building:
                self._advance(catalog, set(graphs))

    # -- following the audit chain

    def _audit_seq(self) -> int | None:
        found = self._meta("audit_seq")
        return int(found) if found is not None else None

    @staticmethod
    def _audit(catalog: Catalog, after: int, limit: int | None = None) -> list[tuple[int, str]]:
        """(seq, graph) of the audit entries after `after` (hdcat.audit appends one per graph
        written, in DATA/private.sqlite), read-only; [] when there is no audit chain."""
        path = catalog.settings.data_dir / "private.sqlite"
        if not path.exists():
            return []
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
            try:
                sql = "SELECT seq, graph FROM audit WHERE seq > ? ORDER BY seq"
                params: tuple = (after,)
                if limit is not None:
                    sql += " LIMIT ?"
                    params = (after, limit)
                return conn.execute(sql, params).fetchall()
            finally:
                conn.close()
        except sqlite3.Error:
            return []

    @staticmethod
    def _audit_head(catalog: Catalog) -> int | None:
        """The last seq of the audit chain (None: no chain)."""
        path = catalog.settings.data_dir / "private.sqlite"
        if not path.exists():
            return None
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
            try:
                row = conn.execute("SELECT max(seq) FROM audit").fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            return None
        return row[0] if row and row[0] is not None else None

    def _set_audit_seq(self, seq: int) -> None:
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('audit_seq', ?)", (str(seq),))

    def _advance(self, catalog: Catalog, applied: set[str]) -> None:
        """Move the audit mark past the entries of the graphs just applied (up to the first
        entry of a graph written elsewhere, which `catch_up` applies)."""
        last = self._audit_seq()
        if last is None:
            return
        mark = last
        for seq, graph in self._audit(catalog, last, limit=len(applied) + 1000):
            if graph not in applied:
                break
            mark = seq
        if mark != last:
            self._set_audit_seq(mark)

    def follow(self, catalog: Catalog, every: float = 30.0) -> int:
        """`catch_up` at most every `every` seconds (for a long-running server, so that writes
        made meanwhile by other processes are found without a restart)."""
        now_s = time.monotonic()
        if now_s - self._followed < every:
            return 0
        self._followed = now_s
        head = self._audit_head(catalog)
        last = self._audit_seq()
        if head is None or last is None or head <= last:
            return 0
        return self.catch_up(catalog)

    def catch_up(self, catalog: Catalog, most: int = CATCH_UP_MOST) -> int:
        """Apply the graphs written since the index last followed the catalog's audit chain
        (writes by processes that did not keep this index: `hdcat load`, harvests...); a
        rebuild when they are more than `most`, or when the index never followed the chain
        and does not hold as many records as the catalog. Returns the graphs applied."""
        last = self._audit_seq()
        if last is None:
            head = self._audit_head(catalog)
            if self.stale or self.records_seen() != catalog.count_records():
                self.rebuild(catalog)
            elif head is not None:
                self._set_audit_seq(head)
            return 0
        rows = self._audit(catalog, last)
        if not rows:
            return 0
        names = list(dict.fromkeys(graph for _seq, graph in rows))
        if len(names) > most or self.stale:
            self.rebuild(catalog)
            return len(names)
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            self.apply(catalog, {name: catalog.record_triples(name) for name in chunk})
        self._set_audit_seq(rows[-1][0])
        return len(names)

    def _write(self, upserts: list[Profile], gone: list[str], others: list[str],
               agents: Mapping[str, list[str]]) -> None:
        if not (upserts or gone or others or agents):
            return
        c = self._conn
        c.execute("BEGIN IMMEDIATE")
        try:
            delta: Counter[str] = Counter()
            cleared: dict[str, set[int]] = {}
            added: dict[str, set[int]] = {}
            changed = False

            def remove(where: str, value: str) -> None:
                nonlocal changed
                for doc, data in c.execute(f"SELECT id, data FROM docs WHERE {where} = ?",
                                           (value,)).fetchall():
                    old = Profile.from_json(json.loads(data))
                    delta.subtract(_df_units(old))
                    keys = _profile_keys(old)
                    c.executemany("DELETE FROM post WHERE key = ? AND doc = ?",
                                  ((k, doc) for k in keys))
                    for k in keys:
                        cleared.setdefault(k, set()).add(doc)
                    c.execute("DELETE FROM docs WHERE id = ?", (doc,))
                    changed = True

            for record in [*gone, *others, *(p.record for p in upserts)]:
                remove("record", record)
                if c.execute("DELETE FROM others WHERE record = ?", (record,)).rowcount:
                    changed = True
            for p in upserts:
                remove("dataset", p.dataset)
                cur = c.execute("INSERT INTO docs (record, dataset, data) VALUES (?, ?, ?)",
                                (p.record, p.dataset, json.dumps(p.to_json(), ensure_ascii=False)))
                doc = int(cur.lastrowid)
                delta.update(_df_units(p))
                keys = _profile_keys(p)
                c.executemany("INSERT OR IGNORE INTO post VALUES (?, ?)", ((k, doc) for k in keys))
                for k in keys:
                    added.setdefault(k, set()).add(doc)
                changed = True
            for record in others:
                c.execute("INSERT OR IGNORE INTO others VALUES (?)", (record,))
                changed = True
            for unit, d in delta.items():
                if d > 0:
                    c.execute("INSERT INTO df VALUES (?, ?) ON CONFLICT(unit) DO UPDATE SET "
                              "n = n + excluded.n", (unit, d))
                elif d < 0:
                    c.execute("UPDATE df SET n = n + ? WHERE unit = ?", (d, unit))
            c.execute("DELETE FROM df WHERE n <= 0")
            for key in cleared.keys() | added.keys():
                row = c.execute("SELECT n FROM df WHERE unit = ?", (key,)).fetchone()
                n = row[0] if row else 0
                old = c.execute("SELECT data FROM bits WHERE key = ?", (key,)).fetchone()
                if n < BITMAP_MIN_DF // 2 or (old is None and n < BITMAP_MIN_DF):
                    if old is not None:
                        c.execute("DELETE FROM bits WHERE key = ?", (key,))
                    continue
                if old is None:
                    docs = [r[0] for r in c.execute("SELECT doc FROM post WHERE key = ?", (key,))]
                    bits = _to_bits(docs)
                else:
                    bits = int.from_bytes(old[0], "little")
                    for doc in cleared.get(key, ()):
                        bits &= ~(1 << doc)
                    for doc in added.get(key, ()):
                        bits |= 1 << doc
                c.execute("INSERT OR REPLACE INTO bits VALUES (?, ?)", (key, _blob(bits)))
            for iri, names in agents.items():
                c.execute("INSERT OR REPLACE INTO agents VALUES (?, ?)",
                          (iri, json.dumps(names, ensure_ascii=False)))
                changed = True
            if changed:
                self._bump(c)
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    # -- reading

    def _current(self) -> _State:
        """The in-memory state for the index as it is now (call with the lock held)."""
        c = self._conn
        gen = int(c.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
        state = self._state
        if state is not None and state.generation == gen:
            return state
        c.execute("BEGIN")
        try:
            gen = int(c.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
            n = c.execute("SELECT count(*) FROM docs").fetchone()[0]
            df = dict(c.execute("SELECT unit, n FROM df"))
            bits = {k: int.from_bytes(v, "little")
                    for k, v in c.execute("SELECT key, data FROM bits")}
        finally:
            c.execute("COMMIT")
        self._state = _State(gen, n, df, bits)
        if self._profiles_gen != gen:
            self._profiles.clear()
            self._profiles_gen = gen
        return self._state

    def _load(self, ids: Iterable[int]) -> dict[int, Profile]:
        """Profiles by doc id, through a cache of the current generation."""
        out: dict[int, Profile] = {}
        missing = []
        for d in ids:
            p = self._profiles.get(d)
            if p is None:
                missing.append(d)
            else:
                out[d] = p
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for d, data in self._conn.execute(
                    f"SELECT id, data FROM docs WHERE id IN ({marks})", chunk):
                p = Profile.from_json(json.loads(data))
                out[d] = p
                self._profiles[d] = p
        while len(self._profiles) > PROFILE_CACHE:
            self._profiles.popitem(last=False)
        return out

    def _candidates(self, state: _State, keys: Sequence[str], limit: int,
                    exclude: int | None = None, min_share: float = 0.0) -> list[tuple[int, int]]:
        """(doc id, summed key weight) of the profiles with the highest sums, best first;
        those under `min_share` of the plan's own sum are left out."""
        weighted: dict[str, float] = {}
        for k in dict.fromkeys(keys):
            n = state.df.get(k, 1 if _uncounted(k) else 0)
            if n == 0 or (state.n >= 50 and n > COMMON_SHARE * state.n):
                continue
            weighted[k] = state.idf(k)
        if not weighted:
            return []
        top_w = max(weighted.values())
        # weights as powers of two, 1..16: each frequent key is one addition to the slices
        q = {k: 1 << max(0, min(4, round(math.log2(max(16 * w / top_w, 1e-9)))))
             if top_w > 0 else 1 for k, w in weighted.items()}
        total = sum(q.values())
        rare = [k for k in q if k not in state.bits]
        sums: Counter[int] = Counter()
        for start in range(0, len(rare), 400):
            chunk = rare[start : start + 400]
            marks = ",".join("?" * len(chunk))
            for key, doc in self._conn.execute(
                    f"SELECT key, doc FROM post WHERE key IN ({marks})", chunk):
                sums[doc] += q[key]
        planes: list[int] = []
        universe = 0
        for k in q:
            bits = state.bits.get(k)
            if bits is not None:
                universe |= bits
                _accumulate(planes, bits, q[k])
        values: dict[int, int] = {}
        slices = [p.to_bytes((p.bit_length() + 7) // 8, "little") for p in planes]

        def summed(d: int) -> int:
            v = 0
            i, bit = d >> 3, d & 7
            for j, data in enumerate(slices):
                if i < len(data) and data[i] >> bit & 1:
                    v += 1 << j
            return v

        if planes:
            if exclude is not None:
                universe &= ~(1 << exclude)
            sure, tied = _top(planes, universe, limit)
            for d in _members(sure):
                values[d] = summed(d)
            if tied:  # equal sums: as many as still needed (lowest ids first)
                members = _members(tied, limit=max(0, limit - len(values)) + 8)
                tie = summed(members[0]) if members else 0
                values.update(dict.fromkeys(members, tie))
        for d, v in sums.items():
            values[d] = (values[d] if d in values else summed(d)) + v
        values.pop(exclude, None)  # type: ignore[arg-type]
        floor = min_share * total
        ranked = sorted(((v, -d) for d, v in values.items()), reverse=True)
        return [(-d, v) for v, d in ranked[:limit] if v >= floor]

    # -- names

    def agents(self) -> list[tuple[str, list[str]]]:
        with self._lock:
            gen = self._current().generation
            if self._agents is None or self._agents[0] != gen:
                rows = [(iri, json.loads(names)) for iri, names in
                        self._conn.execute("SELECT iri, names FROM agents ORDER BY iri")]
                self._agents = (gen, rows)
            return self._agents[1]

    def resolve_agents(self, institutions: Sequence[str]) -> list[str]:
        """The catalog agents a plan's institutions name (by IRI, or by a name that equals,
        contains or is contained in one of theirs)."""
        found: dict[str, None] = {}
        agents = self.agents()
        for inst in institutions:
            if inst.startswith(("http://", "https://")):
                found[inst] = None
                continue
            key = _name_key(inst)
            if len(key) < 2:
                continue
            cjk = bool(re.search("[\u4e00-\u9fff]", key))
            for iri, names in agents:
                for name in names:
                    other = _name_key(name)
                    if key == other or (len(key) >= (3 if cjk else 8) and key in other) or (
                            len(other) >= (3 if cjk else 8) and other in key):
                        found[iri] = None
                        break
        return list(found)

    def agents_named(self, text: str) -> list[tuple[str, str]]:
        """(name, IRI) of the catalog's organisations a text names in full (names of at
        least 4 Chinese characters or 10 Latin ones)."""
        from hdcat.dedup_features import _compact

        compact = _compact(text)
        found: list[tuple[str, str]] = []
        for iri, names in self.agents():
            for name in names:
                key = _compact(name)
                cjk = bool(re.search("[\u4e00-\u9fff]", key))
                if len(key) >= (4 if cjk else 10) and key in compact:
                    found.append((name, iri))
                    break
        return found

    def resolve_domain(self, text: str) -> str | None:
        """A domain IRI from an IRI, notation (CM), local name or label (临床医学)."""
        if text.startswith(("http://", "https://")):
            return text
        if self._domains is None:
            found: dict[str, str] = {}
            for unit, (zh, en) in self._lexicon().items():
                if unit.startswith("c:v/domain/"):
                    for label in (*zh, *en, unit.rsplit("/", 1)[-1]):
                        found.setdefault(_name_key(label), VOCAB + unit[4:])
            self._domains = found
        return self._domains.get(_name_key(text))

    def name(self, iri: str, lang: str = "zh") -> str:
        """A label for an agent, a dataset or a concept IRI (else its last segment)."""
        for a, names in self.agents():
            if a == iri and names:
                zh = [n for n in names if re.search("[\u4e00-\u9fff]", n)]
                en = [n for n in names if n not in zh]
                return ((zh or en) if lang == "zh" else (en or zh))[0]
        if iri.startswith(VOCAB):
            shown = self.analyzer.display.get("c:v/" + iri[len(VOCAB):])
            if shown:
                return shown[0] if lang == "zh" else shown[1]
        with self._lock:
            row = self._conn.execute("SELECT data FROM docs WHERE dataset = ?", (iri,)).fetchone()
        if row:
            titles = json.loads(row[0]).get("titles", {})
            return _pick(titles, lang) or iri
        return iri.rstrip("/#").rsplit("/", 1)[-1] or iri

    # -- checking

    def profile(self, plan: Mapping[str, object], catalog: Catalog | None = None) -> Profile:
        """The profile of a planned dataset."""
        return plan_profile(plan, self._context(catalog), self.resolve_agents,
                            self.resolve_domain, self.agents_named)

    def check(self, plan: Mapping[str, object], limit: int = DEFAULT_LIMIT, lang: str = "zh",
              catalog: Catalog | None = None, min_band: str = "distinct") -> list[Match]:
        """The catalogued datasets most like a planned one, best first, each with its score,
        band and reasons (in `lang`). Raises ValueError when the plan has no text."""
        p = self.profile(plan, catalog)
        if not (p.titles or p.du):
            raise ValueError("a planned dataset needs a title (or a description)")
        keys = _profile_keys(p)
        if not p.tu:
            keys += [u for units in p.du.values() for u in units if not u.startswith("b:")]
        with self._lock:
            state = self._current()
            ranked = self._candidates(state, keys, CANDIDATES)
            best = ranked[0][1] if ranked else 0
            ids = [d for i, (d, v) in enumerate(ranked) if i < EXACT_MIN or v >= EXACT_SHARE * best]
            profiles = self._load(ids)
        matches: list[Match] = []
        explained: dict[str, tuple] = {}
        wanted = {"distinct": 0.0, "overlap": OVERLAP_AT, "duplicate": DUPLICATE_AT}[min_band]
        for d in ids:
            doc = profiles.get(d)
            if doc is None:
                continue
            comp = compare(p, doc, state.weight)
            s = score(comp.features)
            if s < wanted:
                continue
            matches.append(Match(doc.dataset, doc.record, _pick(doc.titles, lang), s, band(s),
                                 [], comp.features))
            explained[doc.dataset] = (comp, doc)
        matches.sort(key=lambda m: (-m.score, m.dataset))
        matches = matches[: max(1, limit)]
        for m in matches:
            comp, doc = explained[m.dataset]
            m.why = reasons(comp, p, doc, self.analyzer, lang, lambda iri: self.name(iri, lang))
        return matches

    # -- the catalog-wide pass

    def doc_ids(self) -> list[int]:
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT id FROM docs ORDER BY id")]

    def _pairs_of(self, ids: Iterable[int], threshold: float) -> list[tuple]:
        """(a, b, score, declared, features) of the pairs with a score >= threshold found
        from the given profiles."""
        out: list[tuple] = []
        with self._lock:
            state = self._current()
        for d in ids:
            with self._lock:
                p = self._load([d]).get(d)
                if p is None:
                    continue
                cands = [e for e, _v in self._candidates(
                    state, _profile_keys(p), PASS_CANDIDATES, exclude=d, min_share=PASS_MIN_SHARE)]
                others = self._load(cands)
            for e in cands:
                doc = others.get(e)
                if doc is None or doc.dataset == p.dataset:
                    continue
                comp = compare(p, doc, state.weight)
                s = score(comp.features)
                if s >= threshold:
                    a, b = sorted((p.dataset, doc.dataset))
                    out.append((a, b, s, comp.declared))
        return out

    def _explain(self, pairs: Sequence[tuple[str, str]]) -> list[str]:
        """The reasons of pairs (a, b), in zh and en, as JSON texts."""
        by_dataset = self._profiles_by_dataset({x for pair in pairs for x in pair})
        with self._lock:
            state = self._current()
        out = []
        for a, b in pairs:
            pa, pb = by_dataset.get(a), by_dataset.get(b)
            why: dict[str, list[str]] = {}
            if pa is not None and pb is not None:
                comp = compare(pa, pb, state.weight)
                for lang in ("zh", "en"):
                    why[lang] = reasons(comp, pa, pb, self.analyzer, lang,
                                        lambda iri, lang=lang: self.name(iri, lang))
            out.append(json.dumps(why, ensure_ascii=False))
        return out

    def catalog_pass(self, workers: int = 2, threshold: float = DUPLICATE_AT,
                     progress: bool = False) -> PassReport:
        """Find the likely duplicate pairs of the whole catalog and keep them (table
        ``pairs``), with their reasons in zh and en. With several workers, both the search
        and the reasons run in that many processes."""
        import resource

        started = time.perf_counter()
        cpu = [resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                   resource.RUSAGE_CHILDREN)]
        ids = self.doc_ids()
        workers = max(1, min(workers, 8))
        if len(ids) < 4000:
            workers = 1
        found: dict[tuple[str, str], tuple[float, bool]] = {}

        def keep(part: Iterable[tuple]) -> None:
            for a, b, s, declared in part:
                old = found.get((a, b))
                found[(a, b)] = (max(s, old[0]) if old else s, declared)

        pool = None
        if workers > 1:
            import multiprocessing

            context = multiprocessing.get_context("fork" if sys.platform != "win32"
                                                  else "spawn")
            pool = context.Pool(workers)
        try:
            chunks = [ids[i : i + 2000] for i in range(0, len(ids), 2000)]
            if pool is None:
                for chunk in _progress(chunks, progress, "dedup pass", unit="2000 ds"):
                    keep(self._pairs_of(chunk, threshold))
            else:
                results = pool.imap_unordered(_pass_worker,
                                              [(str(self.path), c, threshold) for c in chunks])
                for part in _progress(results, progress, "dedup pass", unit="2000 ds",
                                      total=len(chunks)):
                    keep(part)
            searched = time.perf_counter() - started
            pairs = sorted(found)
            batches = [pairs[i : i + 2000] for i in range(0, len(pairs), 2000)]
            if pool is None:
                whys = [w for batch in batches for w in self._explain(batch)]
            else:
                whys = [w for part in pool.map(_explain_worker,
                                               [(str(self.path), b) for b in batches])
                        for w in part]
        finally:
            if pool is not None:
                pool.close()
                pool.join()
        rows = [(a, b, found[(a, b)][0], band(found[(a, b)][0]), int(found[(a, b)][1]), why)
                for (a, b), why in zip(pairs, whys, strict=True)]
        declared_n = sum(1 for r in rows if r[4])
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                c.execute("DELETE FROM pairs")
                c.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?, ?, ?)", rows)
                for key, value in (("pairs_at", now()), ("pairs_generation",
                                                         str(self.generation)),
                                   ("pairs_datasets", str(len(ids)))):
                    c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        used = sum(u.ru_utime + u.ru_stime - (c.ru_utime + c.ru_stime) for u, c in zip(
            (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                 resource.RUSAGE_CHILDREN)), cpu, strict=True))
        return PassReport(len(ids), len(rows), declared_n, time.perf_counter() - started,
                          workers, searched, used)

    def _profiles_by_dataset(self, datasets: Iterable[str]) -> dict[str, Profile]:
        out: dict[str, Profile] = {}
        datasets = list(datasets)
        with self._lock:
            for start in range(0, len(datasets), 500):
                chunk = datasets[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for ds, data in self._conn.execute(
                        f"SELECT dataset, data FROM docs WHERE dataset IN ({marks})", chunk):
                    out[ds] = Profile.from_json(json.loads(data))
        return out

    def pairs_info(self) -> dict[str, str | None]:
        """When the last catalog-wide pass ran, over how many datasets, at which
        generation of the index (older than `generation`: writes came since)."""
        return {k: self._meta(f"pairs_{k}") for k in ("at", "generation", "datasets")}

    def pairs(self, include_declared: bool = False) -> list[Pair]:
        """The pairs of the last catalog-wide pass, best first (declared versions and
        lineage left out unless asked)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT a, b, score, band, declared, why FROM pairs ORDER BY score DESC, a, b"
            ).fetchall()
        out = [Pair(a, b, s, bd, bool(dec), json.loads(why)) for a, b, s, bd, dec, why in rows
               if include_declared or not dec]
        titles = self._profiles_by_dataset({x for p in out for x in (p.a, p.b)})
        for pair in out:
            for ds in (pair.a, pair.b):
                prof = titles.get(ds)
                if prof is not None:
                    pair.titles[ds] = _pick(prof.titles, "zh") or ds
        return out


def _pass_worker(args: tuple[str, list[int], float]) -> list[tuple]:
    path, ids, threshold = args
    index = _WORKER_INDEXES.get(path)
    if index is None:
        index = DedupIndex(Path(path))
        _WORKER_INDEXES[path] = index
    return index._pairs_of(ids, threshold)


def _explain_worker(args: tuple[str, list[tuple[str, str]]]) -> list[str]:
    path, pairs = args
    index = _WORKER_INDEXES.get(path)
    if index is None:
        index = DedupIndex(Path(path))
        _WORKER_INDEXES[path] = index
    return index._explain(pairs)


_WORKER_INDEXES: dict[str, DedupIndex] = {}


def _pick(texts: Mapping[str, str], lang: str) -> str:
    for key in (lang, "zh" if lang == "en" else "en"):
        if texts.get(key):
            return texts[key]
    return next(iter(texts.values()), "")


def _record_graphs(catalog: Catalog) -> Iterator[tuple[str, list[ox.Triple]]]:
    """(record IRI, triples) of every record graph, reading the store in one pass."""
    records = {record for record, _ds in catalog.records()}
    done: set[str] = set()
    current: str | None = None
    buffer: list[ox.Triple] = []
    for quad in catalog.store.quads():
        g = quad.graph_name
        name = g.value if isinstance(g, ox.NamedNode) else None
        if name != current:
            if current in records and current not in done:
                done.add(current)
                yield current, buffer
            current, buffer = name, []
        if name in records:
            buffer.append(quad.triple)
    if current in records and current not in done:
        done.add(current)
        yield current, buffer
    for record in sorted(records - done):  # not read in one run (remote stores)
        yield record, catalog.record_triples(record)


def _progress(items: Iterable, enabled: bool, label: str, unit: str = "rec",
              total: int | None = None) -> Iterable:
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, unit=unit, total=total)


# ------------------------------------------------------------------ one index per catalog

_open_lock = threading.Lock()
_open_indexes: weakref.WeakKeyDictionary[Catalog, DedupIndex] = weakref.WeakKeyDictionary()
_warmed = threading.Event()


def _warm_segmenter() -> None:
    """Load jieba's dictionary (about 1-3 s) in the background once per process, so that the
    first check with Chinese words outside the lexicon does not wait for it."""
    if _warmed.is_set():
        return
    _warmed.set()
    from hdcat.search import _segment

    threading.Thread(target=_segment, args=("预热分词",), name="dedup-jieba",
                     daemon=True).start()


def dedup_index(catalog: Catalog, fresh: bool = True) -> DedupIndex:
    """The duplicate-check index of a catalog (DATA/dedup.sqlite), opened once per catalog
    and kept in step with its writes from then on. With `fresh`, writes made meanwhile by
    processes that did not keep it are applied first (`DedupIndex.catch_up`)."""
    with _open_lock:
        index = _open_indexes.get(catalog)
        if index is not None:
            return index
        index = DedupIndex(catalog.settings.data_dir / "dedup.sqlite")
        ref = weakref.ref(catalog)

        def listener(graphs: dict[str, list[ox.Triple]]) -> None:
            index.apply(ref(), graphs)

        catalog.on_write(listener)
        _open_indexes[catalog] = index
        _warm_segmenter()
    if fresh and catalog.is_initialized() and index._meta("lexicon") is None:
        index.refresh_lexicon(catalog)
    if fresh:
        index.catch_up(catalog)
    return index


def check(catalog: Catalog, plan: Mapping[str, object], limit: int = DEFAULT_LIMIT,
          lang: str = "zh") -> list[Match]:
    """Check one planned dataset against the catalog (see `DedupIndex.check`)."""
    return dedup_index(catalog).check(plan, limit=limit, lang=lang, catalog=catalog)


# ------------------------------------------------------------------ curators' decisions

DECISIONS = ("merge", "distinct")
DECISION_SCHEMA = """
CREATE TABLE IF NOT EXISTS dedup_decision (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    decision TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (a, b)
);
"""


class Decisions:
    """Curators' decisions on likely duplicate pairs: 'merge' or 'distinct' (not a
    duplicate), kept in the private state."""

    def __init__(self, state: PrivateState) -> None:
        self.state = state
        state.ensure(DECISION_SCHEMA)

    def decide(self, a: str, b: str, decision: str, actor: str, note: str = "") -> None:
        if decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r} (use one of {', '.join(DECISIONS)})")
        if a == b:
            raise ValueError("a pair needs two different datasets")
        a, b = sorted((a, b))
        self.state.execute(
            "INSERT INTO dedup_decision (a, b, decision, actor, at, note) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(a, b) DO UPDATE SET decision=excluded.decision, actor=excluded.actor,"
            " at=excluded.at, note=excluded.note",
            (a, b, decision, actor, now(), note[:2000] or None))

    def get(self, a: str, b: str) -> dict | None:
        a, b = sorted((a, b))
        rows = self.state.rows("SELECT decision, actor, at, note FROM dedup_decision "
                               "WHERE a = ? AND b = ?", (a, b))
        return rows[0] if rows else None

    def all(self) -> dict[tuple[str, str], dict]:
        return {(r["a"], r["b"]): r for r in self.state.rows(
            "SELECT a, b, decision, actor, at, note FROM dedup_decision ORDER BY at")}


def pairs_with_decisions(index: DedupIndex, decisions: Decisions,
                         show_distinct: bool = False) -> list[Pair]:
    """The pairs of the last pass with the decisions taken on them; pairs decided 'not a
    duplicate' are left out unless `show_distinct`."""
    taken = decisions.all()
    out = []
    for pair in index.pairs():
        found = taken.get((pair.a, pair.b))
        if found is not None:
            pair.decision = {k: found[k] for k in ("decision", "actor", "at", "note") if found[k]}
            if found["decision"] == "distinct" and not show_distinct:
                continue
        out.append(pair)
    return out


# ------------------------------------------------------------------ spreadsheets of plans

_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "序号", "no", "ref"),
    "title": ("title", "标题", "名称", "数据集名称", "计划数据集", "dataset"),
    "title_zh": ("titlezh", "中文标题", "中文名称", "数据集中文名称", "中文题名"),
    "title_en": ("titleen", "英文标题", "英文名称", "数据集英文名称", "englishtitle"),
    "description": ("description", "描述", "简介", "数据描述", "摘要", "abstract", "内容"),
    "description_zh": ("descriptionzh", "中文描述", "中文简介"),
    "description_en": ("descriptionen", "英文描述", "英文简介"),
    "keywords": ("keywords", "keyword", "关键词", "关键字"),
    "domain": ("domain", "领域", "学科", "学科领域"),
    "population": ("population", "人群", "研究对象", "研究人群", "对象"),
    "region": ("region", "地区", "地域", "地理范围", "区域", "place", "spatial"),
    "start": ("start", "开始", "起始", "开始时间", "起始时间", "开始年份", "起始年份", "from"),
    "end": ("end", "结束", "结束时间", "截止", "截止时间", "结束年份", "to", "until"),
    "time": ("time", "时间范围", "时间", "timerange", "period", "temporal", "年份"),
    "variables": ("variables", "变量", "指标", "字段", "variable"),
    "standards": ("standards", "标准", "数据标准", "standard", "采用标准"),
    "institutions": ("institutions", "机构", "来源机构", "单位", "承担单位", "数据来源机构",
                     "sourceinstitutions", "institution", "publisher"),
    "size": ("size", "规模", "样本量", "数据量", "计划规模", "plannedsize", "records"),
    "sources": ("sources", "来源数据", "来源数据集", "source"),
}
_HEADER = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}


def _header(text: object) -> str | None:
    key = re.sub(r"[\s_\-:：()（）/]+", "", str(text or "")).lower()
    return _HEADER.get(key)


def plans_from_rows(rows: Iterable[Sequence[object]]) -> list[dict[str, object]]:
    """Plans from table rows whose first row is the header (names in zh or en)."""
    it = iter(rows)
    header = next(it, None)
    if header is None:
        return []
    names = [_header(h) for h in header]
    if not any(n in ("title", "title_zh", "title_en", "description") for n in names):
        raise ValueError("the first row must name the columns, with at least a title "
                         "(标题 / title)")
    plans = []
    for row in it:
        plan: dict[str, object] = {}
        for name, value in zip(names, row, strict=False):
            if name and value not in (None, ""):
                plan[name] = value.strip() if isinstance(value, str) else value
        if any(plan.get(k) for k in ("title", "title_zh", "title_en", "description")):
            plans.append(plan)
        if len(plans) > MAX_PLANS:
            raise ValueError(f"at most {MAX_PLANS} planned datasets at a time")
    return plans


def read_plans(data: bytes, filename: str) -> list[dict[str, object]]:
    """Planned datasets from a spreadsheet (.xlsx, .csv) or JSON (an object, a list, or
    {"plans": [...]})."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx" or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as e:  # noqa: BLE001 - any unreadable workbook
            raise ValueError(f"not a readable .xlsx workbook: {e}") from None
        sheet = book.worksheets[0]
        return plans_from_rows(sheet.iter_rows(values_only=True))
    text = data.decode("utf-8-sig", errors="replace")
    if suffix == ".json" or text.lstrip()[:1] in ("{", "["):
        try:
            body = json.loads(text)
        except ValueError as e:
            raise ValueError(f"not valid JSON: {e}") from None
        if isinstance(body, dict) and isinstance(body.get("plans"), list):
            body = body["plans"]
        items = body if isinstance(body, list) else [body]
        plans = [clean_plan(x) for x in items if isinstance(x, dict)]
        if len(plans) > MAX_PLANS:
            raise ValueError(f"at most {MAX_PLANS} planned datasets at a time")
        return plans
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return plans_from_rows(csv.reader(io.StringIO(text), dialect))


def clean_plan(body: Mapping[str, object]) -> dict[str, object]:
    """The known fields of a plan given as JSON, each bounded in size."""
    plan: dict[str, object] = {}
    for key, value in body.items():
        name = key if key in PLAN_FIELDS or key == "id" else _header(key)
        if name is None or value in (None, ""):
            continue
        if isinstance(value, list):
            plan[name] = [str(v)[:500] for v in value[:100] if v is not None]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            plan[name] = value
        else:
            limit = 5000 if name.startswith("description") else 1000
            plan[name] = str(value)[:limit]
    return plan


# ------------------------------------------------------------------ the command


def _print_matches(plan: Mapping[str, object], matches: Sequence[Match], lang: str) -> None:
    title = str(plan.get("title") or plan.get("title_zh") or plan.get("title_en") or "")
    click.echo("== " + " ".join(str(x) for x in (plan.get("id"), title) if x))
    if not matches:
        click.echo("   (no similar dataset in the catalog)")
    for m in matches:
        click.echo(f"   {m.score:.2f} {m.band:9} {m.title}  <{m.dataset}>")
        for why in m.why:
            click.echo(f"        - {why}")


@click.command("dedup")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--catalog", "catalog_wide", is_flag=True,
              help="List likely duplicate pairs already in the catalog.")
@click.option("--rebuild", is_flag=True, help="Rebuild the duplicate-check index first.")
@click.option("--limit", default=5, show_default=True, help="Matches per planned dataset.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@click.option("--workers", default=2, show_default=True,
              help="Processes for the catalog-wide pass.")
@click.option("--all", "show_all", is_flag=True,
              help="With --catalog: also pairs decided 'not a duplicate'.")
@click.pass_context
def cli(ctx: click.Context, file: str | None, as_json: bool, catalog_wide: bool, rebuild: bool,
        limit: int, lang: str, workers: int, show_all: bool) -> None:
    """Duplicate check (查重): compare planned datasets in FILE (.xlsx, .csv or .json) with
    the published catalog, or list likely duplicate pairs inside it (--catalog)."""
    from hdcat.catalog import Catalog

    obj = ctx.find_root().ensure_object(dict)
    if "catalog" not in obj:
        obj["catalog"] = Catalog.open(obj.get("data"))
        ctx.call_on_close(obj["catalog"].close)
    catalog = obj["catalog"]
    progress = sys.stderr.isatty()
    if not (file or catalog_wide or rebuild):
        raise click.UsageError("give a FILE of planned datasets, --catalog or --rebuild")
    index = dedup_index(catalog, fresh=not rebuild)
    if rebuild:
        started = time.perf_counter()
        n = index.rebuild(catalog, progress=progress)
        click.echo(f"indexed {n} datasets in {time.perf_counter() - started:.1f} s", err=True)
    if file:
        try:
            plans = read_plans(Path(file).read_bytes(), file)
        except ValueError as e:
            raise click.ClickException(str(e)) from None
        results = []
        for plan in plans:
            try:
                matches = index.check(plan, limit=limit, lang=lang, catalog=catalog)
            except ValueError as e:
                matches = []
                click.echo(f"skipped {plan.get('id', '')}: {e}", err=True)
            results.append((plan, matches))
        if as_json:
            click.echo(json.dumps(
                [{"plan": plan, "matches": [m.to_json() for m in ms]} for plan, ms in results],
                ensure_ascii=False, indent=2))
        else:
            for plan, ms in results:
                _print_matches(plan, ms, lang)
    if catalog_wide:
        report = index.catalog_pass(workers=workers, progress=progress)
        state = PrivateState.of(catalog.settings.data_dir)
        ctx.call_on_close(state.close)
        pairs = pairs_with_decisions(index, Decisions(state), show_distinct=show_all)
        click.echo(f"{report.datasets} datasets, {len(pairs)} likely duplicate pairs "
                   f"({report.declared} declared versions or lineage left out) in "
                   f"{report.seconds:.1f} s", err=True)
        if as_json:
            click.echo(json.dumps([p.to_json(lang) for p in pairs], ensure_ascii=False,
                                  indent=2))
        else:
            for p in pairs:
                decided = f" [{p.decision['decision']}]" if p.decision else ""
                click.echo(f"{p.score:.2f}{decided} {p.titles.get(p.a, p.a)}  <{p.a}>\n"
                           f"     {p.titles.get(p.b, p.b)}  <{p.b}>")
                for why in p.why.get(lang, []):
                    click.echo(f"        - {why}")


def plan_summary(plan: Mapping[str, object]) -> list[tuple[str, str]]:
    """(field, value) of a plan's given fields, for reports."""
    out = []
    for key in PLAN_FIELDS:
        value = plan.get(key)
        if value in (None, "", []):
            continue
        out.append((key, ", ".join(map(str, value)) if isinstance(value, list) else str(value)))
    return out


__all__ = ["DedupIndex", "Decisions", "Match", "Pair", "check", "cli", "dedup_index",
           "read_plans", "clean_plan", "plan_summary", "pairs_with_decisions"]

