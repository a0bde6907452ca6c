"""Site paths of catalog IRIs, for views (the mapping itself is hdcat.browse.local_path)."""

from __future__ import annotations

from flask import current_app, request

from hdcat.browse import local_path as _path_of


def local_path(iri: str) -> str:
    """The site path of an IRI this site has a page for (its own datasets, records, agents,
    standards and concepts), under the app's script root; any other IRI unchanged."""
    path = _path_of(iri, current_app.catalog.settings.base_iri)  # type: ignore[attr-defined]
    return request.script_root + path if path is not None else iri
