"""Nothing private leaks (issue #9): an anonymous client walks every route of the app, every
feed page, search and SPARQL, and finds no draft, submission, review comment, account,
token (value or digest), password hash, access request (e-mail, name, purpose), audit entry
hash or private identifier; the private routes answer 302 (to the login page), 401 or 403.

The private state is filled through the real workflow on a real embedded store with the demo
catalog: accounts of every role, API tokens, drafts (new and as new versions of a published
dataset), a submitted, a returned (with review comments), an approved and a deleted
submission, a published one whose review history has comments, a withdrawn one, a role
change, and access requests. Every private text carries the marker `qzleak`, so one search
of every response body finds any of them; the secrets without the marker (token values,
digests, hashes, e-mails, submission ids) are looked for one by one."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from hdcat.access_requests import AccessRequests
from hdcat.accounts import Accounts
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.state import PrivateState
from hdcat.workflow import Workflow
from service.app import create_app
from tests.demo_copies import demo_copy

BASE = "https://hdcat.example.org"
SOURCE = f"{BASE}/dataset/adult-tobacco-survey"
MARKER = "qzleak"
PASSWORD = "qzleak-password-Zx81!"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
PUBLISHED = f"{BASE}/dataset/visible-published-1"
WITHDRAWN = f"{BASE}/dataset/visible-withdrawn-1"
PRIVATE_EMAIL = "wang.private@univ.example"


def _copy(catalog: Catalog, new_iri: str, title_zh: str, title_en: str,
          extra: list[tuple[str, str, str]] = ()) -> list[ox.Triple]:
    return demo_copy(catalog, new_iri, title_zh, title_en, extra=extra)


@dataclass
class Private:
    """What the private state holds, to look for in every response."""

    data_dir: Path
    submissions: dict[str, str] = field(default_factory=dict)
    """Submission id -> its dataset IRI (drafts and the rest)."""
    draft_datasets: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    request_ids: list[str] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set)
    """Exact strings that must appear nowhere (tokens, e-mails...)."""
    hexes: set[str] = field(default_factory=set)
    """Hex digests (lower case) that must appear nowhere: token digests, password salts and
    hashes, audit entry and chain hashes."""

    def load_hexes(self) -> None:
        state = PrivateState.of(self.data_dir)
        try:
            for row in state.rows("SELECT digest FROM api_token"):
                self.hexes.add(row["digest"].lower())
            for row in state.rows("SELECT password FROM account"):
                _kind, _n, _r, _p, salt, digest = row["password"].split("$")
                self.hexes.update({salt.lower(), digest.lower()})
            for row in state.rows("SELECT hash, prev FROM audit"):
                self.hexes.update({row["hash"].lower(), row["prev"].lower()})
            self.hexes.discard("0" * 64)
            for row in state.rows("SELECT id FROM submission"):
                self.hexes.add(row["id"][1:].lower())  # "s" + 12 hex digits
            for row in state.rows("SELECT id FROM access_request"):
                self.hexes.add(row["id"][1:].lower())
        finally:
            state.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Private]]:
    data = tmp_path_factory.mktemp("noleaks")
    catalog = Catalog(Settings(data_dir=data))
    catalog.initialize(demo=True)
    app = create_app(catalog)
    app.config["TESTING"] = True
    state = PrivateState.of(data)
    accounts = Accounts(state)
    private = Private(data)
    alice = accounts.add("qzleak-alice", PASSWORD, "submitter")
    bob = accounts.add("qzleak-bob", PASSWORD, "submitter")
    carol = accounts.add("qzleak-carol", PASSWORD, "curator")
    accounts.add("qzleak-root", PASSWORD, "admin")
    accounts.set_role("qzleak-bob", "curator", actor="qzleak-root")
    accounts.set_role("qzleak-bob", "submitter", actor="qzleak-root")
    for name in ("qzleak-alice", "qzleak-bob", "qzleak-carol", "qzleak-root"):
        private.tokens.append(accounts.issue_token(name, label="qzleak-label"))
        private.tokens.append(accounts.issue_token(name, label="qzleak-read", scope="read"))
    revoked = accounts.issue_token("qzleak-alice", label="qzleak-revoked")
    accounts.revoke_token(revoked)
    private.tokens.append(revoked)
    private.secrets.update(private.tokens)
    private.secrets.add(PASSWORD)

    flow = Workflow(catalog, state)

    def draft(owner, slug: str, title: str) -> str:  # noqa: ANN001
        iri = f"{BASE}/dataset/qzleak-{slug}"
        triples = _copy(catalog, iri, f"草稿 QZLEAK-{slug} 青少年控烟",
                        f"Draft QZLEAK-{slug} {title}",
                        [(DCT + "description", f"私有描述 qzleak-desc-{slug}", "zh"),
                         (DCAT + "keyword", f"qzleak-keyword-{slug}", "zh")])
        created = flow.create(owner, triples, source="test")
        assert created.drafts and not created.errors, created.errors
        sub = created.drafts[0]
        private.submissions[sub.id] = iri
        private.draft_datasets.append(iri)
        return sub.id

    draft(alice, "draft", "a plain draft")
    sid = draft(alice, "submitted", "submitted for review")
    flow.act(sid, "submit", alice)
    sid = draft(bob, "returned", "returned with comments")
    flow.act(sid, "submit", bob)
    flow.act(sid, "return", carol, "QZLEAK-COMMENT 请补充样本量 wang needs n")
    sid = draft(alice, "approved", "approved, not published")
    flow.act(sid, "submit", alice)
    flow.act(sid, "approve", carol, "qzleak-approval-note")
    sid = draft(alice, "deleted", "deleted draft")
    flow.delete(sid, alice)

    # Published: public title, but a private review history with comments.
    triples = _copy(catalog, PUBLISHED, "公开发布的控烟数据集", "A published tobacco dataset")
    sub = flow.create(alice, triples, source="test").drafts[0]
    private.submissions[sub.id] = PUBLISHED
    flow.act(sub.id, "submit", alice, "qzleak-submit-comment")
    flow.act(sub.id, "return", carol, "QZLEAK-RETURN-REASON 缺少英文摘要")
    flow.act(sub.id, "submit", alice, "qzleak-resubmit")
    flow.act(sub.id, "approve", carol, "qzleak-approve")
    flow.act(sub.id, "publish", carol, "qzleak-publish-comment")
    # Its next version, a private draft (with the marker in its new title).
    version = flow.new_version(PUBLISHED, carol)
    flow.update(version.id, carol, [
        t if t.predicate.value != DCT + "title" else ox.Triple(
            t.subject, t.predicate, ox.Literal(f"QZLEAK-version {t.object.value}",
                                               language=t.object.language))
        for t in version.triples()])
    private.submissions[version.id] = version.dataset
    private.draft_datasets.append(version.dataset)
    # Published, then withdrawn with a public reason.
    triples = _copy(catalog, WITHDRAWN, "撤回的数据集", "A withdrawn dataset")
    sub = flow.create(bob, triples, source="test").drafts[0]
    private.submissions[sub.id] = WITHDRAWN
    for action, who in (("submit", bob), ("approve", carol), ("publish", carol)):
        flow.act(sub.id, action, who, f"qzleak-{action}")
    flow.act(sub.id, "withdraw", carol, "来源撤销授权")

    requests = AccessRequests(state)
    for email, name in (("qzleak-mail@private.example", "QZLEAK申请人"),
                        (PRIVATE_EMAIL, "王医生")):
        made = requests.add(f"{BASE}/dataset/adolescent-depression-screening", name,
                            "某大学 qzleak-institution", email, "qzleak-purpose 随访研究")
        private.request_ids.append(made.id)
        private.secrets.add(email)
    requests.decide(private.request_ids[0], "granted", "qzleak-carol", "qzleak-note")
    state.close()
    private.load_hexes()
    assert len(private.hexes) > 50
    yield app, private
    catalog.close()


# --------------------------------------------------------------------------- the check


_HEX = re.compile(r"[0-9a-fA-F]{12,}")


def _without_echo(text: str, asked: str | None) -> str:
    """`text` without the request's own path (a redirect to the login page, a form, may
    repeat what the client asked for: that shows the client nothing it did not send)."""
    if not asked:
        return text
    from urllib.parse import parse_qsl, quote_plus, unquote

    path = urlsplit(asked).path
    forms = {asked, unquote(asked), quote(unquote(asked), safe="/:?=&"),
             quote(unquote(asked), safe=""), path, unquote(path)}
    for _key, value in parse_qsl(urlsplit(asked).query):
        forms |= {value, quote(value, safe=""), quote_plus(value), quote(value)}
    for form in sorted(forms, key=len, reverse=True):
        if len(form) > 1:
            text = text.replace(form, "")
    return text


def leaks(body: bytes, private: Private, marker: bool = True,
          asked: str | None = None) -> list[str]:
    """What of the private state `body` shows (empty: nothing); `asked` is the request's
    path, which the answer may repeat."""
    text = _without_echo(body.decode("utf-8", errors="replace"), asked)
    found = []
    lower = text.lower()
    if marker and MARKER in lower:
        at = lower.index(MARKER)
        found.append(f"marker: ...{text[max(0, at - 120):at + 80]}...")
    found += [f"secret {s[:12]}..." for s in private.secrets if s in text]
    for run in _HEX.findall(text):
        run = run.lower()
        hits = [h for h in private.hexes if h in run]
        found += [f"hex {h[:16]}..." for h in hits]
    # Percent-encoded and JSON-escaped forms of the marker.
    if marker and re.search(r"%71%7a%6c%65%61%6b|\\u0071\\u007a", lower):
        found.append("encoded marker")
    return found


HISTORY_BUG = ("service/api.py:197-200 history(): for anonymous clients it drops the actor "
               "but keeps the curator's comment of the 'published' transition, so "
               "GET /api/datasets/history?dataset=<published IRI> shows a private review "
               "comment (a withdrawal reason is public by design: the tombstone shows it)")


def _known_history_bug(path: str, body: bytes) -> bytes:
    """The public history with the comments of 'published' entries taken out: that leak is
    HISTORY_BUG, shown by its own test (xfail) so that this walk still checks the rest."""
    if not path.startswith("/api/datasets/history"):
        return body
    import json

    try:
        data = json.loads(body)
    except ValueError:
        return body
    for entry in data.get("history", []):
        if entry.get("to") == "published":
            entry.pop("comment", None)
    return json.dumps(data, ensure_ascii=False).encode()


class Walker:
    """An anonymous client that checks every answer it gets."""

    def __init__(self, app: Flask, private: Private) -> None:
        self.client: FlaskClient = app.test_client()
        self.private = private
        self.seen: dict[str, int] = {}
        self.statuses: dict[int, int] = {}

    def get(self, path: str, marker: bool = True, **kwargs: object):  # noqa: ANN201
        r = self.client.get(path, **kwargs)
        body = _known_history_bug(path, r.get_data())
        self.seen[path] = r.status_code
        self.statuses[r.status_code] = self.statuses.get(r.status_code, 0) + 1
        assert r.status_code < 500, (path, r.status_code, body[:300])
        problems = leaks(body, self.private, marker, asked=path)
        problems += leaks(str(r.headers).encode(), self.private, marker, asked=path)
        assert not problems, (path, problems)
        if r.status_code in (301, 302, 303, 307, 308):
            loc = urlsplit(r.headers["Location"])
            assert not loc.netloc or loc.netloc == "localhost", (path, loc)
        return r


# --------------------------------------------------------------------------- the routes


MUST_BE_PRIVATE = {
    ("/submissions", "GET"), ("/submissions/<sid>", "GET"), ("/submissions/new", "GET"),
    ("/submissions/<sid>/edit", "GET"), ("/submissions/<sid>/<action>", "POST"),
    ("/api/submissions", "GET"), ("/api/submissions", "POST"),
    ("/api/submissions/<sid>", "GET"), ("/api/submissions/<sid>", "PUT"),
    ("/api/submissions/<sid>", "DELETE"), ("/api/submissions/<sid>/<action>", "POST"),
    ("/api/me", "GET"), ("/api/datasets/versions", "POST"), ("/api/datasets/withdraw", "POST"),
    ("/access-requests", "GET"), ("/access-requests/<rid>", "POST"), ("/versions", "POST"),
    ("/withdraw", "POST"), ("/harvest/new", "GET"), ("/harvest", "POST"),
    ("/harvest/<name>/run", "POST"), ("/audit", "GET"),
}


def _guarded(view: object) -> bool:
    """Whether a view is wrapped by service.auth.require (an account needed)."""
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and getattr(code, "co_qualname", "").startswith("require."):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def _private_rules(app: Flask) -> set[tuple[str, str]]:
    """(rule, method) of every route that needs an account."""
    out = set()
    for rule in app.url_map.iter_rules():
        if _guarded(app.view_functions[rule.endpoint]):
            out |= {(rule.rule, m) for m in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    return out


def _values(app: Flask, private: Private) -> dict[str, list[str]]:
    """Real values for every path parameter name the app's rules use."""
    drafts = [d.rsplit("/", 1)[1] for d in private.draft_datasets]
    return {
        "ident": ["adult-tobacco-survey", "visible-published-1", "visible-withdrawn-1", "nphdc",
                  *drafts],
        "slug": ["gbt-39725-2020", "hl7-fhir-r4"],
        "scheme": ["domain", "sensitivity-level"],
        "code": ["public-health", "L3"],
        "value": ["CSTR:A0006.11.A0001.202005.002660", "10.12213/11.A0001.202005.002660"],
        "sid": list(private.submissions),
        "rid": private.request_ids,
        "name": ["some-source", "none"],
        "action": ["submit", "return", "approve", "publish", "withdraw"],
        "n": ["1", "2"],
        "filename": ["sparql.js", "style.css"],
    }


