"""The hostile inputs through the command line: a report is still written, no traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "brenmoor-dam" / "articles"


@pytest.mark.slow
def test_analyze_with_hostile_inputs_writes_the_report(tmp_path: Path) -> None:
    story = tmp_path / "story"
    shutil.copytree(EXAMPLE, story)
    first = sorted(story.iterdir())[0]
    # A copy under a name that is not UTF-8 and holds an escape sequence: the outlet comes from it.
    (story / os.fsdecode(b"caf\xe9-\x1b[31m.txt")).write_bytes(first.read_bytes())
    os.mkfifo(story / "pipe.txt")
    (story / "zero.txt").symlink_to("/dev/zero")
    (story / "loop").symlink_to(story, target_is_directory=True)
    (story / "deep.json").write_text("[" * 100_000)
    (story / "digits.jsonl").write_text('{"text": ' + "9" * 5000 + "}\n")
    (story / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire&#xD800;</title><item><title>a</title>'
        "<link>http://[1]/</link><description>A short &amp;#xD800; teaser.</description></item></channel></rss>"
    )
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "newsprism", "analyze", str(story), "http://[::1/", "http://h:abc/", "-o", str(out)],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=600,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr  # some inputs failed, the report was written
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    failed = {i["source"].removeprefix(f"{story}/"): i["code"] for i in report["inputs"] if i["status"] == "failed"}
    assert failed == {
        "pipe.txt": "not_regular",
        "zero.txt": "not_regular",
        "deep.json": "bad_json",
        "digits.jsonl": "nothing_usable",
        "digits.jsonl:1": "bad_json",
        "http://[::1/": "bad_url",
        "http://h:abc/": "bad_url",
    }
    skipped = {Path(i["source"]).name: i.get("code") for i in report["inputs"] if i["status"] == "skipped"}
    assert skipped.get("loop") == "symlink_loop"
    assert "caf\\xe9-\\x1b[31m.txt" in {Path(i["source"]).name for i in report["inputs"]}
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "\x1b" not in markdown
