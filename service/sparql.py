"""The public SPARQL 1.1 endpoint (read-only), its HTML query page, service description, VoID.

Routes
------
* ``/sparql`` -- SPARQL 1.1 Protocol: GET ``?query=``, POST form (``query``), POST
  ``application/sparql-query``. Results by Accept or ``?format=`` (json xml csv tsv for
  SELECT/ASK; ttl jsonld nt rdf for CONSTRUCT/DESCRIBE). Without a query: the HTML page for
  browsers, else the SPARQL Service Description (Turtle, or another RDF type by Accept).
* ``/sparql/ui`` -- the HTML page (editor, examples, result table, downloads).
* ``/.well-known/void`` -- the VoID description of the catalog.

The default graph is the union of all graphs. Updates, ``SERVICE`` and dataset parameters
(``default-graph-uri`` / ``named-graph-uri``) are refused.

Limits. At most ``settings.result_limit`` rows (or triples) are returned; a cut result carries
``X-Hdcat-Truncated: true``. At most N queries run at once (``app.config["SPARQL_WORKERS"]``);
a request that finds them all busy waits ``SPARQL_QUEUE_WAIT`` seconds, then gets 503 with
Retry-After. Every query has ``settings.query_timeout`` seconds (504 after that).

How the timeout really stops a query. pyoxigraph cannot cancel a query, so on an embedded
on-disk store queries run in a pool of worker processes (started with ``subprocess``, joined by
socket pairs), each holding the store opened read-only (``EmbeddedStore(path, read_only=True)``).
A worker that overruns is killed
(SIGKILL) and replaced in the background; the others keep answering. A read-only store sees
the data as of its opening, so each job carries the writer's ``EmbeddedStore.generation`` and a
worker re-opens its store when that changed. A remote store is queried from the request thread
with a total deadline (``RemoteStore.open_query``): the connection is closed at the deadline
and the server's own timeout (Oxigraph ``--timeout-s``) stops the evaluation. An in-memory
embedded store (tests, demos) cannot be opened by another process: there the deadline is only
checked between results.

Graph lookups. A query that only reads the triples of one named graph given by IRI (the
``CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <record> { ?s ?p ?o } }`` an integrator runs for each
record; :func:`graph_lookup` says which) costs one index range of that graph. On an embedded
on-disk store it is answered in the request thread from the server's own store, sparing the
worker round trip (on a busy machine, the wait for two processes to be scheduled is most of
such a query's cost), with its own guard: at most ``INLINE_MAX_ROWS`` rows read and
``INLINE_TIMEOUT`` seconds, and at most N at once (a free slot is never waited for); past any
of these it goes to a worker like every other query.
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import io
import itertools
import json
import logging
import multiprocessing.connection
import os
import re
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from hdcat.store import (
    EmbeddedStore,
    QuerySyntaxError,
    QueryTimeoutError,
    Store,
    StoreError,
    _tokens,
    parse_accept,
)
from service import i18n
from service.urls import local_path

log = logging.getLogger(__name__)

bp = Blueprint("sparql", __name__)

EXTENSION = "hdcat.sparql"
TRUNCATED_HEADER = "X-Hdcat-Truncated"

# --------------------------------------------------------------------------- formats

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULT_FORMATS: dict[str, tuple[str, str]] = {
    "json": ("application/sparql-results+json", "srj"),
    "xml": ("application/sparql-results+xml", "srx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "tsv": ("text/tab-separated-values; charset=utf-8", "tsv"),
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
}
_RESULT_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_MEDIA = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "rdf",
    "application/xml": "rdf",
    "text/xml": "rdf",
}
# ?format= values beyond the keys (aliases; a media type is accepted too)
_FORMAT_ALIASES = {"turtle": "ttl", "json-ld": "jsonld", "ntriples": "nt", "n-triples": "nt",
                   "rdfxml": "rdf", "rdf+xml": "rdf", "srj": "json", "srx": "xml"}
# the formats' W3C IRIs, for the service description
_FORMAT_IRIS = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "ttl": "http://www.w3.org/ns/formats/Turtle",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "nt": "http://www.w3.org/ns/formats/N-Triples",
    "rdf": "http://www.w3.org/ns/formats/RDF_XML",
}
_HTML = ("text/html", "application/xhtml+xml")

PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "adms": "http://www.w3.org/ns/adms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "dcatap": "http://data.europa.eu/r5r/",
    "healthdcatap": "http://healthdataportal.eu/ns/health#",
    "hdcat": "https://w3id.org/hdcat/ns#",
    "dom": "https://w3id.org/hdcat/vocab/domain/",
    "dcatg": "https://w3id.org/hdcat/vocab/data-category/",
    "lvl": "https://w3id.org/hdcat/vocab/sensitivity-level/",
    "share": "https://w3id.org/hdcat/vocab/sharing-mode/",
    "std": "https://w3id.org/hdcat/standard/",
}
_DESC_PREFIXES = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "formats": "http://www.w3.org/ns/formats/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

i18n.MESSAGES.update({
    "sq_title": {"zh": "SPARQL 查询", "en": "SPARQL query"},
    "sq_intro": {
        "zh": "用 SPARQL 1.1 查询目录。默认图是所有命名图的并集;端点只读。"
              "程序可直接访问本地址(SPARQL 1.1 协议)。",
        "en": "Query the catalog with SPARQL 1.1. The default graph is the union of all named "
              "graphs; the endpoint is read-only. Programs can use this address directly "
              "(SPARQL 1.1 Protocol).",
    },
    "sq_query": {"zh": "查询", "en": "Query"},
    "sq_run": {"zh": "执行", "en": "Run"},
    "sq_examples": {"zh": "示例查询", "en": "Example queries"},
    "sq_results": {"zh": "结果", "en": "Results"},
    "sq_download": {"zh": "下载", "en": "Download"},
    "sq_rows": {"zh": "行", "en": "rows"},
    "sq_no_rows": {"zh": "没有结果。", "en": "No results."},
    "sq_truncated": {"zh": "结果已截断,只显示前 {n} 行。",
                     "en": "Results truncated: first {n} rows shown."},
    "sq_limits": {
        "zh": "每个查询最多 {t} 秒,最多返回 {n} 行。",
        "en": "Each query may run {t} s and return at most {n} rows.",
    },
    "sq_error": {"zh": "查询出错", "en": "Query error"},
    "sq_shortcut": {"zh": "Ctrl+Enter 执行", "en": "Ctrl+Enter runs the query"},
    "sq_endpoint": {"zh": "端点", "en": "Endpoint"},
    "sq_describe": {"zh": "服务描述", "en": "Service description"},
    "sq_ex_domain": {"zh": "按领域列出数据集", "en": "Datasets by domain"},
    "sq_ex_lineage": {"zh": "数据血缘链(prov:wasDerivedFrom+)",
                      "en": "Lineage chains (prov:wasDerivedFrom+)"},
    "sq_ex_standard": {"zh": "符合某项标准的数据集", "en": "Datasets conforming to a standard"},
    "sq_ex_publisher": {"zh": "按发布机构统计", "en": "Counts by publisher"},
    "sq_ex_level": {"zh": "敏感级别 ≥ 3 的数据集", "en": "Datasets of sensitivity level ≥ 3"},
    "sq_ex_record": {"zh": "一条目录记录的全部三元组", "en": "All triples of one catalog record"},
})


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


EXAMPLES: list[tuple[str, str]] = [
    ("sq_ex_domain", """SELECT ?domain ?domainLabel ?dataset ?title WHERE {
  ?dataset a dcat:Dataset ;
           hdcat:domain ?domain ;
           dct:title ?title .
  ?domain skos:prefLabel ?domainLabel .
  FILTER(LANG(?title) = "zh" && LANG(?domainLabel) = "zh")
}
ORDER BY ?domain ?title
LIMIT 200"""),
    ("sq_ex_lineage", """SELECT ?dataset ?title ?upstream ?upstreamTitle WHERE {
  ?dataset a dcat:Dataset ;
           prov:wasDerivedFrom+ ?upstream ;
           dct:title ?title .
  OPTIONAL { ?upstream dct:title ?upstreamTitle FILTER(LANG(?upstreamTitle) = "zh") }
  FILTER(LANG(?title) = "zh")
}
ORDER BY ?dataset ?upstream"""),
    ("sq_ex_standard", """SELECT ?standard ?standardTitle ?dataset ?title WHERE {
  VALUES ?standard { std:icd-10 std:ws-t-363 std:gb-t-14396 }
  ?dataset a dcat:Dataset ;
           dct:conformsTo ?standard ;
           dct:title ?title .
  OPTIONAL { ?standard dct:title ?standardTitle FILTER(LANG(?standardTitle) = "zh") }
  FILTER(LANG(?title) = "zh")
}
ORDER BY ?standard ?title"""),
    ("sq_ex_publisher", """SELECT ?publisher ?name (COUNT(DISTINCT ?dataset) AS ?datasets) WHERE {
  ?dataset a dcat:Dataset ;
           dct:publisher ?publisher .
  OPTIONAL { ?publisher foaf:name ?name FILTER(LANG(?name) = "zh") }
}
GROUP BY ?publisher ?name
ORDER BY DESC(?datasets)"""),
    ("sq_ex_level", """SELECT ?dataset ?title ?level ?rank WHERE {
  ?dataset a dcat:Dataset ;
           hdcat:sensitivityLevel ?level ;
           dct:title ?title .
  ?level hdcat:levelRank ?rank .
  FILTER(?rank >= 3 && LANG(?title) = "zh")
}
ORDER BY DESC(?rank) ?title"""),
    ("sq_ex_record", """CONSTRUCT { ?s ?p ?o } WHERE {
  GRAPH ?record { ?s ?p ?o }
  ?record a dcat:CatalogRecord .
  FILTER(?record = <https://hdcat.example.org/record/dm-complications-2020>)
}"""),
]


# --------------------------------------------------------------------------- query checks

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape_codepoints(text: str) -> str:
    """SPARQL's ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes, which some parsers apply to the whole
    query text before parsing."""

    def one(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return _CODEPOINT.sub(one, text)


class Refused(Exception):
    """A query this endpoint will not run: ``status`` and a short message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def check_query(sparql: str) -> None:
    """Raise :class:`Refused` for an update (403) or a federated ``SERVICE`` (400).

    Keywords are found with the tokenizer of hdcat.store, which skips strings, IRIs and
    comments, on the text as written and with codepoint escapes applied."""
    _checked(sparql)


_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


def _checked(sparql: str) -> tuple[list[tuple[str, str, int]], str | None]:
    """:func:`check_query`, tokenizing once: the tokens of the text as written and the
    query form (as ``hdcat.store.query_form`` of the unescaped text gives it)."""
    toks = _tokens(sparql)
    unescaped = _unescape_codepoints(sparql)
    both = [toks] if unescaped == sparql else [toks, _tokens(unescaped)]
    for tokens in both:
        for kind, token, _ in tokens:
            if kind != "word":
                continue
            word = token.upper()
            if word in UPDATE_KEYWORDS:
                raise Refused(403, f"this endpoint is read-only: {word} (SPARQL Update) is "
                                   "not allowed")
            if word == "SERVICE":
                raise Refused(400, "federated queries (SERVICE) are not allowed")
    form = next((t.upper() for kind, t, _ in both[-1] if kind == "word" and t.upper() in _FORMS),
                None)
    return toks, form


# --------------------------------------------------------------------------- serialisation


class NotAcceptable(Exception):
    """The result kind has no serialisation among those asked for."""


@dataclass
class Rendered:
    body: bytes
    content_type: str
    truncated: bool
    count: int
    kind: str  # "select", "ask" or "graph"


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        }}
    raise TypeError(f"unexpected term {term!r}")


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return xml_escape(_XML_BAD.sub("\ufffd", text))


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attr = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD_STRING:
            attr = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attr = ""
        return f"<literal{attr}>{_xml_text(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject>"
                f"<predicate>{_xml_term(term.predicate)}</predicate>"
                f"<object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"unexpected term {term!r}")


