"""The consistency checks: each rule kind's violation planted in a tiny
document of our own (text and figures written here), the right verdict found;
rounding judged as rounding; the Linzi article's true relations found."""

from __future__ import annotations

from pathlib import Path

import pytest
from checkdoc import Fig, write_document

from kg.checks import Verdict, check
from kg.checks.interval import Interval
from kg.checks.rules import load_rules
from kg.errors import CheckFileError, UsageError

RULES = """
settings: {about: 0.05, loose: 1.0}
rules:
  - {id: t-growth, kind: growth, relates: {rate: output-growth, level: output},
     formula: "rate = (level / level_prev - 1) * 100", inverse: "level = level_prev * (1 + rate / 100)",
     severity: warning}
  - {id: t-share, kind: share, relates: {share: welfare-share, part: welfare, total: spending},
     formula: "share = part / total * 100", solve: {total: "total = part / share * 100"},
     bounds: ["share <= 100"], tolerance: printed, severity: warning}
  - {id: t-completion, kind: completion, relates: {rate: investment-completion, actual: investment, plan: investment},
     formula: "rate = actual / plan * 100", severity: warning}
  - {id: t-components, kind: components, relates: {total: visitors, parts: [visitors-home, visitors-abroad]},
     formula: "total = sum(parts)", severity: error}
  - {id: t-respectively, kind: respectively, relates: {parts: [schools-built, clinics-built, parks-built]},
     formula: "total >= sum(parts)", severity: warning}
  - {id: t-points, kind: points, relates: {change: forest-cover-change, level: forest-cover},
     formula: "change = level - level_prev", alternative: "change = (level / level_prev - 1) * 100",
     alternative_note: "percent and percentage points are mixed up", severity: warning}
  - {id: t-duplicate, kind: duplicate, formula: "a = b", severity: error}
  - {id: t-marker, kind: actual-marker, markers: [plan, strive, ensure], severity: warning}
  - {id: t-units, kind: unit-mismatch, severity: error}
  - {id: t-below, kind: target-below-actual, formula: "target >= previous", wordings: [增长], severity: warning}
"""

# Our own sentences (a made-up district's report), one figure per wording.
PLANTED_TEXT = (
    "去年示范区工业产值达到500亿元。今年工业产值力争达到550亿元、增长20%以上。"
    "全年财政支出560亿元，其中民生类支出528亿元，占比94.8%。"
    "重点投资计划200亿元，实际完成180亿元，完成率95%。"
    "接待游客100万人次，其中境内游客60万人次、境外游客30万人次。"
    "新建学校、卫生院、公园分别为3所、4处。"
    "森林覆盖率由40%提高到43%，提高5个百分点。"
    "粮食产量120万吨，全年粮食总产125万吨。"
    "外贸进出口力争实现88亿元。"
    "污水处理量12万吨，污水处理率达到9%。"
    "去年旅游收入300亿元，今年旅游收入增长到280亿元。"
)
PLANTED = [
    Fig("output-2022", "output", 2022, "actual", "500", "亿元", "500亿元"),
    Fig("output-2023", "output", 2023, "target", "550", "亿元", "550亿元", modality="strive"),
    Fig("output-growth-2023", "output-growth", 2023, "target", "20", "%", "20%", comparator=">="),
    Fig("spending", "spending", 2023, "actual", "560", "亿元", "560亿元"),
    Fig("welfare", "welfare", 2023, "actual", "528", "亿元", "528亿元"),
    Fig("welfare-share", "welfare-share", 2023, "actual", "94.8", "%", "94.8%"),
    Fig("investment-plan", "investment", 2023, "target", "200", "亿元", "200亿元", modality="plan"),
    Fig("investment-actual", "investment", 2023, "actual", "180", "亿元", "180亿元"),
    Fig("investment-completion", "investment-completion", 2023, "actual", "95", "%", "95%"),
    Fig("visitors", "visitors", 2023, "actual", "100", "万吨", "100万人次"),
    Fig("visitors-home", "visitors-home", 2023, "actual", "60", "万吨", "60万人次"),
    Fig("visitors-abroad", "visitors-abroad", 2023, "actual", "30", "万吨", "30万人次"),
    Fig("schools", "schools-built", 2023, "actual", "3", "所", "3所"),
    Fig("clinics", "clinics-built", 2023, "actual", "4", "处", "4处"),
    Fig("forest-2022", "forest-cover", 2022, "actual", "40", "%", "40%"),
    Fig("forest-2023", "forest-cover", 2023, "actual", "43", "%", "43%"),
    Fig("forest-change", "forest-cover-change", 2023, "actual", "5", "个百分点", "5个百分点"),
    Fig("grain-a", "grain", 2023, "actual", "120", "万吨", "120万吨"),
    Fig("grain-b", "grain", 2023, "actual", "125", "万吨", "125万吨"),
    Fig("trade", "trade", 2023, "actual", "88", "亿元", "88亿元", modality="strive"),
    Fig("sewage-volume", "sewage", 2023, "actual", "12", "万吨", "12万吨"),
    Fig("sewage-rate", "sewage", 2023, "target", "9", "%", "9%"),
    Fig("tourism-2022", "tourism", 2022, "actual", "300", "亿元", "300亿元"),
    Fig("tourism-2023", "tourism", 2023, "target", "280", "亿元", "280亿元"),
]


