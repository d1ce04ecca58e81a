"""Check a claim-support gold file: format, labels, references and sentence hashes.

    python bench/gold/check_support.py bench/gold/claim_support/*.jsonl

Prints one line per file (sentences, claims, labels by kind) and every problem found; exits 1 on any.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasets import BenchStory, sentence_sha1, stories

LABELS = {"states", "partial", "contradicts", "no"}
KINDS = {"claim", "non-claim"}


def check_file(path: Path, by_id: dict[str, BenchStory]) -> list[str]:
    """Every problem in one file, as messages naming the line."""
    problems: list[str] = []
    seen: set[tuple[str, int]] = set()
    counts: Counter[str] = Counter()
    story: BenchStory | None = None
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{where}: not JSON ({e})")
            continue
        story = by_id.get(row.get("story", ""))
        if story is None:
            problems.append(f"{where}: unknown story {row.get('story')!r}")
            continue
        try:
            article = story.article(row["article"])
            text = article.sentence(row["sentence"])
        except (KeyError, IndexError, TypeError) as e:
            problems.append(f"{where}: bad reference ({e})")
            continue
        if sentence_sha1(text) != row.get("sha1"):
            problems.append(f"{where}: sha1 {row.get('sha1')} does not match the sentence ({sentence_sha1(text)})")
        key = (row["article"], row["sentence"])
        if key in seen:
            problems.append(f"{where}: sentence labelled twice")
        seen.add(key)
        if row.get("kind") not in KINDS:
            problems.append(f"{where}: kind must be one of {sorted(KINDS)}")
            continue
        counts[row["kind"]] += 1
        support = row.get("support", {})
        if row["kind"] == "non-claim":
            if support:
                problems.append(f"{where}: a non-claim has no support labels")
            continue
        others = {a.id: a for a in story.articles if a.id != row["article"]}
        if set(support) != set(others):
            problems.append(f"{where}: support must label exactly the other articles {sorted(others)}")
        for other_id, cell in support.items():
            label = cell.get("label")
            if label not in LABELS:
                problems.append(f"{where}: {other_id}: label {label!r} not in {sorted(LABELS)}")
                continue
            counts[label] += 1
            evidence = cell.get("evidence", [])
            if (label == "no") != (not evidence):
                problems.append(f"{where}: {other_id}: evidence is required for {label!r} and only then")
            other = others.get(other_id)
            if other and any(not isinstance(i, int) or not 0 <= i < len(other.sentences) for i in evidence):
                problems.append(f"{where}: {other_id}: evidence index out of range")
    if story is not None:
        missing = [(a.id, i) for a in story.articles for i in range(len(a.sentences)) if (a.id, i) not in seen]
        if missing:
            problems.append(f"{path.name}: {len(missing)} sentences unlabelled, first {missing[:3]}")
    print(f"{path.name}: {len(seen)} sentences; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return problems


def main() -> None:
    by_id = {s.id: s for d in ("basil", "newswcl50") for s in stories(d)}
    problems = [p for arg in sys.argv[1:] for p in check_file(Path(arg), by_id)]
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
