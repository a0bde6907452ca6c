"""The home page (the catalog in numbers, charts, newest datasets) and faceted search.

Counts, facets, sorting and text matching all come from the search index
(`current_app.search`, hdcat.search); the few whole-catalog numbers the index does not hold
(distributions, standards) are read once and cached until the next write.
"""

from __future__ import annotations

import functools
import html
import json
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus, urlencode

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for
from markupsafe import Markup

from hdcat import charts
from hdcat.catalog import Catalog
from hdcat.search import FACETS, KIND, SORTS
from service import i18n
from service.i18n import lang, t
from service.urls import local_path

bp = Blueprint("home", __name__)

KINDS = ("dataset", "series")  # values of the index's hidden `kind` filter
# `?format=json` (or `_format=json`) asks for the search as JSON. "format" is also the file
# format facet, whose values are IRIs (never these words).
OUTPUT_FORMATS = ("json", "html")
MAX_QUERY = 200  # characters of `q` kept
MAX_FILTER_VALUES = 20  # values kept per facet
MAX_VALUE = 500  # characters of one filter value
PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
FACET_SHOWN = 8  # facet values shown before "more"
PAGE_WINDOW = 2  # page numbers shown either side of the current page

_MESSAGES: dict[str, dict[str, str]] = {
    "home_title": {"zh": "健康医疗科学数据目录", "en": "Health scientific data catalog"},
    "home_intro": {
        "zh": "经去标识化的结构化健康医疗科学数据集的元数据目录，可检索、浏览和引用。",
        "en": "A catalog of de-identified, structured health and medical research datasets "
              "to search, browse and cite.",
    },
    "home_numbers": {"zh": "目录概况", "en": "The catalog in numbers"},
    "home_datasets": {"zh": "数据集", "en": "Datasets"},
    "home_series": {"zh": "数据集系列", "en": "Dataset series"},
    "home_publishers": {"zh": "发布机构", "en": "Publishers"},
    "home_standards": {"zh": "标准", "en": "Standards"},
    "home_distributions": {"zh": "数据分发", "en": "Distributions"},
    "home_charts": {"zh": "数据集分布", "en": "Datasets by"},
    "home_by_domain": {"zh": "各领域数据集数", "en": "Datasets per domain"},
    "home_by_level": {"zh": "各敏感级别数据集数", "en": "Datasets per sensitivity level"},
    "home_by_year": {"zh": "各发布年份数据集数", "en": "Datasets per year issued"},
    "home_newest": {"zh": "最新数据集", "en": "Newest datasets"},
    "home_all": {"zh": "浏览全部数据集", "en": "Browse all datasets"},
    "home_count": {"zh": "数量", "en": "Count"},
    "home_table": {"zh": "数据表", "en": "Data table"},
    "home_stats": {"zh": "更多统计与元数据质量", "en": "More statistics and metadata quality"},
    "search_label": {"zh": "检索数据集", "en": "Search datasets"},
    "search_placeholder": {
        "zh": "如：糖尿病、卒中、influenza", "en": "e.g. diabetes, stroke, 糖尿病",
    },
    "search_button": {"zh": "检索", "en": "Search"},
    "search_title": {"zh": "检索数据集", "en": "Search datasets"},
    "search_results": {"zh": "检索结果", "en": "Results"},
    "search_total": {"zh": "共 {n} 个数据集", "en": "{n} datasets"},
    "search_total_one": {"zh": "共 1 个数据集", "en": "1 dataset"},
    "search_showing": {"zh": "第 {a}–{b} 个", "en": "showing {a}–{b}"},
    "search_none": {"zh": "没有符合条件的数据集。", "en": "No datasets match."},
    "search_none_hint": {
        "zh": "试试更短的检索词，或去掉一些筛选条件。",
        "en": "Try a shorter query or remove some filters.",
    },
    "search_filters": {"zh": "筛选", "en": "Filters"},
    "search_active": {"zh": "已选条件", "en": "Active filters"},
    "search_remove": {"zh": "移除筛选", "en": "remove filter"},
    "search_clear": {"zh": "清除全部条件", "en": "Clear all"},
    "search_selected": {"zh": "已选", "en": "selected"},
    "search_more": {"zh": "更多", "en": "More"},
    "search_sort": {"zh": "排序", "en": "Sort by"},
    "sort_relevance": {"zh": "相关度", "en": "Relevance"},
    "sort_newest": {"zh": "最新发布", "en": "Newest"},
    "sort_title": {"zh": "标题", "en": "Title"},
    "search_pages": {"zh": "分页", "en": "Pages"},
    "page_first": {"zh": "首页", "en": "First"},
    "page_prev": {"zh": "上一页", "en": "Previous"},
    "page_next": {"zh": "下一页", "en": "Next"},
    "page_last": {"zh": "末页", "en": "Last"},
    "page_n": {"zh": "第 {n} 页", "en": "Page {n}"},
    "search_json": {"zh": "JSON 格式", "en": "JSON"},
    "search_publisher": {"zh": "发布机构", "en": "Publisher"},
    "search_issued": {"zh": "发布日期", "en": "Issued"},
    "search_keywords": {"zh": "关键词", "en": "Keywords"},
    "search_truncated": {
        "zh": "检索词过长，只使用了前 {n} 个字符。",
        "en": "The query was too long; only its first {n} characters were used.",
    },
    "search_bad_query": {"zh": "无法理解这个检索词。", "en": "The query could not be understood."},
    "facet_domain": {"zh": "领域", "en": "Domain"},
    "facet_category": {"zh": "数据类别（GB/T 39725）", "en": "Data category (GB/T 39725)"},
    "facet_level": {"zh": "敏感级别", "en": "Sensitivity level"},
    "facet_mode": {"zh": "共享方式", "en": "Sharing mode"},
    "facet_publisher": {"zh": "发布机构", "en": "Publisher"},
    "facet_theme": {"zh": "主题", "en": "Theme"},
    "facet_standard": {"zh": "遵循标准", "en": "Standard"},
    "facet_format": {"zh": "格式", "en": "Format"},
    "facet_year": {"zh": "发布年份", "en": "Year issued"},
    "facet_kind": {"zh": "类型", "en": "Type"},
    "kind_all": {"zh": "全部", "en": "All"},
    "kind_dataset": {"zh": "数据集", "en": "Datasets"},
    "kind_series": {"zh": "数据集系列", "en": "Dataset series"},
    "badge_series": {"zh": "数据集系列", "en": "Dataset series"},
}
for _key, _texts in _MESSAGES.items():
    i18n.MESSAGES.setdefault(_key, _texts)


