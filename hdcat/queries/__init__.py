"""Named SPARQL queries, one `.rq` file each, loaded by name.

User input never goes into query text: single values are bound by the store (pyoxigraph
substitutions, or a VALUES block of serialised terms), and lists fill an empty
`VALUES ?var { }` placeholder of the query file with properly serialised RDF terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyoxigraph as ox

_DIR = Path(__file__).resolve().parent


@cache
def get(name: str) -> str:
    path = _DIR / f"{name}.rq"
    if not path.is_file():
        raise KeyError(f"no named query {name!r} in {_DIR}")
    return path.read_text("utf-8")


def names() -> list[str]:
    return sorted(p.stem for p in _DIR.glob("*.rq"))


def _term(term: ox.NamedNode | ox.Literal) -> str:
    if not isinstance(term, ox.NamedNode | ox.Literal):
        raise TypeError(f"only IRIs and literals can be listed in VALUES, not {term!r}")
    return str(term)


def with_values(name: str, **lists: Iterable[ox.NamedNode | ox.Literal]) -> str:
    """The named query with its `VALUES ?var { }` placeholders filled from `lists`."""
    text = get(name)
    for var, terms in lists.items():
        pattern = re.compile(r"VALUES\s+\?" + re.escape(var) + r"\s*\{\s*\}")
        if not pattern.search(text):
            raise KeyError(f"query {name!r} has no placeholder VALUES ?{var} {{ }}")
        block = "VALUES ?" + var + " { " + " ".join(_term(t) for t in terms) + " }"
        text = pattern.sub(lambda _m, b=block: b, text, count=1)
    return text
