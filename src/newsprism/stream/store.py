"""The article store: one SQLite file (stdlib ``sqlite3``, WAL) for a stream of articles.

Tables (schema version :data:`SCHEMA_VERSION`, in ``meta``):

- ``articles``: one row per article identity (its URL, else where it was read from), with its
  metadata, ``first_seen`` / ``last_seen`` and the number of its current version;
- ``versions``: every text an identity was seen with (a URL fetched again with other text is a
  new version; the same text again only moves ``last_seen``);
- ``bands``: the LSH band keys of each article's MinHash digest (``newsprism.stream.dedup``), so
  the near-duplicate index lives on disk: memory stays flat however many articles there are;
- ``duplicates``: article -> its group's canonical article, ``exact`` or ``near``, with the
  similarity of the match; duplicates are kept, never deleted (provenance needs them);
- ``stories`` and ``story_members``: which story each article belongs to;
- ``clusterer_stories``: the story clusterer's live stories, one row each, so saving its state
  after a batch writes the stories the batch changed (``meta`` holds the rest of its state).
  Version 2 added it; a version 1 store's clusterer state is read as before and moved into rows
  by the first save. Version 3 keeps each article's re-check profile (``words``: its word hashes
  and sentence ends, ``dedup.Fingerprint.profile_words``), so re-checking a stored article reads
  neither its text nor scans it again; rows written before have none and are scanned as before.

One writer at a time: every change runs in a ``BEGIN IMMEDIATE`` transaction, so a second
writer waits (``timeout``) and then fails with a :class:`StoreError` saying so; readers never block.

>>> import tempfile, pathlib
>>> from newsprism.model import Article
>>> s = Store(pathlib.Path(tempfile.mkdtemp()) / "news.sqlite3")
>>> a = Article.create(id="dam", outlet="Osk Daily", text="The dam held overnight.", url="https://osk.example/dam")
>>> with s.transaction():
...     stored = s.add_article(a, seen="2026-12-01T10:00:00+00:00")
>>> stored, s.article("dam").text, s.count()
('dam', 'The dam held overnight.', 1)
>>> s.close()
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from newsprism.errors import NewsprismError
from newsprism.model import Article, Artifact
from newsprism.stream.dedup import FINGERPRINT_VERSION, MAX_CANDIDATES, MIN_SHARED, Fingerprint, Kind, fingerprint

__all__ = [
    "SCHEMA_VERSION",
    "STORE_NAME",
    "ArticleStore",
    "DuplicateLink",
    "Store",
    "StoreError",
    "StoryRow",
    "Version",
    "default_store_path",
    "identity_of",
    "now",
]

SCHEMA_VERSION = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    identity TEXT NOT NULL UNIQUE,
    outlet TEXT NOT NULL,
    title TEXT, url TEXT, published TEXT, author TEXT, source TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    version INTEGER NOT NULL,
    text_hash TEXT NOT NULL,
    n_words INTEGER NOT NULL,
    digest BLOB NOT NULL,
    words BLOB
);
CREATE INDEX IF NOT EXISTS articles_text_hash ON articles (text_hash);
CREATE TABLE IF NOT EXISTS versions (
    article_id TEXT NOT NULL REFERENCES articles (id),
    version INTEGER NOT NULL,
    seen TEXT NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    artifacts TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (article_id, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bands (
    band_key INTEGER NOT NULL,
    seq INTEGER NOT NULL,  -- articles.seq (an integer: the largest table by far stays small)
    PRIMARY KEY (band_key, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bands_seq ON bands (seq);
CREATE TABLE IF NOT EXISTS duplicates (
    article_id TEXT PRIMARY KEY REFERENCES articles (id),
    canonical_id TEXT NOT NULL REFERENCES articles (id),
    kind TEXT NOT NULL CHECK (kind IN ('exact', 'near')),
    similarity REAL NOT NULL,
    linked TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS duplicates_canonical ON duplicates (canonical_id);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles (id),
    story_id TEXT NOT NULL REFERENCES stories (id)
);
CREATE INDEX IF NOT EXISTS story_members_story ON story_members (story_id);
CREATE TABLE IF NOT EXISTS clusterer_stories (
    id TEXT PRIMARY KEY,
    touched INTEGER NOT NULL,
    state TEXT NOT NULL
);
"""


