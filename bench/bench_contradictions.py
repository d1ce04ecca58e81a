"""Contradiction detection, measured on a rule-edited suite built from the dev stories, and on the demo.

    .venv/bin/python bench/bench_contradictions.py               # full suite + demo story
    .venv/bin/python bench/bench_contradictions.py --quick       # a quarter of the cases (fast check)
    .venv/bin/python bench/bench_contradictions.py --errors 15   # also list misses and false alarms
    .venv/bin/python bench/bench_contradictions.py --natural     # also run on the unedited stories

The suite is generated at run time (fixed seed) from BASIL and NewsWCL50 sentences; no dataset text is
stored in the repository. Each case is a two-article mini story: article A holds a real sentence with
its paragraph (and the paragraph before), article B holds another outlet's lede from the same story
plus the same paragraphs with one sentence edited by a rule whose label is known:

* conflicts: a number changed beyond rounding, a vote tally changed, a date or weekday moved, a
  person's title or party swapped, the speaker of a statement swapped, a verb turned into its
  antonym or negated, a place or a doer swapped;
* non-conflicts: a number rounded ("1,180" -> "about 1,200"), hedged, spelled out, or moved to
  another noun; a detail added; a title written more or less specifically or spelled out; a
  weekday written as its date; a verb replaced by a synonym; and, unedited, the hand-labelled
  pairs of two outlets' sentences stating one fact (``bench/gold/claim_pairs.jsonl``, label
  ``same``): real paraphrases, each in its own outlet's paragraph.

Every case runs through the real pipeline pieces (annotate -> analyze_claims -> find_contradictions).
A conflict case is a true positive when a contradiction of the right kind has the original sentence
on one side and the edited one on another; every other contradiction reported is a false positive.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.datasets import BenchArticle, BenchStory, basil_stories, newswcl50_stories, require_data  # noqa: E402
from bench.metrics import prf  # noqa: E402
from newsprism.analysis.claims import analyze_claims  # noqa: E402
from newsprism.analysis.contradictions.detect import KINDS, ContradictionRow, find_contradictions  # noqa: E402
from newsprism.model import Article, Story  # noqa: E402
from newsprism.nlp.annotate import annotate  # noqa: E402
from newsprism.nlp.quantities import extract_quantities  # noqa: E402
from newsprism.nlp.spacy_pipeline import parse  # noqa: E402

DEMO = ROOT / "examples" / "brenmoor-dam"
SEED = 20260304

# --- edit rules ----------------------------------------------------------------------------------

#: (family, kind, quota): kind "none" marks a meaning-preserving edit
FAMILIES: list[tuple[str, str, int]] = [
    ("number_change", "number", 70), ("vote_change", "number", 15), ("date_change", "date", 60),
    ("role_swap", "role", 60), ("speaker_swap", "attribution", 50), ("antonym", "polarity", 35),
    ("negation", "polarity", 35), ("place_swap", "place", 25), ("actor_swap", "actor", 25),
    ("round", "none", 50), ("hedge", "none", 45), ("spell_out", "none", 40), ("add_detail", "none", 50),
    ("other_noun", "none", 40), ("title_variant", "none", 50), ("date_as_weekday_or_date", "none", 40),
    ("verb_synonym", "none", 40), ("paraphrase", "none", 0),
]
#: hand-labelled cross-outlet sentence pairs stating one fact (the claim-alignment gold set): real
#: paraphrases, the hardest non-conflicts
GOLD_PAIRS = ROOT / "bench" / "gold" / "claim_pairs.jsonl"

_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
# verb forms: base, 3rd singular, past, past participle, -ing
_FORMS = {w.split()[0]: tuple(w.split()) for w in """
    approve approves approved approved approving|pass passes passed passed passing
    reject rejects rejected rejected rejecting|win wins won won winning|lose loses lost lost losing
    rise rises rose risen rising|fall falls fell fallen falling|increase increases increased increased increasing
    decrease decreases decreased decreased decreasing|raise raises raised raised raising|cut cuts cut cut cutting
    allow allows allowed allowed allowing|ban bans banned banned banning|permit permits permitted permitted permitting
    prohibit prohibits prohibited prohibited prohibiting|support supports supported supported supporting
    oppose opposes opposed opposed opposing|back backs backed backed backing|accept accepts accepted accepted accepting
    confirm confirms confirmed confirmed confirming|deny denies denied denied denying|open opens opened opened opening
    close closes closed closed closing|include includes included included including
    exclude excludes excluded excluded excluding|climb climbs climbed climbed climbing
    drop drops dropped dropped dropping
    secure secures secured secured securing|endorse endorses endorsed endorsed endorsing
    adopt adopts adopted adopted adopting|lift lifts lifted lifted lifting
