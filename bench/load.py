"""Load test (issue #9): N concurrent clients against the served catalog for D seconds.

    python bench/load.py [--data /tmp/hdcat-load] [--build 100000] [--clients 32]
                         [--duration 60] [--warmup 15] [--json FILE] [--markdown FILE]

Serves DATA with ``hdcat serve`` (waitress, as a user serves it; a subprocess in its own
session) on 127.0.0.1 and runs CLIENTS threads, each with its own keep-alive connection,
mixing page views, searches and SPARQL queries (bench/web.py's ``Mix``: 10% home, 25% dataset
pages, 5% a dataset as Turtle, 35% searches in zh and en with facets, newest-first and deep
pages, 25% SPARQL). A warm-up of WARMUP seconds with the same load comes first and is not
measured. Every answer that is not 200, and every failed connection, is an error.

Measured: requests per second; p50 / p95 / max per request type and overall; the server's
resident memory (and its SPARQL workers') sampled every second during warm-up and run, with
its start, end, minimum, maximum and the slope over the second half of the run (a server
that leaks grows steadily; a stable one levels off).

DATA is built once (``--build N``: bench/generate.py N synthetic datasets, the demo catalog,
the search index; about 10 minutes for 100,000 on two cores) and reused: build it into
/tmp/hdcat-load, outside the work tree.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web  # noqa: E402 - bench/web.py, beside this file

DEFAULT_DATA = Path("/tmp/hdcat-load")


class MemorySampler(threading.Thread):
    """The server's RSS (and its workers') every `every` seconds until stopped."""

    def __init__(self, server: web.Server, every: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.every = every
        self.samples: list[tuple[float, float, float, int]] = []
        self._halt = threading.Event()
        self.start_time = time.monotonic()

    def run(self) -> None:
        while not self._halt.is_set():
            m = self.server.rss_mb()
            self.samples.append((time.monotonic() - self.start_time, m["server_rss"],
                                 m["workers_rss"], int(m["workers"])))
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


def slope_mb_per_min(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB), in MB per minute."""
    if len(points) < 3:
        return float("nan")
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return 60.0 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den \
        else float("nan")


def run_clients(port: int, clients: int, duration: float, n_syn: int, seed: int,
                record: bool) -> list[list[tuple[str, float, int, str]]]:
    """CLIENTS threads for DURATION seconds; each one's (type, seconds, status, error)."""
    results: list[list[tuple[str, float, int, str]]] = [[] for _ in range(clients)]
    barrier = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client_main(i: int) -> None:
        mix = web.Mix(n_syn, random.Random(seed * 1000 + i))
        client = web.Client(port, timeout=120)
        with contextlib.suppress(OSError, http.client.HTTPException):
            client.get("/")  # connect before the clock starts
        barrier.wait()
        out = results[i]
        while time.monotonic() < stop_at[0]:
            kind, path, accept = mix.next()
            start = time.perf_counter()
            try:
                status, _size, elapsed = client.get(path, accept)
                error = "" if status == 200 else f"HTTP {status} on {path[:120]}"
            except (OSError, http.client.HTTPException) as e:
                elapsed, status = time.perf_counter() - start, 0
                error = f"{type(e).__name__}: {e} on {path[:120]}"
            if record:
                out.append((kind, elapsed, status, error))
        client.close()

    threads = [threading.Thread(target=client_main, args=(i,)) for i in range(clients)]
    for th in threads:
        th.start()
    stop_at[0] = time.monotonic() + duration + 1e9  # set for real once all are connected
    barrier.wait()
    stop_at[0] = time.monotonic() + duration
    for th in threads:
        th.join()
    return results


def summarise(results: list[list[tuple[str, float, int, str]]], wall: float) -> dict:
    every = [r for rs in results for r in rs]
    by_type: dict[str, list[float]] = {}
    groups: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    for kind, elapsed, _status, error in every:
        by_type.setdefault(kind, []).append(elapsed)
        groups.setdefault(kind.split(":")[0], []).append(elapsed)
        if error:
            errors[error] = errors.get(error, 0) + 1

    def row(name: str, times: list[float]) -> dict:
        return {"type": name, "n": len(times), "p50_ms": web.ms(statistics.median(times)),
                "p95_ms": web.ms(web.percentile(times, 95)), "max_ms": web.ms(max(times))}

    times = [e for _k, e, _s, _r in every]
    return {
        "requests": len(every), "duration_s": round(wall, 1),
        "requests_per_s": round(len(every) / wall, 1),
        "p50_ms": web.ms(statistics.median(times)), "p95_ms": web.ms(web.percentile(times, 95)),
        "errors": sum(errors.values()), "error_kinds": dict(sorted(
            errors.items(), key=lambda kv: -kv[1])[:20]),
        "by_group": [row(g, t) for g, t in sorted(groups.items())],
        "by_type": [row(k, t) for k, t in sorted(by_type.items())],
    }


def memory_summary(samples: list[tuple[float, float, float, int]], run_start: float,
                   run_end: float) -> dict:
    run = [s for s in samples if run_start <= s[0] <= run_end]
    second_half = [s for s in run if s[0] >= (run_start + run_end) / 2]
    total = [(s[0], s[1] + s[2]) for s in run]
    return {
        "samples": len(samples), "every_s": 1.0,
        "server_start_mb": run[0][1] if run else None,
        "server_end_mb": run[-1][1] if run else None,
        "server_min_mb": min(s[1] for s in run) if run else None,
        "server_max_mb": max(s[1] for s in run) if run else None,
        "workers_end_mb": run[-1][2] if run else None, "workers": run[-1][3] if run else None,
        "server_slope_second_half_mb_per_min": round(slope_mb_per_min(
            [(s[0], s[1]) for s in second_half]), 1),
        "total_slope_second_half_mb_per_min": round(slope_mb_per_min(
            [t for t in total if t[0] >= (run_start + run_end) / 2]), 1),
        "series": [(round(s[0], 1), s[1], s[2]) for s in samples],
    }


