"""Score a draft against a gold file, by the rules of the corpus README.

A drafted figure is *found* for a gold figure when its value equals the gold
value and one of its spans contains the gold mention's first code point; its
span is *tight* when it lies within the mention widened by 8 code points on
each side; it is *right* when found and unit, indicator (its label contains
one alternative of every keyword group), year, status (or a ``status_alt``),
comparator and, where scored, modality match (year and status are not judged
for an ``ambiguous`` figure). Span recall = found / gold; precision = drafted
figures that match some gold figure / drafted; fact recall = right / gold,
fact precision = precision × right / found, fact F1 their harmonic mean. An
entity is found when a drafted entity's zh label equals its name or an alias,
or its span equals the gold span.

Matching is one to one: each gold figure takes the first unused drafted
figure that is found for it, in text order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg.core.namespaces import LZ, OA, PROV, QB, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE, SKOS
from kg.errors import KGError
from kg.ingest.draft import Draft

Span = tuple[int, int]
TIGHT_MARGIN = 8


class GoldError(KGError):
    """The gold file is missing or not in the corpus format."""


@dataclass(frozen=True)
class ScoredFigure:
    """What the scorer reads of one drafted figure."""

    value: str
    spans: tuple[Span, ...]
    unit: str
    indicator: str
    year: int | None
    status: str | None
    comparator: str | None
    modality: str | None
    wording: str = ""


@dataclass(frozen=True)
class ScoredEntity:
    labels: tuple[str, ...]
    spans: tuple[Span, ...]


@dataclass
class Score:
    gold_figures: int
    drafted_figures: int
    found: int
    matched_drafted: int
    tight: int
    right: int
    gold_entities: int
    entities_found: int
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    missed_entities: list[str] = field(default_factory=list)

    @property
    def span_recall(self) -> float:
        return self.found / self.gold_figures if self.gold_figures else 1.0

    @property
    def span_precision(self) -> float:
        return self.matched_drafted / self.drafted_figures if self.drafted_figures else 1.0

    @property
    def tight_rate(self) -> float:
        return self.tight / self.found if self.found else 1.0

    @property
    def fact_recall(self) -> float:
        return self.right / self.gold_figures if self.gold_figures else 1.0

    @property
    def fact_precision(self) -> float:
        return self.span_precision * (self.right / self.found) if self.found else 0.0

    @property
    def fact_f1(self) -> float:
        p, r = self.fact_precision, self.fact_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def entity_recall(self) -> float:
        return self.entities_found / self.gold_entities if self.gold_entities else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "figures": {"gold": self.gold_figures, "drafted": self.drafted_figures, "found": self.found},
            "span_recall": round(self.span_recall, 4),
            "span_precision": round(self.span_precision, 4),
            "tight_spans": round(self.tight_rate, 4),
            "fact_recall": round(self.fact_recall, 4),
            "fact_precision": round(self.fact_precision, 4),
            "fact_f1": round(self.fact_f1, 4),
            "entity_recall": round(self.entity_recall, 4),
            "entities": {"gold": self.gold_entities, "found": self.entities_found},
            "missed_figures": self.misses,
            "wrong_figures": self.wrong,
            "extra_figures": self.extra,
            "missed_entities": self.missed_entities,
        }

    def report(self) -> str:
        lines = [
            f"figures: {self.gold_figures} gold, {self.drafted_figures} drafted, {self.found} found",
            f"span recall     {self.span_recall:.3f}",
            f"span precision  {self.span_precision:.3f}",
            f"tight spans     {self.tight_rate:.3f}",
            f"fact F1         {self.fact_f1:.3f}  (recall {self.fact_recall:.3f}, precision {self.fact_precision:.3f})",
            f"entity recall   {self.entity_recall:.3f}  ({self.entities_found} of {self.gold_entities})",
        ]
        for title, items in (
            ("missed figures", self.misses),
            ("wrong fields", self.wrong),
            ("drafted, not in gold", self.extra),
            ("missed entities", self.missed_entities),
        ):
            if items:
                lines.append(f"{title}:")
                lines.extend(f"  {item}" for item in items)
        return "\n".join(lines)


def load_gold(path: Path) -> dict[str, Any]:
    """Read a gold file; one-line error when it is not in the corpus format."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise GoldError(f"{path}: cannot read the gold file: {err.strerror or err}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise GoldError(f"{path}: not a JSON gold file: {err}") from None
    if not isinstance(gold, dict) or not isinstance(gold.get("figures"), list):
        raise GoldError(f"{path}: not a gold file: it needs a 'figures' list (see the corpus README)")
    for n, fig in enumerate(gold["figures"]):
        if not isinstance(fig, dict) or not all(
            k in fig for k in ("start", "end", "value", "unit", "indicator_keywords")
        ):
            raise GoldError(f"{path}: figure {n}: needs start, end, value, unit and indicator_keywords")
    return gold