def _expand(rule: str, values: dict[str, list[str]]) -> list[str]:
    names = re.findall(r"<(?:[^:>]+:)?([^>]+)>", rule)
    paths = [rule]
    for name in names:
        options = values.get(name, ["x"])
        paths = [re.sub(r"<(?:[^:>]+:)?" + re.escape(name) + ">", quote(v, safe=":/"), p,
                        count=1) for p in paths for v in options]
    return paths


def test_private_routes_need_an_account(world: tuple[Flask, Private]) -> None:
    app, private = world
    walker = Walker(app, private)
    values = _values(app, private)
    private_rules = _private_rules(app)
    # Every route that must need an account does (a new route with private data must be
    # added to MUST_BE_PRIVATE, or be guarded, to pass).
    assert private_rules >= MUST_BE_PRIVATE, MUST_BE_PRIVATE - private_rules
    for rule, method in sorted(private_rules):
        for path in _expand(rule, values):
            for headers in ({}, {"Authorization": "Bearer hdcat_not-a-real-token"},
                            {"Authorization": "Bearer " + private.tokens[-1]},  # revoked
                            {"Accept": "application/json"}):
                r = walker.client.open(path, method=method, headers=headers,
                                       json={"dataset": PUBLISHED, "comment": "x"}
                                       if method != "GET" else None)
                assert r.status_code in (302, 401, 403), (method, path, headers,
                                                         r.status_code)
                if r.status_code == 302:
                    assert urlsplit(r.headers["Location"]).path == "/login", path
                assert not leaks(r.get_data(), private, asked=path), (method, path)
                assert not leaks(str(r.headers).encode(), private, asked=path), path
    # A submitter sees only their own drafts, never another's or the review queue.
    other = app.test_client()
    r = other.get("/api/submissions", headers={"Authorization": "Bearer " + private.tokens[2]})
    assert r.status_code == 200  # qzleak-bob's token
    mine = {s["id"] for s in r.get_json()["submissions"]}
    assert mine and mine <= {sid for sid, ds in private.submissions.items()
                             if "returned" in ds or "withdrawn" in ds}
    r = other.get("/api/submissions", query_string={"all": "1"},
                  headers={"Authorization": "Bearer " + private.tokens[2]})
    assert {s["id"] for s in r.get_json()["submissions"]} == mine


