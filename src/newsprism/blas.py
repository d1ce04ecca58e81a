"""How many threads numpy's BLAS may use while the claim alignment runs.

The claim stage does thousands of small matrix products (a sentence's word pieces against another's).
OpenBLAS hands products above a small size to its thread pool; waking the pool costs more than such
a product, and the woken threads spin, waiting for more work, on cores the rest of the analysis (and
spaCy's worker processes) need. On one thread a 100-article wire story's claim alignment took a
third of the CPU time (1.6 CPU-s against 4.7) and gave the same pairs, groups and reports (the demo,
25 BASIL and 25 and 100 wire-heavy articles). It is kept to the claim stage: over the other
stages one thread made no difference beyond the noise of a shared machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with numpy's BLAS on one thread; the previous limit comes back after it.

    The limit is per process: blocks run at once in several threads of one process share it.

    >>> import numpy as np
    >>> a = np.arange(12, dtype=np.float32).reshape(3, 4)
    >>> with one_blas_thread():
    ...     inside = a @ a.T
    >>> bool((inside == a @ a.T).all())
    True
    """
    with threadpool_limits(limits=1, user_api="blas"):
        yield
