"""Private state in SQLite (DATA/private.sqlite): what must never reach the public graph.

Harvest sources, runs and what each source last delivered live here (drafts, users, audit
and counters join them in later issues). Nothing here is reachable through SPARQL.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS harvest_source (
    name TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    strict INTEGER NOT NULL DEFAULT 0,
    publisher TEXT,
    schedule TEXT,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS harvest_run (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL REFERENCES harvest_source(name),
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL,
    report TEXT
);
CREATE TABLE IF NOT EXISTS harvested (
    source TEXT NOT NULL,
    dataset TEXT NOT NULL,
    record TEXT NOT NULL,
    hash TEXT NOT NULL,
    original TEXT NOT NULL,
    last_run INTEGER NOT NULL,
    PRIMARY KEY (source, dataset)
);
CREATE INDEX IF NOT EXISTS harvested_dataset ON harvested(dataset);
CREATE TABLE IF NOT EXISTS harvest_page (
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    digest TEXT NOT NULL,
    datasets TEXT NOT NULL,
    PRIMARY KEY (source, url)
);
CREATE TABLE IF NOT EXISTS dataset_key (
    key TEXT PRIMARY KEY,
    dataset TEXT NOT NULL
);
"""


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class Source:
    name: str
    url: str
    kind: str
    strict: bool = False
    publisher: str | None = None
    schedule: str | None = None
    created: str = ""


@dataclass
class Run:
    id: int
    source: str
    started: str
    finished: str | None
    status: str
    report: dict


def open_sqlite(path: Path, timeout: float = 30.0) -> sqlite3.Connection:
    """A connection to one of the data folder's SQLite files, as every module opens them:
    usable from any thread (callers hold their own lock), autocommit (transactions are
    explicit), WAL with synchronous=NORMAL, waiting up to `timeout` s for a lock."""
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None,
                           timeout=timeout)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    return conn


