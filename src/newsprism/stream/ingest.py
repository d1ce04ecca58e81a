"""Sources -> articles -> store, with duplicates linked, versions kept and stories assigned.

:func:`ingest` reads every source the way ``newsprism analyze`` does (files, folders, JSONL,
feeds, URLs, and WARC archives; each inside its own error boundary) and hands the articles to
:func:`ingest_articles`, which the feed watcher can call too. For each article:

1. its identity (URL, else where it was read from) is looked up: the same text again only moves
   ``last_seen`` (``unchanged``); other text becomes a new version (``versions``), which keeps the
   article's duplicate link and story (its LSH bands are replaced: later articles are compared
   with the new text);
2. a new article is stored and checked for duplicates (``newsprism.stream.dedup``): an exact or
   near duplicate is kept and linked to its canonical article, and joins that article's story;
3. a new canonical article is assigned a story by the story clusterer (``newsprism.stream.cluster``),
   whose state is saved in the store after every batch.

Each batch is one transaction: a run that is killed keeps every batch before the one it was in.

>>> import tempfile, pathlib
>>> from newsprism.model import Article
>>> from newsprism.stream.store import Store
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite3")
>>> text = "The ferry to Osk Island resumed service on Monday after a two-week pause for repairs."
>>> a = Article.create(id="osk", outlet="Osk Daily", text=text, url="https://osk.example/ferry")
>>> b = Article.create(id="wire", outlet="Wire", text=text, url="https://wire.example/ferry")
>>> c = Article.create(id="osk", outlet="Osk Daily", text=text + " Tickets sold out.", url="https://osk.example/ferry")
>>> s = ingest_articles(store, [a, b, c], clusterer=None)
>>> (s.new, s.exact, s.near, s.versions), store.duplicate_link("wire").canonical_id
((1, 1, 0, 1), 'osk')
>>> store.close()
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from newsprism.errors import InputError
from newsprism.ingest import DEFAULT_MAX_FILE_BYTES, Fetcher, InputRecord, load_many
from newsprism.model import Article
from newsprism.stream.dedup import Deduplicator, fingerprints
from newsprism.stream.store import Store, identity_of, now

__all__ = [
    "CLUSTER_STATE_KEY",
    "Clusterer",
    "IngestSummary",
    "ingest",
    "ingest_articles",
    "load_clusterer",
    "save_clusterer",
]

#: progress(stage, done, total), as in ``newsprism.pipeline``
Progress = Callable[[str, int, int], None]

CLUSTER_STATE_KEY = "story_clusterer"
BATCH = 256  # articles per transaction (and per rensa / embedding call)


class Clusterer(Protocol):
    """What ingest needs of a story clusterer (``newsprism.stream.cluster.StoryClusterer``)."""

    def assign(self, item: Any) -> str: ...

    def state_dict(self) -> dict[str, Any]: ...


@dataclass
class IngestSummary:
    """What one ingest did. ``new``: new canonical articles; ``exact`` / ``near``: new articles
    linked as duplicates; ``versions``: new texts of known articles; ``unchanged``: known
    articles seen again; ``errors``: the inputs that failed (each an ``InputError``)."""

    new: int = 0
    exact: int = 0
    near: int = 0
    versions: int = 0
    unchanged: int = 0
    errors: list[InputError] = field(default_factory=list)
    inputs: list[InputRecord] = field(default_factory=list)
    stories: set[str] = field(default_factory=set)  # stories that got an article
    clustered: bool = True  # False when no story clusterer was available

    @property
    def articles(self) -> int:
        """Articles read (every outcome)."""
        return self.new + self.exact + self.near + self.versions + self.unchanged

    def line(self) -> str:
        """The one-line summary the CLI prints.

        >>> IngestSummary(new=3, near=1).line()
        '3 new, 0 exact duplicates, 1 near duplicates, 0 new versions, 0 unchanged, 0 errors'
        """
        return (f"{self.new} new, {self.exact} exact duplicates, {self.near} near duplicates, "
                f"{self.versions} new versions, {self.unchanged} unchanged, {len(self.errors)} errors")

    @property
    def exit_code(self) -> int:
        """As ``newsprism analyze``: 0 all fine, 1 some inputs failed, 2 nothing usable."""
        if not self.articles:
            return 2
        return 1 if self.errors else 0


def load_clusterer(store: Store) -> Clusterer | None:
    """The story clusterer, restored from the store's saved state (a new one on a new store);
    None when ``newsprism.stream.cluster`` is not available."""
    try:
        from newsprism.stream.cluster import StoryClusterer
    except ImportError:
        return None
    saved = store.get_meta(CLUSTER_STATE_KEY)
    if not saved:
        return StoryClusterer()
    state = json.loads(saved)
    if "stories" in state:  # saved whole (a version 1 store): the next save writes it as rows
        clusterer = StoryClusterer.from_state(state)
        clusterer.changes_all()
        return clusterer
    state["stories"] = [json.loads(row) for row in store.clusterer_stories()]
    return StoryClusterer.from_state(state)


def save_clusterer(store: Store, clusterer: Clusterer) -> None:
    """Save the clusterer's state in the store (inside the current transaction): the stories the
    last batch changed as rows, the rest in ``meta``. Writing the whole state after every batch (5 MB
    of JSON with 2,000 live stories) took a tenth of a long stream's time (issue 19)."""
    take = getattr(clusterer, "take_changes", None)
    if take is None:  # another clusterer: its whole state, as before
        store.save_clusterer_stories((), None)
        store.set_meta(CLUSTER_STATE_KEY, json.dumps(clusterer.state_dict(), separators=(",", ":")))
        return
    header, changed, dropped = take()
    store.save_clusterer_stories(((sid, touched, json.dumps(row, separators=(",", ":")))
                                  for sid, touched, row in changed), dropped)
    store.set_meta(CLUSTER_STATE_KEY, json.dumps(header, separators=(",", ":")))


