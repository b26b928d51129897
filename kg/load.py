"""Read RDF files given by users, with errors that name the file and line."""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import Graph

from kg.errors import UsageError

_BY_SUFFIX = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
}


class RDFFileError(UsageError):
    """An RDF file given on the command line cannot be read or parsed."""

    exit_code = 1


def parse_file(path: str | os.PathLike[str]) -> Graph:
    """Parse an RDF file chosen by extension; raise :class:`RDFFileError` on bad input."""
    file = Path(path)
    fmt = _BY_SUFFIX.get(file.suffix.lower())
    if fmt is None:
        raise RDFFileError(
            f"{file}: unknown RDF file extension {file.suffix!r} (use one of {', '.join(sorted(_BY_SUFFIX))})"
        )
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
