"""Resource pages and linked data: datasets, records, agents, the catalog, standards,
concepts, any IRI, and the lineage explorer.

Every resource is served by path (`/dataset/{id}` answers for `{base}/dataset/{id}` whatever
host serves it) as HTML or, by content negotiation or `?format=`, as RDF. Views are thin: the
read models are in hdcat.browse, hdcat.lineage and hdcat.citation.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from urllib.parse import quote

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, NotAcceptable, NotFound

from hdcat import browse, citation, queries
from hdcat.lineage import MAX_DEPTH, lineage, to_svg
from hdcat.namespaces import PREFIXES
from service import i18n
from service.i18n import lang, t

bp = Blueprint("pages", __name__)
log = logging.getLogger(__name__)

RDF_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
}
_HTML = ("text/html", "application/xhtml+xml")
_OFFERS = [*_HTML, *(mt for mt, _f in RDF_FORMATS.values()), "application/json"]
_BY_TYPE = {mt: key for key, (mt, _f) in RDF_FORMATS.items()} | {"application/json": "jsonld"}

_WORDS: dict[str, tuple[str, str]] = {
    "p_dataset": ("数据集", "Dataset"),
    "p_series": ("数据集系列", "Dataset series"),
    "p_overview": ("概况", "Overview"),
    "p_description": ("描述", "Description"),
    "p_other_language": ("其他语言", "Other language"),
    "p_keywords": ("关键词", "Keywords"),
    "p_identifiers": ("标识符", "Identifiers"),
    "p_publisher": ("发布者", "Publisher"),
    "p_creators": ("创建者", "Creators"),
    "p_contact": ("联系方式", "Contact"),
    "p_hdab": ("健康数据访问机构", "Health data access body"),
    "p_issued": ("发布日期", "Issued"),
    "p_modified": ("更新日期", "Modified"),
    "p_temporal": ("时间范围", "Time period"),
    "p_spatial": ("空间范围", "Spatial coverage"),
    "p_language": ("语种", "Language"),
    "p_frequency": ("更新频率", "Update frequency"),
    "p_classification": ("分类", "Classification"),
    "p_themes": ("主题", "Themes"),
    "p_type": ("类型", "Type"),
    "p_domain": ("数据领域", "Domain"),
    "p_category": ("数据类别（GB/T 39725）", "Data category (GB/T 39725)"),
    "p_health_category": ("健康数据类别", "Health category"),
    "p_sensitivity": ("安全级别", "Sensitivity level"),
    "p_access": ("访问与共享", "Access and sharing"),
    "p_sharing_mode": ("共享方式", "Sharing mode"),
    "p_access_rights": ("访问权限", "Access rights"),
    "p_licence": ("许可协议", "Licence"),
    "p_rights": ("权利声明", "Rights"),
    "p_embargo": ("保护期截止", "Embargo ends"),
    "p_embargo_active": ("保护期内，暂不提供下载。",
                         "Under embargo: downloads are not available yet."),
    "p_access_procedure": ("申请程序", "Access procedure"),
    "p_rights_holder": ("权利人", "Rights holder"),
    "p_usage_note": ("使用说明", "Usage notes"),
    "p_request_access": ("申请使用此数据", "Request access to this data"),
    "p_curation": ("管理", "Curation"),
    "p_new_version": ("创建新版本", "Create a new version"),
    "p_withdraw": ("撤回此数据集", "Withdraw this dataset"),
    "p_reason": ("原因", "Reason"),
    "p_history": ("发布记录", "Publication history"),
    "p_legislation": ("适用法规", "Applicable legislation"),
    "p_population": ("数据规模", "Size"),
    "p_records": ("记录数", "Records"),
    "p_individuals": ("个体数", "Unique individuals"),
    "p_age": ("年龄范围", "Age range"),
    "p_structured": ("结构化数据", "Structured data"),
    "p_yes": ("是", "yes"),
    "p_no": ("否", "no"),
    "p_variables": ("变量", "Variables"),
    "p_name": ("名称", "Name"),
    "p_datatype": ("数据类型", "Data type"),
    "p_privacy": ("去标识化", "De-identification"),
    "p_methods": ("方法", "Methods"),
    "p_k": ("k 值", "k"),
    "p_risk": ("重标识风险", "Re-identification risk"),
    "p_assessed_against": ("评估依据", "Assessed against"),
    "p_processing": ("处理活动", "Processing activities"),
    "p_used": ("使用数据", "Used"),
    "p_informed_by": ("前序活动", "Informed by"),
    "p_ended": ("完成时间", "Ended"),
    "p_associated": ("执行者", "Carried out by"),
    "p_provenance": ("来源说明", "Provenance"),
    "p_standards": ("遵循标准", "Standards"),
    "p_conforms_to": ("遵循", "Conforms to"),
    "p_distributions": ("数据分发", "Distributions"),
    "p_format": ("格式", "Format"),
    "p_media_type": ("媒体类型", "Media type"),
    "p_size": ("大小", "Size"),
    "p_access_url": ("访问地址", "Access"),
    "p_download": ("下载", "Download"),
    "p_download_hidden": ("保护期满后提供下载", "Download available after the embargo"),
    "p_checksum": ("校验值", "Checksum"),
    "p_funding": ("资助项目", "Funding"),
    "p_grant": ("项目编号", "Grant"),
    "p_funder": ("资助机构", "Funder"),
    "p_papers": ("引用本数据集的论文", "Papers citing this dataset"),
    "p_versions": ("版本", "Versions"),
    "p_version": ("版本号", "Version"),
    "p_previous_version": ("上一版本", "Previous version"),
    "p_later_version": ("后续版本", "Later version"),
    "p_in_series": ("所属系列", "Series"),
    "p_current": ("当前版本", "current"),
    "p_this": ("本页", "this page"),
    "p_related": ("相关数据集", "Related datasets"),
    "p_rel_source": ("来源数据", "Source"),
    "p_rel_derived": ("派生数据", "Derived"),
    "p_rel_related": ("相关", "Related"),
    "p_rel_replaces": ("取代", "Replaces"),
    "p_rel_replaced_by": ("被取代", "Replaced by"),
    "p_rel_part_of": ("属于", "Part of"),
    "p_rel_has_part": ("包含", "Has part"),
    "p_record": ("目录记录", "Catalog record"),
    "p_record_source": ("采集来源", "Harvested from"),
    "p_profile": ("元数据规范", "Metadata profile"),
    "p_cite": ("引用本数据集", "Cite this dataset"),
    "p_cite_gbt": ("GB/T 7714-2015", "GB/T 7714-2015"),
    "p_cite_datacite": ("DataCite", "DataCite"),
    "p_lineage": ("数据血缘", "Data lineage"),
    "p_lineage_open": ("在血缘浏览器中查看", "Open in the lineage explorer"),
    "p_upstream": ("上游来源", "Upstream sources"),
    "p_downstream": ("下游派生", "Downstream derived datasets"),
    "p_no_lineage": ("没有记录的来源或派生数据。", "No recorded sources or derived datasets."),
    "p_lineage_truncated": ("血缘图已截断，可增加深度继续查看。",
                            "The lineage was cut off; increase the depth to see more."),
    "p_linked_data": ("关联数据", "Linked data"),
    "p_datasets": ("数据集", "Datasets"),
    "p_more": ("仅显示前 200 个。", "Only the first 200 are shown."),
    "p_none": ("无", "none"),
    "p_homepage": ("主页", "Homepage"),
    "p_email": ("电子邮件", "Email"),
    "p_role": ("角色", "Role"),
    "p_role_publisher": ("发布者", "publisher"),
    "p_role_creator": ("创建者", "creator"),
    "p_person": ("个人", "Person"),
    "p_organisation": ("机构", "Organisation"),
    "p_standard": ("标准", "Standard"),
    "p_standards_catalog": ("标准目录", "Standards catalog"),
    "p_family": ("标准类别", "Family"),
    "p_family_other": ("其他", "Other"),
    "p_notation": ("编号", "Notation"),
    "p_replaces": ("代替", "Replaces"),
    "p_replaced_by": ("被代替", "Replaced by"),
    "p_source": ("来源", "Source"),
    "p_conforming": ("遵循此标准的数据集", "Datasets conforming to this standard"),
    "p_concept": ("概念", "Concept"),
    "p_scheme": ("概念体系", "Concept scheme"),
    "p_definition": ("定义", "Definition"),
    "p_broader": ("上位概念", "Broader"),
    "p_narrower": ("下位概念", "Narrower"),
    "p_members": ("概念", "Concepts"),
    "p_matches": ("对应概念", "Mappings"),
    "p_using": ("使用此概念的数据集", "Datasets using this concept"),
    "p_resource": ("资源", "Resource"),
    "p_properties": ("属性", "Properties"),
    "p_catalog": ("数据目录", "Catalog"),
    "p_browse_search": ("检索数据集", "Search the datasets"),
    "p_lineage_explorer": ("数据血缘浏览", "Lineage explorer"),
    "p_lineage_help": ("输入数据集 IRI 或编号，查看其上游来源与下游派生数据。",
                       "Enter a dataset IRI or id to see its upstream sources and downstream "
                       "derived datasets."),
    "p_iri": ("数据集 IRI 或编号", "Dataset IRI or id"),
    "p_depth": ("深度", "Depth"),
    "p_show": ("查看", "Show"),
    "p_unknown_dataset": ("目录中没有这个数据集。", "The catalog has no such dataset."),
    "p_start": ("起点", "Start"),
    "p_not_in_catalog": ("（不在目录中）", "(not in the catalog)"),
    "p_not_acceptable": ("不支持所请求的格式。", "The requested format is not supported."),
    "p_formats": ("其他格式", "Other formats"),
}
i18n.MESSAGES.update(
    {k: {"zh": zh, "en": en} for k, (zh, en) in _WORDS.items() if k not in i18n.MESSAGES}
)


# --------------------------------------------------------------------------- helpers


def _catalog():  # noqa: ANN202 - the app's Catalog
    return current_app.catalog  # type: ignore[attr-defined]


def _labels():  # noqa: ANN202 - the app's Labels
    return current_app.labels  # type: ignore[attr-defined]


def _linker() -> browse.Linker:
    return browse.Linker(_catalog().settings.base_iri, _labels(), request.script_root)


def _candidates(path: str) -> list[str]:
    """The IRIs a request path may stand for: under the configured base, then under the host
    that serves the request (http and https)."""
    host = request.host_url.rstrip("/")
    out = [_catalog().settings.base_iri.rstrip("/") + path, host + path]
    if host.startswith("http://"):
        out.append("https://" + host[len("http://") :] + path)
    return list(dict.fromkeys(out))


def negotiate() -> str | None:
    """'html', an RDF format key, or None (nothing acceptable: 406). `?format=` wins over
    the Accept header; a missing Accept header means HTML."""
    fmt = request.args.get("format")
    if fmt:
        return fmt if fmt in RDF_FORMATS or fmt == "html" else None
    if not request.headers.get("Accept", "").strip():
        return "html"
    best = request.accept_mimetypes.best_match(_OFFERS)
    if best is None:
        return None
    return "html" if best in _HTML else _BY_TYPE[best]


def _vary(response: Response) -> Response:
    response.vary.add("Accept")
    return response


def rdf_response(triples: Iterable[ox.Triple], fmt: str) -> Response:
    media, rdf_format = RDF_FORMATS[fmt]
    items = list(dict.fromkeys(triples))
    body = ox.serialize(items, format=rdf_format, prefixes=PREFIXES)
    response = Response(body, mimetype=media)
    if media.startswith("text/"):
        response.charset = "utf-8"
    return _vary(response)


def _html(template: str, status: int = 200, **context: object) -> Response:
    response = Response(render_template(template, **context), status=status,
                        mimetype="text/html")
    response.vary.add("Cookie")  # the interface language is remembered in a cookie
    return _vary(response)


def _format_links() -> list[tuple[str, str, str]]:
    """(label, href, media type) of the RDF forms of the current page."""
    base = request.base_url
    return [(key, f"{base}?format={key}", mt) for key, (mt, _f) in RDF_FORMATS.items()]


def _not_found() -> Response:
    raise NotFound()


def _choose() -> str:
    fmt = negotiate()
    if fmt is None:
        raise NotAcceptable()
    return fmt


def _quads_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    return [q.triple for q in quads]


# --------------------------------------------------------------------------- datasets


def _dataset_response(record_iri: str, ds_iri: str, fmt: str) -> Response:
    catalog = _catalog()
    if fmt != "html":
        return rdf_response(_quads_triples(catalog.export_quads(record=record_iri)), fmt)
    linker = _linker()
    labels = _labels()
    view = browse.dataset_view(catalog, labels, ds_iri, lang(), link=linker)
    if view is None:
        return _not_found()
    data = citation.from_view(view)
    today = date.today()
    cites = {
        "gbt7714": citation.gbt7714(data, lang(), accessed=today),
        "datacite": citation.datacite(data, lang()),
        "apa": citation.apa(data, lang()),
    }
    graph = lineage(catalog, view.iri, depth=2)
    svg = to_svg(graph, labels, lang(), link=linker.local, title=t("p_lineage"))
    page_url = request.base_url
    schema = browse.schema_org(view, url=page_url, catalog_iri=catalog.settings.catalog_iri,
                               citations=[])
    response = _html(
        "dataset.html",
        view=view,
        cites=cites,
        lineage=graph,
        svg=Markup(svg),  # built escaped by hdcat.lineage.to_svg
        jsonld=Markup(browse.script_json(schema)),  # JSON with <, >, & escaped
        formats=_format_links(),
        link=linker,
        labels=labels,
        lineage_url=f"{request.script_root}/lineage?iri={quote(view.iri, safe='')}",
        history=_public_history(view.iri),
        request_access_url=_request_access_url(view),
    )
    links = [f'<{view.cite_as}>; rel="cite-as"']
    links += [f'<{href}>; rel="describedby"; type="{mt}"' for _k, href, mt in _format_links()]
    links += ['<https://schema.org/Dataset>; rel="type"',
              '<http://www.w3.org/ns/dcat#Dataset>; rel="type"']
    links += [f'<{lic.iri}>; rel="license"' for lic in view.licences]
    response.headers["Link"] = ", ".join(links)
    return response


def _public_history(ds_iri: str) -> list:
    from service.auth import workflow

    return [h for h in workflow().history(ds_iri) if h.to_state in ("published", "withdrawn")]


def _request_access_url(view: browse.DatasetView) -> str | None:
    """The access request form, for datasets that are not open to all."""
    open_access = all(a.iri.endswith("/PUBLIC") for a in view.access_rights)
    if open_access or request.endpoint != "pages.dataset":
        return None
    return url_for("access.request_form", ident=request.view_args["ident"])


@bp.route("/dataset/<ident>")
def dataset(ident: str) -> Response:
    fmt = _choose()
    candidates = _candidates(f"/dataset/{ident}")
    found = browse.resolve_record(_catalog(), candidates)
    if found is None:
        return _tombstone(candidates, fmt)
    return _dataset_response(found[0], found[1], fmt)


def _tombstone(candidates: list[str], fmt: str) -> Response:
    """410 Gone with what remains of a withdrawn dataset: its titles and identifiers."""
    from service.auth import workflow

    flow = workflow()
    stone = next((s for s in map(flow.tombstone, candidates) if s is not None), None)
    if stone is None:
        return _not_found()
    if fmt != "html":
        return _vary(Response(status=410))
    return _html("tombstone.html", status=410, stone=stone)


@bp.route("/record/<ident>")
def record(ident: str) -> Response:
    fmt = _choose()
    found = browse.resolve_record(_catalog(), _candidates(f"/record/{ident}"))
    if found is None:
        return _not_found()
    if fmt == "html":
        target = _linker()(found[1]) or f"{request.script_root}/resource?iri=" + quote(
            found[1], safe="")
        return _vary(redirect(target, code=303))  # type: ignore[arg-type]
    return _dataset_response(found[0], found[1], fmt)


# --------------------------------------------------------------------------- agents, catalog


def _described_response(iri: str, fmt: str) -> Response | None:
    quads = browse.describe(_catalog(), iri)
    if not quads:
        return None
    return rdf_response(_quads_triples(quads), fmt)


def _agent_response(iri: str, fmt: str) -> Response | None:
    if fmt != "html":
        return _described_response(iri, fmt)
    view = browse.publisher_view(_catalog(), _labels(), iri, lang(), link=_linker())
    if view is None:
        return None
    return _html("publisher.html", view=view, formats=_format_links())


@bp.route("/agent/<ident>")
def agent(ident: str) -> Response:
    fmt = _choose()
    for iri in _candidates(f"/agent/{ident}"):
        response = _agent_response(iri, fmt)
        if response is not None:
            return response
    return _not_found()


def _catalog_triples() -> list[ox.Triple]:
    """The catalog's own description (not its links to every dataset and record)."""
    catalog = _catalog()
    iri = catalog.settings.catalog_iri
    rows = catalog.store.query(queries.with_values(
        "graphs_content", g=[ox.NamedNode(iri), ox.NamedNode("urn:hdcat:graph:catalog")]))
    triples = [
        ox.Triple(row["s"], row["p"], row["o"]) for row in rows
        if isinstance(row["s"], ox.NamedNode)
        and (row["s"].value == iri or row["s"].value.startswith(iri + "#"))
    ]
    return triples


