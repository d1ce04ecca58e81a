"""Contradictions between outlets: where articles state incompatible things about one subject.

One entry point, :func:`find_contradictions`, reads an annotated :class:`~newsprism.model.Story`
and its :class:`~newsprism.analysis.ClaimAnalysis` and returns typed
:class:`ContradictionRow` objects, each with a subject and two or more sides (a value, the
sentences that state it, the articles that take it), the best-supported side first so a lone
outlier stands out. Kinds:

``number``
    counts, money, percentages, measures, ages, vote tallies in aligned sentences, about the same
    thing (same currency / unit / counted noun / event), differing beyond rounding and hedges
    ("nearly $5 million" and "$4.8 million" agree; "$8.4 million" does not). See
    :mod:`newsprism.analysis.contradictions.amounts`.
``date``
    days, dates, weeks, years and times of day, resolved against each article's publication date,
    for the same event ("the crack was found Monday" vs "... discovered Sunday").
``role``
    the same person given incompatible titles in different articles ("council president" vs
    "president of the LAUSD board"); a title that is only more or less specific is no conflict.
    See :mod:`newsprism.analysis.contradictions.roles`.
``polarity``, ``actor``, ``place``, ``attribution``
    conservative rules over closely aligned sentences: the same predicate asserted and denied or
    an antonym (passed / rejected), a different named doer or place for the same action, the same
    words said by a different named speaker. See :mod:`newsprism.analysis.contradictions.predicates`. Quote-level
    misattributions found elsewhere are passed in as ``attribution_conflicts``.
``other``
    only with an optional NLI backend (:class:`NliBackend`): closely aligned sentences it judges
    contradictory that no rule explains.

Precision comes first: a value is compared only with a value in a sentence aligned with its own,
about the same thing, and a side that no article holds exclusively is dropped.

>>> from newsprism.model import Story
>>> from newsprism.analysis.claims import analyze_claims
>>> empty = Story(id="s", articles=())
>>> find_contradictions(empty, analyze_claims(empty))
()
"""

from __future__ import annotations

import functools
import importlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, runtime_checkable

from newsprism.analysis.claims.units import Unit
from newsprism.analysis.contradictions.amounts import (
    STRONG,
    VERY_STRONG,
    Value,
    compatible,
    interval_of_number,
    same_slot,
    sentence_values,
)
from newsprism.analysis.contradictions.predicates import PredFinding, Predication, compare_predications, predications
from newsprism.analysis.contradictions.roles import (
    HEADS,
    RoleMention,
    find_role_mentions,
    mentions_title,
    title_terms,
    title_words,
    titles_clash,
)
from newsprism.model import Span, Story

if TYPE_CHECKING:
    from newsprism.analysis.claims import ClaimAnalysis

__all__ = [
    "KINDS",
    "AttributionConflict",
    "ContradictionDraft",
    "ContradictionKind",
    "ContradictionRow",
    "ContradictionSide",
    "CrossEncoderNli",
    "NliBackend",
    "find_contradictions",
]

ContradictionKind = Literal["number", "date", "role", "attribution", "polarity", "place", "actor", "other"]
#: every kind, in the order contradictions are listed
KINDS: tuple[ContradictionKind, ...] = ("number", "date", "role", "attribution", "polarity", "place", "actor",
                                        "other")

#: two sentences are compared for values when aligned at least this well (or grouped in one claim
#: and at least ``_GROUPED``); predicate rules (polarity, actor, place, attribution) need ``_CLOSE``
_ALIGNED, _GROUPED, _CLOSE, _VERY_CLOSE = 0.5, 0.25, 0.8, 0.95
#: titles in articles published further apart than this are not compared (people change jobs)
_ROLE_DAYS = 14


@dataclass(frozen=True)
class ContradictionSide:
    """One position: the value as written, the sentences that state it and their articles."""

    value: str
    spans: tuple[Span, ...]
    articles: tuple[str, ...]


