"""What the brief's selection reads about a story, computed once: every sentence as a candidate
wording (cleaned text, wording quality, the articles that verifiably state it) and the story-level
evidence its ranking uses (agreement between outlets, headlines, figures, subjects, main verbs).

The citation rule lives here (:meth:`BriefContext.corroborated`, :data:`CITE_PROBABILITY`,
:data:`CITE_ALONE_PROBABILITY`); :mod:`newsprism.analysis.brief.select` ranks and picks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from newsprism.analysis.brief.output import BriefSentence, DisputedPoint
from newsprism.analysis.brief.wording import Wording, clean_prefix, wording_features
from newsprism.analysis.claims.align import idf_weights, piece_profiles
from newsprism.analysis.claims.support import SupportJudge, unit_figures
from newsprism.analysis.claims.units import Unit, entity_key, story_units
from newsprism.analysis.contradictions.amounts import interval_of_number
from newsprism.analysis.contradictions.predicates import SAY_VERBS
from newsprism.model import Span, Story
from newsprism.text.quoted import quoted_regions
from newsprism.text.words import LIGHT_VERBS

if TYPE_CHECKING:
    from newsprism.analysis.brief.llm import PromptClaim
    from newsprism.analysis.claims import ClaimAnalysis
    from newsprism.nlp.embeddings import Embedder

DEFAULT_LENGTH = 160
#: an article supports a brief sentence when one of its sentences aligns with it at least this well
#: (the aligner's same-fact probability; chosen on hand-labelled citations, bench/gold/brief_citations.md)
#: and another cited article's sentence states the same (see :data:`CITE_ALONE_PROBABILITY`)
CITE_PROBABILITY = 0.6
#: an article's sentence that no other cited article's sentence corroborates backs a brief sentence
#: only at this same-fact probability or with the same main verb (lone pairs between 0.6 and 0.75
#: were wrong one time in three in the hand-labelled citations: same topic, another fact)
CITE_ALONE_PROBABILITY = 0.75
#: with a judged matrix, the support judge must also find that the article's sentence states the
#: brief sentence at least this probably (:mod:`newsprism.analysis.claims.support`): chosen on the
#: labelled citations of the val split (dev, check, heldout, heldout2), never on the train split's
#: heldout3-5 (BENCHMARKS.md, "Neutral brief")
CITE_STATES_PROBABILITY = 0.2


@dataclass
class Candidate:
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



class BriefContext:
    """Everything the selection reads, computed once per story."""

    def __init__(self, story: Story, claims: ClaimAnalysis, framing: Any,
                 disputed: Sequence[DisputedPoint] | None, embedder: Embedder | None = None) -> None:
        """``disputed`` None leaves the contradictions' sides to :meth:`take_sides`: everything else
        can be read while the quotes, which the contradictions wait for, are still being grouped."""
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
        # the judge filters citations only with a judged matrix: never built for the default brief
        self.judged = bool(getattr(claims, "judge_support", False))
        judge: SupportJudge | None = getattr(claims, "judge", None)
        if self.judged and (judge is None or len(judge.units) != len(units)):
            judge = SupportJudge(units, piece_profiles(units), idf_weights(units),
                                 figures=unit_figures(story, units))
        self.judge = judge
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
        marks = _framing_marks(story, framing, units)
        # each sentence's wording: (characters cut from its start, its cleaned text, its features)
        self.wordings: dict[int, tuple[int, str, Wording]] = {}
        for article in story.articles:
            quoted = quoted_regions(article.text, article.paragraphs or None)
            doc = _doc(story, article.id)
            for u in (x for x in units if x.article_id == article.id):
                cut, text = clean_prefix(article.text[u.start:u.end])
                span = doc.char_span(u.start + cut, u.end, alignment_mode="expand") if doc is not None else None
                w = wording_features(article.text, u.start, u.end, cleaned_start=u.start + cut,
                                     loaded=marks.get(article.id, ([], []))[0], quoted=quoted, doc_span=span,
                                     opinions=marks.get(article.id, ([], []))[1])
                self.wordings[u.index] = (cut, text, w)
        self.disputed: Sequence[DisputedPoint] = ()
        self.side_of: dict[int, tuple[str, int, bool]] = {}  # unit -> (contradiction, side, minority)
        self.cands: dict[int, Candidate] = {}
        if disputed is not None:
            self.take_sides(disputed)

    def take_sides(self, disputed: Sequence[DisputedPoint]) -> None:
        """Read the contradictions' sides and build every sentence's candidate (its sources exclude
        articles that take another side; a minority value is kept out of the brief)."""
        self.disputed = disputed
        self.side_of = {}
        for d in disputed:
            top = len(d.sides[0].articles) if d.sides else 0
            for k, side in enumerate(d.sides):
                minority = k > 0 and len(side.articles) < top
                for sp in side.spans:
                    for ui in self._units_overlapping(sp):
                        prev = self.side_of.get(ui)
                        if prev is None or (minority and not prev[2]):
                            self.side_of[ui] = (d.id, k, minority)
        self.cands = {i: self._cand(self.units[i], cut, text, w) for i, (cut, text, w) in self.wordings.items()}

    def units_of(self, span: Span) -> list[int]:
        """The sentences a (possibly trimmed) span lies in."""
        return [u.index for u in self.units
                if u.article_id == span.article_id and u.start <= span.start and span.end <= u.end]

    def _units_overlapping(self, span: Span) -> list[int]:
        return [u.index for u in self.units
                if u.article_id == span.article_id and u.start < span.end and span.start < u.end]

    def _cand(self, u: Unit, cut: int, text: str, w: Wording) -> Candidate:
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
        return Candidate(u, cut, text, w, w.penalty(), support, groups, max(groups, reach),
                     excluded=mine is not None and mine[2], details=details)

    def states(self, i: int, j: int) -> bool:
        """Whether sentence ``j`` (another article's) states what sentence ``i`` says, as the support
        judge reads it: probability at least :data:`CITE_STATES_PROBABILITY` and no conflict. Checked
        when a sentence is shown, after ranking: a citation it fails is dropped, never replaced.
        Only with a judged matrix (``analyze_claims(judge_support=True)``); otherwise always true."""
        if not self.judged or self.judge is None:
            return True
        aligned = self.prob.get((min(i, j), max(i, j)), 0.0)
        return (self.judge.probability(i, j, aligned) >= CITE_STATES_PROBABILITY
                and not self.judge.conflict(i, j, aligned))

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

    def best_wording(self, claim_id: str, represent: float, detail: float) -> Candidate | None:
        """The claim's wording to read out (see the module docstring, 1)."""
        cands = [self.cands[i] for i in self.claim_units.get(claim_id, ())]
        cands = [c for c in cands if not c.excluded and c.wording.usable]
        if not cands:
            return None
        members = self.claim_units.get(claim_id, ())
        top = max(c.groups for c in cands)
        # rounded: two outlets printing the same sentence score the same but for float noise (sums
        # taken in an order that changes with the process's hash seed), and the position must decide
        return max(cands, key=lambda c: (round(0.6 * c.groups / top
                                               + represent * self.representative(c.unit.index, members)
                                               - c.penalty - detail * len(c.details), 9),
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
    ids = sorted(set(arts.tolist()))
    if len(ids) < 2:
        return out
    # each sentence's best cosine in each article: one max over each article's run of columns
    # (sentences come grouped by article; sorted here in case they are not)
    order = np.argsort(arts, kind="stable")
    by_article = emb[order]
    sims = emb @ by_article.T
    starts = np.flatnonzero(np.r_[True, np.diff(arts[order]) != 0])
    best = np.maximum.reduceat(sims, starts, axis=1)  # (n, articles), articles in ``ids`` order
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


# saying verbs are looked through ("X said the council voted": "vote"), the same SAY_VERBS as contradiction
# predicates; light verbs (all of LIGHT_VERBS) say too little
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
    if root.pos_ != "VERB" or lemma in LIGHT_VERBS or lemma in SAY_VERBS:
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
    overlap (the aligner's lexical similarity) with one of their sentences.

    Worked once per distinct term list, not per sentence, so the copies of a wire story cost little
    more than one: each overlap is summed over the terms in the sentence's own iteration order and
    the articles in the order in which an inverted index first meets them, as a per-sentence scan
    does, so every float is the same to the bit (``tests/analysis/brief/test_lexical_agreement.py``
    checks it against that scan).

    >>> from newsprism.analysis.claims.units import Unit
    >>> def u(i, art, *terms):
    ...     return Unit(i, art, ord(art) - 97, 0, 1, 0, 1, " ".join(terms), frozenset(terms), frozenset(), frozenset())
    >>> [round(float(x), 3) for x in _lexical_agreement([u(0, "a", "vote", "bridge"), u(1, "b", "vote", "bridge"),
    ...                                                    u(2, "c", "rain")])]
    [0.5, 0.5, 0.0]
    """
    import math

    from newsprism.analysis.claims.align import idf_weights

    idf = idf_weights(units)
    n_arts = len({u.article_id for u in units})
    out = np.zeros(len(units), dtype=np.float32)
    if n_arts < 2:
        return out
    weight = {t: w * w for t, w in idf.items()}
    # a class per distinct term list in iteration order (the order every float sum below follows)
    class_of: dict[tuple[str, ...], int] = {}
    cls = [class_of.setdefault(tuple(u.terms), len(class_of)) for u in units]
    terms = list(class_of)
    norms = [math.sqrt(sum(weight.get(t, 1.0) for t in ts)) or 1.0 for ts in terms]
    # each class's first sentence in each article (the one a scan by sentence index meets first)
    first_in: list[dict[str, int]] = [{} for _ in terms]
    for u in units:
        first_in[cls[u.index]].setdefault(u.article_id, u.index)
    postings: dict[str, list[int]] = {}
    for d, ts in enumerate(terms):
        for t in ts:
            postings.setdefault(t, []).append(d)
    # In arrays, one class at a time: a class's overlap with every other is summed term by term in
    # its own term order (each neighbour gets the same float additions, from 0.0, as a scan), and
    # the per-article best and first meeting are a max and a min, which no order changes.
    n = len(terms)
    posting = {t: np.asarray(ds, dtype=np.int64) for t, ds in postings.items()}
    norm = np.asarray(norms, dtype=np.float64)
    names = sorted({u.article_id for u in units})
    art_no = {a: k for k, a in enumerate(names)}
    counts = np.asarray([len(f) for f in first_in], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)])
    flat_art = np.asarray([art_no[a] for f in first_in for a in f], dtype=np.int64)
    flat_j = np.asarray([j for f in first_in for j in f.values()], dtype=np.int64)
    stride = len(units) + 1  # (p, j) as one integer: p * stride + j orders as the pair does
    # per class: the articles met and their best overlaps, in first-met order
    ranked: list[tuple[np.ndarray, np.ndarray]] = []
    for c, ts in enumerate(terms):
        overlap = np.zeros(n, dtype=np.float64)
        first_p = np.full(n, -1, dtype=np.int64)
        for p, t in enumerate(ts):
            ds = posting[t]
            overlap[ds] += weight.get(t, 1.0)
            fresh = ds[first_p[ds] < 0]
            first_p[fresh] = p
        met = np.flatnonzero(first_p >= 0)
        score = overlap[met] / (norms[c] * norm[met])
        # every (article, first sentence) of every class met, beside its class's score and p
        per = counts[met]
        rows = np.repeat(offsets[met] - np.concatenate([[0], np.cumsum(per)[:-1]]), per) + np.arange(per.sum())
        arts = flat_art[rows]
        best = np.zeros(len(names), dtype=np.float64)
        np.maximum.at(best, arts, np.repeat(score, per))
        first = np.full(len(names), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, arts, np.repeat(first_p[met], per) * stride + flat_j[rows])
        seen = np.flatnonzero(first != np.iinfo(np.int64).max)
        met_in_order = seen[np.argsort(first[seen], kind="stable")]
        ranked.append((met_in_order, best[met_in_order]))
    for u in units:
        met_in_order, values = ranked[cls[u.index]]
        others = values[met_in_order != art_no[u.article_id]]
        # added one after another in that order, as a scan would (accumulate never sums pairwise)
        out[u.index] = (np.add.accumulate(others)[-1] if len(others) else 0.0) / (n_arts - 1)
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

