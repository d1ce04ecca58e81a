"""Edits: the word diff of two versions, and which claims appeared, vanished or changed support."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsprism.model import Article, Span, Story
from newsprism.stream.edits import ClaimChange, claim_changes, edit_notes, story_edits, word_diff
from newsprism.stream.ingest import ingest_articles
from newsprism.stream.store import Store


def test_word_diff_marks_changes_and_counts_words() -> None:
    d = word_diff("The council voted 7-2 on Tuesday to spend $4.8 million.",
                  "The council voted 6-3 on Tuesday to spend $5.1 million on repairs.")
    assert (d.removed, d.added) == (2, 4)
    assert d.inline() == ("The council voted [-7-2-] {+6-3+} on Tuesday to spend $ [-4.8-] {+5.1+} million "
                          "{+on repairs+}.")
    assert d.changes(context=1) == ["voted [-7-2-] {+6-3+} on", "$ [-4.8-] {+5.1+} million", "million {+on repairs+}."]


def test_word_diff_of_equal_texts_is_empty() -> None:
    d = word_diff("Same text.", "Same   text.")
    assert (d.removed, d.added, d.changes()) == (0, 0, [])


@dataclass
class _Claim:  # the fields of ClaimRow that claim_changes reads
    text: str
    sources: tuple[str, ...]
    spans: tuple[Span, ...]


@dataclass
class _Analysis:
    claims: tuple[_Claim, ...]


def _span(article: str, start: int) -> Span:
    return Span(article, start, start + 3, "abc")


def test_claims_that_appeared_vanished_and_changed_support() -> None:
    old = _Analysis((
        _Claim("The council voted 7-2.", ("e", "b", "c"), (_span("e", 0), _span("b", 0), _span("c", 0))),
        _Claim("The dam is 60 years old.", ("e",), (_span("e", 10),)),
        _Claim("Repairs start in June.", ("e", "b"), (_span("e", 20), _span("b", 20))),
        _Claim("Rain is forecast.", ("b", "c"), (_span("b", 30), _span("c", 30))),
    ))
    new = _Analysis((
        _Claim("The council voted 7-2.", ("b", "c"), (_span("b", 0), _span("c", 0))),  # e now says 6-3
        _Claim("The council voted 6-3.", ("e",), (_span("e", 0),)),
        _Claim("Work on the dam starts in June.", ("e", "b", "c"), (_span("e", 20), _span("b", 20), _span("c", 40))),
        _Claim("Rain is forecast.", ("e", "b", "c"), (_span("e", 50), _span("b", 30), _span("c", 30))),
    ))
    changes = claim_changes(old, new, "e")  # type: ignore[arg-type]
    assert sorted(changes, key=lambda c: (c.kind, c.text)) == [
        ClaimChange("appeared", "Rain is forecast.", 2, 3),  # e states it now; b and c did already
        ClaimChange("appeared", "The council voted 6-3.", 0, 1),
        ClaimChange("support", "Work on the dam starts in June.", 2, 3),  # same sentence in b: same claim
        ClaimChange("vanished", "The council voted 7-2.", 3, 2),  # others still state it
        ClaimChange("vanished", "The dam is 60 years old.", 1, 0),
    ]


TEXT = ("The Calder County Council voted 7-2 on Tuesday to spend $4.8 million on emergency repairs to the "
        "Brenmoor dam.\n\nInspectors found a crack in the spillway after three days of heavy rain.")


def test_story_edits_reads_versions_from_the_store(tmp_path: Path) -> None:
    url = "https://osk.example/dam"
    v1 = Article.create(id="osk", outlet="Osk Daily", text=TEXT, url=url)
    v2 = Article.create(id="osk", outlet="Osk Daily", text=TEXT.replace("7-2", "6-3"), url=url)
    other = Article.create(id="cal", outlet="Calder Standard", url="https://cal.example/rain",
                           text="Rain is forecast for the Calder valley through Thursday.")
    with Store(tmp_path / "s.sqlite3") as store:
        ingest_articles(store, [v1, other], clusterer=None)
        ingest_articles(store, [v2], clusterer=None)
        story = Story("s", (store.article("cal"), store.article("osk")))
        edits = story_edits(store, story, with_claims=False)
    assert [(e.article.id, e.previous_version, e.version) for e in edits] == [("osk", 1, 2)]
    assert edits[0].diff.changes() == ["Calder County Council voted [-7-2-] {+6-3+} on Tuesday to spend"]
    note = edit_notes(edits)[0]
    assert note.startswith("Osk Daily (osk) was edited: version 2") and "1 word removed, 1 added" in note
