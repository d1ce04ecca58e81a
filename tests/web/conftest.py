"""Web app fixtures: an app over a temporary store, with a fast analyzer (real ingestion, no models)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from newsprism.pipeline import inputs_out, make_story
from newsprism.report.build import build_report
from newsprism.web.jobs import Outcome, Progress, ingest_submission
from newsprism.web.submission import Limits, Submission

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

NEEDS_WEB = "the web app tests need the [web] extra: pip install -e '.[web]'"
PUBLIC_IP = "93.184.215.14"
BASE_URL = "http://127.0.0.1"  # a Host the app answers to (loopback names only, by default)


def fake_resolve(host: str, port: int) -> list[str]:
    """news.example and friends are public; localhost and IP literals are what they say."""
    if host in ("localhost",):
        return ["127.0.0.1"]
    if host.replace(".", "").isdigit() or ":" in host:
        return [host]
    return [PUBLIC_IP]


def fake_site(request: httpx.Request) -> httpx.Response:
    """A fictional news site: /article is an HTML page, anything else is 404."""
    if request.url.path == "/article":
        html = ("<html><head><title>Bridge reopens in Marrow Creek</title></head><body><article>"
                "<h1>Bridge reopens in Marrow Creek</h1><p>The Marrow Creek bridge reopened on Friday after "
                "six weeks of repairs, the county said.</p><p>Crews replaced two steel beams.</p></article>"
                "</body></html>")
        return httpx.Response(200, text=html, headers={"content-type": "text/html; charset=utf-8"})
    return httpx.Response(404, text="not here")


def fast_analyzer(sub: Submission, progress: Progress, allow_private: bool) -> Outcome:
    """Real ingestion (pasted text, files, mocked URLs) and a report without the language models."""
    progress("ingest", 0, 1)
    ingested = ingest_submission(sub, allow_private_urls=allow_private, resolve=fake_resolve,
                                 transport=httpx.MockTransport(fake_site))
    progress("ingest", 1, 1)
    if not ingested.articles:
        return Outcome(None, ingested.errors)
    report = build_report(make_story(ingested.articles, title=sub.title), inputs=inputs_out(ingested))
    return Outcome(report, ingested.errors)


class Gate:
    """An analyzer that waits until released (to see a story while it runs)."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, sub: Submission, progress: Progress, allow_private: bool) -> Outcome:
        progress("parse", 1, 4)
        self.entered.set()
        self.release.wait(10)
        return fast_analyzer(sub, progress, allow_private)


LIMITS = Limits(max_body_bytes=2_000_000, max_file_bytes=200_000, max_text_chars=50_000, max_inputs=10)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "stories.sqlite3"


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    """The app over a fresh store, with the fast analyzer and small limits."""
    pytest.importorskip("fastapi", reason=NEEDS_WEB)
    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app

    with TestClient(create_app(db, analyzer=fast_analyzer, limits=LIMITS), base_url=BASE_URL) as c:
        yield c


@pytest.fixture
def gate() -> Iterator[Gate]:
    g = Gate()
    yield g
    g.release.set()


@pytest.fixture
def gated_client(db: Path, gate: Gate) -> Iterator[TestClient]:
    """The app with an analyzer that holds each story in 'running' until ``gate.release`` is set."""
    pytest.importorskip("fastapi", reason=NEEDS_WEB)
    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app

    with TestClient(create_app(db, analyzer=gate, limits=LIMITS), base_url=BASE_URL) as c:
        yield c
        gate.release.set()


@pytest.fixture
def wait() -> Callable[[TestClient, str], None]:
    """wait(client, story_id): block until the story's background job is over."""
    def _wait(client: TestClient, story_id: str) -> None:
        client.app.state.newsprism.runner.wait(story_id, timeout=30)  # type: ignore[attr-defined]
    return _wait


@pytest.fixture
def two_articles() -> dict[str, Any]:
    """A JSON submission: two short fictional articles on one story."""
    return {
        "title": "Bridge reopens",
        "articles": [
            {"outlet": "Marrow Ledger", "text": "Bridge Reopens\n\nThe Marrow Creek bridge reopened on Friday after "
                                                "six weeks of repairs.\n\nCrews replaced two steel beams."},
            {"outlet": "Creek Post", "title": "Marrow Creek bridge open again",
             "text": "The bridge over Marrow Creek opened again Friday. Repairs took six weeks."},
        ],
    }
