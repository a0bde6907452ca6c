"""The hdcat store: one interface, two backends.

* :class:`EmbeddedStore` -- a ``pyoxigraph.Store`` in a folder on disk (or in memory).
* :class:`RemoteStore` -- any SPARQL 1.1 Query / Update (/ Graph Store) endpoint over HTTP
  (Oxigraph server, Virtuoso, GraphDB, ...). Only standard SPARQL 1.1 and the standard
  protocols are used.

Terms are pyoxigraph terms (``NamedNode``, ``BlankNode``, ``Literal``, ``Triple``, ``Quad``,
``DefaultGraph``). Graph names are passed and returned as IRI strings.

Atomicity. ``replace_graphs`` builds ONE SPARQL Update request
``DROP SILENT GRAPH <a> ; DROP SILENT GRAPH <b> ; INSERT DATA { GRAPH <a> {...} GRAPH <b> {...} }``
from properly serialised terms. All input is materialised and checked before anything is sent,
and a SPARQL Update request is applied in one transaction by pyoxigraph (``Store.update``) and by
the Oxigraph server, so either every graph is replaced or none is. Virtuoso commits the
operations of a request one by one: there ``RemoteStore`` stages the new graphs and swaps them in
with one DELETE/INSERT operation (see the Virtuoso notes above ``RemoteStore``).

Bindings. ``query(sparql, bindings)`` never pastes text into the query:

* embedded: pyoxigraph ``substitutions`` (SEP-0007). pyoxigraph only allows substituting
  variables a SELECT projects; for other variables (e.g. ``SELECT (COUNT(*) AS ?n)`` with
  ``?s`` bound) the VALUES injection below is used, so both backends accept the same queries.
* remote: a ``VALUES (?a ?b) { (<iri> "lit"@en) }`` block whose terms are serialised by
  pyoxigraph (N-Triples escaping of quotes, backslashes, newlines; IRIs validated on
  construction), placed at the start of the query's outermost WHERE group (so the bound values
  restrict the whole pattern, FILTERs and aggregates included), or, when no such group exists
  (``DESCRIBE <x>``, ``CONSTRUCT WHERE``, a WHERE that is itself a sub-select), as the trailing
  VALUES clause of the query. Blank nodes cannot be bound remotely (SPARQL forbids them in
  VALUES). Variable names must be plain SPARQL variable names.

Union default graph. ``union_default_graph=True`` makes the query's default graph the union
of all graphs: embedded, pyoxigraph ``use_default_graph_as_union``; Oxigraph server (a store
made by ``from_base_url`` / ``open_store`` with a base URL), its ``union-default-graph``
protocol parameter. A generic remote store (``RemoteStore(query_url)``) has no standard way
to ask for it: the query is sent unchanged and the server's own default-graph semantics apply
(GraphDB queries all graphs by default; Fuseki needs ``unionDefaultGraph``); pass
``union_default_graph_param=`` to name such a parameter for another server. Virtuoso (dialect
"virtuoso", found by asking the server) queries all graphs by default, so the store's default
graph is one of its graphs, named by ``default-graph-uri`` when union_default_graph is False.

Timeouts. ``open_query`` and ``query_raw`` take ``timeout`` (seconds, total). Remote: enforced
on the client (socket timeouts against a deadline; the connection is closed, which stops an
Oxigraph server streaming results; Oxigraph's ``--timeout-s`` also stops the evaluation on the
server) and reported as :class:`QueryTimeoutError`. Embedded: pyoxigraph cannot cancel a
running query, so ``timeout`` is only checked between results; a caller that must truly stop
runaway queries runs them in a process it can kill (``service/sparql.py`` does, on a
read-only store; ``EmbeddedStore.generation`` tells it when to re-open).
"""

from __future__ import annotations

import abc
import contextlib
import http.client
import re
import threading
import time
import urllib.error
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from typing import Literal as TypingLiteral
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
)

__all__ = [
    "EmbeddedStore",
    "NotAcceptableError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "RemoteStore",
    "SelectResult",
    "Store",
    "StoreError",
    "Term",
    "inject_values",
    "open_store",
    "query_form",
    "sparql_term",
]

Term = NamedNode | BlankNode | Literal | Triple

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_DEFAULT_CHUNK = 50_000
# Embedded writes of new graphs with at least this many quads go through the bulk loader
# (below it, a transaction is faster: the bulk loader writes and ingests a set of files each
# time). Up to ATOMIC_BULK_QUADS quads, one bulk load is one batch of Oxigraph's loader
# (1,000,000 quads), whose files RocksDB ingests in one atomic step: all or nothing.
BULK_WRITE_MIN_QUADS = 5_000
ATOMIC_BULK_QUADS = 500_000
_SAME_CHECK_MAX = 2_000
_FOAF_PRIMARY_TOPIC = NamedNode("http://xmlns.com/foaf/0.1/primaryTopic")
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_DCAT_CATALOG_RECORD = NamedNode("http://www.w3.org/ns/dcat#CatalogRecord")


class StoreError(Exception):
    """Any failure of the store: connection, HTTP, timeout, bad query or data.

    ``detail`` is the bare cause (e.g. the parser's message) without the store's name and
    URL, fit to show to an outside client; ``str(error)`` is the full message."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail if detail is not None else message


class QuerySyntaxError(StoreError):
    """The SPARQL query or update was rejected by the parser (message kept)."""


class NotAcceptableError(StoreError):
    """No result serialisation matches the requested media types (HTTP 406)."""


class QueryTimeoutError(StoreError):
    """The query did not finish within its time budget."""


class SelectResult(list):
    """Rows of a SELECT result: a list of ``{variable: term}`` dicts (unbound variables are
    absent), with the projected variable names in ``.variables``."""

    def __init__(self, variables: list[str], rows: Iterable[dict[str, Term]] = ()) -> None:
        super().__init__(rows)
        self.variables = variables


# --------------------------------------------------------------------------- serialisation

_VARNAME = re.compile(r"^\w+$")


def sparql_term(term: Term, *, allow_blank: bool = False) -> str:
    """Serialise one RDF term for SPARQL text (N-Triples syntax, which SPARQL accepts)."""
    if isinstance(term, NamedNode | Literal):
        return str(term)
    if isinstance(term, BlankNode):
        if allow_blank:
            return str(term)
        raise StoreError("a blank node cannot be bound in a SPARQL VALUES block")
    raise StoreError(f"cannot use {term!r} as a SPARQL term (expected NamedNode or Literal)")


def _var_name(name: str) -> str:
    name = name[1:] if name[:1] in "?$" else name
    if not _VARNAME.match(name):
        raise StoreError(f"invalid SPARQL variable name {name!r}")
    return name


def _graph_iri(name: str | NamedNode) -> NamedNode:
    if isinstance(name, NamedNode):
        return name
    try:
        return NamedNode(name)
    except (ValueError, TypeError) as e:
        raise StoreError(f"invalid graph IRI {name!r}: {e}") from None


def _triple_line(t: object, where: str) -> str:
    if not isinstance(t, Triple):
        raise StoreError(f"{where}: expected a pyoxigraph Triple, got {t!r}")
    return f"{t.subject} {t.predicate} {t.object} ."


def nquads(
    graphs: Mapping[str, Iterable[Triple]] | Mapping[NamedNode, Iterable[Triple]],
) -> bytes:
    """Named graphs (by IRI or node) as N-Quads: each graph's triples serialised by
    pyoxigraph as N-Triples (one call a graph), the graph name put before each line's final
    " ." (a literal never holds a raw line break in N-Triples, so " .\\n" only ends lines)."""
    parts: list[bytes] = []
    for name, triples in graphs.items():
        items = triples if isinstance(triples, list) else list(triples)
        if not items:
            continue
        end = f" {_graph_iri(name)} .\n".encode()
        parts.append(ox.serialize(items, format=RdfFormat.N_TRIPLES).replace(b" .\n", end))
    return b"".join(parts)


def _insert_data(quads: Iterable[Quad]) -> str:
    """One ``INSERT DATA`` operation for some quads, grouped by graph."""
    groups: dict[str | None, list[str]] = {}
    for q in quads:
        if not isinstance(q, Quad):
            raise StoreError(f"expected a pyoxigraph Quad, got {q!r}")
        g = q.graph_name
        if isinstance(g, DefaultGraph):
            key = None
        elif isinstance(g, NamedNode):
            key = str(g)
        else:
            raise StoreError("blank-node graph names are not supported")
        groups.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
    parts = ["INSERT DATA {"]
    for key, lines in groups.items():
        if key is None:
            parts.extend(lines)
        else:
            parts.append(f"GRAPH {key} {{")
            parts.extend(lines)
            parts.append("}")
    parts.append("}")
    return "\n".join(parts)


# --------------------------------------------------------------------------- query text

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<str>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
             |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<var>[?$]\w+)
    | (?P<word>[A-Za-z_][\w.\-]*(?::[\w.\-%:\\]*)?|:[\w.\-%:\\]*)
    | (?P<other>.)
    """,
    re.X | re.S,
)
_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


def _tokens(sparql: str) -> list[tuple[str, str, int]]:
    out = []
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append((kind, m.group(), m.end()))
    return out


def query_form(sparql: str) -> str | None:
    """The query form keyword (SELECT, CONSTRUCT, ASK, DESCRIBE) or None."""
    for kind, text, _ in _tokens(sparql):
        if kind == "word" and text.upper() in _FORMS:
            return text.upper()
    return None


