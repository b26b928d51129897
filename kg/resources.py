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
#: Environment variable that names the article text file.
SOURCE_ENV = "LINZI_KG_SOURCE"


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


def source_candidates() -> list[Path]:
    """Places searched for the article text, in order, when none is given."""
    found: list[Path] = []
    env = os.environ.get(SOURCE_ENV)
    if env:
        found.append(Path(env))
    for base in (Path.cwd(), _PACKAGE.parent):
        found.append(base.parent / "shared" / "seeds" / SOURCE_FILE_NAME)
        found.append(base / "shared" / "seeds" / SOURCE_FILE_NAME)
    return found


def find_source(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the path of the article text, or raise :class:`SourceTextError`.

    An explicit path wins; then ``$LINZI_KG_SOURCE``; then ``shared/seeds``
    beside or above the working directory and the checkout.
    """
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise SourceTextError(f"source text not found: {path} (given with --source)")
        return path
    candidates = source_candidates()
    for path in candidates:
        if path.is_file():
            return path
    looked = ", ".join(str(p) for p in dict.fromkeys(candidates))
    raise SourceTextError(
        f"source text {SOURCE_FILE_NAME} not found; looked in {looked}. Pass --source FILE or set {SOURCE_ENV}."
    )
