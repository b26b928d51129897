"""Pictures to publish of the network view (visualize/templates/picture.js,
visualize/picture.py): drawn by the page in real headless Chromium, offline;
the same picture from `linzi-kg viz --svg/--png`; title, legend, source line;
the current filtered view laid out afresh; isolated indicators left out;
300 dpi PNG; labels that do not cover each other; hostile labels as text."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ARTIFACTS, PageWatch

from kg.cli import main
from visualize.picture import source_line

pytestmark = pytest.mark.browser

HOSTILE = "<b>&amp;\x01</svg>"
HOSTILE_TTL = """
@prefix lz: <https://w3id.org/linzi-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<urn:x:hostile> a lz:Enterprise ;
    rdfs:label "<b>&amp;\\u0001</svg>"@zh , "</text><script>alert(1)</script>"@en ;
    lz:carries <https://w3id.org/linzi-kg/id/project/juheshun-nylon> .
"""
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`viz` with a hostile name added, its SVG and PNG."""
    folder = tmp_path_factory.mktemp("picture")
    extra = folder / "hostile.ttl"
    extra.write_text(HOSTILE_TTL, encoding="utf-8")
    # The command as a user runs it, in a process of its own (this one may already drive a browser).
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "viz", "-o", "g.html", "--data", str(extra), "--svg", "g.svg", "--png", "g.png"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1:] == [
        f"wrote g.svg ({(folder / 'g.svg').stat().st_size} bytes)",
        f"wrote g.png ({(folder / 'g.png').stat().st_size} bytes)",
    ]
    return folder


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def _png_info(data: bytes) -> tuple[int, int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and data[37:41] == b"pHYs"
    width, height = struct.unpack(">II", data[16:24])
    ppm_x, ppm_y, unit = struct.unpack(">IIB", data[41:50])
    assert ppm_x == ppm_y and unit == 1
    return width, height, round(ppm_x * 0.0254)


def test_svg_has_title_legend_source_and_escapes(drawn: Path, graph) -> None:  # type: ignore[no-untyped-def]
    svg = (drawn / "g.svg").read_text(encoding="utf-8")
    texts = _texts(svg)  # well-formed XML, or this fails
    assert texts[0] == "临淄区2023年政府工作报告知识图谱"
    assert "Linzi District 2023 work report: knowledge graph" in texts
    assert any(t.startswith("图例") for t in texts) and any(t.startswith("企业") for t in texts)
    zh, _en = source_line(graph)
    assert any(t.startswith(f"来源: {zh}") and "CC BY 4.0" in t for t in texts)
    assert "<b>&amp;</svg>" in texts  # the hostile name is text (its control character dropped)
    assert "<script" not in svg and "<b>" not in svg
    # The isolated indicators are left out, and the legend says so.
    assert any(t.startswith("未画出无连线的指标节点") for t in texts)
    assert "全国综合实力百强区" not in texts


def test_png_is_print_resolution(drawn: Path) -> None:
    width, height, dpi = _png_info((drawn / "g.png").read_bytes())
    # More than 90 nodes: A3 landscape at 300 dpi.
    assert (width, height, dpi) == (4961, 3507, 300)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "picture-full.png").write_bytes((drawn / "g.png").read_bytes())


def test_labels_do_not_cover_each_other(drawn: Path) -> None:
    """Node labels (one <text> each, under their node) leave each other room."""
    root = ET.fromstring((drawn / "g.svg").read_text(encoding="utf-8"))  # noqa: S314 - our own output
    group = next(g for g in root.iter(f"{SVG}g") if g.get("paint-order") == "stroke" and g.get("font-size") == "14")
    boxes = []
    for text in group.iter(f"{SVG}text"):
        spans = list(text.iter(f"{SVG}tspan"))
        width = max(sum(14 if ord(c) > 0x2E7F else 14 * 0.56 for c in s.text or "") for s in spans)
        x, y = float(spans[0].get("x") or 0), float(spans[0].get("y") or 0)
        boxes.append((x - width / 2, y - 12, x + width / 2, y - 12 + 16 * len(spans)))
    overlaps = sum(
        1
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if min(a[2], b[2]) - max(a[0], b[0]) > 2 and min(a[3], b[3]) - max(a[1], b[1]) > 2
    )
    assert len(boxes) > 150 and overlaps <= len(boxes) // 50, f"{overlaps} overlapping labels of {len(boxes)}"


def test_the_page_and_the_command_line_draw_the_same(browser, drawn: Path) -> None:  # type: ignore[no-untyped-def]
    watch = PageWatch(browser)
    page = watch.page
    try:
        page.goto((drawn / "g.html").as_uri())
        page.wait_for_function("() => window.kgExplorer && window.kgExplorer.settled === true", timeout=60_000)
        assert page.evaluate("() => kgPicture.svg({})") == (drawn / "g.svg").read_text(encoding="utf-8")
        with_isolated = page.evaluate("() => kgPicture.svg({isolated: true})")
        assert "全国综合实力百强区" in _texts(with_isolated)
        assert watch.errors == [] and watch.requests == [] and watch.dialogs == []
    finally:
        watch.close()


def test_the_current_filtered_view_laid_out_afresh(browser, drawn: Path) -> None:  # type: ignore[no-untyped-def]
    watch = PageWatch(browser)
    page = watch.page
    try:
        page.goto((drawn / "g.html").as_uri())
        page.wait_for_function("() => window.kgExplorer && window.kgExplorer.settled === true", timeout=60_000)
        groups = page.evaluate("() => kgExplorer.data.groups.map(g => g.key)")
        for key in groups:
            if key not in ("enterprise", "industrial", "chain", "park"):
                page.locator(f'#legend input[data-group="{key}"]').uncheck()
        shown = page.evaluate("() => kgExplorer.nodes.length")
        page.click("#lang")  # the picture follows the page's language
        svg = page.evaluate("() => kgPicture.svg({})")
        texts = _texts(svg)
        assert texts[0] == "Linzi District 2023 work report: knowledge graph"
        assert any(t.startswith(f"{shown} nodes") for t in texts) and shown < 40
        assert "Juheshun" in texts and "Linzi District" not in texts  # places were filtered out
        assert re.search(r'width="297mm" height="210mm"', svg)  # few nodes: A4
        # Laid out afresh: the nodes fill the drawing area, not the corner the filter left.
        xs = [float(c) for c in re.findall(r'<polygon points="([\d.]+),', svg)]
        assert xs and max(xs) - min(xs) > 700
        data = page.evaluate("() => kgPicture.pngBase64({})")
        import base64

        png = base64.b64decode(data)
        assert _png_info(png) == (3508, 2479, 300)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "picture-filtered.png").write_bytes(png)
        assert watch.errors == [] and watch.requests == [] and watch.dialogs == []
    finally:
        watch.close()


def test_without_chromium_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import visualize.picture

    monkeypatch.setattr(visualize.picture, "CHROMIUM", tmp_path / "no-chromium")
    result = CliRunner().invoke(main, ["viz", "-o", str(tmp_path / "g.html"), "--svg", str(tmp_path / "g.svg")])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("error: drawing a picture needs Chromium at ")
    assert not (tmp_path / "g.svg").exists()
