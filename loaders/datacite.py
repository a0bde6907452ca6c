"""DataCite metadata (XML kernel-4, and the REST API's JSON `attributes`), mapped to DCAT.

XML is first read into the JSON attributes shape, so both go through one mapping. The
dataset IRI is https://doi.org/<doi>; a CSTR among the alternate identifiers becomes
dct:identifier and an adms:Identifier typed hdcat:CSTR.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pyoxigraph as ox

from loaders.base import Loader, MappingError, Page
from loaders.http import FetchError, Http
from loaders.rdf import (
    ACCESS_NON_PUBLIC,
    ACCESS_PUBLIC,
    ACCESS_RESTRICTED,
    DCAT,
    DCT,
    FOAF,
    GSP,
    HDCAT,
    LOCN,
    ORG,
    PROV,
    Builder,
    Subject,
    add_cstr,
    add_doi,
    as_list,
    cstr_id,
    doi_name,
    iri,
    lang_tag,
    language,
    licence,
)

RELATIONS = {
    "IsDerivedFrom": PROV.wasDerivedFrom, "IsVersionOf": DCT.isVersionOf,
    "HasVersion": DCAT.hasVersion, "IsCitedBy": DCT.isReferencedBy,
    "IsReferencedBy": DCT.isReferencedBy, "IsSupplementTo": DCT.relation,
    "IsSupplementedBy": DCT.isReferencedBy, "References": DCT.references,
    "Cites": DCT.references, "IsPartOf": DCT.isPartOf, "HasPart": DCT.hasPart,
    "IsNewVersionOf": DCAT.previousVersion, "Requires": DCT.requires,
    "IsRequiredBy": DCT.isRequiredBy, "IsDocumentedBy": FOAF.page, "IsSourceOf": DCT.relation,
    "IsIdenticalTo": DCT.relation, "IsDescribedBy": FOAF.page, "Describes": DCT.relation,
    "IsPreviousVersionOf": DCT.relation, "Documents": DCT.relation,
}
RIGHTS_ACCESS = {
    "info:eu-repo/semantics/openaccess": ACCESS_PUBLIC,
    "info:eu-repo/semantics/restrictedaccess": ACCESS_RESTRICTED,
    "info:eu-repo/semantics/embargoedaccess": ACCESS_NON_PUBLIC,
    "info:eu-repo/semantics/closedaccess": ACCESS_NON_PUBLIC,
}
_RESOLVERS = {"DOI": "https://doi.org/", "Handle": "https://hdl.handle.net/",
              "PMID": "https://pubmed.ncbi.nlm.nih.gov/", "arXiv": "https://arxiv.org/abs/",
              "CSTR": "https://cstr.cn/", "URL": "", "URN": "", "PURL": "", "ARK": ""}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _kids(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _kid(el: ET.Element, name: str) -> ET.Element | None:
    found = _kids(el, name)
    return found[0] if found else None


def _text(el: ET.Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def _group(el: ET.Element, outer: str, inner: str) -> list[ET.Element]:
    box = _kid(el, outer)
    return _kids(box, inner) if box is not None else []


def _name_entity(el: ET.Element, prefix: str) -> dict:
    name = _kid(el, prefix + "Name")
    return {
        "name": _text(name), "nameType": name.get("nameType") if name is not None else None,
        "givenName": _text(_kid(el, "givenName")), "familyName": _text(_kid(el, "familyName")),
        "nameIdentifiers": [{"nameIdentifier": _text(n),
                             "nameIdentifierScheme": n.get("nameIdentifierScheme"),
                             "schemeUri": n.get("schemeURI")}
                            for n in _kids(el, "nameIdentifier")],
        "affiliation": [{"name": _text(a)} for a in _kids(el, "affiliation")],
        "contributorType": el.get("contributorType"),
    }


def resource_to_attributes(res: ET.Element) -> dict:
    """A DataCite XML <resource> as the REST API's `attributes` dict."""
    ident = _kid(res, "identifier")
    a: dict = {"doi": _text(ident) if ident is not None and ident.get(
        "identifierType", "DOI") == "DOI" else None}
    a["identifiers"] = [{"identifier": _text(x), "identifierType": x.get(
        "alternateIdentifierType")} for x in _group(res, "alternateIdentifiers",
                                                    "alternateIdentifier")]
    a["creators"] = [_name_entity(c, "creator") for c in _group(res, "creators", "creator")]
    a["contributors"] = [_name_entity(c, "contributor")
                         for c in _group(res, "contributors", "contributor")]
    a["titles"] = [{"title": _text(t), "lang": t.get(XML_LANG), "titleType": t.get("titleType")}
                   for t in _group(res, "titles", "title")]
    pub = _kid(res, "publisher")
    a["publisher"] = {"name": _text(pub)} if pub is not None else None
    a["publicationYear"] = _text(_kid(res, "publicationYear"))
    a["subjects"] = [{"subject": _text(s), "subjectScheme": s.get("subjectScheme"),
                      "valueUri": s.get("valueURI"), "lang": s.get(XML_LANG)}
                     for s in _group(res, "subjects", "subject")]
    a["dates"] = [{"date": _text(d), "dateType": d.get("dateType")}
                  for d in _group(res, "dates", "date")]
    a["language"] = _text(_kid(res, "language"))
    rt = _kid(res, "resourceType")
    a["types"] = {"resourceTypeGeneral": rt.get("resourceTypeGeneral"),
                  "resourceType": _text(rt)} if rt is not None else {}
    a["relatedIdentifiers"] = [{"relatedIdentifier": _text(r), "relationType": r.get(
        "relationType"), "relatedIdentifierType": r.get("relatedIdentifierType")}
        for r in _group(res, "relatedIdentifiers", "relatedIdentifier")]
    a["sizes"] = [_text(s) for s in _group(res, "sizes", "size")]
    a["formats"] = [_text(f) for f in _group(res, "formats", "format")]
    a["version"] = _text(_kid(res, "version"))
    a["rightsList"] = [{"rights": _text(r), "rightsUri": r.get("rightsURI"),
                        "rightsIdentifier": r.get("rightsIdentifier")}
                       for r in _group(res, "rightsList", "rights")]
    a["descriptions"] = [{"description": "".join(d.itertext()).strip(),
                          "descriptionType": d.get("descriptionType"), "lang": d.get(XML_LANG)}
                         for d in _group(res, "descriptions", "description")]
    geo = []
    for g in _group(res, "geoLocations", "geoLocation"):
        item: dict = {"geoLocationPlace": _text(_kid(g, "geoLocationPlace"))}
        box = _kid(g, "geoLocationBox")
        if box is not None:
            item["geoLocationBox"] = {_local(c.tag): _text(c) for c in box}
        point = _kid(g, "geoLocationPoint")
        if point is not None:
            item["geoLocationPoint"] = {_local(c.tag): _text(c) for c in point}
        geo.append(item)
    a["geoLocations"] = geo
    a["fundingReferences"] = [{_local(c.tag): _text(c) for c in f}
                              for f in _group(res, "fundingReferences", "fundingReference")]
    for el in res:
        known = {"identifier", "alternateIdentifiers", "creators", "contributors", "titles",
                 "publisher", "publicationYear", "subjects", "dates", "language", "resourceType",
                 "relatedIdentifiers", "sizes", "formats", "version", "rightsList",
                 "descriptions", "geoLocations", "fundingReferences"}
        if _local(el.tag) not in known:
            a.setdefault("_unknown", []).append(_local(el.tag))
    return a


