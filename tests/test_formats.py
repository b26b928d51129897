"""Every client and format: ``linzi-kg serve`` answers SPARQLWrapper in each
of its return formats, rdflib's SPARQLStore and curl; CONSTRUCT, DESCRIBE
and entity pages come in RDF/XML, Turtle, N-Triples, N3 and JSON-LD; what
it cannot serve gets 406 naming what it can."""

from __future__ import annotations

import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from rdflib import Graph

from kg.bench.servers import linzi_server
from kg.core.formats import Kind, NotAcceptable, negotiate

CONSTRUCT = "CONSTRUCT { ?e a lz:Enterprise ; rdfs:label ?l } WHERE { ?e a lz:Enterprise ; rdfs:label ?l }"
PREFIXES = "PREFIX lz: <https://w3id.org/linzi-kg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
ENTITY = "/id/enterprise/juheshun"


def test_negotiation_table() -> None:
    assert negotiate(kind=Kind.GRAPH, accept="application/rdf+xml").name == "xml"
    assert negotiate(kind=Kind.GRAPH, accept="text/n3").name == "n3"
    assert negotiate(kind=Kind.GRAPH, accept="application/sparql-results+xml, application/rdf+xml").name == "xml"
    assert negotiate(kind=Kind.GRAPH, format_values=["json-ld", "application/ld+json"]).name == "jsonld"
    assert negotiate(kind=Kind.GRAPH, format_values=["xml"]).name == "xml"
    assert negotiate(kind=Kind.RESULTS, format_values=["tsv", "text/tab-separated-values"]).name == "tsv"
    assert negotiate(kind=Kind.RESULTS, accept="text/csv;q=0.5, application/sparql-results+xml").name == "xml"
    assert negotiate(kind=Kind.GRAPH, accept=None).name == "turtle"
    with pytest.raises(NotAcceptable, match=r"offered: .*application/rdf\+xml"):
        negotiate(kind=Kind.GRAPH, accept="image/png")
    with pytest.raises(NotAcceptable, match="format='yaml'"):
        negotiate(kind=Kind.RESULTS, format_values=["yaml"])


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with linzi_server(["--timeout", "5", "--workers", "1"], timeout=60) as (url, _proc):
        yield url


pytestmark = pytest.mark.server


def _wrapper(base: str, query: str, fmt: str, method: str = "GET"):  # type: ignore[no-untyped-def]
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery(PREFIXES + query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client.query()


@pytest.mark.parametrize("fmt", ["xml", "rdf+xml", "turtle", "n3", "json-ld", "json"])
@pytest.mark.parametrize("form", ["construct", "describe"])
def test_sparqlwrapper_graphs_in_every_return_format(base: str, fmt: str, form: str) -> None:
    query = CONSTRUCT if form == "construct" else f"DESCRIBE <https://w3id.org/linzi-kg{ENTITY}>"
    for method in ("GET", "POST"):
        result = _wrapper(base, query, fmt, method)
        media = result.response.headers["Content-Type"].split(";")[0]
        converted = result.convert()
        graph = converted if isinstance(converted, Graph) else None
        if graph is None:
            text = converted if isinstance(converted, (bytes, str)) else None
            assert text is not None, type(converted)
            parser = {"text/turtle": "turtle", "text/n3": "n3", "application/ld+json": "json-ld"}[media]
            graph = Graph().parse(data=text, format=parser)
        assert len(graph) > 5, (fmt, method, media)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_results_in_every_return_format(base: str, fmt: str) -> None:
    result = _wrapper(base, "SELECT ?e WHERE { ?e a lz:Enterprise }", fmt, "POST")
    converted = result.convert()
    if fmt == "json":
        assert len(converted["results"]["bindings"]) > 5
    elif fmt == "xml":
        assert len(converted.getElementsByTagName("result")) > 5
    else:
        assert len(converted.strip().splitlines()) > 5


def test_rdflib_sparqlstore(base: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{base}/sparql")
    graph = Graph(store=store)
    rows = list(graph.query(PREFIXES + "SELECT ?e WHERE { ?e a lz:Enterprise }"))
    assert len(rows) > 5
    built = graph.query(PREFIXES + CONSTRUCT)
    assert len(built.graph) > 5  # type: ignore[arg-type]
    assert graph.query(PREFIXES + "ASK { ?e a lz:Enterprise }").askAnswer is True


def _get(url: str, accept: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


GRAPH_TYPES = {
    "application/rdf+xml": "xml",
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "text/n3": "n3",
    "application/ld+json": "json-ld",
}


@pytest.mark.parametrize("media", list(GRAPH_TYPES))
def test_curl_constructs_and_entity_pages_in_every_rdf_format(base: str, media: str) -> None:
    query = urllib.parse.quote(PREFIXES + CONSTRUCT)
    for url in (f"{base}/sparql?query={query}", f"{base}{ENTITY}"):
        out = subprocess.run(
            ["curl", "-s", "-H", f"Accept: {media}", "-w", "\\n%{http_code} %{content_type}", url],
            capture_output=True,
            timeout=60,
            check=True,
        ).stdout
        body, _, tail = out.rpartition(b"\n")
        status, content_type = tail.decode().split(" ", 1)
        assert status == "200" and content_type.startswith(media), (url, tail)
        assert len(Graph().parse(data=body, format=GRAPH_TYPES[media])) > 3, url


@pytest.mark.parametrize("value", ["xml", "rdf", "n3", "nt", "ttl", "jsonld"])
def test_format_parameter_on_entity_pages(base: str, value: str) -> None:
    status, content_type, body = _get(f"{base}{ENTITY}?format={value}", "text/html")
    assert status == 200, body
    assert not content_type.startswith("text/html")


def test_406_names_what_can_be_served(base: str) -> None:
    query = urllib.parse.quote(PREFIXES + CONSTRUCT)
    status, _, body = _get(f"{base}/sparql?query={query}", "image/png")
    assert status == 406
    assert b"application/rdf+xml" in body and b"text/turtle" in body and b"text/n3" in body
    status, _, body = _get(f"{base}/sparql?query={urllib.parse.quote('ASK {}')}", "application/rdf+xml")
    assert status == 406 and b"application/sparql-results+json" in body
    status, _, body = _get(f"{base}{ENTITY}", "image/png")
    assert status == 406 and b"text/html" in body
