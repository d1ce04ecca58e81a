"""The same articles give the same report, whatever the interpreter's hash seed.

Set iteration order changes with ``PYTHONHASHSEED``; a report that followed it would differ between
two runs on one machine (a loaded-language mark once named "pay the price" or "paid the price" by
seed). Only the run's own metadata (when it ran, how long each stage took) may differ.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import newsprism

pytestmark = pytest.mark.slow

DEMO = Path(newsprism.__file__).parent / "demo" / "articles"
RUN_METADATA = ("generated_at", "timings")


def _report(out: Path, seed: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "newsprism", "analyze", str(DEMO), "--format", "json", "-q",
                    "-o", str(out)], env=env, check=True, capture_output=True, text=True)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for key in RUN_METADATA:
        report.pop(key, None)
    return report


def test_demo_report_is_the_same_under_two_hash_seeds(tmp_path: Path) -> None:
    first = _report(tmp_path / "a", "1")
    second = _report(tmp_path / "b", "2")
    assert first.keys() == second.keys()
    for key in first:
        assert first[key] == second[key], f"report field {key!r} differs between hash seeds"
