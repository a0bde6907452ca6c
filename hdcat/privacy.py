"""Privacy guard: metadata must not carry personal data.

Every text literal of a record is scanned for Chinese resident identity numbers (18 characters
with a valid GB 11643 check digit and a plausible birth date), mainland mobile numbers, and
free-mail addresses (qq.com, 163.com, gmail.com...) in free text; contact e-mails must be
institutional too (an institutional address in free text is a service mailbox and allowed).
A hit is a Violation naming the field and the kind of personal data in zh and en, so the
record is refused like any other invalid record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox
from rdflib import Literal, URIRef

from hdcat.terms import to_rdflib
from hdcat.validation import Result

COMPONENT = URIRef("https://w3id.org/hdcat/ns#PrivacyGuardComponent")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_VCARD_EMAIL = "http://www.w3.org/2006/vcard/ns#hasEmail"
_FOAF_MBOX = "http://xmlns.com/foaf/0.1/mbox"
# Literals that are identifiers or codes, not text written by people.
_NOT_TEXT = frozenset({
    "http://purl.org/dc/terms/identifier",
    "http://www.w3.org/2004/02/skos/core#notation",
    "http://www.w3.org/ns/dcat#version",
    "http://www.w3.org/ns/adms#versionNotes",
    "http://spdx.org/rdf/terms#checksumValue",
})
FREE_MAIL = frozenset({
    "qq.com", "vip.qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "vip.163.com",
    "sina.com", "sina.cn", "sohu.com", "139.com", "189.cn", "wo.cn", "aliyun.com",
    "gmail.com", "googlemail.com", "hotmail.com", "outlook.com", "live.com", "msn.com",
    "yahoo.com", "yahoo.com.cn", "icloud.com", "me.com", "protonmail.com", "proton.me",
})

_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
# What every pattern above needs (an identity number holds 7 digits in a row, a mobile
# number 3 and 4 with at most a separator between, an address an @): text without it is
# passed over without running the three.
_MAY_HOLD = re.compile(r"\d{3}[ -]?\d{4}|@")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


@dataclass(frozen=True)
class Kind:
    code: str
    zh: str
    en: str


RESIDENT_ID = Kind("resident-id", "身份证号", "resident ID number")
MOBILE = Kind("mobile", "手机号码", "mobile phone number")
EMAIL = Kind("email", "个人电子邮箱", "personal e-mail address")


def is_resident_id(text: str) -> bool:
    """An 18-character mainland resident identity number with a valid check digit and birth
    date (GB 11643-1999)."""
    if len(text) != 18 or not text[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], _WEIGHTS, strict=True))
    if _CHECK[total % 11] != text[17].upper():
        return False
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def find_personal_data(text: str, in_free_text: bool = True) -> list[tuple[Kind, str]]:
    """The personal data in a piece of text: (kind, the matching part masked)."""
    found: list[tuple[Kind, str]] = []
    if _MAY_HOLD.search(text) is None:
        return found
    for match in _ID_CANDIDATE.finditer(text):
        if is_resident_id(match.group(1)):
            found.append((RESIDENT_ID, _mask(match.group(1))))
    for match in _MOBILE.finditer(text):
        found.append((MOBILE, _mask("".join(match.groups()))))
    if in_free_text:
        for match in _EMAIL.finditer(text):
            if match.group(1).lower() in FREE_MAIL:
                found.append((EMAIL, _mask(match.group(0))))
    return found


def _mask(value: str) -> str:
    """Enough of a value to find it, not enough to copy it into a report."""
    return value[:3] + "*" * max(len(value) - 5, 1) + value[-2:]


def _is_text(literal: ox.Literal) -> bool:
    return literal.datatype.value in (_XSD_STRING, _LANG_STRING)


def _local(iri: str) -> str:
    for prefix, short in (("http://purl.org/dc/terms/", "dct:"), ("http://www.w3.org/ns/dcat#",
                          "dcat:"), ("http://www.w3.org/2006/vcard/ns#", "vcard:"),
                          ("http://www.w3.org/2000/01/rdf-schema#", "rdfs:"),
                          ("http://xmlns.com/foaf/0.1/", "foaf:"),
                          ("http://www.w3.org/2004/02/skos/core#", "skos:")):
        if iri.startswith(prefix):
            return short + iri[len(prefix):]
    return iri


def _result(t: ox.Triple, kind: Kind, masked: str, why_zh: str = "", why_en: str = "") -> Result:
    field = _local(t.predicate.value)
    where = f" ({t.object.language})" if isinstance(t.object, ox.Literal) and t.object.language \
        else ""
    zh = (f"{field}{where} 含有个人信息:{kind.zh}({masked})。元数据不得包含个人信息"
          f"{why_zh},请删除。")
    en = (f"{field}{where} contains personal data: a {kind.en} ({masked}). Metadata must not"
          f" carry personal data{why_en}; remove it.")
    value = t.object
    return Result(
        focus=to_rdflib(t.subject),
        path=URIRef(t.predicate.value),
        value=Literal(masked) if isinstance(value, ox.Literal) else to_rdflib(value),
        component=COMPONENT,
        severity="Violation",
        shape=None,
        messages={"zh": zh, "en": en},
        engine="privacy",
    )


def scan(triples: Iterable[ox.Triple]) -> list[Result]:
    """Violations for the personal data in a record's triples."""
    results: list[Result] = []
    for t in triples:
        obj = t.object
        predicate = t.predicate.value
        if predicate in (_VCARD_EMAIL, _FOAF_MBOX):
            address = obj.value.removeprefix("mailto:") if isinstance(
                obj, (ox.NamedNode, ox.Literal)) else ""
            domain = address.rpartition("@")[2].lower()
            if domain in FREE_MAIL:
                results.append(_result(t, EMAIL, _mask(address),
                                       ":联系邮箱应为机构邮箱",
                                       ": a contact e-mail is an institutional address"))
            continue
        if not isinstance(obj, ox.Literal) or not _is_text(obj) or predicate in _NOT_TEXT:
            continue
        for kind, masked in find_personal_data(obj.value):
            results.append(_result(t, kind, masked))
    return results
