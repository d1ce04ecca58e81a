"""URL ingestion against a real local HTTP server (127.0.0.1 only)."""

from __future__ import annotations

import pytest

from newsprism.ingest import Fetcher, load, load_many
from newsprism.ingest.fetch import USER_AGENT

pytestmark = pytest.mark.network


def test_html_page_by_url(server) -> None:
    result = load(server.url("/article.html"))
    assert not result.errors
    (a,) = result.articles
    assert a.title == "Osk Ferry Resumes Service"
    assert a.outlet == "Brenmoor Courier"
    assert a.author == "Ana Pell"
    assert a.published is not None and a.published.isoformat() == "2024-03-05T08:15:00+01:00"
    assert a.url == server.url("/article.html")
    assert a.id == "127-0-0-1-article"
    assert a.source == server.url("/article.html")
    assert len(a.paragraphs) >= 3
    assert "Sign up for our newsletter" not in a.text  # page chrome is not article text
    kinds = {a.text[x.start : x.end]: x.kind for x in a.artifacts}
    assert kinds.get("What Comes Next") == "section_label"
    (rec,) = result.inputs
    assert (rec.status, rec.kind, rec.article_ids) == ("ok", "url", (a.id,))


def test_user_agent_is_sent(server) -> None:
    load(server.url("/plain.txt"))
    assert server.user_agents[-1] == USER_AGENT
    assert USER_AGENT.startswith("newsprism/") and "(+https://github.com/newsprism/newsprism)" in USER_AGENT


def test_redirect_is_followed(server) -> None:
    result = load(server.url("/redirect"))
    (a,) = result.articles
    assert a.url == server.url("/article.html")
    assert "redirected" in result.inputs[0].message


def test_too_many_redirects(server) -> None:
    result = load(server.url("/loop"))
    assert [e.code for e in result.errors] == ["http_error"]
    assert "redirects" in result.errors[0].problem


def test_redirect_to_other_scheme(server) -> None:
    result = load(server.url("/to-ftp"))
    assert [e.code for e in result.errors] == ["unsupported"]


@pytest.mark.parametrize(("path", "status"), [("/gone", "404"), ("/broken", "503")])
def test_http_errors(server, path: str, status: str) -> None:
    result = load(server.url(path))
    (err,) = result.errors
    assert err.code == "http_error"
    assert f"HTTP {status}" in err.problem
    assert err.source == server.url(path)
    assert err.fix
    assert result.inputs[0].status == "failed"


@pytest.mark.parametrize("path", ["/big-declared.html", "/big-streamed.html"])
def test_too_large(server, path: str) -> None:
    with Fetcher(max_bytes=100_000) as fetcher:
        result = load(server.url(path), fetcher=fetcher)
    (err,) = result.errors
    assert err.code == "too_large"
    assert "0.1 MB" in err.problem


def test_connection_refused(refused_url: str) -> None:
    result = load(refused_url)
    (err,) = result.errors
    assert err.code == "unreachable"
    assert "could not connect" in err.problem


def test_read_timeout(server) -> None:
    with Fetcher(read_timeout=0.1) as fetcher:
        result = load(server.url("/slow"), fetcher=fetcher)
    (err,) = result.errors
    assert err.code == "unreachable"
    assert "0.1 s" in err.problem


def test_plain_text_url(server) -> None:
    (a,) = load(server.url("/plain.txt")).articles
    assert (a.title, a.text) == ("Dam Holds", "The dam held overnight, engineers said.")
    assert a.outlet == "127.0.0.1"


def test_declared_http_charset(server) -> None:
    (a,) = load(server.url("/latin.html")).articles
    assert "caf\u00e9" in a.text and "\u201cnew\u201d" in a.text and "Ren\u00e9e" in a.text


def test_binary_and_empty_and_no_article(server) -> None:
    result = load_many([server.url("/image.png"), server.url("/empty.html"), server.url("/nav.html")])
    assert [e.code for e in result.errors] == ["binary", "empty", "no_article"]
    assert [r.status for r in result.inputs] == ["failed"] * 3
