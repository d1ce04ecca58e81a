"""Who copied or rewrote whom: five rewrites of one wire story are one source, not five.

For each pair of articles two kinds of reuse are measured:

* verbatim: word runs of at least :data:`MIN_RUN` words found in both (greedy string tiling
  over hashed word n-grams, as plagiarism detectors do), as a share of the shorter article;
* paraphrase: the share of the shorter article's sentences that align to a sentence of the
  other (from the aligner), and how well the two keep the same order (longest increasing
  subsequence of the matched positions).

Words inside quotation marks are left out of verbatim reuse: outlets quoting the same speaker
share those words without copying one another.

Thresholds on those give the relation; publication times give the direction.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations

from newsprism.analysis.claims.align import PairScore
from newsprism.analysis.claims.units import Unit
from newsprism.model import Article, Span
from newsprism.text.normalize import match_key
from newsprism.text.quoted import QuotedRegions

#: shortest shared word run that counts as verbatim reuse
MIN_RUN = 7
#: the aligner probability above which two sentences count as the same claim
MATCH = 0.5

_TOKEN = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class PairProvenance:
    a: str
    b: str
    relation: str  # copy | rewrite | shared_source | independent
    verbatim: float
    paraphrase: float
    order: float
    direction: str  # a->b | b->a | unknown
    evidence: tuple[tuple[Span, Span], ...]

    @property
    def reuse(self) -> float:
        return round(max(self.verbatim, self.paraphrase), 3)


# A quotation within one paragraph: its words are the speaker's, and independent outlets
# quoting the same speaker share them verbatim without copying each other.
_QUOTED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"")


@lru_cache(maxsize=512)
def _tokens(article: Article) -> list[tuple[str, int, int]]:
    """Words with their offsets, folded for matching (case, curly apostrophes); words in
    artifacts and inside quotation marks are left out."""
    quoted = QuotedRegions([(m.start(), m.end()) for m in _QUOTED.finditer(article.text)])
    # an empty span at the word's start: inside when a quotation opens before it and closes after it
    return [(match_key(m.group(0)), m.start(), m.end()) for m in _TOKEN.finditer(article.text)
            if not article.is_artifact(m.start(), m.end()) and not quoted.contains(m.start(), m.start())]


def verbatim_runs(a: Article, b: Article, min_run: int = MIN_RUN) -> list[tuple[Span, Span]]:
    """Maximal word runs of ``min_run`` or more words that appear in both articles, longest first."""
    ta, tb = _tokens(a), _tokens(b)
    return _run_spans(a, b, ta, tb, _tile([w for w, _, _ in ta], [w for w, _, _ in tb], min_run))


def _run_spans(a: Article, b: Article, ta: Sequence[tuple[str, int, int]], tb: Sequence[tuple[str, int, int]],
               runs: Sequence[tuple[int, int, int]]) -> list[tuple[Span, Span]]:
    return [(a.span(ta[i][1], ta[i + k - 1][2]), b.span(tb[j][1], tb[j + k - 1][2])) for k, i, j in runs]


def _grams(words: Sequence[Hashable], min_run: int) -> dict[tuple[Hashable, ...], list[int]]:
    """Where each run of ``min_run`` words starts."""
    index: dict[tuple[Hashable, ...], list[int]] = {}
    for j in range(len(words) - min_run + 1):
        index.setdefault(tuple(words[j:j + min_run]), []).append(j)
    return index


def _tile(wa: Sequence[Hashable], wb: Sequence[Hashable], min_run: int = MIN_RUN,
          index_b: dict[tuple[Hashable, ...], list[int]] | None = None) -> list[tuple[int, int, int]]:
    """Greedy string tiling of two word sequences: (length, start in a, start in b) of each maximal
    shared run of ``min_run`` or more words, longest first. ``index_b`` (:func:`_grams` of ``wb``)
    may be given when ``wb`` is tiled against many others.

    >>> _tile("x a b c d y".split(), "a b c d".split(), 3)
    [(4, 1, 0)]
    """
    if len(wa) < min_run or len(wb) < min_run:
        return []
    index = index_b if index_b is not None else _grams(wb, min_run)
    used_a, used_b = bytearray(len(wa)), bytearray(len(wb))
    runs: list[tuple[int, int, int]] = []  # (length, start in a, start in b)
    for i in range(len(wa) - min_run + 1):
        if used_a[i]:
            continue
        best = (0, 0)
        for j in index.get(tuple(wa[i:i + min_run]), ()):
            if used_b[j]:
                continue
            k = min_run
            while i + k < len(wa) and j + k < len(wb) and wa[i + k] == wb[j + k] and not used_b[j + k]:
                k += 1
            if k > best[0]:
                best = (k, j)
        if best[0]:
            k, j = best
            runs.append((k, i, j))
            used_a[i:i + k] = b"\x01" * k
            used_b[j:j + k] = b"\x01" * k
    runs.sort(reverse=True)
    return runs


class _Reuse:
    """The verbatim reuse of a story's articles, indexed once (issue 17).

    Each article's words become integer ids and its runs of :data:`MIN_RUN` words are indexed, so
    only pairs that share a run are tiled at all (:meth:`sharing`), and articles with the same
    words (copies of one wire story) are tiled once per pair of distinct texts (:meth:`runs`).
    Gives exactly what :func:`verbatim_runs` gives pair by pair.
    """

    def __init__(self, articles: Sequence[Article], min_run: int = MIN_RUN) -> None:
        self.min_run = min_run
        ids: dict[str, int] = {}
        self.tokens = [_tokens(a) for a in articles]
        words = [tuple(ids.setdefault(w, len(ids)) for w, _, _ in t) for t in self.tokens]
        texts: dict[tuple[int, ...], int] = {}
        self.text_of = [texts.setdefault(w, len(texts)) for w in words]  # same words, same text id
        self.words = list(texts)
        self.grams = [_grams(w, min_run) for w in self.words]
        self._memo: dict[tuple[int, int], list[tuple[int, int, int]]] = {}

    def sharing(self) -> set[tuple[int, int]]:
        """Pairs of positions (x < y) of articles that share at least one run of ``min_run`` words."""
        posting: dict[tuple[Hashable, ...], list[int]] = {}
        for t, grams in enumerate(self.grams):
            for g in grams:
                posting.setdefault(g, []).append(t)
        by_text: dict[int, list[int]] = {}
        for x, t in enumerate(self.text_of):
            by_text.setdefault(t, []).append(x)
        linked: set[tuple[int, int]] = set()
        for texts in posting.values():
            if len(texts) > 1:
                linked.update(combinations(texts, 2))
        out: set[tuple[int, int]] = set()
        for t, u in linked:
            out.update((min(x, y), max(x, y)) for x in by_text[t] for y in by_text[u])
        for t, xs in by_text.items():  # copies of one text share its runs with each other
            if self.grams[t]:
                out.update(combinations(xs, 2))
        return out

    def runs(self, x: int, y: int) -> list[tuple[int, int, int]]:
        """:func:`_tile` of articles ``x`` and ``y`` (positions), computed once per pair of texts."""
        key = (self.text_of[x], self.text_of[y])
        if key not in self._memo:
            t, u = key
            self._memo[key] = _tile(self.words[t], self.words[u], self.min_run, self.grams[u])
        return self._memo[key]


def _lis_length(seq: Sequence[int]) -> int:
    import bisect

    tails: list[int] = []
    for x in seq:
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(tails)


def _paraphrase(ua: list[Unit], ub: list[Unit], prob: dict[tuple[int, int], float]) -> tuple[float, float]:
    """Share of the shorter side's sentences matched in the other, and order agreement."""
    short, long_ = (ua, ub) if len(ua) <= len(ub) else (ub, ua)
    if not short:
        return 0.0, 0.0
    matches: list[int] = []
    for u in short:
        best, where = MATCH, -1
        for v in long_:
            p = prob.get((min(u.index, v.index), max(u.index, v.index)), 0.0)
            if p >= best:
                best, where = p, v.sentence_pos
        if where >= 0:
            matches.append(where)
    return _shares(matches, len(short))


