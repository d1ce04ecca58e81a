"""The HTML pages: the form, the story list, a story's progress, report and downloads; escaping and CSP."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web app tests need the [web] extra: pip install -e '.[web]'")

from fastapi.testclient import TestClient

from newsprism.report.html import render_html
from newsprism.report.schema import Report

Wait = Callable[[TestClient, str], None]

EVIL = "<script>alert('x')</script>"


def _form(texts: list[tuple[str, str]], *, title: str = "", urls: str = "") -> dict[str, Any]:
    return {"title": title, "outlet": [o for o, _ in texts], "headline": ["" for _ in texts],
            "text": [t for _, t in texts], "urls": urls}


def _story_id(location: str) -> str:
    m = re.fullmatch(r"/stories/([0-9a-f]+)", location)
    assert m, location
    return m.group(1)


def test_index_has_the_form_and_a_strict_csp(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert 'action="/stories"' in r.text and 'enctype="multipart/form-data"' in r.text
    assert 'name="files"' in r.text and 'name="urls"' in r.text and 'name="text"' in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp and "unsafe-inline" not in csp
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in r.text and " style=" not in r.text and "onclick" not in r.text
    assert "No stories yet" in r.text


def test_form_submission_opens_the_report(client: TestClient, wait: Wait) -> None:
    form = _form([("Marrow Ledger", f"Bridge Reopens\n\nThe bridge reopened Friday. {EVIL}"),
                  ("Creek Post", "The bridge over Marrow Creek opened again Friday."), ("", "")],
                 title=f"Bridge {EVIL}", urls="http://192.168.1.1/router\n")
    files = [("files", ("wire story.txt", b"Bridge open\n\nThe Marrow Creek bridge is open again.", "text/plain")),
             ("files", ("empty.txt", b"   ", "text/plain"))]
    r = client.post("/stories", data=form, files=files, follow_redirects=False)
    assert r.status_code == 303, r.text
    story_id = _story_id(r.headers["location"])
    wait(client, story_id)

    page = client.get(f"/stories/{story_id}")
    assert page.status_code == 200
    html = page.text
    assert EVIL not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert 'class="np-report"' in html and 'id="np-reader"' in html and 'id="np-claims"' in html
    assert html.count('class="np-col ') + html.count('class="np-col"') == 3
    # the failed inputs are on the page: the private URL and the empty upload
    assert "2 inputs failed" in html and "http://192.168.1.1/router" in html and "upload: empty.txt" in html
    assert '<script src="/assets/report.js" defer></script>' in html
    assert "<script>" not in html and " style=" not in html

    index = client.get("/").text
    assert f'href="/stories/{story_id}"' in index and "Bridge &lt;script&gt;" in index


def test_downloads(client: TestClient, wait: Wait) -> None:
    r = client.post("/stories", data=_form([("Marrow Ledger", "The bridge reopened Friday.")]),
                    follow_redirects=False)
    story_id = _story_id(r.headers["location"])
    wait(client, story_id)
    html = client.get(f"/stories/{story_id}/report.html")
    assert html.status_code == 200 and html.text.startswith("<!doctype html>")
    csp = html.headers["content-security-policy"]
    assert "script-src 'sha256-" in csp and "'self'" not in csp  # the standalone file's own policy
    assert html.headers["content-type"].startswith("text/html")
    data = client.get(f"/stories/{story_id}/report.json")
    assert Report.model_validate_json(data.content).story.articles[0].outlet == "Marrow Ledger"
    # streamed a chunk at a time, the page is exactly the file `newsprism analyze` writes
    assert html.text == render_html(Report.model_validate_json(data.content))
    assert "attachment" in data.headers["content-disposition"]
    md = client.get(f"/stories/{story_id}/report.md")
    assert md.status_code == 200 and md.text.startswith("# ")
    for suffix in ("report.html", "report.json", "report.md"):
        assert client.get(f"/stories/nope/{suffix}").status_code == 404


def test_a_running_story_shows_progress(gated_client: TestClient, gate: Any, wait: Wait) -> None:
    r = gated_client.post("/stories", data=_form([("Marrow Ledger", "The bridge reopened Friday.")]),
                          follow_redirects=False)
    story_id = _story_id(r.headers["location"])
    assert gate.entered.wait(10)
    page = gated_client.get(f"/stories/{story_id}").text
    assert f'data-status-url="/api/stories/{story_id}/status"' in page
    assert "<progress" in page and "parsing" in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    gate.release.set()
    wait(gated_client, story_id)
    assert 'class="np-report"' in gated_client.get(f"/stories/{story_id}").text


def test_a_failed_story_lists_every_input(client: TestClient, wait: Wait) -> None:
    r = client.post("/stories", data=_form([], urls="file:///etc/passwd\nhttp://localhost/"), follow_redirects=False)
    story_id = _story_id(r.headers["location"])
    wait(client, story_id)
    page = client.get(f"/stories/{story_id}").text
    assert "The analysis failed" in page
    assert "file:///etc/passwd" in page and "http://localhost/" in page and "--allow-private-urls" in page


def test_form_refusals_keep_the_user_on_the_form(client: TestClient) -> None:
    r = client.post("/stories", data=_form([("", "   ")]))
    assert r.status_code == 400 and "nothing to analyse" in r.text and 'role="alert"' in r.text
    big = [("files", ("big.txt", b"x" * 200_001, "text/plain"))]
    r = client.post("/stories", data=_form([]), files=big)
    assert r.status_code == 413 and "big.txt is larger than" in r.text
    assert client.get("/api/stories").json() == []


def test_unknown_story_is_a_404_page(client: TestClient) -> None:
    r = client.get("/stories/doesnotexist")
    assert r.status_code == 404 and "No such story" in r.text


def test_static_assets_are_served(client: TestClient) -> None:
    for path in ("/assets/report.css", "/assets/report.js", "/static/app.css", "/static/app.js"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["x-content-type-options"] == "nosniff"


def test_links_carry_the_proxy_prefix(db: Any) -> None:
    from newsprism.web.app import create_app

    with TestClient(create_app(db), root_path="/newsprism", base_url="http://localhost") as client:
        page = client.get("/").text
        assert 'href="/newsprism/assets/report.css"' in page and 'action="/newsprism/stories"' in page
        assert 'data-openapi-url="/newsprism/openapi.json"' in client.get("/docs").text
