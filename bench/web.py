"""Web and SPARQL benchmark: the site and the endpoint served as a user serves them.

    python bench/web.py --data DIR [--build N] [--reps 40] [--clients 16] [--duration 30]
                        [--sections latency,sparql,load] [--pages WORDS] [--queries WORDS]
                        [--code TREE] [--json FILE]

Starts ``hdcat --data DIR serve --port P`` (waitress, 8 threads) as a subprocess, with
``HDCAT_QUERY_TIMEOUT=120`` so heavy SPARQL queries are not cut, and measures it with
``http.client`` over keep-alive connections (127.0.0.1 only):

1. ``latency``: median / p95 of the home page, searches (zh and en, with and without facet
   filters, sorted by newest, deep pages), dataset pages (a demo dataset with a lineage
   picture, synthetic ones picked at random) and a dataset as Turtle. One client, requests
   one after another, after warm-up requests.
2. ``sparql``: six integrator queries through ``/sparql`` (JSON results; Turtle for the
   CONSTRUCT) against the same queries on ``pyoxigraph.Store.read_only(DIR/store)`` in this
   process (union default graph, every solution and term read), alternating the two.
3. ``load``: N client threads, each with its own keep-alive connection, for D seconds,
   mixing page views, searches and SPARQL queries; requests/s, p50 / p95 per request type,
   every error (non-200 status or failed connection). The mix (class Mix): 10% home, 15%
   random synthetic dataset pages, 10% demo dataset pages, 5% a dataset as Turtle, 35%
   searches (22 zh/en words; 40% with domain + level filters, 20% newest first, 20% a page
   from 2 to 200), 25% SPARQL: LOAD_QUERIES (a record CONSTRUCT, the standard query, a page
   of one domain), or with ``--heavy-sparql`` the six queries of part 2.

Searches asked again hit the search index's cache of text matches (hdcat.search); the rows
"new query each time" ask each of 40 other words once, so they show the uncached cost.
Before the SPARQL rows the first query starts the worker processes and the script waits until
they are idle, so that their start does not share the CPU with timed queries.

``--pages`` / ``--queries`` keep the page rows / SPARQL queries whose name holds one of the
given words. ``--code TREE`` serves from another source tree (a copy of the code before a
change; with its own data folder if the index layout differs), for before / after figures
taken one after the other in the same session.

``--build N`` first makes DIR when it has no store: ``bench/generate.py N`` (seed 42, as
N-Triples next to DIR), ``hdcat init``, ``hdcat load --no-validate``, the demo catalog
(validated, after the synthetic file so lineage pages exist), ``hdcat reindex``, ``hdcat
quality`` (scores of what the loads wrote).
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://hdcat.example.org"
VOCAB = "https://w3id.org/hdcat/vocab/"
DOMAIN = VOCAB + "domain/"
LEVEL = VOCAB + "sensitivity-level/"
DEMO_LINEAGE = "dm-complications-stats"  # a demo dataset with sources and a lineage picture
DEMO_RECORD = BASE + "/record/dm-complications-2020"
N_SYNTHETIC = 100_000  # synthetic ids are syn-0000001 .. syn-{N}; --synthetic changes it

# --------------------------------------------------------------------------- page requests

# (name, path, Accept header); the page groups the targets apply to are in TARGETS
PAGES: list[tuple[str, str, str]] = [
    ("home", "/", "text/html"),
    ("search zh 糖尿病", "/search?q=" + quote("糖尿病"), "text/html"),
    ("search zh 肺癌", "/search?q=" + quote("肺癌"), "text/html"),
    ("search en diabetes", "/search?q=diabetes", "text/html"),
    ("search en lung cancer", "/search?q=" + quote("lung cancer"), "text/html"),
    ("search zh + domain + level",
     "/search?" + urlencode({"q": "糖尿病", "domain": DOMAIN + "clinical-medicine",
                             "level": LEVEL + "L3"}), "text/html"),
    ("search en + domain + level",
     "/search?" + urlencode({"q": "lung cancer", "domain": DOMAIN + "public-health",
                             "level": LEVEL + "L2"}), "text/html"),
    ("search facets only (no q)",
     "/search?" + urlencode({"domain": DOMAIN + "biomedicine", "level": LEVEL + "L4"}),
     "text/html"),
    ("search zh sort=newest", "/search?q=" + quote("肺癌") + "&sort=newest", "text/html"),
    ("search en sort=newest", "/search?q=diabetes&sort=newest", "text/html"),
    ("search zh, new query each time", "{zh-new}", "text/html"),
    ("search en, new query each time", "{en-new}", "text/html"),
    ("search zh page=200", "/search?q=" + quote("糖尿病") + "&page=200", "text/html"),
    ("search all page=200", "/search?page=200", "text/html"),
    ("search all (no q)", "/search", "text/html"),
    ("dataset demo (lineage)", f"/dataset/{DEMO_LINEAGE}", "text/html"),
    ("dataset synthetic (random)", "{syn}", "text/html"),
    ("dataset demo as Turtle", f"/dataset/{DEMO_LINEAGE}", "text/turtle"),
    ("dataset synthetic as Turtle", "{syn}", "text/turtle"),
]
PAGE_TARGET_MS = 50.0  # p95, home, search and dataset HTML pages


def page_group(name: str) -> str:
    if name == "home":
        return "home"
    if name.startswith("search"):
        return "search"
    if "Turtle" in name:
        return "rdf"
    return "dataset"


# --------------------------------------------------------------------------- SPARQL

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "hdcat": "https://w3id.org/hdcat/ns#",
    "dom": DOMAIN,
    "lvl": LEVEL,
    "std": "https://w3id.org/hdcat/standard/",
}
PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

# (name, kind, query). kind "point": target raw + 5 ms; "scan": 1.3x raw if raw > 50 ms;
# "floor": sent without the prefixes, no target.
# Modelled on the examples of the endpoint's query page (service/sparql.py), with LIMITs
# where an integrator pages through a large answer (and the endpoint's result cap, 10,000
# rows, is never reached, so both sides return the same rows).
QUERIES: list[tuple[str, str, str]] = [
    ("datasets by domain (LIMIT 200)", "scan", """
