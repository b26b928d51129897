"""The checks on the real corpus (../shared/corpus, gold figures written as
--data documents by tests/corpusdoc.py): no false alarm, the GDP relations
found by name, and the issue's comparison of a district's target with its
province's (临淄 5.5%以上 against 山东 5%以上)."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpusdoc import DOCUMENTS, corpus_document

from kg.checks import check

#: Corpus texts that the shipped data holds as documents of its own.
AUTHORED = {"02-zibo-2023", "05-shandong-2023-qdwb"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from kg.graph.store import load_graph

    out = tmp_path_factory.mktemp("corpus")
    # Zibo and Shandong are documents of the shipped data now; the others come from their gold files.
    docs = [corpus_document(name, out) for name in DOCUMENTS if name not in AUTHORED]
    kg = load_graph(extra=[ttl for _, ttl in docs], store=None)
    return kg, [text for text, _ in docs]


def test_no_false_alarm_in_any_corpus_document(corpus) -> None:  # type: ignore[no-untyped-def]
    kg, texts = corpus
    report = check(kg, texts=texts)
    for area, _ in DOCUMENTS.values():
        alarms = [f for f in report.alarms if f.figures[0].area == area]
        assert alarms == [], [(f.rule.id, f.explanation) for f in alarms]
    # Linzi keeps its one true alarm.
    assert [f.rule.id for f in report.alarms] == ["industrial-output-growth"]


def test_growth_found_by_name_with_the_implied_previous_level(corpus) -> None:  # type: ignore[no-untyped-def]
    kg, texts = corpus
    report = check(kg, texts=texts)
    found: dict[str, list] = {}  # type: ignore[type-arg]
    for f in report.findings:
        if f.rule.id == "growth-by-name":
            found.setdefault(f.figures[0].area, []).append(f)
    zibo = next(
        f for f in found[DOCUMENTS["02-zibo-2023"][0]] if {c.figure.wording for c in f.cited} == {"4500亿元", "4%以上"}
    )
    assert "4326.9" in zibo.explanation and "2021" in zibo.explanation
    assert all(c.figure.spans[0].sentence for c in zibo.cited)
    assert DOCUMENTS["06-hanbin-2025"][0] in found


def test_linzi_sets_a_higher_gdp_target_than_shandong(corpus) -> None:  # type: ignore[no-untyped-def]
    from kg.checks.compare import comparison, level_pairs

    kg, _ = corpus
    points = {(p.area_label, p.wording) for p in comparison(kg, "地区生产总值增长率") if p.status == "target"}
    assert {("山东省", "5%以上"), ("临淄区", "5.5%以上")} <= points
    pairs = [p for p in level_pairs(kg) if p.indicator_label == "地区生产总值增长率" and p.upper_label == "山东省"]
    assert [(p.lower_label, p.compared) for p in pairs] == [("临淄区", "higher")]


def test_the_corpus_script_writes_files(tmp_path: Path) -> None:
    from corpusdoc import main

    assert main(["corpusdoc.py", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.ttl")) == sorted(f"{n}.ttl" for n in DOCUMENTS)