def _where_open(sparql: str) -> int | None:
    """Offset just after the ``{`` opening the outermost WHERE group, if there is one that
    may start with a VALUES block."""
    toks = _tokens(sparql)
    i = next(
        (k for k, (kind, text, _) in enumerate(toks) if kind == "word" and text.upper() in _FORMS),
        None,
    )
    if i is None:
        return None
    form = toks[i][1].upper()
    i += 1
    if form == "CONSTRUCT":
        if i < len(toks) and toks[i][1].upper() == "WHERE":
            return None  # short form: the pattern is the template
        depth = 0
        while i < len(toks):  # skip the template
            t = toks[i][1]
            i += 1
            if t == "{":
                depth += 1
            elif t == "}":
                depth -= 1
                if depth == 0:
                    break
    parens = 0
    while i < len(toks):
        kind, t, end = toks[i]
        if t == "(":
            parens += 1
        elif t == ")":
            parens -= 1
        elif t == "{" and parens == 0:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and nxt[0] == "word" and nxt[1].upper() == "SELECT":
                return None  # the group is a sub-select: no VALUES before it
            return end
        i += 1
    return None


def inject_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """Return ``sparql`` with a VALUES block binding ``bindings`` (safely serialised)."""
    if not bindings:
        return sparql
    names = [_var_name(k) for k in bindings]
    values = [sparql_term(v) for v in bindings.values()]
    block = "VALUES ({}) {{ ({}) }}".format(
        " ".join("?" + n for n in names), " ".join(values)
    )
    pos = _where_open(sparql)
    if pos is None:
        return f"{sparql}\n{block}\n"
    return f"{sparql[:pos]}\n{block}\n{sparql[pos:]}"


# --------------------------------------------------------------------------- content negotiation


def parse_accept(accept: str) -> list[str]:
    """The media types of an Accept header, best first (q=0 dropped)."""
    entries = []
    for n, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            entries.append((-q, n, media))
    return [m for _, _, m in sorted(entries)] or ["*/*"]


def _negotiate(accept: str, graph: bool) -> QueryResultsFormat | RdfFormat:
    for media in parse_accept(accept):
        if media in ("*/*", "application/*"):
            return RdfFormat.N_TRIPLES if graph else QueryResultsFormat.JSON
        if media == "text/*":
            return RdfFormat.TURTLE if graph else QueryResultsFormat.TSV
        if graph:
            fmt = RdfFormat.from_media_type(media)
        else:
            fmt = QueryResultsFormat.from_media_type(media)
        if fmt is not None:
            return fmt
    kind = "RDF" if graph else "SPARQL results"
    raise NotAcceptableError(f"no {kind} serialisation matches Accept: {accept!r}")


def _solutions(result: QuerySolutions) -> SelectResult:
    names = [v.value for v in result.variables]
    rows = []
    for sol in result:
        row = {}
        for i, name in enumerate(names):
            term = sol[i]
            if term is not None:
                row[name] = term
        rows.append(row)
    return SelectResult(names, rows)


def _convert(result: object) -> SelectResult | bool | list[Triple]:
    if isinstance(result, QuerySolutions):
        return _solutions(result)
    if isinstance(result, QueryBoolean):
        return bool(result)
    return [t if isinstance(t, Triple) else t.triple for t in result]


# --------------------------------------------------------------------------- the interface


class Store(abc.ABC):
    """The catalog's RDF store. Named graphs are identified by IRI strings."""

    name: str = "store"

    # -- queries
    @abc.abstractmethod
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        union_default_graph: bool = False,
    ) -> SelectResult | bool | list[Triple]:
        """SELECT -> SelectResult rows; ASK -> bool; CONSTRUCT/DESCRIBE -> list of Triples."""

    @abc.abstractmethod
    def query_raw(
        self,
        sparql: str,
        accept: str,
        *,
        union_default_graph: bool = False,
        timeout: float | None = None,
    ) -> tuple[bytes, str]:
        """Run a query and return ``(body, content_type)`` serialised per ``accept``."""

    @abc.abstractmethod
    def open_query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = False,
        timeout: float | None = None,
    ) -> contextlib.AbstractContextManager[QuerySolutions | QueryBoolean | Iterator[Triple]]:
        """A context manager giving the result lazily, as pyoxigraph objects: solutions
        (``.variables``, rows indexable by position), a ``QueryBoolean``, or an iterator of
        Triples. Leaving the block early stops reading (a remote connection is closed), so a
        caller can take the first N results of a huge answer. Errors while iterating come out
        of the ``with`` block as :class:`StoreError` (:class:`QueryTimeoutError` past
        ``timeout``)."""

    @abc.abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update request (atomic)."""

    # -- graphs
    def replace_graphs(self, graphs: Mapping[str, Iterable[Triple]]) -> None:
        """Atomically replace several named graphs; an empty iterable drops the graph."""
        drops: list[str] = []
        body: list[str] = []
        for name, triples in graphs.items():
            g = str(_graph_iri(name))
            drops.append(f"DROP SILENT GRAPH {g}")
            lines = [_triple_line(t, f"graph {g}") for t in triples]
            if lines:
                body.append(f"GRAPH {g} {{")
                body.extend(lines)
                body.append("}")
        if not drops:
            return
        ops = " ;\n".join(drops)
        if body:
            ops += " ;\nINSERT DATA {\n" + "\n".join(body) + "\n}"
        self.update(ops)

    def drop_graphs(self, names: Iterable[str]) -> None:
        """Drop some named graphs (missing ones are ignored), atomically."""
        ops = [f"DROP SILENT GRAPH {_graph_iri(n)}" for n in names]
        if ops:
            self.update(" ;\n".join(ops))

    @abc.abstractmethod
    def graph(self, name: str) -> list[Triple]:
        """The triples of one named graph (empty if it does not exist)."""

    @abc.abstractmethod
    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs (the default graph is not included)."""

    @abc.abstractmethod
    def has_graph(self, name: str) -> bool:
        """Whether the named graph exists."""

    # -- bulk
    @abc.abstractmethod
    def bulk_load(
        self, source: Path | bytes, format: RdfFormat, to_graph: str | None = None,
        *, trusted: bool = False,
    ) -> None:
        """Load a file or bytes fast (not atomic). ``to_graph`` only for triple formats.
        ``trusted``: the data was serialised by pyoxigraph from terms it had parsed (see
        `nquads`), so the embedded store need not check its IRIs and language tags again."""

    @abc.abstractmethod
    def bulk_extend(self, quads: Iterable[Quad]) -> None:
        """Add many quads fast (not atomic)."""

    @abc.abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """All quads, or those of one named graph."""

    def dump(
        self, output: BinaryIO, format: RdfFormat = RdfFormat.N_QUADS, graph: str | None = None
    ) -> None:
        """Serialise the whole dataset (or one named graph) to ``output``."""
        if graph is None and not format.supports_datasets:
            raise StoreError(f"{self.name}: {format.name} holds one graph: pass graph=")
        try:
            if graph is None:
                ox.serialize(self.quads(), output, format)
            else:
                ox.serialize((q.triple for q in self.quads(graph)), output, format)
        except (OSError, ValueError) as e:
            raise StoreError(f"{self.name}: dump failed: {e}") from e

    @abc.abstractmethod
    def __len__(self) -> int:
        """Number of quads in the store."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove everything."""

    def flush(self) -> None:
        """Make sure writes are on disk (no-op where not meaningful)."""
        return None

    def optimize(self) -> None:
        """Compact storage after big loads (no-op where not meaningful)."""
        return None

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def _check_load(format: RdfFormat, to_graph: str | None) -> None:
    if to_graph is not None and format.supports_datasets:
        raise StoreError(f"to_graph only applies to triple formats, not {format.name}")


class _Deadline:
    """An embedded result iterated against a deadline (checked between results)."""

    def __init__(self, result: QuerySolutions | ox.QueryTriples, deadline: float, name: str):
        self._it = iter(result)
        self.variables = getattr(result, "variables", None)
        self._deadline = deadline
        self._name = name

    def __iter__(self) -> _Deadline:
        return self

    def __next__(self) -> object:
        if time.monotonic() > self._deadline:
            raise QueryTimeoutError(f"{self._name}: query timed out", "query timed out")
        return next(self._it)


# --------------------------------------------------------------------------- embedded


READ_ONLY_OPEN_SECONDS = 10.0
"""How long a read-only open keeps trying while a writing process removes the files it was
about to read. Each try loses only to a flush or compaction that lands inside it, so beside a
busy writer on a loaded machine a try can lose many times running (over 20 measured); a time
limit, not a count, bounds the wait."""


def _open_read_only(path: Path) -> ox.Store:
    """`pyoxigraph.Store.read_only`, tried again when it loses a race with the writer: a
    flush or compaction can delete a table or log file between the moment RocksDB reads the
    list of live files and the moment it opens them (reported as corruption: "No such file
    or directory"); the next try reads the new list."""
    give_up = time.monotonic() + READ_ONLY_OPEN_SECONDS
    attempt = 0
    while True:
        attempt += 1
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as e:
            text = str(e)
            if "No such file or directory" not in text or not any(
                    name in text for name in (".sst", ".log", "MANIFEST")):
                raise
            if time.monotonic() >= give_up:
                raise type(e)(f"{e} (still racing the writer after {attempt} tries in "
                              f"{READ_ONLY_OPEN_SECONDS:g} s)") from e
        time.sleep(min(0.001 * attempt, 0.05))


