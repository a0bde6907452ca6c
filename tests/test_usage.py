"""Use counters (hdcat/usage.py): the robot filter, the repeat window, concurrent hits from
real threads, the daily visitor key with no personal data stored, the aggregates per
publisher and creator, rankings, and publication to the public graph."""

from __future__ import annotations

import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.quality import Quality, QualitySettings
from hdcat.state import PrivateState
from hdcat.usage import CATALOG, GRAPH_USAGE, Usage, VisitorKeys, is_robot

B = "https://u.example.org"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120"
DAY = 86400.0
T0 = 1_767_225_600.0  # 2026-01-01T00:00:00Z


@pytest.fixture
def counter(tmp_path: Path) -> Iterator[Usage]:
    state = PrivateState.of(tmp_path)
    yield Usage(state, tmp_path, window=1800)
    state.close()


# ---------------------------------------------------------------------------- robots


@pytest.mark.parametrize("ua", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0",
    "Wget/1.21.3",
    "hdcat-linkcheck/1.0 (metadata quality)",
    "UptimeRobot/2.0",
    "",
    "   ",
    None,
])
def test_known_robots_are_not_counted(counter: Usage, ua: str | None) -> None:
    assert is_robot(ua)
    assert counter.hit("view", f"{B}/dataset/a", "203.0.113.7", ua, now=T0) is False
    assert counter.totals() == {}


@pytest.mark.parametrize("ua", [
    BROWSER,
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "python-requests/2.31.0",  # a harvesting catalog
    "CKAN harvester (ckanext-dcat)",
    "curl/8.4.0",
])
def test_people_and_harvesters_are_counted(counter: Usage, ua: str) -> None:
    assert not is_robot(ua)
    assert counter.hit("view", f"{B}/dataset/a", "203.0.113.7", ua, now=T0) is True
    assert counter.dataset(f"{B}/dataset/a")["view"] == 1


# ---------------------------------------------------------------------------- the window


def test_repeats_within_the_window_count_once(counter: Usage) -> None:
    ds = f"{B}/dataset/a"
    assert counter.hit("view", ds, "203.0.113.7", BROWSER, now=T0)
    assert not counter.hit("view", ds, "203.0.113.7", BROWSER, now=T0 + 1)
    assert not counter.hit("view", ds, "203.0.113.7", BROWSER, now=T0 + 1799)
    assert counter.hit("view", ds, "203.0.113.7", BROWSER, now=T0 + 1800)  # window passed
    # Another visitor, another dataset or another kind counts on its own.
    assert counter.hit("view", ds, "203.0.113.8", BROWSER, now=T0 + 1)
    assert counter.hit("view", ds, "203.0.113.7", BROWSER + " Firefox", now=T0 + 1)
    assert counter.hit("view", f"{B}/dataset/b", "203.0.113.7", BROWSER, now=T0 + 1)
    assert counter.hit("download", ds, "203.0.113.7", BROWSER, now=T0 + 1)
    assert counter.dataset(ds) == {"view": 4, "download": 1, "access": 0, "rdf": 0, "cite": 0}
    with pytest.raises(ValueError):
        counter.hit("nonsense", ds, "203.0.113.7", BROWSER)


def test_old_visitor_rows_are_forgotten(counter: Usage) -> None:
    counter.hit("view", f"{B}/dataset/a", "203.0.113.7", BROWSER, now=T0)
    counter.hit("view", f"{B}/dataset/b", "203.0.113.7", BROWSER, now=T0 + 1000)
    assert counter.prune(now=T0 + 1900) == 1
    assert counter.prune(now=T0 + 5000) == 1
    rows = counter.state.rows("SELECT COUNT(*) AS n FROM usage_recent")
    assert rows[0]["n"] == 0
    assert counter.dataset(f"{B}/dataset/a")["view"] == 1  # the counts stay


# ---------------------------------------------------------------------------- concurrency


