"""The support judge: a ● only where the article states the claim's wording; conflicts are never support.

Stories are one-line articles written for these tests (fictional council, dam and mayor).
"""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.analysis.claims import analyze_claims
from newsprism.analysis.claims.support import _fifth, support_level
from newsprism.model import Article, Story
from newsprism.nlp.annotate import annotate
from newsprism.pipeline import analyze
from newsprism.report.markdown import render_markdown


def _story(**texts: str) -> Story:
    articles = tuple(Article.create(id=k, outlet=k.upper(), text=v) for k, v in texts.items())
    return Story(id="t", articles=articles, annotations=annotate(articles))


def _levels(story: Story) -> list[tuple[str, dict[str, str]]]:
    claims = analyze_claims(story, judge_support=True).claims
    return [(c.text, {a: level for a, level, _ in c.support}) for c in claims]


def test_levels_in_order() -> None:
    assert support_level(0.9, conflict=False) == "states"
    assert support_level(0.5, conflict=False) == "partial"
    assert support_level(0.9, conflict=True) == "contradicts"
    assert support_level(0.05, conflict=False) is None


def test_paraphrased_figures_that_differ_are_not_support() -> None:
    story = _story(a="The council approved $4.8 million for the dam on Tuesday.",
                   b="Councillors voted 7-2 on Tuesday to spend $8.4 million repairing the dam.")
    for text, levels in _levels(story):
        own = "a" if "4.8" in text else "b"
        other = "b" if own == "a" else "a"
        assert levels[own] == "states"
        assert levels.get(other) != "states", (text, levels)
    four_point_eight = next(levels for text, levels in _levels(story) if "4.8" in text)
    assert four_point_eight.get("b") == "contradicts"


def test_opposite_modality_is_a_conflict() -> None:
    story = _story(c="The mayor is expected to meet the queen on Friday.",
                   d="The mayor is unlikely to meet the queen on Friday.")
    for _text, levels in _levels(story):
        assert sorted(levels.values()) == ["contradicts", "states"]


def test_the_same_fact_in_other_words_is_stated() -> None:
    story = _story(a="The council approved $4.8 million for the dam on Tuesday.",
                   b="On Tuesday the council approved $4.8 million for repairs to the dam, officials said.")
    text, levels = _levels(story)[0]
    assert levels == {"a": "states", "b": "states"}, text


def test_without_the_judge_every_member_is_a_source() -> None:
    story = _story(a="The council approved $4.8 million for the dam on Tuesday.",
                   b="On Tuesday the council approved $4.8 million for repairs to the dam, officials said.")
    (claim,) = analyze_claims(story).claims
    assert set(claim.sources) == {"a", "b"}
    assert {a: level for a, level, _ in claim.support} == {"a": "states", "b": "states"}


@pytest.mark.slow
def test_report_shows_levels(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The council approved $4.8 million for the dam on Tuesday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Councillors voted 7-2 on Tuesday to spend $8.4 million repairing the dam.\n",
                                    encoding="utf-8")
    run = analyze([tmp_path], judge_support=True)
    assert run.report is not None
    levels = {(c.text[:20], s.article): s.level for c in run.report.claims for s in c.support}
    assert "contradicts" in levels.values()
    assert all(c.independent_sources == 1 for c in run.report.claims)
    assert "✕" in render_markdown(run.report)
    plain = analyze([tmp_path])  # without the judge, the conflict rules still hold
    assert plain.report is not None
    assert {s.level for c in plain.report.claims for s in c.support} == {"states", "contradicts"}
    assert [x.kind for x in plain.report.contradictions] == ["number"]
    assert not any("different stories" in n for n in plain.report.notes)


def test_without_the_judge_conflicts_are_never_support() -> None:
    from newsprism.analysis.claims.coherence import story_groups
    from newsprism.analysis.contradictions import find_contradictions

    story = _story(a="The council approved $4.8 million for the dam on Tuesday.",
                   b="Councillors voted 7-2 on Tuesday to spend $8.4 million repairing the dam.")
    analysis = analyze_claims(story)
    levels = {c.text[:15]: {a: level for a, level, _ in c.support} for c in analysis.claims}
    assert levels == {"The council app": {"a": "states", "b": "contradicts"},
                      "Councillors vot": {"a": "contradicts", "b": "states"}}
    assert all(c.independent_sources == 1 for c in analysis.claims)
    (found,) = find_contradictions(story, analysis)
    assert found.kind == "number"
    assert sorted(side.value for side in found.sides) == ["$4.8 million", "$8.4 million"]
    assert story_groups(["a", "b"], analysis.claims) == [["a", "b"]]  # disagreeing on a figure: one story


def test_a_flipped_predicate_conflicts_but_a_paraphrased_without_does_not() -> None:
    flipped = _story(a="The county council approved the emergency repairs to the dam on Tuesday.",
                     b="The county council did not approve the emergency repairs to the dam on Tuesday.")
    assert all(sorted(lv for _, lv, _ in c.support) == ["contradicts", "states"]
               for c in analyze_claims(flipped).claims)
    paraphrase = _story(a="Harwick Civil Works landed the contract to repair the dam spillway.",
                        b="Harwick Civil Works won the contract to repair the spillway without competitive bidding.")
    assert all("contradicts" not in {lv for _, lv, _ in c.support} for c in analyze_claims(paraphrase).claims)


def test_two_stories_analysed_together_are_told_apart() -> None:
    from newsprism.analysis.claims.coherence import story_groups
    from newsprism.pipeline import mixed_stories_note

    story = _story(
        a="The council approved $4.8 million for the dam on Tuesday. The vote was 7-2.",
        b="On Tuesday the council approved $4.8 million for repairs to the dam. Councillors voted 7-2.",
        c="The ferry union called a strike in Port Alder on Monday. About 3,000 commuters were stranded.",
        d="Ferry workers in Port Alder walked out on Monday, stranding about 3,000 commuters.",
    )
    claims = analyze_claims(story)
    assert story_groups([a.id for a in story.articles], claims.claims, min_shared=1) == [["a", "b"], ["c", "d"]]
    one = _story(a="The council approved $4.8 million for the dam on Tuesday. The vote was 7-2.",
                 b="On Tuesday the council approved $4.8 million for repairs to the dam. Councillors voted 7-2.")
    assert mixed_stories_note(one, analyze_claims(one)) is None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.floats(-1.0, 1.0, width=32), min_size=1, max_size=90))
def test_fifth_is_numpys_twentieth_percentile_to_the_bit(values: list[float]) -> None:
    cosines = np.array(values, dtype=np.float32)
    assert _fifth(cosines) == float(np.quantile(cosines, 0.2))
    assert _fifth(cosines.astype(np.float64)) == float(np.quantile(cosines.astype(np.float64), 0.2))
