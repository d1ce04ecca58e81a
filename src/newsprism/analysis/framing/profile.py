"""Framing per article: loaded language, unattributed opinion, whose voices are heard, how actors
are named, and what the article leaves out; summed up in a subjectivity score explained by spans.

Outlet-level bias labels say nothing about one article. Here every finding is a Span in the
article, with the reason it was flagged, and the score is built from parts the reader can check:

==========================  ==================================================================
component                   what it measures
==========================  ==================================================================
``loaded_per_100``          weight of loaded spans per 100 of the outlet's own words (outside
                            quotes): loaded words, phrases, labels, presupposing verbs 1.0,
                            strong sentiment words 0.5–1, intensifier phrases 0.5
``unattributed_share``      share of content sentences that judge with no source named
``intensifiers_per_100``    intensifier phrases per 100 own words
``voice_imbalance``         distance of the article's quoted-word mix by role from the rest of
                            the story's (total variation, 0..1)
==========================  ==================================================================

``subjectivity = 0.5·L/(L+2) + 0.3·U/(U+0.15) + 0.1·I/(I+1) + 0.1·V`` (0 = plain report, 1 =
saturated on every part). Omitted claims and missing counter-voices are reported next to it but do
not enter the score: leaving a fact out is a choice to show, not a tone to measure.

>>> from newsprism.model import Story
>>> analyze_framing(Story(id="empty", articles=()), None)
()
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsprism.analysis.framing.labels import ActorLabels, actor_labels
from newsprism.analysis.framing.lexicon import load_lexicon
from newsprism.analysis.framing.loaded import LoadedHit, find_loaded
from newsprism.analysis.framing.opinion import unattributed_opinions
from newsprism.analysis.framing.voices import (
    VoiceInput,
    VoiceRow,
    derive_voices,
    missing_roles,
    role_shares,
    voice_imbalance,
    voice_rows,
)
from newsprism.model import Article, Span, Story
from newsprism.text.quoted import QuotedRegions, quoted_regions

__all__ = [
    "ArticleLabel",
    "Components",
    "FramingAnalysis",
    "FramingRow",
    "LoadedSpan",
    "OpinionSpan",
    "analyze_framing",
    "analyze_framing_full",
    "subjectivity_score",
]

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
DEFAULT = "default"  # analyze_framing(embedder=DEFAULT): the pipeline's MiniLM embedder for labels


@dataclass(frozen=True, slots=True)
class LoadedSpan:
    span: Span
    why: str
    category: str  # presupposing | loaded_verb | loaded_word | loaded_phrase | actor_label | sentiment | intensifier
    weight: float


@dataclass(frozen=True, slots=True)
class OpinionSpan:
    span: Span
    why: str
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArticleLabel:
    """This article's wording for an actor that other articles name differently."""

    actor: str
    wording: str
    spans: tuple[Span, ...]
    loaded: bool


@dataclass(frozen=True)
class Components:
    """The parts of the subjectivity score, each with the count it rests on."""

    words: int  # all words of the article (artifacts excluded)
    own_words: int  # words outside quotation marks
    loaded_weight: float
    loaded_per_100: float
    intensifiers: int
    intensifiers_per_100: float
    presupposing: int
    sentences: int
    unattributed: int
    unattributed_share: float
    voice_imbalance: float
    quoted_share: float  # share of the words that are quotations
    omitted_claims: int
    missing_voices: int
    contributions: tuple[tuple[str, float], ...] = ()

    def explain(self) -> str:
        """One line a reader can check: each part, its value and what it adds to the score."""
        parts = dict(self.contributions)
        return (f"loaded {self.loaded_per_100:.2f}/100 words (+{parts.get('loaded', 0):.3f}); "
                f"unattributed opinion {self.unattributed}/{self.sentences} sentences "
                f"(+{parts.get('unattributed', 0):.3f}); intensifiers {self.intensifiers_per_100:.2f}/100 words "
                f"(+{parts.get('intensifiers', 0):.3f}); voice imbalance {self.voice_imbalance:.2f} "
                f"(+{parts.get('voices', 0):.3f})")


