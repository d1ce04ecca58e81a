"""Online story clustering: each incoming article joins the live story it matches best, or starts one.

An article is reduced to a :class:`ClusterItem` by :func:`features`: a unit sentence-embedding of its
title and lead (MiniLM, :mod:`newsprism.nlp.embeddings`) and the set of names and numbers it
mentions (a cheap capitalised-word / number extractor, :func:`extract_entities`; spaCy's NER
would cost more than the whole rest of the stream). :class:`StoryClusterer` compares an item with
the *live* stories only, each kept as a running centroid of its vectors and an IDF-weighted bag of
its entities::

    score = embedding_weight * cos(item, story centroid)
            + (1 - embedding_weight) * cos(item entities, story entities)

and joins the best story whose score reaches ``threshold`` (else the item starts a story). The
entity term is what keeps two events of the same kind apart: two earthquakes read alike to a
sentence encoder, but name different towns, dates and death tolls. The IDF comes from hashed,
periodically halved document counts, so it follows the recent stream in a fixed amount of memory.

Memory is bounded: a story retires when nothing joined it for ``window`` (by the items' own
publication times) or when more than ``max_stories`` are live (the least recently joined goes
first); each story keeps at most ``entity_terms`` entities. Candidates come from one matrix product
with the live centroids plus an inverted entity index (never all pairs over the history).

Tuned on the ECB+ development topics only (odd-numbered topics; ``bench/bench_cluster.py``).

>>> from datetime import datetime, timedelta
>>> import numpy as np
>>> def item(i, v, ents, day):
...     vec = np.asarray(v, dtype=np.float32); vec /= np.linalg.norm(vec)
...     return ClusterItem(f"a{i}", vec, frozenset(ents), datetime(2026, 3, day))
>>> sc = StoryClusterer(threshold=0.5, window=timedelta(days=2))
>>> a = sc.assign(item(1, [1, 0, 0], {"quito", "6.1"}, 1))
>>> b = sc.assign(item(2, [0.9, 0.1, 0], {"quito", "6.1"}, 1))
>>> c = sc.assign(item(3, [0, 0, 1], {"lisbon"}, 2))
>>> a == b != c, len(sc)
(True, 2)
>>> sc.retire(datetime(2026, 3, 2))  # nothing joined the first story on or after March 2
['story-1']
>>> StoryClusterer.from_state(sc.state_dict()).state_dict() == sc.state_dict()
True
"""

from __future__ import annotations

import base64
import heapq
import math
import re
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from newsprism.text.words import MONTHS, STOP_WORDS, WEEKDAYS

if TYPE_CHECKING:
    from newsprism.model import Article
    from newsprism.nlp.vectors import Embedder

__all__ = [
    "DEFAULTS",
    "EMBEDDER",
    "LEAD_CHARS",
    "LEAD_PIECES",
    "ClusterItem",
    "StoryClusterer",
    "cluster",
    "extract_entities",
    "features",
    "lead_embedder",
    "lead_vectors",
]

#: Characters of title + body read for the lead (an upper bound; ``LEAD_PIECES`` cuts it first).
#: On ECB+ development the title alone loses 0.03-0.05 BCubed F1 and 800 characters gain nothing.
LEAD_CHARS = 300
#: Word pieces of title + body that are embedded: the cost of the whole stream, as MiniLM's time
#: grows with the pieces (2 shared cores: ~50 texts per CPU-second at 300 characters, 63 pieces;
#: ~100 at 32 pieces). A cut by pieces, not characters, gives every article the same cost; on ECB+
#: development 32 pieces stream within 0.002 BCubed F1 of 300 characters (bench/bench_cluster.py).
LEAD_PIECES = 32
#: The embedder of the leads: MiniLM with int8 products, 1.9x as fast as the analyses' float32 one
#: on headlines, with the same ECB+ and UCI scores within 0.002 BCubed F1 (bench/bench_cluster.py
#: --embedder minilm-onnx gives the float32 one).
EMBEDDER = "minilm-onnx-int8"
#: Characters of title + body that names and numbers are read from (a regular expression: cheap).
ENTITY_CHARS = 4000

