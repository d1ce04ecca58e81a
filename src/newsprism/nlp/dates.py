"""Dates and times as written in news, resolved against the article's publication date.

ISO results: a day ``2026-03-03``, a month ``2026-03``, a year ``2026``, a week ``2026-W09``,
a time of day ``15:30``. A weekday means the most recent such day on or before publication
("Tuesday" in a Wednesday article is yesterday); a month and day without a year take the
year that puts them nearest the publication date. Without a publication date only
self-contained dates ("March 3, 2026") resolve.

>>> from datetime import date
>>> pub = date(2026, 3, 4)  # a Wednesday
>>> resolve_date("Tuesday", pub), resolve_date("yesterday", pub), resolve_date("Dec. 3", pub)
('2026-03-03', '2026-03-03', '2025-12-03')
>>> resolve_date("last week", pub), resolve_date("March 3, 2026", None), resolve_date("Tuesday", None)
('2026-W09', '2026-03-03', None)
>>> resolve_time("3:30 p.m."), resolve_time("noon")
('15:30', '12:00')
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from newsprism.nlp.numbers import parse_number
from newsprism.text.words import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS

__all__ = ["DATE_PATTERN", "TIME_PATTERN", "resolve_date", "resolve_time"]

# month name or abbreviation -> month number (an abbreviation begins its month's name)
_MONTHS = {m: n for n, m in enumerate(MONTHS, 1)} | {
    a: next(n for n, m in enumerate(MONTHS, 1) if m.startswith(a)) for a in MONTH_ABBREVIATIONS
}
_WEEKDAYS = {d: n for n, d in enumerate(WEEKDAYS)}

_MONTH = (
    f"(?:{'|'.join(m.capitalize() for m in MONTHS)}"
    f"|(?:{'|'.join(a.capitalize() for a in MONTH_ABBREVIATIONS)})\\.?)"
)
_WEEKDAY = f"(?:{'|'.join(d.capitalize() for d in WEEKDAYS)})"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))"
_UNIT = r"(?:days?|weeks?|months?|years?)"
_COUNT = r"(?i:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|several)"

#: Date expressions this module can resolve (case-sensitive month/weekday names, so "may" the verb is
#: left alone); used by ``newsprism.nlp.quantities`` next to spaCy's DATE entities. Bare years
#: ("in 2019") are matched there, where the span can leave out the preposition.
DATE_PATTERN = (
    rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b(?!\s*(?:%|percent|[-–]\d))"
    rf"|\b{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?\b"
    rf"|\b(?:early|mid|late)?-?{_MONTH}(?:,?\s+|\s+of\s+){_YEAR}\b"
    rf"|\b{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b"
    rf"|\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:\d\d){{1,2}}\b"
    rf"|\b(?:(?i:last|next|this|early|late)\s+)?{_WEEKDAY}{_PART}?\b"
    rf"|\b(?i:yesterday|today|tonight|tomorrow|this\s+(?:morning|afternoon|evening))(?:{_PART})?\b"
    r"|\b(?i:earlier|later)\s+this\s+(?:week|month|year)\b"
    r"|\b(?i:last|next|this|the\s+past)\s+(?:week|month|year|weekend)\b"
    rf"|\b{_COUNT}\s+{_UNIT}\s+ago\b"
)
#: Times of day: 3 p.m., 3:30 p.m., 10:15, noon, midnight.
TIME_PATTERN = (
    r"\b(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b|a\.m\b|p\.m\b)"
    r"|\b(?:[01]?\d|2[0-3]):[0-5]\d\b(?!:\d)"
    r"|\b(?:noon|midnight)\b"
)

_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)$")
_US_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_MONTH_DAY = re.compile(rf"(?:{_WEEKDAY},?\s+)?({_MONTH})\s+({_DAY})(?:,?\s+({_YEAR}))?$", re.I)
_DAY_MONTH = re.compile(rf"({_DAY})\s+({_MONTH})(?:,?\s+({_YEAR}))?$", re.I)
_MONTH_YEAR = re.compile(rf"(?:(?:early|mid|late)-?\s*)?({_MONTH})(?:,?\s+|\s+of\s+)({_YEAR})$", re.I)
_MONTH_ONLY = re.compile(rf"(?:(?:early|mid|late)-?\s*)?({_MONTH})$", re.I)
_YEAR_LEAD = r"(?:in|since|by|until|during|through|before|after|from|of|the|early|late|mid)"
_YEAR_ONLY = re.compile(rf"(?:{_YEAR_LEAD}-?\s+)?({_YEAR})$", re.I)
_MONTH_RELATIVE = re.compile(rf"(?:just\s+)?(last|this\s+past|past|next)\s+({_MONTH})$", re.I)
_WEEKDAY_RE = re.compile(rf"(?:(last|next|this|on|early|late)\s+)?({_WEEKDAY}){_PART}?$", re.I)
_RELATIVE_DAY = re.compile(
    rf"(?:the\s+)?(yesterday|today|tonight|tomorrow|this\s+(?:morning|afternoon|evening)){_PART}?$", re.I
)
_RELATIVE_SPAN = re.compile(r"(?:(last|next|this|earlier\s+this|later\s+this|the\s+past|the\s+last)\s+)"
                            r"(week|month|year|weekend)$", re.I)  # fmt: skip
_AGO = re.compile(rf"({_COUNT})\s+({_UNIT})\s+ago$", re.I)


def _as_date(published: date | datetime | None) -> date | None:
    if published is None:
        return None
    return published.date() if isinstance(published, datetime) else published


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _nearest(pub: date, month: int, day: int) -> date | None:
    """The (year, month, day) nearest ``pub``: "Dec. 3" in a January article is last December."""
    options = [d for y in (pub.year - 1, pub.year, pub.year + 1) if (d := _safe(y, month, day))]
    return min(options, key=lambda d: abs((d - pub).days)) if options else None


def _week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _shift_months(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def resolve_date(text: str, published: date | datetime | None) -> str | None:
    """ISO form of a date expression, or None when it cannot be fixed (see the module doc)."""
    s = re.sub(r"\s+", " ", text.strip().rstrip(",.")).strip()
    s = re.sub(r"^(?:on|in|since|by|until|during|through|before|after|from|of)\s+", "", s, flags=re.I)
    pub = _as_date(published)
    if m := _ISO.match(s):
        d = _safe(int(m[1]), int(m[2]), int(m[3]))
        return d.isoformat() if d else None
    if m := _US_NUMERIC.match(s):
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        d = _safe(year, int(m[1]), int(m[2]))
        return d.isoformat() if d else None
    if (m := _MONTH_DAY.match(s)) or (m := _DAY_MONTH.match(s)):
        month_name, day_text = (m[1], m[2]) if m.re is _MONTH_DAY else (m[2], m[1])
        month, day = _month(month_name), _day(day_text)
        # no year written: the one nearest publication
        found = _safe(int(m[3]), month, day) if m[3] else _nearest(pub, month, day) if pub else None
        return found.isoformat() if found else None
    if m := _MONTH_YEAR.match(s):
        return f"{int(m[2]):04d}-{_month(m[1]):02d}"
    if m := _YEAR_ONLY.match(s):
        return m[1]
    if m := _MONTH_ONLY.match(s):
        if not pub:
            return None
        d = _nearest(pub, _month(m[1]), 1)
        return f"{d.year:04d}-{d.month:02d}" if d else None
    if m := _MONTH_RELATIVE.match(s):
        if not pub:
            return None
        month, ahead = _month(m[2]), m[1].lower() == "next"
        year = (
            pub.year
            + (1 if ahead and month <= pub.month else 0)
            - (1 if not ahead and month > pub.month else 0)
        )
        return f"{year:04d}-{month:02d}"
    if pub is None:
        return None
    if m := _WEEKDAY_RE.match(s):
        target = _WEEKDAYS[m[2].lower()]
        back = (pub.weekday() - target) % 7
        mod = (m[1] or "").lower()
        if mod == "next":
            ahead = (target - pub.weekday()) % 7 or 7
            return (pub + timedelta(days=ahead)).isoformat()
        if mod == "last" and back == 0:
            back = 7
        return (pub - timedelta(days=back)).isoformat()
    if m := _RELATIVE_DAY.match(s):
        word = m[1].lower()
        offset = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        return (pub + timedelta(days=offset)).isoformat()
    if m := _RELATIVE_SPAN.match(s):
        mod, unit = m[1].lower(), m[2].lower()
        step = {"last": -1, "next": 1, "the past": -1, "the last": -1}.get(mod, 0)
        if unit in ("week", "weekend"):
            return _week(pub + timedelta(weeks=step))
        if unit == "month":
            y, mo = _shift_months(pub, step)
            return f"{y:04d}-{mo:02d}"
        return f"{pub.year + step:04d}"
    if m := _AGO.match(s):
        word = m[1].lower()
        count = 1.0 if word in ("a", "an") else None if word in ("a few", "several") else parse_number(word)
        if count is None or count != int(count):
            return None
        n, unit = int(count), m[2].lower().rstrip("s")
        if unit == "day":
            return (pub - timedelta(days=n)).isoformat()
        if unit == "week":
            return (pub - timedelta(weeks=n)).isoformat()
        if unit == "month":
            y, mo = _shift_months(pub, -n)
            return f"{y:04d}-{mo:02d}"
        return f"{pub.year - n:04d}"
    return None


_TIME = re.compile(r"(\d{1,2})(?::(\d\d))?\s*([ap])?\.?\s*m?\.?$", re.I)


def resolve_time(text: str) -> str | None:
    """``HH:MM`` (24-hour) for a time of day as written; None when it is not one."""
    s = text.strip().lower()
    if s == "noon":
        return "12:00"
    if s == "midnight":
        return "00:00"
    m = _TIME.match(s)
    if not m:
        return None
    hour, minute, half = int(m[1]), int(m[2] or 0), m[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    elif not m[2]:
        return None  # a bare number is not a time
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"
