"""Golden test: the demo story's planted contradictions (examples/brenmoor-dam/truth.json) come out
with the right kind, sides and outlets, and none of its planted non-contradictions is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.analysis.claims import analyze_claims
from newsprism.analysis.contradictions.detect import ContradictionRow, find_contradictions
from newsprism.model import Story
from newsprism.pipeline import analyze

DEMO = Path(__file__).parents[3] / "examples" / "brenmoor-dam"


@pytest.fixture(scope="module")
def story() -> Story:
    run = analyze([DEMO / "articles"])
    assert run.story is not None
    return run.story


@pytest.fixture(scope="module")
def rows(story: Story) -> tuple[ContradictionRow, ...]:
    return find_contradictions(story, analyze_claims(story))


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))


def _planted(truth: dict, cid: str) -> dict:
    return next(c for c in truth["contradictions"] if c["id"] == cid)


def _match(rows: tuple[ContradictionRow, ...], planted: dict) -> ContradictionRow:
    outlier = set(planted["sides"][1]["articles"])
    hits = [r for r in rows if r.kind == planted["kind"] and set(r.sides[-1].articles) == outlier]
    assert len(hits) == 1, (planted["id"], [r.why for r in rows])
    return hits[0]


@pytest.mark.parametrize("cid", ["C1", "C2", "C3"])
def test_planted_contradiction_is_found_with_its_outlier_alone(rows: tuple, truth: dict, cid: str) -> None:
    planted = _planted(truth, cid)
    row = _match(rows, planted)
    majority = set(planted["sides"][0]["articles"])
    assert len(row.sides) == 2
    assert set(row.sides[0].articles) <= majority | {"valley-commons"}  # "nearly $5 million" agrees with $4.8M
    # the outlets the truth file names on the majority side, apart from those whose relative dates are
    # a day off the outlier's (published the day before): all there
    assert len(set(row.sides[0].articles) & majority) >= (3 if cid != "C3" else 2)
    assert row.outliers == tuple(planted["sides"][1]["articles"])


def test_sides_carry_the_values_and_evidence(rows: tuple, truth: dict, story: Story) -> None:
    c1 = _match(rows, _planted(truth, "C1"))
    assert [s.value for s in c1.sides] == ["$4.8 million", "$8.4 million"]
    c2 = _match(rows, _planted(truth, "C2"))
    assert [s.value for s in c2.sides] == ["Calder County Emergency Management Director", "Brenmoor Fire Chief"]
    for row, cid in ((c1, "C1"), (c2, "C2")):
        for side, planted_side in zip(row.sides, _planted(truth, cid)["sides"], strict=True):
            for span in side.spans:
                assert story.article(span.article_id).text[span.start:span.end] == span.text
                evidence = planted_side["articles"].get(span.article_id)
                if evidence is not None:
                    assert evidence in span.text


def test_no_planted_non_contradiction_is_reported(rows: tuple, truth: dict, story: Story) -> None:
    for n in truth["non_contradictions"]:
        where = {}
        for article, evidence in n["articles"].items():
            start = story.article(article).text.find(evidence)
            assert start >= 0, (n["id"], article)
            where[article] = (start, start + len(evidence))
        for row in rows:
            sides_hit = {k for k, side in enumerate(row.sides) for s in side.spans
                         if s.article_id in where and s.start < where[s.article_id][1]
                         and where[s.article_id][0] < s.end}
            assert len(sides_hit) < 2, (n["id"], n["why"], row.why)


def test_nothing_else_is_reported(rows: tuple, truth: dict) -> None:
    planted = {_match(rows, _planted(truth, cid)).id for cid in ("C1", "C2", "C3")}
    extra = [r.why for r in rows if r.id not in planted]
    assert extra == []


def test_role_mentions_skip_only_names_an_article_cannot_hold(story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    # names are ruled out per article by their word runs before any scan of the text (issue 17):
    # the mentions are those found without that shortcut, on the demo and on names with
    # apostrophes, hyphens, initials and a suffix
    import re

    from newsprism.analysis.contradictions import roles
    from newsprism.model import Article
    from newsprism.nlp.annotate import annotate

    texts = ["Harbour Commissioner Dara O'Neil said the Osk-Vale ferry would sail. O'Neil added that "
             "Deputy Mayor J. R. Fenwick-Holt Jr. agreed.",
             "Commissioner O'Neil, a former pilot, spoke on Monday. Mayor Ina Brell was not asked.",
             "The council's treasurer, Piet Lamm, said Fenwick-Holt had not been told."]
    made = [Article.create(id=f"r{k}", outlet=f"Outlet {k}", text=t) for k, t in enumerate(texts)]
    stories = [(story.articles, story.annotations), (tuple(made), tuple(annotate(made)))]
    fast = [roles.find_role_mentions(a, n) for a, n in stories]
    monkeypatch.setattr(roles, "_WORD_RUN", re.compile(r"(?!)"))  # no runs: every name goes to the scan
    assert fast == [roles.find_role_mentions(a, n) for a, n in stories]
    assert all(fast)
