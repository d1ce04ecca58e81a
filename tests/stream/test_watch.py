"""The feed watcher against local servers on 127.0.0.1 (tests/stream/feed_server.py): conditional
requests and 304, 500 then recovery with backoff, slow servers, the per-host delay on a fake
clock, an article edited on the server, restarts from the saved state, and a clean stop."""

from __future__ import annotations

import importlib.util
import itertools
import json
import random
import sys
import threading
import time
from pathlib import Path

import pytest

from newsprism.errors import InputError
from newsprism.model import Article
from newsprism.stream.watch import (
    ENTRY_TRIES,
    FeedWatcher,
    PollResult,
    WatchStateError,
    backoff_delay,
    host_key,
    load_state,
)

pytestmark = pytest.mark.network

_spec = importlib.util.spec_from_file_location("feed_server", Path(__file__).with_name("feed_server.py"))
assert _spec is not None and _spec.loader is not None
fs = importlib.util.module_from_spec(_spec)
sys.modules["feed_server"] = fs  # dataclasses look their module up
_spec.loader.exec_module(fs)

RSS = "application/rss+xml"
HTML = "text/html; charset=utf-8"
T0 = 1_800_000_000.0


class FakeClock:
    """Time that moves only when the watcher sleeps: delays are measured, never waited."""

    def __init__(self, t: float = T0) -> None:
        self.t = t
        self.slept: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float, stop: threading.Event) -> bool:
        if stop.is_set():
            return True
        self.slept.append(seconds)
        self.t += max(0.0, seconds)
        return False


class Collector:
    def __init__(self) -> None:
        self.calls: list[list[Article]] = []

    def __call__(self, articles: list[Article]) -> None:
        self.calls.append(articles)

    @property
    def articles(self) -> list[Article]:
        return [a for call in self.calls for a in call]


@pytest.fixture
def site():
    s = fs.FeedSite()
    yield s
    s.close()


@pytest.fixture
def other_site():
    s = fs.FeedSite()
    yield s
    s.close()


def publish(site, stories, *, feed: str = "/feed.xml", updated: dict[str, str] | None = None, **feed_kw) -> None:
    """Serve ``stories`` ({slug: (title, paragraphs)}) as pages and a teaser feed listing them."""
    items = []
    for slug, (title, paras) in stories.items():
        site.put(f"/{slug}.html", fs.article_html(title, paras), HTML)
        items.append(fs.Item(f"vvh-{slug}", title, site.url(f"/{slug}.html"), paras[0][:60] + "…",
                             (updated or {}).get(slug, "Tue, 05 Mar 2024 09:30:00 GMT")))  # fmt: skip
    site.put(feed, fs.rss("Vell Valley Herald", items), RSS, **feed_kw)


def watcher(feeds, on_articles=None, **kw) -> FeedWatcher:
    kw.setdefault("host_delay", 0)
    kw.setdefault("jitter", 0)
    kw.setdefault("timeout", 2.0)
    return FeedWatcher(feeds, on_articles=on_articles or Collector(), **kw)


# -- conditional requests ---------------------------------------------------------------------


def test_first_poll_loads_every_entry_then_etag_gives_304(site) -> None:
    publish(site, {"dam": fs.DAM, "ferry": fs.FERRY})
    got = Collector()
    with watcher([site.url("/feed.xml")], got, clock=FakeClock()) as w:
        (r,) = w.step()
        assert (r.status, r.new, r.updated, r.errors) == ("ok", 2, 0, ())
        assert sorted(a.title for a in got.articles) == ["Dam Holds After Storm", "Osk Ferry Resumes Service"]
        dam = next(a for a in got.articles if a.title == "Dam Holds After Storm")
        assert dam.url == site.url("/dam.html") and "within a metre of the crest" in dam.text
        assert dam.outlet == "Vell Valley Herald"
        (r2,) = w.step(everything=True)
    assert (r2.status, r2.new, r2.articles) == ("not_modified", 0, ())
    feed_hits = site.hits_for("/feed.xml")
    assert [h.status for h in feed_hits] == [200, 304]
    assert feed_hits[1].if_none_match == site.resources["/feed.xml"].etag
    assert len(site.hits_for("/dam.html")) == 1  # no page downloaded again
    assert len(got.calls) == 1


