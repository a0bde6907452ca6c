"""The registration form generated from the SHACL shapes: hdcat.forms and templates/_form.html.

Everything runs on the real profile (shapes/*.ttl), the real vocabularies (ontology/) and the
real validation a registration goes through (Catalog.validate_file / load_triples, which use
hdcat.validation's profile shapes at level "full").
"""

from __future__ import annotations

import copy
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask, render_template_string
from jinja2 import Environment, FileSystemLoader
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SH, SKOS

from hdcat.catalog import Catalog
from hdcat.config import Settings
from hdcat.forms import (
    GENERAL,
    FormError,
    FormSpec,
    dataset_form,
    field_errors,
    form_from_graph,
    graph_from_form,
    shipped_vocabularies,
    unmapped_triples,
)
from hdcat.namespaces import HDCATSH
from hdcat.store import EmbeddedStore
from hdcat.validation import Result, profile_shapes

TEMPLATES = Path(__file__).resolve().parent.parent / "service" / "templates"
VALID = Path(__file__).parent / "data" / "record-valid.ttl"
B = "https://hdcat.example.org"
DS = B + "/dataset/form-test"
REC = B + "/record/form-test"
NPHDC = B + "/agent/nphdc"
PUMCH = B + "/agent/pumch"
AGENTS = [
    (NPHDC, {"zh": "国家人口健康科学数据中心", "en": "National Population Health Data Center"}),
    (PUMCH, {"zh": "北京协和医院", "en": "Peking Union Medical College Hospital"}),
]
EU = "http://publications.europa.eu/resource/authority/"
V = "https://w3id.org/hdcat/vocab/"
IANA = "http://www.iana.org/assignments/media-types/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FOAF = "http://xmlns.com/foaf/0.1/"
CSTR_SHAPE = str(HDCATSH["HealthDataset-cstr"])

# A complete registration, as a browser posts it (input name -> values).
COMPLETE: dict[str, list[str]] = {
    "title.zh": ["糖尿病并发症预警数据集"],
    "title.en": ["Diabetes Complications Early-Warning Dataset"],
    "description.zh": ["北京协和医院 2015 至 2019 年 2 型糖尿病住院患者的电子病历。"],
    "description.en": ["Medical records of inpatients with type 2 diabetes, 2015-2019."],
    "keyword.zh": ["糖尿病", "并发症"],
    "keyword.en": ["diabetes"],
    "version": ["1.0"],
    "issued": ["2020-06-15"],
    "modified": ["2024-03-01"],
    "language": [EU + "language/ZHO"],
    "landing_page": ["https://www.ncmi.cn/phda/dataDetails.do?id=dm-2020"],
    "theme": [EU + "data-theme/HEAL"],
    "type": [EU + "dataset-type/STATISTICAL"],
    "conforms_to": ["https://w3id.org/hdcat/standard/ws-t-363"],
    "domain": [V + "domain/clinical-medicine"],
    "data_category": [V + "data-category/HS", V + "data-category/MA"],
    "sensitivity_level": [V + "sensitivity-level/L3"],
    "sharing_mode": [V + "sharing-mode/conditional"],
    "access_rights": [EU + "access-right/RESTRICTED"],
    "license": [EU + "licence/CC_BY_4_0"],
    "rights.zh": ["经审批后仅用于科学研究。"],
    "rights.en": ["For scientific research after approval."],
    "access_procedure.zh": ["在线提交申请并签署数据使用协议。"],
    "access_procedure.en": ["Apply online and sign a data use agreement."],
    "applicable_legislation": ["https://w3id.org/hdcat/legislation/scientific-data-measures-2018"],
    "publisher": [NPHDC],
    "creator": [PUMCH],
    "contact_point.0.name.zh": ["国家人口健康科学数据中心数据服务部"],
    "contact_point.0.name.en": ["NPHDC Data Services"],
    "contact_point.0.email": ["service@ncmi.cn"],
    "spatial": [EU + "country/CHN"],
    "temporal.0.start_date": ["2015-01-01"],
    "temporal.0.end_date": ["2019-12-31"],
    "accrual_periodicity": [EU + "frequency/ANNUAL"],
    "provenance.zh": ["由医院电子病历系统导出并去标识化。"],
    "provenance.en": ["Exported from the hospital EMR system and de-identified."],
    "number_of_records": ["120000"],
    "has_structured_data": ["true"],
    "distribution.0.title.zh": ["CSV 数据文件"],
    "distribution.0.title.en": ["CSV data file"],
    "distribution.0.description.zh": ["全部住院记录。"],
    "distribution.0.description.en": ["All inpatient records."],
    "distribution.0.access_url": ["https://www.ncmi.cn/phda/dataDetails.do?id=dm-2020"],
    "distribution.0.download_url": ["https://www.ncmi.cn/files/dm-2020.csv"],
    "distribution.0.format": [EU + "file-type/CSV"],
    "distribution.0.media_type": [IANA + "text/csv"],
    "distribution.0.byte_size": ["52428800"],
    "distribution.0.license": [EU + "licence/CC_BY_4_0"],
    "distribution.0.availability": [EU + "planned-availability/STABLE"],
}


