"""The Ray engine: the batch plan on Ray Data, on a local Ray or an existing cluster.

* read: ``ray.data.from_items`` over the shard list, ``map_batches`` with :class:`_Featurize`
  (a class: its embedder loads once per worker) -> one row per article (``plan.featurize``);
* duplicates: the MinHash LSH bands as a distributed shuffle: rows exploded to (band, article),
  ``groupby("band").map_groups`` gives the pairs in each band, ``groupby(["a", "b"]).count()``
  how many bands each pair shares; the few candidates are checked on the driver by the stream's
  rule (``plan.duplicate_of``);
* stories: canonical articles tagged with their block, ``groupby("block").map_groups`` runs the
  stream's ``StoryClusterer`` in each block (``plan.cluster_block``);
* analysis: articles tagged with their story, ``groupby("story")`` gathers each story into a
  block of its own (Ray Data, in the object store); then plain Ray actors (:class:`_StoryActor`,
  one CPU each, spaCy and the embedder loaded once) take the stories **largest first** (longest
  processing time first, so no big story is left for the end while the other workers idle), at
  most two at a time each (one running, one waiting, so a worker never waits for the driver), and
  the driver hands out the next as each comes back (``ray.wait``). Ray Data's ``map_batches``
  with an actor pool was used before: it queues blocks to actors in arrival order, so the last
  workers to finish were often those given a big story late. The report files stream back to the
  driver, which writes them and the manifest (so a kill loses no finished story, whichever
  worker did it). A story whose analysis raises comes back as a
  :class:`~newsprism.scale.work.StoryFailure`; a worker that dies (killed, out of memory) fails
  only the story it was running, and a new worker takes its place.

Every worker (feature and analysis) runs with :data:`~newsprism.scale.work.ONE_CPU_ENV` in its
``runtime_env``: one thread per library and no spaCy helper processes, since Ray gives a worker of
one CPU no affinity mask and it would otherwise size its pools to every core of the node.

Every function that runs on a worker is a function of ``newsprism.scale.plan`` or
``newsprism.scale.work``: the workers need newsprism installed (see docs/scale.md), nothing else.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from newsprism.errors import EngineUnavailableError, InputError
from newsprism.scale.plan import band_pairs, cluster_block, featurize, rows_table
from newsprism.scale.work import ONE_CPU_ENV, REPORT_FORMATS, StoryFailure, StoryOutcome, StoryWorker

__all__ = ["RayEngine"]

_RAY_FIX = "install the ray extra: pip install 'newsprism[ray]' (or run with --engine local)"


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        from newsprism.errors import EngineUnavailableError

        raise EngineUnavailableError(f"--engine ray needs Ray, which is not installed (fix: {_RAY_FIX})") from None
    return ray


class _Featurize:
    """Shards -> feature rows; one embedder per worker, one thread (a worker is one CPU)."""

    def __init__(self) -> None:
        from newsprism.stream.cluster import lead_embedder

        self.embedder = lead_embedder(threads=1)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        tables = []
        for shard, path in zip(batch["shard"].to_pylist(), batch["path"].to_pylist(), strict=True):
            rows, errors = featurize(int(shard), Path(path), embedder=self.embedder)
            if errors:  # one row per shard with errors, seq < 0: never dropped on the way
                rows.append({"seq": -1 - int(shard), "lsh": [], "bands": [], "entities": [], "article": json.dumps(
                    [[e.source, e.problem, e.fix, e.code] for e in errors], ensure_ascii=False)})
            tables.append(rows_table(rows))
        return pa.concat_tables(tables) if tables else rows_table([])


class _StoryActor:
    """One analysis worker (a Ray actor of one CPU): spaCy and the embedder load once, in ``ready``."""

    def __init__(self, formats: Sequence[str], out: str | None) -> None:
        self.formats = tuple(formats)
        self.out = Path(out) if out else None  # shared storage: write the files here, send none back
        self.worker: StoryWorker | None = None

    def ready(self) -> dict[str, float]:
        """Load the models; this worker's pid, when it was ready, and the CPU seconds loading took."""
        self.worker = StoryWorker(threads=1, formats=self.formats)
        return {"pid": os.getpid(), "ready": time.time(), "cpu": time.process_time()}

    def run(self, block: Any) -> dict[str, Any]:
        """One story (a block of one row: ``story``, ``rows``) -> its files or its failure, with
        the wall-clock span and the CPU seconds it took: of this process (every thread, Ray's own
        included) and of the thread that analysed it."""
        assert self.worker is not None, "ready() first"
        sid = str(block["story"][0].as_py())
        members = json.loads(block["rows"][0].as_py())
        start, cpu, own = time.time(), time.process_time(), time.thread_time()
        files = self.worker.try_story(sid, members)
        span = [start, time.time(), float(len(members)), time.process_time() - cpu, time.thread_time() - own]
        if isinstance(files, StoryFailure):
            return {"story": sid, "failure": files.to_json(), "span": span, "pid": os.getpid(), "peak_mb": _peak_mb()}
        if self.out is not None:
            from newsprism.report.write import write_report_files
            from newsprism.scale.resume import STORIES

            write_report_files(self.out / STORIES / sid, files)
        return {"story": sid, "files": files if self.out is None else None, "span": span, "pid": os.getpid(),
                "peak_mb": _peak_mb()}


