"""Interface language (zh / en): chosen by ?lang=, remembered in a cookie, default from settings.

Labels of data (concepts, agents, standards) come from the graph in the chosen language;
this module only holds the interface's own words.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, request

LANGUAGES = ("zh", "en")
COOKIE = "hdcat_lang"

MESSAGES: dict[str, dict[str, str]] = {
    "site_name": {"zh": "健康医疗科学数据目录", "en": "Health Scientific Data Catalog"},
    "home": {"zh": "首页", "en": "Home"},
    "search": {"zh": "检索", "en": "Search"},
    "standards": {"zh": "标准", "en": "Standards"},
    "lineage": {"zh": "数据血缘", "en": "Lineage"},
    "sparql": {"zh": "SPARQL 查询", "en": "SPARQL"},
    "switch_language": {"zh": "English", "en": "中文"},
    "not_found": {"zh": "未找到", "en": "Not found"},
    "not_found_text": {"zh": "目录中没有这个资源。", "en": "The catalog has no such resource."},
    "error": {"zh": "出错了", "en": "Something went wrong"},
    "error_text": {
        "zh": "服务器无法完成请求,请稍后再试。",
        "en": "The server could not complete the request; please try again later.",
    },
}


def lang() -> str:
    chosen = g.get("lang")
    if chosen is not None:
        return chosen
    return current_app.catalog.settings.language  # type: ignore[attr-defined]


def t(key: str) -> str:
    """The interface text `key` in the current language."""
    texts = MESSAGES.get(key)
    if texts is None:
        return key
    return texts.get(lang()) or texts["en"]


def switch_url() -> str:
    """This page in the other language, keeping every query parameter (repeated ones too)."""
    other = "en" if lang() == "zh" else "zh"
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", other))
    return request.path + "?" + urlencode(args)


def _choose() -> None:
    asked = request.args.get("lang")
    remembered = request.cookies.get(COOKIE)
    default = current_app.catalog.settings.language  # type: ignore[attr-defined]
    g.lang = next((x for x in (asked, remembered, default) if x in LANGUAGES), "zh")
    g.remember_lang = asked in LANGUAGES and asked != remembered


def _remember(response: Response) -> Response:
    if getattr(g, "remember_lang", False):
        response.set_cookie(COOKIE, g.lang, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True)
    return response


def init_app(app: Flask) -> None:
    app.before_request(_choose)
    app.after_request(_remember)
    app.jinja_env.globals.update(t=t, lang=lang, LANGUAGES=LANGUAGES, switch_url=switch_url)
