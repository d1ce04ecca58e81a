"""Duplicates: exact (a hash of the normalised text) and near (MinHash LSH, then a re-check).

Every article gets a :class:`Fingerprint`: the hash of its normalised words (equal hashes are
exact duplicates) and a MinHash digest of its word 3-shingles, computed by rensa (a maintained
Rust MinHash library, through its batch API; measured against datasketch in
``bench/bench_dedup.py``). The words are found and hashed in numpy, a batch of texts at a time
(:func:`_scan`: the same words as :func:`words`' regular expression, no Python string per word).
The digest is cut into :data:`BANDS` bands of :data:`ROWS` rows: two
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

import re
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat
from typing import Literal, Protocol

import numpy as np

__all__ = [
    "BANDS",
    "CONTAINED",
    "FINGERPRINT_VERSION",
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
#: how words, text hashes and digests are computed; a store written with another cannot be added to
FINGERPRINT_VERSION = "2"
SHINGLE = 3  # word 3-grams
#: estimated Jaccard from which a candidate is a near duplicate without a re-check. On the labelled
#: set's development half (bench/bench_dedup.py) any value from 0.3 to 0.75 gives the same F1, but
#: outlets that share half their sentences (tests/scale's fictional archive: up to 0.54, re-check
#: 0.79) are not duplicates, so the band stays wide
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
#: texts whose re-check profile is kept (a story's articles are re-checked often); an added text's is
#: built from its batch's scan when first needed
PROFILE_CACHE = 1024

Kind = Literal["exact", "near"]

_WORD = re.compile(r"\w+(?:'\w+)*")


def words(text: str) -> list[str]:
    """The words of ``text``, normalised: NFKC, typographic variants folded, casefolded.

    >>> words("The  ‘Bridge’ REOPENS—again! It’s 4.5%")
    ['the', 'bridge', 'reopens', 'again', "it's", '4', '5']
    """
    return _WORD.findall(_fold(text))


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
    scanned: tuple[_Scanned, int] | None = field(default=None, repr=False)  # its batch's scan, and its row

    def bands(self) -> Sequence[int]:
        """The LSH band keys of this digest (see :func:`band_keys`)."""
        return self.band_list or band_keys(self.digest)

    def profile(self) -> Profile | None:
        """The re-check :class:`Profile` of the text, from the batch's scan (None when not kept)."""
        return None if self.scanned is None else _profile(*self.scanned)

    def profile_words(self) -> bytes | None:
        """What the re-check :class:`Profile` is built from, as bytes a store can keep (see
        :func:`profile_from_words`), from the batch's scan (None when not kept)."""
        if self.scanned is None:
            return None
        hs, ends = _profile_parts(*self.scanned)
        return np.concatenate([np.array([len(ends)], dtype="<u4"), ends.astype("<u4"), hs.astype("<u4")]).tobytes()


def containment(j: float, a: int, b: int) -> float:
    """The share of the smaller set inside the larger, from their Jaccard similarity and sizes.

    >>> containment(0.5, 100, 50)  # |A ∩ B| = J (|A| + |B|) / (1 + J) = 50: all of the smaller
    1.0
    """
    if not a or not b:
        return 0.0
    return min(1.0, j * (a + b) / ((1 + j) * min(a, b)))


# --- the vectorised scan: words, their hashes and sentence ends, no Python string per word ----------

_SCAN_CHUNK = 1 << 19  # characters scanned per numpy pass (bounds the scan's memory: ~30 MB)
_APOSTROPHE = 39
# character classes, one bit each
_W, _S, _END, _CLOSE = 1, 2, 4, 8
_POLY = 0x9E3779B97F4A7C15  # odd: invertible modulo 2**64
_LEN_MIX = np.uint64(0xD6E8FEB86659FD93)


