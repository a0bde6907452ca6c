"""The OpenAPI 3.1 description of the registration API (served at /api/openapi.json)."""

from __future__ import annotations

ACTIONS = ("submit", "return", "approve", "publish", "withdraw")


def _error() -> dict[str, object]:
    return {"description": "Refused, with the reason in en and zh",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(schema: str, description: str = "OK") -> dict[str, object]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


_RDF_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/RdfBody"}},
        "text/turtle": {"schema": {"type": "string"}},
        "application/ld+json": {"schema": {"type": "object"}},
        "application/n-triples": {"schema": {"type": "string"}},
        "application/rdf+xml": {"schema": {"type": "string"}},
    },
}
_SID = {"name": "sid", "in": "path", "required": True, "schema": {"type": "string"}}
_ERRORS = {"400": _error(), "401": _error(), "403": _error(), "404": _error()}
# A request body over the data folder's `max_upload_bytes` is refused with 413 (every
# operation that reads a body); an RDF body of a media type that is neither JSON nor RDF
# with 415 (the operations that take RDF).
_TOO_LARGE = {"413": _error()}
_UNSUPPORTED = {"415": _error()}


def document(server: str) -> dict[str, object]:
    """The OpenAPI document, with `server` as the API's server URL."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "hdcat registration API",
            "version": "1.0",
            "description": (
                "Register health scientific datasets: create drafts from DCAT/hdcat RDF, submit"
                " them for review, and (curators) return, approve, publish, version and withdraw"
                " them. Authenticate with `Authorization: Bearer <token>` (`hdcat token create`)."
                " Drafts and submissions are private: they never appear in public pages, feeds,"
                " search or SPARQL."
            ),
        },
        "servers": [{"url": server}],
        "security": [{"bearer": []}],
        "paths": {
            "/api/openapi.json": {"get": {
                "summary": "This description", "security": [],
                "responses": {"200": {"description": "OpenAPI document"}}}},
            "/api/me": {"get": {"summary": "The account of the token",
                                "responses": {"200": _ok("Account"), **_ERRORS}}},
            "/api/submissions": {
                "get": {
                    "summary": "Submissions of the account (curators: `all=1` for everyone's)",
                    "parameters": [
                        {"name": "state", "in": "query", "schema": {
                            "type": "array", "items": {"$ref": "#/components/schemas/State"}},
                         "style": "form", "explode": True},
                        {"name": "all", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": _ok("SubmissionList"), **_ERRORS}},
                "post": {
                    "summary": "Create drafts: one per dataset the RDF describes",
                    "requestBody": _RDF_BODY,
                    "responses": {"201": _ok("Created", "Drafts created"),
                                  "207": _ok("Created", "Some drafts created, some refused"),
                                  **_ERRORS, **_TOO_LARGE, **_UNSUPPORTED}},
            },
            "/api/submissions/{sid}": {
                "parameters": [_SID],
                "get": {"summary": "A submission with its checks, history and RDF",
                        "responses": {"200": _ok("Submission"), **_ERRORS}},
                "put": {"summary": "Replace a draft's metadata", "requestBody": _RDF_BODY,
                        "responses": {"200": _ok("Submission"), "409": _error(), **_ERRORS,
                                      **_TOO_LARGE, **_UNSUPPORTED}},
                "delete": {"summary": "Discard a draft",
                           "responses": {"204": {"description": "Deleted"}, "409": _error(),
                                         **_ERRORS}},
            },
            "/api/submissions/{sid}/{action}": {
                "parameters": [_SID, {"name": "action", "in": "path", "required": True,
                                      "schema": {"type": "string", "enum": list(ACTIONS)}}],
                "post": {
                    "summary": "A workflow transition (return needs a comment)",
                    "requestBody": {"required": False, "content": {"application/json": {
                        "schema": {"type": "object",
                                   "properties": {"comment": {"type": "string"}}}}}},
                    "responses": {"200": _ok("Submission"), "409": _error(),
                                  "422": _error(), **_ERRORS, **_TOO_LARGE}},
            },
            "/api/datasets/versions": {"post": {
                "summary": "Start a new version of a published dataset (a draft)",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/DatasetRef"}}}},
                "responses": {"201": _ok("Submission"), "409": _error(), **_ERRORS,
                              **_TOO_LARGE}}},
            "/api/datasets/withdraw": {"post": {
                "summary": "Withdraw a published dataset (leaves a tombstone)",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/DatasetRef"}}}},
                "responses": {"200": {"description": "Withdrawn"}, **_ERRORS, **_TOO_LARGE}}},
            "/api/datasets/history": {"get": {
                "summary": "A dataset's publication history", "security": [],
                "parameters": [{"name": "dataset", "in": "query", "required": True,
                                "schema": {"type": "string", "format": "iri"}}],
                "responses": {"200": {"description": "Transitions"}, "400": _error()}}},
            "/api/dedup": {"post": {
                "summary": "Duplicate check: the published datasets most like a planned one",
                "security": [],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "description": "A planned dataset; a title is enough",
                    "properties": {k: {"type": ["string", "array", "number"]} for k in (
                        "title", "title_zh", "title_en", "description", "keywords", "domain",
                        "population", "region", "start", "end", "time", "variables",
                        "standards", "institutions", "size", "sources", "limit", "lang")}}}}},
                "responses": {"200": {"description": "Matches, best first", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "matches": {"type": "array", "items": {"type": "object", "properties": {
                            "dataset": {"type": "string", "format": "iri"},
                            "record": {"type": "string"}, "title": {"type": "string"},
                            "score": {"type": "number", "minimum": 0, "maximum": 1},
                            "band": {"enum": ["duplicate", "overlap", "distinct"]},
                            "why": {"type": "array", "items": {"type": "string"}}}}}}}}}},
                    "400": _error(), "413": {"description": "The body is over the size limit"},
                    "415": _error()}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "State": {"type": "string", "enum": ["draft", "submitted", "returned",
                                                     "approved", "published", "withdrawn"]},
                "Account": {"type": "object", "properties": {
                    "name": {"type": "string"}, "role": {"type": "string"}}},
                "RdfBody": {"type": "object", "required": ["rdf"], "properties": {
                    "rdf": {"type": "string", "description": "The metadata as text"},
                    "format": {"type": "string",
                               "enum": ["turtle", "ttl", "jsonld", "json-ld", "nt", "rdfxml",
                                        "rdf"], "default": "turtle"}}},
                "DatasetRef": {"type": "object", "required": ["dataset"], "properties": {
                    "dataset": {"type": "string", "format": "iri"},
                    "reason": {"type": "string"}}},
                "ValidationResult": {"type": "object", "properties": {
                    k: {"type": ["string", "null"]} for k in (
                        "focus", "path", "value", "component", "severity", "message",
                        "shape", "engine")}},
                "Transition": {"type": "object", "properties": {
                    "from": {"type": ["string", "null"]}, "to": {"type": "string"},
                    "actor": {"type": "string"}, "at": {"type": "string"},
                    "comment": {"type": ["string", "null"]}}},
                "Submission": {"type": "object", "required": ["id", "dataset", "state"],
                               "properties": {
                    "id": {"type": "string"}, "dataset": {"type": "string"},
                    "record": {"type": "string"}, "owner": {"type": "string"},
                    "state": {"$ref": "#/components/schemas/State"},
                    "title": {"type": "object", "properties": {
                        "zh": {"type": ["string", "null"]}, "en": {"type": ["string", "null"]}}},
                    "previousVersion": {"type": ["string", "null"]},
                    "created": {"type": "string"}, "updated": {"type": "string"},
                    "conforms": {"type": "boolean"},
                    "validation": {"type": "array",
                                   "items": {"$ref": "#/components/schemas/ValidationResult"}},
                    "history": {"type": "array",
                                "items": {"$ref": "#/components/schemas/Transition"}},
                    "rdf": {"type": "string"}}},
                "SubmissionList": {"type": "object", "properties": {"submissions": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Submission"}}}},
                "Created": {"type": "object", "properties": {
                    "submissions": {"type": "array",
                                    "items": {"$ref": "#/components/schemas/Submission"}},
                    "errors": {"type": "array", "items": {"type": "string"}}}},
                "Error": {"type": "object", "required": ["error"], "properties": {
                    "error": {"type": "string", "description": "What is wrong (in English)"},
                    "errors": {"type": "array", "items": {"type": "string"},
                               "description": "Each reason, when there are several (a"
                                              " creation that made no draft)"},
                    "message": {"type": "object", "properties": {
                        "en": {"type": "string"}, "zh": {"type": "string"}}},
                    "validation": {"type": "array",
                                   "items": {"$ref": "#/components/schemas/ValidationResult"}}}},
            },
        },
    }
