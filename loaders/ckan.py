"""CKAN Action API: `package_search` paged with rows/start, each package dict mapped to DCAT.

The mapping follows ckanext-dcat's DCAT-AP / HealthDCAT-AP profiles (the package JSON and
Turtle pair in shared/external/catalogs): core CKAN fields, the scheming fields of
ckanext-dcat and the HealthDCAT-AP fields; `extras` are read like top-level fields. The
dataset IRI is the package's `uri` (field or extra), else `<base>/dataset/<name>`.
Fields that are not mapped are reported as warnings, never dropped silently.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Iterator

import pyoxigraph as ox

from loaders.base import Loader, MappingError, Page
from loaders.http import FetchError, Http
from loaders.rdf import (
    ADMS,
    DCAT,
    DCATAP,
    DCT,
    DPV,
    DQV,
    FOAF,
    HEALTH,
    OA,
    PROV,
    RDFS,
    XSD,
    Builder,
    Subject,
    as_list,
    date_literal,
    file_type,
    iri,
    licence,
    media_type,
)

# CKAN bookkeeping fields: not metadata, never warned about.
_IGNORED = {
    "id", "name", "type", "state", "private", "isopen", "num_resources", "num_tags",
    "creator_user_id", "owner_org", "license_title", "relationships_as_subject",
    "relationships_as_object", "revision_id", "metadata_created", "metadata_modified",
    "extras", "resources", "tags", "groups", "uri", "title", "notes", "organization",
    "license_id", "license_url", "author", "author_email", "maintainer", "maintainer_email",
    "url", "version", "tracking_summary", "dataset_count", "display_name",
}
_RESOURCE_IGNORED = {
    "id", "package_id", "position", "state", "cache_url", "cache_last_updated", "url_type",
    "datastore_active", "datastore_contains_all_records_of_source", "revision_id",
    "metadata_modified", "tracking_summary", "mimetype_inner", "resource_type", "created",
    "url", "name", "description", "format", "mimetype", "size", "hash", "hash_algorithm",
    "uri", "access_url", "download_url", "last_modified",
}


def _loads(value: object) -> object:
    """Extras hold JSON-encoded lists and dicts as strings."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _empty(value: object) -> bool:
    if value in (None, "", [], {}):
        return True
    if isinstance(value, list):
        return all(_empty(v) for v in value)
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    return False


