"""RSS and Atom feeds (feedparser): one article per entry, from its content or summary.

An entry with only a short summary and a link has the linked page fetched (same fetcher)
when the load allows it; if that fails the summary is used and the error is reported.
"""

from __future__ import annotations

import re
from typing import Any

import feedparser

from newsprism.errors import InputError
from newsprism.ingest.common import Draft, build_article, clean_field, stem_of, url_slug
from newsprism.ingest.dates import parse_date
from newsprism.ingest.decode import decode_bytes
from newsprism.ingest.html import html_fragment_text, parse_html, sniff_html
from newsprism.ingest.result import LoadContext

__all__ = ["SHORT_SUMMARY_WORDS", "load_feed_bytes", "sniff_feed"]

SHORT_SUMMARY_WORDS = 80  # an entry with less text than this is a teaser, not the article
_FEED_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.DOTALL)


def sniff_feed(head: str) -> bool:
    """True when ``head`` (the start of a document) opens an RSS, Atom or RDF feed.

    >>> sniff_feed('<?xml version="1.0"?><rss version="2.0">'), sniff_feed("<html>")
    (True, False)
    """
    return bool(_FEED_START.match(head[:4096].lstrip("\ufeff")))


def load_feed_bytes(data: bytes, *, source: str, ctx: LoadContext, fetch_links: bool) -> None:
    """Load every entry of a feed into ``ctx``: one record for the feed, one per entry.

    ``fetch_links``: fetch the page of an entry that holds only a short summary.
    """
    parsed = feedparser.parse(data)
    entries = parsed.entries
    if not entries:
        if parsed.bozo or not parsed.version:
            why = parsed.get("bozo_exception") or "no RSS or Atom root element"
            ctx.fail(
                InputError(
                    source,
                    f"not a readable RSS or Atom feed ({why})",
                    "check that the file or URL is a feed",
                    code="bad_feed",
                ),
                kind="feed",
            )
        else:
            ctx.fail(
                InputError(
                    source, "the feed has no entries", "pass a feed that lists articles", code="empty"
                ),
                kind="feed",
            )
        return
    feed_rec = ctx.record(source, "ok", kind="feed")
    outlet = clean_field(parsed.feed.get("title"))
    stem = stem_of(source) if "://" not in source else url_slug(source)
    ids: list[str] = []
    for i, entry in enumerate(entries, start=1):
        where = f"{source}#{i}"
        try:
            draft, note = _entry_draft(entry, where=where, outlet=outlet, ctx=ctx, fetch=fetch_links)
            art = ctx.add_article(
                build_article(draft, source=where, fallback_id=f"{stem}-{i}", fallback_outlet=outlet or stem)
            )
        except InputError as e:
            ctx.fail(e, kind="feed")
            continue
        ids.append(art.id)
        ctx.record(where, "ok", ids=(art.id,), message=note, kind="feed")
    if ids:
        ctx.update(feed_rec, article_ids=tuple(ids), message=f"{len(ids)} of {len(entries)} entries loaded")
    else:
        ctx.update(feed_rec, status="failed", message=f"none of its {len(entries)} entries gave an article")


def _entry_draft(
    entry: Any, *, where: str, outlet: str | None, ctx: LoadContext, fetch: bool
) -> tuple[Draft, str]:
    link = clean_field(entry.get("link"))
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    body_html = max(contents, key=len) if contents else entry.get("summary", "")
    text = html_fragment_text(body_html or "")
    title = clean_field(html_fragment_text(entry.get("title", "") or ""))
    published = parse_date(entry.get("published") or entry.get("updated")) or parse_date(
        entry.get("published_parsed") or entry.get("updated_parsed")
    )
    base = Draft(
        body=text,
        title=title,
        outlet=outlet,
        url=link,
        published=published,
        author=clean_field(entry.get("author")),
    )
    note = ""
    if link and not contents and len(text.split()) < SHORT_SUMMARY_WORDS:
        if fetch:
            try:
                return _from_link(link, base, ctx), "article text fetched from the entry's link"
            except InputError as e:
                ctx.errors.append(e)
                note = f"used the feed summary: fetching the link failed ({e.problem})"
        else:
            note = "only the feed summary: fetching links is off"
    if not text.strip():
        raise InputError(
            where,
            "the entry has no content or summary",
            "use a feed with full entries, or allow fetching the entries' links",
            code="empty",
        )
    return base, note


def _from_link(link: str, base: Draft, ctx: LoadContext) -> Draft:
    page = ctx.get_fetcher().fetch(link)
    text = decode_bytes(page.content, source=link, declared=page.charset)
    if "html" not in page.media_type and not sniff_html(text):
        raise InputError(
            link,
            f"the link gives {page.media_type or 'an unknown type'}, not an HTML page",
            "use a feed with full entries",
            code="unsupported",
        )
    found = parse_html(text, source=link, url=page.url)
    return Draft(
        body=found.body,
        title=found.title or base.title,
        outlet=found.outlet or base.outlet,
        url=found.url or base.url,
        published=found.published or base.published,
        author=found.author or base.author,
        headings=found.headings,
        captions=found.captions,
    )
