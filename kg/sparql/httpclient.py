"""The HTTP client ``push`` and ``query --endpoint`` talk to other stores with.

Three things urllib and SPARQLWrapper do not give: one deadline for the whole
exchange (a socket timeout restarts with every byte, so a server trickling a
byte a second would hold the caller for ever), a bound on the answer's size,
and authentication answered *before* a large body goes out (urllib sends the
whole body, reads the 401, then sends it again; Virtuoso resets the
connection on bodies of a few megabytes instead of reading them twice).

Every failure is an :class:`~kg.errors.EndpointError` whose message is one
line naming the URL and what happened.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import os
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO

from kg.errors import EndpointError, UsageError

#: Answers larger than this are cut off with an error (a store that never
#: stops sending must not fill the memory).
DEFAULT_MAX_BYTES = 512 * 1024 * 1024

_CHUNK = 1 << 16


class AuthScheme(StrEnum):
    """HTTP authentication schemes for stores that require credentials."""

    BASIC = "basic"
    DIGEST = "digest"


@dataclass(frozen=True)
class Credentials:
    """A user and password; ``scheme`` None means whichever the store asks for."""

    user: str
    password: str
    scheme: AuthScheme | None = None

    def __repr__(self) -> str:  # never show the password
        scheme = self.scheme.value if self.scheme else None
        return f"Credentials(user={self.user!r}, password='***', scheme={scheme!r})"


class Deadline:
    """A point in time by which the whole exchange must be over."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer (status, headers, body) read within the deadline."""

    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def media_type(self) -> str:
        return (self.headers.get("content-type") or "").split(";")[0].strip().lower()

    def detail(self) -> str:
        """The body as one short line of text (HTML tags removed), for error messages."""
        text = self.body[:4000].decode("utf-8", "replace")
        # Virtuoso echoes the whole query (prefixes first) after its reason.
        text = re.split(r"\n\s*SPARQL query:", text, maxsplit=1)[0]
        if "<" in text:
            text = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", text)
            text = re.sub(r"<[^>]*>", "\n", text)
        lines: list[str] = []
        for raw in text.splitlines():
            line = " ".join(raw.split())
            if line and not line.startswith("HTTP/") and line not in lines:
                lines.append(line)
        joined = ": ".join(lines)
        return joined if len(joined) <= 300 else joined[:299] + "…"


Body = bytes | IO[bytes] | None


