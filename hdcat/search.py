"""The search index: full text, facets and sorting for the catalog pages.

An index, not the truth: it is rebuilt from the public graphs (`SearchIndex.rebuild`) and kept
in step with every write (`catalog.on_write(index.apply)`). One SQLite file holds

* ``docs``: one row per indexed record (its `Hit` fields as JSON, sort keys, indexed);
* ``fts``: an FTS5 table (title, keywords, description) of pre-tokenised text;
* ``head``: an FTS5 table of the same title and keyword text only, for ranking (its doclists
  are short: a word that only descriptions hold costs nothing there);
* ``bits``: per facet value, the set of doc ids holding it as a bitmap (a blob, bit i = doc i);
* ``meta``: the schema version and a generation number bumped by every write.

Text. Latin script is NFKC-normalised, lower-cased and split into words, with a light English
plural stemmer (``studies`` -> ``study``, ``cohorts`` -> ``cohort``). Every run of CJK
characters is indexed as its overlapping character bigrams followed by its last character
(``糖尿病`` -> ``糖尿 尿病 病``), so any substring of two or more characters is found by a
phrase of bigrams, whatever the word segmentation, and a single character by a prefix query.
Titles and keywords are also segmented by jieba (``cut_for_search``); those words are appended
to the column (a query finds nothing more by them: it is matched by its bigrams). Descriptions
are bigrams only (jieba runs at ~200k characters/s, too slow for descriptions at 100k
datasets). A query is split on white space; each Latin word sequence (a phrase) and each CJK
run is a term, and all terms must match (AND). No FTS5 syntax reaches SQLite from the user:
tokens are word characters only and every one is quoted.

Matching and ranking. A text query is answered by one FTS5 MATCH that returns its doc ids as
one JSON array (``json_group_array``: no Python row per match), turned into a bitmap. Relevance
is a cheap, exact-for-all-matches score instead of bm25 (which costs ~2.5 µs a matching row and
made a first search for a broad word take 100-250 ms at 100k datasets): ``1 + 10 * T + 4 * K``
(see ``WEIGHTS``), where T holds when every term matches in the title and K when every term
matches in the keywords, found by two MATCH queries on ``head``; equal scores are ordered
newest first. So a page of results is the first docs of the score tiers (bitmaps) in the
newest order; nothing is ranked row by row. (FTS5's ``ORDER BY rank LIMIT k`` would not help:
it still computes bm25 for every match before keeping k.)

Facets are counted with Python integers used as bitmaps (AND + popcount over 100k bits takes
microseconds); the bitmaps are loaded from ``bits`` once per generation and shared by the
threads of a process (one connection, one lock). Sorting uses the ``docs`` sort indexes, read
once per generation into lists. The matches of recent text queries (their bitmap, score tiers,
and their order once sorted) are kept per generation too (``MATCH_CACHE_*``), so that paging,
re-sorting and facet clicks on a query do not run FTS5 again.

Series (dcat:DatasetSeries) are indexed too, with ``Hit.kind == "series"``; searches return
both kinds unless filtered with ``filters={"kind": ["dataset"]}``.
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import html
import json
import logging
import math
import operator
import re
import sqlite3
import threading
import unicodedata
import uuid
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import fields as fields_of
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from hdcat.state import open_sqlite

if TYPE_CHECKING:
    from hdcat.catalog import Catalog

log = logging.getLogger(__name__)

FACETS = ("domain", "category", "level", "mode", "publisher", "theme", "standard", "format", "year")
SORTS = ("relevance", "newest", "title")
# Hidden facet (filterable, not counted by default): "dataset" or "series".
KIND = "kind"
SCHEMA_VERSION = "2"  # "1": no ``head`` table (upgraded in place)
# Relevance weights of a match in the title, the keywords, and anywhere (every match): a doc
# scores WEIGHTS[2] + WEIGHTS[0] if all terms are in its title + WEIGHTS[1] if all are in its
# keywords.
WEIGHTS = (10.0, 4.0, 1.0)
MAX_PER_PAGE = 500
MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MAX_RUN = 32
SNIPPET_CHARS = 160
# Text matches kept per index generation, so that paging, sorting and facet clicks on one
# query do not re-run FTS5: at most this many queries, and this many matching ids in all
# (a bitmap per query and score tier, and 8 bytes an id per sort order asked).
MATCH_CACHE_QUERIES = 64
MATCH_CACHE_IDS = 300_000
_BUILD_BATCH = 2000

# ------------------------------------------------------------------ vocabulary

_DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
_HDCAT = "https://w3id.org/hdcat/ns#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_PRIMARY_TOPIC = ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic")
_DATASET = ox.NamedNode(_DCAT + "Dataset")
_SERIES = ox.NamedNode(_DCAT + "DatasetSeries")
_TITLE = ox.NamedNode(_DCT + "title")
_DESCRIPTION = ox.NamedNode(_DCT + "description")
_KEYWORD = ox.NamedNode(_DCAT + "keyword")
_PUBLISHER = ox.NamedNode(_DCT + "publisher")
_ISSUED = ox.NamedNode(_DCT + "issued")
_MODIFIED = ox.NamedNode(_DCT + "modified")
_DISTRIBUTION = ox.NamedNode(_DCAT + "distribution")
_FORMAT = ox.NamedNode(_DCT + "format")
# Hit attribute -> property of the dataset (multi-valued IRI facets).
_IRI_FIELDS = {
    "domains": ox.NamedNode(_HDCAT + "domain"),
    "categories": ox.NamedNode(_HDCAT + "dataCategory"),
    "levels": ox.NamedNode(_HDCAT + "sensitivityLevel"),
    "modes": ox.NamedNode(_HDCAT + "sharingMode"),
    "themes": ox.NamedNode(_DCAT + "theme"),
    "standards": ox.NamedNode(_DCT + "conformsTo"),
}
_FACET_FIELD = {
    "domain": "domains",
    "category": "categories",
    "level": "levels",
    "mode": "modes",
    "theme": "themes",
    "standard": "standards",
    "format": "formats",
}


@dataclass
class Hit:
    """One indexed dataset (or series) as the pages show it."""

    dataset: str
    record: str
    title: dict[str, str]
    description: dict[str, str]
    keywords: list[str]
    publisher: str | None
    issued: str | None
    modified: str | None
    year: int | None
    domains: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    standards: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    snippet: str = ""
    score: float = 0.0
    kind: str = "dataset"

    def facet_values(self, facet: str) -> list[str]:
        """The values this hit has for a facet name of FACETS (or "kind")."""
        if facet == "publisher":
            return [self.publisher] if self.publisher else []
        if facet == "year":
            return [str(self.year)] if self.year is not None else []
        if facet == KIND:
            return [self.kind]
        return list(getattr(self, _FACET_FIELD[facet]))


@dataclass
class SearchResult:
    """One page of results, the total and the facet counts."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    page: int
    per_page: int
    pages: int


