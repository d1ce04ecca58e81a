"""Numbers, amounts, votes and dates in a sentence, as comparable values with what they are about.

Each :class:`Value` is one quantity of the annotation (``newsprism.nlp.quantities``) with:

* a *slot kind*: money in one currency, a percentage, a measure in one unit, a vote tally, a bare
  count, a date or a time of day: only values of one slot kind are ever compared;
* an *interval* of what the text allows, so rounding and hedges are tolerated: "1,200" covers
  1,150-1,250 (a round number is read as rounded, never by more than a tenth), "1.3 million"
  1.25-1.4 million (news often cuts 1.38 million to "1.3 million"), "about 1,200" ten per cent
  either way, "more than 5 inches" anything from 5 up, "nearly $5 million" 4.25-5.5 million; a
  day is a day, "March" the whole month, "last week" that ISO week;
* what it is about, from the parse: the noun a count counts ("1,200 *residents*"), and the
  event a date or amount hangs on (the governing verb, its subject and object: "the *crack* was
  *found* Monday").

:func:`same_slot` decides whether two values in two aligned sentences are about the same thing
and :func:`compatible` whether the texts allow one true value for both.

>>> a = Value(0, 0, "about 1,200", "count", 1200.0, None, (1080.0, 1320.0), noun="resident")
>>> b = Value(0, 0, "1,180", "count", 1180.0, None, (1179.5, 1180.5), noun="resident")
>>> compatible(a, b)
True
>>> interval_of_number("1.3 million", 1.3e6), interval_of_number("more than 5", 5.0)
((1250000.0, 1400000.0), (4.5, inf))
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from newsprism.model import Quantity
from newsprism.text.words import LIGHT_VERBS, MODAL_VERBS, MONTHS, SPEECH_VERBS, WEEKDAYS, pick

__all__ = ["Value", "compatible", "interval_of_date", "interval_of_number", "same_slot", "sentence_values"]

_LOWER = re.compile(r"^(?i:more\s+than|over|at\s+least|upwards\s+of|well\s+over|just\s+over|in\s+excess\s+of)\b")
_UPPER = re.compile(r"^(?i:less\s+than|fewer\s+than|under|at\s+most|up\s+to|as\s+many\s+as|as\s+much\s+as|"
                    r"as\s+few\s+as|no\s+more\s+than)\b")
_CLOSE_BELOW = re.compile(r"^(?i:nearly|almost|close\s+to|just\s+under|just\s+shy\s+of|the\s+better\s+part\s+of)\b")
_NUMERAL = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SCALE = re.compile(r"(?i)\b(hundred|thousand|million|billion|trillion|bn|mn|m|k|b)\b")
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9,
           "mn": 1e6, "m": 1e6, "k": 1e3, "b": 1e9}


def _precision(text: str, value: float) -> float:
    """The rounding step of a number as written: "4.8 million" -> 100,000; "1,200" -> 100; "7" -> 1."""
    m = _NUMERAL.search(text)
    if not m:
        return 1.0  # words ("seven", "a dozen"): exact
    digits = m.group(0).replace(",", "")
    scale_m = _SCALE.search(text[m.end():m.end() + 12])
    scale = _SCALES.get(scale_m.group(1).lower(), 1.0) if scale_m else 1.0
    if "." in digits:
        step = 10.0 ** -len(digits.split(".")[1])
    else:
        stripped = digits.rstrip("0")
        zeros = len(digits) - len(stripped) if stripped else 0
        # trailing zeros of a bare number of 100 or more are taken as rounding ("1,200", "430")
        step = 10.0 ** zeros if float(digits or 0) >= 100 and zeros else 1.0
    return step * scale


def interval_of_number(text: str, value: float, value2: float | None = None) -> tuple[float, float]:
    """What a number as written allows: rounding to its last digit, widened by a hedge.

    >>> interval_of_number("nearly $5 million", 5e6)
    (4250000.0, 5500000.0)
    >>> interval_of_number("431", 431.0), interval_of_number("some 430", 430.0)
    ((430.5, 431.5), (387.0, 473.0))
    """
    lo_v, hi_v = (min(value, value2), max(value, value2)) if value2 is not None else (value, value)
    step = _precision(text, value)
    half = step / 2
    body = text.strip()
    mag = max(abs(lo_v), abs(hi_v))
    if _LOWER.match(body):
        return (lo_v - half, math.inf)
    if _UPPER.match(body):
        return (-math.inf if lo_v < 0 else 0.0, hi_v + half)
    if _CLOSE_BELOW.match(body):
        return (lo_v - max(half, 0.15 * mag), hi_v + half)
    if re.match(r"^(?i:about|around|approximately|approx\.|roughly|some|an\s+estimated|estimated|~|"
                r"close\s+to|or\s+so|nearly)", body):
        wide = max(half, 0.1 * mag)
        return (lo_v - wide, hi_v + wide)
    # unhedged: a round number is read as rounded, but never by more than a tenth ("100" is not 140)
    half = min(half, max(0.5, 0.1 * mag)) if step > 1 else half
    if _SCALE.search(body):
        # "$43 million" is often 43.9 million cut short; "$139 million" and "$140,937,785" are one
        # figure counted two ways more often than a contradiction: 3 per cent either way
        slack = 0.03 * mag
        return (lo_v - max(half, slack), hi_v + max(min(step, max(half, 0.1 * mag)), slack))
    return (lo_v - half, hi_v + half)


def _weeks(iso: str) -> tuple[date, date] | None:
    m = re.fullmatch(r"(\d{4})-W(\d\d)", iso)
    if not m:
        return None
    start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
    return start, start + timedelta(days=6)


def interval_of_date(iso: str) -> tuple[date, date] | None:
    """First and last day an ISO date (day, month, year, week, year span) covers.

    >>> interval_of_date("2026-03")
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    >>> interval_of_date("2026-W10")[0], interval_of_date("2019/2020")[1]
    (datetime.date(2026, 3, 2), datetime.date(2020, 12, 31))
    """
    try:
        if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", iso):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := re.fullmatch(r"(\d{4})-(\d\d)", iso):
            first = date(int(m[1]), int(m[2]), 1)
            nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
        if m := re.fullmatch(r"(\d{4})", iso):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
        if m := re.fullmatch(r"(\d{4})/(\d{4})", iso):
            return date(int(m[1]), 1, 1), date(int(m[2]), 12, 31)
        return _weeks(iso)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Value:
    """One comparable quantity of a sentence (offsets into the article text)."""

    start: int
    end: int
    text: str
    slot: str  # "money:USD", "percent:%", "measure:foot", "vote", "count", "date", "time", "weekday"
    value: float | None
    value2: float | None
    interval: tuple[float, float]  # numbers: value range; dates/times: ordinal day / minute range
    noun: str | None = None  # what a count counts (lemma)
    verb: str | None = None  # the governing verb (lemma, synonyms folded: "spotted", "turned up" -> find)
    subject: str | None = None  # the verb's subject (lemma)
    proper_subject: bool = False  # the subject is a name ("Bush", "Murray")
    obj: str | None = None  # the verb's object (lemma)
    person: str | None = None  # an age: whose
    objects: frozenset[str] = frozenset()  # the verb's object and "on/for" phrases (lemmas)
    when: tuple[float, float] | None = None  # numbers: the days of a date on the same verb
    grain: str = ""  # dates: day | week | month | year; times: time
    explicit_year: bool = True  # dates: a year is written (else resolved from the publication date)
    relative: bool = False  # dates: "Monday", "yesterday", "last week": resolved from publication
    weekday: str | None = None  # dates written as a weekday
    published: int | None = None  # ordinal day the article was published
    tense: str | None = None  # "past" | "future" of the governing verb, when the text says

    @property
    def display(self) -> str:
        return self.text.strip()


# a value dated by one of these dates a statement, not the event: plain verbs of saying, and "comment" and
# "according" (the head of "according to"), which SPEECH_VERBS lacks
_SAY_VERBS = pick(SPEECH_VERBS, "say tell add note report state write explain") | {"comment", "according"}
# lemmas too general to tie two values to one event: light verbs, verbs of saying and a few more; the
# words left out ("let", "seem", "become"; "write", "comment", "explain") are not in the list this
# reader was tuned with
_GENERIC_VERBS = ((LIGHT_VERBS - {"let", "seem", "become"}) | (_SAY_VERBS - {"write", "comment", "explain"})
                  | {"expect", "see", "put"})
_PERSON_NOUNS = frozenset("people person resident individual citizen inhabitant civilian villager".split())
_HOME_NOUNS = frozenset("home house household residence dwelling".split())
_COUNT_SKIP_NOUNS = frozenset("""time times year years day days week weeks month months hour hours minute minutes
    percent point points cent cents""".split())


def _noun_group(lemma: str | None) -> str | None:
    if lemma is None:
        return None
    if lemma in _PERSON_NOUNS:
        return "people"
    if lemma in _HOME_NOUNS:
        return "home"
    return lemma


# news verbs that name one event in different words
_VERB_CLASSES = {
    "find": "find discover spot detect uncover notice identify locate turn_up",
    "approve": "approve pass adopt authorize okay enact",
    "announce": "announce unveil reveal disclose",
    "resign": "resign quit step_down",
    "start": "start begin launch open",
    "end": "end finish conclude complete wrap_up wrap",
    "arrest": "arrest detain apprehend",
    "kill": "kill slay murder",
    "die": "die pass_away",
    "evacuate": "evacuate flee leave",
    "spend": "spend commit allocate earmark appropriate",
    "sign": "sign ink",
    "file": "file submit lodge",
    "hold": "hold host stage",
}
_VERB_CLASS = {w: k for k, ws in _VERB_CLASSES.items() for w in ws.split()}
_TIME_WORDS = frozenset("night morning afternoon evening day week month year weekend".split())
_MODIFIER_DEPS = ("compound", "nmod", "amod", "poss", "nummod")


def _verb_lemma(tok: Any) -> str:
    lemma = tok.lemma_.lower()
    prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
    if prt and f"{lemma}_{prt}" in _VERB_CLASS:
        return _VERB_CLASS[f"{lemma}_{prt}"]
    return _VERB_CLASS.get(lemma, lemma)


# the future auxiliaries, the clitic "'ll", and the "wo" of "won't" as spaCy splits it
_FUTURE_AUX = pick(MODAL_VERBS, "will would shall") | {"'ll", "wo"}


def _tense(verb: Any) -> str | None:
    """"past" or "future" when the verb group says so ("will meet", "is set to", "plans to")."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE_AUX for a in auxes):
        return "future"
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_.lower() in ("plan", "set", "expect", "schedule", "go", "intend"):
        return "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    return None