@pytest.fixture(scope="module")
def rules_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    return path


def _report(tmp: Path, rules: Path, name: str, text: str, figures: list[Fig]):  # type: ignore[no-untyped-def]
    from kg.graph.store import load_graph

    txt, ttl = write_document(tmp, name, text, figures)
    report = check(load_graph(extra=[ttl]), rules=rules, texts=[txt])
    return [f for f in report.findings if f.figures[0].area.endswith("demo-district")]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory, rules_file: Path):  # type: ignore[no-untyped-def]
    return _report(tmp_path_factory.mktemp("planted"), rules_file, "planted", PLANTED_TEXT, PLANTED)


def _by_rule(findings, rule_id):  # type: ignore[no-untyped-def]
    found = [f for f in findings if f.rule.id == rule_id]
    assert found, f"no finding of {rule_id}"
    return found


@pytest.mark.parametrize(
    "rule_id",
    [
        "t-growth",
        "t-share",
        "t-completion",
        "t-components",
        "t-respectively",
        "t-points",
        "t-duplicate",
        "t-marker",
        "t-units",
        "t-below",
    ],
)
def test_each_planted_violation_is_a_contradiction(planted, rule_id: str) -> None:  # type: ignore[no-untyped-def]
    verdicts = {f.verdict for f in _by_rule(planted, rule_id)}
    assert Verdict.CONTRADICTION in verdicts, (rule_id, verdicts)


def test_a_finding_cites_both_figures_spans_sentences_formula_numbers(planted) -> None:  # type: ignore[no-untyped-def]
    (finding,) = _by_rule(planted, "t-share")
    roles = {c.role: c.figure for c in finding.cited}
    assert set(roles) == {"share", "part", "total"}
    share = roles["share"]
    assert share.wording == "94.8%" and share.spans
    span = share.spans[0]
    assert PLANTED_TEXT[span.start : span.end] == "94.8%"
    assert span.sentence is not None and "94.8%" in span.sentence
    assert finding.formula == "share = part / total * 100"
    assert "94.2857" in finding.explanation and "94.8" in finding.explanation
    assert finding.alarm


def test_points_mixed_with_percent_is_explained(planted) -> None:  # type: ignore[no-untyped-def]
    (finding,) = _by_rule(planted, "t-points")
    assert finding.verdict is Verdict.CONTRADICTION
    assert "3" in finding.numbers["derived"]


def test_respectively_names_the_missing_item(planted) -> None:  # type: ignore[no-untyped-def]
    (finding,) = _by_rule(planted, "t-respectively")
    assert "parks-built" in finding.explanation


def test_duplicate_cites_both_wordings(planted) -> None:  # type: ignore[no-untyped-def]
    (finding,) = _by_rule(planted, "t-duplicate")
    assert {c.figure.wording for c in finding.cited} == {"120万吨", "125万吨"}


