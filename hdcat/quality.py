"""Metadata quality: the data.europa.eu MQA indicators and weights, plus health indicators.

Every record is scored on the five MQA dimensions (findability, accessibility,
interoperability, reusability, contextuality: 405 points, rated excellent 351-405, good
221-350, sufficient 121-220, bad 0-120) and on a sixth, health dimension (100 points, not part
of the MQA total): sensitivity and category stated, de-identification documented where the
data are about persons, lineage, standards, bilingual title and description, CSTR/DOI.

How each indicator is measured:

* dataset-level indicators score their full weight or nothing;
* distribution-level indicators score the weight times the share of distributions meeting
  them (accessURL reachable, downloadURL present and reachable, licence, known licence,
  rights, byteSize); a distribution without its own licence or rights inherits the
  dataset's. Interoperability is scored on the best distribution (as the MQA does);
* reachability is only known for URLs whose host the operator allows (DATA/quality.toml),
  checked by a background job (`LinkChecker`); an unchecked URL scores nothing;
* DCAT-AP compliance is the record's verdict at validation level "core" (DCAT-AP mandatory
  properties, shapes/core.ttl, run by hdcat.fastshacl on the record and the type and scheme
  of the concepts it uses; ranges on things the record does not describe are not judged).

The scores are published as DQV measurements in a graph of their own per record,
`{record IRI}#quality` (`dqv:hasQualityMeasurement` on the dataset), rewritten on every write
of the record by a catalog write listener (`Quality.attach`), which ignores the graphs it
writes itself. The metrics are described (zh/en) in `urn:hdcat:graph:quality-metrics`.
A private table (DATA/private.sqlite) keeps each record's score for the dashboards.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import click
import pyoxigraph as ox

from hdcat import queries
from hdcat.audit import content_hash
from hdcat.namespaces import GRAPH_VOCABULARIES
from hdcat.state import PrivateState

if TYPE_CHECKING:
    from hdcat.catalog import Catalog
    from hdcat.fastshacl import FastValidator

log = logging.getLogger(__name__)

NS = "https://w3id.org/hdcat/quality#"
GRAPH_METRICS = "urn:hdcat:graph:quality-metrics"
QUALITY_SUFFIX = "#quality"
OWN_SUFFIXES = (QUALITY_SUFFIX, "#usage")
"""Graphs written by this module and hdcat.usage: `{record IRI}#quality`, `{record}#usage`."""

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DCT = "http://purl.org/dc/terms/"
_DCAT = "http://www.w3.org/ns/dcat#"
_FOAF = "http://xmlns.com/foaf/0.1/"
_PROV = "http://www.w3.org/ns/prov#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_ADMS = "http://www.w3.org/ns/adms#"
_DQV = "http://www.w3.org/ns/dqv#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_HDCAT = "https://w3id.org/hdcat/ns#"
_VOCAB = "https://w3id.org/hdcat/vocab/"
_EU = "http://publications.europa.eu/resource/authority/"
_IANA = "http://www.iana.org/assignments/media-types/"

RDF_TYPE = ox.NamedNode(_RDF + "type")
DQV_HAS = ox.NamedNode(_DQV + "hasQualityMeasurement")
DQV_MEASUREMENT = ox.NamedNode(_DQV + "QualityMeasurement")
DQV_COMPUTED_ON = ox.NamedNode(_DQV + "computedOn")
DQV_METRIC_OF = ox.NamedNode(_DQV + "isMeasurementOf")
DQV_VALUE = ox.NamedNode(_DQV + "value")
XSD_INTEGER = ox.NamedNode(_XSD + "integer")

FILE_TYPE_SCHEME = _EU + "file-type"
ACCESS_RIGHT_SCHEME = _EU + "access-right"
LICENCE_SCHEMES = frozenset({_EU + "licence", _VOCAB + "licence"})
MEDIA_TYPE_CLASS = _DCT + "MediaType"
_MEDIA_TYPE_IRI = re.compile(
    r"^https?://www\.iana\.org/assignments/media-types/"
    r"(application|audio|font|image|message|model|multipart|text|video)/[A-Za-z0-9][\w.+-]*$"
)
# File types by what they are, after the data.europa.eu lists (edp-machine-readable-format,
# edp-non-proprietary-format), for the codes of the EU file-type NAL hdcat uses; TSV and
# N-Triples are added to the machine-readable ones (EDP lists them under other codes).
MACHINE_READABLE = frozenset(_EU + "file-type/" + c for c in (
    "CSV", "TSV", "XLS", "XLSX", "ODS", "JSON", "JSON_LD", "XML", "RDF_TURTLE", "RDF_XML",
    "N_TRIPLES", "RDF_N_TRIPLES", "RDF_N_QUADS", "RDF_TRIG", "GEOJSON", "NETCDF",
))
NON_PROPRIETARY = frozenset(_EU + "file-type/" + c for c in (
    "CSV", "TSV", "ODS", "ODT", "JSON", "JSON_LD", "XML", "PDF", "HTML", "TXT", "ZIP", "GZIP",
    "TAR", "RDF_TURTLE", "RDF_XML", "N_TRIPLES", "RDF_N_TRIPLES", "RDF_N_QUADS", "RDF_TRIG",
    "GEOJSON", "NETCDF",
))
PERSONAL_CATEGORIES = frozenset(
    _VOCAB + "data-category/" + c for c in ("PA", "HS", "MA", "MP")
)
DEIDENTIFICATION = _VOCAB + "processing/deidentification"
SHARING_CLOSED = _VOCAB + "sharing-mode/closed"
CSTR_DOI_TYPES = frozenset({_HDCAT + "CSTR", _HDCAT + "DOI"})
_CSTR = re.compile(r"^CSTR:[A-Za-z0-9]{5}\.\d{2}\.\S+$")
_DOI = re.compile(r"^(https?://(dx\.)?doi\.org/)?10\.\d{4,9}/\S+$", re.I)


# ------------------------------------------------------------------------------ indicators


@dataclass(frozen=True)
class Dimension:
    """One quality dimension (an MQA dimension, or health)."""

    key: str
    zh: str
    en: str
    mqa: bool = True

    @property
    def iri(self) -> str:
        return NS + self.key

    @property
    def metric(self) -> str:
        """The metric of the dimension's score."""
        return NS + self.key + "Score"

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Indicator:
    """One indicator: its weight, its dimension, what it checks and how to fix a miss."""

    key: str
    dimension: str
    weight: int
    zh: str
    en: str
    fix_zh: str
    fix_en: str
    per_distribution: bool = False

    @property
    def metric(self) -> str:
        return NS + self.key

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def fix(self, lang: str) -> str:
        return self.fix_zh if lang == "zh" else self.fix_en


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("findability", "可发现性", "Findability"),
    Dimension("accessibility", "可访问性", "Accessibility"),
    Dimension("interoperability", "互操作性", "Interoperability"),
    Dimension("reusability", "可重用性", "Reusability"),
    Dimension("contextuality", "情境信息", "Contextuality"),
    Dimension("health", "健康数据要素", "Health indicators", mqa=False),
)
DIMENSION = {d.key: d for d in DIMENSIONS}