def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def _tsv_value(term: Any) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_solutions(variables: list[str], rows: list[Any], fmt: str) -> bytes:
    """SPARQL 1.1 results (JSON, XML, CSV, TSV) for rows indexable by variable position."""
    idx = range(len(variables))
    if fmt == "json":
        bindings = [
            {variables[i]: _json_term(row[i]) for i in idx if row[i] is not None}
            for row in rows
        ]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n'
               '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            for i in idx:
                if row[i] is not None:
                    out.append(f"<binding name={quoteattr(variables[i])}>"
                               f"{_xml_term(row[i])}</binding>")
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(row[i]) for i in idx] for row in rows)
        return buf.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines.extend("\t".join(_tsv_value(row[i]) for i in idx) for row in rows)
        return ("\n".join(lines) + "\n").encode()
    raise NotAcceptable(fmt)


_BOOLEAN_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def render(result: Any, results_fmt: str | None, graph_fmt: str | None, limit: int) -> Rendered:
    """Serialise a lazy query result, taking at most ``limit`` rows or triples."""
    if isinstance(result, ox.QueryBoolean):
        if results_fmt is None:
            raise NotAcceptable("ASK")
        body = result.serialize(format=_BOOLEAN_FORMATS[results_fmt])
        return Rendered(body, RESULT_FORMATS[results_fmt][0], False, 1, "ask")
    variables = _variables(result, results_fmt, graph_fmt)
    rows = list(itertools.islice(result, limit + 1))
    return _render_rows(variables, rows, results_fmt, graph_fmt, limit)


