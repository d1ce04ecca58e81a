"""``run_batch``: an archive's shards -> duplicates -> stories -> one report per story, and tables.

The library entry of ``newsprism batch``. The plan (:mod:`newsprism.scale.plan`) is the same on
both engines; an engine only says where each step runs:

* ``local`` (the default, :class:`~newsprism.scale.local.LocalEngine`): in this process, shard by
  shard; Ray is never imported;
* ``ray`` (:class:`~newsprism.scale.ray_engine.RayEngine`): Ray Data on a local Ray or an existing
  cluster (``address``), models loaded once per worker.

What ``DIR`` gets: ``stories/ID/report.{json,md,html}`` and the story's tables
(``report.<table>.parquet``) for every story; ``manifest.jsonl`` (the finished stories: a rerun
skips them, :mod:`newsprism.scale.resume`); and, when every story is done, the batch tables
``articles``, ``stories``, ``claims``, ``claim_support``, ``quotes``, ``contradictions``,
``provenance`` and ``framing`` (``DIR/<table>.parquet``, a ``story`` column first) and
``batch.json`` (counts, input errors, failed stories, seconds per step). ``DIR/work/`` holds
what the local engine keeps between runs.

A story whose analysis raises does not stop the batch: it is recorded (a
:class:`~newsprism.scale.work.StoryFailure` naming the story, its articles, the error and the fix,
in ``BatchResult.failed``, ``batch.json`` and the ``error`` column of ``stories.parquet``), the
other stories go on, the exit code is 1, and since it is not in the manifest the next run retries it.

>>> run_batch(["/nonexistent/crawl"], "/tmp/out")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
newsprism.errors.InputError: /nonexistent/crawl: no such file or folder (fix: check the path)
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from newsprism.errors import EngineUnavailableError, InputError
from newsprism.scale.plan import (
    block_keys,
    connected,
    duplicate_groups,
    duplicate_of,
    story_id,
    unique_ids,
)
from newsprism.scale.resume import STORIES, Manifest
from newsprism.scale.shards import expand_inputs
from newsprism.scale.work import REPORT_FORMATS, StoryFailure, StoryOutcome

__all__ = ["BATCH_TABLES", "BatchResult", "Engine", "EngineUnavailableError", "check_extras", "plan_stories",
           "run_batch"]

EngineName = Literal["local", "ray"]
#: progress(stage, done, total), as in ``newsprism.pipeline``
Progress = Callable[[str, int, int], None]
#: the batch tables: the per-story tables of ``newsprism.report.tables``, then ``framing`` and ``stories``
BATCH_TABLES = ("articles", "claims", "claim_support", "quotes", "contradictions", "provenance", "framing",
                "stories")


class Engine(Protocol):
    """Where the plan's steps run (see the module docs)."""

    name: str

    def featurize(self, shards: Sequence[Path]) -> list[InputError]: ...

    def light(self) -> Iterable[dict[str, Any]]: ...

    def candidates(self) -> list[tuple[int, int]]: ...

    def rows(self, seqs: Iterable[int], columns: Sequence[str]) -> list[dict[str, Any]]: ...

    def cluster(self, block_of: Mapping[int, int]) -> dict[int, int]: ...

    def analyze(self, assign: Mapping[int, Mapping[str, Any]]) -> Iterator[tuple[str, StoryOutcome]]:
        """Each story's report files as it is done (None when the worker wrote them into DIR, a
        :class:`StoryFailure` when its analysis raised)."""

    def close(self) -> None: ...


