"""Security middleware for ``newsprism serve`` (plain ASGI, no dependencies).

- ``SecurityHeaders``: a strict Content-Security-Policy (no inline script or style: the pages
  load their CSS/JS from ``/static`` and ``/assets``) and the usual hardening headers. A
  response that sets its own CSP (the standalone report, the API docs) keeps it.
- ``BodyLimit``: refuses a request body over the limit with 413, by Content-Length and while
  streaming (a chunked upload cannot slip past).
- ``SameOrigin``: refuses state-changing requests sent by another site's page (a cross-site
  form post to a server on localhost), by the ``Origin`` and ``Sec-Fetch-Site`` headers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

__all__ = ["PAGE_CSP", "BodyLimit", "SameOrigin", "SecurityHeaders"]

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


class _TooLarge(Exception):
    pass


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
                    raise _TooLarge
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
