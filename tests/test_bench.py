"""A small run of the benchmark (1 and 10 reports): it completes and writes
its results. No timing is asserted; the numbers are the benchmark's job."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.bench.report import markdown, targets, write_results
from kg.bench.run import BenchConfig, run_benchmark
from kg.cli import main
from kg.errors import UsageError

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    config = BenchConfig(
        sizes=(1, 10),
        repeats=1,
        clients=(1, 2),
        seconds=1.0,
        rounds=2,
        cost_seconds=0.5,
        cli_runs=2,
        work=tmp_path_factory.mktemp("bench-work"),
    )
    return run_benchmark(config, log=lambda line: None)


def test_every_size_is_measured(results: dict) -> None:  # type: ignore[type-arg]
    assert [s["reports"] for s in results["sizes"]] == [1, 10]
    per_report = results["sizes"][0]["triples"]  # report 0 is Linzi itself
    for size in results["sizes"]:
        assert size["triples"] == per_report * size["reports"]
        assert size["build"]["quads"] > size["triples"]
        for engine in ("oxigraph", "rdflib", "endpoint"):
            assert set(size[engine]["queries"]) >= {"targets-2023", "provenance"}, engine
        runs = {run["query"]: run for run in size["endpoint"]["throughput"]}
        assert set(runs) == {"targets-2023", "enterprise-projects"}
        for run in runs.values():
            assert set(run["linzi"]) == set(run["oxigraph"]) == {"1", "2"}
            assert run["linzi"]["1"]["answers"] > 0 and run["oxigraph"]["1"]["answers"] > 0
    assert results["cli_query_s"] > 0
    assert results["machine"]["cores"]


def test_results_are_written(results: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    paths = write_results(results, tmp_path / "out")
    assert [p.name for p in paths] == ["results.json", "results.md", "latency.png"]
    saved = json.loads(paths[0].read_text(encoding="utf-8"))
    assert {t["key"] for t in saved["targets"]} == {
        "linzi_queries",
        "cli_query",
        "large_load",
        "large_queries",
        "large_memory",
        "serve_throughput",
        "explore_path",
        "explore_page",
    }
    text = paths[1].read_text(encoding="utf-8")
    assert "## Targets" in text and "| `targets-2023` |" in text and "Oxigraph server" in text
    assert paths[2].read_bytes().startswith(b"\x89PNG")
    assert not list((tmp_path / "out").glob(".*part"))


def test_rdflib_past_its_cap_is_reported_not_timed(results: dict) -> None:  # type: ignore[type-arg]
    capped = json.loads(json.dumps(results))
    capped["sizes"][1]["rdflib"] = {"skipped": "load would take about 500 s, past the 120 s cap"}
    capped["sizes"][0]["rdflib"]["queries"]["connection"] = {"capped": 10.0}
    capped["sizes"][1]["oxigraph"]["queries"]["connection"] = {"capped": 10.0}
    capped["sizes"][1]["endpoint"]["throughput"][0] = {"query": "targets-2023", "skipped": "one answer takes 2.0 s"}
    found = {t["key"]: t for t in targets(capped)}
    assert not found["large_queries"]["met"] and "over the 10 s cap" in found["large_queries"]["measured"]
    text = markdown({**capped, "targets": list(found.values())})
    assert "> 10 s" in text and "rdflib not run at 10 reports: load would take about 500 s" in text
    assert "Not measured: `targets-2023` at 10 reports (one answer takes 2.0 s)" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sizes", "1,ten"], "give whole numbers"),
        (["--sizes", ","], "at least one number"),
        (["--sizes", "0"], "at least 1"),
        (["--clients", "1,-2"], "at least 1"),
        (["--repeats", "0"], "0 is not in the range"),
    ],
)
def test_bad_options_are_refused(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["bench", *args, "--out", str(tmp_path / "o"), "--work", str(tmp_path / "w")])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "o").exists()


def test_config_checks_itself() -> None:
    with pytest.raises(UsageError, match="--sizes"):
        BenchConfig(sizes=())


def test_a_query_past_the_cap_is_reported_as_capped() -> None:
    from kg.bench.probe import queries

    out = queries("rdflib", None, [], repeats=1, limit=0.001, load_cap=120)
    assert any("capped" in entry for entry in out["queries"].values())
    assert out["load_s"] > 0 and out["peak_mb"] > 0


def test_where_the_time_goes_is_measured(results: dict) -> None:  # type: ignore[type-arg]
    for size in results["sizes"]:
        costs = {entry["query"]: entry for entry in size["endpoint"]["cost"]}
        assert set(costs) == {"targets-2023", "enterprise-projects"}
        for entry in costs.values():
            # /proc counts in clock ticks (10 ms): a short run may see none for one process.
            assert entry["oxigraph"]["answers"] >= 5 and entry["oxigraph"]["workers_us"] == 0
            assert entry["linzi"]["answers"] >= 5 and entry["linzi"]["front_us"] + entry["linzi"]["workers_us"] > 0
    assert "## Where the time goes" in markdown(results)
