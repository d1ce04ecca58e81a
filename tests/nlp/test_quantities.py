"""Quantities: values, units, votes, hedges, dates; spans exact. Fictional sentences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from newsprism.model import Quantity
from newsprism.nlp.quantities import extract_quantities

PUB = datetime(2026, 3, 4, 9, 30)  # a Wednesday


def only(text: str, doc: Any = None) -> Quantity:
    found = extract_quantities(text, doc, PUB)
    assert len(found) == 1, found
    return found[0]


def test_scaled_number() -> None:
    q = only("Nearly 1.3 million residents live on the coast.")
    assert (q.text, q.kind, q.value, q.approximate) == ("Nearly 1.3 million", "cardinal", 1_300_000.0, True)


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("The seawall will cost $4.8 million in all.", "$4.8 million", 4_800_000.0, "USD"),
        ("The seawall will cost 4.8 million dollars in all.", "4.8 million dollars", 4_800_000.0, "USD"),
        ("Tickets rose to €12.50 this spring.", "€12.50", 12.5, "EUR"),
        ("A stamp costs 50 cents here.", "50 cents", 0.5, "USD"),
    ],
)
def test_money(text: str, span: str, value: float, unit: str) -> None:
    q = only(text)
    assert (q.text, q.kind, q.value, q.unit) == (span, "money", pytest.approx(value), unit)


def test_money_range_shares_its_scale() -> None:
    q = only("The plan costs $4 to 5 million over a decade", None)
    assert (q.kind, q.value, q.value2) == ("money", 4_000_000.0, 5_000_000.0)


@pytest.mark.parametrize(
    "text", ["Turnout reached 45% among renters.", "Turnout reached 45 percent among renters."]
)
def test_percent(text: str) -> None:
    q = only(text)
    assert (q.kind, q.value, q.unit) == ("percent", 45.0, "%")


def test_percentage_points() -> None:
    q = only("Support fell 3 percentage points among renters.")
    assert (q.kind, q.value, q.unit) == ("percent", 3.0, "percentage point")


@pytest.mark.parametrize(
    ("text", "a", "b"),
    [
        ("The council voted 13-0 to adopt it.", 13.0, 0.0),
        ("It passed on a 7-2 vote after midnight.", 7.0, 2.0),
    ],
)
def test_scores(text: str, a: float, b: float) -> None:
    q = next(q for q in extract_quantities(text, None, PUB) if q.kind == "score")
    assert (q.value, q.value2) == (a, b)


def test_hyphenated_range_without_vote_context_is_not_a_score() -> None:
    q = only("Groups of 10-20 volunteers cleaned the dunes.")
    assert (q.kind, q.value, q.value2) == ("cardinal", 10.0, 20.0)


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("About 300 people came to the pier.", "About 300", 300.0),
        ("More than 300 people came to the pier.", "More than 300", 300.0),
        ("Roughly 40 boats were moored there.", "Roughly 40", 40.0),
        ("Some 25 stalls stayed open.", "Some 25", 25.0),
        ("The crowd was nearly twelve deep.", "nearly twelve", 12.0),
    ],
)
def test_hedges_mark_approximate(text: str, span: str, value: float) -> None:
    q = only(text)
    assert (q.text, q.value, q.approximate) == (span, value, True)


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("Twelve lifeguards were on duty.", "Twelve", 12.0, None),
        ("A dozen kayaks capsized.", "A dozen", 12.0, None),
        ("Two-thirds of the owners agreed.", "Two-thirds", 2 / 3, "fraction"),
    ],
)
def test_number_words(text: str, span: str, value: float, unit: str | None) -> None:
    q = only(text)
    assert (q.text, q.kind, q.value, q.unit) == (span, "cardinal", pytest.approx(value), unit)


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("The trail runs 3 miles along the cliff.", "3 miles", 3.0, "mile"),
        ("Waves reached 40 feet at the point.", "40 feet", 40.0, "foot"),
        ("The storm left 12 inches of rain.", "12 inches", 12.0, "inch"),
        ("They built a 40-foot wall.", "40-foot", 40.0, "foot"),
        ("The tank holds 500 gallons.", "500 gallons", 500.0, "gallon"),
    ],
)
def test_units(text: str, span: str, value: float, unit: str) -> None:
    q = only(text)
    assert (q.text, q.kind, q.value, q.unit) == (span, "quantity", value, unit)


@pytest.mark.parametrize(
    ("text", "span", "iso"),
    [
        ("The pier reopened on Dec. 3 after repairs.", "Dec. 3", "2025-12-03"),
        ("The pier reopened on March 3, 2026 after repairs.", "March 3, 2026", "2026-03-03"),
        ("The pier reopened Tuesday after repairs.", "Tuesday", "2026-03-03"),
        ("The pier reopened last week after repairs.", "last week", "2026-W09"),
        ("The pier reopened yesterday after repairs.", "yesterday", "2026-03-03"),
        ("The pier first opened in 2019 with fanfare.", "2019", "2019"),
    ],
)
def test_dates(text: str, span: str, iso: str) -> None:
    q = only(text)
    assert (q.text, q.kind, q.iso) == (span, "date", iso)


def test_dates_without_publication_keep_text_but_no_iso() -> None:
    (q,) = extract_quantities("The pier reopened Tuesday.", None, None)
    assert (q.text, q.kind, q.iso) == ("Tuesday", "date", None)


def test_time() -> None:
    q = only("The gates open at 3:30 p.m. sharp.")
    assert (q.text, q.kind, q.iso) == ("3:30 p.m.", "time", "15:30")


def test_identifiers_are_not_amounts() -> None:
    assert extract_quantities("Bill No. 5 closes Route 66.", None, PUB) == []


def test_spans_are_exact_and_ordered(nlp: Any) -> None:
    text = (
        "On Tuesday the Harbor City council voted 7-2 to spend $4.8 million, about 45% more than planned. "
        "Nearly 1.3 million people live within 3 miles, and dozens of them came at 9 a.m. on Dec. 3."
    )
    found = extract_quantities(text, nlp(text), PUB)
    first = ["Tuesday", "7-2", "$4.8 million", "about 45%", "Nearly 1.3 million", "3 miles"]
    assert [q.text for q in found][:6] == first
    last = 0
    for q in found:
        assert text[q.start : q.end] == q.text
        assert q.start >= last
        last = q.end


def test_spacy_fills_what_regexes_miss(nlp: Any) -> None:
    text = "Dozens of volunteers and several hundred neighbours helped."
    found = extract_quantities(text, nlp(text), PUB)
    assert any(q.text.lower().startswith("dozens") and q.approximate for q in found), found


def test_spacy_durations_are_amounts_of_time(nlp: Any) -> None:
    text = "The ferry was delayed nearly an hour on its way in."
    found = extract_quantities(text, nlp(text), PUB)
    durations = [q for q in found if q.kind == "quantity"]
    assert durations and durations[0].unit == "hour" and durations[0].approximate


def test_tally_written_with_to() -> None:
    q = next(q for q in extract_quantities("The court ruled 5 to 4 on Monday.", None, PUB) if q.kind == "score")
    assert (q.text, q.value, q.value2) == ("5 to 4", 5.0, 4.0)
