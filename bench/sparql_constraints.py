"""What the validator the issue suggests would cost: the profile's constraints run as SPARQL
queries by Oxigraph, one query per constraint, over a batch of records in an in-memory store.

    python bench/sparql_constraints.py [--records 2000,10000] [--repeat 3]

Every constraint of the full hdcat profile that has a plain SPARQL form is compiled here: the
property shapes with a predicate path under a node shape with `sh:targetClass`, and their
minCount, maxCount, class, datatype, nodeKind, languageIn, hasValue, in, pattern and
maxLength (logical, qualified, node, path and SPARQL-based constraints are left out, so the
figure is a lower bound of that design's cost). For each batch size: the in-memory bulk load
of the synthetic catalog (bench/generate.py's `syn-N.nt` in `--workdir`, made once and
shared with bench/import.py), each compiled query run once over it (the best of
`--repeat`), and the fast validator (hdcat.fastshacl) over the same records with the whole
profile, in ms a record.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox
from rdflib import SH, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from generate import ensure_file  # noqa: E402

from hdcat.fastshacl import fast_validator  # noqa: E402
from hdcat.garbage import fewer_collections  # noqa: E402
from hdcat.records import Splitter  # noqa: E402
from hdcat.validation import profile_shapes  # noqa: E402

RDFS_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
NODE_KINDS = {
    SH.IRI: "isIRI(?v)",
    SH.BlankNode: "isBlank(?v)",
    SH.Literal: "isLiteral(?v)",
    SH.BlankNodeOrIRI: "(isBlank(?v) || isIRI(?v))",
    SH.BlankNodeOrLiteral: "(isBlank(?v) || isLiteral(?v))",
    SH.IRIOrLiteral: "(isIRI(?v) || isLiteral(?v))",
}


@dataclass(frozen=True)
class Constraint:
    component: str
    query: str


def _values(c: str, p: str) -> str:
    """The focus nodes of class c with their values on predicate p."""
    return f"?f a {c} . ?f {p} ?v ."


def compile_constraints(shapes: Graph) -> tuple[list[Constraint], Counter[str]]:
    """The SPARQL form of each plain constraint of the targeted property shapes (see the
    module docstring), and the count of the constraints left out, by component."""
    compiled: list[Constraint] = []
    left_out: Counter[str] = Counter()
    for node_shape, target in shapes.subject_objects(SH.targetClass):
        c = target.n3()
        for prop in shapes.objects(node_shape, SH.property):
            path = shapes.value(prop, SH.path)
            simple = isinstance(path, URIRef)
            for component, value in shapes.predicate_objects(prop):
                name = str(component).removeprefix(str(SH))
                if not str(component).startswith(str(SH)) or component in (
                        SH.path, SH.name, SH.description, SH.message, SH.severity, SH.order,
                        SH.group, SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount):
                    continue  # annotations, and parameters of another constraint
                query = (_compile(shapes, prop, component, value, c, path.n3()) if simple
                         else None)
                if query is None:
                    left_out[name] += 1
                else:
                    compiled.append(Constraint(name, query))
    return compiled, left_out


def _compile(
    shapes: Graph, prop: Node, component: Node, value: Node, c: str, p: str
) -> str | None:
    v = value.n3() if isinstance(value, URIRef | Literal) else None
    if component == SH.minCount:
        return (f"SELECT ?f WHERE {{ ?f a {c} . OPTIONAL {{ ?f {p} ?v }} }}"
                f" GROUP BY ?f HAVING (COUNT(DISTINCT ?v) < {int(value)})")
    if component == SH.maxCount:
        return (f"SELECT ?f WHERE {{ {_values(c, p)} }}"
                f" GROUP BY ?f HAVING (COUNT(DISTINCT ?v) > {int(value)})")
    if component == SH["class"]:
        return (f"SELECT ?f ?v WHERE {{ {_values(c, p)}"
                f" FILTER NOT EXISTS {{ ?v a/{RDFS_SUBCLASS}* {v} }} }}")
    if component == SH.datatype:
        return (f"SELECT ?f ?v WHERE {{ {_values(c, p)}"
                f" FILTER(!isLiteral(?v) || datatype(?v) != {v}) }}")
    if component == SH.nodeKind and value in NODE_KINDS:
        return f"SELECT ?f ?v WHERE {{ {_values(c, p)} FILTER(!{NODE_KINDS[value]}) }}"
    if component == SH.languageIn:
        tags = " || ".join(f"langMatches(lang(?v), {Literal(str(t)).n3()})"
                           for t in Collection(shapes, value))
        return f"SELECT ?f ?v WHERE {{ {_values(c, p)} FILTER(!({tags})) }}"
    if component == SH.hasValue and v is not None:
        return f"SELECT ?f WHERE {{ ?f a {c} FILTER NOT EXISTS {{ ?f {p} {v} }} }}"
    if component == SH["in"]:
        members = ", ".join(m.n3() for m in Collection(shapes, value))
        return f"SELECT ?f ?v WHERE {{ {_values(c, p)} FILTER(?v NOT IN ({members})) }}"
    if component == SH.pattern:
        flags = shapes.value(prop, SH.flags)
        extra = f", {Literal(str(flags)).n3()}" if flags is not None else ""
        return (f"SELECT ?f ?v WHERE {{ {_values(c, p)}"
                f" FILTER(isBlank(?v) || !regex(str(?v), {v}{extra})) }}")
    if component == SH.maxLength:
        return (f"SELECT ?f ?v WHERE {{ {_values(c, p)}"
                f" FILTER(isBlank(?v) || strlen(str(?v)) > {int(value)}) }}")
    return None


def best(runs: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        work()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", default="2000,10000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/hdcat-bench"))
    args = ap.parse_args()
    workdir = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)

    shapes = profile_shapes("full")
    constraints, left_out = compile_constraints(shapes)
    by_component = Counter(c.component for c in constraints)
    print(f"compiled {len(constraints)} constraints ({dict(sorted(by_component.items()))}),"
          f" left out {sum(left_out.values())} ({dict(sorted(left_out.items()))})")
    validator = fast_validator(shapes)

    for n in (int(x) for x in args.records.split(",") if x):
        path = ensure_file(n, "nt", workdir)
        data = path.read_bytes()
        store = ox.Store()
        load_s = best(1, lambda s=store, d=data: s.bulk_load(d, ox.RdfFormat.N_TRIPLES))
        per_query: list[tuple[float, int, Constraint]] = []
        for constraint in constraints:
            found: list[int] = []
            seconds = best(args.repeat, lambda q=constraint.query, s=store, f=found: f.append(
                len(list(s.query(q)))))
            per_query.append((seconds, found[-1], constraint))
        queries_s = sum(s for s, _r, _c in per_query)

        triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        records = list(Splitter.from_triples(triples, "https://hdcat.example.org",
                                             today=date.today()).iter_records({}))
        pairs = []  # (data graph, focus nodes) of each group of 200 records
        for i in range(0, len(records), 200):
            group = records[i:i + 200]
            pairs.append(([t for r in group for t in r.triples],
                          {s for r in group for s in r.subjects()}))
        with fewer_collections():
            fast_s = best(args.repeat, lambda p=pairs: [
                validator.validate(g, focus=f) for g, f in p])

        ms = 1000 / n
        print(f"\n{n} records ({len(triples)} triples):")
        print(f"  in-memory bulk_load          {load_s * ms:7.3f} ms a record")
        print(f"  {len(constraints)} constraint queries       {queries_s * ms:7.3f} ms a record"
              f" ({queries_s / len(constraints) * 1e6 / n:.2f} µs a record a query;"
              f" {sum(1 for _s, r, _c in per_query if r)} queries returned rows)")
        print(f"  load + queries               {(load_s + queries_s) * ms:7.3f} ms a record")
        print(f"  fast validator, whole profile {fast_s * ms:6.3f} ms a record (groups of 200)")
        slowest = sorted(per_query, key=lambda x: -x[0])[:3]
        for seconds, _rows, constraint in slowest:
            print(f"    slowest: {constraint.component:10s} {seconds * ms:.3f} ms a record")


if __name__ == "__main__":
    main()
