"""Duplicates: exact (a hash of the normalised text) and near (MinHash LSH, then a re-check).

Every article gets a :class:`Fingerprint`: the hash of its normalised words (equal hashes are
exact duplicates) and a MinHash digest of its word 3-shingles, computed by rensa (a maintained
Rust MinHash library, through its batch API; measured against datasketch in
``bench/bench_dedup.py``). The digest is cut into :data:`BANDS` bands of :data:`ROWS` rows: two
articles that agree on one whole band are candidates (the band index is ours, a dict here and a
table in the store, so that it persists and memory stays flat). A candidate whose estimated
Jaccard similarity is :data:`HIGH` or more is a near duplicate, and so is one whose words
(estimated from the Jaccard and the two lengths) lie :data:`CONTAINED` inside the other's: a
trimmed copy, or one with paragraphs added. One in the borderline band [:data:`LOW`, :data:`HIGH`)
is re-checked sentence by sentence (:func:`recheck`), so that a copy with a few words changed per
sentence still counts, while another outlet's article on the
same event (same names, same numbers, different sentences) does not.

Duplicates are never dropped: each article is linked to its group's canonical article (the
first seen). A group is a connected component of the "is a duplicate of" relation, so which
articles end up together does not depend on the order they arrive in (``tests/stream``).

>>> d = Deduplicator()
>>> wire = ("The ferry to Osk Island resumed service on Monday after a two-week pause. "
...         "Tickets were sold out by noon, and a second boat was added for the evening run. "
...         "The harbour office said repairs to the pier were finished on Sunday night.")
>>> d.add("a", wire).kind is None
True
>>> d.add("b", wire.upper()).kind, d.add("c", wire.replace("noon", "midday")).kind
('exact', 'near')
>>> d.canonical("c"), d.group("a")
('a', ('a', 'b', 'c'))
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Literal, Protocol

import numpy as np

__all__ = [
    "BANDS",
    "CONTAINED",
    "HIGH",
    "LOW",
    "MAX_CANDIDATES",
    "MIN_SHARED",
    "NUM_PERM",
    "RECHECK",
    "ROWS",
    "DedupIndex",
    "Deduplicator",
    "Fingerprint",
    "MemoryIndex",
    "Profile",
    "Verdict",
    "band_keys",
    "containment",
    "fingerprint",
    "fingerprints",
    "jaccard",
    "profile",
    "recheck",
    "shingles",
    "words",
]

NUM_PERM = 128  # MinHash permutations: the estimate's standard error is about 0.04 at J = 0.5
BANDS, ROWS = 64, 2  # LSH bands; a candidate must share MIN_SHARED of them (the next line)
#: bands two digests must share to be candidates: with 64 bands of 2 rows, articles with J = 0.25
#: share 2 or more 92% of the time, with J = 0.1 13%, with J = 0.05 1% (one shared band: 15%)
MIN_SHARED = 2
#: candidates checked per article at most, those sharing the most bands first
MAX_CANDIDATES = 64
SEED = 1  # fixed: digests stored in a store must stay comparable across runs
SHINGLE = 3  # word 3-grams
#: estimated Jaccard from which a candidate is a near duplicate without a re-check
HIGH = 0.75
#: estimated Jaccard below which a candidate is not a duplicate (the borderline band starts here)
LOW = 0.2
#: re-check score (share of the shorter text's words in matching sentences) from which a borderline
#: candidate is a near duplicate
RECHECK = 0.8
#: a sentence matches another when this share of its words is in it (a few words changed keeps it)
SENTENCE_MATCH = 0.6
#: estimated containment of the shorter text in the longer from which a candidate is a near duplicate
#: without a re-check (a trimmed copy, a copy with paragraphs added)
CONTAINED = 0.9
PROFILE_CACHE = 256  # texts whose re-check profile is kept (a story's articles are re-checked often)

Kind = Literal["exact", "near"]

_WORD = re.compile(r"\w+(?:'\w+)*")
# a word, and the sentence end right after it if there is one (the re-check's sentences)
_TOKEN = re.compile(r"(\w+(?:'\w+)*)([.!?…]+[\"'”’)\]]*(?=\s|$))?")


def words(text: str) -> list[str]:
    """The words of ``text``, normalised: NFKC, typographic variants folded, casefolded.

    >>> words("The  ‘Bridge’ REOPENS—again! It’s 4.5%")
    ['the', 'bridge', 'reopens', 'again', "it's", '4', '5']
    """
    return _WORD.findall(_fold(text))


def _tokens(text: str) -> tuple[list[str], list[int]]:
    """The words of ``text`` and the indices of the words that end a sentence."""
    found = _TOKEN.findall(_fold(text))
    return [w for w, _ in found], [i for i, (_, end) in enumerate(found) if end]


def _fold(text: str) -> str:
    # what match_key does to words, without its whitespace pass (words ignore spaces): C-speed calls
    return unicodedata.normalize("NFKC", text).casefold().replace("’", "'").replace("‘", "'")


def shingles(ws: Sequence[str], k: int = SHINGLE) -> list[str]:
    """Word ``k``-grams of ``ws`` (a text shorter than ``k`` words is one shingle).

    >>> shingles(["a", "b", "c", "d"])
    ['a b c', 'b c d']
    """
    if len(ws) <= k:
        return [" ".join(ws)] if ws else []
    return [" ".join(ws[i : i + k]) for i in range(len(ws) - k + 1)]


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """What dedup keeps of a text: the hash of its words, its MinHash digest and its length."""

    text_hash: str
    digest: np.ndarray  # uint32[NUM_PERM]
    n_words: int
    band_list: Sequence[int] = field(default=(), repr=False)  # band_keys(digest), when computed in bulk

    def bands(self) -> Sequence[int]:
        """The LSH band keys of this digest (see :func:`band_keys`)."""
        return self.band_list or band_keys(self.digest)


def containment(j: float, a: int, b: int) -> float:
    """The share of the smaller set inside the larger, from their Jaccard similarity and sizes.

    >>> containment(0.5, 100, 50)  # |A ∩ B| = J (|A| + |B|) / (1 + J) = 50: all of the smaller
    1.0
    """
    if not a or not b:
        return 0.0
    return min(1.0, j * (a + b) / ((1 + j) * min(a, b)))


def _hash_words(ws: Sequence[str]) -> str:
    return hashlib.blake2b(" ".join(ws).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


# Multipliers (odd 64-bit numbers) that fold three word hashes into one shingle hash.
_SHINGLE_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))


def _shingle_hashes(word_hashes: Sequence[int]) -> np.ndarray:
    """64-bit hashes of the word 3-grams, from the words' hashes (numpy, no string per shingle)."""
    h = np.fromiter(word_hashes, dtype=np.uint64, count=len(word_hashes))
    with np.errstate(over="ignore"):  # wrap-around multiplication is the point
        if len(h) <= SHINGLE:  # a text of three words or fewer is one shingle
            h = np.pad(h, (0, SHINGLE - len(h)))
            return np.array([(h * np.array(_SHINGLE_MIX)).sum(dtype=np.uint64)], dtype=np.uint64)
        out = h[:-2] * _SHINGLE_MIX[0] + h[1:-1] * _SHINGLE_MIX[1] + h[2:] * _SHINGLE_MIX[2]
    return out ^ (out >> np.uint64(31))


