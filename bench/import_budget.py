"""What a validated import of N datasets costs at the least, part by part, against the
CPU budget of issue #4's target (a validated import at >= 0.3x raw `bulk_load` datasets/s).

    python bench/import_budget.py [--size 100000] [--sample 2000] [--workdir DIR]

At 0.3x, a load of N may take raw_wall / 0.3 seconds, so at most cores * raw_wall / 0.3
CPU seconds, whatever its pipeline. Each part a validated load cannot do without is measured
here at its cheapest, doing less than hdcat does, so the sum is a lower bound:

* store: the records' quads (one named graph a record, as #2 prescribes) bulk-loaded by
  Oxigraph, no Python, in the fewest loads that keep each record's write whole, as #2 also
  prescribes: loads of at most ATOMIC_BULK_QUADS quads, cut between records (one batch of
  Oxigraph's loader, ingested at once; a single load of them all is ingested batch by batch,
  cut anywhere, so a failure midway can leave a record half written). hdcat writes smaller
  chunks, which costs more (bench/RESULTS.md round 7). One load of them all is measured too,
  outside the sum, to show what the whole writes cost;
* reading: the file parsed once into Python tuples of terms, with each term's N-Triples text
  read once (every later pass then works on plain strings, the cheapest representation
  measured in round 8);
* cutting: triples grouped by subject, and subjects by the dataset they hang from (no closure
  rules, no shared-graph routing, no record IRIs minted from content);
* privacy: hdcat.privacy.find_personal_data over each text literal (no reports built);
* audit: one SHA-256 a record over its sorted N-Triples lines (no literal keyed by value);
* writing: each record's N-Quads built as text (to the files the store part loads);
* the workers' reading: the N-Quads parsed back into Python quads (what a validation worker
  must do with the records it is sent, the transfer itself left out);
* judging: the fast validator alone (hdcat.fastshacl, time inside `FastValidator.validate`) on
  a sample of --sample records in one process, per record times N.

Left out altogether: each record's context (vocabulary, linked records, lineage), datatypes
restored, the listeners of a write (search index, audit chain, vocabulary), reports, progress.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from generate import ensure_file  # noqa: E402

from hdcat.privacy import _is_text, find_personal_data  # noqa: E402
from hdcat.records import DATASET_CLASSES, FOAF_PRIMARY_TOPIC, RDF_TYPE  # noqa: E402
from hdcat.store import ATOMIC_BULK_QUADS  # noqa: E402

TARGET = 0.3


def read(file: Path) -> list[tuple]:
    """The file's triples as rows: the three terms, then their three N-Triples texts."""
    terms = [(t.subject, t.predicate, t.object)
             for t in ox.parse(path=str(file), format=ox.RdfFormat.N_TRIPLES)]
    return [(s, p, o, str(s), str(p), str(o)) for s, p, o in terms]


def cut(rows: list[tuple]) -> dict[object, list[tuple]]:
    """The cheapest cut: each dataset's rows, with the nodes only it refers to and the
    descriptions (catalog records) whose primary topic it is."""
    by_subject: dict[object, list[tuple]] = {}
    for row in rows:
        by_subject.setdefault(row[0], []).append(row)
    referrers: dict[object, int] = {}
    for row in rows:
        if row[2] in by_subject:
            referrers[row[2]] = referrers.get(row[2], 0) + 1
    records: dict[object, list[tuple]] = {}
    for subject, triples in by_subject.items():
        if any(r[1] == RDF_TYPE and r[2].value in DATASET_CLASSES for r in triples):
            members = list(triples)
            for r in triples:
                if referrers.get(r[2]) == 1:
                    members.extend(by_subject[r[2]])
            records[subject] = members
    for triples in by_subject.values():
        for r in triples:
            if r[1] == FOAF_PRIMARY_TOPIC and r[2] in records:
                records[r[2]].extend(triples)
    return records


def scan_privacy(rows: list[tuple]) -> None:
    """The privacy patterns over each text literal of a record (no report built)."""
    for r in rows:
        o = r[2]
        if type(o) is ox.Literal and _is_text(o):
            find_personal_data(o.value)


def audit_hash(rows: list[tuple]) -> str:
    """One SHA-256 of a record's sorted N-Triples lines (no literal keyed by value)."""
    lines = sorted({f"{r[3]} {r[4]} {r[5]} ." for r in rows})
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def record_nquads(dataset: ox.NamedNode, rows: list[tuple]) -> str:
    """A record's N-Quads text, in the graph named after its dataset."""
    graph = f" <{dataset.value}#record> .\n"
    return "".join(f"{r[3]} {r[4]} {r[5]}{graph}" for r in rows)


def whole_batches(items: Iterable[tuple[str, int]], bound: int) -> Iterator[list[str]]:
    """The texts of `items` (text, quads) in batches of at most `bound` quads, in order, an
    item never cut (one bigger than the bound alone in its batch)."""
    batch: list[str] = []
    size = 0
    for text, quads in items:
        if size and size + quads > bound:
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += quads
    if batch:
        yield batch


