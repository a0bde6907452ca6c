"""Fewer cyclic garbage collections while a big job builds millions of small objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run a big load, or a validation worker, with far fewer cyclic garbage collections. A
    load keeps millions of small objects alive (triples in lists and dicts), and each
    collection walks them all: with the default thresholds that is about a fifth of a
    validated load's time (and a quarter of the fast validator's, in a worker, where the
    compiled shapes are what each collection walks). Objects are still freed by reference
    counting as usual, and cycles still collected, only less often. Nested uses keep the
    outermost thresholds."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], 200_000), max(old[1], 20), max(old[2], 1000))
    try:
        yield
    finally:
        gc.set_threshold(*old)
