"""The feed watcher against local servers (127.0.0.1): throughput, 304 rounds, edits, politeness.

    .venv/bin/python bench/bench_watch.py                       # 4 hosts x 5 feeds x 25 entries
    .venv/bin/python bench/bench_watch.py --hosts 8 --feeds 5 --entries 50 --workers 8
    .venv/bin/python bench/bench_watch.py --store               # into an article store (dedup, stories)

Each host is a local HTTP server (tests/stream/feed_server.py) serving ``--feeds`` RSS feeds of
``--entries`` teaser entries each; every entry's page holds a synthetic article made here from a
small fictional vocabulary (no shared data). Rounds, one ``FeedWatcher.step(everything=True)`` each:

1. first: every feed and every page fetched (``--host-delay 0``: the watcher's own cost), articles/s;
2. not modified: every feed answers 304, nothing else is fetched;
3. edits: 10% of the pages change and their entries say so: only those pages are fetched again.

Then politeness, on the real clock: a round with ``--polite-delay`` seconds per host and all feeds
polled at once, reporting, per host as the server saw it, the smallest gap from an answer to the
next request (must be >= the delay) and how many requests overlapped another (must be 0).
Peak RSS of the process and the size of the saved JSON state are printed last.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from newsprism.model import Article
from newsprism.stream.watch import FeedWatcher

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("feed_server", ROOT / "tests" / "stream" / "feed_server.py")
assert _spec is not None and _spec.loader is not None
fs: Any = importlib.util.module_from_spec(_spec)
sys.modules["feed_server"] = fs
_spec.loader.exec_module(fs)

WORDS = ("harbour council ferry dam river bridge mayor engineers residents storm road school budget vote "
         "island village market tunnel station crossing repairs inspectors office board week month "
         "spring winter morning evening north south east west said announced confirmed expected").split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
    return " ".join(words).capitalize() + "."


def page(rng: random.Random, title: str) -> tuple[str, list[str]]:
    return title, [" ".join(sentence(rng) for _ in range(4)) for _ in range(5)]


def build(sites: list[Any], feeds: int, entries: int, rng: random.Random) -> dict[str, tuple[Any, str, list[Any]]]:
    """Publish every host's feeds; returns feed URL -> (site, feed path, items)."""
    out = {}
    for h, site in enumerate(sites):
        for f in range(feeds):
            items = []
            for e in range(entries):
                slug = f"/f{f}/a{e}.html"
                title, paras = page(rng, f"Story {h}-{f}-{e}")
                site.put(slug, fs.article_html(title, paras, outlet=f"Outlet {h}"), "text/html; charset=utf-8")
                items.append(fs.Item(f"h{h}-f{f}-e{e}", title, site.url(slug), paras[0][:80]))
            path = f"/f{f}/feed.xml"
            site.put(path, fs.rss(f"Outlet {h}", items), "application/rss+xml")
            out[site.url(path)] = (site, path, items)
    return out


def timed_round(w: FeedWatcher, sites: list[Any]) -> tuple[float, int, list[Any]]:
    before = sum(len(s.hits) for s in sites)
    start = time.perf_counter()
    results = w.step(everything=True)
    return time.perf_counter() - start, sum(len(s.hits) for s in sites) - before, results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--feeds", type=int, default=5, help="feeds per host")
    ap.add_argument("--entries", type=int, default=25, help="entries per feed")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--polite-delay", type=float, default=0.05, help="per-host delay of the politeness round")
    ap.add_argument("--store", action="store_true", help="hand the articles to an article store (StoreSink)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sites = [fs.FeedSite() for _ in range(args.hosts)]
    tmp = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    try:
        feeds = build(sites, args.feeds, args.entries, rng)
        got: list[Article] = []
        sink: Any = got.extend
        store = None
        if args.store:
            from newsprism.stream.store import Store
            from newsprism.stream.watch import StoreSink

            store = Store(tmp / "s.sqlite3")
            inner = StoreSink(store)

            def sink(articles: list[Article]) -> None:
                got.extend(articles)
                inner(articles)

        state = tmp / "watch.json"
        n_entries = args.hosts * args.feeds * args.entries
        print(f"{args.hosts} hosts x {args.feeds} feeds x {args.entries} entries = {n_entries} articles; "
              f"workers {args.workers}; {'into a store' if args.store else 'collected in memory'}")
        with FeedWatcher(list(feeds), on_articles=sink, state=state, host_delay=0, workers=args.workers,
                         jitter=0) as w:  # fmt: skip
            secs, reqs, results = timed_round(w, sites)
            new = sum(r.new for r in results)
            print(f"first round:   {secs:7.2f} s, {reqs} requests, {new} new articles, {new / secs:7.1f} articles/s")
            secs, reqs, results = timed_round(w, sites)
            nm = sum(r.status == "not_modified" for r in results)
            print(f"304 round:     {secs:7.2f} s, {reqs} requests, {nm} of {len(results)} feeds not modified, "
                  f"{1000 * secs / len(results):.1f} ms per feed")
            edited = 0
            for site, path, items in feeds.values():
                changed = []
                for it in items:
                    if rng.random() < 0.1:
                        edited += 1
                        slug = it.link.removeprefix(site.base)
                        site.put(slug, fs.article_html(*page(rng, it.title)), "text/html; charset=utf-8")
                        it = fs.Item(it.guid, it.title, it.link, it.summary, "Wed, 06 Mar 2024 07:00:00 GMT")
                    changed.append(it)
                site.put(path, fs.rss(site.base, changed), "application/rss+xml")
            secs, reqs, results = timed_round(w, sites)
            upd = sum(r.updated for r in results)
            print(f"edits round:   {secs:7.2f} s, {reqs} requests, {upd} of {edited} edited articles updated")
        state_bytes = state.stat().st_size
        # Politeness on the real clock: every feed polled at once, each host's requests at least the delay apart.
        for s in sites:
            s.hits.clear()
        with FeedWatcher(list(feeds), on_articles=lambda a: None, host_delay=args.polite_delay,
                         workers=max(args.workers, len(feeds))) as w:  # fmt: skip
            start = time.perf_counter()
            w.step(everything=True)
            secs = time.perf_counter() - start
        gaps, overlaps = [], 0
        for s in sites:
            hits = sorted(s.hits, key=lambda h: h.at)
            gaps += [b.at - a.done for a, b in itertools.pairwise(hits)]  # end of one -> start of the next
            overlaps += sum(b.at < a.done for a, b in itertools.pairwise(hits))
        per_host = max(len(s.hits) for s in sites)
        print(f"polite round:  {secs:7.2f} s at {args.polite_delay:g} s per host ({per_host} requests on the "
              f"busiest host: at least {(per_host - 1) * args.polite_delay:.2f} s); on one host, smallest gap "
              f"from an answer to the next request {min(gaps):.4f} s, requests overlapping {overlaps}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"state file:    {state_bytes:,} bytes ({state_bytes / n_entries:.0f} per entry); "
              f"peak RSS {rss:.0f} MB")
        print(json.dumps({"articles": len(got)}))
        if store is not None:
            store.close()
    finally:
        for s in sites:
            s.close()


if __name__ == "__main__":
    main()
