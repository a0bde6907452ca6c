"""Duplicate check (查重) pages and API: check planned datasets against the published catalog
(a form, a spreadsheet upload, a printable report, `POST /api/dedup`), and the curators'
page of likely duplicate pairs inside the catalog with their decisions."""

from __future__ import annotations

import json
import threading
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from hdcat.dedup import (
    DECISIONS,
    MAX_PLANS,
    Decisions,
    DedupIndex,
    clean_plan,
    dedup_index,
    pairs_with_decisions,
    plan_summary,
    read_plans,
)
from service import i18n
from service.auth import check_csrf, current_account, private_state, require
from service.i18n import lang, t
from service.urls import local_path

bp = Blueprint("dedup", __name__)

MAX_BATCH_PAGE = 200
"""Planned datasets shown in one batch report (the rest are checked by `hdcat dedup`)."""

i18n.MESSAGES.update({
    "dedup": {"zh": "查重", "en": "Duplicate check"},
    "dedup_title": {"zh": "科学数据查重", "en": "Duplicate check of planned datasets"},
    "dedup_intro": {
        "zh": "在项目立项时，把计划采集的数据与已发布的目录比对，避免重复采集与存储。"
              "只需填写标题，其他信息越完整，结果越可靠。",
        "en": "Compare the datasets a project plans to collect with the published catalog, so "
              "that the same data is not collected and stored twice. A title is enough; the "
              "more you give, the surer the result."},
    "dedup_title_zh": {"zh": "中文标题", "en": "Title (Chinese)"},
    "dedup_plan_title": {"zh": "标题", "en": "Title"},
    "dedup_title_en": {"zh": "英文标题", "en": "Title (English)"},
    "dedup_description": {"zh": "描述", "en": "Description"},
    "dedup_keywords": {"zh": "关键词(逗号分隔)", "en": "Keywords (comma separated)"},
    "dedup_domain": {"zh": "领域", "en": "Domain"},
    "dedup_population": {"zh": "研究人群", "en": "Population"},
    "dedup_region": {"zh": "地区", "en": "Region"},
    "dedup_start": {"zh": "起始年份", "en": "From (year)"},
    "dedup_end": {"zh": "结束年份", "en": "To (year)"},
    "dedup_variables": {"zh": "变量或指标(逗号分隔)", "en": "Variables (comma separated)"},
    "dedup_standards": {"zh": "采用标准(逗号分隔)", "en": "Standards (comma separated)"},
    "dedup_institutions": {"zh": "数据来源机构(逗号分隔)",
                           "en": "Source institutions (comma separated)"},
    "dedup_size": {"zh": "计划规模(记录或人数)", "en": "Planned size (records or people)"},
    "dedup_sources": {"zh": "来源数据集 IRI", "en": "Source dataset IRIs"},
    "dedup_check": {"zh": "查重", "en": "Check"},
    "dedup_upload": {"zh": "批量查重:上传表格(.xlsx / .csv / .json)",
                     "en": "Check many: upload a spreadsheet (.xlsx / .csv / .json)"},
    "dedup_upload_help": {
        "zh": "第一行为列名:标题、英文标题、描述、关键词、领域、研究人群、地区、起始年份、"
              "结束年份、变量、标准、机构、规模。",
        "en": "The first row names the columns: title, title_en, description, keywords, "
              "domain, population, region, start, end, variables, standards, institutions, "
              "size."},
    "dedup_file": {"zh": "文件", "en": "File"},
    "dedup_report": {"zh": "查重报告", "en": "Duplicate check report"},
    "dedup_plan": {"zh": "计划采集的数据", "en": "Planned dataset"},
    "dedup_matches": {"zh": "目录中最相近的数据集", "en": "Closest datasets in the catalog"},
    "dedup_none": {"zh": "目录中没有相近的数据集。", "en": "No similar dataset in the catalog."},
    "dedup_verdict_duplicate": {"zh": "发现可能重复的已发布数据,请先核实能否复用。",
                                "en": "Likely duplicates of published data were found: check "
                                      "whether they can be reused."},
    "dedup_verdict_overlap": {"zh": "未发现重复,但有部分重叠的已发布数据。",
                              "en": "No duplicate, but published data overlaps in part."},
    "dedup_verdict_distinct": {"zh": "未发现重复或重叠的已发布数据。",
                               "en": "No duplicate or overlapping published data."},
    "dedup_rank": {"zh": "序号", "en": "#"},
    "dedup_dataset": {"zh": "数据集", "en": "Dataset"},
    "dedup_score": {"zh": "相似度", "en": "Score"},
    "dedup_band": {"zh": "判定", "en": "Band"},
    "dedup_why": {"zh": "依据", "en": "Reasons"},
    "band_duplicate": {"zh": "重复", "en": "duplicate"},
    "band_overlap": {"zh": "部分重叠", "en": "overlap"},
    "band_distinct": {"zh": "不同", "en": "distinct"},
    "dedup_print": {"zh": "打印报告", "en": "Print the report"},
    "dedup_generated": {"zh": "报告生成于", "en": "Report made on"},
    "dedup_catalog_size": {"zh": "比对的已发布数据集", "en": "Published datasets compared"},
    "dedup_scope": {
        "zh": "相似度为两者描述同一数据的估计概率(0–1):≥{dup} 判为重复,≥{ovl} 为部分重叠。"
              "结果仅供立项审查参考。",
        "en": "The score estimates the probability (0–1) that both describe the same data: "
              "≥{dup} is a duplicate, ≥{ovl} an overlap. The result informs, it does not "
              "decide, a project review."},
    "dedup_need_title": {"zh": "请至少填写标题或描述。",
                         "en": "Give at least a title or a description."},
    "dedup_bad_file": {"zh": "无法读取上传的文件", "en": "The uploaded file cannot be read"},
    "dedup_batch": {"zh": "批量查重报告", "en": "Batch duplicate check report"},
    "dedup_batch_summary": {"zh": "共 {n} 项计划数据:{d} 项可能重复,{o} 项部分重叠。",
                            "en": "{n} planned datasets: {d} with likely duplicates, {o} with "
                                  "overlaps."},
    "dedup_truncated": {"zh": "仅显示前 {n} 项;更多请使用命令 hdcat dedup。",
                        "en": "Only the first {n} are shown; use `hdcat dedup` for more."},
    "dedup_pairs": {"zh": "目录内的疑似重复", "en": "Likely duplicates in the catalog"},
    "dedup_pairs_intro": {
        "zh": "同一数据可能以不同 IRI 多次进入目录(例如从两个地区平台采集)。"
              "请逐对确认:合并,或标记为非重复。已声明的版本与来源关系不在此列。",
        "en": "The same data can enter the catalog more than once under different IRIs (for "
              "example harvested from two regional platforms). Decide each pair: merge, or "
              "not a duplicate. Declared versions and lineage are left out."},
    "dedup_pairs_none": {"zh": "没有待处理的疑似重复。", "en": "No likely duplicate to review."},
    "dedup_pairs_never": {"zh": "尚未运行目录内查重。",
                          "en": "The catalog-wide check has not run yet."},
    "dedup_pairs_ran": {"zh": "上次运行", "en": "Last run"},
    "dedup_pairs_stale": {"zh": "此后目录已有更新,建议重新运行。",
                          "en": "The catalog changed since; run it again."},
    "dedup_pairs_run": {"zh": "重新运行目录内查重", "en": "Run the catalog-wide check"},
    "dedup_pairs_running": {"zh": "目录内查重正在后台运行,稍后刷新页面。",
                            "en": "The catalog-wide check runs in the background; reload "
                                  "later."},
    "dedup_decide_merge": {"zh": "应合并", "en": "Merge"},
    "dedup_decide_distinct": {"zh": "非重复", "en": "Not a duplicate"},
    "dedup_decision": {"zh": "决定", "en": "Decision"},
    "dedup_note": {"zh": "备注", "en": "Note"},
    "dedup_show_distinct": {"zh": "显示已标记为非重复的",
                            "en": "Show those marked not a duplicate"},
    "decision_merge": {"zh": "应合并", "en": "merge"},
    "decision_distinct": {"zh": "非重复", "en": "not a duplicate"},
})

