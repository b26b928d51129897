"""Every span in the built graph resolves against the article and names its fact.

This reads the spans back from the RDF (not from the YAML), so it checks
what users get: for every node with prov:wasDerivedFrom, the text of each
span, found by its TextPositionSelector offsets into the source text whose
SHA-256 the graph records, contains the node's key wording.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg.core import model
from kg.core.namespaces import ID, LZ, OA, PROV, SKOS
from kg.documents.spans import SourceText, locate, normalize, read_source, says
from kg.documents.texts import SEED_FILE_NAME as SOURCE_FILE_NAME
from kg.documents.texts import find_source
from kg.errors import SourceTextError
from kg.rdf.pipeline import BuildResult

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / SOURCE_FILE_NAME


def span_texts(graph: Graph, texts_by_doc: dict[str, SourceText], node: URIRef) -> list[str]:
    """The normalized text of each span of ``node``, read from the span's own document's text."""
    texts = []
    for span in graph.objects(node, PROV.wasDerivedFrom):
        source = texts_by_doc[str(span)[len(str(ID)) :].split("/", 1)[0]]
        selector = graph.value(span, OA.hasSelector)
        start = int(graph.value(selector, OA.start))
        end = int(graph.value(selector, OA.end))
        assert 0 <= start < end <= len(source.text), (node, start, end)
        texts.append(normalize(source.text[start:end]))
    return texts


@pytest.fixture(scope="module")
def texts(built: BuildResult) -> dict[str, SourceText]:
    return built.texts


def wordings(graph: Graph, node: URIRef) -> set[str]:
    return {normalize(str(x)) for p in (LZ.sourceTerm, SKOS.altLabel) for x in graph.objects(node, p)}


#: The cue words of the ontology concepts a link may point to (stages, modalities).
CUES = {c.iri: set(c.cues) for table in model.CONCEPTS.values() for c in table.values()}


def end_wordings(graph: Graph, node: URIRef) -> set[str]:
    """What names one end of a relation: an entity's names, a figure's wording, a concept's cues."""
    if node in CUES:
        return CUES[node]
    return wordings(graph, node) | {str(w) for w in graph.objects(node, LZ.originalWording)}


def test_source_is_the_seed_by_digest(graph: Graph, source: SourceText) -> None:
    text_node = ID["linzi-2023/text"]
    digest = str(graph.value(text_node, LZ.sha256))
    assert digest == hashlib.sha256(SEED.read_bytes()).hexdigest() == source.sha256
    assert int(graph.value(text_node, LZ.characterCount)) == len(SEED.read_text(encoding="utf-8"))


def test_every_entity_span_names_the_entity(graph: Graph, texts: dict[str, SourceText]) -> None:
    entities = set(graph.subjects(LZ.sourceTerm, None))
    assert len(entities) > 150
    for node in entities:
        found = span_texts(graph, texts, node)
        assert found, f"{node} has no span"
        names = wordings(graph, node)
        for text in found:
            assert says(text, tuple(names)), f"{node}: span {text!r} names none of {names}"


def test_every_figure_span_contains_its_wording(graph: Graph, texts: dict[str, SourceText]) -> None:
    figures = set(graph.subjects(RDF.type, URIRef("http://purl.org/linked-data/cube#Observation")))
    assert len(figures) >= 28
    for node in figures:
        wording = normalize(str(graph.value(node, LZ.originalWording)))
        found = span_texts(graph, texts, node)
        assert found and all(wording in t for t in found), (node, wording, found)


def test_every_stated_relation_span_names_both_ends(graph: Graph, texts: dict[str, SourceText]) -> None:
    # Each span on its own: two spans that each name one end do not state a relation.
    stated = [s for s in graph.subjects(RDF.type, RDF.Statement) if (s, RDF.type, LZ.EditorialStatement) not in graph]
    assert len(stated) > 200
    # The work a text is a copy of (the article, or the report itself) contains every span.
    wholes = set(graph.objects(None, LZ.textOf))
    for stmt in stated:
        found = span_texts(graph, texts, stmt)
        assert found, f"{stmt} has no span"
        subject, obj = graph.value(stmt, RDF.subject), graph.value(stmt, RDF.object)
        ends = [obj] if subject in wholes else [subject, obj]
        for text in found:
            for end in ends:
                assert says(text, tuple(end_wordings(graph, end))), f"{stmt}: span {text!r} does not name {end}"


def test_editorial_links_are_marked_and_have_no_article_span(graph: Graph) -> None:
    editorial = set(graph.subjects(RDF.type, LZ.EditorialStatement))
    assert editorial
    for stmt in editorial:
        classification = (stmt, RDF.type, LZ.EditorialClassification) in graph
        assert classification == (graph.value(stmt, RDF.predicate) == LZ.classifiedUnder)
        # Any other editorial link says why.
        assert classification or graph.value(stmt, RDFS.comment) is not None
        assert graph.value(stmt, PROV.wasDerivedFrom) is None
        assert graph.value(stmt, PROV.wasAttributedTo) is not None


def test_every_classification_is_reified_as_editorial(graph: Graph) -> None:
    for s, o in graph.subject_objects(LZ.classifiedUnder):
        stmts = set(graph.subjects(RDF.subject, s)) & set(graph.subjects(RDF.object, o))
        assert any((st, RDF.type, LZ.EditorialClassification) in graph for st in stmts), (s, o)


def test_locate_spans_across_line_breaks() -> None:
    text = "聚焦5条新兴产业链,全力保障大数据\n\n产业园、齐鲁氢能产业园"
    ((start, end),) = locate(text, "大数据产业园")
    assert text[start:end] == "大数据\n\n产业园"
    assert locate(text, "不存在") == []
    assert locate(text, "  ") == []


def test_sentence_around_a_span(source: SourceText) -> None:
    ((start, end),) = locate(source.text, "聚合顺50万吨尼龙新材料")
    sentence = source.sentence(start, end)
    assert "聚合顺50万吨尼龙新材料" in sentence and sentence.endswith(";")


def test_wrong_source_file_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "article.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("2778", "2788"), encoding="utf-8")
    with pytest.raises(SourceTextError, match=r"SHA-256 is .* but the spans were written against"):
        read_source(other)


def test_missing_source_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceTextError, match=r"source text not found: .*nope.txt"):
        find_source(tmp_path / "nope.txt")


def test_source_found_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "seed.txt"
    copy.write_bytes(SEED.read_bytes())
    monkeypatch.setenv("LINZI_KG_SOURCE", str(copy))
    monkeypatch.chdir(tmp_path)
    assert find_source() == copy


def test_binary_garbage_as_source_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SourceTextError, match=r"SHA-256"):
        read_source(junk)
