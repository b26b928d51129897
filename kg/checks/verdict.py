"""The five verdicts and how a stated figure is judged against a derived one.

>>> from kg.checks.interval import Interval
>>> share = Interval.exact(528) / Interval.exact(560) * 100
>>> judge(Interval.printed("94.3"), 94.3, share, 528 / 560 * 100, "=", loose=1.0)
<Verdict.ROUNDING: 'consistent-within-rounding'>
>>> judge(Interval.bound(">=", 10), 10.0, Interval(7.97, float("inf"), True, True), 7.97, "=", loose=1.0)
<Verdict.LOOSE: 'loose-bounds'>
"""

from __future__ import annotations

import math
from enum import StrEnum

from kg.checks.interval import INF, Interval, _close


class Verdict(StrEnum):
    """What a check says about figures that should fit together."""

    CONSISTENT = "consistent"
    ROUNDING = "consistent-within-rounding"
    LOOSE = "loose-bounds"
    BASIS = "declared-basis"
    CONTRADICTION = "contradiction"

    @property
    def zh(self) -> str:
        return _ZH[self]

    @property
    def meaning(self) -> str:
        return _MEANING[self]


_ZH = {
    Verdict.CONSISTENT: "一致",
    Verdict.ROUNDING: "舍入误差内一致",
    Verdict.LOOSE: "界限相容但相距较远",
    Verdict.BASIS: "口径说明可解释",
    Verdict.CONTRADICTION: "矛盾",
}
_MEANING = {
    Verdict.CONSISTENT: "the figures fit exactly (or a bound holds for the printed values)",
    Verdict.ROUNDING: "the printed values differ, but values that round to them fit",
    Verdict.LOOSE: "compatible as bounds, but far apart",
    Verdict.BASIS: "they would not fit, but the text declares a basis that explains it",
    Verdict.CONTRADICTION: "no values the printed figures allow fit together (disjoint intervals)",
}

#: Verdicts that call for a reader's attention.
ALARMS = frozenset({Verdict.LOOSE, Verdict.CONTRADICTION})


def judge(
    stated: Interval,
    stated_value: float,
    derived: Interval,
    derived_value: float,
    relation: str,
    *,
    loose: float,
) -> Verdict:
    """Judge ``stated RELATION derived`` (RELATION ``=``, ``>=`` or ``<=``):
    contradiction when no allowed values fit; consistent when the printed
    values fit as printed; within rounding when only rounded values fit;
    loose bounds when both are open-ended the same way and their bounds lie
    more than ``loose`` apart."""
    if relation == ">=":
        derived, derived_value = Interval(derived.lo, INF, derived.lo_open, True), derived_value
        if not stated.intersects(derived):
            return Verdict.CONTRADICTION
        return (
            Verdict.CONSISTENT
            if stated_value >= derived_value or _close(stated_value, derived_value)
            else Verdict.ROUNDING
        )
    if relation == "<=":
        derived = Interval(-INF, derived.hi, True, derived.hi_open)
        if not stated.intersects(derived):
            return Verdict.CONTRADICTION
        return (
            Verdict.CONSISTENT
            if stated_value <= derived_value or _close(stated_value, derived_value)
            else Verdict.ROUNDING
        )
    if not stated.intersects(derived):
        return Verdict.CONTRADICTION
    if stated.bounded and derived.bounded:
        return Verdict.CONSISTENT if _close(stated_value, derived_value) else Verdict.ROUNDING
    gap = bound_gap(stated, derived)
    if gap is not None:
        if gap > loose:
            return Verdict.LOOSE
        return Verdict.CONSISTENT if _close(gap, 0.0) else Verdict.ROUNDING
    # One side is bounded: it fits if its printed value lies in the other.
    point, other = (stated_value, derived) if stated.bounded else (derived_value, stated)
    if not math.isnan(point) and other.contains(point):
        return Verdict.CONSISTENT
    return Verdict.ROUNDING


def bound_gap(a: Interval, b: Interval) -> float | None:
    """How far apart two intervals open-ended the same way have their finite
    bounds (None unless both are open-ended only on the same side)."""
    if math.isinf(a.hi) and math.isinf(b.hi) and not math.isinf(a.lo) and not math.isinf(b.lo):
        return abs(a.lo - b.lo)
    if math.isinf(a.lo) and math.isinf(b.lo) and not math.isinf(a.hi) and not math.isinf(b.hi):
        return abs(a.hi - b.hi)
    return None
