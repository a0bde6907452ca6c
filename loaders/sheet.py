"""Registration spreadsheets (CSV in UTF-8 / UTF-8 with BOM / GBK, or XLSX): one dataset a row.

Columns are the field names Chinese data centres use (数据集中文名称, 关键词, 学科分类,
共享方式, ...) or their English equivalents (title_zh, keywords, domain, sharing_mode, ...).
Concept values are resolved against ontology/vocabularies (zh / en prefLabels, notations and
local names). A row with a bad value is refused with one MappingError per problem
(record "row N", N the spreadsheet row number, the header being row 1; the message names the
column and the value); the other rows load. Unknown columns are page warnings.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import io
import re
from collections.abc import Iterator
from functools import cache
from pathlib import PurePosixPath

import pyoxigraph as ox

from hdcat import resources
from loaders.base import Loader, MappingError, Page
from loaders.http import FetchError, Http
from loaders.rdf import (
    ACCESS_NON_PUBLIC,
    ACCESS_PUBLIC,
    ACCESS_RESTRICTED,
    DCAT,
    DCT,
    DEFAULT_BASE,
    EMAIL,
    HDCAT,
    LOCN,
    Builder,
    add_cstr,
    add_doi,
    cstr_id,
    date_literal,
    doi_name,
    file_type,
    frequency,
    iri,
    language,
    licence,
    media_type,
    slug,
)

# canonical field -> accepted column names (compared after normalising: see _norm)
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("标识", "数据集标识", "id", "dataset_id"),
    "title_zh": ("数据集中文名称", "中文名称", "数据集名称", "资源名称", "title_zh", "title"),
    "title_en": ("数据集英文名称", "英文名称", "title_en"),
    "keywords_zh": ("关键词", "中文关键词", "keywords", "keywords_zh"),
    "keywords_en": ("英文关键词", "keywords_en"),
    "description_zh": ("数据描述", "数据集描述", "描述", "摘要", "中文描述", "description",
                       "description_zh"),
    "description_en": ("英文描述", "英文摘要", "description_en"),
    "domain": ("学科分类", "领域", "数据领域", "domain"),
    "level": ("数据分级", "安全级别", "数据安全级别", "敏感级别", "分级", "sensitivity_level",
              "level"),
    "category": ("数据类别", "数据分类", "data_category", "category"),
    "temporal": ("时间范围", "temporal", "temporal_coverage"),
    "spatial": ("地理范围", "空间范围", "spatial"),
    "format": ("数据格式", "format"),
    "sharing": ("共享方式", "实体数据共享方式", "sharing_mode", "sharing"),
    "licence": ("数据使用许可", "共享许可协议", "许可协议", "license", "licence"),
    "creator": ("资源创建者", "数据资源创建机构", "创建者", "creator"),
    "publisher": ("发布机构", "发布单位", "publisher"),
    "contact": ("联系人", "数据资源联系人", "contact", "contact_name"),
    "email": ("联系人邮箱", "联系邮箱", "邮箱", "contact_email", "email"),
    "cstr": ("科技资源标识符", "cstr"),
    "doi": ("doi",),
    "version": ("版本", "version"),
    "issued": ("发布日期", "发布时间", "公开时间", "issued"),
    "modified": ("最新修订日期", "更新日期", "modified"),
    "landing": ("数据链接", "访问地址", "landing_page", "url"),
    "download": ("下载地址", "download_url"),
    "language": ("语种", "language"),
    "frequency": ("更新频率", "frequency"),
}
SCHEMES = {
    "domain": "https://w3id.org/hdcat/vocab/domain",
    "level": "https://w3id.org/hdcat/vocab/sensitivity-level",
    "category": "https://w3id.org/hdcat/vocab/data-category",
    "sharing": "https://w3id.org/hdcat/vocab/sharing-mode",
    "licence": "https://w3id.org/hdcat/vocab/licence",
}
SHARE = "https://w3id.org/hdcat/vocab/sharing-mode/"
SHARING_ACCESS = {
    SHARE + "open": ACCESS_PUBLIC,
    SHARE + "conditional": ACCESS_RESTRICTED,
    SHARE + "embargoed": ACCESS_NON_PUBLIC,
    SHARE + "closed": ACCESS_NON_PUBLIC,
}
SHARING_ALIASES = {"开放共享": "open", "完全开放": "open", "开放": "open", "公开": "open",
                   "有条件共享": "conditional", "有条件开放": "conditional",
                   "申请共享": "conditional", "协议共享": "conditional",
                   "延期开放": "embargoed", "延期共享": "embargoed",
                   "不开放": "closed", "不共享": "closed", "不予共享": "closed"}
_SPLIT = re.compile(r"[；;,，、\n]+")


def _norm(text: object) -> str:
    s = str(text or "").strip().lower()
    s = re.sub(r"[（(][^）)]*[）)]", "", s)
    return re.sub(r"[\s*＊:：_\-]+", "", s)


_BY_COLUMN = {_norm(alias): key for key, aliases in COLUMNS.items() for alias in aliases}


@cache
def vocabulary() -> dict[str, dict[str, str]]:
    """scheme IRI -> {normalised label / notation / local name: concept IRI}."""
    store = ox.Store()
    for path in sorted((resources.ontology_dir() / "vocabularies").glob("*.ttl")):
        store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
    out: dict[str, dict[str, str]] = {}
    query = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?c ?s ?l WHERE { ?c skos:inScheme ?s .
          { ?c skos:prefLabel ?l } UNION { ?c skos:altLabel ?l } UNION { ?c skos:notation ?l } }"""
    for row in store.query(query):
        concept, scheme, label = row["c"].value, row["s"].value, row["l"].value
        table = out.setdefault(scheme, {})
        table.setdefault(_norm(label), concept)
        table.setdefault(_norm(concept.rstrip("/").rsplit("/", 1)[-1]), concept)
    return out


