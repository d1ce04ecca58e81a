"""How long a whole story analysis takes, stage by stage, against its floor, and how that grows.

    .venv/bin/python bench/bench_speed.py [--sizes 5,25,50,100,200] [--repeats 3] [--kinds distinct,wire]
    .venv/bin/python bench/bench_speed.py --floor [--sizes 100]     the two models alone, with compute bounds

Each run is ``newsprism.pipeline.analyze_story`` as ``newsprism analyze`` runs it, models loaded and
warm, then the report rendered (HTML, Markdown, JSON). Its stages come from the report's own
``timings``; provenance, computed inside the claims stage, is timed apart by wrapping
``article_provenance``. The **floor** is the annotate stage of the same run: spaCy and the sentence
model over every sentence, the work any analysis must do once. Every figure is a ratio to that floor
measured in the same run (the median over ``--repeats`` runs), so a machine shared with other work
moves the absolute times much more than the ratios. Peak memory is the process's peak resident set
(``ru_maxrss``) after each size, models included; sizes run smallest first, so it is the peak so far:
measure a large size in a process of its own (``--sizes 200`` alone). Below each table, where
``/proc/self/statm`` exists (Linux), the resident set sampled every 10 ms gives each stage's own
peak at the largest size (``render`` is ``render_html``, then Markdown, then JSON), so the stage
that sets the peak is named.

Stories (all from real article bodies in ``../shared/data``, never copied into the repository):

* ``distinct``: BASIL bodies of 150+ words in a fixed order (mixing events changes what is found,
  not the work done).
* ``wire``: most articles light edits of a few texts, as when many outlets run one wire story:
  every article is one of ``--wire-texts`` BASIL bodies with a dateline and a credit line of its
  own, a sentence dropped, a word or two changed; one in five is an exact copy.

``--floor`` times spaCy (``nlp.pipe``) and the sentence model alone over the same sentences and
sets each beside its compute bound on this machine: FLOPs per sentence (from the model's shapes and
the mean word pieces / tokens per sentence) against the float32 peak, measured as numpy's BLAS
reaches it on large products (``--peak-gops`` gives one instead). Both models multiply in float32.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import newsprism.analysis.claims as claims_pkg  # noqa: E402
import newsprism.pipeline as pipeline  # noqa: E402
from bench.datasets import basil_stories, require_data  # noqa: E402
from newsprism.model import Article  # noqa: E402
from newsprism.nlp.embeddings import EMBEDDERS, Embedder, TokenEmbedder, get_embedder  # noqa: E402
from newsprism.pipeline import analyze_story, make_story  # noqa: E402
from newsprism.report.html import render_html  # noqa: E402
from newsprism.report.markdown import render_markdown  # noqa: E402

#: the stages of one run, in order, as the report's ``timings`` name them (provenance split out)
STAGES = ("claims", "provenance", "quotes", "contradictions", "framing", "brief", "report", "render")


def _pool() -> list[Any]:
    return [a for s in basil_stories() for a in s.articles if len(a.text.split()) >= 150]


def distinct_articles(n: int) -> list[Article]:
    """The first ``n`` BASIL bodies of 150+ words, as articles of one story."""
    pool = _pool()
    if n > len(pool):
        raise SystemExit(f"only {len(pool)} BASIL articles available")
    return [Article.create(id=f"{k:03d}-{a.id}", outlet=a.outlet, text=a.text) for k, a in enumerate(pool[:n])]


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
_CITIES = ("WASHINGTON", "NEW YORK", "CHICAGO", "LONDON", "ATLANTA", "DENVER", "BOSTON", "MIAMI")
_SWAPS = (("said", "stated"), ("on Monday", "Monday"), ("about", "around"), ("but", "however"),
          ("also", "as well"), ("people", "residents"), ("percent", "per cent"))


def wire_articles(n: int, texts: int = 5, seed: int = 17) -> list[Article]:
    """``n`` articles, each a light edit (or, one in five, an exact copy) of one of ``texts`` bodies."""
    pool = _pool()[:texts]
    rng = random.Random(seed)
    out = []
    for k in range(n):
        src = pool[k % len(pool)]
        if k % 5 == 4:
            body = src.text  # an exact copy
        else:
            paras = [p for p in src.text.split("\n\n") if p.strip()]
            sents = [_SENTENCE.split(p) for p in paras]
            flat = [(i, j) for i, ss in enumerate(sents) for j in range(len(ss))]
            if len(flat) > 4:  # drop one sentence, not the first
                i, j = flat[rng.randrange(1, len(flat))]
                del sents[i][j]
            text = "\n\n".join(" ".join(ss) for ss in sents if ss)
            for old, new in rng.sample(_SWAPS, 2):
                text = text.replace(f" {old} ", f" {new} ", 1)
            credit = f"Reporting by Staff Writer {k}; editing by Desk {k % 7}."
            body = f"{rng.choice(_CITIES)} (Outlet {k}) — {text}\n\n{credit}"
        out.append(Article.create(id=f"{k:03d}-wire", outlet=f"Outlet {k}", text=body))
    return out


KINDS: dict[str, Callable[[int], list[Article]]] = {"distinct": distinct_articles, "wire": wire_articles}


class _ProvenanceClock:
    """Times ``article_provenance`` inside ``analyze_claims`` (it is part of the claims stage)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._orig = claims_pkg.article_provenance

    def __enter__(self) -> _ProvenanceClock:
        def timed(*args: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return self._orig(*args, **kw)
            finally:
                self.seconds += time.perf_counter() - t

        claims_pkg.article_provenance = timed
        return self

    def __exit__(self, *exc: object) -> None:
        claims_pkg.article_provenance = self._orig


class StagePeaks:
    """The peak resident set (MB) of each stage of the runs inside it, sampled every ``interval``
    seconds from ``/proc/self/statm`` by a thread; the stage is the one ``analyze_story``'s clock
    last entered, or one named with :meth:`stage`. A sample cannot be taken while a long C call
    holds the GIL (one join of a 400 MB page), so when a stage ends the process's peak
    (``ru_maxrss``) counts for it too if it rose meanwhile: the stage that sets the peak is exact.
    Where there is no ``/proc`` it records nothing.

    >>> with StagePeaks(interval=0.001) as peaks:
    ...     with pipeline.StageClock()("claims"):  # as analyze_story times its stages
    ...         time.sleep(0.05)
    >>> "claims" in peaks.peaks or rss_mb() is None
    True
    """

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.peaks: dict[str, float] = {}
        self._stage = "models"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._clock_call = pipeline.StageClock.__call__
        self._maxrss = peak_mb()

    def __enter__(self) -> StagePeaks:
        if rss_mb() is not None:
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        clock_call, peaks = self._clock_call, self

        @contextlib.contextmanager
        def labelled(clock: pipeline.StageClock, stage: str) -> Iterator[None]:
            with peaks.stage(stage), clock_call(clock, stage):
                yield

        pipeline.StageClock.__call__ = labelled  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        pipeline.StageClock.__call__ = self._clock_call  # type: ignore[method-assign]
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._stage = name
        try:
            yield
        finally:
            if self._thread is not None and peak_mb() > self._maxrss:  # the process's peak rose in it
                self._maxrss = peak_mb()
                self.peaks[name] = max(self.peaks.get(name, 0.0), self._maxrss)

    def _sample(self) -> None:
        while not self._stop.is_set():
            mb = rss_mb()
            if mb is not None and mb > self.peaks.get(self._stage, 0.0):
                self.peaks[self._stage] = mb
            self._stop.wait(self.interval)


def rss_mb() -> float | None:
    """This process's resident set now, in MB (None where ``/proc/self/statm`` does not exist)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


def time_story(arts: list[Article], embedder: Embedder, peaks: StagePeaks | None = None) -> dict[str, float]:
    """One whole run: seconds per stage, the floor (annotate) and the whole, and the sentence count."""
    with _ProvenanceClock() as prov:
        story, report = analyze_story(make_story(arts, story_id="bench"), embedder=embedder)
    t = time.perf_counter()
    with peaks.stage("render") if peaks is not None else contextlib.nullcontext():
        render_html(report)
        render_markdown(report)
        report.to_json()
    render = time.perf_counter() - t
    timings = dict(report.timings)
    row = {
        "floor": timings["annotate"],
        "claims": timings["claims"] - prov.seconds,
        "provenance": prov.seconds,
        **{k: timings[k] for k in ("quotes", "contradictions", "framing", "brief", "report")},
        "render": render,
        "sentences": float(sum(len(a.sentences) for a in story.annotations)),
    }
    row["whole"] = row["floor"] + sum(row[k] for k in STAGES)
    return row


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def cpu_name() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        name = next((ln.split(":", 1)[1].strip() for ln in out.splitlines() if ln.startswith("Model name")), "")
    except OSError:
        name = ""
    return f"{name or platform.processor() or platform.machine()}, {os.cpu_count()} cores"


def run_sizes(kind: str, sizes: Sequence[int], repeats: int, embedder: Embedder) -> list[tuple[int, dict[str, float]]]:
    print(f"\n## {kind} stories\n")
    print("| articles | sentences | floor s | " + " | ".join(f"{s} ×" for s in STAGES)
          + " | **whole ×** | whole s | after annotate s | peak MB |")
    print("|---:|---:|---:|" + "---:|" * len(STAGES) + "---:|---:|---:|---:|")
    rows = []
    last: dict[str, float] = {}
    for n in sizes:
        arts = KINDS[kind](n)
        with StagePeaks() as peaks:
            runs = [time_story(arts, embedder, peaks) for _ in range(repeats)]
        last = peaks.peaks
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        # ratios per run, then the median: each run is its own baseline
        ratio = {k: statistics.median(r[k] / r["floor"] for r in runs) for k in (*STAGES, "whole")}
        rows.append((n, {**med, "whole_ratio": ratio["whole"]}))
        print(f"| {n} | {int(med['sentences'])} | {med['floor']:.2f} | "
              + " | ".join(f"{ratio[s]:.3f}" for s in STAGES)
              + f" | **{ratio['whole']:.2f}** | {med['whole']:.2f} | {med['whole'] - med['floor']:.2f} "
              f"| {peak_mb():.0f} |", flush=True)
    if last:
        top = max(last, key=lambda k: last[k])
        print(f"\npeak resident MB by stage at {sizes[-1]} articles (sampled): "
              + ", ".join(f"{k} {v:.0f}" for k, v in last.items()) + f"; the peak is in {top}")
    if len(rows) >= 2:
        (n0, r0), (n1, r1) = rows[0], rows[-1]
        grow = math.log(n1 / n0)
        after0, after1 = r0["whole"] - r0["floor"], r1["whole"] - r1["floor"]
        print(f"\ngrowth exponent between {n0} and {n1} articles (1.0 = linear, 2.0 = quadratic): "
              f"whole {math.log(r1['whole'] / r0['whole']) / grow:.2f}, floor "
              f"{math.log(r1['floor'] / r0['floor']) / grow:.2f}, after annotate "
              f"{math.log(max(after1, 1e-9) / max(after0, 1e-9)) / grow:.2f}; "
              f"whole / floor {r0['whole_ratio']:.2f} → {r1['whole_ratio']:.2f}")
    return rows


# ----------------------------------------------------------------------------- floor and bounds

#: all-MiniLM-L6-v2: 6 layers, hidden 384, feed-forward 1536
_MINILM = {"layers": 6, "hidden": 384, "ffn": 1536}


def minilm_flops(pieces: float) -> float:
    """Multiply-adds x 2 of one sentence of ``pieces`` word pieces through MiniLM-L6 (projections,
    feed-forward and attention; embeddings and layer norms are noise).

    >>> round(minilm_flops(32) / 1e6)
    689
    """
    h, f, n = _MINILM["hidden"], _MINILM["ffn"], pieces
    per_layer = 2 * n * (4 * h * h + 2 * h * f) + 2 * 2 * n * n * h
    return float(_MINILM["layers"] * per_layer)


def spacy_flops(tokens: float) -> float:
    """A rough count for en_core_web_sm per sentence of ``tokens`` tokens: the tok2vec CNN (4 maxout
    layers, width 96, window 1, 3 pieces) for the tagger/parser and again for NER, and the parser's
    and NER's hidden layer (64 units x 2 pieces over ~13 token features of width 64/96) for about
    two transitions per token each.

    >>> round(spacy_flops(25) / 1e6, 1)
    65.1
    """
    cnn = 2 * 4 * (3 * 96) * (96 * 3)  # per token, per tok2vec
    transitions = 2 * (13 * 96) * (64 * 2) * 2  # per token, per transition system
    return float(tokens * (2 * cnn + 2 * transitions))


def measured_peak_gflops(size: int = 2048, repeats: int = 5) -> float:
    """This machine's float32 peak as numpy's BLAS reaches it: the best of ``repeats`` square
    ``size`` products on every core (a large product runs within a few percent of the FMA units'
    peak, so it stands in for the peak without knowing the clock or the vector width)."""
    a = np.random.default_rng(0).random((size, size), dtype=np.float32)
    a @ a
    best = min(_timed(lambda: a @ a) for _ in range(repeats))
    return 2 * size**3 / best / 1e9


def _timed(f: Callable[[], Any]) -> float:
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def floor_bounds(n: int, embedder_name: str, peak_gops: float | None) -> None:
    from newsprism.nlp.annotate import sentences_of
    from newsprism.nlp.embeddings import _onnx_tokenizer
    from newsprism.nlp.spacy_pipeline import load, parse

    arts = distinct_articles(n)
    texts = [a.text[s.start:s.end] for a in arts for s in sentences_of(a)]
    emb = get_embedder(embedder_name)
    nlp = load()
    pieces = statistics.fmean(len(e.ids) for e in _onnx_tokenizer().encode_batch(texts))
    tokens = statistics.fmean(len(d) for d in nlp.pipe(texts[:300]))
    emb.embed(texts[:32])  # the session is built on first use: not part of the rate
    t = time.perf_counter()
    docs = list(parse([a.text for a in arts]))
    spacy_s = time.perf_counter() - t
    t = time.perf_counter()
    if isinstance(emb, TokenEmbedder):  # as annotate runs it: word pieces from the same pass
        emb.embed_with_tokens(texts)
    else:
        emb.embed(texts)
    embed_s = time.perf_counter() - t
    cores = os.cpu_count() or 1
    peak = peak_gops or measured_peak_gflops()
    print(f"\n## Floor: the two models alone, {n} articles, {len(texts)} sentences ({len(docs)} docs)\n")
    print(f"float32 peak: {peak:.0f} GFLOP/s on {cores} cores ("
          + ("given" if peak_gops else "measured: numpy's BLAS, 2048 x 2048 products") + "). Both models "
          "multiply in float32: the MiniLM package stores int8 weights, turned back into float32 at load.\n")
    print("| model | sentences/s | per sentence | FLOPs per sentence | bound sentences/s | measured / bound |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, secs, flops, unit, bound_peak in (
            ("spaCy en_core_web_sm", spacy_s, spacy_flops(tokens), f"{tokens:.1f} tokens", peak),
            (embedder_name, embed_s, minilm_flops(pieces + 2), f"{pieces + 2:.1f} pieces", peak)):
        rate = len(texts) / secs
        bound = bound_peak * 1e9 / flops
        print(f"| {name} | {rate:.0f} | {unit} | {flops / 1e6:.0f} M | {bound:.0f} | {bound / rate:.2f}× slower |")
    both = len(texts) / (spacy_s + embed_s)
    print(f"\nfloor: {both:.0f} sentences/s (spaCy {spacy_s:.2f} s + sentence model {embed_s:.2f} s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="5,25,50,100,200")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--kinds", default="distinct,wire", help="story kinds: distinct, wire (default: both)")
    ap.add_argument("--embedder", default="minilm-onnx", choices=sorted(EMBEDDERS),
                    help="sentence model (default: %(default)s; mpnet-torch needs `make mpnet`)")
    ap.add_argument("--floor", action="store_true", help="time the two models alone against their compute bounds")
    ap.add_argument("--peak-gops", type=float, default=None,
                    help="the float32 peak in GFLOP/s, all cores (default: measured)")
    args = ap.parse_args()
    require_data("basil", exit_on_missing=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise SystemExit(f"unknown story kind(s) {unknown}; known: {', '.join(KINDS)}")
    embedder = get_embedder(args.embedder)
    print(f"# Story analysis time — {date.today()} — {cpu_name()}, median of {args.repeats}, "
          f"embedder {args.embedder}")
    if args.floor:
        floor_bounds(sizes[-1], args.embedder, args.peak_gops)
        return
    time_story(distinct_articles(3), embedder)  # load and warm the models
    print("\nStage columns: seconds as a ratio to the floor (the annotate stage of the same run). "
          "claims excludes provenance; render = HTML + Markdown + JSON.")
    for kind in kinds:
        run_sizes(kind, sizes, args.repeats, embedder)


if __name__ == "__main__":
    main()
