"""Read RDF files given by users, with errors that name the file and line.

Every ``--data`` file passes :func:`check_input` before any engine sees it:
it must be a regular file (a FIFO would block a build forever); RDF/XML may
not have a DOCTYPE (entity declarations expand exponentially or
quadratically, and an external DTD or entity is a network fetch) nor nest
deeper than :data:`MAX_XML_DEPTH` elements; JSON-LD may not name a remote
context or ``@import`` (rdflib would fetch it, with no time limit) nor nest
deeper than Python's parser can. After parsing, IRIs the pages cannot show
and span offsets that are not integers are reported, not crashed on later.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.core.formats import RDF_FORMATS
from kg.errors import KGError, UsageError


class RDFFileError(UsageError):
    """An RDF file given on the command line cannot be read or parsed."""

    exit_code = 1


#: By extension (the table of kg.formats): rdflib's parser name and
#: pyoxigraph's format (the on-disk store bulk-loads with the latter).
_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    f".{ext}": (f.rdflib_name, _OX_FORMATS[f.name])
    for f in RDF_FORMATS
    if f.name in _OX_FORMATS
    for ext in f.extensions
}


def file_format(path: Path, error: type[KGError] = RDFFileError) -> tuple[str, ox.RdfFormat]:
    """The formats of an RDF file, chosen by its extension; ``error`` when unknown."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise error(f"{path}: unknown RDF file extension {path.suffix!r} (use one of {', '.join(sorted(FORMATS))})")
    return found


MAX_XML_DEPTH = 256


def check_input(path: Path, error: type[KGError] = RDFFileError, *, content: bool = True) -> None:
    """Refuse what no engine should be given (see the module's rules);
    ``content=False`` checks only that it is a regular file of a known format."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except OSError as exc:
        raise error(f"{path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file (a FIFO, device or socket)"
        raise error(f"{path}: is {kind}; give an RDF file")
    fmt, _ = file_format(path, error)
    if not content:
        return
    if fmt == "xml":
        _check_xml(path, error)
    elif fmt == "json-ld":
        _check_jsonld(path, error)


def _check_xml(path: Path, error: type[KGError]) -> None:
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = [0]

    class Refuse(Exception):
        pass

    def doctype(*_args: object) -> None:
        raise Refuse("has a DOCTYPE; RDF/XML with a DTD or entity declarations is not accepted (expand them first)")

    def start(*_args: object) -> None:
        depth[0] += 1
        if depth[0] > MAX_XML_DEPTH:
            raise Refuse(f"nests elements more than {MAX_XML_DEPTH} deep")

    def end(*_args: object) -> None:
        depth[0] -= 1

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        with path.open("rb") as fh:
            parser.ParseFile(fh)
    except Refuse as exc:
        raise error(f"{path}: {exc}") from None
    except xml.parsers.expat.ExpatError as exc:
        raise error(f"{path}: not valid XML: {xml.parsers.expat.ErrorString(exc.code)} (line {exc.lineno})") from None


def _check_jsonld(path: Path, error: type[KGError]) -> None:
    import json

    try:
        doc = json.loads(path.read_bytes())
    except RecursionError:
        raise error(f"{path}: not valid json-ld: nested too deep") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise error(f"{path}: not valid json-ld: {exc}") from None
    todo = [doc]
    while todo:  # iteratively: the document may be deep
        node = todo.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context" and _remote(value):
                    raise error(f"{path}: names a remote JSON-LD context; contexts are not fetched, inline it")
                if key == "@import":
                    raise error(f"{path}: uses @import; contexts are not fetched, inline it")
                todo.append(value)
        elif isinstance(node, list):
            todo.extend(node)


def _remote(context: object) -> bool:
    if isinstance(context, str):
        return True
    return isinstance(context, list) and any(isinstance(c, str) for c in context)


# What an IRI may not contain (RDF 1.1 IRIREF), and what a span offset must be.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def check_terms(graph: Graph, path: Path) -> None:
    """Report IRIs the pages and the other engine cannot take, and span
    offsets that are not non-negative integers."""
    from rdflib import URIRef

    from kg.core.namespaces import OA

    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and _BAD_IRI.search(term):
                raise RDFFileError(f"{path}: not a valid IRI: {_short(str(term))}")
    for predicate in (OA.start, OA.end):
        for _, value in graph.subject_objects(predicate):
            if not offset(value):
                raise RDFFileError(f"{path}: {predicate.n3()} must be a non-negative integer, got {_short(str(value))}")


def offset(value: object) -> bool:
    """Whether an RDF term is a usable span offset (a non-negative integer)."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) < 19


def _short(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:80] + "…")


def parse_file(path: str | os.PathLike[str]) -> Graph:
    """Parse an RDF file chosen by extension; raise :class:`RDFFileError` on bad input."""
    file = Path(path)
    fmt, ox_format = file_format(file)
    check_input(file)
    import logging

    graph = Graph()
    term_log = logging.getLogger("rdflib.term")  # it warns of each bad IRI; check_terms reports the first
    level = term_log.level
    term_log.setLevel(logging.ERROR)
    try:
        graph.parse(file, format=fmt)
    except UnicodeDecodeError as exc:
        raise RDFFileError(f"{file}: not UTF-8 text ({exc.reason})") from None
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        message = " ".join(str(exc).split())
        # Named as pyoxigraph names it, so that both engines' messages agree.
        raise RDFFileError(f"{file}: not valid {ox_format.name}: {message[:300]}") from None
    finally:
        term_log.setLevel(level)
    check_terms(graph, file)
    return graph
