"""The batch plan, the same on every engine: features -> duplicates -> blocks -> stories -> story ids.

Each step is a plain function over rows (dicts), so the local engine calls them in a loop and the
Ray engine inside ``map_batches`` / ``map_groups``; both therefore decide exactly alike.

1. :func:`featurize` reads one shard (:func:`~newsprism.scale.shards.read_shard`) and gives one
   row per article: its MinHash fingerprint and LSH band keys (``newsprism.stream.dedup.fingerprints``),
   its story features (``newsprism.stream.cluster.features``: the lead's embedding, names and
   numbers) and the article itself as JSON. Articles are embedded in chunks of
   :data:`FEATURE_CHUNK` from the shard's start, so a row never depends on which worker read it.
   Every article gets a ``seq``: its shard's number in the top bits, its place in the shard below
   (the input order, which decides which copy of a duplicate is the canonical one).
2. Duplicates: articles sharing a band are grouped (a shuffle on Ray); each group gives pairs
   (:func:`band_pairs`); a pair sharing :data:`~newsprism.stream.dedup.MIN_SHARED` bands is a
   candidate, checked by the same rule as the stream's ``Deduplicator`` (:func:`duplicate_of`:
   estimated Jaccard, containment, then the sentence re-check). Groups are the connected
   components; the canonical article is the first in input order (:func:`duplicate_groups`).
3. Blocks: canonical articles are blocked by time window and by random-hyperplane LSH over their
   embeddings (:func:`block_keys`); a block is a connected component of shared keys
   (:func:`connected`), so a story's articles fall in one block unless no two of them look alike.
4. Within a block, the stream's ``StoryClusterer`` assigns stories in publication order
   (:func:`cluster_block`); duplicates join their canonical article's story.
5. A story's id is a hash of its sorted member article ids (:func:`story_id`): the same members
   give the same id on any engine and in any run, which is what makes a batch resumable.

>>> story_id(["b", "a"]) == story_id(["a", "b"]), story_id(["a"])
(True, 'story-ca978112ca1b')
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from newsprism.scale.shards import article_to_json, read_shard

if TYPE_CHECKING:
    from newsprism.errors import InputError
    from newsprism.nlp.vectors import Embedder

__all__ = [
    "BLOCK_WINDOW_DAYS",
    "FEATURE_CHUNK",
    "LSH_BITS",
    "LSH_TABLES",
    "Duplicate",
    "band_pairs",
    "block_keys",
    "candidate_pairs",
    "cluster_block",
    "connected",
    "duplicate_groups",
    "duplicate_of",
    "embedding_keys",
    "featurize",
    "seq_of",
    "story_id",
    "unique_ids",
]

FEATURE_CHUNK = 64  # articles fingerprinted and embedded per call
#: embedding LSH: tables of random hyperplanes, bits per table. Two leads with cosine 0.8 share a
#: table's key with p = (1 - acos(0.8)/pi)^6 = 0.25, so one of 8 tables with p = 0.90; unrelated
#: leads (cosine 0.2) with p = 0.23 (it only makes a block bigger, never a story wrong).
LSH_TABLES, LSH_BITS = 8, 6
LSH_SEED = 20  # fixed: the hyperplanes must be the same on every worker and in every run
#: width of a time bucket; an article is keyed in its bucket and the next, so articles up to one
#: window apart (and some up to two) share a key
BLOCK_WINDOW_DAYS = 3.0
_SHARD_BITS = 32  # seq = shard << 32 | place in the shard


def seq_of(shard: int, place: int) -> int:
    """The global order of article ``place`` of shard number ``shard``.

    >>> seq_of(0, 5) < seq_of(1, 0) < seq_of(1, 1)
    True
    """
    return (shard << _SHARD_BITS) | place


_PLANES: dict[int, np.ndarray] = {}


def embedding_keys(vector: np.ndarray) -> list[int]:
    """One key per LSH table: the table's number above the signs of ``vector`` on its hyperplanes.

    >>> v = np.ones(384, dtype=np.float32) / np.sqrt(384)
    >>> keys = embedding_keys(v)
    >>> len(keys), keys == embedding_keys(v * 2), keys[1] >> LSH_BITS
    (8, True, 1)
    """
    dim = int(vector.shape[0])
    planes = _PLANES.get(dim)
    if planes is None:
        planes = np.random.default_rng(LSH_SEED).standard_normal((LSH_TABLES * LSH_BITS, dim)).astype(np.float32)
        _PLANES[dim] = planes
    bits = (planes @ vector > 0).reshape(LSH_TABLES, LSH_BITS)
    weights = 1 << np.arange(LSH_BITS)
    return [(t << LSH_BITS) | int(bits[t] @ weights) for t in range(LSH_TABLES)]


def featurize(shard: int, path: Path, *, embedder: Embedder | None = None) -> tuple[list[dict[str, Any]],
                                                                                  list[InputError]]:
    """One row per article of shard number ``shard`` at ``path`` (see the module docs), and the
    shard's input errors."""
    from newsprism.stream.cluster import features
    from newsprism.stream.dedup import fingerprints

    read = read_shard(path)
    rows: list[dict[str, Any]] = []
    for start in range(0, len(read.articles), FEATURE_CHUNK):
        chunk = read.articles[start : start + FEATURE_CHUNK]
        fps = fingerprints([a.text for a in chunk])
        items = features(chunk, embedder=embedder)
        for k, (a, fp, item) in enumerate(zip(chunk, fps, items, strict=True)):
            published = item.published
            if published is not None and published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
            rows.append({
                "seq": seq_of(shard, start + k), "id": a.id, "text_hash": fp.text_hash,
                "digest": np.asarray(fp.digest, dtype=np.uint32).tobytes(), "n_words": fp.n_words,
                "bands": [int(b) for b in fp.bands()], "vector": item.vector.astype(np.float32).tobytes(),
                "entities": sorted(item.entities), "lsh": embedding_keys(item.vector),
                "published": published.timestamp() if published else None, "article": article_to_json(a),
            })
    return rows, read.errors


