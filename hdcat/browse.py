"""Read models of the resource pages: datasets, agents, standards, concepts, any resource.

Each view is built from one record's triples (or one resource's description) plus a few
bounded lookups, with every IRI turned into a labelled link in the chosen language. Nothing
here touches the web framework: links are made by a `Linker` (IRI -> local path or None).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from hdcat import queries

if TYPE_CHECKING:
    from hdcat.catalog import Catalog
    from hdcat.labels import Labels

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
ADMS = "http://www.w3.org/ns/adms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
DCATAP = "http://data.europa.eu/r5r/"
HEALTH = "http://healthdataportal.eu/ns/health#"
SPDX = "http://spdx.org/rdf/terms#"
CSVW = "http://www.w3.org/ns/csvw#"
CV = "http://data.europa.eu/m8g/"
OWL = "http://www.w3.org/2002/07/owl#"
HDCAT = "https://w3id.org/hdcat/ns#"
STANDARD_NS = "https://w3id.org/hdcat/standard/"
VOCAB_NS = "https://w3id.org/hdcat/vocab/"
SCHEMA_DATASET = "https://schema.org/Dataset"

LIST_LIMIT = 200
"""Lists of datasets on agent, standard and concept pages show at most this many."""

_SAFE_SCHEMES = ("http", "https", "mailto", "ftp")


# --------------------------------------------------------------------------- small pieces


@dataclass(frozen=True)
class LangText:
    """A text in one language ('' when untagged)."""

    text: str
    lang: str = ""


@dataclass(frozen=True)
class Link:
    """A labelled reference: `href` is a local page, a safe outside URL, or None."""

    iri: str
    label: str
    href: str | None = None


@dataclass(frozen=True)
class Identifier:
    scheme: str
    """'CSTR', 'DOI' or 'other'."""
    value: str
    url: str | None = None


@dataclass(frozen=True)
class Agent:
    iri: str
    label: str
    href: str | None
    kind: str = "org"
    """'org' or 'person'."""
    names: dict[str, str] = field(default_factory=dict)
    family: str | None = None
    given: str | None = None


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Period:
    start: str | None
    end: str | None


@dataclass(frozen=True)
class Distribution:
    iri: str
    anchor: str
    title: str
    description: str | None
    format: Link | None
    media_type: str | None
    byte_size: int | None
    size: str | None
    access_urls: list[str]
    download_urls: list[str]
    download_hidden: bool
    licence: Link | None
    conforms_to: list[Link]
    checksum: str | None
    issued: str | None


@dataclass(frozen=True)
class Assessment:
    k: int | None
    risk: str | None
    assessed_against: list[Link]


@dataclass(frozen=True)
class Activity:
    iri: str
    label: str
    type: Link | None
    used: list[Link]
    informed_by: list[str]
    ended: str | None
    associated: list[Link]
    conforms_to: list[Link]
    methods: list[Link]
    assessment: Assessment | None


@dataclass(frozen=True)
class Funding:
    title: str
    grant: str | None
    funder: Link | None


@dataclass(frozen=True)
class Variable:
    name: str
    title: str | None
    datatype: str | None
    description: str | None


@dataclass(frozen=True)
class VersionEntry:
    link: Link
    version: str | None
    current: bool = False


@dataclass(frozen=True)
class Related:
    relation: str
    """'source', 'derived', 'related', 'replaces', 'replaced_by', 'part_of', 'has_part'."""
    link: Link


@dataclass
class DatasetView:
    """Every field of a dataset record in readable form (chosen language first)."""

    iri: str
    record_iri: str
    lang: str
    kind: str
    """'Dataset' or 'DatasetSeries'."""
    titles: list[LangText]
    descriptions: list[LangText]
    keywords: list[str]
    keywords_other: list[str]
    identifiers: list[Identifier]
    cstr: Identifier | None
    doi: Identifier | None
    publisher: Agent | None
    creators: list[Agent]
    contacts: list[Contact]
    hdab: list[Link]
    issued: str | None
    modified: str | None
    temporal: list[Period]
    spatial: list[Link]
    languages: list[Link]
    frequency: Link | None
    themes: list[Link]
    types: list[Link]
    domains: list[Link]
    categories: list[Link]
    health_categories: list[Link]
    sensitivity: list[Link]
    sharing_mode: list[Link]
    access_rights: list[Link]
    licences: list[Link]
    rights: list[str]
    rights_holders: list[Link]
    usage_note: str | None
    embargo_end: str | None
    embargo_active: bool
    access_procedure: str | None
    provenance: list[str]
    legislation: list[Link]
    records: int | None
    individuals: int | None
    min_age: int | None
    max_age: int | None
    structured: bool | None
    variables: list[Variable]
    deidentification: list[Activity]
    activities: list[Activity]
    standards: list[Link]
    distributions: list[Distribution]
    funding: list[Funding]
    papers: list[Link]
    version: str | None
    previous_versions: list[Link]
    later_versions: list[Link]
    series: list[Link]
    versions: list[VersionEntry]
    """For a dataset in a series: the series' members; for a series: its members."""
    related: list[Related]
    record_issued: str | None
    record_modified: str | None
    record_sources: list[Link]
    record_conforms_to: list[Link]

    @property
    def title(self) -> str:
        return self.titles[0].text if self.titles else self.iri

    @property
    def description(self) -> str | None:
        return self.descriptions[0].text if self.descriptions else None

    @property
    def year(self) -> str | None:
        for value in (self.issued, self.record_issued, self.modified):
            if value and value[:4].isdigit():
                return value[:4]
        return None

    @property
    def cite_as(self) -> str:
        """The persistent URL to cite: DOI resolver, else CSTR resolver, else the IRI."""
        for ident in (self.doi, self.cstr):
            if ident is not None and ident.url:
                return ident.url
        return self.iri


