"""The FastAPI application behind ``newsprism serve``.

``create_app`` wires the store, the background runner, the pages, the JSON API (OpenAPI
docs at ``/docs``, served from vendored Swagger UI: no request leaves the server's origin)
and the security middleware. Everything heavy stays in the library: pages render the report
with :mod:`newsprism.report.html`, jobs call the same ingest and pipeline as the CLI.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from newsprism import __version__
from newsprism.report.html import ASSETS_DIR, report_environment
from newsprism.web import api, pages, stream_routes
from newsprism.web.jobs import Analyzer, Runner, analyze_submission, default_workers
from newsprism.web.security import LOOPBACK_HOSTS, AllowedHosts, BodyLimit, SameOrigin, SecurityHeaders
from newsprism.web.state import AppState, state_of
from newsprism.web.store import Store, default_db_path
from newsprism.web.stream import ReportLinks, StoredAnalyzer, StreamAnalyzer, StreamView, default_stored_analyzer
from newsprism.web.submission import Limits

__all__ = ["AppState", "create_app", "state_of", "validation_problem"]

WEB_DIR = Path(__file__).parent

#: how long stopping the server waits for the analyses running
SHUTDOWN_GRACE_S = 30.0

DESCRIPTION = """\
Submit every outlet's article on one story (as text or URLs); newsprism compares them claim by
claim in the background. Poll `GET /api/stories/{id}/status`, then fetch the report with
`GET /api/stories/{id}`: the versioned contract `newsprism.report/1`.
"""


def validation_problem(error: Any) -> dict[str, Any]:
    """One request validation error as JSON-safe fields: ``loc``, ``msg``, ``type``.

    >>> validation_problem({"loc": ("query", "offset"), "msg": "too big", "type": "less_than", "input": float("inf")})
    {'loc': ['query', 'offset'], 'msg': 'too big', 'type': 'less_than'}
    """
    loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
    return {"loc": loc, "msg": str(error.get("msg", "")), "type": str(error.get("type", ""))}


def create_app(db: str | Path | None = None, *, analyzer: Analyzer | None = None, workers: int | None = None,
               allow_private_urls: bool = False, limits: Limits | None = None, resume: bool = True,
               embedder: str = "minilm-onnx", allowed_hosts: Iterable[str] | None = None,
               articles_store: str | Path | None = None, stored_analyzer: StoredAnalyzer | None = None) -> FastAPI:
    """The web app over the SQLite store at ``db`` (default: the user's data folder).

    ``analyzer`` replaces the analysis job (tests pass a fast fake); otherwise stories are analysed
    with the sentence model ``embedder``, at most ``limits.max_articles`` articles per story.
    ``workers`` analyses run at once (default: :func:`~newsprism.web.jobs.default_workers`), each
    within ``limits.job_timeout_s``. ``allowed_hosts`` are the ``Host`` names the app answers to
    (default: the loopback names; ``*`` for any). ``resume`` queues again the stories an earlier
    process left unfinished, when the app starts. ``articles_store``: the article store to list
    and analyse stories of (``/stream``, ``/api/stream``; read-only; see :mod:`newsprism.web.stream`),
    ``stored_analyzer`` replacing its analysis (tests).
    """
    limits = limits or Limits()
    store = Store(db if db is not None else default_db_path())
    if analyzer is None:
        analyzer = partial(analyze_submission, embedder=embedder, max_articles=limits.max_articles)
    stream = _stream(store, articles_store)  # None without a store; raises when the file is no article store
    if stream is not None:  # its report jobs go to analyze_stored_story, the others as before
        analyzer = StreamAnalyzer(analyzer, path=stream.view.path, links=stream.links,
                                  analyze=stored_analyzer or default_stored_analyzer(embedder),
                                  max_articles=limits.max_articles)
    runner = Runner(store, analyzer=analyzer, workers=workers if workers is not None else default_workers(),
                    allow_private_urls=allow_private_urls, job_timeout_s=limits.job_timeout_s)
    templates = report_environment(WEB_DIR / "templates")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if resume:
            runner.resume()
        yield
        runner.shutdown(wait=True, grace_s=SHUTDOWN_GRACE_S)  # a story still running then resumes next start
        if stream is not None:
            stream.view.close()
            stream.links.close()
        store.close()

    app = FastAPI(title="newsprism", version=__version__, description=DESCRIPTION, docs_url=None,
                  redoc_url=None, lifespan=lifespan)
    app.state.newsprism = AppState(store, runner, limits, templates, allow_private_urls)
    app.include_router(api.router)
    if stream is not None:
        app.state.newsprism_stream = stream
        templates.globals["stream_nav"] = True
        app.include_router(stream_routes.api_router)
        app.include_router(stream_routes.page_router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.mount("/assets", StaticFiles(directory=ASSETS_DIR), name="assets")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """422 with where and what, without echoing the input: FastAPI's own handler echoes it,
        and fails with a 500 when it cannot be written as JSON (a body of ``Infinity``)."""
        return JSONResponse({"detail": [validation_problem(e) for e in exc.errors()]}, status_code=422)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        html = templates.get_template("docs.html.j2").render(base=request.scope.get("root_path", ""))
        return HTMLResponse(html)  # under the same strict CSP as every page: Swagger UI needs no inline code

    app.add_middleware(SameOrigin)
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)
    app.add_middleware(AllowedHosts, hosts=tuple(allowed_hosts) if allowed_hosts is not None else LOOPBACK_HOSTS)
    app.add_middleware(SecurityHeaders)
    return app


def _stream(store: Store, articles_store: str | Path | None) -> stream_routes.StreamState | None:
    if articles_store is None:
        return None
    view = StreamView(articles_store)
    view.check()
    return stream_routes.StreamState(view, ReportLinks(store.path, articles_store), threading.Lock())
