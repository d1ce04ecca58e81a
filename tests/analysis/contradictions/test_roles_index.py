"""Role mentions look only at the names and surnames an article's word runs allow, and find them
with a plain search whose edges are then checked (issue 17); the answers are those of the pattern
``(?<![\\w-])name(?![\\w-])`` tried on every name of the story."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.analysis.contradictions.roles import _RunIndex, _whole_words

PIECES = ["Ruiz", "Ana Ruiz", "Ruiz-Lee", "ruiz", "Ruizes", "-", "_", " ", ", ", ".", "é", "Ana", "RuizRuiz", "9"]
texts = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
names = st.sampled_from(["Ruiz", "Ana Ruiz", "Ruiz Ruiz", "a", "-", "Ruiz-Lee", "é"])


@settings(max_examples=500, deadline=None)
@given(names, texts)
def test_whole_words_are_what_the_pattern_finds(name: str, text: str) -> None:
    pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
    assert list(_whole_words(name, text)) == [m.span() for m in pattern.finditer(text)]


run_sets = st.frozensets(st.sampled_from(["Ana", "Ruiz", "Bo", "Lee", "Cy"]), max_size=3)


@settings(max_examples=300, deadline=None)
@given(st.lists(run_sets, max_size=8), st.sets(st.sampled_from(["Ana", "Ruiz", "Bo", "Lee", "Cy", "said"])))
def test_the_run_index_keeps_every_item_the_text_can_hold(items: list[frozenset[str]], runs: set[str]) -> None:
    found = _RunIndex(items, list(range(len(items)))).within(runs)
    assert found == sorted(found)
    assert {k for k, item in enumerate(items) if item <= runs} <= set(found)
