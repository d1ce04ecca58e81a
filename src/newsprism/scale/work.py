"""One story's analysis in a batch: rows -> Story -> ``analyze_story`` -> the report's files.

The rows carry everything the analysis needs (the article as JSON, its batch-wide id, what it
duplicates), so a worker needs nothing but them and the models, which :class:`StoryWorker`
loads once and keeps for every story it is given.

>>> rows = [{"seq": 1, "aid": "a", "article": '{"id": "x", "outlet": "Osk Daily", "text": "The dam held.", '
...          '"title": null, "url": null, "published": null, "author": null, "source": "s.jsonl:1", '
...          '"paragraphs": [[0, 13]], "artifacts": []}', "dup_of": None, "dup_kind": None, "dup_sim": None}]
>>> story, inputs = story_of_rows("story-1", rows)
>>> [a.id for a in story.articles], inputs[0].source
(['a'], 's.jsonl:1')
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from newsprism.model import Story
from newsprism.scale.shards import article_from_json

if TYPE_CHECKING:
    from newsprism.nlp.vectors import Embedder
    from newsprism.report.schema import InputOut

__all__ = ["ONE_CPU_ENV", "REPORT_FORMATS", "StoryFailure", "StoryOutcome", "StoryWorker", "analyze_rows",
           "story_of_rows"]

#: what each story's folder gets: the three reports and its tables (Parquet) for the batch tables
REPORT_FORMATS: tuple[str, ...] = ("json", "md", "html")

#: the environment of a worker given one CPU: every library's thread pool at one thread, spaCy
#: forking no helpers (``newsprism.nlp.cores``). Without it a worker sizes its pools to every core
#: it can see, and two workers on two cores fight over them.
ONE_CPU_ENV: dict[str, str] = {
    "NEWSPRISM_CPUS": "1",  # spaCy's helper processes, the embedder's default threads
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",  # numpy/blis, torch (thinc imports it)
    "RAYON_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false",  # the word-piece tokenizer (Rust)
}

#: what to do about a story whose analysis failed (the batch goes on without it)
FAILURE_FIX = ("the other stories were analysed; run the same command again to retry this story (finished ones are "
               "skipped); if it fails again, run newsprism analyze on its articles and report the error")


@dataclass(frozen=True)
class StoryFailure:
    """A story whose analysis raised: which story, its articles, the error and where it came from.

    >>> f = StoryFailure("story-1", ("a", "b"), "ValueError: no digits", "units.py:12 in parse")
    >>> str(f).split(" (fix:")[0]
    'story story-1 (2 articles: a, b): ValueError: no digits (at units.py:12 in parse)'
    >>> StoryFailure.from_json(f.to_json()) == f
    True
    """

    story: str
    articles: tuple[str, ...]
    problem: str
    where: str = ""
    fix: str = FAILURE_FIX

    @classmethod
    def of(cls, story_id: str, rows: Sequence[Mapping[str, Any]], exc: BaseException) -> StoryFailure:
        """The failure of ``story_id`` (its ``rows``) by ``exc``, with the innermost frame it was raised in."""
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
        problem = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        return cls(story_id, tuple(str(r["aid"]) for r in sorted(rows, key=lambda r: int(r["seq"]))),
                   problem[:500], where)

    def __str__(self) -> str:
        shown = ", ".join(self.articles[:5]) + (f", ... ({len(self.articles) - 5} more)" if len(self.articles) > 5
                                                 else "")
        at = f" (at {self.where})" if self.where else ""
        return f"story {self.story} ({len(self.articles)} articles: {shown}): {self.problem}{at} (fix: {self.fix})"

    def to_json(self) -> dict[str, Any]:
        """As ``batch.json`` keeps it."""
        return {"story": self.story, "articles": list(self.articles), "problem": self.problem, "where": self.where,
                "fix": self.fix}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoryFailure:
        """Back from :meth:`to_json`."""
        return cls(str(data["story"]), tuple(data["articles"]), str(data["problem"]), str(data.get("where", "")),
                   str(data.get("fix", FAILURE_FIX)))


#: what an engine yields for each story: its report files, None when the worker wrote them into
#: the output folder itself (shared storage), or why its analysis failed
StoryOutcome = dict[str, str | bytes] | None | StoryFailure


def story_of_rows(story_id: str, rows: Sequence[Mapping[str, Any]]) -> tuple[Story, list[InputOut]]:
    """The Story (articles under their batch ids, in input order first, then ``make_story``'s) and
    the report's ``inputs``: one per article, saying what a duplicate duplicates."""
    from newsprism.pipeline import make_story
    from newsprism.report.schema import InputOut

    articles, inputs = [], []
    for r in sorted(rows, key=lambda r: int(r["seq"])):
        a = article_from_json(r["article"])
        if a.id != r["aid"]:
            a = replace(a, id=r["aid"])
        articles.append(a)
        note = None
        if r.get("dup_of"):
            note = f"{r['dup_kind']} duplicate of {r['dup_of']} (similarity {float(r['dup_sim']):.2f})"
        inputs.append(InputOut(source=a.source or a.id, status="ok", article_ids=[a.id], code=None, message=note))
    return make_story(articles, story_id=story_id), inputs


def analyze_rows(story_id: str, rows: Sequence[Mapping[str, Any]], *, embedder: Embedder | None = None,
                 formats: Sequence[str] = REPORT_FORMATS) -> dict[str, str | bytes]:
    """The report files of one story (``{file name: text or bytes}``): ``formats`` and the Parquet tables."""
    from newsprism.pipeline import analyze_story
    from newsprism.report.write import render_reports

    story, inputs = story_of_rows(story_id, rows)
    _, report = analyze_story(story, embedder=embedder, inputs=inputs)
    return render_reports(report, [*formats, "parquet"])


class StoryWorker:
    """Analyses stories with models loaded once (spaCy, the embedder), for a worker's whole life.

    ``threads``: the embedder's threads (a worker given one core should not use two).
    """

    def __init__(self, *, threads: int | None = None, formats: Sequence[str] = REPORT_FORMATS) -> None:
        from newsprism.nlp.embeddings import OnnxMiniLM
        from newsprism.nlp.spacy_pipeline import load as load_spacy

        self.embedder = OnnxMiniLM(threads=threads)
        self.formats = tuple(formats)
        load_spacy()
        self.embedder.embed(["."])  # the ONNX session loads here, not in the first story

    def __call__(self, story_id: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, str | bytes]:
        return analyze_rows(story_id, rows, embedder=self.embedder, formats=self.formats)

    def try_story(self, story_id: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, str | bytes] | StoryFailure:
        """The story's report files, or a :class:`StoryFailure` when its analysis raised: one bad
        story must not stop a batch of thousands. A missing model is raised, not recorded (every
        story would fail the same way: the batch stops, naming the package to install)."""
        from newsprism.errors import ModelUnavailableError

        try:
            return self(story_id, rows)
        except ModelUnavailableError:
            raise
        except Exception as exc:  # the boundary around one story: anything it raises is that story's failure
            return StoryFailure.of(story_id, rows, exc)
