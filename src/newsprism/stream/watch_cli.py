"""``newsprism watch``: the command-line shell over ``FeedWatcher`` (signals, progress lines, exit code).

The parser lives in ``newsprism.cli``; this runs the parsed command. Ctrl-C or SIGTERM stops
cleanly (the requests in flight finish, the state is saved, exit 0); a second one stops at once.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from newsprism.errors import InputError, NewsprismError
from newsprism.stream.watch import FeedWatcher, PollResult, StateBackend, StoreState, WatchSummary

__all__ = ["run_watch"]

EXIT_OK, EXIT_PARTIAL, EXIT_NOTHING, EXIT_STORE, EXIT_INTERRUPTED = 0, 1, 2, 73, 130


def _say(line: str) -> None:
    print(f"newsprism watch: {line}", file=sys.stderr, flush=True)


def _when(t: float) -> str:
    seconds = max(0, round(t - time.time()))
    clock = time.strftime("%H:%M:%S", time.localtime(t))
    return f"{clock} (in {seconds // 60} min {seconds % 60} s)" if seconds >= 60 else f"{clock} (in {seconds} s)"


def poll_line(r: PollResult) -> str:
    """One progress line for a poll.

    >>> poll_line(PollResult("https://osk.example/feed", "ok", new=2, updated=1, next_poll=0))[:50]
    'https://osk.example/feed: 2 new, 1 updated; next p'
    """
    if r.status == "not_modified":
        what = "not modified (304)"
    elif r.status == "failed":
        why = r.errors[-1].problem if r.errors else "unknown error"
        return f"{r.feed}: failed ({r.failures} in a row): {why}; next try {_when(r.next_poll)}"
    elif r.status == "stopped":
        return f"{r.feed}: stopped mid-poll; its remaining entries are read next time"
    else:
        what = f"{r.new} new, {r.updated} updated" + (f", {r.unchanged} re-checked unchanged" if r.unchanged else "")
    return f"{r.feed}: {what}; next poll {_when(r.next_poll)}"


@contextmanager
def _stop_on_signals(watcher: FeedWatcher, quiet: bool) -> Iterator[None]:
    """SIGINT/SIGTERM: the first stops the watcher cleanly, a second raises KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread (a library caller's business)
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if watcher.stopping:
            raise KeyboardInterrupt
        watcher.stop()
        if not quiet:
            _say("stopping: letting the requests in flight finish and saving the state "
                 "(press Ctrl-C again to stop at once)")  # fmt: skip

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def run_watch(args: argparse.Namespace) -> int:
    """Run ``newsprism watch`` with the parsed arguments; returns the exit code."""
    from newsprism.ingest.fetch import check_url

    for url in args.feeds:  # a usage error, before the store is opened or created
        try:
            check_url(url)
        except InputError as e:
            args.parser.error(f"feed {e} (a feed is an http:// or https:// address)")
    try:
        import rensa  # noqa: F401 - the store's duplicate detection

        from newsprism.stream.store import Store, StoreError, default_store_path
        from newsprism.stream.watch import StoreSink, refresh_reports
    except ImportError as e:
        _say(f"error: `newsprism watch` needs the [stream] extra ({e}) "
             "(fix: pip install 'newsprism[stream]')")  # fmt: skip
        return EXIT_NOTHING
    store_path: Path = args.store or default_store_path()
    try:
        store = Store(store_path)
    except StoreError as e:
        _say(f"error: {e}")
        return EXIT_STORE
    try:
        sink = StoreSink(store)
        state: StateBackend | Path = args.state if args.state is not None else StoreState(store)
        embedder = None
        if args.out is not None:
            from newsprism.nlp.embeddings import get_embedder

            embedder = get_embedder(args.embedder)

        def after_step(results: list[PollResult]) -> None:
            s = sink.round
            if s.articles and not args.quiet:
                stories = (f"; {len(s.stories)} story(ies) got articles" if s.clustered else
                           " (stories not assigned: newsprism.stream.cluster is not available)")
                _say(f"stored: {s.line()}{stories}")
            changed = sink.take_changed()
            if args.out is None or not changed:
                return
            try:
                for story_id, n, written in refresh_reports(store, changed, args.out, formats=args.format,
                                                            min_articles=args.min_articles, embedder=embedder,
                                                            stop_when=lambda: watcher.stopping):  # fmt: skip
                    if not args.quiet:
                        _say(f"story {story_id} ({n} articles): report refreshed in {written[0].parent}")
            except NewsprismError as e:  # a report that cannot be written must not stop the polling
                _say(f"error: a story's report could not be refreshed: {e}")

        def progress(r: PollResult) -> None:
            for err in r.errors:
                if r.status != "failed" or err is not r.errors[-1]:
                    _say(f"input error: {err}")
            if not args.quiet or r.status == "failed":
                _say(poll_line(r))

        shown: dict[str, float] = {}

        def entry_progress(feed: str, done: int, total: int) -> None:  # from the worker threads
            # A long first poll (many new entries, a delay per host) says how far it is every 10 s.
            now = time.monotonic()
            if args.quiet or total < 5 or (0 < done < total and now - shown.get(feed, 0.0) < 10):
                return
            shown[feed] = now
            _say(f"{feed}: {done} of {total} new or updated entries loaded" if done else
                 f"{feed}: loading {total} new or updated entries…")  # fmt: skip

        try:
            watcher = FeedWatcher(args.feeds, on_articles=sink, state=state, interval=args.interval,
                                  host_delay=args.host_delay, workers=args.workers, timeout=args.timeout,
                                  progress=progress, after_step=after_step,
                                  entry_progress=entry_progress)  # fmt: skip
        except (InputError, ValueError) as e:
            args.parser.error(str(e))
        with watcher, _stop_on_signals(watcher, args.quiet):
            if not args.quiet:
                where = args.state if args.state is not None else f"{store_path} (with the articles)"
                _say(f"{len(watcher.feeds)} feed(s)" + (", one poll each" if args.once else
                     f", every {args.interval:g} s; Ctrl-C stops cleanly") +
                     f"; at least {args.host_delay:g} s between requests to one host; store {store_path}; "
                     f"state {where}" + (f"; reports in {args.out}" if args.out else ""))  # fmt: skip
            summary = watcher.run(once=args.once)
    except StoreError as e:  # busy (another writer), disk full: the state of the polls before is kept
        _say(f"error: {e}")
        return EXIT_STORE
    except NewsprismError as e:
        _say(f"error: {e}")
        return EXIT_NOTHING
    except KeyboardInterrupt:  # a second Ctrl-C: the state of every finished poll is saved already
        _say("interrupted")
        return EXIT_INTERRUPTED
    finally:
        store.close()
    _say(_summary_line(summary, args.once))
    if args.once and summary.failed:
        return EXIT_NOTHING if summary.failed == summary.polls else EXIT_PARTIAL
    return EXIT_OK


def _summary_line(s: WatchSummary, once: bool) -> str:
    head = "stopped" if s.stopped else "done" if once else "finished"
    return (f"{head}: {s.polls} poll(s), {s.not_modified} not modified, {s.failed} failed; "
            f"{s.new} new and {s.updated} updated article(s) stored; state saved")  # fmt: skip
