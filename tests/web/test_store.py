"""The SQLite store, and resuming stories a stopped server left unfinished."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web app tests need the [web] extra: pip install -e '.[web]'")

from fastapi.testclient import TestClient

from newsprism.web.app import create_app
from newsprism.web.jobs import Outcome, Progress
from newsprism.web.store import InputProblem, Store, default_db_path
from newsprism.web.submission import PastedArticle, Submission, Upload

SUB = Submission(title="Dam", texts=(PastedArticle("The dam held.", outlet="Example Post"),),
                 files=(Upload("a.html", b"<p>\x00binary\xff</p>"),), urls=("https://news.example/a",))


def test_life_of_a_story(tmp_path: Path) -> None:
    store = Store(tmp_path / "deep" / "folder" / "s.sqlite3")
    rec = store.create(SUB)
    assert (rec.status, rec.inputs, rec.finished) == ("queued", 3, False)
    assert store.submission(rec.id) == SUB
    store.start(rec.id)
    store.progress(rec.id, "embed", 3, 9)
    got = store.get(rec.id)
    assert got is not None and (got.status, got.stage, got.done, got.total) == ("running", "embed", 3, 9)
    assert store.unfinished() == [rec.id]
    store.finish(rec.id, report_json='{"x": 1}', title="Dam holds", articles=1,
                 errors=[InputProblem("https://news.example/a", "the site is unreachable", "retry", "unreachable")])
    done = store.get(rec.id)
    assert done is not None and done.status == "done" and done.title == "Dam holds" and done.finished
    assert done.errors == (InputProblem("https://news.example/a", "the site is unreachable", "retry", "unreachable"),)
    assert store.report_json(rec.id) == '{"x": 1}'
    assert store.submission(rec.id) is None  # dropped once the report (which keeps the texts) exists
    assert store.unfinished() == []
    store.progress(rec.id, "embed", 5, 9)  # a late report from a stopped job
    late = store.get(rec.id)
    assert late is not None and (late.status, late.stage) == ("done", "")
    store.close()

    again = Store(tmp_path / "deep" / "folder" / "s.sqlite3")  # persisted
    assert [r.id for r in again.recent()] == [rec.id]
    assert again.delete(rec.id) and not again.delete(rec.id)
    assert again.get(rec.id) is None
    again.close()


def test_a_failed_story_keeps_its_inputs(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    rec = store.create(SUB)
    store.finish(rec.id, report_json=None, title=None, articles=0, errors=[], message="nothing usable")
    failed = store.get(rec.id)
    assert failed is not None and failed.status == "failed" and failed.message == "nothing usable"
    assert store.submission(rec.id) == SUB
    store.close()


def test_unfinished_stories_run_again_on_restart(tmp_path: Path, wait: Callable[[TestClient, str], None]) -> None:
    db = tmp_path / "s.sqlite3"
    store = Store(db)
    rec = store.create(SUB)
    store.start(rec.id)  # the server stopped here
    store.close()
    seen: list[Submission] = []

    def analyzer(sub: Submission, progress: Progress, allow_private: bool) -> Outcome:
        seen.append(sub)
        return Outcome(None, ())

    with TestClient(create_app(db, analyzer=analyzer), base_url="http://127.0.0.1") as client:
        wait(client, rec.id)
        assert client.get(f"/api/stories/{rec.id}/status").json()["status"] == "failed"
    assert seen == [SUB]


def test_default_db_is_in_the_user_data_folder() -> None:
    path = default_db_path()
    assert path.name == "newsprism.sqlite3" and "newsprism" in str(path.parent)