def _peak_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KiB, macOS bytes)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


def _errors_only(batch: Any) -> Any:
    import pyarrow.compute as pc

    return batch.filter(pc.less(batch["seq"], 0))


def _articles_only(batch: Any) -> Any:
    import pyarrow.compute as pc

    return batch.filter(pc.greater_equal(batch["seq"], 0))


def _explode_bands(batch: Any) -> Any:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    counts = pc.list_value_length(batch["bands"]).to_numpy()
    seqs = np.repeat(batch["seq"].to_numpy(), counts)
    return pa.table({"band": pc.list_flatten(batch["bands"]), "seq": pa.array(seqs, pa.int64())})


def _band_group_pairs(group: Any) -> Any:
    import pyarrow as pa

    pairs = list(band_pairs(group["seq"].to_pylist())) if group.num_rows > 1 else []
    return pa.table({"a": pa.array([a for a, _ in pairs], pa.int64()),
                     "b": pa.array([b for _, b in pairs], pa.int64())})


def _cluster_group(group: Any) -> Any:
    import pyarrow as pa

    found = cluster_block(group.to_pylist())
    return pa.table({"seq": pa.array(list(found), pa.int64()), "story_seq": pa.array(list(found.values()), pa.int64())})


def _pack_story(group: Any) -> Any:
    import pyarrow as pa

    rows = sorted(group.to_pylist(), key=lambda r: int(r["seq"]))
    return pa.table({"story": [rows[0]["story"]], "rows": [json.dumps(rows, ensure_ascii=False)]})


