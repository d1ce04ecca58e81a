"""The neutral brief: a short multi-source summary in which every sentence cites its sources.

Reads an annotated :class:`~newsprism.model.Story`, its claim analysis, framing and
contradictions; produces a :class:`Brief`: sentences (extractive by default, or written by a
language model and checked), each citing the claims and articles it rests on.

* ``wording`` which of a claim's sentences reads best on its own, and light cleaning
* ``select``  the entry point: ranking, redundancy removal, citations
* ``llm``     the checked abstractive mode over an OpenAI-compatible endpoint
"""

from newsprism.analysis.brief.select import DEFAULT_LENGTH, Brief, build_brief, prepare_brief

__all__ = ["DEFAULT_LENGTH", "Brief", "build_brief", "prepare_brief"]
