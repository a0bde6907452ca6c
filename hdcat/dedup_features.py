"""What the duplicate check compares: the profile of a dataset (or of a planned one) and the
scored comparison of two profiles, with its reasons in words.

A *profile* holds, per language, the title and description as *units*: lexicon concepts
(``c:t2dm``, the same for ``T2DM``, ``type 2 diabetes`` and ``2型糖尿病``), regions
(``r:cn.gd``), words (English stems; jieba words of Chinese) and Chinese character bigrams
(``b:糖尿``, for Chinese however it is segmented), versions and editions (``v:v2``,
``v:e2021``). Beside the text: keywords, regions, the
time range in years, publisher and creators, standards, variables, source datasets, declared
relations (versions, series, lineage), identifiers, domains and size.

The text pipeline reuses hdcat.search's normalisation (NFKC, lower case), token pattern,
plural stemmer, stop words, CJK bigrams and jieba segmentation; this module adds the lexicon
and gazetteer (hdcat.dedup_lexicon), matched longest first before the rest is tokenised.

`compare(plan, doc, weight)` gives the features of the pair; `score(features)` the calibrated
probability that they describe the same data (a logistic model fitted on the labelled set of
bench/dedup, see `WEIGHTS`); `band(score)` its band; `reasons(...)` the reasons in zh or en.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date

import pyoxigraph as ox

from hdcat.dedup_lexicon import CONCEPTS, GENERIC, REGION_GROUPS, REGIONS
from hdcat.search import _CJK, _STOPWORDS, _TOKEN_RE, _grams, _normalize, _segment, _stem

# ------------------------------------------------------------------ vocabulary

_DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
_HDCAT = "https://w3id.org/hdcat/ns#"
_PROV = "http://www.w3.org/ns/prov#"
_HEALTH = "http://healthdataportal.eu/ns/health#"
_CSVW = "http://www.w3.org/ns/csvw#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_ADMS = "http://www.w3.org/ns/adms#"
_SDO = "http://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PRIMARY_TOPIC = "http://xmlns.com/foaf/0.1/primaryTopic"
DATASET = _DCAT + "Dataset"

# Longest text read from a description, per language (the start says what the data is).
DESCRIPTION_CHARS = 700
MAX_UNITS = 160
MAX_LIST = 50

# Chinese words blanked before segmentation: generic words.
BLANK = ("数据集", "数据库", "数据资源", "研究数据", "数据", "资料", "的", "及其",
         # words that describe a plan rather than its data
         "拟采集", "拟收集", "拟建设", "采集", "收集", "项目", "计划", "课题", "拟")

BANDS = ("duplicate", "overlap", "distinct")

# ------------------------------------------------------------------ text analysis

_CJK_RE = re.compile("[" + _CJK + "]")
_SPACE_RE = re.compile(r"\s+")
_CJK_SPACE_RE = re.compile("(?<=[" + _CJK + r"])\s+|\s+(?=[" + _CJK + "])")
_LATIN_NUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_LATIN_RUN = re.compile("[a-z0-9]+")
_YEAR_RE = re.compile(r"^(19|20)\d\d$")
_VERSION_RE = re.compile(r"^v\d+$")
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "~": "-", "～": "-", "‐": "-"})


def _compact(text: str) -> str:
    """Normalised text with the white space next to Chinese characters removed (so that
    ``2 型糖尿病`` reads as ``2型糖尿病``) and every other run of white space one space."""
    text = _normalize(text).translate(_DASHES)
    text = _CJK_SPACE_RE.sub("", text)
    return _SPACE_RE.sub(" ", text).strip()


def script(text: str) -> str:
    """'zh' when a text is mostly Chinese characters, else 'en'."""
    cjk = len(_CJK_RE.findall(text))
    letters = sum(1 for c in text if c.isalpha())
    return "zh" if letters and cjk / letters >= 0.3 else "en"


class Analyzer:
    """Text to units, with the lexicon (and any extra bilingual terms) matched first."""

    def __init__(self, extra: Mapping[str, tuple[Sequence[str], Sequence[str]]] | None = None):
        self.forms: dict[str, str] = {}
        self.broader: dict[str, tuple[str, ...]] = {}
        self.display: dict[str, tuple[str, str]] = {}
        for cid, (zh, en, abbr, broader) in CONCEPTS.items():
            unit = "c:" + cid
            self.broader[unit] = tuple("c:" + b for b in broader)
            self.display[unit] = (zh[0] if zh else en[0], en[0] if en else zh[0])
            self._add(unit, (*zh, *en, *abbr))
        for code, zh, en in REGIONS:
            unit = "r:" + code
            self.display[unit] = (zh[0], en[0].title() if en else zh[0])
            self._add(unit, (*zh, *en))
        self._add("", BLANK)
        for unit, (zh, en) in sorted((extra or {}).items()):
            if unit not in self.display and (zh or en):
                self.display[unit] = ((list(zh) or list(en))[0], (list(en) or list(zh))[0])
                self._add(unit, (*zh, *en))
        by_first: dict[str, set[int]] = {}
        latin: dict[str, list[str]] = {}
        for form in self.forms:
            if form[0] in _LATIN_NUM:
                first = _LATIN_RUN.match(form)
                latin.setdefault(first.group(0) if first else form, []).append(form)
            else:
                by_first.setdefault(form[0], set()).add(len(form))
        self._lengths = {c: tuple(sorted(ls, reverse=True)) for c, ls in by_first.items()}
        self._latin = {w: tuple(sorted(fs, key=len, reverse=True)) for w, fs in latin.items()}
        self._cache: dict[tuple[str, bool], list[str]] = {}

    def _add(self, unit: str, forms: Iterable[str]) -> None:
        for form in forms:
            key = _compact(form)
            if not key or (len(key) < 2 and unit) or key in self.forms:
                continue
            self.forms[key] = unit
            if key[-1].isalpha() and key[-1] in _LATIN_NUM:
                for plural in (key + "s", key + "es"):
                    self.forms.setdefault(plural, unit)

    def _matches(self, text: str) -> tuple[list[str], str]:
        """The lexicon units found in a compact text (longest first at each position, left
        to right) and the text with those spans blanked."""
        found: list[str] = []
        chars = list(text)
        n = len(text)
        i = 0
        lengths = self._lengths
        forms = self.forms
        latin = self._latin
        while i < n:
            ch = text[i]
            end = 0
            if ch in _LATIN_NUM:
                run = _LATIN_RUN.match(text, i)
                stop = run.end() if run else i + 1
                for form in latin.get(text[i:stop], ()):
                    e = i + len(form)
                    if text.startswith(form, i) and not (
                            e < n and text[e] in _LATIN_NUM and form[-1] in _LATIN_NUM):
                        end = e
                        break
                if not end:
                    i = stop
                    continue
            else:
                for length in lengths.get(ch, ()):
                    if i + length <= n and text[i : i + length] in forms:
                        end = i + length
                        break
                if not end:
                    i += 1
                    continue
            unit = forms[text[i:end]]
            if unit:
                found.append(unit)
                found.extend(self.broader.get(unit, ()))
            for j in range(i, end):
                chars[j] = " "
            i = end
        return found, "".join(chars)

    def units(self, text: str, segment: bool = True) -> list[str]:
        """The distinct units of a text, in order: lexicon concepts and regions, then words
        (English stems; with `segment`, jieba words of Chinese runs) and Chinese bigrams
        (``b:`` prefixed). Stop words, generic words, years and version numbers are left
        out."""
        key = (text, segment)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        compact = _compact(text)
        found, rest = self._matches(compact)
        out: dict[str, None] = dict.fromkeys(found)
        for m in _EDITION_RE.finditer(compact):
            out["v:e" + (m.group(1) or m.group(2))] = None
        for m in _TOKEN_RE.finditer(rest):
            run, word = m.group(1), m.group(2)
            if run:
                if segment and len(run) >= 2:
                    for w in _segment(run):
                        if w not in GENERIC:
                            out[w] = None
                for g in _grams(run)[:-1] if len(run) >= 2 else ():
                    if g not in GENERIC:
                        out["b:" + g] = None
            else:
                w = _stem(word)
                if _VERSION_RE.match(w):
                    out["v:" + w] = None
                    continue
                if (w in _STOPWORDS or w in GENERIC or _YEAR_RE.match(w)
                        or (w.isdigit() and len(w) < 2)):
                    continue
                out[w] = None
        units = list(out)[:MAX_UNITS]
        if len(self._cache) > 50000:
            self._cache.clear()
        self._cache[key] = units
        return units

    def regions(self, text: str) -> list[str]:
        """The region codes a text names."""
        found, _rest = self._matches(_compact(text))
        return list(dict.fromkeys(u[2:] for u in found if u.startswith("r:")))

    def label(self, unit: str, lang: str) -> str:
        """How a unit is shown: a concept or region by its label, a bigram by its characters."""
        shown = self.display.get(unit)
        if shown is not None:
            return shown[0] if lang == "zh" else shown[1]
        return unit[2:] if unit.startswith(("b:", "v:")) else unit


def neutral(unit: str) -> bool:
    """True for units that do not depend on the language (concepts, regions, Latin words)."""
    return unit.startswith(("c:", "r:")) or not (unit.startswith("b:") or _CJK_RE.search(unit))


# ------------------------------------------------------------------ keys of things


_STD_T = re.compile(r"[/\-\s]t(?=[\s\-]?\d)")
_STD_YEAR = re.compile(r"[-\s]\d{4}$")
_NON_ALNUM = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


def standard_key(text: str) -> str:
    """A standard's code without its year, kind or punctuation: ``WS/T 363-2023`` and
    ``ws-t-363`` are both ``ws363``; ``ICD-10`` is ``icd10``."""
    s = _normalize(text).strip()
    s = s.rstrip("/").rsplit("/", 1)[-1] if s.startswith("http") else s
    s = _STD_T.sub("", s)
    s = _STD_YEAR.sub("", s)
    return _NON_ALNUM.sub("", s)


def variable_key(text: str) -> str:
    return _NON_ALNUM.sub("", _normalize(text))


def identifier_key(text: str) -> str:
    s = _normalize(text).strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:", "https://cstr.cn/", "cstr:"):
        if s.startswith(prefix):
            s = s[len(prefix):]
    return s


_DATE_RE = re.compile(r"(-?\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_RANGE_RE = re.compile(r"((?:19|20)\d\d)(?:\s*年)?\s*(?:-|至|到|to|until|~)\s*((?:19|20)\d\d)")
_EDITION_RE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*(?:年?版|年度版|edition)|edition\s*((?:19|20)\d\d)")
_ONE_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)(?!\s*(?:年?版|edition|年度版))")


def year_of(value: str, end: bool = False) -> float | None:
    """A date (YYYY, YYYY-MM or YYYY-MM-DD) as a year with its fraction; an end date counts
    to the end of its day, month or year."""
    m = _DATE_RE.match(str(value).strip())
    if not m:
        return None
    y = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        if month is None:
            return float(y + 1 if end else y)
        if day is None:
            start = date(y, month, 1).timetuple().tm_yday
            stop = (date(y + 1, 1, 1) if month == 12 else date(y, month + 1, 1)).timetuple()
            last = 366 if month == 12 else stop.tm_yday
            return y + ((last - 1) if end else (start - 1)) / 365.25
        yday = date(y, month, day).timetuple().tm_yday
        return y + (yday if end else yday - 1) / 365.25
    except ValueError:
        return float(y + 1 if end else y)


def years_in_text(text: str) -> tuple[float, float] | None:
    """A time range a text states (``2015—2019``, ``2015 to 2019``), or its only year."""
    t = _compact(text)
    m = _RANGE_RE.search(t)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if a <= b:
            return float(a), float(b + 1)
    years = set(_ONE_YEAR_RE.findall(t))
    if len(years) == 1:
        y = int(years.pop())
        return float(y), float(y + 1)
    return None


_SIZE_RE = re.compile(r"(\d+(?:[.,]\d+)*)\s*(万|亿|k|m|thousand|million)?", re.IGNORECASE)
_MULT = {"万": 1e4, "亿": 1e8, "k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}


def parse_size(value: object) -> int | None:
    """A planned size: a number, or text such as ``3.5万``, ``35,000 patients``, ``2 million``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if value > 0 else None
    m = _SIZE_RE.search(str(value or ""))
    if not m:
        return None
    try:
        n = float(m.group(1).replace(",", ""))
    except ValueError:
        return None
    n *= _MULT.get((m.group(2) or "").lower(), 1)
    return int(n) if n > 0 else None


