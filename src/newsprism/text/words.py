"""Named word classes of English news text, each list once, for every module that reads words.

A class is a frozenset of lower-case words (lemmas where the reader compares lemmas). Modules take
what they need from here; where one truly needs a different set, it derives it from these with a
comment beside the difference saying why.

>>> "senator" in TITLE_WORDS
True
"""

from __future__ import annotations

#: Words that make up titles and roles before a name ("County Engineer Dr.", "Council Chair").
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
