"""Citation strings for datasets: one function per style over a small `CitationData`.

Styles (keys of `STYLES`):

* ``gbt7714``: GB/T 7714-2015, electronic resource layout for datasets (`[DS/OL]`), as
  ScienceDB prints it: `作者. 题名[DS/OL]. 版本. 出版者, 年[引用日期]. URL. CSTR:…. DOI:….`
* ``datacite``: DataCite's preferred form, `Creator (PublicationYear): Title. Version.
  Publisher. (resourceTypeGeneral). Identifier`.
* ``apa``: APA 7 for a data set, `Author, A. A. (Year). Title (Version 1.0) [Data set].
  Publisher. https://doi.org/…`.
* ``bibtex``: a BibTeX `@misc` entry keyed by `bibtex_key`, special characters escaped.
* ``ris``: an RIS record of type `DATA` (CRLF line ends, `ER  - ` last).
* ``csl-json``: a CSL-JSON array holding one item of type `dataset`.

Every style takes the language ('zh' or 'en') of the names and title, falling back to the
other language. RDF rarely splits personal names: a person with `family`/`given` gets the
style's person form, any other name is used whole (it is never guessed apart).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hdcat.browse import Agent, DatasetView

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _clean(text: str | None) -> str:
    """One line: runs of whitespace (newlines, tabs) as one space."""
    return " ".join((text or "").split())


def _han(text: str | None) -> bool:
    return bool(text) and _HAN.search(text or "") is not None


def _other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


@dataclass(frozen=True)
class Creator:
    """One creator (or the publisher) as a citation shows it."""

    names: dict[str, str]
    """Language ('zh', 'en', '') -> name."""
    kind: str = "org"
    """'org' or 'person'."""
    family: str | None = None
    given: str | None = None

    def name(self, lang: str) -> str:
        """The whole name in `lang`, else the other language, else untagged."""
        for key in (lang, _other(lang), ""):
            if self.names.get(key):
                return _clean(self.names[key])
        return _clean(next(iter(self.names.values()), ""))

    @property
    def chinese(self) -> bool:
        """Whether any of the names is written in Chinese characters."""
        return any(_han(n) for n in (*self.names.values(), self.family, self.given))

    def parts(self, lang: str) -> tuple[str, str | None] | None:
        """(family, given) to cite a person by in `lang`, or None to use the whole name:
        organisations, persons without a family name, and, in Chinese, a person whose
        Chinese name is not what family/given spell."""
        if self.kind != "person" or not _clean(self.family):
            return None
        if lang == "zh" and self.names.get("zh") and not _han(self.family):
            return None
        return _clean(self.family), _clean(self.given) or None


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
    """The bare DOI (e.g. '10.12213/11.A0005.202006.001018')."""
    iri: str | None = None
    url: str | None = None
    """The landing page, when it is not the IRI itself."""
    issued: str | None = None
    """The publication date (xsd:date, gYearMonth or gYear lexical form)."""

    def title(self, lang: str) -> str:
        for key in (lang, _other(lang), ""):
            if self.titles.get(key):
                return _clean(self.titles[key])
        return _clean(next(iter(self.titles.values()), self.iri or ""))

    @property
    def cstr_url(self) -> str | None:
        return f"https://cstr.cn/{self.cstr}" if self.cstr else None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def page_url(self) -> str | None:
        """The landing page: `url`, else the IRI."""
        return self.url or self.iri

    @property
    def link(self) -> str | None:
        """The persistent link to cite: DOI resolver, else CSTR resolver, else the page."""
        return self.doi_url or self.cstr_url or self.page_url

    @property
    def bare_version(self) -> str | None:
        """The version without a leading 'v' / 'Version ' ('v1.0' -> '1.0')."""
        if not self.version:
            return None
        text = _clean(self.version)
        m = re.match(r"^(?:version|v)\.?\s*(?=\d)", text, re.I)
        return text[m.end():] if m else text

    def date_parts(self) -> list[int] | None:
        """[year, month, day] (as far as known) of `issued`, else of `year`."""
        for value in (self.issued, self.year):
            m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
            if m:
                return [int(x) for x in m.groups() if x is not None]
        return None


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
    year = view.year
    issued = view.issued if view.issued and year and view.issued.startswith(year) else None
    return CitationData(
        titles=titles,
        creators=[_creator(a) for a in creators],
        publisher=_creator(view.publisher) if view.publisher is not None else None,
        year=year,
        version=view.version,
        cstr=view.cstr.value[5:] if view.cstr is not None else None,
        doi=view.doi.value if view.doi is not None else None,
        iri=view.iri,
        issued=issued,
    )


def _end(text: str) -> str:
    return text if text.endswith((".", "。", "?", "!", "？", "！")) else text + "."


def _initials(given: str, dot: bool) -> str:
    """'Stephen William' -> 'S. W.' (dot) or 'S W'; 'Jean-Paul' -> 'J.-P.' or 'J P'."""
    out = []
    for word in given.split():
        pieces = [p for p in word.split("-") if p.strip(".")]
        if dot:
            out.append("-".join(p.strip(".")[0] + "." for p in pieces))
        else:
            out.extend(p.strip(".")[0] for p in pieces)
    return " ".join(out)


# --------------------------------------------------------------------------- GB/T 7714


def _person_gbt(c: Creator, lang: str) -> str:
    """GB/T 7714-2015 8.1.1: family name first, no comma. Chinese characters as written
    ('张三'); pinyin with the family name in capitals ('ZHANG San'); Western names as the
    family name in capitals and the initials without full stops ('EINSTEIN A')."""
    parts = c.parts(lang)
    if parts is None:
        return c.name(lang)
    family, given = parts
    if _han(family):
        return family + (given or "")
    if not given:
        return family.upper()
    return f"{family.upper()} {given if c.chinese else _initials(given, dot=False)}"


def gbt7714(data: CitationData, lang: str = "zh", accessed: date | None = None) -> str:
    """GB/T 7714-2015: `作者. 题名[DS/OL]. 版本. 出版者, 年[引用日期]. URL. CSTR:…. DOI:….`

    More than three creators: the first three then ', 等' (zh) or ', et al.' (en).
    """
    accessed = accessed or date.today()
    parts: list[str] = []
    names = [_person_gbt(c, lang) for c in data.creators]
    if names:
        shown = ", ".join(names[:3])
        if len(names) > 3:
            shown += ", 等" if lang == "zh" else ", et al"
        parts.append(_end(shown))
    url = data.cstr_url or data.doi_url or data.page_url
    parts.append(f"{data.title(lang)}[DS/OL]." if url else f"{data.title(lang)}[DS].")
    if data.bare_version:
        parts.append(_end("V" + data.bare_version))
    where = data.publisher.name(lang) if data.publisher is not None else ""
    when = f"{data.year or ''}[{accessed.isoformat()}]"
    parts.append(f"{where}, {when}." if where else f"{when}.")
    if url:
        parts.append(f"{url}.")
    if data.cstr:
        parts.append(f"CSTR:{data.cstr}.")
    if data.doi:
        parts.append(f"DOI:{data.doi}.")
    return " ".join(parts)


# --------------------------------------------------------------------------- DataCite


def _person_inverted(c: Creator, lang: str) -> str:
    """'Family, Given' when the name is split, else the whole name."""
    parts = c.parts(lang)
    if parts is None:
        return c.name(lang)
    family, given = parts
    if _han(family):
        return family + (given or "")
    return f"{family}, {given}" if given else family


def datacite(data: CitationData, lang: str = "en", accessed: date | None = None) -> str:
    """DataCite: `Creator (PublicationYear): Title. Version. Publisher. (Dataset). Identifier`
    with the DOI as https://doi.org/..., else the CSTR resolver URL, else the page."""
    names = [_person_inverted(c, lang) for c in data.creators]
    head = "; ".join(names) if names else (data.publisher.name(lang) if data.publisher else "")
    year = f" ({data.year})" if data.year else ""
    parts = [f"{head}{year}:".strip(), _end(data.title(lang))]
    if data.bare_version:
        parts.append(f"Version {data.bare_version}.")
    if data.publisher is not None:
        parts.append(_end(data.publisher.name(lang)))
    parts.append("(Dataset).")
    if data.link:
        parts.append(data.link)
    return " ".join(parts)


