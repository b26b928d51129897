"""The SHACL shapes catch the mistakes they are for; `validate` reports them readably."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDFS, XSD

from kg.cli import main
from kg.core.namespaces import ID, LZ, OA, PROV, SDMX_ATTR, SDMX_DIM
from kg.rdf.build import new_graph
from kg.rdf.export import Format, serialize
from kg.rdf.shacl import shacl_violations

OBS = ID["linzi-2023/observation/2022-industrial-output"]
PROJECT = ID["project/louyuan-school"]


def copy(graph: Graph) -> Graph:
    out = new_graph()
    for t in graph:
        out.add(t)
    return out


def drop_unit(g: Graph) -> None:
    g.remove((OBS, SDMX_ATTR.unitMeasure, None))


def drop_year(g: Graph) -> None:
    g.remove((OBS, SDMX_DIM.refPeriod, None))


def drop_status(g: Graph) -> None:
    g.remove((OBS, LZ.valueStatus, None))


def bad_year_type(g: Graph) -> None:
    g.set((OBS, SDMX_DIM.refPeriod, Literal("二〇二二")))


def drop_project_label(g: Graph) -> None:
    g.remove((PROJECT, RDFS.label, None))


def orphan_project(g: Graph) -> None:
    g.remove((PROJECT, LZ.classifiedUnder, None))


def span_outside(g: Graph) -> None:
    span = g.value(ID["enterprise/juheshun"], PROV.wasDerivedFrom)
    g.set((g.value(span, OA.hasSelector), OA.end, Literal(99999, datatype=XSD.integer)))


def statement_without_span(g: Graph) -> None:
    g.remove((ID["linzi-2023/statement/juheshun-nylon.carriedOutBy.juheshun"], PROV.wasDerivedFrom, None))


def figure_without_span(g: Graph) -> None:
    g.remove((OBS, PROV.wasDerivedFrom, None))


def group_without_count(g: Graph) -> None:
    g.remove((ID["project/pollution-control-39"], LZ.declaredCount, None))


def reified_but_not_asserted(g: Graph) -> None:
    g.remove((ID["project/juheshun-nylon"], LZ.carriedOutBy, ID["enterprise/juheshun"]))


PLANTED: list[tuple[Callable[[Graph], None], str]] = [
    (drop_unit, "a figure needs exactly one unit"),
    (drop_year, "a figure needs a year"),
    (bad_year_type, "a figure has at most one year"),
    (drop_status, "a figure needs one status"),
    (drop_project_label, "a project needs a Chinese label"),
    (orphan_project, "a project needs a link to a chain set"),
    (span_outside, "lies outside the source text"),
    (statement_without_span, "has no source span"),
    (figure_without_span, "a figure needs a source span"),
    (group_without_count, "a project group needs its declared count"),
    (reified_but_not_asserted, "is not asserted in the graph"),
]


def test_built_graph_conforms(graph: Graph) -> None:
    assert shacl_violations(graph) == []


@pytest.mark.parametrize(("plant", "message"), PLANTED, ids=[p.__name__ for p, _ in PLANTED])
def test_planted_error_is_caught(graph: Graph, plant: Callable[[Graph], None], message: str) -> None:
    broken = copy(graph)
    plant(broken)
    violations = shacl_violations(broken)
    assert any(message in v for v in violations), violations


def test_cli_validate_reports_and_fails_on_a_planted_file(graph: Graph, tmp_path: Path) -> None:
    broken = copy(graph)
    drop_unit(broken)
    orphan_project(broken)
    file = tmp_path / "broken.ttl"
    file.write_bytes(serialize(broken, Format.TURTLE))
    result = CliRunner().invoke(main, ["validate", "--graph", str(file)])
    assert result.exit_code == 1
    # Removing the classification also orphans its editorial statement: 3.
    assert "SHACL: 3 violation(s)" in result.output
    assert (
        "linzi-2023/observation/2022-industrial-output> sdmx-attribute:unitMeasure: a figure needs exactly one unit"
        in result.output
    )
    assert "project/louyuan-school>: a project needs a link" in result.output


def test_cli_validate_passes_on_the_data() -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "SHACL: conforms" in result.output
    assert "spans: every span resolves and names its fact" in result.output


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("garbage.ttl", b"this is <not turtle", "not valid Turtle"),
        ("binary.ttl", b"\xff\xfe\x00\x01", "garbage"),
        ("data.csv", b"a,b\n", "unknown RDF file extension '.csv'"),
    ],
)
def test_cli_validate_rejects_garbage(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    file = tmp_path / name
    file.write_bytes(content)
    result = CliRunner().invoke(main, ["validate", "--graph", str(file)])
    assert result.exit_code == 1
    assert result.output.startswith("error: ")
    assert str(file) in result.output
    if expected != "garbage":
        assert expected in result.output
    assert "Traceback" not in result.output


def test_cli_validate_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--graph", str(tmp_path / "none.ttl")])
    assert result.exit_code == 1
    assert "no such file" in result.output
