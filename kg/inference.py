"""The entailments that queries rely on, materialized at build time.

Only what makes answers honour the ontology: ``rdf:type`` through
``rdfs:subClassOf`` (a school project is a ``lz:Project``), triples through
``rdfs:subPropertyOf`` (``lz:reporter`` is a ``schema:author``), and
``owl:inverseOf`` (``lz:carries`` from ``lz:carriedOutBy``). Full OWL-RL
(owlrl) adds thousands of triples nobody queries (reflexive ``owl:sameAs``,
every literal's datatype) and takes seconds; this takes milliseconds.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS


def _closure(pairs: list[tuple[URIRef, URIRef]]) -> dict[URIRef, set[URIRef]]:
    """For each node, every node reachable through the (child, parent) pairs."""
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for child, parent in pairs:
        parents[child].add(parent)
    out: dict[URIRef, set[URIRef]] = {}
    for start in list(parents):
        seen: set[URIRef] = set()
        todo = list(parents[start])
        while todo:
            node = todo.pop()
            if node not in seen and node != start:
                seen.add(node)
                todo.extend(parents.get(node, ()))
        out[start] = seen
    return out


def superclasses(ontology: Graph) -> dict[URIRef, set[URIRef]]:
    """Every class's superclasses (transitively) according to ``ontology``."""
    return _closure(
        [
            (s, o)
            for s, o in ontology.subject_objects(RDFS.subClassOf)
            if isinstance(s, URIRef) and isinstance(o, URIRef)
        ]
    )


def entailments(data: Graph, ontology: Graph) -> Graph:
    """The triples entailed by ``data`` + ``ontology`` and not asserted in ``data``.

    >>> from rdflib import Graph, URIRef
    >>> from rdflib.namespace import RDF, RDFS
    >>> o, d = Graph(), Graph()
    >>> _ = o.add((URIRef("urn:School"), RDFS.subClassOf, URIRef("urn:Project")))
    >>> _ = d.add((URIRef("urn:x"), RDF.type, URIRef("urn:School")))
    >>> [str(t[2]) for t in entailments(d, o)]
    ['urn:Project']
    """
    supers = superclasses(ontology)
    superprops = _closure(
        [
            (s, o)
            for s, o in ontology.subject_objects(RDFS.subPropertyOf)
            if isinstance(s, URIRef) and isinstance(o, URIRef)
        ]
    )
    inverse: dict[URIRef, set[URIRef]] = defaultdict(set)
    for p, q in ontology.subject_objects(OWL.inverseOf):
        if isinstance(p, URIRef) and isinstance(q, URIRef):
            inverse[p].add(q)
            inverse[q].add(p)
    out = Graph()
    for s, p, o in data:
        if p == RDF.type and isinstance(o, URIRef):
            for cls in supers.get(o, ()):
                out.add((s, RDF.type, cls))
            continue
        if not isinstance(p, URIRef):
            continue
        props = {p} | superprops.get(p, set())
        for q in props - {p}:
            out.add((s, q, o))
        for q in props:
            for inv in inverse.get(q, ()):
                if isinstance(o, URIRef):
                    out.add((o, inv, s))
    return out - data  # type: ignore[no-any-return]
