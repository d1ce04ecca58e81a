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

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from newsprism.model import Story
from newsprism.scale.shards import article_from_json

if TYPE_CHECKING:
    from newsprism.nlp.vectors import Embedder
    from newsprism.report.schema import InputOut

__all__ = ["REPORT_FORMATS", "StoryWorker", "analyze_rows", "story_of_rows"]

#: what each story's folder gets: the three reports and its tables (Parquet) for the batch tables
REPORT_FORMATS: tuple[str, ...] = ("json", "md", "html")


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
