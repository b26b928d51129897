"""The authoring vocabulary: what a YAML record may say and what it means in RDF.

One table per kind of field. ``kg.documents.records`` checks records against these
tables; ``kg.rdf.build`` turns them into triples. Adding a relation to the
authoring format is one line in :data:`LINK_FIELDS` (and the property in the
ontology).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from rdflib import URIRef

from kg.core.namespaces import (
    DCTERMS,
    LZ,
    LZUNIT,
    ORG,
    PROV,
    SCHEMA,
    SKOS,
    UNIT,
)


@dataclass(frozen=True)
class TypeInfo:
    """A record type: its class IRI and the IRI path segment of its family."""

    cls: URIRef
    family: str


TYPES: dict[str, TypeInfo] = {
    "Province": TypeInfo(LZ.Province, "place"),
    "City": TypeInfo(LZ.City, "place"),
    "District": TypeInfo(LZ.District, "place"),
    "GovernmentOrganization": TypeInfo(LZ.GovernmentOrganization, "org"),
    "PartyCommittee": TypeInfo(LZ.PartyCommittee, "org"),
    "PeoplesCongress": TypeInfo(LZ.PeoplesCongress, "org"),
    "MediaOrganization": TypeInfo(LZ.MediaOrganization, "org"),
    "School": TypeInfo(LZ.School, "org"),
    "Enterprise": TypeInfo(LZ.Enterprise, "enterprise"),
    "EnterpriseUnit": TypeInfo(LZ.EnterpriseUnit, "enterprise"),
    "Person": TypeInfo(SCHEMA.Person, "person"),
    "Post": TypeInfo(ORG.Post, "post"),
    "WorkReport": TypeInfo(LZ.WorkReport, "report"),
    "ReportDelivery": TypeInfo(LZ.ReportDelivery, "event"),
    "Meeting": TypeInfo(LZ.Meeting, "event"),
    "NewsArticle": TypeInfo(LZ.NewsArticle, "article"),
    "Vision": TypeInfo(LZ.Vision, "framework"),
    "DevelopmentGoals": TypeInfo(LZ.DevelopmentGoals, "framework"),
    "WorkSystem": TypeInfo(LZ.WorkSystem, "framework"),
    "ActionProgramme": TypeInfo(LZ.ActionProgramme, "framework"),
    "Mechanism": TypeInfo(LZ.Mechanism, "framework"),
    "WorkStyle": TypeInfo(LZ.WorkStyle, "framework"),
    "Slogan": TypeInfo(LZ.Slogan, "framework"),
    "Industry": TypeInfo(LZ.Industry, "industry"),
    "Action": TypeInfo(LZ.Action, "action"),
    "FocusArea": TypeInfo(LZ.FocusArea, "focus-area"),
    "ChainSet": TypeInfo(LZ.ChainSet, "chain-set"),
    "IndustrialPark": TypeInfo(LZ.IndustrialPark, "park"),
    "Project": TypeInfo(LZ.Project, "project"),
    "ProjectGroup": TypeInfo(LZ.ProjectGroup, "project"),
    "IndustrialProject": TypeInfo(LZ.IndustrialProject, "project"),
    "TechRenovationProject": TypeInfo(LZ.TechRenovationProject, "project"),
    "EnvironmentalProject": TypeInfo(LZ.EnvironmentalProject, "project"),
    "PollutionControlProject": TypeInfo(LZ.PollutionControlProject, "project"),
    "SewageProject": TypeInfo(LZ.SewageProject, "project"),
    "EnergyProject": TypeInfo(LZ.EnergyProject, "project"),
    "TransportProject": TypeInfo(LZ.TransportProject, "project"),
    "GreenSpaceProject": TypeInfo(LZ.GreenSpaceProject, "project"),
    "EducationProject": TypeInfo(LZ.EducationProject, "project"),
    "HealthProject": TypeInfo(LZ.HealthProject, "project"),
    "ElderlyCareProject": TypeInfo(LZ.ElderlyCareProject, "project"),
    "EmploymentProject": TypeInfo(LZ.EmploymentProject, "project"),
    "FinancingProject": TypeInfo(LZ.FinancingProject, "project"),
    "Indicator": TypeInfo(LZ.Indicator, "indicator"),
    "Ranking": TypeInfo(LZ.Ranking, "indicator"),
    "Challenge": TypeInfo(LZ.Challenge, "challenge"),
    # Types that drafts of other reports need (linzi-kg ingest --out).
    "AdministrativeDivision": TypeInfo(LZ.AdministrativeDivision, "place"),
    "Hospital": TypeInfo(LZ.Hospital, "org"),
    "Road": TypeInfo(LZ.Road, "place"),
    "Facility": TypeInfo(LZ.Facility, "place"),
    "Concept": TypeInfo(SKOS.Concept, "concept"),
    "Goal": TypeInfo(LZ.Goal, "goal"),
    "Measure": TypeInfo(LZ.Measure, "measure"),
    "Assessment": TypeInfo(LZ.Assessment, "assessment"),
    "Series": TypeInfo(SCHEMA.CreativeWorkSeries, "series"),
}

#: The record type of figures; its fields are in :data:`OBSERVATION_FIELDS`.
OBSERVATION = "Observation"

#: Concept schemes that concepts join by family: (IRI slug, zh, en).
SCHEMES: dict[str, tuple[str, str, str]] = {
    "indicator": ("indicators", "指标体系", "Indicators"),
    "action": ("eight-actions", "八大攻坚行动", "Eight actions"),
    "focus-area": ("focus-areas", "攻坚领域", "Focus areas"),
    "chain-set": ("industry-chains", "产业链群", "Industry chain sets"),
    "framework": ("frameworks", "战略提法", "Frameworks and slogans"),
    "challenge": ("challenges", "问题挑战", "Challenges"),
    "industry": ("industries", "产业", "Industries"),
    "goal": ("goals", "目标任务", "Goals"),
    "measure": ("measures", "举措", "Measures"),
}


class ValueKind(Enum):
    """How a literal field's YAML value becomes an RDF literal."""

    ZH = "zh"  # a Chinese string (or list of strings), tagged @zh
    TEXT = "text"  # a plain string
    INTEGER = "integer"
    DATE = "date"


