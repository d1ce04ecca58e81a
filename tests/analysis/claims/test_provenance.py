"""Provenance: verbatim runs, relations, groups."""

from datetime import UTC, datetime

from newsprism.analysis.claims.provenance import PairProvenance, classify, provenance_groups, verbatim_runs
from newsprism.model import Article

WIRE = ("The county council voted on Tuesday night to spend four million dollars on urgent repairs to the "
        "old stone bridge over the river, officials said. Work will begin next week.")
COPY = ("Officials said on Wednesday that the county council voted on Tuesday night to spend four million "
        "dollars on urgent repairs to the old stone bridge over the river. More to come.")
OTHER = "A local bakery won a regional prize for its rye bread, the judges announced on Friday."


def _a(id_: str, text: str, hour: int) -> Article:
    return Article.create(id=id_, outlet=id_, text=text, published=datetime(2026, 3, 3, hour, tzinfo=UTC))


def test_verbatim_runs_find_the_shared_passage_with_exact_spans() -> None:
    a, b = _a("wire", WIRE, 9), _a("copy", COPY, 11)
    runs = verbatim_runs(a, b)
    assert runs, "the shared passage should be found"
    sa, sb = runs[0]
    assert a.text[sa.start:sa.end] == sa.text and b.text[sb.start:sb.end] == sb.text
    assert sa.text.lower() == sb.text.lower()
    assert "four million dollars on urgent repairs" in sa.text


def test_unrelated_articles_share_no_runs() -> None:
    assert verbatim_runs(_a("wire", WIRE, 9), _a("other", OTHER, 10)) == []


def test_typography_does_not_hide_a_copy() -> None:
    a = _a("a", "The crew’s engineers decided to open the gates at dawn if the water keeps on rising — officials.", 9)
    b = _a("b", "The crew's engineers decided to open the gates at dawn if the water keeps on rising - officials.", 10)
    assert verbatim_runs(a, b)


def test_classify_thresholds() -> None:
    assert classify(0.9, 1.0, 1.0) == "copy"
    assert classify(0.3, 0.2, 0.0) == "rewrite"
    assert classify(0.05, 0.8, 0.9) == "rewrite"
    assert classify(0.0, 0.8, 1.0) == "independent"  # same facts in own words: independent reporting
    assert classify(0.0, 0.3, 1.0) == "independent"


def test_shared_quotes_are_not_copying() -> None:
    quote = "“We will rebuild the bridge stone by stone, and we will do it before the winter comes,”"
    a = _a("a", f"{quote} the mayor told reporters on the riverbank on Monday.", 9)
    b = _a("b", f"Speaking at a late council session, the mayor vowed: {quote}", 10)
    assert verbatim_runs(a, b) == []


def test_groups_join_derived_articles_only() -> None:
    pairs = [PairProvenance("a", "b", "copy", 0.9, 1, 1, "a->b", ()),
             PairProvenance("a", "c", "independent", 0, 0, 0, "unknown", ()),
             PairProvenance("b", "c", "independent", 0, 0, 0, "unknown", ())]
    assert provenance_groups(["a", "b", "c"], pairs) == [["a", "b"], ["c"]]