def _values(**changes: list[str] | None) -> dict[str, list[str]]:
    """COMPLETE with some inputs changed (None: left empty). Keys use '__' for '.'."""
    values = copy.deepcopy(COMPLETE)
    for key, value in changes.items():
        name = key.replace("__", ".")
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    return values


@pytest.fixture(scope="module")
def spec() -> FormSpec:
    return dataset_form(profile_shapes("full"), shipped_vocabularies(), "zh", agents=AGENTS)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return profile_shapes("full")


@pytest.fixture
def catalog(tmp_path: Path):
    cat = Catalog(Settings(data_dir=tmp_path), EmbeddedStore(tmp_path / "store"))
    cat.initialize()
    for iri, names in AGENTS:
        node = ox.NamedNode(iri)
        triples = [ox.Triple(node, RDF_TYPE, ox.NamedNode(FOAF + c))
                   for c in ("Organization", "Agent")]
        triples += [ox.Triple(node, ox.NamedNode(FOAF + "name"), ox.Literal(n, language=lang))
                    for lang, n in names.items()]
        cat.replace_shared(iri, triples)
    yield cat
    cat.close()


def _validate(catalog: Catalog, triples: list[ox.Triple], tmp_path: Path,
              engine: str = "fast") -> list[Result]:
    """Validate a record as a load would (full profile), without writing it."""
    path = tmp_path / "form.nt"
    ox.serialize(triples, str(path), ox.RdfFormat.N_TRIPLES)
    reports = catalog.validate_file(path, level="full", engine=engine)
    assert len(reports) == 1
    return reports[0].results


def _cstr(dataset: str = DS) -> list[ox.Triple]:
    """The identifier the publication step mints (hdcat identifiers, not the form)."""
    ds, node = ox.NamedNode(dataset), ox.NamedNode(dataset + "#cstr")
    adms = "http://www.w3.org/ns/adms#"
    return [
        ox.Triple(ds, ox.NamedNode(adms + "identifier"), node),
        ox.Triple(node, RDF_TYPE, ox.NamedNode(adms + "Identifier")),
        ox.Triple(node, ox.NamedNode(str(SKOS.notation)),
                  ox.Literal("CSTR:A0006.11.A0005.202006.009999",
                             datatype=ox.NamedNode("https://w3id.org/hdcat/ns#CSTR"))),
        ox.Triple(node, ox.NamedNode(adms + "schemaAgency"), ox.Literal("CSTR")),
    ]


def _name(shapes: Graph, shape: str, lang: str, pred: URIRef = SH.name) -> str:
    found = [str(o) for o in shapes.objects(HDCATSH[shape], pred) if o.language == lang]
    assert found, (shape, pred, lang)
    return found[0]


def _failing(errors: dict) -> set[str]:
    """The fields with a violation (record-level recommendations aside)."""
    return {key for key, messages in errors.items() if any(not m.is_warning for m in messages)}


# ----------------------------------------------------------------------------- the spec


