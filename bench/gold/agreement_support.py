"""Agreement between the first and the second reader of the claim-support gold, on the sampled sentences.

    python bench/gold/agreement_support.py

Cells are (sentence, other article) pairs of the sentences the second reader labelled. Prints raw
agreement and Cohen's kappa on the four labels, on states-vs-rest (what a ● claims), and a confusion table.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

GOLD = Path(__file__).resolve().parent


def cells(folder: str) -> dict[tuple[str, int, str], str]:
    out = {}
    for path in sorted((GOLD / folder).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row["kind"] == "non-claim":
                    continue
                for other, cell in row["support"].items():
                    out[(row["article"], row["sentence"], other)] = cell["label"]
    return out


def kappa(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / n / n
    return observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def main() -> None:
    first, second = cells("claim_support"), cells("claim_support_second")
    pairs = [(first[k], second[k]) for k in second if k in first]
    print(f"{len(pairs)} cells labelled by both readers")
    agree, k = kappa(pairs)
    print(f"four labels:     agreement {agree:.3f}, kappa {k:.3f}")
    binary = [(a == "states", b == "states") for a, b in pairs]
    agree, k = kappa([(str(a), str(b)) for a, b in binary])
    print(f"states vs rest:  agreement {agree:.3f}, kappa {k:.3f}")
    labels = ["states", "partial", "contradicts", "no"]
    print("first \\ second " + " ".join(f"{lab:>11}" for lab in labels))
    table = Counter(pairs)
    for a in labels:
        print(f"{a:>14} " + " ".join(f"{table[(a, b)]:>11}" for b in labels))


if __name__ == "__main__":
    main()
