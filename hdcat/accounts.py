"""Accounts, roles and API tokens, kept in the private state.

Roles: `submitter` (own drafts), `curator` (review, publish, withdraw), `admin` (everything,
including accounts). Passwords are hashed with scrypt (a memory-hard KDF from the standard
library); API tokens are random, shown once, and stored only as their SHA-256 digest, with an
expiry and a revocation flag. Failed logins are throttled per account.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hdcat.state import PrivateState, now

ROLES = ("submitter", "curator", "admin")
_RANK = {role: i for i, role in enumerate(ROLES)}
TOKEN_PREFIX = "hdcat_"
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}

SCHEMA = """
CREATE TABLE IF NOT EXISTS account (
    name TEXT PRIMARY KEY,
    password TEXT NOT NULL,
    role TEXT NOT NULL,
    publisher TEXT,
    created TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    failed_at TEXT
);
CREATE TABLE IF NOT EXISTS api_token (
    digest TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES account(name),
    label TEXT,
    scope TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
"""


class AccountError(ValueError):
    """A refused account operation, with a message in zh and en."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def message(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    publisher: str | None = None

    def can(self, role: str) -> bool:
        """Whether this account has at least `role`."""
        return _RANK[self.role] >= _RANK[role]


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt${n}${r}${p}${salt}${digest}".format(
        **_SCRYPT, salt=salt.hex(), digest=digest.hex()
    )


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    computed = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(computed.hex(), digest)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """The accounts and tokens of a data folder."""

    def __init__(self, state: PrivateState) -> None:
        self.state = state
        state.ensure(SCHEMA)

    def add(self, name: str, password: str, role: str = "submitter",
            publisher: str | None = None) -> Account:
        if role not in ROLES:
            raise AccountError(f"未知角色 {role!r}，可选：{', '.join(ROLES)}",
                               f"unknown role {role!r}; one of {', '.join(ROLES)}")
        if not name or len(name) > 64 or not name.replace("-", "").replace("_", "").replace(
                ".", "").isalnum():
            raise AccountError("用户名只能含字母、数字、“-”“_”“.”，最长 64 个字符",
                               "an account name has letters, digits, '-', '_' or '.', "
                               "at most 64 characters")
        if len(password) < 10:
            raise AccountError("密码至少 10 个字符", "a password has at least 10 characters")
        with self.state.locked(write=True):
            if self.state.rows("SELECT 1 FROM account WHERE name = ?", (name,)):
                raise AccountError(f"用户 {name} 已存在", f"account {name} exists already")
            self.state.execute(
                "INSERT INTO account (name, password, role, publisher, created)"
                " VALUES (?, ?, ?, ?, ?)",
                (name, hash_password(password), role, publisher, now()),
            )
        return Account(name, role, publisher)

    def get(self, name: str) -> Account | None:
        rows = self.state.rows(
            "SELECT name, role, publisher FROM account WHERE name = ? AND disabled = 0", (name,)
        )
        return Account(**rows[0]) if rows else None

    def all(self) -> list[Account]:
        return [Account(**row) for row in self.state.rows(
            "SELECT name, role, publisher FROM account WHERE disabled = 0 ORDER BY name")]

    def set_role(self, name: str, role: str, actor: str = "system") -> None:
        """Change an account's role; the change is an audit entry."""
        from hdcat.audit import AuditLog

        if role not in ROLES:
            raise AccountError(f"未知角色 {role!r}", f"unknown role {role!r}")
        if self.get(name) is None:
            raise AccountError(f"没有用户 {name}", f"no account {name}")
        self.state.execute("UPDATE account SET role = ? WHERE name = ?", (role, name))
        digest = hashlib.sha256(f"{name}\x1f{role}".encode()).hexdigest()
        AuditLog(self.state).append([(f"account:{name}", digest)], actor, "role-change")

    def login(self, name: str, password: str) -> Account | None:
        """The account if the password is right; None otherwise. After MAX_FAILURES wrong
        passwords an account refuses every password for LOCKOUT."""
        rows = self.state.rows(
            "SELECT password, failures, failed_at FROM account WHERE name = ? AND disabled = 0",
            (name,),
        )
        if not rows:
            check_password(password, hash_password("x" * 10))  # same cost as a real check
            return None
        row = rows[0]
        if row["failures"] >= MAX_FAILURES and row["failed_at"]:
            since = datetime.now(UTC) - datetime.fromisoformat(row["failed_at"])
            if since < LOCKOUT:
                return None
        if not check_password(password, row["password"]):
            self.state.execute(
                "UPDATE account SET failures = failures + 1, failed_at = ? WHERE name = ?",
                (now(), name),
            )
            return None
        self.state.execute("UPDATE account SET failures = 0 WHERE name = ?", (name,))
        return self.get(name)

    def locked(self, name: str) -> bool:
        rows = self.state.rows("SELECT failures, failed_at FROM account WHERE name = ?", (name,))
        if not rows or rows[0]["failures"] < MAX_FAILURES or not rows[0]["failed_at"]:
            return False
        return datetime.now(UTC) - datetime.fromisoformat(rows[0]["failed_at"]) < LOCKOUT

    # ------------------------------------------------------------------ tokens

    def issue_token(self, name: str, label: str = "", days: int = 90,
                    scope: str = "write") -> str:
        """A new API token for an account; only its digest is kept."""
        if self.get(name) is None:
            raise AccountError(f"没有用户 {name}", f"no account {name}")
        if scope not in ("read", "write"):
            raise AccountError("令牌范围为 read 或 write", "a token's scope is read or write")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires = (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)
        self.state.execute(
            "INSERT INTO api_token (digest, account, label, scope, created, expires)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (_token_digest(token), name, label, scope, now(), expires.isoformat()),
        )
        return token

    def revoke_token(self, token: str) -> bool:
        cursor = self.state.execute(
            "UPDATE api_token SET revoked = 1 WHERE digest = ?", (_token_digest(token),)
        )
        return cursor.rowcount > 0

    def authenticate(self, token: str) -> tuple[Account, str] | None:
        """The account and scope a valid (unexpired, unrevoked) token stands for."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        rows = self.state.rows(
            "SELECT account, scope, expires FROM api_token WHERE digest = ? AND revoked = 0",
            (_token_digest(token),),
        )
        if not rows or datetime.fromisoformat(rows[0]["expires"]) <= datetime.now(UTC):
            return None
        account = self.get(rows[0]["account"])
        return (account, rows[0]["scope"]) if account else None