@dataclass(frozen=True)
class ValueField:
    predicate: URIRef
    kind: ValueKind
    many: bool = False


VALUE_FIELDS: dict[str, ValueField] = {
    "date": ValueField(SCHEMA.startDate, ValueKind.DATE),
    "timeOfDay": ValueField(LZ.timeOfDay, ValueKind.ZH),
    "notation": ValueField(SKOS.notation, ValueKind.TEXT),
    "count": ValueField(LZ.declaredCount, ValueKind.INTEGER),
    "emphasis": ValueField(LZ.emphasis, ValueKind.ZH),
    "headline": ValueField(SCHEMA.headline, ValueKind.ZH),
    "alternativeHeadline": ValueField(SCHEMA.alternativeHeadline, ValueKind.ZH),
    "modelComponent": ValueField(LZ.modelComponent, ValueKind.ZH, many=True),
    "characterization": ValueField(LZ.characterization, ValueKind.ZH, many=True),
}

#: ``members: chain|cluster`` on a chain set.
MEMBER_CLASSES: dict[str, URIRef] = {"chain": LZ.IndustryChain, "cluster": LZ.IndustryCluster}


@dataclass(frozen=True)
class LinkField:
    predicate: URIRef
    editorial: bool = False


#: Links whose target is a concept of the ontology (a closed set), not a record.
#: The value is the table of allowed targets; each target lists the cue words
#: the link's span must contain ("启动…建设": both words, in that order).
CONCEPT_LINK_FIELDS: dict[str, str] = {"stage": "stage", "modality": "modality"}