@bp.route("/catalog")
def catalog_page() -> Response:
    fmt = _choose()
    catalog = _catalog()
    iri = catalog.settings.catalog_iri
    if fmt != "html":
        from service.feeds import catalog_rdf  # the paged DCAT feed (service/feeds.py)

        return catalog_rdf(fmt)
    triples = _catalog_triples()
    view = browse.resource_view(catalog, _labels(), iri, lang(), link=_linker(),
                                triples=triples)
    if view is None:
        view = browse.ResourceView(iri, t("p_catalog"), [], [])
    return _html("catalog.html", view=view, formats=_format_links())


# --------------------------------------------------------------------------- standards, concepts


@bp.route("/standards")
def standards() -> Response:
    families = browse.standards_by_family(_catalog(), _labels(), lang(), link=_linker())
    return _html("standards.html", families=families)


def _standard_response(iri: str, fmt: str) -> Response | None:
    if fmt != "html":
        return _described_response(iri, fmt)
    view = browse.standard_view(_catalog(), _labels(), iri, lang(), link=_linker())
    if view is None:
        return None
    return _html("standard.html", view=view, formats=_format_links())


@bp.route("/standard/<slug>")
def standard(slug: str) -> Response:
    fmt = _choose()
    response = _standard_response(browse.STANDARD_NS + slug, fmt)
    return response if response is not None else _not_found()


