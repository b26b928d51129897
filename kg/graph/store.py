"""The queryable graph: asserted data + ontology + materialized entailments,
held in a pyoxigraph store (default engine) and, on demand, in rdflib graphs
(``--engine rdflib``, the network view, the explorer's pages).

The store holds all three parts in its default graph. (Named graphs queried
as a union default graph were tried: on an on-disk store of 4.6 million
triples that made a bound lookup 75 times slower, 1,092 ms against 14.6 ms,
and Oxigraph's union does not remove a triple present in two graphs.) A
graph is either built in memory from the authored data (:func:`load_graph`)
or opened from an on-disk store (:mod:`kg.graph.persist`); then the rdflib views
are built from the same inputs, only when something asks for them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.documents.records import Corpus
    from kg.documents.spans import SourceText
    from kg.documents.texts import Sources


class Engine(StrEnum):
    """Where a query runs."""

    OXIGRAPH = "oxigraph"
    RDFLIB = "rdflib"


class Part(StrEnum):
    """The parts of the graph."""

    ASSERTED = "asserted"
    ONTOLOGY = "ontology"
    INFERRED = "inferred"


#: Named graphs of a prepared store that keep the asserted triples and the
#: ontology apart (the default graph holds everything, for queries), so that
#: the explorer and ``path`` read them from the store instead of rebuilding.
ASSERTED_GRAPH = "urn:x-linzi-kg:asserted"
ONTOLOGY_GRAPH = "urn:x-linzi-kg:ontology"


_NAMED = {Part.ASSERTED: ASSERTED_GRAPH, Part.ONTOLOGY: ONTOLOGY_GRAPH}


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
        texts: Mapping[str, SourceText] | None = None,
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
        #: Each document's text by document id, where it was found.
        self.texts: dict[str, SourceText] = dict(texts or {})
        self.location = location
        self._ox = store
        self._full: Graph | None = None

    def __repr__(self) -> str:
        where = f"store at {self.location}" if self.location else "in memory"
        return f"<KnowledgeGraph {where}>"

    @property
    def source(self) -> SourceText | None:
        """The text of the first document (of the only one, in a one-document graph)."""
        return next(iter(self.texts.values()), None)

    def text_of(self, node: object) -> SourceText | None:
        """The text that a document-scoped node (``id/<document>/span/...``) or a document IRI belongs to."""
        from kg.core.namespaces import ID

        name = str(node)
        if not name.startswith(str(ID)):
            return None
        return self.texts.get(name[len(str(ID)) :].split("/", 1)[0])

    def has_named_parts(self) -> bool:
        """Whether the store keeps the asserted triples in their own named graph (a prepared store)."""
        if self._ox is None:
            return False
        name = ox.NamedNode(ASSERTED_GRAPH)
        return next(iter(self._ox.quads_for_pattern(None, None, None, name)), None) is not None

    def part(self, part: Part) -> Graph:
        """One part as an rdflib graph: read from the store's named graph for a
        graph opened from disk; otherwise (the inferred part) made on first use."""
        graph = self._parts[part]
        if graph is None and self._ox is not None and part in _NAMED:
            from kg.graph.storeview import store_graph

            name = ox.NamedNode(_NAMED[part])
            if next(iter(self._ox.quads_for_pattern(None, None, None, name)), None) is not None:
                graph = store_graph(self._ox, name)
                self._parts[part] = graph
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
        """Asserted + ontology + inferred triples in one rdflib graph (cached;
        for a graph opened from disk, a view of the store's default graph)."""
        if self._full is None and self._ox is not None and self._views is not None:
            from kg.graph.storeview import store_graph

            self._full = store_graph(self._ox)
        if self._full is None:
            from kg.rdf.build import new_graph

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


def fill(store: ox.Store, *graphs: Graph, to_graph: str | None = None) -> None:
    """Bulk-load rdflib graphs into the default graph of ``store`` (or the named graph ``to_graph``)."""
    for graph in graphs:
        data = graph.serialize(format="nt", encoding="utf-8")
        if to_graph is None:
            store.bulk_load(data, ox.RdfFormat.N_TRIPLES)
        else:
            store.bulk_load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(to_graph))


