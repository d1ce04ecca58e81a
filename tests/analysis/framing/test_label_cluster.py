"""Actor labels' clustering keeps each pair of clusters' mean similarity instead of recomputing
every pair after each merge (issue 17); it gives what the recomputing loop gives."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.analysis.framing.labels import _cluster


def _recomputing(vectors: np.ndarray, threshold: float) -> list[int]:
    n = len(vectors)
    clusters: list[list[int]] = [[i] for i in range(n)]
    if n < 2:
        return [0] * n
    sim = vectors @ vectors.T
    while True:
        best, pair = threshold, None
        for a in range(len(clusters)):
            for b in range(a + 1, len(clusters)):
                s = float(sim[np.ix_(clusters[a], clusters[b])].mean())
                if s > best:
                    best, pair = s, (a, b)
        if pair is None:
            break
        a, b = pair
        clusters[a] = clusters[a] + clusters[b]
        del clusters[b]
    out = [0] * n
    for k, members in enumerate(clusters):
        for i in members:
            out[i] = k
    return out


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 25), st.integers(0, 2**31 - 1), st.sampled_from([0.0, 0.3, 0.6, 0.9]))
def test_cached_means_cluster_as_the_recomputing_loop(n: int, seed: int, threshold: float) -> None:
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(max(1, n // 3), 8)).astype(np.float32)
    # near-copies of a few directions (and exact copies: ties), unit rows as the embedder gives
    v = base[rng.integers(0, len(base), size=n)] + rng.normal(scale=0.3, size=(n, 8)).astype(np.float32) \
        * rng.integers(0, 2, size=(n, 1)).astype(np.float32)
    v = (v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)).astype(np.float32)
    assert _cluster(v, threshold) == _recomputing(v, threshold)