def _variables(result: Any, results_fmt: str | None, graph_fmt: str | None) -> list[str] | None:
    """The variable names of solutions (None for triples); NotAcceptable without a format."""
    variables = getattr(result, "variables", None)
    if variables is not None:
        if results_fmt is None:
            raise NotAcceptable("SELECT")
        return [v.value for v in variables]
    if graph_fmt is None:
        raise NotAcceptable("CONSTRUCT")
    return None


def _render_rows(variables: list[str] | None, rows: list[Any], results_fmt: str | None,
                 graph_fmt: str | None, limit: int) -> Rendered:
    """Serialise rows (solutions if there are variables, else triples), at most ``limit``."""
    truncated = len(rows) > limit
    del rows[limit:]
    if variables is not None:
        assert results_fmt is not None
        body = serialize_solutions(variables, rows, results_fmt)
        return Rendered(body, RESULT_FORMATS[results_fmt][0], truncated, len(rows), "select")
    assert graph_fmt is not None
    fmt = GRAPH_FORMATS[graph_fmt]
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(rows, format=fmt, prefixes=prefixes)
    return Rendered(body, fmt.media_type, truncated, len(rows), "graph")


# --------------------------------------------------------------------------- graph lookups


def graph_lookup(sparql: str, tokens: list[tuple[str, str, int]] | None = None) -> bool:
    """Whether a query only reads the triples of one named graph given by IRI: an optional
    prologue (PREFIX, BASE), then ``CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <g> { ?s ?p ?o } }``
    or ``SELECT [DISTINCT|REDUCED] (* | ?vars) WHERE { GRAPH <g> { ?s ?p ?o } }``, nothing
    else (no FROM, no modifiers; ``WHERE`` and the final ``.`` optional).

    Its cost is bounded by the size of that graph (one index range, read lazily), so the
    endpoint answers it in the request thread (see :func:`_answer_inline`). ``tokens``: those
    of ``_tokens(sparql)`` if already made."""
    if "\\" in sparql:  # codepoint escapes: leave them to the general path
        return False
    toks = [(kind, text.upper() if kind == "word" else text)
            for kind, text, _ in (tokens if tokens is not None else _tokens(sparql))]
    toks.append(("end", ""))
    i = 0
    while toks[i] in (("word", "PREFIX"), ("word", "BASE")):
        if toks[i][1] == "BASE" and toks[i + 1][0] == "iri":
            i += 2
        elif toks[i + 1][0] == "word" and toks[i + 1][1].endswith(":") and toks[i + 2][0] == "iri":
            i += 3
        else:
            return False
    form = toks[i]
    i += 1
    projected: set[str] | None = None  # None: all
    template: list[str] | None = None
    if form == ("word", "CONSTRUCT"):
        template, i = _triple_pattern(toks, i)
        if template is None:
            return False
    elif form == ("word", "SELECT"):
        if toks[i] in (("word", "DISTINCT"), ("word", "REDUCED")):
            i += 1
        if toks[i] == ("other", "*"):
            i += 1
        else:
            projected = set()
            while toks[i][0] == "var":
                projected.add(toks[i][1][1:])
                i += 1
            if not projected:
                return False
    else:
        return False
    if toks[i] == ("word", "WHERE"):
        i += 1
    if toks[i : i + 2] != [("other", "{"), ("word", "GRAPH")]:
        return False
    kind, name = toks[i + 2]
    if not (kind == "iri" or (kind == "word" and ":" in name)):
        return False
    pattern, i = _triple_pattern(toks, i + 3)
    if pattern is None or toks[i:] != [("other", "}"), ("end", "")]:
        return False
    if template is not None:
        return template == pattern
    return projected is None or projected <= {v[1:] for v in pattern}


