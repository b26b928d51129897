"""Up-front refusal of what a public read-only endpoint must never run.

The query is split into the terminals of the SPARQL 1.1 grammar as
pyoxigraph's parser reads them (an exact tokenizer, not a mask): ``\\u``
escapes count inside IRIs and strings only (pyoxigraph does not apply them
to the rest of the text, so ``\\u0053ERVICE`` is a syntax error there, and
``"a\\u0022b"`` is one string); ``\\#`` in a local name is an escape, not a
comment; ``1SERVICE`` and ``trueSERVICE`` are two tokens each.

A scanner alone cannot know how a backtracking parser re-reads a name it
rejects (``trueSERVICE:x`` with an undeclared prefix is ``true SERVICE :x``),
so the engine never gets the client's text: it gets the text rebuilt from
the tokens (:attr:`Checked.text`): prefixed names expanded to full IRIs,
every bare word a known keyword (anything else is refused), comments
blanked, a space added only where two words or numbers were glued. What
the engine parses is then what was checked. Bracket depth and operator
count are capped as well, since the parser's recursion is another way to
crash a process (measured: 5,000 nested brackets or 30,000 chained
operators segfault pyoxigraph 0.5).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from kg.errors import KGError

UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_FORBIDDEN = ("SERVICE", "FROM", *UPDATE_WORDS)
MAX_NESTING = 100
MAX_OPERATORS = 2000

# The keywords and built-in function names of SPARQL 1.1, and the SPARQL 1.2
# and Oxigraph additions that pyoxigraph 0.5 knows. A bare word outside this
# set is refused: pyoxigraph would either reject it or split it into keywords.
KEYWORDS = frozenset(
    w.upper()
    for w in """
    BASE PREFIX SELECT DISTINCT REDUCED AS CONSTRUCT WHERE DESCRIBE ASK FROM NAMED GROUP BY HAVING ORDER
    ASC DESC LIMIT OFFSET VALUES LOAD SILENT INTO CLEAR DROP CREATE ADD TO MOVE COPY INSERT DATA DELETE WITH
    DEFAULT GRAPH ALL USING OPTIONAL SERVICE BIND UNDEF MINUS UNION FILTER A STR LANG LANGMATCHES DATATYPE
    BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS
    STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1
    SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX
    SUBSTR REPLACE EXISTS NOT IN COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR TRUE FALSE
    LATERAL ADJUST TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE LANGDIR HASLANG HASLANGDIR STRLANGDIR VERSION
    """.split()
)


class Refused(KGError):
    """A query the endpoint will not run; the message says why."""

    http_status = 400


class ReadOnly(Refused):
    """An update sent to the read-only endpoint."""

    http_status = 403


# -- the terminals ----------------------------------------------------------------

_HEX = "[0-9A-Fa-f]"
_UCHAR = rf"\\u{_HEX}{{4}}|\\U{_HEX}{{8}}"
_ECHAR = r"\\[tbnrf\\\"']"
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"


def _long_string(q: str) -> str:
    return f"{q}{q}{q}(?:(?:{q}{q}|{q})?(?:[^{q}\\\\]|{_ECHAR}|{_UCHAR}))*{q}{q}{q}"


def _short_string(q: str) -> str:
    return f"{q}(?:[^{q}\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*{q}"


# Order matters where two terminals share a start: long strings before short
# ones, numbers with exponent before plain ones, two-character operators
# before one-character ones, a prefixed name before a bare word.
_TOKENS = [
    ("ws", r"(?:[ \t\r\n]+|#[^\r\n]*)+"),  # whitespace and comments
    ("iri", rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>"),
    ("string", _long_string('"')),
    ("string", _long_string("'")),
    ("string", _short_string('"')),
    ("string", _short_string("'")),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("var", f"[?$]{_VARNAME}"),
    ("bnode", f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    ("number", r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+)"),
    ("pname", f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("open", r"<<\(|<<|\{\||[{(\[]"),
    ("close", r"\)>>|>>|\|\}|[})\]]"),
    ("op", r"\^\^|\|\||&&|!=|<=|>=|[=<>!+\-*/^|?]"),
    ("punct", r"[.;,~]"),
]
_SCANNER = re.compile(
    "|".join(f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in enumerate(_TOKENS)) + r"|(?P<bad>[\s\S])"
)
_KIND = {f"{kind}{i}": kind for i, (kind, _) in enumerate(_TOKENS)} | {"bad": "bad"}
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_COMMENT = re.compile(r"#[^\r\n]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


class Token(NamedTuple):
    kind: str  # ws (with comments) iri string langtag var bnode number pname word open close op punct
    text: str
    start: int  # code-point offset in the query


def tokens(text: str) -> list[Token]:
    """The query's terminals, or :class:`Refused` at a character none can start with.

    >>> [t.text for t in tokens('?s ?p 1SERVICE') if t.kind != "ws"]
    ['?s', '?p', '1', 'SERVICE']
    >>> [t.kind for t in tokens(r'ex:a\\# "a\\u0022b"') if t.kind != "ws"]
    ['pname', 'string']
    """
    kinds = _KIND
    out = [Token(kinds[m.lastgroup], m.group(), m.start()) for m in _SCANNER.finditer(text)]  # type: ignore[index]
    for tok in out:
        if tok.kind == "bad":
            line, column = position(text, tok.start)
            raise Refused(f"SPARQL syntax error at line {line}, column {column}: unexpected {tok.text!r}")
    return out


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a code-point offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@dataclass
class Checked:
    """A query that passed the guard: ``text`` is what the engine must run
    (rebuilt from the tokens); ``origin`` maps its offsets back to the client's."""

    text: str
    source: str
    origin: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, offset in source)

    def source_position(self, line: int, column: int) -> tuple[int, int]:
        """Where a (line, column) of :attr:`text` is in the client's query."""
        lines = self.text.split("\n")
        offset = sum(len(s) + 1 for s in lines[: max(0, line - 1)]) + max(0, column - 1)
        best = (0, 0)
        for here, there in self.origin:
            if here > offset:
                break
            best = (here, there)
        return position(self.source, min(len(self.source), best[1] + offset - best[0]))


