"""Parameters into query text: a VALUES clause written from RDF terms, and
where in the query it goes. One writer for every engine path (embedded
pyoxigraph, the server's workers, remote endpoints).
"""

from __future__ import annotations

import re

from kg.sparql.guard import mask

# A term as it crosses the process boundary: (kind, value, datatype, language).
Cell = tuple[str, str, str | None, str | None] | None

_NOT_IN_IRI = set('<>"{}|^`\\')
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LANGUAGE = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")


def values_clause(bindings: dict[str, Cell]) -> str:
    """A VALUES clause binding each variable to one term given in the workers'
    cell form; raises ValueError for a name or term that would not stay a term.

    >>> values_clause({"e": ("uri", "urn:x", None, None), "n": ("literal", 'a"b', None, None)})
    '\\nVALUES (?e ?n) { (<urn:x> "a\\\\"b") }\\n'
    """
    if not bindings:
        return ""

    def iri(value: str) -> str:
        if not value or any(ch in _NOT_IN_IRI or ord(ch) <= 0x20 for ch in value):
            raise ValueError(f"not an IRI: {value!r}")
        return f"<{value}>"

    def n3(cell: Cell) -> str:
        assert cell is not None
        kind, value, datatype, language = cell
        if kind == "uri":
            return iri(value)
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if language:
            if not _LANGUAGE.fullmatch(language):
                raise ValueError(f"not a language tag: {language!r}")
            return f'"{escaped}"@{language}'
        return f'"{escaped}"^^{iri(datatype)}' if datatype else f'"{escaped}"'

    if not all(_VARIABLE.fullmatch(k) for k in bindings):
        raise ValueError(f"not variable names: {sorted(bindings)!r}")
    names = " ".join(f"?{k}" for k in bindings)
    return f"\nVALUES ({names}) {{ ({' '.join(n3(v) for v in bindings.values())}) }}\n"


_WHERE = re.compile(r"(?<![\w?$:\u00b7\u00c0-\uffff])(?i:WHERE)\s*\{")


def place_values(text: str, clause: str) -> str:
    """``text`` with the VALUES ``clause`` put first in its outermost WHERE
    group, where engines start evaluating; at the end when there is no WHERE.

    Oxigraph's optimizer starts from a leading VALUES, not from one at the
    end when OPTIONAL follows the bound pattern (``enterprise-projects`` on
    4.6 million triples: 550 ms at the end, 0.2 ms first).

    >>> place_values("SELECT ?x WHERE { ?x ?p ?o }", "VALUES ?p { <urn:p> }")
    'SELECT ?x WHERE { VALUES ?p { <urn:p> } ?x ?p ?o }'
    >>> place_values('ASK { ?s ?p "WHERE {" }', "VALUES ?p { <urn:p> }")
    'ASK { ?s ?p "WHERE {" }\\nVALUES ?p { <urn:p> }'
    """
    if not clause.strip():
        return text
    masked, _ = mask(text)
    for match in _WHERE.finditer(masked):
        before = masked[: match.start()]
        if before.count("{") + before.count("(") == before.count("}") + before.count(")"):
            brace = match.end()
            return f"{text[:brace]} {clause.strip()} {text[brace:].lstrip(' ')}"
    return f"{text}\n{clause.strip()}"
