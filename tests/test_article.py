"""The annotated article (kg/article.py, kg/article_page.py): the text as
published, every span of the graph highlighted and linked, marks from links."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from rdflib import URIRef
from starlette.testclient import TestClient

from kg.core.namespaces import ID, OA
from kg.graph.article import Fact, Kind, annotate, documents, facts_of, parse_mark
from kg.graph.store import load_graph
from kg.web.server import create_app

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(load_graph())) as c:
        yield c


def _plain(html: str) -> str:
    body = html.split('id="article"', 1)[1]
    body = re.sub(r'<details class="states".*?</details>', "", body, flags=re.S)
    return re.sub(r"<[^>]+>", "", body)


LINZI_TEXT = ID["linzi-2023/text"]


def test_every_span_of_the_graph_is_a_fact(graph, source) -> None:  # type: ignore[no-untyped-def]
    assert LINZI_TEXT in documents(graph) and len(documents(graph)) >= 3
    facts = facts_of(graph, LINZI_TEXT, label=str, href=lambda n: None)
    spans = {
        (int(graph.value(s, OA.start)), int(graph.value(s, OA.end)))
        for s in graph.subjects(OA.start, None)
        if str(s).startswith(str(ID["linzi-2023/"]))
    }
    assert {(f.start, f.end) for f in facts} == spans
    assert {f.kind for f in facts} == set(Kind)


def test_annotate_keeps_the_text_and_drops_only_markers(graph, source) -> None:  # type: ignore[no-untyped-def]
    facts = facts_of(graph, LINZI_TEXT, label=str, href=lambda n: None)
    paragraphs = annotate(source.text, facts)
    shown = "".join(s.text for p in paragraphs for s in p.segments)
    expected = "".join(line for line in source.text.replace("**", "").split("\n") if line.strip())
    assert shown == expected
    # Every fact is listed under the paragraph its span starts in, and covered by some segment.
    listed = {f.node for p in paragraphs for f in p.facts}
    assert listed == {f.node for f in facts}
    assert any(s.bold for p in paragraphs for s in p.segments)


def test_overlaps_link_the_most_specific_fact() -> None:
    text = "甲乙丙丁"
    rel = Fact(0, 4, URIRef("x:r"), Kind.RELATION, "甲", "/id/a", "p → 丁")
    ent = Fact(1, 3, URIRef("x:b"), Kind.ENTITY, "乙丙", "/id/b")
    [p] = annotate(text, [rel, ent], mark=(2, 4))
    assert [(s.text, s.fact.node if s.fact else None, s.marked) for s in p.segments] == [
        ("甲", URIRef("x:r"), False),
        ("乙", URIRef("x:b"), False),
        ("丙", URIRef("x:b"), True),
        ("丁", URIRef("x:r"), True),
    ]
    assert [s.anchor for s in p.segments] == [None, None, "mark", None]


@pytest.mark.parametrize("bad", ["", "x", "5-5", "9-2", "-1-3", "1-99999", "1-2-3", "１-２", "1" * 20 + "-2"])
def test_bad_marks_are_ignored(bad: str) -> None:
    assert parse_mark(bad, 100) is None


def test_page_shows_the_text_with_emphasis_rendered(client: TestClient, source) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/article")
    assert r.status_code == 200
    assert "**" not in _plain(r.text)
    assert "<strong>" in r.text
    assert 'class="f-figure"' in r.text and 'class="f-entity"' in r.text
    assert 'id="mark"' not in r.text
    # The name at a known span is linked to its entity page.
    assert re.search(r'<a class="f-entity" href="/id/person/[^"]+" title="蔡华刚">蔡华刚</a>', r.text)


def test_mark_from_an_entity_page(client: TestClient, source) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/id/project/juheshun-nylon", headers=HTML).text
    href = re.search(r'href="(/article/[^"]+mark=1720-1732#mark)"', page)
    assert href, "the entity page links its span into the article"
    marked = client.get(href[1].replace("&amp;", "&")).text
    inside = re.findall(r"<mark[^>]*>(.*?)</mark>", marked)
    assert re.sub(r"<[^>]+>", "", "".join(inside)) == source.span(1720, 1732)
    assert marked.count('id="mark"') == 1


def test_article_entity_page_offers_the_text(client: TestClient) -> None:
    page = client.get("/id/linzi-2023/text", headers=HTML).text
    assert 'href="/article/linzi-2023"' in page
    assert 'href="/article/linzi-2023"' in client.get("/").text


@pytest.mark.parametrize("path", ["/article/nothing", "/article/%3Cb%3E", "/article/..%2f..%2fetc"])
def test_unknown_documents_are_404(client: TestClient, path: str) -> None:
    r = client.get(path, headers={"accept": "text/html"})
    assert r.status_code == 404
    assert "<b>" not in r.text


def test_hostile_mark_is_harmless(client: TestClient) -> None:
    r = client.get("/article", params={"mark": "<script>1-2"})
    assert r.status_code == 200 and "<script>" not in r.text