# ---------------------------------------------------------------------------- numbers


class CatalogNumbers:
    """Whole-catalog counts read with two SPARQL queries, cached until the next write.

    A write only marks the numbers stale; the next request recomputes them, and requests
    arriving meanwhile get the previous numbers rather than waiting.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._value: dict[str, int] | None = None
        self._generation = 0
        self._seen = -1
        self._lock = threading.Lock()
        catalog.on_write(self.invalidate)

    def invalidate(self, _graphs: object = None) -> None:
        self._generation += 1

    def _compute(self) -> dict[str, int]:
        return self.catalog.counts()

    def get(self) -> dict[str, int]:
        """The numbers; recomputed at most once per write."""
        current = self._value
        fresh = current is not None and self._seen == self._generation
        if fresh:
            return current  # type: ignore[return-value]
        if current is not None and not self._lock.acquire(blocking=False):
            return current  # another request is recomputing: serve the previous numbers
        if current is None:
            self._lock.acquire()
        try:
            if self._value is not None and self._seen == self._generation:
                return self._value
            generation = self._generation
            value = self._compute()
            self._value, self._seen = value, generation
            return value
        finally:
            self._lock.release()


@bp.record_once
def _setup(state: Any) -> None:
    """One cache of numbers per app, listening to its catalog's writes."""
    app: Flask = state.app
    app.extensions["hdcat_numbers"] = CatalogNumbers(app.catalog)  # type: ignore[attr-defined]


