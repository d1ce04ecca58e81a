"""The neutral brief: a short multi-source summary in which every sentence cites its sources.

Built from the claim matrix (:func:`newsprism.analysis.analyze_claims`), extractive by default:

1. **Wording.** Every sentence that states a claim is a candidate wording of it. The one read out
   is the one the other outlets' sentences align with best and the most independent outlets
   verifiably state (see 3), and the least loaded and cleanest: fewest loaded-language spans
   (framing's lexicon detector), no unattributed opinion, least quoted text, a named speaker rather
   than a bare quote, no first-person (op-ed) voice, no opening back-reference ("He said", "The
   move"), a full sentence rather than a heading, a question or a teaser, neither very long nor very
   short (:class:`~newsprism.analysis.brief.wording.Wording`). A sentence inside a marked artifact is
   never a candidate, nor one stating a contradiction's minority value (an outlier such as a
   mistyped amount).
2. **Selection.** Sentences are ranked by independent support (provenance groups with a sentence
   aligned to it), how closely the other articles say something like it (embedding and word
   overlap), how many of its words the other articles also use, closeness to the articles'
   headlines and to the story as a whole, the claim matrix's importance, position in the article
   and wording quality; a sentence whose verified support is one outlet ranks lower. Maximal
   marginal relevance (embedding cosine above the story's floor, the aligner's same-fact
   probability, shared content words and figures) removes redundancy, and a second wording of a
   claim already stated gets in only with a figure or a name the brief lacks, until the word
   budget is met (:func:`fits_budget`). The weights (``_Weights``) were tuned for
   ROUGE on the NeuS/AllSides validation split; the wording rules were not.
3. **Citations.** A sentence cites the claims it is a member of, and the articles that state it:
   its own article plus every article holding a sentence aligned with it at a same-fact
   probability of at least :data:`CITE_PROBABILITY` (the aligner's pair scores) that does not
   give a conflicting figure of the same kind or name a different actor as the subject, and is
   corroborated: aligned at :data:`CITE_ALONE_PROBABILITY`, or matched by another cited article's
   sentence, or sharing the sentence's main verb (a lone loose match is most often another fact on
   the same topic); minus articles whose aligned sentence takes another side of a contradiction
   passed in. Articles that copy one another count once: ``single_source`` is True when the
   sources all belong to one provenance group.
4. **Order.** The selected sentences follow the articles' own order (mean relative position of
   the sentences that state them), which keeps the chronology the articles give.

Beneath the brief: ``disputed`` (the contradictions passed in, each side with its outlets) and
``single_source_claims`` (the single-source claims most worth checking: the most important, with
figures or names, never a bare quote or a fragment).

An optional abstractive mode (``llm=``, :mod:`newsprism.analysis.brief.llm`) asks an
OpenAI-compatible chat model to write the brief from the same claims and keeps only the sentences
whose names, numbers, dates and meaning check out against the claims they cite.

Extractive sentences are real sentences of the articles, lightly cleaned: a dateline, a section
label or a leading connective ("But", "However,") is cut and the first letter capitalised, so
``sentence.text`` equals ``sentence.spans[0].text`` up to the case of its first letter.

>>> from newsprism.model import Story
>>> from newsprism.analysis.claims import analyze_claims
>>> empty = Story(id="s", articles=())
>>> build_brief(empty, analyze_claims(empty)).sentences
()
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from newsprism.analysis.brief.evidence import CITE_ALONE_PROBABILITY, CITE_PROBABILITY, BriefContext, Candidate
from newsprism.analysis.brief.output import (
    DEFAULT_LENGTH,
    Brief,
    BriefSentence,
    DisputedPoint,
    DisputedSide,
    DroppedSentence,
    SingleSourceClaim,
    budget_full,
    fits_budget,
)
from newsprism.analysis.claims.units import Unit
from newsprism.model import Story
from newsprism.nlp.numbers import parse_number

if TYPE_CHECKING:
    from newsprism.analysis.brief.llm import ChatModel
    from newsprism.analysis.claims import ClaimAnalysis
    from newsprism.nlp.embeddings import Embedder

__all__ = [
    "CITE_ALONE_PROBABILITY",
    "CITE_PROBABILITY",
    "DEFAULT_LENGTH",
    "Brief",
    "BriefSentence",
    "DisputedPoint",
    "DisputedSide",
    "DroppedSentence",
    "SingleSourceClaim",
    "build_brief",
    "fits_budget",
    "prepare_brief",
]

#: how many single-source claims the brief lists as worth checking
MAX_SINGLE_SOURCE = 5


@dataclass(frozen=True)
class _Weights:
    """Weights of the ranking, tuned by coordinate search for ROUGE-1 on issues 100–899 of the
    NeuS/AllSides train split, so the validation split (``bench/bench_brief.py``) is a test set;
    the wording and neutrality rules are not tuned (see the module docstring)."""

    support: float = 1.0  # verified independent support / provenance groups in the story
    agreement: float = 2.0  # mean over the other articles of the closest sentence's cosine
    lexical: float = 2.0  # the same with IDF-weighted shared content words
    headline: float = 2.0  # cosine to the articles' headlines (what the outlets say the story is)
    importance: float = 0.3  # the claim matrix's importance
    centrality: float = 0.6  # cosine to the story centroid
    shared: float = 0.05  # per content word the other articles also use (share of them using it)
    position: float = 0.8  # earlier in its article
    quality: float = 0.5  # minus the wording penalty
    single: float = 0.6  # single-source claims after corroborated ones (a product rule: not tuned)
    detail: float = 0.0  # per single-source number/name inside the sentence (0 on NeuS: figures matter)
    represent: float = 2.0  # a claim's wording: the one the other outlets' sentences align with best
    mmr: float = 0.6  # relevance vs novelty
    repeat: float | None = 0.2  # a claim's second wording ranks this much lower (None: one wording per claim)
    redundant: float = 0.72  # never add a sentence this similar to one already chosen


WEIGHTS = _Weights()
_COSINE_FLOOR = 0.35  # cosine below which two sentences share nothing (redundancy)


def build_brief(
    story: Story,
    claims: ClaimAnalysis,
    *,
    framing: Any = None,
    contradictions: Iterable[Any] = (),
    length: int = DEFAULT_LENGTH,
    embedder: Embedder | None = None,
    llm: ChatModel | None = None,
    max_single_source: int = MAX_SINGLE_SOURCE,
    context: BriefContext | None = None,
) -> Brief:
    """The story's neutral brief: about ``length`` words, every sentence citing its claims and sources.

    ``framing`` is the story's :class:`~newsprism.analysis.framing.profile.FramingAnalysis` (or its rows):
    its loaded spans pick the least loaded wording; without it the loaded-language detector runs
    here. ``contradictions`` are :class:`~newsprism.analysis.contradictions.detect.ContradictionRow`-like
    objects (``id``, ``kind``, ``subject``, ``sides`` of ``value``, ``spans``, ``articles``): they
    fill ``disputed``, keep minority values out of the brief and the wrong outlets out of a
    sentence's sources. ``llm`` switches to the abstractive mode (see
    :mod:`newsprism.analysis.brief.llm`); if the model cannot be reached or returns nothing usable,
    the extractive brief is returned with ``notes`` saying why (``dropped`` lists every generated
    sentence left out, with the reason). ``embedder`` embeds the headlines (for ranking) and the
    generated sentences (abstractive mode); the default is the pipeline's MiniLM. Sentences come
    from the stored annotations: the story must be annotated (``newsprism.nlp.annotate``).
    ``context`` is the story's :class:`~newsprism.analysis.brief.evidence.BriefContext`, built ahead
    with ``disputed=None`` (the pipeline reads it while the quotes are grouped); its sides are taken here.
    """
    if length < 1:
        raise ValueError(f"brief length must be a positive number of words, got {length}")
    disputed = _disputed(contradictions)
    if not claims.claims or not story.articles:
        return Brief((), disputed, (), length=length)
    if context is None:
        ctx = BriefContext(story, claims, framing, disputed, embedder)
    else:
        ctx = context
        ctx.take_sides(disputed)
    sentences, chosen_claims = _select(ctx, length, WEIGHTS)
    notes: list[str] = []
    if not sentences:
        notes.append("no sentence of the articles could stand in the brief (all fragments or artifacts)")
    said = {i for s in sentences for sp in s.spans for i in ctx.units_of(sp)}
    singles = _single_source(ctx, chosen_claims, max_single_source, said)
    brief = Brief(tuple(sentences), disputed, singles, length=length, notes=tuple(notes))
    if llm is None:
        return brief
    from newsprism.analysis.brief.llm import LlmError, abstractive_sentences

    prompt = [ctx.prompt_claim(cid) for cid in ctx.cited_claims(sentences, extra=12)]
    try:
        written, dropped = abstractive_sentences(
            story, claims, [p for p in prompt if p is not None], llm, length=length, embedder=embedder,
            exclude={(c.unit.article_id, c.unit.start, c.unit.end) for c in ctx.cands.values() if c.excluded})
    except LlmError as err:
        return Brief(brief.sentences, disputed, singles, length=length,
                     notes=(*brief.notes, f"abstractive brief failed, extractive brief shown: {err}"))
    if not written:
        return Brief(brief.sentences, disputed, singles, dropped=tuple(dropped), length=length,
                     notes=(*brief.notes, "abstractive brief: no generated sentence passed the checks; "
                            "extractive brief shown"))
    return Brief(tuple(written), disputed, singles, dropped=tuple(dropped), length=length, mode="abstractive",
                 notes=brief.notes)


def prepare_brief(story: Story, claims: ClaimAnalysis, *, framing: Any = None,
                  embedder: Embedder | None = None) -> BriefContext | None:
    """What :func:`build_brief` reads of the story, before the contradictions are known (None when
    there is nothing to brief); pass it on as ``build_brief(..., context=)``."""
    if not claims.claims or not story.articles:
        return None
    return BriefContext(story, claims, framing, None, embedder)


def _disputed(contradictions: Iterable[Any]) -> tuple[DisputedPoint, ...]:
    out = []
    for c in contradictions:
        sides = tuple(
            DisputedSide(str(s.value), tuple(getattr(s, "articles", ()) or
                                             dict.fromkeys(sp.article_id for sp in s.spans)),
                         tuple(s.spans))
            for s in c.sides)
        out.append(DisputedPoint(str(c.id), str(c.kind), str(c.subject), sides, str(getattr(c, "why", ""))))
    return tuple(out)



def _select(ctx: BriefContext, length: int, weights: _Weights) -> tuple[list[BriefSentence], set[str]]:
    """Rank the claims' best wordings, pick them by MMR within the budget, cite and order them."""
    rank = {c.id: k for k, c in enumerate(ctx.claims.claims)}
    pool: list[tuple[float, str, Candidate]] = []
    for c in ctx.claims.claims:
        cand = ctx.best_wording(c.id, weights.represent, weights.detail)
        if cand is None:
            continue
        pool.append((_relevance(ctx, c.importance, cand, weights), c.id, cand))
        if weights.repeat is None:
            continue
        # the claim's other wordings may follow when they add enough (MMR still judges redundancy)
        for i in ctx.claim_units.get(c.id, ()):
            other = ctx.cands[i]
            if other is not cand and other.wording.usable and not other.excluded:
                pool.append((_relevance(ctx, c.importance, other, weights) - weights.repeat, c.id, other))
    if not pool:
        return [], set()
    top = max(s for s, _, _ in pool)
    low = min(s for s, _, _ in pool)
    scale = (top - low) or 1.0
    chosen: list[Candidate] = []
    terms: set[str] = set()
    numbers: set[float] = set()
    names: set[str] = set()
    stated: set[str] = set()
    total = 0
    remaining = sorted(pool, key=lambda t: (-t[0], rank[t[1]]))
    while remaining and not budget_full(total, length):
        pick: tuple[float, int] | None = None
        fitting = [k for k, (_s, _c, cand) in enumerate(remaining) if fits_budget(total, cand.wording.words, length)]
        if not fitting and not chosen:  # nothing fits: one sentence, the best, rather than none
            fitting = [0]
        for k in fitting:
            score, cid, cand = remaining[k]
            if any(cand.unit.index == c.unit.index for c in chosen):
                continue
            if cid in stated and not _adds_specifics(ctx, cand, numbers, names):
                continue  # the brief already states this claim; another wording must bring new figures or names
            sim = _redundancy(ctx, cand, chosen, terms, numbers)
            if sim >= weights.redundant:
                continue
            mmr = weights.mmr * (score - low) / scale - (1.0 - weights.mmr) * sim
            if pick is None or mmr > pick[0]:
                pick = (mmr, k)
        if pick is None:
            break
        _score, _cid, cand = remaining.pop(pick[1])
        chosen.append(cand)
        stated.update(ctx.claims_of_unit.get(cand.unit.index, ()))
        terms |= cand.unit.terms
        names |= cand.unit.entities
        numbers |= ctx.numbers[cand.unit.index]
        total += cand.wording.words
    sentences = [_sentence(ctx, cand) for cand in chosen]
    order = sorted(range(len(chosen)), key=lambda k: (_position(ctx, chosen[k]), k))
    cited = {c for s in sentences for c in s.cites}
    return [sentences[k] for k in order], cited


