"""The report's factual sections as views: the brief, the contradictions and the claim matrix.

The claim matrix has a row per claim and a cell per article column: ``carried`` (the article
states it), ``contradicted`` (it states it, in a sentence a contradiction's side covers),
``omitted`` (the claims analysis found the article leaving it out) or ``absent``. A brief
sentence points at the sentences it rests on and cites its claims; a contradiction is one
target over all its sides and one per side.

Sections that need article views are built in two steps: ``add_…`` registers their targets
(before the articles are cut into segments), ``…_views`` builds the views afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from markupsafe import escape

from newsprism.report.html_model import ArticleView, CiteView, ClaimRow, ContradictionView, SideView, SummaryView
from newsprism.report.html_targets import Targets, overlaps, short
from newsprism.report.schema import Claim, Contradiction, ContradictionSide, SpanOut, SummarySentence

__all__ = ["PendingContradiction", "add_contradictions", "claim_rows", "contradiction_views", "summary_views"]

#: a contradiction with the key of all its sides and each side with its own key
PendingContradiction = tuple[Contradiction, str, list[tuple[ContradictionSide, str]]]


def summary_views(summary: Sequence[SummarySentence], claims_by_id: dict[str, Claim],
                  claim_keys: dict[str, str], targets: Targets,
                  contradictions: Sequence[Contradiction] = ()) -> tuple[SummaryView, ...]:
    """The brief's sentences, each a target over the sentences it rests on, with its claim citations
    and, for each contradiction touching it, what the outlets disagree on ("$4.8 million vs $8.4 million")."""
    versus = {x.id: short(" vs ".join(sd.value for sd in x.sides), 80) for x in contradictions}
    return tuple(
        SummaryView(
            text=s.text,
            # the sentences it rests on, one per cited article (its claims' other members are the [c] links)
            key=targets.add(s.text, s.spans or [sp for cid in s.cites if cid in claims_by_id
                                                for sp in claims_by_id[cid].spans]),
            cites=tuple(CiteView(cid, claim_keys.get(cid), short(claims_by_id[cid].text, 200)
                                 if cid in claims_by_id else "unknown claim") for cid in s.cites),
            sources=tuple(s.sources),
            single_source=s.single_source,
            disputed=tuple((xid, versus.get(xid, "outlets disagree")) for xid in s.disputed),
            independent=s.independent_sources,
        )
        for s in summary
    )


def add_contradictions(contradictions: Sequence[Contradiction], targets: Targets) -> list[PendingContradiction]:
    """Register each contradiction's targets: all its sides at once, then each side."""
    pending = []
    for x in contradictions:
        all_key = targets.add(f"{x.subject}: " + " vs ".join(sd.value for sd in x.sides),
                              [sp for sd in x.sides for sp in sd.spans])
        sides = [(sd, targets.add(f"{x.subject}: {sd.value}", sd.spans)) for sd in x.sides]
        pending.append((x, all_key, sides))
    return pending


def contradiction_views(pending: Sequence[PendingContradiction],
                        by_id: dict[str, ArticleView]) -> tuple[ContradictionView, ...]:
    """Each contradiction's sides with the articles their spans are in (spans of unknown articles dropped)."""
    return tuple(
        ContradictionView(x, key, tuple(
            SideView(sd.value, skey, tuple((by_id[sp.article], sp) for sp in sd.spans if sp.article in by_id))
            for sd, skey in sides))
        for x, key, sides in pending
    )


def _minority_sides(x: Contradiction) -> list[ContradictionSide]:
    """The sides of a contradiction other than a clear majority side (sides come majority first)."""
    def size(side: ContradictionSide) -> int:
        return len(side.articles) or len({sp.article for sp in side.spans})

    sizes = [size(sd) for sd in x.sides]
    if len(sizes) > 1 and sizes[0] > max(sizes[1:]):
        return list(x.sides[1:])
    return list(x.sides)


def claim_rows(claims: Sequence[Claim], contradictions: Sequence[Contradiction], articles: Sequence[ArticleView],
               claim_keys: dict[str, str]) -> list[ClaimRow]:
    """The claim matrix: per claim, carried / partial / omitted / contradicted / absent per article column
    (partial, and contradicted without a contradiction row, come from the support judge's levels),
    and the ids of the contradictions touching it."""
    # contradiction spans by article, so a claim looks only at those in its own articles
    contra_spans: dict[str, list[tuple[str, SpanOut]]] = defaultdict(list)
    for x in contradictions:
        for sd in x.sides:
            for sp in sd.spans:
                contra_spans[sp.article].append((x.id, sp))
    # ≠ marks the articles that differ from the others, not the majority: an outlier side only when
    # one side is taken by more articles than any other (on a tie, every side differs)
    minority_spans: dict[str, list[SpanOut]] = defaultdict(list)
    for x in contradictions:
        for sd in _minority_sides(x):
            for sp in sd.spans:
                minority_spans[sp.article].append(sp)
    column = {v.article.id: k for k, v in enumerate(articles)}
    cell_html = tuple(_Cells(v) for v in articles)  # per column: its cell's HTML by state, built on first use
    rows: list[ClaimRow] = []
    for c in claims:
        touching = sorted({xid for cs in c.spans for xid, xs in contra_spans.get(cs.article, ()) if overlaps(xs, cs)})
        # Only the columns the claim names differ from "absent": set those, weakest rule first, so a
        # row costs its own articles plus one list, not a test per column (the precedence is: stated
        # by the article > judged partial / contradicting > left out > absent).
        cells = ["absent"] * len(articles)
        for aid in c.omitted_by:
            if aid in column:
                cells[column[aid]] = "omitted"
        sources = set(c.sources)
        level = {s.article: s.level for s in c.support}  # the last judgement of an article counts
        for aid, lv in level.items():
            if aid in column and aid not in sources and lv in ("partial", "contradicts"):
                cells[column[aid]] = "partial" if lv == "partial" else "contradicted"
        for aid in sources:
            if aid in column:
                mine = [s for s in c.spans if s.article == aid]
                hit = any(overlaps(xs, s) for s in mine for xs in minority_spans.get(aid, ()))
                cells[column[aid]] = "contradicted" if hit else "carried"
        # the row's HTML is joined from cell_html as the template writes it (ClaimRow.cells_html)
        rows.append(ClaimRow(c, claim_keys[c.id], tuple(cells), tuple(touching), len(rows), cell_html))
    return rows


_CELL_TITLE = {"carried": "carries it", "partial": "states part of it", "omitted": "leaves it out",
               "contradicted": "carries it, with a contradicting detail", "absent": "does not carry it"}
_CELL_MARK = {"carried": "●", "partial": "◐", "omitted": "○", "contradicted": "≠", "absent": ""}


class _Cells(dict[str, str]):
    """One matrix column's cell HTML by state (escaped as the template would), each built on first use."""

    def __init__(self, article: ArticleView) -> None:
        super().__init__()
        self.article = article

    def __missing__(self, state: str) -> str:
        a = self.article
        tint = a.tint if state in ("carried", "contradicted") else ""
        html = (f'        <td class="np-cell np-{escape(state)} {escape(tint)}" '
                f'title="{escape(a.number)}. {escape(a.article.outlet)}: {escape(_CELL_TITLE[state])}">\n'
                f'          <span aria-hidden="true">{escape(_CELL_MARK[state])}</span>'
                f'<span class="np-sr">{escape(state)}</span></td>\n')
        self[state] = html
        return html