def test_last_modified_alone_gives_304(site) -> None:
    publish(site, {"ferry": fs.FERRY}, etag=False)
    with watcher([site.url("/feed.xml")], clock=FakeClock()) as w:
        assert w.step()[0].status == "ok"
        (r,) = w.step(everything=True)
    assert r.status == "not_modified"
    hit = site.hits_for("/feed.xml")[-1]
    assert (hit.status, hit.if_none_match) == (304, None)
    assert hit.if_modified_since == site.resources["/feed.xml"].last_modified


def test_entry_progress_counts_the_entries_to_load(site) -> None:
    publish(site, {"dam": fs.DAM, "ferry": fs.FERRY, "pier": fs.PIER})
    calls: list[tuple[str, int, int]] = []
    with watcher([site.url("/feed.xml")], clock=FakeClock(), entry_progress=lambda *a: calls.append(a)) as w:
        w.step()
        publish(site, {"dam": fs.DAM_EDITED, "ferry": fs.FERRY, "pier": fs.PIER},
                updated={"dam": "Wed, 06 Mar 2024 07:00:00 GMT"})  # fmt: skip
        w.step(everything=True)
    url = site.url("/feed.xml")
    assert calls == [(url, 0, 3), (url, 1, 3), (url, 2, 3), (url, 3, 3), (url, 0, 1), (url, 1, 1)]


def test_a_page_two_feeds_list_is_fetched_once_a_round(site) -> None:
    publish(site, {"dam": fs.DAM, "ferry": fs.FERRY})
    publish(site, {"dam": fs.DAM}, feed="/top.xml")  # the outlet's front-page feed lists it too
    got = Collector()
    with watcher([site.url("/feed.xml"), site.url("/top.xml")], got, clock=FakeClock()) as w:
        w.step()
        assert len(site.hits_for("/dam.html")) == 1
        assert sorted(a.title for a in got.articles) == sorted([fs.DAM[0], fs.DAM[0], fs.FERRY[0]])
        publish(site, {"dam": fs.DAM_EDITED}, feed="/top.xml", updated={"dam": "Wed, 06 Mar 2024 07:00:00 GMT"})
        w.step(everything=True)  # a new round: the page is fetched again
    assert len(site.hits_for("/dam.html")) == 2
    assert "within half a metre" in got.articles[-1].text


def test_new_entry_alone_is_fetched(site) -> None:
    publish(site, {"dam": fs.DAM})
    got = Collector()
    with watcher([site.url("/feed.xml")], got, clock=FakeClock()) as w:
        w.step()
        publish(site, {"dam": fs.DAM, "pier": fs.PIER})  # the feed changes: a 200 with a new ETag
        (r,) = w.step(everything=True)
    assert (r.status, r.new, r.updated) == ("ok", 1, 0)
    assert [a.title for a in got.calls[1]] == ["Council Backs New Pier"]
    assert len(site.hits_for("/dam.html")) == 1  # the entry seen before is not fetched again


# -- errors, backoff, recovery ----------------------------------------------------------------


def test_server_error_backs_off_then_recovers(site) -> None:
    publish(site, {"dam": fs.DAM}, fail=2)
    clock, got = FakeClock(), Collector()
    with watcher([site.url("/feed.xml")], got, clock=clock, interval=100, jitter=0.25,
                 rng=random.Random(7)) as w:  # fmt: skip
        (r1,) = w.step()
        assert (r1.status, r1.failures) == ("failed", 1)
        assert r1.errors[0].code == "http_error" and "HTTP 500" in r1.errors[0].problem
        assert 150 <= r1.next_poll - clock.t <= 250  # 2 x interval, ± 25 % jitter
        assert w.step() == []  # not due yet: no request
        clock.t = r1.next_poll
        (r2,) = w.step()
        assert (r2.status, r2.failures) == ("failed", 2)
        assert 300 <= r2.next_poll - clock.t <= 500  # doubled
        clock.t = r2.next_poll
        (r3,) = w.step()
        assert (r3.status, r3.failures, r3.new) == ("ok", 0, 1)
        assert 75 <= r3.next_poll - clock.t <= 125  # back to the interval
        assert w.states[site.url("/feed.xml")].last_error == ""
    assert [h.status for h in site.hits_for("/feed.xml")] == [500, 500, 200]
    assert [a.title for a in got.articles] == ["Dam Holds After Storm"]


