"""Shared fixtures: the store under test, embedded and remote (a real Oxigraph server)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from hdcat.store import EmbeddedStore, RemoteStore, Store


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    port = _free_port()
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


@pytest.fixture(
    params=[
        "embedded",
        pytest.param("remote", marks=pytest.mark.remote),
        pytest.param("remote-sparqlwrapper", marks=pytest.mark.remote),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend (remote ones share the session server, cleared)."""
    if request.param == "embedded":
        s: Store = EmbeddedStore(tmp_path / "store")
    else:
        base = request.getfixturevalue("oxigraph_server")
        client = "sparqlwrapper" if request.param == "remote-sparqlwrapper" else "http"
        s = RemoteStore.from_base_url(base, client=client)
        s.clear()
    try:
        yield s
    finally:
        s.close()
