"""Framing benchmark: loaded-language spans on BASIL, article ranking, NewsWCL50 labels, the demo
story and the seed story. Prints Markdown tables.

    .venv/bin/python bench/bench_framing.py [--only basil,newswcl50,demo,seeds]

BASIL span matching: a predicted span and a gold lexical-bias span match when their character
ranges overlap (share at least one character, so in practice one token). Precision = predicted
spans that match some gold span / predicted spans; recall = gold spans matched by some prediction /
gold spans. Gold = BASIL phrases with ``bias == "lex"``; the main row keeps those the annotators
marked as outside quotes (``quote == "no"``), since newsprism reads only the outlet's own words;
the second row counts every lexical span.

Ranking: within each BASIL triple, the three articles are ordered by our subjectivity score and by
the annotators' lexical-bias density (lex spans per 100 words, all spans); Kendall tau-b per triple,
averaged, and pairwise accuracy over pairs whose gold densities differ.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: `bench.` imports

from bench.datasets import DATA, basil_stories, data_available, newswcl50_stories
from bench.framing_data import basil_lexical_gold, newswcl50_mentions
from bench.metrics import PRF, prf
from newsprism.analysis.framing.labels import actor_labels
from newsprism.analysis.framing.loaded import find_loaded, plain_lexicon_matches
from newsprism.analysis.framing.opinion import unattributed_opinions
from newsprism.analysis.framing.profile import analyze_framing_full, subjectivity_score
from newsprism.model import Story
from newsprism.nlp.spacy_pipeline import parse
from newsprism.text.quoted import QuotedRegions, quoted_regions

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "brenmoor-dam"
SEEDS = ROOT.parent / "shared" / "seeds"


def _header(name: str) -> None:
    print(f"\n## {name}\n")


def span_prf(pred: list[tuple[str, int, int]], gold: list[tuple[str, int, int]]) -> PRF:
    """P/R/F1 of predicted ``(article, start, end)`` spans against gold spans, a match being any
    character overlap (many-to-many: precision counts predictions that overlap some gold span,
    recall gold spans that some prediction overlaps)."""
    by_art: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for a, s, e in gold:
        by_art[a].append((s, e))
    pred_by: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for a, s, e in pred:
        pred_by[a].append((s, e))
    tp_p = sum(any(s < ge and gs < e for gs, ge in by_art[a]) for a, s, e in pred)
    tp_g = sum(any(s < pe and ps < e for ps, pe in pred_by[a]) for a, s, e in gold)
    return prf(tp_p, len(pred), len(gold), gold_found=tp_g)


def kendall_tau_b(x: list[float], y: list[float]) -> float | None:
    """Kendall's tau-b (ties in either ranking handled); None when either side is constant."""
    conc = disc = tx = ty = 0
    n = len(x)
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                tx += 1
            elif dy == 0:
                ty += 1
            elif (dx > 0) == (dy > 0):
                conc += 1
            else:
                disc += 1
    denom = ((conc + disc + tx) * (conc + disc + ty)) ** 0.5
    return (conc - disc) / denom if denom else None


def _own_words(text: str, quoted: QuotedRegions) -> int:
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'’\-]*", text)
    inside = sum(len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’\-]*", text[s:e])) for s, e in quoted.regions)
    return max(1, len(words) - inside)