@dataclass(frozen=True)
class FramingRow:
    """One article's framing. Maps onto the report's ``Framing`` (article, loaded [{span, why}],
    subjectivity, voices [{speaker, role, count}], omits [claim ids]) plus the extra fields."""

    article: str
    loaded: tuple[LoadedSpan, ...]
    subjectivity: float
    components: Components
    unattributed: tuple[OpinionSpan, ...] = ()
    voices: tuple[VoiceRow, ...] = ()
    voice_shares: tuple[tuple[str, float], ...] = ()  # role -> share of quoted words
    omits: tuple[str, ...] = ()  # claim ids: multi-source claims this article leaves out
    missing_voices: tuple[str, ...] = ()  # roles quoted elsewhere in the story, never here
    labels: tuple[ArticleLabel, ...] = ()
    rank: int = 0  # 1 = most neutral article of the story
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class FramingAnalysis:
    rows: tuple[FramingRow, ...]
    labels: tuple[ActorLabels, ...]  # the story-level word-choice table


def _sat(x: float, k: float) -> float:
    return x / (x + k) if x > 0 else 0.0


def subjectivity_score(loaded_per_100: float, unattributed_share: float, intensifiers_per_100: float,
                       imbalance: float) -> tuple[float, tuple[tuple[str, float], ...]]:
    """The score and what each part adds to it.

    >>> subjectivity_score(0.0, 0.0, 0.0, 0.0)[0]
    0.0
    >>> subjectivity_score(2.0, 0.15, 1.0, 0.0)[0]
    0.45
    """
    parts = (("loaded", 0.5 * _sat(loaded_per_100, 2.0)), ("unattributed", 0.3 * _sat(unattributed_share, 0.15)),
             ("intensifiers", 0.1 * _sat(intensifiers_per_100, 1.0)), ("voices", 0.1 * imbalance))
    rounded = tuple((k, round(v, 4)) for k, v in parts)
    return round(sum(v for _, v in parts), 3), rounded


def _doc_of(story: Story, article: Article) -> Any:
    try:
        ann = story.annotation(article.id)
    except KeyError:
        ann = None
    if ann is not None and ann.doc is not None:
        return ann.doc, [(s.start, s.end) for s in ann.sentences if not s.artifact]
    from newsprism.nlp.spacy_pipeline import load

    doc = load()(article.text)
    sents = [(s.start_char, s.end_char) for s in doc.sents
             if not article.is_artifact(s.start_char, s.end_char) and s.text.strip()]
    return doc, sents


