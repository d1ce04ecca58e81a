"""An article that credits another outlet for a fact adds no independent source for it.

Articles and outlets are fictional, written for these tests.
"""

import pytest

from newsprism.analysis.claims import analyze_claims
from newsprism.analysis.claims.credit import credited_outlet
from newsprism.model import Article, Story
from newsprism.nlp.annotate import annotate

OUTLETS = {"c": "Brenmoor Courier", "v": "Valley Commons", "w": "WBMR 9 News"}


@pytest.mark.parametrize(("text", "own", "expected"), [
    ("The vote was 7-2, the Courier reported on Tuesday.", "v", "c"),
    ("According to the Brenmoor Courier, the vote was 7-2.", "v", "c"),
    ("Mayor Holloway told WBMR 9 News the shelter was open.", "c", "w"),
    ("The memo was first reported by The Dunmore Herald.", "c", "ext:dunmore herald"),
    ("In an interview with the Associated Press, Holloway said the shelter was open.", "c", "ext:ap"),
    ("The repairs were estimated at $1.1 million, according to a report reviewed by Valley Commons.", "v", None),
    ("The crack is 2 inches wide, according to an engineering memo.", "c", None),
    ("Petrosky told reporters the council could not wait.", "c", None),
    ("About 1,200 residents left, according to the county's emergency office.", "c", None),
])
def test_credited_outlet(text: str, own: str, expected: str | None) -> None:
    assert credited_outlet(text, OUTLETS, own=own) == expected


def _story(**texts: str) -> Story:
    articles = tuple(Article.create(id=k, outlet=OUTLETS.get(k, k.upper()), text=v) for k, v in texts.items())
    return Story(id="t", articles=articles, annotations=annotate(articles))


def test_a_fact_credited_to_another_outlet_is_one_source() -> None:
    story = _story(c="The Calder County Council approved $4.8 million for the Brenmoor dam on Tuesday.",
                   v="Councillors on Tuesday voted to spend $4.8 million fixing the Brenmoor dam, "
                     "the Brenmoor Courier reported.")
    (claim,) = analyze_claims(story).claims
    assert set(claim.sources) == {"c", "v"}
    assert claim.independent_sources == 1 and claim.single_source


def test_two_articles_crediting_one_outside_outlet_are_one_source() -> None:
    story = _story(c="County officials were warned about the spillway crack in 2023, according to the Dunmore Herald.",
                   v="The Dunmore Herald reported that the county had known of the crack since 2023.")
    (claim,) = analyze_claims(story).claims
    assert claim.independent_sources == 1


def test_uncredited_statements_stay_independent() -> None:
    story = _story(c="The Calder County Council approved $4.8 million for the Brenmoor dam on Tuesday.",
                   v="Councillors on Tuesday voted to spend $4.8 million fixing the Brenmoor dam, "
                     "the county said.")
    (claim,) = analyze_claims(story).claims
    assert claim.independent_sources == 2
