"""Word-level differences between a quote as spoken and as one outlet printed it.

Words are compared case-folded, with punctuation and curly/straight quotes ignored, so
only real wording changes show; the output keeps each version's own spelling.

>>> [(t.op, t.text) for t in word_diff("we will rebuild the dam", "We will rebuild this dam!")]
[('same', 'We will rebuild'), ('del', 'the'), ('ins', 'this'), ('same', 'dam!')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

__all__ = ["DiffToken", "word_diff"]

_PUNCT = re.compile(r"[^\w$%]+")


@dataclass(frozen=True, slots=True)
class DiffToken:
    """A run of words: kept (``same``), only in the reference (``del``), only in the variant (``ins``)."""

    op: Literal["same", "del", "ins"]
    text: str


def _key(word: str) -> str:
    return _PUNCT.sub("", word.casefold()) or word


def word_diff(reference: str, variant: str) -> list[DiffToken]:
    """The word runs that ``variant`` keeps, drops and adds relative to ``reference``."""
    a, b = reference.split(), variant.split()
    matcher = SequenceMatcher(a=[_key(w) for w in a], b=[_key(w) for w in b], autojunk=False)
    out: list[DiffToken] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(DiffToken("same", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(DiffToken("del", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(DiffToken("ins", " ".join(b[j1:j2])))
    return out
