"""Quality and use: the /stats page, CSV exports, the quality dashboard, each record's quality
page, the counting redirect to distributions, and the hooks that count page use.

The blueprint keeps the catalog's quality scores in step with every write (hdcat.quality),
counts use in private state (hdcat.usage) from an `after_request` hook, and runs one
background thread that checks links (only on hosts the operator allows, DATA/quality.toml)
and publishes the use counters to the public graph. No page waits on a link check.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from hdcat import browse, charts, quality, queries, usage
from hdcat.search import KIND
from hdcat.state import PrivateState
from service import i18n
from service.i18n import lang, t

bp = Blueprint("stats", __name__)
log = logging.getLogger(__name__)

CACHE_SECONDS = 60.0
TOP = 10
DCAT = "http://www.w3.org/ns/dcat#"
HDCAT = "https://w3id.org/hdcat/ns#"

_WORDS: dict[str, tuple[str, str]] = {
    "st_title": ("统计与质量", "Statistics and quality"),
    "st_intro": ("目录的规模、增长、元数据质量与使用情况。每个图表旁列出其数字,并可下载 CSV。",
                 "The catalog's size, growth, metadata quality and use. Every chart has its "
                 "numbers beside it and as CSV."),
    "st_count": ("数量", "Count"),
    "st_table": ("数据表", "Data table"),
    "st_by_domain": ("各领域数据集数", "Datasets per domain"),
    "st_by_category": ("各数据类别数据集数", "Datasets per data category"),
    "st_by_level": ("各敏感级别数据集数", "Datasets per sensitivity level"),
    "st_by_year": ("各发布年份数据集数", "Datasets per year issued"),
    "st_growth": ("数据集累计增长", "Growth of the catalog (datasets, cumulative)"),
    "st_year": ("年份", "Year"),
    "st_quality_dist": ("元数据质量等级分布", "Metadata quality ratings"),
    "st_quality_hist": ("元数据质量得分分布", "Metadata quality scores"),
    "st_rating": ("等级", "Rating"),
    "st_score": ("得分", "Score"),
    "st_records": ("记录数", "Records"),
    "st_most_used": ("最常用的数据集", "Most used datasets"),
    "st_used": ("浏览+下载+访问", "Views + downloads + access"),
    "st_dataset": ("数据集", "Dataset"),
    "st_institutions": ("机构排名(发布数据集数)", "Institutions by datasets published"),
    "st_institution_use": ("机构排名(使用量)", "Institutions by use"),
    "st_institution": ("机构", "Institution"),
    "st_creator": ("创建者", "Creator"),
    "st_creators": ("创建者排名", "Creators"),
    "st_standards": ("各类标准的采用(遵循该类标准的数据集数)",
                     "Standards adoption per family (datasets following a standard of it)"),
    "st_family": ("标准类别", "Family"),
    "st_usage_month": ("每月使用量", "Use per month"),
    "st_month": ("月份", "Month"),
    "st_kind": ("类型", "Kind"),
    "st_rankings": ("机构与创建者排名", "Rankings of institutions and creators"),
    "st_rankings_help": ("共享量为发布的数据集数;使用量为浏览、下载与引用"
                         "(总数与每个数据集的平均数)。",
                         "Sharing volume is the number of datasets published; use is views, "
                         "downloads and citations (in all and per dataset)."),
    "st_datasets": ("数据集数", "Datasets"),
    "st_views": ("浏览", "Views"),
    "st_downloads": ("下载", "Downloads"),
    "st_access": ("访问链接", "Access clicks"),
    "st_citations": ("引用", "Citations"),
    "st_per_dataset": ("每个数据集", "per dataset"),
    "st_catalog_use": ("目录整体使用", "Use of the catalog as a whole"),
    "st_usage_note": ("同一访问者在 {m} 分钟内的重复访问只计一次;已知的爬虫不计;"
                      "不保存访问者的 IP 地址或其他个人信息。",
                      "Repeated hits of one visitor within {m} minutes count once; known "
                      "robots are not counted; no IP address or other personal data of "
                      "visitors is stored."),
    "st_csv": ("CSV", "CSV"),
    "st_all_csv": ("全部数据(CSV)", "All the data (CSV)"),
    "st_more_quality": ("元数据质量看板", "Metadata quality dashboard"),
    "st_none": ("暂无数据。", "No data yet."),
    "q_title": ("元数据质量", "Metadata quality"),
    "q_dashboard": ("元数据质量看板", "Metadata quality dashboard"),
    "q_intro": ("按 data.europa.eu 元数据质量评估(MQA)的指标与权重打分,满分 405:351–405 优秀,"
                "221–350 良好,121–220 及格,0–120 较差;另加健康数据要素维度(满分 100,不计入总分)。",
                "Scored with the indicators and weights of the data.europa.eu metadata quality "
                "assessment (MQA), 405 points in all: excellent 351-405, good 221-350, "
                "sufficient 121-220, bad 0-120; plus a health dimension (100 points, not part "
                "of the total)."),
    "q_total": ("MQA 总分", "MQA score"),
    "q_health": ("健康数据要素", "Health indicators"),
    "q_dimension": ("维度", "Dimension"),
    "q_points": ("得分", "Points"),
    "q_max": ("满分", "Out of"),
    "q_fix_first": ("优先改进", "What to fix first"),
    "q_nothing": ("没有需要改进的指标。", "Nothing to fix."),
    "q_indicators": ("全部指标", "All indicators"),
    "q_indicator": ("指标", "Indicator"),
    "q_weight": ("权重", "Weight"),
    "q_computed": ("计算时间", "Computed"),
    "q_not_stored": ("尚未保存的即时评分。", "Computed now; not stored yet."),
    "q_dqv": ("这些得分以 DQV 质量测量(dqv:hasQualityMeasurement)发布在公开图中,可用 SPARQL 查询。",
              "These scores are published as DQV quality measurements "
              "(dqv:hasQualityMeasurement) in the public graph, for SPARQL."),
    "q_back": ("返回数据集", "Back to the dataset"),
    "q_records": ("已评分记录", "Records scored"),
    "q_mean": ("平均分", "Mean score"),
    "q_health_mean": ("健康指标平均分", "Mean health score"),
    "q_worst": ("得分最低的记录", "Lowest-scoring records"),
    "q_violations": ("最常见的失分指标", "Most common shortcomings"),
    "q_records_missing": ("记录数", "Records"),
    "q_by_publisher": ("按发布机构", "By publisher"),
    "q_publisher": ("发布机构", "Publisher"),
    "q_lowest": ("最低分", "Lowest"),
    "q_dimensions_mean": ("各维度平均分", "Mean score per dimension"),
    "q_unscored": ("还有 {n} 条记录尚未评分,正在后台评分;也可运行 hdcat quality --recompute。",
                   "{n} records are not scored yet and are being scored in the background; "
                   "`hdcat quality --recompute` does it at once."),
    "q_unknown_publisher": ("(未注明)", "(none)"),
    "go_bad_url": ("该地址不是此数据集的数据分发地址。",
                   "That address is not a distribution of this dataset."),
    "go_embargo": ("保护期内,暂不提供下载。", "Under embargo: downloads are not available yet."),
}
i18n.MESSAGES.update(
    {k: {"zh": zh, "en": en} for k, (zh, en) in _WORDS.items() if k not in i18n.MESSAGES}
)


# ---------------------------------------------------------------------------- setup


class Background:
    """One daemon thread: scoring what other processes wrote (`Quality.catch_up`), link
    checks (hosts the operator allows only), re-scoring of the records whose links changed,
    and publication of the use counters, each at its interval.
    Started by the first request, so a page never waits on it; stopped when the catalog is
    closed (the job under way, if any, is waited for up to STOP_WAIT seconds)."""

    STOP_WAIT = 30.0

    def __init__(self, q: quality.Quality, u: usage.Usage) -> None:
        self.quality = q
        self.usage = u
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_links = 0.0
        self.last_publish = time.time()
        q.catalog.on_close(self.stop)

    def start(self) -> None:
        with self._lock:
            if self.started or self._stop.is_set():
                return
            self._thread = threading.Thread(target=self._run, name="hdcat-stats-jobs",
                                            daemon=True)
            self._thread.start()

    @property
    def started(self) -> bool:
        return self._thread is not None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(self.STOP_WAIT)

    def run_once(self, now: float | None = None) -> dict[str, int]:
        """Do what is due now."""
        now = time.time() if now is None else now
        done: dict[str, int] = {}
        caught_up = self.quality.catch_up()
        if caught_up:
            done["caught_up"] = caught_up
        settings = self.quality.settings
        if settings.allowed_hosts and now - self.last_links >= settings.check_interval:
            self.last_links = now
            done.update(self.quality.check_links())
        if now - self.last_publish >= settings.usage_publish_interval:
            self.last_publish = now
            done["published"] = self.usage.publish(self.quality.catalog)
        return done

    def _run(self) -> None:
        settings = self.quality.settings
        pause = max(5.0, min(settings.check_interval, settings.usage_publish_interval) / 4)
        while not self._stop.wait(pause):
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - a background job logs and goes on
                if self._stop.is_set():  # the catalog closed under it (after STOP_WAIT)
                    return
                log.exception("quality/usage background job failed")


@bp.record_once
def _setup(state: Any) -> None:
    app: Flask = state.app
    catalog = app.catalog  # type: ignore[attr-defined]
    data_dir = catalog.settings.data_dir
    private = getattr(app, "private_state", None) or PrivateState.of(data_dir)
    settings = quality.QualitySettings.load(data_dir)
    q = quality.attached(catalog, private, settings)
    u = usage.Usage(private, data_dir, window=settings.usage_window)
    app.extensions["hdcat_quality"] = q
    app.extensions["hdcat_usage"] = u
    app.extensions["hdcat_stats_jobs"] = Background(q, u)
    app.extensions["hdcat_stats_cache"] = {}
    app.jinja_env.globals.update(quality_url=quality_url, counted_url=counted_url)


def _quality() -> quality.Quality:
    return current_app.extensions["hdcat_quality"]


def _usage() -> usage.Usage:
    return current_app.extensions["hdcat_usage"]


def _catalog():  # noqa: ANN202 - the app's Catalog
    return current_app.catalog  # type: ignore[attr-defined]


def _label(iri: str | None) -> str:
    if not iri:
        return ""
    return current_app.labels.label(iri, lang())  # type: ignore[attr-defined]


def _ident(dataset_iri: str) -> str | None:
    """The `<ident>` of `/dataset/<ident>` for one of this catalog's datasets."""
    path = browse.local_path(dataset_iri, _catalog().settings.base_iri)
    if path and path.startswith("/dataset/") and "/" not in path[len("/dataset/"):]:
        return path[len("/dataset/"):]
    return None