def _numbers() -> CatalogNumbers:
    return current_app.extensions["hdcat_numbers"]


# ---------------------------------------------------------------------------- helpers


def label(iri: str | None) -> str:
    """The graph's label of an IRI in the interface language."""
    if not iri:
        return ""
    return current_app.labels.label(iri, lang())  # type: ignore[attr-defined]


def facet_value_label(facet: str, value: str) -> str:
    """How a facet value is shown: years as they are, IRIs by their label."""
    if facet == "year":
        return value
    return label(value)


def pick(texts: Mapping[str, str] | None, prefer: str | None = None) -> tuple[str, str]:
    """(text, language) of a {lang: text} map in the preferred language, else any."""
    prefer = prefer or lang()
    texts = texts or {}
    for key in (prefer, "en" if prefer == "zh" else "zh", ""):
        if texts.get(key):
            return texts[key], key
    for key, value in texts.items():
        if value:
            return value, key
    return "", ""


_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def safe_snippet(snippet: str | None) -> Markup:
    """The index's snippet as markup, trusted only when it is escaped text plus <mark> tags;
    anything else is shown as plain (escaped) text."""
    if not snippet:
        return Markup("")
    bare = snippet.replace("<mark>", "").replace("</mark>", "")
    balanced = snippet.count("<mark>") == snippet.count("</mark>")
    if balanced and "<" not in bare and ">" not in bare and "&" not in _ENTITY.sub("", bare):
        return Markup(snippet)
    return Markup.escape(html.unescape(bare))


def plain(snippet: str | None) -> str:
    """A snippet as plain text (marks dropped, entities decoded)."""
    if not snippet:
        return ""
    return html.unescape(snippet.replace("<mark>", "").replace("</mark>", ""))


