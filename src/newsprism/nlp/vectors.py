"""The embedding interface and what every embedder shares (below the models, so each backend
imports it without importing the registry in :mod:`newsprism.nlp.embeddings`).

>>> import numpy as np
>>> l2_normalise(np.array([[3.0, 4.0]])).tolist()
[[0.6000000238418579, 0.800000011920929]]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from newsprism.nlp.work_share import WorkShare

__all__ = ["Embedder", "TokenEmbedder", "TokenVectors", "l2_normalise", "mean_pooled"]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors, one row per text, in input order."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True, eq=False, slots=True)
class TokenVectors:
    """One text's word pieces (``[CLS]``/``[SEP]`` left out) and their contextual vectors:
    float16 rows of unit length, one per piece, in order."""

    pieces: tuple[str, ...]
    vectors: np.ndarray


@runtime_checkable
class TokenEmbedder(Embedder, Protocol):
    """An embedder that also returns each text's word-piece vectors, from the same model pass."""

    def embed_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]: ...


def l2_normalise(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)



def mean_pooled(encodings: Sequence[Any], forward: Callable[[np.ndarray, np.ndarray], np.ndarray], dim: int,
                batch_size: int, *, tokens: list[TokenVectors] | None = None, pad_id: int = 0,
                share: WorkShare | None = None, threads: int = 1) -> np.ndarray:
    """Run a transformer over tokenizer ``encodings`` and mean-pool its last layer over the real
    pieces (sentence-transformers' pooling): unit rows, input order. ``forward(ids, mask)`` returns
    ``last_hidden_state``. Texts are sorted by length and padded per batch, so short sentences
    cost what they are. When ``tokens`` is given, slot ``i`` gets text ``i``'s pieces (the first and
    last special pieces left out) with their unit vectors. ``threads`` batches run at once (``forward``
    must allow it); with ``share``, a thread that helps may run some of the batches instead. Either
    way the batches are the same, so the rows are too."""
    out = np.zeros((len(encodings), dim), dtype=np.float32)
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))

    def run(idx: list[int]) -> None:
        width = max(len(encodings[i].ids) for i in idx)
        ids = np.full((len(idx), width), pad_id, dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        for row, i in enumerate(idx):
            n = len(encodings[i].ids)
            ids[row, :n] = encodings[i].ids
            mask[row, :n] = 1
        hidden = forward(ids, mask)
        m = mask[:, :, None].astype(np.float32)
        out[idx] = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        if tokens is not None:
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)  # pieces 1..n-2: without [CLS]/<s> and [SEP]/</s>
                tokens[i] = TokenVectors(tuple(encodings[i].tokens[1 : n - 1]),
                                         l2_normalise(hidden[row, 1 : n - 1]).astype(np.float16))

    batches = [order[b : b + batch_size] for b in range(0, len(order), batch_size)]
    helpers = min(threads, len(batches)) - 1
    if share is None and helpers < 1:
        for idx in batches:
            run(idx)
    else:
        (share or WorkShare()).run_all([functools.partial(run, idx) for idx in batches], helpers=max(0, helpers))
    return l2_normalise(out)
