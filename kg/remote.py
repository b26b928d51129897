"""Push the graph into any SPARQL 1.1 store through the Graph Store HTTP Protocol.

``PUT`` replaces the target graph (the default graph, or ``?graph=IRI``), so
pushing twice leaves one copy, never two. Credentials go to urllib's Basic or
Digest handlers and are never printed.
"""

from __future__ import annotations

import os
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import EndpointError, UsageError

USER_ENV = "LINZI_KG_USER"
PASSWORD_ENV = "LINZI_KG_PASSWORD"  # noqa: S105 - the name of a variable, not a secret


class AuthScheme(StrEnum):
    """HTTP authentication schemes for stores that require credentials."""

    BASIC = "basic"
    DIGEST = "digest"


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str
    scheme: AuthScheme = AuthScheme.BASIC

    def __repr__(self) -> str:  # never show the password
        return f"Credentials(user={self.user!r}, password='***', scheme={self.scheme.value!r})"


def credentials_from(
    user: str | None, password: str | None, scheme: AuthScheme = AuthScheme.BASIC
) -> Credentials | None:
    """Credentials from options, else from $LINZI_KG_USER / $LINZI_KG_PASSWORD, else None."""
    user = user if user is not None else os.environ.get(USER_ENV)
    password = password if password is not None else os.environ.get(PASSWORD_ENV)
    if user is None:
        if password is not None:
            raise UsageError(f"a password was given without a user (--user or ${USER_ENV})")
        return None
    return Credentials(user, password or "", scheme)


def check_url(url: str, option: str) -> None:
    """Raise UsageError unless ``url`` is an http(s) URL with a host."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{option} {url!r}: expected an http:// or https:// URL")


def opener(url: str, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    """A urllib opener that answers the server's auth challenge with ``credentials``."""
    handlers: list[urllib.request.BaseHandler] = []
    if credentials is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, credentials.user, credentials.password)
        if credentials.scheme is AuthScheme.DIGEST:
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        else:
            handlers.append(urllib.request.HTTPBasicAuthHandler(manager))
    return urllib.request.build_opener(*handlers)


@dataclass(frozen=True)
class PushReport:
    url: str
    triples: int
    status: int


def push(
    graph: Graph | ox.Store,
    endpoint: str,
    *,
    graph_iri: str | None = None,
    credentials: Credentials | None = None,
    timeout: float = 60.0,
) -> PushReport:
    """Replace the store's default graph (or ``graph_iri``) with ``graph``.

    ``endpoint`` is the store's Graph Store Protocol URL, such as
    ``http://127.0.0.1:7878/store`` for Oxigraph or ``.../ds/data`` for Fuseki.
    A pyoxigraph store (the default graph) is streamed from a temporary
    N-Triples file, so millions of triples never sit in memory as one body.
    """
    check_url(endpoint, "--endpoint")
    if graph_iri is not None:
        parts = urllib.parse.urlsplit(graph_iri)
        if not parts.scheme or " " in graph_iri:
            raise UsageError(f"--graph {graph_iri!r}: expected an absolute IRI")
    query = urllib.parse.urlencode({"graph": graph_iri}) if graph_iri else "default"
    url = endpoint + ("&" if "?" in endpoint else "?") + query
    with tempfile.TemporaryFile() as body:
        if isinstance(graph, ox.Store):
            graph.dump(body, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            triples = len(graph)
        else:
            graph.serialize(destination=body, format="nt", encoding="utf-8")
            triples = len(graph)
        headers = {"Content-Type": "application/n-triples", "Content-Length": str(body.tell())}
        data = _Rewinding(body)
        request = urllib.request.Request(url, data=data, method="PUT", headers=headers)  # noqa: S310 - http(s) only
        status = _send(request, endpoint, credentials, timeout)
    return PushReport(url, triples, status)


class _Rewinding:
    """A body that starts again from its first byte each time it is sent: an
    auth challenge makes urllib send the request a second time."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file

    def __iter__(self) -> Iterator[bytes]:
        self.file.seek(0)
        while chunk := self.file.read(1 << 16):
            yield chunk


def _send(request: urllib.request.Request, endpoint: str, credentials: Credentials | None, timeout: float) -> int:
    try:
        # The scheme was checked to be http(s) above.
        with opener(endpoint, credentials).open(request, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
        first = f": {detail[0]}" if detail else ""
        raise EndpointError(f"{endpoint}: HTTP {exc.code} {exc.reason}{first}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise EndpointError(f"{endpoint}: no answer within {timeout:g} s") from None
        raise EndpointError(f"{endpoint}: cannot connect ({exc.reason})") from None
    except TimeoutError:
        raise EndpointError(f"{endpoint}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise EndpointError(f"{endpoint}: connection failed ({exc})") from None
    except UnicodeEncodeError:
        # urllib's Digest handler hashes credentials as ASCII.
        raise UsageError("Digest authentication supports ASCII user names and passwords only") from None
    return status
