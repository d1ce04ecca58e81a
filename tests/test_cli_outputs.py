"""Arguments checked before any work, one exit code per outcome, and report files written as a set.

The CLI tests replace ``newsprism.pipeline.analyze`` with a stub that returns a small report
(or fails the test if it is reached), so they say what the CLI does around the analysis in
milliseconds; ``tests/test_cli.py`` runs the real pipeline end to end.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from newsprism import cli, pipeline
from newsprism.cli import EXIT_CANT_WRITE, EXIT_USAGE, main
from newsprism.errors import InputError
from newsprism.ingest import IngestResult, InputRecord
from newsprism.pipeline import AnalysisRun, inputs_out
from newsprism.report import write
from newsprism.report.schema import ArticleOut, Report, StoryOut
from newsprism.report.write import (
    REPORT_FILES,
    ReportWriteError,
    atomic_write_text,
    check_out_dir,
    render_reports,
    write_report_files,
    write_reports,
)

ROOT = Path(__file__).resolve().parents[1]


def _report(title: str = "Ferry back on the water") -> Report:
    text = "The Fenwick ferry resumed service on Saturday after a two-day suspension."
    return Report(story=StoryOut(id="ferry", title=title,
                                 articles=[ArticleOut(id="ledger", outlet="Fenwick Ledger", text=text)]))


def _old_set(out: Path) -> dict[str, bytes]:
    """A previous run's three files in ``out``; returns their bytes by name."""
    out.mkdir(parents=True, exist_ok=True)
    old = {name: f"previous run: {name}\n".encode() for name in REPORT_FILES.values()}
    for name, data in old.items():
        (out / name).write_bytes(data)
    return old


