"""Named queries: one ``.rq`` file per question in ``queries/``, with a header.

Header lines start with ``#+`` (after grlc)::

    #+ title: 企业承担的项目 | Projects of an enterprise
    #+ description: What a given enterprise (or one of its units) carries.
    #+ param: enterprise entity 齐鲁石化 -- the enterprise, by label or IRI
    #+ sentence: start end
    #+ description-zh: 某企业（或其下属单位）承担的项目。
    #+ param-zh: enterprise -- 企业：中文或英文名称，或 IRI
    #+ column: enterprise 企业 | Enterprise

``param`` gives name, type (``entity``: a label or IRI resolved to the
entity's IRI; ``document``: a document id such as ``linzi-2023`` or its IRI;
``iri``; ``string``; ``integer``), a default taken from the article (``*``:
the parameter may be left out, and its variable stays unbound), and a
description. ``sentence`` names the variables holding span offsets and,
optionally, the span's document; when the text is available a ``sentence``
column is added. ``description-zh`` and ``param-zh`` give the description and a
parameter's description in Chinese; ``column`` gives a variable's label in
Chinese and English (``NAME 中文 | English``), shown as the column header and
the parameter's name in the explorer.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import QueryNotFound, UsageError
from kg.resources import queries_dir

if TYPE_CHECKING:
    from kg.sparql.engines import QueryResult as QueryResultType

PARAM_TYPES = ("entity", "document", "iri", "string", "integer")
#: The default of a parameter that may be left out: the variable stays unbound
#: (a ``report`` left out means every document).
UNBOUND = "*"
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str
    description: str

    @property
    def optional(self) -> bool:
        """Left out, the variable stays unbound (default ``*``)."""
        return self.default == UNBOUND


@dataclass(frozen=True)
class NamedQuery:
    """A query file and what its header says."""

    name: str
    path: Path
    text: str
    title_zh: str
    title_en: str
    description: str
    params: tuple[Param, ...] = ()
    #: The variables of a span's start and end offsets, and of its document (optional).
    sentence: tuple[str, ...] | None = None
    extra: dict[str, str] = field(default_factory=dict)
    #: The description in Chinese (``description`` is the English one).
    description_zh: str = ""
    #: Each variable's label: name -> (Chinese, English).
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Each parameter's description in Chinese, by name.
    param_zh: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> tuple[str, str] | None:
        """The label of a variable, (Chinese, English), if the header gives one."""
        return self.columns.get(name)

    @property
    def title(self) -> str:
        return f"{self.title_zh} | {self.title_en}" if self.title_en else self.title_zh


class HeaderError(UsageError):
    """A query file's ``#+`` header is malformed."""

    exit_code = 1


def parse_query_file(path: Path, *, name: str | None = None) -> NamedQuery:
    """Read a ``.rq`` file and its header; plain SPARQL files have an empty header."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such query file") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text ({exc.reason})") from None
    fields: dict[str, list[tuple[int, str]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            continue
        key, sep, value = line[2:].partition(":")
        if not sep:
            raise HeaderError(f"{path}:{number}: header line needs 'key: value'")
        fields.setdefault(key.strip(), []).append((number, value.strip()))
    title_zh, _, title_en = (fields.get("title", [(0, path.stem)])[0][1]).partition("|")
    params = []
    for number, value in fields.get("param", []):
        match = re.match(r"^(\w+)\s+(\w+)\s+(\S+)\s*(?:--\s*(.*))?$", value)
        if not match or match.group(2) not in PARAM_TYPES:
            raise HeaderError(
                f"{path}:{number}: 'param' must be NAME TYPE DEFAULT -- description, "
                f"TYPE one of {', '.join(PARAM_TYPES)}"
            )
        params.append(Param(match.group(1), match.group(2), match.group(3), (match.group(4) or "").strip()))
    sentence = None
    if "sentence" in fields:
        number, value = fields["sentence"][0]
        parts = value.split()
        if len(parts) not in (2, 3):
            raise HeaderError(f"{path}:{number}: 'sentence' needs two or three variable names (start end [document])")
        sentence = tuple(parts)
    columns: dict[str, tuple[str, str]] = {}
    for number, value in fields.get("column", []):
        match = re.match(r"^(\w+)\s+([^|]+?)\s*\|\s*(.+)$", value)
        if not match:
            raise HeaderError(f"{path}:{number}: 'column' must be NAME 中文 | English")
        columns[match.group(1)] = (match.group(2).strip(), match.group(3).strip())
    param_zh: dict[str, str] = {}
    for number, value in fields.get("param-zh", []):
        match = re.match(r"^(\w+)\s+--\s*(.+)$", value)
        if not match:
            raise HeaderError(f"{path}:{number}: 'param-zh' must be NAME -- 中文说明")
        param_zh[match.group(1)] = match.group(2).strip()
    unknown = sorted(set(param_zh) - {p.name for p in params})
    if unknown:
        raise HeaderError(f"{path}: 'param-zh' names no parameter: {', '.join(unknown)}")
    known = {"title", "description", "param", "sentence", "description-zh", "param-zh", "column"}
    extra = {k: v[0][1] for k, v in fields.items() if k not in known}
    return NamedQuery(
        name=name or path.stem,
        path=path,
        text=text,
        title_zh=title_zh.strip(),
        title_en=title_en.strip(),
        description=" ".join(v for _, v in fields.get("description", [])),
        params=tuple(params),
        sentence=sentence,
        extra=extra,
        description_zh=" ".join(v for _, v in fields.get("description-zh", [])),
        columns=columns,
        param_zh=param_zh,
    )


def list_queries(directory: Path | None = None) -> list[NamedQuery]:
    """Every named query, sorted by name."""
    root = directory or queries_dir()
    return [parse_query_file(p) for p in sorted(root.glob("*.rq"))]


def get_query(name_or_path: str, directory: Path | None = None) -> NamedQuery:
    """A named query by name, or any ``.rq`` file by path.

    >>> get_query("enterprise-projects").params[0].default
    '齐鲁石化'
    """
    if name_or_path.endswith(".rq") or "/" in name_or_path:
        return parse_query_file(Path(name_or_path))
    root = directory or queries_dir()
    path = root / f"{name_or_path}.rq"
    if _NAME.match(name_or_path) and path.is_file():
        return parse_query_file(path)
    names = [p.stem for p in sorted(root.glob("*.rq"))]
    close = difflib.get_close_matches(name_or_path, names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `linzi-kg queries` lists them"
    raise QueryNotFound(f"no named query {name_or_path!r}{hint}")


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` strings (from ``--param``) as a dict; bad ones raise UsageError."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise UsageError(f"--param {pair!r}: expected NAME=VALUE with NAME a SPARQL variable name")
        out[name] = value
    return out


def coerce(value: str, kind: str, *, name: str, resolve: object = None) -> Node:
    """Turn a parameter's text into an RDF term of its declared type."""
    if kind == "entity":
        from kg.graph.lookup import find_entity

        assert resolve is not None
        return find_entity(resolve, value)  # type: ignore[arg-type]
    if kind == "document":
        from kg.graph.lookup import find_document

        assert resolve is not None
        return find_document(resolve, value)  # type: ignore[arg-type]
    if kind == "iri":
        text = value[1:-1] if value.startswith("<") and value.endswith(">") else value
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]*$", text):
            raise UsageError(f"parameter {name}: {value!r} is not an IRI")
        return URIRef(text)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise UsageError(f"parameter {name}: {value!r} is not an integer")
        return Literal(int(value), datatype=XSD.integer)
    return Literal(value)


