"""Writing a report's files so that a folder never holds a half-written file or a mixed set.

A run writes ``report.json``, ``report.md`` and ``report.html`` (the formats asked for; and with
``csv`` or ``parquet`` one ``report.<table>.csv`` or ``.parquet`` per table, see
:mod:`newsprism.report.tables`) into one folder. Two rules hold at every instant, even if the
process is killed (``kill -9``, power cut after the data reached the disk):

* no report file is ever truncated: each is written in full to a hidden temporary name in the
  same folder, flushed and fsynced, and only then renamed to its real name (a rename within one
  folder is atomic);
* the report files in the folder always come from one run: before the new files are renamed in,
  every report file of the previous run is removed, including formats not written this time.

Why not swap the whole folder instead? ``-o`` may name a folder that holds other files (``-o .``):
replacing it would move them, change the folder's identity under the user's shell and need write
access to its parent. Several names cannot change in one atomic step, so the price of staying in
place is a window of a few system calls (after the old files are removed, before the last new
one is renamed in) where a kill leaves a *subset* of one run's files: never two runs, never a
truncated file. All rendering and writing happens before that window, so it stays tiny.

Concurrent runs writing to the same folder take an advisory lock on it (POSIX), so their sets
do not interleave either. Temporary files left by a killed run are removed by the next run.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp())
>>> _ = (out / "report.html").write_text("<p>old run</p>", encoding="utf-8")
>>> [p.name for p in write_report_files(out, {"report.json": "{}\\n", "report.md": "# new\\n"})]
['report.json', 'report.md']
>>> sorted(p.name for p in out.iterdir())  # the old run's report.html went with its run
['report.json', 'report.md']
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from newsprism.errors import NewsprismError
from newsprism.report.tables import TABLE_FORMATS, table_file_names

if TYPE_CHECKING:
    from newsprism.report.schema import Report

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "REPORT_FILES",
    "REPORT_FILE_NAMES",
    "FileContent",
    "ReportWriteError",
    "atomic_write_text",
    "check_out_dir",
    "render_reports",
    "report_writers",
    "write_report_files",
    "write_reports",
]

#: format name -> the file it is written to (the single-file formats).
REPORT_FILES: dict[str, str] = {"json": "report.json", "md": "report.md", "html": "report.html"}
#: every format: the single-file ones, then the tables (one file per table)
FORMATS: tuple[str, ...] = (*REPORT_FILES, *TABLE_FORMATS)
#: what a run writes when no format is named
DEFAULT_FORMATS: tuple[str, ...] = tuple(REPORT_FILES)
#: every file name a run may write (the set a new run replaces as a whole)
REPORT_FILE_NAMES: tuple[str, ...] = (*REPORT_FILES.values(), *(n for f in TABLE_FORMATS for n in table_file_names(f)))
_TMP_SUFFIX = ".newsprism-tmp"
#: a report file's content: text (written as UTF-8), bytes, or a function that writes it into the
#: open binary file, so that a large file (report.html: 200 MB at 200 articles) is rendered as it
#: is written, never whole in memory
FileContent = str | bytes | Callable[[BinaryIO], object]
#: characters of a text encoded and written at a time (no UTF-8 copy of a whole large text)
_TEXT_CHUNK = 1 << 20


class ReportWriteError(NewsprismError):
    """The report files could not be written. ``replaced`` says whether the previous run's files
    in the folder were already touched (False: they are exactly as before)."""

    def __init__(self, path: Path, problem: str, fix: str, *, replaced: bool) -> None:
        self.path, self.problem, self.fix, self.replaced = path, problem, fix, replaced
        kept = ("some of the previous report files were already removed" if replaced
                else "the previous report there, if any, is unchanged")
        super().__init__(f"{path}: {problem}; {kept} (fix: {fix})")


def render_reports(report: Report, formats: Sequence[str] = DEFAULT_FORMATS) -> dict[str, str | bytes]:
    """Render ``report`` in each format: ``{file name: text}`` (bytes for Parquet), in memory, nothing written.

    >>> from newsprism.report.schema import ArticleOut, Report, StoryOut
    >>> r = Report(story=StoryOut(id="s", title="T", articles=[ArticleOut(id="a", outlet="X", text="Hi.")]))
    >>> sorted(render_reports(r, ["md", "json"]))
    ['report.json', 'report.md']
    """
    _check_formats(formats)
    texts: dict[str, str | bytes] = {}
    for fmt in FORMATS:  # a fixed order, whatever order they were asked in
        if fmt not in formats:
            continue
        if fmt in TABLE_FORMATS:
            from newsprism.report.tables import render_tables

            texts |= render_tables(report, fmt)
        else:
            texts[REPORT_FILES[fmt]] = _single_file_text(report, fmt)
    return texts


def _single_file_text(report: Report, fmt: str) -> str:
    """The text of one single-file format: ``json``, ``md`` or ``html``."""
    if fmt == "json":
        return report.to_json() + "\n"
    if fmt == "md":
        from newsprism.report.markdown import render_markdown

        return render_markdown(report)
    from newsprism.report.html import render_html

    return render_html(report)


def _check_formats(formats: Sequence[str]) -> None:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")


def write_reports(report: Report, out: Path, formats: Sequence[str] = DEFAULT_FORMATS) -> list[Path]:
    """Render ``report`` in ``formats`` and write them into ``out`` as one set (see the module doc).

    The files are those of :func:`render_reports`, byte for byte, but each single-file format is
    rendered as its file is written, one at a time, and the HTML page streamed: a 200-article
    report never holds its 200 MB page, nor its JSON and Markdown beside it, in memory (issue 17).
    Returns the paths written; raises :class:`ReportWriteError` when the folder cannot take them.
    """
    return write_report_files(out, report_writers(report, formats))


def report_writers(report: Report, formats: Sequence[str] = DEFAULT_FORMATS) -> dict[str, FileContent]:
    """What :func:`write_reports` writes: ``{file name: content}`` in :func:`render_reports`' order,
    the single-file formats as functions that render into the open file (tables rendered now).

    >>> import io
    >>> from newsprism.report.schema import ArticleOut, Report, StoryOut
    >>> r = Report(story=StoryOut(id="s", title="T", articles=[ArticleOut(id="a", outlet="X", text="Hi.")]))
    >>> writers, texts = report_writers(r, ["md", "html"]), render_reports(r, ["md", "html"])
    >>> list(writers) == list(texts)
    True
    >>> out = io.BytesIO(); _ = writers["report.html"](out); out.getvalue() == texts["report.html"].encode()
    True
    """
    _check_formats(formats)
    files: dict[str, FileContent] = {}
    for fmt in FORMATS:  # the order of render_reports
        if fmt not in formats:
            continue
        if fmt in TABLE_FORMATS:
            from newsprism.report.tables import render_tables

            files |= render_tables(report, fmt)
        elif fmt == "html":  # streamed: never the whole page in memory
            from newsprism.report.html import write_html

            files[REPORT_FILES[fmt]] = partial(write_html, report)
        else:
            files[REPORT_FILES[fmt]] = partial(_write_rendered, report, fmt)
    return files


def _write_rendered(report: Report, fmt: str, f: BinaryIO) -> None:
    _write_text(f, _single_file_text(report, fmt))


def write_report_files(out: Path, files: Mapping[str, FileContent]) -> list[Path]:
    """Replace the report set in ``out`` by ``files`` (``{"report.json": text, ...}``) as one set.

    Every report file of a previous run (``report.json``, ``report.md``, ``report.html``, the
    table files) is removed, also those not in ``files``, so the folder never mixes two runs.
    A content that is a function writes its file itself (see :data:`FileContent`); whatever it
    raises leaves the previous set untouched and no temporary file behind.
    """
    bad = [n for n in files if n not in REPORT_FILE_NAMES]
    if bad:
        raise ValueError(f"not a report file name: {', '.join(bad)}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ReportWriteError(out, f"the folder cannot be created ({e.strerror or e})",
                               "choose another folder with -o, or fix its permissions", replaced=False) from e
    with _locked(out) as locked:
        if locked:  # under the lock no other run has temporary files here: any left are stale
            _remove_stale_temps(out)
        temps: dict[str, Path] = {}
        try:
            for name, content in files.items():
                temps[name] = _write_temp(out, name, content)
        except BaseException as e:  # a content rendered as it is written may fail in other ways too
            for tmp in temps.values():
                tmp.unlink(missing_ok=True)
            if not isinstance(e, OSError):
                raise
            raise ReportWriteError(out, f"a report file could not be written ({e.strerror or e})",
                                   "free disk space or choose another folder with -o", replaced=False) from e
        # only the report files there now (listed before the commit, so its window stays a handful
        # of system calls however many table files a run may write)
        present = [name for name in REPORT_FILE_NAMES if os.path.lexists(out / name)]
        # The commit: a handful of system calls, nothing rendered or written from here on.
        try:
            for name in present:
                (out / name).unlink(missing_ok=True)
            for name, tmp in temps.items():
                os.replace(tmp, out / name)
        except OSError as e:
            for tmp in temps.values():
                tmp.unlink(missing_ok=True)
            raise ReportWriteError(out, f"the report files could not be put in place ({e.strerror or e})",
                                   "check the folder's permissions and run again", replaced=True) from e
        _fsync_dir(out)
    return [out / name for name in files]


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that ``path`` holds either its old content or all of ``text``.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "schema.json"
    >>> atomic_write_text(p, "{}\\n"); p.read_text(encoding="utf-8")
    '{}\\n'
    """
    tmp = _write_temp(path.parent, path.name, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def check_out_dir(out: Path) -> str | None:
    """Why ``out`` cannot take a report (a sentence naming the problem and the fix), or None.

    Checked before any work, so a run never ends after the whole analysis on a bad ``-o``.
    Nothing is created.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "notes.txt"; _ = f.write_text("x", encoding="utf-8")
    >>> check_out_dir(f.parent / "new" / "folder") is None
    True
    >>> print(check_out_dir(f))  # doctest: +ELLIPSIS
    -o .../notes.txt is a file, not a folder (fix: give a folder, e.g. -o .../notes-report)
    """
    if out.exists():
        if not out.is_dir():
            return (f"-o {out} is a file, not a folder (fix: give a folder, "
                    f"e.g. -o {out.with_name(out.stem + '-report')})")
        if not os.access(out, os.W_OK | os.X_OK):
            return f"-o {out}: no permission to write in this folder (fix: choose another folder)"
        for name in REPORT_FILE_NAMES:
            if (out / name).is_dir():
                return (f"-o {out}: {name} there is a folder, so the report cannot be written "
                        f"(fix: move {out / name} away or choose another folder)")
        return None
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return (f"-o {out}: {parent} is a file, so the folder cannot be created there "
                f"(fix: choose a folder path that does not pass through a file)")
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"-o {out}: no permission to create a folder in {parent} (fix: choose another folder)"
    return None


def _write_text(f: BinaryIO, text: str) -> None:
    """``text`` into ``f`` as UTF-8, a megabyte of characters at a time (no copy of it all as bytes).

    >>> import io
    >>> f = io.BytesIO(); _write_text(f, "né " * 500_000); f.getvalue() == ("né " * 500_000).encode()
    True
    """
    for lo in range(0, len(text), _TEXT_CHUNK):
        f.write(text[lo:lo + _TEXT_CHUNK].encode("utf-8"))


def _write_temp(folder: Path, name: str, content: FileContent) -> Path:
    """``content`` (text as UTF-8, bytes, or a function writing into the file) in full in a new hidden
    file beside ``name``, on disk (fsynced) before returning."""
    tmp = folder / f".{name}.{os.getpid()}-{secrets.token_hex(4)}{_TMP_SUFFIX}"
    # O_EXCL: never follow or reuse an existing name; 0o666 & umask, like any file the user writes
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(content, str):
                _write_text(f, content)
            elif isinstance(content, bytes):
                f.write(content)
            else:
                content(f)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _remove_stale_temps(out: Path) -> None:
    for name in REPORT_FILE_NAMES:
        for stale in out.glob(f".{name}.*{_TMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                stale.unlink()


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[bool]:
    """An advisory lock on ``folder`` itself (no lock file left behind); yields whether it is held."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield False
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a folder we may write to but not open
        yield False
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield True
    finally:
        os.close(fd)  # closing releases the lock