def _shares(matches: Sequence[int], n_short: int) -> tuple[float, float]:
    if not matches:
        return 0.0, 0.0
    order = _lis_length(matches) / len(matches) if len(matches) > 1 else 0.0
    return len(matches) / n_short, order


class _Matches:
    """The aligned sentence pairs (probability >= :data:`MATCH`) indexed by sentence and by article
    pair, so each article pair reads only its own matches instead of scanning every sentence pair
    (issue 17). :meth:`paraphrase` gives exactly what :func:`_paraphrase` gives."""

    def __init__(self, units: Sequence[Unit], by_article: dict[str, list[Unit]],
                 pairs: Sequence[PairScore]) -> None:
        prob = {(p.i, p.j): p.probability for p in pairs}
        unit_at = {u.index: u for us in by_article.values() for u in us}
        place = {u.index: k for us in by_article.values() for k, u in enumerate(us)}
        # per sentence and other article: (probability, place in that article, sentence position)
        self.near: dict[int, dict[str, list[tuple[float, int, int]]]] = {}
        for (i, j), pr in prob.items():
            if pr < MATCH or i >= j or i not in unit_at or j not in unit_at:
                continue  # _paraphrase reads prob[(min, max)] only, and only from MATCH up
            u, v = unit_at[i], unit_at[j]
            self.near.setdefault(i, {}).setdefault(v.article_id, []).append((pr, place[j], v.sentence_pos))
            self.near.setdefault(j, {}).setdefault(u.article_id, []).append((pr, place[i], u.sentence_pos))
        self.linked = {frozenset((unit_at[i].article_id, aid)) for i, near in self.near.items() for aid in near}
        # evidence: the pairs between two articles, in input order
        self.aligned: dict[frozenset[str], list[PairScore]] = {}
        for p in pairs:
            if p.probability >= MATCH:
                key = frozenset((units[p.i].article_id, units[p.j].article_id))
                self.aligned.setdefault(key, []).append(p)

    def paraphrase(self, ua: list[Unit], ub: list[Unit]) -> tuple[float, float]:
        short, long_ = (ua, ub) if len(ua) <= len(ub) else (ub, ua)
        if not short or not long_ or frozenset((short[0].article_id, long_[0].article_id)) not in self.linked:
            return 0.0, 0.0
        other = long_[0].article_id
        matches = []
        for u in short:
            found = self.near.get(u.index, {}).get(other)
            if found:  # the most probable; on a tie the later sentence, as the scan above keeps it
                matches.append(max(found)[2])
        return _shares(matches, len(short))


