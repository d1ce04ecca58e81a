"""Who is speaking: names, titles as written, pronouns and role nouns resolved to a person, and one
canonical name per person across the articles of a story.

Everything here reads the spaCy parse of one article (``Annotation.doc``); nothing calls a model.

* :func:`person_index` lists the name mentions of an article (spaCy PERSON/ORG entities and the
  proper-noun chains that stand as subjects), each with its title as written
  ("Council Chair", "School board President", "spokesperson for the group") and its role nouns.
* :func:`resolve_speaker` turns the subject of a speech verb into a speaker: a name is taken as
  written and completed from the article ("Goldberg" -> "Jackie Goldberg"); he/she -> the person
  :mod:`newsprism.analysis.quotes.coref` resolves it to (the most salient person of that gender: main
  subjects and speakers of the sentences before, carried along chains of he/she); "who" -> the
  noun it hangs on; "the retired teacher" -> the person introduced as one; "the spokesman, Jo
  Reyes," -> Jo Reyes.
* :func:`canonical_names` merges name forms across articles: "Goldberg", "Jackie Goldberg" and
  "Board President Jackie Goldberg" are one person.

>>> canonical_names(["Goldberg", "Jackie Goldberg", "Jackie Goldberg", "Hugo Soto-Martinez"])["Goldberg"]
'Jackie Goldberg'
>>> split_title("Board President Jackie Goldberg")
('Board President', 'Jackie Goldberg')
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsprism.analysis.quotes.coref import name_gender, resolve_pronouns
from newsprism.analysis.quotes.mentions import PersonMention
from newsprism.text.words import HONORIFICS, PRONOUN_GENDER, TITLE_WORDS

__all__ = [
    "PersonIndex",
    "PersonMention",
    "Speaker",
    "canonical_names",
    "name_key",
    "person_index",
    "resolve_speaker",
    "same_person",
    "split_title",
]

_HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f",
                     "congressman": "m", "congresswoman": "f", "councilman": "m", "councilwoman": "f",
                     "chairman": "m", "chairwoman": "f", "spokesman": "m", "spokeswoman": "f",
                     "assemblyman": "m", "assemblywoman": "f", "king": "m", "queen": "f", "father": "m",
                     "sister": "f", "brother": "m", "prince": "m", "princess": "f", "widow": "f",
                     "widower": "m", "businessman": "m", "businesswoman": "f", "actress": "f", "wife": "f",
                     "husband": "m", "mother": "f", "son": "m", "daughter": "f", "niece": "f", "nephew": "m",
                     "grandmother": "f", "grandfather": "m", "mom": "f", "dad": "m"}
# pronouns that stand for a speaker: not the possessive "his"
_PRONOUN_GENDER = {w: g for w, g in PRONOUN_GENDER.items() if w != "his"}
# pronouns read as evidence of a named person's gender, as subject or possessive: not the object "him"
_GENDER_EVIDENCE = {w: g for w, g in PRONOUN_GENDER.items() if w != "him"}
# People who speak for someone else: "the spokesman" is never the person just named.
_AGENT_NOUNS = frozenset("""spokesman spokeswoman spokesperson aide adviser advisor official source lawyer attorney
    representative agent assistant deputy staffer analyst expert critic observer""".split())
_SINGULAR_PRONOUNS = frozenset(_PRONOUN_GENDER)
_NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC"})
_NOT_NAMES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "LAW", "EVENT",
                        "LANGUAGE"})
_PARTY_TAG = re.compile(r"^[DRI]-[A-Z]")
_PARTICLE_NAME = re.compile(r"^(?:de|del|la|le|van|von|da|di)\s+[A-Z]")
_CHAIN_DEPS = frozenset({"compound", "flat", "nmod", "amod", "punct", "nummod", "poss", "case"})
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_NAME_TOKEN = re.compile(r"^[A-Z][\w.'’\-]*$|^[A-Z]\.$|^(?:de|del|la|le|van|von|da|di|bin|al|ibn)$")


def _norm(word: str) -> str:
    return word.casefold().strip(".").replace("’", "'")


def is_title_word(word: str) -> bool:
    """True for a word that is part of a title or role ("Councilmember", "Dr.", "board").

    >>> is_title_word("Councilmember"), is_title_word("Dr."), is_title_word("Goldberg")
    (True, True, False)
    """
    w = _norm(word)
    return bool(w in TITLE_WORDS or (w.endswith("s") and w[:-1] in TITLE_WORDS and len(w) > 4))


def split_title(text: str) -> tuple[str, str]:
    """Split a written name into (title as written, name): everything up to the last title word is
    the title.

    >>> split_title("Calder County Emergency Management Director Curtis Bellweather")
    ('Calder County Emergency Management Director', 'Curtis Bellweather')
    >>> split_title("Mr. Trump")
    ('Mr.', 'Trump')
    >>> split_title("Hugo Soto-Martinez")
    ('', 'Hugo Soto-Martinez')
    """
    words = text.split()
    last = -1
    for i, w in enumerate(words[:-1]):
        if is_title_word(w) or any(is_title_word(part) for part in w.split("-")):
            last = i
    title, name = words[: last + 1], words[last + 1 :]
    # "County Engineer Dr." reads as "County Engineer": a trailing honorific after a title goes
    if len(title) > 1 and _norm(title[-1]) in HONORIFICS:
        title = title[:-1]
    return " ".join(title), " ".join(name)


def name_key(name: str) -> str:
    """The surname key of a name: its last word, folded ("Jackie Goldberg" -> "goldberg").

    >>> name_key("Hugo Soto-Martinez"), name_key("Donald Trump Jr."), name_key("Fox News")
    ('soto-martinez', 'trump', 'news')
    """
    words = [w for w in re.split(r"\s+", _POSSESSIVE.sub("", name.strip())) if w]
    while len(words) > 1 and _norm(words[-1]) in {"jr", "sr", "ii", "iii", "iv"}:
        words.pop()
    return _norm(words[-1]) if words else ""


def same_person(a: str, b: str) -> bool:
    """Two written names can be the same person: same surname, and first names compatible
    (one absent, equal, or one an initial of the other).

    >>> same_person("Goldberg", "Jackie Goldberg"), same_person("Bill Clinton", "Hillary Clinton")
    (True, False)
    """
    if not a or not b or name_key(a) != name_key(b):
        return False
    if _suffix(a) != _suffix(b):  # Donald Trump Jr. is not Donald Trump
        return False
    fa, fb = a.split()[:-1], b.split()[:-1]
    if not fa or not fb:
        return True
    x, y = _norm(fa[0]), _norm(fb[0])
    return x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))


def canonical_names(names: Iterable[str]) -> dict[str, str]:
    """Map every written name onto one canonical form per person: the most frequent full form
    (two words or more) among the compatible ones, the longest on a tie; a bare surname goes to
    the most frequent full form with that surname.

    >>> m = canonical_names(["Clinton", "Hillary Clinton", "Hillary Clinton", "Bill Clinton"])
    >>> m["Clinton"], m["Bill Clinton"]
    ('Hillary Clinton', 'Bill Clinton')
    """
    counts = Counter(n for n in names if n)
    # same_person needs the same surname key: compare each name with its surname's full forms only
    # (every name with every full form grew with the square of the story's names, issue 17)
    full: dict[str, list[str]] = {}
    for n in counts:
        if len(n.split()) >= 2:
            full.setdefault(name_key(n), []).append(n)
    out: dict[str, str] = {}
    for n in counts:
        compatible = [f for f in full.get(name_key(n), ()) if same_person(n, f)]
        out[n] = max(compatible, key=lambda f: (counts[f], len(f.split()), len(f), f)) if compatible else n
    return out


def _suffix(name: str) -> str:
    last = _norm(name.split()[-1]) if name.split() else ""
    return last if last in {"jr", "sr", "ii", "iii", "iv"} else ""


# --------------------------------------------------------------------------------- the index


@dataclass(frozen=True)
class PersonIndex:
    """The name mentions of one article, in text order, and the full name of each surname."""

    mentions: tuple[PersonMention, ...]
    full_names: dict[str, str]  # surname key -> the longest full name written for it
    genders: dict[str, str]  # canonical name -> "m"/"f" where the article shows it
    by_token: dict[int, PersonMention] = field(default_factory=dict)
    # token index of a he/she outside quote marks -> the person's latest name mention before it
    pronouns: dict[int, PersonMention] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.by_token:
            self.by_token.update({m.token: m for m in self.mentions})

    def full(self, name: str) -> str:
        """Complete a name from the article ("Goldberg" -> "Jackie Goldberg" when written there)."""
        if len(name.split()) >= 2:
            return name
        return self.full_names.get(name_key(name), name)


@dataclass(frozen=True, slots=True)
class Speaker:
    """A resolved speaker: ``name`` is the article-level canonical name, None when unknown."""

    name: str | None
    as_written: str  # the words at the attribution: "she", "Holloway", "the retired teacher"
    start: int
    end: int
    title: str  # the person's title as written in this article ("Council Chair"), "" if none
    kind: str  # "name", "pronoun", "nominal", "relative"
    label: str = "PERSON"


def _chain(tok: Any) -> list[Any]:
    """The proper-noun chain ending at ``tok``: left compounds and flat parts, contiguous."""
    doc = tok.doc
    members = {tok.i}
    i = tok.i - 1
    while i >= 0:
        t = doc[i]
        if t.head.i in members and t.dep_ in _CHAIN_DEPS and t.pos_ != "VERB" and t.text not in {
                ",", "(", ")", ":", ";", "“", '"'}:
            if t.dep_ in {"poss", "case"} or (t.dep_ == "amod" and not t.text[:1].isupper()):
                break
            if t.dep_ == "punct" and t.text not in {"-", "–", "."}:
                break
            members.add(i)
            i -= 1
            continue
        break
    return [doc[k] for k in sorted(members)]


def _clean_span(tokens: Sequence[Any]) -> tuple[int, int, str]:
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = "".join(t.text_with_ws for t in tokens[:-1]) + tokens[-1].text  # == doc.text[start:end], cheaply
    m = _POSSESSIVE.search(text)
    if m and len(text) > 2:
        end -= len(m.group(0))
        text = text[: len(text) - len(m.group(0))]
    return start, end, text


def _appos_title(tok: Any) -> str:
    """Title given in apposition: "Ira Mehlman, spokesperson for FAIR," -> "spokesperson for FAIR"."""
    for child in tok.rights:
        if child.dep_ == "appos" and child.pos_ in {"NOUN", "PROPN"} and child.ent_type_ not in {"PERSON"}:
            if child.pos_ == "PROPN" and not is_title_word(child.text):
                continue
            keep = [t for t in child.subtree if not any(a.dep_ in {"relcl", "acl"} and a.i != child.i
                                                            for a in [t, *t.ancestors] if a.i >= child.i
                                                            and a in child.subtree)]
            if not keep:
                continue
            cut = [t for t in keep if t.i > child.i and t.text in {",", ";", "(", "—", "–"}]
            if cut:
                keep = [t for t in keep if t.i < cut[0].i]
            span = tok.doc[keep[0].i : keep[-1].i + 1]
            text = span.text.strip(" ,")
            text = re.sub(r"^(?:a|an|the)\s+", "", text)
            if 0 < len(text.split()) <= 12:
                return text
    return ""


# Abbreviated titles and the role noun a later "the ..." uses: "Gov. Mike Pence" ... "the governor".
_ROLE_OF = {"gov": "governor", "sen": "senator", "rep": "representative", "lt": "lieutenant", "gen": "general",
            "sec": "secretary", "atty": "attorney", "supt": "superintendent", "det": "detective",
            "insp": "inspector", "pres": "president", "amb": "ambassador", "cmdr": "commander", "adm": "admiral",
            "col": "colonel", "capt": "captain", "sgt": "sergeant", "dr": "doctor", "prof": "professor"}


def _roles(title: str, head: Any | None = None) -> frozenset[str]:
    words = {_norm(w) for w in re.split(r"[\s\-]+", title) if w}
    words |= {_ROLE_OF[w] for w in words if w in _ROLE_OF}
    roles = {w for w in words if w in TITLE_WORDS or (w and w.isalpha() and w.islower() and len(w) > 3)}
    if head is not None:
        roles.add(head.lemma_.casefold())
    return frozenset(r for r in roles if r not in {"the", "of", "for", "and", "a", "an"})


def _in_quote(i: int, quoted: Sequence[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in quoted)


def _token_starts(doc: Any) -> list[int]:
    """Each token's first character, from spaCy's array (not a Token made per word, issue 17)."""
    from spacy.attrs import IDX

    return doc.to_array(IDX).tolist() if len(doc) else []


def person_index(doc: Any, quoted: Sequence[tuple[int, int]] = ()) -> PersonIndex:
    """Index the name mentions of a parsed article; ``quoted`` are char ranges inside quote marks.

    >>> from newsprism.nlp.spacy_pipeline import load
    >>> idx = person_index(load()("Board President Jackie Goldberg spoke. Later Goldberg left."))
    >>> [(m.name, m.title) for m in idx.mentions]
    [('Jackie Goldberg', 'Board President'), ('Jackie Goldberg', '')]
    """
    heads: dict[int, str] = {}
    for ent in doc.ents:
        if ent.label_ in _NAME_LABELS:
            heads[ent.root.i] = ent.label_
    for tok in doc:
        if (tok.pos_ == "PROPN" and tok.i not in heads and tok.dep_ not in {"compound", "flat", "poss"}
                and tok.text[:1].isupper()):
            if tok.ent_type_ in {"", "PERSON", "ORG"}:
                heads[tok.i] = tok.ent_type_ or "NAME"  # a proper noun spaCy did not label
            elif tok.ent_type_ not in _NOT_NAMES and tok.dep_ in {"nsubj", "nsubjpass"}:
                heads[tok.i] = "NAME"  # "Schiff" (LOC), "PolitiFact" (WORK_OF_ART) saying something
    ent_at = {k: e for e in doc.ents for k in range(e.start, e.end)}
    doc_text = doc.text  # Doc.text joins every token on each call: read it once
    raw: list[PersonMention] = []
    for i in sorted(heads):
        tok = doc[i]
        label = heads[i]
        ent = ent_at.get(i)
        chain = _chain(tok)
        if ent is not None and ent.label_ in _NAME_LABELS:
            lo = min(chain[0].i, ent.start)
            chain = [doc[k] for k in range(lo, i + 1)]
        while chain and (chain[0].text.casefold() in {"the", "a", "an", "'s", "’s"} or not chain[0].text[:1].isalnum()):
            chain = chain[1:]  # "the", and stray marks a name entity starts with ("”― Pamela Padilla")
        if not chain:
            continue
        start, end, written = _clean_span(chain)
        if label in {"PERSON", "NAME"}:
            title, name = split_title(written)
        else:
            title, name = "", re.sub(r"^(?:the|The)\s+", "", written)
        if not name or _PARTY_TAG.match(name) or len(name.strip(".")) < 2:
            continue  # "D-Mo.", "R-Ky.", "(D)": a party and state after a name, not a person
        if label in {"PERSON", "NAME"} and not all(_NAME_TOKEN.match(w) for w in name.split()):
            # "9/11 widow Terry Strada": the trailing run of name words is the name, the rest a title
            words = name.split()
            cut = len(words)
            while cut > 0 and _NAME_TOKEN.match(words[cut - 1]):
                cut -= 1
            if cut == len(words):
                continue
            title, name = " ".join([title, *words[:cut]]).strip(), " ".join(words[cut:])
        if not (name[:1].isupper() or _PARTICLE_NAME.match(name)):
            continue  # "9/11 widow Terry Strada" keeps Terry Strada; a lower-case word is no name
        appos = _appos_title(tok) or _surface_appos(doc_text, end)
        if label in {"ORG", "NAME"} and len(split_title(written)[1].split()) <= 3 and _has_person_title(chain, appos):
            label = "PERSON"
            title, name = split_title(written)
        title_all = title or appos
        gender = None
        for w in (title + " " + appos).split():
            gender = gender or _HONORIFIC_GENDER.get(_norm(w))
        raw.append(
            PersonMention(
                start=start, end=end, name=name, title=title_all, label=label, token=i,
                subject=tok.dep_ in {"nsubj", "nsubjpass"}, in_quote=_in_quote(tok.idx, quoted),
                roles=_roles(title + " " + appos), gender=gender,
            )
        )
    # a surname that is a PERSON anywhere is a person everywhere (spaCy labels "Holloway" ORG at times)
    person_keys = {name_key(m.name) for m in raw if m.label == "PERSON" and len(m.name.split()) >= 2}
    full: dict[str, str] = {}
    for m in raw:
        if m.label == "PERSON" or name_key(m.name) in person_keys:
            k = name_key(m.name)
            if len(m.name.split()) > len(full.get(k, "").split()):
                full[k] = m.name
    mentions = []
    for m in raw:
        k = name_key(m.name)
        label = "PERSON" if k in person_keys else m.label
        name = m.name
        if (label == "PERSON" or len(m.name.split()) == 1) and k in full and same_person(m.name, full[k]):
            name = full[k]
        mentions.append(PersonMention(m.start, m.end, name, m.title, label, m.token, m.subject, m.in_quote,
                                      m.roles, m.gender))
    inside = bytearray(len(doc_text) + 1)  # char -> inside quote marks
    for a, b in quoted:
        hi = min(max(b, 0), len(inside))
        lo = min(max(a, 0), hi)
        inside[lo:hi] = b"\x01" * (hi - lo)
    quoted_tokens = [i for i, at in enumerate(_token_starts(doc)) if inside[at]]
    genders = _learn_genders(doc, mentions, frozenset(quoted_tokens))
    pronouns = resolve_pronouns(doc, mentions, genders, quoted_tokens)
    return PersonIndex(tuple(mentions), full, genders, pronouns=pronouns)


_APPOS = re.compile(r",\s+(?:(?:a|an|the)\s+)?([^,.;:()“”\"]{2,80}?)\s*(?=[,;]|\.(?:\s|$))")


def _surface_appos(text: str, end: int) -> str:
    """ "Jo Reyes, the spokesman for the port, ...": a title in commas right after a name, when the
    parse missed the apposition. Only taken when it holds a title word."""
    m = _APPOS.match(text, end)
    if not m:
        return ""
    words = m.group(1).split()
    if not words or (words[0][:1].isupper() and not is_title_word(words[0])):
        return ""
    return m.group(1) if any(is_title_word(w) for w in words[:4]) else ""


def _has_person_title(chain: Sequence[Any], appos: str) -> bool:
    words = [t.text for t in chain[:-1]] + appos.split()[:3]
    return any(is_title_word(w) and _norm(w) not in {"board", "state", "head"} for w in words)


def _learn_genders(doc: Any, mentions: Sequence[PersonMention], quoted: frozenset[int] = frozenset()) -> dict[str, str]:
    """Gender per person where the article shows it. Strong evidence decides: an honorific or a
    gendered title ("Mrs.", "congresswoman") on any mention, or a common given name
    (:func:`~newsprism.analysis.quotes.coref.name_gender`). Else weak evidence, a clear majority of at
    least two: "X ... said she/he" where X is the only person named in the sentence and the
    pronoun follows it as a subject ("he"/"she") or a possessive ("his"/"her"), outside quote
    marks ("X scolded him" says nothing about X)."""
    strong: dict[str, Counter[str]] = {}
    weak: dict[str, Counter[str]] = {}
    for m in mentions:
        if m.label != "PERSON":
            continue
        for g in (m.gender, name_gender(m.name)):
            if g:
                strong.setdefault(m.name, Counter())[g] += 1
    for sent in doc.sents:
        people = {m.name for m in mentions if m.label == "PERSON" and sent.start <= m.token < sent.end
                  and not m.in_quote}
        if len(people) != 1:
            continue
        name = next(iter(people))
        first = min(m.token for m in mentions if m.name == name and sent.start <= m.token < sent.end)
        for tok in sent:
            g = _GENDER_EVIDENCE.get(tok.lower_)
            if g and tok.i > first and tok.pos_ == "PRON" and tok.i not in quoted and (
                    tok.dep_ in {"nsubj", "nsubjpass"} or (tok.dep_ == "poss" and tok.lower_ in {"his", "her"})):
                weak.setdefault(name, Counter())[g] += 1
    out: dict[str, str] = {}
    for name, c in weak.items():
        (g, n), *rest = c.most_common()
        if n >= 2 and n >= 2 * (rest[0][1] if rest else 0):
            out[name] = g
    for name, c in strong.items():
        (g, n), *rest = c.most_common()
        if not rest or n > rest[0][1]:
            out[name] = g
    return out


# ----------------------------------------------------------------------------- resolution


def _np_text(tok: Any) -> tuple[int, int, str]:
    """The noun phrase of a common-noun subject, without relative clauses or appositions."""
    keep = [t for t in tok.lefts if t.dep_ in {"det", "amod", "compound", "poss", "nummod", "case", "advmod"}]
    lo = min([tok.i] + [min(x.i for x in t.subtree) for t in keep])
    span = tok.doc[lo : tok.i + 1]
    return span.start_char, span.end_char, span.text


def _mention_at(index: PersonIndex, tok: Any) -> PersonMention | None:
    return index.by_token.get(tok.i)


def _title_for(index: PersonIndex, name: str, before: int) -> str:
    """The title the article gives the person: the nearest one written before ``before``, else any."""
    titled = [m for m in index.mentions if m.name == name and m.title]
    if not titled:
        return ""
    earlier = [m for m in titled if m.start <= before]
    return (earlier[-1] if earlier else titled[0]).title


def resolve_speaker(tok: Any, index: PersonIndex, sentence_starts: Sequence[int] = ()) -> Speaker:
    """Resolve the subject token of a speech verb to a speaker.

    ``sentence_starts`` (token indices where sentences begin) limits how far back a pronoun looks.
    """
    doc = tok.doc
    low = tok.lower_
    # relative pronoun: "X, who said ..." -> X
    if low in {"who", "that", "which"} and tok.head.dep_ in {"relcl", "acl"}:
        sp = resolve_speaker(tok.head.head, index, sentence_starts)
        return Speaker(sp.name, tok.text, tok.idx, tok.idx + len(tok.text), sp.title, "relative", sp.label)
    if tok.pos_ == "PRON" or low in _PRONOUN_GENDER or low in {"they", "i", "we", "it"}:
        start, end = tok.idx, tok.idx + len(tok.text)
        if low in _SINGULAR_PRONOUNS:
            person = index.pronouns.get(tok.i) or _antecedent(tok, index, _PRONOUN_GENDER[low], sentence_starts)
            if person is not None:
                return Speaker(person.name, tok.text, start, end, _title_for(index, person.name, start),
                               "pronoun", person.label)
        elif low in {"they", "it"}:
            org = _org_antecedent(tok, index, sentence_starts)
            if org is not None:
                return Speaker(org.name, tok.text, start, end, "", "pronoun", org.label)
        return Speaker(None, tok.text, start, end, "", "pronoun")
    m = _mention_at(index, tok)
    if m is None and tok.dep_ == "compound":
        m = _mention_at(index, tok.head)
    if m is not None and not (is_title_word(tok.text) and tok.pos_ != "PROPN"):
        # conjoined names ("Vail and Brandt said") keep the first; as written: the whole name
        return Speaker(m.name, _text_at(doc, m.start, m.end), m.start, m.end,
                       m.title or _title_for(index, m.name, m.start), "name", m.label)
    # a common noun: its appositive name, a name chained after it, or the person introduced with that role
    for child in tok.children:
        if child.dep_ == "appos":
            cm = _mention_at(index, child)
            if cm is not None:
                s, e, text = _np_text(tok)
                return Speaker(cm.name, text, s, e, cm.title or _title_for(index, cm.name, s), "nominal", cm.label)
    s, e, text = _np_text(tok)
    lemma = tok.lemma_.casefold()
    earlier = [m for m in index.mentions if m.start < tok.idx and not m.in_quote]
    for m in reversed(earlier):
        if lemma in m.roles and m.label == "PERSON":
            return Speaker(m.name, text, s, e, m.title, "nominal", m.label)
    # introduced just after ("the county's own engineer ... County Engineer Miriam Achterberg said")
    later = [m for m in index.mentions if m.start > tok.idx and not m.in_quote and m.start - tok.idx < 600]
    for m in later:
        if lemma in m.roles and m.label == "PERSON":
            return Speaker(m.name, text, s, e, m.title, "nominal", m.label)
    # "the retired teacher" right after a sentence about one named person
    if tok.tag_ == "NN" and lemma in TITLE_WORDS and lemma not in _AGENT_NOUNS and any(
            c.lower_ == "the" for c in tok.children):
        here = _sentence_of(tok.i, sentence_starts) if sentence_starts else 0
        near = [m for m in earlier if m.label == "PERSON" and m.subject
                and (not sentence_starts or here - _sentence_of(m.token, sentence_starts) <= 2)]
        if near:
            m = near[-1]
            return Speaker(m.name, text, s, e, _title_for(index, m.name, s), "nominal", m.label)
    for m in reversed(earlier):
        if m.label in {"ORG", "NORP", "GPE"} and lemma in {w.casefold() for w in m.name.split()} and len(
                m.name.split()) >= 2:
            return Speaker(m.name, text, s, e, "", "nominal", m.label)
    return Speaker(None, text, s, e, "", "nominal")


def _text_at(doc: Any, start: int, end: int) -> str:
    """``doc.text[start:end]`` for a span that starts on a token, without joining the whole Doc."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return str(span.text[: end - start]) if span is not None else str(doc.text[start:end])


