"""Publication dates to timezone-aware datetimes; anything unparseable becomes None.

A value with no zone (``2024-12-03``, a naive ISO string) is taken as UTC, so every
``Article.published`` compares with every other.

>>> parse_date("2024-12-03T15:04:00-05:00").isoformat()
'2024-12-03T15:04:00-05:00'
>>> parse_date("Tue, 03 Dec 2024 15:04:00 GMT").isoformat()
'2024-12-03T15:04:00+00:00'
>>> parse_date("2024-12-03").isoformat()
'2024-12-03T00:00:00+00:00'
>>> parse_date("sometime last week") is None
True
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["parse_date"]

_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%B %d, %Y %I:%M %p",
    "%Y-%m-%d %H:%M",
    "%Y%m%d",
)


def parse_date(value: object) -> datetime | None:
    """Parse ISO 8601, RFC 2822, a few written forms, epoch seconds or a ``struct_time``."""
    try:
        dt = _parse(value)
    except (ValueError, TypeError, OverflowError, IndexError):
        return None
    if dt is None or not 1900 <= dt.year <= 2200:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _parse(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, time.struct_time):  # feedparser gives these, already in UTC
        return datetime(*value[:6], tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip()
    try:
        return datetime.fromisoformat(s)
    except ValueError:
        pass
    if re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d", s):
        try:
            return parsedate_to_datetime(s)
        except (ValueError, TypeError):
            pass
    s = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", s)
    for fmt in _FORMATS:
        try:
            return datetime.strptime(s, fmt)
        except ValueError:
            continue
    return None