def fingerprints(texts: Iterable[str]) -> list[Fingerprint]:
    """Fingerprints of many texts: word 3-gram MinHash digests by rensa's batch API, one call.

    The words are hashed by rensa (``RMinHash.hash_token_sets``: stable across runs), their
    3-grams combined in numpy, and all digests computed from one flat buffer
    (``digest_matrix_from_flat_token_hashes``): no Python object per shingle or per document.

    >>> a, b = fingerprints(["Dam holds, engineers say.", "DAM HOLDS — engineers say!"])
    >>> a.text_hash == b.text_hash, a.n_words, jaccard(a.digest, b.digest)
    (True, 4, 1.0)
    """
    from rensa import RMinHash  # the [stream] extra

    tokenised = [words(t) for t in texts]  # plain words: sentences are found only for a re-check
    if not tokenised:
        return []
    word_hashes = RMinHash.hash_token_sets([ws or [""] for ws in tokenised])
    parts = [_shingle_hashes(h) for h in word_hashes]
    offsets = np.zeros(len(parts) + 1, dtype=np.uint64)
    np.cumsum([len(p) for p in parts], out=offsets[1:])
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(np.concatenate(parts), offsets, NUM_PERM, SEED)
    digests = np.asarray(matrix.to_rows(), dtype=np.uint32)
    bands = _band_matrix(digests)
    return [Fingerprint(_hash_words(ws), digests[i], len(ws), bands[i]) for i, ws in enumerate(tokenised)]


