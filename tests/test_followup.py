"""Targets followed to results, on two reports of our own: a made-up
county's report for 2023 (its targets) and its report for 2024 (the 2023
results), loaded with --data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checkdoc import Fig, write_document
from click.testing import CliRunner

from kg.checks.figures import fetch_figures
from kg.checks.followup import Outcome, follow_up
from kg.cli import main

REPORT_2023 = (
    "今年主要预期目标是：地区生产总值增长6%以上，固定资产投资100亿元，城镇新增就业5000人左右，"
    "空气质量优良率70%以上，新建农村公路80公里，社会消费品零售总额200亿元。"
)
TARGETS = [
    Fig("gdp-growth", "gdp-growth", 2023, "target", "6", "%", "6%", comparator=">="),
    Fig("investment", "fixed-investment", 2023, "target", "100", "亿元", "100亿元"),
    Fig("jobs", "new-urban-jobs", 2023, "target", "5000", "人", "5000人", comparator="~"),
    Fig("air", "air-quality-good-rate", 2023, "target", "70", "%", "70%", comparator=">="),
    Fig("roads", "rural-roads", 2023, "target", "80", "公里", "80公里"),
    Fig("retail", "retail-sales", 2023, "target", "200", "亿元", "200亿元"),
]
REPORT_2024 = (
    "过去一年，地区生产总值增长6.5%，固定资产投资完成99.6亿元，城镇新增就业4800人，"
    "空气质量优良率65.2%，社会消费品零售总额按新口径为210亿元。"
)
RESULTS = [
    Fig("gdp-growth", "gdp-growth", 2023, "actual", "6.5", "%", "6.5%"),
    Fig("investment", "fixed-investment", 2023, "actual", "99.6", "亿元", "99.6亿元"),
    Fig("jobs", "new-urban-jobs", 2023, "actual", "4800", "人", "4800人"),
    Fig("air", "air-quality-good-rate", 2023, "actual", "65.2", "%", "65.2%"),
    Fig("retail", "retail-sales", 2023, "actual", "210", "亿元", "210亿元", basis="新口径"),
]
EXPECTED = {
    "gdp-growth": Outcome.MET,
    "fixed-investment": Outcome.WITHIN,
    "new-urban-jobs": Outcome.WITHIN,
    "air-quality-good-rate": Outcome.MISSED,
    "rural-roads": Outcome.NOT_REPORTED,
    "retail-sales": Outcome.NOT_COMPARABLE,
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    d = tmp_path_factory.mktemp("followup")
    a = write_document(d, "county-2023", REPORT_2023, TARGETS, labels={"place/demo-district": "示范县"})
    b = write_document(d, "county-2024", REPORT_2024, RESULTS)
    return [*a, *b]


@pytest.fixture(scope="module")
def county(reports: list[Path]):  # type: ignore[no-untyped-def]
    from kg.graph.store import load_graph

    return load_graph(extra=[reports[1], reports[3]])


def test_each_outcome(county, reports: list[Path]) -> None:  # type: ignore[no-untyped-def]
    from kg.checks import read_texts

    rows = [
        r
        for r in follow_up(fetch_figures(county, texts=read_texts([reports[0], reports[2]])))
        if "demo" in r.target.area
    ]
    got = {r.target.indicator.rsplit("/", 1)[-1]: r.outcome for r in rows}
    assert got == EXPECTED
    met = next(r for r in rows if r.outcome is Outcome.MET)
    assert met.actual is not None
    assert met.target.spans[0].sentence and "6%以上" in met.target.spans[0].sentence
    assert met.actual.spans[0].sentence and "6.5%" in met.actual.spans[0].sentence
    comparable = next(r for r in rows if r.outcome is Outcome.NOT_COMPARABLE)
    assert "新口径" in comparable.explanation


def test_followup_cli_json_and_filters(reports: list[Path]) -> None:
    args = ["followup", "--data", str(reports[1]), "--data", str(reports[3]), "--text", str(reports[0])]
    args += ["--text", str(reports[2]), "--json", "--outcome", "missed", "--outcome", "met"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["outcome"] for r in rows} == {"met", "missed"}
    air = next(r for r in rows if r["outcome"] == "missed")
    assert air["target"]["wording"] == "70%" and air["result"]["wording"] == "65.2%"
    assert air["result"]["spans"][0]["sentence"]
    table = CliRunner().invoke(
        main, ["followup", "--data", str(reports[1]), "--data", str(reports[3]), "--year", "2023"]
    )
    assert "[missed 未完成] 示范县 空气质量优良率 2023" in table.output


def test_named_query_agrees_on_both_engines(county) -> None:  # type: ignore[no-untyped-def]
    from kg.sparql.queries import run

    ox = run("targets-followup", kg=county, engine="oxigraph")
    rd = run("targets-followup", kg=county, engine="rdflib")
    assert ox.comparable() == rd.comparable()
    outcomes = {
        str(row["indicator"]).rsplit("/", 1)[-1]: str(row["outcome"])
        for row in ox.dicts()
        if "demo" in str(row["area"])
    }
    assert outcomes["gdp-growth"] == "met" and outcomes["air-quality-good-rate"] == "missed"
    assert outcomes["rural-roads"] == "not-reported"


def test_followup_garbage(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<not turtle", encoding="utf-8")
    result = CliRunner().invoke(main, ["followup", "--data", str(bad)])
    assert result.exit_code == 1 and result.output.startswith("error: ")
    result = CliRunner().invoke(main, ["followup", "--outcome", "perhaps"])
    assert result.exit_code == 2
