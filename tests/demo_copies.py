"""New, valid datasets for the tests: a demo dataset's description under another IRI, as a
submitter would bring it (no identifiers, no catalog record), with its own titles."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from hdcat.catalog import Catalog
from hdcat.workflow import copy_description

SOURCE = "https://hdcat.example.org/dataset/adult-tobacco-survey"
DCT_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")


def demo_copy(catalog: Catalog, new_iri: str, title_zh: str, title_en: str,
              drop: Iterable[str] = (),
              extra: Iterable[tuple[str, str, str]] = ()) -> list[ox.Triple]:
    """The copy with titles `title_zh`/`title_en`, without the dataset's properties in `drop`
    and with the literals `extra` ((predicate, text, language), on the dataset) added."""
    record, _ds = catalog.find_record(SOURCE)
    new = ox.NamedNode(new_iri)
    copy = copy_description(catalog.record_triples(record), record, SOURCE, new_iri,
                            drop=[DCT_TITLE, *(ox.NamedNode(p) for p in drop)])
    copy += [ox.Triple(new, DCT_TITLE, ox.Literal(title_zh, language="zh")),
             ox.Triple(new, DCT_TITLE, ox.Literal(title_en, language="en"))]
    copy += [ox.Triple(new, ox.NamedNode(p), ox.Literal(text, language=lang))
             for p, text, lang in extra]
    return copy
