"""newsprism batch on the local engine: stories, duplicates, tables, resuming after a crash, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from newsprism.cli import main
from newsprism.scale.batch import BATCH_TABLES, run_batch
from newsprism.scale.local import LocalEngine
from newsprism.scale.work import StoryOutcome

from .archive import faulty, reports, write_archive

pa = pytest.importorskip("pyarrow")
pytest.importorskip("rensa")
import pyarrow.parquet as pq  # noqa: E402


class Crashing(LocalEngine):
    """A local engine that dies after ``after`` stories (as a kill would), counting what it analysed."""

    def __init__(self, out: Path, after: int | None = None) -> None:
        super().__init__(out)
        self.after = after
        self.analysed: list[str] = []

    def analyze(self, assign: Mapping[int, Mapping[str, Any]]) -> Iterator[tuple[str, StoryOutcome]]:
        for sid, files in super().analyze(assign):
            if self.after is not None and len(self.analysed) == self.after:
                raise RuntimeError("killed")
            self.analysed.append(sid)
            yield sid, files


def _event(article_id: str) -> str:
    """The fictional event an article was written about: its id is SLUG-EVENT-OUTLET[-copyK]."""
    return article_id.split("-copy")[0].rsplit("-", 1)[0]


def test_batch_local_stories_duplicates_tables_and_resume(tmp_path: Path) -> None:
    rows = write_archive(tmp_path / "in", stories=5, outlets=4)
    out = tmp_path / "out"

    first = Crashing(out, after=2)
    with pytest.raises(RuntimeError, match="killed"):
        run_batch([tmp_path / "in"], out, engine=first)
    assert len(first.analysed) == 2
    done = {sid: (out / "stories" / sid / "report.json").stat().st_mtime_ns for sid in first.analysed}

    second = Crashing(out)
    result = run_batch([tmp_path / "in"], out, engine=second)
    # the finished stories were not analysed again, and every other one was
    assert result.skipped == 2 and result.analysed == result.stories - 2
    assert set(second.analysed).isdisjoint(done) and len(second.analysed) == result.stories - 2
    assert {sid: (out / "stories" / sid / "report.json").stat().st_mtime_ns for sid in done} == done

    # one story per fictional event, each copy linked to its original
    assert (result.articles, result.duplicates, result.stories, result.exit_code) == (len(rows), 5, 5, 0)
    members = [json.loads(line)["articles"] for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert sorted(a for m in members for a in m) == sorted(r["id"] for r in rows)
    assert all(len({_event(a) for a in m}) == 1 for m in members)
    got = reports(out)
    assert set(got) == {json.loads(line)["story"] for line in (out / "manifest.jsonl").read_text().splitlines()}
    copies = [i for r in got.values() for i in r["inputs"] if i["message"]]
    assert len(copies) == 5 and all("duplicate of" in i["message"] for i in copies)

    # the batch tables: every story's rows, keyed by story
    for name in BATCH_TABLES:
        assert (out / f"{name}.parquet").is_file(), name
    articles = pq.read_table(out / "articles.parquet")
    assert articles.column_names[0] == "story" and articles.num_rows == len(rows)
    assert sorted(pq.read_table(out / "stories.parquet")["story"].to_pylist()) == sorted(got)
    claims = pq.read_table(out / "claims.parquet")
    assert claims.num_rows == sum(len(r["claims"]) for r in got.values()) > 0
    summary = json.loads((out / "batch.json").read_text())
    assert summary["stories"] == 5 and summary["skipped"] == 2 and summary["errors"] == []

    # a third run has nothing left to do, and reads no shard again (their features are kept)
    third = Crashing(out)
    again = run_batch([tmp_path / "in"], out, engine=third)
    assert (again.analysed, again.skipped, third.analysed) == (0, 5, [])


def test_bad_lines_are_reported_not_lost(tmp_path: Path) -> None:
    write_archive(tmp_path / "in", stories=1, outlets=2, shards=1)
    with open(tmp_path / "in" / "crawl-000.jsonl", "a", encoding="utf-8") as f:
        f.write("{oops\n")
    result = run_batch([tmp_path / "in"], tmp_path / "out")
    assert result.exit_code == 1 and [e.code for e in result.errors] == ["bad_json"]
    assert json.loads((tmp_path / "out" / "batch.json").read_text())["errors"][0]["code"] == "bad_json"


def test_cli_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["batch", str(tmp_path / "missing"), "--out", str(tmp_path / "out")])
    assert e.value.code == 64 and "no such file or folder" in capsys.readouterr().err
    (tmp_path / "a.jsonl").write_text("{}\n")
    with pytest.raises(SystemExit) as e:
        main(["batch", str(tmp_path / "a.jsonl"), "--out", str(tmp_path / "out"), "--address", "auto"])
    assert e.value.code == 64 and "--address and --shared-out need --engine ray" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_local_engine_imports_no_ray() -> None:
    code = ("import sys, newsprism.cli, newsprism.scale.batch, newsprism.scale.local, newsprism.scale.commands; "
            "assert 'ray' not in sys.modules, 'ray imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_failing_story_is_recorded_the_rest_goes_on_and_a_rerun_retries_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import newsprism.pipeline as pipeline

    rows = write_archive(tmp_path / "in", stories=4, outlets=3, fault=True)
    marked = rows[0]["id"]
    switch = tmp_path / "fault-on"
    switch.touch()
    monkeypatch.setattr(pipeline, "analyze_story", faulty(pipeline.analyze_story, switch))
    out = tmp_path / "out"

    code = main(["batch", str(tmp_path / "in"), "--out", str(out), "-q"])
    err = capsys.readouterr().err
    assert code == 1  # the rest analysed, something failed
    summary = json.loads((out / "batch.json").read_text())
    (failed,) = summary["failed"]
    assert marked in failed["articles"] and "ValueError: a test fault" in failed["problem"]
    assert "run the same command again" in failed["fix"] and failed["where"].startswith("archive.py:")
    assert summary["analysed"] == summary["stories"] - 1 == 3
    # on stderr: the story, its articles and the fix
    assert f"failed: story {failed['story']}" in err and marked in err and "fix: " in err
    finished = {json.loads(line)["story"] for line in (out / "manifest.jsonl").read_text().splitlines()}
    assert failed["story"] not in finished and len(finished) == 3
    assert not (out / "stories" / failed["story"]).exists()
    stories = pq.read_table(out / "stories.parquet").to_pylist()
    errors = {r["story"]: r["error"] for r in stories}
    assert len(stories) == 4 and "ValueError" in errors[failed["story"]]
    assert sum(e is None for e in errors.values()) == 3
    assert marked not in pq.read_table(out / "articles.parquet")["article"].to_pylist()

    # the cause is gone: a rerun analyses only the failed story, and all is well
    switch.unlink()
    again = run_batch([tmp_path / "in"], out)
    assert (again.analysed, again.skipped, again.failed, again.exit_code) == (1, 3, [], 0)
    assert (out / "stories" / failed["story"] / "report.json").is_file()
    assert pq.read_table(out / "stories.parquet")["error"].null_count == 4
    assert json.loads((out / "batch.json").read_text())["failed"] == []