def _where(text: str, token: Token) -> str:
    line, column = position(text, token.start)
    return f"line {line}, column {column}"


def check_query(text: str, prefixes: Mapping[str, str] | None = None) -> Checked:
    """Raise :class:`Refused` or :class:`ReadOnly` if the query must not run
    here; else the query as the engine must get it.

    >>> check_query("PREFIX ex: <http://x/> SELECT * { ?s ex:p 1 }").text
    ' SELECT * { ?s <http://x/p> 1 }'
    >>> check_query('SELECT * { ?s ?p 1SERVICE <http://h/> { } }')
    Traceback (most recent call last):
    ...
    kg.sparql.guard.Refused: SERVICE is not allowed: this endpoint makes no requests to other hosts
    """
    declared = dict(prefixes or {})
    base: str | None = None
    bases = 0
    parts: list[str] = []
    origin: list[tuple[int, int]] = []
    length = 0
    depth = deepest = operators = 0
    found: set[str] = set()
    syntax: str | None = None  # the first syntax problem, reported after the forbidden words
    toks = [t for t in tokens(text) if t.kind != "ws"]
    # Declarations are left out of the rebuilt text: every prefixed name is
    # written out in full, and parsing the dead declarations cost the engine
    # 18 of 144 us for a named query with the endpoint's 20 prefixes (measured).
    dropped = -1  # the last token of a PREFIX declaration being left out
    for i, tok in enumerate(toks):
        out = tok.text
        if i <= dropped:
            out = ""
        if tok.kind == "word":
            word = tok.text.upper()
            if word not in KEYWORDS:
                # The engine might split it (trueSERVICE is true SERVICE): name what it hides.
                found.update(w for w in _FORBIDDEN if w in word)
                syntax = syntax or f"SPARQL syntax error at {_where(text, tok)}: unknown keyword {tok.text[:40]!r}"
            found.add(word)
            if word == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
                dropped, out = i + 2, ""
            if word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
                bases += 1
                base = toks[i + 1].text[1:-1]
            if bases > 1:
                raise Refused(f"at {_where(text, tok)}: at most one BASE declaration is allowed here")
        elif tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            is_declaration = i > 0 and toks[i - 1].kind == "word" and toks[i - 1].text.upper() == "PREFIX"
            if is_declaration:
                if local or i + 1 >= len(toks) or toks[i + 1].kind != "iri":
                    raise Refused(f"SPARQL syntax error at {_where(text, tok)}: PREFIX needs 'name: <IRI>'")
                namespace = toks[i + 1].text[1:-1]
                if base is not None and not _SCHEME.match(namespace):
                    from urllib.parse import urljoin

                    namespace = urljoin(base, namespace)
                declared[prefix] = namespace
            else:
                if prefix not in declared:
                    found.update(w for w in _FORBIDDEN if w in prefix.upper())
                    syntax = syntax or (
                        f"SPARQL syntax error at {_where(text, tok)}: the prefix {prefix[:40]!r} is not declared"
                    )
                else:
                    out = "<" + declared[prefix] + _LOCAL_ESCAPE.sub(r"\1", local) + ">"
        elif tok.kind == "iri":
            problem = _iri_problem(tok.text[1:-1], has_base=base is not None)
            if problem:
                raise Refused(f"SPARQL syntax error at {_where(text, tok)}: {tok.text[:60]!r} {problem}")
        elif tok.kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif tok.kind == "close":
            depth -= 1
        elif tok.kind == "op":
            operators += 1
        if parts:
            # The client's spacing, comments blanked (pyoxigraph reads "CONCAT(" but not
            # "CONCAT ("); glued words and numbers get a space, so they cannot re-split.
            before = toks[i - 1]
            sep = text[before.start + len(before.text) : tok.start]
            if "#" in sep:
                sep = _COMMENT.sub(" ", sep)
            if not sep and before.kind in ("word", "number") and tok.kind in ("word", "number"):
                sep = " "
            if not out:  # a declaration left out, its spacing with it
                sep = ""
            parts.append(sep)
            length += len(sep)
        origin.append((length, tok.start))
        parts.append(out)
        length += len(out)
    if deepest > MAX_NESTING:
        raise Refused(f"the query nests brackets {deepest} deep; at most {MAX_NESTING} are allowed")
    if operators > MAX_OPERATORS:
        raise Refused(f"the query has {operators} operators; at most {MAX_OPERATORS} are allowed")
    update = sorted(found & set(UPDATE_WORDS))
    if update:
        raise ReadOnly(f"this endpoint is read-only; {', '.join(update)} is not allowed")
    if "SERVICE" in found:
        raise Refused("SERVICE is not allowed: this endpoint makes no requests to other hosts")
    if "FROM" in found:
        raise Refused("FROM and FROM NAMED are not allowed: queries run on this endpoint's graph only")
    if syntax:
        raise Refused(syntax)
    return Checked("".join(parts), text, origin)