def _concept_response(iri: str, fmt: str) -> Response | None:
    if fmt != "html":
        return _described_response(iri, fmt)
    view = browse.concept_view(_catalog(), _labels(), iri, lang(), link=_linker())
    if view is None:
        return None
    return _html("concept.html", view=view, formats=_format_links())


@bp.route("/vocab/<scheme>")
@bp.route("/vocab/<scheme>/<code>")
def concept(scheme: str, code: str | None = None) -> Response:
    fmt = _choose()
    iri = browse.VOCAB_NS + scheme + (f"/{code}" if code is not None else "")
    response = _concept_response(iri, fmt)
    return response if response is not None else _not_found()


@bp.route("/resource")
def resource() -> Response:
    """Any IRI the graph describes: the page of its kind, or a table of its properties."""
    fmt = _choose()
    iri = request.args.get("iri", "").strip()
    catalog = _catalog()
    kind = browse.resource_kind(catalog, iri) if iri else None
    if kind is None:
        return _not_found()
    local = browse.local_path(iri, catalog.settings.base_iri)
    if kind == "catalog" and iri == catalog.settings.catalog_iri:
        local = local or "/catalog"
        if fmt != "html":
            return rdf_response(_catalog_triples(), fmt)
    if fmt == "html" and local is not None and kind != "resource":
        return _vary(redirect(request.script_root + local, code=303))  # type: ignore[arg-type]
    response: Response | None = None
    if kind == "dataset":
        found = browse.resolve_record(catalog, [iri])
        if found is not None:
            response = _dataset_response(found[0], found[1], fmt)
    elif kind == "agent":
        response = _agent_response(iri, fmt)
    elif kind == "standard":
        response = _standard_response(iri, fmt)
    elif kind == "concept":
        response = _concept_response(iri, fmt)
    if response is None:
        if fmt != "html":
            response = _described_response(iri, fmt)
        else:
            view = browse.resource_view(catalog, _labels(), iri, lang(), link=_linker())
            if view is not None:
                response = _html("resource.html", view=view, formats=_format_links())
    return response if response is not None else _not_found()


