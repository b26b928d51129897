"""Browsing without dead ends and search that finds text (kg/browse.py,
kg/browse_pages.py, kg/textsearch.py), in-process through the ASGI app."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from rdflib import URIRef
from starlette.testclient import TestClient

from kg.core.namespaces import ID, LZ

HTML = {"accept": "text/html", "cookie": "lang=zh"}


@pytest.fixture(scope="module")
def client(kgraph) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    from kg.web.server import Settings, create_app

    with TestClient(create_app(kgraph, settings=Settings(workers=1))) as c:
        yield c


def test_home_counts_link_to_class_lists(client: TestClient, kgraph) -> None:  # type: ignore[no-untyped-def]
    from kg.graph.stats import graph_stats

    home = client.get("/", headers=HTML).text
    stats = graph_stats(kgraph.asserted, kgraph.ontology)
    listed = [c for c in stats.classes if c.curie.startswith(("lz:", "schema:", "org:", "qb:"))]
    for c in listed:
        href = f"/class/{c.curie.replace(':', '%3A')}"
        assert f'href="{href}"' in home, c.curie
        page = client.get(href.replace("%3A", ":"), headers=HTML)
        assert page.status_code == 200, c.curie
        rows = re.search(r'<table class="results" id="members">.*?<tbody>(.*?)</tbody>', page.text, re.S)
        assert rows is not None and rows.group(1).count("<tr>") == c.count, c.curie
    enterprises = client.get("/class/lz:Enterprise", headers=HTML).text
    assert 'href="/id/enterprise/juheshun"' in enterprises and "聚合顺" in enterprises


@pytest.mark.parametrize("bad", ["lz:NoSuchClass", "nope:Thing", "lz:", "javascript:alert(1)", "%00", "x" * 300])
def test_unknown_classes_are_404_or_400(client: TestClient, bad: str) -> None:
    r = client.get(f"/class/{bad}", headers=HTML)
    assert r.status_code in (400, 404) and "<script" not in r.text


def test_indicator_page_lists_figures_by_year_and_status_with_a_chart(client: TestClient) -> None:
    page = client.get("/id/indicator/industrial-output", headers=HTML).text
    table = re.search(r'id="indicator-figures">(.*?)</table>', page, re.S)
    assert table is not None
    rows = re.findall(r"<tr><td>(\d{4})</td><td>(.*?)</td><td><a href=\"([^\"]+)\">(.*?)</a>", table.group(1))
    assert [(y, s, w) for y, s, _h, w in rows] == [("2022", "实际", "2778亿元"), ("2023", "目标", "突破3000亿元")]
    chart = re.search(r'<figure class="chart small" id="indicator-chart">(.*?)</figure>', page, re.S)
    assert chart is not None and chart.group(1).startswith("<svg") and "<title" in chart.group(1)
    assert "2778亿元" in chart.group(1) and "<script" not in chart.group(1)


def test_figure_page_shows_its_counterparts(client: TestClient) -> None:
    page = client.get("/id/linzi-2023/observation/2023-industrial-output", headers=HTML).text
    table = re.search(r'id="counterpart-figures">(.*?)</table>', page, re.S)
    assert table is not None
    body = table.group(1)
    # The 2022 actual beside this 2023 target, and the growth rate of the same level.
    assert 'href="/id/linzi-2023/observation/2022-industrial-output">2778亿元</a>' in body
    assert 'class="this"' in body and "突破3000亿元" in body
    assert 'href="/id/linzi-2023/observation/2023-industrial-output-growth"' in body
    # A growth figure shows the level it grows from.
    growth = client.get("/id/linzi-2023/observation/2023-industrial-output-growth", headers=HTML).text
    assert "增长所依据的水平" in growth and "2778亿元" in growth


def test_counterparts_in_the_library(graph) -> None:  # type: ignore[no-untyped-def]
    from kg.web.browse import counterparts

    figure = ID["linzi-2023/observation/2023-industrial-output"]
    found = counterparts(graph, figure)
    mine = [c for c in found if c.this]
    assert len(mine) == 1 and mine[0].row.figure == figure
    same = [(c.row.year, c.row.status) for c in found if c.relation == "same"]
    assert same == [(2022, LZ.Actual), (2023, LZ.Target)]


def test_forms_suggest_names_as_you_type(client: TestClient) -> None:
    page = client.get("/queries/enterprise-projects", headers=HTML).text
    assert 'list="entity-names"' in page
    options = re.search(r'<datalist id="entity-names">(.*?)</datalist>', page, re.S)
    assert options is not None and '<option value="聚合顺" label="企业">' in options.group(1)
    report = client.get("/queries/targets-2023", headers=HTML).text
    assert 'list="document-ids"' in report and '<option value="linzi-2023"' in report
    en = client.get("/queries/enterprise-projects", headers={"cookie": "lang=en"}).text
    assert '<option value="Juheshun"' in en


def test_ambiguous_name_offers_the_candidates_as_links(client: TestClient) -> None:
    r = client.get("/queries/enterprise-projects", params={"enterprise": "石化"}, headers=HTML)
    assert r.status_code == 400
    links = re.findall(r'<li><a href="(/queries/enterprise-projects\?[^"]+)">(.*?)</a>', r.text)
    labels = [label for _href, label in links]
    assert "齐鲁石化" in labels and "鑫泰石化" in labels
    href = dict((label, h) for h, label in links)["齐鲁石化"].replace("&amp;", "&")
    chosen = client.get(href, headers=HTML)
    assert chosen.status_code == 200 and "齐鲁石化100万吨乙烯项目" in chosen.text
    # A name that finds nothing offers the close ones.
    missing = client.get("/queries/enterprise-projects", params={"enterprise": "聚合顺公司"}, headers=HTML)
    assert missing.status_code == 404 and "没有名为“聚合顺公司”的实体" in missing.text
    assert re.search(r'<li><a href="/queries/enterprise-projects\?enterprise=[^"]+">聚合顺</a>', missing.text)
    # The network view does the same for its focus.
    graph = client.get("/graph", params={"focus": "石化"}, headers=HTML)
    assert graph.status_code == 400 and 'href="/graph?focus=https%3A%2F%2Fw3id.org' in graph.text


def test_search_finds_a_phrase_of_the_text_and_the_entities_stated_there(client: TestClient) -> None:
    page = client.get("/search", params={"q": "污水处理设施"}, headers=HTML).text
    passages = re.search(r'<ol class="passages" id="passages">(.*?)</ol>', page, re.S)
    assert passages is not None
    assert "<mark>污水处理设施</mark>" in passages.group(1)
    for name in ("齐鲁化工区北部污水处理厂", "方宇污水处理厂", "36个村生活污水治理"):
        assert name in passages.group(1), name
    mark = re.search(r'href="(/article/linzi-2023\?mark=(\d+)-(\d+)#mark)"', passages.group(1))
    assert mark is not None
    article = client.get(mark.group(1).replace("&amp;", "&"), headers=HTML).text
    assert re.search(r"<mark[^>]*>[^<]*污水处理设施", article) or "污水处理设施" in article
    hits = re.search(r'<ul class="links" id="hits">(.*?)</ul>', page, re.S)
    assert hits is not None and "方宇污水处理厂" in hits.group(1)
    assert 'id="facets"' in page and "污水处理项目 (4)" in page


def test_search_puts_exact_matches_first(client: TestClient) -> None:
    hits = client.get("/search", params={"q": "临淄区", "format": "json"}).json()
    assert hits[0]["label_zh"] == "临淄区" and hits[0]["match"] == "exact"
    order = [h["match"] for h in hits]
    assert order == sorted(order, key=["exact", "prefix", "part", "text"].index)
    en = client.get("/search", params={"q": "juheshun", "format": "json"}).json()
    assert en[0]["iri"].endswith("/enterprise/juheshun")


def test_search_by_class(client: TestClient) -> None:
    page = client.get("/search", params={"q": "临淄区", "class": "lz:Meeting"}, headers=HTML).text
    hits = re.search(r'<ul class="links" id="hits">(.*?)</ul>', page, re.S)
    assert hits is not None
    assert "会议" in page and "临淄区人民政府" not in hits.group(1)
    assert client.get("/search", params={"q": "x", "class": "bogus:Thing"}, headers=HTML).status_code == 400


@pytest.mark.parametrize("q", ["", " ", "*", "**", "\u3000", "<script>alert(1)</script>", "。", "a" * 200])
def test_search_odd_queries(client: TestClient, q: str) -> None:
    r = client.get("/search", params={"q": q}, headers=HTML)
    assert r.status_code == 200 and "<script>alert" not in r.text


def test_passages_keep_offsets_of_the_text_as_published(source) -> None:  # type: ignore[no-untyped-def]
    from kg.graph.textsearch import split_passages

    passages = split_passages(source.text)
    for p in passages:
        assert "**" not in p.text and "\n" not in p.text
        for i, char in enumerate(p.text):
            assert source.text[p.positions[i]] == char
    # A sentence broken across lines in the middle of a word is one passage.
    assert any("统筹布局全区污水处理设施" in p.text for p in passages)


def test_index_in_the_library(graph, source) -> None:  # type: ignore[no-untyped-def]
    from kg.graph.textsearch import SearchIndex

    index = SearchIndex(graph, text_of=lambda _doc: source.text)
    found = index.search("污水处理设施")
    assert found.passages and found.passages[0].passage.text.startswith("同时")
    start, end = found.passages[0].marked
    assert source.text[start:end] == "污水处理设施"
    stated = {n for n, _ in found.passages[0].stated}
    assert URIRef(ID["project/fangyu-sewage-plant"]) in stated or any("fangyu" in str(n) for n in stated)
