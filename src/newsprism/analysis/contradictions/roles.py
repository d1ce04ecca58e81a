"""People's titles and affiliations as each article writes them, and when two of them clash.

A title is read from the parse where news puts it: before the name ("County Engineer Miriam
Achterberg", "former ICE Director Tom Homan") or in an apposition ("Jackie Goldberg, president
of the LAUSD board,"; "the county engineer, Miriam Achterberg,"). :func:`parse_title` turns the
words into parts that can be compared: the office (``head``, with its rank: "vice president" is
not "president"), the body (council, board, senate), the domain (school, police, fire), the
level (city, county, state), the party, a US state, and flags for "former" and for provisional
forms ("-elect", "nominee").

Two titles clash (:func:`titles_clash`) only when they cannot both be true of one person now:

* the same office in different bodies, domains, levels or parties ("council president" vs
  "school board president", "Police Chief" vs "Fire Chief");
* two different offices that nobody holds together ("Fire Chief" vs "Emergency Management
  Director"), unless one of them is a loose description (member, official, candidate, adviser)
  or the pair is commonly held at once (a representative who is Speaker, a senator who is
  majority leader, a president who is also chair or CEO);

"Former" and provisional titles ("-elect", "nominee", "pick") clash with nothing: on the dev
stories a bare "X" against "former X" was always a sentence about the past, not an error.

A title that only adds or drops detail ("Board President" vs "School board President",
"Emergency Management Director" vs "Calder County Emergency Management Director") never clashes.

>>> t = parse_title("Calder County Emergency Management Director")
>>> t.head, sorted(t.domains), sorted(t.levels)
('director', ['emergency management'], ['county'])
>>> titles_clash(parse_title("council president"), parse_title("president of the LAUSD board"))
True
>>> titles_clash(parse_title("Board President"), parse_title("School board President"))
False
>>> titles_clash(parse_title("Brenmoor Fire Chief"), t)
True
>>> titles_clash(parse_title("Councilmember"), parse_title("council member"))
False
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from newsprism.model import Annotation, Article
from newsprism.text.words import HONORIFICS, TITLE_WORDS, pick

__all__ = [
    "RoleMention",
    "Title",
    "find_role_mentions",
    "mentions_title",
    "parse_title",
    "person_key",
    "title_terms",
    "title_words",
    "titles_clash",
]

# --- lexicon ---------------------------------------------------------------------------------

_ABBREVIATIONS = {
    "sen": "senator", "sens": "senator", "rep": "representative", "reps": "representative",
    "gov": "governor", "govs": "governor", "lt": "lieutenant", "atty": "attorney", "sec": "secretary",
    "secy": "secretary", "supt": "superintendent", "dir": "director", "pres": "president",
    "asst": "assistant", "dep": "deputy", "cmdr": "commander", "sgt": "sergeant", "capt": "captain",
    "det": "detective", "insp": "inspector", "amb": "ambassador", "adm": "admiral", "col": "colonel",
    "comm": "commissioner", "chmn": "chair", "gen": "general", "prof": "professor",
    "councilmember": "council member", "councilmembers": "council member", "councilman": "council member",
    "councilwoman": "council member", "councilor": "council member", "councillor": "council member",
    "councilperson": "council member", "alderman": "council member", "alderwoman": "council member",
    "congressman": "representative", "congresswoman": "representative", "congressmember": "representative",
    "assemblyman": "assembly member", "assemblywoman": "assembly member", "assemblymember": "assembly member",
    "chairman": "chair", "chairwoman": "chair", "chairperson": "chair",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "lawmaker": "lawmaker",
    "senators": "senator", "representatives": "representative", "members": "member",
    "legislator": "lawmaker", "legislators": "lawmaker", "lawmakers": "lawmaker",
}  # fmt: skip
# multi-word offices, rewritten to one word before parsing (longest first)
_MULTI = [
    ("chief executive officer", "ceo"), ("chief executive", "ceo"), ("chief operating officer", "coo"),
    ("chief financial officer", "cfo"), ("chief of staff", "chief-of-staff"), ("attorney general", "attorney-general"),
    ("district attorney", "district-attorney"), ("state's attorney", "district-attorney"),
    ("press secretary", "press-secretary"), ("prime minister", "prime-minister"),
    ("commander in chief", "commander-in-chief"), ("secretary general", "secretary-general"),
    ("surgeon general", "surgeon-general"), ("inspector general", "inspector-general"),
    ("solicitor general", "solicitor-general"), ("city manager", "city-manager"),
    ("county executive", "county-executive"), ("first lady", "first-lady"),
    ("executive director", "director"), ("managing director", "director"), ("general manager", "manager"),
    ("border czar", "czar"), ("police chief", "police chief"), ("fire chief", "fire chief"),
    ("president pro tempore", "president-pro-tempore"),
]  # fmt: skip
_MULTI_RX = [(re.compile(rf"\b{re.escape(a)}\b"), b) for a, b in _MULTI]

#: offices: two different ones clash unless commonly held together
HARD_HEADS = frozenset("""
    president director chief mayor governor senator representative speaker secretary minister
    prime-minister commissioner superintendent sheriff judge justice attorney-general district-attorney
    prosecutor treasurer comptroller controller auditor clerk engineer manager city-manager administrator
    ambassador general admiral colonel captain sergeant lieutenant detective inspector chancellor provost
    dean principal ceo coo cfo chief-of-staff press-secretary chair czar coordinator marshal
    county-executive surgeon-general inspector-general solicitor-general secretary-general first-lady
    president-pro-tempore commander-in-chief commander
