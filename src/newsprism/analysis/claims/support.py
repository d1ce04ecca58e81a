"""Does this sentence state that fact? The support judge behind every mark of the claim matrix.

A claim is one fact worded by one article's sentence. Every other article is judged against that
wording — a star around the claim, not a chain through a cluster — and the judgement is directional:
does the other sentence state what the wording states (all of it that carries information), not
merely share its topic? Evidence read for a (wording ``w``, candidate ``s``) pair:

* the aligner's same-claim probability (:mod:`newsprism.analysis.claims.align`);
* how much of ``w`` is found in ``s``: the IDF-weighted coverage of ``w``'s content word pieces by
  their closest piece in ``s`` (contextual MiniLM vectors), the weakest-covered fifth of them, and
  the share of ``w``'s content words, names and figures that ``s`` repeats;
* how much of ``s`` is found in ``w`` (a much longer ``s`` states more than the claim);
* conflicts, which are never support: a figure of ``w`` that ``s`` replaces with another, a negation
  on one side only, a change of modality ("is expected to" / "is unlikely to" / "will").

The weights were fitted by logistic regression on the claim-support gold's ten ``train`` and six
``tune`` stories (``bench/fit_support.py``; ``bench/gold/claim_support.md``); the six ``test``
stories were never used for fitting. Levels:

=========== ===================================================================================
``states``      probability >= :data:`STATES_THRESHOLD` and no conflict (● in the matrix)
``partial``     probability >= :data:`PARTIAL_THRESHOLD`, no conflict: part of it, or less (◐)
``contradicts`` a conflicting figure, negation or modality in a sentence that otherwise covers ``w``
``related``     the aligner matched a sentence, but it states another fact on the topic
=========== ===================================================================================

Only ``states`` counts as a source: ``sources``, ``independent_sources``, ``omitted_by``, the
single-source list, omission profiles and the brief's citations read it alone.

>>> support_level(0.9, conflict=False), support_level(0.5, False), support_level(0.9, True), support_level(0.1, False)
('states', 'partial', 'contradicts', None)
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np

from newsprism.analysis.claims.align import PieceProfile, profile_classes
from newsprism.analysis.claims.units import Unit
from newsprism.model import Story

__all__ = [
    "FEATURES",
    "JUDGE_WEIGHTS",
    "NEGATION_COVERAGE",
    "PARTIAL_THRESHOLD",
    "STATES_THRESHOLD",
    "Figure",
    "Level",
    "SupportJudge",
    "figure_replaced",
    "support_features",
    "support_level",
    "unit_figures",
]

Level = Literal["states", "partial", "contradicts", "related"]

#: names of the judge's evidence, in the order of :data:`JUDGE_WEIGHTS` (after the bias)
FEATURES = ("aligned", "covered", "weakest", "covers", "words", "names_missing", "figures_missing",
            "figure_conflict", "negation", "modality", "length", "covered_with_next", "weakest_with_next")
_AT = {name: k for k, name in enumerate(FEATURES)}
#: bias, then one weight per feature (``bench/fit_support.py`` refits them on the tune stories)
JUDGE_WEIGHTS: tuple[float, ...] = (-6.65, 2.33, 0.85, -0.23, 0.84, 2.35, 0.17, -0.38, -0.84, 0.02, -0.20, 0.08, 3.17,
                                    -0.03)
#: an article states the claim from this probability up: the lowest giving cell precision >= 0.93 on the
#: stories fitted on (``bench/fit_support.py``: 0.949 on train + tune, recall 0.33)
STATES_THRESHOLD = 0.7
#: below states, an article states part of the claim from this probability up
PARTIAL_THRESHOLD = 0.3

_NEGATION = frozenset("not n't never no neither nor without none nobody nothing".split())
#: negators that flip a predicate ("did not approve"); "without", "no", "nothing" and the like more
#: often sit in a paraphrase ("without competitive bidding" / "landed the contract")
_FLIP = frozenset("not n't never neither nor".split())
#: the kinds of figure whose replacement is a conflict (dates, times, ordinals and bare counts are
#: written too many ways: "Monday" / "March 2", "seven" / "7-2 vote")
_FIGURE_KINDS = frozenset({"money", "percent", "score", "quantity"})
#: a negation on one side is a conflict only in sentences this close (paraphrase flips polarity:
#: "was stable" / "not in imminent danger")
NEGATION_COVERAGE = 0.8

Figure = tuple[str, str, float, float]  # kind, unit, low, high
_MODAL = {
    "expect": "expected", "expected": "expected", "expects": "expected", "likely": "likely",
    "unlikely": "unlikely", "may": "possible", "might": "possible", "could": "possible", "possibly": "possible",
    "plan": "planned", "plans": "planned", "planned": "planned", "planning": "planned", "set": "planned",
    "would": "conditional", "should": "should", "hope": "hoped", "hopes": "hoped", "considering": "considered",
    "considers": "considered", "weighing": "considered", "threatened": "threatened", "threatens": "threatened",
    "poised": "planned", "proposed": "proposed", "proposes": "proposed", "seek": "sought", "seeks": "sought",
}
_WORDS = re.compile(r"[a-z]+(?:n't)?|n't")


def _negations(text: str, words: frozenset[str] = _NEGATION) -> int:
    return sum(w in words for w in _WORDS.findall(text.lower().replace("’", "'")))


def unit_figures(story: Story, units: Sequence[Unit]) -> list[tuple[Figure, ...]]:
    """Each sentence's typed figures (amounts, percentages, scores, measures) as intervals: a hedged
    figure ("about $5 million") spans 10% either way, an exact one 2% (rounding).

    >>> from newsprism.model import Article, Story
    >>> from newsprism.nlp.annotate import annotate
    >>> a = Article.create(id="a", outlet="A", text="The council approved $4.8 million on Tuesday.")
    >>> story = Story(id="s", articles=(a,), annotations=annotate((a,)))
    >>> from newsprism.analysis.claims.units import story_units
    >>> [(k, u, round(lo)) for k, u, lo, hi in unit_figures(story, story_units(story)[0])[0]]
    [('money', 'USD', 4704000)]
    """
    by_article = {ann.article_id: ann.quantities for ann in story.annotations}
    out: list[tuple[Figure, ...]] = []
    for u in units:
        figures = []
        for q in by_article.get(u.article_id, ()):
            if u.start <= q.start and q.end <= u.end and q.kind in _FIGURE_KINDS and q.value is not None:
                if q.kind == "score":  # "7-2" against "6-3": both numbers make the figure
                    score = q.value + (q.value2 or 0.0) / 1000
                    figures.append((q.kind, "", score, score))
                    continue
                top = q.value2 if q.value2 is not None else q.value
                slack = 0.10 if q.approximate else 0.02
                lo, hi = min(q.value, top), max(q.value, top)
                figures.append((q.kind, q.unit or "", lo - slack * abs(lo), hi + slack * abs(hi)))
        out.append(tuple(figures))
    return out


def figure_replaced(a: Sequence[Figure], b: Sequence[Figure]) -> bool:
    """Figures of ``a`` that ``b`` gives other values of the same kind and unit instead, one for one
    ("$4.8 million" / "$8.4 million"): as many unmatched figures of that kind on each side. A sentence
    adding two amounts where the other gives one states other facts ("cost $4.8 million" / "the fund
    held $16 million and will keep $11.2 million").

    >>> usd = lambda v: ("money", "USD", v * 0.98, v * 1.02)
    >>> figure_replaced([usd(4.8e6)], [usd(8.4e6)])
    True
    >>> figure_replaced([usd(4.8e6)], [usd(4.8e6), ("percent", "%", 5, 5)])
    False
    >>> figure_replaced([usd(4.8e6)], [usd(16e6), usd(11.2e6)])
    False
    """
    def lone(xs: Sequence[Figure], others: Sequence[Figure]) -> Counter[tuple[str, str]]:
        return Counter(x[:2] for x in xs if not any(x[:2] == y[:2] and x[2] <= y[3] and y[2] <= x[3] for y in others))

    lone_a, lone_b = lone(a, b), lone(b, a)
    return any(lone_b[key] == n for key, n in lone_a.items())


def _modality(text: str) -> frozenset[str]:
    return frozenset(_MODAL[w] for w in _WORDS.findall(text.lower()) if w in _MODAL)


_OPPOSITE_OF = {"unlikely": {"likely", "expected", "planned"}}


def _opposite(a: frozenset[str], b: frozenset[str]) -> bool:
    """One sentence says a thing is unlikely, the other that it is likely, expected or planned."""
    return any((x in a and ys & b) or (x in b and ys & a) for x, ys in _OPPOSITE_OF.items())


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.05 * max(abs(a), abs(b))


def _coverage(a: PieceProfile | None, b: PieceProfile | None) -> tuple[float, float]:
    """How well ``b`` covers ``a``'s content pieces: IDF-weighted mean of each piece's best cosine in
    ``b``, and the weakest fifth (20th percentile) of those best cosines."""
    if a is None or b is None:
        return 0.0, 0.0
    best = (a.vectors @ b.vectors.T).max(axis=1)
    return float(best @ a.weights / a.total), _fifth(best)


@lru_cache(maxsize=512)
def _fifth_at(n: int) -> tuple[int, int, float]:
    # numpy's "linear" method: its virtual index for q = 0.2, as numpy computes it
    virtual = n * 0.2 + (1 + 0.2 * (1 - 1 - 1)) - 1
    lo = math.floor(virtual)
    return lo, min(lo + 1, n - 1), virtual - lo


def _fifth(values: np.ndarray) -> float:
    """``np.quantile(values, 0.2)`` to the bit for float32 values (the cosines compared here), without
    its general machinery: a tenth of its time, once per sentence pair compared (issue 17).

    >>> v = np.array([0.9, 0.1, 0.5, 0.7, 0.3, 0.2], dtype=np.float32)
    >>> _fifth(v) == float(np.quantile(v, 0.2))
    True
    """
    if values.dtype != np.float32:
        return float(np.quantile(values, 0.2))  # float64 rounds its interpolation otherwise
    lo, hi, t = _fifth_at(values.shape[0])
    part = np.partition(values, (lo, hi))
    a, b = part[lo], part[hi]
    step = b - a
    # numpy's interpolation: from the nearer neighbour
    return float(a + step * t if t < 0.5 else b - step * (1 - t))


def _joined(a: PieceProfile | None, b: PieceProfile | None) -> PieceProfile | None:
    if a is None or b is None:
        return a or b
    return PieceProfile(np.vstack([a.vectors, b.vectors]), np.concatenate([a.weights, b.weights]))


def support_features(w: Unit, s: Unit, aligned: float, pw: PieceProfile | None, ps: PieceProfile | None,
                     idf: dict[str, float], adjacent: Sequence[PieceProfile | None] = ()) -> np.ndarray:
    """The judge's evidence that ``s`` states ``w`` (see :data:`FEATURES`), as a float vector.

    ``adjacent`` are the profiles of the sentences next to ``s`` in its article: an article may state
    a fact over two adjacent sentences ("... on Tuesday." "The vote was 7-2.").
    """
    covered, weakest = _coverage(pw, ps)
    covered2, weakest2 = covered, weakest
    for other in adjacent:
        c2, w2 = _coverage(pw, _joined(ps, other))
        covered2, weakest2 = max(covered2, c2), max(weakest2, w2)
    covers, _ = _coverage(ps, pw)
    total = sum(idf.get(t, 1.0) for t in w.terms) or 1.0
    words = sum(idf.get(t, 1.0) for t in w.terms & s.terms) / total
    names_missing = len(w.entities - s.entities) / len(w.entities) if w.entities else 0.0
    missing = [x for x in w.numbers if not any(_close(x, y) for y in s.numbers)]
    figures_missing = len(missing) / len(w.numbers) if w.numbers else 0.0
    extra = [y for y in s.numbers if not any(_close(x, y) for x in w.numbers)]
    conflict = 1.0 if missing and extra else 0.0
    negation = 1.0 if (_negations(w.text) > 0) != (_negations(s.text) > 0) else 0.0
    modality = 1.0 if _modality(w.text) != _modality(s.text) else 0.0
    lw, ls = len(w.text.split()), len(s.text.split())
    length = min(lw, ls) / max(lw, ls, 1)
    return np.array([aligned, covered, weakest, covers, words, names_missing, figures_missing, conflict,
                     negation, modality, length, covered2, weakest2], dtype=np.float64)


def _probability(features: np.ndarray, weights: Sequence[float]) -> float:
    z = weights[0] + float(np.dot(weights[1:], features))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def support_level(probability: float, conflict: bool) -> Level | None:
    """The level of one (claim, article) cell from the judge's probability for its best sentence."""
    if conflict:
        return "contradicts"
    if probability >= STATES_THRESHOLD:
        return "states"
    if probability >= PARTIAL_THRESHOLD:
        return "partial"
    return None


@dataclass
class SupportJudge:
    """Judges, for one story, whether a sentence states another's fact; caches what it computes."""

    units: Sequence[Unit]
    profiles: Sequence[PieceProfile | None]
    idf: dict[str, float]
    weights: Sequence[float] = JUDGE_WEIGHTS
    #: each sentence's typed figures (:func:`unit_figures`); without them a conflict of figures is
    #: read from the bare numbers (any figure missing while another is added)
    figures: Sequence[tuple[Figure, ...]] | None = None
    _cache: dict[tuple[int, int], np.ndarray] = field(default_factory=dict, repr=False)
    _modality: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)
    #: features less ``aligned`` per (class of w, class of s, one terms object?, classes of s's neighbours' pieces)
    _by_class: dict[tuple[int, int, bool, tuple[int, ...]], np.ndarray] = field(default_factory=dict, repr=False)
    _classes: tuple[list[int], list[int]] | None = field(default=None, repr=False)

    def features(self, w: int, s: int, aligned: float) -> np.ndarray:
        """The judge's evidence that sentence ``s`` states sentence ``w`` (:func:`support_features`),
        computed once per pair (the first ``aligned`` given for the pair stays, as before) and, for the
        copies of a wire story, once per pair of distinct sentences: the features read only the two
        sentences' texts, terms, names, numbers and word pieces and the pieces of ``s``'s neighbours.
        """
        key = (w, s)
        if key not in self._cache:
            near_at = [k for k in (s - 1, s + 1)
                       if 0 <= k < len(self.units) and self.units[k].article_id == self.units[s].article_id]
            unit_class, piece_class = self._sentence_classes()
            # a set intersected with itself is a copy, which may iterate in another order than the
            # intersection of two equal sets: the float sum over it follows that order
            same = self.units[w].terms is self.units[s].terms
            ckey = (unit_class[w], unit_class[s], same, tuple(piece_class[k] for k in near_at))
            base = self._by_class.get(ckey)
            if base is None:
                base = self._by_class[ckey] = support_features(
                    self.units[w], self.units[s], aligned, self.profiles[w], self.profiles[s], self.idf,
                    [self.profiles[k] for k in near_at])
            f = base.copy()
            f[0] = aligned  # the one feature that is not the sentences' own
            self._cache[key] = f
        return self._cache[key]

    def _sentence_classes(self) -> tuple[list[int], list[int]]:
        """A class per sentence (equal for copies: same text, terms in the same iteration order, since
        float sums follow it, names, numbers and byte-identical word pieces) and each
        sentence's word-piece class (:func:`~newsprism.analysis.claims.align.profile_classes`)."""
        if self._classes is None:
            pieces = profile_classes(self.profiles)
            seen: dict[tuple[object, ...], int] = {}
            classes = [seen.setdefault((u.text, tuple(u.terms), u.entities, u.numbers, pieces[i]), len(seen))
                       for i, u in enumerate(self.units)]
            self._classes = (classes, pieces)
        return self._classes

    def probability(self, w: int, s: int, aligned: float) -> float:
        """Probability that sentence ``s`` states the fact worded by sentence ``w``."""
        return _probability(self.features(w, s, aligned), self.weights)

    def conflict(self, w: int, s: int, aligned: float) -> bool:
        """A figure replaced, a negation or a change of modality between sentences that otherwise say
        the same: never support, a contradiction candidate."""
        f = self.features(w, s, aligned)
        covered = f[_AT["covered"]]
        if aligned < 0.5 or covered < 0.6:
            return False
        # "$4.8 million" / "$8.4 million" in paraphrase; "approved" / "did not approve"; "expected to" /
        # "unlikely to"
        if self.figures is not None:
            replaced = figure_replaced(self.figures[w], self.figures[s])
        else:
            replaced = bool(f[_AT["figure_conflict"]])
        flipped = covered >= NEGATION_COVERAGE and (
            (_negations(self.units[w].text, _FLIP) > 0) != (_negations(self.units[s].text, _FLIP) > 0))
        return replaced or flipped or _opposite(self._modal(w), self._modal(s))

    def hedged(self, w: int, s: int) -> bool:
        """The two sentences differ in modality ("expected to" / "may"): at most partial support."""
        return self._modal(w) != self._modal(s)

    def _modal(self, i: int) -> frozenset[str]:
        if i not in self._modality:
            self._modality[i] = _modality(self.units[i].text)
        return self._modality[i]