def _same_value(a: str, b: str) -> bool:
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return a == b


def _found(d: ScoredFigure, g: dict[str, Any]) -> bool:
    return _same_value(d.value, str(g["value"])) and any(s <= g["start"] < e for s, e in d.spans)


def _mismatches(d: ScoredFigure, g: dict[str, Any]) -> list[str]:
    bad = []
    if d.unit != g["unit"]:
        bad.append(f"unit {d.unit!r}≠{g['unit']!r}")
    groups = g.get("indicator_keywords") or [[g.get("indicator", "")]]
    if not all(any(alt in d.indicator for alt in group) for group in groups):
        bad.append(f"indicator {d.indicator!r}∌{groups}")
    if not g.get("ambiguous"):
        if d.year != g.get("year"):
            bad.append(f"year {d.year}≠{g.get('year')}")
        if d.status != g.get("status") and d.status not in (g.get("status_alt") or []):
            bad.append(f"status {d.status}≠{g.get('status')}")
    if d.comparator != g.get("comparator", "="):
        bad.append(f"comparator {d.comparator}≠{g.get('comparator')}")
    if not g.get("modality_unscored") and d.modality != g.get("modality"):
        bad.append(f"modality {d.modality}≠{g.get('modality')}")
    return bad


def score(figures: list[ScoredFigure], entities: list[ScoredEntity], gold: dict[str, Any]) -> Score:
    """Score drafted figures and entities against a gold dict (corpus format)."""
    gold_figs = sorted(gold["figures"], key=lambda g: g["start"])
    used: set[int] = set()
    found = tight = right = 0
    misses: list[str] = []
    wrong: list[str] = []
    for g in gold_figs:
        match = next((i for i, d in enumerate(figures) if i not in used and _found(d, g)), None)
        if match is None:
            misses.append(f"{g['start']}-{g['end']} {g.get('mention', g['value'])} ({g.get('indicator', '')})")
            continue
        used.add(match)
        found += 1
        d = figures[match]
        lo, hi = g["start"] - TIGHT_MARGIN, g["end"] + TIGHT_MARGIN
        if any(s <= g["start"] < e and lo <= s and e <= hi for s, e in d.spans):
            tight += 1
        bad = _mismatches(d, g)
        if bad:
            wrong.append(f"{g['start']}-{g['end']} {g.get('mention', g['value'])}: " + "; ".join(bad))
        else:
            right += 1
    matched = sum(1 for d in figures if any(_found(d, g) for g in gold_figs))
    extra = [
        f"{d.spans[0][0]}-{d.spans[0][1]} {d.wording or d.value} ({d.indicator})"
        for d in figures
        if d.spans and not any(_found(d, g) for g in gold_figs)
    ]
    gold_ents = gold.get("entities") or []
    labels = {label for e in entities for label in e.labels}
    spans = {span for e in entities for span in e.spans}
    ent_found = 0
    missed_entities: list[str] = []
    for ge in gold_ents:
        names = {ge["name"], *(ge.get("aliases") or [])}
        if names & labels or (ge.get("start"), ge.get("end")) in spans:
            ent_found += 1
        else:
            missed_entities.append(f"{ge['name']} ({ge.get('type', '')})")
    return Score(
        len(gold_figs),
        len(figures),
        found,
        matched,
        tight,
        right,
        len(gold_ents),
        ent_found,
        misses,
        wrong,
        extra,
        missed_entities,
    )


def _spans_of(graph: Graph, node: URIRef) -> tuple[Span, ...]:
    out = []
    for res in graph.objects(node, PROV.wasDerivedFrom):
        for sel in graph.objects(res, OA.hasSelector):
            start, end = graph.value(sel, OA.start), graph.value(sel, OA.end)
            if start is not None and end is not None:
                out.append((int(str(start)), int(str(end))))
    return tuple(sorted(out))


def _notation(graph: Graph, node: Any) -> str | None:
    if node is None:
        return None
    value = graph.value(node, SKOS.notation)
    if value is not None:
        return str(value)
    return str(node).rsplit("#", 1)[-1].lower()


