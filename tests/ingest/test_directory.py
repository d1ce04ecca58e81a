"""Directories: recursive, sorted, mixed kinds, skipped and reported files, nothing usable."""

from __future__ import annotations

import json
from pathlib import Path

from newsprism.ingest import load

STORY = "Dam Holds\n\nThe dam held overnight, engineers said on Tuesday.\n"


def test_mixed_directory(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]")
    (tmp_path / "b-osk.txt").write_text(STORY)
    (tmp_path / "a-vell.md").write_text(STORY)
    (tmp_path / "sub" / "wire.jsonl").write_text(json.dumps({"text": "The pier opened."}) + "\n{\n")
    (tmp_path / "sub" / "page.html").write_text(
        "<html><head><title>Pier Opens</title></head><body><article><p>"
        + "The pier opened to walkers on Sunday morning after a year of work. " * 4
        + "</p></article></body></html>"
    )
    (tmp_path / ".hidden.txt").write_text(STORY)
    (tmp_path / "README.md").write_text("How this folder was made.")
    (tmp_path / "TRUTH.md").write_text("The expected answers.")
    (tmp_path / "truth.json").write_text("{}")
    (tmp_path / "LICENSE").write_text("CC0")
    (tmp_path / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    (tmp_path / "empty.txt").write_text("")

    result = load(tmp_path)
    assert [a.id for a in result.articles] == ["a-vell", "b-osk", "page", "wire-1"]
    assert sorted((Path(e.source).name, e.code) for e in result.errors) == [
        ("cover.jpg", "binary"),
        ("empty.txt", "empty"),
        ("wire.jsonl:2", "bad_json"),
    ]
    by_name = {Path(r.source).name: r for r in result.inputs}
    root = result.inputs[0]
    assert (root.source, root.status, root.kind) == (str(tmp_path), "ok", "directory")
    assert root.article_ids == ("a-vell", "b-osk", "page", "wire-1")
    assert root.message == "4 articles from 6 files"
    for name in (".git", ".hidden.txt", "README.md", "TRUTH.md", "truth.json", "LICENSE"):
        assert by_name[name].status == "skipped", name
        assert by_name[name].message
    assert "config" not in by_name  # a hidden folder is skipped as a whole
    assert by_name["cover.jpg"].status == "failed"
    # every file given is accounted for
    files = [p for p in tmp_path.rglob("*") if p.is_file() and ".git" not in p.parts]
    assert {str(p) for p in files} <= {r.source for r in result.inputs}


def test_nothing_usable(tmp_path: Path) -> None:
    (tmp_path / "README.txt").write_text("notes")
    (tmp_path / "data.bin").write_bytes(b"\x00\x01\x02\x03" * 10)
    result = load(tmp_path)
    assert not result.articles
    codes = [e.code for e in result.errors]
    assert codes == ["binary", "nothing_usable"]
    root = result.inputs[0]
    assert root.status == "failed" and "nothing usable" in root.message


def test_empty_directory(tmp_path: Path) -> None:
    result = load(tmp_path)
    (err,) = result.errors
    assert err.code == "nothing_usable" and "no files" in err.problem
