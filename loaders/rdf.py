"""Shared helpers of the loaders: namespaces, a triple builder and the value maps (dates,
file types, media types, licences, access rights, languages) every mapping needs."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

import pyoxigraph as ox


class Namespace:
    """`DCAT.title` / `DCAT["title"]` -> NamedNode."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return ox.NamedNode(self.base + name)

    def __getitem__(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self.base + name)


RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
HEALTH = Namespace("http://healthdataportal.eu/ns/health#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DQV = Namespace("http://www.w3.org/ns/dqv#")
OA = Namespace("http://www.w3.org/ns/oa#")
DPV = Namespace("https://w3id.org/dpv#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
ORG = Namespace("http://www.w3.org/ns/org#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
HDCAT = Namespace("https://w3id.org/hdcat/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")

EU = "http://publications.europa.eu/resource/authority/"
ACCESS_PUBLIC = ox.NamedNode(EU + "access-right/PUBLIC")
ACCESS_RESTRICTED = ox.NamedNode(EU + "access-right/RESTRICTED")
ACCESS_NON_PUBLIC = ox.NamedNode(EU + "access-right/NON_PUBLIC")
IANA_MEDIA = "http://www.iana.org/assignments/media-types/"
DEFAULT_BASE = "https://hdcat.example.org"

Subject = ox.NamedNode | ox.BlankNode


def iri(value: object) -> ox.NamedNode | None:
    """`value` as an IRI node if it is an absolute IRI, else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value):
        return None
    try:
        return ox.NamedNode(value)
    except ValueError:
        return None


def is_web_iri(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$")


def date_literal(value: object) -> ox.Literal | None:
    """An ISO date / date-time / year / year-month as a typed literal (None if it is not one)."""
    if value is None:
        return None
    text = str(value).strip()
    if _DATE.match(text):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return None
        return ox.Literal(text, datatype=XSD.date)
    m = _DATETIME.match(text)
    if m:
        try:
            datetime.date.fromisoformat(m.group(1))
        except ValueError:
            return None
        clock = m.group(2) if m.group(2).count(":") == 2 else m.group(2) + ":00"
        zone = m.group(3) or ""
        if zone in ("+00:00", "+0000", "-00:00"):
            zone = "Z"
        elif zone and ":" not in zone:
            zone = zone[:3] + ":" + zone[3:]
        return ox.Literal(f"{m.group(1)}T{clock}{zone}", datatype=XSD.dateTime)
    if re.match(r"^\d{4}$", text):
        return ox.Literal(text, datatype=XSD.gYear)
    if re.match(r"^\d{4}-(0[1-9]|1[0-2])$", text):
        return ox.Literal(text, datatype=XSD.gYearMonth)
    return None


class Builder:
    """Collects the triples of one mapped record and the warnings about it."""

    def __init__(self, label: str = "") -> None:
        self.label = label
        self.triples: list[ox.Triple] = []
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.label}: {message}" if self.label else message)

    def add(self, s: Subject, p: ox.NamedNode, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        self.triples.append(ox.Triple(s, p, o))

    def a(self, s: Subject, *classes: ox.NamedNode) -> None:
        for cls in classes:
            self.add(s, RDF.type, cls)

    def text(self, s: Subject, p: ox.NamedNode, value: object, lang: str | None = None) -> bool:
        if value is None or (isinstance(value, str) and not value.strip()):
            return False
        text = str(value).strip()
        self.add(s, p, ox.Literal(text, language=lang) if lang else ox.Literal(text))
        return True

    def link(self, s: Subject, p: ox.NamedNode, value: object, what: str = "") -> bool:
        """Add an IRI object; warn (naming `what`) when the value is not an IRI."""
        if value is None or value == "" or value == []:
            return False
        node = iri(value)
        if node is None:
            self.warn(f"field {what or p.value} value {value!r} is not an IRI, not mapped")
            return False
        self.add(s, p, node)
        return True

    def links(self, s: Subject, p: ox.NamedNode, values: object, what: str = "") -> None:
        for value in as_list(values):
            self.link(s, p, value, what)

    def date(self, s: Subject, p: ox.NamedNode, value: object, what: str = "") -> bool:
        if value is None or value == "":
            return False
        lit = date_literal(value)
        if lit is None:
            self.warn(f"field {what or p.value} value {value!r} is not a date, not mapped")
            return False
        self.add(s, p, lit)
        return True

    def integer(self, s: Subject, p: ox.NamedNode, value: object, what: str = "",
                datatype: ox.NamedNode = XSD.nonNegativeInteger) -> bool:
        if value is None or value == "":
            return False
        try:
            number = int(str(value).strip().replace(",", ""))
        except ValueError:
            number = -1
        if number < 0:
            self.warn(f"field {what or p.value} value {value!r} is not a non-negative integer,"
                      " not mapped")
            return False
        self.add(s, p, ox.Literal(str(number), datatype=datatype))
        return True

    def boolean(self, s: Subject, p: ox.NamedNode, value: object) -> None:
        truth = value if isinstance(value, bool) else str(value).strip().lower() in (
            "true", "1", "yes", "是")
        self.add(s, p, ox.Literal("true" if truth else "false", datatype=XSD.boolean))

    def period(self, s: Subject, p: ox.NamedNode, start: object, end: object,
               what: str = "") -> ox.BlankNode | None:
        """A dct:PeriodOfTime with start and/or end dates."""
        lits = [date_literal(v) if v not in (None, "") else None for v in (start, end)]
        given = [v not in (None, "") for v in (start, end)]
        if (given[0] and lits[0] is None) or (given[1] and lits[1] is None):
            self.warn(f"field {what or p.value} value {start!r}..{end!r} is not a date range,"
                      " not mapped")
            return None
        if lits[0] is None and lits[1] is None:
            return None
        node = ox.BlankNode()
        self.add(s, p, node)
        self.a(node, DCT.PeriodOfTime)
        if lits[0] is not None:
            self.add(node, DCAT.startDate, lits[0])
        if lits[1] is not None:
            self.add(node, DCAT.endDate, lits[1])
        return node

    def agent(self, s: Subject, p: ox.NamedNode, name: object, *, email: object = None,
              homepage: object = None, uri: object = None, kind: str = "Organization",
              lang: str | None = None) -> Subject | None:
        """A foaf agent (named by `uri` when it is an IRI, else a blank node)."""
        if not name and not uri:
            return None
        node: Subject = iri(uri) or ox.BlankNode()
        self.add(s, p, node)
        self.a(node, FOAF[kind])
        if kind != "Agent":
            self.a(node, FOAF.Agent)
        self.text(node, FOAF.name, name, lang)
        if email:
            self.link(node, FOAF.mbox, mailto(email), "email")
        if homepage:
            self.link(node, FOAF.homepage, homepage, "homepage")
        return node

    def contact(self, s: Subject, name: object, email: object = None, url: object = None,
                kind: str = "Kind", lang: str | None = None) -> ox.BlankNode | None:
        """A vcard contact point of a dataset."""
        if not name and not email:
            return None
        node = ox.BlankNode()
        self.add(s, DCAT.contactPoint, node)
        self.a(node, VCARD[kind])
        self.text(node, VCARD.fn, name or email, lang)
        if email:
            self.link(node, VCARD.hasEmail, mailto(email), "email")
        if url:
            self.link(node, VCARD.hasURL, url, "contact URL")
        return node

    def identifier(self, s: Subject, notation: str, agency: str | None,
                   node: Subject | None = None, datatype: ox.NamedNode | None = None) -> Subject:
        """An adms:Identifier with its notation and scheme agency."""
        node = node or ox.BlankNode()
        self.add(s, ADMS.identifier, node)
        self.a(node, ADMS.Identifier)
        self.add(node, SKOS.notation, ox.Literal(notation, datatype=datatype) if datatype
                 else ox.Literal(notation))
        if agency:
            self.text(node, ADMS.schemaAgency, agency)
        return node

    def checksum(self, s: Subject, value: str, algorithm: str | None = None) -> None:
        algo = (algorithm or {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}.get(
            len(value), "")).lower().replace("-", "")
        if not algo:
            self.warn(f"checksum {value!r} has no known algorithm, not mapped")
            return
        node = ox.BlankNode()
        self.add(s, SPDX.checksum, node)
        self.a(node, SPDX.Checksum)
        self.add(node, SPDX.algorithm, SPDX["checksumAlgorithm_" + algo])
        self.add(node, SPDX.checksumValue, ox.Literal(value.lower(), datatype=XSD.hexBinary))


def as_list(value: object) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [v for v in value if v not in (None, "")]
    return [value]


def mailto(email: object) -> str:
    text = str(email).strip()
    return text if text.lower().startswith("mailto:") else "mailto:" + text


EMAIL = re.compile(r"^(mailto:)?[^@\s]+@[^@\s]+\.[^@\s]+$", re.I)

# File types of the EU file-type authority, by the names sources use for them.
_FILE_TYPE_NAMES = {
    "CSV": "CSV", "TSV": "TSV", "TAB": "TSV", "JSON": "JSON", "GEOJSON": "GEOJSON",
    "JSON-LD": "JSON_LD", "JSONLD": "JSON_LD", "XML": "XML", "PDF": "PDF", "ZIP": "ZIP",
    "XLS": "XLS", "XLSX": "XLSX", "EXCEL": "XLSX", "HTML": "HTML", "TXT": "TXT", "TEXT": "TXT",
    "RDF": "RDF_XML", "RDF/XML": "RDF_XML", "RDF-XML": "RDF_XML", "TTL": "RDF_TURTLE",
    "TURTLE": "RDF_TURTLE", "NT": "N_TRIPLES", "N-TRIPLES": "N_TRIPLES", "DOCX": "DOCX",
    "DOC": "DOC", "GZ": "GZIP", "GZIP": "GZIP", "TAR": "TAR", "ODS": "ODS",
    "PARQUET": "PARQUET", "SHP": "SHP", "DBF": "DBF", "7Z": "7Z", "RAR": "RAR",
}
_MEDIA_TO_FILE_TYPE = {
    "text/csv": "CSV", "text/tab-separated-values": "TSV", "application/json": "JSON",
    "application/ld+json": "JSON_LD", "application/xml": "XML", "text/xml": "XML",
    "application/pdf": "PDF", "application/zip": "ZIP", "text/html": "HTML",
    "text/plain": "TXT", "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/rdf+xml": "RDF_XML", "text/turtle": "RDF_TURTLE",
    "application/n-triples": "N_TRIPLES", "application/gzip": "GZIP",
    "application/x-tar": "TAR",
}
_FILE_TYPE_TO_MEDIA = {v: k for k, v in reversed(list(_MEDIA_TO_FILE_TYPE.items()))}


def file_type(value: object) -> ox.NamedNode | None:
    """The EU file-type IRI for a format name, media type or file-type IRI."""
    if not value:
        return None
    text = str(value).strip()
    if text.startswith(EU + "file-type/"):
        return ox.NamedNode(text)
    if text.lower().startswith(IANA_MEDIA):
        text = text[len(IANA_MEDIA):]
    code = _MEDIA_TO_FILE_TYPE.get(text.lower().split(";")[0].strip())
    if code is None:
        code = _FILE_TYPE_NAMES.get(text.upper().lstrip("."))
    return ox.NamedNode(EU + "file-type/" + code) if code else None


def media_type(value: object) -> ox.NamedNode | None:
    """The IANA media-type IRI for `type/subtype` (or a known format name)."""
    if not value:
        return None
    text = str(value).strip()
    if text.lower().startswith(IANA_MEDIA):
        return iri(text)
    text = text.split(";")[0].strip().lower()
    if re.match(r"^[a-z]+/[a-z0-9.+-]+$", text):
        return ox.NamedNode(IANA_MEDIA + text)
    ft = file_type(text)
    if ft is not None:
        mt = _FILE_TYPE_TO_MEDIA.get(ft.value.rsplit("/", 1)[1])
        if mt:
            return ox.NamedNode(IANA_MEDIA + mt)
    return None


_LICENCES = [
    (r"(^|/)(cc0|cc-zero|zero/1\.0|publicdomain/zero|cc0-1\.0)", "CC0"),
    (r"by-nc-nd|cc-by-nc-nd|署名-非商业性使用-禁止演绎", "CC_BY_NC_ND_4_0"),
    (r"by-nc-sa|cc-by-nc-sa|署名-非商业性使用-相同方式共享", "CC_BY_NC_SA_4_0"),
    (r"by-nc\b|by-nc/|by-nc-4|cc-nc|cc-by-nc|署名-非商业性使用", "CC_BY_NC_4_0"),
    (r"by-nd|cc-by-nd|署名-禁止演绎", "CC_BY_ND_4_0"),
    (r"by-sa|cc-by-sa|署名-相同方式共享", "CC_BY_SA_4_0"),
    (r"licenses/by/|cc-by|^cc by|^ccby|署名", "CC_BY_4_0"),
    (r"odc-by|odc_by|opendatacommons.org/licenses/by", "ODC_BY"),
    (r"odbl|odc-odbl", "ODC_ODBL"),
    (r"pddl|odc-pddl", "ODC_PDDL"),
]


def licence(value: object) -> ox.NamedNode | None:
    """An EU licence IRI for a licence name, id or Creative Commons URL; other IRIs as they
    are; None for text that names no known licence."""
    if not value:
        return None
    text = str(value).strip()
    if text.startswith(EU + "licence/"):
        return ox.NamedNode(text)
    norm = re.sub(r"[\s_]+", "-", text.lower())
    for pattern, code in _LICENCES:
        if re.search(pattern, norm):
            if code.startswith("CC_BY") and re.search(r"\b[123]\.\d", norm):
                return iri(text) if is_web_iri(text) else None
            return ox.NamedNode(EU + "licence/" + code)
    return iri(text) if is_web_iri(text) else None


_LANGUAGES = {
    "en": "ENG", "zh": "ZHO", "fr": "FRA", "de": "DEU", "es": "SPA", "nl": "NLD", "it": "ITA",
    "ja": "JPN", "ko": "KOR", "ru": "RUS", "pt": "POR", "ar": "ARA", "eng": "ENG",
    "zho": "ZHO", "chi": "ZHO", "中文": "ZHO", "汉语": "ZHO", "英文": "ENG", "英语": "ENG",
}


def language(value: object) -> ox.NamedNode | None:
    """An EU language IRI for an ISO 639 code (`en`, `en-US`, `zho`) or an IRI."""
    if not value:
        return None
    text = str(value).strip()
    if is_web_iri(text):
        return iri(text)
    code = _LANGUAGES.get(text.lower().split("-")[0].split("_")[0]) or _LANGUAGES.get(text)
    return ox.NamedNode(EU + "language/" + code) if code else None


def lang_tag(value: object) -> str | None:
    """A BCP 47 tag usable on a literal, or None."""
    if not value:
        return None
    text = str(value).strip().replace("_", "-")
    return text.lower() if re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", text) else None


def doi_name(value: object) -> str | None:
    """The DOI name (`10.x/y`) in a DOI, `doi:` or doi.org URL; None if it is not a DOI."""
    if not value:
        return None
    text = str(value).strip()
    m = re.match(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", text, re.I)
    return m.group(1) if m else None


CSTR_RE = re.compile(r"^(?:CSTR:|https?://(?:www\.)?cstr\.cn/(?:CSTR:)?)?([A-Za-z0-9]{5}\.\d{2}\.\S+)$",
                     re.I)


def cstr_id(value: object) -> str | None:
    """`CSTR:<id>` for a CSTR in any of its written forms; None if it is not one."""
    if not value:
        return None
    m = CSTR_RE.match(str(value).strip())
    return "CSTR:" + m.group(1) if m else None


def add_doi(b: Builder, s: Subject, doi: str, node: Subject | None = None) -> None:
    b.identifier(s, doi, "DOI", node, HDCAT.DOI)


def add_cstr(b: Builder, s: Subject, cstr: str, node: Subject | None = None) -> None:
    b.identifier(s, cstr, "CSTR", node, HDCAT.CSTR)


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "x"


def count_datasets(triples: Iterable[ox.Triple]) -> int:
    return sum(1 for t in triples if t.predicate == RDF.type and t.object == DCAT.Dataset)


_FREQUENCIES = {
    "R/P1Y": "ANNUAL", "R/P2Y": "BIENNIAL", "R/P3Y": "TRIENNIAL", "R/P4Y": "QUADRENNIAL",
    "R/P5Y": "QUINQUENNIAL", "R/P10Y": "DECENNIAL", "R/P6M": "ANNUAL_2", "R/P4M": "ANNUAL_3",
    "R/P3M": "QUARTERLY", "R/P2M": "BIMONTHLY", "R/P1M": "MONTHLY", "R/P0.5M": "MONTHLY_2",
    "R/P0.33M": "MONTHLY_3", "R/P2W": "BIWEEKLY", "R/P1W": "WEEKLY", "R/P0.5W": "WEEKLY_2",
    "R/P3.5D": "WEEKLY_2", "R/P0.33W": "WEEKLY_3", "R/P1D": "DAILY", "R/PT1H": "HOURLY",
    "R/PT1S": "CONT", "IRREGULAR": "IRREG", "CONTINUOUS": "CONT", "NEVER": "NEVER",
    "ANNUAL": "ANNUAL", "MONTHLY": "MONTHLY", "WEEKLY": "WEEKLY", "DAILY": "DAILY",
    "QUARTERLY": "QUARTERLY", "每年": "ANNUAL", "每季度": "QUARTERLY", "每月": "MONTHLY",
    "每周": "WEEKLY", "每日": "DAILY", "每天": "DAILY", "不定期": "IRREG", "不更新": "NEVER",
    "实时": "CONT", "年度": "ANNUAL", "季度": "QUARTERLY", "月度": "MONTHLY",
}


def frequency(value: object) -> ox.NamedNode | None:
    """The EU frequency IRI for an ISO 8601 repeating interval (`R/P1Y`) or a name."""
    if not value:
        return None
    text = str(value).strip()
    if text.startswith(EU + "frequency/"):
        return ox.NamedNode(text)
    code = _FREQUENCIES.get(text.upper()) or _FREQUENCIES.get(text)
    return ox.NamedNode(EU + "frequency/" + code) if code else None


def base_iri(url: str) -> str:
    """A base IRI for parsing: the URL, or the file: URI of a local path."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url):
        return url
    from pathlib import Path

    return Path(url).resolve().as_uri()
