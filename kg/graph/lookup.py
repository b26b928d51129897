"""Find entities by what people call them: a Chinese or English label, the
article's wording, or an IRI (full, or relative to ``id/``)."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from kg.core.namespaces import ID, LZ, SKOS
from kg.errors import UsageError
from kg.graph.store import KnowledgeGraph

# A KnowledgeGraph is searched through its pyoxigraph store, so that a graph
# opened from disk never has to be copied into rdflib for a name or a label.
Names = Graph | KnowledgeGraph


class EntityNotFound(UsageError):
    """No entity matches the name (``name``)."""

    http_status = 404

    def __init__(self, message: str, *, name: str = "") -> None:
        super().__init__(message)
        self.name = name


class AmbiguousEntity(UsageError):
    """Several entities match the name; the message lists them, ``candidates`` holds them."""

    def __init__(self, message: str, *, name: str = "", candidates: tuple[URIRef, ...] = ()) -> None:
        super().__init__(message)
        self.name = name
        self.candidates = candidates


_NAME_PROPS = (RDFS.label, LZ.sourceTerm, SKOS.altLabel)


def label(graph: Names, node: URIRef, lang: str = "zh") -> str | None:
    """The node's label in ``lang``, else in any language, else None."""
    fallback = None
    for text, language in _labels(graph, node):
        if language == lang:
            return text
        fallback = fallback or text
    return fallback


def _labels(graph: Names, node: URIRef) -> list[tuple[str, str | None]]:
    if isinstance(graph, Graph):
        return [(str(lit), getattr(lit, "language", None)) for lit in graph.objects(node, RDFS.label)]
    import pyoxigraph as ox

    found = graph.oxigraph().quads_for_pattern(ox.NamedNode(str(node)), ox.NamedNode(str(RDFS.label)), None)
    return sorted({(q.object.value, q.object.language) for q in found if isinstance(q.object, ox.Literal)})


_NAMES_QUERY = f"""SELECT ?node ?name WHERE {{
  ?node <{LZ.sourceTerm}> [] .
  VALUES ?p {{ {" ".join(f"<{p}>" for p in _NAME_PROPS)} }}
  ?node ?p ?name .
  FILTER(isIRI(?node))
}}"""


def _exact_in_store(kg: KnowledgeGraph, text: str) -> URIRef | None:
    """The one entity whose name is exactly ``text`` (or whose IRI it is), by
    index lookups: on a large store, reading every name takes a second."""
    import pyoxigraph as ox

    store = kg.oxigraph()
    term = ox.NamedNode(str(LZ.sourceTerm))
    if not any(ch.isspace() or ch in '<>"{}|^`\\' for ch in text):
        for iri in (text, str(ID) + text):
            try:
                node = ox.NamedNode(iri)
            except ValueError:
                continue
            if next(iter(store.quads_for_pattern(node, term, None)), None) is not None:
                return URIRef(iri)
    found: set[str] = set()
    for literal in (ox.Literal(text, language="zh"), ox.Literal(text, language="en"), ox.Literal(text)):
        for prop in _NAME_PROPS:
            for quad in store.quads_for_pattern(None, ox.NamedNode(str(prop)), literal):
                subject = quad.subject
                if isinstance(subject, ox.NamedNode) and next(iter(store.quads_for_pattern(subject, term, None)), None):
                    found.add(subject.value)
    return URIRef(found.pop()) if len(found) == 1 else None


def _candidates(graph: Names) -> dict[URIRef, set[str]]:
    names: dict[URIRef, set[str]] = {}
    if isinstance(graph, KnowledgeGraph):
        import pyoxigraph as ox

        rows = graph.oxigraph().query(_NAMES_QUERY)
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            node, name = row[0], row[1]
            assert isinstance(node, ox.NamedNode) and isinstance(name, ox.Literal)
            names.setdefault(URIRef(node.value), set()).add(name.value.casefold())
        return names
    for node in set(graph.subjects(LZ.sourceTerm, None)):
        if isinstance(node, URIRef):
            names[node] = {str(o).casefold() for p in _NAME_PROPS for o in graph.objects(node, p)}
    return names


def find_entity(graph: Names, name: str) -> URIRef:
    """The one entity called ``name``; raises :class:`EntityNotFound` or :class:`AmbiguousEntity`.

    >>> from kg.rdf.pipeline import build
    >>> g = build(validate=False, check_source=False).graph
    >>> str(find_entity(g, "Juheshun"))
    'https://w3id.org/linzi-kg/id/enterprise/juheshun'
    """
    text = name.strip()
    if not text:
        raise EntityNotFound("an entity name must not be empty")
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if isinstance(graph, KnowledgeGraph):
        quick = _exact_in_store(graph, text)
        if quick is not None:
            return quick
    names = _candidates(graph)
    if not any(ch.isspace() or ch in '<>"{}|^`\\' for ch in text):
        for iri in (URIRef(text), URIRef(str(ID) + text)):
            if iri in names:
                return iri
    wanted = text.casefold()
    exact = sorted(node for node, ns in names.items() if wanted in ns)
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise AmbiguousEntity(
            f"{name!r} names {len(exact)} entities: " + _listing(graph, exact), name=text, candidates=tuple(exact)
        )
    partial = sorted(node for node, ns in names.items() if any(wanted in n for n in ns))
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise AmbiguousEntity(
            f"{name!r} matches {len(partial)} entities; be more specific: " + _listing(graph, partial),
            name=text,
            candidates=tuple(partial),
        )
    raise EntityNotFound(f"no entity is called {name!r} (give a Chinese or English label, or an IRI)", name=text)


def _listing(graph: Names, nodes: list[URIRef], limit: int = 12) -> str:
    shown = [f"{label(graph, n) or n} <{n}>" for n in nodes[:limit]]
    more = f" and {len(nodes) - limit} more" if len(nodes) > limit else ""
    return "; ".join(shown) + more


class DocumentNotFound(UsageError):
    """No document has that id."""

    http_status = 404


def documents(graph: Names) -> list[URIRef]:
    """The ``lz:Document`` nodes of the graph, in IRI order."""
    from rdflib.namespace import RDF

    if isinstance(graph, KnowledgeGraph):
        import pyoxigraph as ox

        found = graph.oxigraph().quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(LZ.Document)))
        return sorted(URIRef(q.subject.value) for q in found if isinstance(q.subject, ox.NamedNode))
    return sorted(n for n in graph.subjects(RDF.type, LZ.Document) if isinstance(n, URIRef))


def find_document(graph: Names, name: str) -> URIRef:
    """A document by id (``linzi-2023``) or IRI; :class:`DocumentNotFound` lists the known ones.

    >>> from kg.rdf.pipeline import build
    >>> str(find_document(build(validate=False, check_source=False).graph, "linzi-2023"))
    'https://w3id.org/linzi-kg/id/linzi-2023'
    """
    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    known = documents(graph)
    for iri in (URIRef(text), URIRef(str(ID) + text)):
        if iri in known:
            return iri
    ids = ", ".join(str(d)[len(str(ID)) :] for d in known) or "none"
    raise DocumentNotFound(f"no document {name!r}; documents: {ids}")
