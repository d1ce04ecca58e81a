"""Who "he" and "she" are: pronouns and role nouns resolved to the people named in one article.

A small salience model over the spaCy parse, read in text order (no model, no data from a hub):

* every name mention of a person outside quote marks adds to that person's *salience*: more as the
  subject of a main clause than of a subordinate one, most as the one who speaks ("X said",
  "said X", "according to X"), little as a possessive or a compound ("Trump's", "the Trump
  campaign"); a person introduced with a title or an apposition gets a little more;
* salience halves with every narrative sentence (sentences wholly inside quote marks do not count,
  so a long quote does not make its speaker fade);
* a he/she outside quote marks goes to the most salient person whose gender does not clash, and
  then counts as a mention of that person in its own position: "He added ... “…,” he said" keeps
  the chain going across paragraphs of quotes;
* "the senator", "the Republican nominee" (a common noun with "the" whose word is one of a known
  person's title or role words) also counts as a mention of that person;
* a he/she never goes to a person of the other gender. Gender comes from honorifics and gendered
  words ("Mrs.", "congresswoman", "widow"), from common given names (:data:`FEMALE_NAMES`,
  :data:`MALE_NAMES`: general lists of English given names, not drawn from any evaluation data),
  and, for a person the name does not tell, from the he/she already resolved to them as the
  speaker of a quote (two alike: "“…,” she said. … She continued"). A person of unknown gender
  keeps 3/4 of their salience against one known to match.

>>> from newsprism.nlp.spacy_pipeline import load
>>> from newsprism.analysis.quotes.speakers import person_index
>>> doc = load()("Mayor Ann Lutz met Omar Bell at the pier. Bell said the pier held. She said she was relieved.")
>>> idx = person_index(doc)
>>> [(doc[i].text, m.name) for i, m in sorted(idx.pronouns.items())]
[('She', 'Ann Lutz'), ('she', 'Ann Lutz')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsprism.analysis.quotes.mentions import PersonMention
from newsprism.text.words import PRONOUN_GENDER, SPEECH_VERBS, TITLE_WORDS, pick

__all__ = ["FEMALE_NAMES", "MALE_NAMES", "name_gender", "resolve_pronouns"]

#: Common female given names (English-language news; general lists, ambiguous names left out).
FEMALE_NAMES = frozenset("""
    abigail ada adriana agnes aisha alexandra alexis alice alicia alison allison alma amanda amber amelia amy
    ana anastasia andrea angela angelica angelina angie anita ann anna anne annette annie antoinette april
    ariana arlene ashley audrey barbara beatrice becky belinda bernadette beth bethany betsy betty beverly
    bianca bonnie brenda brianna bridget brittany brooke camila candace carla carmen carol carole caroline
    carolyn carrie cassandra catherine cathy cecilia celia charlene charlotte chelsea cheryl chloe christina
    christine cindy claire clara claudia colleen connie constance courtney crystal cynthia daisy danielle
    daphne darlene dawn debbie deborah debra delia denise diana diane dianne dolores donna doris dorothy
    edith eileen elaine eleanor elena elisa elisabeth elise eliza elizabeth ella ellen eloise elsa emily
    emma erica erika erin esther ethel eva evelyn faith fatima felicia fiona florence frances francesca
    gabriela gabrielle gail georgia geraldine gertrude gina giselle gladys gloria grace gwen gwendolyn hannah
    harriet hazel heather heidi helen helena hilary hillary holly ida ingrid irene iris isabel isabella ivana
    ivanka jackie jacqueline jane janet janice jasmine jean jeanette jeanne jenna jennifer jenny jessica jill
    joan joanna joanne jodi josephine joy joyce juanita judith judy julia julie juliet june justine karen
    karina kate katherine kathleen kathryn kathy katie katrina kay kayla kelly kimberly kristen kristin kristina
    laura lauren laurie leah lena lillian lily linda lisa lois loretta lori lorraine louise lucia lucille
    lucy lydia lynn mabel madeleine madeline madison mae maggie malia mallory mandy marcia margaret margarita
    maria marian marianne marie marilyn marion marjorie marlene martha mary maureen maxine megan melania
    melanie melinda melissa meredith mia michele michelle mildred miranda miriam molly monica monique nadia
    nancy naomi natalie natasha nellie nicole nina nora norma olga olive olivia paige pamela patricia
    paula pauline peggy penelope penny phyllis priscilla rachel raquel rebecca regina renee rhonda rita
    roberta rosa rosalind rose rosemary roxanne ruth sabrina sally samantha sandra sara sarah savannah
    selena serena sharon sheila shelby shelley sherry shirley sofia sonia sophia sophie stacey stacy
    stella stephanie sue susan suzanne sylvia tamara tammy tanya tara teresa theresa tiffany tina tonya
    tracy ursula valerie vanessa vera veronica vicki victoria viola violet virginia vivian wanda wendy
    whitney wilma yolanda yvette yvonne zoe
