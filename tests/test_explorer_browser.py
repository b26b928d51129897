"""The explorer in headless Chromium, as readers use it: the annotated article
reached from an entity page, and every page type at phone size. Offline: any
http(s) request other than to the local server is blocked and recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import ARTIFACTS, PageWatch, offline_page

pytestmark = [pytest.mark.server, pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(page_server: str) -> str:
    return page_server


@pytest.fixture
def watch(browser, server: str) -> Iterator[tuple[PageWatch, list[str]]]:  # type: ignore[no-untyped-def]
    with offline_page(browser) as watched:
        yield watched


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
    "/?lang=en",
    "/query?query=SELECT+%3Fe+%3Fn+WHERE+%7B+%3Fe+a+lz%3AEnterprise+%3B+lz%3AsourceTerm+%3Fn+%7D",
    "/queries",
    "/queries/targets-2023",
    "/queries/targets-2023?lang=en",
    "/queries/provenance",
    "/queries/enterprise-projects?enterprise=石化",
    "/id/project/juheshun-nylon",
    "/id/article/news-article",
    "/id/linzi-2023/text",
    "/id/indicator/industrial-output",
    "/id/linzi-2023/observation/2023-industrial-output",
    "/id/linzi-2023/observation/2023-industrial-output?lang=en",
    "/class/lz:Enterprise",
    "/search?q=石化",
    "/search?q=污水处理设施",
    "/search?q=污水处理设施&lang=en",
    "/article",
    "/checks",
    "/followup",
    "/compare",
    "/id/nothing-here",
    "/graph?focus=石化",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_fits_a_phone(server: str, watch, path: str) -> None:  # type: ignore[no-untyped-def]
    w, _ = watch
    page = w.page
    page.set_viewport_size(PHONE)
    page.goto(server + path)
    if path in ("/id/nothing-here", "/queries/enterprise-projects?enterprise=石化", "/graph?focus=石化"):
        w.errors.clear()  # the 404 or 400 itself is logged by Chromium as a console error
    wide = page.evaluate(
        """() => [document.documentElement.scrollWidth,
                  [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                    .filter(e => !e.closest('table.results') || e.matches('table.results'))
                    .slice(0, 5).map(e => e.tagName + '.' + e.className + ':' + (e.textContent || '').slice(0, 30))]"""
    )
    assert wide[0] <= PHONE["width"], wide
    name = re.sub(r"[^a-z0-9]+", "-", path.split("?")[0]).strip("-") or "home"
    name += "-en" if "lang=en" in path else ""
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


# -- issue 14: the readers' tasks, Chinese first, at desktop and phone size, offline -------

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": PHONE}


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def _fresh(w: PageWatch, size: str) -> None:
    w.context.clear_cookies()
    w.page.set_viewport_size(SIZES[size])


@pytest.mark.parametrize("size", list(SIZES))
def test_journalist_finds_a_phrase_and_where_it_is_said(server: str, watch, size: str) -> None:  # type: ignore[no-untyped-def]
    """A phrase from the text (污水处理设施), typed into the search box: its sentence,
    the works stated there, a work's page, and back to the text, marked."""
    w, _ = watch
    page = w.page
    _fresh(w, size)
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.fill("header input[name=q]", "污水处理设施")
    page.press("header input[name=q]", "Enter")
    page.wait_for_selector("#passages")
    _fits(page)
    assert page.locator("#passages mark").first.inner_text() == "污水处理设施"
    assert "污水处理项目" in page.locator("#facets").inner_text()
    page.locator("#passages a", has_text="方宇污水处理厂").first.click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "方宇污水处理厂"
    _fits(page)
    page.locator(".span a").first.click()
    page.wait_for_selector("#mark")
    assert "方宇污水处理厂" in page.locator("#article mark").all_inner_texts()[0]
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / f"task-journalist-{size}.png"))


