"""What a batch has finished, kept in its output folder so that a killed batch goes on where it stopped.

``DIR/manifest.jsonl`` gets one line per finished story, appended (and fsynced) only after the
story's report files are all in place (each written atomically, ``newsprism.report.write``). A
story is finished when its line is there and its folder holds its ``report.json``; a line cut
short by a kill is ignored (that story is simply done again). Story ids are hashes of their
members (``newsprism.scale.plan.story_id``), so a finished id means the very same articles: a
rerun over grown inputs redoes exactly the stories that changed.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> m = Manifest(out)
>>> m.finished()
set()
>>> (out / "stories" / "story-1").mkdir(parents=True)
>>> _ = (out / "stories" / "story-1" / "report.json").write_text("{}")
>>> m.add("story-1", ["a", "b"]); m.add("story-2", ["c"])  # story-2 has no report: not finished
>>> sorted(Manifest(out).finished())
['story-1']
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

__all__ = ["MANIFEST", "STORIES", "Manifest"]

MANIFEST = "manifest.jsonl"
STORIES = "stories"  # DIR/stories/<story id>/report.*


class Manifest:
    """The finished stories of the batch writing into ``out``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / MANIFEST

    def story_dir(self, story_id: str) -> Path:
        """Where a story's report files go."""
        return self.out / STORIES / story_id

    def finished(self) -> set[str]:
        """Stories whose line and ``report.json`` are both there."""
        done: set[str] = set()
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return done
        for line in lines:
            try:
                sid = json.loads(line)["story"]
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a kill: its story is done again
            if (self.story_dir(sid) / "report.json").is_file():
                done.add(sid)
        return done

    def add(self, story_id: str, article_ids: Sequence[str]) -> None:
        """Record ``story_id`` as finished (call after its files are in place)."""
        self.out.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"story": story_id, "articles": list(article_ids)}, ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as f:
            if f.tell() and not self._ends_with_newline():
                f.write("\n")  # after a torn line, start a fresh one
            f.write(line)
            f.flush()
            os.fsync(f.fileno())

    def _ends_with_newline(self) -> bool:
        with open(self.path, "rb") as f:
            f.seek(-1, os.SEEK_END)
            return f.read(1) == b"\n"
