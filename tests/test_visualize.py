"""The network view: the networkx graph, and the page in a real headless
Chromium with every http(s) request blocked."""

from __future__ import annotations

import time
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import ARTIFACTS, PageWatch
from rdflib import Graph

from kg.cli import main
from kg.rdf.ontology import load_ontology
from visualize.bench import synthetic
from visualize.network import Options, neighbourhood, restrict_to_groups, to_networkx
from visualize.render import LARGE, page_data, render_html, write_html

HOSTILE_ZH = "<img src=x onerror=alert(1)>"
HOSTILE_EN = "</script><script>alert(2)</script>"
HOSTILE_TTL = f"""
@prefix lz: <https://w3id.org/linzi-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<urn:x:hostile> a lz:Enterprise ;
    rdfs:label "{HOSTILE_ZH}"@zh , "{HOSTILE_EN}"@en ;
    lz:carries <https://w3id.org/linzi-kg/id/project/juheshun-nylon> .
"""
JUHESHUN = "https://w3id.org/linzi-kg/id/enterprise/juheshun"
ETHYLENE = "https://w3id.org/linzi-kg/id/project/ethylene-1mt"


@pytest.fixture(scope="module")
def net(graph: Graph) -> nx.MultiDiGraph:
    return to_networkx(graph, load_ontology())


# -- the networkx graph -------------------------------------------------------------


def test_entities_and_stated_links(net: nx.MultiDiGraph, graph: Graph) -> None:
    assert net.number_of_nodes() > 150
    assert net.has_edge(ETHYLENE, "https://w3id.org/linzi-kg/id/enterprise/qilu-petrochemical")
    # No schema, provenance or figure nodes by default.
    assert not any("/span/" in n or "/observation/" in n or "ontology#" in n for n in net)


def test_figures_and_spans_are_folded_into_details(net: nx.MultiDiGraph) -> None:
    node = net.nodes[ETHYLENE]
    assert node["figures"][0]["wording"] == "100万吨"
    assert node["figures"][0]["status"] == "specification"
    assert node["spans"] == [{"start": 1691, "end": 1702}]
    linzi = net.nodes["https://w3id.org/linzi-kg/id/place/linzi"]
    statuses = {f["status"] for f in linzi["figures"]}
    assert statuses == {"actual", "target"}


def test_optional_layers(graph: Graph) -> None:
    full = to_networkx(graph, load_ontology(), options=Options(schema=True, provenance=True, figures=True))
    assert any("/span/" in n for n in full) and any("/observation/" in n for n in full)
    assert any(d["group"] == "class" for _, d in full.nodes(data=True))
    plain = to_networkx(graph, load_ontology(), options=Options(editorial=False))
    assert not any(d["editorial"] for *_, d in plain.edges(data=True))


def test_focus_and_class_filter(net: nx.MultiDiGraph) -> None:
    around = neighbourhood(net, JUHESHUN, 1)
    assert set(around) == {JUHESHUN, "https://w3id.org/linzi-kg/id/project/juheshun-nylon"}
    only = restrict_to_groups(net, ["lz:Enterprise"])
    assert {d["group"] for _, d in only.nodes(data=True)} == {"enterprise"}


def test_page_is_self_contained(net: nx.MultiDiGraph) -> None:
    page = render_html(net, title_zh="图", title_en="graph")
    assert "http://" not in page.split("<script")[0].replace("http-equiv", "")
    assert 'src="http' not in page and 'href="http' not in page
    assert "<script src" not in page and "<link" not in page
    assert page.count("\n<script") == 4  # data block, vis-network, the app, the pictures


def test_data_block_cannot_break_out(graph: Graph) -> None:
    g = Graph()
    for t in graph:
        g.add(t)
    g.parse(data=HOSTILE_TTL, format="turtle")
    page = render_html(to_networkx(g, load_ontology()), title_zh=HOSTILE_ZH, title_en="x")
    data_block = page.split('<script type="application/json" id="kg-data">')[1].split("</script>")[0]
    assert "<" not in data_block and ">" not in data_block
    assert HOSTILE_ZH not in page  # escaped everywhere, title included


def test_large_graphs_start_small() -> None:
    big = synthetic(1200, fanout=3)
    data = page_data(big, title_zh="大", title_en="big")
    assert data["large"] and len(data["initial"]) == 120 and data["cap"] == 25
    assert len(big) > LARGE


# -- the page in a real browser -----------------------------------------------------


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("viz")
    extra = folder / "hostile.ttl"
    extra.write_text(HOSTILE_TTL, encoding="utf-8")
    out = folder / "graph.html"
    result = CliRunner().invoke(main, ["viz", "--output", str(out), "--data", str(extra)])
    assert result.exit_code == 0, result.output
    return out


def open_page(browser, path: Path) -> PageWatch:  # type: ignore[no-untyped-def]
    watch = PageWatch(browser)
    started = time.monotonic()
    watch.page.goto(path.as_uri())
    watch.page.wait_for_function("() => window.kgExplorer && window.kgExplorer.settled === true", timeout=60_000)
    watch.settle_seconds = time.monotonic() - started  # type: ignore[attr-defined]
    return watch


