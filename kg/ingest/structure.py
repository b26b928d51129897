"""The document's structure: the report year, the sections and their roles.

The year and status of a figure come from the document far more than from its
sentence: a report delivered on 2022-12-28 is the 2023 report and states 2022
results; under 一、2022年工作回顾 figures are results, under 主要预期目标 they
are targets. :func:`read_structure` finds the report year (meeting date,
title, headings, dateline, else the latest year named, flagged for review)
and each heading's role.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    """What a section states: results of the past year or plans for the report's year."""

    REVIEW = "review"
    PLAN = "plan"


@dataclass(frozen=True)
class Heading:
    start: int
    text: str
    role: Role | None
    year: int | None
    modality: str | None
    top_level: bool


@dataclass(frozen=True)
class Structure:
    report_year: int
    year_rule: str
    delivered_month: int | None
    headings: tuple[Heading, ...]

    def context_at(self, pos: int) -> Heading | None:
        """The heading whose role is in force at ``pos`` (None before any role)."""
        starts = [h.start for h in self.headings]
        i = bisect.bisect_right(starts, pos) - 1
        return self.headings[i] if i >= 0 else None

    @property
    def this_year_offset(self) -> int:
        """How 今年 relates to the report year: a report delivered in December speaks of its eve."""
        return -1 if (self.delivered_month or 0) >= 10 else 0


_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TITLE = re.compile(r"(\d{4})年[^\n,。]{0,12}?政府工作报告")
_HEADING_YEAR = (
    (re.compile(r"(\d{4})年(?:工作)?回顾"), 1),
    (re.compile(r"回[望顾](\d{4})"), 1),
    (re.compile(r"展望(\d{4})"), 0),
    (re.compile(r"(\d{4})年(?:主要|经济社会发展)?(?:预期)?目标"), 0),
    (re.compile(r"(\d{4})年(?:工作安排|重点工作|主要任务|工作任务)"), 0),
)
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_SUB_ORDINAL = re.compile(r"^\([一二三四五六七八九十]+\)")
_REVIEW_WORDS = re.compile(r"回顾|回望|过去一年|过去五年|过去的一年|工作总结|主要成绩|成绩单")
_PLAN_WORDS = re.compile(r"目标|展望|工作安排|工作任务|总体要求|重点工作|主要任务|预期|今年工作|新的一年|工作部署")


def read_structure(text: str, *, year: int | None = None) -> Structure:
    """Report year and headings of a normalized report text.

    >>> s = read_structure("——2022年12月28日在某市第十六届人民代表大会第三次会议上\\n一、2022年工作回顾\\n经济向好。")
    >>> s.report_year, s.year_rule, [(h.text, h.role.value, h.year) for h in s.headings]
    (2023, 'meeting date', [('一、2022年工作回顾', 'review', 2022)])
    """
    report_year, rule, month = _report_year(text)
    if year is not None:
        report_year, rule = year, "given"
    headings = tuple(_headings(text, report_year))
    return Structure(report_year, rule, month, headings)


def _report_year(text: str) -> tuple[int, str, int | None]:
    head = text[:600]
    for m in _DATE.finditer(head):
        after = text[m.end() : m.end() + 40]
        if "会议" in after or "人民代表大会" in after or after.startswith("在"):
            y, month = int(m.group(1)), int(m.group(2))
            return (y + 1 if month >= 10 else y), "meeting date", month
    title = _TITLE.search(text[:1500])
    if title:
        return int(title.group(1)), "title", None
    for pattern, shift in _HEADING_YEAR:
        heading = pattern.search(text)
        if heading:
            return int(heading.group(1)) + shift, "heading", None
    dateline = _DATE.search(head)
    if dateline and int(dateline.group(2)) <= 4:
        return int(dateline.group(1)), "dateline", int(dateline.group(2))
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)年", text)]
    if years:
        common = Counter(years).most_common(1)[0][0]
        return max(common, max(years)), "fallback (latest year named)", None
    return 0, "none", None


def _headings(text: str, report_year: int) -> list[Heading]:
    out: list[Heading] = []
    pos = 0
    for line in text.split("\n"):
        start = pos + len(line) - len(line.lstrip())
        pos += len(line) + 1
        body = line.strip()
        if not body or body[0] in "●•·-—":
            continue
        top = bool(_ORDINAL.match(body))
        sub = bool(_SUB_ORDINAL.match(body))
        if top or sub:
            body = re.split(r"[。]", body, maxsplit=1)[0]
        elif len(body) > 32 or re.search(r"[,。;!?]", body) or _DATE.search(body):
            continue
        role, year = _role(body, report_year)
        modality = "plan" if role is Role.PLAN and ("预期" in body or "主要目标" in body) else None
        if role is None and not top:
            continue
        if role is None and out and out[-1].role is Role.PLAN:
            # 三、加强政府自身建设 after the year's plans: still about the year ahead.
            role, year = Role.PLAN, out[-1].year
        out.append(Heading(start, body, role, year, modality, top))
    return out


def _role(body: str, report_year: int) -> tuple[Role | None, int | None]:
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?:年)?", body)]
    if _REVIEW_WORDS.search(body):
        return Role.REVIEW, years[0] if years else report_year - 1
    if _PLAN_WORDS.search(body):
        return Role.PLAN, years[0] if years else report_year
    if years and "年" in body:
        y = years[0]
        return (Role.REVIEW if y < report_year else Role.PLAN), y
    return None, None
