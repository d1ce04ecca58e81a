"""Fit the support judge (``newsprism.analysis.claims.support``) on the claim-support gold's tune stories,
and measure it on the held-out test stories.

    .venv/bin/python bench/fit_support.py           # fit on tune, report tune and test; print the weights

Training pairs (``--all-cells``: also cells whose newsprism sentence merges the dataset sentence
with a neighbour, whose label then speaks for part of it only): for every gold claim sentence ``w``
(its newsprism sentence: the one overlapping the
dataset sentence most) and every other article B, each sentence of B the aligner looks at (its
candidate pairs) plus the gold evidence sentences; positive when the gold says B ``states`` ``w``
and the sentence is one of its evidence sentences, negative otherwise (``partial`` is not support).
A cell's score is its best sentence's probability. Reported per split: the cell-level AUC of
``states`` against everything else, and precision / recall of ``states`` at several thresholds.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.bench_claims import fit_logistic  # noqa: E402
from bench.bench_support import SPLITS, load_gold, split_of, to_story  # noqa: E402
from bench.datasets import BenchStory, require_data, stories  # noqa: E402
from bench.metrics import auc, prf_labels  # noqa: E402
from newsprism.analysis.claims.align import (  # noqa: E402
    calibration_for,
    candidate_pairs,
    idf_weights,
    lexical_similarity,
    piece_profiles,
    score_pair,
    soft_match,
)
from newsprism.analysis.claims.support import FEATURES, JUDGE_WEIGHTS, SupportJudge  # noqa: E402
from newsprism.analysis.claims.units import Unit, story_units  # noqa: E402

Cell = tuple[str, str, int, str]  # story, article, dataset sentence, other article


@dataclass
class GoldCell:
    """One (claim sentence, other article) cell of the gold, with the judge's view of it."""

    cell: Cell
    states: bool  # the gold says the other article states the sentence
    features: list[np.ndarray]  # one row per candidate sentence of the other article
    labels: list[bool]  # per candidate: an evidence sentence of a ``states`` cell
    clean: bool  # newsprism's sentence is the dataset sentence (not merged with a neighbour)
    texts: list[tuple[str, str]]  # per candidate: (the claim's wording, the other article's sentence)


def _unit_of(units: list[Unit], bench: BenchStory, article: str, k: int) -> int | None:
    start, end = bench.article(article).sentences[k]
    best, overlap = None, 0
    for u in units:
        if u.article_id == article:
            o = min(end, u.end) - max(start, u.start)
            if o > overlap:
                best, overlap = u.index, o
    return best


def _clean(unit: Unit, bench: BenchStory, article: str, k: int) -> bool:
    start, end = bench.article(article).sentences[k]
    overlap = min(end, unit.end) - max(start, unit.start)
    return overlap >= 0.9 * (end - start) and overlap >= 0.9 * (unit.end - unit.start)


def cell_data(embedder: str = "minilm-onnx") -> dict[str, list[GoldCell]]:
    """Per split: each gold cell with its label (states?) and its candidate sentences' features and labels."""
    require_data(exit_on_missing=True)
    gold = load_gold()
    out: dict[str, list[GoldCell]] = defaultdict(list)
    for bench in stories("basil"):
        if bench.id not in gold:
            continue
        story = to_story(bench, embedder)
        units, emb = story_units(story)
        idf = idf_weights(units)
        weights = calibration_for(units).weights
        profiles = piece_profiles(units)
        pairs = {(p.i, p.j): p for p in candidate_pairs(units, emb, idf, weights)}
        judge = SupportJudge(units, profiles, idf)
        for (article, k), row in gold[bench.id].items():
            if row["kind"] != "claim":
                continue
            w = _unit_of(units, bench, article, k)
            if w is None:
                continue
            for other, cell in row["support"].items():
                evidence = {_unit_of(units, bench, other, e) for e in cell.get("evidence", [])}
                states = cell["label"] == "states"
                cands = {j for (i, j) in pairs if i == w and units[j].article_id == other}
                cands |= {i for (i, j) in pairs if j == w and units[i].article_id == other}
                cands |= {e for e in evidence if e is not None}
                feats, labels, texts = [], [], []
                for s in sorted(cands):
                    p = pairs.get((min(w, s), max(w, s)))
                    if p is None:  # an evidence sentence the pre-filter skipped: score it here
                        p = score_pair(units[min(w, s)], units[max(w, s)], float(emb[w] @ emb[s]),
                                       lexical_similarity(units[w].terms, units[s].terms, idf),
                                       soft_match(profiles[w], profiles[s]), weights)
                    feats.append(judge.features(w, s, p.probability))
                    labels.append(states and s in evidence)
                    texts.append((units[w].text, units[s].text))
                out[split_of(bench.id)].append(GoldCell((bench.id, article, k, other), states, feats, labels,
                                                        _clean(units[w], bench, article, k), texts))
    return out


def cell_scores(cells: list[GoldCell], weights: np.ndarray) -> list[float]:
    out = []
    for c in cells:
        feats = c.features
        if not feats:
            out.append(0.0)
            continue
        z = weights[0] + np.vstack(feats) @ weights[1:]
        out.append(float((1 / (1 + np.exp(-z))).max()))
    return out


def describe(name: str, cells: list[GoldCell], weights: np.ndarray, thresholds: bool = True) -> None:
    scores = cell_scores(cells, weights)
    labels = [c.states for c in cells]
    print(f"{name}: {len(cells)} cells, {sum(labels)} states; cell AUC states-vs-rest {auc(scores, labels):.3f}")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8) if thresholds else ():
        m = prf_labels([s >= t for s in scores], labels)
        if m.predicted:
            print(f"  threshold {t:.1f}: precision {m.precision:.3f}  recall "
                  f"{m.recall:.3f}  ({m.tp}/{m.predicted})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fit-on", default="train,tune",
                        help="comma-separated splits to fit on (default: train,tune; test is never fitted on)")
    parser.add_argument("--all-cells", action="store_true",
                        help="train also on cells whose newsprism sentence is not the dataset sentence")
    args = parser.parse_args()
    data = cell_data()
    fit_on = [s for s in args.fit_on.split(",") if s != "test"]
    train = [c for s in fit_on for c in data[s] if c.clean or args.all_cells]
    x = np.vstack([f for c in train for f in c.features])
    y = np.array([lab for c in train for lab in c.labels], dtype=float)
    print(f"training pairs ({', '.join(f'{s} stories ' + ', '.join(SPLITS[s]) for s in fit_on)}): {len(y)}, "
          f"positive {int(y.sum())}")
    weights = fit_logistic(x, y, l2=1.0)
    print("fitted:", "(" + ", ".join(f"{w:.2f}" for w in weights) + ")")
    print("   ", " ".join(f"{n}={w:.2f}" for n, w in zip(("bias", *FEATURES), weights, strict=True)))
    for split in ("train", "tune", "test"):
        describe(f"{split} (fitted)", data[split], weights)
        describe(f"{split} (shipped)", data[split], np.array(JUDGE_WEIGHTS))
    aligned = np.zeros(len(FEATURES) + 1)
    aligned[1] = 1.0
    for split in ("tune", "test"):
        describe(f"{split} (aligner probability alone)", data[split], aligned, thresholds=False)


if __name__ == "__main__":
    main()
