"""Suppressions: findings a reviewer has looked at and put aside, with the reason.

A suppressions file (the packaged ``kg/checks/suppressions.yaml``, or
``--suppressions FILE``) lists entries, each with the ``rule`` id, the
``figures`` it concerns (observation IRIs, or their last path segments such
as ``observation/2023-industrial-output``), a ``reason`` and a ``reviewer``
(both required), and optionally the ``verdict`` it puts aside. A suppressed
finding is still reported, marked with the reason, but raises no alarm.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.checks.engine import Finding, Suppressed
from kg.checks.rules import indicator_matches, read_yaml
from kg.checks.verdict import Verdict
from kg.documents.records import _Map
from kg.errors import CheckFileError, Problem

SUPPRESSIONS_FILE = Path(__file__).with_name("suppressions.yaml")
_KEYS = {"rule", "figures", "reason", "reviewer", "verdict"}


@dataclass(frozen=True)
class Suppression:
    rule: str
    figures: tuple[str, ...]
    reason: str
    reviewer: str
    verdict: Verdict | None
    where: str

    def covers(self, finding: Finding) -> bool:
        if finding.rule.id != self.rule or (self.verdict is not None and finding.verdict is not self.verdict):
            return False
        iris = [c.figure.iri for c in finding.cited]
        return all(any(indicator_matches(ref, iri) for iri in iris) for ref in self.figures)


def load_suppressions(path: str | os.PathLike[str] | None = None) -> list[Suppression]:
    """Read a suppressions file; every problem at once, with file and line."""
    source = Path(path) if path is not None else SUPPRESSIONS_FILE
    label = str(source)
    doc = read_yaml(source, what="suppressions file", option="--suppressions")
    if doc is None:
        return []
    entries = doc.get("suppressions") if isinstance(doc, _Map) else None
    if entries is None and isinstance(doc, _Map) and "suppressions" in doc:
        return []
    if not isinstance(entries, list):
        raise CheckFileError(
            [Problem(label, 1, None, None, "the file must be a mapping with 'suppressions:' (a list)")],
            "suppressions file",
        )
    problems: list[Problem] = []
    out = [s for item in entries if (s := _entry(item, label, problems)) is not None]
    if problems:
        raise CheckFileError(problems, "suppressions file")
    return out


def _entry(item: Any, label: str, problems: list[Problem]) -> Suppression | None:
    if not isinstance(item, _Map):
        problems.append(Problem(label, getattr(item, "line", None), None, None, "an entry must be a mapping"))
        return None
    rule = item.get("rule")
    record = rule if isinstance(rule, str) else None
    for key in item:
        if key not in _KEYS:
            problems.append(
                Problem(
                    label, item.key_lines[key], record, str(key), f"unknown field (fields: {', '.join(sorted(_KEYS))})"
                )
            )
    ok = True
    for key in ("rule", "reason", "reviewer"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            problems.append(Problem(label, item.line, record, key, "required (a non-empty text)"))
            ok = False
    figures = item.get("figures")
    if not isinstance(figures, list) or not figures or not all(isinstance(f, str) and f for f in figures):
        problems.append(
            Problem(label, item.key_lines.get("figures", item.line), record, "figures", "a list of figure IRIs or ids")
        )
        ok = False
    verdict = None
    if "verdict" in item:
        try:
            verdict = Verdict(item["verdict"])
        except ValueError:
            problems.append(
                Problem(
                    label, item.key_lines["verdict"], record, "verdict", f"one of {', '.join(v.value for v in Verdict)}"
                )
            )
            ok = False
    if not ok or not isinstance(rule, str) or not isinstance(figures, list):
        return None
    return Suppression(
        rule, tuple(figures), item["reason"].strip(), item["reviewer"].strip(), verdict, f"{label}:{item.line}"
    )


def apply(findings: list[Finding], suppressions: list[Suppression]) -> None:
    """Mark each finding a suppression covers (in place)."""
    for finding in findings:
        for s in suppressions:
            if s.covers(finding):
                finding.suppressed = Suppressed(s.reason, s.reviewer, s.where)
                break
