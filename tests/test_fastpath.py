"""Prepared ``GET /sparql`` requests (kg.web.fastpath): the second identical
request skips parsing and the guard, and answers as the first did, safety
headers, time limit and errors included; the worker's own JSON writer keeps
the row cap exact."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from kg.graph.store import load_graph
from kg.sparql.guard import CheckCache, Refused, check_query
from kg.web.fastpath import Prepared
from kg.web.sandbox import QueryPool
from kg.web.server import Settings, create_app

ENTERPRISES = "SELECT ?e WHERE { ?e a lz:Enterprise } ORDER BY ?e"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(load_graph(), settings=Settings(timeout=2.0, row_limit=50, workers=2))
    with TestClient(app) as c:
        yield c


def _site(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app.state.site  # type: ignore[attr-defined]


def test_the_second_request_is_prepared_and_answers_the_same(client: TestClient) -> None:
    site = _site(client)
    first = client.get("/sparql", params={"query": ENTERPRISES, "format": "json"})
    assert len(site.prepared) >= 1
    second = client.get("/sparql", params={"query": ENTERPRISES, "format": "json"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    rows = list(ox.parse_query_results(second.content, ox.QueryResultsFormat.JSON))
    assert len(rows) == 9  # 8 in Linzi's article, 1 in Zibo's report
    for name in ("content-type", "x-linzi-truncated", "x-linzi-row-limit", "content-security-policy"):
        assert first.headers[name] == second.headers[name], name
    assert second.headers["x-content-type-options"] == "nosniff"
    assert second.headers["referrer-policy"] == "no-referrer"


def test_what_is_not_a_plain_json_get_is_not_prepared(client: TestClient) -> None:
    site = _site(client)
    before = len(site.prepared)
    query = "SELECT ?c WHERE { ?c a lz:Challenge }"
    assert client.get("/sparql", params={"query": query, "format": "csv"}).status_code == 200
    assert client.post("/sparql", data={"query": query}).status_code == 200
    for _ in range(2):
        r = client.get("/sparql", params={"query": query, "default-graph-uri": "http://127.0.0.1:9/g"})
        assert r.status_code == 400 and "default-graph-uri is not allowed" in r.text
    assert len(site.prepared) == before


def test_a_prepared_query_still_has_the_time_limit(client: TestClient) -> None:
    for _ in range(2):  # the second one goes through kg.web.fastpath, if the first was prepared
        r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
        assert r.status_code == 200
    site = _site(client)
    key = (urllib.parse.urlencode({"query": SLOW}).encode(), b"*/*")
    site.prepared.add(key, site.guard.text(SLOW))  # as if it had once been fast
    r = client.get("/sparql?" + key[0].decode(), headers={"accept": "*/*"})
    assert r.status_code == 503 and "time limit of 2 s" in r.text
    assert r.headers["retry-after"] == "5" and r.headers["content-type"].startswith("text/plain")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/sparql", params={"query": ENTERPRISES}).status_code == 200


def test_row_cap_through_the_workers_writer(client: TestClient) -> None:
    """50 rows fit, 51 are cut to 50 and flagged, whichever path answers."""
    for n, truncated in ((50, "false"), (51, "true")):
        query = f"SELECT ?i WHERE {{ {_values(n)} }}"
        for _ in range(2):
            r = client.get("/sparql", params={"query": query})
            assert r.headers["x-linzi-truncated"] == truncated
            assert len(r.json()["results"]["bindings"]) == 50


def test_values_that_look_like_row_breaks_are_still_counted_right(client: TestClient) -> None:
    text = "},{" * 40  # the writer's row separator, inside a value: the bound only gets looser
    r = client.get("/sparql", params={"query": f'SELECT ?x WHERE {{ BIND("{text}" AS ?x) }}'})
    assert r.headers["x-linzi-truncated"] == "false"
    assert r.json()["results"]["bindings"] == [{"x": {"type": "literal", "value": text}}]


def _values(n: int) -> str:
    return "VALUES ?i { " + " ".join(str(i) for i in range(n)) + " }"


def test_json_from_the_worker_is_what_the_cell_path_writes(tmp_path: Path) -> None:
    """Both paths of one pool, on terms of every kind: the same JSON document."""
    data = tmp_path / "g.nt"
    data.write_text(
        '<urn:a> <urn:p> "x"@zh .\n<urn:a> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        '_:b <urn:p> "plain \\"quoted\\"\\n" .\n',
        encoding="utf-8",
    )
    from kg.sparql.results import json_results

    async def both() -> tuple[bytes, str]:
        pool = QueryPool(str(data), workers=1, timeout=10)
        await pool.start()
        try:
            query = "SELECT ?s ?o ?none WHERE { ?s <urn:p> ?o OPTIONAL { ?s <urn:q> ?none } } ORDER BY ?o"
            written = await pool.run(query, answer_format="json")
            cells = await pool.run(query)
            assert written.kind == "json" and written.body is not None and cells.kind == "select"
            return written.body, json_results(cells.variables, cells.rows)
        finally:
            await pool.close()

    # In a thread of its own: a browser test may have left an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        body, text = thread.submit(asyncio.run, both()).result()
    ours, theirs = json.loads(body), json.loads(text)
    # Blank node labels are the engine's own, the same in both answers.
    assert ours == theirs


def test_check_cache_answers_as_check_query_and_stays_bounded() -> None:
    cache = CheckCache({"lz": "https://w3id.org/linzi-kg/ontology#"}, max_chars=8_000)
    query = "SELECT ?e WHERE { ?e a lz:Enterprise }"
    assert cache.text(query) == check_query(query, cache.prefixes).text
    assert cache.text(query) == check_query(query, cache.prefixes).text
    for i in range(200):
        cache.text(f"SELECT ?e{i} WHERE {{ ?e{i} a lz:Enterprise }}")
    assert sum(len(k) + len(v) for k, v in cache._texts.items()) <= 8_000
    with pytest.raises(Refused, match="SERVICE"):
        cache.text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(Refused, match="SERVICE"):  # refusals are not kept: refused again
        cache.text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    large = "ASK {} #" + "x" * 2_000
    assert cache.text(large) == "ASK {}"
    assert large not in cache._texts  # larger than an eighth of the budget: not kept


def test_prepared_requests_stay_bounded() -> None:
    prepared = Prepared(max_chars=1_000)
    for i in range(100):
        prepared.add((f"query={i:050d}".encode(), b"*/*"), f"ASK {{ }} # {i}")
    assert sum(len(q) + len(a) + len(t) for (q, a), t in prepared._texts.items()) <= 1_000
    assert prepared.get((f"query={99:050d}".encode(), b"*/*")) == "ASK { } # 99"
    assert prepared.get((f"query={0:050d}".encode(), b"*/*")) is None
    prepared.add((b"query=" + b"x" * 500, b""), "ASK {}")  # larger than an eighth: not kept
    assert prepared.get((b"query=" + b"x" * 500, b"")) is None
