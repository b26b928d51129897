"""Up-front refusal of what a public read-only endpoint must never run.

A scanner, not a parser: it walks the query text skipping strings, IRIs,
comments, variables and prefixed names, and looks at the bare keywords that
remain. In SPARQL those words can only be keywords, so the check is exact
and costs microseconds (rdflib's parser takes tens of milliseconds).
"""

from __future__ import annotations

import re

from kg.errors import KGError

_TOKEN = re.compile(
    r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040\u00c0-\uffff]+)
  | (?P<pname>[\w.\-\u00c0-\uffff]*:[\w.\-:%\\\u00c0-\uffff]*)
  | (?P<word>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<other>\S)
    ''',
    re.X,
)

UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


class Refused(KGError):
    """A query the endpoint will not run; the message says why."""

    http_status = 400


class ReadOnly(Refused):
    """An update sent to the read-only endpoint."""

    http_status = 403


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape(text: str) -> str:
    """Apply SPARQL's codepoint escapes (\\uXXXX, \\UXXXXXXXX), which the
    grammar processes before parsing: ``\\u0053ERVICE`` is SERVICE."""

    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group(0)

    return _CODEPOINT.sub(one, text)


def keywords(text: str) -> list[str]:
    """The bare words of a query (upper-cased), outside strings, IRIs and comments.

    >>> keywords('SELECT * WHERE { ?service <urn:SERVICE> "FROM" } # LOAD')
    ['SELECT', 'WHERE']
    >>> keywords("\\u0053ERVICE")
    ['SERVICE']
    """
    return [m.group("word").upper() for m in _TOKEN.finditer(unescape(text)) if m.lastgroup == "word"]


def check_query(text: str) -> None:
    """Raise :class:`Refused` or :class:`ReadOnly` if the query must not run here."""
    words = set(keywords(text))
    update = sorted(words & UPDATE_WORDS)
    if update:
        raise ReadOnly(f"this endpoint is read-only; {', '.join(update)} is not allowed")
    if "SERVICE" in words:
        raise Refused("SERVICE is not allowed: this endpoint makes no requests to other hosts")
    if "FROM" in words:
        raise Refused("FROM and FROM NAMED are not allowed: queries run on this endpoint's graph only")