def classify(verbatim: float, paraphrase: float, order: float) -> str:
    """The relation a pair's reuse numbers imply (verbatim counts words outside quotation marks).

    Copies share long verbatim runs. Rewrites restate most of the other's sentences in the
    same order and keep some of its own wording. Two articles that each carry some of one
    common source's wording (a wire story, a press release) without restating each other share
    a source. Same-event articles written independently restate many of the same facts too
    (on BASIL up to three quarters of a short article's sentences), but in their own words:
    so sentence alignment alone never makes a link.

    >>> classify(0.8, 0.9, 1.0), classify(0.1, 0.8, 0.9), classify(0.15, 0.5, 0.5), classify(0.0, 0.75, 0.9)
    ('copy', 'rewrite', 'shared_source', 'independent')
    """
    if verbatim >= 0.6:
        return "copy"
    if verbatim >= 0.3 or (paraphrase >= 0.7 and order >= 0.8 and verbatim >= 0.05):
        return "rewrite"
    if verbatim >= 0.1 and paraphrase >= 0.4:
        return "shared_source"
    return "independent"


def _direction(a: Article, b: Article) -> str:
    if a.published and b.published and a.published != b.published:
        try:
            return "a->b" if a.published < b.published else "b->a"
        except TypeError:  # one aware, one naive datetime: no safe order
            return "unknown"
    return "unknown"