@dataclass(frozen=True)
class ContradictionRow:
    """A contradiction: maps 1:1 onto the report's ``Contradiction`` (id, kind, subject, sides).

    ``sides`` are ordered by support (number of articles), majority first; ``why`` says in one
    line what differs and by which rule.

    >>> from newsprism.model import Span
    >>> row = ContradictionRow("x1", "number", "amount (USD)", (
    ...     ContradictionSide("$4.8 million", (Span("a", 0, 2, ".."), Span("b", 0, 2, "..")), ("a", "b")),
    ...     ContradictionSide("$8.4 million", (Span("c", 0, 2, ".."),), ("c",))))
    >>> row.outliers, row.articles
    (('c',), ('a', 'b', 'c'))
    """

    id: str
    kind: ContradictionKind
    subject: str
    sides: tuple[ContradictionSide, ...]
    why: str = ""

    @property
    def articles(self) -> tuple[str, ...]:
        """Every article involved, majority side first."""
        seen: dict[str, None] = {}
        for side in self.sides:
            for a in side.articles:
                seen.setdefault(a, None)
        return tuple(seen)

    @property
    def outliers(self) -> tuple[str, ...]:
        """Articles on a side held by a single article while another side has two or more."""
        if len(self.sides) < 2 or len(self.sides[0].articles) < 2:
            return ()
        return tuple(a for side in self.sides[1:] if len(side.articles) == 1 for a in side.articles)


@dataclass(frozen=True)
class AttributionConflict:
    """The same quoted words credited to different speakers (from the quotes analysis).

    >>> from newsprism.model import Span
    >>> c = AttributionConflict.from_mapping("We can't argue with water.", {
    ...     "Raymond Petrosky": [Span("a", 0, 5, "xxxxx")], "Diane Holloway": [Span("b", 0, 5, "yyyyy")]})
    >>> [s for s, _ in c.speakers]
    ['Raymond Petrosky', 'Diane Holloway']
    """

    quote: str
    speakers: tuple[tuple[str, tuple[Span, ...]], ...]

    @classmethod
    def from_mapping(cls, quote: str, speakers: Mapping[str, Sequence[Span]]) -> AttributionConflict:
        return cls(quote, tuple((name, tuple(spans)) for name, spans in speakers.items()))


AttributionInput = AttributionConflict | tuple[str, Mapping[str, Sequence[Span]]]


@runtime_checkable
class NliBackend(Protocol):
    """An optional natural-language-inference judge: P(contradiction) for (premise, hypothesis) pairs."""

    def contradiction_scores(self, pairs: Sequence[tuple[str, str]]) -> Sequence[float]:
        """One probability in [0, 1] per pair that the two sentences contradict each other."""
        ...


class CrossEncoderNli:
    """NLI with a sentence-transformers cross-encoder loaded from a hub or a local path (optional).

    Nothing is imported until the first call; it needs ``sentence-transformers`` and the model
    installed by the user (not a newsprism dependency). ``contradiction_label`` is the index of
    the "contradiction" output (0 for the ``cross-encoder/nli-*`` models).
    """

    def __init__(self, model: str = "cross-encoder/nli-deberta-v3-xsmall", *, contradiction_label: int = 0,
                 batch_size: int = 32) -> None:
        self.model_name = model
        self.contradiction_label = contradiction_label
        self.batch_size = batch_size
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                module = importlib.import_module("sentence_transformers")
            except ImportError as exc:  # pragma: no cover - depends on the user's install
                from newsprism.errors import ModelUnavailableError

                raise ModelUnavailableError(
                    f"the NLI backend needs sentence-transformers ({exc}) "
                    "(fix: pip install sentence-transformers, or leave nli=None)") from exc
            self._model = module.CrossEncoder(self.model_name)
        return self._model

    def contradiction_scores(self, pairs: Sequence[tuple[str, str]]) -> Sequence[float]:
        if not pairs:
            return []
        import numpy as np

        logits = np.asarray(self._load().predict(list(pairs), batch_size=self.batch_size))
        logits = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        return [float(p) for p in probs[:, self.contradiction_label]]


# --- the entry point ------------------------------------------------------------------------------


