"""Access requests for conditionally shared datasets: a public form on the dataset page,
and the curators' list where requests are granted or refused."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from hdcat import browse
from hdcat.access_requests import AccessRequests, RequestError
from service import i18n
from service.auth import check_csrf, current_account, private_state, require
from service.i18n import lang

bp = Blueprint("access", __name__)

i18n.MESSAGES.update({
    "ar_title": {"zh": "数据使用申请", "en": "Request access"},
    "ar_intro": {"zh": "此数据集有条件共享。请说明申请人、单位和用途,"
                       "数据中心审核后会通过邮件答复。",
                 "en": "This dataset is shared on conditions. Tell the data centre who you are, "
                       "your institution and the purpose; it will reply by e-mail after review."},
    "ar_name": {"zh": "申请人姓名", "en": "Your name"},
    "ar_institution": {"zh": "所在单位", "en": "Institution"},
    "ar_email": {"zh": "单位电子邮箱", "en": "Institutional e-mail"},
    "ar_purpose": {"zh": "使用目的与研究计划", "en": "Purpose and research plan"},
    "ar_send": {"zh": "提交申请", "en": "Send the request"},
    "ar_sent": {"zh": "申请已提交,编号", "en": "Your request was recorded, number"},
    "ar_list": {"zh": "数据使用申请", "en": "Access requests"},
    "ar_grant": {"zh": "同意", "en": "Grant"},
    "ar_refuse": {"zh": "拒绝", "en": "Refuse"},
    "ar_none": {"zh": "没有申请。", "en": "No requests."},
})


def _requests() -> AccessRequests:
    found = getattr(current_app, "access_requests", None)
    if found is None:
        found = AccessRequests(private_state())
        current_app.access_requests = found  # type: ignore[attr-defined]
    return found


def _dataset(ident: str) -> tuple[str, str]:
    from service.pages import _candidates

    found = browse.resolve_record(current_app.catalog,  # type: ignore[attr-defined]
                                  _candidates(f"/dataset/{ident}"))
    if found is None:
        abort(404)
    return found


@bp.route("/dataset/<ident>/request-access", methods=["GET", "POST"])
def request_form(ident: str) -> Response | str:
    _record, dataset = _dataset(ident)
    values = {k: request.form.get(k, "") for k in ("name", "institution", "email", "purpose")}
    error: RequestError | None = None
    if request.method == "POST":
        check_csrf()
        try:
            made = _requests().add(dataset, **values)
        except RequestError as e:
            error = e
        else:
            return render_template("access_request.html", ident=ident, dataset=dataset,
                                   sent=made, values={}, error=None), 201
    return render_template("access_request.html", ident=ident, dataset=dataset, sent=None,
                           values=values, error=error,
                           message=None if error is None else (error.zh if lang() == "zh"
                                                               else error.en)), (
        400 if error else 200)


@bp.route("/access-requests")
@require("curator")
def listing() -> str:
    return render_template("access_requests.html",
                           items=_requests().list(request.args.get("status") or None))


@bp.route("/access-requests/<rid>", methods=["POST"])
@require("curator", write=True)
def decide(rid: str) -> Response:
    if _requests().get(rid) is None:
        abort(404)
    try:
        _requests().decide(rid, request.form.get("status", ""), current_account().name,
                           request.form.get("note") or None)
    except RequestError as e:
        abort(400, description=e.en)
    return redirect(url_for("access.listing"))
