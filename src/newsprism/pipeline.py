"""The main job, as one library call: sources -> articles -> annotations -> Report.

The CLI and (later) the web app and Ray runner are thin shells over :func:`analyze`.
"""

from __future__ import annotations

import ctypes
import gc
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsprism.analysis.brief import DEFAULT_LENGTH, build_brief, prepare_brief
from newsprism.analysis.brief.llm import ChatModel
from newsprism.analysis.claims import ClaimAnalysis, analyze_claims
from newsprism.analysis.claims.coherence import story_groups
from newsprism.analysis.contradictions import AttributionConflict, ContradictionDraft
from newsprism.analysis.framing import analyze_framing_full, voices_from_quotes
from newsprism.analysis.quotes import analyze_quotes, quote_mentions
from newsprism.errors import InputError
from newsprism.ingest import DEFAULT_MAX_FILE_BYTES, IngestResult, load_many
from newsprism.model import Article, Story
from newsprism.nlp.annotate import annotate
from newsprism.nlp.embeddings import Embedder, get_embedder, on_one_core
from newsprism.nlp.spacy_pipeline import load as load_spacy
from newsprism.nlp.work_share import WorkShare
from newsprism.report.build import (
    build_report,
    claim_results,
    contradiction_results,
    framing_results,
    quote_results,
    summary_results,
)
from newsprism.report.schema import InputOut, Report

#: progress(stage, done, total): called as work advances, for progress bars.
Progress = Callable[[str, int, int], None]

EXIT_OK, EXIT_PARTIAL, EXIT_NOTHING = 0, 1, 2

SINGLE_ARTICLE_NOTE = (
    "Only one article was given: cross-source analysis (shared and single-source claims, "
    "contradictions, copying) needs two or more articles on the same story."
)


@dataclass(frozen=True)
class AnalysisRun:
    """What one run produced: the report (None when no input was usable) and every input error."""

    report: Report | None
    story: Story | None
    errors: tuple[InputError, ...]

    @property
    def exit_code(self) -> int:
        """0 all inputs fine, 1 some inputs failed but a report was made, 2 nothing usable."""
        if self.report is None:
            return EXIT_NOTHING
        return EXIT_PARTIAL if self.errors else EXIT_OK


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "story"


def make_story(articles: Sequence[Article], *, story_id: str | None = None,
               title: str | None = None) -> Story:
    """Order articles stably (by id) and pick a title: the earliest-published headline."""
    ordered = tuple(sorted(articles, key=lambda a: a.id))
    if title is None:
        titled = [a for a in ordered if a.title]
        dated = sorted((a for a in titled if a.published), key=lambda a: a.published)  # type: ignore[arg-type,return-value]
        title = (dated or titled)[0].title if titled else None
    notes = (SINGLE_ARTICLE_NOTE,) if len(ordered) == 1 else ()
    return Story(id=story_id or _slug(title or (ordered[0].id if ordered else "story")),
                 articles=ordered, title=title, notes=notes)


def analyze_story(story: Story, *, embedder: Embedder | None = None,
                  progress: Progress | None = None, inputs: Sequence[InputOut] = (),
                  brief_length: int = DEFAULT_LENGTH, llm: ChatModel | None = None,
                  judge_support: bool = False) -> tuple[Story, Report]:
    """Annotate a story's articles, run the analyses, and build its report.

    ``brief_length`` is the brief's word budget; ``llm`` (an OpenAI-compatible chat model)
    switches the brief to the checked abstractive mode; ``judge_support`` (experimental) judges
    every article against each claim's wording (see :func:`~newsprism.analysis.claims.analyze_claims`).
    """
    clock = StageClock()
    embedder = embedder or get_embedder()
    with clock("models"):  # loaded once per process (seconds the first time), so timed apart
        _step(progress, 0, ("spacy", "embedder"), "models")  # a stage of its own: no bar sits at 0 meanwhile
        load_spacy()
        _step(progress, 1, ("spacy", "embedder"), "models")
        embedder.embed(["."])
        _step(progress, 2, ("spacy", "embedder"), "models")
    with clock("annotate"):
        annotations = annotate(story.articles, embedder=embedder, progress=progress)
    story = Story(id=story.id, articles=story.articles, title=story.title,
                  annotations=annotations, notes=story.notes)
    with paused_gc():
        return _analyze_annotated(story, embedder, clock, progress, inputs, brief_length, llm, judge_support)