_I = Indicator
INDICATORS: tuple[Indicator, ...] = (
    _I("keywordAvailability", "findability", 30, "关键词", "Keywords",
       "补充关键词(dcat:keyword),中英文各几个。",
       "Add keywords (dcat:keyword), a few in each language."),
    _I("categoryAvailability", "findability", 30, "主题", "Theme",
       "补充主题(dcat:theme),取自 EU 数据主题词表,如 HEAL。",
       "Add a theme (dcat:theme) from the EU data-theme vocabulary, e.g. HEAL."),
    _I("spatialAvailability", "findability", 20, "空间范围", "Spatial coverage",
       "补充空间范围(dct:spatial),如国家或地区。",
       "Add the spatial coverage (dct:spatial), e.g. a country or region."),
    _I("temporalAvailability", "findability", 20, "时间范围", "Time period",
       "补充时间范围(dct:temporal),给出起止日期。",
       "Add the time period (dct:temporal) with start and end dates."),
    _I("accessUrlStatusCode", "accessibility", 50, "访问地址可达", "Access URL reachable",
       "确保每个数据分发的访问地址(dcat:accessURL)能够打开。",
       "Make sure every distribution's access URL (dcat:accessURL) can be opened.", True),
    _I("downloadUrlAvailability", "accessibility", 20, "提供下载地址", "Download URL given",
       "为每个数据分发提供下载地址(dcat:downloadURL)。",
       "Give each distribution a download URL (dcat:downloadURL).", True),
    _I("downloadUrlStatusCode", "accessibility", 30, "下载地址可达", "Download URL reachable",
       "确保下载地址(dcat:downloadURL)能够打开。",
       "Make sure the download URLs (dcat:downloadURL) can be opened.", True),
    _I("formatAvailability", "interoperability", 20, "文件格式", "File format",
       "为数据分发注明文件格式(dct:format)。",
       "State the file format (dct:format) of the distributions."),
    _I("mediaTypeAvailability", "interoperability", 10, "媒体类型", "Media type",
       "为数据分发注明媒体类型(dcat:mediaType),如 text/csv。",
       "State the media type (dcat:mediaType) of the distributions, e.g. text/csv."),
    _I("formatMediaTypeVocabularyAlignment", "interoperability", 10, "格式取自词表",
       "Format or media type from a vocabulary",
       "文件格式取自 EU 文件类型词表,或媒体类型取自 IANA 媒体类型。",
       "Take the format from the EU file-type vocabulary, or the media type from IANA."),
    _I("formatMediaTypeNonProprietary", "interoperability", 20, "非专有格式",
       "Non-proprietary format",
       "再提供一种非专有格式(如 CSV、JSON、ODS)的数据分发。",
       "Also offer a distribution in a non-proprietary format (e.g. CSV, JSON, ODS)."),
    _I("formatMediaTypeMachineInterpretable", "interoperability", 20, "机器可读格式",
       "Machine-readable format",
       "再提供一种机器可读格式(如 CSV、JSON、XML、RDF)的数据分发。",
       "Also offer a distribution in a machine-readable format (e.g. CSV, JSON, XML, RDF)."),
    _I("dcatApCompliance", "interoperability", 30, "符合 DCAT-AP", "DCAT-AP compliance",
       "补全 DCAT-AP 的必备属性(标题、描述;数据分发的访问地址等),见校验报告。",
       "Fill in the DCAT-AP mandatory properties (title, description; distributions' access "
       "URL...); see the validation report."),
    _I("licenceAvailability", "reusability", 20, "许可协议", "Licence",
       "为数据分发注明许可协议(dct:license)。",
       "State the licence (dct:license) of the distributions.", True),
    _I("knownLicence", "reusability", 10, "许可协议取自词表", "Known licence",
       "许可协议取自许可协议词表(如 CC BY 4.0、CC0)。",
       "Use a licence from the licence vocabulary (e.g. CC BY 4.0, CC0).", True),
    _I("accessRightsAvailability", "reusability", 10, "访问权限", "Access rights",
       "注明访问权限(dct:accessRights)。", "State the access rights (dct:accessRights)."),
    _I("accessRightsVocabularyAlignment", "reusability", 5, "访问权限取自词表",
       "Access rights from the vocabulary",
       "访问权限取自 EU 访问权限词表(PUBLIC、RESTRICTED、NON_PUBLIC)。",
       "Take the access rights from the EU access-right vocabulary (PUBLIC, RESTRICTED, "
       "NON_PUBLIC)."),
    _I("contactPointAvailability", "reusability", 20, "联系方式", "Contact point",
       "补充联系方式(dcat:contactPoint),含机构邮箱。",
       "Add a contact point (dcat:contactPoint) with an institutional e-mail."),
    _I("publisherAvailability", "reusability", 10, "发布者", "Publisher",
       "注明发布者(dct:publisher)。", "State the publisher (dct:publisher)."),
    _I("rightsAvailability", "contextuality", 5, "权利声明", "Rights",
       "补充权利声明(dct:rights)。", "Add a rights statement (dct:rights).", True),
    _I("byteSizeAvailability", "contextuality", 5, "文件大小", "File size",
       "注明数据分发的大小(dcat:byteSize)。",
       "State the size of the distributions (dcat:byteSize).", True),
    _I("dateIssuedAvailability", "contextuality", 5, "发布日期", "Date issued",
       "注明发布日期(dct:issued)。", "State the date issued (dct:issued)."),
    _I("dateModifiedAvailability", "contextuality", 5, "更新日期", "Date modified",
       "注明更新日期(dct:modified)。", "State the date modified (dct:modified)."),
    _I("sensitivityCategoryAvailability", "health", 20, "安全级别与数据类别",
       "Sensitivity level and data category",
       "注明安全级别(hdcat:sensitivityLevel)和 GB/T 39725 数据类别(hdcat:dataCategory)。",
       "State the sensitivity level (hdcat:sensitivityLevel) and the GB/T 39725 data category "
       "(hdcat:dataCategory)."),
    _I("deidentificationDocumented", "health", 20, "去标识化记录", "De-identification documented",
       "共享涉及个人的数据须记录去标识化处理(prov:wasGeneratedBy 一个类型为去标识化的处理活动,"
       "注明方法),或来源数据集经过去标识化。",
       "Shared data about persons need a documented de-identification (prov:wasGeneratedBy an "
       "activity of type de-identification, with its methods), or a de-identified source."),
    _I("lineageAvailability", "health", 15, "数据来源与血缘", "Lineage",
       "说明数据来源(prov:wasDerivedFrom、prov:wasGeneratedBy 或 dct:provenance)。",
       "Describe where the data come from (prov:wasDerivedFrom, prov:wasGeneratedBy or "
       "dct:provenance)."),
    _I("standardsDeclared", "health", 15, "遵循标准", "Standards declared",
       "注明数据遵循的标准(dct:conformsTo),如 WS/T 363。",
       "State the standards the data follow (dct:conformsTo), e.g. WS/T 363."),
    _I("bilingualTitleDescription", "health", 15, "中英文标题与描述",
       "Bilingual title and description",
       "标题和描述都要有中文(zh)和英文(en)。",
       "Give the title and the description in Chinese (zh) and English (en)."),
    _I("persistentIdentifierAvailability", "health", 15, "CSTR 或 DOI", "CSTR or DOI",
       "登记 CSTR 或 DOI 标识符(adms:identifier)。",
       "Register a CSTR or DOI identifier (adms:identifier)."),
)
INDICATOR = {i.key: i for i in INDICATORS}
BIT = {i.key: n for n, i in enumerate(INDICATORS)}
MQA_MAX = sum(i.weight for i in INDICATORS if DIMENSION[i.dimension].mqa)
HEALTH_MAX = sum(i.weight for i in INDICATORS if i.dimension == "health")
TOTAL_METRIC = NS + "score"

RATINGS: tuple[tuple[str, int, str, str], ...] = (
    ("excellent", 351, "优秀", "Excellent"),
    ("good", 221, "良好", "Good"),
    ("sufficient", 121, "及格", "Sufficient"),
    ("bad", 0, "较差", "Bad"),
)


def rating(total: int) -> str:
    """The MQA rating of a total score (out of 405)."""
    return next(key for key, low, _zh, _en in RATINGS if total >= low)


def rating_label(key: str, lang: str) -> str:
    for k, _low, zh, en in RATINGS:
        if k == key:
            return zh if lang == "zh" else en
    return key


def dimension_max(key: str) -> int:
    return sum(i.weight for i in INDICATORS if i.dimension == key)


# ------------------------------------------------------------------------------ record facts


class _Facts:
    """A record's triples indexed by subject and predicate."""

    def __init__(self, record: str, triples: Iterable[ox.Triple]) -> None:
        self.by: dict[Any, dict[str, list[Any]]] = {}
        for t in triples:
            self.by.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
        self.record = record
        topic = self.get(ox.NamedNode(record), _FOAF + "primaryTopic")
        self.dataset = topic[0] if topic else None

    def get(self, s: Any, p: str) -> list[Any]:
        return self.by.get(s, {}).get(p, [])

    def ds(self, p: str) -> list[Any]:
        return self.get(self.dataset, p) if self.dataset is not None else []


def record_dataset(record: str, triples: Sequence[ox.Triple]) -> ox.NamedNode | None:
    """The dataset of a catalog record graph (None: the graph is no record)."""
    node = ox.NamedNode(record)
    is_record = False
    topic = None
    for t in triples:
        if t.subject == node:
            if t.predicate == RDF_TYPE and t.object.value == _DCAT + "CatalogRecord":
                is_record = True
            elif t.predicate.value == _FOAF + "primaryTopic":
                topic = t.object
    return topic if is_record and isinstance(topic, ox.NamedNode) else None


def _langs(values: Iterable[Any]) -> set[str]:
    return {
        (v.language or "").split("-")[0].lower()
        for v in values if isinstance(v, ox.Literal) and v.language
    }


def _text(values: Iterable[Any], lang: str) -> str:
    for v in values:
        if isinstance(v, ox.Literal) and (v.language or "").split("-")[0] == lang:
            return v.value
    return ""


# ------------------------------------------------------------------------------ scores


@dataclass
class Score:
    """One record's points per indicator, with what they rest on."""

    record: str
    dataset: str
    points: dict[str, int]
    detail: dict[str, list[int]] = field(default_factory=dict)
    """Per-distribution indicators: [distributions meeting it, distributions]."""
    facts: dict[str, Any] = field(default_factory=dict)
    """publisher, creators, title {zh, en}, year, citations, links [(url, kind)]."""

    def _sums(self) -> tuple[dict[str, int], int, int]:
        """(dimension scores, MQA total, missed-indicator bits), computed once (a score's
        points do not change once made)."""
        found = self.__dict__.get("_sums_")
        if found is None:
            dims = dict.fromkeys((d.key for d in DIMENSIONS), 0)
            mask = 0
            points = self.points
            for n, ind in enumerate(INDICATORS):
                got = points.get(ind.key, 0)
                dims[ind.dimension] += got
                if got < ind.weight:
                    mask |= 1 << n
            total = sum(dims[d.key] for d in DIMENSIONS if d.mqa)
            found = self.__dict__["_sums_"] = (dims, total, mask)
        return found

    def dimension(self, key: str) -> int:
        return self._sums()[0].get(key, 0)

    @property
    def dimensions(self) -> dict[str, int]:
        return dict(self._sums()[0])

    @property
    def total(self) -> int:
        """The MQA score, out of 405 (the health dimension is not part of it)."""
        return self._sums()[1]

    @property
    def health(self) -> int:
        return self._sums()[0]["health"]

    @property
    def rating(self) -> str:
        return rating(self.total)

    @property
    def missed(self) -> int:
        """A bit per indicator that lost points (bit n: INDICATORS[n])."""
        return self._sums()[2]

    def lost(self) -> list[tuple[Indicator, int]]:
        """Indicators that lost points, most points lost first (MQA before health on ties)."""
        out = [(i, i.weight - self.points.get(i.key, 0)) for i in INDICATORS]
        out = [(i, n) for i, n in out if n > 0]
        out.sort(key=lambda x: (-x[1], not DIMENSION[x[0].dimension].mqa, BIT[x[0].key]))
        return out

    def advice(self, lang: str = "en", reachability: Mapping[str, str] | None = None) -> list[str]:
        """What to fix first, in words: one sentence per indicator that lost points."""
        out = []
        for ind, n in self.lost():
            text = ind.fix(lang)
            met = self.detail.get(ind.key)
            if met is not None and met[1]:
                share = (f"{met[0]}/{met[1]} 个数据分发符合。" if lang == "zh"
                         else f"{met[0]} of {met[1]} distributions meet it.")
                text = f"{text} {share}"
            elif met is not None:
                text += " 目前没有数据分发。" if lang == "zh" else " There is no distribution yet."
            if reachability and ind.key in reachability:
                text += " " + reachability[ind.key]
            gain = f"(+{n} 分)" if lang == "zh" else f"(+{n} points)"
            out.append(f"{text} {gain}")
        return out

    def _values(self) -> list[tuple[str, str, int]]:
        values = [(TOTAL_METRIC, "score", self.total)]
        values += [(d.metric, d.key + "Score", self.dimension(d.key)) for d in DIMENSIONS]
        values += [(i.metric, i.key, self.points.get(i.key, 0)) for i in INDICATORS
                   if self.points.get(i.key, 0) < i.weight]
        return values

    def nquads(self) -> str:
        """`triples()` as N-Quads in the record's quality graph (for bulk writes); made once
        (a scoring worker makes it, and it travels with the score)."""
        found = self.__dict__.get("_nquads_")
        if found is None:
            found = self.__dict__["_nquads_"] = self._make_nquads()
        return found

    def _make_nquads(self) -> str:
        g = f"<{self.record}{QUALITY_SUFFIX}>"
        ds = f"<{self.dataset}>"
        out = []
        for metric, key, value in self._values():
            m = f"<{self.record}{QUALITY_SUFFIX}-{key}>"
            out.append(f"{ds} <{_DQV}hasQualityMeasurement> {m} {g} .\n"
                       f"{m} <{_DQV}isMeasurementOf> <{metric}> {g} .\n"
                       f'{m} <{_DQV}value> "{value}"^^<{_XSD}integer> {g} .\n')
            if key == "score":
                out.append(f"{m} <{_RDF}type> <{_DQV}QualityMeasurement> {g} .\n"
                           f"{m} <{_DQV}computedOn> {ds} {g} .\n")
        return "".join(out)

    def triples(self) -> list[ox.Triple]:
        """The scores as DQV measurements of the dataset, `{record}#quality-{name}`: the MQA
        total (typed dqv:QualityMeasurement, with dqv:computedOn), the six dimension scores,
        and each indicator that loses points with the points it scores. An indicator that
        scores its full weight has no measurement of its own (its dimension score shows it;
        the CSV export lists every indicator). Measurement type and dqv:computedOn follow
        from DQV (domain of dqv:isMeasurementOf, inverse of dqv:hasQualityMeasurement)."""
        ds = ox.NamedNode(self.dataset)
        out: list[ox.Triple] = []
        for metric, key, value in self._values():
            m = ox.NamedNode(f"{self.record}{QUALITY_SUFFIX}-{key}")
            out += [
                ox.Triple(ds, DQV_HAS, m),
                ox.Triple(m, DQV_METRIC_OF, ox.NamedNode(metric)),
                ox.Triple(m, DQV_VALUE, ox.Literal(str(value), datatype=XSD_INTEGER)),
            ]
            if key == "score":
                out += [ox.Triple(m, RDF_TYPE, DQV_MEASUREMENT),
                        ox.Triple(m, DQV_COMPUTED_ON, ds)]
        return out

    def content(self) -> str:
        """The audit content hash of `triples()` (made once, by a scoring worker when there
        is one)."""
        found = self.__dict__.get("_content_")
        if found is None:
            found = self.__dict__["_content_"] = content_hash(self.triples())
        return found

    def digest(self) -> str:
        """A hash of what the measurements say (unchanged: nothing to write)."""
        found = self.__dict__.get("_digest_")
        if found is None:
            text = f"{self.record}|{self.dataset}|" + ",".join(
                str(self.points.get(i.key, 0)) for i in INDICATORS)
            found = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
            self.__dict__["_digest_"] = found
        return found

    def to_row(self) -> dict[str, Any]:
        return {"points": self.points, "detail": self.detail}


