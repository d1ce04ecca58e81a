"""A sentence's words outside quotation marks are cut from the text by ranges (issue 17): the same
characters, in the same order, as testing every character against every quotation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsprism.analysis.brief.wording import _outside


@given(st.text(alphabet='ab "', max_size=40), st.data())
def test_outside_is_every_character_no_quotation_covers(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quoted = data.draw(st.lists(st.tuples(st.integers(-3, len(text) + 3), st.integers(0, 9))
                                .map(lambda t: (t[0], t[0] + t[1])), max_size=5))
    want = "".join(text[i] for i in range(start, end) if not any(s <= i < e for s, e in quoted))
    assert _outside(text, start, end, quoted) == want
