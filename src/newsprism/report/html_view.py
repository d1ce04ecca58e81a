"""The view model behind the HTML report: what the templates show, computed once in Python.

Every clickable thing in the report (a claim, a brief sentence, a quote or one of its
occurrences, a contradiction side, a loaded phrase, a provenance pair's evidence) is a
*target*: a short key (``t12``) and the spans it points at. Each article's text is cut at
every span boundary into *segments*; a segment lists the keys of the targets covering it,
so the browser highlights a target with one selector (``[data-t~="t12"]``) and the page
needs no offsets arithmetic in JavaScript.

>>> from newsprism.report.schema import ArticleOut, Claim, Report, SpanOut, StoryOut
>>> text = "The dam held. Water rose."
>>> art = ArticleOut(id="a", outlet="Example Post", text=text)
>>> claim = Claim(id="c1", text="Water rose.", sources=["a"],
...               spans=[SpanOut(article="a", start=14, end=25, text="Water rose.")])
>>> view = build_view(Report(story=StoryOut(id="s", articles=[art]), claims=[claim]))
>>> [(s.text, s.keys) for s in view.articles[0].segments]
[('The dam held. ', ''), ('Water rose.', 't1')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from newsprism.report.html_diff import DiffToken, word_diff
from newsprism.report.html_graph import GraphView, provenance_graph
from newsprism.report.schema import (
    AnalysisStatus,
    ArticleOut,
    Claim,
    Contradiction,
    Quote,
    Report,
    SpanOut,
)

__all__ = ["ReportView", "build_view"]

#: how many tints the independent-source groups cycle through (CSS classes g0..g7)
GROUP_TINTS = 8


@dataclass(frozen=True, slots=True)
class Target:
    """Something the reader can click: a key, a label for the highlight bar, its spans."""

    key: str
    label: str
    spans: tuple[SpanOut, ...]

    @property
    def articles(self) -> int:
        return len({s.article for s in self.spans})


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of an article between two span boundaries: the keys covering it, and the
    artifact kind when it lies in a non-article line."""

    start: int
    text: str
    keys: str = ""
    artifact: str | None = None
    artifact_why: str = ""


@dataclass(frozen=True, slots=True)
class ArticleView:
    number: int
    article: ArticleOut
    group: int  # index of its provenance group
    tint: str  # CSS class: g0..g7 for groups of two or more, "gs" for a lone article
    segments: tuple[Segment, ...]
    words: int
    artifacts: int


@dataclass(frozen=True, slots=True)
class ClaimRow:
    claim: Claim
    key: str
    cells: tuple[str, ...]  # per article column: carried | omitted | contradicted | absent
    contradictions: tuple[str, ...]  # ids of contradictions touching this claim


@dataclass(frozen=True, slots=True)
class SideView:
    value: str
    key: str
    spans: tuple[tuple[ArticleView, SpanOut], ...]


@dataclass(frozen=True, slots=True)
class ContradictionView:
    item: Contradiction
    key: str
    sides: tuple[SideView, ...]


