"""`linzi-kg serve` as users run it: a real uvicorn process on loopback, used
with SPARQLWrapper, curl, a load of concurrent clients and headless Chromium.
A local canary HTTP server proves that no query makes the server connect out."""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ARTIFACTS, PageWatch

from kg.bench.servers import linzi_server

pytestmark = pytest.mark.server


def run_async(coro):  # type: ignore[no-untyped-def]
    """asyncio.run in a thread of its own: Playwright's sync API keeps an event
    loop running in the main thread once a browser test has run."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with linzi_server(["--timeout", "2", "--workers", "2"], timeout=60) as running:
        yield running


def test_sparqlwrapper_unchanged(server: tuple[str, subprocess.Popen[bytes]]) -> None:
    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    base, _ = server
    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery("PREFIX lz: <https://w3id.org/linzi-kg/ontology#> SELECT ?c WHERE { ?c a lz:Challenge }")
    client.setReturnFormat(JSON)
    assert len(client.queryAndConvert()["results"]["bindings"]) == 11
    client.setReturnFormat(XML)
    assert len(client.queryAndConvert().getElementsByTagName("result")) == 11
    client.setMethod("POST")
    client.setReturnFormat(JSON)
    assert len(client.queryAndConvert()["results"]["bindings"]) == 11


def test_large_answer_arrives_whole(server: tuple[str, subprocess.Popen[bytes]]) -> None:
    # Thousands of rows cross the worker pipe in many writes; under uvloop the
    # pipe once turned non-blocking and the read failed halfway (EAGAIN).
    import json
    import urllib.parse

    base, _ = server
    query = urllib.parse.urlencode({"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"})
    with urllib.request.urlopen(f"{base}/sparql?{query}", timeout=30) as answer:
        rows = json.loads(answer.read())["results"]["bindings"]
    assert len(rows) > 5000
    with urllib.request.urlopen(f"{base}/sparql?{query}", timeout=30) as answer:
        assert len(json.loads(answer.read())["results"]["bindings"]) == len(rows)


def test_curl_unchanged(server: tuple[str, subprocess.Popen[bytes]]) -> None:
    base, _ = server
    query = "SELECT ?c WHERE { ?c a lz:Challenge }"
    get = subprocess.run(
        ["curl", "-sS", "-G", f"{base}/sparql", "--data-urlencode", f"query={query}", "-H", "Accept: text/csv"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert get.stdout.count("\n") == 12
    post = subprocess.run(
        [
            "curl",
            "-sS",
            "-X",
            "POST",
            f"{base}/sparql",
            "-H",
            "Content-Type: application/sparql-query",
            "-H",
            "Accept: application/sparql-results+json",
            "--data-binary",
            query,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    assert post.stdout.count('"uri"') == 11


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared on purpose

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[{}]}}')

    do_POST = do_GET


@pytest.fixture
def canary() -> Iterator[tuple[str, list[str]]]:
    _Canary.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Canary.hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_canary_receives_nothing_from_the_server(server: tuple[str, subprocess.Popen[bytes]], canary) -> None:  # type: ignore[no-untyped-def]
    base, _ = server
    url, hits = canary
    # The canary works: a direct request reaches it.
    urllib.request.urlopen(f"{url}/ping", timeout=5).read()
    assert hits == ["/ping"]
    hits.clear()
    queries = [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}/from> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/named> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{url}/load>",
    ]
    for query in queries:
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}), timeout=10)
        assert info.value.code in (400, 403)
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(
            f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK {}", "default-graph-uri": f"{url}/dg"}),
            timeout=10,
        )
    time.sleep(0.5)
    assert hits == []


def test_runtime_guard_without_the_upfront_check(canary, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Even a SERVICE query that got past the check cannot reach the canary:
    the worker process has no network."""
    from kg.web.sandbox import QueryPool, WorkerQueryError

    url, hits = canary
    data = tmp_path / "g.nt"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")

    async def attempt() -> bool:
        pool = QueryPool(str(data), workers=1, timeout=10)
        await pool.start()
        try:
            with pytest.raises(WorkerQueryError):
                await pool.run(f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}")
            return pool.isolated
        finally:
            await pool.close()

    isolated = run_async(attempt())
    assert isolated, "query workers could not leave the network (no network namespaces here)"
    assert hits == []


def _rss_kb(pid: int) -> int:
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def test_twenty_clients_for_thirty_seconds() -> None:
    # A server of its own, with a time limit that a loaded CI machine does not
    # reach (20 clients wait for 2 workers): what is tested is that nothing
    # fails and memory stays put, not the limit (tests/test_frontend.py has it).
    with linzi_server(["--timeout", "20", "--workers", "2"], timeout=60) as (base, proc):
        _twenty_clients(base, proc)