def _triple_pattern(toks: list[tuple[str, str]], i: int) -> tuple[list[str] | None, int]:
    """``{ ?a ?b ?c [.] }`` at toks[i]: its three variables and the index after it."""
    names = toks[i + 1 : i + 4]
    if toks[i] != ("other", "{") or len(names) < 3 or any(k != "var" for k, _ in names):
        return None, i
    i += 4
    if toks[i] == ("other", "."):
        i += 1
    if toks[i] != ("other", "}"):
        return None, i
    return [text for _, text in names], i + 1


# --------------------------------------------------------------------------- execution


STARTUP_WAIT = 30.0


class Busy(Exception):
    """Every query slot stayed taken for the whole wait."""


@dataclass(frozen=True)
class Job:
    sparql: str
    results_fmt: str | None
    graph_fmt: str | None
    limit: int
    inline: bool = False  # a graph lookup (graph_lookup): answered in the request thread
    form: str | None = None  # SELECT, CONSTRUCT, ASK, DESCRIBE


# Inline answers (graph lookups on an embedded on-disk store): at most this many rows or
# triples, and this many seconds, else the query goes to a worker process like any other.
INLINE_MAX_ROWS = 1_000
INLINE_TIMEOUT = 0.5


def _answer_inline(store: Store, job: Job, timeout: float) -> Rendered | None:
    """Answer a graph lookup in this thread, on the server's own store: no worker round trip
    (two process wake-ups, which is what a small query waits for on a busy machine). None when
    it turns out too big or too slow for that: the caller gives it to a worker. Errors (a
    malformed query, an unacceptable format) are raised as the worker path raises them."""
    cap = min(job.limit, INLINE_MAX_ROWS)
    try:
        with store.open_query(
            job.sparql, union_default_graph=True, timeout=min(timeout, INLINE_TIMEOUT)
        ) as result:
            variables = _variables(result, job.results_fmt, job.graph_fmt)
            rows = list(itertools.islice(result, cap + 1))
    except QueryTimeoutError:
        return None
    if len(rows) > cap and cap < job.limit:
        return None
    return _render_rows(variables, rows, job.results_fmt, job.graph_fmt, job.limit)


def _answer(store: Store, job: Job, timeout: float | None) -> tuple:
    """Run one job on a store; the outcome as a picklable tuple."""
    try:
        with store.open_query(job.sparql, union_default_graph=True, timeout=timeout) as result:
            r = render(result, job.results_fmt, job.graph_fmt, job.limit)
        return ("ok", r.body, r.content_type, r.truncated, r.count, r.kind)
    except QuerySyntaxError as e:
        return ("syntax", e.detail)
    except QueryTimeoutError as e:
        return ("timeout", e.detail)
    except StoreError as e:
        return ("error", e.detail)
    except NotAcceptable as e:
        return ("notacceptable", str(e))
    except Exception as e:  # never let a worker die on one query
        log.exception("SPARQL query failed")
        return ("error", f"internal error ({type(e).__name__})")


def _outcome(msg: tuple) -> Rendered:
    kind = msg[0]
    if kind == "ok":
        return Rendered(*msg[1:])
    if kind == "syntax":
        raise QuerySyntaxError(msg[1], msg[1])
    if kind == "timeout":
        raise QueryTimeoutError(msg[1], msg[1])
    if kind == "notacceptable":
        raise NotAcceptable(msg[1])
    raise StoreError(msg[1], msg[1])


def _worker_main(
    conn: multiprocessing.connection.Connection, path: str, generation: int | None = None
) -> None:
    """A query worker: answers jobs ``(generation, Job)`` on a read-only store, re-opened
    when the writer's generation changes. Says ``("ready",)`` once started (so that a query's
    time does not count the start). Exits when the parent closes the connection."""
    store: EmbeddedStore | None = None
    if generation is not None:
        try:
            store = EmbeddedStore(Path(path), read_only=True)
        except StoreError:
            store = None
    try:
        conn.send(("ready",))
    except (OSError, ValueError):
        return
    while True:
        try:
            generation_asked, job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            if store is None or generation_asked != generation:
                if store is not None:
                    store.close()
                store = None
                store = EmbeddedStore(Path(path), read_only=True)
                generation = generation_asked
            msg = _answer(store, job, None)
        except StoreError as e:
            store = None
            msg = ("error", e.detail)
        try:
            conn.send(msg)
        except (OSError, ValueError):
            return


def worker_entry(fd: int, path: str, generation: int) -> None:
    """Entry point of a worker process (``python -c``), talking over socket ``fd``; the store
    is opened at once, as of the writer's ``generation``."""
    _worker_main(multiprocessing.connection.Connection(fd), path, generation)


_ROOT = str(Path(__file__).resolve().parent.parent)


class _Worker:
    """A worker process started with ``subprocess`` (not ``multiprocessing``, which would
    re-import the server's ``__main__`` module), joined by a socket pair."""

    def __init__(self, path: Path, generation: int) -> None:
        mine, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [_ROOT, *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])]
        )
        code = "import sys; from service.sparql import worker_entry as w; " \
               "w(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]))"
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", code, str(theirs.fileno()), str(path), str(generation)],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, env=env, close_fds=True,
            )
        except BaseException:
            mine.close()
            raise
        finally:
            theirs.close()
        self.conn = multiprocessing.connection.Connection(mine.detach())
        self.ready = False

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the worker has started (imports done, store open)."""
        if not self.ready:
            try:
                self.ready = self.conn.poll(timeout) and self.conn.recv() == ("ready",)
            except (EOFError, OSError):
                return False
        return self.ready

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.conn.close()
        threading.Thread(target=self.proc.wait, daemon=True).start()


class Executor:
    """Runs jobs with at most ``size`` at once; see the module docstring."""

    def __init__(self, size: int, wait: float) -> None:
        self.size = size
        self.wait = wait

    def run(self, job: Job, timeout: float) -> Rendered:
        raise NotImplementedError

    def close(self) -> None:
        return None


class ThreadExecutor(Executor):
    """Remote (or in-memory) store: a semaphore and the store's own deadline."""

    def __init__(self, store: Store, size: int, wait: float) -> None:
        super().__init__(size, wait)
        self.store = store
        self._slots = threading.BoundedSemaphore(size)

    def run(self, job: Job, timeout: float) -> Rendered:
        if not self._slots.acquire(timeout=self.wait):
            raise Busy()
        try:
            return _outcome(_answer(self.store, job, timeout))
        finally:
            self._slots.release()