@lru_cache(maxsize=1)
def _bmp_classes() -> np.ndarray:
    """Class bits of every code point below 65,536: a word character (``re``'s ``\\w``:
    ``str.isalnum()`` or ``_``), whitespace (``re``'s ``\\s``: ``str.isspace()``), a sentence end
    mark (``.!?…``), a closing quote or bracket. Built once (~20 ms)."""
    chars = [chr(i) for i in range(1 << 16)]
    cls = np.fromiter((c.isalnum() for c in chars), dtype=np.uint8, count=1 << 16)
    cls |= np.fromiter((c.isspace() for c in chars), dtype=np.uint8, count=1 << 16) * np.uint8(_S)
    cls[ord("_")] |= _W
    for c in ".!?…":
        cls[ord(c)] |= _END
    for c in "\"'”’)]":
        cls[ord(c)] |= _CLOSE
    return cls


_POWERS: list[tuple[np.ndarray, np.ndarray]] = []  # (P**i, P**-i) modulo 2**64, i < len: grown, kept at most once


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    if _POWERS and len(_POWERS[0][0]) >= n:
        return _POWERS[0]
    size = max(n, _SCAN_CHUNK + 1)
    inverse = pow(_POLY, -1, 1 << 64)
    with np.errstate(over="ignore"):  # wrap-around multiplication is the point
        up = np.cumprod(np.full(size, _POLY, dtype=np.uint64), dtype=np.uint64)
        down = np.cumprod(np.full(size, inverse, dtype=np.uint64), dtype=np.uint64)
    up = np.concatenate([np.ones(1, dtype=np.uint64), up[:-1]])
    down = np.concatenate([np.ones(1, dtype=np.uint64), down[:-1]])
    if size <= _SCAN_CHUNK + 1:  # one huge text's tables are not kept
        _POWERS[:] = [(up, down)]
    return up, down


def _mix64(h: np.ndarray) -> np.ndarray:
    # splitmix64's finaliser: every input bit moves every output bit
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


@dataclass(frozen=True, slots=True)
class _Scanned:
    """Texts scanned together: ``hashes`` of all their words in order (uint64), ``offsets`` (text
    ``i``'s words are ``hashes[offsets[i]:offsets[i + 1]]``), ``ends`` (a word ends a sentence),
    ``spans`` (each word's start and end in its folded text, when asked for: the tests; fingerprints
    keep their batch's scan for the re-check, so it holds no more than the re-check needs)."""

    hashes: np.ndarray
    offsets: np.ndarray
    ends: np.ndarray
    spans: np.ndarray


def _scan(texts: Sequence[str], *, spans: bool = False) -> _Scanned:
    """The words of ``texts`` exactly as :func:`words` finds them (``\\w+(?:'\\w+)*`` over the folded
    text), each hashed to 64 bits, and which of them end a sentence (the word is followed at once by
    ``.!?…``, then closing quotes or brackets, then a space or the end): one numpy pass over a
    chunk of texts instead of a regular expression and a string per word."""
    folded = [_fold(t) for t in texts]
    parts: list[_Scanned] = []
    start = 0
    while start < len(folded) or not parts:
        stop, size = start, 0
        while stop < len(folded) and (stop == start or size + len(folded[stop]) < _SCAN_CHUNK):
            size += len(folded[stop]) + 1
            stop += 1
        parts.append(_scan_chunk(folded[start:stop], spans))
        start = stop
    if len(parts) == 1:
        return parts[0]
    offsets = [parts[0].offsets]
    for p in parts[1:]:
        offsets.append(p.offsets[1:] + offsets[-1][-1])
    return _Scanned(np.concatenate([p.hashes for p in parts]), np.concatenate(offsets),
                    np.concatenate([p.ends for p in parts]), np.concatenate([p.spans for p in parts]))


