"""Single-source details read the other articles from one index built per story (issue 17); every
answer is the one gathering the other articles afresh gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.analysis.claims.matrix import Mentions

words = st.sampled_from(["dam", "crack", "ana ruiz", "harbor city", "", "x", "4 8"])
plains = st.lists(words, max_size=4).map(" ".join)
article = st.tuples(st.lists(st.tuples(st.sampled_from(["money", "cardinal"]), st.sampled_from([4.8, 8.4, 31.0]),
                                       st.booleans()), max_size=3),
                    st.sets(st.sampled_from(["ana ruiz", "harbor city", "dam board"]), max_size=2),
                    plains)
stories = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), article, min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(stories, st.sampled_from(["a", "b", "c", "d", "z"]), st.sampled_from(["dam", "ana ruiz", "dam crack", "", "x"]),
       st.sampled_from(["ana ruiz", "harbor city", "dam board", "none"]))
def test_the_index_answers_as_gathering_the_others_does(story: dict, own: str, name: str, key: str) -> None:
    mentions = Mentions(story)
    others = [m for aid, m in story.items() if aid != own]
    assert list(mentions.other_values(own)) == [v for values, _, _ in others for v in values]
    assert mentions.named_elsewhere(key, own) == (key in set().union(*(names for _, names, _ in others)))
    needle = f" {name} "
    assert mentions.written_elsewhere(needle, own) == (needle in f" {' '.join(p for _, _, p in others)} ")
