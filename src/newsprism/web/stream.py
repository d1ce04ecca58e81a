"""The article store in the web app: stories as they form, and their reports kept fresh.

``newsprism serve --articles-store PATH`` opens the store ``newsprism ingest`` and ``newsprism
watch`` write (:mod:`newsprism.stream.store`), **read-only**: the web app never changes it, and
another process keeps adding articles while it serves. Every request reads the store afresh
(SQLite WAL: a reader sees each commit of the writer at once, and never blocks it).

- :class:`StreamView` reads the listing (the store's own ``stories()``, plus when each story last
  changed and which versions it holds) and one story's articles, duplicates and edits;
- a story's report is a job of the web app's own queue (:class:`~newsprism.web.jobs.Runner`): the
  job's submission names the stored story (``Submission.stored_story``), and :class:`StreamAnalyzer`
  runs it with :func:`newsprism.stream.stories.analyze_stored_story`, as ``newsprism analyze
  --story`` does. :class:`ReportLinks` remembers, per stored story, its jobs and the *signature*
  (its articles and their versions) each one analysed, so a report is known to be out of date as
  soon as an article joins the story or is edited;
- the pages (``/stream``) refresh themselves by polling an HTML fragment (``static/stream.js``), and
  the JSON API lives under ``/api/stream/stories`` (``/api/stories`` is the submitted stories').

>>> story_signature([("b", 1), ("a", 2)]) == story_signature([("a", 2), ("b", 1)])
True
>>> story_signature([("a", 1)]) == story_signature([("a", 2)])  # an edit changes it
False
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsprism.errors import NewsprismError
from newsprism.stream.edits import word_diff
from newsprism.web.jobs import Analyzer, Outcome, Progress
from newsprism.web.submission import Submission

if TYPE_CHECKING:
    from newsprism.report.schema import Report
    from newsprism.stream.store import Store as ArticleStore

__all__ = ["ArticleRow", "ReportLinks", "ReportState", "StoredAnalyzer", "StreamAnalyzer", "StreamStory",
           "StreamUnavailableError", "StreamView", "VersionRow", "story_signature"]

#: analyse one stored story: (store, story id, progress) -> the report
StoredAnalyzer = Callable[["ArticleStore", str, Progress], "Report"]


class StreamUnavailableError(NewsprismError):
    """The article store cannot be read (not a newsprism store, a newer schema, unreadable)."""


def story_signature(members: Iterable[tuple[str, int]]) -> str:
    """What a report of a story covers: its articles and their version numbers, as a short hash."""
    text = "\n".join(f"{a}@{v}" for a, v in sorted(members))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class StreamStory:
    """One line of the listing: the store's :class:`~newsprism.stream.store.StoryRow` and more."""

    id: str
    title: str | None
    articles: int
    outlets: int
    first_seen: str
    last_seen: str
    updated: str  # when an article last joined the story or was edited
    edited: int  # articles with more than one version
    signature: str


@dataclass(frozen=True, slots=True)
class VersionRow:
    """One text an article was seen with; from version 2 on, what changed since the one before
    (``newsprism.stream.edits.word_diff``): words removed and added, and the first changes, each
    as runs of ``=`` kept, ``-`` removed and ``+`` added text."""

    version: int
    seen: str
    title: str | None
    words: int
    removed: int = 0
    added: int = 0
    changes: tuple[tuple[tuple[str, str], ...], ...] = ()


_MARK = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.S)