# --------------------------------------------------------------------------- APA 7


def _person_apa(c: Creator, lang: str) -> str:
    """APA 7: 'Family, G. G.'; a name in Chinese characters in full; others whole."""
    parts = c.parts(lang)
    if parts is None:
        return c.name(lang)
    family, given = parts
    if _han(family):
        return family + (given or "")
    return f"{family}, {_initials(given, dot=True)}" if given else family


def _apa_authors(names: list[str]) -> str:
    """APA 7 author list: 'A', 'A, & B', 'A, B, & C'; 21 or more: the first 19, an
    ellipsis, then the last."""
    if len(names) <= 1:
        return "".join(names)
    if len(names) > 20:
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def apa(data: CitationData, lang: str = "en", accessed: date | None = None) -> str:
    """APA 7 (data set): `Author, A. A., & Author, B. (Year). Title (Version 1.0) [Data set].
    Publisher. https://doi.org/…`. The publisher is left out when it is also an author;
    with no author, the title takes the author's place. Labels stay in English."""
    year = f"({data.year})." if data.year else "(n.d.)."
    title = data.title(lang)
    if data.bare_version:
        title += f" (Version {data.bare_version})"
    title = _end(title + " [Data set]")
    names = [_person_apa(c, lang) for c in data.creators]
    parts = [_end(_apa_authors(names)), year, title] if names else [title, year]
    if data.publisher is not None:
        publisher = data.publisher.name(lang)
        if publisher and publisher not in {c.name(lang) for c in data.creators}:
            parts.append(_end(publisher))
    if data.link:
        parts.append(data.link)
    return " ".join(parts)


