"""`newsprism serve --articles-store`: the article store's stories as they form, their reports refreshed.

The store is filled by the library (``ingest_articles``, with the real story clusterer) from
fictional articles written here; a second process adds articles between two requests. Reports are
made by the library's ``stored_story`` + ``build_report`` (no language models), except in the one
test that runs the real ``analyze_stored_story``.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from newsprism.model import Article

from .conftest import BASE_URL, LIMITS, NEEDS_WEB, fast_analyzer

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from newsprism.report.schema import Report
    from newsprism.stream.store import Store

pytest.importorskip("rensa", reason="the article store needs the [stream] extra: pip install -e '.[stream]'")


def _article(aid: str, outlet: str, title: str, text: str, url: str, day: int = 3) -> Article:
    return Article.create(id=aid, outlet=outlet, title=title, text=text, url=url,
                          published=datetime(2026, 3, day, 9, tzinfo=UTC))


DAM = [
    _article("ledger-dam", "Osk Ledger", "Varnholt dam repairs approved",
             "The Varnholt council approved $4.8 million on Tuesday to repair the Varnholt dam, mayor Ilse Brandt "
             "said. Work starts in April.", "https://ledger.example/dam"),
    _article("post-dam", "Osk Post", "Council funds Varnholt dam fix",
             "Councillors in Varnholt voted 7-2 to spend $4.8 million repairing the dam, according to mayor Ilse "
             "Brandt. Crews begin in April.", "https://post.example/dam"),
]
FERRY = _article("ledger-ferry", "Osk Ledger", "Gull Island ferry resumes",
                 "Ferry service to Gull Island resumes Monday after three weeks of engine repairs, the operator "
                 "Tern Lines said. A ticket costs $12.", "https://ledger.example/ferry")

#: what the second process adds: a third outlet on the dam story, and a new story
SECOND_PROCESS = """
import sys
from datetime import UTC, datetime
from newsprism.model import Article
from newsprism.stream.ingest import ingest_articles
from newsprism.stream.store import Store

with Store(sys.argv[1]) as store:
    ingest_articles(store, [
        Article.create(id="wire-dam", outlet="Osk Wire", title="Varnholt to repair its dam for $4.8 million",
                       text="Varnholt will repair its dam for $4.8 million after a council vote on Tuesday, mayor "
                            "Ilse Brandt said. The work begins in April.", url="https://wire.example/dam",
                       published=datetime(2026, 3, 3, 11, tzinfo=UTC)),
        Article.create(id="wire-quake", outlet="Osk Wire", title="Magnitude 5.2 quake shakes Lorrin Bay",
                       text="A magnitude 5.2 earthquake shook Lorrin Bay before dawn on Wednesday, the Lorrin "
                            "seismic office said. No injuries were reported.", url="https://wire.example/quake",
                       published=datetime(2026, 3, 4, 6, tzinfo=UTC)),
    ])
"""


def fast_stored(store: Store, story_id: str, progress: Any) -> Report:
    """The library's stored story, reported without the language models."""
    from newsprism.report.build import build_report
    from newsprism.stream.stories import stored_story

    progress("analyses", 0, 1)
    story, inputs = stored_story(store, story_id)
    progress("analyses", 1, 1)
    return build_report(story, inputs=inputs)


@pytest.fixture
def articles_store(tmp_path: Path) -> Path:
    from newsprism.stream.ingest import ingest_articles
    from newsprism.stream.store import Store

    path = tmp_path / "articles.sqlite3"
    with Store(path) as store:
        ingest_articles(store, [*DAM, FERRY])
        assert [r.articles for r in store.stories()] == [2, 1]  # the clusterer put the dam articles together
    return path


def _client(db: Path, articles_store: Path, **kw: Any) -> TestClient:
    pytest.importorskip("fastapi", reason=NEEDS_WEB)
    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app

    kw.setdefault("stored_analyzer", fast_stored)
    return TestClient(create_app(db, analyzer=fast_analyzer, limits=LIMITS, articles_store=articles_store, **kw),
                      base_url=BASE_URL)


@pytest.fixture
def client(db: Path, articles_store: Path) -> Iterator[TestClient]:
    with _client(db, articles_store) as c:
        yield c


def _story_id(client: TestClient, title: str) -> str:
    stories = client.get("/api/stream/stories").json()["stories"]
    return next(s["id"] for s in stories if s["title"] == title)