def change_runs(change: str) -> tuple[tuple[str, str], ...]:
    """A change in git's word-diff style as runs of kept, removed and added text.

    >>> change_runs("voted [-7-2-] {+6-3+} on")
    (('=', 'voted '), ('-', '7-2'), ('=', ' '), ('+', '6-3'), ('=', ' on'))
    """
    out: list[tuple[str, str]] = []
    at = 0
    for m in _MARK.finditer(change):
        if m.start() > at:
            out.append(("=", change[at:m.start()]))
        out.append(("-", m.group(1)) if m.group(1) is not None else ("+", m.group(2)))
        at = m.end()
    if at < len(change):
        out.append(("=", change[at:]))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One article of a story, with its duplicate link and its versions."""

    id: str
    outlet: str
    title: str | None
    url: str | None
    published: str | None
    first_seen: str
    last_seen: str
    version: int
    duplicate_of: str | None
    duplicate_kind: str | None
    similarity: float | None
    versions: tuple[VersionRow, ...]


class StreamView:
    """The article store at ``path``, read-only. Opened on first use (a store that does not exist
    yet is no error: ``ingest`` may create it later), then kept open; one lock serialises reads
    (the request handlers share the connection)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._store: ArticleStore | None = None
        self._lock = threading.Lock()
        #: (limit, offset) -> (the store's data_version then, the listing)
        self._cache: dict[tuple[int, int], tuple[int, tuple[int, list[StreamStory]]]] = {}

    def check(self) -> None:
        """Raise :class:`StreamUnavailableError` now when the file is there but is no article store."""
        with self._read():
            pass

    def exists(self) -> bool:
        return self._store is not None or self.path.is_file()

    @contextmanager
    def _read(self) -> Iterator[ArticleStore | None]:
        with self._lock:
            if self._store is None and self.path.is_file():
                self._store = open_read_only(self.path)
            yield self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def stories(self, limit: int = 100, offset: int = 0) -> tuple[int, list[StreamStory]]:
        """(how many stories, one page of them), the most recently changed first."""
        with self._read() as store:
            if store is None:
                return 0, []
            # every poll of every open page asks; the store changes far less often: the listing is
            # computed again only once another connection committed (SQLite's data_version says so)
            version = int(store.db.execute("PRAGMA data_version").fetchone()[0])
            cached = self._cache.get((limit, offset))
            if cached is not None and cached[0] == version:
                return cached[1]
            rows = store.db.execute(_LISTING, (limit, offset)).fetchall()
            extra = _story_extra(store, [r[0] for r in rows])
            titles = {r[0]: _title(store, r[0]) for r in rows}
            total = int(rows[0][7]) if rows else 0
            if not rows and offset:  # past the end: the count still says how many there are
                total = int(store.db.execute(_COUNT).fetchone()[0])
            result = total, [StreamStory(r[0], titles[r[0]], r[1], r[2], r[3], r[4], r[5], r[6], extra[r[0]][2])
                             for r in rows if r[0] in extra]
            if len(self._cache) >= 16:
                self._cache.clear()
            self._cache[(limit, offset)] = (version, result)
        return result

    def story(self, story_id: str) -> tuple[StreamStory, list[ArticleRow]] | None:
        """One story and its articles (first seen first); None when the store has no such story."""
        with self._read() as store:
            if store is None:
                return None
            try:
                ids = store.story_article_ids(story_id)
            except KeyError:
                return None
            rows = _article_rows(store, ids)
            extra = _story_extra(store, [story_id])
        if story_id not in extra:  # a story whose articles all moved to another one
            return None
        updated, edited, signature = extra[story_id]
        title = next((a.title for a in sorted(rows, key=lambda a: (a.published is None, a.published or ""))
                      if a.title), None)
        story = StreamStory(story_id, title, len(rows), len({a.outlet for a in rows}),
                            min(a.first_seen for a in rows), max(a.last_seen for a in rows), updated, edited,
                            signature)
        return story, rows

    def signature(self, story_id: str) -> str | None:
        """The story's signature now (None: no such story)."""
        with self._read() as store:
            if store is None:
                return None
            extra = _story_extra(store, [story_id])
        return extra[story_id][2] if story_id in extra else None


def open_read_only(path: Path) -> ArticleStore:
    """The store at ``path`` with its connection made read-only (``PRAGMA query_only``)."""
    from newsprism.stream.store import Store, StoreError

    try:
        store = Store(path)
    except StoreError as e:
        raise StreamUnavailableError(f"--articles-store: {e}") from None
    store.db.execute("PRAGMA query_only=ON")  # the web app only reads; ingest and watch write
    return store


#: when an article joined or was last edited: its first sighting, or its current version's (looked
#: up only for edited articles: a version row holds the whole text, so reading them all is slow)
_UPDATED = ("CASE WHEN a.version > 1 THEN (SELECT v.seen FROM versions v WHERE v.article_id = a.id AND "
            "v.version = a.version) ELSE a.first_seen END")

#: the store's ``stories()`` columns (``newsprism stories``), plus when each story last changed and
#: how many of its articles were edited; ordered by that change, one page at a time; the last
#: column is the number of stories in all
_LISTING = ("SELECT m.story_id, count(*), count(DISTINCT a.outlet), min(a.first_seen), max(a.last_seen), "
            f"max({_UPDATED}), sum(a.version > 1), count(*) OVER () FROM story_members m "
            "JOIN articles a ON a.id = m.article_id GROUP BY m.story_id "
            # times are to the second: within one, the story whose article arrived last comes first
            f"ORDER BY max({_UPDATED}) DESC, max(a.last_seen) DESC, max(a.seq) DESC, m.story_id LIMIT ? OFFSET ?")
_COUNT = "SELECT count(DISTINCT story_id) FROM story_members"