def bindings_for(query: NamedQuery, given: dict[str, str], graph: object) -> dict[str, Node]:
    """Bindings for a query: declared parameters (defaults filled in, values
    coerced) and, for files without a header, ``given`` values as IRIs when
    written ``<...>``, else as plain literals."""
    declared = {p.name: p for p in query.params}
    if query.params:
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise UsageError(
                f"query {query.name!r} has no parameter {', '.join(unknown)}; "
                f"its parameters: {', '.join(declared) or 'none'}"
            )
    out: dict[str, Node] = {}
    for p in query.params:
        value = given.get(p.name, p.default)
        if value == UNBOUND and p.optional:
            continue
        out[p.name] = coerce(value, p.type, name=p.name, resolve=graph)
    for name, value in given.items():
        if name not in declared:
            kind = "iri" if value.startswith("<") and value.endswith(">") else "string"
            out[name] = coerce(value, kind, name=name)
    return out


def run(
    query: NamedQuery | str,
    params: dict[str, str] | None = None,
    *,
    kg: object | None = None,
    engine: str = "oxigraph",
    endpoint: str | None = None,
    timeout: float = 30.0,
    credentials: object | None = None,
    graph_iri: str | None = None,
) -> QueryResultType:
    """Run a named query (or its name, or inline SPARQL text) and return rows.

    Embedded by default (``kg`` is loaded when not given); with ``endpoint``
    it runs on that SPARQL 1.1 endpoint (``graph_iri`` as its default graph).

    >>> result = run("enterprise-projects", {"enterprise": "聚合顺"})
    >>> [row["project"].split("/")[-1] for row in result.dicts()]
    ['juheshun-nylon']
    """
    from kg.graph.store import Engine, KnowledgeGraph, load_graph
    from kg.sparql.engines import run_query, run_remote

    if isinstance(query, str):
        query = get_query(query) if not _looks_like_sparql(query) else inline(query)
    graph = kg if isinstance(kg, KnowledgeGraph) else load_graph()
    bindings = bindings_for(query, params or {}, graph)
    if endpoint is not None:
        from kg.sparql.httpclient import Credentials

        assert credentials is None or isinstance(credentials, Credentials)
        result = run_remote(
            endpoint, query.text, bindings, timeout=timeout, credentials=credentials, graph_iri=graph_iri
        )
    else:
        result = run_query(graph, query.text, bindings, engine=Engine(engine))
    if query.sentence and graph.texts and result.kind == "select":
        result = with_sentences(result, query.sentence, graph)
    return result


def _looks_like_sparql(text: str) -> bool:
    # A query name is a slug and a file ends in .rq; anything else is SPARQL.
    return not (_NAME.match(text) or text.endswith(".rq"))


def inline(text: str) -> NamedQuery:
    """Inline SPARQL as an unnamed query (no header, no parameters declared)."""
    return NamedQuery(name="(inline)", path=Path("-"), text=text, title_zh="", title_en="", description="")


def with_sentences(result: QueryResultType, names: tuple[str, ...], kg: object) -> QueryResultType:
    """``result`` with a ``sentence`` column: the sentence around the span whose
    offsets are in the columns ``names[0]`` and ``names[1]``, in the text of the
    document in ``names[2]`` (default: the first document's)."""
    from rdflib import Literal as Lit

    if names[0] not in result.variables or names[1] not in result.variables:
        return result
    i, j = result.variables.index(names[0]), result.variables.index(names[1])
    d = result.variables.index(names[2]) if len(names) > 2 and names[2] in result.variables else None
    rows = []
    for row in result.rows:
        start, end = row[i], row[j]
        text = None
        source = kg.text_of(row[d]) if d is not None else kg.source  # type: ignore[attr-defined]
        if start is not None and end is not None and source is not None:
            text = Lit(source.sentence(int(str(start)), int(str(end))))
        rows.append((*row, text))
    return type(result)(result.kind, [*result.variables, "sentence"], rows)
