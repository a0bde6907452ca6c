"""The admin's audit page (service/audit.py): only admins see it; it lists the latest
entries, shows one record's trail and says whether the store still holds what its last
entry recorded."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from hdcat import audit
from hdcat.accounts import Accounts
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.state import PrivateState
from service.app import create_app

PASSWORD = "audit-page-password-1"
DATASET = "https://hdcat.example.org/dataset/adult-tobacco-survey"
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    data = tmp_path_factory.mktemp("audit-page")
    catalog = Catalog(Settings(data_dir=data))
    with audit.acting("loader", "init"):
        catalog.initialize(demo=True)
    accounts = Accounts(PrivateState.of(data))
    for name, role in (("ada", "admin"), ("carol", "curator"), ("alice", "submitter")):
        accounts.add(name, PASSWORD, role)
    app = create_app(catalog)
    app.config["TESTING"] = True
    yield app
    catalog.close()


def login(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = client.post("/login", data={"name": name, "password": PASSWORD, "csrf": csrf})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return client


def test_only_admins_see_the_audit_page(app: Flask) -> None:
    r = app.test_client().get("/audit")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    for name in ("alice", "carol"):
        assert login(app, name).get("/audit").status_code == 403, name
    page = login(app, "ada").get("/audit").get_data(as_text=True)
    rows = re.findall(r"<tr><td>(\d+)</td>", page)
    head = app.catalog.audit_log().recent(1)[0].seq
    assert rows and int(rows[0]) == head  # newest first
    assert len(rows) == min(head, 100)


def test_a_records_trail_and_whether_the_store_agrees(app: Flask) -> None:
    catalog = app.catalog
    record, _ds = catalog.find_record(DATASET)
    admin = login(app, "ada")
    for asked in (DATASET, record, "/dataset/adult-tobacco-survey"):
        data = admin.get("/audit", query_string={"graph": asked, "format": "json"}).get_json()
        assert data["graph"] == record and data["store"] == "matches", asked
        assert [e["seq"] for e in data["entries"]] == [
            e.seq for e in reversed(catalog.audit_log().trail(record))]
        assert data["entries"][-1]["actor"] == "loader"
    # A change made behind the application's back is shown as such.
    triples = catalog.record_triples(record)
    catalog.store.replace_graphs({record: [*triples, ox.Triple(
        ox.NamedNode(DATASET), ox.NamedNode("https://x.example.org/p"), ox.Literal("x"))]})
    try:
        page = admin.get("/audit", query_string={"graph": DATASET, "lang": "en"}).get_data(
            as_text=True)
        assert 'id="audit-state"' in page and "changed outside hdcat" in page
    finally:
        catalog.store.replace_graphs({record: triples})
    page = admin.get("/audit", query_string={"graph": DATASET, "lang": "en"}).get_data(
            as_text=True)
    assert "matches the last entry" in page


def test_what_entries_say_is_escaped(app: Flask) -> None:
    with audit.acting(HOSTILE, HOSTILE):
        app.catalog.replace_shared("https://x.example.org/agent", [ox.Triple(
            ox.NamedNode("https://x.example.org/agent"), ox.NamedNode("https://x.example.org/p"),
            ox.Literal("v"))])
    page = login(app, "ada").get("/audit").get_data(as_text=True)
    assert HOSTILE not in page and str(escape(HOSTILE)) in page


def test_the_dataset_page_links_admins_to_the_trail(app: Flask) -> None:
    path = "/dataset/adult-tobacco-survey"
    assert 'id="audit-link"' not in login(app, "carol").get(path).get_data(as_text=True)
    page = login(app, "ada").get(path).get_data(as_text=True)
    link = re.search(r'id="audit-link" href="([^"]+)"', page)
    assert link
    r = login(app, "ada").get(html.unescape(link.group(1)) + "&lang=en")
    assert r.status_code == 200 and "matches the last entry" in r.get_data(as_text=True)
