"""Pick the candidate sentence pairs for the claim-alignment gold set, reproducibly; merge hand labels.

Step 1 (sampling)::

    python bench/gold/sample_claim_pairs.py --out /tmp/claim_candidates.jsonl

chooses BASIL triples (spread over the years) and NewsWCL50 events with a fixed seed, scores every
cross-article sentence pair of a story by TF-IDF cosine (fitted on that story's sentences) and samples
pairs stratified by similarity rank (``STRATA``): many from the top strata, where true matches live, fewer
from the medium strata (same topic, mostly different facts: the hard negatives) and a few from the rest. The
score only selects pairs; it never decides a label and is not written to the gold file. The candidate
file holds the sentence texts (and neighbours, for context) for the labeller, so it must stay OUTSIDE the
repository: the datasets' text may not be committed.

Step 2 (after labelling by reading)::

    python bench/gold/sample_claim_pairs.py --candidates /tmp/claim_candidates.jsonl \\
        --labels /tmp/claim_labels.tsv --write-gold bench/gold/claim_pairs.jsonl

``claim_labels.tsv`` has one line per candidate: ``<candidate id> <TAB> same|different [<TAB> unsure]``.
The gold file stores references only (article id, sentence index, sha1 prefix of the sentence text).

A later batch, from stories the gold file does not hold yet (the defaults above stay byte-for-byte
the batch-1 sample). Batch 2 was two such runs, ``--stories 6 --seed 20261124`` on the 492 batch-1
lines, then ``--stories 2 --seed 20261125`` on the first 700 lines (see ``claim_pairs.md``)::

    head -n 492 bench/gold/claim_pairs.jsonl > /tmp/gold_b1.jsonl
    python bench/gold/sample_claim_pairs.py --exclude-gold /tmp/gold_b1.jsonl --stories 6 \\
        --seed 20261124 --out /tmp/claim_candidates_b2.jsonl
    python bench/gold/sample_claim_pairs.py --candidates /tmp/claim_candidates_b2.jsonl \\
        --labels /tmp/claim_labels_b2.tsv --append-gold bench/gold/claim_pairs.jsonl --batch 2

``--exclude-gold`` takes every NewsWCL50 event not yet in the gold file first, then fills ``--stories``
with BASIL triples (same eligibility as batch 1) spread over the years: one per year, years in random
order, round after round. Quotas and strata are those of batch 1. ``--append-gold`` appends the new
lines (with ``"batch": N``) and never rewrites the existing ones.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.datasets import (
    BenchStory,
    basil_stories,
    newswcl50_stories,
    require_data,
    sentence_sha1,
)

SEED = 20261123
BASIL_PER_YEAR = {2010: 2, 2011: 2, 2012: 2, 2013: 1, 2014: 1, 2015: 1, 2016: 1}  # 10 triples
NEWSWCL_EVENTS = 4
PAIRS_PER_BASIL_STORY = 34
PAIRS_PER_NEWSWCL_STORY = 38
# Similarity strata by rank within the story (the share of the story's cross-article pairs, most similar
# first) and the share of the story's quota drawn from each. Absolute cosines differ a lot between stories
# (short BASIL triples vs five long NewsWCL50 articles), ranks do not. Quota unused in a stratum moves on
# to the next one.
STRATA: tuple[tuple[float, float], ...] = (
    (0.015, 0.40),  # top 1.5 %: most true matches
    (0.05, 0.22),  # next: paraphrases and partial overlaps
    (0.15, 0.16),  # medium: same topic and actors, mostly different facts (hard negatives)
    (0.40, 0.12),
    (1.00, 0.10),  # the rest: easy negatives
)
MIN_WORDS, MAX_WORDS = 6, 90
MAX_USES_PER_SENTENCE = 3


@dataclass(frozen=True)
class Candidate:
    dataset: str
    story: str
    a: tuple[str, int]
    b: tuple[str, int]
    score: float


def _usable(text: str) -> bool:
    words = text.split()
    return MIN_WORDS <= len(words) <= MAX_WORDS and "\n" not in text


def pick_basil(stories: Sequence[BenchStory], rng: random.Random) -> list[BenchStory]:
    by_year = _eligible_basil_by_year(stories)
    chosen: list[BenchStory] = []
    for year, count in sorted(BASIL_PER_YEAR.items()):
        pool = sorted(by_year.get(year, []), key=lambda s: s.id)
        chosen.extend(rng.sample(pool, min(count, len(pool))))
    return chosen


def pick_newswcl(stories: Sequence[BenchStory], rng: random.Random) -> list[BenchStory]:
    pool = sorted(stories, key=lambda s: s.id)
    return sorted(rng.sample(pool, min(NEWSWCL_EVENTS, len(pool))), key=lambda s: s.id)


def score_pairs(dataset: str, story: BenchStory) -> list[Candidate]:
    """Every cross-article pair of usable sentences with its TF-IDF cosine (fitted on the story)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    refs: list[tuple[str, int]] = []
    texts: list[str] = []
    for article in story.articles:
        for index in range(len(article.sentences)):
            text = article.sentence(index)
            if _usable(text):
                refs.append((article.id, index))
                texts.append(text)
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    sims = (matrix @ matrix.T).toarray()
    pairs: list[Candidate] = []
    for i in range(len(refs)):
        for j in range(i + 1, len(refs)):
            if refs[i][0] != refs[j][0]:
                pairs.append(Candidate(dataset, story.id, refs[i], refs[j], float(sims[i, j])))
    return pairs


