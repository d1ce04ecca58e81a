"""The pages and JSON API over the article store (``newsprism serve --articles-store``).

Pages: ``/stream`` (the stories as they form; the table refreshes itself), ``/stream/{id}`` (a
story's articles, duplicates and edits, and its latest report, with a *Refresh report* button
when the story changed since). JSON: ``GET /api/stream/stories``, ``GET /api/stream/stories/{id}``,
``POST /api/stream/stories/{id}/refresh``. Everything reads the store; the only write is a report
job in the web app's own queue (same limits, same ``SameOrigin`` rule for the form).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from newsprism.report.schema import Report
from newsprism.web.api import RETRY_AFTER_S
from newsprism.web.models import STAGE_LABELS, StoryStatus
from newsprism.web.state import AppState, state_of
from newsprism.web.store import QueueFull, StoryRecord
from newsprism.web.stream import (
    ArticleRow,
    ReportLinks,
    ReportState,
    StreamStory,
    StreamUnavailableError,
    StreamView,
    report_state,
    when,
)
from newsprism.web.submission import Submission

__all__ = ["StreamState", "api_router", "page_router", "stream_state"]

page_router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/stream", tags=["article store"])

#: how often the pages ask for fresh rows (ms)
POLL_MS = 5000


@dataclass
class StreamState:
    """The article store's view and the report links (on ``app.state.newsprism_stream``)."""

    view: StreamView
    links: ReportLinks
    lock: threading.Lock  # one refresh decision at a time: never two jobs for one story


def stream_state(request: Request) -> StreamState:
    st: StreamState | None = getattr(request.app.state, "newsprism_stream", None)
    if st is None:  # pragma: no cover - the routers are only included with a store
        raise HTTPException(404, "this server has no article store (start it with --articles-store PATH)")
    return st


