"""The analysis job: every input kind, nothing lost, and one run through the real pipeline."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsprism.progress import STAGE_LABELS
from newsprism.web.jobs import analyze_submission, ingest_submission
from newsprism.web.submission import Limits, PastedArticle, Submission, Upload

PUBLIC = "93.184.215.14"


def public(host: str, port: int) -> list[str]:
    """Every name is public; an IP literal is itself (as the system resolver answers)."""
    return [host] if host.replace(".", "").isdigit() else [PUBLIC]


def test_pasted_uploaded_and_fetched_articles(tmp_path: Path) -> None:
    site = httpx.MockTransport(lambda r: httpx.Response(
        200, text="<html><head><title>Ferry back</title></head><body><article><h1>Ferry back</h1>"
                  "<p>The ferry to Gull Island runs again from Monday, the operator said.</p></article></body></html>",
        headers={"content-type": "text/html"}))
    sub = Submission(
        texts=(PastedArticle("Ferry Back\n\nThe Gull Island ferry resumes Monday.", outlet="Gull Times",
                             published="2031-04-01T08:00:00Z"),
               PastedArticle("---\noutlet: Harbor Post\ntitle: Ferry resumes\n---\nFerries run again Monday."),
               PastedArticle("   ")),
        files=(Upload("../../etc/evil name.md", b"# Ferry\n\nThe ferry is back on Monday."),
               Upload("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")),
        urls=("https://gull.example/ferry", "http://127.0.0.1/admin"),
    )
    result = ingest_submission(sub, resolve=public, transport=site)
    by_source = {r.source: r for r in result.inputs}
    assert by_source["pasted article 1 (Gull Times)"].status == "ok"
    assert by_source["pasted article 3"].status == "failed"
    assert by_source["upload: ../../etc/evil name.md"].status == "ok"
    assert by_source["upload: photo.png"].status == "failed"
    assert by_source["https://gull.example/ferry"].status == "ok"
    assert by_source["http://127.0.0.1/admin"].status == "failed"
    outlets = {a.outlet: a for a in result.articles}
    assert set(outlets) == {"Gull Times", "Harbor Post", "evil name", "gull.example"}
    gull = outlets["Gull Times"]
    assert (gull.id, gull.title, gull.published is not None) == ("gull-times", "Ferry Back", True)
    assert outlets["Harbor Post"].title == "Ferry resumes"
    assert sorted(e.code for e in result.errors) == ["binary", "blocked", "empty"]
    assert not (tmp_path / "etc").exists()


def test_the_real_pipeline_runs_on_a_submission() -> None:
    sub = Submission(title="Gull Island ferry", texts=(
        PastedArticle("The Gull Island ferry will run again from Monday after three weeks of repairs, the operator "
                      "said. Tickets cost $12.", outlet="Gull Times"),
        PastedArticle("Ferry service to Gull Island resumes Monday following three weeks of repairs, according to "
                      "the operator. A ticket costs $12.", outlet="Harbor Post"),
    ))
    calls: list[tuple[str, int, int]] = []
    outcome = analyze_submission(sub, lambda stage, done, total: calls.append((stage, done, total)), False)
    assert outcome.report is not None and not outcome.errors
    assert outcome.report.story.title == "Gull Island ferry"
    assert any(len(c.sources) == 2 for c in outcome.report.claims)
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == ["ingest", "models", "sentences", "parse", "quantities", "embed", "analyses"]
    # the page shows each stage in words (issue 18: no raw names, no "comparing sentences" while embedding)
    assert all(stage in STAGE_LABELS for stage in stages)
    for stage in stages:  # every stage ends at its total: a bar never stops short
        last = [(done, total) for s, done, total in calls if s == stage][-1]
        assert last[0] == last[1] > 0, stage
    assert outcome.report.generator.endswith("(minilm-onnx)")


def test_the_app_analyses_with_the_embedder_it_was_started_with(tmp_path: Path) -> None:
    from newsprism.web.app import create_app

    app = create_app(tmp_path / "s.db", embedder="mpnet-torch", resume=False)
    analyzer = app.state.newsprism.runner.analyzer
    assert analyzer.func is analyze_submission
    assert analyzer.keywords == {"embedder": "mpnet-torch", "max_articles": Limits().max_articles}
    default = create_app(tmp_path / "t.db", resume=False).state.newsprism.runner.analyzer
    assert default.func is analyze_submission and default.keywords["embedder"] == "minilm-onnx"


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"Ferry back\n\nThe Gull Island ferry runs again from Monday."
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/story"
    server.shutdown()
    server.server_close()


@pytest.mark.network
def test_a_local_server_is_refused_unless_the_operator_allows_it(local_site: str) -> None:
    refused = ingest_submission(Submission(urls=(local_site,)))
    assert [e.code for e in refused.errors] == ["blocked"] and not refused.articles
    allowed = ingest_submission(Submission(urls=(local_site,)), allow_private_urls=True)
    assert not allowed.errors and allowed.articles[0].text.startswith("The Gull Island ferry")
