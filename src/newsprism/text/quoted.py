"""Where an article quotes someone: the stretches of text between quotation marks.

Words inside quotation marks belong to the speaker, not the outlet, so framing reads only the
outlet's own words. The rule is simple and robust: within each paragraph, “curly” marks pair as
they open and close, straight double quotes alternate open/close; a quote left open at the end of
a paragraph runs to the paragraph's end (news style for a quote that continues into the next
paragraph). Single quotes count only as ‘curly’ pairs that stand outside double quotes (a
headline-style quote); a lone ’ is an apostrophe.

>>> text = 'He called it "a mess," she said. “We will fix it,” the mayor said.'
>>> [text[s:e] for s, e in quoted_regions(text)]
['"a mess,"', '“We will fix it,”']
>>> regions = QuotedRegions(quoted_regions(text))
>>> regions.contains(text.index("mess"), text.index("mess") + 4), regions.contains(0, 2)
(True, False)
>>> [t[s:e] for t in ['Para one "runs on\\n\\nNew para.'] for s, e in quoted_regions(t)]
['"runs on']
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

__all__ = ["QuotedRegions", "quoted_regions"]

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]*)*")
_OPEN = "“"
_CLOSE = "”"


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]


def _regions_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    opened: int | None = None
    for i in range(start, end):
        ch = text[i]
        if opened is None:
            if ch == _OPEN or ch == '"':
                opened = i
        elif ch == _CLOSE or (ch == '"' and text[opened] in ('"', _OPEN)):
            out.append((opened, i + 1))
            opened = None
        elif ch == _OPEN:  # a new opening mark before any close: the old quote ran out
            out.append((opened, i))
            opened = i
    if opened is not None:
        out.append((opened, end))
    # ‘single’ curly pairs standing outside every double-quoted region
    for m in re.finditer(r"‘[^‘’\n]{1,200}’(?![A-Za-z])", text[start:end]):
        s, e = start + m.start(), start + m.end()
        if not any(a <= s < b for a, b in out):
            out.append((s, e))
    return sorted(out)


def quoted_regions(text: str, paragraphs: Sequence[tuple[int, int]] | None = None) -> tuple[tuple[int, int], ...]:
    """Character ranges ``(start, end)`` of every quotation in ``text``, marks included."""
    out: list[tuple[int, int]] = []
    for start, end in paragraphs or _paragraphs(text):
        out.extend(_regions_in(text, start, end))
    return tuple(out)


class QuotedRegions:
    """Sorted quote ranges with fast "is this inside a quote?" look-ups."""

    def __init__(self, regions: Sequence[tuple[int, int]]) -> None:
        self.regions = tuple(sorted(regions))
        self._starts = [s for s, _ in self.regions]

    def contains(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` overlaps a quotation."""
        k = bisect.bisect_right(self._starts, start)
        for j in (k - 1, k):
            if 0 <= j < len(self.regions):
                s, e = self.regions[j]
                if s < end and start < e:
                    return True
        # a long span may cover several regions
        k2 = bisect.bisect_left(self._starts, end)
        return k2 > k

    def covered(self, start: int, end: int) -> int:
        """How many characters of ``[start, end)`` lie inside quotations."""
        total = 0
        for s, e in self.regions:
            if e <= start:
                continue
            if s >= end:
                break
            total += min(e, end) - max(s, start)
        return total

    def __len__(self) -> int:
        return len(self.regions)