FORM_FIELDS = ("title_zh", "title_en", "description", "keywords", "domain", "population",
               "region", "start", "end", "variables", "standards", "institutions", "size",
               "sources")
_running: set[str] = set()
_running_lock = threading.Lock()


def _index() -> DedupIndex:
    catalog = current_app.catalog  # type: ignore[attr-defined]
    index = dedup_index(catalog)
    index.follow(catalog)  # writes by other processes (`hdcat load`), every 30 s at most
    return index


def _check(plan: dict[str, object], limit: int = 10) -> list:
    return _index().check(plan, limit=limit, lang=lang(),
                          catalog=current_app.catalog)  # type: ignore[attr-defined]


_LABELS = {"title": "dedup_plan_title", "title_zh": "dedup_title_zh", "title_en": "dedup_title_en",
           "description_zh": "dedup_description", "description_en": "dedup_description"}


def _summary(plan: dict[str, object]) -> list[tuple[str, str]]:
    """(label, value) of the fields a plan gives, in the interface language."""
    return [(t(_LABELS.get(key, "dedup_" + key)), value) for key, value in plan_summary(plan)]


def _verdict(matches: list) -> str:
    bands = {m.band for m in matches}
    if "duplicate" in bands:
        return "duplicate"
    return "overlap" if "overlap" in bands else "distinct"