class CheckCache:
    """:func:`check_query`'s rebuilt text for queries seen before: a client
    that sends the same query again (a dashboard, a page's named query)
    skips the tokenizer, 0.2 to 0.5 ms of Python for a named query.

    Only queries that passed are kept (a refusal is worked out again each
    time), keyed by the exact text, least recently used first out, within
    ``max_chars`` characters of keys and values together, so that clients
    sending many different large queries cannot grow the server.

    >>> cache = CheckCache({"ex": "http://x/"})
    >>> cache.text("SELECT * { ?s ex:p 1 }"), len(cache)
    ('SELECT * { ?s <http://x/p> 1 }', 1)
    """

    def __init__(self, prefixes: Mapping[str, str] | None = None, *, max_chars: int = 4_000_000) -> None:
        from collections import OrderedDict

        self.prefixes = dict(prefixes or {})
        self.max_chars = max_chars
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._chars = 0

    def __len__(self) -> int:
        return len(self._texts)

    def text(self, query: str) -> str:
        """The text the engine must run for ``query``; raises as :func:`check_query` does."""
        rebuilt = self._texts.get(query)
        if rebuilt is not None:
            self._texts.move_to_end(query)
            return rebuilt
        rebuilt = check_query(query, self.prefixes).text
        size = len(query) + len(rebuilt)
        if size <= self.max_chars // 8:
            self._texts[query] = rebuilt
            self._chars += size
            while self._chars > self.max_chars:
                old, old_text = self._texts.popitem(last=False)
                self._chars -= len(old) + len(old_text)
        return rebuilt


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _iri_problem(content: str, *, has_base: bool) -> str | None:
    """Why pyoxigraph would not take ``<content>`` as an IRI (it would then
    read the ``<`` as less-than and the rest as code the guard has not
    checked), or None. Stricter than the engine where unsure."""
    if not has_base and not _SCHEME.match(content):
        return "is a relative IRI and there is no BASE (write '< ' with a space for less-than)"
    if content.count("#") > 1 or _BAD_PERCENT.search(content) or "[" in content or "]" in content:
        return "is not a valid IRI"
    return None


def check_shape(text: str) -> None:
    """Refuse a query whose nesting or operator count would crash the parser
    (for the CLI, which runs the user's own queries with SERVICE allowed).
    Text that does not tokenize is left to the engine's own syntax error."""
    try:
        toks = tokens(text)
    except Refused:
        return
    depth = deepest = operators = 0
    for tok in toks:
        if tok.kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif tok.kind == "close":
            depth -= 1
        elif tok.kind == "op":
            operators += 1
    if deepest > MAX_NESTING:
        raise Refused(f"the query nests brackets {deepest} deep; at most {MAX_NESTING} are allowed")
    if operators > MAX_OPERATORS:
        raise Refused(f"the query has {operators} operators; at most {MAX_OPERATORS} are allowed")


def mask(text: str) -> tuple[str, int]:
    """``text`` with strings, IRIs and comments replaced by spaces, and the
    deepest nesting of brackets.

    >>> mask('SELECT * { ?s <urn:FROM> "SERVICE" } # LOAD')[0].split()
    ['SELECT', '*', '{', '?s', '}']
    """
    pieces: list[str] = []
    depth = deepest = 0
    for match in _SCANNER.finditer(text):
        kind = _KIND[match.lastgroup or ""]
        piece = match.group()
        if kind in ("iri", "string"):
            piece = " " * len(piece)
        elif kind == "ws" and "#" in piece:
            piece = _COMMENT.sub(lambda c: " " * len(c.group()), piece)
        elif kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
        pieces.append(piece)
    return "".join(pieces), deepest
