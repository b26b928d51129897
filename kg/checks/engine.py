"""Run the rules over the figures of the graph and say what fits together.

Each kind of rule matches figures to its roles (same area; the year and
status the kind asks for; the same project when both name one), evaluates
the rule's formula on the intervals the printed figures allow, and judges
the stated figure against the derived interval (:mod:`kg.checks.verdict`).
Every finding cites its figures with their spans and sentences, the formula
and the numbers.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg.checks.figures import Figure
from kg.checks.formula import Formula
from kg.checks.interval import Interval, number
from kg.checks.rules import GENERIC, KIND_ROLES, LIST_ROLES, Kind, Rule, RuleSet, Severity, Tolerance, indicator_matches
from kg.checks.verdict import ALARMS, Verdict, bound_gap, judge

_PERCENT_UNITS = {"http://qudt.org/vocab/unit/PERCENT", "https://w3id.org/linzi-kg/unit/PercentagePoint"}
#: Combinations tried per rule and area, so a pathological graph cannot explode.
_MAX_COMBINATIONS = 64


@dataclass(frozen=True)
class Cited:
    """A figure as one role of a finding: the figure and the interval used."""

    role: str
    figure: Figure
    interval: Interval


@dataclass(frozen=True)
class Suppressed:
    """Why a finding is not raised: a reviewed, known cause."""

    reason: str
    reviewer: str
    where: str


@dataclass
class Finding:
    """What one rule says about one set of figures."""

    rule: Rule
    verdict: Verdict
    explanation: str
    cited: list[Cited]
    formula: str
    numbers: dict[str, str] = field(default_factory=dict)
    suppressed: Suppressed | None = None

    @property
    def id(self) -> str:
        """Stable: the rule and the figures' IRIs."""
        key = "\n".join([self.rule.id, *sorted(c.figure.iri for c in self.cited)])
        return f"{self.rule.id}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"

    @property
    def alarm(self) -> bool:
        """A verdict that needs a reader, not suppressed, of severity above info."""
        return self.verdict in ALARMS and self.suppressed is None and self.rule.severity is not Severity.INFO

    @property
    def figures(self) -> list[Figure]:
        return [c.figure for c in self.cited]


@dataclass
class CheckReport:
    """All findings of a run, in a stable order."""

    findings: list[Finding]
    rules: RuleSet
    figures: int
    seconds: dict[str, float] = field(default_factory=dict)  # fetch, rules: wall time of each part

    @property
    def alarms(self) -> list[Finding]:
        return [f for f in self.findings if f.alarm]

    def counts(self) -> dict[str, int]:
        out = {v.value: 0 for v in Verdict}
        for f in self.findings:
            out[f.verdict.value] += 1
        return out

    def for_figure(self, iri: str) -> list[Finding]:
        return [f for f in self.findings if any(c.figure.iri == iri for c in f.cited)]


def run_rules(figures: list[Figure], rules: RuleSet) -> list[Finding]:
    """Every finding of every rule over ``figures``."""
    from kg.checks.generic import GENERIC_KINDS

    findings: list[Finding] = []
    by_area: dict[str, list[Figure]] = defaultdict(list)
    for fig in figures:
        by_area[fig.area].append(fig)
    for rule in rules.rules:
        for area_figures in by_area.values():
            if rule.kind in GENERIC:
                findings.extend(GENERIC_KINDS[rule.kind](rule, area_figures, rules))
            else:
                findings.extend(_relational(rule, area_figures, rules))
    # A general rule (by label templates) that finds what a specific rule found says nothing new.
    seen: set[tuple[str, frozenset[str]]] = set()
    unique = []
    for f in findings:
        key = (f.rule.kind.value, frozenset(c.figure.iri for c in f.cited))
        if key not in seen:
            seen.add(key)
            unique.append(f)
    unique.sort(key=lambda f: (f.figures[0].area, f.rule.id, f.id))
    return unique


# -- relational rules (a formula over roles) ---------------------------------


def _matching(rule: Rule, key: str, figures: Iterable[Figure]) -> list[Figure]:
    refs = rule.indicators(key)
    return [f for f in figures if any(indicator_matches(r, f.indicator) or r == f.indicator_label for r in refs)]


def _interval(fig: Figure, rule: Rule, rules: RuleSet) -> Interval:
    about = rules.about if rule.tolerance is not Tolerance.PRINTED else 0.0
    interval = fig.normalized(about=about)
    if rule.tolerance is Tolerance.RULE and rule.slack:
        interval = interval + Interval(-rule.slack * fig.multiplier, rule.slack * fig.multiplier)
    return interval