# --------------------------------------------------------------------------- BibTeX

_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


def bibtex_escape(text: str) -> str:
    """`text` with the characters special to (La)TeX escaped."""
    return "".join(_BIBTEX_ESCAPES.get(ch, ch) for ch in _clean(text))


def _verbatim(text: str) -> str:
    """A URL or DOI for a verbatim field: no whitespace, no braces (percent-encoded)."""
    return "".join(text.split()).replace("{", "%7B").replace("}", "%7D")


def bibtex_key(data: CitationData) -> str:
    """A stable citation key (the same in every language): the last segment of the
    dataset IRI, else the DOI, else the CSTR, restricted to `A-Za-z0-9_:.-`."""
    for i, source in enumerate((data.iri, data.doi, data.cstr)):
        if not source:
            continue
        tail = re.split(r"[/#]", source.rstrip("/#"))[-1] if i == 0 else source
        key = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9_:.-]", "-", tail)).strip("-.:")
        if re.search(r"[A-Za-z0-9]", key):
            return key
    return "dataset"


def _bibtex_name(c: Creator, lang: str) -> str:
    parts = c.parts(lang)
    if parts is None or _han(parts[0]):
        whole = c.name(lang) if parts is None else parts[0] + (parts[1] or "")
        return "{" + bibtex_escape(whole) + "}"  # braced: never split into first/last
    family, given = parts
    return bibtex_escape(f"{family}, {given}" if given else family)


