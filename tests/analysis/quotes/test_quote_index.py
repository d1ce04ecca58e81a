"""Direct quotes are compared only when they share a run of three words (issue 17): that index
never drops a pair that the word comparison would group."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.analysis.quotes.compare import _same_words, _sharing_runs

WORDS = ["we", "will", "rebuild", "the", "bridge", "this", "year", "and", "it", "safe"]
quotes = st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=14), min_size=0, max_size=12)


@settings(max_examples=300, deadline=None)
@given(quotes)
def test_every_pair_the_comparison_accepts_shares_a_run(qs: list[list[str]]) -> None:
    candidates = _sharing_runs(qs)
    assert candidates == sorted(set(candidates))
    accepted = [(x, y) for x, y in combinations(range(len(qs)), 2) if _same_words(qs[x], qs[y])]
    assert set(accepted) <= set(candidates)
    # and a candidate really shares a run of three words
    for x, y in candidates:
        grams = {tuple(qs[x][k:k + 3]) for k in range(len(qs[x]) - 2)}
        assert any(tuple(qs[y][k:k + 3]) in grams for k in range(len(qs[y]) - 2))


def test_a_quote_repeated_by_forty_outlets_is_one_run_posting() -> None:
    q = "we will rebuild the bridge this year".split()
    assert len(_sharing_runs([q] * 40)) == 40 * 39 // 2
    assert _sharing_runs([q, ["and", "it", "safe"]]) == []


def _canonical_all_pairs(names: list[str]) -> dict[str, str]:
    from collections import Counter

    from newsprism.analysis.quotes.speakers import same_person

    counts = Counter(n for n in names if n)
    full = [n for n in counts if len(n.split()) >= 2]
    out: dict[str, str] = {}
    for n in counts:
        compatible = [f for f in full if same_person(n, f)]
        out[n] = max(compatible, key=lambda f: (counts[f], len(f.split()), len(f), f)) if compatible else n
    return out


FIRST = ["", "Hillary", "Bill", "H.", "B", "Dr. Jo"]
LAST = ["Clinton", "Clinton Jr.", "Goldberg", "Soto-Martinez", "clinton's", "Trump II"]
names = st.lists(st.tuples(st.sampled_from(FIRST), st.sampled_from(LAST)).map(lambda fl: " ".join(fl).strip()),
                 max_size=20)


@settings(max_examples=300, deadline=None)
@given(names)
def test_canonical_names_blocked_by_surname_equal_the_all_pairs_version(ns: list[str]) -> None:
    from newsprism.analysis.quotes.speakers import canonical_names

    assert canonical_names(ns) == _canonical_all_pairs(ns)
