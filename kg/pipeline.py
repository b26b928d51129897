"""The main job as one call: read the YAML, check spans, build, validate.

>>> result = build(validate=False)
>>> len(result.graph) > 1000
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.authoring import Dataset, load_dataset
from kg.build import build_graph
from kg.errors import DataError, ValidationError
from kg.provenance import SourceText, check_spans, read_source
from kg.validate import ValidationReport, shacl_violations


@dataclass
class BuildResult:
    """The built graph and what was checked on the way."""

    graph: Graph
    dataset: Dataset
    source: SourceText | None
    report: ValidationReport | None


def build(
    *,
    data_dir: str | os.PathLike[str] | None = None,
    source: str | os.PathLike[str] | None = None,
    check_source: bool = True,
    validate: bool = True,
) -> BuildResult:
    """Build the graph from the authored data.

    ``check_source`` resolves every span against the article text (found as
    :func:`kg.resources.find_source` says) and fails on the first bad one;
    ``validate`` runs the SHACL shapes and fails on violations. Raises
    :class:`DataError`, :class:`~kg.errors.SourceTextError` or
    :class:`ValidationError`.
    """
    dataset = load_dataset(Path(data_dir) if data_dir is not None else None)
    text: SourceText | None = None
    report = ValidationReport()
    if check_source:
        assert dataset.source is not None
        text = read_source(source, expected_sha256=dataset.source.sha256)
        problems = check_spans(dataset, text)
        if problems:
            raise DataError(problems)
        report.span_check_done = True
    graph = build_graph(dataset)
    if validate:
        report.shacl_results = shacl_violations(graph)
        if report.shacl_results:
            raise ValidationError(report.text(), report)
    return BuildResult(graph, dataset, text, report if (validate or check_source) else None)
