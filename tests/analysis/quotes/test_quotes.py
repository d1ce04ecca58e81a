"""Matching quotes across articles and classifying each occurrence, on a fictional story written for
these tests: one harbour master's statement carried by six invented outlets."""

import pytest

from newsprism.analysis.quotes.compare import (
    QuoteAnalysis,
    QuoteGroup,
    analyze_quotes,
    classify,
    misattributions,
    speakers,
    word_diff,
    words,
)
from newsprism.model import Article, Story
from newsprism.nlp.annotate import annotate
from newsprism.report.build import quote_results
from newsprism.report.schema import Quote

INTRO = "Harbor Master Ines Vogt closed the docks on Sunday after the storm surge. "
TEXTS = {
    "a-straight": INTRO + '"The pier is not in immediate danger, but nobody goes out tonight," Vogt said. '
                          '"We will check it again at dawn."',
    "b-curly": INTRO + "“The pier is not in immediate danger, but nobody goes out tonight,” Vogt said. "
                       "“We will check it again at dawn.”",
    "c-trimmed": INTRO + "Vogt said that “nobody goes out tonight” and left the office.",
    "d-altered": INTRO + '"The pier is not in any danger, but nobody goes out tonight," Vogt said. '
                         '"We will check it again at dawn."',
    "e-misattributed": "Mayor Paul Brandt visited the docks on Sunday. "
                       "“The pier is not in immediate danger, but nobody goes out tonight,” Brandt said.",
    "f-extended": INTRO + '"The pier is not in immediate danger, but nobody goes out tonight. We will check it '
                          'again at dawn. Then we decide about the ferries," Vogt said.',
    "g-paraphrase": INTRO + "Vogt said nobody would be allowed out on the pier tonight and that crews would "
                            "check it again at dawn.",
}


@pytest.fixture(scope="module")
def analysis() -> QuoteAnalysis:
    articles = tuple(Article.create(id=k, outlet=k, text=v) for k, v in sorted(TEXTS.items()))
    story = Story(id="harbor", articles=articles, annotations=annotate(articles))
    return analyze_quotes(story)


@pytest.fixture(scope="module")
def vogt(analysis: QuoteAnalysis) -> QuoteGroup:
    return next(g for g in analysis.groups if "immediate danger" in g.common)


def variant(group: QuoteGroup, article: str, direct: bool = True) -> str:
    (o,) = [o for o in group.occurrences if o.article_id == article and o.direct == direct]
    return o.variant


def test_one_group_with_the_majority_speaker(vogt: QuoteGroup) -> None:
    assert vogt.speaker == "Ines Vogt"
    assert set(vogt.articles) == set(TEXTS)
    assert vogt.common == ("The pier is not in immediate danger, but nobody goes out tonight. "
                           "We will check it again at dawn.")
    assert vogt.text.endswith("Then we decide about the ferries")  # the fullest version


def test_typography_only_differences_are_verbatim(vogt: QuoteGroup) -> None:
    assert variant(vogt, "a-straight") == variant(vogt, "b-curly") == "verbatim"


def test_each_variant_class(vogt: QuoteGroup) -> None:
    assert variant(vogt, "c-trimmed") == "trimmed"
    assert variant(vogt, "d-altered") == "altered"
    assert variant(vogt, "e-misattributed") == "misattributed"
    assert variant(vogt, "f-extended") == "extended"
    assert variant(vogt, "g-paraphrase", direct=False) == "paraphrase"


def test_altered_words_come_with_a_diff(vogt: QuoteGroup) -> None:
    (o,) = [o for o in vogt.occurrences if o.article_id == "d-altered"]
    assert o.diff is not None and "[-immediate-] {+any+}" in o.diff


def test_misattribution_helper(analysis: QuoteAnalysis, vogt: QuoteGroup) -> None:
    (m,) = [m for m in misattributions(analysis.groups) if m.group_id == vogt.id]
    assert (m.speaker, m.other_speaker, m.other_articles) == ("Ines Vogt", "Paul Brandt", ("e-misattributed",))
    assert "a-straight" in m.speaker_articles and m.spans[0].article_id == "e-misattributed"


def test_speaker_summary(analysis: QuoteAnalysis) -> None:
    by_name = {s.speaker: s for s in speakers(analysis.groups)}
    assert set(by_name["Ines Vogt"].articles) == set(TEXTS) - {"e-misattributed"}
    assert by_name["Ines Vogt"].titles == ("Harbor Master",)
    assert by_name["Paul Brandt"].articles == ("e-misattributed",)
    assert analysis.speakers[0].speaker == "Ines Vogt"


def test_report_mapping(analysis: QuoteAnalysis) -> None:
    out = quote_results(analysis.groups)["quotes"]
    assert all(isinstance(q, Quote) for q in out)
    texts = {a: t for a, t in TEXTS.items()}
    for q in out:
        for o in q.occurrences:
            assert texts[o.span.article][o.span.start:o.span.end] == o.span.text


def test_word_level_helpers() -> None:
    assert words("“Don’t go—now,” she said") == ("don't", "go", "now", "she", "said")
    assert classify("We will check it again at dawn", "we will check it again at dawn.") == "verbatim"
    assert classify("We will check it again at dawn", "check it again") == "trimmed"
    assert classify("We will check it again at dawn", "We will check it at dawn") == "trimmed"
    assert classify("We will check it again", "We will check it twice") == "altered"
    assert word_diff("We will check it again at dawn", "We will check it again at noon") == "again at [-dawn-] {+noon+}"
    assert word_diff("We will check it again at dawn", "check it again") == ""
    assert word_diff("We will check it again at dawn", "We will test it again at dawn") == \
        "We will [-check-] {+test+} it again"


def test_scare_quotes_are_not_quotes() -> None:
    from newsprism.analysis.quotes import analyze_quotes
    from newsprism.model import Article, Story
    from newsprism.nlp.annotate import annotate

    articles = (
        Article.create(id="a", outlet="A", text='Dozens of districts have declared themselves "sanctuaries" '
                       'for families. "We will keep every child safe in our schools," Superintendent Ana '
                       'Ruiz said.'),
        Article.create(id="b", outlet="B", text='"We will keep every child safe in our schools," said Ana Ruiz, '
                       'the superintendent.'),
    )
    quotes = analyze_quotes(Story(id="s", articles=articles, annotations=annotate(articles)))
    texts = [g.text for g in quotes.groups]
    assert not any("sanctuaries" in t for t in texts), texts
    assert any("keep every child safe" in t for t in texts), texts
