"""Watching RSS/Atom feeds politely: conditional requests, backoff, a per-host delay, a clean stop.

A ``FeedWatcher`` polls each feed on its own schedule. It sends the ETag and Last-Modified it
was given last time (a 304 answer costs the server nothing), sends one request at a time to
a host and waits ``host_delay`` seconds after each (feeds and article pages share that turn;
a robots.txt Crawl-delay lengthens it, and its Disallow rules keep article pages unfetched),
backs off exponentially, with jitter and a cap, while a feed keeps failing (longer if the
server says Retry-After), and stops cleanly: ``stop()`` lets the requests in flight finish,
saves the state and returns.

Each entry that is new, or that the feed says was updated (its date or text changed), is
loaded like ``newsprism analyze`` loads a feed entry (its page fetched when the entry holds
only a teaser); the articles that are new or whose text changed are handed to
``on_articles`` in the calling thread, one call per feed poll. The state (validators, next
poll time, failures, and a mark per entry seen) is saved, in the article store or a JSON file,
after each poll that handed articles on and at the end of each round, so a restart neither
re-fetches what it has seen nor polls sooner than planned.

>>> import httpx
>>> FEED = ('<rss version="2.0"><channel><title>Osk Daily</title><item><guid>osk-1</guid>'
...         '<title>Ferry Resumes</title><link>https://osk.example/ferry</link>'
...         '<description>The ferry is back.</description></item></channel></rss>')
>>> PAGE = ('<html><head><title>Ferry Resumes</title></head><body><article><h1>Ferry Resumes</h1>'
...         '<p>The Osk ferry resumed service on Monday after two weeks of engine repairs, '
...         'the harbour office said.</p><p>Tickets for the first crossing sold out by noon.</p>'
...         '</article></body></html>')
>>> def serve(request):
...     if request.url.path == "/feed.xml":
...         if request.headers.get("if-none-match") == '"v1"':
...             return httpx.Response(304)
...         return httpx.Response(200, text=FEED, headers={"content-type": "application/rss+xml",
...                                                        "etag": '"v1"'})
...     return httpx.Response(200, text=PAGE, headers={"content-type": "text/html"})
>>> got = []
>>> w = FeedWatcher(["https://osk.example/feed.xml"], on_articles=got.extend,
...                 transport=httpx.MockTransport(serve), host_delay=0)
>>> [(r.status, r.new) for r in w.step()]
[('ok', 1)]
>>> got[0].title, got[0].url
('Ferry Resumes', 'https://osk.example/ferry')
>>> [(r.status, r.new) for r in w.step(everything=True)]  # the ETag is sent back: 304, nothing fetched
[('not_modified', 0)]
>>> w.close()
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import feedparser
import httpx

from newsprism.errors import InputError, NewsprismError
from newsprism.ingest.common import clean_field, url_slug
from newsprism.ingest.feed import load_feed_entry, safe_char_refs, safe_prolog
from newsprism.ingest.fetch import Fetched, Fetcher, HttpStatusError, check_url
from newsprism.ingest.guard import guarded, unexpected_error
from newsprism.ingest.result import LoadContext, printable_error
from newsprism.model import Article

__all__ = [
    "DEFAULT_HOST_DELAY",
    "DEFAULT_INTERVAL",
    "DEFAULT_MAX_BACKOFF",
    "Clock",
    "EntryMark",
    "FeedState",
    "FeedWatcher",
    "HostGate",
    "JsonState",
    "PollResult",
    "RobotsRules",
    "StateBackend",
    "StoreSink",
    "StoreState",
    "SystemClock",
    "WatchStateError",
    "WatchStopped",
    "WatchSummary",
    "backoff_delay",
    "host_key",
    "load_state",
    "refresh_reports",
    "save_state",
]

DEFAULT_INTERVAL = 300.0  # seconds between two polls of one feed
DEFAULT_HOST_DELAY = 2.0  # seconds between two requests to one host
DEFAULT_MAX_BACKOFF = 6 * 3600.0  # a failing feed is still tried four times a day
STATE_VERSION = 1
MAX_ENTRIES_KEPT = 5000  # entry marks kept per feed: the ones seen most recently
ENTRY_TRIES = 3  # polls an entry whose page fails is retried on before its summary is used
WATCH_STATE_KEY = "feed_watch"  # the store's meta key for the watch state
ROBOTS_TTL = 24 * 3600.0  # a host's robots.txt is read again after a day
ROBOTS_RETRY = 600.0  # ... or after ten minutes when it could not be read (RFC 9309: disallow meanwhile)
ROBOTS_MAX_BYTES = 500_000  # RFC 9309: parse at least 500 KiB
MAX_CRAWL_DELAY = 120.0  # a robots.txt Crawl-delay is honoured up to this many seconds
PAGES_KEPT = 64  # article pages kept within a round, for the feeds that list them too
SAVE_EVERY = 5.0  # seconds: the state is saved at least this often within a round, and at its end

PollStatus = Literal["ok", "not_modified", "failed", "stopped"]
# Why a page failed that a retry would not change (other failures are retried on the next polls).
_LASTING = frozenset({"disallowed", "unsupported", "too_large", "binary", "no_article"})


class WatchStopped(BaseException):  # a signal, like KeyboardInterrupt, not an error
    """Raised inside a poll when ``stop()`` was called; a BaseException so that the ingest
    boundary (``guarded``), which turns every ``Exception`` into an input error, lets it pass."""


class _PageNotModified(BaseException):  # a signal through the ingest boundary, not an error
    """A re-checked article page answered 304: the entry's article is as it was."""