def article_provenance(articles: Sequence[Article], units: Sequence[Unit],
                       pairs: Sequence[PairScore]) -> list[PairProvenance]:
    """Reuse, relation and direction for every pair of articles.

    Only pairs that share a run of :data:`MIN_RUN` words are tiled, and only pairs with aligned
    sentences are compared sentence by sentence (both found through indexes), so the cost grows
    with the reuse in the story, not with the square of its sentences.
    """
    by_article: dict[str, list[Unit]] = {a.id: [] for a in articles}
    for u in units:
        by_article[u.article_id].append(u)
    reuse = _Reuse(articles)
    sharing = reuse.sharing()
    matched = _Matches(units, by_article, pairs)
    out = []
    for (x, a), (y, b) in combinations(enumerate(articles), 2):
        ta, tb = reuse.tokens[x], reuse.tokens[y]
        runs = _run_spans(a, b, ta, tb, reuse.runs(x, y)) if (x, y) in sharing else []
        shorter = min(len(ta), len(tb)) or 1
        copied = sum(len(_TOKEN.findall(sa.text)) for sa, _ in runs)
        verbatim = min(1.0, copied / shorter)
        para, order = matched.paraphrase(by_article[a.id], by_article[b.id])
        relation = classify(verbatim, para, order)
        evidence = list(runs[:5])
        if relation != "independent" and len(evidence) < 5:
            aligned = sorted(matched.aligned.get(frozenset((a.id, b.id)), ()), key=lambda p: -p.probability)
            for p in aligned[: 5 - len(evidence)]:
                ua, ub = (units[p.i], units[p.j]) if units[p.i].article_id == a.id else (units[p.j], units[p.i])
                evidence.append((a.span(ua.start, ua.end), b.span(ub.start, ub.end)))
        out.append(PairProvenance(a.id, b.id, relation, round(verbatim, 3), round(para, 3), round(order, 3),
                                  _direction(a, b) if relation in ("copy", "rewrite") else "unknown",
                                  tuple(evidence)))
    return mark_siblings(out)


_DERIVED = ("copy", "rewrite")


def mark_siblings(pairs: Sequence[PairProvenance]) -> list[PairProvenance]:
    """Two articles that each derive from one earlier third are siblings, not rewrites of each
    other: their likeness is the common source's. Such a pair becomes ``shared_source`` with no
    direction when both links to the third point away from it and each carries more of its
    wording verbatim than the pair shares (so a chain C -> A -> B stays a rewrite A -> B).

    >>> P = lambda a, b, rel, v, d: PairProvenance(a, b, rel, v, 0.9, 1.0, d, ())
    >>> out = mark_siblings([P("tv", "wire", "copy", 0.86, "b->a"), P("tab", "wire", "rewrite", 0.13, "b->a"),
    ...                      P("tab", "tv", "rewrite", 0.11, "b->a")])
    >>> [(p.a, p.b, p.relation, p.direction) for p in out][2]
    ('tab', 'tv', 'shared_source', 'unknown')
    """
    link = {frozenset((p.a, p.b)): p for p in pairs}

    def from_source(src: str, x: str) -> PairProvenance | None:
        p = link.get(frozenset((src, x)))
        if p is None or p.relation not in _DERIVED:
            return None
        return p if p.direction == ("a->b" if p.a == src else "b->a") else None

    # the articles each article derives from (a few), so a pair looks only at its common sources,
    # not at every article of the story (cubic in a story of many copies, issue 17)
    sources: dict[str, set[str]] = {}
    for q in pairs:
        for src, x in ((q.a, q.b), (q.b, q.a)):
            if from_source(src, x) is not None:
                sources.setdefault(x, set()).add(src)
    out = []
    for p in pairs:
        if p.relation in _DERIVED:
            for c in (sources.get(p.a, set()) & sources.get(p.b, set())) - {p.a, p.b}:
                ca, cb = from_source(c, p.a), from_source(c, p.b)
                if ca and cb and p.verbatim < min(ca.verbatim, cb.verbatim):
                    p = replace(p, relation="shared_source", direction="unknown")
                    break
        out.append(p)
    return out


def provenance_groups(article_ids: Sequence[str], pairs: Sequence[PairProvenance]) -> list[list[str]]:
    """Articles that derive from one another (any relation but independent), as groups.

    >>> p = PairProvenance("a", "b", "rewrite", 0.3, 0.8, 1.0, "a->b", ())
    >>> provenance_groups(["a", "b", "c"], [p])
    [['a', 'b'], ['c']]
    """
    parent = {x: x for x in article_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for p in pairs:
        if p.relation != "independent":
            ra, rb = find(p.a), find(p.b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for x in article_ids:
        groups.setdefault(find(x), []).append(x)
    return sorted(groups.values(), key=lambda g: (-len(g), g))
