"""The command line: parse, call one library function, print. Nothing else lives here."""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import urlsplit

# Only light modules here: `newsprism analyze` prints its first line before numpy, pydantic,
# spaCy or a model loads (under 1 s); the heavy ones are imported where the work starts.
from newsprism import __version__
from newsprism.errors import ModelUnavailableError
from newsprism.progress import stage_label
from newsprism.report.tables import TablesUnavailableError
from newsprism.report.write import DEFAULT_FORMATS, FORMATS, ReportWriteError, check_out_dir
from newsprism.stream.commands import StoryUnavailableError

if TYPE_CHECKING:
    from newsprism.analysis.brief.llm import ChatModel
    from newsprism.pipeline import AnalysisRun


DEMO_STORY = Path(__file__).parent / "demo"

EPILOG = """\
examples:
  newsprism analyze story/                      every article file in a folder (txt, md, html, jsonl, rss)
  newsprism analyze a.html b.md https://example.org/news/item -o out/
  newsprism analyze feed.xml --format json      only report.json
  newsprism analyze story/ --format csv,html    tables for pandas or a spreadsheet, and the HTML report
  newsprism analyze story/ --embedder mpnet-torch   more accurate claim alignment (after `make mpnet`)
  newsprism demo                                the bundled fictional story

exit codes:
  0   every input was read and the report was written
  1   some inputs failed (each named on stderr and in the report's inputs); the report was written
  2   nothing usable (no input gave an article, or a model or a format's package is missing):
      no report written
  64  usage error (unknown option, bad value, -o naming a file): nothing was read or written
  73  the report could not be written (disk full, permissions); a previous report there stays whole

The report files in -o DIR are replaced as one set: a run never leaves files of two runs side by
side (a format not asked for this time is removed) nor a half-written file, even when killed.
"""

WATCH_EPILOG = """\
examples:
  newsprism watch https://news.example/rss.xml https://wire.example/atom.xml
  newsprism watch https://news.example/rss.xml --once --store news.sqlite3     one poll, e.g. from cron
  newsprism watch https://news.example/rss.xml -o stories/     keep each changed story's report fresh

exit codes:
  0   stopped cleanly (Ctrl-C, SIGTERM), or with --once every feed was read
  1   with --once: some feeds failed (each named on stderr)
  2   with --once every feed failed, or the [stream] extra is missing
  64  usage error (bad option, a feed address that is not http/https)
  73  the store cannot be opened or written (not a newsprism store, busy, disk full)
  130 a second Ctrl-C: stopped at once (every poll finished before it is saved)
"""

#: Exit code of every usage error, argparse's own included (argparse uses 2, which here means
#: "nothing usable"): 64 is EX_USAGE from sysexits.h.
EXIT_USAGE = 64
#: The report could not be written (EX_CANTCREAT).
EXIT_CANT_WRITE = 73
MAX_LENGTH = 10_000  # words; a brief longer than this is no brief
_NO_PYARROW = ("--format parquet needs pyarrow, which is not installed (fix: pip install 'newsprism[tables]', "
               "or ask for --format csv)")
#: ``--embedder``'s choices: the keys of :data:`newsprism.nlp.embeddings.EMBEDDERS` but story
#: clustering's ``minilm-onnx-int8`` (no analysis was tuned with it), named here so that ``--help``
#: and argument checks need no model code (a test keeps the two equal)
EMBEDDER_NAMES = ("minilm-onnx", "minilm-torch", "mpnet-torch")


