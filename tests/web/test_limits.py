"""The web app is bounded: articles per story, queue cap (429), job time limit, cancel, more than one
worker, a Host allow-list against DNS rebinding, and the right 4xx for every refusal."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.web.jobs import JobStopped, Outcome, Progress, Runner, default_workers, ingest_submission
from newsprism.web.netguard import GuardedTransport
from newsprism.web.store import Store
from newsprism.web.submission import Limits, PastedArticle, Submission, Upload

from .conftest import BASE_URL, LIMITS, NEEDS_WEB, fast_analyzer

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

pytest.importorskip("fastapi", reason=NEEDS_WEB)


def _story(title: str) -> dict[str, Any]:
    return {"title": title, "articles": [
        {"outlet": "Marrow Ledger", "text": "The Marrow Creek bridge reopened on Friday after six weeks of repairs."},
        {"outlet": "Creek Post", "text": "The bridge over Marrow Creek opened again Friday. Repairs took six weeks."}]}


class Switch:
    """An analyzer: stories titled 'slow…' block until ``release`` is set (calling progress only
    when ``cooperative``); others run the fast analyzer at once."""

    def __init__(self, *, cooperative: bool = True) -> None:
        self.cooperative = cooperative
        self.release = threading.Event()
        self.entered = threading.Semaphore(0)
        self.stopped: list[str] = []

    def __call__(self, sub: Submission, progress: Progress, allow_private: bool) -> Outcome:
        if (sub.title or "").startswith("slow"):
            progress("parse", 0, 1)
            self.entered.release()
            try:
                while not self.release.wait(0.02):
                    if self.cooperative:
                        progress("parse", 0, 1)
            except JobStopped:
                self.stopped.append(sub.title or "")
                raise
        return fast_analyzer(sub, progress, allow_private)


def _client(db: Path, analyzer: Any, limits: Limits = LIMITS, **kw: Any) -> TestClient:
    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app

    return TestClient(create_app(db, analyzer=analyzer, limits=limits, **kw), base_url=BASE_URL)


def _until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out waiting"
        time.sleep(0.02)


def _status(client: TestClient, story_id: str) -> dict[str, Any]:
    r = client.get(f"/api/stories/{story_id}/status")
    assert r.status_code == 200
    data: dict[str, Any] = r.json()
    return data


@pytest.fixture
def switch() -> Iterator[Switch]:
    s = Switch()
    yield s
    s.release.set()


# -- articles per story, counted after expansion ---------------------------------------------------

def _jsonl(n: int) -> bytes:
    return "\n".join(json.dumps({"outlet": f"Outlet {i}", "text": f"Story number {i} says the dam held on day {i}."})
                     for i in range(n)).encode()


def _feed(n: int) -> bytes:
    items = "".join(f"<item><title>Dam {i}</title><description>The dam held on day {i}, the county said in a "
                    "long statement to reporters.</description></item>"  # no links: nothing to fetch
                    for i in range(n))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()


def _json_array(n: int) -> bytes:
    return json.dumps([{"outlet": f"Outlet {i}", "text": f"The dam held on day {i}."} for i in range(n)]).encode()


def test_a_jsonl_file_over_the_article_limit_is_refused_at_once(db: Path) -> None:
    """A .jsonl upload's lines and pasted articles are counted before anything is stored: 413."""
    limits = replace(LIMITS, max_articles=5, max_file_bytes=1_000_000)
    with _client(db, fast_analyzer, limits) as client:
        r = client.post("/stories", files={"files": ("wire.jsonl", _jsonl(3000))}, follow_redirects=False)
        assert r.status_code == 413 and "3,000 articles" in r.text and "limit of 5 per story" in r.text
        six = {"articles": [{"text": f"The dam held on day {n}."} for n in range(6)]}
        r = client.post("/api/stories", json=six)
        assert r.status_code == 413 and "--max-articles" in r.json()["detail"]
        assert client.get("/api/stories").json() == []
        ok = client.post("/stories", files={"files": ("wire.jsonl", _jsonl(5) + b"\n\n")}, follow_redirects=False)
        assert ok.status_code == 303


