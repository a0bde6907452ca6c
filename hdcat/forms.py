"""The registration form, generated from the SHACL shapes of the hdcat profile.

Like FAIR Data Point's metadata forms: the fields of a dataset are the property shapes that
target `dcat:Dataset` in shapes/ (merged per property path across core, healthdcat,
recommended and health), with their zh/en names (`sh:name`), help (`sh:description`),
cardinalities (`sh:minCount` / `sh:maxCount`, by severity), sections (`sh:group`, `sh:order`)
and widgets (`dash:editor`). Values of vocabulary fields are pick lists of the concepts of the
scheme the shapes name (`hdcatsh:scheme`), or of the instances of the `sh:class`.

The form posts plain `name -> [values]` pairs. Input names:

* `key` for a dataset field (repeated for several values), `key.zh` / `key.en` for
  language-tagged text;
* `group.N.key` (and `group.N.key.zh`) for the fields of the N-th distribution, contact point
  or period (`group.N.iri` keeps a node's own IRI when it is not the default `DATASET#frag-N+1`).

`graph_from_form` builds the triples of a record (pyoxigraph, as `Catalog.load_triples` takes
them), `form_from_graph` reads them back, `unmapped_triples` gives what the form does not
show (to keep it on save), and `field_errors` places SHACL results (hdcat.validation.Result)
on the fields for inline messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import ClassVar

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from hdcat import resources
from hdcat.namespaces import (
    DCAT,
    DCT,
    FOAF,
    GRAPH_LEGISLATION,
    GRAPH_STANDARDS,
    GRAPH_VOCABULARIES,
    HDCATSH,
    HEALTHDCATAP,
    PROFILE,
    VCARD,
)
from hdcat.validation import Result, profile_shapes
from loaders.rdf import EMAIL, date_literal, mailto
from loaders.rdf import iri as absolute_iri

__all__ = [
    "GENERAL",
    "LANGUAGES",
    "PUBLICATION_SHAPES",
    "Field",
    "FormError",
    "FormSpec",
    "Message",
    "Option",
    "Section",
    "dataset_form",
    "field_errors",
    "form_from_graph",
    "graph_from_form",
    "shipped_vocabularies",
    "unmapped_triples",
]

DASH = Namespace("http://datashapes.org/dash#")
LANGUAGES: tuple[str, ...] = ("zh", "en")
GENERAL = "_form"
"""The key of `field_errors`' results that belong to no field (shown above the form)."""
PUBLICATION_SHAPES = frozenset({str(HDCATSH["HealthDataset-cstr"])})
"""Shapes that only a published record can meet: the CSTR is minted at publication. The
shapes do not tell drafts from published records (`HealthDataset-cstr` targets every
dcat:Dataset), so `field_errors(..., draft=True)` leaves their results out."""
MAX_TEXT = 100_000

_XSD_DATE = str(XSD.date)
_NUMERIC = {str(XSD.nonNegativeInteger), str(XSD.integer), str(XSD.positiveInteger)}
_SCHEME = HDCATSH.scheme
_DATE_OR_DATETIME = HDCATSH.DateOrDateTime
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# DCAT-AP controlled vocabularies of properties whose shapes only say `sh:class skos:Concept`
# (or a class several schemes share): the scheme whose concepts are the choices.
_EU = "http://publications.europa.eu/resource/authority/"
SCHEME_HINTS: dict[str, str] = {
    str(DCAT.theme): _EU + "data-theme",
    str(DCT.type): _EU + "dataset-type",
    str(DCT.format): _EU + "file-type",
    "http://data.europa.eu/r5r/availability": _EU + "planned-availability",
}

# Labels of terms that no shape names (sh:name) and the ontology does not label.
BUILTIN_LABELS: dict[str, dict[str, str]] = {
    str(DCT.title): {"zh": "标题", "en": "title"},
    str(DCT.description): {"zh": "描述", "en": "description"},
    str(DCT.rights): {"zh": "权利声明", "en": "rights statement"},
    str(DCT.provenance): {"zh": "来源说明", "en": "provenance"},
    str(VCARD.fn): {"zh": "名称", "en": "name"},
    str(VCARD.hasEmail): {"zh": "电子邮箱", "en": "e-mail"},
    str(RDFS.label): {"zh": "说明", "en": "statement"},
}
BUILTIN_HELP: dict[str, dict[str, str]] = {
    str(VCARD.fn): {"zh": "联系人或联系部门的名称。",
                    "en": "Name of the contact person or office."},
}


@dataclass(frozen=True)
class _Nested:
    """A dataset property whose value is a node the record owns, edited as a sub-form."""

    key: str
    fragment: str
    types: tuple[str, ...]
    paths: tuple[tuple[str, str], ...]
    """(property IRI, editor used when no shape names the property) of the sub-form fields."""
    repeatable: bool = True


NESTED: dict[str, _Nested] = {
    str(DCAT.distribution): _Nested(
        "distribution", "dist", (str(DCAT.Distribution),),
        (
            (str(DCT.title), "TextFieldWithLangEditor"),
            (str(DCT.description), "TextAreaWithLangEditor"),
            (str(DCAT.accessURL), "URIEditor"),
            (str(DCAT.downloadURL), "URIEditor"),
            (str(DCT.format), "InstancesSelectEditor"),
            (str(DCAT.mediaType), "InstancesSelectEditor"),
            (str(DCAT.byteSize), "TextFieldEditor"),
            (str(DCT.license), "InstancesSelectEditor"),
            ("http://data.europa.eu/r5r/availability", "InstancesSelectEditor"),
        ),
    ),
    str(DCAT.contactPoint): _Nested(
        "contact_point", "contact", (str(VCARD.Kind),),
        ((str(VCARD.fn), "TextFieldWithLangEditor"), (str(VCARD.hasEmail), "URIEditor")),
    ),
    str(DCT.temporal): _Nested(
        "temporal", "period", (str(DCT.PeriodOfTime),),
        ((str(DCAT.startDate), "DatePickerEditor"), (str(DCAT.endDate), "DatePickerEditor")),
        repeatable=False,
    ),
}
# Dataset properties whose value is a statement node with a bilingual rdfs:label.
STATEMENTS: dict[str, tuple[str, str]] = {
    str(DCT.rights): ("rights", str(DCT.RightsStatement)),
    str(DCT.provenance): ("provenance", str(DCT.ProvenanceStatement)),
}
_RENAMES = {"hasEmail": "email", "fn": "name"}
# Language-tagged properties that hold a list (several values per language); the others get
# one input per language.
LIST_PATHS = frozenset({str(DCAT.keyword)})
# Classes a web link is typed with when its shape asks for them (DCAT-AP: a landing page is a
# foaf:Document). Other classes of linked resources (dcat:Dataset...) are never asserted.
LINK_CLASSES = frozenset({str(FOAF.Document)})

