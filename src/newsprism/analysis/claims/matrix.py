"""The claim matrix: claims x sources, with omissions, single-source flags and importance.

>>> from newsprism.analysis.claims.matrix import importance
>>> importance(support=3, n_groups=3, position=0.0, centrality=0.5) > importance(1, 3, 0.9, 0.5)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsprism.analysis.claims.align import PairScore
from newsprism.analysis.claims.units import Unit, entity_key
from newsprism.model import Span, Story


@dataclass(frozen=True)
class ClaimRow:
    id: str
    text: str
    spans: tuple[Span, ...]
    sources: tuple[str, ...]
    independent_sources: int
    omitted_by: tuple[str, ...]
    importance: float
    details: tuple[Span, ...] = ()  # numbers and names only one article's sentence gives

    @property
    def single_source(self) -> bool:
        """Resting on one independent source: one article, or articles that copy one another."""
        return self.independent_sources <= 1


def importance(support: int, n_groups: int, position: float, centrality: float) -> float:
    """Support by independent groups counts most, then how early articles state it, then
    how central it is to the story (cosine to the story's centroid)."""
    return 0.6 * support / max(1, n_groups) + 0.25 * (1.0 - position) + 0.15 * max(0.0, centrality)


def build_claims(story: Story, units: Sequence[Unit], embeddings: np.ndarray, groups: Sequence[Sequence[int]],
                 pairs: Sequence[PairScore], provenance_groups: Sequence[Sequence[str]],
                 primary: Sequence[Sequence[int]] | None = None) -> list[ClaimRow]:
    """One ClaimRow per group of aligned sentences, most important first.

    ``primary`` are the groups before multi-fact sentences were attached to further claims
    (same order as ``groups``); a claim's wording comes from them, so two claims never show
    the same attached sentence as their text.
    """
    group_of = {a: k for k, g in enumerate(provenance_groups) for a in g}
    prob = {(p.i, p.j): p.probability for p in pairs}
    centroid = embeddings.mean(axis=0) if len(units) else None
    if centroid is not None:
        centroid = centroid / (np.linalg.norm(centroid) or 1.0)
    order = [a.id for a in story.articles]
    rows = []
    for k, members in enumerate(groups):
        us = [units[i] for i in members]
        core = [units[i] for i in primary[k]] if primary is not None else us
        sources = tuple(sorted({u.article_id for u in us}, key=order.index))
        # the claim's wording: the core member closest to all the others (its medoid)
        medoid = max(core, key=lambda u: sum(prob.get((min(u.index, v.index), max(u.index, v.index)), 0.0)
                                           for v in us if v is not u) - 1e-3 * u.article_pos)
        centrality = float(embeddings[medoid.index] @ centroid) if centroid is not None else 0.0
        support = len({group_of.get(s, s) for s in sources})
        rows.append((
            importance(support, len(provenance_groups), float(np.mean([u.relative_position for u in us])),
                       centrality),
            medoid.text,
            tuple(story.article(u.article_id).span(u.start, u.end) for u in us),
            sources,
            support,
            tuple(a for a in order if a not in sources),
        ))
    mentions = story_mentions(story)
    rows.sort(key=lambda r: (-r[0], r[2][0].article_id, r[2][0].start))
    return [ClaimRow(f"c{k + 1}", text, spans, sources, support, omitted, round(score, 4),
                     single_source_details(story, spans, mentions) if len(sources) > 1 else ())
            for k, (score, text, spans, sources, support, omitted) in enumerate(rows)]


def _close(a: float, b: float, approximate: bool = False) -> bool:
    """Same figure up to rounding ("1,200" vs "1,180"), more loosely when one is hedged
    ("more than 5 inches" vs "5.3 inches")."""
    return abs(a - b) <= (0.12 if approximate else 0.05) * max(abs(a), abs(b))


Mentions = dict[str, tuple[list[tuple[str, float, bool]], set[str]]]


def story_mentions(story: Story) -> Mentions:
    """Per article: its figures (kind, value, hedged) and entity keys, gathered once per story."""
    return {
        ann.article_id: ([(q.kind, q.value, q.approximate) for q in ann.quantities if q.value is not None],
                         {entity_key(e.text, e.label) for e in ann.entities})
        for ann in story.annotations
    }


def single_source_details(story: Story, spans: Sequence[Span],
                          mentions: Mentions | None = None) -> tuple[Span, ...]:
    """Numbers and names inside a corroborated claim's sentences that no other article gives
    anywhere in the story: the single-source details a fact-checker should look at.

    Numbers match up to rounding ("about 1,200" vs "1,180"); bare small counts ("two") are
    too common to be details. ``mentions`` (from :func:`story_mentions`) saves re-reading every
    article's annotations for each claim.
    """
    mentions = mentions if mentions is not None else story_mentions(story)
    out: list[Span] = []
    for sp in spans:
        ann = story.annotation(sp.article_id)
        article = story.article(sp.article_id)
        other_values = [v for aid, (values, _) in mentions.items() if aid != sp.article_id for v in values]
        other_names = set().union(*(names for aid, (_, names) in mentions.items() if aid != sp.article_id))
        for q in ann.quantities:
            if (sp.start <= q.start and q.end <= sp.end and q.value is not None
                    and q.kind not in ("date", "time", "ordinal")
                    and not (q.kind == "cardinal" and q.value <= 12)
                    and not any(kind == q.kind and _close(q.value, v, q.approximate or approx)
                                for kind, v, approx in other_values)):
                out.append(article.span(q.start, q.end))
        for e in ann.entities:
            if (sp.start <= e.start and e.end <= sp.end and e.label in ("PERSON", "ORG", "GPE", "FAC", "LOC")
                    and entity_key(e.text, e.label) not in other_names):
                out.append(article.span(e.start, e.end))
    return tuple(sorted(set(out), key=lambda s: (s.article_id, s.start)))
