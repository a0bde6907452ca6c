"""CSTR and DOI (issue #6): syntax checks, minting in the private state (threads, processes,
reopening), the resolver routes, the agency export files and the `hdcat identifiers` CLI,
over the demo catalog in a real embedded Oxigraph store."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from hdcat import agency_export
from hdcat.catalog import Catalog
from hdcat.cli import main
from hdcat.config import Settings, load_settings
from hdcat.identifiers import (
    Cstr,
    Doi,
    IdentifierError,
    Identifiers,
    Minted,
    Minter,
    identifier_triples,
    parse,
    parse_cstr,
    parse_doi,
    resolve,
)
from hdcat.state import PrivateState
from service.app import create_app

ROOT = Path(__file__).resolve().parents[1]
B = "https://hdcat.example.org"
BODY11 = f"{B}/dataset/body-composition-v1-1"
BODY10 = f"{B}/dataset/body-composition-v1"
DM = f"{B}/dataset/dm-complications-2020"
DM_STATS = f"{B}/dataset/dm-complications-stats"
WGS = f"{B}/dataset/cn-wgs-variants-2023"
SDB = f"{B}/dataset/breast-pathology-wsi"
DC = "{http://datacite.org/schema/kernel-4}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MARCH = date(2025, 3, 14)

# Controlled lists of the DataCite 4.5 schema (include/*.xsd) for the values the export uses.
RELATION_TYPES = {
    "IsCitedBy", "Cites", "IsSupplementTo", "IsSupplementedBy", "IsContinuedBy", "Continues",
    "IsNewVersionOf", "IsPreviousVersionOf", "IsPartOf", "HasPart", "IsPublishedIn",
    "IsReferencedBy", "References", "IsDocumentedBy", "Documents", "IsCompiledBy", "Compiles",
    "IsVariantFormOf", "IsOriginalFormOf", "IsIdenticalTo", "HasMetadata", "IsMetadataFor",
    "Reviews", "IsReviewedBy", "IsDerivedFrom", "IsSourceOf", "Describes", "IsDescribedBy",
    "HasVersion", "IsVersionOf", "Requires", "IsRequiredBy", "Obsoletes", "IsObsoletedBy",
    "Collects", "IsCollectedBy",
}
RELATED_ID_TYPES = {"ARK", "arXiv", "bibcode", "DOI", "EAN13", "EISSN", "Handle", "IGSN",
                    "ISBN", "ISSN", "ISTC", "LISSN", "LSID", "PMID", "PURL", "UPC", "URL", "URN",
                    "w3id"}
DATE_TYPES = {"Accepted", "Available", "Collected", "Copyrighted", "Created", "Issued", "Other",
              "Submitted", "Updated", "Valid", "Withdrawn"}
TITLE_TYPES = {"AlternativeTitle", "Subtitle", "TranslatedTitle", "Other"}
DESCRIPTION_TYPES = {"Abstract", "Methods", "SeriesInformation", "TableOfContents",
                     "TechnicalInfo", "Other"}
NAME_TYPES = {"Organizational", "Personal"}
CSTR_FIELDS = {  # STANDARDS.md section 1.1, the InstDB BaseMetadata builder and CSTR entity
    "resourceChineseName", "resourceName", "identifier", "resourceType", "urls",
    "identificationStatus", "descriptionCN", "descriptionEN", "registerOrganizationCN",
    "submitOrgName", "publicationDate", "alternativeIdentifiers", "creators",
    "subjectClassifications", "shareChannel", "shareRange", "process", "keywords",
    "categoryName", "standardName",
}


def _shape_patterns() -> dict[str, re.Pattern]:
    g = rdflib.Graph().parse(ROOT / "shapes" / "health.ttl")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = {}
    for name in ("CstrSyntax", "DoiSyntax"):
        node = next(s for s in g.subjects(sh.pattern, None) if str(s).endswith("#" + name))
        out[name] = re.compile(str(g.value(node, sh.pattern)))
    return out


PATTERNS = _shape_patterns()


# --------------------------------------------------------------------------- syntax


@pytest.mark.parametrize(("text", "value"), [
    ("CSTR:A0006.11.A0001.202006.001024", "CSTR:A0006.11.A0001.202006.001024"),
    ("CSTR:31253.11.sciencedb.29221", "CSTR:31253.11.sciencedb.29221"),
    ("cstr:31253.11.sciencedb.29221", "CSTR:31253.11.sciencedb.29221"),
    ("A0006.11.A0005.201905.000346", "CSTR:A0006.11.A0005.201905.000346"),
    ("CSTR:14804.11.01.60.00023-V01", "CSTR:14804.11.01.60.00023-V01"),
    ("CSTR:17058.11.sciencedb.agriculture.00184", "CSTR:17058.11.sciencedb.agriculture.00184"),
    ("CSTR:10441.11.202607.000041", "CSTR:10441.11.202607.000041"),
    ("CSTR:16389.09.A08V-0001", "CSTR:16389.09.A08V-0001"),
    ("https://cstr.cn/31253.11.sciencedb.29221", "CSTR:31253.11.sciencedb.29221"),
    ("https://identifiers.org/cstr:31253.11.sciencedb.29221", "CSTR:31253.11.sciencedb.29221"),
    ("CSTR:ABCDE.11.x_y-z.1", "CSTR:ABCDE.11.x_y-z.1"),
])
def test_good_cstr(text: str, value: str) -> None:
    cstr = parse_cstr(text)
    assert cstr.value == value
    assert PATTERNS["CstrSyntax"].match(cstr.value)
    assert parse(text) == cstr


@pytest.mark.parametrize(("text", "code", "says"), [
    ("CSTR:CSTR:31253.11.sciencedb.29221", "doubled_prefix", "CSTR:CSTR:"),
    ("cstr:CSTR:31253.11.sciencedb.29221", "doubled_prefix", "cstr:CSTR:"),
    ("https://cstr.cn/CSTR:CSTR:31253.11.x", "doubled_prefix", "CSTR:CSTR"),
    ("CSTR:A006.11.A0001.202006.001024", "agency_prefix", "A006"),
    ("CSTR:A00061.11.x", "agency_prefix", "A00061"),
    ("CSTR:A0-06.11.x", "agency_prefix", "A0-06"),
    ("CSTR:31253.1.x", "resource_type", "'1'"),
    ("CSTR:31253.AB.x", "resource_type", "'AB'"),
    ("CSTR:31253.11", "suffix", "no suffix"),
    ("CSTR:31253.11.", "suffix", "suffix"),
    ("CSTR:31253.11.a..b", "suffix", "empty part"),
    ("CSTR:31253.11.abc!", "suffix", "'!'"),
    ("CSTR:31253.11.abc?x", "suffix", "'?'"),
    ("CSTR:A0006.11.A0001.202013.001024", "month", "202013"),
    ("CSTR:A0006.11.A0001.202006.00x024", "serial", "00x024"),
    (" CSTR:31253.11.sciencedb.1", "whitespace", "at the start"),
    ("CSTR:31253.11.sciencedb.1 ", "whitespace", "at the end"),
    ("CSTR:31253.11.science db.1", "whitespace", "character"),
    ("CSTR:31253.11.sci\u200bence", "whitespace", "invisible"),
    ("CSTR:31253.11." + "x" * 250, "too_long", "255"),
    ("CSTR:10.12213/11.A0001.202006.001024", "is_doi", "DOI"),
    ("", "empty", "empty"),
])
def test_bad_cstr(text: str, code: str, says: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_cstr(text)
    error = caught.value
    assert error.code == code
    assert says in error.en
    assert error.zh and error.zh != error.en
    assert re.search("[\u4e00-\u9fff]", error.zh)  # the Chinese message is Chinese
    assert error.zh in str(error) and error.en in str(error)


@pytest.mark.parametrize(("text", "value"), [
    ("10.12213/11.A0001.202006.001024", "10.12213/11.A0001.202006.001024"),
    ("https://doi.org/10.57760/sciencedb.29221", "10.57760/sciencedb.29221"),
    ("http://dx.doi.org/10.57760/sciencedb.29221", "10.57760/sciencedb.29221"),
    ("doi:10.11922/sciencedb.00053", "10.11922/sciencedb.00053"),
    ("DOI:10.11922/sciencedb.00053", "10.11922/sciencedb.00053"),
    ("https:/doi.org/10.11922/sciencedb.00053", "10.11922/sciencedb.00053"),
    ("10.1000/ABC(1);2:x/y", "10.1000/ABC(1);2:x/y"),
])
def test_good_doi(text: str, value: str) -> None:
    doi = parse_doi(text)
    assert doi.value == value
    assert PATTERNS["DoiSyntax"].match(doi.value)
    assert parse(text) == doi


def test_doi_case_insensitive_key() -> None:
    assert parse_doi("10.57760/SCIENCEDB.29221").key == parse_doi("10.57760/sciencedb.29221").key
    assert parse_doi("10.57760/SciencedB.1").value == "10.57760/SciencedB.1"  # case kept


@pytest.mark.parametrize(("text", "code", "says"), [
    ("11.A0001.202006.001024", "doi_prefix", "start with '10.'"),
    ("12213/11.A0001", "doi_prefix", "start with '10.'"),
    ("10.12/x", "doi_prefix", "'10.12'"),
    ("10.abcde/x", "doi_prefix", "'10.abcde'"),
    ("10.12213", "doi_slash", "'/'"),
    ("10.12213/", "doi_suffix", "no suffix"),
    ("10.12213/a<b", "doi_suffix", "'<'"),
    ("10.12213/a b", "whitespace", "white space"),
    ("10.12213/ab\n", "whitespace", "at the end"),
    ("doi:doi:10.12213/x", "doubled_prefix", "doubled"),
    ("https://doi.org/https://doi.org/10.12213/x", "doubled_prefix", "doubled"),
    ("CSTR:A0006.11.A0001.202006.001024", "is_cstr", "CSTR"),
    ("", "empty", "empty"),
])
def test_bad_doi(text: str, code: str, says: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_doi(text)
    assert caught.value.code == code
    assert says in caught.value.en
    assert re.search("[\u4e00-\u9fff]", caught.value.zh)


def test_parse_neither() -> None:
    with pytest.raises(IdentifierError) as caught:
        parse("hdcat-42")
    assert caught.value.code == "unknown"
    assert isinstance(parse("A0006.11.A0001.202006.001024"), Cstr)
    assert isinstance(parse("doi:10.1234/x"), Doi)


# --------------------------------------------------------------------------- minting


def _minter(data: Path, **settings: str) -> tuple[PrivateState, Minter]:
    state = PrivateState(data / "private.sqlite")
    return state, Minter(state, Settings(data_dir=data, **settings))


def test_settings_defaults_and_environment(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(tmp_path)
    assert (settings.cstr_prefix, settings.cstr_centre, settings.doi_prefix) == (
        "A0006", "A0009", "10.12213")
    monkeypatch.setenv("HDCAT_CSTR_PREFIX", "31253")
    monkeypatch.setenv("HDCAT_DOI_PREFIX", "10.57760")
    (tmp_path / "config.toml").write_text('cstr_centre = "hdcat"\n', encoding="utf-8")
    settings = load_settings(tmp_path)
    assert (settings.cstr_prefix, settings.cstr_centre, settings.doi_prefix) == (
        "31253", "hdcat", "10.57760")


def test_mint_format(tmp_path: Path) -> None:
    state, minter = _minter(tmp_path)
    minted = minter.mint(f"{B}/dataset/new-1", MARCH)
    assert minted == Minted("CSTR:A0006.11.A0009.202503.000001",
                            "10.12213/11.A0009.202503.000001")
    cstr, doi = parse_cstr(minted.cstr), parse_doi(minted.doi)
    assert cstr.agency == "A0006" and cstr.type_code == "11"
    assert doi.suffix == f"{cstr.type_code}.{cstr.suffix}"  # DOI suffix = CSTR suffix
    assert PATTERNS["CstrSyntax"].match(minted.cstr) and PATTERNS["DoiSyntax"].match(minted.doi)
    state.close()
    state, minter = _minter(tmp_path / "other", cstr_prefix="31253", cstr_centre="hdcat",
                            doi_prefix="10.57760")
    assert minter.mint("urn:x:1", MARCH) == Minted("CSTR:31253.11.hdcat.202503.000001",
                                                    "10.57760/11.hdcat.202503.000001")
    state.close()


@pytest.mark.parametrize(("setting", "value"), [
    ("cstr_prefix", "A006"), ("cstr_prefix", "A0006A"), ("cstr_centre", "A0.1"),
    ("cstr_centre", ""), ("doi_prefix", "11.12213"), ("doi_prefix", "10.12213/x"),
])
def test_bad_settings(tmp_path: Path, setting: str, value: str) -> None:
    state = PrivateState(tmp_path / "private.sqlite")
    with pytest.raises(IdentifierError) as caught:
        Minter(state, Settings(data_dir=tmp_path, **{setting: value}))
    assert caught.value.code == "setting" and setting in caught.value.en
    state.close()


def test_serials_monotonic_and_month_rollover(tmp_path: Path) -> None:
    state, minter = _minter(tmp_path)
    march = [minter.mint(f"urn:ds:m{i}", date(2025, 3, 31)).cstr for i in range(3)]
    assert [c.rsplit(".", 2)[1:] for c in march] == [
        ["202503", "000001"], ["202503", "000002"], ["202503", "000003"]]
    april = minter.mint("urn:ds:a0", date(2025, 4, 1))
    assert april.cstr.endswith(".202504.000001")
    assert minter.mint("urn:ds:m3", date(2025, 3, 2)).cstr.endswith(".202503.000004")
    assert minter.mint("urn:ds:a1", date(2025, 4, 30)).doi.endswith(".202504.000002")
    state.close()


def test_same_dataset_same_identifiers(tmp_path: Path) -> None:
    state, minter = _minter(tmp_path)
    first = minter.mint("urn:ds:1", MARCH)
    assert minter.mint("urn:ds:1", date(2026, 1, 1)) == first  # never changed
    assert minter.mint("urn:ds:2", MARCH).cstr.endswith(".000002")  # no serial consumed
    state.close()


def test_persistence_never_reused(tmp_path: Path) -> None:
    state, minter = _minter(tmp_path)
    minted = [minter.mint(f"urn:ds:{i}", MARCH) for i in range(5)]
    state.close()
    state, minter = _minter(tmp_path)  # reopened: the counter and the record survive
    again = minter.mint("urn:ds:5", MARCH)
    assert again.cstr.endswith(".000006")
    table = Identifiers(state)
    assert table.find(minted[2].doi.lower()).dataset == "urn:ds:2"  # DOI in any case
    assert table.find(minted[2].cstr).kind == "cstr"
    assert len(table.all()) == 12 and len(table.unregistered()) == 12
    with state.locked(write=True) as db, pytest.raises(sqlite3.DatabaseError, match="never"):
        db.execute("UPDATE identifier SET dataset = 'urn:other' WHERE id = ?", (again.cstr,))
    with state.locked(write=True) as db, pytest.raises(sqlite3.DatabaseError, match="never"):
        db.execute("DELETE FROM identifier WHERE id = ?", (again.doi,))
    assert table.find(again.cstr).dataset == "urn:ds:5"
    state.close()


def test_reserved_identifiers_are_skipped(tmp_path: Path) -> None:
    state, minter = _minter(tmp_path)
    ids = minter.identifiers
    ids.reserve("CSTR:A0006.11.A0009.202503.000001", "urn:harvested:1")
    ids.reserve("10.12213/11.A0009.202503.000002", "urn:harvested:2")
    assert minter.mint("urn:ds:1", MARCH).cstr.endswith(".000003")
    with pytest.raises(IdentifierError) as caught:
        ids.reserve("cstr:A0006.11.A0009.202503.000003", "urn:harvested:3")
    assert caught.value.code == "taken" and "urn:ds:1" in caught.value.en
    assert ids.reserve("CSTR:A0006.11.A0009.202503.000001", "urn:harvested:1").origin == \
        "reserved"
    assert [r.dataset for r in ids.unregistered()] == ["urn:ds:1", "urn:ds:1"]
    state.close()


def test_eight_threads_unique_without_gap(tmp_path: Path) -> None:
    """8 real threads, half sharing one Minter, half with their own connection each."""
    state, shared = _minter(tmp_path)
    per_thread = 60
    results: list[tuple[str, Minted]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def work(n: int) -> None:
        own_state = None
        minter = shared
        if n % 2:
            own_state, minter = _minter(tmp_path)
        barrier.wait()
        try:
            for i in range(per_thread):
                iri = f"urn:thread{n}:{i}"
                minted = minter.mint(iri, MARCH)
                with lock:
                    results.append((iri, minted))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            if own_state is not None:
                own_state.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    total = 8 * per_thread
    assert len({m.cstr for _i, m in results}) == total
    assert len({m.doi.upper() for _i, m in results}) == total
    serials = sorted(int(m.cstr.rsplit(".", 1)[1]) for _i, m in results)
    assert serials == list(range(1, total + 1))
    table = Identifiers(state)
    assert all(table.find(m.cstr).dataset == iri for iri, m in results)
    state.close()


def test_bench_two_processes(tmp_path: Path) -> None:
    """bench/identifiers.py: 2 processes x 4 threads on one data folder."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "identifiers.py"), "--count", "300",
         "--processes", "2", "--threads", "4", "--data", str(tmp_path), "--json"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert result["ok"] and result["minted"] == 300 and result["error_count"] == 0
    assert all(result["checks"].values())
    state = PrivateState(tmp_path / "private.sqlite")
    assert len(Identifiers(state).all()) == 600
    state.close()


