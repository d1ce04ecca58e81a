"""Running analyses for the web app: a submission -> a Report, in a background thread pool.

``analyze_submission`` is the job: pasted texts become articles directly, uploaded files are
read by the same loaders as on the command line (through a private temporary folder), and
URLs are fetched through :class:`~newsprism.web.netguard.GuardedTransport`. Every input that
gives no article is recorded (in the report's ``inputs`` and in the store), never dropped.
``Runner`` feeds the store's queue to a thread pool and writes progress as it comes.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

from newsprism.errors import InputError, NewsprismError
from newsprism.ingest.common import build_article, slugify
from newsprism.ingest.dates import parse_date
from newsprism.ingest.fetch import Fetcher
from newsprism.ingest.files import load_file
from newsprism.ingest.result import IngestResult, LoadContext
from newsprism.ingest.textfile import parse_text
from newsprism.ingest.url import load_url
from newsprism.report.schema import InputOut, Report
from newsprism.web.netguard import GuardedTransport, Resolver, check_url_allowed, resolve_host
from newsprism.web.store import InputProblem, Store
from newsprism.web.submission import PastedArticle, Submission

__all__ = ["Analyzer", "Outcome", "Progress", "Runner", "analyze_submission", "ingest_submission", "inputs_out"]

log = logging.getLogger("newsprism.web")

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a job produced: the report (None when no input gave an article) and the failed inputs."""

    report: Report | None
    errors: tuple[InputError, ...]


#: analyzer(submission, progress, allow_private_urls) -> Outcome; the default is analyze_submission
Analyzer = Callable[[Submission, Progress, bool], Outcome]

_UNSAFE = re.compile(r"[^\w .,()&'+-]+")


def _safe_name(name: str) -> str:
    """The file name alone (no folders), without characters a file system may mind."""
    base = _UNSAFE.sub("-", Path(name.replace("\\", "/")).name).strip(". -") or "upload"
    return base[-120:]


def _paste(ctx: LoadContext, n: int, item: PastedArticle) -> None:
    label = f"pasted article {n}" + (f" ({item.outlet})" if item.outlet else "")
    try:
        draft = parse_text(item.text)
        draft = replace(
            draft,
            outlet=item.outlet or draft.outlet,
            title=item.title or draft.title,
            url=item.url or draft.url,
            published=parse_date(item.published) if item.published else draft.published,
        )
        article = build_article(draft, source=label, fallback_id=slugify(item.outlet or "") or f"pasted-{n}",
                                fallback_outlet=item.outlet or f"pasted article {n}")
    except InputError as e:
        ctx.fail(e, kind="text")
        return
    article = ctx.add_article(article)
    ctx.record(label, "ok", ids=(article.id,), kind="text")


def ingest_submission(submission: Submission, *, allow_private_urls: bool = False,
                      resolve: Resolver = resolve_host,
                      transport: httpx.BaseTransport | None = None) -> IngestResult:
    """Turn every input of ``submission`` into articles; failures are recorded, not raised.

    URLs are checked first (scheme, and every address the host resolves to); ``transport``
    replaces the guarded network transport (tests pass an ``httpx.MockTransport``).
    """
    guard = transport or GuardedTransport(allow_private=allow_private_urls, resolve=resolve)
    with Fetcher(transport=guard) as fetcher, tempfile.TemporaryDirectory(prefix="newsprism-upload-") as tmp:
        ctx = LoadContext(fetcher=fetcher)
        for n, item in enumerate(submission.texts, 1):
            _paste(ctx, n, item)
        for n, upload in enumerate(submission.files, 1):
            folder = Path(tmp) / f"{n:03d}"  # one folder each: names may repeat; the stem names the outlet
            folder.mkdir()
            path = folder / _safe_name(upload.name)
            path.write_bytes(upload.data)
            load_file(path, ctx, source=f"upload: {upload.name}")
        for url in submission.urls:
            refused = check_url_allowed(url, allow_private=allow_private_urls, resolve=resolve)
            if refused is not None:
                ctx.fail(refused, kind="url", source=url)
            else:
                load_url(url, ctx)
        return ctx.result()


def inputs_out(ingested: IngestResult) -> list[InputOut]:
    """The report's ``inputs``: one entry per input, failed ones with their error code."""
    codes = {e.source: e.code for e in ingested.errors}
    return [InputOut(source=r.source, status=r.status, article_ids=list(r.article_ids),
                     code=codes.get(r.source) if r.status != "ok" else None, message=r.message or None)
            for r in ingested.inputs]


def analyze_submission(submission: Submission, progress: Progress, allow_private_urls: bool,
                       *, embedder: str = "minilm-onnx") -> Outcome:
    """The web app's default job: ingest, annotate (with the embedder named), analyse, report."""
    from newsprism.nlp.embeddings import get_embedder
    from newsprism.pipeline import analyze_story, make_story

    progress("ingest", 0, max(1, submission.count))
    ingested = ingest_submission(submission, allow_private_urls=allow_private_urls)
    progress("ingest", submission.count, max(1, submission.count))
    if not ingested.articles:
        return Outcome(None, ingested.errors)
    story = make_story(ingested.articles, title=submission.title or None)
    _, report = analyze_story(story, embedder=get_embedder(embedder), progress=progress,
                              inputs=inputs_out(ingested))
    return Outcome(report, ingested.errors)


class Runner:
    """Runs queued stories on a thread pool (the analyses are CPU-bound; one worker by default,
    as the language models are shared), writing progress and outcomes to the store."""

    def __init__(self, store: Store, *, analyzer: Analyzer | None = None, workers: int = 1,
                 allow_private_urls: bool = False) -> None:
        self.store = store
        self.analyzer = analyzer or analyze_submission
        self.allow_private_urls = allow_private_urls
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="newsprism-job")
        self.futures: dict[str, Future[None]] = {}
        self._lock = threading.Lock()

    def submit(self, story_id: str) -> None:
        """Queue a stored story for analysis."""
        with self._lock:
            self.futures[story_id] = self.pool.submit(self._run, story_id)

    def resume(self) -> int:
        """Queue again every story left unfinished by an earlier process; returns how many."""
        ids = self.store.unfinished()
        for story_id in ids:
            self.store.requeue(story_id)
            self.submit(story_id)
        return len(ids)

    def wait(self, story_id: str, timeout: float | None = None) -> None:
        """Block until the story's job ends (for tests and scripts)."""
        with self._lock:
            future = self.futures.get(story_id)
        if future is not None:
            future.result(timeout=timeout)

    def shutdown(self, wait: bool = True) -> None:
        """Stop: stories not started stay queued in the store (and run on the next start); with
        ``wait``, the one running finishes and is stored first."""
        self.pool.shutdown(wait=wait, cancel_futures=True)

    def _progress(self, story_id: str) -> Progress:
        last_time, last_stage = 0.0, ""

        def report(stage: str, done: int, total: int) -> None:
            nonlocal last_time, last_stage
            now = time.monotonic()
            if stage != last_stage or done >= total or now - last_time > 0.25:
                last_time, last_stage = now, stage
                self.store.progress(story_id, stage, done, total)

        return report

    def _run(self, story_id: str) -> None:
        submission = self.store.submission(story_id)
        if submission is None:
            self.store.finish(story_id, report_json=None, title=None, articles=0, errors=(),
                              message="the submitted inputs are no longer stored; submit the story again")
            return
        self.store.start(story_id)
        try:
            outcome = self.analyzer(submission, self._progress(story_id), self.allow_private_urls)
        except NewsprismError as e:
            log.warning("story %s failed: %s", story_id, e)
            self.store.finish(story_id, report_json=None, title=None, articles=0, errors=(), message=str(e))
            return
        except Exception as e:  # a bug: keep the server up, say so on the story's page
            log.exception("story %s crashed", story_id)
            self.store.finish(story_id, report_json=None, title=None, articles=0, errors=(),
                              message=f"the analysis crashed ({type(e).__name__}: {e}); the inputs are kept, "
                                      "please report this bug")
            return
        problems = [InputProblem(e.source, e.problem, e.fix, e.code) for e in outcome.errors]
        if outcome.report is None:
            self.store.finish(story_id, report_json=None, title=None, articles=0, errors=problems,
                              message="no input gave a usable article; fix the inputs listed and submit again")
            return
        report = outcome.report
        self.store.finish(story_id, report_json=report.to_json(indent=None),
                          title=report.story.title or submission.title, articles=len(report.story.articles),
                          errors=problems)