def stratified_sample(pairs: list[Candidate], quota: int, rng: random.Random) -> list[Candidate]:
    ranked = sorted(pairs, key=lambda p: (-p.score, p.a, p.b))
    uses: Counter[tuple[str, int]] = Counter()
    chosen: list[Candidate] = []
    carry = 0
    begin = 0
    for k, (upto, share) in enumerate(STRATA):
        end = round(len(ranked) * upto)
        want = round(quota * share) + carry if k < len(STRATA) - 1 else quota - len(chosen)
        stratum = ranked[begin:end]
        rng.shuffle(stratum)
        taken = 0
        for pair in stratum:
            if taken >= want:
                break
            if uses[pair.a] >= MAX_USES_PER_SENTENCE or uses[pair.b] >= MAX_USES_PER_SENTENCE:
                continue
            chosen.append(pair)
            uses[pair.a] += 1
            uses[pair.b] += 1
            taken += 1
        carry = want - taken
        begin = end
    return chosen


def _eligible_basil_by_year(stories: Sequence[BenchStory]) -> dict[int, list[BenchStory]]:
    by_year: dict[int, list[BenchStory]] = defaultdict(list)
    for story in stories:
        published = [a.published for a in story.articles if a.published]
        full = len(story.articles) == 3 and all(len(a.sentences) >= 10 for a in story.articles)
        if published and full:
            by_year[int(min(published)[:4])].append(story)
    return by_year


