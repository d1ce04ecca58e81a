"""The story page says where the analysis time went (the report's ``timings``, issue 17)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web app tests need the [web] extra: pip install -e '.[web]'")

from fastapi.testclient import TestClient

from newsprism.web.app import create_app
from newsprism.web.jobs import Outcome, Progress
from newsprism.web.submission import Submission

from .conftest import BASE_URL, LIMITS, fast_analyzer


def timed_analyzer(sub: Submission, progress: Progress, allow_private: bool) -> Outcome:
    out = fast_analyzer(sub, progress, allow_private)
    assert out.report is not None
    return Outcome(out.report.model_copy(update={"timings": {"annotate": 3.25, "claims": 0.5}}), out.errors)


def test_the_story_page_shows_the_stage_timings(tmp_path: Path, two_articles: dict[str, Any]) -> None:
    with TestClient(create_app(tmp_path / "s.sqlite3", analyzer=timed_analyzer, limits=LIMITS),
                    base_url=BASE_URL) as client:
        r = client.post("/api/stories", json=two_articles)
        assert r.status_code in (201, 202), r.text
        story_id = r.json()["id"]
        client.app.state.newsprism.runner.wait(story_id, timeout=30)  # type: ignore[attr-defined]
        html = client.get(f"/stories/{story_id}").text
        assert "Analysis time: annotate 3.2 s, claims 0.5 s (total 3.8 s)" in html
        assert client.get(f"/stories/{story_id}/report.json").json()["timings"] == {"annotate": 3.25, "claims": 0.5}


def test_a_report_without_timings_shows_no_time_line(client: TestClient, two_articles: dict[str, Any]) -> None:
    r = client.post("/api/stories", json=two_articles)
    story_id = r.json()["id"]
    client.app.state.newsprism.runner.wait(story_id, timeout=30)  # type: ignore[attr-defined]
    assert "Analysis time:" not in client.get(f"/stories/{story_id}").text
