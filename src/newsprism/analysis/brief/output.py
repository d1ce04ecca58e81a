"""What the brief returns (sentences with their citations, disputed points, single-source claims,
dropped sentences) and the word budget that the extractive brief, the abstractive mode and the
benchmark's baselines share.

>>> fits_budget(total=150, words=12, length=160)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from newsprism.analysis.brief.wording import word_count
from newsprism.model import Span

#: default length of the brief, in words
DEFAULT_LENGTH = 160


@dataclass(frozen=True)
class BriefSentence:
    """One sentence of the brief.

    ``cites`` are claim ids, ``sources`` the ids of the articles that state it (its own article
    first), ``spans`` the sentences it rests on, one per source, its own first. ``single_source``
    is True when the sources are one article or articles that copy one another.
    ``details`` are numbers or names inside it that no other outlet gives; ``disputed`` the ids
    of contradictions that touch it.
    """

    text: str
    cites: tuple[str, ...]
    sources: tuple[str, ...]
    spans: tuple[Span, ...]
    single_source: bool
    independent_sources: int = 1
    details: tuple[Span, ...] = ()
    disputed: tuple[str, ...] = ()

    @property
    def words(self) -> int:
        return word_count(self.text)


@dataclass(frozen=True)
class DisputedSide:
    """One position in a contradiction: the value as written, the outlets taking it, where."""

    value: str
    articles: tuple[str, ...]
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class DisputedPoint:
    """A contradiction shown beneath the brief, majority side first."""

    id: str
    kind: str
    subject: str
    sides: tuple[DisputedSide, ...]
    why: str = ""


@dataclass(frozen=True)
class SingleSourceClaim:
    """A claim only one outlet (or one group of copies) reports, worth checking before use."""

    claim: str
    text: str
    spans: tuple[Span, ...]
    sources: tuple[str, ...]
    why: str = ""


@dataclass(frozen=True)
class DroppedSentence:
    """A generated sentence left out of the brief, and why (abstractive mode only)."""

    text: str
    cites: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Brief:
    """The neutral brief of a story and what stands beneath it.

    ``mode`` is ``extractive`` (the articles' own sentences) or ``abstractive`` (written by a
    language model, every sentence checked). ``notes`` say what went differently from what was
    asked (an unreachable model, a budget no sentence fits).
    """

    sentences: tuple[BriefSentence, ...]
    disputed: tuple[DisputedPoint, ...] = ()
    single_source_claims: tuple[SingleSourceClaim, ...] = ()
    dropped: tuple[DroppedSentence, ...] = ()
    length: int = DEFAULT_LENGTH
    mode: Literal["extractive", "abstractive"] = "extractive"
    notes: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        """The brief as one paragraph."""
        return " ".join(s.text for s in self.sentences)

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sentences)


# --- the length budget, shared with the benchmark's baselines ------------------------------------


def budget_slack(length: int) -> int:
    """How far past ``length`` words the brief may run to fit one more whole sentence."""
    return max(5, round(0.1 * length))


def fits_budget(total: int, words: int, length: int) -> bool:
    """Whether a sentence of ``words`` words may follow ``total`` words in a ``length``-word brief.

    >>> fits_budget(150, 14, 160), fits_budget(150, 30, 160), fits_budget(0, 40, 160)
    (True, False, True)
    """
    return total + words <= length + budget_slack(length)


def budget_full(total: int, length: int) -> bool:
    """No sentence worth adding fits any more (fewer than 6 words left)."""
    return total >= length - 5

