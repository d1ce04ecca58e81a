"""The story clusterer: same kind of event, different event -> two stories; retirement; bounded
memory; state round trip; determinism; bad input. The articles are fictional, written for these tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsprism.model import Article
from newsprism.stream.cluster import ClusterItem, StoryClusterer, cluster, extract_entities, features

DAY = datetime(2026, 2, 3, 8, 0, tzinfo=UTC)

# Two earthquakes in the same week, told in the same words: only names and numbers differ.
VARNHOLT = [
    ("Magnitude 6.4 earthquake strikes Varnholt",
     "A magnitude 6.4 earthquake struck the town of Varnholt in northern Estrava early on Tuesday, killing at "
     "least 31 people and flattening houses near Lake Ossen, the Estravan civil protection agency said."),
    ("Death toll in Varnholt quake rises to 31",
     "Rescuers in Varnholt pulled survivors from collapsed houses after the 6.4 quake, which Estrava's civil "
     "protection agency said killed 31 people around Lake Ossen."),
    ("Estrava mourns after Varnholt earthquake",
     "Estrava's prime minister Ilse Marrow visited Varnholt on Wednesday, a day after the magnitude 6.4 "
     "earthquake near Lake Ossen killed 31 people and left 400 homeless."),
]
CALEDRA = [
    ("Magnitude 5.9 earthquake strikes Port Caledra",
     "A magnitude 5.9 earthquake struck the town of Port Caledra in southern Miradel early on Thursday, killing "
     "at least 12 people and flattening houses near Cape Somme, the Miradel civil protection agency said."),
    ("Death toll in Port Caledra quake rises to 12",
     "Rescuers in Port Caledra pulled survivors from collapsed houses after the 5.9 quake, which Miradel's civil "
     "protection agency said killed 12 people around Cape Somme."),
    ("Miradel mourns after Port Caledra earthquake",
     "Miradel's prime minister Tomas Ferreol visited Port Caledra on Friday, a day after the magnitude 5.9 "
     "earthquake near Cape Somme killed 12 people and left 150 homeless."),
]


def _articles() -> tuple[list[Article], list[str]]:
    """The six articles interleaved as a stream would bring them, with their true event."""
    arts, truth = [], []
    for k in range(3):
        for name, event, day in (("varnholt", VARNHOLT, 0), ("caledra", CALEDRA, 2)):
            title, text = event[k]
            arts.append(Article.create(id=f"{name}-{k}", outlet=f"Outlet {k}", title=title, text=text,
                                       published=DAY + timedelta(days=day, hours=k)))
            truth.append(name)
    return arts, truth


@pytest.fixture(scope="module")
def quake_items() -> tuple[list[ClusterItem], list[str]]:
    arts, truth = _articles()
    return features(arts), truth


def _partition(labels: list[str]) -> set[frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for k, label in enumerate(labels):
        groups.setdefault(label, set()).add(k)
    return {frozenset(g) for g in groups.values()}


def _unit(*values: float) -> np.ndarray:
    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_two_earthquakes_of_one_week_are_two_stories(quake_items: tuple[list[ClusterItem], list[str]]) -> None:
    items, truth = quake_items
    labels = cluster(items)
    assert _partition(labels) == _partition(truth)


def test_the_entities_are_what_separates_them(quake_items: tuple[list[ClusterItem], list[str]]) -> None:
    items, _ = quake_items
    assert {"varnholt", "estrava", "6.4", "31", "ossen"} <= items[0].entities
    assert not items[0].entities & {"caledra", "miradel", "5.9", "12", "somme"}
    # two articles that read alike (cosine 0.9) are one story when they name the same place and
    # toll, two when they name different ones
    close = _unit(1, 0.484)  # cos(close, (1, 0)) = 0.9
    for names, same in (({"varnholt", "31"}, True), ({"caledra", "12"}, False)):
        sc = StoryClusterer()
        first = sc.assign(ClusterItem("a", _unit(1, 0), frozenset({"varnholt", "31"})))
        assert (sc.assign(ClusterItem("b", close, frozenset(names))) == first) is same


def test_same_story_different_wording_joins() -> None:
    arts = [
        Article.create(id="a", outlet="x", title="Varnholt quake kills 31",
                       text="An earthquake in Varnholt killed 31."),
        Article.create(id="b", outlet="y", title="31 dead as earthquake hits Varnholt",
                       text="Thirty-one people died when a 6.4 quake struck Varnholt in Estrava."),
    ]
    a, b = cluster(features(arts))
    assert a == b


def test_retire_by_window_starts_a_new_story() -> None:
    sc = StoryClusterer(threshold=0.5, window=timedelta(days=2))
    first = sc.assign(ClusterItem("a", _unit(1, 0), frozenset({"varnholt"}), DAY))
    same_week = sc.assign(ClusterItem("b", _unit(1, 0), frozenset({"varnholt"}), DAY + timedelta(days=1)))
    assert same_week == first
    # three days after the story's last article it has retired: the same words start a new story
    later = sc.assign(ClusterItem("c", _unit(1, 0), frozenset({"varnholt"}), DAY + timedelta(days=4)))
    assert later != first
    assert sc.live == [later]


def test_retire_explicitly_and_undated_stories_stay() -> None:
    sc = StoryClusterer(threshold=0.9, window=timedelta(days=1))
    old = sc.assign(ClusterItem("a", _unit(1, 0, 0), frozenset(), DAY))
    undated = sc.assign(ClusterItem("b", _unit(0, 1, 0), frozenset()))
    new = sc.assign(ClusterItem("c", _unit(0, 0, 1), frozenset(), DAY + timedelta(hours=12)))
    assert sc.retire() == []  # the newest item is 12 h after the oldest: nothing is out of the window
    assert sc.retire(DAY + timedelta(hours=1)) == [old]
    assert sc.retire(DAY + timedelta(days=30)) == [new]
    assert sc.live == [undated]


def test_max_stories_bounds_memory_oldest_first() -> None:
    sc = StoryClusterer(threshold=0.99, window=None, max_stories=3)
    eye = np.eye(8, dtype=np.float32)
    ids = [sc.assign(ClusterItem(f"a{k}", eye[k], frozenset({f"name{k}"}))) for k in range(8)]
    assert len(set(ids)) == 8
    assert sc.live == ids[-3:]
    # a retired story is never joined again: the first item's twin starts a ninth story
    assert sc.assign(ClusterItem("again", eye[0], frozenset({"name0"}))) not in ids
    state = sc.state_dict()
    assert len(state["stories"]) == 3


def test_story_entities_are_capped() -> None:
    sc = StoryClusterer(threshold=0.0, entity_terms=5)
    for k in range(4):
        sc.assign(ClusterItem(f"a{k}", _unit(1, 0), frozenset({f"n{k}a", f"n{k}b", f"n{k}c"})))
    [story] = sc.state_dict()["stories"]
    assert len(story["entities"]) == 5


def test_state_round_trip_continues_exactly(quake_items: tuple[list[ClusterItem], list[str]]) -> None:
    items, _ = quake_items
    whole = StoryClusterer()
    expected = [whole.assign(it) for it in items]
    part = StoryClusterer()
    got = [part.assign(it) for it in items[:3]]
    state = json.loads(json.dumps(part.state_dict()))  # what the store saves: plain JSON
    restored = StoryClusterer.from_state(state)
    got += [restored.assign(it) for it in items[3:]]
    assert got == expected
    assert restored.state_dict() == whole.state_dict()


def test_deterministic(quake_items: tuple[list[ClusterItem], list[str]]) -> None:
    items, _ = quake_items
    runs = [cluster(items) for _ in range(2)]
    assert runs[0] == runs[1]
    again = features(_articles()[0])
    assert all(np.array_equal(a.vector, b.vector) and a.entities == b.entities for a, b in zip(items, again,
                                                                                            strict=True))


def test_naive_and_aware_times_mix() -> None:
    sc = StoryClusterer(threshold=0.5, window=timedelta(days=1))
    a = sc.assign(ClusterItem("a", _unit(1, 0), frozenset({"x"}), datetime(2026, 2, 3, 8)))
    b = sc.assign(ClusterItem("b", _unit(1, 0), frozenset({"x"}), datetime(2026, 2, 3, 9, tzinfo=UTC)))
    assert a == b


def test_entities() -> None:
    ents = extract_entities("On Monday the Varnholt council said 1,204 homes in Estrava's north were hit in March.")
    assert ents == {"varnholt", "1204", "estrava"}


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match=r"'a1'.*length 2\.0000.*fix"):
        ClusterItem("a1", np.array([2.0, 0.0]), frozenset())
    with pytest.raises(ValueError, match=r"'a2'.*1-D"):
        ClusterItem("a2", np.zeros((2, 2)), frozenset())
    with pytest.raises(ValueError, match=r"'a3'.*finite"):
        ClusterItem("a3", np.array([np.nan, 1.0]), frozenset())
    sc = StoryClusterer()
    sc.assign(ClusterItem("b1", _unit(1, 0), frozenset()))
    with pytest.raises(ValueError, match=r"'b2'.*3 dimensions.*2.*one embedder"):
        sc.assign(ClusterItem("b2", _unit(1, 0, 0), frozenset()))
    with pytest.raises(ValueError, match="version"):
        StoryClusterer.from_state({"version": 99})
    with pytest.raises(ValueError, match="embedding_weight"):
        StoryClusterer(embedding_weight=1.5)
    with pytest.raises(ValueError, match="window"):
        StoryClusterer(window=timedelta(0))


def test_leads_use_the_int8_minilm() -> None:
    from newsprism.nlp.embeddings import OnnxMiniLMInt8, get_embedder
    from newsprism.stream.cluster import EMBEDDER, lead_embedder

    assert EMBEDDER == "minilm-onnx-int8" and lead_embedder() is get_embedder(EMBEDDER)
    own = lead_embedder(threads=1)
    assert isinstance(own, OnnxMiniLMInt8) and own is not lead_embedder() and own.threads == 1
    [item] = features([Article.create(id="a", outlet="x", title="Quake hits Varnholt", text="Houses fell.")])
    assert np.allclose(item.vector, lead_embedder().embed(["Quake hits Varnholt. Houses fell."])[0])


def test_empty_input() -> None:
    assert features([]) == []
    assert cluster([]) == []


def test_lead_is_cut_by_word_pieces() -> None:
    from newsprism.nlp.embeddings import _onnx_tokenizer
    from newsprism.stream.cluster import _cut_pieces, lead_embedder

    opening = ("A magnitude 6.4 earthquake struck the town of Varnholt in northern Estrava early on Tuesday, killing "
               "at least 31 people and flattening houses near Lake Ossen, the civil protection agency said. ")
    one = Article.create(id="a", outlet="x", title="Quake hits Varnholt", text=opening + "Schools stay shut.")
    two = Article.create(id="b", outlet="y", title="Quake hits Varnholt", text=opening + "The ferry sails on.")
    [cut] = _cut_pieces(["Quake hits Varnholt. " + opening], 12)
    assert len(_onnx_tokenizer().encode(cut, add_special_tokens=False).ids) == 12
    assert ("Quake hits Varnholt. " + opening).startswith(cut)
    a, b = features([one, two], lead_pieces=12)
    assert np.array_equal(a.vector, b.vector)  # what differs lies past the 12th piece
    assert np.allclose(a.vector, lead_embedder().embed([cut])[0])
    assert a.entities != b.entities  # entities still read the whole text
    a, b = features([one, two], lead_pieces=None, lead_chars=4000)
    assert not np.array_equal(a.vector, b.vector)
    with pytest.raises(ValueError, match=r"lead_pieces=0.*fix"):
        features([one], lead_pieces=0)


def test_common_entities_do_not_nominate_but_still_score() -> None:
    # With every live story scored in full (candidates >= stories), skipping common entities'
    # posting lists must change nothing: they still count in the score.
    rng = np.random.default_rng(3)
    items = []
    for k in range(120):
        vec = rng.normal(size=8).astype(np.float32)
        ents = {"common", "everywhere", f"place{k % 9}", f"person{k % 13}"}
        items.append(ClusterItem(f"a{k}", vec / np.linalg.norm(vec), frozenset(ents)))
    exact = cluster(items, threshold=0.45, candidates=500, nominate_limit=None)
    limited = cluster(items, threshold=0.45, candidates=500, nominate_limit=2)
    assert exact == limited
    assert 5 < len(set(exact)) < 120  # the entities did join some items and not others
    # a rare shared entity still nominates its story when the embedding alone would not find it
    sc = StoryClusterer(threshold=0.3, embedding_weight=0.3, candidates=1, nominate_limit=2)
    eye = np.eye(6, dtype=np.float32)
    ids = [sc.assign(ClusterItem(f"s{k}", eye[k], frozenset({"common", f"rare{k}"}))) for k in range(5)]
    near_s0 = _unit(1, 0, 0, 0, 0.3, 0.2)  # nearest to story 0 by embedding
    assert sc.assign(ClusterItem("x", near_s0, frozenset({"common", "rare4"}))) == ids[4]


def test_state_without_nominate_limit_reads_with_the_default() -> None:
    from newsprism.stream.cluster import NOMINATE_LIMIT

    sc = StoryClusterer(nominate_limit=5)
    sc.assign(ClusterItem("a", _unit(1, 0), frozenset({"varnholt"})))
    state = sc.state_dict()
    assert StoryClusterer.from_state(state).nominate_limit == 5
    del state["params"]["nominate_limit"]  # a state saved before the limit existed
    restored = StoryClusterer.from_state(state)
    assert restored.nominate_limit == NOMINATE_LIMIT and restored.live == sc.live
    with pytest.raises(ValueError, match=r"nominate_limit=0.*fix"):
        StoryClusterer(nominate_limit=0)


def test_the_postings_mirror_every_live_storys_entity_weights() -> None:
    # scoring reads an entity's weight in a story from its posting, not from the story: joins, caps,
    # evictions and a restored state must all keep the two equal
    rng = np.random.default_rng(3)
    names = [f"n{k}" for k in range(30)]
    sc = StoryClusterer(threshold=0.6, window=None, max_stories=8, entity_terms=6)
    for k in range(300):
        v = rng.normal(size=16).astype(np.float32)
        sc.assign(ClusterItem(f"a{k}", v / np.linalg.norm(v), frozenset(rng.choice(names, size=4, replace=False))))
        if k % 50 == 49:
            sc = StoryClusterer.from_state(json.loads(json.dumps(sc.state_dict())))
        want: dict[str, dict[str, float]] = {}
        for sid, story in sc._live.items():
            for e, w in story.entities.items():
                want.setdefault(e, {})[sid] = w
        assert sc._postings == want
