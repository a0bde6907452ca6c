"""A fast SHACL Core validator with pySHACL's verdicts.

The shapes graph is compiled once into Python closures (one per constraint, one per property
path). A batch of records is indexed once (subject -> predicate -> objects, and the inverse,
built lazily), and every shape with targets is run on its focus nodes. The report model is
`hdcat.validation.Result`, with `engine="fast"`.

Semantics follow pySHACL 0.40 as hdcat calls it (`advanced=True, allow_warnings=True`):

* a nested shape (sh:node) fails when it gives any result at all, of any severity;
* the logical components (sh:or/and/not/xone) and qualified value shapes test *conformance*,
  where a shape of severity sh:Warning or sh:Info always conforms, and a property shape's
  results count through that property shape's own conformance;
* a result's severity is the severity of the shape that produced it;
* sh:deactivated shapes give nothing (and conform when nested);
* literal datatype checks use rdflib's lexical conversion (as pySHACL does), so an ill-typed
  lexical form such as ``"abc"^^xsd:integer`` fails, and the rdflib quirks are kept;
* sh:languageIn matches a tag or its first subtag, case-insensitively.

Shapes that use a construct this engine does not compile (sh:sparql, sh:equals, sh:disjoint,
sh:lessThan, sh:lessThanOrEquals, sh:target, sh:expression, sh:js ...) are not skipped: the
top-level shape that reaches them is validated by pySHACL, and its results carry
``engine="pyshacl"``.
"""

from __future__ import annotations

import datetime
import logging
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from hdcat.terms import to_oxigraph, to_rdflib, triples_to_graph
from hdcat.validation import Result, validate_graph

__all__ = ["DescribedSubjects", "FastValidator", "Unsupported", "fast_validator"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_RDF_LANGSTRING = str(RDF.langString)
_RDFS_LITERAL = str(RDFS.Literal)
_RDFS_DATATYPE = str(RDFS.Datatype)
_OX_TYPE = ox.NamedNode(str(RDF.type))
_OX_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_LENIENT = {"Warning", "Info"}

# SHACL parameters that pySHACL evaluates and this engine does not compile.
_UNSUPPORTED = {
    SH.sparql, SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.target,
    SH.expression, SH.js, SH.rule,
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

Raw = tuple  # (focus, value | None, component, shape, path override | None)
Check = Callable[["_Context", Any, Any, list], None]


class Unsupported(Exception):
    """A construct the fast engine does not compile; the shape goes to pySHACL."""


# --------------------------------------------------------------------------------- data
class _Context:
    """One validation run: the indexed data and the memo of nested verdicts."""

    __slots__ = ("out", "_inv", "by_type", "_sub", "_super", "memo_node", "memo_conf", "triples",
                 "sub_of")

    def __init__(self, triples: list, terms: bool = False) -> None:
        """`triples`: (s, p, o) tuples, or with `terms` pyoxigraph Triples / Quads."""
        out: dict = {}
        by_type: dict = {}
        sub_of: dict = {}  # rdfs:subClassOf, inverted: class -> its direct subclasses
        out_get = out.get
        for t in triples:
            if terms:
                s = t.subject
                p = t.predicate
                o = t.object
            else:
                s, p, o = t
            ps = out_get(s)
            if ps is None:
                ps = out[s] = {}
            objs = ps.get(p)
            if objs is None:
                objs = ps[p] = {}
            objs[o] = None
            if p == _OX_TYPE:
                by_type.setdefault(o, {})[s] = None
            elif p == _OX_SUBCLASS:
                sub_of.setdefault(o, {})[s] = None
        self.triples = triples
        self.out = out
        self.by_type = by_type
        self.sub_of = sub_of
        self._inv: dict | None = None
        self._sub: dict = {}
        self._super: dict = {}
        self.memo_node: dict = {}
        self.memo_conf: dict = {}

    @property
    def inv(self) -> dict:
        if self._inv is None:
            inv: dict = {}
            for s, ps in self.out.items():
                for p, objs in ps.items():
                    for o in objs:
                        ss = inv.get(o)
                        if ss is None:
                            ss = inv[o] = {}
                        subj = ss.get(p)
                        if subj is None:
                            subj = ss[p] = {}
                        subj[s] = None
            self._inv = inv
        return self._inv

    def objects(self, s: Any, p: Any) -> Iterable:
        ps = self.out.get(s)
        if ps is None:
            return ()
        return ps.get(p, ())

    def subjects(self, p: Any, o: Any) -> Iterable:
        ps = self.inv.get(o)
        if ps is None:
            return ()
        return ps.get(p, ())

    def superclasses(self, cls: Any) -> set:
        """cls and everything it is an rdfs:subClassOf*, in the data graph."""
        found = self._super.get(cls)
        if found is None:
            found = {cls}
            todo = [cls]
            while todo:
                for sup in self.objects(todo.pop(), _OX_SUBCLASS):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self._super[cls] = found
        return found

    def instances(self, cls: Any) -> dict:
        """The instances of cls or of its rdfs:subClassOf* subclasses."""
        found = self._sub.get(cls)
        if found is None:
            classes = {cls}
            todo = [cls]
            sub_of = self.sub_of
            while todo:
                for sub in sub_of.get(todo.pop(), ()):
                    if sub not in classes:
                        classes.add(sub)
                        todo.append(sub)
            found = dict(self.by_type.get(cls, {}))
            for c in classes - {cls}:
                found.update(self.by_type.get(c, {}))
            self._sub[cls] = found
        return found

    def is_instance(self, node: Any, cls: Any) -> bool:
        types = self.objects(node, _OX_TYPE)
        if cls in types:
            return True
        return any(cls in self.superclasses(t) for t in types)


# --------------------------------------------------------------------------------- literals
_PLAIN_FORMS = {
    _XSD + "date": (re.compile(r"\d{4}-\d{2}-\d{2}"), datetime.date.fromisoformat),
    _XSD + "dateTime": (
        re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})?"),
        datetime.datetime.fromisoformat),
    _XSD + "integer": (re.compile(r"[+-]?\d{1,18}"), int),
}
"""The everyday lexical forms of some datatypes, which rdflib certainly accepts: judged without
building an rdflib Literal (tens of microseconds, and every timestamp is new)."""