def _templates(rule: Rule, figures: list[Figure]) -> Iterator[dict[str, list[Figure]]]:
    """Pools of figures per role for a rule whose indicators are label
    templates (``{name}增长`` and ``{name}``): one set of pools per name that
    fills every template of the anchor role."""
    roles = KIND_ROLES[rule.kind]
    patterns = {
        key: [re.compile("^" + re.escape(r).replace(re.escape("{name}"), "(.+)") + "$") for r in refs]
        for key, refs in rule.relates.items()
    }
    anchor_key = next(iter(roles.values()))[0]
    names = sorted({m.group(1) for f in figures for p in patterns[anchor_key] if (m := p.match(f.indicator_label))})
    for name in names:
        pools = {}
        for role, (key, _, _) in roles.items():
            wanted = {r.replace("{name}", name) for r in rule.relates.get(key, ())}
            pools[role] = [f for f in figures if f.indicator_label in wanted]
        yield pools


def _relational(rule: Rule, figures: list[Figure], rules: RuleSet) -> Iterator[Finding]:
    if any("{name}" in r for refs in rule.relates.values() for r in refs):
        for pools in _templates(rule, figures):
            yield from _pooled(rule, pools, rules)
        return
    roles = KIND_ROLES[rule.kind]
    yield from _pooled(rule, {role: _matching(rule, spec[0], figures) for role, spec in roles.items()}, rules)


def _pooled(rule: Rule, pools: dict[str, list[Figure]], rules: RuleSet) -> Iterator[Finding]:
    roles = KIND_ROLES[rule.kind]
    anchor_role = next(iter(roles))
    if rule.kind is Kind.RESPECTIVELY or rule.kind is Kind.COMPONENTS:
        yield from _lists(rule, pools, rules)
        return
    for anchor in pools[anchor_role]:
        chosen: dict[str, list[Figure]] = {}
        for role, (_, offset, status) in roles.items():
            if role == anchor_role:
                chosen[role] = [anchor]
                continue
            want = anchor.status if status == "same" else status
            chosen[role] = [
                f
                for f in pools[role]
                if _same_time(f, anchor, offset)
                and (want == "any" or f.status == want)
                and f.iri != anchor.iri
                and (f.about is None or anchor.about is None or f.about == anchor.about)
            ]
        present = [r for r in roles if chosen[r]]
        missing = [r for r in roles if not chosen[r]]
        for combo in itertools.islice(itertools.product(*(chosen[r] for r in present)), _MAX_COMBINATIONS):
            bound: dict[str, Figure | list[Figure]] = dict(zip(present, combo, strict=True))
            finding = _evaluate(rule, rules, bound, missing)
            if finding is not None:
                yield finding


def _same_time(f: Figure, anchor: Figure, offset: int) -> bool:
    """Whether ``f`` is of the anchor's year plus ``offset``. A figure with no year of
    its own (the 151 projects' total investment) goes only with figures of the same
    year about the same thing."""
    if f.year is None or anchor.year is None:
        return offset == 0 and f.about is not None and f.about == anchor.about
    return f.year == anchor.year + offset


def _lists(rule: Rule, pools: dict[str, list[Figure]], rules: RuleSet) -> Iterator[Finding]:
    parts_refs = rule.indicators("parts")
    groups: dict[tuple[int | None, str, str | None], list[Figure]] = defaultdict(list)
    for fig in pools["parts"]:
        groups[(fig.year, fig.status, fig.about)].append(fig)
    for (year, status, _), parts in sorted(groups.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])):
        totals = [f for f in pools.get("total", []) if f.year == year and f.status == status]
        found = {
            r for r in parts_refs if any(indicator_matches(r, p.indicator) or r == p.indicator_label for p in parts)
        }
        if rule.kind is Kind.RESPECTIVELY and len(found) < len(parts_refs):
            lacking = [r for r in parts_refs if r not in found]
            cited = [Cited("parts", p, _interval(p, rule, rules)) for p in parts]
            yield Finding(
                rule,
                Verdict.CONTRADICTION,
                f"the 分别 list names {len(parts_refs)} items but {len(found)} values were found for {year}; "
                f"no value for {', '.join(lacking)}",
                cited,
                f"count(values) = count(items) = {len(parts_refs)}",
                {"items": str(len(parts_refs)), "values": str(len(found))},
            )
            continue
        units = {p.base_unit for p in parts}
        if rule.kind is Kind.RESPECTIVELY and len(units) > 1:
            cited = [Cited("parts", p, _interval(p, rule, rules)) for p in parts]
            yield Finding(
                rule,
                Verdict.CONTRADICTION,
                "the values of one 分别 list are in units of different dimensions: "
                + ", ".join(f"{p.indicator_label} {p.shown}" for p in parts),
                cited,
                "unit(parts) all equal",
            )
            continue
        candidates: list[Figure | None] = [*totals] or [None]
        for total in candidates:
            bound: dict[str, Figure | list[Figure]] = {"parts": parts}
            missing: list[str] = []
            if total is not None:
                bound["total"] = total
            else:
                missing.append("total")
            finding = _evaluate(rule, rules, bound, missing)
            if finding is not None:
                yield finding


