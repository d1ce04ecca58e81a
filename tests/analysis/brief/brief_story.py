"""A small fictional story for the brief tests: four outlets on a pier closure in the invented town of
Quillmouth. Written for these tests; no real outlet, person or place."""

from __future__ import annotations

from datetime import UTC, datetime

from newsprism.model import Article, Story
from newsprism.nlp.annotate import annotate
from newsprism.pipeline import make_story

WIRE = (
    "QUILLMOUTH (CW) — The Quillmouth Harbor Authority voted 5-1 on Monday to close the Ferrin Street pier "
    "for six weeks of repairs after divers found corroded pilings beneath it.\n\n"
    "About 40 fishing boats that dock at the pier will move to the north basin during the work, harbor "
    "director Tomas Velder said.\n\n"
    "The repairs will cost $2.3 million and will be paid from the port's maintenance fund.\n\n"
    "Velder said the pier would stay open to foot traffic until the closure begins on Friday.\n\n"
    "The pier was built in 1952 and was last rebuilt in 1988."
)
LEDGER = (
    "Harbor bosses rammed through a reckless plan on Monday that will shut the Ferrin Street pier for a "
    "month and a half.\n\n"
    "Some 40 fishing crews will be shoved into the cramped north basin until the job is done.\n\n"
    "The job carries a staggering price tag of $3.2 million.\n\n"
    "Local fishermen say the authority ignored warnings about rotting pilings for years."
)
DAILY = (
    "The Quillmouth Harbor Authority on Monday approved closing the Ferrin Street pier for six weeks so "
    "crews can replace corroded pilings.\n\n"
    "Harbor director Tomas Velder said about 40 boats will use the north basin during the repairs.\n\n"
    "The work is expected to cost $2.3 million, paid from the port's maintenance fund.\n\n"
    "A dive team inspected the pilings last week, according to the authority's engineering report.\n\n"
    "Bait shop owner Rena Ostrow said she expects to lose a third of her summer sales while the pier is shut."
)
# the Daily's story run word for word by a sister paper: the same source, not an independent one
GAZETTE = DAILY


def _when(hour: int) -> datetime:
    return datetime(2031, 5, 6, hour, 0, tzinfo=UTC)


def articles() -> list[Article]:
    return [
        Article.create(id="wire", outlet="Coastline Wire", text=WIRE, title="Quillmouth to close pier for repairs",
                       published=_when(9)),
        Article.create(id="ledger", outlet="Harbor Ledger", text=LEDGER, title="Pier shutdown rammed through",
                       published=_when(11)),
        Article.create(id="daily", outlet="Quillmouth Daily", text=DAILY, title="Ferrin Street pier to close",
                       published=_when(12)),
        Article.create(id="gazette", outlet="Bay Gazette", text=GAZETTE, title="Ferrin Street pier to close",
                       published=_when(14)),
    ]


def story() -> Story:
    """The annotated story (sentences, entities, quantities, embeddings)."""
    s = make_story(articles())
    return Story(id=s.id, articles=s.articles, title=s.title, annotations=annotate(s.articles))
