"""Counts that describe the graph: per class, and of facts, spans and links."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg.core.namespaces import LZ, OA, PREFIXES, PROV, QB


@dataclass(frozen=True)
class ClassCount:
    cls: URIRef
    curie: str
    label_zh: str
    label_en: str
    count: int


@dataclass(frozen=True)
class Stats:
    triples: int
    classes: list[ClassCount]
    observations: int
    spans: int
    statements: int
    editorial: int
    facts_with_spans: int


def curie(term: URIRef) -> str:
    """``lz:Enterprise`` for a term in a known namespace, else ``<iri>``."""
    text = str(term)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and "/" not in text[len(ns) :]:
            return f"{prefix}:{text[len(ns) :]}"
    return f"<{text}>"


def graph_stats(graph: Graph, ontology: Graph | None = None) -> Stats:
    """Count instances per (asserted) class, most frequent first."""
    counts = Counter(o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef))
    labels = ontology if ontology is not None else Graph()

    def label(cls: URIRef, lang: str) -> str:
        for lit in labels.objects(cls, RDFS.label):
            if getattr(lit, "language", None) == lang:
                return str(lit)
        return ""

    classes = [
        ClassCount(cls, curie(cls), label(cls, "zh"), label(cls, "en"), n)
        for cls, n in sorted(counts.items(), key=lambda kv: (-kv[1], curie(kv[0])))
    ]
    return Stats(
        triples=len(graph),
        classes=classes,
        observations=counts.get(QB.Observation, 0),
        spans=counts.get(OA.SpecificResource, 0),
        statements=counts.get(RDF.Statement, 0),
        editorial=counts.get(LZ.EditorialClassification, 0),
        facts_with_spans=len(set(graph.subjects(PROV.wasDerivedFrom, None))),
    )
