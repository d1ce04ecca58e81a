"""Is every ● true? The claim matrix scored on the cells a reader sees, against the claim-support gold.

    .venv/bin/python bench/bench_support.py                 # tune and test splits, as shipped
    .venv/bin/python bench/bench_support.py --split test    # one split only
    .venv/bin/python bench/bench_support.py --no-recall     # skip the claim-pair recall (22 stories)
    .venv/bin/python bench/bench_support.py --judge         # with the experimental support judge

Gold: ``bench/gold/claim_support/*.jsonl`` (every sentence of 12 BASIL triples against every other
article, labelled by reading; ``bench/gold/claim_support.md``). A claim is scored through its
wording: the dataset sentence its wording lies in; a ● for another article B is right when the gold
says B ``states`` that sentence (``partial`` counts half in the lenient figure).

Reported, per split:

* other-article cell precision (strict, and with partial as half): of the ● a reader sees for an
  article other than the one that supplied the wording, the share that are true;
* claim precision: of the claims with a ● besides their own article, the share whose every ● is true;
* overstated: of the corroborated claims (``independent_sources`` >= 2), the share whose count is
  higher than the number of independent articles that the gold says state the wording;
* single-source precision: of the claims on the single-source list, the share that no other
  article states (by the gold);
* support recall: of the gold ``states`` cells of sentences that are some claim's wording, the share
  shown as ●;
* non-claims: claims whose wording the gold calls a non-claim (question, heading, fragment ...);
* pair recall: of the same-claim pairs in ``bench/gold/claim_pairs.jsonl`` (22 stories), the share
  whose two sentences end up ● together in one claim (both among the claim's stating spans).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.datasets import BenchStory, require_data, stories  # noqa: E402
from newsprism.analysis.claims import ClaimAnalysis, analyze_claims  # noqa: E402
from newsprism.analysis.claims.matrix import ClaimRow  # noqa: E402
from newsprism.model import Article, Span, Story  # noqa: E402
from newsprism.nlp.annotate import annotate  # noqa: E402
from newsprism.nlp.embeddings import get_embedder  # noqa: E402

GOLD_DIR = ROOT / "bench" / "gold" / "claim_support"
PAIRS = ROOT / "bench" / "gold" / "claim_pairs.jsonl"
SPLITS = {
    # labelled later, for fitting only (bench/fit_support.py): never reported as a test figure
    "train": ("f506aafc", "2153fb3e", "96b7046f", "1b96a5db", "6f95dcb9", "97b1305c", "6e502405", "0ffb34cd",
              "33521e65", "472158a1"),
    "tune": ("ae243a95", "29ffd053", "f11c2566", "d1344998", "59f2f47c", "45bd61bc"),
    "test": ("8dc7ccfe", "58ed2376", "005a2961", "a4edca3f", "8dac6c12", "df5fe55a"),
}


def split_of(story_id: str) -> str:
    return next(name for name, prefixes in SPLITS.items() if story_id[:8] in prefixes)


def load_gold() -> dict[str, dict[tuple[str, int], dict[str, Any]]]:
    """story id -> (article id, dataset sentence index) -> gold row."""
    out: dict[str, dict[tuple[str, int], dict[str, Any]]] = defaultdict(dict)
    for path in sorted(GOLD_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out[row["story"]][(row["article"], row["sentence"])] = row
    return out


def to_story(bench: BenchStory, embedder: str) -> Story:
    articles = tuple(Article.create(id=a.id, outlet=a.outlet, text=a.text, title=a.title or None)
                     for a in bench.articles)
    return Story(id=bench.id, articles=articles,
                 annotations=annotate(articles, embedder=get_embedder(embedder)))


def dataset_sentence(bench: BenchStory, span: Span) -> int | None:
    """The dataset sentence of ``span``'s article that overlaps it most."""
    art = bench.article(span.article_id)
    best, best_overlap = None, 0
    for k, (start, end) in enumerate(art.sentences):
        overlap = min(end, span.end) - max(start, span.start)
        if overlap > best_overlap:
            best, best_overlap = k, overlap
    return best


