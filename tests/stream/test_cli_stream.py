"""`newsprism ingest`, `newsprism stories` and `newsprism analyze --story`, end to end on our fixtures."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from newsprism.cli import main
from newsprism.stream.store import Store

DAM = ("The Calder County Council voted 7-2 on Tuesday to spend $4.8 million on emergency repairs to the "
       "Brenmoor dam, a day after inspectors found a crack in its concrete spillway.\n\n"
       "About 1,200 residents downstream were told to prepare to leave if the water kept rising, county "
       "emergency manager Rosa Linde said.\n\n"
       "\"We are not taking chances with this dam,\" council chair Ada Morrow said after the vote.")
OWN = ("Brenmoor residents packed the council chamber on Tuesday as members approved millions for dam repairs "
       "after the spillway cracked.\n\n"
       "Council chair Ada Morrow said the county would not take chances, and engineers will begin work within "
       "days, while residents below the dam were told to be ready to leave.")


def _story_dir(tmp_path: Path) -> Path:
    d = tmp_path / "feeds"
    d.mkdir()
    (d / "wire.jsonl").write_text(json.dumps({"id": "wire-dam", "outlet": "Northstate Press", "title": "Dam repairs",
                                              "url": "https://wire.example/dam", "text": DAM}) + "\n")
    (d / "courier.jsonl").write_text(json.dumps({"id": "courier-dam", "outlet": "Brenmoor Courier",
                                                 "title": "Dam repairs approved", "url": "https://courier.example/dam",
                                                 "text": DAM}) + "\n")  # the wire story, printed as it came
    (d / "bugle.txt").write_text("Council Backs Dam Repairs\n\n" + OWN + "\n")
    return d


def test_ingest_stories_and_analyze_a_stored_story(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, feeds = tmp_path / "news.sqlite3", _story_dir(tmp_path)
    assert main(["ingest", str(feeds), "--store", str(db)]) == 0
    err = capsys.readouterr().err
    assert "2 new, 1 exact duplicates, 0 near duplicates, 0 new versions, 0 unchanged, 0 errors" in err

    assert main(["ingest", str(feeds), "--store", str(db), "-q"]) == 0  # again: nothing new
    assert "0 new, 0 exact duplicates, 0 near duplicates, 0 new versions, 3 unchanged" in capsys.readouterr().err

    edited = tmp_path / "wire-later.jsonl"  # the wire story, fetched again after a correction
    edited.write_text(json.dumps({"id": "wire-dam", "outlet": "Northstate Press", "url": "https://wire.example/dam",
                                  "text": DAM.replace("7-2", "6-3")}) + "\n")
    assert main(["ingest", str(edited), "--store", str(db)]) == 0
    assert "1 new versions" in capsys.readouterr().err

    assert main(["stories", "--store", str(db)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["id", "title", "articles", "outlets", "first", "seen", "last", "seen"]
    with Store(db) as store:
        rows = store.stories()
        story = next(r for r in rows if "wire-dam" in store.story_article_ids(r.id))
        members = store.story_article_ids(story.id)
        assert "courier-dam" in members  # the exact duplicate joined its canonical's story
    assert any(line.startswith(story.id + " ") for line in table[1:])

    out = tmp_path / "report"
    assert main(["analyze", "--story", story.id, "--store", str(db), "-o", str(out), "--format", "json", "-q"]) == 0
    report = json.loads((out / "report.json").read_text())
    assert sorted(a["id"] for a in report["story"]["articles"]) == sorted(members)
    assert report["story"]["id"] == story.id
    note = next(n for n in report["notes"] if "was edited" in n)
    assert "[-7-2-] {+6-3+}" in note
    # the folder is read in name order: the courier's copy came first, the wire's is its exact duplicate
    assert any("exact duplicate of courier-dam" in (i["message"] or "") for i in report["inputs"])


def test_ingest_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, feeds = tmp_path / "news.sqlite3", _story_dir(tmp_path)
    assert main(["ingest", str(tmp_path / "missing.txt"), "--store", str(db)]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["ingest", str(feeds / "bugle.txt"), str(tmp_path / "missing.txt"), "--store", str(db)]) == 1
    err = capsys.readouterr().err
    assert "input error:" in err and "1 new" in err and "1 errors" in err
    foreign = tmp_path / "other.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    assert main(["ingest", str(feeds), "--store", str(foreign)]) == 73
    assert "not a newsprism store" in capsys.readouterr().err


def test_stories_and_analyze_story_without_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nothing.sqlite3"
    assert main(["stories", "--store", str(missing)]) == 2
    assert "no article store there yet" in capsys.readouterr().err
    assert not missing.exists()  # listing never creates a store
    assert main(["analyze", "--story", "story-1", "--store", str(missing), "-q"]) == 2
    assert main(["ingest", str(_story_dir(tmp_path) / "bugle.txt"), "--store", str(missing), "-q"]) == 0
    capsys.readouterr()
    assert main(["analyze", "--story", "story-99", "--store", str(missing), "-q"]) == 2
    assert "there is no story 'story-99'" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["analyze"], ["analyze", "a.txt", "--story", "story-1"],
                                  ["analyze", "a.txt", "--store", "s.sqlite3"], ["analyze", "--story", " "]])
def test_analyze_story_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 64
    assert "fix:" in capsys.readouterr().err


def test_help_names_the_default_store(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    assert "articles.sqlite3 in your user data folder" in " ".join(capsys.readouterr().out.split())
