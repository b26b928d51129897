"""What the explorer walks so that browsing has no dead ends: the members of a
class, an indicator's figures by year and status, a figure's counterparts
(the same indicator's 2022 actual beside its 2023 target), and the names a
parameter form suggests. Plain functions over rdflib graphs; the pages
(kg/web.py, kg/browse_pages.py) label and link what they return.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.core.namespaces import LZ, QB, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE, SKOS

#: The order figures are listed in within a year.
STATUS_ORDER = {LZ.Actual: 0, LZ.Estimate: 1, LZ.Target: 2, LZ.Specification: 3}
STATUS_KEY = {LZ.Actual: "actual", LZ.Estimate: "estimate", LZ.Target: "target", LZ.Specification: "specification"}


def class_members(graph: Graph, cls: URIRef) -> list[URIRef]:
    """The instances the graph asserts of ``cls`` (as the home page counts them), in IRI order."""
    return sorted(n for n in graph.subjects(RDF.type, cls) if isinstance(n, URIRef))


@dataclass(frozen=True)
class FigureRow:
    """One figure, with what it is a figure of."""

    figure: URIRef
    indicator: URIRef | None
    year: int | None
    status: URIRef | None
    wording: str
    value: str
    unit: URIRef | None
    area: URIRef | None
    document: URIRef | None

    @property
    def status_key(self) -> str:
        return STATUS_KEY.get(self.status, "") if self.status is not None else ""


def _year(value: object) -> int | None:
    text = str(value or "")[:4]
    return int(text) if text.isdigit() else None


def figure_row(graph: Graph, figure: URIRef) -> FigureRow:
    from kg.core.terms import canonical

    def ref(p: URIRef) -> URIRef | None:
        value = graph.value(figure, p)
        return value if isinstance(value, URIRef) else None

    dataset = graph.value(figure, QB.dataSet)
    document = graph.value(dataset, LZ.document) if dataset is not None else None
    value = graph.value(figure, SDMX_MEASURE.obsValue)
    return FigureRow(
        figure=figure,
        indicator=ref(LZ.indicator),
        year=_year(graph.value(figure, SDMX_DIM.refPeriod)),
        status=ref(LZ.valueStatus),
        wording=str(graph.value(figure, LZ.originalWording) or ""),
        value=str(canonical(value)) if isinstance(value, Literal) else "",
        unit=ref(SDMX_ATTR.unitMeasure),
        area=ref(SDMX_DIM.refArea),
        document=document if isinstance(document, URIRef) else None,
    )


def _order(row: FigureRow) -> tuple[int, int, str, str, str]:
    return (
        row.year if row.year is not None else 9999,
        STATUS_ORDER.get(row.status, 9) if row.status is not None else 9,
        str(row.area or ""),
        str(row.document or ""),
        str(row.figure),
    )


def indicator_figures(graph: Graph, indicator: URIRef) -> list[FigureRow]:
    """Every figure of ``indicator``, by year, then status (actual, estimate, target, specification)."""
    figures = [f for f in graph.subjects(LZ.indicator, indicator) if isinstance(f, URIRef)]
    return sorted((figure_row(graph, f) for f in figures), key=_order)


@dataclass(frozen=True)
class Counterpart:
    row: FigureRow
    #: ``same`` (the figure's own indicator), ``level`` (the level a growth
    #: indicator grows from) or ``growth`` (the growth of this level).
    relation: str
    this: bool


def counterparts(graph: Graph, figure: URIRef) -> list[Counterpart]:
    """The figures beside ``figure``: its indicator's in the same area, every
    year and status (itself marked), then those of the related indicator
    (``skos:related`` links a growth rate and its level) in that area."""
    own = figure_row(graph, figure)
    if own.indicator is None:
        return []
    out: list[Counterpart] = []
    related: list[tuple[URIRef, str]] = [(own.indicator, "same")]
    # A growth indicator is skos:related to the level it grows from (queries/targets-2023.rq).
    for other, relation in [
        *((o, "level") for o in sorted(graph.objects(own.indicator, SKOS.related), key=str)),
        *((s, "growth") for s in sorted(graph.subjects(SKOS.related, own.indicator), key=str)),
    ]:
        if isinstance(other, URIRef) and (other, RDF.type, LZ.Indicator) in graph and other != own.indicator:
            related.append((other, relation))
    for indicator, relation in related:
        for row in indicator_figures(graph, indicator):
            if row.area == own.area:
                out.append(Counterpart(row, relation, row.figure == figure))
    return out if len(out) > 1 else []


# -- names for forms ------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """A name a form may suggest: the text to type and what it names."""

    value: str
    node: URIRef
    lang: str | None


_NAME_PROPS = (RDFS.label, LZ.sourceTerm, SKOS.altLabel)


def entity_names(graph: Graph) -> list[Name]:
    """Every label (zh and en) of the entities an ``entity`` parameter finds
    (those with a ``lz:sourceTerm``), one per text, in text order."""
    seen: dict[str, Name] = {}
    for node in set(graph.subjects(LZ.sourceTerm, None)):
        if not isinstance(node, URIRef):
            continue
        for lit in graph.objects(node, RDFS.label):
            text = str(lit)
            if text and text not in seen:
                seen[text] = Name(text, node, getattr(lit, "language", None))
    return [seen[k] for k in sorted(seen)]


def close_names(graph: Graph, name: str, *, limit: int = 6) -> list[URIRef]:
    """Entities whose names are close to ``name`` (for a name that finds none)."""
    by_name: dict[str, URIRef] = {}
    for node in set(graph.subjects(LZ.sourceTerm, None)):
        if isinstance(node, URIRef):
            for p in _NAME_PROPS:
                for lit in graph.objects(node, p):
                    by_name.setdefault(str(lit).casefold(), node)
    close = difflib.get_close_matches(name.strip().casefold(), list(by_name), n=limit * 2, cutoff=0.5)
    out: list[URIRef] = []
    for text in close:
        if by_name[text] not in out:
            out.append(by_name[text])
    return out[:limit]
