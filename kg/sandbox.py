"""Queries for the HTTP endpoint run here: in worker processes that can be
killed (a real time limit, since pyoxigraph's ``Store.query`` has none) and
that cannot open network connections.

Each worker moves itself into a new, empty network namespace before it loads
the graph (``unshare(CLONE_NEWUSER | CLONE_NEWNET)``, or ``CLONE_NEWNET`` as
root), so even a SERVICE clause that slipped past the up-front check has no
route anywhere, loopback included. Where namespaces are not allowed the
worker falls back to refusing connections at Python's socket layer and
reports ``isolated=False``.

This module imports only pyoxigraph, so workers start fast and stay small.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from kg.bind import Cell, place_values, values_clause

#: Results stop (flagged as truncated) past this many characters of values,
#: so that the row cap also bounds bytes and memory.
MAX_RESULT_CHARS = 16_000_000
_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def isolate_network() -> bool:
    """Leave the network: True when this process is now in an empty network namespace."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        for flags in (_CLONE_NEWUSER | _CLONE_NEWNET, _CLONE_NEWNET):
            if libc.unshare(flags) == 0:
                return True
    except (OSError, AttributeError):
        pass

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network access is disabled in query workers")

    socket.socket.connect = refuse  # type: ignore[assignment,method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[assignment,method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]
    return False


def _cell(term: Any) -> Cell:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.datatype.value, term.language)
    return ("literal", str(term), None, None)  # an RDF-star triple term, shown as text


def _take(rows: Iterator[tuple[Cell, ...]], row_limit: int) -> tuple[list[tuple[Cell, ...]], bool]:
    """At most ``row_limit`` rows and about MAX_RESULT_CHARS characters of
    values; the flag says whether more were left."""
    out: list[tuple[Cell, ...]] = []
    size = 0
    for row in rows:
        if len(out) >= row_limit or size > MAX_RESULT_CHARS:
            return out, True
        size += sum(len(c[1]) for c in row if c is not None)
        out.append(row)
    return out, False