def test_spec_has_the_health_rules_required_fields(spec: FormSpec, shapes: Graph) -> None:
    expected = {
        "title": "HealthDataset-title-zh",
        "description": "HealthDataset-description-zh",
        "domain": "HealthDataset-domain",
        "data_category": "HealthDataset-dataCategory",
        "sensitivity_level": "HealthDataset-sensitivityLevel",
        "sharing_mode": "HealthDataset-sharingMode",
        "publisher": "HealthDataset-publisher",
        "contact_point": "HealthDataset-contactPoint",
    }
    for key, shape in expected.items():
        f = spec.field(key)
        assert f.required, key
        assert str(HDCATSH[shape]) in f.shapes, key
        assert f.label("zh") == _name(shapes, shape, "zh")
        assert f.label("en") == _name(shapes, shape, "en")
    for key in ("title", "description"):
        f = spec.field(key)
        assert f.languages == ("zh", "en") and f.required_languages == ("zh", "en")
    assert spec.field("title").widget == "text"
    assert spec.field("description").widget == "textarea"
    assert spec.field("sensitivity_level").repeatable is False
    assert spec.field("sharing_mode").repeatable is False
    assert spec.field("publisher").repeatable is False
    assert spec.field("data_category").repeatable is True
    email = spec.field("contact_point.email")
    assert email.widget == "email" and email.required
    assert str(HDCATSH["HealthContactPoint-hasEmail"]) in email.shapes
    assert spec.field("contact_point.name").languages == ("zh", "en")


def test_licence_or_rights_is_one_requirement_over_two_fields(
    spec: FormSpec, shapes: Graph
) -> None:
    shape = str(HDCATSH["HealthDataset-licenseOrRights"])
    licence, rights = spec.field("license"), spec.field("rights")
    assert licence.one_of == rights.one_of == ("license", "rights")
    assert shape in licence.shapes and shape in rights.shapes
    assert not licence.required and not rights.required
    assert rights.languages == ("zh", "en") and rights.widget == "textarea"
    assert rights.help_text("en") == _name(shapes, "HealthDataset-licenseOrRights", "en",
                                           SH.message)
    assert spec.shape_fields[shape] == ("license", "rights")


def test_recommended_fields_are_marked_and_warnings_are_not_required(spec: FormSpec) -> None:
    for key in ("keyword", "theme", "spatial", "temporal", "distribution"):
        f = spec.field(key)
        assert f.recommended and not f.required, key
    assert spec.field("distribution.access_url").required
    assert spec.field("distribution.format").recommended
    assert not spec.field("version").required and not spec.field("version").recommended


def test_required_follows_the_severity_of_the_level() -> None:
    # At level "core" (foreign metadata) only DCAT-AP's mandatory properties are violations;
    # the health rules become warnings, so their fields become recommended.
    core = dataset_form(profile_shapes("core"), lang="en")
    assert core.field("title").required and core.field("title").required_languages == ()
    assert core.field("distribution.access_url").required
    for key in ("domain", "sensitivity_level", "publisher", "contact_point"):
        assert not core.field(key).required and core.field(key).recommended, key


def test_widgets_follow_the_shapes(spec: FormSpec) -> None:
    assert spec.field("issued").widget == "date"
    assert spec.field("embargo_end").widget == "date"
    assert spec.field("embargo_end").datatype == "http://www.w3.org/2001/XMLSchema#date"
    assert spec.field("landing_page").widget == "url"
    assert spec.field("distribution.byte_size").widget == "integer"
    assert spec.field("has_structured_data").widget == "boolean"
    assert spec.field("access_procedure").widget == "textarea"
    assert spec.field("temporal.start_date").widget == "date"
    # Properties the form cannot edit are listed, not silently dropped.
    assert "http://www.w3.org/ns/prov#wasGeneratedBy" in spec.skipped


def test_sections_are_the_shapes_property_groups(spec: FormSpec, shapes: Graph) -> None:
    keys = [s.key for s in spec.sections]
    assert keys == ["basic", "identification", "classification", "health", "access",
                    "responsibility", "coverage", "provenance", "distribution"]
    health = spec.sections[keys.index("health")]
    group = URIRef(health.iri)
    labels = {o.language: str(o) for o in shapes.objects(group, RDFS.label)}
    assert health.label("zh") == labels["zh"] and health.label("en") == labels["en"]
    assert [f.key for f in health.fields][:3] == ["domain", "data_category", "sensitivity_level"]
    assert spec.field("sharing_mode").section == "access"
    assert spec.field("contact_point").section == "responsibility"


