"""``newsprism serve`` in a real browser: submit a story, watch it finish, click through the report,
and the API docs page; all under the strict CSP, with no request leaving the server's origin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

LEDGER = ("Bridge Reopens\n\nThe Marrow Creek bridge reopened on Friday after six weeks of repairs, the county "
          "said.\n\nCrews replaced two steel beams and repaved the deck at a cost of $1.2 million.")
POST = ("The bridge over Marrow Creek opened again on Friday following six weeks of repair work, county officials "
        "said. The repairs, which replaced two steel beams, cost $1.2 million.")


def test_submit_a_story_and_see_it_appear(page: Any, live_server: str, artifacts: Path) -> None:
    page.goto(live_server + "/")
    page.fill("#f-title", "Marrow Creek bridge")
    boxes = page.locator("[data-article-box]")
    boxes.nth(0).locator("input[name=outlet]").fill("Marrow Ledger")
    boxes.nth(0).locator("textarea").fill(LEDGER)
    boxes.nth(1).locator("input[name=outlet]").fill("Creek Post")
    boxes.nth(1).locator("textarea").fill(POST)
    page.locator("[data-add-article]").click()  # the form's own script adds a third box
    assert page.locator("[data-article-box]").count() == 3
    page.fill("#f-urls", "http://127.0.0.1:1/internal")
    page.screenshot(path=str(artifacts / "app-form.png"))
    page.locator("button.app-submit").click()

    page.wait_for_selector(".np-report", timeout=60_000)  # the progress page reloads into the report
    assert "/stories/" in page.url
    assert page.locator(".np-col").count() == 2
    assert "1 input failed" in (page.locator(".app-actions").text_content() or "")
    assert "http://127.0.0.1:1/internal" in (page.locator("#np-inputs").text_content() or "")

    page.locator("#np-claims button.np-claim").first.click()
    per_article = page.eval_on_selector_all(".np-col", "cols => cols.map(c => c.querySelectorAll('.np-hl').length)")
    assert all(n > 0 for n in per_article), per_article
    page.screenshot(path=str(artifacts / "app-story.png"), full_page=False)

    page.goto(live_server + "/")
    assert page.locator(".app-stories a", has_text="Marrow Creek bridge").count() == 1
    assert page.log.errors == []
    assert all(u.startswith(live_server + "/") for u in page.log.requests), page.log.requests


def test_api_docs_render_under_the_csp(page: Any, live_server: str) -> None:
    page.goto(live_server + "/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "newsprism" in (page.locator(".swagger-ui .info .title").text_content() or "")
    assert page.locator(".opblock-summary-path", has_text="/api/stories/{story_id}").count() >= 1
    assert all(u.startswith(live_server + "/") for u in page.log.requests), page.log.requests
    assert page.log.errors == []