def _plainly_ok(lexical: str, datatype: str) -> bool:
    form = _PLAIN_FORMS.get(datatype)
    if form is None or not form[0].fullmatch(lexical):
        return False
    try:
        form[1](lexical)
    except ValueError:  # e.g. 2023-02-30: left to rdflib
        return False
    return True


@lru_cache(maxsize=65536)
def _lexical_ok(lexical: str, datatype: str) -> bool:
    """Whether rdflib (hence pySHACL) takes the lexical form as a valid value of the datatype."""
    return _plainly_ok(lexical, datatype) or _rdflib_lexical_ok(lexical, datatype)


def _rdflib_lexical_ok(lexical: str, datatype: str) -> bool:
    root = logging.getLogger("rdflib.term")
    was = root.disabled
    root.disabled = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lit = Literal(lexical, datatype=URIRef(datatype), normalize=False)
    finally:
        root.disabled = was
    if getattr(lit, "ill_typed", None) is True:
        return False
    value = lit.value
    name = datatype[len(_XSD):] if datatype.startswith(_XSD) else None
    checks: dict[str, Callable[[Any], bool]] = {
        "integer": lambda v: isinstance(v, int),
        "float": lambda v: isinstance(v, float),
        "decimal": lambda v: isinstance(v, Decimal),
        "boolean": lambda v: isinstance(v, bool),
    }
    if name in checks:
        return checks[name](value)
    if name in ("date", "time", "dateTime"):
        kind = {"date": datetime.date, "time": datetime.time, "dateTime": datetime.datetime}[name]
        return isinstance(value, kind)
    return True


def _datatype_ok(v: Any, dt: str) -> bool:
    if not isinstance(v, ox.Literal):
        return False
    if dt == _RDFS_LITERAL:
        return True
    if v.language:
        return dt == _RDF_LANGSTRING
    ldt = v.datatype.value
    if ldt == _XSD_STRING:
        return dt == _XSD_STRING
    if ldt == dt:
        return _lexical_ok(v.value, dt)
    return dt == _RDFS_DATATYPE


def _text(v: Any) -> str:
    return v.value


def _py_value(v: Any) -> Any:
    lit = to_rdflib(v)
    return lit.value if lit.value is not None else str(lit)


def _compare(v: Any, bound: Any, ok: Callable[[Any, Any], bool]) -> bool:
    if not isinstance(v, ox.Literal):
        return False
    a, b = _py_value(v), _py_value(bound)
    if isinstance(a, str) != isinstance(b, str):
        return False
    try:
        return bool(ok(a, b))
    except TypeError:
        return False


_DEFAULT_MESSAGES = {
    "Class": "Value is not an instance of the required class",
    "Datatype": "Value is not a literal of the required datatype",
    "NodeKind": "Value is not of the required node kind",
    "MinCount": "Fewer values than the minimum count",
    "MaxCount": "More values than the maximum count",
    "MinLength": "Value is shorter than the minimum length",
    "MaxLength": "Value is longer than the maximum length",
    "Pattern": "Value does not match the pattern",
    "In": "Value is not in the list of allowed values",
    "HasValue": "The required value is missing",
    "LanguageIn": "Value's language tag is not allowed",
    "UniqueLang": "More than one value has the same language tag",
    "Node": "Value does not conform to the node shape",
    "Or": "Value conforms to none of the shapes of sh:or",
    "And": "Value does not conform to all the shapes of sh:and",
    "Not": "Value conforms to the shape of sh:not",
    "Xone": "Value does not conform to exactly one shape of sh:xone",
    "QualifiedMinCount": "Too few values conform to the qualified value shape",
    "QualifiedMaxCount": "Too many values conform to the qualified value shape",
    "Closed": "Property is not allowed by the closed shape",
}


