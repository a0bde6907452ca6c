"""Cited-by: papers citing datasets, from a curator's form or a CSV file; the network page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from hdcat import citedby
from hdcat.accounts import Accounts
from hdcat.catalog import Catalog
from hdcat.cli import main
from hdcat.config import Settings
from hdcat.state import PrivateState
from service.app import create_app

BASE = "https://hdcat.example.org"
DATASET = f"{BASE}/dataset/adult-tobacco-survey"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    data = tmp_path_factory.mktemp("citedby")
    catalog = Catalog(Settings(data_dir=data))
    catalog.initialize(demo=True)
    Accounts(PrivateState.of(data)).add("carol", PASSWORD, "curator")
    yield create_app(catalog)
    catalog.close()


def _papers(catalog: Catalog, dataset: str) -> set[str]:
    return {p for d, p in citedby.network(catalog).links if d == dataset}


def test_csv_adds_citations_by_iri_and_cstr(tmp_path: Path) -> None:
    data = tmp_path / "data"
    runner = CliRunner()
    assert runner.invoke(main, ["--data", str(data), "init", "--demo"]).exit_code == 0
    with Catalog(Settings(data_dir=data)) as catalog:
        record, _ = catalog.find_record(DATASET)
        cstr = next(t.object.value for t in catalog.record_triples(record)
                    if t.predicate.value == "http://purl.org/dc/terms/identifier")
        before = _papers(catalog, DATASET)
    csv_file = tmp_path / "cites.csv"
    csv_file.write_text("数据集,论文DOI,论文题名,发表年份\n"
                        f"{DATASET},10.1000/tobacco.2024.1,青少年吸烟行为研究,2024\n"
                        f"{cstr},https://doi.org/10.1000/TOBACCO.2024.2,Smoking cessation,2025\n"
                        f"{DATASET},10.1000/tobacco.2024.1,,\n"
                        f"{BASE}/dataset/no-such,10.1000/x.1,,\n"
                        f"{DATASET},not-a-doi,,\n", encoding="utf-8")
    r = runner.invoke(main, ["--data", str(data), "citations", "add", str(csv_file)])
    assert r.exit_code == 1
    assert "added 2 citation(s), 1 already known" in r.output
    assert "row 4: dataset" in r.output and "row 5: doi 'not-a-doi'" in r.output
    with Catalog(Settings(data_dir=data)) as catalog:
        assert _papers(catalog, DATASET) - before == {
            "https://doi.org/10.1000/tobacco.2024.1", "https://doi.org/10.1000/TOBACCO.2024.2"}
        net = citedby.network(catalog)
        assert net.paper_titles["https://doi.org/10.1000/tobacco.2024.1"] == "青少年吸烟行为研究"
        assert catalog.audit_log().verify(catalog.stored_graphs()) == []


def test_curator_form_and_network_page(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/dataset/adr-reports-gd-2022", headers={"Accept": "text/html"})
    found = re.search(r'id="papers-count">\((\d+)\)', page.get_data(True))
    count = int(found[1]) if found else 0
    anonymous = client.post("/dataset/adr-reports-gd-2022/cited-by", data={"doi": "10.1/x"})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]

    curator = app.test_client()
    login = curator.get("/login").get_data(True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', login)[1]
    curator.post("/login", data={"name": "carol", "password": PASSWORD, "csrf": csrf})
    page = curator.get("/dataset/adr-reports-gd-2022", headers={"Accept": "text/html"})
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.get_data(True))[1]
    r = curator.post("/dataset/adr-reports-gd-2022/cited-by",
                     data={"csrf": csrf, "doi": "doi:doi:10.2000/adr", "title": "x"})
    assert r.status_code == 400 and "doi" in r.get_data(True)  # not a DOI: refused, named
    r = curator.post("/dataset/adr-reports-gd-2022/cited-by",
                     data={"csrf": csrf, "doi": "10.2000/adr.2023.7",
                           "title": "药品不良反应<script>监测</script>", "year": "2023"})
    assert r.status_code == 302
    html = client.get("/dataset/adr-reports-gd-2022", headers={"Accept": "text/html"}
                      ).get_data(True)
    assert f'id="papers-count">({count + 1})' in html
    network = client.get("/citations").get_data(True)
    assert "药品不良反应&lt;script&gt;监测" in network and "<script>监测" not in network
    data = client.get("/citations?format=json").get_json()
    adr = next(d for d in data["datasets"] if d["dataset"].endswith("adr-reports-gd-2022"))
    assert "https://doi.org/10.2000/adr.2023.7" in adr["papers"]
    assert data["datasets"] == sorted(data["datasets"], key=lambda d: -d["citations"])
