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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from newsprism.analysis.brief.wording import Wording, clean_prefix, word_count, wording_features
from newsprism.analysis.claims.units import Unit, entity_key, story_units
from newsprism.analysis.contradictions.amounts import interval_of_number
from newsprism.analysis.contradictions.predicates import SAY_VERBS
from newsprism.model import Span, Story
from newsprism.nlp.numbers import parse_number
from newsprism.text.quoted import quoted_regions

if TYPE_CHECKING:
    from newsprism.analysis.brief.llm import ChatModel, PromptClaim
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
]

#: default length of the brief, in words
DEFAULT_LENGTH = 160
#: an article supports a brief sentence when one of its sentences aligns with it at least this well
#: (the aligner's same-fact probability; chosen on hand-labelled citations, bench/gold/brief_citations.md)
#: and another cited article's sentence states the same (see :data:`CITE_ALONE_PROBABILITY`)
CITE_PROBABILITY = 0.6
#: an article's sentence that no other cited article's sentence corroborates backs a brief sentence
#: only at this same-fact probability or with the same main verb (lone pairs between 0.6 and 0.75
#: were wrong one time in three in the hand-labelled citations: same topic, another fact)
CITE_ALONE_PROBABILITY = 0.75
#: how many single-source claims the brief lists as worth checking
MAX_SINGLE_SOURCE = 5


# --- output types -------------------------------------------------------------------------------


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


# --- the extractive brief --------------------------------------------------------------------------