def _report_context() -> dict[str, object]:
    from hdcat.dedup_features import DUPLICATE_AT, OVERLAP_AT

    return {"today": date.today().isoformat(), "catalog_size": _index().count(),
            "scope": t("dedup_scope").format(dup=DUPLICATE_AT, ovl=OVERLAP_AT),
            "href": local_path}


def _form_plan() -> dict[str, object]:
    return clean_plan({k: request.form.get(k, "").strip() for k in FORM_FIELDS
                       if request.form.get(k, "").strip()})


@bp.route("/dedup", methods=["GET", "POST"])
def page() -> Response | str | tuple[str, int]:
    """The form; posted, the printable report of one planned dataset."""
    if request.method == "GET":
        return render_template("dedup.html", plan={}, error=None, max_plans=MAX_PLANS)
    check_csrf()
    plan = _form_plan()
    try:
        matches = _check(plan)
    except ValueError:
        return render_template("dedup.html", plan=plan, error=t("dedup_need_title"),
                               max_plans=MAX_PLANS), 400
    return render_template("dedup_report.html", items=[
        {"plan": plan, "summary": _summary(plan), "matches": matches,
         "verdict": _verdict(matches)}], batch=False, **_report_context())


@bp.route("/dedup/batch", methods=["POST"])
def batch() -> Response | str | tuple[str, int]:
    """The report of a spreadsheet of planned datasets."""
    check_csrf()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("dedup.html", plan={}, error=t("dedup_bad_file"),
                               max_plans=MAX_PLANS), 400
    try:
        plans = read_plans(upload.read(), upload.filename)
    except ValueError as e:
        return render_template("dedup.html", plan={}, error=f"{t('dedup_bad_file')}: {e}",
                               max_plans=MAX_PLANS), 400
    items = []
    for plan in plans[:MAX_BATCH_PAGE]:
        try:
            matches = _check(plan, limit=5)
        except ValueError:
            continue
        items.append({"plan": plan, "summary": _summary(plan), "matches": matches,
                      "verdict": _verdict(matches)})
    counts = {v: sum(1 for i in items if i["verdict"] == v) for v in ("duplicate", "overlap")}
    summary = t("dedup_batch_summary").format(n=len(items), d=counts["duplicate"],
                                              o=counts["overlap"])
    truncated = t("dedup_truncated").format(n=MAX_BATCH_PAGE) if len(plans) > MAX_BATCH_PAGE \
        else None
    return render_template("dedup_report.html", items=items, batch=True, summary=summary,
                           truncated=truncated, **_report_context())


# ------------------------------------------------------------------ the API


