"""Evaluation gate for the claim matrix on the claim-support gold (bench/gold/claim_support.md).

Floors sit a little under the values recorded in BENCHMARKS.md ("Claim support"): the shipped
matrix's numbers (so a change that makes more ● wrong fails), and the experimental support judge's
held-out precision and cell AUC (so the judge does not silently degrade). Slow; skipped without data.
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.datasets import data_available  # noqa: E402

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not data_available("basil"), reason="../shared/data/basil not found: gate skipped")]


def test_shipped_matrix_cells() -> None:
    from bench.bench_support import run

    cells = run(splits=("tune", "test"), recall=False)
    for split in ("tune", "test"):
        c = cells[split]
        assert c.right / c.shown >= 0.25, f"{split}: other-article cell precision {c.right / c.shown:.3f}"
        assert c.singles_right / c.singles >= 0.94, f"{split}: single-source precision"


def test_support_judge_held_out() -> None:
    import numpy as np

    from bench.bench_support import run
    from bench.fit_support import cell_data, cell_scores
    from bench.metrics import auc
    from newsprism.analysis.claims.support import JUDGE_WEIGHTS

    test = cell_data()["test"]
    scores = cell_scores(test, np.array(JUDGE_WEIGHTS))
    assert auc(scores, [c.states for c in test]) >= 0.90
    c = run(splits=("test",), recall=False, judge=True)["test"]
    assert c.right / c.shown >= 0.80, f"judge: held-out cell precision {c.right / c.shown:.3f}"
