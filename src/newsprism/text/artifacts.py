"""Mark the lines of a body that are not article text: captions, bylines, labels, stamps.

Lines are marked, never deleted: every artifact is a whole paragraph of the normalised
text (``Artifact(start, end, kind, why)``), so later stages can skip them and the report can
show them. The rules are cheap and lean towards precision: a line is marked only on a clear
cue; a real sentence that merely looks short is left alone.

>>> text = "By Ana Pell, Staff Writer\\n\\nThe ferry resumed service.\\n\\nWhat Comes Next\\n\\nMore soon."
>>> [(text[a.start:a.end], a.kind) for a in find_artifacts(text, None)]
[('By Ana Pell, Staff Writer', 'byline'), ('What Comes Next', 'section_label')]
"""

from __future__ import annotations

import re
from collections.abc import Collection

from newsprism.model import Artifact, paragraph_offsets
from newsprism.text.normalize import match_key
from newsprism.text.words import MODAL_VERBS, SUBJECT_PRONOUNS, TITLE_ABBREVIATIONS, pick

__all__ = ["find_artifacts", "is_multi_sentence", "is_title_case", "wording_kind"]

_BULLET = re.compile(r"^(?:[-*•·▪●◦‣]\s|\d{1,2}[.)]\s)")
_WORD = re.compile(r"[^\W_][\w'’.-]*")
_FINAL = ".!?:;,…"
_CLOSERS = "\"'”’)]»"

# --- labels, bylines, stamps, links, newsletters ------------------------------------------

_KNOWN_LABELS = frozenset(
    match_key(s)
    for s in (
        "At a Glance",
        "Key Points",
        "What to know",
        "What we know",
        "What we don't know",
        "Related",
        "Related articles",
        "Related stories",
        "Key takeaways",
        "Highlights",
        "In brief",
        "In short",
        "The big picture",
        "Why it matters",
        "What's next",
        "The bottom line",
        "Background",
        "Quick read",
        "Top stories",
        "Most read",
        "Trending",
        "More on this story",
        "Explore more",
        "Share this article",
        "Share",
    )
)

