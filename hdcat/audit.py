"""The audit chain: every write appends an entry (actor, time, action, graph, the content hash
of the graph after the change, the previous entry's hash), so a change made behind the
application's back (a triple added to DATA/store directly) is found by `hdcat audit verify`.

Content hashes are canonical: triple order and blank-node labels do not change them, and
literals are compared by value the way the store keeps them (Oxigraph stores `"05"^^xsd:
nonNegativeInteger` as `"5"^^xsd:integer`), so a hash taken of what was written equals the
hash of what the store gives back.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import itertools
import json
import math
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox

from hdcat.state import PrivateState, now
from hdcat.terms import ntriples_text

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    graph TEXT NOT NULL,
    content TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_graph ON audit(graph, seq);
"""
GENESIS = "0" * 64
EMPTY = hashlib.sha256(b"").hexdigest()

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in (
    "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte")}
_FLOATS = {_XSD + "double", _XSD + "float"}

_who: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar(
    "hdcat_audit_actor", default=("system", "write"))


@contextlib.contextmanager
def acting(actor: str, action: str) -> Iterator[None]:
    """Attribute the writes made inside the block to `actor` doing `action`."""
    token = _who.set((actor, action))
    try:
        yield
    finally:
        _who.reset(token)


def set_actor(actor: str, action: str) -> None:
    """Attribute the writes of this context from now on (a command-line run)."""
    _who.set((actor, action))


def _literal_key(lit: ox.Literal) -> str:
    datatype = lit.datatype.value
    value = lit.value
    try:
        if datatype in _INTEGERS:
            return f'"{int(value)}"^^<{_XSD}integer>'
        if datatype == _XSD + "decimal":
            number = Decimal(value)
            if number.is_finite():
                return f'"{number.normalize():f}"^^<{datatype}>'
        if datatype in _FLOATS:
            number = float(value)
            if math.isfinite(number):
                return f'"{number!r}"^^<{datatype}>'
        if datatype == _XSD + "boolean":
            return f'"{value.strip() in ("true", "1")}"^^<{datatype}>'
        if datatype == _XSD + "dateTime":
            stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return f'"{stamp.isoformat()}"^^<{datatype}>'
    except (ValueError, InvalidOperation):
        pass
    return str(lit)


_KEYED = _INTEGERS | _FLOATS | {_XSD + "decimal", _XSD + "boolean", _XSD + "dateTime"}
"""Datatypes whose literals are keyed by value (see _literal_key); others by their text."""


_TYPED = '"^^<' + _XSD
"""Where a literal of an XML Schema datatype ends and its datatype begins, in N-Triples."""


def content_hash(triples: Iterable[ox.Triple]) -> str:
    """The canonical SHA-256 of a graph's triples (empty graph: EMPTY): the sorted distinct
    N-Triples lines, each literal of a datatype in _KEYED written by its value."""
    triples = list(triples)
    if not triples:
        return EMPTY
    lines = _serialised_lines(triples) or _lines_one_by_one(triples)
    if lines is None:
        return _blank_node_hash(triples)
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def _serialised_lines(triples: list[ox.Triple]) -> set[str] | None:
    """The lines of content_hash read off one native serialisation (terms.ntriples_text),
    the keyed literals found by their datatype at a line's end; None when that cannot tell:
    blank nodes (or a literal that looks like one), graph names, a keyed literal whose
    lexical form has escapes."""
    try:
        text = ntriples_text(triples)
    except ValueError:  # quads
        return None
    if "_:" in text:
        return None
    lines = set(text.split("\n")[:-1])  # the text ends with a line break
    at = text.find(_TYPED)
    while at != -1:
        end = text.find(">", at)
        datatype = text[at + 4 : end]
        # Only an object's own datatype is followed by the end of its line (inside a literal
        # a quote is escaped and so is a line break).
        if datatype in _KEYED and text.startswith("> .\n", end):
            start = text.rfind("\n", 0, at) + 1
            opening = text.find(' "', start)
            lexical = text[opening + 2 : at]
            if "\\" in lexical or text.count(" ", start, opening) != 1:
                return None
            lines.discard(text[start : end + 3])
            value = _literal_key(ox.Literal(lexical, datatype=ox.NamedNode(datatype)))
            lines.add(f"{text[start:opening]} {value} .")
        at = text.find(_TYPED, at + 1)
    return lines


