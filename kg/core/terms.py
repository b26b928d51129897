"""Conversions between rdflib terms (the library's currency) and pyoxigraph terms."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def canonical(term: Node | None) -> Node | None:
    """A result term in the form stores such as Oxigraph return: xsd:decimal in
    its XSD 1.1 canonical form (46010.0 -> 46010), everything else unchanged.

    >>> canonical(Literal("46010.0", datatype=URIRef(XSD_DECIMAL)))
    rdflib.term.Literal('46010', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) == XSD_DECIMAL:
        from decimal import Decimal, InvalidOperation

        try:
            value = Decimal(str(term))
        except InvalidOperation:
            return term
        text = format(value.normalize(), "f") if value != 0 else "0"
        return Literal(text, datatype=term.datatype)
    return term


def from_ox(term: Any) -> Node:
    """A pyoxigraph term as an rdflib term.

    >>> from_ox(ox.Literal("临淄", language="zh"))
    rdflib.term.Literal('临淄', lang='zh')
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported pyoxigraph term {term!r}")


def to_ox(term: Node) -> Any:
    """An rdflib term as a pyoxigraph term (for bindings and loading)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported rdflib term {term!r}")


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def n3(term: Node | None) -> str:
    """N-Triples syntax of a term ('' for unbound): one line, quotes and control
    characters escaped; for comparing results, VALUES blocks and TSV.

    >>> n3(Literal('说"好"\\n', lang="zh"))
    '"说\\\\"好\\\\"\\\\n"@zh'
    """
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f"{text}^^<{term.datatype}>"
        return text
    return term.n3()


# The workers' form of a term: (kind, value, datatype, language).
Cell = tuple[str, str, str | None, str | None]


def from_cell(cell: Cell | None) -> Node | None:
    """A term from the worker's (kind, value, datatype, language) form."""
    if cell is None:
        return None
    kind, value, datatype, language = cell
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if language:
        return Literal(value, lang=language)
    if datatype and datatype != XSD_STRING:
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def to_cell(term: Node) -> Cell:
    """The worker's form of a term (for bindings)."""
    if isinstance(term, URIRef):
        return ("uri", str(term), None, None)
    if isinstance(term, BNode):
        return ("bnode", str(term), None, None)
    assert isinstance(term, Literal)
    return ("literal", str(term), str(term.datatype) if term.datatype else None, term.language)