# ------------------------------------------------------------------ profiles


@dataclass
class Profile:
    """What the duplicate check compares of a dataset or a planned dataset."""

    dataset: str = ""
    record: str = ""
    titles: dict[str, str] = field(default_factory=dict)
    tu: dict[str, list[str]] = field(default_factory=dict)
    du: dict[str, list[str]] = field(default_factory=dict)
    ku: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    pu: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    time: list[float] | None = None
    agents: list[str] = field(default_factory=list)
    institutions: list[str] = field(default_factory=list)
    standards: list[str] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    size: int | None = None

    def to_json(self) -> dict[str, object]:
        return {k: v for k in _PROFILE_FIELDS if (v := getattr(self, k))}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Profile:
        return cls(**data)  # type: ignore[arg-type]

    def all_units(self) -> set[str]:
        """Every text unit of the profile (titles, descriptions, keywords)."""
        out: set[str] = set(self.ku)
        for units in self.tu.values():
            out.update(units)
        for units in self.du.values():
            out.update(units)
        return out

    def title_units(self) -> set[str]:
        out: set[str] = set()
        for units in self.tu.values():
            out.update(units)
        return out

    def keys(self) -> list[str]:
        """The index keys of a profile: title and keyword units other than bigrams, regions,
        agents, sources (and the dataset itself, as a source of others), identifiers."""
        out: dict[str, None] = {}
        for units in self.tu.values():
            out.update(dict.fromkeys(u for u in units if not u.startswith("b:")))
        out.update(dict.fromkeys(u for u in self.ku if not u.startswith("b:")))
        out.update(dict.fromkeys("r:" + r for r in self.regions))
        out.update(dict.fromkeys("p:" + a for a in self.agents))
        out.update(dict.fromkeys("s:" + s for s in self.sources))
        if self.dataset:
            out["s:" + self.dataset] = None
        out.update(dict.fromkeys("i:" + i for i in self.identifiers))
        return list(out)

    def df_units(self) -> set[str]:
        """The units counted in the document frequencies (text units and keys)."""
        return self.all_units() | set(self.keys())


