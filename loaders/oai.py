"""OAI-PMH harvesting (ListRecords with resumption tokens) through the `sickle` client.

`oai_datacite` / `datacite` payloads reuse datacite.py's mapping; `oai_dc` is mapped as far
as Dublin Core allows, with warnings for what it cannot say. One Page per OAI response.
Requests go through loaders.http.Http (timeouts, size cap), not through sickle's own session.
"""

from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pyoxigraph as ox
from sickle import Sickle
from sickle.iterator import OAIResponseIterator
from sickle.oaiexceptions import NoRecordsMatch, OAIError

from loaders.base import Loader, MappingError, Page
from loaders.datacite import find_resources, map_attributes, resource_to_attributes
from loaders.http import FetchError, Http
from loaders.rdf import (
    DCAT,
    DCT,
    Builder,
    Subject,
    date_literal,
    doi_name,
    file_type,
    iri,
    language,
    licence,
    media_type,
)

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
RDF_XML_ROOT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"


class _Response:
    """The bits of a requests.Response that sickle reads."""

    def __init__(self, url: str, body: bytes) -> None:
        self.url = url
        self.content = body
        self.status_code = 200
        self.headers: dict[str, str] = {}
        self.encoding: str | None = "utf-8"

    @property
    def text(self) -> str:
        return self.content.decode(self.encoding or "utf-8", errors="replace")

    def raise_for_status(self) -> None:
        return None


class _Sickle(Sickle):
    def __init__(self, endpoint: str, http: Http) -> None:
        super().__init__(endpoint, iterator=OAIResponseIterator, max_retries=0)
        self.http = http
        self.last_url = endpoint

    def _request(self, kwargs: dict) -> _Response:
        self.last_url = self.endpoint + ("&" if "?" in self.endpoint else "?") + \
            urllib.parse.urlencode(kwargs)
        return _Response(self.last_url, self.http.get(self.last_url, "text/xml").body)


def map_dc(header_id: str, dc: ET.Element) -> Builder:
    """An oai_dc record -> DCAT (Dublin Core cannot say agent kinds, licences or periods)."""
    b = Builder(f"oai record {header_id}")
    values: dict[str, list[ET.Element]] = {}
    for el in dc:
        if el.tag.startswith(DC) and (el.text or "").strip():
            values.setdefault(el.tag[len(DC):], []).append(el)
    text = {k: [(e.text or "").strip() for e in v] for k, v in values.items()}
    ids = text.get("identifier", [])
    doi = next((doi_name(i) for i in ids if doi_name(i)), None)
    web = next((i for i in ids if i.startswith("http")), None)
    ds: Subject = ox.NamedNode("https://doi.org/" + doi) if doi else (iri(web) or iri(header_id)
                                                                      or ox.BlankNode())
    b.a(ds, DCAT.Dataset)
    if not text.get("title"):
        raise ValueError("record has no dc:title")
    for key, prop in (("title", DCT.title), ("description", DCT.description)):
        for el in values.get(key, []):
            lang = el.get("{http://www.w3.org/XML/1998/namespace}lang")
            b.text(ds, prop, el.text, lang.lower() if lang else None)
    for kw in text.get("subject", []):
        b.text(ds, DCAT.keyword, kw)
    for name in text.get("creator", []):
        b.agent(ds, DCT.creator, name, kind="Agent")
    for name in text.get("contributor", []):
        b.agent(ds, DCT.contributor, name, kind="Agent")
    for name in text.get("publisher", []):
        b.agent(ds, DCT.publisher, name, kind="Agent")
    if text.get("creator") or text.get("contributor"):
        b.warn("dc:creator/contributor give names only: persons and organisations not told apart")
    for i, value in enumerate(text.get("date", [])):
        lit = date_literal(value)
        if lit is not None and i == 0:
            b.add(ds, DCT.issued, lit)
        else:
            b.warn(f"dc:date {value!r} not mapped (Dublin Core does not say which date it is)")
    for value in ids:
        if doi and doi_name(value) == doi:
            b.text(ds, DCT.identifier, value)
        elif value.startswith("http"):
            b.link(ds, DCAT.landingPage, value)
        else:
            b.text(ds, DCT.identifier, value)
    for value in text.get("language", []):
        node = language(value)
        if node is None:
            b.warn(f"dc:language {value!r} unknown, not mapped")
        else:
            b.add(ds, DCT.language, node)
    for value in text.get("rights", []):
        node = licence(value)
        if node is not None:
            b.add(ds, DCT.license, node)
        else:
            statement = ox.BlankNode()
            b.add(ds, DCT.rights, statement)
            b.a(statement, DCT.RightsStatement)
            b.text(statement, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), value)
    for value in text.get("relation", []):
        if not b.link(ds, DCT.relation, value, "dc:relation"):
            pass
    for value in text.get("format", []):
        if media_type(value) is None and file_type(value) is None:
            b.warn(f"dc:format {value!r} not mapped")
        else:
            b.warn(f"dc:format {value!r} not mapped (no distribution URL in Dublin Core)")
    for value in text.get("type", []):
        if value.lower() not in ("dataset", "data", "数据集"):
            b.warn(f"dc:type {value!r} not mapped (mapped as a dcat:Dataset)")
    for key in ("coverage", "source"):
        for value in text.get(key, []):
            b.warn(f"dc:{key} {value!r} not mapped (ambiguous in Dublin Core)")
    return b