def _env(
    rule: Rule, rules: RuleSet, bound: dict[str, Figure | list[Figure]]
) -> tuple[dict[str, object], dict[str, object]]:
    intervals: dict[str, object] = {}
    values: dict[str, object] = {}
    for role, fig in bound.items():
        if isinstance(fig, list):
            intervals[role] = [_interval(f, rule, rules) for f in fig]
            values[role] = [f.center * f.multiplier for f in fig]
        else:
            intervals[role] = _interval(fig, rule, rules)
            values[role] = fig.center * fig.multiplier
    return intervals, values


def _cite(rule: Rule, rules: RuleSet, bound: dict[str, Figure | list[Figure]]) -> list[Cited]:
    cited = []
    for role, fig in bound.items():
        for f in fig if isinstance(fig, list) else [fig]:
            cited.append(
                Cited(role, f, f.interval(about=rules.about if rule.tolerance is not Tolerance.PRINTED else 0.0))
            )
    return cited


def _display_unit(figs: list[Figure], target: Figure | None) -> tuple[float, str]:
    """How to show a derived number: in the target's unit, else in the first
    non-percent figure's printed unit."""
    if target is not None:
        return target.multiplier, target.unit_label
    for f in figs:
        if f.unit not in _PERCENT_UNITS:
            return f.multiplier, f.unit_label
    return 1.0, figs[0].unit_label if figs else ""


def _scaled(interval: Interval, scale: float) -> Interval:
    return interval / scale if scale not in (0.0, 1.0) else interval


def _evaluate(
    rule: Rule, rules: RuleSet, bound: dict[str, Figure | list[Figure]], missing: list[str]
) -> Finding | None:
    formula = rule.formula
    assert formula is not None
    loose = rule.loose if rule.loose is not None else rules.loose
    cited = _cite(rule, rules, bound)
    figs = [c.figure for c in cited]
    intervals, values = _env(rule, rules, bound)
    target_fig = bound.get(formula.target)
    target = target_fig if isinstance(target_fig, Figure) else None
    if missing:
        return _derived(rule, rules, bound, missing, intervals, values, cited)
    if not formula.roles <= set(bound):
        return None
    derived = formula.evaluate(intervals)
    derived_value = formula.evaluate(values)
    if _uninformative(derived, derived_value):
        return None  # a zero denominator: the figures say nothing about each other
    scale, unit = _display_unit(figs, target)
    numbers = {
        c.role
        if c.role not in LIST_ROLES
        else f"{c.role}:{c.figure.indicator_label}": f"{c.figure.shown} → {c.interval.text()}"
        for c in cited
    }
    if target is None:
        # A derived quantity with no stated counterpart (the average of a total over a count).
        env = dict(intervals)
        env[formula.target] = derived
        verdict = Verdict.CONSISTENT
        broken = [b.text for b in rule.bounds if _bound_fails(b, env)]
        if broken:
            verdict = Verdict.CONTRADICTION
        numbers[formula.target] = f"{number(derived_value / scale)}{unit} {_scaled(derived, scale).text()}"
        text = (
            f"{formula.target} = {number(derived_value / scale)}{unit} (values the printed figures allow: "
            f"{_scaled(derived, scale).text()}{unit})"
        )
        text += f"; fails {', '.join(broken)}" if broken else "; nothing stated contradicts it"
        return _finish(rule, verdict, text, cited, numbers, figs)
    stated = intervals[formula.target]
    assert isinstance(stated, Interval)
    stated_value = target.center * target.multiplier
    verdict = judge(stated, stated_value, derived, derived_value, formula.relation, loose=loose * target.multiplier)
    numbers["derived"] = f"{number(derived_value / scale)}{unit} {_scaled(derived, scale).text()}"
    parts = [
        f"stated {target.indicator_label} {target.shown} {_scaled(stated, scale).text()}{unit}; "
        f"from the formula {number(derived_value / scale)}{unit}, values allowed {_scaled(derived, scale).text()}{unit}"
    ]
    if verdict is Verdict.LOOSE:
        gap = bound_gap(stated, derived)
        gap_unit = "个百分点" if unit == "%" else unit
        parts.append(
            f"the bounds are {number((gap or 0.0) / scale, 2)}{gap_unit} apart (more than {number(loose)}{gap_unit})"
        )
        if rule.inverse is not None and rule.inverse.target in bound:
            parts.append(_inverse_note(rule.inverse, intervals, values, bound))
        if rule.loose_cause:
            parts.append(f"likely cause: {rule.loose_cause}")
    elif verdict is Verdict.CONTRADICTION and rule.alternative is not None and rule.alternative.roles <= set(bound):
        alt = rule.alternative.evaluate(intervals)
        if stated.intersects(alt):
            parts.append(f"it fits {rule.alternative.text} ({alt.text()}): {rule.alternative_note}")
    elif verdict is Verdict.ROUNDING:
        parts.append("the difference is within the printed precision")
    return _finish(rule, verdict, "; ".join(parts), cited, numbers, figs)