def _count_words(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


def _resolve_embedder(embedder: Any) -> Any:
    if isinstance(embedder, str) and embedder == DEFAULT:
        from newsprism.nlp.embeddings import get_embedder

        return get_embedder()
    return embedder


def analyze_framing_full(story: Story, claims: Any = None,
                         voices_input: Mapping[str, Sequence[VoiceInput]] | None = None, *,
                         embedder: Any = DEFAULT) -> FramingAnalysis:
    """Framing rows for every article of ``story`` and the story's word-choice (labels) table.

    ``claims`` is the story's ``ClaimAnalysis`` (for omissions; None skips them). ``voices_input``
    maps article id -> quoted speakers (from a quote module); articles without an entry get
    :func:`~newsprism.analysis.framing.voices.derive_voices`. ``embedder`` merges unnamed-group labels by
    meaning (None: by head noun only).
    """
    lex = load_lexicon()
    if not story.articles:
        return FramingAnalysis((), ())
    per: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    docs: dict[str, Any] = {}
    quoted_by: dict[str, QuotedRegions] = {}
    for article in story.articles:
        doc, sents = _doc_of(story, article)
        text = article.text
        quoted = QuotedRegions(quoted_regions(text, article.paragraphs or None))
        skip = [(a.start, a.end) for a in article.artifacts]
        found = find_loaded(text, doc, quoted=quoted, skip=skip, lexicon=lex)
        opinions = unattributed_opinions(text, doc, sents, loaded=found, quoted=quoted, lexicon=lex)
        if voices_input is not None and article.id in voices_input:
            vin = tuple(voices_input[article.id])
        else:
            vin = derive_voices(text, doc, quoted)
        rows = voice_rows(vin)
        words = sum(_count_words(text, s, e) for s, e in sents)
        quoted_words = sum(_count_words(text, max(s, qs), min(e, qe))
                           for s, e in sents for qs, qe in quoted.regions if qs < e and s < qe)
        per[article.id] = dict(article=article, hits=found, opinions=opinions, voices=rows,
                               shares=role_shares(rows), words=words, quoted_words=quoted_words, sents=len(sents))
        texts[article.id], docs[article.id], quoted_by[article.id] = text, doc, quoted

    labels = actor_labels(texts, docs, embedder=_resolve_embedder(embedder), quoted=quoted_by, lexicon=lex)
    label_rows: dict[str, list[ArticleLabel]] = {a: [] for a in texts}
    for actor in labels:
        for aid, wordings in actor.by_article().items():
            article = story.article(aid)
            for wording, _n, loaded in wordings:
                # a mention written as a bare determiner ("the") has an empty wording: no word to
                # find, so no span (it crashed on a 200-article BASIL story, issue 17)
                last = wording.split()[-1] if wording.split() else None
                spans = () if last is None else tuple(
                    article.span(m.start, m.end) for m in actor.mentions
                    if m.article_id == aid and m.text.lower().strip(" ,.;:").endswith(last))
                label_rows[aid].append(ArticleLabel(actor.actor, wording, spans, loaded))

    omits: dict[str, list[str]] = {a: [] for a in texts}
    if claims is not None:
        for c in claims.claims:
            if not c.single_source:
                for aid in c.omitted_by:
                    if aid in omits:
                        omits[aid].append(c.id)

    out: list[FramingRow] = []
    for aid, d in per.items():
        article = d["article"]
        hits: tuple[LoadedHit, ...] = d["hits"]
        own = max(1, d["words"] - d["quoted_words"])
        weight = sum(h.weight for h in hits)
        intens = sum(1 for h in hits if h.category == "intensifier")
        others = [p["shares"] for k, p in per.items() if k != aid and p["shares"]]
        pooled: dict[str, float] = {}
        for k, p in per.items():
            if k != aid:
                for r in p["voices"]:
                    pooled[r.role] = pooled.get(r.role, 0.0) + max(1, r.words)
        total = sum(pooled.values())
        reference = {r: v / total for r, v in pooled.items()} if total else {}
        imbalance = voice_imbalance(d["shares"], reference)
        missing = missing_roles(d["shares"], others)
        loaded_rate = 100.0 * weight / own
        intens_rate = 100.0 * intens / own
        unattr_share = len(d["opinions"]) / max(1, d["sents"])
        score, parts = subjectivity_score(loaded_rate, unattr_share, intens_rate, imbalance)
        comps = Components(
            words=d["words"], own_words=own, loaded_weight=round(weight, 3), loaded_per_100=round(loaded_rate, 3),
            intensifiers=intens, intensifiers_per_100=round(intens_rate, 3),
            presupposing=sum(1 for h in hits if h.category == "presupposing"), sentences=d["sents"],
            unattributed=len(d["opinions"]), unattributed_share=round(unattr_share, 4),
            voice_imbalance=imbalance, quoted_share=round(d["quoted_words"] / max(1, d["words"]), 4),
            omitted_claims=len(omits[aid]), missing_voices=len(missing), contributions=parts)
        notes: tuple[str, ...] = ()
        if not d["voices"]:
            notes = ("no quoted speaker found: voice balance not measured",)
        out.append(FramingRow(
            article=aid,
            loaded=tuple(LoadedSpan(article.span(h.start, h.end), h.why, h.category, h.weight) for h in hits),
            subjectivity=score, components=comps,
            unattributed=tuple(OpinionSpan(article.span(o.start, o.end), o.why, o.cues) for o in d["opinions"]),
            voices=d["voices"], voice_shares=tuple(d["shares"].items()), omits=tuple(omits[aid]),
            missing_voices=missing, labels=tuple(label_rows[aid]), notes=notes))
    order = sorted(out, key=lambda r: (r.subjectivity, r.article))
    rank = {r.article: k + 1 for k, r in enumerate(order)}
    return FramingAnalysis(tuple(_with_rank(r, rank[r.article]) for r in out), labels)


def _with_rank(row: FramingRow, rank: int) -> FramingRow:
    from dataclasses import replace

    return replace(row, rank=rank)


def analyze_framing(story: Story, claims: Any = None,
                    voices_input: Mapping[str, Sequence[VoiceInput]] | None = None, *,
                    embedder: Any = DEFAULT) -> tuple[FramingRow, ...]:
    """One FramingRow per article of ``story``, in story order (see :func:`analyze_framing_full`)."""
    return analyze_framing_full(story, claims, voices_input, embedder=embedder).rows
