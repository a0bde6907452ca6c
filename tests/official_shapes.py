"""Loading the official DCAT-AP 3.0.1 and HealthDCAT-AP Release 8 SHACL shapes for pySHACL.

The shapes are external conformance fixtures kept outside the repository
(``/work/shared/external``, override with the ``HDCAT_EXTERNAL`` environment variable); see the
READMEs there. Helpers here:

* ``dcat_ap_shapes()`` / ``dcat_ap_recommended()``: DCAT-AP 3.0.1 shapes.ttl + range.ttl, and
  shapes_recommended.ttl (sh:Warning).
* ``healthdcat_shapes(access)``: HealthDCAT-AP R8 graph-guard.ttl + public-shapes.ttl (PUBLIC) or
  non-public-shapes.ttl (NON_PUBLIC, RESTRICTED) + ranges/range.ttl, with the documented
  workaround for the path-less ``sh:property`` applied.
* ``ontology_background()``: the vocabulary background (ontology/vocabularies/**/*.ttl,
  standards.ttl, legislation.ttl, hdcat.ttl) that the sh:class / skos:Concept constraints need.
* ``record_closure()``: one record of a catalog graph, as the record model of
  ontology/README.md stores it in its named graph.
* ``validate()`` / ``results()``: run pySHACL and list the results of one severity.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
SHAPES = ROOT / "shapes"
EXTERNAL = Path(os.environ.get("HDCAT_EXTERNAL", ROOT.parent / "shared" / "external"))
DCAT_AP = EXTERNAL / "dcat-ap" / "3.0.1" / "shacl-split"
HEALTHDCAT = EXTERNAL / "healthdcat-ap" / "release-8" / "validator"

SH = Namespace("http://www.w3.org/ns/shacl#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
ACCESS = Namespace("http://publications.europa.eu/resource/authority/access-right/")
PATCH = Namespace("urn:hdcat:test:shape-patch:")

ACCESS_LEVELS = ("PUBLIC", "RESTRICTED", "NON_PUBLIC")


# ---------------------------------------------------------------------------------------------
# availability
# ---------------------------------------------------------------------------------------------
def missing_external() -> list[str]:
    """The official shape files that are not available."""
    hd = HEALTHDCAT / "shapes"
    needed = [DCAT_AP / "shapes.ttl", DCAT_AP / "range.ttl", DCAT_AP / "shapes_recommended.ttl",
              hd / "graph-guard.ttl", hd / "public-shapes.ttl", hd / "non-public-shapes.ttl",
              HEALTHDCAT / "ranges" / "range.ttl"]
    return [str(p) for p in needed if not p.is_file()]


def ontology_files() -> list[Path]:
    files = sorted((ONTOLOGY / "vocabularies").rglob("*.ttl"))
    files += [ONTOLOGY / name for name in ("standards.ttl", "legislation.ttl", "hdcat.ttl")]
    return files


def missing_ontology() -> list[str]:
    """Ontology files the background needs that are not there (yet)."""
    missing = [str(p) for p in ontology_files() if not p.is_file()]
    if not list((ONTOLOGY / "vocabularies" / "eu").glob("*.ttl")):
        missing.append(str(ONTOLOGY / "vocabularies" / "eu" / "*.ttl"))
    return missing


def missing_hdcat_shapes() -> list[str]:
    return [str(SHAPES / n) for n in ("core.ttl", "recommended.ttl", "health.ttl")
            if not (SHAPES / n).is_file()]


# ---------------------------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------------------------
def parse(paths: Iterable[Path]) -> Graph:
    g = Graph()
    for path in paths:
        g.parse(path, format="turtle")
    return g


def copy(graph: Graph) -> Graph:
    out = Graph()
    for triple in graph:
        out.add(triple)
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=False)
    return out


@cache
def _ontology_background() -> Graph:
    return parse(p for p in ontology_files() if p.is_file())


def ontology_background() -> Graph:
    """A fresh copy of the vocabulary background (safe to add data to)."""
    return copy(_ontology_background())


@cache
def _dcat_ap_shapes() -> Graph:
    return parse([DCAT_AP / "shapes.ttl", DCAT_AP / "range.ttl"])


def dcat_ap_shapes() -> Graph:
    """DCAT-AP 3.0.1 shapes.ttl + range.ttl (the mandatory constraints and class ranges)."""
    return copy(_dcat_ap_shapes())


def dcat_ap_recommended() -> Graph:
    """DCAT-AP 3.0.1 shapes_recommended.ttl (recommended properties, severity sh:Warning)."""
    return parse([DCAT_AP / "shapes_recommended.ttl"])


def move_pathless_properties(shapes: Graph) -> int:
    """Workaround documented in the HealthDCAT-AP README: the Dataset shape has a path-less
    ``sh:property [ sh:or (...) ]`` (hasStructuredData => hasVariables), which pySHACL rejects.
    Move each such node's constraints into a separate sh:NodeShape targeting the same classes
    as its parent shape (dcat:Dataset). Returns the number of nodes moved."""
    moved = 0
    for parent, node in sorted(shapes.subject_objects(SH.property), key=str):
        if (node, SH.path, None) in shapes:
            continue
        shapes.remove((parent, SH.property, node))
        new = PATCH[f"pathless-{moved}"]
        shapes.add((new, RDF.type, SH.NodeShape))
        targets = list(shapes.objects(parent, SH.targetClass)) or [DCAT.Dataset]
        for target in targets:
            shapes.add((new, SH.targetClass, target))
        for p, o in list(shapes.predicate_objects(node)):
            shapes.add((new, p, o))
            shapes.remove((node, p, o))
        moved += 1
    return moved


def _replace_access_value(shapes: Graph, access: str) -> None:
    for node in list(shapes.subjects(SH.hasValue, ACCESS.NON_PUBLIC)):
        if (node, SH.path, DCT.accessRights) in shapes:
            shapes.remove((node, SH.hasValue, ACCESS.NON_PUBLIC))
            shapes.add((node, SH.hasValue, ACCESS[access]))
            for msg in list(shapes.objects(node, SH.message)):
                shapes.remove((node, SH.message, msg))
                shapes.add((node, SH.message, Literal(str(msg).replace("NON_PUBLIC", access))))


@cache
def _healthdcat_shapes(access: str) -> Graph:
    if access not in ACCESS_LEVELS:
        raise ValueError(access)
    main = "public-shapes.ttl" if access == "PUBLIC" else "non-public-shapes.ttl"
    shapes = parse([HEALTHDCAT / "shapes" / "graph-guard.ttl", HEALTHDCAT / "shapes" / main,
                    HEALTHDCAT / "ranges" / "range.ttl"])
    if access == "RESTRICTED":
        # restricted-shapes.ttl of Release 8 is not available here (not copied into
        # /work/shared/external). Per the validator configuration, RESTRICTED uses the NON_PUBLIC
        # requirements, so we use non-public-shapes.ttl with its dct:accessRights sh:hasValue
        # changed to RESTRICTED.
        _replace_access_value(shapes, "RESTRICTED")
    if move_pathless_properties(shapes) < 1:
        raise AssertionError("expected the path-less sh:property of the Dataset shape")
    return shapes


def healthdcat_shapes(access: str) -> Graph:
    """HealthDCAT-AP Release 8 shapes for datasets with the given dct:accessRights code."""
    return copy(_healthdcat_shapes(access))


# ---------------------------------------------------------------------------------------------
# data extraction and validation
# ---------------------------------------------------------------------------------------------
def record_closure(graph: Graph, dataset: URIRef, catalog: URIRef | None = None) -> Graph:
    """The triples of one record, as in ontology/README.md: the CatalogRecord whose
    foaf:primaryTopic is ``dataset``, the dataset, its owned ``#`` parts (distributions,
    identifiers, contact point, period, activities, variables, ...) and the catalog links."""
    foaf_primary = URIRef("http://xmlns.com/foaf/0.1/primaryTopic")
    out = Graph()
    subjects = {dataset}
    subjects.update(graph.subjects(foaf_primary, dataset))
    prefix = str(dataset) + "#"
    for s in set(graph.subjects()):
        if isinstance(s, URIRef) and str(s).startswith(prefix):
            subjects.add(s)
    for s in subjects:
        for p, o in graph.predicate_objects(s):
            out.add((s, p, o))
            if isinstance(o, BNode):  # include blank-node trees, should there be any
                _add_bnode_tree(graph, o, out)
    cats = [catalog] if catalog else list(graph.subjects(DCAT.dataset, dataset))
    for cat in cats:
        out.add((cat, DCAT.dataset, dataset))
        for rec in graph.subjects(foaf_primary, dataset):
            out.add((cat, DCAT.record, rec))
    for prefix_, ns in graph.namespaces():
        out.bind(prefix_, ns, override=False)
    return out


def _add_bnode_tree(graph: Graph, node: BNode, out: Graph) -> None:
    for p, o in graph.predicate_objects(node):
        if (node, p, o) in out:
            continue
        out.add((node, p, o))
        if isinstance(o, BNode):
            _add_bnode_tree(graph, o, out)


def validate(data: Graph, shapes: Graph) -> tuple[bool, Graph, str]:
    conforms, report, text = shacl_validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False,
        allow_warnings=True, advanced=True, do_owl_imports=False,
    )
    return bool(conforms), report, text


def results(report: Graph, severity: URIRef = SH.Violation) -> list[dict[str, str]]:
    """The validation results of one severity, as plain dicts (sorted)."""
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if (r, SH.resultSeverity, severity) not in report:
            continue
        out.append({
            "focus": str(report.value(r, SH.focusNode)),
            "path": str(report.value(r, SH.resultPath)),
            "component": str(report.value(r, SH.sourceConstraintComponent)).split("#")[-1],
            "value": str(report.value(r, SH.value)),
            "message": str(report.value(r, SH.resultMessage)),
        })
    return sorted(out, key=lambda x: (x["focus"], x["path"], x["component"], x["value"]))


def summary(rows: list[dict[str, str]], limit: int = 20) -> str:
    lines = [f"{r['focus']} {r['path']} {r['component']} {r['value']}: {r['message']}"
             for r in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"... and {len(rows) - limit} more")
    return "\n".join(lines)
