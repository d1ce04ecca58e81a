"""bench/metrics.py: the P/R/F1, best-threshold and paired-difference helpers every benchmark uses.

bench/ is not a package on the test path (pytest collects doctests under src/ only), so the module is
loaded from its file, and its docstring examples are run here.
"""

import doctest
import importlib.util
import sys
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "bench" / "metrics.py"
_spec = importlib.util.spec_from_file_location("bench_metrics_under_test", PATH)
assert _spec is not None and _spec.loader is not None
metrics = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = metrics  # dataclasses resolve the module by name
_spec.loader.exec_module(metrics)


def test_docstring_examples() -> None:
    result = doctest.testmod(metrics, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10 and result.failed == 0, result


def test_zero_denominators_give_zero() -> None:
    m = metrics.prf(0, 0, 0)
    assert (m.precision, m.recall, m.f1) == (0.0, 0.0, 0.0)
    assert metrics.prf(0, 3, 0).recall == 0.0
    assert metrics.prf_labels([], []).f1 == 0.0


def test_f1_is_the_harmonic_mean_of_the_two_ratios() -> None:
    for tp, predicted, gold in [(1, 3, 7), (5, 9, 6), (7, 7, 7), (2, 11, 3)]:
        m = metrics.prf(tp, predicted, gold)
        p, r = tp / predicted, tp / gold
        assert m.f1 == 2 * p * r / (p + r)  # bit for bit what the benchmarks printed before
        assert m.f1 == pytest.approx(2 * tp / (predicted + gold))


def test_labels_and_sets_agree_with_counts() -> None:
    pred = [True, False, True, True, False]
    gold = [True, True, False, True, False]
    by_labels = metrics.prf_labels(pred, gold)
    by_sets = metrics.prf_sets({k for k, p in enumerate(pred) if p}, {k for k, g in enumerate(gold) if g})
    assert by_labels == by_sets == metrics.prf(2, 3, 3)
    with pytest.raises(ValueError):
        metrics.prf_labels([True], [True, False])


def test_many_to_many_matching_counts_each_side() -> None:
    m = metrics.prf(4, 5, 10, gold_found=2)
    assert (m.precision, m.recall, m.tp, m.gold_found, m.fp) == (0.8, 0.2, 4, 2, 1)


def test_best_threshold_takes_the_lowest_score_of_a_tie() -> None:
    # t = 0.9 (P 1, R 1/2) and t = 0.4 (P 1/2, R 1) both give F1 2/3; the lower wins
    t, m = metrics.best_threshold([0.9, 0.8, 0.6, 0.4, 0.2], [True, False, False, True, False])
    assert t == 0.4 and (m.precision, m.recall) == (0.5, 1.0)
    t, m = metrics.best_threshold([0.7, 0.7, 0.1], [True, True, False])
    assert (t, m.f1) == (0.7, 1.0)


def test_paired_difference() -> None:
    assert metrics.paired_difference([], []) == (0.0, 0.0)
    mean, se = metrics.paired_difference([1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0])
    assert mean == 2.5 and se == pytest.approx((5 / 3) ** 0.5 / 2)
    with pytest.raises(ValueError):
        metrics.paired_difference([1.0], [1.0, 2.0])


def test_bcubed_and_adjusted_rand_by_hand() -> None:
    # clusters {0,1,2} {3}; classes {0,1} {2,3}: precision (2/3+2/3+1/3+1)/4, recall (1+1+1/2+1/2)/4
    pred, gold = ["x", "x", "x", "y"], ["a", "a", "b", "b"]
    m = metrics.bcubed(pred, gold)
    assert m.precision == pytest.approx(2.6666666666666665 / 4) and m.recall == pytest.approx(0.75)
    assert metrics.bcubed(gold, gold).f1 == 1.0 and metrics.adjusted_rand(gold, gold) == 1.0
    assert metrics.bcubed([], []).f1 == 0.0
    # label names do not matter, only the partition
    assert metrics.adjusted_rand([7, 7, 3, 3], gold) == 1.0
    # one big cluster against two classes: ARI 0 (chance level)
    assert metrics.adjusted_rand(["z"] * 4, gold) == 0.0
    with pytest.raises(ValueError, match="one label per item"):
        metrics.bcubed(["x"], ["a", "b"])
    with pytest.raises(ValueError, match="one per item"):
        metrics.adjusted_rand(["x"], ["a", "b"])