def _worker(inbox: Connection, conn: Connection, path: str, fmt: str, isolate: bool) -> None:
    import pyoxigraph as ox

    isolated = isolate_network() if isolate else False
    if fmt == "store":  # the directory of an on-disk store
        store = ox.Store.read_only(path)
    else:
        store = ox.Store()
        store.bulk_load(path=path, format=ox.RdfFormat.from_extension(fmt))
    conn.send(("ready", isolated))
    while True:
        try:
            message = inbox.recv()
        except EOFError:
            return
        query, prefixes, row_limit, bindings = message
        try:
            # A VALUES clause, as kg.sparql binds parameters (see why there).
            result = store.query(place_values(query, values_clause(bindings)), prefixes=prefixes)
            if isinstance(result, ox.QueryBoolean):
                conn.send(("ask", bool(result)))
            elif isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                rows, truncated = _take((tuple(_cell(sol[v]) for v in variables) for sol in result), row_limit)
                conn.send(("select", variables, rows, truncated))
            else:
                triples, truncated = _take(
                    ((_cell(t.subject), _cell(t.predicate), _cell(t.object)) for t in result), row_limit
                )
                conn.send(("graph", triples, truncated))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except Exception as exc:
            conn.send(("error", str(exc)))


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free within the time limit."""


class WorkerSyntaxError(Exception):
    """pyoxigraph could not parse the query; the message has the position."""


class WorkerQueryError(Exception):
    """The query failed while running."""


@dataclass
class Outcome:
    kind: str  # select | ask | graph
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False


@dataclass
class _Worker:
    process: Any  # subprocess.Popen
    conn: Connection  # results from the worker
    inbox: Connection  # queries to the worker
    isolated: bool

    def send(self, message: Any) -> None:
        self.inbox.send(message)


def main() -> None:
    """Worker process entry (``python -m kg.sandbox PATH FORMAT ISOLATE``):
    queries arrive on stdin and results leave on the original stdout, as
    multiprocessing messages; stray prints go to stderr."""
    import sys

    path, fmt, isolate = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
    out_fd = os.dup(1)
    os.dup2(2, 1)
    _worker(Connection(0, writable=False), Connection(out_fd, readable=False), path, fmt, isolate)


class QueryPool:
    """A few query workers; ``await pool.run(text)`` runs on an idle one.

    A query past ``timeout`` seconds kills its worker (the work stops) and a
    fresh one takes its place; other queries go on in the other workers.
    """

    def __init__(
        self,
        path: str,
        *,
        fmt: str = "nt",
        workers: int = 2,
        timeout: float = 5.0,
        row_limit: int = 10_000,
        isolate: bool = True,
        prefixes: dict[str, str] | None = None,
    ) -> None:
        self._path, self._fmt, self._isolate = path, fmt, isolate
        self.size, self.timeout, self.row_limit = workers, timeout, row_limit
        self.prefixes = prefixes or {}
        self._threads = ThreadPoolExecutor(max_workers=workers * 2 + 2, thread_name_prefix="kg-query")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self.isolated = True
        self.killed = 0

    def _spawn(self) -> _Worker:
        # A fresh interpreter (not multiprocessing's spawn, which re-imports
        # the caller's __main__ and so needs an `if __name__` guard there).
        process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            [sys.executable, "-m", "kg.sandbox", self._path, self._fmt, "1" if self._isolate else "0"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert process.stdin is not None and process.stdout is not None
        inbox = Connection(os.dup(process.stdin.fileno()), readable=False)
        conn = Connection(os.dup(process.stdout.fileno()), writable=False)
        process.stdin.close()
        process.stdout.close()
        # A worker that dies while loading never says "ready": do not wait forever.
        try:
            if not conn.poll(120):
                raise RuntimeError("a query worker did not start within 120 s")
            try:
                status, isolated = conn.recv()
            except EOFError:
                raise RuntimeError("a query worker exited while starting") from None
        except BaseException:
            process.kill()
            process.wait(5)
            conn.close()
            inbox.close()
            raise
        assert status == "ready"
        worker = _Worker(process, conn, inbox, bool(isolated))
        self.isolated = self.isolated and worker.isolated
        self._all.append(worker)
        return worker

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size)))
        for w in workers:
            self._idle.put_nowait(w)

    def _kill(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.wait(5)
        worker.conn.close()
        worker.inbox.close()
        if worker in self._all:
            self._all.remove(worker)
        self.killed += 1

    @staticmethod
    async def _readable(worker: _Worker, timeout: float) -> None:
        """Wait for the worker's answer on the event loop itself (no thread
        hop per query); raise QueryTimeout after ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = worker.conn.fileno()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, wake)
        try:
            await asyncio.wait_for(ready, timeout)
        except TimeoutError:
            raise QueryTimeout from None
        finally:
            loop.remove_reader(fd)
            # uvloop leaves the descriptor non-blocking; recv() must wait for
            # the whole message, not fail with EAGAIN halfway through it.
            os.set_blocking(fd, True)

    async def run(self, query: str, bindings: dict[str, Cell] | None = None) -> Outcome:
        """Run ``query`` with ``bindings`` (variable -> cell) bound before
        evaluation; raises QueryTimeout, PoolBusy, WorkerSyntaxError or
        WorkerQueryError. Waiting for a free worker counts against the limit."""
        assert self._idle is not None, "call start() first"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise PoolBusy from None
        clean = False
        try:
            worker.send((query, self.prefixes, self.row_limit, bindings or {}))
            await self._readable(worker, max(0.0, deadline - loop.time()))
            message = worker.conn.recv()
            clean = True
        except (EOFError, OSError) as exc:
            raise WorkerQueryError(
                f"the query could not be run (its worker stopped: {exc or type(exc).__name__})"
            ) from None
        finally:
            if clean:
                self._idle.put_nowait(worker)
            else:
                # Timed out, failed or cancelled mid-query: the worker may still
                # be busy and would answer the next caller with this result.
                self._replace(worker)
        kind = message[0]
        if kind == "select":
            return Outcome("select", message[1], message[2], truncated=message[3])
        if kind == "ask":
            return Outcome("ask", boolean=message[1])
        if kind == "graph":
            return Outcome("graph", rows=message[1], truncated=message[2])
        if kind == "syntax":
            raise WorkerSyntaxError(message[1])
        raise WorkerQueryError(message[1])

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._threads, self._spawn)

        def ready(done: asyncio.Future[_Worker]) -> None:
            if done.cancelled() or done.exception() is not None or self._idle is None:
                self.size -= 1  # the pool shrinks rather than hand out a broken worker
                return
            self._idle.put_nowait(done.result())

        future.add_done_callback(ready)

    async def close(self) -> None:
        for worker in list(self._all):
            try:
                worker.conn.close()
                worker.inbox.close()
            finally:
                worker.process.kill()
                worker.process.wait(5)
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._all]


def worker_count() -> int:
    """Default number of workers: the cores, at least two (one slow query
    must not hold up the rest)."""
    return max(2, os.cpu_count() or 2)


if __name__ == "__main__":
    main()
