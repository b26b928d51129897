"""The HTTP app in-process (Starlette's TestClient, an ASGI transport): the
SPARQL 1.1 Protocol, the safety rules, the explorer pages."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from rdflib import Graph
from starlette.testclient import TestClient

from kg.graph.store import load_graph
from kg.web.server import Settings, create_app

HOSTILE = "<img src=x onerror=alert(1)>"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ENTERPRISES = "SELECT ?e WHERE { ?e a lz:Enterprise } ORDER BY ?e"
#: 8 enterprises in Linzi's article, 1 in Zibo's report, and the hostile one the fixture adds.
ENTERPRISE_ROWS = 10


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    extra = tmp_path_factory.mktemp("data") / "hostile.ttl"
    extra.write_text(
        "@prefix lz: <https://w3id.org/linzi-kg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f'<https://w3id.org/linzi-kg/id/enterprise/hostile> a lz:Enterprise ; rdfs:label "{HOSTILE}"@zh ;\n'
        f'  lz:sourceTerm "{HOSTILE}"@zh ; lz:carries <https://w3id.org/linzi-kg/id/project/juheshun-nylon> .\n',
        encoding="utf-8",
    )
    app = create_app(
        load_graph(extra=[extra]), settings=Settings(timeout=2.0, row_limit=50, workers=2, max_request_bytes=16 * 1024)
    )
    with TestClient(app) as c:
        yield c


def results(response, fmt):  # type: ignore[no-untyped-def]
    return list(ox.parse_query_results(response.content, fmt))


# -- protocol ---------------------------------------------------------------------


def test_get_json(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": ENTERPRISES})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert len(results(r, ox.QueryResultsFormat.JSON)) == ENTERPRISE_ROWS


def test_post_form_and_direct(client: TestClient) -> None:
    form = client.post("/sparql", data={"query": ENTERPRISES}, headers={"accept": "application/sparql-results+xml"})
    assert form.status_code == 200 and form.headers["content-type"].startswith("application/sparql-results+xml")
    assert len(results(form, ox.QueryResultsFormat.XML)) == ENTERPRISE_ROWS
    direct = client.post(
        "/sparql",
        content=ENTERPRISES.encode(),
        headers={"content-type": "application/sparql-query", "accept": "text/tab-separated-values"},
    )
    assert direct.status_code == 200 and len(results(direct, ox.QueryResultsFormat.TSV)) == ENTERPRISE_ROWS


@pytest.mark.parametrize(
    ("fmt", "media", "parse"),
    [
        ("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("csv", "text/csv", None),
    ],
)
def test_result_formats(client: TestClient, fmt: str, media: str, parse) -> None:  # type: ignore[no-untyped-def]
    by_param = client.get("/sparql", params={"query": ENTERPRISES, "format": fmt})
    by_accept = client.get("/sparql", params={"query": ENTERPRISES}, headers={"accept": media})
    assert by_param.content == by_accept.content
    assert by_param.headers["content-type"].startswith(media)
    if parse is not None:
        assert len(results(by_param, parse)) == ENTERPRISE_ROWS
    else:
        assert by_param.text.startswith("e\r\n")


def test_ask(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "ASK { ?x a lz:Challenge }"})
    assert r.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("fmt", "media", "rdf"),
    [
        ("turtle", "text/turtle", "turtle"),
        ("ntriples", "application/n-triples", "nt"),
        ("jsonld", "application/ld+json", "json-ld"),
    ],
)
def test_graph_formats(client: TestClient, fmt: str, media: str, rdf: str) -> None:
    q = "CONSTRUCT { ?e a lz:Enterprise } WHERE { ?e a lz:Enterprise }"
    r = client.get("/sparql", params={"query": q}, headers={"accept": media})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert len(Graph().parse(data=r.content, format=rdf)) == ENTERPRISE_ROWS


def test_not_acceptable(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": ENTERPRISES}, headers={"accept": "image/png"})
    assert r.status_code == 406
    assert client.get("/sparql", params={"query": ENTERPRISES, "format": "pdf"}).status_code == 406


# -- safety ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"params": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"params": {"query": "DELETE WHERE { ?s ?p ?o }"}},
        {"params": {"query": "LOAD <http://127.0.0.1:1/x>"}},
        {"method": "POST", "content": b"CLEAR ALL", "headers": {"content-type": "application/sparql-update"}},
        {"method": "POST", "data": {"update": "DROP ALL"}},
    ],
)
def test_updates_are_refused(client: TestClient, request_kwargs) -> None:  # type: ignore[no-untyped-def]
    kwargs = dict(request_kwargs)
    method = kwargs.pop("method", "GET")
    r = client.request(method, "/sparql", **kwargs)
    assert r.status_code == 403
    assert "read-only" in r.text
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is not allowed"),
        ("select * where { service silent <http://x/> { ?s ?p ?o } }", "SERVICE is not allowed"),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM and FROM NAMED are not allowed"),
        ("SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
        # Forms that parsers split into a keyword and more (found in review).
        ("PREFIX : <http://127.0.0.1:9/> SELECT * { SERVICE:x { ?s ?p ?o } }", "SERVICE is not allowed"),
        ("SELECT * { ?s ?p ?o.SERVICE:x { ?a ?b ?c } }", "SERVICE is not allowed"),
        ("SELECT * { SERVICESILENT <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE is not allowed"),
        ("SELECT * FROMNAMED <urn:g> { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM:g { ?s ?p ?o }", "FROM"),
        ("# comment\rSERVICE <http://127.0.0.1:9/> { }", "SERVICE is not allowed"),
        ("SELECT * {" + "{" * 1000 + "}" * 1000 + "}", "nests brackets"),
        # pyoxigraph applies \\u escapes inside IRIs and strings only; elsewhere they are syntax errors.
        ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "syntax error"),
        ("SELECT * \\U00000046ROM <http://127.0.0.1:9/> WHERE { ?s ?p ?o }", "syntax error"),
    ],
)
def test_service_and_from_are_refused(client: TestClient, query: str, reason: str) -> None:
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 400 and reason in r.text


def test_dataset_parameters_are_refused(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": ENTERPRISES, "default-graph-uri": "http://127.0.0.1:9/g"})
    assert r.status_code == 400 and "default-graph-uri is not allowed" in r.text


def test_malformed_query(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE {\n ?x ?y"})
    assert r.status_code == 400
    assert "SPARQL syntax error at line 2, column" in r.text
    assert client.get("/sparql").status_code == 400
    r = client.post("/sparql", content=b"\xff\xfe", headers={"content-type": "application/sparql-query"})
    assert r.status_code == 400
    assert client.post("/sparql", content=b"query=x", headers={"content-type": "text/plain"}).status_code == 400


def test_time_limit_stops_the_query_and_others_go_on(client: TestClient) -> None:
    answers: dict[str, float] = {}

    def slow() -> None:
        started = time.monotonic()
        r = client.get("/sparql", params={"query": SLOW})
        answers["slow_status"] = r.status_code
        answers["slow_text"] = r.text  # type: ignore[assignment]
        answers["slow_seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    fast = client.get("/sparql", params={"query": "ASK { ?x a lz:Challenge }"})
    answers["fast_seconds"] = time.monotonic() - started
    thread.join()
    assert fast.status_code == 200 and answers["fast_seconds"] < 1.0
    assert answers["slow_status"] == 503
    assert "time limit of 2 s" in str(answers["slow_text"])
    assert answers["slow_seconds"] < 6
    # The killed worker was replaced: the pool still answers.
    assert client.get("/sparql", params={"query": ENTERPRISES}).status_code == 200


def test_row_cap_is_flagged(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200
    assert r.headers["x-linzi-truncated"] == "true" and r.headers["x-linzi-row-limit"] == "50"
    assert len(r.json()["results"]["bindings"]) == 50
    small = client.get("/sparql", params={"query": ENTERPRISES})
    assert small.headers["x-linzi-truncated"] == "false"


def test_request_size_cap(client: TestClient) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 20_000
    assert client.post("/sparql", data={"query": big}).status_code == 413
    assert client.get("/sparql", params={"query": big}).status_code == 413


def test_cors_off_by_default(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": ENTERPRISES}, headers={"origin": "http://elsewhere.example"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_when_asked() -> None:
    app = create_app(load_graph(), settings=Settings(workers=1, cors_origins=("http://ok.example",)))
    with TestClient(app) as c:
        r = c.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "http://ok.example"})
        assert r.headers["access-control-allow-origin"] == "http://ok.example"


def test_security_headers(client: TestClient) -> None:
    r = client.get("/")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


# -- explorer ------------------------------------------------------------------------


def test_home(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    for text in ("临淄区政府工作报告", "qb:Observation", "/queries", "/graph", "000_4d8ee72d9e714460.txt"):
        assert text in r.text
    assert "<script" not in r.text


def test_query_page_with_shareable_url(client: TestClient) -> None:
    r = client.get("/query", params={"query": ENTERPRISES})
    assert r.status_code == 200
    assert 'id="results"' in r.text and "聚合顺" in r.text
    assert "/sparql?query=" in r.text and "format=csv" in r.text
    bad = client.get("/query", params={"query": "SELECT ?x WHERE {"})
    assert bad.status_code == 400 and "SPARQL syntax error" in bad.text


def test_named_query_page_and_urls(client: TestClient) -> None:
    r = client.get("/queries/enterprise-projects", params={"enterprise": "聚合顺"})
    assert r.status_code == 200 and "聚合顺50万吨尼龙新材料项目" in r.text
    as_json = client.get("/queries/enterprise-projects", params={"enterprise": "聚合顺", "format": "json"})
    rows = as_json.json()["results"]["bindings"]
    assert [row["project"]["value"].rsplit("/", 1)[-1] for row in rows] == ["juheshun-nylon"]
    csv = client.get("/queries/challenges", params={"format": "csv"})
    assert csv.text.splitlines()[0].endswith(",sentence")
    assert client.get("/queries/no-such-query").status_code == 404
    unknown = client.get(
        "/queries/enterprise-projects", params={"enterprise": "火星公司"}, headers={"accept": "text/html"}
    )
    assert unknown.status_code == 404 and "no entity is called" in unknown.text


def test_entity_page_and_content_negotiation(client: TestClient) -> None:
    html = client.get("/id/place/linzi", headers={"accept": "text/html"})
    assert html.status_code == 200
    assert "2778亿元" in html.text and "突破3000亿元" in html.text and 'id="figures"' in html.text
    assert "/graph?focus=" in html.text
    ttl = client.get("/id/place/linzi", headers={"accept": "text/turtle"})
    assert (
        ttl.headers["content-type"].startswith("text/turtle") and len(Graph().parse(data=ttl.text, format="turtle")) > 5
    )
    jsonld = client.get("/id/place/linzi", headers={"accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.content, format="json-ld")) > 5
    assert client.get("/id/place/nowhere").status_code == 404
    assert client.get("/id/project/ethylene-1mt", params={"format": "turtle"}).status_code == 200


def test_entity_page_shows_span_sentence(client: TestClient) -> None:
    r = client.get("/id/project/ethylene-1mt", headers={"accept": "text/html"})
    assert "[1691, 1702]" in r.text and "<blockquote" in r.text


def test_search_chinese_substring(client: TestClient) -> None:
    r = client.get("/search", params={"q": "石化"})
    assert "齐鲁石化" in r.text and "鑫泰石化" in r.text
    assert client.get("/search", params={"q": "x" * 500}).status_code == 400


def test_hostile_label_is_escaped_everywhere(client: TestClient) -> None:
    for path in ("/id/enterprise/hostile", "/search?q=img", "/id/project/juheshun-nylon"):
        r = client.get(path, headers={"accept": "text/html"})
        assert r.status_code == 200, path
        assert HOSTILE not in r.text and "&lt;img src=x onerror=alert(1)&gt;" in r.text
    graph = client.get("/graph", params={"focus": "聚合顺50万吨尼龙新材料项目"})
    assert graph.status_code == 200 and HOSTILE not in graph.text


def test_graph_page_focus(client: TestClient) -> None:
    r = client.get("/graph", params={"focus": "聚合顺", "depth": "1"})
    assert r.status_code == 200 and "vis.Network" in r.text
    assert client.get("/graph", params={"depth": "x"}).status_code == 400


def test_downloads(client: TestClient) -> None:
    r = client.get("/download/linzi.ttl")
    assert r.status_code == 200 and len(Graph().parse(data=r.text, format="turtle")) > 4000
    assert client.get("/download/linzi.exe").status_code == 404


def test_named_queries_pass_the_guard() -> None:
    from kg.sparql.guard import check_query
    from kg.sparql.queries import list_queries

    for q in list_queries():
        check_query(q.text)


def test_pathological_strings_are_cheap_to_check(client: TestClient) -> None:
    # Review found the old scanner took 33 s here: now one linear pass.
    r = client.post("/sparql", content=('"\\' * 6000).encode(), headers={"content-type": "application/sparql-query"})
    assert r.status_code == 400


def test_odd_inputs_give_4xx_not_500(client: TestClient) -> None:
    assert client.get("/graph", params={"depth": "²"}).status_code == 400
    triple = client.get("/sparql", params={"query": "SELECT (<<( <urn:a> <urn:b> <urn:c> )>> AS ?t) {}"})
    assert triple.status_code in (200, 400)
    answer = client.get("/sparql", params={"query": 'SELECT ("a\\u0001b" AS ?x) {}', "format": "xml"})
    assert answer.status_code == 200
    import xml.dom.minidom

    xml.dom.minidom.parseString(answer.content)  # noqa: S318 - our own output, checked to be well-formed


def test_search_json_iris(client: TestClient) -> None:
    hits = client.get("/search", params={"q": "聚合顺", "format": "json"}).json()
    assert "https://w3id.org/linzi-kg/id/enterprise/juheshun" in {h["iri"] for h in hits}


def test_entity_negotiation_respects_q_zero(client: TestClient) -> None:
    r = client.get("/id/place/linzi", headers={"accept": "text/html;q=0, text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle")
    assert client.get("/id/place/linzi", params={"format": "html"}).headers["content-type"].startswith("text/html")


def test_entity_page_marks_editorial_links(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/id/place/zibo", headers={"accept": "text/html"}).text
    link = page[page.index("/id/place/shandong") :]
    assert "editorial" in link[: link.index("</li>")]
