"""An automated accessibility check on every page type of the explorer, in
both languages, at desktop and at phone size (390×844), in headless Chromium.

The engine is axe-core 4.14.1 (MPL-2.0), vendored under tests/vendor/axe-core
for the tests only: it is injected into each page (a browser context that
bypasses the pages' CSP, since the pages themselves allow no script) and run
with the WCAG 2.0/2.1 A and AA rules and axe's best practices. Any violation
fails, with its rule, impact and the first elements it names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ARTIFACTS

pytestmark = [pytest.mark.server, pytest.mark.browser]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

#: One page of every type, with what it shows.
PAGES = {
    "home": "/",
    "class-list": "/class/lz:Enterprise",
    "query": "/query?query=SELECT+%3Fe+%3Fn+WHERE+%7B+%3Fe+a+lz%3AEnterprise+%3B+lz%3AsourceTerm+%3Fn+%7D",
    "named-list": "/queries",
    "named-query": "/queries/targets-2023",
    "named-ambiguous": "/queries/enterprise-projects?enterprise=%E7%9F%B3%E5%8C%96",
    "entity": "/id/project/juheshun-nylon",
    "indicator": "/id/indicator/industrial-output",
    "figure": "/id/linzi-2023/observation/2023-industrial-output",
    "document": "/id/linzi-2023",
    "search": "/search?q=%E6%B1%A1%E6%B0%B4%E5%A4%84%E7%90%86%E8%AE%BE%E6%96%BD",
    "article": "/article?mark=1720-1732",
    "checks": "/checks",
    "followup": "/followup",
    "compare": "/compare",
    "error": "/id/nothing-here",
    "network": "/graph",
    "network-focus": "/graph?focus=%E8%81%9A%E5%90%88%E9%A1%BA&depth=1",
}
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="module")
def server(page_server: str) -> str:
    return page_server


@pytest.fixture(scope="module")
def axe_context(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP)
    # Offline: anything but the local server is refused.
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    yield context
    context.close()


def _violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (rules) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: rules},"
        " iframes: false, resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.failureSummary)})); }",
        RULES,
    )
    assert isinstance(result, list)
    return result


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_accessibility_violation(server: str, axe_context, name: str, lang: str, size: str) -> None:  # type: ignore[no-untyped-def]
    if lang == "en" and size == "phone" and name not in ("home", "search", "network", "entity"):
        pytest.skip("English at phone size: a sample of page types (the layout is the language's own)")
    page = axe_context.new_page()
    try:
        page.set_viewport_size(PHONE if size == "phone" else DESKTOP)
        url = server + PAGES[name] + ("&" if "?" in PAGES[name] else "?") + f"lang={lang}"
        page.goto(url)
        if name.startswith("network"):
            page.wait_for_function("() => window.kgExplorer && window.kgExplorer.settled", timeout=60_000)
        found = _violations(page)
        report = ARTIFACTS / f"axe-{name}-{lang}-{size}.json"
        report.unlink(missing_ok=True)
        if found:
            ARTIFACTS.mkdir(exist_ok=True)
            report.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
        assert found == [], json.dumps(found, ensure_ascii=False, indent=1)[:3000]
    finally:
        page.close()


def test_the_engine_finds_what_it_should(server: str, axe_context) -> None:  # type: ignore[no-untyped-def]
    """A planted problem (an image without a text alternative, an unlabelled field) is found."""
    page = axe_context.new_page()
    try:
        page.goto(server + "/")
        page.evaluate(
            "() => { const m = document.querySelector('main');"
            " m.insertAdjacentHTML('beforeend', '<img src=\"data:,\"><input type=\"text\">'); }"
        )
        ids = {v["id"] for v in _violations(page)}
        assert {"image-alt", "label"} <= ids, ids
    finally:
        page.close()