def test_pick_lists_are_the_vocabulary_concepts(spec: FormSpec) -> None:
    vocab = shipped_vocabularies()
    for key, scheme in (
        ("domain", "domain"),
        ("data_category", "data-category"),
        ("sensitivity_level", "sensitivity-level"),
        ("sharing_mode", "sharing-mode"),
        ("license", "licence"),
    ):
        f = spec.field(key)
        assert f.widget == "select"
        concepts = set(vocab.subjects(SKOS.inScheme, URIRef(V + scheme)))
        assert len(concepts) >= 4
        assert {o.value for o in f.options} == {str(c) for c in concepts}, key
        for option in f.options:
            labels = {x.language: str(x) for x in vocab.objects(URIRef(option.value),
                                                              SKOS.prefLabel)}
            assert option.label("zh") == labels["zh"] and option.label("en") == labels["en"]
            assert option.notation == str(vocab.value(URIRef(option.value), SKOS.notation))
    levels = spec.field("sensitivity_level").options
    assert [o.notation for o in levels] == ["1", "2", "3", "4", "5"]
    assert [o.label("zh") for o in levels][2] == "第3级"
    categories = [o.notation for o in spec.field("data_category").options]
    assert categories == sorted(categories)
    formats = {o.value for o in spec.field("distribution.format").options}
    assert EU + "file-type/CSV" in formats and not any(IANA in v for v in formats)
    assert {o.value for o in spec.field("publisher").options} == {NPHDC, PUMCH}
    assert spec.field("publisher").option(NPHDC).label("en") == AGENTS[0][1]["en"]


def test_form_in_english_sorts_agents_by_english_name() -> None:
    spec = dataset_form(lang="en", agents=AGENTS)
    assert spec.lang == "en"
    assert [o.value for o in spec.field("creator").options] == [NPHDC, PUMCH]


# ----------------------------------------------------------------------------- graphs


def test_complete_form_is_a_valid_draft_at_the_full_profile(
    spec: FormSpec, catalog: Catalog, tmp_path: Path
) -> None:
    triples = graph_from_form(spec, COMPLETE, DS, REC, modified=date(2024, 3, 1))
    for engine in ("fast", "pyshacl"):
        results = _validate(catalog, triples, tmp_path, engine)
        violations = [r for r in results if r.severity == "Violation"]
        # The shapes do not tell drafts from published records: the CSTR rule applies to
        # every dataset, and the CSTR is minted at publication. It is the only violation.
        assert [str(r.shape) for r in violations] == [CSTR_SHAPE], engine
        errors = field_errors(spec, results, DS, COMPLETE, draft=True)
        assert list(errors) == [GENERAL]  # record-level recommendations only
        assert all(m.is_warning for m in errors[GENERAL])
        assert not any(str(r.focus) == DS for r in results if r.severity != "Violation")


def test_complete_form_with_its_minted_cstr_is_stored(
    spec: FormSpec, catalog: Catalog, tmp_path: Path
) -> None:
    triples = graph_from_form(spec, COMPLETE, DS, REC, issued=date(2020, 6, 15)) + _cstr()
    assert [r for r in _validate(catalog, triples, tmp_path) if r.severity == "Violation"] == []
    report = catalog.load_triples(triples, source="form", level="full")
    assert report.ok and report.stored == [REC]
    stored = catalog.record_triples(REC)
    back = form_from_graph(spec, stored, DS)
    assert {k: sorted(v) for k, v in back.items()} == {k: sorted(v) for k, v in COMPLETE.items()}
    assert set(unmapped_triples(spec, stored, DS)) == set(_cstr())