def fingerprint(text: str) -> Fingerprint:
    """The :class:`Fingerprint` of one text (see :func:`fingerprints`)."""
    return fingerprints([text])[0]


# Mixing constants (odd 64-bit numbers) folding a band's ROWS values into one key.
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
                dtype=np.uint64)


def band_keys(digest: np.ndarray) -> list[int]:
    """One integer per LSH band: the band's number in the top bits, a hash of its rows below.

    Deterministic across runs and machines (plain integer arithmetic), so keys stored in a
    store stay valid; they fit SQLite's signed 64-bit integers.

    >>> d = np.arange(NUM_PERM, dtype=np.uint32)
    >>> keys = band_keys(d)
    >>> len(keys), keys == band_keys(d.copy()), keys[1] >> 56
    (64, True, 1)
    """
    return _band_matrix(digest[None, :])[0]


_BAND_TAGS = np.arange(BANDS, dtype=np.uint64) << np.uint64(56)


def _band_matrix(digests: np.ndarray) -> list[list[int]]:
    """:func:`band_keys` of every row of ``digests`` (n x NUM_PERM), in one numpy pass."""
    rows = digests[:, : BANDS * ROWS].astype(np.uint64).reshape(len(digests), BANDS, ROWS)
    with np.errstate(over="ignore"):  # wrap-around multiplication is the point
        mixed = (rows * _MIX[:ROWS]).sum(axis=2, dtype=np.uint64)
        mixed ^= mixed >> np.uint64(29)
    keys: list[list[int]] = ((mixed & np.uint64((1 << 56) - 1)) | _BAND_TAGS).tolist()
    return keys


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two digests: the share of equal minima."""
    return float(np.count_nonzero(a == b)) / len(a)


@dataclass(frozen=True, slots=True, eq=False)
class Profile:
    """A text as the re-check reads it: its sentences' word sets and lengths."""

    sentences: tuple[tuple[frozenset[str], int], ...]  # (words, how many words)
    size: int  # words


def profile(text: str) -> Profile:
    """The :class:`Profile` of ``text``."""
    ws, ends = _tokens(text)
    sents = []
    start = 0
    for end in [*ends, len(ws) - 1]:
        if end >= start:
            sents.append((frozenset(ws[start : end + 1]), end + 1 - start))
            start = end + 1
    return Profile(tuple(sents), sum(n for _, n in sents))


def recheck(a: str | Profile, b: str | Profile) -> float:
    """How much of the shorter text is in the other, sentence by sentence (0 to 1; symmetric).

    A sentence matches when :data:`SENTENCE_MATCH` of its words are in one sentence of the other
    text (or in two that follow each other), so a copy with words changed here and there, or
    trimmed, or with paragraphs added, scores near 1, where word shingles would fall apart; a
    different article on the same event, sharing names and numbers but not sentences, scores low.
    The score is the share of the shorter text's words that lie in matching sentences.

    >>> old = "The dam held overnight. Engineers said the spillway worked. Residents returned home."
    >>> recheck(old, "The dam held overnight. Engineers said the spillway had worked.")
    1.0
    >>> recheck(old, "Rain is forecast for Friday. The mayor thanked volunteers.")
    0.0
    """
    pa = a if isinstance(a, Profile) else profile(a)
    pb = b if isinstance(b, Profile) else profile(b)
    if not pa.size or not pb.size:
        return 0.0
    if pa.size == pb.size:
        return max(_contained(pa, pb), _contained(pb, pa))
    return _contained(pa, pb) if pa.size < pb.size else _contained(pb, pa)


def _contained(short: Profile, long: Profile) -> float:
    """Share of ``short``'s words in sentences that have a match in ``long``."""
    matched = at = 0
    sets = [s for s, _ in long.sentences]
    last = len(sets) - 1
    for ws, n in short.sentences:
        need = SENTENCE_MATCH * len(ws)
        # from where the last match was on first: a copy keeps the order, so most tries hit at once
        for k in chain(range(at, last + 1), range(at)):
            hit = len(ws & sets[k])
            # one sentence, or two that follow each other (a sentence merged with the next, or split)
            if hit >= need or (k < last and hit + len(ws & sets[k + 1]) >= need
                               and len(ws & (sets[k] | sets[k + 1])) >= need):
                matched += n
                at = k
                break
    return matched / short.size


