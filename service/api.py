"""The registration HTTP API: JSON in and out, API tokens (`Authorization: Bearer`),
described by OpenAPI 3.1 at /api/openapi.json."""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from hdcat.errors import InputError
from hdcat.namespaces import PREFIXES
from hdcat.workflow import Submission, WorkflowError
from service.auth import current_account, require, workflow
from service.i18n import lang
from service.pages import keep_headers

bp = Blueprint("api", __name__, url_prefix="/api")

PUBLIC_STATES = frozenset({"published", "withdrawn"})

RDF_BODIES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
NAMED_FORMATS = {"turtle": "text/turtle", "ttl": "text/turtle", "jsonld": "application/ld+json",
                 "json-ld": "application/ld+json", "nt": "application/n-triples",
                 "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml"}


def _error(status: int, en: str, zh: str | None = None, **extra: object) -> Response:
    response = jsonify({"error": en, "message": {"en": en, "zh": zh or en}} | extra)
    response.status_code = status
    return response


@bp.errorhandler(HTTPException)
def _http_error(e: HTTPException) -> Response:
    """An HTTP error as an API Error, with the exception's own headers (Allow, Retry-After,
    WWW-Authenticate...)."""
    return keep_headers(_error(e.code or 500, e.description or e.name), e)


@bp.errorhandler(WorkflowError)
def _workflow_error(e: WorkflowError) -> Response:
    extra = {}
    if e.report is not None:
        extra["validation"] = [r.to_json(lang()) for r in e.report.results]
    return _error(e.status, e.en, e.zh, **extra)


def _submission_json(sub: Submission, detail: bool = False) -> dict[str, object]:
    data = sub.to_json()
    if detail:
        flow = workflow()
        report = flow.validate(sub, published=sub.state == "published")
        data["validation"] = [r.to_json(lang()) for r in report.results]
        data["conforms"] = report.conforms
        data["history"] = [h.to_json() for h in flow.history(sub.dataset)]
        data["rdf"] = ox.serialize(sub.triples(), format=ox.RdfFormat.TURTLE,
                                   prefixes=PREFIXES).decode()
    return data


def _body_triples() -> list[ox.Triple]:
    """The RDF a request carries: an RDF body, or JSON `{"rdf": text, "format": name}`."""
    mimetype = request.mimetype
    if mimetype in RDF_BODIES:
        text, fmt = request.get_data(), RDF_BODIES[mimetype]
    elif mimetype == "application/json":
        try:
            body = json.loads(request.get_data() or b"null")
        except ValueError as e:
            raise WorkflowError("请求体不是有效的 JSON", f"the body is not valid JSON: {e}",
                                status=400) from None
        if not isinstance(body, dict) or not isinstance(body.get("rdf"), str):
            raise WorkflowError('JSON 请求体需要 "rdf" 字段(元数据文本)',
                                'a JSON body needs "rdf" (the metadata as text) and optionally'
                                ' "format" (turtle, jsonld, nt, rdfxml)', status=400)
        name = str(body.get("format", "turtle")).lower()
        if name not in NAMED_FORMATS:
            raise WorkflowError(f"未知格式 {name}", f"unknown format {name!r}; one of "
                                f"{', '.join(sorted(NAMED_FORMATS))}", status=400)
        text, fmt = body["rdf"].encode(), RDF_BODIES[NAMED_FORMATS[name]]
    else:
        raise WorkflowError("不支持的内容类型", f"unsupported content type {mimetype!r}; send"
                            " JSON or " + ", ".join(RDF_BODIES), status=415)
    try:
        if fmt == ox.RdfFormat.JSON_LD:
            from hdcat import rdfio

            text = rdfio.prepare_jsonld("request body", text, rdfio.known_contexts())
        return [q.triple for q in ox.parse(text, format=fmt,
                                           base_iri=request.url_root.rstrip("/") + "/")]
    except (SyntaxError, ValueError, InputError) as e:
        raise WorkflowError("元数据无法解析", f"the metadata cannot be parsed: {e}",
                            status=400) from None


@bp.route("/openapi.json")
def openapi() -> Response:
    from service.openapi import document

    return jsonify(document(request.url_root.rstrip("/")))


@bp.route("/me")
@require("submitter")
def me() -> Response:
    account = current_account()
    return jsonify({"name": account.name, "role": account.role})


