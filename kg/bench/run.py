"""The benchmark: for each size, synthetic reports are generated, built into
an on-disk store and measured (build, load, memory, every named query on
pyoxigraph, on rdflib and through a real Oxigraph server's endpoint, and
the throughput of ``linzi-kg serve`` beside that server's).

Each measurement that needs its own memory figure runs in a fresh process
(:mod:`kg.bench.probe`); servers are real child processes on loopback
ports (:mod:`kg.bench.servers`).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kg.errors import KGError, UsageError


class BenchError(KGError):
    """A benchmark step failed (a probe crashed or a server did not start)."""


@dataclass(frozen=True)
class BenchConfig:
    """What to measure; the defaults are those of the published results."""

    sizes: tuple[int, ...] = (1, 10, 100, 1000)
    repeats: int = 5
    cap: float = 10.0
    load_cap: float = 120.0
    rdflib: bool = True
    endpoint: bool = True
    explore: bool = True
    clients: tuple[int, ...] = (1, 8)
    seconds: float = 10.0
    # Each throughput run is cut into turns that alternate between the two
    # servers, so that other load on the machine weighs on both alike.
    rounds: int = 5
    # Seconds of one client per server and query for the CPU time per answer (kg.bench.cost).
    cost_seconds: float = 3.0
    # A typical answer (17 rows for Linzi, growing with the reports) and a
    # bound lookup (constant size): the second shows the serving overhead.
    throughput_queries: tuple[str, ...] = ("targets-2023", "enterprise-projects")
    cli_query: str = "targets-2023"
    cli_runs: int = 10
    seed: int = 0
    work: Path = field(default_factory=lambda: Path("build/bench-work"))

    def __post_init__(self) -> None:
        if not self.sizes or any(n < 1 for n in self.sizes):
            raise UsageError("--sizes: give report counts of at least 1, e.g. 1,10,100,1000")
        if self.repeats < 1:
            raise UsageError("--repeats must be at least 1")
        if self.rounds < 1:
            raise UsageError("--rounds must be at least 1")
        if any(c < 1 for c in self.clients):
            raise UsageError("--clients: give client counts of at least 1, e.g. 1,8")
        if self.cap <= 0 or self.load_cap <= 0 or self.seconds <= 0:
            raise UsageError("--cap, --load-cap and --seconds must be positive")


Log = Callable[[str], None]


def _probe(args: list[str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "kg.bench.probe", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BenchError(f"probe {' '.join(args[:3])} failed: {done.stderr.strip()[-800:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _engine_queries(args: list[str], config: BenchConfig) -> dict[str, Any]:
    """The oxigraph probe, line by line: a query that passes its cap (which
    no signal can stop inside pyoxigraph) gets its probe killed, is reported
    as capped, and the other queries go on in a new probe."""
    import queue
    import threading

    capped: dict[str, Any] = {}
    while True:
        skip = [a for name in capped for a in ("--skip", name)]
        command = [sys.executable, "-m", "kg.bench.probe", *args, "--stream", *skip]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
        lines: queue.Queue[str | None] = queue.Queue()

        def pump(stream: Any = proc.stdout, into: queue.Queue[str | None] = lines) -> None:
            for line in stream:
                into.put(line)
            into.put(None)

        threading.Thread(target=pump, daemon=True).start()
        running: str | None = None
        last: dict[str, Any] | None = None
        try:
            while True:
                # A query's repeats stop once they pass the cap; one run alone may take it twice over.
                line = lines.get(timeout=config.load_cap if running is None else 2 * config.cap + 5)
                if line is None:
                    break
                message = json.loads(line)
                if "start" in message:
                    running = message["start"]
                elif "done" in message:
                    running = None
                else:
                    last = message
        except queue.Empty:
            proc.kill()
        proc.wait()
        err = proc.stderr.read() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        if running is not None and proc.returncode != 0:
            capped[running] = {"capped": config.cap, "note": "stopped from outside"}
            continue
        if proc.returncode != 0 or last is None or "queries" not in last:
            raise BenchError(f"probe {' '.join(args[:3])} failed: {err.strip()[-800:]}")
        result = {**last, "queries": {**last["queries"], **capped}}
        names = [q.name for q in _list_queries()]
        result["queries"] = {name: result["queries"][name] for name in names if name in result["queries"]}
        return result


def _list_queries() -> list[Any]:
    from kg.sparql.queries import list_queries

    return list(list_queries())


def machine() -> dict[str, Any]:
    """The machine and software the numbers come from."""
    import pyoxigraph
    import rdflib

    from kg import __version__
    from kg.bench.servers import oxigraph_binary

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    try:
        server = subprocess.run(  # noqa: S603
            [str(oxigraph_binary()), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except KGError:
        server = "not installed"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "linzi-kg": __version__,
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "oxigraph server": server,
    }


def _capped_median(func: Callable[[], object], repeats: int, cap: float) -> dict[str, Any]:
    """Median of up to ``repeats`` runs, stopping once ``cap`` seconds are spent;
    a first run that fails on its time limit is reported as capped."""
    from kg.errors import EndpointError

    times: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        try:
            func()
        except EndpointError:
            if not times:
                return {"capped": cap}
            break
        times.append(time.perf_counter() - started)
        if sum(times) > cap:
            break
    return {"median_ms": round(statistics.median(times) * 1000, 3), "runs": len(times)}


def _command() -> list[str]:
    script = Path(sys.executable).parent / "linzi-kg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kg"]


# Runs a command and prints its peak resident memory (KB on Linux), so that
# each command's memory is its own and not the benchmark's.
_PEAK = (
    "import resource, subprocess, sys; "
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
    "sys.stderr.write(r.stderr.decode()[-500:]) if r.returncode else None; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
)


def _cli_runs(args: list[str], runs: int, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Median wall time end to end and peak memory of a ``linzi-kg`` command (after one run that prepares the store)."""
    command = [sys.executable, "-c", _PEAK, *_command(), *args]
    environ = {**os.environ, **(env or {})}
    first = subprocess.run(command, capture_output=True, text=True, env=environ)  # noqa: S603
    if first.returncode != 0:
        raise BenchError(f"linzi-kg {' '.join(args)} failed: {first.stderr.strip()[-300:]}")
    times, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True, env=environ)  # noqa: S603
        times.append(time.perf_counter() - started)
        peaks.append(int(done.stdout.strip().splitlines()[-1]) / 1024)
    return {"median_s": round(statistics.median(times), 3), "peak_mb": round(max(peaks), 1), "runs": runs}


