"""Align sentences across a story's articles: which sentences state the same fact.

Scoring reads: every cross-article sentence pair whose embeddings or words are close enough
to be worth a look gets a same-claim probability from five kinds of evidence (embedding
cosine, IDF-weighted shared content words, a word-by-word soft match of the sentences'
contextual word-piece vectors, shared named entities, shared numbers). The soft match is
what catches paraphrase inside otherwise different sentences ("barred city resources" ~
"prohibits the use of city facilities"): each content piece of one sentence finds its
closest piece in the other, as BERTScore does.
Grouping writes: pairs are merged into claims by average linkage, so a chain of loose
matches (A~B, B~C, A!~C) does not glue different facts together.

The weights were fitted by logistic regression on the hand-labelled development pairs
(``bench/bench_claims.py --fit``, ``bench/gold/claim_pairs.md``), once per embedder, since each
model's cosines and word pieces have their own scale: :data:`CALIBRATIONS`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsprism.analysis.claims.units import _NEWS_STOP, Unit

# bias, cosine, lexical, entities, numbers, soft match (``bench/bench_claims.py --fit`` refits them)
WEIGHTS: tuple[float, ...] = (-4.53, 2.85, 4.5, 0.07, 1.19, 3.66)
#: the same model without the soft match, for embedders that give no word-piece vectors
WEIGHTS_WITHOUT_PIECES: tuple[float, ...] = (-3.82, 4.02, 5.38, 0.13, 1.25, 0.0)
#: a pair is a match above this probability
THRESHOLD = 0.34
#: the same model fitted with all-mpnet-base-v2's sentence and word-piece vectors (``--embedder mpnet-torch``)
MPNET_WEIGHTS: tuple[float, ...] = (-4.9, 2.92, 4.61, -0.08, 1.26, 3.7)
MPNET_THRESHOLD = 0.38
#: candidate pairs: embedding cosine or lexical overlap at least this (cheap pre-filter)
MIN_COSINE, MIN_LEXICAL = 0.45, 0.25


@dataclass(frozen=True, slots=True)
class PairScore:
    i: int
    j: int
    cosine: float
    lexical: float
    entities: float
    numbers: float
    probability: float
    soft: float = 0.0


@dataclass(frozen=True, slots=True)
class Calibration:
    """The aligner's fitted model for one embedder: evidence weights and the match threshold."""

    weights: tuple[float, ...]
    threshold: float


#: per embedder (``Embedder.name``), fitted on gold batch 1 (``bench/bench_claims.py --fit --embedder NAME``)
CALIBRATIONS: dict[str, Calibration] = {
    "minilm-onnx": Calibration(WEIGHTS, THRESHOLD),
    "mpnet-torch": Calibration(MPNET_WEIGHTS, MPNET_THRESHOLD),
}
#: for embedders without word-piece vectors (the soft match weighs nothing)
WITHOUT_PIECES = Calibration(WEIGHTS_WITHOUT_PIECES, THRESHOLD)


@dataclass(frozen=True, slots=True)
class PieceProfile:
    """A sentence's content word pieces as rows of unit vectors, with their IDF weights."""

    vectors: np.ndarray  # float32, (pieces, dim)
    weights: np.ndarray  # float32, (pieces,)
    #: the weights' sum (a float32 scalar, as the soft match divides by it), once per sentence
    total: np.floating[Any] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", self.weights.sum())


def _content_piece(piece: str) -> bool:
    word = piece.removeprefix("##")
    if not any(c.isalnum() for c in word):
        return False
    if piece.startswith("##"):
        return True
    return (len(word) > 1 or word.isdigit()) and word not in _NEWS_STOP


