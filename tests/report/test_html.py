"""The HTML report: self-contained, escaped, and rendering every section from real data.

The hand-built report below (a fictional ferry strike in a fictional town) fills the fields
whose analyses are not in this version yet (contradictions, quotes, framing, summary), so
the template is checked against the schema before those analyses exist.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from newsprism.report.html import asset_text, render_html, render_report_body
from newsprism.report.html_diff import word_diff
from newsprism.report.html_view import build_view
from newsprism.report.schema import (
    ActorLabelsOut,
    AnalysisStatus,
    ArticleOut,
    ArtifactOut,
    Claim,
    Contradiction,
    ContradictionSide,
    EvidencePair,
    Framing,
    InputOut,
    LabelWording,
    LoadedSpan,
    OpinionOut,
    Provenance,
    ProvenancePair,
    Quote,
    QuoteOccurrence,
    Report,
    SpanOut,
    StoryOut,
    SummarySentence,
    Voice,
)

LEAD = "Ferry crews in Port Alder walked off the job on Monday, stranding 3,000 commuters."
GAZETTE = (
    "Ferry crews in Port Alder walked off the job on Monday, stranding 3,000 commuters.\n\n"
    "\u201cWe will not sail until the boats are safe,\u201d union steward Mara Quill said.\n\n"
    "Photo: the idle ferry terminal (Harbor Gazette)"
)
LEDGER = (
    "About 2,000 commuters were stranded Monday when ferry crews in Port Alder went on strike.\n\n"
    "\u201cWe will not sail until these boats are safe,\u201d said Mara Quill, a union steward.\n\n"
    "The reckless walkout <script>alert(1)</script> drew anger from riders."
)
WIRE = (
    "PORT ALDER (NW) \u2014 Ferry crews in Port Alder walked off the job on Monday, stranding 3,000 commuters.\n\n"
    "The union said talks would resume Thursday."
)
ARTICLES = {"harbor-gazette": GAZETTE, "riverside-ledger": LEDGER, "north-wire": WIRE}


def span(article: str, needle: str) -> SpanOut:
    start = ARTICLES[article].index(needle)
    return SpanOut(article=article, start=start, end=start + len(needle), text=needle)


def fictional_report() -> Report:
    """Every section filled: claims, provenance, contradictions, quotes, framing, summary."""
    arts = [
        ArticleOut(id="harbor-gazette", outlet="Harbor Gazette", title="Ferry crews strike", text=GAZETTE,
                   url="https://gazette.example/ferry", published=datetime(2031, 5, 5, 9, tzinfo=UTC)),
        ArticleOut(id="riverside-ledger", outlet="Riverside <Ledger>", title="Strike strands riders",
                   text=LEDGER, url="javascript:alert(1)"),
        ArticleOut(id="north-wire", outlet="North Wire", title="Ferry strike", text=WIRE,
                   published=datetime(2031, 5, 5, 8, tzinfo=UTC)),
    ]
    c1 = Claim(
        id="c1", text="Ferry crews in Port Alder went on strike Monday, stranding commuters.",
        spans=[span("harbor-gazette", LEAD),
               span("riverside-ledger", "About 2,000 commuters were stranded Monday when ferry crews in Port Alder "
                                        "went on strike."),
               span("north-wire", LEAD)],
        sources=["harbor-gazette", "riverside-ledger", "north-wire"], independent_sources=2,
    )
    c2 = Claim(id="c2", text="Talks resume Thursday.", spans=[span("north-wire", "The union said talks would resume "
                                                                                 "Thursday.")],
               sources=["north-wire"], independent_sources=1, single_source=True)
    c3 = Claim(
        id="c3", text="Mara Quill said crews will not sail until the boats are safe.",
        spans=[span("harbor-gazette", "\u201cWe will not sail until the boats are safe,\u201d union steward "
                                      "Mara Quill said."),
               span("riverside-ledger", "\u201cWe will not sail until these boats are safe,\u201d said Mara Quill, "
                                        "a union steward.")],
        sources=["harbor-gazette", "riverside-ledger"], independent_sources=2, omitted_by=["north-wire"],
    )
    contradiction = Contradiction(
        id="x1", kind="number", subject="commuters stranded",
        sides=[ContradictionSide(value="3,000", spans=[span("harbor-gazette", "3,000 commuters"),
                                                        span("north-wire", "3,000 commuters")]),
               ContradictionSide(value="2,000", spans=[span("riverside-ledger", "About 2,000 commuters")])],
    )
    quote = Quote(
        id="q1", speaker="Mara Quill", text="We will not sail until the boats are safe",
        occurrences=[
            QuoteOccurrence(span=span("harbor-gazette", "We will not sail until the boats are safe"), direct=True,
                            speaker_as_written="union steward Mara Quill", variant="verbatim"),
            QuoteOccurrence(span=span("riverside-ledger", "We will not sail until these boats are safe"),
                            direct=True, speaker_as_written="Mara Quill, a union steward", variant="altered",
                            diff="the -> these"),
        ],
    )
    framing = Framing(article="riverside-ledger", subjectivity=0.6, rank=2, explanation="loaded 2.6/100 words",
                      loaded=[LoadedSpan(span=span("riverside-ledger", "reckless walkout"), why="loaded adjective",
                                         category="loaded_word")],
                      unattributed=[OpinionOut(span=span("riverside-ledger", "drew anger from riders"),
                                               why="evaluation without a source")],
                      voices=[Voice(speaker="Mara Quill", role="union", count=1)], missing_voices=["official"],
                      omits=["c2"])
    labels = ActorLabelsOut(actor="ferry crews", kind="group", by_article={
        "harbor-gazette": [LabelWording(wording="ferry crews", count=1)],
        "riverside-ledger": [LabelWording(wording="reckless walkout", count=1, loaded=True)]})
    pair = ProvenancePair(a="harbor-gazette", b="north-wire", relation="copy", reuse=0.9, verbatim=0.9,
                          paraphrase=1.0, order=1.0, direction="b->a",
                          evidence=[EvidencePair(a=c1.spans[0], b=c1.spans[2])])
    return Report(
        story=StoryOut(id="port-alder-ferry-strike", title="Ferry strike in Port Alder", articles=arts),
        claims=[c1, c3, c2],
        contradictions=[contradiction],
        quotes=[quote],
        provenance=Provenance(pairs=[pair], groups=[["harbor-gazette", "north-wire"], ["riverside-ledger"]]),
        framing=[framing],
        labels=[labels],
        summary=[SummarySentence(text="Ferry crews struck in Port Alder; outlets disagree on how many were stranded.",
                                 cites=["c1", "c9"], sources=["harbor-gazette", "riverside-ledger"])],
        artifacts=[ArtifactOut(span=span("harbor-gazette", "Photo: the idle ferry terminal (Harbor Gazette)"),
                               kind="caption", why="photo credit")],
        analyses=[AnalysisStatus(name=n, status="done") for n in
                  ("claims", "provenance", "contradictions", "quotes", "framing", "summary")],
        inputs=[InputOut(source="ledger.html", status="ok", article_ids=["riverside-ledger"]),
                InputOut(source="broken.html", status="failed", code="no_article",
                         message="no article text found in <the page>")],
        notes=["A note for the reader."],
    )


class _Collector(HTMLParser):
    """Parses the page; keeps tag names, attribute lists and the text of highlightable spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.highlight: dict[str, list[tuple[str, int, str]]] = {}  # key -> (article, start, text)
        self._stack: list[tuple[str, int, list[str]]] = []
        self._article = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "article" and a.get("data-article"):
            self._article = a["data-article"] or ""
        if tag == "span" and a.get("data-t"):
            self._stack.append((self._article, int(a["data-s"] or 0), (a["data-t"] or "").split()))
        elif tag == "span":
            self._stack.append(("", 0, []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1][2]:
            article, start, keys = self._stack[-1]
            for k in keys:
                self.highlight.setdefault(k, []).append((article, start, data))


def _runs(pieces: list[tuple[str, int, str]]) -> set[tuple[str, int, int, str]]:
    """Join adjacent highlighted segments into (article, start, end, text) runs."""
    runs: list[list] = []
    for article, start, text in sorted(pieces):
        if runs and runs[-1][0] == article and runs[-1][2] == start:
            runs[-1][2] += len(text)
            runs[-1][3] += text
        else:
            runs.append([article, start, start + len(text), text])
    return {tuple(r) for r in runs}  # type: ignore[misc]


@pytest.fixture(scope="module")
def report() -> Report:
    return fictional_report()


@pytest.fixture(scope="module")
def page(report: Report) -> str:
    return render_html(report)


@pytest.fixture(scope="module")
def parsed(page: str) -> _Collector:
    p = _Collector()
    p.feed(page)
    return p


def test_every_section_renders_from_real_data(page: str) -> None:
    for section in ("np-brief", "np-claims", "np-contradictions", "np-quotes", "np-framing", "np-provenance",
                    "np-reader", "np-inputs"):
        assert f'id="{section}"' in page
    assert "Not computed in this report" not in page
    assert "commuters stranded" in page and "2,000" in page  # contradiction, side by side
    assert 'class="np-badge np-v-altered">altered' in page  # quote variant
    assert "<del>the</del>" in page and "<ins>these</ins>" in page  # word diff
    assert "the -&gt; these" in page  # the analysis's own diff note, escaped
    assert "loaded adjective" in page and "Subjectivity" in page  # framing
    assert "neutrality rank 2" in page and "loaded 2.6/100 words" in page
    assert "not quoted here:</strong> official" in page
    assert 'class="np-cat np-cat-loaded_word">loaded word 1' in page
    assert "1 unsourced opinion" in page and "Opinion without a named source:" in page
    assert '<span class="np-loaded-word">reckless walkout</span>' in page  # the word-choice table
    assert "Ferry crews struck in Port Alder" in page  # the brief
    assert "A note for the reader." in page
    assert "broken.html" in page and "no article text found in &lt;the page&gt;" in page


def test_claim_spans_are_highlightable_exactly(report: Report, parsed: _Collector) -> None:
    view = build_view(report)
    for claim in report.claims:
        key = view.claim_keys[claim.id]
        expected = {(s.article, s.start, s.end, s.text) for s in claim.spans}
        assert _runs(parsed.highlight[key]) == expected, claim.id
    buttons = [a for tag, a in parsed.tags if tag == "button" and a.get("data-hl") == view.claim_keys["c1"]]
    assert buttons and buttons[0]["aria-pressed"] == "false"


def test_every_target_points_at_its_spans(report: Report, parsed: _Collector) -> None:
    view = build_view(report)
    for key, target in view.targets.items():
        want = {(s.article, s.start, s.end, s.text) for s in target.spans}
        got = _runs(parsed.highlight.get(key, []))
        # adjacent or overlapping spans of one target merge into one run: each span lies inside one
        assert {g[0] for g in got} == {w[0] for w in want}, key
        for article, start, end, _ in want:
            assert any(g[0] == article and g[1] <= start and end <= g[2] for g in got), (key, start)


def test_matrix_cells_say_carried_omitted_contradicted(report: Report) -> None:
    view = build_view(report)
    order = [a.article.id for a in view.articles]
    assert order == ["harbor-gazette", "north-wire", "riverside-ledger"]  # copies side by side
    rows = {r.claim.id: dict(zip(order, r.cells, strict=True)) for r in view.claims_multi + view.claims_single}
    # ≠ only for the outlier: two articles say 3,000, one says about 2,000
    assert rows["c1"] == {"harbor-gazette": "carried", "north-wire": "carried",
                          "riverside-ledger": "contradicted"}
    assert rows["c3"]["north-wire"] == "omitted"
    assert rows["c2"] == {"harbor-gazette": "absent", "north-wire": "carried", "riverside-ledger": "absent"}
    tints = {a.article.id: a.tint for a in view.articles}
    assert tints["harbor-gazette"] == tints["north-wire"] == "g0" and tints["riverside-ledger"] == "gs"


def test_provenance_arrow_runs_from_earlier_to_later(report: Report, page: str) -> None:
    view = build_view(report)
    edge = view.graph.edges[0]
    assert (edge.a, edge.b, edge.arrow) == ("north-wire", "harbor-gazette", True)
    assert 'marker-end="url(#np-arrow)"' in page


def test_article_text_and_metadata_are_escaped(page: str, parsed: _Collector) -> None:
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Riverside &lt;Ledger&gt;" in page
    hrefs = [a.get("href") or "" for tag, a in parsed.tags if tag == "a"]
    assert not any(h.lower().startswith("javascript:") for h in hrefs)
    assert "https://gazette.example/ferry" in hrefs


def test_artifacts_are_dimmed_with_their_kind(parsed: _Collector) -> None:
    arts = [a for tag, a in parsed.tags if tag == "span" and "np-art" in (a.get("class") or "")]
    assert [a["data-kind"] for a in arts] == ["caption"]


def test_page_is_self_contained_with_a_strict_csp(page: str, parsed: _Collector) -> None:
    scripts = [a for tag, a in parsed.tags if tag == "script"]
    assert len(scripts) == 1 and "src" not in scripts[0]
    assert not any(tag in ("link", "img", "iframe", "object", "embed") for tag, _ in parsed.tags)
    assert not any("style" in a for _, a in parsed.tags), "inline style attributes would break the CSP"
    assert not any(k.startswith("on") for _, a in parsed.tags for k in a), "no inline event handlers"
    csp = next(a["content"] for tag, a in parsed.tags if tag == "meta" and a.get("http-equiv") ==
               "Content-Security-Policy")
    assert csp is not None and "default-src 'none'" in csp
    for asset, directive in (("report.css", "style-src"), ("report.js", "script-src")):
        digest = base64.b64encode(hashlib.sha256(asset_text(asset).encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in csp
    inline_style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert inline_style and inline_style.group(1) == asset_text("report.css")
    assert re.search(r"https?://(?!gazette\.example)", page.replace("http://www.w3.org/2000/svg", "")) is None


def test_pending_analyses_show_a_plain_note_not_fake_content(report: Report) -> None:
    bare = report.model_copy(update={
        "contradictions": [], "quotes": [], "framing": [], "summary": [],
        "analyses": [AnalysisStatus(name="claims", status="done"), AnalysisStatus(name="provenance", status="done"),
                     *(AnalysisStatus(name=n, status="not_implemented", note=f"{n} is not in this version")
                       for n in ("contradictions", "quotes", "framing", "summary"))],
    })
    page = render_html(bare)
    for name in ("contradictions", "quotes", "framing", "summary"):
        assert f"{name} is not in this version" in page
    assert page.count("Not computed in this report") == 4
    done_but_empty = bare.model_copy(update={"analyses": [AnalysisStatus(name=n, status="done") for n in (
        "claims", "provenance", "contradictions", "quotes", "framing", "summary")]})
    page = render_html(done_but_empty)
    assert "Not computed in this report" not in page
    assert "No contradictions were found" in page and "No quotes were found" in page


def test_empty_report_renders() -> None:
    page = render_html(Report(story=StoryOut(id="empty", articles=[])))
    assert "<h1>empty</h1>" in page


def test_bad_spans_are_skipped_not_fatal(report: Report) -> None:
    bad = report.model_copy(update={"claims": [*report.claims, Claim(
        id="c99", text="Out of range", sources=["north-wire"],
        spans=[SpanOut(article="north-wire", start=5000, end=5010, text="xxxxxxxxxx"),
               SpanOut(article="nowhere", start=0, end=1, text="x")])]})
    assert "Out of range" in render_html(bad)


def test_body_fragment_is_markup_for_the_web_app(report: Report) -> None:
    body = render_report_body(report)
    assert hasattr(body, "__html__") and body.lstrip().startswith('<div class="np-report"')
    assert "<!doctype" not in body


def test_word_diff_ignores_case_and_punctuation() -> None:
    assert [(t.op, t.text) for t in word_diff("We will sail.", "we will sail")] == [("same", "we will sail")]
    assert [t.op for t in word_diff("a b c", "a c d")] == ["same", "del", "same", "ins"]


def test_a_single_source_brief_sentence_says_so_and_points_at_its_own_sentences(report: Report) -> None:
    from newsprism.report.markdown import render_markdown

    copied = SummarySentence(text="The union said talks would resume Thursday.", cites=["c2"],
                             sources=["north-wire", "harbor-gazette"], single_source=True,
                             spans=[span("north-wire", "The union said talks would resume Thursday."),
                                    span("harbor-gazette", LEAD)])
    solo = copied.model_copy(update={"sources": ["north-wire"], "spans": copied.spans[:1]})
    both = report.model_copy(update={"summary": [*report.summary, copied]})
    page, parsed = render_html(both), _Collector()
    parsed.feed(page)
    assert page.count("one outlet only") == 1 and "these articles copy one another" in page
    view = build_view(both)
    key = view.summary[-1].key
    assert _runs(parsed.highlight[key]) == {(s.article, s.start, s.end, s.text) for s in copied.spans}
    assert "(one outlet only: North Wire, Harbor Gazette — copies of one another)" in render_markdown(both)
    alone = report.model_copy(update={"summary": [solo]})
    assert "no other outlet states it" in render_html(alone)
    assert "(one outlet only: North Wire)" in render_markdown(alone)


def test_a_disputed_brief_sentence_is_marked(report: Report) -> None:
    from newsprism.report.markdown import render_markdown

    plain = report.summary[0]
    disputed = plain.model_copy(update={"disputed": ["x1"]})
    marked = report.model_copy(update={"summary": [disputed]})
    assert 'href="#np-x-x1" title="outlets disagree' in render_html(marked)
    assert "**(disputed: 3,000 vs 2,000 — see Disputed)**" in render_markdown(marked)
    unmarked = report.model_copy(update={"summary": [plain]})
    assert "outlets disagree on a detail" not in render_html(unmarked)
    assert "disputed:" not in render_markdown(unmarked)
