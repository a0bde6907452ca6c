"""What a client asked for, for the views that answer either HTML or JSON."""

from __future__ import annotations

from flask import request


def wants_json() -> bool:
    """`?format=json`, or an Accept header that prefers JSON to HTML."""
    return request.args.get("format") == "json" or (
        request.accept_mimetypes.best_match(["text/html", "application/json"])
        == "application/json"
    )
