"""Annotate articles: sentences, entities, quantities and sentence embeddings, batched.

"Scoring reads, annotating writes": the two expensive model calls (one ``nlp.pipe`` over all
articles, one ``embed`` over all their sentences) run first, in batches; the frozen
``Annotation`` objects are built from their results afterwards.

>>> annotate([])
()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

import numpy as np

from newsprism.model import Annotation, Article, Entity, Sentence
from newsprism.nlp.embeddings import Embedder, TokenEmbedder, TokenVectors, get_embedder
from newsprism.nlp.quantities import NUMERIC_LABELS, extract_quantities
from newsprism.nlp.spacy_pipeline import parse
from newsprism.text.sentences import split_sentences

__all__ = ["STAGES", "Progress", "annotate", "sentences_of"]

#: ``progress(stage, done, total)``: called as each stage advances (for a CLI progress bar).
Progress = Callable[[str, int, int], None]
#: The stages ``annotate`` reports, in order; ``total`` counts articles except for "embed" (sentences).
#: (:func:`newsprism.pipeline.analyze_story` loads the models first, as a stage "models" of its own.)
STAGES = ("sentences", "parse", "quantities", "embed")

# Embed in slices so a progress bar moves: about 20 steps a run, at least 64 and at most 2048
# sentences a slice. Each slice is still one length-sorted batched call, so slicing costs next to nothing.
_EMBED_SLICE = 2048
_EMBED_STEPS = 20
_EMBED_MIN_SLICE = 64


def sentences_of(article: Article) -> tuple[Sentence, ...]:
    """The article's sentences, each marked ``artifact`` when it lies in a marked non-article line.

    >>> a = Article.create(id="a", outlet="X", text="By Jo Lee\\n\\nThe pier reopened. Crowds came.")
    >>> [(a.text[s.start:s.end], s.paragraph) for s in sentences_of(a)]
    [('By Jo Lee', 0), ('The pier reopened.', 1), ('Crowds came.', 1)]
    """
    return tuple(
        Sentence(start, end, paragraph, article.is_artifact(start, end))
        for start, end, paragraph in split_sentences(article.text, article.paragraphs or None)
    )


def _report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def annotate(
    articles: Sequence[Article],
    *,
    embedder: Embedder | None = None,
    n_process: int | None = None,
    progress: Progress | None = None,
) -> tuple[Annotation, ...]:
    """Annotate ``articles``; one ``Annotation`` per article, in the same order.

    ``embedder`` defaults to :func:`newsprism.nlp.embeddings.get_embedder` (``minilm-onnx``);
    ``n_process`` is passed to spaCy (None: decided by the amount of text).
    Raises ``ModelUnavailableError`` when a model package is missing.
    """
    n = len(articles)
    if n == 0:
        return ()
    embedder = embedder or get_embedder()

    # 1. sentences (pure Python, per article)
    _report(progress, "sentences", 0, n)
    sentences: list[tuple[Sentence, ...]] = []
    for i, article in enumerate(articles, 1):
        sentences.append(sentences_of(article))
        _report(progress, "sentences", i, n)

    # 2. one spaCy pass over every distinct text: copies of one text (a wire story run word for
    # word by several outlets) share its parse, which the analyses only read (issue 17)
    slot_of: dict[str, int] = {}
    slots = [slot_of.setdefault(a.text, len(slot_of)) for a in articles]
    _report(progress, "parse", 0, n)
    parsed = []
    for i, doc in enumerate(parse(list(slot_of), n_process=n_process), 1):
        parsed.append(doc)  # without spaCy's tok2vec output (56 MB at 200 articles): nlp/spacy_fastpath.py
        _report(progress, "parse", i if i < len(slot_of) else n, n)
    docs = [parsed[k] for k in slots]

    # 3. entities and quantities read off the parses
    _report(progress, "quantities", 0, n)
    entities: list[tuple[Entity, ...]] = []
    quantities = []
    for i, (article, doc) in enumerate(zip(articles, docs, strict=True), 1):
        # numbers and dates are Quantities (normalised); Entities are the named things
        entities.append(
            tuple(
                Entity(e.start_char, e.end_char, e.label_, e.text)
                for e in doc.ents
                if e.label_ not in NUMERIC_LABELS and e.text.strip()
            )
        )
        quantities.append(tuple(extract_quantities(article.text, doc, article.published)))
        _report(progress, "quantities", i, n)

    # 4. every sentence of every article in one batched embedding call (sliced for progress)
    texts = [a.text[s.start : s.end] for a, sents in zip(articles, sentences, strict=True) for s in sents]
    total = len(texts)
    _report(progress, "embed", 0, total)
    vectors = np.zeros((total, embedder.dim), dtype=np.float32)
    # word-piece vectors come free with the same model pass where the embedder offers them
    token_embedder = embedder if isinstance(embedder, TokenEmbedder) else None
    pieces: list[TokenVectors] | None = [] if token_embedder is not None else None
    found: dict[int, TokenVectors] = {}
    # Slices of the texts in length order: each slice holds texts of like length, so cutting the
    # call into slices (for the progress bar) adds almost no padding over one call.
    order = sorted(range(total), key=lambda i: len(texts[i]))
    step = max(_EMBED_MIN_SLICE, min(_EMBED_SLICE, -(-total // _EMBED_STEPS)))
    for lo in range(0, total, step):
        rows = order[lo : lo + step]
        chunk = [texts[i] for i in rows]
        if token_embedder is not None:
            pooled, toks = cast(TokenEmbedder, token_embedder).embed_with_tokens(chunk)
            found.update(zip(rows, toks, strict=True))
        else:
            pooled = embedder.embed(chunk)
        vectors[rows] = np.asarray(pooled, dtype=np.float32)
        _report(progress, "embed", lo + len(chunk), total)
    if pieces is not None:
        pieces.extend(found[i] for i in range(total))

    # 5. build the frozen results
    out: list[Annotation] = []
    row = 0
    for article, sents, ents, qs, doc in zip(articles, sentences, entities, quantities, docs, strict=True):
        out.append(
            Annotation(
                article_id=article.id,
                sentences=sents,
                entities=ents,
                quantities=qs,
                embeddings=vectors[row : row + len(sents)],
                doc=doc,
                embedder=embedder.name,
                token_vectors=tuple(pieces[row : row + len(sents)]) if pieces is not None else None,
            )
        )
        row += len(sents)
    return tuple(out)
