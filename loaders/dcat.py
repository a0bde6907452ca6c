"""DCAT RDF catalogs (Turtle, RDF/XML, JSON-LD, N-Triples), paged with Hydra.

The triples are passed through unchanged (they are DCAT already); only the Hydra paging
triples are dropped. Paging follows `hydra:next` and the deprecated `hydra:nextPage`
(hydra:PagedCollection of older ckanext-dcat), and `hydra:totalItems` becomes Page.total.
"""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import Iterator
from pathlib import PurePosixPath

import pyoxigraph as ox

from hdcat import rdfio
from hdcat.errors import InputError
from loaders.base import Loader, Page
from loaders.http import FetchError, Http
from loaders.rdf import HYDRA, RDF, base_iri

ACCEPT = ("text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.9, "
          "application/n-triples;q=0.8, */*;q=0.1")
_BY_CONTENT_TYPE = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/n3": ox.RdfFormat.TURTLE,
}
_HYDRA_NS = HYDRA.base
_NEXT = (HYDRA.next, HYDRA.nextPage)


def rdf_format(url: str, content_type: str, body: bytes) -> ox.RdfFormat:
    """The format of a fetched RDF document: Content-Type, else URL suffix, else a sniff."""
    mime = content_type.split(";")[0].strip().lower()
    if mime in _BY_CONTENT_TYPE:
        return _BY_CONTENT_TYPE[mime]
    suffix = PurePosixPath(urllib.parse.urlsplit(url).path).suffix.lower()
    if suffix in rdfio.FORMATS_BY_SUFFIX and suffix not in (".nq", ".trig"):
        return rdfio.FORMATS_BY_SUFFIX[suffix]
    head = body[:2048].lstrip()
    if head.startswith((b"<?xml", b"<rdf:RDF")):
        return ox.RdfFormat.RDF_XML
    if head.startswith((b"{", b"[")) or mime == "application/json":
        return ox.RdfFormat.JSON_LD
    return ox.RdfFormat.TURTLE


def parse_rdf(url: str, body: bytes, fmt: ox.RdfFormat) -> list[ox.Triple]:
    """Parse a fetched document into triples (default graph); InputError with line/column."""
    if not body.strip():
        raise InputError(url, "empty document")
    if fmt == ox.RdfFormat.JSON_LD:
        body = rdfio.prepare_jsonld(url, body, rdfio.known_contexts())
    try:
        quads = ox.parse(body, format=fmt, base_iri=base_iri(url), rename_blank_nodes=True)
        return [q.triple for q in quads]
    except SyntaxError as e:
        raise rdfio.syntax_error(url, e, body, fmt) from None
    except ValueError as e:
        raise InputError(url, str(e)) from None


def split_hydra(triples: list[ox.Triple], url: str) -> tuple[list[ox.Triple], str | None,
                                                              int | None]:
    """The triples without the Hydra paging ones, the next page URL and the total count."""
    hydra: dict = {}  # predicate -> whether it is a Hydra term (a few distinct predicates)
    paging = set()
    for t in triples:
        p = t.predicate
        flag = hydra.get(p)
        if flag is None:
            flag = hydra[p] = p.value.startswith(_HYDRA_NS)
        if flag:
            paging.add(t.subject)
    if not paging:
        return triples, None, None
    kept: list[ox.Triple] = []
    next_url: str | None = None
    total: int | None = None
    for t in triples:
        if t.subject in paging and (hydra[t.predicate] or (
                t.predicate == RDF.type and t.object.value.startswith(_HYDRA_NS))):
            if t.predicate in _NEXT and next_url is None:
                next_url = urllib.parse.urljoin(url, t.object.value)
            elif t.predicate == HYDRA.totalItems:
                with contextlib.suppress(ValueError):
                    total = int(t.object.value)
            continue
        kept.append(t)
    return kept, next_url, total


class DcatLoader(Loader):
    """DCAT RDF, one Page per Hydra page."""

    kind = "dcat"

    def __init__(self, max_pages: int = 100000) -> None:
        self.max_pages = max_pages

    def pages(self, url: str, http: Http) -> Iterator[Page]:
        seen: set[str] = set()
        next_url: str | None = url
        total: int | None = None
        while next_url and len(seen) < self.max_pages:
            page_url = next_url
            seen.add(page_url)
            try:
                resp = http.get(page_url, ACCEPT)
                triples = parse_rdf(page_url, resp.body,
                                    rdf_format(page_url, resp.content_type, resp.body))
            except (FetchError, InputError) as e:
                yield Page.broken(page_url, str(e), total=total)
                return
            triples, next_url, page_total = split_hydra(triples, page_url)
            total = page_total if page_total is not None else total
            warnings = []
            if next_url in seen:
                warnings.append(f"{page_url}: next page {next_url} was already read; stopped")
                next_url = None
            yield Page(triples, page_url, next_url, warnings, total=total)
