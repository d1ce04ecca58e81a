"""The word lists framing reads: newsprism's own curated sections plus two shippable sentiment lexicons.

``lexicons/framing.txt`` (ours) holds sections of lemmas and phrases: presupposing verbs, loaded
verbs, loaded words, loaded phrases, actor labels, intensifiers, attribution verbs, modal judgements
and news-neutral words. ``lexicons/vader_words.tsv`` (VADER, MIT) gives a valence to ~7,200 words;
``lexicons/pattern_adjectives.tsv`` (Pattern, PDDL) a polarity and subjectivity to ~1,300 adjectives.
Licences: ``lexicons/LICENSES.md``.

>>> lex = load_lexicon()
>>> "admit" in lex.words["presupposing"], lex.vader["frightening"] < 0
(True, True)
>>> ("testament", "to") in lex.phrases["loaded_phrase"]
True
>>> lex.sections_of("rammed", "ram")
()
>>> lex.sections_of("bureaucrats", "bureaucrat")
('actor_label',)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["LEXICON_DIR", "SECTIONS", "FramingLexicon", "load_lexicon", "parse_sections"]

LEXICON_DIR = Path(__file__).with_name("lexicons")

#: The sections of ``framing.txt``, in the order they are preferred as a reason.
SECTIONS = (
    "presupposing",
    "loaded_verb",
    "actor_label",
    "loaded_phrase",
    "loaded_word",
    "intensifier",
    "attribution",
    "modal_judgement",
    "news_neutral",
)


@dataclass(frozen=True)
class FramingLexicon:
    """Single-word lemmas and multi-word phrases per section, and the two sentiment lexicons."""

    words: Mapping[str, frozenset[str]]
    phrases: Mapping[str, frozenset[tuple[str, ...]]]
    vader: Mapping[str, float]  # word -> mean valence, -4..4
    pattern: Mapping[str, tuple[float, float]]  # adjective -> (polarity -1..1, subjectivity 0..1)

    def sections_of(self, lower: str, lemma: str) -> tuple[str, ...]:
        """The sections (of the reporting ones, not attribution/modal/neutral) a word belongs to."""
        return tuple(s for s in SECTIONS[:6] if lower in self.words[s] or lemma in self.words[s])

    def in_section(self, section: str, lower: str, lemma: str) -> bool:
        return lower in self.words[section] or lemma in self.words[section]


def parse_sections(text: str) -> dict[str, list[str]]:
    """``[section]`` headers, one entry a line, ``#`` comments; entries lower-cased.

    >>> parse_sections("# c\\n[a]\\nx\\nY z\\n\\n[b]\\nw\\n")
    {'a': ['x', 'y z'], 'b': ['w']}
    """
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1].strip(), [])
        elif current is not None:
            current.append(line.lower())
    return out


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON_DIR) -> FramingLexicon:
    """Read the lexicon files once (cached)."""
    sections = parse_sections((directory / "framing.txt").read_text(encoding="utf-8"))
    words: dict[str, frozenset[str]] = {}
    phrases: dict[str, frozenset[tuple[str, ...]]] = {}
    for name in SECTIONS:
        entries = sections.get(name, [])
        words[name] = frozenset(e for e in entries if " " not in e)
        # spaCy splits hyphenated words ("so-called" -> so - called): match those as phrases too
        split = [tuple(re.sub(r"-", " - ", e).split()) for e in entries if " " in e or "-" in e]
        phrases[name] = frozenset(p for p in split if len(p) > 1)
    vader = {w: float(v) for w, v in _read_tsv(directory / "vader_words.tsv")}
    pattern = {w: (float(p), float(s)) for w, p, s in _read_tsv(directory / "pattern_adjectives.tsv")}
    return FramingLexicon(words=words, phrases=phrases, vader=vader, pattern=pattern)