def _context(doc: Any, start: int, end: int, *, is_date: bool = False) -> dict[str, Any]:
    """What a quantity at ``start:end`` is about, read from the parse."""
    span = doc.char_span(start, end, alignment_mode="expand")
    out: dict[str, Any] = {"noun": None, "verb": None, "subject": None, "obj": None, "person": None,
                           "objects": frozenset(), "tense": None, "proper_subject": False}
    if span is None or len(span) == 0:
        return out
    inside = {t.i for t in span}
    root = span.root
    if is_date and root.dep_ in _MODIFIER_DEPS and root.head.pos_ in ("NOUN", "PROPN") and root.head.i not in inside:
        out["noun"] = root.head.lemma_.lower()  # "the 2015 agreement": a date of the thing, not of the event
        return out
    # the noun it counts: the head noun of its phrase, or an "of" phrase ("45 percent of voters")
    noun = None
    if root.head.i not in inside and root.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "npadvmod",
                                                    "dep", "appos") and root.head.pos_ in ("NOUN", "PROPN"):
        noun = root.head
    if noun is None:
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and pobj.pos_ in ("NOUN", "PROPN"):
                    noun = pobj
                    break
    if noun is not None and noun.ent_type_ == "PERSON" and root.dep_ in ("appos", "npadvmod", "amod", "nummod"):
        out["person"] = noun.text.lower()
        noun = None
    if noun is not None and noun.i not in inside and (noun.pos_ == "NOUN" or noun.ent_type_ == "NORP"):
        out["noun"] = noun.lemma_.lower()
    # the event it hangs on: the nearest verb above it
    head = root
    chain = {root.i}
    for _ in range(4):
        if head.head.i == head.i:
            break
        head = head.head
        chain.add(head.i)
        if head.pos_ in ("VERB", "AUX"):
            break
    if head.pos_ in ("VERB", "AUX") and head.i not in inside:
        out["verb"] = _verb_lemma(head)
        out["tense"] = _tense(head)
        objects: set[str] = set()
        for child in head.children:
            if child.i in inside or child.i in chain:
                continue  # the value's own phrase ("an $8.4 million fix") is not another object
            if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ in ("NOUN", "PROPN"):
                out["subject"] = child.lemma_.lower()
                out["proper_subject"] = child.pos_ == "PROPN"
            elif child.dep_ == "dobj" and child.pos_ in ("NOUN", "PROPN") and not child.ent_type_:
                out["obj"] = child.lemma_.lower()
                objects.add(child.lemma_.lower())
            elif child.dep_ == "prep" and child.lower_ in ("on", "for", "from"):
                # what it was spent on or earned from ("for advising", "from book sales")
                objects.update(c.lemma_.lower() for c in child.children
                               if c.dep_ in ("pobj", "pcomp") and c.pos_ in ("NOUN", "PROPN", "VERB")
                               and c.i not in inside and c.ent_type_ not in ("DATE", "TIME", "CARDINAL")
                               and c.lower_ not in _TIME_WORDS)
        out["objects"] = frozenset(objects)
    elif head.pos_ == "NOUN" and head.i not in inside and out["noun"] is None:
        out["noun"] = head.lemma_.lower()
    return out