def quality_url(dataset_iri: str) -> str | None:
    """The quality page of a dataset (a Jinja global for the dataset page)."""
    ident = _ident(dataset_iri)
    return url_for("stats.record_quality", ident=ident) if ident else None


def counted_url(dataset_iri: str, url: str) -> str:
    """A distribution link through the counting redirect (a Jinja global for the dataset
    page); the URL itself for datasets this site does not serve."""
    ident = _ident(dataset_iri)
    return url_for("stats.go", ident=ident, url=url) if ident else url


# ---------------------------------------------------------------------------- counting


def _resolve(path: str) -> tuple[str, str] | None:
    from service.pages import _candidates

    return browse.resolve_record(_catalog(), _candidates(path))


def _count(kind: str, target: str) -> None:
    try:
        _usage().hit(kind, target, request.remote_addr, request.user_agent.string)
    except Exception:  # noqa: BLE001 - counting never fails a response
        log.exception("use counter failed")


@bp.before_app_request
def _start_jobs() -> None:
    jobs = current_app.extensions.get("hdcat_stats_jobs")
    if jobs is not None and not jobs.started:
        jobs.start()


API_ENDPOINTS = ("home.search_json", "sparql.sparql")


@bp.after_app_request
def _count_use(response: Response) -> Response:
    """Count landing-page views and RDF retrievals of datasets, citation exports, API
    retrievals (search JSON, SPARQL queries, the catalog as RDF) and harvests of the feeds
    (DCAT feed, OAI-PMH); successful requests only; robots and repeats are left out by
    hdcat.usage."""
    endpoint = request.endpoint or ""
    if request.method not in ("GET", "POST") or response.status_code != 200:
        return response
    kind: str | None = None
    target = usage.CATALOG
    args = request.view_args or {}
    if endpoint in ("pages.dataset", "pages.record") and request.method == "GET":
        html = response.mimetype in ("text/html", "application/xhtml+xml")
        if endpoint == "pages.record" and html:
            return response
        found = _resolve(f"/{endpoint.split('.')[1]}/{args.get('ident', '')}")
        if found is None:
            return response
        kind, target = ("view" if html else "rdf"), found[1]
    elif endpoint == "citations.cite" and request.method == "GET":
        found = _resolve(f"/dataset/{args.get('ident', '')}")
        if found is None:
            return response
        kind, target = "cite", found[1]
    elif endpoint.startswith("feeds.") and "sitemap" not in endpoint:
        kind = "harvest"
    elif endpoint in API_ENDPOINTS or (
            endpoint == "pages.catalog_page" and response.mimetype not in (
                "text/html", "application/xhtml+xml")):
        if endpoint == "sparql.sparql" and not (
                request.values.get("query") or request.mimetype == "application/sparql-query"):
            return response  # the endpoint's description, not a query
        kind = "api"
    if kind is not None:
        _count(kind, target)
    return response


