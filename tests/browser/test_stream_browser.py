"""``newsprism serve --articles-store`` in a real browser: the stories page picks up an article that
another writer adds, a story page makes its report (progress, then the report), all under the
strict CSP and with no request leaving the server's origin."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsprism.model import Article

from .conftest import serving

pytestmark = pytest.mark.browser


def _article(aid: str, outlet: str, title: str, text: str) -> Article:
    return Article.create(id=aid, outlet=outlet, title=title, text=text, url=f"https://{aid}.example/story",
                          published=datetime(2026, 3, 3, 9, tzinfo=UTC))


KILN = [
    _article("ledger-kiln", "Brae Ledger", "Fire closes the Brae kiln works",
             "A fire closed the Brae kiln works on Sunday, the fire service said. Forty workers were sent home and "
             "nobody was hurt."),
    _article("post-kiln", "Brae Post", "Brae kiln works shut after Sunday fire",
             "The Brae kiln works shut on Sunday after a fire, according to the fire service. Forty workers went "
             "home; no one was injured."),
]
LATE = _article("wire-kiln", "Brae Wire", "Kiln works fire: forty workers sent home",
                "Forty workers were sent home on Sunday when fire closed the Brae kiln works, the fire service "
                "said. Nobody was hurt.")


@pytest.fixture
def stream_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    pytest.importorskip("rensa", reason="the article store needs the [stream] extra")
    from newsprism.stream.ingest import ingest_articles
    from newsprism.stream.store import Store
    from newsprism.web import stream_routes
    from newsprism.web.app import create_app

    monkeypatch.setattr(stream_routes, "POLL_MS", 1000)  # the pages poll each second, not every 5
    store = tmp_path / "articles.sqlite3"
    with Store(store) as s:
        ingest_articles(s, KILN)
    with serving(create_app(tmp_path / "web.sqlite3", articles_store=store)) as url:
        yield url, store


def test_stories_form_live_and_a_report_is_made(page: Any, stream_server: tuple[str, Path], artifacts: Path) -> None:
    from newsprism.stream.ingest import ingest_articles
    from newsprism.stream.store import Store

    base, store = stream_server
    page.goto(base + "/stream")
    row = page.locator("tr[data-story]", has_text="Fire closes the Brae kiln works")
    assert row.locator("td").nth(1).text_content().strip() == "2"
    with Store(store) as s:  # another writer, as `newsprism watch` would be
        ingest_articles(s, [LATE])
    page.wait_for_function("() => [...document.querySelectorAll('tr[data-story] td:nth-child(2)')]"
                           ".some(td => td.textContent.trim() === '3')", timeout=15_000)
    page.screenshot(path=str(artifacts / "app-stream.png"))

    row.locator("a").click()
    assert page.locator("[data-report-state=none]").count() == 1
    assert page.locator("tr[data-article]").count() == 3
    page.get_by_role("button", name="Make the report").click()
    page.wait_for_selector(".np-report", timeout=90_000)  # the progress box reloads into the report
    assert page.locator("[data-report-state=fresh]").count() == 1
    assert page.locator(".np-col").count() == 3
    page.screenshot(path=str(artifacts / "app-stream-story.png"))

    edited = _article("post-kiln", "Brae Post", "Brae kiln works shut after Sunday fire",
                      "The Brae kiln works shut on Sunday after a fire, according to the fire service. Sixty workers "
                      "went home; no one was injured.")
    with Store(store) as s:  # the Post corrects its article: the page says the report is out of date
        assert ingest_articles(s, [edited]).versions == 1
    page.wait_for_selector("[data-report-state=stale]", timeout=15_000)
    assert page.locator(".app-changes del").first.text_content() == "Forty"
    assert page.locator(".app-changes ins").first.text_content() == "Sixty"
    page.locator("h2", has_text="Edits").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "app-stream-edit.png"))
    assert page.log.errors == []
    assert all(u.startswith(base + "/") for u in page.log.requests), page.log.requests