_WEEKDAY_ONLY = re.compile(rf"(?i)^(?:on\s+)?({'|'.join(WEEKDAYS)})$")
_LATE = re.compile(r"(?i)\b(?:night|overnight|late|evening)\b")
_EARLY = re.compile(r"(?i)\b(?:early|overnight)\b")


def _slot(q: Quantity) -> str | None:
    if q.kind == "money":
        return f"money:{q.unit or 'USD'}"
    if q.kind == "percent":
        return f"percent:{q.unit or '%'}"
    if q.kind == "quantity":
        return f"measure:{q.unit}" if q.unit else None
    if q.kind == "score":
        return "vote"
    if q.kind == "cardinal":
        return "fraction" if q.unit == "fraction" else "count"
    if q.kind in ("date", "time"):
        return q.kind
    return None


_ABSOLUTE_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
# a month's first three letters begin every way of writing it ("Sept.", "September")
_MONTH_WORD = re.compile(rf"(?i)\b(?:{'|'.join(m[:3] for m in MONTHS)})[a-z]*\.?\b")
_WEEKDAY_WORD = re.compile(rf"(?i)\b({'|'.join(WEEKDAYS)})\b")


_UNANIMOUS = re.compile(r"(?i)\bunanimous(?:ly)?\b")
_NOT_QUITE = re.compile(r"(?i)\b(?:not|nearly|near|almost|less\s+than)[\s-]*$")


