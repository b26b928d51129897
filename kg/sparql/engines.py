"""Run SPARQL on the embedded engines or a remote endpoint; one result type for all.

Parameters are bound as RDF terms, never pasted into the query as text:
rdflib's ``initBindings`` binds them before evaluation; pyoxigraph and
remote endpoints get a ``VALUES`` clause written from each term's N-Triples
syntax, first in the WHERE group (:func:`kg.sparql.bind.place_values`).
(pyoxigraph's ``substitutions`` would also do, but its optimizer does not
start from them: on 4.6 million triples ``provenance`` took 24 s with them
and 0.9 ms with the VALUES clause.) The engines agree when parameters
appear in plain triple patterns of the WHERE group (not only inside
OPTIONAL, FILTER or BIND); the named queries keep to that, and a test runs
every one on all engines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Graph
from rdflib.term import Node, Variable

from kg.core.namespaces import PREFIXES
from kg.core.terms import canonical, from_ox, n3, to_cell, to_ox
from kg.errors import EndpointError, QueryError, QuerySyntaxError
from kg.graph.store import Engine, KnowledgeGraph
from kg.sparql.bind import place_values, values_clause

if TYPE_CHECKING:
    from kg.sparql.httpclient import Credentials


@dataclass
class QueryResult:
    """The answer to a query: rows of rdflib terms (None when unbound), a
    boolean for ASK, or a graph for CONSTRUCT/DESCRIBE."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def dicts(self) -> list[dict[str, Node | None]]:
        """Rows as ``{variable: term}`` dictionaries."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]

    def comparable(self) -> list[tuple[str, ...]]:
        """Rows in N-Triples syntax, for comparing engines."""
        return [tuple(n3(t) for t in row) for row in self.rows]


def query_kind(text: str) -> str:
    """'select', 'ask', 'construct' or 'describe', from the parsed query (not a regex)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        raise QuerySyntaxError(str(exc.msg), line=exc.lineno, column=exc.col) from None
    name = parsed[1].name
    return {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct", "DescribeQuery": "describe"}[
        name
    ]


_OX_POS = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


def _run_oxigraph(kg: KnowledgeGraph, text: str, bindings: Mapping[str, Node]) -> QueryResult:
    # named_graphs=[]: the store's own named graphs (kg.graph.store: the asserted
    # part and the ontology again, for the pages) are not the user's data; a
    # GRAPH pattern finds nothing, as on a pushed copy (push sends the default graph).
    import pyoxigraph as ox

    store = kg.oxigraph()
    try:
        try:
            result = store.query(place_values(text, values_block(bindings)), prefixes=PREFIXES, named_graphs=[])
        except SyntaxError:
            if not bindings:
                raise
            # The text has a VALUES clause of its own at the end.
            subs = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
            result = store.query(text, prefixes=PREFIXES, substitutions=subs, named_graphs=[])
    except SyntaxError as exc:
        match = _OX_POS.match(str(exc))
        if match:
            raise QuerySyntaxError(match.group(3), line=int(match.group(1)), column=int(match.group(2))) from None
        raise QuerySyntaxError(str(exc)) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [tuple(from_ox(sol[v]) if sol[v] is not None else None for v in variables) for sol in result]
        return QueryResult("select", variables, rows)
    graph = Graph()
    for triple in result:
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    return QueryResult("graph", graph=graph)


def _run_rdflib(kg: KnowledgeGraph, text: str, bindings: Mapping[str, Node]) -> QueryResult:
    from pyparsing import ParseException

    init: dict[str, Any] = {Variable(k): v for k, v in bindings.items()}
    try:
        result = kg.full_graph().query(text, initNs=PREFIXES, initBindings=init)
    except ParseException as exc:
        raise QuerySyntaxError(str(exc.msg), line=exc.lineno, column=exc.col) from None
    except Exception as exc:  # rdflib's evaluator raises assorted types
        raise QueryError(f"query failed: {exc}") from None
    if result.type == "ASK":
        return QueryResult("ask", boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        variables = [str(v) for v in result.vars or []]
        rows = [tuple(canonical(row[i]) for i in range(len(variables))) for row in result]  # type: ignore[index]
        return QueryResult("select", variables, rows)
    graph = Graph()
    for triple in result:
        graph.add(triple)  # type: ignore[arg-type]
    return QueryResult("graph", graph=graph)


def values_block(bindings: Mapping[str, Node]) -> str:
    """A VALUES clause binding each variable to one RDF term.

    >>> from rdflib import URIRef, Literal
    >>> values_block({"e": URIRef("urn:x"), "n": Literal('a"b')})
    '\\nVALUES (?e ?n) { (<urn:x> "a\\\\"b") }\\n'
    """
    return values_clause({k: to_cell(v) for k, v in bindings.items()})


def _prefix_line(text: str) -> str:
    # One line, so the user's line numbers in error messages stay right.
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w-]*):", text, re.I)}
    return " ".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p.lower() not in declared) + " "


