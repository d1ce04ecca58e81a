"""Annotation throughput on real news text, and sentence-splitting accuracy on a hand-written set.

    .venv/bin/python bench/bench_annotate.py            # 60 BASIL articles, median of 3 runs
    .venv/bin/python bench/bench_annotate.py --limit 0  # all 210 articles

Speed uses BASIL article bodies from ``../shared/data/basil/articles/*/*.json`` (skipped, with a
message, where that folder is absent). Accuracy uses ``bench/gold/sentences.jsonl`` (fictional
paragraphs with their true sentences, written by the team). Prints Markdown. The machine may be
shared with other work: each row gives the min–max spread of its runs next to the median.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: `bench.` imports

from bench.metrics import prf
from newsprism.model import Article, paragraph_offsets
from newsprism.nlp.annotate import annotate
from newsprism.nlp.cores import cpu_count
from newsprism.nlp.embeddings import OnnxMiniLM
from newsprism.nlp.spacy_pipeline import MODEL_NAME, choose_processes, load, parse
from newsprism.text.sentences import pysbd_sentences, split_sentences

HERE = Path(__file__).resolve().parent
BASIL = HERE.parent.parent / "shared" / "data" / "basil" / "articles"
GOLD = HERE / "gold" / "sentences.jsonl"

Spans = list[tuple[int, int]]


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (spaCy's workers), all threads."""
    own = time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + kids.ru_utime + kids.ru_stime


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, str, float]:
    """Median wall time of ``runs`` calls, its min–max spread, and the median CPU seconds.

    The machine may be shared: wall time then varies, CPU time much less (it counts work done,
    not waiting), so both are reported.
    """
    times, cpu = [], []
    for _ in range(runs):
        c0, t0 = _cpu_seconds(), time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        cpu.append(_cpu_seconds() - c0)
    return statistics.median(times), f"{min(times):.2f}–{max(times):.2f}", statistics.median(cpu)


def row(stage: str, setting: str, timing: tuple[float, str, float], throughput: str) -> None:
    t, spread, cpu = timing
    print(f"| {stage} | {setting} | {t:.2f} | {spread} | {cpu:.2f} | {throughput} |")


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def load_basil(limit: int) -> list[Article]:
    files = sorted(BASIL.glob("*/*.json"))
    if limit:
        files = files[:limit]
    out = []
    for f in files:
        d = json.loads(f.read_text(encoding="utf-8"))
        paras = [" ".join(p) if isinstance(p, list) else str(p) for p in d["body-paragraphs"]]
        text = "\n\n".join(p.strip() for p in paras if p.strip())
        published = dt.datetime.fromisoformat(d["date"]) if d.get("date") else None
        out.append(Article.create(id=f.stem, outlet=d.get("source", "?"), text=text, published=published))
    return out


# --- splitters compared ------------------------------------------------------------------------


def _stripped(text: str, start: int, end: int) -> tuple[int, int] | None:
    piece = text[start:end]
    inner = piece.strip()
    if not inner:
        return None
    start += len(piece) - len(piece.lstrip())
    return start, start + len(inner)


def spacy_splitter(nlp: Any) -> Callable[[str], Spans]:
    """Sentences from a spaCy pipeline, per blank-line paragraph like ours (fair comparison)."""

    def split(text: str) -> Spans:
        out: Spans = []
        paras = paragraph_offsets(text)
        for (p_start, _p_end), doc in zip(paras, nlp.pipe(text[a:b] for a, b in paras), strict=True):
            for s in doc.sents:
                span = _stripped(text, p_start + s.start_char, p_start + s.end_char)
                if span:
                    out.append(span)
        return out

    return split


def ours(text: str) -> Spans:
    return [(a, b) for a, b, _ in split_sentences(text)]


def splitters() -> dict[str, Callable[[str], Spans]]:
    import spacy

    # the small model ships a (disabled) senter with its own tok2vec: load it alone
    others = ["tagger", "attribute_ruler", "lemmatizer", "ner"]
    senter = spacy.load(MODEL_NAME, exclude=[*others, "tok2vec", "parser"])
    senter.enable_pipe("senter")
    parser = spacy.load(MODEL_NAME, exclude=[*others, "senter"])
    return {
        "newsprism (pysbd + fix-ups)": ours,
        "pysbd 0.3.4 alone": pysbd_sentences,
        "spaCy senter (sm)": spacy_splitter(senter),
        "spaCy parser (sm)": spacy_splitter(parser),
    }


# --- accuracy ----------------------------------------------------------------------------------


