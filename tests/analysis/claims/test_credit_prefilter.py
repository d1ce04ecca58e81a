"""Credit wording is looked for only in sentences holding one of its words, with only the outlet
names the sentence holds (issue 17); the answer is the one the full scan of every credit pattern,
alternating every outlet of the story, gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.analysis.claims import credit
from newsprism.analysis.claims.credit import credited_outlet

OUTLETS = {"a": "Brenmoor Courier", "b": "The Calder Standard", "c": "Valley Commons", "d": "The Courier",
           "e": "Calder Standard Times"}
PIECES = ["The dam cost $4.8 million,", "the Brenmoor Courier", "the Courier", "The Calder Standard", "Reuters",
          "reported", "reports", "according to", "According to a report by", "told", "said to",
          "in an interview with", "Speaking to", "confirmed to", "a", "poll", "report", "story", "analysis",
          "first reported by", "revealed", "officials said.", "on Tuesday", "the Dunmore Herald", ",",
          "The Courier", "Calder Standard Times", "the Times", "Valley Commons", "the Commons"]
sentences = st.lists(st.sampled_from(PIECES), min_size=1, max_size=9).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(sentences, st.sampled_from([None, "a", "b", "c"]))
def test_the_prefilter_never_changes_the_answer(text: str, own: str | None) -> None:
    fast = credited_outlet(text, OUTLETS, own=own)
    every_outlet = credit._credit_patterns
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(credit, "_CREDIT_WORDS", tuple(("",) for _ in credit._CREDITS))  # scan with every pattern
        mp.setattr(credit, "_credit_patterns", lambda story, present=None: every_outlet(story))  # every name
        assert credited_outlet(text, OUTLETS, own=own) == fast


def test_a_plain_sentence_is_not_scanned() -> None:
    assert credited_outlet("The spillway cracked after three days of rain.", OUTLETS) is None
    assert credited_outlet("The dam cost $4.8 million, the Brenmoor Courier reported.", OUTLETS) == "a"
