"""WARC archives (``.warc``, ``.warc.gz``): each HTML response record becomes an Article.

Read with warcio (the Webrecorder project's WARC library; the ``[stream]`` extra), streamed from
disk: an archive is not read into memory whole, so the per-file size cap applies to each
record's body instead (``max_file_bytes``). The page goes through the same HTML extractor as an
``.html`` file (``parse_html``); the record's ``WARC-Target-URI`` is the article's URL.

Each HTML page is an input of its own (``archive.warc.gz#7``: the 7th record), read inside the
``guarded`` boundary: a page with no article text is that page's error, the others load. Records
that are not pages (requests, metadata, images, scripts, redirects, HTTP errors) are counted in
the archive's record message, not loaded.
"""

from __future__ import annotations

import os
import stat
from functools import partial
from pathlib import Path
from typing import Any

from newsprism.errors import InputError
from newsprism.ingest.common import build_article, outlet_from_url, url_slug
from newsprism.ingest.decode import decode_bytes, html_declared_charset
from newsprism.ingest.guard import guarded
from newsprism.ingest.html import parse_html
from newsprism.ingest.result import LoadContext

__all__ = ["WARC_SUFFIXES", "is_warc", "load_warc"]

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: Path) -> bool:
    """Whether ``path`` names a WARC archive (by its extension).

    >>> is_warc(Path("crawl-00001.warc.gz")), is_warc(Path("page.html"))
    (True, False)
    """
    return path.name.lower().endswith(WARC_SUFFIXES)


def load_warc(path: Path, ctx: LoadContext, *, source: str) -> None:
    """Load every HTML response of the archive at ``path`` into ``ctx`` (see the module docs)."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise InputError(source, "reading WARC archives needs the warcio package",
                         "install newsprism's stream extra: pip install 'newsprism[stream]'",
                         code="unsupported") from None
    try:
        st = os.stat(path)
    except OSError as e:
        raise InputError(source, f"the archive cannot be read ({e.strerror or e})", "check the path",
                         code="not_found" if isinstance(e, FileNotFoundError) else "unreadable") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(source, "it is not a regular file", "pass the archive file itself", code="not_regular")
    rec = ctx.record(source, "ok", kind="warc")
    ids: list[str] = []
    pages = other = 0
    try:
        with open(path, "rb") as f:
            for n, record in enumerate(ArchiveIterator(f, arc2warc=True), start=1):
                page = _html_body(record, ctx.max_file_bytes, f"{source}#{n}")
                if page is None:
                    other += 1
                    continue
                pages += 1
                where = f"{source}#{n}"
                if guarded(ctx, where, "warc", partial(_load_page, page, record, where, ctx)):
                    ids.append(ctx.articles[-1].id)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as e:
        problem = f"not a readable WARC archive ({type(e).__name__}: {str(e)[:200]})"
        if not pages and not other:
            raise InputError(source, problem, "pass a .warc or .warc.gz file written by a crawler",
                             code="bad_archive") from None
        # a truncated archive: what was read stays, the break is this archive's error
        ctx.errors.append(InputError(source, f"{problem} after {pages + other} records",
                                     "the archive looks truncated; re-download or re-crawl it", code="bad_archive"))
    note = f"{len(ids)} of {pages} HTML pages loaded; {other} other records (requests, metadata, non-HTML) skipped"
    if ids:
        ctx.update(rec, article_ids=tuple(ids), message=note)
    else:
        ctx.update(rec, status="failed", message=note, code="nothing_usable")


def _html_body(record: Any, max_bytes: int, where: str) -> tuple[bytes, str | None] | InputError | None:
    """(body, charset) of an HTML page with HTTP status 200; an error for one that is too large;
    None for every other record."""
    if record.rec_type not in ("response", "resource"):
        return None
    http = record.http_headers
    if record.rec_type == "response":
        if http is None or http.get_statuscode() != "200":
            return None
        content_type = http.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    media, _, params = content_type.partition(";")
    if media.strip().lower() not in _HTML_TYPES:
        return None
    charset = None
    for p in params.split(";"):
        key, _, value = p.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        return InputError(where, f"the page is over the {max_bytes / 1e6:g} MB limit per page",
                          "raise the limit (newsprism ingest --max-file-mb)", code="too_large")
    return data, charset


def _load_page(page: tuple[bytes, str | None] | InputError, record: Any, where: str, ctx: LoadContext) -> None:
    if isinstance(page, InputError):
        raise page
    data, charset = page
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    text = decode_bytes(data, source=where, declared=charset or html_declared_charset(data))
    draft = parse_html(text, source=where, url=url)
    if draft.url is None and url:
        from dataclasses import replace

        draft = replace(draft, url=url)
    article = ctx.add_article(build_article(draft, source=where, fallback_id=url_slug(url) if url else "page",
                                            fallback_outlet=(outlet_from_url(url) if url else None) or "archive"))
    ctx.record(where, "ok", ids=(article.id,), kind="warc")
