"""The coverage inventory: every fact of the Linzi article that a reader listed is in the graph.

``tests/inventory/linzi-2023.yaml`` was written from a full reading of the
article, not from the data, so when a fact disappears from (or never made it
into) the graph this test names it, with the span where the article states it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.core.namespaces import ID, LZ, OA, PREFIXES, PROV, QB, SDMX_DIM, SDMX_MEASURE

INVENTORY = Path(__file__).parent / "inventory" / "linzi-2023.yaml"
ITEMS: list[dict[str, Any]] = yaml.safe_load(INVENTORY.read_text(encoding="utf-8"))["items"]


def term(name: str) -> URIRef:
    """An inventory name: `prefix:local` for vocabulary terms, otherwise a path under id/."""
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + local)
    return ID[name]


def spans(graph: Graph, node: URIRef) -> list[tuple[int, int]]:
    out = []
    for span in graph.objects(node, PROV.wasDerivedFrom):
        sel = graph.value(span, OA.hasSelector)
        out.append((int(graph.value(sel, OA.start)), int(graph.value(sel, OA.end))))
    return out


def overlaps(found: list[tuple[int, int]], span: list[int]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in found)


def literal(value: object) -> list[Literal]:
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, int):
        return [Literal(value, datatype=XSD.integer)]
    text = str(value)
    return [
        Literal(text, lang="zh"),
        Literal(text),
        Literal(text, datatype=XSD.date),
        Literal(text, datatype=XSD.gMonthDay),
    ]


def holds(graph: Graph, item: dict[str, Any]) -> bool:
    span = item["span"]
    if "node" in item:
        return overlaps(spans(graph, term(item["node"])), span)
    if "triple" in item:
        s, p, o = (term(x) for x in item["triple"])
        if (s, p, o) not in graph:
            return False
        stmts = set(graph.subjects(RDF.subject, s)) & set(graph.subjects(RDF.predicate, p))
        return any((st, RDF.object, o) in graph and overlaps(spans(graph, st), span) for st in stmts)
    if "editorial" in item:
        # The text suggests it (`span`) but does not state it: the editors' link, marked.
        s, p, o = (term(x) for x in item["editorial"])
        stmts = set(graph.subjects(RDF.subject, s)) & set(graph.subjects(RDF.object, o))
        return (s, p, o) in graph and any((st, RDF.type, LZ.EditorialStatement) in graph for st in stmts)
    if "value" in item:
        s, p, v = item["value"]
        subject = term(s)
        return any((subject, term(p), lit) in graph for lit in literal(v)) and overlaps(spans(graph, subject), span)
    fig = item["figure"]
    for obs in graph.subjects(LZ.indicator, term(fig["indicator"])):
        if (obs, RDF.type, QB.Observation) not in graph:
            continue
        year = graph.value(obs, SDMX_DIM.refPeriod)
        if ("year" in fig) != (year is not None) or (year is not None and str(year) != str(fig["year"])):
            continue
        value = graph.value(obs, SDMX_MEASURE.obsValue)
        if graph.value(obs, LZ.valueStatus) != LZ[fig["status"]] or value is None:
            continue
        if Decimal(str(value)) == Decimal(str(fig["value"])) and overlaps(spans(graph, obs), span):
            return True
    return False


def test_inventory_is_large_and_its_spans_resolve(source) -> None:  # type: ignore[no-untyped-def]
    assert len(ITEMS) > 300
    for item in ITEMS:
        start, end = item["span"]
        assert 0 <= start < end <= len(source.text), item


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: f"{i['span'][0]}-{i['span'][1]}")
def test_inventory_item_is_in_the_graph(graph: Graph, item: dict[str, Any]) -> None:
    assert holds(graph, item), f"not in the graph (or not with a span at {item['span']}): {item}"


def test_a_removed_fact_is_noticed(graph: Graph) -> None:
    # The check is not vacuous: drop one stated relation and its item fails.
    wanted = ["project/juheshun-nylon", "lz:carriedOutBy", "enterprise/juheshun"]
    item = next(i for i in ITEMS if i.get("triple") == wanted)
    smaller = Graph()
    for triple in graph:
        smaller.add(triple)
    smaller.remove((term("project/juheshun-nylon"), LZ.carriedOutBy, None))
    assert holds(graph, item) and not holds(smaller, item)
