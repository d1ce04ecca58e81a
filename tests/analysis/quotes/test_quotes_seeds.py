"""On the real seed story (../shared/seeds, five outlets on the Los Angeles sanctuary ordinance), the
quoted people come out with the right speaker and the outlets that quote them."""

from pathlib import Path

import pytest

from newsprism.analysis.quotes.compare import QuoteAnalysis, analyze_quotes
from newsprism.ingest import load
from newsprism.model import Story
from newsprism.nlp.annotate import annotate
from newsprism.pipeline import make_story

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed story not found at {SEEDS}")

# speaker -> the seed files (by number) that quote them directly
DIRECT = {
    "Nithya Raman": {"000"},
    "Jackie Goldberg": {"000", "001", "004"},
    "Tom Homan": {"000", "001", "004"},
    "Hugo Soto-Martinez": {"001"},
    "Bob Blumenfield": {"001"},
    "Eunisses Hernandez": {"001"},
    "Ira Mehlman": {"001"},
    "Karen Bass": {"001"},
    "Shiu-Ming Cheer": {"002"},
}


@pytest.fixture(scope="module")
def analysis() -> QuoteAnalysis:
    s = make_story(load(SEEDS).articles)
    return analyze_quotes(Story(id=s.id, articles=s.articles, annotations=annotate(s.articles)))


@pytest.mark.parametrize("speaker", sorted(DIRECT))
def test_quoted_people_and_their_outlets(analysis: QuoteAnalysis, speaker: str) -> None:
    carried = {o.article_id[:3] for g in analysis.groups for o in g.occurrences
               if o.direct and o.speaker == speaker}
    assert carried == DIRECT[speaker], (speaker, carried)


def test_goldberg_quote_is_verbatim_in_two_outlets(analysis: QuoteAnalysis) -> None:
    g = next(g for g in analysis.groups if "running in fear" in g.text)
    assert g.speaker == "Jackie Goldberg"
    assert {o.article_id[:3]: o.variant for o in g.occurrences if o.direct} == {"000": "verbatim", "004": "verbatim"}


def test_raman_is_paraphrased_where_not_quoted(analysis: QuoteAnalysis) -> None:
    g = next(g for g in analysis.groups if g.speaker == "Nithya Raman" and g.direct)
    assert any(o.variant == "paraphrase" and o.article_id.startswith("004") for o in g.occurrences)


def test_homan_partial_quote_matches_the_fuller_one(analysis: QuoteAnalysis) -> None:
    g = next(g for g in analysis.groups if "without you" in g.text)
    assert g.speaker == "Tom Homan"
    assert {o.article_id[:3] for o in g.occurrences if o.direct} == {"000", "004"}
