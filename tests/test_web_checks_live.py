"""The check, follow-up and comparison pages in a real `linzi-kg serve` and
real headless Chromium: the chart is drawn (SVG bars, no script, nothing
fetched from outside, no CSP complaint), the follow-up lists every outcome,
and a figure's page shows its finding."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ARTIFACTS, PageWatch
from test_web_checks import level_documents

from kg.bench.servers import linzi_server

pytestmark = [pytest.mark.server, pytest.mark.browser]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    args = ["--workers", "2"]
    for path in level_documents(tmp_path_factory.mktemp("levels")):
        args += ["--data", str(path), "--text", str(path.with_suffix(".txt"))]
    with linzi_server(args, timeout=60) as running:
        yield running


def test_compare_followup_and_checks_in_chromium(server: tuple[str, subprocess.Popen[bytes]], browser) -> None:  # type: ignore[no-untyped-def]
    base, _ = server
    watch = PageWatch(browser, block_http=False)
    page = watch.page
    outside: list[str] = []
    page.route(
        re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: (outside.append(route.request.url), route.abort())
    )
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.goto(f"{base}/")
        page.click("nav >> text=地区对比")
        page.wait_for_selector("#chart svg")
        bars = page.locator("#chart svg rect[height]")
        assert bars.count() >= 1 + 5 + 4  # background, five areas' bars, legend swatches
        chart = page.locator("#chart svg").inner_html()
        assert "示范市" in chart and "临淄区" in chart and "5.5%以上" in chart
        box = page.locator("#chart svg").bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 150
        assert page.locator("#pairs tbody tr").count() == 7  # and Linzi's, whose city and province set none here
        page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)
        page.locator("#chart svg").screenshot(path=str(ARTIFACTS / "compare-chart.png"))

        # Another indicator through the form.
        page.select_option("select[name=indicator]", label="空气质量优良率")
        page.click("form.params button")
        page.wait_for_selector("#chart svg")
        assert "70%" in page.locator("#points").inner_text()

        page.goto(f"{base}/followup")
        page.wait_for_selector("#followup")
        text = page.locator("#followup").inner_text()
        for outcome in ("met", "met-within-tolerance", "missed", "not-reported", "not-comparable"):
            assert outcome in text, outcome
        # The sentences of the --data reports, from their --text files.
        assert "空气质量优良率65.2%" in text
        page.screenshot(path=str(ARTIFACTS / "followup.png"), full_page=True)

        page.goto(f"{base}/checks")
        page.locator(".finding.loose-bounds a", has_text="2778亿元").first.click()
        page.wait_for_selector("h1")
        assert "2022-industrial-output" in page.url
        assert page.locator(".finding.loose-bounds").count() == 1
        page.screenshot(path=str(ARTIFACTS / "figure-checks.png"), full_page=True)
        assert outside == [] and watch.errors == [] and watch.dialogs == []
    finally:
        watch.close()


def test_the_chart_alone_opens_offline(server: tuple[str, subprocess.Popen[bytes]], browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import urllib.parse
    import urllib.request

    base, _ = server
    query = urllib.parse.urlencode({"indicator": "地区生产总值增长率"})
    with urllib.request.urlopen(f"{base}/compare.svg?{query}", timeout=30) as answer:
        svg = answer.read()
    saved = tmp_path / "compare.svg"
    saved.write_bytes(svg)
    watch = PageWatch(browser)  # every http(s) request blocked and recorded
    try:
        watch.page.goto(saved.as_uri())
        assert watch.page.locator("svg rect").count() >= 6
        assert watch.requests == [] and watch.errors == []
    finally:
        watch.close()
