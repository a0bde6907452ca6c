"""Shared fixtures: the store under test, embedded and remote (a real Oxigraph server, and a
real Virtuoso Open Source 7 when Debian's virtuoso-opensource is installed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import free_port
from virtuoso_server import VirtuosoServer, virtuoso_binary

from hdcat.store import EmbeddedStore, RemoteStore, Store


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "virtuoso: runs against Virtuoso Open Source 7 (Debian's package) on 127.0.0.1"
    )


def _oxigraph_binary() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    if local.exists():
        return str(local)
    return shutil.which("oxigraph")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start `oxigraph serve` on 127.0.0.1 at a free port; yield its base URL."""
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed")
    location = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    log = (location / "server.log").open("wb")
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(location / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph server exited: {(location / 'server.log').read_text()}")
            try:
                req = urllib.request.Request(
                    f"{base}/query",
                    data=b"ASK {}",
                    headers={"Content-Type": "application/sparql-query"},
                )
                with urllib.request.urlopen(req, timeout=1) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("oxigraph server did not answer within 30 s")
            time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """A throwaway Virtuoso on 127.0.0.1 at free ports (tests/virtuoso_server.py), prepared
    for hdcat as docs/deployment.md says; stopped and its database removed at the end."""
    if virtuoso_binary() is None:
        pytest.skip("Virtuoso is not installed (no virtuoso-t: scripts/test.sh installs "
                    "Debian's virtuoso-opensource)")
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    try:
        server.start()
    except RuntimeError as e:
        pytest.fail(f"Virtuoso did not start: {e}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(
    params=[
        "embedded",
        pytest.param("remote", marks=pytest.mark.remote),
        pytest.param("remote-sparqlwrapper", marks=pytest.mark.remote),
        pytest.param("virtuoso", marks=pytest.mark.virtuoso),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend (remote ones share the session server, cleared)."""
    if request.param == "embedded":
        s: Store = EmbeddedStore(tmp_path / "store")
    elif request.param == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
        s = RemoteStore.virtuoso(server.sparql_url)
        s.clear()
    else:
        base = request.getfixturevalue("oxigraph_server")
        client = "sparqlwrapper" if request.param == "remote-sparqlwrapper" else "http"
        s = RemoteStore.from_base_url(base, client=client)
        s.clear()
    try:
        yield s
    finally:
        s.close()
