"""Findings as RDF: one ``dqv:QualityAnnotation`` (an ``oa:Annotation``) per
finding, targeting every figure it cites, with the verdict, rule, formula and
explanation, so the judgement travels with the graph.

>>> from kg.graph.store import load_graph
>>> from kg.checks import check
>>> g = findings_graph(check(load_graph()))
>>> len(set(g.subjects(RDF.type, DQV.QualityAnnotation))) >= 3
True
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.checks.engine import CheckReport
from kg.checks.verdict import Verdict
from kg.core.namespaces import DQV, ID, LZ, OA, PREFIXES, PROV

VERDICT_TERMS: dict[Verdict, URIRef] = {
    Verdict.CONSISTENT: LZ.Consistent,
    Verdict.ROUNDING: LZ.ConsistentWithinRounding,
    Verdict.LOOSE: LZ.LooseBounds,
    Verdict.BASIS: LZ.ExplainedByBasis,
    Verdict.CONTRADICTION: LZ.Contradiction,
}
CHECKER = ID["agent/linzi-kg-check"]


def finding_iri(finding_id: str) -> URIRef:
    return ID[f"finding/{finding_id}"]


def findings_graph(report: CheckReport) -> Graph:
    """The findings of ``report`` as a graph of quality annotations."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("dqv", DQV)
    g.add((CHECKER, RDF.type, PROV.SoftwareAgent))
    g.add((CHECKER, RDFS.label, Literal("linzi-kg check", lang="en")))
    for f in report.findings:
        node = finding_iri(f.id)
        g.add((node, RDF.type, DQV.QualityAnnotation))
        g.add((node, RDF.type, OA.Annotation))
        g.add((node, OA.motivatedBy, OA.assessing))
        for c in f.cited:
            g.add((node, OA.hasTarget, URIRef(c.figure.iri)))
            g.add((URIRef(c.figure.iri), DQV.hasQualityAnnotation, node))
        g.add((node, LZ.verdict, VERDICT_TERMS[f.verdict]))
        g.add((node, LZ.checkRule, Literal(f.rule.id, datatype=XSD.string)))
        g.add((node, LZ.formula, Literal(f.formula, datatype=XSD.string)))
        g.add((node, OA.bodyValue, Literal(f.explanation, lang="en")))
        g.add((node, RDFS.label, Literal(f"{f.rule.id}: {f.verdict.zh}", lang="zh")))
        g.add((node, PROV.wasAttributedTo, CHECKER))
        if f.suppressed is not None:
            g.add((node, SKOS.note, Literal(f"suppressed: {f.suppressed.reason} ({f.suppressed.reviewer})", lang="en")))
    return g
