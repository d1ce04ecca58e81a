"""Per-article annotation: spaCy parse, entities, quantities and sentence embeddings.

Importing this package loads no model; the spaCy pipeline and the ONNX session load on first use.
"""

from newsprism.nlp.annotate import STAGES, Progress, annotate, sentences_of
from newsprism.nlp.embeddings import EMBEDDERS, Embedder, OnnxMiniLM, TorchMiniLM, get_embedder
from newsprism.nlp.quantities import extract_quantities
from newsprism.nlp.spacy_pipeline import parse

__all__ = [
    "EMBEDDERS",
    "STAGES",
    "Embedder",
    "OnnxMiniLM",
    "Progress",
    "TorchMiniLM",
    "annotate",
    "extract_quantities",
    "get_embedder",
    "parse",
    "sentences_of",
]
