"""The article store: schema, versions, duplicate links, stories, one writer, bad files."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from newsprism.model import Article, Artifact
from newsprism.stream.ingest import ingest_articles
from newsprism.stream.store import SCHEMA_VERSION, Store, StoreError, identity_of

TEXT = ("The ferry to Osk Island resumed service on Monday after a two-week pause for engine repairs, "
        "the harbour office said.\n\nTickets for the evening run sold out by noon, and a second boat "
        "will be added on weekends until the end of the month.")
OTHER = ("Rain is forecast for the Calder valley through Thursday, and the county has opened two shelters "
         "near the river.\n\nThe weather office said the rivers should crest on Wednesday night.")


def _article(id: str, text: str = TEXT, url: str | None = None, **kw: object) -> Article:
    return Article.create(id=id, outlet=kw.pop("outlet", "Osk Daily"), text=text, url=url,  # type: ignore[arg-type]
                          source=f"{id}.txt", **kw)


def test_a_new_store_has_the_schema_and_wal(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as s:
        assert s.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "versions", "bands", "duplicates", "stories", "story_members", "meta"} <= tables


def test_an_article_round_trips_with_metadata_and_artifacts(tmp_path: Path) -> None:
    when = datetime(2026, 3, 3, 20, 40, tzinfo=UTC)
    a = _article("osk", url="https://osk.example/ferry", title="Ferry Resumes", published=when, author="I. Vant",
                 artifacts=(Artifact(0, 9, "byline", "test"),))
    with Store(tmp_path / "s.sqlite3") as s:
        with s.transaction():
            stored = s.add_article(a, seen="2026-03-04T08:00:00+00:00")
        back = s.article(stored)
    assert (back.text, back.title, back.url, back.published, back.author, back.source) == (
        a.text, a.title, a.url, a.published, a.author, a.source)
    assert back.artifacts == a.artifacts and back.paragraphs == a.paragraphs


def test_ids_stay_unique_and_identity_is_the_url_else_the_source(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as s, s.transaction():
        first = s.add_article(_article("osk", url="https://osk.example/a"))
        second = s.add_article(_article("osk", text=OTHER, url="https://osk.example/b"))
    assert (first, second) == ("osk", "osk-2")
    assert identity_of(_article("x")) == "x.txt"


def test_versions_first_seen_and_unchanged(tmp_path: Path) -> None:
    url = "https://osk.example/ferry"
    with Store(tmp_path / "s.sqlite3") as s:
        a = ingest_articles(s, [_article("osk", url=url)], clusterer=None)
        b = ingest_articles(s, [_article("osk", url=url)], clusterer=None)
        c = ingest_articles(s, [_article("osk", TEXT + "\n\nThe harbour master thanked the crews.", url=url)],
                            clusterer=None)
        versions = s.versions("osk")
        first_seen, last_seen = s.db.execute("SELECT first_seen, last_seen FROM articles").fetchone()
        assert s.count() == 1 and s.article("osk").text.endswith("crews.")
        assert s.article("osk", 1).text == TEXT
    assert (a.new, b.unchanged, c.versions) == (1, 1, 1)
    assert [v.version for v in versions] == [1, 2] and first_seen <= last_seen


def test_duplicates_are_stored_and_linked_not_dropped(tmp_path: Path) -> None:
    arts = [_article("osk", url="https://osk.example/ferry"),
            _article("wire", url="https://wire.example/ferry", outlet="Wire"),
            _article("trim", TEXT.split("\n\n")[0] + "\n\n" + TEXT.split("\n\n")[1][:60] + ".",
                     url="https://trim.example/ferry"),
            _article("rain", OTHER, url="https://rain.example/")]
    with Store(tmp_path / "s.sqlite3") as s:
        summary = ingest_articles(s, arts, clusterer=None)
        links = {(d.article_id, d.canonical_id, d.kind) for d in s.duplicate_links()}
        assert s.count() == 4
    assert (summary.new, summary.exact, summary.near) == (2, 1, 1)
    assert links == {("wire", "osk", "exact"), ("trim", "osk", "near")}


def test_duplicates_join_their_canonicals_story(tmp_path: Path) -> None:
    class OneStoryEach:  # a stand-in clusterer: every canonical article starts its own story
        n = 0

        def assign(self, item: object) -> str:
            self.n += 1
            return f"story-{self.n}"

        def state_dict(self) -> dict[str, int]:
            return {"n": self.n}

    import newsprism.stream.ingest as ingest_mod

    with Store(tmp_path / "s.sqlite3") as s:
        original = ingest_mod._features, ingest_mod._lead_vectors
        ingest_mod._features = lambda arts, vectors=None: list(arts)  # type: ignore[assignment]
        ingest_mod._lead_vectors = lambda arts: np.zeros((len(arts), 1))  # type: ignore[assignment]
        try:
            ingest_articles(s, [_article("osk", url="https://a.example/1"), _article("rain", OTHER, url="https://b.example/2"),
                                _article("wire", url="https://c.example/3")], clusterer=OneStoryEach())
        finally:
            ingest_mod._features, ingest_mod._lead_vectors = original  # type: ignore[assignment]
        assert s.story_article_ids("story-1") == ["osk", "wire"]
        assert [(r.id, r.articles, r.outlets) for r in s.stories()] == [("story-1", 2, 1), ("story-2", 1, 1)]
        assert s.get_meta("story_clusterer") == '{"n":2}'


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with Store(path) as first, Store(path, timeout=0.1) as second, first.transaction():
        first.add_article(_article("osk"))
        with pytest.raises(StoreError, match="another newsprism is writing"), second.transaction():
            pass
        assert second.count() == 0  # readers are not blocked, and see only committed rows


def test_a_failed_batch_is_rolled_back(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as s:
        with pytest.raises(RuntimeError), s.transaction():
            s.add_article(_article("osk"))
            raise RuntimeError("boom")
        assert s.count() == 0


def test_a_foreign_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE customers (name TEXT)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="not a newsprism store"):
        Store(path)
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall() == [("customers",)]


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes, not a database\n" * 200)
    with pytest.raises(StoreError, match="not a newsprism store"):
        Store(path)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with Store(path) as s:
        s.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    with pytest.raises(StoreError, match="newer than this newsprism"):
        Store(path)


def test_a_store_with_other_fingerprints_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with Store(path) as s:
        with s.transaction():
            s.add_article(Article.create(id="a", outlet="o", text="The dam held.", url="https://o.example/a"))
        s.set_meta("fingerprints", "1")
    with pytest.raises(StoreError, match=r"fingerprints are version 1.*new store"):
        Store(path)


def _items(n: int, seed: int = 3) -> list[object]:
    from newsprism.stream.cluster import ClusterItem

    rng = np.random.default_rng(seed)
    bases = rng.standard_normal((5, 16)).astype(np.float32)
    out = []
    for k in range(n):
        v = bases[k % 5] + 0.3 * rng.standard_normal(16).astype(np.float32)
        out.append(ClusterItem(f"a{k}", v / np.linalg.norm(v), frozenset({f"n{k % 5}", f"m{k % 3}"}), None))
    return out


def test_the_clusterer_saved_batch_by_batch_comes_back_exactly(tmp_path: Path) -> None:
    from newsprism.stream.cluster import StoryClusterer
    from newsprism.stream.ingest import load_clusterer, save_clusterer

    items = _items(70)
    live = StoryClusterer(threshold=0.5, window=None, max_stories=6)  # joins, new stories and evictions
    with Store(tmp_path / "s.sqlite3") as s:
        for lo in range(0, 56, 8):
            for it in items[lo:lo + 8]:
                live.assign(it)
            with s.transaction():
                save_clusterer(s, live)
            restored = load_clusterer(s)
            assert restored is not None
            assert restored.state_dict() == json.loads(json.dumps(live.state_dict()))
        assert "stories" not in json.loads(s.get_meta("story_clusterer") or "{}")
        assert len(s.clusterer_stories()) == len(live) >= 5
        # the restored clusterer goes on as the original does
        assert [restored.assign(it) for it in items[56:]] == [live.assign(it) for it in items[56:]]


def test_a_clusterer_saved_whole_moves_into_rows(tmp_path: Path) -> None:
    from newsprism.stream.cluster import StoryClusterer
    from newsprism.stream.ingest import load_clusterer, save_clusterer

    old = StoryClusterer(threshold=0.5, window=None, max_stories=4)
    for it in _items(30):
        old.assign(it)
    whole = old.state_dict()
    for story in whole["stories"]:  # as a version 1 store saved it
        del story["touched"]
    del whole["touch"]
    with Store(tmp_path / "s.sqlite3") as s:
        with s.transaction():
            s.save_clusterer_stories([("story-gone", 1, "{}")], [])  # a leftover row must not come back
            s.set_meta("story_clusterer", json.dumps(whole))
        restored = load_clusterer(s)
        assert restored is not None and restored.live == old.live
        with s.transaction():
            save_clusterer(s, restored)
        again = load_clusterer(s)
        assert again is not None and again.state_dict() == restored.state_dict()
        assert len(s.clusterer_stories()) == 4 and "stories" not in json.loads(s.get_meta("story_clusterer") or "{}")


def test_a_failed_save_is_made_good_by_the_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsprism.stream.ingest as ingest_mod
    from newsprism.stream.cluster import StoryClusterer
    from newsprism.stream.ingest import load_clusterer

    items = _items(24, seed=5)
    by_id = {f"x{k}": it for k, it in enumerate(items)}
    monkeypatch.setattr(ingest_mod, "_features", lambda arts, vectors=None: [by_id[a.id] for a in arts])
    monkeypatch.setattr(ingest_mod, "_lead_vectors", lambda arts: np.zeros((len(arts), 1)))
    arts = [Article.create(id=f"x{k}", outlet="Osk Daily", text=f"Story {k}: the ferry {k * 7} sailed late.",
                           url=f"https://osk.example/{k}") for k in range(24)]
    live = StoryClusterer(threshold=0.5, window=None, max_stories=6)
    with Store(tmp_path / "s.sqlite3") as s:
        ingest_articles(s, arts[:8], clusterer=live)
        real = s.save_clusterer_stories

        def busy(*args: object) -> None:
            raise StoreError("another writer")

        monkeypatch.setattr(s, "save_clusterer_stories", busy)
        with pytest.raises(StoreError):
            ingest_articles(s, arts[8:16], clusterer=live)  # assigned in memory, nothing saved
        monkeypatch.setattr(s, "save_clusterer_stories", real)
        ingest_articles(s, arts[16:17], clusterer=live)  # touches one story
        restored = load_clusterer(s)
        assert restored is not None
        assert restored.state_dict() == json.loads(json.dumps(live.state_dict()))


def test_a_source_failing_mid_stream_keeps_the_batch_in_hand(tmp_path: Path) -> None:
    # ingest reads the next batch before storing this one (to embed its leads meanwhile): a source
    # that fails there must not cost the batch already read
    def articles() -> Iterator[Article]:
        yield _article("osk", url="https://a.example/1")
        yield _article("rain", OTHER, url="https://b.example/2")
        yield _article("late", OTHER + " Later.", url="https://c.example/3")
        raise OSError("the feed went away")

    with Store(tmp_path / "s.sqlite3") as s:
        with pytest.raises(OSError, match="feed went away"):
            ingest_articles(s, articles(), clusterer=None, batch=2)
        assert s.count() == 2


def test_the_leads_embedded_ahead_place_each_new_article(tmp_path: Path) -> None:
    # the leads of every batch are embedded in a thread ahead of it: the stories come out as when
    # the new articles' features are computed in the batch itself (duplicates follow their canonical)
    from newsprism.stream.cluster import StoryClusterer, features

    third = "The Osk Island ferry was cancelled again on Friday after a crack was found in its hull."
    arts = [_article("osk", url="https://a.example/1"), _article("rain", OTHER, url="https://b.example/2"),
            _article("wire", url="https://c.example/3"), _article("hull", third, url="https://d.example/4")]
    with Store(tmp_path / "s.sqlite3") as s:
        summary = ingest_articles(s, arts, clusterer=StoryClusterer(), batch=2)
        assert (summary.new, summary.exact) == (3, 1)
        placed = [s.story_of(a.id) for a in arts]
    alone = StoryClusterer()
    assert [placed[0], placed[1], placed[3]] == [alone.assign(it) for it in features([arts[0], arts[1], arts[3]])]
    assert placed[2] == placed[0]


def test_a_schema_2_store_gains_the_kept_profiles(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with Store(path) as s, s.transaction():
        s.add_article(_article("osk", url="https://a.example/1"))
        s.db.execute("ALTER TABLE articles DROP COLUMN words")  # as version 2 wrote it
        s.set_meta("schema_version", "2")
    with Store(path) as s:
        assert s.get_meta("schema_version") == str(SCHEMA_VERSION) == "3"
        assert s.profile_words("osk") is None  # re-checked from its text, as before
        with s.transaction():
            s.add_article(_article("rain", OTHER, url="https://b.example/2"))
        assert s.profile_words("rain") is not None and s.article("osk").text == TEXT