def _uninformative(derived: Interval, value: float) -> bool:
    return math.isnan(value) or (math.isinf(derived.lo) and math.isinf(derived.hi))


def _inverse_note(
    inverse: Formula, intervals: dict[str, object], values: dict[str, object], bound: dict[str, Figure | list[Figure]]
) -> str:
    other = bound[inverse.target]
    assert isinstance(other, Figure)
    implied = inverse.evaluate(intervals) / other.multiplier
    point = inverse.evaluate(values) / other.multiplier
    note = (
        f"{inverse.text} gives {other.indicator_label} {number(point, 1)}{other.unit_label} "
        f"(values allowed {implied.text()}) against the stated {other.shown}"
    )
    if other.value and not math.isnan(point):
        note += f", {number(abs(point - other.center) / abs(other.center) * 100, 1)}% apart"
    return note


def _bound_fails(bound: Formula, env: dict[str, object]) -> bool:
    """Whether no allowed value can satisfy ``bound`` (``share <= 100``)."""
    left = env.get(bound.target)
    if not isinstance(left, Interval) or not bound.roles <= set(env):
        return False
    right = bound.evaluate(env)
    if not isinstance(right, Interval):
        right = Interval.exact(right)
    return judge(left, left.lo, right, right.lo, bound.relation, loose=math.inf) is Verdict.CONTRADICTION


def _derived(
    rule: Rule,
    rules: RuleSet,
    bound: dict[str, Figure | list[Figure]],
    missing: list[str],
    intervals: dict[str, object],
    values: dict[str, object],
    cited: list[Cited],
) -> Finding | None:
    """A role the text does not state: derive it with the rule's ``solve``
    formula (the total behind a share) and check the rule's ``bounds``."""
    if len(missing) != 1 or missing[0] not in rule.solve:
        return None
    solve = rule.solve[missing[0]]
    if not solve.roles <= set(bound):
        return None
    derived = solve.evaluate(intervals)
    derived_value = solve.evaluate(values)
    if _uninformative(derived, derived_value):
        return None
    figs = [c.figure for c in cited]
    scale, unit = _display_unit(figs, None)
    env = dict(intervals)
    env[missing[0]] = derived
    broken = [b.text for b in rule.bounds if _bound_fails(b, env)]
    numbers = {c.role: f"{c.figure.shown} → {c.interval.text()}" for c in cited}
    numbers[missing[0]] = f"{number(derived_value / scale)}{unit} {_scaled(derived, scale).text()} (derived)"
    roles = KIND_ROLES[rule.kind]
    key, offset, _ = roles[missing[0]]
    anchor = bound[next(iter(roles))]
    anchor_year = (anchor[0] if isinstance(anchor, list) else anchor).year
    year = anchor_year + offset if anchor_year is not None else "no year"
    # Name the missing figure by a bound figure of the same indicator (growth: the level), else by the rule.
    same = [f for role, f in bound.items() if isinstance(f, Figure) and roles[role][0] == key]
    what = same[0].indicator_label if same else ", ".join(rule.indicators(key))
    text = (
        f"the text states no {missing[0]} ({what}, {year}); {solve.text} gives {number(derived_value / scale)}{unit}, "
        f"values allowed {_scaled(derived, scale).text()}{unit}"
    )
    if broken:
        text += f"; fails {', '.join(broken)}"
    elif rule.bounds:
        text += f"; {', '.join(b.text for b in rule.bounds)} holds"
    else:
        text += "; nothing stated contradicts it"
    verdict = Verdict.CONTRADICTION if broken else Verdict.CONSISTENT
    return _finish(
        rule, verdict, text, cited, numbers, figs, formula=f"{rule.formula.text if rule.formula else ''}; {solve.text}"
    )


def _finish(
    rule: Rule,
    verdict: Verdict,
    text: str,
    cited: list[Cited],
    numbers: dict[str, str],
    figs: list[Figure],
    *,
    formula: str | None = None,
) -> Finding:
    if verdict in ALARMS:
        declared = [(f, b) for f in figs for b in f.basis]
        if declared:
            verdict = Verdict.BASIS
            text += "; explained by the declared basis: " + ", ".join(
                f"{b} ({f.indicator_label} {f.shown})" for f, b in declared
            )
    return Finding(
        rule, verdict, text, cited, formula or (rule.formula.text if rule.formula else rule.kind.value), numbers
    )
