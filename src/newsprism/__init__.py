"""newsprism: read every outlet's article on one story and compare them claim by claim.

>>> import newsprism
>>> a = newsprism.Article.create(id="a", outlet="Example", text="The dam held.")
>>> a.span(4, 7).text
'dam'

Heavy parts (spaCy, the embedding model) load on first use, not on import.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from newsprism.errors import InputError, ModelUnavailableError, NewsprismError, NothingUsableError

__version__ = "0.1.0"

# name -> module, imported on first attribute access: `import newsprism` (which the command line
# does first) loads neither numpy nor pydantic, so `newsprism analyze` prints at once
_LAZY = {
    "Annotation": "newsprism.model",
    "Article": "newsprism.model",
    "Artifact": "newsprism.model",
    "Entity": "newsprism.model",
    "Quantity": "newsprism.model",
    "Sentence": "newsprism.model",
    "Span": "newsprism.model",
    "Story": "newsprism.model",
    "SCHEMA_VERSION": "newsprism.report.schema",
    "Report": "newsprism.report.schema",
    "analyze": "newsprism.pipeline",
    "analyze_story": "newsprism.pipeline",
    "make_story": "newsprism.pipeline",
    "AnalysisRun": "newsprism.pipeline",
    "load": "newsprism.ingest",
    "load_many": "newsprism.ingest",
    "IngestResult": "newsprism.ingest",
    "annotate": "newsprism.nlp.annotate",
    "analyze_claims": "newsprism.analysis.claims",
    "find_contradictions": "newsprism.analysis.contradictions",
    "analyze_framing": "newsprism.analysis.framing",
    "Embedder": "newsprism.nlp.embeddings",
    "get_embedder": "newsprism.nlp.embeddings",
    "build_report": "newsprism.report.build",
    "render_markdown": "newsprism.report.markdown",
    "render_html": "newsprism.report.html",
    "FeedWatcher": "newsprism.stream.watch",
    "ArticleStore": "newsprism.stream.store",
    "Deduplicator": "newsprism.stream.dedup",
    "ingest_articles": "newsprism.stream.ingest",
    "analyze_stored_story": "newsprism.stream.stories",
    "StoryClusterer": "newsprism.stream.cluster",
    "run_batch": "newsprism.scale.batch",
}

__all__ = [
    "SCHEMA_VERSION",
    "AnalysisRun",
    "Annotation",
    "Article",
    "ArticleStore",
    "Artifact",
    "Deduplicator",
    "Embedder",
    "Entity",
    "FeedWatcher",
    "IngestResult",
    "InputError",
    "ModelUnavailableError",
    "NewsprismError",
    "NothingUsableError",
    "Quantity",
    "Report",
    "Sentence",
    "Span",
    "Story",
    "StoryClusterer",
    "__version__",
    "analyze",
    "analyze_claims",
    "analyze_framing",
    "analyze_stored_story",
    "analyze_story",
    "annotate",
    "build_report",
    "find_contradictions",
    "get_embedder",
    "ingest_articles",
    "load",
    "load_many",
    "make_story",
    "render_html",
    "render_markdown",
    "run_batch",
]

if TYPE_CHECKING:
    from newsprism.analysis.claims import analyze_claims
    from newsprism.analysis.contradictions import find_contradictions
    from newsprism.analysis.framing import analyze_framing
    from newsprism.ingest import IngestResult, load, load_many
    from newsprism.model import Annotation, Article, Artifact, Entity, Quantity, Sentence, Span, Story
    from newsprism.nlp.annotate import annotate
    from newsprism.nlp.embeddings import Embedder, get_embedder
    from newsprism.pipeline import AnalysisRun, analyze, analyze_story, make_story
    from newsprism.report.build import build_report
    from newsprism.report.html import render_html
    from newsprism.report.markdown import render_markdown
    from newsprism.report.schema import SCHEMA_VERSION, Report
    from newsprism.scale.batch import run_batch
    from newsprism.stream.cluster import StoryClusterer
    from newsprism.stream.dedup import Deduplicator
    from newsprism.stream.ingest import ingest_articles
    from newsprism.stream.store import ArticleStore
    from newsprism.stream.stories import analyze_stored_story
    from newsprism.stream.watch import FeedWatcher


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newsprism' has no attribute {name!r}")