@bp.route("/go/<ident>")
def go(ident: str) -> Response:
    """The counting redirect: to one of this dataset's own distribution URLs (access or
    download; http, https or ftp), and nowhere else (400). Downloads under embargo are
    refused (403)."""
    found = _resolve(f"/dataset/{ident}")
    if found is None:
        abort(404)
    url = request.args.get("url", "")
    record, dataset = found
    triples = _catalog().record_triples(record)
    kind = _distribution_links(triples, dataset).get(url)
    if kind is None or not url.lower().startswith(("http://", "https://", "ftp://")):
        return Response(t("go_bad_url") + "\n", status=400, mimetype="text/plain")
    if kind == "download" and _embargoed(triples, dataset):
        return Response(t("go_embargo") + "\n", status=403, mimetype="text/plain")
    if request.method == "GET":
        _count(kind, dataset)
    response = redirect(url, code=302)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response  # type: ignore[return-value]


def _distribution_links(triples: list[ox.Triple], dataset: str) -> dict[str, str]:
    """URL -> "download" or "access", for the distributions of the dataset (in the triples
    of its record)."""
    dists = {tr.object for tr in triples
             if tr.subject.value == dataset and tr.predicate.value == DCAT + "distribution"}
    out: dict[str, str] = {}
    for tr in triples:
        if tr.subject in dists and isinstance(tr.object, ox.NamedNode):
            if tr.predicate.value == DCAT + "downloadURL":
                out[tr.object.value] = "download"
            elif tr.predicate.value == DCAT + "accessURL":
                out.setdefault(tr.object.value, "access")
    return out