class _Parser(argparse.ArgumentParser):
    """argparse with every usage error exiting :data:`EXIT_USAGE` (its subparsers inherit this)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n(see `{self.prog} --help`)\n")


def _formats(value: str) -> list[str]:
    """``--format``'s value: a list of known formats, each once, in the order given."""
    wanted = list(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise argparse.ArgumentTypeError(
            f"unknown format {','.join(bad) or repr(value)}; choose one or more of {', '.join(FORMATS)}, "
            "comma-separated (e.g. --format json,html)")
    return wanted


def _articles_store(value: Path | bool | None) -> Path | None:
    """``serve --articles-store``: the path given, the default store for the flag alone, or None."""
    if value is True:
        from newsprism.stream.store import default_store_path

        return default_store_path()
    return value or None


def _int_in(low: int, high: int, what: str) -> type[int]:
    """An argparse type: an integer in [low, high], else a usage error saying the range."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number; give {what} "
                                             f"from {low} to {high:,}") from None
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"{n} is out of range; give {what} from {low} to {high:,}")
        return n

    parse.__name__ = "number"  # argparse names the type in its messages
    return parse  # type: ignore[return-value]



def _add_embedder(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--embedder", default="minilm-onnx", choices=EMBEDDER_NAMES,
                    help="sentence model (default: minilm-onnx, no torch needed). mpnet-torch aligns claims "
                         "more accurately, costs 1.2-3x the time and needs `make mpnet` first")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="newsprism",
        description="Read every outlet's article on one story and compare them claim by claim.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"newsprism {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sp: argparse.ArgumentParser, default_out: str) -> None:
        sp.add_argument("-o", "--out", type=Path, default=Path(default_out), metavar="DIR",
                        help=f"folder for report.json / report.md / report.html (default: {default_out})")
        sp.add_argument("--format", type=_formats, default=list(DEFAULT_FORMATS), metavar="LIST",
                        help="comma-separated formats to write: json, md, html (default: these three), and "
                             "tables for pandas or a spreadsheet: csv (report.<table>.csv: articles, claims, "
                             "claim_support, quotes, contradictions, provenance) or parquet (needs the "
                             "[tables] extra); report files of other formats left in DIR by an earlier run "
                             "are removed")
        sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar, only errors")
        _add_embedder(sp)

    a = sub.add_parser("analyze", help="analyse articles on one story and write a report",
                       description="Analyse every article given (files, folders, JSONL, feeds, URLs) "
                                   "as one story and write the report.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("sources", nargs="*", metavar="PATH|URL",
                   help="article files (.txt .md .html .jsonl .xml/.rss/.atom), folders of them, or http(s) URLs")
    a.add_argument("--title", help="story title for the report (default: the earliest headline)")
    a.add_argument("--length", type=_int_in(1, MAX_LENGTH, "the brief's length in words"), default=160,
                   metavar="WORDS", help=f"word budget of the neutral brief, 1 to {MAX_LENGTH:,} (default: 160)")
    a.add_argument("--llm-url", metavar="URL",
                   help="OpenAI-compatible endpoint (e.g. http://127.0.0.1:8080/v1) for an abstractive brief; "
                        "every generated sentence is checked against its cited claims and dropped if it fails. "
                        "Key from $NEWSPRISM_LLM_KEY")
    a.add_argument("--llm-model", metavar="NAME", help="model name for --llm-url")
    a.add_argument("--max-file-mb", type=_int_in(1, 10_000, "the largest file to read, in MB"), default=10,
                   metavar="MB", help="largest local file read, in megabytes (default: 10; a larger file is "
                                      "reported as too large and skipped)")
    a.add_argument("--judge-support", action="store_true",
                   help="experimental: judge every article against each claim's wording; a ● then means the "
                        "article states it (right far more often), ◐ states part of it, ✕ contradicts it, "
                        "but many true ● are missed (BENCHMARKS.md, 'Claim support')")
    a.add_argument("--split-stories", action="store_true",
                   help="when the articles cover more than one story (groups that share no claims), also "
                        "analyse each story on its own and write its report into DIR/story-1/, DIR/story-2/, …")
    common(a, "newsprism-report")
    from newsprism.stream.commands import add_parsers, add_story_options  # argparse only: light

    add_story_options(a)
    a.set_defaults(parser=a)

    d = sub.add_parser("demo", help="analyse the bundled fictional demo story",
                       description=f"Analyse the bundled demo story ({DEMO_STORY.resolve().name}): "
                                   "six fictional outlets on one fictional event.")
    common(d, "newsprism-demo")
    d.set_defaults(parser=d)

    w = sub.add_parser("serve", help="run the web app (paste or link articles, browse reports, JSON API)",
                       description="Run newsprism's web app and JSON API (OpenAPI docs at /docs) over an "
                                   "embedded SQLite store. Needs the [web] extra. Loopback only by default: "
                                   "see docs/serve.md to put it behind a proxy.")
    w.add_argument("--db", type=Path, metavar="PATH",
                   help="SQLite file for the stories (default: newsprism.sqlite3 in your user data folder)")
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    w.add_argument("--port", type=_int_in(1, 65535, "a port"), default=8000, help="port (default: 8000)")
    w.add_argument("--allow-private-urls", action="store_true",
                   help="let submitted URLs reach private, loopback and link-local addresses (off by default)")
    w.add_argument("--root-path", default="", metavar="PREFIX",
                   help="URL prefix when served behind a proxy under a sub-path, e.g. /newsprism")
    w.add_argument("--workers", type=_int_in(1, 256, "the number of workers"), default=None,
                   help="analyses run at once (default: half the CPUs, 1 to 4)")
    w.add_argument("--allowed-host", action="append", dest="allowed_hosts", metavar="NAME",
                   help="a Host name to answer to besides loopback's, e.g. a proxy's public name (repeat; * = any)")
    w.add_argument("--max-articles", type=int, metavar="N",
                   help="articles per story, JSONL and feeds expanded (default: 200)")
    w.add_argument("--max-queue", type=int, metavar="N",
                   help="stories queued or running at once; more get 429 (default: 20)")
    w.add_argument("--job-timeout", type=float, metavar="SECONDS",
                   help="time limit of one story's analysis (default: 900)")
    w.add_argument("--articles-store", type=Path, nargs="?", const=True, metavar="PATH",
                   help="also list the stories of this article store (what `newsprism ingest` and `watch` fill) "
                        "as they form, at /stream, and make their reports; alone: the default store, "
                        "articles.sqlite3 in your user data folder (off by default)")
    _add_embedder(w)
    w.set_defaults(parser=w)

    wa = sub.add_parser("watch", help="poll RSS/Atom feeds into the article store; refresh changed stories' reports",
                        description="Poll RSS/Atom feeds politely (ETag/Last-Modified, backoff on errors, a delay "
                                    "per host) and put each new or edited article into the article store: "
                                    "duplicates linked, edits kept as versions, articles grouped into stories. "
                                    "Ctrl-C or SIGTERM stops cleanly (exit 0); the state is kept, so a restart "
                                    "fetches nothing it has seen.",
                        epilog=WATCH_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    wa.add_argument("feeds", nargs="+", metavar="FEED_URL", help="RSS or Atom feed addresses (http or https)")
    wa.add_argument("--store", type=Path, metavar="PATH",
                    help="article store, as `newsprism ingest` (default: articles.sqlite3 in your user data folder)")
    wa.add_argument("--state", type=Path, metavar="FILE",
                    help="keep the watch state (validators, schedule, entries seen) in this JSON file "
                         "instead of the store")
    wa.add_argument("--interval", type=_int_in(10, 7 * 86_400, "the seconds between two polls of a feed"),
                    default=300, metavar="SECONDS", help="seconds between two polls of one feed (default: 300)")
    wa.add_argument("--host-delay", type=_int_in(0, 3600, "the seconds between two requests to one host"),
                    default=2, metavar="SECONDS",
                    help="least seconds between two requests to one host, feeds and pages alike (default: 2)")
    wa.add_argument("--timeout", type=_int_in(1, 600, "the read timeout in seconds"), default=20,
                    metavar="SECONDS", help="read timeout of one request (default: 20)")
    wa.add_argument("--workers", type=_int_in(1, 32, "the number of feeds polled at once"), default=4,
                    metavar="N", help="feeds polled at once, so a slow one holds up no other (default: 4)")
    wa.add_argument("--once", action="store_true", help="poll every feed once, then exit (e.g. from cron)")
    wa.add_argument("-o", "--out", type=Path, metavar="DIR",
                    help="after each round, write the report of every story that changed into DIR/STORY_ID/ "
                         "(seconds of analysis per story; default: no reports)")
    wa.add_argument("--min-articles", type=_int_in(1, 100_000, "the articles a story needs for a report"),
                    default=2, metavar="N", help="only stories with at least N articles get a report (default: 2)")
    wa.add_argument("--format", type=_formats, default=None, metavar="LIST",
                    help="report formats with --out (default: json, md and html)")
    wa.add_argument("-q", "--quiet", action="store_true", help="only errors and the final line")
    _add_embedder(wa)
    wa.set_defaults(parser=wa)

    add_parsers(sub)
    from newsprism.scale.commands import add_parser as add_batch_parser  # argparse only: light

    add_batch_parser(sub)

    s = sub.add_parser("schema", help="print the JSON Schema of the report contract")
    s.add_argument("-o", "--out", type=Path, help="write it to this file instead of stdout")
    s.set_defaults(parser=s)
    return p



class _Bars:
    """Progress on stderr: on a terminal one tqdm bar per pipeline stage; elsewhere (a log, a pipe)
    a line as each stage starts, then its count at most every :attr:`every` seconds while it moves."""

    every = 2.0

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bars: dict[str, object] = {}
        self.terminal = sys.stderr.isatty()
        self.said: dict[str, tuple[int, float]] = {}  # off a terminal: stage -> (count, time) last printed

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if not self.terminal:
            now = time.monotonic()
            last = self.said.get(stage)
            if last is None or (done > last[0] and now - last[1] >= self.every):
                self.said[stage] = (done, now)
                print(f"newsprism: {stage_label(stage)} ({done:,} of {total:,})…", file=sys.stderr, flush=True)
            return
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=stage_label(stage), unit="", file=sys.stderr,
                                          leave=False, dynamic_ncols=True)
        bar.n = done  # type: ignore[attr-defined]
        bar.refresh()  # type: ignore[attr-defined]
        if done >= total:
            bar.close()  # type: ignore[attr-defined]

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()  # type: ignore[attr-defined]


def _validate(args: argparse.Namespace) -> str | None:
    """Every check that needs no work: why these arguments cannot run (problem and fix), or None."""
    if args.command in ("analyze", "demo") or (args.command == "watch" and args.out is not None):
        problem = check_out_dir(args.out)
        if problem:
            return problem
    if args.command == "analyze":
        from newsprism.stream.commands import check_story_args

        problem = check_story_args(args)
        if problem:
            return problem
        if args.title is not None and not args.title.strip():
            return "--title is empty (fix: give the story's title, or leave --title out to use the earliest headline)"
        if args.title is not None and not args.title.isprintable():
            # a control character breaks the Markdown heading; a byte that is not UTF-8 (it reaches
            # Python as a lone surrogate) cannot be written to any report at all
            return (f"--title {args.title!a} holds control characters or bytes that are not UTF-8 "
                    "(fix: give the title as plain text on one line)")
        if bool(args.llm_url) != bool(args.llm_model):
            return "--llm-url and --llm-model go together (fix: give both or neither)"
        if args.llm_url:
            try:
                parts = urlsplit(args.llm_url)
                parts.port  # noqa: B018 - raises ValueError on a bad port
            except ValueError as e:
                return f"--llm-url {args.llm_url!r} is not a valid URL ({e}) (fix: e.g. http://127.0.0.1:8080/v1)"
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return (f"--llm-url {args.llm_url!r} is not an http(s) address "
                        "(fix: give the API base, e.g. http://127.0.0.1:8080/v1)")
    if args.command == "schema" and args.out is not None:
        if args.out.is_dir():
            return f"-o {args.out} is a folder (fix: give a file name, e.g. -o {args.out / 'report.schema.json'})"
        if not args.out.parent.is_dir():
            return f"-o {args.out}: the folder {args.out.parent} does not exist (fix: create it first)"
    return None


def _llm(args: argparse.Namespace) -> ChatModel | None:
    url, model = getattr(args, "llm_url", None), getattr(args, "llm_model", None)
    if not (url and model):  # _validate refused one without the other
        return None
    from newsprism.analysis.brief.llm import OpenAIChat

    return OpenAIChat(url, model)


def _run(sources: Sequence[str], args: argparse.Namespace, title: str | None = None) -> int:
    if "parquet" in args.format and importlib.util.find_spec("pyarrow") is None:  # before any work
        print(f"newsprism: error: {_NO_PYARROW}; nothing was read", file=sys.stderr)
        return 2
    bars = _Bars(enabled=not args.quiet)
    if not args.quiet:  # first, before the heavy imports below: they and the models take seconds
        print("newsprism: reading the inputs and loading the language models…", file=sys.stderr, flush=True)
    from newsprism.nlp.embeddings import get_embedder
    from newsprism.pipeline import analyze, format_timings
    from newsprism.report.write import write_reports

    try:
        if getattr(args, "story", None) is not None:  # a story of the article store (issue 19)
            from newsprism.stream.commands import run_analyze_story

            run = run_analyze_story(args, progress=bars, embedder=get_embedder(args.embedder), llm=_llm(args))
        else:
            run = analyze(list(sources), progress=bars, title=title, embedder=get_embedder(args.embedder),
                          brief_length=getattr(args, "length", 160), llm=_llm(args),
                          judge_support=getattr(args, "judge_support", False),
                          max_file_bytes=getattr(args, "max_file_mb", 10) * 1_000_000)
    except (ModelUnavailableError, StoryUnavailableError) as e:
        print(f"newsprism: error: {e}", file=sys.stderr)
        return 2
    finally:
        bars.close()
    for err in run.errors:
        print(f"newsprism: input error: {err}", file=sys.stderr)
    if run.report is None:
        print("newsprism: error: no usable article in the inputs; no report written "
              "(fix the inputs above and run again)", file=sys.stderr)
        return run.exit_code
    try:
        started = time.perf_counter()
        written = write_reports(run.report, args.out, args.format)
        write_s = time.perf_counter() - started
    except TablesUnavailableError as e:
        print(f"newsprism: error: {e}; no report written", file=sys.stderr)
        return 2
    except ReportWriteError as e:
        print(f"newsprism: error: the report could not be written: {e}", file=sys.stderr)
        return EXIT_CANT_WRITE
    n = len(run.report.story.articles)
    failed = len(run.errors)
    for note in run.report.notes:
        print(f"newsprism: note: {note}", file=sys.stderr)
    if not args.quiet or failed:
        print(f"newsprism: {n} article(s) analysed"
              + (f", {failed} input(s) failed (listed in the report)" if failed else "")
              + f"; wrote {', '.join(str(p) for p in written) or 'nothing'}", file=sys.stderr)
    if not args.quiet and run.report.timings:  # where the time went (issue 17)
        print(f"newsprism: time: {format_timings({**run.report.timings, 'write': write_s})}", file=sys.stderr)
    code = _stories(run, args)
    if code is not None:
        return code
    html = next((p for p in written if str(p).endswith(".html")), None)
    if html is not None and not args.quiet:
        print(f"newsprism: open {html} in a browser to read the report", file=sys.stderr)
    return run.exit_code


def _stories(run: AnalysisRun, args: argparse.Namespace) -> int | None:
    """More than one story among the articles: with --split-stories, one report per story in
    DIR/story-N/, else a hint saying how. An exit code when a story's report cannot be written."""
    from newsprism.nlp.embeddings import get_embedder
    from newsprism.report.write import write_reports
    from newsprism.split import report_story_groups, split_stories

    assert run.report is not None
    groups = report_story_groups(run.report)
    if len(groups) < 2:
        return None
    if not getattr(args, "split_stories", False):
        if not args.quiet:
            print(f"newsprism: hint: add --split-stories to analyse each of the {len(groups)} stories on its own "
                  f"(reports in {args.out / 'story-1'}, …)", file=sys.stderr)
        return None
    outlet = {a.id: a.outlet for a in run.report.story.articles}
    for i, group in enumerate(groups, 1):
        if not args.quiet:
            print(f"newsprism: story {i} of {len(groups)}: analysing {', '.join(outlet[a] for a in group)}…",
                  file=sys.stderr, flush=True)
        parts = split_stories(run, [group], embedder=get_embedder(args.embedder),
                              brief_length=getattr(args, "length", 160), llm=_llm(args),
                              judge_support=getattr(args, "judge_support", False))
        if not parts:  # the run kept no story to split (nothing to analyse again)
            return None
        part = parts[0]
        folder = args.out / f"story-{i}"
        try:
            written = write_reports(part.report, folder, args.format)
        except ReportWriteError as e:
            print(f"newsprism: error: story {i}'s report could not be written: {e}", file=sys.stderr)
            return EXIT_CANT_WRITE
        if not args.quiet:
            html = next((p for p in written if p.suffix == ".html"), written[0] if written else folder)
            print(f"newsprism: story {i} of {len(groups)} ({part.report.story.title or 'untitled'}): {html}",
                  file=sys.stderr)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (usage errors exit with :data:`EXIT_USAGE`).

    >>> try:
    ...     main(["analyze", "story/", "--length", "0"])  # refused before anything is read
    ... except SystemExit as e:
    ...     print(e.code)
    64
    """
    args = _parser().parse_args(argv)
    problem = _validate(args)
    if problem:
        args.parser.error(problem)
    if args.command == "analyze":
        return _run(args.sources, args, title=args.title)
    if args.command == "demo":
        articles = DEMO_STORY / "articles"
        if not articles.is_dir():
            print(f"newsprism: error: the demo story is missing ({articles}); reinstall newsprism",
                  file=sys.stderr)
            return 2
        return _run([str(articles)], args)
    if args.command == "serve":
        from newsprism.errors import NewsprismError
        from newsprism.web import ServeOptionError, serve

        try:
            serve(args.db, host=args.host, port=args.port, allow_private_urls=args.allow_private_urls,
                  workers=args.workers, root_path=args.root_path.rstrip("/"), embedder=args.embedder,
                  allowed_hosts=args.allowed_hosts, max_articles=args.max_articles, max_queue=args.max_queue,
                  job_timeout=args.job_timeout, articles_store=_articles_store(args.articles_store))
        except ServeOptionError as e:  # a value out of range: a usage error, found before serving
            args.parser.error(str(e))
        except NewsprismError as e:
            print(f"newsprism: error: {e}", file=sys.stderr)
            return 2
        return 0
    if args.command in ("ingest", "stories"):
        from newsprism.stream.commands import run_ingest, run_stories

        return run_ingest(args) if args.command == "ingest" else run_stories(args)
    if args.command == "watch":
        from newsprism.stream.watch_cli import run_watch

        return run_watch(args)
    if args.command == "batch":
        from newsprism.scale.commands import run_batch_command

        return run_batch_command(args)
    if args.command == "schema":
        import json

        from newsprism.report.schema import json_schema
        from newsprism.report.write import atomic_write_text

        text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
        if args.out:
            try:
                atomic_write_text(args.out, text)
            except OSError as e:
                print(f"newsprism: error: {args.out}: cannot write the schema ({e.strerror or e}) "
                      "(fix: choose another file)", file=sys.stderr)
                return EXIT_CANT_WRITE
        else:
            print(text, end="")
        return 0
    return EXIT_USAGE  # pragma: no cover - argparse enforces the command


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
