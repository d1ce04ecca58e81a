"""The JSON API: list, submit and read stories; the report is the ``newsprism.report/1`` contract."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse

from newsprism.report.schema import Report
from newsprism.web.models import StoryIn, StoryStatus, check_limits
from newsprism.web.state import state_of
from newsprism.web.store import QueueFull

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["stories"])

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no story with this id"}}

#: what a 429 asks the client to wait, in seconds
RETRY_AFTER_S = 30


def _base(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


def _status(request: Request, story_id: str) -> StoryStatus:
    rec = state_of(request).store.get(story_id)
    if rec is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return StoryStatus.of(rec, _base(request))


@router.get("/stories", response_model=list[StoryStatus], summary="List stories, newest first")
def list_stories(request: Request, limit: int = Query(100, ge=1, le=500, description="stories per page"),
                 offset: int = Query(0, ge=0, le=1_000_000_000, description="stories to skip")) -> list[StoryStatus]:
    """Every stored story with its status (no reports: fetch each with ``GET /api/stories/{id}``).
    ``limit`` and ``offset`` out of range are a 422 (never a 500 from the database)."""
    return [StoryStatus.of(r, _base(request)) for r in state_of(request).store.recent(limit, offset)]


@router.post("/stories", status_code=202, response_model=StoryStatus, summary="Submit a story to analyse",
             responses={413: {"description": "too many or too large inputs"},
                        422: {"description": "nothing to analyse, or a malformed body"},
                        429: {"description": "too many stories queued or running: retry after the Retry-After "
                                             "seconds"}})
def submit_story(body: StoryIn, request: Request, response: Response) -> StoryStatus:
    """Store the articles and URLs and queue their analysis; answers at once (202) with the
    story's status. URLs are fetched by the server: only public http(s) addresses, unless the
    operator started it with ``--allow-private-urls``."""
    state = state_of(request)
    sub = body.submission()
    problem = check_limits(sub, state.limits)
    if problem:
        raise HTTPException(422 if sub.count == 0 else 413, problem)
    try:
        rec = state.store.create(sub, max_unfinished=state.limits.max_queued)
    except QueueFull as e:
        raise HTTPException(429, str(e), headers={"Retry-After": str(RETRY_AFTER_S)}) from e
    state.runner.submit(rec.id)
    status = StoryStatus.of(rec, _base(request))
    response.headers["Location"] = status.links.report
    return status


@router.get("/stories/{story_id}", summary="The story's report (newsprism.report/1)",
            responses={200: {"model": Report, "description": "the report"},
                       202: {"model": StoryStatus, "description": "still being analysed: poll again"},
                       422: {"model": StoryStatus, "description": "the analysis failed: no input gave an article"},
                       **_NOT_FOUND})
def get_report(story_id: str, request: Request) -> Response:
    """The report once done; before that the status (202), or why it failed (422)."""
    status = _status(request, story_id)
    if status.status == "done":
        raw = state_of(request).store.report_json(story_id)
        if raw is not None:
            return Response(raw, media_type="application/json")
    code = 422 if status.status == "failed" else 202
    return JSONResponse(status.model_dump(mode="json"), status_code=code)


@router.get("/stories/{story_id}/status", response_model=StoryStatus, responses=_NOT_FOUND,
            summary="Where the story's analysis stands")
def get_status(story_id: str, request: Request) -> StoryStatus:
    """Status, pipeline stage and progress, and the inputs that failed."""
    return _status(request, story_id)


@router.post("/stories/{story_id}/cancel", response_model=StoryStatus, summary="Cancel a story's analysis",
             responses={**_NOT_FOUND, 409: {"description": "the story is finished already"}})
def cancel_story(story_id: str, request: Request) -> StoryStatus:
    """Stop a queued or running analysis: the story is ``failed`` at once, with the reason. Its
    inputs are kept; submit it again to analyse it."""
    state = state_of(request)
    status = _status(request, story_id)
    if status.status in ("done", "failed"):
        raise HTTPException(409, f"story {story_id!r} is {status.status} already; nothing to cancel")
    if not state.runner.cancel(story_id):  # unfinished in the store, yet not in this runner
        raise HTTPException(409, f"story {story_id!r} is not running in this server; restart it to resume")
    return _status(request, story_id)


@router.delete("/stories/{story_id}", status_code=204, responses=_NOT_FOUND, summary="Delete a story")
def delete_story(story_id: str, request: Request) -> Response:
    """Remove the story and its report from the store (cancelling its analysis first)."""
    state = state_of(request)
    state.runner.cancel(story_id, "deleted")
    if not state.store.delete(story_id):
        raise HTTPException(404, f"no story {story_id!r}")
    return Response(status_code=204)
