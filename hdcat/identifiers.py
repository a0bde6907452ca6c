"""CSTR and DOI: checking the identifiers records bring, minting those of publication.

Syntax (STANDARDS.md section 1, shapes/health.ttl):

* CSTR: ``CSTR:`` + a 5-character registration-agency prefix (letters or digits, NPHDC's is
  ``A0006``) + ``.`` + a 2-digit resource type (``11`` = scientific data) + ``.`` + a suffix
  without white space, ``!`` or ``?``; at most 255 characters; ``CSTR:`` once.
* DOI: ``10.`` + 4 to 9 digits + ``/`` + a suffix of ``-._;()/:`` letters and digits (the
  Crossref practical pattern the shapes use); compared without regard to case.

Errors name what is wrong in Chinese and English (:class:`IdentifierError`). Resolver URL
forms (``https://doi.org/...``, ``doi:...``, ``https://cstr.cn/...``) are accepted and
normalised; a doubled ``CSTR:CSTR:`` or ``doi:doi:`` is refused.

Minting. At publication a dataset gets ``CSTR:<agency>.11.<centre>.<YYYYMM>.<serial>`` and
the DOI ``<doi prefix>/11.<centre>.<YYYYMM>.<serial>`` (the DOI suffix is the CSTR suffix, as
NPHDC does). Serials count per (centre, month) from 1, six digits, and are allocated in the
private SQLite database inside ``BEGIN IMMEDIATE`` transactions, so threads and processes
sharing a data folder never get the same one. Every identifier is recorded there (table
``identifier``) with its dataset, minting time and registration time; SQLite triggers refuse
to change or delete a row, so an identifier is never reused nor moved to another dataset.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pyoxigraph as ox

from hdcat import queries
from hdcat.errors import HdcatError
from hdcat.state import now

if TYPE_CHECKING:
    from hdcat.catalog import Catalog
    from hdcat.config import Settings
    from hdcat.state import PrivateState

CSTR_MAX = 255
RESOURCE_TYPE_DATA = "11"
SERIAL_WIDTH = 6

HDCAT = "https://w3id.org/hdcat/ns#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT_IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")
ADMS_IDENTIFIER = ox.NamedNode("http://www.w3.org/ns/adms#identifier")
ADMS_IDENTIFIER_CLASS = ox.NamedNode("http://www.w3.org/ns/adms#Identifier")
ADMS_SCHEMA_AGENCY = ox.NamedNode("http://www.w3.org/ns/adms#schemaAgency")
SKOS_NOTATION = ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation")
HDCAT_CSTR = ox.NamedNode(HDCAT + "CSTR")
HDCAT_DOI = ox.NamedNode(HDCAT + "DOI")

_AGENCY = re.compile(r"^[A-Za-z0-9]{5}$")
_TYPE = re.compile(r"^[0-9]{2}$")
_CENTRE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$")
_DOI_PREFIX = re.compile(r"^10\.[0-9]{4,9}$")
_DOI_SUFFIX_CHAR = re.compile(r"[-._;()/:A-Za-z0-9]")
# NPHDC-style suffix: <centre>.<YYYYMM>.<serial>
_DATED_SUFFIX = re.compile(r"^([A-Za-z0-9]+)\.((?:19|20)[0-9]{4})\.(.+)$")

# Resolver URL forms, also with the slashes a web server merges ("https:/doi.org/...").
_CSTR_URLS = tuple(f"{scheme}{host}" for scheme in ("https://", "http://", "https:/", "http:/")
                   for host in ("cstr.cn/", "www.cstr.cn/", "identifiers.org/cstr:"))
_DOI_URLS = tuple(f"{scheme}{host}" for scheme in ("https://", "http://", "https:/", "http:/")
                  for host in ("doi.org/", "dx.doi.org/")) + ("doi.org/", "info:doi/", "doi:")


# --------------------------------------------------------------------------- checking


class IdentifierError(HdcatError, ValueError):
    """An identifier that is not well formed; `zh` and `en` say what is wrong."""

    def __init__(self, code: str, zh: str, en: str, value: str = "") -> None:
        self.code = code
        self.zh = zh
        self.en = en
        self.value = value
        super().__init__(f"{zh} / {en}")

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Cstr:
    """A well-formed CSTR: ``CSTR:<agency>.<type>.<suffix>``."""

    agency: str
    type_code: str
    suffix: str

    @property
    def id(self) -> str:
        """Without the ``CSTR:`` scheme: what follows the resolver's slash (cstr.cn/<id>)."""
        return f"{self.agency}.{self.type_code}.{self.suffix}"

    @property
    def value(self) -> str:
        return "CSTR:" + self.id

    @property
    def key(self) -> str:
        return self.value.upper()

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Doi:
    """A well-formed DOI, ``<prefix>/<suffix>``, in the case it was written."""

    prefix: str
    suffix: str

    @property
    def value(self) -> str:
        return f"{self.prefix}/{self.suffix}"

    @property
    def key(self) -> str:
        """DOIs are case-insensitive: the upper-case form, for comparing."""
        return self.value.upper()

    @property
    def url(self) -> str:
        return "https://doi.org/" + self.value

    def __str__(self) -> str:
        return self.value