def concept(field: str, value: str) -> str | None:
    table = vocabulary().get(SCHEMES[field], {})
    key = _norm(value)
    if field == "level":
        key = key.translate(str.maketrans("一二三四五", "12345"))
        m = re.match(r"^(?:l|第|level)?([1-5])(?:级)?$", key)
        if m:
            key = m.group(1)
    if field == "sharing" and value.strip() in SHARING_ALIASES:
        return SHARE + SHARING_ALIASES[value.strip()]
    return table.get(key)


def split_values(text: str) -> list[str]:
    return [v.strip() for v in _SPLIT.split(text) if v.strip()]


_RANGE = re.compile(r"^\s*(.+?)\s*(?:至|到|~|～|—|–|/|\s-\s|--)\s*(.+?)\s*$")


def _range_date(text: str, end: bool) -> ox.Literal | None:
    t = text.strip().replace("年", "-").replace("月", "-").replace("日", "").replace(".", "-")
    t = t.replace("/", "-").strip("-")
    m = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$", t)
    if not m:
        return date_literal(t)
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is None:
        return date_literal(f"{year}-12-31" if end else f"{year}-01-01")
    if day is None:
        if not end:
            return date_literal(f"{year}-{int(month):02d}-01")
        last = calendar.monthrange(int(year), int(month))[1]
        return date_literal(f"{year}-{int(month):02d}-{last:02d}")
    return date_literal(f"{year}-{int(month):02d}-{int(day):02d}")


def parse_range(text: str) -> tuple[ox.Literal | None, ox.Literal | None] | None:
    """`2015-01-01至2019-12-31`, `2015—2019`, `2015年1月-2019年12月` -> (start, end)."""
    text = re.sub(r"([年月日])\s*-\s*", r"\1至", text)
    m = _RANGE.match(text)
    if m:
        start, end = _range_date(m.group(1), False), _range_date(m.group(2), True)
        return (start, end) if start is not None and end is not None else None
    single = _range_date(text, False)
    return (single, _range_date(text, True)) if single is not None else None


