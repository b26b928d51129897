"""The hand-authored corpus documents (kg/data/zibo-2023, kg/data/shandong-2023)
against the corpus's gold files (../shared/corpus/NN-name.json, read at run
time): every gold figure is an observation with the gold's value, a span
containing the gold mention's first code point, and the gold's unit, year,
status, comparator and modality, of an indicator whose label satisfies the
gold's keywords; every gold entity has a record.

The gold format and its scoring rules are in ../shared/corpus/README.md.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kg.documents.records import Corpus, Dataset, Entity, Observation, load_corpus
from kg.rdf.pipeline import build

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
#: Document id in kg/data -> gold file stem in ../shared/corpus.
DOCUMENTS = {"zibo-2023": "02-zibo-2023", "shandong-2023": "05-shandong-2023-qdwb"}
#: Gold units (as printed) whose project unit has another name.
UNITS = {"名": "位", "": "位"}


def _gold(doc_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / f"{DOCUMENTS[doc_id]}.json").read_text(encoding="utf-8"))
    return data


def _cases(key: str) -> list[Any]:
    return [
        pytest.param(doc_id, item, id=f"{doc_id}:{item.get('start')}:{item.get('mention', item.get('name'))}")
        for doc_id in DOCUMENTS
        for item in _gold(doc_id)[key]
    ]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def _names(entity: Entity) -> tuple[str, ...]:
    return (entity.zh, entity.term, *entity.aliases)


def _keywords_met(entity: Entity, groups: list[list[str]]) -> bool:
    """Whether one of the indicator's names contains an alternative of every keyword group."""
    return any(all(any(word in name for word in group) for group in groups) for name in _names(entity))


def _differences(data: Dataset, obs: Observation, fig: dict[str, Any]) -> list[str]:
    """What ``obs`` gets wrong about the gold figure ``fig`` (empty: right)."""
    out = []
    unit = UNITS.get(fig["unit"], fig["unit"])
    if obs.unit != unit:
        out.append(f"unit {obs.unit!r} != {unit!r}")
    if not fig.get("ambiguous"):
        if obs.year != fig["year"]:
            out.append(f"year {obs.year} != {fig['year']}")
        statuses = [fig["status"], *fig.get("status_alt", [])]
        if obs.status not in statuses:
            out.append(f"status {obs.status!r} not in {statuses}")
    if obs.comparator != fig["comparator"]:
        out.append(f"comparator {obs.comparator!r} != {fig['comparator']!r}")
    if not fig.get("modality_unscored") and obs.modality != fig["modality"]:
        out.append(f"modality {obs.modality!r} != {fig['modality']!r}")
    indicator = data.entities[obs.indicator]
    if not _keywords_met(indicator, fig["indicator_keywords"]):
        out.append(f"indicator {indicator.id} ({' / '.join(_names(indicator))}) lacks {fig['indicator_keywords']}")
    return out


@pytest.mark.parametrize(("doc_id", "fig"), _cases("figures"))
def test_every_gold_figure_is_an_observation(corpus: Corpus, doc_id: str, fig: dict[str, Any]) -> None:
    data = corpus.document(doc_id)
    found = [
        obs
        for obs in data.observations.values()
        if obs.value == Decimal(fig["value"]) and any(s <= fig["start"] < e for s, e in obs.spans)
    ]
    assert found, f"no observation of {fig['value']} with a span containing {fig['start']} ({fig['mention']})"
    diffs = {obs.id: _differences(data, obs, fig) for obs in found}
    assert any(not d for d in diffs.values()), diffs


@pytest.mark.parametrize(("doc_id", "ent"), _cases("entities"))
def test_every_gold_entity_has_a_record(corpus: Corpus, doc_id: str, ent: dict[str, Any]) -> None:
    data = corpus.document(doc_id)
    names = {ent["name"], *ent.get("aliases", [])}
    span = (ent["start"], ent["end"])
    matches = [e.id for e in data.own_entities() if names & set(_names(e)) or span in e.spans]
    assert matches, f"no record named {ent['name']!r} or with the span {list(span)}"


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_document_metadata_is_the_catalogues(corpus: Corpus, doc_id: str) -> None:
    gold, doc = _gold(doc_id), corpus.document(doc_id).document
    assert doc is not None
    assert (doc.title["zh"], doc.address, doc.level, doc.report_year) == (
        gold["title"],
        gold["address"],
        gold["level"],
        gold["report_year"],
    )


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_each_document_builds_alone(doc_id: str) -> None:
    # Spans resolved against the document's own text (found by digest), SHACL run.
    result = build(document=doc_id)
    assert len(result.graph) > 0


def test_one_indicator_across_the_three_levels(corpus: Corpus) -> None:
    # The cross-level question of issue 11: 山东's growth target beside 临淄's,
    # and 淄博's 2022 estimate, all figures of the one shared indicator.
    by_doc = {
        doc_id: [
            (o.year, o.status, o.comparator, o.value) for o in data.observations.values() if o.indicator == "gdp-growth"
        ]
        for doc_id, data in corpus.documents.items()
    }
    assert "gdp-growth" in corpus.shared
    assert by_doc["shandong-2023"] == [(2023, "target", ">=", Decimal(5))]
    assert by_doc["linzi-2023"] == [(2023, "target", ">=", Decimal("5.5"))]
    assert by_doc["zibo-2023"] == [(2022, "estimate", ">=", Decimal(4))]
