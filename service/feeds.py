"""Harvesting endpoints: the paged DCAT catalog, OAI-PMH 2.0 and the sitemap.

* ``/catalog/feed`` (and the RDF of ``/catalog`` when ``page``, ``per_page`` or
  ``modified_since`` is given): one page of the catalog with its records, in Turtle, JSON-LD,
  RDF/XML or N-Triples (``?format=`` or Accept; Turtle by default), with a Hydra
  ``PartialCollectionView`` (and the older ``PagedCollection`` terms ckanext-dcat reads).
  The RDF of a bare ``/catalog`` is the catalog's description with a view whose
  ``hydra:first`` / ``hydra:next`` lead to page 1.
* ``/oai``: OAI-PMH 2.0 (GET or POST), formats oai_dc, oai_datacite, datacite, dcat / rdf.
* ``/sitemap.xml`` (and ``/sitemap-N.xml`` children when large): the dataset pages.

The data comes from hdcat.feeds; this module only renders it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import NotAcceptable, NotFound

from hdcat.browse import local_path
from hdcat.feeds import DEFAULT_PER_PAGE as _PER_PAGE
from hdcat.feeds import (
    FEED_PREFIXES,
    HYDRA,
    FeedError,
    FeedPage,
    Feeds,
    Metadata,
    OaiAnswer,
    OaiItem,
    parse_positive,
    parse_since,
)
from hdcat.namespaces import PREFIXES
from service.pages import RDF_FORMATS

bp = Blueprint("feeds", __name__)

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
OAI_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"
DATACITE = "http://datacite.org/schema/kernel-4"
OAI_DATACITE = "http://schema.datacite.org/oai/oai-1.1/"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FEED_ARGS = ("page", "per_page", "modified_since")

for _prefix, _ns in {**PREFIXES, "oai_dc": OAI_DC, "dc": DC, "xsi": XSI,
                     "datacite": DATACITE, "oai_datacite": OAI_DATACITE,
                     "oai-identifier": OAI_ID}.items():
    ET.register_namespace(_prefix, _ns)
# OAI-PMH documents use the default namespace (their attributes are unqualified, which
# tostring's default_namespace= refuses, so the namespace is registered with no prefix).
ET.register_namespace("", OAI)

_ILLEGAL_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: object) -> str:
    """Text XML 1.0 can hold (control characters and lone surrogates dropped)."""
    return _ILLEGAL_XML.sub("", str(text))


def feeds() -> Feeds:
    """The app's Feeds (made on first use)."""
    app = current_app
    found = app.extensions.get("hdcat.feeds")
    if found is None:
        found = Feeds(app.catalog, getattr(app, "labels", None))  # type: ignore[attr-defined]
        app.extensions["hdcat.feeds"] = found
    return found


# --------------------------------------------------------------------------- the DCAT feed


def _feed_format() -> str:
    """An RDF format key from ?format= or Accept (Turtle when nothing RDF is asked for)."""
    fmt = request.args.get("format")
    if fmt:
        if fmt not in RDF_FORMATS:
            raise NotAcceptable()
        return fmt
    by_type = {mt: key for key, (mt, _f) in RDF_FORMATS.items()} | {"application/json": "jsonld"}
    best = request.accept_mimetypes.best_match(list(by_type))
    return by_type[best] if best else "ttl"


