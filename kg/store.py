"""The queryable graph: asserted data + ontology + materialized entailments,
held in an embedded pyoxigraph store (default engine) and, on demand, in an
rdflib graph (``--engine rdflib``)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.build import new_graph
from kg.provenance import SourceText


class Engine(StrEnum):
    """Where a query runs."""

    OXIGRAPH = "oxigraph"
    RDFLIB = "rdflib"


@dataclass
class KnowledgeGraph:
    """The graph ready for queries.

    ``asserted`` is what the article states (and what ``export`` writes);
    ``inferred`` the RDFS entailments; queries see both plus the ontology.
    """

    asserted: Graph
    ontology: Graph
    inferred: Graph
    source: SourceText | None = None
    _ox: ox.Store | None = field(default=None, repr=False)
    _rdflib: Graph | None = field(default=None, repr=False)

    def full_graph(self) -> Graph:
        """Asserted + ontology + inferred triples in one rdflib graph (cached)."""
        if self._rdflib is None:
            g = new_graph()
            for part in (self.asserted, self.ontology, self.inferred):
                for triple in part:
                    g.add(triple)
            self._rdflib = g
        return self._rdflib

    def oxigraph(self) -> ox.Store:
        """The embedded pyoxigraph store (built on first use)."""
        if self._ox is None:
            store = ox.Store()
            data = self.full_graph().serialize(format="nt", encoding="utf-8")
            store.bulk_load(data, ox.RdfFormat.N_TRIPLES)
            self._ox = store
        return self._ox


def load_graph(
    *,
    data_dir: str | os.PathLike[str] | None = None,
    source: str | os.PathLike[str] | None = None,
    extra: Sequence[str | Path] = (),
) -> KnowledgeGraph:
    """Build the queryable graph from the authored data.

    The article text is attached when it can be found (to show the sentence
    of a span); ``extra`` RDF files are added to the asserted triples.

    >>> kg = load_graph()
    >>> len(kg.inferred) > 0
    True
    """
    from kg.errors import SourceTextError
    from kg.inference import entailments
    from kg.load import parse_file
    from kg.pipeline import build
    from kg.provenance import read_source
    from kg.schema import load_ontology

    result = build(data_dir=Path(data_dir) if data_dir else None, check_source=False, validate=False)
    asserted = result.graph
    for path in extra:
        for triple in parse_file(path):
            asserted.add(triple)
    text: SourceText | None = None
    try:
        assert result.dataset.source is not None
        text = read_source(source, expected_sha256=result.dataset.source.sha256)
    except SourceTextError:
        if source is not None:
            raise
    ontology = load_ontology()
    return KnowledgeGraph(asserted, ontology, entailments(asserted, ontology), text)