def remote_text(text: str, bindings: Mapping[str, Node]) -> str:
    """The query as sent to another store: the project's prefixes declared,
    parameters bound by a trailing VALUES clause."""
    return _prefix_line(text) + place_values(text, values_block(bindings))


def run_remote(
    endpoint: str,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    timeout: float = 30.0,
    credentials: Credentials | None = None,
    graph_iri: str | None = None,
) -> QueryResult:
    """Run a query on any SPARQL 1.1 query endpoint, within ``timeout`` seconds
    overall; ``graph_iri`` is sent as ``default-graph-uri`` (Virtuoso's default
    graph is the union of all its graphs, system ones included)."""
    import json

    from kg.core.formats import rdf_format_of
    from kg.sparql.httpclient import Deadline
    from kg.sparql.remote import JSON_RESULTS, post_query

    kind = query_kind(text)
    body = remote_text(text, bindings or {})
    accept = JSON_RESULTS if kind in ("select", "ask") else _GRAPH_ACCEPT
    answer = post_query(
        endpoint, body, accept=accept, credentials=credentials, deadline=Deadline(timeout), default_graph=graph_iri
    )
    if kind in ("select", "ask"):
        try:
            data = json.loads(answer.body)
            if kind == "ask":
                return QueryResult("ask", boolean=bool(data["boolean"]))
            variables = list(data["head"]["vars"])
            bound = data["results"]["bindings"]
            rows = [tuple(canonical(_json_term(b.get(v))) for v in variables) for b in bound]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise EndpointError(
                f"{endpoint}: the answer ({answer.media_type or 'no Content-Type'}) is not SPARQL JSON results"
            ) from None
        return QueryResult("select", variables, rows)
    fmt = rdf_format_of(answer.media_type)
    graph = Graph()
    try:
        if fmt is None:
            raise ValueError(answer.media_type)
        graph.parse(data=answer.body, format=fmt.rdflib_name)
    except Exception:  # rdflib's parsers raise assorted types
        raise EndpointError(
            f"{endpoint}: the answer ({answer.media_type or 'no Content-Type'}) is not an RDF graph this tool reads"
        ) from None
    return QueryResult("graph", graph=graph)


#: What ``run_remote`` asks for a CONSTRUCT or DESCRIBE answer in.
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.7"


def _json_term(cell: dict[str, str] | None) -> Node | None:
    from rdflib import BNode, Literal, URIRef

    if cell is None:
        return None
    kind = cell["type"]
    if kind == "uri":
        return URIRef(cell["value"])
    if kind == "bnode":
        return BNode(cell["value"])
    if "xml:lang" in cell:
        return Literal(cell["value"], lang=cell["xml:lang"])
    if cell.get("datatype") and cell["datatype"] != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(cell["value"], datatype=URIRef(cell["datatype"]))
    return Literal(cell["value"])


def run_query(
    kg: KnowledgeGraph,
    text: str,
    bindings: Mapping[str, Node] | None = None,
    *,
    engine: Engine = Engine.OXIGRAPH,
) -> QueryResult:
    """Run a SPARQL query on the embedded graph.

    >>> from kg.graph.store import load_graph
    >>> from rdflib import Literal
    >>> r = run_query(load_graph(), "SELECT ?e WHERE { ?e lz:sourceTerm ?n }", {"n": Literal("聚合顺", lang="zh")})
    >>> [str(row[0]) for row in r.rows]
    ['https://w3id.org/linzi-kg/id/enterprise/juheshun']
    """
    from kg.sparql.guard import check_shape

    check_shape(text)  # a deep query crashes the process rather than failing
    if engine is Engine.RDFLIB:
        return _run_rdflib(kg, text, bindings or {})
    return _run_oxigraph(kg, text, bindings or {})


def select_values(kg: KnowledgeGraph, text: str) -> list[dict[str, str | None]]:
    """A SELECT query's rows as ``{variable: lexical value}`` (IRIs as their
    text, literals as their lexical form, None when unbound), straight from
    pyoxigraph: for code that reads thousands of rows and needs no rdflib
    terms (the consistency checks).

    >>> from kg.graph.store import load_graph
    >>> rows = select_values(load_graph(), "SELECT ?c WHERE { ?r lz:namesChallenge ?c }")
    >>> len(rows), rows[0]["c"].startswith("https://w3id.org/linzi-kg/id/")
    (10, True)
    """
    import pyoxigraph as ox

    try:
        result = kg.oxigraph().query(text, prefixes=PREFIXES, named_graphs=[])
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("select_values needs a SELECT query")
    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row: dict[str, str | None] = {}
        for name in names:
            term = solution[name]
            row[name] = None if term is None else term.value
        rows.append(row)
    return rows
