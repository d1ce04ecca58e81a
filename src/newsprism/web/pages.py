"""The HTML pages: submit a story, list stories, open one (the same views as report.html)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse

from newsprism.report.html import asset_text as report_asset
from newsprism.report.html import html_chunks, render_report_body, standalone_csp
from newsprism.report.markdown import render_markdown
from newsprism.report.schema import Report
from newsprism.web.api import RETRY_AFTER_S
from newsprism.web.forms import FormError, read_form
from newsprism.web.models import STAGE_LABELS, check_limits
from newsprism.web.state import state_of
from newsprism.web.store import QueueFull, StoryRecord

__all__ = ["router"]

router = APIRouter(include_in_schema=False)



def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = state_of(request)
    html = state.templates.get_template(template).render(
        base=request.scope.get("root_path", ""), limits=state.limits, stage_labels=STAGE_LABELS, **context)
    return HTMLResponse(html, status_code=status)


def _index(request: Request, *, error: str | None = None, status: int = 200) -> HTMLResponse:
    return _page(request, "index.html.j2", status=status, stories=state_of(request).store.recent(50), error=error,
                 allow_private=state_of(request).allow_private_urls)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The submit form and the stored stories."""
    return _index(request)


@router.post("/stories", response_model=None)
async def submit(request: Request) -> Response:
    """The form's target: store the story, queue it, go to its page."""
    state = state_of(request)
    try:
        sub = await read_form(request, state.limits)
    except FormError as e:
        return _index(request, error=str(e), status=e.status)
    problem = check_limits(sub, state.limits)
    if problem:
        return _index(request, error=problem, status=400 if sub.count == 0 else 413)
    try:
        rec = state.store.create(sub, max_unfinished=state.limits.max_queued)
    except QueueFull as e:
        page = _index(request, error=str(e), status=429)
        page.headers["Retry-After"] = str(RETRY_AFTER_S)
        return page
    state.runner.submit(rec.id)
    return RedirectResponse(f"{request.scope.get('root_path', '')}/stories/{rec.id}", status_code=303)


@router.post("/stories/{story_id}/cancel", response_model=None)
def cancel(request: Request, story_id: str) -> Response:
    """The story page's Cancel button: stop the analysis, back to the story (now failed)."""
    rec = _record_or_404(request, story_id)
    if isinstance(rec, HTMLResponse):
        return rec
    state_of(request).runner.cancel(story_id)  # a story finished meanwhile just shows its outcome
    return RedirectResponse(f"{request.scope.get('root_path', '')}/stories/{story_id}", status_code=303)


def _record_or_404(request: Request, story_id: str) -> StoryRecord | HTMLResponse:
    rec = state_of(request).store.get(story_id)
    if rec is None:
        return _page(request, "missing.html.j2", status=404, story_id=story_id)
    return rec


def _report(request: Request, story_id: str) -> Report | None:
    raw = state_of(request).store.report_json(story_id)
    return Report.model_validate_json(raw) if raw else None


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: str) -> HTMLResponse:
    """The story's report when done; its progress while running; its errors if it failed."""
    rec = _record_or_404(request, story_id)
    if isinstance(rec, HTMLResponse):
        return rec
    report = _report(request, story_id) if rec.status == "done" else None
    body = render_report_body(report) if report is not None else None
    from newsprism.pipeline import format_timings  # the analysis modules: loaded by the jobs anyway

    timings = format_timings(report.timings) if report is not None else ""  # where the time went (issue 17)
    return _page(request, "story.html.j2", rec=rec, body=body, timings=timings)


@router.get("/stories/{story_id}/report.html", response_class=HTMLResponse)
def story_html(request: Request, story_id: str) -> Response:
    """The self-contained report.html (its own CSP: only its inline style and script)."""
    report = _report(request, story_id)
    if report is None:
        return PlainTextResponse("no report for this story (yet)", status_code=404)
    csp = standalone_csp(report_asset("report.css"), report_asset("report.js"))
    # streamed: the page of a 200-article story is about 200 MB
    return StreamingResponse(html_chunks(report), media_type="text/html; charset=utf-8", headers={
        "Content-Security-Policy": csp + "; frame-ancestors 'none'",
        "Content-Disposition": f'inline; filename="newsprism-{story_id}.html"'})


@router.get("/stories/{story_id}/report.json")
def story_json(request: Request, story_id: str) -> Response:
    """The report JSON, as a download."""
    raw = state_of(request).store.report_json(story_id)
    if raw is None:
        return PlainTextResponse("no report for this story (yet)", status_code=404)
    return Response(raw, media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="newsprism-{story_id}.json"'})


@router.get("/stories/{story_id}/report.md")
def story_md(request: Request, story_id: str) -> Response:
    """The report as Markdown."""
    report = _report(request, story_id)
    if report is None:
        return PlainTextResponse("no report for this story (yet)", status_code=404)
    return PlainTextResponse(render_markdown(report), media_type="text/markdown; charset=utf-8",
                             headers={"Content-Disposition": f'inline; filename="newsprism-{story_id}.md"'})