SELECT ?dataset ?title ?issued WHERE {
  ?dataset a dcat:Dataset ;
           hdcat:domain dom:clinical-medicine ;
           dct:title ?title ;
           dct:issued ?issued .
  FILTER(LANG(?title) = "zh")
}
ORDER BY DESC(?issued) ?dataset
LIMIT 200"""),
    ("lineage chains (prov:wasDerivedFrom+)", "scan", """
SELECT ?dataset ?title ?upstream ?upstreamTitle WHERE {
  ?dataset a dcat:Dataset ;
           prov:wasDerivedFrom+ ?upstream ;
           dct:title ?title .
  OPTIONAL { ?upstream dct:title ?upstreamTitle FILTER(LANG(?upstreamTitle) = "zh") }
  FILTER(LANG(?title) = "zh")
}
ORDER BY ?dataset ?upstream"""),
    ("conforming to a standard", "scan", """
SELECT ?standard ?standardTitle ?dataset ?title WHERE {
  VALUES ?standard { std:icd-10 std:ws-t-363 std:gb-t-14396 }
  ?dataset a dcat:Dataset ;
           dct:conformsTo ?standard ;
           dct:title ?title .
  OPTIONAL { ?standard dct:title ?standardTitle FILTER(LANG(?standardTitle) = "zh") }
  FILTER(LANG(?title) = "zh")
}
ORDER BY ?standard ?title"""),
    ("counts by publisher (GROUP BY)", "scan", """
SELECT ?publisher ?name (COUNT(DISTINCT ?dataset) AS ?datasets) WHERE {
  ?dataset a dcat:Dataset ;
           dct:publisher ?publisher .
  OPTIONAL { ?publisher foaf:name ?name FILTER(LANG(?name) = "zh") }
}
GROUP BY ?publisher ?name
ORDER BY DESC(?datasets)"""),
    ("sensitivity level >= 3 (levelRank, LIMIT 1000)", "scan", """
SELECT ?dataset ?title ?level ?rank WHERE {
  ?dataset a dcat:Dataset ;
           hdcat:sensitivityLevel ?level ;
           dct:title ?title .
  ?level hdcat:levelRank ?rank .
  FILTER(?rank >= 3 && LANG(?title) = "zh")
}
ORDER BY DESC(?rank) ?title
LIMIT 1000"""),
    ("point lookup CONSTRUCT of one record", "point", """
