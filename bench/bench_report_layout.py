"""How tall report.html is and where its sections start, on a desktop and a phone; and how soon the CLI speaks.

    .venv/bin/python bench/bench_report_layout.py --demo --sizes 5,20,40 [--html OLD.html ...] [--first-line]

Each page opens in headless Chromium (Playwright driving Debian's ``chromium``, or ``NEWSPRISM_CHROMIUM``;
never ``playwright install``) at 1400x900 (desktop) and 390x844 (a phone), and the page height and the
top of each section (the brief, the disputed points, the claim matrix, the contradictions, who copied
whom, quotes, framing, the reader) are printed in CSS pixels as a Markdown table, with the console
errors. Pages:

* ``--demo``: the bundled demo story through the real pipeline (models load: about 10 s).
* ``--sizes``: the fictional bridge story of ``tests/report/story_maker.py`` at those sizes (no models).
* ``--html``: report.html files as they are, e.g. one written by an older version, for a before/after.

``--first-line`` times, three times, how long ``newsprism demo`` takes to print its first line.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCREENS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1400, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True},
}
SECTIONS = ("np-brief", "np-disputed", "np-claims", "np-contradictions", "np-provenance", "np-quotes", "np-framing",
            "np-reader")
_MEASURE = """ids => { const out = {height: document.documentElement.scrollHeight};
    for (const id of ids) { const e = document.getElementById(id);
        out[id] = e ? Math.round(e.getBoundingClientRect().top + window.scrollY) : null; }
    return out; }"""


def _story_maker() -> Any:
    spec = importlib.util.spec_from_file_location("story_maker", ROOT / "tests" / "report" / "story_maker.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pages(args: argparse.Namespace, tmp: Path) -> list[tuple[str, Path]]:
    """(name, path of report.html) for every page asked for."""
    from newsprism.report.html import render_html

    out = [(p.name, p) for p in map(Path, args.html)]
    if args.demo:
        from newsprism.cli import DEMO_STORY
        from newsprism.pipeline import analyze

        run = analyze([DEMO_STORY / "articles"])
        assert run.report is not None
        path = tmp / "demo.html"
        path.write_text(render_html(run.report), encoding="utf-8")
        out.append(("demo (6 articles)", path))
    maker = _story_maker() if args.sizes else None
    for n in (int(s) for s in args.sizes.split(",") if s.strip()):
        path = tmp / f"story-{n}.html"
        path.write_text(render_html(maker.story_report(n)), encoding="utf-8")
        out.append((f"fictional story, {n} articles", path))
    return out


def measure(named: list[tuple[str, Path]]) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("NEWSPRISM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for name, path in named:
            for screen, options in SCREENS.items():
                context = browser.new_context(**options)
                page = context.new_page()
                errors: list[str] = []
                page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.goto(path.as_uri())
                rows.append({"page": name, "screen": screen, **page.evaluate(_MEASURE, list(SECTIONS)),
                             "errors": len(errors)})
                context.close()
        browser.close()
    return rows


def first_line(repeats: int = 3) -> list[float]:
    """Seconds from starting ``newsprism demo`` to its first line of output."""
    exe = Path(sys.executable).with_name("newsprism")
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(repeats):
            start = time.perf_counter()
            proc = subprocess.Popen([str(exe), "demo", "-o", out], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True)
            assert proc.stdout is not None
            proc.stdout.readline()
            times.append(time.perf_counter() - start)
            proc.stdout.read()
            proc.wait()
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--html", nargs="*", default=[], help="report.html files to measure as they are")
    ap.add_argument("--demo", action="store_true", help="the bundled demo through the pipeline")
    ap.add_argument("--sizes", default="", help="fictional stories of these many articles, e.g. 5,20,40")
    ap.add_argument("--first-line", action="store_true", help="time to the first output line of `newsprism demo`")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        rows = measure(pages(args, Path(tmp)))
    cols = ["height", *SECTIONS]
    print("| page | screen | " + " | ".join(c.removeprefix("np-") for c in cols) + " | console errors |")
    print("|---|---|" + "---:|" * (len(cols) + 1))
    for r in rows:
        cells = " | ".join("–" if r[c] is None else f"{r[c]:,}" for c in cols)
        print(f"| {r['page']} | {r['screen']} | {cells} | {r['errors']} |")
    if args.first_line:
        print("\nnewsprism demo, first output line after: " + ", ".join(f"{t:.2f} s" for t in first_line()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
