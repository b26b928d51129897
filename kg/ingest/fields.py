"""Give each figure its indicator, year, status and modality.

The indicator is read from the clause around the figure: the words before it
(``规上工业总产值实现2778亿元``), after it for counts (``141个“七网”建设项目``),
a growth word with its subject (``地区生产总值440.5亿元、增长5.4%`` → 地区生产总值增长),
``分别`` lists distributed to their subjects (城乡居民…分别增长a、b → 城镇…, 农村…),
``其中`` sub-items, ``完成年计划X的Y%`` (the plan and the ratio) and ranks.
Year and status come from the sentence (预计 to its end, an explicit year, 今年/去年,
力争/确保/计划) and else from the section (:mod:`kg.ingest.structure`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.core.units import UnitKind
from kg.ingest.figures import Figure
from kg.ingest.structure import Role, Structure


@dataclass
class FigureFields:
    """What the draft says about one figure, with how it was decided."""

    indicator: str
    year: int
    status: str
    modality: str | None
    rules: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    confidence: float = 0.9
    subject: str = ""
    ranking: bool = False


_NARROW = set(",;:。!?\n、()●")
_WIDE = set(",;:。!?\n()●")
_SENTENCE = set("。!?\n")
_CLAUSE_CHAIN = set(";。!?\n")

_LEAD = (
    "其中",
    "初步预计",
    "预计",
    "全市",
    "全区",
    "全县",
    "全省",
    "全州",
    "全年",
    "累计",
    "共计",
    "实现",
    "完成",
    "力争",
    "争取",
    "确保",
    "计划",
    "预期",
    "今年",
    "去年",
    "我们",
    "同时",
    "此外",
    "另外",
    "并且",
    "并",
    "还",
    "将",
    "要",
    "努力",
    "集中",
    "突出抓好",
    "抓好",
    "实施",
    "以",
    "的",
    "和",
    "及",
    "与",
    "共",
)
_TRAIL = (
    "下降到",
    "下降至",
    "降低到",
    "降低至",
    "减少到",
    "减少至",
    "上升到",
    "上升至",
    "降至",
    "降到",
    "增长至",
    "增长到",
    "增加到",
    "增加至",
    "提高到",
    "提高至",
    "提升到",
    "提升至",
    "达到了",
    "达到",
    "高达",
    "达",
    "为",
    "完成",
    "实现",
    "突破",
    "超过",
    "不低于",
    "不少于",
    "不超过",
    "控制在",
    "保持在",
    "稳定在",
    "高于",
    "低于",
    "超",
    "约",
    "近",
    "逾",
    "分别",
    "是",
    "有",
    "共",
    "累计",
    "合计",
    "总计",
    "至",
    "到",
    "的",
    "了",
)
_GROWTH = ("增长", "增速", "增幅", "涨幅", "下降", "提高", "提升", "降低", "减少", "增加", "上涨", "上升", "回落")
_GROWTH_TRAIL = (
    "按可比价格计算",
    "同口径",
    "可比口径",
    "同比",
    "比上年",
    "较上年",
    "比去年",
    "年均",
    "平均",
    "分别",
    "均",
)
_ATTRIBUTE = ("总投资", "投资规模", "投资", "比重", "占比", "总额", "增量", "增速", "总量", "规模", "总数")
_SPEC_BEFORE = re.compile(
    r"(总投资|投资规模|计划总投资|总投资额|年产|年产能|设计产能|产能|装机容量|装机|总规模|占地面积|占地|建筑面积)(约|达|为)?$"
)
_CAPACITY_UNITS = {"吨", "万吨", "亿吨", "千瓦", "万千瓦", "兆瓦"}
_COUNT_VERBS = (
    "新改建",
    "新谋划",
    "新开工",
    "建成投用",
    "新认定",
    "新增",
    "新建",
    "改建",
    "建成",
    "开工",
    "竣工",
    "签约",
    "引进",
    "培育",
    "谋划",
    "投用",
)
_RANK_LEAD = (
    "位居",
    "位列",
    "名列",
    "跃居",
    "跻身",
    "排名",
    "进入",
    "保持",
    "荣获",
    "获得",
    "居",
    "列",
    "以",
    "获",
    "排",
)
_STRIVE = re.compile(r"力争|争取|努力")
_ENSURE = re.compile(r"确保")
_PLAN = re.compile(r"计划|预期|目标|预计")
_MODALITY_CUES = (("strive", _STRIVE), ("ensure", _ENSURE), ("plan", _PLAN))
_TARGET_CUES = re.compile(r"力争|争取|确保|计划|预期|目标|将|要|争创")
_EXPLICIT_YEAR = re.compile(r"(?<!\d)(20\d\d)年(?![\d底末以来前])")
_YEAR_WORDS = (("新的一年", 0), ("今年", 0), ("明年", 1), ("去年", -1), ("过去一年", -1), ("上一年", -1))


def _strip(text: str, lead: tuple[str, ...], trail: tuple[str, ...], *, to_empty: bool = False) -> str:
    text = text.strip(" *")
    keep = 0 if to_empty else 1
    changed = True
    while changed and text:
        changed = False
        text = re.sub(r"^(20\d\d年|\d+月份?)", "", text)
        text = re.sub(r"连续\d+年", "", text)
        for w in lead:
            if text.startswith(w) and len(text) >= len(w) + keep:
                text, changed = text[len(w) :], True
                break
        for w in trail:
            if text.endswith(w) and len(text) >= len(w) + keep:
                text, changed = text[: -len(w)], True
                break
    return text.strip(" *")


def _clean(text: str) -> str:
    return _strip(text, _LEAD, _TRAIL)


def _back(text: str, pos: int, stops: set[str], floor: int = 0) -> int:
    i = pos
    while i > floor and text[i - 1] not in stops:
        i -= 1
    return i


def _fwd(text: str, pos: int, stops: set[str], ceiling: int | None = None) -> int:
    end = len(text) if ceiling is None else ceiling
    i = pos
    while i < end and text[i] not in stops:
        i += 1
    return i


class _Reader:
    def __init__(self, text: str, figures: list[Figure], structure: Structure) -> None:
        self.text = text
        self.figs = figures
        self.st = structure
        self.out: list[FigureFields | None] = [None] * len(figures)
        self._last_items: tuple[int, list[str]] | None = None

    def left(self, i: int) -> str:
        f = self.figs[i]
        floor = self.figs[i - 1].wording_end if i > 0 else 0
        return self.text[_back(self.text, f.wording_start, _NARROW, floor) : f.wording_start]

    def left_wide(self, i: int) -> str:
        f = self.figs[i]
        return self.text[_back(self.text, f.wording_start, _WIDE) : f.wording_start]

    def right(self, i: int) -> str:
        f = self.figs[i]
        ceiling = self.figs[i + 1].wording_start if i + 1 < len(self.figs) else None
        return self.text[f.wording_end : _fwd(self.text, f.wording_end, _NARROW, ceiling)]

    def sentence_start(self, pos: int) -> int:
        return _back(self.text, pos, _SENTENCE)

    def same_sentence(self, i: int, j: int) -> bool:
        a, b = sorted((i, j))
        return not any(c in _SENTENCE for c in self.text[self.figs[a].end : self.figs[b].start])

    def inherited(self, i: int) -> str:
        for j in range(i - 1, -1, -1):
            if not self.same_sentence(i, j):
                break
            prev = self.out[j]
            if prev is not None and prev.subject:
                return prev.subject
        return ""

    # -- indicators ---------------------------------------------------------

    def label(self, i: int) -> tuple[str, str, list[str]]:
        """(indicator label, subject for later growth figures, rules)."""
        f = self.figs[i]
        kind = f.unit.kind
        raw_left = self.left(i)
        left = _clean(raw_left)
        if left in _TRAIL or left in _LEAD:  # 稳定在1100亿斤以上: a verb alone names nothing
            left = ""
        right_raw = self.right(i)
        if kind == UnitKind.RANK:
            return self.rank_label(i, left, right_raw)
        if kind in (UnitKind.PERCENT, UnitKind.POINTS):
            core = _strip(raw_left, _LEAD, ("分别", "了", "约", "近", "超过", "达到", "达", "为"))
            for word in _GROWTH:
                if core.endswith(word):
                    base = re.sub(r"(比|较|与)(20\d\d年|上年|去年)(同期)?(相比)?$", "", core[: -len(word)])
                    subject = _strip(base, _LEAD, _GROWTH_TRAIL, to_empty=True)
                    subject = _clean(subject) if subject else ""
                    rules = ["growth"]
                    if not subject:
                        subject = self.inherited(i)
                        rules.append("subject from earlier figure")
                    return subject + word, subject, rules
            prev_fields = self.out[i - 1] if i > 0 else None
            if raw_left.rstrip().endswith("的") and prev_fields is not None and "计划" in self.left(i - 1):
                subject = prev_fields.subject
                return subject + "完成年计划比例", subject, ["plan ratio"]
        if kind == UnitKind.COUNT and right_raw.strip(" *"):
            noun = _strip(right_raw.lstrip("的"), (), ("等", "的"))
            verb = next((v for v in _COUNT_VERBS if left.endswith(v) or raw_left.endswith(v)), "")
            if noun:
                return verb + noun, verb + noun, ["count noun after"]
        if f.unit.printed in _CAPACITY_UNITS and right_raw and re.match(r"[\u4e00-\u9fff]", right_raw):
            product = _strip(right_raw, (), ("项目", "等", "的"))
            owner = _strip(left, ("突出", "推进", "加快", "建设", "推动"), ("年产", "年产能", "产能", "设计产能"))
            product = product.split("项目")[0] or product
            return owner + product + "产能", owner, ["capacity"]
        if re.search(r"(全年|年度)?计划$", raw_left) and right_raw.startswith("的"):
            subject = _clean(re.split(r"完成|占|为", raw_left)[0]) or self.inherited(i)
            return subject + "年计划", subject, ["plan"]
        attr = next((a for a in _ATTRIBUTE if left.endswith(a)), None)
        if attr and right_raw.strip() == "的" and i + 1 < len(self.figs):
            return attr, "", ["attribute of next"]
        if left in _ATTRIBUTE or raw_left.startswith("占") or left.startswith(("占", "增量")):
            subject = self.inherited(i)
            return subject + left, subject, ["attribute of earlier subject"]
        if not left and right_raw.strip(" *"):
            noun = _clean(right_raw)
            return noun, noun, ["noun after"]
        if not left or left in ("和", "与", "及", "、", "或"):
            subject = self.inherited(i)
            return subject, subject, ["subject from earlier figure"]
        if left in _COUNT_VERBS and kind == UnitKind.COUNT:
            # 规上工业企业达到186家,新增23家: the verb counts the subject before.
            subject = self.inherited(i)
            return left + subject, subject, ["subject from earlier figure"]
        return left, left, ["words before"]

    def rank_label(self, i: int, left: str, right_raw: str) -> tuple[str, str, list[str]]:
        subject = _strip(left, _RANK_LEAD, (), to_empty=True)
        if subject.startswith(("增量", "增速", "总量", "增幅")):
            subject = self.inherited(i) + subject
        if not subject:
            subject = _strip(right_raw, ("的成绩", "成绩", "的"), ())
            subject = _strip(subject, ("入选", "进入", "跻身", "位列", "居"), ())
        return subject + "排名", subject, ["rank"]

    def distribute(self) -> None:
        """分别 lists: the i-th subject gets the i-th figure."""
        i = 0
        while i < len(self.figs):
            run = [i]
            while run[-1] + 1 < len(self.figs):
                a, b = self.figs[run[-1]], self.figs[run[-1] + 1]
                if self.text[a.wording_end : b.wording_start].strip() in ("、", "和", "与", "及", ","):
                    run.append(run[-1] + 1)
                else:
                    break
            wide = self.left_wide(i)
            if len(run) >= 2 and "分别" in wide:
                self._distribute_run(run, wide)
            i = run[-1] + 1

    def _distribute_run(self, run: list[int], wide: str) -> None:
        pre, _, after = wide.rpartition("分别")
        pre = _strip(pre, _LEAD, _GROWTH_TRAIL, to_empty=True)
        word = _strip(after, (), ("约", "为", "达到", "达"))
        rank = self.figs[run[0]].unit.kind == UnitKind.RANK
        word = "排名" if rank else (word if word in _GROWTH else "")
        items = [_clean(p) for p in re.split(r"、|和|与|以及|及", pre) if _clean(p)]
        if not items and self._last_items and len(self._last_items[1]) == len(run):
            # …分别达到a、b,分别增长c、d: the second list has the first one's subjects.
            if self.same_sentence(self._last_items[0], run[0]):
                items = list(self._last_items[1])
        if len(items) == 1 and items[0].startswith("城乡") and len(run) == 2:
            rest = items[0][2:]
            items = ["城镇" + rest, "农村" + rest]
        if len(items) != len(run):
            return
        last = items[-1]
        for k, item in enumerate(items[:-1]):
            if len(item) <= 2 < len(last):
                items[k] = item + last[len(item) :]
        if all(item in _ATTRIBUTE for item in items):
            # 总量和增速分别居全市第3位、第1位: attributes of the subject before.
            prefix = self.inherited(run[0])
            items = [prefix + item for item in items]
        self._last_items = (run[0], items)
        for k, idx in zip(range(len(run)), run, strict=True):
            fields = self.out[idx]
            if fields is not None:
                fields.indicator = items[k] + word
                fields.subject = items[k]
                fields.rules.append("分别 list")

    # -- year, status, modality --------------------------------------------

    def timing(self, i: int) -> tuple[int, str, str | None, list[str], list[str]]:
        """(year, status, modality, rules, review reasons)."""
        f = self.figs[i]
        text, st = self.text, self.st
        n = st.report_year
        s0 = self.sentence_start(f.start)
        before = text[s0 : f.start]
        chain = text[_back(text, f.start, _CLAUSE_CHAIN) : f.start]
        heading = st.context_at(f.start)
        role = heading.role if heading else None
        year = self._explicit_year(before)
        rules: list[str] = []
        reasons: list[str] = []
        if "预计" in before:
            return (
                (year or (heading.year if role is Role.REVIEW and heading else None) or n - 1),
                "estimate",
                None,
                ["预计 in sentence"],
                reasons,
            )
        left_raw = text[_back(text, f.wording_start, _NARROW) : f.wording_start]
        own = self.out[i]
        spec = bool(_SPEC_BEFORE.search(left_raw)) or (own is not None and "capacity" in own.rules)
        if "plan" in (own.rules if own else []):
            # 完成年计划X的Y%: X is the plan set for the year under review.
            y = year or (heading.year if heading and heading.year else n)
            return y, "target", "plan", ["plan of the year"], reasons
        if year is not None:
            status = "actual" if year < n else "target"
            rules.append("year in sentence")
        elif role is Role.REVIEW:
            assert heading is not None
            year, status = heading.year or n - 1, "actual"
            rules.append(f"section: {heading.text}")
        elif role is Role.PLAN:
            assert heading is not None
            year, status = heading.year or n, "target"
            rules.append(f"section: {heading.text}")
        elif _TARGET_CUES.search(chain):
            year, status = n, "target"
            rules.append("target cue")
        else:
            year, status = self._paragraph(f.start)
            rules.append("paragraph cue" if status else "fallback")
            if not status:
                year, status = n - 1, "actual"
                reasons.append("year and status from fallback (no section or cue)")
        if spec:
            # A size or capacity: the year is the one its sentence speaks of.
            return year, "specification", None, [*rules, "size or capacity"], reasons
        modality = None
        if status == "target":
            # The nearest cue before the figure frames it (力争…, 确保… in one sentence).
            cues = [(m.start(), name) for name, rx in _MODALITY_CUES for m in rx.finditer(chain)]
            if cues:
                modality = max(cues)[1]
            elif heading is not None and role is Role.PLAN:
                modality = heading.modality
        return year, status, modality, rules, reasons

    def _explicit_year(self, before: str) -> int | None:
        # A baseline year (比2020年, 较2015年, 2020年以来) is not the figure's year.
        found: list[tuple[int, int]] = [
            (m.start(), int(m.group(1)))
            for m in _EXPLICIT_YEAR.finditer(before)
            if before[max(0, m.start() - 1) : m.start()] not in ("比", "较", "与", "同", "自", "从")
            and not before.startswith(("相比", "比", "以来"), m.end())
        ]
        n = self.st.report_year
        for word, shift in _YEAR_WORDS:
            for m in re.finditer(word, before):
                if word in ("今年", "明年") and before[max(0, m.start() - 1) : m.start()] in ("比", "较"):
                    continue
                offset = self.st.this_year_offset if word in ("今年", "新的一年", "明年") else 0
                found.append((m.start(), n + shift + offset))
        return max(found)[1] if found else None

    def _paragraph(self, pos: int) -> tuple[int, str]:
        start = self.text.rfind("\n", 0, pos)
        para = self.text[max(0, start) : pos]
        n = self.st.report_year
        cues = r"去年|过去一年|过去的一年|一年来|成绩单|回望|今年|新的一年|展望|将"
        for m in reversed(list(re.finditer(cues, para))):
            if m.group(0) in ("去年", "过去一年", "过去的一年", "一年来", "成绩单", "回望"):
                return n - 1, "actual"
            return n, "target"
        return n - 1, ""


def read_fields(text: str, figures: list[Figure], structure: Structure) -> list[FigureFields]:
    """The fields of every figure (same order as ``figures``).

    >>> from kg.ingest.figures import find_figures
    >>> from kg.ingest.structure import read_structure
    >>> t = "一、2024年工作回顾\\n实现地区生产总值440.5亿元、增长5.4%,城乡居民人均可支配收入分别增长4.8%、7.2%。"
    >>> figs, st = find_figures(t), read_structure(t, year=2025)
    >>> [(x.indicator, x.year, x.status) for x in read_fields(t, figs, st)]  # doctest: +NORMALIZE_WHITESPACE
    [('地区生产总值', 2024, 'actual'), ('地区生产总值增长', 2024, 'actual'),
     ('城镇居民人均可支配收入增长', 2024, 'actual'), ('农村居民人均可支配收入增长', 2024, 'actual')]
    """
    reader = _Reader(text, figures, structure)
    for i in range(len(figures)):
        label, subject, rules = reader.label(i)
        reader.out[i] = FigureFields(label, 0, "", None, rules=rules, subject=subject)
    for i in range(len(figures) - 1, -1, -1):
        fields = reader.out[i]
        assert fields is not None
        if "attribute of next" in fields.rules and reader.out[i + 1] is not None:
            nxt = reader.out[i + 1]
            assert nxt is not None
            fields.indicator = nxt.indicator + fields.indicator
    reader.distribute()
    result: list[FigureFields] = []
    for i, f in enumerate(figures):
        fields = reader.out[i]
        assert fields is not None
        year, status, modality, rules, reasons = reader.timing(i)
        fields.year, fields.status, fields.modality = year, status, modality
        fields.rules.extend(rules)
        fields.reasons.extend(reasons)
        fields.ranking = f.unit.kind == UnitKind.RANK
        if not fields.indicator or fields.indicator == "排名":
            fields.indicator = fields.indicator or "未命名指标"
            fields.reasons.append("no indicator words found near the figure")
            fields.confidence = 0.3
        elif "subject from earlier figure" in fields.rules or "attribute of earlier subject" in fields.rules:
            fields.confidence = 0.75
        if reasons:
            fields.confidence = min(fields.confidence, 0.5)
        if f.chinese:
            fields.confidence = min(fields.confidence, 0.8)
        result.append(fields)
    return result
