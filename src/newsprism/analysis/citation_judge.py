"""Does a source sentence state the fact of a brief sentence? The last check before a citation.

The aligner's same-fact probability says that two sentences report the same fact. A brief sentence
often says more than the other outlet's sentence it matches: two facts joined ("the bill passed
219-212, with two Democrats voting against it"), a figure, a day or a reason the other outlet does
not give. Citing that outlet would overstate what it reports. The judge adds the *weakest
coverage*: each content word piece of the brief sentence finds its closest piece in the source
sentence (cosine of the contextual vectors, as in the aligner's soft match), and the judge reads
the 20th percentile of those closest cosines. It is low when a fifth of what the brief sentence
says has no counterpart in the source. A logistic model of the two numbers, fitted per embedder on
hand-labelled citations (``bench/fit_citation_judge.py``, ``bench/gold/brief_citations.md``),
gives the probability that the source states the fact. Below :attr:`CitationJudge.threshold`, the
brief does not cite that source for that sentence.

>>> judge = JUDGES["minilm-onnx"]
>>> judge.backs(same_fact=0.95, weakest=0.9), judge.backs(same_fact=0.7, weakest=0.3)
(True, False)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from newsprism.analysis.align import PieceProfile

__all__ = ["JUDGES", "WEAKEST_SHARE", "CitationJudge", "judge_for", "weakest_coverage"]

#: the share of the brief sentence's content pieces that may go unmatched before the coverage falls
WEAKEST_SHARE = 0.2


@dataclass(frozen=True)
class CitationJudge:
    """Logistic model of a citation: ``bias + same_fact_weight * same_fact + weakest_weight * weakest``."""

    bias: float
    same_fact_weight: float
    weakest_weight: float
    #: a source is cited at this probability or above (chosen on the training label sets)
    threshold: float

    def probability(self, same_fact: float, weakest: float) -> float:
        """Probability that the source sentence states the brief sentence's fact."""
        z = self.bias + self.same_fact_weight * same_fact + self.weakest_weight * weakest
        return 1.0 / (1.0 + math.exp(-z))

    def backs(self, same_fact: float, weakest: float) -> bool:
        """Whether the brief may cite the source for the sentence."""
        return self.probability(same_fact, weakest) >= self.threshold


def weakest_coverage(claim: PieceProfile | None, source: PieceProfile | None, share: float = WEAKEST_SHARE) -> float:
    """The ``share`` quantile, over ``claim``'s content pieces, of each piece's best cosine in ``source``
    (0.0 when either sentence has no word-piece vectors).

    >>> v = np.eye(4, dtype=np.float32)
    >>> ones = np.ones(4, dtype=np.float32)
    >>> whole = PieceProfile(v, ones)
    >>> half = PieceProfile(v[:2], ones[:2])
    >>> weakest_coverage(whole, whole), weakest_coverage(whole, half), weakest_coverage(half, whole)
    (1.0, 0.0, 1.0)
    """
    if claim is None or source is None:
        return 0.0
    best = (claim.vectors @ source.vectors.T).max(axis=1)
    return float(np.quantile(best, share))


#: fitted judges by embedder name (``bench/fit_citation_judge.py`` prints them); an embedder without
#: one cites by the aligner's rules alone
JUDGES: dict[str, CitationJudge] = {
    "minilm-onnx": CitationJudge(bias=0.04, same_fact_weight=1.31, weakest_weight=1.96, threshold=0.86),
}


def judge_for(embedder: str | None) -> CitationJudge | None:
    """The fitted judge for ``embedder`` (None when it has none).

    >>> judge_for("minilm-onnx") is JUDGES["minilm-onnx"], judge_for("unknown")
    (True, None)
    """
    return JUDGES.get(embedder or "")
