"""The local engine: the batch plan in this process, shard by shard, with no Ray.

Feature rows are written per shard to ``DIR/work/features/part-NNNNN.parquet`` (atomically, with
a note of the shard's path, size and modification time beside it), so a rerun over unchanged
shards reads them back instead of embedding again. The steps after read only the columns they
need from those files; a story's articles are gathered on disk (``DIR/work/stories/ID.jsonl``,
one pass over the parts) before it is analysed, so the articles of the whole archive are never
in memory at once. What stays in memory grows with the archive but is small per article: the
LSH band index of one pass, and the ids, hashes and embeddings of canonical articles while
their blocks are clustered.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from newsprism.errors import InputError
from newsprism.nlp.vectors import Embedder
from newsprism.scale.plan import candidate_pairs, cluster_block, count_pairs, featurize, rows_table
from newsprism.scale.work import REPORT_FORMATS, StoryOutcome, StoryWorker

__all__ = ["LocalEngine"]


class LocalEngine:
    """Runs every step here (see the module docs); ``threads``: the embedder's threads (default: all cores)."""

    name = "local"

    def __init__(self, out: Path, *, threads: int | None = None, formats: Sequence[str] = REPORT_FORMATS) -> None:
        self.work = out / "work"
        self.threads = threads
        self.formats = tuple(formats)
        self.parts: list[Path] = []
        self._worker: StoryWorker | None = None
        self._lead_embedder: Embedder | None = None

    def worker(self) -> StoryWorker:
        """The models, loaded on first use and kept."""
        if self._worker is None:
            self._worker = StoryWorker(threads=self.threads, formats=self.formats)
        return self._worker

    def lead_embedder(self) -> Embedder:
        """The story clusterer's embedder, on this run's threads, loaded on first use and kept."""
        if self._lead_embedder is None:
            from newsprism.stream.cluster import lead_embedder

            self._lead_embedder = lead_embedder(threads=self.threads)
        return self._lead_embedder

    def featurize(self, shards: Sequence[Path]) -> list[InputError]:
        import pyarrow.parquet as pq

        folder = self.work / "features"
        folder.mkdir(parents=True, exist_ok=True)
        errors: list[InputError] = []
        self.parts = []
        for i, path in enumerate(shards):
            part = folder / f"part-{i:05d}.parquet"
            note = part.with_suffix(".json")
            st = path.stat()
            # the embedder's name too: parts embedded by another model are done again, never mixed
            sig = {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                   "embedder": self.lead_embedder().name}
            cached = _read_json(note)
            if cached is not None and cached.get("shard") == sig and part.is_file():
                errors.extend(InputError(*e[:3], code=e[3]) for e in cached["errors"])
            else:
                rows, errs = featurize(i, path, embedder=self.lead_embedder())
                tmp = part.with_name(part.name + ".tmp")
                pq.write_table(rows_table(rows), tmp)
                os.replace(tmp, part)
                _write_json(note, {"shard": sig, "errors": [[e.source, e.problem, e.fix, e.code] for e in errs]})
                errors.extend(errs)
            self.parts.append(part)
        return errors

    def _read(self, columns: Sequence[str]) -> Iterator[Any]:
        import pyarrow.parquet as pq

        for part in self.parts:
            yield pq.read_table(part, columns=list(columns))

    def light(self) -> Iterator[dict[str, Any]]:
        for table in self._read(["seq", "id", "text_hash", "lsh", "published"]):
            yield from table.to_pylist()

    def candidates(self) -> list[tuple[int, int]]:
        import pyarrow as pa
        import pyarrow.compute as pc

        pieces = []
        for table in self._read(["seq", "bands"]):
            counts = pc.list_value_length(table["bands"])
            pieces.append(pa.table({"band": pc.list_flatten(table["bands"]),
                                    "seq": _repeat(table["seq"], counts)}))
        if not pieces:
            return []
        grouped = pa.concat_tables(pieces).group_by("band").aggregate([("seq", "list")])
        lists = grouped.filter(pc.greater(pc.list_value_length(grouped["seq_list"]), 1))["seq_list"]
        return candidate_pairs(count_pairs(lists.to_pylist()))

    def rows(self, seqs: Iterable[int], columns: Sequence[str]) -> list[dict[str, Any]]:
        import pyarrow as pa
        import pyarrow.compute as pc

        wanted = pa.array(sorted(set(seqs)), type=pa.int64())
        out: list[dict[str, Any]] = []
        for table in self._read(list(dict.fromkeys(["seq", *columns]))):
            out.extend(table.filter(pc.is_in(table["seq"], value_set=wanted)).to_pylist())
        return out

    def cluster(self, block_of: Mapping[int, int]) -> dict[int, int]:
        blocks: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in self.rows(block_of, ["vector", "entities", "published"]):
            blocks[block_of[row["seq"]]].append(row)
        out: dict[int, int] = {}
        for block in sorted(blocks):
            out.update(cluster_block(blocks.pop(block)))
        return out

    def analyze(self, assign: Mapping[int, Mapping[str, Any]]) -> Iterator[tuple[str, StoryOutcome]]:
        folder = self.work / "stories"
        shutil.rmtree(folder, ignore_errors=True)  # a killed run's buckets: rebuilt from the parts
        folder.mkdir(parents=True)
        stories: set[str] = set()
        for table in self._read(["seq", "article"]):
            by_story: dict[str, list[str]] = defaultdict(list)
            for seq, article in zip(table["seq"].to_pylist(), table["article"].to_pylist(), strict=True):
                a = assign.get(seq)
                if a is not None:
                    by_story[a["story"]].append(json.dumps({**a, "seq": seq, "article": article}, ensure_ascii=False))
            for sid, lines in by_story.items():
                with open(folder / f"{sid}.jsonl", "a", encoding="utf-8") as f:
                    f.write("\n".join(lines) + "\n")
                stories.add(sid)
        for sid in sorted(stories):
            path = folder / f"{sid}.jsonl"
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
            yield sid, self.worker().try_story(sid, rows)  # a failure is yielded too: the batch goes on
            path.unlink()

    def close(self) -> None:
        self._worker = None


def _repeat(values: Any, counts: Any) -> Any:
    import numpy as np
    import pyarrow as pa

    return pa.array(np.repeat(values.to_numpy(), counts.to_numpy()), type=pa.int64())


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    from newsprism.report.write import atomic_write_text

    atomic_write_text(path, json.dumps(data, ensure_ascii=False))
