"""A text given twice is embedded once (issue 17), and every row is what the text gets alone."""

from __future__ import annotations

import numpy as np
import pytest

from newsprism.errors import ModelUnavailableError
from newsprism.nlp.embeddings import OnnxMiniLM, get_embedder


def test_repeated_texts_get_the_vectors_and_pieces_they_get_alone() -> None:
    try:
        emb = get_embedder("minilm-onnx")
        assert isinstance(emb, OnnxMiniLM)
        emb.embed(["warm"])
    except ModelUnavailableError as e:
        pytest.skip(str(e))
    texts = ["The dam held.", "Crews worked through the night to shore up the cracked spillway.",
             "The dam held.", "Rain fell.", "The dam held."]
    pooled, tokens = emb.embed_with_tokens(texts)
    assert pooled.shape == (5, emb.dim)
    for i, t in enumerate(texts):
        alone, alone_tokens = emb.embed_with_tokens([t])
        assert np.array_equal(pooled[i], alone[0])
        assert tokens[i].pieces == alone_tokens[0].pieces
        assert np.array_equal(tokens[i].vectors, alone_tokens[0].vectors)
    assert np.array_equal(emb.embed(texts), pooled)
