"""Security middleware for ``newsprism serve`` (plain ASGI, no dependencies).

- ``SecurityHeaders``: a strict Content-Security-Policy (no inline script or style: the pages
  load their CSS/JS from ``/static`` and ``/assets``) and the usual hardening headers. A
  response that sets its own CSP (the standalone report, the API docs) keeps it.
- ``BodyLimit``: refuses a request body over the limit with 413, by Content-Length and while
  streaming (a chunked upload cannot slip past: the overrun is an HTTP 413 wherever the body is
  being read, never a "malformed body" 400).
- ``AllowedHosts``: answers 400 to a request whose ``Host`` is not one the server answers to
  (loopback names by default), so a hostile page cannot reach the API by DNS rebinding.
- ``SameOrigin``: refuses state-changing requests sent by another site's page (a cross-site
  form post to a server on localhost), by the ``Origin`` and ``Sec-Fetch-Site`` headers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException

__all__ = ["LOOPBACK_HOSTS", "PAGE_CSP", "AllowedHosts", "BodyLimit", "SameOrigin", "SecurityHeaders", "host_name"]

#: the Host names a server on loopback answers to by default
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

_HARDENING = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # not no-referrer: that makes browsers send "Origin: null" on forms
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *_HARDENING]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Adds the CSP and hardening headers to every HTTP response."""

    def __init__(self, app: ASGIApp, csp: str = PAGE_CSP) -> None:
        self.app = app
        self.csp = csp.encode("ascii")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", self.csp))
                headers += [(k, v) for k, v in _HARDENING if k not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class _TooLarge(HTTPException):
    """Raised from ``receive`` once the body passes the limit. An HTTPException, so that the
    framework's body parsers (which turn other errors into a 400) let it through as a 413."""

    def __init__(self, message: str) -> None:
        super().__init__(413, message)


class BodyLimit:
    """Answers 413 to a request whose body is larger than ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = (f"the request is larger than the {self.max_bytes / 1024 / 1024:g} MB limit; "
                   "send fewer or smaller files")
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _plain(send, 413, message)
                return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge(message)
            return msg

        async def tracking_send(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _plain(send, 413, message)


class SameOrigin:
    """Refuses POST/PUT/PATCH/DELETE sent by another site's page: a browser marks those
    ``Sec-Fetch-Site: cross-site``/``same-site`` (another port on the same host counts) or sends
    an ``Origin`` that is not this host. Requests without those headers (curl, scripts) pass."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        hosts = {h.strip().lower() for h in (headers.get("host", ""), headers.get("x-forwarded-host", "")) if h}
        origin = headers.get("origin")
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site in ("same-origin", "none"):
            cross = False
        elif origin and origin != "null":
            cross = urlsplit(origin).netloc.lower() not in hosts
        else:
            cross = origin == "null" or fetch_site in ("cross-site", "same-site")
        if cross:
            await _plain(send, 403, "cross-site request refused: submit stories from newsprism's own pages "
                                    "(behind a proxy, pass the Host header through)")
            return
        await self.app(scope, receive, send)


def host_name(header: str) -> str:
    """The host name of a ``Host`` header, lower-cased, without port or IPv6 brackets; ``""``
    when the header is malformed (so it matches no allowed name).

    >>> host_name("LocalHost:8000"), host_name("[::1]:8000"), host_name("127.0.0.1"), host_name("[::1")
    ('localhost', '::1', '127.0.0.1', '')
    >>> host_name("[::1].evil"), host_name("localhost:80x"), host_name("::1")
    ('', '', '::1')
    """
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        name, rest = (header[1:end], header[end + 1:]) if end > 0 else ("", "")
    elif header.count(":") == 1:
        name, _, port = header.partition(":")
        rest = ":" + port
    else:
        name, rest = header, ""
    if rest and not (rest.startswith(":") and rest[1:].isdigit()):
        return ""
    return name


class AllowedHosts:
    """Answers 400 unless the request's ``Host`` is allowed: a name in ``hosts`` (any port),
    a subdomain of an entry written ``.example.org``, or anything when ``hosts`` holds ``*``.

    Why: a page on ``evil.example`` can make its name resolve to 127.0.0.1 (DNS rebinding);
    the browser then treats this server as that page's own origin, sends no cross-site
    headers, but still sends ``Host: evil.example``, which is refused here.
    """

    def __init__(self, app: ASGIApp, hosts: Iterable[str] = LOOPBACK_HOSTS) -> None:
        self.app = app
        names = [host_name(h) if not h.strip().startswith(".") else h.strip().lower() for h in hosts]
        self.any = "*" in names
        self.exact = {n for n in names if n and not n.startswith(".")}
        self.suffixes = tuple(n for n in names if n.startswith(".") and len(n) > 1)

    def allowed(self, host: str) -> bool:
        """Is ``host`` (a Host header's value) one this server answers to?"""
        if self.any:
            return True
        name = host_name(host)
        return bool(name) and (name in self.exact or name.endswith(self.suffixes))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        if not self.allowed(host):
            shown = ascii(host[:100]) if host else "(none)"
            await _plain(send, 400, f"this server does not answer to the Host {shown} (a guard against DNS "
                                    "rebinding); open it at its own address, e.g. http://127.0.0.1:8000/, or start "
                                    "it with --allowed-host NAME for the name a proxy serves it under")
            return
        await self.app(scope, receive, send)