def _default_message(component: URIRef) -> dict[str, str]:
    name = str(component)[len(str(SH)):].removesuffix("ConstraintComponent")
    text = _DEFAULT_MESSAGES.get(name, f"{name} constraint not satisfied")
    return {"": f"{text} (sh:{name}ConstraintComponent)"}


# --------------------------------------------------------------------------------- shapes
@dataclass(eq=False)
class _Shape:
    node: Node
    path: Callable[[_Context, Any], Iterable] | None = None
    path_node: Node | None = None
    severity: str = "Violation"
    messages: dict[str, str] = field(default_factory=dict)
    deactivated: bool = False
    checks: list[tuple[Check, _Shape | None]] = field(default_factory=list)
    lenient: bool = False
    pred: ox.NamedNode | None = None
    """The predicate, when the path is a plain predicate (looked up inline: the hot path)."""

    @cached_property
    def plan(self) -> list[tuple[ox.NamedNode | None, Any]]:
        """The checks run when there are values: `(None, check)`, or `(predicate, shape)` for a
        property shape of a plain predicate, which _eval runs inline (most of the profile's
        work; a call less per property). Deactivated property shapes are left out."""
        return [
            (sub.pred, sub) if sub is not None and sub.pred is not None else (None, check)
            for check, sub in self.checks
            if sub is None or not sub.deactivated
        ]

    @cached_property
    def tests(self) -> list[Callable[[_Context, Any], bool]] | None:
        """For a shape on the focus node itself whose every check is a test of one value
        (sh:datatype, sh:class, sh:or of such shapes...): those tests. Such a shape gives a
        result exactly when a test fails, so conformance needs no result list or memo."""
        found = [getattr(c, "test", None) for c, _s in self.checks]
        return found if self.path is None and None not in found else None

    @cached_property
    def when_empty(self) -> list[tuple[Check, _Shape | None]]:
        """The checks that can say something of a focus node without values (sh:minCount,
        sh:hasValue, qualified counts): the others need values, so they are skipped."""
        return [(c, s) for c, s in self.checks if not getattr(c, "needs_values", False)]

    def values(self, ctx: _Context, focus: Any) -> Iterable:
        if self.pred is not None:
            ps = ctx.out.get(focus)
            return () if ps is None else ps.get(self.pred, ())
        return (focus,) if self.path is None else self.path(ctx, focus)


def _uniq(items: Iterable) -> list:
    return list(dict.fromkeys(items))


