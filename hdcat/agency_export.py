"""Files an operator submits to the identifier agencies; nothing here touches the network.

* DataCite Metadata Kernel 4.5 XML (namespace ``http://datacite.org/schema/kernel-4``), one
  file per DOI, for DOI registration (the landing-page URL of each DOI is in the manifest).
* The CSTR registration fields for scientific data (STANDARDS.md section 1.1, the fields
  CNIC's InstDB sends to the CSTR batch-register API) as JSON, one batch per agency prefix:
  ``{"prefix": ..., "metadatas": [...]}``.
* ``manifest.json``: each dataset with its CSTR, DOI, landing page and files.

For one dataset (its identifiers as minted here, else as its record states them) or for every
identifier minted here whose registration is not yet confirmed. ``hdcat identifiers export``
writes them; ``hdcat identifiers mark-registered`` records what the agencies accepted.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import click
import pyoxigraph as ox

from hdcat import queries
from hdcat.browse import DatasetView, Link, dataset_view, doi_id, local_path
from hdcat.citation import Creator, from_view
from hdcat.identifiers import (
    Cstr,
    IdentifierError,
    Identifiers,
    check_cstr,
    check_doi,
    parse,
    parse_cstr,
    parse_doi,
)
from hdcat.labels import Labels

if TYPE_CHECKING:
    from hdcat.catalog import Catalog
    from hdcat.state import PrivateState

DATACITE_NS = "http://datacite.org/schema/kernel-4"
DATACITE_XSD = "http://schema.datacite.org/meta/kernel-4.5/metadata.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DESCRIPTION_MAX = 1024
"""The CSTR description fields are cut to this length (InstDB cuts at 1020 for the API)."""

# EU language authority codes -> BCP 47 (DataCite `language`)
_LANGUAGES = {"ZHO": "zh", "CHI": "zh", "ENG": "en", "FRA": "fr", "DEU": "de", "JPN": "ja",
              "KOR": "ko", "RUS": "ru", "SPA": "es"}
_ACCESS = {
    "PUBLIC": "info:eu-repo/semantics/openAccess",
    "RESTRICTED": "info:eu-repo/semantics/restrictedAccess",
    "NON_PUBLIC": "info:eu-repo/semantics/closedAccess",
}
# hdcat domain -> first-level discipline of GB/T 13745-2009 学科分类与代码 (code, name), for
# the CSTR subject classification (subjectNameStandard 01). The codes are the medicine
# disciplines of that standard as generally cited, not checked against its text [I].
_DISCIPLINES = {
    "health-management": ("330", "预防医学与公共卫生学"),
    "public-health": ("330", "预防医学与公共卫生学"),
    "biomedicine": ("310", "基础医学"),
    "clinical-medicine": ("320", "临床医学"),
    "pharmacy": ("350", "药学"),
}
# hdcat sharing mode -> 共享范围 as NPHDC labels it (STANDARDS.md section 3)
_SHARE_RANGE = {"open": "完全共享", "conditional": "有条件共享", "embargoed": "延期开放",
                "closed": "不开放"}
_DOMAIN_NS = "https://w3id.org/hdcat/vocab/domain/"
_SHARING_NS = "https://w3id.org/hdcat/vocab/sharing-mode/"


class ExportError(IdentifierError):
    """A dataset that cannot be exported (not in the catalog, no identifier)."""


@dataclass
class Exported:
    """What was written for one dataset."""

    dataset: str
    cstr: str | None
    doi: str | None
    url: str
    files: list[str] = field(default_factory=list)


@dataclass
class ExportReport:
    items: list[Exported] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(dataset IRI, why) of datasets with unregistered identifiers that were not exported."""
    files: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


