"""normalize_text and match_key: behaviour, idempotence (hypothesis), and speed."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.model import paragraph_offsets
from newsprism.text.normalize import match_key, normalize_text


def test_newlines_and_blank_lines() -> None:
    assert normalize_text("One.\r\nTwo.\rThree.\n\n\n\nFour.") == "One.\n\nTwo.\n\nThree.\n\nFour."


def test_each_line_is_a_paragraph() -> None:
    text = normalize_text("Intro line.\n  • first point\n  • second point\nLast line.")
    assert [text[s:e] for s, e in paragraph_offsets(text)] == [
        "Intro line.", "• first point", "• second point", "Last line.",
    ]  # fmt: skip


def test_invisible_characters_removed() -> None:
    raw = "Zero\u200bwidth\u200d, soft\u00adhyphen, bidi\u202e mark, bell\x07, bom\ufeff."
    assert normalize_text(raw) == "Zerowidth, softhyphen, bidi mark, bell, bom."


def test_spaces() -> None:
    assert normalize_text("a\u00a0b\u2009c\t\td   e  \n  f  ") == "a b c d e\n\nf"


def test_unicode_line_separators() -> None:
    assert normalize_text("a\u2028b\u2029c\x85d\x0ce") == "a\n\nb\n\nc\n\nd\n\ne"


def test_nfc_and_typography_kept() -> None:
    assert (
        normalize_text("Cafe\u0301 \u201cquoted\u201d \u2014 it\u2019s\u2026")
        == "Caf\u00e9 \u201cquoted\u201d \u2014 it\u2019s\u2026"
    )


def test_nfc_after_removal() -> None:
    # removing the zero-width space lets the accent compose: the result must already be NFC
    assert normalize_text("e\u200b\u0301") == "\u00e9"


def test_empty() -> None:
    assert normalize_text("") == "" and normalize_text(" \n\u200b\n\t") == ""


def test_match_key_folds() -> None:
    assert match_key("\u201cIt\u2019s\u201d \u2013 \u2018done\u2019\u2026") == "\"it's\" - 'done'..."
    assert match_key("  Two\n\nLines\u00a0Here ") == "two lines here"
    assert match_key("STRASSE") == match_key("Stra\u00dfe")
    assert match_key("13\u201310 \u2212 vote") == "13-10 - vote"


_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\n", "\r", " ", "\u00a0", "\u200b", "\u0301", "\u2028", "\t", "\u201c", "\u2014"]),
    ),
    max_size=200,
)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_normalize_text_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert "\n\n\n" not in once and not once.startswith(("\n", " ")) and not once.endswith(("\n", " "))


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_match_key_is_idempotent(raw: str) -> None:
    once = match_key(raw)
    assert match_key(once) == once


@given(_TEXT)
def test_paragraphs_split_exactly_on_blank_lines(raw: str) -> None:
    text = normalize_text(raw)
    spans = paragraph_offsets(text)
    assert "\n\n".join(text[s:e] for s, e in spans) == text


def test_fast_enough() -> None:
    sentence = "The \u201csanctuary\u201d ordinance \u2014 passed 13\u20130 \u2014 was approved\u2026 "
    body = (sentence * 8 + "\n\n") * 40  # ~25 KB
    start = time.perf_counter()
    for _ in range(20):
        normalize_text(body)
    for _ in range(20_000):
        match_key(sentence)
    assert time.perf_counter() - start < 2.0