class _Compiler:
    def __init__(self, sg: Graph, engine: FastValidator) -> None:
        self.sg = sg
        self.engine = engine
        self.shapes: dict[Node, _Shape] = {}

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.sg, node))

    def one(self, node: Node, pred: URIRef) -> Node | None:
        return next(iter(self.sg.objects(node, pred)), None)

    # -- paths
    def path(self, p: Node, inverse: bool = False) -> Callable[[_Context, Any], Iterable]:
        sg = self.sg
        if isinstance(p, URIRef):
            pred = ox.NamedNode(str(p))
            if inverse:
                return lambda ctx, n: ctx.subjects(pred, n)
            return lambda ctx, n: ctx.objects(n, pred)
        if (p, RDF.first, None) in sg:
            steps = [self.path(s, inverse) for s in self.items(p)]
            if inverse:
                steps.reverse()

            def seq(ctx: _Context, n: Any) -> list:
                nodes = [n]
                for step in steps:
                    nodes = _uniq(v for x in nodes for v in step(ctx, x))
                return nodes

            return seq
        inner = self.one(p, SH.inversePath)
        if inner is not None:
            return self.path(inner, not inverse)
        inner = self.one(p, SH.alternativePath)
        if inner is not None:
            alts = [self.path(s, inverse) for s in self.items(inner)]
            return lambda ctx, n: _uniq(v for a in alts for v in a(ctx, n))
        for pred, min_one, many in (
            (SH.zeroOrMorePath, False, True),
            (SH.oneOrMorePath, True, True),
            (SH.zeroOrOnePath, False, False),
        ):
            inner = self.one(p, pred)
            if inner is not None:
                return self._repeat(self.path(inner, inverse), min_one, many)
        raise Unsupported(f"property path {p!r}")

    @staticmethod
    def _repeat(step: Callable, min_one: bool, many: bool) -> Callable[[_Context, Any], list]:
        def run(ctx: _Context, n: Any) -> list:
            found: dict = {} if min_one else {n: None}
            todo = [n]
            while todo:
                x = todo.pop()
                for v in step(ctx, x):
                    if v not in found:
                        found[v] = None
                        if many:
                            todo.append(v)
            return list(found)

        return run

    # -- shapes
    def shape(self, node: Node) -> _Shape:
        shape = self.shapes.get(node)
        if shape is not None:
            return shape
        shape = _Shape(node)
        self.shapes[node] = shape  # before compiling: recursion
        try:
            self._build(shape, node)
        except Unsupported:
            self.shapes.pop(node, None)
            raise
        return shape

    def _build(self, shape: _Shape, node: Node) -> None:
        sg = self.sg
        sev = self.one(node, SH.severity)
        shape.severity = _SEVERITY.get(sev, str(sev)) if sev is not None else "Violation"
        shape.lenient = shape.severity in _LENIENT
        for msg in sg.objects(node, SH.message):
            shape.messages.setdefault(getattr(msg, "language", None) or "", str(msg))
        deact = self.one(node, SH.deactivated)
        shape.deactivated = deact is not None and bool(getattr(deact, "value", False))
        path = self.one(node, SH.path)
        if path is not None:
            shape.path_node = path
            shape.path = self.path(path)
            if isinstance(path, URIRef):
                shape.pred = ox.NamedNode(str(path))
        preds = set(sg.predicates(node, None))
        bad = preds & _UNSUPPORTED
        if bad:
            raise Unsupported(", ".join(sorted(str(b) for b in bad)))
        for pred in preds:
            builder = getattr(self, "c_" + str(pred)[len(str(SH)):], None) if str(pred).startswith(
                str(SH)) else None
            if builder is not None:
                builder(shape, node)

    def add(self, shape: _Shape, component: URIRef, test: Callable[[_Context, Any], bool]) -> None:
        """A per-value constraint: a result for each value node that fails `test`."""

        def check(ctx: _Context, focus: Any, values: Iterable, out: list) -> None:
            for v in values:
                if not test(ctx, v):
                    out.append((focus, v, component, shape, None))

        check.needs_values = True  # type: ignore[attr-defined]
        check.test = test  # type: ignore[attr-defined]
        shape.checks.append((check, None))

    # -- value type
    def c_class(self, shape: _Shape, node: Node) -> None:
        for cls in self.sg.objects(node, SH["class"]):
            c = to_oxigraph(cls)
            self.add(shape, SH.ClassConstraintComponent,
                     lambda ctx, v, c=c: not isinstance(v, ox.Literal) and ctx.is_instance(v, c))

    def c_datatype(self, shape: _Shape, node: Node) -> None:
        dt = str(self.one(node, SH.datatype))
        self.add(shape, SH.DatatypeConstraintComponent, lambda ctx, v: _datatype_ok(v, dt))

    def c_nodeKind(self, shape: _Shape, node: Node) -> None:
        kind = self.one(node, SH.nodeKind)
        allowed = {
            SH.IRI: (ox.NamedNode,), SH.BlankNode: (ox.BlankNode,), SH.Literal: (ox.Literal,),
            SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode),
            SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
            SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
        }.get(kind)
        if allowed is None:
            raise Unsupported(f"sh:nodeKind {kind}")
        self.add(shape, SH.NodeKindConstraintComponent, lambda ctx, v: isinstance(v, allowed))

    # -- cardinality
    def c_minCount(self, shape: _Shape, node: Node) -> None:
        n = int(self.one(node, SH.minCount))
        comp = SH.MinCountConstraintComponent

        def check(ctx: _Context, focus: Any, values: Iterable, out: list) -> None:
            if len(values) < n:
                out.append((focus, None, comp, shape, None))

        if n > 0:
            shape.checks.append((check, None))

    def c_maxCount(self, shape: _Shape, node: Node) -> None:
        n = int(self.one(node, SH.maxCount))
        comp = SH.MaxCountConstraintComponent

        def check(ctx: _Context, focus: Any, values: Iterable, out: list) -> None:
            if len(values) > n:
                out.append((focus, None, comp, shape, None))

        check.needs_values = True  # type: ignore[attr-defined]
        shape.checks.append((check, None))

    # -- value range
    def _range(self, shape: _Shape, node: Node, pred: URIRef, comp: URIRef, ok: Callable) -> None:
        for bound in self.sg.objects(node, pred):
            b = to_oxigraph(bound)
            self.add(shape, comp, lambda ctx, v, b=b: _compare(v, b, ok))

    def c_minInclusive(self, shape: _Shape, node: Node) -> None:
        self._range(shape, node, SH.minInclusive, SH.MinInclusiveConstraintComponent,
                    lambda a, b: a >= b)

    def c_maxInclusive(self, shape: _Shape, node: Node) -> None:
        self._range(shape, node, SH.maxInclusive, SH.MaxInclusiveConstraintComponent,
                    lambda a, b: a <= b)

    def c_minExclusive(self, shape: _Shape, node: Node) -> None:
        self._range(shape, node, SH.minExclusive, SH.MinExclusiveConstraintComponent,
                    lambda a, b: a > b)

    def c_maxExclusive(self, shape: _Shape, node: Node) -> None:
        self._range(shape, node, SH.maxExclusive, SH.MaxExclusiveConstraintComponent,
                    lambda a, b: a < b)

    # -- strings
    def c_minLength(self, shape: _Shape, node: Node) -> None:
        for lim in self.sg.objects(node, SH.minLength):
            n = int(lim)
            if n > 0:
                self.add(shape, SH.MinLengthConstraintComponent,
                         lambda ctx, v, n=n: not isinstance(v, ox.BlankNode) and len(_text(v)) >= n)

    def c_maxLength(self, shape: _Shape, node: Node) -> None:
        for lim in self.sg.objects(node, SH.maxLength):
            n = int(lim)
            self.add(shape, SH.MaxLengthConstraintComponent,
                     lambda ctx, v, n=n: not isinstance(v, ox.BlankNode) and len(_text(v)) <= n)

    def c_pattern(self, shape: _Shape, node: Node) -> None:
        flags = 0
        given = self.one(node, SH.flags)
        if given is not None:
            text = str(given).lower()
            flags |= re.I if "i" in text else 0
            flags |= re.M if "m" in text else 0
        for pat in self.sg.objects(node, SH.pattern):
            rx = re.compile(str(pat), flags)
            self.add(shape, SH.PatternConstraintComponent,
                     lambda ctx, v, rx=rx: not isinstance(v, ox.BlankNode)
                     and rx.search(_text(v)) is not None)

    def c_languageIn(self, shape: _Shape, node: Node) -> None:
        for lst in self.sg.objects(node, SH.languageIn):
            wanted = {str(x).lower() for x in self.items(lst)}
            wild = "*" in wanted

            def test(ctx: _Context, v: Any, wanted: set = wanted, wild: bool = wild) -> bool:
                if not isinstance(v, ox.Literal) or not v.language:
                    return False
                lang = v.language.lower()
                return wild or lang in wanted or lang.split("-")[0] in wanted

            self.add(shape, SH.LanguageInConstraintComponent, test)

    def c_uniqueLang(self, shape: _Shape, node: Node) -> None:
        if not any(bool(getattr(x, "value", False)) for x in self.sg.objects(node, SH.uniqueLang)):
            return
        comp = SH.UniqueLangConstraintComponent

        def check(ctx: _Context, focus: Any, values: Iterable, out: list) -> None:
            seen: set = set()
            dups: set = set()
            for v in values:
                if isinstance(v, ox.Literal) and v.language:
                    lang = v.language.lower()
                    (dups if lang in seen else seen).add(lang)
            for _ in dups:
                out.append((focus, None, comp, shape, None))

        check.needs_values = True  # type: ignore[attr-defined]
        shape.checks.append((check, None))

    # -- other
    def c_in(self, shape: _Shape, node: Node) -> None:
        for lst in self.sg.objects(node, SH["in"]):
            allowed = {to_oxigraph(x) for x in self.items(lst)}
            self.add(shape, SH.InConstraintComponent, lambda ctx, v, a=allowed: v in a)

    def c_hasValue(self, shape: _Shape, node: Node) -> None:
        comp = SH.HasValueConstraintComponent
        for value in self.sg.objects(node, SH.hasValue):
            want = to_oxigraph(value)

            def check(ctx: _Context, focus: Any, values: Iterable, out: list,
                      want: Any = want) -> None:
                if want not in values:
                    out.append((focus, None, comp, shape, None))

            shape.checks.append((check, None))

    def c_closed(self, shape: _Shape, node: Node) -> None:
        if not bool(getattr(self.one(node, SH.closed), "value", False)):
            return
        allowed = set()
        for prop in self.sg.objects(node, SH.property):
            p = self.one(prop, SH.path)
            if isinstance(p, URIRef):
                allowed.add(ox.NamedNode(str(p)))
        for lst in self.sg.objects(node, SH.ignoredProperties):
            allowed |= {to_oxigraph(x) for x in self.items(lst)}
        comp = SH.ClosedConstraintComponent

        def check(ctx: _Context, focus: Any, values: Iterable, out: list) -> None:
            for v in values:
                for p, objs in ctx.out.get(v, {}).items():
                    if p not in allowed:
                        path = URIRef(p.value)
                        for o in objs:
                            out.append((focus, o, comp, shape, path))

        check.needs_values = True  # type: ignore[attr-defined]
        shape.checks.append((check, None))

    # -- shape-based
    def c_property(self, shape: _Shape, node: Node) -> None:
        engine = self.engine
        for prop in self.sg.objects(node, SH.property):
            sub = self.shape(prop)

            def check(ctx: _Context, focus: Any, values: Iterable, out: list,
                      sub: _Shape = sub) -> None:
                for v in values:
                    engine._eval(ctx, sub, v, out)

            check.needs_values = True  # type: ignore[attr-defined]
            shape.checks.append((check, sub))

    def c_node(self, shape: _Shape, node: Node) -> None:
        engine = self.engine
        for target in self.sg.objects(node, SH.node):
            sub = self.shape(target)
            self.add(shape, SH.NodeConstraintComponent,
                     lambda ctx, v, sub=sub: not engine._fails(ctx, sub, v))

    def _logic(self, shape: _Shape, node: Node, pred: URIRef, comp: URIRef,
               verdict: Callable[[Iterable[bool]], bool]) -> None:
        engine = self.engine
        for lst in self.sg.objects(node, pred):
            members = [self.shape(m) for m in self.items(lst)]
            self.add(shape, comp, lambda ctx, v, ms=members: verdict(
                engine._conforms(ctx, m, v) for m in ms))

    def c_or(self, shape: _Shape, node: Node) -> None:
        self._logic(shape, node, SH["or"], SH.OrConstraintComponent, any)

    def c_and(self, shape: _Shape, node: Node) -> None:
        self._logic(shape, node, SH["and"], SH.AndConstraintComponent, all)

    def c_xone(self, shape: _Shape, node: Node) -> None:
        self._logic(shape, node, SH.xone, SH.XoneConstraintComponent, lambda r: sum(r) == 1)

    def c_not(self, shape: _Shape, node: Node) -> None:
        engine = self.engine
        for target in self.sg.objects(node, SH["not"]):
            sub = self.shape(target)
            self.add(shape, SH.NotConstraintComponent,
                     lambda ctx, v, sub=sub: not engine._conforms(ctx, sub, v))

    def c_qualifiedValueShape(self, shape: _Shape, node: Node) -> None:
        sg = self.sg
        engine = self.engine
        low = self.one(node, SH.qualifiedMinCount)
        high = self.one(node, SH.qualifiedMaxCount)
        disjoint = bool(getattr(self.one(node, SH.qualifiedValueShapesDisjoint), "value", False))
        for q in sg.objects(node, SH.qualifiedValueShape):
            qshape = self.shape(q)
            siblings: list[_Shape] = []
            if disjoint:
                for parent in sg.subjects(SH.property, node):
                    for prop in sg.objects(parent, SH.property):
                        for sib in sg.objects(prop, SH.qualifiedValueShape):
                            if sib != q:
                                siblings.append(self.shape(sib))
                siblings = _uniq(siblings)

            def check(ctx: _Context, focus: Any, values: Iterable, out: list,
                      qshape: _Shape = qshape, siblings: list = siblings) -> None:
                n = 0
                for v in values:
                    if engine._conforms(ctx, qshape, v) and not any(
                        engine._conforms(ctx, s, v) for s in siblings
                    ):
                        n += 1
                if high is not None and n > int(high):
                    out.append((focus, None, SH.QualifiedMaxCountConstraintComponent, shape, None))
                if low is not None and n < int(low):
                    out.append((focus, None, SH.QualifiedMinCountConstraintComponent, shape, None))

            shape.checks.append((check, None))


