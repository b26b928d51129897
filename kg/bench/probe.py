"""One measurement in a fresh process, so that its peak memory is its own:

    python -m kg.bench.probe build STORE [--data FILE]
    python -m kg.bench.probe queries --engine oxigraph|rdflib [--store STORE] [--data FILE]
                                     [--repeats N] [--cap SECONDS] [--load-cap SECONDS]

It prints one JSON object on stdout. A query (or the load) that runs past
its cap is stopped by an alarm signal, which interrupts rdflib's pure-Python
evaluation, and reported as capped instead of a time. pyoxigraph's engine
does not return to Python inside a query, so no signal stops it there:
with ``--stream`` the probe prints a line as each query starts and ends
(``--skip NAME`` leaves queries out), and :mod:`kg.bench.run` kills a
probe whose query passes its cap and goes on in a new one.
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


class Capped(BaseException):
    """The time cap ran out. (A BaseException, like KeyboardInterrupt, so that
    the engines' own ``except Exception`` does not turn it into a query error.)"""


def _alarm(signum: int, frame: Any) -> None:
    raise Capped


@contextmanager
def cap(seconds: float) -> Iterator[None]:
    """Raise :class:`Capped` in this (main) thread after ``seconds``."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed(func: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def peak_mb() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def build(store: str, data: list[str]) -> dict[str, Any]:
    from kg.graph.persist import prepare_store

    seconds, prepared = timed(lambda: prepare_store(store, extra=data))
    return {"build_s": round(seconds, 3), "quads": prepared.manifest["quads"], "peak_mb": peak_mb()}


def queries(
    engine: str,
    store: str | None,
    data: list[str],
    repeats: int,
    limit: float,
    load_cap: float,
    skip: frozenset[str] = frozenset(),
    stream: bool = False,
) -> dict[str, Any]:
    from kg.graph.store import Engine, load_graph
    from kg.sparql.engines import run_query
    from kg.sparql.queries import bindings_for, list_queries

    chosen = Engine(engine)

    def load() -> Any:
        kg = load_graph(store=store, extra=data)
        # What the engine queries is made here, not inside the first query.
        if chosen is Engine.RDFLIB:
            kg.full_graph()
        else:
            run_query(kg, "ASK { ?s ?p ?o }")
        return kg

    try:
        with cap(load_cap):
            load_s, kg = timed(load)
    except Capped:
        return {"load_capped": load_cap, "peak_mb": peak_mb()}
    out: dict[str, Any] = {"load_s": round(load_s, 3), "queries": {}}

    def say(line: dict[str, Any]) -> None:
        if stream:
            print(json.dumps(line), flush=True)

    say({"load_s": out["load_s"]})
    for query in list_queries():
        if query.name in skip:
            continue
        say({"start": query.name})
        bindings = bindings_for(query, {}, kg)
        times: list[float] = []
        try:
            with cap(limit):
                for _ in range(repeats):
                    seconds, _ = timed(lambda: run_query(kg, query.text, bindings, engine=chosen))  # noqa: B023
                    times.append(seconds)
        except Capped:
            if not times:
                out["queries"][query.name] = {"capped": limit}
                continue
        out["queries"][query.name] = {"median_ms": round(statistics.median(times) * 1000, 3), "runs": len(times)}
        say({"done": query.name, "result": out["queries"][query.name]})
    out["peak_mb"] = peak_mb()
    return out


def page(store: str | None, data: list[str], path: str, repeats: int) -> dict[str, Any]:
    """An entity page of the explorer on the graph opened from ``store``: the first and the median of the rest."""
    import asyncio

    import httpx

    from kg.graph.store import load_graph
    from kg.web.server import create_app

    app = create_app(load_graph(store=store, extra=data))

    async def run() -> list[float]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            times = []
            for _ in range(repeats + 1):
                started = time.perf_counter()
                response = await client.get(path, headers={"accept": "text/html"})
                times.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: HTTP {response.status_code}")
            return times

    times = asyncio.run(run())
    return {
        "path": path,
        "first_ms": round(times[0] * 1000, 1),
        "median_ms": round(statistics.median(times[1:]) * 1000, 1),
        "runs": repeats,
        "peak_mb": peak_mb(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kg.bench.probe", description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    b = sub.add_parser("build")
    b.add_argument("store")
    b.add_argument("--data", action="append", default=[])
    q = sub.add_parser("queries")
    q.add_argument("--engine", choices=["oxigraph", "rdflib"], required=True)
    q.add_argument("--store", default=None)
    q.add_argument("--data", action="append", default=[])
    q.add_argument("--repeats", type=int, default=5)
    q.add_argument("--cap", type=float, default=10.0)
    q.add_argument("--load-cap", type=float, default=300.0)
    pg = sub.add_parser("page")
    pg.add_argument("--store", default=None)
    pg.add_argument("--data", action="append", default=[])
    pg.add_argument("--path", default="/id/enterprise/juheshun")
    pg.add_argument("--repeats", type=int, default=20)
    q.add_argument("--skip", action="append", default=[])
    q.add_argument("--stream", action="store_true")
    args = parser.parse_args(argv)
    if args.what == "build":
        result = build(args.store, args.data)
    elif args.what == "page":
        result = page(args.store, args.data, args.path, args.repeats)
    else:
        result = queries(
            args.engine, args.store, args.data, args.repeats, args.cap, args.load_cap, frozenset(args.skip), args.stream
        )
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
