"""The units the cross-article analyses compare: each content sentence of each article,
with the evidence the aligner reads (embedding row, content lemmas, entity keys, numbers).

Built once per story from the annotations; nothing here calls a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from newsprism.model import Annotation, Article, Story
from newsprism.nlp.embeddings import TokenVectors
from newsprism.text.words import HONORIFICS, STOP_WORDS

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
# Words too common in news to be evidence of the same fact: the stop words, a few more function words,
# attribution ("told", "according"), honorifics ("miss" is a verb too; "mx" is not in the list this was
# tuned with), and "new", "one", "two"
_NEWS_STOP = (
    STOP_WORDS
    | frozenset("after before whom whose why told according new one two".split())
    | (HONORIFICS - {"miss", "mx"})
)


@dataclass(frozen=True, slots=True)
class Unit:
    """One comparable sentence: ``index`` is its row in the story-wide embedding matrix."""

    index: int
    article_id: str
    article_pos: int  # position of the article in the story
    sentence_pos: int  # position among the article's content sentences
    n_sentences: int  # content sentences in that article
    start: int
    end: int
    text: str
    terms: frozenset[str]
    entities: frozenset[str]
    numbers: frozenset[float]
    #: the sentence's word pieces with their vectors, when the embedder gave them
    token_vectors: TokenVectors | None = field(default=None, compare=False, repr=False)
    #: the embedder behind the embedding row and the word pieces (``Embedder.name``)
    embedder: str | None = field(default=None, compare=False, repr=False)

    @property
    def relative_position(self) -> float:
        """0.0 for an article's first content sentence, 1.0 for its last."""
        return self.sentence_pos / max(1, self.n_sentences - 1)


def _terms(doc: object, start: int, end: int, text: str) -> frozenset[str]:
    """Content lemmas of ``text`` (spaCy lemmas when a Doc is there, lower-cased words otherwise)."""
    if doc is not None:
        span = doc.char_span(start, end, alignment_mode="expand")  # type: ignore[attr-defined]
        if span is not None:
            return frozenset(
                t.lemma_.lower() for t in span
                if t.is_alpha or t.like_num
                if not t.is_stop and t.lower_ not in _NEWS_STOP and len(t.text) > 1
            )
    return frozenset(w.lower() for w in _WORD.findall(text) if w.lower() not in _NEWS_STOP)


def entity_key(text: str, label: str) -> str:
    """A matching key for an entity: a person's surname, otherwise the lower-cased name.

    >>> entity_key("Councilmember Dana Ortiz", "PERSON"), entity_key("the Brenmoor Council", "ORG")
    ('ortiz', 'brenmoor council')
    """
    words = [w for w in re.findall(r"[\w’'-]+", text.lower()) if w not in ("the", "'s", "’s")]
    if not words:
        return text.lower()
    return words[-1] if label == "PERSON" else " ".join(words)


def story_units(story: Story) -> tuple[list[Unit], np.ndarray]:
    """All content (non-artifact) sentences of the story and their embedding rows, in one matrix."""
    units: list[Unit] = []
    rows: list[np.ndarray] = []
    for pos, article in enumerate(story.articles):
        ann = story.annotation(article.id)
        content = [(k, s) for k, s in enumerate(ann.sentences) if not s.artifact]
        emb = np.asarray(ann.embeddings, dtype=np.float32) if ann.embeddings is not None else None
        pieces = ann.token_vectors if isinstance(ann.token_vectors, tuple) else None
        for n, (k, s) in enumerate(content):
            start = s.start + _bullet_len(article.text, s.start, s.end)
            text = article.text[start:s.end]
            units.append(Unit(
                index=len(units), article_id=article.id, article_pos=pos, sentence_pos=n,
                n_sentences=len(content), start=start, end=s.end, text=text,
                terms=_terms(ann.doc, start, s.end, text),
                entities=_entities_in(ann, s.start, s.end),
                numbers=_numbers_in(ann, s.start, s.end),
                token_vectors=pieces[k] if pieces is not None else None,
                embedder=ann.embedder,
            ))
            if emb is not None:
                rows.append(emb[k])
    dim = rows[0].shape[0] if rows else 0
    matrix = np.vstack(rows) if rows else np.zeros((0, dim), dtype=np.float32)
    return units, matrix


_BULLET = re.compile(r"[•·▪‣◦*\-–—]\s+")


def _bullet_len(text: str, start: int, end: int) -> int:
    """Length of a list-bullet prefix ("• ", "- ") the claim text should not start with."""
    m = _BULLET.match(text, start, end)
    return m.end() - start if m else 0


def _entities_in(ann: Annotation, start: int, end: int) -> frozenset[str]:
    return frozenset(
        entity_key(e.text, e.label) for e in ann.entities
        if start <= e.start and e.end <= end and e.label in ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP",
                                                              "EVENT", "LAW", "PRODUCT")
    )


def _numbers_in(ann: Annotation, start: int, end: int) -> frozenset[float]:
    return frozenset(
        q.value for q in ann.quantities
        if start <= q.start and q.end <= end and q.value is not None and q.kind not in ("date", "time")
    )


def article_of(units: list[Unit]) -> dict[str, list[Unit]]:
    """Units grouped by article id, in order."""
    out: dict[str, list[Unit]] = {}
    for u in units:
        out.setdefault(u.article_id, []).append(u)
    return out


def unit_span(story: Story, unit: Unit) -> tuple[Article, int, int]:
    return story.article(unit.article_id), unit.start, unit.end
