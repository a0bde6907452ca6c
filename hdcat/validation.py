"""Per-record SHACL validation against the hdcat application profile, with readable reports.

The profile is four files in shapes/: core.ttl (DCAT-AP 3 mandatory properties, ranges,
datatypes), healthdcat.ttl (HealthDCAT-AP datatypes), recommended.ttl (DCAT-AP 3
recommended, warnings) and health.ttl (the health rules).
At level "full" all but the recommendations are violations. At level "core" (foreign
metadata: external examples, harvested records) only missing or malformed DCAT-AP mandatory
properties are violations; the rest of the profile is reported as warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from hdcat import resources

Level = Literal["full", "core"]
LEVELS: tuple[str, ...] = ("full", "core")
_SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, in the terms of pySHACL's report model."""

    focus: Node
    path: Node | None
    value: Node | None
    component: URIRef
    severity: str
    shape: Node | None
    messages: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    engine: str = field(default="pyshacl", compare=False, hash=False)

    def message(self, lang: str = "en") -> str:
        if lang in self.messages:
            return self.messages[lang]
        for key, text in self.messages.items():
            if key.startswith(lang):
                return text
        return self.messages.get("", next(iter(self.messages.values()), ""))

    def key(self) -> tuple[str, str, str, str, str]:
        return (
            _n3(self.focus),
            _n3(self.path),
            _n3(self.value),
            str(self.component),
            self.severity,
        )

    def to_json(self, lang: str | None = None) -> dict[str, object]:
        data: dict[str, object] = {
            "focus": _plain(self.focus),
            "path": _plain(self.path),
            "value": _plain(self.value),
            "component": _short(self.component),
            "severity": self.severity,
            "shape": _plain(self.shape) if isinstance(self.shape, URIRef) else None,
            "engine": self.engine,
        }
        if lang:
            data["message"] = self.message(lang)
        else:
            data["message"] = self.message("en")
            data["messages"] = dict(self.messages)
        return data


@dataclass
class Report:
    """The validation verdict for one record (or one file, or one thing)."""

    subject: str
    results: list[Result]
    source: str | None = None

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def describe(self, lang: str = "en", warnings: bool = True) -> str:
        lines = []
        for r in self.results:
            if r.severity != "Violation" and not warnings:
                continue
            what = _short(r.path) if r.path is not None else _short(r.component)
            value = f" (value {_plain(r.value)})" if r.value is not None else ""
            lines.append(f"  [{r.severity}] {_plain(r.focus)} {what}{value}: {r.message(lang)}")
        return "\n".join(lines)


