"""The indexed provenance (issue 17) gives exactly what the pair-by-pair scans give.

Each property test draws small stories (a few short articles over a small vocabulary, with exact
copies and lightly edited copies, so long shared runs and aligned sentences are common) and
compares the indexed code with the brute-force reference: :func:`verbatim_runs`,
:func:`_paraphrase`, and the old every-pair, every-third-article loops written out below.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.analysis.claims.align import PairScore
from newsprism.analysis.claims.provenance import (
    _TOKEN,
    MATCH,
    PairProvenance,
    _direction,
    _Matches,
    _paraphrase,
    _Reuse,
    _tile,
    _tokens,
    article_provenance,
    classify,
    mark_siblings,
    verbatim_runs,
)
from newsprism.analysis.claims.units import Unit
from newsprism.model import Article

VOCAB = "the a council vote bridge river repair said million on Tuesday “quoted words” county".split(" ")


@st.composite
def stories(draw: st.DrawFn) -> list[Article]:
    """2-6 articles: random texts, exact copies of earlier ones, and copies with a few words changed."""
    texts: list[str] = []
    for _ in range(draw(st.integers(2, 6))):
        kind = draw(st.sampled_from(["new", "copy", "edit"])) if texts else "new"
        if kind == "new":
            words = draw(st.lists(st.sampled_from(VOCAB), min_size=0, max_size=40))
        else:
            words = draw(st.sampled_from(texts)).split(" ")
            if kind == "edit" and words:
                for _ in range(draw(st.integers(1, 3))):
                    words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(VOCAB))
        texts.append(" ".join(words) or "empty")
    hours = draw(st.lists(st.integers(0, 3), min_size=len(texts), max_size=len(texts)))
    return [Article.create(id=f"a{k}", outlet=f"o{k}", text=t, published=datetime(2026, 1, 1, h, tzinfo=UTC))
            for k, (t, h) in enumerate(zip(texts, hours, strict=True))]


def _units(articles: list[Article], sizes: list[int]) -> list[Unit]:
    units: list[Unit] = []
    for pos, (a, n) in enumerate(zip(articles, sizes, strict=True)):
        for k in range(n):
            units.append(Unit(index=len(units), article_id=a.id, article_pos=pos, sentence_pos=k, n_sentences=n,
                              start=0, end=len(a.text), text=a.text, terms=frozenset(), entities=frozenset(),
                              numbers=frozenset()))
    return units


@st.composite
def aligned_stories(draw: st.DrawFn) -> tuple[list[Article], list[Unit], list[PairScore]]:
    articles = draw(stories())
    units = _units(articles, draw(st.lists(st.integers(0, 5), min_size=len(articles), max_size=len(articles))))
    pairs = []
    if len(units) >= 2:
        for i, j in draw(st.lists(st.tuples(st.integers(0, len(units) - 1), st.integers(0, len(units) - 1)),
                                  max_size=30)):
            # ties on purpose (a few probabilities only), pairs in either order, repeats
            p = draw(st.sampled_from([0.2, 0.5, 0.5, 0.7, 0.9]))
            pairs.append(PairScore(i, j, 0.0, 0.0, 0.0, 0.0, p))
    return articles, units, pairs


def _old_mark_siblings(pairs: list[PairProvenance]) -> list[PairProvenance]:
    link = {frozenset((p.a, p.b)): p for p in pairs}

    def from_source(src: str, x: str) -> PairProvenance | None:
        p = link.get(frozenset((src, x)))
        if p is None or p.relation not in ("copy", "rewrite"):
            return None
        return p if p.direction == ("a->b" if p.a == src else "b->a") else None

    articles = {x for p in pairs for x in (p.a, p.b)}
    out = []
    for p in pairs:
        if p.relation in ("copy", "rewrite"):
            for c in articles - {p.a, p.b}:
                ca, cb = from_source(c, p.a), from_source(c, p.b)
                if ca and cb and p.verbatim < min(ca.verbatim, cb.verbatim):
                    p = replace(p, relation="shared_source", direction="unknown")
                    break
        out.append(p)
    return out


def _old_article_provenance(articles: list[Article], units: list[Unit],
                            pairs: list[PairScore]) -> list[PairProvenance]:
    """The pair-by-pair version this module had before issue 17."""
    prob = {(p.i, p.j): p.probability for p in pairs}
    by_article: dict[str, list[Unit]] = {a.id: [] for a in articles}
    for u in units:
        by_article[u.article_id].append(u)
    out = []
    for a, b in combinations(articles, 2):
        runs = verbatim_runs(a, b)
        shorter = min(len(_tokens(a)), len(_tokens(b))) or 1
        verbatim = min(1.0, sum(len(_TOKEN.findall(sa.text)) for sa, _ in runs) / shorter)
        para, order = _paraphrase(by_article[a.id], by_article[b.id], prob)
        relation = classify(verbatim, para, order)
        evidence = list(runs[:5])
        if relation != "independent" and len(evidence) < 5:
            aligned = sorted((p for p in pairs if {units[p.i].article_id, units[p.j].article_id} == {a.id, b.id}
                              and p.probability >= MATCH), key=lambda p: -p.probability)
            for p in aligned[: 5 - len(evidence)]:
                ua, ub = (units[p.i], units[p.j]) if units[p.i].article_id == a.id else (units[p.j], units[p.i])
                evidence.append((a.span(ua.start, ua.end), b.span(ub.start, ub.end)))
        out.append(PairProvenance(a.id, b.id, relation, round(verbatim, 3), round(para, 3), round(order, 3),
                                  _direction(a, b) if relation in ("copy", "rewrite") else "unknown",
                                  tuple(evidence)))
    return _old_mark_siblings(out)


@settings(max_examples=150, deadline=None)
@given(stories(), st.integers(2, 7))
def test_indexed_runs_equal_the_pairwise_tiling(articles: list[Article], min_run: int) -> None:
    reuse = _Reuse(articles, min_run)
    sharing = reuse.sharing()
    for x, y in combinations(range(len(articles)), 2):
        a, b = articles[x], articles[y]
        expected = verbatim_runs(a, b, min_run)
        if (x, y) not in sharing:  # a pair left out shares no run
            assert expected == []
        got = [(a.span(reuse.tokens[x][i][1], reuse.tokens[x][i + k - 1][2]),
                b.span(reuse.tokens[y][j][1], reuse.tokens[y][j + k - 1][2])) for k, i, j in reuse.runs(x, y)]
        assert got == expected


@settings(max_examples=150, deadline=None)
@given(aligned_stories())
def test_indexed_paraphrase_equals_the_scan(story: tuple[list[Article], list[Unit], list[PairScore]]) -> None:
    articles, units, pairs = story
    by_article: dict[str, list[Unit]] = {a.id: [] for a in articles}
    for u in units:
        by_article[u.article_id].append(u)
    prob = {(p.i, p.j): p.probability for p in pairs}
    matched = _Matches(units, by_article, pairs)
    for a, b in combinations(articles, 2):
        assert matched.paraphrase(by_article[a.id], by_article[b.id]) == _paraphrase(
            by_article[a.id], by_article[b.id], prob)


@settings(max_examples=150, deadline=None)
@given(aligned_stories())
def test_article_provenance_equals_the_pairwise_version(
        story: tuple[list[Article], list[Unit], list[PairScore]]) -> None:
    articles, units, pairs = story
    assert article_provenance(articles, units, pairs) == _old_article_provenance(articles, units, pairs)


relations = st.sampled_from(["copy", "rewrite", "shared_source", "independent"])


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 6).flatmap(lambda n: st.lists(
    st.tuples(relations, st.sampled_from([0.1, 0.3, 0.5, 0.9]), st.sampled_from(["a->b", "b->a", "unknown"])),
    min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2).map(lambda rows: (n, rows))))
def test_siblings_from_common_sources_equal_the_every_third_article_loop(
        drawn: tuple[int, list[tuple[str, float, str]]]) -> None:
    n, rows = drawn
    pairs = [PairProvenance(f"x{a}", f"x{b}", rel, v, 0.9, 1.0, d, ())
             for (a, b), (rel, v, d) in zip(combinations(range(n), 2), rows, strict=True)]
    assert mark_siblings(pairs) == _old_mark_siblings(pairs)


def test_forty_copies_of_one_wire_story_are_tiled_once() -> None:
    wire = "The council voted on Tuesday to spend four million dollars on repairs to the old bridge. " * 3
    articles = [Article.create(id=f"c{k}", outlet=f"o{k}", text=wire) for k in range(40)]
    reuse = _Reuse(articles)
    assert len(reuse.sharing()) == 40 * 39 // 2
    for x, y in combinations(range(40), 2):
        reuse.runs(x, y)
    assert len(reuse._memo) == 1  # one distinct pair of texts
    assert _tile(reuse.words[0], reuse.words[0]) == reuse.runs(0, 39)