def test_every_public_route_shows_nothing_private(world: tuple[Flask, Private]) -> None:
    """Every GET route of the URL map with real parameter values, in HTML and every RDF
    format, in both languages; then every local link of every page reached, breadth first."""
    app, private = world
    walker = Walker(app, private)
    values = _values(app, private)
    start: list[str] = []
    rules = [r for r in app.url_map.iter_rules() if "GET" in (r.methods or ())]
    assert len(rules) >= 25
    private_rules = _private_rules(app)
    for rule in rules:
        if (rule.rule, "GET") in private_rules:
            continue
        start += _expand(rule.rule, values)
    for draft in private.draft_datasets + [PUBLISHED, WITHDRAWN]:
        slug = draft.rsplit("/", 1)[1]
        start += [f"/dataset/{slug}", f"/record/{slug}", f"/dataset/{slug}/cite",
                  f"/resource?iri={quote(draft, safe='')}", f"/lineage?iri={slug}",
                  f"/api/datasets/history?dataset={quote(draft, safe='')}"]
    queue = deque()
    resources = ("/dataset/", "/record/", "/agent/", "/catalog", "/standard/", "/vocab/",
                 "/resource")
    for path in dict.fromkeys(start):
        suffixes = ["", "?lang=en"]
        if path.startswith(resources):
            suffixes += ["?format=ttl", "?format=jsonld", "?format=rdf", "?format=nt"]
        for suffix in suffixes:
            glue = "&" if "?" in path and suffix else ""
            queue.append(path + (suffix.replace("?", glue) if glue else suffix))
    budget = 500
    done: set[str] = set()
    search_links = 0
    while queue and len(done) < budget:
        path = queue.popleft()
        if path in done:
            continue
        done.add(path)
        r = walker.get(path, headers={"Accept": "text/html"})
        if r.mimetype != "text/html" or r.status_code != 200:
            continue
        for href in re.findall(r'href="([^"]+)"', r.get_data(as_text=True)):
            href = href.replace("&amp;", "&")
            parts = urlsplit(href)
            if parts.netloc and parts.netloc != "localhost":
                continue
            if not parts.path.startswith("/") or parts.path.startswith("/static"):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith("/search"):
                search_links += 1
                if search_links > 60:
                    continue
            if local not in done:
                queue.append(local)
    assert len(done) > 300, len(done)
    # The drafts are not found; the published and withdrawn datasets are.
    for draft in private.draft_datasets:
        slug = draft.rsplit("/", 1)[1]
        assert walker.seen.get(f"/dataset/{slug}") == 404, slug
        assert walker.seen.get(f"/record/{slug}") == 404, slug
    assert walker.seen.get("/dataset/visible-published-1") == 200
    assert walker.seen.get("/dataset/visible-withdrawn-1") == 410
    # The public history of the published dataset: publication only, no actor.
    history = walker.get("/api/datasets/history?dataset=" + quote(PUBLISHED, safe="")).get_json()
    assert [h["to"] for h in history["history"]] == ["published"]
    assert all("actor" not in h for h in history["history"])