""".replace("\n", "|").split("|") if w.strip()}
_ANTONYM = {"approve": "reject", "pass": "reject", "reject": "approve", "win": "lose", "lose": "win", "rise": "fall",
            "fall": "rise", "increase": "decrease", "decrease": "increase", "raise": "cut", "cut": "raise",
            "allow": "ban", "ban": "allow", "permit": "prohibit", "support": "oppose", "oppose": "support",
            "accept": "reject", "confirm": "deny", "deny": "confirm", "open": "close", "close": "open",
            "include": "exclude", "endorse": "oppose", "adopt": "reject"}
_SYNONYM = {"approve": "pass", "pass": "approve", "rise": "climb", "fall": "drop", "increase": "raise",
            "support": "back", "back": "support", "ban": "prohibit", "allow": "permit", "win": "secure",
            "endorse": "back", "adopt": "approve"}
_TAG_FORM = {"VB": 0, "VBP": 0, "VBZ": 1, "VBD": 2, "VBN": 3, "VBG": 4}
_SAY = {"say", "tell", "add", "state", "write", "note", "explain", "claim", "insist", "argue", "announce"}
# communication and opinion verbs: a swapped subject there changes who said or thought it, which the
# suite labels attribution (speaker_swap) rather than actor
_COMMUNICATION = _SAY | {"declare", "call", "charge", "tweet", "agree", "believe", "think", "speak", "accuse", "urge",
                         "warn", "ask", "answer", "respond", "reply", "praise", "criticize", "decline", "suggest",
                         "acknowledge", "admit", "deny", "confirm", "argue", "contend", "emphasize", "stress"}
_TITLE_SWAP = {
    "Sen.": "Gov.", "Senator": "Governor", "Rep.": "Sen.", "Representative": "Senator", "Gov.": "Sen.",
    "Governor": "Senator", "Mayor": "Gov.", "President": "Governor", "Speaker": "Senator",
    "Secretary": "Director", "Director": "Chief", "Chairman": "Treasurer", "Chairwoman": "Treasurer",
    "Judge": "Sheriff", "Justice": "Senator", "Commissioner": "Director", "Ambassador": "Senator",
    "Chief": "Director", "Minister": "Ambassador",
}
_PARTY_SWAP = {"Republican": "Democratic", "Democratic": "Republican", "GOP": "Democratic"}
_TITLE_VARIANT = {
    "Sen.": "Senator", "Senator": "Sen.", "Rep.": "Representative", "Representative": "Rep.", "Gov.": "Governor",
    "Governor": "Gov.", "Chairman": "Chair", "Councilman": "Council member", "Councilwoman": "Council member",
    "President": "U.S. President", "Mayor": "City Mayor", "Secretary": "Secretary",
}
_CLAUSES = [", officials said", ", according to people familiar with the matter", ", a move that drew wide attention",
            " amid growing scrutiny", ", the latest step in a long process"]
_OTHER_NOUNS = ["vehicles", "buildings", "pages", "schools", "boxes", "flights", "trucks", "tents"]


@dataclass
class Edit:
    family: str
    kind: str  # contradiction kind, or "none"
    new: str  # the edited sentence
    note: str  # what changed, for error listings
    guard: tuple[str, ...] = ()  # strings the B lede must not contain (else it states the original)
    also: tuple[tuple[str, str], ...] = ()  # replacements to apply to the rest of the edited paragraph


@dataclass
class Sent:
    story: BenchStory
    article: BenchArticle
    index: int
    text: str
    doc: Any  # spaCy Doc of the whole article
    span: Any  # spaCy Span of the sentence
    start: int
    pub: date | None


@dataclass
class Case:
    id: str
    family: str
    kind: str
    story: str
    a: Article
    b: Article
    a_span: tuple[int, int]
    b_span: tuple[int, int]
    original: str
    edited: str
    note: str
    found: tuple[ContradictionRow, ...] = ()
    hits: list[str] = field(default_factory=list)  # labels of the contradictions found


def _rel(sent: Sent, tok: Any) -> tuple[int, int]:
    return int(tok.idx) - sent.start, int(tok.idx) - sent.start + len(tok.text)


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _fmt(value: float, like: str) -> str:
    decimals = len(like.split(".")[1]) if "." in like else 0
    text = f"{value:,.{decimals}f}" if "," in like or value >= 10000 else f"{value:.{decimals}f}"
    return text


def _quantities(sent: Sent) -> list[Any]:
    return extract_quantities(sent.text, published=sent.pub)


def _noun_after(sent: Sent, end: int) -> Any:
    for tok in sent.span:
        if int(tok.idx) - sent.start >= end:
            return tok if tok.pos_ == "NOUN" else None
    return None


def _numeral(q: Any) -> re.Match[str] | None:
    return re.search(r"\d[\d,]*(?:\.\d+)?", q.text)


def _countable(sent: Sent, q: Any) -> bool:
    if q.kind in ("money", "percent", "quantity"):
        return True
    return q.kind == "cardinal" and _noun_after(sent, q.end) is not None


def gen_number_change(sent: Sent, rng: random.Random) -> Iterator[Edit]:
    for q in _quantities(sent):
        if q.kind not in ("money", "percent", "quantity", "cardinal") or q.approximate or q.value2 is not None:
            continue
        if q.value is None or q.value < 2 or (q.kind == "cardinal" and 1800 <= q.value <= 2100):
            continue
        if re.search(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s*$", sent.text[:q.start]):
            continue  # "Sept. 11" is a date
        if not _countable(sent, q):
            continue
        m = _numeral(q)
        if m is None:
            word = q.text.lower()
            if word in _WORDS and _WORDS.index(word) >= 2:
                new = _WORDS[(_WORDS.index(word) + rng.choice([3, 4, 5])) % len(_WORDS) or 3]
                if q.text[:1].isupper():
                    new = new.capitalize()
                if new.lower() != word and _WORDS.index(new.lower()) >= 2:
                    yield Edit("number_change", "number", _replace(sent.text, q.start, q.end, new),
                               f"{q.text} -> {new}", guard=(q.text,))
            continue
        literal = m.group(0)
        old = float(literal.replace(",", ""))
        for _ in range(4):
            factor = rng.choice([0.4, 0.5, 1.6, 2.0, 2.5, 3.0])
            new_value = old * factor
            if "." not in literal:
                new_value = float(round(new_value)) if old >= 10 else float(old + rng.choice([2, 3, 4, 5]))
            new_lit = _fmt(new_value, literal)
            if new_lit != literal and abs(new_value - old) / old >= 0.3:
                s, e = q.start + m.start(), q.start + m.end()
                yield Edit("number_change", "number", _replace(sent.text, s, e, new_lit),
                           f"{q.text} -> {new_lit}", guard=(literal,))
                break


def gen_vote_change(sent: Sent, rng: random.Random) -> Iterator[Edit]:
    for q in _quantities(sent):
        if q.kind != "score" or q.value is None or q.value2 is None:
            continue
        a, b = int(q.value), int(q.value2)
        na, nb = (a + 1, b - 1) if b >= 1 else (a - 1, b + 1)
        if na < 0 or na == a:
            continue
        m = re.match(r"(\d+)(\s*[-–]\s*|\s+to\s+)(\d+)", q.text)
        if not m:
            continue
        new = f"{na}{m.group(2)}{nb}"
        yield Edit("vote_change", "number", _replace(sent.text, q.start, q.start + m.end(), new),
                   f"{q.text} -> {new}", guard=(q.text,))


def gen_date_change(sent: Sent, rng: random.Random) -> Iterator[Edit]:
    for q in _quantities(sent):
        if q.kind != "date":
            continue
        wd = re.search(r"\b(" + "|".join(_WEEKDAYS) + r")\b", q.text)
        md = re.search(r"\b(" + "|".join(_MONTHS) + r")\.? (\d{1,2})\b", q.text)
        yr = re.search(r"\b(19[5-9]\d|20[0-2]\d)\b", q.text)
        if md:
            day = int(md.group(2))
            nd = day + rng.choice([5, 7, 9, 11]) if day <= 16 else day - rng.choice([6, 8, 10])
            s, e = q.start + md.start(2), q.start + md.end(2)
            yield Edit("date_change", "date", _replace(sent.text, s, e, str(nd)), f"{q.text}: day {day} -> {nd}",
                       guard=(md.group(0),))
        elif wd:
            k = _WEEKDAYS.index(wd.group(1))
            new = _WEEKDAYS[(k + rng.choice([2, 3, 4, 5])) % 7]
            s, e = q.start + wd.start(1), q.start + wd.end(1)
            yield Edit("date_change", "date", _replace(sent.text, s, e, new), f"{wd.group(1)} -> {new}",
                       guard=(wd.group(1),))
        elif yr:
            y = int(yr.group(1))
            ny = y + rng.choice([-6, -4, -3, 3, 4])
            s, e = q.start + yr.start(1), q.start + yr.end(1)
            yield Edit("date_change", "date", _replace(sent.text, s, e, str(ny)), f"{y} -> {ny}", guard=(yr.group(1),))


def _titled_people(sent: Sent) -> Iterator[tuple[Any, Any, Any]]:
    """(title token, party token or None, PERSON entity) for "Sen. Ted Cruz", "Republican Gov. X"."""
    for ent in sent.doc.ents:
        if ent.label_ != "PERSON" or not (sent.span.start <= ent.start and ent.end <= sent.span.end):
            continue
        if len(ent) < 2 or not all(t.text[:1].isupper() for t in ent):
            continue
        i = ent.start - 1
        if i < sent.span.start:
            continue
        title = sent.doc[i]
        if title.text not in _TITLE_SWAP and title.text not in _TITLE_VARIANT:
            continue
        party = sent.doc[i - 1] if i - 1 >= sent.span.start and sent.doc[i - 1].text in _PARTY_SWAP else None
        yield title, party, ent


def _former(sent: Sent, tok: Any) -> bool:
    window = sent.doc[max(sent.span.start, tok.i - 3):tok.i]
    return any(t.lower_ in ("former", "late", "then", "ex", "onetime") for t in window)


def gen_role_swap(sent: Sent, rng: random.Random) -> Iterator[Edit]:
    for title, party, ent in _titled_people(sent):
        if _former(sent, party if party is not None else title):
            continue
        if party is not None and rng.random() < 0.5:
            s, e = _rel(sent, party)
            new = _PARTY_SWAP[party.text]
            old_phrase = f"{party.text} {title.text} {ent.text}"
            yield Edit("role_swap", "role", _replace(sent.text, s, e, new), f"{party.text} -> {new} ({ent.text})",
                       guard=(ent[-1].text,), also=((old_phrase, f"{new} {title.text} {ent.text}"),))
            continue
        if title.text not in _TITLE_SWAP:
            continue
        s, e = _rel(sent, title)
        new = _TITLE_SWAP[title.text]
        yield Edit("role_swap", "role", _replace(sent.text, s, e, new), f"{title.text} -> {new} ({ent.text})",
                   guard=(ent[-1].text,), also=((f"{title.text} {ent.text}", f"{new} {ent.text}"),))


def gen_title_variant(sent: Sent, rng: random.Random) -> Iterator[Edit]:
    for title, _, ent in _titled_people(sent):
        new = _TITLE_VARIANT.get(title.text)
        if not new or new == title.text:
            continue
        s, e = _rel(sent, title)
        yield Edit("title_variant", "none", _replace(sent.text, s, e, new), f"{title.text} -> {new} ({ent.text})")


def _story_people(story: BenchStory, docs: dict[str, Any]) -> list[str]:
    names = []
    for a in story.articles:
        for ent in docs[a.id].ents:
            if ent.label_ == "PERSON" and re.fullmatch(r"[A-Z][a-z]+(?: [A-Z]\.)? [A-Z][a-zA-Z-]+", ent.text):
                names.append(ent.text)
    return sorted(set(names))


def gen_speaker_swap(sent: Sent, rng: random.Random, people: Sequence[str]) -> Iterator[Edit]:
    for tok in sent.span:
        if tok.lemma_.lower() not in _SAY or tok.pos_ != "VERB":
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.ent_type_ != "PERSON":
            continue
        ent = next((e for e in sent.doc.ents if e.start <= subj.i < e.end and e.label_ == "PERSON"), None)
        if ent is None:
            continue
        surname = ent[-1].text
        options = [p for p in people if p.split()[-1] != surname and p.split()[-1] not in sent.text
                   and p.split()[0] not in sent.text]
        if not options:
            continue
        new = rng.choice(options)
        s, e = int(ent.start_char) - sent.start, int(ent.end_char) - sent.start
        yield Edit("speaker_swap", "attribution", _replace(sent.text, s, e, new), f"{ent.text} -> {new}",
                   guard=(new.split()[-1],))


def _finite(tok: Any) -> bool:
    if tok.tag_ in ("VBD", "VBZ", "VBP"):
        return True
    return tok.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in tok.children)


def _conditional(sent: Sent) -> bool:
    return bool(re.search(r"(?i)\b(if|whether|unless)\b|\?", sent.text))


def gen_antonym(sent: Sent, rng: random.Random, table: dict[str, str], family: str, kind: str) -> Iterator[Edit]:
    if kind != "none" and _conditional(sent):
        return
    for tok in sent.span:
        lemma = tok.lemma_.lower()
        if tok.pos_ != "VERB" or lemma not in table or tok.tag_ not in _TAG_FORM or not _finite(tok):
            continue
        other = table[lemma]
        if other not in _FORMS or any(t.lemma_.lower() == other for t in sent.span):
            continue
        if any(c.dep_ == "neg" for c in tok.children):
            continue
        new = _FORMS[other][_TAG_FORM[tok.tag_]]
        if tok.text[:1].isupper():
            new = new.capitalize()
        s, e = _rel(sent, tok)
        yield Edit(family, kind, _replace(sent.text, s, e, new), f"{tok.text} -> {new}")


def gen_negation(sent: Sent, rng: random.Random) -> Iterator[Edit]:
    if _conditional(sent):
        return
    root = sent.span.root
    pred = root
    if root.lemma_.lower() in _SAY:
        pred = next((c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
        if pred is None:
            return
    if pred.pos_ not in ("VERB", "AUX") or any(c.dep_ == "neg" for c in pred.children):
        return
    if any(t.dep_ == "neg" or t.lower_ in ("no", "never", "not", "n't") for t in pred.subtree):
        return
    auxes = [c for c in pred.children if c.dep_ in ("aux", "auxpass") and c.tag_ in ("MD", "VBZ", "VBP", "VBD")
             and c.i < pred.i and c.text.isalpha()]
    if auxes:
        aux = auxes[0]
        s, e = _rel(sent, aux)
        yield Edit("negation", "polarity", _replace(sent.text, e, e, " not"), f"{aux.text} -> {aux.text} not")
        return
    if pred.pos_ == "AUX" and pred.lemma_ == "be" and pred.tag_ in ("VBZ", "VBP", "VBD") and pred.text.isalpha():
        s, e = _rel(sent, pred)
        yield Edit("negation", "polarity", _replace(sent.text, e, e, " not"), f"{pred.text} -> {pred.text} not")
        return
    if pred.pos_ != "VERB" or pred.lemma_ in ("be", "have") or not pred.lemma_.isalpha():
        return
    do = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(pred.tag_)
    if do is None:
        return
    s, e = _rel(sent, pred)
    yield Edit("negation", "polarity", _replace(sent.text, s, e, f"{do} not {pred.lemma_}"),
               f"{pred.text} -> {do} not {pred.lemma_}")


def gen_place_swap(sent: Sent, rng: random.Random, places: Sequence[str], story_text: str) -> Iterator[Edit]:
    for tok in sent.span:
        if tok.dep_ != "prep" or tok.lower_ not in ("in", "at") or tok.head.pos_ != "VERB":
            continue
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.ent_type_ != "GPE":
            continue
        ent = next((e for e in sent.doc.ents if e.start <= pobj.i < e.end), None)
        if ent is None:
            continue
        options = [p for p in places if p.lower() not in story_text.lower()]
        if not options:
            continue
        new = rng.choice(options)
        s, e = int(ent.start_char) - sent.start, int(ent.end_char) - sent.start
        yield Edit("place_swap", "place", _replace(sent.text, s, e, new), f"in {ent.text} -> {new}",
                   guard=(new, ent.text.removeprefix("the ")))


def gen_actor_swap(sent: Sent, rng: random.Random, pool: dict[str, list[str]], story_text: str) -> Iterator[Edit]:
    for tok in sent.span:
        if tok.pos_ != "VERB" or tok.lemma_.lower() in _COMMUNICATION | {"be", "have"} or not _finite(tok):
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.ent_type_ not in ("PERSON", "ORG"):
            continue
        ent = next((e for e in sent.doc.ents if e.start <= subj.i < e.end), None)
        if ent is None or any(c.dep_ == "conj" for c in subj.children) or ent.text.lower().startswith("the "):
            continue
        if ent.label_ == "PERSON" and (len(ent) < 2 or subj.tag_ == "NNPS"):
            continue
        words = {w.lower() for w in ent.text.split()}
        options = [p for p in pool.get(ent.label_, []) if p.lower() not in story_text.lower()
                   and not words & {w.lower() for w in p.split()}]
        if not options:
            continue
        new = rng.choice(options)
        s, e = int(ent.start_char) - sent.start, int(ent.end_char) - sent.start
        honorific = re.search(r"(?:Mr|Mrs|Ms|Dr)\.\s$", sent.text[:s])
        if honorific:
            s = honorific.start()
        yield Edit("actor_swap", "actor", _replace(sent.text, s, e, new), f"{ent.text} {tok.text} -> {new}",
                   guard=(new, ent[-1].text))


def gen_round(sent: Sent, rng: random.Random) -> Iterator[Edit]:
    for q in _quantities(sent):
        if q.kind not in ("money", "cardinal") or q.approximate or q.value2 is not None or not _countable(sent, q):
            continue
        m = _numeral(q)
        if m is None:
            continue
        literal = m.group(0)
        old = float(literal.replace(",", ""))
        if "." in literal:  # "$4.8 million" -> "nearly $5 million"
            new_value = float(round(old))
            if new_value == old or new_value == 0:
                continue
        else:
            if old < 100 or (q.kind == "cardinal" and 1800 <= old <= 2100):
                continue
            digits = len(str(int(old)))
            new_value = float(round(old, -(digits - 2)))
            if new_value == old:
                continue
        hedge = "nearly" if new_value > old else "more than"
        if rng.random() < 0.4:
            hedge = "about"
        new_lit = _fmt(new_value, literal.split(".")[0])
        s, e = q.start + m.start(), q.start + m.end()
        edited = _replace(sent.text, s, e, new_lit)
        edited = _replace(edited, q.start, q.start, f"{hedge} ")
        yield Edit("round", "none", edited, f"{q.text} -> {hedge} {new_lit}")


def gen_hedge(sent: Sent, rng: random.Random) -> Iterator[Edit]:
    for q in _quantities(sent):
        if q.kind not in ("money", "cardinal", "percent", "quantity") or q.approximate or not _countable(sent, q):
            continue
        if q.value is None or (q.kind == "cardinal" and 1800 <= q.value <= 2100):
            continue
        before = sent.text[max(0, q.start - 4):q.start].lower()
        if re.search(r"\b(a|an)\s$", before):
            continue
        hedge = rng.choice(["about", "roughly", "some"])
        yield Edit("hedge", "none", _replace(sent.text, q.start, q.start, f"{hedge} "), f"{hedge} {q.text}")


def gen_spell_out(sent: Sent, rng: random.Random) -> Iterator[Edit]:
    for q in _quantities(sent):
        if q.kind == "cardinal" and re.fullmatch(r"\d{1,2}", q.text) and 2 <= int(q.text) <= 12 \
                and _countable(sent, q):
            word = _WORDS[int(q.text)]
            yield Edit("spell_out", "none", _replace(sent.text, q.start, q.end, word), f"{q.text} -> {word}")
        elif q.kind == "percent" and re.search(r"\d\s*%", q.text):
            new = re.sub(r"\s*%", " percent", q.text)
            yield Edit("spell_out", "none", _replace(sent.text, q.start, q.end, new), f"{q.text} -> {new}")
        elif q.kind == "percent" and re.search(r"(?i)\d\s+percent", q.text):
            new = re.sub(r"(?i)\s+percent", "%", q.text)
            yield Edit("spell_out", "none", _replace(sent.text, q.start, q.end, new), f"{q.text} -> {new}")


def gen_add_detail(sent: Sent, rng: random.Random) -> Iterator[Edit]:
    text = sent.text.rstrip()
    if not text.endswith(".") or text.endswith('."') or text.endswith(".”") or len(text) < 40:
        return
    clause = rng.choice(_CLAUSES)
    yield Edit("add_detail", "none", text[:-1] + clause + ".", f"+ '{clause.strip(', ')}'")


def gen_other_noun(sent: Sent, rng: random.Random) -> Iterator[Edit]:
    for q in _quantities(sent):
        if q.kind != "cardinal" or q.approximate or q.value is None or q.value < 2 or 1800 <= q.value <= 2100:
            continue
        noun = _noun_after(sent, q.end)
        if noun is None or noun.tag_ != "NNS":
            continue
        other = rng.choice([n for n in _OTHER_NOUNS if n not in sent.text])
        m = _numeral(q)
        new_num = _fmt(round(q.value * rng.choice([2, 3, 5]) + 7), m.group(0)) if m else "seventeen"
        ns, ne = _rel(sent, noun)
        edited = _replace(sent.text, ns, ne, other)
        edited = _replace(edited, q.start, q.end, new_num)
        yield Edit("other_noun", "none", edited, f"{q.text} {noun.text} -> {new_num} {other}")


def gen_date_equiv(sent: Sent, rng: random.Random) -> Iterator[Edit]:
    if sent.pub is None:
        return
    for q in _quantities(sent):
        if q.kind != "date" or not q.iso or not re.fullmatch(r"\d{4}-\d\d-\d\d", q.iso):
            continue
        day = date.fromisoformat(q.iso)
        wd = re.fullmatch(r"(?:on\s+)?(" + "|".join(_WEEKDAYS) + r")", q.text)
        if wd:
            new = f"{_MONTHS[day.month - 1]} {day.day}"
            s, e = q.start + wd.start(1), q.start + wd.end(1)
            yield Edit("date_as_weekday_or_date", "none", _replace(sent.text, s, e, new), f"{wd.group(1)} -> {new}")
        elif re.fullmatch(r"(" + "|".join(_MONTHS) + r")\.? \d{1,2}", q.text) and 0 <= (sent.pub - day).days <= 5:
            new = _WEEKDAYS[day.weekday()]
            yield Edit("date_as_weekday_or_date", "none", _replace(sent.text, q.start, q.end, new),
                       f"{q.text} -> {new}")


# --- building the suite ----------------------------------------------------------------------------


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for chunk in text.split("\n\n"):
        out.append((pos, pos + len(chunk)))
        pos += len(chunk) + 2
    return out


def _pub(a: BenchArticle) -> date | None:
    return date.fromisoformat(a.published) if a.published else None


def generate(stories: list[BenchStory], quick: bool) -> list[Case]:
    rng = random.Random(SEED)
    all_articles = [a for s in stories for a in s.articles]
    docs = dict(zip([a.id for a in all_articles], parse([a.text for a in all_articles]), strict=True))
    places = sorted({e.text for d in docs.values() for e in d.ents if e.label_ == "GPE" and len(e.text) > 3
                     and re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*", e.text)
                     and d[e.start - 1].lower_ in ("in", "at")})
    orgs = sorted({e.text for d in docs.values() for e in d.ents if e.label_ == "ORG" and len(e) >= 2
                   and re.fullmatch(r"(?:the )?[A-Z][A-Za-z]+(?: (?:of |for |and )?[A-Z][A-Za-z]+)+", e.text)})
    candidates: dict[str, list[tuple[Sent, Edit]]] = defaultdict(list)
    for story in stories:
        story_text = " ".join(a.text for a in story.articles)
        people = _story_people(story, docs)
        pool = {"PERSON": [p for s2 in stories if s2 is not story for p in _story_people(s2, docs)][:400],
                "ORG": orgs}
        for article in story.articles:
            doc = docs[article.id]
            for k, (s0, s1) in enumerate(article.sentences):
                text = article.text[s0:s1]
                if len(text.split()) < 6 or "\n" in text:
                    continue
                span = doc.char_span(s0, s1, alignment_mode="expand")
                if span is None:
                    continue
                sent = Sent(story, article, k, text, doc, span, s0, _pub(article))
                gens: list[Iterator[Edit]] = [
                    gen_number_change(sent, rng), gen_vote_change(sent, rng), gen_date_change(sent, rng),
                    gen_role_swap(sent, rng), gen_speaker_swap(sent, rng, people),
                    gen_antonym(sent, rng, _ANTONYM, "antonym", "polarity"), gen_negation(sent, rng),
                    gen_place_swap(sent, rng, places, story_text), gen_actor_swap(sent, rng, pool, story_text),
                    gen_round(sent, rng), gen_hedge(sent, rng), gen_spell_out(sent, rng), gen_add_detail(sent, rng),
                    gen_other_noun(sent, rng), gen_title_variant(sent, rng), gen_date_equiv(sent, rng),
                    gen_antonym(sent, rng, _SYNONYM, "verb_synonym", "none"),
                ]
                for g in gens:
                    for edit in g:
                        if edit.new != text:
                            candidates[edit.family].append((sent, edit))
                            break  # one edit of a family per sentence
    cases: list[Case] = []
    used: set[tuple[str, int]] = set()
    for family, _kind, quota in FAMILIES:
        pool_c = candidates.get(family, [])
        rng.shuffle(pool_c)
        per_story: Counter[str] = Counter()
        want = max(1, quota // 4) if quick else quota
        taken = 0
        for cap in (2, 4, 1000):  # spread cases over stories first
            for sent, edit in pool_c:
                if taken >= want:
                    break
                key = (sent.article.id, sent.index)
                if key in used or per_story[sent.story.id] >= cap:
                    continue
                case = _make_case(len(cases), sent, edit, rng)
                if case is None:
                    continue
                used.add(key)
                per_story[sent.story.id] += 1
                cases.append(case)
                taken += 1
    return cases


def _context_of(article: BenchArticle, start: int, text: str) -> tuple[str, tuple[int, int]] | None:
    """The sentence's paragraph and the one before it, and the sentence's offsets in that text."""
    paras = _paragraphs(article.text)
    p = next((i for i, (s, e) in enumerate(paras) if s <= start < e), None)
    if p is None:
        return None
    ps, pe = paras[p]
    prev = article.text[paras[p - 1][0]:paras[p - 1][1]] if p > 0 else ""
    body = (prev + "\n\n" if prev else "") + article.text[ps:pe]
    at = (len(prev) + 2 if prev else 0) + (start - ps)
    return body, (at, at + len(text))


def paraphrase_cases(stories: list[BenchStory], first_id: int, quick: bool) -> list[Case]:
    """Two outlets' own sentences stating one fact (hand-labelled ``same``), each in its paragraph."""
    by_id = {s.id: s for s in stories}
    rows = [json.loads(line) for line in GOLD_PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["label"] == "same" and not r.get("unsure")]
    if quick:
        rows = rows[::4]
    cases = []
    for r in rows:
        story = by_id.get(r["story"])
        if story is None:
            continue
        ends = []
        for ref in (r["a"], r["b"]):
            article = story.article(ref["article"])
            s0, s1 = article.sentences[ref["sentence"]]
            ctx = _context_of(article, s0, article.text[s0:s1])
            if ctx is None:
                break
            pub = _pub(article)
            ends.append((article, ctx, article.text[s0:s1], pub))
        if len(ends) != 2:
            continue
        n = first_id + len(cases)
        (aa, (ta, sa), xa, pa), (ab, (tb, sb), xb, pb) = ends
        a = Article.create(id=f"case{n}-a", outlet=aa.outlet, text=ta,
                           published=datetime.combine(pa, datetime.min.time()) if pa else None)
        b = Article.create(id=f"case{n}-b", outlet=ab.outlet, text=tb,
                           published=datetime.combine(pb, datetime.min.time()) if pb else None)
        cases.append(Case(f"case{n}", "paraphrase", "none", story.id, a, b, sa, sb, xa, xb, "gold same-claim pair"))
    return cases


