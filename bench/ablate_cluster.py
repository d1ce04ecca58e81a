"""Story clustering ablations (issue 19): what was tried to tell two events of the same kind apart,
each measured beside the shipped clusterer in the same run, on the ECB+ *development* topics only.

    .venv/bin/python bench/ablate_cluster.py [--seeds 20] [--quick]

Held-out topics are never read here: this script is for choosing what to ship, and its answer so far
is "nothing beyond the shipped clusterer" (BENCHMARKS.md, story clustering). Every variant streams
the development documents in the same seeded shuffles as ``bench/bench_cluster.py`` and is cut at
its best development threshold (a grid), so all rows are equally favoured. Variants:

* **shipped**: :class:`newsprism.stream.cluster.StoryClusterer` with ``DEFAULTS``.
* **replica**: this script's own online centroid clusterer with the shipped score
  (0.3 × embedding cosine + 0.7 × entity cosine): the check that the variants below differ only
  in what they add.
* **+ words, lead, years (LR)**: three more profiles per story (IDF-weighted content words of the
  whole text; entities of the title and 300-character lead; years mentioned) and the score a
  logistic regression over embedding, entity, word and lead cosines, a shared year and a year
  conflict (both sides name years, none shared), fitted on teacher-forced pairs (each item
  against the gold stories formed so far) from five *other* development shuffles (seeds 100–104).
* **member counts, IDF now**: a story keeps how many members named each entity and weighs them
  with the IDF of *now* (square root of the count), not with the IDF each member had on arrival.
* **two thresholds**: join above the upper threshold; between the lower and the upper, join only
  when the item shares a rare entity (document frequency ≤ 3%) that two or more members named.
* **link to members**: the entity term half the story-centroid cosine, half the mean cosine with
  the three nearest of the story's last 16 members (between centroid and single linkage).
* **oracle IDF**: the shipped score with document frequencies of the whole split known from the
  first item (not possible online): how much the IDF's warm-up costs.
* **batch ceilings** (not online): average-linkage agglomerative clustering on entity TF-IDF,
  content-word TF-IDF, their mean, and 0.3 × embedding + 0.7 × entity cosine, at the best cut.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_cluster import SEEDS, Doc, agglomerative, is_dev, load_ecbplus, shuffled  # noqa: E402
from bench.metrics import adjusted_rand, bcubed  # noqa: E402
from newsprism.stream.cluster import DEFAULTS, ENTITY_CHARS, LEAD_CHARS, StoryClusterer, extract_entities, features  # noqa: E402
from newsprism.text.words import STOP_WORDS  # noqa: E402

PROFILES = ("ents", "words", "lead")
TERMS = 64  # entities (or words) a story keeps, as the shipped clusterer
MEMBERS = 16  # members a story remembers for "link to members"
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class Evidence:
    """What the variants read of one document."""

    vec: np.ndarray
    ents: frozenset[str]
    words: frozenset[str]
    lead: frozenset[str]
    years: frozenset[str]


def _text(title: str | None, body: str, chars: int) -> str:
    title = (title or "").strip()
    text = body.strip()
    return (f"{title}. {text}" if title and not text.startswith(title) else text)[:chars]


def evidence(docs: Sequence[Doc]) -> list[Evidence]:
    arts = [d.article for d in docs]
    items = features(arts)
    out = []
    for a, it in zip(arts, items, strict=True):
        full = _text(a.title, a.text, ENTITY_CHARS)
        words = frozenset(w for w in (m.lower() for m in _WORD.findall(full)) if len(w) > 2 and w not in STOP_WORDS)
        out.append(Evidence(it.vector, it.entities, words, extract_entities(_text(a.title, a.text, LEAD_CHARS)),
                            frozenset(e for e in it.entities if _YEAR.fullmatch(e))))
    return out


class Idf:
    """Document frequencies counted as documents arrive (or fixed up front: ``oracle``)."""

    def __init__(self, oracle: Counter[str] | None = None, n: int = 0) -> None:
        self.df: Counter[str] = oracle if oracle is not None else Counter()
        self.n, self.fixed = n, oracle is not None

    def add(self, terms: frozenset[str]) -> None:
        if not self.fixed:
            self.df.update(terms)
            self.n += 1

    def idf(self, term: str) -> float:
        return math.log((1 + self.n) / (1 + self.df[term])) + 1.0

    def unit(self, terms: frozenset[str]) -> dict[str, float]:
        w = {t: self.idf(t) for t in sorted(terms)}
        norm = math.sqrt(sum(v * v for v in w.values()))
        return {t: v / norm for t, v in w.items()} if norm else {}


@dataclass
class Story:
    id: int
    total: np.ndarray
    count: int = 0
    prof: dict[str, dict[str, float]] = field(default_factory=dict)
    norm: dict[str, float] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)  # members naming each entity
    members: list[dict[str, float]] = field(default_factory=list)  # the last MEMBERS' entity vectors
    years: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Variant:
    weights: dict[str, float]  # feature -> weight in the score
    bias: float = 0.0
    counts: bool = False  # entity profile as member counts weighed with the IDF of now
    rare_band: float | None = None  # two thresholds: the lower one, this far under the threshold
    oracle_idf: bool = False
    nearest: int = 0  # link to members: the entity term is half the mean of this many nearest members' cosines


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _trim(d: dict[str, float]) -> dict[str, float]:
    return d if len(d) <= TERMS else dict(sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))[:TERMS])


def _row(ev: Evidence, w: dict[str, dict[str, float]], st: Story, idf: dict[str, Idf], v: Variant) -> dict[str, float]:
    row = {"emb": float(st.total @ ev.vec) / float(np.linalg.norm(st.total))}
    for p in PROFILES:
        if p == "ents" and v.counts:
            sw = {e: math.sqrt(c) * idf["ents"].idf(e) for e, c in st.counts.items()}
            norm = math.sqrt(sum(x * x for x in sw.values()))
            row[p] = _dot(w[p], sw) / norm if norm else 0.0
        elif p in v.weights or p == "ents":
            row[p] = _dot(w[p], st.prof[p]) / st.norm[p] if st.norm[p] else 0.0
        if p == "ents" and v.nearest:
            near = sorted((_dot(w[p], m) for m in st.members), reverse=True)[: v.nearest]
            row[p] = 0.5 * row[p] + 0.5 * sum(near) / len(near)
    row["year_share"] = float(bool(ev.years & st.years))
    row["year_conflict"] = float(bool(ev.years and st.years and not ev.years & st.years))
    return row


def stream(evs: Sequence[Evidence], order: Sequence[int], v: Variant, threshold: float,
           teacher: Sequence[str] | None = None) -> tuple[list[int], list[tuple[dict[str, float], int]]]:
    """Labels in ``evs``' order, the items assigned in ``order``; with ``teacher`` (gold labels) the
    assignment follows the gold and the (features, same story?) rows of every item against every
    story so far come back too."""
    if v.oracle_idf:
        df: Counter[str] = Counter()
        for k in order:
            df.update(evs[k].ents)
        idf = {p: Idf(df if p == "ents" else None, len(order)) for p in PROFILES}
    else:
        idf = {p: Idf() for p in PROFILES}
    stories: list[Story] = []
    gold_story: dict[str, Story] = {}
    labels = [0] * len(evs)
    rows: list[tuple[dict[str, float], int]] = []
    for k in order:
        ev = evs[k]
        w = {}
        for p in PROFILES:
            terms: frozenset[str] = getattr(ev, p)
            idf[p].add(terms)
            w[p] = idf[p].unit(terms)
        scored = [(st, _row(ev, w, st, idf, v)) for st in stories]
        if teacher is not None:
            rows += [(r, int(gold_story.get(teacher[k]) is st)) for st, r in scored]
            best = gold_story.get(teacher[k])
        else:
            best, best_score = None, -math.inf
            for st, r in scored:
                s = v.bias + sum(v.weights.get(f, 0.0) * x for f, x in r.items())
                if s > best_score:
                    best, best_score = st, s
            if best is not None and best_score < threshold:
                lower = None if v.rare_band is None else threshold - v.rare_band
                rare = max(2.0, 0.03 * idf["ents"].n)
                if lower is None or best_score < lower or not any(
                        best.counts[e] >= 2 and idf["ents"].df[e] <= rare for e in ev.ents):
                    best = None
        if best is None:
            best = Story(len(stories), np.zeros_like(ev.vec), prof={p: {} for p in PROFILES})
            stories.append(best)
            if teacher is not None:
                gold_story[teacher[k]] = best
        best.total = best.total + ev.vec
        best.count += 1
        best.counts.update(ev.ents)
        if len(best.counts) > TERMS:  # keep the entities that weigh most now
            def weight(kv: tuple[str, int]) -> tuple[float, str]:
                return -math.sqrt(kv[1]) * idf["ents"].idf(kv[0]), kv[0]
            best.counts = Counter(dict(sorted(best.counts.items(), key=weight)[:TERMS]))
        best.years |= ev.years
        best.members = [*best.members[-(MEMBERS - 1):], w["ents"]]
        for p in PROFILES:
            d = best.prof[p]
            for t, x in w[p].items():
                d[t] = d.get(t, 0.0) + x
            best.prof[p] = _trim(d)
            best.norm[p] = math.sqrt(sum(x * x for x in best.prof[p].values()))
        labels[k] = best.id
    return labels, rows


def fit_lr(evs: Sequence[Evidence], gold: Sequence[str], names: Sequence[str]) -> tuple[dict[str, float], float]:
    """Logistic regression on teacher-forced rows from development shuffles 100–104 (not the
    evaluation seeds)."""
    from sklearn.linear_model import LogisticRegression

    rows: list[tuple[dict[str, float], int]] = []
    for seed in range(100, 105):
        rows += stream(evs, shuffled(len(evs), seed), Variant({n: 1.0 for n in names}), 0.0, teacher=gold)[1]
    x = np.array([[r[n] for n in names] for r, _ in rows])
    y = np.array([label for _, label in rows])
    lr = LogisticRegression(max_iter=1000).fit(x, y)
    return dict(zip(names, (float(c) for c in lr.coef_[0]), strict=True)), float(lr.intercept_[0])


@dataclass(frozen=True)
class Result:
    f1: float
    worst: float
    ari: float
    threshold: float


def evaluate(run: Callable[[Sequence[int]], Sequence[object]], n: int, gold: Sequence[str],
             seeds: Sequence[int]) -> tuple[float, float, float]:
    f1s, aris = [], []
    for s in seeds:
        labels = list(run(shuffled(n, s)))
        f1s.append(bcubed(labels, gold).f1)
        aris.append(adjusted_rand(labels, gold))
    return statistics.mean(f1s), min(f1s), statistics.mean(aris)


def best_threshold(run: Callable[[float], Callable[[Sequence[int]], Sequence[object]]], grid: Sequence[float],
                   n: int, gold: Sequence[str], seeds: Sequence[int]) -> Result:
    best: Result | None = None
    for t in grid:
        f1, worst, ari = evaluate(run(t), n, gold, seeds)
        if best is None or f1 > best.f1 + 1e-12:
            best = Result(f1, worst, ari, t)
    assert best is not None
    return best


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--seeds", type=int, default=len(SEEDS), help="shuffles per setting (seeds 0..N-1)")
    ap.add_argument("--quick", action="store_true", help="three thresholds per variant instead of seven")
    args = ap.parse_args(argv)
    seeds = tuple(range(args.seeds))
    docs = [d for d in load_ecbplus() if is_dev(d.topic)]
    gold = [d.gold for d in docs]
    t0 = time.process_time()
    evs = evidence(docs)
    n = len(evs)
    print(f"# Story clustering ablations — ECB+ development topics ({n} documents, {len(set(gold))} subtopics), "
          f"streamed, mean of {len(seeds)} shuffles (worst)\n")
    print("| variant | BCubed F1 (worst) | ARI | threshold (best on development) |\n|---|---:|---:|---|")

    def report(name: str, r: Result, note: str = "") -> None:
        print(f"| {name} | {r.f1:.3f} ({r.worst:.3f}) | {r.ari:.3f} | {r.threshold:g}{note} |", flush=True)

    def grid(center: float, step: float) -> list[float]:
        ks = (-1, 0, 1) if args.quick else (-3, -2, -1, 0, 1, 2, 3)
        return [round(center + step * k, 3) for k in ks]

    w0 = float(DEFAULTS["embedding_weight"])

    def shipped(t: float) -> Callable[[Sequence[int]], list[str]]:
        def run(order: Sequence[int]) -> list[str]:
            sc = StoryClusterer(threshold=t, embedding_weight=w0)
            out = [""] * n
            for k in order:
                out[k] = sc.assign(features_of[k])
            return out
        return run

    features_of = features([d.article for d in docs])
    report("shipped StoryClusterer", best_threshold(shipped, grid(DEFAULTS["threshold"], 0.02), n, gold, seeds))

    def variant(v: Variant) -> Callable[[float], Callable[[Sequence[int]], list[int]]]:
        return lambda t: (lambda order: stream(evs, order, v, t)[0])

    plain = Variant({"emb": w0, "ents": 1 - w0})
    report("replica (this script's clusterer, shipped score)",
           best_threshold(variant(plain), grid(DEFAULTS["threshold"], 0.02), n, gold, seeds))
    names = ("emb", "ents", "words", "lead", "year_share", "year_conflict")
    weights, bias = fit_lr(evs, gold, names)
    lr = Variant(weights, bias)
    report("+ words, lead, years (LR)", best_threshold(variant(lr), grid(-2.0, 0.25), n, gold, seeds),
           " (logit); weights " + ", ".join(f"{k} {x:.2f}" for k, x in weights.items()) + f", bias {bias:.2f}")
    report("member counts, IDF now", best_threshold(variant(Variant(plain.weights, counts=True)),
                                                    grid(0.34, 0.02), n, gold, seeds))
    report("two thresholds (rare shared entity between)",
           best_threshold(variant(Variant(plain.weights, rare_band=0.06)), grid(0.38, 0.02), n, gold, seeds),
           " (upper; lower 0.06 under)")
    report("link to members (3 nearest of the last 16, half the entity term)",
           best_threshold(variant(Variant(plain.weights, nearest=3)), grid(0.34, 0.02), n, gold, seeds))
    report("oracle IDF (not online)", best_threshold(variant(Variant(plain.weights, oracle_idf=True)),
                                                     grid(0.34, 0.02), n, gold, seeds))
    print(f"\nBatch ceilings (average linkage, best cut on development; not online; CPU so far "
          f"{time.process_time() - t0:.0f} s):\n")
    from sklearn.feature_extraction.text import TfidfVectorizer

    def tfidf(bags: Sequence[frozenset[str]]) -> np.ndarray:
        x = TfidfVectorizer(analyzer=lambda b: sorted(b) or ["_none"]).fit_transform(bags)
        return np.asarray((x @ x.T).toarray())

    ent, words = tfidf([e.ents for e in evs]), tfidf([e.words for e in evs])
    vec = np.stack([e.vec for e in evs]).astype(np.float64)
    for name, sim in (("entities", ent), ("content words", words), ("entities + words (mean)", (ent + words) / 2),
                      (f"{w0} × embedding + {1 - w0:.1f} × entities", w0 * (vec @ vec.T) + (1 - w0) * ent)):
        cut = agglomerative(sim)
        f1, t = max((bcubed(list(cut(t)), gold).f1, t) for t in np.arange(0.03, 0.9, 0.01))
        print(f"- {name}: BCubed F1 {f1:.3f} at {t:.2f}")


if __name__ == "__main__":
    main()
