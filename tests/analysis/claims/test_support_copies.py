"""The support judge, worked once per pair of distinct sentences (issue 17), gives exactly what
judging every pair apart gives, on small stories made mostly of copies of a few sentences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsprism.analysis.claims.support as support
from newsprism.analysis.claims.align import PieceProfile, idf_weights
from newsprism.analysis.claims.support import SupportJudge, support_features
from newsprism.analysis.claims.units import Unit

VOCAB = "dam crack river council vote million spillway rain bridge repair county mayor".split()
#: words the judge's conflict rules read (negation, modality)
MARKERS = ["", "not", "expected", "unlikely", "never", "may"]


def wire_units(seed: int) -> tuple[list[Unit], list[PieceProfile | None]]:
    """A few source sentences, each copied into several articles (one in three edited: a word more,
    the word pieces nudged), with their word-piece profiles copied byte for byte along with them."""
    rng = np.random.default_rng(seed)
    n_src, dim = int(rng.integers(1, 5)), 6
    srcs = []
    for _ in range(n_src):
        words = rng.choice(VOCAB, size=int(rng.integers(1, 5)), replace=False).tolist()
        marker = str(rng.choice(MARKERS))
        numbers = frozenset(rng.choice([1.0, 2.0, 5.0], size=int(rng.integers(0, 3)), replace=False).tolist())
        k = int(rng.integers(0, 4))
        v = np.abs(rng.normal(size=(k, dim))).astype(np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True) + 1e-9
        prof = PieceProfile(v, rng.uniform(0.5, 3, size=k).astype(np.float32)) if k else None
        srcs.append((words, marker, numbers, prof))
    units: list[Unit] = []
    profiles: list[PieceProfile | None] = []
    n_articles = int(rng.integers(2, 6))
    for art in range(n_articles):
        for pos in range(int(rng.integers(1, 5))):
            words, marker, numbers, prof = srcs[int(rng.integers(n_src))]
            if rng.random() < 0.33:
                words = [*words, str(rng.choice(VOCAB))]
                prof = None if prof is None else PieceProfile(prof.vectors + np.float32(0.01), prof.weights)
            elif prof is not None:
                prof = PieceProfile(prof.vectors.copy(), prof.weights.copy())  # equal bytes, another array
            text = " ".join([*words[:1], marker, *words[1:]]).replace("  ", " ")
            units.append(Unit(len(units), f"a{art}", art, pos, 4, 0, 1, text, frozenset(words),
                              frozenset(w for w in words if w in ("council", "mayor")), numbers))
            profiles.append(prof)
    return units, profiles


def _reference_features(units: list[Unit], profiles: list[PieceProfile | None], idf: dict[str, float],
                        w: int, s: int, aligned: float) -> np.ndarray:
    near = [profiles[k] for k in (s - 1, s + 1) if 0 <= k < len(units) and units[k].article_id == units[s].article_id]
    return support_features(units[w], units[s], aligned, profiles[w], profiles[s], idf, near)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_features_and_conflicts_equal_judging_every_pair_apart(seed: int) -> None:
    units, profiles = wire_units(seed)
    idf = idf_weights(units)
    judge = SupportJudge(units, profiles, idf)
    rng = np.random.default_rng(seed)
    first: dict[tuple[int, int], float] = {}
    for _ in range(3 * len(units) ** 2):  # pairs in random order, some asked again with another value
        w, s = (int(x) for x in rng.integers(len(units), size=2))
        aligned = float(rng.choice([0.3, 0.55, 0.8, 0.95]))
        want_aligned = first.setdefault((w, s), aligned)  # the first value asked for a pair stays
        want = _reference_features(units, profiles, idf, w, s, want_aligned)
        got = judge.features(w, s, aligned)
        assert got.tobytes() == want.tobytes(), (w, s, got, want)
        fresh = SupportJudge(units, profiles, idf)  # a judge that has seen this pair only
        fresh.features(w, s, want_aligned)
        assert judge.conflict(w, s, aligned) == fresh.conflict(w, s, aligned)
        assert judge.probability(w, s, aligned) == fresh.probability(w, s, aligned)


def test_copies_are_judged_once_per_pair_of_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    # 10 articles, each an exact copy of one 3-sentence text: 3 distinct sentences
    rng = np.random.default_rng(1)
    texts = [["dam", "crack"], ["council", "vote", "million"], ["river", "rain"]]
    vecs = [np.abs(rng.normal(size=(2, 6))).astype(np.float32) for _ in texts]
    units: list[Unit] = []
    profiles: list[PieceProfile | None] = []
    for art in range(10):
        for pos, words in enumerate(texts):
            units.append(Unit(len(units), f"a{art}", art, pos, 3, 0, 1, " ".join(words), frozenset(words),
                              frozenset(), frozenset()))
            profiles.append(PieceProfile(vecs[pos].copy(), np.ones(2, dtype=np.float32)))
    calls: list[int] = []

    def counted(*args: object, **kwargs: object) -> np.ndarray:
        calls.append(1)
        return support_features(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(support, "support_features", counted)
    judge = SupportJudge(units, profiles, idf_weights(units))
    for w in range(len(units)):
        for s in range(len(units)):
            if units[w].article_id != units[s].article_id:
                judge.conflict(w, s, 0.9)
    # at most one computation per (sentence, sentence, neighbours' pieces): 3 x 3 here, not 810
    assert 0 < len(calls) <= 9
