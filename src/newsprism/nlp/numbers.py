"""Numbers as written in news ("1.3 million", "twelve", "a dozen", "two-thirds") turned into floats.

>>> parse_number("1.3 million")
1300000.0
>>> parse_number("twenty-five thousand")
25000.0
>>> parse_number("a dozen")
12.0
>>> round(parse_number("two-thirds"), 4)
0.6667
>>> parse_number("3 1/2")
3.5
>>> parse_number("many") is None
True
>>> parse_ordinal("21st"), parse_ordinal("third")
(21.0, 3.0)
"""

from __future__ import annotations

import re

__all__ = [
    "FRACTION_WORDS",
    "NUMBER_WORDS",
    "NUMERAL",
    "SCALE_WORDS",
    "WORD_NUMBER",
    "is_fraction",
    "parse_number",
    "parse_ordinal",
]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12,
}  # fmt: skip
# denominators of "two-thirds", "a quarter", "three fifths"
_FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
    "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
    "thousandth": 1000, "millionth": 1e6,
}  # fmt: skip

NUMBER_WORDS: frozenset[str] = frozenset(
    {*_UNITS, *_TENS, "hundred", "thousand", "million", "billion", "trillion", "dozen"}
)
SCALE_WORDS: frozenset[str] = frozenset({"hundred", "thousand", "million", "billion", "trillion"})
FRACTION_WORDS: frozenset[str] = frozenset(_FRACTIONS)

_NUM_WORD_ALT = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_FRACTION_ALT = "|".join(sorted(_FRACTIONS, key=len, reverse=True))

#: A written numeral: 1,300 / 1.3 / .5 / 3 1/2 / 1/3, optionally with a scale (1.3 million, 4.8M, 2bn).
NUMERAL = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s+\d/\d{1,2})?(?:/\d{1,3})?"
    r"(?:(?:\s+|-)(?:hundred|thousand|million|billion|trillion)\b|\s?(?:bn|mn|mln|tn|[kMBK])\b)?"
    r"|\.\d+"
)
#: Spelled-out numbers and fractions: twelve, twenty-five thousand, a dozen, two-thirds, half a million.
WORD_NUMBER = (
    rf"(?:(?:a|one|an)\s+)?(?:half|quarter)\s+(?:a\s+)?(?:million|billion|trillion)\b"
    rf"|(?:a|one|two|three|four|five|six|seven|eight|nine|ten)[\s-](?:{_FRACTION_ALT})\b"
    rf"|(?:(?:a|one)\s+)?(?:(?:{_NUM_WORD_ALT})(?:(?:\s+and\s+|[\s-])(?:{_NUM_WORD_ALT}))*|a\s+dozen)\b"
    rf"(?:\s+and\s+a\s+half\b)?"
)

_NUMERIC = re.compile(
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)"
    r"(?:\s+(?P<fn>\d+)/(?P<fd>\d+)|/(?P<den>\d+))?"
    r"\s*-?\s*(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|mln|tn|[kmb])?$",
    re.IGNORECASE,
)


def _words_value(words: list[str]) -> float | None:
    """Value of spelled-out number words (``["twenty", "five", "thousand"]`` -> 25000)."""
    total, current, seen = 0.0, 0.0, False
    for w in words:
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * _SCALES[w]
            current = 0
        elif w in ("a", "an"):
            # "a hundred", "a dozen", "a million": the multiplier supplies the 1 (current or 1);
            # "a six-week closure" is six, not seven
            continue
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_number(text: str) -> float | None:
    """The value of a number as written (digits, words, fractions, scales); None when there is none."""
    s = text.strip().lower().replace("\u2009", " ").replace("\xa0", " ")
    s = re.sub(r"[$€£¥₹]|\b(?:us|c|a|ca|au|nz|hk)\$", "", s).strip()
    if not s:
        return None
    m = _NUMERIC.match(s)
    if m:
        value = float(m.group("num").replace(",", ""))
        if m.group("fn"):
            value += float(m.group("fn")) / float(m.group("fd"))
        elif m.group("den"):
            den = float(m.group("den"))
            if den == 0:
                return None
            value /= den
        if m.group("scale"):
            value *= _SCALES[m.group("scale").lower()]
        return value
    # "half a million", "a quarter million"
    m = re.fullmatch(r"(?:(?:a|one|an)\s+)?(half|quarter)\s+(?:a\s+)?(million|billion|trillion)", s)
    if m:
        return _SCALES[m.group(2)] / _FRACTIONS[m.group(1)]
    # "1.5 dozen" is rare; "two-thirds", "a third", "three quarters"
    m = re.fullmatch(rf"([a-z]+)[\s-]({_FRACTION_ALT})", s)
    if m and (m.group(1) in _UNITS or m.group(1) in ("a", "an")):
        num = 1 if m.group(1) in ("a", "an") else _UNITS[m.group(1)]
        return num / _FRACTIONS[m.group(2)]
    if s in ("half", "a half"):
        return 0.5
    half = s.endswith(" and a half")
    if half:
        s = s[: -len(" and a half")]
    words = [w for w in re.split(r"[\s-]+", s) if w and w != "and"]
    spelled = _words_value(words)
    if spelled is None:
        return None
    return spelled + 0.5 if half else spelled


def is_fraction(text: str) -> bool:
    """True for a spelled-out fraction ("two-thirds", "a quarter", "half").

    >>> is_fraction("two-thirds"), is_fraction("a third"), is_fraction("third")
    (True, True, False)
    """
    s = text.strip().lower()
    return bool(re.fullmatch(rf"(?:[a-z]+[\s-])(?:{_FRACTION_ALT})|half", s))


def parse_ordinal(text: str) -> float | None:
    """The value of an ordinal ("3rd", "21st", "third", "twenty-first"); None otherwise."""
    s = text.strip().lower()
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", s)
    if m:
        return float(m.group(1))
    words = re.split(r"[\s-]+", s)
    if not words or words[-1] not in _ORDINALS:
        return None
    head = _words_value(words[:-1]) if len(words) > 1 else 0.0
    if head is None:
        return None
    last = float(_ORDINALS[words[-1]])
    return head * last if last >= 100 and head else head + last