""".split())

#: Common male given names (English-language news; general lists, ambiguous names left out).
MALE_NAMES = frozenset("""
    aaron abraham adam adrian ahmed al alan albert alberto alejandro alexander alfred ali allen alvin
    andre andrew andy angelo anthony antonio arnold arthur barack barry ben benjamin bernard bernie bill
    billy bob bobby brad bradley brandon brendan brent brett brian bruce bryan byron calvin cameron carl
    carlos cecil cedric chad charles charlie chester chris christopher chuck clarence clark claude clifford
    clyde cody colin craig curtis dale dan daniel danny darrell darren dave david dean dennis derek
    derrick diego dominic don donald doug douglas duane dustin dwayne dwight earl ed eddie edgar eduardo
    edward edwin elijah elliot ellis elmer emmanuel eric ernest ernesto eugene evan everett felix fernando
    floyd francis francisco frank franklin fred freddie frederick gabriel garrett gary gene geoffrey george
    gerald gilbert glenn gordon grant greg gregory guy harold harry harvey hector henry herbert herman howard
    hugh hugo ian isaac ivan jack jacob jake james jared jason javier jay jeff jeffrey jeremy jerome jerry
    jesse jesus jim jimmy joe joel john johnny jon jonathan jorge jose joseph josh joshua juan julian julio
    justin keith ken kenneth kevin kurt kyle lance larry lawrence lee leo leon leonard leroy lewis lloyd
    lonnie louis lucas luis luke malcolm manuel marc marco marcus mario mark marshall martin marvin matt
    matthew maurice max melvin michael miguel mike milton mitch mitchell mohammed muhammad nathan nathaniel
    neil nelson nicholas nick nigel noah norman oliver omar oscar otis owen pablo patrick paul pedro perry
    pete peter phil philip phillip rafael ralph ramon randall randy raul ray raymond reginald ricardo richard
    rick ricky rob robert roberto rod rodney roger roland ron ronald ross roy ruben rudy russell ryan salvador
    sam samuel scott sean sergio seth shane shawn sidney simon stanley stephen steve steven stuart ted
    terrence theodore thomas tim timothy todd tom tommy tony travis troy tyler vernon victor vincent vladimir
    wade walter warren wayne wesley willard william willie wilson xavier zachary