def _analyze_annotated(story: Story, embedder: Embedder, clock: StageClock, progress: Progress | None,
                       inputs: Sequence[InputOut], brief_length: int, llm: ChatModel | None,
                       judge_support: bool) -> tuple[Story, Report]:
    steps = ("claims", "quotes", "contradictions", "framing", "brief")
    results: dict[str, object] = {}
    _step(progress, 0, steps)
    with clock("quotes"):
        mentions = quote_mentions(story)
    # The quotes are grouped beside the claims, the framing, most of the contradictions and the
    # brief's reading of the sentences, which need only their mentions: embedding reported speech,
    # most of the grouping's time, releases the GIL and takes the core those stages' Python leaves
    # idle, on one thread so as not to crowd the other core (issue 17). The "quotes" time is the
    # reading of the mentions and the wait left after those stages.
    with ThreadPoolExecutor(1, thread_name_prefix="newsprism-quotes") as beside:
        share = WorkShare()
        grouping = beside.submit(analyze_quotes, story, embedder=on_one_core(embedder, share), mentions=mentions)
        with clock("claims"):  # the provenance between articles is computed inside, from the alignment
            claims = analyze_claims(story, judge_support=judge_support)
            apart = mixed_stories_note(story, claims)
        if apart:
            story = Story(id=story.id, articles=story.articles, title=story.title,
                          annotations=story.annotations, notes=(*story.notes, apart))
        _step(progress, 1, steps)
        with clock("framing"):
            voices = voices_from_quotes(mentions, {a.id: a.text for a in story.articles})
            framing = analyze_framing_full(story, claims, voices, embedder=embedder)
        _step(progress, 2, steps)
        with clock("contradictions"):
            draft = ContradictionDraft(story, claims)
        with clock("brief"):
            context = prepare_brief(story, claims, framing=framing.rows, embedder=embedder)
        with clock("report"):  # the report's rows that need no quotes
            claim_rows, framing_rows = claim_results(claims), framing_results(framing)
        with clock("quotes"):
            share.help_until_done(grouping)  # the reported speech still to embed, on this core too
            quotes = grouping.result()
    _step(progress, 3, steps)
    with clock("contradictions"):
        misattributed = [
            AttributionConflict.from_mapping(m.text, {m.speaker: m.speaker_spans, m.other_speaker: m.spans})
            for m in quotes.misattributions
        ]
        contradictions = draft.finish(misattributed)
    # in the order the report has always listed them
    results |= claim_rows | quote_results(quotes.groups) | contradiction_results(contradictions)
    results |= framing_rows
    _step(progress, 4, steps)
    with clock("brief"):
        brief = build_brief(story, claims, framing=framing.rows, contradictions=contradictions,
                            length=brief_length, embedder=embedder, llm=llm, context=context)
        results |= summary_results(brief)
    _step(progress, 5, steps)
    with clock("report"):
        report = build_report(story, results=results, inputs=inputs,
                              done=("claims", "provenance", "quotes", "contradictions", "framing", "summary"))
        # The analyses' working data goes now, and the C heap's free pages back to the system: the
        # report's rendering then starts from the memory in use, not from the analyses' high-water
        # mark (its large buffers are mapped afresh, never carved from that free heap; issue 17).
        del claims, quotes, mentions, misattributed, draft, context, contradictions, voices, framing, brief
        del claim_rows, framing_rows, results
        return_free_heap()
    return story, report.model_copy(update={"timings": clock.rounded()})


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, then back as it was.

    The analyses build millions of small objects (a million scored sentence pairs for a wire story
    run by 200 outlets), and each full collection walks all of them again: a fifth of the claims'
    time at 200 articles (issue 17). Their garbage has almost no cycles (767 objects at 200
    articles), so reference counting frees it all the same.

    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # glibc (Linux)
    except (AttributeError, OSError, TypeError):  # another C library (macOS, musl) or Windows
        return None
    return trim


def return_free_heap() -> bool:
    """Hand the free pages of the C heap back to the system (glibc's ``malloc_trim``): memory freed
    by Python stays in the process's resident set otherwise, and a later large allocation, mapped
    afresh, comes on top of it (140 MB at 200 articles). Returns whether the C library offers it.

    >>> return_free_heap() in (True, False)
    True
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


class StageClock:
    """Wall-clock seconds per named stage, in the order the stages ran (a stage timed twice adds up).

    >>> clock = StageClock()
    >>> with clock("parse"):
    ...     pass
    >>> list(clock.seconds), clock.seconds["parse"] >= 0.0
    (['parse'], True)
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start

    def rounded(self, digits: int = 3) -> dict[str, float]:
        """The timings rounded for the report (milliseconds are plenty)."""
        return {k: round(v, digits) for k, v in self.seconds.items()}


