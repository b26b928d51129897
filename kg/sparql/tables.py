"""Query results as tables for people who work in spreadsheets: a label
column beside every IRI column (or labels instead of IRIs), values as plain
text and numbers, in CSV, TSV, CSV for Excel (UTF-8 with a byte-order mark,
so Excel reads Chinese right) or .xlsx.

The W3C SPARQL results formats (:mod:`kg.results`) stay as they are for
SPARQL clients; these are the downloads of the explorer's pages and of
``linzi-kg query --labels``.

>>> from rdflib import Literal, URIRef
>>> from kg.sparql.engines import QueryResult
>>> r = QueryResult("select", ["e", "n"], [(URIRef("urn:x:juheshun"), Literal(5))])
>>> table(r, labels=Labels.BESIDE, label_of={"urn:x:juheshun": "聚合顺"}.get)
(['e', 'e_label', 'n'], [['urn:x:juheshun', '聚合顺', 5]])
>>> render(r, TableFormat.CSV, labels=Labels.ONLY, label_of={"urn:x:juheshun": "聚合顺"}.get)
b'e,n\\r\\n\\xe8\\x81\\x9a\\xe5\\x90\\x88\\xe9\\xa1\\xba,5\\r\\n'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.core.terms import canonical
from kg.core.xlsx import Cell, workbook
from kg.errors import UsageError
from kg.sparql.engines import QueryResult

LabelOf = Callable[[str], str | None]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    _XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
_DECIMALS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}
#: What a spreadsheet would take for a formula at the start of a text cell.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Labels(StrEnum):
    """Where the names of IRIs go."""

    BESIDE = "beside"  # a column NAME_label after each column that holds IRIs
    ONLY = "only"  # the name instead of the IRI (the IRI where there is no name)
    NONE = "none"  # IRIs only, as the SPARQL CSV has them


class TableFormat(StrEnum):
    CSV = "csv"
    TSV = "tsv"
    EXCEL = "excel"  # CSV, UTF-8 with BOM, formula-like texts made inert
    XLSX = "xlsx"

    @property
    def media_type(self) -> str:
        return {
            "csv": "text/csv; charset=utf-8",
            "tsv": "text/tab-separated-values; charset=utf-8",
            "excel": "text/csv; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[self.value]

    @property
    def extension(self) -> str:
        return {"csv": "csv", "tsv": "tsv", "excel": "csv", "xlsx": "xlsx"}[self.value]


def parse_labels(text: str | None) -> Labels:
    """``beside`` (the default), ``only`` or ``none``; anything else is a usage error."""
    try:
        return Labels(text or Labels.BESIDE.value)
    except ValueError:
        raise UsageError(f"labels={text!r}: give one of {', '.join(m.value for m in Labels)}") from None


def parse_format(text: str | None) -> TableFormat:
    try:
        return TableFormat(text or TableFormat.CSV.value)
    except ValueError:
        raise UsageError(f"as={text!r}: give one of {', '.join(m.value for m in TableFormat)}") from None


def _value(term: Node | None) -> Cell:
    """A cell: numbers for numeric literals, the lexical form otherwise."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal) and term.datatype is not None:
        datatype = str(term.datatype)
        try:
            if datatype in _INTEGERS:
                return int(str(term))
            if datatype in _DECIMALS:
                number = Decimal(str(canonical(term)))
                if number.is_finite():
                    return int(number) if number == number.to_integral_value() and "." not in str(term) else number
        except (ValueError, InvalidOperation):
            pass
    return str(canonical(term))


def table(result: QueryResult, *, labels: Labels, label_of: LabelOf) -> tuple[list[str], list[list[Cell]]]:
    """The header and rows of ``result`` with the names of its IRIs placed by ``labels``.

    A column holds IRIs when any of its values is one; its label column holds
    the name ``label_of`` gives (empty for a literal or an IRI with no name).
    """
    if result.kind == "ask":
        return ["_askResult"], [["true" if result.boolean else "false"]]
    if result.kind != "select":
        raise UsageError("only SELECT and ASK answers are tables; a graph is downloaded as RDF")
    iri_columns = [any(isinstance(row[i], URIRef) for row in result.rows) for i in range(len(result.variables))]
    names: dict[str, str | None] = {}

    def name(term: Node | None) -> str | None:
        if not isinstance(term, URIRef):
            return None
        key = str(term)
        if key not in names:
            names[key] = label_of(key)
        return names[key]

    header: list[str] = []
    for var, has_iris in zip(result.variables, iri_columns, strict=True):
        header.append(var)
        if has_iris and labels is Labels.BESIDE:
            header.append(f"{var}_label")
    rows: list[list[Cell]] = []
    for row in result.rows:
        cells: list[Cell] = []
        for term, has_iris in zip(row, iri_columns, strict=True):
            if has_iris and labels is Labels.ONLY and isinstance(term, URIRef):
                cells.append(name(term) or str(term))
                continue
            cells.append(_value(term))
            if has_iris and labels is Labels.BESIDE:
                cells.append(name(term) or "")
        rows.append(cells)
    return header, rows


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell, "f")
    return str(cell)


def _inert(cell: Cell) -> str:
    """A text a spreadsheet would run as a formula gets a leading apostrophe;
    numbers (negative ones too) and a lone comparator such as ``=`` stay as they are."""
    text = _text(cell)
    if isinstance(cell, str) and len(text) > 1 and text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def render(
    result: QueryResult,
    fmt: TableFormat,
    *,
    labels: Labels = Labels.BESIDE,
    label_of: LabelOf,
    title: str = "",
) -> bytes:
    """The table of ``result`` as the bytes of a file in ``fmt``."""
    header, rows = table(result, labels=labels, label_of=label_of)
    if fmt is TableFormat.XLSX:
        return workbook([header, *rows], sheet=title or "linzi-kg", title=title)
    if fmt is TableFormat.TSV:
        # TSV has no quoting: tabs and line breaks inside a value become spaces.
        def clean(cell: Cell) -> str:
            return " ".join(_text(cell).replace("\t", " ").splitlines())

        lines = ["\t".join(header), *("\t".join(clean(c) for c in row) for row in rows)]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    show = _inert if fmt is TableFormat.EXCEL else _text
    for row in rows:
        writer.writerow([show(c) for c in row])
    text = out.getvalue()
    return ("\ufeff" + text).encode("utf-8") if fmt is TableFormat.EXCEL else text.encode("utf-8")
