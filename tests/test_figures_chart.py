"""The figures chart (kg.figures_chart, /figures.svg): every 2022 result and
2023 target of the graph, paired by indicator, bars compared within a unit,
comparators shown, hostile names escaped, served without script."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kg.graph.store import load_graph
from kg.sparql.engines import select_values
from kg.web.figures_chart import chart_rows, figures_svg
from kg.web.server import Settings, create_app

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_TTL = """
@prefix lz: <https://w3id.org/linzi-kg/ontology#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
<urn:x:ind> a lz:Indicator ; rdfs:label "</text><script>alert(1)</script>"@zh .
<urn:x:fig> a qb:Observation ; lz:indicator <urn:x:ind> ; lz:valueStatus lz:Target ;
    sdmx-dimension:refPeriod "2023"^^xsd:gYear ; sdmx-measure:obsValue 7 ; lz:originalWording "7<b>个</b>" .
"""


def _texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]  # noqa: S314 - our own output


@pytest.fixture(scope="module")
def kg():  # type: ignore[no-untyped-def]
    return load_graph()


def test_every_result_and_target_is_charted(kg) -> None:  # type: ignore[no-untyped-def]
    rows = chart_rows(kg)
    counted = select_values(
        kg,
        """SELECT DISTINCT ?a ?i WHERE {
             ?f lz:indicator ?i ; lz:valueStatus ?s ; sdmx-dimension:refPeriod ?y .
             OPTIONAL { ?f sdmx-dimension:refArea ?a }
             VALUES (?y ?s) { ("2022"^^xsd:gYear lz:Actual) ("2023"^^xsd:gYear lz:Target) } }""",
    )
    assert len(rows) == len(counted)  # one row per area and indicator
    output = next(r for r in rows if r.indicator_zh == "规上工业总产值" and r.area_label == "临淄区")
    assert output.result is not None and output.target is not None
    assert (output.result.wording, output.target.wording, output.target.comparator) == ("2778亿元", "突破3000亿元", ">")
    # Article order within an area: the first figures stated come first.
    linzi = [r for r in rows if r.area_label == "临淄区"]
    assert [r.position for r in linzi] == sorted(r.position for r in linzi)


def test_svg_shows_comparators_and_no_bars_for_ranks(kg) -> None:  # type: ignore[no-untyped-def]
    svg = figures_svg(chart_rows(kg), source="大众日报")
    texts = _texts(svg)
    assert texts[0] == "2022年实际与2023年目标"
    assert "突破3000亿元" in texts and "2778亿元" in texts and "≥ 5.5%以上" not in texts and "5.5%以上" in texts
    assert any("位次越小越靠前" in t for t in texts) and "第4名" in texts
    assert any(t.startswith("来源 Source: 大众日报") for t in texts)
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    titles = ["".join(r.find(f"{SVG}title").itertext()) for r in bars]  # type: ignore[union-attr]
    assert not [t for t in titles if "第4名" in t]  # a rank has no bar
    # One unit, one scale: 3000亿元's bar is longer than 2778亿元's, and 45.1亿元's is short.
    width = {t.split(": ")[1]: float(r.get("width") or 0) for t, r in zip(titles, bars, strict=True)}
    assert width["突破3000亿元"] > width["2778亿元"] > 10 * width["45.1亿元"]
    assert svg.count("<path d=") >= 5  # the arrows of 以上 and 突破


def test_hostile_names_and_a_report_of_its_own(tmp_path: Path) -> None:
    extra = tmp_path / "hostile.ttl"
    extra.write_text(HOSTILE_TTL, encoding="utf-8")
    svg = figures_svg(chart_rows(load_graph(extra=[extra])))
    assert "<script" not in svg and "<b>" not in svg
    assert "7<b>个</b>" in _texts(svg)
    assert "no figures" in "".join(_texts(figures_svg([])))


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(settings=Settings(workers=1))) as c:
        yield c


def test_served_on_the_home_page_and_as_a_download(client: TestClient) -> None:
    home = client.get("/")
    assert '<img src="/figures.svg"' in home.text and "<script" not in home.text
    r = client.get("/figures.svg")
    assert r.status_code == 200 and r.headers["content-type"] == "image/svg+xml; charset=utf-8"
    assert "script-src" not in r.headers["content-security-policy"] and r.text.startswith("<svg")
    download = client.get("/figures.svg", params={"download": "1"})
    assert download.headers["content-disposition"] == 'attachment; filename="linzi-figures.svg"'