LINK_FIELDS: dict[str, LinkField] = {
    "within": LinkField(SCHEMA.containedInPlace),
    "areaServed": LinkField(SCHEMA.areaServed),
    "unitOf": LinkField(ORG.unitOf),
    "subOrganizationOf": LinkField(ORG.subOrganizationOf),
    "memberOf": LinkField(ORG.memberOf),
    "holds": LinkField(ORG.holds),
    "postIn": LinkField(ORG.postIn),
    "carriedOutBy": LinkField(LZ.carriedOutBy),
    "memberOfGroup": LinkField(LZ.memberOfGroup),
    "servesChainSet": LinkField(LZ.servesChainSet),
    "partOf": LinkField(LZ.partOf),
    "broader": LinkField(SKOS.broader),
    "related": LinkField(SKOS.related),
    "locatedIn": LinkField(LZ.locatedIn),
    "focusArea": LinkField(LZ.focusArea),
    "classifiedUnder": LinkField(LZ.classifiedUnder, editorial=True),
    "issuedBy": LinkField(LZ.issuedBy),
    "guidedBy": LinkField(LZ.guidedBy),
    "focusesOn": LinkField(LZ.focusesOn),
    "implements": LinkField(LZ.implements),
    "namesChallenge": LinkField(LZ.namesChallenge),
    "advocates": LinkField(LZ.advocates),
    "aims": LinkField(LZ.aims),
    "foundationIndustry": LinkField(LZ.foundationIndustry),
    "delivery": LinkField(LZ.delivery),
    "atMeeting": LinkField(LZ.atMeeting),
    "inPost": LinkField(LZ.inPost),
    "speaker": LinkField(LZ.speaker),
    "convenedBy": LinkField(LZ.convenedBy),
    "heldIn": LinkField(LZ.heldIn),
    "sessionOf": LinkField(LZ.sessionOf),
    "reporter": LinkField(LZ.reporter),
    "correspondent": LinkField(LZ.correspondent),
    "publisher": LinkField(SCHEMA.publisher),
    "about": LinkField(SCHEMA.about),
    "primarySource": LinkField(PROV.hadPrimarySource),
    "creator": LinkField(DCTERMS.creator),
    "undertakes": LinkField(LZ.undertakes),
    "measureFor": LinkField(LZ.measureFor),
    "statedBy": LinkField(LZ.statedBy),
    "statedAt": LinkField(LZ.statedAt),
    "faces": LinkField(LZ.faces),
    "assesses": LinkField(LZ.assesses),
    "partOfSeries": LinkField(SCHEMA.isPartOf),
    "stage": LinkField(LZ.stage),
    "modality": LinkField(LZ.modality),
}

#: Fields every entity record may have besides values and links.
ENTITY_FIELDS = ("id", "type", "zh", "en", "term", "aliases", "spans", "members")
#: Annotations of a drafted record (linzi-kg ingest), on entities and figures:
#: ``draft`` (draft | accepted), the ``rule`` that found it, its ``confidence``
#: (0 to 1) and ``review`` reasons; built as lz:draftStatus and friends.
ANNOTATION_FIELDS: dict[str, URIRef] = {
    "draft": LZ.draftStatus,
    "rule": LZ.draftRule,
    "confidence": LZ.draftConfidence,
    "review": LZ.reviewReason,
}
DRAFT_STATES = ("draft", "accepted")
ENTITY_REQUIRED = ("id", "type", "zh", "en", "spans")

OBSERVATION_FIELDS = (
    "id",
    "type",
    "indicator",
    "year",
    "status",
    "value",
    "unit",
    "comparator",
    "modality",
    "wording",
    "about",
    "area",
    "basis",
    "spans",
    *ANNOTATION_FIELDS,
)
OBSERVATION_REQUIRED = ("id", "indicator", "status", "value", "unit", "wording", "spans")
#: What a document is: the report itself, a news report on one, a plan.
DOCUMENT_KINDS: dict[str, tuple[str, str]] = {
    "work-report": ("政府工作报告", "government work report"),
    "news-report": ("关于政府工作报告的新闻报道", "news report on a work report"),
    "plan": ("规划", "plan"),
}
#: The level of a document's area, and the record types that an area of that level may have.
AREA_LEVELS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "national": ("国家", "national", ("AdministrativeDivision",)),
    "province": ("省", "province", ("Province",)),
    "city": ("市", "city", ("City",)),
    "district": ("区", "district", ("District",)),
    "county": ("县", "county", ("District", "AdministrativeDivision")),
    "town": ("镇", "town", ("AdministrativeDivision",)),
    # A draft whose area's type does not tell its level (linzi-kg ingest).
    "other": ("其他", "other", ("AdministrativeDivision", "Province", "City", "District", "Road", "Facility")),
}
#: Path segments under ``id/`` that a document id may not take (entity families and global nodes).
RESERVED_DOCUMENT_IDS = (
    *sorted({t.family for t in TYPES.values()}),
    "agent",
    "catalog",
    "scheme",
    "statement",
    "observation",
    "dataset",
    "span",
    "selector",
    "source",
)

STATUSES: dict[str, URIRef] = {
    "actual": LZ.Actual,
    "target": LZ.Target,
    "specification": LZ.Specification,
    "estimate": LZ.Estimate,
}
COMPARATORS: dict[str, URIRef] = {
    "=": LZ.Equal,
    ">=": LZ.AtLeast,
    ">": LZ.Exceeding,
    "~": LZ.Approximately,
    "<=": LZ.AtMost,
}
MODALITIES: dict[str, URIRef] = {
    "plan": LZ.Planned,
    "strive": LZ.Striving,
    "ensure": LZ.Ensured,
}


