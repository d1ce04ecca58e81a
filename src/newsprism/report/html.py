"""Render a :class:`Report` as one self-contained HTML file, and its parts for the web app.

``render_html`` gives a single file with its CSS, JavaScript and SVG inline: no request
leaves the page (a meta Content-Security-Policy with ``default-src 'none'`` and hashes of
the one style and one script enforces it), so it works offline and as an e-mail attachment.
Article text is only ever autoescaped by Jinja2; nothing from a report is marked safe.

>>> from newsprism.report.schema import ArticleOut, Report, StoryOut
>>> art = ArticleOut(id="a", outlet="Example <Post>", text="The dam <b>held</b>.")
>>> page = render_html(Report(story=StoryOut(id="s", title="Dam", articles=[art])))
>>> page.startswith("<!doctype html>"), "The dam &lt;b&gt;held&lt;/b&gt;." in page, "<b>held" in page
(True, True, False)
"""

from __future__ import annotations

import base64
import contextlib
import gc
import hashlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from newsprism.report.html_model import ReportView
from newsprism.report.html_view import build_view
from newsprism.report.schema import Report

__all__ = ["ASSETS_DIR", "TEMPLATES_DIR", "asset_text", "render_html", "render_report_body", "report_environment",
           "write_html"]

TEMPLATES_DIR = Path(__file__).parent / "templates"
ASSETS_DIR = Path(__file__).parent / "assets"
#: characters of the page gathered before they are encoded: large enough that each encode call
#: costs nothing, small beside the page (some 200 million characters at 200 articles)
_CHUNK_CHARS = 1 << 20


@lru_cache(maxsize=4)
def asset_text(name: str) -> str:
    """The text of a report asset (``report.css``, ``report.js``)."""
    text = (ASSETS_DIR / name).read_text(encoding="utf-8")
    if "</" in text:  # would end the inline <style>/<script> early
        raise ValueError(f"{name} must not contain '</' (it is inlined into report.html)")
    return text


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def report_environment(*extra_dirs: Path) -> Environment:
    """A Jinja2 environment with autoescaping on, loading the report's templates (after any
    ``extra_dirs``, so the web app can add its own pages around the same parts)."""
    return Environment(
        loader=FileSystemLoader([*map(str, extra_dirs), str(TEMPLATES_DIR)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def _env() -> Environment:
    return report_environment()


def standalone_csp(css: str, js: str) -> str:
    """The meta Content-Security-Policy of report.html: nothing but its own style and script."""
    return (f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def render_report_body(report: Report, view: ReportView | None = None) -> Markup:
    """The report's sections as an HTML fragment (the web app wraps it in its own page)."""
    view = view or build_view(report)
    return Markup(_env().get_template("report_body.html.j2").render(v=view))


def render_html(report: Report) -> str:
    """The whole report as one self-contained HTML document (inline CSS, JS and SVG).

    To put it in a file, :func:`write_html` needs far less memory (the page is never whole).
    Here the page is gathered as UTF-8 (one byte a character for most of it) and decoded once
    at the end: the template's pieces, kept until one final join, held twice the page (issue 17).
    """
    page = bytearray()
    with _gc_paused():
        # surrogatepass: a str holding a lone surrogate comes back as it was, as the join gave it
        for chunk in _utf8_chunks(_page_pieces(report), _CHUNK_CHARS, "surrogatepass"):
            page += chunk
    return page.decode("utf-8", "surrogatepass")


def write_html(report: Report, out: BinaryIO) -> int:
    """Write :func:`render_html`'s page into the (buffered) binary file ``out`` as UTF-8, a megabyte
    of characters at a time, without ever holding the whole page (200 MB at 200 articles); returns
    the bytes written. Like any text written as UTF-8, a lone surrogate raises UnicodeEncodeError.

    >>> import io
    >>> from newsprism.report.schema import ArticleOut, Report, StoryOut
    >>> report = Report(story=StoryOut(id="s", title="Dam", articles=[ArticleOut(id="a", outlet="X", text="It held.")]))
    >>> out = io.BytesIO()
    >>> write_html(report, out) == len(out.getvalue()), out.getvalue().decode("utf-8") == render_html(report)
    (True, True)
    """
    written = 0
    with _gc_paused():
        for chunk in html_chunks(report):
            out.write(chunk)
            written += len(chunk)
    return written


def html_chunks(report: Report) -> Iterator[bytes]:
    """:func:`render_html`'s page as UTF-8, about a megabyte at a time: what :func:`write_html` writes,
    and what the web app streams, so that neither holds the whole page.

    >>> from newsprism.report.schema import ArticleOut, Report, StoryOut
    >>> report = Report(story=StoryOut(id="s", title="Dam", articles=[ArticleOut(id="a", outlet="X", text="It held.")]))
    >>> b"".join(html_chunks(report)).decode("utf-8") == render_html(report)
    True
    """
    return _utf8_chunks(_page_pieces(report), _CHUNK_CHARS)


def _page_pieces(report: Report) -> Iterator[str]:
    """The standalone page as the template yields it, piece by piece (the view is built first)."""
    css, js = asset_text("report.css"), asset_text("report.js")
    return _env().get_template("standalone.html.j2").generate(
        v=build_view(report), css=Markup(css), js=Markup(js), csp=standalone_csp(css, js),
    )


def _utf8_chunks(pieces: Iterable[str], size: int, errors: str = "strict") -> Iterator[bytes]:
    """``pieces`` joined into runs of at least ``size`` characters (the last may be shorter), each
    encoded as UTF-8 (with ``errors``): their concatenation is the UTF-8 of ``"".join(pieces)``.

    >>> [c.decode() for c in _utf8_chunks(["ab", "c", "dé", "", "f"], size=3)]
    ['abc', 'déf']
    """
    run: list[str] = []
    length = 0
    for piece in pieces:
        run.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(run).encode("utf-8", errors)
            run.clear()
            length = 0
    if run:
        yield "".join(run).encode("utf-8", errors)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The cycle collector off while a page is built, as ``timeit`` does: rendering makes hundreds of
    thousands of short-lived, acyclic objects, and each full collection they trigger walks every
    live object of the process (a 200-article report and its analysis: millions), a quarter of the
    render time at 200 articles. Turned back on only if it was on, so nesting and callers that
    turned it off themselves keep their setting."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