class EmbeddedStore(Store):
    """pyoxigraph.Store on disk at ``path`` (in memory if None).

    ``read_only=True`` opens an existing folder without locking it, beside a writing process
    (``pyoxigraph.Store.read_only``): it sees the data as of its opening, including writes
    not yet flushed, and never later ones. ``generation`` counts the writes made through this
    object, so readers know when to re-open.
    """

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self.generation = 0
        self.name = f"embedded store {self.path or '(in memory)'}"
        try:
            if read_only:
                if self.path is None:
                    raise StoreError("a read-only embedded store needs a path")
                self._store: ox.Store | None = _open_read_only(self.path)
            else:
                if self.path is not None:
                    self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path) if self.path else None)
        except (OSError, RuntimeError) as e:  # RocksDB reports corruption as RuntimeError
            raise StoreError(f"{self.name}: cannot open: {e}") from e

    @property
    def _live(self) -> ox.Store:
        if self._store is None:
            raise StoreError(f"{self.name}: store is closed")
        return self._store

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph.Store (counted as a write: what the caller does with it
        is unknown)."""
        store = self._live
        self.generation += 1
        return store

    def _wrote(self) -> None:
        self.generation += 1

    def replace_graphs(self, graphs: Mapping[str, Iterable[Triple]]) -> None:
        """Atomically replace several named graphs; an empty iterable drops the graph.

        Everything is read and checked first. Graphs that exist and already hold exactly the
        new triples (the agents repeated on every page of a harvest) are left as they are.
        If another given graph exists, one SPARQL update drops and inserts them all, in one
        transaction. Otherwise (new graphs only) the quads go in with one atomic step: the
        bulk loader for ATOMIC_BULK_QUADS quads at most (one batch of it, ingested at once)
        from BULK_WRITE_MIN_QUADS on, a `Store.extend` transaction below that or above."""
        store = self._live
        names = [_graph_iri(n) for n in graphs]
        content: dict[NamedNode, list[Triple]] = {}
        total = 0
        for g, triples in zip(names, graphs.values(), strict=True):
            items = list(triples)
            for t in items:
                if not isinstance(t, Triple):
                    raise StoreError(f"graph {g}: expected a pyoxigraph Triple, got {t!r}")
            content[g] = items
            total += len(items)
        present = [g for g in names if store.contains_named_graph(g)]
        if present:
            if any(not self._holds(g, content[g]) for g in present):
                super().replace_graphs({g.value: content[g] for g in names})
                return
            for g in present:
                total -= len(content.pop(g))
        if not total:
            return
        try:
            if BULK_WRITE_MIN_QUADS <= total <= ATOMIC_BULK_QUADS:
                store.bulk_load(nquads(content), RdfFormat.N_QUADS, lenient=True)
            else:
                store.extend([ox.Quad(t.subject, t.predicate, t.object, g)
                              for g, triples in content.items() for t in triples])
        except (OSError, RuntimeError, ValueError, SyntaxError) as e:
            raise self._fail("write", e) from e
        finally:
            self._wrote()

    def _holds(self, g: NamedNode, triples: list[Triple]) -> bool:
        """Whether graph g holds exactly these triples (checked for small graphs only)."""
        if not triples or len(triples) > _SAME_CHECK_MAX:
            return False
        stored = {q.triple for q in self._live.quads_for_pattern(None, None, None, g)}
        return stored == set(triples)

    def records_for_datasets(
        self, datasets: Iterable[NamedNode], guess: Mapping[NamedNode, str] | None = None
    ) -> dict[str, str]:
        """For each dataset that a catalog record holds in the store: str(dataset) -> the
        record IRI (the `records_for_datasets` query, as index lookups: none at all while the
        store holds no foaf:primaryTopic). `guess` gives the record IRI a dataset most likely
        has: checked first, with point lookups (cheaper than a search by dataset)."""
        store = self._live
        found: dict[str, str] = {}
        if next(iter(store.quads_for_pattern(None, _FOAF_PRIMARY_TOPIC, None, None)), None) is None:
            return found
        for ds in datasets:
            likely = guess.get(ds) if guess is not None else None
            if likely is not None:
                g = NamedNode(likely)
                if (ox.Quad(g, _FOAF_PRIMARY_TOPIC, ds, g) in store
                        and ox.Quad(g, _RDF_TYPE, _DCAT_CATALOG_RECORD, g) in store):
                    found[str(ds)] = likely
                    continue
            for q in store.quads_for_pattern(None, _FOAF_PRIMARY_TOPIC, ds, None):
                g = q.graph_name
                if (type(g) is NamedNode and q.subject == g
                        and ox.Quad(g, _RDF_TYPE, _DCAT_CATALOG_RECORD, g) in store):
                    found[str(ds)] = g.value
        return found

    def _fail(self, what: str, e: Exception) -> StoreError:
        if isinstance(e, SyntaxError):
            return QuerySyntaxError(f"{self.name}: {what}: {e}", str(e))
        return StoreError(f"{self.name}: {what} failed: {e}", str(e))

    def _run(self, sparql: str, bindings: Mapping[str, Term] | None, union: bool = False):
        store = self._live
        if bindings:
            subs = {ox.Variable(_var_name(k)): v for k, v in bindings.items()}
            try:
                return store.query(sparql, substitutions=subs, use_default_graph_as_union=union)
            except RuntimeError as e:
                if "projection" not in str(e):
                    raise
            sparql = inject_values(sparql, bindings)  # variable not projected: use VALUES
        return store.query(sparql, use_default_graph_as_union=union)

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        union_default_graph: bool = False,
    ) -> SelectResult | bool | list[Triple]:
        try:
            return _convert(self._run(sparql, bindings, union_default_graph))
        except StoreError:
            raise
        except (SyntaxError, OSError, RuntimeError, ValueError, TypeError) as e:
            raise self._fail("query", e) from e

    def query_raw(
        self,
        sparql: str,
        accept: str,
        *,
        union_default_graph: bool = False,
        timeout: float | None = None,
    ) -> tuple[bytes, str]:
        """``timeout`` is not enforced here: pyoxigraph serialises the whole result at once
        and cannot be interrupted (see the module docstring)."""
        try:
            result = self._run(sparql, None, union_default_graph)
            fmt = _negotiate(accept, graph=isinstance(result, ox.QueryTriples))
            return result.serialize(format=fmt), fmt.media_type
        except StoreError:
            raise
        except (SyntaxError, OSError, RuntimeError, ValueError) as e:
            raise self._fail("query", e) from e

    @contextlib.contextmanager
    def open_query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = False,
        timeout: float | None = None,
    ) -> Iterator[QuerySolutions | QueryBoolean | Iterator[Triple]]:
        """``timeout`` is checked between results only (pyoxigraph cannot be interrupted)."""
        try:
            result = self._run(sparql, None, union_default_graph)
        except (SyntaxError, OSError, RuntimeError, ValueError) as e:
            raise self._fail("query", e) from e
        if timeout is not None and not isinstance(result, QueryBoolean):
            result = _Deadline(result, time.monotonic() + timeout, self.name)
        try:
            yield result
        except (OSError, RuntimeError, ValueError) as e:  # raised while iterating
            raise self._fail("query", e) from e

    def update(self, sparql: str) -> None:
        try:
            self._live.update(sparql)
        except (SyntaxError, OSError, RuntimeError, ValueError) as e:
            raise self._fail("update", e) from e
        finally:
            self._wrote()

    def graph(self, name: str) -> list[Triple]:
        g = _graph_iri(name)
        return [q.triple for q in self._live.quads_for_pattern(None, None, None, g)]

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._live.named_graphs() if isinstance(g, NamedNode))

    def has_graph(self, name: str) -> bool:
        return self._live.contains_named_graph(_graph_iri(name))

    def bulk_load(
        self, source: Path | bytes, format: RdfFormat, to_graph: str | None = None,
        *, trusted: bool = False,
    ) -> None:
        _check_load(format, to_graph)
        target = _graph_iri(to_graph) if to_graph is not None else None
        try:
            if isinstance(source, bytes | bytearray):
                self._live.bulk_load(bytes(source), format, to_graph=target, lenient=trusted)
            else:
                self._live.bulk_load(format=format, path=str(source), to_graph=target,
                                     lenient=trusted)
        except (SyntaxError, OSError, ValueError) as e:
            raise StoreError(f"{self.name}: bulk load of {_src(source)} failed: {e}") from e
        finally:
            self._wrote()

    def bulk_extend(self, quads: Iterable[Quad]) -> None:
        try:
            self._live.bulk_extend(quads)
        except (OSError, ValueError, TypeError) as e:
            raise StoreError(f"{self.name}: bulk extend failed: {e}") from e
        finally:
            self._wrote()

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        g = _graph_iri(graph) if graph is not None else None
        return iter(self._live.quads_for_pattern(None, None, None, g))

    def dump(
        self, output: BinaryIO, format: RdfFormat = RdfFormat.N_QUADS, graph: str | None = None
    ) -> None:
        if graph is None and not format.supports_datasets:
            raise StoreError(f"{self.name}: {format.name} holds one graph: pass graph=")
        g = _graph_iri(graph) if graph is not None else None
        try:
            self._live.dump(output, format, from_graph=g)
        except (OSError, ValueError) as e:
            raise StoreError(f"{self.name}: dump failed: {e}") from e

    def __len__(self) -> int:
        return len(self._live)

    def clear(self) -> None:
        try:
            self._live.clear()
        except OSError as e:
            raise StoreError(f"{self.name}: clear failed: {e}") from e
        finally:
            self._wrote()

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._live.flush()

    def optimize(self) -> None:
        if self.path is not None and not self.read_only:
            self._live.optimize()

    def close(self) -> None:
        if self._store is not None:
            if self.path is not None and not self.read_only:
                self._store.flush()
            self._store = None


def _src(source: Path | bytes) -> str:
    return f"{len(source)} bytes" if isinstance(source, bytes | bytearray) else str(source)


# --------------------------------------------------------------------------- remote


@dataclass
class _Response:
    status: int
    content_type: str
    body: bytes


def _set_timeout(
    conn: http.client.HTTPConnection, deadline: float | None, default: float = 0.0
) -> None:
    """Socket timeout: the time left until ``deadline`` (or ``default`` when None)."""
    left = default if deadline is None else deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    conn.timeout = left
    if conn.sock is not None:
        conn.sock.settimeout(left)


_CANCELLED = b"has been cancelled"  # what Oxigraph server writes when --timeout-s strikes


class _DeadlineReader:
    """A readable HTTP response body that raises ``TimeoutError`` past a deadline. It keeps
    the last bytes read: when a result does not parse, ``cancelled`` tells whether an
    Oxigraph server ended it with its "cancelled" message (``--timeout-s``: it has already
    sent HTTP 200 and the start of the results)."""

    def __init__(
        self, resp: http.client.HTTPResponse, conn: http.client.HTTPConnection, deadline: float
    ) -> None:
        self._resp = resp
        self._conn = conn
        self._deadline = deadline
        self._tail = b""
        self.timed_out = False

    def readable(self) -> bool:
        return True

    @property
    def cancelled(self) -> bool:
        return _CANCELLED in self._tail

    def _chunk(self, data: bytes) -> bytes:
        self._tail = (self._tail + data)[-200:]
        return data

    def read1(self, size: int = 65536) -> bytes:
        try:
            _set_timeout(self._conn, self._deadline)
            return self._chunk(self._resp.read1(size if size and size > 0 else 65536))
        except TimeoutError:
            self.timed_out = True
            raise

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(self.read1, b""))
        return self.read1(size)

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read1(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Http:
    """Keep-alive HTTP/1.1 connections, one per thread and host."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[http.client.HTTPConnection] = []

    def connect(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conn = cls(netloc, timeout=self.timeout)
        with self._lock:
            self._all.append(conn)
        return conn

    def _pooled(self, scheme: str, netloc: str) -> tuple[http.client.HTTPConnection, bool]:
        pool = self._local.__dict__.setdefault("pool", {})
        conn = pool.get((scheme, netloc))
        if conn is not None:
            return conn, True
        conn = pool[(scheme, netloc)] = self.connect(scheme, netloc)
        return conn, False

    def _drop(self, scheme: str, netloc: str) -> None:
        conn = self._local.__dict__.get("pool", {}).pop((scheme, netloc), None)
        if conn is not None:
            conn.close()

    def request(
        self,
        method: str,
        url: str,
        body: object,
        headers: dict[str, str],
        timeout: float | None = None,
    ) -> _Response:
        """One request; ``timeout`` (seconds, total) overrides the default for this call."""
        parts = urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        deadline = time.monotonic() + timeout if timeout is not None else None
        for attempt in (0, 1):
            conn, reused = self._pooled(parts.scheme, parts.netloc)
            try:
                if deadline is not None:
                    _set_timeout(conn, deadline)
                conn.request(method, target, body=body, headers=headers)
                resp = conn.getresponse()
                if deadline is None:
                    data = resp.read()
                else:
                    data = b"".join(iter(_DeadlineReader(resp, conn, deadline).read1, b""))
                    _set_timeout(conn, None, self.timeout)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._drop(parts.scheme, parts.netloc)
                # a kept-alive connection the server closed meanwhile: retry once on a new one
                if reused and attempt == 0 and not hasattr(body, "read"):
                    continue
                raise
            except BaseException:
                self._drop(parts.scheme, parts.netloc)
                raise
            if resp.will_close:
                self._drop(parts.scheme, parts.netloc)
            return _Response(resp.status, resp.getheader("Content-Type", ""), data)
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
        self._local = threading.local()


# --------------------------------------------------------------------------- Virtuoso
# What a RemoteStore in the "virtuoso" dialect does differently, and why (all seen on Debian's
# Virtuoso Open Source 7.2.5; docs/deployment.md lists them for operators):
# * queries are POSTed form-encoded: a POST with Content-Type application/sparql-query gets
#   no answer at all (openlink/virtuoso-opensource#842);
# * Virtuoso has no default graph of its own: a query without a dataset reads every graph,
#   and INSERT DATA without GRAPH is refused. The store's default graph is the Virtuoso graph
#   VIRTUOSO_DEFAULT_GRAPH, named by default-graph-uri on requests that use the default graph
#   (_virtuoso_dataset); union_default_graph=True leaves it out, so Virtuoso's "every graph
#   the SPARQL user may read" is the union. Its own graphs must be private to that user
#   (docs/deployment.md);
# * SPARQL reaches its SQL built-ins and pragmas (bif:http_get fetches any URL): refused
#   (_virtuoso_guard);
# * DROP ALL / CLEAR ALL / DROP NAMED do nothing, "GRAPH ?g {}" matches nothing and
#   "ASK { GRAPH <g> {} }" is always true: graphs are listed from their triples, cleared one
#   by one;
# * the operations of one update request are committed one by one, also when a later one
#   fails (its endpoint runs them, then COMMIT WORK whatever happened): replace_graphs writes
#   the new content into staging graphs, then swaps them in with ONE DELETE/INSERT operation;
# * INSERT DATA refuses blank nodes ("not allowed in a constant clause") and ill-typed
#   numbers and booleans ("not a number"^^xsd:integer), and its parser runs out of stack near
#   5,000 triples in one GRAPH block: such triples go in INSERT {...} WHERE { BIND ... }
#   templates (ill-typed literals as STRDT(...), kept as typed strings), other triples in
#   INSERT DATA blocks of _VIRTUOSO_BLOCK triples. A template with blank nodes and constant
#   graph names fails after writing (SR002), so its graphs are bound variables;
# * JSON results name blank nodes "nodeID://b1" and write xsd:boolean as "1"/"0"; its TSV and
#   CSV are not SPARQL 1.1's: results are read as JSON (fixed on the way) or N-Triples, and
#   query_raw serialises them with pyoxigraph, as the embedded store does;
# * its syntax errors say little ("syntax error"): Oxigraph's parser message is given when
#   Oxigraph also rejects the text.
# Virtuoso stores typed literals as values: numbers, dates and times come back in canonical
# form ("0100"^^xsd:integer as "100"), xsd:duration is refused (SR553). Results are cut at its
# [SPARQL] ResultSetMaxRows (10,000 in Debian's virtuoso.ini), silently.

VIRTUOSO_DEFAULT_GRAPH = "urn:x-hdcat:default-graph"
_STAGING = "urn:x-hdcat:staging:"
_VIRTUOSO_BLOCK = 1_000  # triples per INSERT DATA operation
_VIRTUOSO_TEMPLATE = 300  # triples per INSERT template (its compile time grows faster)
_VIRTUOSO_DROPS = 200  # DROP operations per request when clearing
_VIRTUOSO_NAMED = 40  # named-graph-uri parameters at most (see _virtuoso_dataset)
_FORM = "application/x-www-form-urlencoded"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_LEX = re.compile(r"[+-]?[0-9]+")
_FLOATING_LEX = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|INF)|NaN")
_CHECKED_LEX = {
    **{_XSD + name: _INTEGER_LEX for name in (
        "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte")},
    _XSD + "decimal": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"),
    _XSD + "double": _FLOATING_LEX,
    _XSD + "float": _FLOATING_LEX,
    _XSD + "boolean": re.compile(r"true|false|1|0"),
}
_VIRTUOSO_JSON_FIXES = [
    (re.compile(rb'("type":\s*"bnode",\s*"value":\s*")nodeID://'), rb"\1"),
    (re.compile(rb'("datatype":\s*"http://www\.w3\.org/2001/XMLSchema#boolean",\s*"value":\s*")1"'),
     rb'\1true"'),
    (re.compile(rb'("datatype":\s*"http://www\.w3\.org/2001/XMLSchema#boolean",\s*"value":\s*")0"'),
     rb'\1false"'),
]
_FIX_TAIL = 256  # longer than any match of the fixes above


