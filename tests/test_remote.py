"""Remote stores: push into a real Oxigraph server and query it through
SPARQLWrapper; the answers match the embedded ones. Failures are one line."""

from __future__ import annotations

import base64
import hashlib
import http.server
import re
import socket
import threading
import urllib.request
from collections.abc import Iterator
from typing import ClassVar

import pytest
from click.testing import CliRunner

from kg.bench.servers import free_port
from kg.cli import main
from kg.errors import EndpointError
from kg.graph.store import KnowledgeGraph
from kg.sparql.engines import run_query, run_remote
from kg.sparql.queries import bindings_for, list_queries
from kg.sparql.remote import AuthScheme, Credentials, push

pytestmark = pytest.mark.server


def count(base: str, graph: str | None = None) -> int:
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    result = run_remote(f"{base}/query", f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    return int(str(result.rows[0][0]))


@pytest.fixture(scope="module")
def pushed(oxigraph_server: str, kgraph: KnowledgeGraph) -> str:
    push(kgraph.full_graph(), f"{oxigraph_server}/store")
    return oxigraph_server


def test_push_replaces_instead_of_duplicating(pushed: str, kgraph: KnowledgeGraph) -> None:
    first = count(pushed)
    push(kgraph.full_graph(), f"{pushed}/store")
    assert count(pushed) == first == len(kgraph.full_graph())


def test_push_into_a_named_graph(pushed: str, kgraph: KnowledgeGraph) -> None:
    iri = "https://w3id.org/linzi-kg/graph/test"
    push(kgraph.asserted, f"{pushed}/store", graph_iri=iri)
    push(kgraph.asserted, f"{pushed}/store", graph_iri=iri)
    assert count(pushed, iri) == len(kgraph.asserted)
    assert count(pushed) == len(kgraph.full_graph())  # the default graph is untouched


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_named_query_answers_the_same_remotely(pushed: str, kgraph: KnowledgeGraph, query) -> None:  # type: ignore[no-untyped-def]
    bindings = bindings_for(query, {}, kgraph.asserted)
    embedded = run_query(kgraph, query.text, bindings)
    remote = run_remote(f"{pushed}/query", query.text, bindings)
    assert remote.variables == embedded.variables
    if "ORDER BY" in query.text:
        assert remote.comparable() == embedded.comparable()
    else:
        assert sorted(remote.comparable()) == sorted(embedded.comparable())


def test_cli_push_and_query(oxigraph_server: str) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["push", "--endpoint", f"{oxigraph_server}/store"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("pushed ") and "the default graph" in result.output
    result = runner.invoke(
        main,
        [
            "query",
            "enterprise-projects",
            "-p",
            "enterprise=聚合顺",
            "--endpoint",
            f"{oxigraph_server}/query",
            "-f",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "juheshun-nylon" in result.output


def test_unreachable_endpoint_is_one_line() -> None:
    port = free_port()  # nothing listens there
    result = CliRunner().invoke(main, ["query", "chains-456", "--endpoint", f"http://127.0.0.1:{port}/query"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"error: http://127.0.0.1:{port}/query: cannot connect")
    result = CliRunner().invoke(main, ["push", "--endpoint", f"http://127.0.0.1:{port}/store"])
    assert result.exit_code == 1 and "cannot connect" in result.output and "Traceback" not in result.output


def test_http_error_is_one_line(oxigraph_server: str) -> None:
    result = CliRunner().invoke(main, ["query", "chains-456", "--endpoint", f"{oxigraph_server}/nothing-here"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "error:" in result.output
    with pytest.raises(EndpointError, match="HTTP 4"):
        push(KnowledgeGraph.__new__(KnowledgeGraph).__class__ and _tiny_graph(), f"{oxigraph_server}/nothing-here")


def _tiny_graph():  # type: ignore[no-untyped-def]
    from rdflib import Graph, Literal, URIRef

    g = Graph()
    g.add((URIRef("urn:a"), URIRef("urn:b"), Literal("c")))
    return g


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never answers: a hung store."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    port = sock.getsockname()[1]
    try:
        yield port
    finally:
        sock.close()


def test_timeout_is_one_line(silent_server: int) -> None:
    url = f"http://127.0.0.1:{silent_server}/query"
    result = CliRunner().invoke(main, ["query", "chains-456", "--endpoint", url, "--timeout", "1"])
    assert result.exit_code == 1
    assert result.output == f"error: {url}: no complete answer within 1 s\n"
    with pytest.raises(EndpointError, match="no complete answer within 1 s"):
        push(_tiny_graph(), f"http://127.0.0.1:{silent_server}/store", timeout=1)


class _Hostile(http.server.BaseHTTPRequestHandler):
    """A store that misbehaves as ``mode`` says, whatever it is asked."""

    mode = "trickle"

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self) -> None:
        import time

        length = int(self.headers.get("Content-Length", "0") or 0)
        self.rfile.read(length)
        try:
            if self.mode == "trickle-head":  # one header byte at a time, never done
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                while True:
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.2)
            self.send_response(200)
            if self.mode == "html":
                body = b"<html><body><h1>Welcome</h1><form>...</form></body></html>"
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            while True:  # trickle: a byte every 0.2 s; endless: as fast as it goes
                self.wfile.write(b" " if self.mode == "trickle" else b" " * 65536)
                self.wfile.flush()
                if self.mode == "trickle":
                    time.sleep(0.2)
        except OSError:
            pass

    do_GET = do_POST = do_PUT = _answer


@pytest.fixture
def hostile(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("Handler", (_Hostile,), {"mode": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("hostile", ["trickle", "trickle-head"], indirect=True)
def test_a_trickling_store_is_cut_off_at_the_deadline(hostile: str) -> None:
    # Every byte arrives well within any socket timeout; only an overall deadline ends it.
    result = CliRunner().invoke(main, ["query", "chains-456", "--endpoint", f"{hostile}/query", "--timeout", "1"])
    assert result.output == f"error: {hostile}/query: no complete answer within 1 s\n"
    result = CliRunner().invoke(main, ["push", "--endpoint", f"{hostile}/store", "--timeout", "1"])
    assert result.output == f"error: {hostile}/store: no complete answer within 1 s\n"


@pytest.mark.parametrize("hostile", ["endless"], indirect=True)
def test_an_endless_answer_is_cut_off_at_the_size_bound(hostile: str) -> None:
    from kg.sparql.httpclient import Deadline
    from kg.sparql.remote import post_query

    with pytest.raises(EndpointError, match="larger than 1,000,000 bytes"):
        post_query(f"{hostile}/query", "ASK {}", accept="*/*", deadline=Deadline(30), max_bytes=1_000_000)


@pytest.mark.parametrize("hostile", ["html"], indirect=True)
def test_a_200_html_page_is_not_a_push(hostile: str) -> None:
    result = CliRunner().invoke(main, ["push", "--endpoint", f"{hostile}/store"])
    assert result.exit_code == 1
    assert "HTML page, not a Graph Store Protocol answer" in result.output and "nothing was stored" in result.output


def test_push_counts_on_the_query_endpoint(oxigraph_server: str) -> None:
    result = CliRunner().invoke(main, ["push", "--endpoint", f"{oxigraph_server}/store", "--asserted-only"])
    assert result.exit_code == 0, result.output
    assert "counted there" in result.output


def test_bad_endpoint_url() -> None:
    for url in ("ftp://example/store", "http:///store", "not a url"):
        result = CliRunner().invoke(main, ["push", "--endpoint", url])
        assert result.exit_code == 2, url
        assert "expected an http:// or https:// URL" in result.output
    result = CliRunner().invoke(main, ["query", "chains-456", "--endpoint", "http://127.0.0.1:notaport/query"])
    assert result.exit_code == 2 and "port is not a number" in result.output
    result = CliRunner().invoke(main, ["push", "--endpoint", "http://127.0.0.1:1/store", "--graph", "not an iri"])
    assert result.exit_code == 2 and "--graph" in result.output
    result = CliRunner().invoke(main, ["query", "chains-456", "--graph", "urn:x"])
    assert result.exit_code == 2 and "--graph goes with --endpoint" in result.output


# -- authentication: a small Graph Store endpoint that demands credentials --------

USER, PASSWORD, REALM, NONCE = "analyst", "s3cret-linzi", "linzi", "abc123"


class _AuthStore(http.server.BaseHTTPRequestHandler):
    scheme = "basic"
    received: ClassVar[list[tuple[str, int]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        if self.scheme == "basic":
            return header == "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if not header.startswith("Digest "):
            return False
        fields = dict(re.findall(r'(\w+)="?([^",]+)"?', header[7:]))
        ha1 = hashlib.md5(f"{USER}:{REALM}:{PASSWORD}".encode()).hexdigest()  # noqa: S324 - RFC 2617
        ha2 = hashlib.md5(f"{self.command}:{fields.get('uri')}".encode()).hexdigest()  # noqa: S324
        parts = [ha1, NONCE, fields.get("nc", ""), fields.get("cnonce", ""), fields.get("qop", ""), ha2]
        expected = hashlib.md5(":".join(parts).encode()).hexdigest()  # noqa: S324
        return fields.get("username") == USER and fields.get("response") == expected

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if not self._authorized():
            self.send_response(401)
            if self.scheme == "basic":
                self.send_header("WWW-Authenticate", f'Basic realm="{REALM}"')
            else:
                self.send_header("WWW-Authenticate", f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.received.append((self.path, body.count(b"\n")))
        self.send_response(204)
        self.end_headers()


@pytest.fixture(params=["basic", "digest"])
def auth_store(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    handler = type("Handler", (_AuthStore,), {"scheme": request.param, "received": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store", request.param
    finally:
        server.shutdown()
        server.server_close()


def test_push_with_credentials(auth_store: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    url, scheme = auth_store
    report = push(_tiny_graph(), url, credentials=Credentials(USER, PASSWORD, AuthScheme(scheme)))
    assert report.status == 204
    # From the environment, through the CLI; the password never shows.
    monkeypatch.setenv("LINZI_KG_USER", USER)
    monkeypatch.setenv("LINZI_KG_PASSWORD", PASSWORD)
    result = CliRunner().invoke(main, ["push", "--endpoint", url, "--auth", scheme])
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output


def test_push_with_wrong_credentials(auth_store: tuple[str, str]) -> None:
    url, scheme = auth_store
    result = CliRunner().invoke(
        main, ["push", "--endpoint", url, "--auth", scheme, "--user", USER, "--password", "wrong"]
    )
    assert result.exit_code == 1
    assert "HTTP 401" in result.output
    assert "wrong" not in result.output


def test_digest_with_non_ascii_password(auth_store: tuple[str, str]) -> None:
    url, scheme = auth_store
    if scheme == "digest":
        result = CliRunner().invoke(
            main, ["push", "--endpoint", url, "--auth", "digest", "--user", USER, "--password", "临淄"]
        )
        assert result.exit_code == 2
        assert "ASCII" in result.output and "临淄" not in result.output


def test_credentials_repr_hides_password() -> None:
    assert PASSWORD not in repr(Credentials(USER, PASSWORD))


def test_oxigraph_server_is_real(oxigraph_server: str) -> None:
    with urllib.request.urlopen(f"{oxigraph_server}/query?query=ASK%7B%7D", timeout=5) as response:
        assert response.status == 200
