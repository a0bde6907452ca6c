"""Registration pages: drafts, the review queue, a submission with its checks and history,
new versions and withdrawal. Everything here needs an account; nothing is public."""

from __future__ import annotations

import threading

import pyoxigraph as ox
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

from hdcat import forms, queries
from hdcat.namespaces import PREFIXES
from hdcat.records import mint_record_iri
from hdcat.workflow import ACTIONS, EDITABLE, WorkflowError
from service import i18n
from service.auth import current_account, require, safe_next, workflow
from service.i18n import lang
from service.negotiation import wants_json

bp = Blueprint("submissions", __name__)

i18n.MESSAGES.update({
    "submissions": {"zh": "数据登记", "en": "Registration"},
    "my_submissions": {"zh": "我的提交", "en": "My submissions"},
    "review_queue": {"zh": "待审核", "en": "Review queue"},
    "new_submission": {"zh": "登记新数据集", "en": "Register a dataset"},
    "upload_file": {"zh": "上传元数据文件(Turtle、JSON-LD、RDF/XML、CSV 或 XLSX 登记表)",
                    "en": "Upload a metadata file (Turtle, JSON-LD, RDF/XML, or a CSV / XLSX "
                          "registration sheet)"},
    "upload": {"zh": "上传", "en": "Upload"},
    "state": {"zh": "状态", "en": "State"},
    "updated": {"zh": "更新时间", "en": "Updated"},
    "owner": {"zh": "提交人", "en": "Submitted by"},
    "no_submissions": {"zh": "没有提交。", "en": "No submissions."},
    "checks": {"zh": "规范检查", "en": "Checks"},
    "checks_ok": {"zh": "没有违反规范之处。", "en": "No violations."},
    "history": {"zh": "处理记录", "en": "History"},
    "comment": {"zh": "意见", "en": "Comment"},
    "edit": {"zh": "编辑", "en": "Edit"},
    "save": {"zh": "保存", "en": "Save"},
    "metadata_turtle": {"zh": "元数据(Turtle)", "en": "Metadata (Turtle)"},
    "action_submit": {"zh": "提交审核", "en": "Submit for review"},
    "action_return": {"zh": "退回修改", "en": "Return with comments"},
    "action_approve": {"zh": "批准", "en": "Approve"},
    "action_publish": {"zh": "发布", "en": "Publish"},
    "action_withdraw": {"zh": "撤回(保留墓碑页)", "en": "Withdraw (leaves a tombstone)"},
    "new_version": {"zh": "创建新版本", "en": "Create a new version"},
    "state_draft": {"zh": "草稿", "en": "draft"},
    "state_submitted": {"zh": "已提交", "en": "submitted"},
    "state_returned": {"zh": "已退回", "en": "returned"},
    "state_approved": {"zh": "已批准", "en": "approved"},
    "state_published": {"zh": "已发布", "en": "published"},
    "state_withdrawn": {"zh": "已撤回", "en": "withdrawn"},
    "refused": {"zh": "未能完成", "en": "Refused"},
    "view_published": {"zh": "查看已发布的页面", "en": "View the published page"},
})


def _turtle(triples: list[ox.Triple]) -> str:
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode()


def _allowed_actions(sub) -> list[str]:  # noqa: ANN001 - a Submission
    account = current_account()
    if account is None:
        return []
    allowed = []
    for action, (states, _target, role) in ACTIONS.items():
        if sub.state not in states or not account.can(role):
            continue
        if action == "submit" and sub.owner != account.name and not account.can("curator"):
            continue
        allowed.append(action)
    return allowed


@bp.route("/submissions")
@require("submitter")
def listing() -> Response | str:
    account = current_account()
    flow = workflow()
    mine = flow.list(owner=account.name)
    queue = flow.queue(account) if account.can("curator") else []
    if wants_json():
        return jsonify({"mine": [s.to_json() for s in mine],
                        "queue": [s.to_json() for s in queue]})
    return render_template("submissions.html", mine=mine, queue=queue)


def _created_response(created, fmt_json: bool) -> Response | str:  # noqa: ANN001
    if fmt_json:
        status = 201 if created.drafts else 400
        return jsonify({"submissions": [s.to_json() for s in created.drafts],
                        "errors": created.errors}), status
    if len(created.drafts) == 1 and not created.errors:
        return redirect(url_for("submissions.show", sid=created.drafts[0].id))
    return _form_page("submission_new.html", 201 if created.drafts else 400, created=created,
                      values={}, errors={})


_specs: dict[tuple, forms.FormSpec] = {}
_specs_lock = threading.Lock()


def _spec() -> forms.FormSpec:
    """The registration form of the profile in this language, with the catalog's agents as
    publisher choices (built once per language and set of agents)."""
    catalog = current_app.catalog  # type: ignore[attr-defined]
    labels = current_app.labels  # type: ignore[attr-defined]
    rows = catalog.store.query(queries.get("agents_list"), union_default_graph=True)
    agents = tuple(sorted((row["agent"].value, tuple(sorted(labels.all(row["agent"].value)
                                                            .items()))) for row in rows))
    key = (lang(), agents)
    with _specs_lock:
        if key not in _specs:
            if len(_specs) > 8:
                _specs.clear()
            _specs[key] = forms.dataset_form(lang=lang(),
                                             agents=[(iri, dict(ls)) for iri, ls in agents])
        return _specs[key]