def _fix_virtuoso_json(body: bytes) -> bytes:
    for pattern, replacement in _VIRTUOSO_JSON_FIXES:
        body = pattern.sub(replacement, body)
    return body


class _FixedJson:
    """A readable stream of Virtuoso's JSON results with ``_fix_virtuoso_json`` applied as
    the bytes pass (the last _FIX_TAIL bytes are held back until more arrive)."""

    def __init__(self, raw: _DeadlineReader) -> None:
        self._raw = raw
        self._pending = b""
        self._out = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        chunk = self._raw.read1(65536)
        if not chunk:
            self._out += _fix_virtuoso_json(self._pending)
            self._pending = b""
            self._done = True
            return
        buf = _fix_virtuoso_json(self._pending + chunk)
        cut = max(0, len(buf) - _FIX_TAIL)
        self._out += buf[:cut]
        self._pending = buf[cut:]

    def read1(self, size: int = 65536) -> bytes:
        size = size if size and size > 0 else 65536
        while not self._out and not self._done:
            self._fill()
        out, self._out = self._out[:size], self._out[size:]
        return out

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(self.read1, b""))
        return self.read1(size)

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read1(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _needs_strdt(term: object) -> bool:
    """A literal Virtuoso's INSERT DATA refuses or misreads: an ill-typed number or boolean."""
    if not isinstance(term, Literal):
        return False
    pattern = _CHECKED_LEX.get(term.datatype.value)
    return pattern is not None and pattern.fullmatch(term.value) is None


def _mentions(sparql: str, *words: str) -> bool:
    """Whether the query or update text holds one of these keywords (outside strings, IRIs
    and comments)."""
    return any(kind == "word" and text.upper() in words for kind, text, _ in _tokens(sparql))


_GROUP_WORDS = {"OPTIONAL", "UNION", "MINUS", "FILTER", "BIND", "NOT", "EXISTS", "WHERE",
                "INSERT", "DELETE", "DATA", "SILENT", "LATERAL"}


def _uses_default_graph(toks: list[tuple[str, str, int]]) -> bool:
    """Whether a query or update may read or write the default graph: a term inside braces
    that is not in a GRAPH or SERVICE block, a VALUES block, a CONSTRUCT template or an
    expression in parentheses (a sub-select's projection counts: when unsure, yes).
    DESCRIBE always may."""
    depth = paren = 0
    skip_from: int | None = None  # skipping a group opened at this depth
    skip_next = False  # the next "{" opens a group to skip
    i = 0
    while i < len(toks):
        kind, text, _ = toks[i]
        word = text.upper() if kind == "word" else ""
        i += 1
        if text == "{":
            if skip_from is None and skip_next:
                skip_from, skip_next = depth, False
            depth += 1
        elif text == "}":
            depth -= 1
            if skip_from is not None and depth == skip_from:
                skip_from = None
        elif skip_from is not None:
            continue
        elif word == "DESCRIBE":
            return True
        elif word == "CONSTRUCT" and i < len(toks) and toks[i][1] == "{":
            skip_next = True
        elif word in ("GRAPH", "SERVICE"):
            if i < len(toks) and toks[i][1].upper() == "SILENT":
                i += 1
            i += 1  # the graph's IRI or variable
            skip_next = i < len(toks) and toks[i][1] == "{"
        elif word == "VALUES":
            while i < len(toks) and toks[i][1] != "{":
                i += 1
            skip_next = True
        elif text == "(":
            paren += 1
        elif text == ")":
            paren -= 1
        elif depth > 0 and paren == 0 and (
            kind in ("var", "iri", "str") or text == "[" or (kind == "word"
                                                             and word not in _GROUP_WORDS)):
            return True
    return False


def _virtuoso_dataset(sparql: str, default_graph: str, update: bool) -> list[tuple[str, str]]:
    """For a text that may use the default graph (``_uses_default_graph``):
    ``default-graph-uri`` naming the store's default graph, and ``named-graph-uri`` for each
    graph the text names after GRAPH, for once a request names a default graph, Virtuoso
    matches GRAPH <g> only for the graphs so listed (GRAPH ?g still ranges over all graphs).
    No parameters (Virtuoso's own default graph, all graphs, applies) when the text names
    both kinds, more than _VIRTUOSO_NAMED graphs (Virtuoso answers one header for each), or
    its own dataset (FROM; USING, WITH)."""
    toks = _tokens(sparql)
    own = ("USING", "WITH") if update else ("FROM",)
    if any(kind == "word" and text.upper() in own for kind, text, _ in toks):
        return []
    if not _uses_default_graph(toks):
        return []
    prefixes: dict[str, str] = {}
    named: list[str] = []
    variable = False
    for i, (kind, text, _) in enumerate(toks):
        if kind != "word":
            continue
        word = text.upper()
        nxt = toks[i + 1] if i + 1 < len(toks) else ("other", "", 0)
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2][0] == "iri":
            prefixes[nxt[1]] = toks[i + 2][1][1:-1]
        elif word == "GRAPH":
            if nxt[0] == "iri":
                named.append(nxt[1][1:-1])
            elif nxt[0] == "word" and ":" in nxt[1]:
                prefix, _, local = nxt[1].partition(":")
                if prefix + ":" in prefixes:
                    named.append(prefixes[prefix + ":"] + local)
                else:
                    variable = True
            elif nxt[0] == "var":
                variable = True
    named = list(dict.fromkeys(named))
    if (named and variable) or len(named) > _VIRTUOSO_NAMED:
        return []
    return [("default-graph-uri", default_graph), *(("named-graph-uri", g) for g in named)]


