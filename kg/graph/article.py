"""The annotated article: a document's text as published, with every stated
fact's span highlighted and linked, paragraph by paragraph.

Everything comes from the graph: the document is an ``lz:SourceText`` node,
the spans are ``oa:SpecificResource`` nodes with that node as ``oa:hasSource``
and an ``oa:TextPositionSelector`` (code-point offsets, end exclusive), and
the facts are whatever ``prov:wasDerivedFrom`` a span: entities, figures
(``qb:Observation``) and reified relations (``rdf:Statement``). Only the text
itself is read from the file, after its SHA-256 matched the node's.

The page is cut into segments at every span boundary, ``**`` marker and line
break, so that overlapping spans need no overlapping markup: each segment is
linked to the most specific fact covering it (the shortest span; an entity or
figure before a relation of the same length).
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.core.namespaces import LZ, OA, PROV, QB

Label = Callable[[URIRef], str]
Href = Callable[[URIRef], "str | None"]


class Kind(enum.Enum):
    ENTITY = "entity"
    FIGURE = "figure"
    RELATION = "relation"


_RANK = {Kind.ENTITY: 0, Kind.FIGURE: 1, Kind.RELATION: 2}


@dataclass(frozen=True)
class Fact:
    """One stated fact at one span."""

    start: int
    end: int
    node: URIRef
    kind: Kind
    label: str
    href: str | None
    #: for a relation, its predicate and object; for a figure, the figure as printed
    detail: str = ""


@dataclass
class Segment:
    text: str
    bold: bool
    fact: Fact | None
    marked: bool
    anchor: str | None = None


@dataclass
class Paragraph:
    start: int
    end: int
    segments: list[Segment] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


def documents(graph: Graph) -> list[URIRef]:
    """The ``lz:SourceText`` nodes of the graph, in IRI order."""
    return sorted(n for n in graph.subjects(RDF.type, LZ.SourceText) if isinstance(n, URIRef))


def facts_of(graph: Graph, document: URIRef, *, label: Label, href: Href) -> list[Fact]:
    """Every fact stated in ``document`` with its span, ordered by position.

    A relation is linked to its subject's page, since a statement node has no
    page of its own worth reading.
    """
    facts = []
    for span in graph.subjects(OA.hasSource, document):
        selector = graph.value(span, OA.hasSelector)
        start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
        if start is None or end is None:
            continue
        s, e = int(str(start)), int(str(end))
        for node in graph.subjects(PROV.wasDerivedFrom, span):
            if not isinstance(node, URIRef):
                continue
            if (node, RDF.type, RDF.Statement) in graph:
                subject, predicate, obj = (graph.value(node, p) for p in (RDF.subject, RDF.predicate, RDF.object))
                if not isinstance(subject, URIRef):
                    continue
                detail = " → ".join(label(t) for t in (predicate, obj) if isinstance(t, URIRef))
                facts.append(Fact(s, e, node, Kind.RELATION, label(subject), href(subject), detail))
            elif (node, RDF.type, QB.Observation) in graph:
                wording = graph.value(node, LZ.originalWording)
                facts.append(Fact(s, e, node, Kind.FIGURE, label(node), href(node), str(wording or "")))
            else:
                facts.append(Fact(s, e, node, Kind.ENTITY, label(node), href(node)))
    return sorted(facts, key=lambda f: (f.start, f.end, _RANK[f.kind], f.label, str(f.node)))


def parse_mark(text: str | None, length: int) -> tuple[int, int] | None:
    """A ``START-END`` span to mark, checked against the text's length.

    >>> parse_mark("87-90", 3261)
    (87, 90)
    >>> parse_mark("90-87", 3261) is None
    True
    """
    if not text:
        return None
    found = re.fullmatch(r"([0-9]{1,9})-([0-9]{1,9})", text, re.ASCII)
    if found is None:
        return None
    start, end = int(found[1]), int(found[2])
    return (start, end) if 0 <= start < end <= length else None


def annotate(text: str, facts: list[Fact], *, mark: tuple[int, int] | None = None) -> list[Paragraph]:
    """The text cut into paragraphs (non-blank lines) of segments.

    ``**`` markers are dropped and the text between a pair is bold; the
    segments inside ``mark`` are marked, the first one carrying the anchor
    ``mark``.

    >>> f = Fact(4, 6, URIRef("x:a"), Kind.ENTITY, "乙丙", "/id/a")
    >>> [p] = annotate("甲，**乙丙**丁", [f])
    >>> [(s.text, s.bold, s.fact is not None) for s in p.segments]
    [('甲，', False, False), ('乙丙', True, True), ('丁', False, False)]
    """
    markers = [m.start() for m in re.finditer(r"\*\*", text)]
    hidden = {i for m in markers for i in (m, m + 1)}
    cuts = {0, len(text)}
    cuts.update(m for m in markers)
    cuts.update(m + 2 for m in markers)
    cuts.update(i for i, c in enumerate(text) if c == "\n")
    cuts.update(i + 1 for i, c in enumerate(text) if c == "\n")
    for f in facts:
        cuts.update((f.start, f.end))
    if mark is not None:
        cuts.update(mark)
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    paragraphs: list[Paragraph] = []
    current: Paragraph | None = None
    bold = False
    anchored = False
    for a, b in itertools.pairwise(bounds):
        piece = text[a:b]
        if piece == "\n":
            if current is not None:
                paragraphs.append(current)
            current, bold = None, False
            continue
        if a in hidden:
            if a in markers:
                bold = not bold
            continue
        if current is None:
            if not piece.strip():
                continue
            current = Paragraph(a, a)
        covering = [f for f in facts if f.start <= a and b <= f.end]
        best = min(covering, key=lambda f: (f.end - f.start, _RANK[f.kind]), default=None)
        marked = mark is not None and mark[0] <= a and b <= mark[1]
        segment = Segment(piece, bold, best, marked)
        if marked and not anchored:
            segment.anchor, anchored = "mark", True
        current.segments.append(segment)
        current.end = b
    if current is not None:
        paragraphs.append(current)
    for p in paragraphs:
        seen: set[URIRef] = set()
        for f in facts:
            if p.start <= f.start < p.end and f.node not in seen:
                seen.add(f.node)
                p.facts.append(f)
    return paragraphs
