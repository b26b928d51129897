"""Targets followed to their results: a target for year N in one report and
the actual of year N (same area, same indicator) in a later one.

Outcomes: ``met``; ``met-within-tolerance`` (short of the printed target, but
within its 左右 tolerance or its printed precision); ``missed``;
``not-reported`` (no actual of that year in the graph); ``not-comparable``
(units of another dimension, or a declared basis that differs: the base
changed). Figures come from the graph by SPARQL, like the checks.

>>> from kg.graph.store import load_graph
>>> from kg.checks.figures import fetch_figures
>>> rows = follow_up(fetch_figures(load_graph()))
>>> {r.outcome.value for r in rows}   # Linzi's report sets 2023 targets; no 2023 results yet
{'not-reported'}
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from kg.checks.figures import Figure
from kg.checks.interval import Interval, number


class Outcome(StrEnum):
    MET = "met"
    WITHIN = "met-within-tolerance"
    MISSED = "missed"
    NOT_REPORTED = "not-reported"
    NOT_COMPARABLE = "not-comparable"

    @property
    def zh(self) -> str:
        return {
            "met": "完成",
            "met-within-tolerance": "在允许范围内完成",
            "missed": "未完成",
            "not-reported": "未报告",
            "not-comparable": "口径不可比",
        }[self.value]


@dataclass(frozen=True)
class FollowUp:
    """One target and what became of it."""

    target: Figure
    actual: Figure | None
    outcome: Outcome
    explanation: str


def _document(fig: Figure) -> str | None:
    for span in fig.spans:
        if span.source:
            return span.source
    return None


def follow_up(figures: list[Figure], *, about: float = 0.05) -> list[FollowUp]:
    """Every target of ``figures`` with its outcome, in area, indicator, year order."""
    actuals: dict[tuple[str, str, int | None], list[Figure]] = defaultdict(list)
    for f in figures:
        if f.status == "actual":
            actuals[(f.area, f.indicator, f.year)].append(f)
    out = []
    for target in figures:
        if target.status != "target":
            continue
        found = actuals.get((target.area, target.indicator, target.year), [])
        # A later report states the result: prefer an actual from another document.
        others = [a for a in found if _document(a) != _document(target)] or found
        if not others:
            out.append(
                FollowUp(target, None, Outcome.NOT_REPORTED, f"no {target.year} result of this indicator in the graph")
            )
            continue
        out.append(judge_target(target, others[0], about=about))
    out.sort(key=lambda r: (r.target.area, r.target.indicator, r.target.year, r.target.iri))
    return out


def judge_target(target: Figure, actual: Figure, *, about: float = 0.05) -> FollowUp:
    """What ``actual`` says of ``target`` (same area, indicator and year)."""
    if target.base_unit != actual.base_unit:
        return FollowUp(
            target,
            actual,
            Outcome.NOT_COMPARABLE,
            f"the target is in {target.unit_label} and the result in {actual.unit_label}",
        )
    if set(target.basis) != set(actual.basis):
        said = "; ".join(f"{w}: {', '.join(f.basis) or 'none'}" for w, f in (("target", target), ("result", actual)))
        return FollowUp(target, actual, Outcome.NOT_COMPARABLE, f"the declared basis changed ({said})")
    result = actual.normalized(about=about)
    value = float(target.value) * target.multiplier
    at_most = target.comparator in ("<=", "<")
    strict = target.comparator in (">", "<")
    goal = Interval.bound(target.comparator if target.comparator in (">=", ">", "<=", "<") else ">=", value)
    shown = f"result {actual.shown} against the target {target.shown}"
    printed = actual.center * actual.multiplier
    if at_most:
        met = printed < value if strict else printed <= value
    else:
        met = printed > value if strict else printed >= value
    if met:
        return FollowUp(target, actual, Outcome.MET, shown)
    # A plain target is printed rounded too: 100亿元 is met by 99.6亿元 within precision.
    tolerance = target.normalized(about=about) if target.comparator in ("~", "=") else goal
    if result.intersects(tolerance) or (target.comparator == "~" and tolerance.contains(printed)):
        why = "within the 左右 tolerance" if target.comparator == "~" else "within the printed precision"
        return FollowUp(target, actual, Outcome.WITHIN, f"{shown}: short, but {why}")
    gap = abs(printed - value) / (target.multiplier or 1.0)
    return FollowUp(target, actual, Outcome.MISSED, f"{shown}: {number(gap, 2)}{target.unit_label} short")


def _spans(fig: Figure) -> list[dict[str, object]]:
    return [{"start": s.start, "end": s.end, "sentence": s.sentence} for s in fig.spans]


def followup_json(rows: list[FollowUp]) -> list[dict[str, object]]:
    """Rows as JSON data: outcome, both figures with wording, spans and sentences."""
    out: list[dict[str, object]] = []
    for r in rows:
        item: dict[str, object] = {
            "outcome": r.outcome.value,
            "outcome_zh": r.outcome.zh,
            "indicator": r.target.indicator,
            "indicator_label": r.target.indicator_label,
            "area": r.target.area,
            "area_label": r.target.area_label,
            "year": r.target.year,
            "explanation": r.explanation,
            "target": {"iri": r.target.iri, "wording": r.target.shown, "spans": _spans(r.target)},
            "result": None
            if r.actual is None
            else {"iri": r.actual.iri, "wording": r.actual.shown, "spans": _spans(r.actual)},
        }
        out.append(item)
    return out


def followup_table(rows: list[FollowUp]) -> str:
    """One block per target: outcome, the two figures with spans and sentences, why."""
    lines: list[str] = []
    for r in rows:
        t = r.target
        lines.append(f"[{r.outcome.value} {r.outcome.zh}] {t.area_label} {t.indicator_label} {t.year}")
        for role, fig in (("target", t), ("result", r.actual)):
            if fig is None:
                lines.append(f"  {role:<8}—")
                continue
            where = ", ".join(f"[{s.start}, {s.end}]" for s in fig.spans) or "no span"
            lines.append(f"  {role:<8}{fig.shown}  at {where}")
            if fig.spans and fig.spans[0].sentence:
                lines.append(f"  {'':<8}{fig.spans[0].marked()}")
        lines.append(f"  why     {r.explanation}")
        lines.append("")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.outcome.value] = counts.get(r.outcome.value, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    lines.append(f"{len(rows)} target{'s' if len(rows) != 1 else ''} ({summary or 'none'})")
    return "\n".join(lines)
