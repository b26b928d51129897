"""The HTTP front end's limits for rude clients: uvicorn's httptools protocol
with what uvicorn leaves out.

- request head (request line and headers): at most ``max_head_bytes`` bytes
  and ``max_headers`` headers, else 431 and the connection is closed, before
  a 150 MB header is ever parsed;
- a new connection, or a request begun on a kept-alive one, must deliver its
  head within ``head_timeout`` seconds and its body within ``body_timeout``,
  else 408 and close (a client trickling bytes holds nothing for long);
- at most ``max_connections`` open connections; past that the oldest one
  that is only waiting (no request in progress) is closed to make room, or
  the new one when none is (and idle ones are closed by the head timeout),
  so 20,000 idle connections cannot deny service;
- keep-alive: ``keep_alive`` seconds idle (uvicorn's own timer) and at most
  ``max_requests`` requests per connection.

It also answers prepared ``GET /sparql`` requests (:mod:`kg.web.fastpath`)
itself, without the ASGI layers, in uvicorn's own request order (pipelined
requests wait their turn), so that what a cheap query costs besides the
engine stays small.

For production behind a proxy, the proxy's own limits (nginx:
``client_header_timeout``, ``large_client_header_buffers``, ``limit_conn``)
do the same job; these hold without one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol, RequestResponseCycle

_REASONS = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}


@dataclass(frozen=True)
class FrontLimits:
    """Limits of the front end; the defaults are the safe ones."""

    max_head_bytes: int = 16 * 1024
    max_headers: int = 100
    head_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections: int = 1000
    keep_alive: int = 5
    max_requests: int = 1000


def raise_file_limit() -> int:
    """Raise this process's open-file limit to the hard limit; returns the soft limit now."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return int(target)
    except (ValueError, OSError):
        return int(soft)


def protocol(limits: FrontLimits) -> type[HttpToolsProtocol]:
    """The protocol class to give uvicorn (``http=``) for these limits."""

    class Guarded(_Guarded):
        LIMITS = limits

    return Guarded


class _Guarded(HttpToolsProtocol):
    LIMITS = FrontLimits()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._head = True  # reading a request head
        self._head_bytes = 0
        self._header_count = 0
        self._requests = 0
        self._refused = 0
        self._timer: asyncio.TimerHandle | None = None
        self._since = asyncio.get_event_loop().time()
        super().connection_made(transport)
        if len(self.connections) > self.LIMITS.max_connections:
            # Make room by closing the oldest connection that is only waiting
            # (no request in progress), so idle ones cannot lock clients out.
            waiting = [c for c in self.connections if isinstance(c, _Guarded) and c is not self and c._waiting()]
            if not waiting:
                self.transport.close()
                return
            min(waiting, key=lambda c: c._since).transport.close()
        self._arm(self.LIMITS.head_timeout)

    def _waiting(self) -> bool:
        return self._head and (self.cycle is None or self.cycle.response_complete) and not self.transport.is_closing()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if getattr(self, "_timer", None) is not None:
            assert self._timer is not None
            self._timer.cancel()
            self._timer = None

    def _too_slow(self) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        if self._head or self.cycle is None or not self.cycle.response_started:
            self._refuse(408, "the request did not arrive in time")
        else:
            self.transport.close()

    def _refuse(self, status: int, message: str) -> None:
        self._refused = status
        body = (message + "\n").encode()
        head = (
            b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n"
            b"x-content-type-options: nosniff\r\nconnection: close\r\n\r\n" % (status, _REASONS[status], len(body))
        )
        self.transport.write(head + body)
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self._refused or self.transport.is_closing():
            return
        if self._head:
            if self._timer is None:  # a new request on a kept-alive connection
                self._arm(self.LIMITS.head_timeout)
            end = data.find(b"\r\n\r\n")
            self._head_bytes += len(data) if end < 0 else end
            if self._head_bytes > self.LIMITS.max_head_bytes:
                self._refuse(431, f"the request head is larger than {self.LIMITS.max_head_bytes} bytes")
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        self._head = True
        self._header_count = 0
        super().on_message_begin()

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count > self.LIMITS.max_headers and not self._refused:
            self._refuse(431, f"the request has more than {self.LIMITS.max_headers} headers")
            return
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._refused:
            return
        self._head = False
        self._head_bytes = 0
        self._requests += 1
        self._arm(self.LIMITS.body_timeout)
        super().on_headers_complete()
        if self._requests >= self.LIMITS.max_requests and self.cycle is not None:
            self.cycle.keep_alive = False

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: Any) -> None:
        # uvicorn calls this for every request it has parsed, pipelined ones
        # included, once the one before has been answered.
        fast = getattr(app, "fast", None)
        prepared = fast.lookup(cycle.scope) if fast is not None else None
        if prepared is None:
            super()._start_asgi_task(cycle, app)
            return
        task = self.loop.create_task(self._answer_prepared(cycle, app, fast, prepared))
        task.add_done_callback(self.tasks.discard)
        self.tasks.add(task)

    async def _answer_prepared(self, cycle: RequestResponseCycle, app: Any, fast: Any, prepared: Any) -> None:
        """A prepared ``GET /sparql`` (:mod:`kg.web.fastpath`) answered without
        the ASGI layers: head and body in one write, so one TCP segment (and
        one wake-up of the client) for a small answer instead of two."""
        got = await fast.answer(*prepared)
        if got is None:  # the full path answers it after all
            await cycle.run_asgi(app)
            return
        if self.flow.write_paused and not cycle.disconnected:
            await self.flow.drain()  # an earlier answer on this connection is still being read
        if cycle.disconnected:
            return
        status, headers, body = got
        parts = [STATUS_LINE[status]]
        for name, value in (*self.server_state.default_headers, *headers):
            parts += (name, b": ", value, b"\r\n")
        if not cycle.keep_alive:
            parts.append(b"connection: close\r\n")
        parts.append(b"\r\n")
        cycle.response_started = True
        if len(body) > 65536:  # not copied into one buffer
            self.transport.write(b"".join(parts))
            self.transport.write(body)
        else:
            parts.append(body)
            self.transport.write(b"".join(parts))
        cycle.response_complete = True
        cycle.message_event.set()
        if not cycle.keep_alive:
            self.transport.close()
        on_response, cycle.on_response = cycle.on_response, lambda: None
        on_response()

    def on_body(self, body: bytes) -> None:
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self._refused:
            return
        self._disarm()
        self._head = True  # what comes next on this connection is a new request head
        super().on_message_complete()


def uvicorn_options(limits: FrontLimits) -> dict[str, Any]:
    """uvicorn.run keyword arguments for these limits."""
    # proxy_headers off: nothing here reads the client's address or scheme, and
    # uvicorn's middleware for them copied every request's headers from loopback.
    return {"http": protocol(limits), "timeout_keep_alive": limits.keep_alive, "backlog": 2048, "proxy_headers": False}