def _embargoed(triples: list[ox.Triple], dataset: str) -> bool:
    """Whether the dataset is under embargo (its downloads are not offered yet)."""
    for tr in triples:
        if tr.subject.value == dataset and tr.predicate.value == HDCAT + "embargoEnd":
            try:
                return date.fromisoformat(tr.object.value[:10]) > date.today()
            except ValueError:
                return True
    return False


# ---------------------------------------------------------------------------- numbers


def _cached(key: str, compute: Callable[[], Any]) -> Any:
    """A whole-catalog computation, kept CACHE_SECONDS."""
    cache = current_app.extensions.setdefault("hdcat_stats_cache", {})
    hit = cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    value = compute()
    cache[key] = (now, value)
    return value


def _facet(facet: str, order: str = "count") -> list[tuple[str, int]]:
    index = current_app.search  # type: ignore[attr-defined]
    counts = [(v, n) for v, n in index.facet_counts(facet, {KIND: ["dataset"]}) if n]
    if order == "value":
        counts.sort(key=lambda vc: str(vc[0]))
    return counts


def _standard_families() -> list[tuple[str, int]]:
    """(family IRI, datasets following at least one standard of the family)."""
    rows = _catalog().store.query(queries.get("standards_list"))
    by_family: dict[str, list[str]] = {}
    for row in rows:
        fam = row.get("family")
        if fam is not None:
            by_family.setdefault(fam.value, []).append(row["std"].value)
    index = current_app.search  # type: ignore[attr-defined]
    out = []
    for fam, stds in by_family.items():
        result = index.search(filters={"standard": stds, KIND: ["dataset"]}, per_page=1,
                              facets=False)
        if result.total:
            out.append((fam, int(result.total)))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out


