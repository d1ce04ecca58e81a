"""The web app's embedded store: one SQLite file holding each story's submission, status,
progress, input errors and report JSON.

One connection guarded by a lock (the analysis threads and the request handlers share it);
WAL journaling so readers do not wait on a long write.

>>> import tempfile, pathlib
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "t.sqlite3")
>>> rec = store.create(Submission(title="Dam", urls=("https://news.example/a",)))
>>> (rec.status, rec.title, rec.inputs)
('queued', 'Dam', 1)
>>> store.start(rec.id)
1
>>> store.progress(rec.id, "parse", 1, 2); store.get(rec.id).stage
'parse'
>>> store.close()
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from newsprism.web.submission import Submission

__all__ = ["InputProblem", "QueueFull", "Status", "Store", "StoryRecord", "default_db_path"]

Status = Literal["queued", "running", "done", "failed"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    id          TEXT PRIMARY KEY,
    title       TEXT,
    status      TEXT NOT NULL,
    stage       TEXT NOT NULL DEFAULT '',
    done        INTEGER NOT NULL DEFAULT 0,
    total       INTEGER NOT NULL DEFAULT 0,
    inputs      INTEGER NOT NULL DEFAULT 0,
    articles    INTEGER NOT NULL DEFAULT 0,
    message     TEXT NOT NULL DEFAULT '',
    errors      TEXT NOT NULL DEFAULT '[]',
    submission  TEXT,
    report      TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_created ON stories(created_at);
CREATE INDEX IF NOT EXISTS stories_status ON stories(status);
"""

#: columns added after the first release, created on an older store when it is opened
_ADDED_COLUMNS = {"attempts": "INTEGER NOT NULL DEFAULT 0"}


class QueueFull(Exception):
    """Too many stories are queued or running; the message says how many and what to do."""


def default_db_path() -> Path:
    """``newsprism.sqlite3`` in the user's data folder (``platformdirs``)."""
    from platformdirs import user_data_path

    return user_data_path("newsprism", appauthor=False) / "newsprism.sqlite3"


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One input that gave no article: where, what was wrong, how to fix it."""

    source: str
    problem: str
    fix: str = ""
    code: str = ""


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """A story's row, without its (large) report and submission."""

    id: str
    title: str | None
    status: Status
    stage: str
    done: int
    total: int
    inputs: int
    articles: int
    message: str
    errors: tuple[InputProblem, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_COLUMNS = "id, title, status, stage, done, total, inputs, articles, message, errors, created_at, updated_at"


def _record(row: Sequence[Any]) -> StoryRecord:
    errors = tuple(InputProblem(**e) for e in json.loads(row[9] or "[]"))
    return StoryRecord(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], errors,
                       datetime.fromisoformat(row[10]), datetime.fromisoformat(row[11]))