def _grain(iso: str) -> str:
    if re.fullmatch(r"\d{4}-\d\d-\d\d", iso):
        return "day"
    if "W" in iso:
        return "week"
    if re.fullmatch(r"\d{4}-\d\d", iso):
        return "month"
    return "year"


def sentence_values(doc: Any, quantities: Sequence[Quantity], start: int, end: int,
                    published: date | None = None, *, text: str | None = None) -> list[Value]:
    """The comparable values among ``quantities`` that lie in ``[start, end)``.

    ``published`` (the article's publication day) lets relative dates ("Monday") be compared with
    care: two articles published on different days may resolve one weekday to different dates.
    ``text`` is the article's text (``doc.text``, which spaCy rebuilds from every token on each
    call: a caller reading every sentence of an article passes it, issue 17).
    """
    pub = published.toordinal() if published is not None else None
    out: list[Value] = []
    for q in quantities:
        if not (start <= q.start and q.end <= end):
            continue
        slot = _slot(q)
        if slot is None:
            continue
        is_date = slot in ("date", "time")
        ctx = _context(doc, q.start, q.end, is_date=is_date) if doc is not None else {}
        if is_date:
            interval: tuple[float, float] | None = None
            grain = "time"
            text = q.text
            if slot == "date" and q.iso:
                days = interval_of_date(q.iso)
                if days is not None:
                    # "Tuesday night" may be early Wednesday; "early Wednesday" late Tuesday
                    after = 1 if _LATE.search(q.text) or q.approximate else 0
                    before = 1 if _EARLY.search(q.text) or q.approximate else 0
                    interval = (float(days[0].toordinal() - before), float(days[1].toordinal() + after))
                    grain = _grain(q.iso)
            elif slot == "time" and q.iso and re.fullmatch(r"\d\d:\d\d", q.iso):
                minutes = int(q.iso[:2]) * 60 + int(q.iso[3:])
                pad = 90 if q.approximate else 45
                interval = (minutes - pad, minutes + pad)
            weekday_m = _WEEKDAY_WORD.search(text) if slot == "date" else None
            if interval is None:
                m = _WEEKDAY_ONLY.match(text.strip())
                if slot == "date" and m:  # a weekday with no publication date to fix it
                    slot, grain = "weekday", "day"
                    interval = (float(_weekday(m.group(1))), float(_weekday(m.group(1))))
                else:
                    continue
            explicit_year = bool(_ABSOLUTE_YEAR.search(text))
            relative = not explicit_year and not _MONTH_WORD.search(text)
            weekday = weekday_m.group(1).lower() if weekday_m and not _MONTH_WORD.search(text) else None
            out.append(Value(q.start, q.end, q.text, slot, None, None, interval, grain=grain,
                             explicit_year=explicit_year, relative=relative, weekday=weekday, published=pub,
                             **ctx))
            continue
        if q.value is None:
            continue
        if slot == "vote":
            a, b = sorted((q.value, q.value2 or 0.0), reverse=True)
            out.append(Value(q.start, q.end, q.text, slot, a, b, (a, b), **ctx))
            continue
        if slot == "count":
            if ctx.get("person") is not None:
                slot = "age"
            elif ctx.get("noun") is None or ctx.get("noun") in _COUNT_SKIP_NOUNS:
                continue  # a bare number: nothing says what it counts
            elif re.fullmatch(r"(?:1[89]|20)\d\d", q.text.strip()):
                continue  # "a 2023 inspection": a year, not a count
        if slot == "measure:year" and ctx.get("noun") is None and ctx.get("verb") is None:
            continue
        interval = interval_of_number(q.text, q.value, q.value2)
        out.append(Value(q.start, q.end, q.text, slot, q.value, q.value2, interval, **ctx))
    # "unanimously": a tally with nobody against
    if doc is not None:
        text = text if text is not None else str(doc.text)
        for m in _UNANIMOUS.finditer(text, start, end):
            if _NOT_QUITE.search(text[max(start, m.start() - 12):m.start()]):
                continue
            ctx = _context(doc, m.start(), m.end())
            out.append(Value(m.start(), m.end(), m.group(0), "vote", None, 0.0, (0.0, 0.0), **ctx))
    # a number's time frame: a date on the same verb ("six arrests Wednesday" vs "47 overnight")
    dates = [v for v in out if v.slot == "date" and v.verb]
    framed = []
    for v in out:
        if v.slot not in ("date", "time", "weekday") and v.verb:
            when = next((d.interval for d in dates if d.verb == v.verb), None)
            if when is not None:
                v = replace(v, when=when)
        framed.append(v)
    return framed


