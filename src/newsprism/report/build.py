"""Turn a Story (articles + annotations) and the analyses' results into a :class:`Report`.

Conversion only: no analysis happens here.

>>> from newsprism.model import Article, Story
>>> a = Article.create(id="a", outlet="Example", text="One sentence.")
>>> r = build_report(Story(id="s", articles=(a,)))
>>> r.story.articles[0].outlet, [x.status for x in r.analyses][:1]
('Example', ['not_implemented'])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import get_args

from newsprism import __version__
from newsprism.analysis.brief import Brief
from newsprism.analysis.claims import ClaimAnalysis
from newsprism.analysis.claims.matrix import ClaimRow
from newsprism.analysis.contradictions.detect import ContradictionRow
from newsprism.analysis.framing.profile import FramingAnalysis
from newsprism.analysis.quotes.compare import QuoteGroup
from newsprism.model import Annotation, Article, Span, Story
from newsprism.report.schema import (
    ActorLabelsOut,
    AnalysisName,
    AnalysisStatus,
    ArticleAnnotations,
    ArticleOut,
    ArtifactOut,
    Claim,
    ClaimSupport,
    Contradiction,
    Coverage,
    DroppedOut,
    EntityOut,
    EvidencePair,
    Framing,
    InputOut,
    LabelOut,
    LabelWording,
    OpinionOut,
    Provenance,
    ProvenancePair,
    QuantityOut,
    Quote,
    QuoteOccurrence,
    Report,
    SentenceOut,
    SingleSourceOut,
    SpanOut,
    StoryOut,
    SummaryInfo,
    SummarySentence,
    Voice,
)
from newsprism.report.schema import ContradictionSide as ContradictionSideOut
from newsprism.report.schema import LoadedSpan as LoadedSpanOut

ANALYSES: tuple[str, ...] = get_args(AnalysisName)


def span_out(span: Span) -> SpanOut:
    return SpanOut(article=span.article_id, start=span.start, end=span.end, text=span.text)


def _article_out(a: Article) -> ArticleOut:
    return ArticleOut(
        id=a.id, outlet=a.outlet, title=a.title, url=a.url, published=a.published,
        author=a.author, source=a.source, text=a.text,
    )


def _annotations_out(article: Article, ann: Annotation) -> ArticleAnnotations:
    return ArticleAnnotations(
        article=article.id,
        sentences=[SentenceOut(span=span_out(article.span(s.start, s.end)), artifact=s.artifact)
                   for s in ann.sentences],
        entities=[EntityOut(span=span_out(article.span(e.start, e.end)), label=e.label)
                  for e in ann.entities],
        quantities=[
            QuantityOut(span=span_out(article.span(q.start, q.end)), kind=q.kind, value=q.value,
                        value2=q.value2, unit=q.unit, iso=q.iso, approximate=q.approximate)
            for q in ann.quantities
        ],
    )


def summary_results(brief: Brief) -> dict[str, object]:
    """The report fields filled by the brief: summary sentences and what stands beneath them."""
    return {
        "summary": [
            SummarySentence(text=b.text, cites=list(b.cites), sources=list(b.sources),
                            spans=[span_out(s) for s in b.spans], single_source=b.single_source,
                            independent_sources=b.independent_sources,
                            details=[span_out(s) for s in b.details], disputed=list(b.disputed))
            for b in brief.sentences],
        "summary_info": SummaryInfo(
            mode=brief.mode, length=brief.length, words=brief.words, notes=list(brief.notes),
            single_source=[SingleSourceOut(claim=c.claim, text=c.text, spans=[span_out(s) for s in c.spans],
                                           sources=list(c.sources), why=c.why)
                           for c in brief.single_source_claims],
            dropped=[DroppedOut(text=d.text, cites=list(d.cites), reason=d.reason) for d in brief.dropped]),
    }


def quote_results(groups: Iterable[QuoteGroup]) -> dict[str, object]:
    """The report field filled by the quotes analysis: one ``Quote`` per group of occurrences."""
    return {"quotes": [
        Quote(id=g.id, speaker=g.speaker, text=g.text, occurrences=[
            QuoteOccurrence(span=span_out(o.span), direct=o.direct, speaker_as_written=o.speaker_as_written,
                            variant=o.variant, diff=o.diff)  # type: ignore[arg-type]
            for o in g.occurrences])
        for g in groups]}


def contradiction_results(rows: Sequence[ContradictionRow]) -> dict[str, object]:
    """The report field filled by the contradictions analysis."""
    return {"contradictions": [
        Contradiction(id=r.id, kind=r.kind, subject=r.subject, why=r.why, sides=[
            ContradictionSideOut(value=side.value, spans=[span_out(s) for s in side.spans],
                                 articles=list(side.articles))
            for side in r.sides])
        for r in rows]}


def framing_results(analysis: FramingAnalysis) -> dict[str, object]:
    """The report fields filled by the framing analysis: framing (per article) and labels."""
    rows = []
    for r in analysis.rows:
        c = r.components
        rows.append(Framing(
            article=r.article,
            loaded=[LoadedSpanOut(span=span_out(x.span), why=x.why, category=x.category, weight=x.weight)
                    for x in r.loaded],
            subjectivity=r.subjectivity, rank=r.rank,
            components={"loaded_per_100_words": round(c.loaded_per_100, 3),
                        "intensifiers_per_100_words": round(c.intensifiers_per_100, 3),
                        "unattributed_share": round(c.unattributed_share, 3),
                        "voice_imbalance": round(c.voice_imbalance, 3),
                        "quoted_share": round(c.quoted_share, 3),
                        **{f"adds_{k}": round(v, 4) for k, v in c.contributions}},
            explanation=c.explain(),
            unattributed=[OpinionOut(span=span_out(o.span), why=o.why) for o in r.unattributed],
            voices=[Voice(speaker=v.speaker, role=v.role, count=v.count, words=v.words, description=v.description)
                    for v in r.voices],
            voice_shares={k: round(v, 3) for k, v in r.voice_shares},
            missing_voices=list(r.missing_voices), omits=list(r.omits),
            labels=[LabelOut(actor=lb.actor, wording=lb.wording, loaded=lb.loaded,
                             spans=[span_out(s) for s in lb.spans]) for lb in r.labels],
        ))
    labels = [
        ActorLabelsOut(actor=a.actor, kind=a.kind, by_article={
            art: [LabelWording(wording=w, count=n, loaded=ld) for w, n, ld in ws]
            for art, ws in a.by_article().items()})
        for a in analysis.labels
    ]
    return {"framing": rows, "labels": labels}


def _support(claim: ClaimRow) -> list[ClaimSupport]:
    if claim.support:
        return [ClaimSupport(article=a, level=level, span=span_out(sp)) for a, level, sp in claim.support]
    first = {a: next(s for s in claim.spans if s.article_id == a) for a in claim.sources}
    return [ClaimSupport(article=a, level="states", span=span_out(sp)) for a, sp in first.items()]


def claim_results(analysis: ClaimAnalysis) -> dict[str, object]:
    """The report fields filled by the claim-matrix analysis: claims, provenance, coverage."""
    claims = [
        Claim(id=c.id, text=c.text, spans=[span_out(s) for s in c.spans], sources=list(c.sources),
              independent_sources=c.independent_sources, omitted_by=list(c.omitted_by),
              single_source=c.single_source, importance=c.importance,
              details=[span_out(s) for s in c.details], support=_support(c))
        for c in analysis.claims
    ]
    pairs = [
        ProvenancePair(a=p.a, b=p.b, relation=p.relation, reuse=p.reuse,  # type: ignore[arg-type]
                       verbatim=p.verbatim, paraphrase=p.paraphrase, order=p.order,
                       direction=p.direction,  # type: ignore[arg-type]
                       evidence=[EvidencePair(a=span_out(x), b=span_out(y)) for x, y in p.evidence])
        for p in analysis.provenance
    ]
    # each claim's articles filed in one pass, in claim order: not every claim asked about every
    # article (553,000 questions at 200 articles, issue 17)
    carries: dict[str, list[str]] = defaultdict(list)
    omits: dict[str, list[str]] = defaultdict(list)
    alone: dict[str, list[str]] = defaultdict(list)
    for c in analysis.claims:
        for a in dict.fromkeys(c.sources):
            carries[a].append(c.id)
        if not c.single_source:
            for a in dict.fromkeys(c.omitted_by):
                omits[a].append(c.id)
        if len(c.sources) == 1:
            alone[c.sources[0]].append(c.id)
    article_ids = [a for g in analysis.groups for a in g]
    coverage = [Coverage(article=a, carries=carries[a], omits=omits[a], single_source=alone[a])
                for a in sorted(article_ids)]
    return {"claims": claims, "provenance": Provenance(pairs=pairs, groups=[list(g) for g in analysis.groups]),
            "coverage": coverage}


def build_report(
    story: Story,
    *,
    results: Mapping[str, object] | None = None,
    done: Iterable[str] = (),
    inputs: Iterable[InputOut] = (),
    notes: Iterable[str] = (),
) -> Report:
    """Assemble the report. ``results`` maps report field names (``claims``, ``quotes``, ...)
    to their already-built values; analyses named in ``done`` are marked as run, the rest as
    not implemented, so readers never mistake an empty list for "none found"."""
    done = set(done)
    statuses = [
        AnalysisStatus(name=name, status="done") if name in done  # type: ignore[arg-type]
        else AnalysisStatus(name=name, status="not_implemented",  # type: ignore[arg-type]
                            note=f"the {name} analysis is not in this version of newsprism yet; "
                                 "the empty list means 'not computed', not 'none found'")
        for name in ANALYSES
    ]
    annotations = {a.article_id: a for a in story.annotations}
    models = sorted({a.embedder for a in story.annotations if a.embedder})
    return Report(
        generator=f"newsprism {__version__}" + (f" ({', '.join(models)})" if models else ""),
        story=StoryOut(id=story.id, title=story.title, articles=[_article_out(a) for a in story.articles]),
        artifacts=[
            ArtifactOut(span=span_out(a.span(x.start, x.end)), kind=x.kind, why=x.why)
            for a in story.articles for x in a.artifacts
        ],
        annotations=[_annotations_out(a, annotations[a.id]) for a in story.articles if a.id in annotations],
        analyses=statuses,
        inputs=list(inputs),
        notes=[*story.notes, *notes],
        **dict(results or {}),  # type: ignore[arg-type]
    )
