"""The rules that look at every indicator: the same figure stated twice with
different values, a result worded as a target, one indicator in units of
different dimensions, a 增长 target below last year's result."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal

from kg.checks.engine import Cited, Finding, _finish, _interval
from kg.checks.figures import Figure
from kg.checks.rules import Kind, Rule, RuleSet, indicator_matches
from kg.checks.verdict import Verdict, judge


def _selected(rule: Rule, figures: list[Figure]) -> list[Figure]:
    if not rule.relates:
        return figures
    refs = [r for values in rule.relates.values() for r in values]
    return [f for f in figures if any(indicator_matches(r, f.indicator) or r == f.indicator_label for r in refs)]


def _duplicates(rule: Rule, figures: list[Figure], rules: RuleSet) -> Iterator[Finding]:
    groups: dict[tuple[str, int | None, str, str | None], list[Figure]] = defaultdict(list)
    for f in _selected(rule, figures):
        groups[(f.indicator, f.year, f.status, f.about)].append(f)
    for group in groups.values():
        for a, b in itertools.combinations(group, 2):
            if a.base_unit != b.base_unit:
                continue  # the unit-mismatch rule speaks to that
            if a.value * _dec(a.multiplier) == b.value * _dec(b.multiplier) and a.comparator == b.comparator:
                continue
            ia, ib = _interval(a, rule, rules), _interval(b, rule, rules)
            verdict = judge(
                ia, a.center * a.multiplier, ib, b.center * b.multiplier, "=", loose=rules.loose * a.multiplier
            )
            text = (
                f"{a.indicator_label} {a.year} ({a.status}) is stated as {a.shown} "
                f"{a.interval(about=rules.about).text()} "
                f"and as {b.shown} {b.interval(about=rules.about).text()}"
            )
            cited = [Cited("a", a, a.interval(about=rules.about)), Cited("b", b, b.interval(about=rules.about))]
            yield _finish(rule, verdict, text, cited, {"a": a.shown, "b": b.shown}, [a, b])


def _dec(x: float) -> Decimal:
    return Decimal(repr(x))


def _actual_markers(rule: Rule, figures: list[Figure], rules: RuleSet) -> Iterator[Finding]:
    markers = set(rule.markers)
    for f in _selected(rule, figures):
        if f.status != "actual" or f.modality not in markers:
            continue
        targets = [t for t in figures if t.indicator == f.indicator and t.year == f.year and t.status == "target"]
        cited = [Cited("actual", f, f.interval(about=rules.about))]
        cited += [Cited("target", t, t.interval(about=rules.about)) for t in targets[:1]]
        text = f"{f.indicator_label} {f.year} is recorded as a result (actual) but worded as a target ({f.modality})"
        if targets:
            text += f"; the target of the same year is {targets[0].shown}"
        yield _finish(rule, Verdict.CONTRADICTION, text, cited, {"modality": str(f.modality)}, [])


def _unit_mismatch(rule: Rule, figures: list[Figure], rules: RuleSet) -> Iterator[Finding]:
    by_indicator: dict[str, list[Figure]] = defaultdict(list)
    for f in _selected(rule, figures):
        by_indicator[f.indicator].append(f)
    for group in by_indicator.values():
        first = group[0]
        for other in group[1:]:
            if other.base_unit != first.base_unit:
                cited = [
                    Cited("a", first, first.interval(about=rules.about)),
                    Cited("b", other, other.interval(about=rules.about)),
                ]
                text = (
                    f"{first.indicator_label} is in {first.unit_label} ({first.year} {first.shown}) and in "
                    f"{other.unit_label} ({other.year} {other.shown}): units of different dimensions for one indicator"
                )
                yield _finish(
                    rule, Verdict.CONTRADICTION, text, cited, {"a": first.unit_label, "b": other.unit_label}, []
                )


def _target_below(rule: Rule, figures: list[Figure], rules: RuleSet) -> Iterator[Finding]:
    words = rule.wordings
    for target in _selected(rule, figures):
        if target.status != "target":
            continue
        worded = any(w in target.wording or any(w in (s.sentence or "") for s in target.spans) for w in words)
        if not worded:
            continue
        previous = [
            a
            for a in figures
            if a.indicator == target.indicator
            and target.year is not None
            and a.year == target.year - 1
            and a.status == "actual"
            and a.base_unit == target.base_unit
        ]
        for prev in previous:
            it, ip = _interval(target, rule, rules), _interval(prev, rule, rules)
            verdict = judge(
                it, target.center * target.multiplier, ip, prev.center * prev.multiplier, ">=", loose=math.inf
            )
            if verdict is not Verdict.CONTRADICTION:
                continue
            cited = [
                Cited("target", target, target.interval(about=rules.about)),
                Cited("previous", prev, prev.interval(about=rules.about)),
            ]
            text = (
                f"the {target.year} target {target.shown} is below the {prev.year} actual {prev.shown}, "
                f"yet the text words it as growth ({'/'.join(words)})"
            )
            yield _finish(rule, verdict, text, cited, {"target": target.shown, "previous": prev.shown}, [target, prev])


GENERIC_KINDS: dict[Kind, Callable[[Rule, list[Figure], RuleSet], Iterator[Finding]]] = {
    Kind.DUPLICATE: _duplicates,
    Kind.ACTUAL_MARKER: _actual_markers,
    Kind.UNIT_MISMATCH: _unit_mismatch,
    Kind.TARGET_BELOW_ACTUAL: _target_below,
}