class ProcessExecutor(Executor):
    """Embedded on-disk store: ``size`` worker processes with read-only stores, killed and
    replaced when a query overruns."""

    def __init__(self, store: EmbeddedStore, size: int, wait: float) -> None:
        super().__init__(size, wait)
        assert store.path is not None
        self.store = store
        self.path = store.path
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._alive = 0
        self._starting = 0
        self._closed = False
        self.killed = 0
        self._finalizer = weakref.finalize(self, ProcessExecutor._shutdown, self._idle)

    @staticmethod
    def _shutdown(idle: list[_Worker]) -> None:
        for w in idle:
            w.kill()
        idle.clear()

    def _spawn(self) -> _Worker:
        return _Worker(self.path, self.store.generation)

    def warm(self) -> None:
        """Start all the workers in the background."""
        for _ in range(self.size):
            threading.Thread(target=self._replace, daemon=True).start()

    def _checkout(self) -> _Worker:
        start = time.monotonic()
        with self._cond:
            while True:
                if self._closed:
                    raise StoreError("the endpoint is shutting down")
                if self._idle:
                    return self._idle.pop()
                if self._alive < self.size:
                    self._alive += 1
                    break
                # workers still starting are worth a longer wait than busy ones
                wait = max(self.wait, STARTUP_WAIT) if self._starting else self.wait
                left = start + wait - time.monotonic()
                if left <= 0:
                    raise Busy()
                self._cond.wait(left)
        try:
            return self._spawn()
        except Exception as e:
            with self._cond:
                self._alive -= 1
                self._cond.notify()
            log.exception("cannot start a SPARQL worker")
            raise StoreError("cannot start a query worker") from e

    def _checkin(self, worker: _Worker) -> None:
        with self._cond:
            if self._closed:
                worker.kill()
                return
            self._idle.append(worker)
            self._cond.notify()

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._cond:
            self._alive -= 1
            self._cond.notify()
        threading.Thread(target=self._replace, daemon=True).start()

    def _replace(self) -> None:
        """Start a worker in the background so the next query does not wait for one."""
        with self._cond:
            if self._closed or self._alive >= self.size:
                return
            self._alive += 1
            self._starting += 1
        try:
            worker = self._spawn()
            if not worker.wait_ready(STARTUP_WAIT):
                worker.kill()
                raise StoreError("the query worker did not start")
        except Exception:
            log.exception("cannot start a SPARQL worker")
            with self._cond:
                self._alive -= 1
                self._starting -= 1
                self._cond.notify_all()
            return
        with self._cond:
            self._starting -= 1
        self._checkin(worker)

    def run(self, job: Job, timeout: float) -> Rendered:
        worker = self._checkout()
        healthy = False
        try:
            try:
                if not worker.wait_ready(STARTUP_WAIT):
                    raise StoreError("the query worker did not start")
                worker.conn.send((self.store.generation, job))
                if not worker.conn.poll(timeout):
                    self.killed += 1
                    raise QueryTimeoutError("timeout", f"query timed out after {timeout:g} s")
                msg = worker.conn.recv()
            except (EOFError, OSError) as e:
                raise StoreError("the query worker failed", "the query worker failed") from e
            healthy = True
        finally:
            if healthy:
                self._checkin(worker)
            else:
                self._discard(worker)
        return _outcome(msg)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle[:] = list(self._idle), []
            self._cond.notify_all()
        for w in idle:
            w.kill()


class Endpoint:
    """Per-app state: the executor (made on first use) and cached statistics."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._executor: Executor | None = None
        self._lock = threading.Lock()
        self._stats: tuple[float, dict[str, Any]] | None = None
        self._inline: threading.BoundedSemaphore | None = None
        self.inline_answers = 0  # graph lookups answered in the request thread

    def run(self, job: Job, timeout: float) -> Rendered:
        """Run a checked job: a graph lookup in this thread when the store is an embedded
        on-disk one and one of the `size` inline slots is free (never waiting for one), all
        else (and an inline answer that turned out too big or slow) in a worker."""
        executor = self.executor
        slots = self._inline
        if job.inline and isinstance(executor, ProcessExecutor) and slots is not None \
                and slots.acquire(blocking=False):
            try:
                out = _answer_inline(executor.store, job, timeout)
            finally:
                slots.release()
            if out is not None:
                self.inline_answers += 1
                return out
        return executor.run(job, timeout)

    @property
    def executor(self) -> Executor:
        with self._lock:
            if self._executor is None:
                catalog = self.app.catalog  # type: ignore[attr-defined]
                store = catalog.store
                size = int(self.app.config.get("SPARQL_WORKERS") or _default_workers())
                wait = float(self.app.config.get("SPARQL_QUEUE_WAIT", 5.0))
                if isinstance(store, EmbeddedStore) and store.path is not None \
                        and not store.read_only:
                    pool = ProcessExecutor(store, size, wait)
                    pool.warm()
                    self._executor = pool
                    self._inline = threading.BoundedSemaphore(size)
                else:
                    self._executor = ThreadExecutor(store, size, wait)
                _open_endpoints.add(self)
            return self._executor

    def stats(self) -> dict[str, Any]:
        now = time.monotonic()
        if self._stats is None or now - self._stats[0] > 60:
            catalog = self.app.catalog  # type: ignore[attr-defined]
            self._stats = (now, dict(catalog.counts(), triples=len(catalog.store)))
        return self._stats[1]

    def close(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.close()
                self._executor = None


def _default_workers() -> int:
    return max(2, min(8, os.cpu_count() or 2))


_open_endpoints: weakref.WeakSet[Endpoint] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for ep in list(_open_endpoints):
        ep.close()


@bp.record_once
def _setup(state: Any) -> None:
    endpoint = Endpoint(state.app)
    state.app.extensions[EXTENSION] = endpoint
    state.app.catalog.on_close(endpoint.close)  # its workers read the catalog's store


def endpoint_state(app: Flask | None = None) -> Endpoint:
    """The endpoint's state of an app (for tests and shutdown: ``.close()``)."""
    return (app or current_app).extensions[EXTENSION]  # type: ignore[return-value]


