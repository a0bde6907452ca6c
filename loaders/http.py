"""Fetching sources over HTTP (or from local files) with timeouts and size limits.

Only the URLs a harvest source names (and the pages they link to) are fetched; nothing
else is ever downloaded.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path


class FetchError(Exception):
    """A page that could not be fetched: names the URL and why."""

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        super().__init__(f"{url}: {message}")


@dataclass
class Response:
    url: str
    status: int
    content_type: str
    body: bytes


class Http:
    """A small HTTP client for harvesting: GET with Accept, timeout and a body size cap."""

    def __init__(self, timeout: float = 30.0, max_bytes: int = 200 * 1024 * 1024,
                 user_agent: str = "hdcat-harvester/0.1") -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.user_agent = user_agent

    def get(self, url: str, accept: str = "*/*") -> Response:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme in ("", "file"):
            path = Path(urllib.parse.unquote(parsed.path) if parsed.scheme else url)
            try:
                body = path.read_bytes()
            except OSError as e:
                raise FetchError(url, f"cannot read file: {e.strerror}") from None
            return Response(url, 200, "", body)
        if parsed.scheme not in ("http", "https"):
            raise FetchError(url, f"unsupported URL scheme {parsed.scheme!r}")
        request = urllib.request.Request(
            url, headers={"Accept": accept, "User-Agent": self.user_agent}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                body = resp.read(self.max_bytes + 1)
                if len(body) > self.max_bytes:
                    raise FetchError(url, f"response larger than {self.max_bytes} bytes")
                return Response(resp.geturl(), resp.status,
                                resp.headers.get("Content-Type", ""), body)
        except urllib.error.HTTPError as e:
            raise FetchError(url, f"HTTP {e.code} {e.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise FetchError(url, f"cannot fetch: {reason}") from None