class WatchStateError(NewsprismError):
    """The watch state file cannot be read or written; it names the file and the fix."""

    def __init__(self, path: Path, problem: str, fix: str) -> None:
        self.path, self.problem, self.fix = path, problem, fix
        super().__init__(f"{path}: {problem} (fix: {fix})")


class Clock(Protocol):
    """Time for the watcher: tests pass a fake one, so that delays are measured, not slept."""

    def now(self) -> float:
        """Seconds since the epoch."""
        ...

    def sleep(self, seconds: float, stop: threading.Event) -> bool:
        """Wait ``seconds`` or until ``stop`` is set; True when it was set."""
        ...


class SystemClock:
    """The real clock: ``time.time`` and a wait on the stop event (a stop ends a wait at once)."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float, stop: threading.Event) -> bool:
        return stop.wait(max(0.0, seconds))


def host_key(url: str) -> str:
    """The host a request goes to, as politeness counts it: host name, and the port when given.

    >>> host_key("https://News.Example/a"), host_key("http://127.0.0.1:8080/feed")
    ('news.example', '127.0.0.1:8080')
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


class HostGate:
    """One request at a time per host, and at least ``delay`` seconds from the end of one to the
    start of the next (a slow server is never asked twice at once).

    Shared by every feed and article fetch of a watcher, across its worker threads; a stop ends
    any wait for a turn (``WatchStopped``), and a request under way finishes.

    >>> class Fake:
    ...     t = 0.0
    ...     def now(self): return self.t
    ...     def sleep(self, s, stop): self.t += s; return False
    >>> clock = Fake()
    >>> gate = HostGate(2.0, clock, threading.Event())
    >>> for url in ["http://a.example/1", "http://a.example/2", "http://b.example/1"]:
    ...     with gate.turn(url):
    ...         print(url, clock.t)
    http://a.example/1 0.0
    http://a.example/2 2.0
    http://b.example/1 2.0
    """

    def __init__(self, delay: float, clock: Clock, stop: threading.Event) -> None:
        if delay < 0 or not math.isfinite(delay):
            raise ValueError(f"host delay {delay!r}: give a number of seconds, 0 or more")
        self.delay = delay
        self._clock = clock
        self._stop = stop
        self._last_end: dict[str, float] = {}
        self._delays: dict[str, float] = {}  # longer delays some hosts ask for (robots.txt Crawl-delay)
        self._hosts: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def set_delay(self, url: str, delay: float) -> None:
        """Wait at least ``delay`` seconds (never less than the gate's own) between requests to ``url``'s host."""
        with self._lock:
            self._delays[host_key(url)] = delay

    @contextmanager
    def turn(self, url: str) -> Iterator[None]:
        """Hold ``url``'s host for one request: wait for it to be free and for the delay to pass."""
        host = host_key(url)
        with self._lock:
            if len(self._hosts) > 4096:  # an aggregator links to many hosts: forget the idle ones
                idle = [h for h, lk in self._hosts.items() if not lk.locked()]
                for h in idle:
                    del self._hosts[h]
                    self._last_end.pop(h, None)
            host_lock = self._hosts.setdefault(host, threading.Lock())
        while not host_lock.acquire(timeout=0.05):  # another worker's request to this host is under way
            if self._stop.is_set():
                raise WatchStopped
        try:
            if self._stop.is_set():
                raise WatchStopped
            with self._lock:
                ready = self._last_end.get(host, -math.inf) + max(self.delay, self._delays.get(host, 0.0))
            wait = ready - self._clock.now()
            if wait > 0 and self._clock.sleep(wait, self._stop):
                raise WatchStopped
            try:
                yield
            finally:
                with self._lock:
                    self._last_end[host] = self._clock.now()
        finally:
            host_lock.release()


def backoff_delay(
    failures: int, *, base: float, cap: float, jitter: float = 0.0, rng: random.Random | None = None
) -> float:
    """Seconds to wait after ``failures`` failures in a row: ``base * 2**failures``, at most
    ``cap``, times a random factor in ``[1 - jitter, 1 + jitter]`` (and still at most ``cap``),
    so that feeds that failed together do not all retry together.

    >>> [backoff_delay(n, base=60, cap=600) for n in (1, 2, 3, 4, 10)]
    [120.0, 240.0, 480.0, 600.0, 600.0]
    >>> 90 <= backoff_delay(1, base=60, cap=600, jitter=0.25, rng=random.Random(1)) <= 150
    True
    """
    raw = min(float(cap), base * 2.0 ** min(failures, 60))  # 2**60 seconds is past any cap
    if jitter:
        raw *= (rng or random).uniform(1 - jitter, 1 + jitter)
    return min(float(cap), raw)