_VIRTUOSO_BUILTINS = ("bif:", "sql:", "http://www.openlinksw.com/schemas/bif#",
                      "http://www.openlinksw.com/schemas/sql#")


def _virtuoso_guard(sparql: str) -> None:
    """Refuse what Virtuoso would run beyond standard SPARQL: its pragmas (DEFINE, which
    also turn on fetching remote documents) and calls of its SQL built-ins and procedures
    (bif:..., sql:...: bif:http_get fetches any URL for whoever may query). hdcat sends
    none; a public SPARQL endpoint passes its visitors' texts here. (Virtuoso reads no
    codepoint escapes in query text: it refuses a backslash outside strings.)"""
    prefixes = {"bif:": "bif:", "sql:": "sql:"}  # Virtuoso declares these itself
    toks = _tokens(sparql)
    for i, (kind, tok, _) in enumerate(toks):
        if kind == "word" and tok.upper() == "PREFIX" and i + 2 < len(toks) \
                and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1].lower()] = toks[i + 2][1][1:-1]
    for kind, tok, _ in toks:
        if kind == "word" and tok.upper() == "DEFINE":
            raise QuerySyntaxError("Virtuoso pragmas (DEFINE) are not accepted",
                                   "Virtuoso pragmas (DEFINE) are not accepted")
        iri = None
        if kind == "iri":
            iri = tok[1:-1]
        elif kind == "word" and ":" in tok:
            iri = prefixes.get(tok.split(":", 1)[0].lower() + ":")
        if iri is not None and iri.lower().startswith(_VIRTUOSO_BUILTINS):
            msg = "Virtuoso built-in functions (bif:, sql:) are not accepted"
            raise QuerySyntaxError(msg, msg)


def _form(*fields: tuple[str, str]) -> bytes:
    return "&".join(f"{k}={quote(v, safe='')}" for k, v in fields).encode()