def _scan_chunk(folded: Sequence[str], with_spans: bool = False) -> _Scanned:
    big = "\n".join(folded) + "\n"  # the newline keeps words of two texts apart and ends the last sentence
    cp = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(cp)
    cls = _bmp_classes()[np.minimum(cp, 0xFFFF)]
    astral = np.flatnonzero(cp > 0xFFFF)
    if len(astral):  # rare (emoji, historic scripts): classified one distinct code point at a time
        for c in np.unique(cp[astral]).tolist():
            cls[astral[cp[astral] == c]] = _W * chr(c).isalnum() + _S * chr(c).isspace()
    w = (cls & _W).astype(bool)
    # an apostrophe between two word characters is inside a word ("it's"), else it is not
    if n > 2:
        w[1:-1] |= (cp[1:-1] == _APOSTROPHE) & w[:-2] & w[2:]
    edges = np.diff(w.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)  # exclusive; always < n: the text ends with a newline
    # a word's hash: sum of code point x P**place, from P**position in the chunk times P**-start
    up, down = _powers(n)
    with np.errstate(over="ignore"):  # wrap-around multiplication is the point
        values = cp.astype(np.uint64) * up[:n]
        values[~w] = 0
        raw = np.add.reduceat(values, starts) * down[starts] if len(starts) else np.zeros(0, dtype=np.uint64)
        hashes = _mix64(raw + (ends - starts).astype(np.uint64) * _LEN_MIX)
    # sentence ends: right after the word, end marks, then closing quotes or brackets, then a space
    sentence_end = (cls[ends] & _END).astype(bool)
    marked = np.flatnonzero(sentence_end)
    at = ends[marked]
    for bit in (_END, _CLOSE):
        active = np.arange(len(at))
        while len(active):  # step over a run of marks (most runs are one character long)
            active = active[(cls[at[active]] & bit).astype(bool)]
            at[active] += 1
    sentence_end[marked] = (cls[at] & _S).astype(bool)
    # which text each word is in: texts start after each newline separator
    text_starts = np.zeros(len(folded) + 1, dtype=np.int64)
    np.cumsum([len(f) + 1 for f in folded], out=text_starts[1:])
    offsets = np.searchsorted(starts, text_starts).astype(np.int64)
    spans = np.stack([starts, ends], axis=1) - np.repeat(text_starts[:-1], np.diff(offsets))[:, None] \
        if with_spans else np.zeros((0, 2), dtype=np.int64)
    return _Scanned(hashes, offsets, sentence_end, spans)


# Multipliers (odd 64-bit numbers) that fold three word hashes into one shingle hash.
_SHINGLE_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)