@dataclass
class EntryMark:
    """What the watcher remembers of one feed entry.

    ``marker``: the entry's date and a hash of its title and text as the feed gave them (a
    change means the feed says it was updated); ``text_hash``: a hash of the article loaded
    from it ("" until one loaded); ``seen``: when the feed last listed it; ``tries``: failed
    loads of the entry as it reads now (``failed_marker``); ``page_etag``/``page_modified``: the
    validators of the page fetched for it, sent back when the feed says the entry changed.
    """

    marker: str
    text_hash: str = ""
    seen: float = 0.0
    tries: int = 0
    failed_marker: str = ""
    page_etag: str | None = None  # the article page's validators, for a conditional re-check
    page_modified: str | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"marker": self.marker, "text_hash": self.text_hash, "seen": self.seen,
                             "tries": self.tries, "failed_marker": self.failed_marker}  # fmt: skip
        if self.page_etag or self.page_modified:
            d |= {"page_etag": self.page_etag, "page_modified": self.page_modified}
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> EntryMark:
        return cls(str(d["marker"]), str(d.get("text_hash", "")), float(d.get("seen", 0.0)),
                   int(d.get("tries", 0)), str(d.get("failed_marker", "")), d.get("page_etag"),
                   d.get("page_modified"))  # fmt: skip


@dataclass
class FeedState:
    """One feed's polling state: its validators, schedule, failures and the entries seen."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    next_poll: float = 0.0  # seconds since the epoch
    failures: int = 0  # in a row; 0 after a good poll
    last_poll: float | None = None
    last_status: str = ""
    last_error: str = ""
    entries: dict[str, EntryMark] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "etag": self.etag,
            "last_modified": self.last_modified,
            "next_poll": self.next_poll,
            "failures": self.failures,
            "last_poll": self.last_poll,
            "last_status": self.last_status,
            "last_error": self.last_error,
            "entries": {k: m.to_json() for k, m in self.entries.items()},
        }

    @classmethod
    def from_json(cls, url: str, d: Mapping[str, Any]) -> FeedState:
        return cls(
            url,
            etag=d.get("etag"),
            last_modified=d.get("last_modified"),
            next_poll=float(d.get("next_poll", 0.0)),
            failures=int(d.get("failures", 0)),
            last_poll=None if d.get("last_poll") is None else float(d["last_poll"]),
            last_status=str(d.get("last_status", "")),
            last_error=str(d.get("last_error", "")),
            entries={str(k): EntryMark.from_json(v) for k, v in dict(d.get("entries", {})).items()},
        )


def load_state(path: Path) -> dict[str, FeedState]:
    """The feeds' states saved in the JSON file ``path`` (empty when it does not exist yet).

    A file that is not a watch state raises ``WatchStateError``: it is never overwritten,
    since it may hold what a restart needs not to fetch everything again.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as e:
        raise WatchStateError(path, f"the watch state cannot be read ({e})",
                              "check its permissions, or pass another --state file") from e  # fmt: skip
    return _parse_state(raw, path)


def save_state(path: Path, feeds: Iterable[FeedState]) -> None:
    """Write the feeds' states to the JSON file ``path`` atomically (the old file stays whole if this fails)."""
    from newsprism.report.write import atomic_write_text

    try:
        atomic_write_text(path, _state_json(feeds))
    except OSError as e:
        raise WatchStateError(path, f"the watch state cannot be written ({e.strerror or e})",
                              "free some disk space or choose another --state file") from e  # fmt: skip


def _state_json(feeds: Iterable[FeedState]) -> str:
    data = {"kind": "newsprism.watch", "version": STATE_VERSION, "feeds": {f.url: f.to_json() for f in feeds}}
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def _parse_state(raw: str, where: Path) -> dict[str, FeedState]:
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("kind") != "newsprism.watch":
            raise ValueError("it is not a newsprism watch state")
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"version {data.get('version')!r} is not {STATE_VERSION}")
        return {str(url): FeedState.from_json(str(url), d) for url, d in dict(data["feeds"]).items()}
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        raise WatchStateError(
            where,
            f"the watch state is unreadable ({type(e).__name__}: {e})",
            "move the file away (the next run then fetches every feed entry again once), "
            "or pass another --state file",
        ) from e


class StateBackend(Protocol):
    """Where a watcher keeps its state between runs."""

    def load(self) -> dict[str, FeedState]: ...

    def save(self, feeds: Iterable[FeedState]) -> None: ...


@dataclass(frozen=True)
class JsonState:
    """The state in a JSON file (written whole, atomically, at each save)."""

    path: Path

    def load(self) -> dict[str, FeedState]:
        return load_state(self.path)

    def save(self, feeds: Iterable[FeedState]) -> None:
        save_state(self.path, feeds)


