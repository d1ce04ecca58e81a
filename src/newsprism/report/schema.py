"""The report contract, ``newsprism.report/1``, as pydantic models.

Field names are a public contract: add fields freely, rename only with a version bump.
``docs/report.schema.json`` is generated from :class:`Report` (``make schema``) and a test
checks that the file is current.

>>> r = Report(story=StoryOut(id="s", title=None, articles=[]))
>>> r.schema_ == SCHEMA_VERSION
True
>>> Report.model_validate_json(r.to_json()).story.id
's'
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "newsprism.report/1"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class SpanOut(_Model):
    """A stretch of one article: ``article.text[start:end] == text``."""

    article: str = Field(description="id of the article the offsets point into")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class ArticleOut(_Model):
    id: str
    outlet: str
    title: str | None = None
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    source: str = Field("", description="where the article came from: a path, URL or file.jsonl:LINE")
    text: str


class StoryOut(_Model):
    id: str
    title: str | None = None
    articles: list[ArticleOut]


class ClaimSupport(_Model):
    article: str
    level: Literal["states", "partial", "contradicts", "related"] = Field(
        description="states: the article states the claim as worded (counted as a source); partial: part of "
                    "it, or with a detail missing; contradicts: the same fact with a conflicting detail; "
                    "related: the same topic, not the fact")
    span: SpanOut | None = Field(None, description="the article's sentence the level was judged on")


class Claim(_Model):
    id: str
    text: str
    spans: list[SpanOut]
    sources: list[str] = Field(description="ids of the articles that carry the claim")
    independent_sources: int = Field(0, description="number of provenance groups among the sources")
    omitted_by: list[str] = Field(default_factory=list)
    single_source: bool = Field(False, description="one independent source (one article, or copies of one)")
    importance: float = Field(0.0, description="ordering score: independent support, position, centrality")
    details: list[SpanOut] = Field(
        default_factory=list,
        description="numbers and names inside the claim's sentences that only one article gives")
    support: list[ClaimSupport] = Field(
        default_factory=list,
        description="every article with a support level for the claim's wording; without the support judge "
                    "(the default) the sources, each at level states")


class ContradictionSide(_Model):
    value: str
    spans: list[SpanOut]
    articles: list[str] = Field(default_factory=list, description="the articles taking this side")


class Contradiction(_Model):
    """Outlets stating incompatible things about one subject; sides ordered by support, majority first."""

    id: str
    kind: Literal["number", "date", "role", "attribution", "polarity", "place", "actor", "other"]
    subject: str
    sides: list[ContradictionSide]
    why: str = Field("", description="what differs, and by which rule")


class QuoteOccurrence(_Model):
    span: SpanOut
    direct: bool
    speaker_as_written: str | None = None
    variant: Literal["verbatim", "trimmed", "extended", "altered", "paraphrase", "misattributed"]
    diff: str | None = None


class Quote(_Model):
    id: str
    speaker: str | None
    text: str
    occurrences: list[QuoteOccurrence]


class EvidencePair(_Model):
    a: SpanOut
    b: SpanOut


class ProvenancePair(_Model):
    a: str
    b: str
    relation: Literal["copy", "rewrite", "shared_source", "independent"]
    reuse: float = Field(ge=0.0, le=1.0, description="max of verbatim and paraphrase reuse")
    verbatim: float = Field(0.0, ge=0.0, le=1.0, description="share of the shorter article in shared word runs")
    paraphrase: float = Field(0.0, ge=0.0, le=1.0,
                              description="share of the shorter article's sentences aligned in the other")
    order: float = Field(0.0, ge=0.0, le=1.0, description="how well the aligned sentences keep the same order")
    direction: Literal["a->b", "b->a", "unknown"] = "unknown"
    evidence: list[EvidencePair] = Field(default_factory=list)


class Provenance(_Model):
    pairs: list[ProvenancePair] = Field(default_factory=list)
    groups: list[list[str]] = Field(default_factory=list)


class LoadedSpan(_Model):
    span: SpanOut
    why: str
    category: str = Field("", description="presupposing | loaded_verb | loaded_word | loaded_phrase | "
                                          "actor_label | sentiment | intensifier")
    weight: float = 1.0


class OpinionOut(_Model):
    """A sentence that evaluates without naming a source."""

    span: SpanOut
    why: str


class Voice(_Model):
    speaker: str
    role: str = Field(description="official | opposition | advocate | expert | affected | other")
    count: int = Field(description="number of quotes")
    words: int = Field(0, description="quoted words")
    description: str = ""


class LabelOut(_Model):
    """How this article names one actor."""

    actor: str
    wording: str
    loaded: bool = False
    spans: list[SpanOut] = Field(default_factory=list)


class Framing(_Model):
    article: str
    loaded: list[LoadedSpan] = Field(default_factory=list)
    subjectivity: float = Field(0.0, description="0 = plainly reported; see components and explanation")
    rank: int = Field(0, description="1 = the most neutral article of the story")
    components: dict[str, float] = Field(default_factory=dict, description="the parts of the score")
    explanation: str = ""
    unattributed: list[OpinionOut] = Field(default_factory=list)
    voices: list[Voice] = Field(default_factory=list)
    voice_shares: dict[str, float] = Field(default_factory=dict, description="role -> share of quoted words")
    missing_voices: list[str] = Field(default_factory=list, description="roles quoted elsewhere, never here")
    omits: list[str] = Field(default_factory=list)
    labels: list[LabelOut] = Field(default_factory=list)


class LabelWording(_Model):
    wording: str
    count: int
    loaded: bool = False


class ActorLabelsOut(_Model):
    """One actor and how each article names it (the word-choice table)."""

    actor: str
    kind: str = Field(description="named (an entity) or group (an unnamed group of people)")
    by_article: dict[str, list[LabelWording]]


class Coverage(_Model):
    """One article's row of the claim matrix: what it carries and which shared claims it leaves out."""

    article: str
    carries: list[str] = Field(default_factory=list, description="claim ids")
    omits: list[str] = Field(default_factory=list, description="multi-source claims it does not carry")
    single_source: list[str] = Field(default_factory=list, description="claims only this article carries")


