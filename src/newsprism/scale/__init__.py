"""``newsprism batch``: whole archives (JSONL, WARC, Parquet shards) -> stories -> one report each.

The plan (:mod:`~newsprism.scale.plan`: duplicates by MinHash LSH, blocks by time and embedding
LSH, stories by the stream's clusterer, content-derived story ids) runs on the local engine
(:mod:`~newsprism.scale.local`, the default, no Ray) or on Ray Data
(:mod:`~newsprism.scale.ray_engine`, the ``[ray]`` extra); both give the same stories and
reports. A batch is resumable (:mod:`~newsprism.scale.resume`). See docs/scale.md.

Submodules load lazily: importing this package imports neither Ray nor the models.

>>> from newsprism.scale import BatchResult
>>> BatchResult("out", "local").exit_code
2
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsprism.scale.batch import BatchResult, EngineUnavailableError, run_batch

__all__ = ["BatchResult", "EngineUnavailableError", "run_batch"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module("newsprism.scale.batch"), name)
    raise AttributeError(f"module 'newsprism.scale' has no attribute {name!r}")