def _shingle_hashes(word_hashes: np.ndarray, offsets: np.ndarray, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the word 3-grams of ``texts`` (indices into ``offsets``), all in one flat
    array, and where each text's start (uint64, for rensa). A text of fewer than three words is one
    shingle (its words, padded), an empty text one shingle too."""
    starts = offsets[texts]
    counts = offsets[texts + 1] - starts
    per = np.maximum(counts - (SHINGLE - 1), 1)
    out_offsets = np.zeros(len(texts) + 1, dtype=np.uint64)
    np.cumsum(per, out=out_offsets[1:])
    h = word_hashes
    with np.errstate(over="ignore"):  # wrap-around multiplication is the point
        # every 3-gram of the whole scan at once; those that straddle two texts are never picked
        windows = _mix64(h[:-2] * _SHINGLE_MIX[0] + h[1:-1] * _SHINGLE_MIX[1] + h[2:] * _SHINGLE_MIX[2]) \
            if len(h) >= SHINGLE else np.zeros(0, dtype=np.uint64)
        text_of = np.repeat(np.arange(len(texts)), per)
        first = np.arange(int(out_offsets[-1]), dtype=np.int64) - out_offsets[:-1].astype(np.int64)[text_of] \
            + starts[text_of]
        short = np.flatnonzero(counts < SHINGLE)
        out = windows[np.minimum(first, max(len(windows) - 1, 0))] if len(windows) else np.zeros(len(first), np.uint64)
        if len(short):  # a text of fewer than three words: its words, padded with zeros
            acc = np.zeros(len(short), dtype=np.uint64)
            for r in range(SHINGLE - 1):
                inside = counts[short] > r
                word = h[np.minimum(starts[short] + r, max(len(h) - 1, 0))] if len(h) else acc
                acc += np.where(inside, word, np.uint64(0)) * _SHINGLE_MIX[r]
            out[out_offsets[short].astype(np.int64)] = _mix64(acc)
    return out, out_offsets


def _text_hashes(word_hashes: np.ndarray, offsets: np.ndarray) -> list[str]:
    """A 128-bit hash (32 hex digits) of each text's word sequence: two sums of the word hashes
    mixed with their places, in numpy (equal words in equal order: equal hashes)."""
    counts = np.diff(offsets)
    n = len(word_hashes)
    place = (np.arange(n, dtype=np.int64) - np.repeat(offsets[:-1], counts)).astype(np.uint64)
    with np.errstate(over="ignore"):  # wrap-around multiplication is the point
        a = _mix64(word_hashes ^ (place * np.uint64(0x9E3779B97F4A7C15)))
        b = _mix64(word_hashes * np.uint64(0xC2B2AE3D27D4EB4F) + place)
        zero = np.zeros(1, dtype=np.uint64)  # a last element, so that every start is a valid index
        sum_a = np.add.reduceat(np.concatenate([a, zero]), offsets[:-1])
        sum_b = np.add.reduceat(np.concatenate([b, zero]), offsets[:-1])
        empty = counts == 0  # reduceat gives an empty text the next word: it has none
        sum_a[empty] = 0
        sum_b[empty] = 0
        sum_a = _mix64(sum_a + counts.astype(np.uint64))
        sum_b = _mix64(sum_b ^ counts.astype(np.uint64))
    return [f"{x:016x}{y:016x}" for x, y in zip(sum_a.tolist(), sum_b.tolist(), strict=True)]


def fingerprints(texts: Iterable[str]) -> list[Fingerprint]:
    """Fingerprints of many texts: word 3-gram MinHash digests by rensa's batch API, one call.

    The words are found and hashed in numpy (:func:`_scan`: the same words as :func:`words`), their
    3-grams combined in numpy, and all digests computed from one flat buffer by rensa
    (``digest_matrix_from_flat_token_hashes``): no Python object per word, shingle or document.
    A text equal to an earlier one in the batch (the same words) reuses its digest.

    >>> a, b = fingerprints(["Dam holds, engineers say.", "DAM HOLDS — engineers say!"])
    >>> a.text_hash == b.text_hash, a.n_words, jaccard(a.digest, b.digest)
    (True, 4, 1.0)
    """
    from rensa import RMinHash  # the [stream] extra

    items = list(texts)
    if not items:
        return []
    scan = _scan(items)
    offsets = scan.offsets
    hashes = _text_hashes(scan.hashes, offsets)
    first: dict[str, int] = {}  # text hash -> its row of the digests: an exact copy gets no digest of its own
    unique: list[int] = []
    row_of = []
    for i, h in enumerate(hashes):
        row = first.get(h)
        if row is None:
            row = first[h] = len(unique)
            unique.append(i)
        row_of.append(row)
    flat, flat_offsets = _shingle_hashes(scan.hashes, offsets, np.asarray(unique, dtype=np.int64))
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(flat, flat_offsets, NUM_PERM, SEED)
    digests = np.asarray(matrix.to_rows(), dtype=np.uint32)
    bands = _band_matrix(digests)
    counts = np.diff(offsets).tolist()
    return [Fingerprint(hashes[i], digests[row_of[i]], counts[i], bands[row_of[i]], (scan, i))
            for i in range(len(items))]


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
    """A text as the re-check reads it: its sentences' word sets (64-bit word hashes) and lengths."""

    sentences: tuple[tuple[frozenset[int], int], ...]  # (words, how many words)
    size: int  # words
    where: dict[frozenset[int], int] = field(default_factory=dict, repr=False)  # word set -> first sentence
    vocab: frozenset[int] = field(default=frozenset(), repr=False)  # every word


_EMPTY = Profile((), 0)


def profile(text: str) -> Profile:
    """The :class:`Profile` of ``text``.

    >>> p = profile("The dam held. Engineers said so! “It held,” she said.")
    >>> [n for _, n in p.sentences], p.size
    ([3, 3, 4], 10)
    """
    return _profile(_scan([text]), 0)


def _profile_parts(scan: _Scanned, i: int) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = int(scan.offsets[i]), int(scan.offsets[i + 1])
    # the top 30 bits: one-digit Python ints make cheaper sets; a clash inside one pair is negligible
    return scan.hashes[lo:hi] >> np.uint64(34), np.flatnonzero(scan.ends[lo:hi])


def _profile(scan: _Scanned, i: int) -> Profile:
    hs, ends = _profile_parts(scan, i)
    return _profile_of(hs.tolist(), ends.tolist())


def profile_from_words(blob: bytes) -> Profile:
    """The :class:`Profile` kept as :meth:`Fingerprint.profile_words` gives it: a stored text is
    re-checked without reading and scanning its text again.

    >>> text = "The dam held. Engineers said so! “It held,” she said."
    >>> kept, scanned = profile_from_words(fingerprint(text).profile_words()), profile(text)
    >>> [getattr(kept, f) == getattr(scanned, f) for f in ("sentences", "size", "where", "vocab")]
    [True, True, True, True]
    """
    parts = np.frombuffer(blob, dtype="<u4")
    m = int(parts[0])
    return _profile_of(parts[1 + m :].tolist(), parts[1 : 1 + m].tolist())


def _profile_of(hs: list[int], sentence_ends: list[int]) -> Profile:
    sents = []
    start = 0
    for end in [*sentence_ends, len(hs) - 1]:
        if end >= start:
            sents.append((frozenset(hs[start : end + 1]), end + 1 - start))
            start = end + 1
    where: dict[frozenset[int], int] = {}
    for k, (ws, _) in enumerate(sents):
        where.setdefault(ws, k)
    return Profile(tuple(sents), len(hs), where, frozenset(hs))


def recheck(a: str | Profile, b: str | Profile, *, floor: float = 0.0) -> float:
    """How much of the shorter text is in the other, sentence by sentence (0 to 1; symmetric).

    A sentence matches when :data:`SENTENCE_MATCH` of its words are in one sentence of the other
    text (or in two that follow each other), so a copy with words changed here and there, or
    trimmed, or with paragraphs added, scores near 1, where word shingles would fall apart; a
    different article on the same event, sharing names and numbers but not sentences, scores low.
    The score is the share of the shorter text's words that lie in matching sentences.

    ``floor``: when the score is sure to fall below it, stop early and return a value below it
    (the deduplicator asks only whether the score reaches :data:`RECHECK`).

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
        return max(_contained(pa, pb, floor), _contained(pb, pa, floor))
    return _contained(pa, pb, floor) if pa.size < pb.size else _contained(pb, pa, floor)


def _contained(short: Profile, long: Profile, floor: float = 0.0) -> float:
    """Share of ``short``'s words in sentences that have a match in ``long`` (below ``floor``: some
    value below ``floor``)."""
    matched = at = lost = 0
    sets = [s for s, _ in long.sentences]
    last = len(sets) - 1
    reach = floor * short.size  # matched words needed to reach the floor
    for ws, n in short.sentences:
        same = long.where.get(ws)  # the same words in one sentence: a match, no set algebra
        if same is not None:
            matched += n
            at = same
            continue
        need = SENTENCE_MATCH * len(ws)
        # Whether a sentence matches does not depend on the order the other's sentences are tried
        # in, so the likeliest go first: the one after the last match, then the last match (a
        # copy keeps the order); a sentence whose words are not in the other text at all cannot
        # match (another outlet's sentence on the same event): no scan.
        nxt = at + 1 if at < last else at
        if len(ws & sets[nxt]) >= need:
            matched += n
            at = nxt
            continue
        for k in chain(range(at, last + 1), range(at)) if len(ws & long.vocab) >= need else ():
            hit = len(ws & sets[k])
            # one sentence, or two that follow each other (a sentence merged with the next, or split)
            if hit >= need or (k < last and hit + len(ws & sets[k + 1]) >= need
                               and len(ws & (sets[k] | sets[k + 1])) >= need):
                matched += n
                at = k
                break
        else:
            lost += n
            if short.size - lost < reach:  # the rest cannot lift the score to the floor
                return (short.size - lost) / short.size
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

    def profile_words(self, key: str) -> bytes | None:
        """The re-check profile of ``key`` as kept (:meth:`Fingerprint.profile_words`), or None:
        the re-check then reads and scans :meth:`text`."""

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
    # band key -> the articles with it: a tuple while one article has it (most keys), then a list
    _bands: dict[int, tuple[str, ...] | list[str]] = field(default_factory=dict)
    _parent: dict[str, tuple[str, Kind, float]] = field(default_factory=dict)
    _members: dict[str, list[str]] = field(default_factory=dict)

    def known(self, key: str) -> bool:
        return key in self._seq

    def link_of(self, key: str) -> tuple[str, Kind, float] | None:
        return self._parent.get(key)

    def exact(self, text_hash: str) -> str | None:
        return self._by_hash.get(text_hash)

    def candidates(self, fp: Fingerprint) -> Iterator[str]:
        get = self._bands.get
        shared = Counter(chain.from_iterable([get(k, ()) for k in fp.bands()]))
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

    def profile_words(self, key: str) -> bytes | None:
        return None  # the texts are in memory: scanned again when needed

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
            bands, keys = self._bands, fp.bands()
            shared = bands.keys() & keys  # set algebra in C: only keys seen before take the Python loop
            for k in shared:
                found = bands[k]
                if isinstance(found, tuple):
                    bands[k] = [*found, key]
                else:
                    found.append(key)
            one = (key,)
            bands.update(zip(keys, repeat(one)) if not shared else ((k, one) for k in keys if k not in shared))

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
    (:data:`HIGH`; ``bench/bench_dedup.py`` sweeps it with the re-check off), ``low`` the one below
    which it is not (:data:`LOW`); in between, the re-check decides.

    :meth:`add` decides and records in one step; re-adding a key that is already there changes
    nothing (``add`` is idempotent).
    """

    def __init__(self, index: DedupIndex | None = None, *, recheck: bool = True, accept: float = HIGH,
                 low: float = LOW) -> None:
        self.index: DedupIndex = index if index is not None else MemoryIndex()
        self.recheck = recheck  # False: no re-check, the borderline band is not a duplicate
        self.accept = accept  # estimated Jaccard from which a candidate is a duplicate outright
        self.low = low  # estimated Jaccard below which a candidate is not a duplicate
        # the profiles of recently added or re-checked texts; an added text's is built when first needed,
        # from its batch's scan (a story's next copy usually comes soon)
        self._profiles: OrderedDict[str, Profile | Fingerprint] = OrderedDict()

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
        if fp.scanned is not None and key not in self._profiles:
            self._remember(key, fp)  # its profile, should a later text need it
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
        """The indexed articles ``text`` is a near duplicate of, with the similarity of each.

        Borderline candidates are re-checked last, and not at all when the text already matched
        another article of their group: the group it joins is the same either way (groups are
        connected components), so only the similarity of that group's match may come out lower.
        """
        out = []
        pending = []
        for other in self.index.candidates(fp):
            if other == key:
                continue
            est = jaccard(fp.digest, self.index.digest(other))
            if est >= self.accept:
                out.append((other, est))
            elif est >= self.low and containment(est, fp.n_words, self.index.size(other)) >= CONTAINED:
                out.append((other, est))  # a trimmed copy, or one with paragraphs added
            elif est >= self.low and self.recheck:
                pending.append(other)
        if pending:
            joined = {self.index.canonical(o) for o, _ in out}
            mine = None
            for other in pending:
                root = self.index.canonical(other)
                if root in joined:
                    continue
                mine = mine or self._remember(key, fp.profile() or profile(text))
                score = recheck(mine, self._profile(other), floor=RECHECK)
                if score >= RECHECK:
                    out.append((other, score))
                    joined.add(root)
        return sorted(out)

    def _profile(self, key: str) -> Profile:
        found = self._profiles.get(key)
        if isinstance(found, Profile):
            self._profiles.move_to_end(key)
            return found
        built = found.profile() if found is not None else None
        if built is None:
            kept = self.index.profile_words(key)
            built = profile_from_words(kept) if kept is not None else profile(self.index.text(key))
        return self._remember(key, built)

    def _remember(self, key: str, p: Profile | Fingerprint) -> Profile:
        self._profiles[key] = p  # a text re-checked once is likely re-checked again (its story's next copy)
        self._profiles.move_to_end(key)
        if len(self._profiles) > PROFILE_CACHE:
            self._profiles.popitem(last=False)
        return p if isinstance(p, Profile) else _EMPTY

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
