"""The entailments that queries rely on, materialized at build time.

Only what makes answers honour the ontology: ``rdf:type`` through
``rdfs:subClassOf`` (a school project is a ``lz:Project``), triples through
``rdfs:subPropertyOf`` (``lz:reporter`` is a ``schema:author``),
``owl:TransitiveProperty`` (``skos:broaderTransitive`` from a chain to the 456
group; queries join on it instead of ``*`` paths, which some stores get
wrong), and ``owl:inverseOf`` (``lz:carries`` from ``lz:carriedOutBy``). Full OWL-RL
(owlrl) adds thousands of triples nobody queries (reflexive ``owl:sameAs``,
every literal's datatype) and takes seconds; this takes milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class Rules:
    """The ontology's entailment rules, keyed by IRI string so that rdflib and
    pyoxigraph terms share one implementation."""

    classes: dict[str, tuple[str, ...]]
    properties: dict[str, tuple[str, ...]]
    inverses: dict[str, tuple[str, ...]]
    transitive: tuple[str, ...] = ()

    @classmethod
    def from_ontology(cls, ontology: Graph) -> Rules:
        """Read the subclass, subproperty and inverse axioms of ``ontology``."""
        props = _closure(
            [
                (s, o)
                for s, o in ontology.subject_objects(RDFS.subPropertyOf)
                if isinstance(s, URIRef) and isinstance(o, URIRef)
            ]
        )
        inverse: dict[str, set[str]] = defaultdict(set)
        for p, q in ontology.subject_objects(OWL.inverseOf):
            if isinstance(p, URIRef) and isinstance(q, URIRef):
                inverse[str(p)].add(str(q))
                inverse[str(q)].add(str(p))
        return cls(
            {str(c): tuple(sorted(map(str, s))) for c, s in superclasses(ontology).items()},
            {str(p): tuple(sorted(map(str, s))) for p, s in props.items()},
            {str(p): tuple(sorted(s)) for p, s in inverse.items()},
            tuple(sorted(str(p) for p in ontology.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(p, URIRef))),
        )

    def expand(self, predicate: str, obj: str | None) -> Iterator[tuple[bool, str, str | None]]:
        """What ``s predicate obj`` entails, as ``(reversed, predicate, object)``:
        ``obj`` is the object's IRI (None for a literal or blank node); a
        reversed entailment is ``obj predicate s``; an object of None means "the
        same object as the premise"."""
        if predicate == _TYPE:
            if obj is not None:
                for cls in self.classes.get(obj, ()):
                    yield False, _TYPE, cls
            return
        props = (predicate, *self.properties.get(predicate, ()))
        for q in props[1:]:
            yield False, q, None
        if obj is not None:
            for q in props:
                for inv in self.inverses.get(q, ()):
                    yield True, inv, None

    def updates(self) -> list[str]:
        """SPARQL updates that add to a store's default graph what its triples
        entail: the same rules as :meth:`expand`, run inside the store, for
        graphs too large for rdflib. Run them before the ontology is loaded,
        so that only the data's triples are premises (as for :func:`entailments`)."""

        def pairs(table: dict[str, tuple[str, ...]]) -> str:
            return " ".join(f"(<{a}> <{b}>)" for a, bs in sorted(table.items()) for b in bs) or "(UNDEF UNDEF)"

        # The IRIs come from our own ontology, never from a user.
        classes, props, inverses = pairs(self.classes), pairs(self.properties), pairs(self.inverses)
        return [
            f"INSERT {{ ?s a ?c2 }} WHERE {{ VALUES (?c ?c2) {{ {classes} }} ?s a ?c }}",  # noqa: S608
            f"INSERT {{ ?s ?q ?o }} WHERE {{ VALUES (?p ?q) {{ {props} }} ?s ?p ?o }}",  # noqa: S608
            # After the sub-properties (broader feeds broaderTransitive); a path
            # here is safe: this runs in pyoxigraph, which evaluates them right.
            *(f"INSERT {{ ?s <{t}> ?o }} WHERE {{ ?s <{t}>+ ?o FILTER(?s != ?o) }}" for t in self.transitive),
            # After the line above, so that super-properties' inverses are included.
            f"INSERT {{ ?o ?inv ?s }} WHERE {{ VALUES (?q ?inv) {{ {inverses} }} ?s ?q ?o FILTER(isIRI(?o)) }}",  # noqa: S608
        ]


_TYPE = str(RDF.type)


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
    rules = Rules.from_ontology(ontology)
    out = Graph()

    def add(s: Any, p: URIRef, o: Any) -> None:
        for backwards, q, obj in rules.expand(str(p), str(o) if isinstance(o, URIRef) else None):
            target = o if obj is None else URIRef(obj)
            out.add((target, URIRef(q), s) if backwards else (s, URIRef(q), target))

    for s, p, o in data:
        if isinstance(p, URIRef):
            add(s, p, o)
    # The closure of each transitive property over what the pass above gave
    # (and the data), then what each new link entails in turn (its inverses).
    for name in rules.transitive:
        t = URIRef(name)
        pairs = [pair for g in (data, out) for pair in g.subject_objects(t)]
        links = [(s, o) for s, o in pairs if isinstance(s, URIRef) and isinstance(o, URIRef)]
        for s, reach in _closure(links).items():
            for o in reach:
                if (s, t, o) not in out and (s, t, o) not in data:
                    out.add((s, t, o))
                    add(s, t, o)
    return out - data  # type: ignore[no-any-return,unused-ignore]
