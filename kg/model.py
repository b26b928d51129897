"""The authoring vocabulary: what a YAML record may say and what it means in RDF.

One table per kind of field. ``kg.authoring`` checks records against these
tables; ``kg.build`` turns them into triples. Adding a relation to the
authoring format is one line in :data:`LINK_FIELDS` (and the property in the
ontology).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from rdflib import URIRef

from kg.namespaces import (
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
}

#: ``members: chain|cluster`` on a chain set.
MEMBER_CLASSES: dict[str, URIRef] = {"chain": LZ.IndustryChain, "cluster": LZ.IndustryCluster}


@dataclass(frozen=True)
class LinkField:
    predicate: URIRef
    editorial: bool = False


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
    "spans",
    *ANNOTATION_FIELDS,
)
OBSERVATION_REQUIRED = ("id", "indicator", "year", "status", "value", "unit", "wording", "spans")
#: The area of a figure when the record names none.
DEFAULT_AREA = "linzi"

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
    "公里": _unit(UNIT.KiloM),
    "位": _unit(LZUNIT.RankPosition),
    # Counters: the article's measure words all count items.
    "个": _unit(UNIT.NUM),
    "人": _unit(UNIT.NUM),
    "张": _unit(UNIT.NUM),
    "处": _unit(UNIT.NUM),
    "所": _unit(UNIT.NUM),
    "村": _unit(UNIT.NUM),
}


def _add_printed_units() -> None:
    # Every unit linzi-kg ingest reads is a unit a draft may carry; the ones
    # above keep their IRIs (counters stay unit:NUM here).
    from kg.ingest.units import RANKS
    from kg.ingest.units import UNITS as PRINTED

    for printed, u in [*PRINTED.items(), *RANKS.items()]:
        UNITS.setdefault(printed, UnitInfo(u.iri, u.multiplier, u.base))


_add_printed_units()
