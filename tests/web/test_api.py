"""The JSON API, in-process: submit, poll, read the report contract, and the refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web app tests need the [web] extra: pip install -e '.[web]'")

import jsonschema
from fastapi.testclient import TestClient

from newsprism.report.schema import SCHEMA_VERSION, Report, json_schema

Wait = Callable[[TestClient, str], None]


def test_submit_then_read_the_report_contract(client: TestClient, wait: Wait, two_articles: dict[str, Any]) -> None:
    r = client.post("/api/stories", json=two_articles)
    assert r.status_code == 202, r.text
    status = r.json()
    assert status["status"] in ("queued", "running", "done") and status["inputs"] == 2
    assert r.headers["location"] == f"/api/stories/{status['id']}" == status["links"]["report"]
    wait(client, status["id"])

    r = client.get(f"/api/stories/{status['id']}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    data = r.json()
    jsonschema.validate(data, json_schema())
    report = Report.model_validate(data)
    assert report.schema_ == SCHEMA_VERSION
    assert {a.outlet for a in report.story.articles} == {"Marrow Ledger", "Creek Post"}
    assert report.story.title == "Bridge reopens"
    assert [i.source for i in report.inputs] == ["pasted article 1 (Marrow Ledger)", "pasted article 2 (Creek Post)"]

    listed = client.get("/api/stories").json()
    assert [s["id"] for s in listed] == [status["id"]]
    assert listed[0]["status"] == "done" and listed[0]["articles"] == 2


def test_a_running_story_answers_202_with_its_progress(gated_client: TestClient, gate: Any,
                                                      two_articles: dict[str, Any], wait: Wait) -> None:
    story_id = gated_client.post("/api/stories", json=two_articles).json()["id"]
    assert gate.entered.wait(10)
    r = gated_client.get(f"/api/stories/{story_id}")
    assert r.status_code == 202
    assert r.json()["status"] == "running" and r.json()["stage"] == "parse" and r.json()["stage_label"] == "parsing"
    s = gated_client.get(f"/api/stories/{story_id}/status").json()
    assert (s["done"], s["total"]) == (1, 4)
    gate.release.set()
    wait(gated_client, story_id)
    assert gated_client.get(f"/api/stories/{story_id}").status_code == 200
    done = gated_client.get(f"/api/stories/{story_id}/status").json()
    assert (done["status"], done["stage_label"]) == ("done", "finished")  # not "waiting" (issue 18)


def test_failed_inputs_are_reported_never_lost(client: TestClient, wait: Wait) -> None:
    body = {"urls": ["file:///etc/passwd", "ftp://news.example/a", "http://localhost:9/admin",
                     "http://10.0.0.7/x", "https://news.example/missing"]}
    story_id = client.post("/api/stories", json=body).json()["id"]
    wait(client, story_id)
    r = client.get(f"/api/stories/{story_id}")
    assert r.status_code == 422
    status = r.json()
    assert status["status"] == "failed" and "no input gave a usable article" in status["message"]
    assert status["stage_label"] == "stopped"
    codes = {e["source"]: e["code"] for e in status["errors"]}
    assert codes == {"file:///etc/passwd": "unsupported", "ftp://news.example/a": "unsupported",
                     "http://localhost:9/admin": "blocked", "http://10.0.0.7/x": "blocked",
                     "https://news.example/missing": "http_error"}


def test_partial_failure_keeps_the_report_and_lists_the_failure(client: TestClient, wait: Wait,
                                                                two_articles: dict[str, Any]) -> None:
    body = {**two_articles, "urls": ["https://news.example/article", "http://127.0.0.1:8000/"]}
    story_id = client.post("/api/stories", json=body).json()["id"]
    wait(client, story_id)
    report = Report.model_validate(client.get(f"/api/stories/{story_id}").json())
    assert len(report.story.articles) == 3
    failed = [i for i in report.inputs if i.status == "failed"]
    assert [(i.source, i.code) for i in failed] == [("http://127.0.0.1:8000/", "blocked")]
    status = client.get(f"/api/stories/{story_id}/status").json()
    assert status["status"] == "done" and [e["code"] for e in status["errors"]] == ["blocked"]


def test_refusals(client: TestClient) -> None:
    assert client.post("/api/stories", json={}).status_code == 422
    assert client.post("/api/stories", json={"articles": [], "urls": ["  "]}).status_code == 422
    assert client.post("/api/stories", json={"articles": [{"text": ""}]}).status_code == 422
    assert client.post("/api/stories", json={"bogus": 1}).status_code == 422
    many = {"urls": [f"https://news.example/{n}" for n in range(11)]}
    assert client.post("/api/stories", json=many).status_code == 413
    long = {"articles": [{"text": "word " * 20_000}]}
    assert client.post("/api/stories", json=long).status_code == 413
    huge = {"articles": [{"text": "x" * 2_100_000}]}
    r = client.post("/api/stories", json=huge)
    assert r.status_code == 413 and "limit" in r.text
    assert client.get("/api/stories/nope").status_code == 404
    assert client.get("/api/stories/nope/status").status_code == 404
    assert client.get("/api/stories").json() == []


def test_delete(client: TestClient, wait: Wait, two_articles: dict[str, Any]) -> None:
    story_id = client.post("/api/stories", json=two_articles).json()["id"]
    wait(client, story_id)
    assert client.delete(f"/api/stories/{story_id}").status_code == 204
    assert client.get(f"/api/stories/{story_id}").status_code == 404
    assert client.delete(f"/api/stories/{story_id}").status_code == 404


def test_cross_site_posts_are_refused(client: TestClient, two_articles: dict[str, Any]) -> None:
    r = client.post("/api/stories", json=two_articles, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post("/api/stories", json=two_articles, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    r = client.post("/api/stories", json=two_articles, headers={"Origin": "http://127.0.0.1"})
    assert r.status_code == 202


def test_openapi_and_docs_need_nothing_from_outside(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/status"} <= set(spec["paths"])
    assert "Report" in spec["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text and "/static/docs.js" in docs.text
    assert "http://" not in docs.text and "https://" not in docs.text
    csp = docs.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/docs.js").status_code == 200
