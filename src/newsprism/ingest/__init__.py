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

import re
from collections.abc import Iterable
from pathlib import Path

from newsprism.errors import InputError
from newsprism.ingest.directory import load_directory
from newsprism.ingest.fetch import Fetched, Fetcher
from newsprism.ingest.files import load_file
from newsprism.ingest.result import IngestResult, InputRecord, LoadContext
from newsprism.ingest.url import load_url

__all__ = ["Fetched", "Fetcher", "IngestResult", "InputRecord", "load", "load_many"]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def load(
    source: str | Path, *, fetcher: Fetcher | None = None, fetch_links: bool | None = None
) -> IngestResult:
    """Load one source: a file, a directory (recursively) or an http(s) URL.

    ``fetcher`` is the HTTP client to use (a default one is made, and closed, when a URL
    needs it). ``fetch_links``: whether a feed entry with only a short summary has its link
    fetched; by default yes for feeds given as URLs, and for feed files only when a
    ``fetcher`` is passed.
    """
    return load_many([source], fetcher=fetcher, fetch_links=fetch_links)


def load_many(
    sources: Iterable[str | Path], *, fetcher: Fetcher | None = None, fetch_links: bool | None = None
) -> IngestResult:
    """Load several sources into one result; article ids are unique across all of them."""
    ctx = LoadContext(fetcher=fetcher, fetch_links=fetch_links)
    try:
        for source in sources:
            _load_one(source, ctx)
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
            ctx.fail(
                InputError(
                    source,
                    f"the {m.group(1)}:// scheme is not supported",
                    "pass an http:// or https:// address, or a local file path",
                    code="unsupported",
                )
            )
            return
    name = str(source)
    path = Path(source).expanduser()
    if path.is_dir():
        load_directory(path, ctx, source=name)
    elif path.is_file():
        load_file(path, ctx, source=name)
    elif path.exists():
        ctx.fail(
            InputError(
                name,
                "it is not a regular file or directory",
                "pass a file, a directory or a URL",
                code="unsupported",
            )
        )
    else:
        hint = (
            " (a web address needs https:// in front)"
            if re.match(r"^(?:www\.|[\w-]+\.[a-z]{2,}/)", name)
            else ""
        )
        ctx.fail(InputError(name, f"no such file or directory{hint}", "check the path", code="not_found"))
