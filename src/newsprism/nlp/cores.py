"""How many CPU cores this process may use (shared by the embedder and the spaCy runner).

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

__all__ = ["cpu_count"]


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
