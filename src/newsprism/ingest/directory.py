"""A directory of inputs, read recursively in sorted order, kinds mixed.

Hidden files and folders and documentation files (``README*``, ``TRUTH*``, ``truth.json``,
``LICENSE*``) are skipped with a record saying why; every other file is loaded or reported.
Symbolically linked folders are followed, each folder read once (no link loops).
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from newsprism.errors import InputError
from newsprism.ingest.files import load_file
from newsprism.ingest.guard import guarded
from newsprism.ingest.result import LoadContext, printable

__all__ = ["MAX_DIR_ENTRIES", "load_directory", "skip_reason"]

#: most files and folders one directory input may hold (a story has tens): a link to / must
#: not make newsprism read the whole disk
MAX_DIR_ENTRIES = 20_000
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
    """Load every file under ``path`` into ``ctx``; the directory's own record sums them up.

    Files of a folder come first (sorted by name), then its subfolders, depth first.
    Symbolically linked folders are followed; a folder reached a second time (a link loop,
    or two links to one folder) is recorded as skipped (code ``symlink_loop``) instead of
    being read again, and so is a second link to one file (code ``duplicate``). A folder
    that cannot be listed is an ``unreadable`` error; FIFOs, sockets and devices are
    reported by ``load_file`` and never opened for reading. Reading stops, with a
    ``too_large`` error, after ``MAX_DIR_ENTRIES`` files and folders.
    """
    source = printable(source or str(path))
    guarded(ctx, source, "directory", partial(_load_directory, path, ctx, source))


def _load_directory(path: Path, ctx: LoadContext, source: str) -> None:
    rec = ctx.record(source, "ok", kind="directory")
    n_articles_before = len(ctx.articles)
    n_files = 0
    seen: dict[tuple[int, int], str] = {}  # (device, inode) of each folder read -> its name
    files_seen: dict[tuple[int, int], str] = {}  # the same for files
    stack = [path]
    n_entries = 0
    stopped: InputError | None = None
    while stack and stopped is None:
        folder = stack.pop()
        entries = _list_folder(folder, ctx, seen, is_root=folder is path)
        subfolders = []
        for entry in entries:
            n_entries += 1
            if n_entries > MAX_DIR_ENTRIES:
                stopped = _too_many(source)
                ctx.errors.append(stopped)
                break
            entry_path = Path(folder, entry.name)
            if _is_dir(entry):
                if entry.name.startswith("."):
                    ctx.record(str(entry_path), "skipped", message="hidden folder", kind="directory",
                               code="hidden")  # fmt: skip
                else:
                    subfolders.append(entry_path)
                continue
            reason = skip_reason(entry.name)
            if reason:
                code = "hidden" if entry.name.startswith(".") else "documentation"
                ctx.record(str(entry_path), "skipped", message=reason, code=code)
                continue
            first = _seen_file(entry, entry_path, files_seen)
            if first is not None:  # a second link to one file would count one outlet twice
                ctx.record(str(entry_path), "skipped", message=f"the same file as {first}", code="duplicate")
                continue
            n_files += 1
            load_file(entry_path, ctx)
        stack.extend(reversed(subfolders))  # the first subfolder is read next
    new_ids = tuple(a.id for a in ctx.articles[n_articles_before:])
    if new_ids:
        note = f" (stopped after {MAX_DIR_ENTRIES:,} entries)" if stopped else ""
        ctx.update(
            rec, article_ids=new_ids, message=f"{_n(len(new_ids), 'article')} from {_n(n_files, 'file')}{note}"
        )
        return
    if stopped:
        ctx.update(rec, status="failed", message=stopped.problem, code=stopped.code)
        return
    what = "no files" if n_files == 0 else f"none of its {n_files} files gave an article"
    err = InputError(
        source,
        f"nothing usable in the directory: {what}",
        "add .txt, .md, .html, .jsonl or feed files with article text",
        code="nothing_usable",
    )
    ctx.errors.append(err)
    ctx.update(rec, status="failed", message=err.problem, code=err.code)


def _too_many(source: str) -> InputError:
    return InputError(
        source,
        f"the folder holds more than {MAX_DIR_ENTRIES:,} files and folders (a link to / or to a home "
        "folder?); reading stopped there",
        "pass a folder that holds only the story's articles",
        code="too_large",
    )


def _list_folder(
    folder: Path, ctx: LoadContext, seen: dict[tuple[int, int], str], *, is_root: bool
) -> list[os.DirEntry[str]]:
    """The entries of ``folder`` sorted by name; [] (with a record) if unreadable or seen."""
    name = printable(str(folder))
    try:
        st = os.stat(folder)
        key = (st.st_dev, st.st_ino)
        if key in seen:
            ctx.record(
                name,
                "skipped",
                message=f"already read as {seen[key]} (a symbolic link loop, or two links to one folder)",
                kind="directory",
                code="symlink_loop",
            )
            return []
        seen[key] = name
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except (OSError, ValueError) as e:
        why = (e.strerror if isinstance(e, OSError) else None) or str(e)
        err = InputError(name, f"the folder cannot be read ({why})", "check its permissions", code="unreadable")
        if is_root:
            raise err from None  # the directory itself failed: its record says so
        ctx.fail(err, kind="directory")
        return []


def _seen_file(entry: os.DirEntry[str], path: Path, seen: dict[tuple[int, int], str]) -> str | None:
    """The name ``entry``'s file was already read under, or None (and it is noted now)."""
    try:
        st = entry.stat()  # follows symbolic links
    except (OSError, ValueError):
        return None  # a broken link: load_file reports it
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return seen[key]
    seen[key] = printable(str(path))
    return None


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """A folder, or a symbolic link to one (a broken link is a file: load_file reports it)."""
    try:
        return entry.is_dir()  # follows symbolic links
    except OSError:
        return False


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
