"""Throughput of a SPARQL endpoint: ``clients`` processes send the same query
back to back over keep-alive connections for a fixed time.

Clients are processes, not threads, so that the client's own Python does
not cap what a fast server can show; all start at the same instant and
count only answers completed inside the window. :func:`compare` measures
several endpoints in alternation, so that other load on the machine (a
shared 2-core host) weighs on each of them alike.
"""

from __future__ import annotations

import http.client
import multiprocessing
import time
import urllib.parse
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

ACCEPT = "application/sparql-results+json"


@dataclass(frozen=True)
class Throughput:
    """What ``clients`` clients got in ``seconds``."""

    clients: int
    seconds: float
    answers: int
    errors: int

    @property
    def qps(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0


def _client(url: str, query: str, start_at: float, seconds: float) -> tuple[int, int]:
    parts = urllib.parse.urlsplit(url)
    path = f"{parts.path}?{urllib.parse.urlencode({'query': query})}"
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
    answers = errors = 0
    while time.time() < start_at:
        time.sleep(0.005)
    deadline = start_at + seconds
    try:
        while True:
            try:
                conn.request("GET", path, headers={"Accept": ACCEPT})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            if time.time() > deadline:
                break
            if ok:
                answers += 1
            else:
                errors += 1
    finally:
        conn.close()
    return answers, errors


def measure(url: str, query: str, *, clients: int, seconds: float) -> Throughput:
    """Answers per second from ``url`` (a SPARQL query endpoint) under ``clients`` concurrent clients.

    ``url`` is the query endpoint itself, e.g. ``http://127.0.0.1:8000/sparql``.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=clients, mp_context=context) as pool:
        # Leave the clients' interpreters time to start before the window opens.
        start_at = time.time() + 1.0 + 0.2 * clients
        futures = [pool.submit(_client, url, query, start_at, seconds) for _ in range(clients)]
        results = [f.result() for f in futures]
    return Throughput(clients, seconds, sum(a for a, _ in results), sum(e for _, e in results))


def _warm(url: str, query: str, requests: int = 20) -> None:
    parts = urllib.parse.urlsplit(url)
    path = f"{parts.path}?{urllib.parse.urlencode({'query': query})}"
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
    try:
        for _ in range(requests):
            conn.request("GET", path, headers={"Accept": ACCEPT})
            conn.getresponse().read()
    except (OSError, http.client.HTTPException):
        pass
    finally:
        conn.close()


def compare(urls: Sequence[str], query: str, *, clients: int, seconds: float, rounds: int = 5) -> list[Throughput]:
    """:func:`measure` for each of ``urls`` in turn, ``rounds`` times over
    (``seconds / rounds`` a turn, after a few unmeasured requests to each);
    one total per endpoint, in the order given."""
    for url in urls:
        _warm(url, query)
    answers = [0] * len(urls)
    errors = [0] * len(urls)
    for _ in range(rounds):
        for i, url in enumerate(urls):
            got = measure(url, query, clients=clients, seconds=seconds / rounds)
            answers[i] += got.answers
            errors[i] += got.errors
    return [Throughput(clients, seconds, a, e) for a, e in zip(answers, errors, strict=True)]
