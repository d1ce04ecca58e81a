"""The cross-article analyses, one module each, run over an annotated Story.

>>> from newsprism.model import Story
>>> analyze_claims(Story(id="empty", articles=())).claims
()
"""

from __future__ import annotations

from dataclasses import dataclass

from newsprism.analysis.align import (
    THRESHOLD,
    PairScore,
    attach_multi_fact_sentences,
    calibration_for,
    candidate_pairs,
    group_claims,
)
from newsprism.analysis.claims import ClaimRow, build_claims
from newsprism.analysis.provenance import PairProvenance, article_provenance, provenance_groups
from newsprism.analysis.units import Unit, story_units
from newsprism.model import Story


@dataclass(frozen=True)
class ClaimAnalysis:
    """The claim matrix and the provenance between articles, with the alignment they rest on."""

    claims: tuple[ClaimRow, ...]
    provenance: tuple[PairProvenance, ...]
    groups: tuple[tuple[str, ...], ...]
    units: tuple[Unit, ...]
    pairs: tuple[PairScore, ...]
    unit_groups: tuple[tuple[int, ...], ...]  # the claims as groups of unit indices
    threshold: float = THRESHOLD  # the probability from which the aligner calls a pair the same claim


def analyze_claims(story: Story) -> ClaimAnalysis:
    """Align sentences into claims, find who derives from whom, count independent sources."""
    units, embeddings = story_units(story)
    calibration = calibration_for(units)
    pairs = candidate_pairs(units, embeddings, weights=calibration.weights)
    prov = article_provenance(story.articles, units, pairs)
    groups = provenance_groups([a.id for a in story.articles], prov)
    article_of = [u.article_pos for u in units]
    primary = group_claims(len(units), pairs, calibration.threshold, article_of=article_of)
    unit_groups = attach_multi_fact_sentences(primary, pairs, article_of, calibration.threshold)
    claims = build_claims(story, units, embeddings, unit_groups, pairs, groups, primary)
    return ClaimAnalysis(tuple(claims), tuple(prov), tuple(tuple(g) for g in groups), tuple(units),
                         tuple(pairs), tuple(tuple(g) for g in unit_groups), calibration.threshold)
