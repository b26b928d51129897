"""The queryable graph: asserted data + ontology + materialized entailments,
held in a pyoxigraph store (default engine) and, on demand, in rdflib graphs
(``--engine rdflib``, the network view, the explorer's pages).

The store holds all three parts in its default graph. (Named graphs queried
as a union default graph were tried: on an on-disk store of 4.6 million
triples that made a bound lookup 75 times slower, 1,092 ms against 14.6 ms,
and Oxigraph's union does not remove a triple present in two graphs.) A
graph is either built in memory from the authored data (:func:`load_graph`)
or opened from an on-disk store (:mod:`kg.persist`); then the rdflib views
are built from the same inputs, only when something asks for them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.provenance import SourceText


class Engine(StrEnum):
    """Where a query runs."""

    OXIGRAPH = "oxigraph"
    RDFLIB = "rdflib"


class Part(StrEnum):
    """The parts of the graph."""

    ASSERTED = "asserted"
    ONTOLOGY = "ontology"
    INFERRED = "inferred"


class KnowledgeGraph:
    """The graph ready for queries.

    ``asserted`` is what the article states (and what ``export`` writes),
    plus any ``--data`` files; ``inferred`` the RDFS entailments; queries see
    both plus the ontology.
    """

    def __init__(
        self,
        asserted: Graph | None = None,
        ontology: Graph | None = None,
        inferred: Graph | None = None,
        source: SourceText | None = None,
        *,
        store: ox.Store | None = None,
        location: Path | None = None,
        views: Callable[[], KnowledgeGraph] | None = None,
    ) -> None:
        if views is None and None in (asserted, ontology, inferred):
            raise ValueError("give the three parts, or a function that makes them")
        self._views = views
        self._parts: dict[Part, Graph | None] = {
            Part.ASSERTED: asserted,
            Part.ONTOLOGY: ontology,
            Part.INFERRED: inferred,
        }
        self.source = source
        self.location = location
        self._ox = store
        self._full: Graph | None = None

    def __repr__(self) -> str:
        where = f"store at {self.location}" if self.location else "in memory"
        return f"<KnowledgeGraph {where}>"

    def part(self, part: Part) -> Graph:
        """One part as an rdflib graph (made on first use for a graph opened from disk)."""
        graph = self._parts[part]
        if graph is None:
            assert self._views is not None
            memory = self._views()
            for p in Part:
                self._parts[p] = memory.part(p)
            graph = memory.part(part)
        return graph

    @property
    def asserted(self) -> Graph:
        return self.part(Part.ASSERTED)

    @property
    def ontology(self) -> Graph:
        return self.part(Part.ONTOLOGY)

    @property
    def inferred(self) -> Graph:
        return self.part(Part.INFERRED)

    def full_graph(self) -> Graph:
        """Asserted + ontology + inferred triples in one rdflib graph (cached)."""
        if self._full is None:
            from kg.build import new_graph

            g = new_graph()
            for part in Part:
                for triple in self.part(part):
                    g.add(triple)
            self._full = g
        return self._full

    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store (in memory, built on first use, unless opened from disk)."""
        if self._ox is None:
            store = ox.Store()
            fill(store, *(self.part(part) for part in Part))
            self._ox = store
        return self._ox


def fill(store: ox.Store, *graphs: Graph) -> None:
    """Bulk-load rdflib graphs into the default graph of ``store``."""
    for graph in graphs:
        store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)


def load_graph(
    *,
    data_dir: str | os.PathLike[str] | None = None,
    source: str | os.PathLike[str] | None = None,
    extra: Sequence[str | os.PathLike[str]] = (),
    store: str | os.PathLike[str] | None = None,
) -> KnowledgeGraph:
    """Build the queryable graph from the authored data, in memory, or open
    it from the on-disk store in the directory ``store`` (see
    :mod:`kg.persist`), building that first if missing or out of date.

    The article text is attached when it can be found (to show the sentence
    of a span); ``extra`` RDF files are added to the asserted triples.

    >>> kg = load_graph()
    >>> len(kg.inferred) > 0
    True
    """
    if store is not None:
        from kg.persist import open_graph

        return open_graph(store, data_dir=data_dir, source=source, extra=extra)
    from kg.inference import entailments
    from kg.load import parse_file
    from kg.pipeline import build
    from kg.schema import load_ontology

    result = build(data_dir=Path(data_dir) if data_dir else None, check_source=False, validate=False)
    asserted = result.graph
    for path in extra:
        for triple in parse_file(path):
            asserted.add(triple)
    assert result.dataset.source is not None
    text = attach_source(source, result.dataset.source.sha256)
    ontology = load_ontology()
    return KnowledgeGraph(asserted, ontology, entailments(asserted, ontology), text)


def as_queryable(graph: Graph, *, source: str | os.PathLike[str] | None = None) -> KnowledgeGraph:
    """An rdflib graph (built, or parsed from a file) ready for queries: the
    ontology and entailments added, the article attached when its text is
    found and matches the graph's ``lz:sha256`` (else no sentences)."""
    from kg.errors import KGError
    from kg.inference import entailments
    from kg.namespaces import LZ
    from kg.schema import load_ontology

    ontology = load_ontology()
    text = None
    for sha in sorted(str(s) for s in graph.objects(None, LZ.sha256)):
        try:
            text = attach_source(source, sha)
        except KGError:
            text = None
        if text is not None:
            break
    return KnowledgeGraph(graph, ontology, entailments(graph, ontology), text)


def attach_source(source: str | os.PathLike[str] | None, sha256: str) -> SourceText | None:
    """The article text if it can be found (an explicit path must exist and match)."""
    from kg.errors import SourceTextError
    from kg.provenance import read_source

    try:
        return read_source(source, expected_sha256=sha256)
    except SourceTextError:
        if source is not None:
            raise
        return None
