"""Reading RDF files safely: format detection, local JSON-LD contexts, located errors.

Parsing is done by Oxigraph's parsers (fast, streaming, with line and column in their
errors). Nothing is fetched from the network: a JSON-LD document whose context is remote
is read only if a local copy of that context is known.
"""

from __future__ import annotations

import codecs
import json
import re
import xml.parsers.expat
from collections.abc import Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox

from hdcat import resources
from hdcat.errors import InputError

FORMATS_BY_SUFFIX: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}

FORMATS_BY_NAME: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdf": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
}

# Remote JSON-LD contexts that are read from local data instead of the network.
_SCHEMA_ORG_CONTEXT = {"@vocab": "http://schema.org/"}
BUILTIN_CONTEXTS: dict[str, object] = {
    "http://schema.org": _SCHEMA_ORG_CONTEXT,
    "http://schema.org/": _SCHEMA_ORG_CONTEXT,
    "https://schema.org": _SCHEMA_ORG_CONTEXT,
    "https://schema.org/": _SCHEMA_ORG_CONTEXT,
    "http://schema.org/docs/jsonldcontext.json": _SCHEMA_ORG_CONTEXT,
    "https://schema.org/docs/jsonldcontext.json": _SCHEMA_ORG_CONTEXT,
}
HDCAT_CONTEXT_URL = "https://w3id.org/hdcat/context.jsonld"

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_POSITION = re.compile(
    r"(?:at|between) line (\d+)(?: between columns (\d+) and \d+| column (\d+))?"
)
_TRAILING_LINE = re.compile(r"\s*\(line \d+\)$")


def detect_format(path: Path, declared: str | None = None) -> ox.RdfFormat:
    """The RDF format of a file: the declared name, else its suffix, else a look at its start."""
    if declared:
        try:
            return FORMATS_BY_NAME[declared.lower()]
        except KeyError:
            raise InputError(str(path), f"unknown format {declared!r}") from None
    suffix = path.suffix.lower()
    if suffix in FORMATS_BY_SUFFIX:
        return FORMATS_BY_SUFFIX[suffix]
    with path.open("rb") as f:
        head = f.read(2048).lstrip()
    if head.startswith(b"<?xml") or head.startswith(b"<rdf:RDF"):
        return ox.RdfFormat.RDF_XML
    if head.startswith((b"{", b"[")):
        return ox.RdfFormat.JSON_LD
    return ox.RdfFormat.TURTLE


def known_contexts(extra: Mapping[str, object] | None = None) -> dict[str, object]:
    contexts: dict[str, object] = dict(BUILTIN_CONTEXTS)
    local = resources.ontology_dir() / "context.jsonld"
    if local.exists():
        contexts[HDCAT_CONTEXT_URL] = json.loads(local.read_text("utf-8")).get("@context", {})
    if extra:
        contexts.update(extra)
    return contexts


def load_context_file(path: Path) -> object:
    """A local copy of a JSON-LD context document, as the value to put in place of its URL."""
    data = json.loads(path.read_text("utf-8"))
    return data.get("@context", data) if isinstance(data, dict) else data


def _check_encoding(source: str, data: bytes) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            source, "file is UTF-16 encoded; hdcat reads UTF-8 (convert it first)", 1, 1
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = 1 << 22
    try:
        for offset in range(0, len(data), chunk):
            decoder.decode(data[offset : offset + chunk], final=offset + chunk >= len(data))
    except UnicodeDecodeError as e:
        start = offset + e.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise InputError(
            source,
            f"not valid UTF-8 (byte 0x{data[start]:02x}); hdcat reads UTF-8 text"
            " (was it saved as GBK/GB18030 or Latin-1?)",
            line,
            column,
        ) from None