def test_backoff_is_capped_and_jittered() -> None:
    rng = random.Random(3)
    delays = [backoff_delay(n, base=60, cap=3600, jitter=0.2, rng=rng) for n in range(1, 40)]
    assert max(delays) <= 3600
    assert all(2880 <= d <= 3600 for d in delays[8:])  # saturated: within the jitter below the cap
    assert len({round(d, 6) for d in delays[:5]}) == 5  # jittered, and growing
    assert delays[0] < delays[2] < delays[4]
    assert backoff_delay(10_000, base=1, cap=5) == 5.0  # no overflow


def test_failing_article_page_is_retried_then_its_summary_used(site) -> None:
    publish(site, {"dam": fs.DAM})
    site.put("/dam.html", fs.article_html(*fs.DAM), HTML, fail=ENTRY_TRIES)
    got = Collector()
    url = site.url("/feed.xml")
    with watcher([url], got, clock=FakeClock()) as w:
        for _ in range(ENTRY_TRIES - 1):
            (r,) = w.step(everything=True)
            assert (r.status, r.new) == ("ok", 0)
            assert [e.code for e in r.errors] == ["http_error"]
            assert w.states[url].etag is None  # kept off, so that the next poll reads the feed again
        (r,) = w.step(everything=True)  # the last try: the feed's summary stands in
    assert (r.status, r.new) == ("ok", 1)
    assert got.articles[0].text.startswith("The Vell dam held")
    assert [h.status for h in site.hits_for("/feed.xml")] == [200] * ENTRY_TRIES


def test_page_that_is_not_html_is_not_retried(site) -> None:
    publish(site, {"dam": fs.DAM})
    site.put("/dam.html", "%PDF-1.4 not a page", "application/pdf")
    got = Collector()
    with watcher([site.url("/feed.xml")], got, clock=FakeClock()) as w:
        (r,) = w.step()
        assert w.step(everything=True)[0].status == "not_modified"  # nothing left to retry: the ETag was kept
    assert (r.new, [e.code for e in r.errors]) == (1, ["binary"])  # a PDF, whatever the entry says
    assert got.articles[0].text.startswith("The Vell dam held")  # the feed's summary
    assert len(site.hits_for("/dam.html")) == 1


def test_callback_failure_keeps_entries_unseen(site) -> None:
    publish(site, {"ferry": fs.FERRY})
    calls: list[int] = []

    def flaky(articles: list[Article]) -> None:
        calls.append(len(articles))
        if len(calls) == 1:
            raise OSError("disk full")

    with watcher([site.url("/feed.xml")], flaky, clock=FakeClock()) as w:
        (r1,) = w.step(everything=True)
        assert r1.status == "failed" and r1.errors[-1].code == "store_failed"
        assert "disk full" in r1.errors[-1].problem
        (r2,) = w.step(everything=True)
    assert (r2.status, r2.new) == ("ok", 1)
    assert calls == [1, 1]  # handed on again, not lost


def test_not_a_feed_fails_with_a_clear_error(site) -> None:
    site.put("/feed.xml", fs.article_html(*fs.DAM), HTML)
    with watcher([site.url("/feed.xml")], clock=FakeClock()) as w:
        (r,) = w.step()
    assert r.status == "failed" and r.errors[0].code == "bad_feed"
    assert r.errors[0].source == site.url("/feed.xml")


