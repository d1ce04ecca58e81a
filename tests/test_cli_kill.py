"""kill -9 at random points never leaves a mixed or truncated set of report files.

Two tests, both on an output folder that holds a previous run's complete report set:

* the writer alone (``write_reports``) in a child process, killed at random moments while it
  writes; the child slows ``os.fsync``, ``os.unlink`` and ``os.replace`` (in the child only, no
  hook in newsprism) so that the kills land in every step of the write, not only around it;
* ``newsprism analyze`` on the demo story, killed at random moments of the whole run, half of
  them after the writing has begun.

After every kill each report file present must be byte-for-byte a file of the previous run or
of the new one (so: complete), and all of them from the same run.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsprism.report.schema import ArticleOut, Report, StoryOut
from newsprism.report.write import REPORT_FILES, render_reports, write_reports

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "brenmoor-dam" / "articles"
SLOW = 0.03  # seconds added to each fsync, unlink and rename in the child

CHILD = r'''
import os, sys, time
slow = float(os.environ.get("NP_SLOW", "0"))
def slowed(f):
    def g(*a, **k):
        time.sleep(slow)
        return f(*a, **k)
    return g
os.fsync, os.unlink, os.replace = slowed(os.fsync), slowed(os.unlink), slowed(os.replace)

from newsprism.report import write
real_write_temp = write._write_temp
def announced(*a, **k):  # tells the parent that writing has begun
    if not announced.done:
        announced.done = True
        print("WRITING", flush=True)
    return real_write_temp(*a, **k)
announced.done = False
write._write_temp = announced

if sys.argv[1] == "writer":
    from newsprism.report.schema import Report
    report = Report.model_validate_json(open(sys.argv[2], encoding="utf-8").read())
    print("READY", flush=True)
    write.write_reports(report, __import__("pathlib").Path(sys.argv[3]), sys.argv[4].split(","))
else:
    from newsprism.cli import main
    print("READY", flush=True)
    sys.exit(main(sys.argv[2:]))
'''


def _child(tmp: Path, *args: str) -> subprocess.Popen[str]:
    script = tmp / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    return subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env={**os.environ, "NP_SLOW": str(SLOW)})


def _wait_for(proc: subprocess.Popen[str], line: str) -> bool:
    """Read the child's stdout until ``line``; False if it ended first."""
    assert proc.stdout is not None
    return any(got.strip() == line for got in proc.stdout)  # stops at the first match


def _kill(proc: subprocess.Popen[str]) -> None:
    proc.kill()  # SIGKILL: no handler, no cleanup, no flush
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def _visible(out: Path) -> dict[str, bytes]:
    return {n: (out / n).read_bytes() for n in REPORT_FILES.values() if (out / n).exists()}


def _which_run(out: Path, runs: dict[str, dict[str, bytes]]) -> str:
    """The run every visible report file belongs to (whole files only), else fail the test."""
    visible = _visible(out)
    for label, files in runs.items():
        if files and all(files.get(name) == data for name, data in visible.items()):
            return label if len(visible) == len(files) else f"{label} (part)"
    sizes = {n: len(b) for n, b in visible.items()}
    pytest.fail(f"the folder mixes runs or holds a truncated file: {sizes}, "
                f"{ {n: [lab for lab, f in runs.items() if f.get(n) == b] for n, b in visible.items()} }")


def _report(title: str, n: int) -> Report:
    text = " ".join(f"Sentence {i} of the story about {title.lower()}." for i in range(400))
    return Report(story=StoryOut(id="story", title=title, articles=[
        ArticleOut(id=f"a{i}", outlet=f"Outlet {i}", text=text) for i in range(n)]))


