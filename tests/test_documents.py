"""Documents as data: the corpus layout, the documents command, and a new
document added with no code (text + records in a data directory) showing up
everywhere a document does: build, validate, documents, named queries, the
explorer's home, its page and its entities' pages."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.documents.records import load_corpus
from kg.errors import DataError
from kg.resources import data_dir

# An invented text (not from any report): a county, its GDP growth, a project.
TINY_TEXT = "样例县2024年政府工作报告\n\n2023年，样例县地区生产总值增长6.1%。今年建成样例大桥。\n"


def _span(text: str, wording: str) -> list[int]:
    start = text.index(wording)
    return [start, start + len(wording)]


def write_tiny(root: Path, sources: Path) -> Path:
    """A corpus copy with one more document, and its text in ``sources``."""
    shutil.copytree(data_dir(), root)
    sources.mkdir(exist_ok=True)
    text_file = sources / "tiny.txt"
    text_file.write_text(TINY_TEXT, encoding="utf-8")
    sha = hashlib.sha256(text_file.read_bytes()).hexdigest()
    folder = root / "tiny-2024"
    folder.mkdir()
    t = TINY_TEXT
    (folder / "document.yaml").write_text(
        f"""document:
  id: tiny-2024
  title: {{zh: 样例县2024年政府工作报告, en: Sample County 2024 work report}}
  kind: work-report
  area: sample-county
  level: county
  reportYear: 2024
source:
  file: tiny.txt
  sha256: {sha}
  characters: {len(t)}
  textOf: tiny-report
""",
        encoding="utf-8",
    )
    (folder / "records.yaml").write_text(
        f"""records:
  - id: tiny-report
    type: WorkReport
    zh: 样例县2024年政府工作报告
    en: Sample County 2024 work report
    spans: [{_span(t, "样例县2024年政府工作报告")}]
  - id: sample-county
    type: AdministrativeDivision
    zh: 样例县
    en: Sample County
    spans: [{_span(t, "样例县")}]
  - id: sample-bridge
    type: Facility
    zh: 样例大桥
    en: Sample Bridge
    spans: [{_span(t, "样例大桥")}]
    within: {{to: sample-county, editorial: "the text names no place of the bridge"}}
  - mention: gdp-growth
    term: 地区生产总值增长
    spans: [{_span(t, "地区生产总值增长")}]
  - id: 2023-gdp-growth
    type: Observation
    indicator: gdp-growth
    year: 2023
    status: actual
    value: 6.1
    unit: "%"
    wording: 6.1%
    spans: [{_span(t, "地区生产总值增长6.1%")}]
