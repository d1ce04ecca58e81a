"""The cross-article analyses of one annotated Story, one subpackage per capability.

=================  =====================================================================
``claims``         the claim matrix (who states which fact) and provenance (who copied whom)
``quotes``         who said what in every outlet, and how each outlet changed it
``contradictions`` where outlets state incompatible numbers, dates, roles or predicates
``framing``        per article: loaded language, opinion, voices, actor labels, omissions
``brief``          the neutral brief, every sentence citing its claims and articles
``words``          the named word classes the analyses share (speech verbs, titles, ...)
=================  =====================================================================

Each subpackage exports one entry point (``analyze_claims``, ``analyze_quotes``,
``find_contradictions``, ``analyze_framing``, ``build_brief``); :mod:`newsprism.pipeline` runs them
in that order.
"""
