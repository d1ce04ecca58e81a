"""Do these articles cover one story? Groups of articles that share no claims with one another.

Articles on one story share many claims (on the development stories, every pair of articles shares
at least seven); articles on two different stories share none. A claim links the articles that
state it, state it in part or contradict it: two outlets disagreeing on a figure cover one story.
Analysing two stories as one gives a matrix and a brief that alternate between them, so the
pipeline warns with the groups found.

>>> from types import SimpleNamespace as C
>>> claims = [C(sources=("a", "b")), C(sources=("a", "b")), C(sources=("c", "d")), C(sources=("c", "d"))]
>>> story_groups(["a", "b", "c", "d"], claims)
[['a', 'b'], ['c', 'd']]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Protocol

__all__ = ["MIN_SHARED", "story_groups"]

#: two articles are on one story when they share at least this many claims
MIN_SHARED = 2
#: the support levels that speak to a claim (``related``: same topic, another fact, does not)
_LINKS = frozenset({"states", "partial", "contradicts"})


class _HasSources(Protocol):
    @property
    def sources(self) -> Sequence[str]: ...


def story_groups(article_ids: Sequence[str], claims: Iterable[_HasSources],
                 min_shared: int = MIN_SHARED) -> list[list[str]]:
    """The articles as groups linked by shared claims (connected components), in article order; one
    group when they all cover one story."""
    shared: Counter[tuple[str, str]] = Counter()
    for claim in claims:
        speaking = set(claim.sources) | {a for a, level, _ in getattr(claim, "support", ()) if level in _LINKS}
        for a, b in combinations(sorted(speaking), 2):
            shared[(a, b)] += 1
    parent = {a: a for a in article_ids}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for (a, b), n in shared.items():
        if n >= min_shared and a in parent and b in parent:
            parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for a in article_ids:
        groups.setdefault(find(a), []).append(a)
    return list(groups.values())
