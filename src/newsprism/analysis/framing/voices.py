"""Whose voices an article carries: its quoted speakers grouped by role, and each group's share of
the quoted words.

The input is deliberately small, so any quote extractor can feed it: per article, a list of
:class:`VoiceInput` (speaker name, the speaker's title or description as written, number of quoted
words). :func:`derive_voices` builds that list on its own from quotation marks and the nearest
PERSON entity, so framing works end to end without a quote module.

Roles: ``official`` (office holders, agencies, police), ``opposition`` (critics, dissenters,
opponents), ``advocate`` (activists, campaign groups, associations), ``expert`` (academics,
analysts, researchers), ``affected`` (residents, owners, parents, workers: people the story happens
to), ``other``.

>>> classify_role("Nadia Osei-Lund", "director of Tarrow River Watch, a nonprofit")[0]
'advocate'
>>> classify_role("Gordon Vail", "Councilmember, who voted against the measure")[0]
'opposition'
>>> classify_role("Ruth Kellerman", "67, who has lived on Millrace Road for 40 years")[0]
'affected'
>>> classify_role("Mira Holt", "County Engineer")[0]
'official'
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsprism.analysis.claims.units import entity_key
from newsprism.text.quoted import QuotedRegions
from newsprism.text.words import SPEECH_VERBS, TITLE_WORDS, alternation, past_tense, pick, present_tense

__all__ = [
    "ROLES",
    "VoiceInput",
    "VoiceRow",
    "classify_role",
    "derive_voices",
    "missing_roles",
    "role_shares",
    "voice_imbalance",
    "voice_rows",
    "voices_from_quotes",
]

ROLES = ("official", "opposition", "advocate", "expert", "affected", "other")

_OPPOSITION = re.compile(
    r"\b(critics?|opponents?|opposition|dissent\w*|voted (?:against|no)|vote no|opposed|rival|challenger|"
    r"minority leader|skeptic\w*|detractors?)\b", re.I)
_EXPERT = re.compile(
    r"\b(professor|analyst|economist|researcher|scientist|expert|scholar|fellow|historian|consultant|"
    r"university|college|institute|think tank|academic|lecturer|specialist|author of)\b", re.I)
_ADVOCATE = re.compile(
    r"\b(advoca\w+|activists?|campaigners?|organi[sz]er|nonprofit|non-profit|coalition|alliance|association|"
    r"union|foundation|group|watch|center|centre|league|society|network|movement|charity|lobby\w*|"
    r"federation|caucus for|action fund|project)\b", re.I)
_OFFICIAL = re.compile(
    r"\b(mayor|governor|gov\.|senator|sen\.|rep\.|representative|congress\w*|council\w*|commissioner|"
    r"secretary|minister|president|chair\w*|director|official|spokes\w+|police|sheriff|chief|judge|"
    r"attorney general|prosecutor|department|administration|agency|white house|lawmakers?|legislat\w+|"
    r"czar|ambassador|superintendent|board|county|city|state|federal|government|engineer|inspector|"
    r"manager|officer|trooper|clerk|treasurer|auditor|cabinet|parliament\w*|mp|premier)\b", re.I)
_AFFECTED = re.compile(
    r"\b(residents?|homeowners?|owners?|owns|parents?|mother|father|students?|workers?|employees?|patients?|"
    r"victims?|neighbou?rs?|tenants?|renters?|rents|evacuees?|customers?|lives|lived|living|farmer|shopper|"
    r"commuter|survivor|widow|nurse|aide|driver|teacher|retiree|retired)\b|^\s*\d{1,3}\b",
    re.I)


def classify_role(speaker: str, description: str) -> tuple[str, str]:
    """(role, the words that decided it) from a speaker's title or description as written."""
    text = f"{description}".strip()
    for role, pattern in (("opposition", _OPPOSITION), ("expert", _EXPERT), ("advocate", _ADVOCATE),
                          ("affected", _AFFECTED), ("official", _OFFICIAL)):
        m = pattern.search(text)
        if m:
            return role, m.group(0)
    if re.search(r"\b(Mayor|Gov|Sen|Rep|Chief|Judge|President|Council\w*|Commissioner|Director|Secretary|"
                 r"Minister|Governor|Senator|Sheriff|Officer)\b", speaker):
        return "official", speaker
    return "other", ""


