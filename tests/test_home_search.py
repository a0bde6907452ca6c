"""Home page and search (service/home.py, hdcat/charts.py) on the real demo catalog.

Every number the pages show is checked against counts computed with rdflib straight from
hdcat/demo/demo-catalog.ttl and the vocabulary files.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from rdflib import Graph, Namespace, URIRef

from hdcat import charts
from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.store import EmbeddedStore, RemoteStore

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "hdcat" / "demo" / "demo-catalog.ttl"
VOCABS = ROOT / "ontology" / "vocabularies"
RECORD = ROOT / "tests" / "data" / "record-valid.ttl"
B = "https://hdcat.example.org"

RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
HDCAT = Namespace("https://w3id.org/hdcat/ns#")
DOM = "https://w3id.org/hdcat/vocab/domain/"
LVL = "https://w3id.org/hdcat/vocab/sensitivity-level/"
CM = DOM + "clinical-medicine"
L3 = LVL + "L3"


# ---------------------------------------------------------------------------- expected (rdflib)


@cache
def demo() -> Graph:
    return Graph().parse(DEMO, format="turtle")


@cache
def vocab() -> Graph:
    g = Graph()
    for path in VOCABS.glob("*.ttl"):
        g.parse(path, format="turtle")
    return g


def datasets() -> set[URIRef]:
    return set(demo().subjects(RDF.type, DCAT.Dataset))


def series() -> set[URIRef]:
    return set(demo().subjects(RDF.type, DCAT.DatasetSeries))


def everything() -> set[URIRef]:
    """What search lists: datasets and dataset series."""
    return datasets() | series()


def per(prop: URIRef, among: set[URIRef] | None = None) -> Counter[str]:
    """Datasets (or `among`) per value of a classifying property."""
    among = datasets() if among is None else among
    return Counter(str(o) for ds in among for o in set(demo().objects(ds, prop)))


def issued(ds: URIRef) -> str:
    return str(next(demo().objects(ds, DCT.issued)))


def per_year() -> Counter[str]:
    return Counter(issued(ds)[:4] for ds in datasets())


def pref(iri: str, lang: str) -> str:
    return next(
        str(o) for o in vocab().objects(URIRef(iri), SKOS.prefLabel) if o.language == lang
    )


def with_all(**props: str) -> set[str]:
    g = demo()
    return {
        str(ds) for ds in datasets()
        if all((ds, HDCAT[p], URIRef(v)) in g for p, v in props.items())
    }


def title_of(ds: str, lang: str = "zh") -> str:
    return next(str(o) for o in demo().objects(URIRef(ds), DCT.title) if o.language == lang)


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(
    scope="module", params=["embedded", pytest.param("remote", marks=pytest.mark.remote)]
)
def catalog(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    data = tmp_path_factory.mktemp("home-search")
    if request.param == "embedded":
        store = EmbeddedStore(data / "store")
    else:
        store = RemoteStore.from_base_url(request.getfixturevalue("oxigraph_server"))
        store.clear()
    cat = Catalog(Settings(data_dir=data), store)
    cat.initialize(demo=True)
    yield cat
    cat.close()


@pytest.fixture(scope="module")
def client(catalog: Catalog):
    from service.app import create_app

    app = create_app(catalog)
    app.testing = True
    return app.test_client()


def get_json(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, r.data[:500]
    assert r.mimetype == "application/json"
    return r.get_json()


def search_json(client, **params: object) -> dict:
    return get_json(client, "/search.json?" + urlencode(params, doseq=True))


def all_hits(client, **params: object) -> list[dict]:
    return search_json(client, per_page=100, **params)["hits"]


def page_html(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, r.data[:500]
    return r.get_data(as_text=True)


def chart(page: str, name: str) -> str:
    found = re.search(rf'<figure[^>]*aria-labelledby="chart-{name}-cap".*?</figure>', page, re.S)
    assert found, f"no {name} chart"
    return found.group(0)


# ---------------------------------------------------------------------------- home


def test_home_numbers(client) -> None:
    page = page_html(client, "/")
    n = len(datasets())
    assert n == 70
    assert re.search(r'hd-stat-datasets">\s*<dt>[^<]+</dt>\s*<dd data-count="70">70</dd>', page)
    publishers = {str(p) for ds in datasets() for p in demo().objects(ds, DCT.publisher)}
    assert f'data-count="{len(publishers)}"' in page
    distributions = {d for ds in datasets() for d in demo().objects(ds, DCAT.distribution)}
    assert f'data-count="{len(distributions)}"' in page
    assert 'role="search"' in page and 'name="q"' in page
    assert re.search(r'<label for="hd-home-q">', page)


def test_home_charts_match_the_graph(client) -> None:
    page = page_html(client, "/?lang=zh")
    domains = per(HDCAT.domain)
    assert len(domains) == 5
    svg = chart(page, "domain")
    assert 'role="img"' in svg and "aria-label=" in svg
    for iri, n in domains.items():
        name = pref(iri, "zh")
        assert f"<title>{name}: {n}</title>" in svg  # one <title> per bar
        assert re.search(rf'<th scope="row"><a href="[^"]*">{name}</a></th>'
                         rf'<td class="num">{n}</td>', svg)  # and the numbers as a table
        assert f"{name} {n}" in re.search(r'aria-label="([^"]*)"', svg).group(1)
    levels = chart(page, "level")
    for iri, n in per(HDCAT.sensitivityLevel).items():
        assert f"<title>{pref(iri, 'zh')}: {n}</title>" in levels
    years = chart(page, "year")
    for year, n in per_year().items():
        assert f"<title>{year}: {n}</title>" in years


def test_home_chart_table_links_filter_search(client) -> None:
    svg = chart(page_html(client, "/"), "domain")
    link = re.search(rf'<a href="([^"]*)">{pref(CM, "zh")}</a>', svg).group(1)
    result = get_json(client, html.unescape(link).replace("/search?", "/search.json?"))
    assert result["total"] == per(HDCAT.domain)[CM]
    assert {h["dataset"] for h in result["hits"]} == with_all(domain=CM)


def test_home_newest_link_to_their_pages(client) -> None:
    page = page_html(client, "/")
    section = re.search(r'<section class="hd-newest".*?</section>', page, re.S).group(0)
    links = re.findall(r'<h3 class="hd-hit-title"><a href="([^"]+)"', section)
    assert len(links) >= 5
    by_path = {str(ds)[len(B):]: ds for ds in datasets()}
    assert all(link in by_path for link in links)
    shown = [issued(by_path[link]) for link in links]
    assert shown == sorted(shown, reverse=True)
    newest = sorted((issued(ds) for ds in datasets()), reverse=True)[: len(links)]
    assert shown == newest
    first = by_path[links[0]]
    assert html.escape(title_of(str(first))) in section
    if "pages" in client.application.blueprints:  # the dataset pages (service/pages.py)
        assert client.get(links[0]).status_code == 200


# ---------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("q", "expected", "absent"),
    [
        ("糖尿病", {"dm-complications-2020", "gdm-pregnancy-cohort-gd", "gut-microbiome-t2d"},
         {"sars-cov-2-genomes-cn"}),
        ("肺结节", {"lung-nodule-ct-2021", "lung-nodule-summary"}, {"dm-complications-2020"}),
        ("卒中", {"stroke-registry-sc-2022"}, {"dm-complications-2020"}),
        ("甲状腺功能", {"thyroid-lab-ruijin-2021"}, {"stroke-registry-sc-2022"}),
        ("diabetes", {"dm-complications-2020", "gut-microbiome-t2d"}, {"ili-sentinel-2023"}),
        ("influenza", {"ili-sentinel-2023"}, {"dm-complications-2020"}),
    ],
)
def test_full_text_in_chinese_and_english(client, q: str, expected: set, absent: set) -> None:
    ids = {ds.rsplit("/", 1)[-1] for ds in datasets_with(q)}
    assert expected <= ids and not (absent & ids)  # the demo says so
    hits = {h["dataset"].rsplit("/", 1)[-1] for h in all_hits(client, q=q)}
    assert expected <= hits, (q, hits)
    assert not (absent & hits), (q, absent & hits)


def datasets_with(word: str) -> set[str]:
    """Datasets whose title, description or keywords contain `word` (case-insensitive)."""
    g, word = demo(), word.lower()
    out = set()
    for ds in datasets():
        texts = [*g.objects(ds, DCT.title), *g.objects(ds, DCT.description),
                 *g.objects(ds, DCAT.keyword)]
        if any(word in str(t).lower() for t in texts):
            out.add(str(ds))
    return out


def test_search_page_lists_hits_with_links_and_marks(client) -> None:
    page = page_html(client, "/search?q=" + quote("糖尿病"))
    links = re.findall(r'<h3 class="hd-hit-title"><a href="([^"]+)"', page)
    assert "/dataset/dm-complications-2020" in links
    assert "<mark>" in page
    total = len(all_hits(client, q="糖尿病"))
    assert f"共 {total} 个数据集" in page
    assert '<label for="hd-q">' in page


@pytest.mark.parametrize(
    ("facet", "prop"),
    [("domain", HDCAT.domain), ("level", HDCAT.sensitivityLevel),
     ("category", HDCAT.dataCategory), ("mode", HDCAT.sharingMode),
     ("publisher", DCT.publisher), ("theme", DCAT.theme)],
)
def test_facet_counts_agree_with_the_graph(client, facet: str, prop: URIRef) -> None:
    expected = per(prop, everything())
    result = search_json(client)
    assert result["total"] == len(everything()) == 73
    counts = {f["value"]: f["count"] for f in result["facets"][facet]}
    assert counts == dict(expected)
    assert all(f["label"] for f in result["facets"][facet])
    for value, n in expected.items():
        narrowed = search_json(client, **{facet: value})
        assert narrowed["total"] == n
        assert all(value in values_of(hit, facet) for hit in narrowed["hits"])


def values_of(hit: dict, facet: str) -> list[str]:
    if facet == "publisher":
        return [hit["publisher"]["iri"]]
    key = {"domain": "domains", "level": "levels", "category": "categories",
           "mode": "modes", "theme": "themes"}[facet]
    return [x["iri"] for x in hit[key]]


def test_kind_filter(client) -> None:
    assert search_json(client, kind="dataset")["total"] == len(datasets())
    only = search_json(client, kind="series")
    assert {h["dataset"] for h in only["hits"]} == {str(s) for s in series()}
    assert all(h["kind"] == "series" for h in only["hits"])
    page = page_html(client, "/search?kind=series")
    assert "hd-badge-series" in page

def test_year_facet(client) -> None:
    result = search_json(client)
    counts = {f["value"]: f["count"] for f in result["facets"]["year"]}
    assert {str(k): v for k, v in counts.items()} == dict(per_year())
    assert search_json(client, year="2022")["total"] == per_year()["2022"]


def test_two_facets_combine(client) -> None:
    expected = with_all(domain=CM, sensitivityLevel=L3)
    assert expected  # the demo has some
    result = search_json(client, domain=CM, level=L3, per_page=100)
    assert result["total"] == len(expected)
    assert {h["dataset"] for h in result["hits"]} == expected
    # a facet link adds its value and keeps the other filters; an active one removes itself
    page = page_html(client, "/search?" + urlencode({"domain": CM, "level": L3}))
    level_section = re.search(r'<section class="hd-facet hd-facet-level".*?</section>',
                              page, re.S).group(0)
    selected = re.search(r'<a class="hd-fv hd-selected" href="([^"]+)"', level_section)
    assert selected and "level=" not in html.unescape(selected.group(1))
    assert quote(CM, safe="") in selected.group(1)
    other = re.search(r'<a class="hd-fv" href="([^"]+)"', level_section).group(1)
    assert quote(CM, safe="") in other and html.unescape(other).count("level=") == 2
    # the active filters can be removed one by one
    chips = re.findall(r'<a class="hd-chip" href="([^"]+)"', page)
    assert len(chips) == 2


def test_filter_plus_text(client) -> None:
    expected = {ds for ds in datasets_with("糖尿病") if ds in with_all(domain=CM)}
    hits = {h["dataset"] for h in all_hits(client, q="糖尿病", domain=CM)}
    assert expected <= hits
    assert all(ds in with_all(domain=CM) for ds in hits)


def test_sort_newest_and_title(client) -> None:
    hits = all_hits(client, sort="newest", kind="dataset")
    assert len(hits) == len(datasets())
    dates = [issued(URIRef(h["dataset"])) for h in hits]
    assert dates == sorted(dates, reverse=True)
    assert [h["issued"][:10] for h in hits] == dates
    titled = all_hits(client, sort="title", lang="en")
    assert len(titled) == len(everything())
    page = page_html(client, "/search?sort=newest")
    assert re.search(r'<a aria-current="true" class="hd-current" href="[^"]*sort=newest', page)


def test_paging(client) -> None:
    n = len(everything())
    first = search_json(client, per_page=10, sort="newest")
    assert first["total"] == n and first["pages"] == -(-n // 10) and len(first["hits"]) == 10
    seen: list[str] = []
    for page in range(1, first["pages"] + 1):
        seen += [h["dataset"] for h in
                 search_json(client, per_page=10, sort="newest", page=page)["hits"]]
    assert len(seen) == n and set(seen) == {str(ds) for ds in everything()}
    html_page = page_html(client, "/search?per_page=10&sort=newest&page=3")
    nav = re.search(r'<nav class="hd-pages".*?</nav>', html_page, re.S).group(0)
    for rel in ("first", "prev", "next", "last"):
        assert f'rel="{rel}"' in nav
    assert re.search(r'aria-current="page"[^>]*>3<', nav)
    assert re.search(rf'href="[^"]*page={first["pages"]}"[^>]*rel="last"', nav)
    assert f'start="{21}"' in html_page
    # past the end: the last page
    past = search_json(client, per_page=10, page=999)
    assert past["page"] == first["pages"] and past["hits"]


def test_json_output(client) -> None:
    r = client.get("/search?format=json&q=diabetes&per_page=100")
    assert r.mimetype == "application/json"
    data = r.get_json()
    assert set(data) >= {"total", "hits", "facets", "page", "pages"}
    hit = next(h for h in data["hits"] if h["dataset"].endswith("/dm-complications-2020"))
    assert hit["title"]["zh"] == "糖尿病并发症预警数据集"
    assert hit["title"]["en"] == "Diabetes Complications Early-Warning Dataset"
    assert hit["url"].endswith("/dataset/dm-complications-2020")
    assert "<mark>" not in r.get_data(as_text=True)
    assert set(data["facets"]) >= {"domain", "category", "level", "mode", "publisher", "theme",
                                   "standard", "format", "year"}
    assert all({"value", "label", "count"} <= set(v) for f in data["facets"].values() for v in f)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    same = get_json(client, "/search.json?q=diabetes&per_page=100")
    assert same["total"] == data["total"] == len(datasets_with("diabetes"))
    assert get_json(client, "/search?_format=json&q=diabetes")["total"] == data["total"]
    # a file-format filter still works beside ?format=json
    csv = "http://publications.europa.eu/resource/authority/file-type/CSV"
    narrowed = get_json(client, "/search?" + urlencode({"format": ["json", csv]}, doseq=True))
    assert 0 < narrowed["total"] < len(everything())
    assert narrowed["query"]["filters"] == {"format": [csv]}


def test_language_switch_changes_facet_labels(client) -> None:
    zh = page_html(client, "/search?lang=zh")
    en = page_html(client, "/search?lang=en")
    for iri in (CM, L3, "https://w3id.org/hdcat/vocab/sharing-mode/conditional"):
        assert f'<span class="hd-fv-label">{html.escape(pref(iri, "zh"))}</span>' in zh
        assert f'<span class="hd-fv-label">{html.escape(pref(iri, "en"))}</span>' in en
    assert "Sensitivity level" in en and "敏感级别" in zh
    labels = {f["value"]: f["label"] for f in search_json(client, lang="en")["facets"]["domain"]}
    assert labels[CM] == "Clinical medicine"


@pytest.mark.parametrize(
    "query",
    [
        "page=-1", "page=abc", "page=0", "page=99999999999999999999", "per_page=0",
        "per_page=abc", "per_page=100000", "sort=evil", "sort=", "color=red", "facet=evil",
        "domain=", "domain=not%20an%20iri", "domain=%3Cscript%3E", "year=abc", "year=99999",
        "q=" + "x" * 5000, "q=" + quote("糖" * 3000), "q=%22", "q=%22unbalanced", "q=*",
        "q=NEAR(a%20b)", "q=a%20OR%20AND%20NOT", "q=%00", "q=title:%20x", "q=-", "q=%5E",
        "lang=xx", "q=a&q=b", "format=xml",
        "&".join(f"domain=d{i}" for i in range(200)),
    ],
)
def test_bad_parameters_never_500(client, query: str) -> None:
    for path in ("/search", "/search.json"):
        r = client.get(f"{path}?{query}")
        assert r.status_code in (200, 400), (path, query, r.status_code)
        if r.status_code == 200 and path == "/search.json":
            assert isinstance(r.get_json()["hits"], list)


def test_hostile_query_is_escaped(client) -> None:
    page = page_html(client, "/search?q=" + quote('<script>alert("x")</script>'))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


# ---------------------------------------------------------------------------- units


def test_snippet_is_trusted_only_when_it_is_escaped_text_and_marks() -> None:
    from service.home import safe_snippet

    ok = "a &lt;b&gt; <mark>糖尿病</mark> &amp; c"
    assert str(safe_snippet(ok)) == ok
    for bad in ('<script>x</script>', '<mark onclick="x">a</mark>', "<mark>a", "a & b",
                "<img src=x onerror=alert(1)>", "</mark><b>x</b><mark>"):
        out = str(safe_snippet(bad))
        assert "<script" not in out and "<img" not in out and "<b>" not in out
        assert "onclick" not in out or "&#34;" in out or "&quot;" in out


def test_bar_chart_escapes_and_describes() -> None:
    hostile = '<b onmouseover="x">&'
    out = charts.bar_chart([(hostile, 3), ("临床医学", 12)], title="T <i>",
                           label_header="L", value_header="N", chart_id="c1")
    assert "<b " not in out and "<i>" not in out
    assert 'role="img"' in out and 'aria-label="T &lt;i&gt;: ' in out
    assert out.count("<title>") == 2
    assert "<title>临床医学: 12</title>" in out
    assert '<td class="num">12</td>' in out and "<caption>T &lt;i&gt;</caption>" in out
    vertical = charts.bar_chart([(str(y), y - 2000) for y in range(2001, 2031)], title="y",
                                orientation="vertical")
    assert vertical.count("<rect") == 30
    assert "chart-empty" in charts.bar_chart([], title="none")


# ---------------------------------------------------------------------------- in step with writes


@pytest.fixture()
def small_catalog(tmp_path: Path) -> Iterator[Catalog]:
    """A catalog with one record: the writes below must not disturb the shared demo one."""
    cat = Catalog(Settings(data_dir=tmp_path), EmbeddedStore(tmp_path / "store"))
    cat.initialize()
    report = cat.load([_record(tmp_path, "dm-complications-2020", None)])
    assert report.ok, report.refused[:1]
    yield cat
    cat.close()


def _record(folder: Path, new_id: str, title: str | None) -> Path:
    """tests/data/record-valid.ttl under another dataset id (and title)."""
    text = RECORD.read_text("utf-8")
    # the upstream source dataset is not in this small catalog
    text = text.replace(" ;\n    prov:wasDerivedFrom <dataset/pumch-emr-dm-raw>", "")
    text = text.replace("    prov:used <dataset/pumch-emr-dm-raw> ;\n", "")
    if new_id != "dm-complications-2020":
        text = text.replace("dm-complications-2020", new_id)
        text = text.replace("A0005.202006.001018", "A0005.202506.009999")
    if title is not None:
        literal = title.replace("\\", "\\\\").replace('"', '\\"')
        text = text.replace('"糖尿病并发症预警数据集"@zh', f'"{literal}"@zh')
    path = folder / f"{new_id}.ttl"
    path.write_text(text, "utf-8")
    return path


def test_new_record_is_found_without_reindex(small_catalog: Catalog, tmp_path: Path) -> None:
    from service.app import create_app

    client = create_app(small_catalog).test_client()
    assert search_json(client)["total"] == 1
    home = page_html(client, "/")
    assert 'data-count="1"' in home
    title = '罕见测试数据集 <script>alert("x")</script> & 墨'
    report = small_catalog.load([_record(tmp_path, "zz-new-dataset-2025", title)])
    assert report.ok, report.refused[:1]
    hits = all_hits(client, q="罕见测试数据集")
    assert [h["dataset"] for h in hits] == [f"{B}/dataset/zz-new-dataset-2025"]
    assert hits[0]["title"]["zh"] == title
    page = page_html(client, "/search?q=" + quote("罕见测试数据集"))
    assert "/dataset/zz-new-dataset-2025" in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert search_json(client)["total"] == 2
    home = page_html(client, "/")  # the cached numbers were invalidated by the write
    assert re.search(r'hd-stat-datasets">\s*<dt>[^<]+</dt>\s*<dd data-count="2">', home)
    assert "/dataset/zz-new-dataset-2025" in home and "<script>alert" not in home


def test_language_switch_keeps_repeated_filters(client) -> None:
    a = "https://w3id.org/hdcat/vocab/domain/pharmacy"
    b = "https://w3id.org/hdcat/vocab/domain/public-health"
    page = client.get("/search", query_string=[("domain", a), ("domain", b), ("lang", "zh")])
    html = page.get_data(as_text=True)
    href = re.search(r'class="lang-switch" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(href).query)
    assert query["domain"] == [a, b] and query["lang"] == ["en"]
