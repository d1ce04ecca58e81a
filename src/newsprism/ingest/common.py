"""The step every ingester ends with (``Draft`` -> ``Article``), plus ids and outlets.

An ingester fills a ``Draft`` with raw body text and metadata; ``build_article`` normalises
the text, marks artifacts and creates the ``Article``.

>>> slugify("Brenmoor Courier: Bridge Reopens!")
'brenmoor-courier-bridge-reopens'
>>> url_slug("https://www.brenmoor-courier.example/news/bridge-reopens.html?ref=rss")
'brenmoor-courier-example-news-bridge-reopens'
>>> outlet_from_url("https://www.brenmoor-courier.example:8080/a")
'brenmoor-courier.example'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePath
from urllib.parse import SplitResult, urlsplit

from newsprism.errors import InputError
from newsprism.ingest.result import printable
from newsprism.model import Article
from newsprism.text.artifacts import find_artifacts
from newsprism.text.normalize import normalize_text

__all__ = [
    "Draft",
    "build_article",
    "check_text_size",
    "clean_field",
    "outlet_from_url",
    "scrub",
    "slugify",
    "split_url",
    "url_slug",
]


@dataclass(frozen=True, slots=True)
class Draft:
    """An article before normalisation: raw body and whatever metadata the input had.

    ``headings`` and ``captions`` are lines the markup itself marks as subheadings or
    figure captions (passed on to ``find_artifacts``).
    """

    body: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    id: str | None = None
    headings: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()


#: longest article text accepted (spaCy's own limit is 1,000,000 characters)
MAX_ARTICLE_CHARS = 200_000


def build_article(
    draft: Draft,
    *,
    source: str,
    fallback_id: str,
    fallback_outlet: str,
    empty: InputError | None = None,
) -> Article:
    """Normalise ``draft`` into an Article (its id is the wanted base; the load makes it unique).

    The id is the draft's own, else a slug of its URL, else ``fallback_id``; the outlet is
    the draft's, else its URL's domain, else ``fallback_outlet``. Without a title, a headline
    that ``find_artifacts`` finds in the body becomes the title (the line stays, marked).
    Raises ``empty`` (or a generic ``empty`` InputError) when no text is left after
    normalisation.
    """
    draft = _scrub_draft(draft)
    source = printable(source)
    text = normalize_text(draft.body)
    if not text:
        raise empty or InputError(
            source, "there is no text in it", "add the article text or remove the input", code="empty"
        )
    if len(text) > MAX_ARTICLE_CHARS:
        # a news article is a few thousand words; this is a book, a dump or several articles in one
        raise InputError(
            source,
            f"the article text is {len(text):,} characters, over the {MAX_ARTICLE_CHARS:,} limit",
            "split it into one file per article (or one JSONL line per article)",
            code="too_large",
        )
    title = clean_field(draft.title)
    url = clean_field(draft.url)
    # A file name may hold control characters or bytes that are not UTF-8: clean it like a field.
    outlet = (
        clean_field(draft.outlet)
        or (outlet_from_url(url) if url else None)
        or clean_field(scrub(fallback_outlet))
        or "unknown outlet"
    )
    art_id = clean_field(draft.id) or (url_slug(url) if url else "") or clean_field(fallback_id) or "article"
    artifacts = find_artifacts(text, title, headings=draft.headings, captions=draft.captions)
    if title is None:
        # A headline found standing in the body (kept there, marked) also names the article.
        heads = [a for a in artifacts if a.kind == "headline" and "dek" not in a.why]
        title = text[heads[0].start : heads[0].end] if heads else None
    return Article.create(
        id=art_id,
        outlet=outlet,
        text=text,
        title=title,
        url=url,
        published=draft.published,
        author=clean_field(draft.author),
        source=source,
        artifacts=artifacts,
    )


def check_text_size(text: str, *, source: str) -> None:
    """Refuse (``too_large``) a plain text or Markdown input far over ``MAX_ARTICLE_CHARS``
    before it is parsed: parsing a multi-megabyte line is slow, and the article would be
    refused after normalisation anyway (twice the limit leaves room for spacing and markup)."""
    if len(text) > 2 * MAX_ARTICLE_CHARS:
        raise InputError(
            source,
            f"the text is {len(text):,} characters, far over the {MAX_ARTICLE_CHARS:,} limit of one article",
            "split it into one file per article (or one JSONL line per article)",
            code="too_large",
        )


def clean_field(value: object) -> str | None:
    """A metadata value as one normalised line, or None when empty or not a scalar.

    >>> clean_field("  Brenmoor\\u00a0Courier \\n")
    'Brenmoor Courier'
    >>> clean_field(None) is None, clean_field(12)
    (True, '12')
    """
    if value is None or isinstance(value, dict | list | tuple | bool):
        return None
    try:
        raw = str(value)
    except ValueError:  # an int of more than 4,300 digits refuses str()
        return None
    text = normalize_text(scrub(raw)).replace("\n\n", " ")
    return text or None


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """``text`` with lone surrogates (from ``\\ud800`` JSON escapes, ``&#xD800;`` references or
    file names that are not UTF-8) replaced by U+FFFD, so it can always be written as UTF-8.

    >>> scrub("caf\\ud800!")
    'caf\ufffd!'
    """
    return _SURROGATE.sub("\ufffd", text) if not text.isascii() else text


def _scrub_draft(draft: Draft) -> Draft:
    fields = {
        name: scrub(value)
        for name in ("body", "title", "outlet", "url", "author", "id")
        if isinstance(value := getattr(draft, name), str) and _SURROGATE.search(value)
    }
    headings = tuple(scrub(h) for h in draft.headings)
    captions = tuple(scrub(c) for c in draft.captions)
    return replace(draft, **fields, headings=headings, captions=captions)  # type: ignore[arg-type]


def split_url(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or None when the URL is malformed (``http://[::1/``, a bad port).

    >>> split_url("http://[::1/") is None, split_url("http://h:abc/") is None
    (True, True)
    >>> split_url("https://osk.example/a").hostname
    'osk.example'
    """
    try:
        parts = urlsplit(url)
        _ = parts.hostname, parts.port  # both parse lazily and raise ValueError on junk
    except ValueError:
        return None
    return parts


def slugify(text: str, max_len: int = 80) -> str:
    """Lowercase ASCII words joined by ``-`` (accents folded), at most ``max_len`` characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_len].rstrip("-")


def url_slug(url: str) -> str:
    """Slug of a URL's host (no ``www.``) and path; the query only when the path is bare."""
    parts = split_url(url)
    if parts is None:
        return slugify(url, max_len=120) or "page"
    path = re.sub(r"\.(?:s?html?|php|aspx?|jsp|cms)$", "", parts.path)
    tail = path if path.strip("/") else f"{path}{parts.query}"
    return slugify(f"{outlet_from_url(url) or ''} {tail}", max_len=120) or "page"


def outlet_from_url(url: str) -> str | None:
    """A URL's host, lowercased, without port or a leading ``www.``."""
    parts = split_url(url)
    host = ((parts.hostname if parts else None) or "").lower()
    host = host.removeprefix("www.")
    return host or None


def stem_of(source: str) -> str:
    """The file-name stem of a path-like source (``news/courier.txt`` -> ``courier``)."""
    return PurePath(source).stem or source