def _make_case(n: int, sent: Sent, edit: Edit, rng: random.Random) -> Case | None:
    article = sent.article
    paras = _paragraphs(article.text)
    p = next((i for i, (s, e) in enumerate(paras) if s <= sent.start < e), None)
    if p is None:
        return None
    ps, pe = paras[p]
    prev = article.text[paras[p - 1][0]:paras[p - 1][1]] if p > 0 else ""
    para = article.text[ps:pe]
    a_text = (prev + "\n\n" + para) if prev else para
    a_start = (len(prev) + 2 if prev else 0) + (sent.start - ps)
    a_span = (a_start, a_start + len(sent.text))
    # B: the same paragraphs with the sentence edited (and the same swap applied around it), after
    # another outlet's lede
    rel = sent.start - ps
    new_para = para[:rel] + edit.new + para[rel + len(sent.text):]
    before, after = new_para[:rel], new_para[rel + len(edit.new):]
    for old, new in edit.also:
        before, after = before.replace(old, new), after.replace(old, new)
    new_para = before + edit.new + after
    new_prev = prev
    for old, new in edit.also:
        new_prev = new_prev.replace(old, new)
    others = [a for a in sent.story.articles if a.id != article.id]
    lede = ""
    if others:
        other = others[n % len(others)]
        for s, e in _paragraphs(other.text)[:3]:
            chunk = other.text[s:e]
            if len(chunk.split()) >= 15 and "\n" not in chunk:
                lede = chunk
                break
        if any(g and g in lede for g in edit.guard):
            lede = ""
    parts = [x for x in (lede, new_prev) if x]
    head = "\n\n".join(parts)
    b_text = (head + "\n\n" + new_para) if head else new_para
    b_start = (len(head) + 2 if head else 0) + len(before)
    b_span = (b_start, b_start + len(edit.new))
    pub = _pub(article)
    pub_b = pub + timedelta(days=1) if pub is not None and n % 3 == 0 else pub
    outlet_b = others[n % len(others)].outlet if others else "Other Outlet"
    a = Article.create(id=f"case{n}-a", outlet=article.outlet, text=a_text,
                       published=datetime.combine(pub, datetime.min.time()) if pub else None)
    b = Article.create(id=f"case{n}-b", outlet=outlet_b if outlet_b != article.outlet else "Other Outlet",
                       text=b_text, published=datetime.combine(pub_b, datetime.min.time()) if pub_b else None)
    assert a.text[a_span[0]:a_span[1]] == sent.text
    assert b.text[b_span[0]:b_span[1]] == edit.new
    family_kind = edit.kind
    return Case(f"case{n}", edit.family, family_kind, sent.story.id, a, b, a_span, b_span, sent.text, edit.new,
                edit.note)