def _replace_contexts(node: object, contexts: Mapping[str, object], source: str) -> object:
    if isinstance(node, list):
        return [_replace_contexts(item, contexts, source) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "@context":
            out[key] = _local_context(value, contexts, source)
        else:
            out[key] = _replace_contexts(value, contexts, source)
    return out


def _local_context(value: object, contexts: Mapping[str, object], source: str) -> object:
    if isinstance(value, list):
        return [_local_context(v, contexts, source) for v in value]
    if isinstance(value, str):
        if value in contexts:
            return contexts[value]
        raise InputError(
            source,
            f"JSON-LD @context {value!r} would have to be fetched from the network, which hdcat"
            " never does; give a local copy (hdcat load --context URL=FILE)",
        )
    return value


def prepare_jsonld(source: str, data: bytes, contexts: Mapping[str, object]) -> bytes:
    try:
        doc = json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as e:
        raise InputError(source, f"invalid JSON: {e.msg}", e.lineno, e.colno) from None
    doc = _replace_contexts(doc, contexts, source)
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _locate_xml_error(source: str, data: bytes) -> InputError | None:
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        return InputError(
            source,
            f"XML is not well-formed: {xml.parsers.expat.ErrorString(e.code)}",
            e.lineno,
            e.offset + 1,
        )
    except LookupError as e:  # the XML declaration names an encoding Python does not know
        return InputError(source, f"the XML declaration names an unknown encoding ({e})", 1, 1)
    return None


def syntax_error(
    source: str, error: Exception, data: bytes | None, fmt: ox.RdfFormat
) -> InputError:
    """A parser exception as an InputError, with line and column where the parser gave them."""
    message = str(error)
    match = _POSITION.search(message)
    if match:
        column = match.group(2) or match.group(3)
        text = message.split(": ", 1)[1] if message.startswith("Parser error") else message
        text = _TRAILING_LINE.sub("", text)
        return InputError(
            source,
            f"{fmt.name} syntax error: {text}",
            int(match.group(1)),
            int(column) if column else None,
        )
    if fmt == ox.RdfFormat.RDF_XML and data is not None:
        located = _locate_xml_error(source, data)
        if located:
            return located
    return InputError(source, f"{fmt.name} syntax error: {message}")


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(source, f"cannot read file: {e.strerror}") from None
    if max_bytes is not None and size > max_bytes:
        raise InputError(
            source, f"file is {size / 1e6:.0f} MB, over the limit of {max_bytes / 1e6:.0f} MB"
        )
    data = path.read_bytes()
    if not data or data.isspace():
        raise InputError(source, "file is empty")
    _check_encoding(source, data)
    return data


def parse_into(
    store: ox.Store,
    path: Path,
    *,
    fmt: ox.RdfFormat | None = None,
    base_iri: str | None = None,
    contexts: Mapping[str, object] | None = None,
    graph: ox.NamedNode | ox.DefaultGraph | None = None,
) -> int:
    """Parse a file into a (staging) store; return the number of quads read.

    Raises InputError naming file, line and column. The store is left untouched on error
    only if it is a fresh staging store: callers parse into staging, never into the catalog.
    Files other than JSON-LD are checked and parsed as streams, never read into memory whole.
    """
    source = str(path)
    fmt = fmt or detect_format(path)
    data: bytes | None = None
    if fmt == ox.RdfFormat.JSON_LD:
        data = prepare_jsonld(source, read_bytes(path), known_contexts(contexts))
        suspect = _may_hold_control_chars(data, b"")
    else:
        suspect = _scan_file(path)
    before = len(store)
    try:
        load_args: dict[str, object] = {"input": data} if data is not None else {"path": path}
        store.bulk_load(
            format=fmt,
            base_iri=base_iri or path.resolve().as_uri(),
            to_graph=graph if graph is not None else ox.DefaultGraph(),
            **load_args,
        )
    except SyntaxError as e:
        if data is None and fmt == ox.RdfFormat.RDF_XML:
            data = path.read_bytes()
        raise syntax_error(source, e, data, fmt) from None
    except ValueError as e:
        raise InputError(source, str(e)) from None
    count = len(store) - before
    if count == 0:
        raise InputError(source, "file holds no RDF triples")
    if suspect:
        _check_literals(store, source, data if data is not None else path.read_bytes())
    return count


_SCAN_CHUNK = 1 << 22
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# Escapes that can put a control character into a literal: Turtle / N-Triples / JSON \u and
# \U escapes of U+0000..U+001F and U+007F, and XML character references (any, to be safe).
_CONTROL_ESCAPE = re.compile(rb"\\u00[01][0-9A-Fa-f]|\\u007[Ff]|\\U000000[01][0-9A-Fa-f]"
                             rb"|\\U0000007[Ff]|&#")


def _may_hold_control_chars(chunk: bytes, tail: bytes) -> bool:
    """Whether a literal read from this text could hold a control character (cheap, may say
    yes wrongly, never says no wrongly). `tail` is the end of the previous chunk."""
    if len(chunk.translate(None, _CONTROL_BYTES)) != len(chunk):
        return True
    window = tail + chunk
    if b"\\" not in window and b"&" not in window:
        return False
    return _CONTROL_ESCAPE.search(window) is not None


def _scan_file(path: Path) -> bool:
    """Check a file as read_bytes does (readable, not empty, UTF-8), streaming it in chunks;
    return whether it may hold a literal with a control character."""
    source = str(path)
    try:
        f = path.open("rb")
    except OSError as e:
        raise InputError(source, f"cannot read file: {e.strerror}") from None
    decoder = codecs.getincrementaldecoder("utf-8")()
    suspect = False
    blank = True
    tail = b""
    offset = 0
    with f:
        while True:
            chunk = f.read(_SCAN_CHUNK)
            if offset == 0 and chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise InputError(
                    source, "file is UTF-16 encoded; hdcat reads UTF-8 (convert it first)", 1, 1
                )
            if blank and chunk and not chunk.isspace():
                blank = False
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as e:
                raise _utf8_error(source, path, offset + e.start) from None
            if not chunk:
                break
            if not suspect:
                suspect = _may_hold_control_chars(chunk, tail)
            tail = (tail + chunk)[-16:]
            offset += len(chunk)
    if blank:
        raise InputError(source, "file is empty")
    return suspect


def _utf8_error(source: str, path: Path, start: int) -> InputError:
    with path.open("rb") as f:
        data = f.read(start + 1)
    start = min(start, len(data) - 1)
    line = data.count(b"\n", 0, start) + 1
    column = start - (data.rfind(b"\n", 0, start) + 1) + 1
    return InputError(
        source,
        f"not valid UTF-8 (byte 0x{data[start]:02x}); hdcat reads UTF-8 text"
        " (was it saved as GBK/GB18030 or Latin-1?)",
        line,
        column,
    )


def _check_literals(store: ox.Store, source: str, data: bytes) -> None:
    for quad in store.quads_for_pattern(None, None, None, None):
        obj = quad.object
        if isinstance(obj, ox.Literal) and _CONTROL_CHARS.search(obj.value):
            bad = _CONTROL_CHARS.search(obj.value).group()
            raw = data.find(bad.encode())
            line = data.count(b"\n", 0, raw) + 1 if raw >= 0 else None
            raise InputError(
                source,
                f"literal of {quad.predicate.value} on {quad.subject} contains the control"
                f" character U+{ord(bad):04X}; remove it",
                line,
            )


class Document:
    """An RDF file to be read as a stream of triples, as many times as needed.

    Opening checks what `parse_into` checks before parsing (readable, not empty, UTF-8, JSON-LD
    contexts local); each `triples()` parses the file again (nothing is kept in memory but a
    JSON-LD document, which must be rewritten first), gives the triples of its default graph,
    and turns parser errors into InputError with line and column. The first full read also
    refuses a file with no triple at all, or (when the cheap scan found a reason to look) a
    literal with a control character, as `parse_into` does.
    """

    def __init__(
        self,
        path: Path,
        *,
        fmt: ox.RdfFormat | None = None,
        base_iri: str | None = None,
        contexts: Mapping[str, object] | None = None,
    ) -> None:
        self.path = path
        self.source = str(path)
        self.format = fmt or detect_format(path)
        self.base_iri = base_iri or path.resolve().as_uri()
        self._data: bytes | None = None
        if self.format == ox.RdfFormat.JSON_LD:
            self._data = prepare_jsonld(self.source, read_bytes(path), known_contexts(contexts))
            self._suspect = _may_hold_control_chars(self._data, b"")
        else:
            self._suspect = _scan_file(path)
        self._checked = False

    def triples(self) -> Iterator[ox.Quad]:
        """The triples of the default graph (as pyoxigraph Quads: `.subject`, `.predicate`,
        `.object`, `.triple`), in document order."""
        fmt = self.format
        if self._data is not None:
            parsed = ox.parse(self._data, format=fmt, base_iri=self.base_iri)
        else:
            parsed = ox.parse(path=str(self.path), format=fmt, base_iri=self.base_iri)
        dataset = fmt.supports_datasets
        if self._checked and not dataset:
            # Read and checked once already: the parser's own iterator, with no step between
            # (its errors, should the file have changed since, are SyntaxError / ValueError).
            return parsed
        return self._checked_triples(parsed, dataset)

    def _checked_triples(self, parsed: Iterator[ox.Quad], dataset: bool) -> Iterator[ox.Quad]:
        check = not self._checked
        quads = 0
        fmt = self.format
        default = ox.DefaultGraph
        suspect = check and self._suspect
        try:
            for quad in parsed:
                if check:
                    quads += 1
                    if suspect:
                        self._check_literal(quad)
                if dataset and type(quad.graph_name) is not default:
                    continue
                yield quad
        except SyntaxError as e:
            data = self._data
            if data is None and fmt == ox.RdfFormat.RDF_XML:
                data = self.path.read_bytes()
            raise syntax_error(self.source, e, data, fmt) from None
        except ValueError as e:
            raise InputError(self.source, str(e)) from None
        except OSError as e:
            raise InputError(self.source, f"cannot read file: {e.strerror or e}") from None
        if check:
            if quads == 0:
                raise InputError(self.source, "file holds no RDF triples")
            self._checked = True

    def _check_literal(self, quad: ox.Quad) -> None:
        obj = quad.object
        if isinstance(obj, ox.Literal) and _CONTROL_CHARS.search(obj.value):
            data = self._data if self._data is not None else self.path.read_bytes()
            bad = _CONTROL_CHARS.search(obj.value).group()  # type: ignore[union-attr]
            raw = data.find(bad.encode())
            line = data.count(b"\n", 0, raw) + 1 if raw >= 0 else None
            raise InputError(
                self.source,
                f"literal of {quad.predicate.value} on {quad.subject} contains the control"
                f" character U+{ord(bad):04X}; remove it",
                line,
            )