def _title(store: ArticleStore, story_id: str) -> str | None:
    """The story's title as ``Store.stories()`` gives it: its earliest published titled article's."""
    row = store.db.execute(
        "SELECT a.title FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = ? "
        "AND a.title IS NOT NULL ORDER BY a.published IS NULL, a.published, a.seq LIMIT 1", (story_id,)).fetchone()
    return None if row is None else str(row[0])


def _story_extra(store: ArticleStore, story_ids: Sequence[str]) -> dict[str, tuple[str, int, str]]:
    """story id -> (updated, edited articles, signature), for a page of stories."""
    members: dict[str, list[tuple[str, int]]] = {}
    updated: dict[str, str] = {}
    for start in range(0, len(story_ids), 500):  # SQLite's bound-parameter limit
        chunk = list(story_ids[start:start + 500])
        for story_id, article_id, version, seen in store.db.execute(
                f"SELECT m.story_id, a.id, a.version, {_UPDATED} FROM story_members m "
                f"JOIN articles a ON a.id = m.article_id WHERE m.story_id IN ({','.join('?' * len(chunk))})", chunk):
            members.setdefault(story_id, []).append((article_id, version))
            updated[story_id] = max(updated.get(story_id, ""), seen)
    return {s: (updated[s], sum(v > 1 for _, v in m), story_signature(m)) for s, m in members.items()}


def _article_rows(store: ArticleStore, ids: Sequence[str]) -> list[ArticleRow]:
    out = []
    for article_id in ids:
        row = store.db.execute("SELECT outlet, title, url, published, first_seen, last_seen, version FROM articles "
                               "WHERE id=?", (article_id,)).fetchone()
        if row is None:  # pragma: no cover - the ids come from the same store
            continue
        link = store.duplicate_link(article_id)
        versions = []
        previous = None
        for v in store.versions(article_id):
            row_v = VersionRow(v.version, v.seen, v.title, len(v.text.split()))
            if previous is not None:
                diff = word_diff(previous, v.text)
                row_v = replace(row_v, removed=diff.removed, added=diff.added,
                                changes=tuple(change_runs(c) for c in diff.changes(context=5, limit=5)))
            versions.append(row_v)
            previous = v.text
        out.append(ArticleRow(article_id, row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                              link.canonical_id if link else None, link.kind if link else None,
                              link.similarity if link else None, tuple(versions)))
    return out


# --- which job holds a stored story's report --------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportState:
    """A stored story's report, as far as the web app knows: its latest job (None: never
    analysed), that job's status, and whether the story changed since what the job analysed."""

    job_id: str | None
    status: str | None  # queued, running, done, failed (the web app's job status)
    stale: bool  # the story has other articles or versions than the job analysed
    report_job: str | None  # the latest job that produced a report (shown while a new one runs)
    report_stale: bool

    @property
    def busy(self) -> bool:
        return self.status in ("queued", "running")


_LINKS = """
CREATE TABLE IF NOT EXISTS stream_reports (
    job_id     TEXT PRIMARY KEY,
    store      TEXT NOT NULL,
    story_id   TEXT NOT NULL,
    signature  TEXT NOT NULL,
    requested  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stream_reports_story ON stream_reports (store, story_id, requested);
"""


