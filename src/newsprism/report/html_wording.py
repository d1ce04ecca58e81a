"""The report's wording sections as views: quotes, framing and actor labels.

A quote is one target over all its occurrences and one per occurrence; an occurrence that
is not verbatim carries its word diff against the quote. A framing card places each loaded
phrase and non-article line along a bar (positions and widths in per mille of the article),
and the cards are ordered by their framing rank. Actor labels give, per article column, the
wordings that article uses for the actor.

Like the factual sections, quotes and framing are built in two steps: ``add_…`` registers
their targets, ``…_views`` builds the views once the article views exist.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup, escape

from newsprism.report.html_diff import word_diff
from newsprism.report.html_model import (
    ActorLabelsView,
    ArticleView,
    FramingView,
    LoadedView,
    OccurrenceView,
    OpinionView,
    QuoteView,
    WordingView,
)
from newsprism.report.html_targets import Targets, short, valid
from newsprism.report.schema import (
    ActorLabelsOut,
    Claim,
    Framing,
    LabelWording,
    LoadedSpan,
    Quote,
    QuoteOccurrence,
    SpanOut,
)

__all__ = [
    "PendingFraming",
    "PendingQuote",
    "add_framing",
    "add_quotes",
    "clean_wordings",
    "framing_views",
    "label_views",
    "quote_views",
]

#: a quote with the key of all its occurrences and each occurrence with its own key
PendingQuote = tuple[Quote, str, list[tuple[QuoteOccurrence, str]]]
#: an article's framing with its loaded phrases' keys and its unattributed opinions' views
PendingFraming = tuple[Framing, list[tuple[LoadedSpan, str]], list[OpinionView]]


def add_quotes(quotes: Sequence[Quote], targets: Targets) -> list[PendingQuote]:
    """Register each quote's targets: all its occurrences at once, then each occurrence."""
    pending = []
    for q in quotes:
        qkey = targets.add(f"“{q.text}”" + (f" — {q.speaker}" if q.speaker else ""), [o.span for o in q.occurrences])
        occ = [(o, targets.add(f"“{o.span.text}” ({o.variant})", [o.span])) for o in q.occurrences]
        pending.append((q, qkey, occ))
    return pending


def quote_views(pending: Sequence[PendingQuote], by_id: dict[str, ArticleView]) -> tuple[QuoteView, ...]:
    """Each quote with its occurrences in known articles, the non-verbatim ones with their word diff."""
    quotes = []
    for q, qkey, occ in pending:
        occ_views = tuple(
            OccurrenceView(
                article=by_id[o.span.article], key=okey, span=o.span, direct=o.direct,
                speaker_as_written=o.speaker_as_written, variant=o.variant,
                # a word diff says something only where the words inside the quote marks were changed;
                # against a paraphrase, a trim or an extension it is a wall of strike-through
                diff=tuple(word_diff(q.text, o.span.text)) if o.variant == "altered" else (),
                note=o.diff,
            )
            for o, okey in occ if o.span.article in by_id
        )
        variants = tuple(sorted({o.variant for o in q.occurrences}))
        quotes.append(QuoteView(q, qkey, occ_views, variants))
    return tuple(quotes)


def add_framing(framing: Sequence[Framing], targets: Targets) -> list[PendingFraming]:
    """Register each article's loaded phrases, then its unattributed opinions that fit its text."""
    pending = []
    for f in framing:
        loaded = [(ld, targets.add(f"{ld.span.text} — {ld.why}", [ld.span])) for ld in f.loaded]
        opinions = [OpinionView(targets.add(f"{o.span.text} — {o.why}", [o.span]), o.span, o.why)
                    for o in f.unattributed if valid(o.span, targets.texts)]
        pending.append((f, loaded, opinions))
    return pending