def bench_basil() -> None:
    stories = basil_stories()
    gold, _stance, unresolved = basil_lexical_gold(stories)
    arts = [a for s in stories for a in s.articles if a.id in gold]
    t0 = time.perf_counter()
    docs = list(parse([a.text for a in arts]))
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours: list[tuple[str, int, int]] = []
    plain_all: list[tuple[str, int, int]] = []
    plain_cur: list[tuple[str, int, int]] = []
    score: dict[str, float] = {}
    plain_rate: dict[str, float] = {}
    for a, doc in zip(arts, docs, strict=True):
        quoted = QuotedRegions(quoted_regions(a.text))
        hits = find_loaded(a.text, doc, quoted=quoted)
        ours += [(a.id, h.start, h.end) for h in hits]
        sents = [(s, e) for s, e in a.sentences if e > s]
        ops = unattributed_opinions(a.text, doc, sents, loaded=hits, quoted=quoted)
        own = _own_words(a.text, quoted)
        intens = sum(1 for h in hits if h.category == "intensifier")
        score[a.id] = subjectivity_score(100 * sum(h.weight for h in hits) / own, len(ops) / max(1, len(sents)),
                                         100 * intens / own, 0.0)[0]
        base = plain_lexicon_matches(a.text, doc)
        plain_all += [(a.id, h.start, h.end) for h in base]
        plain_rate[a.id] = len(base) / max(1, len(a.text.split()))
        plain_cur += [(a.id, h.start, h.end) for h in plain_lexicon_matches(a.text, doc, sentiment=False)]
    t_run = time.perf_counter() - t0
    g_own = [(g.article, g.start, g.end) for a in arts for g in gold[a.id] if not g.quote]
    g_all = [(g.article, g.start, g.end) for a in arts for g in gold[a.id]]
    print(f"{len(arts)} articles in {len(stories)} triples; {len(g_all)} lexical-bias spans "
          f"({len(g_own)} outside quotes; {unresolved} could not be placed in the text). "
          f"Parse {t_parse:.1f} s, framing {t_run:.1f} s.\n")
    print("| system | gold | predicted | precision | recall | F1 |")
    print("|---|---|---:|---:|---:|---:|")
    for name, pred in (("newsprism loaded spans (context rules)", ours),
                       ("plain lexicon match: every shipped entry used (curated + VADER/Pattern at the same "
                        "thresholds)", plain_all),
                       ("plain lexicon match: curated lists only", plain_cur)):
        for gname, g in (("lex, outside quotes", g_own), ("lex, all", g_all)):
            m = span_prf(pred, g)
            print(f"| {name} | {gname} | {m.predicted} | {m.precision:.3f} | {m.recall:.3f} | {m.f1:.3f} |")
    # ranking within triples
    taus, taus_plain, pairs_ok, pairs_ok_plain, pairs = [], [], 0, 0, 0
    for s in stories:
        members = [a for a in s.articles if a.id in gold]
        if len(members) < 2:
            continue
        density = [100 * len(gold[a.id]) / max(1, len(a.text.split())) for a in members]
        ours_s = [score[a.id] for a in members]
        plain_s = [plain_rate[a.id] for a in members]
        t = kendall_tau_b(ours_s, density)
        tp = kendall_tau_b(plain_s, density)
        if t is not None:
            taus.append(t)
        if tp is not None:
            taus_plain.append(tp)
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                if density[i] == density[j]:
                    continue
                pairs += 1
                pairs_ok += (ours_s[i] - ours_s[j]) * (density[i] - density[j]) > 0
                pairs_ok_plain += (plain_s[i] - plain_s[j]) * (density[i] - density[j]) > 0
    print("\nRanking the articles of each triple against the annotators' lexical-bias density "
          "(lex spans per 100 words):\n")
    print("| system | triples | mean Kendall tau-b | pairwise accuracy |")
    print("|---|---:|---:|---:|")
    print(f"| newsprism subjectivity (loaded + unattributed + intensifiers) | {len(taus)} | "
          f"{sum(taus) / max(1, len(taus)):.3f} | {pairs_ok / max(1, pairs):.3f} ({pairs_ok}/{pairs}) |")
    print(f"| plain lexicon matches per word | {len(taus_plain)} | "
          f"{sum(taus_plain) / max(1, len(taus_plain)):.3f} | {pairs_ok_plain / max(1, pairs):.3f} "
          f"({pairs_ok_plain}/{pairs}) |")


def _nw(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower().replace("``", " ").replace("''", " ")).split())


def _matches(wording: str, mention: str) -> bool:
    w, m = _nw(wording), _nw(mention)
    if not w or not m:
        return False
    return w == m or f" {w} " in f" {m} " or f" {m} " in f" {w} "


def bench_newswcl50(embedder: object) -> None:
    stories = newswcl50_stories()
    mentions = newswcl50_mentions()
    actor_types = {"ACTOR", "ACTOR-I", "GROUP", "COUNTRY"}
    coded: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # code -> doc -> mentions
    for m in mentions:
        if m.code.split("|")[1] in actor_types:
            coded[m.code][m.article].add(m.text)
    multi = {c for c, docs in coded.items() if len(docs) >= 2}
    found_codes: set[str] = set()
    pure = impure = unmatched = 0
    clusters = 0
    wording_hits = wording_total = 0
    t0 = time.perf_counter()
    for s in stories:
        texts = {a.id: a.text for a in s.articles}
        docs = dict(zip(texts, parse(list(texts.values())), strict=True))
        table = actor_labels(texts, docs, embedder=embedder)
        event = s.id.rsplit("-", 1)[1]
        for actor in table:
            clusters += 1
            codes_per_item: list[set[str]] = []
            docs_per_code: dict[str, set[str]] = defaultdict(set)
            for aid, wordings in actor.by_article().items():
                for w, _n, _l in wordings:
                    wording_total += 1
                    hit = {c for c in multi if c.startswith(f"{event}|")
                           for m in coded[c].get(aid, ()) if _matches(w, m)}
                    if hit:
                        wording_hits += 1
                    codes_per_item.append(hit)
                    for c in hit:
                        docs_per_code[c].add(aid)
            matched = [h for h in codes_per_item if h]
            if not matched:
                unmatched += 1
                continue
            top = Counter(c for h in matched for c in h).most_common(1)[0]
            if top[1] >= 0.5 * len(matched):
                pure += 1
            else:
                impure += 1
            found_codes |= {c for c, d in docs_per_code.items() if len(d) >= 2}
    elapsed = time.perf_counter() - t0
    print(f"{len(stories)} events x 5 outlets; coded actor groups (ACTOR, ACTOR-I, GROUP, COUNTRY) named by 2+ "
          f"outlets: {len(multi)}. Labels table built in {elapsed:.1f} s (parse included).\n")
    print("| measure | value |")
    print("|---|---:|")
    print(f"| actors in our labels tables (2+ articles, 2+ wordings) | {clusters} |")
    print(f"| coded groups recovered (one of our actors carries wordings coded to the group from 2+ outlets) | "
          f"{len(found_codes)}/{len(multi)} ({len(found_codes) / max(1, len(multi)):.1%}) |")
    print(f"| our actors whose matched wordings mostly (>= 50%) belong to one coded group | "
          f"{pure}/{pure + impure} ({pure / max(1, pure + impure):.1%}) |")
    print(f"| our actors with no wording matching any coded mention | {unmatched}/{clusters} |")
    print(f"| our wordings matching a coded mention of the same outlet | {wording_hits}/{wording_total} "
          f"({wording_hits / max(1, wording_total):.1%}) |")


