"""Numbers, amounts, votes, dates and times in an article, normalised to values.

Regexes find what news writes most ("$4.8 million", "45 percent", "a 7-2 vote", "12 inches",
"Dec. 3") and fix the value exactly; spaCy's numeric and date entities fill the gaps they leave
("dozens", "the summer"). Spans are exact offsets into the text; a hedge before the number
("about", "more than") is part of the span and sets ``approximate``.

>>> [(q.text, q.kind, q.value, q.unit) for q in extract_quantities("It cost $4.8 million, about 45% more.")]
[('$4.8 million', 'money', 4800000.0, 'USD'), ('about 45%', 'percent', 45.0, '%')]
>>> q, = extract_quantities("The council voted 7-2 to approve it.")
>>> q.kind, q.value, q.value2
('score', 7.0, 2.0)
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from newsprism.model import Quantity
from newsprism.nlp.dates import DATE_PATTERN, TIME_PATTERN, resolve_date, resolve_time
from newsprism.nlp.numbers import NUMERAL, WORD_NUMBER, is_fraction, parse_number, parse_ordinal

__all__ = ["NUMERIC_LABELS", "extract_quantities"]

#: spaCy entity labels that become Quantities.
NUMERIC_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "DATE", "TIME"})

_HEDGE = (
    r"(?i:about|around|approximately|approx\.|nearly|almost|roughly|some|over|under|"
    r"more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|up\s+to|upwards\s+of|close\s+to|"
    r"an\s+estimated|estimated|as\s+many\s+as|as\s+much\s+as|as\s+few\s+as|just\s+over|just\s+under|"
    r"well\s+over|just\s+shy\s+of|the\s+better\s+part\s+of)"
)
_HEDGED = re.compile(rf"^(?:{_HEDGE}\s+|~\s*)", re.I)
_HEDGE_BEFORE = re.compile(rf"(?:(?<![\w.])(?:{_HEDGE})\s+|~\s*)$", re.I)

_NUM = rf"(?:{NUMERAL}|(?i:{WORD_NUMBER}))"
# "10-20", "10 to 20", and "between 10 and 20" (``and`` only after ``between``: "€5 and £3" is two)
_BETWEEN = r"(?:(?P<between>(?i:between))\s+)?"
_RANGE = r"(?(between)\s+and\s+|\s*(?:-|–|—|to)\s*)"
_LEFT = r"(?<![\w$€£¥₹#/.,-])"  # not glued to a word, an identifier (F-35) or a currency sign
_RIGHT = r"(?![\w%]|[.,]\d)"

# unit words -> canonical unit string
_UNITS: dict[str, str] = {}
for _canon, _forms in {
    "mile": "miles mile mi",
    "foot": "feet foot ft",
    "inch": "inches inch",
    "yard": "yards yard yd",
    "meter": "meters meter metres metre",
    "kilometer": "kilometers kilometer kilometres kilometre km",
    "centimeter": "centimeters centimeter centimetres centimetre cm",
    "millimeter": "millimeters millimeter millimetres millimetre mm",
    "kilogram": "kilograms kilogram kilos kilo kg",
    "gram": "grams gram",
    "pound": "pounds pound lbs lb",
    "ounce": "ounces ounce oz",
    "ton": "tons ton",
    "tonne": "tonnes tonne",
    "gallon": "gallons gallon",
    "liter": "liters liter litres litre",
    "barrel": "barrels barrel",
    "acre": "acres acre",
    "hectare": "hectares hectare",
    "square foot": "square feet|square foot|sq. ft.|sq ft",
    "square mile": "square miles|square mile|sq. mi.",
    "square kilometer": "square kilometers|square kilometres|sq km",
    "degree F": "degrees Fahrenheit|degrees F|°F",
    "degree C": "degrees Celsius|degrees C|°C",
    "degree": "degrees degree",
    "mph": "mph miles-per-hour",
    "km/h": "km/h kph",
    "knot": "knots knot",
    "megawatt": "megawatts megawatt MW",
    "kilowatt-hour": "kilowatt-hours kilowatt-hour kWh",
    "second": "seconds",
    "minute": "minutes minute",
    "hour": "hours hour",
    "day": "days day",
    "week": "weeks week",
    "month": "months month",
    "year": "years year",
    "decade": "decades decade",
    "century": "centuries century",
}.items():
    for _form in _forms.split("|") if "|" in _forms else _forms.split():
        _UNITS[_form.lower()] = _canon
_UNIT_ALT = "|".join(re.escape(u).replace(r"\ ", r"\s+") for u in sorted(_UNITS, key=len, reverse=True))

_CURRENCY_SIGNS = {
    "us$": "USD", "$": "USD", "c$": "CAD", "ca$": "CAD", "a$": "AUD", "au$": "AUD", "nz$": "NZD",
    "hk$": "HKD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR",
}  # fmt: skip
_CURRENCY_WORDS = {
    "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP",
    "yen": "JPY", "yuan": "CNY", "rupees": "INR", "pesos": "MXN", "cents": "USD",
}  # fmt: skip
_SIGN = r"(?:US\$|C\$|CA\$|A\$|AU\$|NZ\$|HK\$|[$€£¥₹])"
_CUR_WORD = r"(?:U\.S\.\s+)?(?:dollars?|euros?|pounds\s+sterling|yen|yuan|rupees|pesos|cents)"

_SCORE_BEFORE = re.compile(
    r"(?i:\b(?:vot(?:e|ed|es|ing)|passed|approved|rejected|adopted|defeated|won|wins|winning|lost|loses|"
    r"losing|beat|beating|edged|routed|trounced|score|scored|tally|margin|ruled|ruling|decision|split|"
    r"record|lead|led|trail(?:ed|ing)?|fell|finished|final|by\s+an?)\b)[^.;:!?]{0,25}$"
)
_SCORE_AFTER = re.compile(
    r"^[\s-]*(?i:vote|votes|decision|ruling|win|victory|loss|defeat|margin|majority|split|tally|count|"
    r"lead|record|score|verdict)\b"
)
_YEARISH = re.compile(r"^(?:1[89]|20)\d\d$")
_ID_BEFORE = re.compile(
    r"(?i:\b(?:no|nos|#|route|rte|highway|hwy|interstate|room|rm|ward|district|precinct|section|sec|art|"
    r"article|chapter|ch|page|p|pp|vol|volume|flight|apt|apartment|suite|unit|box|channel|exit|gate|"
    r"platform|pier|building|bldg|grade|level|phase|title|bill|h\.r|s|proposition|prop|measure|"
    r"item|question|act|boeing|airbus|model|version|iphone)\.?\s*)$"
)


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    kind: str
    value: float | None = None
    value2: float | None = None
    unit: str | None = None
    iso: str | None = None
    approximate: bool = False
    priority: int = 0


_Handler = Callable[[re.Match[str], str, date | None], _Found | None]


def _num(text: str | None) -> float | None:
    return parse_number(text) if text else None


def _span(m: re.Match[str]) -> tuple[int, int, bool]:
    """Span of the match's ``q`` group (or the whole match) and whether it starts with a hedge."""
    start, end = m.span("q") if "q" in m.re.groupindex and m.group("q") is not None else m.span()
    hedge = m.groupdict().get("hedge")
    return start, end, bool(hedge)


