"""Reading the quotes picks the tokens it acts on from spaCy's arrays (issue 17); each pick is what
asking every Token gives, checked here against those per-Token readings on the demo story's articles
(fictional, written for this project)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import newsprism
from newsprism.analysis.quotes import coref
from newsprism.analysis.quotes.extract import _token_index
from newsprism.analysis.quotes.speakers import _token_starts
from newsprism.nlp.spacy_pipeline import load

DEMO = Path(newsprism.__file__).parent / "demo" / "articles"


@pytest.fixture(scope="module")
def docs() -> list[Any]:
    nlp = load()
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEMO.glob("*.md"))]
    texts += ["", "He said.\n\nShe left.", "“We will,” the mayor said. \n Who knows?"]
    return list(nlp.pipe(texts))


def narrative_by_token(doc: Any, quoted: set[int]) -> list[int]:
    units: list[list[Any]] = []
    prev_break = True
    for tok in doc:
        if prev_break or tok.is_sent_start:
            units.append([])
        units[-1].append(tok)
        prev_break = tok.is_space and "\n" in tok.text
    out = [0] * len(doc)
    n = -1
    for unit in units:
        if n < 0 or any(not t.is_punct and not t.is_space and t.i not in quoted for t in unit):
            n += 1
        for t in unit:
            out[t.i] = max(n, 0)
    return out


def test_the_narrative_index_is_the_per_token_one(docs: list[Any]) -> None:
    for doc in docs:
        for quoted in (set(), set(range(0, len(doc), 3)), set(range(len(doc)))):
            assert coref._narrative_index(doc, quoted) == narrative_by_token(doc, quoted)


def test_pronoun_candidates_hold_every_token_the_resolver_acts_on(docs: list[Any]) -> None:
    for doc in docs:
        named = [1, 5] if len(doc) > 5 else []
        acted = [t.i for t in doc if t.i in named or t.lower_ == "who" or t.lower_ in coref._PRONOUN_GENDER
                 or (t.pos_ == "NOUN" and t.tag_ == "NN" and t.dep_ in {"nsubj", "nsubjpass"})]
        assert coref._pronoun_candidates(doc, named) == acted


def test_token_starts_and_the_character_index(docs: list[Any]) -> None:
    for doc in docs:
        assert _token_starts(doc) == [t.idx for t in doc]
        at = [-1] * (len(doc.text) + 1)
        for t in doc:
            for c in range(t.idx, t.idx + len(t.text)):
                at[c] = t.i
        assert _token_index(doc) == at