def test_bad_feed_url_is_refused_up_front() -> None:
    with pytest.raises(InputError) as e:
        FeedWatcher(["ftp://feeds.example/x.xml"], on_articles=print)
    assert e.value.code == "unsupported"


# -- slow servers -----------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_slow_feed_times_out_and_the_others_progress(site, other_site, workers: int) -> None:
    publish(site, {"dam": fs.DAM}, delay=10)  # far past the timeout
    publish(other_site, {"ferry": fs.FERRY})
    done: list[tuple[str, float]] = []
    start = time.monotonic()
    slow, fast = site.url("/feed.xml"), other_site.url("/feed.xml")
    with watcher([slow, fast], timeout=0.8, workers=workers,
                 progress=lambda r: done.append((r.feed, time.monotonic() - start))) as w:  # fmt: skip
        results = {r.feed: r for r in w.step()}
    elapsed = time.monotonic() - start
    assert elapsed < 4  # the slow server answers after 10 s
    assert results[fast].status == "ok" and results[fast].new == 1
    assert results[slow].status == "failed" and results[slow].errors[0].code == "unreachable"
    assert "timeout" in results[slow].errors[0].problem
    if workers > 1:  # polled side by side: the fast feed is done before the slow one gives up
        assert [feed for feed, _ in done] == [fast, slow]


def test_slow_article_page_times_out_and_the_other_entries_load(site) -> None:
    publish(site, {"dam": fs.DAM, "ferry": fs.FERRY})
    site.put("/dam.html", fs.article_html(*fs.DAM), HTML, delay=10)
    got = Collector()
    with watcher([site.url("/feed.xml")], got, timeout=0.4) as w:
        (r,) = w.step()
    assert [a.title for a in got.articles] == ["Osk Ferry Resumes Service"]
    assert [e.code for e in r.errors] == ["unreachable"]


# -- politeness -------------------------------------------------------------------------------


def test_per_host_delay_is_shared_by_feeds_and_pages(site, other_site) -> None:
    clock = FakeClock()
    site.clock = other_site.clock = clock.now
    publish(site, {"dam": fs.DAM, "ferry": fs.FERRY})
    publish(site, {"pier": fs.PIER}, feed="/second.xml")
    publish(other_site, {"ferry": fs.FERRY})
    feeds = [site.url("/feed.xml"), site.url("/second.xml"), other_site.url("/feed.xml")]
    wall = time.monotonic()
    with watcher(feeds, clock=clock, host_delay=5, workers=1) as w:
        results = w.step()
    assert time.monotonic() - wall < 2  # the delays were measured on the fake clock, not slept
    assert [r.status for r in results] == ["ok"] * 3
    first = [h.at for h in site.hits]
    assert len(first) == 6  # two feeds, robots.txt and three pages on one host
    assert all(b - a >= 5 for a, b in itertools.pairwise(first))
    assert first[-1] - first[0] == 25  # and no more than needed
    other = [h.at for h in other_site.hits]
    assert len(other) == 3 and all(b - a >= 5 for a, b in itertools.pairwise(other))
    assert other[0] - first[-1] == 0  # another host does not wait for this one


def test_one_request_at_a_time_per_host_on_the_real_clock(site) -> None:
    publish(site, {"dam": fs.DAM}, delay=0.4)  # a slow answer: the other feed's request must wait for it
    publish(site, {"ferry": fs.FERRY}, feed="/second.xml")
    with watcher([site.url("/feed.xml"), site.url("/second.xml")], host_delay=0.1, workers=2) as w:
        assert [r.status for r in w.step()] == ["ok", "ok"]
    hits = sorted(site.hits, key=lambda h: h.at)
    assert len(hits) == 5  # two feeds, robots.txt, two pages
    assert all(b.at - a.done >= 0.1 for a, b in itertools.pairwise(hits)), [(h.path, h.at, h.done) for h in hits]


