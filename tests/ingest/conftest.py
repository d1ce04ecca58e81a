"""A real HTTP server on 127.0.0.1 (port 0) serving fictional pages for URL and feed tests."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ARTICLE_HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>Osk Ferry Resumes Service | Brenmoor Courier</title>
<meta property="og:site_name" content="Brenmoor Courier">
<meta property="og:title" content="Osk Ferry Resumes Service">
<meta name="author" content="Ana Pell">
<meta property="article:published_time" content="2024-03-05T08:15:00+01:00">
</head><body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Osk Ferry Resumes Service</h1>
<p>The ferry between Brenmoor and Osk Island resumed service on Monday after a two-week pause
for engine repairs, the harbour office said in a statement.</p>
<figure><img src="/ferry.jpg" alt="">
<figcaption>The ferry leaving Brenmoor harbour at dawn.</figcaption></figure>
<p>Tickets for the first crossing sold out by noon, and the operator added an evening run to
meet demand. Captain Ilse Marr said the new engine was quieter and burned less fuel.</p>
<h2>What Comes Next</h2>
<p>The harbour office expects the winter timetable to start in November, with two crossings a
day instead of four. Fares will not change this year, the office said.</p>
</article><footer>Sign up for our newsletter. Copyright Brenmoor Courier.</footer></body></html>"""

LINKED_HTML = ARTICLE_HTML.replace("Osk Ferry Resumes Service", "Osk Island Council Backs New Pier").replace(
    "ferry between Brenmoor and Osk Island resumed service", "council of Osk Island approved a new pier"
)

FEED_XML = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Osk Daily</title><link>{base}/</link>
<item><title>Dam Holds After Storm</title><link>{base}/dam.html</link>
<pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate>
<description>&lt;p&gt;The Vell dam held through the storm on Monday night, engineers said, although
water rose to within a metre of the crest and two roads below it were closed as a precaution.&lt;/p&gt;
&lt;p&gt;Repairs to the spillway gates will start next week and should last a month, the
regional water board said on Tuesday. The board said the dam had never been in danger of failing,
and that the closures were ordered because the forecast was uncertain. Residents of two villages
below the dam were told to stay indoors overnight; none were moved, and the roads reopened by
morning after inspectors walked the crest and the gates.&lt;/p&gt;</description></item>
<item><title>Council Backs New Pier</title><link>{base}/linked.html</link>
<pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate>
<description>The council backed a new pier. Read on.</description></item>
</channel></rss>"""

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class LocalServer:
    base: str
    user_agents: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _send(status: int, body: bytes, content_type: str | None, length: bool = True) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        if content_type:
            h.send_header("Content-Type", content_type)
        if length:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return route


def _redirect(to: str) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return route


def _slow(h: BaseHTTPRequestHandler) -> None:
    time.sleep(0.6)
    _send(200, b"late", "text/plain")(h)


def _routes(base: str) -> dict[str, Route]:
    big = b"<html><body>" + b"<p>Word after word.</p>" * 20_000 + b"</body></html>"
    latin = (
        "<html><head><title>Caf\u00e9 Reopens</title></head><body><article><p>The caf\u00e9 on "
        "Quay Street reopened on Friday with a \u201cnew\u201d menu \u2014 and old prices, its "
        "owner Ren\u00e9e Skov said, after a month of repairs to the kitchen and the roof.</p>"
        "<p>Regulars queued before the doors opened, and the first pastries were gone within the "
        "hour, according to staff who counted the trays.</p></article></body></html>"
    ).encode("cp1252")
    return {
        "/article.html": _send(200, ARTICLE_HTML.encode(), "text/html; charset=utf-8"),
        "/linked.html": _send(200, LINKED_HTML.encode(), "text/html; charset=utf-8"),
        "/feed.xml": _send(200, FEED_XML.format(base=base).encode(), "application/rss+xml"),
        "/plain.txt": _send(
            200, b"Dam Holds\n\nThe dam held overnight, engineers said.\n", "text/plain; charset=utf-8"
        ),
        "/latin.html": _send(200, latin, "text/html; charset=windows-1252"),
        "/image.png": _send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
        "/empty.html": _send(200, b"", "text/html"),
        "/nav.html": _send(200, b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html"),
        "/big-declared.html": _send(200, big, "text/html"),
        "/big-streamed.html": _send(200, big, "text/html", length=False),
        "/redirect": _redirect("/article.html"),
        "/loop": _redirect("/loop"),
        "/to-ftp": _redirect("ftp://files.example/a.txt"),
        "/gone": _send(404, b"not here", "text/plain"),
        "/broken": _send(503, b"down", "text/plain"),
        "/slow": _slow,
    }


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    state: dict[str, object] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            local: LocalServer = state["server"]  # type: ignore[assignment]
            local.user_agents.append(self.headers.get("User-Agent", ""))
            route = state["routes"].get(self.path.split("?")[0])  # type: ignore[attr-defined]
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                (route or _send(404, b"no route", "text/plain"))(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    state["server"] = LocalServer(base)
    state["routes"] = _routes(base)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["server"]  # type: ignore[misc]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def refused_url() -> str:
    """A URL on a local port that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/article.html"


@pytest.fixture
def feed_xml() -> str:
    """An RSS template (``{base}`` is the site address): one long entry, one short with a link."""
    return FEED_XML
