"""Fixtures for the batch tests: a fictional archive (newsprism.scale.synth) written as shards."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsprism.scale.synth import fictional_archive


def write_archive(folder: Path, *, stories: int, outlets: int, seed: int = 7, shards: int = 2,
                  fault: bool = False) -> list[dict]:
    """The archive's rows, written round-robin into ``shards`` JSONL files in ``folder``; ``fault``:
    the first article's text holds :data:`FAULT_MARK` (see :func:`faulty`)."""
    rows = fictional_archive(stories=stories, outlets=outlets, seed=seed)
    if fault:
        plant_fault(rows)
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


#: a fictional place no template uses: an article whose text has it trips the test fault below
FAULT_MARK = "Quillon Reach"


def plant_fault(rows: list[dict], index: int = 0) -> str:
    """Put :data:`FAULT_MARK` into the text of ``rows[index]`` (before writing); that article's id."""
    rows[index]["text"] += f" Crews from {FAULT_MARK} were sent to help."
    return str(rows[index]["id"])


def faulty(analyze_story: Callable[..., Any], switch: Path) -> Callable[..., Any]:
    """``analyze_story`` that raises for a story with an article holding :data:`FAULT_MARK` while
    the file ``switch`` exists (a rerun after deleting it must succeed)."""

    def analyze(story: Any, **kwargs: Any) -> Any:
        if switch.exists() and any(FAULT_MARK in a.text for a in story.articles):
            raise ValueError(f"a test fault: the text mentions {FAULT_MARK}")
        return analyze_story(story, **kwargs)

    return analyze


def install_fault(switch: Path) -> None:
    """Patch :func:`faulty` into ``newsprism.pipeline`` of this process (a Ray worker's setup hook)."""
    import newsprism.pipeline as pipeline

    pipeline.analyze_story = faulty(pipeline.analyze_story, switch)