def framing_views(pending: Sequence[PendingFraming], by_id: dict[str, ArticleView], n_articles: int,
                  artifacts: dict[str, list[tuple[SpanOut, str, str]]], claim_keys: dict[str, str],
                  claims_by_id: dict[str, Claim], texts: dict[str, str]) -> tuple[FramingView, ...]:
    """A framing card per known article, ranked ones first (then in article order)."""
    framing = []
    # an omitted claim as (id, key, text) and as its <li> item, built once however many cards list it
    omitted: dict[str, tuple[tuple[str, str, str], str]] = {}
    for f, loaded, opinions in pending:
        if f.article not in by_id:
            continue
        omits = [_omitted(omitted, cid, claim_keys, claims_by_id) for cid in f.omits if cid in claims_by_id]
        length = max(1, len(texts[f.article]))
        framing.append(FramingView(
            article=by_id[f.article],
            subjectivity=max(0.0, min(1.0, f.subjectivity)),
            loaded=tuple(LoadedView(k, ld.span, ld.why, 1000 * ld.span.start / length,
                                    max(6.0, 1000 * (ld.span.end - ld.span.start) / length), ld.category)
                         for ld, k in loaded if valid(ld.span, texts)),
            rank=f.rank,
            explanation=f.explanation,
            unattributed=tuple(opinions),
            missing_voices=tuple(f.missing_voices),
            voices=tuple((v.speaker, v.role, v.count) for v in f.voices),
            omits=tuple(item for item, _ in omits),
            omits_items=tuple(html for _, html in omits),
            artifacts=tuple((1000 * s.start / length, max(3.0, 1000 * (s.end - s.start) / length), kind)
                            for s, kind, _ in artifacts.get(f.article, [])),
        ))
    framing.sort(key=lambda fv: (fv.rank or n_articles + 1, fv.article.number))
    return tuple(framing)


#: a title's abbreviation left at the end of a wording ("county engineer dr" from "County Engineer Dr. Achterberg")
_TRAILING_TITLE = re.compile(r"\s+(?:dr|mr|mrs|ms|mx|prof|rev|sen|rep|gov|gen|lt|sgt|capt|col|supt|insp)\.?$",
                             re.IGNORECASE)


def clean_wordings(wordings: Sequence[LabelWording]) -> tuple[tuple[str, int, bool], ...]:
    """(wording, count, loaded) with a trailing title abbreviation dropped and the wordings that
    then coincide merged, so that "county engineer dr" and "county engineer" are one wording.

    >>> clean_wordings([LabelWording(wording="county engineer dr", count=2),
    ...                 LabelWording(wording="county engineer", count=1)])
    (('county engineer', 3, False),)
    """
    merged: dict[str, list[int | bool]] = {}
    for w in wordings:
        text = _TRAILING_TITLE.sub("", w.wording.strip()) or w.wording
        count, loaded = merged.get(text, [0, False])
        merged[text] = [int(count) + w.count, bool(loaded) or w.loaded]
    return tuple((text, int(count), bool(loaded)) for text, (count, loaded) in merged.items())


def label_views(labels: Sequence[ActorLabelsOut], articles: Sequence[ArticleView]) -> tuple[ActorLabelsView, ...]:
    """Per actor, the wordings each article column uses, and whether they differ."""
    views = []
    for lab in labels:
        cells = tuple(WordingView(clean_wordings(lab.by_article.get(v.article.id, []))) for v in articles)
        views.append(ActorLabelsView(actor=lab.actor, kind=lab.kind, cells=cells,
                                     varies=len({w for c in cells for w, _, _ in c.wordings}) > 1,
                                     cells_html=Markup("".join([_wording_cell(c) for c in cells]))))
    return tuple(views)


_NO_WORDING = '<td><span class="np-small">—</span></td>'


def _wording_cell(cell: WordingView) -> str:
    """One word-choice cell as HTML, escaped as the template would (most cells are empty: one constant)."""
    if not cell.wordings:
        return _NO_WORDING
    parts = []
    for wording, count, loaded in cell.wordings:
        parts.append(f'<span class="{"np-loaded-word" if loaded else ""}">{escape(wording)}</span>'
                     + (f' <span class="np-small">×{escape(count)}</span>' if count > 1 else ""))
    return "<td>" + "; ".join(parts) + "</td>"


def _omitted(cache: dict[str, tuple[tuple[str, str, str], str]], cid: str, claim_keys: dict[str, str],
             claims_by_id: dict[str, Claim]) -> tuple[tuple[str, str, str], str]:
    """A claim a framing card lists as left out: (id, key, text) and its ``<li>`` as the template's
    ``hl`` macro writes it (class ``np-claim``, the text as label and content)."""
    got = cache.get(cid)
    if got is None:
        key, text = claim_keys[cid], short(claims_by_id[cid].text, 160)
        got = ((cid, key, text),
               f'<li><button type="button" class="np-hlb np-claim" data-hl="{escape(key)}" '
               f'data-label="{escape(text)}" aria-pressed="false">{escape(text)}</button></li>')
        cache[cid] = got
    return got