def _money(m: re.Match[str], text: str, pub: date | None) -> _Found | None:
    start, end, approx = _span(m)
    groups = m.groupdict()
    sign = (groups.get("sign") or "").lower()
    word = re.sub(r"^u\.s\.\s+", "", (groups.get("word") or "").lower())
    word = re.sub(r"\s+", " ", word)
    unit = _CURRENCY_SIGNS.get(sign) or _CURRENCY_WORDS.get(word) or "USD"
    value, value2 = _num(m.group("a")), _num(m.group("b"))
    if word == "cents":
        value = value / 100 if value is not None else None
        value2 = value2 / 100 if value2 is not None else None
    if value is None:
        return None
    if value2 is not None and value2 > value and re.fullmatch(r"[\d.,]+", m.group("a")):
        # "$4 to 5 million": the scale written once, after the second number, applies to both
        scale = re.search(r"(hundred|thousand|million|billion|trillion|bn|mn|[kKMB])\s*$", m.group("b"))
        if scale:
            value = parse_number(f"{m.group('a')} {scale.group(1)}") or value
    return _Found(start, end, "money", value, value2, unit, approximate=approx, priority=6)


def _percent(m: re.Match[str], text: str, pub: date | None) -> _Found | None:
    start, end, approx = _span(m)
    value = _num(m.group("a"))
    if value is None:
        return None
    unit = "percentage point" if re.search(r"point", m.group("pct"), re.I) else "%"
    return _Found(start, end, "percent", value, _num(m.group("b")), unit, approximate=approx, priority=6)


