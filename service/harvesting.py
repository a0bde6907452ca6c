"""Harvest sources and their run reports, as pages (HTML) and JSON."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, request

from hdcat.state import PrivateState
from service import i18n

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
    "harvest_warnings": {"zh": "未能映射的字段", "en": "What could not be mapped"},
})


def _state() -> PrivateState:
    state = getattr(current_app, "private_state", None)
    if state is None:
        settings = current_app.catalog.settings  # type: ignore[attr-defined]
        state = PrivateState(settings.data_dir / "private.sqlite")
        current_app.private_state = state  # type: ignore[attr-defined]
    return state


def _wants_json() -> bool:
    return request.args.get("format") == "json" or (
        request.accept_mimetypes.best_match(["text/html", "application/json"])
        == "application/json"
    )


@bp.route("/harvest")
def sources():
    state = _state()
    rows = []
    for source in state.sources():
        runs = state.runs(source.name, limit=1)
        rows.append({"source": source, "last": runs[0] if runs else None})
    if _wants_json():
        return jsonify([
            {"name": r["source"].name, "kind": r["source"].kind, "url": r["source"].url,
             "strict": r["source"].strict,
             "last_run": None if r["last"] is None else {
                 "id": r["last"].id, "status": r["last"].status,
                 "finished": r["last"].finished, "counts": r["last"].report.get("counts", {})}}
            for r in rows
        ])
    return render_template("harvest.html", rows=rows)


@bp.route("/harvest/<name>")
def source(name: str):
    state = _state()
    found = state.source(name)
    if found is None:
        abort(404)
    runs = state.runs(name)
    if _wants_json():
        return jsonify({"name": found.name, "kind": found.kind, "url": found.url,
                        "runs": [r.report | {"id": r.id, "status": r.status,
                                             "started": r.started, "finished": r.finished}
                                 for r in runs]})
    return render_template("harvest_source.html", source=found, runs=runs)