_PROFILE_FIELDS = tuple(f.name for f in fields(Profile))


def _specific(codes: Iterable[str]) -> list[str]:
    """Region codes without those that a more specific one lies in."""
    codes = list(dict.fromkeys(codes))
    return [c for c in codes if not any(o != c and o.startswith(c + ".") for o in codes)]


def _regions_of(analyzer: Analyzer, first: Iterable[str], then: Iterable[str],
                spatial: Iterable[str] = ()) -> list[str]:
    """The regions a dataset covers: those its title (or a plan's region field) names; else
    the places of its spatial coverage finer than a country; else those its description
    names first (not a country); else the country of its spatial coverage."""
    named: list[str] = []
    for text in first:
        named.extend(analyzer.regions(text))
    if named:
        return _specific(named)
    spatial = list(spatial)
    finer = [c for c in spatial if "." in c]
    if finer:
        return _specific(finer)
    for text in then:
        found = [c for c in analyzer.regions(text[:DESCRIPTION_CHARS]) if "." in c]
        if found:
            return _specific(found[:3])
    return _specific(spatial)


def _text_profile(analyzer: Analyzer, p: Profile, titles: Mapping[str, str],
                  descriptions: Mapping[str, str], keywords: Iterable[str]) -> None:
    for lang, text in titles.items():
        p.titles[lang] = text
        p.tu[lang] = analyzer.units(text, segment=True)
    for lang, text in descriptions.items():
        p.du[lang] = analyzer.units(text[:DESCRIPTION_CHARS], segment=False)
    kws = list(dict.fromkeys(k.strip() for k in keywords if k and k.strip()))[:MAX_LIST]
    p.keywords = kws
    ku: dict[str, None] = {}
    for k in kws:
        ku.update(dict.fromkeys(analyzer.units(k, segment=True)))
    p.ku = list(ku)[:MAX_UNITS]


