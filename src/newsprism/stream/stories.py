"""A story in the store -> the report ``newsprism analyze`` writes, with its edits in the notes.

:func:`analyze_stored_story` builds the ``Story`` from the store's current versions of a story's
articles (duplicates included: provenance needs them), runs the same pipeline as ``analyze``
(``newsprism.pipeline.analyze_story``), and adds one note per edited article: its word diff and
the claims that appeared, vanished or changed support (``newsprism.stream.edits``).

>>> import tempfile, pathlib
>>> from newsprism.stream.store import Store
>>> with Store(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite3") as store:
...     analyze_stored_story(store, "story-404")
Traceback (most recent call last):
...
KeyError: 'story-404'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsprism.model import Story

if TYPE_CHECKING:
    from newsprism.analysis.brief.llm import ChatModel
    from newsprism.nlp.embeddings import Embedder
    from newsprism.pipeline import AnalysisRun, Progress
    from newsprism.report.schema import InputOut
    from newsprism.stream.store import Store

__all__ = ["analyze_stored_story", "stored_story"]


def stored_story(store: Store, story_id: str, *, title: str | None = None) -> tuple[Story, list[InputOut]]:
    """The ``Story`` of ``story_id`` (current versions) and the report's ``inputs`` for it: one per
    article, saying where it came from, its version and, for a duplicate, what it duplicates.
    KeyError when the store has no such story."""
    from newsprism.pipeline import make_story
    from newsprism.report.schema import InputOut

    ids = store.story_article_ids(story_id)
    articles = [store.article(i) for i in ids]
    inputs = []
    for a in articles:
        versions = store.versions(a.id)
        link = store.duplicate_link(a.id)
        what = [f"from the store, version {len(versions)} (first seen {versions[0].seen})"]
        if link is not None:
            what.append(f"{link.kind} duplicate of {link.canonical_id} (similarity {link.similarity:.2f})")
        inputs.append(InputOut(source=a.url or a.source or a.id, status="ok", article_ids=[a.id], code=None,
                               message="; ".join(what)))
    return make_story(articles, story_id=story_id, title=title), inputs


def analyze_stored_story(store: Store, story_id: str, *, embedder: Embedder | None = None,
                         progress: Progress | None = None, title: str | None = None, brief_length: int | None = None,
                         llm: ChatModel | None = None, judge_support: bool = False,
                         edits: bool = True) -> AnalysisRun:
    """Analyse a stored story as ``newsprism analyze`` would (see the module docs); ``edits``: add
    the edit notes (their claim comparison analyses the previous versions too)."""
    from newsprism.analysis.brief import DEFAULT_LENGTH
    from newsprism.pipeline import AnalysisRun, analyze_story
    from newsprism.stream.edits import edit_notes, story_edits

    story, inputs = stored_story(store, story_id, title=title)
    story, report = analyze_story(story, embedder=embedder, progress=progress, inputs=inputs,
                                  brief_length=brief_length or DEFAULT_LENGTH, llm=llm, judge_support=judge_support)
    if edits:
        notes = edit_notes(story_edits(store, story, embedder=embedder))
        if notes:
            report = report.model_copy(update={"notes": [*report.notes, *notes]})
    return AnalysisRun(report=report, story=story, errors=())