@dataclass
class BatchResult:
    """What a batch did: ``articles`` read, ``duplicates`` among them, ``stories`` planned,
    ``analysed`` this run, ``skipped`` (finished by an earlier run), the input ``errors``, the
    stories whose analysis ``failed`` (a rerun retries them), seconds per step, and the output folder."""

    out: Path
    engine: str
    articles: int = 0
    duplicates: int = 0
    stories: int = 0
    analysed: int = 0
    skipped: int = 0
    errors: list[InputError] = field(default_factory=list)
    failed: list[StoryFailure] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 all fine, 1 some inputs or stories failed (the rest was analysed), 2 no article at all
        (as ``newsprism analyze``)."""
        if not self.articles:
            return 2
        return 1 if self.errors or self.failed else 0

    def line(self) -> str:
        """The one-line summary the CLI prints.

        >>> BatchResult(Path("out"), "local", articles=10, duplicates=2, stories=3, analysed=3).line()
        '10 articles (2 duplicates) in 3 stories: 3 analysed, 0 already done, 0 input errors'
        >>> BatchResult(Path("out"), "local", articles=10, stories=3, analysed=2,
        ...             failed=[StoryFailure("story-9", ("a",), "ValueError: x")]).line().split(": ")[1]
        '2 analysed, 0 already done, 0 input errors, 1 failed (run again to retry)'
        """
        failed = f", {len(self.failed)} failed (run again to retry)" if self.failed else ""
        return (f"{self.articles} articles ({self.duplicates} duplicates) in {self.stories} stories: "
                f"{self.analysed} analysed, {self.skipped} already done, {len(self.errors)} input errors{failed}")


@dataclass
class StoryPlan:
    """The stories: ``assign`` maps each article's seq to its story, batch id and duplicate link."""

    assign: dict[int, dict[str, Any]]
    members: dict[str, list[str]]  # story id -> article ids, in input order
    duplicates: int
    blocks: int


def plan_stories(engine: Engine, progress: Progress | None = None) -> StoryPlan:
    """Duplicates, blocks and stories, from an engine that has featurized its shards."""
    light = sorted(engine.light(), key=lambda r: int(r["seq"]))
    ids = unique_ids((int(r["seq"]), str(r["id"])) for r in light)
    text_hash = {int(r["seq"]): str(r["text_hash"]) for r in light}
    cands = engine.candidates()
    needed = {s for pair in cands for s in pair}
    rows = {int(r["seq"]): r for r in engine.rows(needed, ["text_hash", "digest", "n_words", "article"])}
    verified = {}
    for a, b in cands:
        found = duplicate_of(rows[a], rows[b])
        if found is not None:
            verified[(a, b)] = found
    rows.clear()
    dups = duplicate_groups(verified, text_hash)
    if progress:
        progress("duplicates", 1, 1)
    canon = [r for r in light if int(r["seq"]) not in dups]
    first_with: dict[int, int] = {}
    edges = []
    for r in canon:
        for key in block_keys(r["lsh"], r["published"]):
            seen = first_with.setdefault(key, int(r["seq"]))
            if seen != int(r["seq"]):
                edges.append((seen, int(r["seq"])))
    block_of = connected(edges, nodes=(int(r["seq"]) for r in canon))
    story_key = engine.cluster(block_of)
    if progress:
        progress("stories", 1, 1)
    by_key: dict[int, list[int]] = defaultdict(list)
    for r in light:
        seq = int(r["seq"])
        root = dups[seq][0] if seq in dups else seq
        by_key[story_key[root]].append(seq)
    assign: dict[int, dict[str, Any]] = {}
    members: dict[str, list[str]] = {}
    for seqs in by_key.values():
        sid = story_id(ids[s] for s in seqs)
        members[sid] = [ids[s] for s in seqs]
        for s in seqs:
            d = dups.get(s)
            assign[s] = {"story": sid, "aid": ids[s], "dup_of": ids[d[0]] if d else None,
                         "dup_kind": d[1] if d else None, "dup_sim": d[2] if d else None}
    return StoryPlan(assign, members, len(dups), len(set(block_of.values())))


def check_extras() -> None:
    """Raise :class:`EngineUnavailableError`, naming the extra, when a package every batch needs is
    missing: rensa (MinHash), pyarrow (the feature files and tables) and onnx (the story clusterer's
    int8 MiniLM is made with it).

    >>> check_extras()  # all installed here
    """
    import importlib.util

    missing = [m for m in ("rensa", "pyarrow", "onnx") if importlib.util.find_spec(m) is None]
    if missing:
        raise EngineUnavailableError(f"newsprism batch needs {', '.join(missing)}, not installed "
                                     "(fix: pip install 'newsprism[batch]', or 'newsprism[ray]' for --engine ray)")


