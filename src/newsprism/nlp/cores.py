"""How many CPU cores this process may use (shared by the embedder and the spaCy runner).

>>> cpu_count() >= 1
True
"""

from __future__ import annotations

import os

__all__ = ["cpu_count"]


def cpu_count() -> int:
    """Cores this process may use (its affinity mask where the OS has one, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)