def _lang(tag: str | None, text: str) -> str:
    tag = (tag or "").lower()
    if tag.startswith("zh"):
        return "zh"
    if tag.startswith("en"):
        return "en"
    return script(text)


@dataclass
class Context:
    """What making a dataset's profile needs beyond its record: the analyzer, standard codes
    by IRI and regions by spatial IRI (both looked up in the catalog, cached)."""

    analyzer: Analyzer
    standard_codes: Callable[[str], str]
    spatial_regions: Callable[[str], list[str]]


def dataset_profile(record_iri: str, triples: Iterable[ox.Triple], ctx: Context) -> Profile | None:
    """The profile of the dataset a record graph describes (None: no dcat:Dataset)."""
    by_subject: dict[object, list[ox.Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
    rec = ox.NamedNode(record_iri)
    ds = next((t.object for t in by_subject.get(rec, ()) if t.predicate.value == PRIMARY_TOPIC),
              None)
    if not isinstance(ds, ox.NamedNode):
        return None
    own = by_subject.get(ds, [])
    if not any(t.predicate.value == RDF_TYPE and t.object.value == DATASET for t in own):
        return None
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    keywords: list[str] = []
    p = Profile(dataset=ds.value, record=record_iri)
    spatial: list[str] = []
    starts: list[float] = []
    ends: list[float] = []
    variables: dict[str, None] = {}
    identifiers: dict[str, None] = {}
    size_records = size_people = None

    def objects(s: object, prop: str) -> list[object]:
        return [t.object for t in by_subject.get(s, ()) if t.predicate.value == prop]

    for t in sorted(own, key=lambda t: (t.predicate.value, str(t.object))):
        prop, o = t.predicate.value, t.object
        if prop == _DCT + "title" and isinstance(o, ox.Literal):
            titles.setdefault(_lang(o.language, o.value), o.value)
        elif prop == _DCT + "description" and isinstance(o, ox.Literal):
            descriptions.setdefault(_lang(o.language, o.value), o.value)
        elif prop == _DCAT + "keyword" and isinstance(o, ox.Literal):
            keywords.append(o.value)
        elif prop in (_DCT + "publisher", _DCT + "creator") and isinstance(o, ox.NamedNode):
            if prop == _DCT + "publisher":
                p.agents.insert(0, o.value)
            else:
                p.agents.append(o.value)
        elif prop == _DCT + "conformsTo" and isinstance(o, ox.NamedNode):
            p.standards.append(ctx.standard_codes(o.value))
        elif prop == _DCT + "spatial" and isinstance(o, ox.NamedNode):
            spatial.extend(ctx.spatial_regions(o.value))
        elif prop == _DCT + "temporal":
            for s_prop, e_prop in ((_DCAT + "startDate", _DCAT + "endDate"),
                                   (_SDO + "startDate", _SDO + "endDate")):
                for v in objects(o, s_prop):
                    y = year_of(v.value)
                    if y is not None:
                        starts.append(y)
                for v in objects(o, e_prop):
                    y = year_of(v.value, end=True)
                    if y is not None:
                        ends.append(y)
        elif prop in (_PROV + "wasDerivedFrom", _DCT + "source") and isinstance(o, ox.NamedNode):
            p.sources.append(o.value)
        elif prop in (_DCAT + "previousVersion", _DCAT + "hasVersion", _DCAT + "isVersionOf",
                      _DCT + "hasVersion", _DCT + "isVersionOf", _DCT + "replaces",
                      _DCT + "isReplacedBy", _DCAT + "inSeries") and isinstance(o, ox.NamedNode):
            p.related.append(o.value)
        elif prop == _DCT + "identifier" and isinstance(o, ox.Literal):
            identifiers[identifier_key(o.value)] = None
        elif prop == _ADMS + "identifier":
            for v in objects(o, _SKOS + "notation"):
                identifiers[identifier_key(v.value)] = None
        elif prop == _HDCAT + "domain" and isinstance(o, ox.NamedNode):
            p.domains.append(o.value)
        elif prop == _HEALTH + "numberOfUniqueIndividuals":
            size_people = parse_size(o.value)
        elif prop == _HEALTH + "numberOfRecords":
            size_records = parse_size(o.value)
        elif prop == _HEALTH + "hasVariables":
            for node in [o, *objects(o, _CSVW + "table")]:
                for schema in [node, *objects(node, _CSVW + "tableSchema")]:
                    for col in objects(schema, _CSVW + "column"):
                        for name in objects(col, _CSVW + "name"):
                            variables[variable_key(name.value)] = None
                        for title in objects(col, _CSVW + "title"):
                            variables.update(dict.fromkeys(
                                u for u in ctx.analyzer.units(title.value, segment=False)
                                if u.startswith("c:")))
        elif prop == _DCAT + "distribution":
            for std in objects(o, _DCT + "conformsTo"):
                if isinstance(std, ox.NamedNode):
                    p.standards.append(ctx.standard_codes(std.value))
    _text_profile(ctx.analyzer, p, titles, descriptions, keywords)
    p.regions = _regions_of(ctx.analyzer, titles.values(), descriptions.values(), spatial)
    if starts or ends:
        start = min(starts) if starts else min(ends) - 1
        end = max(ends) if ends else max(starts) + 1
        p.time = [round(start, 3), round(max(end, start), 3)]
    else:
        for text in titles.values():
            found = years_in_text(text)
            if found:
                p.time = list(found)
                break
    p.agents = list(dict.fromkeys(p.agents))[:MAX_LIST]
    p.standards = list(dict.fromkeys(s for s in p.standards if s))[:MAX_LIST]
    p.variables = sorted(variables)[:MAX_UNITS]
    p.sources = list(dict.fromkeys(p.sources))[:MAX_LIST]
    p.related = list(dict.fromkeys(p.related))[:MAX_LIST]
    p.identifiers = [i for i in identifiers if i][:MAX_LIST]
    p.domains = sorted(set(p.domains))
    p.size = size_people or size_records
    return p


# ------------------------------------------------------------------ planned datasets

PLAN_FIELDS = ("title", "title_zh", "title_en", "description", "description_zh",
               "description_en", "keywords", "domain", "population", "region", "start", "end",
               "time", "variables", "standards", "institutions", "size", "sources")


def as_list(value: object) -> list[str]:
    """A list of strings from a list or a text separated by commas, semicolons or 、."""
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        items = [str(v) for v in value if v is not None]
    else:
        items = re.split(r"[,;，；、\n]+", str(value))
    return [i.strip() for i in items if i and i.strip()][:MAX_LIST]


def plan_profile(plan: Mapping[str, object], ctx: Context,
                 resolve_agents: Callable[[list[str]], list[str]] | None = None,
                 resolve_domain: Callable[[str], str | None] | None = None,
                 agents_named: Callable[[str], list[tuple[str, str]]] | None = None) -> Profile:
    """The profile of a planned dataset (a mapping of PLAN_FIELDS; `title` alone is enough).

    Titles and descriptions go by script unless given as `title_zh` / `title_en`; the time
    range is `start` and `end` (years or dates) or `time` (``2015-2019``); institutions
    are matched to the catalog's agents by `resolve_agents`. Institutions a title names
    (``北京协和医院糖尿病…``; `agents_named` finds the catalog's agents in a text) count as
    the plan's institutions and are taken out of the title: a published title seldom names
    them, and their place names say where an institution is, not what the data covers."""
    a = ctx.analyzer
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    for key, store in (("title", titles), ("description", descriptions)):
        for lang in ("zh", "en"):
            value = str(plan.get(f"{key}_{lang}") or "").strip()
            if value:
                store.setdefault(lang, value)
        value = str(plan.get(key) or "").strip()
        if value:
            store.setdefault(script(value), value)
    p = Profile()
    named: list[tuple[str, str]] = []
    if agents_named is not None:
        for lang, text in list(titles.items()):
            found = agents_named(text)
            named.extend(found)
            compact = _compact(text)
            for name, _iri in sorted(found, key=lambda x: -len(x[0])):
                compact = compact.replace(_compact(name), " ")
            if found and compact.strip():
                titles[lang] = compact.strip()
    _text_profile(a, p, titles, descriptions, as_list(plan.get("keywords")))
    population = str(plan.get("population") or "").strip()
    if population:
        p.pu = a.units(population, segment=True)
    region_text = " ".join(as_list(plan.get("region")))
    p.regions = _regions_of(a, [*titles.values(), region_text, population],
                            descriptions.values())
    start, end = plan.get("start"), plan.get("end")
    time_text = str(plan.get("time") or "").strip()
    if start or end:
        s = year_of(str(start)) if start else None
        e = year_of(str(end), end=True) if end else None
        if s is None and e is not None:
            s = e - 1
        if e is None and s is not None:
            e = s + 1
        if s is not None and e is not None:
            p.time = [round(s, 3), round(max(s, e), 3)]
    elif time_text:
        found = years_in_text(time_text)
        if found:
            p.time = list(found)
    if p.time is None:
        for text in titles.values():
            found = years_in_text(text)
            if found:
                p.time = list(found)
                break
    p.institutions = as_list(plan.get("institutions"))
    if resolve_agents is not None:
        p.agents = resolve_agents(p.institutions)
    for name, iri in named:
        if iri not in p.agents:
            p.agents.append(iri)
        if name not in p.institutions:
            p.institutions.append(name)
    p.standards = list(dict.fromkeys(
        k for s in as_list(plan.get("standards")) if (k := ctx.standard_codes(s))))
    variables: dict[str, None] = {}
    for v in as_list(plan.get("variables")):
        variables[variable_key(v)] = None
        variables.update(dict.fromkeys(u for u in a.units(v, segment=False) if u.startswith("c:")))
    p.variables = [v for v in variables if v][:MAX_UNITS]
    p.sources = as_list(plan.get("sources"))
    domain = str(plan.get("domain") or "").strip()
    if domain:
        found_domain = resolve_domain(domain) if resolve_domain else domain
        if found_domain:
            p.domains = [found_domain]
    p.size = parse_size(plan.get("size"))
    return p


# ------------------------------------------------------------------ comparison

FEATURES = ("title", "title_cover", "title_in_text", "title_swap", "description", "keywords",
            "population", "time_known", "time", "title_x_time", "time_disjoint", "region_same",
            "region_within", "region_conflict", "agent_same", "agent_other", "standards",
            "variables", "source", "domain_same", "domain_other", "size", "identifier")

# Logistic model of P(same data | features): intercept and one weight per feature, fitted on
# the training half of the labelled set (bench/dedup/fit.py, seed 1: 410 queries, 11.8k
# compared pairs) and rounded. Weights that came out against their meaning are 0 (the same
# publisher or domain is no evidence by itself, but another publisher is evidence against);
# features the labelled set hardly exercises (variables, sources, size, identifiers) keep a
# prior weight: a shared identifier is a duplicate, a shared source is strong overlap.
INTERCEPT = -7.5
WEIGHTS: dict[str, float] = {
    "title": 5.7, "title_cover": 3.3, "title_in_text": 0.0, "title_swap": -8.5,
    "description": 0.7, "keywords": 0.5, "population": 0.5, "time_known": -5.6, "time": 3.8,
    "title_x_time": 4.4, "time_disjoint": -1.4, "region_same": 0.2, "region_within": -4.9,
    "region_conflict": -4.5, "agent_same": 0.0, "agent_other": -5.1, "standards": 0.2,
    "variables": 1.0, "source": 2.0, "domain_same": 0.0, "domain_other": -0.5, "size": 0.5,
    "identifier": 12.0,
}
DUPLICATE_AT = 0.5
OVERLAP_AT = 0.15


Weight = Callable[[str], float]
"""The weight of a unit: its IDF in the catalog times a factor for its kind of unit."""


def _sets(p: Profile) -> dict:
    """A profile's derived unit sets and weight sums, computed once (profiles are cached
    per index generation, so the weights do not change under them)."""
    cache = p.__dict__.get("_derived")
    if cache is None:
        cache = p.__dict__["_derived"] = {}
    return cache


def _units(p: Profile, name: str, lang: str = "") -> frozenset[str]:
    cache = _sets(p)
    key = (name, lang)
    found = cache.get(key)
    if found is None:
        if name == "tu":
            found = frozenset(p.tu.get(lang, ()))
        elif name == "du":
            found = frozenset(p.du.get(lang, ()))
        elif name == "ntu":
            found = frozenset(u for u in p.tu.get(lang, ()) if neutral(u))
        elif name == "ndu":
            found = frozenset(u for u in p.du.get(lang, ()) if neutral(u))
        elif name == "ku":
            found = frozenset(p.ku)
        elif name == "kt":
            found = frozenset(p.ku) | p.title_units()
        elif name == "title":
            found = frozenset(p.title_units())
        elif name == "concepts":
            found = frozenset(u for u in p.title_units() if u.startswith(("c:", "v:")))
        elif name == "pu":
            found = frozenset(p.pu)
        else:
            found = frozenset(p.all_units())
        cache[key] = found
    return found


def _sum(p: Profile, name: str, lang: str, weight: Weight) -> float:
    cache = _sets(p)
    key = ("w", name, lang, id(getattr(weight, "__self__", weight)))
    found = cache.get(key)
    if found is None:
        found = cache[key] = sum(map(weight, _units(p, name, lang)))
    return found


def _script(p: Profile, field_name: str, lang: str) -> str:
    cache = _sets(p)
    key = ("script", field_name, lang)
    found = cache.get(key)
    if found is None:
        found = cache[key] = script_of_units(getattr(p, field_name).get(lang, ()))
    return found


def _dice(sa: frozenset[str], wa: float, sb: frozenset[str], wb: float, weight: Weight
          ) -> tuple[float, float, float, set[str]]:
    """Weighted Dice of two unit sets (with their weight sums), the share of a and of b
    they have in common, and the common units."""
    if not sa or not sb or wa <= 0 or wb <= 0:
        return 0.0, 0.0, 0.0, set()
    common = sa & sb
    wc = sum(map(weight, common))
    return 2 * wc / (wa + wb), wc / wa, wc / wb, common


def _between(a: Profile, fa: str, la: str, b: Profile, fb: str, lb: str, weight: Weight
             ) -> tuple[float, float, float, set[str]]:
    return _dice(_units(a, fa, la), _sum(a, fa, la, weight), _units(b, fb, lb),
                 _sum(b, fb, lb, weight), weight)


def _best_pair(a: Profile, fa: str, b: Profile, fb: str,
               weight: Weight) -> tuple[float, float, set[str]]:
    """The best Dice (and its larger coverage) over the language pairs of two texts (fields
    'tu' or 'du'); across languages only the neutral units count, scaled by how much of
    each text they cover."""
    best: tuple[float, float, set[str]] = (0.0, 0.0, set())
    for la in getattr(a, fa):
        for lb in getattr(b, fb):
            if la == lb or _script(a, fa, la) == _script(b, fb, lb):
                d, ca, cb, common = _between(a, fa, la, b, fb, lb, weight)
            else:
                na, nb = "n" + fa, "n" + fb
                d, ca, cb, common = _between(a, na, la, b, nb, lb, weight)
                if d <= 0:
                    continue
                cover = min(_sum(a, na, la, weight) / (_sum(a, fa, la, weight) or 1.0),
                            _sum(b, nb, lb, weight) / (_sum(b, fb, lb, weight) or 1.0))
                scale = math.sqrt(max(cover, 0.0))
                d, ca, cb = d * scale, ca * scale, cb * scale
            if d > best[0]:
                best = (d, max(ca, cb), common)
    return best


def script_of_units(units: Iterable[str]) -> str:
    for u in units:
        if u.startswith("b:") or _CJK_RE.search(u):
            return "zh"
    return "en"


def _compatible(a: str, b: str) -> bool:
    if a == b or a.startswith(b + ".") or b.startswith(a + "."):
        return True
    for group, members in REGION_GROUPS.items():
        if (a == group and any(b == m or b.startswith(m + ".") for m in members)) or \
                (b == group and any(a == m or a.startswith(m + ".") for m in members)):
            return True
    return False


@dataclass
class Comparison:
    """The features of a (plan, dataset) pair and what the reasons need."""

    features: dict[str, float]
    title_common: set[str] = field(default_factory=set)
    keyword_common: set[str] = field(default_factory=set)
    time_overlap: float = 0.0
    regions_same: list[str] = field(default_factory=list)
    regions_conflict: tuple[list[str], list[str]] | None = None
    agents_same: list[str] = field(default_factory=list)
    standards_same: list[str] = field(default_factory=list)
    variables_same: list[str] = field(default_factory=list)
    sources_same: list[str] = field(default_factory=list)
    identifiers_same: list[str] = field(default_factory=list)
    declared: bool = False


def compare(plan: Profile, doc: Profile, weight: Weight) -> Comparison:
    """The features of a planned (or catalogued) dataset against a catalogued one. Symmetric
    when both are catalogued datasets."""
    f = dict.fromkeys(FEATURES, 0.0)
    c = Comparison(f)
    d, cover, common = _best_pair(plan, "tu", doc, "tu", weight)
    f["title"], f["title_cover"], c.title_common = d, cover, common
    if plan.tu:
        f["title_in_text"] = _cover(plan, "title", doc, "all", weight)[0]
        ca, cb = _units(plan, "concepts"), _units(doc, "concepts")
        if ca and cb:
            only_a, only_b = ca - cb, cb - ca
            if only_a and only_b:
                f["title_swap"] = min(sum(map(weight, only_a)) / _sum(plan, "concepts", "", weight),
                                      sum(map(weight, only_b)) / _sum(doc, "concepts", "", weight))
    if plan.du and doc.du:
        f["description"] = _best_pair(plan, "du", doc, "du", weight)[0]
    elif plan.du and not plan.tu:
        f["description"] = _best_pair(plan, "du", doc, "tu", weight)[0]
    if plan.ku:
        ca, common_kw = _cover(plan, "ku", doc, "kt", weight)
        if doc.ku:
            d2, _ca2, _cb2, common2 = _between(plan, "ku", "", doc, "ku", "", weight)
            f["keywords"] = max(d2, min(ca, 1.0) * 0.8)
            c.keyword_common = common2 | common_kw
        else:
            f["keywords"] = ca * 0.8
            c.keyword_common = common_kw
    if plan.pu:
        f["population"] = _cover(plan, "pu", doc, "all", weight)[0]
    if plan.time and doc.time:
        (s1, e1), (s2, e2) = plan.time, doc.time
        if not plan.dataset and s1 == int(s1) and e1 == int(e1):
            # a plan in whole years is compared with the years the dataset touches
            s2, e2 = math.floor(s2), math.ceil(e2)
        inter = min(e1, e2) - max(s1, s2)
        union = max(e1, e2) - min(s1, s2)
        f["time_known"] = 1.0
        if inter > 0 and union > 0:
            f["time"] = inter / union
            f["title_x_time"] = f["title"] * f["time"]
            c.time_overlap = inter
        elif inter < 0:
            f["time_disjoint"] = 1.0
    if plan.regions and doc.regions:
        same = [r for r in plan.regions if any(_compatible(r, o) for o in doc.regions)]
        if same:
            f["region_same" if set(plan.regions) == set(doc.regions) else "region_within"] = 1.0
            c.regions_same = same
        else:
            f["region_conflict"] = 1.0
            c.regions_conflict = (plan.regions, doc.regions)
    if plan.agents or plan.institutions:
        same_agents = [a for a in plan.agents if a in doc.agents]
        if same_agents:
            f["agent_same"] = 1.0
            c.agents_same = same_agents
        elif plan.institutions and _named_in_title(plan.institutions, doc):
            f["agent_same"] = 0.7
        elif doc.agents:
            f["agent_other"] = 1.0
    if plan.standards and doc.standards:
        same_std = [s for s in plan.standards if s in doc.standards]
        f["standards"] = len(same_std) / len(set(plan.standards) | set(doc.standards))
        c.standards_same = same_std
    if plan.variables and doc.variables:
        same_var = [v for v in plan.variables if v in set(doc.variables)]
        f["variables"] = len(same_var) / min(len(set(plan.variables)), len(set(doc.variables)))
        c.variables_same = same_var
    own = {plan.dataset} if plan.dataset else set()
    shared = (set(plan.sources) | own) & (set(doc.sources) | {doc.dataset})
    if shared:
        f["source"] = 1.0
        c.sources_same = sorted(shared)
    if plan.domains and doc.domains:
        if set(plan.domains) & set(doc.domains):
            f["domain_same"] = 1.0
        else:
            f["domain_other"] = 1.0
    if plan.size and doc.size:
        ratio = abs(math.log10(plan.size / doc.size))
        f["size"] = max(0.0, 1.0 - ratio)
    if plan.identifiers and doc.identifiers:
        same_id = [i for i in plan.identifiers if i in set(doc.identifiers)]
        if same_id:
            f["identifier"] = 1.0
            c.identifiers_same = same_id
    if plan.dataset:
        c.declared = (doc.dataset in plan.related or plan.dataset in doc.related
                      or doc.dataset in plan.sources or plan.dataset in doc.sources
                      or bool(set(plan.related) & set(doc.related)))
    return c


def _cover(a: Profile, fa: str, b: Profile, fb: str, weight: Weight) -> tuple[float, set[str]]:
    """The weighted share of a's units (field fa) found in b's (field fb), and those units."""
    sa = _units(a, fa)
    wa = _sum(a, fa, "", weight)
    if not sa or wa <= 0:
        return 0.0, set()
    common = sa & _units(b, fb)
    return sum(map(weight, common)) / wa, common


def _named_in_title(institutions: Iterable[str], doc: Profile) -> bool:
    """True when an institution's name appears in the dataset's title (``北京协和医院``)."""
    for name in institutions:
        key = _compact(name)
        if len(key) < 2 or (not _CJK_RE.search(key) and len(key) < 6):
            continue
        for title in doc.titles.values():
            if key in _compact(title):
                return True
    return False


def score(features: Mapping[str, float]) -> float:
    """The calibrated probability that the pair describes the same data."""
    z = INTERCEPT + sum(WEIGHTS[k] * features.get(k, 0.0) for k in WEIGHTS)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def band(value: float) -> str:
    """'duplicate', 'overlap' or 'distinct'."""
    if value >= DUPLICATE_AT:
        return "duplicate"
    if value >= OVERLAP_AT:
        return "overlap"
    return "distinct"


# ------------------------------------------------------------------ reasons


def _span(t: Sequence[float]) -> str:
    s, e = t
    a, b = int(math.floor(s)), int(math.ceil(e)) - 1
    return str(a) if a >= b else f"{a}–{b}"


def reasons(c: Comparison, plan: Profile, doc: Profile, analyzer: Analyzer, lang: str,
            name: Callable[[str], str]) -> list[str]:
    """The reasons for a pair's score in words (zh or en), strongest first; `name(iri)` is
    the label of an agent, a dataset or a domain."""
    zh = lang == "zh"
    f = c.features
    out: list[tuple[float, str]] = []

    def shown(units: Iterable[str]) -> str:
        words = []
        for u in sorted(units, key=lambda u: (u.startswith("b:"), not u.startswith("c:"), u)):
            label = analyzer.label(u, lang)
            if u.startswith("b:") and any(label in w for w in words):
                continue
            if label not in words:
                words.append(label)
        sep = "、" if zh else ", "
        return sep.join(words[:8])

    if c.identifiers_same:
        ids = ", ".join(c.identifiers_same[:3])
        out.append((10, f"相同的标识符：{ids}" if zh else f"same identifier: {ids}"))
    if f["title"] > 0 and c.title_common:
        pct = round(100 * f["title"])
        out.append((f["title"] * 5, (f"标题相近（{pct}%），共同词语：{shown(c.title_common)}" if zh
                                     else f"similar titles ({pct}%); shared terms: "
                                          f"{shown(c.title_common)}")))
    only_plan = {u for u in plan.title_units() if u.startswith("c:")} - doc.title_units()
    only_doc = {u for u in doc.title_units() if u.startswith("c:")} - plan.title_units()
    if only_plan and only_doc:
        out.append((2.5, f"标题用语不同：{shown(only_plan)} 与 {shown(only_doc)}" if zh
                    else f"different terms: {shown(only_plan)} / {shown(only_doc)}"))
    if f["description"] >= 0.3:
        pct = round(100 * f["description"])
        out.append((f["description"] * 2, f"描述相近（{pct}%）" if zh
                    else f"similar descriptions ({pct}%)"))
    if f["keywords"] >= 0.3 and c.keyword_common:
        out.append((f["keywords"], f"共同关键词：{shown(c.keyword_common)}" if zh
                    else f"shared keywords: {shown(c.keyword_common)}"))
    if plan.time and doc.time:
        a, b = _span(plan.time), _span(doc.time)
        if f["time"] > 0:
            years = max(1, round(c.time_overlap))
            out.append((f["time"] * 3, f"时间范围重叠：{a} 与 {b}（重叠约 {years} 年）" if zh
                        else f"overlapping time ranges: {a} and {b} (about {years} years in "
                             "common)"))
        else:
            out.append((2, f"时间范围不重叠：{a} 与 {b}" if zh
                        else f"time ranges do not overlap: {a} and {b}"))
    if c.regions_same:
        names = shown("r:" + r for r in c.regions_same)
        out.append((1.5, f"地区相同：{names}" if zh else f"same region: {names}"))
    if c.regions_conflict:
        a = shown("r:" + r for r in c.regions_conflict[0])
        b = shown("r:" + r for r in c.regions_conflict[1])
        out.append((4, f"地区不同：{a} 与 {b}" if zh else f"different regions: {a} and {b}"))
    if c.agents_same:
        names = "、".join(name(a) for a in c.agents_same[:3]) if zh else \
            ", ".join(name(a) for a in c.agents_same[:3])
        out.append((1.5, f"同一发布或创建机构：{names}" if zh
                    else f"same publisher or creator: {names}"))
    elif f["agent_same"]:
        out.append((1.2, "标题中含申报机构名称" if zh else "the title names the institution"))
    elif f["agent_other"]:
        out.append((0.5, "发布机构不同" if zh else "different publisher"))
    if c.sources_same:
        names = ", ".join(name(s) for s in c.sources_same[:3])
        out.append((3, f"同一来源数据：{names}" if zh else f"same source data: {names}"))
    if c.standards_same:
        stds = ", ".join(s.upper() for s in c.standards_same[:5])
        out.append((1, f"共同标准：{stds}" if zh else f"shared standards: {stds}"))
    if c.variables_same:
        shown_vars = [analyzer.label(v, lang) if v.startswith("c:") else v
                      for v in c.variables_same[:8]]
        vs = ", ".join(dict.fromkeys(shown_vars))
        out.append((1, f"共同变量：{vs}" if zh else f"shared variables: {vs}"))
    if f["domain_same"]:
        out.append((0.3, f"同一领域：{name(doc.domains[0])}" if zh
                    else f"same domain: {name(doc.domains[0])}"))
    if f["size"] >= 0.7 and plan.size and doc.size:
        out.append((0.4, f"规模相近：{plan.size:,} 与 {doc.size:,}" if zh
                    else f"similar size: {plan.size:,} and {doc.size:,}"))
    if c.declared:
        out.append((5, "目录中已声明二者的版本或来源关系" if zh
                    else "the catalog declares them versions or sources of each other"))
    out.sort(key=lambda x: -x[0])
    return [text for _w, text in out]
