"""Up-front refusal of what a public read-only endpoint must never run.

A linear scanner, not a parser: it applies SPARQL's ``\\u`` escapes (the
grammar does so before parsing), blanks out strings, IRIs and comments, then
looks for the forbidden keywords wherever a keyword could start, i.e. not
right after a name character, ``?``, ``$`` or ``:`` (so ``?service`` and
``ex:from`` pass, while ``SERVICE:x`` and ``SERVICESILENT``, which parsers
split into a keyword and more, are caught). It errs on the side of refusing.
It also caps nesting, since a parser's recursion is another way to crash.
"""

from __future__ import annotations

import re

from kg.errors import KGError

UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
MAX_NESTING = 100
# Case-insensitive for the keywords only: re.I over the whole pattern makes
# the wide look-behind class take 11 ms to compile, on every command's start.
_FORBIDDEN = re.compile(r"(?<![\w?$:\u00b7\u00c0-\uffff])((?i:SERVICE|FROM|" + "|".join(UPDATE_WORDS) + "))")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_IRI_CHAR = re.compile(r'[^<>"{}|^`\\\x00-\x20]')


class Refused(KGError):
    """A query the endpoint will not run; the message says why."""

    http_status = 400


class ReadOnly(Refused):
    """An update sent to the read-only endpoint."""

    http_status = 403


def unescape(text: str) -> str:
    """Apply SPARQL's codepoint escapes: ``\\u0053ERVICE`` is SERVICE."""

    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group(0)

    return _CODEPOINT.sub(one, text)


def _long(q: str) -> str:
    return f"{q}{q}{q}(?:\\\\[\\s\\S]?|(?!{q}{q}{q})[^\\\\])*(?:{q}{q}{q}|\\Z)"


def _short(q: str) -> str:
    return f"{q}(?:\\\\[\\s\\S]?|[^{q}\\\\\\r\\n])*(?:[{q}\\r\\n]|\\Z)"


# Comments, long strings, short strings (which cannot span lines) and IRIs;
# a < that does not open an IRI is the less-than operator and stays.
_MASKED = re.compile(
    "|".join(["#[^\\r\\n]*", _long('"'), _long("'"), _short('"'), _short("'"), '<[^<>"{}|^`\\\\\\x00-\\x20]*>'])
)
_BRACKET = re.compile(r"[{}()]")


def mask(text: str) -> tuple[str, int]:
    """``text`` with strings, IRIs and comments replaced by spaces, and the
    deepest nesting of brackets; linear in the length (one regex pass, so a
    request costs microseconds, not a Python loop per character).

    >>> mask('SELECT * { ?s <urn:FROM> "SERVICE" } # LOAD')[0].split()
    ['SELECT', '*', '{', '?s', '}']
    """
    masked = _MASKED.sub(lambda m: " " * len(m.group()), text)
    depth = deepest = 0
    for bracket in _BRACKET.finditer(masked):
        if bracket.group() in "{(":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return masked, deepest


def keywords(text: str) -> list[str]:
    """The forbidden keywords found where a keyword could start (upper-cased).

    >>> keywords('SELECT ?service { ?s ex:from "SERVICE" } # LOAD')
    []
    >>> keywords("PREFIX : <http://x/> SELECT * { SERVICE:x { ?s ?p ?o } }")
    ['SERVICE']
    """
    masked, _ = mask(unescape(text))
    return [m.group(1).upper() for m in _FORBIDDEN.finditer(masked)]


def check_query(text: str) -> None:
    """Raise :class:`Refused` or :class:`ReadOnly` if the query must not run here."""
    masked, deepest = mask(unescape(text))
    if deepest > MAX_NESTING:
        raise Refused(f"the query nests brackets {deepest} deep; at most {MAX_NESTING} are allowed")
    found = {m.group(1).upper() for m in _FORBIDDEN.finditer(masked)}
    update = sorted(found & set(UPDATE_WORDS))
    if update:
        raise ReadOnly(f"this endpoint is read-only; {', '.join(update)} is not allowed")
    if "SERVICE" in found:
        raise Refused("SERVICE is not allowed: this endpoint makes no requests to other hosts")
    if "FROM" in found:
        raise Refused("FROM and FROM NAMED are not allowed: queries run on this endpoint's graph only")
