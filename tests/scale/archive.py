"""Fixtures for the batch tests: a fictional archive (newsprism.scale.synth) written as shards."""

from __future__ import annotations

import json
from pathlib import Path

from newsprism.scale.synth import fictional_archive


def write_archive(folder: Path, *, stories: int, outlets: int, seed: int = 7, shards: int = 2) -> list[dict]:
    """The archive's rows, written round-robin into ``shards`` JSONL files in ``folder``."""
    rows = fictional_archive(stories=stories, outlets=outlets, seed=seed)
    folder.mkdir(parents=True, exist_ok=True)
    parts: list[list[str]] = [[] for _ in range(shards)]
    for i, r in enumerate(rows):
        parts[i % shards].append(json.dumps(r))
    for k, lines in enumerate(parts):
        (folder / f"crawl-{k:03d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rows


def reports(out: Path) -> dict[str, dict]:
    """Each story's report.json, less run metadata (when it was made, how long each stage took)."""
    found = {}
    for folder in sorted((out / "stories").iterdir()):
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        report.pop("generated_at")
        report.pop("timings")
        found[folder.name] = report
    return found