class CkanMapper:
    """Maps one CKAN package dict to DCAT / HealthDCAT-AP triples."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def dataset_iri(self, pkg: dict) -> ox.NamedNode:
        uri = iri(pkg.get("uri")) or iri(_extras(pkg).get("uri"))
        if uri is not None:
            return uri
        name = urllib.parse.quote(str(pkg.get("name") or pkg.get("id")))
        return ox.NamedNode(f"{self.base}/dataset/{name}")

    def map(self, pkg: dict) -> Builder:
        name = str(pkg.get("name") or pkg.get("id") or "?")
        b = Builder(f"ckan package {name}")
        fields = dict(pkg)
        for key, value in _extras(pkg).items():
            if _empty(fields.get(key)):
                fields[key] = value
            elif key not in ("uri",):
                b.warn(f"extra {key} repeats a field, not mapped")
        ds = self.dataset_iri(pkg)
        b.a(ds, DCAT.Dataset)
        if not b.text(ds, DCT.title, fields.get("title") or fields.get("name")):
            raise ValueError("package has no title")
        b.text(ds, DCT.description, fields.get("notes"))
        for tag in as_list(fields.get("tags")):
            b.text(ds, DCAT.keyword, tag.get("display_name") or tag.get("name")
                   if isinstance(tag, dict) else tag)
        for group in as_list(fields.get("groups")):
            label = group.get("name") if isinstance(group, dict) else group
            b.warn(f"field groups value {label!r} not mapped (CKAN groups are not themes)")
        self._agents(b, ds, fields)
        self._licence(b, ds, fields)
        issued = fields.get("issued") or fields.get("metadata_created")
        modified = fields.get("modified") or fields.get("metadata_modified")
        b.date(ds, DCT.issued, issued, "issued")
        b.date(ds, DCT.modified, modified, "modified")
        if fields.get("url"):
            b.link(ds, DCAT.landingPage, fields["url"], "url")
        if fields.get("version"):
            b.text(ds, DCAT.version, fields["version"])
        done = set(_IGNORED) | {"issued", "modified"}
        for key, value in fields.items():
            if key in done or _empty(value):
                continue
            handler = _FIELDS.get(key)
            if handler is None:
                b.warn(f"field {key} not mapped")
                continue
            handler(b, ds, _loads(value), key)
        for index, res in enumerate(as_list(fields.get("resources"))):
            self._resource(b, ds, res, index)
        return b

    def _agents(self, b: Builder, ds: Subject, f: dict) -> None:
        publishers = as_list(_loads(f.get("publisher")))
        if publishers:
            for pub in publishers:
                _agent(b, ds, DCT.publisher, pub)
        elif isinstance(f.get("organization"), dict):
            org = f["organization"]
            b.agent(ds, DCT.publisher, org.get("title") or org.get("name"),
                    uri=org.get("uri"))
        contacts = as_list(_loads(f.get("contact")))
        for c in contacts:
            if isinstance(c, dict):
                b.contact(ds, c.get("name"), c.get("email") or None, c.get("url") or None,
                          "Organization" if not c.get("name") else "Kind")
        if not contacts:
            for role in ("maintainer", "author"):
                if f.get(role) or f.get(role + "_email"):
                    b.contact(ds, f.get(role), f.get(role + "_email"), kind="Individual")
                    break
        if f.get("author") and _empty(f.get("creator")):
            b.agent(ds, DCT.creator, f["author"], email=f.get("author_email"), kind="Agent")
        for creator in as_list(_loads(f.get("creator"))):
            _agent(b, ds, DCT.creator, creator, "Agent")

    def _licence(self, b: Builder, ds: Subject, f: dict) -> None:
        lic = licence(f.get("license_url")) or licence(f.get("license_id"))
        if lic is not None:
            b.add(ds, DCT.license, lic)
        elif f.get("license_id") or f.get("license_url"):
            b.warn(f"field license_id value {f.get('license_id') or f.get('license_url')!r}"
                   " names no known licence, not mapped")

    def _resource(self, b: Builder, ds: Subject, res: dict, index: int) -> None:
        rid = res.get("id") or str(index)
        access = res.get("access_url") or res.get("url")
        download = res.get("download_url") or (res.get("url") if res.get("access_url") else "")
        if not access and not download:
            b.warn(f"resource {rid} has no URL (a distribution needs dcat:accessURL), not mapped")
            return
        dist = iri(res.get("uri")) or ox.NamedNode(
            f"{self.base}/dataset/{urllib.parse.quote(str(res.get('package_id') or 'x'))}"
            f"/resource/{urllib.parse.quote(rid)}")
        b.add(ds, DCAT.distribution, dist)
        b.a(dist, DCAT.Distribution)
        b.link(dist, DCAT.accessURL, access or download, "resource url")
        if download:
            b.link(dist, DCAT.downloadURL, download, "resource download_url")
        b.text(dist, DCT.title, res.get("name"))
        b.text(dist, DCT.description, res.get("description"))
        fmt = res.get("format")
        if fmt:
            node = file_type(fmt)
            if node is None:
                b.warn(f"resource {rid} format {fmt!r} is not a known file type, not mapped")
            else:
                b.add(dist, DCT.format, node)
        mt = res.get("mimetype")
        if mt:
            node = media_type(mt)
            if node is None:
                b.warn(f"resource {rid} mimetype {mt!r} is not a media type, not mapped")
            else:
                b.add(dist, DCAT.mediaType, node)
        if res.get("size") not in (None, ""):
            b.integer(dist, DCAT.byteSize, res["size"], f"resource {rid} size")
        if res.get("hash"):
            b.checksum(dist, str(res["hash"]), res.get("hash_algorithm") or None)
        b.date(dist, DCT.modified, res.get("last_modified"), "resource last_modified")
        for key, value in res.items():
            if key in _RESOURCE_IGNORED or _empty(value):
                continue
            handler = _RESOURCE_FIELDS.get(key)
            if handler is None:
                b.warn(f"resource {rid} field {key} not mapped")
            else:
                handler(b, dist, _loads(value), f"resource {rid} {key}")


def _extras(pkg: dict) -> dict:
    out = {}
    for extra in as_list(pkg.get("extras")):
        if isinstance(extra, dict) and "key" in extra:
            out[extra["key"]] = _loads(extra.get("value"))
    return out


def _agent(b: Builder, s: Subject, p: ox.NamedNode, d: object, kind: str = "Organization") -> None:
    if not isinstance(d, dict):
        b.agent(s, p, d, kind=kind)
        return
    node = b.agent(s, p, d.get("name"), email=d.get("email") or None,
                   homepage=d.get("url") or d.get("homepage") or None, uri=d.get("uri") or None,
                   kind=kind)
    if node is not None and d.get("type"):
        b.link(node, DCT.type, d["type"], "agent type")
    if node is not None and d.get("identifier"):
        b.text(node, DCT.identifier, d["identifier"])


def _links(p: ox.NamedNode) -> Callable[..., None]:
    return lambda b, s, v, k="": b.links(s, p, v, k or p.value)


def _texts(p: ox.NamedNode) -> Callable[..., None]:
    def add(b: Builder, s: Subject, v: object, k: str = "") -> None:
        for item in as_list(v):
            b.text(s, p, item)
    return add


def _integer(p: ox.NamedNode) -> Callable[..., None]:
    return lambda b, s, v, k="": b.integer(s, p, v, k or p.value)


def _date(p: ox.NamedNode) -> Callable[..., None]:
    return lambda b, s, v, k="": b.date(s, p, v, k or p.value)


def _periods(p: ox.NamedNode) -> Callable[..., None]:
    def add(b: Builder, s: Subject, v: object, k: str = "") -> None:
        for period in as_list(v):
            if isinstance(period, dict):
                b.period(s, p, period.get("start"), period.get("end"), k or p.value)
    return add


def _statement(p: ox.NamedNode, cls: ox.NamedNode) -> Callable[..., None]:
    def add(b: Builder, s: Subject, v: object, k: str = "") -> None:
        for text in as_list(v):
            node = iri(text) if isinstance(text, str) and text.startswith("http") else None
            if node is None:
                node = ox.BlankNode()
                b.a(node, cls)
                b.text(node, RDFS.label, text)
            b.add(s, p, node)
    return add


def _hdab(b: Builder, s: Subject, v: object, k: str = "") -> None:
    for d in as_list(v):
        _agent(b, s, HEALTH.hdab, d)


def _alternate_identifier(b: Builder, s: Subject, v: object, k: str = "") -> None:
    for value in as_list(v):
        b.identifier(s, str(value), None)


def _quality(b: Builder, s: Subject, v: object, k: str = "") -> None:
    for q in as_list(v):
        if not isinstance(q, dict):
            b.warn(f"field quality_annotation value {q!r} not mapped")
            continue
        node = ox.BlankNode()
        b.add(s, DQV.hasQualityAnnotation, node)
        b.a(node, DQV.QualityCertificate)
        b.link(node, OA.hasBody, q.get("body"), "quality_annotation body")
        b.link(node, OA.hasTarget, q.get("target"), "quality_annotation target")
        b.link(node, OA.motivatedBy, q.get("motivated_by"), "quality_annotation motivated_by")


def _qualified_relation(b: Builder, s: Subject, v: object, k: str = "") -> None:
    for r in as_list(v):
        if not isinstance(r, dict) or not r.get("relation"):
            continue
        node = iri(r.get("uri")) or ox.BlankNode()
        b.add(s, DCAT.qualifiedRelation, node)
        b.a(node, DCAT.Relationship)
        b.link(node, DCT.relation, r.get("relation"), "qualified_relation relation")
        b.link(node, DCAT.hadRole, r.get("role"), "qualified_relation role")


def _qualified_attribution(b: Builder, s: Subject, v: object, k: str = "") -> None:
    for a in as_list(v):
        if not isinstance(a, dict):
            continue
        node = ox.BlankNode()
        b.add(s, PROV.qualifiedAttribution, node)
        b.a(node, PROV.Attribution)
        b.link(node, DCAT.hadRole, a.get("role"), "qualified_attribution role")
        for agent in as_list(a.get("agent")):
            _agent(b, node, PROV.agent, agent)


def _activity(b: Builder, s: Subject, v: object, k: str = "") -> None:
    for a in as_list(v):
        if not isinstance(a, dict):
            continue
        node: Subject = ox.BlankNode()
        uri = iri(a.get("uri"))
        if uri is not None and not uri.value.startswith("internalURI:"):
            node = uri
        b.add(s, PROV.wasGeneratedBy, node)
        b.a(node, PROV.Activity)
        b.text(node, RDFS.label, a.get("label"))
        b.link(node, DCT.type, a.get("dct_type"), "provenance_activity dct_type")
        b.link(node, RDFS.seeAlso, a.get("seeAlso"), "provenance_activity seeAlso")
        for key, prop in (("startedAtTime", PROV.startedAtTime), ("endedAtTime", PROV.endedAtTime)):
            b.date(node, prop, a.get(key), "provenance_activity " + key)
        for agent in as_list(a.get("wasAssociatedWith")):
            if not isinstance(agent, dict):
                continue
            who = ox.BlankNode()
            b.add(node, PROV.wasAssociatedWith, who)
            b.a(who, PROV.Agent)
            b.text(who, FOAF.name, agent.get("name"))
            if agent.get("email"):
                b.link(who, FOAF.mbox, "mailto:" + str(agent["email"]).removeprefix("mailto:"))
            b.link(who, FOAF.homepage, agent.get("homepage") or None, "homepage")
            for boss in as_list(agent.get("actedOnBehalfOf")):
                if isinstance(boss, dict):
                    org = ox.BlankNode()
                    b.add(who, PROV.actedOnBehalfOf, org)
                    b.a(org, PROV.Organization, PROV.Agent)
                    b.text(org, FOAF.name, boss.get("name"))


def _temporal_resolution(b: Builder, s: Subject, v: object, k: str = "") -> None:
    b.add(s, DCAT.temporalResolution, ox.Literal(str(v), datatype=XSD.duration))


def _spatial_resolution(b: Builder, s: Subject, v: object, k: str = "") -> None:
    for value in as_list(v):
        try:
            float(value)
        except (TypeError, ValueError):
            b.warn(f"field spatial_resolution_in_meters value {value!r} is not a number")
            continue
        b.add(s, DCAT.spatialResolutionInMeters, ox.Literal(str(value), datatype=XSD.decimal))


def _trusted(b: Builder, s: Subject, v: object, k: str = "") -> None:
    b.boolean(s, HEALTH.trustedDataHolder, v)


def _dcat_type(b: Builder, s: Subject, v: object, k: str = "") -> None:
    b.link(s, DCT.type, v, "dcat_type")


def _spatial(b: Builder, s: Subject, v: object, k: str = "") -> None:
    if isinstance(v, dict | list) or (isinstance(v, str) and v.strip().startswith("{")):
        b.warn("field spatial (a GeoJSON geometry) not mapped")
    else:
        b.link(s, DCT.spatial, v, "spatial")


def _frequency(b: Builder, s: Subject, v: object, k: str = "") -> None:
    b.link(s, DCT.accrualPeriodicity, v, "frequency")


def _resource_license(b: Builder, s: Subject, v: object, k: str = "") -> None:
    node = licence(v)
    if node is None:
        b.warn(f"resource license {v!r} names no known licence, not mapped")
    else:
        b.add(s, DCT.license, node)


def _resource_date(p: ox.NamedNode, key: str) -> Callable[..., None]:
    def add(b: Builder, s: Subject, v: object, k: str = "") -> None:
        if date_literal(v) is not None:
            b.add(s, p, date_literal(v))  # type: ignore[arg-type]
        else:
            b.warn(f"resource field {key} value {v!r} is not a date, not mapped")
    return add


def _access_services(b: Builder, s: Subject, v: object, k: str = "") -> None:
    for svc in as_list(v):
        if not isinstance(svc, dict) or not as_list(svc.get("endpoint_url")):
            continue
        node = iri(svc.get("uri")) or ox.BlankNode()
        b.add(s, DCAT.accessService, node)
        b.a(node, DCAT.DataService)
        b.text(node, DCT.title, svc.get("title"))
        b.links(node, DCAT.endpointURL, svc.get("endpoint_url"), "endpoint_url")
        b.link(node, DCAT.endpointDescription, svc.get("endpoint_description") or None)
        b.link(node, DCT.accessRights, svc.get("access_rights") or None)


_FIELDS: dict[str, Callable[..., None]] = {
    "identifier": _texts(DCT.identifier),
    "alternate_identifier": _alternate_identifier,
    "access_rights": _links(DCT.accessRights),
    "frequency": _frequency,
    "theme": _links(DCAT.theme),
    "language": _links(DCT.language),
    "conforms_to": _links(DCT.conformsTo),
    "documentation": _links(FOAF.page),
    "landing_page": _links(DCAT.landingPage),
    "is_referenced_by": _links(DCT.isReferencedBy),
    "applicable_legislation": _links(DCATAP.applicableLegislation),
    "related_resource": _links(DCT.relation),
    "source": _links(DCT.source),
    "has_version": _links(DCAT.hasVersion),
    "is_version_of": _links(DCT.isVersionOf),
    "sample": _links(ADMS.sample),
    "spatial_uri": _links(DCT.spatial),
    "spatial": _spatial,
    "provenance": _statement(DCT.provenance, DCT.ProvenanceStatement),
    "access_rights_statement": _statement(DCT.rights, DCT.RightsStatement),
    "version_notes": _texts(ADMS.versionNotes),
    "temporal_resolution": _temporal_resolution,
    "spatial_resolution_in_meters": _spatial_resolution,
    "temporal_coverage": _periods(DCT.temporal),
    "dcat_type": _dcat_type,
    "contact": lambda b, s, v, k="": None,
    "publisher": lambda b, s, v, k="": None,
    "creator": lambda b, s, v, k="": None,
    "qualified_relation": _qualified_relation,
    "qualified_attribution": _qualified_attribution,
    "quality_annotation": _quality,
    "provenance_activity": _activity,
    # HealthDCAT-AP
    "analytics": _links(HEALTH.analytics),
    "code_values": _links(HEALTH.hasCodeValues),
    "coding_system": _links(HEALTH.hasCodingSystem),
    "health_category": _links(HEALTH.healthCategory),
    "health_theme": _links(HEALTH.healthTheme),
    "hdab": _hdab,
    "min_typical_age": _integer(HEALTH.minTypicalAge),
    "max_typical_age": _integer(HEALTH.maxTypicalAge),
    "number_of_records": _integer(HEALTH.numberOfRecords),
    "number_of_unique_individuals": _integer(HEALTH.numberOfUniqueIndividuals),
    "population_coverage": _texts(HEALTH.populationCoverage),
    "publisher_note": _texts(HEALTH.publisherNote),
    "publisher_type": _links(HEALTH.publisherType),
    "trusted_data_holder": _trusted,
    "retention_period": _periods(HEALTH.retentionPeriod),
    "personal_data": _links(DPV.hasPersonalData),
    "purpose": _links(DPV.hasPurpose),
    "legal_basis": _links(DPV.hasLegalBasis),
}
_RESOURCE_FIELDS: dict[str, Callable[..., None]] = {
    "license": _resource_license,
    "rights": _statement(DCT.rights, DCT.RightsStatement),
    "access_services": _access_services,
    "retention_period": _periods(HEALTH.retentionPeriod),
    "applicable_legislation": _links(DCATAP.applicableLegislation),
    "conforms_to": _links(DCT.conformsTo),
    "documentation": _links(FOAF.page),
    "language": _links(DCT.language),
    "status": _links(ADMS.status),
    "availability": _links(DCATAP.availability),
    "compress_format": _links(DCAT.compressFormat),
    "package_format": _links(DCAT.packageFormat),
    "temporal_resolution": _temporal_resolution,
    "spatial_resolution_in_meters": _spatial_resolution,
    "issued": _resource_date(DCT.issued, "issued"),
    "issued_date": _resource_date(DCT.issued, "issued_date"),
    "modified": _resource_date(DCT.modified, "modified"),
    "modified_date": _resource_date(DCT.modified, "modified_date"),
}


class CkanLoader(Loader):
    """CKAN's package_search, `rows` packages a page."""

    kind = "ckan"

    def __init__(self, rows: int = 100, query: str | None = None) -> None:
        self.rows = rows
        self.query = query

    def search_url(self, base: str, start: int) -> str:
        params = {"rows": str(self.rows), "start": str(start)}
        if self.query:
            params["q"] = self.query
        return (base.rstrip("/") + "/api/3/action/package_search?"
                + urllib.parse.urlencode(params))

    def pages(self, url: str, http: Http) -> Iterator[Page]:
        base = url.split("/api/3/action/")[0].rstrip("/")
        mapper = CkanMapper(base)
        start = 0
        total: int | None = None
        while True:
            page_url = self.search_url(base, start)
            next_url = self.search_url(base, start + self.rows)
            try:
                resp = http.get(page_url, "application/json")
                body = json.loads(resp.body.decode("utf-8"))
                if not isinstance(body, dict) or not body.get("success"):
                    error = body.get("error") if isinstance(body, dict) else None
                    raise ValueError(f"CKAN answered success=false: {error}")
                result = body["result"]
                packages = result["results"]
                if not isinstance(packages, list):
                    raise ValueError("result.results is not a list of packages")
                total = int(result.get("count", 0))
            except (FetchError, ValueError, KeyError, TypeError) as e:
                message = str(e) if isinstance(e, FetchError) else f"{page_url}: {e}"
                more = total is not None and start + self.rows < total
                yield Page.broken(page_url, message, next_url if more else None, total)
                if not more:
                    return
                start += self.rows
                continue
            more = bool(packages) and start + len(packages) < total
            yield self.page(mapper, packages, page_url, next_url if more else None, total)
            if not more:
                return
            start += self.rows

    @staticmethod
    def page(mapper: CkanMapper, packages: list, page_url: str, next_url: str | None,
             total: int | None) -> Page:
        out = Page([], page_url, next_url, total=total)
        for pkg in packages:
            name = str(pkg.get("name") or pkg.get("id") or "?") if isinstance(pkg, dict) else "?"
            try:
                if not isinstance(pkg, dict):
                    raise ValueError("package is not a JSON object")
                b = mapper.map(pkg)
            except (ValueError, TypeError, AttributeError) as e:
                out.errors.append(MappingError(name, f"ckan package {name}: {e}"))
                continue
            out.triples.extend(b.triples)
            out.warnings.extend(b.warnings)
        return out


def map_packages(packages: list, base: str) -> Page:
    """Map package dicts already at hand (a package_show dump) as one page."""
    return CkanLoader.page(CkanMapper(base), packages, base, None, len(packages))