def find_contradictions(
    story: Story,
    claims: ClaimAnalysis,
    *,
    attribution_conflicts: Iterable[AttributionInput] = (),
    kinds: Iterable[str] = KINDS,
    nli: NliBackend | None = None,
) -> tuple[ContradictionRow, ...]:
    """Contradictions between the story's articles, majority side first in each.

    ``claims`` is the story's :class:`~newsprism.analysis.ClaimAnalysis` (its sentence units,
    scored pairs and claim groups); ``attribution_conflicts`` are quote-level misattributions
    found by the quotes analysis, turned into ``attribution`` rows (a built-in sentence-level
    speaker rule adds only what they do not already cover); ``kinds`` limits the kinds looked
    for; ``nli`` optionally vetoes rule-based predicate conflicts it does not judge contradictory
    and adds ``other`` ones it is sure of. The same as ``ContradictionDraft(story, claims, ...)``
    then ``.finish(attribution_conflicts)``.
    """
    return ContradictionDraft(story, claims, kinds=kinds, nli=nli).finish(attribution_conflicts)


class ContradictionDraft:
    """Every contradiction but the quotes analysis's misattributions, which :meth:`finish` adds:
    the draft needs only the claims, so it can be made while the quotes are still being grouped.

    >>> from newsprism.analysis.claims import analyze_claims
    >>> empty = Story(id="empty", articles=())
    >>> ContradictionDraft(empty, analyze_claims(empty)).finish(())
    ()
    """

    def __init__(self, story: Story, claims: ClaimAnalysis, *, kinds: Iterable[str] = KINDS,
                 nli: NliBackend | None = None) -> None:
        self.wanted = set(kinds)
        unknown = self.wanted - set(KINDS)
        if unknown:
            raise ValueError(f"unknown contradiction kind(s) {sorted(unknown)}; expected some of {list(KINDS)}")
        self.ctx = _Context(story, claims)
        self.nli = nli
        # a one-article story has rows only where quote-level conflicts are passed to finish
        self.rows = self._rows() if len(story.articles) >= 2 else None

    def _rows(self) -> list[_Row]:
        ctx, wanted, nli = self.ctx, self.wanted, self.nli
        rows: list[_Row] = []
        if wanted & {"number", "date"}:
            rows.extend(_value_rows(ctx, wanted))
        if "role" in wanted:
            rows.extend(_role_rows(ctx))
        if wanted & {"polarity", "actor", "place", "attribution", "other"}:
            rows.extend(_predicate_rows(ctx, wanted, nli))
        return rows

    def finish(self, attribution_conflicts: Iterable[AttributionInput] = ()) -> tuple[ContradictionRow, ...]:
        """The contradiction rows with ``attribution_conflicts`` (see :func:`find_contradictions`)."""
        ctx = self.ctx
        passed = [_as_attribution(c) for c in attribution_conflicts]
        if self.rows is None and not passed:
            return ()
        rows = list(self.rows) if self.rows is not None else self._rows()
        if "attribution" in self.wanted and passed:
            given = [r for r in (_attribution_row(ctx, c) for c in passed) if r is not None]
            rows = [r for r in rows if not (r.kind == "attribution" and any(_overlaps(r, g) for g in given))]
            rows.extend(given)
        return _finish(ctx, rows)


# --- shared machinery ---------------------------------------------------------------------------


@dataclass
class _Row:
    kind: ContradictionKind
    subject: str
    sides: list[ContradictionSide]
    why: str = ""