class _Context:
    """What every export of one catalog shares: labels, the catalog's publisher."""

    def __init__(self, catalog: Catalog, labels: Labels | None = None) -> None:
        self.catalog = catalog
        self.labels = labels or Labels(catalog)
        self.base = catalog.settings.base_iri.rstrip("/")
        self._registrant: dict[str, str] | None = None

    def view(self, dataset_iri: str, lang: str) -> DatasetView:
        view = dataset_view(self.catalog, self.labels, dataset_iri, lang,
                            link=lambda _iri: None)
        if view is None:
            raise ExportError(
                "not_in_catalog", f"目录中没有数据集 {dataset_iri}(可能已撤回)。",
                f"The catalog has no dataset {dataset_iri} (withdrawn?).", dataset_iri)
        return view

    def landing(self, iri: str) -> str:
        path = local_path(iri, self.base)
        if path is not None:
            return self.base + path
        return self.base + "/resource?iri=" + quote(iri, safe="")

    def registrant(self) -> dict[str, str]:
        """Names ({lang: name}) of the catalog's publisher: who registers the identifiers."""
        if self._registrant is None:
            rows = self.catalog.store.query(queries.with_values(
                "catalog_publisher", catalog=[ox.NamedNode(self.catalog.settings.catalog_iri)]))
            iri = rows[0]["publisher"].value if rows else None
            self._registrant = self.labels.all(iri) if iri else {}
        return self._registrant

    def related_dois(self, iris: list[str]) -> dict[str, str]:
        """Dataset IRI -> its DOI, for the given datasets that state one."""
        nodes = []
        for iri in dict.fromkeys(iris):
            try:
                nodes.append(ox.NamedNode(iri))
            except ValueError:
                continue
        found: dict[str, str] = {}
        for node in nodes:  # one bound IRI per lookup: an index lookup each
            rows = self.catalog.store.query(queries.with_values("dataset_identifiers",
                                                                ds=[node]))
            for row in rows:
                value = row["value"]
                if not isinstance(value, ox.Literal):
                    continue
                agency = row["agency"].value.upper() if "agency" in row else ""
                is_doi = (value.datatype.value.endswith("#DOI") or agency == "DOI"
                          or doi_id(value.value).startswith("10."))
                if is_doi and check_doi(value.value) is None:
                    found.setdefault(node.value, parse_doi(value.value).value)
        return found


