"""Publication under concurrency (issue #6): N datasets registered and published through the
workflow from T threads at once, on one data folder. Checks that every publication gets its
own identifiers, serials without a gap, and no error; prints the throughput.

    .venv/bin/python bench/publish.py --datasets 1000 --threads 8 --workdir /tmp/hdcat-publish
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hdcat.accounts import Accounts  # noqa: E402
from hdcat.catalog import Catalog  # noqa: E402
from hdcat.config import Settings  # noqa: E402
from hdcat.state import PrivateState  # noqa: E402
from hdcat.workflow import Workflow  # noqa: E402

BASE = "https://hdcat.example.org"
TEMPLATE = f"{BASE}/dataset/adult-tobacco-survey"
DCT = "http://purl.org/dc/terms/"


def template(catalog: Catalog) -> list[ox.Triple]:
    """A demo dataset's own description, without identifiers, titles and catalog record."""
    record, _ = catalog.find_record(TEMPLATE)
    old = ox.NamedNode(TEMPLATE)
    triples = catalog.record_triples(record)
    ids = {t.object for t in triples if t.subject == old
           and t.predicate.value == "http://www.w3.org/ns/adms#identifier"}
    return [t for t in triples
            if t.subject not in ids and t.subject.value != record
            and not (isinstance(t.object, ox.NamedNode) and t.object.value == record)
            and not (t.subject == old and t.predicate.value in (
                DCT + "identifier", DCT + "title", "http://www.w3.org/ns/adms#identifier"))]


def draft(base: list[ox.Triple], n: int) -> list[ox.Triple]:
    iri = f"{BASE}/dataset/bench-pub-{n:05d}"

    def rename(node: object) -> object:
        if isinstance(node, ox.NamedNode) and (node.value == TEMPLATE
                                               or node.value.startswith(TEMPLATE + "#")):
            return ox.NamedNode(iri + node.value[len(TEMPLATE):])
        return node

    out = [ox.Triple(rename(t.subject), t.predicate, rename(t.object)) for t in base]
    node = ox.NamedNode(iri)
    out += [ox.Triple(node, ox.NamedNode(DCT + "title"),
                      ox.Literal(f"并发发布测试数据集 {n}", language="zh")),
            ox.Triple(node, ox.NamedNode(DCT + "title"),
                      ox.Literal(f"Concurrent publication dataset {n}", language="en"))]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workdir", default="/tmp/hdcat-publish")
    args = parser.parse_args()
    work = Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    catalog = Catalog(Settings(data_dir=work))
    catalog.initialize(demo=True)
    state = PrivateState.of(work)
    accounts = Accounts(state)
    curator = accounts.add("curator", "bench-password-1", "curator")
    flow = Workflow(catalog, state)
    base = template(catalog)
    errors: list[str] = []
    lock = threading.Lock()

    def publish(n: int) -> None:
        try:
            sub = flow.create(curator, draft(base, n), source="bench").drafts[0]
            for action in ("submit", "approve", "publish"):
                sub = flow.act(sub.id, action, curator)
        except Exception as e:  # noqa: BLE001 - counted and reported
            with lock:
                errors.append(f"{n}: {e!r}")

    start = time.perf_counter()
    with ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(publish, range(args.datasets)))
    elapsed = time.perf_counter() - start

    rows = state.rows("SELECT id, dataset FROM identifier WHERE kind = 'cstr'"
                      " AND origin = 'minted'")
    cstrs = [r["id"] for r in rows]
    serials = sorted(int(re.search(r"\.(\d+)$", c)[1]) for c in cstrs)
    published = sum(1 for _r, ds in catalog.records() if "/bench-pub-" in ds)
    stored = {str(r["o"].value) for r in catalog.store.query(
        "SELECT ?o WHERE { ?d <http://purl.org/dc/terms/identifier> ?o"
        " FILTER(STRSTARTS(STR(?d), 'https://hdcat.example.org/dataset/bench-pub-')) }",
        union_default_graph=True)}
    print(f"datasets {args.datasets}, threads {args.threads}: {elapsed:.1f} s, "
          f"{args.datasets / elapsed:.1f} publications/s")
    print(f"errors {len(errors)}; published {published}; minted CSTRs {len(cstrs)}, "
          f"distinct {len(set(cstrs))}; serials 1..{serials[-1] if serials else 0}, "
          f"gap-free {serials == list(range(1, len(serials) + 1))}; "
          f"stored CSTRs = minted: {stored == set(cstrs)}")
    for error in errors[:10]:
        print("  ", error)
    ok = (not errors and published == args.datasets and len(set(cstrs)) == args.datasets
          and serials == list(range(1, args.datasets + 1)) and stored == set(cstrs))
    print("OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
