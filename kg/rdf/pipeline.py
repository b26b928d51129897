"""The main job as one call: read the YAML, check spans, build, validate.

>>> result = build(validate=False)
>>> len(result.graph) > 1000
True
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.documents.records import Corpus, Dataset, load_corpus
from kg.documents.spans import SourceText, check_spans
from kg.documents.texts import PathLike, Sources, digest, load_text, sources_list
from kg.errors import DataError, SourceTextError, ValidationError
from kg.rdf.build import build_graph
from kg.rdf.shacl import ValidationReport, shacl_violations


@dataclass
class BuildResult:
    """The built graph and what was checked on the way."""

    graph: Graph
    corpus: Corpus
    #: Each document's text by document id (only when the spans were checked).
    texts: dict[str, SourceText]
    report: ValidationReport | None

    @property
    def dataset(self) -> Dataset:
        """The first document (the one document of a one-document build)."""
        return next(iter(self.corpus.documents.values()))

    @property
    def source(self) -> SourceText | None:
        """The first document's text, when it was read."""
        return self.texts.get(self.dataset.id)


def check_given_files(corpus: Corpus, sources: Sequence[PathLike]) -> None:
    """A text file given by name must be the text of some document: say so when it is not."""
    known = {d.source.sha256: d.id for d in corpus.documents.values() if d.source is not None}
    for given in sources:
        path = Path(given)
        if path.is_dir():
            continue
        if not path.is_file():
            raise SourceTextError(f"source text not found: {path} (given with --source)")
        sha = digest(path)
        if sha not in known:
            docs = ", ".join(f"{doc} ({s[:12]}…)" for s, doc in known.items())
            raise SourceTextError(
                f"{path}: SHA-256 is {sha}, the text of no document here; the documents' texts are {docs}"
            )


def read_texts(corpus: Corpus, sources: Sequence[PathLike] = ()) -> dict[str, SourceText]:
    """Every document's text, found by digest (see :mod:`kg.documents.texts`)."""
    check_given_files(corpus, sources)
    texts: dict[str, SourceText] = {}
    for doc in corpus.documents.values():
        assert doc.source is not None
        texts[doc.id] = load_text(doc.source.sha256, name=doc.source.file, sources=sources)
    return texts


def build(
    *,
    data_dir: str | os.PathLike[str] | None = None,
    source: Sources = None,
    document: str | None = None,
    check_source: bool = True,
    validate: bool = True,
) -> BuildResult:
    """Build the graph from the authored data: every document, or ``document`` alone.

    ``check_source`` finds each document's text by its digest (in ``source``:
    files or directories, then the search path of :mod:`kg.documents.texts`), resolves
    every span against it and fails listing every bad one; ``validate`` runs
    the SHACL shapes and fails on violations. Raises :class:`DataError`,
    :class:`~kg.errors.SourceTextError` or :class:`ValidationError`.
    """
    corpus = load_corpus(Path(data_dir) if data_dir is not None else None).only(document)
    texts: dict[str, SourceText] = {}
    report = ValidationReport()
    if check_source:
        texts = read_texts(corpus, sources_list(source))
        problems = [p for doc in corpus.documents.values() for p in check_spans(doc, texts[doc.id])]
        if problems:
            raise DataError(problems)
        report.span_check_done = True
    graph = build_graph(corpus)
    if validate:
        report.shacl_results = shacl_violations(graph)
        if report.shacl_results:
            raise ValidationError(report.text(), report)
    return BuildResult(graph, corpus, texts, report if (validate or check_source) else None)
