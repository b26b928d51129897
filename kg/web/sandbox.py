"""Queries for the HTTP endpoint run here: in worker processes that can be
killed (a real time limit, since pyoxigraph's ``Store.query`` has none) and
that cannot open network connections.

Each worker moves itself into a new, empty network namespace before it loads
the graph (``unshare(CLONE_NEWUSER | CLONE_NEWNET)``, or ``CLONE_NEWNET`` as
root), so even a SERVICE clause that slipped past the up-front check has no
route anywhere, loopback included; and it installs a seccomp filter under
which ``socket()`` fails for every family but AF_UNIX, which holds where
namespaces are refused (unprivileged containers) and covers pyoxigraph's
native HTTP client as well as Python. Only where both are refused does a
worker report :attr:`Isolation.NONE` (Python's socket layer patched), and
``linzi-kg serve`` then refuses to start unless told otherwise. Each worker
also caps its address space (RLIMIT_AS, ``--worker-memory``).

This module imports only pyoxigraph, so workers start fast and stay small.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import io
import os
import pickle
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from multiprocessing.connection import Connection
from typing import Any

from kg.sparql.bind import Cell, place_values, values_clause

#: Results stop (flagged as truncated) past this many bytes of values, so
#: that the row cap also bounds bytes and memory, even for a single row.
MAX_RESULT_BYTES = 16_000_000
#: Address space a worker may use by default (``--worker-memory``): the
#: Linzi graph's worker uses about 300 MB of it idle (see the README).
WORKER_MEMORY_MB = 1024
_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
# socket, io_uring_setup (io_uring can open sockets too), unshare, setns
_SYSCALLS = {"x86_64": (41, 425, 272, 308), "aarch64": (198, 425, 97, 268)}
_SECCOMP_SYSCALLS = {"x86_64": (317, 157), "aarch64": (277, 167)}  # seccomp, prctl
_AF_UNIX = 1
_EPERM = 1


def _seccomp(program: list[tuple[int, int, int, int]]) -> bool:
    """Install a seccomp filter on this process and its future children
    (no privilege needed once no_new_privs is set); False where the kernel
    or the container refuses."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)

        class SockFilter(ctypes.Structure):
            _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]

        class SockFprog(ctypes.Structure):
            _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]

        filters = (SockFilter * len(program))(*(SockFilter(*ins) for ins in program))
        prog = SockFprog(len(program), filters)
        if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
            return False
        return bool(libc.prctl(22, 2, ctypes.byref(prog), 0, 0) == 0)  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
    except (OSError, AttributeError):
        return False


_LD_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
_ALLOW, _DENY = 0x7FFF0000, 0x00050000 | _EPERM  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM


def block_sockets() -> bool:
    """Make ``socket()`` fail for every family but AF_UNIX (and io_uring
    unavailable), for Python and native code alike: pyoxigraph's own HTTP
    client cannot connect anywhere. True when the filter is in place."""
    import platform

    machine = platform.machine()
    if machine not in _AUDIT_ARCH:
        return False
    socket_nr, uring_nr = _SYSCALLS[machine][:2]
    return _seccomp(
        [
            (_LD_ABS, 0, 0, 4),  # arch
            (_JEQ, 1, 0, _AUDIT_ARCH[machine]),
            (_RET, 0, 0, _DENY),  # another ABI: nothing allowed
            (_LD_ABS, 0, 0, 0),  # syscall number
            (_JGE, 6, 0, 0x40000000),  # the x32 ABI
            (_JEQ, 2, 0, socket_nr),
            (_JEQ, 4, 0, uring_nr),
            (_RET, 0, 0, _ALLOW),
            (_LD_ABS, 0, 0, 16),  # socket's first argument, the family
            (_JEQ, 0, 1, _AF_UNIX),
            (_RET, 0, 0, _ALLOW),
            (_RET, 0, 0, _DENY),
        ]
    )