def test_graph_has_the_datatypes_the_profile_asks_for(spec: FormSpec) -> None:
    triples = set(graph_from_form(spec, COMPLETE, DS, REC, modified=date(2024, 3, 1)))
    ds, xsd = ox.NamedNode(DS), "http://www.w3.org/2001/XMLSchema#"
    dct, dcat = "http://purl.org/dc/terms/", "http://www.w3.org/ns/dcat#"
    assert ox.Triple(ds, ox.NamedNode(dct + "issued"),
                     ox.Literal("2020-06-15", datatype=ox.NamedNode(xsd + "date"))) in triples
    assert ox.Triple(ds, ox.NamedNode(dct + "title"),
                     ox.Literal(COMPLETE["title.zh"][0], language="zh")) in triples
    contact = ox.NamedNode(DS + "#contact-1")
    assert ox.Triple(ds, ox.NamedNode(dcat + "contactPoint"), contact) in triples
    assert ox.Triple(contact, ox.NamedNode("http://www.w3.org/2006/vcard/ns#hasEmail"),
                     ox.NamedNode("mailto:service@ncmi.cn")) in triples
    dist = ox.NamedNode(DS + "#dist-1")
    assert ox.Triple(dist, ox.NamedNode(dcat + "byteSize"), ox.Literal(
        "52428800", datatype=ox.NamedNode(xsd + "nonNegativeInteger"))) in triples
    assert ox.Triple(dist, RDF_TYPE, ox.NamedNode(dcat + "Distribution")) in triples
    rec = ox.NamedNode(REC)
    assert ox.Triple(rec, ox.NamedNode(FOAF + "primaryTopic"), ds) in triples
    assert ox.Triple(rec, ox.NamedNode(dct + "modified"),
                     ox.Literal("2024-03-01", datatype=ox.NamedNode(xsd + "date"))) in triples
    assert ox.Triple(rec, ox.NamedNode(dct + "conformsTo"),
                     ox.NamedNode("https://w3id.org/hdcat/profile")) in triples


def test_round_trip(spec: FormSpec) -> None:
    for values in (
        COMPLETE,
        {"title.zh": ["只有中文标题"]},
        # a second distribution block filled and the first left empty
        {k: v for k, v in COMPLETE.items() if not k.startswith("distribution.")}
        | {"distribution.1.access_url": ["https://example.org/api"],
           "contact_point.1.email": ["second@example.org"]},
        # a node's own IRI (a record loaded from elsewhere) is kept
        COMPLETE | {"distribution.0.iri": [DS + "#csv"], "temporal.0.iri": [DS + "/period"]},
    ):
        triples = graph_from_form(spec, values, DS, REC)
        assert form_from_graph(spec, triples, DS) == values


def test_empty_inputs_are_ignored(spec: FormSpec) -> None:
    values = {"title.zh": ["标题"], "title.en": ["", "   "], "version": [""], "domain": [""],
              "distribution.0.access_url": [""], "distribution.0.title.zh": [" "],
              "temporal.0.start_date": [""]}
    triples = graph_from_form(spec, values, DS, REC)
    subjects = {t.subject.value for t in triples}
    assert subjects == {DS, REC}
    assert [t.object.value for t in triples if t.predicate.value.endswith("/title")] == ["标题"]
    assert form_from_graph(spec, triples, DS) == {"title.zh": ["标题"]}


@pytest.mark.parametrize(
    ("name", "value", "key"),
    [
        ("domain", ["https://evil.example/domain"], "domain"),
        ("sensitivity_level", [V + "sharing-mode/open"], "sensitivity_level"),
        ("distribution.0.format", [EU + "file-type/EXE"], "distribution.0.format"),
        ("publisher", [B + "/agent/unknown"], "publisher"),
        ("issued", ["15/06/2020"], "issued"),
        ("embargo_end", ["2026"], "embargo_end"),  # a date-or-year elsewhere, xsd:date here
        ("contact_point.0.email", ["not an address"], "contact_point.0.email"),
        ("landing_page", ["www.example.org"], "landing_page"),
        ("distribution.0.byte_size", ["-5"], "distribution.0.byte_size"),
        ("has_structured_data", ["maybe"], "has_structured_data"),
        ("sensitivity_level", [V + "sensitivity-level/L1", V + "sensitivity-level/L2"],
         "sensitivity_level"),
        ("distribution.0.iri", ["https://other.example/dataset/x#dist"], "distribution.0"),
    ],
)
def test_bad_values_are_refused_by_field(
    spec: FormSpec, name: str, value: list[str], key: str
) -> None:
    values = copy.deepcopy(COMPLETE)
    values[name] = value
    with pytest.raises(FormError) as caught:
        graph_from_form(spec, values, DS, REC)
    errors = caught.value.errors
    assert list(errors) == [key]
    message = errors[key][0]
    f = spec.field(key)  # the field of an input name: "distribution.0.format" -> format
    assert f.label("zh") in message.text("zh") and f.label("en") in message.text("en")