""".split())
#: loose descriptions: never clash with another head (only with the same head in another body)
SOFT_HEADS = frozenset("""
    member official candidate nominee hopeful contender activist adviser advisor aide lawyer attorney
    expert analyst critic lawmaker politician leader head spokesperson founder owner professor
    economist researcher strategist consultant organizer volunteer partner
""".split())
HEADS = HARD_HEADS | SOFT_HEADS
#: rank words that make another office ("vice president" is not "president")
_RANKS = frozenset("vice deputy assistant associate lieutenant under majority minority co".split())
#: words that only add emphasis or seniority ("Executive Director" is a "Director")
_DROPPABLE = frozenset("chief senior executive principal top longtime veteran newly acting interim".split())
_FORMER = frozenset("former ex onetime then late".split())
_PROVISIONAL = frozenset("elect designate incoming nominee nominated presumptive appointed designated pick choice"
                         .split())
# pairs of offices one person commonly holds at once
_COHOLD = {frozenset(p) for p in (
    ("senator", "majority leader"), ("senator", "minority leader"), ("senator", "chair"), ("senator", "whip"),
    ("senator", "president-pro-tempore"), ("representative", "speaker"), ("representative", "chair"),
    ("representative", "majority leader"), ("representative", "minority leader"), ("president", "chair"),
    ("president", "ceo"), ("ceo", "chair"), ("president", "commander-in-chief"), ("coo", "president"),
    ("cfo", "treasurer"), ("mayor", "chair"), ("governor", "chair"), ("judge", "justice"),
    ("prosecutor", "district-attorney"), ("prosecutor", "attorney-general"), ("commissioner", "chair"),
    ("chancellor", "president"), ("ceo", "director"),
)}
_BODIES = frozenset("""
    council board commission committee subcommittee department agency office court senate house assembly
    legislature congress parliament cabinet caucus administration bureau authority service ministry
    campaign university college district task force
