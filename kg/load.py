"""Read RDF files given by users, with errors that name the file and line."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import KGError, UsageError


class RDFFileError(UsageError):
    """An RDF file given on the command line cannot be read or parsed."""

    exit_code = 1


#: By extension: rdflib's parser name and pyoxigraph's format (the on-disk
#: store bulk-loads with the latter).
FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    ".ttl": ("turtle", ox.RdfFormat.TURTLE),
    ".turtle": ("turtle", ox.RdfFormat.TURTLE),
    ".nt": ("nt", ox.RdfFormat.N_TRIPLES),
    ".jsonld": ("json-ld", ox.RdfFormat.JSON_LD),
    ".json": ("json-ld", ox.RdfFormat.JSON_LD),
    ".rdf": ("xml", ox.RdfFormat.RDF_XML),
    ".xml": ("xml", ox.RdfFormat.RDF_XML),
    ".owl": ("xml", ox.RdfFormat.RDF_XML),
}


def file_format(path: Path, error: type[KGError] = RDFFileError) -> tuple[str, ox.RdfFormat]:
    """The formats of an RDF file, chosen by its extension; ``error`` when unknown."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise error(f"{path}: unknown RDF file extension {path.suffix!r} (use one of {', '.join(sorted(FORMATS))})")
    return found


def parse_file(path: str | os.PathLike[str]) -> Graph:
    """Parse an RDF file chosen by extension; raise :class:`RDFFileError` on bad input."""
    file = Path(path)
    fmt, _ = file_format(file)
    if not file.is_file():
        raise RDFFileError(f"{file}: no such file")
    graph = Graph()
    try:
        graph.parse(file, format=fmt)
    except UnicodeDecodeError as exc:
        raise RDFFileError(f"{file}: not UTF-8 text ({exc.reason})") from None
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        message = " ".join(str(exc).split())
        raise RDFFileError(f"{file}: not valid {fmt}: {message}") from None
    return graph