# --------------------------------------------------------------------------- the demo catalog


HARVESTED = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix adms: <http://www.w3.org/ns/adms#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix hdcat: <https://w3id.org/hdcat/ns#> .
<https://harvest.example.org/ds/mixed> a dcat:Dataset ;
    dct:title "大小写混合的 DOI"@zh , "Mixed-case DOI"@en ;
    dct:publisher <https://hdcat.example.org/agent/nphdc> ;
    adms:identifier <https://harvest.example.org/ds/mixed#doi> .
<https://harvest.example.org/ds/mixed#doi> a adms:Identifier ;
    skos:notation "10.5555/MiXeD.Case-1"^^hdcat:DOI .
<https://harvest.example.org/ds/url> a dcat:Dataset ;
    dct:title "以网址写的 DOI"@zh , "DOI written as a URL"@en ;
    dct:publisher <https://hdcat.example.org/agent/nphdc> ;
    dct:identifier "https://doi.org/10.5555/AsUrl.2" .
"""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    data = tmp_path_factory.mktemp("identifiers")
    cat = Catalog(Settings(data_dir=data))
    report = cat.initialize(demo=True)
    assert report is not None and report.ok
    extra = data / "harvested.ttl"
    extra.write_text(HARVESTED, encoding="utf-8")
    assert cat.load([extra], validate=False).ok
    yield cat
    cat.close()


@pytest.fixture(scope="module")
def state(catalog: Catalog) -> Iterator[PrivateState]:
    st = PrivateState(catalog.settings.data_dir / "private.sqlite")
    yield st
    st.close()


@pytest.fixture(scope="module")
def minted(catalog: Catalog, state: PrivateState) -> dict[str, Minted]:
    minter = Minter(state, catalog.settings)
    return {
        "gone": minter.mint(f"{B}/dataset/withdrawn-example", MARCH),
        "foreign": minter.mint("https://other.example.net/dataset/x", MARCH),
        "body11": minter.mint(BODY11, MARCH),
    }


@pytest.fixture(scope="module")
def app(catalog: Catalog, minted: dict[str, Minted]) -> Flask:
    flask_app = create_app(catalog)
    flask_app.testing = True
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_identifier_triples_pass_the_profile(catalog: Catalog) -> None:
    """A demo record with its identifiers replaced by minted ones still validates (full
    profile, health rules: a CSTR adms:identifier, CSTR and DOI syntax)."""
    record, _ds = catalog.find_record(DM)
    ds = ox.NamedNode(DM)
    old = {ox.NamedNode(DM + "#cstr"), ox.NamedNode(DM + "#doi")}
    ident = ("/identifier", "#identifier")
    kept = [t for t in catalog.record_triples(record)
            if t.subject not in old
            and not (t.subject == ds and t.predicate.value.endswith(ident))]
    new = Minted("CSTR:A0006.11.A0009.202503.000777", "10.12213/11.A0009.202503.000777")
    added = identifier_triples(DM, new)
    assert ox.Triple(ds, ox.NamedNode("http://purl.org/dc/terms/identifier"),
                     ox.Literal(new.cstr)) in added
    reports = catalog.validate_triples(kept + added, source="test")
    assert reports and all(r.conforms for r in reports), [r.describe() for r in reports]
    bad = [t if t.object != ox.Literal(new.cstr, datatype=ox.NamedNode(
        "https://w3id.org/hdcat/ns#CSTR")) else ox.Triple(t.subject, t.predicate, ox.Literal(
            "CSTR:CSTR:" + new.cstr[5:], datatype=t.object.datatype)) for t in added]
    reports = catalog.validate_triples(kept + bad, source="test")
    assert not all(r.conforms for r in reports)  # the shapes refuse what parse_cstr refuses


def test_resolve_in_core(catalog: Catalog, state: PrivateState,
                         minted: dict[str, Minted]) -> None:
    table = Identifiers(state)
    assert resolve(catalog, table, "CSTR:A0006.11.A0005.202006.001018") == DM
    assert resolve(catalog, None, "10.12213/11.a0005.202006.001018") == DM
    assert resolve(catalog, None, "10.57760/SCIENCEDB.31917") == SDB
    assert resolve(catalog, table, minted["gone"].doi) == f"{B}/dataset/withdrawn-example"
    assert resolve(catalog, None, minted["gone"].doi) is None  # not in the store
    assert resolve(catalog, table, "CSTR:A0006.11.A0009.199901.000001") is None


@pytest.mark.parametrize(("path", "target"), [
    ("/cstr/CSTR:A0006.11.A0005.202006.001018", "/dataset/dm-complications-2020"),
    ("/cstr/A0006.11.A0005.202006.001018", "/dataset/dm-complications-2020"),
    ("/cstr/cstr:31253.11.sciencedb.31917", "/dataset/breast-pathology-wsi"),
    ("/doi/10.12213/11.A0005.202006.001018", "/dataset/dm-complications-2020"),
    ("/doi/10.12213/11.a0005.202006.001018", "/dataset/dm-complications-2020"),
    ("/doi/doi:10.57760/SCIENCEDB.31917", "/dataset/breast-pathology-wsi"),
    ("/doi/10.12213/11.A0004.201905.002348", "/dataset/body-composition-v1"),
    # harvested records: a DOI compared without regard to case (scan), a DOI written as a URL
    ("/doi/10.5555/mIxEd.cASE-1",
     "/resource?iri=https%3A%2F%2Fharvest.example.org%2Fds%2Fmixed"),
    ("/doi/10.5555/asurl.2", "/resource?iri=https%3A%2F%2Fharvest.example.org%2Fds%2Furl"),
    ("/doi/10.5555/AsUrl.2", "/resource?iri=https%3A%2F%2Fharvest.example.org%2Fds%2Furl"),
])
def test_resolver_demo_identifiers(client: FlaskClient, path: str, target: str) -> None:
    r = client.get(path)
    assert r.status_code == 302, (path, r.status_code, r.data[:200])
    assert r.headers["Location"] == target
    assert client.get(r.headers["Location"]).status_code == 200


def test_resolver_minted(client: FlaskClient, minted: dict[str, Minted]) -> None:
    for value in (minted["body11"].cstr, minted["body11"].doi.lower()):
        kind = "cstr" if value.startswith("CSTR") else "doi"
        r = client.get(f"/{kind}/{value}")
        assert r.status_code == 302 and r.headers["Location"] == "/dataset/body-composition-v1-1"
    # the dataset is not (no longer) in the store: still resolves, to its page
    r = client.get(f"/cstr/{minted['gone'].cstr}")
    assert r.status_code == 302 and r.headers["Location"] == "/dataset/withdrawn-example"
    r = client.get(f"/doi/{minted['gone'].doi}")
    assert r.headers["Location"] == "/dataset/withdrawn-example"
    r = client.get(f"/doi/{minted['foreign'].doi}")
    assert r.status_code == 302
    assert r.headers["Location"] == "/resource?iri=https%3A%2F%2Fother.example.net%2Fdataset%2Fx"


def test_resolver_keeps_the_query(client: FlaskClient) -> None:
    r = client.get("/cstr/CSTR:A0006.11.A0005.202006.001018?format=ttl")
    assert r.headers["Location"] == "/dataset/dm-complications-2020?format=ttl"
    page = client.get(r.headers["Location"])
    assert page.status_code == 200 and page.mimetype == "text/turtle"
    assert b"A0006.11.A0005.202006.001018" in page.data


def test_resolver_unknown_and_malformed(client: FlaskClient) -> None:
    assert client.get("/cstr/CSTR:A0006.11.A0009.199901.000001").status_code == 404
    assert client.get("/doi/10.9999/nothing.here").status_code == 404
    r = client.get("/cstr/CSTR:CSTR:A0006.11.A0005.202006.001018",
                   headers={"Accept": "text/plain"})
    assert r.status_code == 400 and r.mimetype == "text/plain"
    text = r.get_data(as_text=True)
    assert "CSTR:CSTR:" in text and "doubled" in text and "重复" in text
    r = client.get("/cstr/CSTR:A006.11.x", headers={"Accept": "text/html"})
    assert r.status_code == 400 and r.mimetype == "text/html"
    assert "A006" in r.get_data(as_text=True)
    r = client.get("/doi/12213/11.A0005", headers={"Accept": "text/plain"})
    assert r.status_code == 400 and "10." in r.get_data(as_text=True)
    r = client.get("/doi/10.12213/11.A0005%20x", headers={"Accept": "text/plain"})
    assert r.status_code == 400 and "white space" in r.get_data(as_text=True)
    r = client.get("/doi/CSTR:A0006.11.A0005.202006.001018", headers={"Accept": "text/plain"})
    assert r.status_code == 400 and "not a DOI" in r.get_data(as_text=True)


# --------------------------------------------------------------------------- export


def _datacite(catalog: Catalog, iri: str, **kw: object) -> ET.Element:
    body = agency_export.datacite_xml(catalog, iri, **kw)
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(body)
    assert root.tag == DC + "resource"
    try:  # the same with lxml, when it is installed
        from lxml import etree

        assert etree.fromstring(body).tag == DC + "resource"
    except ImportError:
        pass
    return root


def _check_structure(root: ET.Element) -> None:
    """The DataCite 4.5 rules the export relies on: required properties, controlled lists,
    the order inside <creator>, a four-digit year."""
    for tag in ("identifier", "creators", "titles", "publisher", "publicationYear",
                "resourceType"):
        assert root.find(DC + tag) is not None, tag
    assert root.find(DC + "identifier").get("identifierType") == "DOI"
    assert re.fullmatch(r"\d{4}", root.findtext(DC + "publicationYear"))
    assert root.find(DC + "resourceType").get("resourceTypeGeneral") == "Dataset"
    for creator in root.iter(DC + "creator"):
        tags = [c.tag[len(DC):] for c in creator]
        assert tags[0] == "creatorName" and creator[0].text
        order = ["creatorName", "givenName", "familyName", "nameIdentifier", "affiliation"]
        assert tags == sorted(tags, key=order.index)
        assert creator[0].get("nameType") in NAME_TYPES
    for title in root.iter(DC + "title"):
        assert title.get("titleType") in (None, *TITLE_TYPES) and title.text
    for d in root.iter(DC + "date"):
        assert d.get("dateType") in DATE_TYPES and d.text
    for d in root.iter(DC + "description"):
        assert d.get("descriptionType") in DESCRIPTION_TYPES and d.text
    for rel in root.iter(DC + "relatedIdentifier"):
        assert rel.get("relationType") in RELATION_TYPES
        assert rel.get("relatedIdentifierType") in RELATED_ID_TYPES and rel.text
    for wrapper in root:
        assert wrapper.tag.startswith(DC)


def test_datacite_demo_dataset(catalog: Catalog, state: PrivateState) -> None:
    root = _datacite(catalog, BODY10)
    _check_structure(root)
    assert root.findtext(DC + "identifier") == "10.12213/11.A0004.201905.002348"
    titles = root.findall(f"{DC}titles/{DC}title")
    assert titles[0].get(XML_LANG) == "zh" and titles[0].get("titleType") is None
    assert {t.get(XML_LANG) for t in titles} == {"zh", "en"}
    assert titles[1].get("titleType") == "TranslatedTitle"
    assert root.find(DC + "publisher").text == "国家人口健康科学数据中心"
    assert root.findtext(DC + "publicationYear") == "2019"
    alt = root.find(f"{DC}alternateIdentifiers/{DC}alternateIdentifier")
    assert alt.get("alternateIdentifierType") == "CSTR"
    assert alt.text == "CSTR:A0006.11.A0004.201905.002348"
    related = {(r.get("relationType"), r.text)
               for r in root.iter(DC + "relatedIdentifier")}
    assert ("IsPreviousVersionOf", "10.12213/11.A0004.202101.002361") in related
    rights = root.findall(f"{DC}rightsList/{DC}rights")
    assert any(r.get("rightsIdentifier") == "CC-BY-4.0" and r.get("rightsIdentifierScheme")
               == "SPDX" for r in rights)
    assert any(r.get("rightsURI") == "info:eu-repo/semantics/openAccess" for r in rights)
    descriptions = root.findall(f"{DC}descriptions/{DC}description")
    assert {d.get(XML_LANG) for d in descriptions} == {"zh", "en"}
    assert root.findtext(DC + "language") == "zh"
    assert root.findtext(DC + "version") == "1.0"
    subjects = [s.text for s in root.iter(DC + "subject")]
    assert "人体成分" in subjects and "body composition" in subjects
    kinds = {c.get("nameType") for c in root.iter(DC + "creatorName")}
    assert kinds == {"Personal", "Organizational"}

    newer = _datacite(catalog, BODY11, lang="en")
    _check_structure(newer)
    related = {(r.get("relationType"), r.get("relatedIdentifierType"), r.text)
               for r in newer.iter(DC + "relatedIdentifier")}
    assert ("IsNewVersionOf", "DOI", "10.12213/11.A0004.201905.002348") in related
    assert ("IsCitedBy", "DOI", "10.5555/hdcat.2021.0815") in related
    assert newer.findall(f"{DC}titles/{DC}title")[0].get(XML_LANG) == "en"
    assert newer.find(DC + "creators")[0][0].get(XML_LANG) == "en"


def test_datacite_lineage(catalog: Catalog, state: PrivateState,
                          minted: dict[str, Minted]) -> None:
    root = _datacite(catalog, DM)
    _check_structure(root)
    related = {(r.get("relationType"), r.text) for r in root.iter(DC + "relatedIdentifier")}
    assert ("IsSourceOf", "10.12213/11.A0005.202109.002101") in related  # dm-complications-stats
    assert ("IsCitedBy", "10.5555/hdcat.2021.0101") in related
    derived = _datacite(catalog, WGS)
    related = {(r.get("relationType"), r.get("relatedIdentifierType"), r.text)
               for r in derived.iter(DC + "relatedIdentifier")}
    # the raw source has a CSTR but no DOI: it is linked by its URL
    assert ("IsDerivedFrom", "URL", f"{B}/dataset/ngdc-wgs-raw") in related
    # the identifiers minted here win over those the record states
    mine = _datacite(catalog, BODY11, identifiers=Identifiers(state))
    assert mine.findtext(DC + "identifier") == minted["body11"].doi
    assert mine.findtext(f"{DC}alternateIdentifiers/{DC}alternateIdentifier") == \
        minted["body11"].cstr


def test_datacite_errors(catalog: Catalog) -> None:
    with pytest.raises(agency_export.ExportError) as caught:
        agency_export.datacite_xml(catalog, f"{B}/dataset/withdrawn-example")
    assert caught.value.code == "not_in_catalog"
    with pytest.raises(agency_export.ExportError) as caught:
        agency_export.datacite_xml(catalog, f"{B}/dataset/ngdc-wgs-raw")  # CSTR, no DOI
    assert caught.value.code == "no_doi"


def test_cstr_metadata_demo(catalog: Catalog) -> None:
    entry = agency_export.cstr_metadata(catalog, DM)
    assert set(entry) >= CSTR_FIELDS
    assert entry["identifier"] == "CSTR:A0006.11.A0005.202006.001018"
    assert entry["resourceType"] == "11"
    assert entry["alternativeIdentifiers"] == [
        {"identifierType": "04", "identifierValue": "10.12213/11.A0005.202006.001018"}]
    assert entry["urls"] == [DM]
    assert entry["resourceChineseName"] and re.search("[\u4e00-\u9fff]",
                                                      entry["resourceChineseName"])
    assert entry["resourceName"] and not re.search("[\u4e00-\u9fff]", entry["resourceName"])
    assert entry["publicationDate"] == "2020-06-15" or re.fullmatch(
        r"\d{4}-\d{2}-\d{2}", entry["publicationDate"])
    assert entry["registerOrganizationCN"] == "国家人口健康科学数据中心"
    assert entry["creators"] and all(c["creatorNameCN"] for c in entry["creators"])
    assert entry["subjectClassifications"][0]["subjectNameStandard"] == "01"
    assert entry["subjectClassifications"][0]["subjectName"] == ["320"]  # clinical medicine
    assert entry["subjectClassifications"][0]["keyWordsCN"]
    assert entry["shareRange"] in {"完全共享", "有条件共享", "延期开放", "不开放"}
    assert len(entry["descriptionCN"]) <= 1024
    batch = agency_export.cstr_batch([entry, agency_export.cstr_metadata(catalog, SDB)])
    assert set(batch) == {"A0006", "31253"}
    assert batch["31253"]["metadatas"][0]["identifier"] == "CSTR:31253.11.sciencedb.31917"


def test_export_all_and_mark_registered(catalog: Catalog, tmp_path: Path) -> None:
    state = PrivateState(tmp_path / "private.sqlite")  # a record of its own
    minter = Minter(state, catalog.settings)
    a = minter.mint(DM_STATS, MARCH)
    b = minter.mint(BODY10, MARCH)
    minter.mint(f"{B}/dataset/withdrawn-example", MARCH)
    out = tmp_path / "out"
    report = agency_export.export(catalog, state, out)
    assert {i.dataset for i in report.items} == {DM_STATS, BODY10}
    assert [d for d, _why in report.skipped] == [f"{B}/dataset/withdrawn-example"]
    batch = json.loads((out / "cstr-A0006.json").read_text("utf-8"))
    assert batch["prefix"] == "A0006"
    assert {m["identifier"] for m in batch["metadatas"]} == {a.cstr, b.cstr}
    xml_files = sorted(out.glob("datacite-*.xml"))
    assert len(xml_files) == 2
    dois = {ET.parse(f).getroot().findtext(DC + "identifier") for f in xml_files}
    assert dois == {a.doi, b.doi}
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert {d["doi"] for d in manifest["datasets"]} == {a.doi, b.doi}
    assert all(d["url"].startswith(B + "/dataset/") for d in manifest["datasets"])

    ids = Identifiers(state)
    assert ids.mark_registered([a.doi.lower(), a.cstr, "10.1234/unknown"]) == ["10.1234/unknown"]
    assert ids.find(a.doi).registered is not None
    report = agency_export.export(catalog, state, tmp_path / "out2")
    by_dataset = {i.dataset: i for i in report.items}
    assert set(by_dataset) == {BODY10}  # DM_STATS is registered now
    ids.mark_registered([b.cstr])
    report = agency_export.export(catalog, state, tmp_path / "out3")
    assert [i.files for i in report.items] == [[f"datacite-{b.doi.replace('/', '_')}.xml"]]
    state.close()


# --------------------------------------------------------------------------- CLI


def _cli(catalog: Catalog, *args: str):  # noqa: ANN202 - click's Result
    runner = CliRunner()
    return runner.invoke(main, ["--data", str(catalog.settings.data_dir), *args],
                         obj={"catalog": catalog})


def test_cli_check(catalog: Catalog) -> None:
    r = _cli(catalog, "identifiers", "check", "cstr:31253.11.sciencedb.29221",
             "https://doi.org/10.57760/sciencedb.29221")
    assert r.exit_code == 0, r.output
    assert "CSTR CSTR:31253.11.sciencedb.29221" in r.output
    assert "DOI 10.57760/sciencedb.29221" in r.output
    r = _cli(catalog, "identifiers", "check", "CSTR:CSTR:31253.11.x")
    assert r.exit_code == 1 and "doubled" in r.output and "重复" in r.output


def test_cli_export_and_mark(catalog: Catalog, state: PrivateState, minted: dict[str, Minted],
                             tmp_path: Path) -> None:
    r = _cli(catalog, "identifiers", "export", "--dataset", DM, "-o", str(tmp_path / "one"))
    assert r.exit_code == 0, r.output
    assert (tmp_path / "one" / "datacite-10.12213_11.A0005.202006.001018.xml").exists()
    assert json.loads((tmp_path / "one" / "cstr-A0006.json").read_text("utf-8"))[
        "metadatas"][0]["identifier"] == "CSTR:A0006.11.A0005.202006.001018"

    r = _cli(catalog, "identifiers", "export", "--all", "-o", str(tmp_path / "all"))
    assert r.exit_code == 0, r.output
    manifest = json.loads((tmp_path / "all" / "manifest.json").read_text("utf-8"))
    assert {d["dataset"] for d in manifest["datasets"]} == {BODY11}
    assert {d["dataset"] for d in manifest["skipped"]} == {
        f"{B}/dataset/withdrawn-example", "https://other.example.net/dataset/x"}
    assert "skipped" in r.output

    r = _cli(catalog, "identifiers", "mark-registered", minted["body11"].cstr,
             minted["body11"].doi)
    assert r.exit_code == 0, r.output
    assert Identifiers(state).find(minted["body11"].cstr).registered is not None
    r = _cli(catalog, "identifiers", "mark-registered", "10.1234/not.minted")
    assert r.exit_code != 0 and "not minted here" in r.output
    r = _cli(catalog, "identifiers", "mark-registered", "CSTR:CSTR:1")
    assert r.exit_code != 0 and "doubled" in r.output
    r = _cli(catalog, "identifiers", "export", "-o", str(tmp_path / "none"))
    assert r.exit_code != 0 and "--dataset" in r.output
    r = _cli(catalog, "identifiers", "export", "--dataset", f"{B}/dataset/nope", "-o",
             str(tmp_path / "nope"))
    assert r.exit_code != 0 and "no dataset" in r.output
