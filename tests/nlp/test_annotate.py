"""annotate() end to end on two small fictional articles."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from newsprism.model import Article, Artifact
from newsprism.nlp import STAGES, annotate
from newsprism.nlp.embeddings import Embedder

GAZETTE = (
    "By Jo Lee\n\n"
    "The Harbor City council voted 7-2 on Tuesday to build a $4.8 million seawall along Front Street. "
    "“We are ready,” said Mayor Ana Ruiz. About 300 residents attended.\n\n"
    "Work starts in April."
)
COAST = "Council members approved the seawall, which will cost nearly $5 million. The vote was 7-2."


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return [
        Article.create(
            id="gazette",
            outlet="Harbor Gazette",
            text=GAZETTE,
            published=datetime(2026, 3, 4, 8, 0),
            artifacts=(Artifact(0, 9, "byline"),),
        ),
        Article.create(id="coast", outlet="Coast Daily", text=COAST),
    ]


def test_annotate_two_articles(articles: list[Article], embedder: Embedder) -> None:
    calls: list[tuple[str, int, int]] = []
    gazette, coast = annotate(articles, embedder=embedder, n_process=1, progress=lambda *a: calls.append(a))
    assert (gazette.article_id, coast.article_id) == ("gazette", "coast")

    texts = [GAZETTE[s.start : s.end] for s in gazette.sentences]
    assert texts == [
        "By Jo Lee",
        "The Harbor City council voted 7-2 on Tuesday to build a $4.8 million seawall along Front Street.",
        "“We are ready,” said Mayor Ana Ruiz.",
        "About 300 residents attended.",
        "Work starts in April.",
    ]
    assert [s.artifact for s in gazette.sentences] == [True, False, False, False, False]
    assert [s.paragraph for s in gazette.sentences] == [0, 1, 1, 1, 2]

    for ann, text in ((gazette, GAZETTE), (coast, COAST)):
        assert isinstance(ann.embeddings, np.ndarray)
        assert ann.embeddings.shape == (len(ann.sentences), embedder.dim)
        assert ann.doc is not None and ann.doc.text == text
        for e in ann.entities:
            assert text[e.start : e.end] == e.text
        for q in ann.quantities:
            assert text[q.start : q.end] == q.text

    kinds = {(q.text, q.kind) for q in gazette.quantities}
    assert {("7-2", "score"), ("$4.8 million", "money"), ("About 300", "cardinal")} <= kinds
    tuesday = next(q for q in gazette.quantities if q.text == "Tuesday")
    assert tuesday.iso == "2026-03-03"
    assert any(q.text == "nearly $5 million" and q.approximate for q in coast.quantities)
    assert all(e.label not in {"CARDINAL", "DATE", "MONEY"} for e in gazette.entities)

    # same sentence, same vector, whichever article and batch it came in
    single = embedder.embed([GAZETTE[gazette.sentences[2].start : gazette.sentences[2].end]])
    assert np.abs(single[0] - gazette.embeddings[2]).max() < 1e-4

    stages = [c[0] for c in calls]
    assert sorted(set(stages), key=stages.index) == list(STAGES)
    assert ("embed", 7, 7) in calls and ("parse", 2, 2) in calls


def test_order_in_is_order_out(articles: list[Article], embedder: Embedder) -> None:
    forward = annotate(articles, embedder=embedder, n_process=1)
    backward = annotate(articles[::-1], embedder=embedder, n_process=1)
    assert [a.article_id for a in backward] == ["coast", "gazette"]
    assert backward[1].sentences == forward[0].sentences
    assert backward[1].quantities == forward[0].quantities
    assert np.abs(backward[1].embeddings - forward[0].embeddings).max() < 1e-4


def test_empty_article_and_empty_input(embedder: Embedder) -> None:
    (ann,) = annotate([Article.create(id="e", outlet="X", text="")], embedder=embedder, n_process=1)
    assert ann.sentences == () and ann.embeddings.shape == (0, embedder.dim)
    assert annotate([], embedder=embedder) == ()


def test_word_piece_vectors_per_sentence(articles: list[Article], embedder: Embedder) -> None:
    ann = annotate(articles, embedder=embedder)
    for a in ann:
        assert isinstance(a.token_vectors, tuple) and len(a.token_vectors) == len(a.sentences)
    text = articles[1].text
    first = ann[1].sentences[0]
    assert "".join(p.removeprefix("##") for p in ann[1].token_vectors[0].pieces) == \
        "".join(text[first.start:first.end].lower().split())


def test_an_embedder_without_word_pieces_leaves_them_out(articles: list[Article], embedder: Embedder) -> None:
    class PooledOnly:
        name, dim = "pooled-only", embedder.dim

        def embed(self, texts: list[str]) -> np.ndarray:
            return embedder.embed(texts)

    ann = annotate(articles, embedder=PooledOnly())
    assert all(a.token_vectors is None for a in ann)
    assert ann[0].embeddings.shape[1] == embedder.dim


def test_a_long_story_embeds_in_steps_and_keeps_every_sentence_in_place(embedder: Embedder) -> None:
    # 150 sentences of many lengths: the embed stage reports several real counts (not 0 then all),
    # and the length-ordered slices still give each sentence its own vector, in text order
    words = "harbour ferry storm council pier tide crew cargo"
    lines = [" ".join(words.split()[: 1 + i % 8]).capitalize() + f" number {i} sailed." for i in range(150)]
    art = Article.create(id="long", outlet="Tarrow Times", text=" ".join(lines))
    calls: list[tuple[str, int, int]] = []
    (ann,) = annotate([art], embedder=embedder, n_process=1, progress=lambda *a: calls.append(a))
    steps = [done for stage, done, total in calls if stage == "embed"]
    assert len(ann.sentences) == 150 and steps[0] == 0 and steps[-1] == 150 and len(steps) >= 3
    assert steps == sorted(steps)
    texts = [art.text[s.start : s.end] for s in ann.sentences]
    alone = embedder.embed([texts[0], texts[77], texts[149]])
    assert np.abs(alone - ann.embeddings[[0, 77, 149]]).max() < 1e-4
    assert ann.token_vectors is not None and ann.token_vectors[77].pieces[-3:] == ("77", "sailed", ".")


def test_docs_keep_the_parse_and_drop_the_unread_tok2vec_tensor(articles: list[Article], embedder: Embedder,
                                                                nlp: object) -> None:
    gazette, _ = annotate(articles, embedder=embedder, n_process=1)
    with nlp.select_pipes(disable=["newsprism_drop_tensor"]):  # type: ignore[attr-defined]
        fresh = nlp(GAZETTE)  # type: ignore[operator]
    assert fresh.tensor.size > 0  # the pipeline does make one
    doc = gazette.doc
    assert doc.tensor.size == 0 and not doc.has_vector
    # what the analyses read is the pipeline's own
    assert [(t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in doc] == \
        [(t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in fresh]
    assert [s.text for s in doc.sents] == [s.text for s in fresh.sents]
