"""The serializations this tool reads and writes, in one table: names, media
types, file extensions, and content negotiation over them.

RDF graphs (export, CONSTRUCT/DESCRIBE answers, entity pages) come in
Turtle, N-Triples, N3, JSON-LD and RDF/XML; SELECT/ASK answers in the W3C
SPARQL 1.1 results formats JSON, XML, CSV and TSV.

>>> negotiate(accept="application/rdf+xml", kind=Kind.GRAPH).name
'xml'
>>> negotiate(format_values=["rdf+xml", "application/rdf+xml"], kind=Kind.GRAPH).media_type
'application/rdf+xml'
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kg.errors import KGError


class NotAcceptable(KGError):
    """No format both wanted by the client and offered for this answer."""

    http_status = 406


class Kind(StrEnum):
    """What an answer is: an RDF graph, or SPARQL results (SELECT rows, ASK)."""

    GRAPH = "graph"
    RESULTS = "results"


@dataclass(frozen=True)
class Serialization:
    name: str  # the value of ``format=`` and of ``--format``
    media_type: str
    extension: str
    rdflib_name: str = ""  # for RDF formats
    also: tuple[str, ...] = ()  # other ``format=`` values and media types that mean this one
    more_extensions: tuple[str, ...] = ()  # file extensions besides ``extension`` read as this format

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.more_extensions)


RDF_FORMATS: tuple[Serialization, ...] = (
    Serialization(
        "turtle", "text/turtle", "ttl", "turtle", ("ttl", "application/turtle", "application/x-turtle"), ("turtle",)
    ),
    Serialization("ntriples", "application/n-triples", "nt", "nt", ("nt", "n-triples", "text/plain")),
    # Turtle is N3; rdflib's N3 writer adds nothing a graph needs.
    Serialization("n3", "text/n3", "n3", "n3", ("text/rdf+n3", "application/n3")),
    Serialization(
        "jsonld", "application/ld+json", "jsonld", "json-ld", ("json-ld", "json", "application/x-json+ld"), ("json",)
    ),
    Serialization("xml", "application/rdf+xml", "rdf", "xml", ("rdf", "rdf+xml", "rdfxml", "owl"), ("xml", "owl")),
)

RESULT_FORMATS: tuple[Serialization, ...] = (
    Serialization("json", "application/sparql-results+json", "srj", also=("srj",)),
    Serialization("xml", "application/sparql-results+xml", "srx", also=("srx",)),
    Serialization("csv", "text/csv", "csv"),
    Serialization("tsv", "text/tab-separated-values", "tsv", also=("text", "tab")),
)

#: Generic media types a client may send, and the format each one gets.
_LOOSE = {
    Kind.GRAPH: {"application/json": "jsonld", "application/xml": "xml", "text/xml": "xml"},
    Kind.RESULTS: {"application/json": "json", "application/xml": "xml", "text/xml": "xml"},
}
_DEFAULT = {Kind.GRAPH: "turtle", Kind.RESULTS: "json"}


def table(kind: Kind) -> tuple[Serialization, ...]:
    return RDF_FORMATS if kind is Kind.GRAPH else RESULT_FORMATS


def by_name(name: str, kind: Kind) -> Serialization | None:
    """The format called ``name`` (a name, an alias or a media type), if offered for ``kind``."""
    key = name.strip().lower()
    for fmt in table(kind):
        if key in (fmt.name, fmt.media_type, *fmt.also):
            return fmt
    loose = _LOOSE[kind].get(key)
    return by_name(loose, kind) if loose else None


def rdf_format_of_path(path: str) -> Serialization | None:
    """The RDF format a file name's extension names, if any.

    >>> rdf_format_of_path("build/linzi.JSONLD").name, rdf_format_of_path("x.owl").name, rdf_format_of_path("x.txt")
    ('jsonld', 'xml', None)
    """
    name = path.rsplit("/", 1)[-1]
    if "." not in name.lstrip("."):
        return None
    ext = name.rsplit(".", 1)[-1].lower()
    return next((f for f in RDF_FORMATS if ext in f.extensions), None)


def rdf_format_of(media_type: str) -> Serialization | None:
    """The RDF format an answer's ``Content-Type`` names, if this tool reads it."""
    return by_name(media_type.split(";")[0], Kind.GRAPH) if media_type else None


HTML = Serialization("html", "text/html", "html")


def negotiate(
    *,
    kind: Kind,
    accept: str | None = None,
    format_values: Sequence[str] = (),
    allow_html: bool = False,
) -> Serialization:
    """The format to answer in.

    ``format=`` wins over ``Accept``; when it is repeated (SPARQLWrapper
    sends ``format=rdf+xml&format=application/rdf+xml``), the first value
    offered for this answer is taken. Raises :class:`NotAcceptable` naming
    what can be served.
    """
    offered = [f.media_type for f in table(kind)] + (["text/html"] if allow_html else [])
    if format_values:
        for value in format_values:
            if allow_html and value.strip().lower() in ("html", "text/html"):
                return HTML
            found = by_name(value, kind)
            if found is not None:
                return found
        names = ", ".join(f.name for f in table(kind))
        shown = ", ".join(repr(v) for v in format_values)
        raise NotAcceptable(f"format={shown} is not offered for this answer; offered: {names} ({', '.join(offered)})")
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept or "*/*").split(",")):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            key, _, value = p.strip().partition("=")
            if key.strip().lower() == "q":
                with contextlib.suppress(ValueError):
                    q = float(value)
        if media.strip():
            ranked.append((q, index, media.strip().lower()))
    ranked.sort(key=lambda x: (-x[0], x[1]))
    for q, _, media in ranked:
        if q <= 0:
            continue
        if allow_html and media in ("text/html", "application/xhtml+xml"):
            return HTML
        found = by_name(media, kind) if "/" in media and not media.endswith("/*") else None
        if found is not None:
            return found
        if media in ("*/*", "application/*", "text/*"):
            return by_name(_DEFAULT[kind], kind)  # type: ignore[return-value]
    raise NotAcceptable("none of the accepted media types is offered for this answer; offered: " + ", ".join(offered))