def _wait_job(client: TestClient, job_id: str) -> None:
    client.app.state.newsprism.runner.wait(job_id, timeout=60)  # type: ignore[attr-defined]


def test_the_stories_page_lists_the_store(client: TestClient) -> None:
    page = client.get("/stream")
    assert page.status_code == 200 and "no-store" in page.headers["cache-control"]
    html = page.text
    assert "Varnholt dam repairs approved" in html and "Gull Island ferry resumes" in html
    assert 'data-poll-url="/stream/rows"' in html and "/static/stream.js" in html
    assert ">Stories as they form</a>" in html  # the nav links to it
    body = client.get("/api/stream/stories").json()
    assert body["total"] == 2
    dam = body["stories"][0] if body["stories"][0]["articles"] == 2 else body["stories"][1]
    assert (dam["title"], dam["articles"], dam["outlets"], dam["edited"]) == ("Varnholt dam repairs approved", 2, 2, 0)
    assert dam["updated"] >= dam["first_seen"] and dam["page"] == f"/stream/{dam['id']}"
    assert dam["report"] == {"job": None, "stale": False, "report": None, "report_stale": False}
    assert client.get("/api/stream/stories", params={"limit": 1, "offset": 1}).json()["total"] == 2
    assert len(client.get("/api/stream/stories", params={"limit": 1}).json()["stories"]) == 1
    assert client.get("/api/stream/stories", params={"limit": 0}).status_code == 422
    assert client.get("/api/stream/stories", params={"offset": 5}).json() == {"total": 2, "stories": []}


def test_articles_another_process_adds_show_up_between_two_requests(client: TestClient,
                                                                    articles_store: Path) -> None:
    before = client.get("/stream/rows").text
    assert "Lorrin Bay" not in before and before.count("<tr data-story=") == 2
    subprocess.run([sys.executable, "-c", textwrap.dedent(SECOND_PROCESS), str(articles_store)], check=True,
                   timeout=120)
    after = client.get("/stream/rows")
    assert after.status_code == 200 and "<html" not in after.text  # a fragment: what the page polls
    assert "Magnitude 5.2 quake shakes Lorrin Bay" in after.text and after.text.count("<tr data-story=") == 3
    stories = {s["title"]: s for s in client.get("/api/stream/stories").json()["stories"]}
    assert stories["Varnholt dam repairs approved"]["articles"] == 3
    assert stories["Varnholt dam repairs approved"]["outlets"] == 3
    # the stories changed last come first: the new story, and the dam story the wire article joined
    assert list(stories)[-1] == "Gull Island ferry resumes"
    dam = stories["Varnholt dam repairs approved"]["id"]
    live = client.get(f"/stream/{dam}/live").text
    assert "Osk Wire" in live and "3 articles from 3 outlets" in live


