"""Harvest benchmark: a paged DCAT source on 127.0.0.1, harvested into fresh data folders.

    python bench/harvest.py --sizes 10000,100000 [--page-size 500] [--format nt|ttl]
                            [--workdir DIR] [--no-rerun] [--profile 2000]

The source is the synthetic catalog of bench/generate.py (seed 42, so the same bytes every
run), split once into per-dataset blocks and served by a small threaded http.server on
127.0.0.1 in its own process: `/cat/N?page=K` is page K of a catalog of the first N datasets,
`--page-size` datasets a page, each page with the publisher agents and a
hydra:PartialCollectionView (hydra:next, hydra:totalItems). For each size N, each step in its
own subprocess (peak RSS is that subprocess's VmHWM):

* raw:      pyoxigraph.Store(dir).bulk_load of the same N datasets (one file), for context
* init:     `Catalog.initialize()` of a fresh data folder (not timed)
* first:    Harvester(catalog, state).add("src", URL, "dcat") and .run("src"): fetch, parse,
            split, hash, validate (with whatever engine the catalog uses), write, state
* again:    .run("src") again on the same folder, the source unchanged (every record is
            hashed and found unchanged; nothing is validated or written)

With --profile N, a single in-process cProfile of a first harvest of N datasets, broken down
by phase (fetch, parse, split, hash, validate, write, state).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

FORMATS = {"nt": ("N_TRIPLES", "application/n-triples"), "ttl": ("TURTLE", "text/turtle")}
HYDRA = "http://www.w3.org/ns/hydra/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
# The first line of each dataset block of bench/generate.py: <catalog> dcat:dataset <ds> .
BLOCK_MARKERS = (b" <http://www.w3.org/ns/dcat#dataset> ", b" dcat:dataset ")


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def validation_engine() -> str:
    """The engine the catalog validates harvested records with (its default)."""
    import inspect

    from hdcat.catalog import Catalog

    try:
        check = inspect.signature(Catalog._check).parameters.get("engine")
        batch = inspect.signature(Catalog._validate_batch).parameters.get("engine")
    except (TypeError, ValueError):
        return "unknown"
    engine = (check or batch).default if (check or batch) else "pyshacl"
    if engine == "fast":
        return "fast (hdcat.fastshacl, the catalog default)"
    return f"{engine} (the catalog default)"


# ---------------------------------------------------------------------------- the source


class Blocks:
    """A synthetic catalog file cut into its header (prefixes, agents) and dataset blocks."""

    def __init__(self, path: Path) -> None:
        self.data = path.read_bytes()
        starts: list[int] = []
        pos = 0
        data = self.data
        while True:
            end = data.find(b"\n", pos)
            if end < 0:
                break
            line = data[pos:end]
            if any(m in line for m in BLOCK_MARKERS):
                starts.append(pos)
            pos = end + 1
        self.header = data[: starts[0]] if starts else data
        self.starts = starts + [len(data)]

    def __len__(self) -> int:
        return len(self.starts) - 1

    def span(self, first: int, last: int) -> bytes:
        """Dataset blocks first..last-1 (0-based)."""
        return self.data[self.starts[first] : self.starts[last]]


def serve(file: Path, page_size: int, fmt: str) -> None:
    """Serve `file` as paged DCAT on 127.0.0.1 (a free port, printed on stdout) until killed."""
    blocks = Blocks(file)
    mime = FORMATS[fmt][1]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            bits = parts.path.strip("/").split("/")
            try:
                if len(bits) != 2 or bits[0] != "cat":
                    raise ValueError
                total = min(int(bits[1]), len(blocks))
                page = int(parse_qs(parts.query).get("page", ["1"])[0])
            except ValueError:
                self.send_error(404)
                return
            pages = max(1, -(-total // page_size))
            if not 1 <= page <= pages:
                self.send_error(404)
                return
            first = (page - 1) * page_size
            last = min(first + page_size, total)
            host = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
            here = f"{host}/cat/{total}?page={page}"
            view = [
                f"<{here}> <{RDF_TYPE}> <{HYDRA}PartialCollectionView> .",
                f'<{here}> <{HYDRA}totalItems> "{total}"^^<{XSD_INTEGER}> .',
            ]
            if page < pages:
                view.append(f"<{here}> <{HYDRA}next> <{host}/cat/{total}?page={page + 1}> .")
            body = b"".join([blocks.header, blocks.span(first, last),
                             ("\n".join(view) + "\n").encode()])
            self.send_response(200)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


@contextlib.contextmanager
def source_server(file: Path, page_size: int, fmt: str):
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(file), str(page_size), fmt],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


# ---------------------------------------------------------------------------- children


def child_raw(file: Path, folder: Path, fmt: str, n: int) -> dict[str, object]:
    """Bulk load of the first n dataset blocks (plus the header) as one document."""
    import pyoxigraph as ox

    blocks = Blocks(file)
    body = blocks.header + blocks.span(0, min(n, len(blocks)))
    del blocks
    store = ox.Store(str(folder))
    start, times = time.perf_counter(), os.times()
    store.bulk_load(body, format=getattr(ox.RdfFormat, FORMATS[fmt][0]))
    store.flush()
    now = os.times()
    return {"seconds": time.perf_counter() - start, "quads": len(store),
            "cpu": now.user + now.system - times.user - times.system}


def child_init(folder: Path) -> dict[str, object]:
    from hdcat.catalog import Catalog

    catalog = Catalog.open(folder)
    start = time.perf_counter()
    catalog.initialize()
    catalog.close()
    return {"seconds": time.perf_counter() - start}


def _harvest(folder: Path, url: str | None) -> dict[str, object]:
    from hdcat.catalog import Catalog
    from hdcat.state import PrivateState
    from loaders.harvest import Harvester

    catalog = Catalog.open(folder)
    state = PrivateState(catalog.settings.data_dir / "private.sqlite")
    harvester = Harvester(catalog, state)
    start, times = time.perf_counter(), os.times()
    if url is not None:
        harvester.add("src", url, "dcat")
    report = harvester.run("src")
    if hasattr(catalog.store, "flush"):
        catalog.store.flush()
    seconds = time.perf_counter() - start
    now = os.times()
    cpu = now.user + now.system - times.user - times.system
    state.close()
    catalog.close()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "status": report.status,
        "pages": report.pages,
        "counts": report.counts(),
        "source_errors": report.source_errors[:5],
        "failed": report.failed[:3],
    }


def child_main(argv: list[str]) -> None:
    kind = argv[0]
    if kind == "raw":
        result = child_raw(Path(argv[1]), Path(argv[2]), argv[3], int(argv[4]))
    elif kind == "init":
        result = child_init(Path(argv[1]))
    elif kind == "first":
        result = _harvest(Path(argv[1]), argv[2])
        result["engine"] = validation_engine()
    else:
        result = _harvest(Path(argv[1]), None)
    result["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(result))


def run_child(*args: str) -> dict[str, object]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", *args],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    # The whole command, start to exit: opening the store, and closing it (which waits for
    # RocksDB's background compactions), are outside `seconds`.
    result["command_seconds"] = time.perf_counter() - start
    return result


# ---------------------------------------------------------------------------- profile

PHASES = [
    # (phase, (module file suffix, function name)): cumulative time of these functions
    ("fetch", [("loaders/http.py", "get")]),
    ("parse", [("loaders/dcat.py", "parse_rdf")]),
    ("hydra", [("loaders/dcat.py", "split_hydra")]),
    ("unify (identity keys)", [("loaders/harvest.py", "_unify")]),
    ("split (Splitter, existing records)", [("hdcat/records.py", "__init__"),
                                    ("hdcat/records.py", "iter_records"),
                                    ("hdcat/records.py", "shared_graphs"),
                                    ("hdcat/catalog.py", "_existing_records")]),
    ("hash", [("loaders/harvest.py", "content_hash")]),
    ("validate", [("hdcat/catalog.py", "_check")]),
    ("write", [("hdcat/catalog.py", "_write")]),
    ("state (SQLite)", [("hdcat/state.py", "*")]),
    ("decorate", [("loaders/harvest.py", "decorate")]),
]


def _phases(stats: object) -> list[tuple[str, float]]:
    raw = stats.stats  # type: ignore[attr-defined]
    rows: list[tuple[str, float]] = []
    for phase, wanted in PHASES:
        seconds = 0.0
        for (path, _line, func), (_cc, _nc, _tt, ct, callers) in raw.items():
            for suffix, name in wanted:
                if not path.endswith(suffix) or name not in ("*", func):
                    continue
                # only the outermost calls (not those made from within the same phase)
                nested = any(c[0].endswith(suffix) and (name == "*" or c[2] == name)
                             for c in callers)
                if not nested:
                    seconds += ct
        rows.append((phase, seconds))
    return rows


def profile(n: int, url: str, folder: Path, out: Path) -> dict[str, list[tuple[str, float]]]:
    """cProfile a first harvest of n datasets, then an unchanged re-harvest, in-process."""
    import cProfile
    import pstats

    from hdcat.catalog import Catalog
    from hdcat.state import PrivateState
    from loaders.harvest import Harvester

    catalog = Catalog.open(folder)
    catalog.initialize()
    state = PrivateState(catalog.settings.data_dir / "private.sqlite")
    harvester = Harvester(catalog, state)
    harvester.add("src", url, "dcat")
    tables: dict[str, list[tuple[str, float]]] = {}
    for label in ("first", "again"):
        prof = cProfile.Profile()
        start = time.perf_counter()
        prof.enable()
        report = harvester.run("src")
        prof.disable()
        total = time.perf_counter() - start
        path = out.with_suffix(f".{label}.prof")
        prof.dump_stats(str(path))
        print(f"\n== {label} harvest of {n}: {report.counts()} in {total:.1f} s"
              f" ({n / total:,.0f} ds/s under cProfile)")
        stats = pstats.Stats(str(path))
        stats.sort_stats("cumulative").print_stats(30)
        tables[label] = [("total (wall)", total), *_phases(stats)]
    state.close()
    catalog.close()
    return tables


# ---------------------------------------------------------------------------- driver


def ensure_file(n: int, suffix: str, workdir: Path) -> Path:
    from generate import ensure_file as cached

    return cached(n, suffix, workdir)


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def bench_size(n: int, base: str, file: Path, args: argparse.Namespace,
               workdir: Path) -> dict[str, object]:
    url = f"{base}/cat/{n}"
    row: dict[str, object] = {"n": n}
    print(f"[{n}] raw bulk_load ...", file=sys.stderr)
    row["raw"] = run_child("raw", str(file), str(fresh(workdir / "raw")), args.format, str(n))
    shutil.rmtree(workdir / "raw", ignore_errors=True)
    folder = fresh(workdir / f"harvest-{n}")
    run_child("init", str(folder))
    print(f"[{n}] first harvest of {url} ...", file=sys.stderr)
    row["first"] = run_child("first", str(folder), url)
    print(f"[{n}] {row['first']}", file=sys.stderr)
    if not args.no_rerun:
        print(f"[{n}] unchanged re-harvest ...", file=sys.stderr)
        row["again"] = run_child("again", str(folder))
        print(f"[{n}] {row['again']}", file=sys.stderr)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return row


def rate(n: int, part: object) -> float:
    return n / float(part["seconds"])  # type: ignore[index]


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| datasets | first harvest (validated) | unchanged re-harvest | speed-up | "
        "raw `bulk_load` | first / raw | peak RSS first | peak RSS re-harvest | raw peak RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        n = int(row["n"])  # type: ignore[arg-type]
        first, raw, again = row["first"], row["raw"], row.get("again")
        f_s, r_s = float(first["seconds"]), float(raw["seconds"])  # type: ignore[index]
        again_txt = speed = again_rss = "–"
        if again:
            a_s = float(again["seconds"])  # type: ignore[index]
            again_txt = f"{n / a_s:,.0f} ds/s ({a_s:.1f} s)"
            speed = f"{f_s / a_s:.1f}x"
            again_rss = f"{again['peak_rss_mb']:.0f} MB"  # type: ignore[index]
        lines.append(
            f"| {n:,} | {n / f_s:,.0f} ds/s ({f_s:.1f} s) | {again_txt} | {speed} | "
            f"{n / r_s:,.0f} ds/s ({r_s:.1f} s) | {r_s / f_s:.2f}x | "
            f"{first['peak_rss_mb']:.0f} MB | {again_rss} | "  # type: ignore[index]
            f"{raw['peak_rss_mb']:.0f} MB |"  # type: ignore[index]
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child_main(argv[1:])
        return 0
    if argv[:1] == ["--serve"]:
        serve(Path(argv[1]), int(argv[2]), argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--format", choices=sorted(FORMATS), default="nt")
    parser.add_argument("--workdir", default="/tmp/hdcat-harvest-bench")
    parser.add_argument("--no-rerun", action="store_true", help="skip the unchanged re-harvest")
    parser.add_argument("--keep", action="store_true", help="keep the data folders")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="only profile (cProfile) a first harvest of N datasets")
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if not args.profile else [args.profile]
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    file = ensure_file(max(sizes), args.format, workdir)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},"
          f" {date.today()}, load {os.getloadavg()[0]:.2f}", file=sys.stderr)
    with source_server(file, args.page_size, args.format) as base:
        if args.profile:
            folder = fresh(workdir / "profile")
            tables = profile(args.profile, f"{base}/cat/{args.profile}", folder,
                             workdir / "harvest.prof")
            shutil.rmtree(folder, ignore_errors=True)
            print(f"validator: {validation_engine()}")
            print("\n| phase | first harvest s | share | unchanged re-harvest s | share |")
            print("|---|---:|---:|---:|---:|")
            first, again = tables["first"], tables["again"]
            for (phase, f_s), (_p, a_s) in zip(first, again, strict=True):
                print(f"| {phase} | {f_s:.2f} | {f_s / first[0][1]:.0%} | {a_s:.2f} |"
                      f" {a_s / again[0][1]:.0%} |")
            return 0
        results = []
        for n in sizes:
            results.append(bench_size(n, base, file, args, workdir))
            print(table(results), file=sys.stderr)
    engine = results[0]["first"].get("engine", "?")  # type: ignore[union-attr]
    print(f"validator: {engine}; load average {os.getloadavg()}")
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
