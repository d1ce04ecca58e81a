"""Direct and indirect quote extraction on fictional sentences written for these tests."""

from typing import Any

import pytest

from newsprism.analysis.quotes.extract import QuoteMention, extract_quotes, quoted_stretches
from newsprism.model import Annotation, Article
from newsprism.nlp.spacy_pipeline import load


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load()


def quotes(nlp: Any, text: str, *, direct_only: bool = True) -> tuple[Article, list[QuoteMention]]:
    article = Article.create(id="t", outlet="Test", text=text)
    found = extract_quotes(article, Annotation("t", (), (), (), doc=nlp(text)))
    for m in found:
        assert 0 <= m.start <= m.end <= len(text)
        for s, e in m.parts:
            assert m.start <= s <= e <= m.end
    return article, [m for m in found if m.direct or not direct_only]


def only(nlp: Any, text: str) -> tuple[Article, QuoteMention]:
    article, found = quotes(nlp, text)
    assert len(found) == 1, [m.text(article) for m in found]
    return article, found[0]


def test_split_quote_is_one_quote_with_two_parts(nlp: Any) -> None:
    a, q = only(nlp, "Mayor Ann Lutz toured the shelter. “We know this is hard,” she said. “We are ready.”")
    assert len(q.parts) == 2
    assert q.text(a) == "We know this is hard. We are ready."
    assert (q.speaker, q.speaker_as_written, q.speaker_title, q.cue) == ("Ann Lutz", "she", "Mayor", "said")
    assert a.text[q.speaker_start:q.speaker_end] == "she"


def test_straight_marks_and_typography(nlp: Any) -> None:
    a, q = only(nlp, 'Mayor Ann Lutz toured the shelter. "We know this is hard," she said. "We are ready."')
    assert q.text(a) == "We know this is hard. We are ready."
    assert q.speaker == "Ann Lutz"


def test_paragraph_long_quote_reopened_in_the_next_paragraph(nlp: Any) -> None:
    text = ("Fire Chief Omar Bell described the night. “The river rose faster than any model said it would. "
            "We moved the pumps first.\n\n“Then we called every family on the list,” Bell said.")
    a, q = only(nlp, text)
    assert len(q.parts) == 2
    assert q.text(a).startswith("The river rose") and q.text(a).endswith("every family on the list")
    assert q.speaker == "Omar Bell" and q.speaker_title == "Fire Chief"


def test_quote_marks_pairing_across_paragraphs() -> None:
    text = "“First part\n\n“Second part,” she said. A \"short\" one."
    got = [(text[s.start:s.end], s.chain) for s in quoted_stretches(text, ((0, 11), (13, len(text))))]
    assert got == [("First part", 0), ("Second part,", 0), ("short", 1)]


def test_partial_quote_inside_a_sentence(nlp: Any) -> None:
    a, q = only(nlp, "Councilmember Rosa Ibarra called the plan “reckless” and voted against it.")
    assert q.text(a) == "reckless"
    assert (q.speaker, q.speaker_title, q.cue) == ("Rosa Ibarra", "Councilmember", "called")


def test_colon_introduction(nlp: Any) -> None:
    _a, q = only(nlp, "Mayor Ann Lutz was blunt: “Nobody should drive across the bridge tonight.”")
    assert q.speaker == "Ann Lutz" and q.how == "colon"


def test_according_to(nlp: Any) -> None:
    _a, q = only(nlp, "“The bridge will stay closed until Friday,” according to Transit Director Lee Park.")
    assert q.speaker == "Lee Park" and q.how == "according_to" and q.speaker_title == "Transit Director"


def test_inverted_said_with_apposition(nlp: Any) -> None:
    _a, q = only(nlp, "“We lost everything in an hour,” said Dana Whitfield, a baker on Pier Street.")
    assert q.speaker == "Dana Whitfield"
    assert q.speaker_title == "baker on Pier Street"


def test_scare_quotes_and_titles_are_not_quotes(nlp: Any) -> None:
    _, found = quotes(nlp, "The so-called “river tax” will appear on water bills in May, next to the "
                           "“Clean Harbor” surcharge.")
    assert found == []


def test_pronoun_goes_to_the_subject_not_the_last_name(nlp: Any) -> None:
    text = ("Mayor Ann Lutz said she was relieved after touring the pier with Omar Bell. "
            "“It held better than we feared,” she said.")
    _, found = quotes(nlp, text)
    assert found[-1].speaker == "Ann Lutz"


def test_the_spokesman_resolves_to_the_named_spokesman(nlp: Any) -> None:
    text = ("Jo Reyes, the spokesman for the port authority, declined to give numbers. "
            "“We are still counting the boats,” the spokesman said.")
    _a, q = only(nlp, text)
    assert (q.speaker, q.speaker_as_written) == ("Jo Reyes", "the spokesman")


def test_canonical_name_and_title_within_the_article(nlp: Any) -> None:
    text = ("School board President Mina Hale opened the meeting at six. Later, Hale spoke to parents. "
            "“No school closes this year,” Hale said.")
    _a, q = only(nlp, text)
    assert (q.speaker, q.speaker_as_written, q.speaker_title) == ("Mina Hale", "Hale", "School board President")


def test_dash_attribution(nlp: Any) -> None:
    _a, q = only(nlp, "“The ferry has never been this late.” ― Priya Nandakumar")
    assert q.speaker == "Priya Nandakumar" and q.how == "dash"


def test_indirect_speech(nlp: Any) -> None:
    text = "Councilmember Rosa Ibarra said the contract should have gone to a public vote."
    a, found = quotes(nlp, text, direct_only=False)
    q, = found
    assert not q.direct
    assert q.text(a) == "the contract should have gone to a public vote"
    assert q.speaker == "Rosa Ibarra" and q.cue == "said"


def test_indirect_speech_second_verb_keeps_the_speaker(nlp: Any) -> None:
    text = "Vera Holt said the levy was too small and warned that the pumps would fail by June."
    a, found = quotes(nlp, text, direct_only=False)
    assert {q.speaker for q in found} == {"Vera Holt"}
    assert any(q.text(a) == "the pumps would fail by June" for q in found)


def test_passive_tell_is_not_speech_by_the_subject(nlp: Any) -> None:
    _, found = quotes(nlp, "Residents were told that the water was safe to drink.", direct_only=False)
    assert found == []


def test_no_doc_is_an_error() -> None:
    a = Article.create(id="t", outlet="T", text="x")
    with pytest.raises(ValueError, match="no spaCy doc"):
        extract_quotes(a, Annotation("t", (), (), ()))
