"""Use and sharing counters: landing-page views, RDF retrievals, downloads, access-link
clicks, citation exports, API retrievals and harvests of the feeds, without personal data.

* A visitor is a keyed hash (HMAC-SHA256) of the client address and user agent. The key lives
  in DATA/usage-keys/, is replaced every day (UTC) and the old one is deleted, so no
  raw address is ever stored and yesterday's visitors cannot be told from today's.
* A visitor's repeated hits on one target within `window` seconds count once; the
  pseudonymous "last counted" rows are deleted once their window has passed.
* Known robots (search engines, crawlers, link checkers, previewers, monitors, headless
  browsers, and requests with no user agent) are not counted.
* Counts are kept per day, target and kind in private state (DATA/private.sqlite); targets
  are dataset IRIs, or "" for catalog-wide kinds (api, harvest). Per publisher and per
  creator they are aggregated through the records' facts kept by hdcat.quality.
* `publish` writes the per-dataset totals to the public graph as schema.org
  InteractionCounters, `{record IRI}#usage` (catalog-wide ones in `urn:hdcat:graph:usage`),
  rewriting only what changed since the last publication.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from hdcat import queries
from hdcat.audit import content_hash
from hdcat.quality import SCHEMA as QUALITY_SCHEMA
from hdcat.quality import shared_volume
from hdcat.state import PrivateState
from hdcat.store import nquads

if TYPE_CHECKING:
    from hdcat.catalog import Catalog

SDO = "http://schema.org/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
GRAPH_USAGE = "urn:hdcat:graph:usage"
USAGE_SUFFIX = "#usage"
CATALOG = ""
"""The target of catalog-wide counts (API retrievals, harvests)."""


@dataclass(frozen=True)
class Kind:
    """What one counter counts."""

    key: str
    zh: str
    en: str
    action: str | None
    """The schema.org action type of its InteractionCounter (None: not published as RDF)."""
    per_dataset: bool = True

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


KINDS: tuple[Kind, ...] = (
    Kind("view", "页面浏览", "Landing-page views", "ViewAction"),
    Kind("download", "下载", "Downloads", "DownloadAction"),
    Kind("access", "访问链接点击", "Access-link clicks", "UseAction"),
    Kind("rdf", "RDF 获取", "RDF retrievals", "ReadAction"),
    Kind("cite", "引文导出", "Citation exports", None),
    Kind("api", "API 与 SPARQL 获取", "API and SPARQL retrievals", "ReadAction", False),
    Kind("harvest", "目录订阅源采集", "Harvests of the catalog feeds", "DownloadAction", False),
)
KIND = {k.key: k for k in KINDS}
DATASET_KINDS = tuple(k.key for k in KINDS if k.per_dataset)

ROBOTS = re.compile(
    r"bot\b|bot/|bot;|robot|crawl|spider|slurp|archiver|ia_archiver|scrap|"
    r"facebookexternalhit|facebookcatalog|embedly|quora link preview|outbrain|pinterest|"
    r"vkshare|whatsapp|telegrambot|skypeuripreview|slack|discord|preview|"
    r"w3c_validator|validator|linkcheck|link-check|checklink|monitor|uptime|pingdom|"
    r"statuscake|site24x7|newrelic|datadog|lighthouse|pagespeed|gtmetrix|headless|"
    r"phantomjs|selenium|puppeteer|playwright|nutch|heritrix|httrack|wget|"
    r"yandex|baidu|sogou|bingpreview|petalsearch|bytespider|applebot|seznam|"
    r"mediapartners|adsbot|feedfetcher|google-read-aloud|python-urllib|hdcat-linkcheck",
    re.IGNORECASE,
)
"""User agents of known robots (COUNTER-style list, kept short). Harvesting clients that do
not call themselves robots (CKAN, piveau, python-requests, curl) are counted as harvests."""


def is_robot(user_agent: str | None) -> bool:
    """Whether a user agent is a known robot (an empty one counts as a robot)."""
    ua = (user_agent or "").strip()
    return not ua or bool(ROBOTS.search(ua))


def _day(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d")


class VisitorKeys:
    """The day's HMAC key: DATA/usage-keys/<day>.key (owner-only), made by whoever needs it
    first that day (created exclusively, so every process and thread uses the same one);
    the keys of earlier days are deleted."""

    def __init__(self, data_dir: str | Path) -> None:
        self.folder = Path(data_dir) / "usage-keys"
        self._lock = threading.Lock()
        self._cached: tuple[str, bytes] | None = None

    def key(self, now: float | None = None) -> bytes:
        day = _day(time.time() if now is None else now)
        cached = self._cached
        if cached is not None and cached[0] == day:
            return cached[1]
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{day}.key"
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                key = b""
                for _try in range(50):  # the creator may still be writing it
                    key = path.read_bytes()
                    if len(key) == 32:
                        break
                    time.sleep(0.01)
            else:
                key = secrets.token_bytes(32)
                with os.fdopen(fd, "wb") as f:
                    f.write(key)
            if len(key) != 32:
                raise RuntimeError(f"unreadable usage key {path}")
            for old in self.folder.glob("*.key"):
                if old.name < path.name:
                    old.unlink(missing_ok=True)
            self._cached = (day, key)
            return key

    def visitor(self, address: str | None, user_agent: str | None,
                now: float | None = None) -> str:
        """The pseudonymous visitor of a request: HMAC(day key, address + user agent)."""
        message = f"{address or ''}\n{user_agent or ''}".encode()
        return hmac.new(self.key(now), message, hashlib.sha256).hexdigest()[:32]


SCHEMA = """
CREATE TABLE IF NOT EXISTS usage_recent (
    visitor TEXT NOT NULL,
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    last REAL NOT NULL,
    PRIMARY KEY (visitor, target, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS usage_recent_last ON usage_recent(last);
CREATE TABLE IF NOT EXISTS usage_daily (
    day TEXT NOT NULL,
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (day, target, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS usage_daily_target ON usage_daily(target, kind);
CREATE TABLE IF NOT EXISTS usage_published (
    target TEXT PRIMARY KEY,
    graph TEXT NOT NULL,
    digest TEXT NOT NULL
);
"""


class Usage:
    """The counters of one data folder."""

    PRUNE_EVERY = 60.0

    def __init__(self, state: PrivateState, data_dir: str | Path,
                 window: float = 1800.0) -> None:
        self.state = state
        state.ensure(SCHEMA)
        state.ensure(QUALITY_SCHEMA)  # the records' facts the aggregates join with
        self.keys = VisitorKeys(data_dir)
        self.window = float(window)
        self._pruned = 0.0

    # -- counting

    def hit(self, kind: str, target: str, address: str | None, user_agent: str | None,
            now: float | None = None) -> bool:
        """Count one hit unless it comes from a robot or repeats, within the window, a
        counted hit of the same visitor on the same target; True when counted."""
        if kind not in KIND:
            raise ValueError(f"unknown usage kind {kind!r}")
        if is_robot(user_agent):
            return False
        now = time.time() if now is None else now
        visitor = self.keys.visitor(address, user_agent, now)
        with self.state.locked(write=True) as db:
            row = db.execute(
                "SELECT last FROM usage_recent WHERE visitor=? AND target=? AND kind=?",
                (visitor, target, kind)).fetchone()
            if row is not None and now - float(row[0]) < self.window:
                return False
            db.execute(
                "INSERT INTO usage_recent (visitor, target, kind, last) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(visitor, target, kind) DO UPDATE SET last=excluded.last",
                (visitor, target, kind, now))
            db.execute(
                "INSERT INTO usage_daily (day, target, kind, n) VALUES (?, ?, ?, 1)"
                " ON CONFLICT(day, target, kind) DO UPDATE SET n=n+1",
                (_day(now), target, kind))
            if now - self._pruned >= self.PRUNE_EVERY:
                db.execute("DELETE FROM usage_recent WHERE last < ?", (now - self.window,))
                self._pruned = now
        return True

    def prune(self, now: float | None = None) -> int:
        """Forget the visitors whose window has passed; return how many rows went."""
        now = time.time() if now is None else now
        cur = self.state.execute("DELETE FROM usage_recent WHERE last < ?",
                                 (now - self.window,))
        return cur.rowcount

    # -- reading

    def totals(self, target: str | None = None) -> dict[str, dict[str, int]]:
        """target -> kind -> count (all targets, or one)."""
        if target is None:
            rows = self.state.rows(
                "SELECT target, kind, SUM(n) AS n FROM usage_daily GROUP BY target, kind")
        else:
            rows = self.state.rows(
                "SELECT target, kind, SUM(n) AS n FROM usage_daily WHERE target=?"
                " GROUP BY target, kind", (target,))
        out: dict[str, dict[str, int]] = {}
        for r in rows:
            out.setdefault(r["target"], {})[r["kind"]] = int(r["n"])
        return out

    def dataset(self, dataset: str) -> dict[str, int]:
        """Counts of one dataset, every kind (0 when none)."""
        found = self.totals(dataset).get(dataset, {})
        return {k: found.get(k, 0) for k in DATASET_KINDS}

    def catalog_totals(self) -> dict[str, int]:
        found = self.totals(CATALOG).get(CATALOG, {})
        return {k.key: found.get(k.key, 0) for k in KINDS if not k.per_dataset}

    def over_time(self, target: str | None = None, by: str = "month",
                  group: str | None = None) -> list[tuple[str, str, int]]:
        """(period, kind, count) rows, by "day" or "month"; for one target, or for the
        datasets of one publisher (group="publisher:<iri>") or creator ("creator:<iri>")."""
        period = "substr(d.day, 1, 7)" if by == "month" else "d.day"
        where, params = self._scope(target, group)
        rows = self.state.rows(
            f"SELECT {period} AS period, d.kind AS kind, SUM(d.n) AS n FROM usage_daily d"
            f"{where} GROUP BY period, d.kind ORDER BY period, d.kind", params)
        return [(r["period"], r["kind"], int(r["n"])) for r in rows]

    @staticmethod
    def _scope(target: str | None, group: str | None) -> tuple[str, tuple]:
        if group is not None:
            what, _sep, iri = group.partition(":")
            if what == "publisher":
                return (" CROSS JOIN quality_score q ON q.dataset = d.target"
                        " WHERE q.publisher = ?",
                        (iri,))
            if what == "creator":
                return (" CROSS JOIN quality_score q ON q.dataset = d.target"
                        " CROSS JOIN quality_creator c ON c.record = q.record"
                        " WHERE c.creator = ?", (iri,))
            raise ValueError(f"unknown group {group!r}")
        if target is not None:
            return " WHERE d.target = ?", (target,)
        return "", ()

    def over_time_by(self, by: str = "dataset", period: str = "month") -> list[
            tuple[str, str, str, int]]:
        """(period, dataset / publisher / creator, kind, count) rows, for every one of them."""
        cut = "substr(d.day, 1, 7)" if period == "month" else "d.day"
        if by == "dataset":
            sql = (f"SELECT {cut} AS period, d.target AS who, d.kind AS kind, SUM(d.n) AS n"
                   " FROM usage_daily d WHERE d.target <> '' GROUP BY period, who, kind")
        elif by == "publisher":
            sql = (f"SELECT {cut} AS period, q.publisher AS who, d.kind AS kind, SUM(d.n) AS n"
                   " FROM usage_daily d CROSS JOIN quality_score q ON q.dataset = d.target"
                   " WHERE q.publisher IS NOT NULL GROUP BY period, who, kind")
        elif by == "creator":
            sql = (f"SELECT {cut} AS period, c.creator AS who, d.kind AS kind, SUM(d.n) AS n"
                   " FROM usage_daily d CROSS JOIN quality_score q ON q.dataset = d.target"
                   " CROSS JOIN quality_creator c ON c.record = q.record"
                   " GROUP BY period, who, kind")
        else:
            raise ValueError(f"by 'dataset', 'publisher' or 'creator', not {by!r}")
        rows = self.state.rows(sql + " ORDER BY period, who, kind")
        return [(r["period"], r["who"], r["kind"], int(r["n"])) for r in rows]

    def most_used(self, n: int = 10) -> list[dict[str, Any]]:
        """Datasets by views plus downloads plus access clicks, most used first."""
        rows = self.state.rows(
            "SELECT d.target AS dataset, SUM(CASE WHEN d.kind='view' THEN d.n ELSE 0 END) AS"
            " views, SUM(CASE WHEN d.kind='download' THEN d.n ELSE 0 END) AS downloads,"
            " SUM(CASE WHEN d.kind='access' THEN d.n ELSE 0 END) AS access,"
            " SUM(CASE WHEN d.kind IN ('view', 'download', 'access') THEN d.n ELSE 0 END)"
            " AS used, q.title_zh AS title_zh, q.title_en AS title_en, q.citations AS"
            " citations FROM usage_daily d LEFT JOIN quality_score q ON q.dataset = d.target"
            " WHERE d.target <> '' GROUP BY d.target HAVING used > 0"
            " ORDER BY used DESC, d.target LIMIT ?", (n,))
        return [{**r, "citations": int(r["citations"] or 0)} for r in rows]

    def ranking(self, by: str = "publisher") -> list[dict[str, Any]]:
        """Institutions (by="publisher") or creators (by="creator"): datasets published
        (sharing volume) and use: views, downloads, access clicks, citations, and each per
        dataset. Ordered by datasets published, then by use."""
        if by not in ("publisher", "creator"):
            raise ValueError(f"rank by 'publisher' or 'creator', not {by!r}")
        shared = shared_volume(self.state, by)
        used = self.by_group(by)
        out = []
        for agent, (n, citations) in shared.items():
            counts = used.get(agent, {})
            row: dict[str, Any] = {"agent": agent, "datasets": n,
                                   "views": counts.get("view", 0),
                                   "downloads": counts.get("download", 0),
                                   "access": counts.get("access", 0),
                                   "citations": citations}
            for key in ("views", "downloads", "access", "citations"):
                row[key + "_per_dataset"] = round(row[key] / n, 2) if n else 0.0
            out.append(row)
        out.sort(key=lambda x: (-x["datasets"], -(x["views"] + x["downloads"]), x["agent"]))
        return out

    def by_group(self, by: str = "publisher") -> dict[str, dict[str, int]]:
        """Totals per publisher or creator: agent -> kind -> count."""
        # Totals per dataset first, then their records' facts (CROSS JOIN keeps that order:
        # driven by the datasets that were used, not by every record).
        per_dataset = ("(SELECT target, kind, SUM(n) AS n FROM usage_daily WHERE target <> ''"
                       " GROUP BY target, kind) d CROSS JOIN quality_score q"
                       " ON q.dataset = d.target")
        if by == "publisher":
            sql = ("SELECT q.publisher AS agent, d.kind AS kind, SUM(d.n) AS n FROM "
                   f"{per_dataset} GROUP BY q.publisher, d.kind")
        elif by == "creator":
            sql = ("SELECT c.creator AS agent, d.kind AS kind, SUM(d.n) AS n FROM "
                   f"{per_dataset} CROSS JOIN quality_creator c ON c.record = q.record"
                   " GROUP BY c.creator, d.kind")
        else:
            raise ValueError(f"group by 'publisher' or 'creator', not {by!r}")
        out: dict[str, dict[str, int]] = {}
        for r in self.state.rows(sql):
            if r["agent"]:
                out.setdefault(r["agent"], {})[r["kind"]] = int(r["n"])
        return out

    # -- the public graph

    def counter_triples(self, subject: str, graph_base: str,
                        counts: Mapping[str, int]) -> list[ox.Triple]:
        """schema:interactionStatistic InteractionCounters of `subject`, one per kind with
        a count (kinds without a schema.org action are left out)."""
        s = ox.NamedNode(subject)
        stat = ox.NamedNode(SDO + "interactionStatistic")
        out: list[ox.Triple] = []
        for kind in KINDS:
            n = counts.get(kind.key, 0)
            if not n or kind.action is None:
                continue
            c = ox.NamedNode(f"{graph_base}{USAGE_SUFFIX}-{kind.key}")
            out += [
                ox.Triple(s, stat, c),
                ox.Triple(c, ox.NamedNode(f"{SDO}interactionType"),
                          ox.NamedNode(SDO + kind.action)),
                ox.Triple(c, ox.NamedNode(f"{SDO}userInteractionCount"),
                          ox.Literal(str(n), datatype=ox.NamedNode(
                              "http://www.w3.org/2001/XMLSchema#integer"))),
                ox.Triple(c, ox.NamedNode(f"{_RDF}type"),
                          ox.NamedNode(SDO + "InteractionCounter")),
                ox.Triple(c, ox.NamedNode(SDO + "name"), ox.Literal(kind.zh, language="zh")),
                ox.Triple(c, ox.NamedNode(SDO + "name"), ox.Literal(kind.en, language="en")),
            ]
        return out

    def publish(self, catalog: Catalog) -> int:
        """Write the counters that changed since the last publication to the public graph;
        return the number of graphs written."""
        totals = self.totals()
        published = {r["target"]: (r["graph"], r["digest"])
                     for r in self.state.rows("SELECT target, graph, digest FROM usage_published")}
        changed = [t for t in totals
                   if published.get(t, ("", ""))[1] != _digest(totals[t])]
        datasets = [t for t in changed if t != CATALOG]
        records = _records_of(catalog, datasets)
        graphs: dict[str, list[ox.Triple]] = {}
        digests: dict[str, tuple[str, str]] = {}
        for ds in datasets:
            record = records.get(ds)
            if record is None:
                continue  # withdrawn since: nothing to publish
            graphs[record + USAGE_SUFFIX] = self.counter_triples(ds, record, totals[ds])
            digests[ds] = (record + USAGE_SUFFIX, _digest(totals[ds]))
        if CATALOG in changed:
            catalog_iri = catalog.settings.catalog_iri
            graphs[GRAPH_USAGE] = self.counter_triples(catalog_iri, catalog_iri,
                                                       totals[CATALOG])
            digests[CATALOG] = (GRAPH_USAGE, _digest(totals[CATALOG]))
        if len(graphs) > 50:
            catalog.write_derived(nquads(graphs),
                                  {g: content_hash(t) for g, t in graphs.items()})
        else:
            for name, triples in graphs.items():
                catalog.replace_shared(name, triples)
        with self.state.locked(write=True) as db:
            db.executemany(
                "INSERT INTO usage_published (target, graph, digest) VALUES (?, ?, ?)"
                " ON CONFLICT(target) DO UPDATE SET graph=excluded.graph,"
                " digest=excluded.digest",
                [(t, g, d) for t, (g, d) in digests.items()])
        return len(graphs)

    def published(self, catalog: Catalog, dataset: str) -> dict[str, int]:
        """The counters of a dataset as the public graph has them: action -> count."""
        rows = catalog.store.query(
            queries.with_values("usage_counters", s=[ox.NamedNode(dataset)]))
        return {row["type"].value.removeprefix(SDO): int(row["n"].value) for row in rows}


def _digest(counts: Mapping[str, int]) -> str:
    return json.dumps(sorted(counts.items()))


def _records_of(catalog: Catalog, datasets: Sequence[str]) -> dict[str, str]:
    """Dataset IRI -> the record that holds it (those the catalog has)."""
    found: dict[str, str] = {}
    named = []
    for d in datasets:
        try:
            named.append(ox.NamedNode(d))
        except ValueError:
            continue
    for start in range(0, len(named), 500):
        chunk = named[start:start + 500]
        for row in catalog.store.query(queries.with_values("records_for_datasets", ds=chunk)):
            found[row["ds"].value] = row["record"].value
    return found

