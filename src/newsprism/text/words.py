"""Named word classes of English news text, each list once, for every module that reads words.

A class is a frozenset of lower-case words (lemmas where the reader compares lemmas), or a tuple
where the order means something (months, weekdays). Modules take what they need from here; where
one truly needs a different set, it derives it from these with a comment beside the difference
saying why. A module that reads only part of a large class names that part with :func:`pick`, so
a word it wants that the class lacks is an error at import, not a second list.

Readers that match written forms rather than lemmas build them from the classes:
:func:`past_tense`, :func:`present_tense` and :func:`alternation` (a regex alternation).

>>> "senator" in TITLE_WORDS
True
>>> sorted(pick(HONORIFICS, "dr mr"))
['dr', 'mr']
>>> [past_tense(v) for v in ("say", "note", "reply", "admit", "warn")]
['said', 'noted', 'replied', 'admitted', 'warned']
>>> [present_tense(v) for v in ("say", "reply", "stress", "write")]
['says', 'replies', 'stresses', 'writes']
>>> alternation(["sep", "sept", "jan"])
'sept|jan|sep'
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "HONORIFICS",
    "INDEFINITE_PRONOUNS",
    "LIGHT_VERBS",
    "MODAL_VERBS",
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "PRONOUN_GENDER",
    "SPEECH_VERBS",
    "STOP_WORDS",
    "SUBJECT_PRONOUNS",
    "TITLE_ABBREVIATIONS",
    "TITLE_WORDS",
    "WEEKDAYS",
    "alternation",
    "past_tense",
    "pick",
    "present_tense",
]

# --- people: titles and honorifics ----------------------------------------------------------

#: Words that make up titles and roles before a name ("County Engineer Dr.", "Council Chair").
#: Read by the speaker and coreference readers to tell a title from a name.
TITLE_WORDS = frozenset(
    """mr mrs ms miss mx dr prof sir dame rev fr sen senator rep representative gov governor lt gen col sgt
    capt cpt maj adm cmdr gen. president vice vp chair chairman chairwoman chairperson mayor councilmember
    councilman councilwoman councillor councilor council member members secretary minister director chief
    commissioner judge justice attorney general sheriff officer spokesman spokeswoman spokesperson
    engineer administrator superintendent board ceo cfo coo founder cofounder co-founder leader speaker
    deputy assistant acting former interim executive elect president-elect candidate nominee coach
    ambassador professor manager treasurer clerk inspector captain lieutenant sergeant colonel admiral
    prime king queen prince princess pope cardinal bishop rabbi imam pastor father sister brother
    analyst reporter host anchor editor economist strategist pollster adviser advisor aide lawyer
    trustee dean principal teacher activist resident owner supervisor head chancellor comptroller
    controller auditor marshal detective trooper agent ranger warden ombudsman registrar surgeon
    physician doctor nurse scientist researcher historian author economist correspondent columnist
    commentator publisher producer organizer director-general congressman congresswoman assemblyman
    assemblywoman assemblymember legislator delegate premier chancellor emir sheikh state-senator
    hon honorable justice-elect mp mep rabbi reverend monsignor supt insp det cpl pvt sec gen master
    harbormaster""".split()
)

#: Courtesy titles of everyday address before a name ("Mr.", "Dr."), without their period: they
#: say how a person is addressed, not what office they hold.
HONORIFICS = frozenset("mr mrs ms miss mx dr".split())

#: Titles written abbreviated with a period before a name ("Sen.", "Lt.", "Msgr."), without the
#: period: such a period (almost) never ends a sentence.
TITLE_ABBREVIATIONS = frozenset(
    """mr mrs ms messrs mmes dr drs sen sens rep reps gov govs lt gen col capt cmdr cmdt sgt cpl pvt adm
    maj prof rev hon pres supt det insp atty amb fr msgr sra mme mlle rt brig assemb del ald""".split()
)

# --- verbs ----------------------------------------------------------------------------------

#: Lemmas of the verbs that introduce speech, direct or reported: the plain ones ("say", "tell"),
#: and those that also say how or to what end ("insist", "joke", "slam"). The quote extractor
#: takes all of them as cues; other readers :func:`pick` the part they were tuned with.
SPEECH_VERBS = frozenset(
    """accuse acknowledge add admit advise agree allege announce answer apologise apologize argue ask
    assert assure blast boast brand call caution challenge charge claim clarify complain concede
    conclude concur condemn confirm contend continue counter criticise criticize cry declare decry
    demand denounce deny describe disagree disclose dismiss dispute dub emphasise emphasize estimate
    exclaim explain express fume grumble hail highlight hint huff imply indicate inform insist joke
    label lament laugh maintain mock muse note object observe plead pledge point post praise predict
    proclaim promise propose protest question quip reassure rebut recall recommend recount refute
    reiterate remark repeat reply report respond retort reveal say scoff shout sigh signal sing slam
    specify state stress suggest tell term testify thank threaten tout tweet underline underscore urge
    voice vow warn welcome whisper wonder write yell""".split()
)

#: Lemmas of the light verbs, which say too little to tie two sentences to one event ("is", "has",
#: "made", "gave"): a reader comparing main verbs looks past them.
LIGHT_VERBS = frozenset("be have do get make take go come give let seem become".split())

#: The modal verbs ("should", "will", "might"), as written.
MODAL_VERBS = frozenset("can could may might must shall should will would ought".split())

# --- pronouns -------------------------------------------------------------------------------

#: Personal pronouns in the subject form.
SUBJECT_PRONOUNS = frozenset("i you he she it we they".split())

#: Pronouns that stand for an unnamed anybody ("someone", "nobody").
INDEFINITE_PRONOUNS = frozenset("everyone anyone someone nobody anybody somebody".split())

#: The gendered pronouns, subject, object and possessive, and the gender each implies ("m"/"f").
PRONOUN_GENDER: dict[str, str] = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}

# --- function words -------------------------------------------------------------------------

#: Words too common in news to be evidence of the same fact or the same wording: articles,
#: pronouns, auxiliaries and modals, prepositions, conjunctions, question words, and the forms of
#: "say". Readers that compare bags of words drop them.
STOP_WORDS = frozenset(
    """a about all also an and any are as at be been being but by can could did do does down each for from
    had has have he her him his how i in into is it it's its just may me might more most my no not of on
    or other our out over said say says she should so some such than that the their them then there
    these they this those to up us was we were what when where which who will with would you your""".split()
)

# --- the calendar ---------------------------------------------------------------------------

#: Month names in calendar order: ``MONTHS.index(m) + 1`` is the month's number.
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip
#: Month abbreviations as news writes them ("Sept." and "Sep."), in calendar order, each the start
#: of its month's name ("may" needs none), the longer form of a month first.
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec")
#: Weekday names, Monday first (``WEEKDAYS.index(d)`` is :meth:`datetime.date.weekday`).
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# --- taking and writing out a class ---------------------------------------------------------


def pick(word_class: frozenset[str], words: str) -> frozenset[str]:
    """The part of ``word_class`` a module reads, named in ``words`` (space-separated).

    Every word must be in the class, so the class stays the one list of its words.

    >>> pick(LIGHT_VERBS, "be have") == {"be", "have"}
    True
    >>> pick(LIGHT_VERBS, "be run")
    Traceback (most recent call last):
    ...
    ValueError: not in the word class: run
    """
    chosen = frozenset(words.split())
    stray = chosen - word_class
    if stray:
        raise ValueError(f"not in the word class: {' '.join(sorted(stray))}")
    return chosen


_IRREGULAR_PAST = {"say": "said", "tell": "told", "write": "wrote", "sing": "sang"}
# verbs that double their final consonant before -ed ("admitted", "rebutted")
_DOUBLED = frozenset("admit concur dub quip rebut slam".split())


def past_tense(lemma: str) -> str:
    """The simple past of a verb lemma ("say" -> "said", "reply" -> "replied"); right for
    :data:`SPEECH_VERBS`, not a general English inflector."""
    if lemma in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and lemma[-2:-1] not in ("a", "e", "i", "o", "u"):
        return lemma[:-1] + "ied"
    if lemma in _DOUBLED:
        return lemma + lemma[-1] + "ed"
    return lemma + "ed"


def present_tense(lemma: str) -> str:
    """The third person singular present of a verb lemma ("say" -> "says", "reply" -> "replies")."""
    if lemma.endswith("y") and lemma[-2:-1] not in ("a", "e", "i", "o", "u"):
        return lemma[:-1] + "ies"
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return lemma + "es"
    return lemma + "s"


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` (not escaped), longest first so that a word is never cut
    short by another that begins it ("sept" before "sep"); ties alphabetical, for a stable pattern."""
    return "|".join(sorted(set(words), key=lambda w: (-len(w), w)))
