"""Servers the benchmark (and the tests) start and stop: a real Oxigraph
server and ``linzi-kg serve``, each a child process on a loopback port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from kg.errors import KGError


class ServiceError(KGError):
    """A server the benchmark needs did not start."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> Path:
    """The ``oxigraph`` server command (PyPI ``oxigraph``), beside this Python first."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return beside
    found = shutil.which("oxigraph")
    if found is None:
        raise ServiceError("the Oxigraph server is not installed (pip install oxigraph)")
    return Path(found)


@contextmanager
def service(command: Sequence[str], ready_url: str, *, timeout: float = 60.0) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` until the block ends; ready when ``ready_url`` answers 200."""
    proc = subprocess.Popen(list(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with urllib.request.urlopen(ready_url, timeout=2):  # noqa: S310 - our own loopback URL
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
                    raise ServiceError(f"{Path(command[0]).name} did not start: {err.strip()[-500:]}") from None
                time.sleep(0.1)
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


@contextmanager
def oxigraph_server(location: Path | None = None) -> Iterator[str]:
    """A real Oxigraph server on a free loopback port; yields its base URL.

    In memory and writable without ``location``; read-only over the on-disk
    store at ``location`` otherwise.
    """
    with oxigraph_service(location) as (base, _):
        yield base


@contextmanager
def oxigraph_service(location: Path | None = None) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """:func:`oxigraph_server`, yielding its process too."""
    port = free_port()
    command = [str(oxigraph_binary())]
    if location is None:
        command += ["serve"]
    else:
        command += ["serve-read-only", "--location", str(location)]
    command += ["--bind", f"127.0.0.1:{port}"]
    base = f"http://127.0.0.1:{port}"
    with service(command, f"{base}/query?query=ASK%7B%7D") as proc:
        yield base, proc


@contextmanager
def linzi_server(
    args: Sequence[str] = (), *, timeout: float = 600.0, launcher: Sequence[str] = ("-m", "kg")
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``linzi-kg serve`` with ``args`` on a free loopback port; yields its base
    URL and process. ``launcher``: the Python arguments that run the CLI."""
    port = free_port()
    command = [sys.executable, *launcher, "serve", "--port", str(port), *args]
    base = f"http://127.0.0.1:{port}"
    with service(command, f"{base}/sparql?query=ASK%7B%7D", timeout=timeout) as proc:
        yield base, proc


VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def virtuoso_config(directory: Path, *, sql_port: int, http_port: int, template: Path = VIRTUOSO_INI) -> Path:
    """A copy of Debian's ``virtuoso.ini`` with its database in ``directory``
    and its two servers on the given loopback ports; returns its path.

    The result row limit is raised from 10,000 so that no named query is cut
    short at 10 reports, and the hosting plugins (wiki renderers) are left out.
    """
    import re

    text = template.read_text(encoding="utf-8")
    text = text.replace("/var/lib/virtuoso-opensource-7/db", str(directory))
    sections = re.split(r"(?m)^(?=\[)", text)
    out = []
    for section in sections:
        name = section.split("]", 1)[0].lstrip("[").strip()
        if name == "Plugins":
            continue
        if name == "Parameters":
            section = re.sub(r"(?m)^ServerPort\s*=.*$", f"ServerPort = 127.0.0.1:{sql_port}", section)
        elif name == "HTTPServer":
            section = re.sub(r"(?m)^ServerPort\s*=.*$", f"ServerPort = 127.0.0.1:{http_port}", section)
        elif name == "URIQA":
            section = re.sub(r"(?m)^DefaultHost\s*=.*$", f"DefaultHost = 127.0.0.1:{http_port}", section)
        elif name == "SPARQL":
            section = re.sub(r"(?m)^ResultSetMaxRows\s*=.*$", "ResultSetMaxRows = 1000000", section)
        out.append(section)
    path = directory / "virtuoso.ini"
    path.write_text("".join(out), encoding="utf-8")
    return path


@contextmanager
def virtuoso_server(directory: Path) -> Iterator[str]:
    """Debian's Virtuoso (``virtuoso-opensource``) with a fresh database in
    ``directory``, on free loopback ports; yields its HTTP base URL. Its
    Graph Store is ``/sparql-graph-crud-auth`` (Digest, dba/dba), its query
    endpoint ``/sparql``."""
    binary = shutil.which("virtuoso-t")
    if binary is None or not VIRTUOSO_INI.exists():
        raise ServiceError("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    directory.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    while sql_port == http_port:
        sql_port = free_port()
    ini = virtuoso_config(directory, sql_port=sql_port, http_port=http_port)
    base = f"http://127.0.0.1:{http_port}"
    # -f: stay in the foreground, so that terminating the child stops it.
    with service([binary, "-f", "-c", str(ini)], f"{base}/sparql?query=ASK%7B%7D", timeout=120):
        yield base
