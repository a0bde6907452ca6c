"""The admin's view of the audit chain: the latest entries, and one record's trail checked
against what the store holds now (`hdcat audit verify` checks the whole catalog)."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, jsonify, render_template, request
from werkzeug.wrappers import Response

from hdcat.audit import EMPTY, content_hash
from service import i18n
from service.auth import require
from service.negotiation import wants_json

bp = Blueprint("audit", __name__)

RECENT = 100

i18n.MESSAGES.update({
    "au_title": {"zh": "审计记录", "en": "Audit trail"},
    "au_intro": {"zh": "每次写入都追加一条记录:操作人、时间、操作、图,"
                       "以及写入后图内容的哈希和上一条记录的哈希。",
                 "en": "Every write appends an entry: who, when, what, which graph, the hash of "
                       "the graph's content after the change and the hash of the entry before."},
    "au_graph": {"zh": "记录、数据集 IRI 或数据集页面路径",
                 "en": "Record or dataset IRI, or dataset page path"},
    "au_show": {"zh": "查看", "en": "Show"},
    "au_recent": {"zh": "最近的记录", "en": "Latest entries"},
    "au_seq": {"zh": "序号", "en": "#"},
    "au_at": {"zh": "时间", "en": "Time"},
    "au_actor": {"zh": "操作人", "en": "Actor"},
    "au_action": {"zh": "操作", "en": "Action"},
    "au_content": {"zh": "内容哈希", "en": "Content hash"},
    "au_none": {"zh": "没有记录。", "en": "No entries."},
    "au_matches": {"zh": "存储中的内容与最后一条记录一致。",
                   "en": "What the store holds matches the last entry."},
    "au_differs": {"zh": "存储中的内容与最后一条记录不一致:有人绕过本系统改动了它。",
                   "en": "What the store holds differs from the last entry: it was changed "
                         "outside hdcat."},
    "au_removed": {"zh": "(已删除)", "en": "(removed)"},
    "au_link": {"zh": "审计记录", "en": "Audit trail"},
})


def _catalog():  # noqa: ANN202 - the app's Catalog
    return current_app.catalog  # type: ignore[attr-defined]


def _graph_name(given: str) -> str:
    """The graph whose trail is asked for: the record of a dataset (by IRI or page path),
    else the graph named."""
    from hdcat import browse
    from service.pages import _candidates

    catalog = _catalog()
    given = given.strip()
    found = catalog.find_record(given)
    if found is None and given.startswith("/"):
        found = browse.resolve_record(catalog, _candidates(given))
    return found[0] if found else given


@bp.route("/audit")
@require("admin")
def trail() -> Response | str:
    """The latest entries, or with `?graph=` one graph's trail and whether the store still
    holds what its last entry says."""
    log = _catalog().audit_log()
    given = request.args.get("graph", "").strip()
    graph = _graph_name(given) if given else None
    entries = log.trail(graph)[::-1] if graph else log.recent(RECENT)
    state = None
    if graph and entries:
        stored = content_hash(_catalog().store.graph(graph))
        state = "matches" if stored == entries[0].content else "differs"
    if wants_json():
        return jsonify({"graph": graph, "store": state,
                        "entries": [asdict(e) for e in entries]})
    return render_template("audit.html", given=given, graph=graph, entries=entries,
                           state=state, empty=EMPTY)