#: The settings tuned on the ECB+ development topics (bench/bench_cluster.py).
DEFAULTS: dict[str, Any] = {
    "threshold": 0.34,
    "embedding_weight": 0.3,
    "window": timedelta(days=3),
    "max_stories": 2000,
}

_STATE_VERSION = 1
#: An entity kept by more live stories than this nominates none of them as candidates (see
#: ``StoryClusterer._best``); with thousands of live stories the longest posting lists cost more
#: than the rest of the clusterer.
NOMINATE_LIMIT = 128
_HASH_BITS = 18  # 262,144 document-frequency buckets (1 MiB), plenty for a few days of news
_DECAY_EVERY = 20_000  # halve the document frequencies this often, so the IDF follows the stream


# --- features ----------------------------------------------------------------------------------

_ENTITY_TOKEN = re.compile(r"[A-Z][\w'’&.-]*[A-Za-z0-9]|\d[\d,.]*\d|\d")
_NOT_ENTITIES = STOP_WORDS | frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(
    """after again against before because both during if many mr mrs ms dr new now once one only own
    same since still today tomorrow two until while yesterday yet""".split()
)


def extract_entities(text: str) -> frozenset[str]:
    """The names and numbers ``text`` mentions, lower-cased: capitalised words that are not
    function words, months or weekdays, and numbers (thousands separators dropped).

    Cheap on purpose (a regular expression, ~50 µs per article): capitalised sentence openers come
    along, but they are common, so the clusterer's IDF weighs them down.

    >>> sorted(extract_entities("The quake near Quito on Monday killed 1,204 people, Ecuador's army said."))
    ['1204', 'ecuador', 'quito']
    """
    out: set[str] = set()
    for match in _ENTITY_TOKEN.finditer(text):
        word = match.group().replace("’", "'").rstrip(".")
        if word.endswith("'s"):
            word = word[:-2]
        low = word.lower()
        if word[0].isdigit():
            low = low.replace(",", "")
        elif len(word) < 2 or low in _NOT_ENTITIES:
            continue
        out.add(low)
    return frozenset(out)


@dataclass(frozen=True, eq=False)
class ClusterItem:
    """One article as the clusterer sees it: ``vector`` of unit length (float32, 1-D),
    ``entities`` (lower-cased names and numbers), ``published`` (None when unknown: such an item
    is never too old or too new for a story)."""

    article_id: str
    vector: np.ndarray
    entities: frozenset[str]
    published: datetime | None = None

    def __post_init__(self) -> None:
        vec = np.asarray(self.vector, dtype=np.float32)
        if vec.ndim != 1 or not vec.size or not np.all(np.isfinite(vec)):
            raise ValueError(f"ClusterItem {self.article_id!r}: vector must be a 1-D array of finite numbers, "
                             f"got shape {vec.shape} (fix: build items with features())")
        norm = float(np.linalg.norm(vec))
        if abs(norm - 1.0) > 1e-3:
            raise ValueError(f"ClusterItem {self.article_id!r}: vector has length {norm:.4f}, not 1 "
                             "(fix: divide it by its norm, or build items with features())")
        object.__setattr__(self, "vector", vec)


def _lead(article: Article, chars: int) -> str:
    text = article.text.strip()
    title = (article.title or "").strip()
    if title and not text.startswith(title):
        text = f"{title}. {text}"
    return text[:chars]


def _cut_pieces(texts: list[str], pieces: int) -> list[str]:
    """Each text cut after its first ``pieces`` MiniLM word pieces (at the end of that piece,
    so the cut text gives the same pieces again); shorter texts whole.

    >>> _cut_pieces(["Rain fell on Quito all day.", "Rain."], 3)
    ['Rain fell on', 'Rain.']
    """
    from newsprism.nlp.embeddings import _onnx_tokenizer  # the embedder's own tokenizer: its pieces

    out = []
    for text, enc in zip(texts, _onnx_tokenizer().encode_batch(texts), strict=True):
        # offsets of the real pieces: special ones ([CLS], [SEP]) are marked in the mask
        real = [end for (_, end), special in zip(enc.offsets, enc.special_tokens_mask, strict=True) if not special]
        out.append(text[: real[pieces - 1]] if len(real) > pieces else text)
    return out