def _weekday(name: str) -> int:
    return WEEKDAYS.index(name.lower())


def compatible(a: Value, b: Value) -> bool:
    """Whether one true value can satisfy both texts (intervals overlap; tallies equal).

    Dates are read with care: one weekday name in two articles is the same day (publication dates
    are often a day off, and "Friday" may be last or next Friday); a date written without a year
    is compared with a dated one on month and day only; two relative dates ("Monday", "last
    week") from articles published on different days get that many days of slack.
    """
    if a.slot == "vote":
        if a.value is None or b.value is None:  # "unanimously" against a tally: nobody against?
            return a.value2 == b.value2
        return (a.value, a.value2) == (b.value, b.value2)
    if a.slot == "date" and b.slot == "date":
        if a.weekday and a.weekday == b.weekday:
            return True
        if a.explicit_year != b.explicit_year and a.grain in ("day", "month") and b.grain in ("day", "month"):
            return _same_month_day(a, b)
        if a.relative and b.relative and a.published is not None and b.published is not None:
            slack = min(2, abs(a.published - b.published))
            return _overlap((a.interval[0] - slack, a.interval[1] + slack), b.interval)
    return _overlap(a.interval, b.interval)


def _overlap(x: tuple[float, float], y: tuple[float, float]) -> bool:
    lo, hi = max(x[0], y[0]), min(x[1], y[1])
    return hi >= lo or abs(hi - lo) <= 1e-9 * max(1.0, abs(lo))


def _same_month_day(a: Value, b: Value) -> bool:
    da, db = date.fromordinal(int(a.interval[0])), date.fromordinal(int(b.interval[0]))
    if a.grain == "month" or b.grain == "month":
        return da.month == db.month
    return (da.month, da.day) == (db.month, db.day)