class _Context:
    """Per-story lookups, computed on first use."""

    def __init__(self, story: Story, claims: ClaimAnalysis) -> None:
        self.story = story
        self.units: Sequence[Unit] = tuple(getattr(claims, "units", ()) or ())
        self.pairs: Sequence[Any] = tuple(getattr(claims, "pairs", ()) or ())
        self.order = {a.id: k for k, a in enumerate(story.articles)}
        self.groups: dict[int, set[int]] = defaultdict(set)
        for k, g in enumerate(getattr(claims, "unit_groups", ()) or ()):
            for u in g:
                self.groups[u].add(k)
        self._values: dict[int, list[Value]] = {}
        self._numbers: dict[int, list[tuple[float, float]]] = {}
        self._preds: dict[int, list[Predication]] = {}
        self.annotations = {a.article_id: a for a in story.annotations}
        # sentence pairs the support judge found stating one fact but for a replaced figure, a
        # negation or an opposite modality: their values are compared as in very close paraphrase
        at = {(u.article_id, u.start, u.end): u.index for u in self.units}
        self.judged_conflicts: set[tuple[int, int]] = set()
        for claim in getattr(claims, "claims", ()) or ():
            wording = getattr(claim, "wording", None)
            w = at.get((wording.article_id, wording.start, wording.end)) if wording is not None else None
            for _article, level, span in getattr(claim, "support", ()):
                j = at.get((span.article_id, span.start, span.end))
                if level == "contradicts" and w is not None and j is not None:
                    self.judged_conflicts.add((min(w, j), max(w, j)))

    def aligned_pairs(self, minimum: float) -> list[tuple[Any, Unit, Unit]]:
        out = []
        for p in self.pairs:
            if p.i >= len(self.units) or p.j >= len(self.units):
                continue
            u, v = self.units[p.i], self.units[p.j]
            if u.article_id == v.article_id:
                continue
            grouped = bool(self.groups[p.i] & self.groups[p.j])
            if p.probability >= minimum or (minimum <= _ALIGNED and grouped and p.probability >= _GROUPED):
                out.append((p, u, v))
        return out

    def values(self, u: Unit) -> list[Value]:
        if u.index not in self._values:
            ann = self.annotations.get(u.article_id)
            article = self.story.article(u.article_id)
            published = article.published
            self._values[u.index] = (sentence_values(ann.doc, ann.quantities, u.start, u.end,
                                                     published.date() if published else None, text=article.text)
                                     if ann is not None else [])
        return self._values[u.index]

    def numbers(self, u: Unit) -> list[tuple[float, float]]:
        """Every number written in the sentence (anchored or not), as the interval it allows."""
        if u.index not in self._numbers:
            ann = self.annotations.get(u.article_id)
            anchored = {(v.start, v.end) for v in self.values(u)}
            self._numbers[u.index] = [
                interval_of_number(q.text, q.value, q.value2) for q in (ann.quantities if ann else ())
                if u.start <= q.start and q.end <= u.end and q.value is not None
                and q.kind not in ("date", "time", "ordinal", "score") and (q.start, q.end) not in anchored]
        return self._numbers[u.index]

    def preds(self, u: Unit) -> list[Predication]:
        if u.index not in self._preds:
            ann = self.annotations.get(u.article_id)
            self._preds[u.index] = (predications(ann.doc, u.start, u.end)
                                    if ann is not None and ann.doc is not None else [])
        return self._preds[u.index]

    def span(self, article_id: str, start: int, end: int) -> Span:
        return self.story.article(article_id).span(start, end)


T = TypeVar("T", bound=Hashable)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, x: Any) -> Any:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def groups(self) -> list[list[Any]]:
        out: dict[Any, list[Any]] = defaultdict(list)
        for x in self.parent:
            out[self.find(x)].append(x)
        return list(out.values())


def _cluster(items: Sequence[T], agree: Callable[[T, T], bool], precision: Callable[[T], float]) -> list[list[T]]:
    """Group items into sides of mutually agreeing values, most precise first; an item that agrees
    with two sides is left out (it cannot tell them apart)."""
    clusters: list[list[T]] = []
    for item in sorted(items, key=precision):
        fits = [c for c in clusters if all(agree(item, m) for m in c)]
        if len(fits) == 1:
            fits[0].append(item)
        elif not fits:
            clusters.append([item])
    return clusters


def _exclusive(sides: list[tuple[str, list[tuple[str, Span]]]]) -> list[tuple[str, list[tuple[str, Span]]]]:
    """Drop every article found on two sides from all of them, then the sides left empty: a side
    counts only when some article holds it and nothing else."""
    count: Counter[str] = Counter()
    for _, members in sides:
        count.update({a for a, _ in members})
    out = []
    for value, members in sides:
        kept = [(a, s) for a, s in members if count[a] == 1]
        if kept:
            out.append((value, kept))
    return out


def _make_sides(ctx: _Context, sides: list[tuple[str, list[tuple[str, Span]]]]) -> list[ContradictionSide]:
    built = []
    for value, members in sides:
        spans = sorted({s for _, s in members}, key=lambda s: (ctx.order.get(s.article_id, 99), s.start))
        articles = sorted({a for a, _ in members}, key=lambda a: ctx.order.get(a, 99))
        built.append(ContradictionSide(value, tuple(spans), tuple(articles)))
    built.sort(key=lambda s: (-len(s.articles), min(ctx.order.get(a, 99) for a in s.articles)))
    return built


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# --- numbers and dates ------------------------------------------------------------------------

