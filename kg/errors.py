"""One exception tree for linzi-kg.

Every error a user can cause is a :class:`KGError` subclass whose message is
written for that user. The CLI (and later the HTTP app) turn them into exit
codes and statuses in one place, from ``exit_code`` and ``http_status``.
"""

from __future__ import annotations

from dataclasses import dataclass


class KGError(Exception):
    """Root of all linzi-kg errors; ``str(err)`` is the user-facing message."""

    exit_code: int = 1
    http_status: int = 500


@dataclass(frozen=True)
class Problem:
    """One problem in the source data: where it is and what is wrong."""

    file: str
    line: int | None
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.record:
            parts.append(f"record '{excerpt(self.record, 60)}'")
        if self.field:
            parts.append(f"field '{excerpt(self.field, 60)}'")
        return ": ".join(parts) + f": {excerpt(self.message)}"


def excerpt(text: str, limit: int = 240) -> str:
    """``text`` on one line and at most about ``limit`` characters, so that a
    huge value in a file never becomes a huge error message.

    >>> excerpt("x" * 1000, 20)
    'xxxxxxxxxxxxxxxxxxxx… (1000 characters)'
    """
    text = " ".join(text.split()) if "\n" in text or "\r" in text else text
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


class DataError(KGError):
    """The authored data (YAML) is malformed or inconsistent."""

    http_status = 500

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        n = len(problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the source data:"
        super().__init__("\n".join([head, *(f"  {p}" for p in problems)]))


class CheckFileError(DataError):
    """A rules or suppressions file of the consistency checks is malformed."""

    def __init__(self, problems: list[Problem], what: str) -> None:
        super().__init__(problems)
        n = len(problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the {what}:"
        self.args = ("\n".join([head, *(f"  {p}" for p in problems)]),)


class SourceTextError(KGError):
    """The article text is missing or is not the text the spans point into."""


class ValidationError(KGError):
    """The built graph violates the SHACL shapes or the provenance check."""

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report


class StoreError(KGError):
    """The on-disk store (``--store DIR``) cannot be created or opened."""


class UsageError(KGError):
    """A command-line option or API argument has a bad value."""

    exit_code = 2
    http_status = 400


class OutputError(KGError):
    """An output file cannot be written."""


class QueryError(KGError):
    """A query failed while running."""

    http_status = 400


class QuerySyntaxError(QueryError):
    """A query does not parse; the message gives line and column."""

    exit_code = 2

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"SPARQL syntax error at {where}{message}" if where else f"SPARQL syntax error: {message}")
        self.line, self.column = line, column


class QueryNotFound(UsageError):
    """No named query has that name."""

    http_status = 404


class EndpointError(KGError):
    """A remote SPARQL endpoint or graph store could not be used."""

    http_status = 502
