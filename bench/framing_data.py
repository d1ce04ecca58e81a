"""Gold data for the framing benchmark: BASIL lexical-bias spans and NewsWCL50 coded mentions,
resolved to character offsets in the texts that ``bench/datasets.py`` builds.

BASIL's phrase annotations give ``start``/``end`` offsets inside one sentence of the article's
``body-paragraphs`` without saying which; a span is resolved to the sentence whose text has
``txt`` at exactly those offsets (first such sentence), else to the first occurrence of ``txt`` in
the article, else it is counted as unresolved. NewsWCL50 mentions are matched by wording (see ``newswcl50_mentions``).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.datasets import BenchStory, require_data


@dataclass(frozen=True)
class GoldSpan:
    article: str
    start: int
    end: int
    text: str
    quote: bool  # BASIL: the annotators marked the phrase as inside a quotation (the speaker's words)


def basil_lexical_gold(stories: list[BenchStory], root: Path | None = None) -> tuple[dict[str, list[GoldSpan]],
                                                                                     dict[str, str], int]:
    """Lexical-bias spans per article id, the relative stance per article id, and how many spans
    could not be placed."""
    root = root if root is not None else require_data("basil")
    article_of: dict[str, str] = {}
    for path in sorted((root / "articles").glob("*/*.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        article_of[str(rec["uuid"])] = f"{rec['triplet-uuid']}:{str(rec['source']).lower()}"
    by_id = {a.id: a for s in stories for a in s.articles}
    gold: dict[str, list[GoldSpan]] = defaultdict(list)
    stance: dict[str, str] = {}
    unresolved = 0
    for path in sorted((root / "annotations").glob("*/*_ann.json")):
        ann = json.loads(path.read_text(encoding="utf-8"))
        aid = article_of.get(str(ann["uuid"]))
        if aid is None or aid not in by_id:
            continue
        art = by_id[aid]
        stance[aid] = str(ann.get("article-level-annotations", {}).get("relative_stance", ""))
        gold.setdefault(aid, [])
        for p in ann.get("phrase-level-annotations", []):
            if p.get("bias") != "lex":
                continue
            txt, s, e = str(p["txt"]), int(p["start"]), int(p["end"])
            at = -1
            for (ss, se) in art.sentences:
                sent = art.text[ss:se]
                for shift in (0, -1, 1, -2, 2):
                    if sent[s + shift:e + shift] == txt and s + shift >= 0:
                        at = ss + s + shift
                        break
                if at >= 0:
                    break
            if at < 0:
                at = art.text.find(txt)
            if at < 0:
                unresolved += 1
                continue
            gold[aid].append(GoldSpan(aid, at, at + len(txt), txt, str(p.get("quote", "")).lower() == "yes"))
    return dict(gold), stance, unresolved


@dataclass(frozen=True)
class Mention:
    article: str  # NewsWCL50 doc_id, e.g. "0_LL"
    text: str  # the coded mention as the annotators wrote it
    code: str  # "<event>|<code_type>|<code_name>"


def newswcl50_mentions(root: Path | None = None) -> list[Mention]:
    """Every coded mention of events 0–4 with its code (matched to our output by wording: the
    token offsets in ``Annotations.csv`` follow the publishers' original tokenisation, which the
    ``conll.csv`` sentence split does not reproduce for every document)."""
    root = root if root is not None else require_data("newswcl50")
    lines = (root / "Annotations.csv").read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("sep="):
        lines = lines[1:]
    out: list[Mention] = []
    for row in csv.DictReader(lines):
        event = row["event_id"]
        if event in {"0", "1", "2", "3", "4"} and row["code_mention"].strip():
            out.append(Mention(f"{event}_{row['publisher_id']}", row["code_mention"].strip(),
                               f"{event}|{row['code_type']}|{row['code_name']}"))
    return out
