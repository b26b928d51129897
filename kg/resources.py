"""Where linzi-kg finds its files: ontology, queries, authored data, source text.

``ontology/`` and ``queries/`` live at the top of the repository and are
installed as package data under ``kg/`` (see pyproject.toml), so the same
code finds them in a checkout, an editable install and a wheel.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import SourceTextError

_PACKAGE = Path(__file__).resolve().parent
#: The file name of the article text in ``shared/seeds``.
SOURCE_FILE_NAME = "000_4d8ee72d9e714460.txt"


def _resource_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"linzi-kg is installed without its {name}/ directory")


def ontology_dir() -> Path:
    """The directory holding ``linzi.ttl`` and ``shapes.ttl``."""
    return _resource_dir("ontology")


def queries_dir() -> Path:
    """The directory holding the named ``.rq`` queries."""
    return _resource_dir("queries")


def data_dir() -> Path:
    """The directory holding the authored YAML data shipped with the package."""
    return _PACKAGE / "data"


def find_source(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The path of the seed article text (an explicit path must exist), or :class:`SourceTextError`.

    Texts are found by digest on the search path of :mod:`kg.texts`.
    """
    from kg.provenance import SEED_SHA256
    from kg.texts import find_text

    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise SourceTextError(f"source text not found: {path} (given with --source)")
        return path
    return find_text(SEED_SHA256, name=SOURCE_FILE_NAME)
