"""The JSON API's request and response bodies (the report itself is ``newsprism.report/1``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from newsprism.progress import STAGE_LABELS, stage_label
from newsprism.web.store import StoryRecord
from newsprism.web.submission import Limits, PastedArticle, Submission

__all__ = ["STAGE_LABELS", "ArticleIn", "InputProblemOut", "StoryIn", "StoryLinks", "StoryStatus", "check_limits"]



class ArticleIn(BaseModel):
    """One article given as text."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="the article text; optional front matter (---/outlet: …/---)")
    outlet: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000, description="where it was published (not fetched)")
    published: str | None = Field(None, max_length=100, description="a date, e.g. 2026-03-04T09:30:00Z")


class StoryIn(BaseModel):
    """A new story to analyse: articles as text and/or URLs to fetch (at least one of them)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "Dam repairs approved",
        "articles": [{"outlet": "Example Post", "text": "The council approved $4.8 million for the dam."},
                     {"outlet": "Example Times", "text": "Councillors voted 7-2 to fund the dam repairs."}],
        "urls": ["https://news.example/2026/03/dam-repairs"],
    }]})

    title: str | None = Field(None, max_length=500)
    articles: list[ArticleIn] = Field(default_factory=list)
    urls: list[str] = Field(default_factory=list, description="http(s) addresses of articles or feeds")

    def submission(self) -> Submission:
        """As a :class:`Submission` for the store."""
        return Submission(
            title=(self.title or "").strip() or None,
            texts=tuple(PastedArticle(a.text, a.outlet, a.title, a.url, a.published) for a in self.articles),
            urls=tuple(u.strip() for u in self.urls if u.strip()),
        )


class InputProblemOut(BaseModel):
    source: str
    problem: str
    fix: str = ""
    code: str = ""


class StoryLinks(BaseModel):
    page: str = Field(description="the story's page in the web app")
    status: str
    report: str = Field(description="the report JSON (newsprism.report/1) once done")
    report_html: str = Field(description="the self-contained HTML report once done")


class StoryStatus(BaseModel):
    """Where a story's analysis stands."""

    id: str
    title: str | None
    status: Literal["queued", "running", "done", "failed"]
    stage: str = Field(description="the pipeline stage now running (ingest, sentences, parse, embed, analyses, …)")
    stage_label: str = Field("", description="the stage in words, for people")
    done: int
    total: int
    inputs: int = Field(description="inputs submitted")
    articles: int = Field(description="articles analysed (once done)")
    message: str = Field(description="why the story failed, when it did")
    errors: list[InputProblemOut] = Field(description="inputs that gave no article")
    created_at: datetime
    updated_at: datetime
    links: StoryLinks

    @classmethod
    def of(cls, rec: StoryRecord, base: str = "") -> StoryStatus:
        """From a store record; ``base`` is the app's root path."""
        return cls(
            id=rec.id, title=rec.title, status=rec.status, stage=rec.stage,
            stage_label=stage_label(rec.stage, rec.status), done=rec.done, total=rec.total,
            inputs=rec.inputs, articles=rec.articles, message=rec.message,
            errors=[InputProblemOut(source=e.source, problem=e.problem, fix=e.fix, code=e.code) for e in rec.errors],
            created_at=rec.created_at, updated_at=rec.updated_at,
            links=StoryLinks(page=f"{base}/stories/{rec.id}", status=f"{base}/api/stories/{rec.id}/status",
                             report=f"{base}/api/stories/{rec.id}", report_html=f"{base}/stories/{rec.id}/report.html"),
        )


def check_limits(sub: Submission, limits: Limits) -> str | None:
    """Why ``sub`` is refused (a sentence for the user), or None. Articles are counted here only
    where that is cheap (pasted ones, .jsonl lines); the job counts them all after reading.

    >>> from newsprism.web.submission import Upload
    >>> check_limits(Submission(files=(Upload("a.jsonl", b'{"text": "x"}\\n' * 300),)), Limits())[:36]
    'the inputs hold 300 articles (each p'
    """
    if sub.count == 0:
        return "nothing to analyse: paste an article, upload a file or give a URL"
    if sub.count > limits.max_inputs:
        return f"{sub.count} inputs is over the limit of {limits.max_inputs} per story"
    for n, t in enumerate(sub.texts, 1):
        if len(t.text) > limits.max_text_chars:
            return (f"pasted article {n} is {len(t.text):,} characters, over the {limits.max_text_chars:,} limit; "
                    "split it into one article per box")
    for f in sub.files:
        if len(f.data) > limits.max_file_bytes:
            return f"{f.name} is larger than the {limits.max_file_bytes / 1024 / 1024:g} MB limit per file"
    for u in sub.urls:
        if len(u) > 2000:
            return "a URL is longer than 2,000 characters"
    least = len(sub.texts) + sum(_jsonl_lines(f.data) for f in sub.files if f.name.lower().endswith(".jsonl"))
    if least > limits.max_articles:
        return (f"the inputs hold {least:,} articles (each pasted article and each line of a .jsonl file is one), "
                f"over the limit of {limits.max_articles:,} per story; submit the story's articles only, or split "
                "it (the server's operator can raise the limit with newsprism serve --max-articles)")
    return None


def _jsonl_lines(data: bytes) -> int:
    """Non-blank lines: the articles a .jsonl file holds at most (known before reading it, so a
    3,000-line file is refused at once rather than after ingest)."""
    return sum(1 for line in data.splitlines() if line.strip())
