"""Upstream of one story: a store of articles from many sources, duplicates, edits and stories.

``newsprism ingest`` reads feeds, crawls and archives into a :class:`~newsprism.stream.store.Store`
(SQLite); :mod:`~newsprism.stream.dedup` links exact and near duplicates (kept, never deleted);
:mod:`~newsprism.stream.edits` turns a URL seen again with other text into a new version and
says what changed; the story clusterer (``newsprism.stream.cluster``) groups articles into stories,
and ``newsprism analyze --story ID`` writes the usual report for one of them.

The submodules load lazily (the store and dedup need the ``[stream]`` extra: rensa, warcio, onnx).

>>> from newsprism.stream import IngestSummary
>>> IngestSummary(new=2).exit_code
0
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsprism.stream.dedup import Deduplicator, Verdict
    from newsprism.stream.ingest import IngestSummary, ingest, ingest_articles
    from newsprism.stream.store import Store, StoreError, StoryRow

__all__ = ["Deduplicator", "IngestSummary", "Store", "StoreError", "StoryRow", "Verdict", "ingest",
           "ingest_articles"]

_WHERE = {
    "Deduplicator": "dedup", "Verdict": "dedup",
    "IngestSummary": "ingest", "ingest": "ingest", "ingest_articles": "ingest",
    "Store": "store", "StoreError": "store", "StoryRow": "store",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"newsprism.stream.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'newsprism.stream' has no attribute {name!r}")