def test_public_history_hides_review_comments(world: tuple[Flask, Private]) -> None:
    app, private = world
    client = app.test_client()
    for dataset in (PUBLISHED, WITHDRAWN):
        r = client.get("/api/datasets/history", query_string={"dataset": dataset})
        assert r.status_code == 200
        for entry in r.get_json()["history"]:
            assert "actor" not in entry
            if entry["to"] == "published":
                assert not entry.get("comment"), entry  # the curator's note on publishing
        assert not leaks(r.get_data(), private), dataset


# --------------------------------------------------------------------------- feeds


RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
               "rdf": ox.RdfFormat.RDF_XML, "nt": ox.RdfFormat.N_TRIPLES}


def test_feeds_show_nothing_private(world: tuple[Flask, Private]) -> None:
    app, private = world
    walker = Walker(app, private)
    drafts = {ox.NamedNode(d) for d in private.draft_datasets}
    datasets: set[str] = set()
    for fmt, rdf_format in RDF_FORMATS.items():
        walker.get(f"/catalog?format={fmt}")
        page, pages = 1, None
        while pages is None or page <= pages:
            r = walker.get(f"/catalog/feed?format={fmt}&per_page=10&page={page}")
            assert r.status_code == 200, (fmt, page)
            triples = list(ox.parse(r.get_data(), format=rdf_format))
            assert not any(q.subject in drafts or q.object in drafts for q in triples)
            datasets |= {q.object.value for q in triples if q.predicate.value == DCAT + "dataset"}
            if pages is None:
                total = next(int(q.object.value) for q in triples
                             if q.predicate.value.endswith("#totalItems"))
                pages = -(-total // 10)
            page += 1
        assert walker.get(f"/catalog/feed?format={fmt}&per_page=10&page={page}"
                          ).status_code == 404
        walker.get(f"/catalog/feed?format={fmt}&modified_since=2000-01-01")
    assert PUBLISHED in datasets and WITHDRAWN not in datasets
    assert not datasets & set(private.draft_datasets)

    # OAI-PMH: every verb, every metadata format, every set, every resumption token.
    for verb in ("Identify", "ListMetadataFormats", "ListSets"):
        walker.get(f"/oai?verb={verb}")
    root = ET.fromstring(walker.get("/oai?verb=ListMetadataFormats").get_data())
    prefixes = [e.text for e in root.iter(OAI + "metadataPrefix")]
    assert {"oai_dc", "oai_datacite"} <= set(prefixes)
    root = ET.fromstring(walker.get("/oai?verb=ListSets").get_data())
    sets = [e.text for e in root.iter(OAI + "setSpec")]
    assert len(sets) >= 3
    identifiers: set[str] = set()
    requests = 0
    lists = [("ListRecords", prefix, None) for prefix in prefixes]
    lists += [(verb, "oai_dc", set_spec) for set_spec in sets
              for verb in ("ListRecords", "ListIdentifiers")]
    lists += [("ListRecords", "oai_datacite", set_spec) for set_spec in sets[:3]]
    for verb, prefix, set_spec in lists:
        args = {"verb": verb, "metadataPrefix": prefix}
        if set_spec:
            args["set"] = set_spec
        while True:
            r = walker.get("/oai?" + urlencode(args))
            requests += 1
            root = ET.fromstring(r.get_data())
            identifiers |= {e.text for e in root.iter(OAI + "identifier")}
            token = root.find(f".//{OAI}resumptionToken")
            if token is None or not token.text:
                break
            args = {"verb": verb, "resumptionToken": token.text}
    assert requests > 20
    assert any(i.endswith("visible-published-1") for i in identifiers)
    published = [i for i in identifiers if i.endswith("visible-published-1")]
    for ident in published + sorted(identifiers)[:3]:
        for prefix in prefixes:
            walker.get("/oai?" + urlencode({"verb": "GetRecord", "identifier": ident,
                                            "metadataPrefix": prefix}))
    for draft in private.draft_datasets:
        for ident in (draft, "oai:hdcat.example.org:" + draft.rsplit("/", 1)[1]):
            r = walker.get("/oai?" + urlencode({"verb": "GetRecord", "identifier": ident,
                                                "metadataPrefix": "oai_dc"}))
            assert b"idDoesNotExist" in r.get_data(), draft

    # Sitemap (and its children), VoID, the OpenAPI document, the harvest pages.
    sitemap = walker.get("/sitemap.xml").get_data()
    children = re.findall(rb"<loc>[^<]*(/sitemap-\d+\.xml)</loc>", sitemap)
    for child in children:
        walker.get(child.decode())
    locs = re.findall(rb"<loc>([^<]+)</loc>", sitemap)
    assert any(b"visible-published-1" in loc for loc in locs) or children
    for fmt in ("", "?format=ttl", "?format=jsonld", "?format=nt", "?format=rdf"):
        walker.get("/.well-known/void" + fmt)
    walker.get("/api/openapi.json")
    walker.get("/harvest")
    walker.get("/harvest?format=json")


# --------------------------------------------------------------------------- search


def test_search_finds_nothing_private(world: tuple[Flask, Private]) -> None:
    app, private = world
    walker = Walker(app, private)
    # Words of the drafts' titles (without the marker): the pages may echo the query, but
    # must show no draft.
    for q in ("青少年控烟", "控烟", "plain draft", "submitted for review", "returned",
              "approved", "deleted draft", "私有描述", "随访研究", "某大学", "王医生",
              "wang", "needs", "请补充样本量", "缺少英文摘要", "来源撤销授权"):
        for path in ("/search", "/search.json"):
            for extra in ({}, {"kind": "dataset"}, {"sort": "newest"}, {"lang": "en"}):
                walker.get(path + "?" + urlencode({"q": q, **extra}))
    # The marker itself and the secrets as queries: no hits (the page echoes the query, so
    # only the hits are checked).
    queries = [MARKER, "QZLEAK-draft", "qzleak-keyword-draft", "qzleak-desc-draft",
               "qzleak-alice", "qzleak-mail@private.example", PRIVATE_EMAIL,
               private.tokens[0], "QZLEAK-COMMENT", *list(private.submissions)[:3]]
    for q in queries:
        r = walker.get("/search.json?" + urlencode({"q": q}), marker=False)
        body = r.get_json()
        assert body["total"] == 0 and not body["hits"], (q, body["total"])
        r = walker.get("/search?" + urlencode({"q": q}), marker=False)
        assert r.status_code == 200
    # Every facet value and every page of everything.
    everything = walker.get("/search.json?per_page=100").get_json()
    facets = everything.get("facets", {})
    assert facets
    for facet, items in facets.items():
        for item in items[:20]:
            value = item["value"] if isinstance(item, dict) else item[0]
            walker.get("/search.json?" + urlencode({facet: value, "per_page": 100}))
    first = walker.get("/search.json?per_page=20&page=1").get_json()
    assert first["pages"] > 1
    for page in range(2, first["pages"] + 1):
        assert walker.get(f"/search.json?per_page=20&page={page}").get_json()["hits"]


# --------------------------------------------------------------------------- SPARQL


def _sparql(walker: Walker, query: str, accept: str = "application/sparql-results+json",
            marker: bool = False, post: bool = False):  # noqa: ANN202
    if post:
        r = walker.client.post("/sparql", data={"query": query}, headers={"Accept": accept})
        assert r.status_code < 500
        assert not leaks(r.get_data(), walker.private, marker), query
        return r
    return walker.get("/sparql?" + urlencode({"query": query}), marker=marker,
                      headers={"Accept": accept})


def test_sparql_reaches_nothing_private(world: tuple[Flask, Private]) -> None:
    app, private = world
    walker = Walker(app, private)
    # Every graph, every triple: the whole store, page by page (the endpoint caps results).
    r = _sparql(walker, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", marker=True)
    graphs = {b["g"]["value"] for b in r.get_json()["results"]["bindings"]}
    assert len(graphs) > 50
    assert not graphs & set(private.draft_datasets)
    r = _sparql(walker, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    total = int(r.get_json()["results"]["bindings"][0]["n"]["value"])
    assert total > 10_000
    seen = 0
    for offset in range(0, total, 10_000):
        r = _sparql(walker, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } "
                            f"LIMIT 10000 OFFSET {offset}", marker=True)
        seen += len(r.get_json()["results"]["bindings"])
    assert seen == total
    r = _sparql(walker, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 10000",
                accept="text/turtle", marker=True)
    assert r.status_code == 200
    # Full-text regex for every private text, in the union graph and in every named graph.
    for pattern in (MARKER, "QZLEAK", "private\\\\.example", "univ\\\\.example", "王医生",
                    "随访研究", "hdcat_", "scrypt", "请补充样本量"):
        for query in (
            f'SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(regex(str(?o), "{pattern}", "i") '
            f'|| regex(str(?s), "{pattern}", "i") || regex(str(?p), "{pattern}", "i")) }}',
            f'SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
            f'FILTER(regex(str(?g), "{pattern}", "i") || regex(str(?o), "{pattern}", "i")) }}',
        ):
            r = _sparql(walker, query)
            assert r.status_code == 200, (query, r.get_data()[:300])
            assert r.get_json()["results"]["bindings"] == [], pattern
    # The draft IRIs: described by nothing, in no graph, neither as subject nor object.
    for iri in private.draft_datasets:
        r = _sparql(walker, f"DESCRIBE <{iri}>", accept="application/n-triples")
        assert r.status_code == 200 and r.get_data().strip() == b"", iri
        r = _sparql(walker, f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} UNION "
                            f"{{ GRAPH ?g {{ <{iri}> ?p ?o }} }} }}")
        assert r.get_json()["boolean"] is False, iri
        r = _sparql(walker, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}",
                    accept="text/turtle")
        assert MARKER.encode() not in r.get_data().lower()
        _sparql(walker, f"ASK {{ <{iri}> ?p ?o }}", post=True)
    # The published dataset is there; its review comments are not.
    r = _sparql(walker, f"ASK {{ <{PUBLISHED}> ?p ?o }}")
    assert r.get_json()["boolean"] is True
    r = _sparql(walker, f"DESCRIBE <{PUBLISHED}>", accept="text/turtle", marker=True)
    assert b"visible-published-1" in r.get_data()
    # Nothing outside the store: SERVICE, LOAD, updates and dataset parameters are refused,
    # and a file IRI reads nothing.
    database = (private.data_dir / "private.sqlite").as_uri()
    for query, status in (
        (f"SELECT * WHERE {{ SERVICE <{database}> {{ ?s ?p ?o }} }}", (400, 403)),
        (f"LOAD <{database}>", (400, 403)),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", (400, 403)),
        (f"SELECT * FROM <{database}> WHERE {{ ?s ?p ?o }} LIMIT 1", (200, 400, 403)),
    ):
        r = _sparql(walker, query)
        assert r.status_code in status, (query, r.status_code)
        assert b"SQLite" not in r.get_data()
    r = walker.get("/sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                           "named-graph-uri": database}))
    assert r.status_code == 400
    # The query page (HTML) with a whole-store query.
    walker.get("/sparql/ui?" + urlencode({"query": "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g "
                                                   "{ ?s ?p ?o } } LIMIT 2000"}))


def test_logged_in_pages_show_only_ones_own(world: tuple[Flask, Private]) -> None:
    """The submitter without drafts of their own (qzleak-root made none) sees, in the
    registration pages, nothing of another account's drafts."""
    app, private = world
    state = PrivateState.of(private.data_dir)
    Accounts(state).add("visible-eve", "visible-password-1", "submitter")
    state.close()
    client = app.test_client()
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.get_data(True)).group(1)
    r = client.post("/login", data={"name": "visible-eve", "password": "visible-password-1",
                                    "csrf": csrf})
    assert r.status_code == 302
    for path in ("/submissions", "/submissions?format=json", "/submissions/new",
                 *(f"/submissions/{sid}" for sid in private.submissions),
                 *(f"/submissions/{sid}/edit" for sid in private.submissions),
                 "/access-requests"):
        r = client.get(path)
        assert r.status_code in (200, 403, 404), (path, r.status_code)
        assert not leaks(r.get_data(), private, asked=path), path
    json_list = client.get("/submissions?format=json").get_json()
    assert json_list == {"mine": [], "queue": []}


