"""Units and counters as reports print them, mapped to the ontology's units.

Each printed unit has a unit IRI whose ``rdfs:label`` in zh is the unit as
printed (so ``个`` and ``人`` stay apart), and a base unit with a multiplier
for the normalized value (``亿元`` → 10⁸ ``unit:CCY_CNY``). The lzunit IRIs
are declared in ``ontology/linzi.ttl`` (a test checks every one).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import URIRef

from kg.core.namespaces import LZUNIT, UNIT


class UnitKind:
    """What a unit measures; decides how a figure's indicator is read."""

    MONEY = "money"
    PERCENT = "percent"
    POINTS = "points"
    COUNT = "count"
    RANK = "rank"
    MEASURE = "measure"
    TIMES = "times"


@dataclass(frozen=True)
class IngestUnit:
    printed: str
    iri: URIRef
    multiplier: Decimal
    base: URIRef
    kind: str
    en: str


def _u(printed: str, iri: URIRef, kind: str, en: str, multiplier: str = "1", base: URIRef | None = None) -> IngestUnit:
    return IngestUnit(printed, iri, Decimal(multiplier), base if base is not None else iri, kind, en)


_K = UnitKind
_NUM = UNIT.NUM

UNITS: dict[str, IngestUnit] = {
    u.printed: u
    for u in (
        _u("元", UNIT.CCY_CNY, _K.MONEY, "yuan"),
        _u("万元", LZUNIT.WanYuan, _K.MONEY, "10 thousand yuan", "10000", UNIT.CCY_CNY),
        _u("亿元", LZUNIT.YiYuan, _K.MONEY, "100 million yuan", "100000000", UNIT.CCY_CNY),
        _u("万亿元", LZUNIT.WanYiYuan, _K.MONEY, "trillion yuan", "1000000000000", UNIT.CCY_CNY),
        _u("美元", UNIT.CCY_USD, _K.MONEY, "US dollar"),
        _u("万美元", LZUNIT.WanUSD, _K.MONEY, "10 thousand US dollars", "10000", UNIT.CCY_USD),
        _u("亿美元", LZUNIT.YiUSD, _K.MONEY, "100 million US dollars", "100000000", UNIT.CCY_USD),
        _u("%", UNIT.PERCENT, _K.PERCENT, "percent"),
        _u("个百分点", LZUNIT.PercentagePoint, _K.POINTS, "percentage point"),
        _u("百分点", LZUNIT.PercentagePoint, _K.POINTS, "percentage point"),
        _u("倍", LZUNIT.Times, _K.TIMES, "times"),
        _u("千瓦", UNIT.KiloW, _K.MEASURE, "kilowatt"),
        _u("万千瓦", LZUNIT.WanKiloW, _K.MEASURE, "10 thousand kilowatts", "10000", UNIT.KiloW),
        _u("兆瓦", UNIT.MegaW, _K.MEASURE, "megawatt"),
        _u("千瓦时", UNIT["KiloW-HR"], _K.MEASURE, "kilowatt hour"),
        _u("万千瓦时", LZUNIT.WanKiloWHour, _K.MEASURE, "10 thousand kilowatt hours", "10000", UNIT["KiloW-HR"]),
        _u("亿千瓦时", LZUNIT.YiKiloWHour, _K.MEASURE, "100 million kilowatt hours", "100000000", UNIT["KiloW-HR"]),
        _u("吨", UNIT.TONNE, _K.MEASURE, "tonne"),
        _u("万吨", LZUNIT.WanTonne, _K.MEASURE, "10 thousand tonnes", "10000", UNIT.TONNE),
        _u("亿吨", LZUNIT.YiTonne, _K.MEASURE, "100 million tonnes", "100000000", UNIT.TONNE),
        _u("公斤", UNIT.KiloGM, _K.MEASURE, "kilogram"),
        _u("千克", UNIT.KiloGM, _K.MEASURE, "kilogram"),
        _u("斤", LZUNIT.Jin, _K.MEASURE, "jin (half a kilogram)", "0.5", UNIT.KiloGM),
        _u("万斤", LZUNIT.WanJin, _K.MEASURE, "10 thousand jin", "5000", UNIT.KiloGM),
        _u("亿斤", LZUNIT.YiJin, _K.MEASURE, "100 million jin", "50000000", UNIT.KiloGM),
        _u("公里", UNIT.KiloM, _K.MEASURE, "kilometre"),
        _u("千米", UNIT.KiloM, _K.MEASURE, "kilometre"),
        _u("米", UNIT.M, _K.MEASURE, "metre"),
        _u("平方米", UNIT.M2, _K.MEASURE, "square metre"),
        _u("万平方米", LZUNIT.WanM2, _K.MEASURE, "10 thousand square metres", "10000", UNIT.M2),
        _u("平方公里", UNIT.KiloM2, _K.MEASURE, "square kilometre"),
        _u("公顷", UNIT.HA, _K.MEASURE, "hectare"),
        _u("亩", LZUNIT.Mu, _K.MEASURE, "mu"),
        _u("万亩", LZUNIT.WanMu, _K.MEASURE, "10 thousand mu", "10000", LZUNIT.Mu),
        _u("立方米", UNIT.M3, _K.MEASURE, "cubic metre"),
        _u("万立方米", LZUNIT.WanM3, _K.MEASURE, "10 thousand cubic metres", "10000", UNIT.M3),
        _u("亿立方米", LZUNIT.YiM3, _K.MEASURE, "100 million cubic metres", "100000000", UNIT.M3),
        _u("万标箱", LZUNIT.WanTEU, _K.MEASURE, "10 thousand TEU", "10000", LZUNIT.TEU),
        _u("标箱", LZUNIT.TEU, _K.MEASURE, "TEU"),
        _u("名", LZUNIT.CountMing, _K.COUNT, "persons (名)", "1", _NUM),
        _u("个", LZUNIT.CountGe, _K.COUNT, "items (个)", "1", _NUM),
        _u("家", LZUNIT.CountJia, _K.COUNT, "enterprises or bodies (家)", "1", _NUM),
        _u("户", LZUNIT.CountHu, _K.COUNT, "households or firms (户)", "1", _NUM),
        _u("万户", LZUNIT.WanHu, _K.COUNT, "10 thousand households (万户)", "10000", _NUM),
        _u("所", LZUNIT.CountSuo, _K.COUNT, "schools or institutions (所)", "1", _NUM),
        _u("万家", LZUNIT.WanJia, _K.COUNT, "10 thousand enterprises (万家)", "10000", _NUM),
        _u("万个", LZUNIT.WanGe, _K.COUNT, "10 thousand items (万个)", "10000", _NUM),
        _u("万名", LZUNIT.WanMing, _K.COUNT, "10 thousand persons (万名)", "10000", _NUM),
        _u("万辆", LZUNIT.WanLiang, _K.COUNT, "10 thousand vehicles (万辆)", "10000", _NUM),
        _u("万套", LZUNIT.WanTao, _K.COUNT, "10 thousand sets or flats (万套)", "10000", _NUM),
        _u("万件", LZUNIT.WanJian, _K.COUNT, "10 thousand pieces (万件)", "10000", _NUM),
        _u("万台", LZUNIT.WanTai, _K.COUNT, "10 thousand machines (万台)", "10000", _NUM),
        _u("座", LZUNIT.CountZuo, _K.COUNT, "structures (座)", "1", _NUM),
        _u("处", LZUNIT.CountChu, _K.COUNT, "sites (处)", "1", _NUM),
        _u("条", LZUNIT.CountTiao, _K.COUNT, "lines or items (条)", "1", _NUM),
        _u("项", LZUNIT.CountXiang, _K.COUNT, "items (项)", "1", _NUM),
        _u("件", LZUNIT.CountJian, _K.COUNT, "pieces or cases (件)", "1", _NUM),
        _u("张", LZUNIT.CountZhang, _K.COUNT, "beds or sheets (张)", "1", _NUM),
        _u("次", LZUNIT.CountCi, _K.COUNT, "times (次)", "1", _NUM),
        _u("场次", LZUNIT.CountChangci, _K.COUNT, "sessions (场次)", "1", _NUM),
        _u("场", LZUNIT.CountChang, _K.COUNT, "events (场)", "1", _NUM),
        _u("人", LZUNIT.CountRen, _K.COUNT, "persons (人)", "1", _NUM),
        _u("万人", LZUNIT.WanRen, _K.COUNT, "10 thousand persons", "10000", _NUM),
        _u("人次", LZUNIT.CountRenci, _K.COUNT, "person-times (人次)", "1", _NUM),
        _u("万人次", LZUNIT.WanRenci, _K.COUNT, "10 thousand person-times", "10000", _NUM),
        _u("台", LZUNIT.CountTai, _K.COUNT, "machines (台)", "1", _NUM),
        _u("套", LZUNIT.CountTao, _K.COUNT, "sets or flats (套)", "1", _NUM),
        _u("辆", LZUNIT.CountLiang, _K.COUNT, "vehicles (辆)", "1", _NUM),
        _u("间", LZUNIT.CountJianRoom, _K.COUNT, "rooms (间)", "1", _NUM),
        _u("栋", LZUNIT.CountDong, _K.COUNT, "buildings (栋)", "1", _NUM),
        _u("批", LZUNIT.CountPi, _K.COUNT, "batches (批)", "1", _NUM),
        _u("支", LZUNIT.CountZhi, _K.COUNT, "teams (支)", "1", _NUM),
        _u("株", LZUNIT.CountZhu, _K.COUNT, "plants (株)", "1", _NUM),
        _u("万株", LZUNIT.WanZhu, _K.COUNT, "10 thousand plants", "10000", _NUM),
        _u("村", LZUNIT.CountCun, _K.COUNT, "villages (村)", "1", _NUM),
        _u("微克/立方米", LZUNIT.MicroGramPerM3, _K.MEASURE, "micrograms per cubic metre"),
        _u("天", LZUNIT.Day, _K.MEASURE, "days"),
        _u("小时", UNIT.HR, _K.MEASURE, "hours"),
    )
}
#: Ranks: 第4名, 第54位, and a bare rank (全市第一) with no unit printed.
RANKS: dict[str, IngestUnit] = {
    "名": _u("名", LZUNIT.RankMing, _K.RANK, "rank (名)"),
    "位": _u("位", LZUNIT.RankWei, _K.RANK, "rank (位)"),
    "": _u("", LZUNIT.RankPosition, _K.RANK, "rank position"),
}

#: Units that may follow a Chinese numeral as a figure (三所, 百亿元): counters
#: that are mostly words there (一个, 两条, 四项, 八次) are left out.
CHINESE_NUMERAL_UNITS = frozenset(
    u for u, info in UNITS.items() if info.kind in (_K.MONEY, _K.MEASURE, _K.PERCENT, _K.POINTS)
) | {"所", "座", "家", "处", "名", "人", "万人", "户", "张", "台", "套", "辆"}


def lzunit_declarations() -> list[IngestUnit]:
    """The lzunit: units this table uses (each must be declared in the ontology)."""
    seen: dict[URIRef, IngestUnit] = {}
    for u in [*UNITS.values(), *RANKS.values()]:
        if str(u.iri).startswith(str(LZUNIT._NS)):
            seen.setdefault(u.iri, u)
    return list(seen.values())