@dataclass(frozen=True, slots=True)
class Verdict:
    """What :meth:`Deduplicator.add` decided: ``kind`` None (a new canonical article), ``exact`` or
    ``near``; ``canonical`` the group's first article; ``similarity`` of the match that joined it
    (1.0 for exact); ``merged`` the canonical articles of groups this article joined together."""

    kind: Kind | None
    canonical: str
    similarity: float = 1.0
    merged: tuple[str, ...] = ()


class DedupIndex(Protocol):
    """Where a :class:`Deduplicator` keeps its state: in memory (:class:`MemoryIndex`) or in the
    store (``newsprism.stream.store``). Keys are article ids; ``order`` says which came first."""

    def known(self, key: str) -> bool:
        """Whether ``key`` was added already."""

    def link_of(self, key: str) -> tuple[str, Kind, float] | None:
        """(canonical, kind, similarity) of a duplicate; None for a canonical article."""

    def exact(self, text_hash: str) -> str | None:
        """An article whose text hash is ``text_hash``, if any."""

    def candidates(self, fp: Fingerprint) -> Iterable[str]:
        """Articles sharing at least :data:`MIN_SHARED` LSH bands with ``fp``, those sharing most first
        (at most :data:`MAX_CANDIDATES`)."""

    def digest(self, key: str) -> np.ndarray:
        """The stored MinHash digest of ``key``."""

    def size(self, key: str) -> int:
        """How many words the text of ``key`` has."""

    def text(self, key: str) -> str:
        """The text of ``key`` (for the borderline re-check)."""

    def order(self, key: str) -> int:
        """When ``key`` was added (smaller is earlier)."""

    def canonical(self, key: str) -> str:
        """The canonical article of ``key``'s group (``key`` itself when it is one)."""

    def put(self, key: str, fp: Fingerprint, text: str, *, index: bool) -> None:
        """Keep ``key``; ``index``: also put its bands in the LSH index."""

    def link(self, key: str, canonical: str, kind: Kind, similarity: float) -> None:
        """Mark ``key`` as a duplicate in ``canonical``'s group."""

    def merge(self, into: str, other: str, similarity: float) -> None:
        """Move every member of canonical ``other``'s group, and ``other``, into ``into``'s group."""


@dataclass
class MemoryIndex:
    """A :class:`DedupIndex` in memory (the store keeps the same bands in SQLite)."""

    _seq: dict[str, int] = field(default_factory=dict)
    _by_hash: dict[str, str] = field(default_factory=dict)
    _digests: dict[str, np.ndarray] = field(default_factory=dict)
    _sizes: dict[str, int] = field(default_factory=dict)
    _texts: dict[str, str] = field(default_factory=dict)
    _bands: dict[int, list[str]] = field(default_factory=dict)
    _parent: dict[str, tuple[str, Kind, float]] = field(default_factory=dict)
    _members: dict[str, list[str]] = field(default_factory=dict)

    def known(self, key: str) -> bool:
        return key in self._seq

    def link_of(self, key: str) -> tuple[str, Kind, float] | None:
        return self._parent.get(key)

    def exact(self, text_hash: str) -> str | None:
        return self._by_hash.get(text_hash)

    def candidates(self, fp: Fingerprint) -> Iterator[str]:
        shared = Counter(key for k in fp.bands() for key in self._bands.get(k, ()))
        for key, n in shared.most_common(MAX_CANDIDATES):
            if n < MIN_SHARED:
                break
            yield key

    def digest(self, key: str) -> np.ndarray:
        return self._digests[key]

    def size(self, key: str) -> int:
        return self._sizes[key]

    def text(self, key: str) -> str:
        return self._texts[key]

    def order(self, key: str) -> int:
        return self._seq[key]

    def canonical(self, key: str) -> str:
        link = self._parent.get(key)
        return link[0] if link else key

    def put(self, key: str, fp: Fingerprint, text: str, *, index: bool) -> None:
        self._seq[key] = len(self._seq)
        self._by_hash.setdefault(fp.text_hash, key)
        self._digests[key] = fp.digest
        self._sizes[key] = fp.n_words
        self._texts[key] = text
        if index:
            for k in fp.bands():
                self._bands.setdefault(k, []).append(key)

    def link(self, key: str, canonical: str, kind: Kind, similarity: float) -> None:
        self._parent[key] = (canonical, kind, similarity)
        self._members.setdefault(canonical, []).append(key)

    def merge(self, into: str, other: str, similarity: float) -> None:
        for m in self._members.pop(other, []):
            _, kind, sim = self._parent[m]
            self.link(m, into, kind, sim)
        self.link(other, into, "near", similarity)

    def members(self, canonical: str) -> list[str]:
        return self._members.get(canonical, [])