CONSTRUCT { ?s ?p ?o } WHERE {
  GRAPH <RECORD> { ?s ?p ?o }
}""".replace("RECORD", DEMO_RECORD)),
    # not an integrator query: the endpoint's fixed cost (HTTP, checks, the worker round trip)
    ("floor: ASK {}", "floor", "ASK {}"),
]
# The SPARQL part of the load mix: queries an integrator's client runs while paging (the
# whole-catalog ones above take seconds each at 100k; --heavy-sparql mixes them in instead).
LOAD_QUERIES: list[tuple[str, str, str]] = [
    ("point lookup CONSTRUCT (random record)", "point", QUERIES[5][2]),
    ("conforming to a standard", "scan", QUERIES[2][2]),
    ("datasets of a domain, a page of 50 (no ORDER BY)", "scan", """
SELECT ?dataset ?title WHERE {
  ?dataset hdcat:domain dom:DOMAIN ;
           dct:title ?title .
  FILTER(LANG(?title) = "zh")
}
LIMIT 50 OFFSET 0"""),
]
RATIO_TARGET = 1.3
POINT_SLACK_MS = 5.0
SCAN_THRESHOLD_MS = 50.0


# --------------------------------------------------------------------------- helpers


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank, inclusive interpolation)."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000.0, 2)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


class Client:
    """One keep-alive HTTP/1.1 connection to the server (reconnects if the server closes)."""

    def __init__(self, port: int, timeout: float = 300.0) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.connects = 0

    def get(self, path: str, accept: str = "text/html") -> tuple[int, int, float]:
        """(status, body bytes, seconds) of one GET, body read to the end."""
        if self.conn.sock is None:
            self.connects += 1
        start = time.perf_counter()
        try:
            self.conn.request("GET", path, headers={"Accept": accept,
                                                    "Accept-Language": "zh"})
            resp = self.conn.getresponse()
            body = resp.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            raise
        elapsed = time.perf_counter() - start
        if resp.will_close:
            self.conn.close()
        return resp.status, len(body), elapsed

    def close(self) -> None:
        self.conn.close()


def sparql_path(query: str, kind: str) -> tuple[str, str]:
    accept = "text/turtle" if "CONSTRUCT" in query else "application/sparql-results+json"
    if kind == "floor":
        return "/sparql?" + urlencode({"query": query}), accept
    return "/sparql?" + urlencode({"query": PROLOGUE + query}), accept


def new_queries(lang: str) -> list[str]:
    """The generator's words (diseases, kinds, regions, features) not asked by the fixed
    rows: each asked once, the search index's cache of text matches misses."""
    if str(ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(ROOT / "bench"))
    from generate import DISEASES, FEATURES, KINDS, REGIONS

    words = [w[-2] if lang == "zh" else w[-1] for w in DISEASES + KINDS + REGIONS]
    words += [w[0] if lang == "zh" else w[1] for w in FEATURES]
    asked = {"糖尿病", "肺癌", "diabetes", "lung cancer"}
    return [w for w in words if w not in asked]


def synthetic_path(rng: random.Random, n: int) -> str:
    return f"/dataset/syn-{rng.randint(1, n):07d}"


# --------------------------------------------------------------------------- the server


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    startup_s: float
    command: list[str]
    log: Path

    def cpu_ticks(self) -> int:
        """CPU time (clock ticks) used so far by the server's child processes."""
        total = 0
        for pid in children(self.proc.pid):
            try:
                fields_ = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields_[11]) + int(fields_[12])  # utime, stime
        return total

    def wait_workers(self, quiet: float = 2.0, limit: float = 120.0) -> float:
        """Wait until the query workers have started (their CPU time stops growing for
        `quiet` s), so that their start does not share the CPU with timed requests."""
        start = time.monotonic()
        last, since = self.cpu_ticks(), time.monotonic()
        while time.monotonic() - start < limit:
            time.sleep(0.25)
            now = self.cpu_ticks()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return time.monotonic() - start

    def rss_mb(self) -> dict[str, float]:
        """Current and peak resident memory of the server and its query workers (MB)."""
        out = {"server_rss": 0.0, "server_peak": 0.0, "workers_rss": 0.0, "workers": 0}
        for pid, is_server in [(self.proc.pid, True), *((c, False) for c in children(
                self.proc.pid))]:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            fields_ = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            rss = int(fields_.get("VmRSS", "0 kB").split()[0]) / 1024
            hwm = int(fields_.get("VmHWM", "0 kB").split()[0]) / 1024
            if is_server:
                out["server_rss"], out["server_peak"] = round(rss), round(hwm)
            else:
                out["workers_rss"] += round(rss)
                out["workers"] += 1
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # our own session: server and workers
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            out.extend(int(c) for c in text)
    except OSError:
        pass
    return out