def _sentence_of(i: int, starts: Sequence[int]) -> int:
    return max(bisect_right(starts, i) - 1, 0)


def _antecedent(tok: Any, index: PersonIndex, gender: str, starts: Sequence[int]) -> PersonMention | None:
    """The person a he/she refers to: the most recent compatible person, preferring subjects, within
    the current and four previous sentences (then anywhere before)."""
    before = [m for m in index.mentions if m.token < tok.i and m.label in {"PERSON", "NAME"} and not m.in_quote]
    if not before:
        return None

    def ok(m: PersonMention) -> bool:
        g = index.genders.get(m.name)
        return g is None or g == gender

    here = _sentence_of(tok.i, starts) if starts else 0
    window = [m for m in before if not starts or here - _sentence_of(m.token, starts) <= 4]
    people = [m for m in window if m.label == "PERSON"]
    for pool in (people, window, [m for m in before if m.label == "PERSON"]):
        cands = [m for m in pool if ok(m)]
        if not cands:
            continue
        # a known-gender match beats an unknown one when both are close
        subj = [m for m in cands if m.subject]
        last = cands[-1]
        best = subj[-1] if subj and (not starts or _sentence_of(last.token, starts) == _sentence_of(
            subj[-1].token, starts) or last.token - subj[-1].token < 40) else last
        known = [m for m in cands if index.genders.get(m.name) == gender]
        if known and index.genders.get(best.name) is None and known[-1].token > best.token and (
                known[-1].subject or not best.subject):
            best = known[-1]  # a later person known to match the pronoun
        return best
    return None


def _org_antecedent(tok: Any, index: PersonIndex, starts: Sequence[int]) -> PersonMention | None:
    here = _sentence_of(tok.i, starts) if starts else 0
    for m in reversed([m for m in index.mentions if m.token < tok.i and not m.in_quote]):
        if starts and here - _sentence_of(m.token, starts) > 2:
            return None
        if m.label in {"ORG", "NORP"}:
            return m
        if m.label == "PERSON":
            return None
    return None
