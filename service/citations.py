"""Citations of a dataset in every style: `/dataset/<ident>/cite?style=…&lang=zh|en`.

The text styles (GB/T 7714, DataCite, APA) are served as UTF-8 plain text; BibTeX, RIS and
CSL-JSON as downloads with their own media types and a file name. The dataset is found the
way the dataset page finds it (service.pages, hdcat.browse); the strings come from
hdcat.citation.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, request
from werkzeug.exceptions import NotFound

from hdcat import browse, citation
from service import i18n
from service.i18n import lang, t
from service.pages import _candidates, _catalog, _labels

bp = Blueprint("citations", __name__)

FORMATS: dict[str, tuple[str, str | None]] = {
    "gbt7714": ("text/plain", None),
    "datacite": ("text/plain", None),
    "apa": ("text/plain", None),
    "bibtex": ("application/x-bibtex", ".bib"),
    "ris": ("application/x-research-info-systems", ".ris"),
    "csl-json": ("application/vnd.citationstyles.csl+json", ".json"),
}
"""Style -> (media type, file name extension of the download, None for inline text)."""

_WORDS: dict[str, tuple[str, str]] = {
    "c_apa": ("APA 7", "APA 7"),
    "c_formats": ("引文格式", "Citation formats"),
    "c_bad_style": ("未知的引文格式。可用格式：", "Unknown citation style. Allowed styles: "),
}
i18n.MESSAGES.update(
    {k: {"zh": zh, "en": en} for k, (zh, en) in _WORDS.items() if k not in i18n.MESSAGES}
)


def citation_data(ident: str) -> citation.CitationData | None:
    """The citation data of the dataset served at `/dataset/<ident>`, or None."""
    catalog = _catalog()
    found = browse.resolve_record(catalog, _candidates(f"/dataset/{ident}"))
    if found is None:
        return None
    view = browse.dataset_view(catalog, _labels(), found[1], lang())
    return citation.from_view(view) if view is not None else None


@bp.route("/dataset/<ident>/cite")
def cite(ident: str) -> Response:
    """The citation of a dataset in `?style=` (GB/T 7714 by default) and `?lang=`."""
    style = request.args.get("style", "gbt7714")
    if style not in citation.STYLES or style not in FORMATS:
        body = t("c_bad_style") + ", ".join(FORMATS) + "\n"
        return Response(body, status=400, mimetype="text/plain")
    data = citation_data(ident)
    if data is None:
        raise NotFound()
    mimetype, extension = FORMATS[style]
    text = citation.cite(data, style, lang(), accessed=date.today())
    # JSON is UTF-8 by definition (RFC 8259) and takes no charset parameter
    charset = "" if mimetype.endswith("+json") else "; charset=utf-8"
    response = Response(text, content_type=mimetype + charset)
    if extension is not None:
        key = citation.bibtex_key(data).replace(":", "-")
        filename = f"{key}-{lang()}{extension}"
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.vary.add("Cookie")  # the language may come from the cookie
    return response
