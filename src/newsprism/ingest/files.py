"""One local file: pick its kind by extension, else by sniffing its start, then load it.

Kinds: text (``.txt``, no extension), Markdown (``.md``, ``.markdown``), HTML (``.html``,
``.htm``, ``.xhtml``), JSONL (``.jsonl``, ``.ndjson``), JSON (``.json``), feeds (``.xml``,
``.rss``, ``.atom``) and WARC archives (``.warc``, ``.warc.gz``; ``newsprism.ingest.warc``).
Any other extension is sniffed (``<html``, ``<rss``/``<feed``, ``{`` per line); what is still
unknown is reported as ``unsupported``.
"""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from functools import partial
from pathlib import Path

from newsprism.errors import InputError
from newsprism.ingest.common import Draft, build_article, check_text_size, slugify
from newsprism.ingest.decode import binary_kind, decode_bytes, html_declared_charset
from newsprism.ingest.feed import load_feed_bytes, sniff_feed
from newsprism.ingest.guard import guarded
from newsprism.ingest.html import parse_html, sniff_html
from newsprism.ingest.jsonl import load_json_text, load_jsonl_text
from newsprism.ingest.result import LoadContext, printable
from newsprism.ingest.textfile import MARKDOWN_SUFFIXES, TEXT_SUFFIXES, parse_text
from newsprism.ingest.warc import is_warc, load_warc
from newsprism.model import Article

__all__ = ["KNOWN_SUFFIXES", "file_kind", "load_file", "read_regular_file"]

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
    """Load one file into ``ctx`` (JSONL/JSON/feed files add a record per line or entry).

    Only regular files are read (a FIFO would block forever, ``/dev/zero`` never ends), and
    at most ``ctx.max_file_bytes`` of them. Whatever goes wrong becomes this file's
    ``InputError``; nothing it raises stops the load (see ``guarded``).
    """
    source = printable(source or str(path))
    guarded(ctx, source, "", partial(_load_file, path, ctx, source))


def read_regular_file(path: Path, *, source: str, max_bytes: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes``; else ``InputError``.

    Codes: ``not_found`` (also a symbolic link whose target is gone), ``not_regular`` (a
    directory, FIFO, socket or device: it is never opened for reading, so a FIFO cannot
    block), ``too_large``, ``unreadable`` (permissions, a symbolic link loop).

    >>> read_regular_file(Path("/dev/null"), source="/dev/null", max_bytes=10)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsprism.errors.InputError: /dev/null: it is a character device, not a regular file (fix: ...)
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        what = "it is a symbolic link to a missing file" if os.path.islink(path) else "no such file or directory"
        raise InputError(source, what, "check the path", code="not_found") from None
    except (OSError, ValueError) as e:  # ELOOP, ENAMETOOLONG, EACCES; ValueError: a NUL in the name
        raise _unreadable(source, e) from None
    _check_regular(st.st_mode, source)
    _check_size(st.st_size, source, max_bytes)
    # O_NONBLOCK: should a FIFO be swapped in after the stat, opening it does not block either.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise _unreadable(source, e) from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        _check_regular(st.st_mode, source)
        try:
            data = f.read(max_bytes + 1)  # never more than the cap, whatever the file claims
        except OSError as e:
            raise _unreadable(source, e) from None
    if len(data) > max_bytes:  # it grew after the stat
        _check_size(max(st.st_size, len(data)), source, max_bytes)
    return data


_SPECIAL = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _check_regular(mode: int, source: str) -> None:
    if stat.S_ISREG(mode):
        return
    what = next((name for test, name in _SPECIAL if test(mode)), "a special file")
    raise InputError(
        source,
        f"it is {what}, not a regular file",
        "pass regular files only: save the content to a file first",
        code="not_regular",
    )


def _check_size(size: int, source: str, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(
            source,
            f"the file is {size / 1e6:.3g} MB, over the {max_bytes / 1e6:g} MB limit per file",
            "split it into smaller files, or raise the limit (newsprism analyze --max-file-mb; "
            "load_many(max_file_bytes=...))",
            code="too_large",
        )


def _unreadable(source: str, e: OSError | ValueError) -> InputError:
    why = (e.strerror if isinstance(e, OSError) else None) or str(e)
    return InputError(source, f"the file cannot be read ({why})", "check the path and its permissions",
                      code="unreadable")  # fmt: skip


def _load_file(path: Path, ctx: LoadContext, source: str) -> None:
    if is_warc(path):  # streamed record by record: an archive is not read into memory whole
        load_warc(path, ctx, source=source)
        return
    data = read_regular_file(path, source=source, max_bytes=ctx.max_file_bytes)
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
                "pass .txt, .md, .html, .jsonl, .json, an RSS/Atom feed (.xml) or a WARC archive (.warc.gz)",
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
        if kind != "html":
            check_text_size(text, source=source)
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
