"""newsprism.nlp.cores.one_blas_thread: numpy's BLAS on one thread inside the block, the previous limit after it."""

import numpy as np
from threadpoolctl import threadpool_info

from newsprism.nlp.cores import one_blas_thread


def _blas_threads() -> list[int]:
    np.ones(2) @ np.ones(2)  # BLAS loaded
    return [int(p["num_threads"]) for p in threadpool_info() if p["user_api"] == "blas"]


def test_one_thread_inside_and_the_old_limit_after() -> None:
    before = _blas_threads()
    assert before, "numpy's BLAS is not visible to threadpoolctl"
    with one_blas_thread():
        assert _blas_threads() == [1] * len(before)
    assert _blas_threads() == before