def _zh(graph: Graph, node: Any) -> str:
    if node is None:
        return ""
    for label in graph.objects(node, RDFS.label):
        if getattr(label, "language", None) == "zh":
            return str(label)
    return ""


def _tables() -> tuple[dict[object, str], dict[object, str], dict[object, str], dict[object, str]]:
    from kg.core.model import COMPARATORS, MODALITIES, STATUSES
    from kg.core.units import RANKS, UNITS

    units: dict[object, str] = {}
    for u in [*UNITS.values(), *RANKS.values()]:
        units.setdefault(u.iri, u.printed)
    units[RANKS[""].iri] = ""
    inverse = [{iri: key for key, iri in table.items()} for table in (STATUSES, COMPARATORS, MODALITIES)]
    return inverse[0], inverse[1], inverse[2], units  # type: ignore[return-value]


def read_graph(graph: Graph) -> tuple[list[ScoredFigure], list[ScoredEntity]]:
    """The figures and entities of a draft graph, as the scorer reads them.

    Status, comparator and modality are read from the scheme concepts'
    ``skos:notation`` when the graph holds them, else from the IRI's local name
    (``lz:Estimate`` → estimate), so a bare draft graph scores the same.
    """
    statuses, comparators, modalities, units = _tables()
    figures = []
    for obs in sorted(graph.subjects(RDF.type, QB.Observation), key=str):
        value = graph.value(obs, SDMX_MEASURE.obsValue)
        if value is None:
            continue
        period = graph.value(obs, SDMX_DIM.refPeriod)
        status_node = graph.value(obs, LZ.valueStatus)
        comparator = graph.value(obs, LZ.comparator)
        modality = graph.value(obs, LZ.modality)
        unit_node = graph.value(obs, SDMX_ATTR.unitMeasure)
        figures.append(
            ScoredFigure(
                value=format(Decimal(str(value)).normalize(), "f"),
                spans=_spans_of(graph, obs),  # type: ignore[arg-type]
                unit=units[unit_node] if unit_node in units else _zh(graph, unit_node),
                indicator=_zh(graph, graph.value(obs, LZ.indicator)),
                year=int(str(period)[:4]) if period is not None else None,
                status=statuses.get(status_node) or _notation(graph, status_node),
                comparator=(comparators.get(comparator) or _notation(graph, comparator))
                if comparator is not None
                else "=",
                modality=(modalities.get(modality) or _notation(graph, modality)) if modality is not None else None,
                wording=str(graph.value(obs, LZ.originalWording) or ""),
            )
        )
    figures.sort(key=lambda f: f.spans[0] if f.spans else (0, 0))
    entities = []
    for node in set(graph.subjects(LZ.sourceTerm, None)):
        labels = tuple(str(lab) for lab in graph.objects(node, RDFS.label) if getattr(lab, "language", None) == "zh")
        alt = tuple(str(lab) for lab in graph.objects(node, SKOS.altLabel))
        entities.append(ScoredEntity(labels + alt, _spans_of(graph, node)))  # type: ignore[arg-type]
    return figures, entities


def score_draft(draft: Draft, gold: dict[str, Any]) -> Score:
    """Score a draft as its Turtle would be scored (through the RDF graph)."""
    from kg.ingest.rdf import draft_graph

    figures, entities = read_graph(draft_graph(draft))
    return score(figures, entities, gold)


def evaluate_file(draft: Path, gold: Path, *, known: list[Path], use_shipped: bool = True) -> Score:
    """Score a draft graph file, or a report text (ingested first), against a gold file."""
    from kg.ingest.run import ingest_file
    from kg.rdf.load import FORMATS, parse_file

    gold_data = load_gold(gold)
    if draft.suffix.lower() in FORMATS:
        figures, entities = read_graph(parse_file(draft))
        return score(figures, entities, gold_data)
    return score_draft(ingest_file(draft, known=known, use_shipped=use_shipped), gold_data)


def evaluate_corpus(folder: Path, *, known: list[Path], use_shipped: bool = True) -> list[tuple[str, Score]]:
    """Every ``NAME.txt`` with a ``NAME.json`` gold beside it, scored, in name order."""
    if not folder.is_dir():
        raise GoldError(f"{folder}: corpus folder not found")
    pairs = [(t, t.with_suffix(".json")) for t in sorted(folder.glob("*.txt")) if t.with_suffix(".json").is_file()]
    if not pairs:
        raise GoldError(f"{folder}: no NAME.txt with a NAME.json gold file beside it")
    return [(t.stem, evaluate_file(t, g, known=known, use_shipped=use_shipped)) for t, g in pairs]