def _annotated(paths: list[str]) -> tuple[Story, object]:
    from newsprism.analysis.claims import analyze_claims
    from newsprism.ingest import load_many
    from newsprism.nlp.annotate import annotate
    from newsprism.pipeline import make_story

    story = make_story(load_many(paths).articles)
    story = Story(id=story.id, articles=story.articles, title=story.title, annotations=annotate(story.articles))
    return story, analyze_claims(story)


def bench_demo() -> None:
    import json

    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    story, claims = _annotated([str(DEMO / "articles")])
    t0 = time.perf_counter()
    rows = {r.article: r for r in analyze_framing_full(story, claims).rows}
    elapsed = time.perf_counter() - t0
    print(f"Framing of the six demo articles: {elapsed:.2f} s.\n")
    print("| article | planted loaded phrases found | spans flagged | subjectivity | rank | components |")
    print("|---|---:|---:|---:|---:|---|")
    planted = {item["article"]: item["phrases"] for item in truth["loaded_language"]}
    for aid in truth["neutral_ranking"]:
        r = rows[aid]
        text = story.article(aid).text
        phrases = planted.get(aid, [])
        found = 0
        for ph in phrases:
            s = text.find(ph)
            found += any(x.span.start < s + len(ph) and s < x.span.end for x in r.loaded)
        cell = f"{found}/{len(phrases)}" if phrases else "— (neutral)"
        print(f"| `{aid}` | {cell} | {len(r.loaded)} | {r.subjectivity:.3f} | {r.rank} | {r.components.explain()} |")
    ours = [rows[a].subjectivity for a in truth["neutral_ranking"]]
    gold_pos = list(range(len(ours)))
    tied = [0, 0, 0, 3, 4, 5]  # TRUTH.md: the first three are all neutral, their order is loose
    print(f"\nKendall tau-b against `neutral_ranking`: {kendall_tau_b(ours, gold_pos):.3f} (strict order); "
          f"{kendall_tau_b(ours, tied):.3f} (the three neutral articles tied, as TRUTH.md says).")


def bench_seeds() -> None:
    story, claims = _annotated([str(SEEDS)])
    rows = analyze_framing_full(story, claims).rows
    print("| article | subjectivity | rank | loaded spans | unattributed opinions (last third of the text) | "
          "voices |")
    print("|---|---:|---:|---:|---|---|")
    for r in sorted(rows, key=lambda r: r.rank):
        text = story.article(r.article).text
        late = sum(1 for o in r.unattributed if o.span.start >= 2 * len(text) / 3)
        voices = ", ".join(f"{role} {share:.0%}" for role, share in r.voice_shares)
        print(f"| `{r.article}` | {r.subjectivity:.3f} | {r.rank} | {len(r.loaded)} | {len(r.unattributed)} ({late}) "
              f"| {voices} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="basil,newswcl50,demo,seeds")
    parser.add_argument("--no-embedder", action="store_true", help="labels by head noun only")
    args = parser.parse_args()
    only = set(args.only.split(","))
    print("# Framing benchmark\n")
    print(f"- command: `.venv/bin/python bench/bench_framing.py --only {args.only}`")
    print(f"- data: {DATA}")
    print(f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"- date: {dt.date.today().isoformat()}")
    embedder = None
    if not args.no_embedder:
        from newsprism.nlp.embeddings import get_embedder

        embedder = get_embedder()
    if "basil" in only:
        _header("BASIL: loaded-language spans vs lexical-bias annotations")
        if data_available("basil"):
            bench_basil()
        else:
            print("skipped: BASIL not found")
    if "newswcl50" in only:
        _header("NewsWCL50 events 0–4: the labels table vs coded actor mentions")
        if data_available("newswcl50"):
            bench_newswcl50(embedder)
        else:
            print("skipped: NewsWCL50 not found")
    if "demo" in only:
        _header("Demo story (examples/brenmoor-dam)")
        bench_demo()
    if "seeds" in only:
        _header("Seed story (../shared/seeds)")
        if SEEDS.is_dir():
            bench_seeds()
        else:
            print("skipped: seeds not found")


if __name__ == "__main__":
    main()
