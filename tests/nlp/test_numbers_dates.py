"""Numbers as written, and dates resolved against a publication date."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from newsprism.nlp.dates import resolve_date, resolve_time
from newsprism.nlp.numbers import is_fraction, parse_number, parse_ordinal

PUB = date(2026, 3, 4)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.3 million", 1_300_000.0),
        ("$4.8 million", 4_800_000.0),
        ("4.8M", 4_800_000.0),
        ("2bn", 2e9),
        ("1,300", 1300.0),
        ("twelve", 12.0),
        ("twenty-five thousand", 25_000.0),
        ("one hundred twenty-five", 125.0),
        ("a dozen", 12.0),
        ("two dozen", 24.0),
        ("half a million", 500_000.0),
        ("three quarters", 0.75),
        ("one and a half", 1.5),
        ("3 1/2", 3.5),
        (".5", 0.5),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


def test_fractions_and_non_numbers() -> None:
    assert parse_number("two-thirds") == pytest.approx(2 / 3)
    assert is_fraction("two-thirds") and is_fraction("a third") and not is_fraction("twelve")
    assert parse_number("several") is None
    assert parse_number("") is None


def test_parse_ordinal() -> None:
    assert parse_ordinal("21st") == 21.0
    assert parse_ordinal("third") == 3.0
    assert parse_ordinal("twenty-first") == 21.0
    assert parse_ordinal("many") is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Tuesday", "2026-03-03"),
        ("Wednesday", "2026-03-04"),  # the publication day itself
        ("Thursday", "2026-02-26"),  # the most recent Thursday on or before publication
        ("last Wednesday", "2026-02-25"),
        ("next Monday", "2026-03-09"),
        ("Tuesday night", "2026-03-03"),
        ("yesterday", "2026-03-03"),
        ("today", "2026-03-04"),
        ("tomorrow", "2026-03-05"),
        ("Dec. 3", "2025-12-03"),  # nearest to publication: last December, not next
        ("March 10", "2026-03-10"),
        ("March 3, 2026", "2026-03-03"),
        ("3 March 2026", "2026-03-03"),
        ("March 2026", "2026-03"),
        ("2019", "2019"),
        ("in 2019", "2019"),
        ("last week", "2026-W09"),
        ("this week", "2026-W10"),
        ("last month", "2026-02"),
        ("last year", "2025"),
        ("two years ago", "2024"),
        ("three days ago", "2026-03-01"),
        ("a year ago", "2025"),
        ("2026-03-03", "2026-03-03"),
        ("3/3/2026", "2026-03-03"),
        ("last June", "2025-06"),
    ],
)
def test_resolve_date(text: str, iso: str) -> None:
    assert resolve_date(text, PUB) == iso


def test_resolve_date_accepts_datetime_and_needs_a_date_for_relative_ones() -> None:
    assert resolve_date("Tuesday", datetime(2026, 3, 4, 23, 59)) == "2026-03-03"
    assert resolve_date("Tuesday", None) is None
    assert resolve_date("Dec. 3", None) is None
    assert resolve_date("Dec. 3, 2024", None) == "2024-12-03"
    assert resolve_date("the summer", PUB) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("3 p.m.", "15:00"),
        ("3:30 p.m.", "15:30"),
        ("12 a.m.", "00:00"),
        ("10:15", "10:15"),
        ("noon", "12:00"),
    ],
)
def test_resolve_time(text: str, iso: str) -> None:
    assert resolve_time(text) == iso


def test_resolve_time_rejects_bare_numbers() -> None:
    assert resolve_time("15") is None


def test_an_article_before_a_number_word_adds_nothing() -> None:
    from newsprism.nlp.quantities import extract_quantities

    assert [q.value for q in extract_quantities("It began a six-week closure.")] == [6.0]
    assert [q.value for q in extract_quantities("Workers held a two-day strike.")] == [2.0]
    assert [q.value for q in extract_quantities("They sold a dozen boats and a hundred oars.")] == [12.0, 100.0]
