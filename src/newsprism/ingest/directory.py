"""A directory of inputs, read recursively in sorted order, kinds mixed.

Hidden files and folders and documentation files (``README*``, ``TRUTH*``, ``truth.json``,
``LICENSE*``) are skipped with a record saying why; every other file is loaded or reported.
"""

from __future__ import annotations

import os
from pathlib import Path

from newsprism.errors import InputError
from newsprism.ingest.files import load_file
from newsprism.ingest.result import LoadContext

__all__ = ["load_directory", "skip_reason"]

_DOC_PREFIXES = ("readme", "truth", "license", "licence", "copying")


def skip_reason(name: str) -> str | None:
    """Why a file or folder of a directory input is not read, or None to read it.

    >>> skip_reason(".DS_Store"), skip_reason("README.md"), skip_reason("courier.txt")
    ('hidden file', 'documentation file (README), not an article', None)
    """
    if name.startswith("."):
        return "hidden file"
    lower = name.lower()
    for prefix in _DOC_PREFIXES:
        if lower.startswith(prefix):
            return f"documentation file ({name.split('.')[0]}), not an article"
    return None


def load_directory(path: Path, ctx: LoadContext, *, source: str | None = None) -> None:
    """Load every file under ``path`` into ``ctx``; the directory's own record sums them up."""
    source = source or str(path)
    rec = ctx.record(source, "ok", kind="directory")
    n_articles_before = len(ctx.articles)
    n_files = 0
    for root, dirs, files in os.walk(path):
        kept_dirs = []
        for d in sorted(dirs):
            if d.startswith("."):
                ctx.record(str(Path(root, d)), "skipped", message="hidden folder", kind="directory")
            else:
                kept_dirs.append(d)
        dirs[:] = kept_dirs  # os.walk descends into what is left, in this order
        for name in sorted(files):
            file_path = Path(root, name)
            reason = skip_reason(name)
            if reason:
                ctx.record(str(file_path), "skipped", message=reason)
                continue
            n_files += 1
            load_file(file_path, ctx)
    new_ids = tuple(a.id for a in ctx.articles[n_articles_before:])
    if new_ids:
        ctx.update(
            rec, article_ids=new_ids, message=f"{_n(len(new_ids), 'article')} from {_n(n_files, 'file')}"
        )
        return
    what = "no files" if n_files == 0 else f"none of its {n_files} files gave an article"
    err = InputError(
        source,
        f"nothing usable in the directory: {what}",
        "add .txt, .md, .html, .jsonl or feed files with article text",
        code="nothing_usable",
    )
    ctx.errors.append(err)
    ctx.update(rec, status="failed", message=err.problem)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
