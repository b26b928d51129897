"""Shared fixtures: one built graph per session, and a scratch copy of the data."""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.documents.spans import SourceText
from kg.rdf.pipeline import BuildResult, build
from kg.resources import data_dir

# The commands' prepared store (kg.graph.persist.default_store) goes to a cache of
# the test session's own, also for the CLI subprocesses that inherit it: a
# user's cache is neither read nor written by the tests.
_CACHE = tempfile.mkdtemp(prefix="linzi-kg-test-cache-")
os.environ["LINZI_KG_CACHE"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def built() -> BuildResult:
    """The graph built from the shipped data, spans checked and SHACL-validated."""
    return build()


@pytest.fixture(scope="session")
def graph(built: BuildResult) -> Graph:
    return built.graph


@pytest.fixture(scope="session")
def source(built: BuildResult) -> SourceText:
    assert built.source is not None
    return built.source


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of kg/data, for planting mistakes."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Edit a data file in place; fail loudly if ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture(scope="session")
def kgraph():  # type: ignore[no-untyped-def]
    """The queryable graph (asserted + ontology + entailments), loaded once."""
    from kg.graph.store import load_graph

    return load_graph()


@pytest.fixture(scope="session")
def stored(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The same graph opened from an on-disk store (``--store``), built once."""
    from kg.graph.store import load_graph

    return load_graph(store=tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="session")
def oxigraph_server():  # type: ignore[no-untyped-def]
    """A real Oxigraph server (PyPI `oxigraph`), in memory on a free loopback
    port, stopped after the session. Yields its base URL."""
    from kg.bench.servers import oxigraph_server as start

    with start() as base:
        yield base


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Debian's Virtuoso (``virtuoso-opensource``, installed by .ci/run) with a
    fresh database, on free loopback ports, stopped after the session.
    Yields its base URL; Graph Store at /sparql-graph-crud-auth (dba/dba)."""
    from kg.bench.servers import virtuoso_server

    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as base:
        yield base


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def page_server() -> Iterator[str]:
    """One ``linzi-kg serve --workers 1`` for the browser tests of the pages
    (they only read), stopped after the session; yields its base URL."""
    from kg.bench.servers import linzi_server

    with linzi_server(["--workers", "1"], timeout=60) as (base, _proc):
        yield base


@contextlib.contextmanager
def offline_page(browser, *, init_script: str | None = None) -> Iterator[tuple[PageWatch, list[str]]]:  # type: ignore[no-untyped-def]
    """A :class:`PageWatch` that may reach only the local server: any other
    http(s) request is refused and recorded. On leaving, none may have been
    made, and no console error, page error or dialog may have occurred."""
    w = PageWatch(browser, block_http=False)
    outside: list[str] = []
    w.page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda r: (outside.append(r.request.url), r.abort()))
    if init_script:
        w.page.add_init_script(init_script)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield w, outside
        assert outside == [] and w.errors == [] and w.dialogs == []
    finally:
        w.close()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's chromium driven by Playwright (never Playwright's own download)."""
    from playwright.sync_api import sync_playwright

    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.fail("/usr/bin/chromium is missing: apt-get install -y chromium (see .ci/run)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(chromium),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            yield b
        finally:
            b.close()


class PageWatch:
    """A page with the network to any http(s) host blocked, and a record of
    console errors, page errors, dialogs and attempted requests."""

    def __init__(self, browser, block_http: bool = True) -> None:  # type: ignore[no-untyped-def]
        import re

        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", on_dialog)
        if block_http:

            def block(route) -> None:  # type: ignore[no-untyped-def]
                self.requests.append(route.request.url)
                route.abort()

            self.page.route(re.compile(r"^https?://"), block)

    def close(self) -> None:
        self.context.close()