def gold_items(which: str) -> list[tuple[str, Spans]]:
    """Paragraphs of the gold set: ``dev`` (the fix-ups were written against these) or ``heldout``."""
    items = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        if d.get("set", "dev") != which:
            continue
        spans: Spans = []
        pos = 0
        for s in d["sentences"]:
            i = d["text"].index(s, pos)
            spans.append((i, i + len(s)))
            pos = i + len(s)
        items.append((d["text"], spans))
    return items


def accuracy(split: Callable[[str], Spans], items: Sequence[tuple[str, Spans]]) -> tuple[float, float, float]:
    """(sentence precision, sentence recall, share of paragraphs split exactly right)."""
    tp = n_pred = n_gold = exact = 0
    for text, gold in items:
        pred = split(text)
        tp += len(set(pred) & set(gold))
        n_pred += len(pred)
        n_gold += len(gold)
        exact += pred == gold
    m = prf(tp, n_pred, n_gold)
    return m.precision, m.recall, exact / max(len(items), 1)


# --- main --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=60, help="BASIL articles to use (0: all)")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (median reported)")
    args = ap.parse_args(argv)

    print("# newsprism annotate benchmark\n")
    print(
        f"- date: {dt.date.today().isoformat()}; machine: {platform.machine()}, {cpu_count()} usable cores "
        f"({platform.processor() or platform.platform()}); Python {platform.python_version()}"
    )
    print(f"- load average at start (other work on the machine slows multi-threaded rows): {load_average()}")
    print(f"- median of {args.runs} runs; models: {MODEL_NAME} 3.8.0, all-MiniLM-L6-v2 int8 ONNX\n")

    split_fns = splitters()
    sets = {name: gold_items(name) for name in ("dev", "heldout")}
    sizes = ", ".join(f"{len(v)} {k}" for k, v in sets.items())
    print(f"## Sentence splitting accuracy (hand-written fictional paragraphs: {sizes})\n")
    print("Precision/recall of exact sentence spans; 'exact' = share of paragraphs split exactly right.")
    print("The fix-ups were written against `dev`; `heldout` was written afterwards and not tuned on.\n")
    print("| splitter | dev P | dev R | dev exact | heldout P | heldout R | heldout exact |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, fn in split_fns.items():
        cells = [f"{x:.3f}" for items in sets.values() for x in accuracy(fn, items)]
        print(f"| {name} | {' | '.join(cells)} |")
    print()

    if not BASIL.is_dir():
        print(f"(speed skipped: {BASIL} not found; it holds the BASIL articles from ../shared/data)")
        return 0
    articles = load_basil(args.limit)
    texts = [a.text for a in articles]
    chars = sum(len(t) for t in texts)
    n_sent = sum(len(ours(t)) for t in texts)
    print(f"## Speed on {len(articles)} BASIL articles ({chars:,} characters, {n_sent:,} sentences)\n")
    print("| stage | setting | median wall (s) | spread (s) | CPU (s) | throughput (wall) |")
    print("|---|---|---:|---:|---:|---:|")

    for name, fn in split_fns.items():
        fn(texts[0])  # warm up (pysbd rule tables, spaCy model)
        timing = median_time(lambda fn=fn: [fn(x) for x in texts], args.runs)  # type: ignore[misc]
        row("sentence split", name, timing, f"{n_sent / timing[0]:,.0f} sentences/s")

    nlp = load()
    list(nlp.pipe(texts[:2]))
    for n_process in (1, 2):
        timing = median_time(
            lambda n=n_process: list(nlp.pipe(texts, n_process=n, batch_size=8)),  # type: ignore[misc]
            args.runs,
        )
        row("spaCy full pipeline", f"n_process={n_process}", timing, f"{len(texts) / timing[0]:.1f} docs/s")
    timing = median_time(lambda: list(parse(texts)), args.runs)
    chosen = choose_processes(texts)
    row("spaCy via `parse()`", f"auto (n_process={chosen})", timing, f"{len(texts) / timing[0]:.1f} docs/s")

    sentences = [x[a:b] for x in texts for a, b in ours(x)]
    settings = [(t, b) for t in sorted({1, cpu_count()}) for b in (16, 32, 64)]
    for threads, batch in settings:
        emb = OnnxMiniLM(batch_size=batch, threads=threads)
        emb.embed(sentences[:8])
        timing = median_time(lambda e=emb: e.embed(sentences), args.runs)  # type: ignore[misc]
        label = f"{threads} thread(s), batch {batch}"
        row("embed (ONNX MiniLM)", label, timing, f"{len(sentences) / timing[0]:,.0f} sentences/s")

    annotate(articles[:2])
    timing = median_time(lambda: annotate(articles), args.runs)
    row("annotate() end to end", "defaults", timing, f"{len(articles) / timing[0]:.1f} docs/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