def test_robots_txt_disallowed_page_is_not_fetched(site) -> None:
    site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    publish(site, {"ferry": fs.FERRY})
    site.put("/private/dam.html", fs.article_html(*fs.DAM), HTML)
    items = [fs.Item("vvh-ferry", fs.FERRY[0], site.url("/ferry.html"), "The ferry is back."),
             fs.Item("vvh-dam", fs.DAM[0], site.url("/private/dam.html"), "The Vell dam held through the storm.")]
    site.put("/feed.xml", fs.rss("Vell Valley Herald", items), RSS)
    got = Collector()
    with watcher([site.url("/feed.xml")], got, clock=FakeClock()) as w:
        (r,) = w.step()
        assert w.states[site.url("/feed.xml")].etag is not None  # nothing left to retry
    assert (r.status, r.new) == ("ok", 2)
    assert [e.code for e in r.errors] == ["disallowed"]
    assert site.hits_for("/private/dam.html") == []
    assert len(site.hits_for("/robots.txt")) == 1  # once per host, not per page
    assert {a.title: a.text for a in got.articles}[fs.DAM[0]] == "The Vell dam held through the storm."


def test_robots_txt_crawl_delay_is_kept(site) -> None:
    clock = FakeClock()
    site.clock = clock.now
    site.put("/robots.txt", "User-agent: *\nCrawl-delay: 9\n", "text/plain")
    publish(site, {"dam": fs.DAM, "ferry": fs.FERRY, "pier": fs.PIER})
    with watcher([site.url("/feed.xml")], clock=clock, host_delay=1) as w:
        w.step()
    pages = [h.at for h in site.hits if h.path.endswith(".html")]
    assert len(pages) == 3 and all(b - a >= 9 for a, b in itertools.pairwise(pages))


def test_retry_after_is_honoured(site) -> None:
    publish(site, {"dam": fs.DAM}, fail=1, fail_status=503, retry_after="3600")
    clock = FakeClock()
    with watcher([site.url("/feed.xml")], clock=clock, interval=100) as w:
        (r,) = w.step()
    assert r.status == "failed" and "HTTP 503" in r.errors[0].problem
    assert r.next_poll - clock.t == 3600  # not the 200 s the backoff alone would wait


def test_host_key_counts_the_port() -> None:
    assert host_key("http://127.0.0.1:8001/a") != host_key("http://127.0.0.1:8002/a")
    assert host_key("https://NEWS.example/a") == host_key("https://news.example/b")


# -- edits ------------------------------------------------------------------------------------


def test_article_changed_on_the_server_comes_again_as_an_update(site) -> None:
    publish(site, {"dam": fs.DAM})
    got = Collector()
    with watcher([site.url("/feed.xml")], got, clock=FakeClock()) as w:
        (r1,) = w.step()
        # The page is edited but the feed does not say so: the feed answers 304, nothing re-fetched.
        site.put("/dam.html", fs.article_html(*fs.DAM_EDITED), HTML)
        assert w.step(everything=True)[0].status == "not_modified"
        # The feed marks the entry updated: the page is fetched again and its new text handed on.
        publish(site, {"dam": fs.DAM_EDITED}, updated={"dam": "Wed, 06 Mar 2024 07:00:00 GMT"})
        (r2,) = w.step(everything=True)
        # Updated again in the feed, but the page's text is the same: nothing handed on.
        publish(site, {"dam": fs.DAM_EDITED}, updated={"dam": "Wed, 06 Mar 2024 08:00:00 GMT"})
        (r3,) = w.step(everything=True)
    assert (r1.new, r2.new, r2.updated, r3.updated, r3.unchanged) == (1, 0, 1, 0, 1)
    old, new = got.articles
    assert (old.url, old.id) == (new.url, new.id)
    assert "within a metre" in old.text and "within half a metre" in new.text
    assert "Three roads" in new.text
    # The page is asked for conditionally when re-checked: 200 when it changed, 304 when it did not.
    hits = site.hits_for("/dam.html")
    assert [(h.status, h.if_none_match is not None) for h in hits] == [(200, False), (200, True), (304, True)]