class ReportLinks:
    """Stored story -> its report jobs, in a table of the web app's own SQLite file (beside its
    jobs; the article store stays read-only). Keyed by the article store's resolved path, so a
    server started on another store never mistakes its story ids for these."""

    def __init__(self, db: str | Path, articles_store: str | Path) -> None:
        self.store_key = str(Path(articles_store).resolve())
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(db), check_same_thread=False, isolation_level=None)
        with self._lock:
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(_LINKS)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def add(self, job_id: str, story_id: str, signature: str) -> None:
        """A job was queued for the story, which had ``signature`` then."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO stream_reports VALUES (?, ?, ?, ?, ?)",
                             (job_id, self.store_key, story_id, signature,
                              datetime.now(UTC).isoformat(timespec="microseconds")))

    def analysed(self, story_id: str, signature: str) -> None:
        """The story's running job reads the store now, at ``signature`` (articles may have
        joined since it was queued): what its report covers."""
        with self._lock:
            self._db.execute(
                "UPDATE stream_reports SET signature=? WHERE job_id=(SELECT job_id FROM stream_reports "
                "WHERE store=? AND story_id=? ORDER BY requested DESC LIMIT 1)", (signature, self.store_key, story_id))

    def jobs(self, story_id: str) -> list[tuple[str, str]]:
        """(job id, signature) of the story's jobs, newest first."""
        with self._lock:
            return [(r[0], r[1]) for r in self._db.execute(
                "SELECT job_id, signature FROM stream_reports WHERE store=? AND story_id=? ORDER BY requested DESC",
                (self.store_key, story_id))]

    def latest(self, story_ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        """story id -> its jobs (as :meth:`jobs`), for many stories at once."""
        out: dict[str, list[tuple[str, str]]] = {}
        with self._lock:
            for job_id, story_id, signature in self._db.execute(
                    "SELECT job_id, story_id, signature FROM stream_reports WHERE store=? ORDER BY requested DESC",
                    (self.store_key,)):
                out.setdefault(story_id, []).append((job_id, signature))
        wanted = set(story_ids)
        return {k: v for k, v in out.items() if k in wanted}


def report_state(jobs: Sequence[tuple[str, str]], signature: str,
                 status_of: Callable[[str], str | None]) -> ReportState:
    """The :class:`ReportState` of a story whose jobs (newest first) are ``jobs`` and whose
    signature now is ``signature``; ``status_of(job id)`` is the job's status (None: deleted).

    >>> report_state([("j2", "s2"), ("j1", "s1")], "s2", {"j2": "running", "j1": "done"}.get)
    ReportState(job_id='j2', status='running', stale=False, report_job='j1', report_stale=True)
    >>> report_state([], "s1", {}.get).job_id is None
    True
    """
    live = [(j, s, st) for j, s in jobs if (st := status_of(j)) is not None]
    if not live:
        return ReportState(None, None, False, None, False)
    job_id, sig, status = live[0]
    done = next(((j, s) for j, s, st in live if st == "done"), None)
    return ReportState(job_id, status, sig != signature, done[0] if done else None,
                       done is not None and done[1] != signature)


# --- the job ----------------------------------------------------------------------------------


def default_stored_analyzer(embedder: str = "minilm-onnx") -> StoredAnalyzer:
    """The real analysis: ``analyze_stored_story`` with the sentence model ``embedder``."""
    def analyze(store: ArticleStore, story_id: str, progress: Progress) -> Report:
        from newsprism.nlp.embeddings import get_embedder
        from newsprism.stream.stories import analyze_stored_story

        run = analyze_stored_story(store, story_id, embedder=get_embedder(embedder), progress=progress)
        assert run.report is not None  # a stored story always has articles
        return run.report

    return analyze


class StreamAnalyzer:
    """The web app's job function: a submission naming a stored story is analysed from the
    article store (with a connection of its own, so the pages stay quick meanwhile); any other
    goes to ``inner`` (the usual :func:`~newsprism.web.jobs.analyze_submission`, which refuses a
    stored story: a server restarted without its article store says so)."""

    def __init__(self, inner: Analyzer, *, path: Path, links: ReportLinks,
                 analyze: StoredAnalyzer | None = None, max_articles: int | None = None) -> None:
        self.inner, self.path, self.links = inner, path, links
        self.analyze = analyze or default_stored_analyzer()
        self.max_articles = max_articles

    def __call__(self, sub: Submission, progress: Progress, allow_private: bool) -> Outcome:
        if sub.stored_story is None:
            return self.inner(sub, progress, allow_private)
        if not self.path.is_file():
            raise NewsprismError(f"{self.path}: the article store is gone (fix: restart the server with "
                                 "--articles-store pointing at it)")
        progress("ingest", 0, 1)
        store = open_read_only(self.path)
        try:
            try:
                members = [(a, v) for a, v in _members(store, sub.stored_story)]
            except KeyError:
                raise NewsprismError(f"story {sub.stored_story!r} is no longer in the article store "
                                     f"{self.path} (its articles joined another story)") from None
            if self.max_articles is not None and len(members) > self.max_articles:
                raise NewsprismError(f"story {sub.stored_story!r} has {len(members):,} articles, over the server's "
                                     f"limit of {self.max_articles:,} per story (fix: newsprism analyze --story "
                                     f"{sub.stored_story} on the command line, or newsprism serve --max-articles)")
            self.links.analysed(sub.stored_story, story_signature(members))
            progress("ingest", 1, 1)
            report = self.analyze(store, sub.stored_story, progress)
        finally:
            store.close()
        return Outcome(report, ())


def _members(store: ArticleStore, story_id: str) -> list[tuple[str, int]]:
    ids = store.story_article_ids(story_id)  # KeyError: no such story
    if not ids:
        raise KeyError(story_id)
    return [(a, int(store.db.execute("SELECT version FROM articles WHERE id=?", (a,)).fetchone()[0])) for a in ids]


def when(iso: str | None) -> str:
    """An ISO time as the pages show it.

    >>> when("2026-03-03T10:05:09+00:00")
    '2026-03-03 10:05'
    """
    return (iso or "")[:16].replace("T", " ")