# --------------------------------------------------------------------------- lineage


def _dataset_iri(text: str) -> str | None:
    """A dataset IRI from what a user typed: an IRI, a site path or a bare id."""
    catalog = _catalog()
    text = text.strip()
    if not text:
        return None
    if "://" in text or text.startswith("urn:"):
        candidates = [text]
    elif text.startswith("/"):
        candidates = _candidates(text)
    else:
        candidates = _candidates(f"/dataset/{text}")
    found = browse.resolve_record(catalog, candidates)
    return found[1] if found is not None else None


@bp.route("/lineage")
def lineage_page() -> Response:
    asked = request.args.get("iri", "")
    try:
        depth = max(1, min(int(request.args.get("depth", "3")), MAX_DEPTH))
    except ValueError:
        depth = 3
    context: dict[str, object] = {"asked": asked, "depth": depth, "max_depth": MAX_DEPTH}
    if not asked.strip():
        return _html("lineage.html", **context)
    iri = _dataset_iri(asked)
    if iri is None:
        return _html("lineage.html", status=404, unknown=True, **context)
    labels = _labels()
    linker = _linker()
    graph = lineage(_catalog(), iri, depth=depth)
    explore = f"{request.script_root}/lineage?depth={depth}&iri="

    def explore_link(node_iri: str) -> str | None:
        return explore + quote(node_iri, safe="") if graph.nodes[node_iri].in_catalog else None

    svg = to_svg(graph, labels, lang(), link=linker.local, title=t("p_lineage"))
    return _html(
        "lineage.html",
        graph=graph,
        start_label=labels.label(iri, lang()),
        start_href=linker(iri),
        svg=Markup(svg),  # built escaped by hdcat.lineage.to_svg
        labels=labels,
        link=linker,
        explore=explore_link,
        **context,
    )


