"""A local feed and article server on 127.0.0.1 for the watcher's tests (fictional content, ours).

Each resource can answer with an ETag and a Last-Modified (and 304 to a request that sends
them back), fail with HTTP 500 a given number of times, or wait before answering (a slow
server). Every request is logged with its path, its conditional headers, the answer's
status and the time on ``site.clock`` (a fake clock's in the per-host delay test).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Resource:
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    fail: int = 0  # answer HTTP 500 (or ``fail_status``) this many more times
    delay: float = 0.0  # seconds to wait before answering
    fail_status: int = 500
    retry_after: str | None = None  # the Retry-After header of a failing answer


@dataclass(frozen=True)
class Hit:
    path: str
    status: int
    at: float  # when the request arrived
    if_none_match: str | None
    if_modified_since: str | None
    done: float = 0.0  # when the answer was about to be sent


@dataclass
class FeedSite:
    """One HTTP server: ``put`` resources, read ``hits``; ``close`` when done."""

    clock: Callable[[], float] = time.monotonic
    resources: dict[str, Resource] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._release = threading.Event()  # ends every slow answer's wait at close
        self.arrived = threading.Event()  # set as the first request arrives
        self._versions = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site._answer(self)

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        host, port = self._server.server_address[:2]
        self.base = f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def put(self, path: str, body: str, content_type: str, *, etag: bool = True, last_modified: bool = True,
            fail: int = 0, delay: float = 0.0, fail_status: int = 500,
            retry_after: str | None = None) -> Resource:  # fmt: skip
        """Serve ``body`` at ``path``; a changed body gets a new ETag and a later Last-Modified."""
        data = body.encode("utf-8")
        with self._lock:
            self._versions += 1
            res = Resource(
                data,
                content_type,
                etag=f'"{hashlib.sha1(data).hexdigest()[:12]}"' if etag else None,
                last_modified=formatdate(1_700_000_000 + 60 * self._versions, usegmt=True) if last_modified else None,
                fail=fail,
                delay=delay,
                fail_status=fail_status,
                retry_after=retry_after,
            )
            self.resources[path] = res
        return res

    def hits_for(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path]

    def close(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        arrived = self.clock()
        self.arrived.set()
        with self._lock:
            res = self.resources.get(h.path)
            failing = res is not None and res.fail > 0
            if res is not None and failing:
                res.fail -= 1
        if res is not None and res.delay:
            self._release.wait(res.delay)
        inm, ims = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
        if res is None:
            status, body = 404, b"not found"
        elif failing:
            status, body = res.fail_status, b"server error"
        elif (inm is not None and inm == res.etag) or (inm is None and ims is not None and ims == res.last_modified):
            status, body = 304, b""
        else:
            status, body = 200, res.body
        with self._lock:
            self.hits.append(Hit(h.path, status, arrived, inm, ims, done=self.clock()))
        try:
            h.send_response(status)
            if failing and res is not None and res.retry_after:
                h.send_header("Retry-After", res.retry_after)
            if res is not None and status in (200, 304):
                if res.etag:
                    h.send_header("ETag", res.etag)
                if res.last_modified:
                    h.send_header("Last-Modified", res.last_modified)
            if status != 304:
                h.send_header("Content-Type", res.content_type if res is not None and status == 200 else "text/plain")
                h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if status != 304:
                h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
            pass


@dataclass(frozen=True)
class Item:
    guid: str
    title: str
    link: str
    summary: str
    updated: str = "Tue, 05 Mar 2024 09:30:00 GMT"


def rss(title: str, items: Sequence[Item]) -> str:
    """An RSS 2.0 feed of ``items`` (teasers: their pages hold the articles)."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{escape(title)}</title>']
    for it in items:
        parts.append(
            f"<item><guid>{escape(it.guid)}</guid><title>{escape(it.title)}</title><link>{escape(it.link)}</link>"
            f"<pubDate>{it.updated}</pubDate><description>{escape(it.summary)}</description></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts)


def article_html(title: str, paragraphs: Sequence[str], outlet: str = "Vell Valley Herald") -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta property="og:site_name" content="{escape(outlet)}"></head>'
        f"<body><article><h1>{escape(title)}</h1>{body}</article></body></html>"
    )


# Fictional stories, written for these tests.
DAM = (
    "Dam Holds After Storm",
    [
        "The Vell dam held through the storm on Monday night, engineers said, although the water rose to "
        "within a metre of the crest.",
        "Two roads below the dam were closed as a precaution and reopened by morning after inspectors "
        "walked the crest and the gates.",
    ],
)
DAM_EDITED = (
    "Dam Holds After Storm",
    [
        "The Vell dam held through the storm on Monday night, engineers said, although the water rose to "
        "within half a metre of the crest.",
        "Three roads below the dam were closed as a precaution and reopened by morning after inspectors "
        "walked the crest and the gates.",
    ],
)
FERRY = (
    "Osk Ferry Resumes Service",
    [
        "The ferry between Brenmoor and Osk Island resumed service on Monday after a two-week pause for "
        "engine repairs, the harbour office said.",
        "Tickets for the first crossing sold out by noon, and the operator added an evening run.",
    ],
)
PIER = (
    "Council Backs New Pier",
    [
        "The council of Osk Island approved a new pier on Wednesday by seven votes to two, after a debate "
        "that lasted most of the afternoon.",
        "Building work should start in the spring and take about a year, the council's planning office said.",
    ],
)
