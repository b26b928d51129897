"""The draft of one report: figures, indicators, entities and relations, each with its spans.

:func:`draft_report` runs the pipeline over a :class:`~kg.ingest.text.TextMap`
and returns a :class:`Draft` whose offsets are on the *original* text, with
the rule, confidence and review reasons of every record. Every record is a
draft (``status: draft``) until a person reviews it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from kg.core.units import IngestUnit
from kg.ingest.entities import find_entities
from kg.ingest.fields import read_fields
from kg.ingest.figures import find_figures
from kg.ingest.lexicon import Lexicon
from kg.ingest.structure import read_structure
from kg.ingest.text import TextMap

Span = tuple[int, int]


@dataclass
class DraftIndicator:
    id: str
    label: str
    ranking: bool
    known: bool
    similar_to: str | None = None


@dataclass
class DraftFigure:
    id: str
    span: Span
    wording: str
    value: str
    unit: IngestUnit
    comparator: str
    indicator: DraftIndicator
    year: int
    status: str
    modality: str | None
    rule: str
    confidence: float
    reasons: list[str] = field(default_factory=list)
    about: str | None = None
    wording_span: Span = (0, 0)


@dataclass
class DraftEntity:
    id: str
    type: str
    label: str
    spans: list[Span]
    rule: str
    confidence: float
    aliases: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


@dataclass
class DraftRelation:
    id: str
    subject: DraftEntity
    predicate: str
    object: DraftEntity | str
    span: Span
    rule: str
    object_span: Span | None = None


@dataclass
class Draft:
    source_name: str
    sha256: str
    characters: int
    report_year: int
    year_rule: str
    figures: list[DraftFigure]
    indicators: list[DraftIndicator]
    entities: list[DraftEntity]
    relations: list[DraftRelation]
    warnings: list[str] = field(default_factory=list)

    def entity(self, entity_id: str) -> DraftEntity:
        return next(e for e in self.entities if e.id == entity_id)


_TYPE_SLUG = {
    "person": "person",
    "place": "place",
    "government": "org",
    "media": "org",
    "school": "school",
    "hospital": "hospital",
    "enterprise": "enterprise",
    "park": "park",
    "project": "project",
    "road": "road",
    "facility": "facility",
    "other": "concept",
}


def draft_report(text: TextMap, *, source_name: str, lexicon: Lexicon | None = None, year: int | None = None) -> Draft:
    """Draft a report (see the module docstring).

    >>> from kg.ingest.text import normalize_text
    >>> d = draft_report(normalize_text("一、2024年工作回顾\\n全区地区生产总值增长5.4%。"), source_name="t.txt")
    >>> f = d.figures[0]
    >>> (f.wording, f.value, f.unit.printed, f.indicator.label, f.year, f.status)
    ('5.4%', '5.4', '%', '地区生产总值增长', 2024, 'actual')
    """
    lex = lexicon or Lexicon()
    norm = text.text
    structure = read_structure(norm, year=year)
    warnings: list[str] = []
    if structure.year_rule == "none":
        warnings.append("the text names no year: figures are drafted without one; pass --year")
    elif structure.year_rule.startswith("fallback"):
        warnings.append(
            f"report year {structure.report_year} taken from a fallback ({structure.year_rule}); pass --year"
        )
    figures = find_figures(norm)
    fields = read_fields(norm, figures, structure)
    indicators: dict[str, DraftIndicator] = {}
    drafted: list[DraftFigure] = []
    owners: list[tuple[str, int]] = []
    for n, (fig, fld) in enumerate(zip(figures, fields, strict=True)):
        label = fld.indicator
        ind = indicators.get(label)
        if ind is None:
            known, similar = lex.link_indicator(label)
            ind = DraftIndicator(
                f"indicator-{len(indicators) + 1}", known or label, fld.ranking, known is not None, similar
            )
            indicators[label] = ind
        reasons = list(fld.reasons)
        if not ind.known:
            reasons.append("indicator not seen before" + (f" (similar to {ind.similar_to})" if ind.similar_to else ""))
        if structure.year_rule.startswith("fallback"):
            reasons.append("report year from a fallback")
        if structure.report_year == 0:
            reasons.append("no year: the text names none; pass --year")
            fld.year = 0
        span = text.original_span(fig.start, fig.end)
        wording = text.original_wording(fig.wording_start, fig.wording_end)
        confidence = fld.confidence if ind.known else min(fld.confidence, 0.8)
        drafted.append(
            DraftFigure(
                id=f"figure-{n + 1}",
                span=span,
                wording=wording,
                value=fig.value_text,
                unit=fig.unit,
                comparator=fig.comparator,
                indicator=ind,
                year=fld.year,
                status=fld.status,
                modality=fld.modality,
                rule=f"{fig.rule}; " + "; ".join(fld.rules),
                confidence=round(confidence, 2),
                reasons=reasons,
                wording_span=text.original_span(fig.wording_start, fig.wording_end),
            )
        )
        if "capacity" in fld.rules and fld.subject:
            start = norm.rfind(fld.subject, 0, fig.start)
            if start != -1:
                owners.append((fld.subject, start))
    found, relations = find_entities(norm, known=lex.names.items(), capacity_owners=owners)
    entities: list[DraftEntity] = []
    by_name: dict[str, DraftEntity] = {}
    counters: dict[str, int] = {}
    for ent in found:
        slug = _TYPE_SLUG.get(ent.type, "concept")
        counters[slug] = counters.get(slug, 0) + 1
        spans = sorted({text.original_span(s, e) for s, e in ent.spans})
        label = text.original_wording(ent.spans[0][0], ent.spans[0][1])
        reasons = [] if ent.known else [f"new {ent.type} name"]
        de = DraftEntity(
            f"{slug}-{counters[slug]}", ent.type, label, spans, ent.rule, ent.confidence, ent.aliases, reasons
        )
        entities.append(de)
        by_name[ent.name] = de
    draft_relations: list[DraftRelation] = []
    for rel in relations:
        subj = by_name.get(rel.subject)
        if subj is None:
            continue
        obj: DraftEntity | str = by_name.get(rel.object, rel.object)
        draft_relations.append(
            DraftRelation(
                f"relation-{len(draft_relations) + 1}",
                subj,
                rel.predicate,
                obj,
                text.original_span(*rel.span),
                rel.rule,
                text.original_span(*rel.object_span) if rel.object_span else None,
            )
        )
    for dfig in drafted:
        # A figure that names a drafted project or enterprise right before it is about it.
        for dent in entities:
            if dent.type in ("project", "enterprise") and any(0 <= dfig.span[0] - e <= 1 for _s, e in dent.spans):
                dfig.about = dent.id
                break
    if not drafted:
        warnings.append("no figures found in the text")
    digest = hashlib.sha256(text.original.encode("utf-8")).hexdigest()
    return Draft(
        source_name=source_name,
        sha256=digest,
        characters=len(text.original),
        report_year=structure.report_year,
        year_rule=structure.year_rule,
        figures=drafted,
        indicators=list(indicators.values()),
        entities=entities,
        relations=draft_relations,
        warnings=warnings,
    )
