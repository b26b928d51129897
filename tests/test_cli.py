"""The CLI in-process (CliRunner): every command, its help, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import main

COMMANDS = ["build", "validate", "check", "export", "stats", "locate"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command: str) -> None:
    code, out = run(command, "--help")
    assert code == 0
    assert out.startswith(f"Usage: main {command}") or out.startswith(f"Usage: linzi-kg {command}")
    assert len(out.splitlines()) > 4


def test_top_level_help_lists_commands() -> None:
    code, out = run("--help")
    assert code == 0
    for command in COMMANDS:
        assert command in out


def test_version() -> None:
    code, out = run("--version")
    assert code == 0 and "0.1.0" in out


def test_build_prints_counts(tmp_path: Path) -> None:
    out_file = tmp_path / "g.ttl"
    code, out = run("build", "--output", str(out_file))
    assert code == 0, out
    assert "SHACL conforms" in out
    assert "qb:Observation" in out and "lz:Enterprise" in out
    assert out_file.exists()


def test_export_default_is_turtle_on_stdout(graph: Graph) -> None:
    result = CliRunner().invoke(main, ["export"])
    assert result.exit_code == 0
    back = Graph().parse(data=result.stdout_bytes, format="turtle")
    assert isomorphic(back, graph)


def test_export_with_ontology(tmp_path: Path, graph: Graph) -> None:
    out_file = tmp_path / "all.nt"
    code, _ = run("export", "--format", "ntriples", "--include-ontology", "--output", str(out_file))
    assert code == 0
    assert len(Graph().parse(out_file, format="nt")) > len(graph) + 500


def test_export_bad_format() -> None:
    code, out = run("export", "--format", "csv")
    assert code == 2
    assert "Invalid value for '--format'" in out


def test_export_into_missing_directory(tmp_path: Path) -> None:
    code, out = run("export", "--output", str(tmp_path / "no" / "g.ttl"))
    assert code == 1
    assert out.startswith("error: cannot write")


def test_stats_json() -> None:
    code, out = run("stats", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["observations"] >= 28
    assert payload["classes"]["lz:Enterprise"] >= 8


def test_stats_text() -> None:
    code, out = run("stats")
    assert code == 0
    assert "figures (qb:Observation):" in out


def test_locate() -> None:
    code, out = run("locate", "聚合顺")
    assert code == 0
    assert out.startswith("[1720, 1723]")
    assert "【聚合顺】" in out


def test_locate_not_found() -> None:
    code, out = run("locate", "不存在的词")
    assert code == 2
    assert "error: '不存在的词' does not occur in" in out


def test_bad_source_option(tmp_path: Path) -> None:
    code, out = run("build", "--source", str(tmp_path / "missing.txt"))
    assert code == 1
    assert "error: source text not found:" in out


def test_data_dir_that_does_not_exist(tmp_path: Path) -> None:
    code, out = run("stats", "--data-dir", str(tmp_path / "nothing"))
    assert code == 1
    assert "data directory not found" in out