def load_graph(
    *,
    data_dir: str | os.PathLike[str] | None = None,
    source: Sources = None,
    extra: Sequence[str | os.PathLike[str]] = (),
    store: str | os.PathLike[str] | None = None,
    document: str | None = None,
) -> KnowledgeGraph:
    """Build the queryable graph from the authored data, in memory, or open
    it from the on-disk store in the directory ``store`` (see
    :mod:`kg.graph.persist`), building that first if missing or out of date.

    The article text is attached when it can be found (to show the sentence
    of a span); ``extra`` RDF files are added to the asserted triples.

    >>> kg = load_graph()
    >>> len(kg.inferred) > 0
    True
    """
    if store is not None:
        from kg.graph.persist import open_graph

        return open_graph(store, data_dir=data_dir, source=source, extra=extra, document=document)
    from kg.rdf.inference import entailments
    from kg.rdf.load import parse_file
    from kg.rdf.ontology import load_ontology
    from kg.rdf.pipeline import build

    result = build(data_dir=Path(data_dir) if data_dir else None, document=document, check_source=False, validate=False)
    asserted = result.graph
    for path in extra:
        for triple in parse_file(path):
            asserted.add(triple)
    texts = attach_texts(source, documents_of(result.corpus))
    ontology = load_ontology()
    return KnowledgeGraph(asserted, ontology, entailments(asserted, ontology), texts)


def as_queryable(graph: Graph, *, source: Sources = None) -> KnowledgeGraph:
    """An rdflib graph (built, or parsed from a file) ready for queries: the
    ontology and entailments added, each document's text attached when it is
    found and matches the graph's ``lz:sha256`` (else no sentences)."""
    from kg.core.namespaces import ID, LZ
    from kg.rdf.inference import entailments
    from kg.rdf.ontology import load_ontology

    ontology = load_ontology()
    wanted: dict[str, tuple[str, str | None]] = {}
    for doc, text in graph.subject_objects(LZ.text):
        sha = graph.value(text, LZ.sha256)
        name = graph.value(text, LZ.fileName)
        if sha is not None and str(doc).startswith(str(ID)):
            wanted[str(doc)[len(str(ID)) :]] = (str(sha), str(name) if name is not None else None)
    texts = attach_texts(source, wanted, strict=False)
    return KnowledgeGraph(graph, ontology, entailments(graph, ontology), texts)


def documents_of(corpus: Corpus) -> dict[str, tuple[str, str | None]]:
    """Document id -> (text digest, file name) for every document of a corpus."""
    out: dict[str, tuple[str, str | None]] = {}
    for doc in corpus.documents.values():
        assert doc.source is not None
        out[doc.id] = (doc.source.sha256, doc.source.file)
    return out


def attach_texts(
    source: Sources, wanted: Mapping[str, tuple[str, str | None]], *, strict: bool = True
) -> dict[str, SourceText]:
    """The texts that can be found, by document id. A text file given by name
    that is no document's text is an error (when ``strict``); a text not found
    is left out (the pages then show offsets without sentences)."""
    from kg.documents.texts import digest, load_text, sources_list
    from kg.errors import SourceTextError

    given = sources_list(source)
    if strict:
        known = {sha for sha, _ in wanted.values()}
        for path in map(Path, given):
            if path.is_file() and digest(path) not in known:
                raise SourceTextError(f"{path}: SHA-256 is {digest(path)}, the text of no document here")
            if not path.exists():
                raise SourceTextError(f"source text not found: {path} (given with --source)")
    texts: dict[str, SourceText] = {}
    for doc, (sha, name) in wanted.items():
        try:
            texts[doc] = load_text(sha, name=name, sources=given)
        except SourceTextError:
            continue
    return texts