@pytest.mark.parametrize(("name", "data", "count"), [("many.json", _json_array(300), 300),
                                                     ("feed.xml", _feed(30), 30)])
def test_one_file_with_many_articles_fails_with_the_count_and_the_limit(db: Path, name: str, data: bytes,
                                                                         count: int) -> None:
    """The real job (no fake analyzer): it stops after ingest, before loading any model."""
    with _client(db, None, replace(LIMITS, max_articles=20)) as client:
        r = client.post("/stories", files={"files": (name, data)}, follow_redirects=False)
        assert r.status_code == 303
        story_id = r.headers["location"].rsplit("/", 1)[1]
        client.app.state.newsprism.runner.wait(story_id, timeout=30)  # type: ignore[attr-defined]
        status = _status(client, story_id)
    assert status["status"] == "failed" and status["inputs"] == 1
    assert f"{count:,} articles" in status["message"] and "limit of 20" in status["message"]
    assert "--max-articles" in status["message"]


def test_articles_within_the_limit_are_not_refused() -> None:
    from newsprism.web.jobs import check_article_count

    check_article_count(20, 20)
    check_article_count(5, None)


# -- the queue cap ---------------------------------------------------------------------------------

def test_a_full_queue_answers_429_with_retry_after(db: Path, switch: Switch) -> None:
    with _client(db, switch, replace(LIMITS, max_queued=2), workers=1) as client:
        first = client.post("/api/stories", json=_story("slow one"))
        second = client.post("/api/stories", json=_story("quick two"))
        assert (first.status_code, second.status_code) == (202, 202)
        refused = client.post("/api/stories", json=_story("three"))
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert "already queued or running" in refused.json()["detail"] and "--max-queue" in refused.json()["detail"]
        page = client.post("/stories", data={"text": "The dam held on Friday."}, follow_redirects=False)
        assert page.status_code == 429 and "already queued or running" in page.text
        assert len(client.get("/api/stories").json()) == 2  # nothing stored for the refused ones
        switch.release.set()
        client.app.state.newsprism.runner.wait(second.json()["id"], timeout=10)  # type: ignore[attr-defined]
        assert client.post("/api/stories", json=_story("four")).status_code == 202


