"""Alignment without the cost of copies (issue 17) gives exactly what pair-by-pair scoring gives.

The property tests draw small stories in which many sentences are exact copies of others (the same
term set, embedding row and word-piece profile, as when outlets run one wire story) and compare
:func:`candidate_pairs`, :func:`group_claims` and :func:`attach_multi_fact_sentences` with the
reference versions written out below: every pair scored apart, every merge's linkage summed over
all member pairs, every attachment's mean recomputed. Grouping probabilities are drawn from a grid of
multiples of 1/64, whose sums are exact in any order, so equal means equal bit for bit, ties included.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsprism.analysis.claims.align as align
from newsprism.analysis.claims.align import (
    MIN_COSINE,
    MIN_LEXICAL,
    THRESHOLD,
    WEIGHTS,
    WITHOUT_PIECES,
    PairScore,
    PieceProfile,
    attach_multi_fact_sentences,
    candidate_pairs,
    group_claims,
    idf_weights,
    profile_classes,
    score_pair,
    soft_match,
)
from newsprism.analysis.claims.units import Unit

VOCAB = "dam crack river council vote million spillway rain bridge repair county mayor".split()


# ----------------------------------------------------------------------------- the references


def reference_candidate_pairs(units: Sequence[Unit], embeddings: np.ndarray, idf: dict[str, float],
                              weights: Sequence[float],
                              profiles: Sequence[PieceProfile | None]) -> list[PairScore]:
    """Every cross-article pair scored apart (the code before issue 17's copy work)."""
    n = len(units)
    article = np.array([u.article_pos for u in units])
    norms = [math.sqrt(sum(idf.get(t, 1.0) ** 2 for t in u.terms)) or 1.0 for u in units]
    postings: dict[str, list[int]] = {}
    for u in units:
        for t in u.terms:
            postings.setdefault(t, []).append(u.index)
    out: list[PairScore] = []
    sims = np.zeros((0, n), dtype=np.float32)
    for i in range(n):
        if i % 1024 == 0:  # cosines in the same 1024-row blocks, so the same float32 sums
            sims = embeddings[i:i + 1024] @ embeddings.T
        row = sims[i % 1024]
        shared: dict[int, float] = {}
        for t in units[i].terms:
            w = idf.get(t, 1.0) ** 2
            for j in postings[t]:
                if j > i and article[j] != article[i]:
                    shared[j] = shared.get(j, 0.0) + w
        lexical = {j: v / (norms[i] * norms[j]) for j, v in shared.items()}
        close = np.nonzero((row >= MIN_COSINE) & (article != article[i]))[0]
        cand = {int(j) for j in close if j > i}
        cand.update(j for j, v in lexical.items() if v >= MIN_LEXICAL)
        for j in sorted(cand):
            out.append(score_pair(units[i], units[j], float(row[j]), lexical.get(j, 0.0),
                                  soft_match(profiles[i], profiles[j]), weights))
    return out


def reference_group_claims(n: int, pairs: Sequence[PairScore], threshold: float,
                           article_of: Sequence[int] | None = None, linkage: str = "average") -> list[list[int]]:
    """Average linkage summed over every member pair at each merge."""
    prob = {(p.i, p.j): p.probability for p in pairs}
    members = {i: [i] for i in range(n)}
    parent = list(range(n))

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
        ma, mb = members[a], members[b]
        if linkage == "average":
            cross = [(x, y) for x in ma for y in mb if article_of is None or article_of[x] != article_of[y]]
            total = sum(prob.get((min(x, y), max(x, y)), 0.0) for x, y in cross)
            if cross and total / len(cross) < threshold:
                continue
        parent[b] = a
        members[a] = ma + mb
        del members[b]
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])


def reference_attach(groups: Sequence[Sequence[int]], pairs: Sequence[PairScore],
                     article_of: Sequence[int], threshold: float) -> list[list[int]]:
    """Each attachment's mean recomputed for every pair that leads to it."""
    prob = {(p.i, p.j): p.probability for p in pairs}
    group_of = {u: k for k, g in enumerate(groups) for u in g}
    out = [list(g) for g in groups]
    articles = [{article_of[u] for u in g} for g in groups]
    for p in sorted(pairs, key=lambda p: -p.probability):
        if p.probability < threshold:
            break
        for u, v in ((p.i, p.j), (p.j, p.i)):
            k = group_of[v]
            if u in out[k] or article_of[u] in articles[k]:
                continue
            members = groups[k]
            mean = sum(prob.get((min(u, m), max(u, m)), 0.0) for m in members) / len(members)
            if mean >= threshold:
                out[k].append(u)
                articles[k].add(article_of[u])
    return [sorted(g) for g in out]


# ----------------------------------------------------------------------------- random stories


def _unit(i: int, article: int, terms: frozenset[str], numbers: frozenset[float] = frozenset()) -> Unit:
    return Unit(i, f"a{article}", article, i, 10, 0, 1, "x", terms, frozenset(), numbers)