def _score(m: re.Match[str], text: str, pub: date | None) -> _Found | None:
    start, end = m.span()
    before, after = text[max(0, start - 40) : start], text[end : end + 20]
    if not (_SCORE_BEFORE.search(before) or _SCORE_AFTER.match(after)):
        return None
    if " to " in m.group(0) and int(m.group("a")) < int(m.group("b")):
        return None  # "5 to 12" rising is a range; a tally "5 to 4" puts the larger side first
    return _Found(start, end, "score", float(m.group("a")), float(m.group("b")), priority=7)


def _quantity(m: re.Match[str], text: str, pub: date | None) -> _Found | None:
    start, end, approx = _span(m)
    value = _num(m.group("a"))
    if value is None:
        return None
    unit = _UNITS.get(re.sub(r"\s+", " ", m.group("unit")).lower())
    if unit is None:
        unit = _UNITS.get(re.sub(r"\s+", " ", m.group("unit")))
    return _Found(start, end, "quantity", value, _num(m.group("b")), unit, approximate=approx, priority=5)


def _date(m: re.Match[str], text: str, pub: date | None) -> _Found | None:
    start, end = m.span("q") if "q" in m.re.groupindex else m.span()
    iso = resolve_date(text[start:end], pub)
    return _Found(start, end, "date", iso=iso, priority=8)


def _year(m: re.Match[str], text: str, pub: date | None) -> _Found | None:
    start, end = m.span("q")
    return _Found(start, end, "date", float(m.group("q")), iso=m.group("q"), priority=8)


def _time(m: re.Match[str], text: str, pub: date | None) -> _Found | None:
    start, end = m.span()
    return _Found(start, end, "time", iso=resolve_time(m.group(0)), priority=8)


def _ordinal(m: re.Match[str], text: str, pub: date | None) -> _Found | None:
    start, end = m.span()
    return _Found(start, end, "ordinal", parse_ordinal(m.group(0)), priority=3)


def _cardinal(m: re.Match[str], text: str, pub: date | None) -> _Found | None:
    start, end, approx = _span(m)
    a = m.group("a")
    if re.fullmatch(r"(?i:one|a|an)", a.strip()) and not m.group("b"):
        return None  # "one of the", "no one": not a count worth comparing
    b = m.group("b")
    if _YEARISH.match(a) and not b and not approx:
        return None  # a bare year: spaCy's DATE/CARDINAL decides
    if b and _YEARISH.match(a) and _YEARISH.match(b):
        # "2019-2020": a span of years, written as an ISO 8601 interval
        return _Found(start, end, "date", float(a), float(b), iso=f"{a}/{b}", priority=2)
    num_start = m.start("a")
    if a[0].isdigit() and _ID_BEFORE.search(text[max(0, num_start - 16) : num_start]):
        return None  # No. 5, Route 66, H.R. 2231: identifiers, not amounts
    value = parse_number(a)
    if value is None:
        return None
    unit = "fraction" if is_fraction(a) else None
    return _Found(start, end, "cardinal", value, _num(b), unit, approximate=approx, priority=2)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_HEDGE_GROUP = rf"{_BETWEEN}(?:(?P<hedge>{_HEDGE}\s+|~\s*))?"

