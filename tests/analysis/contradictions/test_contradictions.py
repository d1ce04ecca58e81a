"""Contradictions between outlets, on fictional two- and three-article stories written for these tests.

Every story below is annotated in one batch (module fixture), then each goes through the real
analyze_claims + find_contradictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from newsprism.analysis.claims import analyze_claims
from newsprism.analysis.contradictions.amounts import Value, compatible, interval_of_number
from newsprism.analysis.contradictions.detect import (
    KINDS,
    AttributionConflict,
    ContradictionDraft,
    ContradictionRow,
    find_contradictions,
)
from newsprism.analysis.contradictions.roles import parse_title, titles_clash
from newsprism.model import Article, Story
from newsprism.nlp.annotate import annotate

WED = datetime(2026, 3, 4, 9, tzinfo=UTC)  # a Wednesday

# name -> the articles' texts (one per outlet); every sentence is invented
STORIES: dict[str, Sequence[str]] = {
    # --- conflicts
    "number": ("The Harlow city council approved $2.6 million for a new library on Monday.",
               "The Harlow city council approved $6.2 million for a new library on Monday."),
    "vote": ("The Ostrava school board voted 5-2 to close the old swimming pool.",
             "The Ostrava school board voted 6-1 to close the old swimming pool."),
    "date": ("Inspectors closed the Tessmer footbridge on Monday after finding rust on its cables.",
             "Inspectors closed the Tessmer footbridge on Friday after finding rust on its cables."),
    "role": ("School board President Omar Velling praised the teachers at the meeting.",
             "Council president Omar Velling praised the teachers at the meeting."),
    "polarity": ("The Ellery county board approved the zoning plan for the riverfront on Tuesday.",
                 "The Ellery county board rejected the zoning plan for the riverfront on Tuesday."),
    "negation": ("Officials said the harbor ferry service was affected by the storm.",
                 "Officials said the harbor ferry service was not affected by the storm."),
    "attribution": ("“We will rebuild the pier before summer,” Tova Lindqvist said at the harbor.",
                    "“We will rebuild the pier before summer,” Arlo Pembridge said at the harbor."),
    "outlier": ("The Harlow city council approved $4.8 million for storm repairs on Tuesday.",
                "The Harlow city council approved $4.8 million on Tuesday for storm repairs.",
                "The Harlow city council approved $8.4 million for storm repairs on Tuesday."),
    # --- no conflict
    "rounding": ("About 1,200 residents of the Fenwick valley were told to leave their homes on Tuesday.",
                 "Officials told 1,180 residents of the Fenwick valley to leave their homes on Tuesday."),
    "approximate": ("The Orland summer fair drew about 1.3 million visitors this year, organizers said.",
                    "The Orland summer fair drew 1.3 million visitors this year, organizers said."),
    "rounded_money": ("The council committed nearly $5 million to the Brantley dam repairs.",
                      "The council committed $4.8 million to the Brantley dam repairs."),
    "different_nouns": ("The flood forced 1,200 residents out of the Fenwick valley on Tuesday.",
                        "The flood forced 430 homes in the Fenwick valley to be emptied on Tuesday."),
    "specific_title": ("Board President Omar Velling praised the teachers at the meeting.",
                       "School board President Omar Velling praised the teachers at the meeting."),
    "weekday_as_date": ("The Harlow council voted on Tuesday to buy two new fire engines.",
                        "The Harlow council voted on March 3 to buy two new fire engines."),
    "spelled_out": ("The Harlow council bought seven new buses for the school routes.",
                    "The Harlow council bought 7 new buses for the school routes."),
}


@pytest.fixture(scope="module")
def found() -> dict[str, tuple[Story, tuple[ContradictionRow, ...]]]:
    articles = {name: [Article.create(id=f"{name}-{k}", outlet=f"Outlet {k}", text=text, published=WED)
                       for k, text in enumerate(texts)] for name, texts in STORIES.items()}
    annotations = annotate([a for arts in articles.values() for a in arts])
    by_id = {a.article_id: a for a in annotations}
    out = {}
    for name, arts in articles.items():
        story = Story(id=name, articles=tuple(arts), annotations=tuple(by_id[a.id] for a in arts))
        out[name] = (story, find_contradictions(story, analyze_claims(story)))
    return out


def _sides(row: ContradictionRow) -> list[tuple[str, set[str]]]:
    return [(s.value, set(s.articles)) for s in row.sides]


@pytest.mark.parametrize("name, kind, left, right", [
    ("number", "number", "$2.6 million", "$6.2 million"),
    ("vote", "number", "5-2", "6-1"),
    ("date", "date", "Monday", "Friday"),
    ("role", "role", "School board President", "Council president"),
    ("polarity", "polarity", "approved", "rejected"),
    ("negation", "polarity", "was affected", "was not affected"),
    ("attribution", "attribution", "Tova Lindqvist", "Arlo Pembridge"),
])
def test_each_kind_is_found_with_both_sides(found: dict, name: str, kind: str, left: str, right: str) -> None:
    story, rows = found[name]
    assert len(rows) == 1, [r.why for r in rows]
    row = rows[0]
    assert row.kind == kind and row.id == "x1" and row.subject
    values = {s.value for s in row.sides}
    assert values == {left, right}, row.why
    # every side points at the sentence that states it, in its own article
    for side in row.sides:
        assert len(side.articles) == 1
        span = side.spans[0]
        assert story.article(span.article_id).text[span.start:span.end] == span.text
        assert side.value in span.text


@pytest.mark.parametrize("name", ["rounding", "approximate", "rounded_money", "different_nouns", "specific_title",
                                  "weekday_as_date", "spelled_out"])
def test_no_conflict_where_the_texts_agree(found: dict, name: str) -> None:
    _, rows = found[name]
    assert rows == (), [r.why for r in rows]


def test_a_lone_outlier_stands_out(found: dict) -> None:
    _, rows = found["outlier"]
    assert len(rows) == 1
    row = rows[0]
    assert _sides(row) == [("$4.8 million", {"outlier-0", "outlier-1"}), ("$8.4 million", {"outlier-2"})]
    assert row.outliers == ("outlier-2",)
    assert row.articles == ("outlier-0", "outlier-1", "outlier-2")


def test_attribution_conflicts_passed_in_become_rows(found: dict) -> None:
    story, _ = found["outlier"]
    claims = analyze_claims(story)
    a, b, c = story.articles
    quote = AttributionConflict.from_mapping("storm repairs", {
        "Ina Roth": [a.span(0, 10), b.span(0, 10)], "Piet Lamm": [c.span(0, 10)]})
    rows = find_contradictions(story, claims, attribution_conflicts=[quote], kinds=["attribution"])
    assert len(rows) == 1 and rows[0].kind == "attribution"
    assert _sides(rows[0]) == [("Ina Roth", {a.id, b.id}), ("Piet Lamm", {c.id})]
    # the plain tuple form works too
    same = find_contradictions(story, claims, kinds=["attribution"],
                               attribution_conflicts=[("storm repairs", {"Ina Roth": [a.span(0, 10)],
                                                                         "Piet Lamm": [c.span(0, 10)]})])
    assert [s.value for s in same[0].sides] == ["Ina Roth", "Piet Lamm"]


def test_a_passed_in_attribution_replaces_the_sentence_level_one(found: dict) -> None:
    story, rows = found["attribution"]
    assert rows[0].kind == "attribution"
    a, b = story.articles
    given = AttributionConflict.from_mapping("We will rebuild the pier before summer", {
        "Tova Lindqvist": [a.span(1, 40)], "Arlo Pembridge": [b.span(1, 40)]})
    again = find_contradictions(story, analyze_claims(story), attribution_conflicts=[given])
    assert len(again) == 1 and again[0].subject.startswith("who said")


def test_a_draft_made_before_the_quotes_finishes_as_find_contradictions(found: dict) -> None:
    # the pipeline drafts the contradictions while the quotes are still being grouped
    story, rows = found["attribution"]
    claims = analyze_claims(story)
    a, b = story.articles
    given = AttributionConflict.from_mapping("We will rebuild the pier before summer", {
        "Tova Lindqvist": [a.span(1, 40)], "Arlo Pembridge": [b.span(1, 40)]})
    draft = ContradictionDraft(story, claims)
    assert draft.finish([given]) == find_contradictions(story, claims, attribution_conflicts=[given])
    assert draft.finish() == rows == find_contradictions(story, claims)  # finishing twice changes nothing
    alone = Story(id="one", articles=story.articles[:1], annotations=story.annotations[:1])
    one = analyze_claims(alone)
    lone = AttributionConflict.from_mapping("pier", {"Tova Lindqvist": [a.span(1, 40)],
                                                     "Arlo Pembridge": [a.span(50, 60)]})
    assert ContradictionDraft(alone, one).finish() == ()
    assert ContradictionDraft(alone, one).finish([lone]) == find_contradictions(alone, one,
                                                                                attribution_conflicts=[lone])


def test_kinds_can_be_limited_and_are_checked(found: dict) -> None:
    story, _ = found["number"]
    claims = analyze_claims(story)
    assert find_contradictions(story, claims, kinds=["role", "date"]) == ()
    with pytest.raises(ValueError, match="unknown contradiction kind"):
        find_contradictions(story, claims, kinds=["numbers"])
    assert set(KINDS) >= {"number", "date", "role", "attribution", "polarity", "place", "actor", "other"}


def test_a_single_article_has_no_contradictions(found: dict) -> None:
    story, _ = found["number"]
    alone = Story(id="one", articles=story.articles[:1], annotations=story.annotations[:1])
    assert find_contradictions(alone, analyze_claims(alone)) == ()


class _FakeNli:
    def __init__(self, score: float) -> None:
        self.score = score
        self.calls: list[int] = []

    def contradiction_scores(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        self.calls.append(len(pairs))
        return [self.score] * len(pairs)


def test_an_nli_backend_vetoes_predicate_rules_and_adds_other(found: dict) -> None:
    story, rows = found["polarity"]
    claims = analyze_claims(story)
    assert [r.kind for r in rows] == ["polarity"]
    assert find_contradictions(story, claims, nli=_FakeNli(0.1)) == ()  # vetoed, nothing added
    sure = find_contradictions(story, claims, nli=_FakeNli(0.97))
    assert [r.kind for r in sure] == ["polarity"]  # kept; the pair it explains is not repeated as "other"
    story2, _ = found["rounding"]
    other = find_contradictions(story2, analyze_claims(story2), nli=_FakeNli(0.97))
    assert {r.kind for r in other} <= {"other"}


# --- the pieces, without the pipeline ----------------------------------------------------------


def _value(text: str, value: float) -> Value:
    return Value(0, len(text), text, "count", value, None, interval_of_number(text, value), noun="resident")


@pytest.mark.parametrize("a, va, b, vb, ok", [
    ("about 1.3 million", 1.3e6, "1.3 million", 1.3e6, True),
    ("1.3 million", 1.3e6, "3.1 million", 3.1e6, False),
    ("1,180", 1180, "about 1,200", 1200, True),
    ("431", 431, "roughly 430", 430, True),
    ("more than 5", 5, "5.3", 5.3, True),
    ("nearly 5 million", 5e6, "4.8 million", 4.8e6, True),
    ("nearly 5 million", 5e6, "8.4 million", 8.4e6, False),
    ("100", 100, "200", 200, False),
    ("12", 12, "15", 15, False),
])
def test_rounding_and_hedges(a: str, va: float, b: str, vb: float, ok: bool) -> None:
    assert compatible(_value(a, va), _value(b, vb)) is ok


@pytest.mark.parametrize("a, b, clash", [
    ("council president", "president of the LAUSD board", True),
    ("Board President", "School board President", False),
    ("Councilmember", "council member", False),
    ("Brenmoor Fire Chief", "Calder County Emergency Management Director", True),
    ("Emergency Management Director", "Calder County Emergency Management Director", False),
    ("Rep.", "House Speaker", False),
    ("Police Chief", "Fire Chief", True),
    ("County Engineer", "City Engineer", True),
    ("Republican Sen.", "Democratic Sen.", True),
    ("Sen.", "Senator", False),
    ("President-elect", "Gov.", False),
    ("former Mayor", "Mayor", False),
    ("deputy director", "director", True),
    ("spokesperson", "Director", False),
])
def test_title_clashes(a: str, b: str, clash: bool) -> None:
    ta, tb = parse_title(a), parse_title(b)
    assert ta is not None and tb is not None
    assert titles_clash(ta, tb) is clash
    assert titles_clash(tb, ta) is clash


def test_the_cross_encoder_backend_loads_nothing_until_used() -> None:
    import importlib.util

    from newsprism.analysis.contradictions.detect import CrossEncoderNli, NliBackend
    from newsprism.errors import ModelUnavailableError

    backend = CrossEncoderNli()
    assert isinstance(backend, NliBackend)
    assert backend.contradiction_scores([]) == []
    if importlib.util.find_spec("sentence_transformers") is None:
        with pytest.raises(ModelUnavailableError, match="sentence-transformers"):
            backend.contradiction_scores([("The dam held.", "The dam failed.")])
