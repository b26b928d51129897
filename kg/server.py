"""``linzi-kg serve``: a read-only SPARQL 1.1 endpoint and web explorer (Starlette).

Safe by default: updates, SERVICE, FROM/FROM NAMED and dataset parameters are
refused up front (:mod:`kg.guard`); queries run in killable worker processes
with no network (:mod:`kg.sandbox`) under a time limit and a row cap; request
bodies and query strings are capped; CORS is off unless origins are given.
Errors become HTTP statuses in one place (:func:`_error_response`).
"""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg.errors import KGError, QueryError, QuerySyntaxError
from kg.guard import Refused, check_query
from kg.namespaces import PREFIXES
from kg.results import json_results, to_csv, to_json, to_tsv, to_xml
from kg.sandbox import (
    Outcome,
    PoolBusy,
    QueryPool,
    QueryTimeout,
    WorkerQueryError,
    WorkerSyntaxError,
    worker_count,
)
from kg.sparql import QueryResult
from kg.store import KnowledgeGraph
from kg.terms import from_cell


@dataclass(frozen=True)
class Settings:
    """Limits and switches of the server; the defaults are the safe ones."""

    timeout: float = 5.0  # seconds a query may run
    row_limit: int = 10_000  # rows (or triples) returned at most
    max_request_bytes: int = 64 * 1024  # request body and query string
    workers: int = field(default_factory=worker_count)
    cors_origins: tuple[str, ...] = ()  # CORS off unless origins are named
    isolate: bool = True  # query workers leave the network


class TooLarge(KGError):
    http_status = 413


class Timeout(KGError):
    http_status = 503


class NotAcceptable(KGError):
    http_status = 406


# -- formats ---------------------------------------------------------------------

RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json"}
ALIASES = {"srj": "json", "srx": "xml", "ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "text": "tsv"}


def negotiate(request: Request, kind: str, *, allow_html: bool = False) -> str:
    """The format name for a result of ``kind`` from ``format=`` or the Accept header."""
    table = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
    wanted = request.query_params.get("format")
    if wanted:
        wanted = ALIASES.get(wanted, wanted)
        if wanted in table:
            return wanted
        by_type = {v: k for k, v in table.items()}
        if wanted in by_type:
            return by_type[wanted]
        raise NotAcceptable(f"format={wanted!r} is not offered for this result; use one of {', '.join(table)}")
    accepted = []
    for part in request.headers.get("accept", "*/*").split(","):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            name, _, value = p.strip().partition("=")
            if name == "q":
                with contextlib.suppress(ValueError):
                    q = float(value)
        accepted.append((q, media.strip().lower()))
    accepted.sort(key=lambda x: -x[0])
    extra = (
        {"application/json": "json", "application/xml": "xml", "text/xml": "xml"}
        if kind != "graph"
        else {"application/json": "jsonld"}
    )
    for q, media in accepted:
        if q <= 0:
            continue
        if allow_html and media == "text/html":
            return "html"
        for name, media_type in table.items():
            if media == media_type:
                return name
        if media in extra:
            return extra[media]
        if media in ("*/*", "application/*", "text/*"):
            return "turtle" if kind == "graph" else "json"
    raise NotAcceptable("none of the accepted media types is offered: " + ", ".join([*table.values(), "text/html"]))


#: Answers up to this many rows are written on the event loop (well under a
#: millisecond); larger ones in a thread, so that other requests go on.
_INLINE_ROWS = 1000


def to_result(outcome: Outcome) -> QueryResult:
    if outcome.kind == "ask":
        return QueryResult("ask", boolean=outcome.boolean)
    if outcome.kind == "select":
        rows = [tuple(from_cell(c) for c in row) for row in outcome.rows]
        return QueryResult("select", outcome.variables, rows)
    graph = Graph()
    for s, p, o in outcome.rows:
        graph.add((from_cell(s), from_cell(p), from_cell(o)))  # type: ignore[arg-type]
    return QueryResult("graph", graph=graph)


def render_result(result: QueryResult, fmt: str) -> tuple[bytes, str]:
    if result.kind == "graph":
        assert result.graph is not None
        from kg.build import new_graph
        from kg.export import Format, serialize

        graph = new_graph()
        for t in result.graph:
            graph.add(t)
        name = {"turtle": Format.TURTLE, "ntriples": Format.NTRIPLES, "jsonld": Format.JSONLD}[fmt]
        return serialize(graph, name), GRAPH_TYPES[fmt] + "; charset=utf-8"
    text = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}[fmt](result)
    return text.encode("utf-8"), RESULT_TYPES[fmt] + "; charset=utf-8"


