"""``analyze_story`` records where the time went: the report's ``timings`` (issue 17), and gives
the memory its analyses freed back to the system."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import newsprism.pipeline as pipeline
from newsprism.model import Article
from newsprism.pipeline import analyze_story, make_story, return_free_heap

STAGES = ["models", "annotate", "quotes", "claims", "framing", "contradictions", "brief", "report"]


def test_every_stage_is_timed_in_run_order() -> None:
    story = make_story([
        Article.create(id="a", outlet="Marrow Ledger", text="The Marrow Creek bridge reopened on Friday. "
                       "\u201cIt is safe,\u201d said Mayor Ina Brell."),
        Article.create(id="b", outlet="Creek Post", text="The bridge over Marrow Creek opened again Friday, "
                       "six weeks after a barge struck it."),
    ])
    _, report = analyze_story(story)
    assert list(report.timings) == STAGES
    assert all(v >= 0.0 for v in report.timings.values())
    assert report.model_validate_json(report.to_json()).timings == report.timings


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(pipeline._malloc_trim() is None or not Path("/proc/self/statm").exists(),
                    reason="needs glibc's malloc_trim and /proc")
def test_return_free_heap_gives_freed_memory_back() -> None:
    # 120 MB in blocks of 4 KB (too large for Python's own allocator, too small to be mapped alone),
    # one in 32 kept: the heap cannot shrink from its top, so the freed blocks stay resident
    blocks = [bytes(4000) + bytes([k % 251]) for k in range(30_000)]
    kept = blocks[::32]
    del blocks
    before = _rss_mb()
    assert return_free_heap() is True
    assert _rss_mb() < before - 60, (before, _rss_mb())
    assert len(kept) == 938


def test_analyze_story_returns_the_free_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(pipeline, "return_free_heap", lambda: calls.append(1) or True)
    story = make_story([Article.create(id="a", outlet="Fen Post", text="The Fen lock reopened on Monday.")])
    analyze_story(story)
    assert calls == [1]