def _adds_specifics(ctx: BriefContext, cand: Candidate, numbers: set[float], names: set[str]) -> bool:
    """A second wording of a claim earns its place only with a figure or a name the brief lacks, and
    only when it is not loaded."""
    return cand.wording.loaded == 0 and bool(ctx.numbers[cand.unit.index] - numbers or cand.unit.entities - names)


def _relevance(ctx: BriefContext, importance: float, cand: Candidate, weights: _Weights) -> float:
    single = cand.groups <= 1
    i = cand.unit.index
    # outlets quoting the same words agree on what was said, not on what happened
    own_words = 1.0 - cand.wording.quoted
    return (weights.support * cand.reach / ctx.n_groups
            + own_words * (weights.agreement * float(ctx.agreement[i]) + weights.lexical * float(ctx.lexical[i]))
            + weights.headline * float(ctx.headline[i])
            + weights.importance * importance
            + weights.centrality * max(0.0, ctx.centrality(cand.unit.index))
            + weights.shared * float(ctx.shared[i])
            + weights.position * (1.0 - cand.unit.relative_position)
            - weights.quality * cand.penalty
            - weights.detail * len(cand.details)
            - (weights.single if single else 0.0))


def _position(ctx: BriefContext, cand: Candidate) -> float:
    """Where the sentence's fact sits in the articles that state it (0 = their leads)."""
    return float(np.mean([ctx.units[j].relative_position for j in cand.support.values()]))


