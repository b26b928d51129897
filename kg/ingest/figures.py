"""Find the figures of a report: number with unit, ranks, comparators.

Works on the normalized text (:mod:`kg.ingest.text`). A figure's span is the
number with its unit as printed (``2778亿元``, ``2380余万元``, ``第4名``, ``第一``
of 全市第一); its *wording* adds the comparator words around it (``突破3000亿元``,
``5%以上``). Left out: dates and years, session numbers (第十六届, 第三次),
list ordinals, numbers inside short quotations (slogans: “3510”, “两个100%”),
headline lines, and Chinese numerals that are words (一批, 八个方面).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kg.core.units import CHINESE_NUMERAL_UNITS, RANKS, UNITS, IngestUnit
from kg.ingest.numerals import CHARS as CN_CHARS
from kg.ingest.numerals import chinese_to_decimal


@dataclass(frozen=True)
class Figure:
    """A figure found in the normalized text (offsets into ``TextMap.text``)."""

    start: int
    end: int
    value: Decimal
    unit: IngestUnit
    comparator: str
    wording_start: int
    wording_end: int
    rule: str
    chinese: bool = False

    @property
    def value_text(self) -> str:
        """The value as printed, in Arabic digits, exact (no exponent, no trailing zeros after a point)."""
        text = format(self.value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text


_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_CN_UNIT_ALT = "|".join(re.escape(u) for u in sorted(CHINESE_NUMERAL_UNITS, key=len, reverse=True))
_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN = f"[{CN_CHARS}]+?(?:点[{CN_CHARS}]+?)?"
# What may not follow a unit for it to be a unit (人民, 个人, 条例, 家庭, 天然, 米面; 3个月 is a duration).
_NOT_AFTER = {
    "人": "民才口均",
    "个": "人体性月",
    "条": "例件",
    "家": "庭乡园",
    "天": "然",
    "米": "面粉",
    "名": "单称义",
}

_ARABIC_FIG = re.compile(rf"(?<![\d.A-Za-z])({_AR})(余|多)?({_UNIT_ALT})")
# 数十亿元, 上百亿元, 几十万人: a vague amount, not a figure.
_CHINESE_FIG = re.compile(rf"(?<![{CN_CHARS}第数几上])({_CN})(余|多)?({_CN_UNIT_ALT})")
_RANK_FIG = re.compile(rf"第({_AR}|[{CN_CHARS}]+)(名|位)")
_BARE_RANK = re.compile(
    rf"(?:全[国省市区县州盟旗]|[省市区县]内|排名|位居|位列|名列|居|列)第({_AR}|[{CN_CHARS}]+)(?![名位届次批个期季章条项部号书])"
)
_FIRST_PLACE = re.compile(r"(?<=[居列国省市区县])首位")
_QUOTES = re.compile(r"“[^”\n]{1,30}”|\"[^\"\n]{1,30}\"|《[^》\n]{1,40}》|「[^」\n]{1,30}」|‘[^’\n]{1,30}’")

_SUFFIX_COMPARATORS = (("以上", ">="), ("以下", "<="), ("以内", "<="), ("之内", "<="), ("左右", "~"), ("上下", "~"))
_PREFIX_COMPARATORS = (
    ("不低于", ">="),
    ("不少于", ">="),
    ("至少", ">="),
    ("不超过", "<="),
    ("不高于", "<="),
    ("控制在", "<="),
    ("低于", "<="),
    ("超过", ">"),
    ("突破", ">"),
    ("高于", ">"),
    ("多于", ">"),
    ("逾", ">"),
    ("超", ">"),
    ("大约", "~"),
    ("约", "~"),
    ("接近", "~"),
    ("近", "~"),
)


def find_figures(text: str) -> list[Figure]:
    """Every figure in ``text``, in text order.

    >>> [(f.value_text, f.unit.printed, f.comparator) for f in find_figures("规上工业总产值突破3000亿元、增长10%以上")]
    [('3000', '亿元', '>'), ('10', '%', '>=')]
    >>> [(f.value_text, f.unit.printed) for f in find_figures("建成三所学校,居全市第一,实现“两个100%”")]
    [('3', '所'), ('1', '')]
    """
    blocked = _blocked(text)
    found: list[Figure] = []
    taken: set[int] = set()

    def add(start: int, end: int, value: Decimal, unit: IngestUnit, rule: str, *, chinese: bool = False) -> None:
        if any(i in blocked or i in taken for i in range(start, end)):
            return
        if text.startswith("级", end):  # 百亿级产业集群, 千万元级: a class of size, not a figure
            return
        comparator, w_start, w_end = _comparator(text, start, end)
        taken.update(range(start, end))
        found.append(Figure(start, end, value, unit, comparator, w_start, w_end, rule, chinese))

    for m in _RANK_FIG.finditer(text):
        value = _value(m.group(1))
        if value is not None and m.start() - 1 not in blocked:
            add(m.start(), m.end(), value, RANKS[m.group(2)], "rank")
    for m in _BARE_RANK.finditer(text):
        value = _value(m.group(1))
        start = m.start(1) - 1
        if value is not None and value < 1000:
            add(start, m.end(), value, RANKS[""], "rank-bare")
    for m in _FIRST_PLACE.finditer(text):
        add(m.start(), m.end(), Decimal(1), RANKS["位"], "rank-first")
    for m in _ARABIC_FIG.finditer(text):
        unit = m.group(3)
        if _unit_continues(text, m.end(), unit) or text[m.start() - 1 : m.start()] == "第":
            continue
        if text.endswith("聚焦", 0, m.start()):
            # 聚焦4条产业链: the count of a framework the report focuses on, not a measured figure.
            continue
        value = Decimal(m.group(1).replace(",", ""))
        add(m.start(), m.end(), value, UNITS[unit], "number-unit")
    for m in _CHINESE_FIG.finditer(text):
        numeral, unit = m.group(1), m.group(3)
        if not _chinese_ok(numeral, unit) or _unit_continues(text, m.end(), unit):
            continue
        value = _value(numeral)
        if value is not None:
            add(m.start(), m.end(), value, UNITS[unit], "chinese-numeral", chinese=True)
    found.sort(key=lambda f: f.start)
    return found


def _value(numeral: str) -> Decimal | None:
    try:
        if numeral[0].isdigit():
            return Decimal(numeral.replace(",", ""))
        return chinese_to_decimal(numeral)
    except (ValueError, ArithmeticError):
        return None


def _chinese_ok(numeral: str, unit: str) -> bool:
    if numeral[0] in "万亿零〇点" or numeral == "一":
        return False
    if numeral in ("百", "千", "十"):
        # 百亿元, 千万元: a round amount; 百人, 千人 are programme names.
        return unit[0] in "万亿"
    return True


def _unit_continues(text: str, end: int, unit: str) -> bool:
    nxt = text[end : end + 1]
    return bool(nxt) and nxt in _NOT_AFTER.get(unit[-1], "")


_PAGE_COUNTERS = re.compile(r"浏览次数|访问次数|访问量|点击量|点击数|阅读量|阅读数|浏览量|字号|电话|传真|邮编")


def _blocked(text: str) -> set[int]:
    """Offsets no figure may touch: short quotations, headline lines, a web page's counters."""
    out: set[int] = set()
    for m in _QUOTES.finditer(text):
        out.update(range(m.start(), m.end()))
    pos = 0
    for line in text.split("\n"):
        body = line.strip()
        parts = [p for p in re.split(r"\s+", body) if p]
        if len(parts) >= 2 and not re.search(r"[,。;:!?]", body) and all(len(p) >= 4 for p in parts):
            out.update(range(pos, pos + len(line)))
        elif _PAGE_COUNTERS.search(body) and len(body) < 80:
            out.update(range(pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _comparator(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The comparator of the figure at ``[start, end)`` and the wording's bounds."""
    for word, comp in _SUFFIX_COMPARATORS:
        if text.startswith(word, end):
            return comp, _prefix_start(text, start), end + len(word)
    inner = text[start:end]
    if "余" in inner or ("多" in inner and not inner.endswith("多")):
        return ">", start, end
    for word, comp in _PREFIX_COMPARATORS:
        if text.endswith(word, 0, start):
            return comp, start - len(word), end
    if text.startswith("多", end):
        return ">", start, end + 1
    return "=", start, end


def _prefix_start(text: str, start: int) -> int:
    for word, _comp in _PREFIX_COMPARATORS:
        if word in ("控制在", "不超过", "超过", "突破") and text.endswith(word, 0, start):
            return start - len(word)
    return start