def test_killing_the_writer_anywhere_leaves_one_whole_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_reports(_report("Previous run", 3), out)
    old = _visible(out)
    new_json = tmp_path / "new.json"
    new_json.write_text(_report("This run", 5).to_json(), encoding="utf-8")
    new_report = Report.model_validate_json(new_json.read_text(encoding="utf-8"))
    rng = random.Random(16)
    seen: dict[str, int] = {}
    kills = 30
    # how long the writing takes, from its first temporary file to the end: the page is rendered
    # as it is written (issue 17), so this includes rendering, and it moves with the machine's load
    proc = _child(tmp_path, "writer", str(new_json), str(out), "json,md,html")
    assert _wait_for(proc, "WRITING")
    began = time.perf_counter()
    assert proc.wait(timeout=60) == 0
    writing = time.perf_counter() - began
    _kill(proc)
    for name in REPORT_FILES.values():
        (out / name).unlink(missing_ok=True)
    for name, data in old.items():
        (out / name).write_bytes(data)
    for i in range(kills):
        formats = ["json", "md", "html"] if i % 2 else ["json", "html"]  # half drop a format: report.md goes
        new = render_reports(new_report, formats)
        runs = {"previous": old, "new": {k: v.encode() for k, v in new.items()}}
        proc = _child(tmp_path, "writer", str(new_json), str(out), ",".join(formats))
        if i % 3 == 0:  # while it renders (nothing written yet) or just after
            assert _wait_for(proc, "READY")
            time.sleep(rng.uniform(0, 0.5))
        else:  # while it writes: about 10 slowed calls from here to the end
            assert _wait_for(proc, "WRITING")
            time.sleep(rng.uniform(0, 1.2 * max(writing, 12 * SLOW)))
        _kill(proc)
        state = _which_run(out, runs)
        seen[state] = seen.get(state, 0) + 1
        for name in REPORT_FILES.values():  # back to the previous run's complete set; stale temps stay
            (out / name).unlink(missing_ok=True)
        for name, data in old.items():
            (out / name).write_bytes(data)
    # the kills landed before, inside and after the commit, not all on one side of it
    assert seen.get("previous", 0) and seen.get("new", 0) and len(seen) >= 3, seen
    proc = _child(tmp_path, "writer", str(new_json), str(out), "json,md,html")
    assert proc.wait(timeout=60) == 0
    _kill(proc)
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES.values())  # no temporary file left
    assert _visible(out) == {k: v.encode() for k, v in render_reports(new_report).items()}


def _new_run_from_its_json(out: Path, old: dict[str, bytes]) -> dict[str, bytes]:
    """The new run's files, re-rendered from its report.json (rendering is deterministic, the
    analysis may differ across processes); empty when no new report.json is there."""
    data = (out / "report.json").read_bytes() if (out / "report.json").exists() else b""
    if not data or data == old["report.json"]:
        return {}
    try:
        report = Report.model_validate_json(data)
    except ValueError:
        pytest.fail(f"report.json is truncated or not JSON ({len(data)} bytes)")
    return {k: v.encode() for k, v in render_reports(report).items()}


def test_killing_analyze_anywhere_leaves_one_whole_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    base = ["analyze", str(DEMO), "-q", "-o", str(out)]
    started = time.monotonic()
    assert subprocess.run([sys.executable, "-m", "newsprism.cli", *base, "--title", "Previous run"],
                          check=False, timeout=300).returncode == 0
    full = time.monotonic() - started
    old = _visible(out)
    assert json.loads(old["report.json"])["story"]["title"] == "Previous run"
    rng = random.Random(1616)
    seen: dict[str, int] = {}
    for i in range(10):
        proc = _child(tmp_path, "cli", *base, "--title", "This run")
        if i % 2:  # anywhere in the run: loading the models, ingest, the analyses, the write
            time.sleep(rng.uniform(0, full))
        else:  # inside the write
            _wait_for(proc, "WRITING")
            time.sleep(rng.uniform(0, 10 * SLOW))
        _kill(proc)
        state = _which_run(out, {"previous": old, "new": _new_run_from_its_json(out, old)})
        seen[state] = seen.get(state, 0) + 1
        for name in REPORT_FILES.values():
            (out / name).unlink(missing_ok=True)
        for name, data in old.items():
            (out / name).write_bytes(data)
    assert seen.get("previous", 0), seen