# --- running and scoring ------------------------------------------------------------------------------


def run_cases(cases: list[Case]) -> float:
    articles = [x for c in cases for x in (c.a, c.b)]
    t0 = time.perf_counter()
    anns = annotate(articles)
    by_id = {a.article_id: a for a in anns}
    for c in cases:
        story = Story(id=c.id, articles=(c.a, c.b), annotations=(by_id[c.a.id], by_id[c.b.id]))
        c.found = find_contradictions(story, analyze_claims(story))
    return time.perf_counter() - t0


def _covers(x: ContradictionRow, article: str, span: tuple[int, int]) -> set[int]:
    return {k for k, side in enumerate(x.sides) for s in side.spans
            if s.article_id == article and s.start < span[1] and span[0] < s.end}


def score(cases: list[Case]) -> dict[str, Any]:
    tp: Counter[str] = Counter()
    reported: Counter[str] = Counter()
    wrong_kind = 0
    by_family: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # cases, hits, false alarms
    for c in cases:
        fam = by_family[c.family]
        fam[0] += 1
        for x in c.found:
            reported[x.kind] += 1
            sa, sb = _covers(x, c.a.id, c.a_span), _covers(x, c.b.id, c.b_span)
            pair = bool(sa and sb and (sa != sb or len(sa | sb) > 1))
            if c.kind != "none" and pair and x.kind == c.kind:
                tp[x.kind] += 1
                fam[1] += 1
                c.hits.append("TP")
            else:
                fam[2] += 1
                if c.kind != "none" and pair:
                    wrong_kind += 1
                c.hits.append(f"FP:{x.kind}")
    positives = Counter(c.kind for c in cases if c.kind != "none")
    return {"tp": tp, "reported": reported, "positives": positives, "wrong_kind": wrong_kind,
            "families": by_family}