CLEAN_TEXT = (
    "去年示范区工业产值达到500亿元。今年工业产值达到550亿元、增长10%。"
    "全年财政支出560亿元，其中民生类支出528亿元，占比94.3%。"
    "森林覆盖率由40%提高到43%，提高3个百分点。"
    "接待游客100万人次，其中境内游客60万人次、境外游客40万人次。"
)
CLEAN = [
    Fig("output-2022", "output", 2022, "actual", "500", "亿元", "500亿元"),
    Fig("output-2023", "output", 2023, "target", "550", "亿元", "550亿元"),
    Fig("output-growth-2023", "output-growth", 2023, "target", "10", "%", "10%"),
    Fig("spending", "spending", 2023, "actual", "560", "亿元", "560亿元"),
    Fig("welfare", "welfare", 2023, "actual", "528", "亿元", "528亿元"),
    Fig("welfare-share", "welfare-share", 2023, "actual", "94.3", "%", "94.3%"),
    Fig("forest-2022", "forest-cover", 2022, "actual", "40", "%", "40%"),
    Fig("forest-2023", "forest-cover", 2023, "actual", "43", "%", "43%"),
    Fig("forest-change", "forest-cover-change", 2023, "actual", "3", "个百分点", "3个百分点"),
    Fig("visitors", "visitors", 2023, "actual", "100", "万吨", "100万人次"),
    Fig("visitors-home", "visitors-home", 2023, "actual", "60", "万吨", "60万人次"),
    Fig("visitors-abroad", "visitors-abroad", 2023, "actual", "40", "万吨", "40万人次"),
]


def test_a_clean_document_raises_no_alarm_and_rounding_is_rounding(tmp_path: Path, rules_file: Path) -> None:
    findings = _report(tmp_path, rules_file, "clean", CLEAN_TEXT, CLEAN)
    assert [f for f in findings if f.alarm] == []
    verdicts = {f.rule.id: f.verdict for f in findings}
    # 528 / 560 = 94.2857...% against a printed 94.3%.
    assert verdicts["t-share"] is Verdict.ROUNDING
    assert verdicts["t-growth"] is Verdict.CONSISTENT
    assert verdicts["t-points"] is Verdict.CONSISTENT
    assert verdicts["t-components"] is Verdict.CONSISTENT


def test_a_declared_basis_explains_a_gap(tmp_path: Path, rules_file: Path) -> None:
    text = "去年工业产值500亿元。今年工业产值550亿元，同口径增长12%。"
    figs = [
        Fig("o22", "output", 2022, "actual", "500", "亿元", "500亿元"),
        Fig("o23", "output", 2023, "actual", "550", "亿元", "550亿元"),
        Fig("g23", "output-growth", 2023, "actual", "12", "%", "12%", basis="同口径"),
    ]
    (finding,) = [f for f in _report(tmp_path, rules_file, "basis", text, figs) if f.rule.id == "t-growth"]
    assert finding.verdict is Verdict.BASIS
    assert "同口径" in finding.explanation


def test_about_uses_the_stated_tolerance(tmp_path: Path, rules_file: Path) -> None:
    # 左右: 10% about 500 → 550 fits for 5% tolerance on the rate (9.5 to 10.5).
    text = "去年工业产值500亿元。今年工业产值553亿元，增长10%左右。"
    figs = [
        Fig("o22", "output", 2022, "actual", "500", "亿元", "500亿元"),
        Fig("o23", "output", 2023, "actual", "553", "亿元", "553亿元"),
        Fig("g23", "output-growth", 2023, "actual", "10", "%", "10%", comparator="~"),
    ]
    (finding,) = [f for f in _report(tmp_path, rules_file, "about", text, figs) if f.rule.id == "t-growth"]
    assert finding.verdict is Verdict.ROUNDING


# -- the Linzi article -------------------------------------------------------


@pytest.fixture(scope="module")
def linzi(kgraph):  # type: ignore[no-untyped-def]
    return check(kgraph)


def test_linzi_output_growth_is_loose_bounds_with_the_implied_level(linzi) -> None:  # type: ignore[no-untyped-def]
    (finding,) = [f for f in linzi.findings if f.rule.id == "industrial-output-growth"]
    assert finding.verdict is Verdict.LOOSE
    assert {c.figure.wording for c in finding.cited} == {"2778亿元", "突破3000亿元", "10%以上"}
    assert "3055.8" in finding.explanation and "同口径" in finding.explanation
    assert all(c.figure.spans and c.figure.spans[0].sentence for c in finding.cited)


