"""One indicator across areas and levels, and a chart of it as plain SVG.

The figures come from the named query ``compare-areas`` (and the pairs of
lower and upper levels from ``lower-level-targets``), so the page, the CLI and
a SPARQL client see the same rows. The chart is drawn here as SVG markup with
every text escaped: no script, no external font or file, so it passes the
explorer's Content-Security-Policy and can be saved into a story as is.

>>> from kg.graph.store import load_graph
>>> points = comparison(load_graph(), "地区生产总值增长率")
>>> [(p.area_label, p.year, p.wording) for p in points]
[('淄博市', 2022, '4%以上'), ('山东省', 2023, '5%以上'), ('临淄区', 2023, '5.5%以上')]
>>> svg_chart(points, title="地区生产总值增长率").startswith("<svg")
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from kg.checks.figures import UNIT_SHOWN

if TYPE_CHECKING:
    from kg.graph.store import KnowledgeGraph

LEVELS = {1: "省 province", 2: "市 city", 3: "区县 district", 4: "其他 other"}
STATUS_ZH = {"actual": "实际", "target": "目标", "specification": "规模"}
# Colour-blind-safe (Okabe-Ito), one per area in the order they first appear.
_MARKS = {">=": "≥ ", ">": "> ", "<=": "≤ ", "~": "≈ "}
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


@dataclass(frozen=True)
class Point:
    """One figure of the compared indicator."""

    area: str
    area_label: str
    level: int
    year: int
    status: str
    wording: str
    value: float
    unit: str
    comparator: str
    figure: str


@dataclass(frozen=True)
class LevelPair:
    """A lower level's target beside the target of an area containing it."""

    indicator: str
    indicator_label: str
    year: int
    lower_label: str
    lower_target: str
    upper_label: str
    upper_target: str
    compared: str  # higher | equal | lower | no-upper-target
    lower_figure: str
    upper_figure: str


def _label(kg: KnowledgeGraph, node: object) -> str:
    from kg.graph.lookup import label

    return label(kg.full_graph(), node, "zh") or str(node).rsplit("/", 1)[-1]  # type: ignore[arg-type]


def comparison(kg: KnowledgeGraph, indicator: str) -> list[Point]:
    """The figures of ``indicator`` (label or IRI) across areas and years."""
    from kg.sparql.queries import run

    result = run("compare-areas", {"indicator": indicator}, kg=kg)
    points = []
    for row in result.dicts():
        points.append(
            Point(
                area=str(row["area"]),
                area_label=_label(kg, row["area"]),
                level=int(str(row["level"])),
                year=int(str(row["year"])[:4]),
                status=str(row["status"]),
                wording=str(row["wording"]),
                value=float(str(row["value"])),
                unit=UNIT_SHOWN.get(str(row["unit"])) or _label(kg, row["unit"]),
                comparator=str(row["comparator"]),
                figure=str(row["figure"]),
            )
        )
    return points


def level_pairs(kg: KnowledgeGraph) -> list[LevelPair]:
    """Every lower level's target beside its upper level's (``lower-level-targets``)."""
    from kg.sparql.queries import run

    out = []
    for row in run("lower-level-targets", kg=kg).dicts():
        out.append(
            LevelPair(
                indicator=str(row["indicator"]),
                indicator_label=_label(kg, row["indicator"]),
                year=int(str(row["year"])[:4]),
                lower_label=_label(kg, row["lower"]),
                lower_target=str(row["lowerTarget"]),
                upper_label=_label(kg, row["upper"]),
                upper_target=str(row["upperTarget"]) if row["upperTarget"] is not None else "—",
                compared=str(row["compared"]),
                lower_figure=str(row["lowerFigure"]),
                upper_figure=str(row["upperFigure"]) if row["upperFigure"] is not None else "",
            )
        )
    return out


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * step:
            return float(m * step)
    return float(10 * step)


def _tick(x: float) -> str:
    return f"{x:g}"


def svg_chart(points: list[Point], *, title: str, width: int = 760, height: int = 380) -> str:
    """A grouped bar chart: one group per year and status, one bar per area
    (ordered province, city, district), the printed wording above each bar
    (以上 marked ≥). Plain SVG 1.1; the caller embeds or serves it."""
    left, right, top, bottom = 56, 16, 60, 120
    groups: list[tuple[int, str]] = []
    areas: list[tuple[str, str, int]] = []
    for p in points:
        if (p.year, p.status) not in groups:
            groups.append((p.year, p.status))
        if p.area not in [a[0] for a in areas]:
            areas.append((p.area, p.area_label, p.level))
    areas.sort(key=lambda a: (a[2], a[1]))
    colour = {a[0]: PALETTE[i % len(PALETTE)] for i, a in enumerate(areas)}
    top_value = _nice_max(max((p.value for p in points), default=1.0) * 1.15)
    plot_w, plot_h = width - left - right, height - top - bottom
    unit = points[0].unit if points else ""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label={quoteattr(title)} font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="24" font-size="16" font-weight="bold" fill="#222222">{escape(title)}</text>',
    ]
    for i in range(6):
        v = top_value * i / 5
        y = top + plot_h - plot_h * i / 5
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#dddddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555555">{escape(_tick(v))}</text>')
    out.append(f'<text x="12" y="{top - 12}" fill="#555555">{escape(unit)}</text>')
    if not points:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#555555">no figures</text>')
    group_w = plot_w / max(len(groups), 1)
    for gi, (year, status) in enumerate(groups):
        members = [p for p in points if (p.year, p.status) == (year, status)]
        members.sort(key=lambda p: [a[0] for a in areas].index(p.area))
        bar_w = min(56.0, group_w * 0.8 / max(len(members), 1))
        x0 = left + gi * group_w + (group_w - bar_w * len(members)) / 2
        for bi, p in enumerate(members):
            h = plot_h * max(p.value, 0) / top_value
            x, y = x0 + bi * bar_w, top + plot_h - h
            tip = f"{p.area_label} {p.year} {STATUS_ZH.get(p.status, p.status)} {p.wording}"
            out.append(
                f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" fill="{colour[p.area]}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            worded = any(w in p.wording for w in ("以上", "突破", "以内", "左右", "超过"))
            mark = "" if worded else _MARKS.get(p.comparator, "")
            # Neighbouring labels alternate in height so that they do not overlap.
            out.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 6 - 13 * (bi % 2):.1f}" text-anchor="middle" '
                f'font-size="11" fill="#222222">{escape(mark + p.wording)}</text>'
            )
        label = f"{year} {STATUS_ZH.get(status, status)} {status}"
        out.append(
            f'<text x="{left + gi * group_w + group_w / 2:.1f}" y="{top + plot_h + 18}" text-anchor="middle" '
            f'fill="#222222">{escape(label)}</text>'
        )
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#888888"/>')
    lx, ly = left, top + plot_h + 36
    for area, name, level in areas:
        text = f"{name} ({LEVELS.get(level, '')})"
        out.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colour[area]}"/>')
        out.append(f'<text x="{lx + 16}" y="{ly + 11}" fill="#222222">{escape(text)}</text>')
        lx += 24 + 13 * len(text)
        if lx > width - 160:
            lx, ly = left, ly + 18
    out.append(
        f'<text x="{left}" y="{height - 6}" fill="#777777" font-size="10">'
        "linzi-kg · figures as printed in each report (以上 at least, 突破 more than, 左右 about)</text>"
    )
    out.append("</svg>")
    return "\n".join(out)