def _api_error(status: int, en: str, zh: str) -> tuple[Response, int]:
    return jsonify({"error": en, "message": {"en": en, "zh": zh}}), status


@bp.route("/api/dedup", methods=["POST"])
def api() -> tuple[Response, int] | Response:
    """`POST /api/dedup` with a JSON object of a planned dataset's fields (a title is
    enough): the best matches in the published catalog, best first."""
    if request.mimetype != "application/json":
        return _api_error(415, "send a JSON object (Content-Type: application/json)",
                          "请以 JSON 对象提交(Content-Type: application/json)")
    try:
        body = json.loads(request.get_data() or b"null")
    except ValueError:
        return _api_error(400, "the body is not valid JSON", "请求体不是有效的 JSON")
    if not isinstance(body, dict):
        return _api_error(400, "the body must be a JSON object of the planned dataset's fields",
                          "请求体须为计划数据的字段组成的 JSON 对象")
    try:
        limit = max(1, min(int(body.get("limit", request.args.get("limit", 10))), 50))
    except (TypeError, ValueError):
        limit = 10
    chosen = body.get("lang") or request.args.get("lang")
    language = chosen if chosen in ("zh", "en") else lang()
    plan = clean_plan(body)
    try:
        matches = _index().check(plan, limit=limit, lang=language,
                                 catalog=current_app.catalog)  # type: ignore[attr-defined]
    except ValueError:
        return _api_error(400, "a planned dataset needs a title (or a description)",
                          "计划数据至少需要标题(或描述)")
    return jsonify({"matches": [m.to_json() for m in matches]})


# ------------------------------------------------------------------ curators: pairs


def _decisions() -> Decisions:
    found = getattr(current_app, "dedup_decisions", None)
    if found is None:
        found = Decisions(private_state())
        current_app.dedup_decisions = found  # type: ignore[attr-defined]
    return found


def _run_pass(index: DedupIndex, key: str) -> None:
    try:
        index.catalog_pass(workers=1)
    except Exception:  # noqa: BLE001 - a background job logs and ends
        current_app.logger.exception("catalog-wide duplicate check failed")
    finally:
        with _running_lock:
            _running.discard(key)


@bp.route("/dedup/pairs")
@require("curator")
def pairs() -> Response | str:
    """Likely duplicate pairs of the catalog with the decisions taken (curators)."""
    index = _index()
    show = request.args.get("show") == "all"
    items = pairs_with_decisions(index, _decisions(), show_distinct=show)
    info = index.pairs_info()
    if request.args.get("format") == "json":
        return jsonify({"ran": info, "pairs": [p.to_json(lang()) for p in items]})
    key = str(index.path)
    with _running_lock:
        running = key in _running
    stale = info["generation"] is not None and int(info["generation"]) != index.generation
    return render_template("dedup_pairs.html", items=items, info=info, stale=stale,
                           running=running, show=show, href=local_path, decisions=DECISIONS)


@bp.route("/dedup/pairs/run", methods=["POST"])
@require("curator")
def run_pass() -> Response:
    index = _index()
    key = str(index.path)
    with _running_lock:
        start = key not in _running
        _running.add(key)
    if start:
        app = current_app._get_current_object()  # type: ignore[attr-defined]

        def job() -> None:
            with app.app_context():
                _run_pass(index, key)

        threading.Thread(target=job, name="dedup-pass", daemon=True).start()
    return redirect(url_for("dedup.pairs"))


@bp.route("/dedup/pairs/decide", methods=["POST"])
@require("curator")
def decide() -> Response:
    a, b = request.form.get("a", ""), request.form.get("b", "")
    decision = request.form.get("decision", "")
    if decision not in DECISIONS or not a or not b or a == b:
        abort(400)
    if tuple(sorted((a, b))) not in {(p.a, p.b) for p in _index().pairs(include_declared=True)}:
        abort(404)
    account = current_account()
    _decisions().decide(a, b, decision, account.name if account else "",
                        request.form.get("note", "").strip())
    return redirect(url_for("dedup.pairs", show=request.form.get("show") or None))
