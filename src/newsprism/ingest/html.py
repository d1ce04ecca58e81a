"""HTML pages: main text and metadata via trafilatura, dates via meta tags and htmldate.

Paragraph structure is kept (one paragraph per ``<p>``, heading and list item); headings and
``<figcaption>`` texts are handed to ``find_artifacts`` so they are marked, not lost.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import lxml.etree
import lxml.html
import trafilatura

from newsprism.errors import InputError
from newsprism.ingest.common import Draft
from newsprism.ingest.dates import parse_date
from newsprism.ingest.decode import xml_safe
from newsprism.text.normalize import match_key

__all__ = ["html_fragment_text", "parse_html", "sniff_html"]

_NO_ARTICLE_FIX = (
    "check that it is an article page (not a home, index or login page); "
    "if the text is there, save it as a .txt file and pass that"
)
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
)
_BLOCKS = frozenset(
    "p div br li h1 h2 h3 h4 h5 h6 blockquote figcaption tr section article header footer ul ol".split()
)


def sniff_html(text: str) -> bool:
    """True when ``text`` looks like an HTML page.

    >>> sniff_html("<!DOCTYPE html><html><body>x</body></html>"), sniff_html("Plain words.")
    (True, False)
    """
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<html" in head or "<body" in head


def parse_html(html: str, *, source: str, url: str | None = None) -> Draft:
    """Extract the article of a page: body paragraphs, title, outlet, author, date.

    Raises ``InputError`` (code ``no_article``) when the page holds no article text.

    >>> page = ("<html><head><title>Ferry Resumes</title><meta property='og:site_name' "
    ...         "content='Brenmoor Courier'></head><body><article><h1>Ferry Resumes</h1>"
    ...         "<p>The ferry to Osk Island resumed service on Monday after a two-week pause, "
    ...         "the harbour office said in a statement.</p><p>Tickets were sold out by noon, "
    ...         "and a second boat was added for the evening run.</p></article></body></html>")
    >>> d = parse_html(page, source="ferry.html")
    >>> (d.title, d.outlet, d.body.splitlines()[0][:17])
    ('Ferry Resumes', 'Brenmoor Courier', 'The ferry to Osk ')
    """
    html = xml_safe(html)
    xml = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_recall=True,
    )
    doc = lxml.etree.fromstring(xml.encode("utf-8")) if xml else None
    main = doc.find("main") if doc is not None else None
    if main is None:
        raise InputError(source, "no article text found in the page", _NO_ARTICLE_FIX, code="no_article")
    title = doc.get("title") if doc is not None else None
    paragraphs, headings = _paragraphs(main)
    # The page's own <h1> repeating its title is the headline, not body text.
    first_is_title = bool(paragraphs and title and headings and paragraphs[0] == headings[0])
    if first_is_title and match_key(paragraphs[0]) == match_key(title or ""):
        paragraphs, headings = paragraphs[1:], headings[1:]
    if not any(p.strip() for p in paragraphs):
        raise InputError(source, "no article text found in the page", _NO_ARTICLE_FIX, code="no_article")
    tree = _tree(html)
    return Draft(
        body="\n".join(paragraphs),
        title=title,
        outlet=_sitename(doc.get("sitename") if doc is not None else None),
        url=url or (doc.get("url") if doc is not None else None),
        published=_published(html, tree, doc.get("date") if doc is not None else None),
        author=doc.get("author") if doc is not None else None,
        headings=tuple(headings),
        captions=_figcaptions(tree),
    )


def _paragraphs(main: lxml.etree._Element) -> tuple[list[str], list[str]]:
    """One paragraph per block of trafilatura's XML; list items become ``• `` lines."""
    paragraphs: list[str] = []
    headings: list[str] = []
    for el in main:
        tag = el.tag
        if tag == "list":
            for item in el.iter("item"):
                text = _text(item)
                if text:
                    paragraphs.append(f"• {text}")
            continue
        if tag == "table":
            for row in el.iter("row"):
                cells = [_text(c) for c in row.iter("cell")]
                if any(cells):
                    paragraphs.append(" | ".join(c for c in cells if c))
            continue
        text = _text(el)
        if not text:
            continue
        if tag == "head":
            headings.append(text)
        paragraphs.extend(line for line in text.split("\n") if line.strip())
    return paragraphs, headings


def _text(el: lxml.etree._Element) -> str:
    for lb in el.iter("lb"):  # a <br> inside a paragraph is a line break
        lb.tail = "\n" + (lb.tail or "")
    return "".join(el.itertext()).strip()


def _tree(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None


def _sitename(name: str | None) -> str | None:
    # trafilatura falls back to a bare host name; the URL fallback does that better.
    return name if name and not re.fullmatch(r"[\w.-]+\.[a-z]{2,}", name) else None


def _figcaptions(tree: lxml.html.HtmlElement | None) -> tuple[str, ...]:
    if tree is None:
        return ()
    out = [" ".join(el.text_content().split()) for el in tree.iter("figcaption")]
    return tuple(c for c in out if c)


def _published(html: str, tree: lxml.html.HtmlElement | None, extracted: str | None) -> datetime | None:
    """Full timestamps from meta tags or JSON-LD first, then trafilatura's date, then htmldate."""
    if tree is not None:
        for meta in tree.iter("meta"):
            name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
            if name in _DATE_META:
                dt = parse_date(meta.get("content"))
                if dt:
                    return dt
        for time_el in tree.iter("time"):
            if time_el.get("pubdate") is not None or "publish" in (time_el.get("class") or ""):
                dt = parse_date(time_el.get("datetime"))
                if dt:
                    return dt
        for script in tree.iter("script"):
            if script.get("type") == "application/ld+json" and script.text:
                dt = _jsonld_date(script.text)
                if dt:
                    return dt
    dt = parse_date(extracted)
    if dt:
        return dt
    from htmldate import find_date  # imported late: only pages without any date need it

    found = find_date(html, original_date=True, extensive_search=True)
    return parse_date(found)


def _jsonld_date(raw: str) -> datetime | None:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # junk, a 5,000-digit number, nesting past the stack
        return None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "datePublished" in item:
                dt = parse_date(item["datePublished"])
                if dt:
                    return dt
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


_WS = re.compile(r"\s+")


def html_fragment_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed summary), one line per block element.

    >>> html_fragment_text("<p>The ferry <b>resumed</b>.</p><ul><li>One</li><li>Two</li></ul>")
    'The ferry resumed.\\n• One\\n• Two'
    """
    fragment = xml_safe(fragment)
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    for el in root.iter():
        # Source line breaks inside a paragraph are just spaces; blocks make the breaks.
        el.text = _WS.sub(" ", el.text) if el.text else el.text
        el.tail = _WS.sub(" ", el.tail) if el.tail else el.tail
        if not isinstance(el.tag, str):
            continue
        if el.tag == "li":
            el.text = "• " + (el.text or "")
        if el.tag in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
            if el.tag != "br":
                el.text = "\n" + (el.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)
