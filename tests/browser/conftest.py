"""Browser tests: headless Debian Chromium driven by Playwright for Python.

They need ``playwright`` (pip) and a Chromium binary (``apt-get install chromium``; another
path can be given in ``NEWSPRISM_CHROMIUM``). Without either they are skipped with the reason;
``.ci/run`` installs both so CI runs them. Screenshots go to ``tests/artifacts/`` (git-ignored);
``NEWSPRISM_UPDATE_SCREENSHOT=1`` also rewrites ``docs/screenshot-report.png``.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("NEWSPRISM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test here ``browser``, and skip them all, with the reason, when a piece is missing."""
    here = Path(__file__).parent
    mine = [i for i in items if Path(str(i.fspath)).is_relative_to(here)]
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "browser tests need Playwright for Python: pip install playwright (no `playwright install`)"
    if reason is None and not os.access(CHROMIUM, os.X_OK):
        reason = f"browser tests need Chromium at {CHROMIUM}: apt-get install -y chromium (or set NEWSPRISM_CHROMIUM)"
    web_reason = None
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        web_reason = "the web app's browser tests need the [web] extra: pip install -e '.[web]'"
    for item in mine:
        item.add_marker(pytest.mark.browser)
        why = reason or (web_reason if "live_server" in getattr(item, "fixturenames", ()) else None)
        if why:
            item.add_marker(pytest.mark.skip(reason=why))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class PageLog:
    """What a page did: console errors (CSP violations show up there), page errors, requests."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.log = PageLog(pg)
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """The bundled demo story through the real pipeline, as (Report, path of report.html)."""
    from newsprism.cli import DEMO_STORY
    from newsprism.pipeline import analyze
    from newsprism.report.html import render_html

    run = analyze([DEMO_STORY / "articles"])
    assert run.report is not None
    out = tmp_path_factory.mktemp("demo") / "report.html"
    out.write_text(render_html(run.report), encoding="utf-8")
    return run.report, out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``newsprism serve`` on 127.0.0.1 (a free port) over a fresh store, with the real pipeline."""
    from newsprism.web.app import create_app

    with serving(create_app(tmp_path_factory.mktemp("serve") / "stories.sqlite3")) as url:
        yield url