@pytest.mark.parametrize("size", list(SIZES))
def test_researcher_browses_from_counts_to_figures_and_switches_language(server: str, watch, size: str) -> None:  # type: ignore[no-untyped-def]
    """Home page count → the list of indicators → an indicator's figures by year →
    a 2023 target beside its 2022 actual → the named query with Chinese headers;
    then English, which stays on as they go on."""
    w, _ = watch
    page = w.page
    _fresh(w, size)
    page.goto(server + "/")
    page.locator("#classes a", has_text="指标").first.click()
    page.wait_for_selector("#members")
    _fits(page)
    page.locator("#members a", has_text="规上工业总产值").first.click()
    page.wait_for_selector("#indicator-figures")
    assert page.locator("#indicator-chart svg").count() == 1
    _fits(page)
    page.locator("#indicator-figures a", has_text="突破3000亿元").click()
    page.wait_for_selector("#counterpart-figures")
    row = page.locator("#counterpart-figures tr", has_text="2778亿元").inner_text()
    assert "2022" in row and "实际" in row
    _fits(page)
    page.goto(server + "/queries/targets-2023")
    headers = page.locator("#results thead th").all_inner_texts()
    assert headers[:3] == ["地区", "指标", "目标"], headers
    # English, one click away, and it persists.
    page.click("#lang-switch")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.locator("#results thead th").all_inner_texts()[:3] == ["Area", "Indicator", "Target"]
    page.locator("header nav a", has_text="Named questions").click()
    page.wait_for_selector("h1")
    assert page.locator("html").get_attribute("lang") == "en" and page.locator("h1").inner_text() == "Named questions"
    page.goto(server + "/graph")
    page.wait_for_function("() => window.kgExplorer && window.kgExplorer.settled", timeout=60_000)
    assert page.locator("#lang").inner_text() == "中文" and page.locator("html").get_attribute("lang") == "en"
    # Switched back in the network view, the explorer follows.
    page.click("#lang")
    page.goto(server + "/queries")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.screenshot(path=str(ARTIFACTS / f"task-researcher-{size}.png"))


@pytest.mark.parametrize("size", list(SIZES))
def test_data_engineer_resolves_an_ambiguous_name_and_takes_the_json(server: str, watch, size: str) -> None:  # type: ignore[no-untyped-def]
    """A form that suggests names, an ambiguous name answered with the candidates
    as links, the chosen one's rows, and the same rows as SPARQL JSON."""
    w, _ = watch
    page = w.page
    _fresh(w, size)
    page.goto(server + "/queries/enterprise-projects")
    suggested = page.evaluate("() => [...document.getElementById('param-enterprise').list.options].map(o => o.value)")
    assert "聚合顺" in suggested and "齐鲁石化" in suggested
    page.fill("#param-enterprise", "石化")
    page.click("#params button[type=submit]")
    page.wait_for_selector("#candidates")
    w.errors.clear()  # the 400 is logged by Chromium
    _fits(page)
    page.locator("#candidates a", has_text="齐鲁石化").first.click()
    page.wait_for_selector("#results")
    assert "齐鲁石化100万吨乙烯项目" in page.locator("#results").inner_text()
    _fits(page)
    json_href = page.locator("p.links a", has_text="JSON").get_attribute("href")
    assert json_href is not None
    answer = page.request.get(server + json_href)
    rows = answer.json()["results"]["bindings"]
    assert any(r["project"]["value"].endswith("/project/ethylene-1mt") for r in rows)
    page.screenshot(path=str(ARTIFACTS / f"task-data-engineer-{size}.png"))


@pytest.mark.parametrize("size", list(SIZES))
def test_network_search_finds_text_and_exact_names_first(server: str, watch, size: str) -> None:  # type: ignore[no-untyped-def]
    w, _ = watch
    page = w.page
    _fresh(w, size)
    page.goto(server + "/graph")
    page.wait_for_function("() => window.kgExplorer && window.kgExplorer.settled", timeout=60_000)
    page.fill("#search", "临淄区")
    assert page.locator("#results button").first.inner_text() == "临淄区 · 行政区"
    page.fill("#search", "污水处理设施")
    passage = page.locator("#results button.passage").first
    assert "污水处理设施" in passage.inner_text()
    passage.click()
    assert page.locator("#details mark").inner_text() == "污水处理设施"
    stated = page.locator("#passage-nodes a").all_inner_texts()
    assert "方宇污水处理厂" in stated and "齐鲁化工区北部污水处理厂" in stated
    page.locator("#passage-nodes a", has_text="方宇污水处理厂").click()
    assert page.locator("#details h2").inner_text() == "方宇污水处理厂"
    # The details panel leads to the entity page.
    page.click("#entity-page")
    page.wait_for_selector("h1")
    assert page.url == f"{server}/id/project/fangyu-sewage-plant"
    page.screenshot(path=str(ARTIFACTS / f"task-network-search-{size}.png"))
