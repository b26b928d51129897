"""The explorer's check, follow-up and comparison pages, in-process: findings
on both figures' pages, the follow-up list, the comparison with its SVG chart
(escaped, no script), on reports of our own loaded beside Linzi's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from checkdoc import Fig, write_document
from starlette.testclient import TestClient
from test_followup import REPORT_2023, REPORT_2024, RESULTS, TARGETS

from kg.graph.store import load_graph
from kg.web.server import Settings, create_app

HOSTILE = "<script>alert(1)</script>示范县乙"
LEVELS_TEXT = "示范省今年地区生产总值增长5%以上；示范市增长5.5%以上；示范县甲增长6.5%；示范县乙增长4.8%。"
LEVELS = [
    Fig("p", "gdp-growth", 2023, "target", "5", "%", "5%以上", comparator=">=", area="demo-province"),
    Fig("c", "gdp-growth", 2023, "target", "5.5", "%", "5.5%以上", comparator=">=", area="demo-city"),
    Fig("a", "gdp-growth", 2023, "target", "6.5", "%", "6.5%", area="demo-county-a"),
    Fig("b", "gdp-growth", 2023, "target", "4.8", "%", "4.8%", area="demo-county-b"),
]
PLACES = f"""
@prefix schema: <http://schema.org/> .
<https://w3id.org/linzi-kg/id/place/demo-province> a lz:Province ; rdfs:label "示范省"@zh .
<https://w3id.org/linzi-kg/id/place/demo-city> a lz:City ; rdfs:label "示范市"@zh ;
  schema:containedInPlace <https://w3id.org/linzi-kg/id/place/demo-province> .
<https://w3id.org/linzi-kg/id/place/demo-county-a> a lz:District ; rdfs:label "示范县甲"@zh ;
  schema:containedInPlace <https://w3id.org/linzi-kg/id/place/demo-city> .
<https://w3id.org/linzi-kg/id/place/demo-county-b> a lz:District ; rdfs:label "{HOSTILE}"@zh ;
  schema:containedInPlace <https://w3id.org/linzi-kg/id/place/demo-city> .
"""


def level_documents(directory: Path) -> list[Path]:
    """The three levels' targets and a county's two reports, as --data files."""
    _, levels = write_document(directory, "levels", LEVELS_TEXT, LEVELS, extra=PLACES)
    _, a = write_document(directory, "county-2023", REPORT_2023, TARGETS)
    _, b = write_document(directory, "county-2024", REPORT_2024, RESULTS)
    return [levels, a, b]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    extra = level_documents(tmp_path_factory.mktemp("levels"))
    app = create_app(load_graph(extra=extra), settings=Settings(workers=2))
    with TestClient(app) as c:
        yield c


def test_checks_page_lists_the_linzi_finding(client: TestClient) -> None:
    page = client.get("/checks")
    assert page.status_code == 200
    assert "loose-bounds" in page.text and "industrial-output-growth" in page.text
    assert "3055.8" in page.text


@pytest.mark.parametrize(
    "figure", ["2023-industrial-output-growth", "2023-industrial-output", "2022-industrial-output"]
)
def test_each_figure_page_shows_its_finding(client: TestClient, figure: str) -> None:
    page = client.get(f"/id/linzi-2023/observation/{figure}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "<h2>一致性检查</h2>" in page.text and "industrial-output-growth" in page.text
    # Both other figures are linked from the finding.
    others = {"2023-industrial-output-growth", "2023-industrial-output", "2022-industrial-output"} - {figure}
    for other in others:
        assert f'href="/id/linzi-2023/observation/{other}"' in page.text


def test_followup_page(client: TestClient) -> None:
    page = client.get("/followup")
    assert page.status_code == 200
    for outcome in ("met", "met-within-tolerance", "missed", "not-reported", "not-comparable"):
        assert f'class="{outcome}"' in page.text, outcome
    assert "65.2%" in page.text and "70%" in page.text


def test_compare_page_with_chart_and_levels(client: TestClient) -> None:
    page = client.get("/compare", params={"indicator": "地区生产总值增长率"}, headers={"cookie": "lang=en"})
    assert page.status_code == 200
    text = page.text
    assert "<svg" in text and "<script>alert" not in text and "&lt;script&gt;" in text
    for wording in ("5%以上", "5.5%以上", "6.5%", "4.8%", "临淄区"):
        assert wording in text
    pairs = re.search(r'<table class="results" id="pairs">(.*?)</table>', text, re.S)
    assert pairs is not None
    # three from the level documents, one of Linzi against the Shandong document; two lower
    assert pairs.group(1).count("higher") == 4 and pairs.group(1).count(">lower<") == 2
    assert "script-src" not in page.headers.get("content-security-policy", "script-src")


def test_compare_svg_download(client: TestClient) -> None:
    svg = client.get("/compare.svg", params={"indicator": "https://w3id.org/linzi-kg/id/indicator/gdp-growth"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert (
        svg.text.startswith("<svg")
        and "<script" not in svg.text
        and "http" not in svg.text.replace("http://www.w3.org/2000/svg", "")
    )


@pytest.mark.parametrize("indicator", ["no such indicator", "x" * 400])
def test_compare_bad_indicator(client: TestClient, indicator: str) -> None:
    page = client.get("/compare", params={"indicator": indicator})
    assert page.status_code in (400, 404)
    assert "Traceback" not in page.text