_SLOT_LABEL = {"vote": "vote tally", "date": "date", "time": "time of day", "weekday": "day", "fraction": "share"}


def _value_rows(ctx: _Context, wanted: set[str]) -> list[_Row]:
    uf = _UnionFind()
    conflicts: set[frozenset[tuple[int, int]]] = set()
    where: dict[tuple[int, int], tuple[Unit, Value]] = {}
    for pair, u, v in ctx.aligned_pairs(_ALIGNED):
        vu, vv = ctx.values(u), ctx.values(v)
        if not vu or not vv:
            continue
        alignment = pair.probability
        if (min(u.index, v.index), max(u.index, v.index)) in ctx.judged_conflicts:
            alignment = max(alignment, VERY_STRONG)
        strong = alignment >= STRONG
        slots_u, slots_v = Counter(x.slot for x in vu), Counter(x.slot for x in vv)
        matches: dict[int, list[int]] = defaultdict(list)
        for i, a in enumerate(vu):
            for j, b in enumerate(vv):
                unique = slots_u[a.slot] == 1 and slots_v[b.slot] == 1
                if same_slot(a, b, unique=unique, alignment=alignment):
                    matches[i].append(j)
        _pair_in_order(vu, vv, matches, strong)
        back: dict[int, list[int]] = defaultdict(list)
        for i, js in matches.items():
            for j in js:
                back[j].append(i)
        for i, js in matches.items():
            a = vu[i]
            kind = _value_kind(a)
            if kind not in wanted:
                continue
            ok_i = any(compatible(a, vv[j]) for j in js)
            if kind == "number" and a.slot != "vote" and _written_in(a, ctx.numbers(v)):
                ok_i = True  # the other sentence writes this number too (in a form not tied to a noun)
            for j in js:
                b = vv[j]
                na, nb = (u.index, i), (v.index, j)
                where[na], where[nb] = (u, a), (v, b)
                if compatible(a, b):
                    uf.union(na, nb)
                elif not ok_i and not any(compatible(vu[k], b) for k in back[j]) and not (
                        kind == "number" and b.slot != "vote" and _written_in(b, ctx.numbers(u))):
                    uf.union(na, nb)
                    conflicts.add(frozenset((na, nb)))
    rows: list[_Row] = []
    for members in uf.groups():
        member_set = set(members)
        if not any(c <= member_set for c in conflicts):
            continue
        row = _value_row(ctx, sorted(members), where, conflicts)
        if row is not None:
            rows.append(row)
    return rows


_Mention = tuple[int, int]  # (unit index, value index)


def _value_row(ctx: _Context, items: list[_Mention], where: dict[_Mention, tuple[Unit, Value]],
               conflicts: set[frozenset[_Mention]]) -> _Row | None:
    """One contradiction from the mentions of one slot: sides of mutually compatible values."""
    clusters = _cluster(items, lambda x, y: compatible(where[x][1], where[y][1]),
                        lambda x: where[x][1].interval[1] - where[x][1].interval[0])
    # keep the sides in direct conflict with another side
    clusters = [c for c in clusters
                if any(frozenset((x, y)) in conflicts for o in clusters if o is not c for x in c for y in o)]
    if len(clusters) < 2:
        return None
    raw_sides = []
    for c in clusters:
        shown = Counter(where[x][1].display for x in c).most_common(1)[0][0]
        raw_sides.append((shown, [(where[x][0].article_id, ctx.span(where[x][0].article_id, where[x][0].start,
                                                                 where[x][0].end)) for x in c]))
    raw_sides = _exclusive(raw_sides)
    if len(raw_sides) < 2:
        return None
    sides = _make_sides(ctx, raw_sides)
    first = where[items[0]][1]
    label = _value_subject(first)
    return _Row(_value_kind(first), f"{label} in “{_short(sides[0].spans[0].text)}”", sides,
                why=f"{label}: " + " vs ".join(s.value for s in sides))