def _prf(tp: int, reported: int, positives: int) -> tuple[str, str, str]:
    """Precision and recall as table cells ("–" where nothing was reported or planted), and the counts."""
    m = prf(tp, reported, positives)
    p = f"{m.precision:.2f}" if reported else "–"
    r = f"{m.recall:.2f}" if positives else "–"
    return p, r, f"{tp}/{reported}/{positives}"


def print_report(cases: list[Case], s: dict[str, Any], seconds: float, args: argparse.Namespace) -> None:
    n_pos = sum(1 for c in cases if c.kind != "none")
    print(f"# Contradictions — {date.today()} — {platform.machine()}, {os.cpu_count()} cores\n")
    print(f"Command: `.venv/bin/python bench/bench_contradictions.py{' --quick' if args.quick else ''}`  ")
    print(f"Data: BASIL (70 triples) + NewsWCL50 (5 events) dev sentences, rule-edited with seed {SEED}, plus "
          f"the gold same-claim pairs: {len(cases)} cases ({n_pos} conflicts, {len(cases) - n_pos} "
          "meaning-preserving or paraphrase); "
          f"annotate + analyze_claims + find_contradictions in {seconds:.0f} s.\n")
    print("| kind | precision | recall | TP / reported / planted |")
    print("|---|---:|---:|---:|")
    for kind in KINDS:
        if s["reported"][kind] or s["positives"][kind]:
            p, r, counts = _prf(s["tp"][kind], s["reported"][kind], s["positives"][kind])
            print(f"| {kind} | {p} | {r} | {counts} |")
    p, r, counts = _prf(sum(s["tp"].values()), sum(s["reported"].values()), sum(s["positives"].values()))
    print(f"| **overall** | **{p}** | **{r}** | {counts} |")
    print(f"\nRight sentence pair but wrong kind: {s['wrong_kind']}.\n")
    print("| edit family | kind | cases | found | false alarms |")
    print("|---|---|---:|---:|---:|")
    for family, kind, _ in FAMILIES:
        if family in s["families"]:
            n, hit, fa = s["families"][family]
            print(f"| {family} | {kind} | {n} | {hit if kind != 'none' else '–'} | {fa} |")


