"""One local file: pick its kind by extension, else by sniffing its start, then load it.

Kinds: text (``.txt``, no extension), Markdown (``.md``, ``.markdown``), HTML (``.html``,
``.htm``, ``.xhtml``), JSONL (``.jsonl``, ``.ndjson``), JSON (``.json``) and feeds (``.xml``,
``.rss``, ``.atom``). Any other extension is sniffed (``<html``, ``<rss``/``<feed``, ``{``
per line); what is still unknown is reported as ``unsupported``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from newsprism.errors import InputError
from newsprism.ingest.common import Draft, build_article, slugify
from newsprism.ingest.decode import binary_kind, decode_bytes, html_declared_charset
from newsprism.ingest.feed import load_feed_bytes, sniff_feed
from newsprism.ingest.html import parse_html, sniff_html
from newsprism.ingest.jsonl import load_json_text, load_jsonl_text
from newsprism.ingest.result import LoadContext
from newsprism.ingest.textfile import MARKDOWN_SUFFIXES, TEXT_SUFFIXES, parse_text
from newsprism.model import Article

__all__ = ["KNOWN_SUFFIXES", "file_kind", "load_file"]

_BY_SUFFIX = {
    **dict.fromkeys(TEXT_SUFFIXES, "text"),
    **dict.fromkeys(MARKDOWN_SUFFIXES, "markdown"),
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}  # fmt: skip
KNOWN_SUFFIXES = frozenset(_BY_SUFFIX)


def file_kind(path: Path, data: bytes) -> str | None:
    """The kind of a file by extension, else by sniffing its first bytes (None: unknown).

    >>> file_kind(Path("a.htm"), b""), file_kind(Path("a.dat"), b'{"text": "x"}\\n')
    ('html', 'jsonl')
    """
    kind = _BY_SUFFIX.get(path.suffix.lower())
    if kind:
        return kind
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if sniff_feed(head):
        return "feed"
    if sniff_html(head):
        return "html"
    lines = [line for line in head.splitlines()[:5] if line.strip()]
    if lines and all(line.lstrip().startswith("{") for line in lines):
        return "jsonl"
    return None


def load_file(path: Path, ctx: LoadContext, *, source: str | None = None) -> None:
    """Load one file into ``ctx`` (JSONL/JSON/feed files add a record per line or entry)."""
    source = source or str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        ctx.fail(
            InputError(
                source,
                f"the file cannot be read ({e.strerror or e})",
                "check its permissions",
                code="unreadable",
            )
        )
        return
    kind = file_kind(path, data)
    try:
        if not data.strip():
            raise InputError(
                source, "the file is empty", "add the article text or remove the file", code="empty"
            )
        if kind is None:
            what = binary_kind(data)
            if what:
                decode_bytes(data, source=source)  # raises the `binary` error with its wording
            raise InputError(
                source,
                f"{path.suffix or 'this'} files are not a known input kind",
                "pass .txt, .md, .html, .jsonl, .json or an RSS/Atom feed (.xml)",
                code="unsupported",
            )
        if kind == "feed":
            decode_bytes(data[:8192], source=source)  # refuse binaries before feedparser sees them
            load_feed_bytes(data, source=source, ctx=ctx, fetch_links=ctx.links_allowed(from_url=False))
            return
        declared = html_declared_charset(data) if kind == "html" else None
        text = decode_bytes(data, source=source, declared=declared)
        if kind == "jsonl":
            load_jsonl_text(text, source=source, ctx=ctx)
            return
        if kind == "json":
            load_json_text(text, source=source, ctx=ctx)
            return
        draft = (
            parse_html(text, source=source)
            if kind == "html"
            else parse_text(text, markdown=kind == "markdown")
        )
        article = _build(draft, path, source)
    except InputError as e:
        ctx.fail(e, kind=kind or "")
        return
    article = ctx.add_article(article)
    ctx.record(source, "ok", ids=(article.id,), kind=kind)


def _build(draft: Draft, path: Path, source: str) -> Article:
    # Files are named by their stem (a page's canonical URL would give a less obvious id).
    stem = path.stem if path.suffix.lower() in KNOWN_SUFFIXES else path.name
    draft = replace(draft, id=draft.id or slugify(stem) or "article")
    empty = InputError(source, "the file is empty", "add the article text or remove the file", code="empty")
    return build_article(
        draft, source=source, fallback_id=draft.id or "article", fallback_outlet=stem, empty=empty
    )