# Form keys -> the canonical fields of registration spreadsheets (loaders.sheet.COLUMNS), whose
# Chinese column names (STANDARDS.md section 4) are shown as "also called".
_SHEET_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title_zh", "title_en"),
    "description": ("description_zh", "description_en"),
    "keyword": ("keywords_zh", "keywords_en"),
    "domain": ("domain",),
    "data_category": ("category",),
    "sensitivity_level": ("level",),
    "sharing_mode": ("sharing",),
    "license": ("licence",),
    "publisher": ("publisher",),
    "creator": ("creator",),
    "identifier": ("cstr",),
    "version": ("version",),
    "issued": ("issued",),
    "modified": ("modified",),
    "landing_page": ("landing",),
    "language": ("language",),
    "accrual_periodicity": ("frequency",),
    "temporal": ("temporal",),
    "spatial": ("spatial",),
    "distribution.format": ("format",),
    "distribution.download_url": ("download",),
    "contact_point.name": ("contact",),
    "contact_point.email": ("email",),
}

UI: dict[str, dict[str, str]] = {
    "required": {"zh": "必填", "en": "required"},
    "recommended": {"zh": "推荐填写", "en": "recommended"},
    "required_note": {
        "zh": "标 * 的为必填项;标“推荐填写”的为推荐项。",
        "en": "Fields marked * are required; fields marked 'recommended' are recommended.",
    },
    "one_of": {"zh": "以下至少填写一项:", "en": "At least one of these is required:"},
    "more": {
        "zh": "可填写多个值,每个输入框一个;保存后会再提供空白输入框。",
        "en": "Several values allowed, one per box; saving adds more empty boxes.",
    },
    "general": {"zh": "请检查以下问题:", "en": "Please check the following:"},
    "warning": {"zh": "建议", "en": "Recommendation"},
    "choose": {"zh": "— 请选择 —", "en": "— choose —"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "not_in_list": {"zh": "(不在可选列表中)", "en": "(not in the list)"},
    "aliases": {"zh": "登记表中也称:", "en": "Also called in registration sheets:"},
    "lang_zh": {"zh": "中文", "en": "Chinese"},
    "lang_en": {"zh": "英文", "en": "English"},
    "node_iri": {"zh": "节点标识", "en": "node IRI"},
}

_ERRORS: dict[str, dict[str, str]] = {
    "not_in_list": {"zh": "“{value}”不在“{label}”的可选列表中。",
                    "en": "{value!r} is not one of the choices of {label}."},
    "date": {"zh": "“{label}”必须是日期,例如 2020-06-15。",
             "en": "{label} must be a date, e.g. 2020-06-15."},
    "email": {"zh": "“{label}”必须是电子邮箱地址,例如 service@ncmi.cn。",
              "en": "{label} must be an e-mail address, e.g. service@ncmi.cn."},
    "url": {"zh": "“{label}”必须是完整的网址,例如 https://www.example.org/。",
            "en": "{label} must be a full web address, e.g. https://www.example.org/."},
    "integer": {"zh": "“{label}”必须是非负整数。", "en": "{label} must be a non-negative integer."},
    "decimal": {"zh": "“{label}”必须是数字。", "en": "{label} must be a number."},
    "boolean": {"zh": "“{label}”只能选“是”或“否”。", "en": "{label} must be yes or no."},
    "one": {"zh": "“{label}”只能填写一个值。", "en": "{label} takes only one value."},
    "long": {"zh": "“{label}”过长(最多 {max} 个字符)。",
             "en": "{label} is too long (at most {max} characters)."},
    "node": {"zh": "“{label}”的节点标识必须属于本数据集。",
             "en": "The node IRI of {label} must belong to this dataset."},
}


# ---------------------------------------------------------------------------------- the model


def _pick(texts: Mapping[str, str], lang: str) -> str:
    if not texts:
        return ""
    if lang in texts:
        return texts[lang]
    for key, text in texts.items():
        if key and key.startswith(lang):
            return text
    for key in ("en", "zh", ""):
        if key in texts:
            return texts[key]
    return next(iter(texts.values()))


@dataclass
class Message:
    """A message for the form, in zh and en, with the severity of the rule that gave it."""

    texts: dict[str, str]
    severity: str = "Violation"
    shape: str | None = None

    def text(self, lang: str = "zh") -> str:
        return _pick(self.texts, lang)

    @property
    def is_warning(self) -> bool:
        return self.severity != "Violation"


@dataclass
class Option:
    """One choice of a pick list: the IRI, its zh/en labels and its notation."""

    value: str
    labels: dict[str, str]
    notation: str | None = None

    def label(self, lang: str = "zh") -> str:
        return _pick(self.labels, lang) or self.notation or _local(self.value)


@dataclass
class Field:
    """One form field: a property path of the dataset (or of a node the dataset owns)."""

    key: str
    path: str
    labels: dict[str, str]
    widget: str
    """text, textarea, date, email, url, integer, decimal, boolean, select or group."""
    section: str
    order: float = 0.0
    help: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    """The sh:message of the field's main shape (what the rules ask)."""
    required: bool = False
    """Some shape of severity sh:Violation asks for a value (sh:minCount >= 1)."""
    recommended: bool = False
    """Only a shape of severity sh:Warning asks for a value (DCAT-AP recommended)."""
    repeatable: bool = True
    languages: tuple[str, ...] = ()
    """Language-tagged text: one input per language (zh, en)."""
    required_languages: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    datatype: str | None = None
    shapes: tuple[str, ...] = ()
    """The shapes the field comes from (results of these shapes are messages of the field)."""
    fields: tuple[Field, ...] = ()
    """Sub-form fields of a group (distribution, contact point, period)."""
    types: tuple[str, ...] = ()
    """rdf:type of the node of a group or statement."""
    fragment: str | None = None
    """Node IRIs of a group are DATASET#fragment-N; a statement's is DATASET#fragment."""
    value_path: str | None = None
    """For a statement: the property of its text (rdfs:label)."""
    one_of: tuple[str, ...] = ()
    """Keys of the fields of which at least one is required (sh:alternativePath)."""
    value_types: tuple[str, ...] = ()
    """For a link: rdf:type stated of the value (a landing page is a foaf:Document)."""
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        return _pick(self.labels, lang) or self.key

    def help_text(self, lang: str = "zh") -> str:
        return _pick(self.help, lang) or _pick(self.messages, lang)

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    @property
    def is_group(self) -> bool:
        return self.widget == "group"

    @property
    def is_statement(self) -> bool:
        return self.value_path is not None


@dataclass
class Section:
    """A fieldset of the form (an sh:PropertyGroup)."""

    key: str
    iri: str
    labels: dict[str, str]
    order: float
    fields: list[Field] = field(default_factory=list)

    def label(self, lang: str = "zh") -> str:
        return _pick(self.labels, lang) or self.key


@dataclass
class FormSpec:
    """The dataset registration form: sections of fields, and where node-level rules point."""

    lang: str
    sections: list[Section]
    shape_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Shapes without a plain property path (sh:or rules, sh:alternativePath) -> field keys."""
    skipped: list[str] = field(default_factory=list)
    """Dataset properties of the shapes that the form does not offer (nested details)."""
    GENERAL: ClassVar[str] = GENERAL

    def fields(self) -> Iterator[Field]:
        """The top-level fields, section by section."""
        for section in self.sections:
            yield from section.fields

    def field(self, name: str) -> Field:
        """A field by key (`title`), sub-field key (`distribution.format`) or input name
        (`distribution.0.format`, `title.zh`)."""
        parts = [p for p in name.split(".") if not p.isdigit() and p not in LANGUAGES]
        found = {f.key: f for f in self.fields()}.get(parts[0])
        for part in parts[1:]:
            if found is None:
                break
            found = {f.key: f for f in found.fields}.get(part)
        if found is None:
            raise KeyError(name)
        return found

    # -- helpers for the template (service/templates/_form.html)

    def ui(self, key: str, lang: str | None = None) -> str:
        return _pick(UI.get(key, {}), lang or self.lang) or key

    def values(self, values: object, name: str) -> list[str]:
        """The posted (or prefilled) values of one input name, as a list of strings."""
        return _get(values, name, keep_blank=True)

    def is_list(self, f: Field) -> bool:
        """Whether the form offers several inputs (per language) for the field."""
        return f.repeatable and (not f.languages or f.path in LIST_PATHS)

    def slots(self, f: Field, values: object, name: str) -> list[str]:
        """The values to render in inputs: a list field gets empty inputs to add more."""
        have = [v for v in self.values(values, name) if v.strip()]
        if not self.is_list(f):
            return have or [""]
        return have + [""] * (1 if have else 2)

    def indices(self, f: Field, values: object) -> list[int]:
        """The instances of a group to render: those with values, then one empty one (a
        non-repeatable group: just one)."""
        found = sorted(_group_indices(f, values))
        if not f.repeatable:
            return found[:1] or [0]
        return found + [found[-1] + 1 if found else 0]

    def messages(self, errors: object, name: str) -> list[Message]:
        if not isinstance(errors, Mapping):
            return []
        found = errors.get(name) or []
        if isinstance(found, str | Message):
            found = [found]
        return [m if isinstance(m, Message) else Message({"": str(m)}) for m in found]

    def has_violation(self, errors: object, name: str) -> bool:
        return any(not m.is_warning for m in self.messages(errors, name))

    def dom_id(self, name: str) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)

    def input_type(self, f: Field, value: str = "") -> str:
        if f.widget == "date":
            return "date" if not value or _ISO_DATE.match(value) else "text"
        return {"email": "email", "url": "url", "integer": "number"}.get(f.widget, "text")

    def one_of_labels(self, f: Field, lang: str) -> str:
        sep = "、" if lang == "zh" else ", "
        return sep.join(self.field(k).label(lang) for k in f.one_of)


class FormError(ValueError):
    """Values `graph_from_form` refuses, by field (input name without the language)."""

    def __init__(self, errors: dict[str, list[Message]]) -> None:
        self.errors = errors
        first = next(iter(errors.values()))[0].text("en") if errors else ""
        super().__init__(f"{sum(len(v) for v in errors.values())} form error(s): {first}")


# ---------------------------------------------------------------------------------- the spec


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


def _snake(name: str) -> str:
    name = _RENAMES.get(name, name)
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    name = re.sub(r"(?<=[A-Z])([A-Z][a-z])", r"_\1", name)
    return re.sub(r"[^a-z0-9_]", "_", name.lower())


def _texts(g: Graph, node: Node, *preds: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for pred in preds:
        for lit in g.objects(node, pred):
            if isinstance(lit, Literal):
                out.setdefault(_lang_key(lit.language), str(lit))
        if out:
            break
    return out


def _lang_key(tag: str | None) -> str:
    if not tag:
        return ""
    tag = tag.lower()
    return "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else tag


@dataclass
class _Info:
    """What the shapes say about one property path (merged across layers)."""

    path: str
    shapes: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    group: str | None = None
    order: float | None = None
    editor: str | None = None
    classes: list[str] = field(default_factory=list)
    datatype: str | None = None
    nodes: set[str] = field(default_factory=set)
    scheme: str | None = None
    required: bool = False
    recommended: bool = False
    single: bool = False
    languages: list[str] = field(default_factory=list)


def _merge(g: Graph, ps: Node, info: _Info) -> None:
    info.shapes.append(str(ps))
    severity = g.value(ps, SH.severity) or SH.Violation
    for key, text in _texts(g, ps, SH.name).items():
        info.names.setdefault(key, text)
    for key, text in _texts(g, ps, SH.description).items():
        info.descriptions.setdefault(key, text)
    if not info.messages:
        info.messages = _texts(g, ps, SH.message)
    group = g.value(ps, SH.group)
    if group is not None and info.group is None:
        info.group = str(group)
    order = g.value(ps, SH.order)
    if order is not None:
        info.order = float(order) if info.order is None else min(info.order, float(order))
    editor = g.value(ps, DASH.editor)
    if editor is not None and info.editor is None:
        info.editor = _local(str(editor))
    for cls in g.objects(ps, SH["class"]):
        if str(cls) not in info.classes:
            info.classes.append(str(cls))
    datatype = g.value(ps, SH.datatype)
    if datatype is not None:
        info.datatype = str(datatype)
    info.nodes.update(str(n) for n in g.objects(ps, SH.node))
    scheme = g.value(ps, _SCHEME)
    if scheme is not None:
        info.scheme = str(scheme)
    min_count = g.value(ps, SH.minCount)
    if min_count is not None and int(min_count) >= 1:
        if severity == SH.Violation:
            info.required = True
        else:
            info.recommended = True
    max_count = g.value(ps, SH.maxCount)
    if max_count is not None and int(max_count) <= 1:
        info.single = True
    qualified = g.value(ps, SH.qualifiedValueShape)
    qmin = g.value(ps, SH.qualifiedMinCount)
    if qualified is not None and qmin is not None and int(qmin) >= 1 and severity == SH.Violation:
        langs = g.value(qualified, SH.languageIn)
        if langs is not None:
            for lang in Collection(g, langs):
                if str(lang) not in info.languages:
                    info.languages.append(str(lang))


def _collect(
    g: Graph, classes: Iterable[str], link: str | None = None
) -> tuple[dict[str, _Info], list[tuple[Node, list[str]]]]:
    """Per path, what the property shapes of these classes say; and the shapes with complex
    paths (alternative paths, node-level sh:or rules) with the property paths they mention."""
    node_shapes: set[Node] = set()
    for cls in classes:
        node_shapes |= set(g.subjects(SH.targetClass, URIRef(cls)))
    if link is not None:
        node_shapes |= set(g.subjects(SH.targetObjectsOf, URIRef(link)))
    infos: dict[str, _Info] = {}
    complex_shapes: list[tuple[Node, list[str]]] = []
    for ns in sorted(node_shapes, key=str):
        if (ns, SH.path, None) not in g and (ns, SH["or"], None) in g:
            complex_shapes.append((ns, _fix_paths(g, ns)))
        for ps in sorted(g.objects(ns, SH.property), key=str):
            path = g.value(ps, SH.path)
            if isinstance(path, URIRef):
                _merge(g, ps, infos.setdefault(str(path), _Info(str(path))))
            elif isinstance(path, BNode):
                alternatives = g.value(path, SH.alternativePath)
                if alternatives is not None:
                    paths = [str(p) for p in Collection(g, alternatives) if isinstance(p, URIRef)]
                    complex_shapes.append((ps, paths))
    return infos, complex_shapes


def _fix_paths(g: Graph, shape: Node, depth: int = 0) -> list[str]:
    """The property paths of the branches of an sh:or that are not negated conditions: the
    properties a user changes to satisfy the rule."""
    found: list[str] = []
    if depth > 3:
        return found
    for members in g.objects(shape, SH["or"]):
        for member in Collection(g, members):
            path = g.value(member, SH.path)
            if path is None and (member, SH["not"], None) in g:
                continue
            if isinstance(path, URIRef):
                found.append(str(path))
            for ps in g.objects(member, SH.property):
                p = g.value(ps, SH.path)
                if isinstance(p, URIRef):
                    found.append(str(p))
            found += _fix_paths(g, member, depth + 1)
    return list(dict.fromkeys(found))


@cache
def _ontology_labels() -> Graph:
    g = Graph()
    g.parse(resources.ontology_dir() / "hdcat.ttl", format="turtle")
    return g


@cache
def shipped_vocabularies() -> Graph:
    """The shipped vocabularies, standards and legislation (the pick lists' sources)."""
    g = Graph()
    files = resources.ontology_files()
    for name in (GRAPH_VOCABULARIES, GRAPH_STANDARDS, GRAPH_LEGISLATION):
        for path in files[name]:
            g.parse(path, format="turtle")
    return g


def _as_graph(vocabularies: object) -> Graph:
    if vocabularies is None:
        return shipped_vocabularies()
    if isinstance(vocabularies, Graph):
        return vocabularies
    from hdcat.terms import triples_to_graph

    return triples_to_graph(vocabularies)  # type: ignore[arg-type]


def _natural(text: str | None) -> tuple:
    if text is None:
        return ((2, ""),)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", text) if p)


def _options(
    info: _Info, vocab: Graph, agents: Sequence[tuple[str, Mapping[str, str]]], lang: str
) -> list[Option]:
    options: list[Option] = []
    if str(FOAF.Agent) in info.classes:
        options = [Option(iri, dict(labels)) for iri, labels in agents]
        return sorted(options, key=lambda o: o.label(lang))
    scheme = info.scheme or SCHEME_HINTS.get(info.path)
    if scheme is not None:
        members = set(vocab.subjects(SKOS.inScheme, URIRef(scheme)))
    else:
        members = set()
        for cls in info.classes:
            if cls != str(SKOS.Concept):
                members |= set(vocab.subjects(RDF.type, URIRef(cls)))
    for node in members:
        if not isinstance(node, URIRef):
            continue
        labels = _texts(vocab, node, SKOS.prefLabel, RDFS.label, DCT.title, FOAF.name)
        notation = vocab.value(node, SKOS.notation)
        options.append(Option(str(node), labels, str(notation) if notation is not None else None))
    return sorted(options, key=lambda o: (_natural(o.notation), o.label(lang), o.value))


def _widget(info: _Info, options: list[Option]) -> tuple[str, tuple[str, ...]] | None:
    """(widget, languages) for a property, or None when the form cannot edit it."""
    editor = info.editor or ""
    numeric = {str(XSD.decimal): "decimal", str(XSD.boolean): "boolean"}
    if editor in ("TextFieldWithLangEditor", "TextAreaWithLangEditor"):
        return ("textarea" if "TextArea" in editor else "text"), LANGUAGES
    if editor == "DatePickerEditor" or str(_DATE_OR_DATETIME) in info.nodes \
            or info.datatype == _XSD_DATE:
        return "date", ()
    if info.path == str(VCARD.hasEmail):
        return "email", ()
    if editor == "URIEditor":
        return "url", ()
    if editor == "InstancesSelectEditor" or info.scheme or info.classes:
        if editor == "DetailsEditor":
            return None
        return ("select" if options else "url"), ()
    if editor == "DetailsEditor":
        return None
    if info.datatype in _NUMERIC:
        return "integer", ()
    if info.datatype in numeric:
        return numeric[info.datatype], ()
    if editor == "TextFieldEditor" or info.datatype is not None:
        return "text", ()
    if editor == "TextAreaEditor":
        return "textarea", ()
    return None


def _label(info: _Info) -> dict[str, str]:
    if info.names:
        return dict(info.names)
    found = _texts(_ontology_labels(), URIRef(info.path), RDFS.label)
    return found or dict(BUILTIN_LABELS.get(info.path, {})) or {"en": _local(info.path)}


def _make_field(
    info: _Info, key: str, section: str, vocab: Graph,
    agents: Sequence[tuple[str, Mapping[str, str]]], lang: str, editor: str | None = None,
) -> Field | None:
    if info.editor is None and editor is not None:
        info.editor = editor
    options = _options(info, vocab, agents, lang) if (
        info.scheme or info.classes or info.editor == "InstancesSelectEditor") else []
    chosen = _widget(info, options)
    if chosen is None:
        return None
    widget, languages = chosen
    required_languages = tuple(x for x in LANGUAGES if x in info.languages)
    datatype = info.datatype
    if widget == "integer" and datatype is None:
        datatype = str(XSD.nonNegativeInteger)
    return Field(
        key=key,
        path=info.path,
        labels=_label(info),
        widget=widget,
        section=section,
        order=info.order if info.order is not None else 1000.0,
        help=dict(info.descriptions) or dict(BUILTIN_HELP.get(info.path, {})),
        messages=dict(info.messages),
        required=info.required or bool(required_languages),
        recommended=info.recommended and not info.required,
        repeatable=not info.single,
        languages=languages,
        required_languages=required_languages,
        options=tuple(options) if widget == "select" else (),
        datatype=datatype,
        shapes=tuple(info.shapes),
        value_types=tuple(c for c in info.classes if c in LINK_CLASSES) if widget == "url"
        else (),
    )


def _section_key(group: str | None, path: str) -> str:
    if group is None:
        return "health" if path.startswith(str(HEALTHDCATAP)) else "basic"
    name = _local(group)
    return _snake(name[5:] if name.startswith("Group") else name)


def _aliases(key: str, labels: Mapping[str, str]) -> tuple[str, ...]:
    try:
        from loaders.sheet import COLUMNS
    except ImportError:  # pragma: no cover - loaders ship with hdcat
        return ()
    names: list[str] = []
    for canonical in _SHEET_FIELDS.get(key, ()):
        for name in COLUMNS.get(canonical, ()):
            if not name.isascii() and name != labels.get("zh") and name not in names:
                names.append(name)
    return tuple(names)


def dataset_form(
    shapes_graph: Graph | None = None,
    vocabularies: Graph | Iterable[ox.Triple] | None = None,
    lang: str = "zh",
    agents: Sequence[tuple[str, Mapping[str, str]]] = (),
) -> FormSpec:
    """The dataset registration form of the profile.

    `shapes_graph`: the profile's shapes (default `hdcat.validation.profile_shapes("full")`);
    `vocabularies`: concepts, standards and laws for the pick lists (an rdflib Graph or
    pyoxigraph triples; default `shipped_vocabularies()`); `agents`: the catalog's agents,
    as (IRI, {lang: name}), the choices of publisher and creator.
    """
    g = shapes_graph if shapes_graph is not None else profile_shapes("full")
    vocab = _as_graph(vocabularies)
    infos, complex_shapes = _collect(g, [str(DCAT.Dataset)])
    sections: dict[str, Section] = {}
    for group in g.subjects(RDF.type, SH.PropertyGroup):
        key = _section_key(str(group), "")
        order = g.value(group, SH.order)
        sections[key] = Section(key, str(group), _texts(g, group, RDFS.label),
                                float(order) if order is not None else 1000.0)
    spec = FormSpec(lang=lang, sections=[])
    keys: set[str] = set()

    def unique(path: str) -> str:
        key = _snake(_local(path))
        if key in keys:
            namespace = path[: len(path) - len(_local(path))].rstrip("/#")
            key = _snake(_local(namespace)) + "_" + key
        keys.add(key)
        return key

    fields: list[Field] = []
    for path, info in infos.items():
        section = _section_key(info.group, path)
        if path in NESTED:
            made = _group_field(g, info, NESTED[path], section, vocab, agents, lang)
        elif path in STATEMENTS:
            made = _statement_field(info, *STATEMENTS[path], section)
        else:
            made = _make_field(info, unique(path), section, vocab, agents, lang)
        if made is None:
            spec.skipped.append(path)
            continue
        keys.add(made.key)
        fields.append(made)
    by_path = {f.path: f for f in fields}
    for shape, paths in complex_shapes:
        alternative = (g.value(shape, SH.path) is not None)
        members = []
        for path in paths:
            f = by_path.get(path)
            if f is None and alternative and path in STATEMENTS:
                anchor = next((by_path[p] for p in paths if p in by_path), None)
                info = _Info(path, names=dict(BUILTIN_LABELS.get(path, {})),
                             messages=_texts(g, shape, SH.message))
                f = _statement_field(info, *STATEMENTS[path],
                                     anchor.section if anchor else "access")
                f.order = (anchor.order + 0.5) if anchor else f.order
                f.help = dict(f.messages)
                fields.append(f)
                by_path[path] = f
            if f is not None:
                members.append(f)
                f.shapes = (*f.shapes, str(shape))
        if members:
            spec.shape_fields[str(shape)] = tuple(f.key for f in members)
        min_count = g.value(shape, SH.minCount)
        if alternative and min_count is not None and int(min_count) >= 1 and len(members) > 1:
            for f in members:
                f.one_of = tuple(m.key for m in members)
    for f in fields:
        f.aliases = _aliases(f.key, f.labels)
        for sub in f.fields:
            sub.aliases = _aliases(f"{f.key}.{sub.key}", sub.labels)
        section = sections.get(f.section)
        if section is None:
            section = sections[f.section] = Section(f.section, "", {"en": f.section}, 1000.0)
        section.fields.append(f)
    for section in sections.values():
        section.fields.sort(key=lambda f: (f.order, f.key))
    spec.sections = sorted((s for s in sections.values() if s.fields),
                           key=lambda s: (s.order, s.key))
    return spec


def _statement_field(info: _Info, key: str, cls: str, section: str) -> Field:
    return Field(
        key=key, path=info.path, labels=_label(info), widget="textarea", section=section,
        order=info.order if info.order is not None else 1000.0,
        help=dict(info.descriptions), messages=dict(info.messages), required=info.required,
        recommended=info.recommended and not info.required, repeatable=False,
        languages=LANGUAGES, shapes=tuple(info.shapes), types=(cls,), fragment=key,
        value_path=str(RDFS.label),
    )


def _group_field(
    g: Graph, info: _Info, nested: _Nested, section: str, vocab: Graph,
    agents: Sequence[tuple[str, Mapping[str, str]]], lang: str,
) -> Field:
    sub_infos, _complex = _collect(g, nested.types, link=info.path)
    subs: list[Field] = []
    for order, (path, editor) in enumerate(nested.paths):
        sub_info = sub_infos.get(path) or _Info(path)
        sub = _make_field(sub_info, _snake(_local(path)), section, vocab, agents, lang, editor)
        if sub is not None:
            sub.order = float(order)
            subs.append(sub)
    return Field(
        key=nested.key, path=info.path, labels=_label(info), widget="group", section=section,
        order=info.order if info.order is not None else 1000.0,
        help=dict(info.descriptions), messages=dict(info.messages), required=info.required,
        recommended=info.recommended and not info.required,
        repeatable=nested.repeatable and not info.single, shapes=tuple(info.shapes),
        fields=tuple(subs), types=nested.types, fragment=nested.fragment,
    )


# ---------------------------------------------------------------------------------- values


def _get(data: object, name: str, keep_blank: bool = False) -> list[str]:
    if data is None:
        return []
    getlist = getattr(data, "getlist", None)
    if callable(getlist):
        found = getlist(name)
    elif isinstance(data, Mapping):
        found = data.get(name, [])
    else:
        return []
    if isinstance(found, str):
        found = [found]
    out = [v for v in found if isinstance(v, str)]
    return out if keep_blank else [v for v in out if v.strip()]


def _names(data: object) -> Iterable[str]:
    if data is None:
        return []
    keys = getattr(data, "keys", None)
    return list(keys()) if callable(keys) else []


def _group_indices(f: Field, data: object) -> set[int]:
    found: set[int] = set()
    pattern = re.compile(rf"^{re.escape(f.key)}\.(\d+)\.")
    for name in _names(data):
        m = pattern.match(name)
        if m and _get(data, name):
            found.add(int(m.group(1)))
    return found


def _default_node(dataset: str, f: Field, index: int | None = None) -> str:
    return f"{dataset}#{f.fragment}" if index is None else f"{dataset}#{f.fragment}-{index + 1}"


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[Message]] = {}

    def add(self, name: str, kind: str, f: Field, value: str = "") -> None:
        shown = value if len(value) <= 60 else value[:57] + "..."
        texts = {
            lang: text.format(label=f.label(lang), value=shown, max=MAX_TEXT)
            for lang, text in _ERRORS[kind].items()
        }
        self.by_field.setdefault(name, []).append(Message(texts))


def _term(f: Field, value: str, name: str, errors: _Errors) -> ox.NamedNode | ox.Literal | None:
    text = value.strip()
    w = f.widget
    if w == "select":
        if f.option(text) is None:
            errors.add(name, "not_in_list", f, value)
            return None
        return ox.NamedNode(text)
    if w == "url":
        node = absolute_iri(text)
        if node is None:
            errors.add(name, "url", f, value)
        return node
    if w == "email":
        if not EMAIL.match(text):
            errors.add(name, "email", f, value)
            return None
        try:
            return ox.NamedNode(mailto(text))
        except ValueError:
            errors.add(name, "email", f, value)
            return None
    if w == "date":
        lit = date_literal(text)
        if lit is None or (f.datatype == _XSD_DATE and lit.datatype.value != _XSD_DATE):
            errors.add(name, "date", f, value)
            return None
        return lit
    if w == "integer":
        digits = text.replace(",", "")
        if not digits.isdigit():
            errors.add(name, "integer", f, value)
            return None
        return ox.Literal(str(int(digits)), datatype=ox.NamedNode(f.datatype or
                                                                  str(XSD.nonNegativeInteger)))
    if w == "decimal":
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            errors.add(name, "decimal", f, value)
            return None
        return ox.Literal(text, datatype=ox.NamedNode(str(XSD.decimal)))
    if w == "boolean":
        if text not in ("true", "false"):
            errors.add(name, "boolean", f, value)
            return None
        return ox.Literal(text, datatype=ox.NamedNode(str(XSD.boolean)))
    if f.datatype and f.datatype != str(XSD.string):
        return ox.Literal(text, datatype=ox.NamedNode(f.datatype))
    if len(value) > MAX_TEXT:
        errors.add(name, "long", f, value)
        return None
    return ox.Literal(value)


def _emit(
    f: Field, subject: ox.NamedNode, name: str, data: object, out: list[ox.Triple],
    errors: _Errors, predicate: str | None = None,
) -> None:
    pred = ox.NamedNode(predicate or f.path)
    if f.languages:
        for lang in f.languages:
            values = _get(data, f"{name}.{lang}")
            if not f.repeatable and len(values) > 1:
                errors.add(name, "one", f)
                continue
            for value in values:
                if len(value) > MAX_TEXT:
                    errors.add(name, "long", f, value)
                    continue
                out.append(ox.Triple(subject, pred, ox.Literal(value, language=lang)))
        return
    values = _get(data, name)
    if not f.repeatable and len(values) > 1:
        errors.add(name, "one", f)
        return
    for value in values:
        term = _term(f, value, name, errors)
        if term is not None:
            out.append(ox.Triple(subject, pred, term))
            out.extend(ox.Triple(term, _RDF_TYPE, ox.NamedNode(c)) for c in f.value_types)


_RDF_TYPE = ox.NamedNode(str(RDF.type))


def graph_from_form(
    spec: FormSpec,
    data: Mapping[str, Sequence[str]] | object,
    dataset_iri: str,
    record_iri: str,
    modified: date | None = None,
    issued: date | None = None,
) -> list[ox.Triple]:
    """The triples of a record from posted form values (`request.form`, or a mapping of
    input name -> list of values): the dataset, its catalog record (conforming to the hdcat
    profile, modified `modified` (default today), issued `issued` if given), distributions,
    contact points, period and statements.

    Empty inputs are ignored; required values are not enforced here (that is SHACL's job,
    and a draft may be incomplete). Raises FormError (by field) for a value outside a pick
    list, a malformed date, e-mail, URL or number, several values in a single-valued field.
    """
    ds = ox.NamedNode(dataset_iri)
    rec = ox.NamedNode(record_iri)
    out: list[ox.Triple] = [
        ox.Triple(ds, _RDF_TYPE, ox.NamedNode(str(DCAT.Dataset))),
        ox.Triple(rec, _RDF_TYPE, ox.NamedNode(str(DCAT.CatalogRecord))),
        ox.Triple(rec, ox.NamedNode(str(FOAF.primaryTopic)), ds),
        ox.Triple(rec, ox.NamedNode(str(DCT.conformsTo)), ox.NamedNode(PROFILE)),
        ox.Triple(rec, ox.NamedNode(str(DCT.modified)),
                  ox.Literal((modified or date.today()).isoformat(),
                             datatype=ox.NamedNode(_XSD_DATE))),
    ]
    if issued is not None:
        out.append(ox.Triple(rec, ox.NamedNode(str(DCT.issued)),
                             ox.Literal(issued.isoformat(), datatype=ox.NamedNode(_XSD_DATE))))
    errors = _Errors()
    for f in spec.fields():
        if f.is_group:
            for index in sorted(_group_indices(f, data)):
                prefix = f"{f.key}.{index}"
                node_iri = _default_node(dataset_iri, f, index)
                own = _get(data, prefix + ".iri")
                if own:
                    if not own[0].strip().startswith((dataset_iri + "#", dataset_iri + "/")) \
                            or absolute_iri(own[0]) is None:
                        errors.add(prefix, "node", f, own[0])
                        continue
                    node_iri = own[0].strip()
                node = ox.NamedNode(node_iri)
                part: list[ox.Triple] = []
                for sub in f.fields:
                    _emit(sub, node, f"{prefix}.{sub.key}", data, part, errors)
                if part:
                    out.append(ox.Triple(ds, ox.NamedNode(f.path), node))
                    out.extend(ox.Triple(node, _RDF_TYPE, ox.NamedNode(t)) for t in f.types)
                    out.extend(part)
        elif f.is_statement:
            node = ox.NamedNode(_default_node(dataset_iri, f))
            part = []
            _emit(f, node, f.key, data, part, errors, predicate=f.value_path)
            if part:
                out.append(ox.Triple(ds, ox.NamedNode(f.path), node))
                out.extend(ox.Triple(node, _RDF_TYPE, ox.NamedNode(t)) for t in f.types)
                out.extend(part)
        else:
            _emit(f, ds, f.key, data, out, errors)
    if errors.by_field:
        raise FormError(errors.by_field)
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------------- reading


_Subject = ox.NamedNode | ox.BlankNode


def _literal_lang(lit: ox.Literal, languages: tuple[str, ...]) -> str | None:
    key = _lang_key(lit.language)
    if key in languages:
        return key
    if not lit.language and lit.datatype.value == str(XSD.string):
        # Untagged text (harvested metadata): Chinese if it has CJK characters, else English.
        guess = "zh" if re.search(r"[\u3400-\u9fff]", lit.value) else "en"
        return guess if guess in languages else None
    return None


def _value(f: Field, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str | None:
    """The form value of an RDF term, or None when the field cannot show it."""
    w = f.widget
    if w == "email":
        if isinstance(term, ox.NamedNode) and term.value.lower().startswith("mailto:"):
            return term.value[len("mailto:"):]
        return None
    if w in ("select", "url"):
        return term.value if isinstance(term, ox.NamedNode) else None
    if not isinstance(term, ox.Literal) or term.language:
        return None
    if w == "date":
        return term.value if date_literal(term.value) is not None else None
    if w == "boolean":
        return {"1": "true", "0": "false"}.get(term.value, term.value)
    return term.value


class _Reader:
    """Reads a record's triples into form values, noting which triples it used."""

    def __init__(self, spec: FormSpec, triples: Iterable[ox.Triple | ox.Quad], dataset: str):
        self.spec = spec
        self.triples = [ox.Triple(t.subject, t.predicate, t.object) for t in triples]
        self.out: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
        for t in self.triples:
            self.out.setdefault(t.subject, []).append(t)
        self.dataset = dataset
        self.values: dict[str, list[str]] = {}
        self.used: set[ox.Triple] = set()
        self.renamed: dict[_Subject, ox.NamedNode] = {}
        self._read()

    def _put(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def _field(self, f: Field, subject: _Subject, name: str, predicate: str | None = None) -> None:
        pred = predicate or f.path
        seen: set[tuple[str, str]] = set()
        for t in self.out.get(subject, []):
            if t.predicate.value != pred:
                continue
            if f.languages:
                if not isinstance(t.object, ox.Literal):
                    continue
                lang = _literal_lang(t.object, f.languages)
                if lang is None:
                    continue
                key, value = f"{name}.{lang}", t.object.value
            else:
                value = _value(f, t.object)
                if value is None:
                    continue
                key = name
            self.used.add(t)
            self.used.update(ox.Triple(t.object, _RDF_TYPE, ox.NamedNode(c))
                             for c in f.value_types)
            if (key, value) not in seen:
                seen.add((key, value))
                self._put(key, value)

    def _read(self) -> None:
        ds = ox.NamedNode(self.dataset)
        for t in self.out.get(ds, []):
            if t.predicate == _RDF_TYPE and t.object.value == str(DCAT.Dataset):
                self.used.add(t)
        self._record(ds)
        for f in self.spec.fields():
            if f.is_group:
                self._group(f, ds)
            elif f.is_statement:
                self._statement(f, ds)
            else:
                self._field(f, ds, f.key)

    def _record(self, ds: ox.NamedNode) -> None:
        regenerated = {str(RDF.type), str(FOAF.primaryTopic), str(DCT.conformsTo),
                       str(DCT.modified), str(DCT.issued)}
        for t in self.triples:
            if t.predicate.value == str(FOAF.primaryTopic) and t.object == ds:
                for rt in self.out.get(t.subject, []):
                    if rt.predicate.value in regenerated:
                        self.used.add(rt)
            if t.predicate.value in (str(DCAT.dataset), str(DCAT.record)) and (
                t.object == ds or t.object in self._records(ds)
            ):
                self.used.add(t)

    def _records(self, ds: ox.NamedNode) -> set:
        return {t.subject for t in self.triples
                if t.predicate.value == str(FOAF.primaryTopic) and t.object == ds}

    def _nodes(self, f: Field, ds: ox.NamedNode) -> list[ox.Triple]:
        return [t for t in self.out.get(ds, [])
                if t.predicate.value == f.path and not isinstance(t.object, ox.Literal)]

    def _group(self, f: Field, ds: ox.NamedNode) -> None:
        links = self._nodes(f, ds)
        pattern = re.compile(rf"^{re.escape(self.dataset)}#{re.escape(f.fragment or '')}-(\d+)$")
        placed: dict[int, ox.Triple] = {}
        others: list[ox.Triple] = []
        for t in links:
            m = pattern.match(t.object.value) if isinstance(t.object, ox.NamedNode) else None
            if m and int(m.group(1)) >= 1 and int(m.group(1)) - 1 not in placed:
                placed[int(m.group(1)) - 1] = t
            else:
                others.append(t)
        others.sort(key=lambda t: (isinstance(t.object, ox.BlankNode), str(t.object)))
        next_index = max(placed, default=-1) + 1
        for t in others:
            placed[next_index] = t
            next_index += 1
        if not f.repeatable:
            placed = dict(sorted(placed.items())[:1])
        for index, link in sorted(placed.items()):
            node = link.object
            prefix = f"{f.key}.{index}"
            before = len(self.used)
            for sub in f.fields:
                self._field(sub, node, f"{prefix}.{sub.key}")
            if len(self.used) == before:
                continue  # nothing of this node is shown: keep it as it is
            self.used.add(link)
            self.used.update(t for t in self.out.get(node, [])
                             if t.predicate == _RDF_TYPE and t.object.value in f.types)
            if isinstance(node, ox.NamedNode) and node.value != _default_node(
                    self.dataset, f, index):
                if node.value.startswith((self.dataset + "#", self.dataset + "/")):
                    self._put(prefix + ".iri", node.value)
                else:
                    self.renamed[node] = ox.NamedNode(_default_node(self.dataset, f, index))
            elif isinstance(node, ox.BlankNode):
                self.renamed[node] = ox.NamedNode(_default_node(self.dataset, f, index))

    def _statement(self, f: Field, ds: ox.NamedNode) -> None:
        target = ox.NamedNode(_default_node(self.dataset, f))
        for link in self._nodes(f, ds):
            node = link.object
            before = len(self.used)
            self._field(f, node, f.key, predicate=f.value_path)
            if len(self.used) == before:
                continue
            self.used.add(link)
            self.used.update(t for t in self.out.get(node, [])
                             if t.predicate == _RDF_TYPE and t.object.value in f.types)
            if node != target:
                self.renamed[node] = target

    def unmapped(self) -> list[ox.Triple]:
        out = []
        for t in self.triples:
            if t in self.used:
                continue
            subject = self.renamed.get(t.subject, t.subject)
            obj = self.renamed.get(t.object, t.object) if not isinstance(
                t.object, ox.Literal) else t.object
            out.append(ox.Triple(subject, t.predicate, obj))
        return list(dict.fromkeys(out))


def form_from_graph(
    spec: FormSpec, triples: Iterable[ox.Triple | ox.Quad], dataset_iri: str
) -> dict[str, list[str]]:
    """The form values of a record (e.g. a draft's triples), to prefill the edit form.

    The inverse of `graph_from_form`: `form_from_graph(spec, graph_from_form(spec, v, ds, r),
    ds) == v` for values `v` without empty inputs. Untagged text goes to the zh input if it
    has Chinese characters, else to the en one."""
    return _Reader(spec, triples, dataset_iri).values


def unmapped_triples(
    spec: FormSpec, triples: Iterable[ox.Triple | ox.Quad], dataset_iri: str
) -> list[ox.Triple]:
    """The triples of a record that the form does not show (identifiers, processing
    activities, checksums...), to add to `graph_from_form`'s on save so that editing keeps
    them. Triples of nodes the form renames (a blank-node distribution becomes
    DATASET#dist-1) follow the new name."""
    return _Reader(spec, triples, dataset_iri).unmapped()


# ---------------------------------------------------------------------------------- messages


def _locate(spec: FormSpec, r: Result, dataset: str | None, values: object) -> list[str]:
    focus = str(r.focus) if r.focus is not None else ""
    path = str(r.path) if isinstance(r.path, URIRef) else None
    shape = str(r.shape) if r.shape is not None else ""
    top = list(spec.fields())
    if "#" in focus:
        base, fragment = focus.split("#", 1)
        if dataset is None or base == dataset:
            for f in top:
                if f.is_statement and fragment == f.fragment:
                    return [f.key]
                if not f.is_group:
                    continue
                m = re.match(rf"^{re.escape(f.fragment or '')}-(\d+)$", fragment)
                index = int(m.group(1)) - 1 if m else None
                if index is None:
                    index = next((i for i in _group_indices(f, values)
                                  if _get(values, f"{f.key}.{i}.iri")[:1] == [focus]), None)
                if index is None:
                    continue
                sub = next((s for s in f.fields if s.path == path), None)
                return [f"{f.key}.{index}.{sub.key}" if sub else f"{f.key}.{index}"]
    if dataset is not None and focus != dataset:
        return [GENERAL]
    if path is not None:
        for f in top:
            if f.path == path:
                return [f.key]
    if shape in spec.shape_fields:
        return list(spec.shape_fields[shape])
    return [GENERAL]


def field_errors(
    spec: FormSpec,
    validation_results: Iterable[Result],
    dataset_iri: str | None = None,
    values: object = None,
    draft: bool = False,
) -> dict[str, list[Message]]:
    """SHACL results -> messages by input name (field key, `group.N.key` or `group.N`);
    results about no field go to GENERAL. With `dataset_iri`, results about other nodes (the
    catalog record) are general too. `values`: the posted values (to find nodes kept by
    their own IRI). `draft`: leave out the rules only a published record meets."""
    out: dict[str, list[Message]] = {}
    for r in validation_results:
        shape = str(r.shape) if r.shape is not None else None
        if draft and shape in PUBLICATION_SHAPES:
            continue
        message = Message(dict(r.messages), r.severity, shape)
        for key in _locate(spec, r, dataset_iri, values):
            found = out.setdefault(key, [])
            if all(m.texts != message.texts for m in found):
                found.append(message)
    for found in out.values():
        found.sort(key=lambda m: m.is_warning)
    return out
