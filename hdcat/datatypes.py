"""Restoring the datatypes the profile declares, which Oxigraph normalises away.

Oxigraph stores every integer-derived literal as xsd:integer ("5"^^xsd:nonNegativeInteger is
read back as "5"^^xsd:integer). DCAT-AP and HealthDCAT-AP require xsd:nonNegativeInteger for
dcat:byteSize, healthdcatap:numberOfRecords and others, so records read from the store get the
datatype the profile's shapes declare for the property back, when the value fits it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SH, XSD

from hdcat import resources

_XSD = str(XSD)
XSD_INTEGER = _XSD + "integer"

# Integer-derived datatypes and the range of values each admits (None: unbounded).
INTEGER_TYPES: dict[str, tuple[int | None, int | None]] = {
    _XSD + "nonNegativeInteger": (0, None),
    _XSD + "positiveInteger": (1, None),
    _XSD + "nonPositiveInteger": (None, 0),
    _XSD + "negativeInteger": (None, -1),
    _XSD + "long": (-(2**63), 2**63 - 1),
    _XSD + "int": (-(2**31), 2**31 - 1),
    _XSD + "short": (-(2**15), 2**15 - 1),
    _XSD + "byte": (-128, 127),
    _XSD + "unsignedLong": (0, 2**64 - 1),
    _XSD + "unsignedInt": (0, 2**32 - 1),
    _XSD + "unsignedShort": (0, 2**16 - 1),
    _XSD + "unsignedByte": (0, 255),
}


def declared_datatypes(shapes: Iterable[Graph]) -> dict[str, str]:
    """Property IRI -> integer-derived datatype, from `sh:path P ; sh:datatype D` in the shapes."""
    found: dict[str, str] = {}
    for graph in shapes:
        for shape, datatype in graph.subject_objects(SH.datatype):
            if str(datatype) not in INTEGER_TYPES:
                continue
            for path in graph.objects(shape, SH.path):
                if not isinstance(path, type(SH.path)):
                    continue
                found[str(path)] = str(datatype)
    return found


@cache
def profile_datatypes() -> dict[str, ox.NamedNode]:
    graphs = []
    for path in sorted(resources.shapes_dir().glob("*.ttl")):
        g = Graph()
        g.parse(path, format="turtle")
        graphs.append(g)
    return {p: ox.NamedNode(d) for p, d in declared_datatypes(graphs).items()}


def _fits(value: str, datatype: str) -> bool:
    try:
        number = int(value)
    except ValueError:
        return False
    low, high = INTEGER_TYPES[datatype]
    return (low is None or number >= low) and (high is None or number <= high)


def restore(
    triples: Iterable[ox.Triple], declared: dict[str, ox.NamedNode] | None = None
) -> Iterator[ox.Triple]:
    """The triples with xsd:integer literals re-typed as the profile declares for their property."""
    by_node = _by_node(declared) if declared is None else {
        ox.NamedNode(p): d for p, d in declared.items()}
    literal = ox.Literal
    for t in triples:
        # Most predicates declare nothing: one lookup by the predicate term, first.
        target = by_node.get(t.predicate)
        if target is not None:
            obj = t.object
            if (type(obj) is literal and obj.datatype.value == XSD_INTEGER
                    and _fits(obj.value, target.value)):
                yield ox.Triple(t.subject, t.predicate, ox.Literal(obj.value, datatype=target))
                continue
        yield t


@cache
def _by_node(_profile: None = None) -> dict[ox.NamedNode, ox.NamedNode]:
    return {ox.NamedNode(p): d for p, d in profile_datatypes().items()}