def markdown(out: dict) -> str:
    r, m = out["run"], out["memory"]
    lines = [
        f"Command: `{out['command']}`. {out['date']}; {out['machine']}; load average "
        f"{out['loadavg_start']} at the start, {out['loadavg_end']} at the end. Catalog: "
        f"{out['catalog']}. Server: `{out['server']['command']}` (waitress, 8 threads), "
        f"answering after {out['server']['startup_s']} s.",
        "",
        f"**{out['clients']} clients, {r['duration_s']} s** (after {out['warmup_s']:g} s of "
        f"warm-up at the same load): **{r['requests']} requests, {r['requests_per_s']} per "
        f"second, {r['errors']} errors**; all requests p50 {r['p50_ms']:.0f} ms, p95 "
        f"{r['p95_ms']:.0f} ms.",
        "",
        "| request type | n | p50 ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    rows = [(f"**{row['type']} (all)**", row) for row in r["by_group"]]
    rows += [(row["type"], row) for row in r["by_type"] if ":" in row["type"]]
    for name, row in rows:
        lines.append(f"| {name} | {row['n']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | "
                     f"{row['max_ms']:.0f} |")
    series = m["series"]
    step = max(1, len(series) // 12)
    lines += [
        "",
        f"Server memory (RSS, sampled every second from the start of the warm-up): "
        f"{m['server_start_mb']:.0f} MB when the measured run began, "
        f"{m['server_end_mb']:.0f} MB at its end (min {m['server_min_mb']:.0f}, max "
        f"{m['server_max_mb']:.0f}); slope over the second half of the run "
        f"{m['server_slope_second_half_mb_per_min']:+.1f} MB/min (server), "
        f"{m['total_slope_second_half_mb_per_min']:+.1f} MB/min (server + {m['workers']} "
        f"SPARQL workers, {m['workers_end_mb']:.0f} MB at the end).",
        "",
        "| t (s) | " + " | ".join(f"{s[0]:.0f}" for s in series[::step]) + " |",
        "| --- | " + " | ".join("---:" for _ in series[::step]) + " |",
        "| server MB | " + " | ".join(f"{s[1]:.0f}" for s in series[::step]) + " |",
        "| workers MB | " + " | ".join(f"{s[2]:.0f}" for s in series[::step]) + " |",
    ]
    if r["error_kinds"]:
        lines += ["", "Errors: " + "; ".join(f"{k} ×{v}" for k, v in r["error_kinds"].items())]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--build", type=int, metavar="N",
                        help="build DATA with N synthetic datasets + the demo if it has no store")
    parser.add_argument("--synthetic", type=int, default=web.N_SYNTHETIC,
                        help="how many syn-NNNNNNN datasets DATA holds (for random picks)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=15.0)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--markdown", type=Path, help="write the figures as a Markdown section")
    args = parser.parse_args(argv)

    data = args.data.resolve()
    if not (data / "store").exists():
        if not args.build:
            parser.error(f"{data} has no store; give --build N to make it")
        web.build(data, args.build)
    port = args.port or web.free_port()
    out: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "command": " ".join(["python", *sys.argv]),
        "catalog": f"{data} ({args.synthetic:,} synthetic datasets + the demo)",
        "clients": args.clients, "warmup_s": args.warmup, "loadavg_start": web.loadavg(),
    }
    server = web.start_server(data, port, data.parent / f"{data.name}-serve.log")
    out["server"] = {"command": " ".join(server.command), "startup_s": round(server.startup_s, 1)}
    print(f"server answering after {server.startup_s:.1f} s; warm-up {args.warmup:g} s",
          flush=True)
    sampler = MemorySampler(server)
    sampler.start()
    try:
        if args.warmup > 0:
            run_clients(port, args.clients, args.warmup, args.synthetic, args.seed + 1,
                        record=False)
        print(f"{args.clients} clients for {args.duration:g} s", flush=True)
        run_start = time.monotonic() - sampler.start_time
        began = time.monotonic()
        results = run_clients(port, args.clients, args.duration, args.synthetic, args.seed,
                              record=True)
        wall = time.monotonic() - began
        run_end = time.monotonic() - sampler.start_time
        time.sleep(1.5)
    finally:
        server.stop()
        sampler.stop()
    out["run"] = summarise(results, wall)
    out["memory"] = memory_summary(sampler.samples, run_start, run_end)
    out["loadavg_end"] = web.loadavg()
    r = out["run"]
    for row in r["by_group"] + r["by_type"]:
        print(f"  {row['type']:58} n={row['n']:6}  p50 {row['p50_ms']:8.1f} ms  "
              f"p95 {row['p95_ms']:8.1f} ms  max {row['max_ms']:8.1f} ms")
    m = out["memory"]
    print(f"total {r['requests']} requests in {r['duration_s']} s: {r['requests_per_s']} req/s,"
          f" errors {r['errors']} {r['error_kinds']}")
    print(f"server RSS {m['server_start_mb']} -> {m['server_end_mb']} MB (max "
          f"{m['server_max_mb']}), slope {m['server_slope_second_half_mb_per_min']} MB/min; "
          f"workers {m['workers']} ({m['workers_end_mb']} MB)")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1))
    if args.markdown:
        args.markdown.write_text(markdown(out), encoding="utf-8")
    return 0 if r["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
