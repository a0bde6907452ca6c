"""The `hdcat` command, run as a real process (the contract later issues rely on)."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF

DATA = Path(__file__).parent / "data"
VALID = DATA / "record-valid.ttl"
DS = "https://hdcat.example.org/dataset/dm-complications-2020"


def hdcat(data: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "hdcat.cli", "--data", str(data), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"hdcat {args} exited {proc.returncode}:\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    proc = hdcat(data, "init", "--demo")
    assert "73 records stored" in proc.stdout
    return data


def test_stats_json_counts_the_demo(demo: Path) -> None:
    stats = json.loads(hdcat(demo, "stats", "--json").stdout)
    assert stats["datasets"] == 70
    assert stats["series"] == 3
    assert set(stats["by_domain"]) == {
        "health-management",
        "public-health",
        "biomedicine",
        "clinical-medicine",
        "pharmacy",
    }
    assert sum(stats["by_sensitivity_level"].values()) == 70
    assert stats["standards"] >= 25


def test_validate_all_on_the_demo_conforms(demo: Path) -> None:
    proc = hdcat(demo, "validate", "--all")
    assert "73 records, 0 violations" in proc.stdout


def test_export_whole_catalog_and_one_record(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.ttl"
    hdcat(demo, "export", "--format", "ttl", "-o", str(out))
    g = Graph().parse(out, format="turtle")
    assert len(set(g.subjects(RDF.type, DCAT.Dataset))) == 70
    one = hdcat(demo, "export", "--format", "nt", "--record", DS).stdout
    g1 = Graph().parse(data=one, format="nt")
    assert set(g1.subjects(RDF.type, DCAT.Dataset)) == {URIRef(DS)}
    by_record = hdcat(
        demo,
        "export",
        "--format",
        "nt",
        "--record",
        "https://hdcat.example.org/record/dm-complications-2020",
    ).stdout
    assert Graph().parse(data=by_record, format="nt").isomorphic(g1)
    missing = hdcat(
        demo, "export", "--record", "https://hdcat.example.org/dataset/nope", check=False
    )
    assert missing.returncode != 0 and "no record" in missing.stderr


def test_query_formats(demo: Path) -> None:
    q = (
        "SELECT ?ds WHERE { GRAPH ?g { ?ds a <http://www.w3.org/ns/dcat#Dataset> } } "
        "ORDER BY ?ds LIMIT 3"
    )
    rows = json.loads(hdcat(demo, "query", q, "--format", "json").stdout)
    assert len(rows) == 3 and all(r["ds"].startswith("https://hdcat.example.org/") for r in rows)
    table = list(csv.reader(io.StringIO(hdcat(demo, "query", q, "--format", "csv").stdout)))
    assert table[0] == ["ds"] and [r[0] for r in table[1:]] == [r["ds"] for r in rows]
    text = hdcat(demo, "query", q).stdout
    assert rows[0]["ds"] in text
    bad = hdcat(demo, "query", "SELEKT * WHERE {}", check=False)
    assert bad.returncode != 0 and "syntax" in bad.stderr


def test_load_refuses_and_reports_with_exit_code(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad = tmp_path / "bad.ttl"
    bad.write_text('<http://x/a> <http://x/p> "x" ;\n', encoding="utf-8")
    proc = hdcat(data, "load", str(bad), check=False)
    assert proc.returncode == 1
    assert re.search(re.escape(str(bad)) + r":[12]:\d+: Turtle syntax error", proc.stderr)
    assert "0 records stored" in proc.stdout


def test_strict_load_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    g = Graph().parse(VALID, format="turtle")
    g.add((URIRef("https://hdcat.example.org/dataset/bare"), RDF.type, DCAT.Dataset))
    mixed = tmp_path / "mixed.ttl"
    g.serialize(mixed, format="turtle")
    proc = hdcat(data, "load", "--strict", str(mixed), check=False)
    assert proc.returncode == 1
    assert "nothing written" in proc.stdout
    assert "REFUSED https://hdcat.example.org/dataset/bare" in proc.stderr
    assert json.loads(hdcat(data, "stats", "--json").stdout)["datasets"] == 0
    proc = hdcat(data, "load", str(mixed), check=False)
    assert proc.returncode == 1 and "1 records stored" in proc.stdout


def test_validate_file_json_contract(tmp_path: Path) -> None:
    data = tmp_path / "data"
    g = Graph().parse(VALID, format="turtle")
    g.remove((URIRef(DS), URIRef("http://purl.org/dc/terms/publisher"), None))
    path = tmp_path / "no-publisher.ttl"
    g.serialize(path, format="turtle")
    proc = hdcat(data, "validate", str(path), "--json", "--lang", "zh", check=False)
    assert proc.returncode == 1
    results = json.loads(proc.stdout)
    assert results and all(
        {"focus", "path", "value", "component", "severity", "message"} <= set(r) for r in results
    )
    publisher = [
        r
        for r in results
        if r["path"] == "http://purl.org/dc/terms/publisher" and r["severity"] == "Violation"
    ]
    assert publisher and publisher[0]["focus"] == DS
    assert any("\u4e00" <= ch <= "\u9fff" for ch in publisher[0]["message"])
    ok = hdcat(data, "validate", str(VALID), "--json")
    assert all(r["severity"] != "Violation" for r in json.loads(ok.stdout))


def test_level_core_accepts_foreign_metadata_the_full_profile_refuses(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.ttl"
    foreign.write_text(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        '<http://x.example/ds> a dcat:Dataset ; dct:title "A dataset"@en ;\n'
        '  dct:description "Described in English only."@en .\n',
        encoding="utf-8",
    )
    full = hdcat(tmp_path / "a", "load", str(foreign), check=False)
    assert full.returncode == 1 and "1 refused" in full.stdout
    core = hdcat(tmp_path / "b", "load", "--level", "core", str(foreign))
    assert "1 records stored" in core.stdout and "1 with warnings" in core.stdout


def test_serve_without_site_prints_the_summary(tmp_path: Path) -> None:
    proc = hdcat(tmp_path / "data", "serve", "--help")
    assert "--demo" in proc.stdout