class PrivateState:
    """The private SQLite database of a data folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = open_sqlite(path)
        self._db.executescript(SCHEMA)
        self._lock = threading.RLock()
        self._after_commit: list[Callable[[], None]] = []

    def close(self) -> None:
        with self._lock:  # not under a statement of another thread
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group the statements of a block in one transaction (one harvested page): fewer
        commits, and a run killed mid-page leaves the state as before that page."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                self._after_commit.clear()
                raise
            self._db.execute("COMMIT")
            self._committed()

    @contextmanager
    def locked(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """The connection, held for this thread; with `write`, inside a write transaction
        taken at once (BEGIN IMMEDIATE) for read-then-write steps no other thread or process
        may interleave (counters). Inside a transaction already open here, it joins that one."""
        with self._lock:
            if not write or self._db.in_transaction:
                yield self._db
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                self._after_commit.clear()
                raise
            self._db.execute("COMMIT")
            self._committed()

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once what this connection wrote is committed: now, or at the end of
        the transaction open here (never, if it is rolled back)."""
        with self._lock:
            if self._db.in_transaction:
                self._after_commit.append(action)
                return
        action()

    def _committed(self) -> None:
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()

    def _exec(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, params)

    # ------------------------------------------------ for the modules that own tables here

    @classmethod
    def of(cls, data_dir: Path) -> PrivateState:
        """The private state of a data folder."""
        return cls(Path(data_dir) / "private.sqlite")

    def ensure(self, schema: str) -> None:
        """Create a module's tables (statements of `CREATE ... IF NOT EXISTS`)."""
        with self._lock:
            self._db.executescript(schema)

    def execute(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        return self._exec(sql, params)

    def rows(self, sql: str, params: tuple = ()) -> list[dict]:
        """The rows of a query as dicts keyed by column name."""
        with self._lock:
            cursor = self._db.execute(sql, params)
            names = [d[0] for d in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # ---------------------------------------------------------------- sources

    def add_source(self, source: Source) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO harvest_source (name, url, kind, strict, publisher, schedule, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET url=excluded.url, kind=excluded.kind,"
                " strict=excluded.strict, publisher=excluded.publisher,"
                " schedule=excluded.schedule",
                (source.name, source.url, source.kind, int(source.strict), source.publisher,
                 source.schedule, source.created or now()),
            )

    def sources(self) -> list[Source]:
        rows = self._exec(
            "SELECT name, url, kind, strict, publisher, schedule, created FROM harvest_source"
            " ORDER BY name"
        ).fetchall()
        return [Source(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6]) for r in rows]

    def source(self, name: str) -> Source | None:
        return next((s for s in self.sources() if s.name == name), None)

    # ---------------------------------------------------------------- runs

    def start_run(self, source: str) -> int:
        with self._lock:
            # A run left "running" was killed: say so, its work is redone by the next run.
            self._db.execute(
                "UPDATE harvest_run SET status='interrupted', finished=? "
                "WHERE source=? AND status='running'",
                (now(), source),
            )
            cur = self._db.execute(
                "INSERT INTO harvest_run (source, started, status) VALUES (?, ?, 'running')",
                (source, now()),
            )
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, status: str, report: dict) -> None:
        self._exec(
            "UPDATE harvest_run SET finished=?, status=?, report=? WHERE id=?",
            (now(), status, json.dumps(report, ensure_ascii=False), run_id),
        )

    def runs(self, source: str, limit: int = 20) -> list[Run]:
        rows = self._exec(
            "SELECT id, source, started, finished, status, report FROM harvest_run"
            " WHERE source=? ORDER BY id DESC LIMIT ?",
            (source, limit),
        ).fetchall()
        return [Run(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]) if r[5] else {}) for r in rows]

    def last_started(self) -> dict[str, str]:
        """Source name -> when its latest run started (without reading any report)."""
        rows = self._exec(
            "SELECT source, started FROM harvest_run WHERE id IN"
            " (SELECT MAX(id) FROM harvest_run GROUP BY source)").fetchall()
        return {r[0]: r[1] for r in rows}

    # ---------------------------------------------------------------- what sources delivered

    def delivered(self, source: str, dataset: str) -> tuple[str, str] | None:
        """(content hash, record IRI) of what `source` last delivered for `dataset`."""
        row = self._exec(
            "SELECT hash, record FROM harvested WHERE source=? AND dataset=?", (source, dataset)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def remember(self, source: str, dataset: str, record: str, digest: str, original: str,
                 run_id: int) -> None:
        self._exec(
            "INSERT INTO harvested (source, dataset, record, hash, original, last_run)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(source, dataset) DO UPDATE SET"
            " record=excluded.record, hash=excluded.hash, original=excluded.original,"
            " last_run=excluded.last_run",
            (source, dataset, record, digest, original, run_id),
        )

    def touch(self, source: str, dataset: str, run_id: int) -> None:
        self._exec("UPDATE harvested SET last_run=? WHERE source=? AND dataset=?",
                   (run_id, source, dataset))

    def page_delivered(self, source: str, url: str, digest: str) -> list[list[str]] | None:
        """[dataset, content hash] of every dataset a page of `source` delivered when its
        content had this digest, if that is what was last noted for the page."""
        row = self._exec("SELECT datasets FROM harvest_page WHERE source=? AND url=? AND"
                         " digest=?", (source, url, digest)).fetchone()
        return json.loads(row[0]) if row else None

    def remember_page(self, source: str, url: str, digest: str,
                      datasets: list[tuple[str, str]]) -> None:
        """Note what a page delivered when its content had this digest."""
        self._exec(
            "INSERT INTO harvest_page (source, url, digest, datasets) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(source, url) DO UPDATE SET digest=excluded.digest,"
            " datasets=excluded.datasets",
            (source, url, digest, json.dumps(datasets, ensure_ascii=False)),
        )

    def forget_page(self, source: str, url: str) -> None:
        self._exec("DELETE FROM harvest_page WHERE source=? AND url=?", (source, url))

    def touch_delivered(self, source: str, datasets: list[list[str]], run_id: int) -> bool:
        """Mark each [dataset, content hash] as delivered again in run `run_id`; whether
        every one was still noted with that hash (if not, the caller does the page the long
        way, which notes everything anew)."""
        with self._lock:
            before = self._db.total_changes
            self._db.executemany(
                "UPDATE harvested SET last_run=? WHERE source=? AND dataset=? AND hash=?",
                [(run_id, source, dataset, digest) for dataset, digest in datasets])
            return self._db.total_changes - before == len(datasets)

    def stale(self, source: str, run_id: int) -> list[tuple[str, str]]:
        """(dataset, record) that `source` delivered before but not in run `run_id`."""
        rows = self._exec(
            "SELECT dataset, record FROM harvested WHERE source=? AND last_run<>?",
            (source, run_id),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def forget(self, source: str, dataset: str) -> None:
        self._exec("DELETE FROM harvested WHERE source=? AND dataset=?", (source, dataset))

    def sources_of(self, dataset: str) -> list[str]:
        rows = self._exec("SELECT source FROM harvested WHERE dataset=? ORDER BY source",
                          (dataset,)).fetchall()
        return [r[0] for r in rows]

    # ---------------------------------------------------------------- one dataset, many sources

    def dataset_for_keys(self, keys: list[str]) -> str | None:
        for key in keys:
            row = self._exec("SELECT dataset FROM dataset_key WHERE key=?", (key,)).fetchone()
            if row:
                return row[0]
        return None

    def claim_keys(self, keys: list[str], dataset: str) -> None:
        for key in keys:
            self._exec("INSERT OR IGNORE INTO dataset_key (key, dataset) VALUES (?, ?)",
                       (key, dataset))
