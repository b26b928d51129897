"""Bad source data is rejected with file, line, record and field; nothing is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import replace_in

from kg.cli import main
from kg.documents.records import load_dataset
from kg.errors import DataError
from kg.rdf.pipeline import build


def problems_of(data_dir: Path, *, spans: bool = False) -> str:
    with pytest.raises(DataError) as info:
        if spans:
            build(data_dir=data_dir, validate=False)
        else:
            load_dataset(data_dir)
    return str(info.value)


def test_shipped_data_loads() -> None:
    data = load_dataset(document="linzi-2023")
    assert len(data.entities) > 150
    assert len(data.observations) >= 28
    assert data.source is not None


def test_unknown_field(data_copy: Path) -> None:
    replace_in(data_copy / "linzi-2023" / "projects.yaml", "    carriedOutBy: juheshun\n", "    carriedBy: juheshun\n")
    message = problems_of(data_copy)
    assert re.search(r"projects\.yaml:\d+: record 'juheshun-nylon': field 'carriedBy': unknown field", message)


def test_missing_unit(data_copy: Path) -> None:
    replace_in(
        data_copy / "linzi-2023" / "figures.yaml", "    unit: 亿元\n    wording: 2778亿元\n", "    wording: 2778亿元\n"
    )
    message = problems_of(data_copy)
    assert re.search(r"figures\.yaml:\d+: record '2022-industrial-output': field 'unit': missing", message)


def test_unknown_unit(data_copy: Path) -> None:
    replace_in(
        data_copy / "linzi-2023" / "figures.yaml",
        "    unit: 亿元\n    wording: 2778亿元\n",
        "    unit: 光年\n    wording: 2778亿元\n",
    )
    message = problems_of(data_copy)
    assert "field 'unit': unknown unit '光年'" in message


def test_span_that_does_not_resolve(data_copy: Path) -> None:
    # Shift 聚合顺's span by one character: the span no longer names it.
    text = (data_copy / "linzi-2023" / "projects.yaml").read_text(encoding="utf-8")
    match = re.search(
        r"(id: juheshun, type: Enterprise, zh: 聚合顺, en: \"?Juheshun\"?, spans: \[\[)(\d+), (\d+)", text
    )
    assert match
    start, end = int(match.group(2)), int(match.group(3))
    replace_in(data_copy / "linzi-2023" / "projects.yaml", match.group(0), f"{match.group(1)}{start + 1}, {end + 1}")
    message = problems_of(data_copy, spans=True)
    assert re.search(
        rf"projects\.yaml:\d+: record 'juheshun': field 'spans': span \[{start + 1}, {end + 1}\] "
        r"does not contain 聚合顺",
        message,
    )


def test_span_outside_the_text(data_copy: Path) -> None:
    replace_in(data_copy / "linzi-2023" / "context.yaml", "spans: [[3232, 3236]]", "spans: [[3232, 9999]]")
    message = problems_of(data_copy, spans=True)
    assert (
        "record 'dazhong-daily': field 'spans': span [3232, 9999] ends past the source text (3261 characters)"
        in message
    )


def test_link_span_must_name_both_ends(data_copy: Path) -> None:
    replace_in(
        data_copy / "linzi-2023" / "projects.yaml",
        "    carriedOutBy: juheshun\n",
        "    carriedOutBy: ruilin-chemical\n",
    )
    message = problems_of(data_copy, spans=True)
    assert "record 'juheshun-nylon': field 'carriedOutBy'" in message
    assert "does not name 'ruilin-chemical'" in message


def test_duplicate_id(data_copy: Path) -> None:
    replace_in(data_copy / "linzi-2023" / "projects.yaml", "  - id: juheshun-nylon\n", "  - id: ruilin-alkane-olefin\n")
    message = problems_of(data_copy)
    assert re.search(
        r"projects\.yaml:\d+: record 'ruilin-alkane-olefin': field 'id': duplicate id, "
        r"first defined at .*projects\.yaml:\d+",
        message,
    )


def test_broken_reference(data_copy: Path) -> None:
    replace_in(
        data_copy / "linzi-2023" / "projects.yaml", "    carriedOutBy: juheshun\n", "    carriedOutBy: juhesun\n"
    )
    message = problems_of(data_copy)
    assert "field 'carriedOutBy': refers to unknown record 'juhesun' (did you mean juheshun" in message


def test_reference_to_wrong_kind(data_copy: Path) -> None:
    replace_in(
        data_copy / "linzi-2023" / "figures.yaml",
        "    indicator: industrial-output\n    year: 2022",
        "    indicator: linzi\n    year: 2022",
    )
    assert "field 'indicator': 'linzi' is a District, expected one of: indicator" in problems_of(data_copy)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    year: 2022\n", "    year: last year\n", "field 'year': must be a year"),
        ("    status: actual\n", "    status: done\n", "field 'status': must be one of actual, target, specification"),
        ("    value: 2778\n", "    value: lots\n", "field 'value': must be a number"),
        ('    comparator: ">="\n', '    comparator: "=>"\n', "field 'comparator': must be one of"),
        ("    modality: strive\n", "    modality: hope\n", "field 'modality': must be one of plan, strive, ensure"),
    ],
)
def test_bad_figure_values(data_copy: Path, old: str, new: str, expected: str) -> None:
    replace_in(data_copy / "linzi-2023" / "figures.yaml", old, new)
    assert expected in problems_of(data_copy)


def test_unknown_type(data_copy: Path) -> None:
    replace_in(data_copy / "linzi-2023" / "projects.yaml", "    type: EnterpriseUnit\n", "    type: Company\n")
    assert "record 'qilu-refinery': field 'type': unknown type 'Company'" in problems_of(data_copy)


def test_bad_span_shape(data_copy: Path) -> None:
    replace_in(
        data_copy / "linzi-2023" / "projects.yaml",
        "    term: 齐鲁石化100万吨乙烯\n    spans: [[",
        "    term: 齐鲁石化100万吨乙烯\n    spans: [[-",
    )
    assert "record 'ethylene-1mt': field 'spans'" in problems_of(data_copy)


def test_invalid_yaml(data_copy: Path) -> None:
    (data_copy / "linzi-2023" / "broken.yaml").write_text("records:\n  - id: x\n    zh: [unclosed\n", encoding="utf-8")
    assert re.search(r"broken\.yaml:\d+: not valid YAML", problems_of(data_copy))


def test_duplicate_key(data_copy: Path) -> None:
    replace_in(
        data_copy / "linzi-2023" / "projects.yaml",
        "    carriedOutBy: juheshun\n",
        "    carriedOutBy: juheshun\n    carriedOutBy: juheshun\n",
    )
    assert re.search(r"projects\.yaml:\d+: field 'carriedOutBy': duplicate key", problems_of(data_copy))


def test_not_utf8(data_copy: Path) -> None:
    (data_copy / "linzi-2023" / "gbk.yaml").write_bytes("records: []\n# 临淄\n".encode("gbk"))
    assert "gbk.yaml: not UTF-8 text" in problems_of(data_copy)


def test_garbage_file(data_copy: Path) -> None:
    (data_copy / "linzi-2023" / "garbage.yaml").write_bytes(b"\x00\x01just some words: [\n")
    assert "garbage.yaml" in problems_of(data_copy)


def test_empty_directory(tmp_path: Path) -> None:
    assert "no document folders" in problems_of(tmp_path)


def test_all_problems_are_reported_at_once(data_copy: Path) -> None:
    replace_in(data_copy / "linzi-2023" / "projects.yaml", "    carriedOutBy: juheshun\n", "    carriedBy: juheshun\n")
    replace_in(
        data_copy / "linzi-2023" / "figures.yaml", "    unit: 亿元\n    wording: 2778亿元\n", "    wording: 2778亿元\n"
    )
    message = problems_of(data_copy)
    assert message.startswith("2 problems in the source data:")


def test_cli_build_fails_cleanly_and_writes_nothing(data_copy: Path, tmp_path: Path) -> None:
    replace_in(
        data_copy / "linzi-2023" / "projects.yaml", "    carriedOutBy: juheshun\n", "    carriedOutBy: juhesun\n"
    )
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(main, ["build", "--data-dir", str(data_copy), "--output", str(out)])
    assert result.exit_code == 1
    assert "error: 1 problem in the source data:" in result.output
    assert "refers to unknown record 'juhesun'" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.glob(".out.ttl.*")) == []


# -- planted links the checker must refuse (issue: relations that no span states) --


def build_problems(data_copy: Path) -> str:
    """`linzi-kg build` on the planted data: exit 1, one error block, no traceback."""
    result = CliRunner().invoke(main, ["build", "--data-dir", str(data_copy)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        pytest.param(
            "projects.yaml",
            "    carriedOutBy: juheshun\n",
            # Each span names one end; joined they would name both.
            "    carriedOutBy: {to: qidu-pharmaceutical, spans: [[1720, 1732], [1899, 1903]]}\n",
            r"projects\.yaml:\d+: record 'juheshun-nylon': field 'carriedOutBy': span \[1720, 1732\] of the link "
            r"to 'qidu-pharmaceutical' does not name 'qidu-pharmaceutical'",
            id="ends-in-different-spans",
        ),
        pytest.param(
            "figures.yaml",
            "    wording: 5.5%以上\n",
            "    wording: 5.5%以上\n    about: juheshun-nylon\n",
            r"figures\.yaml:\d+: record '2023-gdp-growth': field 'about': span \[456, 474\] of the link to "
            r"'juheshun-nylon' does not name 'juheshun-nylon'",
            id="figure-about-an-entity-its-span-does-not-name",
        ),
        pytest.param(
            "figures.yaml",
            "    wording: 5.5%以上\n",
            "    wording: 5.5%以上\n    area: zibo\n",
            r"record '2023-gdp-growth': field 'area': span \[456, 474\] of the link to 'zibo' does not name 'zibo'",
            id="figure-area-its-span-does-not-name",
        ),
        pytest.param(
            "projects.yaml",
            "    stage: {to: complete, spans: [[2443, 2465]]}\n",
            "    stage: {to: start-construction, spans: [[2443, 2465]]}\n",
            r"record 'fangyu-sewage-plant': field 'stage': span \[2443, 2465\] of the link to "
            r"'start-construction' does not name 'start-construction' \(启动…建设\)",
            id="stage-its-span-does-not-say",
        ),
        pytest.param(
            "projects.yaml",
            "    stage: {to: complete, spans: [[2443, 2465]]}\n",
            "    stage: {to: finished, spans: [[2443, 2465]]}\n",
            r"record 'fangyu-sewage-plant': field 'stage': unknown stage 'finished'; known: complete-and-use",
            id="unknown-stage",
        ),
        pytest.param(
            "frameworks.yaml",
            "    emphasis: 转型发展\n",
            "    emphasis: 高质量发展\n",
            r"record 'action-transformation': field 'emphasis': no span of the record contains '高质量发展'",
            id="value-no-span-contains",
        ),
        pytest.param(
            "context.yaml",
            "    within: {to: zibo, editorial: \"the article's series on Zibo's districts covers Linzi; "
            'no sentence states it"}\n',
            "    within: {to: zibo, editorial: ''}\n",
            r"record 'linzi': field 'within': an editorial link has no spans and says why",
            id="editorial-link-without-reason",
        ),
        pytest.param(
            "figures.yaml",
            "    indicator: gdp-growth\n    year: 2023\n",
            "    indicator: gdp-growth\n",
            r"record '2023-gdp-growth': field 'year': missing \(only a specification",
            id="target-without-year",
        ),
    ],
)
def test_planted_bad_links_are_refused(data_copy: Path, file: str, old: str, new: str, expected: str) -> None:
    replace_in(data_copy / "linzi-2023" / file, old, new)
    assert re.search(expected, build_problems(data_copy))


def test_editorial_link_is_reified_with_its_reason(graph) -> None:  # type: ignore[no-untyped-def]
    from rdflib.namespace import RDF, RDFS

    from kg.core.namespaces import ID, LZ, PROV

    stmt = ID["statement/zibo.containedInPlace.shandong"]
    assert (stmt, RDF.type, LZ.EditorialStatement) in graph
    assert (stmt, RDF.type, LZ.EditorialClassification) not in graph
    assert graph.value(stmt, PROV.wasDerivedFrom) is None
    assert "not state" in str(graph.value(stmt, RDFS.comment))
