"""Server-side fetching that cannot be pointed at the server's own network.

A user of ``newsprism serve`` may submit any URL; fetched naively, ``http://127.0.0.1:…`` or
``http://169.254.169.254/`` would reach services that only the server can see. So every
request the web app makes (the URL itself, each redirect, each feed link) goes through
:class:`GuardedTransport`: it resolves the host, refuses unless every address is public, and
connects to the address it checked (so a second DNS answer cannot swap in a private one).
The operator can lift the rule with ``--allow-private-urls``.

>>> is_public("93.184.215.14"), is_public("127.0.0.1"), is_public("10.1.2.3"), is_public("::ffff:192.168.0.1")
(True, False, False, False)
>>> check_url_allowed("file:///etc/passwd", allow_private=False).code
'unsupported'
>>> check_url_allowed("http://localhost:8000/", allow_private=False, resolve=lambda h, p: ["127.0.0.1"]).code
'blocked'
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from newsprism.errors import InputError

__all__ = ["GuardedTransport", "Resolver", "check_url_allowed", "is_public", "resolve_host"]

#: resolve(host, port) -> the IP addresses (as strings) it would connect to
Resolver = Callable[[str, int], list[str]]

ALLOW_HINT = "newsprism serve fetches only public addresses; its operator can allow others with --allow-private-urls"


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), via the system resolver."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local, ...)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _port(scheme: str, port: int | None) -> int:
    return port or (443 if scheme == "https" else 80)


def _blocked(url: str, host: str, address: str) -> InputError:
    return InputError(url, f"{host} is {address}, a private, loopback or reserved address, so it was not fetched",
                      ALLOW_HINT, code="blocked")


def check_url_allowed(url: str, *, allow_private: bool, resolve: Resolver = resolve_host) -> InputError | None:
    """Why ``url`` may not be fetched (an InputError to report), or None when it may."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        return InputError(url, f"it is not a valid URL ({e})", "check the address", code="unsupported")
    if parts.scheme.lower() not in ("http", "https"):
        return InputError(url, f"the {parts.scheme or 'missing'} scheme is not supported",
                          "pass an http:// or https:// address", code="unsupported")
    host = parts.hostname
    if not host:
        return InputError(url, "the URL has no host name", "check the address", code="unsupported")
    if allow_private:
        return None
    try:
        addresses = resolve(host, _port(parts.scheme.lower(), port))
    except (OSError, UnicodeError) as e:
        return InputError(url, f"the host name {host} could not be resolved ({e})",
                          "check the address and the server's connection", code="unreachable")
    for address in addresses:
        if not is_public(address):
            return _blocked(url, host, address)
    return None


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport that connects only to public addresses (unless ``allow_private``),
    pinning each request to the address it checked; TLS still verifies the host name."""

    def __init__(self, *, allow_private: bool = False, resolve: Resolver = resolve_host,
                 inner: httpx.BaseTransport | None = None) -> None:
        self.allow_private = allow_private
        self.resolve = resolve
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Check the request's host, then send it to the checked address."""
        url = request.url
        if url.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"the {url.scheme} scheme is not supported", request=request)
        if self.allow_private:
            return self.inner.handle_request(request)
        host = url.host
        try:
            addresses = self.resolve(host, _port(url.scheme, url.port))
        except (OSError, UnicodeError) as e:
            raise httpx.ConnectError(f"host name not found: {host} ({e})", request=request) from e
        if not addresses:
            raise httpx.ConnectError(f"host name not found: {host}", request=request)
        for address in addresses:
            if not is_public(address):
                raise httpx.ConnectError(f"blocked: {host} is {address}, a private, loopback or reserved "
                                         f"address ({ALLOW_HINT})", request=request)
        extensions = dict(request.extensions)
        try:
            ipaddress.ip_address(host)
        except ValueError:
            extensions["sni_hostname"] = host  # TLS checks the certificate against the name, not the IP
        pinned = httpx.Request(request.method, url.copy_with(host=addresses[0]), headers=request.headers,
                               stream=request.stream, extensions=extensions)
        return self.inner.handle_request(pinned)

    def close(self) -> None:
        """Close the inner transport."""
        self.inner.close()
