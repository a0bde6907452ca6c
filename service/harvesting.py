"""Harvest sources and their run reports, as pages (HTML) and JSON."""

from __future__ import annotations

import threading

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

from hdcat.errors import HdcatError
from hdcat.state import PrivateState
from loaders import schedule
from service import i18n
from service.auth import current_account, require
from service.negotiation import wants_json

bp = Blueprint("harvesting", __name__)

i18n.MESSAGES.update({
    "harvest": {"zh": "数据采集", "en": "Harvesting"},
    "harvest_sources": {"zh": "采集来源", "en": "Harvest sources"},
    "harvest_none": {"zh": "尚未配置采集来源。", "en": "No harvest source is configured."},
    "harvest_kind": {"zh": "类型", "en": "Kind"},
    "harvest_last_run": {"zh": "最近一次运行", "en": "Last run"},
    "harvest_never": {"zh": "从未运行", "en": "never run"},
    "harvest_runs": {"zh": "运行记录", "en": "Runs"},
    "harvest_failed": {"zh": "失败的记录", "en": "Failed records"},
    "harvest_source_errors": {"zh": "来源错误", "en": "Source errors"},
    "harvest_warnings": {"zh": "警告(未能映射的字段、记录的校验警告)",
                         "en": "Warnings (what could not be mapped, what records were warned of)"},
    "harvest_schedule_col": {"zh": "采集周期", "en": "Schedule"},
    "harvest_next": {"zh": "下次", "en": "next"},
    "harvest_new": {"zh": "添加采集来源", "en": "Add a harvest source"},
    "harvest_name": {"zh": "名称(字母、数字、. _ -)", "en": "Name (letters, digits, . _ -)"},
    "harvest_schedule": {"zh": "采集周期(如 daily、weekly)", "en": "Schedule (e.g. daily, weekly)"},
    "harvest_publisher": {"zh": "默认发布机构 IRI", "en": "Default publisher IRI"},
    "harvest_strict": {"zh": "严格:按完整 hdcat 规范校验(默认只校验 DCAT-AP 必选项)",
                       "en": "Strict: hold records to the whole hdcat profile (default: the "
                             "DCAT-AP mandatory core)"},
    "harvest_save": {"zh": "保存", "en": "Save"},
    "harvest_run_now": {"zh": "立即采集", "en": "Run now"},
    "harvest_started": {"zh": "采集已在后台开始,刷新页面查看进度。",
                        "en": "The harvest runs in the background; reload to follow it."},
})

KINDS = ("dcat", "ckan", "datajson", "schemaorg", "datacite", "oai", "sparql", "sheet")
_running: set[str] = set()
_running_lock = threading.Lock()


def _state() -> PrivateState:
    return current_app.catalog.private_state()  # type: ignore[attr-defined]


@bp.route("/harvest")
def sources():
    state = _state()
    rows = []
    for source in state.sources():
        runs = state.runs(source.name, limit=1)
        rows.append({"source": source, "last": runs[0] if runs else None,
                     "next": schedule.next_run(source.schedule,
                                               runs[0].started if runs else None)})
    if wants_json():
        return jsonify([
            {"name": r["source"].name, "kind": r["source"].kind, "url": r["source"].url,
             "strict": r["source"].strict, "schedule": r["source"].schedule,
             "next_run": r["next"],
             "last_run": None if r["last"] is None else {
                 "id": r["last"].id, "status": r["last"].status,
                 "finished": r["last"].finished, "counts": r["last"].report.get("counts", {})}}
            for r in rows
        ])
    return render_template("harvest.html", rows=rows)


def _harvester(state: PrivateState):  # noqa: ANN202 - a loaders.harvest.Harvester
    from loaders.harvest import Harvester

    return Harvester(current_app.catalog, state)  # type: ignore[attr-defined]


@bp.route("/harvest/new")
@require("curator")
def new_source() -> str:
    return render_template("harvest_form.html", kinds=KINDS, values={}, error=None)


@bp.route("/harvest", methods=["POST"])
@require("curator", write=True)
def add_source() -> Response | tuple[str, int]:
    values = {k: request.form.get(k, "").strip() for k in
              ("name", "url", "kind", "schedule", "publisher")}
    values["strict"] = bool(request.form.get("strict"))
    if values["kind"] not in KINDS or not values["url"]:
        error = "kind and URL are required / 类型和 URL 必填"
    else:
        try:
            _harvester(_state()).add(values["name"], values["url"], values["kind"],
                                     values["strict"], values["publisher"] or None,
                                     values["schedule"] or None)
        except HdcatError as e:
            error = str(e)
        else:
            return redirect(url_for("harvesting.source", name=values["name"]))
    return render_template("harvest_form.html", kinds=KINDS, values=values, error=error), 400


def _run_in_background(app, name: str) -> None:  # noqa: ANN001 - the Flask app
    try:
        with app.app_context():
            _harvester(app.catalog.private_state()).run(name)
    finally:
        with _running_lock:
            _running.discard(name)


@bp.route("/harvest/<name>/run", methods=["POST"])
@require("curator", write=True)
def run_source(name: str) -> Response:
    if _state().source(name) is None:
        abort(404)
    with _running_lock:
        if name not in _running:
            _running.add(name)
            app = current_app._get_current_object()  # type: ignore[attr-defined]
            threading.Thread(target=_run_in_background, args=(app, name), daemon=True,
                             name=f"harvest-{name}").start()
    return redirect(url_for("harvesting.source", name=name, started=1))


@bp.route("/harvest/<name>")
def source(name: str):
    state = _state()
    found = state.source(name)
    if found is None:
        abort(404)
    runs = state.runs(name)
    if wants_json():
        return jsonify({"name": found.name, "kind": found.kind, "url": found.url,
                        "runs": [r.report | {"id": r.id, "status": r.status,
                                             "started": r.started, "finished": r.finished}
                                 for r in runs]})
    return render_template("harvest_source.html", source=found, runs=runs,
                           running=name in _running, account=current_account())
