"""Sentence-level helpers for the neutral brief: light cleaning and the wording features that decide
which of a claim's sentences reads best on its own.

Cleaning never rewrites words: it only cuts a prefix that makes no sense out of its article (a
dateline such as ``BRENMOOR (NPS) —``, a leading "But"/"And", a short section label such as
``Why it matters:``) and capitalises the new first letter, so the cleaned text stays the text of a
Span (``start`` moves forward; only the first letter's case may differ).

>>> clean_prefix("BRENMOOR (NPS) — The council voted 7-2 on Tuesday.")
(17, 'The council voted 7-2 on Tuesday.')
>>> clean_prefix("But the evidence doesn't back those warnings.")
(4, "The evidence doesn't back those warnings.")
>>> clean_prefix("Why it matters: Every national poll shows the two tied.")
(16, 'Every national poll shows the two tied.')
>>> clean_prefix("The plain sentence stays.")
(0, 'The plain sentence stays.')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsprism.text.words import SPEECH_VERBS, SUBJECT_PRONOUNS, alternation, past_tense, pick, present_tense

__all__ = [
    "Wording",
    "clean_prefix",
    "is_fragment",
    "needs_context",
    "word_count",
    "wording_features",
]

_DASH = r"(?:—|–|--|-)"
# "BRENMOOR (NPS) — ", "LOS ANGELES — ", "WASHINGTON, D.C. (AP) -- ", "(CNN) — ", "NEW YORK (Reuters) - "
_DATELINE = re.compile(
    rf"""^\s*(?:
        [A-Z][A-Z.'’\- ]{{1,40}}(?:,\s*[A-Z][A-Za-z.]{{1,15}}(?:\s[A-Z][A-Za-z.]{{1,15}})?)?\s*
            (?:\([A-Za-z .&/]{{1,25}}\)\s*)?{_DASH}\s+
      | \([A-Za-z .&/]{{1,25}}\)\s*{_DASH}\s+
    )""",
    re.VERBOSE,
)
# connectives that tie a sentence to the one before it in its article
_LEAD_CONNECTIVE = re.compile(
    r"^(?:But|And|Yet|So|Still|However|Meanwhile|Also|Moreover|Furthermore|Instead|Nevertheless|"
    r"Nonetheless|In addition|In turn|Indeed|Now|Then|Besides|Even so)\b,?\s+(?=\S)"
)
# a short label before a colon: "Why it matters: ...", "The big picture: ..."
_LABEL = re.compile(r"^(?:[A-Z][\w’'\-]*(?:\s[\w’'\-]+){0,3}):\s+(?=[A-Z\"“])")
# words that point back to something the reader of the brief has not seen
_BACK_REFERENCE = re.compile(
    r"^(?:He|She|They|It|This|That|These|Those|His|Her|Their|Its|There|Such|The move|The decision|"
    r"The measure|The latter|The former|Both|Neither|Some|Others?)\b(?!\s+(?:week|month|year|morning|"
    r"afternoon|evening|weekend|spring|summer|fall|autumn|winter)\b)"
)
# words of attribution: the past of the speech verbs this reader was written with (part of SPEECH_VERBS),
# "says", "say" and "according to"
_ATTRIBUTED = pick(SPEECH_VERBS, """say tell add state claim argue note explain insist assert emphasize emphasise
    warn write tweet""")
_ATTRIBUTION = re.compile(
    rf"\b(?:{alternation([*map(past_tense, _ATTRIBUTED), present_tense('say'), 'say', 'according to'])})\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_QUOTE_OPEN = "\"“‘'"
# sentences that point at the article instead of stating anything
_TEASER = re.compile(
    r"^(?:Here(?:['’]s| is| are) (?:what|how|why|a look|the latest)|What (?:you|we) (?:need to |should )?know|"
    r"(?:Read|Watch|Click|Scroll|Sign up|Subscribe|Follow)\b)|what you need to know\W*$",
    re.IGNORECASE,
)


def word_count(text: str) -> int:
    """Words as the length budget counts them (whitespace-separated).

    >>> word_count("The council voted 7-2 on Tuesday.")
    6
    """
    return len(text.split())


def clean_prefix(text: str) -> tuple[int, str]:
    """``(offset, cleaned)``: how many leading characters to cut and the text that remains, its
    first letter capitalised. Cuts a dateline, then a section label, then one leading connective."""
    cut = 0
    m = _DATELINE.match(text)
    if m and m.end() < len(text) and not _looks_like_sentence_start_word(text, m):
        cut = m.end()
    rest = text[cut:]
    m2 = _LABEL.match(rest)
    if m2 and len(rest) - m2.end() > 25:
        cut += m2.end()
        rest = text[cut:]
    m3 = _LEAD_CONNECTIVE.match(rest)
    if m3 and len(rest) - m3.end() > 20:
        cut += m3.end()
        rest = text[cut:]
    if rest[:1].islower():
        rest = rest[0].upper() + rest[1:]
    return cut, rest


def _looks_like_sentence_start_word(text: str, m: re.Match[str]) -> bool:
    """A capitalised first word followed by a dash is a dateline only when it is written in capitals
    ("BRENMOOR —"), never "A dam — the county's oldest — cracked"."""
    head = m.group(0).strip()
    letters = [c for c in head.split("(")[0] if c.isalpha()]
    if head.startswith("("):
        return False
    return not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters) or len(letters) < 2


def needs_context(text: str) -> bool:
    """True when the sentence opens with a pronoun or a back-reference ("He said", "The move")
    that only makes sense after the sentence before it.

    >>> needs_context("He said the dam was stable."), needs_context("This week the dam cracked.")
    (True, False)
    """
    return bool(_BACK_REFERENCE.match(text))


def is_fragment(text: str, doc_span: Any = None) -> bool:
    """A heading, a list item or a clause, not a sentence: no final punctuation, or (with a parse)
    no verb at all.

    >>> is_fragment("Return home: as early as March 9"), is_fragment("Crews lowered the reservoir.")
    (True, False)
    >>> is_fragment("Here's what you need to know.")
    True
    """
    stripped = text.rstrip()
    if not stripped or stripped[-1] not in ".!?\"”’')":
        return True
    if _TEASER.search(stripped):
        return True
    if word_count(stripped) < 4:
        return True
    if doc_span is not None:
        try:
            if not any(t.pos_ in ("VERB", "AUX") for t in doc_span):
                return True
        except AttributeError:  # pragma: no cover - not a spaCy span
            return False
    return False


@dataclass(frozen=True, slots=True)
class Wording:
    """What makes one sentence a good or poor wording of its claim, each part measured.

    ``loaded``: weight of loaded-language spans inside it (framing's lexicon detector);
    ``quoted``: share of its characters inside quotation marks; ``bare_quote``: it is a quotation
    with no speaker named in the sentence; ``context``: it opens with a back-reference;
    ``fragment``: not a full sentence; ``attributions``: verbs of saying and "according to";
    ``words``: length after cleaning; ``question``: it ends with a question mark; ``opinion``: it
    judges in the outlet's own voice with no source named (framing's unattributed opinion);
    ``first_person``: the outlet speaks as "I" or "we" outside quotation marks (an op-ed voice).
    """

    loaded: float
    quoted: float
    bare_quote: bool
    context: bool
    fragment: bool
    attributions: int
    words: int
    question: bool
    opinion: bool = False
    first_person: bool = False

    @property
    def usable(self) -> bool:
        """Whether the sentence can stand in a brief at all: a full statement (not a heading, a
        question or a teaser such as "Here's what you need to know.") of at least six words, and not
        a short one that only points back ("There is no evidence for this.")."""
        return not self.fragment and not self.question and self.words >= 6 and not (self.context and self.words < 12)

    def penalty(self) -> float:
        """How much worse this wording reads in a neutral brief than a plain, clean sentence
        (0 = plain; each part weighted by how much it hurts).

        >>> Wording(0, 0, False, False, False, 0, 20, False).penalty()
        0.0
        >>> Wording(1.0, 0, False, False, False, 0, 20, False).penalty() > 0.5
        True
        """
        p = 0.8 * self.loaded + 1.5 * self.quoted
        p += 0.6 if self.bare_quote else 0.0
        p += 0.8 if self.context else 0.0
        p += 1.5 if self.fragment else 0.0
        p += 0.05 * max(0, self.attributions - 1)
        p += 0.3 if self.question else 0.0
        p += 0.5 if self.opinion else 0.0
        p += 0.5 if self.first_person else 0.0
        if self.words > 25:
            p += 0.03 * (self.words - 25)
        elif self.words < 8:
            p += 0.04 * (8 - self.words)
        return round(p, 4)


_FIRST_PERSON = re.compile(
    r"\b(?:I|I['’](?:m|ve|ll|d)|me|[Mm]y|mine|[Mm]yself|[Ww]e|[Ww]e['’](?:re|ve|ll|d)|us|[Oo]urs?)\b")
# words that stand for someone named elsewhere: subject pronouns, possessives, demonstratives, "who", "one"
_PRONOUNS = SUBJECT_PRONOUNS | frozenset("his her their this that who one".split())


def _names_speaker(outside: str) -> bool:
    """Whether the words outside the quotation name someone ("Achterberg said", "county officials
    said"), not just "he said"."""
    words = _WORD.findall(outside)
    content = [w for w in words if not _ATTRIBUTION.fullmatch(w) and w.lower() not in _PRONOUNS]
    return any(w[:1].isupper() for w in content) or len(content) >= 2


def _outside(text: str, start: int, end: int, quoted: Sequence[tuple[int, int]]) -> str:
    """The characters of ``text[start:end]`` that no quotation range covers, in order.

    >>> _outside("He said it was fine today.", 0, 26, [(15, 19), (17, 20)])
    'He said it was today.'
    """
    parts: list[str] = []
    pos = start
    for s, e in sorted((max(s, start), min(e, end)) for s, e in quoted if s < end and start < e):
        if s > pos:
            parts.append(text[pos:s])
        pos = max(pos, e)
    parts.append(text[pos:end])
    return "".join(parts)


def wording_features(text: str, start: int, end: int, *, cleaned_start: int,
                     loaded: Sequence[tuple[int, int, float]] = (),
                     quoted: Sequence[tuple[int, int]] = (), doc_span: Any = None,
                     opinions: Sequence[tuple[int, int]] = ()) -> Wording:
    """Measure the sentence ``text[cleaned_start:end]`` (the cleaned part of ``[start, end)``).

    ``loaded`` are ``(start, end, weight)`` loaded spans of the article, ``quoted`` its quotation
    ranges, ``opinions`` its unattributed-opinion sentences (all in article offsets).

    >>> t = 'He said the plan was "a disaster."'
    >>> w = wording_features(t, 0, len(t), cleaned_start=0, quoted=[(21, 34)])
    >>> w.context, round(w.quoted, 2), w.bare_quote
    (True, 0.38, False)
    """
    body = text[cleaned_start:end]
    n = max(1, end - cleaned_start)
    weight = sum(w for s, e, w in loaded if cleaned_start <= s and e <= end)
    covered = sum(max(0, min(e, end) - max(s, cleaned_start)) for s, e in quoted)
    quoted_share = min(1.0, covered / n)
    outside = _outside(text, cleaned_start, end, quoted)
    attributions = len(_ATTRIBUTION.findall(outside))
    starts_quoted = body[:1] in _QUOTE_OPEN or any(s <= cleaned_start < e for s, e in quoted)
    bare = quoted_share > 0.6 and starts_quoted and not (attributions and _names_speaker(outside))
    return Wording(
        loaded=round(weight, 3),
        quoted=round(quoted_share, 3),
        bare_quote=bare,
        context=needs_context(body.lstrip(_QUOTE_OPEN)) if not starts_quoted else False,
        fragment=is_fragment(body, doc_span),
        attributions=attributions,
        words=word_count(body),
        question=body.rstrip(" \"”’'").endswith("?"),
        opinion=any(s < end and start < e for s, e in opinions),
        first_person=bool(_FIRST_PERSON.search(outside)),
    )
