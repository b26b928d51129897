"""The figures the checks read, fetched from the queryable graph with SPARQL.

The checks never read the YAML: whatever is in the graph (the Linzi data,
``--data`` files, a store of many reports) is checked the same way. A figure
is one ``qb:Observation`` with its dimensions, its value as printed and the
interval of values that printing allows (:mod:`kg.checks.interval`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from kg.checks.interval import Interval

if TYPE_CHECKING:
    from kg.documents.spans import SourceText
    from kg.graph.store import KnowledgeGraph

FIGURES_QUERY = """
SELECT ?f ?indicator ?period ?area ?status ?value ?unit ?nvalue ?nunit ?comparator ?modality
       ?wording ?about ?basis ?label WHERE {
  ?f a qb:Observation ;
     lz:indicator ?indicator ;
     lz:valueStatus/skos:notation ?status ;
     sdmx-measure:obsValue ?value .
  # A specification with no year of its own (a capacity, a total investment) has no period.
  OPTIONAL { ?f sdmx-dimension:refPeriod ?period }
  OPTIONAL { ?f sdmx-dimension:refArea ?area }
  OPTIONAL { ?f sdmx-attribute:unitMeasure ?unit }
  OPTIONAL { ?f lz:normalizedValue ?nvalue }
  OPTIONAL { ?f lz:normalizedUnit ?nunit }
  OPTIONAL { ?f lz:comparator/skos:notation ?comparator }
  OPTIONAL { ?f lz:modality/skos:notation ?modality }
  OPTIONAL { ?f lz:originalWording ?wording }
  OPTIONAL { ?f lz:aboutEntity ?about }
  OPTIONAL { ?f lz:declaredBasis ?basis }
  OPTIONAL { ?f rdfs:label ?label FILTER(lang(?label) = "zh") }
}
"""

# Spans apart: as OPTIONALs of the query above they doubled its time.
SPANS_QUERY = """
SELECT ?f ?start ?end ?sha WHERE {
  ?f a qb:Observation ; prov:wasDerivedFrom ?span .
  ?span oa:hasSelector ?sel .
  ?sel oa:start ?start ; oa:end ?end .
  OPTIONAL { ?span oa:hasSource/lz:sha256 ?sha }
}
"""

LABELS_QUERY = """
SELECT ?thing ?label WHERE {
  { ?f a qb:Observation ; lz:indicator ?thing } UNION { ?f a qb:Observation ; sdmx-dimension:refArea ?thing }
  UNION { ?f a qb:Observation ; sdmx-attribute:unitMeasure ?thing }
  ?thing rdfs:label ?label FILTER(lang(?label) = "zh")
}
"""

#: How a unit is written after a number, where its label is a name (个数, 百分比).
UNIT_SHOWN = {
    "http://qudt.org/vocab/unit/PERCENT": "%",
    "http://qudt.org/vocab/unit/NUM": "个",
    "https://w3id.org/linzi-kg/unit/PercentagePoint": "个百分点",
    "https://w3id.org/linzi-kg/unit/RankPosition": "位",
}
_COUNTS = {
    "http://qudt.org/vocab/unit/NUM",
    "https://w3id.org/linzi-kg/unit/RankPosition",
    # The counters (量词) are units of their own: 个 人 张 处 所 村.
    *(f"https://w3id.org/linzi-kg/unit/{c}" for c in ("Ge", "Ren", "Zhang", "Chu", "Suo", "Cun")),
}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Span:
    """Where a figure is stated: offsets, and the sentence when the text is at hand."""

    start: int
    end: int
    sentence: str | None = None
    source: str | None = None  # the SHA-256 of the text, when the graph gives it
    text: str | None = None  # the span's own text

    def marked(self, width: int = 40) -> str:
        """The sentence with the span in 【】, cut to about ``width`` characters each side."""
        if self.sentence is None or self.text is None:
            return ""
        at = self.sentence.find(self.text)
        if at < 0:
            return self.sentence
        before = self.sentence[max(0, at - width) : at]
        after = self.sentence[at + len(self.text) : at + len(self.text) + width]
        lead = "…" if at > width else ""
        tail = "…" if at + len(self.text) + width < len(self.sentence) else ""
        return f"{lead}{before}【{self.text}】{after}{tail}".replace("\n", " ")


@dataclass
class Figure:
    """One figure of the graph, as the checks see it."""

    iri: str
    indicator: str
    indicator_label: str
    year: int | None  # None: a specification with no year of its own
    area: str
    area_label: str
    status: str  # actual | target | specification (or another notation)
    value: Decimal
    printed: str  # the number as printed (its digits give the precision)
    unit: str
    unit_label: str
    multiplier: float  # normalized value / value (1 when the graph gives none)
    base_unit: str
    comparator: str = "="
    modality: str | None = None
    wording: str = ""
    label: str = ""
    about: str | None = None
    basis: tuple[str, ...] = ()
    spans: list[Span] = field(default_factory=list)

    @property
    def is_count(self) -> bool:
        return self.unit in _COUNTS

    @property
    def shown(self) -> str:
        """The figure as the article prints it (wording), else value and unit."""
        return self.wording or f"{self.printed}{self.unit_label}"

    def interval(self, *, about: float) -> Interval:
        """Every value the figure as printed allows, in its own unit."""
        if self.comparator in (">=", ">", "<=", "<"):
            return Interval.bound(self.comparator, self.value)
        if self.comparator == "~":
            return Interval.about(self.value, about)
        return Interval.printed(self.printed, exact=self.is_count)

    def normalized(self, *, about: float) -> Interval:
        """:meth:`interval` in the unscaled unit (亿元 → 元), for comparing across units."""
        return self.interval(about=about) * self.multiplier

    @property
    def center(self) -> float:
        return float(self.value)


def printed_number(value: Decimal, wording: str) -> str:
    """The digits the article printed for ``value``: the number in the
    wording equal to it (``94.30`` keeps its precision), else the value.

    >>> printed_number(Decimal("94.3"), "94.30%")
    '94.30'
    >>> printed_number(Decimal("2778.0"), "")
    '2778'
    """
    for match in _NUMBER.findall(wording):
        try:
            if Decimal(match) == value:
                return str(match)
        except InvalidOperation:  # pragma: no cover - the regex admits only numbers
            continue
    return format(value.normalize(), "f")


def fetch_figures(kg: KnowledgeGraph, *, texts: dict[str, SourceText] | None = None) -> list[Figure]:
    """Every figure of the graph, in a stable order (area, indicator, year, IRI).

    ``texts`` maps a text's SHA-256 to the text, to give each span its
    sentence; the texts of the graph's own documents are always included when found.
    """
    from kg.sparql.engines import select_values

    sources = dict(texts or {})
    for own in kg.texts.values():
        sources.setdefault(own.sha256, own)
    labels: dict[str, str] = {}
    for row in select_values(kg, LABELS_QUERY):
        labels.setdefault(str(row["thing"]), str(row["label"]))
    figures: dict[str, Figure] = {}
    spans: dict[str, dict[tuple[int, int], Span]] = defaultdict(dict)
    bases: dict[str, set[str]] = defaultdict(set)
    for row in select_values(kg, FIGURES_QUERY):
        iri = str(row["f"])
        if iri not in figures:
            fig = _figure(row, labels)
            if fig is None:
                continue
            figures[iri] = fig
        if row["basis"] is not None:
            bases[iri].add(str(row["basis"]))
    for row in select_values(kg, SPANS_QUERY):
        iri = str(row["f"])
        if iri not in figures or row["start"] is None or row["end"] is None:
            continue
        try:
            start, end = int(str(row["start"])), int(str(row["end"]))
        except ValueError:
            continue  # not offsets: nothing to cite
        if (start, end) not in spans[iri]:
            sha = row["sha"]
            sentence, text = _sentence(sources, sha, start, end)
            spans[iri][(start, end)] = Span(start, end, sentence, sha, text)
    out = []
    for iri, fig in figures.items():
        fig.spans = sorted(spans[iri].values(), key=lambda s: (s.start, s.end))
        fig.basis = tuple(sorted(bases[iri]))
        out.append(fig)
    out.sort(key=lambda f: (f.area, f.indicator, f.year or 0, f.iri))
    return out


def _figure(row: Mapping[str, object], labels: dict[str, str]) -> Figure | None:
    try:
        value = Decimal(str(row["value"]))
        year = int(str(row["period"])[:4]) if row["period"] is not None else None
    except (InvalidOperation, ValueError):
        return None  # not a number or not a year: nothing to compute with
    wording = str(row["wording"]) if row["wording"] is not None else ""
    unit = str(row["unit"]) if row["unit"] is not None else ""
    multiplier = 1.0
    if row["nvalue"] is not None and value != 0:
        try:
            multiplier = float(Decimal(str(row["nvalue"])) / value)
        except InvalidOperation:
            multiplier = 1.0
    indicator, area = str(row["indicator"]), str(row["area"]) if row["area"] is not None else ""
    return Figure(
        iri=str(row["f"]),
        indicator=indicator,
        indicator_label=labels.get(indicator, _tail(indicator)),
        year=year,
        area=area,
        area_label=labels.get(area, _tail(area)),
        status=str(row["status"]),
        value=value,
        printed=printed_number(value, wording),
        unit=unit,
        unit_label=UNIT_SHOWN.get(unit) or labels.get(unit, _tail(unit)),
        multiplier=multiplier,
        base_unit=str(row["nunit"]) if row["nunit"] is not None else unit,
        comparator=str(row["comparator"]) if row["comparator"] is not None else "=",
        modality=str(row["modality"]) if row["modality"] is not None else None,
        wording=wording,
        label=str(row["label"]) if row["label"] is not None else "",
        about=str(row["about"]) if row["about"] is not None else None,
    )


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _sentence(sources: dict[str, SourceText], sha: str | None, start: int, end: int) -> tuple[str | None, str | None]:
    text = sources.get(sha) if sha is not None else None
    if text is None and sha is None and len(sources) == 1:
        text = next(iter(sources.values()))
    if text is None:
        return None, None
    try:
        own = text.span(start, end)
    except IndexError:
        return None, None
    return text.sentence(start, end), own