def _share(weight: int, met: int, of: int) -> int:
    return int(weight * met / of + 0.5) if of else 0


# ------------------------------------------------------------------------------ the scorer


@cache
def compliance_shapes() -> Any:
    """The DCAT-AP mandatory-property shapes of shapes/core.ttl (with everything they refer
    to), on their targets: the only shapes that give violations at validation level "core"
    (every other shape of the profile is a warning there, which the verdict ignores)."""
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    from hdcat import resources

    g = Graph().parse(resources.shapes_dir() / "core.ttl", format="turtle")
    mandatory = {
        s for s, n in g.subject_objects(SH.minCount)
        if int(n) >= 1 and (s, SH.path, None) in g
    }
    out = Graph()
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    todo: list = []
    for shape in {s for t in targets for s in g.subjects(t, None)}:
        out.add((shape, RDF.type, SH.NodeShape))
        for t in targets:
            for o in g.objects(shape, t):
                out.add((shape, t, o))
        for prop in g.objects(shape, SH.property):
            if prop in mandatory:
                out.add((shape, SH.property, prop))
                todo.append(prop)
    done: set = set()
    while todo:
        node = todo.pop()
        if node in done:
            continue
        done.add(node)
        for _s, p, o in g.triples((node, None, None)):
            out.add((node, p, o))
            if (o, None, None) in g:
                todo.append(o)
    return out


def _validator() -> FastValidator:
    from hdcat.fastshacl import fast_validator

    return fast_validator(compliance_shapes())


@cache
def compliance_predicates() -> frozenset[str] | None:
    """The predicates the compliance shapes look at (their paths, rdf:type for targets and
    classes): the only triples the verdict depends on. None when a path is not a plain
    predicate (then every triple is given)."""
    from rdflib import URIRef
    from rdflib.namespace import RDF, RDFS, SH

    g = compliance_shapes()
    found = {str(RDF.type), str(RDFS.subClassOf)}
    for path in g.objects(None, SH.path):
        if not isinstance(path, URIRef):
            return None
        found.add(str(path))
    return frozenset(found)