class StoreError(NewsprismError):
    """The store cannot be opened or written (wrong file, newer schema, another writer, disk)."""


def now() -> str:
    """The current UTC time as an ISO 8601 string (what the store records)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


#: the store's file name in the user data folder (``newsprism.sqlite3`` there is the web app's)
STORE_NAME = "articles.sqlite3"


def default_store_path() -> Path:
    """``articles.sqlite3`` in the user data folder: platformdirs' when installed (the ``[web]``
    extra), else ``$XDG_DATA_HOME/newsprism`` or ``~/.local/share/newsprism``."""
    try:
        from platformdirs import user_data_dir

        return Path(user_data_dir("newsprism", appauthor=False)) / STORE_NAME
    except ImportError:
        import os

        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(base) / "newsprism" / STORE_NAME


def identity_of(article: Article) -> str:
    """What makes two fetches the same article: its URL, else the input it was read from.

    >>> identity_of(Article.create(id="a", outlet="o", text="t", url="https://x.example/a", source="a.html"))
    'https://x.example/a'
    """
    return article.url or article.source or f"id:{article.id}"


@dataclass(frozen=True, slots=True)
class Version:
    """One text an article was seen with."""

    article_id: str
    version: int
    seen: str
    title: str | None
    text: str
    text_hash: str


@dataclass(frozen=True, slots=True)
class DuplicateLink:
    """``article_id`` duplicates ``canonical_id`` (``exact`` or ``near``, with the match's similarity)."""

    article_id: str
    canonical_id: str
    kind: Kind
    similarity: float


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One line of the story listing."""

    id: str
    title: str | None
    articles: int
    outlets: int
    first_seen: str
    last_seen: str


class Store:
    """An open article store (see the module docs). Use as a context manager, or ``close()``.

    Exported as ``newsprism.ArticleStore`` (the web app has a store of its own).
    """

    def __init__(self, path: str | Path, *, timeout: float = 10.0) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                      check_same_thread=False)
        except (OSError, sqlite3.Error) as e:
            raise StoreError(f"{self.path}: the store cannot be opened ({e}) "
                             "(fix: check the path and its permissions, or pass another --store)") from None
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never corrupt
            self.db.execute("PRAGMA cache_size=-32000")  # 32 MB of pages: the band index stays hot, memory bounded
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as e:
            self.db.close()
            raise StoreError(f"{self.path}: not a newsprism store ({e}) "
                             "(fix: pass another --store path; this file is left as it is)") from None
        self._in_tx = False
        self._near: dict[str, tuple[bytes, int]] = {}  # the last candidates() rows

    # --- lifecycle -------------------------------------------------------------------------

    def _migrate(self) -> None:
        row = None
        has_meta = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if has_meta:
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        elif self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(f"{self.path}: this SQLite file is not a newsprism store (it has other tables) "
                             "(fix: pass another --store path; this file is left as it is)")
        if row is not None and int(row[0]) > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: the store has schema version {row[0]}, newer than this newsprism "
                             f"reads ({SCHEMA_VERSION}) (fix: upgrade newsprism)")
        self.db.executescript(_SCHEMA)
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
        if "words" not in columns:  # version 3 keeps each text's re-check profile; older rows have none
            self.db.execute("ALTER TABLE articles ADD COLUMN words BLOB")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        # text hashes and digests from another fingerprint version never match this one's: adding
        # to such a store would miss every duplicate and call every re-fetch a new version
        found = self.db.execute("SELECT value FROM meta WHERE key='fingerprints'").fetchone()
        if found is None and self.db.execute("SELECT 1 FROM articles LIMIT 1").fetchone():
            found = ("1",)  # written before the version was recorded
        if found is not None and found[0] != FINGERPRINT_VERSION:
            raise StoreError(f"{self.path}: the store's duplicate fingerprints are version {found[0]}, this "
                             f"newsprism computes version {FINGERPRINT_VERSION} (fix: ingest the sources again into "
                             "a new store: pass another --store path)")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprints', ?)", (FINGERPRINT_VERSION,))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (nested calls join the outer one); rolled back on any exception."""
        if self._in_tx:
            yield
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise StoreError(f"{self.path}: the store is busy ({e}): another newsprism is writing to it "
                             "(fix: wait for it to finish, or use another --store)") from None
        self._in_tx = True
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error as e:
                self.db.execute("ROLLBACK")
                raise StoreError(f"{self.path}: the changes could not be saved ({e}) "
                                 "(fix: check free disk space and permissions)") from None
        finally:
            self._in_tx = False

    # --- meta ------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- the story clusterer's stories -----------------------------------------------------

    def clusterer_stories(self) -> list[str]:
        """The saved live stories' states (JSON), least recently touched first."""
        return [str(r[0]) for r in self.db.execute("SELECT state FROM clusterer_stories ORDER BY touched")]

    def save_clusterer_stories(self, changed: Iterable[tuple[str, int, str]], dropped: Iterable[str] | None) -> None:
        """Delete the ``dropped`` ids (None: every row) and write ``(id, touched, state)`` rows (in a
        transaction)."""
        if dropped is None:
            self.db.execute("DELETE FROM clusterer_stories")
        else:
            self.db.executemany("DELETE FROM clusterer_stories WHERE id=?", ((sid,) for sid in dropped))
        self.db.executemany("INSERT OR REPLACE INTO clusterer_stories VALUES (?, ?, ?)", changed)

    # --- articles and versions -------------------------------------------------------------

    def count(self) -> int:
        """How many articles (identities) the store holds."""
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def find(self, identity: str) -> tuple[str, str] | None:
        """(article id, current text hash) of the article with this identity, if stored."""
        row = self.db.execute("SELECT id, text_hash FROM articles WHERE identity=?", (identity,)).fetchone()
        return None if row is None else (row[0], row[1])

    def _free_id(self, base: str) -> str:
        candidate, n = base or "article", 1
        while self.db.execute("SELECT 1 FROM articles WHERE id=?", (candidate,)).fetchone():
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    def add_article(self, article: Article, *, seen: str | None = None, fp: Fingerprint | None = None,
                    identity: str | None = None) -> str:
        """Store a new article (version 1) under a free id based on its own; returns that id."""
        seen = seen or now()
        fp = fp or fingerprint(article.text)
        article_id = self._free_id(article.id)
        self.db.execute(
            "INSERT INTO articles (id, identity, outlet, title, url, published, author, source, first_seen,"
            " last_seen, version, text_hash, n_words, digest, words) VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?,?,?)",
            (article_id, identity or identity_of(article), article.outlet, article.title, article.url,
             article.published.isoformat() if article.published else None, article.author, article.source,
             seen, seen, fp.text_hash, fp.n_words, fp.digest.astype("<u4").tobytes(), fp.profile_words()))
        self._insert_version(article_id, 1, article, fp, seen)
        return article_id

    def add_version(self, article_id: str, article: Article, *, seen: str | None = None,
                    fp: Fingerprint | None = None) -> int:
        """Record a new text for a stored article; returns its version number. The article's
        metadata and digest become the new version's; its LSH bands are replaced."""
        seen = seen or now()
        fp = fp or fingerprint(article.text)
        (version,) = self.db.execute("SELECT version FROM articles WHERE id=?", (article_id,)).fetchone()
        version += 1
        self.db.execute(
            "UPDATE articles SET title=coalesce(?, title), published=coalesce(?, published), "
            "author=coalesce(?, author), last_seen=?, version=?, text_hash=?, n_words=?, digest=?, words=? "
            "WHERE id=?",
            (article.title, article.published.isoformat() if article.published else None, article.author,
             seen, version, fp.text_hash, fp.n_words, fp.digest.astype("<u4").tobytes(), fp.profile_words(),
             article_id))
        self._insert_version(article_id, version, article, fp, seen)
        seq = self.order(article_id)
        if self.db.execute("SELECT 1 FROM bands WHERE seq=? LIMIT 1", (seq,)).fetchone():
            self.db.execute("DELETE FROM bands WHERE seq=?", (seq,))
            self.put_bands(article_id, fp)
        self._near.clear()
        return int(version)

    def _insert_version(self, article_id: str, version: int, article: Article, fp: Fingerprint, seen: str) -> None:
        artifacts = json.dumps([[a.start, a.end, a.kind, a.why] for a in article.artifacts])
        self.db.execute("INSERT INTO versions VALUES (?,?,?,?,?,?,?)",
                        (article_id, version, seen, article.title, article.text, fp.text_hash, artifacts))

    def touch(self, article_id: str, seen: str | None = None) -> None:
        """The article was seen again with the same text."""
        self.db.execute("UPDATE articles SET last_seen=max(last_seen, ?) WHERE id=?", (seen or now(), article_id))

    def article(self, article_id: str, version: int | None = None) -> Article:
        """The stored article (its current version, or ``version``) as an ``Article``."""
        row = self.db.execute(
            "SELECT outlet, url, published, author, source, version FROM articles WHERE id=?",
            (article_id,)).fetchone()
        if row is None:
            raise KeyError(article_id)
        outlet, url, published, author, source, current = row
        v = self.db.execute("SELECT title, text, artifacts FROM versions WHERE article_id=? AND version=?",
                            (article_id, version or current)).fetchone()
        if v is None:
            raise KeyError(f"{article_id} version {version}")
        title, text, artifacts = v
        return Article.create(
            id=article_id, outlet=outlet, text=text, title=title, url=url, author=author, source=source,
            published=datetime.fromisoformat(published) if published else None,
            artifacts=tuple(Artifact(s, e, k, w) for s, e, k, w in json.loads(artifacts)))

    def versions(self, article_id: str) -> list[Version]:
        """Every version of an article, oldest first."""
        return [Version(*r) for r in self.db.execute(
            "SELECT article_id, version, seen, title, text, text_hash FROM versions WHERE article_id=? "
            "ORDER BY version", (article_id,))]

    def edited(self, article_ids: Sequence[str]) -> list[str]:
        """Those of ``article_ids`` that have more than one version."""
        out = []
        for a in article_ids:
            row = self.db.execute("SELECT version FROM articles WHERE id=?", (a,)).fetchone()
            if row and row[0] > 1:
                out.append(a)
        return out

    # --- the dedup index (newsprism.stream.dedup.DedupIndex) ---------------------------------

    def known(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM bands WHERE seq=(SELECT seq FROM articles WHERE id=?) UNION ALL "
                               "SELECT 1 FROM duplicates WHERE article_id=? LIMIT 1", (key, key)).fetchone() is not None

    def link_of(self, key: str) -> tuple[str, Kind, float] | None:
        link = self.duplicate_link(key)
        return None if link is None else (link.canonical_id, link.kind, link.similarity)

    def exact(self, text_hash: str) -> str | None:
        row = self.db.execute("SELECT id FROM articles WHERE text_hash=? ORDER BY seq LIMIT 1",
                              (text_hash,)).fetchone()
        return None if row is None else str(row[0])

    def candidates(self, fp: Fingerprint) -> list[str]:
        keys = fp.bands()
        marks = ",".join("?" * len(keys))
        # the digests and sizes come along: dedup reads each candidate's next
        self._near = {r[0]: (r[1], r[2]) for r in self.db.execute(
            f"SELECT a.id, a.digest, a.n_words FROM (SELECT seq, count(*) AS n FROM bands WHERE band_key IN ({marks}) "
            "GROUP BY seq HAVING n >= ? ORDER BY n DESC, seq LIMIT ?) c JOIN articles a ON a.seq = c.seq "
            "ORDER BY c.n DESC, c.seq", [*keys, MIN_SHARED, MAX_CANDIDATES])}
        return list(self._near)

    def digest(self, key: str) -> np.ndarray:
        found = self._near.get(key)
        blob = found[0] if found else self.db.execute("SELECT digest FROM articles WHERE id=?", (key,)).fetchone()[0]
        return np.frombuffer(blob, dtype="<u4").astype(np.uint32)

    def size(self, key: str) -> int:
        found = self._near.get(key)
        return int(found[1] if found else self.db.execute("SELECT n_words FROM articles WHERE id=?",
                                                          (key,)).fetchone()[0])

    def text(self, key: str) -> str:
        row = self.db.execute("SELECT v.text FROM articles a JOIN versions v ON v.article_id = a.id "
                              "AND v.version = a.version WHERE a.id=?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return str(row[0])

    def profile_words(self, key: str) -> bytes | None:
        row = self.db.execute("SELECT words FROM articles WHERE id=?", (key,)).fetchone()
        return None if row is None or row[0] is None else bytes(row[0])

    def order(self, key: str) -> int:
        return int(self.db.execute("SELECT seq FROM articles WHERE id=?", (key,)).fetchone()[0])

    def canonical(self, key: str) -> str:
        row = self.db.execute("SELECT canonical_id FROM duplicates WHERE article_id=?", (key,)).fetchone()
        return key if row is None else str(row[0])

    def put(self, key: str, fp: Fingerprint, text: str, *, index: bool) -> None:
        """The article row is written by :meth:`add_article`; here only its bands, when indexed."""
        if index:
            self.put_bands(key, fp)

    def put_bands(self, key: str, fp: Fingerprint) -> None:
        seq = self.order(key)
        self.db.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)", [(k, seq) for k in fp.bands()])

    def link(self, key: str, canonical: str, kind: Kind, similarity: float) -> None:
        self.db.execute("INSERT OR REPLACE INTO duplicates VALUES (?,?,?,?,?)",
                        (key, canonical, kind, round(float(similarity), 4), now()))

    def merge(self, into: str, other: str, similarity: float) -> None:
        self.db.execute("UPDATE duplicates SET canonical_id=? WHERE canonical_id=?", (into, other))
        self.link(other, into, "near", similarity)

    def duplicate_link(self, article_id: str) -> DuplicateLink | None:
        """How ``article_id`` is linked to its canonical article (None: it is canonical)."""
        row = self.db.execute("SELECT article_id, canonical_id, kind, similarity FROM duplicates "
                              "WHERE article_id=?", (article_id,)).fetchone()
        return None if row is None else DuplicateLink(*row)

    def duplicate_links(self) -> list[DuplicateLink]:
        """Every duplicate link, in the order the duplicates were added."""
        return [DuplicateLink(*r) for r in self.db.execute(
            "SELECT d.article_id, d.canonical_id, d.kind, d.similarity FROM duplicates d "
            "JOIN articles a ON a.id = d.article_id ORDER BY a.seq")]

    # --- stories ---------------------------------------------------------------------------

    def assign(self, article_id: str, story_id: str, seen: str | None = None) -> None:
        """Put an article in a story (made when new); an article is in one story at a time."""
        self.db.execute("INSERT OR IGNORE INTO stories VALUES (?, ?)", (story_id, seen or now()))
        self.db.execute("INSERT OR REPLACE INTO story_members VALUES (?, ?)", (article_id, story_id))

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT story_id FROM story_members WHERE article_id=?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def story_article_ids(self, story_id: str) -> list[str]:
        """The ids of a story's articles, in the order they were first seen (KeyError: no such story)."""
        if not self.db.execute("SELECT 1 FROM stories WHERE id=?", (story_id,)).fetchone():
            raise KeyError(story_id)
        return [r[0] for r in self.db.execute(
            "SELECT a.id FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id=? "
            "ORDER BY a.seq", (story_id,))]

    def stories(self) -> list[StoryRow]:
        """Every story with at least one article, most recently seen first."""
        rows = self.db.execute(
            "SELECT m.story_id, count(*), count(DISTINCT a.outlet), min(a.first_seen), max(a.last_seen), "
            " (SELECT a2.title FROM story_members m2 JOIN articles a2 ON a2.id = m2.article_id "
            "  WHERE m2.story_id = m.story_id AND a2.title IS NOT NULL "
            "  ORDER BY a2.published IS NULL, a2.published, a2.seq LIMIT 1) "
            "FROM story_members m JOIN articles a ON a.id = m.article_id "
            "GROUP BY m.story_id ORDER BY max(a.last_seen) DESC, m.story_id").fetchall()
        return [StoryRow(id=r[0], title=r[5], articles=r[1], outlets=r[2], first_seen=r[3], last_seen=r[4])
                for r in rows]


#: ``newsprism.ArticleStore``: the name the package exports (the web app has a ``Store`` of its own)
ArticleStore = Store