def _twenty_clients(base: str, proc: subprocess.Popen[bytes]) -> None:
    import httpx

    queries = [
        {"query": "SELECT ?e WHERE { ?e a lz:Enterprise }"},
        {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 500", "format": "csv"},
        {"query": "ASK { ?x a lz:Challenge }"},
    ]
    pages = ["/", "/id/place/linzi", "/search?q=齐鲁", "/queries/targets-2023"]
    before = _rss_kb(proc.pid)
    errors: list[str] = []
    counts = {"ok": 0}
    stop = time.monotonic() + 30

    async def client(i: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=20) as http:
            n = 0
            while time.monotonic() < stop:
                n += 1
                if n % 4 == 0:
                    r = await http.get(pages[(i + n) % len(pages)], headers={"accept": "text/html"})
                else:
                    r = await http.get("/sparql", params=queries[(i + n) % len(queries)])
                if r.status_code != 200:
                    errors.append(f"{r.status_code} {r.text[:80]}")
                else:
                    counts["ok"] += 1

    async def run() -> None:
        await asyncio.gather(*(client(i) for i in range(20)))

    run_async(run())
    after = _rss_kb(proc.pid)
    print(f"{counts['ok']} requests in 30 s by 20 clients, {len(errors)} errors; RSS {before} kB -> {after} kB")
    assert errors == []
    assert counts["ok"] > 200
    assert after < before * 1.5 + 50_000


@pytest.mark.browser
def test_explorer_in_chromium(server: tuple[str, subprocess.Popen[bytes]], browser) -> None:  # type: ignore[no-untyped-def]
    import re

    base, _ = server
    watch = PageWatch(browser, block_http=False)
    page = watch.page
    outside: list[str] = []
    page.route(
        re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: (outside.append(route.request.url), route.abort())
    )
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        # Query page (the workbench, tests/test_workbench.py): edit, run, results, downloads.
        page.goto(f"{base}/query")
        page.wait_for_function("() => document.body.dataset.workbench === 'ready'")
        text = "SELECT ?e ?n WHERE { ?e a lz:Enterprise ; lz:sourceTerm ?n } ORDER BY ?n"
        page.evaluate("(text) => { window.kgWorkbench.yasqe.setValue(text); window.kgWorkbench.yasqe.focus(); }", text)
        page.keyboard.press("Control+Enter")
        page.wait_for_selector("#yasr tbody tr")
        from kg.sparql.queries import run

        expected = len(run(text).rows)  # the enterprises of the shipped data
        assert f"{expected} results" in page.locator("#yasr").inner_text()
        assert "聚合顺" in page.locator("#yasr table").inner_text()
        assert page.locator("form.downloads button", has_text="CSV").count() == 2  # CSV and CSV (Excel)
        page.screenshot(path=str(ARTIFACTS / "serve-query.png"), full_page=True)

        # A named query as a form.
        page.goto(f"{base}/queries/enterprise-projects")
        page.fill("input[name=enterprise]", "聚合顺")
        page.click("#params button")
        page.wait_for_selector("#results")
        assert "聚合顺50万吨尼龙新材料项目" in page.locator("#results").inner_text()
        page.screenshot(path=str(ARTIFACTS / "serve-named.png"), full_page=True)

        # An entity page, reached by following a link from the results.
        page.locator("#results a", has_text="聚合顺50万吨尼龙新材料项目").first.click()
        page.wait_for_selector("h1")
        assert page.locator("h1").inner_text() == "聚合顺50万吨尼龙新材料项目"
        assert "50万吨" in page.locator("#figures").inner_text()
        assert "[1720, 1732]" in page.content()
        frame = page.frame_locator("iframe.graph")
        frame.locator("#status").wait_for()
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ARTIFACTS / "serve-entity.png"), full_page=True)
        assert outside == [] and watch.errors == [] and watch.dialogs == []
    finally:
        watch.close()


def test_cancelled_query_does_not_poison_the_pool(tmp_path: Path) -> None:
    """Review found that a query cancelled mid-run left its worker busy in the
    idle queue, so the next caller got the old result."""
    from kg.web.sandbox import QueryPool

    data = tmp_path / "g.nt"
    data.write_text("".join(f"<urn:s{i}> <urn:p> <urn:o{i}> .\n" for i in range(60)), encoding="utf-8")

    async def scenario() -> list[str]:
        pool = QueryPool(str(data), workers=1, timeout=20)
        await pool.start()
        try:
            slow = asyncio.create_task(
                pool.run("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
            )
            await asyncio.sleep(0.5)
            slow.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await slow
            outcome = await pool.run('SELECT ("fresh" AS ?x) {}')
            return [c[1] for row in outcome.rows for c in row if c is not None]
        finally:
            await pool.close()

    assert run_async(scenario()) == ["fresh"]


def test_an_idle_worker_that_dies_is_replaced_before_any_query(tmp_path: Path) -> None:
    """Its pipe closes, the pool hears it at once: replaced while idle, not when a query picks it."""
    from kg.web.sandbox import QueryPool

    data = tmp_path / "g.nt"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")

    async def scenario() -> tuple[int, int, bool]:
        pool = QueryPool(str(data), workers=2, timeout=10)
        await pool.start()
        try:
            victim = pool._all[-1]
            victim.process.kill()
            for _ in range(300):
                await asyncio.sleep(0.1)
                if pool.restarts >= 1 and pool.health()["alive"] == 2:
                    break
            answered = (await pool.run("ASK { ?s ?p ?o }")).boolean is True
            return pool.restarts, pool.health()["alive"], answered
        finally:
            await pool.close()

    assert run_async(scenario()) == (1, 2, True)
