"""Sentence alignment: scoring, grouping, multi-fact sentences."""

import numpy as np
import pytest

from newsprism.analysis.claims.align import (
    PairScore,
    attach_multi_fact_sentences,
    group_claims,
    idf_weights,
    lexical_similarity,
    probability,
    same_claim_pairs,
)
from newsprism.analysis.claims.units import Unit, entity_key


def _unit(i: int, article: int, terms: set[str]) -> Unit:
    return Unit(i, f"a{article}", article, i, 10, 0, 1, "x", frozenset(terms), frozenset(), frozenset())


def test_probability_rises_with_each_kind_of_evidence() -> None:
    base = probability(0.5, 0.2, 0.0, 0.0)
    assert probability(0.8, 0.2, 0.0, 0.0) > base
    assert probability(0.5, 0.5, 0.0, 0.0) > base
    assert probability(0.5, 0.2, 0.0, 1.0) > base


def test_rare_shared_words_count_more_than_common_ones() -> None:
    units = [_unit(0, 0, {"council", "spillway"}), _unit(1, 1, {"council", "vote"}),
             _unit(2, 2, {"council", "spillway"}), _unit(3, 3, {"council", "budget"})]
    idf = idf_weights(units)
    assert idf["spillway"] > idf["council"]
    rare = lexical_similarity(frozenset({"spillway", "x"}), frozenset({"spillway", "y"}), idf)
    common = lexical_similarity(frozenset({"council", "x"}), frozenset({"council", "y"}), idf)
    assert rare > common


def test_average_linkage_does_not_chain_loose_matches() -> None:
    pairs = [PairScore(0, 1, 0, 0, 0, 0, 0.9), PairScore(1, 2, 0, 0, 0, 0, 0.6)]
    groups = group_claims(3, pairs, 0.5, article_of=[0, 1, 2])
    assert groups == [[0, 1], [2]]  # 0-2 unscored: mean link of 2 to {0,1} is 0.3
    assert group_claims(3, pairs, 0.5, linkage="single") == [[0, 1, 2]]


def test_pairs_within_one_article_do_not_block_a_merge() -> None:
    # units 0 and 1 are two sentences of article 0; unit 2 matches both well
    pairs = [PairScore(0, 2, 0, 0, 0, 0, 0.9), PairScore(1, 2, 0, 0, 0, 0, 0.8)]
    assert group_claims(3, pairs, 0.5, article_of=[0, 0, 1]) == [[0, 1, 2]]


def test_a_two_fact_sentence_joins_both_claims() -> None:
    # unit 0 (article 0) states facts A and B; unit 1 states A, unit 2 states B
    pairs = [PairScore(0, 1, 0, 0, 0, 0, 0.9), PairScore(0, 2, 0, 0, 0, 0, 0.7)]
    primary = [[0, 1], [2]]
    groups = attach_multi_fact_sentences(primary, pairs, article_of=[0, 1, 2], threshold=0.5)
    assert groups == [[0, 1], [0, 2]]
    assert same_claim_pairs(groups) == {(0, 1), (0, 2)}


def test_entity_keys_match_surname_mentions() -> None:
    assert entity_key("Dr. Miriam Achterberg", "PERSON") == entity_key("Achterberg", "PERSON")
    assert entity_key("The Calder County Council", "ORG") == "calder county council"


def test_soft_match_ranks_a_paraphrase_above_sentences_on_the_same_topic() -> None:
    from newsprism.analysis.claims.align import piece_profiles, soft_match
    from newsprism.analysis.claims.units import story_units
    from newsprism.model import Article, Story
    from newsprism.nlp.annotate import annotate

    texts = ["The council barred city resources from aiding ICE.",
             "The measure prohibits the use of city facilities for immigration enforcement.",
             "The ordinance passed 13-0.", "Critics say the ordinance is symbolic."]
    arts = tuple(Article.create(id=f"a{k}", outlet=f"O{k}", text=t) for k, t in enumerate(texts))
    units, _ = story_units(Story(id="s", articles=arts, annotations=annotate(arts)))
    prof = piece_profiles(units)
    paraphrase = soft_match(prof[0], prof[1])
    assert paraphrase == soft_match(prof[1], prof[0])
    assert all(paraphrase > soft_match(prof[a], prof[b]) for a in (0, 1) for b in (2, 3))
    assert soft_match(prof[2], prof[2]) == pytest.approx(1.0, abs=1e-3)


def test_without_word_pieces_the_model_fitted_without_them_is_used() -> None:
    from newsprism.analysis.claims.align import WEIGHTS, WEIGHTS_WITHOUT_PIECES, weights_for

    units = [_unit(0, 0, {"dam"}), _unit(1, 1, {"dam"})]
    assert weights_for(units) == WEIGHTS_WITHOUT_PIECES and WEIGHTS_WITHOUT_PIECES[5] == 0.0
    assert weights_for([]) == WEIGHTS


def test_function_words_and_punctuation_are_not_content_pieces() -> None:
    from newsprism.analysis.claims.align import _content_piece

    assert [p for p in ["the", "council", ",", "##moor", "said", "7", "s", "’"] if _content_piece(p)] == \
        ["council", "##moor", "7"]


def test_each_embedder_is_scored_with_the_weights_fitted_for_it() -> None:
    from dataclasses import replace

    from newsprism.analysis.claims.align import CALIBRATIONS, WITHOUT_PIECES, calibration_for
    from newsprism.nlp.embeddings import TokenVectors

    tv = TokenVectors(("dam",), np.ones((1, 4), dtype=np.float16))
    units = [replace(_unit(k, k, {"dam"}), token_vectors=tv) for k in range(2)]
    mpnet = [replace(u, embedder="mpnet-torch") for u in units]
    assert calibration_for(mpnet) == CALIBRATIONS["mpnet-torch"] != CALIBRATIONS["minilm-onnx"]
    assert calibration_for([replace(u, embedder="minilm-onnx") for u in units]) == CALIBRATIONS["minilm-onnx"]
    assert calibration_for([replace(u, embedder="someone-elses") for u in units]) == CALIBRATIONS["minilm-onnx"]
    assert calibration_for([mpnet[0], _unit(1, 1, {"dam"})]) == WITHOUT_PIECES  # one unit without pieces