def _texts(view: DatasetView, attr: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for text in getattr(view, attr):
        out.setdefault(text.lang, " ".join(text.text.split()) if attr == "titles" else text.text)
    return out


def _in(texts: dict[str, str], lang: str) -> str:
    for key in (lang, "en" if lang == "zh" else "zh", ""):
        if texts.get(key):
            return texts[key]
    return next(iter(texts.values()), "")


def _lang_tag(lang: str, fallback: str) -> str:
    return lang or fallback


def _identifiers_of(view: DatasetView, ids: Identifiers | None) -> tuple[str | None, str | None]:
    """(CSTR, DOI) of a dataset: as minted here, else as its record states them."""
    cstr = doi = None
    if ids is not None:
        for row in ids.of_dataset(view.iri):
            if row.kind == "cstr":
                cstr = row.id
            else:
                doi = row.id
    if cstr is None and view.cstr is not None and check_cstr(view.cstr.value) is None:
        cstr = parse_cstr(view.cstr.value).value
    if doi is None and view.doi is not None and check_doi(view.doi.value) is None:
        doi = parse_doi(view.doi.value).value
    return cstr, doi


# --------------------------------------------------------------------------- DataCite


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = text
    return element


def _spdx(licence_iri: str) -> str | None:
    """The SPDX id of an EU licence authority IRI (CC_BY_4_0 -> CC-BY-4.0), else None."""
    code = licence_iri.rstrip("/").rsplit("/", 1)[-1]
    if code == "CC0":
        return "CC0-1.0"
    m = re.match(r"^CC_(BY(?:_[A-Z]{2})*)_(\d)_(\d)$", code)
    if m:
        return "CC-" + m.group(1).replace("_", "-") + f"-{m.group(2)}.{m.group(3)}"
    return None


def _creator(parent: ET.Element, creator: Creator, lang: str) -> None:
    element = _sub(parent, "creator")
    parts = creator.parts("en")  # DataCite wants "Family, Given" for persons
    if creator.kind == "person" and parts is not None:
        family, given = parts
        name = f"{family}, {given}" if given else family
        _sub(element, "creatorName", name, nameType="Personal")
        if given:
            _sub(element, "givenName", given)
        _sub(element, "familyName", family)
        return
    name_lang = next((k for k in (lang, "en" if lang == "zh" else "zh", "")
                      if creator.names.get(k)), "")
    _sub(element, "creatorName", creator.name(lang),
         nameType="Personal" if creator.kind == "person" else "Organizational",
         **({XML_LANG: name_lang} if name_lang else {}))


def datacite_resource(ctx: _Context, view: DatasetView, doi: str, cstr: str | None,
                      lang: str = "zh") -> ET.Element:
    """The DataCite 4.5 `resource` element of a dataset (`view` read in `lang`)."""
    other = "en" if lang == "zh" else "zh"
    data = from_view(view)
    # Unqualified tags under a literal default-namespace declaration: ElementTree cannot
    # write a default namespace next to unqualified attributes (identifierType, ...).
    root = ET.Element("resource", {"xmlns": DATACITE_NS,
                                   f"{{{XSI}}}schemaLocation": f"{DATACITE_NS} {DATACITE_XSD}"})
    _sub(root, "identifier", parse_doi(doi).value, identifierType="DOI")

    creators = _sub(root, "creators")
    people = data.creators or ([data.publisher] if data.publisher else [])
    for creator in people:
        _creator(creators, creator, lang)
    if not people:
        _sub(_sub(creators, "creator"), "creatorName", ":unav")

    titles = _sub(root, "titles")
    texts = _texts(view, "titles")
    ordered = sorted(texts, key=lambda k: {lang: 0, other: 1}.get(k, 2))
    for i, key in enumerate(ordered):
        attrs = {XML_LANG: key} if key else {}
        if i:
            attrs["titleType"] = "TranslatedTitle"
        _sub(titles, "title", texts[key], **attrs)
    if not ordered:
        _sub(titles, "title", view.iri)

    publisher = data.publisher
    if publisher is not None:
        name_lang = next((k for k in (lang, other, "") if publisher.names.get(k)), "")
        _sub(root, "publisher", publisher.name(lang), **({XML_LANG: name_lang} if name_lang
                                                          else {}))
    else:
        _sub(root, "publisher", ":unav")
    _sub(root, "publicationYear", view.year or str(date.today().year))
    resource_type = view.types[0].label if view.types else "Dataset"
    _sub(root, "resourceType", resource_type, resourceTypeGeneral="Dataset")

    subjects = _sub(root, "subjects")
    for word in view.keywords:
        _sub(subjects, "subject", word, **{XML_LANG: lang})
    for word in view.keywords_other:
        _sub(subjects, "subject", word, **{XML_LANG: other})
    for link in [*view.domains, *view.themes]:
        scheme = link.iri.rsplit("/", 1)[0]
        for key, label in sorted(ctx.labels.all(link.iri).items()):
            _sub(subjects, "subject", label, valueURI=link.iri, schemeURI=scheme,
                 **({XML_LANG: key} if key else {}))

    dates = _sub(root, "dates")
    if view.issued:
        _sub(dates, "date", view.issued[:10], dateType="Issued")
    if view.modified and view.modified[:10] != (view.issued or "")[:10]:
        _sub(dates, "date", view.modified[:10], dateType="Updated")
    if view.embargo_end:
        _sub(dates, "date", view.embargo_end[:10], dateType="Available")
    for period in view.temporal:
        if period.start or period.end:
            start = (period.start or "")[:10] or "unknown"
            _sub(dates, "date", f"{start}/{(period.end or '')[:10] or 'open'}",
                 dateType="Collected")

    for link in view.languages:
        code = link.iri.rstrip("/").rsplit("/", 1)[-1].upper()
        if code in _LANGUAGES:
            _sub(root, "language", _LANGUAGES[code])
            break

    if cstr:
        alternates = _sub(root, "alternateIdentifiers")
        _sub(alternates, "alternateIdentifier", cstr, alternateIdentifierType="CSTR")

    related = _related(ctx, view)
    if related:
        element = _sub(root, "relatedIdentifiers")
        for value, id_type, relation, general in related:
            _sub(element, "relatedIdentifier", value, relatedIdentifierType=id_type,
                 relationType=relation, resourceTypeGeneral=general)

    formats = sorted({d.media_type for d in view.distributions if d.media_type})
    if formats:
        element = _sub(root, "formats")
        for media in formats:
            _sub(element, "format", media)
    if view.version:
        _sub(root, "version", view.version)

    rights = _sub(root, "rightsList")
    for licence in view.licences:
        spdx = _spdx(licence.iri)
        names = ctx.labels.all(licence.iri) or {"": licence.label}
        for key, label in sorted(names.items()):
            _sub(rights, "rights", label, rightsURI=licence.iri,
                 rightsIdentifier=spdx or "", rightsIdentifierScheme="SPDX" if spdx else "",
                 schemeURI="https://spdx.org/licenses/" if spdx else "",
                 **({XML_LANG: key} if key else {}))
    for access in view.access_rights:
        code = access.iri.rstrip("/").rsplit("/", 1)[-1]
        if code in _ACCESS:
            _sub(rights, "rights", access.label, rightsURI=_ACCESS[code])

    descriptions = _sub(root, "descriptions")
    texts = _texts(view, "descriptions")
    for key in sorted(texts, key=lambda k: {lang: 0, other: 1}.get(k, 2)):
        _sub(descriptions, "description", texts[key], descriptionType="Abstract",
             **({XML_LANG: key} if key else {}))

    if view.funding:
        element = _sub(root, "fundingReferences")
        for funding in view.funding:
            ref = _sub(element, "fundingReference")
            _sub(ref, "funderName", funding.funder.label if funding.funder else funding.title)
            if funding.grant:
                _sub(ref, "awardNumber", funding.grant)
            if funding.title:
                _sub(ref, "awardTitle", funding.title)
    for wrapper in list(root):
        if wrapper.tag in ("subjects", "dates", "rightsList", "descriptions") and not len(wrapper):
            root.remove(wrapper)
    return root


_RELATIONS = {
    "source": "IsDerivedFrom",
    "derived": "IsSourceOf",
    "part_of": "IsPartOf",
    "has_part": "HasPart",
    "replaces": "Obsoletes",
    "replaced_by": "IsObsoletedBy",
}


def _related(ctx: _Context, view: DatasetView) -> list[tuple[str, str, str, str]]:
    """(identifier, identifier type, relation, resourceTypeGeneral) of related resources."""
    links: list[tuple[Link, str]] = []
    links += [(link, "IsNewVersionOf") for link in view.previous_versions]
    links += [(link, "IsPreviousVersionOf") for link in view.later_versions]
    links += [(link, "IsPartOf") for link in view.series]
    links += [(r.link, _RELATIONS[r.relation]) for r in view.related
              if r.relation in _RELATIONS]
    dois = ctx.related_dois([link.iri for link, _rel in links])
    out: list[tuple[str, str, str, str]] = []
    for link, relation in links:
        if link.iri in dois:
            out.append((dois[link.iri], "DOI", relation, "Dataset"))
        elif link.iri.startswith(("http://", "https://")):
            out.append((link.iri, "URL", relation, "Dataset"))
    for paper in view.papers:
        bare = doi_id(paper.iri)
        if check_doi(bare) is None and "doi.org/" in paper.iri:
            out.append((parse_doi(bare).value, "DOI", "IsCitedBy", ""))
        elif paper.iri.startswith(("http://", "https://")):
            out.append((paper.iri, "URL", "IsCitedBy", ""))
    return list(dict.fromkeys(out))


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def datacite_xml(catalog: Catalog, dataset_iri: str, doi: str | None = None,
                 cstr: str | None = None, *, labels: Labels | None = None,
                 identifiers: Identifiers | None = None, lang: str = "zh") -> bytes:
    """DataCite 4.5 XML of a dataset for registering its DOI (`doi`, else the one minted
    here, else the one its record states); the CSTR goes in alternateIdentifiers."""
    ctx = _Context(catalog, labels)
    view = ctx.view(dataset_iri, lang)
    found_cstr, found_doi = _identifiers_of(view, identifiers)
    doi = doi or found_doi
    if doi is None:
        raise ExportError("no_doi", f"数据集 {dataset_iri} 没有 DOI。",
                          f"The dataset {dataset_iri} has no DOI.", dataset_iri)
    return _xml_bytes(datacite_resource(ctx, view, doi, cstr or found_cstr, lang))


# --------------------------------------------------------------------------- CSTR


def _cstr_fields(ctx: _Context, view: DatasetView, cstr: str, doi: str | None) -> dict:
    titles = _texts(view, "titles")
    descriptions = _texts(view, "descriptions")
    data = from_view(view)
    registrant = ctx.registrant()
    publisher = data.publisher.names if data.publisher else {}
    domains = [link.iri[len(_DOMAIN_NS):] for link in view.domains
               if link.iri.startswith(_DOMAIN_NS)]
    disciplines = list(dict.fromkeys(_DISCIPLINES[d] for d in domains if d in _DISCIPLINES))
    modes = [link.iri[len(_SHARING_NS):] for link in view.sharing_mode
             if link.iri.startswith(_SHARING_NS)]
    mode = modes[0] if modes else None
    online = any(d.access_urls or d.download_urls or d.download_hidden
                 for d in view.distributions)
    keywords_zh = list(view.keywords)
    keywords_en = list(view.keywords_other)
    fields: dict[str, object] = {
        "resourceChineseName": titles.get("zh") or _in(titles, "zh"),
        "resourceName": titles.get("en") or "",
        "identifier": parse_cstr(cstr).value,
        "resourceType": "11",
        "urls": [ctx.landing(view.iri)],
        "identificationStatus": 2,
        "descriptionCN": (descriptions.get("zh") or _in(descriptions, "zh"))[:DESCRIPTION_MAX],
        "descriptionEN": (descriptions.get("en") or "")[:DESCRIPTION_MAX],
        "registerOrganizationCN": _in(registrant, "zh") or _in(publisher, "zh"),
        "registerOrganizationEN": registrant.get("en") or publisher.get("en", ""),
        "submitOrgName": _in(publisher, "zh") or _in(registrant, "zh"),
        "publicationDate": (view.issued or view.record_issued or "")[:10],
        "alternativeIdentifiers": (
            [{"identifierType": "04", "identifierValue": parse_doi(doi).value}] if doi else []
        ),
        "creators": [
            {"creatorNameCN": c.names.get("zh") or c.name("zh"),
             "creatorNameEN": c.names.get("en", "")}
            for c in (data.creators or ([data.publisher] if data.publisher else []))
        ],
        "subjectClassifications": [{
            "subjectName": [code for code, _name in disciplines],
            "subjectNameStandard": "01",
            "keyWordsCN": keywords_zh,
            "keyWordsEN": keywords_en,
        }],
        "keywords": ";".join(keywords_zh or keywords_en),
        "categoryName": ";".join(name for _code, name in disciplines),
        "standardName": ";".join(ctx.labels.label(t.iri, "zh") for t in view.themes),
        "shareChannel": "线上共享" if online else "线下共享",
        "shareRange": _SHARE_RANGE.get(mode or "", view.sharing_mode[0].label
                                       if view.sharing_mode else ""),
        "process": view.access_procedure or (
            "在线获取,无需申请" if mode == "open" else
            ctx.labels.label(view.sharing_mode[0].iri, "zh") if view.sharing_mode else ""),
    }
    return fields


def cstr_metadata(catalog: Catalog, dataset_iri: str, cstr: str | None = None,
                  doi: str | None = None, *, labels: Labels | None = None,
                  identifiers: Identifiers | None = None) -> dict:
    """The CSTR registration fields of a dataset (one entry of a batch's `metadatas`)."""
    ctx = _Context(catalog, labels)
    view = ctx.view(dataset_iri, "zh")
    found_cstr, found_doi = _identifiers_of(view, identifiers)
    cstr = cstr or found_cstr
    if cstr is None:
        raise ExportError("no_cstr", f"数据集 {dataset_iri} 没有 CSTR。",
                          f"The dataset {dataset_iri} has no CSTR.", dataset_iri)
    return _cstr_fields(ctx, view, cstr, doi or found_doi)


def cstr_batch(metadatas: list[dict]) -> dict[str, dict]:
    """Batch-register payloads by agency prefix: prefix -> {"prefix", "metadatas"}."""
    batches: dict[str, dict] = {}
    for entry in metadatas:
        prefix = parse_cstr(entry["identifier"]).agency
        batches.setdefault(prefix, {"prefix": prefix, "metadatas": []})["metadatas"].append(entry)
    return batches


# --------------------------------------------------------------------------- export


def _file_name(identifier: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", identifier)


def export(catalog: Catalog, state: PrivateState | None, out_dir: Path,
           dataset: str | None = None, lang: str = "zh") -> ExportReport:
    """Write the agency files of `dataset` (an IRI), or, with `dataset` None, of every dataset
    with identifiers minted here and not yet registered, into `out_dir`."""
    ids = Identifiers(state) if state is not None else None
    ctx = _Context(catalog)
    report = ExportReport()
    wanted: dict[str, tuple[bool, bool]] = {}
    """dataset -> (export its CSTR, export its DOI)"""
    if dataset is not None:
        wanted[dataset] = (True, True)
    elif ids is not None:
        for row in ids.unregistered():
            cstr_wanted, doi_wanted = wanted.get(row.dataset, (False, False))
            wanted[row.dataset] = (cstr_wanted or row.kind == "cstr",
                                   doi_wanted or row.kind == "doi")
    out_dir.mkdir(parents=True, exist_ok=True)
    metadatas: list[dict] = []
    for iri, (want_cstr, want_doi) in wanted.items():
        try:
            view = ctx.view(iri, lang)
        except ExportError as e:
            if dataset is not None:
                raise
            report.skipped.append((iri, e.en))
            continue
        cstr, doi = _identifiers_of(view, ids)
        if cstr is None and doi is None:
            raise ExportError("no_identifier", f"数据集 {iri} 没有 CSTR 或 DOI。",
                              f"The dataset {iri} has no CSTR or DOI.", iri)
        item = Exported(iri, cstr, doi, ctx.landing(iri))
        if want_doi and doi is not None:
            name = f"datacite-{_file_name(doi)}.xml"
            (out_dir / name).write_bytes(_xml_bytes(datacite_resource(ctx, view, doi, cstr,
                                                                      lang)))
            item.files.append(name)
        if want_cstr and cstr is not None:
            zh_view = view if lang == "zh" else ctx.view(iri, "zh")
            metadatas.append(_cstr_fields(ctx, zh_view, cstr, doi))
            item.files.append(f"cstr-{parse_cstr(cstr).agency}.json")
        report.items.append(item)
    for prefix, batch in sorted(cstr_batch(metadatas).items()):
        name = f"cstr-{prefix}.json"
        (out_dir / name).write_text(json.dumps(batch, ensure_ascii=False, indent=2) + "\n",
                                    encoding="utf-8")
        report.files.append(name)
    report.files = sorted({f for item in report.items for f in item.files} | set(report.files))
    manifest = {
        "datasets": [
            {"dataset": i.dataset, "cstr": i.cstr, "doi": i.doi, "url": i.url, "files": i.files}
            for i in report.items
        ],
        "skipped": [{"dataset": d, "reason": r} for d, r in report.skipped],
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    report.files.append("manifest.json")
    return report


# --------------------------------------------------------------------------- CLI


def _open(ctx: click.Context) -> tuple[Catalog, PrivateState]:
    from hdcat.catalog import Catalog
    from hdcat.state import PrivateState

    obj = ctx.find_root().ensure_object(dict)
    if "catalog" not in obj:
        obj["catalog"] = Catalog.open(obj.get("data"))
        ctx.call_on_close(obj["catalog"].close)
    catalog = obj["catalog"]
    state = PrivateState(catalog.settings.data_dir / "private.sqlite")
    ctx.call_on_close(state.close)
    return catalog, state


@click.group("identifiers")
def cli() -> None:
    """CSTR and DOI: check them, export the agency files, record registrations."""


@cli.command("check")
@click.argument("values", nargs=-1, required=True)
def check_command(values: tuple[str, ...]) -> None:
    """Check CSTRs and DOIs; print each in its normal form, or what is wrong."""
    bad = 0
    for value in values:
        try:
            ident = parse(value)
        except IdentifierError as e:
            bad += 1
            click.echo(f"{value}: {e.zh}\n{' ' * len(value)}  {e.en}")
            continue
        kind = "CSTR" if isinstance(ident, Cstr) else "DOI"
        click.echo(f"{value}: {kind} {ident.value}")
    if bad:
        raise SystemExit(1)


@cli.command("export")
@click.option("--dataset", "dataset", default=None, help="The IRI of one dataset.")
@click.option("--all", "all_", is_flag=True,
              help="Every dataset whose minted identifiers are not yet registered.")
@click.option("-o", "--output", "output", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write to.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Primary language of the DataCite titles and names.")
@click.pass_context
def export_command(ctx: click.Context, dataset: str | None, all_: bool, output: Path,
                   lang: str) -> None:
    """Write DataCite 4.5 XML and CSTR registration JSON (no network: files to submit)."""
    if (dataset is None) == (not all_):
        raise click.UsageError("give either --dataset IRI or --all")
    catalog, state = _open(ctx)
    try:
        report = export(catalog, state, output, dataset=dataset, lang=lang)
    except IdentifierError as e:
        raise click.ClickException(str(e)) from e
    for item in report.items:
        click.echo(f"{item.dataset}  {item.cstr or '-'}  {item.doi or '-'}  "
                   f"{', '.join(item.files)}")
    for iri, why in report.skipped:
        click.echo(f"skipped {iri}: {why}", err=True)
    click.echo(f"{len(report.items)} datasets, {len(report.files)} files in {output}", err=True)


@cli.command("mark-registered")
@click.argument("values", nargs=-1, required=True)
@click.pass_context
def mark_registered_command(ctx: click.Context, values: tuple[str, ...]) -> None:
    """Record that the agencies registered these CSTRs and DOIs."""
    _catalog, state = _open(ctx)
    ids = Identifiers(state)
    for value in values:
        try:
            parse(value)
        except IdentifierError as e:
            raise click.ClickException(f"{value}: {e}") from e
    unknown = ids.mark_registered(values)
    if unknown:
        raise click.ClickException("not minted here: " + ", ".join(unknown))
    click.echo(f"{len(values)} identifiers marked registered")