# -- state and restarts -----------------------------------------------------------------------


def test_restart_from_saved_state_fetches_nothing_seen(site, tmp_path: Path) -> None:
    publish(site, {"dam": fs.DAM, "ferry": fs.FERRY})
    state = tmp_path / "watch.json"
    url = site.url("/feed.xml")
    with watcher([url], state=state, interval=600) as w:
        w.run(once=True)
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert saved["kind"] == "newsprism.watch" and len(saved["feeds"][url]["entries"]) == 2
    assert saved["feeds"][url]["next_poll"] > time.time() + 500  # the schedule survives too
    publish(site, {"dam": fs.DAM, "ferry": fs.FERRY, "pier": fs.PIER})
    got = Collector()
    with watcher([url], got, state=state) as w2:
        assert w2.step() == []  # not due yet
        summary = w2.run(once=True)
    assert (summary.polls, summary.new, summary.failed) == (1, 1, 0)
    assert [a.title for a in got.articles] == ["Council Backs New Pier"]
    assert len(site.hits_for("/dam.html")) == len(site.hits_for("/ferry.html")) == 1
    assert site.hits_for("/feed.xml")[1].if_none_match is not None


def test_unreadable_state_is_refused_and_kept(site, tmp_path: Path) -> None:
    state = tmp_path / "watch.json"
    state.write_text("{not json", encoding="utf-8")
    with pytest.raises(WatchStateError) as e:
        watcher([site.url("/feed.xml")], state=state)
    assert str(state) in str(e.value) and "move the file away" in str(e.value)
    assert state.read_text(encoding="utf-8") == "{not json"


def test_state_keeps_feeds_not_watched_now(site, tmp_path: Path) -> None:
    publish(site, {"dam": fs.DAM})
    publish(site, {"pier": fs.PIER}, feed="/second.xml")
    state = tmp_path / "watch.json"
    with watcher([site.url("/feed.xml"), site.url("/second.xml")], state=state) as w:
        w.run(once=True)
    with watcher([site.url("/feed.xml")], state=state) as w:
        w.run(once=True)
    assert set(load_state(state)) == {site.url("/feed.xml"), site.url("/second.xml")}


# -- a clean stop -----------------------------------------------------------------------------


def test_stop_finishes_the_request_in_flight_and_saves(site, tmp_path: Path) -> None:
    publish(site, {"dam": fs.DAM}, delay=0.6)
    state = tmp_path / "watch.json"
    url = site.url("/feed.xml")
    seen: list[PollResult] = []
    with watcher([url], state=state, progress=seen.append) as w:

        def stop_when_asked() -> None:
            site.arrived.wait(5)
            w.stop()  # while the feed's answer is on its way

        threading.Thread(target=stop_when_asked, daemon=True).start()
        start = time.monotonic()
        summary = w.run()
    assert time.monotonic() - start < 3
    assert summary.stopped
    assert [h.status for h in site.hits_for("/feed.xml")] == [200]  # the request was let finish
    assert site.hits_for("/dam.html") == []  # and nothing new was started
    (r,) = seen
    assert r.status == "stopped"
    saved = load_state(state)[url]
    assert saved.last_status == "stopped" and saved.etag is None  # the entries left are read next time


def test_stop_while_idle_returns_at_once(site) -> None:
    publish(site, {"ferry": fs.FERRY})
    stopped_at: list[float] = []

    def stop_soon(r: PollResult) -> None:  # once the first poll is done, while the watcher sleeps an hour
        threading.Timer(0.2, lambda: (stopped_at.append(time.monotonic()), w.stop())).start()

    with watcher([site.url("/feed.xml")], interval=3600, progress=stop_soon) as w:
        summary = w.run()
    assert time.monotonic() - stopped_at[0] < 1
    assert (summary.polls, summary.new, summary.stopped) == (1, 1, True)


# -- into the article store -------------------------------------------------------------------