def deny_namespaces(*, seccomp: bool = False) -> bool:
    """Make ``unshare()`` and ``setns()`` fail in this process and its
    children, as on hosts that do not allow namespaces (and, with
    ``seccomp``, new seccomp filters too); for testing the fallbacks of
    :func:`isolate_network` for real."""
    import platform

    machine = platform.machine()
    if machine not in _AUDIT_ARCH:
        return False
    unshare_nr, setns_nr = _SYSCALLS[machine][2:]
    seccomp_nr, prctl_nr = _SECCOMP_SYSCALLS[machine]
    program = [
        (_LD_ABS, 0, 0, 0),
        (_JEQ, 6, 0, unshare_nr),
        (_JEQ, 5, 0, setns_nr),
        (_JEQ, 4, 0, seccomp_nr if seccomp else 0xFFFFFFFF),
        (_JEQ, 0, 2, prctl_nr if seccomp else 0xFFFFFFFF),
        (_LD_ABS, 0, 0, 16),
        (_JEQ, 1, 0, 22),  # PR_SET_SECCOMP
        (_RET, 0, 0, _ALLOW),
        (_RET, 0, 0, _DENY),
    ]
    return _seccomp(program)


class Isolation(StrEnum):
    """How a worker is kept off the network."""

    NAMESPACE = "namespace"  # an empty network namespace (and the socket filter)
    SECCOMP = "seccomp"  # no namespace allowed: socket() refused by a seccomp filter
    NONE = "none"  # neither: only Python's socket layer is patched


def isolate_network() -> Isolation:
    """Leave the network: move into an empty network namespace, and refuse
    socket() with a seccomp filter (both when allowed). The filter is what
    holds where namespaces are refused (unprivileged containers)."""
    namespace = False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        for flags in (_CLONE_NEWUSER | _CLONE_NEWNET, _CLONE_NEWNET):
            if libc.unshare(flags) == 0:
                namespace = True
                break
    except (OSError, AttributeError):
        pass
    filtered = block_sockets()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network access is disabled in query workers")

    socket.socket.connect = refuse  # type: ignore[assignment,method-assign,unused-ignore]
    socket.socket.connect_ex = refuse  # type: ignore[assignment,method-assign,unused-ignore]
    socket.create_connection = refuse  # type: ignore[assignment,unused-ignore]
    if namespace:
        return Isolation.NAMESPACE
    return Isolation.SECCOMP if filtered else Isolation.NONE


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


def _size(row: tuple[Cell, ...]) -> int:
    return sum(len(c[1].encode("utf-8", "surrogatepass")) + 40 for c in row if c is not None)