def _page_url(page: int) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True)
            if k in ("format", "per_page", "modified_since")]
    return request.base_url + "?" + urlencode([*args, ("page", str(page))])


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def _hydra(view: str, last: int, total: int, per_page: int,
           nxt: int | None, prev: int | None) -> list[ox.Triple]:
    """The Hydra view of a page (Hydra core terms and the deprecated paging ones)."""
    h = {name: ox.NamedNode(HYDRA + name) for name in (
        "view", "totalItems", "itemsPerPage", "first", "last", "next", "previous", "firstPage",
        "lastPage", "nextPage", "previousPage", "PartialCollectionView", "PagedCollection",
        "Collection")}
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    cat = ox.NamedNode(feeds().catalog_iri)
    v = ox.NamedNode(view)
    out = [
        ox.Triple(cat, rdf_type, h["Collection"]),
        ox.Triple(cat, h["view"], v),
        ox.Triple(cat, h["totalItems"], _integer(total)),
        ox.Triple(v, rdf_type, h["PartialCollectionView"]),
        ox.Triple(v, rdf_type, h["PagedCollection"]),
        ox.Triple(v, h["totalItems"], _integer(total)),
        ox.Triple(v, h["itemsPerPage"], _integer(per_page)),
    ]
    links = {"first": 1, "last": last, "next": nxt, "previous": prev}
    for name, page in links.items():
        if page is not None:
            target = ox.NamedNode(_page_url(page))
            out.append(ox.Triple(v, h[name], target))
            out.append(ox.Triple(v, h[name + "Page"], target))
    return out


def _rdf(triples: Iterable[ox.Triple], fmt: str) -> Response:
    media, rdf_format = RDF_FORMATS[fmt]
    body = ox.serialize(list(dict.fromkeys(triples)), format=rdf_format, prefixes=FEED_PREFIXES)
    response = Response(body, mimetype=media)
    if media.startswith("text/"):
        response.charset = "utf-8"
    response.vary.add("Accept")
    return response


def _bad_request(message: str) -> Response:
    return Response(message + "\n", status=400, mimetype="text/plain")


def _feed_args() -> tuple[int, int, str | None]:
    page = parse_positive(request.args.get("page"), "page", 1)
    per_page = parse_positive(request.args.get("per_page"), "per_page", _PER_PAGE)
    since_text = request.args.get("modified_since")
    since = parse_since(since_text) if since_text else None
    return page, per_page, since


def feed_response(fmt: str) -> Response:
    """One page of the DCAT catalog in an RDF format (the args say which page)."""
    try:
        page, per_page, since = _feed_args()
        result: FeedPage = feeds().feed_page(page, per_page, since)
    except FeedError as e:
        return _bad_request(str(e))
    if page > result.pages:
        raise NotFound()
    triples = result.triples + _hydra(
        _page_url(page), result.pages, result.total, result.per_page,
        page + 1 if page < result.pages else None, page - 1 if page > 1 else None)
    return _rdf(triples, fmt)