def print_errors(cases: list[Case], limit: int) -> None:
    misses = [c for c in cases if c.kind != "none" and "TP" not in c.hits]
    alarms = [(c, x) for c in cases for x, h in zip(c.found, c.hits, strict=True) if h != "TP"]
    print(f"\n## Misses ({len(misses)}), first {limit}\n")
    for c in misses[:limit]:
        print(f"- {c.id} {c.family} [{c.note}] A: {c.original[:160]!r}\n  B: {c.edited[:160]!r}")
    print(f"\n## False alarms ({len(alarms)}), first {limit}\n")
    for c, x in alarms[:limit]:
        print(f"- {c.id} {c.family} -> {x.kind}: {x.why[:160]}")
        for side in x.sides:
            print(f"    - {side.value[:60]!r}: {side.spans[0].text[:140]!r}")


# --- the demo story and the unedited stories ------------------------------------------------------


def demo_report() -> None:
    from newsprism.pipeline import analyze

    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    run = analyze([DEMO / "articles"])
    assert run.story is not None
    found = find_contradictions(run.story, analyze_claims(run.story))
    print("\n## Demo story (examples/brenmoor-dam)\n")
    print("| planted | kind | found as | sides (articles) |")
    print("|---|---|---|---|")
    matched: set[str] = set()
    for c in truth["contradictions"]:
        outlier = set(c["sides"][1]["articles"])
        majority = set(c["sides"][0]["articles"])
        hit = next((x for x in found if x.kind == c["kind"] and set(x.sides[-1].articles) == outlier
                    and len(set(x.sides[0].articles) & majority) >= 1), None)
        if hit is not None:
            matched.add(hit.id)
        desc = " vs ".join(f"{s.value} ({len(s.articles)})" for s in hit.sides) if hit else "–"
        print(f"| {c['id']} {c['subject']} | {c['kind']} | {hit.id + ' ' + hit.kind if hit else 'missed'} | {desc} |")
    extra = [x for x in found if x.id not in matched]
    print(f"\nOther contradictions reported on the demo: {len(extra)}"
          + "".join(f"\n- {x.kind}: {x.why}" for x in extra))


