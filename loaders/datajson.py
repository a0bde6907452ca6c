"""DCAT-US / Project Open Data `data.json` (v1.1) catalogs, mapped to DCAT.

The file is read once; its `dataset` array is mapped in pages of `page_size` datasets.
`modified` may be a repeating interval (`R/P1Y`: that is dct:accrualPeriodicity, not a
date); `accessLevel` becomes EU access rights; text themes become keywords (with a warning);
the US federal fields (bureauCode, programCode...) and the non-standard `resourcesAPI` of
distributions are reported as warnings (once per dataset and key for distributions).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections import Counter
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
    LOCN,
    ORG,
    RDFS,
    SKOS,
    Builder,
    Subject,
    as_list,
    date_literal,
    file_type,
    frequency,
    iri,
    language,
    licence,
    media_type,
    slug,
)

ACCESS_LEVELS = {
    "public": ACCESS_PUBLIC,
    "restricted public": ACCESS_RESTRICTED,
    "non-public": ACCESS_NON_PUBLIC,
}
_DATASET_DONE = {
    "@type", "title", "description", "keyword", "modified", "accrualPeriodicity", "publisher",
    "contactPoint", "identifier", "accessLevel", "license", "rights", "spatial", "temporal",
    "theme", "landingPage", "conformsTo", "describedBy", "language", "references", "issued",
    "isPartOf", "distribution", "describedByType",
}
_DIST_DONE = {
    "@type", "title", "description", "accessURL", "downloadURL", "mediaType", "format",
    "conformsTo", "describedBy", "modified", "describedByType", "license", "issued",
}


def _period(b: Builder, s: Subject, value: object, what: str) -> None:
    text = str(value).strip()
    if text.startswith("R/"):
        b.warn(f"field {what} value {text!r} is a repeating interval, not mapped")
        return
    start, _, end = text.partition("/")
    if end.startswith("P"):  # start/duration
        b.period(s, DCT.temporal, start, None, what)
        b.warn(f"field {what} duration {end!r} not mapped (start date kept)")
        return
    b.period(s, DCT.temporal, start or None, end or None, what)


class DataJsonMapper:
    """Maps one data.json dataset object to DCAT."""

    def __init__(self, catalog_url: str) -> None:
        self.catalog_url = catalog_url

    def dataset_iri(self, d: dict, index: int) -> ox.NamedNode:
        ident = d.get("identifier")
        node = iri(ident) if isinstance(ident, str) and ident.startswith("http") else None
        if node is not None:
            return node
        parts = urllib.parse.urlsplit(self.catalog_url)
        root = (f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https")
                else "urn:data-json:" + slug(self.catalog_url))
        return ox.NamedNode(f"{root}/dataset/{slug(str(ident or index))}")

    def map(self, d: dict, index: int) -> Builder:
        ident = str(d.get("identifier") or f"#{index}")
        b = Builder(f"data.json dataset {ident}")
        if not d.get("title"):
            raise ValueError("dataset has no title")
        ds = self.dataset_iri(d, index)
        b.a(ds, DCAT.Dataset)
        b.text(ds, DCT.title, d["title"])
        b.text(ds, DCT.description, d.get("description"))
        for kw in as_list(d.get("keyword")):
            b.text(ds, DCAT.keyword, kw)
        if d.get("identifier"):
            b.text(ds, DCT.identifier, d["identifier"])
        self._modified(b, ds, d)
        b.date(ds, DCT.issued, d.get("issued"), "issued")
        self._publisher(b, ds, d.get("publisher"))
        cp = d.get("contactPoint")
        if isinstance(cp, dict):
            email = cp.get("hasEmail")
            b.contact(ds, cp.get("fn"), email or None)
        level = str(d.get("accessLevel") or "").strip().lower()
        if level:
            if level in ACCESS_LEVELS:
                b.add(ds, DCT.accessRights, ACCESS_LEVELS[level])
            else:
                b.warn(f"field accessLevel value {level!r} unknown, not mapped")
        if d.get("license"):
            lic = licence(d["license"])
            if lic is None:
                b.warn(f"field license value {d['license']!r} is not a licence IRI, not mapped")
            else:
                b.add(ds, DCT.license, lic)
        if d.get("rights"):
            node = ox.BlankNode()
            b.add(ds, DCT.rights, node)
            b.a(node, DCT.RightsStatement)
            b.text(node, RDFS.label, d["rights"])
        if d.get("spatial"):
            self._spatial(b, ds, d["spatial"])
        if d.get("temporal"):
            _period(b, ds, d["temporal"], "temporal")
        for theme in as_list(d.get("theme")):
            if iri(theme) is not None and str(theme).startswith("http"):
                b.link(ds, DCAT.theme, theme)
            else:
                b.text(ds, DCAT.keyword, theme)
                b.warn(f"field theme value {theme!r} is text, not a theme IRI: kept as a keyword")
        b.link(ds, DCAT.landingPage, d.get("landingPage"), "landingPage")
        b.links(ds, DCT.conformsTo, d.get("conformsTo"), "conformsTo")
        b.links(ds, FOAF.page, d.get("describedBy"), "describedBy")
        b.links(ds, DCT.references, d.get("references"), "references")
        b.link(ds, DCT.isPartOf, d.get("isPartOf"), "isPartOf")
        for lang in as_list(d.get("language")):
            node = language(lang)
            if node is None:
                b.warn(f"field language value {lang!r} unknown, not mapped")
            else:
                b.add(ds, DCT.language, node)
        for key in d:
            if key not in _DATASET_DONE:
                b.warn(f"field {key} not mapped")
        lost: Counter[str] = Counter()
        for n, dist in enumerate(as_list(d.get("distribution")), 1):
            if isinstance(dist, dict):
                self._distribution(b, ds, dist, n, lost)
        for key, count in sorted(lost.items()):
            b.warn(f"distribution field {key} not mapped ({count} distributions)")
        return b

    def _modified(self, b: Builder, ds: Subject, d: dict) -> None:
        modified = str(d.get("modified") or "").strip()
        periodicity = str(d.get("accrualPeriodicity") or "").strip()
        if modified.upper().startswith("R/"):
            periodicity = periodicity or modified
            modified = ""
        if modified:
            lit = date_literal(modified[:10] if re.match(r"^\d{4}-\d{2}-\d{2}T", modified)
                               and date_literal(modified) is None else modified)
            if lit is None:
                b.warn(f"field modified value {modified!r} is not a date, not mapped")
            else:
                b.add(ds, DCT.modified, lit)
        if periodicity:
            node = frequency(periodicity)
            if node is None:
                b.warn(f"field accrualPeriodicity value {periodicity!r} unknown, not mapped")
            else:
                b.add(ds, DCT.accrualPeriodicity, node)

    def _publisher(self, b: Builder, s: Subject, pub: object, p: ox.NamedNode = DCT.publisher
                   ) -> None:
        if not isinstance(pub, dict) or not pub.get("name"):
            return
        node = b.agent(s, p, pub["name"])
        if node is not None and isinstance(pub.get("subOrganizationOf"), dict):
            self._publisher(b, node, pub["subOrganizationOf"], ORG.subOrganizationOf)

    def _spatial(self, b: Builder, ds: Subject, spatial: object) -> None:
        text = str(spatial).strip()
        if text.startswith("http"):
            b.link(ds, DCT.spatial, text, "spatial")
            return
        node = ox.BlankNode()
        b.add(ds, DCT.spatial, node)
        b.a(node, DCT.Location)
        b.text(node, SKOS.prefLabel, text)
        b.text(node, LOCN.geographicName, text)

    def _distribution(self, b: Builder, ds: Subject, d: dict, n: int,
                      lost: Counter[str]) -> None:
        access = d.get("accessURL") or d.get("downloadURL")
        if not access:
            lost["(no accessURL or downloadURL: distribution)"] += 1
            return
        dist = ox.NamedNode(f"{ds.value.split('#')[0]}#dist-{n}")
        b.add(ds, DCAT.distribution, dist)
        b.a(dist, DCAT.Distribution)
        b.link(dist, DCAT.accessURL, access, "distribution accessURL")
        if d.get("downloadURL"):
            b.link(dist, DCAT.downloadURL, d["downloadURL"], "distribution downloadURL")
        b.text(dist, DCT.title, d.get("title"))
        b.text(dist, DCT.description, d.get("description"))
        mt = media_type(d.get("mediaType")) if d.get("mediaType") else None
        if mt is not None:
            b.add(dist, DCAT.mediaType, mt)
        elif d.get("mediaType"):
            lost["mediaType"] += 1
        fmt = d.get("format") or d.get("mediaType")
        ft = file_type(fmt) if fmt else None
        if ft is not None:
            b.add(dist, DCT.format, ft)
        elif d.get("format"):
            lost[f"format={d['format']}"] += 1
        b.links(dist, DCT.conformsTo, d.get("conformsTo"), "distribution conformsTo")
        b.links(dist, FOAF.page, d.get("describedBy"), "distribution describedBy")
        b.date(dist, DCT.modified, d.get("modified"), "distribution modified")
        b.date(dist, DCT.issued, d.get("issued"), "distribution issued")
        if d.get("license"):
            lic = licence(d["license"])
            if lic is not None:
                b.add(dist, DCT.license, lic)
            else:
                lost["license"] += 1
        for key in d:
            if key not in _DIST_DONE:
                lost[key] += 1


class DataJsonLoader(Loader):
    """A data.json file or URL, `page_size` datasets a page."""

    kind = "datajson"

    def __init__(self, page_size: int = 100) -> None:
        self.page_size = page_size

    def pages(self, url: str, http: Http) -> Iterator[Page]:
        try:
            resp = http.get(url, "application/json")
            catalog = json.loads(resp.body.decode("utf-8-sig"))
            datasets = catalog["dataset"] if isinstance(catalog, dict) else catalog
            if not isinstance(datasets, list):
                raise ValueError("`dataset` is not an array")
        except FetchError as e:
            yield Page.broken(url, str(e))
            return
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
            yield Page.broken(url, f"{url}: not a data.json catalog: {e}")
            return
        mapper = DataJsonMapper(url)
        total = len(datasets)
        warnings: list[str] = []
        if isinstance(catalog, dict):
            conforms = catalog.get("conformsTo")
            if conforms and "v1.1" not in str(conforms):
                warnings.append(f"{url}: conformsTo {conforms!r} is not data.json v1.1")
        for start in range(0, max(total, 1), self.page_size):
            chunk = datasets[start : start + self.page_size]
            page_url = url if start == 0 else f"{url}#start={start}"
            next_url = (f"{url}#start={start + self.page_size}"
                        if start + self.page_size < total else None)
            page = Page([], page_url, next_url, list(warnings), total=total)
            warnings = []
            for index, d in enumerate(chunk, start):
                try:
                    if not isinstance(d, dict):
                        raise ValueError("dataset is not a JSON object")
                    b = mapper.map(d, index)
                except (ValueError, TypeError, AttributeError) as e:
                    ident = d.get("identifier") if isinstance(d, dict) else None
                    record = str(ident or f"dataset {index}")
                    page.errors.append(MappingError(record, f"data.json {record}: {e}"))
                    continue
                page.triples.extend(b.triples)
                page.warnings.extend(b.warnings)
            yield page