def _whitespace(text: str, what: str) -> None:
    for i, ch in enumerate(text):
        if ch.isspace() or not ch.isprintable():
            where_zh = ("开头" if i == 0 else "结尾" if i == len(text) - 1
                        else f"第 {i + 1} 个字符处")
            where_en = ("at the start" if i == 0 else "at the end" if i == len(text) - 1
                        else f"at character {i + 1}")
            raise IdentifierError(
                "whitespace",
                f"{what} 在{where_zh}含有空白或不可见字符,请删除。",
                f"The {what} contains white space or an invisible character {where_en}; "
                "remove it.",
                text,
            )


def _short(text: str, limit: int = 64) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _empty(text: object, what: str) -> str:
    if not isinstance(text, str) or not text:
        raise IdentifierError("empty", f"{what} 为空。", f"The {what} is empty.", "")
    return text


def _strip_url(text: str, prefixes: tuple[str, ...]) -> tuple[str, int]:
    """`text` without resolver URL forms, and how many were taken off."""
    count = 0
    changed = True
    while changed:
        changed = False
        for prefix in prefixes:
            if text.lower().startswith(prefix.lower()):
                text = text[len(prefix):]
                count += 1
                changed = True
                break
    return text, count


def parse_cstr(text: str) -> Cstr:
    """The CSTR written in `text` (``CSTR:...``, the bare id, or a cstr.cn / identifiers.org
    URL), or IdentifierError naming what is wrong."""
    text = _empty(text, "CSTR")
    _whitespace(text, "CSTR")
    body, urls = _strip_url(text, _CSTR_URLS)
    schemes = 0
    while body[:5].upper() == "CSTR:":
        body = body[5:]
        schemes += 1
    if schemes > 1 or urls > 1:
        raise IdentifierError(
            "doubled_prefix",
            f"CSTR 前缀重复(“{_short(text)}”):“CSTR:”只能写一次,例如 "
            "CSTR:31253.11.sciencedb.29221。",
            f"The CSTR prefix is doubled ('{_short(text)}'): write 'CSTR:' only once, e.g. "
            "CSTR:31253.11.sciencedb.29221.",
            text,
        )
    if _looks_like_doi(body):
        raise IdentifierError(
            "is_doi", f"“{text}”是 DOI,不是 CSTR。", f"'{text}' is a DOI, not a CSTR.", text)
    if len("CSTR:" + body) > CSTR_MAX:
        raise IdentifierError(
            "too_long", f"CSTR 最长 {CSTR_MAX} 个字符,这里有 {len('CSTR:' + body)} 个。",
            f"A CSTR has at most {CSTR_MAX} characters; this one has {len('CSTR:' + body)}.",
            text)
    parts = body.split(".", 2)
    agency = parts[0]
    if not _AGENCY.match(agency):
        raise IdentifierError(
            "agency_prefix",
            f"CSTR 的登记机构前缀“{agency}”无效:应为 5 位字母或数字(如 31253、A0006)。",
            f"The CSTR agency prefix '{agency}' is invalid: it must be 5 letters or digits "
            "(e.g. 31253, A0006).",
            text,
        )
    type_code = parts[1] if len(parts) > 1 else ""
    if not _TYPE.match(type_code):
        raise IdentifierError(
            "resource_type",
            f"CSTR 的资源类型“{type_code}”无效:机构前缀后应为 2 位数字(科学数据为 11)。",
            f"The CSTR resource type '{type_code}' is invalid: the agency prefix must be "
            "followed by 2 digits (11 for scientific data).",
            text,
        )
    suffix = parts[2] if len(parts) > 2 else ""
    if not suffix:
        raise IdentifierError(
            "suffix", "CSTR 缺少资源类型之后的后缀。",
            "The CSTR has no suffix after the resource type.", text)
    for ch in "!?":
        if ch in suffix:
            raise IdentifierError(
                "suffix", f"CSTR 后缀不能含“{ch}”。", f"A CSTR suffix cannot contain '{ch}'.",
                text)
    if "" in suffix.split("."):
        raise IdentifierError(
            "suffix", "CSTR 后缀有空的段(连续的“.”或以“.”结尾)。",
            "The CSTR suffix has an empty part (two dots in a row, or a dot at the end).", text)
    dated = _DATED_SUFFIX.match(suffix)
    if dated:
        month, serial = dated.group(2), dated.group(3)
        if not 1 <= int(month[4:]) <= 12:
            raise IdentifierError(
                "month", f"CSTR 后缀中的年月“{month}”无效(月份应为 01-12)。",
                f"The year and month '{month}' in the CSTR suffix is invalid (month 01-12).",
                text)
        if not re.match(r"^[0-9]+(?:[-.][A-Za-z0-9]+)*$", serial):
            raise IdentifierError(
                "serial", f"CSTR 后缀中的流水号“{serial}”无效:年月之后应为数字流水号。",
                f"The serial '{serial}' in the CSTR suffix is invalid: the year and month must "
                "be followed by a number.",
                text)
    return Cstr(agency, type_code, suffix)


