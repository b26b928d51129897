"""Findings for people (a readable table) and for machines (JSON)."""

from __future__ import annotations

from typing import Any

from kg.checks.engine import CheckReport, Finding

_ROLE_WIDTH = 11


def to_json(report: CheckReport, *, alarms_only: bool = False) -> dict[str, Any]:
    """The report as plain JSON data (``linzi-kg check --json``)."""
    findings = report.alarms if alarms_only else report.findings
    return {
        "figures": report.figures,
        "rules": str(report.rules.path),
        "settings": {"about": report.rules.about, "loose": report.rules.loose},
        "counts": report.counts(),
        "alarms": len(report.alarms),
        "findings": [finding_json(f) for f in findings],
    }


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "rule": f.rule.id,
        "kind": f.rule.kind.value,
        "severity": f.rule.severity.value,
        "verdict": f.verdict.value,
        "verdict_zh": f.verdict.zh,
        "alarm": f.alarm,
        "formula": f.formula,
        "explanation": f.explanation,
        "numbers": f.numbers,
        "suppressed": None
        if f.suppressed is None
        else {"reason": f.suppressed.reason, "reviewer": f.suppressed.reviewer, "where": f.suppressed.where},
        "figures": [
            {
                "role": c.role,
                "iri": c.figure.iri,
                "indicator": c.figure.indicator,
                "indicator_label": c.figure.indicator_label,
                "area": c.figure.area,
                "area_label": c.figure.area_label,
                "year": c.figure.year,
                "status": c.figure.status,
                "wording": c.figure.shown,
                "interval": c.interval.text(),
                "basis": list(c.figure.basis),
                "spans": [{"start": s.start, "end": s.end, "sentence": s.sentence} for s in c.figure.spans],
            }
            for c in f.cited
        ],
    }


def to_table(report: CheckReport, *, alarms_only: bool = False) -> str:
    """One block per finding: verdict, rule, formula, each figure with its
    interval and first span's sentence, the explanation; a summary line."""
    lines: list[str] = []
    findings = report.alarms if alarms_only else report.findings
    for f in findings:
        head = f"[{f.verdict.value} {f.verdict.zh}] {f.rule.id} ({f.rule.kind.value}, {f.rule.severity.value})"
        if f.suppressed is not None:
            head += f"  suppressed: {f.suppressed.reason} ({f.suppressed.reviewer})"
        lines.append(head)
        lines.append(f"  formula  {f.formula}")
        for c in f.cited:
            fig = c.figure
            where = ", ".join(f"[{s.start}, {s.end}]" for s in fig.spans) or "no span"
            when = fig.year if fig.year is not None else "(no year)"
            lines.append(
                f"  {c.role.ljust(_ROLE_WIDTH)}{fig.indicator_label} {when} {fig.status}: {fig.shown} "
                f"{c.interval.text()}  at {where}"
            )
            if fig.spans and fig.spans[0].sentence:
                lines.append(f"  {'':{_ROLE_WIDTH}}{fig.spans[0].marked()}")
        lines.append(f"  why      {f.explanation}")
        lines.append("")
    counts = ", ".join(f"{n} {v}" for v, n in report.counts().items() if n)
    shown = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    lines.append(
        f"{shown} on {report.figures} figures ({counts or 'none'}); "
        f"{len(report.alarms)} alarm{'s' if len(report.alarms) != 1 else ''}"
    )
    return "\n".join(lines)