def _sentence(ctx: BriefContext, cand: Candidate) -> BriefSentence:
    u = cand.unit
    article = ctx.story.article(u.article_id)
    own = article.span(u.start + cand.cut, u.end)
    others = [(a, j) for a, j in cand.support.items() if a != u.article_id and ctx.states(u.index, j)]
    order = {a.id: k for k, a in enumerate(ctx.story.articles)}
    others.sort(key=lambda t: order.get(t[0], 0))
    spans = [own] + [ctx.story.article(a).span(ctx.units[j].start, ctx.units[j].end) for a, j in others]
    sources = tuple([u.article_id] + [a for a, _ in others])
    groups = len({ctx.group_of.get(a, a) for a in sources})
    disputed = (ctx.side_of[u.index][0],) if u.index in ctx.side_of else ()
    return BriefSentence(
        text=cand.text, cites=tuple(ctx.claims_of_unit.get(u.index, ())), sources=sources, spans=tuple(spans),
        single_source=groups <= 1, independent_sources=groups, details=cand.details,
        disputed=disputed)


def _redundancy(ctx: BriefContext, cand: Candidate, chosen: Sequence[Candidate], terms: set[str],
                numbers: set[float]) -> float:
    """How much of ``cand`` the chosen sentences already say: the max embedding cosine, the aligner's
    same-fact probability, or the share of its content words already there (less when it brings a
    new figure; all of it when its figures are all there and it adds at most two other words)."""
    if not chosen:
        return 0.0
    i = cand.unit.index
    # sentences of one story are all somewhat alike: only cosine above the story's floor counts
    cos = max(float(ctx.emb[i] @ ctx.emb[c.unit.index]) for c in chosen)
    cos = max(0.0, (cos - _COSINE_FLOOR) / (1.0 - _COSINE_FLOOR))
    same = max(ctx.prob.get((min(i, c.unit.index), max(i, c.unit.index)), 0.0) for c in chosen)
    own = cand.unit.terms
    covered = len(own & terms) / len(own) if own else 0.0
    figures = ctx.numbers[i]
    if figures and not figures <= numbers:
        covered *= 0.6  # a new figure is new information
    elif figures:
        # its figures are all in the brief already: words spelling them out ("seven ... two") add nothing
        fresh = [t for t in own - terms if parse_number(t) is None]
        if len(fresh) <= 2:
            covered = 1.0
    return max(cos, covered, same)


