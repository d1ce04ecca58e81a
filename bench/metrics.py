"""The scoring arithmetic shared by the benchmarks in ``bench/`` and the evaluation gates
(``tests/eval/``): precision, recall and F1 from counts, from parallel yes/no labels or from sets;
the threshold with the best F1 for a similarity baseline; ROC AUC; the mean of a paired difference
with its standard error.

What counts as a match (exact sentence spans, overlapping character ranges, one-to-one quote
segments, a story's same-claim pairs) stays in each benchmark; this module only does the
arithmetic on the counts, so that every benchmark defines the edge cases the same way:

* a ratio with a zero denominator is 0.0, never NaN or an error: precision with no predictions,
  recall with no gold items, F1 when precision + recall is 0. A table that prints "–" for an
  undefined ratio checks :attr:`PRF.predicted` or :attr:`PRF.gold` itself;
* F1 is ``2 * p * r / (p + r)`` computed from the two ratios (equal to ``2 tp / (predicted + gold)``
  up to the last bit of a float; this form is the one the benchmarks printed before this module);
* AUC with only one class present is undefined and is NaN (printed as ``nan``), not 0.0.

Benchmarks run as scripts put ``bench/``'s parent (or ``bench/`` itself) on ``sys.path`` and import
``bench.metrics`` (or ``metrics``); nothing here depends on ``newsprism``.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Hashable, Sequence, Set
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

__all__ = ["PRF", "adjusted_rand", "auc", "bcubed", "best_threshold", "paired_difference", "prf", "prf_labels",
           "prf_sets"]

T = TypeVar("T")


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1, with the counts they come from.

    ``tp``: predictions that match the gold; ``predicted``: all predictions; ``gold``: all gold
    items; ``gold_found``: gold items matched by some prediction (equal to ``tp`` unless the
    matching lets one prediction cover several gold items or the reverse).
    """

    precision: float
    recall: float
    f1: float
    tp: int
    predicted: int
    gold: int
    gold_found: int

    @property
    def fp(self) -> int:
        """Predictions that match no gold item.

        >>> prf(3, 4, 6).fp
        1
        """
        return self.predicted - self.tp


def prf(tp: int, predicted: int, gold: int, *, gold_found: int | None = None) -> PRF:
    """Precision ``tp / predicted``, recall ``gold_found / gold`` and their harmonic mean.

    ``gold_found`` defaults to ``tp`` (a one-to-one match); give it when predictions and gold items
    are matched many-to-many, as overlapping spans are. A zero denominator gives 0.0 (see the
    module docstring). The counts are taken as given, not checked against each other.

    >>> prf(3, 4, 6)
    PRF(precision=0.75, recall=0.5, f1=0.6, tp=3, predicted=4, gold=6, gold_found=3)
    >>> prf(0, 0, 5).precision, prf(0, 0, 0).f1
    (0.0, 0.0)
    >>> m = prf(2, 3, 4, gold_found=3)  # two predictions hit gold; three gold items are hit
    >>> m.precision, m.recall
    (0.6666666666666666, 0.75)
    """
    found = tp if gold_found is None else gold_found
    p = tp / predicted if predicted else 0.0
    r = found / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(p, r, f, tp, predicted, gold, found)


def prf_labels(predicted: Sequence[bool], gold: Sequence[bool]) -> PRF:
    """P/R/F1 of parallel yes/no decisions (item ``k`` predicted positive, item ``k`` truly
    positive); the two sequences must have the same length.

    >>> prf_labels([True, True, False, False], [True, False, True, False])
    PRF(precision=0.5, recall=0.5, f1=0.5, tp=1, predicted=2, gold=2, gold_found=1)
    """
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    return prf(tp, sum(map(bool, predicted)), sum(map(bool, gold)))