def test_a_story_page_makes_its_report_and_refreshes_it_when_the_story_changes(client: TestClient,
                                                                                 articles_store: Path) -> None:
    from newsprism.stream.ingest import ingest_articles
    from newsprism.stream.store import Store

    dam = _story_id(client, "Varnholt dam repairs approved")
    first = client.get(f"/stream/{dam}")
    assert first.status_code == 200
    assert "Osk Ledger" in first.text and "Osk Post" in first.text and "No report of this story yet" in first.text
    assert f'action="/stream/{dam}/refresh"' in first.text
    made = client.post(f"/stream/{dam}/refresh", follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == f"/stream/{dam}"
    job = client.get(f"/api/stream/stories/{dam}").json()["report"]["job"]
    assert job is not None
    _wait_job(client, job["id"])
    page = client.get(f"/stream/{dam}").text
    assert "Report up to date" in page and f"/stories/{job['id']}/report.html" in page
    assert 'class="np-' in page and "ledger-dam" in page  # the report's own sections, as on /stories/{id}
    report = client.get(f"/api/stories/{job['id']}").json()
    assert report["story"]["id"] == dam and {a["id"] for a in report["story"]["articles"]} == {"ledger-dam", "post-dam"}
    # unchanged: asking again queues nothing
    again = client.post(f"/stream/{dam}/refresh", follow_redirects=False)
    assert again.headers["location"] == f"/stream/{dam}?refresh=fresh"
    assert "The report is up to date" in client.get(again.headers["location"]).text
    assert client.get(f"/api/stream/stories/{dam}").json()["report"]["job"]["id"] == job["id"]

    # the Post edits its article (same URL, other text): a new version, and the report is out of date
    edited = _article("post-dam", "Osk Post", "Council funds Varnholt dam fix",
                      "Councillors in Varnholt voted 6-3 to spend $4.8 million repairing the dam, according to "
                      "mayor Ilse Brandt. Crews begin in May.", "https://post.example/dam")
    with Store(articles_store) as store:
        assert ingest_articles(store, [edited]).versions == 1
    live = client.get(f"/stream/{dam}/live").text
    assert "Report out of date" in live and "Refresh the report" in live
    assert "<h2>Edits</h2>" in live and 'data-version="2"' in live
    assert "<del>7-2</del> <ins>6-3</ins>" in live and "<del>April</del> <ins>May</ins>" in live
    detail = client.get(f"/api/stream/stories/{dam}").json()
    assert detail["edited"] == 1 and detail["report"]["report_stale"] is True
    post = next(a for a in detail["article_list"] if a["id"] == "post-dam")
    assert post["version"] == 2 and [v["version"] for v in post["versions"]] == [1, 2]
    assert (post["versions"][1]["removed"], post["versions"][1]["added"]) == (2, 2)
    assert any("[-7-2-] {+6-3+}" in c for c in post["versions"][1]["changes"]) and post["versions"][0]["changes"] == []
    rows = client.get("/stream/rows").text
    assert "out of date" in rows and "(1 edited)" in rows

    made = client.post(f"/api/stream/stories/{dam}/refresh")
    assert made.status_code == 202 and made.json()["id"] != job["id"]
    _wait_job(client, made.json()["id"])
    detail = client.get(f"/api/stream/stories/{dam}").json()
    assert detail["report"]["report_stale"] is False
    assert detail["report"]["report"] == f"/api/stories/{made.json()['id']}"
    new = client.get(detail["report"]["report"]).json()
    assert "6-3" in next(a["text"] for a in new["story"]["articles"] if a["id"] == "post-dam")
    assert client.post(f"/api/stream/stories/{dam}/refresh").status_code == 200  # up to date again


def test_a_report_being_made_shows_its_progress_and_is_not_queued_twice(db: Path, articles_store: Path) -> None:
    import threading

    entered, release = threading.Event(), threading.Event()

    def slow(store: Store, story_id: str, progress: Any) -> Report:
        progress("parse", 1, 4)
        entered.set()
        release.wait(10)
        return fast_stored(store, story_id, progress)

    with _client(db, articles_store, stored_analyzer=slow) as client:
        try:
            ferry = _story_id(client, "Gull Island ferry resumes")
            first = client.post(f"/api/stream/stories/{ferry}/refresh")
            assert first.status_code == 202 and entered.wait(10)
            page = client.get(f"/stream/{ferry}").text
            assert f'data-status-url="/api/stories/{first.json()["id"]}/status"' in page  # app.js follows it
            assert "Making the report" in page and "Report being made" in page
            second = client.post(f"/api/stream/stories/{ferry}/refresh")
            assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
            assert client.get("/stream/rows").text.count("being made") == 1
        finally:
            release.set()
        _wait_job(client, first.json()["id"])
        assert client.get(f"/api/stories/{first.json()['id']}/status").json()["status"] == "done"


def test_the_real_analysis_of_a_stored_story(db: Path, articles_store: Path) -> None:
    """analyze_stored_story, as `newsprism analyze --story`: the pipeline's stages as progress."""
    with _client(db, articles_store, stored_analyzer=None) as client:
        dam = _story_id(client, "Varnholt dam repairs approved")
        job = client.post(f"/api/stream/stories/{dam}/refresh").json()
        _wait_job(client, job["id"])
        status = client.get(f"/api/stories/{job['id']}/status").json()
        assert status["status"] == "done", status["message"]
        report = client.get(f"/api/stories/{job['id']}").json()
        assert report["story"]["id"] == dam and len(report["story"]["articles"]) == 2
        assert any(len(c["sources"]) == 2 for c in report["claims"])  # both outlets report the $4.8 million
        assert any("from the store, version 1" in i["message"] for i in report["inputs"])


def test_no_store_yet_then_one_appears(db: Path, tmp_path: Path) -> None:
    from newsprism.stream.ingest import ingest_articles
    from newsprism.stream.store import Store

    path = tmp_path / "later" / "articles.sqlite3"
    with _client(db, path) as client:
        rows = client.get("/stream/rows").text
        assert "There is no article store at" in rows and str(path) in rows and "newsprism ingest" in rows
        assert not path.exists()  # looking does not create it
        assert client.get("/stream/story-1").status_code == 404
        with Store(path) as store:
            ingest_articles(store, [FERRY])
        assert "Gull Island ferry resumes" in client.get("/stream/rows").text


def test_the_web_app_never_writes_to_the_article_store(client: TestClient, articles_store: Path) -> None:
    client.get("/stream")
    view = client.app.state.newsprism_stream.view  # type: ignore[attr-defined]
    with pytest.raises(sqlite3.OperationalError, match="readonly"), view._read() as store:
        store.db.execute("DELETE FROM articles")
    with sqlite3.connect(articles_store) as check:
        assert check.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        assert check.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'stream_%'").fetchone()[0] == 0


def test_protections_hold(client: TestClient) -> None:
    dam = _story_id(client, "Varnholt dam repairs approved")
    foreign = client.post(f"/stream/{dam}/refresh", headers={"Origin": "http://attacker.example"})
    assert foreign.status_code == 403
    assert client.get(f"/api/stream/stories/{dam}").json()["report"]["job"] is None  # nothing was queued
    assert client.get("/api/stream/stories", headers={"Host": "evil.example"}).status_code == 400
    assert "default-src 'none'" in client.get("/stream").headers["content-security-policy"]
    assert client.get("/api/stream/stories/story-404").status_code == 404
    missing = client.get("/stream/<script>")
    assert missing.status_code == 404 and "<script>" not in missing.text and "&lt;script&gt;" in missing.text
    assert client.post("/stream/story-404/refresh").status_code == 404


def test_a_full_queue_is_refused_with_retry_after(db: Path, articles_store: Path) -> None:
    from dataclasses import replace

    from newsprism.web.submission import Submission

    pytest.importorskip("fastapi", reason=NEEDS_WEB)
    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app

    app = create_app(db, analyzer=fast_analyzer, limits=replace(LIMITS, max_queued=1), articles_store=articles_store,
                     stored_analyzer=fast_stored, resume=False)
    with TestClient(app, base_url=BASE_URL) as client:
        app.state.newsprism.store.create(Submission(title="waiting", urls=("https://news.example/a",)))  # not run
        dam = _story_id(client, "Varnholt dam repairs approved")
        api = client.post(f"/api/stream/stories/{dam}/refresh")
        assert api.status_code == 429 and api.headers["retry-after"] == "30"
        page = client.post(f"/stream/{dam}/refresh")
        assert page.status_code == 429 and "Not queued:" in page.text and "--max-queue" in page.text


def test_a_file_that_is_no_article_store_is_refused_at_start(db: Path, tmp_path: Path) -> None:
    from newsprism.web.stream import StreamUnavailableError

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE notes (x)")
    with pytest.raises(StreamUnavailableError, match=r"--articles-store: .*not a newsprism store"):
        _client(db, other)


def test_a_stored_story_job_without_a_store_fails_saying_why(db: Path) -> None:
    from newsprism.web.submission import Submission

    sub = Submission(title="Dam", stored_story="story-1")
    assert Submission.from_json(sub.to_json()) == sub  # a refresh job survives a restart...
    pytest.importorskip("fastapi", reason=NEEDS_WEB)
    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app

    app = create_app(db, limits=LIMITS)  # ...into a server started without --articles-store
    rec = app.state.newsprism.store.create(sub)
    with TestClient(app, base_url=BASE_URL) as client:
        client.app.state.newsprism.runner.wait(rec.id, timeout=30)  # type: ignore[attr-defined]
        status = client.get(f"/api/stories/{rec.id}/status").json()
    assert status["status"] == "failed" and "--articles-store" in status["message"]


def test_without_an_articles_store_there_is_no_stream(db: Path) -> None:
    pytest.importorskip("fastapi", reason=NEEDS_WEB)
    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app

    with TestClient(create_app(db, analyzer=fast_analyzer, limits=LIMITS), base_url=BASE_URL) as client:
        assert client.get("/stream").status_code == 404
        assert client.get("/api/stream/stories").status_code == 404
        assert "Stories as they form" not in client.get("/").text


def test_the_api_is_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stream/stories", "/api/stream/stories/{story_id}", "/api/stream/stories/{story_id}/refresh"} <= set(
        paths)
    assert not any(p.startswith("/stream") for p in paths)  # the pages stay out of the API docs
