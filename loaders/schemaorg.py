"""schema.org Dataset JSON-LD (Dataverse exports, landing pages), mapped to DCAT.

The source is a JSON-LD document or an HTML page whose `<script type="application/ld+json">`
blocks are read. The schema.org context is never fetched: rdfio's built-in local context is
used. http:// and https://schema.org terms are both read. Properties of a Dataset that are
not mapped are warnings.
"""

from __future__ import annotations

import html.parser
import json
from collections.abc import Iterator

import pyoxigraph as ox

from hdcat import rdfio
from hdcat.errors import InputError
from loaders.base import Loader, MappingError, Page
from loaders.http import FetchError, Http
from loaders.rdf import (
    DCAT,
    DCT,
    FOAF,
    HDCAT,
    LOCN,
    ORG,
    RDF,
    Builder,
    Subject,
    add_cstr,
    add_doi,
    base_iri,
    cstr_id,
    doi_name,
    file_type,
    iri,
    language,
    licence,
    media_type,
)

SDO = "http://schema.org/"
_MAPPED = {
    "name", "description", "identifier", "creator", "author", "publisher", "provider",
    "datePublished", "dateModified", "dateCreated", "keywords", "license", "spatialCoverage",
    "temporalCoverage", "distribution", "funder", "version", "includedInDataCatalog", "url",
    "sameAs", "inLanguage", "citation", "isBasedOn", "conditionsOfAccess", "isAccessibleForFree",
}


class _Scripts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._in = tag == "script" and ("type", "application/ld+json") in [
            (k, (v or "").lower()) for k, v in attrs]
        if self._in:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.blocks[-1] += data


def jsonld_blocks(url: str, content_type: str, body: bytes) -> list[bytes]:
    """The JSON-LD documents of a page: the body itself, or the script blocks of HTML."""
    text = body.decode("utf-8-sig", errors="replace")
    if "html" in content_type.lower() or text.lstrip()[:1] == "<":
        parser = _Scripts()
        parser.feed(text)
        if not parser.blocks:
            raise InputError(url, "HTML page without a <script type=\"application/ld+json\">")
        return [b.encode("utf-8") for b in parser.blocks]
    return [body]


def _norm(term: ox.NamedNode) -> ox.NamedNode:
    if term.value.startswith("https://schema.org/"):
        return ox.NamedNode(SDO + term.value[len("https://schema.org/"):])
    return term


def to_store(url: str, blocks: list[bytes]) -> ox.Store:
    store = ox.Store()
    for block in blocks:
        data = rdfio.prepare_jsonld(url, block, rdfio.known_contexts())
        try:
            quads = ox.parse(data, format=ox.RdfFormat.JSON_LD, base_iri=base_iri(url),
                             rename_blank_nodes=True)
            for q in quads:
                obj = _norm(q.object) if isinstance(q.object, ox.NamedNode) else q.object
                store.add(ox.Quad(q.subject if not isinstance(q.subject, ox.NamedNode)
                                  else _norm(q.subject), _norm(q.predicate), obj))
        except SyntaxError as e:
            raise rdfio.syntax_error(url, e, data, ox.RdfFormat.JSON_LD) from None
    return store


