"""``linzi-kg serve``: a read-only SPARQL 1.1 endpoint and web explorer (Starlette).

Safe by default: updates, SERVICE, FROM/FROM NAMED and dataset parameters are
refused up front (:mod:`kg.sparql.guard`); queries run in killable worker processes
with no network (:mod:`kg.web.sandbox`) under a time limit and a row cap; request
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

from kg.core import formats
from kg.core.formats import RDF_FORMATS, RESULT_FORMATS, Kind, NotAcceptable
from kg.core.namespaces import PREFIXES
from kg.core.terms import from_cell
from kg.errors import KGError, QueryError, QuerySyntaxError
from kg.graph.store import KnowledgeGraph
from kg.sparql.engines import QueryResult
from kg.sparql.guard import CheckCache, Checked, Refused, check_query
from kg.sparql.results import json_results, to_csv, to_json, to_tsv, to_xml
from kg.web.fastpath import FastSparql, Prepared, request_key
from kg.web.sandbox import (
    WORKER_MEMORY_MB,
    Outcome,
    PoolBusy,
    QueryPool,
    QueryTimeout,
    WorkerMemoryError,
    WorkerQueryError,
    WorkerSyntaxError,
    worker_count,
)


@dataclass(frozen=True)
class Settings:
    """Limits and switches of the server; the defaults are the safe ones."""

    timeout: float = 5.0  # seconds a query may run
    row_limit: int = 10_000  # rows (or triples) returned at most
    max_request_bytes: int = 64 * 1024  # request body and query string
    workers: int = field(default_factory=worker_count)
    cors_origins: tuple[str, ...] = ()  # CORS off unless origins are named
    isolate: bool = True  # query workers leave the network
    texts: tuple[str, ...] = ()  # source texts of --data documents: sentences on the check pages
    allow_network: bool = False  # start even if workers can be kept off the network only in Python
    worker_memory_mb: int = WORKER_MEMORY_MB  # address space per worker (RLIMIT_AS); 0: no limit
    queue: int = 64  # requests that may wait for a worker; more get 503 at once


class ServeError(KGError):
    """The server cannot start safely."""


class TooLarge(KGError):
    http_status = 413


class Timeout(KGError):
    http_status = 503


# -- formats (the table is kg.core.formats) ---------------------------------------------

RESULT_TYPES = {f.name: f.media_type for f in RESULT_FORMATS}
GRAPH_TYPES = {f.name: f.media_type for f in RDF_FORMATS}


def negotiate(request: Request, kind: str, *, allow_html: bool = False, format_values: list[str] | None = None) -> str:
    """The format name for a result of ``kind`` from ``format=`` (every value,
    as SPARQLWrapper repeats it) or the Accept header; 406 names what is offered."""
    values = request.query_params.getlist("format") if format_values is None else format_values
    chosen = formats.negotiate(
        kind=Kind.GRAPH if kind == "graph" else Kind.RESULTS,
        accept=request.headers.get("accept"),
        format_values=[v for v in values if v],
        allow_html=allow_html,
    )
    return chosen.name


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
        from kg.rdf.build import new_graph
        from kg.rdf.export import Format, serialize

        graph = new_graph()
        for t in result.graph:
            graph.add(t)
        # N3 is written as Turtle, which every N3 reader reads.
        name = Format.TURTLE if fmt == "n3" else Format(fmt)
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
        self.guard = CheckCache(PREFIXES)
        self.prepared = Prepared()

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
            # None: the guard has written every prefixed name out in full, and the
            # engine's own prefix table cost 13 of 140 us a cheap query (measured).
            prefixes=None,
            memory_mb=self.settings.worker_memory_mb,
            queue=self.settings.queue,
        )
        try:
            await self.pool.start()
        except RuntimeError as exc:
            raise ServeError(f"cannot start the query workers: {exc}") from None
        if self.settings.isolate and not self.pool.isolated:
            import sys

            if not self.settings.allow_network:
                await self.pool.close()
                raise ServeError(
                    "query workers cannot be kept off the network here (neither network namespaces nor seccomp "
                    "are allowed); refusing to serve. --allow-network-workers serves anyway, with only the "
                    "up-front SERVICE/FROM check and Python's socket layer in the way"
                )
            print(
                "linzi-kg: WARNING: query workers are kept off the network only at Python's socket layer "
                "(no namespaces, no seccomp); the up-front SERVICE/FROM check is the real barrier",
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

    async def run(
        self, text: str, bindings: dict[str, Any] | None = None, *, answer_format: str | None = None
    ) -> Outcome:
        """Check and run a query; the answer in the workers' cell form, or
        (``answer_format="json"``, SELECT and ASK) already written as JSON."""
        if len(text.encode("utf-8")) > self.settings.max_request_bytes:
            raise TooLarge(f"the query is longer than {self.settings.max_request_bytes} bytes")
        # The engine runs the text the guard rebuilt, never the client's own.
        rebuilt = self.guard.text(text)
        return await self.execute(rebuilt, bindings, answer_format=answer_format, source=text)

    async def execute(
        self,
        rebuilt: str,
        bindings: dict[str, Any] | None = None,
        *,
        answer_format: str | None = None,
        source: str | None = None,
    ) -> Outcome:
        """Run a query the guard has rebuilt (``source``: the client's text,
        for the position of a syntax error); the pool's failures as KGErrors."""
        assert self.pool is not None
        try:
            outcome = await self.pool.run(rebuilt, bindings, answer_format=answer_format)
        except QueryTimeout:
            raise Timeout(f"the query ran past the time limit of {self.settings.timeout:g} s and was stopped") from None
        except PoolBusy:
            raise Timeout(f"the server is busy: no query worker was free within {self.settings.timeout:g} s") from None
        except WorkerMemoryError as exc:
            raise Timeout(f"the query was stopped: {exc}") from None
        except WorkerSyntaxError as exc:
            if source is None:
                raise QuerySyntaxError(" ".join(str(exc).split())) from None
            raise _syntax_error(str(exc), check_query(source, PREFIXES)) from None
        except WorkerQueryError as exc:
            raise QueryError(f"the query failed: {exc}") from None
        return outcome