def _listing(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


# --- the writer ------------------------------------------------------------------------------


def test_a_new_run_replaces_the_whole_set_and_drops_formats_not_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _old_set(out)
    written = write_reports(_report(), out, ["json", "html"])
    assert [p.name for p in written] == ["report.json", "report.html"]
    assert sorted(_listing(out)) == ["report.html", "report.json"]  # the old report.md went with its run
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["story"]["id"] == "ferry"
    assert (out / "report.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_files_are_written_in_a_fixed_order_whatever_the_order_asked(tmp_path: Path) -> None:
    assert list(render_reports(_report(), ["html", "json", "md"])) == ["report.json", "report.md", "report.html"]
    with pytest.raises(ValueError, match="unknown report format xlsx"):
        render_reports(_report(), ["xlsx"])
    with pytest.raises(ValueError, match="not a report file name"):
        write_report_files(tmp_path, {"notes.txt": "x"})


def test_other_files_in_the_folder_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    write_reports(_report(), tmp_path, ["md"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "report.md", "sub"]
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(tmp_path: Path) -> None:
    _old_set(tmp_path)
    stale = tmp_path / ".report.html.4242-deadbeef.newsprism-tmp"
    stale.write_bytes(b"<!doctype html><p>half of a rep")
    write_reports(_report(), tmp_path, ["json"])
    assert sorted(_listing(tmp_path)) == ["report.json"]


def test_a_failed_write_leaves_the_previous_set_exactly_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _old_set(tmp_path)
    real = write._write_temp
    calls = []

    def disk_full(folder: Path, name: str, text: str) -> Path:
        calls.append(name)
        if len(calls) == 2:  # the first temporary file is written, the second meets a full disk
            raise OSError(28, "No space left on device")
        return real(folder, name, text)

    monkeypatch.setattr(write, "_write_temp", disk_full)
    with pytest.raises(ReportWriteError) as e:
        write_reports(_report(), tmp_path)
    assert e.value.replaced is False
    assert "No space left on device" in str(e.value) and "unchanged" in str(e.value) and "fix:" in str(e.value)
    assert _listing(tmp_path) == old  # no temporary file left, nothing touched


def test_written_files_are_complete_on_disk_and_readable_by_others(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    old_mask = os.umask(0o022)
    try:
        write_reports(_report(), tmp_path)
    finally:
        os.umask(old_mask)
    assert len(synced) >= 4  # three files, then the folder (so the renames survive a power cut)
    for name in REPORT_FILES.values():
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644  # not mkstemp's 0600


def test_a_symlinked_report_name_is_replaced_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("not yours to overwrite", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").symlink_to(target)
    write_reports(_report(), out, ["md"])
    assert not (out / "report.md").is_symlink()
    assert target.read_text(encoding="utf-8") == "not yours to overwrite"


def test_atomic_write_text_keeps_the_old_file_when_the_rename_fails(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "schema.json"
    p.write_text("old", encoding="utf-8")

    def refuse(src: object, dst: object) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        atomic_write_text(p, "new")
    assert _listing(tmp_path) == {"schema.json": b"old"}


@pytest.mark.parametrize(("make", "expected"), [
    (lambda t: t / "new" / "deeper", None),
    (lambda t: t, None),
    (lambda t: (t / "a.txt").write_text("x") and t / "a.txt", "is a file, not a folder"),
    (lambda t: (t / "a.txt").write_text("x") and t / "a.txt" / "out", "is a file, so the folder cannot"),
    (lambda t: (t / "report.json").mkdir() or t, "report.json there is a folder"),
])
def test_check_out_dir_names_the_problem_and_creates_nothing(
        tmp_path: Path, make: Callable[[Path], Path], expected: str | None) -> None:
    out = make(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    problem = check_out_dir(out)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem and "fix:" in problem and str(out) in problem
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_check_out_dir_refuses_a_folder_without_write_permission(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        assert "no permission" in (check_out_dir(locked) or "")
        assert "no permission" in (check_out_dir(locked / "out") or "")
    finally:
        locked.chmod(0o755)


# --- the CLI: usage errors before any work ------------------------------------------------------


@pytest.fixture()
def no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> AnalysisRun:
        raise AssertionError("the analysis ran although the arguments were refused")

    monkeypatch.setattr(pipeline, "analyze", boom)


USAGE_ERRORS: list[tuple[list[str], str]] = [
    (["analyze", "story/", "--length", "0"], "--length: 0 is out of range"),
    (["analyze", "story/", "--length", "-5"], "--length: -5 is out of range"),
    (["analyze", "story/", "--length", "ten"], "'ten' is not a whole number"),
    (["analyze", "story/", "--length", "99999999"], "out of range; give the brief's length in words from 1"),
    (["analyze", "story/", "--format", "xlsx"], "unknown format xlsx"),
    (["analyze", "story/", "--format", " , "], "unknown format"),
    (["analyze", "story/", "--format", "json,pdf"], "unknown format pdf"),
    (["analyze", "story/", "--llm-url", "http://127.0.0.1:9/v1"], "--llm-url and --llm-model go together"),
    (["analyze", "story/", "--llm-model", "m"], "--llm-url and --llm-model go together"),
    (["analyze", "story/", "--llm-url", "ftp://host/v1", "--llm-model", "m"], "not an http(s) address"),
    (["analyze", "story/", "--llm-url", "http://h:abc/v1", "--llm-model", "m"], "not a valid URL"),
    (["analyze", "story/", "--title", "  "], "--title is empty"),
    (["analyze", "story/", "--title", "Dam\udcff"], "bytes that are not UTF-8"),
    (["analyze", "story/", "--title", "Dam\nbreaks"], "holds control characters"),
    (["analyze", "story/", "--no-such-option"], "unrecognized arguments"),
    (["analyze"], "nothing to analyse (fix: give article files, folders or URLs, or --story ID"),
    (["demo", "--format", "pdf"], "unknown format pdf"),
    (["serve", "--port", "70000"], "--port: 70000 is out of range"),
    (["serve", "--workers", "0"], "--workers: 0 is out of range"),
    (["frobnicate"], "invalid choice"),
    ([], "the following arguments are required"),
]


@pytest.mark.parametrize(("argv", "message"), USAGE_ERRORS, ids=[" ".join(a) or "nothing" for a, _ in USAGE_ERRORS])
def test_usage_errors_exit_64_before_any_work(argv: list[str], message: str, no_analysis: None,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err and "usage:" in err and "Traceback" not in err


def test_an_out_path_that_is_a_file_is_refused_before_the_analysis(
        tmp_path: Path, no_analysis: None, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "report.txt"
    existing.write_text("keep me", encoding="utf-8")
    for argv in (["analyze", str(tmp_path), "-o", str(existing)], ["demo", "-o", str(existing / "sub")]):
        with pytest.raises(SystemExit) as e:
            main(argv)
        assert e.value.code == EXIT_USAGE
        assert f"-o {argv[-1]}" in capsys.readouterr().err
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_schema_out_must_be_a_file_in_an_existing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for out, message in ((tmp_path, "is a folder"), (tmp_path / "no" / "s.json", "does not exist")):
        with pytest.raises(SystemExit) as e:
            main(["schema", "-o", str(out)])
        assert e.value.code == EXIT_USAGE and message in capsys.readouterr().err
    target = tmp_path / "report.schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "newsprism.report/1"
    assert [p.name for p in tmp_path.iterdir()] == ["report.schema.json"]  # no temporary file left


def test_every_exit_code_is_documented_in_help_and_readme(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ("0", "1", "2", str(EXIT_USAGE), str(EXIT_CANT_WRITE)):
        assert f"\n  {code} " in help_text, code
        assert f"`{code}`" in readme, code
    assert len({0, 1, 2, EXIT_USAGE, EXIT_CANT_WRITE}) == 5


# --- the CLI around a (stub) analysis ------------------------------------------------------------


@pytest.fixture()
def stub_analysis(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    calls: list[dict[str, object]] = []

    def analyze(sources: list[str], **kwargs: object) -> AnalysisRun:
        calls.append({"sources": sources, **kwargs})
        return AnalysisRun(report=_report(str(kwargs.get("title") or "stub")), story=None, errors=())

    monkeypatch.setattr(pipeline, "analyze", analyze)
    return calls


def test_a_narrower_format_list_removes_the_previous_runs_other_files(
        tmp_path: Path, stub_analysis: list[dict[str, object]]) -> None:
    out = tmp_path / "out"
    _old_set(out)
    assert main(["analyze", "story/", "-o", str(out), "-q", "--format", "json", "--length", "40"]) == 0
    assert sorted(_listing(out)) == ["report.json"]
    assert stub_analysis[0]["brief_length"] == 40


def test_a_report_that_cannot_be_written_exits_73_and_keeps_the_previous_one(
        tmp_path: Path, stub_analysis: list[dict[str, object]], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    old = _old_set(out)

    def disk_full(folder: Path, name: str, text: str) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "_write_temp", disk_full)
    assert main(["analyze", "story/", "-o", str(out), "-q"]) == EXIT_CANT_WRITE
    err = capsys.readouterr().err
    assert "the report could not be written" in err and str(out) in err and "Traceback" not in err
    assert _listing(out) == old


def test_the_cli_writes_through_the_set_writer(tmp_path: Path, stub_analysis: list[dict[str, object]],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Path] = []
    real = write.write_report_files
    monkeypatch.setattr(write, "write_report_files", lambda out, files: (seen.append(out), real(out, files))[1])
    assert main(["analyze", "story/", "-o", str(tmp_path / "o"), "-q", "--title", "Ferry"]) == 0
    assert seen == [tmp_path / "o"]
    assert cli.EXIT_USAGE == 64


# --- inputs[].code ----------------------------------------------------------------------------


def test_every_failed_or_skipped_input_carries_its_code() -> None:
    errors = (
        InputError("missing.html", "no such file or directory", "check the path", code="not_found"),
        InputError("feed.xml#2", "the entry has no text", "", code="no_article"),
        InputError("notes/", "nothing usable in the directory: no files", "add files", code="nothing_usable"),
        InputError("https://example.org/r", "the page is blocked", "", code="blocked"),
    )
    records = (
        InputRecord("missing.html", "failed", message="no such file or directory"),
        InputRecord("feed.xml", "ok", ("a",), kind="feed"),
        InputRecord("feed.xml#2", "failed", message="the entry has no text", kind="feed"),
        InputRecord("notes/", "failed", message="nothing usable in the directory: no files"),
        InputRecord("https://example.org/x", "failed", message="the page is blocked"),  # recorded under the asked URL
        InputRecord("lines.jsonl", "failed", message="none of its 3 lines gave an article"),
        InputRecord("story/.git", "skipped", message="hidden folder"),
    )
    out = inputs_out(IngestResult(errors=errors, inputs=records))
    assert [(i.source, i.code) for i in out] == [
        ("missing.html", "not_found"), ("feed.xml", None), ("feed.xml#2", "no_article"),
        ("notes/", "nothing_usable"), ("https://example.org/x", "blocked"),
        ("lines.jsonl", "nothing_usable"), ("story/.git", "skipped"),
    ]


def test_a_record_that_knows_its_own_code_keeps_it() -> None:
    class Coded:  # a future InputRecord with a code field
        source, status, article_ids, message, code = "fifo", "skipped", (), "not a regular file", "special_file"

    out = inputs_out(IngestResult(inputs=(Coded(),)))  # type: ignore[arg-type]
    assert out[0].code == "special_file"


def test_codes_reach_the_report_from_the_real_loader(tmp_path: Path) -> None:
    from newsprism.ingest import load_many

    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Ferry back\n\nThe ferry sailed again on Saturday after the storm.\n",
                                     encoding="utf-8")
    ingested = load_many([str(tmp_path / "empty.txt"), str(tmp_path / "ok.txt"), str(tmp_path / "gone.md")])
    codes = {Path(i.source).name: i.code for i in inputs_out(ingested)}
    assert codes == {"empty.txt": "empty", "ok.txt": None, "gone.md": "not_found"}
