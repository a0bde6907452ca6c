"""Schemathesis against the registration API (issue #9): every operation of
/api/openapi.json, called on the Flask app in process (WSGI, no network) with a valid Bearer
token of a curator (who may use every operation), with bodies, parameters and path values
generated from the OpenAPI document. No answer is a 500, and every answer conforms to the
document: a documented status code, the documented media type, a body valid against the
response schema.

Half of the generated submission ids are replaced by ids of real drafts, so the workflow
transitions (submit, return, approve, publish, withdraw, edit, delete) run for real on an
embedded store with the demo catalog, not only their 404s.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks

from hdcat.accounts import Accounts
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.state import PrivateState
from hdcat.workflow import Workflow
from service.app import create_app
from service.openapi import document
from tests.demo_copies import demo_copy

BASE = "https://hdcat.example.org"
SOURCE = f"{BASE}/dataset/adult-tobacco-survey"
DCT = "http://purl.org/dc/terms/"
EXAMPLES = int(os.environ.get("HDCAT_FUZZ_EXAMPLES", "0") or 0) or 25


def _draft(catalog: Catalog, iri: str, title: str) -> list[ox.Triple]:
    return demo_copy(catalog, iri, title, title)


class World:
    app: Flask
    token: str
    sids: list[str]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data: Path = tmp_path_factory.mktemp("api-fuzz")
    catalog = Catalog(Settings(data_dir=data))
    catalog.initialize(demo=True)
    app = create_app(catalog)
    app.config["TESTING"] = True
    state = PrivateState.of(data)
    accounts = Accounts(state)
    curator = accounts.add("fuzz-curator", "fuzz-password-1", "curator")
    flow = Workflow(catalog, state)
    sids = []
    for i in range(8):
        created = flow.create(curator, _draft(catalog, f"{BASE}/dataset/fuzz-{i}",
                                              f"模糊测试数据集 {i}"), source="fuzz")
        sids.append(created.drafts[0].id)
    for sid in sids[2:6]:
        flow.act(sid, "submit", curator)
    for sid in sids[4:6]:
        flow.act(sid, "approve", curator)
    world = World()
    world.app, world.sids = app, sids
    world.token = accounts.issue_token("fuzz-curator")
    state.close()
    yield world
    catalog.close()


# The document as the app serves it (service/openapi.py builds it without an app); the
# cases are sent to the module's app through WSGI. (schemathesis.pytest.from_fixture, the
# lazy loader, does not run on pytest 9: it sets Function._nodeid, which pytest 9 removed.)
schema = schemathesis.openapi.from_dict(document("http://localhost"))


@schemathesis.serializer("application/n-triples")
def _n_triples(_ctx, value) -> bytes:  # noqa: ANN001 - a generated string (or anything)
    """N-Triples bodies are strings in the document: sent as UTF-8 text."""
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else str(
        value).encode()


def test_the_fuzzed_document_is_the_served_one(world: World) -> None:
    served = world.app.test_client().get("/api/openapi.json").get_json()
    assert served == document("http://localhost")


def _real_sid(case, world: World) -> None:  # noqa: ANN001 - a schemathesis Case
    """Replace the generated submission id by a real one for half of the cases."""
    params = case.path_parameters or {}
    if "sid" in params:
        digest = hashlib.sha256(repr(params["sid"]).encode()).digest()
        if digest[0] % 2 == 0:
            params["sid"] = world.sids[digest[1] % len(world.sids)]


# Checks that cannot hold for this API:
# * positive_data_acceptance: the document declares RDF bodies as strings (JSON Schema cannot
#   say "Turtle describing a dataset"), so a schema-valid body is usually not RDF, and the
#   API rightly answers 400 with the parse error;
# * negative_data_rejection: the API is lenient with values the document does not list
#   (an unknown `state` filter lists nothing, a `null` action body is no comment); what is
#   asked of it here is no 500 and answers that conform.
NOT_APPLICABLE = [checks.positive_data_acceptance, checks.negative_data_rejection]

@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case, world: World) -> None:  # noqa: ANN001
    _real_sid(case, world)
    case.operation.schema.app = world.app  # for the checks' own probe requests
    headers = {"Authorization": f"Bearer {world.token}"}
    response = case.call(headers=headers, app=world.app)
    excluded = [*NOT_APPLICABLE, checks.unsupported_method]
    case.validate_response(response, excluded_checks=excluded, headers=headers,
                           transport_kwargs={"app": world.app, "headers": headers})
    assert response.status_code < 500


@pytest.mark.parametrize("how", ["ld+json", "json"])
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_invalid_jsonld_body_is_a_400(world: World, how: str, method: str) -> None:
    auth = {"Authorization": f"Bearer {world.token}"}
    path = "/api/submissions" if method == "POST" else f"/api/submissions/{world.sids[0]}"
    client = world.app.test_client()
    if how == "json":
        r = client.open(path, method=method, json={"rdf": "", "format": "jsonld"}, headers=auth)
    else:
        r = client.open(path, method=method, data=b"[", headers={
            **auth, "Content-Type": "application/ld+json"})
    assert r.status_code == 400, r.status_code


def test_refused_creation_answers_the_documented_error(world: World) -> None:
    r = world.app.test_client().post(
        "/api/submissions", data=b"<urn:a> <urn:b> <urn:c> .",
        headers={"Authorization": f"Bearer {world.token}", "Content-Type": "text/turtle"})
    assert r.status_code == 400
    assert isinstance(r.get_json().get("error"), str), r.get_json()
    assert "dcat:Dataset" in r.get_json()["error"], r.get_json()  # names what is wrong


@pytest.mark.parametrize("path", ["/api/me", "/api/submissions", "/api/openapi.json"])
def test_405_names_the_allowed_methods(world: World, path: str) -> None:
    r = world.app.test_client().open(path, method="TRACE",
                                     headers={"Authorization": f"Bearer {world.token}"})
    assert r.status_code == 405
    assert r.headers.get("Allow"), dict(r.headers)
    assert "GET" in r.headers["Allow"] and "TRACE" not in r.headers["Allow"], r.headers["Allow"]


def test_put_documents_every_status_it_answers(world: World) -> None:
    r = world.app.test_client().put(f"/api/submissions/{world.sids[0]}", data=b"x",
                                    headers={"Authorization": f"Bearer {world.token}",
                                             "Content-Type": "text/csv"})
    documented = document("http://localhost")["paths"]["/api/submissions/{sid}"]["put"][
        "responses"]
    assert r.status_code == 415, r.status_code
    assert str(r.status_code) in documented, r.status_code


def test_history_requires_its_dataset_parameter(world: World) -> None:
    r = world.app.test_client().get("/api/datasets/history")
    assert r.status_code == 400


def test_openapi_document_is_served_and_complete(world: World) -> None:
    """The document names every /api/ route of the app (a route missing from it would be
    left out of the fuzzing above)."""
    client = world.app.test_client()
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, item in doc["paths"].items()
                  for method in item if method in ("get", "post", "put", "delete", "patch")}
    routes = set()
    for rule in world.app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            routes.add((path, method))
    assert routes <= documented, routes - documented


@pytest.mark.parametrize(("method", "path", "status"), [
    ("TRACE", "/api/me", 405), ("GET", "/api/no-such-thing", 404),
    ("DELETE", "/api/openapi.json", 405)])
def test_routing_errors_under_api_are_api_errors(world: World, method: str, path: str,
                                                 status: int) -> None:
    """No view answers these, yet a program talking to the API gets its Error body."""
    r = world.app.test_client().open(path, method=method, headers={"Accept": "text/html"})
    assert r.status_code == status and r.mimetype == "application/json"
    assert isinstance(r.get_json()["error"], str) and r.get_json()["error"]


def test_401_says_how_to_authenticate(world: World) -> None:
    for headers in ({}, {"Authorization": "Bearer hdcat_not-a-real-token"}):
        r = world.app.test_client().get("/api/me", headers=headers)
        assert r.status_code == 401 and r.mimetype == "application/json"
        assert r.headers.get("WWW-Authenticate", "").startswith("Bearer"), dict(r.headers)
        assert isinstance(r.get_json()["error"], str)
