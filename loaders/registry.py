"""The loaders by source kind."""

from __future__ import annotations

from loaders.base import Loader
from loaders.ckan import CkanLoader
from loaders.datacite import DataCiteLoader
from loaders.datajson import DataJsonLoader
from loaders.dcat import DcatLoader
from loaders.oai import OaiLoader
from loaders.schemaorg import SchemaOrgLoader
from loaders.sheet import SheetLoader
from loaders.sparql import SparqlLoader

LOADERS: dict[str, type[Loader]] = {
    "dcat": DcatLoader,
    "ckan": CkanLoader,
    "datajson": DataJsonLoader,
    "schemaorg": SchemaOrgLoader,
    "datacite": DataCiteLoader,
    "oai": OaiLoader,
    "sparql": SparqlLoader,
    "sheet": SheetLoader,
}


def loader_for(kind: str, **options: object) -> Loader:
    """A loader for a source kind; `options` go to its constructor (page sizes, ...)."""
    try:
        cls = LOADERS[kind]
    except KeyError:
        raise ValueError(f"unknown source kind {kind!r} (one of {', '.join(LOADERS)})") from None
    return cls(**options)  # type: ignore[arg-type]