def format_timings(timings: Mapping[str, float]) -> str:
    """One line saying where the time went: each stage in run order, then the total.

    >>> format_timings({"annotate": 12.0, "claims": 2.5, "quotes": 0.3})
    'annotate 12.0 s, claims 2.5 s, quotes 0.3 s (total 14.8 s)'
    >>> format_timings({})
    ''
    """
    if not timings:
        return ""
    parts = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
    return f"{parts} (total {sum(timings.values()):.1f} s)"


def mixed_stories_note(story: Story, claims: ClaimAnalysis) -> str | None:
    """A note when the articles fall into groups that share no claims: more than one story."""
    groups = story_groups([a.id for a in story.articles], claims.claims)
    if len(groups) < 2:
        return None
    listed = "; ".join("{" + ", ".join(story.article(a).outlet or a for a in g) + "}" for g in groups)
    return (f"These articles seem to cover {len(groups)} different stories (groups that share no claims: "
            f"{listed}); the matrix and the brief mix them. Analyse each story separately.")


def _step(progress: Progress | None, done: int, steps: Sequence[str], stage: str = "analyses") -> None:
    if progress:
        progress(stage, done, len(steps))


def inputs_out(ingested: IngestResult) -> list[InputOut]:
    """The report's ``inputs``, each with its ``code``: the error's tag (``not_found``, ``binary``, ...)
    for a failed input, ``skipped`` for one passed over, None when it was read.

    A record that carries its own code keeps it. A failed one without (a container marked failed
    after the fact, an older ingester) is matched to its error: same source and problem first,
    then same source (a container's error), then same problem (an error recorded under another
    name, e.g. a redirected URL). A container whose parts all failed and that has no error of its
    own gets ``nothing_usable``.

    >>> from newsprism.errors import InputError
    >>> from newsprism.ingest import IngestResult, InputRecord
    >>> err = InputError("a.txt", "the file is empty", "add text", code="empty")
    >>> r = IngestResult(errors=(err,), inputs=(InputRecord("a.txt", "failed", message="the file is empty"),
    ...                                         InputRecord("b.txt", "ok", ("b",))))
    >>> [i.code for i in inputs_out(r)]
    ['empty', None]
    """
    out = []
    for r in ingested.inputs:
        code: str | None = getattr(r, "code", None) or None  # a record that knows its own code wins
        if code is None and r.status == "failed":
            code = _error_code(r.source, r.message, ingested.errors)
        elif code is None and r.status == "skipped":
            code = "skipped"
        out.append(InputOut(source=r.source, status=r.status, article_ids=list(r.article_ids),
                            code=code, message=r.message or None))
    return out


def _error_code(source: str, message: str, errors: Sequence[InputError]) -> str:
    for match in (lambda e: e.source == source and e.problem == message,
                  lambda e: e.source == source,
                  lambda e: bool(message) and e.problem == message):
        found = next((e for e in errors if match(e)), None)
        if found is not None:
            return found.code
    return "nothing_usable"


def analyze(sources: Sequence[str | Path], *, embedder: Embedder | None = None,
            progress: Progress | None = None, story_id: str | None = None,
            title: str | None = None, brief_length: int = DEFAULT_LENGTH,
            llm: ChatModel | None = None, judge_support: bool = False,
            max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> AnalysisRun:
    """Ingest every source (files, directories, JSONL, feeds, URLs), annotate, report.

    A failing input never stops the run: it is recorded in ``errors`` and in the report's
    ``inputs``. When no input gives an article, ``report`` is None (exit code 2).
    ``max_file_bytes`` caps each local file read (a larger one is an input error).

    >>> run = analyze(["/nonexistent/article.txt"])
    >>> run.exit_code, run.errors[0].code
    (2, 'not_found')
    """
    ingested = load_many([str(s) for s in sources], max_file_bytes=max_file_bytes)
    if not ingested.articles:
        return AnalysisRun(report=None, story=None, errors=tuple(ingested.errors))
    story = make_story(ingested.articles, story_id=story_id, title=title)
    story, report = analyze_story(story, embedder=embedder, progress=progress,
                                  inputs=inputs_out(ingested), brief_length=brief_length, llm=llm,
                                  judge_support=judge_support)
    return AnalysisRun(report=report, story=story, errors=tuple(ingested.errors))