_GRAIN_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def _comparable_grains(a: Value, b: Value) -> bool:
    """A day against a day, a week or a month; a year only against a written year: "last year" and
    "Tuesday" are not two answers to one question."""
    if a.slot != "date":
        return True
    ga, gb = _GRAIN_RANK.get(a.grain, 0), _GRAIN_RANK.get(b.grain, 0)
    if max(ga, gb) == 3:
        return a.explicit_year and b.explicit_year
    # "last week" against "March 3": too loose to call
    return not (a.relative != b.relative and max(ga, gb) >= 1)


#: alignment (same-claim probability) from which two sentences count as stating one fact, and from
#: which that holds even when the values hang on different verbs ("spend $4.8 million" / "rushed
#: through an $8.4 million fix")
STRONG, VERY_STRONG = 0.75, 0.9


def _event_match(a: Value, b: Value, alignment: float) -> bool:
    if a.verb and a.verb == b.verb and a.verb not in _GENERIC_VERBS:
        return True
    if a.noun and a.noun == b.noun:
        return True
    if a.slot in ("date", "time", "weekday") and ((a.noun and a.noun == b.verb) or (b.noun and b.noun == a.verb)):
        return True  # "the council's March 3 vote" ~ "voted Tuesday"
    if a.subject and a.subject == b.subject:
        return alignment >= STRONG or bool(a.objects & b.objects)
    return False


def _different_verbs(a: Value, b: Value) -> bool:
    return bool(a.verb and b.verb and a.verb != b.verb and not ({a.verb, b.verb} & _GENERIC_VERBS))


def _by_position(a: Value, b: Value, unique: bool, alignment: float) -> bool:
    """The only value of its kind in each of two closely aligned sentences: the same slot."""
    return unique and alignment >= (VERY_STRONG if _different_verbs(a, b) else STRONG)


def same_slot(a: Value, b: Value, *, unique: bool, alignment: float) -> bool:
    """Whether ``a`` and ``b`` (in two aligned sentences) state the same thing.

    ``unique``: each is the only value of its slot kind in its sentence; ``alignment``: how surely
    the two sentences state one fact (the aligner's probability). Counts need the same counted
    noun (and the same event when both name one); ages the same person; dates and amounts the
    same event (verb, or subject and object), or to be the only one of their kind in two closely
    aligned sentences. Values on the same verb with different objects ("spent $5,150 on capes" /
    "$313 on toys"), at different times, in different tenses, or done by differently named doers
    ("the couple paid 31.55 percent" / "Bush paid 36 percent") are different things.
    """
    if a.slot != b.slot:
        return False
    if a.slot == "age":
        return a.person is not None and a.person == b.person
    if a.tense and b.tense and a.tense != b.tense:
        return False  # "met last month" / "will meet Friday": two events
    if a.objects and b.objects and not (a.objects & b.objects):
        return False
    if a.when is not None and b.when is not None and not _overlap(a.when, b.when):
        return False
    if a.subject and b.subject and a.subject != b.subject and (a.proper_subject or b.proper_subject):
        return False  # "Murray announced Saturday" / "Inslee announced Monday": two events
    if a.slot in ("count", "fraction"):
        na, nb = _noun_group(a.noun), _noun_group(b.noun)
        if na is None or nb is None or na != nb:
            return False
        # "12 people were killed" vs "15 people were injured": a different event is a different count
        return a.verb == b.verb or _by_position(a, b, unique, alignment)
    if a.slot in ("date", "time", "weekday"):
        said_a, said_b = a.verb in _SAY_VERBS, b.verb in _SAY_VERBS
        if said_a or said_b:
            # when something was said is not what was said, unless both date one statement
            return said_a and said_b and alignment >= STRONG
        if not _comparable_grains(a, b):
            return False
        if (a.relative or b.relative) and a.published is not None and b.published is not None \
                and abs(a.published - b.published) >= 2:
            return False  # "met Sunday" (Dec. 9) / "met Thursday" (Dec. 13): the story has moved on
        return _event_match(a, b, alignment) or (not (a.noun or b.noun) and _by_position(a, b, unique, alignment))
    # money, percentages, measures, votes
    if a.noun and b.noun and _noun_group(a.noun) == _noun_group(b.noun):
        # "21 percent of voters back X" / "4 percent of voters cite Y": the same noun, two questions
        return not _different_verbs(a, b) or _by_position(a, b, unique, alignment)
    if _event_match(a, b, alignment):
        return True
    return (unique and a.slot == "vote") or _by_position(a, b, unique, alignment)