class Scorer:
    """Scores records. Vocabulary facts come from the catalog (cached per concept);
    reachability from `links` (URL -> True / False / None when unchecked)."""

    SKOS_IN_SCHEME = _SKOS + "inScheme"

    def __init__(self, catalog: Catalog,
                 links: Callable[[Iterable[str]], Mapping[str, bool | None]] | None = None,
                 compliance: bool = True) -> None:
        self.catalog = catalog
        self.links = links
        self.check_compliance = compliance
        self._concepts: dict[Any, list[ox.Triple]] | None = None
        self._lock = threading.Lock()

    def forget_vocabulary(self) -> None:
        """The vocabularies were written: read them again when next needed."""
        with self._lock:
            self._concepts = None

    def _vocabulary(self) -> dict[Any, list[ox.Triple]]:
        """Concept -> its rdf:type, skos:inScheme and hdcat:aboutPersons triples (the
        vocabularies graph, read once)."""
        index = self._concepts
        if index is None:
            keep = {_RDF + "type", self.SKOS_IN_SCHEME, _HDCAT + "aboutPersons"}
            index = {}
            for t in self.catalog.store.graph(GRAPH_VOCABULARIES):
                if t.predicate.value in keep:
                    index.setdefault(t.subject, []).append(t)
            with self._lock:
                self._concepts = index
        return index

    def _concept(self, iri: Any) -> list[ox.Triple]:
        return self._vocabulary().get(iri, [])

    def _schemes(self, iri: Any) -> set[str]:
        return {t.object.value for t in self._concept(iri)
                if t.predicate.value == self.SKOS_IN_SCHEME}

    def _types(self, iri: Any) -> set[str]:
        return {t.object.value for t in self._concept(iri) if t.predicate == RDF_TYPE}

    def _about_persons(self, iri: Any) -> bool:
        if isinstance(iri, ox.NamedNode) and iri.value in PERSONAL_CATEGORIES:
            return True
        return any(t.predicate.value == _HDCAT + "aboutPersons" and t.object.value == "true"
                   for t in self._concept(iri))

    # -- compliance

    def compliance(self, records: Sequence[tuple[str, Sequence[ox.Triple]]]) -> list[bool]:
        """DCAT-AP compliance (level "core" verdict) of each record, validated together."""
        if not records:
            return []
        if not self.check_compliance:
            return [True] * len(records)
        from hdcat.fastshacl import DescribedSubjects
        from hdcat.validation import soften_external_references

        # The mandatory-property shapes look at nothing outside the record (their class and
        # node constraints are about the record's own dataset and agents), so the record's
        # triples are all the data they need.
        keep = compliance_predicates()
        data: list[Any] = []
        owner: dict[Any, int] = {}
        for n, (_iri, triples) in enumerate(records):
            for t in triples:
                owner.setdefault(t.subject, n)
                if keep is None or t.predicate.value in keep:
                    data.append(t)
        results = _validator().validate(data, focus=set(owner))
        results = soften_external_references(results, DescribedSubjects(data))
        ok = [True] * len(records)
        from hdcat.terms import to_oxigraph

        for r in results:
            if r.severity == "Violation":
                n = owner.get(to_oxigraph(r.focus))
                if n is not None:
                    ok[n] = False
        return ok

    # -- scoring

    def score_many(self, records: Sequence[tuple[str, Sequence[ox.Triple]]]) -> list[Score]:
        """Scores of these records (record IRI, record graph triples)."""
        verdicts = self.compliance(records)
        facts = [_Facts(iri, triples) for iri, triples in records]
        urls: set[str] = set()
        for f in facts:
            for dist in f.ds(_DCAT + "distribution"):
                for p in ("accessURL", "downloadURL"):
                    urls.update(o.value for o in f.get(dist, _DCAT + p)
                                if isinstance(o, ox.NamedNode))
        status = dict(self.links(urls)) if self.links is not None and urls else {}
        upstream = self._upstream_deidentified(facts)
        return [self._score(f, ok, status, upstream) for f, ok in zip(facts, verdicts,
                                                                      strict=True)]

    def score(self, record: str, triples: Sequence[ox.Triple]) -> Score:
        return self.score_many([(record, triples)])[0]

    def _needs_deid(self, f: _Facts) -> bool:
        """Data about persons that are shared (any sharing mode but closed) need a documented
        de-identification; closed data (not shared) do not."""
        if any(m.value == SHARING_CLOSED for m in f.ds(_HDCAT + "sharingMode")):
            return False
        return any(self._about_persons(c) for c in f.ds(_HDCAT + "dataCategory"))

    def _own_deid(self, f: _Facts) -> bool:
        """Generated by a de-identification activity whose methods or assessment are given."""
        for act in f.ds(_PROV + "wasGeneratedBy"):
            if any(t.value == DEIDENTIFICATION for t in f.get(act, _DCT + "type")) and (
                    f.get(act, _HDCAT + "deidentificationMethod")
                    or f.get(act, _HDCAT + "deidentificationAssessment")):
                return True
        return False

    def _upstream_deidentified(self, facts: Sequence[_Facts]) -> set[Any]:
        """Datasets (needing de-identification, not documenting it themselves, derived from
        others) one of whose ancestors in the catalog was de-identified."""
        asking = [
            f.dataset for f in facts
            if f.dataset is not None and f.ds(_PROV + "wasDerivedFrom")
            and self._needs_deid(f) and not self._own_deid(f)
        ]
        if not asking:
            return set()
        found: set[Any] = set()
        for start in range(0, len(asking), 200):
            chunk = [d for d in asking[start:start + 200] if isinstance(d, ox.NamedNode)]
            if not chunk:
                continue
            rows = self.catalog.store.query(
                queries.with_values("quality_upstream_deidentified", ds=chunk),
                union_default_graph=True)
            found.update(row["ds"] for row in rows)
        return found

    def _score(self, f: _Facts, compliant: bool, status: Mapping[str, bool | None],
               upstream: set[Any]) -> Score:
        p: dict[str, int] = {}
        detail: dict[str, list[int]] = {}
        ds = f.ds

        def has(prop: str) -> bool:
            return bool(ds(prop))

        def full(key: str, ok: bool) -> None:
            p[key] = INDICATOR[key].weight if ok else 0

        # findability
        full("keywordAvailability", has(_DCAT + "keyword"))
        full("categoryAvailability", has(_DCAT + "theme"))
        full("spatialAvailability", has(_DCT + "spatial"))
        full("temporalAvailability", has(_DCT + "temporal"))

        # accessibility, per distribution
        dists = ds(_DCAT + "distribution")
        n = len(dists)
        licences = ds(_DCT + "license")
        rights = ds(_DCT + "rights")
        counts = dict.fromkeys(("access_ok", "download", "download_ok", "licence", "known",
                                "rights", "size"), 0)
        best = (-1, {})
        for dist in dists:
            access = [o.value for o in f.get(dist, _DCAT + "accessURL")
                      if isinstance(o, ox.NamedNode)]
            download = [o.value for o in f.get(dist, _DCAT + "downloadURL")
                        if isinstance(o, ox.NamedNode)]
            counts["access_ok"] += any(status.get(u) for u in access)
            counts["download"] += bool(download)
            counts["download_ok"] += any(status.get(u) for u in download)
            lic = f.get(dist, _DCT + "license") or licences
            counts["licence"] += bool(lic)
            counts["known"] += any(self._schemes(x) & LICENCE_SCHEMES for x in lic)
            counts["rights"] += bool(f.get(dist, _DCT + "rights") or rights)
            counts["size"] += bool(f.get(dist, _DCAT + "byteSize"))
            formats = f.get(dist, _DCT + "format")
            media = f.get(dist, _DCAT + "mediaType")
            fmt_vocab = any(FILE_TYPE_SCHEME in self._schemes(x) for x in formats)
            media_vocab = any(
                isinstance(x, ox.NamedNode) and (
                    MEDIA_TYPE_CLASS in self._types(x) or bool(_MEDIA_TYPE_IRI.match(x.value)))
                for x in media
            )
            inter = {
                "formatAvailability": bool(formats),
                "mediaTypeAvailability": bool(media),
                "formatMediaTypeVocabularyAlignment": fmt_vocab or media_vocab,
                "formatMediaTypeNonProprietary": any(
                    x.value in NON_PROPRIETARY for x in formats if isinstance(x, ox.NamedNode)),
                "formatMediaTypeMachineInterpretable": any(
                    x.value in MACHINE_READABLE for x in formats if isinstance(x, ox.NamedNode)),
            }
            points = sum(INDICATOR[k].weight for k, ok in inter.items() if ok)
            if points > best[0]:
                best = (points, inter)
        for key, counted in (("accessUrlStatusCode", "access_ok"),
                             ("downloadUrlAvailability", "download"),
                             ("downloadUrlStatusCode", "download_ok"),
                             ("licenceAvailability", "licence"), ("knownLicence", "known"),
                             ("rightsAvailability", "rights"),
                             ("byteSizeAvailability", "size")):
            detail[key] = [counts[counted], n]
            p[key] = _share(INDICATOR[key].weight, counts[counted], n)
        if not dists:  # a dataset without distributions: licence and rights of its own
            for key, values in (("licenceAvailability", licences),
                                ("rightsAvailability", rights)):
                p[key] = INDICATOR[key].weight if values else 0
            p["knownLicence"] = INDICATOR["knownLicence"].weight if any(
                self._schemes(x) & LICENCE_SCHEMES for x in licences) else 0

        # interoperability, on the best distribution
        for key in ("formatAvailability", "mediaTypeAvailability",
                    "formatMediaTypeVocabularyAlignment", "formatMediaTypeNonProprietary",
                    "formatMediaTypeMachineInterpretable"):
            full(key, bool(best[1].get(key)))
        full("dcatApCompliance", compliant)

        # reusability
        access_rights = ds(_DCT + "accessRights")
        full("accessRightsAvailability", bool(access_rights))
        full("accessRightsVocabularyAlignment",
             any(ACCESS_RIGHT_SCHEME in self._schemes(x) for x in access_rights))
        full("contactPointAvailability", has(_DCAT + "contactPoint"))
        full("publisherAvailability", has(_DCT + "publisher"))

        # contextuality
        full("dateIssuedAvailability", has(_DCT + "issued"))
        full("dateModifiedAvailability", has(_DCT + "modified"))

        # health
        full("sensitivityCategoryAvailability",
             has(_HDCAT + "sensitivityLevel") and has(_HDCAT + "dataCategory"))
        documented = self._own_deid(f) or f.dataset in upstream
        full("deidentificationDocumented", documented or not self._needs_deid(f))
        full("lineageAvailability", has(_PROV + "wasDerivedFrom")
             or has(_PROV + "wasGeneratedBy") or has(_DCT + "provenance"))
        full("standardsDeclared", any(
            isinstance(x, ox.NamedNode) and not x.value.startswith("https://w3id.org/hdcat/profile")
            for x in ds(_DCT + "conformsTo")))
        titles, descriptions = _langs(ds(_DCT + "title")), _langs(ds(_DCT + "description"))
        full("bilingualTitleDescription", {"zh", "en"} <= titles and {"zh", "en"} <= descriptions)
        full("persistentIdentifierAvailability", self._has_pid(f))

        links = [
            (o.value, kind)
            for dist in dists for kind in ("accessURL", "downloadURL")
            for o in f.get(dist, _DCAT + kind) if isinstance(o, ox.NamedNode)
        ]
        issued = ds(_DCT + "issued")
        year = issued[0].value[:4] if issued and issued[0].value[:4].isdigit() else None
        publisher = ds(_DCT + "publisher")
        facts = {
            "publisher": publisher[0].value if publisher and isinstance(
                publisher[0], ox.NamedNode) else None,
            "creators": sorted({c.value for c in ds(_DCT + "creator")
                                if isinstance(c, ox.NamedNode)}),
            "title": {"zh": _text(ds(_DCT + "title"), "zh"),
                      "en": _text(ds(_DCT + "title"), "en")},
            "year": year,
            "citations": len(ds(_DCT + "isReferencedBy")),
            "links": sorted(set(links)),
            "unchecked": sorted(u for u, _k in set(links) if status.get(u) is None),
        }
        return Score(f.record, _node_text(f.dataset), p, detail, facts)

    def _has_pid(self, f: _Facts) -> bool:
        for value in f.ds(_DCT + "identifier"):
            if isinstance(value, ox.Literal) and (
                    _CSTR.match(value.value) or _DOI.match(value.value)):
                return True
        for ident in f.ds(_ADMS + "identifier"):
            for note in f.get(ident, _SKOS + "notation"):
                if isinstance(note, ox.Literal) and (
                        note.datatype.value in CSTR_DOI_TYPES
                        or _CSTR.match(note.value) or _DOI.match(note.value)):
                    return True
        return False


def _node_text(node: Any) -> str:
    if node is None:
        return ""
    return node.value if isinstance(node, ox.NamedNode) else str(node)


# ------------------------------------------------------------------------------ settings


@dataclass(frozen=True)
class QualitySettings:
    """DATA/quality.toml: which hosts the link checker may reach, and how often.

    ```toml
    allowed_hosts = ["data.example.org", "*.example.org", "127.0.0.1"]
    check_timeout = 5.0        # seconds per request
    check_interval = 600       # seconds between background runs
    recheck_after = 604800     # seconds before a URL is checked again
    usage_window = 1800        # seconds in which repeated hits of one visitor count once
    usage_publish_interval = 3600  # seconds between publications of the usage counters
    ```
    HDCAT_CHECK_HOSTS (comma-separated) adds hosts. Without any allowed host no URL is ever
    requested.
    """

    allowed_hosts: tuple[str, ...] = ()
    check_timeout: float = 5.0
    check_interval: float = 600.0
    recheck_after: float = 7 * 24 * 3600.0
    usage_window: float = 1800.0
    usage_publish_interval: float = 3600.0

    @classmethod
    def load(cls, data_dir: str | Path) -> QualitySettings:
        values: dict[str, Any] = {}
        path = Path(data_dir) / "quality.toml"
        if path.exists():
            with path.open("rb") as f:
                values = tomllib.load(f)
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"{path}: unknown settings {', '.join(sorted(unknown))}")
        hosts = list(values.pop("allowed_hosts", []) or [])
        hosts += [h.strip() for h in os.environ.get("HDCAT_CHECK_HOSTS", "").split(",")
                  if h.strip()]
        floats = {k: float(v) for k, v in values.items()}
        return cls(allowed_hosts=tuple(dict.fromkeys(h.lower() for h in hosts)), **floats)


# ------------------------------------------------------------------------------ link checks

LINK_SCHEMA = """
CREATE TABLE IF NOT EXISTS quality_link_status (
    url TEXT PRIMARY KEY,
    ok INTEGER,
    status INTEGER,
    error TEXT,
    checked REAL NOT NULL
);
"""


