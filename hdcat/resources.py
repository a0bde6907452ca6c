"""Where the project's data lives: ontology/, shapes/, queries and the demo catalog."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    """A top-level data folder: beside the package in a checkout, else installed under share/."""
    candidates = [_PACKAGE.parent / name, Path(sys.prefix) / "share" / "hdcat" / name]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"hdcat data folder {name!r} not found (looked in {candidates})")


@cache
def ontology_dir() -> Path:
    return _find("ontology")


@cache
def shapes_dir() -> Path:
    return _find("shapes")


def queries_dir() -> Path:
    return _PACKAGE / "queries"


def demo_catalog() -> Path:
    return _PACKAGE / "demo" / "demo-catalog.ttl"


def ontology_files() -> dict[str, list[Path]]:
    """The shipped RDF files grouped by the graph they are loaded into."""
    from hdcat.namespaces import (
        GRAPH_LEGISLATION,
        GRAPH_ONTOLOGY,
        GRAPH_STANDARDS,
        GRAPH_VOCABULARIES,
    )

    root = ontology_dir()
    return {
        GRAPH_ONTOLOGY: [root / "hdcat.ttl"],
        GRAPH_VOCABULARIES: sorted((root / "vocabularies").rglob("*.ttl")),
        GRAPH_STANDARDS: [root / "standards.ttl"],
        GRAPH_LEGISLATION: [root / "legislation.ttl"],
    }