def _syntax_error(text: str, checked: Checked) -> QuerySyntaxError:
    from kg.sparql.engines import _OX_POS

    match = _OX_POS.match(text)
    if match:
        line, column = checked.source_position(int(match.group(1)), int(match.group(2)))
        return QuerySyntaxError(" ".join(match.group(3).split()), line=line, column=column)
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
    format_values = request.query_params.getlist("format")
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _read_body(request, limit)
        if media == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            params.update({k: v[0] for k, v in form.items()})
            format_values += form.get("format", [])
            for key in ("default-graph-uri", "named-graph-uri"):
                if key in form:
                    params[key] = form[key][0]
        elif media == "application/sparql-query":
            params["query"] = body.decode("utf-8", "replace")
        elif media == "application/sparql-update":
            from kg.sparql.guard import ReadOnly

            raise ReadOnly("this endpoint is read-only: SPARQL Update is not accepted")
        else:
            raise Refused("POST needs Content-Type application/x-www-form-urlencoded or application/sparql-query")
    if "update" in params:
        from kg.sparql.guard import ReadOnly

        raise ReadOnly("this endpoint is read-only: SPARQL Update is not accepted")
    for key in ("default-graph-uri", "named-graph-uri"):
        if key in params:
            raise Refused(f"{key} is not allowed: queries run on this endpoint's graph only")
    text = params.get("query")
    if text is None:
        if "text/html" in request.headers.get("accept", ""):
            return RedirectResponse("/query", status_code=303)
        raise Refused("missing 'query' parameter (SPARQL 1.1 Protocol: GET ?query=... or POST)")
    try:
        # Before the query runs: a JSON answer is then written in the worker, by pyoxigraph.
        wanted: str | None = negotiate(request, "select", format_values=format_values)
    except NotAcceptable:
        wanted = None  # perhaps a graph format: decided once the answer's kind is known
    outcome = await site.run(text, answer_format="json" if wanted == "json" else None)
    if outcome.body is not None:
        if request.method == "GET" and set(params) <= {"query", "format"}:
            # The same request again is answered by kg.web.fastpath, without this function.
            site.prepared.add(request_key(request.scope), site.guard.text(text))
        headers = {"X-Linzi-Truncated": "false", "X-Linzi-Row-Limit": str(site.settings.row_limit)}
        return Response(outcome.body, media_type=RESULT_TYPES["json"] + "; charset=utf-8", headers=headers)
    kind = "graph" if outcome.kind == "graph" else "select"
    fmt = negotiate(request, kind, format_values=format_values)
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


async def health(request: Request) -> Response:
    """The worker pool's state: 200 while at least one worker is alive, else 503."""
    import json

    site: Site = request.app.state.site
    state = site.pool.health() if site.pool is not None else {"workers": 0, "alive": 0}
    status = 200 if state.get("alive") else 503
    body = json.dumps({"status": "ok" if status == 200 else "degraded", **state}, indent=1)
    return Response(body + "\n", status_code=status, media_type="application/json")


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and request.url.path != "/sparql"