def test_the_queue_cap_holds_under_concurrent_submissions(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    from newsprism.web.store import QueueFull

    made, refused = [], []

    def submit() -> None:
        try:
            made.append(store.create(Submission(urls=("https://news.example/a",)), max_unfinished=5))
        except QueueFull:
            refused.append(1)

    threads = [threading.Thread(target=submit) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (len(made), len(refused), store.count_unfinished()) == (5, 35, 5)
    store.close()


# -- cancel ----------------------------------------------------------------------------------------

def test_cancel_a_running_story_frees_its_worker(db: Path, switch: Switch) -> None:
    with _client(db, switch, workers=1) as client:
        slow = client.post("/api/stories", json=_story("slow story")).json()["id"]
        assert switch.entered.acquire(timeout=5)
        quick = client.post("/api/stories", json=_story("quick story")).json()["id"]
        r = client.post(f"/api/stories/{slow}/cancel")
        assert r.status_code == 200 and r.json()["status"] == "failed" and "cancelled" in r.json()["message"]
        client.app.state.newsprism.runner.wait(quick, timeout=10)  # type: ignore[attr-defined]
        assert _status(client, quick)["status"] == "done"
        _until(lambda: switch.stopped == ["slow story"])  # the cancelled job's thread stopped at its next step
        assert _status(client, slow)["status"] == "failed"  # and did not overwrite the outcome
        assert client.get(f"/api/stories/{slow}").status_code == 422
        assert client.post(f"/api/stories/{slow}/cancel").status_code == 409
        assert client.post(f"/api/stories/{quick}/cancel").status_code == 409
        assert client.post("/api/stories/nope/cancel").status_code == 404


def test_cancel_a_queued_story_means_it_never_runs(db: Path, switch: Switch) -> None:
    seen: list[str] = []

    def analyzer(sub: Submission, progress: Progress, allow_private: bool) -> Outcome:
        seen.append(sub.title or "")
        return switch(sub, progress, allow_private)

    with _client(db, analyzer, workers=1) as client:
        slow = client.post("/api/stories", json=_story("slow first")).json()["id"]
        assert switch.entered.acquire(timeout=5)
        queued = client.post("/api/stories", json=_story("queued second")).json()["id"]
        assert client.post(f"/api/stories/{queued}/cancel").json()["status"] == "failed"
        switch.release.set()
        client.app.state.newsprism.runner.wait(slow, timeout=10)  # type: ignore[attr-defined]
        time.sleep(0.1)
        assert _status(client, slow)["status"] == "done" and _status(client, queued)["status"] == "failed"
    assert seen == ["slow first"]


def test_the_story_page_cancel_button(db: Path, switch: Switch) -> None:
    with _client(db, switch, workers=1) as client:
        slow = client.post("/api/stories", json=_story("slow page")).json()["id"]
        assert switch.entered.acquire(timeout=5)
        assert f'action="/stories/{slow}/cancel"' in client.get(f"/stories/{slow}").text
        r = client.post(f"/stories/{slow}/cancel", headers={"Origin": BASE_URL}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/stories/{slow}"
        page = client.get(f"/stories/{slow}").text
        assert "cancelled" in page and "Cancel this analysis" not in page
        assert client.post("/stories/nope/cancel").status_code == 404
        assert client.post(f"/stories/{slow}/cancel", headers={"Origin": "http://evil.example"}).status_code == 403


def test_deleting_a_running_story_cancels_it(db: Path, switch: Switch) -> None:
    with _client(db, switch, workers=1) as client:
        slow = client.post("/api/stories", json=_story("slow deleted")).json()["id"]
        assert switch.entered.acquire(timeout=5)
        assert client.delete(f"/api/stories/{slow}").status_code == 204
        _until(lambda: switch.stopped == ["slow deleted"])
        assert client.get(f"/api/stories/{slow}/status").status_code == 404  # not brought back by its job


# -- the job time limit ----------------------------------------------------------------------------

@pytest.mark.parametrize("cooperative", [True, False])
def test_a_job_past_its_time_limit_fails_and_the_queue_moves_on(db: Path, cooperative: bool) -> None:
    """Cooperative or stuck (never reporting progress), the story fails at its deadline with the
    reason, and the next story runs on a fresh worker without waiting for it."""
    switch = Switch(cooperative=cooperative)
    try:
        with _client(db, switch, replace(LIMITS, job_timeout_s=0.3), workers=1) as client:
            slow = client.post("/api/stories", json=_story("slow forever")).json()["id"]
            quick = client.post("/api/stories", json=_story("quick after")).json()["id"]
            started = time.monotonic()
            client.app.state.newsprism.runner.wait(slow, timeout=5)  # type: ignore[attr-defined]
            assert time.monotonic() - started < 3
            status = _status(client, slow)
            assert status["status"] == "failed" and "time limit of 0.3 s" in status["message"]
            assert "--job-timeout" in status["message"]
            client.app.state.newsprism.runner.wait(quick, timeout=5)  # type: ignore[attr-defined]
            assert _status(client, quick)["status"] == "done"
            if cooperative:
                _until(lambda: switch.stopped == ["slow forever"])
    finally:
        switch.release.set()


def test_a_story_that_keeps_killing_the_server_is_not_retried_forever(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    rec = store.create(Submission(texts=(PastedArticle("The dam held."),)))
    for _ in range(3):  # started three times, and each time the process died with it
        store.start(rec.id)
    ran: list[str] = []
    runner = Runner(store, analyzer=lambda s, p, a: ran.append("x") or Outcome(None, ()), workers=1)
    assert runner.resume() == 1
    runner.wait(rec.id, timeout=5)
    got = store.get(rec.id)
    assert got is not None and got.status == "failed" and "stopped 3 times" in got.message and ran == []
    runner.shutdown()
    store.close()


# -- more than one worker --------------------------------------------------------------------------

def test_two_workers_run_two_stories_at_once(db: Path, switch: Switch) -> None:
    with _client(db, switch, workers=2) as client:
        ids = [client.post("/api/stories", json=_story(f"slow {n}")).json()["id"] for n in (1, 2)]
        assert switch.entered.acquire(timeout=5) and switch.entered.acquire(timeout=5)
        assert [_status(client, i)["status"] for i in ids] == ["running", "running"]
        switch.release.set()
        for i in ids:
            client.app.state.newsprism.runner.wait(i, timeout=10)  # type: ignore[attr-defined]


def test_default_workers_uses_the_machine() -> None:
    import os

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    assert default_workers() == max(1, min(4, cpus // 2))


def test_the_app_defaults_to_default_workers(db: Path) -> None:
    from newsprism.web.app import create_app

    assert create_app(db, resume=False).state.newsprism.runner.workers == default_workers()


# -- the Host allow-list (DNS rebinding) -----------------------------------------------------------

@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost", "LOCALHOST:8000", "[::1]:8000",
                                  "[::1]"])
def test_loopback_hosts_are_answered(db: Path, host: str) -> None:
    with _client(db, fast_analyzer) as client:
        assert client.get("/api/stories", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil",
                                  "[::1].evil", "0.0.0.0:8000", "", "[::1"])
def test_a_rebinding_host_is_refused_everywhere(db: Path, host: str) -> None:
    """A hostile page whose name now resolves to 127.0.0.1: same-origin for the browser (so no
    cross-site headers), but its Host is its own name."""
    with _client(db, fast_analyzer) as client:
        headers = {"Host": host, "Origin": f"http://{host}"}
        for method, path in [("GET", "/"), ("GET", "/api/stories"), ("GET", "/docs"), ("GET", "/openapi.json"),
                             ("GET", "/static/app.css"), ("DELETE", "/api/stories/x"),
                             ("POST", "/api/stories/x/cancel")]:
            r = client.request(method, path, headers=headers)
            assert r.status_code == 400, (method, path)
            assert "DNS rebinding" in r.text and "--allowed-host" in r.text
        r = client.post("/api/stories", json=_story("rebound"), headers=headers)
        assert r.status_code == 400
        assert client.get("/api/stories").json() == []  # nothing was stored


def test_a_proxy_name_can_be_allowed(db: Path) -> None:
    with _client(db, fast_analyzer, allowed_hosts=["news.example.org", ".corp.example"]) as client:
        assert client.get("/", headers={"Host": "news.example.org"}).status_code == 200
        assert client.get("/", headers={"Host": "tools.corp.example:443"}).status_code == 200
        assert client.get("/", headers={"Host": "corp.example.evil"}).status_code == 400
        assert client.get("/", headers={"Host": "127.0.0.1"}).status_code == 400  # the list replaces the default
    with _client(db, fast_analyzer, allowed_hosts=["*"]) as client:
        assert client.get("/", headers={"Host": "anything.example"}).status_code == 200


# -- 4xx, never 5xx --------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["offset=99999999999999999999999", "offset=-1", "limit=0", "limit=501",
                                   "limit=abc", "offset=1e9999", "limit=99999999999999999999"])
def test_paging_out_of_range_is_422(client: TestClient, query: str) -> None:
    r = client.get(f"/api/stories?{query}")
    assert r.status_code == 422


def test_paging_in_range(client: TestClient) -> None:
    assert client.get("/api/stories?offset=1000000000&limit=500").json() == []


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b" " * min(size, total - sent)
        sent += size


def test_an_over_limit_chunked_json_body_is_413(client: TestClient) -> None:
    body = json.dumps(_story("big")).encode()

    def stream() -> Iterator[bytes]:  # no Content-Length: chunked
        yield body[:-1]
        yield from _chunks(LIMITS.max_body_bytes + 1)
        yield b"}"

    r = client.post("/api/stories", content=stream(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "limit" in r.text
    assert client.get("/api/stories").json() == []


def test_an_over_limit_chunked_form_is_413(client: TestClient) -> None:
    boundary = "np-boundary"

    def stream() -> Iterator[bytes]:
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n"
               "Content-Type: text/plain\r\n\r\n").encode()
        yield from _chunks(LIMITS.max_body_bytes + 1)
        yield f"\r\n--{boundary}--\r\n".encode()

    r = client.post("/stories", content=stream(), headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413 and "limit" in r.text


def test_a_declared_over_limit_body_is_413(client: TestClient) -> None:
    r = client.post("/api/stories", content=b"{}", headers={"content-type": "application/json",
                                                            "content-length": str(LIMITS.max_body_bytes + 1)})
    assert r.status_code == 413


@pytest.mark.parametrize(("body", "code"), [
    (b"{", 422), (b"[]", 422), (b'{"articles": "x"}', 422), (b'{"articles": [{"text": ""}]}', 422),
    (b'{"articles": [{"text": "x", "bogus": 1}]}', 422), (b'{"urls": [1, 2]}', 422),
    (b'{"articles": []}', 422), (b'{"title": "' + b"t" * 600 + b'"}', 422),
    (b"Infinity", 422), (b"NaN", 422), (b'{"title": -Infinity}', 422), (b'{"articles": [NaN]}', 422),
    (b"\xff\xfe", 422), (b'{"a": ' * 5000 + b"1" + b"}" * 5000, 400),  # too deep to parse: a bad request
])
def test_malformed_submissions_are_4xx(client: TestClient, body: bytes, code: int) -> None:
    r = client.post("/api/stories", content=body, headers={"content-type": "application/json"})
    assert r.status_code == code
    detail = r.json()["detail"] if code == 422 else None
    if isinstance(detail, list):  # a validation error: where and what, the input not echoed
        assert all(set(e) == {"loc", "msg", "type"} for e in detail)


@pytest.mark.parametrize(("method", "path", "code"), [
    ("GET", "/api/stories/nope", 404), ("GET", "/api/stories/nope/status", 404), ("DELETE", "/api/stories/nope", 404),
    ("PUT", "/api/stories", 405), ("GET", "/stories/nope", 404), ("GET", "/stories/nope/report.html", 404),
    ("GET", "/stories/nope/report.json", 404), ("GET", "/stories/nope/report.md", 404), ("GET", "/nowhere", 404),
    ("POST", "/api/stories/nope/cancel", 404),
])
def test_unknown_things_are_4xx(client: TestClient, method: str, path: str, code: int) -> None:
    assert client.request(method, path).status_code == code


# -- a redirect to a private address is 'blocked', on the input the user gave ----------------------

def test_a_blocked_redirect_is_reported_on_the_submitted_url() -> None:
    def site(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/"})

    url = "https://news.example/story"
    def resolve(host: str, port: int) -> list[str]:
        return [host] if ":" in host else ["93.184.215.14"]

    guard = GuardedTransport(resolve=resolve, inner=httpx.MockTransport(site))
    result = ingest_submission(Submission(urls=(url,), files=(Upload("a.txt", b"The dam held on Friday."),)),
                               transport=guard, resolve=resolve)
    (error,) = result.errors
    assert (error.source, error.code) == (url, "blocked")
    assert "64:ff9b::a9fe:a9fe" in error.problem and "--allow-private-urls" in error.fix
    from newsprism.pipeline import inputs_out

    codes = {i.source: (i.status, i.code) for i in inputs_out(result)}
    assert codes[url] == ("failed", "blocked") and len(result.articles) == 1


def test_ingest_reports_progress_after_each_input_so_a_stopped_job_ends_there() -> None:
    seen: list[tuple[int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        seen.append((done, total))
        if done == 2:
            raise JobStopped("cancelled by request")

    sub = Submission(texts=tuple(PastedArticle(f"The dam held on day {n}.") for n in range(3)),
                     files=(Upload("a.txt", b"The dam held."),), urls=("https://news.example/a",))
    with pytest.raises(JobStopped):
        ingest_submission(sub, progress=progress, resolve=lambda h, p: ["93.184.215.14"],
                          transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    assert seen == [(1, 5), (2, 5)]


def test_stuck_threads_are_bounded(tmp_path: Path) -> None:
    """Stories that never reach a progress step: each fails at its deadline; at most
    ``max_stuck`` stuck threads get a replacement, so threads cannot pile up."""
    release = threading.Event()

    def stuck(sub: Submission, progress: Progress, allow_private: bool) -> Outcome:
        release.wait(20)
        return Outcome(None, ())

    store = Store(tmp_path / "s.db")
    runner = Runner(store, analyzer=stuck, workers=1, job_timeout_s=0.1)
    try:
        ids = [store.create(Submission(texts=(PastedArticle(f"Story {n}."),))).id for n in range(5)]
        for story_id in ids[:3]:
            runner.submit(story_id)
        for story_id in ids[:3]:
            runner.wait(story_id, timeout=5)
        assert [r.status for r in map(store.get, ids[:3]) if r] == ["failed"] * 3
        assert len(runner._abandoned) == runner.max_stuck == 2
        assert sum(t.is_alive() for t in runner._threads) == 3  # two stuck, one still working: no more
        release.set()  # the stuck ones end; the queue goes on
        for story_id in ids[3:]:
            runner.submit(story_id)
            runner.wait(story_id, timeout=5)
    finally:
        release.set()
        runner.shutdown()
        store.close()


# -- a fuzz of the API: whatever arrives, the answer is a 2xx or a 4xx -----------------------------

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                         st.sampled_from(["title", "articles", "urls", "text", "outlet", "url", "published", "x"]),
                         inner, max_size=4), max_leaves=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_json, query=st.text(max_size=40), path=st.text(max_size=30))
def test_the_api_answers_any_request_with_2xx_or_4xx(client: TestClient, body: Any, query: str, path: str) -> None:
    from urllib.parse import quote

    path = quote(path, safe="")
    r = client.post("/api/stories", content=json.dumps(body).encode(),  # NaN and Infinity included
                    headers={"content-type": "application/json"})
    assert r.status_code in (202, 413, 422, 429), (body, r.text)
    assert client.get("/api/stories", params={"offset": query, "limit": query}).status_code in (200, 422)
    for method, url in [("GET", f"/api/stories/{path}"), ("GET", f"/api/stories/{path}/status"),
                        ("POST", f"/api/stories/{path}/cancel"), ("GET", f"/stories/{path}"),
                        ("GET", f"/stories/{path}/report.md"), ("DELETE", f"/api/stories/{path}")]:
        assert client.request(method, url).status_code < 500, (method, url)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.lists(st.tuples(st.sampled_from(["text", "outlet", "headline", "urls", "title", "x"]),
                                 st.text(max_size=60)), max_size=6),
       files=st.lists(st.tuples(st.text(min_size=1, max_size=20), st.binary(max_size=200)), max_size=3),
       raw=st.binary(max_size=300))
def test_the_form_answers_anything_with_a_redirect_or_a_4xx(client: TestClient, fields: list[tuple[str, str]],
                                                            files: list[tuple[str, bytes]], raw: bytes) -> None:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    r = client.post("/stories", data=data, files=[("files", (name, body)) for name, body in files] or None,
                    follow_redirects=False)
    assert r.status_code in (303, 400, 413, 429), r.text[:300]
    for content_type in ("multipart/form-data; boundary=x", "multipart/form-data", "application/x-www-form-urlencoded"):
        r = client.post("/stories", content=raw, headers={"content-type": content_type}, follow_redirects=False)
        assert r.status_code in (303, 400, 413, 429), (content_type, r.text[:300])


def test_shutdown_waits_for_a_running_story_only_so_long_then_it_resumes(tmp_path: Path) -> None:
    release = threading.Event()

    def stuck(sub: Submission, progress: Progress, allow_private: bool) -> Outcome:
        progress("parse", 0, 1)
        release.wait(20)
        return Outcome(None, ())

    store = Store(tmp_path / "s.db")
    rec = store.create(Submission(texts=(PastedArticle("The dam held on Friday."),), title="T"))
    runner = Runner(store, analyzer=stuck, workers=1)
    runner.submit(rec.id)
    _until(lambda: (r := store.get(rec.id)) is not None and r.status == "running")
    started = time.monotonic()
    runner.shutdown(wait=True, grace_s=0.3)
    assert time.monotonic() - started < 3
    got = store.get(rec.id)
    assert got is not None and got.status == "running"  # not marked done or failed: it runs again next start
    store.close()
    release.set()

    store = Store(tmp_path / "s.db")
    again = Runner(store, analyzer=fast_analyzer, workers=1)
    assert again.resume() == 1
    again.wait(rec.id, timeout=10)
    got = store.get(rec.id)
    assert got is not None and got.status == "done"
    again.shutdown()
    store.close()