def lead_embedder(threads: int | None = None) -> Embedder:
    """The embedder of the leads (:data:`EMBEDDER`): the shared one, or one of its own on
    ``threads`` threads (a batch worker of one CPU)."""
    from newsprism.nlp.embeddings import EMBEDDERS, get_embedder

    if threads is None:
        return get_embedder(EMBEDDER)
    factory: Any = EMBEDDERS[EMBEDDER]
    return cast("Embedder", factory(threads=threads))


def lead_vectors(articles: Sequence[Article], *, embedder: Embedder | None = None,
                 lead_chars: int = LEAD_CHARS, lead_pieces: int | None = LEAD_PIECES) -> np.ndarray:
    """The embedding of each article's lead (see :func:`features`), one row per article.

    >>> from newsprism.model import Article
    >>> lead_vectors([Article(id="a1", outlet="x", title="Quake hits Quito", text="A 6.1 quake hit Quito.")]).shape
    (1, 384)
    """
    if lead_chars < 1 or (lead_pieces is not None and lead_pieces < 1):
        raise ValueError(f"lead_chars={lead_chars} and lead_pieces={lead_pieces} must be at least 1 (fix: pass "
                         "positive counts, or lead_pieces=None for no piece limit)")
    embedder = embedder or lead_embedder()
    if not articles:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    leads = [_lead(a, lead_chars) for a in articles]
    return np.asarray(embedder.embed(_cut_pieces(leads, lead_pieces) if lead_pieces is not None else leads))


def features(articles: Sequence[Article], *, embedder: Embedder | None = None,
             lead_chars: int = LEAD_CHARS, lead_pieces: int | None = LEAD_PIECES,
             vectors: np.ndarray | None = None) -> list[ClusterItem]:
    """One :class:`ClusterItem` per article, in order: the embedding of title + the start of the
    body, at most ``lead_chars`` characters and ``lead_pieces`` MiniLM word pieces (None: no
    piece limit; ``embedder`` defaults to :data:`EMBEDDER`), the entities of title + body
    (:func:`extract_entities`) and the publication time. ``vectors``, where the leads were
    embedded already (:func:`lead_vectors`), are used as they are.

    >>> from newsprism.model import Article
    >>> [it] = features([Article(id="a1", outlet="x", title="Quake hits Quito", text="A 6.1 quake hit Quito.")])
    >>> it.article_id, sorted(it.entities), it.vector.shape
    ('a1', ['6.1', 'quake', 'quito'], (384,))
    """
    if not articles:
        return []
    if vectors is None:
        vectors = lead_vectors(articles, embedder=embedder, lead_chars=lead_chars, lead_pieces=lead_pieces)
    elif len(vectors) != len(articles):
        raise ValueError(f"{len(vectors)} vectors for {len(articles)} articles (fix: one row per article)")
    return [
        ClusterItem(a.id, vectors[k], extract_entities(_lead(a, ENTITY_CHARS)), a.published)
        for k, a in enumerate(articles)
    ]


# --- the clusterer -----------------------------------------------------------------------------


def _timestamp(when: datetime | None) -> float | None:
    if when is None:
        return None
    if when.tzinfo is None:  # naive times are taken as UTC, so naive and aware ones compare
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def _bucket(entity: str) -> int:
    # crc32, not hash(): Python salts str hashes per process, and the state must survive a restart
    return zlib.crc32(entity.encode("utf-8")) & ((1 << _HASH_BITS) - 1)


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _unb64(text: str, dtype: Any) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype).copy()


@dataclass
class _Story:
    id: str
    total: np.ndarray  # sum of the member vectors (float32)
    count: int
    first: float | None
    last: float | None
    entities: dict[str, float]  # summed IDF-weighted unit entity vectors, at most entity_terms
    norm: float = 0.0  # of ``entities``

    def renorm(self) -> None:
        self.norm = math.sqrt(sum(w * w for w in self.entities.values()))