async def _error_response(request: Request, exc: Exception) -> Response:
    """Every error the server answers with, mapped to a status in one place."""
    if isinstance(exc, KGError):
        status, message = exc.http_status, str(exc)
    else:  # pragma: no cover - a bug; answer without details
        status, message = 500, "internal error"
    headers = {**SECURITY_HEADERS, "content-security-policy": PAGE_CSP}
    if status == 503:
        headers["Retry-After"] = "5"
    if _wants_html(request):
        templates = request.app.state.templates
        html = templates.get_template("error.html").render(
            status=status, message=message, **request.app.state.page_context
        )
        return HTMLResponse(html, status_code=status, headers=headers)
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
)
#: On every answer, error pages included (a 500 is written outside the middleware).
SECURITY_HEADERS = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}


class _SecurityHeaders:
    """Headers that keep pages from loading or leaking anything elsewhere,
    and redirects that never name the host the client claimed (Host echo)."""

    PAGE_CSP = PAGE_CSP

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_graph = scope["path"] == "/graph"
        # The SPARQL workbench runs the vendored editor (scripts from 'self' only).
        is_workbench = scope["path"] == "/query"

        async def wrapped(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _OURS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                if is_graph and message["status"] < 400:
                    # The network page carries its own script-hash CSP in a meta tag,
                    # where frame-ancestors is ignored: that part goes in a header.
                    headers.append((b"content-security-policy", b"frame-ancestors 'self'"))
                    headers.append((b"x-frame-options", b"SAMEORIGIN"))
                elif is_workbench:
                    from kg.web.workbench import WORKBENCH_CSP

                    headers.append((b"content-security-policy", WORKBENCH_CSP.encode()))
                else:
                    headers.append((b"content-security-policy", self.PAGE_CSP.encode()))
                headers = [(k, _relative(v) if k.lower() == b"location" else v) for k, v in headers]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, wrapped)


_OURS = {b"x-content-type-options", b"referrer-policy", b"content-security-policy", b"x-frame-options"}


def _relative(location: bytes) -> bytes:
    """A redirect to this server as a path: Starlette's slash redirects build
    an absolute URL from the client's Host header.

    >>> _relative(b"http://evil.example/id/x?a=1"), _relative(b"http://h//evil.example/")
    (b'/id/x?a=1', b'/evil.example/')
    """
    parts = urllib.parse.urlsplit(location.decode("latin-1"))
    if not parts.netloc:
        return location
    path = "/" + parts.path.lstrip("/")  # never //host, which browsers read as another host
    return (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")


def create_app(
    kg: KnowledgeGraph | None = None, *, settings: Settings | None = None, exit_on_startup_error: bool = False
) -> Starlette:
    """The ASGI app. Builds the graph when ``kg`` is not given. With
    ``exit_on_startup_error`` (the CLI), a server that cannot start safely
    says why in one line and exits with status 1, without a traceback.

    >>> app = create_app()
    >>> sorted(r.path for r in app.routes if hasattr(r, "methods"))[:2]
    ['/', '/article']
    """
    from kg.web import pages as web

    graph = kg if kg is not None else _load()
    site = Site(graph, settings or Settings())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            await site.start()
        except KGError as exc:
            if not exit_on_startup_error:
                raise
            import os
            import sys

            print(f"error: {exc}", file=sys.stderr, flush=True)
            await site.stop()
            os._exit(1)
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
        Route("/health", health, methods=["GET"]),
        *web.routes(),
        Mount("/static", StaticFiles(packages=[("kg", "static")]), name="static"),
    ]
    app = _App(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={KGError: _error_response, Exception: _error_response},
    )
    app.state.site = site
    if not site.settings.cors_origins:  # with CORS, every answer goes through its middleware
        headers = [
            (k.encode(), v.encode()) for k, v in {**SECURITY_HEADERS, "content-security-policy": PAGE_CSP}.items()
        ]
        # As kg.core.i18n.LanguageMiddleware marks every answer of the full path.
        headers.append((b"vary", b"Cookie"))
        app.fast = FastSparql(site, headers=headers)
    web.setup(app, site)
    return app


class _App(Starlette):
    """Starlette, with prepared SPARQL requests (:mod:`kg.web.fastpath`) answered
    before its middleware stack."""

    fast: FastSparql | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.fast is not None and await self.fast.handle(scope, send):
            return
        await super().__call__(scope, receive, send)


def _load() -> KnowledgeGraph:
    from kg.graph.store import load_graph

    return load_graph()
