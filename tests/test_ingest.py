"""linzi-kg ingest: figures, fields, structure, entities and the draft graph, on texts written for these tests.

The sentences below are our own, in the style of Chinese local-government work
reports; tests/data/ingest/yunxi-2024.txt is a whole synthetic county report
with a hand-made gold file in the corpus format.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal

from kg.cli import main
from kg.core.namespaces import LZ, OA, PROV, QB, SDMX_MEASURE
from kg.ingest.draft import draft_report
from kg.ingest.evaluate import load_gold, read_graph, score, score_draft
from kg.ingest.figures import find_figures
from kg.ingest.lexicon import Lexicon, never_merge, normalize_indicator
from kg.ingest.rdf import draft_graph
from kg.ingest.structure import Role, read_structure
from kg.ingest.text import normalize_text, read_report

DATA = Path(__file__).parent / "data" / "ingest"


def draft_of(text: str, year: int | None = None):  # type: ignore[no-untyped-def]
    return draft_report(normalize_text(text), source_name="t.txt", year=year)


def fields_of(text: str, year: int | None = None) -> list[tuple[str, str, str, int, str, str | None, str]]:
    d = draft_of(text, year)
    return [(f.wording, f.value, f.unit.printed, f.year, f.status, f.modality, f.indicator.label) for f in d.figures]


# -- figures -------------------------------------------------------------------


def test_number_with_unit_and_comparators() -> None:
    figs = find_figures("投资突破3000亿元、增长10%以上,新增2380余万元,失业率控制在4.5%以内,游客约50万人次,增幅左右")
    got = [(f.value_text, f.unit.printed, f.comparator) for f in figs]
    assert got == [
        ("3000", "亿元", ">"),
        ("10", "%", ">="),
        ("2380", "万元", ">"),
        ("4.5", "%", "<="),
        ("50", "万人次", "~"),
    ]


def test_the_span_is_the_number_with_its_unit_and_the_wording_adds_the_comparator() -> None:
    text = "力争规上工业总产值突破3000亿元"
    (fig,) = find_figures(text)
    assert text[fig.start : fig.end] == "3000亿元"
    assert text[fig.wording_start : fig.wording_end] == "突破3000亿元"


def test_percentage_points_are_not_percent() -> None:
    (fig,) = find_figures("带动投资增长3.2个百分点")
    assert (fig.value_text, fig.unit.printed, fig.unit.kind) == ("3.2", "个百分点", "points")


def test_ranks() -> None:
    figs = find_figures("以第4名入选十强,位列百强区第54位,增速全市第三,总量居全省首位")
    assert [(f.value_text, f.unit.printed) for f in figs] == [("4", "名"), ("54", "位"), ("3", ""), ("1", "位")]


def test_chinese_numerals() -> None:
    figs = find_figures("建成三所学校、两座桥梁,旅游收入突破百亿元,新增五万人")
    assert [(f.value_text, f.unit.printed) for f in figs] == [("3", "所"), ("2", "座"), ("100", "亿元"), ("5", "万人")]


@pytest.mark.parametrize(
    "text",
    [
        "2023年3月5日上午召开",  # dates
        "在某市第十六届人民代表大会第三次会议上",  # session numbers
        "1.扎实推进改革\n2.扎实推进开放",  # list ordinals
        "围绕“3510”发展目标,确保实现“两个100%”",  # slogans in quotes
        "实施“三年行动”,第一批试点村",  # ordinals and quoted slogans
        "重点抓好十个方面工作,推进一批项目,八个方面攻坚",  # Chinese numerals that are words
        "建设5G基站",  # a number glued to letters
        "聚焦4条产业链 做强产业集群 夯实发展之本",  # a headline line
    ],
)
def test_what_is_not_a_figure(text: str) -> None:
    assert find_figures(text) == []


# -- text: offsets on the original -----------------------------------------------


def test_full_width_digits_and_traditional_characters_keep_original_offsets() -> None:
    text = "去年地區生產總值增長６．５％。"
    m = normalize_text(text)
    assert m.text == "去年地区生产总值增长6.5%。"
    d = draft_report(m, source_name="t.txt", year=2024)
    (fig,) = d.figures
    assert (fig.value, fig.unit.printed, fig.indicator.label) == ("6.5", "%", "地区生产总值增长")
    assert text[fig.span[0] : fig.span[1]] == "６．５％"


def test_html_page_text_with_offsets_into_the_page(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>t</title><style>p{}</style></head><body>"
        "<p>一、2023年工作回顾</p><p>全区地区生产总值增长<b>5.4</b>%，社会消费品零售总额达&nbsp;120亿元。</p>"
        "<script>var x = 100;</script></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    d = draft_report(read_report(path), source_name="page.html", year=2024)
    assert [(f.value, f.unit.printed, f.year, f.status) for f in d.figures] == [
        ("5.4", "%", 2023, "actual"),
        ("120", "亿元", 2023, "actual"),
    ]
    first = d.figures[0]
    assert page[first.span[0] : first.span[1]] == "5.4</b>%"
    assert first.wording == "5.4%"


def test_emphasis_markers_and_broken_lines() -> None:
    m = normalize_text("集中实施**50**个重点技改项目,推动企业技改全覆盖,加快建设大数据\n\n产业园。")
    assert "50个" in m.text and "大数据产业园" in m.text


# -- structure: report year and section roles ----------------------------------


def test_meeting_in_december_is_the_next_years_report() -> None:
    s = read_structure("——2022年12月28日在某市第十六届人民代表大会第三次会议上\n一、2022年工作回顾\n二、2023年工作安排")
    assert s.report_year == 2023
    assert [(h.role, h.year) for h in s.headings] == [(Role.REVIEW, 2022), (Role.PLAN, 2023)]


def test_headings_set_year_and_status() -> None:
    text = (
        "——2025年2月20日在某区第十九届人民代表大会第四次会议上\n"
        "一、过去一年工作回顾\n全区实现地区生产总值320亿元。\n"
        "二、2025年主要预期目标\n地区生产总值增长6%左右。\n"
    )
    assert [(w, y, s, m) for w, _v, _u, y, s, m, _i in fields_of(text)] == [
        ("320亿元", 2024, "actual", None),
        ("6%左右", 2025, "target", "plan"),
    ]


def test_estimate_runs_to_the_end_of_its_sentence() -> None:
    text = (
        "一、2023年工作回顾\n"
        "预计全年地区生产总值增长5%;固定资产投资增长8%,规上工业增加值增长6%。社会消费品零售总额增长4%。"
    )
    got = [(w, s) for w, _v, _u, _y, s, _m, _i in fields_of(text, 2024)]
    assert got == [("5%", "estimate"), ("8%", "estimate"), ("6%", "estimate"), ("4%", "actual")]


def test_modality_cues() -> None:
    text = "二、2024年工作安排\n力争研发投入增长10%,确保粮食产量稳定在50万吨以上,计划新建公园12处。"
    got = [(w, s, m) for w, _v, _u, _y, s, m, _i in fields_of(text, 2024)]
    assert got == [("10%", "target", "strive"), ("50万吨以上", "target", "ensure"), ("12处", "target", "plan")]


def test_cue_words_without_sections() -> None:
    text = "去年全区民生支出45亿元。\n\n今年,全区将新增城镇就业5000人以上。"
    got = [(w, y, s) for w, _v, _u, y, s, _m, _i in fields_of(text, 2024)]
    assert got == [("45亿元", 2023, "actual"), ("5000人以上", 2024, "target")]


# -- indicators ------------------------------------------------------------------


def test_growth_takes_its_subject_from_the_figure_before() -> None:
    got = [i for *_x, i in fields_of("一、2023年工作回顾\n实现地区生产总值440亿元、增长5.4%。", 2024)]
    assert got == ["地区生产总值", "地区生产总值增长"]


def test_fenbie_lists_are_distributed() -> None:
    text = "一、2023年工作回顾\n城镇和农村居民人均可支配收入分别增长4.8%、7.2%;进口、出口分别下降3%、5%。"
    got = [i for *_x, i in fields_of(text, 2024)]
    assert got == ["城镇居民人均可支配收入增长", "农村居民人均可支配收入增长", "进口下降", "出口下降"]


def test_chengxiang_splits_into_urban_and_rural() -> None:
    got = [i for *_x, i in fields_of("一、2023年工作回顾\n城乡居民人均可支配收入分别增长4%、6%。", 2024)]
    assert got == ["城镇居民人均可支配收入增长", "农村居民人均可支配收入增长"]


def test_qizhong_sub_indicator() -> None:
    got = [i for *_x, i in fields_of("一、2023年工作回顾\n固定资产投资增长8%,其中工业投资增长12%。", 2024)]
    assert got == ["固定资产投资增长", "工业投资增长"]


def test_plan_completion_gives_the_plan_and_the_ratio() -> None:
    got = fields_of("一、2023年工作回顾\n固定资产投资完成年计划130亿元的104%。", 2024)
    assert [(w, s, i) for w, _v, _u, _y, s, _m, i in got] == [
        ("130亿元", "target", "固定资产投资年计划"),
        ("104%", "actual", "固定资产投资完成年计划比例"),
    ]


def test_counts_take_the_noun_after_and_specifications() -> None:
    text = (
        "一、2023年工作回顾\n实施城市更新等14个项目,新谋划重点项目630个、总投资1280亿元,"
        "某某化工年产20万吨新材料项目投产。"
    )
    got = [(w, s, i) for w, _v, _u, _y, s, _m, i in fields_of(text, 2024)]
    assert got == [
        ("14个", "actual", "项目"),
        ("630个", "actual", "新谋划重点项目"),
        ("1280亿元", "specification", "新谋划重点项目总投资"),
        ("20万吨", "specification", "某某化工新材料产能"),
    ]


def test_rank_indicator() -> None:
    got = [i for *_x, i in fields_of("一、2023年工作回顾\n新增规上企业62户,增量全市第一。", 2024)]
    assert got == ["新增规上企业", "新增规上企业增量全市排名"]


def test_known_indicators_link_and_never_merge_pairs_stay_apart() -> None:
    lex = Lexicon(indicators={normalize_indicator("规上工业总产值"): "规上工业总产值"})
    assert lex.link_indicator("规模以上工业总产值") == ("规上工业总产值", None)
    assert lex.link_indicator("规上工业增加值") == (None, None)
    assert never_merge("城镇居民人均可支配收入", "农村居民人均可支配收入")
    assert never_merge("一般公共预算收入", "财政总收入")
    assert not never_merge("地区生产总值", "地区生产总值增长")


# -- entities and relations ----------------------------------------------------


def test_entities_from_patterns() -> None:
    text = (
        "——2024年1月10日在某某县第十八届人民代表大会第二次会议上\n县长 王建国\n"
        "推进丰源石化20万吨新材料、青禾药业原料药等5个项目,建设北湖产业园,启动东关中学建设,"
        "加快县人民医院迁建,改造长青路,建成城北污水处理厂。记者 李明 张华"
    )
    d = draft_of(text)
    got = {(e.label, e.type) for e in d.entities}
    for expected in [
        ("某某县第十八届人民代表大会第二次会议", "government"),
        ("某某县", "place"),
        ("王建国", "person"),
        ("丰源石化", "enterprise"),
        ("青禾药业", "enterprise"),
        ("北湖产业园", "park"),
        ("东关中学", "school"),
        ("长青路", "road"),
        ("城北污水处理厂", "facility"),
        ("李明", "person"),
        ("张华", "person"),
    ]:
        assert expected in got, expected
    rels = {
        (r.subject.label, r.predicate, r.object if isinstance(r.object, str) else r.object.label) for r in d.relations
    }
    assert ("王建国", "holds", "县长") in rels
    assert ("青禾药业原料药", "carriedOutBy", "青禾药业") in rels
    assert ("青禾药业原料药", "memberOfGroup", "5个项目") in rels
    for r in d.relations:
        span_text = text[r.span[0] : r.span[1]]
        assert r.subject.label in span_text
        assert (r.object if isinstance(r.object, str) else r.object.label) in span_text


# -- the draft graph and the evaluation ------------------------------------------


def test_draft_graph_in_the_projects_model() -> None:
    text = (
        "——2022年12月28日在某市第十六届人民代表大会第三次会议上\n一、2022年工作回顾\n预计全市地区生产总值完成4500亿元。"
    )
    g = Graph().parse(data=draft_graph(draft_of(text)).serialize(format="turtle"), format="turtle")
    (obs,) = list(g.subjects(predicate=SDMX_MEASURE.obsValue))
    assert (obs, None, QB.Observation) in g or (obs, None, None) in g
    assert g.value(obs, SDMX_MEASURE.obsValue).toPython() == Decimal("4500")  # type: ignore[union-attr]
    assert g.value(obs, LZ.valueStatus) == LZ.Estimate
    assert g.value(obs, LZ.originalWording) == Literal("4500亿元", lang="zh")
    sel = g.value(g.value(obs, PROV.wasDerivedFrom), OA.hasSelector)
    start, end = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))  # type: ignore[arg-type]
    assert text[start:end] == "4500亿元"
    assert g.value(obs, LZ.draftStatus) == Literal("draft")
    figures, _entities = read_graph(g)
    assert (figures[0].indicator, figures[0].year, figures[0].unit) == ("地区生产总值", 2022, "亿元")


@pytest.mark.parametrize("name", ["yunxi-2024", "heyang-2024-news"])
def test_synthetic_reports_score(name: str) -> None:
    report = DATA / f"{name}.txt"
    result = score_draft(
        draft_report(read_report(report), source_name=report.name), load_gold(report.with_suffix(".json"))
    )
    assert result.span_recall == 1.0 and result.span_precision == 1.0, result.report()
    assert result.fact_f1 == 1.0, result.report()
    assert result.entity_recall == 1.0, result.report()


def test_score_counts_by_the_readme_rules() -> None:
    from kg.ingest.evaluate import ScoredFigure

    gold = {
        "figures": [
            {"start": 10, "end": 14, "value": "5", "unit": "%", "indicator_keywords": [["增长"]], "year": 2023,
             "status": "actual", "comparator": "="},
            {"start": 20, "end": 24, "value": "7", "unit": "%", "indicator_keywords": [["收入"]], "year": 2023,
             "status": "actual", "comparator": "="},
        ],
        "entities": [{"name": "某县", "type": "place", "start": 0, "end": 2}],
    }  # fmt: skip
    drafted = [
        ScoredFigure("5", ((10, 14),), "%", "产值增长", 2023, "actual", "=", None),
        ScoredFigure("7", ((20, 40),), "%", "支出", 2023, "actual", "=", None),
        ScoredFigure("9", ((50, 52),), "%", "x", 2023, "actual", "=", None),
    ]
    s = score(drafted, [], gold)
    assert (s.found, s.right, s.tight) == (2, 1, 1)
    assert s.span_recall == 1.0 and s.span_precision == pytest.approx(2 / 3)
    assert s.fact_precision == pytest.approx(2 / 3 * 1 / 2) and s.fact_recall == 0.5
    assert s.entity_recall == 0.0


def test_cli_ingest_turtle_and_evaluate(tmp_path: Path) -> None:
    report = DATA / "yunxi-2024.txt"
    out = tmp_path / "draft.ttl"
    r = CliRunner().invoke(main, ["ingest", str(report), "--format", "turtle", "--output", str(out)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["evaluate", str(out), str(report.with_suffix(".json")), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["fact_f1"] == 1.0
    r = CliRunner().invoke(main, ["ingest", str(report), "--evaluate", str(report.with_suffix(".json"))])
    assert r.exit_code == 0 and "fact F1         1.000" in r.output
    r = CliRunner().invoke(main, ["evaluate", "--corpus", str(DATA)])
    assert r.exit_code == 0 and "yunxi-2024" in r.output


def test_cli_ingest_prints_turtle_by_default() -> None:
    r = CliRunner().invoke(main, ["ingest", str(DATA / "yunxi-2024.txt")])
    assert r.exit_code == 0
    assert "qb:Observation" in r.output and "lz:originalWording" in r.output


def test_every_ingest_unit_is_declared_in_the_ontology_with_its_printed_label() -> None:
    from rdflib.namespace import RDFS

    from kg.core.units import lzunit_declarations
    from kg.rdf.ontology import load_ontology

    onto = load_ontology()
    for unit in lzunit_declarations():
        labels = {str(lab) for lab in onto.objects(unit.iri, RDFS.label) if getattr(lab, "language", None) == "zh"}
        assert labels, unit.iri
        if unit.printed:
            assert unit.printed in labels, unit.iri


# -- the draft folder and bad input ----------------------------------------------


def test_draft_folder_builds_as_it_is(tmp_path: Path) -> None:
    report = DATA / "yunxi-2024.txt"
    out = tmp_path / "draft"
    r = CliRunner().invoke(main, ["ingest", str(report), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["context.yaml", "document.yaml", "figures.yaml", "projects.yaml"]
    figures = (out / "figures.yaml").read_text(encoding="utf-8")
    assert "draft: draft" in figures and "rule:" in figures and "confidence:" in figures and "review:" in figures
    built = tmp_path / "built.ttl"
    r = CliRunner().invoke(main, ["build", "--data-dir", str(out), "--source", str(report), "--output", str(built)])
    assert r.exit_code == 0, r.output
    g = Graph().parse(built)
    assert len(list(g.subjects(LZ.draftStatus, Literal("draft")))) > 30
    assert (None, LZ.valueStatus, LZ.Estimate) not in g  # the county text has no 预计
    figures_read, _ = read_graph(g)
    assert {f.year for f in figures_read} == {2023, 2024}


def test_out_folder_that_holds_a_document_is_refused_and_kept(tmp_path: Path) -> None:
    report = DATA / "yunxi-2024.txt"
    out = tmp_path / "draft"
    out.mkdir()
    (out / "figures.yaml").write_text("records: []\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["ingest", str(report), "--out", str(out)])
    assert r.exit_code == 1
    assert r.output.startswith("error: --out ") and "already holds a document" in r.output
    assert (out / "figures.yaml").read_text(encoding="utf-8") == "records: []\n"
    r = CliRunner().invoke(main, ["ingest", str(report), "--out", str(out), "--force"])
    assert r.exit_code == 0
    assert "draft: draft" in (out / "figures.yaml").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["draft"]  # no temporary folder left behind


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"\x00\x01\x02binary\x00" * 20, "binary file"),
        ("地区生产总值增长5%".encode("gb18030"), "not UTF-8 text"),
    ],
)
def test_bad_input_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    out = tmp_path / "draft"
    r = CliRunner().invoke(
        main, ["ingest", str(path), "--out", str(out), "--format", "turtle", "-o", str(tmp_path / "d.ttl")]
    )
    assert r.exit_code == 1
    assert r.output.count("\n") == 1 and r.output.startswith(f"error: {path}: ") and message in r.output
    assert not out.exists() and not (tmp_path / "d.ttl").exists()


def test_a_file_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    r = CliRunner().invoke(main, ["ingest", str(path)])
    assert r.exit_code == 1 and "50 MB is too large" in r.output


def test_missing_file_and_bad_gold(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["ingest", str(tmp_path / "none.txt")])
    assert r.exit_code == 1 and r.output.startswith("error: ") and "cannot read" in r.output
    gold = tmp_path / "gold.json"
    gold.write_text("{not json", encoding="utf-8")
    r = CliRunner().invoke(main, ["ingest", str(DATA / "yunxi-2024.txt"), "--evaluate", str(gold)])
    assert r.exit_code == 1 and "not a JSON gold file" in r.output
    gold.write_text('{"figures": [{"start": 1}]}', encoding="utf-8")
    r = CliRunner().invoke(main, ["evaluate", str(DATA / "yunxi-2024.txt"), str(gold)])
    assert r.exit_code == 1 and "figure 0: needs" in r.output


def test_a_text_with_no_figures_warns_and_writes_an_empty_draft(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("各位代表:现在,我代表区人民政府向大会报告工作,请予审议。\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["ingest", str(path), "-o", str(tmp_path / "d.ttl")])
    assert r.exit_code == 0
    assert "warning: " in r.output and "no figures found" in r.output
    assert "qb:Observation" not in (tmp_path / "d.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_never_crash(tmp_path: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    path = tmp_path / "noise.txt"
    chars = "0123456789.%亿元万个第名位余多以上左右约突破增长预计计划力争一二三“”《》\n ,;。、(一)"
    path.write_text("".join(rng.choice(chars) for _ in range(3000)), encoding="utf-8")
    r = CliRunner().invoke(main, ["ingest", str(path), "-o", str(tmp_path / "d.ttl"), "--year", "2024"])
    assert r.exit_code == 0, r.output
    Graph().parse(tmp_path / "d.ttl")


def test_vague_amounts_and_size_classes_are_not_figures() -> None:
    assert find_figures("争取数十亿元资金,培育百亿级产业集群,打造上百万千瓦级基地") == []


def test_rank_lists_and_repeated_fenbie_lists() -> None:
    text = (
        "一、2023年工作回顾\n完成固定资产投资312亿元,总量和增速分别居全市第3位、第1位。"
        "城乡居民人均可支配收入分别达到42350元、21860元,分别增长5.1%和7.3%。"
    )
    got = [i for *_x, i in fields_of(text, 2024)]
    assert got == [
        "固定资产投资",
        "固定资产投资总量排名",
        "固定资产投资增速排名",
        "城镇居民人均可支配收入",
        "农村居民人均可支配收入",
        "城镇居民人均可支配收入增长",
        "农村居民人均可支配收入增长",
    ]


def test_a_figure_without_words_of_its_own_takes_the_subject_before() -> None:
    text = "一、2023年工作回顾\n新建改造城市道路18条、42公里。一般公共预算收入完成28.6亿元,同口径增长6.2%。"
    got = [i for *_x, i in fields_of(text, 2024)]
    assert got == ["新建改造城市道路", "新建改造城市道路", "一般公共预算收入", "一般公共预算收入增长"]


def test_a_text_that_names_no_year(tmp_path: Path) -> None:
    path = tmp_path / "noyear.txt"
    path.write_text(
        "1月18日,河西县第十七届人民代表大会第四次会议开幕。过去一年,全县地区生产总值增长6.5%。\n", encoding="utf-8"
    )
    r = CliRunner().invoke(main, ["ingest", str(path), "-o", str(tmp_path / "d.ttl")])
    assert r.exit_code == 0 and "names no year" in r.output
    assert "refPeriod" not in (tmp_path / "d.ttl").read_text(encoding="utf-8")
    r = CliRunner().invoke(main, ["ingest", str(path), "--out", str(tmp_path / "draft")])
    assert r.exit_code == 1 and "pass --year" in r.output and not (tmp_path / "draft").exists()
    r = CliRunner().invoke(main, ["ingest", str(path), "--out", str(tmp_path / "draft"), "--year", "2024"])
    assert r.exit_code == 0, r.output
    assert "year: 2023" in (tmp_path / "draft" / "figures.yaml").read_text(encoding="utf-8")


def test_large_scaled_units_and_a_verb_alone() -> None:
    text = (
        "一、2024年工作回顾\n全省地区生产总值达到5.32万亿元、增长5.1%;高新技术企业突破3.5万家,新增学位15万个。"
        "粮食总产量1132.4亿斤,连续10年稳定在1100亿斤以上。"
    )
    got = [(w, v, u, i) for w, v, u, _y, _s, _m, i in fields_of(text, 2025)]
    assert got == [
        ("5.32万亿元", "5.32", "万亿元", "地区生产总值"),
        ("5.1%", "5.1", "%", "地区生产总值增长"),
        ("突破3.5万家", "3.5", "万家", "高新技术企业"),
        ("15万个", "15", "万个", "新增学位"),
        ("1132.4亿斤", "1132.4", "亿斤", "粮食总产量"),
        ("1100亿斤以上", "1100", "亿斤", "粮食总产量"),
    ]


def test_durations_page_counters_and_page_chrome_are_not_figures() -> None:
    assert [(f.value_text, f.unit.printed) for f in find_figures("提前3个月完成,浏览次数:1234次\n新建学校3所")] == [
        ("3", "所")
    ]
    m = normalize_text(
        "<html><body><nav>首页 访问 100次</nav><p>地区生产总值增长5%。</p><footer>电话 1234</footer></body></html>"
    )
    assert m.text.strip() == "地区生产总值增长5%。"


def test_bodies_by_suffix() -> None:
    d = draft_of("河口经济开发区管委会、县人民法院参加。", 2024)
    got = {(e.label, e.type) for e in d.entities}
    assert {("河口经济开发区管委会", "government"), ("县人民法院", "government"), ("河口经济开发区", "park")} <= got


def test_a_part_after_the_plans_is_about_the_year_ahead() -> None:
    text = (
        "——2025年2月20日在某区第十九届人民代表大会第四次会议上\n一、过去一年工作回顾\n全区民生支出45亿元。\n"
        "二、2025年重点工作\n新建公园8处。\n三、加强政府自身建设\n压减一般性支出10%以上。\n"
    )
    assert [(w, y, s) for w, _v, _u, y, s, _m, _i in fields_of(text)] == [
        ("45亿元", 2024, "actual"),
        ("8处", 2025, "target"),
        ("10%以上", 2025, "target"),
    ]


def test_the_same_report_as_an_html_page_and_in_traditional_characters(tmp_path: Path) -> None:
    text = (DATA / "yunxi-2024.txt").read_text(encoding="utf-8")
    gold = load_gold(DATA / "yunxi-2024.json")
    trad = text.translate(
        str.maketrans("产业经济区县总计划实现预计资项农电网点户", "產業經濟區縣總計劃實現預計資項農電網點戶")
    )
    trad = trad.replace("386.2", "３８６．２")
    page = "<!DOCTYPE html><html><head><title>t</title></head><body><nav>首页 访问 12次</nav>"
    page += "".join(f"<p>{line}</p>\n" for line in text.split("\n")) + "<footer>电话 1234</footer></body></html>"
    for name, content in (("trad.txt", trad), ("page.html", page)):
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        draft = draft_report(read_report(path), source_name=name)
        if name == "trad.txt":  # the offsets are the same, so the gold of the simplified text scores it
            result = score_draft(draft, gold)
            assert result.fact_f1 == 1.0 and result.entity_recall == 1.0, result.report()
        assert len(draft.figures) == len(gold["figures"])
        out = tmp_path / f"draft-{name}"
        r = CliRunner().invoke(main, ["ingest", str(path), "--out", str(out)])
        assert r.exit_code == 0, r.output
        r = CliRunner().invoke(main, ["build", "--data-dir", str(out), "--source", str(path)])
        assert r.exit_code == 0, r.output


def test_more_names_by_suffix_and_fixed_names() -> None:
    d = draft_of("据新华社报道,王建国同志指出,要建成青州机场、黄河大桥,推动济青高速公路建设,打造云门山景区。", 2024)
    got = {(e.label, e.type) for e in d.entities}
    assert {
        ("新华社", "media"),
        ("王建国", "person"),
        ("青州机场", "facility"),
        ("黄河大桥", "facility"),
        ("济青高速公路", "road"),
        ("云门山景区", "facility"),
    } <= got