def python_parts(
    file: Path, chunks: Path, chunk_quads: int = ATOMIC_BULK_QUADS
) -> tuple[dict[str, float], int]:
    """CPU seconds of the Python parts, each at its cheapest; the number of records. The
    records' N-Quads go to files in the folder `chunks` (made if need be), each of at most
    `chunk_quads` quads (a record with more alone in its file), no record cut between two."""
    cpu: dict[str, float] = {}
    start = time.process_time()
    rows = read(file)
    cpu["reading"] = time.process_time() - start

    start = time.process_time()
    records = cut(rows)
    cpu["cutting"] = time.process_time() - start

    start = time.process_time()
    for triples in records.values():
        scan_privacy(triples)
    cpu["privacy"] = time.process_time() - start

    start = time.process_time()
    for triples in records.values():
        audit_hash(triples)
    cpu["audit"] = time.process_time() - start

    chunks.mkdir(parents=True, exist_ok=True)
    start = time.process_time()
    texts = ((record_nquads(dataset, rows), len(rows)) for dataset, rows in records.items())
    for number, batch in enumerate(whole_batches(texts, chunk_quads)):
        (chunks / f"{number:05d}.nq").write_text("".join(batch), encoding="utf-8")
    cpu["writing"] = time.process_time() - start
    count = len(records)
    del rows, records

    start = time.process_time()
    for chunk in sorted(chunks.iterdir()):
        for _quad in ox.parse(path=str(chunk), format=ox.RdfFormat.N_QUADS):
            pass
    cpu["workers' reading"] = time.process_time() - start
    return cpu, count


def judging_seconds(sample: Path, n: int, workdir: Path) -> float:
    """Seconds inside the fast validator a record, judged in this process."""
    validate_bench = importlib.import_module("validate")
    cat = validate_bench.new_catalog(workdir, "judge")
    cat.validate_file(sample, engine="fast")  # warm: shapes compiled, vocabulary read
    run = validate_bench.engine_run(cat, sample, "fast", n)
    cat.close()
    return run["validator_s"] / n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    import_bench = importlib.import_module("import")
    workdir = import_bench.work_folder(args.workdir, "hdcat-bench-budget-")
    cores = os.cpu_count() or 1

    file = ensure_file(args.size, "nt", workdir)
    sample = ensure_file(min(args.sample, args.size), "nt", workdir)
    print("raw bulk_load ...", file=sys.stderr)
    raw = import_bench.raw_bulk_load(file, workdir)
    print("the Python parts ...", file=sys.stderr)
    chunks = workdir / f"budget-{args.size}"
    shutil.rmtree(chunks, ignore_errors=True)
    gc.disable()  # no collections at all: cheaper still than a load's fewer_collections()
    parts, records = python_parts(file, chunks)
    gc.enable()
    assert records == args.size, (records, args.size)
    print("store: the record quads, whole records a load ...", file=sys.stderr)
    store = import_bench.run_child("chunks", str(chunks),
                                   str(import_bench.fresh(workdir / "floor")))
    print("store: the same quads in one load ...", file=sys.stderr)
    whole = workdir / f"budget-{args.size}.nq"
    with whole.open("wb") as out:
        for chunk in sorted(chunks.iterdir()):
            with chunk.open("rb") as part:
                shutil.copyfileobj(part, out)
    one_load = import_bench.run_child("floor", str(whole),
                                      str(import_bench.fresh(workdir / "floor")))
    whole.unlink()
    shutil.rmtree(chunks)
    shutil.rmtree(workdir / "floor", ignore_errors=True)
    print("judging a sample ...", file=sys.stderr)
    per_record = judging_seconds(sample, min(args.sample, args.size), workdir)

    stored = f"store ({store['loads']} bulk loads of whole records, no Python)"
    cpu = {stored: float(store["cpu"]),
           **parts,
           "judging (validator alone)": per_record * args.size}
    budget = cores * float(raw["seconds"]) / TARGET
    total = sum(cpu.values())
    print(f"\n{args.size} datasets; raw bulk_load {raw['seconds']:.1f} s ({raw['cpu']:.1f} CPU s);"
          f" budget at {TARGET}x on {cores} cores: {budget:.0f} CPU s; {store['quads']:,} record"
          f" quads\n")
    print("| part | CPU s |\n|---|---:|")
    for name, seconds in cpu.items():
        print(f"| {name} | {seconds:.1f} |")
    print(f"| **sum (a lower bound)** | **{total:.1f}** |")
    print(f"\nnot in the sum: the same quads in one load, {one_load['cpu']:.1f} CPU s "
          f"({one_load['seconds']:.1f} s; whole records a load: {store['seconds']:.1f} s)")
    print(f"\nlower bound / budget: {total / budget:.2f}; best ratio this allows: "
          f"{TARGET * budget / total:.2f}x raw")
    if args.json:
        args.json.write_text(json.dumps({"raw": raw, "store": store, "one_load": one_load,
                                         "cpu": cpu, "budget": budget, "total": total},
                                        indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