def _looks_like_doi(text: str) -> bool:
    return bool(re.match(r"^10\.[0-9]+/", text))


def parse_doi(text: str) -> Doi:
    """The DOI written in `text` (bare, ``doi:``, or a doi.org URL), or IdentifierError
    naming what is wrong."""
    text = _empty(text, "DOI")
    _whitespace(text, "DOI")
    body, urls = _strip_url(text, _DOI_URLS)
    if urls > 1:
        raise IdentifierError(
            "doubled_prefix", f"DOI 前缀重复(“{_short(text)}”)。",
            f"The DOI prefix is doubled ('{_short(text)}').", text)
    if body[:5].upper() == "CSTR:":
        raise IdentifierError(
            "is_cstr", f"“{text}”是 CSTR,不是 DOI。", f"'{text}' is a CSTR, not a DOI.", text)
    if not body.startswith("10."):
        raise IdentifierError(
            "doi_prefix",
            f"DOI“{text}”无效:应以“10.”开头,例如 10.12213/11.A0005.202006.001018。",
            f"The DOI '{text}' is invalid: it must start with '10.', e.g. "
            "10.12213/11.A0005.202006.001018.",
            text,
        )
    prefix, slash, suffix = body.partition("/")
    if not slash:
        raise IdentifierError(
            "doi_slash", f"DOI“{text}”缺少前缀与后缀之间的“/”。",
            f"The DOI '{text}' has no '/' between its prefix and suffix.", text)
    if not _DOI_PREFIX.match(prefix):
        raise IdentifierError(
            "doi_prefix",
            f"DOI 前缀“{prefix}”无效:应为“10.”加 4 至 9 位数字。",
            f"The DOI prefix '{prefix}' is invalid: it must be '10.' and 4 to 9 digits.", text)
    if not suffix:
        raise IdentifierError(
            "doi_suffix", "DOI 缺少“/”之后的后缀。", "The DOI has no suffix after '/'.", text)
    for ch in suffix:
        if not _DOI_SUFFIX_CHAR.match(ch):
            raise IdentifierError(
                "doi_suffix",
                f"DOI 后缀含有不允许的字符“{ch}”(可用字母、数字和 -._;()/:)。",
                f"The DOI suffix contains the character '{ch}', which is not allowed "
                "(letters, digits and -._;()/: are).",
                text,
            )
    return Doi(prefix, suffix)


def check_cstr(text: str) -> IdentifierError | None:
    """None if `text` is a well-formed CSTR, else what is wrong."""
    try:
        parse_cstr(text)
    except IdentifierError as e:
        return e
    return None


def check_doi(text: str) -> IdentifierError | None:
    """None if `text` is a well-formed DOI, else what is wrong."""
    try:
        parse_doi(text)
    except IdentifierError as e:
        return e
    return None