""".split())
_DOMAINS = {
    "school": "school", "schools": "school", "education": "school", "police": "police", "fire": "fire",
    "health": "health", "transportation": "transportation", "transit": "transportation", "water": "water",
    "parks": "parks", "planning": "planning", "zoning": "planning", "housing": "housing",
    "finance": "finance", "budget": "budget", "ethics": "ethics", "judiciary": "judiciary",
    "intelligence": "intelligence", "appropriations": "appropriations", "elections": "elections",
    "defense": "defense", "defence": "defense", "treasury": "treasury", "justice": "justice",
    "energy": "energy", "commerce": "commerce", "labor": "labor", "agriculture": "agriculture",
    "interior": "interior", "veterans": "veterans", "homeland": "homeland security", "foreign": "foreign",
    "immigration": "immigration", "customs": "immigration", "emergency": "emergency management",
    "environmental": "environment", "environment": "environment", "sanitation": "sanitation",
    "corrections": "corrections", "prisons": "corrections", "military": "defense", "navy": "navy",
    "army": "army", "marines": "marines",
}  # fmt: skip
# words whose domain is implied by another in the same title ("homeland security" is one domain)
_DOMAIN_SKIP = frozenset("security management services affairs".split())
_LEVELS = {
    "city": "city", "municipal": "city", "town": "city", "village": "city", "county": "county",
    "state": "state", "federal": "federal", "national": "federal", "u.s.": "federal", "us": "federal",
    "regional": "regional", "provincial": "state",
}  # fmt: skip
_PARTIES = {
    "republican": "republican", "gop": "republican", "democratic": "democratic", "democrat": "democratic",
    "independent": "independent", "libertarian": "libertarian", "labour": "labour", "conservative": "conservative",
}  # fmt: skip
_US_STATES = frozenset("""
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho
    illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
    mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah
    vermont virginia washington wisconsin wyoming
