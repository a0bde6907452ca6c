"""The test web server stops cleanly: no error in its threads, nothing left running."""

from __future__ import annotations

import http.client
import threading

import pytest
from flask import Flask
from live_server import start_server, stop_server


def test_a_server_stops_cleanly_with_a_connection_still_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    failures: list[threading.ExceptHookArgs] = []
    monkeypatch.setattr(threading, "excepthook", failures.append)
    app = Flask(__name__)
    app.add_url_rule("/", view_func=lambda: "ok")
    server, thread = start_server(app, threads=2)
    port = server.effective_port
    kept = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    kept.request("GET", "/")
    assert kept.getresponse().read() == b"ok"  # HTTP/1.1: the connection stays open

    stop_server(server, thread)

    assert not thread.is_alive()
    assert not server.task_dispatcher.threads
    assert failures == []
    with pytest.raises(ConnectionRefusedError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=5).request("GET", "/")
    kept.request("GET", "/")  # the open connection was closed by the server
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        kept.getresponse()