def gold_stories(path: Path) -> set[str]:
    return {json.loads(line)["story"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def pick_new(exclude: set[str], count: int, rng: random.Random) -> list[tuple[str, BenchStory]]:
    """A later batch: unused NewsWCL50 events first, then BASIL triples one per year, round-robin."""
    chosen: list[tuple[str, BenchStory]] = []
    for story in sorted(newswcl50_stories(), key=lambda s: s.id):
        if story.id not in exclude and len(chosen) < count:
            chosen.append(("newswcl50", story))
    pools = {
        year: sorted((s for s in pool if s.id not in exclude), key=lambda s: s.id)
        for year, pool in _eligible_basil_by_year(basil_stories()).items()
    }
    basil: list[BenchStory] = []
    while len(chosen) + len(basil) < count and any(pools.values()):
        years = sorted(y for y, pool in pools.items() if pool)
        rng.shuffle(years)
        for year in years:
            if len(chosen) + len(basil) >= count:
                break
            pick = rng.choice(pools[year])
            pools[year].remove(pick)
            basil.append(pick)
    return [("basil", s) for s in basil] + chosen


def sample(
    seed: int = SEED, exclude: set[str] | None = None, count: int | None = None
) -> list[tuple[BenchStory, Candidate]]:
    rng = random.Random(seed)
    if exclude is None:
        chosen_stories = [("basil", s) for s in pick_basil(basil_stories(), rng)]
        chosen_stories += [("newswcl50", s) for s in pick_newswcl(newswcl50_stories(), rng)]
    else:
        chosen_stories = pick_new(exclude, count or 8, rng)
    out: list[tuple[BenchStory, Candidate]] = []
    for dataset, story in chosen_stories:
        quota = PAIRS_PER_BASIL_STORY if dataset == "basil" else PAIRS_PER_NEWSWCL_STORY
        picked = stratified_sample(score_pairs(dataset, story), quota, rng)
        rng.shuffle(picked)  # the labeller sees a story's pairs in random order, not by score
        out.extend((story, c) for c in picked)
    return out


def _side(story: BenchStory, ref: tuple[str, int], context: bool) -> dict[str, object]:
    article = story.article(ref[0])
    text = article.sentence(ref[1])
    side: dict[str, object] = {"article": ref[0], "sentence": ref[1], "sha1": sentence_sha1(text)}
    if context:
        side["outlet"] = article.outlet
        side["text"] = text
        side["prev"] = article.sentence(ref[1] - 1) if ref[1] > 0 else ""
        side["next"] = article.sentence(ref[1] + 1) if ref[1] + 1 < len(article.sentences) else ""
    return side


def write_candidates(path: Path, sampled: Iterable[tuple[BenchStory, Candidate]]) -> int:
    repo = Path(__file__).resolve().parents[2]
    if path.resolve().is_relative_to(repo):
        raise SystemExit(f"refusing to write article text inside the repository: {path}")
    n = 0
    with path.open("w", encoding="utf-8") as handle:
        for n, (story, cand) in enumerate(sampled, start=1):
            record = {
                "id": f"c{n:04d}",
                "dataset": cand.dataset,
                "story": story.id,
                "story_title": story.title,
                "a": _side(story, cand.a, context=True),
                "b": _side(story, cand.b, context=True),
                "tfidf": round(cand.score, 3),  # scratch only: never copied into the gold file
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return n


def write_gold(
    candidates: Path, labels: Path, out: Path, append: bool = False, batch: int | None = None
) -> Counter[str]:
    decided: dict[str, tuple[str, bool]] = {}
    for line in labels.read_text(encoding="utf-8").splitlines():
        fields = [f.strip() for f in line.split("\t")]
        if not fields[0] or fields[0].startswith("#"):
            continue
        if fields[1] not in {"same", "different"}:
            raise SystemExit(f"bad label line: {line!r}")
        decided[fields[0]] = (fields[1], len(fields) > 2 and fields[2] == "unsure")
    counts: Counter[str] = Counter()
    rows: list[str] = []
    for line in candidates.read_text(encoding="utf-8").splitlines():
        cand = json.loads(line)
        if cand["id"] not in decided:
            raise SystemExit(f"candidate {cand['id']} has no label")
        label, unsure = decided.pop(cand["id"])
        gold = {
            "dataset": cand["dataset"],
            "story": cand["story"],
            "a": {k: cand["a"][k] for k in ("article", "sentence", "sha1")},
            "b": {k: cand["b"][k] for k in ("article", "sentence", "sha1")},
            "label": label,
            "unsure": unsure,
        }
        if batch is not None:
            gold["batch"] = batch
        rows.append(json.dumps(gold, ensure_ascii=False))
        counts[label] += 1
    if decided:
        raise SystemExit(f"labels for unknown candidates: {sorted(decided)[:5]}")
    if append:
        old = out.read_text(encoding="utf-8") if out.exists() else ""
        if old and not old.endswith("\n"):
            raise SystemExit(f"{out} does not end with a newline; refusing to append")
        taken = {
            (r["story"], r["a"]["article"], r["a"]["sentence"], r["b"]["article"], r["b"]["sentence"])
            for r in map(json.loads, old.splitlines())
        }
        for row in map(json.loads, rows):
            key = (row["story"], row["a"]["article"], row["a"]["sentence"], row["b"]["article"], row["b"]["sentence"])
            if key in taken:
                raise SystemExit(f"pair already in {out}: {key}")
        with out.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(rows) + "\n")
    else:
        out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, help="candidate file to write (outside the repository)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--candidates", type=Path, help="candidate file written by --out")
    parser.add_argument("--labels", type=Path, help="TSV: candidate id, same|different[, unsure]")
    parser.add_argument("--write-gold", type=Path, help="gold JSONL to write from candidates + labels")
    parser.add_argument("--append-gold", type=Path, help="gold JSONL to append candidates + labels to")
    parser.add_argument("--batch", type=int, help="batch number stored on each appended line")
    parser.add_argument("--exclude-gold", type=Path, help="sample a new batch from stories not in this gold")
    parser.add_argument("--stories", type=int, default=8, help="stories in a new batch (with --exclude-gold)")
    args = parser.parse_args(argv)
    require_data(exit_on_missing=True)
    if args.write_gold or args.append_gold:
        if not (args.candidates and args.labels):
            parser.error("--write-gold/--append-gold need --candidates and --labels")
        target = args.append_gold or args.write_gold
        counts = write_gold(args.candidates, args.labels, target, bool(args.append_gold), args.batch)
        print(f"wrote {sum(counts.values())} pairs to {target}: {dict(counts)}")
        return 0
    if not args.out:
        parser.error("give --out (sampling) or --write-gold/--append-gold (merging labels)")
    exclude = gold_stories(args.exclude_gold) if args.exclude_gold else None
    sampled = sample(args.seed, exclude, args.stories)
    n = write_candidates(args.out, sampled)
    per_story = Counter(c.story for _, c in sampled)
    print(f"wrote {n} candidates from {len(per_story)} stories to {args.out}")
    for story, count in per_story.items():
        print(f"  {story}: {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
