"""What every loader produces: pages of DCAT RDF, with what could not be mapped."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from loaders.http import Http


@dataclass
class MappingError:
    """A source record that could not be mapped at all (the rest of the page still loads)."""

    record: str
    """The record's identifier in the source (IRI, CKAN name, row number...)."""
    message: str


@dataclass
class Page:
    """One page of a source, mapped to DCAT / hdcat RDF."""

    triples: list[ox.Triple]
    url: str
    next_url: str | None = None
    warnings: list[str] = field(default_factory=list)
    """What could not be mapped, field by field: never dropped silently."""
    errors: list[MappingError] = field(default_factory=list)
    total: int | None = None
    """The source's own count of records, where it says."""


class Loader(abc.ABC):
    """Turns a source (a URL, or a file path) into pages of DCAT RDF."""

    kind: str

    @abc.abstractmethod
    def pages(self, url: str, http: Http) -> Iterator[Page]:
        """The pages of the source, fetched one at a time (memory does not grow with it)."""
