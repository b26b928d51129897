"""Where linzi-kg finds its files: ontology, queries, authored data (texts: :mod:`kg.documents.texts`).

``ontology/`` and ``queries/`` live at the top of the repository and are
installed as package data under ``kg/`` (see pyproject.toml), so the same
code finds them in a checkout, an editable install and a wheel.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


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
