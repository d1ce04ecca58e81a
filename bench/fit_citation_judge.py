"""Fit the brief's citation judge (``newsprism.analysis.citation_judge``) on hand-labelled citations and
score it on the label sets it was not fitted on.

    .venv/bin/python bench/fit_citation_judge.py [--val-cache F.pkl] [--train-cache F.pkl] [--embedder NAME]

Reads the NeuS/AllSides validation split and the first 300 issues of the train split, builds every brief
at 60 words (the length the labels were made at), and takes each labelled brief sentence's citations
*before* the judge: for each other article the brief would cite, the aligner's same-fact probability and
the weakest coverage of the pair, and the reader's label (``bench/gold/brief_citations.jsonl``: a
citation is right only when labelled ``supported``). The logistic model is fitted on the sets read
while the citation rules were made or labelled before this judge existed (``dev``, ``check``, ``heldout``,
``heldout2``, ``heldout3``); its threshold is the lowest (in steps of 0.01) at which sentence precision
reaches 0.96 on both ``heldout2`` and ``heldout3``. ``heldout4`` and ``heldout5`` (train issues 100–299,
labelled by two other readers) are the test sets. Prints the judge to paste into ``JUDGES``, sentence
precision per set without and with it, and the share of validation brief sentences citing another article.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_brief as bb
from newsprism.analysis import analyze_claims
from newsprism.analysis import brief as b
from newsprism.analysis.citation_judge import CitationJudge

TRAIN_SETS = ("dev", "check", "heldout", "heldout2", "heldout3")
THRESHOLD_SETS = ("heldout2", "heldout3")
TARGET = 0.96


@dataclass
class Sentence:
    split: str
    label_set: str | None  # None: not labelled (or no longer the labelled citations)
    pairs: list[tuple[float, float, bool]]  # (same-fact probability, weakest coverage, labelled supported)


def sentences(split: str, limit: int | None, cache: Path | None, embedder: str) -> list[Sentence]:
    """Every sentence of the split's 60-word briefs with its pre-judge citations and their labels."""
    gold = [json.loads(line) for line in bb.GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_key = {(g["story"], g["sha1"]): g for g in gold if g.get("split", "val") == split}
    out = []
    for x in bb.cached_issues(split, limit, cache, embedder):
        ctx = b._Context(x.story, analyze_claims(x.story), None, ())
        order = {a.id: k for k, a in enumerate(x.story.articles)}
        for s in b._select(ctx, 60, b.WEIGHTS)[0]:
            i = ctx.units_of(s.spans[0])[0]
            own = ctx.units[i].article_id
            others = sorted(((a, j) for a, j in ctx.cands[i].support.items() if a != own), key=lambda t: order[t[0]])
            g = by_key.get((x.index, bb.sentence_sha1(s.text)))
            cited = [own] + [a for a, _ in others]
            if g is not None and (cited[0] != g["cited"][0] or not set(cited) <= set(g["cited"])):
                g = None
            if g is not None and "pointed" in g:
                u = ctx.units
                shas = {a: bb.sentence_sha1(x.story.article(a).text[u[j].start:u[j].end]) for a, j in others}
                if any(shas[a] != g["pointed"].get(a) for a, _ in others):
                    g = None
            pairs = [(ctx.prob.get((min(i, j), max(i, j)), 0.0), ctx.weakest(i, j),
                      g is not None and g["sources"].get(a) == "supported") for a, j in others]
            out.append(Sentence(split, g["set"] if g else None, pairs))
    return out


def precision(rows: list[Sentence], label_set: str, judge: CitationJudge | None) -> tuple[float, int]:
    """Sentence precision on one label set: a sentence is right when every source it still cites is right."""
    seen = [r for r in rows if r.label_set == label_set]
    ok = sum(all(good for p, w, good in r.pairs if judge is None or judge.backs(p, w)) for r in seen)
    return ok / max(1, len(seen)), len(seen)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--val-cache", type=Path, default=None, help="annotated val issues (bench_brief --cache)")
    ap.add_argument("--train-cache", type=Path, default=None, help="annotated first 300 train issues")
    ap.add_argument("--embedder", default="minilm-onnx")
    args = ap.parse_args()
    from sklearn.linear_model import LogisticRegression

    rows = (sentences("val", None, args.val_cache, args.embedder)
            + sentences("train", 300, args.train_cache, args.embedder))
    train = [pair for r in rows if r.label_set in TRAIN_SETS for pair in r.pairs]
    model = LogisticRegression(C=1.0).fit([[p, w] for p, w, _ in train], [good for _, _, good in train])
    (wp, ww), bias = model.coef_[0], model.intercept_[0]

    def judge_at(t: float) -> CitationJudge:
        return CitationJudge(round(float(bias), 2), round(float(wp), 2), round(float(ww), 2), round(t, 2))

    judge = next((judge_at(t / 100) for t in range(50, 99)
                  if all(precision(rows, s, judge_at(t / 100))[0] >= TARGET for s in THRESHOLD_SETS)), judge_at(0.98))
    print(f"fitted on {len(train)} labelled citations ({sum(g for _, _, g in train)} right)\n")
    print(f'"{args.embedder}": {judge},\n')
    print("| label set | role | sentences | precision without the judge | with the judge |")
    print("|---|---|---:|---:|---:|")
    for name in dict.fromkeys(r.label_set for r in rows if r.label_set):
        before, n = precision(rows, name, None)
        after, _ = precision(rows, name, judge)
        role = "threshold" if name in THRESHOLD_SETS else "fit" if name in TRAIN_SETS else "**test**"
        print(f"| {name} | {role} | {n} | {before:.3f} | {after:.3f} |")
    val = [r for r in rows if r.split == "val"]
    before = sum(bool(r.pairs) for r in val)
    after = sum(any(judge.backs(p, w) for p, w, _ in r.pairs) for r in val)
    print(f"\nval brief sentences citing another article: {before} of {len(val)} without the judge, {after} with it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
