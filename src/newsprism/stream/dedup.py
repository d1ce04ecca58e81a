"""Duplicates: exact (a hash of the normalised text) and near (MinHash LSH, then a re-check).

Every article gets a :class:`Fingerprint`: the hash of its normalised words (equal hashes are
exact duplicates) and a MinHash digest of its word 3-shingles, computed by rensa (a maintained
Rust MinHash library; measured against datasketch in ``bench/bench_dedup.py``). The digest is
cut into :data:`BANDS` bands of :data:`ROWS` rows: two articles that agree on one whole band are
candidates. A candidate whose estimated Jaccard similarity is :data:`HIGH` or more is a near
duplicate; one in the borderline band [:data:`LOW`, :data:`HIGH`) is re-checked word by word
(:func:`recheck`): sentence by sentence, so that a copy with a few words changed per sentence,
a trimmed copy or one with paragraphs added still counts, while another outlet's article on the
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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np

from newsprism.text.normalize import match_key

__all__ = [
    "BANDS",
    "HIGH",
    "LOW",
    "NUM_PERM",
    "RECHECK",
    "ROWS",
    "DedupIndex",
    "Deduplicator",
    "Fingerprint",
    "MemoryIndex",
    "Verdict",
    "band_keys",
    "fingerprint",
    "fingerprints",
    "jaccard",
    "recheck",
    "shingles",
    "words",
]

NUM_PERM = 128  # MinHash permutations: the estimate's standard error is about 0.04 at J = 0.5
BANDS, ROWS = 32, 4  # LSH: two articles with J = 0.3 become candidates 23% of the time, J = 0.5 87%
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

Kind = Literal["exact", "near"]

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SENTENCE = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+")


def words(text: str) -> list[str]:
    """The words of ``text``, normalised: NFKC, typographic variants folded, casefolded.

    >>> words("The  ‘Bridge’ REOPENS—again! It’s 4.5%")
    ['the', 'bridge', 'reopens', 'again', "it's", '4', '5']
    """
    return _WORD.findall(match_key(unicodedata.normalize("NFKC", text)))


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
    sketch: object = None  # the rensa RMinHash the digest came from (what rensa's LSH takes)

    def bands(self) -> list[int]:
        """The LSH band keys of this digest (see :func:`band_keys`)."""
        return band_keys(self.digest)


def _hash_words(ws: Sequence[str]) -> str:
    return hashlib.blake2b(" ".join(ws).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def fingerprints(texts: Iterable[str]) -> list[Fingerprint]:
    """Fingerprints of many texts, their digests computed in one rensa call (the fast path).

    >>> a, b = fingerprints(["Dam holds, engineers say.", "DAM HOLDS — engineers say!"])
    >>> a.text_hash == b.text_hash, a.n_words, jaccard(a.digest, b.digest)
    (True, 4, 1.0)
    """
    from rensa import RMinHash  # the [stream] extra

    tokenised = [words(t) for t in texts]
    sets = [shingles(ws) or [""] for ws in tokenised]
    if not sets:
        return []
    sketches = RMinHash.from_token_sets(sets, NUM_PERM, SEED)
    return [Fingerprint(_hash_words(ws), np.asarray(h.digest(), dtype=np.uint32), len(ws), h)
            for ws, h in zip(tokenised, sketches, strict=True)]


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
    (32, True, 1)
    """
    rows = digest.astype(np.uint64).reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):  # wrap-around multiplication is the point
        mixed = (rows * _MIX[:ROWS]).sum(axis=1, dtype=np.uint64)
        mixed ^= mixed >> np.uint64(29)
    low = mixed & np.uint64((1 << 56) - 1)
    return [(b << 56) | int(v) for b, v in enumerate(low.tolist())]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two digests: the share of equal minima."""
    return float(np.count_nonzero(a == b)) / len(a)


def _sentences(text: str) -> list[list[str]]:
    out = []
    for s in _SENTENCE.split(text):
        ws = words(s)
        if ws:
            out.append(ws)
    return out


def recheck(a: str, b: str) -> float:
    """How much of the shorter text is in the other, sentence by sentence (0 to 1; symmetric).

    A sentence matches when :data:`SENTENCE_MATCH` of its words are in one sentence of the other
    text, so a copy with words changed here and there, or trimmed, or with paragraphs added, scores
    near 1, where word shingles would fall apart; a different article on the same event, sharing
    names and numbers but not sentences, scores low. The score is the share of the shorter text's
    words that lie in matching sentences.

    >>> old = "The dam held overnight. Engineers said the spillway worked. Residents returned home."
    >>> recheck(old, "The dam held overnight. Engineers said the spillway had worked.")
    1.0
    >>> recheck(old, "Rain is forecast for Friday. The mayor thanked volunteers.")
    0.0
    """
    sa, sb = _sentences(a), _sentences(b)
    if not sa or not sb:
        return 0.0
    return max(_contained(sa, sb), _contained(sb, sa)) if _size(sa) == _size(sb) else (
        _contained(sa, sb) if _size(sa) < _size(sb) else _contained(sb, sa))


def _size(sentences: list[list[str]]) -> int:
    return sum(len(s) for s in sentences)


def _contained(short: list[list[str]], long: list[list[str]]) -> float:
    """Share of ``short``'s words in sentences that have a match in ``long``."""
    index: dict[str, list[int]] = {}
    long_sets = [set(s) for s in long]
    for i, s in enumerate(long_sets):
        for w in s:
            index.setdefault(w, []).append(i)
    matched = total = 0
    for sent in short:
        ws = set(sent)
        total += len(sent)
        counts: dict[int, int] = {}
        for w in ws:
            for i in index.get(w, ()):
                counts[i] = counts.get(i, 0) + 1
        if counts and max(counts.values()) >= SENTENCE_MATCH * len(ws):
            matched += len(sent)
    return matched / total if total else 0.0


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
        """Articles sharing at least one LSH band with ``fp``."""

    def digest(self, key: str) -> np.ndarray:
        """The stored MinHash digest of ``key``."""

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
    """A :class:`DedupIndex` in memory; its LSH is rensa's ``RMinHashLSH`` (same bands)."""

    _seq: dict[str, int] = field(default_factory=dict)
    _keys: list[str] = field(default_factory=list)
    _by_hash: dict[str, str] = field(default_factory=dict)
    _digests: dict[str, np.ndarray] = field(default_factory=dict)
    _texts: dict[str, str] = field(default_factory=dict)
    _parent: dict[str, tuple[str, Kind, float]] = field(default_factory=dict)
    _members: dict[str, list[str]] = field(default_factory=dict)
    keep_text: bool = True

    def __post_init__(self) -> None:
        from rensa import RMinHashLSH

        self._lsh = RMinHashLSH(LOW, NUM_PERM, BANDS)

    def known(self, key: str) -> bool:
        return key in self._seq

    def exact(self, text_hash: str) -> str | None:
        return self._by_hash.get(text_hash)

    def candidates(self, fp: Fingerprint) -> Iterator[str]:
        for i in self._lsh.query(_sketch(fp)):
            yield self._keys[i]

    def digest(self, key: str) -> np.ndarray:
        return self._digests[key]

    def text(self, key: str) -> str:
        return self._texts[key]

    def order(self, key: str) -> int:
        return self._seq[key]

    def canonical(self, key: str) -> str:
        link = self._parent.get(key)
        return link[0] if link else key

    def put(self, key: str, fp: Fingerprint, text: str, *, index: bool) -> None:
        self._seq[key] = len(self._keys)
        self._keys.append(key)
        self._by_hash.setdefault(fp.text_hash, key)
        self._digests[key] = fp.digest
        if self.keep_text:
            self._texts[key] = text
        if index:
            self._lsh.insert(self._seq[key], _sketch(fp))

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

    def link_of(self, key: str) -> tuple[str, Kind, float] | None:
        return self._parent.get(key)


def _sketch(fp: Fingerprint) -> object:
    if fp.sketch is None:
        raise ValueError("a MemoryIndex needs fingerprints made by fingerprint()/fingerprints() (with their sketch)")
    return fp.sketch


class Deduplicator:
    """Exact and near-duplicate detection over a :class:`DedupIndex` (default: in memory).

    :meth:`add` decides and records in one step; re-adding a key that is already there changes
    nothing (``add`` is idempotent).
    """

    def __init__(self, index: DedupIndex | None = None) -> None:
        self.index: DedupIndex = index if index is not None else MemoryIndex()

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
        for other in set(self.index.candidates(fp)):
            if other == key:
                continue
            est = jaccard(fp.digest, self.index.digest(other))
            if est >= HIGH:
                out.append((other, est))
            elif est >= LOW:
                score = recheck(text, self.index.text(other))
                if score >= RECHECK:
                    out.append((other, score))
        return sorted(out)

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