def _cli_seconds(work: Path, name: str, runs: int) -> float:
    """``linzi-kg query NAME`` with no options: the prepared store in the cache (here under ``work``)."""
    cache = work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    result = _cli_runs(["query", name], runs, env={"LINZI_KG_CACHE": str(cache)})
    return float(result["median_s"])


def _explore(store: Path, synth: Path, config: BenchConfig) -> dict[str, Any]:
    """``query`` beside ``path`` (time, memory) and an entity page, on a store of synthetic reports."""
    data = ["--store", str(store), "--data", str(synth)]
    out: dict[str, Any] = {
        "query": _cli_runs(["query", config.cli_query, *data], config.cli_runs),
        "path": _cli_runs(["path", "聚合顺", "临淄区", *data], config.cli_runs),
    }
    out["path_memory_ratio"] = round(out["path"]["peak_mb"] / out["query"]["peak_mb"], 2)
    out["entity_page"] = _probe(["page", "--store", str(store), "--data", str(synth)])
    return out


def _endpoint(
    location: Path, kg: Any, config: BenchConfig, in_process: dict[str, Any], serve_args: list[str]
) -> dict[str, Any]:
    from kg.bench.cost import cost
    from kg.bench.servers import linzi_server, oxigraph_service
    from kg.bench.traffic import compare
    from kg.sparql.engines import remote_text, run_remote
    from kg.sparql.queries import bindings_for, get_query, list_queries

    out: dict[str, Any] = {"queries": {}, "throughput": [], "cost": []}
    texts: dict[str, str] = {}
    for name in config.throughput_queries if config.clients else ():
        median = in_process.get(name, {}).get("median_ms", float("inf"))
        if median > _THROUGHPUT_MAX_MS:
            out["throughput"].append(
                {
                    "query": name,
                    "skipped": f"one answer takes {median / 1000:.1f} s in-process, so a run "
                    "would time the engine, not the server",
                }
            )
        else:
            named = get_query(name)
            texts[name] = remote_text(named.text, bindings_for(named, {}, kg))
    runs: dict[str, dict[str, Any]] = {
        name: {
            "query": name,
            "seconds": config.seconds,
            "rounds": _rounds(config, in_process, name),
            "oxigraph": {},
            "linzi": {},
        }
        for name in texts
    }
    with oxigraph_service(location) as (base, _):
        for query in list_queries():
            bindings = bindings_for(query, {}, kg)
            out["queries"][query.name] = _capped_median(
                lambda: run_remote(f"{base}/query", query.text, bindings, timeout=config.cap),  # noqa: B023
                config.repeats,
                config.cap,
            )
    if texts:
        # A fresh Oxigraph server: the one above may still be running a query its
        # client gave up on. Both servers up at once (an idle one costs nothing),
        # measured in alternation.
        with oxigraph_service(location) as (base, oxigraph), linzi_server(serve_args) as (ours, serve):
            for name, text in texts.items():
                out["cost"].append(
                    {
                        "query": name,
                        "oxigraph": cost(f"{base}/query", text, pid=oxigraph.pid, seconds=config.cost_seconds),
                        "linzi": cost(f"{ours}/sparql", text, pid=serve.pid, seconds=config.cost_seconds),
                    }
                )
                for clients in config.clients:
                    theirs, mine = compare(
                        [f"{base}/query", f"{ours}/sparql"],
                        text,
                        clients=clients,
                        seconds=config.seconds,
                        rounds=runs[name]["rounds"],
                    )
                    runs[name]["oxigraph"][str(clients)] = asdict(theirs)
                    runs[name]["linzi"][str(clients)] = asdict(mine)
    out["throughput"].extend(runs.values())
    return out


