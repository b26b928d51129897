"""Source spans: load the article text, resolve spans, check that they say the fact.

A span is a pair of code-point offsets (0-based, end exclusive) into the
article text, which is identified by its SHA-256. The check is deliberately
literal: the text of the span, with whitespace and the article's ``**``
emphasis markers removed, must contain the wording of the fact (the entity's
name, the figure as printed, or a name of both ends of a relation).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.documents.texts import SEED_SHA256, SourceText, load_text, read_text
from kg.errors import Problem

__all__ = [
    "SEED_SHA256",
    "SourceText",
    "check_spans",
    "editorial_triples",
    "editorial_triples_of",
    "locate",
    "read_source",
    "says",
]

if TYPE_CHECKING:  # the query path reads the text without loading the YAML tooling
    from rdflib import Graph, URIRef

    from kg.documents.records import Dataset, Link, Span, Where

    Triple = tuple[URIRef, URIRef, URIRef]


def read_source(path: str | os.PathLike[str] | None = None, *, expected_sha256: str | None = None) -> SourceText:
    """Read a text file (default: the seed article, found by digest) and check its digest.

    >>> src = read_source()
    >>> src.span(87, 90)
    '蔡华刚'
    """
    if path is not None:
        return read_text(path, expected_sha256=expected_sha256 or SEED_SHA256)
    return load_text(expected_sha256 or SEED_SHA256)


def normalize(text: str) -> str:
    """Drop whitespace and the article's ``**`` emphasis markers before matching."""
    return "".join(ch for ch in text if not ch.isspace() and ch != "*")


def says(text: str, wordings: tuple[str, ...]) -> bool:
    """Whether ``text`` contains one of ``wordings``, ignoring whitespace and ``**``.

    A wording with "…" matches its parts in order with anything between
    (启动…建设 in 启动溇源学校、管仲中学建设).

    >>> says("启动溇源学校、管仲中学建设", ("启动…建设",))
    True
    >>> says("建设溇源学校", ("启动…建设",))
    False
    """
    flat = normalize(text)
    for wording in wordings:
        at, ok = 0, True
        for part in (normalize(p) for p in wording.split("…")):
            found = flat.find(part, at)
            if not part or found == -1:
                ok = False
                break
            at = found + len(part)
        if ok:
            return True
    return False


def _wordings(dataset: Dataset, link: Link) -> tuple[str, tuple[str, ...]]:
    """The target of a link as a name for messages and the wordings that state it."""
    concept = link.concept
    if concept is not None:
        return link.target, concept.cues
    target = dataset.entities[link.target]
    return target.id, target.wordings


def check_spans(dataset: Dataset, source: SourceText) -> list[Problem]:
    """Every problem with the spans of ``dataset`` against ``source``; empty if all resolve.

    Each span is checked on its own: an entity's span must contain its name, a
    figure's span its wording (and, when the figure is linked to an entity,
    that entity's name), and every span of a relation must name both ends; two
    spans that each name one end do not make a relation stated.
    """
    from kg.core import model

    problems: list[Problem] = []
    limit = len(source.text)

    def out_of_range(where_file: str, line: int, record: str, fld: str, spans: tuple[Span, ...]) -> bool:
        bad = [s for s in spans if s[1] > limit]
        for start, end in bad:
            problems.append(
                Problem(
                    where_file,
                    line,
                    record,
                    fld,
                    f"span [{start}, {end}] ends past the source text ({limit} characters)",
                )
            )
        return bool(bad)

    def each_span_names(
        where: Where, record: str, fld: str, spans: tuple[Span, ...], ends: list[tuple[str, tuple[str, ...]]], what: str
    ) -> None:
        for start, end in spans:
            for name, wordings in ends:
                if says(source.text[start:end], wordings):
                    continue
                if not what:  # the record's own spans: the long-standing wording
                    shown = ("the wording " + repr(wordings[0])) if name == "wording" else " / ".join(wordings)
                    message = f"span [{start}, {end}] does not contain {shown}"
                else:
                    message = f"span [{start}, {end}] {what} does not name {name!r} ({' / '.join(wordings)})"
                problems.append(Problem(where.file, where.line, record, fld, message))

    for entity in dataset.own_entities():
        w = entity.where
        if out_of_range(w.file, w.line, entity.id, "spans", entity.spans):
            continue
        each_span_names(w, entity.id, "spans", entity.spans, [(entity.id, entity.wordings)], "")
        # A value in Chinese (an emphasis, a component, a time of day) is a
        # fact too: some span of the record must contain it.
        for key, value in entity.values.items():
            spec = model.VALUE_FIELDS[key]
            if spec.kind is not model.ValueKind.ZH:
                continue
            for v in value if spec.many else [value]:
                if not any(says(source.text[s:e], (str(v),)) for s, e in entity.spans):
                    problems.append(Problem(w.file, w.line, entity.id, key, f"no span of the record contains {v!r}"))
    for entity, link in dataset.links():
        if not link.spans:
            continue
        w = link.where
        if out_of_range(w.file, w.line, entity.id, link.field, link.spans):
            continue
        target = _wordings(dataset, link)
        # The work the text is a copy of (the article, or the report itself)
        # contains every span, so it needs no wording of its own.
        whole = dataset.source is not None and entity.id == dataset.source.text_of
        ends = [target] if whole or "NewsArticle" in entity.types else [(entity.id, entity.wordings), target]
        each_span_names(w, entity.id, link.field, link.spans, ends, f"of the link to {link.target!r}")
    for obs in dataset.observations.values():
        w = obs.where
        if out_of_range(w.file, w.line, obs.id, "spans", obs.spans):
            continue
        each_span_names(w, obs.id, "spans", obs.spans, [("wording", (obs.wording,))], "")
        for link in obs.links():
            if out_of_range(w.file, link.where.line, obs.id, link.field, link.spans):
                continue
            ends = [("wording", (obs.wording,)), _wordings(dataset, link)]
            each_span_names(link.where, obs.id, link.field, link.spans, ends, f"of the link to {link.target!r}")
        # A declared basis (同口径) is a fact of the text too: some span must say it.
        if obs.basis is not None and not any(says(source.text[s:e], (obs.basis,)) for s, e in obs.spans):
            problems.append(Problem(w.file, w.line, obs.id, "basis", f"no span contains the basis {obs.basis!r}"))
    if dataset.source is not None and dataset.source.characters != limit:
        s = dataset.source
        problems.append(
            Problem(
                s.where.file,
                s.where.line,
                "source",
                "characters",
                f"declares {s.characters} characters, the text has {limit}",
            )
        )
    return problems


