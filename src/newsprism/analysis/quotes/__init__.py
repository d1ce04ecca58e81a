"""Quotes: who said what, in every outlet, and how each outlet changed it.

Reads an annotated :class:`~newsprism.model.Story` (the spaCy parse of each article); produces a
:class:`QuoteAnalysis`: direct and indirect quotes with their speakers, grouped across articles,
each occurrence classified (verbatim, trimmed, extended, altered, paraphrase, misattributed).

* ``extract``  one article's direct and indirect quotes, with speaker and cue, as offsets
* ``speakers`` names, titles as written and one canonical name per person across the story
* ``coref``    who "he" and "she" are: pronouns and role nouns resolved to named people
* ``compare``  quotes matched across articles and every outlet's changes classified
"""

from newsprism.analysis.quotes.compare import QuoteAnalysis, QuoteGroup, analyze_quotes, quote_mentions

__all__ = ["QuoteAnalysis", "QuoteGroup", "analyze_quotes", "quote_mentions"]
