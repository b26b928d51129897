"""The figures chart: each indicator's 2022 result beside its 2023 target,
with the target's comparator, as one plain SVG (no script, no font or file
fetched), for the explorer's home page and as a download (``/figures.svg``).

Bars are compared only where comparing means something: indicators are
grouped by unit, and the bars of one unit share a scale (亿元 with 亿元, % with
%); ranks (位次) get no bars, since a smaller rank is the better one. A target
stated as 以上 or 突破 ends in an arrow (at least, above), 左右 in a bracket of
±5%, 以内 in a bar (at most). The figures are read by SPARQL from the graph,
so a ``--data`` report's figures are charted the same way.

>>> from kg.graph.store import load_graph
>>> rows = chart_rows(load_graph())
>>> [(r.indicator_zh, r.result.wording, r.target.wording) for r in rows if r.result and r.target]
[('规上工业总产值', '2778亿元', '突破3000亿元')]
>>> svg = figures_svg(rows)
>>> svg.startswith("<svg") and "突破3000亿元" in svg and "<script" not in svg
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.sax.saxutils import escape, quoteattr

from kg import __version__
from kg.core.i18n_catalogue import CATALOGUE as STRINGS
from kg.graph.store import KnowledgeGraph
from kg.sparql.engines import select_values

RESULT_YEAR, TARGET_YEAR = 2022, 2023
#: Units whose smaller number is the better one: no bars for them.
RANK_UNITS = ("https://w3id.org/linzi-kg/unit/RankPosition",)
_MARKS = {">=": "≥", ">": ">", "<=": "≤", "~": "≈", "=": ""}
RESULT_COLOUR, TARGET_COLOUR = "#8d99ae", "#2a6f97"
MAX_ROWS = 80

_QUERY = f"""SELECT ?figure ?area ?areaLabel ?indicator ?zh ?en ?year ?status ?wording ?value ?comparator
       ?unit ?unitLabel (MIN(?at) AS ?position) WHERE {{
  ?figure a qb:Observation ;
      lz:indicator ?indicator ;
      sdmx-dimension:refPeriod ?year ;
      lz:valueStatus ?status ;
      lz:originalWording ?wording ;
      sdmx-measure:obsValue ?value .
  VALUES (?year ?status) {{
    ("{RESULT_YEAR}"^^xsd:gYear lz:Actual) ("{TARGET_YEAR}"^^xsd:gYear lz:Target)
  }}
  OPTIONAL {{ ?figure sdmx-dimension:refArea ?area .
             OPTIONAL {{ ?area rdfs:label ?areaLabel FILTER(LANG(?areaLabel) = "zh") }} }}
  OPTIONAL {{ ?figure lz:comparator/skos:notation ?comparator }}
  OPTIONAL {{ ?figure sdmx-attribute:unitMeasure ?unit .
             OPTIONAL {{ ?unit rdfs:label ?unitLabel FILTER(LANG(?unitLabel) = "zh") }} }}
  OPTIONAL {{ ?indicator rdfs:label ?zh FILTER(LANG(?zh) = "zh") }}
  OPTIONAL {{ ?indicator rdfs:label ?en FILTER(LANG(?en) = "en") }}
  OPTIONAL {{ ?figure prov:wasDerivedFrom/oa:hasSelector/oa:start ?at }}
}}
GROUP BY ?figure ?area ?areaLabel ?indicator ?zh ?en ?year ?status ?wording ?value ?comparator ?unit ?unitLabel"""


@dataclass(frozen=True)
class Figure:
    wording: str
    value: float
    comparator: str  # the notation: = >= > <= ~
    iri: str


@dataclass(frozen=True)
class Row:
    """One indicator of one area: its 2022 result and 2023 target, either may be missing."""

    area_label: str
    indicator: str
    indicator_zh: str
    indicator_en: str
    unit: str
    unit_label: str
    position: int
    result: Figure | None
    target: Figure | None


def _number(text: str | None) -> float:
    try:
        return float(Decimal(text or "0"))
    except InvalidOperation:
        return 0.0


def chart_rows(kg: KnowledgeGraph) -> list[Row]:
    """The rows of the chart in article order (first statement of either figure)."""
    found: dict[tuple[str, str], dict[str, object]] = {}
    for r in select_values(kg, _QUERY):
        key = (r["area"] or "", r["indicator"] or "")
        row = found.setdefault(
            key,
            {
                "area_label": r["areaLabel"] or "",
                "indicator": r["indicator"] or "",
                "zh": r["zh"] or r["en"] or (r["indicator"] or "").rsplit("/", 1)[-1],
                "en": r["en"] or r["zh"] or "",
                "unit": r["unit"] or "",
                "unit_label": r["unitLabel"] or "",
                "position": 10**12,
                "result": None,
                "target": None,
            },
        )
        figure = Figure(r["wording"] or "", _number(r["value"]), r["comparator"] or "=", r["figure"] or "")
        slot = "target" if (r["status"] or "").endswith("#Target") else "result"
        current = row[slot]
        if current is None or figure.iri < current.iri:  # type: ignore[attr-defined]
            row[slot] = figure  # one per slot; a figure stated twice keeps the first IRI
        position = int(_number(r["position"])) if r["position"] else 10**12
        row["position"] = min(int(row["position"]), position)  # type: ignore[call-overload]
    rows = [
        Row(
            area_label=str(v["area_label"]),
            indicator=str(v["indicator"]),
            indicator_zh=str(v["zh"]),
            indicator_en=str(v["en"]),
            unit=str(v["unit"]),
            unit_label=str(v["unit_label"]),
            position=int(v["position"]),  # type: ignore[call-overload]
            result=v["result"],  # type: ignore[arg-type]
            target=v["target"],  # type: ignore[arg-type]
        )
        for v in found.values()
    ]
    rows.sort(key=lambda r: (r.area_label, r.position, r.indicator))
    return rows[:MAX_ROWS]


def _wrap(text: str, width: int) -> list[str]:
    """Chinese labels broken every ``width`` characters (at most two lines)."""
    lines = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    return lines[:2] if len(lines) <= 2 else [lines[0], lines[1][: width - 1] + "…"]


def _lines(text: str, limit: float, size: float) -> list[str]:
    """``text`` in lines at most ``limit`` units wide (CJK a full ``size``, others about half), broken at spaces
    or, for Chinese, anywhere."""
    out, line = [], ""
    for token in re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+", text):
        if line and _width(line + token.rstrip(), size) > limit:
            out.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*out, line.rstrip()] if line.strip() else out


def _width(text: str, size: float) -> float:
    return sum(size if ord(c) > 0x2E7F else size * 0.56 for c in text)


def figures_svg(rows: list[Row], *, source: str = "", width: int = 420) -> str:
    """The chart as an SVG document (see the module's description); 420 units
    wide, so that it stays legible on a phone's width."""
    title_zh, title_en = STRINGS["figures_chart"]
    note_zh, note_en = STRINGS["figures_chart_note"]
    bar_x = 150
    bar_w = width - bar_x - 110
    notes = [*_lines(note_zh, width - 24, 11), *_lines(note_en, width - 24, 11)]
    areas = sorted({r.area_label for r in rows})
    groups: list[tuple[str, str, list[Row]]] = []
    for row in rows:
        key = (row.area_label if len(areas) > 1 else "") + "\x00" + row.unit
        for g in groups:
            if g[0] == key:
                g[2].append(row)
                break
        else:
            groups.append((key, row.unit_label, [row]))
    line = f"{STRINGS['source_line'][0]} {STRINGS['source_line'][1]}: {source} · linzi-kg {__version__} · CC BY 4.0"
    foot = _lines(line, width - 24, 11)
    head = 84 + 15 * len(notes)
    height = head + sum(30 + 44 * len(g[2]) for g in groups) + 30 + 15 * len(foot)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label={quoteattr(f"{title_zh} · {title_en}")} '
        'font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif" font-size="13">',
        f"<title>{escape(f'{title_zh} · {title_en}')}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="12" y="26" font-size="18" font-weight="bold" fill="#1d3557">{escape(title_zh)}</text>',
        f'<text x="12" y="46" font-size="13" fill="#555555">{escape(title_en)}'
        + (f" · {escape('、'.join(a for a in areas if a))}" if any(areas) else "")
        + "</text>",
    ]
    y = 66
    for colour, key in ((RESULT_COLOUR, "actual_2022"), (TARGET_COLOUR, "target_2023")):
        zh, en = STRINGS[key]
        x = 12 if key == "actual_2022" else 200
        out.append(f'<rect x="{x}" y="{y - 10}" width="14" height="10" fill="{colour}"/>')
        out.append(
            f'<text x="{x + 20}" y="{y}" fill="#222222">{escape(zh)} <tspan fill="#777777">{escape(en)}</tspan></text>'
        )
    for i, note in enumerate(notes):
        out.append(f'<text x="12" y="{y + 20 + 15 * i}" font-size="11" fill="#777777">{escape(note)}</text>')
    y = head
    if not rows:
        empty = f"没有{RESULT_YEAR}年实际或{TARGET_YEAR}年目标 · no figures"
        out.append(f'<text x="12" y="{y + 20}" fill="#555555">{escape(empty)}</text>')
    for _key, unit_label, members in groups:
        ranked = any(m.unit in RANK_UNITS for m in members)
        top = max((f.value for m in members for f in (m.result, m.target) if f is not None), default=1.0) or 1.0
        heading = unit_label or "—"
        if ranked:
            heading += " · 位次越小越靠前 · smaller is better"
        elif len(areas) > 1:
            heading = f"{members[0].area_label} · {heading}"
        out.append(
            f'<text x="12" y="{y + 18}" font-size="12" font-weight="bold" fill="#555555">{escape(heading)}</text>'
        )
        out.append(f'<line x1="12" y1="{y + 24}" x2="{width - 12}" y2="{y + 24}" stroke="#dddddd"/>')
        y += 30
        for m in members:
            lines = _wrap(m.indicator_zh, 10)
            for i, line in enumerate(lines):
                out.append(f'<text x="12" y="{y + 15 + 15 * i}" fill="#222222">{escape(line)}</text>')
            for i, (fig, colour) in enumerate(((m.result, RESULT_COLOUR), (m.target, TARGET_COLOUR))):
                by = y + 4 + 18 * i
                if fig is None:
                    out.append(f'<text x="{bar_x}" y="{by + 11}" fill="#aaaaaa">—</text>')
                    continue
                length = 0.0 if ranked else max(2.0, bar_w * max(fig.value, 0.0) / top)
                tip = f"{m.indicator_zh} {RESULT_YEAR if i == 0 else TARGET_YEAR}: {fig.wording}"
                if length:
                    out.append(
                        f'<rect x="{bar_x}" y="{by}" width="{length:.1f}" height="12" fill="{colour}">'
                        f"<title>{escape(tip)}</title></rect>"
                    )
                end = bar_x + length
                out.extend(_comparator(fig.comparator, end, by, colour, bar_w * 0.05 if length else 0.0))
                # The comparator as a sign, unless the wording already says it (以上, 突破, …).
                worded = any(w in fig.wording for w in ("以上", "突破", "以内", "左右", "超过", "不低于"))
                mark = "" if worded else _MARKS.get(fig.comparator, fig.comparator)
                text = f"{mark} {fig.wording}".strip()
                out.append(f'<text x="{end + 14:.1f}" y="{by + 11}" fill="#222222">{escape(text)}</text>')
            y += 44
    y += 14
    for i, text in enumerate(foot):
        out.append(f'<text x="12" y="{y + 12 + 15 * i}" font-size="11" fill="#777777">{escape(text)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _comparator(notation: str, end: float, y: float, colour: str, about: float) -> list[str]:
    """The mark at a bar's end: an arrow for at least / above, a bracket for about, a stop for at most."""
    if notation in (">=", ">"):
        return [f'<path d="M{end:.1f},{y - 2} L{end + 9:.1f},{y + 6} L{end:.1f},{y + 14} z" fill="{colour}"/>']
    if notation == "~" and about:
        return [
            f'<path d="M{end - about:.1f},{y + 6} H{end + about:.1f} M{end - about:.1f},{y + 1} V{y + 11} '
            f'M{end + about:.1f},{y + 1} V{y + 11}" stroke="#222222" fill="none"/>'
        ]
    if notation == "<=":
        return [f'<path d="M{end + 2:.1f},{y - 2} V{y + 14}" stroke="#222222" stroke-width="2"/>']
    return []