def _base(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


def _status_of(state: AppState) -> Any:
    def status(job_id: str) -> str | None:
        rec = state.store.get(job_id)
        return None if rec is None else rec.status
    return status


def _states(request: Request, stories: list[StreamStory]) -> dict[str, ReportState]:
    st, state = stream_state(request), state_of(request)
    jobs = st.links.latest([s.id for s in stories])
    status = _status_of(state)
    return {s.id: report_state(jobs.get(s.id, []), s.signature, status) for s in stories}


def _list(request: Request, limit: int, offset: int) -> tuple[int, list[StreamStory], dict[str, ReportState]]:
    try:
        total, stories = stream_state(request).view.stories(limit, offset)
    except StreamUnavailableError as e:
        raise HTTPException(503, str(e)) from None
    return total, stories, _states(request, stories)


def _detail(request: Request, story_id: str) -> tuple[StreamStory, list[ArticleRow], ReportState]:
    st = stream_state(request)
    try:
        found = st.view.story(story_id)
    except StreamUnavailableError as e:
        raise HTTPException(503, str(e)) from None
    if found is None:
        raise HTTPException(404, f"no story {story_id!r} in the article store")
    story, articles = found
    return story, articles, _states(request, [story])[story.id]


def refresh(request: Request, story_id: str) -> tuple[StoryRecord | None, Literal["queued", "busy", "fresh"]]:
    """Queue a new report of the story unless one is being made or the last one is up to date.
    HTTPException 404 (no such story) or 429 (the queue is full)."""
    st, state = stream_state(request), state_of(request)
    with st.lock:
        story, _, rs = _detail(request, story_id)
        if rs.busy:
            return state.store.get(rs.job_id or ""), "busy"
        if rs.report_job is not None and not rs.report_stale:
            return state.store.get(rs.report_job), "fresh"
        title = story.title or story.id
        try:
            rec = state.store.create(Submission(title=title, stored_story=story.id),
                                     max_unfinished=state.limits.max_queued)
        except QueueFull as e:
            raise HTTPException(429, str(e), headers={"Retry-After": str(RETRY_AFTER_S)}) from e
        st.links.add(rec.id, story.id, story.signature)
    state.runner.submit(rec.id)
    return rec, "queued"


# --- pages ------------------------------------------------------------------------------------


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = state_of(request)
    html = state.templates.get_template(template).render(
        base=_base(request), limits=state.limits, stage_labels=STAGE_LABELS, when=when, poll_ms=POLL_MS,
        store_path=str(stream_state(request).view.path), **context)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def _missing(request: Request, story_id: str) -> HTMLResponse:
    return _page(request, "stream_missing.html.j2", status=404, story_id=story_id)


def _rows_context(request: Request) -> dict[str, Any]:
    total, stories, states = _list(request, 200, 0)
    return {"total": total, "stories": stories, "states": states, "exists": stream_state(request).view.exists()}


@page_router.get("/stream", response_class=HTMLResponse)
def stream_page(request: Request) -> HTMLResponse:
    """The stories of the article store, most recently changed first (refreshes itself)."""
    return _page(request, "stream.html.j2", **_rows_context(request))


@page_router.get("/stream/rows", response_class=HTMLResponse)
def stream_rows(request: Request) -> HTMLResponse:
    """The listing's body alone: what the page polls."""
    return _page(request, "stream_rows.html.j2", **_rows_context(request))


def _story_context(request: Request, story_id: str) -> dict[str, Any] | None:
    try:
        story, articles, rs = _detail(request, story_id)
    except HTTPException as e:
        if e.status_code == 404:
            return None
        raise
    state = state_of(request)
    job = state.store.get(rs.job_id) if rs.job_id else None
    return {"story": story, "articles": articles, "rs": rs, "job": job}


@page_router.get("/stream/{story_id}", response_class=HTMLResponse)
def stream_story(request: Request, story_id: str, refresh: str | None = None) -> HTMLResponse:
    """A story: its report (the latest made), its articles, duplicates and edits."""
    context = _story_context(request, story_id)
    if context is None:
        return _missing(request, story_id)
    rs: ReportState = context["rs"]
    body, report, context["timings"] = None, None, ""
    if rs.report_job is not None:
        raw = state_of(request).store.report_json(rs.report_job)
        if raw:
            from newsprism.pipeline import format_timings
            from newsprism.report.html import render_report_body

            report = Report.model_validate_json(raw)
            body = render_report_body(report)
            context["timings"] = format_timings(report.timings)
    notice = {"fresh": "The report is up to date: the story has not changed since it was made.",
              "busy": "A report of this story is being made already."}.get(refresh or "")
    return _page(request, "stream_story.html.j2", body=body, notice=notice, error=None, **context)


@page_router.get("/stream/{story_id}/live", response_class=HTMLResponse)
def stream_story_live(request: Request, story_id: str) -> HTMLResponse:
    """The story page's live part (its articles and the report's state): what the page polls."""
    context = _story_context(request, story_id)
    if context is None:
        return _missing(request, story_id)
    return _page(request, "stream_story_live.html.j2", **context)


@page_router.post("/stream/{story_id}/refresh", response_model=None)
def stream_refresh(request: Request, story_id: str) -> Response:
    """The *Refresh report* button: queue a new report when the story changed, back to its page."""
    try:
        _, what = refresh(request, story_id)
    except HTTPException as e:
        if e.status_code == 404:
            return _missing(request, story_id)
        if e.status_code == 429:
            context = _story_context(request, story_id) or {}
            page = _page(request, "stream_story.html.j2", status=429, body=None, notice=None, timings="",
                         error=str(e.detail), **context)
            page.headers["Retry-After"] = str(RETRY_AFTER_S)
            return page
        raise
    suffix = "" if what == "queued" else f"?refresh={what}"
    return RedirectResponse(f"{_base(request)}/stream/{story_id}{suffix}", status_code=303)


# --- JSON -------------------------------------------------------------------------------------


class ReportStateOut(BaseModel):
    """The story's report in the web app."""

    job: StoryStatus | None = Field(description="the latest report job (its status and links), if any")
    stale: bool = Field(description="the story has other articles or versions than the latest job analysed")
    report: str | None = Field(description="where the latest finished report is (newsprism.report/1)")
    report_stale: bool = Field(description="that report predates the story's current articles or versions")


class StreamStoryOut(BaseModel):
    """A story of the article store."""

    id: str
    title: str | None
    articles: int
    outlets: int
    first_seen: str
    last_seen: str
    updated: str = Field(description="when an article last joined the story or was edited")
    edited: int = Field(description="articles with more than one version")
    signature: str = Field(description="a hash of the story's articles and their versions")
    page: str
    report: ReportStateOut


class VersionOut(BaseModel):
    """One version of an article; from version 2 on, its word diff with the one before."""

    version: int
    seen: str
    title: str | None
    words: int
    removed: int = Field(0, description="words removed since the version before")
    added: int = Field(0, description="words added since the version before")
    changes: list[str] = Field(default_factory=list, description="the first changes, in git's word-diff style "
                                                                 "([-removed-] {+added+})")


class ArticleOut(BaseModel):
    """One article of the story: duplicates are kept and linked to the first copy."""

    id: str
    outlet: str
    title: str | None
    url: str | None
    published: str | None
    first_seen: str
    last_seen: str
    version: int
    duplicate_of: str | None
    duplicate_kind: str | None
    similarity: float | None
    versions: list[VersionOut]


class StreamStoryDetailOut(StreamStoryOut):
    """A story of the article store with its articles."""

    article_list: list[ArticleOut] = Field(description="its articles, first seen first")


class StreamStoriesOut(BaseModel):
    total: int = Field(description="stories in the store")
    stories: list[StreamStoryOut]


def _out(request: Request, s: StreamStory, rs: ReportState) -> StreamStoryOut:
    state, base = state_of(request), _base(request)
    job = state.store.get(rs.job_id) if rs.job_id else None
    return StreamStoryOut(
        id=s.id, title=s.title, articles=s.articles, outlets=s.outlets, first_seen=s.first_seen,
        last_seen=s.last_seen, updated=s.updated, edited=s.edited, signature=s.signature,
        page=f"{base}/stream/{s.id}",
        report=ReportStateOut(job=StoryStatus.of(job, base) if job else None, stale=rs.stale,
                              report=f"{base}/api/stories/{rs.report_job}" if rs.report_job else None,
                              report_stale=rs.report_stale))


@api_router.get("/stories", response_model=StreamStoriesOut, summary="The article store's stories")
def api_stories(request: Request, limit: int = Query(100, ge=1, le=500, description="stories per page"),
                offset: int = Query(0, ge=0, le=1_000_000_000, description="stories to skip")) -> StreamStoriesOut:
    """The stories ``newsprism ingest`` / ``watch`` formed so far, most recently changed first,
    each with the state of its report. Read afresh on every request."""
    total, stories, states = _list(request, limit, offset)
    return StreamStoriesOut(total=total, stories=[_out(request, s, states[s.id]) for s in stories])


@api_router.get("/stories/{story_id}", response_model=StreamStoryDetailOut,
                summary="One story of the article store, with its articles",
                responses={404: {"description": "no such story in the article store"}})
def api_story(request: Request, story_id: str) -> StreamStoryDetailOut:
    """The story, its articles (duplicates linked, every version listed) and its report's state."""
    story, articles, rs = _detail(request, story_id)
    out = _out(request, story, rs)
    return StreamStoryDetailOut(**out.model_dump(), article_list=[ArticleOut(**_article(a)) for a in articles])


def _article(a: ArticleRow) -> dict[str, Any]:
    return {"id": a.id, "outlet": a.outlet, "title": a.title, "url": a.url, "published": a.published,
            "first_seen": a.first_seen, "last_seen": a.last_seen, "version": a.version,
            "duplicate_of": a.duplicate_of, "duplicate_kind": a.duplicate_kind, "similarity": a.similarity,
            "versions": [VersionOut(version=v.version, seen=v.seen, title=v.title, words=v.words, removed=v.removed,
                                    added=v.added, changes=[_marked(c) for c in v.changes]) for v in a.versions]}


def _marked(runs: tuple[tuple[str, str], ...]) -> str:
    return "".join(t if op == "=" else f"[-{t}-]" if op == "-" else f"{{+{t}+}}" for op, t in runs)


@api_router.post("/stories/{story_id}/refresh", response_model=StoryStatus,
                 summary="Make the story's report again if it changed",
                 responses={202: {"description": "a new report job was queued"},
                            200: {"description": "nothing queued: the report is up to date, or being made"},
                            404: {"description": "no such story in the article store"},
                            429: {"description": "too many stories queued or running: retry later"}})
def api_refresh(request: Request, story_id: str, response: Response) -> StoryStatus:
    """Queue the story's analysis (``newsprism analyze --story``'s) when it changed since its last
    report: ``202`` with the new job; ``200`` with the job that is running, or with the one whose
    report is up to date. Poll ``links.status``, then read ``links.report``."""
    rec, what = refresh(request, story_id)
    if rec is None:  # pragma: no cover - the job was deleted between two lines
        raise HTTPException(409, "the report job vanished; try again")
    response.status_code = 202 if what == "queued" else 200
    return StoryStatus.of(rec, _base(request))
