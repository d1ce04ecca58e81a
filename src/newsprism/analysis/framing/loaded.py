"""Loaded language in the outlet's own words: each span with the reason it was flagged.

A token or phrase is reported when a lexicon says it judges rather than describes, and the context
agrees:

* it stands outside quotation marks (a quote's words are the speaker's) and outside marked artifacts;
* it is not part of a proper name ("Justice Department", "Freedom Caucus": entity or capitalised
  mid-sentence word);
* presupposing verbs (admitted, conceded, claimed, insisted) count only as verbs of saying: with a
  clause or object, not passive ("was admitted to hospital" is not);
* words found only by the sentiment lexicons (VADER, Pattern) count only as adjectives or adverbs
  and only when strong; words news uses to describe ("killed", "crisis", "free") never do;
* an intensifier counts with the word it intensifies ("overly cautious", "an entire neighborhood").

:func:`plain_lexicon_matches` is the baseline the benchmark compares against: the same entries,
matched everywhere, with none of those rules.

>>> from newsprism.nlp.spacy_pipeline import load
>>> text = 'Officials admitted the plan was reckless. "It is a disaster," the Justice Department said.'
>>> doc = load()(text)
>>> [(text[x.start:x.end], x.category) for x in find_loaded(text, doc)]
[('admitted', 'presupposing'), ('reckless', 'loaded_word')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsprism.analysis.framing.lexicon import FramingLexicon, load_lexicon
from newsprism.text.quoted import QuotedRegions, quoted_regions

__all__ = ["CATEGORY_WEIGHT", "LoadedHit", "find_loaded", "plain_lexicon_matches"]

#: How much each kind of finding weighs in an article's loaded-language rate.
CATEGORY_WEIGHT = {
    "presupposing": 1.0,
    "loaded_verb": 1.0,
    "actor_label": 1.0,
    "loaded_phrase": 1.0,
    "loaded_word": 1.0,
    "sentiment": 0.75,
    "intensifier": 0.5,
}

_WHY = {
    "presupposing": ("presupposing verb: presents the statement as a concession or a dubious claim, "
                     "not a neutral 'said'"),
    "loaded_verb": "loaded verb: characterises how someone spoke or acted",
    "actor_label": "loaded label for an actor or group",
    "loaded_phrase": "loaded phrase: an idiom that carries a judgement",
    "loaded_word": "evaluative or emotive word",
    "intensifier": "intensifier: heightens the word it modifies",
}

# entity labels that make a word part of a name
_NAME_ENTS = {"PERSON", "ORG", "GPE", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "NORP", "LANGUAGE"}
# adverbs that travel with a presupposing verb ("finally admitted", "grudgingly conceded")
_VERB_LEAD = {"finally", "grudgingly", "reluctantly", "quietly", "belatedly", "eventually", "even", "now"}
_CLAUSE_DEPS = {"ccomp", "xcomp", "dobj", "prep", "advcl", "conj", "parataxis", "dative", "obj", "attr"}
_STRONG_INTENSIFIERS = {"utterly", "wildly", "remarkably", "strikingly", "incredibly", "overly", "exceedingly",
                        "hugely", "enormously", "massively", "tremendously", "truly", "deeply", "absolutely",
                        "totally", "extremely"}
# sentiment-lexicon thresholds: |VADER valence| for adjectives/adverbs, Pattern polarity+subjectivity
VADER_MIN = 2.5
PATTERN_MIN_POLARITY = 0.8
PATTERN_MIN_SUBJECTIVITY = 1.0
# heads an intensifier makes no judgement about ("too much", "so far", "very little")
_PLAIN_HEADS = {"much", "many", "far", "long", "little", "few", "well", "often", "soon", "early", "late", "sure",
                "high", "low", "close", "big", "large", "small", "recently", "likely", "quickly", "same", "different",
                "more", "less", "most", "least", "good", "bad", "hard", "clear", "important", "recent", "first", "last"}


@dataclass(frozen=True, slots=True)
class LoadedHit:
    """One flagged stretch: character offsets into the article text, its kind, why and weight."""

    start: int
    end: int
    category: str
    why: str
    weight: float


def _is_name_part(tok: Any) -> bool:
    if tok.ent_type_ in _NAME_ENTS:
        return True
    if tok.pos_ == "PROPN" and not tok.is_sent_start:
        return True
    # a capitalised word inside a sentence is part of a name or title ("Justice Department")
    return bool(tok.text[:1].isupper() and not tok.is_sent_start and tok.i > 0
                and tok.doc[tok.i - 1].text not in {'"', "“", "‘", ":", "(", "—", "-"}
                and not tok.text.isupper())


def _phrase_hits(doc: Any, lex: FramingLexicon, sections: Iterable[str]) -> list[tuple[int, int, str, str]]:
    """Token-index matches ``(i, j, section, phrase)`` of the multi-word entries (lemma or surface)."""
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for section in sections:
        for phrase in sorted(lex.phrases[section]):  # sorted: set order changes with the hash seed
            by_first.setdefault(phrase[0], []).append((phrase, section))
    out = []
    n = len(doc)
    # each token's forms read once (spaCy builds the strings anew at every attribute access)
    lowers = [t.lower_ for t in doc]
    lemmas = [t.lemma_.lower() for t in doc]
    for i in range(n):
        keys = {lowers[i], lemmas[i]} | _stems(lowers[i])
        cands = [c for k in sorted(k for k in keys if k in by_first) for c in by_first[k]]
        for phrase, section in cands:
            j = i
            ok = True
            for word in phrase:
                if j >= n:
                    ok = False
                    break
                if word != "*" and word != lowers[j] and word != lemmas[j] and not _inflects(word, lowers[j]):
                    ok = False
                    break
                j += 1
            if ok:
                out.append((i, j, section, " ".join(phrase)))
    return out


@lru_cache(maxsize=65536)
def _stems(form: str) -> frozenset[str]:
    """Candidate base forms of an inflected verb form (for looking phrases up by their first word)."""
    out: set[str] = set()
    for suffix in ("ing", "ed", "es", "s", "d"):
        if form.endswith(suffix) and len(form) - len(suffix) >= 2:
            base = form[: -len(suffix)]
            out |= {base, base + "e"}
            if len(base) > 2 and base[-1] == base[-2]:
                out.add(base[:-1])
            if base.endswith("i"):
                out.add(base[:-1] + "y")
    return frozenset(out)


def _inflects(word: str, form: str) -> bool:
    """``form`` is an inflection of the verb ``word`` (snake -> snaking, ram -> rammed, cry -> cried).

    >>> _inflects("snake", "snaking"), _inflects("ram", "rammed"), _inflects("tear", "tore")
    (True, True, False)
    """
    if len(word) < 3 or not form.startswith(word[:-1]):
        return False
    stems = {word, word[:-1] if word.endswith("e") else word, word + word[-1]}
    if word.endswith("y"):
        stems.add(word[:-1] + "i")
    return any(form == s + suffix for s in stems for suffix in ("s", "es", "ed", "d", "ing"))


def _sentiment(tok: Any, lex: FramingLexicon) -> tuple[float, str] | None:
    """(weight, why) when the sentiment lexicons call an adjective/adverb strongly evaluative."""
    if tok.pos_ not in ("ADJ", "ADV"):
        return None
    lower, lemma = tok.lower_, tok.lemma_.lower()
    if lex.in_section("news_neutral", lower, lemma) or lower.endswith("ed"):
        return None  # "-ed" adjectives report a state ("pleased", "frustrated"), not the outlet's view
    v = lex.vader.get(lower, lex.vader.get(lemma))
    if v is not None and abs(v) >= VADER_MIN:
        return min(1.0, abs(v) / 3.0), f"emotive word (VADER valence {v:+.1f})"
    if tok.pos_ == "ADJ":
        p = lex.pattern.get(lower, lex.pattern.get(lemma))
        if p is not None and abs(p[0]) >= PATTERN_MIN_POLARITY and p[1] >= PATTERN_MIN_SUBJECTIVITY:
            return 0.75, f"evaluative adjective (Pattern polarity {p[0]:+.1f}, subjectivity {p[1]:.1f})"
    return None


def _speech_use(tok: Any) -> bool:
    """A presupposing verb used as a verb of saying: active, with a clause or object."""
    if tok.pos_ != "VERB":
        return False
    deps = {c.dep_ for c in tok.children}
    if deps & {"auxpass", "nsubjpass"}:
        return False
    return bool(deps & _CLAUSE_DEPS) or tok.dep_ in ("ccomp", "advcl", "conj", "relcl", "ROOT")


def find_loaded(text: str, doc: Any, *, quoted: QuotedRegions | None = None,
                skip: Sequence[tuple[int, int]] = (), lexicon: FramingLexicon | None = None) -> tuple[LoadedHit, ...]:
    """The loaded-language spans of ``text`` (whose spaCy parse is ``doc``), outside quotes.

    ``skip`` holds character ranges to leave alone (marked artifacts: bylines, captions).
    """
    lex = lexicon or load_lexicon()
    quoted = quoted if quoted is not None else QuotedRegions(quoted_regions(text))
    skips = sorted(skip)

    def excluded(start: int, end: int) -> bool:
        return quoted.contains(start, end) or any(s <= start and end <= e for s, e in skips)

    taken = [False] * len(doc)
    hits: list[LoadedHit] = []

    def add(i: int, j: int, category: str, why: str, weight: float) -> None:
        start, end = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
        for k in range(i, j):
            taken[k] = True
        hits.append(LoadedHit(start, end, category, why, round(weight, 3)))

    # 1. multi-word entries: phrases, phrasal verbs, labels
    # Several entries can match one span ("pay the price" by lemma, "paid the price" by surface):
    # name the one written as in the text, then the first alphabetically, never set order (hash seed).
    def order(h: tuple[int, int, str, str]) -> tuple[int, int, bool, str, str]:
        surface = " ".join(t.lower_ for t in doc[h[0]:h[1]])
        return h[0], -(h[1] - h[0]), h[3] != surface, h[3], h[2]

    for i, j, section, phrase in sorted(_phrase_hits(doc, lex, ("loaded_phrase", "loaded_verb", "actor_label",
                                                                   "loaded_word")), key=order):
        span_toks = doc[i:j]
        if any(taken[k] for k in range(i, j)) or excluded(span_toks.start_char, span_toks.end_char):
            continue
        if all(_is_name_part(t) for t in span_toks if t.is_alpha):
            continue
        add(i, j, section, f"{_WHY[section]} ('{phrase}')", CATEGORY_WEIGHT[section])

    # 2. single words
    for tok in doc:
        i = tok.i
        if taken[i] or not tok.is_alpha or len(tok.text) < 2:
            continue
        if excluded(tok.idx, tok.idx + len(tok.text)) or _is_name_part(tok):
            continue
        lower, lemma = tok.lower_, tok.lemma_.lower()
        sections = lex.sections_of(lower, lemma)
        if "presupposing" in sections and _speech_use(tok):
            lo = i
            while lo > 0 and doc[lo - 1].lower_ in _VERB_LEAD and not taken[lo - 1]:
                lo -= 1
            add(lo, i + 1, "presupposing", f"{_WHY['presupposing']} ('{tok.text}')", 1.0)
            continue
        if "loaded_verb" in sections and tok.pos_ == "VERB":
            add(i, i + 1, "loaded_verb", f"{_WHY['loaded_verb']} ('{tok.text}')", 1.0)
            continue
        if "actor_label" in sections and tok.pos_ in ("NOUN", "ADJ"):
            add(i, i + 1, "actor_label", f"{_WHY['actor_label']} ('{tok.text}')", 1.0)
            continue
        if "intensifier" in sections:
            head = _intensified(tok)
            if head is not None and not taken[head.i] and not _is_name_part(head):
                lo, hi = min(i, head.i), max(i, head.i) + 1
                if not excluded(doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)):
                    add(lo, hi, "intensifier", f"{_WHY['intensifier']} ('{tok.text} … {head.text}')"
                        if hi - lo > 2 else f"{_WHY['intensifier']} ('{doc[lo:hi].text}')", 0.5)
                    continue
            if lower in _STRONG_INTENSIFIERS:
                add(i, i + 1, "intensifier", f"{_WHY['intensifier']} ('{tok.text}')", 0.5)
                continue
        if "loaded_word" in sections and tok.pos_ in ("ADJ", "ADV", "NOUN", "VERB"):
            add(i, i + 1, "loaded_word", f"{_WHY['loaded_word']} ('{tok.text}')", 1.0)
            continue
        if "intensifier" in sections:
            continue
        found = _sentiment(tok, lex)
        if found is not None:
            add(i, i + 1, "sentiment", found[1], found[0])
    hits.sort(key=lambda h: (h.start, h.end))
    return tuple(hits)


def _intensified(tok: Any) -> Any:
    """The adjective/adverb an intensifier modifies ("very loud"), or the noun of "an entire X"."""
    lower = tok.lower_
    if lower in ("entire", "whole"):  # "an entire neighborhood" (emphatic), not "the entire class"
        head = tok.head
        article = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
        return head if head.pos_ == "NOUN" and 0 < head.i - tok.i <= 2 and article in ("an", "a") else None
    if lower == "even":  # rhetorical "Even the county's own engineer ..." at a sentence start
        return None
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    head = None
    if nxt is not None and nxt.pos_ in ("ADJ", "ADV") and tok.pos_ == "ADV" and nxt.is_alpha:
        head = nxt
    elif tok.dep_ == "advmod" and tok.head.pos_ in ("ADJ", "ADV") and 0 < tok.head.i - tok.i <= 2:
        head = tok.head
    if head is None or head.lower_ in _PLAIN_HEADS:
        return None
    return head


def plain_lexicon_matches(text: str, doc: Any, *, lexicon: FramingLexicon | None = None,
                          sentiment: bool = True) -> tuple[LoadedHit, ...]:
    """Baseline: every occurrence of a reporting lexicon entry (the curated sections, and with
    ``sentiment`` the sentiment words at the same strength thresholds), no context rules."""
    lex = lexicon or load_lexicon()
    hits: list[LoadedHit] = []
    taken = [False] * len(doc)
    for i, j, section, phrase in _phrase_hits(doc, lex, ("loaded_phrase", "loaded_verb", "actor_label",
                                                          "loaded_word")):
        if any(taken[i:j]):
            continue
        taken[i:j] = [True] * (j - i)
        hits.append(LoadedHit(doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text), section, phrase, 1.0))
    for tok in doc:
        if taken[tok.i] or not tok.is_alpha:
            continue
        lower, lemma = tok.lower_, tok.lemma_.lower()
        sections = [s for s in lex.sections_of(lower, lemma)]
        if sections:
            hits.append(LoadedHit(tok.idx, tok.idx + len(tok.text), sections[0], tok.text, 1.0))
            continue
        if sentiment:
            v = lex.vader.get(lower, lex.vader.get(lemma))
            p = lex.pattern.get(lower, lex.pattern.get(lemma))
            if (v is not None and abs(v) >= VADER_MIN) or (
                    p is not None and abs(p[0]) >= PATTERN_MIN_POLARITY and p[1] >= PATTERN_MIN_SUBJECTIVITY):
                hits.append(LoadedHit(tok.idx, tok.idx + len(tok.text), "sentiment", tok.text, 0.75))
    hits.sort(key=lambda h: (h.start, h.end))
    return tuple(hits)
