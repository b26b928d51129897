"""The graph as a network of entities (networkx): shortest explanations and centrality.

Nodes are entities (what the article names: anything with ``lz:sourceTerm``);
edges are the stated relations between them, one per triple, keyed by
predicate. Schema (classes, schemes), provenance (spans, statements) and
figures are left out, so a path explains itself in the article's terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import networkx as nx
from rdflib import Graph, URIRef

from kg.core.namespaces import LZ
from kg.documents.spans import editorial_triples
from kg.errors import UsageError
from kg.graph.lookup import label
from kg.graph.store import KnowledgeGraph

_EDITORIAL = """
SELECT ?s ?p ?o WHERE { GRAPH <%(g)s> {
  { ?s <%(classified)s> ?o . BIND (<%(classified)s> AS ?p) }
  UNION
  { ?st a <%(editorial)s> ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ;
        <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ;
        <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o }
} }"""


def store_entity_network(kg: KnowledgeGraph, *, editorial: bool = False) -> nx.MultiDiGraph:
    """:func:`entity_network` of a graph opened from a store, by index lookups
    and SPARQL on its asserted triples: no rdflib copy of the graph is made.
    Nodes carry no labels here (:func:`label_nodes` adds them where needed)."""
    import pyoxigraph as ox

    from kg.graph.store import ASSERTED_GRAPH

    store = kg.oxigraph()
    graph = ox.NamedNode(ASSERTED_GRAPH)
    args = {
        "g": ASSERTED_GRAPH,
        "term": str(LZ.sourceTerm),
        "classified": str(LZ.classifiedUnder),
        "editorial": str(LZ.EditorialStatement),
    }
    net = nx.MultiDiGraph()
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(LZ.sourceTerm)), None, graph):
        net.add_node(URIRef(str(quad.subject.value)))  # type: ignore[union-attr]
    skip = set()
    if not editorial:
        skip = {(r[0].value, r[1].value, r[2].value) for r in store.query(_EDITORIAL % args)}  # type: ignore[union-attr]
    nodes = {str(n) for n in net.nodes}
    # The relations of the model (every link field, every object property of
    # the ontology), each read from the predicate's index: scanning every
    # triple of a large store for entity-to-entity links takes a second.
    for predicate in sorted(_relations(store)):
        p = ox.NamedNode(predicate)
        for quad in store.quads_for_pattern(None, p, None, graph):
            s, o = quad.subject.value, quad.object.value  # type: ignore[union-attr]
            if s != o and s in nodes and o in nodes and (s, predicate, o) not in skip:
                net.add_edge(URIRef(s), URIRef(o), key=URIRef(predicate), predicate=URIRef(predicate))
    return net


def _relations(store: Any) -> set[str]:
    import pyoxigraph as ox
    from rdflib.namespace import OWL, RDF

    from kg.core import model
    from kg.graph.store import ONTOLOGY_GRAPH

    found = {str(spec.predicate) for spec in model.LINK_FIELDS.values()}
    kinds = (ox.NamedNode(str(OWL.ObjectProperty)),)
    for kind in kinds:
        for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), kind, ox.NamedNode(ONTOLOGY_GRAPH)):
            found.add(quad.subject.value)
    found.discard(str(LZ.sourceTerm))
    return found


def label_nodes(net: nx.MultiDiGraph, graph: KnowledgeGraph | Graph, nodes: Iterable[URIRef]) -> None:
    """Give ``nodes`` of ``net`` their ``label`` and ``label_en`` (when missing)."""
    for node in nodes:
        data = net.nodes[node]
        if "label" not in data:
            data["label"] = label(graph, node, "zh") or str(node)
            data["label_en"] = label(graph, node, "en") or ""


def network_of(kg: KnowledgeGraph, *, editorial: bool = False) -> nx.MultiDiGraph:
    """The entity network of a queryable graph: from its store's named graph
    when it was opened from disk, else from its rdflib graph."""
    if kg.location is not None and kg.has_named_parts():
        return store_entity_network(kg, editorial=editorial)
    return entity_network(kg.asserted, editorial=editorial)


def entity_network(graph: Graph, *, editorial: bool = False) -> nx.MultiDiGraph:
    """A directed multigraph of entities; edge attribute ``predicate`` holds the IRI.

    Editorial links (:func:`editorial_triples`) are left out unless
    ``editorial``: they are linzi-kg's reading, not relations the article states.

    >>> from kg.rdf.pipeline import build
    >>> net = entity_network(build(validate=False, check_source=False).graph)
    >>> net.number_of_nodes() > 150
    True
    """
    entities = {s for s in graph.subjects(LZ.sourceTerm, None) if isinstance(s, URIRef)}
    net = nx.MultiDiGraph()
    for node in sorted(entities):
        net.add_node(node, label=label(graph, node, "zh") or str(node), label_en=label(graph, node, "en") or "")
    skip = set() if editorial else editorial_triples(graph)
    for s, p, o in graph:
        if (s, p, o) in skip:
            continue
        if s in entities and o in entities and s != o:
            net.add_edge(s, o, key=p, predicate=p)
    return net


@dataclass(frozen=True)
class Step:
    """One link of a path: ``source -[predicate]-> target`` as stored."""

    source: URIRef
    predicate: URIRef
    target: URIRef
    forward: bool  # True when the path walks the link from source to target


_NOT_CONNECTED = (
    "the two entities are not connected by relations the article states (--editorial also walks editorial links)"
)


def shortest_path(net: nx.MultiDiGraph, a: URIRef, b: URIRef) -> list[Step]:
    """The shortest chain of links between two entities, in either direction.

    Of several shortest chains, the one whose nodes come first in IRI order,
    step by step from ``a``: the network view walks the same rule, so that
    both give the same answer.
    """
    if a == b:
        return []
    undirected = nx.Graph(net)
    if a not in undirected or b not in undirected:
        raise UsageError(_NOT_CONNECTED)
    distance = nx.single_source_shortest_path_length(undirected, b)
    if a not in distance:
        raise UsageError(_NOT_CONNECTED)
    nodes = [a]
    while nodes[-1] != b:
        here = nodes[-1]
        nodes.append(min((n for n in undirected[here] if distance.get(n) == distance[here] - 1), key=str))
    steps = []
    for x, y in pairwise(nodes):
        if net.has_edge(x, y):
            predicate = sorted(net[x][y])[0]
            steps.append(Step(x, predicate, y, True))
        else:
            predicate = sorted(net[y][x])[0]
            steps.append(Step(y, predicate, x, False))
    return steps


def describe_path(steps: list[Step], start: URIRef, names: dict[URIRef, str], relations: dict[URIRef, str]) -> str:
    """``聚合顺 <-[承担单位]- 聚合顺50万吨尼龙新材料项目 -[服务产业链群]-> …``"""
    parts = [names.get(start, str(start))]
    for step in steps:
        rel = relations.get(step.predicate, str(step.predicate))
        if step.forward:
            parts.append(f"-[{rel}]-> {names.get(step.target, str(step.target))}")
        else:
            parts.append(f"<-[{rel}]- {names.get(step.source, str(step.source))}")
    return " ".join(parts)


def centrality(net: nx.MultiDiGraph, *, top: int = 10) -> list[tuple[URIRef, float, int]]:
    """Entities ranked by betweenness centrality on the undirected network:
    (entity, score, degree), highest first, ties broken by degree then IRI."""
    undirected = nx.Graph(net)
    scores = nx.betweenness_centrality(undirected, normalized=True)
    ranked = sorted(scores, key=lambda n: (-scores[n], -undirected.degree(n), str(n)))
    return [(n, scores[n], undirected.degree(n)) for n in ranked[:top]]