@dataclass
class _Cand:
    """One unit as a wording: cleaned text, quality, verified support."""

    unit: Unit
    cut: int  # characters cut from the start (dateline, connective)
    text: str
    wording: Wording
    penalty: float
    support: dict[str, int]  # article id -> unit index of its aligned sentence (own article -> itself)
    groups: int  # independent provenance groups among the supporting articles
    reach: int  # independent groups with a sentence aligned at the aligner's own threshold (for ranking)
    excluded: bool  # states a contradiction's minority value
    details: tuple[Span, ...]


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
_COSINE_FLOOR = 0.35


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
    """
    if length < 1:
        raise ValueError(f"brief length must be a positive number of words, got {length}")
    disputed = _disputed(contradictions)
    if not claims.claims or not story.articles:
        return Brief((), disputed, (), length=length)
    ctx = _Context(story, claims, framing, disputed, embedder)
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


class _Context:
    """Everything the selection reads, computed once per story."""

    def __init__(self, story: Story, claims: ClaimAnalysis, framing: Any,
                 disputed: Sequence[DisputedPoint], embedder: Embedder | None = None) -> None:
        self.story = story
        self.claims = claims
        self.threshold = claims.threshold  # the aligner's match threshold for this story's embedder
        units, emb = story_units(story)
        if len(units) != len(claims.units):
            units, emb = list(claims.units), _unit_embeddings(story, claims.units)
        self.units = units
        self.emb = emb
        self.index = {(u.article_id, u.start, u.end): u.index for u in units}
        self.prob: dict[tuple[int, int], float] = {(p.i, p.j): p.probability for p in claims.pairs}
        self.neighbours: dict[int, list[tuple[float, int]]] = {}
        for p in claims.pairs:
            self.neighbours.setdefault(p.i, []).append((p.probability, p.j))
            self.neighbours.setdefault(p.j, []).append((p.probability, p.i))
        self.group_of = {a: k for k, g in enumerate(claims.groups) for a in g}
        self.n_groups = max(1, len(claims.groups) or len(story.articles))
        centroid = emb.mean(axis=0) if len(units) else np.zeros(1, dtype=np.float32)
        self.centroid = centroid / (np.linalg.norm(centroid) or 1.0)
        self.agreement = _agreement(units, emb)
        self.lexical = _lexical_agreement(units)
        self.shared = _shared_words(units)

        self.figures = _unit_figures(story, units)
        self.subjects = [_subject(story, u) for u in units]
        self.verbs = [_main_verb(story, u) for u in units]
        self.numbers = [frozenset(f[1] for f in fs) for fs in self.figures]
        self.headline = _headline_similarity(story, emb, self.centroid, embedder)
        self.claim_units: dict[str, list[int]] = {}
        self.claims_of_unit: dict[int, list[str]] = {}
        for c in claims.claims:
            idx = [self.index[(s.article_id, s.start, s.end)] for s in c.spans
                   if (s.article_id, s.start, s.end) in self.index]
            self.claim_units[c.id] = idx
            for i in idx:
                self.claims_of_unit.setdefault(i, []).append(c.id)
        self.detail_spans = [d for c in claims.claims for d in c.details]
        self.disputed = disputed
        self.side_of: dict[int, tuple[str, int, bool]] = {}  # unit -> (contradiction, side, minority)
        for d in disputed:
            top = len(d.sides[0].articles) if d.sides else 0
            for k, side in enumerate(d.sides):
                minority = k > 0 and len(side.articles) < top
                for sp in side.spans:
                    for ui in self._units_overlapping(sp):
                        prev = self.side_of.get(ui)
                        if prev is None or (minority and not prev[2]):
                            self.side_of[ui] = (d.id, k, minority)
        marks = _framing_marks(story, framing, units)
        self.cands: dict[int, _Cand] = {}
        for article in story.articles:
            quoted = quoted_regions(article.text, article.paragraphs or None)
            doc = _doc(story, article.id)
            for u in (x for x in units if x.article_id == article.id):
                cut, text = clean_prefix(article.text[u.start:u.end])
                span = doc.char_span(u.start + cut, u.end, alignment_mode="expand") if doc is not None else None
                w = wording_features(article.text, u.start, u.end, cleaned_start=u.start + cut,
                                     loaded=marks.get(article.id, ([], []))[0], quoted=quoted, doc_span=span,
                                     opinions=marks.get(article.id, ([], []))[1])
                self.cands[u.index] = self._cand(u, cut, text, w)

    def units_of(self, span: Span) -> list[int]:
        """The sentences a (possibly trimmed) span lies in."""
        return [u.index for u in self.units
                if u.article_id == span.article_id and u.start <= span.start and span.end <= u.end]

    def _units_overlapping(self, span: Span) -> list[int]:
        return [u.index for u in self.units
                if u.article_id == span.article_id and u.start < span.end and span.start < u.end]

    def _cand(self, u: Unit, cut: int, text: str, w: Wording) -> _Cand:
        support: dict[str, int] = {u.article_id: u.index}
        best: dict[str, float] = {}
        for p, j in self.neighbours.get(u.index, ()):
            a = self.units[j].article_id
            if p >= CITE_PROBABILITY and p > best.get(a, 0.0) and self.compatible(u.index, j):
                best[a], support[a] = p, j
        support = self.corroborated(u.index, support, best)
        mine = self.side_of.get(u.index)
        if mine is not None:  # drop articles whose aligned sentence takes another side
            for a, j in list(support.items()):
                other = self.side_of.get(j)
                if other is not None and other[0] == mine[0] and other[1] != mine[1]:
                    del support[a]
        groups = len({self.group_of.get(a, a) for a in support})
        reach = len({self.group_of.get(a, a) for a in
                     {u.article_id} | {self.units[j].article_id for p, j in self.neighbours.get(u.index, ())
                                       if p >= self.threshold}})
        details = tuple(d for d in self.detail_spans
                        if d.article_id == u.article_id and u.start + cut <= d.start and d.end <= u.end)
        return _Cand(u, cut, text, w, w.penalty(), support, groups, max(groups, reach),
                     excluded=mine is not None and mine[2], details=details)

    def compatible(self, i: int, j: int) -> bool:
        """Whether sentence ``j`` can back sentence ``i``: no figure of a kind both give disagrees
        ("156 seats" and "157 seats", "845,000 jobs expected" and "870,000 jobs expected"), and the
        two do not name different people or organisations as the one who acts or speaks ("the Senate
        passed" and "the House passed", "Hochul said" and "Paterson said"). Opposite
        claims in aligned sentences ("passed" and "rejected") are the contradiction analysis's to find;
        passed in, their sides keep the wrong outlets out of a sentence's sources."""
        if _figures_conflict(self.figures[i], self.figures[j]):
            return False
        a, b = self.subjects[i], self.subjects[j]
        return a is None or b is None or a[0] != b[0] or bool(set(a[1].split()) & set(b[1].split()))

    def corroborated(self, i: int, support: dict[str, int], best: dict[str, float]) -> dict[str, int]:
        """The articles of ``support`` (article id -> its sentence aligned with sentence ``i``, own
        article included) whose sentence really backs ``i``: aligned at :data:`CITE_ALONE_PROBABILITY`,
        or stating the same as another cited article's sentence (the aligner matches the two at its
        own threshold: three outlets on one fact), or with the same main verb as ``i`` ("voted" and
        "voted", looking past a saying verb; never a light or a saying verb itself). A lone, looser
        match is most often another fact on the same topic ("rescuers suspended operations" and
        "divers resumed the operation"); dropping it leaves the sentence citing fewer outlets, never
        a wrong one."""
        own = self.units[i].article_id

        def backs(a: str, j: int) -> bool:
            if a == own or best.get(a, 0.0) >= CITE_ALONE_PROBABILITY:
                return True
            if any(self.prob.get((min(j, k), max(j, k)), 0.0) >= self.threshold
                   for b, k in support.items() if b not in (a, own)):
                return True
            return self.verbs[i] is not None and self.verbs[i] == self.verbs[j]

        return {a: j for a, j in support.items() if backs(a, j)}

    def best_wording(self, claim_id: str, weights: _Weights) -> _Cand | None:
        """The claim's wording to read out (see the module docstring, 1)."""
        cands = [self.cands[i] for i in self.claim_units.get(claim_id, ())]
        cands = [c for c in cands if not c.excluded and c.wording.usable]
        if not cands:
            return None
        members = self.claim_units.get(claim_id, ())
        top = max(c.groups for c in cands)
        return max(cands, key=lambda c: (0.6 * c.groups / top
                                         + weights.represent * self.representative(c.unit.index, members)
                                         - c.penalty - weights.detail * len(c.details),
                                         -c.unit.article_pos, -c.unit.start))

    def representative(self, i: int, members: Sequence[int]) -> float:
        """Mean, over the claim's other articles, of the best same-fact probability between sentence
        ``i`` and that article's sentences in the claim: the wording most outlets agree with."""
        best: dict[str, float] = {}
        me = self.units[i].article_id
        for j in members:
            a = self.units[j].article_id
            if a != me:
                p = self.prob.get((min(i, j), max(i, j)), 0.0)
                best[a] = max(best.get(a, 0.0), p)
        return sum(best.values()) / len(best) if best else 0.0

    def centrality(self, i: int) -> float:
        return float(self.emb[i] @ self.centroid) if len(self.emb) else 0.0

    def prompt_claim(self, claim_id: str) -> PromptClaim | None:
        """The claim as the language model sees it: its least loaded readable wording."""
        from newsprism.analysis.brief.llm import PromptClaim

        cands = [self.cands[i] for i in self.claim_units.get(claim_id, ())]
        cands = [c for c in cands if not c.excluded and c.wording.usable] or [c for c in cands if not c.excluded]
        if not cands:
            return None
        best = min(cands, key=lambda c: (c.penalty, -c.groups, c.unit.article_pos))
        return PromptClaim(claim_id, best.text, max(c.groups for c in cands))

    def cited_claims(self, sentences: Sequence[BriefSentence], extra: int = 0) -> list[str]:
        """The claims the brief cites, then the next most important corroborated ones (for the
        abstractive mode's prompt)."""
        out: list[str] = []
        for s in sentences:
            out.extend(c for c in s.cites if c not in out)
        for c in self.claims.claims:
            if extra <= 0:
                break
            if c.id not in out and not c.single_source:
                out.append(c.id)
                extra -= 1
        return out


def _agreement(units: Sequence[Unit], emb: np.ndarray) -> np.ndarray:
    """For each sentence, the mean over the story's other articles of its best cosine with one of
    their sentences: how much the rest of the coverage says something like it (0 with one article)."""
    n = len(units)
    out = np.zeros(n, dtype=np.float32)
    if n == 0:
        return out
    arts = np.array([u.article_pos for u in units])
    sims = emb @ emb.T
    ids = sorted(set(arts.tolist()))
    if len(ids) < 2:
        return out
    best = np.stack([np.where(arts == a, -1.0, sims[:, arts == a].max(axis=1) if (arts == a).any() else -1.0)
                     for a in ids], axis=1)  # (n, articles); own article masked with -1
    own = arts[:, None] == np.array(ids)[None, :]
    return np.where(own, 0.0, np.clip(best, 0.0, 1.0)).sum(axis=1) / (len(ids) - 1)


_Figure = tuple[str, float, float, float]  # (family: money | percent | score | unit or "count", value, low, high)


def _unit_figures(story: Story, units: Sequence[Unit]) -> list[tuple[_Figure, ...]]:
    """The figures each sentence gives, both sides of a tally ("7-2" gives 7 and 2), each with the
    interval its wording allows (:func:`newsprism.analysis.contradictions.amounts.interval_of_number`: rounding,
    "about", "more than" …); dates, times and ordinals left out."""
    out: list[tuple[_Figure, ...]] = []
    for u in units:
        try:
            qs = story.annotation(u.article_id).quantities
        except KeyError:
            out.append(tuple(("count", v, v - 0.5, v + 0.5) for v in u.numbers))
            continue
        figs: list[_Figure] = []
        for q in qs:
            if u.start <= q.start and q.end <= u.end and q.kind not in ("date", "time", "ordinal"):
                family = q.kind if q.kind in ("money", "percent", "score") else (q.unit or "count")
                figs.extend((family, v, *interval_of_number(q.text, v)) for v in (q.value, q.value2) if v is not None)
        out.append(tuple(figs))
    return out


def _figures_conflict(a: Sequence[_Figure], b: Sequence[_Figure]) -> bool:
    """Both sentences give a figure of one family and each has one that the other's wording rules out
    (no overlap of the intervals: "more than 827,000" rules out 778,000, "about 1,200" allows 1,180).

    >>> _figures_conflict([("count", 156.0, 155.5, 156.5)], [("count", 157.0, 156.5, 157.5)])
    True
    >>> _figures_conflict([("money", 4.8e6, 4.75e6, 4.85e6)], [("money", 5e6, 4.25e6, 5.5e6), ("count", 3.0, 2.5, 3.5)])
    False
    """
    def fits(lo: float, hi: float, others: Sequence[tuple[float, float]]) -> bool:
        return any(lo < o_hi and o_lo < hi for o_lo, o_hi in others)

    for family in {f[0] for f in a} & {f[0] for f in b}:
        xs = [(lo, hi) for f, _, lo, hi in a if f == family]
        ys = [(lo, hi) for f, _, lo, hi in b if f == family]
        if any(not fits(lo, hi, ys) for lo, hi in xs) and any(not fits(lo, hi, xs) for lo, hi in ys):
            return True
    return False


def _subject(story: Story, u: Unit) -> tuple[str, str] | None:
    """The named person or organisation that is the subject of the sentence's main verb, as
    ``(label, key)`` (a person by surname), or None when the subject is not a name."""
    doc = _doc(story, u.article_id)
    span = doc.char_span(u.start, u.end, alignment_mode="expand") if doc is not None else None
    if span is None:
        return None
    subj = next((t for t in span.root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.ent_type_ not in ("PERSON", "ORG"):
        return None
    ent = next((e for e in doc.ents if e.start <= subj.i < e.end), None)
    if ent is None:
        return None
    return ent.label_, entity_key(ent.text, ent.label_)


# saying verbs are looked through ("X said the council voted": "vote"); light verbs say too little
_LIGHT_VERBS = frozenset("be have do get make take go come give let seem become".split())


def _main_verb(story: Story, u: Unit) -> str | None:
    """The lemma of the sentence's main verb, the reported verb under a saying verb ("X said the
    council voted" -> "vote"), or None when it is a light verb ("is", "has") or not a verb."""
    doc = _doc(story, u.article_id)
    span = doc.char_span(u.start, u.end, alignment_mode="expand") if doc is not None else None
    if span is None:
        return None
    root = span.root
    if root.lemma_.lower() in SAY_VERBS:
        root = next((t for t in root.children if t.dep_ == "ccomp"), root)
    lemma = root.lemma_.lower()
    if root.pos_ != "VERB" or lemma in _LIGHT_VERBS or lemma in SAY_VERBS:
        return None
    return str(lemma)


def _shared_words(units: Sequence[Unit]) -> np.ndarray:
    """For each sentence, its content words weighted by the share of the story's other articles
    that also use them (a word all outlets use counts 1): how much of what it says the rest of the
    coverage echoes, the more the longer it is (0 with one article)."""
    arts: dict[str, set[str]] = {}
    for u in units:
        for t in u.terms:
            arts.setdefault(t, set()).add(u.article_id)
    n = len({u.article_id for u in units})
    out = np.zeros(len(units), dtype=np.float32)
    if n < 2:
        return out
    for u in units:
        out[u.index] = sum(len(arts[t]) - 1 for t in u.terms) / (n - 1)
    return out


def _lexical_agreement(units: Sequence[Unit]) -> np.ndarray:
    """For each sentence, the mean over the story's other articles of its best IDF-weighted word
    overlap (the aligner's lexical similarity) with one of their sentences; an inverted index keeps
    it to the pairs that share a word."""
    import math

    from newsprism.analysis.claims.align import idf_weights

    idf = idf_weights(units)
    n_arts = len({u.article_id for u in units})
    out = np.zeros(len(units), dtype=np.float32)
    if n_arts < 2:
        return out
    weight = {t: w * w for t, w in idf.items()}
    norms = [math.sqrt(sum(weight.get(t, 1.0) for t in u.terms)) or 1.0 for u in units]
    postings: dict[str, list[int]] = {}
    for u in units:
        for t in u.terms:
            postings.setdefault(t, []).append(u.index)
    for u in units:
        shared: dict[int, float] = {}
        for t in u.terms:
            w = weight.get(t, 1.0)
            for j in postings[t]:
                if units[j].article_id != u.article_id:
                    shared[j] = shared.get(j, 0.0) + w
        best: dict[str, float] = {}
        for j, v in shared.items():
            a = units[j].article_id
            best[a] = max(best.get(a, 0.0), v / (norms[u.index] * norms[j]))
        out[u.index] = sum(best.values()) / (n_arts - 1)
    return out


def _headline_similarity(story: Story, emb: np.ndarray, centroid: np.ndarray,
                         embedder: Embedder | None) -> np.ndarray:
    """Cosine of each sentence to the mean of the articles' headlines (the story centroid where no
    article has a headline)."""
    titles = [a.title for a in story.articles if a.title]
    if not len(emb):
        return np.zeros(0, dtype=np.float32)
    if not titles:
        return np.clip(emb @ centroid, 0.0, 1.0)
    t = _story_embedder(story, embedder).embed(titles).mean(axis=0)
    t = t / (np.linalg.norm(t) or 1.0)
    return np.clip(emb @ t, 0.0, 1.0)


def _story_embedder(story: Story, embedder: Embedder | None) -> Embedder:
    """The embedder whose vector space the story's stored sentence vectors are in: texts embedded
    now are compared with them, so they must land in the same space whatever the caller passed."""
    from newsprism.nlp.embeddings import EMBEDDERS, get_embedder

    names = {a.embedder for a in story.annotations if a.embedder}
    name = names.pop() if len(names) == 1 else None
    if name in EMBEDDERS and (embedder is None or embedder.name != name):
        return get_embedder(name)
    return embedder or get_embedder()


def _unit_embeddings(story: Story, units: Sequence[Unit]) -> np.ndarray:  # pragma: no cover - safety net
    return _story_embedder(story, None).embed([u.text for u in units])


def _doc(story: Story, article_id: str) -> Any:
    try:
        return story.annotation(article_id).doc
    except KeyError:
        return None


_Marks = dict[str, tuple[list[tuple[int, int, float]], list[tuple[int, int]]]]


def _framing_marks(story: Story, framing: Any, units: Sequence[Unit]) -> _Marks:
    """Per article: the loaded spans ``(start, end, weight)`` and the unattributed-opinion sentences
    ``(start, end)``, from the framing analysis when given, else found here with the same detectors."""
    rows = getattr(framing, "rows", framing)
    if rows is not None:
        return {r.article: ([(x.span.start, x.span.end, x.weight) for x in r.loaded],
                            [(o.span.start, o.span.end) for o in getattr(r, "unattributed", ())]) for r in rows}
    from newsprism.analysis.framing.loaded import find_loaded
    from newsprism.analysis.framing.opinion import unattributed_opinions
    from newsprism.text.quoted import QuotedRegions

    out: _Marks = {}
    for article in story.articles:
        doc = _doc(story, article.id)
        if doc is None:
            from newsprism.nlp.spacy_pipeline import load

            doc = load()(article.text)
        quoted = QuotedRegions(quoted_regions(article.text, article.paragraphs or None))
        hits = find_loaded(article.text, doc, quoted=quoted, skip=[(a.start, a.end) for a in article.artifacts])
        sents = [(u.start, u.end) for u in units if u.article_id == article.id]
        opinions = unattributed_opinions(article.text, doc, sents, loaded=hits, quoted=quoted)
        out[article.id] = ([(h.start, h.end, h.weight) for h in hits], [(o.start, o.end) for o in opinions])
    return out


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


def _select(ctx: _Context, length: int, weights: _Weights) -> tuple[list[BriefSentence], set[str]]:
    """Rank the claims' best wordings, pick them by MMR within the budget, cite and order them."""
    rank = {c.id: k for k, c in enumerate(ctx.claims.claims)}
    pool: list[tuple[float, str, _Cand]] = []
    for c in ctx.claims.claims:
        cand = ctx.best_wording(c.id, weights)
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
    chosen: list[_Cand] = []
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


def _adds_specifics(ctx: _Context, cand: _Cand, numbers: set[float], names: set[str]) -> bool:
    """A second wording of a claim earns its place only with a figure or a name the brief lacks, and
    only when it is not loaded."""
    return cand.wording.loaded == 0 and bool(ctx.numbers[cand.unit.index] - numbers or cand.unit.entities - names)


def _relevance(ctx: _Context, importance: float, cand: _Cand, weights: _Weights) -> float:
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


def _position(ctx: _Context, cand: _Cand) -> float:
    """Where the sentence's fact sits in the articles that state it (0 = their leads)."""
    return float(np.mean([ctx.units[j].relative_position for j in cand.support.values()]))


def _sentence(ctx: _Context, cand: _Cand) -> BriefSentence:
    u = cand.unit
    article = ctx.story.article(u.article_id)
    own = article.span(u.start + cand.cut, u.end)
    others = [(a, j) for a, j in cand.support.items() if a != u.article_id]
    order = {a.id: k for k, a in enumerate(ctx.story.articles)}
    others.sort(key=lambda t: order.get(t[0], 0))
    spans = [own] + [ctx.story.article(a).span(ctx.units[j].start, ctx.units[j].end) for a, j in others]
    sources = tuple([u.article_id] + [a for a, _ in others])
    disputed = (ctx.side_of[u.index][0],) if u.index in ctx.side_of else ()
    return BriefSentence(
        text=cand.text, cites=tuple(ctx.claims_of_unit.get(u.index, ())), sources=sources, spans=tuple(spans),
        single_source=cand.groups <= 1, independent_sources=cand.groups, details=cand.details,
        disputed=disputed)


def _redundancy(ctx: _Context, cand: _Cand, chosen: Sequence[_Cand], terms: set[str], numbers: set[float]) -> float:
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


def _single_source(ctx: _Context, chosen: set[str], k: int, said: set[int]) -> tuple[SingleSourceClaim, ...]:
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


def _checkable(ctx: _Context, u: Unit) -> list[str]:
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
