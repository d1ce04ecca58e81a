"""The report page is written without holding it whole (issue 17): ``write_html`` streams it,
``render_html`` gathers it compactly, and the view keeps no joined copy of the claim matrix or of
the framing cards' "leaves out" lists; the bytes stay those of the template's own rendering."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, cast

import pytest
from markupsafe import Markup

from newsprism.report import html
from newsprism.report.html import render_html, write_html
from newsprism.report.html_view import build_view
from newsprism.report.schema import AnalysisStatus, ArticleOut, Claim, Framing, Report, SpanOut, StoryOut
from newsprism.report.write import REPORT_FILES, render_reports, write_reports

_DONE = [AnalysisStatus(name=k, status="done") for k in ("claims", "provenance", "quotes", "framing")]


def _matrix_report(n_articles: int = 60, n_claims: int = 400) -> Report:
    """A fictional story whose page is mostly claim matrix and "leaves out" lists, as a large real
    story's is: every claim in a few articles, left out by most of the others."""
    articles, claims = [], []
    for k in range(n_articles):
        text = f"The ferry to Skerry Island ran {k} minutes late on Tuesday — the harbour office said so."
        outlet = f"Harbour Courier “{k}”"
        articles.append(ArticleOut.model_validate({"id": f"a{k:02d}", "outlet": outlet, "text": text}))
    for c in range(n_claims):
        carriers = [articles[(c + j) % n_articles] for j in range(3)]
        spans = [SpanOut(article=a.id, start=0, end=9, text=a.text[:9]) for a in carriers]
        claims.append(Claim.model_validate({
            "id": f"c{c}", "text": f"Claim {c}: the pier <{c}> & the ferry “ran late”.", "spans": spans,
            "sources": [a.id for a in carriers], "independent_sources": 3,
            "omitted_by": [a.id for a in articles if a not in carriers][: n_articles // 2]}))
    framing = [Framing.model_validate({"article": a.id, "rank": k + 1,
                                       "omits": [c.id for c in claims if a.id in c.omitted_by]})
               for k, a in enumerate(articles)]
    return Report.model_validate({"story": StoryOut(id="ferry", title="Ferry — late", articles=articles),
                                  "claims": claims, "framing": framing, "analyses": _DONE})


class _Sink(io.RawIOBase):
    """A binary file that counts what it is given and keeps nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        n = len(b)
        self.size += n
        return n


@pytest.fixture(scope="module")
def report() -> Report:
    return _matrix_report()


@pytest.fixture(scope="module")
def page(report: Report) -> str:
    # the template rendered in one call, as render_html did before it gathered its pieces as UTF-8
    css, js = html.asset_text("report.css"), html.asset_text("report.js")
    return html._env().get_template("standalone.html.j2").render(
        v=build_view(report), css=Markup(css), js=Markup(js), csp=html.standalone_csp(css, js))


def test_render_html_and_write_html_give_the_template_rendering_byte_for_byte(
        report: Report, page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(page) > 1_000_000 and not page.isascii()  # several chunks, and characters of 2 and 3 bytes
    assert render_html(report) == page
    out = io.BytesIO()
    assert write_html(report, out) == len(out.getvalue())
    assert out.getvalue() == page.encode("utf-8")
    monkeypatch.setattr(html, "_CHUNK_CHARS", 7)  # chunk ends fall inside multi-byte characters' pieces
    assert render_html(report) == page


def test_a_lone_surrogate_comes_back_from_render_html_as_the_template_wrote_it() -> None:
    art = ArticleOut.model_validate({"id": "a", "outlet": "Skerry Post", "text": "The pier \ud800 reopened."})
    report = Report.model_validate({"story": StoryOut(id="s", title="Pier", articles=[art])})
    css, js = html.asset_text("report.css"), html.asset_text("report.js")
    page = html._env().get_template("standalone.html.j2").render(
        v=build_view(report), css=Markup(css), js=Markup(js), csp=html.standalone_csp(css, js))
    assert "\ud800" in page and render_html(report) == page
    with pytest.raises(UnicodeEncodeError):  # a file cannot hold it, as before
        write_html(report, io.BytesIO())


def test_utf8_chunks_keep_every_piece_in_order() -> None:
    pieces = ["<p>", "né", "", "“x”", "💡", "</p>"] * 5
    for size in (1, 2, 5, 1000):
        chunks = list(html._utf8_chunks(pieces, size))
        assert b"".join(chunks).decode("utf-8") == "".join(pieces)
        assert all(len(c.decode("utf-8")) >= size for c in chunks[:-1])


def test_the_view_keeps_no_joined_matrix_or_omits_html(report: Report) -> None:
    view = build_view(report)
    rows = [*view.claims_multi, *view.claims_single]
    assert rows and len({id(r.columns) for r in rows}) == 1  # one shared table of cells for every row
    cards = [f for f in view.framing if f.omits_items]
    assert cards
    # the same item string in every card that lists the claim, not a copy per card
    first = {item: item for item in cards[0].omits_items}
    assert all(first[item] is item for f in cards[1:] for item in f.omits_items if item in first)


def test_write_html_never_holds_the_page(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "_CHUNK_CHARS", 1 << 16)  # chunks small beside this page (a real one is 200 MB)
    write_html(report, cast(BinaryIO, _Sink()))  # templates compiled, caches warm
    view_bytes = _traced_peak(lambda: build_view(report))
    sink = _Sink()
    peak = _traced_peak(lambda: write_html(report, cast(BinaryIO, sink)))
    # the view and a chunk or two with the pieces they are joined from: a small part of the page
    assert peak < view_bytes + 24 * html._CHUNK_CHARS, (peak, view_bytes, sink.size)
    assert peak < sink.size // 3, (peak, view_bytes, sink.size)


def test_render_html_holds_its_page_and_the_utf8_only(report: Report, page: str) -> None:
    render_html(report)
    peak = _traced_peak(lambda: render_html(report))
    page_bytes = len(page.encode("utf-8"))
    # the str (2 bytes a character: the page has characters beyond Latin-1) and, while it is decoded,
    # the UTF-8 and the decoder's first one-byte buffer; half a page more for the view and the chunks.
    # Before: the view's joined rows and "leaves out" lists, the template's copy of each and the str.
    assert peak < 2 * len(page) + 2 * page_bytes + page_bytes // 2, (peak, len(page), page_bytes)


def test_write_reports_writes_render_reports_bytes(report: Report, tmp_path: Path) -> None:
    written = write_reports(report, tmp_path)
    expected = render_reports(report)
    assert [p.name for p in written] == list(expected) == list(REPORT_FILES.values())
    for p in written:
        text = expected[p.name]
        assert p.read_bytes() == (text.encode("utf-8") if isinstance(text, str) else text)


def test_a_page_that_fails_while_written_leaves_the_previous_set_and_no_temporary_file(
        report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_reports(report, tmp_path, ["md"])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(*_: object) -> object:
        raise RuntimeError("template bug")

    monkeypatch.setattr(html, "build_view", broken)
    with pytest.raises(RuntimeError, match="template bug"):
        write_reports(report, tmp_path, ["json", "html"])  # report.json is written first, then the page fails
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def _traced_peak(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