def find_resources(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter() if _local(el.tag) == "resource"]


def _related_iri(value: str, kind: str | None) -> ox.NamedNode | None:
    if kind in _RESOLVERS and not value.startswith("http"):
        prefix = _RESOLVERS[kind or ""]
        return iri(prefix + value) if prefix else iri(value)
    return iri(value)


def map_attributes(a: dict, label: str | None = None) -> Builder:
    """DataCite JSON attributes -> DCAT triples."""
    doi = doi_name(a.get("doi"))
    b = Builder(label or f"datacite {doi or a.get('id') or '?'}")
    if doi is None:
        url = iri(a.get("url"))
        if url is None:
            raise ValueError("record has neither a DOI nor a URL")
        ds: Subject = url
    else:
        ds = ox.NamedNode("https://doi.org/" + doi)
    b.a(ds, DCAT.Dataset)
    titles = [t for t in as_list(a.get("titles")) if isinstance(t, dict) and t.get("title")]
    if not titles:
        raise ValueError("record has no title")
    for t in titles:
        prop = DCT.alternative if t.get("titleType") in ("AlternativeTitle", "Subtitle",
                                                         "TranslatedTitle") and len(
            {x.get("lang") for x in titles}) == 1 else DCT.title
        b.text(ds, prop, t["title"], lang_tag(t.get("lang")))
    if doi:
        add_doi(b, ds, doi, ox.NamedNode(ds.value + "#doi"))
    cstr = None
    for x in as_list(a.get("identifiers") or a.get("alternateIdentifiers")):
        value = x.get("identifier") or x.get("alternateIdentifier") or ""
        kind = x.get("identifierType") or x.get("alternateIdentifierType") or ""
        if kind == "DOI" and doi_name(value) == doi:
            continue
        if kind.upper() == "CSTR" or cstr_id(value) and kind.upper() in ("", "CSTR", "OTHER"):
            cstr = cstr_id(value)
            if cstr:
                add_cstr(b, ds, cstr, ox.NamedNode(ds.value + "#cstr"))
                continue
        b.identifier(ds, value, kind or None)
    b.text(ds, DCT.identifier, cstr or doi)
    for c in as_list(a.get("creators")):
        _agent(b, ds, DCT.creator, c)
    pub = a.get("publisher")
    b.agent(ds, DCT.publisher, pub.get("name") if isinstance(pub, dict) else pub)
    for c in as_list(a.get("contributors")):
        role = c.get("contributorType")
        if role == "ContactPerson":
            b.contact(ds, c.get("name"), c.get("email"), kind="Individual")
        elif role == "HostingInstitution" or role == "Distributor":
            b.warn(f"contributor {c.get('name')!r} ({role}) not mapped")
        else:
            node = ox.BlankNode()
            b.add(ds, PROV.qualifiedAttribution, node)
            b.a(node, PROV.Attribution)
            b.link(node, DCAT.hadRole,
                   f"https://schema.datacite.org/meta/kernel-4/include/datacite-contributorType-v4#{role}"
                   if role else None, "contributorType")
            _agent(b, node, PROV.agent, c)
    for s in as_list(a.get("subjects")):
        if s.get("valueUri") or s.get("valueURI"):
            b.link(ds, DCAT.theme, s.get("valueUri") or s.get("valueURI"), "subject valueURI")
        b.text(ds, DCAT.keyword, s.get("subject"), lang_tag(s.get("lang")))
    issued = None
    for d in as_list(a.get("dates")):
        kind, value = d.get("dateType"), str(d.get("date") or "")
        if kind == "Issued":
            issued = b.date(ds, DCT.issued, value, "date Issued") or issued
        elif kind == "Updated":
            b.date(ds, DCT.modified, value, "date Updated")
        elif kind in ("Collected", "Coverage", "Valid") and "/" in value:
            start, _, end = value.partition("/")
            b.period(ds, DCT.temporal, start or None, end or None, f"date {kind}")
        else:
            b.warn(f"date {kind} {value!r} not mapped")
    if not issued and a.get("publicationYear"):
        b.date(ds, DCT.issued, str(a["publicationYear"]), "publicationYear")
    if a.get("language"):
        node = language(a["language"])
        if node is None:
            b.warn(f"language {a['language']!r} unknown, not mapped")
        else:
            b.add(ds, DCT.language, node)
    types = a.get("types") or {}
    if types.get("resourceTypeGeneral") not in (None, "", "Dataset"):
        b.warn(f"resourceTypeGeneral {types['resourceTypeGeneral']!r}: mapped as a dcat:Dataset")
    for r in as_list(a.get("relatedIdentifiers")):
        rel, value = r.get("relationType"), str(r.get("relatedIdentifier") or "")
        target = _related_iri(value, r.get("relatedIdentifierType"))
        prop = RELATIONS.get(rel or "")
        if target is None or prop is None:
            b.warn(f"relatedIdentifier {rel} {value!r} not mapped")
        else:
            b.add(ds, prop, target)
    for r in as_list(a.get("rightsList")):
        uri = str(r.get("rightsUri") or "")
        if uri.lower() in RIGHTS_ACCESS:
            b.add(ds, DCT.accessRights, RIGHTS_ACCESS[uri.lower()])
            continue
        node = licence(uri) or licence(r.get("rightsIdentifier")) or licence(r.get("rights"))
        if node is None:
            b.warn(f"rights {r.get('rights') or uri!r} names no known licence, not mapped")
        else:
            b.add(ds, DCT.license, node)
    for d in as_list(a.get("descriptions")):
        kind, lang = d.get("descriptionType"), lang_tag(d.get("lang"))
        if kind in (None, "Abstract", "Other"):
            b.text(ds, DCT.description, d.get("description"), lang)
        elif kind == "Methods":
            node = ox.BlankNode()
            b.add(ds, DCT.provenance, node)
            b.a(node, DCT.ProvenanceStatement)
            b.text(node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                   d.get("description"), lang)
        else:
            b.warn(f"description of type {kind} not mapped")
    for g in as_list(a.get("geoLocations")):
        _geo(b, ds, g)
    for f in as_list(a.get("fundingReferences")):
        node = ox.BlankNode()
        b.add(ds, HDCAT.fundingProject, node)
        b.a(node, HDCAT.FundingProject)
        b.text(node, DCT.title, f.get("awardTitle") or f.get("funderName"))
        b.text(node, HDCAT.grantNumber, f.get("awardNumber"))
        b.agent(node, HDCAT.funder, f.get("funderName"), uri=f.get("funderIdentifier")
                if str(f.get("funderIdentifier") or "").startswith("http") else None)
    b.text(ds, DCAT.version, a.get("version"))
    b.link(ds, DCAT.landingPage, a.get("url"), "url")
    for key in ("sizes", "formats"):
        for value in as_list(a.get(key)):
            b.warn(f"{key[:-1]} {value!r} not mapped (no distribution in DataCite metadata)")
    for tag in as_list(a.get("_unknown")):
        b.warn(f"element {tag} not mapped")
    return b


