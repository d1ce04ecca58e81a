"""Progress stages in words, shared by the command line and the web app.

The pipeline reports ``progress(stage, done, total)`` with short stage names (``parse``,
``embed``, ...); people read the labels here. This module imports nothing beyond the standard
library, so the command line can print its first line before any model or heavy library loads.

>>> stage_label("embed")
'embedding the sentences'
>>> stage_label("", "done")  # a finished story is not "waiting"
'finished'
>>> stage_label("new_stage")  # an unknown stage is shown as it is, readably
'new stage'
"""

from __future__ import annotations

__all__ = ["STAGE_LABELS", "stage_label"]

#: stage -> what it does, in words. The pipeline's own stages (``annotate``'s ``models``,
#: ``sentences``, ``parse``, ``quantities``, ``embed``, then ``analyses``), the web app's
#: ``ingest`` and ``starting``, and a story's state once no stage runs (``queued``, ``done``, ``failed``).
STAGE_LABELS: dict[str, str] = {
    "": "waiting",
    "queued": "waiting in the queue",
    "starting": "starting",
    "ingest": "reading the inputs",
    "models": "loading the language models",
    "sentences": "splitting sentences",
    "parse": "parsing",
    "quantities": "reading numbers and dates",
    "embed": "embedding the sentences",
    "claims": "aligning claims and sources",
    "analyses": "comparing the articles",
    "done": "finished",
    "failed": "stopped",
}


def stage_label(stage: str, status: str = "running") -> str:
    """``stage`` in words; with no stage running, the story's ``status`` in words (queued,
    done, failed), so a finished story never reads "waiting".

    >>> stage_label("parse"), stage_label("", "queued"), stage_label("", "failed")
    ('parsing', 'waiting in the queue', 'stopped')
    """
    if not stage and status != "running":
        return STAGE_LABELS.get(status, status)
    return STAGE_LABELS.get(stage, stage.replace("_", " "))