_RULES: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (
        _rx(
            r"(?<![\w.-])(?P<a>\d{1,3})(?:\s?[-–]\s?|\s+to\s+)(?P<b>\d{1,3})"
            r"(?![\d%]|\s*(?:percent|per\s+cent|%)|[\s-]+(?:[a-z]+\s+)?(?:years?|days?|hours?|months?|weeks?|minutes?)\b)"
        ),
        _score,
    ),
    (
        _rx(
            rf"(?P<q>{_HEDGE_GROUP}(?P<sign>{_SIGN})\s?(?P<a>{_NUM})"
            rf"(?:{_RANGE}(?:{_SIGN})?\s?(?P<b>{_NUM}))?)(?:\s+(?P<word>{_CUR_WORD})\b)?"
        ),
        _money,
    ),
    (
        _rx(rf"(?P<q>{_LEFT}{_HEDGE_GROUP}(?P<a>{_NUM})(?:{_RANGE}(?P<b>{_NUM}))?\s+(?P<word>{_CUR_WORD}))\b"),
        _money,
    ),
    (
        _rx(
            rf"(?P<q>{_LEFT}{_HEDGE_GROUP}(?P<a>{_NUM})(?:\s*%?{_RANGE}(?P<b>{_NUM}))?"
            rf"\s*(?P<pct>%|(?i:percent|per\s+cent|percentage\s+points?)\b))"
        ),
        _percent,
    ),
    (_rx(rf"(?:{DATE_PATTERN})"), _date),
    (
        _rx(
            r"\b(?i:in|since|by|until|during|through|before|after|from|of|early|late|mid-?)\s+"
            r"(?P<q>(?:1[89]|20)\d\d)\b(?![-–/]\d|\s*(?:%|percent))"
        ),
        _year,
    ),
    (_rx(rf"(?:{TIME_PATTERN})"), _time),
    (
        _rx(
            rf"(?P<q>{_LEFT}{_HEDGE_GROUP}(?P<a>{_NUM})(?:{_RANGE}(?P<b>{_NUM}))?[\s-]+"
            rf"(?P<unit>{_UNIT_ALT}))(?![\w-]*\w)(?!\s+ago\b)"
        ),
        _quantity,
    ),
    (_rx(r"(?<![\w.])\d+(?:st|nd|rd|th)\b"), _ordinal),
    (_rx(rf"(?P<q>{_LEFT}{_HEDGE_GROUP}(?P<a>{_NUM})(?:{_RANGE}(?P<b>{_NUM}))?){_RIGHT}"), _cardinal),
)


def _regex_candidates(text: str, pub: date | None) -> list[_Found]:
    found: list[_Found] = []
    for pattern, handler in _RULES:
        for m in pattern.finditer(text):
            item = handler(m, text, pub)
            if item is not None and item.end > item.start:
                found.append(item)
    return found