def test_edited_article_becomes_a_new_version_in_the_store(site, tmp_path: Path) -> None:
    from newsprism.stream.store import Store
    from newsprism.stream.watch import StoreSink, StoreState

    publish(site, {"dam": fs.DAM, "ferry": fs.FERRY})
    url = site.url("/feed.xml")
    with Store(tmp_path / "s.sqlite3") as store:
        sink = StoreSink(store, clusterer=None)
        with watcher([url], sink, state=StoreState(store)) as w:
            w.run(once=True)
            publish(site, {"dam": fs.DAM_EDITED, "ferry": fs.FERRY}, updated={"dam": "Wed, 06 Mar 2024 07:00:00 GMT"})
            w.run(once=True)
        assert (sink.totals.new, sink.totals.versions) == (2, 1)
        found = store.find(site.url("/dam.html"))
        assert found is not None
        versions = store.versions(found[0])
        assert len(versions) == 2
        assert "within a metre" in versions[0].text and "within half a metre" in versions[1].text
        assert "within half a metre" in store.article(found[0]).text  # the current version
        # The watch state lives in the store: a restart with it fetches nothing seen.
        with watcher([url], StoreSink(store, clusterer=None), state=StoreState(store)) as w2:
            assert w2.states[url].etag == site.resources["/feed.xml"].etag
            assert w2.run(once=True).not_modified == 1


# -- the command line -------------------------------------------------------------------------


