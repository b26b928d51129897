"""Chinese numerals to exact decimals (``百`` → 100, ``三千五百`` → 3500, ``二点五`` → 2.5).

Written here rather than taken from cn2an: cn2an rejects a bare ``百`` and
``百分之五点五`` in its smart mode and returns floats, while a figure needs
the exact value as printed.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL = {"十": 10, "百": 100, "千": 1000}
LARGE = {"万": 10_000, "亿": 100_000_000}
CHARS = "".join(DIGITS) + "".join(SMALL) + "".join(LARGE)


def chinese_to_decimal(text: str) -> Decimal:
    """The value of a Chinese numeral; raises ValueError on anything else.

    >>> [str(chinese_to_decimal(s)) for s in ("三", "十二", "百", "三千五百", "一万零八", "二点五", "两亿")]
    ['3', '12', '100', '3500', '10008', '2.5', '200000000']
    """
    if not text:
        raise ValueError("empty numeral")
    whole, _, frac = text.partition("点")
    value = Decimal(_integer(whole))
    if frac:
        digits = "".join(str(DIGITS[c]) for c in frac if c in DIGITS)
        if len(digits) != len(frac):
            raise ValueError(f"not a Chinese numeral: {text}")
        value += Decimal("0." + digits)
    return value


def _integer(text: str) -> int:
    total = 0
    section = 0
    digit: int | None = None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL:
            section += (1 if digit is None else digit) * SMALL[ch]
            digit = None
        elif ch in LARGE:
            section += digit or 0
            total = (total + (section or 1)) * LARGE[ch]
            section, digit = 0, None
        else:
            raise ValueError(f"not a Chinese numeral: {text}")
    return total + section + (digit or 0)
