"""From the RDF graph to a networkx graph of entities, ready to draw.

A pure function: object properties between entities become edges; literal
properties, figures (Data Cube observations) and source spans are folded into
the node's details. Schema (classes), provenance (spans) and figure nodes are
left out unless asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.core.namespaces import LZ, OA, PROV, QB, SDMX_ATTR, SDMX_DIM, SDMX_MEASURE
from kg.core.terms import canonical
from kg.documents.spans import editorial_triples
from kg.graph.stats import curie
from kg.rdf.inference import superclasses

#: Colour groups of the legend: the first matching class wins (most specific first).
GROUPS: list[tuple[str, str, str, str, str]] = [
    # (class curie, group key, zh, en, colour)
    ("lz:Enterprise", "enterprise", "企业", "Enterprise", "#e4572e"),
    ("lz:EnterpriseUnit", "enterprise", "企业", "Enterprise", "#e4572e"),
    ("lz:ProjectGroup", "group", "项目组", "Project group", "#f3a712"),
    ("lz:IndustrialProject", "industrial", "产业项目", "Industrial project", "#f6c85f"),
    ("lz:EnvironmentalProject", "environment", "环保项目", "Environmental project", "#29a36a"),
    ("lz:EnergyProject", "energy", "能源项目", "Energy project", "#7bc043"),
    ("lz:Project", "project", "民生与城建项目", "Public works project", "#a0d2a0"),
    ("lz:IndustrialPark", "park", "产业园区", "Industrial park", "#b07aa1"),
    ("lz:ChainSet", "chain", "产业链群", "Chain set", "#c03c8a"),
    ("lz:Action", "action", "攻坚行动", "Action", "#2e86ab"),
    ("lz:FocusArea", "action", "攻坚行动", "Action", "#2e86ab"),
    ("lz:Framework", "framework", "战略提法", "Framework", "#5f7fbf"),
    ("lz:Industry", "framework", "战略提法", "Framework", "#5f7fbf"),
    ("lz:Challenge", "challenge", "问题挑战", "Challenge", "#8c564b"),
    ("lz:Goal", "goal", "目标任务", "Goal", "#16a085"),
    ("lz:Indicator", "indicator", "指标", "Indicator", "#9e9e9e"),
    ("lz:AdministrativeDivision", "place", "行政区", "Place", "#17becf"),
    ("schema:Person", "person", "人物", "Person", "#ff7fbf"),
    ("org:Post", "person", "人物", "Person", "#ff7fbf"),
    ("lz:Meeting", "event", "会议与报告", "Meeting & report", "#6c5b7b"),
    ("lz:ReportDelivery", "event", "会议与报告", "Meeting & report", "#6c5b7b"),
    ("lz:WorkReport", "event", "会议与报告", "Meeting & report", "#6c5b7b"),
    ("lz:NewsArticle", "event", "会议与报告", "Meeting & report", "#6c5b7b"),
    ("org:Organization", "org", "机构", "Organisation", "#1f77b4"),
    ("qb:Observation", "figure", "数据", "Figure", "#bcbd22"),
    ("oa:SpecificResource", "span", "原文片段", "Source span", "#cccccc"),
    ("owl:Class", "class", "类", "Class", "#dddddd"),
]
_SKIP_LITERALS = {RDFS.label, LZ.sourceTerm}
# Nodes typed with these, or named in these namespaces, are schema, not entities.
_SCHEMA_TYPES = (
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2004/02/skos/core#ConceptScheme",
    "http://www.w3.org/ns/dcat#",
    "http://purl.org/linked-data/cube#DataSet",
    "http://www.w3.org/ns/prov#Agent",
    "http://qudt.org/schema/qudt/",
)
_SCHEMA_NAMESPACES = (
    "https://w3id.org/linzi-kg/ontology#",
    "https://w3id.org/linzi-kg/unit/",
    "http://qudt.org/vocab/unit/",
)


@dataclass(frozen=True)
class Options:
    """What to draw besides entities."""

    schema: bool = False  # class nodes and rdf:type edges
    provenance: bool = False  # span nodes and prov:wasDerivedFrom edges
    figures: bool = False  # observation nodes, linked to what they are about
    editorial: bool = True  # lz:classifiedUnder edges (drawn dashed)


def _labels(graph: Graph, node: URIRef) -> tuple[str, str]:
    zh = en = ""
    for lit in graph.objects(node, RDFS.label):
        if isinstance(lit, Literal):
            if lit.language == "zh" and not zh:
                zh = str(lit)
            elif lit.language == "en" and not en:
                en = str(lit)
    fallback = str(node).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return zh or en or fallback, en or zh or fallback


def _group(types: Iterable[URIRef]) -> tuple[str, str, str, str]:
    names = {curie(t) for t in types}
    for cls, key, zh, en, colour in GROUPS:
        if cls in names:
            return key, zh, en, colour
    return "other", "其他", "Other", "#7f7f7f"


#: The text of a span's document, by the span's IRI (None: not at hand).
TextOf = Callable[[Any], str | None]


def _spans(graph: Graph, node: URIRef, text_of: TextOf | None) -> list[dict[str, Any]]:
    out = []
    for span in graph.objects(node, PROV.wasDerivedFrom):
        text = text_of(span) if text_of is not None else None
        selector = graph.value(span, OA.hasSelector)
        start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
        if start is None or end is None:
            continue
        first, last = int(str(start)), int(str(end))
        item: dict[str, Any] = {"start": first, "end": last}
        if text is not None:
            item["text"] = text[first:last]
        out.append(item)
    return sorted(out, key=lambda s: (s["start"], s["end"]))


def to_networkx(
    graph: Graph,
    ontology: Graph | None = None,
    *,
    options: Options = Options(),
    source_text: str | TextOf | None = None,
) -> nx.MultiDiGraph:
    """The drawable network of ``graph`` (asserted triples; ``ontology`` gives
    class and property labels). Node attributes: ``label_zh``, ``label_en``,
    ``group``, ``classes``, ``facts``, ``figures``, ``spans``; edge attributes:
    ``predicate``, ``label_zh``, ``label_en``, ``editorial``.

    >>> from kg.rdf.pipeline import build
    >>> net = to_networkx(build(validate=False, check_source=False).graph)
    >>> net.nodes["https://w3id.org/linzi-kg/id/enterprise/juheshun"]["label_zh"]
    '聚合顺'
    """
    labels_graph = ontology if ontology is not None else Graph()
    # One text, or a function giving each span's own document's text.
    text_of: TextOf | None = (lambda _span: source_text) if isinstance(source_text, str) else source_text
    # Entities: what the article names (lz:sourceTerm), and any other labelled
    # resource a user adds with --data, except schema, provenance and figures.
    not_entities = {QB.Observation, OA.SpecificResource, OA.TextPositionSelector, RDF.Statement, LZ.SourceText}
    labelled = {
        s
        for s in graph.subjects(RDFS.label, None)
        if isinstance(s, URIRef)
        and str(s) != str(LZ._NS).rstrip("#")
        and not any(t in not_entities or str(t).startswith(_SCHEMA_TYPES) for t in graph.objects(s, RDF.type))
        and not str(s).startswith(_SCHEMA_NAMESPACES)
    }
    entities = {s for s in graph.subjects(LZ.sourceTerm, None) if isinstance(s, URIRef)} | labelled
    figures = {s for s in graph.subjects(RDF.type, QB.Observation) if isinstance(s, URIRef)}
    spans = {s for s in graph.subjects(RDF.type, OA.SpecificResource) if isinstance(s, URIRef)}
    drawn = set(entities) | (figures if options.figures else set()) | (spans if options.provenance else set())

    def prop_labels(p: URIRef) -> tuple[str, str]:
        zh, en = _labels(labels_graph, p)
        short = curie(p)
        return (zh if zh != short.rsplit(":", 1)[-1] else short), en

    supers = superclasses(labels_graph)
    net = nx.MultiDiGraph()
    for node in sorted(drawn):
        types = [t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef)]
        key, group_zh, group_en, colour = _group([*types, *(s for t in types for s in supers.get(t, ()))])
        zh, en = _labels(graph, node)
        facts = []
        for p, o in sorted(graph.predicate_objects(node)):
            if isinstance(o, Literal) and p not in _SKIP_LITERALS and isinstance(p, URIRef):
                pzh, pen = prop_labels(p)
                facts.append({"p_zh": pzh, "p_en": pen, "value": str(o)})
        net.add_node(
            str(node),
            label_zh=zh,
            label_en=en,
            group=key,
            group_zh=group_zh,
            group_en=group_en,
            colour=colour,
            classes=sorted(curie(t) for t in types),
            facts=facts,
            figures=[],
            spans=_spans(graph, node, text_of),
        )
    # Figures folded into the entity they are about (else their area).
    by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fig in sorted(figures):
        target = graph.value(fig, LZ.aboutEntity) or graph.value(fig, SDMX_DIM.refArea)
        indicator = graph.value(fig, LZ.indicator)
        unit = graph.value(fig, SDMX_ATTR.unitMeasure)
        status = graph.value(fig, LZ.valueStatus)
        entry = {
            "id": str(fig),
            "indicator_zh": _labels(graph, indicator)[0] if isinstance(indicator, URIRef) else "",
            "indicator_en": _labels(graph, indicator)[1] if isinstance(indicator, URIRef) else "",
            "indicator": str(indicator),
            "year": str(graph.value(fig, SDMX_DIM.refPeriod) or ""),
            "status": curie(status).split(":")[-1].lower() if isinstance(status, URIRef) else "",
            "wording": str(graph.value(fig, LZ.originalWording) or ""),
            "value": str(canonical(graph.value(fig, SDMX_MEASURE.obsValue)) or ""),
            "unit_zh": _labels(labels_graph, unit)[0] if isinstance(unit, URIRef) else "",
            "unit_en": _labels(labels_graph, unit)[1] if isinstance(unit, URIRef) else "",
            "spans": _spans(graph, fig, text_of),
        }
        if target is not None and str(target) in net:
            by_entity[str(target)].append(entry)
    for key, entries in by_entity.items():
        net.nodes[key]["figures"] = sorted(entries, key=lambda e: (e["indicator"], e["year"]))

    skip = {RDF.type, PROV.wasDerivedFrom, RDF.subject, RDF.object, RDF.predicate}
    editorial = editorial_triples(graph)
    for s, p, o in graph:
        if not isinstance(p, URIRef) or p in skip or s == o:
            continue
        if str(s) in net and str(o) in net:
            is_editorial = (s, p, o) in editorial
            if is_editorial and not options.editorial:
                continue
            pzh, pen = prop_labels(p)
            _link(net, s, o, p, pzh, pen, editorial=is_editorial)
    if options.provenance:
        for s, o in graph.subject_objects(PROV.wasDerivedFrom):
            if str(s) in net and str(o) in net:
                _link(net, s, o, PROV.wasDerivedFrom, "出处", "derived from")
    if options.schema:
        for s, o in graph.subject_objects(RDF.type):
            if str(s) in net and isinstance(o, URIRef):
                if str(o) not in net:
                    zh, en = _labels(labels_graph, o)
                    net.add_node(
                        str(o),
                        label_zh=zh,
                        label_en=en,
                        group="class",
                        group_zh="类",
                        group_en="Class",
                        colour="#dddddd",
                        classes=["owl:Class"],
                        facts=[],
                        figures=[],
                        spans=[],
                    )
                _link(net, s, o, RDF.type, "类型", "type")
    return net


def _link(net: nx.MultiDiGraph, s: Any, o: Any, p: URIRef, zh: str, en: str, *, editorial: bool = False) -> None:
    net.add_edge(str(s), str(o), key=str(p), predicate=str(p), label_zh=zh, label_en=en, editorial=editorial)


def neighbourhood(net: nx.MultiDiGraph, centre: str, depth: int) -> nx.MultiDiGraph:
    """The sub-network within ``depth`` links of ``centre``, in either direction."""
    keep = nx.single_source_shortest_path_length(net.to_undirected(as_view=True), centre, cutoff=depth)
    return net.subgraph(keep).copy()


def restrict_to_groups(net: nx.MultiDiGraph, classes: Iterable[str]) -> nx.MultiDiGraph:
    """Nodes whose classes or legend group match any of ``classes``
    (curies such as ``lz:Enterprise``, local names, or group keys)."""
    wanted = {c.strip().lower() for c in classes if c.strip()}

    def matches(data: dict[str, Any]) -> bool:
        names = {c.lower() for c in data["classes"]} | {c.split(":")[-1].lower() for c in data["classes"]}
        return bool(wanted & (names | {data["group"]}))

    return net.subgraph([n for n, d in net.nodes(data=True) if matches(d)]).copy()