def _agent(b: Builder, s: Subject, p: ox.NamedNode, c: dict) -> None:
    orcid = next((n.get("nameIdentifier") for n in as_list(c.get("nameIdentifiers"))
                  if str(n.get("nameIdentifierScheme") or "").upper() == "ORCID"), None)
    if orcid and not orcid.startswith("http"):
        orcid = "https://orcid.org/" + orcid
    kind = "Organization" if c.get("nameType") == "Organizational" else "Person" \
        if c.get("nameType") == "Personal" or c.get("givenName") else "Agent"
    node = b.agent(s, p, c.get("name"), uri=orcid, kind=kind)
    if node is None:
        return
    b.text(node, FOAF.givenName, c.get("givenName") or None)
    b.text(node, FOAF.familyName, c.get("familyName") or None)
    for aff in as_list(c.get("affiliation")):
        b.agent(node, ORG.memberOf, aff.get("name") if isinstance(aff, dict) else aff)


def _geo(b: Builder, ds: Subject, g: dict) -> None:
    node = ox.BlankNode()
    b.add(ds, DCT.spatial, node)
    b.a(node, DCT.Location)
    b.text(node, LOCN.geographicName, g.get("geoLocationPlace") or None)
    box = g.get("geoLocationBox")
    try:
        if isinstance(box, dict) and box:
            w, e = float(box["westBoundLongitude"]), float(box["eastBoundLongitude"])
            s, n = float(box["southBoundLatitude"]), float(box["northBoundLatitude"])
            wkt = f"POLYGON(({w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}))"
            b.add(node, DCAT.bbox, ox.Literal(wkt, datatype=GSP.wktLiteral))
        point = g.get("geoLocationPoint")
        if isinstance(point, dict) and point:
            wkt = f"POINT({float(point['pointLongitude'])} {float(point['pointLatitude'])})"
            b.add(node, DCAT.centroid, ox.Literal(wkt, datatype=GSP.wktLiteral))
    except (KeyError, ValueError):
        b.warn(f"geoLocation {g!r} has bad coordinates, not mapped")