def piece_profiles(units: Sequence[Unit]) -> list[PieceProfile | None]:
    """Each unit's content pieces (function words and punctuation left out), IDF-weighted over
    the story's sentences; None for a unit without word-piece vectors or without content."""
    df: dict[str, int] = {}
    for u in units:
        if u.token_vectors is not None:
            for piece in set(u.token_vectors.pieces):
                df[piece] = df.get(piece, 0) + 1
    n = len(units)
    out: list[PieceProfile | None] = []
    for u in units:
        tv = u.token_vectors
        keep = [k for k, piece in enumerate(tv.pieces) if _content_piece(piece)] if tv is not None else []
        if tv is None or not keep:
            out.append(None)
            continue
        weights = np.array([math.log((n + 1) / (df[tv.pieces[k]] + 1)) + 1.0 for k in keep], dtype=np.float32)
        out.append(PieceProfile(np.asarray(tv.vectors[keep], dtype=np.float32), weights))
    return out


def soft_match(a: PieceProfile | None, b: PieceProfile | None) -> float:
    """F-score of greedy piece matching: each content piece's best cosine in the other
    sentence, IDF-weighted, averaged both ways (BERTScore without baseline rescaling).

    >>> v = np.eye(3, dtype=np.float32)
    >>> a = PieceProfile(v[:2], np.ones(2, dtype=np.float32))
    >>> b = PieceProfile(v[1:], np.ones(2, dtype=np.float32))
    >>> soft_match(a, a), soft_match(a, b), soft_match(a, None)
    (1.0, 0.5, 0.0)
    """
    if a is None or b is None:
        return 0.0
    sims = a.vectors @ b.vectors.T
    p = float(sims.max(axis=1) @ a.weights / a.total)
    r = float(sims.max(axis=0) @ b.weights / b.total)
    return 2 * p * r / (p + r) if p > 0 and r > 0 else 0.0


def idf_weights(units: Sequence[Unit]) -> dict[str, float]:
    """Smoothed inverse document frequency of each content term over the story's sentences."""
    df: dict[str, int] = {}
    for u in units:
        for t in u.terms:
            df[t] = df.get(t, 0) + 1
    n = len(units)
    return {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}


