"""The explorer in headless Chromium, as readers use it: the annotated article
reached from an entity page, and every page type at phone size. Offline: any
http(s) request other than to the local server is blocked and recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import ARTIFACTS, PageWatch

from kg.bench.servers import linzi_server

pytestmark = [pytest.mark.server, pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with linzi_server(["--workers", "1"], timeout=60) as (base, _proc):
        yield base


@pytest.fixture
def watch(browser, server: str) -> Iterator[tuple[PageWatch, list[str]]]:  # type: ignore[no-untyped-def]
    w = PageWatch(browser, block_http=False)
    outside: list[str] = []
    w.page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda r: (outside.append(r.request.url), r.abort()))
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield w, outside
        assert outside == [] and w.errors == [] and w.dialogs == []
    finally:
        w.close()


def test_span_link_opens_the_article_marked(server: str, watch) -> None:  # type: ignore[no-untyped-def]
    w, _ = watch
    page = w.page
    page.goto(f"{server}/id/project/juheshun-nylon")
    page.locator("a", has_text="[1720, 1732]").first.click()
    page.wait_for_selector("#mark")
    assert page.url.endswith("mark=1720-1732#mark")
    assert page.locator("mark").all_inner_texts() != []
    box = page.locator("#mark").bounding_box()
    assert box is not None and 100 < box["y"] < 900, "scrolled to the mark, with context above it"
    text = page.locator("#article").inner_text()
    assert "**" not in text
    assert page.locator("#article strong").count() > 10
    page.screenshot(path=str(ARTIFACTS / "article-marked.png"))
    # A highlighted name leads to its entity page.
    page.locator("#article a.f-entity", has_text="蔡华刚").first.click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "蔡华刚"


def test_article_on_a_phone(server: str, watch) -> None:  # type: ignore[no-untyped-def]
    w, _ = watch
    page = w.page
    page.set_viewport_size(PHONE)
    page.goto(f"{server}/article?mark=1720-1732#mark")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "article-phone.png"))


def _cli_path(a: str, b: str) -> str:
    from click.testing import CliRunner

    from kg.cli import main

    out = CliRunner().invoke(main, ["path", a, b]).output
    return out.splitlines()[0]


def _pick(page, name: str, button: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#search", name)
    assert page.locator("#results button").first.inner_text().startswith(name + " · ")
    page.locator("#results button").first.click()  # exact matches come first
    page.click(button)


@pytest.mark.parametrize(
    ("a", "b"), [("聚合顺", "临淄区"), ("生态环境改善任重道远", "在改善生态环境上攻坚突破"), ("蔡华刚", "齐鲁石化")]
)
def test_network_path_is_the_cli_path(server: str, watch, a: str, b: str) -> None:  # type: ignore[no-untyped-def]
    w, _ = watch
    page = w.page
    page.goto(f"{server}/graph")
    page.wait_for_function("() => window.kgExplorer && window.kgExplorer.settled", timeout=60_000)
    _pick(page, a, "#path-start")
    _pick(page, b, "#path-end")
    assert page.locator("#pathbar").inner_text() == "路径：" + _cli_path(a, b)
    stated = page.evaluate("() => document.getElementById('pathbar').textContent.split('-[').length")
    # The switch lets editorial links in: never longer, and here (challenge → action) shorter.
    page.check("#path-editorial")
    editorial = page.locator("#pathbar").inner_text()
    assert editorial.count("-[") <= stated - 1
    if a == "生态环境改善任重道远":
        assert editorial.count("-[") + editorial.count("]-") <= 2, editorial
        page.screenshot(path=str(ARTIFACTS / "network-path-editorial.png"))


PAGES = [
    "/",
    "/query?query=SELECT+%3Fe+%3Fn+WHERE+%7B+%3Fe+a+lz%3AEnterprise+%3B+lz%3AsourceTerm+%3Fn+%7D",
    "/queries",
    "/queries/targets-2023",
    "/queries/provenance",
    "/id/project/juheshun-nylon",
    "/id/article/news-article",
    "/id/linzi-2023/text",
    "/search?q=石化",
    "/article",
    "/id/nothing-here",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_fits_a_phone(server: str, watch, path: str) -> None:  # type: ignore[no-untyped-def]
    w, _ = watch
    page = w.page
    page.set_viewport_size(PHONE)
    page.goto(server + path)
    if path == "/id/nothing-here":
        w.errors.clear()  # the 404 itself is logged by Chromium as a console error
    wide = page.evaluate(
        """() => [document.documentElement.scrollWidth,
                  [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                    .filter(e => !e.closest('table.results') || e.matches('table.results'))
                    .slice(0, 5).map(e => e.tagName + '.' + e.className + ':' + (e.textContent || '').slice(0, 30))]"""
    )
    assert wide[0] <= PHONE["width"], wide
    name = re.sub(r"[^a-z0-9]+", "-", path.split("?")[0]).strip("-") or "home"
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)


@pytest.mark.parametrize("path", ["/graph", "/graph?focus=聚合顺&depth=1", "/id/enterprise/juheshun"])
def test_network_fits_a_phone(server: str, watch, path: str) -> None:  # type: ignore[no-untyped-def]
    w, _ = watch
    page = w.page
    page.set_viewport_size(PHONE)
    page.goto(server + path)
    if path.startswith("/graph"):
        frame = page
    else:
        iframe = page.wait_for_selector("iframe.graph")
        iframe.scroll_into_view_if_needed()
        frame = iframe.content_frame()
        assert frame is not None
    frame.wait_for_function("() => window.kgExplorer && window.kgExplorer.settled", timeout=60_000)
    sizes = frame.evaluate(
        "() => { const c = document.querySelector('#network canvas').getBoundingClientRect();"
        " return [c.width, c.height, document.documentElement.scrollWidth, innerWidth]; }"
    )
    assert sizes[0] >= 300 and sizes[1] >= 300, sizes
    assert sizes[2] <= sizes[3], sizes
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Details still reachable: a search result opens them.
    frame.fill("#search", "聚合顺")
    frame.locator("#results button").first.click()
    assert "聚合顺" in frame.locator("#details h2").inner_text()
    name = re.sub(r"[^a-z0-9]+", "-", path.split("?")[0]).strip("-")
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}{'-focus' if '?' in path else ''}.png"), full_page=True)


def test_network_details_link_to_pages_and_the_article(server: str, watch) -> None:  # type: ignore[no-untyped-def]
    w, _ = watch
    page = w.page
    page.goto(f"{server}/graph")
    page.wait_for_function("() => window.kgExplorer && window.kgExplorer.settled", timeout=60_000)
    page.fill("#search", "聚合顺")
    page.locator("#results button").first.click()
    page.locator("#details .span a").first.click()
    page.wait_for_selector("#mark")
    assert "聚合顺" in page.locator("mark").first.inner_text()
    page.go_back()
    page.wait_for_function("() => window.kgExplorer && window.kgExplorer.settled", timeout=60_000)
    page.fill("#search", "聚合顺")
    page.locator("#results button").first.click()
    page.click("#entity-page")
    page.wait_for_selector("h1")
    assert page.url == f"{server}/id/enterprise/juheshun"