""".split())

# the subject forms only: the chain resolves pronouns that can speak ("he said"), not "him" or "his"
_PRONOUN_GENDER = {w: PRONOUN_GENDER[w] for w in ("he", "she")}
# Reporting verbs: their subject is the person speaking, the most salient role in news. The part of
# SPEECH_VERBS this reader was tuned with (the manner verbs "joke", "slam" ... not yet weighed).
_SAY = pick(SPEECH_VERBS, """say tell add write note explain argue ask continue insist warn claim state declare
    reply respond answer recall remark observe predict promise vow complain charge contend acknowledge admit
    announce tweet testify conclude agree counter suggest""")
_MAIN = frozenset({"ROOT", "conj", "parataxis"})
_DECAY = 0.5  # salience kept from one narrative sentence to the next
_REPORTED = 0.3  # weight kept by a mention inside reported speech
_UNKNOWN = 0.75  # salience kept by a person whose gender is unknown
_VOTES = 2  # he/she resolved to a person of unknown gender, all alike, before that fixes the gender
_WINDOW = 8  # narrative sentences a pronoun looks back before taking anyone compatible


def name_gender(name: str) -> str | None:
    """"m"/"f" from the first given name of a written name, None when unknown or ambiguous. A lone
    word counts too: pass a person's fullest name in the article, so that a lone word is all the
    article calls them ("Melanie"), not a surname cut from a longer name.

    >>> name_gender("Hillary Rodham Clinton"), name_gender("Ira Mehlman"), name_gender("Goldberg")
    ('f', None, None)
    """
    words = [w.casefold().strip(".") for w in name.split()]
    if not words:
        return None
    first = words[0]
    if first in FEMALE_NAMES and first not in MALE_NAMES:
        return "f"
    if first in MALE_NAMES and first not in FEMALE_NAMES:
        return "m"
    return None


@dataclass
class _Entity:
    name: str
    gender: str | None
    mentions: list[tuple[int, float]] = field(default_factory=list)  # (narrative sentence, weight)
    first: PersonMention | None = None
    last: PersonMention | None = None
    roles: set[str] = field(default_factory=set)
    votes: Counter[str] = field(default_factory=Counter)

    def salience(self, here: int) -> float:
        return sum(w * _DECAY ** (here - s) for s, w in self.mentions if here - s <= _WINDOW)

    def sex(self) -> str | None:
        """The gender the name or a title shows, else the one that every he/she resolved to this
        person as the speaker of a quote or reporting verb agrees on (at least two)."""
        if self.gender:
            return self.gender
        if self.votes:
            (g, n), *rest = self.votes.most_common()
            if n >= _VOTES and not rest:
                return g
        return None


def _clause_head(tok: Any) -> Any:
    """The verb whose clause ``tok`` belongs to."""
    h = tok.head
    while h.pos_ not in {"VERB", "AUX"} and h.head.i != h.i:
        h = h.head
    return h


def _is_main(verb: Any) -> bool:
    """The verb heads a main clause: the root, or a verb conjoined to or set beside one."""
    v = verb
    for _ in range(4):
        if v.dep_ == "ROOT" or v.head.i == v.i:
            return True
        if v.dep_ not in _MAIN:
            return False
        v = v.head
    return False


def _weight(tok: Any, speaker: bool = False) -> float:
    """How much a mention whose head token is ``tok`` adds to its person's salience; ``speaker``:
    the token is known to be the speaker of a quote."""
    dep = tok.dep_
    head = tok.head
    if dep in {"nsubj", "nsubjpass"}:
        verb = head if head.pos_ in {"VERB", "AUX"} else _clause_head(tok)
        w = 3.0 if _is_main(verb) else 1.5
        return w + (2.0 if speaker or verb.lemma_.casefold() in _SAY else 0.0)
    if dep == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
        return 4.0
    if dep in {"dobj", "attr"} and head.lemma_ == "say" and tok.i == head.i + 1:
        return 5.0  # "said Smith" parsed as an object
    if speaker:
        return 4.0
    if dep in {"poss", "compound"}:
        return 0.5 if dep == "poss" else 0.3
    if dep == "appos":
        return _weight(head)
    return 1.0


def _reported(tok: Any) -> bool:
    """The token sits in what someone is reported to have said ("X said [Clinton doesn't show ...]"):
    its people are the topic, not the narrative's focus."""
    prev = tok
    for a in tok.ancestors:
        if prev.dep_ in {"ccomp", "xcomp"} and a.lemma_.casefold() in _SAY:
            return True
        prev = a
    return False


def _narrative_index(doc: Any, quoted: Iterable[int]) -> list[int]:
    """token -> the number of narrative sentences (holding words outside quote marks) before it. A
    paragraph break ends a sentence even where the parser ran one across it.

    Read from spaCy's arrays of sentence starts and word kinds, not a Token per word (issue 17).
    """
    from spacy.attrs import IS_PUNCT, IS_SPACE, SENT_START

    if not len(doc):
        return []
    table = doc.to_array([SENT_START, IS_SPACE, IS_PUNCT])
    space = table[:, 1].astype(bool)
    breaks = np.zeros(len(doc), dtype=bool)  # a space token holding a line break ends a sentence
    for i in np.flatnonzero(space).tolist():
        breaks[i] = "\n" in doc[i].text
    starts = table[:, 0] == 1
    starts[0] = True
    starts[1:] |= breaks[:-1]
    unit = np.cumsum(starts) - 1
    words = ~space & ~table[:, 2].astype(bool)
    inside = [i for i in quoted if 0 <= i < len(doc)]
    words[inside] = False
    narrative = np.zeros(int(unit[-1]) + 1, dtype=bool)
    narrative[unit[words]] = True
    narrative[0] = True  # the first sentence counts whatever it holds
    return (np.cumsum(narrative) - 1)[unit].tolist()