def wire_story(seed: int) -> tuple[list[Unit], np.ndarray, list[PieceProfile | None]]:
    """A few source sentences, each copied into several articles (one in three changed a little),
    with their embedding rows and word-piece profiles copied byte for byte along with them."""
    rng = np.random.default_rng(seed)
    n_src, dim = int(rng.integers(1, 6)), 8
    src_terms = [frozenset(rng.choice(VOCAB, size=int(rng.integers(1, 5)), replace=False).tolist())
                 for _ in range(n_src)]
    src_rows = rng.normal(size=(n_src, dim)).astype(np.float32)
    src_prof: list[PieceProfile | None] = []
    for _ in range(n_src):
        k = int(rng.integers(0, 4))
        v = rng.normal(size=(k, dim)).astype(np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True) + 1e-9
        src_prof.append(PieceProfile(v, rng.uniform(0.5, 3, size=k).astype(np.float32)) if k else None)
    units: list[Unit] = []
    rows: list[np.ndarray] = []
    profiles: list[PieceProfile | None] = []
    for _ in range(int(rng.integers(1, 14))):
        s = int(rng.integers(n_src))
        terms, row, prof = src_terms[s], src_rows[s].copy(), src_prof[s]
        if rng.random() < 0.3:  # a light edit: one word more, the vectors nudged
            terms = terms | {str(rng.choice(VOCAB))}
            row = row + rng.normal(scale=0.1, size=dim).astype(np.float32)
            prof = None if prof is None else PieceProfile(prof.vectors + np.float32(0.01), prof.weights)
        elif prof is not None:
            prof = PieceProfile(prof.vectors.copy(), prof.weights.copy())  # equal bytes, another array
        numbers = frozenset({1.0}) if rng.random() < 0.3 else frozenset()
        units.append(_unit(len(units), int(rng.integers(0, 5)), terms, numbers))
        rows.append(row / np.linalg.norm(row))
        profiles.append(prof)
    return units, np.vstack(rows).astype(np.float32), profiles


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_candidate_pairs_equal_scoring_every_pair_apart(seed: int, pieces: bool) -> None:
    units, emb, profiles = wire_story(seed)
    weights = WEIGHTS if pieces else WITHOUT_PIECES.weights
    use = profiles if pieces else [None] * len(units)
    idf = idf_weights(units)
    got = candidate_pairs(units, emb, idf, weights, use)
    assert got == reference_candidate_pairs(units, emb, idf, weights, use)


def test_copies_are_soft_matched_once_per_pair_of_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    # 12 articles of 3 sentences, every article an exact copy of one of 2 texts
    rng = np.random.default_rng(0)
    dim = 8
    texts = [[frozenset({"dam", "crack"}), frozenset({"river", "rain"}), frozenset({"council", "vote"})],
             [frozenset({"dam", "crack", "spillway"}), frozenset({"river", "rain"}), frozenset({"mayor"})]]
    rows = {t: rng.normal(size=dim).astype(np.float32) for text in texts for t in text}
    vecs = {t: np.abs(rng.normal(size=(3, dim))).astype(np.float32) for text in texts for t in text}
    units: list[Unit] = []
    emb, profiles = [], []
    for art in range(12):
        for terms in texts[art % 2]:
            units.append(_unit(len(units), art, terms))
            emb.append(rows[terms] / np.linalg.norm(rows[terms]))
            v = vecs[terms] / np.linalg.norm(vecs[terms], axis=1, keepdims=True)
            profiles.append(PieceProfile(v.copy(), np.ones(3, dtype=np.float32)))
    calls: list[int] = []

    def counted(a: PieceProfile | None, b: PieceProfile | None) -> float:
        calls.append(1)
        return soft_match(a, b)

    monkeypatch.setattr(align, "soft_match", counted)
    matrix = np.vstack(emb).astype(np.float32)
    pairs = candidate_pairs(units, matrix, None, WEIGHTS, profiles)
    assert len(set(profile_classes(profiles))) == 5  # 5 distinct sentences
    assert len(pairs) > 100  # copies of one sentence are always candidates of each other
    assert len(calls) <= 5 * 5  # at most once per ordered pair of distinct sentences


PROBS = st.integers(1, 64).map(lambda k: k / 64)  # sums exact in any order


@st.composite
def scored_pairs(draw: st.DrawFn) -> tuple[int, list[PairScore], list[int] | None, float]:
    n = draw(st.integers(1, 14))
    article_of = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    keys = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60))
    pairs = [PairScore(i, j, 0, 0, 0, 0, draw(PROBS)) for i, j in keys]  # repeats and reversed pairs too
    threshold = draw(st.sampled_from([THRESHOLD, 0.25, 0.5, 0.75]))
    return n, pairs, (article_of if draw(st.booleans()) else None), threshold


@settings(max_examples=400, deadline=None)
@given(scored_pairs(), st.sampled_from(["average", "single"]))
def test_group_claims_equals_summing_every_member_pair(case: tuple[int, list[PairScore], list[int] | None,
                                                                   float], linkage: str) -> None:
    n, pairs, article_of, threshold = case
    assert (group_claims(n, pairs, threshold, article_of=article_of, linkage=linkage)
            == reference_group_claims(n, pairs, threshold, article_of=article_of, linkage=linkage))


@settings(max_examples=400, deadline=None)
@given(scored_pairs())
def test_attach_equals_recomputing_every_mean(case: tuple[int, list[PairScore], list[int] | None, float]) -> None:
    n, pairs, article_of, threshold = case
    arts = article_of if article_of is not None else list(range(n))
    groups = group_claims(n, pairs, threshold, article_of=arts)
    assert (attach_multi_fact_sentences(groups, pairs, arts, threshold)
            == reference_attach(groups, pairs, arts, threshold))


def test_copies_group_together_and_the_grid_keeps_ties() -> None:
    # 30 copies of one sentence (one per article) and 30 of another; the two only loosely linked
    pairs = [PairScore(i, j, 0, 0, 0, 0, 0.9) for i in range(30) for j in range(i + 1, 30)]
    pairs += [PairScore(30 + i, 30 + j, 0, 0, 0, 0, 0.8) for i in range(30) for j in range(i + 1, 30)]
    pairs += [PairScore(i, 30 + i, 0, 0, 0, 0, 0.5) for i in range(30)]
    article_of = list(range(30)) * 2
    groups = group_claims(60, pairs, 0.34, article_of=article_of)
    assert groups == [list(range(30)), list(range(30, 60))]
    assert groups == reference_group_claims(60, pairs, 0.34, article_of=article_of)
