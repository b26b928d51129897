"""Result formats are the W3C ones, checked by an independent parser (pyoxigraph)."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.core.terms import from_ox
from kg.sparql.engines import QueryResult
from kg.sparql.results import ResultFormat, display_width, render, to_csv, to_json, to_table, to_tsv

TRICKY = QueryResult(
    "select",
    ["iri", "text", "num", "blank", "missing"],
    [
        (
            URIRef("https://w3id.org/linzi-kg/id/x"),
            Literal('说"你好",\n\t再见', lang="zh"),
            Literal("2.5", datatype=XSD.decimal),
            BNode("b1"),
            None,
        ),
        (URIRef("urn:y"), Literal("plain"), Literal(7), None, None),
    ],
)


@pytest.mark.parametrize(
    ("render_fn", "fmt"),
    [(to_json, ox.QueryResultsFormat.JSON), (to_tsv, ox.QueryResultsFormat.TSV)],
)
def test_round_trip_through_pyoxigraph(render_fn, fmt) -> None:  # type: ignore[no-untyped-def]
    parsed = ox.parse_query_results(render_fn(TRICKY).encode("utf-8"), fmt)
    variables = [v.value for v in parsed.variables]
    assert variables == TRICKY.variables
    rows = [tuple(from_ox(s[v]) if s[v] is not None else None for v in variables) for s in parsed]
    expected = [tuple(None if isinstance(t, BNode) else t for t in row) for row in TRICKY.rows]
    assert [tuple(None if isinstance(t, BNode) else t for t in row) for row in rows] == expected


def test_csv_is_rfc4180_with_crlf() -> None:
    text = to_csv(TRICKY)
    assert text.startswith("iri,text,num,blank,missing\r\n")
    assert '"说""你好"",\n\t再见"' in text
    assert ",_:b1," in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1] == ["https://w3id.org/linzi-kg/id/x", '说"你好",\n\t再见', "2.5", "_:b1", ""]


def test_ask_formats() -> None:
    yes = QueryResult("ask", boolean=True)
    assert bool(ox.parse_query_results(to_json(yes).encode(), ox.QueryResultsFormat.JSON))
    assert to_tsv(yes) == "?_askResult\ntrue\n"
    assert to_table(yes) == "yes\n"


def test_table_aligns_wide_characters() -> None:
    result = QueryResult(
        "select", ["name", "n"], [(Literal("临淄区"), Literal(1)), (Literal("Zibo city"), Literal(22))]
    )
    lines = to_table(result).splitlines()
    assert display_width("临淄区") == 6
    # The second column starts at the same terminal cell on every row.
    starts = {display_width(line[: line.rindex(" ") + 1]) for line in lines[2:4]}
    assert len(starts) == 1


def test_table_uses_labels() -> None:
    result = QueryResult("select", ["e"], [(URIRef("urn:e"),)])
    assert "聚合顺" in to_table(result, lambda iri: "聚合顺")
    assert "urn:e" in to_table(result, lambda iri: None)


def test_graph_results_render_in_a_graph_format() -> None:
    from rdflib import Graph

    g = Graph()
    g.add((URIRef("urn:a"), URIRef("urn:b"), Literal("c")))
    result = QueryResult("graph", graph=g)
    for fmt in (ResultFormat.TABLE, ResultFormat.CSV, ResultFormat.TSV):
        assert len(Graph().parse(data=render(result, fmt), format="turtle")) == 1
    # xml and json name a graph format as the endpoint's format= does.
    assert len(Graph().parse(data=render(result, ResultFormat.XML), format="xml")) == 1
    assert len(Graph().parse(data=render(result, ResultFormat.JSON), format="json-ld")) == 1