def _value_kind(v: Value) -> ContradictionKind:
    return "date" if v.slot in ("date", "time", "weekday") else "number"


def _pair_in_order(vu: Sequence[Value], vv: Sequence[Value], matches: dict[int, list[int]], strong: bool) -> None:
    """Two closely aligned sentences with the same number of values of one kind, all matching one
    another: pair them in order ("$1.5 billion ... and $1.35 billion" against "$0.6 billion ... and
    $1.35 billion"), keeping only the pairs a compatible match does not already explain."""
    if not strong:
        return
    for slot in {a.slot for a in vu}:
        iu = [i for i, a in enumerate(vu) if a.slot == slot]
        iv = [j for j, b in enumerate(vv) if b.slot == slot]
        if len(iu) < 2 or len(iu) != len(iv) or any(set(matches.get(i, ())) != set(iv) for i in iu):
            continue
        for i, j in zip(iu, iv, strict=True):
            matches[i] = [j]


def _written_in(v: Value, numbers: Sequence[tuple[float, float]]) -> bool:
    return any(max(lo, v.interval[0]) <= min(hi, v.interval[1]) for lo, hi in numbers)


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es" if not noun.endswith("s") else noun
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def _value_subject(v: Value) -> str:
    if v.slot == "age":
        return f"age of {v.person.title() if v.person else 'a person'}"
    if v.slot == "count":
        return f"number of {_plural(v.noun)}" if v.noun else "number"
    if v.slot.startswith("money:"):
        return f"amount ({v.slot.split(':', 1)[1]})"
    if v.slot.startswith("percent:"):
        return "percentage" if v.slot.endswith("%") else "percentage points"
    if v.slot.startswith("measure:"):
        return f"measure ({v.slot.split(':', 1)[1]})"
    return _SLOT_LABEL.get(v.slot, v.slot)


# --- roles ------------------------------------------------------------------------------------

_TitleKey = tuple[str, tuple[object, ...]]  # (article id, title signature)


def _role_rows(ctx: _Context) -> list[_Row]:
    story = ctx.story
    if not story.annotations:
        return []
    by_id = {a.article_id: a for a in story.annotations}
    articles = [a for a in story.articles if a.id in by_id]
    by_person: dict[str, list[RoleMention]] = defaultdict(list)
    for m in find_role_mentions(articles, [by_id[a.id] for a in articles]):
        by_person[m.person].append(m)
    rows = [_person_row(ctx, person, by_person[person]) for person in sorted(by_person)]
    return [r for r in rows if r is not None]


def _person_row(ctx: _Context, person: str, mentions: list[RoleMention]) -> _Row | None:
    """The role contradiction about one person, if the articles' titles for them clash."""
    if len({m.article_id for m in mentions}) < 2:
        return None
    # one item per (article, title): an article may give a person two titles (two roles)
    items: dict[_TitleKey, list[RoleMention]] = defaultdict(list)
    for m in mentions:
        items[(m.article_id, m.title.signature)].append(m)
    keys = sorted(items, key=lambda k: (ctx.order.get(k[0], 99), str(k[1])))
    title = {k: items[k][0].title for k in keys}
    # an article's words about the person, read only for titles that clash (most people keep one title)
    words = functools.cache(lambda article_id: _person_words(ctx, article_id, person))

    def agree(x: _TitleKey, y: _TitleKey) -> bool:
        # an article that itself names the other office next to the person knows both roles; and
        # people change jobs: articles weeks apart may both be right
        return (not titles_clash(title[x], title[y]) or mentions_title(words(x[0]), title[y])
                or mentions_title(words(y[0]), title[x]) or _days_apart(ctx, x[0], y[0]) > _ROLE_DAYS)

    # titles that clash with no other article's title (a shared "majority leader", a loose
    # "lawmaker") take no side
    keys = [k for k in keys if any(k2[0] != k[0] and not agree(k, k2) for k2 in keys)]
    clusters = _cluster(keys, agree, lambda k: -title[k].specificity)
    if len(clusters) < 2:
        return None
    raw_sides = []
    for c in clusters:
        shown = Counter(m.title.raw for k in c for m in items[k])
        first = {m.title.raw: ctx.order.get(k[0], 99) for k in reversed(c) for m in items[k]}
        best = max(shown, key=lambda raw: (shown[raw], -first[raw]))
        raw_sides.append((best, [(m.article_id, ctx.span(m.article_id, *m.sentence)) for k in c for m in items[k]]))
    raw_sides = _exclusive(raw_sides)
    if len(raw_sides) < 2:
        return None
    sides = _make_sides(ctx, raw_sides)
    name = mentions[0].name
    return _Row("role", f"{name}'s title", sides,
                why=f"{name} is called " + " / ".join(f"“{s.value}”" for s in sides))


