"""Sentence splitting with exact offsets: pysbd proposes boundaries, news-specific fix-ups correct them.

Each paragraph is split on its own, and each line of a paragraph too (bullet lines and headings
are their own sentences; hard-wrapped lines that continue in lower case are joined back). pysbd
only *proposes* cut points; spans are always cut from the original text, so offsets are exact
even where pysbd rewrites its output.

>>> text = "Sen. Ada Park met Mr. Li on Dec. 3. “We know,” she said. “We are ready.”"
>>> [text[s:e] for s, e, _ in split_sentences(text)]
['Sen. Ada Park met Mr. Li on Dec. 3.', '“We know,” she said.', '“We are ready.”']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Any

from newsprism.model import paragraph_offsets
from newsprism.text.words import (
    MONTH_ABBREVIATIONS,
    SPEECH_VERBS,
    TITLE_ABBREVIATIONS,
    WEEKDAYS,
    alternation,
    past_tense,
    pick,
    present_tense,
)

__all__ = ["pysbd_sentences", "split_sentences"]

# --- pysbd ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    # Building a Segmenter compiles pysbd's rule tables; do it once per process.
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _pysbd_starts(chunk: str) -> list[int]:
    """Start offsets (in ``chunk``) of the sentences pysbd finds, the first one excluded.

    We call pysbd's processor directly and align its output ourselves: its own ``char_span``
    search silently drops a sentence it cannot find again and is quadratic in the chunk length.
    """
    pieces = _segmenter().processor(chunk).process() or []
    starts: list[int] = []
    cursor = 0
    for piece in pieces:
        needle = piece.strip()
        if not needle:
            continue
        at = chunk.find(needle, cursor)
        if at < 0:
            at = _loose_find(chunk, needle, cursor)
        if at < 0:
            continue  # pysbd rewrote this piece beyond recognition: it stays with its neighbour
        if at > 0:
            starts.append(at)
        cursor = at + len(needle) if at + len(needle) <= len(chunk) else at + 1
    return starts


def _loose_find(chunk: str, needle: str, cursor: int) -> int:
    """Find ``needle`` from ``cursor`` allowing any run of whitespace between its words."""
    words = needle.split()
    if not words:
        return -1
    pattern = r"\s*".join(re.escape(w) for w in words)
    m = re.compile(pattern).search(chunk, cursor)
    return m.start() if m else -1


def pysbd_sentences(text: str) -> list[tuple[int, int]]:
    """Plain pysbd (no fix-ups) as exact, stripped spans; kept for the benchmark's comparison.

    >>> pysbd_sentences("It rained. Then it stopped.")
    [(0, 10), (11, 27)]
    """
    out: list[tuple[int, int]] = []
    for start, end in paragraph_offsets(text):
        chunk = text[start:end].replace("\n", " ")
        cuts = [0, *_pysbd_starts(chunk), len(chunk)]
        for a, b in pairwise(cuts):
            span = _strip(chunk, a, b)
            if span:
                out.append((start + span[0], start + span[1]))
    return out


# --- fix-ups -------------------------------------------------------------------------------

# A sentence ends with . ! ? or … , optionally followed by closing quotes and brackets.
_TERMINAL = re.compile(r"[.!?…][\"”’'»)\]]*$")
_OPEN_QUOTE_AT_END = re.compile(r"\s([“‘\"«(\[]+)$")
_CLOSE_QUOTE_AT_START = re.compile(r"^([”’\"»)\]]+)(?=\s|$)")

# Abbreviations that stand before a name or a number and (almost) never end a sentence.
_TITLES = alternation(t.capitalize() for t in TITLE_ABBREVIATIONS)
_TITLE_AT_END = re.compile(rf"(?:^|[\s(“\"‘])(?:{_TITLES})\.$")
_NUMBER_ABBR_AT_END = re.compile(
    r"(?:^|[\s(])(?:No|Nos|no|nos|Art|Sec|Vol|Fig|p|pp|Ch|ch|Ex|approx|Approx|est|Est|Pct|pct|Ste|Apt|Rte)\.$"
)
_ALWAYS_JOIN_AT_END = re.compile(r"(?:^|\s)(?:vs|v|cf|e\.g|i\.e|viz)\.$")
_MONTH_ABBR_AT_END = re.compile(rf"(?:^|[\s(])(?:{'|'.join(m.capitalize() for m in MONTH_ABBREVIATIONS)})\.$")
_INITIAL_AFTER_NAME = re.compile(r"(?:^|[\s(“\"])(?:[A-Z][a-z][\w’'-]*|[A-Z]\.)\s+[A-Z]\.$|^[A-Z]\.$")
_AM_PM_AT_END = re.compile(r"(?:^|\s)(?:[ap]\.m|A\.M|P\.M)\.$")
_AFTER_AM_PM = re.compile(
    rf"^(?:[a-z]|(?:{'|'.join(d.capitalize() for d in WEEKDAYS)}|ET|EST|EDT|CT|CST|CDT|MT|PT|PST"
    r"|PDT|GMT|UTC|local)\b)"
)
# the speech verbs that end an attribution after a quote, in the past, and the present of the commonest:
# the part of SPEECH_VERBS this fix-up was written with
_SAID = pick(SPEECH_VERBS, """say ask add tell shout yell reply write explain insist note recall warn continue cry
    whisper argue declare state answer joke counter concede admit tweet post""")
_SPEECH_VERBS = alternation(
    [*map(past_tense, _SAID), *map(present_tense, pick(_SAID, "say ask add tell reply write"))]
)
# “Go!” Ana Ruiz shouted.  /  “Why?” the mayor asked.
_ATTRIBUTION_START = re.compile(
    rf"^(?:(?:[A-Z][\w.’'-]*|the|a|an|his|her|their|its|our)\s+){{1,5}}(?:{_SPEECH_VERBS})\b"
)
_QUOTE_BREAK_AT_END = re.compile(r"[!?,—–-][”\"’]$")


def _should_join(prev: str, nxt: str, gap: str) -> bool:
    """Whether the cut between two stripped pieces of one line is a false sentence boundary."""
    if not gap:
        # no whitespace: pysbd cut inside a token (URL, "$1,000.50") — unless it is `ready.”Then`
        return not (prev.endswith("”") and _TERMINAL.search(prev) and nxt[0].isupper())
    if not _TERMINAL.search(prev):
        return True  # "He said (a) yes and" — list-item cuts inside a sentence
    first = nxt[0]
    if first.islower():
        return True  # "It was 3.5 ft. tall", "“Is it over?” asked she"
    if _TITLE_AT_END.search(prev) or _ALWAYS_JOIN_AT_END.search(prev):
        return True
    if (_NUMBER_ABBR_AT_END.search(prev) or _MONTH_ABBR_AT_END.search(prev)) and (
        first.isdigit() or first == "("
    ):
        return True
    if _INITIAL_AFTER_NAME.search(prev) and re.match(r"[A-Z](?:[a-z]|\.)", nxt):
        return True  # J. K. Rowling, George W. Bush
    if _AM_PM_AT_END.search(prev) and _AFTER_AM_PM.match(nxt):
        return True
    return bool(_QUOTE_BREAK_AT_END.search(prev) and _ATTRIBUTION_START.match(nxt))


def _strip(chunk: str, a: int, b: int) -> tuple[int, int] | None:
    piece = chunk[a:b]
    inner = piece.strip()
    if not inner:
        return None
    a += len(piece) - len(piece.lstrip())
    return a, a + len(inner)


# ”T — a closing curly quote after a full stop, glued to the next sentence (a typing slip).
_GLUED_AFTER_QUOTE = re.compile(r"[.!?]”(?=[A-Z])")


def _fix_cuts(chunk: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Turn proposed cut points into stripped spans, applying the fix-ups left to right."""
    extra = [m.end() for m in _GLUED_AFTER_QUOTE.finditer(chunk)]
    points = sorted({0, *cuts, *extra, len(chunk)})
    spans: list[tuple[int, int]] = []
    for a, b in pairwise(points):
        span = _strip(chunk, a, b)
        if span is None:
            continue
        if spans:
            pa, pb = spans[-1]
            prev, nxt = chunk[pa:pb], chunk[span[0] : span[1]]
            # closing quote that pysbd left at the start of the next piece goes back
            m = _CLOSE_QUOTE_AT_START.match(nxt)
            if m:
                pb = span[0] + m.end()
                spans[-1] = (pa, pb)
                rest = _strip(chunk, pb, span[1])
                if rest is None:
                    continue
                span, prev, nxt = rest, chunk[pa:pb], chunk[rest[0] : rest[1]]
            # an opening quote left at the end of the previous piece moves forward
            m = _OPEN_QUOTE_AT_END.search(prev)
            if m and m.start(1) > 0:
                new_pb = pa + m.start(1)
                trimmed = _strip(chunk, pa, new_pb)
                if trimmed is not None:
                    pa, pb = trimmed
                    spans[-1] = (pa, pb)
                    span = (new_pb, span[1])
                    prev, nxt = chunk[pa:pb], chunk[span[0] : span[1]]
            if _should_join(prev, nxt, chunk[pb : span[0]]):
                spans[-1] = (pa, span[1])
                continue
        spans.append(span)
    return spans


