"""Serving the playground safely: who may talk to it, and what its pages may do.

:class:`Guard` wraps the application (ASGI middleware) and, before any route runs:

* accepts only requests whose ``Host`` header names one of the configured host names, so that a
  web page on another site cannot reach the server through DNS rebinding (its own name made to
  resolve to 127.0.0.1: the browser then calls it same-origin, but sends that name as the Host);
* with an access ``token`` (required when the server listens beyond this machine), accepts only
  requests that carry it, in the URL (``?token=...``) or in the cookie that the page's first
  load with the token sets (HttpOnly, SameSite=Strict);
* adds security headers to every response: a Content-Security-Policy without inline script
  that allows only this server's own scripts, styles, images and connections (and no framing),
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` (the token never leaks
  in a Referer), ``X-Frame-Options: DENY`` and same-origin opener and resource policies.

:func:`check_origin` is for the routes that change state (every POST and the WebSocket): the
request must come from a page of this server, by its ``Origin`` header. :func:`read_body`
reads a request body up to a limit and stops there.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

#: the host names of this machine, always accepted by a server that listens on loopback
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class RequestRefused(Exception):
    """A request that is turned away: its HTTP status and the reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


#: a Host header: a name, an IPv4 address or a bracketed IPv6 address, and an optional port
_HOST = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def host_name(host_header: str | None) -> str | None:
    """The host name of a ``Host`` header, lower-case, without port or IPv6 brackets; None if
    the header is missing or is not a host and port."""
    if not host_header or not _HOST.fullmatch(host_header):
        return None
    return urlsplit(f"//{host_header}").hostname


def _security_headers(host: str | None) -> list[tuple[bytes, bytes]]:
    """The headers of every response; ``host`` is the page's (its WebSocket may connect back),
    None for a refusal."""
    connect = f"'self' ws://{host} wss://{host}" if host else "'none'"
    policy = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              f"connect-src {connect}; base-uri 'none'; form-action 'none'; "
              "frame-ancestors 'none'")
    return [(name.encode(), value.encode()) for name, value in (
        ("content-security-policy", policy),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
    )]


class Guard:
    """ASGI middleware: the Host check, the access token and the security headers.

    Parameters
    ----------
    app
        The ASGI application to guard.
    hosts : sequence of str
        Host names (or IP addresses) the server answers to.
    token : str, optional
        The access token, or None (a server on loopback needs none).
    """

    def __init__(self, app, hosts, token: str | None = None) -> None:
        self.app = app
        self.hosts = frozenset(host.lower().strip("[]") for host in hosts)
        self.token = token
        digest = hashlib.sha256((token or "").encode()).hexdigest()[:12]
        #: the cookie holding the token (its name differs per token: two servers on one
        #: machine, which share cookies, keep theirs apart)
        self.cookie = f"neuralab_playground_{digest}"

    def _check(self, scope, headers: dict[str, str]) -> bool:
        """Whether the request may go on; True if it brought the token in its URL. Raises
        RequestRefused otherwise."""
        name = host_name(headers.get("host"))
        if name not in self.hosts:
            raise RequestRefused(400, (
                f"This playground server answers to {', '.join(sorted(self.hosts))}; the request "
                f"named {headers.get('host')!r}. Open the address that `neuralab playground` "
                "printed (or start it with --allow-host NAME)."))
        if self.token is None:
            return False
        given = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])[0]
        if hmac.compare_digest(given.encode(), self.token.encode()):
            return True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is no token
            cookie = SimpleCookie()
        kept = cookie[self.cookie].value if self.cookie in cookie else ""
        if hmac.compare_digest(kept.encode(), self.token.encode()):
            return False
        raise RequestRefused(403, (
            "This playground server needs its access token: open the full link that "
            "`neuralab playground` printed (it ends in ?token=...)."))

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1")
                   for key, value in scope["headers"]}
        try:
            with_token = self._check(scope, headers)
        except RequestRefused as refused:
            await _refuse(scope, send, refused)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        extra = _security_headers(headers["host"])
        if with_token:
            extra.append((b"set-cookie", (f"{self.cookie}={self.token}; Path=/; HttpOnly; "
                                          "SameSite=Strict").encode()))

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(scope, send, refused: RequestRefused) -> None:
    if scope["type"] == "websocket":  # before the handshake: the browser sees HTTP 403
        await send({"type": "websocket.close", "code": 1008, "reason": refused.reason[:120]})
        return
    body = refused.reason.encode()
    await send({"type": "http.response.start", "status": refused.status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            *_security_headers(None)]})
    await send({"type": "http.response.body", "body": body})


def check_origin(headers) -> None:
    """Raise RequestRefused(403) unless the request's ``Origin`` is this server (the same
    host and port as its ``Host``, which the Guard has checked): a page of another site may not
    change a session (cross-site request forgery, WebSocket hijacking)."""
    origin = headers.get("origin")
    if origin is None:
        raise RequestRefused(403, "A request that changes a session must come from the "
                                  "playground's page: it has no Origin header.")
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or parts.netloc != headers.get("host"):
        raise RequestRefused(403, f"Requests from {origin!r} are refused: only the "
                                  "playground's own page may change its sessions.")


async def read_body(request, limit: int, what: str) -> bytes:
    """The request's body, read in chunks up to ``limit`` bytes; RequestRefused(413) as soon as
    it is (or says it is) larger, before more is read."""
    too_large = RequestRefused(413, f"The {what} is larger than this server's limit of "
                                    f"{limit:,} bytes.")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)