@dataclass
class DatasetRef:
    link: Link
    role: str = ""


@dataclass
class PublisherView:
    iri: str
    lang: str
    names: list[LangText]
    kind: str
    types: list[Link]
    homepages: list[str]
    emails: list[str]
    datasets: list[DatasetRef]
    more: bool

    @property
    def name(self) -> str:
        return self.names[0].text if self.names else self.iri


@dataclass
class StandardView:
    iri: str
    lang: str
    notation: str | None
    titles: list[LangText]
    descriptions: list[LangText]
    publishers: list[Link]
    family: Link | None
    issued: str | None
    version: str | None
    homepages: list[str]
    replaces: list[Link]
    replaced_by: list[Link]
    sources: list[str]
    datasets: list[Link]
    more: bool

    @property
    def title(self) -> str:
        return self.titles[0].text if self.titles else self.notation or self.iri


@dataclass
class StandardSummary:
    link: Link
    notation: str | None
    title: str


@dataclass
class StandardFamily:
    family: Link | None
    standards: list[StandardSummary]


@dataclass
class ConceptView:
    iri: str
    lang: str
    is_scheme: bool
    labels: list[LangText]
    notation: str | None
    definitions: list[LangText]
    schemes: list[Link]
    broader: list[Link]
    narrower: list[Link]
    members: list[Link]
    matches: list[Related]
    datasets: list[DatasetRef]
    more: bool

    @property
    def label(self) -> str:
        return self.labels[0].text if self.labels else self.iri


@dataclass
class Value:
    text: str
    link: Link | None = None
    lang: str = ""


@dataclass
class ResourceView:
    """Any described IRI as a table of properties."""

    iri: str
    label: str
    types: list[Link]
    properties: list[tuple[Link, list[Value]]]


# --------------------------------------------------------------------------- links


def safe_url(value: str | None) -> str | None:
    """`value` if it is an http(s), mailto or ftp URL, else None (no javascript: links)."""
    if not value:
        return None
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return None
    return value if scheme in _SAFE_SCHEMES else None


def local_path(iri: str, base: str) -> str | None:
    """The path this site serves `iri` at, if it is one of its own IRI patterns."""
    base = base.rstrip("/")
    if iri.startswith(base + "/"):
        rest = iri[len(base) :]
        head = rest.split("#", 1)[0]
        if head == "/catalog" or re.match(r"^/(dataset|record|agent)/[^/?#]+$", head):
            return rest
        return None
    if iri.startswith(STANDARD_NS):
        slug = iri[len(STANDARD_NS) :]
        if slug and re.match(r"^[^/?#]+$", slug):
            return "/standard/" + quote(slug, safe="")
    if iri.startswith(VOCAB_NS):
        rest = iri[len(VOCAB_NS) :]
        if re.match(r"^[^/?#]+(/[^/?#]+)?$", rest):
            return "/vocab/" + "/".join(quote(p, safe="") for p in rest.split("/"))
    return None


class Linker:
    """IRI -> href: a local page for the site's own IRIs, `/resource?iri=` for other things
    the graph describes, else the IRI itself when it is a safe URL."""

    def __init__(self, base: str, labels: Labels | None = None, prefix: str = "") -> None:
        self.base = base.rstrip("/")
        self.labels = labels
        self.prefix = prefix.rstrip("/")

    def local(self, iri: str) -> str | None:
        """A page of this site for `iri`, or None."""
        path = local_path(iri, self.base)
        if path is None and self.labels is not None and self.labels.all(iri):
            path = "/resource?iri=" + quote(iri, safe="")
        return self.prefix + path if path is not None else None

    def __call__(self, iri: str) -> str | None:
        return self.local(iri) or safe_url(iri)


# --------------------------------------------------------------------------- helpers


def _lang_key(tag: str | None) -> str:
    if not tag:
        return ""
    tag = tag.lower()
    return "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else tag


def lang_texts(literals: Iterable[object], lang: str) -> list[LangText]:
    """The literals as texts, those in `lang` first, then the other language, then untagged."""
    texts = [
        LangText(t.value, _lang_key(t.language)) for t in literals if isinstance(t, ox.Literal)
    ]
    other = "en" if lang == "zh" else "zh"
    order = {lang: 0, other: 1, "": 2}
    return sorted(dict.fromkeys(texts), key=lambda x: order.get(x.lang, 3))


def pick(literals: Iterable[object], lang: str) -> str | None:
    texts = lang_texts(literals, lang)
    return texts[0].text if texts else None


def human_size(n: int | None) -> str | None:
    """Bytes in IEC units: 52428800 -> '50.0 MiB'."""
    if n is None:
        return None
    if n < 1024:
        return f"{n} B"
    size = float(n)
    for unit in ("KiB", "MiB", "GiB", "TiB", "PiB"):
        size /= 1024
        if size < 1024 or unit == "PiB":
            return f"{size:.1f} {unit}"
    return f"{n} B"  # pragma: no cover


def cstr_id(value: str) -> str:
    """A CSTR without its 'CSTR:' prefix (and without a doubled one)."""
    text = value.strip()
    while text[:5].upper() == "CSTR:":
        text = text[5:].strip()
    return text


def doi_id(value: str) -> str:
    """A bare DOI from 'doi:10...', 'https://doi.org/10...' or '10...'."""
    text = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                   "http://dx.doi.org/", "doi:", "DOI:"):
        if text.lower().startswith(prefix.lower()):
            text = text[len(prefix) :].strip()
    return text


def cstr_url(value: str) -> str:
    return "https://cstr.cn/" + quote(cstr_id(value), safe=".-_~:")


def doi_url(value: str) -> str:
    return "https://doi.org/" + quote(doi_id(value), safe="/.-_~:;()")


