"""A text given twice is embedded once (issue 17), and every row is what the text gets alone."""

from __future__ import annotations

import numpy as np
import pytest

from newsprism.errors import ModelUnavailableError
from newsprism.nlp.embeddings import OnnxMiniLM, get_embedder


def test_repeated_texts_get_the_vectors_and_pieces_they_get_alone() -> None:
    try:
        emb = get_embedder("minilm-onnx")
        assert isinstance(emb, OnnxMiniLM)
        emb.embed(["warm"])
    except ModelUnavailableError as e:
        pytest.skip(str(e))
    texts = ["The dam held.", "Crews worked through the night to shore up the cracked spillway.",
             "The dam held.", "Rain fell.", "The dam held."]
    pooled, tokens = emb.embed_with_tokens(texts)
    assert pooled.shape == (5, emb.dim)
    for i, t in enumerate(texts):
        alone, alone_tokens = emb.embed_with_tokens([t])
        assert np.array_equal(pooled[i], alone[0])
        assert tokens[i].pieces == alone_tokens[0].pieces
        assert np.array_equal(tokens[i].vectors, alone_tokens[0].vectors)
    assert np.array_equal(emb.embed(texts), pooled)


def test_copies_of_one_text_share_one_parse_and_annotate_as_if_alone() -> None:
    from newsprism.model import Article
    from newsprism.nlp.annotate import annotate

    text = "The Calder County Council voted 7-2 on Tuesday to spend $4.8 million. Crews began work at once."
    arts = [Article.create(id="a", outlet="A", text=text), Article.create(id="b", outlet="B", text="Rain fell."),
            Article.create(id="c", outlet="C", text=text)]
    calls: list[tuple[str, int, int]] = []
    try:
        anns = annotate(arts, progress=lambda *c: calls.append(c))
        alone = annotate(arts[2:])
    except ModelUnavailableError as e:
        pytest.skip(str(e))
    assert anns[0].doc is anns[2].doc and anns[1].doc is not anns[0].doc
    assert ("parse", 3, 3) in calls  # the bar still ends at every article
    for got, want in ((anns[2], alone[0]), (anns[0], alone[0])):
        assert got.sentences == want.sentences and got.entities == want.entities
        assert got.quantities == want.quantities
        assert np.array_equal(np.asarray(got.embeddings), np.asarray(want.embeddings))
        assert got.doc.to_json() == want.doc.to_json()  # type: ignore[attr-defined]
