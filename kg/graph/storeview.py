"""rdflib graphs that read straight from a pyoxigraph store, without copying it.

The explorer's pages, ``path``, ``central`` and ``viz`` walk the graph with
rdflib's API (``value``, ``objects``, ``triples``). On a graph opened from an
on-disk store they used to rebuild rdflib views from the YAML and the
``--data`` files (20 s and 595 MB for 50 reports); a view here answers each
pattern from the store's indexes instead. It is read-only.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x")))
>>> g = store_graph(store)
>>> str(g.value(URIRef("http://e/a"), URIRef("http://e/p")))
'x'
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.store import Store
from rdflib.term import Node

from kg.core.terms import from_ox as to_rdflib
from kg.core.terms import to_ox


def to_oxigraph(term: Node | None) -> Any:
    """An rdflib term as a pyoxigraph term (None stays None: a wildcard)."""
    return None if term is None else to_ox(term)


class OxigraphView(Store):
    """A read-only rdflib store over one graph of a pyoxigraph store."""

    context_aware = False
    formula_aware = False
    transaction_aware = False
    graph_aware = False

    def __init__(self, store: ox.Store, graph_name: ox.NamedNode | None = None) -> None:
        super().__init__()
        self._store = store
        self._graph = graph_name if graph_name is not None else ox.DefaultGraph()
        self._prefixes: dict[str, URIRef] = {}

    def triples(  # type: ignore[override]
        self, triple_pattern: tuple[Node | None, Node | None, Node | None], context: Any = None
    ) -> Iterator[tuple[tuple[Node, Node, Node], Iterator[Any]]]:
        s, p, o = triple_pattern
        try:
            pattern = (to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
        except (TypeError, ValueError):
            return  # a term the store cannot hold matches nothing
        if isinstance(pattern[1], ox.Literal) or isinstance(pattern[0], ox.Literal):
            return
        for quad in self._store.quads_for_pattern(*pattern, self._graph):
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)), iter(())

    def __len__(self, context: Any = None) -> int:
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, self._graph))

    # Prefixes live in the view (rdflib's base store forgets them).
    def bind(self, prefix: str, namespace: Any, override: bool = True) -> None:
        if override or prefix not in self._prefixes:
            self._prefixes[prefix] = URIRef(str(namespace))

    def namespace(self, prefix: str) -> URIRef | None:  # type: ignore[override]
        return self._prefixes.get(prefix)

    def prefix(self, namespace: Any) -> str | None:  # type: ignore[override]
        return next((p for p, ns in self._prefixes.items() if str(ns) == str(namespace)), None)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:  # type: ignore[override]
        yield from self._prefixes.items()

    def contexts(self, triple: Any = None) -> Any:
        return iter(())

    def add(self, triple: Any, context: Any = None, quoted: bool = False) -> None:
        raise TypeError("a store view is read-only")

    def remove(self, triple: Any, context: Any = None) -> None:
        raise TypeError("a store view is read-only")


def store_graph(store: ox.Store, graph_name: ox.NamedNode | None = None) -> Graph:
    """An rdflib :class:`Graph` reading one graph of ``store`` (default: its default graph)."""
    from kg.core.namespaces import PREFIXES

    graph = Graph(store=OxigraphView(store, graph_name), bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        graph.namespace_manager.bind(prefix, ns, override=True, replace=True)
    return graph
