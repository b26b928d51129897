"""Validation: SHACL shapes (pySHACL) plus the span check against the source text."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from kg.errors import Problem


@dataclass
class ValidationReport:
    """The outcome of :func:`validate_graph`; ``ok`` when nothing is wrong."""

    shacl_results: list[str] = field(default_factory=list)
    span_problems: list[Problem] = field(default_factory=list)
    span_check_done: bool = False

    @property
    def ok(self) -> bool:
        return not self.shacl_results and not self.span_problems

    def text(self) -> str:
        """A readable report, one line per problem."""
        lines: list[str] = []
        if self.shacl_results:
            lines.append(f"SHACL: {len(self.shacl_results)} violation(s)")
            lines.extend(f"  {r}" for r in self.shacl_results)
        else:
            lines.append("SHACL: conforms")
        if not self.span_check_done:
            lines.append("spans: not checked (no source text)")
        elif self.span_problems:
            lines.append(f"spans: {len(self.span_problems)} problem(s)")
            lines.extend(f"  {p}" for p in self.span_problems)
        else:
            lines.append("spans: every span resolves and names its fact")
        return "\n".join(lines)


def shacl_violations(graph: Graph) -> list[str]:
    """Run the shapes of ``ontology/shapes.ttl`` over ``graph`` + the ontology."""
    import pyshacl  # heavy: imported only when validating

    from kg.core.namespaces import SH
    from kg.rdf.ontology import load_ontology, load_shapes

    data = Graph()
    for triple in graph:
        data.add(triple)
    for triple in load_ontology():
        data.add(triple)
    conforms, results, _ = pyshacl.validate(data, shacl_graph=load_shapes(), advanced=True, allow_warnings=False)
    if conforms:
        return []
    out = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        where = f"<{focus}>" + (f" {_short(path)}" if path is not None else "")
        out.append(f"{where}: {message}")
    return sorted(out)


def _short(term: object) -> str:
    from kg.core.namespaces import PREFIXES

    text = str(term)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return f"<{text}>"
