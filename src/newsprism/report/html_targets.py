"""Targets and segments: how the report keys its highlights and cuts article text for them.

Every clickable thing in the report (a claim, a brief sentence, a quote or one of its
occurrences, a contradiction side, a loaded phrase, a provenance pair's evidence) is a
*target*: a short key (``t12``) and the spans it points at. Each article's text is cut at
every span boundary into *segments*; a segment lists the keys of the targets covering it,
so the browser highlights a target with one selector (``[data-t~="t12"]``) and the page
needs no offsets arithmetic in JavaScript.

>>> from newsprism.report.schema import ArticleOut
>>> art = ArticleOut(id="a", outlet="Example Post", text="The dam held. Water rose.")
>>> targets = Targets({"a": art.text})
>>> targets.add("Water rose.", [SpanOut(article="a", start=14, end=25, text="Water rose.")])
't1'
>>> [(s.text, s.keys) for s in segments(art, targets.by_article["a"], [])]
[('The dam held. ', ''), ('Water rose.', 't1')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from newsprism.report.html_model import Segment, Target
from newsprism.report.schema import ArticleOut, ArtifactOut, SpanOut

__all__ = ["Targets", "artifact_spans", "overlaps", "segments", "short", "valid"]


def valid(span: SpanOut, texts: dict[str, str]) -> bool:
    """Whether ``span`` lies inside the text of its article (``texts``: article id -> text)."""
    text = texts.get(span.article)
    return text is not None and 0 <= span.start <= span.end <= len(text)


def overlaps(a: SpanOut, b: SpanOut) -> bool:
    return a.article == b.article and a.start < b.end and b.start < a.end


def short(text: str, limit: int = 140) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Targets:
    """The report's targets, keyed ``t1``, ``t2``, … in the order they are added, and each
    article's keyed spans (what :func:`segments` cuts it by)."""

    texts: dict[str, str]  # article id -> text, to drop spans that do not fit
    items: dict[str, Target] = field(default_factory=dict)
    by_article: dict[str, list[tuple[str, SpanOut]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, label: str, spans: Iterable[SpanOut]) -> str:
        """A new target labelled ``label`` (shortened) over those of ``spans`` that fit; its key."""
        good = [s for s in spans if valid(s, self.texts)]
        key = f"t{len(self.items) + 1}"
        self.items[key] = Target(key, short(label), tuple(good))
        for s in good:
            self.by_article[s.article].append((key, s))
        return key


def artifact_spans(artifacts: Iterable[ArtifactOut],
                   texts: dict[str, str]) -> dict[str, list[tuple[SpanOut, str, str]]]:
    """Per article id, its non-article lines that fit its text: (span, kind, why)."""
    out: dict[str, list[tuple[SpanOut, str, str]]] = defaultdict(list)
    for art in artifacts:
        if valid(art.span, texts):
            out[art.span.article].append((art.span, art.kind, art.why))
    return out


def segments(article: ArticleOut, spans: Sequence[tuple[str, SpanOut]],
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
