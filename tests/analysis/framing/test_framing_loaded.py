"""Loaded language, quotes and unattributed opinion on fictional sentences written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from newsprism.analysis.framing.lexicon import load_lexicon
from newsprism.analysis.framing.loaded import find_loaded, plain_lexicon_matches
from newsprism.analysis.framing.opinion import unattributed_opinions
from newsprism.nlp.spacy_pipeline import load
from newsprism.text.quoted import QuotedRegions, quoted_regions


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load()


def _flagged(nlp: Any, text: str) -> list[tuple[str, str]]:
    return [(text[h.start:h.end], h.category) for h in find_loaded(text, nlp(text))]


def test_loaded_words_outside_quotes_are_found(nlp: Any) -> None:
    text = "The reckless plan was rammed through by bureaucrats in a single evening."
    found = dict(_flagged(nlp, text))
    assert found.get("reckless") == "loaded_word"
    assert found.get("rammed through") == "loaded_verb"
    assert found.get("bureaucrats") == "actor_label"


def test_words_inside_quotes_belong_to_the_speaker(nlp: Any) -> None:
    text = 'Mayor Ilse Varga said: "This reckless plan is a disaster." Crews began work on Friday.'
    assert _flagged(nlp, text) == []
    curly = "“It was a reckless, shameful vote,” said Tomas Ferreira, who lives near the quarry."
    assert _flagged(nlp, curly) == []


def test_quote_running_to_the_end_of_its_paragraph(nlp: Any) -> None:
    text = 'The chair said, "We were reckless and we know it.\n\nThe hearing ended at noon.'
    regions = quoted_regions(text)
    assert regions == ((text.index('"'), text.index("\n\n")),)
    assert _flagged(nlp, text) == []


def test_proper_names_are_not_loaded(nlp: Any) -> None:
    text = ("The Justice Department and the Freedom Caucus met at the Grand Hotel. "
            "Officials from Radical Roasters Inc. attended.")
    assert _flagged(nlp, text) == []


def test_presupposing_verbs_vs_neutral_verbs(nlp: Any) -> None:
    loaded = "The harbor master admitted the pier was unsafe, and the inspector conceded that repairs lagged."
    found = _flagged(nlp, loaded)
    assert ("admitted", "presupposing") in found and ("conceded", "presupposing") in found
    neutral = "The harbor master said the pier was unsafe, and the inspector noted that repairs lagged."
    assert _flagged(nlp, neutral) == []
    hospital = "The ferry captain was admitted to the hospital on Monday."
    assert _flagged(nlp, hospital) == []


def test_finally_travels_with_the_presupposing_verb(nlp: Any) -> None:
    found = _flagged(nlp, "After a week of questions, the board finally admitted the problem.")
    assert ("finally admitted", "presupposing") in found


def test_intensifier_with_its_adjective(nlp: Any) -> None:
    found = _flagged(nlp, "The new rules are overly cautious, critics of the port authority wrote.")
    assert ("overly cautious", "intensifier") in found
    assert _flagged(nlp, "The queue was too long for the ferry.") == []


def test_plain_baseline_ignores_context(nlp: Any) -> None:
    text = 'She said: "This reckless plan is a disaster."'
    doc = nlp(text)
    assert find_loaded(text, doc) == ()
    assert {text[h.start:h.end] for h in plain_lexicon_matches(text, doc)} >= {"reckless", "disaster"}


def test_every_hit_has_a_reason_and_offsets(nlp: Any) -> None:
    text = "Critics slammed the stunning giveaway to a menacing cartel of insiders."
    for h in find_loaded(text, nlp(text)):
        assert h.why and 0 <= h.start < h.end <= len(text)
        assert h.weight > 0


def _opinions(nlp: Any, text: str) -> list[str]:
    doc = nlp(text)
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    quoted = QuotedRegions(quoted_regions(text))
    hits = find_loaded(text, doc, quoted=quoted)
    return [text[o.start:o.end] for o in unattributed_opinions(text, doc, sents, loaded=hits, quoted=quoted)]


def test_unattributed_opinion(nlp: Any) -> None:
    text = ("The reckless decision left the valley exposed. "
            "Critics say the council should resign. "
            "The ferry should arrive at noon. "
            "The council must answer for this. "
            '"The council must answer for this," said Anneke Bosch.')
    got = _opinions(nlp, text)
    assert "The reckless decision left the valley exposed." in got
    assert "The council must answer for this." in got
    assert not any("Critics say" in s for s in got)
    assert not any("ferry" in s for s in got)  # a forecast, not a judgement
    assert not any("Bosch" in s for s in got)


def test_lexicon_sections_load() -> None:
    lex = load_lexicon()
    for section in ("presupposing", "loaded_verb", "loaded_word", "intensifier", "attribution"):
        assert lex.words[section], section
    assert ("so", "-", "called") in lex.phrases["loaded_word"]



def test_the_named_entry_does_not_depend_on_the_hash_seed() -> None:
    # "pay the price" (by lemma) and "paid the price" (as written) both match one span: which one the
    # report names must not follow set order, which changes with PYTHONHASHSEED
    import os
    import subprocess
    import sys

    code = (
        "from newsprism.analysis.framing.loaded import find_loaded\n"
        "from newsprism.nlp.spacy_pipeline import load\n"
        "t = \"Residents of Marrow Point paid the price for the council's delay.\"\n"
        "print([h.why for h in find_loaded(t, load()(t))])\n"
    )
    outs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outs.add(run.stdout.strip())
    assert outs == {"[\"loaded phrase: an idiom that carries a judgement ('paid the price')\"]"}
