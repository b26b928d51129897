"""The SPARQL workbench (/query): the vendored YASGUI in real Chromium against
a real ``linzi-kg serve``, offline (any request to another host is blocked and
recorded), with every Content-Security-Policy violation recorded as a failure;
and its JSON and headers in-process."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ARTIFACTS, PageWatch, offline_page
from starlette.testclient import TestClient

from kg.sparql.queries import run
from kg.web.server import Settings, create_app
from kg.web.workbench import WORKBENCH_CSP

VENDOR = Path(__file__).resolve().parent.parent / "kg" / "static" / "vendor" / "yasgui"
PHONE = {"width": 390, "height": 844}
#: Enterprises with a name in the article(s) of the shipped data.
ENTERPRISES = len(run("SELECT ?e ?n WHERE { ?e a lz:Enterprise ; lz:sourceTerm ?n }").rows)
CSP_WATCH = (
    "document.addEventListener('securitypolicyviolation', e => {"
    " (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI); });"
)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(settings=Settings(workers=1))) as c:
        yield c


def test_vendored_with_its_licence() -> None:
    assert (VENDOR / "LICENSE").read_text().count("MIT") >= 2
    script = (VENDOR / "yasgui.min.js").read_text(encoding="utf-8")
    assert "sourceMappingURL" not in script
    # The built-in completers that would ask the internet are replaced, not used.
    workbench = (VENDOR.parent.parent / "workbench.js").read_text(encoding="utf-8")
    assert "Yasqe.defaults.autocompleters = []" in workbench and "prefixCcApi = null" in workbench


def test_policy_is_strict(client: TestClient) -> None:
    r = client.get("/query")
    csp = r.headers["content-security-policy"]
    assert csp == WORKBENCH_CSP
    assert "script-src 'self';" in csp and "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert "connect-src 'self'" in csp and "default-src 'none'" in csp
    # Scripts come from this server; the settings are a JSON data block, not code.
    scripts = re.findall(r"<script[^>]*>", r.text)
    assert scripts == [
        '<script src="/static/vendor/yasgui/yasgui.min.js" defer>',
        '<script src="/static/workbench.js" defer>',
        '<script type="application/json" id="workbench-config">',
    ]
    # Every other page keeps the policy without scripts.
    assert "script-src" not in client.get("/").headers["content-security-policy"]


def test_vocabulary_is_the_graphs_own(client: TestClient) -> None:
    v = client.get("/query/vocabulary.json").json()
    assert v["prefixes"]["lz"] == "https://w3id.org/linzi-kg/ontology#"
    assert "https://w3id.org/linzi-kg/ontology#Enterprise" in v["classes"]
    assert "https://w3id.org/linzi-kg/ontology#carriedOutBy" in v["properties"]
    assert "http://purl.org/linked-data/cube#Observation" in v["classes"]
    assert v["labels"]["https://w3id.org/linzi-kg/id/enterprise/juheshun"][0] == "聚合顺"


def test_the_scripts_texts_follow_the_page_language(client: TestClient) -> None:
    def config(**params: str) -> dict[str, object]:
        page = client.get("/query", params=params).text
        return json.loads(page.split('id="workbench-config">')[1].split("</script>")[0])  # type: ignore[no-any-return]

    assert config()["strings"]["table_filter"] == "筛选结果"  # type: ignore[index]
    english = config(lang="en")
    assert english["lang"] == "en" and english["strings"]["table_filter"] == "Filter the results"  # type: ignore[index]


def test_hostile_query_text_stays_data(client: TestClient) -> None:
    evil = "SELECT * WHERE { ?s ?p ?o } # </script><script>alert(1)</script>"
    r = client.get("/query", params={"query": evil})
    block = r.text.split('id="workbench-config">')[1].split("</script>")[0]
    assert "<" not in block and json.loads(block)["query"] == evil


@pytest.fixture(scope="module")
def server(page_server: str) -> str:
    return page_server


@pytest.fixture
def watch(browser, server: str) -> Iterator[tuple[PageWatch, list[str]]]:  # type: ignore[no-untyped-def]
    with offline_page(browser, init_script=CSP_WATCH) as (w, outside):
        yield w, outside
        assert w.page.evaluate("window.__csp || []") == []


def _ready(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function("() => document.body.dataset.workbench === 'ready'", timeout=30_000)


def _rows(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.locator("#yasr tbody tr").count())


@pytest.mark.server
@pytest.mark.browser
def test_write_complete_run_sort_filter_page(server: str, watch) -> None:  # type: ignore[no-untyped-def]
    w, _ = watch
    page = w.page
    page.goto(f"{server}/query")
    _ready(page)
    assert page.locator("#plain").is_hidden() and page.locator(".CodeMirror-linenumber").count() >= 1
    yasqe = "window.kgWorkbench.yasqe"
    page.evaluate(f"{yasqe}.setValue('SELECT ?e ?name WHERE {{\\n  ?e a ')")
    page.evaluate(f"{yasqe}.focus(); {yasqe}.getDoc().setCursor({yasqe}.getDoc().lineCount(), 0)")
    # Completion of the project's classes, from the local vocabulary.
    page.keyboard.type("lz:Enterpr")
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for(timeout=10_000)
    assert "lz:Enterprise" in hints.all_inner_texts()
    page.keyboard.press("Enter")
    # And of its properties.
    page.keyboard.type(" ; lz:sourceTe")
    page.keyboard.press("Control+Space")
    hints.first.wait_for(timeout=10_000)
    assert hints.all_inner_texts() == ["lz:sourceTerm"]
    page.keyboard.press("Enter")
    page.keyboard.type(" ?name } ORDER BY ?name")
    text = page.evaluate(f"{yasqe}.getValue()")
    assert "lz:Enterprise ; lz:sourceTerm" in text and "PREFIX lz: <https://w3id.org/linzi-kg/ontology#>" in text
    # Highlighting: the keyword and the prefixed name are tokens of their own.
    assert page.locator(".CodeMirror .cm-keyword", has_text="SELECT").count() == 1
    # Ctrl+Enter runs it on the local endpoint.
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#yasr tbody tr")
    assert _rows(page) == ENTERPRISES
    table = page.locator("#yasr table").inner_text()
    assert "聚合顺" in table
    link = page.locator("#yasr a.iri", has_text="juheshun").first
    assert link.get_attribute("href") == "/id/enterprise/juheshun"
    # Sortable: a click on the header turns the order round.
    first = page.locator("#yasr tbody tr").first.inner_text()
    header = page.locator("#yasr thead th", has_text="name")
    for order in ("asc", "desc"):
        header.locator(".dt-column-title").click()
        page.wait_for_function(
            f"() => document.querySelector('#yasr thead th:nth-child(3)').classList.contains('dt-ordering-{order}')"
        )
        page.wait_for_timeout(300)  # the ellipsis handlers run after the draw
    last = page.locator("#yasr tbody tr").first.inner_text()
    assert last.startswith(str(ENTERPRISES)) and first.startswith("1")
    # Filterable.
    page.fill("#yasr .tableFilter", "石化")
    page.keyboard.press("Space")
    page.keyboard.press("Backspace")
    page.wait_for_function(f"() => document.querySelectorAll('#yasr tbody tr').length < {ENTERPRISES}")
    assert all("石化" in r for r in page.locator("#yasr tbody tr").all_inner_texts())
    page.screenshot(path=str(ARTIFACTS / "workbench-desktop.png"), full_page=True)
    # Paged: more than 50 rows come in pages.
    page.fill("#yasr .tableFilter", "")
    page.locator("#yasr .tableFilter").press("Backspace")
    page.evaluate(f"{yasqe}.setValue('SELECT ?s ?label WHERE {{ ?s rdfs:label ?label }}'); {yasqe}.focus()")
    page.keyboard.press("Control+Enter")
    info = "document.querySelector('#yasr .dt-info').innerText"
    page.wait_for_function(f"() => /^第 1–50 行，共 [0-9,]+ 行/.test({info})")
    page.locator("#yasr .dt-paging-button.next").first.click()
    page.wait_for_function(f"() => {info}.startsWith('第 51–100 行')")
    assert page.locator("#yasr .tableFilter").get_attribute("placeholder") == "筛选结果"
    # The raw answer is a tab away.
    page.locator("#yasr .select_response").click()
    raw = page.locator("#yasr .CodeMirror").inner_text()
    assert '"head"' in raw and '"bindings"' in raw


@pytest.mark.server
@pytest.mark.browser
def test_examples_and_downloads(server: str, watch) -> None:  # type: ignore[no-untyped-def]
    w, _ = watch
    page = w.page
    page.goto(f"{server}/query")
    _ready(page)
    page.locator(".examples a", has_text="企业承担的项目").click()
    page.wait_for_selector("#yasr tbody tr")
    assert "enterprise-projects" not in page.url and page.url.startswith(f"{server}/query?query=")
    assert "齐鲁石化" in page.locator("#yasr table").inner_text()
    # The download form carries the query now in the editor.
    with page.expect_download() as info:
        page.locator("form.downloads button[value=xlsx]").first.click()
    download = info.value
    assert download.suggested_filename == "query.xlsx"
    path = download.path()
    assert path is not None and Path(path).read_bytes()[:2] == b"PK"


@pytest.mark.server
@pytest.mark.browser
def test_workbench_on_a_phone(server: str, watch) -> None:  # type: ignore[no-untyped-def]
    w, _ = watch
    page = w.page
    page.set_viewport_size(PHONE)
    page.goto(f"{server}/query?query=" + "SELECT%20%3Fe%20%3Fp%20WHERE%20%7B%20%3Fp%20lz%3AcarriedOutBy%20%3Fe%20%7D")
    _ready(page)
    page.wait_for_selector("#yasr tbody tr")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator("#yasqe .CodeMirror").bounding_box()
    assert box is not None and box["width"] >= 300
    page.screenshot(path=str(ARTIFACTS / "workbench-phone.png"), full_page=True)