def _entity_candidate(ent: Any, text: str, pub: date | None) -> _Found | None:
    """Normalise one spaCy entity that no regex matched."""
    start, end, label = int(ent.start_char), int(ent.end_char), str(ent.label_)
    # take in a hedge written just before the entity ("about" + "300")
    m = _HEDGE_BEFORE.search(text[max(0, start - 30) : start])
    if m and not _HEDGED.match(text[start:end]):
        start -= len(m.group(0))
    body = text[start:end]
    hm = _HEDGED.match(body)
    approx = bool(hm)
    core = body[hm.end() :] if hm else body
    vague = bool(_VAGUE.search(core))
    if label in ("DATE", "TIME"):
        # "nearly an hour", "a week": spaCy calls durations dates; they are amounts of time
        dm = _DURATION.match(core)
        if dm:
            value = 1.0 if dm.group(1).lower() in ("a", "an") else parse_number(dm.group(1))
            word = dm.group(2).lower()
            unit = _UNITS.get(word) or _UNITS.get(word + "s")
            return _Found(start, end, "quantity", value, unit=unit, approximate=approx, priority=1)
        if label == "TIME":
            return _Found(start, end, "time", iso=resolve_time(core), approximate=approx, priority=1)
        iso = resolve_date(core, pub)
        return _Found(start, end, "date", iso=iso, approximate=approx or vague, priority=1)
    if label == "ORDINAL":
        return _Found(start, end, "ordinal", parse_ordinal(core), priority=1)
    found: _Found | None = None
    if label == "PERCENT":
        number = re.sub(r"(?i)\s*(?:%|percent|per\s+cent)\s*$", "", core)
        found = _Found(start, end, "percent", parse_number(number), unit="%", approximate=approx, priority=1)
    elif label == "MONEY":
        value = parse_number(re.sub(r"(?i)\s*(?:dollars?|euros?|cents)\s*$", "", core))
        currency = "EUR" if re.search(r"(?i)€|euro", core) else "GBP" if "£" in core else "USD"
        found = _Found(start, end, "money", value, unit=currency, approximate=approx or vague, priority=1)
    elif label == "QUANTITY":
        um = re.search(rf"(?i)[\s-]({_UNIT_ALT})$", core)
        measure = _UNITS.get(um.group(1).lower()) if um else None
        value = parse_number(core[: um.start()] if um else core)
        found = _Found(start, end, "quantity", value, unit=measure, approximate=approx or vague, priority=1)
    elif label == "CARDINAL":
        value = parse_number(core)
        unit = "fraction" if is_fraction(core) else None
        found = _Found(start, end, "cardinal", value, unit=unit, approximate=approx or vague, priority=1)
    if found is not None and found.value is None and not vague:
        return None  # spaCy's guess with no number in it ("steelworkers", "a single cent")
    return found


_DURATION = re.compile(
    rf"(?i:(a|an|{NUMERAL}|{WORD_NUMBER})[\s-]+(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?))$"
)
_VAGUE = re.compile(r"(?i)\b(?:dozens|hundreds|thousands|millions|billions|several|a\s+few|many)\b")


class _Taken:
    """Non-overlapping intervals kept sorted, so each overlap test is a binary search."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def overlaps(self, f: _Found) -> bool:
        i = bisect.bisect_right(self._spans, (f.start, f.end))
        before = self._spans[i - 1] if i else None
        after = self._spans[i] if i < len(self._spans) else None
        return bool((before and before[1] > f.start) or (after and after[0] < f.end))

    def add(self, f: _Found) -> None:
        bisect.insort(self._spans, (f.start, f.end))


def extract_quantities(text: str, doc: Any = None, published: date | datetime | None = None) -> list[Quantity]:
    """Quantities in ``text`` (sorted, non-overlapping), from regexes and, when given, ``doc``'s entities.

    ``published`` resolves relative dates ("Tuesday", "last week"); without it their ``iso`` is None.
    """
    pub = published.date() if isinstance(published, datetime) else published
    candidates = _regex_candidates(text, pub)
    # longest first, then the more specific kind: "7-2 vote" is a score, not a range of cardinals
    candidates.sort(key=lambda f: (-(f.end - f.start), -f.priority, f.start))
    chosen: list[_Found] = []
    taken = _Taken()
    for f in candidates:
        if not taken.overlaps(f):
            chosen.append(f)
            taken.add(f)
    if doc is not None:
        for ent in _entities(doc):
            extra = _entity_candidate(ent, text, pub)
            if extra is not None and not taken.overlaps(extra):
                chosen.append(extra)
                taken.add(extra)
    chosen.sort(key=lambda f: f.start)
    return [
        Quantity(
            start=f.start,
            end=f.end,
            text=text[f.start : f.end],
            kind=f.kind,
            value=f.value,
            value2=f.value2,
            unit=f.unit,
            iso=f.iso,
            approximate=f.approximate,
        )
        for f in chosen
    ]


def _entities(doc: Any) -> Iterable[Any]:
    return (e for e in doc.ents if e.label_ in NUMERIC_LABELS)