def editorial_triples(graph: Graph) -> set[Triple]:
    """The links that linzi-kg's editors made, not the article: every ``lz:classifiedUnder``
    and every link whose statement is an ``lz:EditorialStatement`` (Zibo in Shandong).

    >>> from kg.rdf.pipeline import build
    >>> from kg.core.namespaces import ID, SCHEMA
    >>> (ID["place/zibo"], SCHEMA.containedInPlace, ID["place/shandong"]) in editorial_triples(
    ...     build(validate=False, check_source=False).graph)
    True
    """
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from kg.core.namespaces import LZ

    found: set[Triple] = set()
    for s, o in graph.subject_objects(LZ.classifiedUnder):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            found.add((s, LZ.classifiedUnder, o))
    for stmt in graph.subjects(RDF.type, LZ.EditorialStatement):
        subject, predicate, obj = (graph.value(stmt, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if isinstance(subject, URIRef) and isinstance(predicate, URIRef) and isinstance(obj, URIRef):
            found.add((subject, predicate, obj))
    return found


def editorial_triples_of(graph: Graph, node: URIRef) -> set[Triple]:
    """:func:`editorial_triples` that have ``node`` at one end: an entity page
    needs these alone, not a pass over the whole graph."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from kg.core.namespaces import LZ

    found: set[Triple] = set()
    for o in graph.objects(node, LZ.classifiedUnder):
        if isinstance(o, URIRef):
            found.add((node, LZ.classifiedUnder, o))
    for s in graph.subjects(LZ.classifiedUnder, node):
        if isinstance(s, URIRef):
            found.add((s, LZ.classifiedUnder, node))
    for role in (RDF.subject, RDF.object):
        for stmt in graph.subjects(role, node):
            if (stmt, RDF.type, LZ.EditorialStatement) not in graph:
                continue
            subject, predicate, obj = (graph.value(stmt, x) for x in (RDF.subject, RDF.predicate, RDF.object))
            if isinstance(subject, URIRef) and isinstance(predicate, URIRef) and isinstance(obj, URIRef):
                found.add((subject, predicate, obj))
    return found


def locate(text: str, wording: str) -> list[Span]:
    """Every span of ``text`` whose normalized text equals ``wording`` normalized.

    >>> locate("大数据\\n\\n产业园和大数据产业园", "大数据产业园")
    [(0, 8), (9, 15)]
    """
    target = normalize(wording)
    if not target:
        return []
    kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace() and ch != "*"]
    flat = "".join(ch for _, ch in kept)
    hits: list[Span] = []
    pos = flat.find(target)
    while pos != -1:
        hits.append((kept[pos][0], kept[pos + len(target) - 1][0] + 1))
        pos = flat.find(target, pos + 1)
    return hits