def hdcat_command() -> list[str]:
    script = Path(sys.executable).parent / "hdcat"
    return [str(script)] if script.exists() else [sys.executable, "-m", "hdcat.cli"]


def start_server(data: Path, port: int, log: Path, code: Path | None = None) -> Server:
    env = dict(os.environ, HDCAT_QUERY_TIMEOUT="120")
    if code is not None:  # another source tree (a before / after comparison)
        env["PYTHONPATH"] = os.pathsep.join([str(code), *filter(None, [env.get("PYTHONPATH")])])
    command = [*hdcat_command(), "--data", str(data), "serve", "--port", str(port)]
    start = time.monotonic()
    handle = log.open("w")
    # cwd: the query workers (python -c) import the code of the current directory first
    proc = subprocess.Popen(command, cwd=code or ROOT, env=env, stdout=handle,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = start + 600
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode}); see {log}")
        try:
            client = Client(port, timeout=60)
            status, _n, _t = client.get("/")
            client.close()
            if status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"the server did not answer within 600 s; see {log}")
        time.sleep(0.2)
    prefix = ["HDCAT_QUERY_TIMEOUT=120"] + ([f"PYTHONPATH={code}"] if code is not None else [])
    return Server(proc, port, time.monotonic() - start, [*prefix, *command], log)


def build(data: Path, n: int) -> None:
    """Make the data folder: synthetic catalog (no validation), the demo, the index."""
    source = data.parent / f"syn-{n}.nt"
    hdcat = hdcat_command()
    steps: list[list[str]] = []
    if not source.exists():
        steps.append([sys.executable, str(ROOT / "bench" / "generate.py"), str(n), "-o",
                      str(source)])
    steps += [
        [*hdcat, "--data", str(data), "init"],
        [*hdcat, "--data", str(data), "load", "--no-validate", "--no-progress", "--quiet",
         str(source)],
        [*hdcat, "--data", str(data), "load", "--quiet", "--no-progress",
         str(ROOT / "hdcat" / "demo" / "demo-catalog.ttl")],
        [*hdcat, "--data", str(data), "reindex"],
        # the quality scores, or the server's background job makes them while it is timed
        [*hdcat, "--data", str(data), "quality", "--no-progress"],
    ]
    for step in steps:
        print("$", " ".join(step), flush=True)
        start = time.monotonic()
        subprocess.run(step, cwd=ROOT, check=True)
        print(f"  {time.monotonic() - start:.0f} s", flush=True)


# --------------------------------------------------------------------------- 1. latency


def selected(name: str, only: list[str] | None) -> bool:
    return not only or any(o.lower() in name.lower() for o in only)


def bench_latency(port: int, reps: int, warmup: int, n_syn: int, seed: int,
                  only: list[str] | None = None) -> list[dict]:
    client = Client(port)
    rng = random.Random(seed)
    rows = []
    fresh = {"{zh-new}": new_queries("zh"), "{en-new}": new_queries("en")}
    for name, path, accept in PAGES:
        if not selected(name, only):
            continue
        times: list[float] = []
        sizes: list[int] = []
        skip = 0 if path in fresh else warmup  # the server is warm by then
        for i in range(skip + reps):
            if path in fresh:
                words = fresh[path]
                actual = "/search?q=" + quote(words[i % len(words)])
            else:
                actual = synthetic_path(rng, n_syn) if path == "{syn}" else path
            status, size, elapsed = client.get(actual, accept)
            if status != 200:
                raise SystemExit(f"{name}: HTTP {status} for {actual}")
            if i >= skip:
                times.append(elapsed)
                sizes.append(size)
        row = {
            "name": name, "group": page_group(name), "path": path, "accept": accept,
            "n": reps, "median_ms": ms(statistics.median(times)),
            "p95_ms": ms(percentile(times, 95)), "max_ms": ms(max(times)),
            "bytes": int(statistics.median(sizes)),
        }
        rows.append(row)
        print(f"  {name:34} median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms"
              f"  ({row['bytes']} B)", flush=True)
    client.close()
    return rows


