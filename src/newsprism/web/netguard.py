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

IPv6 forms that carry an IPv4 address (mapped ``::ffff:a.b.c.d``, compatible ``::a.b.c.d``, NAT64
``64:ff9b::/96``, 6to4 ``2002::/16``, Teredo) are judged by the IPv4 address inside, so
``[64:ff9b::a9fe:a9fe]`` (the cloud metadata address through a NAT64 gateway) is refused:

>>> is_public("64:ff9b::a9fe:a9fe"), is_public("2002:a9fe:a9fe::1"), is_public("::a9fe:a9fe"), is_public("fec0::1")
(False, False, False, False)
>>> is_public("64:ff9b::808:808"), is_public("2606:4700:4700::1111")
(True, True)
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import httpx

from newsprism.errors import InputError

__all__ = ["GuardedTransport", "Resolver", "check_url_allowed", "embedded_ipv4", "is_public", "resolve_host"]

#: resolve(host, port) -> the IP addresses (as strings) it would connect to
Resolver = Callable[[str, int], list[str]]

ALLOW_HINT = "newsprism serve fetches only public addresses; its operator can allow others with --allow-private-urls"


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), via the system resolver."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052 well-known prefix: the last 32 bits are IPv4
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215 local-use translation: never public
_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated IPv4-compatible ::a.b.c.d (and ::, ::1)
_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")  # SIIT IPv4-translated ::ffff:0:a.b.c.d


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, translated, NAT64, 6to4,
    Teredo client), or None.

    >>> embedded_ipv4(ipaddress.IPv6Address("64:ff9b::7f00:1"))
    IPv4Address('127.0.0.1')
    >>> embedded_ipv4(ipaddress.IPv6Address("2606:4700::1")) is None
    True
    """
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64 or ip in _COMPATIBLE or ip in _TRANSLATED:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(address: str) -> bool:
    """True for a globally routable unicast address: the standard library's ``is_global``, after
    unwrapping the IPv6 forms that carry an IPv4 address (see :func:`embedded_ipv4`), minus
    multicast, site-local (``fec0::/10``) and local-use NAT64. An unparsable address is not public.

    >>> is_public("93.184.215.14"), is_public("169.254.169.254"), is_public("::ffff:10.0.0.1"), is_public("nope")
    (True, False, False, False)
    """
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local or ip in _NAT64_LOCAL:
            return False
        inner = embedded_ipv4(ip)
        if inner is not None:  # judged by where it really leads: 64:ff9b::a9fe:a9fe is 169.254.169.254
            ip = inner
    return ip.is_global and not ip.is_multicast and not ip.is_unspecified


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
    if not addresses:
        return InputError(url, f"the host name {host} resolves to no address", "check the address",
                          code="unreachable")
    for address in addresses:
        if not is_public(address):
            return _blocked(url, host, address)
    return None


class _Deadline(httpx.SyncByteStream):
    """A response body that raises ``httpx.ReadTimeout`` once ``deadline`` passes: the read
    timeout bounds each wait, not the whole body, so a server dripping one byte every few
    seconds would otherwise hold a job for ever."""

    def __init__(self, inner: httpx.SyncByteStream, deadline: float, total: float) -> None:
        self.inner, self.deadline, self.total = inner, deadline, total

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.inner:
            if time.monotonic() > self.deadline:
                raise httpx.ReadTimeout(f"the response took more than {self.total:g} s in all")
            yield chunk

    def close(self) -> None:
        self.inner.close()


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport that connects only to public addresses (unless ``allow_private``),
    pinning each request to the address it checked; TLS still verifies the host name. Each
    response must arrive whole within ``total_timeout`` seconds."""

    def __init__(self, *, allow_private: bool = False, resolve: Resolver = resolve_host,
                 inner: httpx.BaseTransport | None = None, total_timeout: float = 60.0) -> None:
        self.allow_private = allow_private
        self.resolve = resolve
        self.inner = inner or httpx.HTTPTransport()
        self.total_timeout = total_timeout

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Check the request's host, send it to the checked address, bound the body's time."""
        deadline = time.monotonic() + self.total_timeout
        response = self._send(request)
        if isinstance(response.stream, httpx.SyncByteStream):
            response.stream = _Deadline(response.stream, deadline, self.total_timeout)
        return response

    def _send(self, request: httpx.Request) -> httpx.Response:
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
                # an InputError, not an httpx error: the fetcher would call a ConnectError
                # "unreachable", and a redirect to a private address is "blocked"
                raise _blocked(str(url), host, address)
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
