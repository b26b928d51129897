"""Other stores: push the graph through the Graph Store HTTP Protocol, and send
queries to any SPARQL 1.1 query endpoint.

``PUT`` replaces the target graph (the default graph, or ``?graph=IRI``), so
pushing twice leaves one copy, never two. A push is a success only when the
store says so with a Graph Store answer (2xx, not an HTML page) and, where a
query endpoint can be found, holds as many triples as were sent. Every
exchange has one overall deadline and a bound on the answer's size
(:mod:`kg.sparql.httpclient`); credentials are never printed.
"""

from __future__ import annotations

import os
import re
import tempfile
import urllib.parse
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import EndpointError, UsageError
from kg.sparql.httpclient import DEFAULT_MAX_BYTES, Answer, AuthScheme, Credentials, Deadline, Session, failure

__all__ = ["AuthScheme", "Credentials", "PushReport", "check_url", "credentials_from", "push", "query_endpoint_for"]

USER_ENV = "LINZI_KG_USER"
PASSWORD_ENV = "LINZI_KG_PASSWORD"  # noqa: S105 - the name of a variable, not a secret


def credentials_from(user: str | None, password: str | None, scheme: AuthScheme | None = None) -> Credentials | None:
    """Credentials from options, else from $LINZI_KG_USER / $LINZI_KG_PASSWORD, else None.

    ``scheme`` None answers whichever of Basic and Digest the store asks for.
    """
    user = user if user is not None else os.environ.get(USER_ENV)
    password = password if password is not None else os.environ.get(PASSWORD_ENV)
    if user is None:
        if password is not None:
            raise UsageError(f"a password was given without a user (--user or ${USER_ENV})")
        return None
    return Credentials(user, password or "", scheme)