def _n3(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return "_:b"
    return node.n3()


def _plain(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return "_:" + str(node)
    return str(node)


_SHORT_PREFIXES = {
    str(SH): "sh:",
    "http://www.w3.org/ns/dcat#": "dcat:",
    "http://purl.org/dc/terms/": "dct:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/2006/vcard/ns#": "vcard:",
    "http://www.w3.org/ns/adms#": "adms:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "https://w3id.org/hdcat/ns#": "hdcat:",
    "http://healthdataportal.eu/ns/health#": "healthdcatap:",
    "http://data.europa.eu/r5r/": "dcatap:",
}


def _short(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return "(path expression)"
    text = str(node)
    for ns, prefix in _SHORT_PREFIXES.items():
        if text.startswith(ns):
            return prefix + text[len(ns) :]
    return text


def _load(paths: Iterable) -> Graph:
    g = Graph()
    for path in paths:
        g.parse(path, format="turtle")
    return g


def _shape_nodes(g: Graph) -> set[Node]:
    nodes: set[Node] = set(g.subjects(RDF.type, SH.NodeShape)) | set(
        g.subjects(RDF.type, SH.PropertyShape)
    )
    nodes |= set(g.subjects(SH.path, None))
    nodes |= set(g.objects(None, SH.property))
    nodes |= set(g.subjects(SH.targetClass, None))
    return nodes


def _mandatory(g: Graph) -> set[Node]:
    """Property shapes that demand a value (sh:minCount >= 1): the mandatory properties."""
    return {
        shape
        for shape, count in g.subject_objects(SH.minCount)
        if int(count) >= 1 and (shape, SH.path, None) in g
    }


def downgrade(g: Graph, keep: Iterable[Node] = ()) -> Graph:
    """A copy of a shapes graph with every shape's severity, except those in `keep`, a warning."""
    out = Graph()
    for t in g:
        out.add(t)
    for shape in _shape_nodes(g) - set(keep):
        out.remove((shape, SH.severity, None))
        out.add((shape, SH.severity, SH.Warning))
    return out


@cache
def profile_shapes(level: str = "full") -> Graph:
    """The shapes graph of the hdcat profile at a level ("full" or "core").

    At level "core" only DCAT-AP's mandatory properties (the property shapes of core.ttl
    with a sh:minCount) are violations; every other rule of the profile is a warning.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown validation level {level!r} (use one of {', '.join(LEVELS)})")
    root = resources.shapes_dir()
    layers = [
        _load([root / "core.ttl"]),
        _load([root / "healthdcat.ttl"]),
        _load([root / "recommended.ttl"]),
        _load([root / "health.ttl"]),
    ]
    if level == "core":
        mandatory = _mandatory(layers[0])
        layers = [downgrade(layers[0], keep=mandatory)] + [downgrade(g) for g in layers[1:]]
    shapes = Graph()
    for g in layers:
        for t in g:
            shapes.add(t)
        for prefix, ns in g.namespaces():
            shapes.bind(prefix, ns, override=False)
    return shapes


@cache
def inverse_links() -> dict[str, frozenset[str]]:
    """Class IRI -> the predicates whose links *to* an instance the profile's rules look at
    (`sh:path [ sh:inversePath p ]` in a property of a shape targeting the class): what a
    record's data graph must bring from other records (e.g. the members of a series).
    The same at every level (a level only changes severities)."""
    sg = profile_shapes("full")
    found: dict[str, set[str]] = {}
    for shape, cls in sg.subject_objects(SH.targetClass):
        for prop in sg.objects(shape, SH.property):
            path = sg.value(prop, SH.path)
            inverse = sg.value(path, SH.inversePath) if isinstance(path, BNode) else None
            if isinstance(inverse, URIRef):
                found.setdefault(str(cls), set()).add(str(inverse))
    return {cls: frozenset(preds) for cls, preds in found.items()}


def parse_report(report: Graph) -> list[Result]:
    results = []
    # Only the report's own results: pySHACL also types nested sh:detail results.
    top = [
        n
        for r in report.subjects(RDF.type, SH.ValidationReport)
        for n in report.objects(r, SH.result)
    ]
    for node in top:
        messages: dict[str, str] = {}
        for msg in report.objects(node, SH.resultMessage):
            messages.setdefault(getattr(msg, "language", None) or "", str(msg))
        severity = report.value(node, SH.resultSeverity)
        results.append(
            Result(
                focus=report.value(node, SH.focusNode),
                path=report.value(node, SH.resultPath),
                value=report.value(node, SH.value),
                component=report.value(node, SH.sourceConstraintComponent),
                severity=_SEVERITY_NAMES.get(severity, str(severity)),
                shape=report.value(node, SH.sourceShape),
                messages=messages,
            )
        )
    results.sort(key=lambda r: (r.severity != "Violation", _n3(r.focus), _short(r.path)))
    return results


Engine = Literal["fast", "pyshacl"]
ENGINES: tuple[str, ...] = ("fast", "pyshacl")


def validate_graph(
    data: Graph,
    shapes: Graph,
    focus: Iterable[Node] | None = None,
    engine: str = "pyshacl",
) -> list[Result]:
    """Validate a data graph; keep only the results about the given focus nodes.

    `engine="fast"` uses hdcat.fastshacl (same verdicts, compiled shapes, pySHACL only for the
    shapes it cannot compile); `engine="pyshacl"` runs pySHACL on the whole shapes graph.
    With pySHACL the filtering is done on the report: its own `focus_nodes` option also
    restricts the nodes that nested shapes (sh:or, sh:not) look at, which turns correct values
    into violations.
    """
    if engine == "fast":
        from hdcat.fastshacl import fast_validator

        return fast_validator(shapes).validate(data, None if focus is None else set(focus))
    if engine != "pyshacl":
        raise ValueError(f"unknown validation engine {engine!r} (use one of {', '.join(ENGINES)})")
    _conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    results = parse_report(report)
    if focus is not None:
        wanted = set(focus)
        results = [r for r in results if r.focus in wanted]
    return results


_RANGE_COMPONENTS = {
    SH.ClassConstraintComponent,
    SH.NodeConstraintComponent,
    SH.OrConstraintComponent,
    SH.XoneConstraintComponent,
}
_UNDESCRIBED = {
    "en": "Not checked: {value} is not described in this document, so its type is unknown.",
    "zh": "未检查:本文档没有描述 {value},无法判断其类型。",
}


def soften_external_references(results: list[Result], data: Graph) -> list[Result]:
    """Range results (class, node shape) on resources the document does not describe, as warnings.

    Foreign metadata often points to resources described elsewhere (an FDP dataset's
    distributions live in their own documents); their type cannot be judged from here.
    """
    out = []
    for r in results:
        if (
            r.severity == "Violation"
            and r.component in _RANGE_COMPONENTS
            and isinstance(r.value, URIRef)
            and (r.value, None, None) not in data
        ):
            messages = {lang: text.format(value=r.value) for lang, text in _UNDESCRIBED.items()}
            r = Result(r.focus, r.path, r.value, r.component, "Warning", r.shape, messages)
        out.append(r)
    return out
