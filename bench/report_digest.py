"""Digests of whole reports, to check that a speed change leaves the output byte-identical.

    PYTHONHASHSEED=0 .venv/bin/python bench/report_digest.py [--out DIR] [demo basil25 wire25 wire100 ...]

Each case is analysed as ``newsprism analyze`` does it; the report's JSON, without ``generated_at`` and
``timings`` (and with this checkout's path written as ROOT), and the claim groups of unit indices are
hashed and, with ``--out``, written out for a diff. Run it on the code before a change (a ``git
worktree`` of the old commit: ``PYTHONPATH=<worktree>/src``) and after, and compare the lines.
Cases: ``demo`` (the bundled story), ``basilN`` (N distinct BASIL bodies), ``wireN`` (N wire-heavy
articles, as ``bench_speed.py`` makes them).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import newsprism  # noqa: E402
from bench.bench_speed import distinct_articles, wire_articles  # noqa: E402
from newsprism.analysis.claims import analyze_claims  # noqa: E402
from newsprism.model import Story  # noqa: E402
from newsprism.pipeline import analyze, analyze_story, make_story  # noqa: E402
from newsprism.report.schema import Report  # noqa: E402


def digest(name: str, report: Report, story: Story, out: Path | None) -> str:
    """``name``, the report's digest and the claim groups' digest, on one line."""
    src = str(Path(newsprism.__file__).resolve().parents[2])
    d = json.loads(report.to_json())
    d.pop("generated_at", None)
    d.pop("timings", None)
    text = json.dumps(d, sort_keys=True, indent=1).replace(src, "ROOT")
    groups = json.dumps([list(g) for g in analyze_claims(story).unit_groups])
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{name}.json").write_text(text, encoding="utf-8")
        (out / f"{name}.groups.json").write_text(groups, encoding="utf-8")
    return " ".join((name, *(hashlib.sha256(s.encode()).hexdigest()[:16] for s in (text, groups))))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cases", nargs="*", default=["demo", "basil25", "wire25"])
    ap.add_argument("--out", type=Path, default=None, help="write each report and its groups here")
    args = ap.parse_args()
    for case in args.cases:
        if case == "demo":
            run = analyze([str(Path(newsprism.__file__).parent / "demo" / "articles")])
            assert run.report is not None and run.story is not None
            report, story = run.report, run.story
        elif case.startswith(("basil", "wire")) and case.lstrip("abilsrwe").isdigit():
            n = int(case.lstrip("abilsrwe"))
            arts = distinct_articles(n) if case.startswith("basil") else wire_articles(n)
            story, report = analyze_story(make_story(arts, story_id="bench"))
        else:
            raise SystemExit(f"unknown case {case!r}: demo, basilN or wireN (N articles)")
        print(digest(case, report, story, args.out), flush=True)


if __name__ == "__main__":
    main()
