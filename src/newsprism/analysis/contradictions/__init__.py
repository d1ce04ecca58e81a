"""Contradictions: where outlets state incompatible things about one subject.

Reads an annotated :class:`~newsprism.model.Story` and its
:class:`~newsprism.analysis.claims.ClaimAnalysis`; produces :class:`ContradictionRow` objects, each
with a subject and two or more sides, every side traced to the sentences that state it.

* ``amounts``    numbers, amounts, votes and dates as comparable values with what they are about
* ``roles``      people's titles and affiliations, and when two of them clash
* ``predicates`` who did what and whether: predications read from the parse, and their conflicts
* ``detect``     the entry point: number, date, role, polarity and attribution contradictions
"""

from newsprism.analysis.contradictions.detect import (
    AttributionConflict,
    ContradictionDraft,
    ContradictionRow,
    find_contradictions,
)

__all__ = ["AttributionConflict", "ContradictionDraft", "ContradictionRow", "find_contradictions"]