def _features(articles: Sequence[Article], vectors: np.ndarray | None = None) -> list[Any]:
    from newsprism.stream.cluster import features

    return list(features(articles, vectors=vectors))


def _lead_vectors(articles: Sequence[Article]) -> np.ndarray:
    from newsprism.stream.cluster import lead_vectors

    return lead_vectors(articles)


def ingest_articles(store: Store, articles: Iterable[Article], *, clusterer: Clusterer | str | None = "auto",
                    summary: IngestSummary | None = None, progress: Progress | None = None,
                    total: int | None = None, batch: int = BATCH) -> IngestSummary:
    """Store ``articles`` (see the module docs); returns the summary (``summary`` is added to).

    ``clusterer``: ``"auto"`` restores the store's story clusterer (:func:`load_clusterer`), None
    leaves stories unassigned. ``progress`` is called after each batch (``total`` when known).
    """
    summary = summary if summary is not None else IngestSummary()
    if clusterer == "auto":
        clusterer = load_clusterer(store)
    if clusterer is None:
        summary.clustered = False
    cl: Clusterer | None = clusterer  # type: ignore[assignment]
    dedup = Deduplicator(store)
    done = 0
    chunks = _chunks(articles, batch)
    failed: Exception | None = None
    # The leads of the next batch are embedded in a thread while this batch is deduplicated and
    # clustered: the model releases the GIL, and that Python work leaves a core idle (issue 19).
    # Every lead is embedded, a duplicate's too (most share their lead, which is embedded once).
    with ThreadPoolExecutor(1, thread_name_prefix="newsprism-leads") as beside:
        def ahead(chunk: list[Article] | None) -> Future[np.ndarray] | None:
            return beside.submit(_lead_vectors, chunk) if chunk and cl is not None else None

        chunk = next(chunks, None)
        vectors = ahead(chunk)
        while chunk is not None:
            try:
                following = next(chunks, None)
            except Exception as exc:  # the articles' source failed: the batch in hand is stored first
                following, failed = None, exc
            following_vectors = ahead(following)
            try:
                with store.transaction():
                    _ingest_batch(store, dedup, cl, chunk, summary, vectors)
                    if cl is not None:
                        save_clusterer(store, cl)
            except BaseException:
                # the batch's changes were taken but not saved: a caller that goes on with this
                # clusterer (``newsprism watch`` after a busy store) saves all of it next time
                if cl is not None and hasattr(cl, "changes_all"):
                    cl.changes_all()
                if following_vectors is not None:
                    following_vectors.cancel()
                raise
            done += len(chunk)
            if progress:
                progress("ingest", done, max(total or 0, done))
            chunk, vectors = following, following_vectors
    if failed is not None:
        raise failed
    return summary


