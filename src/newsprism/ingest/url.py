"""Article URLs: fetch, then read the body by its content type (HTML, feed, text, JSON).

Content types newsprism cannot read are sniffed once (a page served as
``application/octet-stream`` may still be HTML) and otherwise reported as ``unsupported``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from newsprism.errors import InputError
from newsprism.ingest.common import build_article, check_text_size, outlet_from_url, url_slug
from newsprism.ingest.decode import decode_bytes, html_declared_charset
from newsprism.ingest.feed import load_feed_bytes, sniff_feed
from newsprism.ingest.fetch import Fetched
from newsprism.ingest.guard import guarded
from newsprism.ingest.html import parse_html, sniff_html
from newsprism.ingest.jsonl import load_json_text, load_jsonl_text
from newsprism.ingest.result import LoadContext, printable
from newsprism.ingest.textfile import parse_text

__all__ = ["load_url"]

_HTML = frozenset({"text/html", "application/xhtml+xml"})
_FEED = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"}
)
_XML = frozenset({"application/xml", "text/xml"})
_TEXT = frozenset({"text/plain", "text/markdown"})
_JSONL = frozenset({"application/x-ndjson", "application/jsonl", "application/x-jsonlines"})


def load_url(url: str, ctx: LoadContext) -> None:
    """Fetch ``url`` and load what it serves into ``ctx`` (one record for the URL).

    Whatever goes wrong becomes this URL's ``InputError``; nothing it raises stops the load.
    """
    guarded(ctx, printable(url), "url", partial(_load_url, url, ctx))


def _load_url(url: str, ctx: LoadContext) -> None:
    try:
        page = ctx.get_fetcher().fetch(url)
        if not page.content.strip():
            raise InputError(url, "the page is empty", "check the address", code="empty")
        kind = _kind(page)
        if kind == "feed":
            load_feed_bytes(page.content, source=url, ctx=ctx, fetch_links=ctx.links_allowed(from_url=True))
            return
        declared = page.charset or (html_declared_charset(page.content) if kind == "html" else None)
        text = decode_bytes(page.content, source=url, declared=declared)
        if kind is None:
            kind = "html" if sniff_html(text) else "jsonl" if text.lstrip().startswith("{") else None
        if kind == "jsonl":
            load_jsonl_text(text, source=url, ctx=ctx)
            return
        if kind == "json":
            load_json_text(text, source=url, ctx=ctx)
            return
        if kind == "html":
            draft = parse_html(text, source=url, url=page.url)
        elif kind in ("text", "markdown"):
            check_text_size(text, source=url)
            draft = parse_text(text, markdown=kind == "markdown")
        else:
            raise InputError(
                url,
                f"the URL serves {page.media_type or 'an unknown content type'}, which newsprism cannot read",
                "pass an article page, a feed, or a text/JSONL file",
                code="unsupported",
            )
        if draft.url is None:
            draft = replace(draft, url=page.url)
        article = build_article(
            draft,
            source=url,
            fallback_id=url_slug(page.url),
            fallback_outlet=outlet_from_url(page.url) or url,
        )
    except InputError as e:
        ctx.fail(e, kind="url", source=url)
        return
    article = ctx.add_article(article)
    ctx.record(
        url,
        "ok",
        ids=(article.id,),
        kind="url",
        message="" if page.url == url else f"redirected to {page.url}",
    )


def _kind(page: Fetched) -> str | None:
    media = page.media_type
    if media in _HTML:
        return "html"
    if media in _FEED:
        return "feed"
    if media in _TEXT:
        return "markdown" if media == "text/markdown" else "text"
    if media in _JSONL:
        return "jsonl"
    if media == "application/json":
        return "json"
    head = page.content[:4096].decode("utf-8", errors="replace")
    if (media in _XML or not media or media == "application/octet-stream") and sniff_feed(head):
        return "feed"
    return None