def make_engine(name: str, out: Path, *, address: str | None = None, workers: int | None = None,
                formats: Sequence[str] = REPORT_FORMATS, shared_out: bool = False) -> Engine:
    """The engine called ``name`` (``local`` or ``ray``)."""
    if name == "local":
        from newsprism.scale.local import LocalEngine

        return LocalEngine(out, formats=formats)
    if name == "ray":
        from newsprism.scale.ray_engine import RayEngine

        return RayEngine(address=address, workers=workers, formats=formats, out=out if shared_out else None)
    raise ValueError(f"unknown engine {name!r} (fix: use 'local' or 'ray')")


def run_batch(inputs: Sequence[str | Path], out: str | Path, *, engine: EngineName | Engine = "local",
              address: str | None = None, workers: int | None = None, formats: Sequence[str] = REPORT_FORMATS,
              shared_out: bool = False, progress: Progress | None = None) -> BatchResult:
    """Read ``inputs`` (shards, or folders of them), find duplicates and stories, analyse every story
    not finished by an earlier run into ``out`` and write the batch tables (see the module docs).

    ``engine``: ``local`` or ``ray`` (or an :class:`Engine`); ``address``: an existing Ray cluster
    (default: a local Ray); ``workers``: analysis workers on Ray (default: the cluster's CPUs);
    ``shared_out``: on Ray, ``out`` is on storage every node can write, so the workers write each
    story's files there themselves instead of sending them to this process.
    Raises ``InputError`` for a missing or unknown input before any work.
    """
    out = Path(out)
    shards = expand_inputs(inputs)
    check_extras()
    from newsprism.report.write import check_out_dir

    problem = check_out_dir(out)
    if problem:
        raise InputError(str(out), problem, "choose another --out folder", code="unreadable")
    eng = (make_engine(engine, out, address=address, workers=workers, formats=formats, shared_out=shared_out)
           if isinstance(engine, str) else engine)
    result = BatchResult(out, eng.name)
    clock = _Clock(result.seconds)
    manifest = Manifest(out)
    try:
        with clock("read"):
            result.errors = eng.featurize(shards)
        if progress:
            progress("read", len(shards), len(shards))
        with clock("plan"):
            plan = plan_stories(eng, progress)
        result.articles = len(plan.assign)
        result.duplicates = plan.duplicates
        result.stories = len(plan.members)
        done = manifest.finished()
        result.skipped = len(done & plan.members.keys())
        todo = {s: a for s, a in plan.assign.items() if a["story"] not in done}
        from newsprism.report.write import write_report_files

        with clock("analyse"):
            for sid, files in eng.analyze(todo):
                if isinstance(files, StoryFailure):  # recorded, not in the manifest: the next run retries it
                    result.failed.append(files)
                    if progress:
                        progress("failed", len(result.failed), result.stories)
                    continue
                if files is not None:  # None: a worker wrote them into DIR itself (shared storage)
                    with clock("write"):
                        write_report_files(manifest.story_dir(sid), files)
                manifest.add(sid, plan.members[sid])
                result.analysed += 1
                if progress:
                    progress("analyse", result.analysed + result.skipped, result.stories)
    finally:
        eng.close()
    with clock("tables"):
        write_tables(out, plan, result.failed)
    from newsprism.report.write import atomic_write_text

    atomic_write_text(out / "batch.json", json.dumps({
        "engine": result.engine, "articles": result.articles, "duplicates": result.duplicates,
        "stories": result.stories, "blocks": plan.blocks, "analysed": result.analysed, "skipped": result.skipped,
        "errors": [{"source": e.source, "problem": e.problem, "fix": e.fix, "code": e.code} for e in result.errors],
        "failed": [f.to_json() for f in result.failed],
        "seconds": {k: round(v, 3) for k, v in result.seconds.items()},
    }, indent=2, ensure_ascii=False) + "\n")
    return result