@dataclass
class Cells:
    """Counts behind the figures of one split."""

    shown: int = 0  # ● cells for another article
    right: int = 0
    half: float = 0.0
    claims_multi: int = 0
    claims_all_right: int = 0
    corroborated: int = 0
    overstated: int = 0
    singles: int = 0
    singles_right: int = 0
    gold_states: int = 0
    gold_states_shown: int = 0
    claims: int = 0
    non_claims: int = 0
    unlabelled: int = 0
    pairs_same: int = 0
    pairs_together: int = 0
    in_part: int = 0  # claims no other article states, but one states in part (neither list)
    wrong: list[str] = field(default_factory=list)
    wrong_single: list[str] = field(default_factory=list)

    def add(self, other: Cells) -> None:
        for name, value in vars(other).items():
            if isinstance(value, list):
                getattr(self, name).extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)


def stating(claim: ClaimRow) -> dict[str, str]:
    """Article id -> support level for every article the claim shows a mark for."""
    return {a: level for a, level, _ in claim.support}


def wording_span(claim: ClaimRow) -> Span:
    assert claim.wording is not None  # build_claims always sets it
    return claim.wording


def score_story(bench: BenchStory, analysis: ClaimAnalysis, gold: dict[tuple[str, int], dict[str, Any]]
                ) -> Cells:
    c = Cells()
    group_of = {a: k for k, g in enumerate(analysis.groups) for a in g}
    for claim in analysis.claims:
        w = wording_span(claim)
        k = dataset_sentence(bench, w)
        row = gold.get((w.article_id, k)) if k is not None else None
        c.claims += 1
        if row is None:
            c.unlabelled += 1
            continue
        levels = stating(claim)
        others = [a for a, lv in levels.items() if lv == "states" and a != w.article_id]
        if row["kind"] == "non-claim":
            c.non_claims += 1
        support = row.get("support", {})
        truth = {b: cell["label"] for b, cell in support.items()}
        all_right = True
        for b in others:
            c.shown += 1
            label = truth.get(b, "no")
            c.right += label == "states"
            c.half += 1.0 if label == "states" else 0.5 if label == "partial" else 0.0
            if label != "states":
                all_right = False
                c.wrong.append(f"{bench.id[:8]} {w.article_id.split(':')[-1]}#{k} -> {b.split(':')[-1]} "
                               f"gold {label}: {claim.text[:90]!r}")
        if others:
            c.claims_multi += 1
            c.claims_all_right += all_right
        true_groups = {group_of.get(w.article_id, w.article_id)} | {
            group_of.get(b, b) for b, lv in truth.items() if lv == "states"}
        if claim.independent_sources >= 2:
            c.corroborated += 1
            c.overstated += claim.independent_sources > len(true_groups)
        elif not any(lv in ("partial", "contradicts") and a != w.article_id for a, lv in levels.items()):
            # the single-source list: no other article states it, nor speaks to it in part
            c.singles += 1
            c.singles_right += len(true_groups) <= 1
            if len(true_groups) > 1:
                c.wrong_single.append(f"{bench.id[:8]} {w.article_id.split(':')[-1]}#{k}: {claim.text[:100]!r}")
        else:
            c.in_part += 1
        for b, lv in truth.items():
            if lv == "states":
                c.gold_states += 1
                c.gold_states_shown += b in others
    return c


def pair_recall(analyses: dict[str, tuple[BenchStory, ClaimAnalysis]]) -> tuple[int, int]:
    same = together = 0
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["label"] != "same" or row["story"] not in analyses:
            continue
        bench, analysis = analyses[row["story"]]
        same += 1
        spans = []
        for side in ("a", "b"):
            art = bench.article(row[side]["article"])
            start, end = art.sentences[row[side]["sentence"]]
            spans.append((art.id, start, end))

        def holds(claim: Any, ref: tuple[str, int, int]) -> bool:
            levels = stating(claim)
            return levels.get(ref[0]) == "states" and any(
                s.article_id == ref[0] and s.start < ref[2] and ref[1] < s.end for s in claim.spans)

        together += any(holds(cl, spans[0]) and holds(cl, spans[1]) for cl in analysis.claims)
    return same, together