def _take(
    rows: Iterator[tuple[Cell, ...]], row_limit: int, max_bytes: int = MAX_RESULT_BYTES
) -> tuple[list[tuple[Cell, ...]], bool]:
    """At most ``row_limit`` rows and ``max_bytes`` bytes of values (a row
    that would pass the cap is left out, however large it is alone); the
    flag says whether anything was left out.

    >>> small, huge = ("literal", "x" * 100, None, None), ("literal", "y" * 999, None, None)
    >>> _take(iter([(small,)] * 3), 10, max_bytes=300)[1], _take(iter([(huge,)]), 10, max_bytes=300)
    (True, ([], True))
    """
    out: list[tuple[Cell, ...]] = []
    size = 0
    for row in rows:
        if len(out) >= row_limit:
            return out, True
        size += _size(row)
        if size > max_bytes:
            return out, True
        out.append(row)
    return out, False


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space (RLIMIT_AS): a query that needs more
    fails its allocation and the worker dies, instead of the machine swapping."""
    import resource

    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class _Capped(io.RawIOBase):
    """Where pyoxigraph writes an answer: in memory, up to ``limit`` bytes;
    one more byte raises :class:`_TooLarge` and the writing stops."""

    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge
        self.parts.append(bytes(data))
        return len(data)


class _TooLarge(Exception):
    pass


def _json_answer(result: Any, row_limit: int) -> bytes | None:
    """A SELECT or ASK answer as SPARQL JSON, written by pyoxigraph's own
    writer (no Python per row); None when it may hold more than
    ``row_limit`` rows or :data:`MAX_RESULT_BYTES` bytes, which the cell
    path then cuts row by row.

    Between two rows the writer puts ``},{`` and nothing else, so their
    count bounds the rows from above (a value may hold the same bytes, which
    only sends a small answer the long way).
    """
    import pyoxigraph as ox

    out = _Capped(MAX_RESULT_BYTES)
    try:
        result.serialize(out, ox.QueryResultsFormat.JSON)
    except _TooLarge:
        return None
    body = b"".join(out.parts)
    if isinstance(result, ox.QuerySolutions) and body.count(b"},{") + 1 > row_limit:
        return None
    return body


#: The first byte of every answer frame: the answer as JSON bytes, or a pickled message.
_JSON, _PICKLED = b"J", b"P"
#: multiprocessing's frame lengths: 4 bytes, or -1 and 8 bytes.
_HEADER = struct.Struct("!i")
_LONG_HEADER = struct.Struct("!Q")


class _Frames:
    """The worker's ends of its two pipes, in multiprocessing's frame format
    (what :class:`multiprocessing.connection.Connection` and :class:`_Replies`
    read): a query in one ``read`` and an answer in one ``writev``, where
    ``Connection`` reads a frame's length and its bytes apart and copies an
    answer twice to put its kind and length in front."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self.read_fd = read_fd
        self.write_fd = write_fd
        self.buffer = bytearray()

    def recv(self) -> bytes:
        """The next frame; EOFError when the server closed the pipe."""
        buffer = self.buffer
        while True:
            if len(buffer) >= 4:
                (size,) = _HEADER.unpack_from(buffer)
                start = 4
                if size == -1 and len(buffer) >= 12:
                    (size,) = _LONG_HEADER.unpack_from(buffer, 4)
                    start = 12
                if size >= 0 and len(buffer) >= start + size:
                    frame = bytes(buffer[start : start + size])
                    del buffer[: start + size]
                    return frame
            chunk = os.read(self.read_fd, max(65536, 4 + len(buffer)))
            if not chunk:
                raise EOFError
            buffer += chunk

    def send(self, kind: bytes, body: bytes) -> None:
        size = len(kind) + len(body)
        header = _HEADER.pack(size) if size < 0x7FFFFFFF else _HEADER.pack(-1) + _LONG_HEADER.pack(size)
        parts = [header, kind, body]
        total = len(header) + size
        written = os.writev(self.write_fd, parts)
        if written < total:  # a pipe takes a large answer in parts
            rest = memoryview(b"".join(parts))[written:]
            while rest:
                rest = rest[os.write(self.write_fd, rest) :]


def _worker(frames: _Frames, path: str, fmt: str, isolate: bool, memory_mb: int) -> None:
    import pyoxigraph as ox

    def send(message: tuple[Any, ...]) -> None:
        frames.send(_PICKLED, pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    isolation = isolate_network() if isolate else Isolation.NONE
    limit_memory(memory_mb)
    # Once, not with every query; None when there are none (an empty mapping still costs the engine).
    prefixes: dict[str, str] | None = pickle.loads(frames.recv()) or None  # noqa: S301 - from the server
    if fmt == "store":  # the directory of an on-disk store
        store = ox.Store.read_only(path)
    else:
        store = ox.Store()
        store.bulk_load(path=path, format=ox.RdfFormat.from_extension(fmt))
    send(("ready", isolation.value))
    while True:
        try:
            message = frames.recv()
        except EOFError:
            return
        query, row_limit, bindings, answer_format = pickle.loads(message)  # noqa: S301 - from the server
        try:
            # A VALUES clause, as kg.sparql.engines binds parameters (see why there);
            # no named graphs, as there (the store's own are not the user's data).
            text = place_values(query, values_clause(bindings)) if bindings else query
            result = store.query(text, prefixes=prefixes, named_graphs=[])
            if answer_format == "json" and not isinstance(result, ox.QueryTriples):
                body = _json_answer(result, row_limit)
                if body is not None:
                    frames.send(_JSON, body)
                    continue
                # Past a cap: run it again and cut it row by row below (rare, and bounded by the caps).
                result = store.query(text, prefixes=prefixes, named_graphs=[])
            if isinstance(result, ox.QueryBoolean):
                send(("ask", bool(result)))
            elif isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                rows, truncated = _take((tuple(_cell(sol[v]) for v in variables) for sol in result), row_limit)
                send(("select", variables, rows, truncated))
            else:
                triples, truncated = _take(
                    ((_cell(t.subject), _cell(t.predicate), _cell(t.object)) for t in result), row_limit
                )
                send(("graph", triples, truncated))
        except SyntaxError as exc:
            send(("syntax", str(exc)))
        except MemoryError:
            send(("memory", f"the query needed more than the worker's {memory_mb} MB"))
        except Exception as exc:
            send(("error", str(exc)[:2000]))


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free within the time limit, or too many are waiting."""


class WorkerMemoryError(Exception):
    """The query needed more memory than a worker may use."""


class WorkerSyntaxError(Exception):
    """pyoxigraph could not parse the query; the message has the position."""


class WorkerQueryError(Exception):
    """The query failed while running."""


@dataclass
class Outcome:
    kind: str  # select | ask | graph | json (an answer already written: ``body``)
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False
    body: bytes | None = None  # SPARQL JSON from pyoxigraph's writer, never truncated


class _Replies(asyncio.Protocol):
    """The worker's answers, read on the event loop as they arrive (no
    thread, no blocking read): frames as multiprocessing writes them (a
    4-byte big-endian length, or -1 and an 8-byte one), each handed to the
    caller waiting for it."""

    def __init__(self, on_lost: Callable[[], None]) -> None:
        self.on_lost = on_lost  # the worker died or its pipe closed: told at once, busy or idle
        self.buffer = bytearray()
        self.waiter: asyncio.Future[bytes] | None = None
        self.closed = False
        self.transport: asyncio.ReadTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        if not buffer and len(data) >= 4:
            # The common case, a whole small answer in one read: no buffer copy.
            (size,) = _HEADER.unpack_from(data)
            if size >= 0 and len(data) == 4 + size:
                self._deliver(data[4:])
                return
        buffer += data
        while len(buffer) >= 4:
            (size,) = _HEADER.unpack_from(buffer)
            start = 4
            if size == -1:
                if len(buffer) < 12:
                    return
                (size,) = _LONG_HEADER.unpack_from(buffer, 4)
                start = 12
            if len(buffer) < start + size:
                return
            frame = bytes(memoryview(buffer)[start : start + size])
            del buffer[: start + size]
            self._deliver(frame)

    def _deliver(self, frame: bytes) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(frame)
        # Else an answer nobody waits for (its caller gave up): that worker is being replaced.

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(EOFError("the worker closed its pipe"))
        self.on_lost()


@dataclass
class _Worker:
    process: Any  # subprocess.Popen
    conn: Connection | None  # answers from the worker, until ``replies`` reads them on the loop
    inbox: Connection  # queries to the worker
    isolation: Isolation
    replies: _Replies | None = None
    busy: bool = False  # running a query for a caller of QueryPool.run

    def send(self, message: bytes) -> None:
        self.inbox.send_bytes(message)

    async def attach(self, on_lost: Callable[[], None]) -> None:
        """Read the worker's answers on the running event loop from now on
        (the transport owns the pipe then, and closes it); ``on_lost`` is
        called when the pipe closes."""
        assert self.conn is not None
        loop = asyncio.get_running_loop()
        replies = _Replies(on_lost)
        pipe = os.fdopen(os.dup(self.conn.fileno()), "rb", buffering=0)
        self.conn.close()
        self.conn = None
        await loop.connect_read_pipe(lambda: replies, pipe)
        self.replies = replies

    def close(self) -> None:
        if self.replies is not None and self.replies.transport is not None:
            self.replies.transport.close()
        if self.conn is not None:
            self.conn.close()
        self.inbox.close()


def main() -> None:
    """Worker process entry (``python -m kg.web.sandbox PATH FORMAT ISOLATE MEMORY_MB``):
    queries arrive on stdin and results leave on the original stdout, as
    multiprocessing messages; stray prints go to stderr."""
    import sys

    path, fmt, isolate, memory_mb = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
    out_fd = os.dup(1)
    os.dup2(2, 1)
    _worker(_Frames(0, out_fd), path, fmt, isolate, memory_mb)


class QueryPool:
    """A few query workers; ``await pool.run(text)`` runs on an idle one.

    A query past ``timeout`` seconds kills its worker (the work stops) and a
    fresh one takes its place; other queries go on in the other workers. A
    worker that dies or cannot start is replaced in the background, with
    retries and growing pauses (``backoff``, up to ``max_backoff`` seconds),
    for as long as the pool is open: the pool never shrinks. At most
    ``queue`` callers wait for a worker; more get :class:`PoolBusy` at once.
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
        memory_mb: int = WORKER_MEMORY_MB,
        queue: int = 64,
        backoff: float = 0.5,
        max_backoff: float = 10.0,
    ) -> None:
        self._path, self._fmt, self._isolate = path, fmt, isolate
        self.size, self.timeout, self.row_limit = workers, timeout, row_limit
        self.memory_mb, self.queue, self.backoff, self.max_backoff = memory_mb, queue, backoff, max_backoff
        self.prefixes = prefixes or {}
        self._threads = ThreadPoolExecutor(max_workers=workers * 2 + 2, thread_name_prefix="kg-query")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self._closed = False
        self._waiting = 0
        self.isolation = Isolation.NAMESPACE if isolate else Isolation.NONE
        self.killed = 0  # workers stopped (time limit, crash, memory)
        self.restarts = 0  # workers started in place of one
        self.start_failures = 0  # attempts to start a worker that failed
        self.last_error: str | None = None

    @property
    def isolated(self) -> bool:
        """Whether every worker is kept off the network below Python (namespace or seccomp)."""
        return self.isolation is not Isolation.NONE

    def _spawn(self) -> _Worker:
        # A fresh interpreter (not multiprocessing's spawn, which re-imports
        # the caller's __main__ and so needs an `if __name__` guard there).
        process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            [
                sys.executable,
                "-m",
                "kg.web.sandbox",
                self._path,
                self._fmt,
                "1" if self._isolate else "0",
                str(self.memory_mb),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "RUST_BACKTRACE": "0"},  # an allocation failure is one line, not 40
        )
        assert process.stdin is not None and process.stdout is not None
        inbox = Connection(os.dup(process.stdin.fileno()), readable=False)
        conn = Connection(os.dup(process.stdout.fileno()), writable=False)
        process.stdin.close()
        process.stdout.close()
        # A worker that dies while loading never says "ready": do not wait forever.
        try:
            inbox.send(self.prefixes)
            if not conn.poll(120):
                raise RuntimeError("a query worker did not start within 120 s")
            try:
                frame = conn.recv_bytes()
                status, isolation = pickle.loads(frame[1:])  # noqa: S301 - our own worker's message
            except EOFError:
                raise RuntimeError(f"a query worker exited while starting (status {process.wait(5)})") from None
        except BaseException:
            process.kill()
            process.wait(5)
            conn.close()
            inbox.close()
            raise
        assert status == "ready"
        worker = _Worker(process, conn, inbox, Isolation(isolation))
        if self._isolate and worker.isolation is not Isolation.NAMESPACE:
            if self.isolation is Isolation.NAMESPACE or worker.isolation is Isolation.NONE:
                self.isolation = worker.isolation
        self._all.append(worker)
        return worker

    def _spawn_retrying(self) -> _Worker | None:
        """Start a worker, retrying with growing pauses until it starts or the pool closes."""
        pause = self.backoff
        while not self._closed:
            try:
                return self._spawn()
            except (OSError, RuntimeError, ValueError) as exc:
                self.start_failures += 1
                self.last_error = str(exc)
                _log(f"a query worker failed to start ({exc}); retrying in {pause:g} s")
                time.sleep(pause)
                pause = min(self.max_backoff, pause * 2)
        return None

    async def start(self) -> None:
        """Start the workers; raises RuntimeError when not even one can start
        (the cause is in the message); the others keep being retried."""
        loop = asyncio.get_running_loop()
        # Last in, first out: under light load one worker takes every query and
        # stays in the CPU's caches (round robin left each one cold: 2x its CPU time).
        self._idle = asyncio.LifoQueue()
        results = await asyncio.gather(
            *(loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size)), return_exceptions=True
        )
        started = [w for w in results if isinstance(w, _Worker)]
        failed = [r for r in results if not isinstance(r, _Worker)]
        if not started:
            await self.close()
            raise RuntimeError(f"no query worker could start: {failed[0]}")
        for w in started:
            await w.attach(self._on_lost(w))
            self._idle.put_nowait(w)
        for exc in failed:
            self.start_failures += 1
            self.last_error = str(exc)
            _log(f"a query worker failed to start ({exc}); retrying in the background")
            self._respawn()

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(5)
        worker.close()
        if worker in self._all:
            self._all.remove(worker)
        self.killed += 1

    async def _take_worker(self, deadline: float) -> _Worker:
        assert self._idle is not None, "call start() first"
        loop = asyncio.get_running_loop()
        while self._waiting == 0 and not self._idle.empty():
            # A worker is free and nobody is ahead: no wait, no timer, no task.
            worker = self._idle.get_nowait()
            if worker.process.poll() is None and worker.replies is not None and not worker.replies.closed:
                return worker
            if worker in self._all:  # else already replaced, when its pipe closed
                self._died_idle(worker)
        if self._waiting >= self.queue and self._idle.empty():
            raise PoolBusy
        self._waiting += 1
        try:
            while True:
                try:
                    worker = await asyncio.wait_for(self._idle.get(), max(0.0, deadline - loop.time()))
                except TimeoutError:
                    raise PoolBusy from None
                if worker.process.poll() is None and worker.replies is not None and not worker.replies.closed:
                    return worker
                if worker in self._all:
                    self._died_idle(worker)
        finally:
            self._waiting -= 1

    def _on_lost(self, worker: _Worker) -> Callable[[], None]:
        def lost() -> None:
            # An idle worker that died (killed from outside, out of memory) is
            # replaced now, not when a query would next pick it; a busy one by its caller.
            if not worker.busy and worker in self._all and not self._closed:
                self._died_idle(worker)

        return lost

    def _died_idle(self, worker: _Worker) -> None:
        # Died while idle (killed from outside, out of memory): replace it; the caller takes another.
        status = worker.process.poll()
        self.last_error = f"a query worker died while idle (status {status})"
        _log(self.last_error)
        self._replace(worker)

    async def run(
        self, query: str, bindings: dict[str, Cell] | None = None, *, answer_format: str | None = None
    ) -> Outcome:
        """Run ``query`` with ``bindings`` (variable -> cell) bound before
        evaluation; raises QueryTimeout, PoolBusy, WorkerSyntaxError,
        WorkerMemoryError or WorkerQueryError. Waiting for a free worker
        counts against the limit. With ``answer_format="json"`` a SELECT or
        ASK answer that fits the caps comes back written (``kind == "json"``,
        ``body``); other answers come back as cells."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        # pickle.dumps, not Connection.send's ForkingPickler: a few microseconds a query less.
        message = pickle.dumps((query, self.row_limit, bindings or {}, answer_format), pickle.HIGHEST_PROTOCOL)
        worker = await self._take_worker(deadline)
        try:
            worker.send(message)
        except OSError:
            # It died before the query reached it: not the query's doing, so another worker gets it.
            self._replace(worker)
            worker = await self._take_worker(deadline)
            worker.send(message)
        worker.busy = True
        assert worker.replies is not None
        answer: asyncio.Future[bytes] = loop.create_future()
        worker.replies.waiter = answer
        if worker.replies.closed:  # its pipe closed between the check and now
            answer.set_exception(EOFError("the worker closed its pipe"))
        timer = loop.call_at(deadline, _expire, answer)
        clean = False
        try:
            frame = await answer
            clean = True
        except QueryTimeout:
            raise
        except (EOFError, OSError) as exc:
            status = worker.process.poll()
            if status is None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    status = worker.process.wait(1)
            if status == -6:  # SIGABRT: Rust's answer to a failed allocation under RLIMIT_AS
                raise WorkerMemoryError(f"the query needed more than the worker's {self.memory_mb} MB") from None
            raise WorkerQueryError(
                f"the query could not be run (its worker stopped: {exc or type(exc).__name__})"
            ) from None
        finally:
            timer.cancel()
            worker.busy = False
            if clean:
                self._idle.put_nowait(worker)  # type: ignore[union-attr]
            else:
                # Timed out, failed or cancelled mid-query: the worker may still
                # be busy and would answer the next caller with this result.
                self._replace(worker)
        if frame[:1] == _JSON:
            return Outcome("json", body=frame[1:])
        message = pickle.loads(frame[1:])  # noqa: S301 - our own worker's message
        kind = message[0]
        if kind == "select":
            return Outcome("select", message[1], message[2], truncated=message[3])
        if kind == "ask":
            return Outcome("ask", boolean=message[1])
        if kind == "graph":
            return Outcome("graph", rows=message[1], truncated=message[2])
        if kind == "syntax":
            raise WorkerSyntaxError(message[1])
        if kind == "memory":
            raise WorkerMemoryError(message[1])
        raise WorkerQueryError(message[1])

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        self._respawn()

    def _respawn(self) -> None:
        # A daemon thread, not the executor: retries go on until the pool
        # closes, and must not hold up the interpreter's exit if it never does.
        loop = asyncio.get_running_loop()

        async def deliver(worker: _Worker) -> None:
            if not (self._closed or self._idle is None):
                try:
                    await worker.attach(self._on_lost(worker))
                except OSError as exc:
                    self.last_error = f"a query worker's pipe could not be read: {exc}"
                else:
                    self.restarts += 1
                    self._idle.put_nowait(worker)
                    return
            self._kill(worker)

        def target() -> None:
            worker = self._spawn_retrying()
            if worker is not None:
                delivery = deliver(worker)
                try:
                    asyncio.run_coroutine_threadsafe(delivery, loop)
                except RuntimeError:  # the loop has closed: nobody will use it
                    delivery.close()
                    with contextlib.suppress(OSError):
                        worker.process.kill()

        threading.Thread(target=target, name="kg-respawn", daemon=True).start()

    def health(self) -> dict[str, Any]:
        """The pool's state for ``/health``."""
        alive = sum(1 for w in self._all if w.process.poll() is None)
        return {
            "workers": self.size,
            "alive": alive,
            "idle": self._idle.qsize() if self._idle is not None else 0,
            "waiting": self._waiting,
            "killed": self.killed,
            "restarts": self.restarts,
            "start_failures": self.start_failures,
            "last_error": self.last_error,
            "isolation": self.isolation.value,
            "memory_mb": self.memory_mb,
        }

    async def close(self) -> None:
        self._closed = True
        for worker in list(self._all):
            try:
                worker.close()
            finally:
                with contextlib.suppress(OSError):
                    worker.process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    worker.process.wait(5)
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._all]


def _expire(answer: asyncio.Future[bytes]) -> None:
    if not answer.done():
        answer.set_exception(QueryTimeout())


def _log(message: str) -> None:
    print(f"linzi-kg: {message}", file=sys.stderr, flush=True)


def worker_count() -> int:
    """Default number of workers: twice the cores this process may use, at
    least two (one slow query must not hold up the rest). More workers than
    cores, because a cheap query's worker is idle while its question and
    answer cross the pipes: with 8 clients of ``enterprise-projects`` on 2
    cores, 2 workers gave 0.56 of the Oxigraph server's answers per second,
    4 gave 0.60 to 0.62 and 6 no more (measured with
    :func:`kg.bench.traffic.compare`, both servers up, alternating turns)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(2, 2 * cores)


if __name__ == "__main__":
    main()