# ----------------------------------------------------------------------------- messages


def test_missing_title_maps_to_the_title_field(
    spec: FormSpec, shapes: Graph, catalog: Catalog, tmp_path: Path
) -> None:
    values = _values(title__zh=None, title__en=None)
    results = _validate(catalog, graph_from_form(spec, values, DS, REC) + _cstr(), tmp_path)
    errors = field_errors(spec, results, DS, values)
    assert _failing(errors) == {"title"}
    got = {(m.text("zh"), m.text("en")) for m in errors["title"]}
    for shape in ("Dataset-title", "HealthDataset-title-zh", "HealthDataset-title-en"):
        wanted = (_name(shapes, shape, "zh", SH.message), _name(shapes, shape, "en", SH.message))
        assert wanted in got, shape
    assert all(not m.is_warning for m in errors["title"])


def test_missing_english_title_only(spec: FormSpec, catalog: Catalog, tmp_path: Path) -> None:
    values = _values(title__en=None)
    results = _validate(catalog, graph_from_form(spec, values, DS, REC) + _cstr(), tmp_path)
    errors = field_errors(spec, results, DS, values)
    assert _failing(errors) == {"title"}
    assert [m.shape for m in errors["title"]] == [str(HDCATSH["HealthDataset-title-en"])]


def test_results_on_owned_nodes_and_rules_map_to_their_fields(
    spec: FormSpec, shapes: Graph, catalog: Catalog, tmp_path: Path
) -> None:
    values = _values(
        distribution__0__access_url=None,  # the first distribution has no access URL
        distribution__1__access_url=["https://example.org/files"],
        contact_point__0__email=None,  # the contact point has no e-mail
        access_rights=[EU + "access-right/PUBLIC"],  # level 3 must not be public
        license=None,
        rights__zh=None,
        rights__en=None,
        keyword__zh=None,
        keyword__en=None,
    )
    results = _validate(catalog, graph_from_form(spec, values, DS, REC), tmp_path)
    errors = field_errors(spec, results, DS, values)
    assert [m.shape for m in errors["distribution.0.access_url"]] == [
        str(HDCATSH["Distribution-accessURL"])]
    assert [m.shape for m in errors["contact_point.0.email"]] == [
        str(HDCATSH["HealthContactPoint-hasEmail"])]
    rule = str(HDCATSH.SensitiveDataNotPublic)
    assert rule in [m.shape for m in errors["sensitivity_level"]]
    assert rule in [m.shape for m in errors["access_rights"]]
    either = str(HDCATSH["HealthDataset-licenseOrRights"])
    assert [m.shape for m in errors["license"]] == [m.shape for m in errors["rights"]] == [either]
    assert errors["license"][0].text("zh") == _name(shapes, "HealthDataset-licenseOrRights",
                                                    "zh", SH.message)
    assert [m.is_warning for m in errors["keyword"]] == [True]
    assert CSTR_SHAPE in [m.shape for m in errors[GENERAL]]  # not a draft: the CSTR is due
    assert CSTR_SHAPE not in [m.shape for m in field_errors(
        spec, results, DS, values, draft=True).get(GENERAL, [])]
    assert not any(k.startswith("distribution.1") for k in _failing(errors))


