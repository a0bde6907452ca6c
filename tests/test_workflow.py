"""The registration workflow end to end: accounts and tokens, drafts, review, publication
with minted identifiers, versions, withdrawal with tombstones; through the API, the pages
and the CLI, on a real embedded store with the demo catalog."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from hdcat.accounts import Accounts
from hdcat.catalog import Catalog
from hdcat.cli import main
from hdcat.config import Settings
from hdcat.state import PrivateState
from hdcat.workflow import Workflow, WorkflowError
from service.app import create_app
from tests.demo_copies import demo_copy

BASE = "https://hdcat.example.org"
SOURCE = f"{BASE}/dataset/adult-tobacco-survey"
PASSWORD = "correct horse battery"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    data = tmp_path_factory.mktemp("workflow")
    catalog = Catalog(Settings(data_dir=data))
    catalog.initialize(demo=True)
    app = create_app(catalog)
    app.config["TESTING"] = True
    accounts = Accounts(PrivateState.of(data))
    accounts.add("alice", PASSWORD, "submitter")
    accounts.add("bob", PASSWORD, "submitter")
    accounts.add("carol", PASSWORD, "curator")
    yield app
    catalog.close()


@pytest.fixture(scope="module")
def tokens(app: Flask) -> dict[str, str]:
    accounts = Accounts(PrivateState.of(app.catalog.settings.data_dir))
    return {name: accounts.issue_token(name) for name in ("alice", "bob", "carol")}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def draft_turtle(catalog: Catalog, new_iri: str, title_zh: str, title_en: str,
                 drop: tuple[str, ...] = ()) -> str:
    """A valid new dataset as Turtle (see tests.demo_copies), without the properties in
    `drop`."""
    triples = demo_copy(catalog, new_iri, title_zh, title_en, drop=drop)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE).decode()


def _create(client: FlaskClient, token: str, turtle: str) -> dict:
    r = client.post("/api/submissions", data=turtle.encode(),
                    headers={**_auth(token), "Content-Type": "text/turtle"})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["submissions"][0]


def _act(client: FlaskClient, token: str, sid: str, action: str, comment: str | None = None,
         status: int = 200) -> dict:
    r = client.post(f"/api/submissions/{sid}/{action}", json={"comment": comment},
                    headers=_auth(token))
    assert r.status_code == status, r.get_json()
    return r.get_json()


def _sparql_ask(client: FlaskClient, iri: str) -> bool:
    r = client.get("/sparql", query_string={"query": f"ASK {{ <{iri}> ?p ?o }}"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    return r.get_json()["boolean"]


# --------------------------------------------------------------------------- the whole path


def test_draft_review_publish(app: Flask, tokens: dict[str, str]) -> None:
    client = app.test_client()
    iri = f"{BASE}/dataset/wf-tobacco-2024"
    title = "青少年控烟干预评估草稿数据集"
    sub = _create(client, tokens["alice"], draft_turtle(app.catalog, iri, title,
                                                        "Youth tobacco control evaluation"))
    sid = sub["id"]
    assert sub["state"] == "draft" and sub["dataset"] == iri
    assert sub["conforms"] is True, sub["validation"]

    # A draft is private: not in the store, pages, search, feeds or SPARQL.
    assert app.catalog.find_record(iri) is None
    assert client.get("/dataset/wf-tobacco-2024").status_code == 404
    assert not _sparql_ask(client, iri)
    assert iri not in client.get("/search", query_string={"q": "控烟干预评估"}).get_data(True)
    assert iri not in client.get("/catalog", headers={"Accept": "text/turtle"}).get_data(True)
    # ... and not to other submitters.
    assert client.get(f"/api/submissions/{sid}", headers=_auth(tokens["bob"])).status_code == 404

    _act(client, tokens["alice"], sid, "submit")
    # A submitter cannot review; a return needs a comment.
    _act(client, tokens["alice"], sid, "approve", status=403)
    _act(client, tokens["carol"], sid, "return", status=400)
    returned = _act(client, tokens["carol"], sid, "return", "请补充英文描述中的样本量")
    assert returned["state"] == "returned"
    assert returned["history"][-1]["comment"] == "请补充英文描述中的样本量"
    assert returned["history"][-1]["actor"] == "carol"

    # The owner edits the returned submission and submits again.
    edited = draft_turtle(app.catalog, iri, title, "Youth tobacco control evaluation, n=12,000")
    r = client.put(f"/api/submissions/{sid}", data=edited.encode(),
                   headers={**_auth(tokens["alice"]), "Content-Type": "text/turtle"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["title"]["en"] == "Youth tobacco control evaluation, n=12,000"
    _act(client, tokens["alice"], sid, "submit")
    _act(client, tokens["carol"], sid, "publish", status=409)  # not approved yet
    _act(client, tokens["carol"], sid, "approve")
    published = _act(client, tokens["carol"], sid, "publish")
    assert published["state"] == "published"
    assert [h["to"] for h in published["history"]] == [
        "draft", "submitted", "returned", "submitted", "approved", "published"]

    # Published: in the store with a minted CSTR and DOI, on its page, in search and SPARQL.
    found = app.catalog.find_record(iri)
    assert found is not None
    triples = app.catalog.record_triples(found[0])
    notations = {t.object.value for t in triples
                 if t.predicate.value == "http://www.w3.org/2004/02/skos/core#notation"}
    cstr = next(n for n in notations if n.startswith("CSTR:"))
    doi = next(n for n in notations if n.startswith("10."))
    assert re.fullmatch(r"CSTR:[A-Za-z0-9]{5}\.11\.[^.]+\.\d{6}\.\d+", cstr)
    assert doi.split("/", 1)[1] == cstr.split(".", 1)[1]  # DOI suffix = CSTR suffix
    assert any(t.predicate.value == DCT + "issued" for t in triples)
    page = client.get("/dataset/wf-tobacco-2024", headers={"Accept": "text/html"})
    assert page.status_code == 200 and cstr in page.get_data(True)
    assert _sparql_ask(client, iri)
    assert iri in client.get("/search", query_string={"q": "控烟干预评估", "format": "json"}
                             ).get_data(True)
    # Publishing again is refused; the identifiers resolve to the landing page.
    _act(client, tokens["carol"], sid, "publish", status=409)
    r = client.get(f"/cstr/{cstr}")
    assert r.status_code in (302, 303)
    assert r.headers["Location"].endswith("/dataset/wf-tobacco-2024")

    # The public history shows publication only, without actors or review comments.
    public = app.test_client().get("/api/datasets/history", query_string={"dataset": iri})
    assert [h["to"] for h in public.get_json()["history"]] == ["published"]
    assert "actor" not in public.get_json()["history"][0]


def test_invalid_draft_cannot_be_submitted(app: Flask, tokens: dict[str, str]) -> None:
    client = app.test_client()
    iri = f"{BASE}/dataset/wf-no-contact"
    turtle = draft_turtle(app.catalog, iri, "缺少联系方式的数据集", "Dataset without contact",
                          drop=(DCAT + "contactPoint",))
    sub = _create(client, tokens["alice"], turtle)
    assert sub["conforms"] is False
    paths = {v["path"] for v in sub["validation"] if v["severity"] == "Violation"}
    assert DCAT + "contactPoint" in paths
    body = _act(client, tokens["alice"], sub["id"], "submit", status=422)
    assert "violations" in body["error"]
    messages = " ".join(v["message"] for v in body["validation"])
    assert "数据集必须有联系方式" in messages  # the catalog's default language
    r = client.post(f"/api/submissions/{sub['id']}/submit", json={},
                    headers=_auth(tokens["alice"]), query_string={"lang": "en"})
    assert r.status_code == 422
    assert "A dataset must have a contact point" in " ".join(
        v["message"] for v in r.get_json()["validation"])
    assert client.get(f"/api/submissions/{sub['id']}", headers=_auth(tokens["alice"])
                      ).get_json()["state"] == "draft"


def test_registered_dataset_iri_is_refused(app: Flask, tokens: dict[str, str]) -> None:
    client = app.test_client()
    record, _ds = app.catalog.find_record(SOURCE)
    turtle = ox.serialize(app.catalog.record_triples(record), format=ox.RdfFormat.TURTLE)
    r = client.post("/api/submissions", data=turtle,
                    headers={**_auth(tokens["alice"]), "Content-Type": "text/turtle"})
    assert r.status_code == 400
    assert "already registered" in r.get_json()["errors"][0]


def test_bad_requests(app: Flask, tokens: dict[str, str]) -> None:
    client = app.test_client()
    assert client.get("/api/submissions").status_code == 401
    assert client.get("/api/submissions", headers=_auth("hdcat_not-a-token")).status_code == 401
    r = client.post("/api/submissions", data=b"<a> <b> .",
                    headers={**_auth(tokens["alice"]), "Content-Type": "text/turtle"})
    assert r.status_code == 400 and "cannot be parsed" in r.get_json()["error"]
    r = client.post("/api/submissions", data=b"x",
                    headers={**_auth(tokens["alice"]), "Content-Type": "text/csv"})
    assert r.status_code == 415
    r = client.post("/api/submissions", json={"rdf": "", "format": "cobol"},
                    headers=_auth(tokens["alice"]))
    assert r.status_code == 400 and "cobol" in r.get_json()["error"]
    _act(client, tokens["alice"], "s-none", "submit", status=404)


def test_json_body_and_delete(app: Flask, tokens: dict[str, str]) -> None:
    client = app.test_client()
    turtle = draft_turtle(app.catalog, f"{BASE}/dataset/wf-json", "JSON 提交的数据集",
                          "Submitted as JSON")
    r = client.post("/api/submissions", json={"rdf": turtle, "format": "turtle"},
                    headers=_auth(tokens["bob"]))
    assert r.status_code == 201
    sid = r.get_json()["submissions"][0]["id"]
    assert client.delete(f"/api/submissions/{sid}", headers=_auth(tokens["alice"])
                         ).status_code == 404
    assert client.delete(f"/api/submissions/{sid}", headers=_auth(tokens["bob"])
                         ).status_code == 204
    assert client.get(f"/api/submissions/{sid}", headers=_auth(tokens["bob"])).status_code == 404


def test_tokens_scope_revocation(app: Flask) -> None:
    accounts = Accounts(PrivateState.of(app.catalog.settings.data_dir))
    client = app.test_client()
    read = accounts.issue_token("bob", scope="read")
    assert client.get("/api/me", headers=_auth(read)).get_json()["name"] == "bob"
    r = client.post("/api/submissions", json={"rdf": ""}, headers=_auth(read))
    assert r.status_code == 403
    expired = accounts.issue_token("bob", days=0)
    assert client.get("/api/me", headers=_auth(expired)).status_code == 401
    assert accounts.revoke_token(read)
    assert client.get("/api/me", headers=_auth(read)).status_code == 401
    # Only digests are stored.
    rows = PrivateState.of(app.catalog.settings.data_dir).rows("SELECT digest FROM api_token")
    assert rows and all(read not in row["digest"] for row in rows)


# --------------------------------------------------------------------------- versions, withdrawal


def _publish(client: FlaskClient, tokens: dict[str, str], sid: str) -> None:
    _act(client, tokens["carol"], sid, "submit")
    _act(client, tokens["carol"], sid, "approve")
    _act(client, tokens["carol"], sid, "publish")


def test_new_version_and_withdrawal(app: Flask, tokens: dict[str, str]) -> None:
    client = app.test_client()
    iri = f"{BASE}/dataset/wf-versioned"
    sub = _create(client, tokens["alice"], draft_turtle(app.catalog, iri, "版本化的数据集",
                                                        "A versioned dataset"))
    _publish(client, tokens, sub["id"])
    r = client.post("/api/datasets/versions", json={"dataset": iri}, headers=_auth(tokens["alice"]))
    assert r.status_code == 403
    r = client.post("/api/datasets/versions", json={"dataset": iri}, headers=_auth(tokens["carol"]))
    assert r.status_code == 201, r.get_json()
    v2 = r.get_json()
    assert v2["previousVersion"] == iri and v2["dataset"] != iri
    _publish(client, tokens, v2["id"])
    # Both pages show the chain.
    v2_path = "/dataset/" + v2["dataset"].rsplit("/", 1)[1]
    assert v2_path in client.get("/dataset/wf-versioned", headers={"Accept": "text/html"}
                                 ).get_data(True)
    assert "/dataset/wf-versioned" in client.get(v2_path, headers={"Accept": "text/html"}
                                                 ).get_data(True)

    old = app.catalog.record_triples(app.catalog.find_record(iri)[0])
    new = app.catalog.record_triples(app.catalog.find_record(v2["dataset"])[0])
    assert ox.Triple(ox.NamedNode(iri), ox.NamedNode(DCAT + "hasVersion"),
                     ox.NamedNode(v2["dataset"])) in old
    assert ox.Triple(ox.NamedNode(v2["dataset"]), ox.NamedNode(DCAT + "previousVersion"),
                     ox.NamedNode(iri)) in new
    assert ox.Triple(ox.NamedNode(v2["dataset"]), ox.NamedNode(DCAT + "version"),
                     ox.Literal("2.0")) in new

    def cstr(triples: list[ox.Triple]) -> str:
        return next(t.object.value for t in triples
                    if t.object.value.startswith("CSTR:")
                    and t.predicate.value == DCT + "identifier")

    assert cstr(old) != cstr(new)

    # Withdraw the first version: gone from the store, a tombstone at its address, and its
    # identifier still resolves (to the tombstone).
    old_cstr = cstr(old)
    r = client.post(f"/api/submissions/{sub['id']}/withdraw", json={"comment": "数据来源撤销授权"},
                    headers=_auth(tokens["carol"]))
    assert r.status_code == 200 and r.get_json()["state"] == "withdrawn"
    assert app.catalog.find_record(iri) is None
    assert not _sparql_ask(client, iri)
    page = client.get("/dataset/wf-versioned", headers={"Accept": "text/html"})
    assert page.status_code == 410
    assert old_cstr in page.get_data(True) and "数据来源撤销授权" in page.get_data(True)
    r = client.get(f"/cstr/{old_cstr}")
    assert r.status_code in (302, 303) and r.headers["Location"].endswith("/dataset/wf-versioned")
    assert client.get(r.headers["Location"]).status_code == 410
    # A withdrawn IRI cannot be registered again.
    r = client.post("/api/submissions", data=draft_turtle(app.catalog, iri, "再次", "Again"),
                    headers={**_auth(tokens["alice"]), "Content-Type": "text/turtle"})
    assert r.status_code == 400


def test_withdraw_a_loaded_dataset(app: Flask, tokens: dict[str, str]) -> None:
    """A dataset that was loaded, not registered through the workflow, can be withdrawn too."""
    client = app.test_client()
    iri = f"{BASE}/dataset/adr-reports-gd-2022"
    r = client.post("/api/datasets/withdraw", json={"dataset": iri, "reason": "duplicate"},
                    headers=_auth(tokens["carol"]))
    assert r.status_code == 200, r.get_json()
    assert any(i.startswith("CSTR:") for i in r.get_json()["identifiers"])
    assert client.get("/dataset/adr-reports-gd-2022").status_code == 410


# --------------------------------------------------------------------------- pages


def _login(client: FlaskClient, name: str, password: str = PASSWORD,
           next_path: str = "") -> object:
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.get_data(True)).group(1)
    return client.post("/login", data={"name": name, "password": password, "csrf": csrf,
                                       "next": next_path})


def _csrf(client: FlaskClient, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).get_data(True)).group(1)


def test_pages_need_login_and_csrf(app: Flask) -> None:
    client = app.test_client()
    r = client.get("/submissions")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert _login(client, "alice", "wrong password!").status_code == 401
    # No open redirect after login.
    r = _login(client, "alice", next_path="//evil.example.com/")
    assert r.status_code == 302 and r.headers["Location"] == "/submissions"
    # A form without the CSRF token is refused.
    r = client.post("/submissions/new", data={}, content_type="multipart/form-data")
    assert r.status_code == 400


def test_upload_form_and_review_pages(app: Flask, tokens: dict[str, str], tmp_path: Path) -> None:
    client = app.test_client()
    _login(client, "bob")
    turtle = draft_turtle(app.catalog, f"{BASE}/dataset/wf-upload", "上传的数据集<script>",
                          "Uploaded dataset")
    import io

    r = client.post("/submissions/new", data={
        "csrf": _csrf(client, "/submissions/new"),
        "file": (io.BytesIO(turtle.encode()), "upload.ttl")},
        content_type="multipart/form-data")
    assert r.status_code == 302
    page = client.get(r.headers["Location"])
    html = page.get_data(True)
    assert page.status_code == 200
    assert "上传的数据集&lt;script&gt;" in html and "<script>" not in html.split("</header>")[1]
    sid = r.headers["Location"].rsplit("/", 1)[1]
    r = client.post(f"/submissions/{sid}/submit",
                    data={"csrf": _csrf(client, f"/submissions/{sid}")})
    assert r.status_code == 302
    assert "state-submitted" in client.get(f"/submissions/{sid}").get_data(True)

    curator = app.test_client()
    _login(curator, "carol")
    queue = curator.get("/submissions").get_data(True)
    assert sid in queue
    r = curator.post(f"/submissions/{sid}/return",
                     data={"csrf": _csrf(curator, f"/submissions/{sid}"), "comment": "请补充许可"})
    assert r.status_code == 302
    html = client.get(f"/submissions/{sid}").get_data(True)
    assert "请补充许可" in html and "state-returned" in html


# --------------------------------------------------------------------------- the CLI


def test_cli_submit_and_publish(tmp_path: Path, app: Flask) -> None:
    data = tmp_path / "data"
    runner = CliRunner()
    assert runner.invoke(main, ["--data", str(data), "init", "--demo"]).exit_code == 0
    r = runner.invoke(main, ["--data", str(data), "user", "add", "dora", "--role", "curator",
                             "--password-stdin"], input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["--data", str(data), "user", "token", "dora"])
    assert r.exit_code == 0 and r.output.startswith("hdcat_")

    turtle = tmp_path / "new.ttl"
    turtle.write_text(draft_turtle(app.catalog, f"{BASE}/dataset/wf-cli", "命令行登记的数据集",
                                   "Registered from the CLI"), encoding="utf-8")
    r = runner.invoke(main, ["--data", str(data), "submit", "--as", "dora", str(turtle)])
    assert r.exit_code == 0, r.output
    sid = r.output.split("\t")[0]
    for action in ("submit", "approve", "publish"):
        r = runner.invoke(main, ["--data", str(data), "submissions", "act", sid, action,
                                 "--as", "dora"])
        assert r.exit_code == 0, r.output
    assert r.output.split("\t")[1] == "published"
    r = runner.invoke(main, ["--data", str(data), "query", "--format", "json",
                             f"ASK {{ <{BASE}/dataset/wf-cli> ?p ?o }}"])
    assert "true" in r.output
    # A file whose dataset is already registered is refused with exit 1.
    r = runner.invoke(main, ["--data", str(data), "submit", str(turtle)])
    assert r.exit_code == 1 and "already registered" in r.output


def test_workflow_refuses_wrong_transitions(app: Flask) -> None:
    state = PrivateState.of(app.catalog.settings.data_dir)
    flow = Workflow(app.catalog, state)
    alice = Accounts(state).get("alice")
    turtle = draft_turtle(app.catalog, f"{BASE}/dataset/wf-direct", "直接调用", "Direct call")
    triples = [q.triple for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)]
    sub = flow.create(alice, triples).drafts[0]
    with pytest.raises(WorkflowError, match="cannot be publish"):
        flow.act(sub.id, "publish", Accounts(state).get("carol"))
    with pytest.raises(WorkflowError, match="unknown action"):
        flow.act(sub.id, "explode", alice)
    assert json.loads(json.dumps(sub.to_json()))["state"] == "draft"


# --------------------------------------------------------------------------- access requests


def test_access_request_form_and_curator_list(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/dataset/adolescent-depression-screening",
                      headers={"Accept": "text/html"}).get_data(True)
    assert 'id="request-access"' in page
    open_page = client.get(f"/dataset/{SOURCE.rsplit('/', 1)[1]}",
                           headers={"Accept": "text/html"}).get_data(True)
    assert 'id="request-access"' not in open_page  # open data needs no request

    form = "/dataset/adolescent-depression-screening/request-access"
    csrf = _csrf(client, form)
    r = client.post(form, data={"csrf": csrf, "name": "王医生", "institution": "某大学",
                                "email": "not-an-email", "purpose": "研究"})
    assert r.status_code == 400 and "不是有效的电子邮箱" in r.get_data(True)
    r = client.post(form, data={"csrf": csrf, "name": "王医生", "institution": "某大学公共卫生学院",
                                "email": "wang@univ.edu.cn", "purpose": "青少年抑郁随访研究"})
    assert r.status_code == 201
    rid = re.search(r"<strong>(r[0-9a-f]+)</strong>", r.get_data(True)).group(1)
    assert client.post(form, data={"name": "x"}).status_code == 400  # no CSRF token
    assert client.get("/access-requests").status_code == 302  # curators only

    curator = app.test_client()
    _login(curator, "carol")
    listing = curator.get("/access-requests").get_data(True)
    assert rid in listing and "wang@univ.edu.cn" in listing
    r = curator.post(f"/access-requests/{rid}", data={
        "csrf": _csrf(curator, "/access-requests"), "status": "granted"})
    assert r.status_code == 302
    assert "carol" in curator.get("/access-requests").get_data(True)
    submitter = app.test_client()
    _login(submitter, "alice")
    assert submitter.get("/access-requests").status_code == 403


def test_curator_sees_curation_actions(app: Flask) -> None:
    anonymous = app.test_client().get(f"/dataset/{SOURCE.rsplit('/', 1)[1]}",
                                      headers={"Accept": "text/html"}).get_data(True)
    assert "/versions" not in anonymous and "/withdraw" not in anonymous
    curator = app.test_client()
    _login(curator, "carol")
    html = curator.get(f"/dataset/{SOURCE.rsplit('/', 1)[1]}",
                       headers={"Accept": "text/html"}).get_data(True)
    assert 'action="/versions"' in html and 'action="/withdraw"' in html


# --------------------------------------------------------------------------- the form


def test_register_through_the_form_generated_from_the_shapes(app: Flask) -> None:
    from test_forms import COMPLETE

    client = app.test_client()
    _login(client, "alice")
    page = client.get("/submissions/new").get_data(True)
    assert 'name="title.zh"' in page and 'name="sensitivity_level"' in page
    assert 'name="usage_note.zh"' in page and 'name="rights_holder"' in page
    assert "国家人口健康科学数据中心" in page  # the catalog's agents are publisher choices

    csrf = _csrf(client, "/submissions/new")
    incomplete = {k: v for k, v in COMPLETE.items() if not k.startswith("title")}
    r = client.post("/submissions/new", data={**incomplete, "csrf": csrf})
    assert r.status_code == 302
    edit = client.get(r.headers["Location"]).get_data(True)
    # The shapes' own message, next to the title field.
    assert "title" in edit and "标题" in edit and 'aria-invalid="true"' in edit

    sid = r.headers["Location"].split("/")[-2]
    values = {**COMPLETE, "title.zh": ["表单登记的糖尿病数据集"], "csrf": csrf,
              "usage_note.zh": ["引用时请注明数据来源"], "rights_holder": COMPLETE["publisher"]}
    r = client.post(f"/submissions/{sid}/edit", data=values)
    assert r.status_code == 302
    # A value outside a pick list is refused at its field, and nothing is saved.
    r = client.post(f"/submissions/{sid}/edit",
                    data={**values, "sensitivity_level": ["https://evil.example.org/L9"],
                          "title.zh": ["不应保存"]})
    assert r.status_code == 400 and 'aria-invalid="true"' in r.get_data(True)
    r = client.post(f"/submissions/{sid}/submit", data={"csrf": csrf})
    assert r.status_code == 302, r.get_data(True)
    detail = client.get(f"/submissions/{sid}?format=json").get_json()
    assert detail["state"] == "submitted" and detail["title"]["zh"] == "表单登记的糖尿病数据集"
    # A submitted draft is no longer editable.
    assert client.post(f"/submissions/{sid}/edit", data=values).status_code == 400
    curator = app.test_client()
    _login(curator, "carol")
    for action in ("approve", "publish"):
        r = curator.post(f"/submissions/{sid}/{action}",
                         data={"csrf": _csrf(curator, f"/submissions/{sid}")})
        assert r.status_code == 302, r.get_data(True)
    page = client.get(detail["dataset"].replace(BASE, ""), headers={"Accept": "text/html"})
    html = page.get_data(True)
    assert page.status_code == 200 and "引用时请注明数据来源" in html
    assert "权利人" in html or "Rights holder" in html


def test_curators_act_only_within_their_institution(app: Flask, tokens: dict[str, str]) -> None:
    accounts = Accounts(PrivateState.of(app.catalog.settings.data_dir))
    accounts.add("frank", PASSWORD, "curator", publisher=f"{BASE}/agent/pumch")
    accounts.add("grace", PASSWORD, "curator", publisher=f"{BASE}/agent/chinacdc")
    frank, grace = accounts.issue_token("frank"), accounts.issue_token("grace")
    client = app.test_client()
    sub = _create(client, tokens["alice"], draft_turtle(app.catalog, f"{BASE}/dataset/wf-scope",
                                                        "范围测试", "Scope test"))
    _act(client, tokens["alice"], sub["id"], "submit")
    # Another institution's curator neither sees it in the queue nor may act on it.
    assert client.get(f"/api/submissions/{sub['id']}", headers=_auth(frank)).status_code == 404
    _act(client, frank, sub["id"], "approve", status=404)
    r = client.post("/api/datasets/withdraw", json={"dataset": SOURCE, "reason": "x"},
                    headers=_auth(frank))
    assert r.status_code == 403
    # The publisher's own curator does.
    _act(client, grace, sub["id"], "approve")
    _act(client, grace, sub["id"], "publish")
    assert app.catalog.find_record(f"{BASE}/dataset/wf-scope") is not None


def test_spreadsheet_batch_creates_drafts_and_names_bad_rows(app: Flask, tmp_path: Path) -> None:
    """A registration sheet (the column names Chinese data centres use): one draft a good row,
    each bad row refused by row and column."""
    import io

    sheet = Path(__file__).parent / "data" / "harvest" / "registration.csv"
    client = app.test_client()
    _login(client, "bob")
    r = client.post("/submissions/new", data={
        "csrf": _csrf(client, "/submissions/new"),
        "file": (io.BytesIO(sheet.read_bytes()), "registration.csv")},
        content_type="multipart/form-data", headers={"Accept": "application/json"})
    body = r.get_json()
    titles = {s["title"]["zh"] for s in body["submissions"]}
    assert "糖尿病并发症预警数据集" in titles and len(body["submissions"]) >= 2
    assert all(s["state"] == "draft" and s["owner"] == "bob" for s in body["submissions"])
    assert any("row 4" in e for e in body["errors"])  # the bad row, by number
    assert any("学科分类" in e or "domain" in e for e in body["errors"] if "row 4" in e)