def catalog_rdf(fmt: str) -> Response:
    """The RDF of /catalog: a feed page when paging arguments are given, else the catalog's
    description with a Hydra view leading to page 1 of the feed."""
    if any(name in request.args for name in _FEED_ARGS):
        return feed_response(fmt)
    f = feeds()
    try:
        per_page = parse_positive(request.args.get("per_page"), "per_page", _PER_PAGE)
    except FeedError as e:
        return _bad_request(str(e))
    total = f.count()
    last = max(1, -(-total // per_page))
    here = request.base_url + ("?" + urlencode({"format": request.args["format"]})
                               if "format" in request.args else "")
    return _rdf(f.catalog_description() + _hydra(here, last, total, per_page, 1, None), fmt)


@bp.route("/catalog/feed")
def catalog_feed() -> Response:
    return feed_response(_feed_format())


# --------------------------------------------------------------------------- OAI-PMH


def _el(parent: ET.Element, tag: str, text: object = None, **attrs: object) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: _x(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = _x(text)
    return node


def _lang_attrs(lang: str) -> dict[str, str]:
    return {XML_LANG: lang} if lang else {}


def _texts(parent: ET.Element, tag: str, values: Iterable[tuple[str, str]]) -> None:
    for value, lang in values:
        ET.SubElement(parent, tag, _lang_attrs(lang)).text = _x(value)


def _oai_dc(meta: Metadata) -> ET.Element:
    root = ET.Element(f"{{{OAI_DC}}}dc", {
        f"{{{XSI}}}schemaLocation": f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"})
    d = f"{{{DC}}}"
    _texts(root, d + "title", meta.titles)
    for agent in meta.creators:
        for lang, name in sorted(agent.names.items()):
            _el(root, d + "creator", name, **_lang_attrs(lang))
    _texts(root, d + "subject", meta.keywords)
    for _iri, labels in meta.subjects:
        for lang, label in sorted(labels.items()):
            _el(root, d + "subject", label, **_lang_attrs(lang))
    _texts(root, d + "description", meta.descriptions)
    if meta.publisher is not None:
        for lang, name in sorted(meta.publisher.names.items()):
            _el(root, d + "publisher", name, **_lang_attrs(lang))
    for value in dict.fromkeys(v for v in (meta.issued, meta.modified) if v):
        _el(root, d + "date", value)
    _el(root, d + "type", "Dataset")
    idents = [*meta.identifiers]
    if meta.cstr and meta.cstr not in idents:
        idents.insert(0, meta.cstr)
    if meta.doi:
        idents.append("https://doi.org/" + meta.doi)
    idents.extend(meta.landing_pages)
    for value in dict.fromkeys(idents):
        _el(root, d + "identifier", value)
    for code in meta.languages:
        _el(root, d + "language", code)
    for iri, labels in [*meta.licences, *meta.access_rights]:
        _el(root, d + "rights", iri)
        for lang, label in sorted(labels.items()):
            _el(root, d + "rights", label, **_lang_attrs(lang))
    _texts(root, d + "rights", meta.rights)
    return root


def _datacite(meta: Metadata, lang: str) -> ET.Element:
    """A DataCite kernel 4 resource."""
    k = f"{{{DATACITE}}}"
    root = ET.Element(k + "resource", {
        f"{{{XSI}}}schemaLocation":
            f"{DATACITE} http://schema.datacite.org/meta/kernel-4/metadata.xsd"})
    if meta.doi:
        _el(root, k + "identifier", meta.doi, identifierType="DOI")
    creators = _el(root, k + "creators")
    people = meta.creators or ([meta.publisher] if meta.publisher else [])
    for agent in people:
        c = _el(creators, k + "creator")
        name_lang = lang if agent.names.get(lang) else next(iter(agent.names), "")
        _el(c, k + "creatorName", agent.name(lang),
            nameType="Personal" if agent.person else "Organizational",
            **_lang_attrs(name_lang))
        if agent.person and agent.given:
            _el(c, k + "givenName", agent.given)
        if agent.person and agent.family:
            _el(c, k + "familyName", agent.family)
        _el(c, k + "nameIdentifier", agent.iri, nameIdentifierScheme="URI")
    if not people:
        _el(_el(creators, k + "creator"), k + "creatorName", ":unav")
    titles = _el(root, k + "titles")
    _texts(titles, k + "title", meta.titles)
    pub = meta.publisher
    _el(root, k + "publisher", pub.name(lang) if pub else ":unav",
        **(_lang_attrs(lang if pub and pub.names.get(lang) else "") if pub else {}))
    _el(root, k + "publicationYear", meta.year or ":unav")
    _el(root, k + "resourceType", "Dataset series" if meta.kind == "series" else "Dataset",
        resourceTypeGeneral="Dataset")
    if meta.keywords or meta.subjects:
        subjects = _el(root, k + "subjects")
        _texts(subjects, k + "subject", meta.keywords)
        for iri, labels in meta.subjects:
            for code, label in sorted(labels.items()):
                _el(subjects, k + "subject", label, subjectScheme="hdcat data domain",
                    schemeURI="https://w3id.org/hdcat/vocab/domain", valueURI=iri,
                    **_lang_attrs(code))
    dates = [(meta.issued, "Issued"), (meta.modified, "Updated")]
    if meta.temporal:
        dates.append(("/".join(v or "" for v in meta.temporal), "Collected"))
    if any(v for v, _t in dates):
        node = _el(root, k + "dates")
        for value, kind in dates:
            if value:
                _el(node, k + "date", value, dateType=kind)
    if meta.languages:
        _el(root, k + "language", meta.languages[0])
    alternates = []
    if meta.cstr:
        alternates.append((meta.cstr, "CSTR"))
    alternates += [(url, "URL") for url in dict.fromkeys(meta.landing_pages)]
    alternates += [(v, "Local") for v in meta.identifiers if v != meta.cstr]
    if alternates:
        node = _el(root, k + "alternateIdentifiers")
        for value, kind in alternates:
            _el(node, k + "alternateIdentifier", value, alternateIdentifierType=kind)
    if meta.version:
        _el(root, k + "version", meta.version)
    rights = [*meta.licences, *meta.access_rights]
    if rights or meta.rights:
        node = _el(root, k + "rightsList")
        for iri, labels in rights:
            label_lang = lang if labels.get(lang) else next(iter(labels), "")
            _el(node, k + "rights", labels.get(label_lang, iri), rightsURI=iri,
                **_lang_attrs(label_lang))
        _texts(node, k + "rights", meta.rights)
    if meta.descriptions:
        node = _el(root, k + "descriptions")
        for value, code in meta.descriptions:
            _el(node, k + "description", value, descriptionType="Abstract", **_lang_attrs(code))
    return root


def _oai_datacite(meta: Metadata, lang: str) -> ET.Element:
    """The oai_datacite wrapper (OAI DataCite 1.1) around a kernel 4 resource."""
    w = f"{{{OAI_DATACITE}}}"
    root = ET.Element(w + "oai_datacite", {
        f"{{{XSI}}}schemaLocation":
            f"{OAI_DATACITE} http://schema.datacite.org/oai/oai-1.1/oai.xsd"})
    _el(root, w + "schemaVersion", "4")
    _el(root, w + "datacentreSymbol", "HDCAT")
    _el(root, w + "payload").append(_datacite(meta, lang))
    return root


def _metadata_element(item: OaiItem, prefix: str, lang: str) -> ET.Element | None:
    if item.rdf_xml is not None:
        return ET.fromstring(_x(item.rdf_xml))
    if item.metadata is None:
        return None
    if prefix == "oai_dc":
        return _oai_dc(item.metadata)
    if prefix == "oai_datacite":
        return _oai_datacite(item.metadata, lang)
    return _datacite(item.metadata, lang)


def _header(parent: ET.Element, item: OaiItem) -> None:
    o = f"{{{OAI}}}"
    header = _el(parent, o + "header")
    _el(header, o + "identifier", item.identifier)
    _el(header, o + "datestamp", item.entry.datestamp)
    for spec in item.sets:
        _el(header, o + "setSpec", spec)


def render_oai(answer: OaiAnswer, base_url: str, lang: str) -> bytes:
    """The OAI-PMH XML document of an answer."""
    o = f"{{{OAI}}}"
    root = ET.Element(o + "OAI-PMH", {
        f"{{{XSI}}}schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"})
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    _el(root, o + "responseDate", now)
    _el(root, o + "request", base_url, **answer.arguments)
    if answer.errors:
        for error in answer.errors:
            _el(root, o + "error", error.message, code=error.code)
        return _document(root)
    verb = answer.verb or ""
    body = _el(root, o + verb)
    if answer.identify is not None:
        info = answer.identify
        _el(body, o + "repositoryName", info["repositoryName"])
        _el(body, o + "baseURL", base_url)
        _el(body, o + "protocolVersion", "2.0")
        for email in info["adminEmail"]:  # type: ignore[attr-defined]
            _el(body, o + "adminEmail", email)
        for name in ("earliestDatestamp", "deletedRecord", "granularity"):
            _el(body, o + name, info[name])
        desc = _el(body, o + "description")
        ident = ET.SubElement(desc, f"{{{OAI_ID}}}oai-identifier", {
            f"{{{XSI}}}schemaLocation":
                f"{OAI_ID} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"})
        _el(ident, f"{{{OAI_ID}}}scheme", "oai")
        _el(ident, f"{{{OAI_ID}}}repositoryIdentifier", info["repositoryIdentifier"])
        _el(ident, f"{{{OAI_ID}}}delimiter", ":")
        _el(ident, f"{{{OAI_ID}}}sampleIdentifier", info["sampleIdentifier"])
    for prefix, schema, namespace in answer.formats:
        fmt = _el(body, o + "metadataFormat")
        _el(fmt, o + "metadataPrefix", prefix)
        _el(fmt, o + "schema", schema)
        _el(fmt, o + "metadataNamespace", namespace)
    for spec, name, names in answer.sets:
        node = _el(body, o + "set")
        _el(node, o + "setSpec", spec)
        _el(node, o + "setName", name)
        if names:
            dc = ET.SubElement(_el(node, o + "setDescription"), f"{{{OAI_DC}}}dc", {
                f"{{{XSI}}}schemaLocation":
                    f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"})
            for code, text in sorted(names.items()):
                _el(dc, f"{{{DC}}}title", text, **_lang_attrs(code))
    for item in answer.items:
        if verb == "ListIdentifiers":
            _header(body, item)
            continue
        record = _el(body, o + "record")
        _header(record, item)
        meta = _metadata_element(item, answer.prefix or "", lang)
        if meta is not None:
            _el(record, o + "metadata").append(meta)
    if answer.token is not None:
        t = answer.token
        _el(body, o + "resumptionToken", t.value or None, expirationDate=t.expiration,
            completeListSize=t.complete_size, cursor=t.cursor)
    return _document(root)


def _document(root: ET.Element, default: str | None = None) -> bytes:
    text = ET.tostring(root, encoding="unicode", default_namespace=default)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode("utf-8")


@bp.route("/oai", methods=["GET", "POST"])
def oai() -> Response:
    f = feeds()
    args = request.values.to_dict(flat=False)
    answer = f.oai(args)
    body = render_oai(answer, request.base_url, f.catalog.settings.language)
    return Response(body, mimetype="text/xml", content_type="text/xml; charset=utf-8")


# --------------------------------------------------------------------------- sitemap


def _site_url(dataset: str) -> str:
    base = feeds().base
    path = local_path(dataset, base)
    if path is None:
        path = "/resource?iri=" + quote(dataset, safe="")
    return request.host_url.rstrip("/") + request.script_root + path


def _xml_response(root: ET.Element) -> Response:
    return Response(_document(root, SITEMAP), mimetype="application/xml",
                    content_type="application/xml; charset=utf-8")


def _urlset(entries: Iterable) -> Response:
    s = f"{{{SITEMAP}}}"
    root = ET.Element(s + "urlset")
    for entry in entries:
        url = _el(root, s + "url")
        _el(url, s + "loc", _site_url(entry.dataset))
        _el(url, s + "lastmod", entry.datestamp[:10])
    return _xml_response(root)


@bp.route("/sitemap.xml")
def sitemap() -> Response:
    f = feeds()
    chunks = f.sitemap_chunks()
    if chunks == 0:
        return _urlset(f.sitemap_entries())
    s = f"{{{SITEMAP}}}"
    root = ET.Element(s + "sitemapindex")
    prefix = request.host_url.rstrip("/") + request.script_root
    for n in range(1, chunks + 1):
        node = _el(root, s + "sitemap")
        _el(node, s + "loc", f"{prefix}/sitemap-{n}.xml")
        stamps = [e.datestamp for e in f.sitemap_entries(n)]
        if stamps:
            _el(node, s + "lastmod", max(stamps)[:10])
    return _xml_response(root)


@bp.route("/sitemap-<int:n>.xml")
def sitemap_chunk(n: int) -> Response:
    f = feeds()
    if not 1 <= n <= f.sitemap_chunks():
        raise NotFound()
    return _urlset(f.sitemap_entries(n))
