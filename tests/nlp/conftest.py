"""Real models, loaded once per test session (they are installed with the package)."""

from __future__ import annotations

from typing import Any

import pytest

from newsprism.nlp.embeddings import Embedder, get_embedder
from newsprism.nlp.spacy_pipeline import load


@pytest.fixture(scope="session")
def nlp() -> Any:
    return load()


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder("minilm-onnx")
