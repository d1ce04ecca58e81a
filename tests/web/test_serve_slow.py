"""`newsprism serve` on a real loopback socket: a bounded load test, and kill -9 mid-job then restart.

Both are slow (a real server; the kill test runs the real analysis), so they run in the slow gate only.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsprism.web.jobs import Outcome, Progress
from newsprism.web.submission import Limits, Submission

from .conftest import NEEDS_WEB, fast_analyzer

pytest.importorskip("fastapi", reason=NEEDS_WEB)
pytestmark = [pytest.mark.slow, pytest.mark.network]

TERMINAL = {"done", "failed"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _story(n: int) -> dict[str, Any]:
    return {"title": f"Bridge {n}", "articles": [
        {"outlet": "Marrow Ledger", "text": f"The Marrow Creek bridge {n} reopened on Friday after six weeks of "
                                            "repairs, the county said. Crews replaced two steel beams."},
        {"outlet": "Creek Post", "text": f"Bridge {n} over Marrow Creek opened again Friday. Repairs took six weeks "
                                         "and cost $1.2 million, officials said."}]}


def _slow_fast_analyzer(sub: Submission, progress: Progress, allow_private: bool) -> Outcome:
    """The fast analyzer, made to take a little time, so that stories overlap and queue."""
    for n in range(5):
        progress("parse", n, 5)
        time.sleep(0.02)
    return fast_analyzer(sub, progress, allow_private)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """The app (fast fake analyzer, default limits but a queue cap of 20) served by uvicorn on loopback."""
    import uvicorn

    from newsprism.web.app import create_app

    app = create_app(tmp_path / "s.db", analyzer=_slow_fast_analyzer, workers=2,
                     limits=replace(Limits(), max_queued=20, job_timeout_s=30))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           limit_concurrency=1000, backlog=2048))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    end = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < end, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)


def test_bounded_load_on_loopback(live_server: str) -> None:
    """200 concurrent page reads and 50 concurrent submissions: no 5xx, no connection error; every
    submission is accepted (202) or refused cleanly (429 with Retry-After), and every accepted one
    ends done."""

    async def run() -> tuple[list[int], list[httpx.Response]]:
        limits = httpx.Limits(max_connections=300, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=live_server, timeout=60, limits=limits) as client:
            pages = ["/", "/api/stories", "/docs", "/openapi.json", "/static/app.css"]
            reads = [client.get(pages[n % len(pages)]) for n in range(200)]
            posts = [client.post("/api/stories", json=_story(n)) for n in range(50)]
            results = await asyncio.gather(*reads, *posts)
            return [r.status_code for r in results[:200]], list(results[200:])

    read_codes, posts = asyncio.run(run())
    assert read_codes == [200] * 200
    codes = [r.status_code for r in posts]
    assert set(codes) <= {202, 429} and 202 in codes, codes
    for r in posts:
        if r.status_code == 429:
            assert int(r.headers["retry-after"]) > 0 and "queued or running" in r.json()["detail"]
    accepted = [r.json()["id"] for r in posts if r.status_code == 202]
    with httpx.Client(base_url=live_server, timeout=30) as client:
        end = time.monotonic() + 60
        pending = set(accepted)
        while pending:
            assert time.monotonic() < end, f"{len(pending)} stories never finished"
            for story_id in list(pending):
                status = client.get(f"/api/stories/{story_id}/status").json()
                if status["status"] in TERMINAL:
                    assert status["status"] == "done", status
                    pending.discard(story_id)
            time.sleep(0.1)
        # the queue drained: what was refused can be submitted now
        assert client.post("/api/stories", json=_story(99)).status_code == 202


def _serve(db: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "newsprism", "serve", "--db", str(db), "--port", str(port),
                                 "--workers", "1"], stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_up(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    end = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log.read_text(errors="replace")
        try:
            if httpx.get(f"{base}/api/stories", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < end, "newsprism serve did not start"
        time.sleep(0.2)


def test_kill_9_mid_job_loses_no_acknowledged_story(tmp_path: Path) -> None:
    """Stories acknowledged (202) before a kill -9 mid-analysis all end done (or failed with a
    reason) after a restart: none lost, none stuck in 'running'."""
    db, log, port = tmp_path / "s.db", tmp_path / "serve.log", _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _serve(db, port, log)
    try:
        _wait_up(base, proc, log)
        ids = []
        for n in range(3):
            r = httpx.post(f"{base}/api/stories", json=_story(n), timeout=10)
            assert r.status_code == 202
            ids.append(r.json()["id"])
        end = time.monotonic() + 60
        while httpx.get(f"{base}/api/stories/{ids[0]}/status", timeout=5).json()["status"] != "running":
            assert time.monotonic() < end, "the first story never started"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)

        proc = _serve(db, port, log)
        _wait_up(base, proc, log)
        end = time.monotonic() + 240
        statuses: dict[str, dict[str, Any]] = {}
        while len(statuses) < len(ids):
            assert time.monotonic() < end, f"not finished after restart: {set(ids) - set(statuses)}"
            for story_id in ids:
                r = httpx.get(f"{base}/api/stories/{story_id}/status", timeout=5)
                assert r.status_code == 200, f"story {story_id} was lost"
                if r.json()["status"] in TERMINAL:
                    statuses[story_id] = r.json()
            time.sleep(0.5)
        for status in statuses.values():
            assert status["status"] == "done" or status["message"], status
        assert all(s["status"] == "done" for s in statuses.values()), statuses
        report = httpx.get(f"{base}/api/stories/{ids[0]}", timeout=10)
        assert report.status_code == 200 and report.json()["schema"].startswith("newsprism.report/")
        # the real server answers only to loopback names (DNS rebinding)
        assert httpx.get(f"{base}/api/stories", headers={"Host": "rebind.example"}, timeout=5).status_code == 400
        assert httpx.get(f"http://localhost:{port}/api/stories", timeout=5).status_code == 200
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_two_real_analyses_at_once(tmp_path: Path) -> None:
    """More than one worker runs the real pipeline concurrently (models loaded once, shared)."""
    from newsprism.web.jobs import Runner, analyze_submission
    from newsprism.web.store import Store
    from newsprism.web.submission import PastedArticle

    store = Store(tmp_path / "s.db")
    runner = Runner(store, analyzer=analyze_submission, workers=2, job_timeout_s=300)
    ids = []
    for n in range(3):
        story = _story(n)
        sub = Submission(title=story["title"], texts=tuple(PastedArticle(a["text"], a["outlet"])
                                                           for a in story["articles"]))
        ids.append(store.create(sub).id)
        runner.submit(ids[-1])
    for story_id in ids:
        runner.wait(story_id, timeout=300)
    records = [store.get(i) for i in ids]
    assert [r.status if r else None for r in records] == ["done"] * 3, [r.message if r else None for r in records]
    runner.shutdown()
    store.close()