def _shorten(text: str, n: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _int_arg(raw: str | None, default: int, low: int, high: int) -> tuple[int, bool]:
    """(value, ok): an integer parameter clamped to [low, high]; default when unreadable."""
    if raw is None or raw == "":
        return default, True
    try:
        value = int(raw.strip())
    except (ValueError, AttributeError):
        return default, False
    if value < low:
        return low, False
    if value > high:
        return high, False
    return value, True


@functools.lru_cache(maxsize=4096)
def _encoded(key: str, value: str) -> str:
    """One ``key=value`` of a query string, as urlencode writes it (a search page links to
    some 70 variations of its own URL: facet toggles and pages, the same pairs each time)."""
    return quote_plus(key) + "=" + quote_plus(value)


# ---------------------------------------------------------------------------- search state


@dataclass
class SearchState:
    """A search as the URL states it, cleaned: what the index is asked and how links keep it."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    kind: str = ""
    sort: str = ""
    page: int = 1
    per_page: int = PER_PAGE
    warnings: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q else "newest")

    @classmethod
    def from_args(cls, args: Any) -> SearchState:
        state = cls()
        q = " ".join((args.get("q") or "").split())
        if len(q) > MAX_QUERY:
            q, state.truncated = q[:MAX_QUERY], True
            state.warnings.append(f"q truncated to {MAX_QUERY} characters")
        state.q = q
        for facet in FACETS:
            values = [v.strip() for v in args.getlist(facet) if v and v.strip()]
            if facet == "format":  # ?format=json asks for JSON; file formats are IRIs
                values = [v for v in values if v not in OUTPUT_FORMATS]
            values = [v for v in values if len(v) <= MAX_VALUE]
            values = list(dict.fromkeys(values))[:MAX_FILTER_VALUES]
            if values:
                state.filters[facet] = values
        kind = args.get(KIND, "")
        if kind in KINDS:
            state.kind = kind
        elif kind:
            state.warnings.append("unknown kind ignored")
        sort = args.get("sort", "")
        if sort in SORTS:
            state.sort = sort
        elif sort:
            state.warnings.append("unknown sort ignored")
        state.page, ok = _int_arg(args.get("page"), 1, 1, MAX_PAGE)
        if not ok:
            state.warnings.append("page out of range or not a number")
        state.per_page, ok = _int_arg(args.get("per_page"), PER_PAGE, 1, MAX_PER_PAGE)
        if not ok:
            state.warnings.append("per_page out of range or not a number")
        known = set(FACETS) | {KIND, "q", "sort", "page", "per_page", "_format", "lang"}
        unknown = sorted(k for k in args if k not in known)
        if unknown:
            state.warnings.append("unknown parameters ignored: " + ", ".join(unknown[:10]))
        return state

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        """Query parameters of this search with `changes` (filters= replaces the filters)."""
        q = changes.get("q", self.q)
        filters = changes.get("filters", self.filters)
        kind = changes.get("kind", self.kind)
        sort = changes.get("sort", self.sort)
        page = changes.get("page", 1)
        per_page = changes.get("per_page", self.per_page)
        out: list[tuple[str, str]] = []
        if q:
            out.append(("q", q))
        for facet in FACETS:
            out.extend((facet, v) for v in filters.get(facet, ()))
        if kind:
            out.append((KIND, kind))
        if sort:
            out.append(("sort", sort))
        if per_page != PER_PAGE:
            out.append(("per_page", str(per_page)))
        if page and page > 1:
            out.append(("page", str(page)))
        return out

    def url(self, endpoint: str = "search", **changes: Any) -> str:
        path = request.script_root + ("/search.json" if endpoint == "json" else "/search")
        query = "&".join(_encoded(k, v) for k, v in self.params(**changes))
        return f"{path}?{query}" if query else path

    def toggled(self, facet: str, value: str) -> dict[str, list[str]]:
        """The filters with `value` of `facet` added, or removed when present."""
        filters = {k: list(v) for k, v in self.filters.items()}
        values = filters.setdefault(facet, [])
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        return {k: v for k, v in filters.items() if v}

    def index_filters(self) -> dict[str, list[str]] | None:
        """The filters as the index takes them (facets, and the kind of record)."""
        filters = dict(self.filters)
        if self.kind:
            filters[KIND] = [self.kind]
        return filters or None

    def toggle_url(self, facet: str, value: str) -> str:
        return self.url(filters=self.toggled(facet, value))

    def is_selected(self, facet: str, value: str) -> bool:
        return value in self.filters.get(facet, ())


def _run(state: SearchState) -> Any:
    """Ask the index; a page past the end is answered with the last page."""
    index = current_app.search  # type: ignore[attr-defined]
    result = index.search(
        q=state.q,
        filters=state.index_filters(),
        sort=state.effective_sort,
        page=state.page,
        per_page=state.per_page,
        facets=True,
    )
    pages = max(int(getattr(result, "pages", 1) or 1), 1)
    if state.page > pages and result.total:
        state.page = pages
        result = index.search(
            q=state.q, filters=state.index_filters(), sort=state.effective_sort,
            page=pages, per_page=state.per_page, facets=True,
        )
    return result


def _facet_views(state: SearchState, facets: Mapping[str, Sequence[tuple[str, int]]]) -> list:
    """Facets for the template: label, values (label, count, selected, link), ordered."""
    views = []
    for facet in FACETS:
        counts = list(facets.get(facet, ()))
        present = {v for v, _n in counts}
        # Selected values stay visible (and removable) even when they count nothing now.
        counts += [(v, 0) for v in state.filters.get(facet, ()) if v not in present]
        if facet == "year":
            counts.sort(key=lambda vc: str(vc[0]), reverse=True)
        elif facet == "level":
            counts.sort(key=lambda vc: str(vc[0]))
        values = [
            {
                "value": value,
                "label": facet_value_label(facet, value),
                "count": n,
                "selected": state.is_selected(facet, value),
                "url": state.toggle_url(facet, value),
            }
            for value, n in counts
        ]
        if not values:
            continue
        shown = [v for v in values[:FACET_SHOWN]] + [
            v for v in values[FACET_SHOWN:] if v["selected"]
        ]
        more = [v for v in values[FACET_SHOWN:] if not v["selected"]]
        views.append({"name": facet, "title": t(f"facet_{facet}"), "shown": shown,
                      "more": more})
    return views


def _hit_view(hit: Any) -> dict[str, Any]:
    title, title_lang = pick(hit.title)
    other_lang = "en" if lang() == "zh" else "zh"
    other = hit.title.get(other_lang, "") if hit.title else ""
    description, desc_lang = pick(hit.description)
    snippet = safe_snippet(hit.snippet) if hit.snippet else Markup("")
    return {
        "url": local_path(hit.dataset),
        "iri": hit.dataset,
        "title": title or hit.dataset,
        "title_lang": title_lang,
        "other_title": other if other and other != title else "",
        "other_lang": other_lang,
        "snippet": snippet,
        "description": _shorten(description) if not hit.snippet else "",
        "description_lang": desc_lang,
        "keywords": list(hit.keywords or [])[:8],
        "publisher": label(hit.publisher) if hit.publisher else "",
        "issued": hit.issued or "",
        "series": getattr(hit, "kind", "dataset") == "series",
        "badges": [
            (facet, iri, label(iri))
            for facet, iris in (("domain", hit.domains), ("level", hit.levels),
                                ("mode", hit.modes))
            for iri in (iris or [])
        ],
    }


def _pages(state: SearchState, pages: int) -> list[dict[str, Any]]:
    """Page links: first, previous, a window of numbers, next, last."""
    current = state.page
    numbers = range(max(1, current - PAGE_WINDOW), min(pages, current + PAGE_WINDOW) + 1)
    return [
        {"n": n, "url": state.url(page=n), "current": n == current} for n in numbers
    ]


# ---------------------------------------------------------------------------- JSON


def _labelled(iris: Iterable[str]) -> list[dict[str, str]]:
    return [{"iri": iri, "label": label(iri)} for iri in iris]


def _hit_json(hit: Any) -> dict[str, Any]:
    return {
        "dataset": hit.dataset,
        "record": hit.record,
        "kind": getattr(hit, "kind", "dataset"),
        "url": request.host_url.rstrip("/") + local_path(hit.dataset)
        if local_path(hit.dataset).startswith("/") else hit.dataset,
        "title": dict(hit.title or {}),
        "description": dict(hit.description or {}),
        "keywords": list(hit.keywords or []),
        "publisher": {"iri": hit.publisher, "label": label(hit.publisher)}
        if hit.publisher else None,
        "issued": hit.issued,
        "modified": hit.modified,
        "year": hit.year,
        "text": plain(hit.snippet),
        "domains": _labelled(hit.domains or []),
        "categories": _labelled(hit.categories or []),
        "levels": _labelled(hit.levels or []),
        "modes": _labelled(hit.modes or []),
        "themes": _labelled(hit.themes or []),
        "standards": _labelled(hit.standards or []),
        "formats": _labelled(hit.formats or []),
        "score": hit.score,
    }


def _json(state: SearchState, result: Any) -> Response:
    facets = {
        facet: [
            {"value": value, "label": facet_value_label(facet, value), "count": n,
             "selected": state.is_selected(facet, value)}
            for value, n in (result.facets or {}).get(facet, ())
        ]
        for facet in FACETS
    }
    pages = max(int(result.pages or 1), 1)
    body = {
        "query": {"q": state.q, "filters": state.filters, "kind": state.kind or None,
                  "sort": state.effective_sort,
                  "page": state.page, "per_page": state.per_page, "lang": lang()},
        "total": result.total,
        "page": state.page,
        "pages": pages,
        "per_page": state.per_page,
        "hits": [_hit_json(h) for h in result.hits],
        "facets": facets,
        "next": state.url("json", page=state.page + 1) if state.page < pages else None,
        "previous": state.url("json", page=state.page - 1) if state.page > 1 else None,
        "warnings": state.warnings,
    }
    response = Response(json.dumps(body, ensure_ascii=False, indent=1),
                        mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _json_error(message: str, status: int) -> Response:
    response = Response(json.dumps({"error": message}, ensure_ascii=False),
                        status=status, mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


# ---------------------------------------------------------------------------- views


@bp.get("/")
def home() -> str:
    """The catalog in numbers, three charts, the newest datasets and a search box."""
    index = current_app.search  # type: ignore[attr-defined]
    numbers = dict(_numbers().get())
    search_url = request.script_root + "/search"

    datasets_only = {KIND: ["dataset"]}

    def bars(facet: str, order: str) -> list[charts.Bar]:
        counts = [(v, n) for v, n in index.facet_counts(facet, datasets_only) if n]
        if order == "value":
            counts.sort(key=lambda vc: str(vc[0]))
        return [
            charts.Bar(facet_value_label(facet, v), n,
                       f"{search_url}?{urlencode({facet: v, KIND: 'dataset'})}")
            for v, n in counts
        ]

    with_stats = "stats" in current_app.blueprints
    chart_html = [
        Markup(charts.bar_chart(
            bars(facet, order), title=t(f"home_by_{facet}"), chart_id=f"chart-{facet}",
            orientation=orientation, label_header=t(f"facet_{facet}"),
            value_header=t("home_count"), table="details", width=340,
            table_summary=t("home_table"),
            csv_href=url_for("stats.csv", name=facet) if with_stats else None,
        ))
        for facet, order, orientation in (
            ("domain", "count", "horizontal"),
            ("level", "value", "horizontal"),
            ("year", "value", "vertical"),
        )
    ]
    stats_url = None
    if with_stats:  # quality and use charts (service/stats.py)
        from service import stats

        chart_html += stats.home_charts()
        stats_url = url_for("stats.stats_page")
    newest = [_hit_view(h) for h in index.newest(8, kind="dataset")]
    return render_template("home.html", numbers=numbers, charts=chart_html, newest=newest,
                           stats_url=stats_url)


def _search(as_json: bool) -> Response | tuple[str, int] | str:
    state = SearchState.from_args(request.args)
    as_json = as_json or "json" in (request.args.get("format"), request.args.get("_format"))
    try:
        result = _run(state)
    except ValueError as e:
        if as_json:
            return _json_error(f"bad search: {e}", 400)
        return render_template("search.html", state=state, result=None, hits=[], facets=[],
                               pages=[], last=1, error=t("search_bad_query")), 400
    if as_json:
        return _json(state, result)
    pages = max(int(result.pages or 1), 1)
    active = [
        {"facet": facet, "title": t(f"facet_{facet}"), "label": facet_value_label(facet, v),
         "url": state.toggle_url(facet, v)}
        for facet in FACETS for v in state.filters.get(facet, ())
    ]
    first = (state.page - 1) * state.per_page + 1
    return render_template(
        "search.html",
        state=state,
        result=result,
        hits=[_hit_view(h) for h in result.hits],
        facets=_facet_views(state, result.facets or {}),
        active=active,
        pages=_pages(state, pages),
        last=pages,
        shown=(first, first + len(result.hits) - 1),
        sorts=SORTS,
        kinds=[("", t("kind_all"))] + [(k, t(f"kind_{k}")) for k in KINDS],
        error=None,
    )


@bp.get("/search")
def search() -> Response | tuple[str, int] | str:
    """Faceted full-text search (HTML; JSON with ?format=json)."""
    return _search(as_json=False)


@bp.get("/search.json")
def search_json() -> Response | tuple[str, int] | str:
    """Faceted full-text search as JSON."""
    return _search(as_json=True)
