"""Identifier resolver: ``/cstr/<CSTR>`` and ``/doi/<DOI>`` redirect to the dataset's page.

The identifiers minted here are looked up first (private state): they keep resolving after
the dataset is withdrawn, to the page that then shows its tombstone. Then the identifiers the
records in the store carry (demo, harvested, imported). DOIs match without regard to case.
Unknown: 404; malformed: 400 with what is wrong.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request

from hdcat import identifiers
from hdcat.browse import local_path
from hdcat.identifiers import Cstr, Doi, IdentifierError, Identifiers
from hdcat.state import PrivateState
from service import i18n

bp = Blueprint("resolver", __name__)

i18n.MESSAGES.update({
    "bad_identifier": {"zh": "标识符无效", "en": "Invalid identifier"},
})


def _identifiers() -> Identifiers:
    table = getattr(current_app, "identifiers", None)
    if table is None:
        state = getattr(current_app, "private_state", None)
        if state is None:
            settings = current_app.catalog.settings  # type: ignore[attr-defined]
            state = PrivateState.of(settings.data_dir)
            current_app.private_state = state  # type: ignore[attr-defined]
        table = Identifiers(state)
        current_app.identifiers = table  # type: ignore[attr-defined]
    return table


def _bad(error: IdentifierError) -> Response:
    message = error.message(i18n.lang())
    wants_html = (request.accept_mimetypes.best_match(["text/html", "text/plain"]) == "text/html"
                  or not request.headers.get("Accept", "").strip())
    if wants_html:
        try:
            body = render_template("error.html", title=i18n.t("bad_identifier"), text=message)
            return Response(body, status=400, mimetype="text/html")
        except Exception:  # noqa: BLE001 - never fail while reporting
            pass
    return Response(f"{error.zh}\n{error.en}\n", status=400, mimetype="text/plain")


def _go(ident: Cstr | Doi) -> Response:
    catalog = current_app.catalog  # type: ignore[attr-defined]
    dataset = identifiers.resolve(catalog, _identifiers(), ident)
    if dataset is None:
        abort(404)
    path = local_path(dataset, catalog.settings.base_iri)
    if path is None:
        path = "/resource?iri=" + quote(dataset, safe="")
    target = request.script_root + path
    if request.query_string:
        target += ("&" if "?" in target else "?") + request.query_string.decode("latin-1")
    response = redirect(target, code=302)
    response.vary.add("Accept")
    return response  # type: ignore[return-value]


@bp.route("/cstr/<path:value>")
def cstr(value: str) -> Response:
    """A CSTR, with or without its ``CSTR:`` scheme (as cstr.cn/<id>)."""
    try:
        ident = identifiers.parse_cstr(value)
    except IdentifierError as e:
        return _bad(e)
    return _go(ident)


@bp.route("/doi/<path:value>")
def doi(value: str) -> Response:
    """A DOI, in any case, bare or as ``doi:`` / doi.org URL."""
    try:
        ident = identifiers.parse_doi(value)
    except IdentifierError as e:
        return _bad(e)
    return _go(ident)