@pytest.mark.browser
def test_page_in_chromium(browser, hostile_page: Path, graph: Graph) -> None:  # type: ignore[no-untyped-def]
    watch = open_page(browser, hostile_page)
    page = watch.page
    try:
        g = Graph()
        for t in graph:
            g.add(t)
        g.parse(data=HOSTILE_TTL, format="turtle")
        expected = to_networkx(g, load_ontology())
        counts = page.evaluate("() => [kgExplorer.nodes.length, kgExplorer.edges.length]")
        assert counts == [expected.number_of_nodes(), expected.number_of_edges()]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "viz-full.png"))

        # The hostile label is text: searchable, shown, never run.
        page.fill("#search", "<img")
        result = page.locator("#results button").first
        assert HOSTILE_ZH in result.inner_text()
        result.click()
        assert HOSTILE_ZH in page.locator("#details h2").inner_text()
        assert page.evaluate("() => document.querySelectorAll('img').length") == 0

        # Search, then the details panel: a figure and its span.
        page.fill("#search", "乙烯")
        page.keyboard.press("Enter")
        details = page.locator("#details")
        assert "齐鲁石化100万吨乙烯项目" in details.locator("h2").inner_text()
        figures = details.locator("#figures").inner_text()
        assert "100万吨" in figures and "[1691, 1702]" in figures
        assert "齐鲁石化100万吨乙烯" in details.locator("blockquote").first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "viz-details.png"))

        # Class filter: unticking enterprises removes exactly them.
        before = page.evaluate("() => kgExplorer.nodes.length")
        enterprises = sum(1 for _, d in expected.nodes(data=True) if d["group"] == "enterprise")
        page.locator('#legend input[data-group="enterprise"]').uncheck()
        assert page.evaluate("() => kgExplorer.nodes.length") == before - enterprises
        page.locator('#legend input[data-group="enterprise"]').check()
        assert page.evaluate("() => kgExplorer.nodes.length") == before

        # Language toggle.
        page.click("#lang")
        assert page.locator("#title").inner_text().startswith("Linzi District")
        page.click("#lang")

        # Shortest path between two chosen nodes.
        page.fill("#search", "聚合顺")
        page.locator("#results button", has_text="企业").first.click()
        page.click("#path-start")
        page.fill("#search", "临淄区")
        page.locator("#results button", has_text="行政区").first.click()
        page.click("#path-end")
        bar = page.locator("#pathbar").inner_text()
        assert bar.startswith("路径：聚合顺") and bar.endswith("临淄区")
        page.screenshot(path=str(ARTIFACTS / "viz-path.png"))

        # The pictures to publish of the current view (tests/test_picture.py for more).
        with page.expect_download() as info:
            page.click("#png")
        png = Path(info.value.path()).read_bytes()
        assert png.startswith(b"\x89PNG") and png[37:41] == b"pHYs"
        with page.expect_download() as info:
            page.click("#svg")
        drawn = Path(info.value.path()).read_text(encoding="utf-8")
        assert drawn.startswith("<svg") and "&lt;img" in drawn and "<img" not in drawn

        assert watch.dialogs == [] and watch.errors == [] and watch.requests == []
        print(f"settled in {watch.settle_seconds:.2f} s")  # type: ignore[attr-defined]
    finally:
        watch.close()


@pytest.mark.browser
def test_large_graph_expands_on_double_click(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    big = synthetic(1000, fanout=40)
    path = tmp_path / "big.html"
    write_html(path, big, title_zh="大图", title_en="big")
    watch = open_page(browser, path)
    page = watch.page
    try:
        assert page.evaluate("() => kgExplorer.nodes.length") == 120
        # Double-click the hub urn:n0 (40 neighbours, many hidden): at most 25 appear.
        page.evaluate("() => kgExplorer.network.focus('urn:n1', {scale: 1.0, animation: false})")
        position = page.evaluate(
            "() => { const p = kgExplorer.network.getPositions(['urn:n1'])['urn:n1'];"
            " return kgExplorer.network.canvasToDOM(p); }"
        )
        box = page.locator("#network").bounding_box()
        before = page.evaluate("() => kgExplorer.nodes.length")
        page.mouse.dblclick(box["x"] + position["x"], box["y"] + position["y"])
        after = page.evaluate("() => kgExplorer.nodes.length")
        assert before < after <= before + 25
        assert watch.errors == [] and watch.requests == []
    finally:
        watch.close()


def test_viz_cli_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is not turtle <", encoding="utf-8")
    result = runner.invoke(main, ["viz", "--data", str(garbage), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and "not valid Turtle" in result.output
    assert not (tmp_path / "x.html").exists()
    result = runner.invoke(main, ["viz", "--focus", "火星", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "no entity is called" in result.output
    result = runner.invoke(main, ["viz", "--classes", "lz:Nothing", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "matches no node" in result.output
    result = runner.invoke(main, ["viz", "--depth", "-1"])
    assert result.exit_code == 2
    assert not (tmp_path / "x.html").exists()


def test_viz_focus(tmp_path: Path) -> None:
    out = tmp_path / "focus.html"
    result = CliRunner().invoke(main, ["viz", "--focus", "聚合顺", "--depth", "1", "-o", str(out)])
    assert result.exit_code == 0
    assert "2 nodes, 1 links" in result.output
