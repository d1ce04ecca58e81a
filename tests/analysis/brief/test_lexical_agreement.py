"""The brief's lexical agreement, worked once per distinct term list (issue 17), equals the
per-sentence scan it replaced bit for bit, on small stories made mostly of copies."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.analysis.brief.evidence import _lexical_agreement
from newsprism.analysis.claims.align import idf_weights
from newsprism.analysis.claims.units import Unit

VOCAB = "dam crack river council vote million spillway rain bridge repair county mayor levee storm".split()


def reference_lexical_agreement(units: Sequence[Unit]) -> np.ndarray:
    """Every sentence scanned apart through an inverted index (the code before issue 17's copy work)."""
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


def wire_units(seed: int) -> list[Unit]:
    """A few source sentences copied into several articles, one in three with a word added or
    dropped; copies' term sets are sometimes rebuilt in another insertion order."""
    rng = np.random.default_rng(seed)
    src = [rng.choice(VOCAB, size=int(rng.integers(1, 7)), replace=False).tolist()
           for _ in range(int(rng.integers(1, 6)))]
    n_articles = int(rng.integers(1, 13))
    units: list[Unit] = []
    for _ in range(int(rng.integers(1, 41))):
        words = list(src[int(rng.integers(len(src)))])
        if rng.random() < 0.33:
            if rng.random() < 0.5 and len(words) > 1:
                words.pop(int(rng.integers(len(words))))
            else:
                words.append(str(rng.choice(VOCAB)))
        if rng.random() < 0.5:
            words = words[::-1]  # the same set, built in another order
        art = int(rng.integers(n_articles))
        units.append(Unit(len(units), f"a{art}", art, len(units), 10, 0, 1, " ".join(words),
                          frozenset(words), frozenset(), frozenset()))
    return units


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_equals_the_per_sentence_scan_bit_for_bit(seed: int) -> None:
    units = wire_units(seed)
    got, want = _lexical_agreement(units), reference_lexical_agreement(units)
    assert got.tobytes() == want.tobytes(), (got, want)


def test_forty_copies_agree_fully_and_an_unrelated_sentence_not_at_all() -> None:
    words = ["dam", "crack", "river", "council"]
    units = [Unit(i, f"a{i}", i, 0, 2, 0, 1, " ".join(words), frozenset(words), frozenset(), frozenset())
             for i in range(40)]
    units.append(Unit(40, "a0", 0, 1, 2, 0, 1, "storm levee", frozenset({"storm", "levee"}), frozenset(),
                      frozenset()))
    got = _lexical_agreement(units)
    assert got.tobytes() == reference_lexical_agreement(units).tobytes()
    assert np.allclose(got[:40], 1.0) and got[40] == 0.0