def parse(text: str) -> Cstr | Doi:
    """A CSTR or a DOI, whichever `text` is (IdentifierError if neither)."""
    text = _empty(text, "CSTR / DOI")
    as_cstr, cstr_urls = _strip_url(text, _CSTR_URLS)
    if cstr_urls or as_cstr[:5].upper() == "CSTR:" or re.match(r"^[A-Za-z0-9]{5}\.[0-9]{2}\.",
                                                                  text):
        return parse_cstr(text)
    as_doi, doi_urls = _strip_url(text, _DOI_URLS)
    if doi_urls or as_doi.startswith("10."):
        return parse_doi(text)
    _whitespace(text, "CSTR / DOI")
    raise IdentifierError(
        "unknown", f"“{_short(text)}”既不是 CSTR 也不是 DOI。",
        f"'{_short(text)}' is neither a CSTR nor a DOI.", text)


# --------------------------------------------------------------------------- the record


SCHEMA = (
    """CREATE TABLE IF NOT EXISTS identifier (
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('cstr', 'doi')),
        dataset TEXT NOT NULL,
        minted TEXT NOT NULL,
        origin TEXT NOT NULL DEFAULT 'minted' CHECK (origin IN ('minted', 'reserved')),
        registered TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS identifier_dataset ON identifier(dataset)",
    """CREATE TABLE IF NOT EXISTS identifier_serial (
        centre TEXT NOT NULL,
        month TEXT NOT NULL,
        last INTEGER NOT NULL,
        PRIMARY KEY (centre, month)
    )""",
    """CREATE TRIGGER IF NOT EXISTS identifier_frozen
        BEFORE UPDATE OF id, key, kind, dataset, minted, origin ON identifier
        BEGIN SELECT RAISE(ABORT, 'an identifier never changes'); END""",
    """CREATE TRIGGER IF NOT EXISTS identifier_kept
        BEFORE DELETE ON identifier
        BEGIN SELECT RAISE(ABORT, 'an identifier is never deleted'); END""",
)


@dataclass(frozen=True)
class IdentifierRow:
    """One identifier this catalog minted (or reserved), as recorded."""

    id: str
    kind: str
    """'cstr' or 'doi'."""
    dataset: str
    minted: str
    origin: str
    """'minted' here, or 'reserved' (known from elsewhere; never minted again)."""
    registered: str | None
    """When the agency registration was confirmed (`mark_registered`); None before."""


@dataclass(frozen=True)
class Minted:
    """The identifiers minted for one dataset."""

    cstr: str
    doi: str


def _retry(step):  # noqa: ANN001, ANN202 - a private helper
    """Run `step()`, retrying while another process holds the database (busy past timeout)."""
    for attempt in range(50):
        try:
            return step()
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
            time.sleep(min(0.01 * (attempt + 1), 0.2))
    return step()


class Identifiers:
    """The identifier record in the private state: lookups, reservations, registration."""

    _ROW = "SELECT id, kind, dataset, minted, origin, registered FROM identifier"

    def __init__(self, state: PrivateState) -> None:
        self.state = state

        def create() -> None:
            with state.locked(write=True) as db:
                for statement in SCHEMA:
                    db.execute(statement)

        _retry(create)

    def _rows(self, sql: str, params: tuple = ()) -> list[IdentifierRow]:
        with self.state.locked() as db:
            rows = db.execute(self._ROW + " " + sql, params).fetchall()
        return [IdentifierRow(*r) for r in rows]

    def find(self, value: str) -> IdentifierRow | None:
        """The recorded CSTR or DOI `value` (any case, any accepted form), or None."""
        try:
            key = parse(value).key
        except IdentifierError:
            return None
        rows = self._rows("WHERE key = ?", (key,))
        return rows[0] if rows else None

    def of_dataset(self, dataset_iri: str) -> list[IdentifierRow]:
        return self._rows("WHERE dataset = ? ORDER BY kind", (dataset_iri,))

    def all(self) -> list[IdentifierRow]:
        return self._rows("ORDER BY minted, id")

    def unregistered(self) -> list[IdentifierRow]:
        """Identifiers minted here whose registration is not yet confirmed."""
        return self._rows("WHERE registered IS NULL AND origin = 'minted' ORDER BY minted, id")

    def reserve(self, value: str, dataset_iri: str) -> IdentifierRow:
        """Record an identifier that exists elsewhere (a harvested or imported record carries
        it) so that minting never hands it out; an identifier already recorded for another
        dataset is refused (IdentifierError)."""
        ident = parse(value)
        kind = "cstr" if isinstance(ident, Cstr) else "doi"

        def step() -> IdentifierRow:
            with self.state.locked(write=True) as db:
                row = db.execute(self._ROW + " WHERE key = ?", (ident.key,)).fetchone()
                if row is None:
                    db.execute(
                        "INSERT INTO identifier (id, key, kind, dataset, minted, origin)"
                        " VALUES (?, ?, ?, ?, ?, 'reserved')",
                        (ident.value, ident.key, kind, dataset_iri, now()),
                    )
                    row = db.execute(self._ROW + " WHERE key = ?", (ident.key,)).fetchone()
            found = IdentifierRow(*row)
            if found.dataset != dataset_iri:
                raise IdentifierError(
                    "taken",
                    f"标识符 {ident.value} 已属于另一个数据集 {found.dataset}。",
                    f"The identifier {ident.value} already belongs to another dataset, "
                    f"{found.dataset}.",
                    value,
                )
            return found

        return _retry(step)

    def mark_registered(self, values: Iterable[str], when: str | None = None) -> list[str]:
        """Record that the agencies registered `values` (CSTRs or DOIs); the values this
        catalog has no record of are returned."""
        unknown = []
        stamp = when or now()
        for value in values:
            row = self.find(value)
            if row is None:
                unknown.append(value)
                continue

            def step(row: IdentifierRow = row) -> None:
                with self.state.locked(write=True) as db:
                    db.execute("UPDATE identifier SET registered = ? WHERE id = ?"
                               " AND registered IS NULL", (stamp, row.id))

            _retry(step)
        return unknown


# --------------------------------------------------------------------------- minting


def _setting_error(name: str, value: str, zh: str, en: str) -> IdentifierError:
    return IdentifierError("setting", f"设置 {name}=“{value}”无效:{zh}",
                           f"The setting {name}='{value}' is invalid: {en}", value)


class Minter:
    """Mints the CSTR and DOI of datasets at publication, from the catalog's settings
    (`cstr_prefix`, `cstr_centre`, `doi_prefix`)."""

    def __init__(self, state: PrivateState, settings: Settings) -> None:
        self.prefix = settings.cstr_prefix
        self.centre = settings.cstr_centre
        self.doi_prefix = settings.doi_prefix
        if not _AGENCY.match(self.prefix):
            raise _setting_error("cstr_prefix", self.prefix, "应为 5 位字母或数字。",
                                 "it must be 5 letters or digits.")
        if not _CENTRE.match(self.centre):
            raise _setting_error("cstr_centre", self.centre,
                                 "只能含字母、数字、“-”和“_”,不能含“.”。",
                                 "only letters, digits, '-' and '_' are allowed, no '.'.")
        if not _DOI_PREFIX.match(self.doi_prefix):
            raise _setting_error("doi_prefix", self.doi_prefix,
                                 "应为“10.”加 4 至 9 位数字,例如 10.12213。",
                                 "it must be '10.' and 4 to 9 digits, e.g. 10.12213.")
        self.identifiers = Identifiers(state)
        self.state = state

    def mint(self, dataset_iri: str, when: date | None = None) -> Minted:
        """The CSTR and DOI of `dataset_iri`, minted now (month of `when`, default today) and
        recorded. A dataset that already has minted identifiers gets the same ones back:
        identifiers never change. Safe from many threads and processes."""
        month = (when or date.today()).strftime("%Y%m")

        def step() -> Minted:
            with self.state.locked(write=True) as db:
                had = db.execute(
                    "SELECT kind, id FROM identifier WHERE dataset = ? AND origin = 'minted'",
                    (dataset_iri,),
                ).fetchall()
                if had:
                    ids = dict(had)
                    return Minted(ids["cstr"], ids["doi"])
                db.execute(
                    "INSERT INTO identifier_serial (centre, month, last) VALUES (?, ?, 0)"
                    " ON CONFLICT (centre, month) DO NOTHING",
                    (self.centre, month),
                )
                while True:
                    serial = db.execute(
                        "UPDATE identifier_serial SET last = last + 1"
                        " WHERE centre = ? AND month = ? RETURNING last",
                        (self.centre, month),
                    ).fetchone()[0]
                    suffix = (f"{RESOURCE_TYPE_DATA}.{self.centre}.{month}."
                              f"{serial:0{SERIAL_WIDTH}d}")
                    cstr = f"CSTR:{self.prefix}.{suffix}"
                    doi = f"{self.doi_prefix}/{suffix}"
                    taken = db.execute(
                        "SELECT 1 FROM identifier WHERE key IN (?, ?)",
                        (cstr.upper(), doi.upper()),
                    ).fetchone()
                    if taken is None:
                        break  # a reserved identifier is skipped, never handed out twice
                stamp = now()
                db.executemany(
                    "INSERT INTO identifier (id, key, kind, dataset, minted, origin)"
                    " VALUES (?, ?, ?, ?, ?, 'minted')",
                    [(cstr, cstr.upper(), "cstr", dataset_iri, stamp),
                     (doi, doi.upper(), "doi", dataset_iri, stamp)],
                )
                return Minted(cstr, doi)

        return _retry(step)


# --------------------------------------------------------------------------- RDF


def identifier_triples(dataset_iri: str, minted: Minted) -> list[ox.Triple]:
    """The triples stating a dataset's CSTR and DOI as the profile and the demo catalog do:
    ``dct:identifier "CSTR:..."`` and one ``adms:identifier`` node each (``<ds>#cstr``,
    ``<ds>#doi``) with ``skos:notation`` typed hdcat:CSTR / hdcat:DOI and
    ``adms:schemaAgency``. Replace any earlier ``dct:identifier`` CSTR of the record."""
    ds = ox.NamedNode(dataset_iri)
    out = [ox.Triple(ds, DCT_IDENTIFIER, ox.Literal(minted.cstr))]
    for fragment, value, datatype, agency in (("cstr", minted.cstr, HDCAT_CSTR, "CSTR"),
                                              ("doi", minted.doi, HDCAT_DOI, "DOI")):
        node: ox.NamedNode | ox.BlankNode = (
            ox.NamedNode(f"{dataset_iri}#{fragment}") if "#" not in dataset_iri
            else ox.BlankNode()
        )
        out += [
            ox.Triple(ds, ADMS_IDENTIFIER, node),
            ox.Triple(node, RDF_TYPE, ADMS_IDENTIFIER_CLASS),
            ox.Triple(node, SKOS_NOTATION, ox.Literal(value, datatype=datatype)),
            ox.Triple(node, ADMS_SCHEMA_AGENCY, ox.Literal(agency)),
        ]
    return out


# --------------------------------------------------------------------------- the store


def store_candidates(ident: Cstr | Doi) -> list[ox.Literal]:
    """The literals a record may state `ident` with (typed or not, DOI in several cases and
    as a resolver URL), each looked up by an index."""
    if isinstance(ident, Cstr):
        forms = [ident.value]
        datatype = HDCAT_CSTR
    else:
        forms = list(dict.fromkeys([ident.value, ident.value.lower(), ident.value.upper()]))
        datatype = HDCAT_DOI
    out = []
    for form in forms:
        out += [ox.Literal(form, datatype=datatype), ox.Literal(form)]
    if isinstance(ident, Doi):
        for form in forms:
            out += [ox.Literal("https://doi.org/" + form), ox.Literal("doi:" + form)]
    return out


def dataset_in_store(catalog: Catalog, ident: Cstr | Doi) -> str | None:
    """The IRI of the dataset whose record states `ident` (exact forms first, by index; a DOI
    then without regard to case), or None."""
    for literal in store_candidates(ident):
        rows = catalog.store.query(queries.with_values("dataset_by_identifier", value=[literal]))
        for row in rows:
            if isinstance(row["ds"], ox.NamedNode):
                return row["ds"].value
    if isinstance(ident, Doi):
        rows = catalog.store.query(
            queries.get("dataset_by_identifier_nocase"),
            {"key": ox.Literal(ident.key), "url_key": ox.Literal(ident.url.upper())},
        )
        for row in rows:
            if isinstance(row["ds"], ox.NamedNode):
                return row["ds"].value
    return None


def resolve(catalog: Catalog, identifiers: Identifiers | None,
            value: str | Cstr | Doi) -> str | None:
    """The IRI of the dataset the CSTR or DOI `value` names: the identifiers minted (or
    reserved) here first, which outlive a withdrawn dataset's record, then the records in the
    store (demo, harvested, imported). IdentifierError if `value` is malformed."""
    ident = value if isinstance(value, Cstr | Doi) else parse(value)
    if identifiers is not None:
        row = identifiers.find(ident.value)
        if row is not None:
            return row.dataset
    return dataset_in_store(catalog, ident)
