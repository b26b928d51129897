"""The HTTP front end (kg.web.frontend) as a client meets it on a real
`linzi-kg serve`: a prepared ``GET /sparql`` is answered by the protocol
itself (kg.web.fastpath), and must keep HTTP/1.1's rules as uvicorn's own
path does: the same answer, pipelined requests in order, ``Connection:
close`` and HTTP/1.0 honoured, the time limit kept."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from kg.bench.cost import children
from kg.bench.servers import linzi_server

pytestmark = pytest.mark.server

QUERY = "SELECT ?e WHERE { ?e a lz:Enterprise } ORDER BY ?e"


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with linzi_server(["--timeout", "2", "--workers", "2"], timeout=60) as running:
        yield running


def _port(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def _request(query: str = QUERY, *, path: str = "/sparql", version: str = "1.1", extra: str = "") -> bytes:
    target = f"{path}?{urllib.parse.urlencode({'query': query})}" if path == "/sparql" else path
    return (
        f"GET {target} HTTP/{version}\r\nHost: 127.0.0.1\r\n"
        f"Accept: application/sparql-results+json\r\n{extra}\r\n".encode()
    )


class _Reader:
    """Whole HTTP responses, one after another, from a raw connection."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.buffer = b""

    def _fill(self) -> bool:
        chunk = self.conn.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def response(self) -> tuple[int, dict[str, str], bytes]:
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                raise EOFError("the server closed the connection")
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        size = int(headers["content-length"])
        while len(self.buffer) < size:
            if not self._fill():
                raise EOFError("the answer was cut short")
        body, self.buffer = self.buffer[:size], self.buffer[size:]
        return status, headers, body

    def closed(self) -> bool:
        """Whether the server closes the connection now (nothing more comes)."""
        return not self.buffer and not self._fill()


def _connect(base: str) -> socket.socket:
    return socket.create_connection(("127.0.0.1", _port(base)), timeout=20)


def test_a_prepared_answer_is_the_first_answer(server: tuple[str, subprocess.Popen[bytes]]) -> None:
    with _connect(server[0]) as conn:
        reader = _Reader(conn)
        answers = []
        for _ in range(3):  # the first takes the full path; then the query is prepared
            conn.sendall(_request())
            answers.append(reader.response())
    (status, first, body), *rest = answers
    assert status == 200 and b'"bindings"' in body
    for later_status, later, later_body in rest:
        assert later_status == 200 and later_body == body
        assert {k: v for k, v in later.items() if k != "date"} == {k: v for k, v in first.items() if k != "date"}
    assert first["content-security-policy"] and first["x-content-type-options"] == "nosniff"


def test_pipelined_requests_are_answered_in_order(server: tuple[str, subprocess.Popen[bytes]]) -> None:
    other = "SELECT (COUNT(*) AS ?n) WHERE { ?p a lz:Project }"
    with _connect(server[0]) as conn:
        reader = _Reader(conn)
        conn.sendall(_request())
        reader.response()  # prepared from now on
        conn.sendall(_request() + _request(path="/health") + _request(other) + _request() + _request(other))
        got = [reader.response() for _ in range(5)]
    assert [status for status, _, _ in got] == [200] * 5
    assert got[0][2] == got[3][2] and b"bindings" in got[0][2]
    assert b'"alive"' in got[1][2]
    assert got[2][2] == got[4][2] and b'"n"' in got[2][2]


@pytest.mark.parametrize(("version", "extra"), [("1.1", "Connection: close\r\n"), ("1.0", "")])
def test_a_prepared_request_that_ends_the_connection_ends_it(
    server: tuple[str, subprocess.Popen[bytes]], version: str, extra: str
) -> None:
    with _connect(server[0]) as conn:
        conn.sendall(_request())
        _Reader(conn).response()  # prepared now (for this Accept and query string)
    with _connect(server[0]) as conn:
        reader = _Reader(conn)
        conn.sendall(_request(version=version, extra=extra))
        status, headers, body = reader.response()
        assert status == 200 and b"bindings" in body
        assert headers["connection"] == "close"
        assert reader.closed()


def test_a_prepared_query_keeps_the_time_limit(server: tuple[str, subprocess.Popen[bytes]]) -> None:
    base, proc = server
    with _connect(base) as conn:
        reader = _Reader(conn)
        conn.sendall(_request())
        assert reader.response()[0] == 200
        stopped = children(proc.pid)
        assert len(stopped) == 2
        for pid in stopped:  # a worker that never answers, as a query past the limit
            os.kill(pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            conn.sendall(_request())
            status, headers, body = reader.response()
            waited = time.monotonic() - started
        finally:
            for pid in stopped:
                try:
                    os.kill(pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass  # killed by the server at the time limit, as it should be
    assert status == 503 and b"time limit of 2 s" in body, body
    assert headers["retry-after"] == "5" and headers["x-content-type-options"] == "nosniff"
    assert 1.5 < waited < 10
    deadline = time.monotonic() + 30
    while True:  # the killed worker is replaced; the endpoint answers again
        with _connect(base) as conn:
            conn.sendall(_request())
            if _Reader(conn).response()[0] == 200:
                break
        assert time.monotonic() < deadline
        time.sleep(0.2)
