"""The view model the report templates read: frozen dataclasses, one per thing a section shows.

They hold ready-to-print values (target keys, short labels, matrix cells, positions in per
mille of an article) next to the report objects they describe, and compute nothing beyond
small display details (a CSS class, a label, a count). :func:`newsprism.report.html_view.build_view`
fills them in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from newsprism.report.html_diff import DiffToken
from newsprism.report.html_graph import GraphView
from newsprism.report.schema import ArticleOut, Claim, Contradiction, Quote, Report, SpanOut

__all__ = [
    "CATEGORIES",
    "ActorLabelsView",
    "ArticleView",
    "CiteView",
    "ClaimRow",
    "ContradictionView",
    "FramingView",
    "LoadedView",
    "OccurrenceView",
    "OpinionView",
    "PairView",
    "QuoteView",
    "ReportView",
    "SectionState",
    "Segment",
    "SideView",
    "SummaryView",
    "Target",
    "WordingView",
]


_NO_HTML = Markup("")  # immutable, so one shared default

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
    cells: tuple[str, ...]  # per article column: carried | partial | omitted | contradicted | absent
    contradictions: tuple[str, ...]  # ids of contradictions touching this claim
    order: int = 0  # its place in the report's claim list (the matrix's "report order" sort)
    #: per article column, its cell's HTML by state, shared by every row (see claim_rows)
    columns: Sequence[Mapping[str, str]] = field(default=(), compare=False, repr=False)

    @property
    def cells_html(self) -> Markup:
        """The row's matrix cells as HTML, joined from ``columns`` when the template asks. A 200-article
        story has some 10^6 cells, too many to render one by one in the template; and joined once per
        row in advance, the rows held 190 MB at once (issue 17), so each is joined as it is written.

        >>> cols = [{"carried": "<td>●</td>", "absent": "<td></td>"}] * 2
        >>> ClaimRow(None, "t1", ("carried", "absent"), (), columns=cols).cells_html
        Markup('<td>●</td><td></td>')
        """
        if not self.columns:
            return _NO_HTML
        return Markup("".join([col[state] for col, state in zip(self.columns, self.cells, strict=True)]))

    @property
    def disputed(self) -> bool:
        """A contradiction touches it, or an article states it with a contradicting detail."""
        return bool(self.contradictions) or "contradicted" in self.cells

    @property
    def carriers(self) -> str:
        """The numbers of the article columns that state it, in whole or in part (space-separated)."""
        return " ".join(str(k) for k, c in enumerate(self.cells, 1) if c in ("carried", "partial", "contradicted"))


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

    @property
    def topic(self) -> str:
        """The subject without the sentence it was found in ("amount (USD)", not "amount (USD) in “…”")."""
        head = self.item.subject.split(" in “", 1)[0].strip()
        return head or self.item.subject

    @property
    def outlets(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Per side, its value and the outlets on it (each once, in article order)."""
        out = []
        for side in self.sides:
            seen = sorted({a.number: a.article.outlet for a, _ in side.spans}.items())
            out.append((side.value, tuple(name for _, name in seen)))
        return tuple(out)


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

    @property
    def outlets(self) -> int:
        """How many articles print it."""
        return len({o.article.article.id for o in self.occurrences})

    @property
    def variant_counts(self) -> str:
        """How the outlets printed it, changes first: "1 altered · 4 verbatim"."""
        order = ("misattributed", "altered", "trimmed", "extended", "paraphrase", "verbatim")
        counts: dict[str, int] = defaultdict(int)
        for o in self.occurrences:
            counts[o.variant] += 1
        return " · ".join(f"{counts[v]} {v}" for v in sorted(counts, key=lambda v: (order.index(v) if v in order
                                                                                    else len(order), v)))

    @property
    def notable(self) -> bool:
        """Some outlet changed its words or gave it to someone else: worth showing open."""
        return any(v in ("altered", "misattributed") for v in self.variants)


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
    #: the row's ``<td>`` per article column as HTML (see label_views): actors x articles cells
    cells_html: Markup = _NO_HTML

    @property
    def shared(self) -> bool:
        """Two or more articles name the actor (a row with one wording in one column says nothing)."""
        return sum(1 for c in self.cells if c.wordings) > 1


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
    #: the ``<li>`` items of ``omits`` as HTML, each claim's built once for every card that lists it
    #: (the same string objects in every card)
    omits_items: tuple[str, ...] = ()

    @property
    def omits_html(self) -> Markup:
        """``omits_items`` joined when the template asks: joined in advance, the 200 cards of a
        200-article story held 210 MB of copies of the same items (issue 17).

        >>> FramingView(None, 0.0, (), (), (), (), omits_items=("<li>a</li>", "<li>b</li>")).omits_html
        Markup('<li>a</li><li>b</li>')
        """
        return Markup("".join(self.omits_items)) if self.omits_items else _NO_HTML

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
    disputed: tuple[tuple[str, str], ...] = ()  # (id, short "a vs b") of the contradictions touching it
    independent: int = 1  # how many independent sources state it


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


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything the templates read; built by :func:`newsprism.report.html_view.build_view`."""

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

    @property
    def copy_groups(self) -> tuple[tuple[ArticleView, ...], ...]:
        """The provenance groups of two or more articles (each counts as one independent source)."""
        return tuple(g for g in self.groups if len(g) > 1)

    @property
    def claims_disputed(self) -> int:
        """How many claims a contradiction touches or an article contradicts."""
        return sum(1 for r in (*self.claims_multi, *self.claims_single) if r.disputed)

    @property
    def quotes_shared(self) -> tuple[QuoteView, ...]:
        """The quotes two or more articles print, those an outlet changed or misattributed first."""
        return tuple(sorted((q for q in self.quotes if q.outlets > 1), key=lambda q: not q.notable))

    @property
    def quotes_single(self) -> tuple[tuple[str, tuple[QuoteView, ...], tuple[str, ...]], ...]:
        """The quotes only one article prints, by speaker (most quoted first), with the outlets printing them."""
        by: dict[str, list[QuoteView]] = defaultdict(list)
        for q in self.quotes:
            if q.outlets <= 1:
                by[q.item.speaker or "Unattributed"].append(q)
        out = []
        for speaker, quotes in sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            names = {o.article.number: o.article.article.outlet for q in quotes for o in q.occurrences}
            out.append((speaker, tuple(quotes), tuple(name for _, name in sorted(names.items()))))
        return tuple(out)

    @property
    def has_partial(self) -> bool:
        """Whether any matrix cell says "states part of it" (only the support judge gives such cells)."""
        return any("partial" in r.cells for r in (*self.claims_multi, *self.claims_single))
