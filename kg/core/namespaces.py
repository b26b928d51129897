"""RDF namespaces of linzi-kg.

``LZ`` and ``LZUNIT`` are closed: a typo such as ``LZ.carriedOutby`` raises
AttributeError at import time instead of minting a term the ontology lacks.
tests/test_namespaces.py checks them against ontology/linzi.ttl.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/linzi-kg/"
ID = Namespace(BASE + "id/")


class LZ(DefinedNamespace):
    """The linzi-kg ontology (``lz:``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    Action: URIRef
    ActionProgramme: URIRef
    Actual: URIRef
    AddNew: URIRef
    AdministrativeDivision: URIRef
    Advance: URIRef
    Approximately: URIRef
    Assessment: URIRef
    AtLeast: URIRef
    AtMost: URIRef
    BuildOrRebuild: URIRef
    CarryOut: URIRef
    ChainSet: URIRef
    Challenge: URIRef
    City: URIRef
    Comparator: URIRef
    Complete: URIRef
    CompleteAndUse: URIRef
    Consistent: URIRef
    ConsistentWithinRounding: URIRef
    Contradiction: URIRef
    Deepen: URIRef
    DevelopmentGoals: URIRef
    District: URIRef
    Document: URIRef
    EditorialClassification: URIRef
    EditorialStatement: URIRef
    EducationProject: URIRef
    ElderlyCareProject: URIRef
    EmploymentProject: URIRef
    EnergyProject: URIRef
    Ensured: URIRef
    Enterprise: URIRef
    EnterpriseUnit: URIRef
    EnvironmentalProject: URIRef
    Equal: URIRef
    Estimate: URIRef
    Exceeding: URIRef
    ExplainedByBasis: URIRef
    Explore: URIRef
    Facility: URIRef
    FinancingProject: URIRef
    FocusArea: URIRef
    Framework: URIRef
    Goal: URIRef
    GovernmentOrganization: URIRef
    GreenSpaceProject: URIRef
    HealthProject: URIRef
    Hospital: URIRef
    Indicator: URIRef
    IndustrialPark: URIRef
    IndustrialProject: URIRef
    Industry: URIRef
    IndustryChain: URIRef
    IndustryCluster: URIRef
    LooseBounds: URIRef
    Measure: URIRef
    Mechanism: URIRef
    MediaOrganization: URIRef
    Meeting: URIRef
    Modality: URIRef
    NewsArticle: URIRef
    PartyCommittee: URIRef
    PeoplesCongress: URIRef
    PlanAndBuild: URIRef
    Planned: URIRef
    PollutionControlProject: URIRef
    Project: URIRef
    ProjectGroup: URIRef
    Province: URIRef
    Raise: URIRef
    Ranking: URIRef
    Rebuild: URIRef
    ReportDelivery: URIRef
    Road: URIRef
    School: URIRef
    SewageProject: URIRef
    Slogan: URIRef
    SourceText: URIRef
    Specification: URIRef
    SpeedUp: URIRef
    StartConstruction: URIRef
    StartWork: URIRef
    Striving: URIRef
    Support: URIRef
    Target: URIRef
    TechRenovationProject: URIRef
    TransportProject: URIRef
    ValueStatus: URIRef
    Verdict: URIRef
    Vision: URIRef
    WorkReport: URIRef
    WorkStage: URIRef
    WorkStyle: URIRef
    WorkSystem: URIRef
    aboutEntity: URIRef
    advocates: URIRef
    aims: URIRef
    areaLevel: URIRef
    assesses: URIRef
    atMeeting: URIRef
    carriedOutBy: URIRef
    carries: URIRef
    characterCount: URIRef
    characterization: URIRef
    checkRule: URIRef
    classifiedUnder: URIRef
    comparator: URIRef
    comparatorScheme: URIRef
    componentArea: URIRef
    componentComparator: URIRef
    componentIndicator: URIRef
    componentModality: URIRef
    componentPeriod: URIRef
    componentStatus: URIRef
    componentUnit: URIRef
    componentValue: URIRef
    componentWording: URIRef
    convenedBy: URIRef
    correspondent: URIRef
    declaredBasis: URIRef
    declaredCount: URIRef
    delivery: URIRef
    document: URIRef
    documentKind: URIRef
    draftConfidence: URIRef
    draftRule: URIRef
    draftStatus: URIRef
    emphasis: URIRef
    faces: URIRef
    figuresStructure: URIRef
    fileName: URIRef
    focusArea: URIRef
    focusesOn: URIRef
    formula: URIRef
    foundationIndustry: URIRef
    guidedBy: URIRef
    heldIn: URIRef
    implements: URIRef
    inPost: URIRef
    indicator: URIRef
    issuedBy: URIRef
    issuingBody: URIRef
    locatedIn: URIRef
    measureFor: URIRef
    memberClass: URIRef
    memberOfGroup: URIRef
    modality: URIRef
    modalityScheme: URIRef
    modelComponent: URIRef
    namesChallenge: URIRef
    normalizedUnit: URIRef
    normalizedValue: URIRef
    originalWording: URIRef
    partOf: URIRef
    reportYear: URIRef
    reporter: URIRef
    reviewReason: URIRef
    servesChainSet: URIRef
    sessionOf: URIRef
    sha256: URIRef
    sourceTerm: URIRef
    speaker: URIRef
    specificationsStructure: URIRef
    stage: URIRef
    statedAt: URIRef
    statedBy: URIRef
    text: URIRef
    textOf: URIRef
    timeOfDay: URIRef
    undertakes: URIRef
    valueStatus: URIRef
    valueStatusScheme: URIRef
    verdict: URIRef
    verdictScheme: URIRef
    webAddress: URIRef
    withinArea: URIRef
    workStageScheme: URIRef


class LZUNIT(DefinedNamespace):
    """Scaled units the report uses that QUDT lacks (``lzunit:``)."""

    _NS = Namespace(BASE + "unit/")
    _fail = True

    Chu: URIRef
    CountChang: URIRef
    CountChangci: URIRef
    CountChu: URIRef
    CountCi: URIRef
    CountCun: URIRef
    CountDong: URIRef
    CountGe: URIRef
    CountHu: URIRef
    CountJia: URIRef
    CountJian: URIRef
    CountJianRoom: URIRef
    CountLiang: URIRef
    CountMing: URIRef
    CountPi: URIRef
    CountRen: URIRef
    CountRenci: URIRef
    CountSuo: URIRef
    CountTai: URIRef
    CountTao: URIRef
    CountTiao: URIRef
    CountXiang: URIRef
    CountZhang: URIRef
    CountZhi: URIRef
    CountZhu: URIRef
    CountZuo: URIRef
    Cun: URIRef
    Day: URIRef
    Ge: URIRef
    Jin: URIRef
    MicroGramPerM3: URIRef
    Mu: URIRef
    PercentagePoint: URIRef
    RankMing: URIRef
    RankPosition: URIRef
    RankWei: URIRef
    Ren: URIRef
    Suo: URIRef
    TEU: URIRef
    Times: URIRef
    WanGe: URIRef
    WanHu: URIRef
    WanJia: URIRef
    WanJian: URIRef
    WanJin: URIRef
    WanKiloW: URIRef
    WanKiloWHour: URIRef
    WanLiang: URIRef
    WanM2: URIRef
    WanM3: URIRef
    WanMing: URIRef
    WanMu: URIRef
    WanRen: URIRef
    WanRenci: URIRef
    WanTEU: URIRef
    WanTai: URIRef
    WanTao: URIRef
    WanTonne: URIRef
    WanUSD: URIRef
    WanYiYuan: URIRef
    WanYuan: URIRef
    WanZhu: URIRef
    YiJin: URIRef
    YiKiloWHour: URIRef
    YiM3: URIRef
    YiTonne: URIRef
    YiUSD: URIRef
    YiYuan: URIRef
    Zhang: URIRef


ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTR = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SCHEMA = Namespace("http://schema.org/")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VANN = Namespace("http://purl.org/vocab/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")
# Findings of the consistency checks (kg.checks) are W3C DQV quality annotations.
DQV = Namespace("http://www.w3.org/ns/dqv#")
ONTOLOGY_IRI = URIRef(BASE + "ontology")

#: Prefixes bound in every serialization and offered to every query.
PREFIXES: dict[str, str] = {
    "lz": str(LZ._NS),
    "lzunit": str(LZUNIT._NS),
    "id": str(ID),
    "org": str(ORG),
    "qb": str(QB),
    "sdmx-dimension": str(SDMX_DIM),
    "sdmx-measure": str(SDMX_MEASURE),
    "sdmx-attribute": str(SDMX_ATTR),
    "prov": str(PROV),
    "oa": str(OA),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "qudt": str(QUDT),
    "unit": str(UNIT),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
