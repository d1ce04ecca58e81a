"""Text normalisation for article bodies, and a folding key for matching strings.

``normalize_text`` produces the canonical ``Article.text``: one paragraph per line of the
input, paragraphs separated by exactly one blank line. Typographic quotes and dashes are
kept (they matter to quote analysis); ``match_key`` folds them away for comparisons only.

>>> normalize_text("Caf\\u00e9\\u00a0owners  said\\r\\n\\r\\n\\r\\n\\u201cno.\\u201d\\u200b  ")
'Café owners said\\n\\n“no.”'
>>> match_key("  \\u201cNo\\u201d \\u2014 Said\\u2026 ")
'"no" - said...'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["match_key", "normalize_text"]


# Control (Cc, but not \n \t and the breaks above) and format (Cf: zero-width spaces and
# joiners, soft hyphen, bidi marks, BOM, tags) characters, from Unicode 14 categories.
_REMOVE = re.compile(
    "[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f"
    "\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]+"
)
# Line breaks of every kind become "\n" (tabs become spaces with the other whitespace).
_BREAK_RE = re.compile("\r\n?|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace run except newlines (NBSP, thin spaces, tabs)
_LINES = re.compile(r" ?\n\s*")  # a line break with the spaces and blank lines around it


def normalize_text(raw: str) -> str:
    """Normalise an article body: NFC, one paragraph per line, paragraphs split by ``"\\n\\n"``.

    ``\\r\\n``/``\\r`` and Unicode line separators become newlines; zero-width, format and
    control characters are removed; every whitespace run inside a line (NBSP and tabs
    included) becomes one space; lines are stripped; blank lines are dropped and the
    remaining lines are joined by exactly one blank line. Idempotent.

    >>> normalize_text("  First line\\nSecond\\t\\tline\\n\\n\\n\\n  \\u2022 a bullet \\n")
    'First line\\n\\nSecond line\\n\\n• a bullet'
    >>> normalize_text("\\u200b \\n ")
    ''
    """
    text = _BREAK_RE.sub("\n", raw)
    if not text.isascii() or _has_ascii_controls(text):
        text = _REMOVE.sub("", text)
    text = _SPACES.sub(" ", text).strip(" \n")
    text = _LINES.sub("\n\n", text)
    # Compose last: the removals above can bring a base letter and a combining mark
    # together, so NFC must come after them for the result to be idempotent.
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text


def _has_ascii_controls(text: str) -> bool:
    return _ASCII_CONTROL.search(text) is not None


_ASCII_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")

# Folding table for match_key: quotes and primes to straight, dashes to "-", ellipsis to "...".
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02b9\u00b4\u0060\uff07", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\uff02\u02ba", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2e3a\u2e3b", "-"),
        "\u2026": "...",
    }
)
_WS = re.compile(r"\s+")


def match_key(s: str) -> str:
    """A key for comparing strings: typographic variants folded, spaces collapsed, casefolded.

    Curly quotes, primes and guillemets become ``'``/``"``, every dash becomes ``-``, the
    ellipsis becomes ``...``, whitespace runs become one space (ends stripped), and the
    result is casefolded. For matching only: never store it as article text. Idempotent.

    >>> match_key("The \\u2018Bridge\\u2019  Reopens \\u2013 Again")
    "the 'bridge' reopens - again"
    """
    # casefold first: it can produce characters (U+02BC from U+0149) that the table folds.
    return _WS.sub(" ", s.casefold().translate(_FOLD)).strip()