# --------------------------------------------------------------------------- errors


def _wants_html() -> bool:
    fmt = request.args.get("format")
    if fmt and fmt != "html":
        return False
    header = request.headers.get("Accept", "")
    if not header.strip():
        return True
    best = request.accept_mimetypes.best_match(_OFFERS)
    return best is None or best in _HTML


def _api_error(error: HTTPException) -> Response | None:
    """An error of no view under /api/ (no such path, a method not allowed) as the API's
    Error body; None elsewhere."""
    if not request.path.startswith("/api/"):
        return None
    description = error.description or error.name
    response = jsonify({"error": description, "message": {"en": description,
                                                          "zh": description}})
    response.status_code = error.code or 500
    return keep_headers(response, error)


@bp.app_errorhandler(404)
def not_found(error: Exception) -> Response:
    api = _api_error(error) if isinstance(error, HTTPException) else None
    if api is not None:
        return api
    if not _wants_html():
        return _vary(Response(t("not_found") + "\n", status=404, mimetype="text/plain"))
    try:
        return _html("error.html", status=404, title=t("not_found"), text=t("not_found_text"))
    except Exception:  # noqa: BLE001 - never fail while reporting
        log.exception("rendering the 404 page failed")
        return Response("Not found\n", status=404, mimetype="text/plain")


