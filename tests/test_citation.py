"""Dataset citations (hdcat.citation) in every style, and the `/dataset/<id>/cite` route
(service/citations.py) over the demo catalog.

The expected strings are written by hand from the styles' rules: GB/T 7714-2015 (family name
first without comma, Latin family names in capitals, Western given names as initials without
full stops, more than three authors -> the first three then 等 / et al., `[DS/OL]`, version,
publisher, year[cited date], URL, CSTR, DOI), DataCite (`Creator (Year): Title. Version.
Publisher. (Dataset). Identifier`), APA 7 (initials with full stops, `&` before the last
author, `(Version x)`, `[Data set]`, https://doi.org/…), BibTeX, RIS and CSL-JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from hdcat import citation
from hdcat.catalog import Catalog
from hdcat.citation import CitationData, Creator
from hdcat.config import Settings
from service.app import create_app

ACCESSED = date(2025, 1, 31)

NPHDC = Creator({"zh": "国家人口健康科学数据中心", "en": "National Population Health Data Center"})
PUMCH = Creator({"zh": "北京协和医院", "en": "Peking Union Medical College Hospital"})

# one Chinese person whose name is split (family/given in pinyin), a CSTR and a DOI
ONE_CHINESE = CitationData(
    titles={"zh": "糖尿病随访数据集", "en": "Diabetes Follow-up Dataset"},
    creators=[Creator({"zh": "张三", "en": "Zhang San"}, "person", "Zhang", "San")],
    publisher=NPHDC,
    year="2020",
    version="1.0",
    cstr="A0006.11.A0005.202006.001018",
    doi="10.12213/11.A0005.202006.001018",
    iri="https://hdcat.example.org/dataset/dm-follow-up",
    issued="2020-06-15",
)

# three Western persons, an English title only, a DOI only, a version written 'v2.1'
THREE_WESTERN = CitationData(
    titles={"en": "Gravity Field Measurements"},
    creators=[
        Creator({"en": "Albert Einstein"}, "person", "Einstein", "Albert"),
        Creator({"en": "Stephen William Hawking"}, "person", "Hawking", "Stephen William"),
        Creator({"en": "Jean-Paul Sartre"}, "person", "Sartre", "Jean-Paul"),
    ],
    publisher=Creator({"en": "Example Data Archive"}),
    year="2019",
    version="v2.1",
    doi="10.5555/grav.2019",
    iri="https://hdcat.example.org/dataset/gravity-2019",
)

# four creators (three persons, one organisation which also publishes), no version, no
# CSTR or DOI: the IRI is the link
FOUR_MIXED = CitationData(
    titles={"zh": "糖尿病并发症预警数据集", "en": "Diabetes Complications Early-Warning Dataset"},
    creators=[
        Creator({"zh": "李晓燕", "en": "Li Xiaoyan"}, "person"),
        Creator({"zh": "王建国", "en": "Wang Jianguo"}, "person", "Wang", "Jianguo"),
        Creator({"zh": "陈静", "en": "Chen Jing"}, "person"),
        PUMCH,
    ],
    publisher=PUMCH,
    year="2021",
    iri="https://hdcat.example.org/dataset/dm-warning",
)

# an organisation as the only creator, with characters special to TeX
ORG_SPECIAL = CitationData(
    titles={"en": "Costs & Outcomes: 100% of cases_2020 {draft}"},
    creators=[Creator({"en": "R&D Centre #5"})],
    publisher=Creator({"en": "R&D Centre #5"}),
    year="2018",
    iri="https://hdcat.example.org/dataset/costs",
)


# --------------------------------------------------------------------------- GB/T 7714

GBT_CASES = [
    # one author, Chinese name in Chinese; CSTR URL, then CSTR and DOI
    (ONE_CHINESE, "zh",
     "张三. 糖尿病随访数据集[DS/OL]. V1.0. 国家人口健康科学数据中心, 2020[2025-01-31]. "
     "https://cstr.cn/A0006.11.A0005.202006.001018. CSTR:A0006.11.A0005.202006.001018. "
     "DOI:10.12213/11.A0005.202006.001018."),
    # pinyin: family name in capitals, given name kept
    (ONE_CHINESE, "en",
     "ZHANG San. Diabetes Follow-up Dataset[DS/OL]. V1.0. National Population Health Data "
     "Center, 2020[2025-01-31]. https://cstr.cn/A0006.11.A0005.202006.001018. "
     "CSTR:A0006.11.A0005.202006.001018. DOI:10.12213/11.A0005.202006.001018."),
    # three Western authors: FAMILY + initials without full stops; all three, no et al.
    (THREE_WESTERN, "en",
     "EINSTEIN A, HAWKING S W, SARTRE J P. Gravity Field Measurements[DS/OL]. V2.1. "
     "Example Data Archive, 2019[2025-01-31]. https://doi.org/10.5555/grav.2019. "
     "DOI:10.5555/grav.2019."),
    # no Chinese metadata: the zh citation falls back to the English title and names
    (THREE_WESTERN, "zh",
     "EINSTEIN A, HAWKING S W, SARTRE J P. Gravity Field Measurements[DS/OL]. V2.1. "
     "Example Data Archive, 2019[2025-01-31]. https://doi.org/10.5555/grav.2019. "
     "DOI:10.5555/grav.2019."),
    # four authors: the first three, then 等 / et al.; no version; the IRI as URL
    (FOUR_MIXED, "zh",
     "李晓燕, 王建国, 陈静, 等. 糖尿病并发症预警数据集[DS/OL]. 北京协和医院, 2021[2025-01-31]. "
     "https://hdcat.example.org/dataset/dm-warning."),
    (FOUR_MIXED, "en",
     "Li Xiaoyan, WANG Jianguo, Chen Jing, et al. Diabetes Complications Early-Warning "
     "Dataset[DS/OL]. Peking Union Medical College Hospital, 2021[2025-01-31]. "
     "https://hdcat.example.org/dataset/dm-warning."),
    # an organisation as creator
    (ORG_SPECIAL, "en",
     "R&D Centre #5. Costs & Outcomes: 100% of cases_2020 {draft}[DS/OL]. R&D Centre #5, "
     "2018[2025-01-31]. https://hdcat.example.org/dataset/costs."),
]


@pytest.mark.parametrize(("data", "lang", "expected"), GBT_CASES)
def test_gbt7714(data: CitationData, lang: str, expected: str) -> None:
    assert citation.gbt7714(data, lang, accessed=ACCESSED) == expected
    assert citation.cite(data, "gbt7714", lang, accessed=ACCESSED) == expected


def test_gbt7714_name_forms() -> None:
    """A family name in Chinese characters is written family+given without a space; five
    authors still show three; a dataset with no link at all is [DS], not [DS/OL]."""
    people = [
        Creator({}, "person", "欧阳", "修"),
        Creator({"zh": "司马光"}, "person"),
        Creator({"en": "Mary Ann Smith"}, "person", "Smith", "Mary Ann"),
        Creator({"en": "Ludwig van Beethoven"}, "person", "van Beethoven", "Ludwig"),
        Creator({"en": "Example Org"}),
    ]
    data = CitationData({"zh": "测试数据集"}, people, None, "2022")
    assert citation.gbt7714(data, "zh", accessed=ACCESSED) == (
        "欧阳修, 司马光, SMITH M A, 等. 测试数据集[DS]. 2022[2025-01-31]."
    )
    assert citation.gbt7714(CitationData({"en": "T"}, people[2:4]), "en", accessed=ACCESSED) == (
        "SMITH M A, VAN BEETHOVEN L. T[DS]. [2025-01-31]."
    )


# --------------------------------------------------------------------------- DataCite


def test_datacite() -> None:
    assert citation.datacite(ONE_CHINESE, "zh") == (
        "张三 (2020): 糖尿病随访数据集. Version 1.0. 国家人口健康科学数据中心. (Dataset). "
        "https://doi.org/10.12213/11.A0005.202006.001018"
    )
    assert citation.datacite(ONE_CHINESE, "en") == (
        "Zhang, San (2020): Diabetes Follow-up Dataset. Version 1.0. National Population Health "
        "Data Center. (Dataset). https://doi.org/10.12213/11.A0005.202006.001018"
    )
    # every creator is listed (no et al.), separated by semicolons
    assert citation.datacite(THREE_WESTERN, "en") == (
        "Einstein, Albert; Hawking, Stephen William; Sartre, Jean-Paul (2019): Gravity Field "
        "Measurements. Version 2.1. Example Data Archive. (Dataset). "
        "https://doi.org/10.5555/grav.2019"
    )
    assert citation.cite(FOUR_MIXED, "datacite", "zh") == (
        "李晓燕; 王建国; 陈静; 北京协和医院 (2021): 糖尿病并发症预警数据集. 北京协和医院. "
        "(Dataset). https://hdcat.example.org/dataset/dm-warning"
    )
    # only a CSTR: its resolver is the identifier
    only_cstr = CitationData({"en": "T"}, [PUMCH], NPHDC, "2020", cstr="A0006.11.X.1")
    assert citation.datacite(only_cstr, "en") == (
        "Peking Union Medical College Hospital (2020): T. National Population Health Data "
        "Center. (Dataset). https://cstr.cn/A0006.11.X.1"
    )


# --------------------------------------------------------------------------- APA 7


def test_apa() -> None:
    assert citation.apa(ONE_CHINESE, "en") == (
        "Zhang, S. (2020). Diabetes Follow-up Dataset (Version 1.0) [Data set]. National "
        "Population Health Data Center. https://doi.org/10.12213/11.A0005.202006.001018"
    )
    assert citation.apa(ONE_CHINESE, "zh") == (
        "张三. (2020). 糖尿病随访数据集 (Version 1.0) [Data set]. 国家人口健康科学数据中心. "
        "https://doi.org/10.12213/11.A0005.202006.001018"
    )
    assert citation.apa(THREE_WESTERN, "en") == (
        "Einstein, A., Hawking, S. W., & Sartre, J.-P. (2019). Gravity Field Measurements "
        "(Version 2.1) [Data set]. Example Data Archive. https://doi.org/10.5555/grav.2019"
    )
    # the publisher is also an author: left out
    assert citation.apa(FOUR_MIXED, "en") == (
        "Li Xiaoyan, Wang, J., Chen Jing, & Peking Union Medical College Hospital. (2021). "
        "Diabetes Complications Early-Warning Dataset [Data set]. "
        "https://hdcat.example.org/dataset/dm-warning"
    )
    assert citation.apa(ORG_SPECIAL, "en") == (
        "R&D Centre #5. (2018). Costs & Outcomes: 100% of cases_2020 {draft} [Data set]. "
        "https://hdcat.example.org/dataset/costs"
    )
    two = CitationData({"en": "T"}, THREE_WESTERN.creators[:2], doi="10.1/x")
    assert citation.apa(two, "en") == (
        "Einstein, A., & Hawking, S. W. (n.d.). T [Data set]. https://doi.org/10.1/x"
    )
    # no author: the title moves to the author position
    nobody = CitationData({"en": "Untitled Survey"}, [], NPHDC, "2024", "3")
    assert citation.apa(nobody, "en") == (
        "Untitled Survey (Version 3) [Data set]. (2024). National Population Health Data Center."
    )


# --------------------------------------------------------------------------- BibTeX


def test_bibtex() -> None:
    assert citation.bibtex(THREE_WESTERN, "en") == (
        "@misc{gravity-2019,\n"
        "  author = {Einstein, Albert and Hawking, Stephen William and Sartre, Jean-Paul},\n"
        "  title = {{Gravity Field Measurements}},\n"
        "  year = {2019},\n"
        "  publisher = {Example Data Archive},\n"
        "  version = {2.1},\n"
        "  doi = {10.5555/grav.2019},\n"
        "  url = {https://doi.org/10.5555/grav.2019},\n"
        "}\n"
    )
    # unsplit and Chinese names are braced so BibTeX never splits them; same key in zh and en
    assert citation.bibtex(FOUR_MIXED, "zh") == (
        "@misc{dm-warning,\n"
        "  author = {{李晓燕} and {王建国} and {陈静} and {北京协和医院}},\n"
        "  title = {{糖尿病并发症预警数据集}},\n"
        "  year = {2021},\n"
        "  publisher = {北京协和医院},\n"
        "  url = {https://hdcat.example.org/dataset/dm-warning},\n"
        "}\n"
    )
    assert citation.bibtex(FOUR_MIXED, "en").splitlines()[1] == (
        "  author = {{Li Xiaoyan} and Wang, Jianguo and {Chen Jing} and "
        "{Peking Union Medical College Hospital}},"
    )
    assert citation.bibtex(ONE_CHINESE, "en") == (
        "@misc{dm-follow-up,\n"
        "  author = {Zhang, San},\n"
        "  title = {{Diabetes Follow-up Dataset}},\n"
        "  year = {2020},\n"
        "  publisher = {National Population Health Data Center},\n"
        "  version = {1.0},\n"
        "  doi = {10.12213/11.A0005.202006.001018},\n"
        "  url = {https://doi.org/10.12213/11.A0005.202006.001018},\n"
        "  note = {CSTR:A0006.11.A0005.202006.001018},\n"
        "}\n"
    )


def test_bibtex_escaping() -> None:
    assert citation.bibtex(ORG_SPECIAL, "en") == (
        "@misc{costs,\n"
        "  author = {{R\\&D Centre \\#5}},\n"
        "  title = {{Costs \\& Outcomes: 100\\% of cases\\_2020 \\{draft\\}}},\n"
        "  year = {2018},\n"
        "  publisher = {R\\&D Centre \\#5},\n"
        "  url = {https://hdcat.example.org/dataset/costs},\n"
        "}\n"
    )
    assert citation.bibtex_escape("a~b^c\\d $x$\nnext") == (
        "a\\textasciitilde{}b\\textasciicircum{}c\\textbackslash{}d \\$x\\$ next"
    )


def test_bibtex_key() -> None:
    assert citation.bibtex_key(ONE_CHINESE) == "dm-follow-up"
    # an IRI whose last segment has nothing usable: the DOI, then the CSTR, then 'dataset'
    assert citation.bibtex_key(CitationData({}, iri="https://x.org/数据集", doi="10.1/a b")) == (
        "10.1-a-b"
    )
    assert citation.bibtex_key(CitationData({}, iri="https://x.org/ds/", cstr="A0006.11.Q")) == (
        "ds"
    )
    assert citation.bibtex_key(CitationData({"zh": "无标识"})) == "dataset"


# --------------------------------------------------------------------------- RIS


def test_ris() -> None:
    assert citation.ris(ONE_CHINESE, "en") == (
        "TY  - DATA\r\n"
        "AU  - Zhang, San\r\n"
        "TI  - Diabetes Follow-up Dataset\r\n"
        "PY  - 2020\r\n"
        "PB  - National Population Health Data Center\r\n"
        "ET  - 1.0\r\n"
        "DO  - 10.12213/11.A0005.202006.001018\r\n"
        "UR  - https://doi.org/10.12213/11.A0005.202006.001018\r\n"
        "AN  - CSTR:A0006.11.A0005.202006.001018\r\n"
        "ER  - \r\n"
    )
    assert citation.ris(FOUR_MIXED, "zh") == (
        "TY  - DATA\r\n"
        "AU  - 李晓燕\r\n"
        "AU  - 王建国\r\n"
        "AU  - 陈静\r\n"
        "AU  - 北京协和医院\r\n"
        "TI  - 糖尿病并发症预警数据集\r\n"
        "PY  - 2021\r\n"
        "PB  - 北京协和医院\r\n"
        "UR  - https://hdcat.example.org/dataset/dm-warning\r\n"
        "ER  - \r\n"
    )
    # a line break inside a value cannot start a new tag
    broken = CitationData({"en": "First line\nsecond\tline"}, [], None, "2020")
    assert citation.ris(broken, "en") == (
        "TY  - DATA\r\nTI  - First line second line\r\nPY  - 2020\r\nER  - \r\n"
    )


# --------------------------------------------------------------------------- CSL-JSON


def test_csl_json() -> None:
    items = json.loads(citation.csl_json(THREE_WESTERN, "en"))
    assert items == [{
        "id": "gravity-2019",
        "type": "dataset",
        "title": "Gravity Field Measurements",
        "author": [
            {"family": "Einstein", "given": "Albert"},
            {"family": "Hawking", "given": "Stephen William"},
            {"family": "Sartre", "given": "Jean-Paul"},
        ],
        "issued": {"date-parts": [[2019]]},
        "publisher": "Example Data Archive",
        "version": "2.1",
        "DOI": "10.5555/grav.2019",
        "URL": "https://doi.org/10.5555/grav.2019",
    }]
    text = citation.csl_json(ONE_CHINESE, "zh", accessed=ACCESSED)
    assert "张三" in text  # UTF-8, not \u escapes
    assert json.loads(text) == [{
        "id": "dm-follow-up",
        "type": "dataset",
        "title": "糖尿病随访数据集",
        "author": [{"literal": "张三"}],
        "issued": {"date-parts": [[2020, 6, 15]]},
        "accessed": {"date-parts": [[2025, 1, 31]]},
        "publisher": "国家人口健康科学数据中心",
        "version": "1.0",
        "DOI": "10.12213/11.A0005.202006.001018",
        "URL": "https://doi.org/10.12213/11.A0005.202006.001018",
        "note": "CSTR:A0006.11.A0005.202006.001018",
    }]
    authors = json.loads(citation.csl_json(FOUR_MIXED, "en"))[0]["author"]
    assert authors == [{"literal": "Li Xiaoyan"}, {"family": "Wang", "given": "Jianguo"},
                       {"literal": "Chen Jing"},
                       {"literal": "Peking Union Medical College Hospital"}]


def test_styles_registry() -> None:
    assert list(citation.STYLES) == ["gbt7714", "datacite", "apa", "bibtex", "ris", "csl-json"]
    with pytest.raises(KeyError):
        citation.cite(ONE_CHINESE, "mla")


# --------------------------------------------------------------------------- route

B = "https://hdcat.example.org"
EXTRA = """
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://hdcat.example.org/dataset/cite-special> a dcat:Dataset ;
    dct:title "Costs & Outcomes: 100% of cases_2020 {draft}"@en , "费用与结局"@zh ;
    dct:creator <https://hdcat.example.org/agent/rd-centre> ,
                <https://hdcat.example.org/agent/einstein-cite> ;
    dct:publisher <https://hdcat.example.org/agent/rd-centre> ;
    dct:issued "2018-03-09"^^xsd:date ;
    dcat:version "v3" .