def natural_report(stories: list[BenchStory]) -> None:
    arts = []
    for st in stories:
        for a in st.articles:
            pub = _pub(a)
            arts.append(Article.create(id=a.id, outlet=a.outlet, text=a.text,
                                       published=datetime.combine(pub, datetime.min.time()) if pub else None))
    anns = {x.article_id: x for x in annotate(arts)}
    by_id = {a.id: a for a in arts}
    found: list[tuple[str, ContradictionRow]] = []
    for st in stories:
        ids = [a.id for a in st.articles]
        story = Story(id=st.id, articles=tuple(by_id[i] for i in ids), annotations=tuple(anns[i] for i in ids))
        found.extend((st.id, x) for x in find_contradictions(story, analyze_claims(story)))
    print(f"\n## Unedited dev stories ({len(stories)} stories, {len(arts)} articles)\n")
    print("Every contradiction reported on the real, unedited multi-outlet stories (no gold: each one is "
          "judged by reading in bench/gold/contradictions_natural.md).\n")
    print("| story | kind | sides |")
    print("|---|---|---|")
    for sid, x in found:
        sides = " vs ".join(f"{s.value[:40]} ({', '.join(a.split(':')[-1] for a in s.articles)})" for s in x.sides)
        print(f"| {sid[:8]} | {x.kind} | {sides} |")
    # a clustering failure: unrelated events, years apart, glued into one "story" (12 at a time)
    story_of = {a.id: st.id for st in stories for a in st.articles}
    cross: Counter[str] = Counter()
    within = 0
    for g in range(0, len(stories), 12):
        ids = [a.id for st in stories[g:g + 12] for a in st.articles]
        mixed = Story(id=f"mixed{g}", articles=tuple(by_id[i] for i in ids), annotations=tuple(anns[i] for i in ids))
        for x in find_contradictions(mixed, analyze_claims(mixed)):
            if len({story_of[a] for a in x.articles}) > 1:
                cross[x.kind] += 1
            else:
                within += 1
    print(f"\nStress: the same {len(stories)} stories glued 12 at a time into {-(-len(stories) // 12)} mixed "
          f"\"stories\" (a clustering failure): {sum(cross.values())} contradictions across different events "
          f"(false by construction: {dict(cross)}), {within} within one event.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a quarter of the cases")
    ap.add_argument("--errors", type=int, default=0, help="list this many misses and false alarms")
    ap.add_argument("--natural", action="store_true", help="also run on the unedited dev stories")
    ap.add_argument("--no-demo", action="store_true")
    ap.add_argument("--dump", type=Path, help="write every case (texts and findings) to this JSON file, for "
                    "debugging; keep it outside the repository (it holds dataset text)")
    args = ap.parse_args()
    require_data(exit_on_missing=True)
    stories = basil_stories() + newswcl50_stories()
    cases = generate(stories, args.quick)
    cases += paraphrase_cases(stories, len(cases), args.quick)
    seconds = run_cases(cases)
    s = score(cases)
    print_report(cases, s, seconds, args)
    if not args.no_demo:
        demo_report()
    if args.natural:
        natural_report(stories)
    if args.errors:
        print_errors(cases, args.errors)
    if args.dump:
        args.dump.write_text(json.dumps([{
            "id": c.id, "family": c.family, "kind": c.kind, "note": c.note, "a": c.a.text, "b": c.b.text,
            "pub_a": str(c.a.published), "pub_b": str(c.b.published), "hits": c.hits,
            "found": [x.why for x in c.found]} for c in cases], indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
