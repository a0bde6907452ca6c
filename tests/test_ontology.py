"""Checks on the language-neutral ontology files (ontology/)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS, XSD

ONTOLOGY = Path(__file__).parents[1] / "ontology"
VOCAB = ONTOLOGY / "vocabularies"

HDCAT = Namespace("https://w3id.org/hdcat/ns#")
STDFAM = Namespace("https://w3id.org/hdcat/vocab/standard-family/")
SHARE = Namespace("https://w3id.org/hdcat/vocab/sharing-mode/")
DCATG = Namespace("https://w3id.org/hdcat/vocab/data-category/")
LVL = Namespace("https://w3id.org/hdcat/vocab/sensitivity-level/")
STD = Namespace("https://w3id.org/hdcat/standard/")
LEG = Namespace("https://w3id.org/hdcat/legislation/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ACCESS = Namespace("http://publications.europa.eu/resource/authority/access-right/")
EULIC = "http://publications.europa.eu/resource/authority/licence"
HDCAT_LIC_SCHEME = URIRef("https://w3id.org/hdcat/vocab/licence")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
HEALTH = Namespace("http://healthdataportal.eu/ns/health#")

TTL_FILES = sorted(ONTOLOGY.rglob("*.ttl"))

# Concept codes fixed by ontology/README.md ("Concept codes"), per scheme namespace.
README_CODES = {
    "https://w3id.org/hdcat/vocab/domain/": [
        "health-management", "public-health", "biomedicine", "clinical-medicine", "pharmacy",
    ],
    "https://w3id.org/hdcat/vocab/data-category/": ["PA", "HS", "MA", "MP", "HR", "PH"],
    "https://w3id.org/hdcat/vocab/sensitivity-level/": ["L1", "L2", "L3", "L4", "L5"],
    "https://w3id.org/hdcat/vocab/deidentification/": [
        "statistical", "cryptographic", "suppression", "pseudonymization", "generalization",
        "randomization", "synthesis", "k-anonymity", "l-diversity", "t-closeness",
        "differential-privacy",
    ],
    "https://w3id.org/hdcat/vocab/sharing-mode/": ["open", "conditional", "embargoed", "closed"],
    "https://w3id.org/hdcat/vocab/standard-family/": [
        "basic", "data", "management", "technical", "service", "professional",
    ],
    "https://w3id.org/hdcat/vocab/processing/": [
        "collection", "deidentification", "structuring", "standardization", "aggregation",
        "record-linkage", "quality-control", "cleaning",
    ],
    "https://w3id.org/hdcat/vocab/licence/": ["public-welfare-free", "agreement"],
    EULIC + "/": [
        "CC0", "CC_BY_4_0", "CC_BY_NC_4_0", "CC_BY_SA_4_0", "CC_BY_ND_4_0", "CC_BY_NC_SA_4_0",
        "CC_BY_NC_ND_4_0", "ODC_BY", "ODC_ODBL", "ODC_PDDL",
    ],
}


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse(ONTOLOGY / "hdcat.ttl")


@pytest.fixture(scope="module")
def vocabularies() -> Graph:
    g = Graph()
    for path in sorted(VOCAB.rglob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="module")
def standards() -> Graph:
    return _parse(ONTOLOGY / "standards.ttl")


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))


def _langs(g: Graph, s, p) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal) and o.language}


# --------------------------------------------------------------------------------------------
# every file parses
# --------------------------------------------------------------------------------------------
def test_expected_files_exist():
    for name in ("hdcat.ttl", "standards.ttl", "legislation.ttl", "context.jsonld"):
        assert (ONTOLOGY / name).is_file(), name
    for name in ("domain", "data-category", "sensitivity-level", "deidentification", "sharing-mode",
                 "standard-family", "processing", "licence"):
        assert (VOCAB / f"{name}.ttl").is_file(), name
    assert (VOCAB / "eu" / "README.md").is_file()
    assert len(list((VOCAB / "eu").glob("*.ttl"))) >= 10


@pytest.mark.parametrize("path", TTL_FILES, ids=lambda p: str(p.relative_to(ONTOLOGY)))
def test_turtle_parses(path: Path):
    g = _parse(path)
    assert len(g) > 0


# --------------------------------------------------------------------------------------------
# hdcat.ttl
# --------------------------------------------------------------------------------------------
REQUIRED_TERMS = [
    "domain", "dataCategory", "sensitivityLevel", "sharingMode", "standardized",
    "ProcessingActivity", "deidentificationMethod", "DeidentificationAssessment",
    "deidentificationAssessment", "kValue", "lValue", "epsilon", "reidentificationRisk",
    "assessedAgainst", "FundingProject", "fundingProject", "grantNumber", "funder", "CSTR", "DOI",
    "embargoEnd", "standardFamily", "aboutPersons", "levelRank", "accessProcedure",
]


def _hdcat_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(HDCAT))}


def test_required_terms_declared(ontology):
    declared = _hdcat_terms(ontology)
    missing = [t for t in REQUIRED_TERMS if HDCAT[t] not in declared]
    assert not missing, missing


def test_every_term_labelled_and_commented_in_zh_and_en(ontology):
    terms = _hdcat_terms(ontology)
    assert len(terms) >= len(REQUIRED_TERMS)
    problems = []
    for term in sorted(terms):
        for prop in (RDFS.label, RDFS.comment):
            if not {"zh", "en"} <= _langs(ontology, term, prop):
                problems.append(f"{term} {prop}")
        if (term, RDFS.isDefinedBy, URIRef("https://w3id.org/hdcat/ns")) not in ontology:
            problems.append(f"{term} isDefinedBy")
        if not set(ontology.objects(term, RDF.type)):
            problems.append(f"{term} has no rdf:type")
    assert not problems, problems


def test_term_typing_and_ranges(ontology):
    prov_activity = URIRef("http://www.w3.org/ns/prov#Activity")
    assert (HDCAT.ProcessingActivity, RDFS.subClassOf, prov_activity) in ontology
    assert (HDCAT.CSTR, RDF.type, RDFS.Datatype) in ontology
    assert (HDCAT.DOI, RDF.type, RDFS.Datatype) in ontology
    assert (HDCAT.standardized, RDFS.range, XSD.boolean) in ontology
    assert (HDCAT.embargoEnd, RDFS.range, XSD.date) in ontology
    assert (HDCAT.aboutPersons, RDFS.range, XSD.boolean) in ontology
    assert (HDCAT.levelRank, RDFS.range, XSD.integer) in ontology
    assert (HDCAT.standardFamily, RDFS.domain, DCTERMS.Standard) in ontology


def test_ontology_and_profile_headers(ontology):
    onto = URIRef("https://w3id.org/hdcat/ns")
    assert (onto, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) in ontology
    assert {"zh", "en"} <= _langs(ontology, onto, DCTERMS.title)
    assert ontology.value(onto, URIRef("http://www.w3.org/2002/07/owl#versionInfo")) is not None
    profile = URIRef("https://w3id.org/hdcat/profile")
    assert (profile, RDF.type, DCTERMS.Standard) in ontology
    assert {"zh", "en"} <= _langs(ontology, profile, DCTERMS.title)


# --------------------------------------------------------------------------------------------
# vocabularies
# --------------------------------------------------------------------------------------------
def test_every_concept_has_scheme_notation_and_labels(vocabularies):
    concepts = set(vocabularies.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 150
    problems = []
    for c in sorted(concepts):
        schemes = list(vocabularies.objects(c, SKOS.inScheme))
        if not schemes:
            problems.append(f"{c} inScheme")
        for scheme in schemes:
            if (scheme, RDF.type, SKOS.ConceptScheme) not in vocabularies:
                problems.append(f"{c} scheme {scheme} not declared")
        if vocabularies.value(c, SKOS.notation) is None:
            problems.append(f"{c} notation")
        if not {"zh", "en"} <= _langs(vocabularies, c, SKOS.prefLabel):
            problems.append(f"{c} prefLabel zh+en")
    assert not problems, problems[:20]


def test_every_scheme_has_labels(vocabularies):
    schemes = set(vocabularies.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) >= 20
    bad = [s for s in schemes if not {"zh", "en"} <= _langs(vocabularies, s, SKOS.prefLabel)]
    assert not bad, bad


def test_readme_concept_codes_exist(vocabularies):
    missing = []
    for ns, codes in README_CODES.items():
        for code in codes:
            if (URIRef(ns + code), RDF.type, SKOS.Concept) not in vocabularies:
                missing.append(ns + code)
    assert not missing, missing


def test_readme_codes_match_readme_text():
    """The hard-coded lists above must agree with ontology/README.md."""
    text = (ONTOLOGY / "README.md").read_text(encoding="utf-8")
    for ns, codes in README_CODES.items():
        for code in codes:
            if ns.endswith("sensitivity-level/"):
                assert "`L1` .. `L5`" in text
                continue
            assert f"`{code}`" in text or code in text, (ns, code)
    # every back-quoted code listed in the "Concept codes" section of the README is known here
    section = text.split("### Concept codes", 1)[1].split("## The record model", 1)[0]
    known = {c for codes in README_CODES.values() for c in codes}
    quoted = set(re.findall(r"`([A-Za-z0-9_-]+)`", section))
    prefixes = {"dom", "dcatg", "lvl", "deid", "share", "stdfam", "proc"}
    unknown = {q for q in quoted if q not in known | prefixes and not q.startswith("hdcat")}
    assert not unknown, unknown


def test_hdcat_schemes_have_top_concepts(vocabularies):
    for ns in README_CODES:
        if ns.startswith(EULIC):
            continue
        scheme = URIRef(ns.rstrip("/"))
        assert (scheme, RDF.type, SKOS.ConceptScheme) in vocabularies, scheme
        assert {"zh", "en"} <= _langs(vocabularies, scheme, DCTERMS.title), scheme
        for code in README_CODES[ns]:
            c = URIRef(ns + code)
            assert (c, SKOS.inScheme, scheme) in vocabularies, c
            assert (c, SKOS.topConceptOf, scheme) in vocabularies, c


def test_levels_and_categories(vocabularies):
    for i in range(1, 6):
        level = LVL[f"L{i}"]
        assert vocabularies.value(level, SKOS.notation) == Literal(str(i))
        rank = vocabularies.value(level, HDCAT.levelRank)
        assert rank is not None and rank.datatype == XSD.integer and rank.toPython() == i
    persons = {"PA", "HS", "MA", "MP"}
    for code in README_CODES["https://w3id.org/hdcat/vocab/data-category/"]:
        value = vocabularies.value(DCATG[code], HDCAT.aboutPersons)
        assert value is not None and value.datatype == XSD.boolean, code
        assert value.toPython() is (code in persons), code


def test_sharing_modes_map_to_eu_access_rights(vocabularies):
    assert (SHARE.open, SKOS.exactMatch, ACCESS.PUBLIC) in vocabularies
    assert (SHARE.conditional, SKOS.exactMatch, ACCESS.RESTRICTED) in vocabularies
    assert (SHARE.closed, SKOS.exactMatch, ACCESS.NON_PUBLIC) in vocabularies
    assert (SHARE.embargoed, SKOS.closeMatch, ACCESS.NON_PUBLIC) in vocabularies
    assert (SHARE.embargoed, SKOS.exactMatch, None) not in vocabularies
    # each mode maps to exactly one access right, and the targets are present locally
    for mode in (SHARE.open, SHARE.conditional, SHARE.closed, SHARE.embargoed):
        targets = set(vocabularies.objects(mode, SKOS.exactMatch))
        targets |= set(vocabularies.objects(mode, SKOS.closeMatch))
        assert len(targets) == 1, mode
        scheme = URIRef("http://publications.europa.eu/resource/authority/access-right")
        assert (targets.pop(), SKOS.inScheme, scheme) in vocabularies


def test_licences(vocabularies):
    codes = README_CODES[EULIC + "/"] + README_CODES["https://w3id.org/hdcat/vocab/licence/"]
    for code in codes:
        base = EULIC + "/" if code.isupper() or code == "CC0" else "https://w3id.org/hdcat/vocab/licence/"
        iri = URIRef(base + code)
        assert (iri, RDF.type, DCTERMS.LicenseDocument) in vocabularies, iri
        assert (iri, SKOS.inScheme, HDCAT_LIC_SCHEME) in vocabularies, iri
        types = set(vocabularies.objects(iri, DCTERMS.type))
        assert types, iri
        assert all(str(t).startswith("http://purl.org/adms/licencetype/") for t in types), iri
        for t in types:  # the licence types are themselves in the local ADMS copy
            assert (t, RDF.type, SKOS.Concept) in vocabularies, t
        if str(iri).startswith(EULIC):
            assert (iri, SKOS.inScheme, URIRef(EULIC)) in vocabularies, iri
            assert vocabularies.value(iri, FOAF.page) is not None, iri


def test_eu_copies_cover_what_the_demo_record_uses(vocabularies):
    used = [
        "http://publications.europa.eu/resource/authority/data-theme/HEAL",
        "http://publications.europa.eu/resource/authority/dataset-type/STATISTICAL",
        "http://publications.europa.eu/resource/authority/access-right/RESTRICTED",
        "http://publications.europa.eu/resource/authority/country/CHN",
        "http://publications.europa.eu/resource/authority/language/ZHO",
        "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
        "http://publications.europa.eu/resource/authority/file-type/CSV",
        "http://purl.org/adms/publishertype/NationalAuthority",
        "https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/EHRS",
        "https://hdeu-dcat.data.health.europa.eu/resource/authority/health-theme/HEALTH_SYSTEMS",
        "https://hdeu-dcat.data.health.europa.eu/resource/authority/health-activity/ROUTINE_RECORDS",
        "https://hdeu-dcat.data.health.europa.eu/resource/authority/publisher-type/non-gov-org",
    ]
    missing = [u for u in used if (URIRef(u), RDF.type, SKOS.Concept) not in vocabularies]
    assert not missing, missing
    themes = [s for s in vocabularies.subjects(SKOS.inScheme, URIRef("http://publications.europa.eu/resource/authority/data-theme"))]
    assert len(themes) == 14
    csv = URIRef("http://www.iana.org/assignments/media-types/text/csv")
    assert (csv, RDF.type, DCTERMS.MediaType) in vocabularies
    assert {"zh", "en"} <= _langs(vocabularies, csv, RDFS.label)


# --------------------------------------------------------------------------------------------
# standards.ttl
# --------------------------------------------------------------------------------------------
REQUIRED_STANDARDS = [
    "ws-t-363", "ws-t-364", "ws-445", "ws-t-500", "ws-t-303", "ws-t-682", "gb-t-39725",
    "gb-t-37964", "gb-t-42460", "gb-t-32843", "gb-t-35294", "gb-t-7714", "gb-t-14396",
    "gb-t-30523", "gb-t-42813", "icd-10", "icd-11", "loinc", "snomed-ct", "hl7-fhir-r4", "hl7-cda",
    "omop-cdm", "dicom", "cdisc-sdtm", "dcat-ap-3", "healthdcat-ap", "iso-26324",
]


def test_standards_catalog(standards, vocabularies):
    stds = set(standards.subjects(RDF.type, DCTERMS.Standard))
    assert len(stds) >= 25
    missing = [s for s in REQUIRED_STANDARDS if STD[s] not in stds]
    assert not missing, missing
    families = Counter()
    problems = []
    for s in sorted(stds):
        slug = str(s)[len(str(STD)):]
        if not str(s).startswith(str(STD)) or not re.fullmatch(r"[a-z0-9-]+", slug):
            problems.append(f"{s} IRI")
        if standards.value(s, SKOS.notation) is None:
            problems.append(f"{s} notation")
        if not {"zh", "en"} <= _langs(standards, s, DCTERMS.title):
            problems.append(f"{s} title")
        publishers = list(standards.objects(s, DCTERMS.publisher))
        if not publishers:
            problems.append(f"{s} publisher")
        for pub in publishers:
            named = {"zh", "en"} <= _langs(standards, pub, FOAF.name)
            if (pub, RDF.type, FOAF.Agent) not in standards or not named:
                problems.append(f"{s} publisher {pub} without zh+en foaf:name")
        fams = list(standards.objects(s, HDCAT.standardFamily))
        if len(fams) != 1:
            problems.append(f"{s} family")
            continue
        fam_scheme = URIRef("https://w3id.org/hdcat/vocab/standard-family")
        if (fams[0], SKOS.inScheme, fam_scheme) not in vocabularies:
            problems.append(f"{s} family {fams[0]} unknown")
        families[fams[0]] += 1
    assert not problems, problems
    for fam in README_CODES["https://w3id.org/hdcat/vocab/standard-family/"]:
        assert families[STDFAM[fam]] >= 1, fam


def test_standards_facts(standards):
    assert standards.value(STD["ws-t-363"], SKOS.notation) == Literal("WS/T 363-2023")
    assert (STD["ws-t-363"], DCTERMS.replaces, STD["ws-363-2011"]) in standards
    assert (STD["ws-363-2011"], DCTERMS.isReplacedBy, STD["ws-t-363"]) in standards
    assert (STD["ws-t-364"], DCTERMS.replaces, STD["ws-364-2011"]) in standards
    issued = Literal("2020-12-14", datatype=XSD.date)
    assert standards.value(STD["gb-t-39725"], DCTERMS.issued) == issued
    issued = Literal("2019-08-30", datatype=XSD.date)
    assert standards.value(STD["gb-t-37964"], DCTERMS.issued) == issued
    assert standards.value(STD["gb-t-39725"], HDCAT.standardFamily) == STDFAM.management
    assert standards.value(STD["hl7-fhir-r4"], HDCAT.standardFamily) == STDFAM.technical
    assert standards.value(STD["dcat-ap-3"], HDCAT.standardFamily) == STDFAM.service
    assert standards.value(STD["gb-t-32843"], HDCAT.standardFamily) == STDFAM.basic
    assert standards.value(STD["cdisc-sdtm"], HDCAT.standardFamily) == STDFAM.professional
    assert standards.value(STD["ws-t-363"], HDCAT.standardFamily) == STDFAM.data
    # the 2018 measures are legislation, not a standard
    stds = standards.subjects(RDF.type, DCTERMS.Standard)
    assert not any("scientific-data" in str(s) for s in stds)


# --------------------------------------------------------------------------------------------
# legislation.ttl
# --------------------------------------------------------------------------------------------
def test_legislation():
    g = _parse(ONTOLOGY / "legislation.ttl")
    expected = [
        LEG["scientific-data-measures-2018"], LEG["pipl-2021"], LEG["data-security-law-2021"],
        LEG["human-genetic-resources-2019"], LEG["cybersecurity-law-2016"],
        URIRef("http://data.europa.eu/eli/reg/2025/327/oj"),
    ]
    for law in expected:
        assert (law, RDF.type, ELI.LegalResource) in g, law
        assert {"zh", "en"} <= _langs(g, law, DCTERMS.title), law
        assert {"zh", "en"} <= _langs(g, law, SKOS.prefLabel), law


# --------------------------------------------------------------------------------------------
# context.jsonld
# --------------------------------------------------------------------------------------------
def _remote_contexts(node) -> list:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                items = value if isinstance(value, list) else [value]
                found += [v for v in items if isinstance(v, str)]
            found += _remote_contexts(value)
    elif isinstance(node, list):
        for item in node:
            found += _remote_contexts(item)
    return found


def test_context_is_local(context):
    assert "@context" in context
    assert not _remote_contexts(context)
    ctx = context["@context"]
    assert ctx.get("@version") == 1.1
    for prefix in ("dcat", "dct", "dcatap", "healthdcatap", "adms", "prov", "foaf", "vcard", "skos",
                   "xsd", "spdx", "cv", "dqv", "dpv", "eli", "hdcat", "dom", "dcatg", "lvl", "deid",
                   "share", "stdfam", "proc", "hdlic", "std", "leg", "hdagent"):
        assert isinstance(ctx.get(prefix), str), prefix
    assert ctx["hdcat"] == str(HDCAT)
    assert ctx["keyword"]["@container"] == "@set"
    assert ctx["theme"]["@type"] == "@id"
    assert ctx["issued"]["@type"] == "xsd:date"
    assert ctx["byteSize"]["@type"] == "xsd:nonNegativeInteger"
    assert ctx["numberOfRecords"]["@type"] == "xsd:nonNegativeInteger"


def test_context_parses_a_record():
    ctx = json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    ds = "https://hdcat.example.org/dataset/t1"
    doc = {
        "@context": ctx,
        "@id": ds,
        "@type": "Dataset",
        "title": {"zh": "测试数据集", "en": "Test dataset"},
        "keyword": ["糖尿病", "diabetes"],
        "theme": "eutheme:HEAL",
        "issued": "2020-06-15",
        "sharingMode": "share:conditional",
        "dataCategory": ["dcatg:HS", "dcatg:MA"],
        "sensitivityLevel": "lvl:L3",
        "standardized": True,
        "conformsTo": "std:ws-t-363",
        "numberOfRecords": 120000,
        "otherIdentifier": {
            "@id": ds + "#cstr",
            "@type": "Identifier",
            "notation": {"@value": "CSTR:A0006.11.A0005.202006.001018", "@type": "hdcat:CSTR"},
        },
        "distribution": {
            "@id": ds + "#dist",
            "@type": "Distribution",
            "accessURL": "https://example.org/get",
            "byteSize": 52428800,
            "mediaType": "iana:text/csv",
        },
    }
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    s = URIRef(ds)
    expected = {
        (s, RDF.type, DCAT.Dataset),
        (s, DCTERMS.title, Literal("测试数据集", lang="zh")),
        (s, DCTERMS.title, Literal("Test dataset", lang="en")),
        (s, DCAT.keyword, Literal("糖尿病")),
        (s, DCAT.keyword, Literal("diabetes")),
        (s, DCAT.theme, URIRef("http://publications.europa.eu/resource/authority/data-theme/HEAL")),
        (s, DCTERMS.issued, Literal("2020-06-15", datatype=XSD.date)),
        (s, HDCAT.sharingMode, SHARE.conditional),
        (s, HDCAT.dataCategory, DCATG.HS),
        (s, HDCAT.dataCategory, DCATG.MA),
        (s, HDCAT.sensitivityLevel, LVL.L3),
        (s, HDCAT.standardized, Literal(True)),
        (s, DCTERMS.conformsTo, STD["ws-t-363"]),
        (s, HEALTH.numberOfRecords, Literal("120000", datatype=XSD.nonNegativeInteger)),
        (s, URIRef("http://www.w3.org/ns/adms#identifier"), URIRef(ds + "#cstr")),
        (URIRef(ds + "#cstr"), SKOS.notation,
         Literal("CSTR:A0006.11.A0005.202006.001018", datatype=HDCAT.CSTR)),
        (s, DCAT.distribution, URIRef(ds + "#dist")),
        (URIRef(ds + "#dist"), DCAT.accessURL, URIRef("https://example.org/get")),
        (URIRef(ds + "#dist"), DCAT.byteSize, Literal("52428800", datatype=XSD.nonNegativeInteger)),
        (URIRef(ds + "#dist"), DCAT.mediaType, URIRef("http://www.iana.org/assignments/media-types/text/csv")),
    }
    missing = expected - set(g)
    assert not missing, missing
    assert len(g) == len(expected) + 2  # + rdf:type of the identifier and the distribution


def test_no_file_references_a_remote_jsonld_context():
    pattern = re.compile(r"https?://[^\s\"'<>]+\.jsonld")
    offenders = []
    for path in sorted(ONTOLOGY.rglob("*")):
        is_rdf = path.is_file() and path.suffix in {".ttl", ".jsonld", ".json"}
        if is_rdf and pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    assert not offenders, offenders
