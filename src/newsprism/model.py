"""The few central types every stage passes along: Span, Artifact, Article, Story.

All are frozen: a stage never edits its input, it returns new objects
(``dataclasses.replace``). Offsets are character offsets into ``Article.text``,
so every output can be traced back to, and highlighted in, the article it came from.

>>> a = Article.create(id="a1", outlet="Example Times", text="First line.\\n\\nSecond one.")
>>> a.paragraphs
((0, 11), (13, 24))
>>> s = a.span(13, 24)
>>> s.text
'Second one.'
>>> a.text[s.start:s.end] == s.text
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

ArtifactKind = Literal[
    "headline",  # the headline, or a subheadline/dek, standing in the body
    "repeated_headline",  # the same headline a second time
    "caption",  # an image caption or photo credit left in the body
    "section_label",  # "At a Glance", a subheading between paragraphs
    "byline",  # "By Jane Doe", "Jane Doe | Reporter"
    "dateline_stamp",  # "Published 3:04 p.m. ET Dec. 3, 2024", "Updated ..."
    "read_more",  # "Read more: ...", "RELATED: ...", "Click here ..."
    "newsletter",  # "Sign up for our newsletter ...", "Subscribe ..."
]

ARTIFACT_KINDS: tuple[str, ...] = ArtifactKind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one article's text: ``article.text[start:end] == text``."""

    article_id: str
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets {self.start}:{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError("span text length does not match its offsets")


@dataclass(frozen=True, slots=True)
class Artifact:
    """A non-article line found in a body (caption, byline, ...): marked, never deleted."""

    start: int
    end: int
    kind: str
    why: str = ""


_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]*)*")


def paragraph_offsets(text: str) -> tuple[tuple[int, int], ...]:
    """Offsets of the blocks of ``text`` separated by blank lines (lines of a block stay together)."""
    out = []
    for m in _PARAGRAPH.finditer(text):
        chunk = m.group(0)
        stripped = chunk.strip()
        if not stripped:
            continue
        start = m.start() + (len(chunk) - len(chunk.lstrip()))
        out.append((start, start + len(stripped)))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Article:
    """One outlet's article, its text normalised (see ``newsprism.text.normalize``).

    ``source`` is where it came from (file path, URL, ``file.jsonl:3``), kept for error
    messages and the report's input list.
    """

    id: str
    outlet: str
    text: str
    title: str | None = None
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    source: str = ""
    paragraphs: tuple[tuple[int, int], ...] = ()
    artifacts: tuple[Artifact, ...] = ()

    @classmethod
    def create(cls, *, id: str, outlet: str, text: str, **kw: object) -> Article:
        """Build an Article, deriving ``paragraphs`` from ``text`` unless given."""
        if "paragraphs" not in kw:
            kw["paragraphs"] = paragraph_offsets(text)
        return cls(id=id, outlet=outlet, text=text, **kw)  # type: ignore[arg-type]

    def span(self, start: int, end: int) -> Span:
        """The Span of ``text[start:end]`` in this article."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside article {self.id!r} (len {len(self.text)})")
        return Span(self.id, start, end, self.text[start:end])

    def is_artifact(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies wholly inside a marked artifact."""
        return any(a.start <= start and end <= a.end for a in self.artifacts)

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Story:
    """The articles on one story, in a stable order (by id), with an optional title."""

    id: str
    articles: tuple[Article, ...]
    title: str | None = None
    annotations: tuple[Annotation, ...] = ()
    notes: tuple[str, ...] = field(default=())
    # looked up by id from every stage, per sentence: a scan of 200 articles each time added up
    # (issue 17); the first of a repeated id wins, as a scan would find it
    _article_at: dict[str, Article] = field(init=False, repr=False, compare=False)
    _annotation_at: dict[str, Annotation] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_article_at", {a.id: a for a in reversed(self.articles)})
        object.__setattr__(self, "_annotation_at", {a.article_id: a for a in reversed(self.annotations)})

    def annotation(self, article_id: str) -> Annotation:
        return self._annotation_at[article_id]  # KeyError(article_id) when absent

    def article(self, article_id: str) -> Article:
        return self._article_at[article_id]


# --- per-article annotations (written by newsprism.nlp.annotate) ---------------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article; ``artifact`` is True when it lies in a marked artifact line."""

    start: int
    end: int
    paragraph: int
    artifact: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity (spaCy label: PERSON, ORG, GPE, ...)."""

    start: int
    end: int
    label: str
    text: str


QuantityKind = Literal["cardinal", "money", "percent", "quantity", "ordinal", "date", "time", "score"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number, amount, date or vote written in the text, normalised to a value.

    ``value`` is the number (1.3 million -> 1300000.0; 13-0 -> 13.0 with ``value2`` 0.0;
    ``value2`` is also the top of a range: "10-20", "between 10 and 20");
    ``iso`` is the resolved date/time (``2024-12-03``) where one can be fixed;
    ``approximate`` marks "about", "nearly", "more than" and the like.
    """

    start: int
    end: int
    text: str
    kind: str
    value: float | None = None
    value2: float | None = None
    unit: str | None = None
    iso: str | None = None
    approximate: bool = False


@dataclass(frozen=True, eq=False)
class Annotation:
    """What annotate() found in one article. ``embeddings`` has one row per sentence
    (unit-normalised float32); ``doc`` is the spaCy Doc for analyses that need the parse;
    ``token_vectors`` (when the embedder gives them) one ``TokenVectors`` per sentence;
    ``embedder`` names the model behind both (the aligner's weights depend on it)."""

    article_id: str
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...]
    quantities: tuple[Quantity, ...]
    embeddings: object = None  # numpy.ndarray, shape (len(sentences), dim)
    doc: object = None  # spacy.tokens.Doc
    token_vectors: object = None  # tuple[newsprism.nlp.embeddings.TokenVectors, ...]
    embedder: str | None = None
