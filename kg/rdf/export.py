"""Serialize the graph: deterministic bytes in four formats, written atomically."""

from __future__ import annotations

import json
import os
import re
import stat
from enum import StrEnum
from typing import Any

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, XSD

from kg.errors import UsageError
from kg.output import write_atomic

__all__ = ["Format", "format_for_output", "serialize", "write_atomic"]


class Format(StrEnum):
    """RDF serializations offered by ``linzi-kg export``."""

    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    JSONLD = "jsonld"
    XML = "xml"

    @property
    def rdflib_name(self) -> str:
        return {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "xml": "xml"}[self.value]

    @property
    def media_type(self) -> str:
        return {
            "turtle": "text/turtle",
            "ntriples": "application/n-triples",
            "jsonld": "application/ld+json",
            "xml": "application/rdf+xml",
        }[self.value]

    @property
    def extension(self) -> str:
        return {"turtle": "ttl", "ntriples": "nt", "jsonld": "jsonld", "xml": "rdf"}[self.value]


def format_for_output(output: str | os.PathLike[str] | None, name: str | None) -> Format:
    """The format to write: ``name`` (a name of kg.formats' RDF table) when
    given, else the one the output file's extension names; Turtle only for
    standard output or a device. Never a silent guess: an unknown extension
    without ``name``, or a ``name`` the extension contradicts, is an error.

    >>> format_for_output("build/linzi.jsonld", None).value, format_for_output(None, "ttl").value
    ('jsonld', 'turtle')
    >>> format_for_output("linzi.txt", None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.UsageError: cannot tell the RDF format of linzi.txt from its extension; give --format ...
    """
    from kg.core.formats import Kind, by_name, rdf_format_of_path

    given = by_name(name, Kind.GRAPH) if name else None
    if name and given is None:
        raise UsageError(f"{name!r} is not an RDF format; offered: {', '.join(f.value for f in Format)}")
    # N3 is written as Turtle, which every N3 reader reads.
    wanted = None if given is None else Format.TURTLE if given.name == "n3" else Format(given.name)
    if output is None:
        return wanted or Format.TURTLE
    by_extension = rdf_format_of_path(os.fspath(output))
    named = None if by_extension is None else Format.TURTLE if by_extension.name == "n3" else Format(by_extension.name)
    if wanted is not None:
        if named is not None and named is not wanted:
            raise UsageError(
                f"--format {wanted.value} does not match {os.fspath(output)}, whose extension means {named.value}; "
                "change one of them"
            )
        return wanted
    if named is not None:
        return named
    if _is_stream(output):
        return Format.TURTLE
    raise UsageError(
        f"cannot tell the RDF format of {os.fspath(output)} from its extension; give --format "
        f"({', '.join(f.value for f in Format)}) or a file name ending in "
        + ", ".join(f".{f.extension}" for f in list(Format)[:-1])
        + f" or .{list(Format)[-1].extension}"
    )


