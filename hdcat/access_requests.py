"""Requests for access to conditionally shared datasets, kept in the private state for
curators: who asks, for which dataset, for what purpose; and the curator's decision."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from hdcat.state import PrivateState, now

STATUSES = ("pending", "granted", "refused")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS access_request (
    id TEXT PRIMARY KEY,
    dataset TEXT NOT NULL,
    name TEXT NOT NULL,
    institution TEXT NOT NULL,
    email TEXT NOT NULL,
    purpose TEXT NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    decided_by TEXT,
    decided_at TEXT,
    note TEXT
);
CREATE INDEX IF NOT EXISTS access_request_status ON access_request(status, created);
"""

LIMITS = {"name": 200, "institution": 300, "email": 254, "purpose": 5000}


class RequestError(ValueError):
    """A refused request: the field and the problem, in zh and en."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(f"{field}: {en}")
        self.field = field
        self.zh = zh
        self.en = en


@dataclass
class AccessRequest:
    id: str
    dataset: str
    name: str
    institution: str
    email: str
    purpose: str
    created: str
    status: str
    decided_by: str | None
    decided_at: str | None
    note: str | None


class AccessRequests:
    def __init__(self, state: PrivateState) -> None:
        self.state = state
        state.ensure(SCHEMA)

    def add(self, dataset: str, name: str, institution: str, email: str,
            purpose: str) -> AccessRequest:
        values = {"name": name.strip(), "institution": institution.strip(),
                  "email": email.strip(), "purpose": purpose.strip()}
        for field, value in values.items():
            if not value:
                raise RequestError(field, "必填", "is required")
            if len(value) > LIMITS[field]:
                raise RequestError(field, f"最长 {LIMITS[field]} 个字符",
                                   f"is longer than {LIMITS[field]} characters")
        if not _EMAIL.match(values["email"]):
            raise RequestError("email", "不是有效的电子邮箱", "is not a valid e-mail address")
        rid = "r" + secrets.token_hex(6)
        self.state.execute(
            "INSERT INTO access_request (id, dataset, name, institution, email, purpose,"
            " created) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (rid, dataset, values["name"], values["institution"], values["email"],
             values["purpose"], now()))
        return self.get(rid)  # type: ignore[return-value]

    def get(self, rid: str) -> AccessRequest | None:
        rows = self.state.rows("SELECT * FROM access_request WHERE id = ?", (rid,))
        return AccessRequest(**rows[0]) if rows else None

    def list(self, status: str | None = None, limit: int = 500) -> list[AccessRequest]:
        if status:
            rows = self.state.rows("SELECT * FROM access_request WHERE status = ?"
                                   " ORDER BY created DESC LIMIT ?", (status, limit))
        else:
            rows = self.state.rows("SELECT * FROM access_request ORDER BY created DESC"
                                   " LIMIT ?", (limit,))
        return [AccessRequest(**row) for row in rows]

    def decide(self, rid: str, status: str, curator: str, note: str | None = None) -> None:
        if status not in ("granted", "refused"):
            raise RequestError("status", "应为 granted 或 refused", "is granted or refused")
        self.state.execute(
            "UPDATE access_request SET status = ?, decided_by = ?, decided_at = ?, note = ?"
            " WHERE id = ?", (status, curator, now(), note, rid))
