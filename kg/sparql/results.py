"""Query results as text: the W3C SPARQL 1.1 JSON, CSV and TSV formats, and a
table for people (labels for IRIs, columns aligned with CJK characters
counted as two cells)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable
from enum import StrEnum

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.core.terms import XSD_STRING, Cell, n3, to_cell
from kg.sparql.engines import QueryResult


class ResultFormat(StrEnum):
    """Output formats of ``linzi-kg query``."""

    TABLE = "table"
    JSON = "json"
    XML = "xml"
    CSV = "csv"
    TSV = "tsv"

    @property
    def media_type(self) -> str:
        return {
            "table": "text/plain; charset=utf-8",
            "json": "application/sparql-results+json",
            "xml": "application/sparql-results+xml",
            "csv": "text/csv; charset=utf-8",
            "tsv": "text/tab-separated-values; charset=utf-8",
        }[self.value]


def _json_cell(cell: Cell) -> dict[str, str]:
    kind, value, datatype, language = cell
    out = {"type": kind, "value": value}
    if language:
        out["xml:lang"] = language
    elif kind == "literal" and datatype is not None and datatype != XSD_STRING:
        out["datatype"] = datatype
    return out


def json_results(
    variables: list[str] | None,
    rows: list[tuple[Cell | None, ...]] | None,
    *,
    boolean: bool | None = None,
    indent: int | None = 2,
) -> str:
    """SPARQL 1.1 Query Results JSON from terms in the worker's cell form (the
    endpoint writes its answers with this, without making rdflib terms, and
    with ``indent=None``: only then does Python use its C encoder, 4 ms less
    per answer of 17 rows)."""
    if boolean is not None:
        return json.dumps({"head": {}, "boolean": boolean}, ensure_ascii=False, indent=indent) + "\n"
    vars_ = variables or []
    bindings = [{v: _json_cell(c) for v, c in zip(vars_, row, strict=True) if c is not None} for row in rows or []]
    doc = {"head": {"vars": vars_}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=indent) + "\n"


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    if result.kind == "ask":
        return json_results(None, None, boolean=bool(result.boolean))
    rows = [tuple(to_cell(t) if t is not None else None for t in row) for row in result.rows]
    return json_results(result.variables, rows)


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV Format (CRLF line ends, plain values)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if result.boolean else "false"])
        return out.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return out.getvalue()


def _tsv_value(term: Node | None) -> str:
    if term is None:
        return ""
    # N-Triples syntax escapes quotes, backslashes, tabs and newlines, as TSV needs.
    return n3(term)


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV Format (terms in Turtle/N-Triples syntax)."""
    if result.kind == "ask":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def display_width(text: str) -> int:
    """Terminal cells of ``text``: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def to_table(
    result: QueryResult, label_of: Callable[[URIRef], str | None] | None = None, *, max_width: int = 60
) -> str:
    """Aligned columns for people; IRIs shown by their label where one exists."""
    if result.kind == "ask":
        return ("yes" if result.boolean else "no") + "\n"

    def show(term: Node | None) -> str:
        if term is None:
            return ""
        if isinstance(term, URIRef):
            label = label_of(term) if label_of else None
            text = label if label else str(term)
        else:
            text = str(term)
        text = " ".join(text.split())
        if display_width(text) > max_width:
            while display_width(text) > max_width - 1:
                text = text[:-1]
            text += "…"
        return text

    cells = [[show(t) for t in row] for row in result.rows]
    widths = [display_width(v) for v in result.variables]
    for row in cells:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(_pad(v, w) for v, w in zip(result.variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    n = len(result.rows)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines) + "\n"


def render(result: QueryResult, fmt: ResultFormat, label_of: Callable[[URIRef], str | None] | None = None) -> str:
    """``result`` in ``fmt``; graphs (CONSTRUCT/DESCRIBE) in RDF/XML for ``xml``,
    JSON-LD for ``json``, Turtle otherwise."""
    if result.kind == "graph":
        assert result.graph is not None
        from kg.rdf.export import Format, serialize

        graph_format = {ResultFormat.XML: Format.XML, ResultFormat.JSON: Format.JSONLD}.get(fmt, Format.TURTLE)
        return serialize(result.graph, graph_format).decode("utf-8")
    if fmt is ResultFormat.JSON:
        return to_json(result)
    if fmt is ResultFormat.XML:
        return to_xml(result)
    if fmt is ResultFormat.CSV:
        return to_csv(result)
    if fmt is ResultFormat.TSV:
        return to_tsv(result)
    return to_table(result, label_of)


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    from xml.sax.saxutils import escape as xml_escape
    from xml.sax.saxutils import quoteattr

    def escape(text: str) -> str:
        # XML 1.0 cannot carry most control characters, escaped or not.
        return xml_escape(_XML_INVALID.sub("\ufffd", text))

    out = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head>")
    out.append("<results>")
    for row in result.rows:
        cells = []
        for name, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            if isinstance(term, URIRef):
                value = f"<uri>{escape(str(term))}</uri>"
            elif isinstance(term, BNode):
                value = f"<bnode>{escape(str(term))}</bnode>"
            else:
                assert isinstance(term, Literal)
                attrs = ""
                if term.language:
                    attrs = f" xml:lang={quoteattr(term.language)}"
                elif term.datatype is not None and str(term.datatype) != XSD_STRING:
                    attrs = f" datatype={quoteattr(str(term.datatype))}"
                value = f"<literal{attrs}>{escape(str(term))}</literal>"
            cells.append(f"<binding name={quoteattr(name)}>{value}</binding>")
        out.append("<result>" + "".join(cells) + "</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"
