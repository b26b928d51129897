"""Interval arithmetic for printed figures.

A figure as printed is a set of values, not a point: ``94.3%`` is any value
that rounds to it, [94.25, 94.35); ``10%以上`` is [10, ∞); ``突破3000亿元`` is
(3000, ∞); ``以内`` is (-∞, v]; ``左右`` is v within a stated relative
tolerance. Arithmetic on such sets gives every value a formula can take, so
two figures contradict each other exactly when the sets are disjoint.

>>> a = Interval.printed("94.3")
>>> a
[94.25, 94.35)
>>> (Interval.exact(528) / Interval.exact(560) * Interval.exact(100)).intersects(a)
True
>>> Interval.bound(">", 3000) / Interval.printed("2778")
(1.0797, ∞)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

INF = math.inf
_EPS = 1e-9


def _close(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= _EPS * max(1.0, abs(a), abs(b))


@dataclass(frozen=True)
class Interval:
    """The real numbers between ``lo`` and ``hi``; an open end excludes its bound."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    # -- making -------------------------------------------------------------
    @classmethod
    def exact(cls, value: float | Decimal) -> Interval:
        v = float(value)
        return cls(v, v)

    @classmethod
    def printed(cls, text: str, *, exact: bool = False) -> Interval:
        """The values that round to ``text`` (digits as printed): half a unit
        of the last printed digit each side, lower end included. ``exact``
        for counts, which are not rounded."""
        value = Decimal(text)
        if exact:
            return cls.exact(value)
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)
        half = float(Decimal(5).scaleb(exponent - 1))
        return cls(float(value) - half, float(value) + half, False, True)

    @classmethod
    def bound(cls, comparator: str, value: float | Decimal) -> Interval:
        """``>=`` (以上) [v, ∞), ``>`` (突破) (v, ∞), ``<=`` (以内) (-∞, v], ``<`` (-∞, v)."""
        v = float(value)
        if comparator == ">=":
            return cls(v, INF, False, True)
        if comparator == ">":
            return cls(v, INF, True, True)
        if comparator == "<=":
            return cls(-INF, v, True, False)
        if comparator == "<":
            return cls(-INF, v, True, True)
        raise ValueError(f"not a bound comparator: {comparator!r}")

    @classmethod
    def about(cls, value: float | Decimal, tolerance: float) -> Interval:
        """``左右``: within ``tolerance`` (a fraction, 0.05 for 5%) of the value."""
        v = float(value)
        d = abs(v) * tolerance
        return cls(v - d, v + d)

    # -- reading ------------------------------------------------------------
    @property
    def bounded(self) -> bool:
        return not (math.isinf(self.lo) or math.isinf(self.hi))

    @property
    def empty(self) -> bool:
        if self.lo > self.hi:
            return True
        return self.lo == self.hi and (self.lo_open or self.hi_open)

    def contains(self, x: float) -> bool:
        above = x > self.lo or (x == self.lo and not self.lo_open) or (_close(x, self.lo) and not self.lo_open)
        below = x < self.hi or (x == self.hi and not self.hi_open) or (_close(x, self.hi) and not self.hi_open)
        return above and below

    def intersection(self, other: Interval) -> Interval:
        if self.lo > other.lo or (self.lo == other.lo and self.lo_open):
            lo, lo_open = self.lo, self.lo_open
        else:
            lo, lo_open = other.lo, other.lo_open
        if self.hi < other.hi or (self.hi == other.hi and self.hi_open):
            hi, hi_open = self.hi, self.hi_open
        else:
            hi, hi_open = other.hi, other.hi_open
        return Interval(lo, hi, lo_open, hi_open)

    def intersects(self, other: Interval) -> bool:
        """Whether the two share a value (ends that only touch within float
        noise count as shared, so 0.1 + 0.2 meets 0.3)."""
        both = self.intersection(other)
        if not both.empty:
            return True
        return _close(both.lo, both.hi) and both.lo >= both.hi - _EPS * max(1.0, abs(both.hi))

    # -- arithmetic ---------------------------------------------------------
    def __add__(self, other: Interval | float) -> Interval:
        o = _as_interval(other)
        return Interval(self.lo + o.lo, self.hi + o.hi, self.lo_open or o.lo_open, self.hi_open or o.hi_open)

    __radd__ = __add__

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo, self.hi_open, self.lo_open)

    def __sub__(self, other: Interval | float) -> Interval:
        return self + (-_as_interval(other))

    def __rsub__(self, other: Interval | float) -> Interval:
        return _as_interval(other) - self

    def __mul__(self, other: Interval | float) -> Interval:
        o = _as_interval(other)
        ends = [
            _product(a, b, ao or bo)
            for a, ao in ((self.lo, self.lo_open), (self.hi, self.hi_open))
            for b, bo in ((o.lo, o.lo_open), (o.hi, o.hi_open))
        ]
        return _hull(ends)

    __rmul__ = __mul__

    def __truediv__(self, other: Interval | float) -> Interval:
        o = _as_interval(other)
        if o.contains(0.0) or (o.lo == 0 and o.hi == 0):
            return Interval(-INF, INF, True, True)
        inverse = Interval(_inv(o.hi), _inv(o.lo), o.hi_open, o.lo_open)
        return self * inverse

    def __rtruediv__(self, other: Interval | float) -> Interval:
        return _as_interval(other) / self

    # -- showing ------------------------------------------------------------
    def __repr__(self) -> str:
        return self.text()

    def text(self, digits: int = 4) -> str:
        """``[94.25, 94.35)``, with up to ``digits`` significant decimals."""
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        return f"{left}{number(self.lo, digits)}, {number(self.hi, digits)}{right}"


def number(x: float, digits: int = 4) -> str:
    """A readable number: ``∞``, ``2778``, ``94.2857``; never an exponent."""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.{digits}f}".rstrip("0").rstrip(".")


def _as_interval(x: Interval | float) -> Interval:
    return x if isinstance(x, Interval) else Interval.exact(x)


def _inv(x: float) -> float:
    if math.isinf(x):
        return 0.0
    return 1.0 / x


def _product(a: float, b: float, is_open: bool) -> tuple[float, bool]:
    if (a == 0 and math.isinf(b)) or (b == 0 and math.isinf(a)):
        return 0.0, is_open
    return a * b, is_open


def _hull(ends: list[tuple[float, bool]]) -> Interval:
    lo = min(v for v, _ in ends)
    hi = max(v for v, _ in ends)
    lo_open = all(o for v, o in ends if v == lo)
    hi_open = all(o for v, o in ends if v == hi)
    return Interval(lo, hi, lo_open, hi_open)
