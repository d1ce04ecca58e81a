"""Framing: how each article tells the story, every finding a span with its reason.

Reads an annotated :class:`~newsprism.model.Story`, its claim analysis and the quotes' speakers;
produces a :class:`FramingAnalysis`: per article the loaded language, unattributed opinion, whose
voices are heard, what it omits and a subjectivity score, and per story how outlets name the
same actors.

* ``lexicon`` the curated framing word lists and two sentiment lexicons (``lexicons/``)
* ``loaded``  loaded language in the outlet's own words
* ``opinion`` sentences in the outlet's own voice that judge with no source named
* ``voices``  quoted speakers grouped by role, and each group's share of the quoted words
* ``labels``  how each outlet names the same actor (the word-choice table)
* ``profile`` the entry point: all of the above per article, and the subjectivity score
"""

from newsprism.analysis.framing.profile import FramingAnalysis, analyze_framing, analyze_framing_full
from newsprism.analysis.framing.voices import voices_from_quotes

__all__ = ["FramingAnalysis", "analyze_framing", "analyze_framing_full", "voices_from_quotes"]