""",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    root, sources = tmp_path / "data", tmp_path / "texts"
    write_tiny(root, sources)
    return root, sources


def test_shipped_corpus_has_shared_places_and_linzi() -> None:
    corpus = load_corpus()
    assert "linzi-2023" in corpus.documents
    assert {"shandong", "zibo", "linzi"} <= set(corpus.shared)
    linzi = corpus.documents["linzi-2023"]
    assert linzi.document is not None and linzi.document.level == "district"
    assert linzi.entities["linzi"].shared and linzi.entities["linzi"].mentioned


def test_new_document_is_built_validated_and_listed(tiny: tuple[Path, Path]) -> None:
    root, sources = tiny
    runner = CliRunner()
    args = ["--data-dir", str(root), "--sources", str(sources)]
    built = runner.invoke(main, ["build", *args])
    assert built.exit_code == 0, built.output
    assert "tiny-2024: spans checked against" in built.output
    listed = runner.invoke(main, ["documents", "--data-dir", str(root), "--json"])
    assert listed.exit_code == 0, listed.output
    rows = {r["id"]: r for r in json.loads(listed.output)}
    assert rows["tiny-2024"]["level"] == "county"
    assert rows["tiny-2024"]["counts"]["figures"] == 1
    only = runner.invoke(main, ["stats", "--json", "--document", "tiny-2024", *args])
    assert only.exit_code == 0, only.output


def test_new_document_is_queried_by_name(tiny: tuple[Path, Path]) -> None:
    root, sources = tiny
    runner = CliRunner()
    args = ["--data-dir", str(root), "--sources", str(sources), "--format", "json"]
    across = runner.invoke(main, ["query", "compare-areas", "--param", "indicator=地区生产总值增长率", *args])
    assert across.exit_code == 0, across.output
    areas = {b["area"]["value"].rsplit("/", 1)[-1] for b in json.loads(across.output)["results"]["bindings"]}
    assert {"sample-county", "linzi"} <= areas
    where = runner.invoke(
        main, ["query", "provenance", "--param", "entity=样例大桥", "--param", "report=tiny-2024", *args]
    )
    assert where.exit_code == 0, where.output
    (row,) = json.loads(where.output)["results"]["bindings"]
    assert "样例大桥" in row["sentence"]["value"]


def test_new_document_in_the_explorer(tiny: tuple[Path, Path]) -> None:
    import asyncio

    from kg.graph.store import load_graph
    from kg.web.server import create_app

    root, sources = tiny
    app = create_app(load_graph(data_dir=root, source=[sources]))

    async def pages() -> tuple[str, str, str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            home = (await client.get("/")).text
            article = await client.get("/article/tiny-2024")
            assert article.status_code == 200
            entity = (await client.get("/id/place/sample-bridge", headers={"accept": "text/html"})).text
            return home, article.text, entity

    home, article, entity = asyncio.run(pages())
    assert "/article/tiny-2024" in home and "样例县2024年政府工作报告" in home
    assert "样例大桥" in article
    assert "/article/tiny-2024?mark=" in entity


def test_entity_named_by_two_documents_must_be_shared(tiny: tuple[Path, Path]) -> None:
    root, _ = tiny
    records = root / "tiny-2024" / "records.yaml"
    text = records.read_text(encoding="utf-8").replace("  - id: sample-bridge\n", "  - id: juheshun\n")
    records.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"records\.yaml:\d+: record 'juheshun': field 'id': also defined by document"):
        load_corpus(root)


def test_mention_of_an_unknown_shared_entity(tiny: tuple[Path, Path]) -> None:
    root, _ = tiny
    records = root / "tiny-2024" / "records.yaml"
    records.write_text(records.read_text(encoding="utf-8").replace("mention: gdp-growth", "mention: gdp-grwth"))
    with pytest.raises(DataError, match=r"no shared entity 'gdp-grwth' in shared/ \(did you mean gdp-growth\?\)"):
        load_corpus(root)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  level: county\n", "  level: galaxy\n", r"field 'level': must be one of national, province"),
        ("  id: tiny-2024\n", "  id: enterprise\n", r"field 'id': must be a lower-case slug"),
        (
            "  area: sample-county\n",
            "  area: sample-bridge\n",
            r"field 'level': 'county', but the area 'sample-bridge' is a Facility",
        ),
        ("  reportYear: 2024\n", "  reportYear: soon\n", r"field 'reportYear': must be a year"),
        ("  kind: work-report\n", "  kind: poem\n", r"field 'kind': must be one of work-report"),
    ],
)
def test_bad_document_metadata_is_named(tiny: tuple[Path, Path], old: str, new: str, message: str) -> None:
    root, _ = tiny
    doc = root / "tiny-2024" / "document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(DataError, match=r"document\.yaml:\d+: record 'document': " + message):
        load_corpus(root)


def test_shared_entity_may_not_have_spans(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(data_dir(), root)
    places = root / "shared" / "places.yaml"
    text = places.read_text(encoding="utf-8").replace(
        "    en: Linzi District\n", "    en: Linzi District\n    spans: [[1, 2]]\n"
    )
    places.write_text(text, encoding="utf-8")
    with pytest.raises(
        DataError, match=r"places\.yaml:\d+: record 'linzi': field 'spans': a shared entity has no spans"
    ):
        load_corpus(root)


def test_text_not_found_names_the_search_path(tiny: tuple[Path, Path]) -> None:
    root, _ = tiny
    result = CliRunner().invoke(main, ["build", "--data-dir", str(root)])
    assert result.exit_code != 0
    assert "source text tiny.txt" in result.output and "--sources DIR" in result.output


def test_a_yaml_file_outside_every_document_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(data_dir(), root)
    (root / "extra.yaml").write_text("records: []\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"extra\.yaml: a data file at the top of the data directory belongs to no"):
        load_corpus(root)


@pytest.mark.parametrize("doc", ["no-such-doc", "x" * 5000, "../linzi-2023", "<script>"])
def test_unknown_document_is_one_error_line(doc: str) -> None:
    result = CliRunner().invoke(main, ["stats", "--document", doc])
    assert result.exit_code == 2  # a bad option
    assert (
        result.output.startswith("error: no document")
        and "documents: linzi-2023, shandong-2023, zibo-2023" in result.output
    )


@pytest.mark.parametrize("report", ["no-such-doc", "<urn:x>", "x" * 3000, "linzi-2023/text"])
def test_unknown_report_parameter_is_refused(report: str) -> None:
    result = CliRunner().invoke(main, ["query", "targets-2023", "--no-store", "-p", f"report={report}"])
    assert result.exit_code == 2 and "error: no document" in result.output and "Traceback" not in result.output


def test_a_fifo_or_a_directory_among_the_sources_is_passed_over(tiny: tuple[Path, Path]) -> None:
    import os

    root, sources = tiny
    os.mkfifo(sources / "blocking.txt")  # read, it would block forever
    (sources / "dir.txt").mkdir()
    result = CliRunner().invoke(main, ["build", "--data-dir", str(root), "--sources", str(sources)])
    assert result.exit_code == 0, result.output


def test_a_document_file_that_is_not_a_file(tiny: tuple[Path, Path]) -> None:
    import os

    root, _ = tiny
    os.mkfifo(root / "tiny-2024" / "fifo.yaml")
    with pytest.raises(DataError, match=r"fifo\.yaml: not a regular file"):
        load_corpus(root)