def lexical_similarity(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    """Cosine of binary IDF-weighted term vectors.

    >>> idf = {"dam": 1.0, "crack": 2.0, "rain": 2.0}
    >>> round(lexical_similarity(frozenset({"dam", "crack"}), frozenset({"dam", "rain"}), idf), 3)
    0.2
    """
    shared = a & b
    if not shared:
        return 0.0
    w = lambda ts: math.sqrt(sum(idf.get(t, 1.0) ** 2 for t in ts))  # noqa: E731
    return sum(idf.get(t, 1.0) ** 2 for t in shared) / (w(a) * w(b))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def probability(cosine: float, lexical: float, entities: float, numbers: float, soft: float = 0.0,
                weights: Sequence[float] | None = None) -> float:
    """The fitted logistic model: same-claim probability from the pair's evidence.

    >>> round(probability(0.9, 0.5, 1.0, 1.0, 0.7), 3)
    0.984
    """
    weights = weights or WEIGHTS
    z = (weights[0] + weights[1] * cosine + weights[2] * lexical + weights[3] * entities + weights[4] * numbers
         + weights[5] * soft)
    return 1.0 / (1.0 + math.exp(-z))


def calibration_for(units: Sequence[Unit]) -> Calibration:
    """The fitted model for the embedder behind ``units``: :data:`WITHOUT_PIECES` unless every
    unit has word-piece vectors; MiniLM's for an embedder that was never fitted.

    >>> calibration_for([]) == CALIBRATIONS["minilm-onnx"]
    True
    """
    if not all(u.token_vectors is not None for u in units):
        return WITHOUT_PIECES
    names = {u.embedder for u in units}
    name = names.pop() if len(names) == 1 else None
    return CALIBRATIONS.get(name or "", CALIBRATIONS["minilm-onnx"])


def weights_for(units: Sequence[Unit]) -> tuple[float, ...]:
    """The evidence weights of :func:`calibration_for` ``(units)``."""
    return calibration_for(units).weights


def profile_classes(profiles: Sequence[PieceProfile | None]) -> list[int]:
    """A class number per profile: equal numbers for byte-identical profiles (copies of one wire
    sentence), so a pair's soft match is computed once per pair of classes; -1 for None.

    >>> v = np.eye(2, dtype=np.float32)
    >>> a, b = PieceProfile(v, np.ones(2, dtype=np.float32)), PieceProfile(v[:1], np.ones(1, dtype=np.float32))
    >>> profile_classes([a, b, PieceProfile(v.copy(), np.ones(2, dtype=np.float32)), None])
    [0, 1, 0, -1]
    """
    reps: dict[bytes, list[tuple[int, PieceProfile]]] = {}
    out: list[int] = []
    n_classes = 0
    for prof in profiles:
        if prof is None:
            out.append(-1)
            continue
        # a digest, not the bytes, as the key (the bytes of a story's profiles run to 100 MB);
        # profiles with one digest are still compared whole, so a collision cannot merge two
        h = hashlib.blake2b(prof.vectors.tobytes(), digest_size=16)
        h.update(prof.weights.tobytes())
        h.update(repr(prof.vectors.shape).encode())
        same = reps.setdefault(h.digest(), [])
        for cls, rep in same:
            if (rep.vectors.shape == prof.vectors.shape and np.array_equal(rep.vectors, prof.vectors)
                    and np.array_equal(rep.weights, prof.weights)):
                out.append(cls)
                break
        else:
            same.append((n_classes, prof))
            out.append(n_classes)
            n_classes += 1
    return out


def candidate_pairs(units: Sequence[Unit], embeddings: np.ndarray,
                    idf: dict[str, float] | None = None,
                    weights: Sequence[float] | None = None,
                    profiles: Sequence[PieceProfile | None] | None = None) -> list[PairScore]:
    """Score every cross-article pair that passes the cheap pre-filter.

    Cosines come from one matrix product, in row blocks so memory stays linear in the
    number of sentences; lexical overlaps come from an inverted index over content terms,
    so only pairs that share a word are ever looked at; the soft match is computed for
    candidates only. ``profiles`` (from :func:`piece_profiles`) saves computing them again.

    Copies of one sentence (a wire story run by forty outlets) cost little more than one: the
    index lists each distinct term set once, and the soft match of two byte-identical pairs of
    profiles is computed once. Both give the same floats as scoring every pair apart: a pair's
    shared-term sum is taken in the first sentence's term order whatever the second one's.

    >>> from newsprism.analysis.claims.units import Unit
    >>> def unit(i, art, terms):
    ...     return Unit(i, f"a{art}", art, 0, 1, 0, 1, "x", frozenset(terms), frozenset(), frozenset())
    >>> us = [unit(0, 0, {"dam", "crack"}), unit(1, 1, {"dam", "crack"}), unit(2, 2, {"rain"})]
    >>> emb = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    >>> [(p.i, p.j, round(p.lexical, 2)) for p in candidate_pairs(us, emb, weights=WITHOUT_PIECES.weights)]
    [(0, 1, 1.0)]
    """
    idf = idf if idf is not None else idf_weights(units)
    weights = weights or weights_for(units)
    if not weights[5]:
        profiles = [None] * len(units)
    elif profiles is None:
        profiles = piece_profiles(units)
    n = len(units)
    article = np.array([u.article_pos for u in units], dtype=np.int64)
    norms = [math.sqrt(sum(idf.get(t, 1.0) ** 2 for t in u.terms)) or 1.0 for u in units]
    norm_row = np.array(norms, dtype=np.float64)
    # the inverted index over distinct term sets: copies of a sentence share one posting
    term_class: dict[frozenset[str], int] = {}
    unit_class = np.array([term_class.setdefault(u.terms, len(term_class)) for u in units], dtype=np.int64)
    listed: dict[str, list[int]] = {}
    for ts, c in term_class.items():
        for t in ts:
            listed.setdefault(t, []).append(c)
    postings = {t: np.array(cs, dtype=np.int64) for t, cs in listed.items()}
    soft_class = profile_classes(profiles)
    soft_cache: dict[tuple[int, int], float] = {}
    # entity and number overlap depend on the two sentences' sets only: once per pair of set classes
    evidence: dict[tuple[frozenset[str], frozenset[float]], int] = {}
    ev_class = [evidence.setdefault((u.entities, u.numbers), len(evidence)) for u in units]
    ev_cache: dict[tuple[int, int], tuple[float, float]] = {}
    out: list[PairScore] = []
    block = 1024
    for lo in range(0, n, block):
        sims = embeddings[lo:lo + block] @ embeddings.T
        for r in range(sims.shape[0]):
            i = lo + r
            by_class = np.zeros(len(term_class), dtype=np.float64)
            # summed in i's term order, as for each pair apart (a term lists each class once)
            for t in units[i].terms:
                by_class[postings[t]] += idf.get(t, 1.0) ** 2
            lexical = by_class[unit_class] / (norms[i] * norm_row)
            row = sims[r]
            other = article != article[i]
            other[:i + 1] = False
            cand = np.nonzero(other & ((row >= MIN_COSINE) | (lexical >= MIN_LEXICAL)))[0]
            pi, ci, ei, ui = profiles[i], soft_class[i], ev_class[i], units[i]
            for j in cand.tolist():
                cj = soft_class[j]
                if ci < 0 or cj < 0:
                    soft = soft_match(pi, profiles[j])
                else:
                    key = (ci, cj)
                    cached = soft_cache.get(key)
                    if cached is None:
                        cached = soft_cache[key] = soft_match(pi, profiles[j])
                    soft = cached
                ev = ev_cache.get((ei, ev_class[j]))
                if ev is None:  # as score_pair gives them
                    uj = units[j]
                    ev = ev_cache[ei, ev_class[j]] = (_overlap(ui.entities, uj.entities),
                                                      1.0 if ui.numbers & uj.numbers else 0.0)
                cos, lex = float(row[j]), float(lexical[j])
                out.append(PairScore(ui.index, units[j].index, cos, lex, ev[0], ev[1],
                                     probability(cos, lex, ev[0], ev[1], soft, weights), soft))
    return out


def score_pair(a: Unit, b: Unit, cosine: float, lex: float, soft: float = 0.0,
               weights: Sequence[float] | None = None) -> PairScore:
    """One pair's evidence and probability; ``weights`` as :func:`weights_for` gives them for the story."""
    ent = _overlap(a.entities, b.entities)
    num = 1.0 if a.numbers & b.numbers else 0.0
    weights = weights or WEIGHTS
    return PairScore(a.index, b.index, cosine, lex, ent, num,
                     probability(cosine, lex, ent, num, soft, weights), soft)


def group_claims(n: int, pairs: Sequence[PairScore], threshold: float | None = None,
                 article_of: Sequence[int] | None = None, linkage: str = "average") -> list[list[int]]:
    """Group units into claims over the scored pairs.

    Pairs are visited from the most to the least probable. With ``average`` linkage two
    groups merge when the mean probability over their cross-article pairs (unscored pairs
    count as 0; pairs within one article are not compared) stays above ``threshold``; with
    ``single`` linkage every pair above it merges. Returns sorted groups of unit indices,
    singletons included.

    The linkage is kept, not recounted: each pair of groups' summed probability is updated on
    a merge (as in standard agglomerative clustering) and their count of cross-article pairs
    comes from per-group article counts, so a merge costs the groups' neighbours and articles,
    not the product of their sizes (forty copies of a wire sentence made that cubic).

    >>> ps = [PairScore(0, 1, .9, .5, 0, 0, .95), PairScore(1, 2, .8, .4, 0, 0, .6)]
    >>> group_claims(4, ps)  # 2 stays out: its mean link to {0, 1} is (0 + .6) / 2 < .35
    [[0, 1], [2], [3]]
    """
    threshold = THRESHOLD if threshold is None else threshold
    prob = {(p.i, p.j): p.probability for p in pairs}
    members = {i: [i] for i in range(n)}
    parent = list(range(n))
    # group -> neighbouring group -> summed probability of their cross-article scored pairs
    # (a pair only counts as (min, max) and, with ``article_of``, across articles)
    link: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    if linkage == "average":
        for (x, y), pr in prob.items():
            if x < y and (article_of is None or article_of[x] != article_of[y]):
                link[x][y] = link[x].get(y, 0.0) + pr
                link[y][x] = link[y].get(x, 0.0) + pr
    # group -> article -> members from it (without ``article_of`` every unit is its own article)
    arts: dict[int, dict[int, int]] = {i: {article_of[i] if article_of is not None else i: 1} for i in range(n)}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in sorted(pairs, key=lambda p: -p.probability):
        if p.probability < threshold:
            break
        a, b = find(p.i), find(p.j)
        if a == b:
            continue
        if linkage == "average":
            aa, ab = arts[a], arts[b]
            small, big = (aa, ab) if len(aa) <= len(ab) else (ab, aa)
            cross = len(members[a]) * len(members[b]) - sum(k * big.get(art, 0) for art, k in small.items())
            if cross and link[a].get(b, 0.0) / cross < threshold:
                continue
        # the bigger group absorbs the smaller (which root is kept does not change the groups)
        if len(link[a]) + len(members[a]) < len(link[b]) + len(members[b]):
            a, b = b, a
        parent[b] = a
        members[a] += members.pop(b)
        la, lb = link[a], link.pop(b)
        la.pop(b, None)
        for c, v in lb.items():
            if c != a:
                la[c] = la.get(c, 0.0) + v
                lc = link[c]
                lc[a] = lc.get(a, 0.0) + lc.pop(b)
        aa = arts[a]
        for art, k in arts.pop(b).items():
            aa[art] = aa.get(art, 0) + k
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])


