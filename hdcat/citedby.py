"""Cited-by: papers that cite a dataset (`dct:isReferencedBy <https://doi.org/...>`), entered
by curators or loaded from a CSV file, and the citation network they form.

A paper is named by its DOI resolver IRI and described (title, year) in a graph of its own,
so a paper citing several datasets is described once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from hdcat import queries
from hdcat.catalog import Catalog
from hdcat.identifiers import IdentifierError, parse_doi

DCT = "http://purl.org/dc/terms/"
IS_REFERENCED_BY = ox.NamedNode(DCT + "isReferencedBy")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
BIBLIOGRAPHIC = ox.NamedNode(DCT + "BibliographicResource")
XSD_GYEAR = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")
COLUMNS = {"dataset": ("dataset", "数据集", "数据集标识"), "doi": ("doi", "论文doi", "paper_doi"),
           "title": ("title", "论文题名", "论文标题", "paper_title"),
           "year": ("year", "年份", "发表年份")}


@dataclass
class Citation:
    dataset: str
    """The dataset IRI, or its CSTR / DOI."""
    doi: str
    title: str | None = None
    year: str | None = None


@dataclass
class Added:
    added: list[tuple[str, str]] = field(default_factory=list)
    """(dataset IRI, paper IRI) links written."""
    known: int = 0
    errors: list[str] = field(default_factory=list)


def paper_iri(doi: str) -> str:
    return "https://doi.org/" + parse_doi(doi).value


def _dataset_iri(catalog: Catalog, ref: str) -> str | None:
    """A dataset named by its IRI, its record's IRI, or one of its CSTR / DOI."""
    from hdcat.identifiers import resolve

    found = catalog.find_record(ref)
    if found is not None:
        return str(found[1].value)
    try:
        return resolve(catalog, None, ref)
    except IdentifierError:
        return None


def add(catalog: Catalog, citations: Iterable[Citation], where: str = "input") -> Added:
    """Add citing papers to datasets; each dataset's record is rewritten once, validated."""
    result = Added()
    by_dataset: dict[str, list[tuple[str, Citation]]] = {}
    for n, c in enumerate(citations, start=1):
        try:
            paper = paper_iri(c.doi)
        except IdentifierError as e:
            result.errors.append(f"{where} {n}: doi {c.doi!r}: {e.en}")
            continue
        dataset = _dataset_iri(catalog, c.dataset.strip())
        if dataset is None:
            result.errors.append(f"{where} {n}: dataset {c.dataset!r}: not in the catalog")
            continue
        by_dataset.setdefault(dataset, []).append((paper, c))
    for dataset, papers in by_dataset.items():
        record, node = catalog.find_record(dataset)  # type: ignore[misc]
        triples = catalog.record_triples(record)
        extra: list[ox.Triple] = []
        for paper, c in papers:
            link = ox.Triple(node, IS_REFERENCED_BY, ox.NamedNode(paper))
            if link in triples or link in extra:
                result.known += 1
                continue
            extra.append(link)
            result.added.append((dataset, paper))
            described = [ox.Triple(ox.NamedNode(paper), RDF_TYPE, BIBLIOGRAPHIC)]
            if c.title:
                described.append(ox.Triple(ox.NamedNode(paper), ox.NamedNode(DCT + "title"),
                                           ox.Literal(c.title.strip())))
            if c.year and c.year.strip().isdigit():
                described.append(ox.Triple(ox.NamedNode(paper), ox.NamedNode(DCT + "issued"),
                                           ox.Literal(c.year.strip(), datatype=XSD_GYEAR)))
            catalog.replace_shared(paper, described)
        if extra:
            report = catalog.load_triples([*triples, *extra], source=f"citations of {dataset}",
                                          strict=True)
            if not report.ok:
                result.errors.extend(r.describe("en") for r in report.refused)
    return result


def read_csv(path: Path) -> list[Citation]:
    """Citations from a CSV file with columns dataset, doi[, title, year] (or their Chinese
    names)."""
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    index = {}
    for key, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in names:
                index[key] = i
    if "dataset" not in index or "doi" not in index:
        raise ValueError(f"{path}: the header needs the columns dataset and doi")

    def cell(row: list[str], key: str) -> str | None:
        i = index.get(key)
        return row[i] if i is not None and i < len(row) and row[i].strip() else None

    return [Citation(cell(r, "dataset") or "", cell(r, "doi") or "", cell(r, "title"),
                     cell(r, "year")) for r in rows[1:] if any(c.strip() for c in r)]


@dataclass
class Network:
    """Datasets and the papers citing them."""

    links: list[tuple[str, str]]
    paper_titles: dict[str, str]

    def papers_of(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for ds, paper in self.links:
            out.setdefault(ds, []).append(paper)
        return out

    def datasets_of(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for ds, paper in self.links:
            out.setdefault(paper, []).append(ds)
        return out


def network(catalog: Catalog) -> Network:
    links: dict[tuple[str, str], None] = {}
    titles: dict[str, str] = {}
    for row in catalog.store.query(queries.get("cited_by_all")):
        if not isinstance(row["paper"], ox.NamedNode):
            continue
        links[(str(row["ds"].value), row["paper"].value)] = None
        if "title" in row:
            titles[row["paper"].value] = row["title"].value
    return Network(sorted(links), titles)