def bibtex(data: CitationData, lang: str = "en", accessed: date | None = None) -> str:
    """A BibTeX `@misc` entry (classic BibTeX has no dataset type; biblatex reads `version`,
    `doi` and `url`). The title is double-braced to keep its case."""
    fields: list[tuple[str, str]] = []
    if data.creators:
        fields.append(("author", " and ".join(_bibtex_name(c, lang) for c in data.creators)))
    fields.append(("title", "{" + bibtex_escape(data.title(lang)) + "}"))
    if data.year:
        fields.append(("year", bibtex_escape(data.year)))
    if data.publisher is not None:
        fields.append(("publisher", bibtex_escape(data.publisher.name(lang))))
    if data.bare_version:
        fields.append(("version", bibtex_escape(data.bare_version)))
    if data.doi:
        fields.append(("doi", _verbatim(data.doi)))
    if data.link:
        fields.append(("url", _verbatim(data.link)))
    if data.cstr:
        fields.append(("note", bibtex_escape(f"CSTR:{data.cstr}")))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{bibtex_key(data)},\n{body}}}\n"


# --------------------------------------------------------------------------- RIS


def ris(data: CitationData, lang: str = "en", accessed: date | None = None) -> str:
    """An RIS record: `TY  - DATA`, AU (one per creator), TI, PY, PB, ET (the version), DO,
    UR, AN (the CSTR), `ER  - `; one tag per line, CRLF line ends."""
    lines = [("TY", "DATA")]
    lines += [("AU", _person_inverted(c, lang)) for c in data.creators]
    lines.append(("TI", data.title(lang)))
    if data.year:
        lines.append(("PY", data.year))
    if data.publisher is not None:
        lines.append(("PB", data.publisher.name(lang)))
    if data.bare_version:
        lines.append(("ET", data.bare_version))
    if data.doi:
        lines.append(("DO", data.doi))
    if data.link:
        lines.append(("UR", data.link))
    if data.cstr:
        lines.append(("AN", f"CSTR:{data.cstr}"))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_clean(value)}\r\n" for tag, value in lines)


# --------------------------------------------------------------------------- CSL-JSON


def csl_item(
    data: CitationData, lang: str = "en", accessed: date | None = None
) -> dict[str, object]:
    """The CSL-JSON item (type `dataset`): persons as family/given when split, else
    `literal`; `issued` as date-parts; `accessed` only when given."""
    authors: list[dict[str, str]] = []
    for c in data.creators:
        parts = c.parts(lang)
        if parts is None:
            authors.append({"literal": c.name(lang)})
        else:
            authors.append({"family": parts[0], **({"given": parts[1]} if parts[1] else {})})
    item: dict[str, object] = {"id": bibtex_key(data), "type": "dataset",
                               "title": data.title(lang)}
    if authors:
        item["author"] = authors
    when = data.date_parts()
    if when:
        item["issued"] = {"date-parts": [when]}
    if accessed is not None:
        item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    if data.publisher is not None:
        item["publisher"] = data.publisher.name(lang)
    if data.bare_version:
        item["version"] = data.bare_version
    if data.doi:
        item["DOI"] = data.doi
    if data.link:
        item["URL"] = data.link
    if data.cstr:
        item["note"] = f"CSTR:{data.cstr}"
    return item


def csl_json(data: CitationData, lang: str = "en", accessed: date | None = None) -> str:
    """CSL-JSON: an array with the one item of `csl_item`, UTF-8, indented."""
    return json.dumps([csl_item(data, lang, accessed)], ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- registry


STYLES: dict[str, Callable[..., str]] = {
    "gbt7714": gbt7714,
    "datacite": datacite,
    "apa": apa,
    "bibtex": bibtex,
    "ris": ris,
    "csl-json": csl_json,
}
"""Style name -> function(data, lang=..., accessed=...)."""


def cite(data: CitationData, style: str, lang: str = "zh", **options: object) -> str:
    """The citation of `data` in `style` (a key of STYLES); KeyError for another style."""
    return STYLES[style](data, lang=lang, **options)
