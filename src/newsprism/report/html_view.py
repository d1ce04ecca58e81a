"""Build the report's view model (:class:`~newsprism.report.html_model.ReportView`): what the
templates show, computed once in Python, pure and without I/O.

The articles are ordered by provenance group (copies side by side) and tinted by group. Every
highlight target is registered first, in a fixed order (claims, brief, contradictions, quotes,
framing, provenance evidence), so that each article can then be cut into segments
(:mod:`newsprism.report.html_targets`); the views that point at articles come last. The
sections themselves are built in :mod:`~newsprism.report.html_claims` and
:mod:`~newsprism.report.html_wording`; the provenance pairs, groups and graph here.

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
from collections.abc import Sequence

from newsprism.report.html_claims import add_contradictions, claim_rows, contradiction_views, summary_views
from newsprism.report.html_graph import provenance_graph
from newsprism.report.html_model import ArticleView, PairView, ReportView, SectionState
from newsprism.report.html_targets import Targets, artifact_spans, segments
from newsprism.report.html_wording import add_framing, add_quotes, framing_views, label_views, quote_views
from newsprism.report.schema import AnalysisStatus, ArticleOut, ProvenancePair, Report

__all__ = ["GRAPH_ALL_PAIRS", "build_view", "graph_pairs"]

#: how many tints the independent-source groups cycle through (CSS classes g0..g7)
GROUP_TINTS = 8


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


def _tints(ordered: Sequence[ArticleOut], group_of: dict[str, int]) -> dict[int, str]:
    """Each group's CSS class: g0..g7 in turn for groups of two or more, ``gs`` for a lone article."""
    group_sizes: dict[int, int] = defaultdict(int)
    for a in ordered:
        group_sizes[group_of[a.id]] += 1
    tints: dict[int, str] = {}
    for a in ordered:
        g = group_of[a.id]
        if g not in tints:
            multi = sum(1 for t in tints.values() if t != "gs")
            tints[g] = f"g{multi % GROUP_TINTS}" if group_sizes[g] > 1 else "gs"
    return tints


def _add_pairs(pairs: Sequence[ProvenancePair], targets: Targets) -> list[tuple[ProvenancePair, str | None]]:
    """The pairs that are not independent, each with a target over its evidence when it has some."""
    pending = []
    for p in pairs:
        if p.relation == "independent":
            continue
        key = None
        if p.evidence:
            key = targets.add(f"{p.relation}: {p.a} / {p.b}", [s for e in p.evidence for s in (e.a, e.b)])
        pending.append((p, key))
    return pending


#: above this many linked pairs the graph draws each article's strongest link only (the table keeps them all)
GRAPH_ALL_PAIRS = 24


def graph_pairs(pairs: Sequence[PairView]) -> tuple[PairView, ...]:
    """The pairs the provenance graph draws: all of them when few; else, per later article, the pair with
    the most reuse, so twenty copies of one wire story draw a fan of twenty arrows, not 190 crossing lines."""
    if len(pairs) <= GRAPH_ALL_PAIRS:
        return tuple(pairs)
    best: dict[str, PairView] = {}
    for p in pairs:
        later = p.a if p.direction == "b->a" else p.b
        held = best.get(later.article.id)
        if held is None or p.reuse > held.reuse:
            best[later.article.id] = p
    return tuple(p for p in pairs if any(p is q for q in best.values()))


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


def build_view(report: Report) -> ReportView:
    """Precompute everything the HTML templates show for ``report`` (pure; no I/O)."""
    texts = {a.id: a.text for a in report.story.articles}
    ordered, group_of = _order(report)
    tints = _tints(ordered, group_of)

    # Articles need their segments, which need every target first: register them all, in this order.
    targets = Targets(texts)
    claim_keys = {c.id: targets.add(c.text, c.spans) for c in report.claims}
    claims_by_id = {c.id: c for c in report.claims}
    summary = summary_views(report.summary, claims_by_id, claim_keys, targets, report.contradictions)
    contra_pending = add_contradictions(report.contradictions, targets)
    quote_pending = add_quotes(report.quotes, targets)
    framing_pending = add_framing(report.framing, targets)
    pair_pending = _add_pairs(report.provenance.pairs, targets)

    artifacts = artifact_spans(report.artifacts, texts)
    articles = tuple(
        ArticleView(
            number=k, article=a, group=group_of[a.id], tint=tints[group_of[a.id]],
            segments=segments(a, targets.by_article.get(a.id, []), artifacts.get(a.id, [])),
            words=len(a.text.split()), artifacts=len(artifacts.get(a.id, [])),
        )
        for k, a in enumerate(ordered, 1)
    )
    by_id = {v.article.id: v for v in articles}

    rows = claim_rows(report.claims, report.contradictions, articles, claim_keys)
    contradictions = contradiction_views(contra_pending, by_id)
    quotes = quote_views(quote_pending, by_id)
    framing = framing_views(framing_pending, by_id, len(articles), artifacts, claim_keys, claims_by_id, texts)
    labels = label_views(report.labels, articles)
    pairs = tuple(
        PairView(by_id[p.a], by_id[p.b], p.relation, p.direction, p.reuse, p.verbatim, p.paraphrase,
                 p.order, key)
        for p, key in pair_pending if p.a in by_id and p.b in by_id
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
        quotes=quotes,
        framing=framing,
        labels=labels,
        summary=summary,
        pairs=pairs,
        groups=tuple(tuple(g) for g in groups_map.values()),
        graph=provenance_graph([(v.article.id, v.article.outlet, v.tint, v.number) for v in articles],
                               [(p.a.article.id, p.b.article.id, p.relation, p.direction, p.reuse, p.key)
                                for p in graph_pairs(pairs)]),
        sections=sections,
        failed_inputs=failed,
        ok_inputs=sum(1 for i in report.inputs if i.status == "ok"),
    )
