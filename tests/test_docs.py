"""The README matches the code: its console samples are real output and every
command it lists exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def console_samples() -> list[tuple[str, str]]:
    samples = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        lines = block.splitlines()
        assert lines[0].startswith("$ ")
        samples.append((lines[0][2:], "\n".join(lines[1:])))
    return samples


def test_console_samples_are_real_output() -> None:
    samples = [s for s in console_samples() if s[0].split()[1] in ("locate", "query", "path", "check")]
    assert samples
    for command, expected in samples:
        args = shlex.split(command)[1:]
        result = CliRunner().invoke(main, args)
        assert result.output.strip() == expected.strip()


def test_every_command_is_documented_with_an_example() -> None:
    for command in main.commands:
        assert f"| `{command}` |" in README, command
        assert f"linzi-kg {command}" in README, command


def test_two_setup_commands() -> None:
    assert "make run" in README and "make test" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "make test" in ci


def test_every_named_query_is_in_the_readme() -> None:
    from kg.sparql.queries import list_queries

    for q in list_queries():
        assert f"| `{q.name}` |" in README, q.name


def test_readme_carries_the_published_benchmark() -> None:
    from kg.bench.report import readme_block

    results = (Path(__file__).resolve().parents[1] / "docs" / "benchmarks" / "results.md").read_text(encoding="utf-8")
    assert readme_block(results) in README
    assert (Path(__file__).resolve().parents[1] / "docs" / "benchmarks" / "latency.png").exists()