def check_url(url: str, option: str) -> None:
    """Raise UsageError unless ``url`` is an http(s) URL with a host."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option} {url!r}: expected an http:// or https:// URL")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise UsageError(f"{option} {url!r}: the port is not a number") from None


# Where each store's SPARQL query service sits beside its Graph Store one.
_QUERY_BESIDE = (
    (re.compile(r"/sparql-graph-crud(-auth)?$"), "/sparql"),  # Virtuoso
    (re.compile(r"/store$"), "/query"),  # Oxigraph server
    (re.compile(r"/rdf-graphs/service$"), ""),  # GraphDB, RDF4J
    (re.compile(r"/data$"), "/sparql"),  # Apache Jena Fuseki
)


def query_endpoint_for(store: str) -> str | None:
    """The SPARQL query URL beside a known store's Graph Store URL, else None.

    >>> query_endpoint_for("http://127.0.0.1:8890/sparql-graph-crud-auth")
    'http://127.0.0.1:8890/sparql'
    >>> query_endpoint_for("http://127.0.0.1:7878/store")
    'http://127.0.0.1:7878/query'
    """
    parts = urllib.parse.urlsplit(store)
    for pattern, replacement in _QUERY_BESIDE:
        if pattern.search(parts.path):
            return urllib.parse.urlunsplit(parts._replace(path=pattern.sub(replacement, parts.path), query=""))
    return None


@dataclass(frozen=True)
class PushReport:
    url: str
    triples: int
    status: int
    counted: int | None = None  # triples the store holds afterwards, when it could be asked
    not_counted: str = ""  # why it could not be asked


def push(
    graph: Graph | ox.Store,
    endpoint: str,
    *,
    graph_iri: str | None = None,
    credentials: Credentials | None = None,
    timeout: float = 300.0,
    query_endpoint: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PushReport:
    """Replace the store's default graph (or ``graph_iri``) with ``graph``.

    ``endpoint`` is the store's Graph Store Protocol URL, such as
    ``http://127.0.0.1:7878/store`` for Oxigraph or ``.../sparql-graph-crud-auth``
    for Virtuoso. A pyoxigraph store (the default graph) is streamed from a
    temporary N-Triples file, so millions of triples never sit in memory as
    one body. ``timeout`` bounds the whole push, count included. The triples
    are counted afterwards on ``query_endpoint`` (by default the query URL
    beside a known store's, see :func:`query_endpoint_for`).
    """
    check_url(endpoint, "--endpoint")
    if graph_iri is not None:
        parts = urllib.parse.urlsplit(graph_iri)
        if not parts.scheme or any(c in graph_iri for c in ' <>"{}|\\^`') or not graph_iri.isprintable():
            raise UsageError(f"--graph {graph_iri!r}: expected an absolute IRI")
    path = urllib.parse.urlsplit(endpoint).path.rstrip("/")
    if path.endswith(("/sparql", "/query")):
        # Virtuoso's /sparql never answers a PUT; no query endpoint stores one.
        raise UsageError(
            f"--endpoint {endpoint!r} is a SPARQL query endpoint; push needs the store's Graph Store "
            "Protocol URL (Oxigraph .../store, Virtuoso .../sparql-graph-crud-auth, Fuseki .../DATASET/data)"
        )
    if query_endpoint is not None:
        check_url(query_endpoint, "--query-endpoint")
    query = urllib.parse.urlencode({"graph": graph_iri}) if graph_iri else "default"
    url = endpoint + ("&" if "?" in endpoint else "?") + query
    deadline = Deadline(timeout)
    session = Session(endpoint, credentials, deadline, max_bytes)
    with tempfile.TemporaryFile() as body:
        if isinstance(graph, ox.Store):
            # The default graph only: a prepared store's named graphs repeat parts of it.
            graph.dump(body, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            triples = sum(1 for _ in graph.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        else:
            graph.serialize(destination=body, format="nt", encoding="utf-8")
            triples = len(graph)
        # Learn the challenge with an empty request, so the body goes out once.
        session.learn(url)
        answer = session.request("PUT", url, body=body, headers={"Content-Type": "application/n-triples"})
    _check_acknowledged(session, answer, graph_iri)
    counter = query_endpoint or query_endpoint_for(endpoint)
    if counter is None:
        return PushReport(url, triples, answer.status, not_counted="no query endpoint known for this store")
    try:
        held = _count(counter, graph_iri, credentials, deadline)
    except EndpointError as exc:
        if query_endpoint is not None:
            raise
        return PushReport(url, triples, answer.status, not_counted=str(exc))
    # A default graph may be the union of all graphs (it holds more); a
    # named graph holds exactly what was sent.
    if held < triples or (graph_iri is not None and held != triples):
        where = f"graph <{graph_iri}>" if graph_iri else "the default graph"
        raise EndpointError(
            f"{endpoint}: HTTP {answer.status}, but {counter} counts {held:,} triples in {where}, "
            f"not the {triples:,} sent"
        )
    return PushReport(url, triples, answer.status, counted=held)


def _check_acknowledged(session: Session, answer: Answer, graph_iri: str | None) -> None:
    if answer.status not in (200, 201, 204):
        hint = ""
        if answer.status == 500 and graph_iri is None:
            hint = "stores such as Virtuoso have no default graph to replace: give --graph IRI"
        raise failure(session, answer, hint)
    if answer.media_type in ("text/html", "application/xhtml+xml") and answer.body.strip():
        # Virtuoso answers a PUT without ?graph= with 200 and its HTML form.
        raise EndpointError(
            f"{session.label}: HTTP {answer.status} with an HTML page, not a Graph Store Protocol answer "
            "(is this the store's Graph Store URL?): nothing was stored"
        )


def _count(endpoint: str, graph_iri: str | None, credentials: Credentials | None, deadline: Deadline) -> int:
    import json

    pattern = f"GRAPH <{graph_iri}> {{ ?s ?p ?o }}" if graph_iri else "?s ?p ?o"
    answer = post_query(
        endpoint,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}",
        accept=JSON_RESULTS,
        credentials=credentials,
        deadline=deadline,
    )
    try:
        return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError, TypeError):
        raise EndpointError(f"{endpoint}: the count is not a SPARQL JSON result") from None


JSON_RESULTS = "application/sparql-results+json"


def post_query(
    endpoint: str,
    text: str,
    *,
    accept: str,
    credentials: Credentials | None = None,
    deadline: Deadline,
    default_graph: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Answer:
    """POST ``text`` to a SPARQL 1.1 query endpoint; the 2xx answer, else EndpointError."""
    check_url(endpoint, "--endpoint")
    form = {"query": text}
    if default_graph is not None:
        form["default-graph-uri"] = default_graph
    session = Session(endpoint, credentials, deadline, max_bytes)
    answer = session.request(
        "POST",
        endpoint,
        body=urllib.parse.urlencode(form).encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
    )
    if not 200 <= answer.status < 300:
        raise failure(session, answer)
    return answer