def _int(term: object) -> int | None:
    if isinstance(term, ox.Literal):
        try:
            return int(term.value)
        except ValueError:
            return None
    return None


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


class _Graph:
    """Subject -> predicate -> objects, over a list of triples."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.index: dict[object, dict[str, list[object]]] = {}
        for t in triples:
            self.index.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(
                t.object
            )

    def objects(self, s: object, p: str) -> list[object]:
        return list(dict.fromkeys(self.index.get(s, {}).get(p, [])))

    def iris(self, s: object, p: str) -> list[str]:
        return sorted(o.value for o in self.objects(s, p) if isinstance(o, ox.NamedNode))

    def first(self, s: object, p: str) -> object | None:
        found = self.objects(s, p)
        return found[0] if found else None

    def text(self, s: object, p: str) -> str | None:
        o = self.first(s, p)
        return o.value if isinstance(o, ox.Literal | ox.NamedNode) else None

    def types(self, s: object) -> set[str]:
        return set(self.iris(s, RDF + "type"))


class _Reader:
    """Shared context of one view: labels in a language, links."""

    def __init__(self, labels: Labels, lang: str, link: Callable[[str], str | None]) -> None:
        self.labels = labels
        self.lang = lang
        self.link_for = link

    def link(self, iri: str) -> Link:
        return Link(iri, self.labels.label(iri, self.lang), self.link_for(iri))

    def links(self, iris: Iterable[str]) -> list[Link]:
        return [self.link(i) for i in dict.fromkeys(iris)]

    def external(self, iri: str) -> Link:
        """A link that goes to the IRI itself (licences, papers) when it is a safe URL."""
        return Link(iri, self.labels.label(iri, self.lang), safe_url(iri) or self.link_for(iri))


def default_linker(catalog: Catalog, labels: Labels) -> Linker:
    return Linker(catalog.settings.base_iri, labels)


def resolve_record(catalog: Catalog, iris: Iterable[str]) -> tuple[str, str] | None:
    """(record IRI, dataset IRI) of the first of `iris` that names a dataset or a catalog
    record. Two index lookups (by dataset, by record), whatever the size of the catalog."""
    nodes = []
    for iri in dict.fromkeys(iris):
        try:
            nodes.append(ox.NamedNode(iri))
        except ValueError:
            continue
    if not nodes:
        return None
    for node in nodes:
        found = catalog.find_record(node.value)
        if found is not None and isinstance(found[1], ox.NamedNode):
            return found[0], found[1].value
    return None


def _agents_info(catalog: Catalog, iris: list[str]) -> dict[str, _Graph]:
    if not iris:
        return {}
    rows = catalog.store.query(
        queries.with_values("agents_info", agent=[ox.NamedNode(i) for i in iris])
    )
    triples = [ox.Triple(row["agent"], row["p"], row["o"]) for row in rows]
    g = _Graph(triples)
    return {i: g for i in iris}


def _agent(reader: _Reader, info: _Graph | None, iri: str) -> Agent:
    node = ox.NamedNode(iri)
    types = info.types(node) if info is not None else set()
    kind = "person" if FOAF + "Person" in types else "org"
    names = {}
    if info is not None:
        for t in lang_texts(info.objects(node, FOAF + "name"), reader.lang):
            names.setdefault(t.lang, t.text)
    family = info.text(node, FOAF + "familyName") if info is not None else None
    given = info.text(node, FOAF + "givenName") if info is not None else None
    return Agent(iri, reader.labels.label(iri, reader.lang), reader.link_for(iri), kind, names,
                 family, given)


def _activity(g: _Graph, reader: _Reader, node: object) -> Activity:
    assessment = None
    for a in g.objects(node, HDCAT + "deidentificationAssessment"):
        assessment = Assessment(
            _int(g.first(a, HDCAT + "kValue")),
            g.text(a, HDCAT + "reidentificationRisk"),
            reader.links(g.iris(a, HDCAT + "assessedAgainst")),
        )
    types = g.iris(node, DCT + "type")
    label = pick(g.objects(node, RDFS + "label"), reader.lang)
    if label is None:
        label = reader.labels.label(types[0], reader.lang) if types else str(node)
    informed = [
        pick(g.objects(i, RDFS + "label"), reader.lang) or getattr(i, "value", str(i))
        for i in g.objects(node, PROV + "wasInformedBy")
    ]
    return Activity(
        iri=getattr(node, "value", str(node)),
        label=label,
        type=reader.link(types[0]) if types else None,
        used=reader.links(g.iris(node, PROV + "used")),
        informed_by=informed,
        ended=g.text(node, PROV + "endedAtTime"),
        associated=reader.links(g.iris(node, PROV + "wasAssociatedWith")),
        conforms_to=reader.links(g.iris(node, DCT + "conformsTo")),
        methods=reader.links(g.iris(node, HDCAT + "deidentificationMethod")),
        assessment=assessment,
    )


def _identifiers(g: _Graph, ds: object) -> tuple[list[Identifier], Identifier | None,
                                                 Identifier | None]:
    out: list[Identifier] = []
    for node in g.objects(ds, ADMS + "identifier"):
        notation = g.first(node, SKOS + "notation")
        if not isinstance(notation, ox.Literal):
            continue
        agency = (g.text(node, ADMS + "schemaAgency") or "").upper()
        dtype = notation.datatype.value if notation.datatype else ""
        value = notation.value
        if dtype == HDCAT + "CSTR" or agency == "CSTR" or value.upper().startswith("CSTR:"):
            out.append(Identifier("CSTR", "CSTR:" + cstr_id(value), cstr_url(value)))
        elif dtype == HDCAT + "DOI" or agency == "DOI" or doi_id(value).startswith("10."):
            out.append(Identifier("DOI", doi_id(value), doi_url(value)))
        else:
            out.append(Identifier("other", value, safe_url(value)))
    for lit in g.objects(ds, DCT + "identifier"):
        if not isinstance(lit, ox.Literal):
            continue
        value = lit.value
        if value.upper().startswith("CSTR:"):
            ident = Identifier("CSTR", "CSTR:" + cstr_id(value), cstr_url(value))
        elif doi_id(value).startswith("10.") and value.lower().startswith(("doi:", "10.", "http")):
            ident = Identifier("DOI", doi_id(value), doi_url(value))
        else:
            ident = Identifier("other", value, safe_url(value))
        if all(i.value.lower() != ident.value.lower() for i in out):
            out.append(ident)
    cstr = next((i for i in out if i.scheme == "CSTR"), None)
    doi = next((i for i in out if i.scheme == "DOI"), None)
    return out, cstr, doi


def _distribution(g: _Graph, reader: _Reader, node: object, embargoed: bool) -> Distribution:
    iri = getattr(node, "value", str(node))
    media = g.iris(node, DCAT + "mediaType")
    media_type = None
    if media:
        media_type = media[0].split("/media-types/", 1)[-1] if "/media-types/" in media[0] \
            else reader.labels.label(media[0], reader.lang)
    checksum = None
    for c in g.objects(node, SPDX + "checksum"):
        algo = g.iris(c, SPDX + "algorithm")
        value = g.text(c, SPDX + "checksumValue")
        if value:
            name = algo[0].rsplit("_", 1)[-1].upper() if algo else ""
            checksum = f"{name} {value}".strip()
    fmt = g.iris(node, DCT + "format")
    lic = g.iris(node, DCT + "license")
    size = _int(g.first(node, DCAT + "byteSize"))
    downloads = [u for u in (safe_url(i) for i in g.iris(node, DCAT + "downloadURL")) if u]
    return Distribution(
        iri=iri,
        anchor=iri.rsplit("#", 1)[-1] if "#" in iri else "",
        title=pick(g.objects(node, DCT + "title"), reader.lang)
        or (reader.labels.label(fmt[0], reader.lang) if fmt else iri),
        description=pick(g.objects(node, DCT + "description"), reader.lang),
        format=reader.link(fmt[0]) if fmt else None,
        media_type=media_type,
        byte_size=size,
        size=human_size(size),
        access_urls=[u for u in (safe_url(i) for i in g.iris(node, DCAT + "accessURL")) if u],
        download_urls=[] if embargoed else downloads,
        download_hidden=embargoed and bool(downloads),
        licence=reader.external(lic[0]) if lic else None,
        conforms_to=reader.links(g.iris(node, DCT + "conformsTo")),
        checksum=checksum,
        issued=g.text(node, DCT + "issued"),
    )


def _variables(g: _Graph, reader: _Reader, ds: object) -> list[Variable]:
    out = []
    for group in g.objects(ds, HEALTH + "hasVariables"):
        tables = g.objects(group, CSVW + "table") or [group]
        for table in tables:
            for col in g.objects(table, CSVW + "column"):
                out.append(Variable(
                    name=g.text(col, CSVW + "name") or getattr(col, "value", ""),
                    title=pick(g.objects(col, CSVW + "title"), reader.lang),
                    datatype=g.text(col, CSVW + "datatype"),
                    description=pick(g.objects(col, DCT + "description"), reader.lang),
                ))
    return sorted(out, key=lambda v: v.name)


# --------------------------------------------------------------------------- dataset


def dataset_view(
    catalog: Catalog,
    labels: Labels,
    iri: str,
    lang: str,
    link: Callable[[str], str | None] | None = None,
    today: date | None = None,
) -> DatasetView | None:
    """The dataset (or series) named by `iri` (a dataset or catalog record IRI), or None."""
    found = resolve_record(catalog, [iri])
    if found is None:
        return None
    record_iri, ds_iri = found
    reader = _Reader(labels, lang, link or default_linker(catalog, labels))
    g = _Graph(catalog.record_triples(record_iri))
    ds = ox.NamedNode(ds_iri)
    rec = ox.NamedNode(record_iri)
    today = today or date.today()
    types = g.types(ds)
    kind = "DatasetSeries" if DCAT + "DatasetSeries" in types else "Dataset"

    kw = lang_texts(g.objects(ds, DCAT + "keyword"), lang)
    identifiers, cstr, doi = _identifiers(g, ds)

    publishers = g.iris(ds, DCT + "publisher")
    creators = g.iris(ds, DCT + "creator")
    info = _agents_info(catalog, list(dict.fromkeys(publishers + creators)))
    contacts = []
    for c in g.objects(ds, DCAT + "contactPoint"):
        emails = [e.removeprefix("mailto:") for e in
                  (o.value for o in g.objects(c, VCARD + "hasEmail")) if e]
        contacts.append(Contact(
            name=pick(g.objects(c, VCARD + "fn"), lang)
            or pick(g.objects(c, VCARD + "organization-name"), lang) or "",
            email=emails[0] if emails else None,
            url=safe_url(g.text(c, VCARD + "hasURL")),
        ))

    temporal = [
        Period(
            g.text(p, DCAT + "startDate") or g.text(p, "http://schema.org/startDate"),
            g.text(p, DCAT + "endDate") or g.text(p, "http://schema.org/endDate"),
        )
        for p in g.objects(ds, DCT + "temporal")
    ]

    embargo_end = g.text(ds, HDCAT + "embargoEnd")
    end = _date(embargo_end)
    embargo_active = end is not None and end > today

    acts = [_activity(g, reader, a) for a in g.objects(ds, PROV + "wasGeneratedBy")]
    acts.sort(key=lambda a: (a.ended or "", a.label))
    deid = [a for a in acts if a.methods or a.assessment]

    rights = [
        t for r in g.objects(ds, DCT + "rights")
        for t in [pick(g.objects(r, RDFS + "label"), lang)] if t
    ]
    provenance = [
        t for r in g.objects(ds, DCT + "provenance")
        for t in [pick(g.objects(r, RDFS + "label"), lang)] if t
    ]

    funding = []
    for f in g.objects(ds, HDCAT + "fundingProject"):
        funders = g.iris(f, HDCAT + "funder")
        funding.append(Funding(
            title=pick(g.objects(f, DCT + "title"), lang) or "",
            grant=g.text(f, HDCAT + "grantNumber"),
            funder=reader.link(funders[0]) if funders else None,
        ))

    papers = []
    for p in g.iris(ds, DCT + "isReferencedBy"):
        label = "DOI " + doi_id(p) if "doi.org/" in p else labels.label(p, lang)
        if not labels.all(p) and "doi.org/" not in p:
            label = p
        papers.append(Link(p, label, safe_url(p) or reader.link_for(p)))

    # versions and neighbours: one bounded lookup around this dataset
    neighbours = catalog.store.query(queries.with_values("dataset_neighbours", ds=[ds]))
    by_rel: dict[str, dict[str, str | None]] = {}
    for row in neighbours:
        other = row["other"].value if isinstance(row["other"], ox.NamedNode) else None
        if other is None or other == ds_iri:
            continue
        version = row["version"].value if "version" in row else None
        by_rel.setdefault(row["rel"].value, {}).setdefault(other, version)

    series = g.iris(ds, DCAT + "inSeries")
    version_map: dict[str, str | None] = {}
    if kind == "DatasetSeries":
        for member in g.iris(ds, DCAT + "hasVersion"):
            version_map.setdefault(member, None)
        version_map.update(by_rel.get("member", {}))
    else:
        version_map.update(by_rel.get("sibling", {}))
        if version_map:
            version_map.setdefault(ds_iri, g.text(ds, DCAT + "version"))
    current = set(g.iris(ds, DCAT + "hasCurrentVersion"))
    versions = [
        VersionEntry(reader.link(m), v, m in current or m == ds_iri)
        for m, v in sorted(version_map.items(), key=lambda kv: (_version_key(kv[1]), kv[0]))
    ]

    related: list[Related] = []
    for rel, prop in (("source", PROV + "wasDerivedFrom"), ("related", DCT + "relation"),
                      ("replaces", DCT + "replaces"), ("replaced_by", DCT + "isReplacedBy"),
                      ("part_of", DCT + "isPartOf"), ("has_part", DCT + "hasPart"),
                      ("source", DCT + "source")):
        related.extend(Related(rel, reader.link(i)) for i in g.iris(ds, prop))
    for rel in ("derived", "related"):
        related.extend(Related(rel, reader.link(i)) for i in sorted(by_rel.get(rel, {})))
    related = list(dict.fromkeys(related))

    conforms = g.iris(ds, DCT + "conformsTo")
    standards = _with_notations(catalog, reader, conforms)
    creator_list = sorted((_agent(reader, info.get(c), c) for c in creators),
                          key=lambda a: (a.kind != "person", a.iri))
    return DatasetView(
        iri=ds_iri,
        record_iri=record_iri,
        lang=lang,
        kind=kind,
        titles=lang_texts(g.objects(ds, DCT + "title"), lang),
        descriptions=lang_texts(g.objects(ds, DCT + "description"), lang),
        keywords=[k.text for k in kw if k.lang in (lang, "")],
        keywords_other=[k.text for k in kw if k.lang not in (lang, "")],
        identifiers=identifiers,
        cstr=cstr,
        doi=doi,
        publisher=_agent(reader, info.get(publishers[0]), publishers[0]) if publishers else None,
        creators=creator_list,
        contacts=contacts,
        hdab=reader.links(g.iris(ds, HEALTH + "hdab")),
        issued=g.text(ds, DCT + "issued"),
        modified=g.text(ds, DCT + "modified"),
        temporal=temporal,
        spatial=reader.links(g.iris(ds, DCT + "spatial")),
        languages=reader.links(g.iris(ds, DCT + "language")),
        frequency=(reader.link(g.iris(ds, DCT + "accrualPeriodicity")[0])
                   if g.iris(ds, DCT + "accrualPeriodicity") else None),
        themes=reader.links(g.iris(ds, DCAT + "theme")),
        types=reader.links(g.iris(ds, DCT + "type")),
        domains=reader.links(g.iris(ds, HDCAT + "domain")),
        categories=reader.links(g.iris(ds, HDCAT + "dataCategory")),
        health_categories=reader.links(g.iris(ds, HEALTH + "healthCategory")),
        sensitivity=reader.links(g.iris(ds, HDCAT + "sensitivityLevel")),
        sharing_mode=reader.links(g.iris(ds, HDCAT + "sharingMode")),
        access_rights=reader.links(g.iris(ds, DCT + "accessRights")),
        licences=[reader.external(i) for i in g.iris(ds, DCT + "license")],
        rights=rights,
        rights_holders=reader.links(g.iris(ds, DCT + "rightsHolder")),
        usage_note=pick(g.objects(ds, HDCAT + "usageNote"), lang),
        embargo_end=embargo_end,
        embargo_active=embargo_active,
        access_procedure=pick(g.objects(ds, HDCAT + "accessProcedure"), lang),
        provenance=provenance,
        legislation=reader.links(g.iris(ds, DCATAP + "applicableLegislation")),
        records=_int(g.first(ds, HEALTH + "numberOfRecords")),
        individuals=_int(g.first(ds, HEALTH + "numberOfUniqueIndividuals")),
        min_age=_int(g.first(ds, HEALTH + "minTypicalAge")),
        max_age=_int(g.first(ds, HEALTH + "maxTypicalAge")),
        structured=(g.text(ds, HEALTH + "hasStructuredData") == "true"
                    if g.first(ds, HEALTH + "hasStructuredData") is not None else None),
        variables=_variables(g, reader, ds),
        deidentification=deid,
        activities=acts,
        standards=standards,
        distributions=sorted(
            (_distribution(g, reader, d, embargo_active)
             for d in g.objects(ds, DCAT + "distribution")),
            key=lambda d: d.iri,
        ),
        funding=funding,
        papers=papers,
        version=g.text(ds, DCAT + "version") or g.text(ds, OWL + "versionInfo"),
        previous_versions=reader.links(g.iris(ds, DCAT + "previousVersion")),
        later_versions=reader.links(sorted(by_rel.get("later", {}))),
        series=reader.links(series),
        versions=versions,
        related=related,
        record_issued=g.text(rec, DCT + "issued"),
        record_modified=g.text(rec, DCT + "modified"),
        record_sources=reader.links(
            g.iris(rec, DCT + "source") + g.iris(rec, PROV + "wasDerivedFrom")
        ),
        record_conforms_to=reader.links(g.iris(rec, DCT + "conformsTo")),
    )


def _with_notations(catalog: Catalog, reader: _Reader, iris: list[str]) -> list[Link]:
    """Links to standards labelled 'notation title' (e.g. 'WS/T 363-2023 卫生健康信息...')."""
    if not iris:
        return []
    rows = catalog.store.query(
        queries.with_values("notations", s=[ox.NamedNode(i) for i in iris]))
    notation = {row["s"].value: row["notation"].value for row in rows}
    out = []
    for link in reader.links(iris):
        n = notation.get(link.iri)
        label = link.label if not n or link.label.startswith(n) else f"{n} {link.label}"
        out.append(Link(link.iri, label, link.href))
    return out


def _version_key(version: str | None) -> tuple:
    if version is None:
        return ((1,),)
    parts = re.findall(r"\d+|\D+", version)
    return ((0,), *[(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts])


# --------------------------------------------------------------------------- other resources


def describe(catalog: Catalog, iri: str) -> list[ox.Quad]:
    """What the graph says about `iri` and its own parts (bounded)."""
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return []
    rows = catalog.store.query(queries.with_values("describe", r=[node]))
    return list(dict.fromkeys(
        ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows
    ))


def _dataset_refs(catalog: Catalog, reader: _Reader, query: str, var: str, iri: str,
                  role_var: str | None = None,
                  role_label: Callable[[str], str] | None = None) -> tuple[list[DatasetRef], bool]:
    rows = catalog.store.query(queries.with_values(query, **{var: [ox.NamedNode(iri)]}))
    refs: dict[str, list[str]] = {}
    for row in rows:
        ds = row["ds"]
        if not isinstance(ds, ox.NamedNode):
            continue
        roles = refs.setdefault(ds.value, [])
        if role_var and role_var in row:
            value = row[role_var].value
            value = role_label(value) if role_label is not None else value
            if value not in roles:
                roles.append(value)
    more = len(rows) > LIST_LIMIT
    items = [DatasetRef(reader.link(ds), ", ".join(sorted(r))) for ds, r in refs.items()]
    items.sort(key=lambda x: x.link.label)
    return items[:LIST_LIMIT], more


def publisher_view(catalog: Catalog, labels: Labels, iri: str, lang: str,
                   link: Callable[[str], str | None] | None = None) -> PublisherView | None:
    """An agent with the datasets it publishes or created (bounded), or None if unknown."""
    quads = describe(catalog, iri)
    if not quads:
        return None
    reader = _Reader(labels, lang, link or default_linker(catalog, labels))
    g = _Graph(q.triple for q in quads)
    node = ox.NamedNode(iri)
    types = g.types(node)
    if not types & {FOAF + "Agent", FOAF + "Organization", FOAF + "Person",
                    VCARD + "Organization", "http://www.w3.org/ns/org#Organization"}:
        return None
    emails = []
    for c in g.objects(node, CV + "contactPoint"):
        emails.extend(str(getattr(e, "value", e)).removeprefix("mailto:")
                      for e in g.objects(c, CV + "email"))
    emails.extend(o.value.removeprefix("mailto:") for o in g.objects(node, FOAF + "mbox")
                  if isinstance(o, ox.NamedNode | ox.Literal))
    datasets, more = _dataset_refs(catalog, reader, "agent_datasets", "agent", iri, "role")
    names = lang_texts(g.objects(node, FOAF + "name"), lang) or [
        LangText(labels.label(iri, lang), lang)
    ]
    return PublisherView(
        iri=iri,
        lang=lang,
        names=names,
        kind="person" if FOAF + "Person" in types else "org",
        types=reader.links(g.iris(node, DCT + "type")),
        homepages=[u for u in (safe_url(h) for h in g.iris(node, FOAF + "homepage")) if u],
        emails=list(dict.fromkeys(e for e in emails if e)),
        datasets=datasets,
        more=more,
    )


def standard_view(catalog: Catalog, labels: Labels, iri: str, lang: str,
                  link: Callable[[str], str | None] | None = None) -> StandardView | None:
    """A standard with the datasets that conform to it (one bounded lookup), or None."""
    quads = describe(catalog, iri)
    node = ox.NamedNode(iri) if quads else None
    g = _Graph(q.triple for q in quads)
    if node is None or DCT + "Standard" not in g.types(node):
        return None
    reader = _Reader(labels, lang, link or default_linker(catalog, labels))
    refs, more = _dataset_refs(catalog, reader, "standard_datasets", "std", iri)
    family = g.iris(node, HDCAT + "standardFamily")
    return StandardView(
        iri=iri,
        lang=lang,
        notation=g.text(node, SKOS + "notation"),
        titles=lang_texts(g.objects(node, DCT + "title"), lang)
        or lang_texts(g.objects(node, RDFS + "label"), lang),
        descriptions=lang_texts(g.objects(node, DCT + "description"), lang),
        publishers=reader.links(g.iris(node, DCT + "publisher")),
        family=reader.link(family[0]) if family else None,
        issued=g.text(node, DCT + "issued"),
        version=g.text(node, OWL + "versionInfo"),
        homepages=[u for u in (safe_url(h) for h in
                               g.iris(node, FOAF + "homepage") + g.iris(node, FOAF + "page")) if u],
        replaces=reader.links(g.iris(node, DCT + "replaces")),
        replaced_by=reader.links(g.iris(node, DCT + "isReplacedBy")),
        sources=[o.value for o in g.objects(node, DCT + "source")
                 if isinstance(o, ox.Literal | ox.NamedNode)],
        datasets=[r.link for r in refs],
        more=more,
    )


def standards_by_family(catalog: Catalog, labels: Labels, lang: str,
                        link: Callable[[str], str | None] | None = None) -> list[StandardFamily]:
    """Every standard, grouped by family (families in scheme order, then 'other')."""
    reader = _Reader(labels, lang, link or default_linker(catalog, labels))
    rows = catalog.store.query(queries.get("standards_list"))
    groups: dict[str | None, dict[str, StandardSummary]] = {}
    for row in rows:
        std = row["std"]
        if not isinstance(std, ox.NamedNode):
            continue
        fam = row["family"].value if "family" in row else None
        notation = row["notation"].value if "notation" in row else None
        title = labels.label(std.value, lang)
        groups.setdefault(fam, {}).setdefault(
            std.value, StandardSummary(reader.link(std.value), notation, title)
        )
    order = ["basic", "data", "management", "technical", "service", "professional"]

    def fam_key(fam: str | None) -> tuple:
        if fam is None:
            return (2, "")
        local = fam.rstrip("/").rsplit("/", 1)[-1]
        return (0, order.index(local), "") if local in order else (1, 0, fam)

    return [
        StandardFamily(
            reader.link(fam) if fam else None,
            sorted(items.values(), key=lambda s: (s.notation or s.title).lower()),
        )
        for fam, items in sorted(groups.items(), key=lambda kv: fam_key(kv[0]))
    ]


def concept_view(catalog: Catalog, labels: Labels, iri: str, lang: str,
                 link: Callable[[str], str | None] | None = None) -> ConceptView | None:
    """A SKOS concept (or scheme): labels, scheme, broader/narrower, datasets using it
    (bounded), or None."""
    quads = describe(catalog, iri)
    if not quads:
        return None
    g = _Graph(q.triple for q in quads)
    node = ox.NamedNode(iri)
    types = g.types(node)
    is_scheme = SKOS + "ConceptScheme" in types
    if not is_scheme and SKOS + "Concept" not in types:
        return None
    reader = _Reader(labels, lang, link or default_linker(catalog, labels))
    rows = catalog.store.query(queries.with_values("concept_relations", c=[node]))
    narrower: dict[str, str] = {}
    members: dict[str, str] = {}
    for row in rows:
        other = row["other"]
        if not isinstance(other, ox.NamedNode):
            continue
        target = narrower if row["rel"].value == "narrower" else members
        target.setdefault(other.value, row["notation"].value if "notation" in row else "")
    if is_scheme:
        datasets, more = [], False
    else:
        datasets, more = _dataset_refs(catalog, reader, "concept_datasets", "concept", iri,
                                       "p", lambda p: labels.label(p, lang))
    matches = [
        Related(rel, reader.link(i))
        for rel, prop in (("exact", SKOS + "exactMatch"), ("close", SKOS + "closeMatch"),
                          ("broad", SKOS + "broadMatch"), ("narrow", SKOS + "narrowMatch"),
                          ("related", SKOS + "related"))
        for i in g.iris(node, prop)
    ]

    def by_notation(items: dict[str, str]) -> list[Link]:
        return [reader.link(i) for i, _n in sorted(items.items(), key=lambda kv: (kv[1], kv[0]))]

    return ConceptView(
        iri=iri,
        lang=lang,
        is_scheme=is_scheme,
        labels=lang_texts(g.objects(node, SKOS + "prefLabel"), lang)
        or lang_texts(g.objects(node, DCT + "title"), lang)
        or [LangText(labels.label(iri, lang))],
        notation=g.text(node, SKOS + "notation"),
        definitions=lang_texts(g.objects(node, SKOS + "definition"), lang)
        or lang_texts(g.objects(node, DCT + "description"), lang),
        schemes=reader.links(g.iris(node, SKOS + "inScheme")),
        broader=reader.links(g.iris(node, SKOS + "broader")),
        narrower=by_notation(narrower),
        members=by_notation(members) if is_scheme else [],
        matches=matches,
        datasets=datasets,
        more=more,
    )


def resource_kind(catalog: Catalog, iri: str) -> str | None:
    """'dataset', 'record', 'agent', 'standard', 'concept', 'catalog', 'resource' (described
    but of no special kind) or None (unknown)."""
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return None
    rows = catalog.store.query(queries.with_values("resource_types", s=[node]))
    types = {row["o"].value for row in rows if isinstance(row["o"], ox.NamedNode)}
    if types & {DCAT + "Dataset", DCAT + "DatasetSeries", DCAT + "CatalogRecord"}:
        return "dataset" if resolve_record(catalog, [iri]) else "resource"
    if DCAT + "Catalog" in types:
        return "catalog"
    if DCT + "Standard" in types:
        return "standard"
    if types & {SKOS + "Concept", SKOS + "ConceptScheme"}:
        return "concept"
    if types & {FOAF + "Agent", FOAF + "Organization", FOAF + "Person"}:
        return "agent"
    if types:
        return "resource"
    return "resource" if describe(catalog, iri) else None


def resource_view(catalog: Catalog, labels: Labels, iri: str, lang: str,
                  link: Callable[[str], str | None] | None = None,
                  triples: Iterable[ox.Triple] | None = None) -> ResourceView | None:
    """Any described IRI as a property table (for things of no special kind), or None.
    `triples` gives the description when the caller has it (the catalog's own graph)."""
    if triples is None:
        triples = [q.triple for q in describe(catalog, iri)]
    own = [t for t in triples if t.subject == ox.NamedNode(iri)]
    if not own:
        return None
    reader = _Reader(labels, lang, link or default_linker(catalog, labels))
    g = _Graph(own)
    node = ox.NamedNode(iri)
    props: list[tuple[Link, list[Value]]] = []
    for p in sorted(g.index.get(node, {})):
        if p == RDF + "type":
            continue
        values = []
        objs = g.objects(node, p)
        literals = lang_texts(objs, lang)
        values.extend(Value(t.text, None, t.lang) for t in literals)
        for o in objs:
            if isinstance(o, ox.NamedNode):
                values.append(Value(labels.label(o.value, lang), reader.link(o.value)))
            elif isinstance(o, ox.BlankNode):
                values.append(Value(str(o)))
        props.append((reader.link(p), values))
    label_literals = [o for p in (SKOS + "prefLabel", RDFS + "label", DCT + "title", FOAF + "name")
                      for o in g.objects(node, p)]
    return ResourceView(
        iri=iri,
        label=pick(label_literals, lang) or labels.label(iri, lang),
        types=reader.links(g.iris(node, RDF + "type")),
        properties=props,
    )


# --------------------------------------------------------------------------- schema.org


def schema_org(view: DatasetView, url: str, catalog_iri: str | None = None,
               citations: Iterable[str] = ()) -> dict:
    """A schema.org Dataset description of the view (for a JSON-LD script in the page)."""

    def agent(a: Agent) -> dict:
        out: dict = {"@type": "Person" if a.kind == "person" else "Organization",
                     "@id": a.iri, "name": a.names.get(view.lang) or a.label}
        if a.href and a.href.startswith(("http://", "https://")):
            out["url"] = a.href
        return out

    names = [{"@language": t.lang, "@value": t.text} if t.lang else t.text for t in view.titles]
    data: dict = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": view.iri,
        "url": url,
        "name": names if len(names) > 1 else (names[0] if names else view.iri),
    }
    if view.descriptions:
        descriptions = [{"@language": t.lang, "@value": t.text} if t.lang else t.text
                        for t in view.descriptions]
        data["description"] = descriptions if len(descriptions) > 1 else descriptions[0]
    identifiers: list = []
    if view.doi is not None:
        identifiers.append(view.doi.url)
    for ident in view.identifiers:
        if ident.scheme == "CSTR":
            identifiers.append({"@type": "PropertyValue", "propertyID": "CSTR",
                                "value": ident.value, "url": ident.url})
        elif ident.scheme == "DOI":
            identifiers.append({"@type": "PropertyValue", "propertyID": "DOI",
                                "value": ident.value, "url": ident.url})
        else:
            identifiers.append(ident.value)
    if identifiers:
        data["identifier"] = identifiers
    if view.doi is not None:
        data["sameAs"] = view.doi.url
    if view.licences:
        data["license"] = [lic.iri for lic in view.licences] if len(view.licences) > 1 \
            else view.licences[0].iri
    if view.creators:
        data["creator"] = [agent(a) for a in view.creators]
    if view.publisher is not None:
        data["publisher"] = agent(view.publisher)
    keywords = view.keywords + view.keywords_other
    if keywords:
        data["keywords"] = keywords
    for p in view.temporal:
        if p.start or p.end:
            data["temporalCoverage"] = f"{p.start or '..'}/{p.end or '..'}"
            break
    if view.spatial:
        data["spatialCoverage"] = [{"@type": "Place", "@id": s.iri, "name": s.label}
                                   for s in view.spatial]
    dists = []
    for d in view.distributions:
        item: dict = {"@type": "DataDownload", "name": d.title}
        if d.media_type:
            item["encodingFormat"] = d.media_type
        elif d.format is not None:
            item["encodingFormat"] = d.format.label
        if d.download_urls:
            item["contentUrl"] = d.download_urls[0]
        elif d.access_urls:
            item["url"] = d.access_urls[0]
        if d.byte_size is not None:
            item["contentSize"] = f"{d.byte_size} B"
        dists.append(item)
    if dists:
        data["distribution"] = dists
    modes = {m.iri.rstrip("/").rsplit("/", 1)[-1] for m in view.sharing_mode}
    access = {a.iri.rstrip("/").rsplit("/", 1)[-1] for a in view.access_rights}
    data["isAccessibleForFree"] = bool(
        ("open" in modes or "PUBLIC" in access) and not view.embargo_active
    )
    conditions = [t for t in [view.access_procedure, *view.rights] if t]
    if conditions:
        data["conditionsOfAccess"] = conditions if len(conditions) > 1 else conditions[0]
    citations = [c for c in citations if c] + [p.iri for p in view.papers]
    if citations:
        data["citation"] = citations
    if view.version:
        data["version"] = view.version
    if view.issued:
        data["dateCreated"] = view.issued
        data["datePublished"] = view.issued
    if view.modified:
        data["dateModified"] = view.modified
    if catalog_iri:
        data["includedInDataCatalog"] = {"@type": "DataCatalog", "@id": catalog_iri}
    if view.standards:
        data["conformsTo"] = [s.iri for s in view.standards]
    if view.series:
        data["isPartOf"] = [s.iri for s in view.series]
    return data


def script_json(data: object) -> str:
    """JSON for an HTML <script> element: `<`, `>` and `&` escaped as \\u003c... so no text
    in the data can close the element or start markup."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )
