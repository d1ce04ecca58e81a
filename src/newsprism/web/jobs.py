"""Running analyses for the web app: a submission -> a Report, in a background thread pool.

``analyze_submission`` is the job: pasted texts become articles directly, uploaded files are
read by the same loaders as on the command line (through a private temporary folder), and
URLs are fetched through :class:`~newsprism.web.netguard.GuardedTransport`. Every input that
gives no article is recorded (in the report's ``inputs`` and in the store), never dropped.
``Runner`` feeds the store's queue to a few worker threads and writes progress as it comes; it
bounds each job by a time limit and can cancel one (see :class:`Runner`).
"""

from __future__ import annotations

import logging
import os
import queue
import re
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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
from newsprism.report.schema import Report
from newsprism.web.netguard import GuardedTransport, Resolver, check_url_allowed, resolve_host
from newsprism.web.store import InputProblem, Store
from newsprism.web.submission import PastedArticle, Submission

__all__ = ["Analyzer", "JobStopped", "Outcome", "Progress", "Runner", "TooManyArticles", "analyze_submission",
           "default_workers", "ingest_submission"]

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
                      resolve: Resolver = resolve_host, transport: httpx.BaseTransport | None = None,
                      progress: Progress | None = None) -> IngestResult:
    """Turn every input of ``submission`` into articles; failures are recorded, not raised.

    URLs are checked first (scheme, and every address the host resolves to); ``transport``
    replaces the guarded network transport (tests pass an ``httpx.MockTransport``).
    ``progress("ingest", done, total)`` is called after each input (a stopped job raises there).
    """
    guard = transport or GuardedTransport(allow_private=allow_private_urls, resolve=resolve)
    total, done = max(1, submission.count), 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress("ingest", done, total)

    with Fetcher(transport=guard) as fetcher, tempfile.TemporaryDirectory(prefix="newsprism-upload-") as tmp:
        ctx = LoadContext(fetcher=fetcher)
        for n, item in enumerate(submission.texts, 1):
            _paste(ctx, n, item)
            step()
        for n, upload in enumerate(submission.files, 1):
            folder = Path(tmp) / f"{n:03d}"  # one folder each: names may repeat; the stem names the outlet
            folder.mkdir()
            path = folder / _safe_name(upload.name)
            path.write_bytes(upload.data)
            load_file(path, ctx, source=f"upload: {upload.name}")
            step()
        for url in submission.urls:
            refused = check_url_allowed(url, allow_private=allow_private_urls, resolve=resolve)
            if refused is not None:
                ctx.fail(refused, kind="url", source=url)
            else:
                before = len(ctx.errors)
                load_url(url, ctx)
                _name_redirect_blocks(ctx, before, url)
            step()
        return ctx.result()


def _name_redirect_blocks(ctx: LoadContext, before: int, url: str) -> None:
    """The guard refuses a redirect target with an error naming that target; the input the user
    gave is ``url``, so the error is re-addressed to it (and its code then reaches ``inputs``)."""
    for n in range(before, len(ctx.errors)):
        e = ctx.errors[n]
        if e.code == "blocked" and e.source != url:
            ctx.errors[n] = InputError(url, f"it redirects to {e.source}, and {e.problem}", e.fix, code="blocked")


class TooManyArticles(NewsprismError):
    """The inputs of one story gave more articles than the server analyses per story."""


class JobStopped(NewsprismError):
    """Raised inside a job (by its progress callback) once it was cancelled or ran out of time;
    the story's outcome is already stored by whoever stopped it."""


def check_article_count(count: int, max_articles: int | None) -> None:
    """Raise :class:`TooManyArticles` when ``count`` articles is over ``max_articles``.

    >>> check_article_count(3000, 200)
    Traceback (most recent call last):
    ...
    newsprism.web.jobs.TooManyArticles: the inputs gave 3,000 articles, over the limit of 200 per story ...
    """
    if max_articles is not None and count > max_articles:
        raise TooManyArticles(
            f"the inputs gave {count:,} articles, over the limit of {max_articles:,} per story (a .jsonl, "
            "JSON or feed input counts every article in it); submit the story's articles only, split it into "
            "several stories, or ask the server's operator to raise the limit (newsprism serve --max-articles)")


def analyze_submission(submission: Submission, progress: Progress, allow_private_urls: bool,
                       *, embedder: str = "minilm-onnx", max_articles: int | None = None) -> Outcome:
    """The web app's default job: ingest, annotate (with the embedder named), analyse, report.

    Raises :class:`TooManyArticles` after ingest (before any model is loaded) when the inputs,
    once JSONL files and feeds are expanded, give more than ``max_articles`` articles.
    """
    from newsprism.nlp.embeddings import get_embedder
    from newsprism.pipeline import analyze_story, inputs_out, make_story

    if submission.stored_story is not None:  # queued by a server that had one (newsprism.web.stream)
        raise NewsprismError(f"story {submission.stored_story!r} comes from an article store, and this server was "
                             "started without one (fix: restart it with newsprism serve --articles-store PATH)")
    progress("ingest", 0, max(1, submission.count))
    ingested = ingest_submission(submission, allow_private_urls=allow_private_urls, progress=progress)
    check_article_count(len(ingested.articles), max_articles)
    if not ingested.articles:
        return Outcome(None, ingested.errors)
    story = make_story(ingested.articles, title=submission.title or None)
    _, report = analyze_story(story, embedder=get_embedder(embedder), progress=progress,
                              inputs=inputs_out(ingested))
    return Outcome(report, ingested.errors)


def default_workers() -> int:
    """Analyses run at once by default: half the CPUs this process may use, 1 to 4.

    Each analysis is CPU-bound and they share the loaded models, so more than one lets a short
    story finish while a long one runs, without starving the request handlers.

    >>> 1 <= default_workers() <= 4
    True
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus // 2))


@dataclass(eq=False)
class _Job:
    story_id: str
    settled: threading.Event = field(default_factory=threading.Event)  # the outcome is in the store
    deadline: float | None = None  # monotonic time; set when it starts
    stop: str | None = None  # why it was stopped (cancelled, timed out)
    thread: threading.Thread | None = None  # the worker running it, once started


class Runner:
    """Runs queued stories on ``workers`` threads, writing progress and outcomes to the store.

    Bounds: a story still running ``job_timeout_s`` seconds after it started is marked failed at
    once (its reason says so), and so is one cancelled with :meth:`cancel`. A thread cannot be
    killed, so the stopped job's thread ends at its next progress step (:class:`JobStopped`) and a
    fresh worker takes its place at once (up to ``max_stuck`` such threads at a time): a stuck
    story does not hold up the queue. A story is
    started at most ``max_attempts`` times: one that keeps taking the server down with it fails
    instead of looping across restarts.
    """

    def __init__(self, store: Store, *, analyzer: Analyzer | None = None, workers: int = 1,
                 allow_private_urls: bool = False, job_timeout_s: float | None = None,
                 max_attempts: int = 3) -> None:
        self.store = store
        self.analyzer = analyzer or analyze_submission
        self.allow_private_urls = allow_private_urls
        self.workers = max(1, workers)
        self.job_timeout_s = job_timeout_s
        self.max_attempts = max_attempts
        #: stopped jobs whose threads may still be winding down, at most: past it a stopped job's
        #: worker is not replaced, so stuck threads can never pile up without bound
        self.max_stuck = 2 * self.workers
        self.jobs: dict[str, _Job] = {}
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._abandoned: set[threading.Thread] = set()  # replaced while their job overran
        self._lock = threading.RLock()
        self._stopping = threading.Event()  # no new job starts
        self._closed = threading.Event()  # shutdown is over: the watchdog ends
        self._watchdog: threading.Thread | None = None

    # -- the queue -------------------------------------------------------------------------------

    def submit(self, story_id: str) -> None:
        """Queue a stored story for analysis."""
        with self._lock:
            self.jobs[story_id] = _Job(story_id)
            self._start_threads()
        self._queue.put(story_id)

    def resume(self) -> int:
        """Queue again every story left unfinished by an earlier process; returns how many."""
        ids = self.store.unfinished()
        for story_id in ids:
            self.store.requeue(story_id)
            self.submit(story_id)
        return len(ids)

    def cancel(self, story_id: str, reason: str = "cancelled by request") -> bool:
        """Stop a queued or running story: it is marked failed with ``reason`` at once. False when
        this runner holds no unfinished job for it."""
        with self._lock:
            job = self.jobs.get(story_id)
        if job is None:
            return False
        return self._stop(job, f"{reason}; submit it again to analyse it")

    def wait(self, story_id: str, timeout: float | None = None) -> None:
        """Block until the story's outcome is stored (for tests and scripts); TimeoutError after
        ``timeout`` seconds."""
        with self._lock:
            job = self.jobs.get(story_id)
        if job is not None and not job.settled.wait(timeout):
            raise TimeoutError(f"story {story_id} still running after {timeout} s")

    def shutdown(self, wait: bool = True, grace_s: float | None = None) -> None:
        """Stop: stories not started stay queued in the store (and run on the next start); with
        ``wait``, the ones running finish (within their time limit, and within ``grace_s``
        seconds when given) and are stored first. One still running after that stays 'running'
        in the store, and is queued again when a server opens the store next."""
        self._stopping.set()
        with self._lock:
            threads = list(self._threads)
        for _ in threads:
            self._queue.put(None)
        end = time.monotonic() + grace_s if grace_s is not None else None
        while wait and (end is None or time.monotonic() < end):
            with self._lock:
                live = [t for t in self._threads if t.is_alive() and t not in self._abandoned]
            if not live:
                break
            live[0].join(0.2)
        self._closed.set()

    # -- the workers -----------------------------------------------------------------------------

    def _start_threads(self) -> None:
        """Start the workers (and the time-limit watchdog) on first use; under ``_lock``."""
        self._threads = [t for t in self._threads if t.is_alive()]
        while sum(t not in self._abandoned for t in self._threads) < self.workers:
            t = threading.Thread(target=self._work, name=f"newsprism-job-{len(self._threads) + 1}", daemon=True)
            self._threads.append(t)
            t.start()
        if self.job_timeout_s is not None and self._watchdog is None:
            self._watchdog = threading.Thread(target=self._watch, name="newsprism-job-watchdog", daemon=True)
            self._watchdog.start()

    def _work(self) -> None:
        me = threading.current_thread()
        while not self._stopping.is_set():
            story_id = self._queue.get()
            if story_id is None or self._stopping.is_set():
                return  # what is left stays 'queued' in the store for the next start
            with self._lock:
                job = self.jobs.get(story_id)
            if job is None or job.settled.is_set():
                continue  # cancelled while it waited
            try:
                self._run(job)
            except Exception:  # the store closed under a job abandoned at shutdown: nothing to save it to
                log.exception("story %s: its outcome could not be stored", story_id)
            if me in self._abandoned:
                return  # a replacement took this thread's place while the job overran

    def _watch(self) -> None:
        assert self.job_timeout_s is not None
        interval = min(1.0, max(0.02, self.job_timeout_s / 10))
        while not self._closed.wait(interval):  # on during shutdown too: a late job is stopped
            now = time.monotonic()
            with self._lock:
                late = [j for j in self.jobs.values() if j.deadline is not None and now > j.deadline]
            for job in late:
                self._stop(job, self._timeout_message())

    def _timeout_message(self) -> str:
        return (f"the analysis ran past the server's time limit of {self.job_timeout_s:g} s per story; submit "
                "fewer or shorter articles, or ask the server's operator to raise it (newsprism serve "
                "--job-timeout)")

    def _settle(self, job: _Job, *, report_json: str | None = None, title: str | None = None, articles: int = 0,
                errors: list[InputProblem] | tuple[()] = (), message: str = "") -> bool:
        """Store the job's outcome, once: the first of the job itself, cancel and timeout wins."""
        with self._lock:
            if job.settled.is_set():
                return False
            self.store.finish(job.story_id, report_json=report_json, title=title, articles=articles,
                              errors=errors, message=message)
            job.settled.set()
            if self.jobs.get(job.story_id) is job:
                del self.jobs[job.story_id]
            return True

    def _stop(self, job: _Job, message: str) -> bool:
        with self._lock:
            if job.settled.is_set():
                return False
            job.stop = message
            self._settle(job, message=message)
            self._abandoned = {t for t in self._abandoned if t.is_alive()}
            if job.thread is not None and job.thread.is_alive():
                if self._stopping.is_set():
                    self._abandoned.add(job.thread)  # shutting down: no replacement, no waiting for it
                elif len(self._abandoned) < self.max_stuck:
                    self._abandoned.add(job.thread)
                    self._start_threads()  # a fresh worker, so the queue moves on now
        log.warning("story %s stopped: %s", job.story_id, message)
        return True

    def _progress(self, job: _Job) -> Progress:
        last_time, last_stage = 0.0, ""

        def report(stage: str, done: int, total: int) -> None:
            nonlocal last_time, last_stage
            if job.stop is None and job.deadline is not None and time.monotonic() > job.deadline:
                self._stop(job, self._timeout_message())
            if job.stop is not None:
                raise JobStopped(job.stop)
            now = time.monotonic()
            if stage != last_stage or done >= total or now - last_time > 0.25:
                last_time, last_stage = now, stage
                self.store.progress(job.story_id, stage, done, total)

        return report

    def _run(self, job: _Job) -> None:
        story_id = job.story_id
        submission = self.store.submission(story_id)
        if submission is None:
            self._settle(job, message="the submitted inputs are no longer stored; submit the story again")
            return
        with self._lock:
            if job.settled.is_set():
                return
            attempts = self.store.start(story_id)
            job.thread = threading.current_thread()
            job.deadline = time.monotonic() + self.job_timeout_s if self.job_timeout_s is not None else None
        if attempts > self.max_attempts:
            self._settle(job, message=f"the server stopped {attempts - 1} times while analysing this story, so it "
                                      "was not tried again; check the inputs (or the server's memory) and submit "
                                      "it again")
            return
        try:
            outcome = self.analyzer(submission, self._progress(job), self.allow_private_urls)
        except JobStopped:
            return  # its outcome (cancelled, timed out) is stored already
        except NewsprismError as e:
            log.warning("story %s failed: %s", story_id, e)
            self._settle(job, message=str(e))
            return
        except Exception as e:  # a bug: keep the server up, say so on the story's page
            log.exception("story %s crashed", story_id)
            self._settle(job, message=f"the analysis crashed ({type(e).__name__}: {e}); the inputs are kept, "
                                      "please report this bug")
            return
        problems = [InputProblem(e.source, e.problem, e.fix, e.code) for e in outcome.errors]
        if outcome.report is None:
            self._settle(job, errors=problems,
                         message="no input gave a usable article; fix the inputs listed and submit again")
            return
        report = outcome.report
        self._settle(job, report_json=report.to_json(indent=None), title=report.story.title or submission.title,
                     articles=len(report.story.articles), errors=problems)