def _rounds(config: BenchConfig, in_process: dict[str, Any], name: str) -> int:
    """Turns for a throughput run: fewer for a slow query, whose answers still
    in flight when a turn ends are lost (a turn should hold about 50 answers'
    time of one client)."""
    median = in_process.get(name, {}).get("median_ms", 0.0)
    if median <= 0:
        return config.rounds
    return max(1, min(config.rounds, int(config.seconds * 1000 / (50 * median))))


#: Throughput is measured only for queries answered in-process within this:
#: past it a 10 s run collects a handful of answers and times the engine.
_THROUGHPUT_MAX_MS = 1000.0


def run_benchmark(config: BenchConfig, *, log: Log = print) -> dict[str, Any]:
    """Measure every size in ``config``; returns the results as one JSON-able dict."""
    from kg.bench.synth import write_synthetic
    from kg.graph.persist import prepare_store
    from kg.graph.store import load_graph

    work = config.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(config).items()},
        "sizes": [],
    }
    log(f"linzi-kg query {config.cli_query} (no options: the prepared store): {config.cli_runs} runs")
    results["cli_query_s"] = _cli_seconds(work, config.cli_query, config.cli_runs)
    previous_rdflib: tuple[int, float] | None = None
    for n in sorted(set(config.sizes)):
        row: dict[str, Any] = {"reports": n}
        synth = work / f"synth-{n}.nt"
        log(f"[{n} reports] generating")
        started = time.perf_counter()
        row["triples"] = write_synthetic(synth, n, seed=config.seed)
        row["generate_s"] = round(time.perf_counter() - started, 3)
        store = work / f"store-{n}"
        shutil.rmtree(store, ignore_errors=True)
        log(f"[{n} reports] building the store ({row['triples']:,} triples)")
        row["build"] = _probe(["build", str(store), "--data", str(synth)])
        log(f"[{n} reports] named queries on pyoxigraph")
        common = ["--data", str(synth), "--repeats", str(config.repeats), "--cap", str(config.cap)]
        row["oxigraph"] = _engine_queries(["queries", "--engine", "oxigraph", "--store", str(store), *common], config)
        if not config.rdflib:
            row["rdflib"] = {"skipped": "not asked for (--no-rdflib)"}
        elif previous_rdflib and previous_rdflib[1] * n / previous_rdflib[0] > config.load_cap:
            projected = previous_rdflib[1] * n / previous_rdflib[0]
            row["rdflib"] = {"skipped": f"load would take about {projected:.0f} s, past the {config.load_cap:g} s cap"}
        else:
            log(f"[{n} reports] named queries on rdflib")
            row["rdflib"] = _probe(["queries", "--engine", "rdflib", *common, "--load-cap", str(config.load_cap)])
            if "load_s" in row["rdflib"]:
                previous_rdflib = (n, row["rdflib"]["load_s"])
            else:
                previous_rdflib = (n, config.load_cap * 2)
        if config.explore:
            log(f"[{n} reports] query and path end to end, an entity page")
            row["explore"] = _explore(store, synth, config)
        if config.endpoint:
            log(f"[{n} reports] Oxigraph server endpoint and serve throughput")
            prepared = prepare_store(store, extra=[synth])
            kg = load_graph(store=store, extra=[synth])
            serve_args = ["--store", str(store), "--data", str(synth)]
            row["endpoint"] = _endpoint(prepared.location, kg, config, row["oxigraph"]["queries"], serve_args)
            del kg
        results["sizes"].append(row)
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    return results