def test_linzi_every_true_relation_and_at_most_one_alarm(linzi) -> None:  # type: ignore[no-untyped-def]
    rules = {f.rule.id for f in linzi.findings}
    assert {"industrial-output-growth", "key-project-investment", "livelihood-spending-share"} <= rules
    (investment,) = [f for f in linzi.findings if f.rule.id == "key-project-investment"]
    assert {c.figure.wording for c in investment.cited} == {"1202.7亿元", "151个"}
    (share,) = [f for f in linzi.findings if f.rule.id == "livelihood-spending-share"]
    assert share.verdict is Verdict.CONSISTENT and "54.14" in share.explanation
    assert len(linzi.alarms) <= 1


# -- intervals and bad rule files --------------------------------------------


def test_interval_comparators() -> None:
    assert Interval.printed("94.3").contains(94.25) and not Interval.printed("94.3").contains(94.35)
    assert Interval.bound(">", 3000).contains(3000.01) and not Interval.bound(">", 3000).contains(3000)
    assert Interval.bound("<=", 5).contains(5) and not Interval.bound("<=", 5).contains(5.01)
    assert Interval.about(100, 0.05).contains(105) and not Interval.about(100, 0.05).contains(106)
    assert Interval.printed("151", exact=True).contains(151) and not Interval.printed("151", exact=True).contains(151.2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [{id: x, kind: nonsense}]", "kind"),
        (
            "rules: [{id: x, kind: share, relates: {share: a, part: b, total: c}, formula: 'share = __import__(1)'}]",
            "only function",
        ),
        ("rules: [{id: x, kind: share, relates: {share: a}, formula: 'share = part / total'}]", "needs part, total"),
        ("rules: [{id: x, kind: growth, relates: {rate: a, level: b}, formula: 'rate = lvl / 2'}]", "unknown role lvl"),
        ("rules: [{id: x, kind: duplicate}, {id: x, kind: duplicate}]", "duplicate rule id"),
        ("rules: {", "not valid YAML"),
        ("[1, 2]", "must be a mapping"),
        ("rules: [{id: x, kind: duplicate, colour: red}]", "unknown field"),
    ],
)
def test_bad_rules_files_name_file_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CheckFileError) as err:
        load_rules(path)
    assert message in str(err.value) and "bad.yaml:" in str(err.value)


def test_missing_rules_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        load_rules(tmp_path / "none.yaml")


def test_a_zero_level_gives_no_finding(tmp_path: Path, rules_file: Path) -> None:
    text = "去年工业产值0亿元。今年工业产值50亿元，增长10%。"
    figs = [
        Fig("o22", "output", 2022, "actual", "0", "亿元", "0亿元"),
        Fig("o23", "output", 2023, "actual", "50", "亿元", "50亿元"),
        Fig("g23", "output-growth", 2023, "actual", "10", "%", "10%"),
    ]
    assert [f for f in _report(tmp_path, rules_file, "zero", text, figs) if f.rule.id == "t-growth"] == []


def test_a_binary_rules_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_bytes(b"\xff\xfe\x00rules")
    with pytest.raises(CheckFileError) as err:
        load_rules(path)
    assert "rules.yaml" in str(err.value) and "cannot read it" in str(err.value)


def test_a_basis_recorded_in_the_yaml_reaches_the_checks(data_copy: Path) -> None:
    from conftest import replace_in

    from kg.graph.store import load_graph

    # Planted in a scratch copy: 规上 (above designated size) is the scope the growth rate's sentence states.
    replace_in(
        data_copy / "linzi-2023" / "figures.yaml", "    wording: 10%以上\n", "    wording: 10%以上\n    basis: 规上\n"
    )
    report = check(load_graph(data_dir=data_copy))
    (finding,) = [f for f in report.findings if f.rule.id == "industrial-output-growth"]
    assert finding.verdict is Verdict.BASIS and "规上" in finding.explanation


def test_a_basis_no_span_states_is_refused(data_copy: Path) -> None:
    from conftest import replace_in

    from kg.errors import DataError
    from kg.rdf.pipeline import build

    replace_in(
        data_copy / "linzi-2023" / "figures.yaml", "    wording: 10%以上\n", "    wording: 10%以上\n    basis: 同口径\n"
    )
    with pytest.raises(DataError) as err:
        build(data_dir=data_copy)
    assert "field 'basis': no span contains the basis '同口径'" in str(err.value)