@dataclass(frozen=True, slots=True)
class OccurrenceView:
    article: ArticleView
    key: str
    span: SpanOut
    direct: bool
    speaker_as_written: str | None
    variant: str
    diff: tuple[DiffToken, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class QuoteView:
    item: Quote
    key: str
    occurrences: tuple[OccurrenceView, ...]
    variants: tuple[str, ...]


#: loaded-language categories with their own colour (CSS class np-cat-<name>); others share one
CATEGORIES = ("presupposing", "loaded_verb", "loaded_word", "loaded_phrase", "actor_label", "sentiment",
              "intensifier")


@dataclass(frozen=True, slots=True)
class LoadedView:
    key: str
    span: SpanOut
    why: str
    x: float  # position and width along the framing bar, in per mille of the article
    width: float
    category: str = ""

    @property
    def css(self) -> str:
        return f"np-cat-{self.category}" if self.category in CATEGORIES else "np-cat-other"

    @property
    def category_label(self) -> str:
        return self.category.replace("_", " ") or "loaded"


@dataclass(frozen=True, slots=True)
class OpinionView:
    key: str
    span: SpanOut
    why: str


@dataclass(frozen=True, slots=True)
class WordingView:
    """How one article names one actor: the wordings, each possibly loaded."""

    wordings: tuple[tuple[str, int, bool], ...]  # wording, count, loaded


@dataclass(frozen=True, slots=True)
class ActorLabelsView:
    actor: str
    kind: str
    cells: tuple[WordingView, ...]  # per article column, in report order
    varies: bool  # the articles do not all use the same wording


@dataclass(frozen=True, slots=True)
class FramingView:
    article: ArticleView
    subjectivity: float
    loaded: tuple[LoadedView, ...]
    voices: tuple[tuple[str, str, int], ...]
    omits: tuple[tuple[str, str, str], ...]  # claim id, key, text
    artifacts: tuple[tuple[float, float, str], ...]  # x, width, kind
    rank: int = 0
    explanation: str = ""
    unattributed: tuple[OpinionView, ...] = ()
    missing_voices: tuple[str, ...] = ()

    @property
    def categories(self) -> tuple[tuple[str, str, int], ...]:
        """(css class, label, count) of the loaded phrases by category, most frequent first."""
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for ld in self.loaded:
            counts[(ld.css, ld.category_label)] += 1
        return tuple((css, label, n) for (css, label), n in sorted(counts.items(), key=lambda kv: -kv[1]))


@dataclass(frozen=True, slots=True)
class CiteView:
    claim_id: str
    key: str | None
    label: str


@dataclass(frozen=True, slots=True)
class SummaryView:
    text: str
    key: str
    cites: tuple[CiteView, ...]
    sources: tuple[str, ...]
    single_source: bool = False  # its sources are one outlet, or articles that copy one another


@dataclass(frozen=True, slots=True)
class PairView:
    a: ArticleView
    b: ArticleView
    relation: str
    direction: str
    reuse: float
    verbatim: float
    paraphrase: float
    order: float
    key: str | None


@dataclass(frozen=True, slots=True)
class SectionState:
    """Whether an analysis's section shows data, "none found", or a plain note."""

    name: str
    done: bool
    note: str
    has_data: bool

    @property
    def show(self) -> bool:
        return self.has_data

    @property
    def empty_done(self) -> bool:
        return self.done and not self.has_data


@dataclass
class _Targets:
    items: dict[str, Target] = field(default_factory=dict)

    def add(self, label: str, spans: Iterable[SpanOut]) -> str:
        key = f"t{len(self.items) + 1}"
        self.items[key] = Target(key, label, tuple(spans))
        return key


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything the templates read; built by :func:`build_view`."""

    report: Report
    title: str
    articles: tuple[ArticleView, ...]
    by_id: dict[str, ArticleView]
    targets: dict[str, Target]
    claim_keys: dict[str, str]
    claims_multi: tuple[ClaimRow, ...]
    claims_single: tuple[ClaimRow, ...]
    contradictions: tuple[ContradictionView, ...]
    quotes: tuple[QuoteView, ...]
    framing: tuple[FramingView, ...]
    labels: tuple[ActorLabelsView, ...]
    summary: tuple[SummaryView, ...]
    pairs: tuple[PairView, ...]
    groups: tuple[tuple[ArticleView, ...], ...]
    graph: GraphView
    sections: dict[str, SectionState]
    failed_inputs: tuple[tuple[str, str, str], ...]  # source, status, message
    ok_inputs: int


def _valid(span: SpanOut, texts: dict[str, str]) -> bool:
    text = texts.get(span.article)
    return text is not None and 0 <= span.start <= span.end <= len(text)


def _overlaps(a: SpanOut, b: SpanOut) -> bool:
    return a.article == b.article and a.start < b.end and b.start < a.end


def _segments(article: ArticleOut, spans: Sequence[tuple[str, SpanOut]],
              artifacts: Sequence[tuple[SpanOut, str, str]]) -> tuple[Segment, ...]:
    """Cut ``article.text`` at every boundary; each piece lists the keys that cover it."""
    text = article.text
    bounds = {0, len(text)}
    for _, s in spans:
        bounds.update((s.start, s.end))
    for s, _, _ in artifacts:
        bounds.update((s.start, s.end))
    starts: dict[int, list[str]] = defaultdict(list)
    ends: dict[int, list[str]] = defaultdict(list)
    for key, s in spans:
        if s.end > s.start:
            starts[s.start].append(key)
            ends[s.end].append(key)
    active: dict[str, int] = {}
    cuts = sorted(bounds)
    out: list[Segment] = []
    for lo, hi in pairwise(cuts):
        for key in ends.get(lo, ()):
            active[key] -= 1
            if not active[key]:
                del active[key]
        for key in starts.get(lo, ()):
            active[key] = active.get(key, 0) + 1
        if hi <= lo:
            continue
        art = next(((kind, why) for s, kind, why in artifacts if s.start <= lo and hi <= s.end), None)
        keys = " ".join(sorted(active, key=lambda k: int(k[1:])))
        out.append(Segment(lo, text[lo:hi], keys, art[0] if art else None, art[1] if art else ""))
    return tuple(out)


def _order(report: Report) -> tuple[list[ArticleOut], dict[str, int]]:
    """Articles ordered by provenance group (copies side by side), and each one's group."""
    ids = [a.id for a in report.story.articles]
    group_of: dict[str, int] = {}
    for g, members in enumerate(report.provenance.groups):
        for m in members:
            group_of.setdefault(m, g)
    n = len(report.provenance.groups)
    for i in ids:
        if i not in group_of:
            group_of[i] = n
            n += 1
    first: dict[int, int] = {}
    for pos, i in enumerate(ids):
        first.setdefault(group_of[i], pos)
    ordered = sorted(report.story.articles, key=lambda a: (first[group_of[a.id]], ids.index(a.id)))
    return ordered, group_of


def _section(name: str, statuses: dict[str, AnalysisStatus], has_data: bool) -> SectionState:
    st = statuses.get(name)
    done = st is not None and st.status == "done"
    if st is None:
        note = f"The {name} analysis did not run for this report."
    elif st.status == "done":
        note = st.note
    else:
        note = st.note or f"The {name} analysis is {st.status.replace('_', ' ')}."
    return SectionState(name, done, note, has_data)


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_view(report: Report) -> ReportView:
    """Precompute everything the HTML templates show for ``report`` (pure; no I/O)."""
    texts = {a.id: a.text for a in report.story.articles}
    ordered, group_of = _order(report)
    group_sizes: dict[int, int] = defaultdict(int)
    for a in ordered:
        group_sizes[group_of[a.id]] += 1
    tints: dict[int, str] = {}
    for a in ordered:
        g = group_of[a.id]
        if g not in tints:
            multi = sum(1 for t in tints.values() if t != "gs")
            tints[g] = f"g{multi % GROUP_TINTS}" if group_sizes[g] > 1 else "gs"

    targets = _Targets()
    spans_by_article: dict[str, list[tuple[str, SpanOut]]] = defaultdict(list)

    def add(label: str, spans: Iterable[SpanOut]) -> str:
        good = [s for s in spans if _valid(s, texts)]
        key = targets.add(_short(label), good)
        for s in good:
            spans_by_article[s.article].append((key, s))
        return key

    claim_keys = {c.id: add(c.text, c.spans) for c in report.claims}
    claims_by_id = {c.id: c for c in report.claims}

    summary = tuple(
        SummaryView(
            text=s.text,
            # the sentences it rests on, one per cited article (its claims' other members are the [c] links)
            key=add(s.text, s.spans or [sp for cid in s.cites if cid in claims_by_id
                                        for sp in claims_by_id[cid].spans]),
            cites=tuple(CiteView(cid, claim_keys.get(cid), _short(claims_by_id[cid].text, 200)
                                 if cid in claims_by_id else "unknown claim") for cid in s.cites),
            sources=tuple(s.sources),
            single_source=s.single_source,
        )
        for s in report.summary
    )

    # Articles need their segments, which need every target first: collect views lazily.
    contra_raw = []
    for x in report.contradictions:
        all_key = add(f"{x.subject}: " + " vs ".join(sd.value for sd in x.sides),
                      [sp for sd in x.sides for sp in sd.spans])
        sides = [(sd, add(f"{x.subject}: {sd.value}", sd.spans)) for sd in x.sides]
        contra_raw.append((x, all_key, sides))

    quote_raw = []
    for q in report.quotes:
        qkey = add(f"“{q.text}”" + (f" — {q.speaker}" if q.speaker else ""), [o.span for o in q.occurrences])
        occ = [(o, add(f"“{o.span.text}” ({o.variant})", [o.span])) for o in q.occurrences]
        quote_raw.append((q, qkey, occ))

    framing_raw = []
    for f in report.framing:
        loaded = [(ld, add(f"{ld.span.text} — {ld.why}", [ld.span])) for ld in f.loaded]
        opinions = [OpinionView(add(f"{o.span.text} — {o.why}", [o.span]), o.span, o.why)
                    for o in f.unattributed if _valid(o.span, texts)]
        framing_raw.append((f, loaded, opinions))

    pair_raw = []
    for p in report.provenance.pairs:
        if p.relation == "independent":
            continue
        key = None
        if p.evidence:
            key = add(f"{p.relation}: {p.a} / {p.b}", [s for e in p.evidence for s in (e.a, e.b)])
        pair_raw.append((p, key))

    artifacts_by_article: dict[str, list[tuple[SpanOut, str, str]]] = defaultdict(list)
    for art in report.artifacts:
        if _valid(art.span, texts):
            artifacts_by_article[art.span.article].append((art.span, art.kind, art.why))

    articles = tuple(
        ArticleView(
            number=k, article=a, group=group_of[a.id], tint=tints[group_of[a.id]],
            segments=_segments(a, spans_by_article.get(a.id, []), artifacts_by_article.get(a.id, [])),
            words=len(a.text.split()), artifacts=len(artifacts_by_article.get(a.id, [])),
        )
        for k, a in enumerate(ordered, 1)
    )
    by_id = {v.article.id: v for v in articles}

    # claim matrix: carried / omitted / contradicted / absent per article column
    contra_spans: list[tuple[str, SpanOut]] = [
        (x.id, sp) for x in report.contradictions for sd in x.sides for sp in sd.spans
    ]
    rows = []
    for c in report.claims:
        touching = sorted({xid for xid, xs in contra_spans for cs in c.spans if _overlaps(xs, cs)})
        cells = []
        for v in articles:
            aid = v.article.id
            if aid in c.sources:
                mine = [s for s in c.spans if s.article == aid]
                hit = any(_overlaps(xs, s) for _, xs in contra_spans for s in mine)
                cells.append("contradicted" if hit else "carried")
            elif aid in c.omitted_by:
                cells.append("omitted")
            else:
                cells.append("absent")
        rows.append(ClaimRow(c, claim_keys[c.id], tuple(cells), tuple(touching)))

    contradictions = tuple(
        ContradictionView(x, key, tuple(
            SideView(sd.value, skey, tuple((by_id[sp.article], sp) for sp in sd.spans if sp.article in by_id))
            for sd, skey in sides))
        for x, key, sides in contra_raw
    )

    quotes = []
    for q, qkey, occ in quote_raw:
        occ_views = tuple(
            OccurrenceView(
                article=by_id[o.span.article], key=okey, span=o.span, direct=o.direct,
                speaker_as_written=o.speaker_as_written, variant=o.variant,
                diff=tuple(word_diff(q.text, o.span.text)) if o.variant != "verbatim" else (),
                note=o.diff,
            )
            for o, okey in occ if o.span.article in by_id
        )
        variants = tuple(sorted({o.variant for o in q.occurrences}))
        quotes.append(QuoteView(q, qkey, occ_views, variants))

    framing = []
    for f, loaded, opinions in framing_raw:
        if f.article not in by_id:
            continue
        length = max(1, len(texts[f.article]))
        framing.append(FramingView(
            article=by_id[f.article],
            subjectivity=max(0.0, min(1.0, f.subjectivity)),
            loaded=tuple(LoadedView(k, ld.span, ld.why, 1000 * ld.span.start / length,
                                    max(6.0, 1000 * (ld.span.end - ld.span.start) / length), ld.category)
                         for ld, k in loaded if _valid(ld.span, texts)),
            rank=f.rank,
            explanation=f.explanation,
            unattributed=tuple(opinions),
            missing_voices=tuple(f.missing_voices),
            voices=tuple((v.speaker, v.role, v.count) for v in f.voices),
            omits=tuple((cid, claim_keys[cid], _short(claims_by_id[cid].text, 160))
                        for cid in f.omits if cid in claims_by_id),
            artifacts=tuple((1000 * s.start / length, max(3.0, 1000 * (s.end - s.start) / length), kind)
                            for s, kind, _ in artifacts_by_article.get(f.article, [])),
        ))

    framing.sort(key=lambda fv: (fv.rank or len(articles) + 1, fv.article.number))
    labels = tuple(
        ActorLabelsView(
            actor=lab.actor, kind=lab.kind,
            cells=tuple(WordingView(tuple((w.wording, w.count, w.loaded) for w in lab.by_article.get(v.article.id, [])))
                        for v in articles),
            varies=len({w.wording for ws in lab.by_article.values() for w in ws}) > 1,
        )
        for lab in report.labels
    )
    pairs = tuple(
        PairView(by_id[p.a], by_id[p.b], p.relation, p.direction, p.reuse, p.verbatim, p.paraphrase,
                 p.order, key)
        for p, key in pair_raw if p.a in by_id and p.b in by_id
    )
    groups_map: dict[int, list[ArticleView]] = defaultdict(list)
    for v in articles:
        groups_map[v.group].append(v)

    statuses: dict[str, AnalysisStatus] = {a.name: a for a in report.analyses}
    sections = {
        "claims": _section("claims", statuses, bool(report.claims)),
        "provenance": _section("provenance", statuses, bool(report.provenance.pairs)),
        "contradictions": _section("contradictions", statuses, bool(contradictions)),
        "quotes": _section("quotes", statuses, bool(quotes)),
        "framing": _section("framing", statuses, bool(framing)),
        "summary": _section("summary", statuses, bool(summary)),
    }
    failed = tuple((i.source, i.status, i.message or i.code or "") for i in report.inputs if i.status != "ok")
    return ReportView(
        report=report,
        title=report.story.title or report.story.id,
        articles=articles,
        by_id=by_id,
        targets=targets.items,
        claim_keys=claim_keys,
        claims_multi=tuple(r for r in rows if not r.claim.single_source),
        claims_single=tuple(r for r in rows if r.claim.single_source),
        contradictions=contradictions,
        quotes=tuple(quotes),
        framing=tuple(framing),
        labels=labels,
        summary=summary,
        pairs=pairs,
        groups=tuple(tuple(g) for g in groups_map.values()),
        graph=provenance_graph([(v.article.id, v.article.outlet, v.tint, v.number) for v in articles],
                               [(p.a.article.id, p.b.article.id, p.relation, p.direction, p.reuse, p.key)
                                for p in pairs]),
        sections=sections,
        failed_inputs=failed,
        ok_inputs=sum(1 for i in report.inputs if i.status == "ok"),
    )
