"""How long a story takes to analyse, and how that grows with the number of articles.

    .venv/bin/python bench/bench_speed.py [--sizes 5,10,20,50,100] [--repeats 3]

Stories are made of real BASIL article bodies (../shared/data/basil), taken in a fixed order.
Models are loaded and warmed first; each size is timed ``--repeats`` times and the median kept.
Mixing events in one "story" does not change the work done, only what is found.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.datasets import basil_stories, require_data  # noqa: E402
from newsprism.analysis.claims import analyze_claims  # noqa: E402
from newsprism.model import Article, Story  # noqa: E402
from newsprism.nlp.annotate import annotate  # noqa: E402
from newsprism.nlp.embeddings import EMBEDDERS, get_embedder  # noqa: E402


def articles(n: int) -> list[Article]:
    pool = [a for s in basil_stories() for a in s.articles if len(a.text.split()) >= 150]
    if n > len(pool):
        raise SystemExit(f"only {len(pool)} BASIL articles available")
    return [Article.create(id=f"{k:03d}-{a.id}", outlet=a.outlet, text=a.text) for k, a in enumerate(pool[:n])]


def time_story(arts: list[Article], embedder: str = "minilm-onnx") -> tuple[float, float, int]:
    t0 = time.perf_counter()
    anns = annotate(arts, embedder=get_embedder(embedder))
    t1 = time.perf_counter()
    result = analyze_claims(Story(id="bench", articles=tuple(arts), annotations=anns))
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, len(result.units)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="5,10,20,50,100")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--embedder", default="minilm-onnx", choices=sorted(EMBEDDERS),
                    help="sentence model (default: %(default)s; mpnet-torch needs `make mpnet`)")
    args = ap.parse_args()
    require_data("basil", exit_on_missing=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    time_story(articles(3), args.embedder)  # load and warm the models
    print(f"# Story analysis time — {date.today()} — {platform.machine()}, {os.cpu_count()} cores, "
          f"median of {args.repeats}, embedder {args.embedder}\n")
    print("| articles | sentences | annotate s | claims+provenance s | total s | s per article |")
    print("|---:|---:|---:|---:|---:|---:|")
    rows = []
    for n in sizes:
        arts = articles(n)
        runs = [time_story(arts, args.embedder) for _ in range(args.repeats)]
        ann = statistics.median(r[0] for r in runs)
        cla = statistics.median(r[1] for r in runs)
        rows.append((n, ann + cla))
        print(f"| {n} | {runs[0][2]} | {ann:.2f} | {cla:.2f} | **{ann + cla:.2f}** | {(ann + cla) / n:.3f} |")
    if len(rows) >= 2:
        (n0, t0), (n1, t1) = rows[0], rows[-1]
        print(f"\ngrowth exponent between {n0} and {n1} articles: {math.log(t1 / t0) / math.log(n1 / n0):.2f} "
              "(1.0 = linear, 2.0 = quadratic)")


if __name__ == "__main__":
    main()