def _growth(years: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    total = 0
    out = []
    for year, n in sorted(years, key=lambda yn: str(yn[0])):
        total += n
        out.append((str(year), total))
    return out


def _dataset_title(row: dict[str, Any]) -> str:
    first, second = ("title_zh", "title_en") if lang() == "zh" else ("title_en", "title_zh")
    return row.get(first) or row.get(second) or row.get("dataset", "")


def _link(iri: str) -> str:
    from service.urls import local_path

    return local_path(iri)


# Each table of /stats: name -> (header keys, rows function). Rows are computed from the
# cached numbers in the current language.
def _tables() -> dict[str, tuple[list[str], Callable[[], list[list[Any]]]]]:
    q, u = _quality(), _usage()

    def facet_rows(facet: str, order: str = "count") -> Callable[[], list[list[Any]]]:
        def rows() -> list[list[Any]]:
            counts = _cached(f"facet:{facet}", lambda: _facet(facet, order))
            return [[_facet_label(facet, v), v, n] for v, n in counts]
        return rows

    def growth() -> list[list[Any]]:
        years = _cached("facet:year", lambda: _facet("year", "value"))
        return [[y, n] for y, n in _growth(years)]

    def ratings() -> list[list[Any]]:
        summary = _cached("quality:summary", q.summary)
        return [[quality.rating_label(k, lang()), k, n] for k, n in summary["ratings"]]

    def histogram() -> list[list[Any]]:
        summary = _cached("quality:summary", q.summary)
        return [[b, n] for b, n in summary["histogram"]]

    def most_used() -> list[list[Any]]:
        rows = _cached("usage:most_used", lambda: u.most_used(TOP))
        return [[_dataset_title(r), r["dataset"], r["views"], r["downloads"], r["access"],
                 r["used"], r["citations"]] for r in rows]

    def ranking(by: str) -> Callable[[], list[list[Any]]]:
        def rows() -> list[list[Any]]:
            found = _cached(f"usage:ranking:{by}", lambda: u.ranking(by))
            return [[_label(r["agent"]), r["agent"], r["datasets"], r["views"],
                     r["downloads"], r["citations"], r["views_per_dataset"],
                     r["downloads_per_dataset"], r["citations_per_dataset"]] for r in found]
        return rows

    def families() -> list[list[Any]]:
        found = _cached("standards:families", _standard_families)
        return [[_label(f), f, n] for f, n in found]

    def monthly() -> list[list[Any]]:
        rows = _cached("usage:monthly", lambda: u.over_time(by="month"))
        return [[p, k, usage.KIND[k].label(lang()) if k in usage.KIND else k, n]
                for p, k, n in rows]

    def violations() -> list[list[Any]]:
        found = _cached("quality:violations", q.violations)
        return [[i.label(lang()), i.key, i.dimension, i.weight, n] for i, n in found]

    def publishers() -> list[list[Any]]:
        found = _cached("quality:publishers", q.by_publisher)
        return [[_label(r["publisher"]) or t("q_unknown_publisher"), r["publisher"] or "",
                 r["records"], r["mean"], r["health"], r["worst"]] for r in found]

    def records() -> list[list[Any]]:
        out = []
        for s in q.scores():
            sc = s.score
            out.append([sc.dataset, sc.record, sc.facts.get("publisher") or "", sc.total,
                        s.rating, sc.health, *(sc.dimension(d.key) for d in quality.DIMENSIONS),
                        *(sc.points.get(i.key, 0) for i in quality.INDICATORS), s.computed])
        return out

    def dataset_use() -> list[list[Any]]:
        totals = u.totals()
        return [[ds, *(counts.get(k, 0) for k in usage.DATASET_KINDS)]
                for ds, counts in sorted(totals.items()) if ds != usage.CATALOG]

    def catalog_use() -> list[list[Any]]:
        totals = u.catalog_totals()
        return [[usage.KIND[k].label(lang()), k, n] for k, n in totals.items()]

    def group_use(by: str) -> Callable[[], list[list[Any]]]:
        def rows() -> list[list[Any]]:
            found = u.by_group(by)
            return [[_label(a), a, *(c.get(k, 0) for k in usage.DATASET_KINDS)]
                    for a, c in sorted(found.items())]
        return rows

    def monthly_by(by: str) -> Callable[[], list[list[Any]]]:
        def rows() -> list[list[Any]]:
            return [[p, who, k, n] for p, who, k, n in u.over_time_by(by)]
        return rows

    facet_header = ["label", "iri", "datasets"]
    ranking_header = ["name", "iri", "datasets", "views", "downloads", "citations",
                      "views_per_dataset", "downloads_per_dataset", "citations_per_dataset"]
    return {
        "domain": (facet_header, facet_rows("domain")),
        "category": (facet_header, facet_rows("category")),
        "level": (facet_header, facet_rows("level", "value")),
        "year": (["year", "year", "datasets"], facet_rows("year", "value")),
        "growth": (["year", "datasets_cumulative"], growth),
        "quality": (["rating", "key", "records"], ratings),
        "quality-histogram": (["score", "records"], histogram),
        "most-used": (["title", "dataset", "views", "downloads", "access_clicks", "used",
                       "citations"], most_used),
        "institutions": (ranking_header, ranking("publisher")),
        "creators": (ranking_header, ranking("creator")),
        "standards": (["family", "iri", "datasets"], families),
        "usage-monthly": (["month", "kind", "kind_label", "count"], monthly),
        "quality-violations": (["indicator", "key", "dimension", "weight", "records"],
                               violations),
        "quality-publishers": (["publisher", "iri", "records", "mean_score", "mean_health",
                                "lowest_score"], publishers),
        "quality-records": (["dataset", "record", "publisher", "score", "rating", "health",
                             *(d.key for d in quality.DIMENSIONS),
                             *(i.key for i in quality.INDICATORS), "computed"], records),
        "usage-datasets": (["dataset", *usage.DATASET_KINDS], dataset_use),
        "usage-catalog": (["kind_label", "kind", "count"], catalog_use),
        "usage-publishers": (["publisher_label", "publisher", *usage.DATASET_KINDS],
                             group_use("publisher")),
        "usage-creators": (["creator_label", "creator", *usage.DATASET_KINDS],
                           group_use("creator")),
        "usage-monthly-datasets": (["month", "dataset", "kind", "count"],
                                   monthly_by("dataset")),
        "usage-monthly-publishers": (["month", "publisher", "kind", "count"],
                                     monthly_by("publisher")),
        "usage-monthly-creators": (["month", "creator", "kind", "count"],
                                   monthly_by("creator")),
    }


def _facet_label(facet: str, value: str) -> str:
    return value if facet == "year" else _label(value)


@bp.route("/stats/<name>.csv")
def csv(name: str) -> Response:
    """The numbers behind a chart or table of /stats and /quality, as CSV (UTF-8)."""
    tables = _tables()
    if name not in tables:
        abort(404)
    header, rows = tables[name]
    body = charts.to_csv(header, rows())
    response = Response(body, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="hdcat-{name}.csv"'
    response.vary.add("Cookie")
    return response


# ---------------------------------------------------------------------------- charts


def _bars(rows: Iterable[Sequence[Any]], label_at: int = 0, value_at: int = -1,
          href: Callable[[Sequence[Any]], str | None] | None = None) -> list[charts.Bar]:
    return [charts.Bar(str(r[label_at]), int(r[value_at]), href(r) if href else None)
            for r in rows]


def _chart(name: str, bars: list[charts.Bar], title: str, label_key: str, value_key: str,
           *, orientation: str = "horizontal", line: bool = False, table: str = "visible",
           width: int = 460, chart_id: str | None = None) -> Markup:
    kwargs = dict(title=title, label_header=t(label_key), value_header=t(value_key),
                  width=width, table=table, chart_id=chart_id or f"st-{name}",
                  csv_href=url_for("stats.csv", name=name), csv_label=t("st_csv"),
                  beside=table == "visible", empty_text=t("st_none"),
                  table_summary=t("st_table"))
    if line:
        return Markup(charts.line_chart(bars, **kwargs))
    return Markup(charts.bar_chart(bars, orientation=orientation, **kwargs))


def _search_href(facet: str) -> Callable[[Sequence[Any]], str]:
    from urllib.parse import urlencode

    def href(row: Sequence[Any]) -> str:
        return f"{request.script_root}/search?{urlencode({facet: row[1], KIND: 'dataset'})}"
    return href


def home_charts() -> list[Markup]:
    """The quality and use charts of the home page (none when this blueprint is absent)."""
    if "hdcat_quality" not in current_app.extensions:
        return []
    tables = _tables()
    out = [
        _chart("quality", _bars(tables["quality"][1](), value_at=2), t("st_quality_dist"),
               "st_rating", "st_records", table="details", width=340,
               chart_id="chart-quality"),
    ]
    used = tables["most-used"][1]()
    if used:
        out.append(_chart("most-used", _bars(used, value_at=5,
                                             href=lambda r: _link(r[1])),
                          t("st_most_used"), "st_dataset", "st_used", table="details",
                          width=340, chart_id="chart-most-used"))
    return out


@bp.route("/stats")
def stats_page() -> str:
    """Datasets per domain, category, level and year; growth; quality; most used datasets;
    institution ranking; standards adoption; use over time: each chart with its table and
    CSV."""
    tables = _tables()
    rows = {name: fn() for name, (_h, fn) in tables.items()
            if name not in ("quality-records", "usage-datasets", "usage-publishers",
                            "usage-creators") and not name.startswith("usage-monthly-")}
    months: dict[str, int] = {}
    for row in rows["usage-monthly"]:
        months[row[0]] = months.get(row[0], 0) + row[3]
    figures = [
        _chart("domain", _bars(rows["domain"], href=_search_href("domain")),
               t("st_by_domain"), "facet_domain", "st_count"),
        _chart("category", _bars(rows["category"], href=_search_href("category")),
               t("st_by_category"), "facet_category", "st_count"),
        _chart("level", _bars(rows["level"], href=_search_href("level")),
               t("st_by_level"), "facet_level", "st_count"),
        _chart("year", _bars(rows["year"], href=_search_href("year")), t("st_by_year"),
               "st_year", "st_count", orientation="vertical"),
        _chart("growth", _bars(rows["growth"]), t("st_growth"), "st_year", "st_datasets",
               line=True),
        _chart("quality", _bars(rows["quality"], value_at=2), t("st_quality_dist"),
               "st_rating", "st_records"),
        _chart("quality-histogram", _bars(rows["quality-histogram"]), t("st_quality_hist"),
               "st_score", "st_records", orientation="vertical"),
        _chart("most-used", _bars(rows["most-used"], value_at=5, href=lambda r: _link(r[1])),
               t("st_most_used"), "st_dataset", "st_used"),
        _chart("institutions", _bars(rows["institutions"][:TOP], value_at=2,
                                     href=lambda r: _link(r[1])),
               t("st_institutions"), "st_institution", "st_datasets"),
        _chart("standards", _bars(rows["standards"], value_at=2), t("st_standards"),
               "st_family", "st_datasets"),
        _chart("usage-monthly", [charts.Bar(p, n) for p, n in sorted(months.items())],
               t("st_usage_month"), "st_month", "st_count", orientation="vertical"),
    ]
    settings = _quality().settings
    return render_template(
        "stats.html", figures=figures, institutions=rows["institutions"],
        creators=rows["creators"], catalog_use=rows["usage-catalog"],
        note=t("st_usage_note").replace("{m}", str(int(settings.usage_window // 60))),
        link=_link,
    )


# ---------------------------------------------------------------------------- quality


@bp.route("/quality")
def dashboard() -> str:
    """The catalog's metadata quality: score distribution, lowest-scoring records, most
    common shortcomings, and scores by publisher."""
    q = _quality()
    unscored = q.unscored(current_app.search.count())  # type: ignore[attr-defined]
    if unscored:
        q.catch_up_in_background()
    tables = _tables()
    summary = _cached("quality:summary", q.summary)
    violations = tables["quality-violations"][1]()
    publishers = tables["quality-publishers"][1]()
    worst = []
    for s in q.worst(20):
        title = _dataset_title({"title_zh": s.score.facts["title"]["zh"],
                                "title_en": s.score.facts["title"]["en"],
                                "dataset": s.dataset})
        ident = _ident(s.dataset)
        worst.append({
            "title": title, "dataset": s.dataset, "total": s.score.total,
            "health": s.score.health, "rating": quality.rating_label(s.rating, lang()),
            "quality_url": url_for("stats.record_quality", ident=ident) if ident else None,
            "url": _link(s.dataset),
            "first": (s.score.advice(lang()) or [""])[0],
        })
    dims = [charts.Bar(d.label(lang()), int(round(summary["dimensions"][d.key])))
            for d in quality.DIMENSIONS]
    figures = [
        _chart("quality", _bars(tables["quality"][1](), value_at=2), t("st_quality_dist"),
               "st_rating", "st_records"),
        _chart("quality-histogram", _bars(tables["quality-histogram"][1]()),
               t("st_quality_hist"), "st_score", "st_records", orientation="vertical"),
        Markup(charts.bar_chart(dims, title=t("q_dimensions_mean"),
                                label_header=t("q_dimension"), value_header=t("q_points"),
                                chart_id="st-dimensions", beside=True, width=460,
                                csv_href=url_for("stats.csv", name="quality-records"),
                                csv_label=t("st_all_csv"))),
        _chart("quality-violations", _bars(violations, value_at=4), t("q_violations"),
               "q_indicator", "q_records_missing"),
    ]
    return render_template(
        "quality_dashboard.html", summary=summary, figures=figures, worst=worst,
        publishers=publishers, unscored=unscored,
        unscored_text=t("q_unscored").replace("{n}", str(unscored)),
    )


@bp.route("/dataset/<ident>/quality")
def record_quality(ident: str) -> Response | str:
    """One record's quality: score per dimension and what to fix first, in words
    (`?format=json` for programs). Reads the stored score: never waits on a link check."""
    found = _resolve(f"/dataset/{ident}")
    if found is None:
        abort(404)
    record, dataset = found
    q = _quality()
    stored = q.get(record)
    if stored is not None:
        score, computed, fresh = stored.score, stored.computed, False
    else:  # not scored yet: score it now from what is stored (no network)
        score = q.scorer.score(record, _catalog().store.graph(record))
        computed, fresh = "", True
    notes = q.link_notes(score, lang())
    advice = score.advice(lang(), notes)
    dims = [
        {"key": d.key, "label": d.label(lang()), "points": score.dimension(d.key),
         "max": quality.dimension_max(d.key), "mqa": d.mqa}
        for d in quality.DIMENSIONS
    ]
    indicators = [
        {"key": i.key, "label": i.label(lang()), "dimension": quality.DIMENSION[i.dimension]
         .label(lang()), "points": score.points.get(i.key, 0), "weight": i.weight,
         "detail": score.detail.get(i.key)}
        for i in quality.INDICATORS
    ]
    if request.args.get("format") == "json":
        body = {
            "dataset": dataset, "record": record, "score": score.total,
            "max": quality.MQA_MAX, "rating": score.rating, "health": score.health,
            "health_max": quality.HEALTH_MAX,
            "dimensions": {d["key"]: {"points": d["points"], "max": d["max"]} for d in dims},
            "indicators": {i["key"]: {"points": i["points"], "weight": i["weight"]}
                           for i in indicators},
            "fix_first": advice, "computed": computed or None,
        }
        response = Response(json.dumps(body, ensure_ascii=False, indent=1),
                            mimetype="application/json")
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
    title = _dataset_title({"title_zh": score.facts["title"]["zh"],
                            "title_en": score.facts["title"]["en"], "dataset": dataset})
    sparql = _sparql_link(dataset)
    chart = Markup(charts.bar_chart(
        [charts.Bar(d["label"], d["points"]) for d in dims], title=t("q_title"),
        label_header=t("q_dimension"), value_header=t("q_points"), chart_id="q-dims",
        width=420, beside=True, table="hidden"))
    return render_template(
        "quality.html", title=title, dataset=dataset, dataset_url=_link(dataset),
        score=score, rating=quality.rating_label(score.rating, lang()), dims=dims,
        indicators=indicators, advice=advice, computed=computed, fresh=fresh,
        mqa_max=quality.MQA_MAX, health_max=quality.HEALTH_MAX, chart=chart,
        sparql=sparql,
    )


def _sparql_link(dataset: str) -> str:
    """A link to the SPARQL page with the measurements query of this dataset filled in."""
    text = queries.with_values("quality_measurements", ds=[ox.NamedNode(dataset)])
    return f"{request.script_root}/sparql/ui?query={quote(text, safe='')}"