def test_editing_a_complete_record_keeps_it(
    spec: FormSpec, catalog: Catalog, tmp_path: Path
) -> None:
    report = catalog.load([VALID])
    assert report.ok
    rec, ds = report.stored[0], B + "/dataset/dm-complications-2020"
    old = catalog.record_triples(rec)
    values = form_from_graph(spec, old, ds)
    assert values["distribution.0.iri"] == [ds + "#dist-csv"]  # its own IRI is kept
    assert values["identifier"] == ["CSTR:A0006.11.A0005.202006.001018"]
    new = graph_from_form(spec, values, ds, rec, modified=date(2024, 3, 1),
                          issued=date(2020, 6, 15)) + unmapped_triples(spec, old, ds)
    catalog_links = {t for t in old if t.subject.value == B + "/catalog"}
    assert set(new) == set(old) - catalog_links  # the splitter adds those links again
    assert [r for r in _validate(catalog, new, tmp_path) if r.severity == "Violation"] == []
    # A result on a node kept by its own IRI lands on that block's field.
    values.pop("distribution.0.access_url")
    broken = graph_from_form(spec, values, ds, rec) + unmapped_triples(spec, old, ds)
    errors = field_errors(spec, _validate(catalog, broken, tmp_path), ds, values)
    assert "distribution.0.access_url" in errors


# ----------------------------------------------------------------------------- HTML


HOSTILE = [
    '<script>alert("x")</script>',
    "\"'><img src=x onerror=alert(1)>",
    "line one\nline two\r\n  indented & <b>bold</b>",
    "长" * 20000 + "</textarea><script>1</script>",
]