def _lines_one_by_one(triples: list[ox.Triple]) -> set[str] | None:
    """The lines of content_hash, written triple by triple; None if there are blank nodes."""
    blank = ox.BlankNode
    literal = ox.Literal
    quad = ox.Quad
    lines = set()
    add = lines.add
    for t in triples:
        o = t.object
        if isinstance(t.subject, blank) or isinstance(o, blank):
            return None
        if isinstance(o, literal) and o.datatype.value in _KEYED:
            add(f"{t.subject} {t.predicate} {_literal_key(o)} .")
        else:  # a quad would print its graph name
            add(f"{t.triple if type(t) is quad else t} .")
    return lines


def _blank_node_hash(triples: list[ox.Triple]) -> str:
    """Blank nodes relabelled canonically (rdflib's RGDA1) before hashing."""
    from rdflib import BNode, Graph, URIRef
    from rdflib import Literal as RdfLiteral
    from rdflib.compare import to_canonical_graph

    def term(node: object) -> object:
        if isinstance(node, ox.BlankNode):
            return BNode(node.value)
        if isinstance(node, ox.NamedNode):
            return URIRef(node.value)
        return RdfLiteral(_literal_key(node))  # the value key stands for the literal

    graph = Graph()
    for t in triples:
        graph.add((term(t.subject), URIRef(t.predicate.value), term(t.object)))
    lines = sorted(line for line in to_canonical_graph(graph).serialize(format="nt").splitlines()
                   if line.strip())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def entry_hash(seq: int, at: str, actor: str, action: str, graph: str, content: str,
               prev: str) -> str:
    text = "\x1f".join((str(seq), at, actor, action, graph, content, prev))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    graph: str
    content: str
    prev: str
    hash: str


@dataclass
class Problem:
    """Something `verify` found: a broken chain link or a graph that differs from its log."""

    kind: str
    """'chain', 'changed', 'unrecorded' or 'missing'."""
    subject: str
    detail: str


