"""End to end through the CLI: exit codes, messages, and that nothing given is dropped."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsprism.cli import EXIT_USAGE, main

GOOD_A = """---
outlet: Fenwick Ledger
title: Ferry service resumes after storm
published: 2026-05-02T09:00:00+00:00
---
The Fenwick ferry resumed service on Saturday after a two-day suspension, the harbour authority said.

Harbourmaster Olu Adeyemi said the crossing would run on a reduced timetable until Monday.
"""

GOOD_B = """Ferry back on the water

Ferries between Fenwick and Tarrow Island sailed again on Saturday, ending a two-day halt caused by the storm.

"We are running a reduced timetable until Monday," Harbourmaster Olu Adeyemi said.
"""


@pytest.fixture()
def story_dir(tmp_path: Path) -> Path:
    d = tmp_path / "story"
    d.mkdir()
    (d / "fenwick-ledger.md").write_text(GOOD_A, encoding="utf-8")
    (d / "tarrow-times.txt").write_text(GOOD_B, encoding="utf-8")
    return d


def _report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_help_teaches(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["analyze", "--help"])
    assert e.value.code == 0
    text = capsys.readouterr().out
    assert "exit codes" in text and "--format" in text and "PATH|URL" in text


def test_two_articles_make_a_report(story_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(story_dir), "-o", str(out), "-q"]) == 0
    report = _report(out)
    assert {a["outlet"] for a in report["story"]["articles"]} == {"Fenwick Ledger", "tarrow-times"}
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# ")
    for ann in report["annotations"]:
        text = next(a["text"] for a in report["story"]["articles"] if a["id"] == ann["article"])
        for s in ann["sentences"]:
            assert text[s["span"]["start"]:s["span"]["end"]] == s["span"]["text"]


def test_bad_inputs_are_reported_and_the_run_goes_on(
        story_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (story_dir / "empty.txt").write_text("", encoding="utf-8")
    (story_dir / "broken.jsonl").write_text('{"text": "A fine article line about the ferry."}\n{oops\n',
                                             encoding="utf-8")
    out = tmp_path / "out"
    code = main(["analyze", str(story_dir), str(tmp_path / "missing.html"), "-o", str(out), "-q"])
    assert code == 1
    err = capsys.readouterr().err
    assert "empty.txt" in err and "broken.jsonl:2" in err and "missing.html" in err
    report = _report(out)
    failed = {i["source"] for i in report["inputs"] if i["status"] == "failed"}
    assert any(s.endswith("empty.txt") for s in failed)
    assert any(s.endswith("broken.jsonl:2") for s in failed)
    assert any(s.endswith("missing.html") for s in failed)
    codes = {Path(i["source"]).name: i["code"] for i in report["inputs"]}
    assert codes["empty.txt"] == "empty" and codes["missing.html"] == "not_found"
    assert codes["broken.jsonl:2"] == "bad_json" and codes["tarrow-times.txt"] is None
    assert len(report["story"]["articles"]) == 3  # two files plus the good JSONL line


def test_nothing_usable_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02\xff" * 64)
    out = tmp_path / "out"
    assert main(["analyze", str(tmp_path / "empty.txt"), str(tmp_path / "blob.bin"), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no usable article" in err and "empty.txt" in err and "blob.bin" in err
    assert not (out / "report.json").exists()


def test_single_article_gets_a_clear_note(story_dir: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(story_dir / "fenwick-ledger.md"), "-o", str(out), "-q"]) == 0
    assert "two or more articles" in capsys.readouterr().err
    assert any("two or more articles" in n for n in _report(out)["notes"])


def test_unknown_format_is_refused(story_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["analyze", str(story_dir), "--format", "pdf"])
    assert e.value.code == EXIT_USAGE
    assert "unknown format pdf" in capsys.readouterr().err


def test_html_format_writes_the_self_contained_report(story_dir: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(story_dir), "-o", str(out), "-q", "--format", "json,html"]) == 0
    assert "not in this version" not in capsys.readouterr().err
    assert (out / "report.json").exists() and not (out / "report.md").exists()
    assert (out / "report.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_schema_command_prints_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "newsprism.report/1"


def test_a_missing_optional_embedder_names_the_fix(story_dir: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from newsprism.nlp import embeddings

    monkeypatch.setenv("NEWSPRISM_MODELS", str(tmp_path / "no-models"))
    monkeypatch.setattr(embeddings, "_INSTANCES", {})  # a fresh embedder reads the folder anew
    assert main(["analyze", str(story_dir), "-o", str(tmp_path / "out"), "-q", "--embedder", "mpnet-torch"]) == 2
    err = capsys.readouterr().err
    assert "all-mpnet-base-v2 is not in" in err and "make mpnet" in err
    assert not (tmp_path / "out").exists()


def test_the_run_says_what_it_waits_for_and_where_to_read(
        story_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(story_dir), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("newsprism: reading the inputs and loading the language models")
    assert f"open {out / 'report.html'} in a browser" in err
    # off a terminal (a log, a pipe), each stage says when it starts, in the order the work runs
    lines = err.splitlines()
    stages = ["loading the language models", "splitting sentences", "parsing", "embedding the sentences",
              "comparing the articles"]
    at = [next(i for i, line in enumerate(lines) if line.startswith(f"newsprism: {s} (0 of ")) for s in stages]
    assert at == sorted(at) and at[0] == 1
    assert lines[-1] == f"newsprism: open {out / 'report.html'} in a browser to read the report"
    assert main(["analyze", str(story_dir), "-o", str(out), "--format", "json"]) == 0
    assert "in a browser" not in capsys.readouterr().err


def test_max_file_mb_caps_each_file(story_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (story_dir / "huge.txt").write_text("The ferry sailed. " * 90_000, encoding="utf-8")  # 1.6 MB
    out = tmp_path / "out"
    assert main(["analyze", str(story_dir), "-o", str(out), "-q", "--max-file-mb", "1", "--format", "json"]) == 1
    assert "huge.txt" in capsys.readouterr().err
    codes = {Path(i["source"]).name: i["code"] for i in _report(out)["inputs"]}
    assert codes["huge.txt"] == "too_large"


def test_the_command_line_starts_without_heavy_imports() -> None:
    # the first line must come in well under a second: importing the CLI and parsing the
    # arguments may not pull numpy, pydantic, spaCy or a model runtime in
    code = ("import sys; from newsprism.cli import _parser; _parser().parse_args(['analyze', 'x']); "
            "print(sorted(m for m in ('numpy', 'pydantic', 'spacy', 'onnxruntime', 'tqdm') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_embedder_names_match_the_embedders() -> None:
    from newsprism.cli import EMBEDDER_NAMES
    from newsprism.nlp.embeddings import EMBEDDERS

    # every embedder but story clustering's int8 MiniLM, which no analysis was tuned with
    assert sorted(EMBEDDER_NAMES) == sorted(set(EMBEDDERS) - {"minilm-onnx-int8"})


def test_csv_tables_for_pandas_and_spreadsheets(story_dir: Path, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "out"
    assert main(["analyze", str(story_dir), "-o", str(out), "-q", "--format", "csv,json"]) == 0
    report = _report(out)
    with (out / "report.articles.csv").open(encoding="utf-8", newline="") as f:
        articles = list(csv.DictReader(f))
    assert sorted(a["article"] for a in articles) == sorted(a["id"] for a in report["story"]["articles"])
    with (out / "report.claim_support.csv").open(encoding="utf-8", newline="") as f:
        support = list(csv.DictReader(f))
    assert len(support) == len(report["claims"]) * len(articles) > 0
    assert not (out / "report.html").exists()


def test_parquet_without_pyarrow_stops_before_any_work(story_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    out = tmp_path / "out"
    assert main(["analyze", str(story_dir), "-o", str(out), "--format", "parquet"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'newsprism[tables]'" in err and "--format csv" in err
    assert "loading the language models" not in err and not out.exists()


FIRE_A = """---
outlet: Marrow Ledger
title: Fire closes Marrow library
---
A fire closed the Marrow public library on Thursday night, the fire brigade said.

