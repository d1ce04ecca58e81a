"""RSS and Atom feeds (feedparser): one article per entry, from its content or summary.

An entry with only a short summary and a link has the linked page fetched (same fetcher)
when the load allows it; if that fails the summary is used and the error is reported.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import feedparser

from newsprism.errors import InputError
from newsprism.ingest.common import Draft, build_article, clean_field, stem_of, url_slug
from newsprism.ingest.dates import parse_date
from newsprism.ingest.decode import decode_bytes, text_codec
from newsprism.ingest.guard import guarded
from newsprism.ingest.html import html_fragment_text, parse_html, sniff_html
from newsprism.ingest.result import LoadContext, printable_error

__all__ = ["SHORT_SUMMARY_WORDS", "load_feed_bytes", "load_feed_entry", "safe_char_refs", "safe_prolog", "sniff_feed"]

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
    try:
        parsed = feedparser.parse(safe_char_refs(safe_prolog(data)))
    except Exception as e:  # feedparser's own bugs on hostile input (charrefs, encodings)
        why = f"{type(e).__name__}: {e}"[:200]
        ctx.fail(
            InputError(
                source,
                f"not a readable RSS or Atom feed (the feed parser failed: {why})",
                "check that the file or URL is a well-formed feed",
                code="bad_feed",
            ),
            kind="feed",
        )
        return
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
        # Each entry is its own input: whatever goes wrong in it, the other entries load.
        read = partial(load_feed_entry, entry, where=where, outlet=outlet, ctx=ctx, fetch=fetch_links,
                       fallback_id=f"{stem}-{i}", fallback_outlet=outlet or stem)  # fmt: skip
        if guarded(ctx, where, "feed", read):
            ids.append(ctx.articles[-1].id)
    if ids:
        ctx.update(feed_rec, article_ids=tuple(ids), message=f"{len(ids)} of {len(entries)} entries loaded")
    else:
        ctx.update(feed_rec, status="failed", message=f"none of its {len(entries)} entries gave an article",
                   code="nothing_usable")  # fmt: skip


def load_feed_entry(
    entry: Any,
    *,
    where: str,
    outlet: str | None,
    ctx: LoadContext,
    fetch: bool,
    fallback_id: str,
    fallback_outlet: str,
) -> None:
    """Load one parsed feed entry (a ``feedparser`` entry) into ``ctx`` as one article and record.

    ``where`` names the entry in records and errors; ``fetch``: fetch the page of an entry that
    holds only a short summary (the feed watcher, ``newsprism.stream.watch``, loads entries
    one by one through this).
    """
    draft, note = _entry_draft(entry, where=where, outlet=outlet, ctx=ctx, fetch=fetch)
    art = ctx.add_article(
        build_article(draft, source=where, fallback_id=fallback_id, fallback_outlet=fallback_outlet)
    )
    ctx.record(where, "ok", ids=(art.id,), message=note, kind="feed")


# A numeric character reference, possibly escaped again (``&amp;#xD800;`` in an HTML summary).
_CHAR_REF = re.compile(rb"&((?:amp;)*)#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,24}));")


def _bad_code_point(n: int) -> bool:
    return n > 0x10FFFF or 0xD800 <= n <= 0xDFFF or n in (0xFFFE, 0xFFFF) or (n < 0x20 and n not in (9, 10, 13))


def safe_char_refs(data: bytes) -> bytes:
    """Character references to what no document may hold (surrogates, NUL and other controls,
    numbers past U+10FFFF) replaced by ``&#xFFFD;``: feedparser crashes on them.

    >>> safe_char_refs(b"<title>a&#xD800;b&amp;#55296;c&#0;d&#233;</title>")
    b'<title>a&#xFFFD;b&amp;#xFFFD;c&#xFFFD;d&#233;</title>'
    """

    def fix(m: re.Match[bytes]) -> bytes:
        hex_digits, dec_digits = m.group(2), m.group(3)
        n = int(hex_digits, 16) if hex_digits else int(dec_digits)
        return b"&" + m.group(1) + b"#xFFFD;" if _bad_code_point(n) else m.group(0)

    return _CHAR_REF.sub(fix, data) if b"&" in data else data


_PROLOG_ENCODING = re.compile(rb"""^(\xef\xbb\xbf)?(<\?xml[^>]{0,200}?encoding\s*=\s*["'])([^"']{0,100})(["'])""")


def safe_prolog(data: bytes) -> bytes:
    """An XML declaration naming no usable text codec (``encoding="undefined"``, ``"hex"``)
    made to say UTF-8: feedparser would crash on it, or decode with it.

    >>> safe_prolog(b'<?xml version="1.0" encoding="undefined"?><rss/>')
    b'<?xml version="1.0" encoding="utf-8"?><rss/>'
    """
    m = _PROLOG_ENCODING.match(data)
    if m is None or text_codec(m.group(3).decode("ascii", "replace").strip()):
        return data
    return data[: m.start(3)] + b"utf-8" + data[m.end(3) :]


def _entry_draft(
    entry: Any, *, where: str, outlet: str | None, ctx: LoadContext, fetch: bool
) -> tuple[Draft, str]:
    link = clean_field(entry.get("link"))
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    body_html = max(contents, key=len) if contents else entry.get("summary", "")
    text = html_fragment_text(body_html or "")
    title = clean_field(html_fragment_text(entry.get("title", "") or ""))
    # dict.get: feedparser's own get() maps "updated" to "published" with a DeprecationWarning.
    published = parse_date(dict.get(entry, "published") or dict.get(entry, "updated")) or parse_date(
        dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
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
                ctx.errors.append(printable_error(e))
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