def _days_apart(ctx: _Context, a: str, b: str) -> float:
    pa, pb = ctx.story.article(a).published, ctx.story.article(b).published
    if pa is None or pb is None:
        return 0.0
    return abs((pa.replace(tzinfo=None) - pb.replace(tzinfo=None)).total_seconds()) / 86400


def _person_words(ctx: _Context, article_id: str, person: str) -> set[str]:
    """Title words of the article's sentences that name the person, leaving out the titles written
    before somebody else's name ("... to fill Sen. John Kerry's seat")."""
    ann = ctx.annotations.get(article_id)
    if ann is None:
        return set()
    text = ctx.story.article(article_id).text
    own = set(person.split())
    surname = person.split()[-1]
    words: set[str] = set()
    for sent in ann.sentences:
        chunk = text[sent.start:sent.end]
        if surname not in chunk.lower():
            continue
        raw = chunk.split()
        kept = [w for k, w in enumerate(raw)
                if not (k + 1 < len(raw) and raw[k + 1][:1].isupper() and _is_title_token(w)
                        and re.sub(r"\W", "", raw[k + 1]).lower() not in own)]
        words.update(title_terms(" ".join(kept)))
    return words


def _is_title_token(word: str) -> bool:
    return bool(title_words(word)) and all(w in HEADS for w in title_words(word))


# --- predicates: polarity, actor, place, attribution (and NLI "other") --------------------------


_PRED_KINDS: dict[str, ContradictionKind] = {"polarity": "polarity", "actor": "actor", "place": "place",
                                             "attribution": "attribution"}


def _predicate_rows(ctx: _Context, wanted: set[str], nli: NliBackend | None) -> list[_Row]:
    findings: list[tuple[Unit, Unit, PredFinding]] = []
    close = ctx.aligned_pairs(_CLOSE)
    pred_kinds = wanted & {"polarity", "actor", "place", "attribution"}
    for pair, u, v in close:
        very_close = pair.probability >= _VERY_CLOSE and pair.lexical >= 0.7
        for f in compare_predications(ctx.preds(u), ctx.preds(v), kinds=pred_kinds, very_close=very_close):
            if f.kind in ("place", "actor") and not _names_unshared(ctx, u, v, f):
                continue
            findings.append((u, v, f))
    if nli is not None and findings:
        scores = nli.contradiction_scores([(u.text, v.text) for u, v, _ in findings])
        findings = [f for f, s in zip(findings, scores, strict=True) if s >= 0.5]
    rows: list[_Row] = []
    by_kind: dict[ContradictionKind, list[tuple[Unit, Unit, PredFinding]]] = defaultdict(list)
    for item in findings:
        by_kind[_PRED_KINDS[item[2].kind]].append(item)
    for kind, items in by_kind.items():
        uf = _UnionFind()
        label: dict[int, set[str]] = defaultdict(set)
        shown: dict[tuple[int, str], str] = {}
        key_of: dict[int, str] = {}
        unit_of: dict[int, Unit] = {}
        for u, v, f in items:
            uf.union(u.index, v.index)
            label[u.index].add(f.left_label)
            label[v.index].add(f.right_label)
            shown.setdefault((u.index, f.left_label), f.left)
            shown.setdefault((v.index, f.right_label), f.right)
            key_of.setdefault(u.index, f.key)
            unit_of[u.index], unit_of[v.index] = u, v
        for members in uf.groups():
            if any(len(label[m]) != 1 for m in members):
                continue  # a sentence on two sides: the rule is unsure what it compared
            by_label: dict[str, list[int]] = defaultdict(list)
            for m in members:
                by_label[next(iter(label[m]))].append(m)
            if len(by_label) < 2:
                continue
            raw_sides = []
            for lab, ms in by_label.items():
                value = Counter(shown[(m, lab)] for m in ms).most_common(1)[0][0]
                raw_sides.append((value, [(unit_of[m].article_id, ctx.span(unit_of[m].article_id, unit_of[m].start,
                                                                          unit_of[m].end)) for m in ms]))
            raw_sides = _exclusive(raw_sides)
            if len(raw_sides) < 2:
                continue
            sides = _make_sides(ctx, raw_sides)
            key = next((key_of[m] for m in sorted(members) if m in key_of), kind)
            rows.append(_Row(kind, f"{key} in “{_short(sides[0].spans[0].text)}”", sides,
                             why=f"{kind}: " + " vs ".join(f"“{s.value}”" for s in sides)))
    if nli is not None and "other" in wanted:
        rows.extend(_nli_rows(ctx, nli, {(u.index, v.index) for u, v, _ in findings}))
    return rows