class SummarySentence(_Model):
    """One sentence of the neutral brief, with what it rests on."""

    text: str
    cites: list[str] = Field(description="claim ids")
    sources: list[str] = Field(description="article ids")
    spans: list[SpanOut] = Field(default_factory=list, description="the sentences it rests on, its own first")
    single_source: bool = False
    independent_sources: int = 1
    details: list[SpanOut] = Field(default_factory=list, description="figures or names only one outlet gives")
    disputed: list[str] = Field(default_factory=list, description="ids of contradictions that touch it")


class SingleSourceOut(_Model):
    claim: str
    text: str
    spans: list[SpanOut]
    sources: list[str]
    why: str = ""


class DroppedOut(_Model):
    """A generated sentence left out of the brief (abstractive mode), and why."""

    text: str
    cites: list[str]
    reason: str


class SummaryInfo(_Model):
    mode: Literal["extractive", "abstractive"] = "extractive"
    length: int = Field(description="the word budget asked for")
    words: int = 0
    notes: list[str] = Field(default_factory=list)
    single_source: list[SingleSourceOut] = Field(default_factory=list,
                                                 description="single-source claims worth checking")
    dropped: list[DroppedOut] = Field(default_factory=list)


class ArtifactOut(_Model):
    span: SpanOut
    kind: str
    why: str = ""


# --- per-article annotations: what the analyses read --------------------------------------


class SentenceOut(_Model):
    span: SpanOut
    artifact: bool = False


class EntityOut(_Model):
    span: SpanOut
    label: str


class QuantityOut(_Model):
    span: SpanOut
    kind: str
    value: float | None = None
    value2: float | None = None
    unit: str | None = None
    iso: str | None = None
    approximate: bool = False


class ArticleAnnotations(_Model):
    article: str
    sentences: list[SentenceOut]
    entities: list[EntityOut]
    quantities: list[QuantityOut]


class InputOut(_Model):
    """One thing the user gave (or one file/line/entry inside it) and what became of it."""

    source: str
    status: Literal["ok", "failed", "skipped"]
    article_ids: list[str] = Field(default_factory=list)
    code: str | None = None
    message: str | None = None


AnalysisName = Literal["claims", "provenance", "contradictions", "quotes", "framing", "summary"]


class AnalysisStatus(_Model):
    """Whether an analysis ran, so an empty list is never mistaken for "none found"."""

    name: AnalysisName
    status: Literal["done", "not_implemented", "skipped"]
    note: str = ""


class Report(_Model):
    """The whole report on one story: the contract ``newsprism.report/1``."""

    schema_: str = Field(SCHEMA_VERSION, alias="schema")
    generated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    generator: str = ""
    story: StoryOut
    claims: list[Claim] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    provenance: Provenance = Field(default_factory=Provenance)
    coverage: list[Coverage] = Field(default_factory=list)
    framing: list[Framing] = Field(default_factory=list)
    labels: list[ActorLabelsOut] = Field(default_factory=list)
    summary: list[SummarySentence] = Field(default_factory=list)
    summary_info: SummaryInfo | None = None
    artifacts: list[ArtifactOut] = Field(default_factory=list)
    annotations: list[ArticleAnnotations] = Field(default_factory=list)
    analyses: list[AnalysisStatus] = Field(default_factory=list)
    inputs: list[InputOut] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="plain-language caveats for the reader")
    timings: dict[str, float] = Field(
        default_factory=dict,
        description="seconds each stage of the run took (annotate, claims, quotes, ...), in run order; "
                    "run metadata, not part of the findings")

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)


def json_schema() -> dict[str, object]:
    """The JSON Schema of :class:`Report`, as published in ``docs/report.schema.json``."""
    schema = Report.model_json_schema(by_alias=True)
    schema["$id"] = "urn:newsprism:report:1"
    schema["title"] = SCHEMA_VERSION
    return schema


def write_json_schema(path: Path) -> None:
    path.write_text(json.dumps(json_schema(), indent=2, sort_keys=True) + "\n", encoding="utf-8")