def resolve_pronouns(doc: Any, mentions: Sequence[PersonMention], genders: Mapping[str, str] | None = None,
                     quoted_tokens: Iterable[int] = (), speakers: Iterable[int] = ()) -> dict[int, PersonMention]:
    """Token index of each he/she outside quote marks -> the name mention of the person it refers
    to (the person's latest mention before it). ``mentions`` come from ``person_index``,
    ``genders`` are what the article shows (honorifics, titles), ``quoted_tokens`` the tokens
    inside quote marks, ``speakers`` the tokens known to name the speaker of a quote (the quote
    extractor's attributions; subjects of reporting verbs count as speakers anyway). Pronouns
    with no compatible person stay out."""

    genders = genders or {}
    quoted = frozenset(quoted_tokens)
    spoke = frozenset(speakers)
    nidx = _narrative_index(doc, quoted)
    by_token = {m.token: m for m in mentions if m.label in {"PERSON", "NAME"} and not m.in_quote}
    entities: dict[str, _Entity] = {}
    out: dict[int, PersonMention] = {}
    for i in _pronoun_candidates(doc, by_token):
        tok = doc[i]
        here = nidx[i]
        m = by_token.get(tok.i)
        if m is not None:
            e = entities.get(m.name)
            if e is None:
                e = entities[m.name] = _Entity(m.name, m.gender or genders.get(m.name) or name_gender(m.name))
                e.first = m
            e.gender = e.gender or m.gender
            w = _weight(tok, tok.i in spoke) + (1.0 if m.title and e.first is m else 0.0)
            if tok.i not in spoke and _reported(tok):
                w *= _REPORTED
            e.mentions.append((here, w))
            e.last = m
            e.roles |= set(m.roles)
            continue
        if tok.i in quoted:
            continue
        low = tok.lower_
        if low == "who" and tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.dep_ == "relcl":
            # "Ms. Lauten, who describes herself as ...": one more mention of the person named
            named = by_token.get(tok.head.head.i)
            if named is not None and named.name in entities:
                entities[named.name].mentions.append((here, _weight(tok, tok.i in spoke)))
            continue
        if low in _PRONOUN_GENDER and tok.pos_ == "PRON":
            g = _PRONOUN_GENDER[low]
            best = _pick(entities.values(), here, g)
            if best is None or best.last is None:
                continue
            out[tok.i] = best.last
            best.mentions.append((here, _weight(tok, tok.i in spoke)))
            if tok.i in spoke or (tok.dep_ == "nsubj" and tok.head.lemma_.casefold() in _SAY):
                best.votes[g] += 1  # "“…,” she said": the surest kind of link, worth learning from
            continue
        # "the senator", "the Republican nominee": a role noun standing for a person named before
        if (tok.pos_ == "NOUN" and tok.tag_ == "NN" and tok.dep_ in {"nsubj", "nsubjpass"}
                and tok.lemma_.casefold() in TITLE_WORDS and any(c.lower_ == "the" for c in tok.children)):
            lemma = tok.lemma_.casefold()
            holders = [e for e in entities.values() if lemma in e.roles and e.salience(here) > 0]
            if holders:
                best = max(holders, key=lambda e: e.salience(here))
                best.mentions.append((here, _weight(tok, tok.i in spoke)))
    return out


def _pronoun_candidates(doc: Any, named: Iterable[int]) -> list[int]:
    """The tokens :func:`resolve_pronouns` can act on, in order: the ``named`` ones, "who", he/she,
    and singular common nouns that are subjects. Picked from spaCy's arrays: the other words of an
    article, nine in ten, were each made a Token only to be passed over (issue 17)."""
    from spacy.attrs import DEP, LOWER, POS, TAG
    from spacy.symbols import NOUN

    if not len(doc):
        return []
    key = doc.vocab.strings.as_int
    table = doc.to_array([LOWER, POS, TAG, DEP])
    words = np.isin(table[:, 0], [key(w) for w in ("who", *_PRONOUN_GENDER)])
    subjects = np.isin(table[:, 3], [key("nsubj"), key("nsubjpass")])
    nouns = (table[:, 1] == NOUN) & (table[:, 2] == key("NN")) & subjects
    found = set(np.flatnonzero(words | nouns).tolist())
    found.update(i for i in named if 0 <= i < len(doc))
    return sorted(found)


def _pick(entities: Iterable[_Entity], here: int, gender: str) -> _Entity | None:
    scored = []
    for e in entities:
        sex = e.sex()
        if sex is not None and sex != gender:
            continue
        s = e.salience(here)
        if s > 0:
            scored.append((s * (1.0 if sex == gender else _UNKNOWN), e))
    if scored:
        return max(scored, key=lambda x: x[0])[1]
    # nobody within the window: the last compatible person mentioned at all
    late = [e for e in entities if e.sex() in {None, gender} and e.mentions]
    return max(late, key=lambda e: e.mentions[-1][0]) if late else None