class SchemaOrgMapper:
    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def values(self, s: Subject, prop: str) -> list:
        return [q.object for q in self.store.quads_for_pattern(s, ox.NamedNode(SDO + prop), None)]

    def one(self, s: Subject, prop: str) -> str | None:
        v = self.values(s, prop)
        return v[0].value if v else None

    def types(self, s: Subject) -> set[str]:
        return {q.object.value.removeprefix(SDO)
                for q in self.store.quads_for_pattern(s, RDF.type, None)}

    def datasets(self) -> list[Subject]:
        return [q.subject for q in self.store.quads_for_pattern(
            None, RDF.type, ox.NamedNode(SDO + "Dataset"))]

    def map(self, src: Subject) -> Builder:
        b = Builder(f"schema.org dataset {src}")
        ident = self.one(src, "identifier") or self.one(src, "url")
        ds: Subject = src if isinstance(src, ox.NamedNode) else (
            iri(ident) if ident and ident.startswith("http") else ox.BlankNode())
        b.a(ds, DCAT.Dataset)
        for name in self.values(src, "name"):
            b.add(ds, DCT.title, name)
        if not self.values(src, "name"):
            raise ValueError("Dataset has no name")
        for d in self.values(src, "description"):
            b.add(ds, DCT.description, d)
        for value in self.values(src, "identifier"):
            self._identifier(b, ds, value)
        for prop in ("creator", "author"):
            for agent in self.values(src, prop):
                self._agent(b, ds, DCT.creator, agent)
            if self.values(src, "creator"):
                break
        for prop, p in (("publisher", DCT.publisher), ("provider", None)):
            for agent in self.values(src, prop):
                if p is None:
                    b.warn(f"provider {self._name(agent)!r} not mapped")
                else:
                    self._agent(b, ds, p, agent)
        b.date(ds, DCT.issued, self.one(src, "datePublished"), "datePublished")
        b.date(ds, DCT.modified, self.one(src, "dateModified"), "dateModified")
        if self.one(src, "dateCreated"):
            b.warn("dateCreated not mapped")
        for kw in self.values(src, "keywords"):
            if isinstance(kw, ox.Literal):
                for part in kw.value.split(",") if "," in kw.value and len(
                        self.values(src, "keywords")) == 1 else [kw.value]:
                    b.text(ds, DCAT.keyword, part, kw.language)
            else:
                b.text(ds, DCAT.keyword, self._name(kw))
        for lic in self.values(src, "license"):
            node = licence(lic.value if not isinstance(lic, ox.BlankNode) else self.one(lic, "url"))
            if node is None:
                b.warn(f"license {lic.value!r} is not a licence IRI, not mapped")
            else:
                b.add(ds, DCT.license, node)
        for place in self.values(src, "spatialCoverage"):
            self._place(b, ds, place)
        for tc in self.values(src, "temporalCoverage"):
            start, _, end = tc.value.partition("/")
            b.period(ds, DCT.temporal, start if start not in ("", "..") else None,
                     end if end not in ("", "..") else None, "temporalCoverage")
        for n, dist in enumerate(self.values(src, "distribution"), 1):
            self._distribution(b, ds, dist, n)
        for funder in self.values(src, "funder"):
            project = ox.BlankNode()
            b.add(ds, HDCAT.fundingProject, project)
            b.a(project, HDCAT.FundingProject)
            b.text(project, DCT.title, self._name(funder))
            self._agent(b, project, HDCAT.funder, funder)
        b.text(ds, DCAT.version, self.one(src, "version"))
        for cat in self.values(src, "includedInDataCatalog"):
            url = self.one(cat, "url") if not isinstance(cat, ox.Literal) else cat.value
            if url and iri(url):
                b.add(ds, DCT.isPartOf, iri(url))  # type: ignore[arg-type]
            else:
                b.warn(f"includedInDataCatalog {self._name(cat)!r} has no URL, not mapped")
        for url in self.values(src, "url"):
            b.link(ds, DCAT.landingPage, url.value, "url")
        for lang in self.values(src, "inLanguage"):
            node = language(lang.value)
            if node is not None:
                b.add(ds, DCT.language, node)
        for cited in self.values(src, "citation"):
            if isinstance(cited, ox.Literal):
                b.warn(f"citation {cited.value!r} has no IRI, not mapped")
                continue
            target = cited if isinstance(cited, ox.NamedNode) else iri(self.one(cited, "url"))
            if target is not None:
                b.add(ds, DCT.isReferencedBy, target)
            else:
                b.warn(f"citation {self._name(cited)!r} has no IRI, not mapped")
        for based in self.values(src, "isBasedOn"):
            if isinstance(based, ox.NamedNode):
                b.add(ds, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), based)
        for same in self.values(src, "sameAs"):
            b.warn(f"sameAs {same.value!r} not mapped")
        for q in self.store.quads_for_pattern(src, None, None, None):
            local = q.predicate.value.removeprefix(SDO)
            if q.predicate != RDF.type and local not in _MAPPED:
                b.warn(f"property {local} not mapped")
        return b

    def _name(self, node: object) -> str | None:
        if isinstance(node, ox.Literal):
            return node.value
        name = self.one(node, "name")  # type: ignore[arg-type]
        if name is None and self.one(node, "familyName"):  # type: ignore[arg-type]
            name = f"{self.one(node, 'givenName') or ''} {self.one(node, 'familyName')}".strip()  # type: ignore[arg-type]
        return name

    def _identifier(self, b: Builder, ds: Subject, value: object) -> None:
        text = value.value if isinstance(value, ox.Literal | ox.NamedNode) else \
            self.one(value, "value")  # type: ignore[arg-type]
        if not text:
            return
        doi = doi_name(text)
        cstr = cstr_id(text)
        if doi:
            add_doi(b, ds, doi)
            b.text(ds, DCT.identifier, text)
        elif cstr:
            add_cstr(b, ds, cstr)
            b.text(ds, DCT.identifier, cstr)
        else:
            b.text(ds, DCT.identifier, text)

    def _agent(self, b: Builder, s: Subject, p: ox.NamedNode, node: object) -> None:
        if isinstance(node, ox.Literal):
            b.agent(s, p, node.value, kind="Agent")
            return
        kind = "Person" if "Person" in self.types(node) else "Organization"  # type: ignore[arg-type]
        orcid = next((v for v in [node.value if isinstance(node, ox.NamedNode) else None,
                                  self.one(node, "identifier"), self.one(node, "sameAs")]  # type: ignore[arg-type]
                      if v and "orcid.org/" in v), None)
        uri = orcid or (node.value if isinstance(node, ox.NamedNode) else None)
        agent = b.agent(s, p, self._name(node), uri=uri, kind=kind,
                        email=self.one(node, "email"), homepage=self.one(node, "url"))  # type: ignore[arg-type]
        if agent is None:
            return
        if kind == "Person":
            b.text(agent, FOAF.givenName, self.one(node, "givenName"))  # type: ignore[arg-type]
            b.text(agent, FOAF.familyName, self.one(node, "familyName"))  # type: ignore[arg-type]
        if orcid:
            b.identifier(agent, orcid, "ORCID")
        for aff in self.values(node, "affiliation"):  # type: ignore[arg-type]
            b.agent(agent, ORG.memberOf, self._name(aff))

    def _place(self, b: Builder, ds: Subject, place: object) -> None:
        if isinstance(place, ox.NamedNode):
            b.add(ds, DCT.spatial, place)
            return
        node = ox.BlankNode()
        b.add(ds, DCT.spatial, node)
        b.a(node, DCT.Location)
        b.text(node, LOCN.geographicName, self._name(place))

    def _distribution(self, b: Builder, ds: Subject, dist: object, n: int) -> None:
        if isinstance(dist, ox.Literal):
            b.warn(f"distribution {dist.value!r} is text, not mapped")
            return
        url = self.one(dist, "contentUrl") or self.one(dist, "url")  # type: ignore[arg-type]
        if not url or iri(url) is None:
            b.warn(f"distribution {self._name(dist)!r} has no contentUrl, not mapped")
            return
        node = ox.NamedNode(f"{ds.value}#dist-{n}") if isinstance(ds, ox.NamedNode) \
            else ox.BlankNode()
        b.add(ds, DCAT.distribution, node)
        b.a(node, DCAT.Distribution)
        b.link(node, DCAT.accessURL, url)
        if self.one(dist, "contentUrl"):  # type: ignore[arg-type]
            b.link(node, DCAT.downloadURL, url)
        b.text(node, DCT.title, self._name(dist))
        b.text(node, DCT.description, self.one(dist, "description"))  # type: ignore[arg-type]
        fmt = self.one(dist, "encodingFormat") or self.one(dist, "fileFormat")  # type: ignore[arg-type]
        if fmt:
            mt, ft = media_type(fmt), file_type(fmt)
            if mt is not None:
                b.add(node, DCAT.mediaType, mt)
            if ft is not None:
                b.add(node, DCT.format, ft)
            if mt is None and ft is None:
                b.warn(f"distribution encodingFormat {fmt!r} not mapped")
        size = self.one(dist, "contentSize")  # type: ignore[arg-type]
        if size and size.isdigit():
            b.integer(node, DCAT.byteSize, size, "contentSize")
        elif size:
            b.warn(f"distribution contentSize {size!r} is not a number of bytes, not mapped")
        b.date(node, DCT.modified, self.one(dist, "dateModified"), "dateModified")  # type: ignore[arg-type]



class SchemaOrgLoader(Loader):
    """One page: the schema.org Datasets of a JSON-LD document or an HTML landing page."""

    kind = "schemaorg"

    def pages(self, url: str, http: Http) -> Iterator[Page]:
        try:
            resp = http.get(url, "application/ld+json, text/html;q=0.9, application/json;q=0.8")
            store = to_store(url, jsonld_blocks(url, resp.content_type, resp.body))
        except (FetchError, InputError) as e:
            yield Page.broken(url, str(e))
            return
        except (ValueError, json.JSONDecodeError) as e:
            yield Page.broken(url, f"{url}: {e}")
            return
        mapper = SchemaOrgMapper(store)
        datasets = mapper.datasets()
        page = Page([], url, None, total=len(datasets))
        if not datasets:
            page.warnings.append(f"{url}: no schema.org Dataset found")
        for src in datasets:
            try:
                b = mapper.map(src)
            except ValueError as e:
                page.errors.append(MappingError(str(src), f"schema.org dataset {src}: {e}"))
                continue
            page.triples.extend(b.triples)
            page.warnings.extend(b.warnings)
        yield page