@bp.route("/submissions", methods=["GET"])
@require("submitter")
def list_submissions() -> Response:
    account = current_account()
    states = request.args.getlist("state")
    owner = None if account.can("curator") and request.args.get("all") else account.name
    items = workflow().list(owner=owner, states=states)
    return jsonify({"submissions": [_submission_json(s) for s in items]})


@bp.route("/submissions", methods=["POST"])
@require("submitter", write=True)
def create_submission() -> Response:
    created = workflow().create(current_account(), _body_triples(), source="api")
    if not created.drafts:
        # Nothing could be made a draft: a refusal, answered as every API error (an Error
        # with `error`), the reasons one by one in `errors`.
        reasons = "; ".join(created.errors) or "the metadata describes no dataset"
        return _error(400, f"no draft was created: {reasons}", f"未创建任何草稿:{reasons}",
                      errors=created.errors)
    status = 207 if created.errors else 201
    return jsonify({"submissions": [_submission_json(s, detail=True) for s in created.drafts],
                    "errors": created.errors}), status  # type: ignore[return-value]


@bp.route("/submissions/<sid>", methods=["GET"])
@require("submitter")
def get_submission(sid: str) -> Response:
    return jsonify(_submission_json(workflow().visible_to(current_account(), sid), True))


@bp.route("/submissions/<sid>", methods=["PUT"])
@require("submitter", write=True)
def put_submission(sid: str) -> Response:
    sub = workflow().update(sid, current_account(), _body_triples())
    return jsonify(_submission_json(sub, detail=True))


@bp.route("/submissions/<sid>", methods=["DELETE"])
@require("submitter", write=True)
def delete_submission(sid: str) -> Response:
    workflow().delete(sid, current_account())
    return Response(status=204)


@bp.route("/submissions/<sid>/<action>", methods=["POST"])
@require("submitter", write=True)
def act(sid: str, action: str) -> Response:
    body = request.get_json(silent=True) or {}
    comment = body.get("comment") if isinstance(body, dict) else None
    sub = workflow().act(sid, action, current_account(), comment)
    return jsonify(_submission_json(sub, detail=True))


@bp.route("/datasets/versions", methods=["POST"])
@require("curator", write=True)
def new_version() -> Response:
    body = request.get_json(silent=True) or {}
    dataset = body.get("dataset") if isinstance(body, dict) else None
    if not isinstance(dataset, str):
        return _error(400, 'the body needs "dataset": the IRI of a published dataset',
                      '请求体需要 "dataset":已发布数据集的 IRI')
    sub = workflow().new_version(dataset, current_account())
    return jsonify(_submission_json(sub, detail=True)), 201  # type: ignore[return-value]


@bp.route("/datasets/withdraw", methods=["POST"])
@require("curator", write=True)
def withdraw() -> Response:
    body = request.get_json(silent=True) or {}
    dataset = body.get("dataset") if isinstance(body, dict) else None
    if not isinstance(dataset, str):
        return _error(400, 'the body needs "dataset": the IRI of a published dataset',
                      '请求体需要 "dataset":已发布数据集的 IRI')
    stone = workflow().withdraw_dataset(dataset, current_account(), body.get("reason"))
    return jsonify({"dataset": stone.dataset, "withdrawn": stone.withdrawn,
                    "identifiers": stone.identifiers, "reason": stone.reason})


@bp.route("/datasets/history")
def history() -> Response:
    """A dataset's history: publication and withdrawal for everyone; every transition, with
    actors and comments, for curators."""
    dataset = request.args.get("dataset", "")
    if not dataset:
        return _error(400, 'the query needs "dataset": the IRI of a dataset',
                      '查询参数需要 "dataset":数据集的 IRI')
    account = current_account()
    items = []
    curator = account is not None and account.can("curator")
    for h in workflow().history(dataset):
        if not curator and h.to_state not in PUBLIC_STATES:
            continue  # drafts, reviews and their comments stay private
        entry = h.to_json()
        if not curator:
            entry.pop("actor")
            if h.to_state != "withdrawn":
                entry["comment"] = None  # a review comment is private; a withdrawal reason public
        items.append(entry)
    return jsonify({"dataset": dataset, "history": items})
