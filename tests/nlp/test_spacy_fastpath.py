"""The fast runs of the attribute ruler and the lemmatizer set what spaCy's own components set."""

from __future__ import annotations

from typing import Any

import pytest

from newsprism.nlp.spacy_fastpath import IndexedAttributeRuler, MemoLemmatizer, speed_up

# Written for this test: contractions and colloquial forms reach the ruler's several-token and
# regular-expression patterns ("ai n't", "gon na", "y' all", "let 's", "there 's").
TEXT = (
    "Mayor Ana Ruiz said the Portmore ferry ain't coming back, and y'all know it. "
    "\"We're gonna rebuild the pier,\" she told reporters on Tuesday; let's see, said Councillor "
    "Ben Okafor, who's gotta vote on the $4.8 million plan. There's nothin' settled.  \n\n"
    "The councillors were voting 7-2. C'mon, they're debating again! Ferries were running faster "
    "than ever, and the best boats had sailed."
)
ATTRS = ("tag_", "pos_", "morph", "lemma_", "dep_", "ent_type_")


def _table(doc: Any) -> list[tuple[str, ...]]:
    return [tuple(str(getattr(t, a)) for a in ATTRS) for t in doc]


@pytest.fixture(scope="module")
def stock() -> Any:
    """A second copy of the model with spaCy's own components."""
    import spacy

    from newsprism.nlp.spacy_pipeline import MODEL_NAME, OFFICIAL_NAME

    for name in (MODEL_NAME, OFFICIAL_NAME):
        try:
            return spacy.load(name)
        except (ImportError, OSError):
            continue
    pytest.skip("no spaCy English model")


def test_shipped_pipeline_uses_the_fast_runs(nlp: Any) -> None:
    assert type(nlp.get_pipe("attribute_ruler")) is IndexedAttributeRuler
    assert type(nlp.get_pipe("lemmatizer")) is MemoLemmatizer


def test_same_matches_as_the_stock_ruler(nlp: Any, stock: Any) -> None:
    ruler = stock.get_pipe("attribute_ruler")
    stock_class = type(ruler)
    for text in (TEXT, TEXT.upper(), "ain't"):
        doc = stock(text)
        expected = sorted(set(ruler.match(doc)))
        ruler.__class__ = IndexedAttributeRuler
        try:
            fast = ruler.match(doc)
        finally:
            ruler.__class__ = stock_class
        assert fast == expected
        if text == TEXT:  # the several-token rules were reached
            assert any(end - start > 1 for _, _, start, end in fast)


def test_same_annotations_as_the_stock_pipeline(nlp: Any, stock: Any) -> None:
    for text in (TEXT, TEXT.lower(), "", "   ", "Ferries."):
        assert _table(nlp(text)) == _table(stock(text))
    # twice: the second run reads the remembered lemmas and masks
    assert _table(nlp(TEXT)) == _table(stock(TEXT))


def test_speed_up_leaves_other_kinds_alone() -> None:
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert speed_up(blank) == []


def test_docs_come_without_the_tok2vec_output(nlp: Any) -> None:
    from newsprism.nlp.spacy_pipeline import parse

    assert nlp.pipe_names[-1] == "newsprism_drop_tensor"
    texts = [TEXT] * 3 + ["Ferries."]
    for doc in (*parse(texts, n_process=1), *parse(texts, n_process=2)):
        assert doc.tensor.size == 0 and len(doc) > 0 and doc.has_annotation("DEP")


def test_patterns_added_later_are_used(stock: Any) -> None:
    ruler = stock.get_pipe("attribute_ruler")
    stock_class = type(ruler)
    ruler.__class__ = IndexedAttributeRuler
    try:
        doc = stock.make_doc("Portmore wins.")
        before = ruler.match(doc)
        ruler.add([[{"LOWER": "portmore"}]], {"POS": "PROPN"})
        after = ruler.match(doc)
    finally:
        ruler.__class__ = stock_class
        ruler.initialize(lambda: [], patterns=[p for p in ruler.patterns if p["patterns"] != [[{"LOWER": "portmore"}]]])
    assert len(after) == len(before) + 1 and (after[-1][2], after[-1][3]) == (0, 1)