def test_usage_counters_stay_private(world: tuple[Flask, Private]) -> None:
    """The walks above were counted (if the app counts use): the pseudonymous visitor keys
    and hashes of the counters appear nowhere, not in the statistics pages, their CSV
    files, the dataset pages or the public graph (aggregate counts are public by design)."""
    app, private = world
    state = PrivateState.of(private.data_dir)
    try:
        tables = {r["name"] for r in state.rows(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        visitors = {r["visitor"] for r in state.rows("SELECT visitor FROM usage_recent")} if (
            "usage_recent" in tables) else set()
    finally:
        state.close()
    keys = {p.read_bytes().hex() for p in (private.data_dir / "usage-keys").glob("*.key")}
    private.hexes |= {v.lower() for v in visitors} | keys
    walker = Walker(app, private)
    # Visits of one client, so that at least one visitor is recorded (when counting is on).
    for _ in range(2):
        walker.get("/dataset/visible-published-1", headers={"User-Agent": "Mozilla/5.0 qz"})
    state = PrivateState.of(private.data_dir)
    try:
        if "usage_recent" in tables:
            counted = {r["visitor"].lower() for r in state.rows(
                "SELECT visitor FROM usage_recent")}
            assert counted, "the visits were not counted: the check below would be empty"
            private.hexes |= counted
    finally:
        state.close()
    pages = ["/stats", "/stats?format=json", "/quality", "/dataset/visible-published-1",
             "/dataset/visible-published-1?format=ttl", "/catalog?format=ttl",
             "/.well-known/void"]
    r = walker.get("/stats")
    pages += sorted(set(re.findall(r'href="(/stats/[^"?]+\.csv)"', r.get_data(True))))
    for path in pages:
        walker.get(path)
    for offset in range(0, 40_000, 10_000):
        r = _sparql(walker, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } "
                            f"LIMIT 10000 OFFSET {offset}", marker=True)
        if not r.get_json()["results"]["bindings"]:
            break


def test_walkers_own_sanity(world: tuple[Flask, Private]) -> None:
    """The leak check finds what it looks for (so a clean walk means something)."""
    _app, private = world
    assert leaks(b"x QZLEAK-draft y", private)
    assert leaks(private.tokens[0].encode(), private, marker=False)
    some_hash = next(h for h in private.hexes if len(h) == 64)
    assert leaks(f"<td>{some_hash.upper()}</td>".encode(), private, marker=False)
    assert leaks(b"mailto:" + PRIVATE_EMAIL.encode(), private, marker=False)
    assert not leaks(b"<html>published</html>", private)