class OaiLoader(Loader):
    """ListRecords of an OAI-PMH endpoint, one Page per response."""

    kind = "oai"

    def __init__(self, metadata_prefix: str = "oai_datacite", set_spec: str | None = None) -> None:
        self.metadata_prefix = metadata_prefix
        self.set_spec = set_spec

    def pages(self, url: str, http: Http) -> Iterator[Page]:
        # A source URL may name its format and set: https://host/oai?metadataPrefix=dcat&set=x
        parts = urllib.parse.urlsplit(url)
        asked = dict(urllib.parse.parse_qsl(parts.query))
        url = urllib.parse.urlunsplit(parts._replace(query=""))
        client = _Sickle(url, http)
        params = {"metadataPrefix": asked.get("metadataPrefix", self.metadata_prefix)}
        if asked.get("set") or self.set_spec:
            params["set"] = asked.get("set") or self.set_spec
        try:
            responses = client.ListRecords(**params)
            for response in responses:
                page_url = client.last_url
                token = responses.resumption_token
                next_url = (f"{url}?verb=ListRecords&resumptionToken="
                            f"{urllib.parse.quote(token.token)}"
                            if token is not None and token.token else None)
                total = int(token.complete_list_size) if token is not None and \
                    token.complete_list_size and token.complete_list_size.isdigit() else None
                yield self.map_page(response.raw.encode("utf-8"), page_url, next_url, total)
        except NoRecordsMatch:
            yield Page([], client.last_url, None, [f"{url}: no records"], total=0)
        except FetchError as e:
            yield Page.broken(client.last_url, str(e))
        except (OAIError, ET.ParseError, ValueError) as e:
            yield Page.broken(client.last_url, f"{client.last_url}: OAI-PMH error: {e}"
                              if str(e) else f"{client.last_url}: {type(e).__name__}")
        except Exception as e:  # noqa: BLE001 - lxml raises its own XMLSyntaxError
            yield Page.broken(client.last_url, f"{client.last_url}: not OAI-PMH XML: {e}")

    def map_page(self, body: bytes, page_url: str, next_url: str | None,
                 total: int | None) -> Page:
        page = Page([], page_url, next_url, total=total)
        root = ET.fromstring(body)
        for rec in root.iter(OAI + "record"):
            header = rec.find(OAI + "header")
            ident = (header.findtext(OAI + "identifier") or "?").strip() if header is not None \
                else "?"
            if header is not None and header.get("status") == "deleted":
                page.warnings.append(f"oai record {ident}: deleted at the source")
                continue
            metadata = rec.find(OAI + "metadata")
            try:
                if metadata is None or len(metadata) == 0:
                    raise ValueError("record has no metadata")
                payload = metadata[0]
                dc = payload if payload.tag.endswith("}dc") else None
                if payload.tag == RDF_XML_ROOT:
                    # DCAT as RDF/XML (hdcat's own "dcat" format): the triples as they are.
                    xml = ET.tostring(payload, encoding="utf-8")
                    page.triples.extend(q.triple for q in ox.parse(
                        xml, format=ox.RdfFormat.RDF_XML, base_iri=page_url,
                        rename_blank_nodes=True))
                    continue
                if dc is not None:
                    b = map_dc(ident, dc)
                else:
                    resources = find_resources(payload) if not payload.tag.endswith(
                        "}resource") else [payload]
                    if not resources:
                        raise ValueError(f"metadata {payload.tag} is neither oai_dc nor DataCite")
                    b = map_attributes(resource_to_attributes(resources[0]),
                                       f"oai record {ident}")
            except (ValueError, TypeError, AttributeError, SyntaxError) as e:
                page.errors.append(MappingError(ident, f"oai record {ident}: {e}"))
                continue
            page.triples.extend(b.triples)
            page.warnings.extend(b.warnings)
        return page
