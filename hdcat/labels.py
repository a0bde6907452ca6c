"""Human labels of IRIs in the chosen language, read from the graph (vocabularies are data).

One query loads every label of every named thing; the table is rebuilt lazily after writes.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pyoxigraph as ox

from hdcat import queries

if TYPE_CHECKING:
    from hdcat.catalog import Catalog


def _lang_key(tag: str | None) -> str:
    if not tag:
        return ""
    tag = tag.lower()
    if tag.startswith("zh"):
        return "zh"
    if tag.startswith("en"):
        return "en"
    return tag


class Labels:
    """IRI -> {language: label}; `label(iri, lang)` falls back to the other language, then to
    the IRI's last segment."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._table: dict[str, dict[str, str]] | None = None
        self._lock = threading.Lock()
        catalog.on_write(self._invalidate)

    def _invalidate(self, _graphs: object = None) -> None:
        self._table = None

    def _load(self) -> dict[str, dict[str, str]]:
        table = self._table
        if table is not None:
            return table
        with self._lock:
            if self._table is None:
                fresh: dict[str, dict[str, str]] = {}
                for row in self.catalog.store.query(queries.get("all_labels")):
                    label = row["label"]
                    lang = _lang_key(label.language if isinstance(label, ox.Literal) else None)
                    fresh.setdefault(row["s"].value, {}).setdefault(lang, label.value)
                self._table = fresh
            return self._table

    def all(self, iri: str) -> dict[str, str]:
        return dict(self._load().get(iri, {}))

    def label(self, iri: str, lang: str = "zh") -> str:
        found = self._load().get(iri)
        if found:
            for key in (lang, "en" if lang == "zh" else "zh", ""):
                if key in found:
                    return found[key]
            return next(iter(found.values()))
        return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri
