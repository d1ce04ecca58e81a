"""Story clustering: ECB+ subtopics and the UCI headline stream, newsprism's online clusterer beside
a TF-IDF and a MiniLM agglomerative peer; stream throughput and memory.

    .venv/bin/python bench/bench_cluster.py [--stream N] [--skip-uci] [--skip-speed]
    .venv/bin/python bench/bench_cluster.py --leads 24,32,40,c300   # only the lead comparison

ECB+ (``../shared/data/ecbplus``, topics 1–35 as shipped, 15 and 17 absent): each topic holds two
different events of the same kind (subtopics ``NNecb`` and ``NNecbplus``); the gold cluster of a
document is its subtopic. Every document of a split is clustered together (topics mixed).

* **Splits.** Development = the odd-numbered topics (1, 3, …, 35: 16 topics, 32 subtopics);
  held out = the even-numbered ones (2, 4, …, 34: 17 topics, 34 subtopics). Every setting — ours
  and the peers' thresholds — is chosen on development only; held out is never tuned on.
* **Order.** ECB+ documents carry no dates, so publication order is unknown: the stream is a
  seeded shuffle of the split (seeds 0–19; mean and worst of the twenty reported). "document order"
  is the corpus order (topic by topic, the easy case for an online clusterer).
* **newsprism**: :func:`newsprism.stream.cluster.features` (MiniLM of title + lead, the first 32
  word pieces of at most 300 characters; entities of title + body) and
  :class:`~newsprism.stream.cluster.StoryClusterer`; the embedding weight and threshold are chosen
  by mean streamed BCubed F1 on development.
* **Peers** (batch, order-free): TF-IDF (scikit-learn, sublinear tf, English stop words, title +
  body) and MiniLM (the same vectors as ours), each cosine + average-linkage agglomerative
  clustering (SciPy) cut at its best development threshold (0.01 to 0.95 by 0.01).
* **Metrics**: BCubed precision / recall / F1 and the adjusted Rand index against the subtopics
  (``bench/metrics.py``).

UCI News Aggregator sample (``../shared/data/uci-news-aggregator-sample``; the last, truncated row
dropped): 6,366 headlines, 87 stories (the aggregator's story labels), streamed in timestamp order
with the settings tuned on ECB+. The peers get their best threshold *on UCI itself* (the most
favourable setting for them: headlines and full articles need very different thresholds); ours is
also shown at its own best UCI threshold (the aggregator's stories are coarser than ECB+ events).

``--leads``: the lead's length against speed and quality: for each setting (``N``: the first N
word pieces; ``cN``: the first N characters, no piece limit) the features' rate per CPU-second on
all ECB+ documents, then, as above, the setting tuned on development and the held-out score at it.

Speed (this machine): ``features`` on UCI headlines (articles/s); the clusterer alone on a
stream of ``--stream`` items (the UCI vectors cycled, each cycle four days later, so stories
retire), with the process's resident memory every tenth of the way; and the whole
``stream.ingest_articles`` path (store, dedup, features, cluster) on the UCI headlines.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import newsprism.stream.cluster as cluster_mod  # noqa: E402
from bench.datasets import DATA, require_data  # noqa: E402
from bench.metrics import PRF, adjusted_rand, bcubed  # noqa: E402
from newsprism.model import Article  # noqa: E402
from newsprism.stream.cluster import DEFAULTS, ClusterItem, StoryClusterer, features  # noqa: E402

SEEDS = tuple(range(20))
#: The grid ours is tuned on (development topics, streamed, mean over SEEDS).
GRID_WEIGHT = (0.3, 0.4, 0.5)
GRID_THRESHOLD = tuple(round(0.32 + 0.02 * k, 2) for k in range(9))
PEER_THRESHOLDS = tuple(round(0.01 * k, 2) for k in range(1, 96))
UCI_THRESHOLDS = tuple(round(0.1 + 0.02 * k, 2) for k in range(16))


def is_dev(topic: int) -> bool:
    """ECB+ development topics are the odd-numbered ones; the even-numbered are held out."""
    return topic % 2 == 1


@dataclass(frozen=True)
class Doc:
    article: Article
    gold: str  # subtopic (ECB+) or story (UCI)
    topic: int = 0


def load_ecbplus(root: Path | None = None) -> list[Doc]:
    """ECB+ documents in corpus order (``docs_manifest.tsv``), gold = subtopic."""
    base = root or require_data("ecbplus")
    out = []
    with open(base / "docs_manifest.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            raw = json.loads((base / "docs" / row["subtopic"] / f"{row['doc_id']}.json").read_text(encoding="utf-8"))
            title, body = (raw.get("title") or "").strip(), (raw.get("text") or "").strip()
            article = Article.create(id=row["doc_id"], outlet="ecbplus", text=body or title, title=title or None)
            out.append(Doc(article, row["subtopic"], int(row["topic"])))
    return out


def load_uci(root: Path | None = None) -> list[Doc]:
    """UCI headlines in timestamp order (the file's order), gold = the aggregator's story; the
    last row, cut short in the sample, is dropped."""
    base = root or require_data("uci-news-aggregator-sample")
    with open(base / "uci-news-aggregator.first6366rows.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:-1]
    out = []
    for r in rows:
        when = datetime.fromtimestamp(int(r["TIMESTAMP"]) / 1000, tz=UTC)
        article = Article.create(id=f"uci-{r['ID']}", outlet=r["PUBLISHER"], text=r["TITLE"], title=r["TITLE"],
                                 url=r["URL"], published=when)
        out.append(Doc(article, r["STORY"]))
    out.sort(key=lambda d: d.article.published or datetime.min.replace(tzinfo=UTC))  # stable: file order on ties
    return out


# --- scoring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    bc: PRF
    ari: float
    clusters: int

    @classmethod
    def of(cls, predicted: Sequence[Any], gold: Sequence[str]) -> Score:
        return cls(bcubed(predicted, gold), adjusted_rand(predicted, gold), len(set(predicted)))


def streamed(items: Sequence[ClusterItem], order: Sequence[int], settings: dict[str, Any]) -> list[str]:
    """Story ids in ``items``' order, the items assigned in ``order``."""
    clusterer = StoryClusterer(**settings)
    labels = [""] * len(items)
    for k in order:
        labels[k] = clusterer.assign(items[k])
    return labels


def shuffled(n: int, seed: int) -> list[int]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return order


def ours_streamed(items: Sequence[ClusterItem], gold: Sequence[str], settings: dict[str, Any],
                  seeds: Sequence[int] = SEEDS) -> list[Score]:
    return [Score.of(streamed(items, shuffled(len(items), s), settings), gold) for s in seeds]


def tune_ours(items: Sequence[ClusterItem], gold: Sequence[str]) -> tuple[dict[str, Any], float]:
    """The grid point with the best mean streamed BCubed F1 (ties: the first in grid order)."""
    best: tuple[dict[str, Any], float] | None = None
    for w in GRID_WEIGHT:
        for t in GRID_THRESHOLD:
            settings = {"embedding_weight": w, "threshold": t}
            f1 = statistics.mean(s.bc.f1 for s in ours_streamed(items, gold, settings))
            if best is None or f1 > best[1] + 1e-12:
                best = (settings, f1)
    assert best is not None
    return best


def agglomerative(sim: np.ndarray) -> Callable[[float], np.ndarray]:
    """Average-linkage clustering of a cosine-similarity matrix, cut at a similarity threshold."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    return lambda t: fcluster(tree, 1.0 - t, criterion="distance")


def best_cut(cut: Callable[[float], np.ndarray], gold: Sequence[str]) -> tuple[float, Score]:
    best: tuple[float, Score] | None = None
    for t in PEER_THRESHOLDS:
        sc = Score.of(list(cut(t)), gold)
        if best is None or sc.bc.f1 > best[1].bc.f1:
            best = (t, sc)
    assert best is not None
    return best


def tfidf_sim(docs: Sequence[Doc]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{d.article.title or ''} {d.article.text}" for d in docs]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    return np.asarray((x @ x.T).toarray())


def vector_sim(items: Sequence[ClusterItem]) -> np.ndarray:
    v = np.stack([it.vector for it in items])
    return np.asarray(v @ v.T, dtype=np.float64)


# --- output ------------------------------------------------------------------------------------


def _row(name: str, sc: Score, note: str = "") -> str:
    b = sc.bc
    return (f"| {name} | {b.precision:.3f} | {b.recall:.3f} | **{b.f1:.3f}** | {sc.ari:.3f} | {sc.clusters} | "
            f"{note} |")


def _mean_row(name: str, scores: Sequence[Score], note: str = "") -> str:
    p = statistics.mean(s.bc.precision for s in scores)
    r = statistics.mean(s.bc.recall for s in scores)
    f = statistics.mean(s.bc.f1 for s in scores)
    a = statistics.mean(s.ari for s in scores)
    c = statistics.mean(s.clusters for s in scores)
    worst = min(scores, key=lambda s: s.bc.f1)
    return (f"| {name} | {p:.3f} | {r:.3f} | **{f:.3f}** (worst {worst.bc.f1:.3f}) | {a:.3f} (worst "
            f"{min(s.ari for s in scores):.3f}) | {c:.0f} | {note} |")


HEADER = "| system | BCubed P | BCubed R | BCubed F1 | ARI | clusters | setting |\n|---|---:|---:|---:|---:|---:|---|"


def run_ecb() -> dict[str, Any]:
    docs = load_ecbplus()
    t0 = time.perf_counter()
    items = features([d.article for d in docs])
    feat_s = time.perf_counter() - t0
    split = {"development": [k for k, d in enumerate(docs) if is_dev(d.topic)],
             "held out": [k for k, d in enumerate(docs) if not is_dev(d.topic)]}
    dev = split["development"]
    dev_items, dev_gold = [items[k] for k in dev], [docs[k].gold for k in dev]
    settings, _ = tune_ours(dev_items, dev_gold)
    tf_t, _ = best_cut(agglomerative(tfidf_sim([docs[k] for k in dev])), dev_gold)
    lm_t, _ = best_cut(agglomerative(vector_sim(dev_items)), dev_gold)
    print(f"## ECB+ subtopics ({len(docs)} documents; features {feat_s:.0f} s)\n")
    print(f"Tuned on development: newsprism embedding_weight={settings['embedding_weight']}, "
          f"threshold={settings['threshold']} (shipped defaults: {DEFAULTS['embedding_weight']}, "
          f"{DEFAULTS['threshold']}); TF-IDF peer cut at {tf_t}, MiniLM peer at {lm_t}.\n")
    out: dict[str, Any] = {"settings": settings, "tfidf_t": tf_t, "minilm_t": lm_t}
    for name, idx in split.items():
        its, gold, ds = [items[k] for k in idx], [docs[k].gold for k in idx], [docs[k] for k in idx]
        topics = len({d.topic for d in ds})
        print(f"### {name} ({'odd' if name == 'development' else 'even'} topics: {topics} topics, "
              f"{len(set(gold))} subtopics, {len(idx)} documents)\n")
        print(HEADER)
        ours = ours_streamed(its, gold, settings)
        print(_mean_row(f"newsprism, streamed ({len(ours)} shuffles)", ours, "dev-tuned"))
        doc_order = Score.of(streamed(its, range(len(its)), settings), gold)
        print(_row("newsprism, document order", doc_order, "dev-tuned"))
        tf_cut, lm_cut = agglomerative(tfidf_sim(ds)), agglomerative(vector_sim(its))
        tf = Score.of(list(tf_cut(tf_t)), gold)
        lm = Score.of(list(lm_cut(lm_t)), gold)
        print(_row("TF-IDF + average linkage (batch)", tf, f"t={tf_t} (dev)"))
        print(_row("MiniLM + average linkage (batch)", lm, f"t={lm_t} (dev)"))
        if name != "development":
            for label, cut in (("TF-IDF", tf_cut), ("MiniLM", lm_cut)):
                t, sc = best_cut(cut, gold)
                print(_row(f"{label} at its best held-out threshold (oracle)", sc, f"t={t} (tuned on this split)"))
        print()
        out[name] = {"ours": ours, "doc_order": doc_order, "tfidf": tf, "minilm": lm}
    return out


def run_uci(settings: dict[str, Any]) -> None:
    docs = load_uci()
    gold = [d.gold for d in docs]
    t0 = time.perf_counter()
    items = features([d.article for d in docs])
    feat_s = time.perf_counter() - t0
    print(f"## UCI headline stream ({len(docs)} headlines, {len(set(gold))} stories; timestamp order; "
          f"features {len(docs) / feat_s:.0f} headlines/s)\n")
    print(HEADER)
    ours = Score.of(streamed(items, range(len(items)), settings), gold)
    print(_row("newsprism, streamed in timestamp order", ours, "ECB+ dev-tuned"))
    shuffled_scores = ours_streamed(items, gold, settings, SEEDS[:5])
    print(_mean_row("newsprism, shuffled (5 seeds)", shuffled_scores, "ECB+ dev-tuned"))
    best_t, best = None, None
    for t in UCI_THRESHOLDS:
        sc = Score.of(streamed(items, range(len(items)), {**settings, "threshold": t}), gold)
        if best is None or sc.bc.f1 > best.bc.f1:
            best_t, best = t, sc
    assert best is not None
    print(_row("newsprism at its best UCI threshold (oracle), timestamp order", best,
               f"threshold={best_t} (oracle: best on UCI)"))
    for label, sim in (("TF-IDF", tfidf_sim(docs)), ("MiniLM", vector_sim(items))):
        t, sc = best_cut(agglomerative(sim), gold)
        print(_row(f"{label} + average linkage (batch)", sc, f"t={t} (oracle: best on UCI)"))
    print()


def _rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_speed(n_stream: int) -> None:
    docs = load_uci()
    arts = [d.article for d in docs]
    t0, c0 = time.perf_counter(), time.process_time()
    items = features(arts)
    feat_rate, feat_cpu = len(items) / (time.perf_counter() - t0), len(items) / (time.process_time() - c0)
    print("## Speed and memory\n")
    print(f"Load average when this part started: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"(the machine is shared; per CPU-second rates are steadier than wall-clock ones).\n")
    print(f"- features (MiniLM of the headline + entities), {len(items)} UCI headlines: "
          f"**{feat_rate:.0f} articles/s** wall clock, {feat_cpu:.0f} per CPU-second")
    clusterer = StoryClusterer()
    step = max(1, n_stream // 10)
    marks: list[str] = []
    t0, c0 = time.perf_counter(), time.process_time()
    for k in range(n_stream):
        cycle, base = divmod(k, len(items))
        src = items[base]
        when = (src.published or datetime(2014, 3, 10, tzinfo=UTC)) + timedelta(days=4 * cycle)
        clusterer.assign(ClusterItem(f"{src.article_id}-{cycle}", src.vector, src.entities, when))
        if (k + 1) % step == 0:
            marks.append(f"{(k + 1) // 1000}k: {_rss_mib():.0f} MiB, {len(clusterer)} live")
    cl_s, cl_cpu = time.perf_counter() - t0, time.process_time() - c0
    state = json.dumps(clusterer.state_dict(), separators=(",", ":"))
    print(f"- clusterer alone, {n_stream:,} items (UCI vectors cycled, +4 days a cycle): "
          f"**{n_stream / cl_s:,.0f} items/s** wall clock, {n_stream / cl_cpu:,.0f} per CPU-second; resident "
          f"memory (whole process) {'; '.join(marks)}; state JSON {len(state) / 2**20:.1f} MiB")
    try:
        from newsprism.stream.ingest import ingest_articles
        from newsprism.stream.store import Store
    except ImportError as exc:  # the [stream] extra (rensa) missing
        print(f"- ingest → dedup → cluster: skipped ({exc})")
        return
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite3")
        t0, c0 = time.perf_counter(), time.process_time()
        summary = ingest_articles(store, arts, clusterer=StoryClusterer())
        s, cpu = time.perf_counter() - t0, time.process_time() - c0
        store.close()
    print(f"- ingest → dedup → cluster (`stream.ingest_articles`, SQLite store in a temporary folder), "
          f"{len(arts)} UCI headlines: **{len(arts) / s:.0f} articles/s** wall clock, {len(arts) / cpu:.0f} per "
          f"CPU-second ({summary.line()})")


def run_leads(spec: str) -> None:
    """The lead comparison (``--leads``, see the module docs)."""
    docs = load_ecbplus()
    arts = [d.article for d in docs]
    features(arts[:8])  # the model loads outside the timing
    dev = [k for k, d in enumerate(docs) if is_dev(d.topic)]
    held = [k for k, d in enumerate(docs) if not is_dev(d.topic)]
    print(f"## Lead length (ECB+, {len(docs)} documents; load average {os.getloadavg()[0]:.1f})\n")
    print("| lead | features per CPU-second | dev BCubed F1 (tuned) | setting | held-out BCubed F1 / ARI |\n"
          "|---|---:|---:|---|---:|")
    for part in spec.split(","):
        part = part.strip()
        kw: dict[str, Any] = ({"lead_chars": int(part[1:]), "lead_pieces": None} if part.startswith("c")
                              else {"lead_pieces": int(part)})
        c0 = time.process_time()
        items = features(arts, **kw)
        rate = len(items) / (time.process_time() - c0)
        settings, dev_f1 = tune_ours([items[k] for k in dev], [docs[k].gold for k in dev])
        scores = ours_streamed([items[k] for k in held], [docs[k].gold for k in held], settings)
        label = f"{part[1:]} characters" if part.startswith("c") else f"{part} word pieces"
        print(f"| {label} | {rate:.0f} | {dev_f1:.3f} | w={settings['embedding_weight']}, "
              f"t={settings['threshold']} | {statistics.mean(s.bc.f1 for s in scores):.3f} / "
              f"{statistics.mean(s.ari for s in scores):.3f} |", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--stream", type=int, default=100_000, help="items in the clusterer-only stream")
    ap.add_argument("--skip-uci", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--embedder", help="the embedder of the leads (default: the clusterer's, "
                    "newsprism.stream.cluster.EMBEDDER)")
    ap.add_argument("--leads", help="only compare lead lengths: word pieces (32) or characters (c300), by commas")
    args = ap.parse_args(argv)
    require_data("ecbplus", exit_on_missing=True)
    if args.embedder:
        cluster_mod.EMBEDDER = args.embedder
    if args.leads:
        run_leads(args.leads)
        return
    print(f"# Story clustering — {date.today()} — {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}\n")
    flags = "".join(f" {f}" for f, on in (("--skip-uci", args.skip_uci), ("--skip-speed", args.skip_speed),
                                          (f"--embedder {args.embedder}", args.embedder)) if on)
    print(f"Command: `.venv/bin/python bench/bench_cluster.py --stream {args.stream}{flags}`  ")
    print(f"Data: {DATA}/ecbplus, {DATA}/uci-news-aggregator-sample\n")
    ecb = run_ecb()
    if not args.skip_uci and (DATA / "uci-news-aggregator-sample").is_dir():
        run_uci(ecb["settings"])
    if not args.skip_speed and (DATA / "uci-news-aggregator-sample").is_dir():
        run_speed(args.stream)


if __name__ == "__main__":
    main()