def test_concurrent_hits_are_all_counted_once(tmp_path: Path) -> None:
    """8 threads, each with its own connection to the same private database, hit at once:
    distinct visitors all count, and one visitor hitting from every thread counts once."""
    states = [PrivateState.of(tmp_path) for _ in range(8)]
    counters = [Usage(s, tmp_path, window=1800) for s in states]
    start = threading.Barrier(len(counters))
    counted: list[int] = []
    lock = threading.Lock()

    def work(n: int, c: Usage) -> None:
        start.wait()
        mine = 0
        for i in range(40):
            mine += c.hit("view", f"{B}/dataset/busy", f"198.51.100.{n}", f"{BROWSER} {i}",
                          now=T0)
            mine += c.hit("download", f"{B}/dataset/busy", "192.0.2.1", BROWSER, now=T0)
        with lock:
            counted.append(mine)

    threads = [threading.Thread(target=work, args=(n, c)) for n, c in enumerate(counters)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert sum(counted) == 8 * 40 + 1
    totals = counters[0].dataset(f"{B}/dataset/busy")
    assert totals["view"] == 320 and totals["download"] == 1
    for s in states:
        s.close()


# ---------------------------------------------------------------------------- privacy


def test_no_address_or_user_agent_is_stored_and_the_key_changes_daily(tmp_path: Path) -> None:
    state = PrivateState.of(tmp_path)
    counter = Usage(state, tmp_path, window=60)
    address, ua = "203.0.113.99", "Mozilla/5.0 UniqueAgent/7.7"
    counter.hit("view", f"{B}/dataset/a", address, ua, now=T0)
    counter.hit("cite", f"{B}/dataset/a", address, ua, now=T0 + DAY)
    state.close()
    blob = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    for secret in (address, ua, "UniqueAgent"):
        assert secret.encode() not in blob and secret.encode("utf-16-le") not in blob
    db = sqlite3.connect(tmp_path / "private.sqlite")
    try:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            for row in db.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 - table names
                assert not any(address in str(v) or "UniqueAgent" in str(v) for v in row)
    finally:
        db.close()
    keys = VisitorKeys(tmp_path)
    today, tomorrow = keys.visitor(address, ua, T0 + DAY), keys.visitor(address, ua, T0 + 2 * DAY)
    assert today != tomorrow and len(today) == 32
    assert keys.visitor(address, ua, T0 + 2 * DAY + 5) == tomorrow
    files = sorted(p.name for p in (tmp_path / "usage-keys").iterdir())
    assert files == ["2026-01-03.key"]  # earlier days' keys are deleted
    mode = stat.S_IMODE((tmp_path / "usage-keys" / files[0]).stat().st_mode)
    assert mode == 0o600


def test_threads_share_the_day_key(tmp_path: Path) -> None:
    results: list[str] = []

    def visit() -> None:
        results.append(VisitorKeys(tmp_path).visitor("203.0.113.1", BROWSER, T0))

    threads = [threading.Thread(target=visit) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(set(results)) == 1


# ---------------------------------------------------------------------------- aggregates


TTL = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{B}/record/{n}> a dcat:CatalogRecord ; foaf:primaryTopic <{B}/dataset/{n}> ;
    dct:modified "2024-01-01"^^xsd:date .
<{B}/dataset/{n}> a dcat:Dataset ; dct:title "Dataset {n}"@en , "数据集 {n}"@zh ;
    dct:description "d"@en ; dct:publisher <{B}/agent/{pub}> ; {creators}
    dct:issued "2022-01-01"^^xsd:date {cited} .
"""


def _record(n: str, pub: str, creators: list[str], cited: int = 0) -> list[ox.Triple]:
    text = TTL.format(
        B=B, n=n, pub=pub,
        creators="".join(f"dct:creator <{B}/agent/{c}> ; " for c in creators),
        cited="".join(f" ; dct:isReferencedBy <https://doi.org/10.1000/{n}.{i}>"
                      for i in range(cited)))
    return [q.triple for q in ox.parse(text.encode(), ox.RdfFormat.TURTLE)]


@pytest.fixture
def catalog(tmp_path: Path) -> Iterator[tuple[Catalog, Usage]]:
    cat = Catalog(Settings(data_dir=tmp_path, base_iri=B))
    cat.initialize()
    state = PrivateState.of(tmp_path)
    Quality(cat, state, QualitySettings()).attach()
    for n, pub, creators, cited in (("a", "inst-1", ["ann", "bo"], 2),
                                    ("b", "inst-1", ["ann"], 0),
                                    ("c", "inst-2", ["cy"], 3)):
        cat.load_triples(_record(n, pub, creators, cited), source="t", validate=False)
    yield cat, Usage(state, tmp_path, window=1800)
    state.close()
    cat.close()


def _hits(u: Usage, kind: str, n: str, count: int, now: float = T0) -> None:
    for i in range(count):
        assert u.hit(kind, f"{B}/dataset/{n}", f"198.51.100.{i}", BROWSER, now=now)


def test_totals_per_dataset_publisher_and_creator_and_over_time(
        catalog: tuple[Catalog, Usage]) -> None:
    _cat, u = catalog
    _hits(u, "view", "a", 5)
    _hits(u, "view", "a", 2, now=T0 + 40 * DAY)  # February
    _hits(u, "download", "a", 3)
    _hits(u, "view", "b", 4)
    _hits(u, "view", "c", 1)
    _hits(u, "access", "c", 2)
    u.hit("harvest", CATALOG, "198.51.100.1", "python-requests/2.31", now=T0)
    u.hit("api", CATALOG, "198.51.100.1", BROWSER, now=T0)
    assert u.dataset(f"{B}/dataset/a") == {"view": 7, "download": 3, "access": 0, "rdf": 0,
                                           "cite": 0}
    assert u.catalog_totals() == {"api": 1, "harvest": 1}
    by_pub = u.by_group("publisher")
    assert by_pub[f"{B}/agent/inst-1"] == {"view": 11, "download": 3}
    assert by_pub[f"{B}/agent/inst-2"] == {"view": 1, "access": 2}
    by_creator = u.by_group("creator")
    assert by_creator[f"{B}/agent/ann"] == {"view": 11, "download": 3}
    assert by_creator[f"{B}/agent/bo"] == {"view": 7, "download": 3}
    months = u.over_time(f"{B}/dataset/a", by="month")
    assert months == [("2026-01", "download", 3), ("2026-01", "view", 5),
                      ("2026-02", "view", 2)]
    assert u.over_time(group=f"publisher:{B}/agent/inst-2", by="day") == [
        ("2026-01-01", "access", 2), ("2026-01-01", "view", 1)]
    assert ("2026-01", "view", 9) in u.over_time(group=f"creator:{B}/agent/ann")
    assert ("2026-02", f"{B}/agent/inst-1", "view", 2) in u.over_time_by("publisher")
    assert ("2026-01", f"{B}/agent/bo", "download", 3) in u.over_time_by("creator")
    assert ("2026-01", f"{B}/dataset/c", "access", 2) in u.over_time_by("dataset")
    assert all(row[1] for row in u.over_time_by("dataset"))  # no catalog-wide rows
    top = u.most_used(2)
    assert [r["dataset"] for r in top] == [f"{B}/dataset/a", f"{B}/dataset/b"]
    assert top[0]["used"] == 10 and top[0]["citations"] == 2 and top[0]["title_zh"] == "数据集 a"


def test_rankings_by_sharing_volume_and_use(catalog: tuple[Catalog, Usage]) -> None:
    _cat, u = catalog
    _hits(u, "view", "a", 6)
    _hits(u, "download", "b", 2)
    _hits(u, "view", "c", 9)
    inst = u.ranking("publisher")
    assert [r["agent"] for r in inst] == [f"{B}/agent/inst-1", f"{B}/agent/inst-2"]
    first = inst[0]
    assert (first["datasets"], first["views"], first["downloads"], first["citations"]) == (
        2, 6, 2, 2)
    assert first["views_per_dataset"] == 3.0 and first["citations_per_dataset"] == 1.0
    assert inst[1]["citations_per_dataset"] == 3.0
    creators = {r["agent"]: r for r in u.ranking("creator")}
    assert creators[f"{B}/agent/ann"]["datasets"] == 2
    assert creators[f"{B}/agent/cy"]["views"] == 9
    with pytest.raises(ValueError):
        u.ranking("nobody")


def test_publish_writes_counters_to_the_public_graph(catalog: tuple[Catalog, Usage]) -> None:
    cat, u = catalog
    _hits(u, "view", "a", 3)
    _hits(u, "download", "a", 1)
    _hits(u, "cite", "a", 1)
    u.hit("harvest", CATALOG, "198.51.100.1", "CKAN harvester", now=T0)
    assert u.publish(cat) == 2  # dataset a and the catalog
    assert u.published(cat, f"{B}/dataset/a") == {"ViewAction": 3, "DownloadAction": 1}
    assert cat.store.has_graph(f"{B}/record/a#usage") and cat.store.has_graph(GRAPH_USAGE)
    assert u.published(cat, cat.settings.catalog_iri) == {"DownloadAction": 1}
    # Readable with SPARQL over the public graph.
    rows = cat.store.query(
        "PREFIX schema: <http://schema.org/> SELECT ?n WHERE { ?ds schema:interactionStatistic"
        " ?c . ?c schema:interactionType schema:ViewAction ; schema:userInteractionCount ?n }",
        {"ds": ox.NamedNode(f"{B}/dataset/a")}, union_default_graph=True)
    assert [int(r["n"].value) for r in rows] == [3]
    assert u.publish(cat) == 0  # nothing changed
    _hits(u, "view", "b", 1)
    assert u.publish(cat) == 1
    assert u.published(cat, f"{B}/dataset/b") == {"ViewAction": 1}
    # A dropped record takes its counters graph with it.
    cat.drop_records([f"{B}/record/a"])
    assert not cat.store.has_graph(f"{B}/record/a#usage")
