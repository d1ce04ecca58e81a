"""Ingestion: files, directories, HTML pages, JSONL, feeds and URLs -> ``Article``.

``load`` takes one source, ``load_many`` several; both return an ``IngestResult`` with the
articles, the errors met (one ``InputError`` per failed input, the run goes on past each),
and one ``InputRecord`` per input, so nothing given is dropped without a trace.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "osk-daily.txt").write_text("Dam Holds\\n\\nThe dam held overnight, engineers said.\\n")
>>> result = load(folder / "osk-daily.txt")
>>> a = result.articles[0]
>>> (a.id, a.outlet, a.title, a.text)
('osk-daily', 'osk-daily', 'Dam Holds', 'The dam held overnight, engineers said.')
>>> load(folder / "missing.txt").errors[0].code
'not_found'
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from newsprism.errors import InputError
from newsprism.ingest.directory import load_directory
from newsprism.ingest.fetch import Fetched, Fetcher
from newsprism.ingest.files import load_file
from newsprism.ingest.guard import guarded
from newsprism.ingest.result import DEFAULT_MAX_FILE_BYTES, IngestResult, InputRecord, LoadContext, printable
from newsprism.ingest.url import load_url

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "Fetched",
    "Fetcher",
    "IngestResult",
    "InputRecord",
    "load",
    "load_many",
]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def load(
    source: str | Path,
    *,
    fetcher: Fetcher | None = None,
    fetch_links: bool | None = None,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> IngestResult:
    """Load one source: a file, a directory (recursively) or an http(s) URL.

    ``fetcher`` is the HTTP client to use (a default one is made, and closed, when a URL
    needs it). ``fetch_links``: whether a feed entry with only a short summary has its link
    fetched; by default yes for feeds given as URLs, and for feed files only when a
    ``fetcher`` is passed. ``max_file_bytes``: the largest local file read (see ``load_many``).
    """
    return load_many([source], fetcher=fetcher, fetch_links=fetch_links, max_file_bytes=max_file_bytes)


def load_many(
    sources: Iterable[str | Path],
    *,
    fetcher: Fetcher | None = None,
    fetch_links: bool | None = None,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> IngestResult:
    """Load several sources into one result; article ids are unique across all of them.

    Each source is read inside its own boundary (``guard.guarded``): whatever goes wrong
    while reading it becomes an ``InputError`` naming it, and the other sources go on.
    Only ``KeyboardInterrupt`` and the like stop a load. ``max_file_bytes`` caps each local
    file (default ``DEFAULT_MAX_FILE_BYTES``, 10 MB: a story's articles fit many times over);
    a larger one is a ``too_large`` error.

    >>> r = load_many(["http://[::1/", "/dev/null", "ftp://files.example/a.txt"])
    >>> [e.code for e in r.errors], [r.code for r in r.inputs]
    (['bad_url', 'not_regular', 'unsupported'], ['bad_url', 'not_regular', 'unsupported'])
    >>> r.errors[1].problem
    'it is a character device, not a regular file'
    """
    ctx = LoadContext(fetcher=fetcher, fetch_links=fetch_links, max_file_bytes=max_file_bytes)
    try:
        for source in sources:
            guarded(ctx, printable(str(source)), "", partial(_load_one, source, ctx))
    finally:
        ctx.close()
    return ctx.result()


def _load_one(source: str | Path, ctx: LoadContext) -> None:
    if isinstance(source, str):
        m = _SCHEME.match(source)
        if m and m.group(1).lower() in ("http", "https"):
            load_url(source, ctx)
            return
        if m and m.group(1).lower() == "file":
            source = Path(source[len("file://") :])
        elif m:
            raise InputError(
                source,
                f"the {m.group(1)}:// scheme is not supported",
                "pass an http:// or https:// address, or a local file path",
                code="unsupported",
            )
    name = printable(str(source))
    try:
        path = Path(source).expanduser()
    except RuntimeError:  # "~someone" with no such user: read the name as written
        path = Path(source)
    try:
        is_dir = stat.S_ISDIR(os.stat(path).st_mode)  # follows symbolic links
    except FileNotFoundError:
        is_dir = False
        if not os.path.islink(path):
            hint = (
                " (a web address needs https:// in front)"
                if re.match(r"^(?:www\.|[\w-]+\.[a-z]{2,}/)", name)
                else ""
            )
            raise InputError(name, f"no such file or directory{hint}", "check the path", code="not_found") from None
    except (OSError, ValueError):
        is_dir = False  # load_file names the problem (permissions, a link loop, a NUL in the name)
    if is_dir:
        load_directory(path, ctx, source=name)
    else:
        load_file(path, ctx, source=name)  # refuses FIFOs, sockets and devices itself