No one was hurt in the blaze, which started in the basement archive.

The library will stay shut for at least two weeks while the damage is assessed, the council said.
"""

FIRE_B = """---
outlet: Creek Post
title: Library fire in Marrow
---
The Marrow public library was closed by a fire on Thursday night, according to the fire brigade.

Nobody was injured in the fire, which began in the basement archive.

The council said the library would remain closed for at least two weeks while damage is assessed.
"""


def test_two_stories_split_into_one_report_each(story_dir: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (story_dir / "marrow-ledger.md").write_text(FIRE_A, encoding="utf-8")
    (story_dir / "creek-post.md").write_text(FIRE_B, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["analyze", str(story_dir), "-o", str(out), "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert "2 different stories" in err and "add --split-stories" in err  # said, with the way out
    assert not (out / "story-1").exists()
    assert main(["analyze", str(story_dir), "-o", str(out), "--format", "json,html", "--split-stories"]) == 0
    err = capsys.readouterr().err
    parts = [_report(out / f"story-{i}") for i in (1, 2)]
    outlets = sorted(sorted(a["outlet"] for a in p["story"]["articles"]) for p in parts)
    assert outlets == [["Creek Post", "Marrow Ledger"], ["Fenwick Ledger", "tarrow-times"]]
    for i, p in enumerate(parts, 1):  # each story on its own: no note about mixed stories, its own inputs
        assert not any("different stories" in n for n in p["notes"])
        assert {i["article_ids"][0] for i in p["inputs"]} == {a["id"] for a in p["story"]["articles"]}
        assert f"story {i} of 2" in err and str(out / f"story-{i}" / "report.html") in err
    assert len(_report(out)["story"]["articles"]) == 4  # the whole set stays in DIR, with its note
    assert err.splitlines()[-1] == f"newsprism: open {out / 'report.html'} in a browser to read the report"


def test_progress_off_a_terminal_prints_stage_starts_and_real_counts(capsys: pytest.CaptureFixture[str]) -> None:
    from newsprism.cli import _Bars

    slow = _Bars(enabled=True)  # counts at most every 2 s: a quick stage prints only its start
    for done in range(4):
        slow("embed", done, 3)
    fast = _Bars(enabled=True)
    fast.every = 0.0  # every advance is due: each new count gets its line, a repeated one does not
    for done in (0, 1, 1, 3):
        fast("parse", done, 3)
    _Bars(enabled=False)("parse", 0, 3)  # -q: nothing
    assert capsys.readouterr().err.splitlines() == [
        "newsprism: embedding the sentences (0 of 3)…",
        "newsprism: parsing (0 of 3)…", "newsprism: parsing (1 of 3)…", "newsprism: parsing (3 of 3)…"]