def _is_stream(path: str | os.PathLike[str]) -> bool:
    """A character device or FIFO (``/dev/stdout``, ``/dev/null``, a pipe): written like standard output."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _ordered_copy(graph: Graph) -> Graph:
    # rdflib's N-Triples, JSON-LD and RDF/XML writers follow the store's
    # iteration order; refilling a fresh store in sorted order fixes it.
    out = Graph(bind_namespaces="none")
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns)
    for triple in sorted(graph, key=lambda t: tuple(x.n3() for x in t)):
        out.add(triple)
    return out


def serialize(graph: Graph, fmt: Format = Format.TURTLE) -> bytes:
    """The graph in ``fmt`` as UTF-8 bytes, identical from run to run.

    >>> from rdflib import Graph, URIRef, Literal
    >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:b"), Literal("临淄")))
    >>> serialize(g, Format.NTRIPLES).decode()
    '<urn:a> <urn:b> "临淄" .\\n'
    """
    if fmt is Format.NTRIPLES:
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")
    if fmt is Format.TURTLE:
        return graph.serialize(format="turtle", encoding="utf-8")
    ordered = _ordered_copy(graph)
    if fmt is Format.JSONLD:
        return _jsonld(ordered)
    return _xml(ordered)


def _jsonld(graph: Graph) -> bytes:
    """Compacted JSON-LD: every IRI written with the graph's prefixes (keys,
    ``@id``, ``@type``, datatypes), a context of exactly the prefixes used,
    node objects sorted by ``@id`` and values by their JSON text.

    Written here rather than by rdflib, whose writer leaves full IRIs
    whatever context it is given, and whose node order follows its store.
    Literals stay value objects with their datatype, so the file parses back
    into the same graph (tests/test_export.py reads it with rdflib and pyoxigraph).
    """
    namespaces = sorted(((prefix, str(ns)) for prefix, ns in graph.namespaces() if prefix), key=lambda p: -len(p[1]))
    used: set[str] = set()

    def compact(iri: str) -> str:
        for prefix, ns in namespaces:
            rest = iri[len(ns) :]
            # A local part that could be read as a scheme or a path stays a full IRI.
            if iri.startswith(ns) and rest and not rest.startswith("/") and ":" not in rest:
                used.add(prefix)
                return f"{prefix}:{rest}"
        return iri

    def ref(node: Any) -> str:
        return f"_:{node}" if isinstance(node, BNode) else compact(str(node))

    def value(obj: Any) -> Any:
        if not isinstance(obj, Literal):
            return {"@id": ref(obj)}
        if obj.language:
            return {"@language": obj.language, "@value": str(obj)}
        if obj.datatype is not None and str(obj.datatype) != str(XSD.string):
            return {"@type": compact(str(obj.datatype)), "@value": str(obj)}
        return str(obj)

    nodes: dict[Any, dict[str, list[Any]]] = {}
    for s, p, o in graph:
        props = nodes.setdefault(s, {})
        if p == RDF.type and not isinstance(o, Literal):
            props.setdefault("@type", []).append(ref(o))
        else:
            props.setdefault(compact(str(p)), []).append(value(o))

    def order(v: Any) -> str:
        return json.dumps(v, sort_keys=True, ensure_ascii=False)

    out_nodes = []
    for s, props in nodes.items():
        node: dict[str, Any] = {"@id": ref(s)}
        for key, values in props.items():
            values = sorted(values, key=order)
            node[key] = values[0] if len(values) == 1 else values
        out_nodes.append(node)
    out_nodes.sort(key=lambda n: str(n["@id"]))
    context = {prefix: ns for prefix, ns in sorted(namespaces) if prefix in used}
    doc = {"@context": context, "@graph": out_nodes}
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


_XMLNS = re.compile(r'(<rdf:RDF)((?:\s+xmlns:[\w-]+="[^"]*")+)(\s*>)')


def _xml(graph: Graph) -> bytes:
    text = graph.serialize(format="xml", encoding="utf-8").decode("utf-8")

    def order(match: re.Match[str]) -> str:
        decls = sorted(re.findall(r'xmlns:[\w-]+="[^"]*"', match.group(2)))
        return match.group(1) + "".join(f"\n   {d}" for d in decls) + match.group(3)

    text = _XMLNS.sub(order, text, count=1)
    # Subjects come out in set order: sort the top-level description blocks.
    root = re.search(r"<rdf:RDF[^>]*>\n", text)
    if root is None:
        return text.encode("utf-8")
    head, sep, rest = text[: root.start()], root.group(0), text[root.end() :]
    body, tail = rest.rsplit("</rdf:RDF>", 1)
    blocks = re.findall(r"  <rdf:Description .*?\n  </rdf:Description>\n|  <rdf:Description [^\n]*/>\n", body, re.S)
    if "".join(blocks) != body:  # unexpected layout: keep rdflib's output as is
        return text.encode("utf-8")
    return (head + sep + "".join(sorted(blocks)) + "</rdf:RDF>" + tail).encode("utf-8")