class WriteIntents:
    """The graphs hdcat is about to write, noted in a folder (DATA/audit-intents) before the
    store write and removed once their audit entries are committed. A process killed between
    the two leaves its note behind, and `AuditLog.recover` appends the missing entries, so
    `audit verify` does not take the interrupted write for a change made outside hdcat.
    The notes of a live process (another web worker on the same folder, another catalog of
    this process) are its writes in flight, and left alone."""

    _live: ClassVar[set[str]] = set()
    """The names (`{pid}-{n}`) of the open WriteIntents of this process."""
    _made: ClassVar[Iterator[int]] = itertools.count(1)

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = f"{os.getpid()}-{next(WriteIntents._made)}"
        self._open: dict[frozenset[str], list[Path]] = {}
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        WriteIntents._live.add(self.name)

    def close(self) -> None:
        """This catalog writes no more: its notes left now are of interrupted writes."""
        WriteIntents._live.discard(self.name)

    def note(self, names: Iterable[str]) -> None:
        names = list(dict.fromkeys(names))
        if not names:
            return
        actor, action = _who.get()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.name}-{next(self._numbers)}.json"
        path.write_text(json.dumps({"actor": actor, "action": action, "graphs": names}),
                        encoding="utf-8")
        with self._lock:
            self._open.setdefault(frozenset(names), []).append(path)

    def settle(self, names: Iterable[str]) -> Callable[[], None]:
        """What removes the note of the write of these graphs (to run once its audit entries
        are committed). The catalog tells its listeners of the same graphs it noted."""
        key = frozenset(names)
        with self._lock:
            paths = self._open.get(key, [])
            found = paths.pop(0) if paths else None
            if not paths:
                self._open.pop(key, None)

        def remove() -> None:
            if found is not None:
                found.unlink(missing_ok=True)

        return remove

    def left(self) -> list[tuple[Path, dict]]:
        """The notes left by writes whose audit entries never came (a killed process)."""
        if not self.folder.is_dir():
            return []
        with self._lock:
            mine = {p for paths in self._open.values() for p in paths}
        out: list[tuple[Path, dict]] = []
        for path in sorted(self.folder.glob("*.json")):
            if path in mine or _in_flight(path.name):
                continue
            try:
                out.append((path, json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError):  # a note cut short by the kill: nothing written yet
                out.append((path, {"graphs": []}))
        return out


def _in_flight(note: str) -> bool:
    """Whether a note is of a live writer: an open catalog of this process, or another
    process that is still running."""
    pid_text, _sep, rest = note.partition("-")
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return f"{pid}-{rest.rsplit('-', 1)[0]}" in WriteIntents._live
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


class AuditLog:
    """The audit chain in the private state."""

    def __init__(self, state: PrivateState) -> None:
        self.state = state
        state.ensure(SCHEMA)

    def recover(self, intents: WriteIntents,
                graph: Callable[[str], list[ox.Triple]]) -> list[str]:
        """Append the entries of interrupted writes (`graph(name)`: the graph as stored):
        for each graph noted in a left-over intent whose stored content is not what its last
        entry says, an entry for what is stored. Returns the graphs so recorded."""
        left = intents.left()
        recorded: list[str] = []
        for path, note in left:
            items = []
            for name in note.get("graphs", []):
                content = content_hash(graph(name))
                row = self.state.rows("SELECT content FROM audit WHERE graph = ?"
                                      " ORDER BY seq DESC LIMIT 1", (name,))
                last = row[0]["content"] if row else EMPTY
                if content != last:
                    items.append((name, content))
            if items:
                self.append(items, actor=note.get("actor") or "system",
                            action=f"{note.get('action') or 'write'} (interrupted)")
                recorded += [name for name, _c in items]
            path.unlink(missing_ok=True)
        return recorded

    def append(self, items: Iterable[tuple[str, str]], actor: str | None = None,
               action: str | None = None) -> None:
        """Append one entry per (graph, content hash), in one transaction."""
        who, what = _who.get()
        actor, action = actor or who, action or what
        items = list(items)
        if not items:
            return
        with self.state.locked(write=True) as db:
            row = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (row[0], row[1]) if row else (0, GENESIS)
            at = now()
            rows = []
            for graph, content in items:
                seq += 1
                digest = entry_hash(seq, at, actor, action, graph, content, prev)
                rows.append((seq, at, actor, action, graph, content, prev, digest))
                prev = digest
            db.executemany("INSERT INTO audit (seq, at, actor, action, graph, content, prev,"
                           " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def on_write(self, graphs: dict[str, list[ox.Triple]]) -> None:
        """A catalog write listener: one entry per graph written (empty: removed)."""
        self.append((iri, content_hash(triples)) for iri, triples in graphs.items())

    def recent(self, limit: int = 100) -> list[Entry]:
        """The last `limit` entries, newest first."""
        return [Entry(**row) for row in self.state.rows(
            "SELECT * FROM audit ORDER BY seq DESC LIMIT ?", (limit,))]

    def trail(self, graph: str) -> list[Entry]:
        return [Entry(**row) for row in self.state.rows(
            "SELECT * FROM audit WHERE graph = ? ORDER BY seq", (graph,))]

    def latest(self) -> dict[str, str]:
        """Graph -> the content hash its last entry recorded."""
        rows = self.state.rows(
            "SELECT graph, content FROM audit WHERE seq IN"
            " (SELECT MAX(seq) FROM audit GROUP BY graph)")
        return {row["graph"]: row["content"] for row in rows}

    def verify_chain(self) -> list[Problem]:
        problems: list[Problem] = []
        prev = GENESIS
        expected_seq = None
        with self.state.locked() as db:
            for row in db.execute("SELECT seq, at, actor, action, graph, content, prev, hash"
                                  " FROM audit ORDER BY seq"):
                seq, at, actor, action, graph, content, linked, digest = row
                if expected_seq is not None and seq != expected_seq:
                    problems.append(Problem("chain", f"entry {seq}",
                                            f"entries {expected_seq}..{seq - 1} are missing"))
                if linked != prev:
                    problems.append(Problem("chain", f"entry {seq}",
                                            "does not link to the entry before it"))
                if entry_hash(seq, at, actor, action, graph, content, linked) != digest:
                    problems.append(Problem("chain", f"entry {seq}",
                                            f"was altered (graph {graph})"))
                prev = digest
                expected_seq = seq + 1
        return problems

    def verify(self, store_graphs: Iterable[tuple[str, list[ox.Triple]]]) -> list[Problem]:
        """The chain's own integrity, then every graph of the store against its last entry."""
        problems = self.verify_chain()
        recorded = self.latest()
        seen: set[str] = set()
        for graph, triples in store_graphs:
            seen.add(graph)
            expected = recorded.get(graph)
            actual = content_hash(triples)
            if expected is None:
                problems.append(Problem("unrecorded", graph,
                                        "is in the store but was never written by hdcat"))
            elif expected != actual:
                problems.append(Problem("changed", graph,
                                        "differs from what hdcat last wrote"))
        for graph, content in recorded.items():
            if graph.startswith("account:"):
                continue  # role changes: in the chain, not in the store
            if graph not in seen and content != EMPTY:
                problems.append(Problem("missing", graph,
                                        "was removed from the store outside hdcat"))
        return problems