class Store:
    """Stories in one SQLite file (created, with its folder, on first use)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(_SCHEMA)
            have = {row[1] for row in self._db.execute("PRAGMA table_info(stories)")}
            for name, decl in _ADDED_COLUMNS.items():
                if name not in have:
                    self._db.execute(f"ALTER TABLE stories ADD COLUMN {name} {decl}")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def _exec(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def create(self, submission: Submission, *, max_unfinished: int | None = None) -> StoryRecord:
        """Store a new submission as a queued story; returns its record. With ``max_unfinished``,
        raises :class:`QueueFull` instead when that many stories are queued or running already
        (counted and inserted under one lock, so concurrent submissions cannot overshoot)."""
        story_id = secrets.token_hex(6)
        now = _now()
        with self._lock:
            if max_unfinished is not None:
                busy = self._db.execute("SELECT COUNT(*) FROM stories WHERE status IN ('queued', 'running')"
                                        ).fetchone()[0]
                if busy >= max_unfinished:
                    raise QueueFull(f"{busy} stories are already queued or running, the server's limit; try again "
                                    "in a minute (its operator can raise it with newsprism serve --max-queue)")
            self._db.execute("INSERT INTO stories (id, title, status, inputs, submission, created_at, updated_at) "
                             "VALUES (?, ?, 'queued', ?, ?, ?, ?)",
                             (story_id, submission.title, submission.count, submission.to_json(), now, now))
        rec = self.get(story_id)
        assert rec is not None
        return rec

    def get(self, story_id: str) -> StoryRecord | None:
        """The story's record, or None."""
        rows = self._exec(f"SELECT {_COLUMNS} FROM stories WHERE id = ?", (story_id,))
        return _record(rows[0]) if rows else None

    def recent(self, limit: int = 100, offset: int = 0) -> list[StoryRecord]:
        """Stories, newest first."""
        rows = self._exec(f"SELECT {_COLUMNS} FROM stories ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
                          (limit, offset))
        return [_record(r) for r in rows]

    def submission(self, story_id: str) -> Submission | None:
        """What was submitted (kept until the analysis ends)."""
        rows = self._exec("SELECT submission FROM stories WHERE id = ?", (story_id,))
        return Submission.from_json(rows[0][0]) if rows and rows[0][0] else None

    def report_json(self, story_id: str) -> str | None:
        """The report (``newsprism.report/1`` JSON) of a finished story, or None."""
        rows = self._exec("SELECT report FROM stories WHERE id = ?", (story_id,))
        return rows[0][0] if rows else None

    def start(self, story_id: str) -> int:
        """Mark the story running; returns how many times it has been started (this one included),
        so that a story that takes the server down each time is not retried forever."""
        rows = self._exec("UPDATE stories SET status = 'running', stage = 'starting', attempts = attempts + 1, "
                          "updated_at = ? WHERE id = ? RETURNING attempts", (_now(), story_id))
        return int(rows[0][0]) if rows else 0

    def count_unfinished(self) -> int:
        """How many stories are queued or running."""
        return int(self._exec("SELECT COUNT(*) FROM stories WHERE status IN ('queued', 'running')")[0][0])

    def progress(self, story_id: str, stage: str, done: int, total: int) -> None:
        """Record how far the analysis is (only while it runs: a late report from a stopped job
        does not touch a finished story)."""
        self._exec("UPDATE stories SET stage = ?, done = ?, total = ?, updated_at = ? WHERE id = ? "
                   "AND status = 'running'", (stage, done, total, _now(), story_id))

    def finish(self, story_id: str, *, report_json: str | None, title: str | None, articles: int,
               errors: Sequence[InputProblem], message: str = "") -> None:
        """Store the outcome: ``done`` with a report, else ``failed`` with the errors and a message.
        The submission is dropped once a report exists (the report keeps every article's text)."""
        status = "done" if report_json is not None else "failed"
        self._exec(
            "UPDATE stories SET status = ?, stage = '', report = ?, title = COALESCE(?, title), articles = ?, "
            "errors = ?, message = ?, updated_at = ?, submission = CASE WHEN ? THEN NULL ELSE submission END "
            "WHERE id = ?",
            (status, report_json, title, articles, json.dumps([_problem_dict(e) for e in errors]),
             message, _now(), report_json is not None, story_id))

    def unfinished(self) -> list[str]:
        """Ids of stories queued or running (say, when the server stopped mid-analysis)."""
        return [r[0] for r in self._exec("SELECT id FROM stories WHERE status IN ('queued', 'running') "
                                         "ORDER BY created_at")]

    def requeue(self, story_id: str) -> None:
        """Put an unfinished story back in the queue."""
        self._exec("UPDATE stories SET status = 'queued', stage = '', done = 0, total = 0, updated_at = ? "
                   "WHERE id = ?", (_now(), story_id))

    def delete(self, story_id: str) -> bool:
        """Remove a story; True if it existed."""
        with self._lock:
            cur = self._db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
            return cur.rowcount > 0


def _problem_dict(p: InputProblem) -> dict[str, str]:
    return {"source": p.source, "problem": p.problem, "fix": p.fix, "code": p.code}
