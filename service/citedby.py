"""Cited-by: curators add the papers that cite a dataset; the citation network page."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from hdcat import citedby
from hdcat.audit import acting
from service import i18n
from service.auth import current_account, require
from service.i18n import lang

bp = Blueprint("citedby", __name__)

i18n.MESSAGES.update({
    "cn_title": {"zh": "引用网络", "en": "Citation network"},
    "cn_intro": {"zh": "引用目录中数据集的论文,以及每个数据集被引用的次数。",
                 "en": "Papers that cite datasets of the catalog, and how often each dataset is "
                       "cited."},
    "cn_datasets": {"zh": "被引用的数据集", "en": "Cited datasets"},
    "cn_papers": {"zh": "引用论文", "en": "Citing papers"},
    "cn_count": {"zh": "被引次数", "en": "Citations"},
    "cn_none": {"zh": "目录中还没有引用记录。", "en": "No citations are recorded yet."},
    "cn_add": {"zh": "添加引用论文", "en": "Add a citing paper"},
    "cn_doi": {"zh": "论文 DOI", "en": "Paper DOI"},
    "cn_paper_title": {"zh": "论文题名", "en": "Paper title"},
    "cn_year": {"zh": "发表年份", "en": "Year"},
})


def _local(iri: str) -> str:
    """The site's page of a dataset IRI (its path under the base), or the resource page."""
    base = current_app.catalog.base  # type: ignore[attr-defined]
    if iri.startswith(base + "/dataset/"):
        return request.script_root + iri[len(base):]
    return f"{request.script_root}/resource?iri={quote(iri, safe='')}"


def _svg(net: citedby.Network, titles: dict[str, str], limit: int = 30) -> Markup:
    """A bipartite picture: papers on the left, datasets on the right, a line per citation."""
    papers_of = net.papers_of()
    datasets = sorted(papers_of, key=lambda d: (-len(papers_of[d]), d))[:limit]
    papers = sorted({p for d in datasets for p in papers_of[d]})
    if not datasets:
        return Markup("")
    row, width = 26, 900
    height = max(len(datasets), len(papers)) * row + 20
    y_paper = {p: 20 + i * row for i, p in enumerate(papers)}
    y_ds = {d: 20 + i * row for i, d in enumerate(datasets)}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-labelledby="cn-svg-title" class="citation-network">'
             f'<title id="cn-svg-title">{escape(i18n.t("cn_title"))}</title>']
    for d in datasets:
        for p in papers_of[d]:
            parts.append(f'<line x1="330" y1="{y_paper[p] - 4}" x2="560" y2="{y_ds[d] - 4}" '
                         'stroke="#8aa" stroke-width="1"/>')
    for p in papers:
        label = net.paper_titles.get(p) or p.removeprefix("https://doi.org/")
        parts.append(f'<a href="{escape(p)}"><text x="325" y="{y_paper[p]}" '
                     f'text-anchor="end" font-size="12">{escape(label[:48])}</text></a>')
    for d in datasets:
        label = titles.get(d) or d.rsplit("/", 1)[-1]
        parts.append(f'<a href="{escape(_local(d))}"><text x="565" y="{y_ds[d]}" '
                     f'font-size="12">{escape(label[:40])} ({len(papers_of[d])})</text></a>')
    parts.append("</svg>")
    return Markup("".join(parts))


@bp.route("/citations")
def network() -> Response | str:
    net = citedby.network(current_app.catalog)  # type: ignore[attr-defined]
    labels = current_app.labels  # type: ignore[attr-defined]
    papers_of = net.papers_of()
    titles = {d: labels.label(d, lang()) for d in papers_of}
    ranked = sorted(papers_of, key=lambda d: (-len(papers_of[d]), titles[d]))
    if request.args.get("format") == "json":
        return jsonify({"datasets": [{"dataset": d, "citations": len(papers_of[d]),
                                      "papers": papers_of[d]} for d in ranked],
                        "papers": [{"paper": p, "title": net.paper_titles.get(p),
                                    "datasets": ds} for p, ds in
                                   sorted(net.datasets_of().items())]})
    return render_template("citations.html", ranked=ranked, papers_of=papers_of,
                           titles=titles, net=net, link=_local, svg=_svg(net, titles))


@bp.route("/dataset/<ident>/cited-by", methods=["POST"])
@require("curator", write=True)
def add(ident: str) -> Response:
    from service.pages import _candidates

    catalog = current_app.catalog  # type: ignore[attr-defined]
    found = next((f for f in map(catalog.find_record, _candidates(f"/dataset/{ident}")) if f),
                 None)
    if found is None:
        abort(404)
    citation = citedby.Citation(str(found[1].value), request.form.get("doi", ""),
                                request.form.get("title") or None,
                                request.form.get("year") or None)
    with acting(current_account().name, "cite"):
        result = citedby.add(catalog, [citation], where="form")
    if result.errors:
        abort(400, description="; ".join(result.errors))
    return redirect(f"{request.script_root}/dataset/{ident}#papers-h")