def test_cli_once_stores_the_articles_and_says_so(site, tmp_path: Path, capsys) -> None:
    from newsprism.cli import main
    from newsprism.stream.store import Store

    publish(site, {"dam": fs.DAM, "ferry": fs.FERRY})
    store = tmp_path / "s.sqlite3"
    args = ["watch", site.url("/feed.xml"), "--once", "--store", str(store), "--host-delay", "0"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert f"{site.url('/feed.xml')}: 2 new, 0 updated" in err
    assert "stored: 2 new, 0 exact duplicates" in err
    assert "done: 1 poll(s), 0 not modified, 0 failed; 2 new and 0 updated article(s) stored" in err
    with Store(store) as s:
        assert s.count() == 2
    assert main(args) == 0  # again: the state in the store makes it a 304
    assert "not modified (304)" in capsys.readouterr().err


def test_cli_once_exit_codes_for_failing_feeds(site, tmp_path: Path, capsys) -> None:
    from newsprism.cli import main

    publish(site, {"ferry": fs.FERRY})
    base = ["--once", "--store", str(tmp_path / "s.sqlite3"), "--host-delay", "0", "-q"]
    assert main(["watch", site.url("/feed.xml"), site.url("/missing.xml"), *base]) == 1
    err = capsys.readouterr().err
    assert f"{site.url('/missing.xml')}: failed (1 in a row): the server answered HTTP 404" in err
    assert main(["watch", site.url("/missing.xml"), *base]) == 2


def test_cli_refuses_a_feed_that_is_not_http(tmp_path: Path, capsys) -> None:
    from newsprism.cli import EXIT_USAGE, main

    with pytest.raises(SystemExit) as e:
        main(["watch", "feeds.example/rss.xml", "--store", str(tmp_path / "s.sqlite3")])
    assert e.value.code == EXIT_USAGE
    assert "http:// or https://" in capsys.readouterr().err
    assert not (tmp_path / "s.sqlite3").exists()  # nothing created


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_cli_signal_stops_cleanly_with_exit_0(site, tmp_path: Path, signame: str) -> None:
    import os
    import signal
    import subprocess

    from newsprism.stream.store import Store
    from newsprism.stream.watch import WATCH_STATE_KEY

    site.put("/feed.xml", fs.rss("Vell Valley Herald", []), RSS)  # no entries: no models to load, a quick test
    store = tmp_path / "s.sqlite3"
    cmd = [sys.executable, "-m", "newsprism", "watch", site.url("/feed.xml"), "--store", str(store),
           "--interval", "10", "--host-delay", "0"]  # fmt: skip
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stderr is not None
    lines = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # wait for the first poll to finish
        line = proc.stderr.readline()
        lines.append(line)
        if "next poll" in line or not line:
            break
    proc.send_signal(getattr(signal, signame))
    try:
        rest = proc.communicate(timeout=10)[1]
    finally:
        proc.kill()
    assert proc.returncode == 0, "".join(lines) + rest
    assert "stopping" in rest and "stopped: 1 poll(s)" in rest
    with Store(store) as s:
        state = json.loads(s.get_meta(WATCH_STATE_KEY) or "{}")
    assert state["feeds"][site.url("/feed.xml")]["etag"] == site.resources["/feed.xml"].etag


@pytest.mark.slow  # loads spaCy and the sentence model
def test_refresh_reports_writes_each_changed_story(site, tmp_path: Path) -> None:
    from newsprism.stream.store import Store
    from newsprism.stream.watch import StoreSink, refresh_reports

    publish(site, {"dam": fs.DAM, "ferry": fs.FERRY, "pier": fs.PIER})
    with Store(tmp_path / "s.sqlite3") as store:
        sink = StoreSink(store, clusterer=None)
        with watcher([site.url("/feed.xml")], sink) as w:
            w.run(once=True)
        ids = {store.find(site.url(f"/{slug}.html"))[0] for slug in ("ferry", "pier", "dam")}  # type: ignore[index]
        by_url = {store.article(i).url: i for i in ids}
        # Stand-ins for the story clusterer: two Osk stories in one story, the dam alone.
        for slug, story in (("ferry", "osk"), ("pier", "osk"), ("dam", "vell")):
            store.assign(by_url[site.url(f"/{slug}.html")], story)
        written = refresh_reports(store, ["osk", "vell"], tmp_path / "out", formats=["json"])
    assert [(s, n) for s, n, _ in written] == [("osk", 2)]  # "vell" has one article: below min_articles
    report = json.loads((tmp_path / "out" / "osk" / "report.json").read_text(encoding="utf-8"))
    assert sorted(a["title"] for a in report["story"]["articles"]) == ["Council Backs New Pier",
                                                                      "Osk Ferry Resumes Service"]
    assert not (tmp_path / "out" / "vell").exists()


@pytest.mark.slow  # loads spaCy and the sentence models
def test_cli_out_refreshes_the_report_of_every_story_with_two_articles(site, other_site, tmp_path: Path,
                                                                       capsys) -> None:  # fmt: skip
    from newsprism.cli import main
    from newsprism.stream.store import Store

    ferry_again = ("Ferry Back On The Osk Crossing", [
        "Service on the ferry linking Brenmoor with Osk Island restarted on Monday, two weeks after it stopped "
        "for engine repairs, according to the harbour office.",
        "The first crossing was sold out by midday; the operator has added an evening sailing, the office said."])
    publish(site, {"dam": fs.DAM, "ferry": fs.FERRY})
    publish(other_site, {"ferry": ferry_again})
    store, out = tmp_path / "s.sqlite3", tmp_path / "stories"
    rc = main(["watch", site.url("/feed.xml"), other_site.url("/feed.xml"), "--once", "--store", str(store),
               "--host-delay", "0", "-o", str(out), "--format", "json"])  # fmt: skip
    assert rc == 0
    err = capsys.readouterr().err
    with Store(store) as s:
        rows = s.stories()
    assert sum(r.articles for r in rows) == 3
    big = sorted(r.id for r in rows if r.articles >= 2)
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert written == big  # a report for each story with two articles or more, and no other
    for story_id in big:
        assert (out / story_id / "report.json").is_file()
        assert f"story {story_id} (" in err


def test_cli_store_that_is_not_a_store_exits_73(site, tmp_path: Path, capsys) -> None:
    import sqlite3

    from newsprism.cli import main

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (x)")
    assert main(["watch", site.url("/feed.xml"), "--once", "--store", str(other)]) == 73
    assert "not a newsprism store" in capsys.readouterr().err
    assert site.hits == []  # nothing fetched
