"""``analyze_story`` records where the time went: the report's ``timings`` (issue 17)."""

from __future__ import annotations

from newsprism.model import Article
from newsprism.pipeline import analyze_story, make_story

STAGES = ["models", "annotate", "claims", "quotes", "contradictions", "framing", "brief", "report"]


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
