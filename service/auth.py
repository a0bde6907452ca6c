"""Login, sessions, API tokens and CSRF protection.

A request is made by an account either through the session cookie (pages; every POST form
carries the session's CSRF token) or through `Authorization: Bearer <token>` (the API; no
cookie, so no CSRF). Views ask for an account with `require(role)`.
"""

from __future__ import annotations

import hmac
import os
import secrets
from functools import wraps
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
)
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized
from werkzeug.wrappers import Response

from hdcat.accounts import Account, Accounts
from hdcat.state import PrivateState
from hdcat.workflow import Workflow
from service import i18n

bp = Blueprint("auth", __name__)

i18n.MESSAGES.update({
    "login": {"zh": "登录", "en": "Log in"},
    "logout": {"zh": "退出", "en": "Log out"},
    "account_name": {"zh": "用户名", "en": "Account"},
    "password": {"zh": "密码", "en": "Password"},
    "login_failed": {"zh": "用户名或密码不正确(多次失败后将暂时锁定)。",
                     "en": "Wrong account or password (repeated failures lock the account for"
                           " a while)."},
    "signed_in_as": {"zh": "当前用户", "en": "Signed in as"},
    "forbidden": {"zh": "没有权限", "en": "Not allowed"},
    "forbidden_text": {"zh": "你的账户无权执行此操作。",
                       "en": "Your account is not allowed to do this."},
    "csrf_failed": {"zh": "表单已过期,请重新提交。",
                    "en": "The form has expired; please submit it again."},
})


def _secret_key(data_dir: Path) -> bytes:
    """The data folder's session key, made on first use and readable by the owner only."""
    path = data_dir / "secret_key"
    if not path.exists():
        # Written aside and linked into place: workers starting together agree on one key.
        data_dir.mkdir(parents=True, exist_ok=True)
        aside = data_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
        try:
            os.link(aside, path)
        except FileExistsError:
            pass
        finally:
            aside.unlink()
    return path.read_bytes()


def init_app(app: Flask) -> None:
    settings = app.catalog.settings  # type: ignore[attr-defined]
    app.secret_key = _secret_key(settings.data_dir)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_NAME="hdcat_session")
    app.jinja_env.globals.update(current_account=current_account, csrf_token=csrf_token)


def private_state() -> PrivateState:
    return current_app.catalog.private_state()  # type: ignore[attr-defined]


def accounts() -> Accounts:
    found = getattr(current_app, "accounts", None)
    if found is None:
        found = Accounts(private_state())
        current_app.accounts = found  # type: ignore[attr-defined]
    return found


def workflow() -> Workflow:
    found = getattr(current_app, "workflow", None)
    if found is None:
        found = Workflow(current_app.catalog, private_state())  # type: ignore[attr-defined]
        current_app.workflow = found  # type: ignore[attr-defined]
    return found


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def current_account() -> Account | None:
    """The account making this request, by API token or session; None when anonymous."""
    if "account" in g:
        return g.account
    account: Account | None = None
    g.token_scope = None
    token = _bearer()
    if token is not None:
        found = accounts().authenticate(token)
        if found is not None:
            account, g.token_scope = found
    elif session.get("account"):
        account = accounts().get(session["account"])
    g.account = account
    return account


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def check_csrf() -> None:
    """Refuse a cookie-authenticated POST without the session's CSRF token."""
    if _bearer() is not None:
        return
    sent = request.form.get("csrf") or request.headers.get("X-CSRF-Token") or ""
    if not hmac.compare_digest(sent, session.get("csrf", "")) or not sent:
        abort(400, description=i18n.t("csrf_failed"))


def require(role: str = "submitter", write: bool = False):  # noqa: ANN201 - a decorator
    """A view decorator: the request must come from an account with at least `role`
    (anonymous pages are sent to the login page, the API answers 401)."""

    def wrap(view):  # noqa: ANN001, ANN202
        @wraps(view)
        def inner(*args: Any, **kwargs: Any):  # noqa: ANN202
            account = current_account()
            if account is None:
                if _bearer() is not None or request.path.startswith("/api/"):
                    raise Unauthorized(www_authenticate=WWWAuthenticate(
                        "bearer", {"realm": "hdcat"}))
                return redirect(f"{request.script_root}/login?next={request.full_path}")
            if not account.can(role):
                abort(403)
            if write and g.get("token_scope") == "read":
                abort(403)
            if request.method == "POST" and _bearer() is None:
                check_csrf()
            return view(*args, **kwargs)

        return inner

    return wrap


def safe_next(target: str | None) -> str:
    """A local path to go to after login: never another site (no open redirect)."""
    root = request.script_root or ""
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target)):
        # Browsers drop tabs and newlines from URLs: "/\t/evil" would become "//evil".
        return root + "/submissions"
    return root + target if root and not target.startswith(root) else target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    failed = False
    if request.method == "POST":
        check_csrf()
        account = accounts().login(request.form.get("name", ""),
                                   request.form.get("password", ""))
        if account is not None:
            session.clear()
            session["account"] = account.name
            session["csrf"] = secrets.token_urlsafe(24)
            return redirect(safe_next(request.form.get("next")))
        failed = True
    status = 401 if failed else 200
    return render_template("login.html", failed=failed,
                           next=request.values.get("next", "")), status


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    check_csrf()
    session.clear()
    return redirect(request.script_root + "/")
