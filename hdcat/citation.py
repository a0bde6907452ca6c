"""Citation strings for datasets: one function per style over a small `CitationData`.

Styles: GB/T 7714-2015 (`gbt7714`) and DataCite (`datacite`). More styles (APA, BibTeX, RIS,
CSL-JSON) are meant to be added as further functions over the same data and registered in
`STYLES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hdcat.browse import Agent, DatasetView


@dataclass(frozen=True)
class Creator:
    """One creator as a citation shows it."""

    names: dict[str, str]
    """Language ('zh', 'en', '') -> name."""
    kind: str = "org"
    """'org' or 'person'."""
    family: str | None = None
    given: str | None = None

    def name(self, lang: str) -> str:
        other = "en" if lang == "zh" else "zh"
        for key in (lang, other, ""):
            if self.names.get(key):
                return self.names[key]
        return next(iter(self.names.values()), "")


@dataclass(frozen=True)
class CitationData:
    """What a dataset citation needs, extracted from a record."""

    titles: dict[str, str]
    creators: list[Creator] = field(default_factory=list)
    publisher: Creator | None = None
    year: str | None = None
    version: str | None = None
    cstr: str | None = None
    """The CSTR without 'CSTR:' (e.g. 'A0006.11.A0005.202006.001018')."""
    doi: str | None = None
    iri: str | None = None

    def title(self, lang: str) -> str:
        other = "en" if lang == "zh" else "zh"
        for key in (lang, other, ""):
            if self.titles.get(key):
                return self.titles[key]
        return next(iter(self.titles.values()), self.iri or "")

    @property
    def cstr_url(self) -> str | None:
        return f"https://cstr.cn/{self.cstr}" if self.cstr else None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None


def _creator(agent: Agent) -> Creator:
    names = dict(agent.names) or {"": agent.label}
    return Creator(names, agent.kind, agent.family, agent.given)


def from_view(view: DatasetView) -> CitationData:
    """The citation data of a dataset view. RDF does not order dct:creator, so creators are
    ordered persons first, then organisations, each by IRI (stable across languages)."""
    creators = sorted(view.creators, key=lambda a: (a.kind != "person", a.iri))
    titles: dict[str, str] = {}
    for t in view.titles:
        titles.setdefault(t.lang, t.text)
    return CitationData(
        titles=titles,
        creators=[_creator(a) for a in creators],
        publisher=_creator(view.publisher) if view.publisher is not None else None,
        year=view.year,
        version=view.version,
        cstr=view.cstr.value[5:] if view.cstr is not None else None,
        doi=view.doi.value if view.doi is not None else None,
        iri=view.iri,
    )


def _end(text: str) -> str:
    return text if text.endswith((".", "。", "?", "!")) else text + "."


def _person_gbt(c: Creator, lang: str) -> str:
    """GB/T 7714 person: family name first, in capitals for Latin script (8.1.2)."""
    if c.family and lang != "zh":
        return f"{c.family.upper()} {c.given}".strip() if c.given else c.family.upper()
    return c.name(lang)


def gbt7714(data: CitationData, lang: str = "zh", accessed: date | None = None) -> str:
    """GB/T 7714-2015: `作者. 题名[DS/OL]. 版本. 出版者, 年[引用日期]. URL. CSTR/DOI.`

    More than three creators: the first three then ', 等' (zh) or ', et al.' (en).
    """
    accessed = accessed or date.today()
    parts: list[str] = []
    names = [_person_gbt(c, lang) if c.kind == "person" else c.name(lang) for c in data.creators]
    if names:
        shown = ", ".join(names[:3])
        if len(names) > 3:
            shown += ", 等" if lang == "zh" else ", et al"
        parts.append(_end(shown))
    parts.append(f"{data.title(lang)}[DS/OL].")
    if data.version:
        version = data.version if data.version[:1] in "vV" else "V" + data.version
        parts.append(_end(version))
    where = data.publisher.name(lang) if data.publisher is not None else ""
    when = f"{data.year or ''}[{accessed.isoformat()}]"
    parts.append(f"{where}, {when}." if where else f"{when}.")
    url = data.cstr_url or data.doi_url or data.iri
    if url:
        parts.append(f"{url}.")
    if data.cstr:
        parts.append(f"CSTR:{data.cstr}.")
    elif data.doi:
        parts.append(f"DOI:{data.doi}.")
    return " ".join(parts)


def _person_datacite(c: Creator, lang: str) -> str:
    if c.family:
        return f"{c.family}, {c.given}" if c.given else c.family
    return c.name(lang)


def datacite(data: CitationData, lang: str = "en") -> str:
    """DataCite: `Creator (PublicationYear): Title. Version. Publisher. (Dataset). Identifier`
    with the DOI as https://doi.org/..., else the CSTR resolver URL, else the IRI."""
    names = [_person_datacite(c, lang) if c.kind == "person" else c.name(lang)
             for c in data.creators]
    head = "; ".join(names) if names else (data.publisher.name(lang) if data.publisher else "")
    year = f" ({data.year})" if data.year else ""
    parts = [f"{head}{year}:".strip(), _end(data.title(lang))]
    if data.version:
        parts.append(f"Version {data.version}.")
    if data.publisher is not None:
        parts.append(_end(data.publisher.name(lang)))
    parts.append("(Dataset).")
    ident = data.doi_url or data.cstr_url or data.iri
    if ident:
        parts.append(ident)
    return " ".join(parts)


STYLES: dict[str, Callable[..., str]] = {"gbt7714": gbt7714, "datacite": datacite}
"""Style name -> function(data, lang=...)."""


def cite(data: CitationData, style: str, lang: str = "zh", **options: object) -> str:
    """The citation of `data` in `style` (a key of STYLES)."""
    return STYLES[style](data, lang=lang, **options)