# -- the app ---------------------------------------------------------------------


class Site:
    """What the handlers share: the graph, the worker pool, the settings."""

    def __init__(self, kg: KnowledgeGraph, settings: Settings) -> None:
        self.kg = kg
        self.settings = settings
        self.pool: QueryPool | None = None

    async def start(self) -> None:
        import tempfile

        import pyoxigraph as ox

        # Workers open the on-disk store read-only, or load the graph from a
        # file: never a pickled copy per worker.
        if self.kg.location is not None:
            path, fmt = str(self.kg.location), "store"
        else:
            self._tmp = tempfile.TemporaryDirectory(prefix="linzi-kg-")
            path, fmt = f"{self._tmp.name}/graph.nq", "nq"
            self.kg.oxigraph().dump(path, ox.RdfFormat.N_QUADS)
        self.pool = QueryPool(
            path,
            fmt=fmt,
            workers=self.settings.workers,
            timeout=self.settings.timeout,
            row_limit=self.settings.row_limit,
            isolate=self.settings.isolate,
            prefixes=PREFIXES,
        )
        await self.pool.start()
        if not self.pool.isolated:
            import sys

            print(
                "linzi-kg: WARNING: query workers could not leave the network (no permission to unshare); "
                "only the up-front SERVICE/FROM check stands between queries and outbound connections",
                file=sys.stderr,
            )

    async def stop(self) -> None:
        if self.pool is not None:
            await self.pool.close()
        if getattr(self, "_tmp", None) is not None:
            self._tmp.cleanup()

    async def query(self, text: str, bindings: dict[str, Any] | None = None) -> tuple[QueryResult, bool]:
        """Check, run and convert a query; returns the result and whether it was truncated."""
        outcome = await self.run(text, bindings)
        # Converting a large result is CPU work: keep it off the event loop.
        return await run_in_threadpool(to_result, outcome), outcome.truncated

    async def run(self, text: str, bindings: dict[str, Any] | None = None) -> Outcome:
        """Check and run a query; the answer in the workers' cell form."""
        if len(text.encode("utf-8")) > self.settings.max_request_bytes:
            raise TooLarge(f"the query is longer than {self.settings.max_request_bytes} bytes")
        check_query(text)
        assert self.pool is not None
        try:
            outcome = await self.pool.run(text, bindings)
        except QueryTimeout:
            raise Timeout(f"the query ran past the time limit of {self.settings.timeout:g} s and was stopped") from None
        except PoolBusy:
            raise Timeout(f"the server is busy: no query worker was free within {self.settings.timeout:g} s") from None
        except WorkerSyntaxError as exc:
            raise _syntax_error(str(exc)) from None
        except WorkerQueryError as exc:
            raise QueryError(f"the query failed: {exc}") from None
        return outcome


def _syntax_error(text: str) -> QuerySyntaxError:
    from kg.sparql import _OX_POS

    match = _OX_POS.match(text)
    if match:
        return QuerySyntaxError(" ".join(match.group(3).split()), line=int(match.group(1)), column=int(match.group(2)))
    return QuerySyntaxError(" ".join(text.split()))


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the request body is larger than {limit} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge(f"the request body is larger than {limit} bytes")
    return body