# --- lines ---------------------------------------------------------------------------------

# a line ending like this is cut mid-sentence, whatever case the next line starts with
_WRAPPED_END = re.compile(
    r"(?:[,;]|\b(?:the|a|an|of|to|in|on|at|for|with|by|from|and|or|but|that|which|who|as|than|is|was|"
    r"are|were|has|have|had|will|would))$"
)
_BULLET = re.compile(r"^\s*(?:[-*•–—·▪●◦‣>]|\d{1,3}[.)]|[a-zA-Z][.)])\s")


def _line_units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The lines of one paragraph, a hard-wrapped line joined to the line it continues."""
    units: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        if not line.strip():
            continue
        if units:
            prev = text[units[-1][0] : units[-1][1]].rstrip()
            cont = line.lstrip()
            if (
                prev
                and not _TERMINAL.search(prev)
                and not prev.endswith(":")
                and not _BULLET.match(line)
                and (cont[:1].islower() or _WRAPPED_END.search(prev))
            ):
                units[-1] = (units[-1][0], b)
                continue
        units.append((a, b))
    return units


def split_sentences(
    text: str, paragraphs: Sequence[tuple[int, int]] | None = None
) -> list[tuple[int, int, int]]:
    """Split ``text`` into sentences: ``(start, end, paragraph index)``, exact and stripped.

    ``paragraphs`` are ``Article.paragraphs``; left out, they are derived from blank lines.
    Spans are ordered, never overlap, never cross a paragraph, and
    ``text[start:end] == text[start:end].strip()``.

    >>> split_sentences("Key points:\\n• Rates rise.\\n\\nHe left.")
    [(0, 11, 0), (12, 25, 0), (27, 35, 1)]
    """
    if paragraphs is None:
        paragraphs = paragraph_offsets(text)
    out: list[tuple[int, int, int]] = []
    for index, (p_start, p_end) in enumerate(paragraphs):
        for u_start, u_end in _line_units(text, p_start, p_end):
            # newlines left inside a joined unit would be hard breaks to pysbd; spaces keep offsets
            chunk = text[u_start:u_end].replace("\n", " ")
            for a, b in _fix_cuts(chunk, _pysbd_starts(chunk)):
                out.append((u_start + a, u_start + b, index))
    return out