def _single_source(ctx: BriefContext, chosen: set[str], k: int, said: set[int]) -> tuple[SingleSourceClaim, ...]:
    """The single-source claims most worth checking: important, carrying figures or names, readable
    on their own (no bare quote, no fragment, not already in the brief: ``said`` holds the sentences
    the brief rests on)."""
    scored: list[tuple[float, int, SingleSourceClaim]] = []
    for rank, c in enumerate(ctx.claims.claims):
        if not c.single_source or c.id in chosen or any(i in said for i in ctx.claim_units.get(c.id, ())):
            continue
        cands = [ctx.cands[i] for i in ctx.claim_units.get(c.id, ())]
        cands = [x for x in cands if not x.wording.fragment and not x.wording.bare_quote and x.wording.words >= 6]
        if not cands:
            continue
        best = min(cands, key=lambda x: (x.penalty, x.unit.article_pos))
        u = best.unit
        checkable = _checkable(ctx, u)
        score = c.importance + 0.25 * bool(checkable) - 0.3 * best.penalty
        spans = tuple(ctx.story.article(ctx.units[i].article_id).span(ctx.units[i].start, ctx.units[i].end)
                      for i in ctx.claim_units[c.id])
        why = ("check: " + ", ".join(checkable)) if checkable else "no other independent outlet reports it"
        item = SingleSourceClaim(claim=c.id, text=best.text,
                                 spans=(ctx.story.article(u.article_id).span(u.start + best.cut, u.end),
                                        *(s for s in spans if (s.article_id, s.start) != (u.article_id, u.start))),
                                 sources=c.sources, why=why)
        scored.append((score, rank, item))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return tuple(item for _, _, item in scored[:max(0, k)])


def _checkable(ctx: BriefContext, u: Unit) -> list[str]:
    """The figures and names in a sentence, as written (the things a fact-checker would check)."""
    try:
        ann = ctx.story.annotation(u.article_id)
    except KeyError:
        return []
    text = ctx.story.article(u.article_id).text
    out: list[str] = []
    for q in ann.quantities:
        if u.start <= q.start and q.end <= u.end and q.kind not in ("ordinal",) and q.value is not None \
                and not (q.kind == "cardinal" and q.value <= 12):
            out.append(text[q.start:q.end])
    for e in ann.entities:
        if u.start <= e.start and e.end <= u.end and e.label in ("PERSON", "ORG"):
            out.append(text[e.start:e.end])
    return list(dict.fromkeys(out))[:4]
