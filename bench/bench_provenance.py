"""Provenance: does newsprism link the articles that derive from one another, and only those?

    .venv/bin/python bench/bench_provenance.py

Two gold sets, side by side with a MinHash peer (datasketch, Jaccard of word 3-gram shingles,
128 permutations) at the best threshold on the demo gold:

* the demo story's hand-written truth (examples/brenmoor-dam/truth.json): two rewrites of the wire
  story, one pair of siblings (two rewrites of the same wire), twelve independent pairs;
* BASIL (../shared/data/basil): every pair of articles within a triple. Fox, NYT and HuffPost
  reporting the same event are independent by construction of the dataset, so every link found
  there is a false link: these are the hard negatives (same event, same facts, same quotes).
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
from datetime import date
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datasketch import MinHash  # noqa: E402

from bench.datasets import basil_stories, require_data  # noqa: E402
from bench.metrics import best_threshold, prf_sets  # noqa: E402
from newsprism.analysis.claims import analyze_claims  # noqa: E402
from newsprism.ingest import load  # noqa: E402
from newsprism.model import Article, Story  # noqa: E402
from newsprism.nlp.annotate import annotate  # noqa: E402
from newsprism.pipeline import make_story  # noqa: E402

DEMO = ROOT / "examples" / "brenmoor-dam"


def minhash(text: str) -> MinHash:
    words = re.findall(r"\w+", text.lower())
    m = MinHash(num_perm=128, seed=1)
    for i in range(len(words) - 2):
        m.update(" ".join(words[i:i + 3]).encode())
    return m


def links(story: Story) -> dict[frozenset[str], str]:
    story = Story(id=story.id, articles=story.articles, annotations=annotate(story.articles))
    return {frozenset((p.a, p.b)): p.relation for p in analyze_claims(story).provenance}


def main() -> None:
    require_data("basil", exit_on_missing=True)
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    demo = make_story(load(DEMO / "articles").articles)
    derived = {frozenset((d["source"], d["derived"])) for d in truth["provenance"]["derived"]}
    derived |= {frozenset(s) for s in truth["provenance"].get("siblings", [])}
    demo_pairs = [frozenset((a.id, b.id)) for a, b in combinations(demo.articles, 2)]
    demo_links = links(demo)
    mh = {a.id: minhash(a.text) for a in demo.articles}
    demo_jacc = {p: mh[min(p)].jaccard(mh[max(p)]) for p in demo_pairs}

    basil_pairs: list[tuple[frozenset[str], str, float]] = []
    for s in basil_stories():
        arts = tuple(Article.create(id=a.id, outlet=a.outlet, text=a.text) for a in s.articles)
        found = links(Story(id=s.id, articles=arts))
        hashes = {a.id: minhash(a.text) for a in arts}
        for a, b in combinations(arts, 2):
            key = frozenset((a.id, b.id))
            basil_pairs.append((key, found[key], hashes[a.id].jaccard(hashes[b.id])))

    def prf(pred: set[frozenset[str]], gold: set[frozenset[str]], universe: list[frozenset[str]]) -> str:
        m = prf_sets(pred, gold)
        return (f"P {m.precision:.2f} R {m.recall:.2f} ({m.tp}/{m.gold} found, {m.fp} false links of "
                f"{len(universe)})")

    ours_demo = {p for p in demo_pairs if demo_links[p] != "independent"}
    # the peer's threshold: the best F1 on the demo gold (its most favourable setting)
    best_t, _ = best_threshold([demo_jacc[p] for p in demo_pairs], [p in derived for p in demo_pairs])
    mh_demo = {p for p in demo_pairs if demo_jacc[p] >= best_t}

    print(f"# Provenance — {date.today()} — {platform.machine()}, {os.cpu_count()} cores\n")
    print(f"| gold | newsprism | MinHash 3-gram Jaccard (t = {best_t:.3f}) |")
    print("|---|---|---|")
    print(f"| demo story: {len(derived)} derived pairs of {len(demo_pairs)} | {prf(ours_demo, derived, demo_pairs)} "
          f"| {prf(mh_demo, derived, demo_pairs)} |")
    ours_false = sum(1 for _, rel, _ in basil_pairs if rel != "independent")
    mh_false = sum(1 for *_, j in basil_pairs if j >= best_t)
    print(f"| BASIL same-event pairs: all {len(basil_pairs)} independent | {ours_false} false links "
          f"({ours_false / len(basil_pairs):.1%}) | {mh_false} false links ({mh_false / len(basil_pairs):.1%}) |")
    rels = {r: sum(1 for _, rel, _ in basil_pairs if rel == r) for r in ("copy", "rewrite", "shared_source")}
    print(f"\nBASIL links by relation: {rels}")
    print("demo relations: " + ", ".join(f"{'+'.join(sorted(p))}={demo_links[p]}"
                                         for p in demo_pairs if demo_links[p] != "independent"))
    # the relation itself against the planted truth: derived pairs carry theirs, siblings share a source
    want = {p: "independent" for p in demo_pairs}
    want |= {frozenset((d["source"], d["derived"])): d["relation"] for d in truth["provenance"]["derived"]}
    want |= {frozenset(s): "shared_source" for s in truth["provenance"].get("siblings", [])}
    right = [p for p in demo_pairs if demo_links[p] == want[p]]
    print(f"demo relation labels right: {len(right)}/{len(demo_pairs)}; wrong: "
          + (", ".join(f"{'+'.join(sorted(p))} {demo_links[p]} (truth {want[p]})"
                       for p in demo_pairs if p not in right) or "none"))


if __name__ == "__main__":
    main()