<https://hdcat.example.org/agent/einstein-cite> a foaf:Agent , foaf:Person ;
    foaf:name "Albert Einstein"@en ; foaf:familyName "Einstein" ; foaf:givenName "Albert" .
<https://hdcat.example.org/agent/rd-centre> a foaf:Agent , foaf:Organization ;
    foaf:name "R&D Centre #5"@en , "研发中心"@zh .
"""

DM_CSTR = "A0006.11.A0005.202006.001018"
DM_DOI = "10.12213/11.A0005.202006.001018"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp: Path = tmp_path_factory.mktemp("citations")
    catalog = Catalog(Settings(data_dir=tmp))
    catalog.initialize(demo=True)
    extra = tmp / "extra.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    report = catalog.load([extra], validate=False)
    assert report.ok, report
    flask_app = create_app(catalog)
    flask_app.testing = True
    yield flask_app
    catalog.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _get(client: FlaskClient, path: str, status: int = 200) -> tuple[str, dict[str, str]]:
    r = client.get(path)
    assert r.status_code == status, (path, r.status_code, r.get_data(as_text=True))
    return r.get_data(as_text=True), dict(r.headers)


def test_route_text_styles(client: FlaskClient) -> None:
    today = date.today().isoformat()
    body, headers = _get(client, "/dataset/dm-complications-2020/cite?style=gbt7714&lang=zh")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in headers
    assert body == (
        f"李晓燕, 王建国, 北京协和医院. 糖尿病并发症预警数据集[DS/OL]. V1.0. "
        f"国家人口健康科学数据中心, 2020[{today}]. https://cstr.cn/{DM_CSTR}. CSTR:{DM_CSTR}. "
        f"DOI:{DM_DOI}."
    )
    # no style: GB/T 7714
    assert _get(client, "/dataset/dm-complications-2020/cite?lang=zh")[0] == body
    body, headers = _get(client, "/dataset/dm-complications-2020/cite?style=datacite&lang=en")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body == (
        "Li Xiaoyan; Wang Jianguo; Peking Union Medical College Hospital (2020): Diabetes "
        "Complications Early-Warning Dataset. Version 1.0. National Population Health Data "
        f"Center. (Dataset). https://doi.org/{DM_DOI}"
    )
    body, headers = _get(client, "/dataset/dm-complications-2020/cite?style=apa&lang=en")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body == (
        "Li Xiaoyan, Wang Jianguo, & Peking Union Medical College Hospital. (2020). Diabetes "
        "Complications Early-Warning Dataset (Version 1.0) [Data set]. National Population "
        f"Health Data Center. https://doi.org/{DM_DOI}"
    )


def test_route_bibtex(client: FlaskClient) -> None:
    body, headers = _get(client, "/dataset/dm-complications-2020/cite?style=bibtex&lang=en")
    assert headers["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert headers["Content-Disposition"] == (
        'attachment; filename="dm-complications-2020-en.bib"'
    )
    assert body == (
        "@misc{dm-complications-2020,\n"
        "  author = {{Li Xiaoyan} and {Wang Jianguo} and "
        "{Peking Union Medical College Hospital}},\n"
        "  title = {{Diabetes Complications Early-Warning Dataset}},\n"
        "  year = {2020},\n"
        "  publisher = {National Population Health Data Center},\n"
        "  version = {1.0},\n"
        f"  doi = {{{DM_DOI}}},\n"
        f"  url = {{https://doi.org/{DM_DOI}}},\n"
        f"  note = {{CSTR:{DM_CSTR}}},\n"
        "}\n"
    )
    # escaping, and a person whose name the record splits (from_view)
    body, _h = _get(client, "/dataset/cite-special/cite?style=bibtex&lang=en")
    assert body == (
        "@misc{cite-special,\n"
        "  author = {Einstein, Albert and {R\\&D Centre \\#5}},\n"
        "  title = {{Costs \\& Outcomes: 100\\% of cases\\_2020 \\{draft\\}}},\n"
        "  year = {2018},\n"
        "  publisher = {R\\&D Centre \\#5},\n"
        "  version = {3},\n"
        "  url = {https://hdcat.example.org/dataset/cite-special},\n"
        "}\n"
    )


def test_route_ris(client: FlaskClient) -> None:
    body, headers = _get(client, "/dataset/dm-complications-2020/cite?style=ris&lang=zh")
    assert headers["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert headers["Content-Disposition"] == (
        'attachment; filename="dm-complications-2020-zh.ris"'
    )
    assert body == (
        "TY  - DATA\r\n"
        "AU  - 李晓燕\r\n"
        "AU  - 王建国\r\n"
        "AU  - 北京协和医院\r\n"
        "TI  - 糖尿病并发症预警数据集\r\n"
        "PY  - 2020\r\n"
        "PB  - 国家人口健康科学数据中心\r\n"
        "ET  - 1.0\r\n"
        f"DO  - {DM_DOI}\r\n"
        f"UR  - https://doi.org/{DM_DOI}\r\n"
        f"AN  - CSTR:{DM_CSTR}\r\n"
        "ER  - \r\n"
    )


def test_route_csl_json(client: FlaskClient) -> None:
    r = client.get("/dataset/cite-special/cite?style=csl-json&lang=en")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/vnd.citationstyles.csl+json"
    assert r.headers["Content-Disposition"] == 'attachment; filename="cite-special-en.json"'
    today = date.today()
    assert json.loads(r.get_data(as_text=True)) == [{
        "id": "cite-special",
        "type": "dataset",
        "title": "Costs & Outcomes: 100% of cases_2020 {draft}",
        "author": [{"family": "Einstein", "given": "Albert"}, {"literal": "R&D Centre #5"}],
        "issued": {"date-parts": [[2018, 3, 9]]},
        "accessed": {"date-parts": [[today.year, today.month, today.day]]},
        "publisher": "R&D Centre #5",
        "version": "3",
        "URL": "https://hdcat.example.org/dataset/cite-special",
    }]


def test_route_zh_names_from_record(client: FlaskClient) -> None:
    today = date.today().isoformat()
    body, _h = _get(client, "/dataset/cite-special/cite?style=gbt7714&lang=zh")
    assert body == (
        f"EINSTEIN A, 研发中心. 费用与结局[DS/OL]. V3. 研发中心, 2018[{today}]. "
        "https://hdcat.example.org/dataset/cite-special."
    )
    # body-composition-v1-1 has four creators: 等 / et al.
    body, _h = _get(client, "/dataset/body-composition-v1-1/cite?style=gbt7714&lang=zh")
    assert body.startswith("陈静, 杨帆, 中国医学科学院, 等. 中国人群人体成分数据集 V1.1[DS/OL].")
    body, _h = _get(client, "/dataset/body-composition-v1-1/cite?style=gbt7714&lang=en")
    assert body.startswith("Chen Jing, Yang Fan, Chinese Academy of Medical Sciences, et al. ")


def test_route_errors(client: FlaskClient) -> None:
    body, headers = _get(client, "/dataset/dm-complications-2020/cite?style=mla&lang=en",
                         status=400)
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body == (
        "Unknown citation style. Allowed styles: gbt7714, datacite, apa, bibtex, ris, csl-json\n"
    )
    body, _h = _get(client, "/dataset/dm-complications-2020/cite?style=%3Cb%3E&lang=zh",
                    status=400)
    assert "csl-json" in body and "<b>" not in body
    _get(client, "/dataset/no-such-dataset/cite?style=bibtex", status=404)
    _get(client, "/dataset/%3Cscript%3E/cite?style=apa", status=404)


def test_dataset_page_cite_section(client: FlaskClient) -> None:
    r = client.get("/dataset/dm-complications-2020?lang=en", headers={"Accept": "text/html"})
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert 'id="cite-gbt7714"' in page and 'id="cite-datacite"' in page
    assert (
        '<p class="citation" id="cite-apa">Li Xiaoyan, Wang Jianguo, &amp; Peking Union Medical '
        "College Hospital. (2020). Diabetes Complications Early-Warning Dataset (Version 1.0) "
        f"[Data set]. National Population Health Data Center. https://doi.org/{DM_DOI}</p>"
    ) in page
    for style, download in (("gbt7714", ""), ("datacite", ""), ("apa", ""),
                            ("bibtex", " download"), ("ris", " download"),
                            ("csl-json", " download")):
        href = f"/dataset/dm-complications-2020/cite?style={style}&amp;lang=en"
        assert f'<a href="{href}"{download} rel="nofollow">' in page, style
        assert client.get(href.replace("&amp;", "&")).status_code == 200
    # the text of a record is escaped on the page
    r = client.get("/dataset/cite-special?lang=en", headers={"Accept": "text/html"})
    page = r.get_data(as_text=True)
    assert "Costs &amp; Outcomes: 100% of cases_2020 {draft}[DS/OL]" in page
    assert "R&amp;D Centre #5" in page and "R&D Centre" not in page