def _names_unshared(ctx: _Context, u: Unit, v: Unit, f: PredFinding) -> bool:
    """Neither sentence names the other's place or actor, and at least one article never mentions
    the other's at all (a town and its county, an agency and its director, named together in an
    article, are not a conflict)."""
    text_u = ctx.story.article(u.article_id).text.lower()
    text_v = ctx.story.article(v.article_id).text.lower()
    if _mentions(u.text.lower(), f.right_label) or _mentions(v.text.lower(), f.left_label):
        return False
    return not _mentions(text_u, f.right_label) or not _mentions(text_v, f.left_label)


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", text) is not None


def _nli_rows(ctx: _Context, nli: NliBackend, covered: set[tuple[int, int]]) -> list[_Row]:
    pairs = [(u, v) for p, u, v in ctx.aligned_pairs(_CLOSE) if (u.index, v.index) not in covered]
    if not pairs:
        return []
    scores = nli.contradiction_scores([(u.text, v.text) for u, v in pairs])
    rows = []
    for (u, v), s in zip(pairs, scores, strict=True):
        if s < 0.9:
            continue
        sides = _make_sides(ctx, [(_short(u.text, 60), [(u.article_id, ctx.span(u.article_id, u.start, u.end))]),
                                  (_short(v.text, 60), [(v.article_id, ctx.span(v.article_id, v.start, v.end))])])
        rows.append(_Row("other", f"“{_short(u.text)}”", sides, why=f"NLI contradiction probability {s:.2f}"))
    return rows


# --- attribution passed in ------------------------------------------------------------------------


def _as_attribution(c: AttributionInput) -> AttributionConflict:
    if isinstance(c, AttributionConflict):
        return c
    quote, speakers = c
    return AttributionConflict.from_mapping(quote, speakers)


def _attribution_row(ctx: _Context, c: AttributionConflict) -> _Row | None:
    raw_sides = [(name, [(s.article_id, s) for s in spans]) for name, spans in c.speakers if spans]
    raw_sides = _exclusive(raw_sides)
    if len(raw_sides) < 2:
        return None
    sides = _make_sides(ctx, raw_sides)
    return _Row("attribution", f"who said “{_short(c.quote)}”", sides,
                why="the same words credited to " + " / ".join(s.value for s in sides))


def _overlaps(a: _Row, b: _Row) -> bool:
    spans_b = [s for side in b.sides for s in side.spans]
    return any(s.article_id == t.article_id and s.start < t.end and t.start < s.end
               for side in a.sides for s in side.spans for t in spans_b)


# --- output -------------------------------------------------------------------------------------


def _finish(ctx: _Context, rows: list[_Row]) -> tuple[ContradictionRow, ...]:
    order = {k: i for i, k in enumerate(KINDS)}

    def position(r: _Row) -> tuple[int, int]:
        first = r.sides[0].spans[0]
        return ctx.order.get(first.article_id, 99), first.start

    rows.sort(key=lambda r: (order[r.kind], *position(r)))
    return tuple(ContradictionRow(f"x{k + 1}", r.kind, r.subject, tuple(r.sides), r.why)
                 for k, r in enumerate(rows))