def _json_type(value: object) -> str:
    """The JSON name of a decoded value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def map_document(url: str, body: bytes) -> Page:
    """A DataCite XML document (one or more <resource>) or JSON (a REST API answer)."""
    page = Page([], url)
    items: list[tuple[str, dict]] = []
    if body.lstrip()[:1] in (b"{", b"["):
        doc = json.loads(body.decode("utf-8"))
        data = doc.get("data", doc) if isinstance(doc, dict) else doc
        for index, item in enumerate(as_list(data)):
            attrs = item.get("attributes", item) if isinstance(item, dict) else item
            if not isinstance(attrs, dict):
                # An item that is not an object (or whose attributes are not): a bad record
                # of this page, named by its place in the list; the others still load.
                key = f"item {index}"
                what = "the record" if attrs is item else "its `attributes`"
                page.errors.append(MappingError(key, f"datacite {key}: {what} must be a JSON "
                                                     f"object, not {_json_type(attrs)}"))
                continue
            items.append((str(attrs.get("doi") or item.get("id") or f"item {index}"), attrs))
    else:
        root = ET.fromstring(body)
        for res in find_resources(root):
            attrs = resource_to_attributes(res)
            items.append((str(attrs.get("doi") or "?"), attrs))
    page.total = len(items) + len(page.errors)
    for key, attrs in items:
        try:
            b = map_attributes(attrs, f"datacite {key}")
        except (ValueError, TypeError, AttributeError) as e:
            page.errors.append(MappingError(key, f"datacite {key}: {e}"))
            continue
        page.triples.extend(b.triples)
        page.warnings.extend(b.warnings)
    return page


class DataCiteLoader(Loader):
    """A DataCite XML or JSON document: one page."""

    kind = "datacite"

    def pages(self, url: str, http: Http) -> Iterator[Page]:
        try:
            body = http.get(url, "application/vnd.datacite.datacite+xml, application/xml, "
                                 "application/vnd.api+json, application/json").body
            yield map_document(url, body)
        except FetchError as e:
            yield Page.broken(url, str(e))
        except (ET.ParseError, ValueError, LookupError) as e:  # LookupError: an unknown
            yield Page.broken(url, f"{url}: not DataCite XML or JSON: {e}")  # XML encoding