# --------------------------------------------------------------------------- negotiation


def _accepted() -> list[str]:
    """The Accept header's media types, best first (q=0 dropped)."""
    return parse_accept(request.headers.get("Accept", "") or "*/*")


def _pick(accepted: list[str], table: dict[str, str], any_default: str,
          text_default: str) -> str | None:
    for media in accepted:
        if media in table:
            return table[media]
        if media in ("*/*", "application/*"):
            return any_default
        if media == "text/*":
            return text_default
    return None


def _wants_html(accepted: list[str]) -> bool:
    return accepted[0] in _HTML


def _format_param(value: str, graph: bool) -> str | None:
    v = value.strip().lower()
    v = _FORMAT_ALIASES.get(v, v)
    table = GRAPH_FORMATS if graph else RESULT_FORMATS
    if v in table:
        return v
    if v == "json" and graph:
        return "jsonld"
    if v == "xml" and graph:
        return "rdf"
    media = v.split(";")[0].strip()
    return (_GRAPH_MEDIA if graph else _RESULT_MEDIA).get(media)


# --------------------------------------------------------------------------- responses


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    resp = Response(message.strip() + "\n", status=status, mimetype="text/plain")
    resp.headers["Cache-Control"] = "no-store"
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def _cors(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Expose-Headers"] = TRUNCATED_HEADER
    return resp


def _settings() -> Any:
    return current_app.catalog.settings  # type: ignore[attr-defined]


def execute(job: Job) -> Rendered:
    """Run a checked job through the app's executor (raises the errors mapped by
    :func:`_error_response`)."""
    timeout = float(_settings().query_timeout)
    return endpoint_state().run(job, timeout)


def _error_response(e: Exception) -> Response:
    if isinstance(e, Refused):
        return _error(e.status, e.message)
    if isinstance(e, QuerySyntaxError):
        return _error(400, f"malformed query: {e.detail}")
    if isinstance(e, NotAcceptable):
        return _error(406, f"no acceptable result format for a {e} query; available: "
                           + ", ".join(m for m, _ in RESULT_FORMATS.values()) + " (SELECT, ASK); "
                           + ", ".join(f.media_type for f in GRAPH_FORMATS.values())
                           + " (CONSTRUCT, DESCRIBE)")
    if isinstance(e, QueryTimeoutError):
        t = _settings().query_timeout
        return _error(504, f"query timed out (limit {t:g} s)")
    if isinstance(e, Busy):
        return _error(503, "too many queries running; try again shortly",
                      {"Retry-After": "2"})
    if isinstance(e, StoreError):
        log.warning("SPARQL endpoint: %s", e)
        return _error(502, f"the catalog store failed: {e.detail}"[:500])
    log.exception("SPARQL endpoint failure", exc_info=e)
    return _error(500, "internal error")


def _read_query() -> tuple[str | None, Any]:
    """The query text and the parameter source, per the SPARQL 1.1 Protocol."""
    if request.method == "GET":
        params = request.args
        queries = params.getlist("query")
    else:
        mimetype = request.mimetype
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if limit is not None and (request.content_length or 0) > limit:
            raise RequestEntityTooLarge()
        if mimetype == "application/x-www-form-urlencoded":
            params = request.form
            queries = params.getlist("query")
        elif mimetype == "application/sparql-query":
            params = request.args
            raw = request.get_data(cache=False)
            charset = request.mimetype_params.get("charset", "utf-8")
            try:
                queries = [raw.decode(charset)]
            except (LookupError, UnicodeDecodeError):
                raise Refused(400, f"the query is not valid {charset} text") from None
        elif mimetype == "application/sparql-update":
            raise Refused(403, "this endpoint is read-only: SPARQL Update is not allowed")
        else:
            raise Refused(415, "POST a query as application/x-www-form-urlencoded (field "
                               "'query') or as application/sparql-query")
    if "update" in params:
        raise Refused(403, "this endpoint is read-only: SPARQL Update is not allowed")
    if len(queries) > 1:
        raise Refused(400, "give exactly one 'query'")
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in params or name in request.args:
            raise Refused(400, f"'{name}' is not supported: the default graph is the union "
                               "of all graphs; use GRAPH <iri> { ... } in the query")
    query = queries[0] if queries else None
    if query is not None and not query.strip():
        raise Refused(400, "the query is empty")
    return query, params


def _job(query: str, results_fmt: str | None, graph_fmt: str | None, limit: int) -> Job:
    tokens, form = _checked(query)
    return Job(query, results_fmt, graph_fmt, limit, graph_lookup(query, tokens), form)


# --------------------------------------------------------------------------- views


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """The SPARQL 1.1 Protocol endpoint."""
    try:
        return _cors(_sparql())
    except Exception as e:  # noqa: BLE001 - every error is a short message
        if isinstance(e, HTTPException) and not isinstance(e, RequestEntityTooLarge):
            return _cors(_error(e.code or 500, e.description or e.name))
        if isinstance(e, RequestEntityTooLarge):
            return _cors(_error(413, "the request body is too large"))
        return _cors(_error_response(e))


def _sparql() -> Response:
    query, params = _read_query()
    accepted = _accepted()
    fmt_param = params.get("format") or request.args.get("format")
    if query is None:
        if fmt_param is None and _wants_html(accepted):
            return _page(None)
        if fmt_param is not None:
            graph_fmt = _format_param(fmt_param, graph=True)
        else:
            graph_fmt = _pick(accepted, _GRAPH_MEDIA, "ttl", "ttl")
        if graph_fmt is None:
            raise Refused(400, "no query given (parameter 'query')")
        return _description(graph_fmt)
    if fmt_param is None and _wants_html(accepted):
        return _page(query)
    if fmt_param is not None:
        results_fmt = _format_param(fmt_param, graph=False)
        graph_fmt = _format_param(fmt_param, graph=True)
        if results_fmt is None and graph_fmt is None:
            raise Refused(400, f"unknown format {fmt_param!r}; use one of "
                               + ", ".join([*RESULT_FORMATS, *GRAPH_FORMATS]))
    else:
        results_fmt = _pick(accepted, _RESULT_MEDIA, "json", "tsv")
        graph_fmt = _pick(accepted, _GRAPH_MEDIA, "ttl", "ttl")
    job = _job(query, results_fmt, graph_fmt, int(_settings().result_limit))
    form = job.form
    if form in ("SELECT", "ASK") and results_fmt is None:
        raise NotAcceptable(form)
    if form in ("CONSTRUCT", "DESCRIBE") and graph_fmt is None:
        raise NotAcceptable(form)
    out = execute(job)
    resp = Response(out.body, status=200, content_type=out.content_type)
    resp.headers["Vary"] = "Accept"
    if out.truncated:
        resp.headers[TRUNCATED_HEADER] = "true"
        resp.headers["X-Hdcat-Result-Limit"] = str(job.limit)
    return resp


@bp.route("/sparql/ui", methods=["GET", "POST"])
def ui() -> Response | str:
    """The HTML query page (with the results of ``query``, if given)."""
    try:
        query = request.values.get("query")
        if request.content_length and request.content_length > (
            current_app.config.get("MAX_CONTENT_LENGTH") or 1 << 62
        ):
            return _error(413, "the request body is too large")
        return _page(query)
    except RequestEntityTooLarge:
        return _error(413, "the request body is too large")


def _term_cell(term: dict[str, Any]) -> dict[str, Any]:
    """A JSON result term as a table cell: text, a title, and a link when it has a page."""
    kind = term.get("type")
    value = str(term.get("value", ""))
    if kind == "uri":
        href = local_path(value)
        if not href.startswith(("/", "http://", "https://")):
            href = None
        return {"text": _compact(value), "title": value, "href": href, "kind": "iri"}
    if kind == "bnode":
        return {"text": f"_:{value}", "title": "", "href": None, "kind": "bnode"}
    if kind == "triple":
        inner = term.get("value", {})
        parts = [_term_cell(inner.get(k, {}))["text"] for k in ("subject", "predicate", "object")]
        return {"text": "<< " + " ".join(parts) + " >>", "title": "", "href": None,
                "kind": "triple"}
    suffix = ""
    if "xml:lang" in term:
        suffix = "@" + term["xml:lang"]
    elif "datatype" in term:
        suffix = "^^" + _compact(term["datatype"])
    return {"text": value, "title": suffix, "href": None, "kind": "literal", "suffix": suffix}


def _compact(iri: str) -> str:
    best = None
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            best = p
    if best is None:
        return iri
    return f"{best}:{iri[len(PREFIXES[best]):]}"


def _table(out: Rendered) -> tuple[list[str], list[list[dict[str, Any]]], bool | None]:
    """Header, rows of cells and the ASK answer, from a JSON or N-Triples rendering."""
    if out.kind == "graph":
        rows = []
        for q in ox.parse(out.body, ox.RdfFormat.N_TRIPLES):
            rows.append([_term_cell(_json_term(x)) for x in (q.subject, q.predicate, q.object)])
        return ["subject", "predicate", "object"], rows, None
    doc = json.loads(out.body)
    if "boolean" in doc:
        return [], [], bool(doc["boolean"])
    names = doc["head"]["vars"]
    rows = [[_term_cell(b[v]) if v in b else {"text": "", "title": "", "href": None,
                                               "kind": "none"} for v in names]
            for b in doc["results"]["bindings"]]
    return names, rows, None


def _page(query: str | None) -> Response:
    settings = _settings()
    ui_limit = min(int(settings.result_limit), int(current_app.config.get("SPARQL_UI_ROWS", 500)))
    ctx: dict[str, Any] = {
        "query": query,
        "editor_text": query if query is not None else _prologue() + "\n" + EXAMPLES[0][1],
        "examples": [(key, _prologue() + "\n" + text) for key, text in EXAMPLES],
        "prefixes": PREFIXES,
        "error": None,
        "columns": [],
        "rows": [],
        "boolean": None,
        "truncated": False,
        "kind": None,
        "downloads": [],
        "limit": ui_limit,
        "timeout": settings.query_timeout,
        "result_limit": settings.result_limit,
        "endpoint_url": url_for("sparql.sparql", _external=True),
    }
    status = 200
    if query is not None and query.strip():
        try:
            out = execute(_job(query, "json", "nt", ui_limit))
            ctx["columns"], ctx["rows"], ctx["boolean"] = _table(out)
            ctx["truncated"] = out.truncated
            ctx["kind"] = out.kind
            keys = ("ttl", "jsonld", "nt", "rdf") if out.kind == "graph" else (
                "json", "csv", "tsv", "xml")
            ctx["downloads"] = [
                (k, url_for("sparql.sparql", query=query, format=k)) for k in keys
            ]
        except Exception as e:  # noqa: BLE001 - shown on the page as a short message
            err = _error_response(e)
            status = err.status_code
            ctx["error"] = err.get_data(as_text=True).strip()
    html = render_template("sparql.html", **ctx)
    resp = Response(html, status=status, mimetype="text/html")
    resp.headers["Vary"] = "Accept"
    return resp


# --------------------------------------------------------------------------- descriptions

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _rdf_response(triples: Iterable[ox.Triple], fmt_key: str) -> Response:
    fmt = GRAPH_FORMATS[fmt_key]
    prefixes = _DESC_PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(list(triples), format=fmt, prefixes=prefixes)
    resp = Response(body, content_type=fmt.media_type)
    resp.headers["Vary"] = "Accept"
    return resp


def _description(fmt_key: str) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint."""
    endpoint = url_for("sparql.sparql", _external=True)
    service = _n(endpoint + "#service")
    dataset = ox.BlankNode()
    graph = ox.BlankNode()
    void_url = url_for("sparql.void", _external=True)
    triples = [
        ox.Triple(service, RDF_TYPE, _n(SD + "Service")),
        ox.Triple(service, _n(SD + "endpoint"), _n(endpoint)),
        ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        ox.Triple(service, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _n(SD + "Dataset")),
        ox.Triple(dataset, _n(SD + "defaultGraph"), graph),
        ox.Triple(graph, RDF_TYPE, _n(SD + "Graph")),
        ox.Triple(dataset, _n("http://www.w3.org/2000/01/rdf-schema#seeAlso"), _n(void_url)),
        ox.Triple(service, _n(DCT + "title"), ox.Literal("健康医疗科学数据目录 SPARQL 端点",
                                                        language="zh")),
        ox.Triple(service, _n(DCT + "title"), ox.Literal(
            "Health Scientific Data Catalog SPARQL endpoint", language="en")),
    ]
    for key in (*RESULT_FORMATS, *GRAPH_FORMATS):
        triples.append(ox.Triple(service, _n(SD + "resultFormat"), _n(_FORMAT_IRIS[key])))
    return _rdf_response(triples, fmt_key)


VOCABULARIES = [
    "http://www.w3.org/ns/dcat#",
    "http://purl.org/dc/terms/",
    "http://data.europa.eu/r5r/",
    "http://healthdataportal.eu/ns/health#",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://xmlns.com/foaf/0.1/",
    "http://www.w3.org/2006/vcard/ns#",
    "http://www.w3.org/ns/adms#",
    "http://spdx.org/rdf/terms#",
    "http://www.w3.org/ns/dqv#",
    "https://w3id.org/dpv#",
    "http://data.europa.eu/eli/ontology#",
    "https://w3id.org/hdcat/ns#",
]


@bp.route("/.well-known/void")
def void() -> Response:
    """The VoID description of the catalog (Turtle unless Accept asks another RDF type)."""
    try:
        fmt_param = request.args.get("format")
        if fmt_param is not None:
            key = _format_param(fmt_param, graph=True)
            if key is None:
                raise Refused(400, f"unknown format {fmt_param!r}; use ttl, jsonld, nt or rdf")
        else:
            key = _pick(_accepted(), _GRAPH_MEDIA, "ttl", "ttl")
            if key is None:
                raise NotAcceptable("VoID")
        settings = _settings()
        stats = endpoint_state().stats()
        root = url_for("sparql.void", _external=True)
        ds = _n(root + "#catalog")
        triples = [
            ox.Triple(ds, RDF_TYPE, _n(VOID + "Dataset")),
            ox.Triple(ds, _n(DCT + "title"), ox.Literal("健康医疗科学数据目录", language="zh")),
            ox.Triple(ds, _n(DCT + "title"),
                      ox.Literal("Health Scientific Data Catalog", language="en")),
            ox.Triple(ds, _n(DCT + "description"), ox.Literal(
                "去标识化健康医疗科学数据集的中英双语元数据(DCAT / HealthDCAT-AP)。",
                language="zh")),
            ox.Triple(ds, _n(DCT + "description"), ox.Literal(
                "Bilingual metadata of de-identified health scientific datasets "
                "(DCAT / HealthDCAT-AP).", language="en")),
            ox.Triple(ds, _n(VOID + "sparqlEndpoint"),
                      _n(url_for("sparql.sparql", _external=True))),
            ox.Triple(ds, _n(VOID + "uriSpace"),
                      ox.Literal(settings.base_iri.rstrip("/") + "/")),
            ox.Triple(ds, _n(VOID + "rootResource"), _n(settings.catalog_iri)),
            ox.Triple(ds, _n(VOID + "triples"),
                      ox.Literal(str(int(stats.get("triples", 0))), datatype=XSD_INTEGER)),
            ox.Triple(ds, _n(DCT + "subject"), _n(settings.catalog_iri)),
        ]
        for vocab in VOCABULARIES:
            triples.append(ox.Triple(ds, _n(VOID + "vocabulary"), _n(vocab)))
        for cls, key_name in (("http://www.w3.org/ns/dcat#Dataset", "datasets"),
                              ("http://www.w3.org/ns/dcat#CatalogRecord", "records"),
                              ("http://www.w3.org/ns/dcat#Distribution", "distributions"),
                              ("http://www.w3.org/ns/dcat#DatasetSeries", "series")):
            part = ox.BlankNode()
            triples += [
                ox.Triple(ds, _n(VOID + "classPartition"), part),
                ox.Triple(part, _n(VOID + "class"), _n(cls)),
                ox.Triple(part, _n(VOID + "entities"),
                          ox.Literal(str(int(stats.get(key_name, 0))), datatype=XSD_INTEGER)),
            ]
        return _cors(_rdf_response(triples, key))
    except Exception as e:  # noqa: BLE001 - every error is a short message
        return _cors(_error_response(e))