def prf_sets(predicted: Set[T], gold: Set[T]) -> PRF:
    """P/R/F1 of a predicted set against a gold set (a match is an item in both).

    >>> m = prf_sets({"a", "b", "c"}, {"b", "c", "d", "e"})
    >>> m.tp, m.fp, round(m.f1, 3)
    (2, 1, 0.571)
    """
    return prf(len(predicted & gold), len(predicted), len(gold))


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> tuple[float, PRF]:
    """The threshold ``t`` (one of the scores) for which "score >= t" has the best F1 against
    ``labels``, and that P/R/F1. Ties go to the lowest such score; F1s are compared as the floats
    :func:`prf` gives, so of two thresholds whose F1 is equal on paper but not in the last bit of
    the float, the larger float wins. When no threshold reaches an F1 above 0 (no positive label,
    or no scores), the threshold is 0.0.

    This is the baselines' most favourable setting (chosen on the gold it is scored on), or a
    threshold chosen on training items and then applied to others.

    >>> best_threshold([0.9, 0.8, 0.4, 0.3, 0.1], [True, False, True, False, False])
    (0.4, PRF(precision=0.6666666666666666, recall=1.0, f1=0.8, tp=2, predicted=3, gold=2, gold_found=2))
    >>> best_threshold([0.2, 0.5], [False, False])[0]
    0.0
    """
    best_t, best = 0.0, None
    for t in sorted(set(scores)):
        m = prf_labels([s >= t for s in scores], labels)
        if m.f1 > (best.f1 if best is not None else 0.0):
            best_t, best = t, m
    if best is None:
        best = prf_labels([s >= best_t for s in scores], labels)
    return best_t, best


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """ROC AUC of ``scores`` for the positive ``labels``: the share of (positive, negative) pairs in
    which the positive scores higher (Mann-Whitney U / (positives * negatives)); NaN when either
    class is empty. Tied scores are not averaged: they take consecutive ranks in ``numpy.argsort``'s
    order, so ties between a positive and a negative count as one side winning, not as a half.

    >>> auc([0.9, 0.8, 0.3, 0.1], [True, False, True, False])
    0.75
    >>> auc([0.4, 0.2], [True, True])
    nan
    """
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return float("nan")
    ranks = np.argsort(np.argsort(np.r_[pos, neg])) + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def paired_difference(a: Sequence[float], b: Sequence[float]) -> tuple[float, float]:
    """Mean of ``a[k] - b[k]`` over the items and its standard error (sample standard deviation of
    the differences / sqrt(n)): how much of a gap between two systems scored on the same items is
    noise. One item gives its difference and 0.0; none gives (0.0, 0.0).

    >>> mean, se = paired_difference([41.0, 38.5, 40.0], [39.0, 38.0, 38.5])
    >>> round(mean, 3), round(se, 3)
    (1.333, 0.441)
    >>> paired_difference([2.0], [1.5])
    (0.5, 0.0)
    """
    d = [x - y for x, y in zip(a, b, strict=True)]
    if len(d) < 2:
        return (d[0] if d else 0.0), 0.0
    return statistics.mean(d), statistics.stdev(d) / len(d) ** 0.5


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> PRF:
    """BCubed precision, recall and F1 of a clustering (Bagga & Baldwin 1998; Amigó et al. 2009):
    ``predicted[k]`` and ``gold[k]`` are item ``k``'s cluster and class labels. Precision is the mean
    over items of the share of its cluster that shares its class; recall, of its class that shares
    its cluster. ``tp``, ``predicted`` and ``gold`` in the result are item counts (all ``len(gold)``);
    no items gives zeros.

    >>> m = bcubed(["x", "x", "y", "y"], ["a", "a", "a", "b"])
    >>> round(m.precision, 3), round(m.recall, 3), round(m.f1, 3)
    (0.75, 0.667, 0.706)
    >>> bcubed(["x", "y"], ["a", "b"]).f1
    1.0
    """
    n = len(gold)
    if len(predicted) != n:
        raise ValueError(f"bcubed: {len(predicted)} predicted labels for {n} gold labels (fix: one label per item)")
    if not n:
        return PRF(0.0, 0.0, 0.0, 0, 0, 0, 0)
    both = Counter(zip(predicted, gold, strict=True))
    size_p, size_g = Counter(predicted), Counter(gold)
    p = sum(c * c / size_p[k] for (k, _), c in both.items()) / n
    r = sum(c * c / size_g[g] for (_, g), c in both.items()) / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(p, r, f, n, n, n, n)


def adjusted_rand(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> float:
    """Adjusted Rand index of a clustering against gold classes (Hubert & Arabie 1985), as
    scikit-learn's ``adjusted_rand_score``: 1.0 for the same partition, about 0 for chance; 1.0
    when both put everything in one cluster or every item alone.

    >>> round(adjusted_rand(["x", "x", "y", "y"], ["a", "a", "a", "b"]), 3)
    0.0
    >>> adjusted_rand([1, 1, 2], ["a", "a", "b"])
    1.0
    """
    n = len(gold)
    if len(predicted) != n:
        raise ValueError(f"adjusted_rand: {len(predicted)} predicted labels for {n} gold labels (fix: one per item)")

    def pairs(counts: Sequence[int]) -> float:
        return float(sum(c * (c - 1) // 2 for c in counts))

    both = pairs(list(Counter(zip(predicted, gold, strict=True)).values()))
    a, b = pairs(list(Counter(predicted).values())), pairs(list(Counter(gold).values()))
    total = n * (n - 1) / 2
    expected = a * b / total if total else 0.0
    top = (a + b) / 2
    if top == expected:  # both trivial partitions (or a single item): perfect agreement
        return 1.0
    return (both - expected) / (top - expected)