async def sparql(request: Request) -> Response:
    """SPARQL 1.1 Protocol query operation (GET, POST form, POST direct)."""
    site: Site = request.app.state.site
    limit = site.settings.max_request_bytes
    if len(str(request.url.query).encode()) > limit:
        raise TooLarge(f"the query string is longer than {limit} bytes")
    params = dict(request.query_params)
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _read_body(request, limit)
        if media == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            params.update({k: v[0] for k, v in form.items()})
            for key in ("default-graph-uri", "named-graph-uri"):
                if key in form:
                    params[key] = form[key][0]
        elif media == "application/sparql-query":
            params["query"] = body.decode("utf-8", "replace")
        elif media == "application/sparql-update":
            from kg.guard import ReadOnly

            raise ReadOnly("this endpoint is read-only: SPARQL Update is not accepted")
        else:
            raise Refused("POST needs Content-Type application/x-www-form-urlencoded or application/sparql-query")
    if "update" in params:
        from kg.guard import ReadOnly

        raise ReadOnly("this endpoint is read-only: SPARQL Update is not accepted")
    for key in ("default-graph-uri", "named-graph-uri"):
        if key in params:
            raise Refused(f"{key} is not allowed: queries run on this endpoint's graph only")
    text = params.get("query")
    if text is None:
        if "text/html" in request.headers.get("accept", ""):
            return RedirectResponse("/query", status_code=303)
        raise Refused("missing 'query' parameter (SPARQL 1.1 Protocol: GET ?query=... or POST)")
    outcome = await site.run(text)
    fmt = negotiate(request, "graph" if outcome.kind == "graph" else "select", allow_html=False)
    if fmt == "json" and outcome.kind != "graph" and len(outcome.rows or ()) <= _INLINE_ROWS:
        # The common answer, written straight from the workers' cells.
        boolean = bool(outcome.boolean) if outcome.kind == "ask" else None
        body = json_results(outcome.variables, outcome.rows, boolean=boolean, indent=None).encode("utf-8")
        media_type = RESULT_TYPES["json"] + "; charset=utf-8"
    else:
        result = await run_in_threadpool(to_result, outcome)
        body, media_type = await run_in_threadpool(render_result, result, fmt)
    truncated = outcome.truncated
    headers = {"X-Linzi-Truncated": "true" if truncated else "false", "X-Linzi-Row-Limit": str(site.settings.row_limit)}
    return Response(body, media_type=media_type, headers=headers)


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and request.url.path != "/sparql"


async def _error_response(request: Request, exc: Exception) -> Response:
    """Every error the server answers with, mapped to a status in one place."""
    if isinstance(exc, KGError):
        status, message = exc.http_status, str(exc)
    else:  # pragma: no cover - a bug; answer without details
        status, message = 500, "internal error"
    headers = {"Retry-After": "5"} if status == 503 else None
    if _wants_html(request):
        templates = request.app.state.templates
        html = templates.get_template("error.html").render(
            status=status, message=message, **request.app.state.page_context
        )
        return HTMLResponse(html, status_code=status, headers=headers)
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


class _SecurityHeaders:
    """Headers that keep pages from loading or leaking anything elsewhere."""

    PAGE_CSP = (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
    )

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_graph = scope["path"] == "/graph"

        async def wrapped(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                if not is_graph:  # the network page carries its own CSP with script hashes
                    headers.append((b"content-security-policy", self.PAGE_CSP.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, wrapped)


def create_app(kg: KnowledgeGraph | None = None, *, settings: Settings | None = None) -> Starlette:
    """The ASGI app. Builds the graph when ``kg`` is not given.

    >>> app = create_app()
    >>> sorted(r.path for r in app.routes if hasattr(r, "methods"))[:2]
    ['/', '/article']
    """
    from kg import web

    graph = kg if kg is not None else _load()
    site = Site(graph, settings or Settings())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await site.start()
        try:
            yield
        finally:
            await site.stop()

    middleware = [Middleware(_SecurityHeaders)]
    if site.settings.cors_origins:
        middleware.append(
            Middleware(CORSMiddleware, allow_origins=list(site.settings.cors_origins), allow_methods=["GET", "POST"])
        )
    routes = [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        *web.routes(),
        Mount("/static", StaticFiles(packages=[("kg", "static")]), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={KGError: _error_response, Exception: _error_response},
    )
    app.state.site = site
    web.setup(app, site)
    return app


def _load() -> KnowledgeGraph:
    from kg.store import load_graph

    return load_graph()
