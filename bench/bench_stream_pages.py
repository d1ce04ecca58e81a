"""`newsprism serve --articles-store`: what one poll of the live pages costs on a large store.

    .venv/bin/python bench/bench_stream_pages.py                          # 2,000 and 20,000 articles
    .venv/bin/python bench/bench_stream_pages.py --articles 100000 --per-story 4

Builds an article store of synthetic articles (a small fictional vocabulary; no shared data), about
``--per-story`` articles a story, 5% of them edited once (a second version), with the store's own
``add_article`` / ``add_version`` / ``assign`` (no clusterer: the listing's cost does not depend on
how stories were found). Then, through the app (FastAPI TestClient, in-process, so the time is the
app's and not the network's), the median and worst of ``--repeat`` requests, each right after a
commit by another connection (so the listing is computed afresh; an unchanged store is answered
from the app's cache, shown too for the rows), of:

- ``GET /stream/rows``: the fragment ``/stream`` polls every 5 s (200 stories rendered);
- ``GET /api/stream/stories?limit=100``: the JSON listing;
- ``GET /stream/{id}/live``: a story page's poll.

After a change the listing is one grouped query over every story membership, so that is the
number that grows with the store.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from newsprism.model import Article
from newsprism.stream.store import Store

WORDS = ("harbour council ferry dam river bridge mayor engineers residents storm road school budget vote "
         "island village market tunnel station crossing repairs inspectors office board week month "
         "spring winter morning evening north south east west said announced confirmed expected").split()
TICK = itertools.count()
OUTLETS = [f"Osk {n}" for n in ("Ledger", "Post", "Wire", "Courier", "Herald", "Times", "Daily", "Gazette")]


def build(path: Path, n: int, per_story: int, seed: int = 7) -> float:
    """Fill a store at ``path``; returns the seconds it took."""
    rng = random.Random(seed)
    t = time.perf_counter()
    with Store(path) as store, store.transaction():
        for i in range(n):
            text = " ".join(" ".join(rng.choices(WORDS, k=14)).capitalize() + "." for _ in range(6))
            a = Article.create(id=f"a{i}", outlet=OUTLETS[i % len(OUTLETS)], title=f"Story {i // per_story} item {i}",
                               text=text, url=f"https://news.example/{i}")
            aid = store.add_article(a, seen=f"2026-03-{1 + i * 27 // n:02d}T10:00:00+00:00")
            store.assign(aid, f"story-{i // per_story + 1}")
            if rng.random() < 0.05:
                store.add_version(aid, Article.create(id=aid, outlet=a.outlet, title=a.title, text=text + " Updated.",
                                                      url=a.url), seen="2026-03-28T10:00:00+00:00")
    return time.perf_counter() - t


def timed(client: object, url: str, repeat: int, writer: Store | None = None) -> tuple[float, float]:
    """Median and worst ms of ``repeat`` requests; with ``writer``, each after a commit by it (another
    connection, as ``watch`` would be), so the app cannot answer from its cache."""
    times = []
    for _ in range(repeat):
        if writer is not None:  # a later time each round: a write that changes nothing commits nothing
            with writer.transaction():
                writer.touch("a0", f"2030-01-01T00:00:00.{next(TICK):06d}+00:00")
        t = time.perf_counter()
        r = client.get(url)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, (url, r.status_code)
    return statistics.median(times) * 1000, max(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, nargs="+", default=[2000, 20000])
    ap.add_argument("--per-story", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    from fastapi.testclient import TestClient

    from newsprism.web.app import create_app

    print("articles  stories  build s  rows ms: after a write / unchanged   api ms (after a write)  story ms")
    for n in args.articles:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "articles.sqlite3"
            built = build(path, n, args.per_story)
            app = create_app(Path(tmp) / "web.sqlite3", articles_store=path, resume=False)
            with TestClient(app, base_url="http://127.0.0.1") as client, Store(path) as writer:
                rows = timed(client, "/stream/rows", args.repeat, writer)
                same = timed(client, "/stream/rows", args.repeat)
                api = timed(client, "/api/stream/stories?limit=100", args.repeat, writer)
                story = timed(client, "/stream/story-1/live", args.repeat, writer)
                stories = client.get("/api/stream/stories?limit=1").json()["total"]
            print(f"{n:8,}  {stories:7,}  {built:7.1f}  {rows[0]:5.0f} ({rows[1]:.0f} worst) / {same[0]:3.0f} "
                  f"({same[1]:.0f})       {api[0]:5.0f} ({api[1]:.0f})           {story[0]:4.0f} ({story[1]:.0f})",
                  flush=True)


if __name__ == "__main__":
    sys.exit(main())