# --- duplicates ---------------------------------------------------------------------------------


def band_pairs(members: Iterable[int]) -> Iterator[tuple[int, int]]:
    """The pairs one LSH band's articles give: each with the (at most ``MAX_CANDIDATES``) articles
    before it in input order, so a band shared by thousands of copies stays linear.

    >>> list(band_pairs([7, 3, 5, 3]))
    [(3, 5), (3, 7), (5, 7)]
    """
    from newsprism.stream.dedup import MAX_CANDIDATES

    ms = sorted(set(members))
    for i, b in enumerate(ms):
        for a in ms[max(0, i - MAX_CANDIDATES) : i]:
            yield a, b


def candidate_pairs(counts: Mapping[tuple[int, int], int]) -> list[tuple[int, int]]:
    """The pairs that share at least ``MIN_SHARED`` bands (as the stream's index), sorted.

    >>> candidate_pairs({(1, 2): 5, (1, 3): 1})
    [(1, 2)]
    """
    from newsprism.stream.dedup import MIN_SHARED

    return sorted(p for p, n in counts.items() if n >= MIN_SHARED)


def count_pairs(groups: Iterable[Iterable[int]]) -> Counter[tuple[int, int]]:
    """How many bands each pair shares, from the band groups' members."""
    out: Counter[tuple[int, int]] = Counter()
    for g in groups:
        out.update(band_pairs(g))
    return out


Duplicate = tuple[str, float]  # (kind: "exact" or "near", similarity)


def duplicate_of(a: Mapping[str, Any], b: Mapping[str, Any]) -> Duplicate | None:
    """Whether the articles of rows ``a`` and ``b`` are duplicates, by the stream ``Deduplicator``'s
    rule (``newsprism.stream.dedup``): equal word hashes are exact; an estimated Jaccard of
    ``HIGH`` or more, or a containment of ``CONTAINED`` or more from ``LOW`` up, is near; from
    ``LOW`` up the sentence re-check decides (``RECHECK``)."""
    from newsprism.stream import dedup

    if a["text_hash"] == b["text_hash"]:
        return ("exact", 1.0)
    da = np.frombuffer(a["digest"], dtype=np.uint32)
    db = np.frombuffer(b["digest"], dtype=np.uint32)
    est = dedup.jaccard(da, db)
    if est >= dedup.HIGH:
        return ("near", est)
    if est < dedup.LOW:
        return None
    if dedup.containment(est, int(a["n_words"]), int(b["n_words"])) >= dedup.CONTAINED:
        return ("near", est)
    from newsprism.scale.shards import article_from_json

    score = dedup.recheck(article_from_json(a["article"]).text, article_from_json(b["article"]).text)
    return ("near", score) if score >= dedup.RECHECK else None


def connected(edges: Iterable[tuple[int, int]], nodes: Iterable[int] = ()) -> dict[int, int]:
    """Each node's component, named by its smallest node (union-find).

    >>> connected([(3, 1), (4, 5)], nodes=[9])
    {1: 1, 3: 1, 4: 4, 5: 4, 9: 9}
    """
    parent: dict[int, int] = {n: n for n in nodes}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {n: find(n) for n in sorted(parent)}


