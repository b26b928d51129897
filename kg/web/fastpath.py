"""``GET /sparql`` requests seen before, answered without Starlette's layers.

The first time a query arrives as ``GET /sparql?query=...`` it takes the
full path (:func:`kg.web.server.sparql`: parameters parsed, the guard run,
formats negotiated). When that ends in a JSON answer written by the
worker, the request's raw query string and ``Accept`` header are kept with
the text the guard rebuilt; the next request with the same two goes
straight to a worker from here (under ``linzi-kg serve`` from the front's
HTTP protocol, :mod:`kg.web.frontend`, which writes the answer in one
piece). What is skipped is the Python around the query, about 0.15 to
0.25 ms of it a request (URL decoding, the tokenizer, routing,
``Request``/``Response`` objects, ASGI messages); the query itself runs
every time, in a worker, under the time limit, as before. Anything else
(another method or path, an answer too large for the worker to write, CORS
on) goes the full way. The answers carry the headers every answer of the
server carries (:data:`kg.web.server.SECURITY_HEADERS` and the page CSP).

Entries are bounded by characters (keys and values), least recently used
first out, so that many different queries cannot grow the server.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kg.errors import KGError

if TYPE_CHECKING:
    from kg.web.server import Site

_JSON_TYPE = b"application/sparql-results+json; charset=utf-8"


class Prepared:
    """(raw query string, Accept) -> the query text the engine runs."""

    def __init__(self, *, max_chars: int = 4_000_000) -> None:
        self.max_chars = max_chars
        self._texts: OrderedDict[tuple[bytes, bytes], str] = OrderedDict()
        self._chars = 0

    def __len__(self) -> int:
        return len(self._texts)

    def get(self, key: tuple[bytes, bytes]) -> str | None:
        text = self._texts.get(key)
        if text is not None:
            self._texts.move_to_end(key)
        return text

    def add(self, key: tuple[bytes, bytes], text: str) -> None:
        size = len(key[0]) + len(key[1]) + len(text)
        if key in self._texts or size > self.max_chars // 8:
            return
        self._texts[key] = text
        self._chars += size
        while self._chars > self.max_chars:
            (query, accept), old = self._texts.popitem(last=False)
            self._chars -= len(query) + len(accept) + len(old)

    def discard(self, key: tuple[bytes, bytes]) -> None:
        text = self._texts.pop(key, None)
        if text is not None:
            self._chars -= len(key[0]) + len(key[1]) + len(text)


def request_key(scope: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """What a ``/sparql`` GET's answer depends on: the query string and the
    first ``Accept`` header (as Starlette reads it)."""
    accept = b""
    for name, value in scope["headers"]:
        if name == b"accept":
            accept = value
            break
    return scope["query_string"], accept


#: A whole answer: status, headers (besides the server's date and name), body.
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


class FastSparql:
    """Prepared ``GET /sparql`` requests, answered before the app's middleware:
    by :mod:`kg.web.frontend`'s protocol under ``linzi-kg serve`` (one write,
    no ASGI messages), or by :meth:`handle` under any other ASGI server."""

    def __init__(self, site: Site, *, headers: list[tuple[bytes, bytes]]) -> None:
        self.site = site
        self.headers = headers  # on every answer

    def lookup(self, scope: Mapping[str, Any]) -> tuple[tuple[bytes, bytes], str] | None:
        """The key and the engine's text of ``scope`` if it is a prepared request, else None."""
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != "/sparql":
            return None
        key = request_key(scope)
        text = self.site.prepared.get(key)
        return None if text is None else (key, text)

    async def answer(self, key: tuple[bytes, bytes], text: str) -> Answer | None:
        """Run a prepared request's query; its whole answer, or None when the
        full path must answer it (the answer was too large for the worker to write)."""
        site = self.site
        try:
            outcome = await site.execute(text, answer_format="json")
        except KGError as exc:
            return _plain(exc.http_status, str(exc), self.headers)
        except Exception:  # pragma: no cover - a bug; answered as the full path answers one
            return _plain(500, "internal error", self.headers)
        if outcome.body is None:  # too large for the worker to write: the full path cuts it
            site.prepared.discard(key)
            return None
        headers = [
            (b"content-type", _JSON_TYPE),
            (b"content-length", str(len(outcome.body)).encode()),
            (b"x-linzi-truncated", b"false"),
            (b"x-linzi-row-limit", str(site.settings.row_limit).encode()),
            *self.headers,
        ]
        return 200, headers, outcome.body

    async def handle(self, scope: Any, send: Any) -> bool:
        """Answer ``scope`` if it is a prepared request; False (nothing sent) when the full path must."""
        prepared = self.lookup(scope)
        if prepared is None:
            return False
        got = await self.answer(*prepared)
        if got is None:
            return False
        status, headers, body = got
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return True


def _plain(status: int, message: str, more: list[tuple[bytes, bytes]]) -> Answer:
    """An error as the full path writes it for /sparql (plain text)."""
    body = (message + "\n").encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()), *more]
    if status == 503:
        headers.append((b"retry-after", b"5"))
    return status, headers, body
