"""Which news outlet a sentence credits for its fact: "according to the Courier", "the Times
reported", "told Reuters". An article that credits another outlet depends on it for that fact and
adds no independent source (:func:`newsprism.analysis.claims.matrix.build_claims` counts the credited
outlet instead).

Outlets are the story's own (by name, with or without "The", or by a distinctive last word: "the
Courier" for "Brenmoor Courier") and outside news organisations named the way news names them (a
masthead word such as Times, Post, Journal, News; or a wire agency). A sentence crediting its own
outlet ("reviewed by Valley Commons" in Valley Commons) credits nothing.

>>> credited_outlet("The dam cost $4.8 million, the Brenmoor Courier reported.", {"c": "Brenmoor Courier"})
'c'
>>> credited_outlet("Talks had stalled, according to The Dunmore Herald.", {})
'ext:dunmore herald'
>>> credited_outlet("The crack is 2 inches wide, according to an engineering memo.", {"c": "Brenmoor Courier"}) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

__all__ = ["CreditReader", "credited_outlet"]

#: last words of outside news organisations' names ("the Dunmore Herald", "The Washington Post")
_MASTHEAD = ("Times|Post|Journal|Herald|Tribune|Guardian|Telegraph|Globe|News|Gazette|Chronicle|Standard|"
             "Courier|Bugle|Examiner|Inquirer|Independent|Observer|Star|Sun|Record|Register|Daily|Magazine|"
             "Times-Picayune|Press|Mail|Mirror|Express|Review|Bulletin|Dispatch|Sentinel|Monitor|Reporter|Wire")
_AGENCIES = ("Reuters|the Associated Press|The Associated Press|AP|Agence France-Presse|AFP|Bloomberg|CNN|BBC|NPR|"
             "MSNBC|CNBC|ABC News|CBS News|NBC News|Fox News|Politico|Axios|Al Jazeera|Breitbart|BuzzFeed News|"
             "The Hill|Vox|Slate|HuffPost|The Huffington Post|The Daily Beast|ProPublica")
_OUTSIDE = rf"(?:{_AGENCIES}|(?:[Tt]he )?(?:[A-Z][\w.'’-]*\s){{0,3}}(?:{_MASTHEAD}))"
#: the ways news credits another outlet; ``{o}`` is the outlet's name
_CREDITS = (
    r"\b[Aa]ccording to (?:(?:a |an )?(?:report|article|story|analysis|investigation)s? (?:by|in|from) )?{o}",
    r"{o}(?:,[^,]{{1,60}},)? (?:first |had |has |previously |earlier |also )?(?:reported|revealed|disclosed|reports)\b",
    r"\b(?:first |was |were |as |been |previously )?reported (?:by|in|on) {o}",
    r"\b(?:told|said in an interview with|[Ii]n an interview with|[Ss]peaking to|confirmed to|said to) {o}",
    r"\b(?:a |an )?{o} (?:report|investigation|analysis|poll|survey|story|article)\b",
)

#: for each of ``_CREDITS``, in order, literals it cannot match without: a sentence with none of a
#: pattern's is not scanned with it (the pattern alternates every outlet of the story, so scanning
#: every sentence with it grew with the square of the story, issue 17)
_CREDIT_WORDS = (
    ("ccording to",),
    ("reported", "revealed", "disclosed", "reports"),
    ("reported ",),
    ("told ", "interview with", "peaking to", "confirmed to", "said to "),
    (" report", " investigation", " analysis", " poll", " survey", " story", " article"),
)


def _names(outlet: str) -> list[tuple[str, str]]:
    """Patterns for the ways a text names one of the story's outlets: "(The) Brenmoor Courier", and
    "the Courier" when the last word is distinctive; each with the literal text it cannot match
    without."""
    name = re.sub(r"^[Tt]he\s+", "", outlet.strip())
    if len(name) < 3:
        return []
    out = [(rf"(?:[Tt]he )?{re.escape(name)}", name)]
    words = name.split()
    if len(words) > 1 and len(words[-1]) > 3 and words[-1][0].isupper():
        out.append((rf"[Tt]he {re.escape(words[-1])}", words[-1]))
    return out


@lru_cache(maxsize=64)
def _named(story_outlets: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(article id, name pattern, its literal) for every way the text may name one of the story's
    outlets, once per story (not once per sentence)."""
    return tuple((aid, n, lit) for aid, outlet in story_outlets for n, lit in _names(outlet))


