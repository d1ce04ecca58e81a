"""Speaker coreference: he/she, role nouns and quote continuity, on fictional paragraphs written for
these tests (invented people and places)."""

from typing import Any

import pytest

from newsprism.analysis.quotes.coref import name_gender
from newsprism.analysis.quotes.extract import QuoteMention, extract_quotes
from newsprism.analysis.quotes.speakers import person_index
from newsprism.model import Annotation, Article
from newsprism.nlp.spacy_pipeline import load


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load()


def direct(nlp: Any, text: str) -> list[QuoteMention]:
    paragraphs = []
    at = 0
    for par in text.split("\n\n"):
        paragraphs.append((at, at + len(par)))
        at += len(par) + 2
    article = Article.create(id="t", outlet="Test", text=text, paragraphs=tuple(paragraphs))
    return [m for m in extract_quotes(article, Annotation("t", (), (), (), doc=nlp(text))) if m.direct]


def test_given_names_tell_gender() -> None:
    assert name_gender("Helen Dorsey") == "f" and name_gender("Walter Brandt") == "m"
    assert name_gender("Brandt") is None and name_gender("Kim Brandt") is None  # a surname; an unlisted name


def test_he_chain_carries_the_speaker_across_paragraphs(nlp: Any) -> None:
    text = ("Former party chairman Walter Brandt said the rules should change before the next convention.\n\n"
            "Though the last change went smoothly, he said, a new one would draw lobbying by allies of Oscar "
            "Pell and Victor Lund. That is why, he argued, the party should prepare.\n\n"
            "“This is a different time,” he said. “People want a say.”")
    q = direct(nlp, text)[-1]
    assert (q.speaker, q.speaker_as_written) == ("Walter Brandt", "he")


def test_she_skips_a_more_recent_man(nlp: Any) -> None:
    text = ("Mayor Helen Dorsey toured the flooded pier on Monday. The harbor master, Walter Brandt, showed "
            "her the damage.\n\n"
            "“We will rebuild it by spring,” she said.")
    assert direct(nlp, text)[-1].speaker == "Helen Dorsey"


def test_the_person_who_reports_beats_the_person_reported_on(nlp: Any) -> None:
    # both women; the one who says it, not the one she talks about, speaks next
    text = ("Retired teacher Tanya Ruiz said Senator Helen Dorsey does not show up in her town.\n\n"
            "“We only see her when there is a camera,” she said.")
    assert direct(nlp, text)[-1].speaker == "Tanya Ruiz"


def test_pronoun_of_a_speaker_fixes_gender(nlp: Any) -> None:
    doc = nlp("Analyst Kim Osei said turnout would fall. She said the polls were wrong. "
              "Officer Dana Webb agreed. He said it again.")
    idx = person_index(doc)
    resolved = {doc[i].text: m.name for i, m in idx.pronouns.items()}
    assert resolved["She"] == "Kim Osei"


def test_colon_lead_in_paragraph(nlp: Any) -> None:
    text = "Ruth Calloway, the county clerk, took questions.\n\nCalloway continued:\n\n“Every ballot will be counted.”"
    q = direct(nlp, text)[-1]
    assert q.speaker == "Ruth Calloway" and q.how == "colon"


def test_participle_after_a_preposition(nlp: Any) -> None:
    text = "Councilman Ed Farrow defended the plan on Tuesday by saying it was “the only honest budget.”"
    assert direct(nlp, text)[-1].speaker == "Ed Farrow"


def test_coordinated_speech_verb_keeps_the_subject(nlp: Any) -> None:
    text = ("Port Director Nadia Vance said Friday that she thinks the report should come out but said "
            "“the question is the timing.”")
    assert direct(nlp, text)[-1].speaker == "Nadia Vance"


def test_it_gives_way_to_the_outer_speaker(nlp: Any) -> None:
    text = "Helen Dorsey spoke last. She says it underscores that the board is “out of touch.”"
    q = direct(nlp, text)[-1]
    assert q.speaker == "Helen Dorsey"


def test_party_tag_is_not_a_person(nlp: Any) -> None:
    text = "Sen. Helen Dorsey (D-Mo.) scolded him: “The evidence is against you,” she said."
    idx = person_index(nlp(text))
    assert "D-Mo." not in {m.name for m in idx.mentions}
    assert direct(nlp, text)[-1].speaker == "Helen Dorsey"


def test_dash_attribution_after_a_no_break_space(nlp: Any) -> None:
    text = "“The ferry has never been this late.”\u00a0― Priya Nandakumar\n\n“Nor this full.” ―\u00a0Omar Ruiz"
    found = direct(nlp, text)
    assert [q.speaker for q in found] == ["Priya Nandakumar", "Omar Ruiz"]
    assert found[0].speaker_as_written == "Priya Nandakumar"
