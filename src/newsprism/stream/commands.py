"""``newsprism ingest``, ``newsprism stories`` and ``newsprism analyze --story``: the shells.

The parsers are added to ``newsprism.cli``'s by :func:`add_parsers`; nothing heavy is imported
until a command runs (``import newsprism.cli`` stays light).

Exit codes, as ``analyze``'s: 0 every input was read and stored; 1 some inputs failed (each
named on stderr), the rest was stored; 2 nothing usable (no input gave an article, no such
story, the [stream] extra missing); 64 usage error; 73 the store cannot be opened or written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsprism.errors import NewsprismError

if TYPE_CHECKING:
    from newsprism.pipeline import AnalysisRun, Progress

__all__ = ["EXIT_STORE", "StoryUnavailableError", "add_parsers", "add_story_options", "run_analyze_story", "run_ingest",
           "run_stories", "stories_table"]

EXIT_STORE = 73  # as a report that cannot be written: the store cannot be opened or written

INGEST_EPILOG = """\
examples:
  newsprism ingest feeds/*.xml crawl.warc.gz         files, folders, JSONL, feeds, URLs and WARC archives
  newsprism ingest https://news.example/rss.xml --store news.sqlite3
  newsprism stories --store news.sqlite3             the stories found so far
  newsprism analyze --story story-3 --store news.sqlite3 -o story-3/   the usual report for one of them

Articles are kept by URL (else by where they were read from): the same URL with other text is a
new version, the same text again changes nothing. Exact and near duplicates are stored and linked
to the first copy, never dropped. The summary line counts new articles, exact and near
duplicates, new versions, unchanged ones and failed inputs.

exit codes:
  0   every input was read and stored
  1   some inputs failed (each named on stderr); the rest was stored
  2   nothing usable: no input gave an article (or the [stream] extra is missing)
  64  usage error
  73  the store cannot be opened or written (not a newsprism store, busy, disk full)
"""


class StoryUnavailableError(NewsprismError):
    """``analyze --story``: no store is there, it has no such story, or it cannot be read."""


def _store_help() -> str:
    return ("article store, an SQLite file (default: articles.sqlite3 in your user data folder, "
            "e.g. ~/.local/share/newsprism/articles.sqlite3 on Linux)")


def add_parsers(sub: Any, *, parser_class: type[argparse.ArgumentParser] | None = None) -> None:
    """Add ``ingest`` and ``stories`` to the CLI's subparsers."""
    i = sub.add_parser("ingest", help="read feeds, crawls and archives into the article store "
                                      "(duplicates linked, edits versioned, stories found)",
                       description="Read every source (files, folders, JSONL, RSS/Atom feeds, http(s) URLs and "
                                   "WARC archives) into the article store: duplicates are linked, a URL seen "
                                   "again with other text becomes a new version, and new articles are "
                                   "grouped into stories.",
                       epilog=INGEST_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    i.add_argument("sources", nargs="+", metavar="PATH|URL",
                   help="article files (.txt .md .html .jsonl .xml/.rss/.atom .warc/.warc.gz), folders of them, "
                        "or http(s) URLs")
    i.add_argument("--store", type=Path, metavar="PATH", help=_store_help())
    i.add_argument("--max-file-mb", type=_mb, default=10, metavar="MB",
                   help="largest local file read, in megabytes (default: 10; for a WARC archive, the largest "
                        "page in it)")
    i.add_argument("-q", "--quiet", action="store_true", help="no progress, only errors and the summary line")
    i.set_defaults(parser=i)

    s = sub.add_parser("stories", help="list the stories in the article store",
                       description="List the stories in the article store, most recently seen first: id, "
                                   "title, articles, outlets, first and last seen. Analyse one with "
                                   "`newsprism analyze --story ID`.")
    s.add_argument("--store", type=Path, metavar="PATH", help=_store_help())
    s.set_defaults(parser=s)


def add_story_options(analyze: argparse.ArgumentParser) -> None:
    """``analyze``'s ``--story`` and ``--store``."""
    analyze.add_argument("--story", metavar="ID",
                         help="analyse a story of the article store (see `newsprism stories`) instead of "
                              "PATH|URL arguments; edited articles get a note on what changed")
    analyze.add_argument("--store", type=Path, metavar="PATH", help=f"with --story: the {_store_help()}")


def check_story_args(args: argparse.Namespace) -> str | None:
    """``analyze``'s checks for --story (problem and fix), or None."""
    story, sources = getattr(args, "story", None), getattr(args, "sources", [])
    if story is not None and sources:
        return "give either PATH|URL arguments or --story ID, not both (fix: drop one)"
    if story is None and not sources:
        return ("nothing to analyse (fix: give article files, folders or URLs, or --story ID to analyse a "
                "story of the article store)")
    if story is not None and not story.strip():
        return "--story is empty (fix: give a story id from `newsprism stories`)"
    if story is None and getattr(args, "store", None) is not None:
        return "--store goes with --story (fix: add --story ID, or drop --store)"
    return None


def _mb(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of megabytes") from None
    if not 1 <= n <= 10_000:
        raise argparse.ArgumentTypeError(f"{n} is out of range; give 1 to 10,000 megabytes")
    return n


def _say(line: str) -> None:
    print(f"newsprism: {line}", file=sys.stderr, flush=True)


def _open(path: Path | None, *, create: bool) -> Any:
    """The store at ``path`` (default path when None); raises ``NewsprismError`` when it cannot be."""
    from newsprism.stream.store import Store, default_store_path

    path = path or default_store_path()
    if not create and not path.exists():
        raise StoryUnavailableError(f"{path}: there is no article store there yet "
                                 "(fix: run `newsprism ingest SOURCES…` first, or pass --store PATH)")
    return Store(path)


def run_ingest(args: argparse.Namespace) -> int:
    """``newsprism ingest``: read, store, print errors and the summary line; the exit code."""
    try:
        import rensa  # noqa: F401
    except ImportError:
        _say("error: `newsprism ingest` needs the [stream] extra (fix: pip install 'newsprism[stream]')")
        return 2
    from newsprism.stream.ingest import ingest
    from newsprism.stream.store import StoreError

    try:
        store = _open(args.store, create=True)
    except StoreError as e:
        _say(f"error: {e}")
        return EXIT_STORE
    progress = None if args.quiet else _progress
    try:
        with store:
            summary = ingest(args.sources, store, progress=progress, max_file_bytes=args.max_file_mb * 1_000_000)
    except StoreError as e:
        _say(f"error: {e}; the batches stored before it stay")
        return EXIT_STORE
    for err in summary.errors:
        _say(f"input error: {err}")
    if not summary.clustered:
        _say("note: stories were not assigned (the story clusterer is not available)")
    stories = f"; {len(summary.stories)} stories got articles" if summary.clustered else ""
    _say(f"{summary.line()}{stories}; store {store.path}")
    return summary.exit_code


def _progress(stage: str, done: int, total: int) -> None:
    if stage == "sources":
        _say(f"read {done} of {total} source(s)")
    elif stage == "ingest" and total >= 1000:  # a large archive or folder: a line per batch
        _say(f"stored {done:,} of {total:,} articles of this source")


def stories_table(rows: list[Any], width: int = 48) -> str:
    """The ``stories`` listing as a plain-text table.

    >>> from newsprism.stream.store import StoryRow
    >>> print(stories_table([StoryRow("story-1", "Dam repairs approved", 3, 2, "2026-03-03T10:00:00+00:00",
    ...                                "2026-03-03T12:00:00+00:00")]))  # doctest: +NORMALIZE_WHITESPACE
    id       title                 articles  outlets  first seen        last seen
    story-1  Dam repairs approved         3        2  2026-03-03 10:00  2026-03-03 12:00
    """
    def when(iso: str) -> str:
        return iso[:16].replace("T", " ")

    def cut(title: str | None) -> str:
        t = " ".join((title or "(no title)").split())
        return t if len(t) <= width else t[: width - 1] + "…"

    head = ("id", "title", "articles", "outlets", "first seen", "last seen")
    body = [(r.id, cut(r.title), str(r.articles), str(r.outlets), when(r.first_seen), when(r.last_seen))
            for r in rows]
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
    right = {2, 3}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths,
                                                                                                 strict=True))).rstrip()
    return "\n".join(line(r) for r in [head, *body])


def run_stories(args: argparse.Namespace) -> int:
    """``newsprism stories``: the table on stdout; 2 when there is no store."""
    from newsprism.stream.store import StoreError

    try:
        store = _open(args.store, create=False)
    except StoryUnavailableError as e:
        _say(f"error: {e}")
        return 2
    except StoreError as e:
        _say(f"error: {e}")
        return EXIT_STORE
    with store:
        rows = store.stories()
        articles = store.count()
    if not rows:
        _say(f"no stories yet in {store.path} ({articles} article(s)); "
             "run `newsprism ingest SOURCES…` to add some")
        return 0
    print(stories_table(rows))
    return 0


def run_analyze_story(args: argparse.Namespace, *, progress: Progress | None, embedder: Any,
                      llm: Any) -> AnalysisRun:
    """``newsprism analyze --story ID``'s run (the CLI writes the report as for any analysis).

    Raises ``StoryUnavailableError`` (no store, no such story, a store that cannot be read).
    """
    from newsprism.stream.store import StoreError
    from newsprism.stream.stories import analyze_stored_story

    try:
        store = _open(args.store, create=False)
    except StoreError as e:
        raise StoryUnavailableError(str(e)) from None
    with store:
        try:
            store.story_article_ids(args.story)
        except KeyError:
            raise StoryUnavailableError(f"{store.path}: there is no story {args.story!r} "
                                     "(fix: see `newsprism stories` for the ids)") from None
        return analyze_stored_story(store, args.story, embedder=embedder, progress=progress, title=args.title,
                                    brief_length=args.length, llm=llm, judge_support=args.judge_support)