def _form_page(template: str, status: int = 200, **context: object) -> tuple[str, int]:
    return render_template(template, spec=_spec(), **context), status


@bp.route("/submissions/new", methods=["GET", "POST"])
@require("submitter", write=True)
def new() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return _form_page("submission_new.html", created=None, values={}, errors={})
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        created = workflow().create_from_bytes(current_account(), upload.filename,
                                               upload.read())
        return _created_response(created, wants_json())
    flow = workflow()
    spec = _spec()
    dataset = flow.new_dataset_iri()
    record = mint_record_iri(ox.NamedNode(dataset), current_app.catalog.base)  # type: ignore[attr-defined]
    try:
        triples = forms.graph_from_form(spec, request.form, dataset, record)
    except forms.FormError as e:
        return _form_page("submission_new.html", 400, created=None, values=request.form,
                          errors=e.errors)
    created = flow.create(current_account(), triples, source="form")
    if not created.drafts:
        return _form_page("submission_new.html", 400, created=created, values=request.form,
                          errors={})
    return redirect(url_for("submissions.edit", sid=created.drafts[0].id))


@bp.route("/submissions/<sid>")
@require("submitter")
def show(sid: str) -> Response | str:
    flow = workflow()
    try:
        sub = flow.visible_to(current_account(), sid)
    except WorkflowError:
        abort(404)
    report = flow.validate(sub, published=sub.state == "published")
    history = flow.history(sub.dataset)
    if wants_json():
        return jsonify(sub.to_json() | {
            "validation": [r.to_json(lang()) for r in report.results],
            "history": [h.to_json() for h in history],
            "actions": _allowed_actions(sub)})
    return render_template("submission.html", sub=sub, report=report, history=history,
                           actions=_allowed_actions(sub), turtle=_turtle(sub.triples()),
                           editable=sub.state in EDITABLE)


@bp.route("/submissions/<sid>/edit", methods=["GET", "POST"])
@require("submitter", write=True)
def edit(sid: str) -> Response | str | tuple[str, int]:
    """The draft in the form generated from the shapes (inline messages), and as Turtle for
    what the form does not cover."""
    flow = workflow()
    try:
        sub = flow.visible_to(current_account(), sid)
    except WorkflowError:
        abort(404)
    spec = _spec()
    error = None
    text = _turtle(sub.triples())
    values: object = forms.form_from_graph(spec, sub.triples(), sub.dataset)
    errors: dict = {}
    if request.method == "POST":
        try:
            if "turtle" in request.form:
                text = request.form["turtle"]
                triples = [q.triple for q in ox.parse(
                    text.encode(), format=ox.RdfFormat.TURTLE, base_iri=sub.dataset)]
            else:
                values = request.form
                triples = forms.graph_from_form(spec, request.form, sub.dataset, sub.record)
                triples += forms.unmapped_triples(spec, sub.triples(), sub.dataset)
            flow.update(sid, current_account(), triples)
            return redirect(url_for("submissions.edit", sid=sid, saved=1))
        except SyntaxError as e:
            error = f"Turtle: {e}"
        except forms.FormError as e:
            errors = e.errors
            error = "表单有错误,请查看各字段的提示" if lang() == "zh" else (
                "The form has errors; see the messages at the fields")
        except WorkflowError as e:
            error = e.message(lang())
    elif sub.state in EDITABLE:
        report = flow.validate(sub)
        errors = forms.field_errors(spec, report.results, sub.dataset, values, draft=True)
    return _form_page("submission_edit.html", 400 if error else 200, sub=sub, turtle=text,
                      error=error, values=values, errors=errors,
                      saved=bool(request.args.get("saved")))


@bp.route("/submissions/<sid>/<action>", methods=["POST"])
@require("submitter", write=True)
def act(sid: str, action: str) -> Response | str:
    flow = workflow()
    try:
        sub = flow.act(sid, action, current_account(), request.form.get("comment") or None)
    except WorkflowError as e:
        if e.status == 404:
            abort(404)
        sub = flow.get(sid)
        report = e.report or flow.validate(sub)
        return render_template("submission.html", sub=sub, report=report,
                               history=flow.history(sub.dataset), actions=_allowed_actions(sub),
                               turtle=_turtle(sub.triples()), editable=sub.state in EDITABLE,
                               error=e.message(lang())), e.status
    return redirect(url_for("submissions.show", sid=sub.id))


@bp.route("/versions", methods=["POST"])
@require("curator", write=True)
def new_version() -> Response | str:
    try:
        sub = workflow().new_version(request.form.get("dataset", ""), current_account())
    except WorkflowError as e:
        abort(e.status, description=e.message(lang()))
    return redirect(url_for("submissions.show", sid=sub.id))


@bp.route("/withdraw", methods=["POST"])
@require("curator", write=True)
def withdraw() -> Response | str:
    dataset = request.form.get("dataset", "")
    try:
        workflow().withdraw_dataset(dataset, current_account(),
                                    request.form.get("comment") or None)
    except WorkflowError as e:
        abort(e.status, description=e.message(lang()))
    return redirect(safe_next(request.form.get("back")))