""".split())
# honorifics read past before a name (every lookup strips the period): the formal ones too, and the "the" of
# "the Hon."; not "miss", which is not in the list this reader was tuned with
_HONORIFICS = (HONORIFICS - {"miss"}) | pick(TITLE_WORDS, "rev sir dame hon") | {"the"}
_CONNECTORS = frozenset("of for at on the a an to in".split())
# lower-case words allowed inside a title before the name (besides the lexicon above)
_TITLE_WORDS = (HEADS | _RANKS | _DROPPABLE | _FORMER | _PROVISIONAL | _BODIES | frozenset(_DOMAINS)
                | frozenset(_LEVELS) | frozenset(_PARTIES) | _DOMAIN_SKIP
                | frozenset(_ABBREVIATIONS) | frozenset("press border public works force task".split()))


@dataclass(frozen=True, slots=True)
class Title:
    """A title as written, and its comparable parts."""

    raw: str
    head: str
    former: bool = False
    provisional: bool = False
    bodies: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    parties: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    @property
    def specificity(self) -> int:
        """How much the title says beyond its office (more parts: more specific)."""
        return (len(self.bodies) + len(self.domains) + len(self.levels) + len(self.parties) + len(self.states)
                + len(self.names))

    @property
    def signature(self) -> tuple[object, ...]:
        return (self.head, self.former, self.provisional, self.bodies, self.domains, self.levels, self.parties,
                self.states)


def _words(text: str) -> list[str]:
    """Lower-cased words of a title, abbreviations and compounds spelled out."""
    text = text.replace("’", "'").lower()
    text = re.sub(r"\b(\w+)-(elect|designate|nominee)\b", r"\1 \2", text)
    text = re.sub(r"\bex-(\w)", r"ex \1", text)
    text = re.sub(r"'s\b", "", text)
    out: list[str] = []
    for w in re.findall(r"[a-z][a-z.'-]*", text):
        w = w.strip(".'-")
        if not w:
            continue
        w = _ABBREVIATIONS.get(w, w)
        out.extend(w.split())
    joined = " ".join(out)
    for rx, repl in _MULTI_RX:
        joined = rx.sub(repl, joined)
    return joined.split()


def title_words(text: str) -> list[str]:
    """The words of ``text`` as :func:`parse_title` reads them (lower case, abbreviations spelled out).

    >>> title_words("Sen. Ted Cruz and Councilmember Raman")
    ['senator', 'ted', 'cruz', 'and', 'council', 'member', 'raman']
    """
    return [_singular(w) for w in _words(text)]


def title_terms(text: str) -> set[str]:
    """Every word of ``text`` as :func:`parse_title` would file it (a word, its domain, level or
    party): what an article says about offices, for checking whether it names a given title.

    >>> sorted(title_terms("the GOP Sen. from Texas"))
    ['from', 'gop', 'republican', 'senator', 'texas', 'the']
    """
    out: set[str] = set()
    for w in title_words(text):
        out.add(w)
        for table in (_DOMAINS, _LEVELS, _PARTIES):
            if w in table:
                out.add(table[w])
    return out


def mentions_title(terms: set[str], t: Title) -> bool:
    """Whether words (from :func:`title_terms`) name title ``t``: its office and every part of it.

    >>> mentions_title(title_terms("Kerry, the new secretary of state"), parse_title("Secretary of State"))
    True
    >>> mentions_title(title_terms("Florida GOP Gov. Rick Scott"), parse_title("Democratic Gov."))
    False
    """
    parts = t.bodies | t.domains | t.levels | t.parties | t.states
    return t.head.split()[-1] in terms and parts <= terms


def _singular(w: str) -> str:
    if w in HEADS or w in _BODIES:
        return w
    for suffix, repl in (("ies", "y"), ("s", "")):
        if w.endswith(suffix) and (w[: -len(suffix)] + repl) in HEADS | _BODIES:
            return w[: -len(suffix)] + repl
    return w


def parse_title(text: str, *, capitalised: Iterable[str] = ()) -> Title | None:
    """Split a title into its comparable parts; None when it names no office or role.

    ``capitalised``: words written with a capital in the article (kept as names when they are
    not in the lexicon); by default every word not in the lexicon is ignored.

    >>> parse_title("former ICE Director").former, parse_title("President-elect").provisional
    (True, True)
    >>> parse_title("Vice President").head, parse_title("Sen.").head, parse_title("a fiscal hawk") is None
    ('vice president', 'senator', True)
    """
    words = [_singular(w) for w in _words(text)]
    if not words:
        return None
    caps = {w.lower() for w in capitalised}
    # the office: the last head word before an "of/for/at" phrase, else the last head word
    cut = next((i for i, w in enumerate(words) if w in ("of", "for", "at", "with", "on") and i > 0), len(words))
    heads = [i for i, w in enumerate(words[:cut]) if w in HEADS or w in ("police chief", "fire chief")]
    if not heads:
        return None
    h = heads[-1]
    head = words[h]
    if head in ("police chief", "fire chief"):
        head = "chief"
    rank = words[h - 1] if h > 0 and words[h - 1] in _RANKS else None
    if rank == "lieutenant" and head not in ("governor", "general", "colonel", "commander"):
        rank = None
    if rank:
        head = f"{rank} {head}"
    if head in ("majority leader", "minority leader") or (rank in ("majority", "minority")):
        head = f"{rank} leader" if rank else head
    former = any(w in _FORMER for w in words)
    provisional = any(w in _PROVISIONAL for w in words) or head in ("candidate", "nominee", "hopeful")
    bodies: set[str] = set()
    domains: set[str] = set()
    levels: set[str] = set()
    parties: set[str] = set()
    states: set[str] = set()
    names: set[str] = set()
    joined = " ".join(words)
    if "police chief" in joined:
        domains.add("police")
    if "fire chief" in joined:
        domains.add("fire")
    after_secretary = head in ("secretary", "minister") and cut < len(words)
    for i, w in enumerate(words):
        if i == h or (rank and i == h - 1) or w in _CONNECTORS or w in _FORMER or w in _PROVISIONAL:
            continue
        if w in _BODIES:
            bodies.add(w)
        elif w == "state" and after_secretary and i > cut:
            domains.add("state")
        elif w in _LEVELS:
            levels.add(_LEVELS[w])
        elif w in _DOMAINS:
            domains.add(_DOMAINS[w])
        elif w in _PARTIES:
            parties.add(_PARTIES[w])
        elif w in _US_STATES:
            states.add(w)
        elif w in caps and w not in _DROPPABLE and w not in _RANKS and w not in _DOMAIN_SKIP and w not in HEADS:
            names.add(w)
    if "house" in bodies and "white" in words:
        bodies.discard("house")
        bodies.add("white house")
    return Title(text.strip(), head, former, provisional, frozenset(bodies), frozenset(domains),
                 frozenset(levels), frozenset(parties), frozenset(states), frozenset(names))


def _clash(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and not (a & b)


def _org_clash(a: Title, b: Title) -> bool:
    return (_clash(a.bodies, b.bodies) or _clash(a.domains, b.domains) or _clash(a.levels, b.levels)
            or _clash(a.parties, b.parties) or _clash(a.states, b.states))


def _soft(head: str) -> bool:
    return head.split()[-1] in SOFT_HEADS and head not in ("majority leader", "minority leader")


def titles_clash(a: Title, b: Title) -> bool:
    """True when ``a`` and ``b`` cannot both describe one person now (see the module doc).

    >>> titles_clash(parse_title("former FBI Director"), parse_title("FBI Director"))
    False
    >>> titles_clash(parse_title("Rep."), parse_title("House Speaker"))
    False
    >>> titles_clash(parse_title("deputy director"), parse_title("director"))
    True
    """
    if a.provisional or b.provisional or a.former or b.former:
        # a past or coming role says nothing against a present one; and "former X" against a bare
        # "X" was, on every dev story, a sentence about the past ("campaign chair Paul Manafort ...
        # during the campaign"), not an outlet's error
        return False
    if a.head == b.head:
        return _org_clash(a, b)
    if _soft(a.head) or _soft(b.head):
        return False
    return frozenset((a.head, b.head)) not in _COHOLD


# --- people and their titles in an article -----------------------------------------------------

_NAME_WORD = re.compile(r"^(?:[A-Z][a-zA-Z'’]*(?:-[A-Za-z][a-zA-Z'’]*)*|[A-Z]\.|Jr\.|Sr\.|II|III|IV)$")
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())


def person_key(name: str) -> str | None:
    """A matching key for a full name: first and last name, lower-cased; None for one word.

    >>> person_key("Dr. Miriam Achterberg"), person_key("John F. Kennedy Jr."), person_key("Bass")
    ('miriam achterberg', 'john kennedy', None)
    """
    words = [w for w in name.replace("’", "'").split() if w.lower().rstrip(".") not in _HONORIFICS
             and w.lower() not in _SUFFIXES and w.lower() != "the"]
    words = [w for w in words if not re.fullmatch(r"[A-Z]\.", w)]
    if len(words) < 2:
        return None
    return f"{words[0].lower()} {words[-1].lower()}"


@dataclass(frozen=True, slots=True)
class RoleMention:
    """One article calling one person by a title: offsets of title+name and of its sentence."""

    article_id: str
    person: str  # person_key
    name: str  # the full name as written somewhere in the story
    title: Title
    start: int
    end: int
    sentence: tuple[int, int]


def _is_title_word(tok: Any) -> bool:
    low = tok.lower_.rstrip(".")
    if low in _HONORIFICS:
        return True
    if tok.is_punct and tok.text not in ("-", "."):
        return False
    if tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
        return False
    if tok.pos_ not in ("PROPN", "NOUN", "ADJ", "PUNCT", "ADP", "DET") and low not in _TITLE_WORDS:
        return False
    if tok.pos_ in ("ADP", "DET"):
        return low in ("of", "the")
    if tok.text == "-":
        return True
    if low in _TITLE_WORDS or _singular(low) in _TITLE_WORDS or low in _US_STATES:
        return True
    return tok.text[:1].isupper() and tok.pos_ in ("PROPN", "NOUN", "ADJ")


def _pre_title(doc: Any, first_token: int, sent_start: int) -> tuple[int, str, list[str]] | None:
    """The title written right before the name starting at token ``first_token``."""
    i = first_token - 1
    while i >= sent_start and doc[i].lower_.rstrip(".") in _HONORIFICS:
        i -= 1
    chain: list[Any] = []
    while i >= sent_start and len(chain) < 9:
        tok = doc[i]
        if tok.tag_ == "POS" or (i + 1 < len(doc) and doc[i + 1].tag_ == "POS" and doc[i + 1].i < first_token):
            break
        if not _is_title_word(tok):
            break
        chain.insert(0, tok)
        i -= 1
    # trim connectors and punctuation left at the front
    while chain and (chain[0].lower_ in ("of", "the", "for", "-", ".") or chain[0].lower_.rstrip(".") in
                     _HONORIFICS):
        chain.pop(0)
    if not chain:
        return None
    last = chain[-1].lower_.rstrip(".")
    # "the communications director of Rep. X": the title is what follows the last "of" when that
    # part names an office itself
    of_at = [k for k, t in enumerate(chain) if t.lower_ == "of"]
    if of_at and _is_head_word(last):
        chain = chain[of_at[-1] + 1:]
        while chain and chain[0].lower_ == "the":
            chain.pop(0)
        if not chain:
            return None
    # the word next to the name must be the office (or "-elect" after it), or a "... of X" phrase
    if not (_singular(_ABBREVIATIONS.get(last, last)).split()[-1] in HEADS | _RANKS | {"elect", "designate"}
            or any(t.lower_ == "of" for t in chain)):
        return None
    text = doc[chain[0].i: chain[-1].i + 1].text
    caps = [t.text for t in chain if t.text[:1].isupper()]
    return int(chain[0].idx), text, caps


_APPOS_STOP = frozenset(("relcl", "acl", "punct", "advcl", "ccomp"))


def _appos_title(doc: Any, name_tokens: Sequence[Any]) -> tuple[int, int, str, list[str]] | None:
    """An apposition next to the name: "X, president of the board," or "the county engineer, X,"."""
    idx = {t.i for t in name_tokens}
    for tok in name_tokens:
        for child in tok.children:
            if child.dep_ == "appos" and child.i not in idx and child.i > max(idx):
                kept = [t for t in child.subtree if not any(a.dep_ in _APPOS_STOP and a.i != child.i
                                                            for a in _ancestors_until(t, child))]
                kept = [t for t in kept if not t.is_punct or t.text in ("-", ".")]
                if kept:
                    return _span_of(kept)
    root = max(name_tokens, key=lambda t: t.i)
    head = root.head
    if root.dep_ == "appos" and head.i < min(idx) and head.lower_ in HEADS | frozenset(_ABBREVIATIONS):
        kept = [t for t in head.subtree if t.i < min(idx) and not t.is_punct and t.dep_ not in ("relcl", "acl")]
        if kept:
            return _span_of(kept)
    return None


def _ancestors_until(tok: Any, stop: Any) -> list[Any]:
    out = []
    while tok.i != stop.i and tok.head.i != tok.i:
        out.append(tok)
        tok = tok.head
    return out


def _span_of(tokens: Sequence[Any]) -> tuple[int, int, str, list[str]]:
    tokens = sorted(tokens, key=lambda t: t.i)
    # keep the contiguous run from the first token (a parse may attach stray words)
    run = [tokens[0]]
    for t in tokens[1:]:
        if t.i != run[-1].i + 1:
            break
        run.append(t)
    while run and run[0].lower_ in ("the", "a", "an"):
        run.pop(0)
    if not run:
        return (0, 0, "", [])
    doc = run[0].doc
    span = doc[run[0].i: run[-1].i + 1]
    return int(span.start_char), int(span.end_char), span.text, [t.text for t in run if t.text[:1].isupper()]


def _names_in_doc(doc: Any) -> set[str]:
    """Full names in one parsed article: PERSON entities, and capitalised runs after an office word
    (the small model misses some names: "Fire Chief Curtis Bellweather")."""
    found: set[str] = set()
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        words = ent.text.replace("’s", "").replace("'s", "").split()
        while words and (words[0].lower().rstrip(".") in _HONORIFICS or _is_lexicon(words[0])):
            words.pop(0)
        if 2 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words):
            found.add(" ".join(words))
    for i in _office_word_positions(doc):
        tok = doc[i]
        if not tok.text[:1].isupper():
            continue
        j = tok.i + 1
        while j < len(doc) and doc[j].lower_.rstrip(".") in _HONORIFICS:
            j += 1
        words = []
        while j < len(doc) and len(words) < 4:
            t = doc[j]
            if t.text == "-" and words and j + 1 < len(doc) and not t.whitespace_:
                words[-1] += "-"
                j += 1
                continue
            if t.pos_ == "PROPN" and _NAME_WORD.match(t.text) and not _is_lexicon(t.text) and t.ent_type_ not in (
                    "DATE", "GPE", "ORG", "NORP", "TIME"):
                if words and words[-1].endswith("-"):
                    words[-1] += t.text
                else:
                    words.append(t.text)
                j += 1
                continue
            break
        if 2 <= len(words) <= 3:
            found.add(" ".join(words))
    return found


@lru_cache(maxsize=65536)
def _is_head_word(low: str) -> bool:
    return _singular(_ABBREVIATIONS.get(low, low)).split()[-1] in HEADS


def _office_word_positions(doc: Any) -> list[int]:
    """The positions of the tokens whose lower-case form (a final full stop aside) is an office
    word, in order: decided once per distinct word from spaCy's array of forms, not by making a
    Token of every word of the article (issue 17)."""
    from spacy.attrs import LOWER

    lowers = doc.to_array(LOWER)
    if not len(lowers):
        return []
    strings = doc.vocab.strings
    offices = [w for w in np.unique(lowers) if (low := strings[int(w)].rstrip(".")).split() and _is_head_word(low)]
    return np.flatnonzero(np.isin(lowers, offices)).tolist() if offices else []


def _is_lexicon(word: str) -> bool:
    low = word.lower().rstrip(".")
    return low in _TITLE_WORDS or _singular(low) in _TITLE_WORDS


def find_role_mentions(articles: Sequence[Article], annotations: Sequence[Annotation]) -> list[RoleMention]:
    """Every (person, title) pair the articles write, people matched across articles by full name.

    A surname written alone ("Mayor Bass") counts when one full name in the article (or, failing
    that, in the whole story) has that surname.
    """
    names: set[str] = set()
    for ann in annotations:
        if ann.doc is not None:
            names |= _names_in_doc(ann.doc)
    by_key: dict[str, str] = {}
    for n in sorted(names, key=lambda n: (-len(n), n)):
        k = person_key(n)
        if k:
            by_key.setdefault(k, n)
    surnames: dict[str, set[str]] = {}
    for k in by_key:
        surnames.setdefault(k.split()[-1], set()).add(k)
    # each name's surname as written, with its word runs: once per story, not once per article
    written = {k: (n.split()[-1], frozenset(_WORD_RUN.findall(n.split()[-1]))) for k, n in by_key.items()}
    # longest first, once per story (sorting and keying every name of the story again for each
    # article grew with the square of the story, issue 17)
    ordered = [(name, person_key(name), frozenset(_WORD_RUN.findall(name)))
               for name in sorted(names, key=len, reverse=True)]
    # which names and surnames an article can hold, found from its word runs, not by looking at
    # every name of the story for each article (issue 17)
    name_index = _RunIndex([name_runs for _, key, name_runs in ordered if key is not None],
                           [k for k, (_, key, _) in enumerate(ordered) if key is not None])
    groups = list(surnames.values())
    surname_index = _RunIndex([written[k][1] for keys in groups for k in keys],
                              [p for p, keys in enumerate(groups) for _ in keys])
    out: list[RoleMention] = []
    for article, ann in zip(articles, annotations, strict=True):
        if ann.doc is None:
            continue
        runs = set(_WORD_RUN.findall(article.text))
        out.extend(_article_mentions(article, ann, runs, [ordered[k] for k in name_index.within(runs)], by_key,
                                     [groups[p] for p in surname_index.within(runs)], written))
    return out


_WORD_OR_HYPHEN = re.compile(r"[\w-]")


def _whole_words(words: str, text: str) -> Iterator[tuple[int, int]]:
    """Where ``words`` stand in ``text`` with no word character or hyphen either side, left to right
    (what ``(?<![\\w-])words(?![\\w-])`` finds): a search for the words themselves, the edges then
    checked, runs far faster than that pattern, which ``re`` tries at every character (issue 17).

    >>> list(_whole_words("Ruiz", "Ruiz, Ruiz-Lee, Ruizes, Ruiz"))
    [(0, 4), (24, 28)]
    """
    at = text.find(words)
    while at >= 0 and words:
        end = at + len(words)
        if ((at == 0 or not _WORD_OR_HYPHEN.match(text, at - 1))
                and (end == len(text) or not _WORD_OR_HYPHEN.match(text, end))):
            yield at, end
            at = text.find(words, end)
        else:
            at = text.find(words, at + 1)


class _RunIndex:
    """Items (by position) keyed by one of their word runs, the longest: an item whose runs are all
    among a text's is found among ``within(text's runs)``, in position order, with few others.

    >>> index = _RunIndex([frozenset({"Ana", "Ruiz"}), frozenset({"Bo"}), frozenset()], [0, 1, 2])
    >>> index.within({"Ruiz", "said"})
    [0, 2]
    """

    def __init__(self, item_runs: Sequence[frozenset[str]], positions: Sequence[int]) -> None:
        self._by_run: dict[str, list[int]] = {}
        self._always: list[int] = []  # an item without word runs may be anywhere
        for runs, position in zip(item_runs, positions, strict=True):
            if runs:
                self._by_run.setdefault(max(runs, key=lambda r: (len(r), r)), []).append(position)
            else:
                self._always.append(position)

    def within(self, runs: Iterable[str]) -> list[int]:
        found = set(self._always)
        for run in runs:
            found.update(self._by_run.get(run, ()))
        return sorted(found)


#: a maximal run of word characters: every run of a name found with ``(?<![\w-])…(?![\w-])`` is one
#: of the text's runs, so a name with a run the text lacks cannot be found there
_WORD_RUN = re.compile(r"\w+")


def _article_mentions(article: Article, ann: Annotation, runs: set[str],
                      ordered: list[tuple[str, str | None, frozenset[str]]], by_key: dict[str, str],
                      surnames: list[set[str]], written_as: dict[str, tuple[str, frozenset[str]]]) -> list[RoleMention]:
    """The role mentions of one article whose word ``runs`` are given; ``ordered`` and ``surnames``
    may leave out the names and surname groups that cannot be found in it."""
    doc: Any = ann.doc
    text = article.text
    taken: list[tuple[int, int, str]] = []
    for name, key, name_runs in ordered:
        if key is None or not name_runs <= runs or name not in text:
            continue
        for m_start, m_end in _whole_words(name, text):
            if not any(s < m_end and m_start < e for s, e, _ in taken):
                taken.append((m_start, m_end, key))
    here = {k for _, _, k in taken}
    for keys in surnames:
        local = {k for k in keys if k in here}
        key = next(iter(local)) if len(local) == 1 else next(iter(keys)) if len(keys) == 1 and not local else None
        if key is None:
            continue
        written, written_runs = written_as[key]
        # a surname whose words the article lacks is not searched for at all (issue 17)
        if not written_runs <= runs or written not in text:
            continue
        for m_start, m_end in _whole_words(written, text):
            if not any(s <= m_start and m_end <= e for s, e, _ in taken):
                taken.append((m_start, m_end, key))
    out: list[RoleMention] = []
    for start, end, key in sorted(taken):
        sent = next((s for s in ann.sentences if s.start <= start < s.end), None)
        if sent is None or sent.artifact:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        sent_start = doc.char_span(sent.start, sent.end, alignment_mode="expand")
        s0 = sent_start.start if sent_start is not None else 0
        found: list[tuple[int, int, str, list[str]]] = []
        pre = _pre_title(doc, span.start, s0)
        if pre is not None:
            found.append((pre[0], end, pre[1], pre[2]))
        appos = _appos_title(doc, list(span))
        if appos is not None and appos[2]:
            found.append((min(start, appos[0]), max(end, appos[1]), appos[2], appos[3]))
        for t_start, t_end, raw, caps in found:
            title = parse_title(raw, capitalised=caps)
            if title is None:
                continue
            out.append(RoleMention(article.id, key, by_key[key], title, t_start, t_end, (sent.start, sent.end)))
    return out