def ratio(a: float, b: float) -> str:
    return f"{a / b:.3f}" if b else "  n/a"


def report(name: str, c: Cells) -> None:
    print(f"\n{name}: {c.claims} claims ({c.unlabelled} with unlabelled wording, {c.non_claims} non-claims)")
    print(f"  other-article cell precision  strict {ratio(c.right, c.shown)}  partial-as-half "
          f"{ratio(c.half, c.shown)}   ({c.right}/{c.shown})")
    print(f"  claim precision (every ● true) {ratio(c.claims_all_right, c.claims_multi)}   "
          f"({c.claims_all_right}/{c.claims_multi})")
    print(f"  corroborated claims overstated {ratio(c.overstated, c.corroborated)}   ({c.overstated}/{c.corroborated})")
    print(f"  single-source precision        {ratio(c.singles_right, c.singles)}   ({c.singles_right}/{c.singles});"
          f" {c.in_part} claims stated in part elsewhere, on neither list")
    print(f"  support recall (gold states)   {ratio(c.gold_states_shown, c.gold_states)}   "
          f"({c.gold_states_shown}/{c.gold_states})")
    if c.pairs_same:
        print(f"  same-claim pair recall         {ratio(c.pairs_together, c.pairs_same)}   "
              f"({c.pairs_together}/{c.pairs_same})")


def run(embedder: str = "minilm-onnx", splits: tuple[str, ...] = ("tune", "test"), recall: bool = True,
        judge: bool = False) -> dict[str, Cells]:
    """Analyse the gold stories (and, for ``recall``, every claim-pair story); the counts per split."""
    require_data(exit_on_missing=True)
    gold = load_gold()
    wanted = {sid for sid in gold if split_of(sid) in splits}
    pair_stories = set()
    if recall:
        pair_stories = {json.loads(line)["story"] for line in PAIRS.read_text(encoding="utf-8").splitlines()}
    analyses: dict[str, tuple[BenchStory, ClaimAnalysis]] = {}
    for dataset in ("basil", "newswcl50"):
        for bench in stories(dataset):
            if bench.id in wanted or bench.id in pair_stories:
                analyses[bench.id] = (bench, analyze_claims(to_story(bench, embedder), judge_support=judge))
    out: dict[str, Cells] = {s: Cells() for s in splits}
    for sid in wanted:
        bench, analysis = analyses[sid]
        out[split_of(sid)].add(score_story(bench, analysis, gold[sid]))
    if recall:
        total = Cells()
        total.pairs_same, total.pairs_together = pair_recall(analyses)
        out["pairs"] = total
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["tune", "test"], action="append")
    parser.add_argument("--embedder", default="minilm-onnx")
    parser.add_argument("--no-recall", action="store_true", help="skip the claim-pair recall (22 stories)")
    parser.add_argument("--judge", action="store_true",
                        help="judge every article against each claim's wording (analyze_claims(judge_support=True))")
    parser.add_argument("--show-wrong", type=int, default=0, help="print this many wrong ● per split")
    args = parser.parse_args()
    t0 = time.perf_counter()
    results = run(args.embedder, tuple(args.split or ("tune", "test")), recall=not args.no_recall,
                  judge=args.judge)
    print(f"bench_support: {date.today()}, {platform.processor() or platform.machine()}, embedder {args.embedder}"
          f"{', support judge' if args.judge else ''}")
    for name, cells in results.items():
        if name == "pairs":
            print(f"\nall 22 claim-pair stories: same-claim pair recall {ratio(cells.pairs_together, cells.pairs_same)}"
                  f"   ({cells.pairs_together}/{cells.pairs_same})")
            continue
        report(name, cells)
        for line in cells.wrong[: args.show_wrong]:
            print("    wrong:", line)
        for line in cells.wrong_single[: args.show_wrong]:
            print("    wrong single:", line)
    print(f"\n({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
