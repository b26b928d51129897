"""One call from a report file to its draft, with the known names loaded."""

from __future__ import annotations

from pathlib import Path

from kg.ingest.draft import Draft, draft_report
from kg.ingest.lexicon import Lexicon, load_lexicon
from kg.ingest.text import read_report
from kg.resources import data_dir


def lexicon_for(known: list[Path], *, use_shipped: bool = True) -> Lexicon:
    """The names and indicators of the shipped data (unless not wanted) and of ``known`` folders."""
    dirs = ([data_dir()] if use_shipped else []) + list(known)
    return load_lexicon(dirs) if dirs else Lexicon()


def ingest_file(
    path: Path, *, known: list[Path] | None = None, use_shipped: bool = True, year: int | None = None
) -> Draft:
    """Read and draft one report file.

    >>> from kg.documents.texts import find_source
    >>> d = ingest_file(find_source())
    >>> d.report_year, len(d.figures) > 40
    (2023, True)
    """
    text = read_report(path)
    return draft_report(
        text, source_name=path.name, lexicon=lexicon_for(known or [], use_shipped=use_shipped), year=year
    )
