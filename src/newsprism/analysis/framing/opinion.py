"""Unattributed opinion: sentences in the outlet's own voice that judge, with no source named.

A sentence is an opinion when, outside quotation marks, it carries loaded language (weight 1 or
more, see :mod:`newsprism.analysis.framing.loaded`) or a modal judgement ("should", "must", "ought to",
"unfortunately", "of course"). It is attributed when it names a source: a verb of saying or
thinking ("said", "argued", "critics say"), "according to", a quotation, or a colon that
introduces one. Opinions with no attribution are the outlet speaking for itself.

>>> from newsprism.nlp.spacy_pipeline import load
>>> text = "The county should have fixed the dam years ago. Critics say the county should pay."
>>> doc = load()(text)
>>> [(text[o.start:o.end], o.cues) for o in unattributed_opinions(text, doc, [(0, 47), (48, 82)])]
[('The county should have fixed the dam years ago.', ('should',))]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsprism.analysis.framing.lexicon import FramingLexicon, load_lexicon
from newsprism.analysis.framing.loaded import LoadedHit
from newsprism.text.quoted import QuotedRegions, quoted_regions
from newsprism.text.words import INDEFINITE_PRONOUNS, MODAL_VERBS, SUBJECT_PRONOUNS, pick

__all__ = ["Opinion", "is_attributed", "unattributed_opinions"]

# the modals of obligation: they judge ("should pay"); the others forecast or allow
_MODALS = pick(MODAL_VERBS, "should must ought")
_NEED = {"need", "needs"}


@dataclass(frozen=True, slots=True)
class Opinion:
    """A sentence judging in the outlet's voice: offsets, and the words that make it a judgement."""

    start: int
    end: int
    cues: tuple[str, ...]
    why: str


def is_attributed(sent: Any, quoted: QuotedRegions, lex: FramingLexicon) -> bool:
    """The sentence names a source: a quote, a verb of saying, "according to", a colon intro."""
    if quoted.contains(sent.start_char, sent.end_char):
        return True
    text = sent.text.rstrip()
    if text.endswith(":"):
        return True
    toks = list(sent)
    for k, tok in enumerate(toks):
        lower, lemma = tok.lower_, tok.lemma_.lower()
        # "the dam should be fixed, she said" / "critics argue that ..."; not "to say the least"
        if tok.pos_ in ("VERB", "AUX") and lex.in_section("attribution", lower, lemma) and (
                any(c.dep_ in ("nsubj", "nsubjpass", "ccomp", "parataxis") for c in tok.children)
                or tok.dep_ in ("parataxis", "ccomp", "advcl", "relcl", "ROOT", "conj")):
            return True
        if lower == "according" and k + 1 < len(toks) and toks[k + 1].lower_ == "to":
            return True
        for phrase in lex.phrases["attribution"]:
            if tuple(t.lower_ for t in toks[k:k + len(phrase)]) == phrase:
                return True
    return False


# pronouns that name an actor: not "it" ("it should take ten weeks" forecasts); "anyone" and "anybody" are
# not in the list this was tuned with
_ACTOR_PRONOUNS = (SUBJECT_PRONOUNS - {"it"}) | (INDEFINITE_PRONOUNS - {"anyone", "anybody"}) | {"people"}


def _agent_subject(modal: Any) -> bool:
    """A modal of obligation about an actor ("the county should pay") rather than a forecast
    ("the job should take ten weeks"): the verb's subject is a person, group or organisation."""
    from newsprism.analysis.framing.labels import GROUP_NOUNS

    verb = modal.head
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            if child.lower_ in _ACTOR_PRONOUNS or child.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
                return True
            return child.lemma_.lower() in GROUP_NOUNS or child.pos_ == "PROPN"
    return False


def _modal_cues(sent: Any, quoted: QuotedRegions, lex: FramingLexicon) -> list[str]:
    cues: list[str] = []
    toks = list(sent)
    lowers = [t.lower_ for t in toks]
    for k, tok in enumerate(toks):
        if quoted.contains(tok.idx, tok.idx + len(tok.text)):
            continue
        lower = lowers[k]
        if lower in _MODALS and tok.tag_ == "MD" and _agent_subject(tok):
            cues.append(lower)
        elif lower in _NEED and k + 1 < len(toks) and lowers[k + 1] == "to" and tok.pos_ == "VERB":
            cues.append(f"{lower} to")
        elif tok.pos_ == "ADV" and lower in lex.words["modal_judgement"]:
            cues.append(lower)
    at: dict[str, list[int]] = {}  # where each word starts, for finding phrases by their first word
    for k, lower in enumerate(lowers):
        at.setdefault(lower, []).append(k)
    for phrase in lex.phrases["modal_judgement"]:
        n = len(phrase)
        for k in at.get(phrase[0], ()):
            if tuple(lowers[k:k + n]) == phrase and not quoted.contains(toks[k].idx, toks[k].idx + 1):
                cues.append(" ".join(phrase))
    return cues


def unattributed_opinions(text: str, doc: Any, sentences: Sequence[tuple[int, int]], *,
                          loaded: Sequence[LoadedHit] = (), quoted: QuotedRegions | None = None,
                          lexicon: FramingLexicon | None = None, min_weight: float = 1.0) -> tuple[Opinion, ...]:
    """The content sentences (``(start, end)`` offsets) that judge without a source."""
    lex = lexicon or load_lexicon()
    quoted = quoted if quoted is not None else QuotedRegions(quoted_regions(text))
    out: list[Opinion] = []
    for start, end in sentences:
        if end <= start or quoted.covered(start, end) > 0.5 * (end - start):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        inside = [h for h in loaded if start <= h.start and h.end <= end]
        weight = sum(h.weight for h in inside)
        cues = [text[h.start:h.end] for h in inside] if weight >= min_weight else []
        cues += _modal_cues(span, quoted, lex)
        if not cues or is_attributed(span, quoted, lex):
            continue
        why = "judges in the outlet's own voice (" + ", ".join(repr(c) for c in cues[:4]) + ") with no source named"
        out.append(Opinion(start, end, tuple(cues), why))
    return tuple(out)