@dataclass(frozen=True, slots=True)
class VoiceInput:
    """One quoted speaker in one article: name, title/description as written, quoted words."""

    speaker: str
    description: str = ""
    words: int = 0
    quotes: int = 1


@dataclass(frozen=True, slots=True)
class VoiceRow:
    """A speaker as the framing report shows them: role, why, number of quotes and quoted words."""

    speaker: str
    role: str
    count: int
    words: int
    description: str = ""
    why: str = ""


def _strip_title(name: str) -> str:
    """ "Councilmember Lila Brandt" -> "Lila Brandt" (the title belongs in the description)."""
    words = name.split()
    while len(words) > 2 and words[0].lower().strip(".") in _TITLES:
        words = words[1:]
    return " ".join(words)


def voice_rows(inputs: Iterable[VoiceInput]) -> tuple[VoiceRow, ...]:
    """Merge an article's inputs by speaker (surname key) and classify each speaker's role."""
    merged: dict[str, list[VoiceInput]] = defaultdict(list)
    for v in inputs:
        if v.speaker.strip():
            merged[entity_key(v.speaker, "PERSON")].append(v)
    rows = []
    for vs in merged.values():
        name = _strip_title(max((v.speaker for v in vs), key=len))
        desc = max((v.description for v in vs), key=len)
        role, why = classify_role(name, " ; ".join(v.description for v in vs if v.description))
        rows.append(VoiceRow(name, role, sum(v.quotes for v in vs), sum(v.words for v in vs), desc, why))
    rows.sort(key=lambda r: (-r.words, r.speaker))
    return tuple(rows)


def role_shares(rows: Iterable[VoiceRow]) -> dict[str, float]:
    """Share of the quoted words per role (roles with no words left out)."""
    words: Counter[str] = Counter()
    for r in rows:
        words[r.role] += max(1, r.words)
    total = sum(words.values())
    return {role: round(words[role] / total, 4) for role in ROLES if words[role]} if total else {}


def voice_imbalance(shares: Mapping[str, float], reference: Mapping[str, float]) -> float:
    """How far an article's voice mix is from the story's (total variation distance, 0..1).

    >>> voice_imbalance({"official": 1.0}, {"official": 0.5, "opposition": 0.5})
    0.5
    """
    if not shares or not reference:
        return 0.0
    return round(0.5 * sum(abs(shares.get(r, 0.0) - reference.get(r, 0.0)) for r in ROLES), 4)


def missing_roles(own: Mapping[str, float], others: Sequence[Mapping[str, float]], *,
                  min_share: float = 0.1) -> tuple[str, ...]:
    """Voice groups (not ``other``) that another article gives at least ``min_share`` of its quoted
    words to, and this article never quotes."""
    present = {r for shares in others for r, s in shares.items() if s >= min_share and r != "other"}
    return tuple(r for r in ROLES if r in present and r not in own)


# --- a quote-mark based extractor, used until a quote module's output is passed in --------------

_DESC_DEPS = {"appos", "relcl", "acl", "amod"}