def duplicate_groups(verified: Mapping[tuple[int, int], Duplicate],
                     text_hash: Mapping[int, str]) -> dict[int, tuple[int, str, float]]:
    """``{duplicate: (canonical, kind, similarity)}`` from the verified pairs: groups are connected
    components, the canonical article the first in input order; ``exact`` when the text equals
    the canonical's, the similarity the best of the pairs that link the article.

    >>> duplicate_groups({(1, 2): ("exact", 1.0), (2, 3): ("near", 0.8)}, {1: "h", 2: "h", 3: "k"})
    {2: (1, 'exact', 1.0), 3: (1, 'near', 0.8)}
    """
    roots = connected(verified)
    best: dict[int, float] = {}
    for (a, b), (_, sim) in verified.items():
        for x in (a, b):
            best[x] = max(best.get(x, 0.0), sim)
    out = {}
    for x, root in roots.items():
        if x != root:
            kind = "exact" if text_hash[x] == text_hash[root] else "near"
            out[x] = (root, kind, 1.0 if kind == "exact" else round(best[x], 4))
    return out


def unique_ids(ids: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Article ids unique over the whole batch, by input order: the first keeps its id, a later
    one with the same id becomes ``id-2``, ``id-3``, ... (as ``newsprism analyze`` does).

    >>> unique_ids([(2, "a"), (1, "a"), (3, "b")])
    {1: 'a', 2: 'a-2', 3: 'b'}
    """
    taken: set[str] = set()
    out = {}
    for seq, base in sorted(ids):
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        out[seq] = candidate
    return out


# --- blocks and stories -------------------------------------------------------------------------


def block_keys(lsh: Sequence[int], published: float | None, window_days: float = BLOCK_WINDOW_DAYS) -> list[int]:
    """An article's block keys: each LSH key in its time bucket and the next (undated articles
    share a bucket of their own).

    >>> a = block_keys([5], datetime(2026, 3, 1, tzinfo=UTC).timestamp())
    >>> b = block_keys([5], datetime(2026, 3, 3, tzinfo=UTC).timestamp())
    >>> len(a), bool(set(a) & set(b)), bool(set(a) & set(block_keys([6], None)))
    (2, True, False)
    """
    if published is None:
        buckets = [-1]
    else:
        b = math.floor(published / (window_days * 86_400))
        buckets = [b, b + 1]
    out = []
    for key in lsh:
        for b in buckets:
            h = hashlib.blake2b(f"{key}:{b}".encode(), digest_size=8).digest()
            out.append(int.from_bytes(h, "big") >> 1)  # fits a signed 64-bit column
    return out


def cluster_block(rows: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """``{seq: story}`` for one block's canonical articles: the stream's ``StoryClusterer``
    (default settings) assigns them in publication order (undated last, ties by input order);
    ``story`` is the seq of the story's first article."""
    from newsprism.stream.cluster import ClusterItem, StoryClusterer

    def when(r: Mapping[str, Any]) -> tuple[bool, float, int]:
        return (r["published"] is None, r["published"] or 0.0, int(r["seq"]))

    clusterer = StoryClusterer()
    first: dict[str, int] = {}
    out = {}
    for r in sorted(rows, key=when):
        ts = r["published"]
        item = ClusterItem(str(r["seq"]), np.frombuffer(r["vector"], dtype=np.float32).copy(),
                           frozenset(r["entities"]), None if ts is None else datetime.fromtimestamp(ts, UTC))
        label = clusterer.assign(item)
        out[int(r["seq"])] = first.setdefault(label, int(r["seq"]))
    return out


def story_id(article_ids: Iterable[str]) -> str:
    """A story's id from its members' article ids (order does not matter)."""
    joined = "\n".join(sorted(article_ids))
    return "story-" + hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:12]


#: the columns of a feature row (:func:`featurize`), as Arrow types
ROW_COLUMNS: dict[str, str] = {
    "seq": "int64", "id": "string", "text_hash": "string", "digest": "binary", "n_words": "int64",
    "bands": "list<int64>", "vector": "binary", "entities": "list<string>", "lsh": "list<int64>",
    "published": "float64", "article": "string",
}


def rows_table(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Feature rows as a ``pyarrow.Table`` with the :data:`ROW_COLUMNS` types (also when empty)."""
    import pyarrow as pa

    types = {"int64": pa.int64(), "string": pa.string(), "binary": pa.binary(), "float64": pa.float64(),
             "list<int64>": pa.list_(pa.int64()), "list<string>": pa.list_(pa.string())}
    schema = pa.schema([(c, types[t]) for c, t in ROW_COLUMNS.items()])
    return pa.Table.from_pylist([dict(r) for r in rows], schema=schema)
