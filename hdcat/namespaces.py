"""RDF namespaces and the fixed graph names of the catalog."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

DCT = DCTERMS
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
HEALTHDCATAP = Namespace("http://healthdataportal.eu/ns/health#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
CV = Namespace("http://data.europa.eu/m8g/")
DQV = Namespace("http://www.w3.org/ns/dqv#")
DPV = Namespace("https://w3id.org/dpv#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
CSVW = Namespace("http://www.w3.org/ns/csvw#")
SDO = Namespace("http://schema.org/")

HDCAT = Namespace("https://w3id.org/hdcat/ns#")
HDCATSH = Namespace("https://w3id.org/hdcat/shapes#")
VOCAB = "https://w3id.org/hdcat/vocab/"
DOM = Namespace(VOCAB + "domain/")
DCATG = Namespace(VOCAB + "data-category/")
LVL = Namespace(VOCAB + "sensitivity-level/")
DEID = Namespace(VOCAB + "deidentification/")
SHARE = Namespace(VOCAB + "sharing-mode/")
STDFAM = Namespace(VOCAB + "standard-family/")
PROC = Namespace(VOCAB + "processing/")
STD = Namespace("https://w3id.org/hdcat/standard/")
LEG = Namespace("https://w3id.org/hdcat/legislation/")
PROFILE = "https://w3id.org/hdcat/profile"

EU_ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")

PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "sh": str(SH),
    "dcat": str(DCAT),
    "dct": str(DCT),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "adms": str(ADMS),
    "dcatap": str(DCATAP),
    "healthdcatap": str(HEALTHDCATAP),
    "vcard": str(VCARD),
    "cv": str(CV),
    "dqv": str(DQV),
    "dpv": str(DPV),
    "eli": str(ELI),
    "spdx": str(SPDX),
    "csvw": str(CSVW),
    "hdcat": str(HDCAT),
    "dom": str(DOM),
    "dcatg": str(DCATG),
    "lvl": str(LVL),
    "deid": str(DEID),
    "share": str(SHARE),
    "stdfam": str(STDFAM),
    "proc": str(PROC),
    "std": str(STD),
    "leg": str(LEG),
}

# Graphs that hold shared, non-record things.
GRAPH_ONTOLOGY = "urn:hdcat:graph:ontology"
GRAPH_VOCABULARIES = "urn:hdcat:graph:vocabularies"
GRAPH_STANDARDS = "urn:hdcat:graph:standards"
GRAPH_LEGISLATION = "urn:hdcat:graph:legislation"

__all__ = [name for name in dir() if name.isupper()]
