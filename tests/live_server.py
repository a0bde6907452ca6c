"""Servers on 127.0.0.1 for tests: a free port, and the real hdcat web server (waitress in a
thread) for browser and client tests."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from waitress.server import BaseWSGIServer, create_server

from hdcat.catalog import Catalog


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(catalog: Catalog, threads: int = 8) -> Iterator[str]:
    """Serve `catalog` with the production server; yield the base URL."""
    from service.app import create_app

    app = create_app(catalog)
    server, thread = start_server(app, threads)
    base = f"http://127.0.0.1:{server.effective_port}"
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
        stop_server(server, thread)


def start_server(app: object, threads: int = 8) -> tuple[BaseWSGIServer, threading.Thread]:
    """A waitress server for `app` on a free port of 127.0.0.1, running in a thread."""
    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True, name="waitress-loop")
    thread.start()
    return server, thread


def stop_server(server: BaseWSGIServer, thread: threading.Thread, timeout: float = 5.0) -> None:
    """Stop a server `start_server` started. Its sockets are closed by its own loop, woken by
    its trigger (closed from another thread while the loop waits in select(), they make the
    loop fail with EBADF); the loop then ends, having nothing left to watch, and so do the
    server's task threads."""

    def close_all() -> None:
        server.close()  # the listening socket and the trigger
        for channel in list(server._map.values()):  # the connections left
            channel.handle_close()

    server.trigger.pull_trigger(close_all)
    thread.join(timeout)
    if thread.is_alive():
        raise RuntimeError(f"the server on port {server.effective_port} did not stop")
    server.task_dispatcher.shutdown(timeout=timeout)
