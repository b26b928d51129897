"""`linzi-kg check` in-process: table, JSON, RDF annotations, suppressions,
--strict, planted documents via --data, and garbage on every input path;
`linzi-kg validate` shows the same checks as warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checkdoc import Fig, write_document
from click.testing import CliRunner
from rdflib import Graph, URIRef
from test_checks import PLANTED, PLANTED_TEXT, RULES

from kg.cli import main
from kg.core.namespaces import DQV, ID, LZ, OA

GROWTH = [
    "linzi-2023/observation/2023-industrial-output-growth",
    "linzi-2023/observation/2023-industrial-output",
    "linzi-2023/observation/2022-industrial-output",
]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_check_table_on_linzi() -> None:
    code, out = run("check")
    assert code == 0, out
    assert "[loose-bounds 界限相容但相距较远] industrial-output-growth" in out
    assert "3055.8" in out and "【规上工业总产值实现2778亿元】" in out
    assert out.rstrip().endswith("1 alarm")


def test_check_json_cites_figures_spans_and_sentences() -> None:
    code, out = run("check", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["alarms"] == 1 and data["counts"]["loose-bounds"] == 1
    (growth,) = [f for f in data["findings"] if f["rule"] == "industrial-output-growth"]
    assert {f["iri"] for f in growth["figures"]} == {str(ID[g]) for g in GROWTH}
    for figure in growth["figures"]:
        assert figure["spans"] and all(s["sentence"] for s in figure["spans"])
    assert growth["formula"] == "rate = (level / level_prev - 1) * 100"
    assert growth["numbers"]["level_prev"].startswith("2778亿元")


def test_check_exports_quality_annotations_on_both_figures(tmp_path: Path) -> None:
    out = tmp_path / "findings.ttl"
    code, text = run("check", "-f", "turtle", "-o", str(out))
    assert code == 0 and "wrote" in text
    g = Graph().parse(out)
    (growth,) = [
        a for a in g.subjects(LZ.checkRule, None) if str(g.value(a, LZ.checkRule)) == "industrial-output-growth"
    ]
    assert (growth, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), DQV.QualityAnnotation) in g
    assert set(g.objects(growth, OA.hasTarget)) == {ID[x] for x in GROWTH}
    assert {s for s in g.subjects(DQV.hasQualityAnnotation, growth)} == {ID[x] for x in GROWTH}
    assert g.value(growth, LZ.verdict) == LZ.LooseBounds


def test_strict_fails_on_an_alarm_and_a_suppression_quiets_it(tmp_path: Path) -> None:
    code, _ = run("check", "--strict")
    assert code == 1
    sup = tmp_path / "sup.yaml"
    sup.write_text(
        "suppressions:\n"
        "  - rule: industrial-output-growth\n"
        f"    figures: [{GROWTH[0]}, {GROWTH[1]}]\n"
        "    verdict: loose-bounds\n"
        "    reason: growth on a comparable base, confirmed with the statistics bureau\n"
        "    reviewer: test reviewer\n",
        encoding="utf-8",
    )
    code, out = run("check", "--strict", "--suppressions", str(sup))
    assert code == 0, out
    assert "suppressed: growth on a comparable base" in out and out.rstrip().endswith("0 alarms")


def test_check_a_planted_document_from_data(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    txt, ttl = write_document(tmp_path, "planted", PLANTED_TEXT, PLANTED)
    code, out = run("check", "--data", str(ttl), "--text", str(txt), "--rules", str(rules), "--alarms", "--json")
    assert code == 0
    data = json.loads(out)
    assert {f["rule"] for f in data["findings"]} >= {"t-growth", "t-share", "t-duplicate", "t-units"}
    assert all(f["verdict"] == "contradiction" for f in data["findings"])
    share = next(f for f in data["findings"] if f["rule"] == "t-share")
    assert any("94.8%" in (s["sentence"] or "") for fig in share["figures"] for s in fig["spans"])


@pytest.mark.parametrize(
    ("args", "content", "code", "expected"),
    [
        (["--rules"], "rules: [{id: x, kind: growth}]", 1, "rules file"),
        (["--rules"], "rules: [", 1, "not valid YAML"),
        (["--suppressions"], "suppressions: [{rule: x, figures: [a]}]", 1, "field 'reason'"),
        (
            ["--suppressions"],
            "suppressions: [{rule: x, figures: [a], reason: r, reviewer: p, verdict: meh}]",
            1,
            "verdict",
        ),
        (["--data"], "this is <not turtle", 1, "not valid Turtle"),
    ],
)
def test_check_garbage_is_one_error_line(
    tmp_path: Path, args: list[str], content: str, code: int, expected: str
) -> None:
    path = tmp_path / "bad.ttl" if args == ["--data"] else tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    got, out = run("check", *args, str(path))
    assert got == code, out
    assert out.startswith("error: ") and expected in out and "Traceback" not in out


@pytest.mark.parametrize(
    "args",
    [
        ["--rules", "/nonexistent/rules.yaml"],
        ["--suppressions", "/nonexistent/s.yaml"],
        ["--text", "/nonexistent/t.txt"],
        ["--about", "2"],
        ["--format", "png"],
    ],
)
def test_check_bad_options_exit_2(args: list[str]) -> None:
    code, out = run("check", *args)
    assert code == 2, out
    assert "Traceback" not in out


def test_check_output_into_a_missing_directory(tmp_path: Path) -> None:
    code, out = run("check", "-o", str(tmp_path / "nowhere" / "f.txt"))
    assert code == 1 and "does not exist" in out
    assert not (tmp_path / "nowhere").exists()


def test_check_text_that_is_not_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "t.txt"
    bad.write_bytes(b"\xff\xfe\x00")
    code, out = run("check", "--text", str(bad))
    assert code == 2 and "not UTF-8" in out


def test_validate_shows_the_checks_as_warnings() -> None:
    code, out = run("validate")
    assert code == 0, out
    assert "checks: 1 warning(s)" in out and "warning: [loose-bounds" in out


def test_about_option_widens_about(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    text = "去年工业产值500亿元。今年工业产值560亿元，增长10%左右。"
    figs = [
        Fig("o22", "output", 2022, "actual", "500", "亿元", "500亿元"),
        Fig("o23", "output", 2023, "actual", "560", "亿元", "560亿元"),
        Fig("g23", "output-growth", 2023, "actual", "10", "%", "10%", comparator="~"),
    ]
    _, ttl = write_document(tmp_path, "about", text, figs)
    narrow = json.loads(run("check", "--data", str(ttl), "--rules", str(rules), "--json")[1])
    wide = json.loads(run("check", "--data", str(ttl), "--rules", str(rules), "--json", "--about", "0.25")[1])

    def verdict(data: dict) -> str:  # type: ignore[type-arg]
        return next(f["verdict"] for f in data["findings"] if f["rule"] == "t-growth")

    assert verdict(narrow) == "contradiction" and verdict(wide) == "consistent-within-rounding"


def test_check_runs_on_synthetic_reports_and_times_itself(tmp_path: Path) -> None:
    from kg.bench.synth import write_synthetic

    nt = tmp_path / "synth-3.nt"
    write_synthetic(nt, 3, seed=1)
    result = CliRunner().invoke(main, ["check", "--data", str(nt), "--json", "--timing"])
    assert result.exit_code == 0, result.output
    assert "figures fetched by SPARQL in" in result.stderr
    data = json.loads(result.stdout)
    growth = [f for f in data["findings"] if f["rule"] == "industrial-output-growth"]
    # Linzi (report 0, in the data and the --data file alike) and the two imaginary districts.
    assert len({f["figures"][0]["area"] for f in growth}) == 3


def test_serve_refuses_a_missing_text_before_starting() -> None:
    from kg.bench.servers import free_port

    code, out = run("serve", "--port", str(free_port()), "--text", "/nonexistent/report.txt")
    assert code == 2 and "--text /nonexistent/report.txt: no such file" in out