@dataclass(frozen=True)
class Concept:
    """A concept of the ontology a record can link to, with the words that state it."""

    iri: URIRef
    cues: tuple[str, ...]


#: What the report sets for a work this year (its stage), with the wording that
#: says so; "…" stands for the name of the work between the two words.
STAGES: dict[str, Concept] = {
    "complete-and-use": Concept(LZ.CompleteAndUse, ("建成投用",)),
    "complete": Concept(LZ.Complete, ("建成", "完成")),
    "start-construction": Concept(LZ.StartConstruction, ("启动…建设",)),
    "start-work": Concept(LZ.StartWork, ("开工",)),
    "plan-and-build": Concept(LZ.PlanAndBuild, ("规划建设",)),
    "speed-up": Concept(LZ.SpeedUp, ("加快…进度", "加快…建设", "加快", "加速")),
    "advance": Concept(LZ.Advance, ("推进", "抓好…建设", "推行")),
    "build-or-rebuild": Concept(LZ.BuildOrRebuild, ("新改建",)),
    "rebuild": Concept(LZ.Rebuild, ("改建", "改造")),
    "carry-out": Concept(LZ.CarryOut, ("实施", "开展")),
    "deepen": Concept(LZ.Deepen, ("深化",)),
    "explore": Concept(LZ.Explore, ("探索",)),
    "support": Concept(LZ.Support, ("支持",)),
    "add": Concept(LZ.AddNew, ("新增",)),
    "raise": Concept(LZ.Raise, ("争取",)),
}

#: Modalities of a goal stated in words (a figure's modality is its own field).
GOAL_MODALITIES: dict[str, Concept] = {
    "plan": Concept(LZ.Planned, ("计划",)),
    "strive": Concept(LZ.Striving, ("力争", "争创", "争取")),
    "ensure": Concept(LZ.Ensured, ("确保",)),
}

#: The closed sets of :data:`CONCEPT_LINK_FIELDS`, by name.
CONCEPTS: dict[str, dict[str, Concept]] = {"stage": STAGES, "modality": GOAL_MODALITIES}


@dataclass(frozen=True)
class UnitInfo:
    """A unit as the article writes it: its IRI and how to normalize it."""

    iri: URIRef
    multiplier: Decimal
    base: URIRef


def _unit(iri: URIRef, multiplier: int = 1, base: URIRef | None = None) -> UnitInfo:
    return UnitInfo(iri, Decimal(multiplier), base if base is not None else iri)


UNITS: dict[str, UnitInfo] = {
    "亿元": _unit(LZUNIT.YiYuan, 100_000_000, UNIT.CCY_CNY),
    "元": _unit(UNIT.CCY_CNY),
    "万千瓦": _unit(LZUNIT.WanKiloW, 10_000, UNIT.KiloW),
    "千瓦": _unit(UNIT.KiloW),
    "万吨": _unit(LZUNIT.WanTonne, 10_000, UNIT.TONNE),
    "吨": _unit(UNIT.TONNE),
    "%": _unit(UNIT.PERCENT),
    "个百分点": _unit(LZUNIT.PercentagePoint),
    "公里": _unit(UNIT.KiloM),
    "位": _unit(LZUNIT.RankPosition),
    "名": _unit(LZUNIT.RankPosition),
    # Counters (量词) are units of their own: 4500 jobs (人) and 192 beds (张)
    # are not the same kind of count. QUDT has none of them, so each is an
    # lzunit: unit, a count of its own kind (qudt:hasQuantityKind Count).
    "个": _unit(LZUNIT.Ge),
    "人": _unit(LZUNIT.Ren),
    "张": _unit(LZUNIT.Zhang),
    "处": _unit(LZUNIT.Chu),
    "所": _unit(LZUNIT.Suo),
    "村": _unit(LZUNIT.Cun),
}


def _add_printed_units() -> None:
    # Every unit linzi-kg ingest reads is a unit a draft may carry; the ones
    # above keep their IRIs (counters stay unit:NUM here).
    from kg.core.units import RANKS
    from kg.core.units import UNITS as PRINTED

    for printed, u in [*PRINTED.items(), *RANKS.items()]:
        UNITS.setdefault(printed, UnitInfo(u.iri, u.multiplier, u.base))


_add_printed_units()
