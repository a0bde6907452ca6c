"""Render the demo catalog ``hdcat/demo/demo-catalog.ttl`` from the tables in ``demo_data.py``.

Run from the repository root::

    .venv/bin/python hdcat/demo/build_demo.py          # or: python -m hdcat.demo.build_demo

The output is deterministic: no randomness, no blank nodes (every owned node is a ``#`` IRI of
its dataset), checksums are SHA-256 digests of the file URLs. The layout follows the record
model of ontology/README.md: ``B/dataset/ID``, ``B/record/ID`` and owned parts ``B/dataset/ID#...``.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from hdcat.namespaces import (
    ADMS,
    CSVW,
    CV,
    DCATAP,
    DCATG,
    DEID,
    DOM,
    HDCAT,
    HEALTHDCATAP,
    LEG,
    LVL,
    PROC,
    SHARE,
    SPDX,
    STD,
    VCARD,
    VOCAB,
)

if __package__ in (None, ""):  # run as a script: make ``demo_data`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import demo_data as data  # type: ignore[import-not-found]
else:
    from . import demo_data as data

BASE = "https://hdcat.example.org/"
OUTPUT = Path(__file__).resolve().parent / "demo-catalog.ttl"
CATALOG = URIRef(BASE + "catalog")
PROFILE = URIRef("https://w3id.org/hdcat/profile")

DCT = DCTERMS
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's DCAT namespace lacks DCAT 3 terms
HDLIC = Namespace(VOCAB + "licence/")
EU = "http://publications.europa.eu/resource/authority/"
ACCESS = Namespace(EU + "access-right/")
FILETYPE = Namespace(EU + "file-type/")
FREQ = Namespace(EU + "frequency/")
DSTYPE = Namespace(EU + "dataset-type/")
LIC = Namespace(EU + "licence/")
LANG = Namespace(EU + "language/")
COUNTRY = Namespace(EU + "country/")
THEME = Namespace(EU + "data-theme/")
HEALTHCAT = Namespace("https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/")
PUBTYPE = Namespace("http://purl.org/adms/publishertype/")
AVAILABILITY = Namespace(EU + "planned-availability/")
IANA = "http://www.iana.org/assignments/media-types/"

PREFIXES = {
    "dcat": DCAT, "dct": DCT, "foaf": FOAF, "prov": PROV, "skos": SKOS, "xsd": XSD, "rdfs": RDFS,
    "adms": ADMS, "dcatap": DCATAP, "healthdcatap": HEALTHDCATAP, "vcard": VCARD, "cv": CV,
    "spdx": SPDX, "csvw": CSVW, "hdcat": HDCAT, "dom": DOM, "dcatg": DCATG, "lvl": LVL,
    "deid": DEID, "share": SHARE, "proc": PROC, "hdlic": HDLIC, "std": STD, "leg": LEG,
    "accessright": ACCESS, "filetype": FILETYPE, "freq": FREQ, "dstype": DSTYPE, "eulicence": LIC,
    "eulang": LANG, "country": COUNTRY, "theme": THEME, "healthcat": HEALTHCAT, "pubtype": PUBTYPE,
}

DOMAINS = {"HM": "health-management", "PH": "public-health", "BM": "biomedicine",
           "CM": "clinical-medicine", "PS": "pharmacy"}
# NPHDC sub-centre code used in the CSTR suffix, by domain
CENTRE = {"PH": "A0001", "BM": "A0002", "PS": "A0003", "HM": "A0004", "CM": "A0005"}
PERSONAL = {"PA", "HS", "MA", "MP"}
ACCESS_OF = {"open": "PUBLIC", "conditional": "RESTRICTED", "closed": "NON_PUBLIC",
             "embargoed": "NON_PUBLIC"}
MODE_LABEL = {"open": ("开放共享", "open"), "conditional": ("有条件共享", "conditional"),
              "closed": ("不开放", "closed"), "embargoed": ("延期开放", "embargoed")}

# format key -> (EU file type, IANA media type, file extension, zh title, en title, standard)
FORMATS = {
    "CSV": ("CSV", "text/csv", "csv", "CSV 数据文件", "CSV data file", None),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
             "Excel 数据文件", "Excel workbook", None),
    "JSON": ("JSON", "application/json", "json", "JSON 数据文件", "JSON data file", None),
    "ZIP": ("ZIP", "application/zip", "zip", "压缩数据包", "Zipped data package", None),
    # No EU file-type code exists for DICOM or SAS: they are shipped as ZIP packages.
    "DICOM": ("ZIP", "application/zip", "dicom.zip", "DICOM 影像压缩包", "Zipped DICOM images",
              "dicom"),
    "SAS": ("ZIP", "application/zip", "sas.zip", "SAS 数据集（XPORT 格式，ZIP 压缩）",
            "SAS datasets (XPORT, zipped)", None),
}

DEID_LABEL = {
    "statistical": ("统计技术", "statistical techniques"),
    "cryptographic": ("密码技术", "cryptographic techniques"),
    "suppression": ("抑制", "suppression"),
    "pseudonymization": ("假名化", "pseudonymisation"),
    "generalization": ("泛化", "generalisation"),
    "randomization": ("随机化", "randomisation"),
    "synthesis": ("数据合成", "data synthesis"),
    "k-anonymity": ("k-匿名", "k-anonymity"),
    "l-diversity": ("l-多样性", "l-diversity"),
    "t-closeness": ("t-接近", "t-closeness"),
    "differential-privacy": ("差分隐私", "differential privacy"),
}
STD_LABEL = {
    "ws-t-363": "WS/T 363", "gb-t-14396": "GB/T 14396", "icd-10": "ICD-10", "icd-11": "ICD-11",
    "loinc": "LOINC", "snomed-ct": "SNOMED CT", "dicom": "DICOM", "cdisc-sdtm": "CDISC SDTM",
    "ws-445": "WS 445", "hl7-fhir-r4": "HL7 FHIR R4", "omop-cdm": "OMOP CDM", "meddra": "MedDRA",
    "atc": "ATC", "ws-t-500": "WS/T 500",
}

CATALOG_ISSUED = "2019-05-01"
CATALOG_MODIFIED = "2024-06-30"


def ref(path: str) -> URIRef:
    return URIRef(BASE + path)


def ds_iri(ident: str) -> URIRef:
    return ref(f"dataset/{ident}")


def part(ident: str, frag: str) -> URIRef:
    return ref(f"dataset/{ident}#{frag}")


def agent(ident: str) -> URIRef:
    return ref(f"agent/{ident}")


def d(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


def nni(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD.nonNegativeInteger)


def bi(g: Graph, s: URIRef, p: URIRef, zh: str, en: str) -> None:
    g.add((s, p, Literal(zh, lang="zh")))
    g.add((s, p, Literal(en, lang="en")))


def shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) - timedelta(days=days)).isoformat()


def stamp(day: str, days: int) -> Literal:
    moment = datetime.fromisoformat(shift(day, days) + "T17:00:00")
    return Literal(moment.isoformat(), datatype=XSD.dateTime)


def columns() -> dict[str, tuple[str, ...]]:
    table = {}
    for line in data.COLUMNS_TABLE.strip().splitlines():
        fields = tuple(line.split("|"))
        assert len(fields) == 6, line
        table[fields[0]] = fields
    return table


# ---------------------------------------------------------------------------------------------
# identifiers
# ---------------------------------------------------------------------------------------------
def assign_identifiers(rows: list[dict]) -> dict[str, tuple[str, str]]:
    """CSTR and DOI of every dataset; raw sources are registered with a CSTR but no DOI."""
    ids: dict[str, tuple[str, str | None]] = {}
    nphdc_serial = 2101
    sdb_serial = 31806
    source_serial = 900001
    for row in rows:
        if row["kind"] == "source":
            month = row["issued"][:7].replace("-", "")
            ids[row["id"]] = (f"CSTR:A0006.11.{CENTRE[row['dom']]}.{month}.{source_serial:06d}",
                              None)
            source_serial += 7
            continue
        cstr = row.get("cstr")
        if cstr == "sdb":  # Science Data Bank style: shared suffix, agency 31253
            ids[row["id"]] = (f"CSTR:31253.11.sciencedb.{sdb_serial:05d}",
                              f"10.57760/sciencedb.{sdb_serial:05d}")
            sdb_serial += 37
            continue
        if cstr:
            centre, month, serial = cstr
        else:
            centre = CENTRE[row["dom"]]
            month = row["issued"][:7].replace("-", "")
            serial = f"{nphdc_serial:06d}"
            nphdc_serial += 13
        suffix = f"{centre}.{month}.{serial}"
        ids[row["id"]] = (f"CSTR:A0006.11.{suffix}", f"10.12213/11.{suffix}")
    return ids


# ---------------------------------------------------------------------------------------------
# agents
# ---------------------------------------------------------------------------------------------
def add_agents(g: Graph) -> dict[str, tuple]:
    agents = {}
    for ident, kind, zh, en, ptype, homepage, email in data.AGENTS:
        a = agent(ident)
        agents[ident] = (kind, zh, en, email)
        g.add((a, RDF.type, FOAF.Agent))
        bi(g, a, FOAF.name, zh, en)
        if kind == "person":
            g.add((a, RDF.type, FOAF.Person))
            g.add((a, DCT.type, PUBTYPE["PrivateIndividual(s)"]))
            continue
        g.add((a, RDF.type, FOAF.Organization))
        g.add((a, DCT.type, PUBTYPE[ptype]))
        g.add((a, FOAF.homepage, URIRef(homepage)))
        contact = ref(f"agent/{ident}#contact")
        g.add((a, CV.contactPoint, contact))
        g.add((contact, RDF.type, CV.ContactPoint))
        g.add((contact, CV.email, Literal(email)))
    return agents


# ---------------------------------------------------------------------------------------------
# the catalog, the series
# ---------------------------------------------------------------------------------------------
def add_catalog(g: Graph) -> None:
    g.add((CATALOG, RDF.type, DCAT.Catalog))
    bi(g, CATALOG, DCT.title, "hdcat 健康医疗科学数据演示目录",
       "hdcat demo catalog of health and medical scientific data")
    bi(g, CATALOG, DCT.description,
       "hdcat 的演示目录：收录国家数据中心、省级平台、医院、疾控中心和高校登记的"
       "去标识化健康医疗科学数据集的元数据示例，覆盖五个数据领域、GB/T 39725 的六类数据、"
       "五个安全级别和四种共享方式。所有内容均为示例数据。",
       "The hdcat demo catalog: example metadata of de-identified health and medical scientific "
       "datasets registered by national data centres, provincial platforms, hospitals, CDCs and "
       "universities, covering five data domains, the six GB/T 39725 data categories, five "
       "sensitivity levels and four sharing modes. All content is example data.")
    g.add((CATALOG, DCT.publisher, agent("nphdc")))
    g.add((CATALOG, DCATAP.applicableLegislation, LEG["scientific-data-measures-2018"]))
    g.add((CATALOG, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
    g.add((CATALOG, DCT.language, LANG.ZHO))
    g.add((CATALOG, DCT.language, LANG.ENG))
    g.add((CATALOG, DCT.spatial, COUNTRY.CHN))
    g.add((CATALOG, DCT.license, LIC.CC0))
    homepage = URIRef(BASE)
    g.add((CATALOG, FOAF.homepage, homepage))
    g.add((homepage, RDF.type, FOAF.Document))
    g.add((CATALOG, DCT.issued, d(CATALOG_ISSUED)))
    g.add((CATALOG, DCT.modified, d(CATALOG_MODIFIED)))


def add_series(g: Graph) -> None:
    for ident, zh, en, dzh, den, pub, members in data.SERIES:
        s = ds_iri(ident)
        g.add((s, RDF.type, DCAT.DatasetSeries))
        bi(g, s, DCT.title, zh, en)
        bi(g, s, DCT.description, dzh, den)
        g.add((s, DCT.publisher, agent(pub)))
        g.add((s, DCATAP.applicableLegislation, LEG["scientific-data-measures-2018"]))
        contact = URIRef(f"{s}#contact")
        g.add((s, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Organization))
        g.add((contact, RDF.type, VCARD.Kind))
        pub_zh, pub_en, email = next((a[2], a[3], a[6]) for a in data.AGENTS if a[0] == pub)
        bi(g, contact, VCARD.fn, f"{pub_zh}数据服务部", f"{pub_en} data services")
        g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))
        for member in members:
            g.add((s, DCAT.hasVersion, ds_iri(member)))
        g.add((s, DCAT.hasCurrentVersion, ds_iri(members[-1])))
        g.add((s, DCAT.first, ds_iri(members[0])))
        g.add((s, DCAT.last, ds_iri(members[-1])))


# ---------------------------------------------------------------------------------------------
# datasets
# ---------------------------------------------------------------------------------------------
def legislation(row: dict) -> list[URIRef]:
    laws = [LEG["scientific-data-measures-2018"]]
    if PERSONAL & set(row["cat"].split()):
        laws.append(LEG["pipl-2021"])
    if row["lvl"] >= 3:
        laws.append(LEG["data-security-law-2021"])
    if "HGPD" in row["hc"]:
        laws.append(LEG["human-genetic-resources-2019"])
    return laws


def licence(row: dict) -> URIRef:
    if row["mode"] != "open":
        return HDLIC.agreement
    lic = row.get("lic", "CC_BY_4_0")
    if lic.startswith("hdlic:"):
        return HDLIC[lic.split(":", 1)[1]]
    return LIC[lic]


def add_dataset(g: Graph, row: dict, rows: dict[str, dict], agents: dict, ids: dict,
                cols: dict) -> None:
    ident = row["id"]
    s = ds_iri(ident)
    kind, mode, lvl = row["kind"], row["mode"], row["lvl"]
    cats = row["cat"].split()
    pub = row["pub"]
    _, pub_zh, pub_en, pub_email = agents[pub]
    issued = row["issued"]
    modified = row.get("modified", issued)
    title_zh, title_en = row["t"]

    # the catalog record and the catalog links
    rec = ref(f"record/{ident}")
    g.add((CATALOG, DCAT.dataset, s))
    g.add((CATALOG, DCAT.record, rec))
    g.add((rec, RDF.type, DCAT.CatalogRecord))
    g.add((rec, FOAF.primaryTopic, s))
    g.add((rec, DCT.conformsTo, PROFILE))
    g.add((rec, DCT.issued, d(issued)))
    g.add((rec, DCT.modified, d(modified)))

    g.add((s, RDF.type, DCAT.Dataset))
    bi(g, s, DCT.title, title_zh, title_en)
    bi(g, s, DCT.description, *row["d"])
    for word in row["kw"][0]:
        g.add((s, DCAT.keyword, Literal(word, lang="zh")))
    for word in row["kw"][1]:
        g.add((s, DCAT.keyword, Literal(word, lang="en")))
    g.add((s, DCAT.theme, THEME.HEAL))
    g.add((s, DCT.type, DSTYPE[row["typ"]]))

    # identifiers
    cstr, doi = ids[ident]
    g.add((s, DCT.identifier, Literal(cstr)))
    if kind == "source":
        g.add((s, DCT.identifier, Literal(row["local"])))
    for frag, notation, dtype, agency in (("cstr", cstr, HDCAT.CSTR, "CSTR"),
                                          ("doi", doi, HDCAT.DOI, "DOI")):
        if notation is not None:
            node = part(ident, frag)
            g.add((s, ADMS.identifier, node))
            g.add((node, RDF.type, ADMS.Identifier))
            g.add((node, SKOS.notation, Literal(notation, datatype=dtype)))
            g.add((node, ADMS.schemaAgency, Literal(agency)))

    # hdcat classification
    g.add((s, HDCAT.domain, DOM[DOMAINS[row["dom"]]]))
    for cat in cats:
        g.add((s, HDCAT.dataCategory, DCATG[cat]))
    g.add((s, HDCAT.sensitivityLevel, LVL[f"L{lvl}"]))
    g.add((s, HDCAT.sharingMode, SHARE[mode]))
    g.add((s, DCT.accessRights, ACCESS[ACCESS_OF[mode]]))
    g.add((s, DCT.license, licence(row)))
    request_page = URIRef(f"{BASE}files/{ident}/request")
    if mode == "embargoed":
        g.add((s, HDCAT.embargoEnd, d(row["emb"])))
    if mode == "conditional":
        hdab_zh, hdab_en = agents[data.HDAB_OF[pub]][1:3]
        bi(g, s, HDCAT.accessProcedure,
           f"在 {request_page} 提交数据申请（研究方案、伦理审查批件与数据安全承诺），"
           f"经{hdab_zh}审核并签署数据使用协议后，在其安全计算环境中获得为期一年的访问权限；"
           "成果发表时须按 GB/T 35294 引用本数据集。",
           f"Submit a request at {request_page} (study protocol, ethics approval and data security "
           f"undertaking). After review by the {hdab_en} and signature of a data use agreement, "
           "access is granted for one year in its secure computing environment; publications must "
           "cite the dataset following GB/T 35294.")

    rights = part(ident, "rights")
    g.add((s, DCT.rights, rights))
    g.add((rights, RDF.type, DCT.RightsStatement))
    rights_text = {
        "open": ("依据所附许可协议开放共享，使用时须按 GB/T 35294 引用本数据集，"
                 "不得尝试重新识别个人。",
                 "Openly shared under the attached licence; cite the dataset following GB/T 35294 "
                 "and do not attempt to re-identify individuals."),
        "conditional": ("经审批并签署数据使用协议后在约定范围和期限内使用，"
                        "不得转让第三方或尝试重新识别个人。",
                        "Use within the agreed scope and period after approval and a data use "
                        "agreement; no onward transfer and no attempt to re-identify individuals."),
        "embargoed": (f"保护期内不开放，保护期满（{row.get('emb')}）后转为有条件共享。",
                      f"Not available during the embargo; conditionally shared after it ends "
                      f"({row.get('emb')})."),
        "closed": ("不对外共享，仅限数据控制者内部或经授权的安全环境使用。",
                   "Not shared; used only inside the data controller or an authorised secure "
                   "environment."),
    }[mode]
    bi(g, rights, RDFS.label, *rights_text)

    # agents
    g.add((s, DCT.publisher, agent(pub)))
    for creator in row["cre"]:
        g.add((s, DCT.creator, agent(creator)))
    g.add((s, HEALTHDCATAP.hdab, agent(data.HDAB_OF[pub])))
    contact = part(ident, "contact")
    g.add((s, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, RDF.type, VCARD.Kind))
    bi(g, contact, VCARD.fn, f"{pub_zh}数据服务部", f"{pub_en} data services")
    g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{pub_email}")))

    # time and place
    g.add((s, DCT.issued, d(issued)))
    g.add((s, DCT.modified, d(modified)))
    period = part(ident, "period")
    g.add((s, DCT.temporal, period))
    g.add((period, RDF.type, DCT.PeriodOfTime))
    g.add((period, DCAT.startDate, d(row["per"][0])))
    g.add((period, DCAT.endDate, d(row["per"][1])))
    g.add((s, DCT.spatial, COUNTRY.CHN))
    g.add((s, DCT.language, LANG.ZHO))
    g.add((s, DCT.accrualPeriodicity, FREQ[row["freq"]]))
    g.add((s, DCAT.version, Literal(row["ver"])))
    if row.get("series"):
        g.add((s, DCAT.inSeries, ds_iri(row["series"])))
    if row.get("prev"):
        g.add((s, DCAT.previousVersion, ds_iri(row["prev"])))
    for law in legislation(row):
        g.add((s, DCATAP.applicableLegislation, law))

    # HealthDCAT-AP
    for code in row["hc"]:
        g.add((s, HEALTHDCATAP.healthCategory, HEALTHCAT[code]))
    records, individuals = row["n"]
    g.add((s, HEALTHDCATAP.numberOfRecords, nni(records)))
    if individuals is not None:
        g.add((s, HEALTHDCATAP.numberOfUniqueIndividuals, nni(individuals)))
    if row.get("age"):
        g.add((s, HEALTHDCATAP.minTypicalAge, nni(row["age"][0])))
        g.add((s, HEALTHDCATAP.maxTypicalAge, nni(row["age"][1])))
    structured = row["cols"] is not None
    g.add((s, HEALTHDCATAP.hasStructuredData, Literal(structured)))

    # standards
    stds = row.get("std", [])
    for std in stds:
        g.add((s, DCT.conformsTo, STD[std]))
    g.add((s, HDCAT.standardized, Literal(bool(stds))))

    # funding and papers
    for key in row.get("fund", []):
        zh, en, grant, funder = data.FUNDING[key]
        fund = part(ident, f"funding-{key}")
        g.add((s, HDCAT.fundingProject, fund))
        g.add((fund, RDF.type, HDCAT.FundingProject))
        bi(g, fund, DCT.title, zh, en)
        g.add((fund, HDCAT.grantNumber, Literal(grant)))
        g.add((fund, HDCAT.funder, agent(funder)))
    for paper in row.get("papers", []):
        g.add((s, DCT.isReferencedBy, URIRef(f"https://doi.org/10.5555/hdcat.{paper}")))

    # lineage and processing
    provenance_zh, provenance_en = add_processing(g, row, rows, agents)
    prov_node = part(ident, "provenance")
    g.add((s, DCT.provenance, prov_node))
    g.add((prov_node, RDF.type, DCT.ProvenanceStatement))
    bi(g, prov_node, RDFS.label, provenance_zh, provenance_en)

    # distributions and variables
    add_distributions(g, row, request_page)
    if structured:
        add_variables(g, row, cols)


def methods_text(methods: list[str]) -> tuple[str, str]:
    return ("、".join(DEID_LABEL[m][0] for m in methods),
            ", ".join(DEID_LABEL[m][1] for m in methods))


def add_processing(g: Graph, row: dict, rows: dict[str, dict], agents: dict) -> tuple[str, str]:
    """Add the processing activities of a dataset; return its provenance statement (zh, en)."""
    ident, kind = row["id"], row["kind"]
    s = ds_iri(ident)
    issued = row["issued"]
    actor = agent(next((c for c in row["cre"] if agents[c][0] == "org"), row["pub"]))
    sources = row.get("src", [])
    for src in sources:
        g.add((s, PROV.wasDerivedFrom, ds_iri(src)))
    src_zh = "、".join(f"“{rows[x]['t'][0]}”" for x in sources)
    src_en = " and ".join(f"'{rows[x]['t'][1]}'" for x in sources)

    if kind == "source":
        zh, en = row["prov"]
        return (zh + "原始数据含直接标识符，未经去标识化处理。",
                en + " The raw data contain direct identifiers and are not de-identified.")

    if kind == "aggregate":
        act = part(ident, "aggregation")
        g.add((s, PROV.wasGeneratedBy, act))
        g.add((act, RDF.type, PROV.Activity))
        g.add((act, RDF.type, HDCAT.ProcessingActivity))
        g.add((act, DCT.type, PROC.aggregation))
        bi(g, act, RDFS.label, "汇总统计", "Aggregation")
        for src in sources:
            g.add((act, PROV.used, ds_iri(src)))
        g.add((act, HDCAT.deidentificationMethod, DEID.statistical))
        g.add((act, PROV.endedAtTime, stamp(issued, 3)))
        g.add((act, PROV.wasAssociatedWith, actor))
        return (f"由{src_zh}按统计单元汇总生成，仅含汇总统计量，不含个体记录。",
                f"Aggregated from {src_en} into statistical cells; contains aggregate statistics "
                "only, no individual records.")

    parts_zh, parts_en = [], []
    linkage = None
    if row.get("linkage"):
        linkage = part(ident, "linkage")
        g.add((s, PROV.wasGeneratedBy, linkage))
        g.add((linkage, RDF.type, PROV.Activity))
        g.add((linkage, RDF.type, HDCAT.ProcessingActivity))
        g.add((linkage, DCT.type, PROC["record-linkage"]))
        bi(g, linkage, RDFS.label, "记录关联", "Record linkage")
        for src in sources:
            g.add((linkage, PROV.used, ds_iri(src)))
        g.add((linkage, PROV.endedAtTime, stamp(issued, 40)))
        g.add((linkage, PROV.wasAssociatedWith, actor))
        parts_zh.append(f"将{src_zh}通过加密关联键进行确定性记录关联")
        parts_en.append(f"{src_en} were linked deterministically on a keyed hash")
    elif sources:
        parts_zh.append(f"源自{src_zh}")
        parts_en.append(f"derived from {src_en}")
    elif row.get("prov"):
        parts_zh.append(row["prov"][0].rstrip("。"))
        parts_en.append(row["prov"][1].rstrip("."))
    else:
        parts_zh.append(f"由{agents[row['pub']][1]}组织采集与整理")
        parts_en.append(f"collected and curated under {agents[row['pub']][2]}")

    deid = None
    if row.get("deid"):
        methods, k, risk = row["deid"]
        deid = part(ident, "deid")
        g.add((s, PROV.wasGeneratedBy, deid))
        g.add((deid, RDF.type, PROV.Activity))
        g.add((deid, RDF.type, HDCAT.ProcessingActivity))
        g.add((deid, DCT.type, PROC.deidentification))
        bi(g, deid, RDFS.label, "去标识化", "De-identification")
        for src in sources:
            g.add((deid, PROV.used, ds_iri(src)))
        if linkage is not None:
            g.add((deid, PROV.wasInformedBy, linkage))
        for method in methods:
            g.add((deid, HDCAT.deidentificationMethod, DEID[method]))
        assessment = part(ident, "deid-assessment")
        g.add((deid, HDCAT.deidentificationAssessment, assessment))
        g.add((assessment, RDF.type, HDCAT.DeidentificationAssessment))
        g.add((assessment, HDCAT.kValue, Literal(k)))
        g.add((assessment, HDCAT.reidentificationRisk, Literal(Decimal(str(risk)))))
        g.add((assessment, HDCAT.assessedAgainst, STD["gb-t-37964"]))
        g.add((deid, PROV.endedAtTime, stamp(issued, 20)))
        g.add((deid, PROV.wasAssociatedWith, actor))
        mzh, men = methods_text(methods)
        parts_zh.append(f"经去标识化（{mzh}；k={k}，重标识风险 {risk}）")
        parts_en.append(f"de-identified ({men}; k={k}, re-identification risk {risk})")

    stds = row.get("std", [])
    if stds:
        act = part(ident, "std")
        g.add((s, PROV.wasGeneratedBy, act))
        g.add((act, RDF.type, PROV.Activity))
        g.add((act, RDF.type, HDCAT.ProcessingActivity))
        g.add((act, DCT.type, PROC.standardization))
        bi(g, act, RDFS.label, "标准化", "Standardisation")
        if deid is not None:
            g.add((act, PROV.wasInformedBy, deid))
        for std in stds:
            g.add((act, DCT.conformsTo, STD[std]))
        g.add((act, PROV.endedAtTime, stamp(issued, 10)))
        g.add((act, PROV.wasAssociatedWith, actor))
        names = "、".join(STD_LABEL[x] for x in stds)
        parts_zh.append(f"按 {names} 标准化")
        parts_en.append(f"standardised to {', '.join(STD_LABEL[x] for x in stds)}")

    zh = "，".join(parts_zh) + "后发布。"
    en = ", ".join(parts_en) + ", then published."
    return zh, en[0].upper() + en[1:]


def add_distributions(g: Graph, row: dict, request_page: URIRef) -> None:
    ident, mode = row["id"], row["mode"]
    lic = licence(row)
    for fmt, size_mb in row["dist"]:
        filetype, media, ext, zh, en, std = FORMATS[fmt]
        dist = part(ident, f"dist-{fmt.lower()}")
        g.add((ds_iri(ident), DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        bi(g, dist, DCT.title, zh, en)
        if mode == "open":
            bi(g, dist, DCT.description, f"{row['t'][0]}的{zh}，可直接下载。",
               f"{en} of the {row['t'][1]}, available for direct download.")
        else:
            bi(g, dist, DCT.description,
               f"{row['t'][0]}的{zh}，申请获批后在数据安全环境中提供，不提供直接下载。",
               f"{en} of the {row['t'][1]}, provided in a secure data environment after an "
               "approved request; no direct download.")
        g.add((dist, DCATAP.availability, AVAILABILITY.STABLE))
        file_url = URIRef(f"{BASE}files/{ident}/{ident}.{ext}")
        if mode == "open":
            g.add((dist, DCAT.accessURL, URIRef(f"{BASE}files/{ident}/")))
            g.add((dist, DCAT.downloadURL, file_url))
            checksum = part(ident, f"dist-{fmt.lower()}-checksum")
            g.add((dist, SPDX.checksum, checksum))
            g.add((checksum, RDF.type, SPDX.Checksum))
            g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            digest = hashlib.sha256(str(file_url).encode("utf-8")).hexdigest()
            g.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))
        else:
            g.add((dist, DCAT.accessURL, request_page))
        g.add((dist, DCT.format, FILETYPE[filetype]))
        g.add((dist, DCAT.mediaType, URIRef(IANA + media)))
        g.add((dist, DCAT.byteSize, nni(round(size_mb * 1024 * 1024))))
        g.add((dist, DCT.license, lic))
        g.add((dist, DCATAP.applicableLegislation, LEG["scientific-data-measures-2018"]))
        g.add((dist, DCT.issued, d(row["issued"])))
        if std:
            g.add((dist, DCT.conformsTo, STD[std]))


def add_variables(g: Graph, row: dict, cols: dict) -> None:
    ident = row["id"]
    title_zh, title_en = row["t"]
    group = part(ident, "variables")
    table = part(ident, "table")
    g.add((ds_iri(ident), HEALTHDCATAP.hasVariables, group))
    g.add((group, RDF.type, CSVW.TableGroup))
    bi(g, group, DCT.title, f"{title_zh}变量说明", f"Variables of the {title_en}")
    g.add((group, CSVW.table, table))
    g.add((table, RDF.type, CSVW.Table))
    bi(g, table, DCT.title, f"{title_zh}主数据表", f"Main table of the {title_en}")
    g.add((table, CSVW.url, URIRef(f"{BASE}files/{ident}/{ident}.csv")))
    for word in row["kw"][1][:2]:
        g.add((table, DCAT.keyword, Literal(word, lang="en")))
    for name in row["cols"].split():
        _, zh, en, dzh, den, dtype = cols[name]
        col = part(ident, f"col-{name}")
        g.add((table, CSVW.column, col))
        g.add((col, RDF.type, CSVW.Column))
        g.add((col, CSVW.name, Literal(name)))
        bi(g, col, CSVW.title, zh, en)
        bi(g, col, DCT.description, dzh, den)
        g.add((col, CSVW.datatype, Literal(dtype)))


# ---------------------------------------------------------------------------------------------
def build_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    rows = {row["id"]: row for row in data.DATASETS}
    assert len(rows) == len(data.DATASETS), "duplicate dataset id"
    agents = add_agents(g)
    ids = assign_identifiers(data.DATASETS)
    cols = columns()
    add_catalog(g)
    add_series(g)
    for row in data.DATASETS:
        add_dataset(g, row, rows, agents, ids, cols)
    return g


def render() -> str:
    header = (
        "# hdcat demo catalog: generated by hdcat/demo/build_demo.py from demo_data.py.\n"
        "# Do not edit by hand. All datasets, people, identifiers and papers are examples.\n"
    )
    return header + build_graph().serialize(format="turtle")


def main() -> int:
    text = render()
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