@dataclass(frozen=True)
class StoreState:
    """The state inside the article store (``newsprism.stream.store.Store``), in its ``meta`` table,
    so that the store and what the watcher has seen travel together."""

    store: Any  # a newsprism.stream.store.Store (not imported: it needs the [stream] extra)
    key: str = WATCH_STATE_KEY

    def load(self) -> dict[str, FeedState]:
        raw = self.store.get_meta(self.key)
        return {} if raw is None else _parse_state(raw, Path(f"{self.store.path}#{self.key}"))

    def save(self, feeds: Iterable[FeedState]) -> None:
        with self.store.transaction():
            self.store.set_meta(self.key, _state_json(feeds))


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll of one feed gave.

    ``status``: ``ok`` (the feed was read), ``not_modified`` (304: nothing downloaded),
    ``failed`` (the feed, or handing the articles on, failed: ``errors`` say why; the feed
    backs off) or ``stopped`` (``stop()`` came mid-poll; what was loaded was handed on).
    ``new``/``updated``: articles handed on (first seen / changed text); ``unchanged``: entries
    re-checked whose text had not changed; ``errors``: every input error met, entries' too.
    """

    feed: str
    status: PollStatus
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    articles: tuple[Article, ...] = ()
    errors: tuple[InputError, ...] = ()
    next_poll: float = 0.0
    failures: int = 0


@dataclass(frozen=True, slots=True)
class WatchSummary:
    """Totals of a ``run``: polls by status, articles handed on, errors met."""

    polls: int = 0
    not_modified: int = 0
    failed: int = 0
    new: int = 0
    updated: int = 0
    errors: int = 0
    stopped: bool = False

    def add(self, r: PollResult) -> WatchSummary:
        return replace(self, polls=self.polls + 1, not_modified=self.not_modified + (r.status == "not_modified"),
                       failed=self.failed + (r.status == "failed"), new=self.new + r.new,
                       updated=self.updated + r.updated, errors=self.errors + len(r.errors))  # fmt: skip


@dataclass
class _Outcome:
    """A worker's poll, not yet applied to the feed's state (the calling thread applies it)."""

    status: PollStatus
    fetched: Fetched | None = None
    articles: list[Article] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    marks: dict[str, EntryMark] = field(default_factory=dict)  # entries to set, after a good hand-on
    listed: list[str] = field(default_factory=list)  # every entry key the feed listed
    complete: bool = True  # every entry dealt with: the new validators may be kept
    errors: list[InputError] = field(default_factory=list)
    fatal: bool = False  # the feed itself failed
    retry_after: float | None = None  # seconds the server asked to wait (Retry-After)


class RobotsRules:
    """Each host's robots.txt (RFC 9309), read through ``fetch`` once a day and cached.

    ``allowed(url)`` says whether newsprism may fetch ``url``; a ``Crawl-delay`` for it is
    passed to ``on_delay(url, seconds)``. A robots.txt that answers 4xx (none there) allows
    everything; one that cannot be read (5xx, unreachable) disallows everything until it is
    tried again ten minutes later, as the RFC asks.

    >>> import httpx
    >>> robots = "User-agent: *\\nDisallow: /private/\\nCrawl-delay: 7\\n"
    >>> ok = httpx.MockTransport(lambda r: httpx.Response(200, text=robots))
    >>> delays = {}
    >>> with Fetcher(transport=ok) as f:
    ...     rules = RobotsRules(f.fetch, SystemClock(), on_delay=delays.__setitem__)
    ...     rules.allowed("https://osk.example/news/1"), rules.allowed("https://osk.example/private/2")
    (True, False)
    >>> delays
    {'https://osk.example/news/1': 7.0}
    """

    def __init__(
        self,
        fetch: Callable[[str], Fetched],
        clock: Clock,
        *,
        agent: str = "newsprism",
        on_delay: Callable[[str, float], object] | None = None,
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._agent = agent
        self._on_delay = on_delay
        self._rules: dict[str, tuple[float, RobotFileParser | bool]] = {}  # host -> (expiry, rules)
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        host = host_key(url)
        with self._lock:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:  # one robots.txt request per host, however many workers ask
            expiry, rules = self._rules.get(host, (0.0, False))
            if expiry <= self._clock.now():
                rules, ttl = self._read(f"{parts.scheme}://{parts.netloc}/robots.txt")
                self._rules[host] = (self._clock.now() + ttl, rules)
                if isinstance(rules, RobotFileParser) and self._on_delay is not None:
                    delay = rules.crawl_delay(self._agent)
                    if delay:
                        self._on_delay(url, min(float(delay), MAX_CRAWL_DELAY))
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(self._agent, url)

    def _read(self, robots_url: str) -> tuple[RobotFileParser | bool, float]:
        try:
            page = self._fetch(robots_url)
        except HttpStatusError as e:
            return (e.status < 500), (ROBOTS_TTL if e.status < 500 else ROBOTS_RETRY)
        except InputError:
            return False, ROBOTS_RETRY
        rules = RobotFileParser()
        rules.parse(page.content[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace").splitlines())
        return rules, ROBOTS_TTL


class _GatedFetcher(Fetcher):
    """A ``Fetcher`` that waits for the host's turn (``HostGate``) before each request and, for
    pages other than the feeds themselves, asks the host's robots.txt first (``RobotsRules``)."""

    def __init__(self, gate: HostGate, *, feeds: Iterable[str], robots: bool, clock: Clock, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate
        self.feeds = frozenset(feeds)  # the user asked for these: fetched whatever robots.txt says
        self.robots = RobotsRules(self._gated, clock, on_delay=gate.set_delay) if robots else None
        # Pages fetched this round: an outlet's feeds often list one article several times.
        self._pages: OrderedDict[str, Fetched] = OrderedDict()
        self._fetching: dict[str, threading.Lock] = {}  # one fetch per page, however many feeds want it
        self._pages_lock = threading.Lock()
        self._entry = threading.local()  # the page this worker's entry re-checks, and what came

    @contextmanager
    def recheck(self, url: str | None, etag: str | None, modified: str | None) -> Iterator[threading.local]:
        """While an entry loads in this thread: ask for ``url`` conditionally (a 304 raises
        ``_PageNotModified``); ``.page`` holds the page fetched for it, if any."""
        e = self._entry
        e.url, e.page = url, None
        e.headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        try:
            yield e
        finally:
            e.url, e.headers = None, {}

    def new_round(self) -> None:
        """Forget the pages fetched so far (called between rounds): a page is fetched again next round."""
        with self._pages_lock:
            self._pages.clear()
            self._fetching.clear()

    def _gated(self, url: str, headers: Mapping[str, str] | None = None) -> Fetched:
        with self.gate.turn(url):
            return super().fetch(url, headers=headers)

    def fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> Fetched:
        if url in self.feeds or headers:
            return self._gated(url, headers)
        e = self._entry
        if getattr(e, "url", None) == url:
            e.page = self._page(url, e.headers)
            if e.page.status == 304:
                raise _PageNotModified
            return e.page
        return self._page(url, {})

    def _page(self, url: str, conditional: Mapping[str, str]) -> Fetched:
        with self._pages_lock:
            fetching = self._fetching.setdefault(url, threading.Lock())
        with fetching:  # another worker fetching this page now: wait for its copy
            with self._pages_lock:
                page = self._pages.get(url)
            if page is not None:
                return page
            if self.robots is not None and not self.robots.allowed(url):
                raise InputError(url, "the site's robots.txt asks robots not to fetch this page",
                                 "the feed's own text is used; open the page in a browser to read all of it",
                                 code="disallowed")  # fmt: skip
            page = self._gated(url, conditional)
            if page.status == 304:
                return page  # not kept: another feed listing this page wants it whole
            with self._pages_lock:
                self._pages[url] = page
                while len(self._pages) > PAGES_KEPT:
                    self._pages.popitem(last=False)
            return page


class FeedWatcher:
    """Polls RSS/Atom feeds and hands new and changed articles to ``on_articles``.

    ``interval``: seconds between two polls of one feed (times ``1 ± jitter``);
    ``host_delay``: least seconds from the end of one request to a host to the start of the next
    (one request at a time per host); after ``n`` failures in a
    row a feed waits ``backoff_delay(n, base=backoff_base or interval, cap=max_backoff)``.
    ``state``: where the state is kept (a ``Path``: a JSON file; ``StoreState``: the article
    store; None: in memory only). ``workers``: feeds
    polled at once (a slow feed does not hold up the others). ``timeout``: read timeout of one
    request, in seconds. ``respect_robots``: article pages that a host's robots.txt disallows are
    not fetched (the feed's text stands in) and its Crawl-delay is kept; the feeds themselves are
    fetched, as the user asked for them. A feed answering 429 or 503 with ``Retry-After`` waits
    at least that long (up to ``max_backoff``). ``progress`` is called with each ``PollResult``; ``on_articles`` and
    ``progress`` run in the thread that calls ``step``/``run``. If ``on_articles`` raises, the
    poll counts as failed and its entries stay unseen, so they are handed on again next time.
    ``after_step`` is called by ``run`` with each step's results (when it polled anything),
    before it sleeps: the place to refresh reports once per round rather than once per feed.
    ``entry_progress(feed, done, total)`` is called from the worker threads as a feed's new and
    updated entries load (``total`` of them in this poll), for progress lines on long first polls.
    """

    def __init__(
        self,
        feeds: Sequence[str],
        *,
        on_articles: Callable[[list[Article]], object],
        state: StateBackend | Path | None = None,
        interval: float = DEFAULT_INTERVAL,
        host_delay: float = DEFAULT_HOST_DELAY,
        backoff_base: float | None = None,
        max_backoff: float = DEFAULT_MAX_BACKOFF,
        jitter: float = 0.1,
        workers: int = 4,
        timeout: float = 20.0,
        connect_timeout: float = 10.0,
        max_bytes: int = 5_000_000,
        respect_robots: bool = True,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        progress: Callable[[PollResult], object] | None = None,
        after_step: Callable[[list[PollResult]], object] | None = None,
        entry_progress: Callable[[str, int, int], object] | None = None,
    ) -> None:
        for name, value in (("interval", interval), ("max_backoff", max_backoff), ("timeout", timeout)):
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} {value!r}: give a number of seconds above 0")
        if not 0 <= jitter < 1:
            raise ValueError(f"jitter {jitter!r}: give a fraction from 0 up to (not including) 1")
        if workers < 1:
            raise ValueError(f"workers {workers!r}: give 1 or more")
        if not feeds:
            raise ValueError("no feeds to watch: give at least one feed URL")
        urls = list(dict.fromkeys(feeds))  # each feed once, in the order given
        for url in urls:
            check_url(url)  # InputError naming the feed: bad_url / unsupported
        self.feeds = urls
        self.on_articles = on_articles
        self.state: StateBackend | None = JsonState(state) if isinstance(state, Path) else state
        self.interval = interval
        self.backoff_base = backoff_base if backoff_base is not None else interval
        self.max_backoff = max_backoff
        self.jitter = jitter
        self.workers = workers
        self.progress = progress
        self.after_step = after_step
        self.entry_progress = entry_progress
        self.clock: Clock = clock or SystemClock()
        self.rng = rng or random.Random()
        self._stop = threading.Event()
        self.gate = HostGate(host_delay, self.clock, self._stop)
        self.fetcher = _GatedFetcher(self.gate, feeds=urls, robots=respect_robots, clock=self.clock,
                                     transport=transport, read_timeout=timeout,
                                     connect_timeout=connect_timeout, max_bytes=max_bytes,
                                     total_timeout=max(timeout * 3, 60.0))  # fmt: skip
        # Feeds in the state file but not watched now are kept in it untouched.
        self.states: dict[str, FeedState] = self.state.load() if self.state is not None else {}
        for url in urls:
            self.states.setdefault(url, FeedState(url))

    # -- control ---------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask the watcher to stop: the requests in flight finish, the state is saved, ``run`` returns.

        Safe to call from a signal handler or another thread.
        """
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def close(self) -> None:
        """Close the HTTP client."""
        self.fetcher.close()

    def __enter__(self) -> FeedWatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save(self) -> None:
        """Write the state now (``step`` saves it after each poll that handed articles on, and at its end)."""
        if self.state is not None:
            self.state.save(self.states.values())

    # -- running ---------------------------------------------------------------------------

    def run(self, once: bool = False) -> WatchSummary:
        """Poll until ``stop()`` (or, with ``once``, poll every feed one time now) and return the totals."""
        summary = WatchSummary()
        try:
            while not self._stop.is_set():
                results = self.step(everything=once)
                for r in results:
                    summary = summary.add(r)
                if results and self.after_step is not None and not self._stop.is_set():
                    self.after_step(results)  # skipped on a stop: that must not wait for a round of reports
                if once:
                    break
                wake = min(self.states[u].next_poll for u in self.feeds)
                if self.clock.sleep(wake - self.clock.now(), self._stop):
                    break
        finally:
            self.save()
        return replace(summary, stopped=self._stop.is_set())

    def step(self, *, everything: bool = False) -> list[PollResult]:
        """Poll the feeds that are due (``everything``: all of them), ``workers`` at a time; the
        articles of each go to ``on_articles``, and the state is saved after each poll that handed
        some on, every few seconds, and at the end."""
        now = self.clock.now()
        due = [u for u in self.feeds if everything or self.states[u].next_poll <= now]
        results: list[PollResult] = []
        if not due or self._stop.is_set():
            return results
        self.fetcher.new_round()
        with ThreadPoolExecutor(max_workers=min(self.workers, len(due)), thread_name_prefix="newsprism-watch") as pool:
            futures = {pool.submit(self._poll, self.states[u]): u for u in due}
            last_save = time.monotonic()
            try:
                for fut in as_completed(futures):
                    result = self._apply(futures[fut], fut.result())
                    results.append(result)
                    # Saved at once when articles were handed on (not to fetch them again after a crash),
                    # else every few seconds: a 304 round of many feeds is not a round of many file writes.
                    if result.articles or time.monotonic() - last_save > SAVE_EVERY:
                        self.save()
                        last_save = time.monotonic()
                    if self.progress is not None:
                        self.progress(result)
            finally:
                self.save()
        return results

    # -- one poll (worker thread) -----------------------------------------------------------

    def _poll(self, state: FeedState) -> _Outcome:
        url = state.url
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        try:
            page = self.fetcher.fetch(url, headers=headers)
        except WatchStopped:
            return _Outcome("stopped", complete=False)
        except InputError as e:
            wait = e.retry_after if isinstance(e, HttpStatusError) else None
            return _Outcome("failed", errors=[printable_error(e)], fatal=True, retry_after=wait)
        except Exception as e:  # a bug must not kill the watcher: the feed backs off instead
            return _Outcome("failed", errors=[unexpected_error(url, e, "feed")], fatal=True)
        if page.status == 304:
            return _Outcome("not_modified", fetched=page)
        try:
            return self._read_feed(state, page)
        except InputError as e:
            return _Outcome("failed", fetched=page, errors=[printable_error(e)], fatal=True)
        except Exception as e:
            return _Outcome("failed", fetched=page, errors=[unexpected_error(url, e, "feed")], fatal=True)

    def _read_feed(self, state: FeedState, page: Fetched) -> _Outcome:
        url = state.url
        try:
            parsed = feedparser.parse(safe_char_refs(safe_prolog(page.content)))
        except Exception as e:  # feedparser's own bugs on hostile input
            raise InputError(url, f"not a readable RSS or Atom feed (the feed parser failed: {e})"[:300],
                             "check that the URL serves a feed", code="bad_feed") from e  # fmt: skip
        if not parsed.entries and (parsed.bozo or not parsed.version):
            why = parsed.get("bozo_exception") or "no RSS or Atom root element"
            raise InputError(url, f"not a readable RSS or Atom feed ({why})",
                             "check that the URL serves a feed, not a web page", code="bad_feed")  # fmt: skip
        out = _Outcome("ok", fetched=page)
        outlet = clean_field(parsed.feed.get("title"))
        stem = url_slug(url)
        now = self.clock.now()
        ctx = LoadContext(fetcher=self.fetcher, fetch_links=True)
        keyed = [(i, entry, _entry_key(entry), _entry_marker(entry)) for i, entry in enumerate(parsed.entries, 1)]
        out.listed = [key for _, _, key, _ in keyed]
        todo = [(i, e, key, marker) for i, e, key, marker in keyed
                if (m := state.entries.get(key)) is None or m.marker != marker]  # the others did not change
        for n, (i, entry, key, marker) in enumerate(todo):
            if self.entry_progress is not None:
                self.entry_progress(url, n, len(todo))
            old = state.entries.get(key)
            tries = old.tries if old is not None and old.failed_marker == marker else 0
            if self._stop.is_set():
                out.status, out.complete = "stopped", False
                break
            cp, n_errors = ctx.checkpoint(), len(ctx.errors)
            read = partial(load_feed_entry, entry, where=f"{url}#{i}", outlet=outlet, ctx=ctx, fetch=True,
                           fallback_id=f"{stem}-{_digest(key)[:10]}", fallback_outlet=outlet or stem)  # fmt: skip
            link = clean_field(entry.get("link"))
            can_recheck = old is not None and old.text_hash and old.failed_marker != marker
            try:
                with self.fetcher.recheck(link, *((old.page_etag, old.page_modified) if old and can_recheck
                                                  else (None, None))) as fetched:  # fmt: skip
                    loaded = guarded(ctx, f"{url}#{i}", "feed", read)
            except WatchStopped:
                ctx.rollback(cp)
                out.status, out.complete = "stopped", False
                break
            except _PageNotModified:  # the page answered 304: the article is as it was
                ctx.rollback(cp)
                assert old is not None
                out.unchanged += 1
                out.marks[key] = replace(old, marker=marker, seen=now, tries=0, failed_marker="")
                continue
            got: Fetched | None = fetched.page
            out.errors.extend(ctx.errors[n_errors:])
            link_failed = loaded and len(ctx.errors) > n_errors  # the page failed: only the summary came
            # robots.txt will say no again, a PDF stays a PDF: the summary now, without retrying
            final = all(e.code in _LASTING for e in ctx.errors[n_errors:])
            if not loaded or (link_failed and not final and tries + 1 < ENTRY_TRIES):
                # Retried on the next polls (the feed's validators are not kept, so it is read again);
                # after ENTRY_TRIES the summary is used, or the entry is given up until it changes.
                if loaded:
                    ctx.rollback(cp)
                given_up = tries + 1 >= ENTRY_TRIES
                out.marks[key] = EntryMark(marker if given_up else (old.marker if old else ""),
                                           old.text_hash if old else "", now, tries + 1, marker)  # fmt: skip
                out.complete = out.complete and given_up
                continue
            article = ctx.articles[-1]
            digest = _digest(f"{article.title or ''}\n{article.text}")
            if old is not None and old.text_hash == digest:
                out.unchanged += 1  # the feed's entry changed, the article did not
            else:
                out.articles.append(article)
                if old is not None and old.text_hash:
                    out.updated += 1
                else:
                    out.new += 1
            validators = (got.etag, got.last_modified) if got is not None else (None, None)
            out.marks[key] = EntryMark(marker, digest, now, 0, "", *validators)
        if todo and self.entry_progress is not None and out.status != "stopped":
            self.entry_progress(url, len(todo), len(todo))
        return out

    # -- applying a poll (calling thread) ----------------------------------------------------

    def _apply(self, url: str, out: _Outcome) -> PollResult:
        state = self.states[url]
        now = self.clock.now()
        errors = list(out.errors)
        status = out.status
        if out.articles:
            try:
                self.on_articles(list(out.articles))
            except Exception as e:  # the store refused them: keep them unseen, retry later
                errors.append(InputError(url, f"the articles could not be stored ({type(e).__name__}: {e})",
                                         "check the store (disk space, permissions); they are fetched "
                                         "again on the next poll", code="store_failed"))  # fmt: skip
                status, out.fatal = "failed", True
        state.last_poll = now
        state.last_status = status
        if out.fatal:
            state.failures += 1
            state.last_error = str(errors[-1]) if errors else ""
            delay = backoff_delay(state.failures, base=self.backoff_base, cap=self.max_backoff,
                                  jitter=self.jitter, rng=self.rng)  # fmt: skip
            if out.retry_after is not None:  # the server said when: never sooner, within the cap
                delay = max(delay, min(out.retry_after, self.max_backoff))
            state.next_poll = now + delay
            return PollResult(url, "failed", errors=tuple(errors), next_poll=state.next_poll,
                              failures=state.failures)  # fmt: skip
        if status == "stopped" and out.fetched is None:
            return PollResult(url, "stopped", next_poll=state.next_poll, failures=state.failures)
        # A good poll (or a stopped one that got the feed): keep what it learnt.
        state.failures = 0
        state.last_error = ""
        for key in out.listed:
            mark = state.entries.get(key)
            if mark is not None:
                mark.seen = now
        state.entries.update(out.marks)
        if len(state.entries) > MAX_ENTRIES_KEPT:  # forget the entries gone from the feed longest
            keep = sorted(state.entries.items(), key=lambda kv: kv[1].seen, reverse=True)[:MAX_ENTRIES_KEPT]
            state.entries = dict(keep)
        if out.fetched is not None and out.fetched.status != 304:
            # Validators only when every entry was dealt with: otherwise a 304 would hide the rest.
            state.etag = out.fetched.etag if out.complete else None
            state.last_modified = out.fetched.last_modified if out.complete else None
        if status != "stopped":
            factor = self.rng.uniform(1 - self.jitter, 1 + self.jitter) if self.jitter else 1.0
            state.next_poll = now + self.interval * factor
        return PollResult(url, status, new=out.new, updated=out.updated, unchanged=out.unchanged,
                          articles=tuple(out.articles), errors=tuple(errors), next_poll=state.next_poll)  # fmt: skip


class StoreSink:
    """The watcher's ``on_articles`` for an article store: each batch goes through
    ``newsprism.stream.ingest.ingest_articles`` (duplicates linked, a changed text stored as a
    new version, new articles placed in stories), and the stories that changed are remembered
    for ``take_changed`` (their reports to refresh).

    ``clusterer``: ``"auto"`` restores the store's story clusterer once (None when
    ``newsprism.stream.cluster`` is missing: articles are stored, stories not assigned).
    ``totals`` adds up every batch's ``IngestSummary``, ``round`` those since ``take_changed``;
    ``last`` is the latest batch's.

    >>> import tempfile, pathlib
    >>> from newsprism.stream.store import Store
    >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite3")
    >>> sink = StoreSink(store, clusterer=None)
    >>> text = "The Osk ferry resumed service on Monday after a two-week pause for repairs."
    >>> sink([Article.create(id="osk", outlet="Osk Daily", text=text, url="https://osk.example/ferry")])
    >>> sink([Article.create(id="osk", outlet="Osk Daily", text=text + " Tickets sold out.",
    ...                      url="https://osk.example/ferry")])
    >>> (sink.totals.new, sink.totals.versions, len(store.versions("osk")))
    (1, 1, 2)
    >>> store.close()
    """

    def __init__(self, store: Any, *, clusterer: Any = "auto") -> None:
        from newsprism.stream.ingest import IngestSummary, load_clusterer

        self.store = store
        self.clusterer = load_clusterer(store) if clusterer == "auto" else clusterer
        self.totals = IngestSummary(clustered=self.clusterer is not None)
        self.last = IngestSummary(clustered=self.clusterer is not None)
        self.round = IngestSummary(clustered=self.clusterer is not None)  # since ``take_changed``
        self._changed: set[str] = set()

    def __call__(self, articles: list[Article]) -> None:
        from newsprism.stream.ingest import ingest_articles
        from newsprism.stream.store import identity_of

        s = ingest_articles(self.store, articles, clusterer=self.clusterer)
        self.last = s
        for t in (self.totals, self.round):
            t.new, t.exact, t.near = t.new + s.new, t.exact + s.exact, t.near + s.near
            t.versions, t.unchanged = t.versions + s.versions, t.unchanged + s.unchanged
            t.stories |= s.stories
        self._changed |= s.stories
        for article in articles:  # a new version's story changed too, though no article joined it
            found = self.store.find(identity_of(article))
            story = self.store.story_of(found[0]) if found is not None else None
            if story is not None:
                self._changed.add(story)

    def take_changed(self) -> list[str]:
        """The stories changed since the last call, sorted (and forget them and ``round``)."""
        from newsprism.stream.ingest import IngestSummary

        changed, self._changed = sorted(self._changed), set()
        self.round = IngestSummary(clustered=self.clusterer is not None)
        return changed


def refresh_reports(
    store: Any,
    story_ids: Iterable[str],
    out: Path,
    *,
    formats: Sequence[str] | None = None,
    min_articles: int = 2,
    embedder: Any = None,
    stop_when: Callable[[], bool] | None = None,
) -> list[tuple[str, int, list[Path]]]:
    """Write the report of each story in ``story_ids`` with at least ``min_articles`` articles into
    ``out/<story id>/`` (the previous set there replaced whole): the same report as
    ``newsprism analyze --story ID`` (``newsprism.stream.stories.analyze_stored_story``: current
    versions, duplicates included, a note per edited article). ``formats``: default json, md, html.

    Returns ``(story id, articles, paths written)`` per report written. ``stop_when``: checked
    before each story; once it says True the rest are left (a watcher being stopped).
    """
    from newsprism.report.write import REPORT_FILES, write_reports
    from newsprism.stream.stories import analyze_stored_story

    done: list[tuple[str, int, list[Path]]] = []
    for story_id in sorted(set(story_ids)):
        if stop_when is not None and stop_when():
            break
        n = len(store.story_article_ids(story_id))
        if n < min_articles:
            continue
        run = analyze_stored_story(store, story_id, embedder=embedder)
        if run.report is None:  # pragma: no cover - a stored story always has articles
            continue
        folder = out / (re.sub(r"[^A-Za-z0-9._-]+", "-", story_id).strip(".-") or "story")
        done.append((story_id, n, write_reports(run.report, folder, formats or list(REPORT_FILES))))
    return done


def _entry_key(entry: Any) -> str:
    """A feed entry's identity: its id (guid), else its link, else a hash of its title."""
    for name in ("id", "link"):
        value = clean_field(dict.get(entry, name))
        if value:
            return value
    return "title:" + _digest(str(dict.get(entry, "title", "")))


def _entry_marker(entry: Any) -> str:
    """What changes when the feed says an entry changed: its date and its title and text."""
    stamp = clean_field(dict.get(entry, "updated") or dict.get(entry, "published")) or ""
    parts = [str(dict.get(entry, n, "") or "") for n in ("title", "link", "summary")]
    parts += [str(c.get("value", "")) for c in dict.get(entry, "content", None) or []]
    return f"{stamp}|{_digest(chr(0).join(parts))[:16]}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
