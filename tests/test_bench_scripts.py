"""The benchmark scripts run, and measure what they say they measure."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections import deque
from datetime import date
from itertools import pairwise
from pathlib import Path

import pyoxigraph as ox
import pytest
from bench_scripts import bench_module
from rdflib import SH, URIRef

from hdcat import validation_worker
from hdcat.fastshacl import fast_validator
from hdcat.records import Splitter
from hdcat.terms import to_oxigraph
from hdcat.validation import profile_shapes

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://hdcat.example.org"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


bench = bench_module("sparql_constraints")
generate = bench_module("generate")


@pytest.fixture(scope="module")
def compiled() -> list:
    constraints, left_out = bench.compile_constraints(profile_shapes("full"))
    assert len(constraints) > 300
    # Only what has no plain SPARQL form is left out, never a plain constraint on a predicate.
    assert set(left_out) <= {"node", "qualifiedValueShape", "or", "and", "not", "xone",
                             "class", "minCount", "maxCount", "nodeKind"}
    return constraints


def _triples(n: int) -> list[ox.Triple]:
    out = io.StringIO()
    generate.generate(n, out, turtle=False, base=BASE)
    return [q.triple for q in ox.parse(out.getvalue().encode(), format=ox.RdfFormat.N_TRIPLES)]


def _rows(constraints: list, triples: list[ox.Triple]) -> set[tuple[str, ox.NamedNode]]:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return {(c.component, row["f"]) for c in constraints for row in store.query(c.query)}


def _component(name: str) -> URIRef:
    return SH[name[0].upper() + name[1:] + "ConstraintComponent"]


def test_compiled_queries_find_what_the_fast_validator_finds(compiled: list) -> None:
    """bench/sparql_constraints.py times real checks: on records made invalid its compiled
    queries find what the fast validator finds, and nothing new on valid records."""
    triples = _triples(4)
    dataset_class = ox.NamedNode(DCAT + "Dataset")
    datasets = sorted({t.subject for t in triples if t.object == dataset_class}, key=str)
    no_title, two_issued, literal_theme = datasets[:3]
    mutated = [t for t in triples
               if not (t.subject == no_title and t.predicate.value == DCT + "title")]
    mutated = [t if not (t.subject == literal_theme and t.predicate.value == DCAT + "theme")
               else ox.Triple(t.subject, t.predicate, ox.Literal("health")) for t in mutated]
    issued = ox.NamedNode(DCT + "issued")
    mutated += [ox.Triple(two_issued, issued, ox.Literal("2001-01-01", datatype=XSD_DATE)),
                ox.Triple(two_issued, issued, ox.Literal("2002-02-02", datatype=XSD_DATE))]

    found = _rows(compiled, mutated) - _rows(compiled, triples)
    expected = {("minCount", no_title), ("maxCount", two_issued), ("nodeKind", literal_theme)}
    assert expected <= found

    judged = fast_validator(profile_shapes("full")).validate(mutated, focus=set(datasets))
    verdicts = {(r.component, to_oxigraph(r.focus)) for r in judged}
    for name, focus in found:
        assert (_component(name), focus) in verdicts, (name, focus)


def test_validate_bench_times_the_validator_of_a_batch_the_workers_would_judge(
    tmp_path: Path,
) -> None:
    """bench/validate.py compares the engines in one process (#4's target), also for a batch
    large enough to go to the validation workers in a load."""
    n = validation_worker.POOL_MIN_RECORDS
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "validate.py"), "--records", str(n),
         "--pyshacl-records", "5", "--import-sizes", "", "--batch-sizes", "200",
         "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    fast = re.search(rf"fast: {n} records, .* validator only (\d+) rec/s", run.stdout)
    assert fast is not None and int(fast.group(1)) > 0, run.stdout
    assert "speed-up: validator" in run.stdout
    assert re.search(r"batch   200: validator +\d+ rec/s", run.stdout), run.stdout


def test_import_budget_cuts_the_records_hdcat_cuts_and_adds_up_its_parts(tmp_path: Path) -> None:
    """bench/import_budget.py's cheapest cut gives each dataset's record all that hdcat's does
    but the catalog's links to it (less work: a lower bound), its store loads hold whole records
    up to their bound, and its sum is that of its parts."""
    budget = bench_module("import_budget")
    n = 40
    file = generate.ensure_file(n, "nt", tmp_path)
    chunks = tmp_path / "records"
    cpu, records = budget.python_parts(file, chunks, chunk_quads=200)
    assert records == n
    assert set(cpu) == {"reading", "cutting", "privacy", "audit", "writing", "workers' reading"}
    written: dict[str, set] = {}
    loads: list[list[int]] = []  # the size of each record of each load, in order
    for chunk in sorted(chunks.iterdir()):
        quads = list(ox.parse(path=str(chunk), format=ox.RdfFormat.N_QUADS))
        sizes: dict[str, int] = {}
        for q in quads:
            assert q.graph_name.value not in written, "a record cut between two loads"
            sizes[q.graph_name.value] = sizes.get(q.graph_name.value, 0) + 1
        for q in quads:
            written.setdefault(q.graph_name.value, set()).add(q.triple)
        loads.append(list(sizes.values()))
    assert len(loads) > 1 and all(sum(load) <= 200 for load in loads), loads
    # the fewest loads: each but the last would have gone past the bound with the next record
    assert all(sum(load) + nxt[0] > 200 for load, nxt in pairwise(loads)), loads
    hdcat_records = list(Splitter.from_triples(
        ox.parse(path=str(file), format=ox.RdfFormat.N_TRIPLES), BASE,
        today=date.today()).iter_records())
    assert len(written) == len(hdcat_records) == n
    for record in hdcat_records:
        mine = written[f"{record.dataset.value}#record"]
        assert mine <= set(record.triples)
        # all but the catalog's links to the dataset and its record, which hdcat keeps there
        assert set(record.triples) - mine == {
            t for t in record.triples if t.subject == ox.NamedNode(f"{BASE}/catalog")}

    out = tmp_path / "budget.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "import_budget.py"), "--size", str(n),
         "--sample", "20", "--workdir", str(tmp_path), "--json", str(out)],
        capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert figures["total"] == pytest.approx(sum(figures["cpu"].values()))
    assert all(seconds > 0 for seconds in figures["cpu"].values()), figures["cpu"]
    assert figures["store"]["quads"] == sum(len(t) for t in written.values())
    assert figures["one_load"]["quads"] == figures["store"]["quads"]
    assert "**sum (a lower bound)**" in run.stdout


def test_import_lean_writes_the_records_whole_and_judges_every_group(tmp_path: Path) -> None:
    """bench/import_lean.py stores what import_budget's cut gives, in writes of whole records,
    and counts the results its workers found for every group it sent them."""
    lean = bench_module("import_lean")
    budget = bench_module("import_budget")
    n = 40
    file = generate.ensure_file(n, "nt", tmp_path)
    store = ox.Store()
    figures = lean.lean_load(file, store, workers=1)
    assert figures["records"] == n and figures["writes"] == 1
    budget.python_parts(file, tmp_path / "chunks")
    expected = {q for chunk in (tmp_path / "chunks").iterdir()
                for q in ox.parse(path=str(chunk), format=ox.RdfFormat.N_QUADS)}
    assert set(store) == expected
    assert figures["quads"] == len(expected)
    groups = list(lean._groups(budget.cut(budget.read(file)), deque()))
    judged = [lean._judge(group) for group in groups]
    assert figures["results"] == sum(judged) > 0  # the records alone lack their context