@bp.app_errorhandler(406)
def not_acceptable(_error: Exception) -> Response:
    offered = ", ".join(mt for mt, _f in RDF_FORMATS.values())
    body = f"{t('p_not_acceptable')} text/html, {offered}\n"
    return _vary(Response(body, status=406, mimetype="text/plain"))


def keep_headers(response: Response, error: HTTPException) -> Response:
    """`response`, made for `error`, with the headers the exception itself answers with
    (Allow of a 405, WWW-Authenticate of a 401, Retry-After of a 429 or 503...): a handler
    that renders its own body must not drop them."""
    try:
        headers = error.get_response().headers
    except Exception:  # noqa: BLE001 - never fail while reporting
        log.exception("reading the headers of %r failed", error)
        return response
    own = [(name, value) for name, value in headers.items()
           if name.lower() not in ("content-type", "content-length")]
    for name in {name for name, _value in own}:
        response.headers.pop(name, None)
    for name, value in own:
        response.headers.add(name, value)
    return response


@bp.app_errorhandler(Exception)
def server_error(error: Exception) -> Response:
    """Any other failure: HTTP errors pass through (an HTML page for a browser, with the
    exception's own headers); anything else is logged and answered with a 500 page that
    shows no details."""
    if isinstance(error, HTTPException):
        api = _api_error(error) if error.code and 400 <= error.code < 500 else None
        if api is not None:
            return api
        if error.code and 400 <= error.code < 500 and _wants_html():
            try:
                page = _html("error.html", status=error.code, title=f"{error.code} {error.name}",
                             text=error.description or "")
                return keep_headers(page, error)
            except Exception:  # noqa: BLE001 - never fail while reporting
                log.exception("rendering the %s page failed", error.code)
        return error  # type: ignore[return-value]
    log.exception("unhandled error on %s", request.path)
    try:
        return _html("error.html", status=500, title=t("error"), text=t("error_text"))
    except Exception:  # noqa: BLE001 - never fail while reporting
        return Response("Internal server error\n", status=500, mimetype="text/plain")