# ------------------------------------------------------------------ field extraction


def _lang_key(lang: str | None) -> str:
    if not lang:
        return ""
    lang = lang.lower()
    if lang == "zh" or lang.startswith("zh-"):
        return "zh"
    if lang == "en" or lang.startswith("en-"):
        return "en"
    return lang.split("-", 1)[0]


_DATE_RE = re.compile(r"\s*(-?\d{4})(-\d{2})?(-\d{2})?")


def _date(term: object) -> tuple[str | None, int | None]:
    if not isinstance(term, ox.Literal):
        return None, None
    m = _DATE_RE.match(term.value)
    if not m:
        return None, None
    return m.group(0).strip(), int(m.group(1))


def fields(record_iri: str, triples: Iterable[ox.Triple]) -> Hit | None:
    """The indexed fields of a record graph, or None if it describes no dataset or series.

    The dataset is the record's ``foaf:primaryTopic``; titles, descriptions and keywords are
    its literals (language tags zh*, en* folded to 'zh', 'en'; '' for untagged); facets are
    the IRIs of its properties (formats: ``dct:format`` of its distributions)."""
    by_subject: dict[object, list[ox.Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
    try:
        record = ox.NamedNode(record_iri)
    except ValueError:
        return None
    ds = next((t.object for t in by_subject.get(record, ()) if t.predicate == _PRIMARY_TOPIC), None)
    if not isinstance(ds, ox.NamedNode):
        return None
    own = by_subject.get(ds, [])
    types = {t.object for t in own if t.predicate == _RDF_TYPE}
    if _SERIES in types:
        kind = "series"
    elif _DATASET in types:
        kind = "dataset"
    else:
        return None
    title: dict[str, str] = {}
    description: dict[str, str] = {}
    keywords: list[str] = []
    iris: dict[str, set[str]] = {name: set() for name in _IRI_FIELDS}
    formats: set[str] = set()
    publisher: str | None = None
    issued = modified = None
    year = None
    for t in sorted(own, key=lambda t: str(t.object)):
        p, o = t.predicate, t.object
        if p == _TITLE and isinstance(o, ox.Literal):
            title.setdefault(_lang_key(o.language), o.value)
        elif p == _DESCRIPTION and isinstance(o, ox.Literal):
            description.setdefault(_lang_key(o.language), o.value)
        elif p == _KEYWORD and isinstance(o, ox.Literal):
            if o.value not in keywords:
                keywords.append(o.value)
        elif p == _PUBLISHER and isinstance(o, ox.NamedNode):
            publisher = publisher or o.value
        elif p == _ISSUED:
            issued, year = _date(o)
        elif p == _MODIFIED:
            modified, _ = _date(o)
        elif p == _DISTRIBUTION:
            for d in by_subject.get(o, ()):
                if d.predicate == _FORMAT and isinstance(d.object, ox.NamedNode | ox.Literal):
                    formats.add(d.object.value)
        else:
            for name, prop in _IRI_FIELDS.items():
                if p == prop and isinstance(o, ox.NamedNode):
                    iris[name].add(o.value)
    return Hit(
        dataset=ds.value,
        record=record_iri,
        title=title,
        description=description,
        keywords=keywords,
        publisher=publisher,
        issued=issued,
        modified=modified,
        year=year,
        formats=sorted(formats),
        kind=kind,
        **{name: sorted(values) for name, values in iris.items()},
    )


# ------------------------------------------------------------------ text

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN_RE = re.compile("([" + _CJK + "]+)|([^\\W_" + _CJK + "]+)")
_STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or"}
    | {"the", "to", "with", "的", "和", "与", "及"}
)
_jieba_lock = threading.Lock()
_jieba_ready = False


@functools.lru_cache(maxsize=65536)
def _segment(run: str) -> tuple[str, ...]:
    """jieba.cut_for_search words (2+ characters) of a CJK run; jieba loads once, quietly."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return tuple(w for w in jieba.cut_for_search(run) if len(w) >= 2)


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _stem(word: str) -> str:
    """A light English plural stemmer (applied alike to text and queries)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _grams(run: str) -> list[str]:
    """Overlapping bigrams of a CJK run, then its last character."""
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_text(texts: Iterable[str], segment: bool = False) -> str:
    """The token stream FTS5 indexes for some texts (space separated)."""
    tokens: list[str] = []
    words: list[str] = []
    for text in texts:
        for m in _TOKEN_RE.finditer(_normalize(text)):
            run, word = m.group(1), m.group(2)
            if run:
                tokens.extend(_grams(run))
                if segment and len(run) >= 2:
                    words.extend(_segment(run))
            else:
                tokens.append(_stem(word))
    return " ".join(tokens + words)


@dataclass(frozen=True)
class _Term:
    cjk: bool
    tokens: tuple[str, ...]  # Latin: stemmed words of a phrase; CJK: the run


def parse_query(q: str) -> list[_Term]:
    """The terms of a user query; anything that is not a word character is a separator."""
    terms: list[_Term] = []
    for chunk in _normalize(q[:MAX_QUERY_CHARS]).split():
        latin: list[str] = []
        for m in _TOKEN_RE.finditer(chunk):
            run, word = m.group(1), m.group(2)
            if run:
                if latin:
                    terms.append(_Term(False, tuple(latin)))
                    latin = []
                terms.append(_Term(True, (run[:MAX_RUN],)))
            else:
                latin.append(_stem(word[:MAX_RUN]))
        if latin:
            terms.append(_Term(False, tuple(latin)))
    terms = list(dict.fromkeys(terms))
    useful = [t for t in terms if t.cjk or len(t.tokens) > 1 or t.tokens[0] not in _STOPWORDS]
    return (useful or terms)[:MAX_TERMS]


def _quote(tokens: Iterable[str]) -> str:
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def match_expression(terms: Sequence[_Term]) -> str:
    """The FTS5 MATCH expression of parsed terms (every token quoted)."""
    parts = []
    for term in terms:
        if not term.cjk:
            parts.append(_quote(term.tokens))
            continue
        run = term.tokens[0]
        if len(run) == 1:
            parts.append(_quote([run]) + "*")
        else:
            # The phrase of its bigrams. A jieba word of the run can only be in a text that
            # holds the run itself, so `OR "run"` would find nothing more (and costs ~25%).
            parts.append(_quote(_grams(run)[:-1]))
    return " AND ".join(parts)


_WORD_RE = re.compile("[^\\W_" + _CJK + "]+")


def _spans(text: str, terms: Sequence[_Term]) -> list[tuple[int, int]]:
    lowered = text.lower()
    if len(lowered) != len(text):  # keep offsets: lower-case only what keeps its length
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    spans: list[tuple[int, int]] = []
    stems = {tok for t in terms if not t.cjk for tok in t.tokens}
    if stems:
        for m in _WORD_RE.finditer(text):
            if _stem(_normalize(m.group(0))) in stems:
                spans.append(m.span())
    for t in terms:
        if t.cjk:
            run = t.tokens[0]
            start = lowered.find(run)
            while start >= 0:
                spans.append((start, start + len(run)))
                start = lowered.find(run, start + len(run))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def snippet(hit: Hit, terms: Sequence[_Term], width: int = SNIPPET_CHARS) -> str:
    """An HTML excerpt of the description with the query terms in <mark> (all else escaped)."""
    zh_first = any(t.cjk for t in terms) or not terms
    order = ["zh", "en"] if zh_first else ["en", "zh"]
    langs = order + [k for k in hit.description if k not in order]
    texts = [hit.description[k] for k in langs if hit.description.get(k)]
    if not texts:
        return ""
    chosen, spans = texts[0], []
    for text in texts:
        found = _spans(text, terms) if terms else []
        if found:
            chosen, spans = text, found
            break
    start = 0
    if spans and spans[0][0] > width // 3:
        start = spans[0][0] - width // 4
    end = min(len(chosen), start + width)
    out = ["…"] if start > 0 else []
    pos = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(html.escape(chosen[pos:s]))
        out.append("<mark>" + html.escape(chosen[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(chosen[pos:end]))
    if end < len(chosen):
        out.append("…")
    return "".join(out)


# ------------------------------------------------------------------ bitmaps


_ONE = ord("1")


def _to_bits(ids: Iterable[int]) -> int:
    """The bitmap of some doc ids (C loops only: one '0'/'1' character a doc, read as a
    base-2 integer, which CPython converts in linear time)."""
    ids = ids if isinstance(ids, list) else list(ids)
    if not ids:
        return 0
    digits = bytearray(b"0") * (ids[-1] + 1)  # FTS5 gives ascending ids: no max() pass
    try:
        deque(map(operator.setitem, repeat(digits), ids, repeat(_ONE)), maxlen=0)
    except IndexError:  # not ascending after all
        digits = bytearray(b"0") * (max(ids) + 1)
        deque(map(operator.setitem, repeat(digits), ids, repeat(_ONE)), maxlen=0)
    digits.reverse()
    return int(digits, 2)


_BYTE_BITS = [tuple(j for j in range(8) if b >> j & 1) for b in range(256)]


def _members(bits: int) -> list[int]:
    """The set bits of a bitmap, ascending."""
    out: list[int] = []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for i, byte in enumerate(data):
        if byte:
            base = i << 3
            out.extend(base + j for j in _BYTE_BITS[byte])
    return out


def _scan(order: list[int], selected: int, offset: int, per_page: int) -> list[int]:
    """Docs of `order` in `selected`, from the offset-th, at most per_page."""
    data = selected.to_bytes((selected.bit_length() + 7) // 8, "little")
    size = len(data)
    out: list[int] = []
    seen = 0
    for d in order:
        i = d >> 3
        if i < size and data[i] >> (d & 7) & 1:
            if seen >= offset:
                out.append(d)
                if len(out) == per_page:
                    break
            seen += 1
    return out


def _blob(bits: int) -> bytes:
    return bits.to_bytes((bits.bit_length() + 7) // 8, "little")


@dataclass
class _State:
    """What searches need in memory, for one generation of the index."""

    generation: int
    bits: dict[str, dict[str, int]]
    all: int
    newest: list[int]
    title: list[int]
    rank: dict[int, int]  # doc id -> position in `newest`
    title_rank: dict[int, int]
    counts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # text matches of recent queries, most recent last (see SearchIndex._matches)
    matches: OrderedDict[str, _Match] = field(default_factory=OrderedDict)
    matched_ids: int = 0  # ids held by `matches`


@dataclass
class _Match:
    """The docs matching one FTS expression: their bitmap, their relevance tiers (made when
    first asked: (score, bitmap) best first, disjoint, together the matches) and the matches
    in each sort order (made when first asked)."""

    bits: int
    size: int
    tiers: list[tuple[float, int]] | None = None
    orders: dict[str, list[int]] = field(default_factory=dict)
    uses: int = 1

    def score(self, doc: int) -> float:
        for score, bits in self.tiers or ():
            if bits >> doc & 1:
                return score
        return 0.0

    def order(self, state: _State, sort: str) -> list[int]:
        """The matching docs in `sort` order (relevance: the tiers, each newest first)."""
        found = self.orders.get(sort)
        if found is None:
            if sort == "relevance":
                found = []
                for _score, bits in self.tiers or [(0.0, self.bits)]:
                    n = bits.bit_count()
                    found += _in_order(state, state.newest, state.rank, bits, n, 0, n)
            else:
                order, ranks = _sort_order(state, sort)
                found = _in_order(state, order, ranks, self.bits, self.size, 0, self.size)
            self.orders[sort] = found
        return found


@dataclass
class _Side:
    """The head queries of a search, run in a helper thread (result None if they failed)."""

    thread: threading.Thread | None = None
    result: tuple[int, int] | None = None


def _tiers(bits: int, title: int, keywords: int) -> list[tuple[float, int]]:
    """The matches `bits` by relevance score (see WEIGHTS), best first, empty tiers left out,
    from the docs whose title and whose keywords match."""
    w_title, w_keywords, w_any = WEIGHTS
    title &= bits
    keywords &= bits
    tiers = [
        (w_any + w_title + w_keywords, title & keywords),
        (w_any + w_title, title & ~keywords),
        (w_any + w_keywords, keywords & ~title),
        (w_any, bits & ~(title | keywords)),
    ]
    return [(score, b) for score, b in tiers if b]


def _sort_order(state: _State, sort: str) -> tuple[list[int], dict[int, int]]:
    if sort == "title":
        return state.title, state.title_rank
    return state.newest, state.rank


def _in_order(
    state: _State,
    order: list[int],
    ranks: dict[int, int],
    bits: int,
    count: int,
    offset: int,
    n: int,
) -> list[int]:
    """The docs of a bitmap (of `count` docs) in `order`, from the offset-th, at most n."""
    if offset >= count or n <= 0:
        return []
    if bits == state.all:
        return order[offset : offset + n]
    # Walking `order` until offset + n members are found takes about (offset + n) * len(order)
    # / count steps; sorting the members, about count (and len(order) / 8 bytes to read).
    want = offset + n
    if want * len(order) <= count * (2 * count + len(order) // 8):
        return _scan(order, bits, offset, n)
    members = _members(bits)
    if want < len(members) // 4:
        return heapq.nsmallest(want, members, key=lambda d: ranks.get(d, 0))[offset:]
    members.sort(key=lambda d: ranks.get(d, 0))
    return members[offset:want]


def _sort_counts(facet: str, counts: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    if facet == "year":
        return sorted(counts, key=lambda c: c[0], reverse=True)
    return sorted(counts, key=lambda c: (-c[1], c[0]))


_STORED = [f.name for f in fields_of(Hit) if f.name not in ("snippet", "score")]


def _hit_row(hit: Hit) -> tuple[str, str, str, str, str, str]:
    title = hit.title
    first = title.get("zh") or title.get("") or title.get("en") or next(iter(title.values()), "")
    data = {name: getattr(hit, name) for name in _STORED}
    return (
        hit.record,
        hit.dataset,
        hit.issued or hit.modified or "",
        first.casefold(),
        title.get("en", "").casefold(),
        json.dumps(data, ensure_ascii=False),
    )


def _fts_row(hit: Hit) -> tuple[str, str, str]:
    titles = list(hit.title.values())
    return (
        index_text(titles, segment=True),
        index_text(hit.keywords, segment=True),
        index_text(hit.description.values()),
    )


def _load_hit(data: str) -> Hit:
    return Hit(**json.loads(data))


# ------------------------------------------------------------------ the index


class SearchIndex:
    """The SQLite search index of a catalog (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = self._connect()
        self._state: _State | None = None
        self._building = False
        self._pending: list[Mapping[str, list[ox.Triple]]] = []
        self._side: sqlite3.Connection | None = None  # for the head queries (_tiers)
        self._init_schema()

    # -- connection and schema

    def _connect(self) -> sqlite3.Connection:
        return open_sqlite(self.path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            if self._side is not None:
                self._side.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _init_schema(self) -> None:
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                c.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                row = c.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                if row is not None and row[0] == "1":
                    # version 1 had no head table: make it from the indexed text
                    c.execute("DROP TABLE IF EXISTS head")
                    _create_head(c, "")
                    c.execute(
                        "INSERT INTO head (rowid, title, keywords) "
                        "SELECT rowid, title, keywords FROM fts"
                    )
                    c.execute("INSERT INTO head (head) VALUES ('optimize')")
                    c.execute("UPDATE meta SET value = ? WHERE key='schema'", (SCHEMA_VERSION,))
                    self._bump(c)
                elif row is None or row[0] != SCHEMA_VERSION:
                    for table in TABLES:
                        c.execute(f"DROP TABLE IF EXISTS {table}")
                    _create_tables(c, "")
                    c.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                    c.execute("INSERT OR REPLACE INTO meta VALUES ('generation', '0')")
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    @staticmethod
    def _generation(conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def _bump(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")

    @property
    def stale(self) -> bool:
        """True after a write listener failed: the index needs a rebuild."""
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key='stale'").fetchone()
        return bool(row and row[0] == "1")

    # -- state

    def _current(self) -> _State:
        """The in-memory state for the database as it is now (call inside a transaction)."""
        gen = self._generation(self._conn)
        state = self._state
        if state is not None and state.generation == gen:
            return state
        c = self._conn
        bits: dict[str, dict[str, int]] = {}
        for facet, value, data in c.execute("SELECT facet, value, data FROM bits"):
            bits.setdefault(facet, {})[value] = int.from_bytes(data, "little")
        everything = 0
        for b in bits.get(KIND, {}).values():
            everything |= b
        newest = [
            r[0] for r in c.execute("SELECT id FROM docs ORDER BY sort_date DESC, sort_title, id")
        ]
        title = [
            r[0] for r in c.execute("SELECT id FROM docs ORDER BY sort_title, sort_title2, id")
        ]
        state = _State(
            generation=gen,
            bits=bits,
            all=everything,
            newest=newest,
            title=title,
            rank={d: i for i, d in enumerate(newest)},
            title_rank={d: i for i, d in enumerate(title)},
        )
        for facet in (*FACETS, KIND):
            values = bits.get(facet, {})
            state.counts[facet] = _sort_counts(
                facet, ((v, b.bit_count()) for v, b in values.items() if b)
            )
        self._state = state
        return state

    # -- writing

    def rebuild(self, catalog: Catalog) -> int:
        """Index every record of the catalog from scratch; returns the number indexed.

        Built in new tables on a connection of its own (searches go on meanwhile) and
        swapped in with one transaction. Writes applied in this process while it runs are
        re-applied after the swap."""
        return self.rebuild_hits(_catalog_hits(catalog), catalog)

    def rebuild_hits(self, hits: Iterable[Hit], catalog: Catalog | None = None) -> int:
        """Replace the whole index with these hits (atomically); returns how many."""
        with self._lock:
            self._building = True
            self._pending = []
        conn = self._connect()
        token = uuid.uuid4().hex[:8]
        try:
            conn.execute("BEGIN IMMEDIATE")
            for table in TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}_new")
            _create_tables(conn, "_new", token)
            conn.execute("COMMIT")
            values: dict[tuple[str, str], list[int]] = {}
            doc_of: dict[str, int] = {}  # record and dataset IRIs -> doc id
            removed: set[int] = set()
            batch: list[Hit] = []

            def flush() -> None:
                conn.execute("BEGIN IMMEDIATE")
                for hit in batch:
                    cur = conn.execute(
                        "INSERT INTO docs_new (record, dataset, sort_date, sort_title, "
                        "sort_title2, data) VALUES (?, ?, ?, ?, ?, ?)",
                        _hit_row(hit),
                    )
                    doc = cur.lastrowid
                    doc_of[hit.record] = doc_of[hit.dataset] = doc
                    fts = _fts_row(hit)
                    conn.execute(
                        "INSERT INTO fts_new (rowid, title, keywords, description) "
                        "VALUES (?, ?, ?, ?)",
                        (doc, *fts),
                    )
                    conn.execute(
                        "INSERT INTO head_new (rowid, title, keywords) VALUES (?, ?, ?)",
                        (doc, *fts[:2]),
                    )
                    for facet in (*FACETS, KIND):
                        for v in hit.facet_values(facet):
                            values.setdefault((facet, v), []).append(doc)
                conn.execute("COMMIT")
                batch.clear()

            pending: set[str] = set()
            for hit in hits:
                keys = (hit.record, hit.dataset)
                if any(k in pending or k in doc_of for k in keys):
                    # Seen before (a graph read in two parts): the later one wins.
                    flush()
                    pending.clear()
                    for key in keys:
                        doc = doc_of.get(key)
                        if doc is not None and doc not in removed:
                            removed.add(doc)
                            conn.execute("DELETE FROM docs_new WHERE id = ?", (doc,))
                            conn.execute("DELETE FROM fts_new WHERE rowid = ?", (doc,))
                            conn.execute("DELETE FROM head_new WHERE rowid = ?", (doc,))
                batch.append(hit)
                pending.update(keys)
                if len(batch) >= _BUILD_BATCH:
                    flush()
                    pending.clear()
            if batch:
                flush()
            n = conn.execute("SELECT count(*) FROM docs_new").fetchone()[0]
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO bits_new VALUES (?, ?, ?)",
                (
                    (f, v, _blob(_to_bits(d for d in ids if d not in removed)))
                    for (f, v), ids in values.items()
                ),
            )
            conn.execute("INSERT INTO fts_new (fts_new) VALUES ('optimize')")
            conn.execute("INSERT INTO head_new (head_new) VALUES ('optimize')")
            for table in TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
                conn.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
            self._bump(conn)
            conn.execute("DELETE FROM meta WHERE key='stale'")
            conn.execute("COMMIT")
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
            if catalog is not None:
                self.apply(catalog, graphs)
        return n

    def apply(self, catalog: Catalog, graphs: Mapping[str, list[ox.Triple]]) -> None:
        """A catalog write listener: re-index the record graphs written, drop those dropped.

        Graphs that are not records (agents, vocabularies...) are ignored: facets hold IRIs,
        not labels. A failure is logged and marks the index stale (it never fails a write)."""
        upserts: list[Hit] = []
        gone: list[str] = []
        for name, triples in graphs.items():
            hit = fields(name, triples) if triples else None
            if hit is None:
                gone.append(name)
            else:
                upserts.append(hit)
        with self._lock:
            if self._building:
                self._pending.append(dict(graphs))
            try:
                self._write(upserts, gone)
            except sqlite3.Error:
                log.exception("search index out of step (run `hdcat reindex`)")
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('stale', '1')")

    def upsert(self, hits: Iterable[Hit], remove: Iterable[str] = ()) -> None:
        """Index these hits (replacing the same records) and remove records by IRI."""
        with self._lock:
            self._write(list(hits), list(remove))

    def _write(self, upserts: list[Hit], gone: list[str]) -> None:
        if not upserts and not gone:
            return
        rows = [(hit, _hit_row(hit), _fts_row(hit)) for hit in upserts]
        c = self._conn
        c.execute("BEGIN IMMEDIATE")
        try:
            cleared: dict[tuple[str, str], set[int]] = {}
            added: dict[tuple[str, str], set[int]] = {}
            changed = False

            def remove(where: str, key: str) -> int | None:
                row = c.execute(f"SELECT id, data FROM docs WHERE {where} = ?", (key,)).fetchone()
                if row is None:
                    return None
                doc, data = row
                old = _load_hit(data)
                for facet in (*FACETS, KIND):
                    for v in old.facet_values(facet):
                        cleared.setdefault((facet, v), set()).add(doc)
                c.execute("DELETE FROM docs WHERE id = ?", (doc,))
                c.execute("DELETE FROM fts WHERE rowid = ?", (doc,))
                c.execute("DELETE FROM head WHERE rowid = ?", (doc,))
                return doc

            for record in gone:
                changed |= remove("record", record) is not None
            for hit, row, fts in rows:
                doc = remove("record", hit.record)
                other = c.execute("SELECT record FROM docs WHERE dataset = ?", (hit.dataset,))
                for (rec,) in other.fetchall():
                    remove("record", rec)
                cur = c.execute(
                    "INSERT INTO docs (id, record, dataset, sort_date, sort_title, sort_title2, "
                    "data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (doc, *row),
                )
                doc = cur.lastrowid
                c.execute(
                    "INSERT INTO fts (rowid, title, keywords, description) VALUES (?, ?, ?, ?)",
                    (doc, *fts),
                )
                c.execute(
                    "INSERT INTO head (rowid, title, keywords) VALUES (?, ?, ?)", (doc, *fts[:2])
                )
                for facet in (*FACETS, KIND):
                    for v in hit.facet_values(facet):
                        added.setdefault((facet, v), set()).add(doc)
                changed = True
            for key in cleared.keys() | added.keys():
                row = c.execute(
                    "SELECT data FROM bits WHERE facet = ? AND value = ?", key
                ).fetchone()
                bits = int.from_bytes(row[0], "little") if row else 0
                for doc in cleared.get(key, ()):
                    bits &= ~(1 << doc)
                for doc in added.get(key, ()):
                    bits |= 1 << doc
                if bits:
                    c.execute("INSERT OR REPLACE INTO bits VALUES (?, ?, ?)", (*key, _blob(bits)))
                else:
                    c.execute("DELETE FROM bits WHERE facet = ? AND value = ?", key)
            if changed:
                self._bump(c)
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    # -- reading

    def count(self) -> int:
        """Number of indexed records (datasets and series)."""
        with self._lock:
            return self._conn.execute("SELECT count(*) FROM docs").fetchone()[0]

    def get(self, dataset: str) -> Hit | None:
        """The indexed fields of a dataset (by dataset or record IRI)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM docs WHERE dataset = ? OR record = ?", (dataset, dataset)
            ).fetchone()
        if row is None:
            return None
        hit = _load_hit(row[0])
        hit.snippet = snippet(hit, [])
        return hit

    def newest(self, n: int = 10, kind: str | None = None) -> list[Hit]:
        """The n most recently issued (else modified) records; of one kind if given."""
        filters = {KIND: [kind]} if kind else None
        return self.search(filters=filters, sort="newest", per_page=n, facets=False).hits

    def facet_counts(
        self, facet: str, filters: Mapping[str, Sequence[str]] | None = None
    ) -> list[tuple[str, int]]:
        """(value, count) of one facet under the other facets' filters; count desc (years:
        newest first)."""
        if facet not in FACETS and facet != KIND:
            raise ValueError(f"unknown facet {facet!r} (use one of {', '.join(FACETS)})")
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                state = self._current()
                active = self._filter_bits(state, filters)
                return self._counts(state, facet, None, active, filters)
            finally:
                self._conn.execute("COMMIT")

    def search(
        self,
        q: str = "",
        filters: Mapping[str, Sequence[str]] | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
        facets: bool = True,
    ) -> SearchResult:
        """One page of matching records with the facet counts.

        All query terms must match; filters AND across facets, OR within one. Facet counts
        for a facet apply the query and the other facets' filters. An empty query lists
        everything (sorted by newest unless another sort is asked). Never raises on user
        input: unknown sorts fall back to relevance, unknown filter keys are ignored."""
        terms = parse_query(q or "")
        expr = match_expression(terms) if terms else ""
        if sort not in SORTS:
            sort = "relevance"
        if sort == "relevance" and not expr:
            sort = "newest"
        per_page = max(1, min(int(per_page), MAX_PER_PAGE))
        page = max(1, int(page))
        offset = (page - 1) * per_page
        with self._lock:
            c = self._conn
            c.execute("BEGIN")
            try:
                state = self._current()
                match: _Match | None = None
                matched = state.all
                if expr:
                    match = self._matches(state, expr, ranked=sort == "relevance")
                    matched = match.bits
                active = self._filter_bits(state, filters)
                selected = matched
                for bits in active.values():
                    selected &= bits
                total = selected.bit_count()
                ids = self._page(state, selected, total, match, sort, offset, per_page)
                hits = self._hits(ids)
                scores = (
                    [match.score(d) if sort == "relevance" else 0.0 for d, _h in hits]
                    if match is not None
                    else None
                )
                counts: dict[str, list[tuple[str, int]]] = {}
                if facets:
                    for facet in FACETS:
                        base = matched if expr else None
                        counts[facet] = self._counts(state, facet, base, active, filters)
            finally:
                c.execute("COMMIT")
        for i, (_doc, hit) in enumerate(hits):
            hit.snippet = snippet(hit, terms)
            if scores is not None:  # the relevance score when sorted by it, else 0.0
                hit.score = scores[i]
        pages = math.ceil(total / per_page)
        return SearchResult(total, [h for _d, h in hits], counts, page, per_page, pages)

    def _matches(self, state: _State, expr: str, ranked: bool) -> _Match:
        """The docs matching `expr`, from the generation's cache when there (call with the
        lock held); with their relevance tiers if `ranked`.

        A first search ranked by relevance runs its two head queries on a second connection
        in a helper thread while this one runs the main query: SQLite lets go of the GIL
        while it works, so on a machine with a free core the three scans overlap."""
        cache = state.matches
        match = cache.get(expr)
        side: _Side | None = None
        if ranked and (match is None or match.tiers is None):
            side = self._side_tiers(expr)
        if match is not None:
            cache.move_to_end(expr)
            match.uses += 1
        else:
            bits = self._match(self._conn, "fts", expr) & state.all
            match = _Match(bits, bits.bit_count())
            if match.size <= MATCH_CACHE_IDS:
                cache[expr] = match
                state.matched_ids += match.size
                while len(cache) > MATCH_CACHE_QUERIES or state.matched_ids > MATCH_CACHE_IDS:
                    _expr, old = cache.popitem(last=False)
                    state.matched_ids -= old.size
        if side is not None and side.thread is not None:
            side.thread.join()
            found = side.result
            if found is None:  # the helper failed: ask here
                found = self._head_bits(self._conn, expr)
            match.tiers = _tiers(match.bits, *found)
        return match

    def _side_tiers(self, expr: str) -> _Side:
        """Start the head queries of `expr` in a helper thread (call with the lock held)."""
        if self._side is None:
            self._side = self._connect()
        conn = self._side
        side = _Side()

        def run() -> None:
            try:
                side.result = self._head_bits(conn, expr)
            except Exception:  # noqa: BLE001 - answered on the main connection instead
                log.warning("search helper failed", exc_info=True)

        side.thread = threading.Thread(target=run, name="hdcat-search-head", daemon=True)
        side.thread.start()
        return side

    def _head_bits(self, conn: sqlite3.Connection, expr: str) -> tuple[int, int]:
        """The docs whose title, and whose keywords, match every term of `expr`."""
        return (
            self._match(conn, "head", "{title} : (" + expr + ")"),
            self._match(conn, "head", "{keywords} : (" + expr + ")"),
        )

    @staticmethod
    def _match(conn: sqlite3.Connection, table: str, expr: str) -> int:
        """The bitmap of the docs of an FTS5 table matching `expr`: the ids come back as one
        JSON array, not a row each."""
        try:
            row = conn.execute(
                f"SELECT json_group_array(rowid) FROM {table} WHERE {table} MATCH ?", (expr,)
            ).fetchone()
        except sqlite3.OperationalError:  # never expected: every token is quoted
            log.warning("FTS5 refused %r", expr, exc_info=True)
            return 0
        return _to_bits(json.loads(row[0])) if row and row[0] else 0

    @staticmethod
    def _filter_bits(state: _State, filters: Mapping[str, Sequence[str]] | None) -> dict[str, int]:
        active: dict[str, int] = {}
        for facet, values in (filters or {}).items():
            if facet not in state.counts or not values:
                continue
            if isinstance(values, str | int):
                values = [values]
            bits = 0
            table = state.bits.get(facet, {})
            for v in values:
                bits |= table.get(str(v), 0)
            active[facet] = bits
        return active

    @staticmethod
    def _counts(
        state: _State,
        facet: str,
        base: int | None,
        active: Mapping[str, int],
        filters: Mapping[str, Sequence[str]] | None,
    ) -> list[tuple[str, int]]:
        others = [bits for f, bits in active.items() if f != facet]
        if base is None and not others:
            counts = state.counts.get(facet, [])
        else:
            scope = state.all if base is None else base
            for bits in others:
                scope &= bits
            values = state.bits.get(facet, {})
            counts = _sort_counts(
                facet,
                ((v, n) for v, b in values.items() if (n := (scope & b).bit_count())),
            )
        chosen = (filters or {}).get(facet) if facet in active else None
        if chosen:
            if isinstance(chosen, str | int):
                chosen = [chosen]
            present = {v for v, _ in counts}
            missing = [(str(v), 0) for v in chosen if str(v) not in present]
            counts = counts + list(dict.fromkeys(missing))
        return counts

    @staticmethod
    def _page(
        state: _State,
        selected: int,
        total: int,
        match: _Match | None,
        sort: str,
        offset: int,
        per_page: int,
    ) -> list[int]:
        if offset >= total:
            return []
        if match is not None and (sort in match.orders or match.uses > 1):
            # a query asked again (another page, sort or filter): its matches in this order,
            # sorted once, then the filters
            order = match.order(state, sort)
            if selected == match.bits:
                return order[offset : offset + per_page]
            return _scan(order, selected, offset, per_page)
        # first use: no full sort for one page
        if sort == "relevance" and match is not None and match.tiers is not None:
            out: list[int] = []
            for _score, tier in match.tiers:
                part = tier & selected
                n = part.bit_count()
                if offset >= n:
                    offset -= n
                    continue
                out += _in_order(
                    state, state.newest, state.rank, part, n, offset, per_page - len(out)
                )
                offset = 0
                if len(out) >= per_page:
                    break
            return out
        order, ranks = _sort_order(state, sort)
        return _in_order(state, order, ranks, selected, total, offset, per_page)

    def _hits(self, ids: list[int]) -> list[tuple[int, Hit]]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._conn.execute(f"SELECT id, data FROM docs WHERE id IN ({marks})", ids)
        by_id = {doc: _load_hit(data) for doc, data in rows}
        return [(d, by_id[d]) for d in ids if d in by_id]


TABLES = ("docs", "fts", "head", "bits")


def _create_head(conn: sqlite3.Connection, suffix: str) -> None:
    conn.execute(
        f"CREATE VIRTUAL TABLE head{suffix} USING fts5(title, keywords, tokenize = 'unicode61')"
    )


def _create_tables(conn: sqlite3.Connection, suffix: str, token: str | None = None) -> None:
    token = token or uuid.uuid4().hex[:8]
    conn.execute(
        f"CREATE TABLE docs{suffix} (id INTEGER PRIMARY KEY, record TEXT NOT NULL, "
        "dataset TEXT NOT NULL, sort_date TEXT NOT NULL, sort_title TEXT NOT NULL, "
        "sort_title2 TEXT NOT NULL, data TEXT NOT NULL)"
    )
    conn.execute(f"CREATE UNIQUE INDEX ix_{token}_record ON docs{suffix} (record)")
    conn.execute(f"CREATE INDEX ix_{token}_dataset ON docs{suffix} (dataset)")
    conn.execute(f"CREATE INDEX ix_{token}_newest ON docs{suffix} (sort_date DESC, sort_title, id)")
    conn.execute(f"CREATE INDEX ix_{token}_title ON docs{suffix} (sort_title, sort_title2, id)")
    conn.execute(
        f"CREATE VIRTUAL TABLE fts{suffix} USING fts5(title, keywords, description, "
        "tokenize = 'unicode61')"
    )
    _create_head(conn, suffix)
    conn.execute(
        f"CREATE TABLE bits{suffix} (facet TEXT NOT NULL, value TEXT NOT NULL, "
        "data BLOB NOT NULL, PRIMARY KEY (facet, value)) WITHOUT ROWID"
    )


def _catalog_hits(catalog: Catalog) -> Iterator[Hit]:
    """The hits of every record of a catalog, reading the store graph by graph in one pass."""
    records = {record for record, _ds in catalog.records()}
    done: set[str] = set()
    again: set[str] = set()
    current: str | None = None
    buffer: list[ox.Triple] = []

    def finish() -> Iterator[Hit]:
        if current is None or current not in records:
            return
        if current in done:
            again.add(current)
            return
        done.add(current)
        hit = fields(current, buffer)
        if hit is not None:
            yield hit

    for quad in catalog.store.quads():
        g = quad.graph_name
        name = g.value if isinstance(g, ox.NamedNode) else None
        if name != current:
            yield from finish()
            current, buffer = name, []
        if name is not None and name in records:
            buffer.append(quad.triple)
    yield from finish()
    # A record whose quads did not come in one run (remote stores): read it whole.
    for record in sorted(again | (records - done)):
        hit = fields(record, catalog.record_triples(record))
        if hit is not None:
            yield hit