def _describe(doc: Any, start: int, end: int) -> str:
    """Title before the name and apposition after it: "County Engineer" / "director of X, a nonprofit"."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return ""
    root = span.root
    left = [t for t in root.lefts if t.i < span.start and t.dep_ in ("compound", "amod", "nmod", "poss", "nummod")]
    parts = []
    if left:
        lo = min(t.left_edge.i for t in left)
        parts.append(doc[lo:span.start].text)
    for child in root.rights:
        if child.dep_ in _DESC_DEPS and child.i >= span.end:
            sub = doc[child.left_edge.i:child.right_edge.i + 1].text
            parts.append(sub[:160])
    if root.dep_ == "appos" and root.head.i < span.start:  # "the director, Jane Roe,"
        head = root.head
        parts.append(doc[head.left_edge.i:head.i + 1].text)
    # "X, 52, a home health aide"
    nxt = doc[span.end:span.end + 3]
    if len(nxt) >= 2 and nxt[0].text == "," and nxt[1].like_num:
        parts.append(nxt[1].text)
    return "; ".join(p.strip(" ,") for p in parts if p.strip(" ,"))


_CAP = r"(?:[A-Z][\w’'.-]*\s?){1,5}"
# the speech verbs a name stands beside ("…,” said Jo Roe"), in the past, and "says", "adds": the part of
# SPEECH_VERBS this fallback was written with
_SAID = pick(SPEECH_VERBS, "say add tell write explain ask insist argue warn declare note recall continue")
_VERBS = f"(?:{alternation([*map(past_tense, _SAID), present_tense('say'), present_tense('add')])})"
_AFTER = re.compile(r"^[\s,—–-]*" + _VERBS + r"\s+(" + _CAP + r")|^[\s,—–-]*(" + _CAP + r")\s*" + _VERBS + r"\b")
_BEFORE = re.compile(r"(" + _CAP + r")\s*" + _VERBS + r"[^.“\"]{0,60}[:,]?\s*$")
# titles stripped from the front of a name found beside a quote: the part of TITLE_WORDS this fallback was
# written with, and "county", which opens local titles ("County Engineer")
_TITLES = pick(TITLE_WORDS, """mr mrs ms dr councilmember councilwoman councilman mayor chair director president sen
    rep gov engineer council""") | {"county"}
# "he said" / "said she" in the quote's sentence when no name is near: the last person named spoke
_SAID_AFTER_PRONOUN = [*map(past_tense, pick(_SAID, "say add tell write explain ask")), present_tense("say")]
_SAID_BEFORE_PRONOUN = [past_tense("say"), present_tense("say"), past_tense("add")]
_PRONOUN_SAID = re.compile(
    rf"\b(he|she|they)\s+({alternation(_SAID_AFTER_PRONOUN)})\b|\b({alternation(_SAID_BEFORE_PRONOUN)})\s+(he|she)\b"
)


def _name_near(text: str, qs: int, qe: int) -> str | None:
    """A capitalised name right after ("…,” said Jo Roe") or before ("Roe said: “…") a quote."""
    m = _AFTER.match(text[qe:qe + 80])
    cand = (m.group(1) or m.group(2)) if m else None
    if not cand:
        line_start = max(text.rfind("\n", 0, qs), text.rfind(". ", 0, qs) + 1, 0)
        b = _BEFORE.search(text[line_start:qs])
        cand = b.group(1) if b else None
    if not cand:
        return None
    words = [w.strip(" ,.") for w in cand.split() if w.strip(" ,.")]
    words = [w for w in words if w.lower().strip(".") not in _TITLES and w not in ("The", "A", "An")]
    if not words or words[-1] in ("He", "She", "They", "It", "I", "We"):
        return None
    return " ".join(words)


def derive_voices(text: str, doc: Any, quoted: QuotedRegions, *, min_words: int = 3) -> tuple[VoiceInput, ...]:
    """Quoted speakers from quotation marks: each quote of ``min_words`` or more goes to the PERSON
    nearest to it in its sentence (or paragraph), a "he said" to the last person named before."""
    persons = [e for e in doc.ents if e.label_ == "PERSON" and not quoted.contains(e.start_char, e.end_char)]
    descriptions: dict[str, str] = {}
    names: dict[str, str] = {}
    for e in persons:
        key = entity_key(e.text, "PERSON")
        d = _describe(doc, e.start_char, e.end_char)
        if len(d) > len(descriptions.get(key, "")):
            descriptions[key] = d
        if len(e.text) > len(names.get(key, "")):
            names[key] = e.text
    found: list[tuple[str, int]] = []
    last_person: str | None = None
    person_iter = sorted(persons, key=lambda e: e.start_char)
    for qs, qe in quoted.regions:
        words = len(re.findall(r"[A-Za-z0-9’'-]+", text[qs:qe]))
        while person_iter and person_iter[0].start_char < qs:
            last_person = entity_key(person_iter.pop(0).text, "PERSON")
        if words < min_words:
            continue
        para_start = text.rfind("\n\n", 0, qs)
        para_start = 0 if para_start < 0 else para_start + 2
        para_end = text.find("\n\n", qe)
        para_end = len(text) if para_end < 0 else para_end
        sent = doc.char_span(qs, qe, alignment_mode="expand")
        s_lo = sent[0].sent.start_char if sent is not None else para_start
        s_hi = sent[-1].sent.end_char if sent is not None else para_end
        near = [e for e in persons if s_lo <= e.start_char and e.end_char <= s_hi]
        near = near or [e for e in persons if para_start <= e.start_char and e.end_char <= para_end]
        speaker: str | None = None
        named = _name_near(text, qs, qe)
        if named:
            speaker = entity_key(named, "PERSON")
            if speaker not in names or not descriptions.get(speaker):
                full = re.search(r"(?:[A-Z][\w’'.-]+\s){1,4}" + re.escape(named.split()[-1]) + r"\b", text)
                parts = full.group(0).split() if full else named.split()
                if speaker not in names:
                    names[speaker] = " ".join(parts[-2:]) if len(parts) >= 2 else named
                if full:
                    title = " ".join(parts[:-2])
                    rest = _describe(doc, full.start(), full.end())
                    descriptions[speaker] = "; ".join(p for p in (title, rest) if p)
        elif near:
            best = min(near, key=lambda e: min(abs(e.start_char - qe), abs(qs - e.end_char)))
            speaker = entity_key(best.text, "PERSON")
        else:
            window = text[s_lo:s_hi].lower()
            if last_person and _PRONOUN_SAID.search(window):
                speaker = last_person
        if speaker:
            found.append((speaker, words))
    per: dict[str, list[int]] = defaultdict(list)
    for key, words in found:
        per[key].append(words)
    return tuple(VoiceInput(names.get(k, k), descriptions.get(k, ""), sum(ws), len(ws)) for k, ws in per.items())


def voices_from_quotes(mentions: Iterable[Any], texts: Mapping[str, str], *,
                       direct_only: bool = False) -> dict[str, list[VoiceInput]]:
    """Adapter for the quotes module: ``QuoteAnalysis.mentions`` (each with ``article_id``,
    ``speaker``, ``speaker_title``, ``speaker_as_written``, ``parts``, ``direct``) -> the
    ``voices_input`` that :func:`newsprism.analysis.framing.profile.analyze_framing` takes. Mentions with
    no resolved speaker are left out; indirect speech counts unless ``direct_only``."""
    per: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for m in mentions:
        speaker = getattr(m, "speaker", None)
        if not speaker or (direct_only and not getattr(m, "direct", True)):
            continue
        text = texts.get(m.article_id, "")
        n = sum(len(re.findall(r"[A-Za-z0-9’'-]+", text[s:e])) for s, e in getattr(m, "parts", ()))
        desc = "; ".join(x for x in (getattr(m, "speaker_title", "") or "",
                                     getattr(m, "speaker_as_written", "") or "") if x and x != speaker)
        per[(m.article_id, speaker)].append((desc, n))
    out: dict[str, list[VoiceInput]] = defaultdict(list)
    for (aid, speaker), items in per.items():
        out[aid].append(VoiceInput(speaker, max((d for d, _ in items), key=len), sum(n for _, n in items),
                                   len(items)))
    return dict(out)


def entropy(shares: Mapping[str, float]) -> float:
    """Shannon entropy of a role mix, in bits (0 when one group has every word)."""
    return -sum(s * math.log2(s) for s in shares.values() if s > 0)
