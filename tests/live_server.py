"""A real hdcat web server on 127.0.0.1 (waitress in a thread), for browser and client tests."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from waitress.server import create_server

from hdcat.catalog import Catalog


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(catalog: Catalog, threads: int = 8) -> Iterator[str]:
    """Serve `catalog` with the production server; yield the base URL."""
    from service.app import create_app

    app = create_app(catalog)
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=threads)
    base = f"http://127.0.0.1:{server.effective_port}"
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        yield base
    finally:
        server.close()
        thread.join(timeout=5)
