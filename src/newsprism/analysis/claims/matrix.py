"""The claim matrix: claims x sources, with omissions, single-source flags and importance.

>>> from newsprism.analysis.claims.matrix import importance
>>> importance(support=3, n_groups=3, position=0.0, centrality=0.5) > importance(1, 3, 0.9, 0.5)
True
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from newsprism.analysis.claims.align import PairScore
from newsprism.analysis.claims.credit import CreditReader
from newsprism.analysis.claims.support import STATES_THRESHOLD, Level, SupportJudge, support_level
from newsprism.analysis.claims.units import Unit, entity_key
from newsprism.model import Span, Story
from newsprism.text.normalize import match_key


@dataclass(frozen=True)
class ClaimRow:
    """One fact, worded by one article's sentence, with every article's support for that wording.

    ``sources`` are the articles that state it (``support`` level ``states``); ``spans`` the sentences
    that state it, the wording first among its article's; ``support`` every article with a level
    (``states``, ``partial``, ``contradicts``, ``related``), with the sentence it was judged on.
    """

    id: str
    text: str
    spans: tuple[Span, ...]
    sources: tuple[str, ...]
    independent_sources: int
    omitted_by: tuple[str, ...]
    importance: float
    details: tuple[Span, ...] = ()  # numbers and names only one article's sentence gives
    wording: Span | None = None  # the sentence whose words the claim shows
    support: tuple[tuple[str, Level, Span], ...] = ()  # (article, level, the sentence judged) per marked article

    @property
    def single_source(self) -> bool:
        """Resting on one independent source: one article, or articles that copy one another."""
        return self.independent_sources <= 1

    def level(self, article_id: str) -> Level | None:
        """The support level of ``article_id`` for this claim (None: it does not speak to it)."""
        return next((lv for a, lv, _ in self.support if a == article_id), None)


def importance(support: int, n_groups: int, position: float, centrality: float) -> float:
    """Support by independent groups counts most, then how early articles state it, then
    how central it is to the story (cosine to the story's centroid)."""
    return 0.6 * support / max(1, n_groups) + 0.25 * (1.0 - position) + 0.15 * max(0.0, centrality)


@dataclass
class _Judged:
    """One claim before numbering: its stating sentences and every article's level."""

    wording: int
    stating: list[int]
    levels: dict[str, tuple[Level, int]]  # article -> (level, sentence judged)


def _medoid(units: Sequence[Unit], core: Sequence[int], members: Sequence[int],
            prob: dict[tuple[int, int], float]) -> int:
    """The core member closest to all the others (the claim's wording); a statement before a question."""
    return max(core, key=lambda i: (not is_question(units[i].text),
                                    sum(prob.get((min(i, j), max(i, j)), 0.0) for j in members if j != i)
                                    - 1e-3 * units[i].article_pos))


_CLOSERS = "\"'”’)]» \n\t"


def is_question(text: str) -> bool:
    """A question asks; it states no fact ("Who pays for the repairs?", a quoted rhetorical question).

    >>> is_question("Who will pay for the repairs?"), is_question('“Who will pay?” he asked.')
    (True, False)
    >>> is_question('He asked: “Who will pay?”')
    True
    """
    return text.rstrip(_CLOSERS).endswith("?")


def _judge_star(units: Sequence[Unit], w: int, neighbours: dict[int, list[tuple[int, float]]],
                judge: SupportJudge, related_from: float) -> _Judged:
    """Every other article judged against sentence ``w``: its best sentence's level, and all its
    sentences that state ``w``."""
    by_article: dict[str, list[tuple[float, int, float]]] = {}
    for j, aligned in neighbours.get(w, ()):
        by_article.setdefault(units[j].article_id, []).append((judge.probability(w, j, aligned), j, aligned))
    stating = [w]
    levels: dict[str, tuple[Level, int]] = {}
    for article, cands in by_article.items():
        cands.sort(reverse=True)
        p, j, aligned = cands[0]
        level = support_level(p, judge.conflict(w, j, aligned))
        if level == "states" and judge.hedged(w, j):
            level = "partial"  # "will meet" / "is expected to meet": not the fact as worded
        if level is None and aligned >= related_from:
            level = "related"
        if level is not None:
            levels[article] = (level, j)
        if level == "states":
            stating += [k for q, k, a in cands
                        if q >= STATES_THRESHOLD and not judge.conflict(w, k, a) and not judge.hedged(w, k)]
    return _Judged(w, stating, levels)


def _conflicts_apart(units: Sequence[Unit], w: int, members: Sequence[int], prob: dict[tuple[int, int], float],
                     judge: SupportJudge | None) -> _Judged:
    """The aligner's group as one claim worded by ``w``, less the members that conflict with ``w``
    (their articles are marked ``contradicts``, unless another of their sentences states it)."""
    own = units[w].article_id

    def conflicts(i: int) -> bool:
        return (judge is not None and units[i].article_id != own
                and judge.conflict(w, i, prob.get((min(w, i), max(w, i)), 0.0)))

    apart = {i for i in members if conflicts(i)}
    stating = [i for i in members if i not in apart]
    levels: dict[str, tuple[Level, int]] = {}
    for i in members:
        if i in apart:
            levels.setdefault(units[i].article_id, ("contradicts", i))
    for i in stating:
        levels[units[i].article_id] = ("states", i)
    return _Judged(w, stating, levels)


def _mark_both_sides(units: Sequence[Unit], judged: Sequence[_Judged]) -> None:
    """A conflict is seen from both claims: the claim stated by the conflicting sentence marks the
    wording's article ``contradicts`` too."""
    claim_of = {i: star for star in judged for i in star.stating}
    for star in judged:
        for level, i in list(star.levels.values()):
            other = claim_of.get(i)
            if level == "contradicts" and other is not None and other is not star:
                other.levels.setdefault(units[star.wording].article_id, ("contradicts", star.wording))


_RANK: dict[str, int] = {"states": 3, "contradicts": 2, "partial": 1, "related": 0}


def _merge_same_facts(judged: list[_Judged]) -> list[_Judged]:
    """One claim per fact: claims worded by the same sentence (a sentence joins several groups when it
    carries several facts), or by two sentences that each state the other, become one."""
    out: list[_Judged] = []
    for star in judged:
        same = next((o for o in out if o.wording == star.wording or _mutual(o, star)), None)
        if same is None:
            out.append(_Judged(star.wording, list(star.stating), dict(star.levels)))
            continue
        same.stating += [i for i in star.stating if i not in same.stating]
        for article, (level, j) in star.levels.items():
            if article not in same.levels or _RANK[level] > _RANK[same.levels[article][0]]:
                same.levels[article] = (level, j)
    return out


def _mutual(a: _Judged, b: _Judged) -> bool:
    return b.wording in a.stating and a.wording in b.stating


def _stated_by(star: _Judged) -> int:
    return sum(level == "states" for level, _ in star.levels.values())


def build_claims(story: Story, units: Sequence[Unit], embeddings: np.ndarray, groups: Sequence[Sequence[int]],
                 pairs: Sequence[PairScore], provenance_groups: Sequence[Sequence[str]],
                 primary: Sequence[Sequence[int]] | None = None, judge: SupportJudge | None = None,
                 related_from: float = 1.0, judge_support: bool = True) -> list[ClaimRow]:
    """One ClaimRow per fact, most important first.

    ``groups`` are the aligner's groups of sentences on one fact; ``primary`` the same groups before
    multi-fact sentences were attached to further claims (same order), from which the wording is
    chosen, so two claims never show the same attached sentence as their text. With a ``judge``
    (:class:`~newsprism.analysis.claims.support.SupportJudge`) every article is judged against the
    wording, only the articles that state it are sources, and the group's members that do not state
    it form claims of their own (judged the same way), so no statement is lost (questions state
    nothing and make no claim); without one, every
    member's article is a source (the aligner's groups as they are). With a judge but
    ``judge_support`` off, the groups stay as they are except that a member in conflict with the
    wording (a replaced figure, a negation, "likely" against "unlikely") is never support: its
    article is marked ``contradicts`` and the member forms a claim of its own. ``related_from`` is
    the aligner probability from which a sentence that states no part of the claim is still
    ``related``.
    """
    group_of = {a: k for k, g in enumerate(provenance_groups) for a in g}
    prob = {(p.i, p.j): p.probability for p in pairs}
    neighbours: dict[int, list[tuple[int, float]]] = {}
    for p in pairs:
        neighbours.setdefault(p.i, []).append((p.j, p.probability))
        neighbours.setdefault(p.j, []).append((p.i, p.probability))
    centroid = embeddings.mean(axis=0) if len(units) else None
    if centroid is not None:
        centroid = centroid / (np.linalg.norm(centroid) or 1.0)
    order = [a.id for a in story.articles]
    outlets = CreditReader({a.id: a.outlet for a in story.articles if a.outlet})
    judged: list[_Judged] = []
    work = [(list(g), list(primary[k]) if primary is not None else list(g)) for k, g in enumerate(groups)]
    while work:
        members, core = work.pop()
        w = _medoid(units, core or members, members, prob)
        if judge is None or not judge_support:
            star = _conflicts_apart(units, w, members, prob, judge)
            judged.append(star)
            left = [i for i in members if i not in star.stating]
            if left:
                work.append((left, [i for i in core if i in left] or left))
            continue
        # the wording: the member the most other articles state (a detail only one outlet gives makes
        # a wording the others state only in part), the medoid on a tie
        stars = [_judge_star(units, i, neighbours, judge, related_from) for i in (core or members)]
        star = max(stars, key=lambda s: (_stated_by(s), s.wording == w))
        judged.append(star)
        left = [i for i in members if i not in star.stating]
        if left:
            work.append((left, [i for i in core if i in left] or left))
    if judge is not None and judge_support:
        judged = _merge_same_facts(judged)
    else:
        _mark_both_sides(units, judged)
    # questions are not claims: a claim no statement words is left out of the matrix
    judged = [star for star in judged if not all(is_question(units[i].text) for i in star.stating)]
    rows = []
    for star in judged:
        us = [units[i] for i in sorted(set(star.stating), key=lambda i: (units[i].article_pos, units[i].start))]
        sources = tuple(sorted({u.article_id for u in us}, key=order.index))
        medoid = units[star.wording]
        centrality = float(embeddings[medoid.index] @ centroid) if centroid is not None else 0.0
        support = len(independent_keys(us, group_of, outlets))
        levels = dict(star.levels)
        levels[medoid.article_id] = ("states", medoid.index)
        marks = tuple((a, levels[a][0], _span(story, units[levels[a][1]])) for a in order if a in levels)
        rows.append((
            importance(support, len(provenance_groups), float(np.mean([u.relative_position for u in us])),
                       centrality),
            medoid.text,
            tuple(_span(story, u) for u in us),
            sources,
            support,
            tuple(a for a in order if a not in sources),
            _span(story, medoid),
            marks,
        ))
    mentions = story_mentions(story)
    rows.sort(key=lambda r: (-r[0], r[2][0].article_id, r[2][0].start))
    return [ClaimRow(f"c{k + 1}", text, spans, sources, support, omitted, round(score, 4),
                     single_source_details(story, spans, mentions) if len(sources) > 1 else (),
                     wording, marks)
            for k, (score, text, spans, sources, support, omitted, wording, marks) in enumerate(rows)]


def independent_keys(stating: Sequence[Unit], group_of: dict[str, int],
                     outlets: Mapping[str, str] | CreditReader) -> set[object]:
    """One key per independent source of a fact: the provenance group of each article that states
    it, or the outlet an article credits for it in every sentence that states it ("according to the
    Courier": the Courier's group; "the Times reported", the Times not in the story: the Times).

    >>> from types import SimpleNamespace as U
    >>> said = [U(article_id="a", text="The dam cost $4.8 million."),
    ...         U(article_id="b", text="The dam cost $4.8 million, the Brenmoor Courier reported.")]
    >>> len(independent_keys(said, {}, {"a": "Brenmoor Courier", "b": "Valley Commons"}))
    1
    """
    read = outlets if isinstance(outlets, CreditReader) else CreditReader(outlets)
    credits: dict[str, set[str | None]] = {}
    for u in stating:
        credits.setdefault(u.article_id, set()).add(read(u.text, own=u.article_id))
    keys: set[object] = set()
    for article, credited in credits.items():
        source = next(iter(credited)) if len(credited) == 1 and None not in credited else None
        source = source or article
        keys.add(group_of.get(source, source))
    return keys


def _span(story: Story, u: Unit) -> Span:
    return story.article(u.article_id).span(u.start, u.end)


def _close(a: float, b: float, approximate: bool = False) -> bool:
    """Same figure up to rounding ("1,200" vs "1,180"), more loosely when one is hedged
    ("more than 5 inches" vs "5.3 inches")."""
    return abs(a - b) <= (0.12 if approximate else 0.05) * max(abs(a), abs(b))


_Gathered = tuple[list[tuple[str, float, bool]], set[str], str]


class Mentions(dict[str, _Gathered]):
    """Per article: its figures (kind, value, hedged), entity keys and folded text; with, built once,
    what a claim's article asks of all the *other* articles (gathering the others again for every
    claim grew with the square of the story, issue 17)."""

    def _index(self) -> tuple[list[tuple[str, str, float, bool]], Counter[str], str, dict[str, tuple[int, int]]]:
        found = self.__dict__.get("_built")
        if found is None:
            values = [(aid, *v) for aid, (vs, _, _) in self.items() for v in vs]
            names: Counter[str] = Counter(k for _, ks, _ in self.values() for k in ks)
            segments: dict[str, tuple[int, int]] = {}
            at = 1
            for aid, (_, _, plain) in self.items():
                segments[aid] = (at, at + len(plain))
                at += len(plain) + 1
            found = self.__dict__["_built"] = (values, names, f" {' '.join(p for _, _, p in self.values())} ",
                                               segments)
        return found

    def other_values(self, article_id: str) -> Iterator[tuple[str, float, bool]]:
        """The other articles' figures, in article order."""
        return ((kind, v, approx) for aid, kind, v, approx in self._index()[0] if aid != article_id)

    def named_elsewhere(self, key: str, article_id: str) -> bool:
        """Whether an article other than ``article_id`` has the entity key ``key``."""
        own = self[article_id][1] if article_id in self else set()
        return self._index()[1][key] - (key in own) > 0

    def written_elsewhere(self, needle: str, article_id: str) -> bool:
        """Whether ``needle`` is in the other articles' folded texts joined by spaces and padded with
        a space each side, found in one string of every article without joining the others."""
        _, _, joined, segments = self._index()
        if article_id not in segments:
            return needle in joined
        if len(self) == 1:
            return needle in "  "
        s, e = segments[article_id]  # the others' padded text is joined[:s] + joined[e + 1:]
        k = len(needle)
        return (joined.find(needle, 0, s) >= 0 or joined.find(needle, e + 1) >= 0
                or needle in joined[max(0, s - k + 1):s] + joined[e + 1:e + k])


def story_mentions(story: Story) -> Mentions:
    """Per article: its figures (kind, value, hedged), entity keys and its text folded by
    :func:`_plain`, gathered once per story (folding every other article's text again for each
    claim made single-source details grow with the square of the story, issue 17)."""
    return Mentions({
        ann.article_id: ([(q.kind, q.value, q.approximate) for q in ann.quantities if q.value is not None],
                         {entity_key(e.text, e.label) for e in ann.entities},
                         _plain(story.article(ann.article_id).text))
        for ann in story.annotations
    })


# a number that is part of a name ("SB 54", "Proposition 22", "Route 66") is not a figure
_NAMED_NUMBER = re.compile(r"\b[A-Z][A-Za-z.]*\s+$")


def _plain(text: str) -> str:
    """Text folded for finding a name in another article: "The Los Angeles Police Department's" and
    "U.S." read as "los angeles police department" and "us".

    >>> _plain("The Los Angeles Police Department’s"), _plain("U.S."), _plain("Los Angeles'")
    ('los angeles police department', 'us', 'los angeles')
    """
    text = re.sub(r"'s\b|'(?=\s|$)", "", match_key(text)).replace(".", "")
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def single_source_details(story: Story, spans: Sequence[Span],
                          mentions: Mentions | None = None) -> tuple[Span, ...]:
    """Numbers and names inside a corroborated claim's sentences that no other article gives
    anywhere in the story: the single-source details a fact-checker should look at.

    Numbers match up to rounding ("about 1,200" vs "1,180"); bare small counts ("two") are
    too common to be details. ``mentions`` (from :func:`story_mentions`) saves re-reading every
    article's annotations for each claim.
    """
    mentions = mentions if mentions is not None else story_mentions(story)
    if not isinstance(mentions, Mentions):
        mentions = Mentions(mentions)
    out: list[Span] = []
    for sp in spans:
        ann = story.annotation(sp.article_id)
        article = story.article(sp.article_id)
        aid = sp.article_id
        for q in ann.quantities:
            if (sp.start <= q.start and q.end <= sp.end and q.value is not None
                    and q.kind not in ("date", "time", "ordinal")
                    and not (q.kind == "cardinal" and q.value <= 12)
                    and not _NAMED_NUMBER.search(article.text, max(0, q.start - 24), q.start)
                    and not any(kind == q.kind and _close(q.value, v, q.approximate or approx)
                                for kind, v, approx in mentions.other_values(aid))):
                out.append(article.span(q.start, q.end))
        for e in ann.entities:
            if (sp.start <= e.start and e.end <= sp.end and e.label in ("PERSON", "ORG", "GPE", "FAC", "LOC")
                    and not mentions.named_elsewhere(entity_key(e.text, e.label), aid)
                    and not mentions.written_elsewhere(f" {_plain(e.text)} ", aid)):
                out.append(article.span(e.start, e.end))
    return tuple(sorted(set(out), key=lambda s: (s.article_id, s.start)))