def write_tables(out: Path, plan: StoryPlan, failed: Sequence[StoryFailure] = ()) -> list[Path]:
    """``DIR/<table>.parquet`` for every table of :data:`BATCH_TABLES`, from the stories' own
    tables and reports, one story at a time (a ``story`` column first; stories in id order).
    A ``failed`` story has no report: ``stories`` gets a row for it with its article count and
    ``error``, the other tables nothing."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsprism.report.schema import Report

    writers: dict[str, Any] = {}
    story_rows: list[dict[str, Any]] = []

    def put(name: str, table: Any) -> None:
        if name not in writers:
            tmp = out / f".{name}.parquet.tmp"
            writers[name] = (pq.ParquetWriter(tmp, table.schema), tmp)
        writers[name][0].write_table(table.cast(writers[name][0].schema))

    try:
        errors = {f.story: str(f) for f in failed}
        for sid in sorted(plan.members):
            folder = out / STORIES / sid
            if sid in errors:
                story_rows.append({"story": sid, "articles": len(plan.members[sid]), "error": errors[sid]})
                continue
            report = Report.model_validate_json((folder / "report.json").read_text(encoding="utf-8"))
            n = len(report.story.articles)
            for name in BATCH_TABLES[:6]:
                table = pq.read_table(folder / f"report.{name}.parquet")
                put(name, table.add_column(0, "story", pa.array([sid] * table.num_rows, pa.string())))
            framing = [{"story": sid, "article": f.article, "subjectivity": f.subjectivity, "rank": f.rank,
                        "loaded_words": len(f.loaded), "unattributed_opinions": len(f.unattributed),
                        "voices": len(f.voices), "missing_voices": ";".join(f.missing_voices),
                        "omits": ";".join(f.omits), "explanation": f.explanation} for f in report.framing]
            put("framing", pa.Table.from_pylist(framing, schema=_schema(_FRAMING)))
            dated = sorted(a.published for a in report.story.articles if a.published)
            dups = sum(1 for i in report.inputs if i.message and "duplicate of" in i.message)
            story_rows.append({"story": sid, "title": report.story.title, "articles": n, "duplicates": dups,
                               "outlets": len({a.outlet for a in report.story.articles}),
                               "claims": len(report.claims), "quotes": len(report.quotes),
                               "contradictions": len(report.contradictions),
                               "first_published": dated[0].isoformat() if dated else None,
                               "last_published": dated[-1].isoformat() if dated else None,
                               "notes": " | ".join(report.notes), "error": None})
        put("stories", pa.Table.from_pylist(story_rows, schema=_schema(_STORIES)))
        paths = []
        for name, (writer, tmp) in writers.items():
            writer.close()
            tmp.replace(out / f"{name}.parquet")
            paths.append(out / f"{name}.parquet")
        for name in set(BATCH_TABLES) - writers.keys():  # no story has rows for it now: no stale table
            (out / f"{name}.parquet").unlink(missing_ok=True)
        return paths
    finally:
        for writer, tmp in writers.values():
            if tmp.exists():
                writer.close()
                tmp.unlink(missing_ok=True)


def _schema(columns: Mapping[str, str]) -> Any:
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
    return pa.schema([(c, types[t]) for c, t in columns.items()])


_FRAMING = {"story": "str", "article": "str", "subjectivity": "float", "rank": "int", "loaded_words": "int",
            "unattributed_opinions": "int", "voices": "int", "missing_voices": "str", "omits": "str",
            "explanation": "str"}
_STORIES = {"story": "str", "title": "str", "articles": "int", "duplicates": "int", "outlets": "int", "claims": "int",
            "quotes": "int", "contradictions": "int", "first_published": "str", "last_published": "str",
            "notes": "str", "error": "str"}


class _Clock:
    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds

    def __call__(self, stage: str) -> Any:
        from newsprism.pipeline import StageClock

        clock = StageClock()
        clock.seconds = self.seconds
        return clock(stage)