def read_rows(name: str, body: bytes) -> list[list[str]]:
    """The rows of a CSV (encoding detected) or XLSX file, as text cells."""
    if body[:2] == b"PK" or PurePosixPath(name).suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [["" if c is None else _cell(c) for c in row]
                for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = body.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("the CSV file is neither UTF-8 nor GBK/GB18030 text")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _cell(value: object) -> str:
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class SheetMapper:
    """Maps one spreadsheet row (canonical field -> text) to DCAT / hdcat triples."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base.rstrip("/")

    def dataset_iri(self, row: dict[str, str]) -> ox.NamedNode:
        key = row.get("id") or (cstr_id(row.get("cstr")) or "").removeprefix("CSTR:") \
            or doi_name(row.get("doi")) or hashlib.sha1(
                (row.get("title_zh") or row.get("title_en") or "").encode()).hexdigest()[:16]
        return ox.NamedNode(f"{self.base}/dataset/{slug(key)}")

    def map(self, row: dict[str, str], columns: dict[str, str], record: str
            ) -> tuple[Builder, list[MappingError]]:
        b = Builder(record)
        errors: list[MappingError] = []

        def bad(field: str, message: str) -> None:
            errors.append(MappingError(record, f"{record}, column {columns.get(field, field)}:"
                                       f" {message}"))

        ds = self.dataset_iri(row)
        b.a(ds, DCAT.Dataset)
        if not row.get("title_zh") and not row.get("title_en"):
            bad("title_zh", "empty: a dataset needs a title (数据集中文名称 or 数据集英文名称)")
        if not row.get("description_zh") and not row.get("description_en"):
            bad("description_zh", "empty: a dataset needs a description (数据描述)")
        b.text(ds, DCT.title, row.get("title_zh"), "zh")
        b.text(ds, DCT.title, row.get("title_en"), "en")
        b.text(ds, DCT.description, row.get("description_zh"), "zh")
        b.text(ds, DCT.description, row.get("description_en"), "en")
        for field, lang in (("keywords_zh", "zh"), ("keywords_en", "en")):
            for kw in split_values(row.get(field, "")):
                b.text(ds, DCAT.keyword, kw, lang)
        for field, prop in (("domain", HDCAT.domain), ("level", HDCAT.sensitivityLevel),
                            ("category", HDCAT.dataCategory)):
            values = split_values(row.get(field, "")) if field != "level" else \
                [row[field].strip()] if row.get(field) else []
            for value in values:
                found = concept(field, value)
                if found is None:
                    bad(field, f"unknown value {value!r} (not a label or code of {SCHEMES[field]})")
                else:
                    b.add(ds, prop, ox.NamedNode(found))
        if row.get("sharing"):
            found = concept("sharing", row["sharing"])
            if found is None:
                bad("sharing", f"unknown value {row['sharing']!r}"
                    " (开放共享/有条件共享/延期开放/不开放)")
            else:
                b.add(ds, HDCAT.sharingMode, ox.NamedNode(found))
                b.add(ds, DCT.accessRights, SHARING_ACCESS[found])
        if row.get("licence"):
            found = concept("licence", row["licence"])
            node = ox.NamedNode(found) if found else licence(row["licence"])
            if node is None:
                bad("licence", f"unknown licence {row['licence']!r}")
            else:
                b.add(ds, DCT.license, node)
        if row.get("temporal"):
            period = parse_range(row["temporal"])
            if period is None:
                bad("temporal", f"not a date range {row['temporal']!r}"
                    " (e.g. 2015-01-01至2019-12-31)")
            else:
                b.period(ds, DCT.temporal, period[0].value, period[1].value)
        if row.get("spatial"):
            place = ox.BlankNode()
            b.add(ds, DCT.spatial, place)
            b.a(place, DCT.Location)
            b.text(place, LOCN.geographicName, row["spatial"], "zh")
        for field, prop in (("issued", DCT.issued), ("modified", DCT.modified)):
            if row.get(field):
                lit = _range_date(row[field], False) if not date_literal(row[field]) else \
                    date_literal(row[field])
                if lit is None:
                    bad(field, f"not a date {row[field]!r}")
                else:
                    b.add(ds, prop, lit)
        if row.get("email") and not EMAIL.match(row["email"].strip()):
            bad("email", f"not an e-mail address {row['email']!r}")
        elif row.get("contact") or row.get("email"):
            b.contact(ds, row.get("contact") or row.get("email"), row.get("email") or None,
                      lang="zh" if row.get("contact") else None)
        for name in split_values(row.get("creator", "")):
            b.agent(ds, DCT.creator, name, lang="zh")
        if row.get("publisher"):
            b.agent(ds, DCT.publisher, row["publisher"], lang="zh")
        if row.get("cstr"):
            cstr = cstr_id(row["cstr"])
            if cstr is None:
                bad("cstr", f"not a CSTR {row['cstr']!r} (e.g. CSTR:A0006.11.A0005.202006.001018)")
            else:
                b.text(ds, DCT.identifier, cstr)
                add_cstr(b, ds, cstr, ox.NamedNode(ds.value + "#cstr"))
        if row.get("doi"):
            doi = doi_name(row["doi"])
            if doi is None:
                bad("doi", f"not a DOI {row['doi']!r}")
            else:
                add_doi(b, ds, doi, ox.NamedNode(ds.value + "#doi"))
        b.text(ds, DCAT.version, row.get("version"))
        if row.get("landing") and not b.link(ds, DCAT.landingPage, row["landing"].strip()):
            bad("landing", f"not a URL {row['landing']!r}")
        if row.get("language"):
            for value in split_values(row["language"]):
                node = language(value)
                if node is None:
                    bad("language", f"unknown language {value!r}")
                else:
                    b.add(ds, DCT.language, node)
        if row.get("frequency"):
            node = frequency(row["frequency"])
            if node is None:
                bad("frequency", f"unknown update frequency {row['frequency']!r}")
            else:
                b.add(ds, DCT.accrualPeriodicity, node)
        self._distribution(b, ds, row, bad)
        return b, errors

    def _distribution(self, b: Builder, ds: ox.NamedNode, row: dict[str, str], bad) -> None:
        formats = split_values(row.get("format", ""))
        known = []
        for fmt in formats:
            if file_type(fmt) is None:
                b.warn(f"column {fmt!r} of 数据格式 is not a known file type, not mapped")
            else:
                known.append(fmt)
        url = (row.get("download") or "").strip()
        if not url:
            if formats:
                b.warn("数据格式 given without a download URL (下载地址): no distribution")
            return
        if iri(url) is None:
            bad("download", f"not a URL {url!r}")
            return
        dist = ox.NamedNode(ds.value + "#dist-1")
        b.add(ds, DCAT.distribution, dist)
        b.a(dist, DCAT.Distribution)
        b.link(dist, DCAT.accessURL, url)
        b.link(dist, DCAT.downloadURL, url)
        if known:
            b.add(dist, DCT.format, file_type(known[0]))  # type: ignore[arg-type]
            mt = media_type(known[0])
            if mt is not None:
                b.add(dist, DCAT.mediaType, mt)
            for other in known[1:]:
                b.warn(f"数据格式 {other!r}: one distribution per row, only the first format kept")


class SheetLoader(Loader):
    """A registration spreadsheet, `page_size` rows a page."""

    kind = "sheet"

    def __init__(self, base: str = DEFAULT_BASE, page_size: int = 500) -> None:
        self.mapper = SheetMapper(base)
        self.page_size = page_size

    def pages(self, url: str, http: Http) -> Iterator[Page]:
        try:
            rows = read_rows(url, http.get(url).body)
        except FetchError as e:
            yield Page.broken(url, str(e))
            return
        except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
            yield Page.broken(url, f"{url}: not a readable CSV or XLSX spreadsheet: {e}")
            return
        header_at = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
        if header_at is None:
            yield Page.broken(url, f"{url}: the spreadsheet is empty")
            return
        header = rows[header_at]
        fields: dict[int, str] = {}
        columns: dict[str, str] = {}
        warnings = []
        for i, name in enumerate(header):
            key = _BY_COLUMN.get(_norm(name))
            if key is None:
                if name.strip():
                    warnings.append(f"{url}: column {name.strip()!r} not mapped")
            elif key in columns:
                warnings.append(f"{url}: column {name.strip()!r} repeats {columns[key]!r},"
                                " not mapped")
            else:
                fields[i] = key
                columns[key] = name.strip()
        if "title_zh" not in columns and "title_en" not in columns:
            yield Page.broken(url, f"{url}: no title column (数据集中文名称 / title_zh) in the"
                              f" header row {header_at + 1}")
            return
        body = [(n + 1, r) for n, r in enumerate(rows) if n > header_at and any(
            c.strip() for c in r)]
        total = len(body)
        for start in range(0, max(total, 1), self.page_size):
            chunk = body[start : start + self.page_size]
            more = start + self.page_size < total
            page = Page([], url if start == 0 else f"{url}#row={chunk[0][0]}",
                        f"{url}#row={body[start + self.page_size][0]}" if more else None,
                        warnings, total=total)
            warnings = []
            for number, cells in chunk:
                row = {fields[i]: c.strip() for i, c in enumerate(cells)
                       if i in fields and c.strip()}
                b, errors = self.mapper.map(row, columns, f"row {number}")
                if errors:
                    page.errors.extend(errors)
                    continue
                page.triples.extend(b.triples)
                page.warnings.extend(b.warnings)
            yield page