def _ingest_batch(store: Store, dedup: Deduplicator, clusterer: Clusterer | None, chunk: list[Article],
                  summary: IngestSummary, vectors: Future[np.ndarray] | None = None) -> None:
    """One batch; ``vectors``: the embedding of every article's lead in ``chunk``, when under way."""
    seen = now()
    fps = fingerprints(a.text for a in chunk)
    canonical_new: list[Article] = []  # new articles that head a group: the clusterer places them
    new_at: list[int] = []  # their places in the chunk
    followers: list[tuple[str, str]] = []  # (duplicate, its canonical): they join its story after
    for at, (article, fp) in enumerate(zip(chunk, fps, strict=True)):
        identity = identity_of(article)
        found = store.find(identity)
        if found is not None:
            article_id, text_hash = found
            if text_hash == fp.text_hash:
                store.touch(article_id, seen)
                summary.unchanged += 1
            else:
                store.add_version(article_id, article, seen=seen, fp=fp)
                summary.versions += 1
            continue
        article_id = store.add_article(article, seen=seen, fp=fp, identity=identity)
        verdict = dedup.add(article_id, article.text, fp)
        if verdict.kind is None:
            summary.new += 1
            canonical_new.append(article if article.id == article_id else _renamed(article, article_id))
            new_at.append(at)
        else:
            summary.exact += verdict.kind == "exact"
            summary.near += verdict.kind == "near"
            followers.append((article_id, verdict.canonical))
    if clusterer is not None and canonical_new:
        leads = vectors.result()[new_at] if vectors is not None else None
        for article, item in zip(canonical_new, _features(canonical_new, leads), strict=True):
            story = clusterer.assign(item)
            store.assign(article.id, story, seen)
            summary.stories.add(story)
    for article_id, canonical in followers:
        joined = store.story_of(canonical)
        if joined is not None:
            store.assign(article_id, joined, seen)
            summary.stories.add(joined)


def _renamed(article: Article, article_id: str) -> Article:
    from dataclasses import replace

    return replace(article, id=article_id)


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ingest(sources: Sequence[str | Path], store: Store, *, clusterer: Clusterer | str | None = "auto",
           progress: Progress | None = None, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
           fetcher: Fetcher | None = None) -> IngestSummary:
    """Read every source (as ``newsprism analyze`` does, plus WARC archives) into ``store``.

    Sources are read one at a time, so a run holds one source's articles in memory at once. A
    source that fails is recorded in the summary's ``errors`` and the others go on.
    """
    summary = IngestSummary()
    if clusterer == "auto":
        clusterer = load_clusterer(store)
    for i, source in enumerate(sources, start=1):
        loaded = load_many([str(source)], fetcher=fetcher, max_file_bytes=max_file_bytes)
        summary.errors.extend(loaded.errors)
        summary.inputs.extend(loaded.inputs)
        ingest_articles(store, loaded.articles, clusterer=clusterer, summary=summary, progress=progress,
                        total=len(loaded.articles))
        if progress:
            progress("sources", i, len(sources))
    return summary
