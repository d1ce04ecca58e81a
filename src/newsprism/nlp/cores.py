"""How many CPU cores and threads this process may use (shared by the embedder, the spaCy runner
and the claim alignment).

``NEWSPRISM_CPUS`` caps it: a process given fewer cores than it can see (a Ray worker of one
CPU: Ray sets no affinity mask) sets it so that spaCy forks no helpers and onnxruntime starts
no extra threads.

>>> cpu_count() >= 1
True
>>> import os; os.environ["NEWSPRISM_CPUS"] = "1"; cpu_count()
1
>>> del os.environ["NEWSPRISM_CPUS"]
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits

__all__ = ["cpu_count", "one_blas_thread"]


def cpu_count() -> int:
    """Cores this process may use: its affinity mask where the OS has one (not the machine's total),
    at most ``NEWSPRISM_CPUS`` where that is set to a positive whole number."""
    try:
        found = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        found = max(1, os.cpu_count() or 1)
    cap = os.environ.get("NEWSPRISM_CPUS", "").strip()
    if cap:
        if not cap.isdigit() or int(cap) < 1:
            raise ValueError(f"NEWSPRISM_CPUS={cap!r} is not a positive whole number (fix: set it to 1 or more, "
                             "or unset it)")
        return min(found, int(cap))
    return found


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with numpy's BLAS on one thread; the previous limit comes back after it.

    The claim stage does thousands of small matrix products (a sentence's word pieces against
    another's). OpenBLAS hands products above a small size to its thread pool; waking the pool costs
    more than such a product, and the woken threads spin on cores the rest of the analysis (and
    spaCy's worker processes) need. On one thread a 100-article wire story's claim alignment took a
    third of the CPU time (1.6 CPU-s against 4.7) with the same pairs, groups and reports. Over the
    other stages one thread made no difference beyond the noise of a shared machine.

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