@lru_cache(maxsize=1024)
def _credit_patterns(story_outlets: tuple[tuple[str, str], ...],
                     present: tuple[int, ...] | None = None) -> tuple[re.Pattern[str], ...]:
    """The credit patterns, alternating the story's outlet names ``present`` (indices into
    :func:`_named`; None: all). An alternative whose literal a text lacks can never match there,
    so leaving it out changes no match, and the others keep their order and group names; a pattern
    alternating every outlet of a 200-article story took 0.4 ms a sentence (issue 17)."""
    named = _named(story_outlets)
    keep = range(len(named)) if present is None else present
    alternatives = [f"(?P<in{k}>{named[k][1]})" for k in keep]
    outlet = "(?:" + "|".join([*alternatives, f"(?P<out>{_OUTSIDE})"]) + r")\b"
    return tuple(re.compile(c.format(o=outlet)) for c in _CREDITS)


#: one outlet, two names (a sentence crediting its own outlet under its other name credits nothing)
_ALIASES = {"huffington post": "huffpost", "new york times": "the times", "nyt": "the times", "times": "the times",
            "associated press": "ap", "washington post": "the post", "fox": "fox news"}


def _key(name: str) -> str:
    """An outlet's name folded for comparison: "The Huffington Post" and "HuffPost" -> "huffpost"."""
    key = re.sub(r"^the\s+", "", name.strip().lower())
    return _ALIASES.get(key, key)


def credited_outlet(text: str, outlets: Mapping[str, str], own: str | None = None) -> str | None:
    """The outlet ``text`` credits for its fact: the id of one of the story's articles (``outlets``:
    article id -> outlet name), ``"ext:<name>"`` for an outside news organisation, or None. Credit to
    ``own`` (the sentence's own article) or to its own outlet's name is no credit."""
    return _credited(text, outlets, tuple(sorted(outlets.items())), own)


class CreditReader:
    """:func:`credited_outlet` for one story's outlets, sorted once, not at every call (a 200-article
    story called it for every sentence of every claim; issue 17).

    >>> read = CreditReader({"c": "Brenmoor Courier", "v": "Valley Commons"})
    >>> read("The dam cost $4.8 million, the Brenmoor Courier reported.", own="v")
    'c'
    """

    def __init__(self, outlets: Mapping[str, str]) -> None:
        self.outlets = dict(outlets)
        self._story = tuple(sorted(self.outlets.items()))

    def __call__(self, text: str, own: str | None = None) -> str | None:
        return _credited(text, self.outlets, self._story, own)


def _credited(text: str, outlets: Mapping[str, str], story_outlets: tuple[tuple[str, str], ...],
              own: str | None) -> str | None:
    possible = [any(w in text for w in words) for words in _CREDIT_WORDS]
    if not any(possible):  # most sentences: no credit wording, so no scan with the story-wide pattern
        return None
    named = _named(story_outlets)
    present = tuple(k for k, (_, _, literal) in enumerate(named) if literal in text)
    own_outlet = outlets.get(own, "") if own is not None else ""
    for pattern, may in zip(_credit_patterns(story_outlets, present), possible, strict=True):
        if not may:
            continue
        for m in pattern.finditer(text):
            groups = {k: v for k, v in m.groupdict().items() if v}
            inside = next((named[int(k[2:])][0] for k in groups if k.startswith("in")), None)
            if inside is not None:
                if inside != own and outlets.get(inside) != own_outlet:
                    return inside
                continue
            name = groups.get("out")
            if name is None:
                continue
            key = _key(name)
            if own_outlet and key == _key(own_outlet):
                continue
            same = next((aid for aid, outlet in story_outlets if _key(outlet) == key), None)
            if same is not None:
                if same != own:
                    return same
                continue
            return f"ext:{key}"
    return None
