"""Where a server's time goes: CPU time per answer of each of its processes
(user and system time from ``/proc``, workers included) while one client
sends the same query back to back.

Answers per second depend on everything else the machine runs; CPU time
per answer much less so, and it splits a server's cost between its
processes (for ``linzi-kg serve``: the HTTP front and the query workers).
Linux only; elsewhere the figures are left out.
"""

from __future__ import annotations

import http.client
import os
import time
import urllib.parse
from pathlib import Path
from typing import Any

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu(pid: int) -> float | None:
    """User plus system seconds of ``pid`` so far (its own, not its children's)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


def children(pid: int) -> list[int]:
    """The live child processes of ``pid``."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            out.append(int(entry.name))
    return out


def cost(url: str, query: str, *, pid: int, seconds: float = 3.0, at_least: int = 5) -> dict[str, Any]:
    """CPU microseconds per answer of ``pid`` ("front") and of its children
    ("workers"), of this client, and the wall time per answer, over
    ``seconds`` (or ``at_least`` answers) of sequential requests to ``url``."""
    parts = urllib.parse.urlsplit(url)
    path = f"{parts.path}?{urllib.parse.urlencode({'query': query})}"
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=60)

    def ask() -> None:
        conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise OSError(f"{url} answered {response.status}")

    try:
        for _ in range(3):  # warm: the workers have the query's pages, the front its prepared request
            ask()
        kids = children(pid)
        before = {p: _cpu(p) for p in [pid, *kids]}
        client = time.process_time()
        started = time.perf_counter()
        answers = 0
        while answers < at_least or time.perf_counter() - started < seconds:
            ask()
            answers += 1
        wall = time.perf_counter() - started
        client = time.process_time() - client
        after = {p: _cpu(p) for p in before}
    finally:
        conn.close()
    if any(v is None for v in [*before.values(), *after.values()]):
        return {"skipped": "no /proc figures for the server's processes"}
    used = {p: after[p] - before[p] for p in before}  # type: ignore[operator]

    def per_answer(value: float) -> float:
        return round(value / answers * 1e6, 1)

    return {
        "answers": answers,
        "wall_us": per_answer(wall),
        "client_us": per_answer(client),
        "front_us": per_answer(used[pid]),
        "workers_us": per_answer(sum(used[p] for p in kids)),
    }
