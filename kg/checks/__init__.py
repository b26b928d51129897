"""Consistency checks: figures that check each other (``linzi-kg check``).

Rules (:mod:`kg.checks.rules`, a data file) relate indicators; the figures
come from the queryable graph by SPARQL (:mod:`kg.checks.figures`), so any
document in the graph is checked; interval arithmetic respects printed
precision and comparators (:mod:`kg.checks.interval`); each finding gets one
of five verdicts (:mod:`kg.checks.verdict`) with an explanation, cites both
figures with their spans and sentences, and can be exported as a
``dqv:QualityAnnotation`` on the figures (:mod:`kg.checks.annotate`).

>>> from kg.graph.store import load_graph
>>> report = check(load_graph())
>>> [(f.rule.id, f.verdict.value) for f in report.findings if f.rule.id == "industrial-output-growth"]
[('industrial-output-growth', 'loose-bounds')]
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg.checks.engine import CheckReport, Cited, Finding, run_rules
from kg.checks.rules import Kind, RuleSet, Severity, load_rules
from kg.checks.verdict import Verdict

if TYPE_CHECKING:
    from kg.documents.spans import SourceText
    from kg.graph.store import KnowledgeGraph

__all__ = ["CheckReport", "Cited", "Finding", "Kind", "RuleSet", "Severity", "Verdict", "check", "read_texts"]


def check(
    kg: KnowledgeGraph,
    *,
    rules: RuleSet | str | os.PathLike[str] | None = None,
    suppressions: str | os.PathLike[str] | None = None,
    texts: Sequence[str | os.PathLike[str]] = (),
    about: float | None = None,
) -> CheckReport:
    """Run every rule over the figures of ``kg``.

    ``rules``: a rule set or a rules file (default: the packaged one);
    ``suppressions``: a suppressions file (default: the packaged one);
    ``texts``: source texts of ``--data`` documents, matched to their
    ``lz:SourceText`` by SHA-256, to show each span's sentence; ``about``:
    the relative tolerance of 左右, replacing the rules file's setting.
    """
    from dataclasses import replace

    from kg.checks.figures import fetch_figures
    from kg.checks.suppress import apply, load_suppressions

    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    if about is not None:
        ruleset = replace(ruleset, about=about)
    suppressed = load_suppressions(suppressions)
    started = time.perf_counter()
    figures = fetch_figures(kg, texts=read_texts(texts))
    fetched = time.perf_counter()
    findings = run_rules(figures, ruleset)
    apply(findings, suppressed)
    seconds = {"fetch": fetched - started, "rules": time.perf_counter() - fetched}
    return CheckReport(findings, ruleset, len(figures), seconds)


def read_texts(paths: Sequence[str | os.PathLike[str]]) -> dict[str, SourceText]:
    """Source texts by their SHA-256 (``--text FILE``); a missing or non-UTF-8 file is a UsageError."""
    import hashlib

    from kg.documents.spans import SourceText
    from kg.errors import UsageError

    out: dict[str, SourceText] = {}
    for p in paths:
        path = Path(p)
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except FileNotFoundError:
            raise UsageError(f"--text {path}: no such file") from None
        except IsADirectoryError:
            raise UsageError(f"--text {path}: is a directory") from None
        except UnicodeDecodeError as exc:
            raise UsageError(f"--text {path}: not UTF-8 text ({exc.reason})") from None
        digest = hashlib.sha256(raw).hexdigest()
        out[digest] = SourceText(path=path, text=text, sha256=digest)
    return out