class RayEngine:
    """Runs the plan's steps on Ray Data (see the module docs).

    ``address``: an existing cluster (``ray://host:10001``, ``host:6379`` or ``auto``); default a
    local Ray with this machine's CPUs. ``workers``: feature and analysis workers (default: the
    cluster's CPUs). ``out``: the output folder when every node can write it (a shared file
    system): the workers then write each story's files themselves. A Ray already initialised in
    this process (e.g. by a test) is used as it is.
    """

    name = "ray"

    def __init__(self, *, address: str | None = None, workers: int | None = None,
                 formats: Sequence[str] = REPORT_FORMATS, out: Path | None = None) -> None:
        ray = _ray()
        self._owned = False
        if not ray.is_initialized():
            try:
                ray.init(address=address, include_dashboard=False, log_to_driver=False,
                         configure_logging=False)
            except (ConnectionError, RuntimeError, ValueError) as e:
                from newsprism.errors import EngineUnavailableError

                raise EngineUnavailableError(f"cannot start or reach Ray at {address or 'a new local Ray'}: {e} "
                                             "(fix: check --address, or leave it out for a local Ray)") from None
            self._owned = True
        import warnings

        import ray.data as ray_data

        with warnings.catch_warnings():  # Ray's own deprecations, raised inside get_current()
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx = ray_data.DataContext.get_current()
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        # hash shuffles default to 200 partitions, each an aggregation task: sized to the cluster
        # and the data instead (see _partitions), and as many aggregators as workers at most
        ctx.max_hash_shuffle_aggregators = max(1, workers or int(ray.cluster_resources().get("CPU", 1)))
        self.workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.formats = tuple(formats)
        self.out = out  # set: the output folder is shared, workers write the reports into it
        self._ds: Any = None
        self._count = 0
        #: analysis worker (pid) -> its peak resident memory in MB, as its stories came back
        self.worker_peak_mb: dict[int, float] = {}
        #: (start, end, articles, CPU seconds, CPU seconds of the analysing thread, worker pid) of each
        #: story's analysis on its worker (wall-clock time.time(); CPU time of the worker process, all
        #: its threads, Ray's included)
        self.spans: list[tuple[float, ...]] = []
        #: analysis worker (pid) -> when it had loaded its models (time.time())
        self.ready_at: dict[int, float] = {}

    def featurize(self, shards: Sequence[Path]) -> list[InputError]:
        import ray.data

        items = [{"shard": i, "path": str(p.resolve())} for i, p in enumerate(shards)]
        ds = ray.data.from_items(items, override_num_blocks=max(1, len(items)))
        ds = ds.map_batches(_Featurize, batch_size=1, batch_format="pyarrow", num_cpus=1,
                            runtime_env={"env_vars": ONE_CPU_ENV},
                            compute=ray.data.ActorPoolStrategy(size=min(self.workers, len(items)))).materialize()
        errors: list[InputError] = []
        for row in _rows(ds.select_columns(["seq", "article"]).map_batches(_errors_only, batch_format="pyarrow")):
            errors.extend(InputError(*e[:3], code=e[3]) for e in json.loads(row["article"]))
        self._ds = ds.map_batches(_articles_only, batch_format="pyarrow").materialize()
        self._count = self._ds.count()
        return errors

    def _partitions(self, rows: int) -> int:
        """Shuffle partitions: two per worker, or one per 200,000 rows when that is more."""
        return max(2 * self.workers, rows // 200_000 + 1)

    def light(self) -> Iterator[dict[str, Any]]:
        return _rows(self._ds.select_columns(["seq", "id", "text_hash", "lsh", "published"]))

    def candidates(self) -> list[tuple[int, int]]:
        from newsprism.stream.dedup import MIN_SHARED

        bands = self._ds.select_columns(["seq", "bands"]).map_batches(_explode_bands, batch_format="pyarrow")
        by_band = bands.groupby("band", num_partitions=self._partitions(64 * self._count))
        pairs = by_band.map_groups(_band_group_pairs, batch_format="pyarrow")
        counts = pairs.groupby(["a", "b"], num_partitions=self._partitions(self._count)).count()
        return sorted((int(r["a"]), int(r["b"])) for r in _rows(counts) if int(r["count()"]) >= MIN_SHARED)

    def rows(self, seqs: Iterable[int], columns: Sequence[str]) -> list[dict[str, Any]]:
        wanted = set(seqs)
        if not wanted:
            return []
        cols = list(dict.fromkeys(["seq", *columns]))

        def keep(batch: Any) -> Any:
            import pyarrow as pa
            import pyarrow.compute as pc

            return batch.filter(pc.is_in(batch["seq"], value_set=pa.array(sorted(wanted), pa.int64())))

        return list(_rows(self._ds.select_columns(cols).map_batches(keep, batch_format="pyarrow")))

    def cluster(self, block_of: Mapping[int, int]) -> dict[int, int]:
        blocks = dict(block_of)

        def tag(batch: Any) -> Any:
            import pyarrow as pa
            import pyarrow.compute as pc

            keep = batch.filter(pc.is_in(batch["seq"], value_set=pa.array(list(blocks), pa.int64())))
            return keep.append_column("block", pa.array([blocks[s] for s in keep["seq"].to_pylist()], pa.int64()))

        columns = ["seq", "vector", "entities", "published"]
        ds = self._ds.select_columns(columns).map_batches(tag, batch_format="pyarrow")
        by_block = ds.groupby("block", num_partitions=self._partitions(len(blocks)))
        found = by_block.map_groups(_cluster_group, batch_format="pyarrow")
        return {int(r["seq"]): int(r["story_seq"]) for r in _rows(found)}

    def analyze(self, assign: Mapping[int, Mapping[str, Any]]) -> Iterator[tuple[str, StoryOutcome]]:
        if not assign:
            return
        tags = {int(s): dict(a) for s, a in assign.items()}

        def tag(batch: Any) -> Any:
            import pyarrow as pa
            import pyarrow.compute as pc

            keep = batch.filter(pc.is_in(batch["seq"], value_set=pa.array(list(tags), pa.int64())))
            seqs = keep["seq"].to_pylist()
            for col, typ in (("story", pa.string()), ("aid", pa.string()), ("dup_of", pa.string()),
                             ("dup_kind", pa.string()), ("dup_sim", pa.float64())):
                keep = keep.append_column(col, pa.array([tags[s][col] for s in seqs], typ))
            return keep

        ds = self._ds.select_columns(["seq", "article"]).map_batches(tag, batch_format="pyarrow")
        # materialised before the workers start: an actor pool holding every CPU would starve the
        # shuffle tasks that feed it (a deadlock on a small cluster)
        by_story = ds.groupby("story", num_partitions=self._partitions(len(tags)))
        stories = by_story.map_groups(_pack_story, batch_format="pyarrow").materialize()
        # one block per story, so a worker fetches only its story from the object store
        stories = stories.repartition(max(1, stories.count())).materialize()
        yield from self._run_stories(_story_blocks(stories))

    def _run_stories(self, blocks: list[tuple[int, Any]]) -> Iterator[tuple[str, StoryOutcome]]:
        """The stories' blocks on ``self.workers`` actors, largest first (see the module docs)."""
        ray = _ray()
        from collections import deque

        queue = deque(ref for _, ref in sorted(blocks, key=lambda b: -b[0]))  # longest processing time first
        actor_cls = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(_StoryActor).options(
            runtime_env={"env_vars": ONE_CPU_ENV})
        out = str(self.out) if self.out else None
        starting: dict[Any, Any] = {}  # ready() ref -> actor
        running: dict[Any, tuple[Any, Any]] = {}  # run() ref -> (actor, block ref)
        given: dict[Any, deque[Any]] = {}  # actor -> its run() refs, oldest (the one running) first
        deaths = 0

        def start_one() -> None:
            actor = actor_cls.remote(self.formats, out)
            starting[actor.ready.remote()] = actor
            given[actor] = deque()

        def feed(actor: Any) -> None:
            while queue and len(given[actor]) < 2:  # one running, one waiting: never idle between stories
                block = queue.popleft()
                ref = actor.run.remote(block)
                running[ref] = (actor, block)
                given[actor].append(ref)

        for _ in range(min(self.workers, len(queue))):
            start_one()
        try:
            while running or (queue and starting):
                (ref,), _ = ray.wait([*starting, *running], num_returns=1)
                if ref in starting:
                    actor = starting.pop(ref)
                    try:
                        info = ray.get(ref)
                    except ray.exceptions.RayActorError as e:
                        raise EngineUnavailableError(
                            f"an analysis worker died while loading the models: {e} "
                            "(fix: give each worker 1.5 GB of memory, see docs/scale.md)") from None
                    self.ready_at[int(info["pid"])] = float(info["ready"])
                    feed(actor)
                    continue
                actor, block = running.pop(ref)
                try:
                    done = ray.get(ref)
                except ray.exceptions.RayActorError as e:
                    # the worker died: the story it was running (its oldest) failed, the one waiting goes
                    # back to the front of the queue, and a new worker takes its place
                    refs = given.pop(actor)
                    lost = [block if r == ref else running.pop(r)[1] for r in refs]
                    queue.extendleft(reversed(lost[1:]))
                    table = ray.get(lost[0])
                    sid = str(table["story"][0].as_py())
                    yield sid, StoryFailure.of(sid, json.loads(table["rows"][0].as_py()), RuntimeError(
                        f"the worker analysing it died ({type(e).__name__}: out of memory, or killed)"))
                    deaths += 1
                    if deaths > 3 * self.workers:
                        raise EngineUnavailableError(f"{deaths} analysis workers died (last: {e}) "
                                                     "(fix: give each worker more memory, see docs/scale.md)") from None
                    start_one()
                    continue
                given[actor].remove(ref)
                feed(actor)
                span = done["span"]
                self.spans.append((*span, float(done["pid"])))
                self.worker_peak_mb[done["pid"]] = max(self.worker_peak_mb.get(done["pid"], 0.0), done["peak_mb"])
                if "failure" in done:
                    yield done["story"], StoryFailure.from_json(done["failure"])
                else:
                    yield done["story"], done["files"]
        finally:
            for actor in [*starting.values(), *given]:
                ray.kill(actor)

    def close(self) -> None:
        self._ds = None
        if self._owned:
            import ray

            ray.shutdown()
            self._owned = False


def _story_blocks(ds: Any) -> list[tuple[int, Any]]:
    """(size in bytes, object ref) of each block of a materialised dataset: the size of a story's
    articles is what its analysis costs, so it orders the queue."""
    try:
        return [(int(m.size_bytes or 0), ref) for bundle in ds.iter_internal_ref_bundles()
                for ref, m in zip(bundle.block_refs, bundle.metadata, strict=True)]
    except AttributeError:  # a Ray without ref bundles (older than 2.31): the blocks in their order
        return [(0, ref) for ref in ds.to_arrow_refs()]


def _rows(ds: Any, batch_size: int | None = 256) -> Iterator[dict[str, Any]]:
    """A dataset's rows as plain Python values (via Arrow: nulls stay None, lists stay lists)."""
    for batch in ds.iter_batches(batch_format="pyarrow", batch_size=batch_size):
        yield from batch.to_pylist()

