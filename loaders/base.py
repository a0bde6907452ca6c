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
    source_error: str | None = None
    """Set when the page itself could not be fetched or read (a source-level error, not a bad
    record): the page then has no triples and `errors` holds the same message once, with the
    page URL as its record. The run goes on with `next_url` when the loader can still compute
    it (offset paging); otherwise that was the last page, and the run is incomplete."""

    @classmethod
    def broken(cls, url: str, message: str, next_url: str | None = None,
               total: int | None = None) -> Page:
        """A page that could not be fetched or read."""
        return cls([], url, next_url, errors=[MappingError(url, message)], total=total,
                   source_error=message)


class Loader(abc.ABC):
    """Turns a source (a URL, or a file path) into pages of DCAT RDF.

    Failure policy: a record that cannot be mapped is a MappingError on its page (the other
    records load); a page that cannot be fetched or parsed is yielded as `Page.broken` (a
    source-level error) after the good pages before it; loaders do not raise for bad input.
    """

    kind: str

    @abc.abstractmethod
    def pages(self, url: str, http: Http) -> Iterator[Page]:
        """The pages of the source, fetched one at a time (memory does not grow with it)."""