def host_allowed(url: str, allowed: Sequence[str]) -> bool:
    """Whether the operator allows requests to the host of `url` (http and https only).

    An entry is a host name ("data.example.org", "127.0.0.1"), a host and port
    ("127.0.0.1:8080"), or a domain and its subdomains ("*.example.org")."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    for entry in allowed:
        entry = entry.lower()
        if entry.startswith("*."):
            if host == entry[2:] or host.endswith(entry[1:]):
                return True
        elif ":" in entry and not entry.startswith("["):
            name, _sep, p = entry.rpartition(":")
            effective = port or (443 if parts.scheme == "https" else 80)
            if host == name and p.isdigit() and int(p) == effective:
                return True
        elif host == entry:
            return True
    return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        return None


class LinkChecker:
    """Checks access and download URLs against the operator's allowed hosts, with timeouts,
    and keeps the results in private state. Redirects are followed (at most 5) only while
    they stay on allowed hosts."""

    MAX_REDIRECTS = 5

    def __init__(self, state: PrivateState, allowed_hosts: Sequence[str] = (),
                 timeout: float = 5.0, recheck_after: float = 7 * 24 * 3600.0) -> None:
        self.state = state
        self.allowed_hosts = tuple(allowed_hosts)
        self.timeout = timeout
        self.recheck_after = recheck_after
        state.ensure(LINK_SCHEMA)
        self._opener = urllib.request.build_opener(_NoRedirect)

    def allowed(self, url: str) -> bool:
        return host_allowed(url, self.allowed_hosts)

    def status(self, urls: Iterable[str]) -> dict[str, bool | None]:
        """URL -> reachable (True / False), or None when never checked."""
        urls = list(dict.fromkeys(urls))
        out: dict[str, bool | None] = dict.fromkeys(urls)
        for start in range(0, len(urls), 500):
            chunk = urls[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.state.rows(
                    f"SELECT url, ok FROM quality_link_status WHERE url IN ({marks})",
                    tuple(chunk)):
                out[row["url"]] = bool(row["ok"])
        return out

    def details(self, urls: Iterable[str]) -> dict[str, dict[str, Any]]:
        urls = list(dict.fromkeys(urls))
        if not urls:
            return {}
        marks = ",".join("?" * len(urls))
        return {r["url"]: r for r in self.state.rows(
            f"SELECT url, ok, status, error, checked FROM quality_link_status"
            f" WHERE url IN ({marks})", tuple(urls))}

    def check(self, url: str) -> tuple[bool, int | None, str | None]:
        """(reachable, HTTP status, error) of one URL: HEAD, then GET when HEAD is refused.
        Never requests a host that is not allowed."""
        target = url
        for _hop in range(self.MAX_REDIRECTS + 1):
            if not self.allowed(target):
                return False, None, "host not allowed"
            status, location, error = self._request(target)
            if status in (301, 302, 303, 307, 308) and location:
                target = urljoin(target, location)
                continue
            if status is None:
                return False, None, error
            return 200 <= status < 400, status, None
        return False, None, "too many redirects"

    def _request(self, url: str) -> tuple[int | None, str | None, str | None]:
        status: int | None = None
        for method in ("HEAD", "GET"):
            req = urllib.request.Request(url, method=method, headers={
                "User-Agent": "hdcat-linkcheck/1.0 (metadata quality)",
                "Range": "bytes=0-0"} if method == "GET" else {
                "User-Agent": "hdcat-linkcheck/1.0 (metadata quality)"})
            try:
                with self._opener.open(req, timeout=self.timeout) as resp:
                    return resp.status, None, None
            except urllib.error.HTTPError as e:
                status = e.code
                if e.code in (301, 302, 303, 307, 308):
                    return e.code, e.headers.get("Location"), None
                if method == "HEAD" and e.code in (400, 403, 405, 501):
                    continue  # some servers refuse HEAD: try GET
                return e.code, None, None
            except (urllib.error.URLError, OSError, ValueError) as e:
                reason = getattr(e, "reason", e)
                return None, None, str(reason)[:200] or type(e).__name__
        return status, None, None

    def due(self, urls: Iterable[str], limit: int = 200, now: float | None = None) -> list[str]:
        """Allowed URLs never checked or checked longer ago than `recheck_after`."""
        now = time.time() if now is None else now
        urls = [u for u in dict.fromkeys(urls) if self.allowed(u)]
        known = self.details(urls)
        out = [u for u in urls if u not in known or
               now - float(known[u]["checked"]) >= self.recheck_after]
        return out[:limit]

    def run(self, urls: Iterable[str]) -> list[str]:
        """Check these URLs (allowed ones only); return those whose verdict changed."""
        changed = []
        for url in urls:
            if not self.allowed(url):
                continue
            before = self.status([url])[url]
            ok, status, error = self.check(url)
            self.state.execute(
                "INSERT INTO quality_link_status (url, ok, status, error, checked)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET ok=excluded.ok,"
                " status=excluded.status, error=excluded.error, checked=excluded.checked",
                (url, int(ok), status, error, time.time()))
            if before is None or before != ok:
                changed.append(url)
        return changed


# ------------------------------------------------------------------------------ the index

SCHEMA = """
CREATE TABLE IF NOT EXISTS quality_score (
    record TEXT PRIMARY KEY,
    dataset TEXT NOT NULL,
    publisher TEXT,
    title_zh TEXT,
    title_en TEXT,
    year TEXT,
    total INTEGER NOT NULL,
    health INTEGER NOT NULL,
    rating TEXT NOT NULL,
    dims TEXT NOT NULL,
    data TEXT NOT NULL,
    missed INTEGER NOT NULL,
    citations INTEGER NOT NULL DEFAULT 0,
    digest TEXT,
    computed TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quality_score_rank ON quality_score(total, health, record);
CREATE INDEX IF NOT EXISTS quality_score_dataset ON quality_score(dataset);
CREATE INDEX IF NOT EXISTS quality_score_by_publisher
    ON quality_score(publisher, total, health, citations);
CREATE TABLE IF NOT EXISTS quality_agg (
    key TEXT PRIMARY KEY,
    n INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quality_follow (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS quality_creator (
    record TEXT NOT NULL,
    creator TEXT NOT NULL,
    PRIMARY KEY (record, creator)
);
CREATE INDEX IF NOT EXISTS quality_creator_creator ON quality_creator(creator);
CREATE TABLE IF NOT EXISTS quality_link (
    record TEXT NOT NULL,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (record, url, kind)
);
CREATE INDEX IF NOT EXISTS quality_link_url ON quality_link(url);
"""

DIRECT_WRITE = 50
"""Above this many records in one write, their quality graphs are written to the store in one
atomic replace rather than one catalog write each."""
GROUP = 50
CATCH_UP_CHUNK = 500
"""Graphs read from the store and scored together when catching up."""
CATCH_UP_STOP_WAIT = 30.0
"""Seconds closing the catalog waits for a background catch-up to stop."""


def quality_graph(record: str) -> str:
    return record + QUALITY_SUFFIX


def is_own_graph(name: str) -> bool:
    return name.endswith(OWN_SUFFIXES) or name == GRAPH_METRICS


_AGG_COLUMNS = "total, health, rating, missed, dims, publisher, citations, record"
AGG_VERSION = 2
"""Of the running totals' keys: an older version is rebuilt from the table on open."""


def _agg_keys(db: Any, total: int, health: int, rating_key: str, missed: int,
              dims: str | Mapping[str, int],
              publisher: str | None, citations: int, record: str,
              creators: Iterable[str] | None = None) -> dict[str, int]:
    """What one stored score adds to the running totals of the dashboards (its creators
    are read from the table when not given)."""
    keys = {"records": 1, "sum:total": int(total), "sum:health": int(health),
            f"rating:{rating_key}": 1, f"bin:{min(int(total) // 50, 8)}": 1}
    for key, value in (json.loads(dims) if isinstance(dims, str) else dims).items():
        keys[f"sum:{key}"] = int(value)
    for ind in INDICATORS:
        if (int(missed) >> BIT[ind.key]) & 1:
            keys[f"miss:{ind.key}"] = 1
    if publisher:
        keys[f"pub:{publisher}"] = 1
        keys[f"pub-total:{publisher}"] = int(total)
        keys[f"pub-health:{publisher}"] = int(health)
        keys[f"pub-cited:{publisher}"] = int(citations or 0)
    if creators is None:
        creators = [r[0] for r in db.execute(
            "SELECT creator FROM quality_creator WHERE record=?", (record,))]
    for creator in creators:
        keys[f"creator:{creator}"] = 1
        keys[f"creator-cited:{creator}"] = int(citations or 0)
    return keys


def _add(delta: dict[str, int], keys: Mapping[str, int], sign: int) -> None:
    for key, value in keys.items():
        delta[key] = delta.get(key, 0) + sign * value


def _apply(db: Any, delta: Mapping[str, int]) -> None:
    db.executemany(
        "INSERT INTO quality_agg (key, n) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET n = n + excluded.n",
        [(k, v) for k, v in delta.items() if v])


def _running_totals(state: PrivateState) -> dict[str, int]:
    return {r["key"]: int(r["n"]) for r in state.rows("SELECT key, n FROM quality_agg")}


def shared_volume(state: PrivateState, by: str = "publisher") -> dict[str, tuple[int, int]]:
    """Sharing volume per publisher or creator (from the running totals kept with the
    scores): agent IRI -> (datasets, citations of them)."""
    if by not in ("publisher", "creator"):
        raise ValueError(f"by 'publisher' or 'creator', not {by!r}")
    prefix, cited = ("pub:", "pub-cited:") if by == "publisher" else (
        "creator:", "creator-cited:")
    agg = _running_totals(state)
    return {key[len(prefix):]: (n, agg.get(cited + key[len(prefix):], 0))
            for key, n in agg.items() if key.startswith(prefix) and n > 0}


@dataclass
class StoredScore:
    """A score as the private table keeps it (what pages show)."""

    score: Score
    rating: str
    computed: str

    @property
    def record(self) -> str:
        return self.score.record

    @property
    def dataset(self) -> str:
        return self.score.dataset


class Quality:
    """Scores of a catalog's records: kept in step with every write (`attach`), stored in
    the public graph as DQV and in private state for the dashboards."""

    def __init__(self, catalog: Catalog, state: PrivateState | None = None,
                 settings: QualitySettings | None = None, compliance: bool = True,
                 worker: bool = False) -> None:
        self.catalog = catalog
        self.state = state or PrivateState.of(catalog.settings.data_dir)
        self.state.ensure(SCHEMA)
        columns = {r["name"] for r in self.state.rows("PRAGMA table_info(quality_score)")}
        if "digest" not in columns:  # tables made before the column existed
            self.state.execute("ALTER TABLE quality_score ADD COLUMN digest TEXT")
        if not worker:
            self._check_aggregates()
        self.settings = settings or QualitySettings.load(catalog.settings.data_dir)
        self.links = LinkChecker(self.state, self.settings.allowed_hosts,
                                 self.settings.check_timeout, self.settings.recheck_after)
        self.scorer = Scorer(catalog, self.links.status, compliance=compliance)
        self._metrics_written = False
        self._attached = False
        self.timings: list[float] = []
        """Seconds each listener call took (the last 1000), for the benchmark."""
        self.cpu_timings: list[float] = []
        """CPU seconds of this thread in each listener call (the last 1000)."""
        self._catching_up: threading.Thread | None = None
        self._catch_up_lock = threading.Lock()
        self._closing = threading.Event()
        if not worker:  # a worker's catalog is a read-only stand-in, gone with its process
            catalog.on_close(self._stop_catching_up)

    # -- keeping in step

    def attach(self) -> Quality:
        """Re-score the records of every write of the catalog (idempotent)."""
        if not self._attached:
            self.catalog.on_write(self.on_write)
            self._attached = True
        return self

    def on_write(self, graphs: Mapping[str, list[ox.Triple]]) -> None:
        """The write listener: score the record graphs written; drop the quality (and usage)
        graphs of records dropped. Graphs this module writes are ignored, so a write of
        them never comes back here. Never fails a write: errors are logged."""
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            self._apply(graphs)
        except Exception:  # noqa: BLE001 - a listener never fails the catalog's write
            log.exception("quality scores out of step (run `hdcat quality --recompute`)")
        self.timings.append(time.perf_counter() - started)
        self.cpu_timings.append(time.thread_time() - cpu)
        del self.timings[:-1000], self.cpu_timings[:-1000]

    def _apply(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> int:
        """Score the record graphs among `graphs`, drop the scores of the graphs emptied;
        returns how many graphs that was."""
        if GRAPH_VOCABULARIES in graphs:
            self.scorer.forget_vocabulary()
        records: list[tuple[str, Sequence[ox.Triple]]] = []
        dropped: list[str] = []
        for name, triples in graphs.items():
            if is_own_graph(name):
                continue
            if not triples:
                dropped.append(name)
            elif record_dataset(name, triples) is not None:
                records.append((name, triples))
        if dropped:
            self._drop(dropped)
        if records:
            self._score_and_store(records)
        return len(records) + len(dropped)

    def _drop(self, names: list[str]) -> None:
        known = {r["record"] for r in self._rows_in("record", names, "SELECT record FROM"
                                                                        " quality_score")}
        store = self.catalog.store
        gone: list[str] = []
        for n in names:  # each graph asked of the store once
            scores = quality_graph(n)
            scored = store.has_graph(scores)
            if n not in known and not scored:
                continue
            gone += [scores] if scored else []
            gone += [n + "#usage"] if store.has_graph(n + "#usage") else []
        for g in gone:
            self.catalog.replace_shared(g, [])
        with self.state.locked(write=True) as db:
            delta: dict[str, int] = {}
            for n in names:
                old = db.execute(f"SELECT {_AGG_COLUMNS} FROM quality_score WHERE record=?",
                                 (n,)).fetchone()
                if old is not None:
                    _add(delta, _agg_keys(db, *old), -1)
                db.execute("DELETE FROM quality_score WHERE record=?", (n,))
                db.execute("DELETE FROM quality_creator WHERE record=?", (n,))
                db.execute("DELETE FROM quality_link WHERE record=?", (n,))
            _apply(db, delta)

    def reset(self) -> None:
        """Forget every stored score and the running totals (the graphs stay)."""
        with self.state.locked(write=True) as db:
            for table in ("quality_score", "quality_creator", "quality_link", "quality_agg"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def _check_aggregates(self) -> None:
        """Rebuild the running totals when they do not match the table (made before them)."""
        with self.state.locked(write=True) as db:
            n = db.execute("SELECT COUNT(*) FROM quality_score").fetchone()[0]
            got = dict(db.execute(
                "SELECT key, n FROM quality_agg WHERE key IN ('records', 'version')"))
            if got.get("records", 0) == n and got.get("version") == AGG_VERSION:
                return
            db.execute("DELETE FROM quality_agg")
            db.execute("INSERT INTO quality_agg VALUES ('version', ?)", (AGG_VERSION,))
            delta: dict[str, int] = {}
            creators: dict[str, list[str]] = {}
            for record, creator in db.execute("SELECT record, creator FROM quality_creator"):
                creators.setdefault(record, []).append(creator)
            for row in db.execute(f"SELECT {_AGG_COLUMNS} FROM quality_score").fetchall():
                _add(delta, _agg_keys(db, *row, creators=creators.get(row[-1], [])), 1)
            _apply(db, delta)

    def _rows_in(self, column: str, values: Sequence[str], select: str) -> list[dict]:
        out: list[dict] = []
        for start in range(0, len(values), 500):
            chunk = list(values[start:start + 500])
            marks = ",".join("?" * len(chunk))
            out += self.state.rows(f"{select} WHERE {column} IN ({marks})", tuple(chunk))
        return out

    def _score_and_store(self, records: Sequence[tuple[str, Sequence[ox.Triple]]],
                         direct: bool | None = None) -> list[Score]:
        scores: list[Score] = []
        for start in range(0, len(records), GROUP):
            scores += self.scorer.score_many(records[start:start + GROUP])
        self._store(scores, direct)
        return scores

    def _store(self, scores: Sequence[Score], direct: bool | None = None) -> None:
        """Keep the scores in the private table; write the quality graphs that changed."""
        before = {r["record"]: r["digest"] for r in self._rows_in(
            "record", [s.record for s in scores], "SELECT record, digest FROM quality_score")}
        digests = {s.record: s.digest() for s in scores}
        self._save(scores, digests)
        store = self.catalog.store
        changed = [
            s for s in scores
            if s.dataset.startswith(("http://", "https://", "urn:"))
            and (before.get(s.record) != digests[s.record]
                 or not store.has_graph(quality_graph(s.record)))
        ]
        if direct is None:
            direct = len(changed) > DIRECT_WRITE
        self._write_graphs(changed, direct=direct)

    def _write_graphs(self, scores: Sequence[Score], direct: bool) -> None:
        """Write the quality graphs of these scores: each through the catalog (its write
        listeners see them), or, for many, straight to the store with the bulk loader
        (derived data that no index reads; a failure midway leaves some graphs to the next
        recompute)."""
        if not scores:
            return
        if not self._metrics_written:
            if not self.catalog.store.has_graph(GRAPH_METRICS):
                self.catalog.replace_shared(GRAPH_METRICS, metric_triples())
            self._metrics_written = True
        if direct:
            self.catalog.write_derived("".join(s.nquads() for s in scores).encode(),
                                       {quality_graph(s.record): s.content() for s in scores})
        else:
            for s in scores:
                self.catalog.replace_shared(quality_graph(s.record), s.triples())

    def _save(self, scores: Sequence[Score], digests: Mapping[str, str]) -> None:
        """Upsert the scores, their creators and links, and the running totals, in one
        transaction (statements batched over the whole chunk)."""
        if not scores:
            return
        stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
        records = list(dict.fromkeys(s.record for s in scores))
        with self.state.locked(write=True) as db:
            old_rows: list[tuple] = []
            old_creators: dict[str, list[str]] = {}
            for start in range(0, len(records), 500):
                chunk = records[start:start + 500]
                marks = ",".join("?" * len(chunk))
                old_rows += db.execute(
                    f"SELECT {_AGG_COLUMNS} FROM quality_score WHERE record IN ({marks})",
                    chunk).fetchall()
                for record, creator in db.execute(
                        f"SELECT record, creator FROM quality_creator WHERE record IN ({marks})",
                        chunk):
                    old_creators.setdefault(record, []).append(creator)
                db.execute(f"DELETE FROM quality_creator WHERE record IN ({marks})", chunk)
                db.execute(f"DELETE FROM quality_link WHERE record IN ({marks})", chunk)
            delta: dict[str, int] = {}
            for row in old_rows:
                _add(delta, _agg_keys(db, *row, creators=old_creators.get(row[-1], [])), -1)
            rows = []
            creators = []
            links = []
            for s in scores:
                f = s.facts
                dims = s.dimensions
                _add(delta, _agg_keys(db, s.total, s.health, s.rating, s.missed, dims,
                                      f.get("publisher"), f.get("citations", 0), s.record,
                                      creators=f.get("creators", ())), 1)
                rows.append((s.record, s.dataset, f.get("publisher"), f["title"]["zh"],
                             f["title"]["en"], f.get("year"), s.total, s.health, s.rating,
                             json.dumps(dims), json.dumps(s.to_row()), s.missed,
                             f.get("citations", 0), digests.get(s.record), stamp))
                creators += [(s.record, c) for c in f.get("creators", ())]
                links += [(s.record, u, k) for u, k in f.get("links", ())]
            db.executemany(
                "INSERT INTO quality_score (record, dataset, publisher, title_zh, title_en,"
                " year, total, health, rating, dims, data, missed, citations, digest,"
                " computed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(record) DO UPDATE SET"
                " dataset=excluded.dataset, publisher=excluded.publisher,"
                " title_zh=excluded.title_zh, title_en=excluded.title_en,"
                " year=excluded.year, total=excluded.total, health=excluded.health,"
                " rating=excluded.rating, dims=excluded.dims, data=excluded.data,"
                " missed=excluded.missed, citations=excluded.citations,"
                " digest=excluded.digest, computed=excluded.computed", rows)
            db.executemany("INSERT OR IGNORE INTO quality_creator VALUES (?, ?)", creators)
            db.executemany("INSERT OR IGNORE INTO quality_link VALUES (?, ?, ?)", links)
            _apply(db, delta)

    # -- whole catalog

    def recompute(self, records: Iterable[str] | None = None, progress: bool = False,
                  chunk: int = 1000, workers: int | None = None) -> int:
        """Score every record (or these record IRIs) again, in chunks; return how many.

        On an embedded store, `workers` processes (default: one for POOL_MIN records or
        more, none below) read and score chunks from a read-only view of the store while
        this process keeps the table and writes the graphs: reading a record graph back
        from Oxigraph is the largest cost, and this runs it beside the writes. The workers
        are spawned (never forked): a script calling this needs the usual
        `if __name__ == "__main__":` guard."""
        if records is None:
            self._check_aggregates()
            iris = [r for r, _ds in self.catalog.records()]
            known = {r["record"] for r in self.state.rows("SELECT record FROM quality_score")}
            stale = sorted(known - set(iris))
            if stale:
                self._drop(stale)
        else:
            iris = list(records)
        chunks = [iris[start:start + chunk] for start in range(0, len(iris), chunk)]
        bar = None
        if progress and len(iris) >= 200:
            from tqdm import tqdm

            bar = tqdm(total=len(iris), desc="quality", unit="rec")
        done = 0
        for scores in self._scored_chunks(chunks, workers):
            self._store(scores, direct=True)
            self.catalog.store.flush()  # or RocksDB's write buffers grow with the run
            done += len(scores)
            if bar is not None:
                bar.update(len(scores))
        if bar is not None:
            bar.close()
        return done

    def _scored_chunks(self, chunks: list[list[str]], workers: int | None) -> Iterator[
            list[Score]]:
        from hdcat.store import EmbeddedStore

        store = self.catalog.store
        total = sum(len(c) for c in chunks)
        if workers is None:
            workers = 1 if total >= POOL_MIN else 0
        path = getattr(store, "path", None)
        if not workers or not isinstance(store, EmbeddedStore) or path is None:
            for part in chunks:
                read = [(iri, list(store.quads(iri))) for iri in part]
                yield self._score_all([(iri, q) for iri, q in read if q])
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        store.flush()
        context = multiprocessing.get_context("spawn")  # no fork of a threaded process
        args = (str(path), str(self.catalog.settings.data_dir), self.settings,
                self.scorer.check_compliance)
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start,
                                 initargs=args) as pool:
            pending = [pool.submit(_worker_score, c) for c in chunks[:workers + 1]]
            following = workers + 1
            while pending:
                scores = pending.pop(0).result()
                if following < len(chunks):
                    pending.append(pool.submit(_worker_score, chunks[following]))
                    following += 1
                yield scores

    def _score_all(self, records: Sequence[tuple[str, Sequence[Any]]]) -> list[Score]:
        scores: list[Score] = []
        for start in range(0, len(records), GROUP):
            scores += self.scorer.score_many(records[start:start + GROUP])
        return scores

    def unscored(self, records: int | None = None) -> int:
        """Records of the catalog with no score yet (`records`: how many the catalog has,
        when known, e.g. from the search index)."""
        if records is None:
            records = self.catalog.count_records()
        return max(records - self._totals().get("records", 0), 0)

    def catch_up(self) -> int:
        """Score what was written by processes that did not keep the scores (`hdcat load`,
        a command-line harvest or publication): the graphs of the audit chain's entries
        since the scores last followed it, unless scored after that entry, then the records
        that have no score at all. Returns the graphs scored or dropped (0 when another
        thread is catching up)."""
        if not self._catch_up_lock.acquire(blocking=False):
            return 0
        try:
            return self._catch_up()
        finally:
            self._catch_up_lock.release()

    def _catch_up(self) -> int:
        audit = self.catalog.audit_log()  # (its table made, interrupted writes recorded)
        head = audit.state.rows("SELECT MAX(seq) AS head FROM audit")[0]["head"] or 0
        found = self.state.rows("SELECT seq FROM quality_follow WHERE id = 1")
        mark = found[0]["seq"] if found else 0
        done = 0
        if head > mark:
            stale = [row["graph"] for row in audit.state.rows(
                "SELECT a.graph FROM (SELECT graph, MAX(at) AS at FROM audit WHERE seq > ?"
                " AND seq <= ? GROUP BY graph) a LEFT JOIN quality_score q"
                " ON q.record = a.graph WHERE q.computed IS NULL OR q.computed <= a.at",
                (mark, head)) if not is_own_graph(row["graph"])]
            if len(stale) >= POOL_MIN:  # a command-line load: score it as recompute does
                records = {r for r, _ds in self.catalog.records()}
                scored = {r["record"] for r in self.state.rows(
                    "SELECT record FROM quality_score")}
                gone = [g for g in stale if g not in records and g in scored]
                if gone:
                    self._drop(gone)
                done += len(gone) + self.recompute([g for g in stale if g in records])
            else:
                for start in range(0, len(stale), CATCH_UP_CHUNK):
                    if self._closing.is_set():  # the rest is scored after the next start
                        return done
                    part = stale[start:start + CATCH_UP_CHUNK]
                    done += self._apply({g: self.catalog.store.graph(g) for g in part})
        if not found:  # never followed: records written before the audit chain too
            scored = {r["record"] for r in self.state.rows("SELECT record FROM quality_score")}
            missing = [r for r, _ds in self.catalog.records() if r not in scored]
            if missing:
                done += self.recompute(missing)
        self.state.execute("INSERT INTO quality_follow (id, seq) VALUES (1, ?)"
                           " ON CONFLICT(id) DO UPDATE SET seq = excluded.seq", (head,))
        return done

    def catch_up_in_background(self) -> bool:
        """`catch_up` in a thread (one at a time); True when a run was started. Closing the
        catalog stops it between two chunks and waits for it (CATCH_UP_STOP_WAIT seconds
        at most) before the store and state close."""
        if self._closing.is_set() or self.catching_up:
            return False
        self._catching_up = threading.Thread(target=self._run_catch_up,
                                          name="hdcat-quality-catch-up", daemon=True)
        self._catching_up.start()
        return True

    @property
    def catching_up(self) -> bool:
        return self._catching_up is not None and self._catching_up.is_alive()

    def _stop_catching_up(self) -> None:
        self._closing.set()
        if self._catching_up is not None:
            self._catching_up.join(CATCH_UP_STOP_WAIT)

    def _run_catch_up(self) -> None:
        try:
            self.catch_up()
        except Exception:  # noqa: BLE001 - a background job logs and ends
            if not self._closing.is_set():  # else the catalog closed under it
                log.exception("quality catch-up failed")

    # -- links

    def check_links(self, limit: int = 200, now: float | None = None) -> dict[str, int]:
        """One run of the link checker: check due URLs of allowed hosts, then re-score the
        records whose links changed. For the background job and `hdcat quality --check-links`."""
        if not self.links.allowed_hosts:
            return {"checked": 0, "changed": 0, "rescored": 0}
        urls = [r["url"] for r in self.state.rows("SELECT DISTINCT url FROM quality_link")]
        due = self.links.due(urls, limit=limit, now=now)
        changed = self.links.run(due)
        records: list[str] = []
        if changed:
            records = sorted({r["record"] for r in self._rows_in(
                "url", changed, "SELECT record FROM quality_link")})
            self.recompute(records)
        return {"checked": len(due), "changed": len(changed), "rescored": len(records)}

    # -- reading

    def get(self, iri: str) -> StoredScore | None:
        """The stored score of a record, by record or dataset IRI."""
        rows = self.state.rows(
            "SELECT * FROM quality_score WHERE record=? OR dataset=? LIMIT 1", (iri, iri))
        if not rows:
            return None
        found = _stored(rows[0])
        found.score.facts["links"] = [
            (r["url"], r["kind"]) for r in self.state.rows(
                "SELECT url, kind FROM quality_link WHERE record=? ORDER BY url, kind",
                (found.record,))]
        return found

    def published(self, dataset: str) -> dict[str, int]:
        """The measurements of a dataset as the public graph has them: metric -> value."""
        rows = self.catalog.store.query(
            queries.with_values("quality_measurements", ds=[ox.NamedNode(dataset)]))
        return {row["metric"].value: int(row["value"].value) for row in rows}

    def _totals(self) -> dict[str, int]:
        return _running_totals(self.state)

    def summary(self) -> dict[str, Any]:
        """Numbers for the dashboard: count, means, ratings, score histogram (from running
        totals kept with every stored score: no scan of the table)."""
        agg = self._totals()
        n = agg.get("records", 0)

        def mean(key: str) -> float:
            return round(agg.get(key, 0) / n, 1) if n else 0.0

        return {
            "records": n,
            "mean": mean("sum:total"),
            "health_mean": mean("sum:health"),
            "max": MQA_MAX,
            "health_max": HEALTH_MAX,
            "ratings": [(key, agg.get(f"rating:{key}", 0)) for key, *_rest in RATINGS],
            "histogram": [
                (f"{b * 50}–{b * 50 + 49}" if b < 8 else f"400–{MQA_MAX}",
                 agg.get(f"bin:{b}", 0)) for b in range(9)
            ],
            "dimensions": {d.key: mean(f"sum:{d.key}") for d in DIMENSIONS},
        }

    def worst(self, n: int = 20) -> list[StoredScore]:
        rows = self.state.rows(
            "SELECT * FROM quality_score ORDER BY total ASC, health ASC, record LIMIT ?", (n,))
        return [_stored(r) for r in rows]

    def violations(self) -> list[tuple[Indicator, int]]:
        """How many records lose points on each indicator, most common first."""
        agg = self._totals()
        out = [(i, agg.get(f"miss:{i.key}", 0)) for i in INDICATORS]
        out = [(i, n) for i, n in out if n]
        out.sort(key=lambda x: (-x[1], BIT[x[0].key]))
        return out

    def by_publisher(self) -> list[dict[str, Any]]:
        """Per publisher: records, mean score, mean health score, lowest score (from the
        running totals; the lowest by one index lookup a publisher). Best mean first."""
        agg = self._totals()
        out = []
        for key, n in agg.items():
            if not key.startswith("pub:") or n <= 0:
                continue
            pub = key[4:]
            low = self.state.rows(
                "SELECT MIN(total) AS low FROM quality_score WHERE publisher=?", (pub,))
            out.append({"publisher": pub, "records": n,
                        "mean": round(agg.get(f"pub-total:{pub}", 0) / n, 1),
                        "health": round(agg.get(f"pub-health:{pub}", 0) / n, 1),
                        "worst": int(low[0]["low"] or 0)})
        none = agg.get("records", 0) - sum(r["records"] for r in out)
        if none > 0:  # records without a publisher
            row = self.state.rows(
                "SELECT AVG(total) AS mean, AVG(health) AS health, MIN(total) AS low"
                " FROM quality_score WHERE publisher IS NULL")[0]
            out.append({"publisher": None, "records": none,
                        "mean": round(float(row["mean"] or 0), 1),
                        "health": round(float(row["health"] or 0), 1),
                        "worst": int(row["low"] or 0)})
        out.sort(key=lambda r: (-r["mean"], -r["records"], r["publisher"] or ""))
        return out

    def shared(self, by: str = "publisher") -> dict[str, tuple[int, int]]:
        """Sharing volume per publisher or creator: agent -> (datasets, citations)."""
        return shared_volume(self.state, by)

    def scores(self) -> Iterator[StoredScore]:
        for row in self.state.rows("SELECT * FROM quality_score ORDER BY record"):
            yield _stored(row)

    def link_notes(self, score: Score, lang: str) -> dict[str, str]:
        """Why the reachability indicators lost points, in words."""
        links = score.facts.get("links", [])
        if not links:
            return {}
        details = self.links.details(u for u, _k in links)
        notes: dict[str, str] = {}
        for key, kind in (("accessUrlStatusCode", "accessURL"),
                          ("downloadUrlStatusCode", "downloadURL")):
            urls = [u for u, k in links if k == kind]
            if not urls:
                continue
            unchecked = [u for u in urls if u not in details]
            refused = [u for u in unchecked if not self.links.allowed(u)]
            broken = [details[u] for u in urls if u in details and not details[u]["ok"]]
            parts = []
            if refused:
                parts.append(f"{len(refused)} 个地址的主机不在允许检查的名单中,未检查。"
                             if lang == "zh" else
                             f"{len(refused)} not checked: the host is not on the list of hosts "
                             "the catalog may check.")
            pending = len(unchecked) - len(refused)
            if pending:
                parts.append(f"{pending} 个地址尚未检查。" if lang == "zh"
                             else f"{pending} not checked yet.")
            for b in broken[:3]:
                why = f"HTTP {b['status']}" if b["status"] else (b["error"] or "error")
                parts.append(f"{b['url']}: {why}")
            if parts:
                notes[key] = " ".join(parts)
        return notes


POOL_MIN = 5000
_WORKER: Quality | None = None


class _ReadOnlyCatalog:
    """What a scoring worker needs of a catalog: a read-only view of its store."""

    def __init__(self, store_path: str, data_dir: str) -> None:
        from hdcat.config import Settings
        from hdcat.store import EmbeddedStore

        self.store = EmbeddedStore(Path(store_path), read_only=True)
        self.settings = Settings(data_dir=Path(data_dir))

    def used_vocabulary(self, _objects: set) -> list[ox.Triple]:
        return []


def _worker_start(store_path: str, data_dir: str, settings: QualitySettings,
                  compliance: bool) -> None:
    global _WORKER
    catalog = _ReadOnlyCatalog(store_path, data_dir)
    _WORKER = Quality(catalog, settings=settings, compliance=compliance,  # type: ignore[arg-type]
                      worker=True)


def _worker_score(iris: list[str]) -> list[Score]:
    """Read and score a chunk of records (in a worker process)."""
    assert _WORKER is not None
    store = _WORKER.catalog.store
    read = [(iri, list(store.quads(iri))) for iri in iris]
    scores = _WORKER._score_all([(iri, q) for iri, q in read if q])  # noqa: SLF001
    for s in scores:  # made here, beside the main process's writes
        s.digest()
        s.content()
        s.dimensions  # noqa: B018 - the sums, cached with the score
    return scores


def _stored(row: Mapping[str, Any]) -> StoredScore:
    data = json.loads(row["data"])
    facts = {"publisher": row["publisher"], "title": {"zh": row["title_zh"] or "",
                                                      "en": row["title_en"] or ""},
             "year": row["year"], "citations": row["citations"]}
    score = Score(row["record"], row["dataset"], {k: int(v) for k, v in data["points"].items()},
                  {k: list(v) for k, v in data.get("detail", {}).items()}, facts)
    return StoredScore(score, row["rating"], row["computed"])


def attached(catalog: Catalog, state: PrivateState | None = None,
             settings: QualitySettings | None = None) -> Quality:
    """The catalog's Quality, created (on `state`, with `settings`) and attached on first
    use: one per catalog, whatever number of apps or commands use it."""
    found = getattr(catalog, "_hdcat_quality", None)
    if found is None:
        found = Quality(catalog, state, settings).attach()
        catalog._hdcat_quality = found  # type: ignore[attr-defined]
    return found


# ------------------------------------------------------------------------------ metric graph


def metric_triples() -> list[ox.Triple]:
    """The DQV description of the metrics, dimensions and categories (zh and en)."""
    skos_label = ox.NamedNode(_SKOS + "prefLabel")
    skos_def = ox.NamedNode(_SKOS + "definition")
    in_dim = ox.NamedNode(_DQV + "inDimension")
    in_cat = ox.NamedNode(_DQV + "inCategory")
    expected = ox.NamedNode(_DQV + "expectedDataType")
    out: list[ox.Triple] = []

    def describe(iri: str, kind: str, zh: str, en: str, dzh: str, den: str) -> ox.NamedNode:
        node = ox.NamedNode(iri)
        out.extend([
            ox.Triple(node, RDF_TYPE, ox.NamedNode(_DQV + kind)),
            ox.Triple(node, skos_label, ox.Literal(zh, language="zh")),
            ox.Triple(node, skos_label, ox.Literal(en, language="en")),
            ox.Triple(node, skos_def, ox.Literal(dzh, language="zh")),
            ox.Triple(node, skos_def, ox.Literal(den, language="en")),
        ])
        return node

    mqa = describe(NS + "mqa", "Category", "元数据质量评估(MQA)", "Metadata quality (MQA)",
                   "data.europa.eu 元数据质量评估方法的指标与权重,满分 405。",
                   "The indicators and weights of the data.europa.eu metadata quality "
                   "assessment; 405 points in all.")
    health = describe(NS + "health-indicators", "Category", "健康数据要素", "Health indicators",
                      "hdcat 的健康医疗数据指标,满分 100,不计入 MQA 总分。",
                      "hdcat's health-data indicators; 100 points, not part of the MQA total.")
    for d in DIMENSIONS:
        node = describe(d.iri, "Dimension", d.zh, d.en,
                        f"{d.zh}维度,满分 {dimension_max(d.key)}。",
                        f"The {d.en.lower()} dimension; {dimension_max(d.key)} points.")
        out.append(ox.Triple(node, in_cat, mqa if d.mqa else health))
        score = describe(d.metric, "Metric", f"{d.zh}得分", f"{d.en} score",
                         f"{d.zh}维度各指标得分之和,满分 {dimension_max(d.key)}。",
                         f"The sum of the {d.en.lower()} indicators, out of "
                         f"{dimension_max(d.key)}.")
        out.append(ox.Triple(score, in_dim, node))
        out.append(ox.Triple(score, expected, XSD_INTEGER))
    for i in INDICATORS:
        node = describe(i.metric, "Metric", i.zh, i.en,
                        f"{i.fix_zh} 权重 {i.weight} 分。", f"{i.fix_en} Weight {i.weight}.")
        out.append(ox.Triple(node, in_dim, ox.NamedNode(DIMENSION[i.dimension].iri)))
        out.append(ox.Triple(node, expected, XSD_INTEGER))
    total = describe(TOTAL_METRIC, "Metric", "MQA 总分", "MQA score",
                     "五个 MQA 维度之和,满分 405:351–405 优秀,221–350 良好,121–220 及格,"
                     "0–120 较差。",
                     "The sum of the five MQA dimensions, out of 405: excellent 351-405, good "
                     "221-350, sufficient 121-220, bad 0-120.")
    out.append(ox.Triple(total, expected, XSD_INTEGER))
    out.append(ox.Triple(total, ox.NamedNode(_SKOS + "broader"), mqa))
    return out



# ------------------------------------------------------------------------------ the command


@click.command("quality")
@click.option("--recompute", is_flag=True, help="Score every record again first.")
@click.option("--check-links", is_flag=True,
              help="Check the due access/download URLs (allowed hosts only, DATA/quality.toml).")
@click.option("--publish-usage", is_flag=True,
              help="Write the use counters that changed to the public graph.")
@click.option("--record", "record", default=None, help="One record (dataset or record IRI).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar.")
@click.pass_context
def cli(ctx: click.Context, recompute: bool, check_links: bool, publish_usage: bool,
        record: str | None, lang: str, as_json: bool, progress: bool | None) -> None:
    """Metadata quality (MQA indicators + health): scores, ratings, what to fix."""
    import sys

    from hdcat.cli import _catalog

    catalog = _catalog(ctx)
    q = attached(catalog)
    out: dict[str, Any] = {}
    if recompute:
        started = time.perf_counter()
        show = sys.stderr.isatty() if progress is None else progress
        out["recomputed"] = q.recompute(progress=show)
        out["seconds"] = round(time.perf_counter() - started, 2)
    else:  # what other commands wrote since the scores last followed the audit chain
        out["caught_up"] = q.catch_up()
    if check_links:
        out["links"] = q.check_links(limit=10_000)
    if publish_usage:
        from hdcat.usage import Usage

        out["usage_graphs_written"] = Usage(q.state, catalog.settings.data_dir,
                                            q.settings.usage_window).publish(catalog)
    if record is not None:
        found = catalog.find_record(record)
        if found is None:
            raise click.ClickException(f"no record for {record}")
        stored = q.get(found[0])
        score = stored.score if stored is not None else q.scorer.score(
            found[0], catalog.store.graph(found[0]))
        notes = q.link_notes(score, lang)
        out["record"] = {
            "record": score.record, "dataset": score.dataset, "score": score.total,
            "rating": score.rating, "health": score.health, "dimensions": score.dimensions,
            "points": score.points, "fix_first": score.advice(lang, notes),
        }
    else:
        out["summary"] = q.summary()
        out["violations"] = [(i.key, n) for i, n in q.violations()]
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    for key in ("recomputed", "caught_up", "seconds", "links", "usage_graphs_written"):
        if key in out:
            click.echo(f"{key}: {out[key]}")
    if "record" in out:
        r = out["record"]
        click.echo(f"{r['dataset']}: {r['score']}/{MQA_MAX} ({r['rating']}), "
                   f"health {r['health']}/{HEALTH_MAX}")
        for d in DIMENSIONS:
            click.echo(f"  {d.label(lang)}: {r['dimensions'][d.key]}/{dimension_max(d.key)}")
        for n, line in enumerate(r["fix_first"], start=1):
            click.echo(f"  {n}. {line}")
        return
    s = out["summary"]
    click.echo(f"records scored: {s['records']}, mean {s['mean']}/{MQA_MAX}, "
               f"health {s['health_mean']}/{HEALTH_MAX}")
    click.echo("ratings: " + ", ".join(f"{rating_label(k, lang)} {n}" for k, n in s["ratings"]))
    for key, n in out["violations"][:10]:
        click.echo(f"  {INDICATOR[key].label(lang)}: {n} records lose points")
