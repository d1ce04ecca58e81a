"""Evaluation gate: story clustering on ECB+ subtopics and the UCI headline stream.

Floors sit a little under the numbers ``bench/bench_cluster.py`` measured (BENCHMARKS.md), with the
shipped defaults: streamed, mean over twenty seeded shuffles (ECB+ has no dates), on the held-out
even-numbered ECB+ topics that nothing was tuned on, and on the development topics; UCI in
timestamp order. Slow: run with ``make test-all`` or ``pytest -m slow``; skipped when the data is
absent.
"""

import statistics
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.datasets import data_available  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not data_available("ecbplus"),
                                                  reason="../shared/data/ecbplus not found: gate skipped")]

#: (BCubed F1, ARI) floors, streamed, mean of twenty shuffles (the worst may sit 0.03 under the F1 floor).
ECB_FLOORS = {"held out": (0.87, 0.82), "development": (0.86, 0.81)}
UCI_FLOORS = (0.61, 0.57)  # timestamp order (measured 0.653 / 0.617 with 32-piece leads)


@pytest.fixture(scope="module")
def ecb() -> dict[str, tuple[float, float, float]]:
    from bench import bench_cluster as b
    from newsprism.stream.cluster import DEFAULTS, features

    docs = b.load_ecbplus()
    items = features([d.article for d in docs])
    settings = {"embedding_weight": DEFAULTS["embedding_weight"], "threshold": DEFAULTS["threshold"]}
    out = {}
    for name, dev in (("development", True), ("held out", False)):
        idx = [k for k, d in enumerate(docs) if b.is_dev(d.topic) == dev]
        scores = b.ours_streamed([items[k] for k in idx], [docs[k].gold for k in idx], settings)
        out[name] = (statistics.mean(s.bc.f1 for s in scores), statistics.mean(s.ari for s in scores),
                     min(s.bc.f1 for s in scores))
    return out


@pytest.mark.parametrize("split", ["held out", "development"])
def test_ecbplus_subtopics(ecb: dict[str, tuple[float, float, float]], split: str) -> None:
    f1, ari, worst = ecb[split]
    floor_f1, floor_ari = ECB_FLOORS[split]
    assert f1 >= floor_f1, f"ECB+ {split}: BCubed F1 {f1:.3f} < floor {floor_f1}"
    assert ari >= floor_ari, f"ECB+ {split}: ARI {ari:.3f} < floor {floor_ari}"
    assert worst >= floor_f1 - 0.03, f"ECB+ {split}: worst shuffle's BCubed F1 {worst:.3f}"


@pytest.mark.skipif(not data_available("uci-news-aggregator-sample"), reason="UCI sample not found")
def test_uci_headline_stream() -> None:
    from bench import bench_cluster as b
    from newsprism.stream.cluster import features

    docs = b.load_uci()
    items = features([d.article for d in docs])
    sc = b.Score.of(b.streamed(items, range(len(items)), {}), [d.gold for d in docs])
    assert sc.bc.f1 >= UCI_FLOORS[0], f"UCI: BCubed F1 {sc.bc.f1:.3f} < floor {UCI_FLOORS[0]}"
    assert sc.ari >= UCI_FLOORS[1], f"UCI: ARI {sc.ari:.3f} < floor {UCI_FLOORS[1]}"
