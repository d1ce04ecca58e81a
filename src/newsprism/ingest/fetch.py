"""HTTP fetching for URLs and feed links: timeouts, redirects, a size cap, clear errors.

The client is injectable: pass ``client=`` (an ``httpx.Client``) or ``transport=`` (for
tests, e.g. ``httpx.MockTransport``) to ``Fetcher``.

>>> import httpx
>>> ok = httpx.MockTransport(lambda r: httpx.Response(200, text="Hi", headers={"content-type": "text/plain"}))
>>> with Fetcher(transport=ok) as f:
...     page = f.fetch("https://news.example/a")
>>> (page.status, page.media_type, page.content)
(200, 'text/plain', b'Hi')
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from newsprism import __version__
from newsprism.errors import InputError

__all__ = ["USER_AGENT", "Fetched", "Fetcher", "HttpStatusError", "retry_after_seconds"]

USER_AGENT = f"newsprism/{__version__} (+https://github.com/newsprism/newsprism)"
_MB = 1_000_000


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched response: final URL (after redirects), status, media type, charset, body.

    ``etag`` and ``last_modified`` are the response's validators, for a conditional request
    next time (``Fetcher.fetch(url, headers={"If-None-Match": etag})``); a 304 answer to one
    is a ``Fetched`` with status 304 and no content.
    """

    url: str
    status: int
    media_type: str
    charset: str | None
    content: bytes
    etag: str | None = None
    last_modified: str | None = None


class Fetcher:
    """Fetches http(s) URLs; every failure is an ``InputError`` that names the URL.

    Defaults: connect timeout 10 s, read timeout 20 s, at most 5 redirects, 5 MB per
    response (the body is streamed and dropped once past the limit), and 60 s for a whole
    download: a server that trickles a byte now and then never trips the read timeout.
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 20.0,
        max_redirects: int = 5,
        max_bytes: int = 5 * _MB,
        total_timeout: float = 60.0,
    ) -> None:
        self.timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self.max_bytes = max_bytes
        self.total_timeout = total_timeout
        self._own = client is None
        self.client = client or httpx.Client(
            transport=transport,
            timeout=self.timeout,
            follow_redirects=True,
            max_redirects=max_redirects,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                "application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
            },
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the client, when this fetcher made it."""
        if self._own:
            self.client.close()

    def fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> Fetched:
        """GET ``url`` (http or https only). Raises ``InputError`` with code ``unsupported``,
        ``bad_url``, ``unreachable``, ``http_error`` or ``too_large``.

        ``headers`` are sent besides the client's own (``If-None-Match``, ``If-Modified-Since``
        for a conditional request: a 304 answer comes back as status 304 with no content)."""
        check_url(url)
        try:
            with self.client.stream("GET", url, headers=headers, timeout=self.timeout,
                                    follow_redirects=True) as resp:  # fmt: skip
                if resp.status_code >= 400:
                    raise _http_error(url, resp)
                content = self._read_capped(url, resp)
                media_type, charset = _content_type(resp.headers.get("content-type", ""))
                return Fetched(str(resp.url), resp.status_code, media_type, charset, content,
                               etag=resp.headers.get("etag"),
                               last_modified=resp.headers.get("last-modified"))  # fmt: skip
        except httpx.TooManyRedirects as e:
            raise InputError(url, f"too many redirects ({e})", "open the URL in a browser and pass the "
                             "final address", code="http_error") from e  # fmt: skip
        except httpx.UnsupportedProtocol as e:
            raise InputError(url, f"it redirects to an unsupported address ({e})",
                             "pass an http:// or https:// address", code="unsupported") from e  # fmt: skip
        except httpx.ConnectTimeout as e:
            raise _unreachable(url, f"connecting timed out after {self.timeout.connect:g} s") from e
        except httpx.TimeoutException as e:
            raise _unreachable(url, f"no response within {self.timeout.read:g} s (read timeout)") from e
        except httpx.ConnectError as e:
            raise _unreachable(url, f"could not connect ({_reason(e)})") from e
        except httpx.HTTPError as e:
            raise _unreachable(url, f"the connection failed ({_reason(e)})") from e
        except (httpx.InvalidURL, UnicodeError) as e:
            # A host name the resolver cannot encode (a label over 63 characters), or a
            # redirect to an address httpx refuses.
            raise InputError(url, f"the URL is malformed ({e})", "check the address",
                             code="bad_url") from e  # fmt: skip

    def _read_capped(self, url: str, resp: httpx.Response) -> bytes:
        declared = resp.headers.get("content-length", "").strip()
        # ASCII digits only (str.isdigit takes "²"), and no int() of 5,000 digits (ValueError)
        if declared.isascii() and declared.isdigit() and (len(declared) > 18 or int(declared) > self.max_bytes):
            shown = f"{int(declared):,}" if len(declared) <= 18 else f"a {len(declared)}-digit number of"
            raise _too_large(url, self.max_bytes, f"it declares {shown} bytes")
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self.total_timeout
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise _too_large(url, self.max_bytes, "the body went past the limit")
            if time.monotonic() > deadline:
                raise _unreachable(url, f"the download took longer than {self.total_timeout:g} s")
            chunks.append(chunk)
        return b"".join(chunks)