# --------------------------------------------------------------------------------- engine
@dataclass
class _Top:
    shape: _Shape
    classes: list = field(default_factory=list)
    nodes: list = field(default_factory=list)
    subjects_of: list = field(default_factory=list)
    objects_of: list = field(default_factory=list)


class FastValidator:
    """SHACL Core validation of record batches, compiled once per shapes graph."""

    def __init__(self, shapes_graph: Graph) -> None:
        self.shapes_graph = shapes_graph
        compiler = _Compiler(shapes_graph, self)
        self.top: list[_Top] = []
        self.fallback: list[Node] = []
        self.unsupported: dict[Node, str] = {}
        sg = shapes_graph
        candidates = set()
        for pred in _TARGETS:
            candidates |= set(sg.subjects(pred, None))
        classes = {RDFS.Class} | set(sg.transitive_subjects(RDFS.subClassOf, RDFS.Class))
        for kind in (SH.NodeShape, SH.PropertyShape):
            for s in sg.subjects(RDF.type, kind):
                if any((s, RDF.type, c) in sg for c in classes):
                    candidates.add(s)
        for node in sorted(candidates, key=str):
            try:
                shape = compiler.shape(node)
            except Unsupported as why:
                self.fallback.append(node)
                self.unsupported[node] = str(why)
                compiler.shapes.pop(node, None)
                continue
            if shape.deactivated:
                continue
            top = _Top(shape)
            top.classes = [to_oxigraph(c) for c in sg.objects(node, SH.targetClass)]
            if any((node, RDF.type, c) in sg for c in classes):
                top.classes.append(to_oxigraph(node))
            top.nodes = [to_oxigraph(n) for n in sg.objects(node, SH.targetNode)]
            top.subjects_of = [to_oxigraph(n) for n in sg.objects(node, SH.targetSubjectsOf)]
            top.objects_of = [to_oxigraph(n) for n in sg.objects(node, SH.targetObjectsOf)]
            self.top.append(top)
        # A shape compiled before a failure deeper in its closure may be half built: recompile
        # the fast ones cleanly if anything fell back.
        if self.fallback:
            self._rebuild()
        self._fallback_graph: Graph | None = None

    def _rebuild(self) -> None:
        while True:
            compiler = _Compiler(self.shapes_graph, self)
            try:
                for top in self.top:
                    top.shape = compiler.shape(top.shape.node)
                return
            except Unsupported as why:
                node = top.shape.node
                self.fallback.append(node)
                self.unsupported[node] = str(why)
                self.top.remove(top)

    # -- evaluation
    def _eval(self, ctx: _Context, shape: _Shape, focus: Any, out: list) -> None:
        if shape.deactivated:
            return
        pred = shape.pred
        index = ctx.out
        if pred is not None:
            ps = index.get(focus)
            values = () if ps is None else ps.get(pred, ())
        else:
            values = shape.values(ctx, focus)
        if not values:
            for check, _sub in shape.when_empty:
                check(ctx, focus, values, out)
            return
        for p, item in shape.plan:
            if p is None:
                item(ctx, focus, values, out)
                continue
            for v in values:  # = self._eval(ctx, item, v, out), inline
                ps = index.get(v)
                vals = () if ps is None else ps.get(p, ())
                for check, _sub in (item.checks if vals else item.when_empty):
                    check(ctx, v, vals, out)

    def _fails(self, ctx: _Context, shape: _Shape, v: Any) -> bool:
        """sh:node: the value gives at least one result (any severity) against the shape."""
        if shape.deactivated:
            return False
        tests = shape.tests
        if tests is not None:
            return not all(test(ctx, v) for test in tests)
        key = (id(shape), v)
        verdict = ctx.memo_node.get(key)
        if verdict is None:
            tmp: list = []
            self._eval(ctx, shape, v, tmp)
            verdict = ctx.memo_node[key] = bool(tmp)
        return verdict

    def _conforms(self, ctx: _Context, shape: _Shape, v: Any) -> bool:
        """Conformance as pySHACL's logical and qualified components see it."""
        if shape.deactivated or shape.lenient:
            return True
        tests = shape.tests
        if tests is not None:
            return all(test(ctx, v) for test in tests)
        key = (id(shape), v)
        verdict = ctx.memo_conf.get(key)
        if verdict is not None:
            return verdict
        verdict = True
        pred = shape.pred
        if pred is not None:
            ps = ctx.out.get(v)
            values = () if ps is None else ps.get(pred, ())
        else:
            values = shape.values(ctx, v)
        for check, sub in (shape.checks if values else shape.when_empty):
            if sub is not None:
                if not all(self._conforms(ctx, sub, x) for x in values):
                    verdict = False
                    break
            else:
                tmp: list = []
                check(ctx, v, values, tmp)
                if tmp:
                    verdict = False
                    break
        ctx.memo_conf[key] = verdict
        return verdict

    def _focus_nodes(self, ctx: _Context, top: _Top, focus: set | None) -> list:
        if focus is not None:
            return self._wanted_focus_nodes(ctx, top, focus)
        found: dict = {}
        for n in top.nodes:
            found[n] = None
        for c in top.classes:
            found.update(ctx.instances(c))
        for p in top.subjects_of:
            for s, ps in ctx.out.items():
                if p in ps:
                    found[s] = None
        for p in top.objects_of:
            for ps in ctx.out.values():
                for o in ps.get(p, ()):
                    found[o] = None
        return list(found)

    @staticmethod
    def _wanted_focus_nodes(ctx: _Context, top: _Top, focus: set) -> list:
        """The targets of a shape that are in `focus`, looked up from the smaller side (the
        order they come in does not change the results: each focus node's results come in
        the order of the shapes, and the results are sorted by focus node in the end)."""
        found: dict = {}
        for n in top.nodes:
            if n in focus:
                found[n] = None
        for c in top.classes:
            inst = ctx.instances(c)
            if len(inst) > len(focus):
                for n in focus:
                    if n in inst:
                        found[n] = None
            else:
                for n in inst:
                    if n in focus:
                        found[n] = None
        out = ctx.out
        for p in top.subjects_of:
            for n in focus:
                ps = out.get(n)
                if ps is not None and p in ps:
                    found[n] = None
        for p in top.objects_of:
            for ps in out.values():
                for o in ps.get(p, ()):
                    if o in focus:
                        found[o] = None
        return list(found)

    def validate(
        self,
        data_triples: Iterable[ox.Triple] | Graph,
        focus: set | None = None,
    ) -> list[Result]:
        """Validate a data graph (pyoxigraph triples or quads, or an rdflib Graph).

        Only results whose focus node is in `focus` (rdflib or pyoxigraph terms) are kept.
        """
        back: dict = {}
        graph: Graph | None = None
        if isinstance(data_triples, Graph):
            graph = data_triples
            triples = []
            for s, p, o in graph:
                oo = to_oxigraph(o)
                if isinstance(o, Literal):
                    back[oo] = o
                triples.append((to_oxigraph(s), to_oxigraph(p), oo))
        else:
            data_triples = list(data_triples)
            triples = data_triples
        wanted: set | None = None
        if focus is not None:
            wanted = {to_oxigraph(f) if isinstance(f, Node) else f for f in focus}
        ctx = _Context(triples, terms=graph is None)
        raw: list = []
        for top in self.top:
            for f in self._focus_nodes(ctx, top, wanted):
                self._eval(ctx, top.shape, f, raw)

        converted: dict = {}

        def rd(term: Any) -> Node | None:
            if term is None:
                return None
            got = back.get(term)
            if got is None:
                got = converted.get(term)
                if got is None:
                    got = converted[term] = to_rdflib(term)
            return got

        results = []
        seen: set = set()
        for f, v, comp, shape, path in raw:
            key = (f, v, comp, id(shape), path)
            if key in seen:
                continue
            seen.add(key)
            results.append(Result(
                focus=rd(f),
                path=path if path is not None else shape.path_node,
                value=rd(v),
                component=comp,
                severity=shape.severity,
                shape=shape.node,
                messages=dict(shape.messages) or _default_message(comp),
                engine="fast",
            ))
        if self.fallback:
            if graph is None:
                graph = triples_to_graph(data_triples)
            rfocus = None if focus is None else {
                f if isinstance(f, Node) else to_rdflib(f) for f in focus}
            results.extend(validate_graph(graph, self._fallback_shapes(), focus=rfocus,
                                          engine="pyshacl"))
        results.sort(key=lambda r: (r.severity != "Violation", str(r.focus), str(r.path)))
        return results

    def _fallback_shapes(self) -> Graph:
        """The shapes pySHACL judges: the fallback shapes and everything they reach, with the
        targets of the fast engine's shapes removed (so nothing is reported twice)."""
        if self._fallback_graph is None:
            sg = self.shapes_graph
            out = Graph()
            done: set = set()
            todo = list(self.fallback)
            while todo:
                node = todo.pop()
                if node in done:
                    continue
                done.add(node)
                for _s, p, o in sg.triples((node, None, None)):
                    if p in _TARGETS and node not in self.fallback:
                        continue
                    out.add((node, p, o))
                    if isinstance(o, BNode) or (isinstance(o, URIRef) and (o, None, None) in sg):
                        todo.append(o)
            for prefix, ns in sg.namespaces():
                out.bind(prefix, ns, override=False)
            self._fallback_graph = out
        return self._fallback_graph


class DescribedSubjects:
    """`(node, None, None) in it` for pyoxigraph triples, as an rdflib Graph answers it."""

    def __init__(self, triples: Sequence[ox.Triple]) -> None:
        """`triples` is read when the first question comes (a sequence, not a one-shot
        iterator: most reports ask nothing)."""
        self._triples = triples
        self._subjects: set | None = None

    def __contains__(self, pattern: tuple) -> bool:
        if self._subjects is None:
            self._subjects = {t.subject for t in self._triples}
        node = pattern[0]
        return (to_oxigraph(node) if isinstance(node, Node) else node) in self._subjects


_CACHE: dict[int, tuple[Graph, int, FastValidator]] = {}


def fast_validator(shapes_graph: Graph) -> FastValidator:
    """The compiled validator of a shapes graph (cached while the graph is unchanged)."""
    hit = _CACHE.get(id(shapes_graph))
    if hit is not None and hit[0] is shapes_graph and hit[1] == len(shapes_graph):
        return hit[2]
    validator = FastValidator(shapes_graph)
    _CACHE[id(shapes_graph)] = (shapes_graph, len(shapes_graph), validator)
    return validator