# --------------------------------------------------------------------------- 2. SPARQL


def consume(result: object) -> int:
    """Read every solution (every bound term) or triple of a pyoxigraph result."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return 1
    n = 0
    if isinstance(result, ox.QuerySolutions):
        width = len(result.variables)
        for row in result:
            for i in range(width):
                row[i]
            n += 1
        return n
    for _triple in result:  # type: ignore[attr-defined]
        n += 1
    return n


def run_raw(store: object, text: str) -> tuple[float, int]:
    start = time.perf_counter()
    count = consume(store.query(text, use_default_graph_as_union=True))  # type: ignore[attr-defined]
    return time.perf_counter() - start, count


def run_endpoint(client: Client, path: str, accept: str, name: str) -> tuple[float, int]:
    status, size, elapsed = client.get(path, accept)
    if status != 200:
        raise SystemExit(f"{name}: endpoint answered HTTP {status}")
    return elapsed, size


def bench_sparql(server: Server, data: Path, budget_s: float, max_reps: int,
                 only: list[str] | None = None) -> list[dict]:
    import pyoxigraph as ox

    port = server.port
    store = ox.Store.read_only(str(data / "store"))
    client = Client(port)
    # the first query starts the worker processes: wait for them before timing anything
    path, accept = sparql_path("ASK {}", "floor")
    run_endpoint(client, path, accept, "ASK {}")
    waited = server.wait_workers()
    print(f"  (query workers started: waited {waited:.1f} s)", flush=True)
    rows = []
    for name, kind, query in QUERIES:
        if not selected(name, only):
            continue
        text = query if kind == "floor" else PROLOGUE + query
        path, accept = sparql_path(query, kind)
        raw = functools.partial(run_raw, store, text)
        endpoint = functools.partial(run_endpoint, client, path, accept, name)
        first_raw, count = raw()  # warm-up, and how long one run takes
        endpoint()
        endpoint()
        reps = max(3, min(max_reps, int(budget_s / max(first_raw, 0.001) / 2)))
        raw_times: list[float] = []
        ep_times: list[float] = []
        size = 0
        for i in range(reps):
            order: list[tuple[str, Callable[[], tuple[float, int]]]] = (
                [("raw", raw), ("endpoint", endpoint)] if i % 2 == 0
                else [("endpoint", endpoint), ("raw", raw)])
            for side, fn in order:
                elapsed, value = fn()
                if side == "raw":
                    raw_times.append(elapsed)
                else:
                    ep_times.append(elapsed)
                    size = value
        raw_med = statistics.median(raw_times)
        ep_med = statistics.median(ep_times)
        if kind == "floor":
            target, met = "(no target)", None
        elif kind == "point":
            target = f"<= raw + {POINT_SLACK_MS:g} ms"
            met = ep_med <= raw_med + POINT_SLACK_MS / 1000
        elif raw_med > SCAN_THRESHOLD_MS / 1000:
            target = f"<= {RATIO_TARGET}x raw"
            met = ep_med <= RATIO_TARGET * raw_med
        else:
            target = f"(raw < {SCAN_THRESHOLD_MS:g} ms: no ratio target)"
            met = None
        row = {
            "name": name, "kind": kind, "reps": reps, "results": count, "bytes": size,
            "raw_median_ms": ms(raw_med), "raw_p95_ms": ms(percentile(raw_times, 95)),
            "endpoint_median_ms": ms(ep_med), "endpoint_p95_ms": ms(percentile(ep_times, 95)),
            "ratio": round(ep_med / raw_med, 2) if raw_med else None,
            "overhead_ms": ms(ep_med - raw_med), "target": target, "met": met,
        }
        rows.append(row)
        print(f"  {name:46} {count:6} rows  raw {row['raw_median_ms']:8.1f} ms  endpoint "
              f"{row['endpoint_median_ms']:8.1f} ms  x{row['ratio']}  "
              f"(+{row['overhead_ms']:.1f} ms)  {target}: {met}", flush=True)
    client.close()
    return rows


# --------------------------------------------------------------------------- 3. load


ZH_WORDS = ["糖尿病", "肺癌", "高血压", "脑卒中", "结核病", "抑郁症", "队列研究", "电子病历",
            "监测", "上海市", "四川省", "慢性肾病"]
EN_WORDS = ["diabetes", "lung cancer", "hypertension", "stroke", "cohort study", "surveillance",
            "Shanghai", "influenza", "obesity", "registry"]
DOMAINS = ["health-management", "public-health", "biomedicine", "clinical-medicine", "pharmacy"]


@dataclass
class Mix:
    """What one load client asks for next: (type, path, Accept)."""

    n_syn: int
    rng: random.Random
    heavy: bool = False
    demo_ids: list[str] = field(default_factory=lambda: [
        DEMO_LINEAGE, "dm-complications-2020", "ncds-risk-v2", "stroke-registry-sc-2022",
        "lung-nodule-ct-2021", "ili-sentinel-2023"])

    def next(self) -> tuple[str, str, str]:
        r = self.rng.random()
        rng = self.rng
        if r < 0.10:
            return "page: home", "/", "text/html"
        if r < 0.25:
            return "page: dataset synthetic", synthetic_path(rng, self.n_syn), "text/html"
        if r < 0.35:
            return "page: dataset demo", f"/dataset/{rng.choice(self.demo_ids)}", "text/html"
        if r < 0.40:
            return "rdf: dataset Turtle", synthetic_path(rng, self.n_syn), "text/turtle"
        if r < 0.75:
            params: dict[str, str] = {"q": rng.choice(ZH_WORDS + EN_WORDS)}
            if rng.random() < 0.4:
                params["domain"] = DOMAIN + rng.choice(DOMAINS)
                params["level"] = LEVEL + f"L{rng.randint(1, 5)}"
            if rng.random() < 0.2:
                params["sort"] = "newest"
            if rng.random() < 0.2:
                params["page"] = str(rng.randint(2, 200))
            return "search", "/search?" + urlencode(params), "text/html"
        # SPARQL: 25% of requests
        if self.heavy:  # the six benchmark queries, whole-catalog ones included
            name, kind, query = rng.choices(QUERIES, weights=[4, 1, 2, 2, 1, 6])[0]
        else:
            name, kind, query = rng.choices(LOAD_QUERIES, weights=[2, 1, 1])[0]
        if "RECORD" in query or DEMO_RECORD in query:
            record = f"{BASE}/record/syn-{rng.randint(1, self.n_syn):07d}"
            query = query.replace(DEMO_RECORD, record).replace("RECORD", record)
        query = query.replace("DOMAIN", rng.choice(DOMAINS)).replace(
            "OFFSET 0", f"OFFSET {rng.randint(0, 20) * 50}")
        path, accept = sparql_path(query, kind)
        return f"sparql: {name}", path, accept


def bench_load(port: int, clients: int, duration: float, n_syn: int, seed: int,
               heavy: bool = False) -> dict:
    results: list[list[tuple[str, float, int, str]]] = [[] for _ in range(clients)]
    connects = [0] * clients
    stop_at = time.monotonic() + duration
    barrier = threading.Barrier(clients)

    def run(i: int) -> None:
        mix = Mix(n_syn, random.Random(seed * 1000 + i), heavy)
        client = Client(port)
        client.get("/")  # connect before the clock starts
        out = results[i]
        barrier.wait()
        while time.monotonic() < stop_at:
            kind, path, accept = mix.next()
            start = time.perf_counter()
            try:
                status, _size, elapsed = client.get(path, accept)
                error = "" if status == 200 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as e:
                elapsed, status = time.perf_counter() - start, 0
                error = f"{type(e).__name__}: {e}"
            if error:
                error += f" on {path[:120]}"
            out.append((kind, elapsed, status, error))
        connects[i] = client.connects
        client.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for th in threads:
        th.start()
    wall_start = time.monotonic()
    for th in threads:
        th.join()
    wall = time.monotonic() - wall_start
    every = [r for rs in results for r in rs]
    by_kind: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    for kind, elapsed, _status, error in every:
        by_kind.setdefault(kind, []).append(elapsed)
        if error:
            errors[error] = errors.get(error, 0) + 1
    rows = [
        {"type": kind, "n": len(times), "p50_ms": ms(statistics.median(times)),
         "p95_ms": ms(percentile(times, 95)), "max_ms": ms(max(times))}
        for kind, times in sorted(by_kind.items())
    ]
    all_times = [e for _k, e, _s, _r in every]
    summary = {
        "clients": clients, "duration_s": round(wall, 1), "requests": len(every),
        "requests_per_s": round(len(every) / wall, 1),
        "p50_ms": ms(statistics.median(all_times)), "p95_ms": ms(percentile(all_times, 95)),
        "errors": sum(errors.values()), "error_kinds": errors,
        "reconnects": sum(connects), "by_type": rows,
    }
    for row in rows:
        print(f"  {row['type']:60} n={row['n']:5}  p50 {row['p50_ms']:8.1f} ms  "
              f"p95 {row['p95_ms']:8.1f} ms", flush=True)
    print(f"  total {summary['requests']} requests in {summary['duration_s']} s: "
          f"{summary['requests_per_s']} req/s, errors {summary['errors']} {errors}", flush=True)
    return summary


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, type=Path, help="the data folder")
    parser.add_argument("--build", type=int, metavar="N",
                        help="build DIR with N synthetic datasets + the demo if it has no store")
    parser.add_argument("--synthetic", type=int, default=N_SYNTHETIC,
                        help="how many syn-NNNNNNN datasets DIR holds (for random picks)")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--reps", type=int, default=40, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--sparql-budget", type=float, default=20.0,
                        help="seconds of raw query time per SPARQL query (sets its reps)")
    parser.add_argument("--sparql-max-reps", type=int, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--heavy-sparql", action="store_true",
                        help="load: mix the six benchmark queries (seconds each) into the load")
    parser.add_argument("--sections", default="latency,sparql,load")
    parser.add_argument("--pages", help="latency: only the pages whose name contains one of "
                                        "these comma-separated words (e.g. 'new query')")
    parser.add_argument("--queries", help="sparql: only the queries whose name contains one of "
                                          "these comma-separated words (e.g. 'point,floor')")
    parser.add_argument("--code", type=Path,
                        help="serve from this source tree instead (PYTHONPATH), to compare a "
                             "copy of the code before a change in the same session")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    sections = {s.strip() for s in args.sections.split(",") if s.strip()}

    data = args.data.resolve()
    if not (data / "store").exists():
        if not args.build:
            parser.error(f"{data} has no store; give --build N to make it")
        build(data, args.build)
    port = args.port or free_port()
    out: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "loadavg_start": loadavg(),
    }
    print(f"load average at start: {out['loadavg_start']}", flush=True)
    server = start_server(data, port, data.parent / f"{data.name}-serve.log", args.code)
    only_pages = args.pages.split(",") if args.pages else None
    only_queries = args.queries.split(",") if args.queries else None
    out["server"] = {"command": " ".join(server.command), "startup_s": round(server.startup_s, 1),
                     "code": str(args.code or ROOT)}
    print(f"server: {' '.join(server.command)} (answering after {server.startup_s:.1f} s)",
          flush=True)
    try:
        if "latency" in sections:
            print("1. page latency (one keep-alive client)", flush=True)
            out["latency"] = bench_latency(port, args.reps, args.warmup, args.synthetic,
                                           args.seed, only_pages)
        if "sparql" in sections:
            print("2. SPARQL endpoint vs pyoxigraph", flush=True)
            out["sparql"] = bench_sparql(server, data, args.sparql_budget,
                                         args.sparql_max_reps, only_queries)
        if "load" in sections:
            print(f"3. {args.clients} clients for {args.duration:g} s", flush=True)
            out["load"] = bench_load(port, args.clients, args.duration, args.synthetic,
                                     args.seed, args.heavy_sparql)
        out["memory_mb"] = server.rss_mb()
        print(f"server memory (MB): {out['memory_mb']}", flush=True)
    finally:
        server.stop()
    out["loadavg_end"] = loadavg()
    print(f"load average at end: {out['loadavg_end']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