class StoryClusterer:
    """Assign items to stories one at a time, in bounded memory (see the module docs).

    ``threshold``: the least score to join a story; ``embedding_weight``: the share of the
    embedding cosine in the score (the rest is the entity cosine); ``window``: a story retires
    when no item joined it for this long (publication times; undated items never retire a story);
    ``max_stories``: the most live stories (the least recently joined retires first);
    ``candidates``: stories scored in full per item (the best by embedding, and the best by shared
    entities); ``entity_terms``: the most entities a story keeps; ``nominate_limit``: an entity
    kept by more live stories than this does not nominate candidates (it still counts in their
    scores; None: every entity nominates).
    """

    def __init__(self, threshold: float = DEFAULTS["threshold"], window: timedelta | None = DEFAULTS["window"],
                 max_stories: int = DEFAULTS["max_stories"], *,
                 embedding_weight: float = DEFAULTS["embedding_weight"], candidates: int = 32,
                 entity_terms: int = 64, nominate_limit: int | None = NOMINATE_LIMIT) -> None:
        if not 0.0 <= embedding_weight <= 1.0:
            raise ValueError(f"embedding_weight={embedding_weight} is outside [0, 1] (fix: pass a share, e.g. 0.3)")
        if nominate_limit is not None and nominate_limit < 1:
            raise ValueError(f"nominate_limit={nominate_limit} must be at least 1 (fix: pass a count, or None for "
                             "no limit)")
        if max_stories < 1 or candidates < 1 or entity_terms < 1:
            raise ValueError(f"max_stories={max_stories}, candidates={candidates} and entity_terms={entity_terms} "
                             "must all be at least 1 (fix: pass positive counts)")
        if window is not None and window <= timedelta(0):
            raise ValueError(f"window={window} is not positive (fix: pass e.g. timedelta(days=3), or None for none)")
        self.threshold = float(threshold)
        self.window = window
        self.max_stories = int(max_stories)
        self.embedding_weight = float(embedding_weight)
        self.candidates = int(candidates)
        self.entity_terms = int(entity_terms)
        self.nominate_limit = None if nominate_limit is None else int(nominate_limit)
        self._seq = 0  # stories ever started: the next id
        self._seen = 0  # items ever assigned
        self._newest: float | None = None  # newest publication time seen
        self._docs = 0  # documents behind ``_df`` (halved with it)
        self._df = np.zeros(1 << _HASH_BITS, dtype=np.uint32)
        self._dim: int | None = None
        self._live: OrderedDict[str, _Story] = OrderedDict()  # least recently joined first
        self._slot: dict[str, int] = {}  # story id -> row of ``_unit``
        self._free: list[int] = []
        self._unit = np.zeros((0, 0), dtype=np.float32)  # unit centroids, one row per slot
        self._sid_at: list[str | None] = []  # slot -> story id (None: free); as long as the slots ever used
        self._used = np.zeros(0, dtype=bool)  # slot -> live, beside ``_unit``
        # entity -> the live stories that keep it, with its weight in each (the story's own, mirrored:
        # scoring reads it a million times)
        self._postings: dict[str, dict[str, float]] = {}
        # for saving only what changed (``take_changes``): when each live story last moved to the
        # recent end of ``_live`` (rows sorted by it come back in ``_live``'s order), and the stories
        # changed or dropped since the last save
        self._touch = 0
        self._touched: dict[str, int] = {}
        self._changed: set[str] = set()
        self._dropped: set[str] | None = set()  # None: every saved story not live (changes_all)

    # -- public --------------------------------------------------------------------------------

    def __len__(self) -> int:
        """Live stories."""
        return len(self._live)

    @property
    def live(self) -> list[str]:
        """The live stories' ids, least recently joined first."""
        return list(self._live)

    def assign(self, item: ClusterItem) -> str:
        """The story ``item`` joins (a new one when no live story scores ``threshold`` or more)."""
        if self._dim is None:
            self._dim = int(item.vector.shape[0])
            self._unit = np.zeros((min(64, self.max_stories), self._dim), dtype=np.float32)
            self._used = np.zeros(self._unit.shape[0], dtype=bool)
        elif item.vector.shape[0] != self._dim:
            raise ValueError(f"ClusterItem {item.article_id!r}: vector has {item.vector.shape[0]} dimensions, the "
                             f"clusterer's stories have {self._dim} (fix: use one embedder for a whole stream)")
        ts = _timestamp(item.published)
        if ts is not None and (self._newest is None or ts > self._newest):
            self._newest = ts
            self._retire_stale(ts)
        weights = self._entity_weights(item.entities)
        best, best_score = self._best(item.vector, weights, ts)
        if best is None or best_score < self.threshold:
            story = self._start(item, weights, ts)
        else:
            story = self._join(best, item, weights, ts)
        self._seen += 1
        return story.id

    def retire(self, before: datetime | None = None) -> list[str]:
        """Retire every live story that no item joined on or after ``before`` (default: the newest
        publication time seen minus ``window``); returns their ids. Undated stories stay."""
        if before is None:
            if self._newest is None or self.window is None:
                return []
            cutoff = self._newest - self.window.total_seconds()
        else:
            cutoff = _timestamp(before)  # type: ignore[assignment]
        gone = [s.id for s in self._live.values() if s.last is not None and s.last < cutoff]
        for sid in gone:
            self._drop(sid)
        return gone

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to go on where this clusterer stopped, JSON-able (vectors as base64
        float32, so a restored clusterer assigns exactly as this one would)."""
        state = self._header()
        state["stories"] = [self._story_state(s) for s in self._live.values()]
        return state

    def take_changes(self) -> tuple[dict[str, Any], list[tuple[str, int, dict[str, Any]]], list[str] | None]:
        """What changed since the last call (or since this clusterer was made or restored): the state
        without its stories, each changed live story as ``(id, touched, state)``, and the ids of the
        stories dropped (None after :meth:`changes_all`: drop every saved story not among the
        changed). A saved header plus every saved row, sorted by ``touched``, is :meth:`state_dict`
        again (``newsprism.stream.ingest`` saves a batch's changes this way)."""
        changed = [(sid, self._touched[sid], self._story_state(self._live[sid]))
                   for sid in sorted(self._changed) if sid in self._live]
        dropped = None if self._dropped is None else sorted(self._dropped - set(self._live))
        self._changed, self._dropped = set(), set()
        return self._header(), changed, dropped

    def changes_all(self) -> None:
        """Count every live story as changed and every other saved story as dropped: the next
        :meth:`take_changes` returns them all (a state saved whole, moving to rows)."""
        self._changed = set(self._live)
        self._dropped = None

    def _story_state(self, s: _Story) -> dict[str, Any]:
        return {"id": s.id, "total": _b64(s.total), "count": s.count, "first": s.first, "last": s.last,
                "entities": s.entities, "touched": self._touched[s.id]}

    def _header(self) -> dict[str, Any]:
        nz = np.flatnonzero(self._df).astype(np.uint32)
        window = None if self.window is None else self.window.total_seconds()
        return {
            "version": _STATE_VERSION,
            "params": {"threshold": self.threshold, "window": window,
                       "max_stories": self.max_stories, "embedding_weight": self.embedding_weight,
                       "candidates": self.candidates, "entity_terms": self.entity_terms,
                       "nominate_limit": self.nominate_limit},
            "seq": self._seq, "seen": self._seen, "newest": self._newest, "docs": self._docs, "dim": self._dim,
            "df": {"index": _b64(nz), "count": _b64(self._df[nz])}, "touch": self._touch,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> StoryClusterer:
        """A clusterer restored from :meth:`state_dict`'s output."""
        if not isinstance(state, dict) or state.get("version") != _STATE_VERSION:
            found = state.get("version") if isinstance(state, dict) else type(state).__name__
            raise ValueError(f"story clusterer state: version {found!r}, expected {_STATE_VERSION} "
                             "(fix: pass the dict state_dict() returned; a state from another version cannot be read)")
        p = state["params"]
        self = cls(p["threshold"], None if p["window"] is None else timedelta(seconds=p["window"]), p["max_stories"],
                   embedding_weight=p["embedding_weight"], candidates=p["candidates"], entity_terms=p["entity_terms"],
                   # states saved before the limit existed read with today's default
                   nominate_limit=p.get("nominate_limit", NOMINATE_LIMIT))
        self._seq, self._seen, self._newest, self._docs = state["seq"], state["seen"], state["newest"], state["docs"]
        self._df[_unb64(state["df"]["index"], np.uint32)] = _unb64(state["df"]["count"], np.uint32)
        self._dim = state["dim"]
        if self._dim is not None:
            self._unit = np.zeros((max(64, len(state["stories"])), self._dim), dtype=np.float32)
            self._used = np.zeros(self._unit.shape[0], dtype=bool)
        for k, row in enumerate(state["stories"]):
            story = _Story(row["id"], _unb64(row["total"], np.float32), row["count"], row["first"], row["last"],
                           {k: float(v) for k, v in row["entities"].items()})
            story.renorm()
            self._insert(story)
            self._touched[story.id] = row.get("touched", k)  # states saved before touch counts: their order
        self._touch = state.get("touch", len(state["stories"]))
        self._changed = set()
        return self

    # -- internals -----------------------------------------------------------------------------

    def _entity_weights(self, entities: Iterable[str]) -> dict[str, float]:
        """Count ``entities`` into the document frequencies, then their unit IDF vector."""
        ents = sorted(set(entities))  # sorted: float sums in one order, so runs are reproducible
        buckets = [_bucket(e) for e in ents]
        for b in buckets:
            self._df[b] += 1
        self._docs += 1
        if self._docs >= _DECAY_EVERY:
            self._df >>= 1
            self._docs >>= 1
        n = self._docs
        weights = {e: math.log((1 + n) / (1 + float(self._df[b]))) + 1.0 for e, b in zip(ents, buckets, strict=True)}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {e: w / norm for e, w in weights.items()} if norm else {}

    def _best(self, vector: np.ndarray, weights: dict[str, float], ts: float | None) -> tuple[str | None, float]:
        if not self._live:
            return None, -math.inf
        # One product with every slot (a contiguous block: no gather); free slots never win.
        # einsum, not ``@``: OpenBLAS hands a product this size to its thread pool, and waking it
        # cost 1.3 ms of CPU per item on 2 busy cores (einsum's own loop: 0.12 ms at 2,048 slots).
        n = len(self._sid_at)
        sims = np.where(self._used[:n], np.einsum("ij,j->i", self._unit[:n], vector), -np.inf)
        k = min(self.candidates, len(self._live))
        top = np.argpartition(-sims, k - 1)[:k] if k < len(self._live) else np.flatnonzero(self._used[:n])
        chosen: set[str] = {self._sid_at[j] for j in top}
        # Entities nominate the stories they are kept by, but an entity kept by more than
        # ``nominate_limit`` stories (a name every story of the week mentions) does not: walking
        # its posting list cost more than all the rest of the clusterer, and a nomination by a
        # common entity is a weak one. It still counts in the score of the stories chosen.
        shared: dict[str, float] = {}
        common: list[tuple[str, float]] = []
        limit = self.nominate_limit
        get = shared.get
        for e, w in weights.items():
            posting = self._postings.get(e)
            if not posting:
                continue
            if limit is not None and len(posting) > limit:
                common.append((e, w))
                continue
            for sid, weight in posting.items():
                shared[sid] = get(sid, 0.0) + w * weight
        if len(shared) > self.candidates:  # ties by id: the same stories every run
            chosen.update(heapq.nsmallest(self.candidates, shared, key=lambda s: (-shared[s], s)))
        else:
            chosen.update(shared)
        best, best_score = None, -math.inf
        for sid in sorted(chosen):  # sorted: ties go to the same story every run
            story = self._live[sid]
            if not self._in_window(story, ts):
                continue
            dot = shared.get(sid, 0.0)
            for e, w in common:
                dot += w * story.entities.get(e, 0.0)
            ent = dot / story.norm if story.norm else 0.0
            score = self.embedding_weight * float(sims[self._slot[sid]]) + (1.0 - self.embedding_weight) * ent
            if score > best_score:
                best, best_score = sid, score
        return best, best_score

    def _in_window(self, story: _Story, ts: float | None) -> bool:
        if self.window is None or ts is None or story.last is None or story.first is None:
            return True
        span = self.window.total_seconds()
        return story.first - span <= ts <= story.last + span

    def _start(self, item: ClusterItem, weights: dict[str, float], ts: float | None) -> _Story:
        self._seq += 1
        story = _Story(f"story-{self._seq}", item.vector.astype(np.float32, copy=True), 1, ts, ts, dict(weights))
        self._trim(story)
        while len(self._live) >= self.max_stories:
            self._drop(next(iter(self._live)))
        self._insert(story)
        return story

    def _join(self, sid: str, item: ClusterItem, weights: dict[str, float], ts: float | None) -> _Story:
        story = self._live[sid]
        story.total += item.vector
        story.count += 1
        if ts is not None:
            story.first = ts if story.first is None else min(story.first, ts)
            story.last = ts if story.last is None else max(story.last, ts)
        postings = self._postings
        for e, w in weights.items():
            story.entities[e] = postings.setdefault(e, {})[sid] = story.entities.get(e, 0.0) + w
        self._trim(story)
        self._unit[self._slot[sid]] = self._unit_row(story.total)
        self._live.move_to_end(sid)
        self._mark(sid)
        return story

    def _trim(self, story: _Story) -> None:
        """Keep the story's ``entity_terms`` heaviest entities (ties by name) and its norm."""
        if len(story.entities) > self.entity_terms:
            keep = sorted(story.entities.items(), key=lambda kv: (-kv[1], kv[0]))[: self.entity_terms]
            for e in set(story.entities) - {k for k, _ in keep}:
                posting = self._postings.get(e)
                if posting is not None:
                    posting.pop(story.id, None)
                    if not posting:
                        del self._postings[e]
            story.entities = dict(keep)
        story.renorm()

    @staticmethod
    def _unit_row(total: np.ndarray) -> np.ndarray:
        norm = float(np.linalg.norm(total))
        return total / norm if norm else total

    def _insert(self, story: _Story) -> None:
        if self._free:
            slot = self._free.pop()
            self._sid_at[slot] = story.id
        else:
            slot = len(self._sid_at)
            self._sid_at.append(story.id)
            if slot >= self._unit.shape[0]:
                grown = np.zeros((max(1, 2 * self._unit.shape[0]), self._unit.shape[1]), dtype=np.float32)
                grown[: self._unit.shape[0]] = self._unit
                self._unit = grown
                used = np.zeros(grown.shape[0], dtype=bool)
                used[: self._used.shape[0]] = self._used
                self._used = used
        self._used[slot] = True
        self._slot[story.id] = slot
        self._unit[slot] = self._unit_row(story.total)
        self._live[story.id] = story
        self._mark(story.id)
        if self._dropped is not None:
            self._dropped.discard(story.id)
        for e, w in story.entities.items():
            self._postings.setdefault(e, {})[story.id] = w

    def _mark(self, sid: str) -> None:
        """The story just moved to the recent end of ``_live`` and changed: save it next time."""
        self._touch += 1
        self._touched[sid] = self._touch
        self._changed.add(sid)

    def _drop(self, sid: str) -> None:
        story = self._live.pop(sid)
        self._touched.pop(sid, None)
        self._changed.discard(sid)
        if self._dropped is not None:
            self._dropped.add(sid)
        slot = self._slot.pop(sid)
        self._free.append(slot)
        self._sid_at[slot] = None
        self._used[slot] = False
        for e in story.entities:
            posting = self._postings.get(e)
            if posting is not None:
                posting.pop(sid, None)
                if not posting:
                    del self._postings[e]

    def _retire_stale(self, newest: float) -> None:
        """Retire, from the least recently joined end, stories older than the window (cheap: it
        stops at the first recent one; :meth:`retire` checks them all)."""
        if self.window is None:
            return
        cutoff = newest - self.window.total_seconds()
        while self._live:
            oldest = next(iter(self._live.values()))
            if oldest.last is None or oldest.last >= cutoff:
                break
            self._drop(oldest.id)


def cluster(items: Iterable[ClusterItem], **settings: Any) -> list[str]:
    """Story ids for ``items``, assigned one by one in the order given (sort by publication time
    first for a stream's order) by a new :class:`StoryClusterer` with ``settings``.

    >>> import numpy as np
    >>> unit = np.eye(3, dtype=np.float32)
    >>> cluster([ClusterItem("a", unit[0], frozenset({"quito"})), ClusterItem("b", unit[0], frozenset({"quito"})),
    ...          ClusterItem("c", unit[2], frozenset({"lisbon"}))])
    ['story-1', 'story-1', 'story-2']
    """
    clusterer = StoryClusterer(**settings)
    return [clusterer.assign(item) for item in items]