def check_url(url: str) -> None:
    """Raise ``InputError`` unless ``url`` is a well-formed http(s) URL with a host.

    Codes: ``bad_url`` (malformed: ``http://[::1/``, ``http://h:abc/``, ``http://[1]/``),
    ``unsupported`` (another scheme, or no host).

    >>> check_url("http://h:abc/")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsprism.errors.InputError: http://h:abc/: the URL is malformed (Port could not be cast ...
    """
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # both parse lazily, raising ValueError on junk
    except ValueError as e:
        raise InputError(
            url,
            f"the URL is malformed ({e})",
            "check the address: a host in [brackets] must be an IPv6 address, a port must be a number",
            code="bad_url",
        ) from e
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(
            url,
            f"the {parts.scheme or 'missing'} scheme is not supported",
            "pass an http:// or https:// address, or a local file path",
            code="unsupported",
        )
    try:
        httpx.URL(url)  # stricter than urlsplit: control characters, hosts IDNA cannot encode
    except (httpx.InvalidURL, UnicodeError, ValueError) as e:
        raise InputError(url, f"the URL is malformed ({e})", "check the address", code="bad_url") from e
    if not host:
        raise InputError(url, "the URL has no host name", "check the address", code="unsupported")


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset


def _reason(e: Exception) -> str:
    text = str(e) or type(e).__name__
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return f"host name not found: {text}"
    return text


def _unreachable(url: str, why: str) -> InputError:
    return InputError(
        url,
        f"the site is unreachable: {why}",
        "check the address and your connection, or pass a saved copy of the page",
        code="unreachable",
    )


class HttpStatusError(InputError):
    """The server answered 4xx or 5xx (code ``http_error``): ``status`` is its status code, and
    ``retry_after`` the seconds its ``Retry-After`` header asked to wait (None when absent)."""

    def __init__(self, source: str, problem: str, fix: str, *, status: int, retry_after: float | None = None) -> None:
        super().__init__(source, problem, fix, code="http_error")
        self.status = status
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait: a number of seconds or an HTTP date.

    >>> retry_after_seconds("120"), retry_after_seconds("soon"), retry_after_seconds(None)
    (120.0, None, None)
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412420.0)
    60.0
    """
    value = (value or "").strip()
    if value.isascii() and value.isdigit():
        return float(min(int(value[:12]), 10**9))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _http_error(url: str, resp: httpx.Response) -> InputError:
    code = resp.status_code
    if code in (401, 403):
        fix = "the page needs a login or refuses robots: save it from a browser and pass the .html file"
    elif code in (404, 410):
        fix = "check the address; the article may have moved or been removed"
    elif code == 429 or code >= 500:
        fix = "retry later, or pass a saved copy of the page"
    else:
        fix = "check the address, or pass a saved copy of the page"
    return HttpStatusError(url, f"the server answered HTTP {code} {resp.reason_phrase}".rstrip(), fix, status=code,
                           retry_after=retry_after_seconds(resp.headers.get("retry-after")))  # fmt: skip


def _too_large(url: str, limit: int, detail: str) -> InputError:
    return InputError(
        url,
        f"the response is larger than the {limit / _MB:g} MB limit ({detail})",
        "pass a saved copy of the article, or raise the limit with Fetcher(max_bytes=...)",
        code="too_large",
    )
