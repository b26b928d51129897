"""Source spans: load the article text, resolve spans, check that they say the fact.

A span is a pair of code-point offsets (0-based, end exclusive) into the
article text, which is identified by its SHA-256. The check is deliberately
literal: the text of the span, with whitespace and the article's ``**``
emphasis markers removed, must contain the wording of the fact (the entity's
name, the figure as printed, or a name of both ends of a relation).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import Problem, SourceTextError
from kg.resources import find_source

if TYPE_CHECKING:  # the query path reads the text without loading the YAML tooling
    from kg.authoring import Dataset, Span


@dataclass(frozen=True)
class SourceText:
    """The article text, checked against the SHA-256 the data declares."""

    path: Path
    text: str
    sha256: str

    def span(self, start: int, end: int) -> str:
        """The text of a span; raises IndexError outside the text."""
        if not 0 <= start < end <= len(self.text):
            raise IndexError(f"span [{start}, {end}] is outside the source text (0..{len(self.text)})")
        return self.text[start:end]

    def sentence(self, start: int, end: int) -> str:
        """The sentence (or line) around a span, for showing where a fact is stated."""
        stops = "。!?！？;；\n"
        left = max((self.text.rfind(c, 0, start) for c in stops), default=-1) + 1
        rights = [i for i in (self.text.find(c, end) for c in stops) if i != -1]
        right = min(rights) + 1 if rights else len(self.text)
        return self.text[left:right].strip()


def read_source(path: str | os.PathLike[str] | None = None, *, expected_sha256: str | None = None) -> SourceText:
    """Read the article text and check its digest.

    >>> src = read_source()
    >>> src.span(87, 90)
    '蔡华刚'
    """
    found = find_source(path)
    raw = found.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if expected_sha256 is None:
        from kg.authoring import load_dataset

        dataset = load_dataset()
        expected_sha256 = dataset.source.sha256 if dataset.source else None
    if expected_sha256 is not None and digest != expected_sha256:
        raise SourceTextError(
            f"{found}: SHA-256 is {digest}, but the spans were written against {expected_sha256}; "
            "this is not the article text the graph was built from"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceTextError(f"{found}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return SourceText(found, text, digest)


def normalize(text: str) -> str:
    """Drop whitespace and the article's ``**`` emphasis markers before matching."""
    return "".join(ch for ch in text if not ch.isspace() and ch != "*")


def _says(source: SourceText, spans: tuple[Span, ...], wordings: tuple[str, ...]) -> bool:
    joined = "".join(normalize(source.text[s:e]) for s, e in spans)
    return any(normalize(w) in joined for w in wordings)


def check_spans(dataset: Dataset, source: SourceText) -> list[Problem]:
    """Every problem with the spans of ``dataset`` against ``source``; empty if all resolve."""
    problems: list[Problem] = []
    limit = len(source.text)

    def out_of_range(where_file: str, line: int, record: str, fld: str, spans: tuple[Span, ...]) -> bool:
        bad = [s for s in spans if s[1] > limit]
        for start, end in bad:
            problems.append(
                Problem(
                    where_file,
                    line,
                    record,
                    fld,
                    f"span [{start}, {end}] ends past the source text ({limit} characters)",
                )
            )
        return bool(bad)

    for entity in dataset.entities.values():
        w = entity.where
        if out_of_range(w.file, w.line, entity.id, "spans", entity.spans):
            continue
        for start, end in entity.spans:
            if not _says(source, ((start, end),), entity.wordings):
                problems.append(
                    Problem(
                        w.file,
                        w.line,
                        entity.id,
                        "spans",
                        f"span [{start}, {end}] does not contain {' / '.join(entity.wordings)}",
                    )
                )
    for entity, link in dataset.links():
        if not link.spans:
            continue
        w = link.where
        if out_of_range(w.file, w.line, entity.id, link.field, link.spans):
            continue
        target = dataset.entities[link.target]
        # The article contains every span, so it needs no wording of its own.
        ends = [target] if "NewsArticle" in entity.types else [entity, target]
        for side in ends:
            if not _says(source, link.spans, side.wordings):
                shown = ", ".join(f"[{s}, {e}]" for s, e in link.spans)
                problems.append(
                    Problem(
                        w.file,
                        w.line,
                        entity.id,
                        link.field,
                        f"span {shown} of the link to {link.target!r} does not name "
                        f"{side.id!r} ({' / '.join(side.wordings)})",
                    )
                )
    for obs in dataset.observations.values():
        w = obs.where
        if out_of_range(w.file, w.line, obs.id, "spans", obs.spans):
            continue
        for start, end in obs.spans:
            if not _says(source, ((start, end),), (obs.wording,)):
                problems.append(
                    Problem(
                        w.file,
                        w.line,
                        obs.id,
                        "spans",
                        f"span [{start}, {end}] does not contain the wording {obs.wording!r}",
                    )
                )
        # A declared basis (同口径) is a fact of the text too: some span must say it.
        if obs.basis is not None and not _says(source, obs.spans, (obs.basis,)):
            problems.append(Problem(w.file, w.line, obs.id, "basis", f"no span contains the basis {obs.basis!r}"))
    if dataset.source is not None and dataset.source.characters != limit:
        s = dataset.source
        problems.append(
            Problem(
                s.where.file,
                s.where.line,
                "source",
                "characters",
                f"declares {s.characters} characters, the text has {limit}",
            )
        )
    return problems


def locate(text: str, wording: str) -> list[Span]:
    """Every span of ``text`` whose normalized text equals ``wording`` normalized.

    >>> locate("大数据\\n\\n产业园和大数据产业园", "大数据产业园")
    [(0, 8), (9, 15)]
    """
    target = normalize(wording)
    if not target:
        return []
    kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace() and ch != "*"]
    flat = "".join(ch for _, ch in kept)
    hits: list[Span] = []
    pos = flat.find(target)
    while pos != -1:
        hits.append((kept[pos][0], kept[pos + len(target) - 1][0] + 1))
        pos = flat.find(target, pos + 1)
    return hits
