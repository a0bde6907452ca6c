"""The curator pages of harvesting: configure a source and run it from the site."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta

from test_harvest import Source, harvester, server  # noqa: F401 - fixtures

from hdcat.accounts import Accounts

PASSWORD = "correct horse battery"


def _login(client, name: str) -> None:  # noqa: ANN001
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").get_data(True))[1]
    r = client.post("/login", data={"name": name, "password": PASSWORD, "csrf": csrf})
    assert r.status_code == 302


def _csrf(client, path: str) -> str:  # noqa: ANN001
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).get_data(True))[1]


def test_curator_adds_and_runs_a_source(harvester, server) -> None:  # noqa: F811
    from service.app import create_app

    base, sources = server
    sources["web"] = Source("web", 7)
    accounts = Accounts(harvester.state)
    accounts.add("carol", PASSWORD, "curator")
    accounts.add("alice", PASSWORD, "submitter")
    app = create_app(harvester.catalog)

    anonymous = app.test_client()
    assert 'id="add-source"' not in anonymous.get("/harvest").get_data(True)
    assert anonymous.get("/harvest/new").status_code == 302
    submitter = app.test_client()
    _login(submitter, "alice")
    assert submitter.get("/harvest/new").status_code == 403

    client = app.test_client()
    _login(client, "carol")
    assert 'id="add-source"' in client.get("/harvest").get_data(True)
    csrf = _csrf(client, "/harvest/new")
    r = client.post("/harvest", data={"csrf": csrf, "name": "bad name!", "kind": "dcat",
                                      "url": f"{base}/web/page/1"})
    assert r.status_code == 400 and "letters, digits" in r.get_data(True)
    r = client.post("/harvest", data={"csrf": csrf, "name": "web", "kind": "dcat",
                                      "url": f"{base}/web/page/1", "schedule": "sometimes"})
    assert r.status_code == 400 and "use hourly, daily, weekly" in r.get_data(True)
    assert harvester.state.source("web") is None
    r = client.post("/harvest", data={"csrf": csrf, "name": "web", "kind": "dcat",
                                      "url": f"{base}/web/page/1", "schedule": "weekly",
                                      "publisher": "https://web.example.org/agent/centre",
                                      "strict": "1"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/harvest/web")
    saved = harvester.state.source("web")
    assert (saved.kind, saved.schedule, saved.strict) == ("dcat", "weekly", True)
    assert saved.publisher == "https://web.example.org/agent/centre"

    r = client.post("/harvest/web/run", data={"csrf": _csrf(client, "/harvest/web")})
    assert r.status_code == 302
    for _ in range(300):
        runs = harvester.state.runs("web")
        if runs and runs[0].finished:
            break
        time.sleep(0.1)
    assert runs[0].status == "completed", runs[0].report
    # Strict: the whole profile holds, and these minimal DCAT records lack the health fields.
    counts = client.get("/harvest/web?format=json").get_json()["runs"][0]["counts"]
    assert counts["failed"] == 7 and counts["added"] == 0
    [listed] = client.get("/harvest?format=json").get_json()
    assert listed["schedule"] == "weekly"
    assert listed["next_run"] == (datetime.fromisoformat(runs[0].started)
                                  + timedelta(days=7)).isoformat()
    assert f"weekly · next {listed['next_run']}" in client.get("/harvest?lang=en").get_data(True)
    assert client.post("/harvest/web/run", data={}).status_code == 400  # no CSRF token