def attach_multi_fact_sentences(groups: Sequence[Sequence[int]], pairs: Sequence[PairScore],
                                article_of: Sequence[int], threshold: float | None = None) -> list[list[int]]:
    """Let one sentence join every claim it states, not just the first it was grouped into.

    News sentences often carry two facts ("the council approved $4.8 million after ordering
    1,200 residents out"); another outlet may state only one of them. A unit joins another
    group when its mean probability to that group's members is above ``threshold`` and its
    article is not already in the group.

    A unit's mean to a group is computed once (the primary groups do not change), not once per
    pair that leads to it: copies of a sentence lead to the same group many times over.

    >>> ps = [PairScore(0, 1, .9, .5, 0, 0, .9), PairScore(0, 2, .9, .5, 0, 0, .6)]
    >>> attach_multi_fact_sentences([[0, 1], [2]], ps, article_of=[0, 1, 2])
    [[0, 1], [0, 2]]
    """
    threshold = THRESHOLD if threshold is None else threshold
    prob = {(p.i, p.j): p.probability for p in pairs}
    group_of = {u: k for k, g in enumerate(groups) for u in g}
    out = [list(g) for g in groups]
    inside = [set(g) for g in groups]
    articles = [{article_of[u] for u in g} for g in groups]
    tried: set[tuple[int, int]] = set()  # (unit, group) whose mean fell short: it always will
    for p in sorted(pairs, key=lambda p: -p.probability):
        if p.probability < threshold:
            break
        for u, v in ((p.i, p.j), (p.j, p.i)):
            k = group_of[v]
            if u in inside[k] or article_of[u] in articles[k] or (u, k) in tried:
                continue
            members = groups[k]
            mean = sum(prob.get((min(u, m), max(u, m)), 0.0) for m in members) / len(members)
            if mean >= threshold:
                out[k].append(u)
                inside[k].add(u)
                articles[k].add(article_of[u])
            else:
                tried.add((u, k))
    return [sorted(g) for g in out]


def same_claim_pairs(groups: Sequence[Sequence[int]]) -> set[tuple[int, int]]:
    """All unit pairs (i < j) that share a group: what the pairwise evaluation compares."""
    out: set[tuple[int, int]] = set()
    for g in groups:
        for x in range(len(g)):
            for y in range(x + 1, len(g)):
                out.add((g[x], g[y]))
    return out