def exchange(
    method: str,
    url: str,
    *,
    label: str,
    deadline: Deadline,
    body: Body = None,
    headers: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Answer:
    """Send one request and read its whole answer before ``deadline``.

    A watchdog shuts the socket down when the deadline passes, whatever the
    server is doing (silent, or trickling bytes). ``label`` names the
    endpoint in error messages (the URL without its query string).
    """
    parts = urllib.parse.urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    remaining = deadline.remaining()
    if remaining <= 0:
        raise _late(label, deadline)
    factory = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    try:
        conn = factory(parts.hostname or "", parts.port, timeout=remaining)
    except ValueError as exc:  # e.g. a port that is not a number
        raise UsageError(f"--endpoint {label!r}: {exc}") from None
    expired = threading.Event()
    # http.client drops conn.sock once a closing answer's headers are read:
    # keep the socket itself for the watchdog.
    connected: list[socket.socket] = []

    def cut() -> None:
        expired.set()
        for sock in connected:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(remaining, cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.connect()
        if conn.sock is not None:
            connected.append(conn.sock)
        if expired.is_set():
            raise OSError("deadline")
        return _exchange(conn, method, target, body, headers or {}, label, max_bytes, expired.is_set)
    except EndpointError:
        if expired.is_set():
            raise _late(label, deadline) from None
        raise
    except (OSError, http.client.HTTPException) as exc:
        if expired.is_set() or isinstance(exc, TimeoutError):
            raise _late(label, deadline) from None
        if isinstance(exc, ConnectionRefusedError | socket.gaierror) or not connected:
            raise EndpointError(f"{label}: cannot connect ({_reason(exc)})") from None
        raise EndpointError(f"{label}: the connection failed ({_reason(exc)})") from None
    finally:
        watchdog.cancel()
        conn.close()


def _exchange(
    conn: http.client.HTTPConnection,
    method: str,
    target: str,
    body: Body,
    headers: dict[str, str],
    label: str,
    max_bytes: int,
    late: Callable[[], bool],
) -> Answer:
    conn.putrequest(method, target, skip_accept_encoding=True)
    size = _size(body)
    if size is not None:
        headers = {**headers, "Content-Length": str(size)}
    for name, value in headers.items():
        conn.putheader(name, value)
    conn.endheaders()
    send_error: OSError | None = None
    try:
        _send_body(conn, body)
    except OSError as exc:
        # The store may have answered (401, 413) and closed before reading
        # the whole body: its answer says more than the broken pipe does.
        send_error = exc
    try:
        response = conn.getresponse()
    except (OSError, http.client.HTTPException):
        if send_error is not None and not late():
            raise EndpointError(
                f"{label}: the store closed the connection while the request was sent ({_reason(send_error)})"
            ) from None
        raise
    data = bytearray()
    while chunk := response.read1(_CHUNK):
        data += chunk
        if len(data) > max_bytes:
            raise EndpointError(f"{label}: the answer is larger than {max_bytes:,} bytes; stopped reading")
    if late():  # the watchdog's shutdown ends the body like an EOF would
        raise OSError("deadline")
    return Answer(response.status, response.reason, response.headers, bytes(data))


def _size(body: Body) -> int | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        return len(body)
    body.seek(0, os.SEEK_END)
    return body.tell()


def _send_body(conn: http.client.HTTPConnection, body: Body) -> None:
    if body is None:
        return
    if isinstance(body, bytes):
        conn.send(body)
        return
    body.seek(0)
    while chunk := body.read(_CHUNK):
        conn.send(chunk)


def _late(label: str, deadline: Deadline) -> EndpointError:
    return EndpointError(f"{label}: no complete answer within {deadline.seconds:g} s")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


# -- authentication ----------------------------------------------------------------

_PARAM = re.compile(r'([\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)')


def challenges(answer: Answer) -> dict[str, dict[str, str]]:
    """The ``WWW-Authenticate`` challenges of a 401, by lower-case scheme name."""
    out: dict[str, dict[str, str]] = {}
    for value in answer.headers.get_all("www-authenticate") or []:
        scheme, _, rest = value.strip().partition(" ")
        params = {k.lower(): v[1:-1].replace('\\"', '"') if v.startswith('"') else v for k, v in _PARAM.findall(rest)}
        out[scheme.lower()] = params
    return out


def basic_header(credentials: Credentials) -> str:
    token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode("ascii")
    return f"Basic {token}"


_HASHES = {"md5": hashlib.md5, "sha-256": hashlib.sha256}


@dataclass
class Digest:
    """Answers one store's Digest challenge (RFC 7616: MD5 or SHA-256, qop=auth or none)."""

    params: dict[str, str]
    count: int = field(default=0)

    def header(self, method: str, uri: str, credentials: Credentials) -> str:
        algorithm = self.params.get("algorithm", "MD5")
        base = algorithm.lower().removesuffix("-sess")
        if base not in _HASHES:
            raise EndpointError(f"the store asks for Digest with {algorithm}, which is not supported")
        try:
            user, password = credentials.user.encode("ascii"), credentials.password.encode("ascii")
        except UnicodeEncodeError:
            raise UsageError("Digest authentication supports ASCII user names and passwords only") from None

        def h(data: bytes) -> str:
            return _HASHES[base](data).hexdigest()

        realm, nonce = self.params.get("realm", ""), self.params.get("nonce", "")
        cnonce = os.urandom(8).hex()
        ha1 = h(user + b":" + realm.encode() + b":" + password)
        if algorithm.lower().endswith("-sess"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}".encode())
        ha2 = h(f"{method}:{uri}".encode())
        self.count += 1
        nc = f"{self.count:08x}"
        fields = {"username": credentials.user, "realm": realm, "nonce": nonce, "uri": uri}
        qops = [q.strip() for q in self.params.get("qop", "").split(",") if q.strip()]
        if "auth" in qops:
            fields["response"] = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}".encode())
            unquoted = {"qop": "auth", "nc": nc}
            fields["cnonce"] = cnonce
        else:
            fields["response"] = h(f"{ha1}:{nonce}:{ha2}".encode())
            unquoted = {}
        if "opaque" in self.params:
            fields["opaque"] = self.params["opaque"]
        text = ", ".join(f'{k}="{v}"' for k, v in fields.items())
        text += "".join(f", {k}={v}" for k, v in unquoted.items())
        return f"Digest {text}, algorithm={algorithm}"


class Session:
    """Requests to one store with one set of credentials and one deadline.

    It answers the store's challenge once it has seen one, and learns it with
    a body-less request first when a large body is about to go out.
    """

    def __init__(
        self, label: str, credentials: Credentials | None, deadline: Deadline, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self.label = label
        self.credentials = credentials
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.digest: Digest | None = None
        self.basic = False
        self.asked: str | None = None  # the scheme the store asked for, if it did

    def learn(self, url: str) -> None:
        """Ask with HEAD (no body) whether the store wants credentials, and how."""
        answer = exchange("HEAD", url, label=self.label, deadline=self.deadline, max_bytes=self.max_bytes)
        if answer.status == 401:
            self._take(answer)

    def request(self, method: str, url: str, *, body: Body = None, headers: dict[str, str] | None = None) -> Answer:
        """Send the request with what the store asked for; answer a new challenge once."""
        for attempt in range(2):
            sent = {**(headers or {})}
            authorization = self._authorization(method, url)
            if authorization is not None:
                sent["Authorization"] = authorization
            answer = exchange(
                method, url, label=self.label, deadline=self.deadline, body=body, headers=sent, max_bytes=self.max_bytes
            )
            if answer.status != 401 or attempt == 1 or self.credentials is None:
                return answer
            stale = self.digest is not None and challenges(answer).get("digest", {}).get("stale", "").lower() == "true"
            if authorization is not None and not stale:
                return answer  # the credentials were refused
            self._take(answer)
        return answer  # pragma: no cover - the loop returns

    def _take(self, answer: Answer) -> None:
        offered = challenges(answer)
        wanted = self.credentials.scheme if self.credentials else None
        if "digest" in offered and wanted in (None, AuthScheme.DIGEST):
            self.asked, self.digest = "Digest", Digest(offered["digest"])
        elif "basic" in offered and wanted in (None, AuthScheme.BASIC):
            self.asked, self.basic = "Basic", True
        elif offered:
            self.asked = next(iter(offered)).capitalize()
            if wanted is not None:
                raise UsageError(
                    f"{self.label} asks for {' or '.join(s.capitalize() for s in offered)} authentication, "
                    f"not {wanted.value.capitalize()}: leave out --auth or choose one it offers"
                )

    def _authorization(self, method: str, url: str) -> str | None:
        if self.credentials is None:
            return None
        if self.digest is not None:
            parts = urllib.parse.urlsplit(url)
            uri = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            return self.digest.header(method, uri, self.credentials)
        if self.basic or self.credentials.scheme is AuthScheme.BASIC:
            return basic_header(self.credentials)
        return None

    def refusal(self, answer: Answer) -> str:
        """Why a 401 was given, for the error message."""
        if self.credentials is None:
            how = f" ({self.asked})" if self.asked else ""
            return (
                f"the store wants credentials{how}: give --user and --password "
                "(or $LINZI_KG_USER and $LINZI_KG_PASSWORD)"
            )
        return f"the store refused the credentials of user {self.credentials.user!r}"


def failure(session: Session, answer: Answer, hint: str = "") -> EndpointError:
    """The one-line error for an answer that is not a success."""
    reason = f"HTTP {answer.status} {answer.reason}".rstrip()
    if answer.status == 401:
        why = session.refusal(answer)
    else:
        why = answer.detail()
    if answer.status in (301, 302, 303, 307, 308):
        why = f"redirected to {answer.headers.get('location', '?')} (redirects are not followed)"
    text = f"{session.label}: {reason}" + (f": {why}" if why else "") + (f"; {hint}" if hint else "")
    return EndpointError(text)
