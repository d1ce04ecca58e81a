"""One report per story, when the articles given cover several (``newsprism analyze --split-stories``).

The pipeline warns when the articles fall into groups that share no claims
(:func:`newsprism.analysis.claims.coherence.story_groups`); this module finds those groups in a
finished report and analyses each group again as a story of its own, so the matrix and the brief of
each report speak of one story.

>>> from newsprism.report.schema import ArticleOut, Claim, Report, StoryOut
>>> arts = [ArticleOut(id=i, outlet=i.upper(), text="x") for i in ("a", "b", "c")]
>>> same = [Claim(id=f"c{n}", text="x", spans=[], sources=["a", "b"]) for n in range(2)]
>>> report_story_groups(Report(story=StoryOut(id="s", articles=arts), claims=same))
[['a', 'b'], ['c']]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsprism.analysis.claims.coherence import story_groups

if TYPE_CHECKING:
    from newsprism.analysis.brief.llm import ChatModel
    from newsprism.nlp.embeddings import Embedder
    from newsprism.pipeline import AnalysisRun, Progress
    from newsprism.report.schema import Report

__all__ = ["StoryPart", "report_story_groups", "split_stories"]


@dataclass(frozen=True)
class _Linked:
    """A report claim as :func:`story_groups` reads it: its sources and (article, level, span) support."""

    sources: tuple[str, ...]
    support: tuple[tuple[str, str, None], ...]


@dataclass(frozen=True)
class StoryPart:
    """One story found among the inputs: its articles (ids, in the report's order) and its own report."""

    articles: tuple[str, ...]
    report: Report


def report_story_groups(report: Report) -> list[list[str]]:
    """The report's articles in groups that share claims: one group when they cover one story."""
    claims = [_Linked(tuple(c.sources), tuple((s.article, s.level, None) for s in c.support))
              for c in report.claims]
    return story_groups([a.id for a in report.story.articles], claims)


def split_stories(run: AnalysisRun, groups: Sequence[Sequence[str]], *, embedder: Embedder | None = None,
                  progress: Progress | None = None, brief_length: int | None = None,
                  llm: ChatModel | None = None, judge_support: bool = False) -> list[StoryPart]:
    """Analyse each group of ``run``'s articles as a story of its own (its title: its earliest headline).

    Each part's report lists the inputs that gave its articles, and every input that gave none
    (a failed or skipped one), so no report hides a failure of the run.
    """
    from newsprism.analysis.brief import DEFAULT_LENGTH
    from newsprism.pipeline import analyze_story, make_story

    if run.story is None or run.report is None:
        return []
    parts = []
    for group in groups:
        members = set(group)
        story = make_story([run.story.article(a) for a in group])
        inputs = [i.model_copy(update={"article_ids": [a for a in i.article_ids if a in members]})
                  for i in run.report.inputs if not i.article_ids or members & set(i.article_ids)]
        _, report = analyze_story(story, embedder=embedder, progress=progress, inputs=inputs,
                                  brief_length=brief_length or DEFAULT_LENGTH, llm=llm, judge_support=judge_support)
        parts.append(StoryPart(tuple(a.id for a in report.story.articles), report))
    return parts