_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|da|del|van|von|der|al|bin|la|le))*"
_TAIL_WORD = r"(?:[A-Z][\w.&'’-]*|of|the|for|and|at|in|on)"
_BYLINE = re.compile(
    rf"^(?:By|BY|Written by|Words by|Story by)\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*"
    rf"(?:\s*[,|/–—-]\s*{_TAIL_WORD}(?:\s+{_TAIL_WORD})*)?\.?$"
)
_BYLINE_PIPE = re.compile(r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s*\|\s*[A-Z][\w ,.&'’-]{0,60}$")
_BYLINE_CREDIT = re.compile(r"^(?:Additional reporting|Reporting|Writing|Editing|Edited)\s+by\s+[A-Z]")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_STAMP_PREFIX = re.compile(
    r"^(?:last\s+updated|updated|published|posted|first\s+published|originally\s+published"
    r"|last\s+modified|modified)(?:\s+(?:on|at))?\s*:?\s*",
    re.IGNORECASE,
)
_DATE_TOKEN = re.compile(
    rf"^(?:{_MONTH}|{_WEEKDAY}|\d{{1,4}}(?:st|nd|rd|th)?,?|\d{{1,2}}[:.]\d{{2}}(?:[ap]m)?|[ap]\.?m\.?"
    r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}(?:t[\d:.+-]+z?)?"
    r"|et|est|edt|ct|cst|cdt|mt|mst|mdt|pt|pst|pdt|gmt|utc|bst|cet|cest|ist|aest|aedt|z"
    r"|at|on|ago|an?|hours?|hrs?|minutes?|mins?|days?|yesterday|today|and|\||·|•|-|–|—"
    r"|updated|published|posted|modified)$",  # "Published 9:00 a.m. | Updated 1:05 p.m."
    re.IGNORECASE,
)
_HAS_DATE = re.compile(rf"\d|\b{_MONTH}|yesterday|today", re.IGNORECASE)
_HAS_MONTH_OR_TIME = re.compile(
    rf"\b{_MONTH}(?!\w)|\d{{1,2}}[:.]\d{{2}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}",
    re.IGNORECASE,
)

_READ_MORE = re.compile(
    r"^(?:read more|read also|also read|read next|related(?: coverage| articles?| stories| content)?"
    r"|recommended(?: reading)?|more from [\w .'’-]+|more on this|more|see also|see more"
    r"|continue reading|watch(?: now)?|listen(?: now)?|video)\s*[:|–—>»]",
    re.IGNORECASE,
)
_READ_MORE_START = re.compile(
    r"^(?:click here|tap here|read more\b|continue reading\b|read the full (?:story|article))",
    re.IGNORECASE,
)
_READ_MORE_CAPS = re.compile(r"^(?:READ MORE|RELATED|WATCH|SEE ALSO|MORE)\b")  # shouted labels only
_NEWSLETTER_START = re.compile(
    r"^(?:sign up|subscribe|get our|join our|follow us|download (?:the|our)|like us on"
    r"|support (?:our|independent|local) journalism|become a (?:member|subscriber|supporter)"
    r"|already a subscriber|don'?t miss|want (?:more|the latest))\b",
    re.IGNORECASE,
)
_NEWSLETTER_ANY = re.compile(
    r"\bnewsletters?\b.*\b(?:sign up|subscribe|inbox|delivered|email)\b"
    r"|\b(?:sign up|subscribe)\b.*\bnewsletters?\b",
    re.IGNORECASE,
)

# --- captions ----------------------------------------------------------------------------

_CREDIT = re.compile(
    r"\(\s*(?:photo|photograph|image|picture|file photo|credit|illustration|video)s?\b[^)]*\)\.?$"
    r"|\(\s*(?:AP|AFP|Reuters|Getty|EPA)\b[^)]*\)\.?$"
    r"|(?:Getty Images|AP Photo(?:/[\w .'’-]+)?|Shutterstock|iStock(?:photo)?|Alamy|via Getty)\)?\.?$"
    # "REUTERS/Jane Roe", "Jane Roe/AFP" closing the line ("the Reuters/Ipsos poll" is prose)
    r"|\b(?:Reuters|AFP|EPA(?:-EFE)?|AP)\s*/\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\)?\.?$"
    r"|\b[A-Z][\w.'’-]*\s*/\s*(?:Reuters|AFP|EPA(?:-EFE)?)\)?\.?$"
    r"|^(?:image|photo|photograph|picture|credit|photo credit|caption|illustration|pictured|source)"
    r"\s*:\s*\S"
    r"|^(?:photo|photograph|image)s?\s+(?:by|courtesy of)\s+[A-Z]",
    re.IGNORECASE,
)
# A caption without credit is a noun phrase: no finite verb, no subject pronoun. We cannot
# parse here, so a word list of auxiliaries and frequent news verbs stands in for a parser.
# (the pronouns and modals come from their word classes; "ought" is not in the list this was written with)
_VERB_CUES = frozenset(
    """is are was were be been being am has have had do does did said says say told tells tell added
    adds asked asks called calls made makes make took takes take gave gives give went goes go came
    comes come saw sees see knew knows know thought thinks think believe believes agree agrees
    disagree disagrees denied denies declined declines refused refuses urged urges warned warns
    vowed vows sought seeks seek voted votes passed passes remain remains plan plans expect expects
    want wants face faces get gets got need needs show shows shown seem seems appear appears become
    becomes became begin begins began continue continues include includes let lets keep keeps kept
    stay stays feel feels felt hold holds held lead leads led mean means meant put puts run runs ran
    set sets stand stands stood look looks try tries turn turns use uses win wins won lose loses
    lost pay pays paid open opens close closes report reports rose rise rises fell fall falls grew
    grow grows hit hits happen happens die dies kill kills live lives work works there not""".split()
) | SUBJECT_PRONOUNS | (MODAL_VERBS - {"ought"})
_ED_ADJECTIVES = frozenset("red bed shed hundred sacred naked beloved wicked rugged ragged aged".split())
_PREPOSITIONS = frozenset(
    "with of in at on near outside inside during under behind beside before after above below "
    "across along among around against between beyond by from into through toward towards".split()
)
# Words that open a verb's object: "-s" word + one of these reads as "verb + object".
_OBJECT_STARTS = frozenset(
    "the a an his her their its our my your this that these those almost about nearly more some "
    "no to up out off down back over all every each two three four five several many".split()
)
_SMALL_WORDS = frozenset(
    "a an the and or but nor of in on at to for by with from as vs via per into over up".split()
)


def find_artifacts(
    text: str,
    title: str | None,
    *,
    headings: Collection[str] = (),
    captions: Collection[str] = (),
) -> tuple[Artifact, ...]:
    """Mark the non-article lines of normalised ``text``; each artifact is a whole paragraph.

    ``title`` is the article's headline (a body line equal to it, under ``match_key``, is a
    ``repeated_headline``). ``headings`` and ``captions`` are lines that the input's markup
    already names as subheadings or figure captions (HTML ``<h2>``, ``<figcaption>``,
    Markdown ``##``); they are marked without needing the cues below.

    >>> body = "Bridge Reopens\\n\\nBridge Reopens\\n\\nHe declined to comment."
    >>> [(a.kind, a.why) for a in find_artifacts(body, None)]
    [('headline', 'headline standing in the body'), ('repeated_headline', 'repeats the line before it')]
    """
    paras = paragraph_offsets(text)
    lines = [text[s:e] for s, e in paras]
    keys = [match_key(line) for line in lines]
    title_key = match_key(title) if title else ""
    heading_keys = {match_key(h) for h in headings}
    caption_keys = {match_key(c) for c in captions}

    found: dict[int, tuple[str, str]] = {}
    for i, line in enumerate(lines):
        if _BULLET.match(line):
            continue  # bullet lines are content, even short ones
        key = keys[i]
        hit: tuple[str, str] | None = None
        if title_key and key == title_key:
            hit = ("repeated_headline", "repeats the headline")
        elif i > 0 and key == keys[i - 1] and _heading_like(line):
            hit = ("repeated_headline", "repeats the line before it")
            found[i - 1] = ("headline", "headline standing in the body")
        elif key in caption_keys:
            hit = ("caption", "image caption in the page markup")
        else:
            hit = _line_kind(line, key)
        if hit is None and key in heading_keys:
            hit = ("section_label", "subheading in the page markup")
        if hit is None and i + 1 < len(lines) and _heading_like(line):
            hit = _heading_kind(line, key, i, lines, title_key)
        if hit is None:
            hit = _noun_phrase_caption(line)
            if hit and i == 0 and not title_key:
                hit = ("headline", "short first line without a verb, likely the headline")
        if hit is not None:
            found[i] = hit
    _mark_dek(found, lines)
    return tuple(Artifact(paras[i][0], paras[i][1], kind, why) for i, (kind, why) in sorted(found.items()))


def wording_kind(line: str) -> tuple[str, str] | None:
    """``(kind, why)`` when one line's wording alone marks it (byline, stamp, link, credit...).

    Position-based kinds (subheadings, headlines, verbless captions) are not tried here.

    >>> wording_kind("Updated 3:04 p.m. ET Dec. 3, 2024")
    ('dateline_stamp', 'publication time stamp')
    >>> wording_kind("He declined to comment.") is None
    True
    """
    return _line_kind(line, match_key(line))


def _line_kind(line: str, key: str) -> tuple[str, str] | None:
    n_words = len(line.split())
    if n_words <= 14 and (_BYLINE.match(line) or _BYLINE_PIPE.match(line)):
        return ("byline", "byline")
    if _BYLINE_CREDIT.match(line) and n_words <= 30:
        return ("byline", "reporting/editing credit")
    if n_words <= 16 and _is_stamp(line):
        return ("dateline_stamp", "publication time stamp")
    if n_words <= 40 and (
        _READ_MORE.match(line) or _READ_MORE_START.match(line) or _READ_MORE_CAPS.match(line)
    ):
        return ("read_more", "link to other content")
    if n_words <= 40 and (_NEWSLETTER_START.match(line) or _NEWSLETTER_ANY.search(line)):
        return ("newsletter", "newsletter or subscription prompt")
    if n_words <= 60 and _CREDIT.search(line):
        return ("caption", "photo caption or credit")
    if key.rstrip(":") in _KNOWN_LABELS:
        return ("section_label", "standard section label")
    return None


def _is_stamp(line: str) -> bool:
    rest, n = _STAMP_PREFIX.subn("", line, count=1)
    if n and not rest:
        return False
    tokens = re.split(r"[\s,]+", rest.strip(" ."))
    if not all(_DATE_TOKEN.match(t) for t in tokens if t):
        return False
    # With "Updated"/"Published" any date or time will do; bare, it needs a month or a clock time.
    return bool(_HAS_DATE.search(rest)) if n else bool(_HAS_MONTH_OR_TIME.search(rest))


def _heading_like(line: str) -> bool:
    """Short, starts with a capital or digit, and no sentence-final punctuation."""
    if len(line) > 120 or not (line[0].isupper() or line[0].isdigit()):
        return False
    words = line.split()
    if not 1 <= len(words) <= 14:
        return False
    end = line.rstrip(_CLOSERS)
    if not end or end[-1] in _FINAL:
        # "Will the Bridge Hold?" and "Joining Forces With China." are headings all the same.
        return end[-1:] in "?." and _all_capitalised(end[:-1])
    return not line.endswith(("”", '"', "’"))  # a line ending in a quote is speech


def _all_capitalised(line: str) -> bool:
    words = [w for w in _WORD.findall(line) if w.lower() not in _SMALL_WORDS]
    return len(words) >= 3 and all(w[0].isupper() or w[0].isdigit() for w in words) and '"' not in line


_SENTENCE_END = re.compile(r"(\S+)[.!?][\"'”’)]*\s+[\"'“‘(]?[A-Z]")
# the titles this check was written with (not yet all of TITLE_ABBREVIATIONS), and other abbreviations
_ABBREVIATIONS = pick(TITLE_ABBREVIATIONS, "mr mrs ms dr gov sen rep gen lt col sgt") | frozenset(
    "st jr sr no vs mt ft inc co corp".split()
)


def is_multi_sentence(line: str) -> bool:
    """True when a sentence ends inside the line (initials and titles like "U.S." or "Mr." aside).

    >>> is_multi_sentence("Rules Face Key Test in U.S. Court.")
    False
    >>> is_multi_sentence("It rained. Then it froze.")
    True
    """
    for m in _SENTENCE_END.finditer(line):
        token = m.group(1).rstrip(".").lower()
        if len(token) > 1 and "." not in token and token not in _ABBREVIATIONS:
            return True
    return False


def is_title_case(line: str) -> bool:
    """Most words capitalised, small words (of, the, and...) aside.

    >>> is_title_case("Bridge Reopens After Repairs"), is_title_case("Bridge reopens after repairs")
    (True, False)
    """
    words = [w for w in _WORD.findall(line) if w.lower() not in _SMALL_WORDS]
    if len(words) < 2 or not words[0][0].isupper():
        return False
    caps = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return caps >= len(words) - (1 if len(words) >= 6 else 0)


def _heading_kind(line: str, key: str, i: int, lines: list[str], title_key: str) -> tuple[str, str] | None:
    """A heading-like line with text after it: the headline at the top, else a subheading."""
    if i == 0 and not title_key and is_title_case(line):
        return ("headline", "headline-like first line")
    if is_title_case(line):
        return ("section_label", "subheading (short Title Case line)")
    # Sentence-case subheadings: short, between a finished paragraph and a longer one.
    prev_done = i == 0 or lines[i - 1].rstrip(_CLOSERS)[-1:] in ".!?:" or _heading_like(lines[i - 1])
    if len(line.split()) <= 8 and prev_done and len(lines[i + 1]) > 2 * len(line) and not _has_verb(key):
        return ("section_label", "subheading (short line without final punctuation)")
    return None


def _has_verb(key: str) -> bool:
    """A finite verb is likely: a listed verb, a past form in -ed, or "-s" before an object."""
    words = [w.strip(".,;:'’") for w in key.split()]
    for i, w in enumerate(words):
        if w in _VERB_CUES or (w.endswith("ed") and w not in _ED_ADJECTIVES):
            return True
        if w.endswith(("n't", "'ll", "'re", "'ve", "'d", "'m")) or w.split("'")[0] in _VERB_CUES:
            return True  # "wasn't", "she'll" (the key has straight apostrophes)
        nxt = words[i + 1] if i + 1 < len(words) else ""
        plural_or_verb = i > 0 and w.endswith("s") and not w.endswith(("ss", "us", "is"))
        if plural_or_verb and (nxt in _OBJECT_STARTS or nxt[:1].isdigit()):  # "represents almost 50,000"
            return True
    return False


def _noun_phrase_caption(line: str) -> tuple[str, str] | None:
    """A short verbless description ("Blue law book with wooden gavel.") reads as a caption."""
    words = line.split()
    if not 4 <= len(words) <= 14 or not line[0].isupper():
        return None
    end = line.rstrip(_CLOSERS)
    if end[-1:] in "!?:;,…" or any(q in line for q in '"“”'):
        return None
    if is_multi_sentence(line):  # more than one sentence: prose
        return None
    key = match_key(line)
    if _has_verb(key) or not any(w.strip(".,") in _PREPOSITIONS for w in key.split()[1:]):
        return None
    if words[0].casefold() in {"but", "and", "yet", "so", "not", "or", "also", "still"}:
        return None
    if _FACT_BOX_LINE.match(line):  # "Cost: $4.8 million, from the reserve fund" states a fact
        return None
    return ("caption", "short verbless line, likely an image caption")


# A fact-box entry: a short label, a colon, then the fact ("Who is affected: 1,180 residents").
_FACT_BOX_LINE = re.compile(r"[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,3}:\s+\S")


def _mark_dek(found: dict[int, tuple[str, str]], lines: list[str]) -> None:
    """A one-sentence line right under a doubled headline is its dek (subheadline)."""
    for i, (kind, why) in list(found.items()):
        if kind != "repeated_headline" or why != "repeats the line before it":
            continue
        j = i + 1
        if j >= len(lines) or j in found:
            continue
        line = lines[j]
        if (
            j + 1 < len(lines)
            and line.endswith(".")
            and 8 <= len(line.split()) <= 40
            and line.split()[0].casefold() not in _VERB_CUES  # "He declined ..." is prose
            and not is_multi_sentence(line)
            and not any(q in line for q in '"“”')
            and not re.search(r"\b(?:said|says)\b", line)
        ):
            found[j] = ("headline", "subheadline (dek) under the headline")
