"""Sentence splitting: news abbreviations, quotations, bullets, and exact offsets.

Every sentence here is fictional, written for these tests.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.model import paragraph_offsets
from newsprism.text.sentences import pysbd_sentences, split_sentences


def pieces(text: str) -> list[str]:
    return [text[a:b] for a, b, _ in split_sentences(text)]


@pytest.mark.parametrize(
    "sentences",
    [
        ["The U.S. Coast Guard closed the bay.", "Boats waited outside."],
        ["Mr. Ito and Dr. Vale arrived late.", "Sen. Okafor did not come."],
        ["The hearing is set for Dec. 3 in Room 4.", "It is open to the public."],
        ["Item No. 5 on the agenda was skipped.", "Nobody objected."],
        ["The novelist J. K. Orwin signed copies.", "The line was long."],
        ["The bill was signed by Gov. Paula M. Reyes.", "It takes effect in July."],
        ["She moved to the U.S. in 2004.", "She became a citizen later."],
        ["Approx. 300 people signed.", "The clerk counted twice."],
        ["The vote is at 10 a.m. Thursday in the annex.", "Doors open early."],
        ["The case is Harlow v. Brennan County.", "It goes to trial soon."],
        ["The firm, based in Washington, D.C., will appeal.", "Its shares fell."],
    ],
)
def test_abbreviations_do_not_split(sentences: list[str]) -> None:
    assert pieces(" ".join(sentences)) == sentences


@pytest.mark.parametrize(
    "sentences",
    [
        # a closing quote after the full stop stays with its sentence
        ["He said, “We are ready.”", "Then he left the room."],
        ['He said, "We are ready."', "Then he left the room."],
        # a quotation split around its attribution
        ["“We know,” she said.", "“We are ready.”"],
        ["“Is it over?” asked Councilmember Dale Pike.", "Nobody answered."],
        ["“Go!” Ana Bellamy shouted.", "The runners left the line."],
        ["“Why now?”", "That was the question."],
        # a multi-sentence quote may stay whole; its marks stay with it
        ["He said: “We came early. We stayed late.”", "The crowd cheered."],
        ["He described the deal as “fair.”", "Critics disagreed."],
        ["She asked, “Where did the money go?”", "No one replied."],
    ],
)
def test_quotes(sentences: list[str]) -> None:
    assert pieces(" ".join(sentences)) == sentences


def test_multi_sentence_quote_marks_go_with_the_right_pieces() -> None:
    text = "“The water is safe. We tested it twice,” said Mayor Evan Cole. Residents were unconvinced."
    got = pieces(text)
    assert got[-1] == "Residents were unconvinced."
    assert "".join(got[:-1]).replace(" ", "") == text.rsplit(" Residents", 1)[0].replace(" ", "")
    assert got[0].startswith("“") and got[-2].endswith("Cole.")


def test_glued_closing_quote_is_a_boundary() -> None:
    assert pieces("He said, “We are ready.”Then he left.") == ["He said, “We are ready.”", "Then he left."]


def test_bullets_and_headings_are_their_own_sentences() -> None:
    text = (
        "Key findings:\n• Crime fell 8% last year.\n• Arrests rose slightly.\n\n"
        "WHAT NEXT\nThe board meets Jan. 9."
    )
    got = [(text[a:b], p) for a, b, p in split_sentences(text, paragraph_offsets(text))]
    assert got == [
        ("Key findings:", 0),
        ("• Crime fell 8% last year.", 0),
        ("• Arrests rose slightly.", 0),
        ("WHAT NEXT", 1),
        ("The board meets Jan. 9.", 1),
    ]


def test_hard_wrapped_line_is_joined() -> None:
    text = "The mayor met with\nPresident Lee on Monday. It went\nwell, aides said."
    assert pieces(text) == ["The mayor met with\nPresident Lee on Monday.", "It went\nwell, aides said."]


def test_whitespace_is_excluded_and_offsets_are_exact() -> None:
    text = "   First one.    Second one.   \n\n\n  Third one.  "
    spans = split_sentences(text)
    assert [text[a:b] for a, b, _ in spans] == ["First one.", "Second one.", "Third one."]
    assert [p for _, _, p in spans] == [0, 0, 1]


def test_url_and_amounts_do_not_split() -> None:
    assert pieces("Visit www.example.org/a?b=c. Then go.") == ["Visit www.example.org/a?b=c.", "Then go."]
    assert pieces("He won $1,000.50 there. She won too.") == ["He won $1,000.50 there.", "She won too."]


def test_empty_and_blank() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n\n  ") == []


def test_explicit_paragraphs_are_respected() -> None:
    text = "One here. Two here."
    assert split_sentences(text, ((0, 9), (10, 19))) == [(0, 9, 0), (10, 19, 1)]


def test_pysbd_baseline_spans_are_exact() -> None:
    text = "It rained. Then it stopped.\n\nSun came out."
    assert [text[a:b] for a, b in pysbd_sentences(text)] == [
        "It rained.",
        "Then it stopped.",
        "Sun came out.",
    ]


# --- property: offsets are always exact ---------------------------------------------------------

_WORDS = st.sampled_from(
    ["the", "council", "Mr.", "Dr.", "U.S.", "Dec.", "3", "No.", "5", "J.", "K.", "Rowling", "said", "voted",
     "$4.8", "million", "45%", "13-0", "a.m.", "e.g.", "www.a.com", "(a)", "…", "--", "Sen.", "it"]
)  # fmt: skip
_END = st.sampled_from([".", "?", "!", ".”", "?”", ",” she said.", '."', "", "..."])
_OPEN = st.sampled_from(["", "“", '"', "(", "• ", "- ", "1. "])
_SEP = st.sampled_from([" ", "  ", "\n", " \t", "\u00a0"])


@st.composite
def _sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, min_size=1, max_size=8))
    return draw(_OPEN) + " ".join(words) + draw(_END)


@st.composite
def _text(draw: st.DrawFn) -> str:
    paragraphs = []
    for _ in range(draw(st.integers(1, 4))):
        sentences = draw(st.lists(_sentence(), min_size=1, max_size=5))
        para = ""
        for s in sentences:
            para += s + draw(_SEP)
        paragraphs.append(draw(st.sampled_from(["", " ", "  "])) + para)
    return "\n\n".join(paragraphs)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text())
def test_spans_are_exact_ordered_and_cover_the_text(text: str) -> None:
    paragraphs = paragraph_offsets(text)
    spans = split_sentences(text, paragraphs)
    last_end = 0
    covered = set()
    for start, end, p in spans:
        piece = text[start:end]
        assert 0 <= start < end <= len(text)
        assert piece == piece.strip()
        assert start >= last_end
        p_start, p_end = paragraphs[p]
        assert p_start <= start and end <= p_end
        covered.update(range(start, end))
        last_end = end
    # nothing but whitespace is left out
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert i in covered, (text, i)