class _Page(HTMLParser):
    """Collects the form controls, labels, ids and references of a rendered form."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labels: list[str] = []
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.legends = 0
        self.fieldsets = 0
        self.text: list[str] = []
        self.filled: list[str] = []
        """What the browser shows in each control: input values and textarea contents."""
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if a.get("id"):
            self.ids.append(a["id"])  # type: ignore[arg-type]
        if tag in ("input", "select", "textarea"):
            self.controls.append(a | {"tag": tag})
        if tag == "input" and a.get("value"):
            self.filled.append(a["value"])  # type: ignore[arg-type]
        if tag == "textarea":
            self._textarea = []
        if tag == "label" and a.get("for"):
            self.labels.append(a["for"])  # type: ignore[arg-type]
        self.legends += tag == "legend"
        self.fieldsets += tag == "fieldset"

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            content = "".join(self._textarea)
            # A browser drops one newline right after <textarea>.
            self.filled.append(content[1:] if content.startswith("\n") else content)
            self._textarea = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._textarea is not None:
            self._textarea.append(data)


def _render_jinja(spec: FormSpec, values: object, errors: object, lang: str) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    template = env.from_string(
        '{% from "_form.html" import render_form %}{{ render_form(spec, values, errors, lang) }}')
    return template.render(spec=spec, values=values, errors=errors, lang=lang)


def _render_flask(spec: FormSpec, values: object, errors: object, lang: str) -> str:
    app = Flask(__name__, template_folder=str(TEMPLATES))
    with app.test_request_context("/register", method="POST", data=values):
        from flask import request

        return render_template_string(
            '<form method="post">{% from "_form.html" import render_form %}'
            "{{ render_form(spec, request.form, errors, lang) }}</form>",
            spec=spec, errors=errors, lang=lang, request=request)


def test_hostile_input_is_escaped_in_html_and_stored_unchanged(
    spec: FormSpec, catalog: Catalog
) -> None:
    values = _values(title__zh=[HOSTILE[0]], title__en=[HOSTILE[1]],
                     description__zh=[HOSTILE[2]], description__en=[HOSTILE[3]],
                     keyword__zh=HOSTILE[:2], rights__en=[HOSTILE[2]])
    triples = graph_from_form(spec, values, DS, REC) + _cstr()
    literals = {t.object.value for t in triples if isinstance(t.object, ox.Literal)}
    assert set(HOSTILE) <= literals
    report = catalog.load_triples(triples, source="form", level="full")
    assert report.ok, [r.describe() for r in report.refused]
    back = form_from_graph(spec, catalog.record_triples(REC), DS)
    for name in ("title.zh", "title.en", "description.zh", "description.en", "rights.en"):
        assert back[name] == values[name]
    assert sorted(back["keyword.zh"]) == sorted(HOSTILE[:2])
    # A refused value is echoed in its error message: escaped there too.
    bad = _values(domain=[HOSTILE[0]])
    with pytest.raises(FormError) as caught:
        graph_from_form(spec, bad, DS, REC)
    for render in (_render_jinja, _render_flask):
        html = render(spec, values | {"domain": [HOSTILE[0]]}, caught.value.errors, "zh")
        assert "<script" not in html and "<img" not in html and "<b>" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
        assert "&#34;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
        page = _Page()
        page.feed(html)
        for hostile in HOSTILE:  # what the browser shows, and posts back, is the value
            assert hostile in page.filled
        assert HOSTILE[0] in "".join(page.text)  # the refused value, in its message


def test_rendered_form_is_accessible(spec: FormSpec) -> None:
    errors = {"title": ["缺少标题"], GENERAL: ["总体问题"],
              "distribution.0.access_url": ["缺少访问地址"]}
    values = {"title.zh": ["标题"], "keyword.zh": ["糖尿病"],
              "distribution.0.download_url": ["https://example.org/f.csv"]}
    html = _render_jinja(spec, values, errors, "zh")
    page = _Page()
    page.feed(html)
    assert "script" not in page.tags and "link" not in page.tags and "//" not in html.replace(
        "https://", "").replace("http://", "")
    assert len(page.ids) == len(set(page.ids)), "ids are unique"
    visible = [c for c in page.controls if c.get("type") != "hidden"]
    for control in visible:
        assert control.get("id") in page.labels, control
        for ref in (control.get("aria-describedby") or "").split():
            assert ref in page.ids, (control, ref)
    by_name: dict[str, list[dict]] = {}
    for control in visible:
        by_name.setdefault(control["name"], []).append(control)  # type: ignore[index]
    for name in ("title.zh", "title.en", "description.zh", "sensitivity_level", "sharing_mode",
                 "publisher", "contact_point.0.email", "distribution.0.access_url"):
        assert by_name[name][0].get("aria-required") == "true", name
    assert by_name["version"][0].get("aria-required") is None
    # inline messages: tied to their inputs, marked invalid
    title = by_name["title.zh"][0]
    assert "f-title-err" in title["aria-describedby"] and title.get("aria-invalid") == "true"
    assert "f-distribution-0-access_url-err" in by_name["distribution.0.access_url"][0][
        "aria-describedby"]
    assert 'role="alert"' in html and "总体问题" in html
    # pick lists, checkboxes for several values, one input per language for a title
    levels = [c for c in page.controls if c.get("name") == "sensitivity_level"]
    assert levels[0]["tag"] == "select"
    domains = by_name["domain"]
    assert {c["tag"] for c in domains} == {"input"} and len(domains) == 5
    assert len(by_name["title.zh"]) == 1
    # add another: empty inputs after the given ones, and an empty distribution block
    assert len(by_name["keyword.zh"]) == 2 and len(by_name["keyword.en"]) == 2
    assert "distribution.1.access_url" in by_name and "distribution.2.access_url" not in by_name
    assert "contact_point.0.email" in by_name and "contact_point.1.email" not in by_name
    assert page.fieldsets == page.legends
    for section in spec.sections:
        assert f"<legend>{section.label('zh')}</legend>" in html


def test_rendered_form_prefills_values_and_speaks_english(spec: FormSpec) -> None:
    html = _render_jinja(spec, form_from_graph(
        spec, graph_from_form(spec, COMPLETE, DS, REC), DS), {}, "en")
    page = _Page()
    page.feed(html)
    assert "<legend>Health data classification</legend>" in html
    assert "Level 3</option>" in html
    selected = f'<option value="{V}sensitivity-level/L3" selected>'
    assert selected in html
    checked = [c for c in page.controls if c.get("name") == "data_category"
               and "checked" in c]
    assert {c["value"] for c in checked} == set(COMPLETE["data_category"])
    dates = [c for c in page.controls if c.get("name") == "issued"]
    assert dates[0]["type"] == "date" and dates[0]["value"] == "2020-06-15"
    assert 'name="distribution.1.access_url"' in html  # room for another distribution