class Deduplicator:
    """Exact and near-duplicate detection over a :class:`DedupIndex` (default: in memory).

    ``recheck=False`` skips the sentence re-check (faster, lower recall on reworded copies);
    ``accept`` is the estimated Jaccard from which a candidate is a duplicate outright
    (:data:`HIGH`; ``bench/bench_dedup.py`` sweeps it with the re-check off).

    :meth:`add` decides and records in one step; re-adding a key that is already there changes
    nothing (``add`` is idempotent).
    """

    def __init__(self, index: DedupIndex | None = None, *, recheck: bool = True, accept: float = HIGH) -> None:
        self.index: DedupIndex = index if index is not None else MemoryIndex()
        self.recheck = recheck  # False: no re-check, the borderline band is not a duplicate
        self.accept = accept  # estimated Jaccard from which a candidate is a duplicate outright
        self._profiles: OrderedDict[str, Profile] = OrderedDict()  # recently re-checked texts

    def add(self, key: str, text: str, fp: Fingerprint | None = None) -> Verdict:
        """Add article ``key`` with ``text``; its :class:`Verdict`."""
        fp = fp or fingerprint(text)
        ix = self.index
        if ix.known(key):
            link = ix.link_of(key)
            return Verdict(None, key) if link is None else Verdict(link[1], link[0], link[2])
        same = ix.exact(fp.text_hash)
        if same is not None and same != key:
            root = ix.canonical(same)
            ix.put(key, fp, text, index=False)  # its bands are those of `same`: already indexed
            ix.link(key, root, "exact", 1.0)
            return Verdict("exact", root)
        matches = self.matches(key, text, fp)
        ix.put(key, fp, text, index=True)
        if not matches:
            return Verdict(None, key)
        by_root: dict[str, float] = {}
        for other, sim in matches:
            root = ix.canonical(other)
            by_root[root] = max(by_root.get(root, 0.0), sim)
        first = min(by_root, key=ix.order)
        merged = tuple(sorted((r for r in by_root if r != first), key=ix.order))
        for r in merged:
            ix.merge(first, r, by_root[r])
        best = max(by_root.values())
        ix.link(key, first, "near", best)
        return Verdict("near", first, best, merged)

    def matches(self, key: str, text: str, fp: Fingerprint) -> list[tuple[str, float]]:
        """The indexed articles ``text`` is a near duplicate of, with the similarity of each."""
        out = []
        mine = None
        for other in self.index.candidates(fp):
            if other == key:
                continue
            est = jaccard(fp.digest, self.index.digest(other))
            if est >= self.accept:
                out.append((other, est))
            elif est >= LOW and containment(est, fp.n_words, self.index.size(other)) >= CONTAINED:
                out.append((other, est))  # a trimmed copy, or one with paragraphs added
            elif est >= LOW and self.recheck:
                mine = mine or self._remember(key, profile(text))
                score = recheck(mine, self._profile(other))
                if score >= RECHECK:
                    out.append((other, score))
        return sorted(out)

    def _profile(self, key: str) -> Profile:
        found = self._profiles.get(key)
        if found is None:
            return self._remember(key, profile(self.index.text(key)))
        self._profiles.move_to_end(key)
        return found

    def _remember(self, key: str, p: Profile) -> Profile:
        self._profiles[key] = p  # a text re-checked once is likely re-checked again (its story's next copy)
        if len(self._profiles) > PROFILE_CACHE:
            self._profiles.popitem(last=False)
        return p

    def canonical(self, key: str) -> str:
        """The canonical article of ``key``'s group."""
        return self.index.canonical(key)

    def group(self, key: str) -> tuple[str, ...]:
        """Every article in ``key``'s group (needs a :class:`MemoryIndex`), in the order added."""
        ix = self.index
        if not isinstance(ix, MemoryIndex):
            raise TypeError("group() reads a MemoryIndex; a store lists groups itself")
        root = ix.canonical(key)
        return tuple(sorted([root, *ix.members(root)], key=ix.order))
