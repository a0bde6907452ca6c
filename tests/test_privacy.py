"""The privacy guard: personal data in metadata refuses the record, naming field and kind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from hdcat import resources
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.privacy import find_personal_data, is_resident_id, scan

DCT = "http://purl.org/dc/terms/"


def test_resident_id_check_digit_and_birth_date() -> None:
    assert is_resident_id("11010519491231002X")
    assert is_resident_id("11010519491231002x")
    assert not is_resident_id("110105194912310021")  # wrong check digit
    assert not is_resident_id("110105194913310028")  # no 13th month
    assert not is_resident_id("1101051949123100")  # too short


@pytest.mark.parametrize("text, kinds", [
    ("随访患者身份证 11010519491231002X 已脱敏", ["resident-id"]),
    ("样本编号 110105194912310021", []),  # 18 digits, not a valid ID: a sample number
    ("联系电话 13812345678", ["mobile"]),
    ("call +86 138-1234-5678", ["mobile"]),
    ("电话 010-12345678", []),  # an institutional landline
    ("questions to zhang.san@gmail.com", ["email"]),
    ("questions to data@chinacdc.cn", []),  # an institutional service mailbox
    ("1,234,567 records from 2010 to 2020", []),
])
def test_find_personal_data(text: str, kinds: list[str]) -> None:
    assert [k.code for k, _ in find_personal_data(text)] == kinds


def test_hits_name_field_and_kind_and_mask_the_value() -> None:
    ds = ox.NamedNode("https://x.example.org/dataset/1")
    contact = ox.NamedNode("https://x.example.org/dataset/1#contact")
    triples = [
        ox.Triple(ds, ox.NamedNode(DCT + "description"),
                  ox.Literal("由李四(身份证 11010519491231002X)提供", language="zh")),
        ox.Triple(ds, ox.NamedNode(DCT + "identifier"), ox.Literal("11010519491231002X")),
        ox.Triple(contact, ox.NamedNode("http://www.w3.org/2006/vcard/ns#hasEmail"),
                  ox.NamedNode("mailto:lisi@163.com")),
    ]
    results = scan(triples)
    assert len(results) == 2  # an identifier literal is a code, not text
    by_path = {str(r.path): r for r in results}
    desc = by_path[DCT + "description"]
    assert "dct:description (zh)" in desc.message("zh") and "身份证号" in desc.message("zh")
    assert "resident ID number" in desc.message("en")
    assert "11010519491231002X" not in desc.message("zh") + desc.message("en") + str(desc.value)
    mail = by_path["http://www.w3.org/2006/vcard/ns#hasEmail"]
    assert mail.severity == "Violation" and "机构邮箱" in mail.message("zh")


def test_demo_catalog_is_clean() -> None:
    triples = [q.triple for q in ox.parse(path=str(resources.demo_catalog()),
                                          format=ox.RdfFormat.TURTLE)]
    assert scan(triples) == []


def _leaky(tmp_path: Path) -> Path:
    """The demo catalog with a mobile number in one dataset's description."""
    text = resources.demo_catalog().read_text("utf-8")
    marker = "dct:description "
    start = text.index("<https://hdcat.example.org/dataset/adult-tobacco-survey> a")
    at = text.index(marker, start)
    path = tmp_path / "leaky.ttl"
    path.write_text(text[:at] + 'dct:description "负责人手机 13912345678"@zh, ' +
                    text[at + len(marker):], encoding="utf-8")
    return path


@pytest.mark.parametrize("validate", [True, False])
def test_load_refuses_the_record_with_personal_data(tmp_path: Path, validate: bool) -> None:
    catalog = Catalog(Settings(data_dir=tmp_path / "data"))
    catalog.initialize()
    report = catalog.load([_leaky(tmp_path)], validate=validate)
    refused = {r.subject for r in report.refused}
    assert refused == {"https://hdcat.example.org/dataset/adult-tobacco-survey"}
    assert catalog.find_record("https://hdcat.example.org/dataset/adult-tobacco-survey") is None
    assert catalog.find_record("https://hdcat.example.org/dataset/adr-reports-gd-2022")
    message = report.refused[0].results[-1].message("zh")
    assert "dct:description (zh)" in message and "手机号码" in message
    catalog.close()


def test_cli_load_exits_non_zero(tmp_path: Path) -> None:
    data = tmp_path / "data"
    hdcat = [sys.executable, "-m", "hdcat.cli", "--data", str(data)]
    subprocess.run([*hdcat, "init"], check=True, capture_output=True)
    done = subprocess.run([*hdcat, "load", str(_leaky(tmp_path))], capture_output=True,
                          text=True)
    assert done.returncode != 0
    assert "mobile phone number" in done.stdout + done.stderr or "手机号码" in (
        done.stdout + done.stderr)