def _blank_groups(
    items: list[tuple[str, Triple]], size: int
) -> Iterator[list[tuple[str, Triple]]]:
    """Triples packed into groups of about ``size``; triples linked by blank nodes always in
    the same group (the labels of one template are its own)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, t in items:
        nodes = [n.value for n in (t.subject, t.object) if isinstance(n, BlankNode)]
        for node in nodes[1:]:
            parent[find(node)] = find(nodes[0])
    components: dict[object, list[tuple[str, Triple]]] = {}
    for i, (g, t) in enumerate(items):
        node = next((n for n in (t.subject, t.object) if isinstance(n, BlankNode)), None)
        key: object = find(node.value) if node is not None else i
        components.setdefault(key, []).append((g, t))
    group: list[tuple[str, Triple]] = []
    for component in components.values():
        if group and len(group) + len(component) > size:
            yield group
            group = []
        group.extend(component)
    if group:
        yield group


def _virtuoso_template(items: list[tuple[str, Triple]]) -> str:
    graphs: dict[str, str] = {}
    literals: dict[tuple[str, str], str] = {}
    binds: list[str] = []
    blocks: dict[str, list[str]] = {}
    for g, t in items:
        var = graphs.get(g)
        if var is None:
            var = graphs[g] = f"?_g{len(graphs)}"
            binds.append(f"BIND({g} AS {var})")
        obj = t.object
        if _needs_strdt(obj):
            key = (obj.value, obj.datatype.value)
            text = literals.get(key)
            if text is None:
                text = literals[key] = f"?_l{len(literals)}"
                binds.append(f"BIND(STRDT({Literal(obj.value)}, {obj.datatype}) AS {text})")
        else:
            text = str(obj)
        blocks.setdefault(var, []).append(f"{t.subject} {t.predicate} {text} .")
    body = "\n".join(f"GRAPH {var} {{\n" + "\n".join(lines) + "\n}"
                     for var, lines in blocks.items())
    return f"INSERT {{\n{body}\n}} WHERE {{ {' '.join(binds)} }}"


def _virtuoso_inserts(graphs: Mapping[str, Iterable[Triple]]) -> list[str]:
    """SPARQL Update operations adding these triples to these graphs, in forms Virtuoso 7
    takes (see above)."""
    ops: list[str] = []
    special: list[tuple[str, Triple]] = []
    for name, triples in graphs.items():
        g = str(_graph_iri(name))
        plain: list[str] = []
        for t in triples:
            if not isinstance(t, Triple):
                raise StoreError(f"graph {g}: expected a pyoxigraph Triple, got {t!r}")
            if (isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode)
                    or _needs_strdt(t.object)):
                special.append((g, t))
            else:
                plain.append(f"{t.subject} {t.predicate} {t.object} .")
        for i in range(0, len(plain), _VIRTUOSO_BLOCK):
            ops.append(f"INSERT DATA {{ GRAPH {g} {{\n"
                       + "\n".join(plain[i:i + _VIRTUOSO_BLOCK]) + "\n} }")
    ops.extend(_virtuoso_template(group) for group in _blank_groups(special, _VIRTUOSO_TEMPLATE))
    return ops


def _virtuoso_swap(rows: list[tuple[str, str | None]]) -> str:
    """ONE operation: empty each graph ``g`` of ``(g, target)`` and copy its triples into
    ``target`` (when not None), blank nodes included."""
    values = " ".join(f"({g} {t if t is not None else 'UNDEF'})" for g, t in rows)
    return ("DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH ?t { ?s ?p ?o } }\n"
            f"WHERE {{ VALUES (?g ?t) {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")


def _oxigraph_syntax_error(sparql: str, update: bool) -> str | None:
    """Oxigraph's parser message for a text a server refused as malformed, None if Oxigraph
    reads it. It runs on an empty in-memory store, and never for texts with SERVICE or LOAD
    (nothing is fetched)."""
    if _mentions(sparql, "SERVICE", "LOAD"):
        return None
    try:
        if update:
            ox.Store().update(sparql)
        else:
            ox.Store().query(sparql)
    except SyntaxError as e:
        return str(e)
    except Exception:  # evaluation on the empty store: the text parsed
        return None
    return None


class RemoteStore(Store):
    """A SPARQL 1.1 Query / Update / Graph Store endpoint over HTTP.

    ``client="http"`` (default) talks SPARQL 1.1 Protocol over a keep-alive ``http.client``
    connection (about 1.5 ms per call); ``client="sparqlwrapper"`` sends queries through
    SPARQLWrapper instead (slower, new connection per call, but its auth/proxy handling is
    available). Updates and Graph Store requests always use the keep-alive client.

    ``dialect`` says which server it is: ``"oxigraph"`` (``from_base_url``), ``"virtuoso"``
    (``virtuoso``; see the Virtuoso notes above this class), ``"generic"`` (standard SPARQL
    1.1 only), or ``"auto"`` (the default): the first operation asks the server once (a
    form-encoded ``ASK {}``) and takes ``"virtuoso"`` when its ``Server`` header says so,
    ``"generic"`` otherwise.
    """

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        timeout: float = 60.0,
        *,
        client: TypingLiteral["http", "sparqlwrapper"] = "http",
        chunk_size: int = _DEFAULT_CHUNK,
        union_default_graph_param: str | None = None,
        dialect: TypingLiteral["auto", "generic", "oxigraph", "virtuoso"] = "auto",
        default_graph: str = VIRTUOSO_DEFAULT_GRAPH,
    ) -> None:
        for url in (query_url, update_url, graph_store_url):
            if url is not None and urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"not an http(s) URL: {url!r}")
        if client not in ("http", "sparqlwrapper"):
            raise StoreError(f"unknown client {client!r}")
        if dialect not in ("auto", "generic", "oxigraph", "virtuoso"):
            raise StoreError(f"unknown dialect {dialect!r}")
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.graph_store_url = graph_store_url
        self.timeout = timeout
        self.client = client
        self.chunk_size = chunk_size
        self.union_default_graph_param = union_default_graph_param
        self.default_graph = _graph_iri(default_graph).value
        self.name = f"remote store {query_url}"
        self._dialect = dialect
        self._dialect_lock = threading.Lock()
        self._http = _Http(timeout)

    @classmethod
    def from_base_url(cls, base_url: str, **kwargs: object) -> RemoteStore:
        """Oxigraph server layout: ``base/query``, ``base/update``, ``base/store``; its
        ``union-default-graph`` query parameter."""
        base = base_url.rstrip("/")
        kwargs.setdefault("union_default_graph_param", "union-default-graph")
        kwargs.setdefault("dialect", "oxigraph")
        return cls(f"{base}/query", f"{base}/update", f"{base}/store", **kwargs)

    @classmethod
    def virtuoso(cls, url: str, **kwargs: object) -> RemoteStore:
        """Virtuoso layout: ``url`` is its SPARQL endpoint (``http://host:8890/sparql``; a URL
        without a path means ``/sparql`` there), its Graph Store endpoint
        ``/sparql-graph-crud`` beside it."""
        parts = urlsplit(url)
        if parts.path in ("", "/"):
            url = url.rstrip("/") + "/sparql"
            parts = urlsplit(url)
        kwargs.setdefault("dialect", "virtuoso")
        kwargs.setdefault("graph_store_url",
                          f"{parts.scheme}://{parts.netloc}/sparql-graph-crud")
        return cls(url, url, **kwargs)

    @property
    def dialect(self) -> str:
        """The server dialect (``"auto"`` is resolved by asking the server once)."""
        if self._dialect == "auto":
            with self._dialect_lock:
                if self._dialect == "auto":
                    self._dialect = self._detect_dialect()
        return self._dialect

    @property
    def _virtuoso(self) -> bool:
        return self.dialect == "virtuoso"

    def _detect_dialect(self) -> str:
        parts = urlsplit(self.query_url)
        conn = self._http.connect(parts.scheme, parts.netloc)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request("POST", target, body=_form(("query", "ASK {}")), headers={
                "Content-Type": _FORM, "Accept": SPARQL_JSON})
            resp = conn.getresponse()
            resp.read()
            server = resp.getheader("Server", "") or ""
        except (OSError, http.client.HTTPException) as e:
            raise StoreError(f"{self.name}: cannot reach {self.query_url}: {e}",
                             "the store cannot be reached") from e
        finally:
            conn.close()
        return "virtuoso" if "virtuoso" in server.lower() else "generic"

    def _dataset(self, sparql: str, union: bool, update: bool = False) -> list[tuple[str, str]]:
        """Virtuoso: the protocol parameters making the store's default graph the request's
        (see ``_virtuoso_dataset``), none for the union of all graphs."""
        return [] if union else _virtuoso_dataset(sparql, self.default_graph, update)

    def _query_url(self, union_default_graph: bool) -> str:
        if not union_default_graph or not self.union_default_graph_param:
            return self.query_url
        sep = "&" if "?" in self.query_url else "?"
        return f"{self.query_url}{sep}{quote(self.union_default_graph_param, safe='')}"

    # -- transport
    def _send(
        self,
        url: str,
        what: str,
        body: object,
        content_type: str,
        accept: str | None = None,
        length: int | None = None,
        timeout: float | None = None,
        sparql: str | None = None,
    ) -> _Response:
        headers = {"Content-Type": content_type}
        if accept:
            headers["Accept"] = accept
        if length is not None:
            headers["Content-Length"] = str(length)
        try:
            resp = self._http.request("POST", url, body, headers, timeout)
        except TimeoutError as e:
            secs = timeout if timeout is not None else self.timeout
            raise QueryTimeoutError(
                f"{self.name}: {what} timed out after {secs}s ({url})",
                f"{what} timed out after {secs:g} s",
            ) from e
        except (OSError, http.client.HTTPException) as e:
            raise StoreError(f"{self.name}: {what} failed: cannot reach {url}: {e}") from e
        self._check(resp.status, resp.body, url, what, sparql)
        return resp

    def _check(
        self, status: int, body: bytes, url: str, what: str, sparql: str | None = None
    ) -> None:
        if status < 300:
            return
        msg = body.decode("utf-8", "replace").strip()
        if self._dialect == "virtuoso":
            msg = msg.split("\n\nSPARQL query:", 1)[0].strip()  # it echoes the whole text
            if status == 400 and sparql is not None:
                parsed = _oxigraph_syntax_error(sparql, update=what == "update")
                if parsed is not None:
                    msg = f"{parsed} ({msg})"
            elif "SR186" in msg:
                msg += (" (the SPARQL user needs SPARQL_UPDATE and graph permissions:"
                        " see docs/deployment.md)")
        text = f"{self.name}: {what} rejected by {url} (HTTP {status}): {msg}"
        if status == 400:
            raise QuerySyntaxError(text, msg)
        if status == 406:
            raise NotAcceptableError(text, msg)
        if _CANCELLED.decode() in msg:
            raise QueryTimeoutError(text, "query timed out")
        raise StoreError(text, f"the store answered HTTP {status}")

    def _query_request(
        self, sparql: str, accept: str, union: bool = False, timeout: float | None = None
    ) -> tuple[bytes, str]:
        if self._virtuoso:
            _virtuoso_guard(sparql)
        if self.client == "sparqlwrapper":
            body, ctype = self._sparqlwrapper_query(sparql, accept, union, timeout)
        elif self._virtuoso:
            resp = self._send(self.query_url, "query",
                              _form(("query", sparql), *self._dataset(sparql, union)),
                              _FORM, accept, timeout=timeout, sparql=sparql)
            body, ctype = resp.body, resp.content_type
        else:
            resp = self._send(self._query_url(union), "query", sparql.encode(),
                              "application/sparql-query", accept, timeout=timeout)
            body, ctype = resp.body, resp.content_type
        if self._virtuoso and ctype.split(";")[0].strip().lower() == SPARQL_JSON:
            body = _fix_virtuoso_json(body)
        return body, ctype

    def _sparqlwrapper_query(
        self, sparql: str, accept: str, union: bool = False, timeout: float | None = None
    ) -> tuple[bytes, str]:
        from SPARQLWrapper import POST, POSTDIRECTLY, URLENCODED, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        url = self.query_url
        sw = SPARQLWrapper(url)
        if union and self.union_default_graph_param:
            sw.addParameter(self.union_default_graph_param, "true")
        sw.setMethod(POST)
        if self._virtuoso:  # no answer to a direct POST (see the Virtuoso notes)
            sw.setRequestMethod(URLENCODED)
            sw.setOnlyConneg(True)  # no format= parameter: Virtuoso would prefer it to Accept
            for _, graph in self._dataset(sparql, union):
                sw.addDefaultGraph(graph)
        else:
            sw.setRequestMethod(POSTDIRECTLY)
        sw.setTimeout(max(1, round(timeout if timeout is not None else self.timeout)))
        sw.addCustomHttpHeader("Accept", accept)
        try:
            with warnings.catch_warnings():  # it warns on query types it cannot detect
                warnings.simplefilter("ignore", RuntimeWarning)
                sw.setQuery(sparql)
                response = sw.query().response
            return response.read(), response.headers.get("Content-Type", "")
        except QueryBadFormed as e:
            raise QuerySyntaxError(
                f"{self.name}: query rejected by {url} (HTTP 400): {e}", str(e)
            ) from e
        except urllib.error.HTTPError as e:
            self._check(e.code, e.read(), url, "query", sparql)
            raise
        except SPARQLWrapperException as e:
            raise StoreError(f"{self.name}: query failed at {url}: {e}") from e
        except TimeoutError as e:
            raise QueryTimeoutError(
                f"{self.name}: query timed out after {sw.timeout}s ({url})", "query timed out"
            ) from e
        except (OSError, http.client.HTTPException) as e:
            raise StoreError(f"{self.name}: query failed: cannot reach {url}: {e}") from e

    # -- queries
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        union_default_graph: bool = False,
    ) -> SelectResult | bool | list[Triple]:
        if bindings:
            sparql = inject_values(sparql, bindings)
        graph = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        body, ctype = self._query_request(
            sparql, N_TRIPLES if graph else SPARQL_JSON, union_default_graph
        )
        media = ctype.split(";")[0].strip().lower()
        try:
            results_format = QueryResultsFormat.from_media_type(media) if media else None
            if results_format is not None:
                return _convert(ox.parse_query_results(body, results_format))
            rdf_format = RdfFormat.from_media_type(media) if media else None
            if rdf_format is not None:
                return [q.triple for q in ox.parse(body, rdf_format)]
        except (SyntaxError, ValueError, OSError) as e:
            raise StoreError(f"{self.name}: unreadable query result ({media}): {e}") from e
        raise StoreError(f"{self.name}: unexpected result type {ctype!r} from {self.query_url}")

    def query_raw(
        self,
        sparql: str,
        accept: str,
        *,
        union_default_graph: bool = False,
        timeout: float | None = None,
    ) -> tuple[bytes, str]:
        """Virtuoso: the result is read as JSON or N-Triples and serialised here per
        ``accept`` by pyoxigraph (its own TSV and CSV are not SPARQL 1.1's)."""
        if not self._virtuoso:
            return self._query_request(sparql, accept, union_default_graph, timeout)
        graph = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        fmt = _negotiate(accept, graph)
        body, ctype = self._query_request(
            sparql, N_TRIPLES if graph else SPARQL_JSON, union_default_graph, timeout
        )
        media = ctype.split(";")[0].strip().lower()
        try:
            if media == SPARQL_JSON and isinstance(fmt, QueryResultsFormat):
                result = ox.parse_query_results(body, QueryResultsFormat.JSON)
                return result.serialize(format=fmt), fmt.media_type
            if media == N_TRIPLES and isinstance(fmt, RdfFormat):
                triples = [q.triple for q in ox.parse(body, RdfFormat.N_TRIPLES)]
                return ox.serialize(triples, format=fmt), fmt.media_type
        except (SyntaxError, ValueError, OSError) as e:
            raise StoreError(f"{self.name}: unreadable query result ({media}): {e}",
                             "unreadable result from the store") from e
        raise StoreError(f"{self.name}: unexpected result type {ctype!r} from {self.query_url}",
                         "unexpected result from the store")

    @contextlib.contextmanager
    def open_query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = False,
        timeout: float | None = None,
    ) -> Iterator[QuerySolutions | QueryBoolean | Iterator[Triple]]:
        """Streams the result over a connection of its own (always the keep-alive-less
        ``http.client``, whatever ``client``), closed on leaving the block."""
        virtuoso = self._virtuoso
        if virtuoso:
            _virtuoso_guard(sparql)
        url = self.query_url if virtuoso else self._query_url(union_default_graph)
        parts = urlsplit(url)
        secs = timeout if timeout is not None else self.timeout
        deadline = time.monotonic() + secs
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = cls(parts.netloc, timeout=secs)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        graph = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        headers = {"Content-Type": _FORM if virtuoso else "application/sparql-query",
                   "Accept": N_TRIPLES if graph else SPARQL_JSON}
        payload = _form(("query", sparql), *self._dataset(sparql, union_default_graph)) \
            if virtuoso else sparql.encode()
        timed_out = QueryTimeoutError(
            f"{self.name}: query timed out after {secs}s ({url})",
            f"query timed out after {secs:g} s",
        )
        reader: _DeadlineReader | None = None
        try:
            try:
                conn.request("POST", target, body=payload, headers=headers)
                resp = conn.getresponse()
                reader = _DeadlineReader(resp, conn, deadline)
                if resp.status >= 300:
                    self._check(resp.status, reader.read()[:65536], url, "query", sparql)
                media = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
                results_format = QueryResultsFormat.from_media_type(media) if media else None
                rdf_format = RdfFormat.from_media_type(media) if media else None
                if results_format is not None:
                    source = _FixedJson(reader) if virtuoso and media == SPARQL_JSON else reader
                    result: object = ox.parse_query_results(source, results_format)
                elif rdf_format is not None:
                    result = (q.triple for q in ox.parse(reader, rdf_format))
                else:
                    raise StoreError(f"{self.name}: unexpected result type {media!r} from {url}",
                                     "unexpected result from the store")
            except TimeoutError as e:
                raise timed_out from e
            except (OSError, http.client.HTTPException) as e:
                if reader is not None and reader.timed_out:
                    raise timed_out from e
                raise StoreError(f"{self.name}: query failed: cannot reach {url}: {e}",
                                 "the store cannot be reached") from e
            except (SyntaxError, ValueError) as e:
                if reader is not None and (reader.timed_out or reader.cancelled):
                    raise timed_out from e
                raise StoreError(f"{self.name}: unreadable query result: {e}",
                                 "unreadable result from the store") from e
            try:
                yield result  # type: ignore[misc]
            except (SyntaxError, ValueError, OSError, http.client.HTTPException) as e:
                if reader.timed_out or reader.cancelled or isinstance(e, TimeoutError):
                    raise timed_out from e
                raise StoreError(f"{self.name}: unreadable query result: {e}",
                                 "unreadable result from the store") from e
        finally:
            conn.close()

    def update(self, sparql: str) -> None:
        """Virtuoso: the operations of one request are committed one by one (see the notes
        above this class); ``replace_graphs`` and ``drop_graphs`` do not rely on them."""
        url = self.update_url
        if self._virtuoso:
            params = self._dataset(sparql, False, update=True)
            if params:
                sep = "&" if "?" in url else "?"
                url += sep + _form(*params).decode()
        self._send(url, "update", sparql.encode(), "application/sparql-update", sparql=sparql)

    def _write(self, sparql: str) -> None:
        """An update of ours (every quad in a named graph): no dataset parameters."""
        self._send(self.update_url, "update", sparql.encode(), "application/sparql-update",
                   sparql=sparql)

    # -- graphs
    def graph(self, name: str) -> list[Triple]:
        g = _graph_iri(name)
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}")
        assert isinstance(result, list)
        return result

    def graph_names(self) -> list[str]:
        if self._virtuoso:
            return sorted(g for g in self._virtuoso_graphs()
                          if g != self.default_graph and not g.startswith(_STAGING))
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")
        return sorted(r["g"].value for r in rows if isinstance(r.get("g"), NamedNode))

    def _virtuoso_graphs(self) -> list[str]:
        """Every graph holding a triple the SPARQL user may read (Virtuoso keeps no empty
        graphs and matches none with GRAPH ?g {}; it answers SELECT DISTINCT ?g from a list
        of its own that ignores graph permissions, so GROUP BY)."""
        rows = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return [r["g"].value for r in rows if isinstance(r.get("g"), NamedNode)]

    def has_graph(self, name: str) -> bool:
        if self._virtuoso:
            return bool(self.query(f"ASK {{ GRAPH {_graph_iri(name)} {{ ?s ?p ?o }} }}"))
        return bool(self.query(f"ASK {{ GRAPH {_graph_iri(name)} {{}} }}"))

    def replace_graphs(self, graphs: Mapping[str, Iterable[Triple]]) -> None:
        """Virtuoso: one request writes the new triples into fresh staging graphs, then swaps
        them in with ONE DELETE/INSERT operation (every target emptied, the staging graphs
        moved into them), so the targets change all at once or not at all; if the request
        fails, the staging graphs are dropped."""
        if not self._virtuoso:
            super().replace_graphs(graphs)
            return
        import uuid

        content: dict[str, list[Triple]] = {}
        for name, triples in graphs.items():
            g = str(_graph_iri(name))
            items = list(triples)
            for t in items:
                if not isinstance(t, Triple):
                    raise StoreError(f"graph {g}: expected a pyoxigraph Triple, got {t!r}")
            content[g] = items
        if not content:
            return
        token = uuid.uuid4().hex
        stage = {g: f"{_STAGING}{token}/{i}" for i, g in enumerate(content) if content[g]}
        ops = _virtuoso_inserts({s: content[g] for g, s in stage.items()})
        ops.append(_virtuoso_swap([(g, None) for g in content]
                                  + [(f"<{s}>", g) for g, s in stage.items()]))
        try:
            self._write(" ;\n".join(ops))
        except StoreError:
            if stage:
                with contextlib.suppress(StoreError):
                    self._write(" ;\n".join(f"DROP SILENT GRAPH <{s}>" for s in stage.values()))
            raise

    def drop_graphs(self, names: Iterable[str]) -> None:
        """Virtuoso: ONE DELETE operation (see ``replace_graphs``)."""
        if self._virtuoso:
            self.replace_graphs({name: [] for name in names})
        else:
            super().drop_graphs(names)

    # -- bulk
    def bulk_load(
        self, source: Path | bytes, format: RdfFormat, to_graph: str | None = None,
        *, trusted: bool = False,
    ) -> None:
        """Triple formats with a Graph Store URL: one streamed Graph Store Protocol POST.
        Otherwise the data is parsed locally and sent as INSERT DATA chunks."""
        _check_load(format, to_graph)
        if self.graph_store_url and not format.supports_datasets:
            sep = "&" if "?" in self.graph_store_url else "?"
            if to_graph is None and self._virtuoso:
                to_graph = self.default_graph
            target = f"graph={quote(str(_graph_iri(to_graph)).strip('<>'), safe='')}" \
                if to_graph is not None else "default"
            url = f"{self.graph_store_url}{sep}{target}"
            what = f"bulk load of {_src(source)}"
            if isinstance(source, bytes | bytearray):
                self._send(url, what, bytes(source), format.media_type)
            else:
                path = Path(source)
                with path.open("rb") as f:
                    self._send(url, what, f, format.media_type, length=path.stat().st_size)
            return
        try:
            if isinstance(source, bytes | bytearray):
                parsed = ox.parse(bytes(source), format)
            else:
                parsed = ox.parse(format=format, path=str(source))
            if to_graph is not None:
                g = _graph_iri(to_graph)
                parsed = (Quad(q.subject, q.predicate, q.object, g) for q in parsed)
            self.bulk_extend(parsed)
        except (SyntaxError, OSError, ValueError) as e:
            raise StoreError(f"{self.name}: bulk load of {_src(source)} failed: {e}") from e

    def bulk_extend(self, quads: Iterable[Quad]) -> None:
        """INSERT DATA in chunks of ``chunk_size`` quads. Blank node labels are scoped to one
        request, so once a blank node is seen the rest is sent as a single request.
        Virtuoso: triples without blank nodes go as they come, those with blank nodes at the
        end, in templates grouping the triples they link (see the notes above this class)."""
        if self._virtuoso:
            self._virtuoso_extend(quads)
            return
        buf: list[Quad] = []
        blank = False
        for q in quads:
            buf.append(q)
            if not blank and (isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode)):
                blank = True
            if len(buf) >= self.chunk_size and not blank:
                self.update(_insert_data(buf))
                buf = []
        if buf:
            self.update(_insert_data(buf))

    def _virtuoso_extend(self, quads: Iterable[Quad]) -> None:
        plain: dict[str, list[Triple]] = {}
        special: dict[str, list[Triple]] = {}
        count = 0
        for q in quads:
            if not isinstance(q, Quad):
                raise StoreError(f"expected a pyoxigraph Quad, got {q!r}")
            g = q.graph_name
            if isinstance(g, DefaultGraph):
                key = self.default_graph
            elif isinstance(g, NamedNode):
                key = g.value
            else:
                raise StoreError("blank-node graph names are not supported")
            t = q.triple
            if isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode):
                special.setdefault(key, []).append(t)
                continue
            plain.setdefault(key, []).append(t)
            count += 1
            if count >= self.chunk_size:
                self._write(" ;\n".join(_virtuoso_inserts(plain)))
                plain, count = {}, 0
        if plain:
            self._write(" ;\n".join(_virtuoso_inserts(plain)))
        if special:
            self._write(" ;\n".join(_virtuoso_inserts(special)))

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """Streams the quads over a dedicated connection (SPARQL SELECT, JSON results).
        Virtuoso: one CONSTRUCT a graph, as N-Triples (its JSON writer is ten times slower;
        its blank node labels are the same in every answer)."""
        if self._virtuoso:
            return self._virtuoso_quads(graph)
        if graph is not None:
            g = _graph_iri(graph)
            sparql = f"SELECT ?s ?p ?o WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}"
        else:
            g = None
            sparql = (
                "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
            )
        return self._stream_quads(sparql, g)

    def _virtuoso_quads(self, graph: str | None) -> Iterator[Quad]:
        if graph is not None:
            names = [_graph_iri(graph).value]
        else:
            names = [g for g in self._virtuoso_graphs() if not g.startswith(_STAGING)]
        for name in names:
            g = NamedNode(name)
            sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}"
            yield from self._stream_quads(
                sparql, DefaultGraph() if name == self.default_graph else g)

    def _stream_quads(self, sparql: str, g: NamedNode | DefaultGraph | None) -> Iterator[Quad]:
        parts = urlsplit(self.query_url)
        virtuoso = self._virtuoso
        conn = self._http.connect(parts.scheme, parts.netloc)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if virtuoso:  # a CONSTRUCT of one graph (_virtuoso_quads)
            body, ctype, accept = _form(("query", sparql)), _FORM, N_TRIPLES
        else:
            body, ctype, accept = sparql.encode(), "application/sparql-query", SPARQL_JSON
        try:
            try:
                conn.request("POST", target, body=body, headers={
                    "Content-Type": ctype, "Accept": accept})
                resp = conn.getresponse()
            except (OSError, http.client.HTTPException) as e:
                raise StoreError(f"{self.name}: cannot reach {self.query_url}: {e}") from e
            if resp.status >= 300:
                self._check(resp.status, resp.read(), self.query_url, "quads")
            try:
                if virtuoso:
                    assert g is not None
                    for q in ox.parse(resp, RdfFormat.N_TRIPLES):
                        yield Quad(q.subject, q.predicate, q.object, g)
                    return
                for sol in ox.parse_query_results(resp, QueryResultsFormat.JSON):
                    graph_name = g if g is not None else (sol["g"] or DefaultGraph())
                    yield Quad(sol["s"], sol["p"], sol["o"], graph_name)
            except (SyntaxError, OSError, ValueError) as e:
                raise StoreError(f"{self.name}: reading quads failed: {e}") from e
        finally:
            conn.close()

    def __len__(self) -> int:
        if self._virtuoso:
            rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        else:
            rows = self.query(
                "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
            )
        return int(rows[0]["n"].value)

    def clear(self) -> None:
        """Virtuoso: DROP ALL does nothing there; every graph is dropped by name, a few
        hundred a request (not atomic)."""
        if not self._virtuoso:
            self.update("DROP ALL")
            return
        names = self._virtuoso_graphs()
        for i in range(0, len(names), _VIRTUOSO_DROPS):
            self._write(" ;\n".join(f"DROP SILENT GRAPH <{g}>"
                                     for g in names[i:i + _VIRTUOSO_DROPS]))

    def close(self) -> None:
        self._http.close()


# --------------------------------------------------------------------------- factory


def open_store(
    data_dir: Path,
    remote_url: str | None = None,
    *,
    update_url: str | None = None,
    graph_store_url: str | None = None,
    timeout: float = 60.0,
) -> Store:
    """Open the catalog store.

    Without ``remote_url``: embedded Oxigraph in ``data_dir / "store"``. With a base URL
    (no path, e.g. ``http://127.0.0.1:7878``): an Oxigraph server (``/query``, ``/update``,
    ``/store``). With any other URL: that SPARQL endpoint for queries, and for updates unless
    ``update_url`` is given (e.g. Virtuoso ``http://host:8890/sparql``); the first operation
    asks the server which it is (``RemoteStore`` dialect ``"auto"``), so Virtuoso is
    recognised and gets its dialect (docs/deployment.md).
    """
    if remote_url is None:
        return EmbeddedStore(Path(data_dir) / "store")
    if urlsplit(remote_url).path in ("", "/") and update_url is None and graph_store_url is None:
        return RemoteStore.from_base_url(remote_url, timeout=timeout)
    return RemoteStore(remote_url, update_url, graph_store_url, timeout=timeout)
