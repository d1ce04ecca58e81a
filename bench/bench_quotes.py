"""Quotes: direct quotes and their speakers on PolNeAR dev and BASIL, side by side with textacy.

    .venv/bin/python bench/bench_quotes.py [--limit N]

Peer: textacy 0.13 ``extract.triples.direct_quotations`` on the same spaCy docs (the pinned
``en_core_web_sm`` 3.8). Both systems run two ways: over the whole article (one Doc per article)
and paragraph by paragraph (one Doc per paragraph, no context across paragraphs). textacy gives
up on a Doc with an odd number of quote marks (it raises); that counts as no quotes there.

PolNeAR dev (``../shared/data/polnear/data/dev``, brat standoff; one annotator's file per article,
the first by name where several annotated it). Gold, defined here:

* a gold *direct-quote segment* is the text between a pair of double quote marks (“…” or "…")
  inside the Content span(s) of an attribution; a Content span that opens a quote and ends
  before it closes gives a segment up to its end. Whitespace and a trailing comma are trimmed.
  The segment's gold speaker is the attribution's Source span (none for Attribution-no-source);
* a predicted segment is one quoted part of a direct quote the system outputs (newsprism: each
  of ``QuoteMention.parts``; textacy: the content of each triple, marks trimmed);
* **overlap match**: a predicted and a gold segment match when they share at least half the
  characters of the longer of the two; pairs are matched one to one, largest overlap first.
  **exact match**: same boundaries once whitespace, quote marks and ``, . ; : ! ?`` are trimmed
  from both ends. P = matched / predicted, R = matched / gold, F1 their harmonic mean;
* **speaker accuracy** (over overlap-matched segments whose attribution has a Source): the
  predicted speaker mention (newsprism: ``speaker_start:speaker_end``; textacy: the speaker
  tokens) overlaps the gold Source span;
* **named speaker accuracy** (same pairs, where the gold speaker has a name): the predicted
  speaker is a *name* (newsprism: the resolved ``speaker``; textacy: its speaker tokens, which
  count only when they contain a capitalised non-pronoun word) whose surname equals the gold
  name's surname. The gold name is the name heading the Source span (:func:`_name_in`: cut at
  its first comma, bracket or preposition, "Secretary of State John F. Kerry" read whole; a
  possessive description such as "Obama's strategist" has none, "Clinton's campaign manager
  Robby Mook" has Mook's; "Police" or "Protesters" opening a sentence, written in lower case
  elsewhere in the article, are no names). For "he"/"she" it is the person the pronoun refers
  to, read by hand for every he/she Source of a direct quote in dev
  (``bench/gold/polnear_pronoun_sources.tsv``, character offsets only; 132 Sources, 16 of them
  not the nearest earlier named Source); elsewhere (other splits) the name of the nearest
  earlier gold Source that has one, within 1,500 characters. Sources with no name ("sources",
  "officials", "the spokesman", "my mother") are left out and counted;
* **indirect recall**: gold attributions whose content has no quote mark, found by an indirect
  mention of newsprism's (``direct=False``) overlapping at least half of the gold content.

BASIL (``../shared/data/basil``): the phrase-level annotations marked ``quote: yes`` with a named
speaker (not ``other_*``), located in the article text. A system *covers* a phrase when one of
its quotes (direct, or for newsprism also indirect) overlaps it; named speaker accuracy is over
covered phrases: correct when the surname of the predicted speaker is one of the words of the
gold speaker ("Donald_Trump", "Obama_campaign").

Demo story: the planted misquote (Q1 in the Calder Standard) must come out ``altered`` with a
diff, and the planted misattribution (Q3 in Valley Commons) ``misattributed``.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.datasets import DATA, require_data  # noqa: E402
from bench.metrics import prf  # noqa: E402
from newsprism.analysis.quotes.extract import extract_quotes  # noqa: E402
from newsprism.analysis.quotes.speakers import name_key  # noqa: E402
from newsprism.model import Annotation, Article  # noqa: E402
from newsprism.nlp.spacy_pipeline import load as load_spacy  # noqa: E402
from newsprism.text.words import TITLE_WORDS  # noqa: E402

DEMO = ROOT / "examples" / "brenmoor-dam"
_QUOTE_CHARS = "“”\""
_TRIM = " \t\n“”\"‘’',.;:!?"
_OPENERS = frozenset("""the a an his her their its only some many most other several all both one two three
    another every each no former my our your these those this that""".split())
_PRONOUNS = frozenset("he she i we they it him her them who you this that".split())
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr"})


# ------------------------------------------------------------------------------ PolNeAR


@dataclass
class GoldAttribution:
    id: str
    source: tuple[int, int] | None
    contents: list[tuple[int, int]]


@dataclass
class PolDoc:
    name: str
    text: str
    attributions: list[GoldAttribution]
    paragraphs: tuple[tuple[int, int], ...] = ()


def load_polnear(split: str = "dev") -> list[PolDoc]:
    root = require_data("polnear", exit_on_missing=True) / "data" / split
    docs = []
    seen: set[str] = set()
    for ann in sorted(glob.glob(str(root / "attributions" / "*.ann"))):
        base = re.sub(r"_[0-9a-f]{4}\.ann$", "", os.path.basename(ann))
        if base in seen:
            continue
        seen.add(base)
        text = (root / "text" / f"{base}.txt").read_text(encoding="utf-8")
        spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        events = []
        for line in Path(ann).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 2 or not re.fullmatch(r"[TE]\d+", parts[0]):
                continue  # the rest of a span's text that runs over a line break
            if parts[0].startswith("T"):
                label, _, offsets = parts[1].partition(" ")
                spans[parts[0]] = (label, [(int(a), int(b)) for a, b in (x.split() for x in offsets.split(";"))])
            elif parts[0].startswith("E"):
                events.append((parts[0], dict(x.split(":", 1) for x in parts[1].split())))
        atts = []
        for eid, roles in events:
            contents = [s for k, v in roles.items() if k.startswith("Content") for s in spans[v][1]]
            source = spans[roles["Source"]][1][0] if "Source" in roles else None
            if contents:
                atts.append(GoldAttribution(eid, source, sorted(contents)))
        paragraphs = tuple((m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip())
        docs.append(PolDoc(base, text, atts, paragraphs))
    return docs


@dataclass
class Seg:
    start: int
    end: int
    speaker: tuple[int, int] | None = None  # gold Source / predicted speaker mention
    name: str | None = None  # gold name key / predicted name key (None: not a name)
    attribution: str = ""


def _trim(text: str, s: int, e: int, chars: str = " \t\n,") -> tuple[int, int]:
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def gold_segments(doc: PolDoc) -> list[Seg]:
    out = []
    for att in doc.attributions:
        for cs, ce in att.contents:
            marks = [i for i in range(cs, ce) if doc.text[i] in _QUOTE_CHARS]
            k = 0
            while k < len(marks):
                o = marks[k]
                if doc.text[o] == "”" and k == 0:  # content starts inside a quote
                    s, e = _trim(doc.text, cs, o)
                    if re.search(r"\w", doc.text[s:e]):
                        out.append(Seg(s, e, att.source, None, att.id))
                    k += 1
                    continue
                c = marks[k + 1] if k + 1 < len(marks) else ce
                s, e = _trim(doc.text, o + 1, c)
                if re.search(r"\w", doc.text[s:e]):
                    out.append(Seg(s, e, att.source, None, att.id))
                k += 2
    return out


def gold_indirect(doc: PolDoc) -> list[tuple[int, int]]:
    return [(att.contents[0][0], att.contents[-1][1]) for att in doc.attributions
            if not any(doc.text[i] in _QUOTE_CHARS for s, e in att.contents for i in range(s, e))]


_CUT = re.compile(r",|\(|\s(?:who|which|that|of|at|for|from|in|with|by|on|and|or)\s|['’]s\s+[a-z]")
_CUT_NO_OF = re.compile(r",|\(|\s(?:who|which|that|at|for|from|in|with|by|on|and|or)\s|['’]s\s+[a-z]")
_PIECE = re.compile(r",\s*([^,()]+)")


def _name_in(text: str, doc_text: str = "") -> str | None:
    """The surname key of the name a speaker mention is headed by, or None when it holds no name:
    the mention is cut at its first comma, bracket, preposition or possessive ("Len Burman, head
    of the Tax Policy Center" -> "burman"); the last run of capitalised words that are not
    titles, pronouns or an opening determiner gives the name. Besides:

    * a title word counts as a title only before another capitalised word ("Mr. King" -> "king",
      "Dean, a medical doctor" -> "dean"; "The Senator" has none);
    * a head of title words runs on across "of" ("Secretary of State John F. Kerry" -> "kerry");
    * a possessive description takes the name written after it ("Clinton's campaign manager Robby
      Mook" -> "mook"; "Scott's niece, state Del. Marcia Price" -> "price"; "Obama's former
      strategist" and "Scott's family" have none);
    * a description with no name takes a name in apposition ("Another critic, Laurence H. Tribe");
    * with ``doc_text``, a lone capitalised word that the same article also writes in lower case
      is a common noun at the start of a sentence ("Police", "Demonstrators"), not a name."""
    m = _CUT.search(text)
    if m and m.group(0).startswith(("'", "’")):
        rest = text[m.start() + 2:].strip()
        if rest[:1].islower() and "," in rest:
            rest = rest.split(",", 1)[1]
        return _name_in(rest, doc_text) if re.search(r"\b[A-Z][a-z]", rest) else None
    if m and m.group(0).strip() == "of" and all(
            w.casefold().strip(".") in TITLE_WORDS and w[:1].isupper() for w in text[: m.start()].split()):
        m2 = _CUT_NO_OF.search(text, m.end())
        head = text[: m2.start()] if m2 else text
    else:
        head = text[: m.start()] if m else text
    words = re.findall(r"[\w.'’\-]+", head)
    runs: list[list[str]] = [[]]
    opener = False
    for k, w in enumerate(words):
        nxt = words[k + 1] if k + 1 < len(words) else ""
        # a title word is the name itself when nothing follows it and nothing but an honorific
        # precedes it ("Mr. King", "Dean, a medical doctor"); "Charlie King" keeps King anyway
        leading_title = not runs[-1] and w.casefold().strip(".") in TITLE_WORDS and not (
            not nxt and (k == 0 or words[k - 1].casefold().strip(".") in _HONORIFICS))
        is_opener = k == 0 and w.casefold() in _OPENERS
        opener = opener or is_opener
        ok = w[:1].isupper() and not leading_title and w.casefold() not in _PRONOUNS and not is_opener
        if ok:
            runs[-1].append(w)
        elif runs[-1]:
            # "The Republican nominee", "the Vermont senator": a capitalised modifier, not a name
            runs[-1] = [] if w[:1].islower() else runs[-1]
            runs.append([])
    runs = [r for r in runs if r]
    if not runs:
        if m and m.group(0) == ",":  # "Another critic, Laurence H. Tribe,"
            for p in _PIECE.finditer(text):
                if p.group(1).strip()[:1].isupper():
                    return _name_in(p.group(1), doc_text)
        return None
    run = runs[-1]
    first = words[1:2] if opener else words[:1]
    if (doc_text and not opener and len(runs) == 1 and len(run) == 1 and first == run
            and re.search(r"\b" + re.escape(run[0].casefold()) + r"\b", doc_text)):
        return None  # "Police said", "Demonstrators said": a common noun opening the sentence
    return name_key(" ".join(run))


GOLD_PRONOUNS = ROOT / "bench" / "gold" / "polnear_pronoun_sources.tsv"


def checked_pronouns(path: Path = GOLD_PRONOUNS) -> dict[tuple[str, int, int], tuple[int, int] | None]:
    """(doc, source start, source end) -> the character span of a mention of the person a he/she
    Source refers to (None: nobody named), read by hand; see bench/gold/README.md."""
    out: dict[tuple[str, int, int], tuple[int, int] | None] = {}
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith(("#", "doc\t")):
            continue
        doc, s, e, rs, re_, _status = line.split("\t")
        out[(doc, int(s), int(e))] = None if rs == "-" else (int(rs), int(re_))
    return out


def gold_names(docs: Sequence[PolDoc]) -> dict[tuple[str, int, int], str | None]:
    """(doc, source start, source end) -> gold surname key of every gold Source (None: no name).

    A Source that holds a name gives it (:func:`_name_in`). A "he"/"she" Source takes the person
    it refers to as checked by hand (``bench/gold/polnear_pronoun_sources.tsv``: every he/she
    Source of a direct quote in PolNeAR dev); one not in that file takes the name of the nearest
    earlier gold Source that holds one, within 1,500 characters (automatic, unchecked).
    Derived from the gold annotations and the hand check alone, never from system output."""
    checked = checked_pronouns()
    out: dict[tuple[str, int, int], str | None] = {}
    for d in docs:
        sources = sorted({a.source for a in d.attributions if a.source is not None})
        named = [(s, _name_in(d.text[s[0]:s[1]], d.text)) for s in sources]
        for s, key in named:
            out[(d.name, *s)] = key
            if d.text[s[0]:s[1]].strip().casefold() not in {"he", "she"}:
                continue
            if (d.name, *s) in checked:
                ref = checked[(d.name, *s)]
                out[(d.name, *s)] = _name_in(d.text[ref[0]:ref[1]]) if ref else None
                continue
            prev = [(t, k) for t, k in named if k and t[1] <= s[0] and s[0] - t[1] <= 1500]
            out[(d.name, *s)] = prev[-1][1] if prev else None
    return out


# ------------------------------------------------------------------------------ systems


def _docs_for(text: str, paragraphs: Sequence[tuple[int, int]], per_paragraph: bool,
              nlp: Any) -> list[tuple[int, Article, Any]]:
    """(offset, Article, spaCy Doc) per unit: the whole article, or each paragraph."""
    if not per_paragraph:
        art = Article.create(id="d", outlet="x", text=text, paragraphs=tuple(paragraphs))
        return [(0, art, nlp(text))]
    units = []
    for k, (s, e) in enumerate(paragraphs):
        sub = text[s:e]
        art = Article.create(id=f"p{k}", outlet="x", text=sub, paragraphs=((0, len(sub)),))
        units.append((s, art, None))
    docs = list(nlp.pipe([a.text for _, a, _ in units], batch_size=64))
    return [(off, a, d) for (off, a, _), d in zip(units, docs, strict=True)]


def newsprism_segments(units: list[tuple[int, Article, Any]]) -> tuple[list[Seg], list[tuple[int, int]]]:
    segs, indirect = [], []
    for off, art, doc in units:
        for m in extract_quotes(art, Annotation(art.id, (), (), (), doc=doc)):
            if not m.direct:
                indirect.append((off + m.start, off + m.end))
                continue
            sp = (off + m.speaker_start, off + m.speaker_end) if m.speaker_span else None
            key = name_key(m.speaker) if m.speaker else None
            for s, e in m.parts:
                s, e = _trim(art.text, s, e, _TRIM)
                if e > s:
                    segs.append(Seg(off + s, off + e, sp, key))
    return segs, indirect


def textacy_segments(units: list[tuple[int, Article, Any]]) -> list[Seg]:
    from textacy.extract.triples import direct_quotations

    segs = []
    for off, art, doc in units:
        try:
            triples = list(direct_quotations(doc))
        except ValueError:  # odd number of quote marks: textacy bails out
            continue
        for t in triples:
            s, e = _trim(art.text, t.content.start_char, t.content.end_char, _TRIM)
            sp_tokens = sorted(t.speaker, key=lambda x: x.i)
            sp = (off + sp_tokens[0].idx, off + sp_tokens[-1].idx + len(sp_tokens[-1].text)) if sp_tokens else None
            written = " ".join(x.text for x in sp_tokens)
            segs.append(Seg(off + s, off + e, sp, _name_in(written)))
    return segs


# ------------------------------------------------------------------------------ scoring


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(pred: Sequence[Seg], gold: Sequence[Seg]) -> list[tuple[Seg, Seg]]:
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            ov = _overlap((p.start, p.end), (g.start, g.end))
            if ov and ov >= 0.5 * max(p.end - p.start, g.end - g.start):
                cands.append((ov, i, j))
    used_p, used_g, out = set(), set(), []
    for _ov, i, j in sorted(cands, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((pred[i], gold[j]))
    return out


def _exact(text: str, p: Seg, g: Seg) -> bool:
    return _trim(text, p.start, p.end, _TRIM) == _trim(text, g.start, g.end, _TRIM)


@dataclass
class Score:
    pred: int = 0
    gold: int = 0
    matched: int = 0
    exact: int = 0
    with_source: int = 0
    speaker_ok: int = 0
    named_total: int = 0
    named_ok: int = 0
    unnamed_gold: int = 0
    indirect_gold: int = 0
    indirect_found: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def score_doc(sc: Score, doc: PolDoc, pred: list[Seg], gold: list[Seg], names: dict[tuple[str, int, int], str | None],
              indirect: list[tuple[int, int]] | None) -> None:
    sc.pred += len(pred)
    sc.gold += len(gold)
    pairs = match(pred, gold)
    sc.matched += len(pairs)
    sc.exact += sum(1 for p, g in pairs if _exact(doc.text, p, g))
    for p, g in pairs:
        if g.speaker is None:
            continue
        sc.with_source += 1
        if p.speaker is not None and _overlap(p.speaker, g.speaker) > 0:
            sc.speaker_ok += 1
        key = (doc.name, *g.speaker)
        gname = names[key] if key in names else _name_in(doc.text[g.speaker[0]:g.speaker[1]], doc.text)
        if gname is None:
            sc.unnamed_gold += 1
            continue
        sc.named_total += 1
        if p.name is not None and p.name == gname:
            sc.named_ok += 1
    if indirect is not None:
        for gs, ge in gold_indirect(doc):
            sc.indirect_gold += 1
            if any(_overlap((gs, ge), x) >= 0.5 * (ge - gs) for x in indirect):
                sc.indirect_found += 1


def run_polnear(docs: list[PolDoc], nlp: Any) -> dict[str, Score]:
    names = gold_names(docs)
    scores = {k: Score() for k in ("newsprism, whole article", "newsprism, per paragraph",
                                   "textacy, whole article", "textacy, per paragraph")}
    for doc in docs:
        gold = gold_segments(doc)
        for per_par in (False, True):
            units = _docs_for(doc.text, doc.paragraphs, per_par, nlp)
            mode = "per paragraph" if per_par else "whole article"
            t = time.perf_counter()
            ours, indirect = newsprism_segments(units)
            scores[f"newsprism, {mode}"].seconds += time.perf_counter() - t
            score_doc(scores[f"newsprism, {mode}"], doc, ours, gold, names, indirect)
            t = time.perf_counter()
            theirs = textacy_segments(units)
            scores[f"textacy, {mode}"].seconds += time.perf_counter() - t
            score_doc(scores[f"textacy, {mode}"], doc, theirs, gold, names, None)
    return scores


# ------------------------------------------------------------------------------ BASIL


@dataclass
class BasilQuote:
    start: int
    end: int
    speaker: str


def load_basil() -> list[tuple[str, str, list[BasilQuote]]]:
    """(article uuid, text, named-speaker quotes) per BASIL article that has any."""
    root = require_data("basil", exit_on_missing=True)
    texts: dict[str, str] = {}
    for path in sorted(glob.glob(str(root / "articles" / "*" / "*.json"))):
        rec = json.loads(Path(path).read_text(encoding="utf-8"))
        paras = [" ".join(str(s).strip() for s in p if str(s).strip()) for p in rec["body-paragraphs"]]
        texts[str(rec["uuid"])] = "\n\n".join(p for p in paras if p)
    out = []
    for path in sorted(glob.glob(str(root / "annotations" / "*" / "*_ann.json"))):
        rec = json.loads(Path(path).read_text(encoding="utf-8"))
        text = texts.get(str(rec.get("uuid")))
        if text is None:
            continue
        quotes = []
        for p in rec["phrase-level-annotations"]:
            if p.get("quote") != "yes" or not p.get("speaker") or p["speaker"].startswith("other"):
                continue
            phrase = str(p["txt"]).strip().strip(_QUOTE_CHARS + "‘’ ").strip()
            at = text.find(phrase) if phrase else -1
            if at < 0:
                continue
            quotes.append(BasilQuote(at, at + len(phrase), str(p["speaker"])))
        if quotes:
            out.append((str(rec["uuid"]), text, quotes))
    return out


def run_basil(nlp: Any) -> dict[str, tuple[int, int, int]]:
    """system -> (gold phrases, covered, named correct)."""
    arts = load_basil()
    res = {"newsprism, whole article": [0, 0, 0], "textacy, per paragraph": [0, 0, 0]}
    for _uuid, text, quotes in arts:
        paragraphs = tuple((m.start(), m.end()) for m in re.finditer(r"[^\n]+", text))
        ours_units = _docs_for(text, paragraphs, False, nlp)
        _off, art, doc = ours_units[0]
        ours = [(m.start, m.end, m.speaker) for m in extract_quotes(art, Annotation("d", (), (), (), doc=doc))]
        theirs = [(s.start, s.end, s.name) for s in textacy_segments(_docs_for(text, paragraphs, True, nlp))]
        for name, found, keyed in (("newsprism, whole article", ours, False), ("textacy, per paragraph", theirs, True)):
            r = res[name]
            for q in quotes:
                r[0] += 1
                hits = [f for f in found if _overlap((f[0], f[1]), (q.start, q.end)) > 0]
                if not hits:
                    continue
                r[1] += 1
                gold_words = {w.casefold() for w in q.speaker.split("_")}
                spk = hits[0][2]
                key = spk if keyed else (name_key(spk) if spk else None)
                if key and key in gold_words:
                    r[2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in res.items()}


# ------------------------------------------------------------------------------ demo


def run_demo() -> list[tuple[str, str, str]]:
    from newsprism.analysis.quotes.compare import analyze_quotes
    from newsprism.ingest import load
    from newsprism.model import Story
    from newsprism.nlp.annotate import annotate
    from newsprism.pipeline import make_story

    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    story = make_story(load(DEMO / "articles").articles)
    story = Story(id=story.id, articles=story.articles, annotations=annotate(story.articles))
    qa = analyze_quotes(story)
    rows = []
    for q in truth["quotes"]:
        for occ in q["occurrences"]:
            if occ["variant"] not in {"altered", "misattributed"}:
                continue
            text = story.article(occ["article"]).text
            at = text.find(occ["evidence"])
            got = [(o.variant, o.diff or "") for g in qa.groups for o in g.occurrences
                   if o.article_id == occ["article"] and o.direct and _overlap((o.span.start, o.span.end),
                                                                              (at, at + len(occ["evidence"])))]
            found = ", ".join(f"{v}{' ' + d if d else ''}" for v, d in got) or "not found"
            rows.append((f"{q['id']} {occ['article']}", occ["variant"], found))
    return rows


# ------------------------------------------------------------------------------ main


def _pct(x: float) -> str:
    return f"{x:.3f}"


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="only the first N PolNeAR articles")
    ap.add_argument("--skip-basil", action="store_true")
    args = ap.parse_args(argv)
    require_data("polnear", exit_on_missing=True)
    import textacy

    nlp = load_spacy()
    docs = load_polnear("dev")
    if args.limit:
        docs = docs[: args.limit]
    print(f"# Quotes — {date.today()} — {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, spaCy en_core_web_sm 3.8.0, textacy {textacy.__version__}\n")
    print(f"Command: `.venv/bin/python bench/bench_quotes.py{' --limit ' + str(args.limit) if args.limit else ''}`  ")
    print(f"Data: {DATA}/polnear/data/dev ({len(docs)} articles), {DATA}/basil\n")
    scores = run_polnear(docs, nlp)
    gold_n = next(iter(scores.values())).gold
    print(f"## PolNeAR dev: direct quotes ({gold_n} gold segments)\n")
    print("| system | P | R | F1 (overlap) | F1 (exact) | speaker acc. | named speaker acc. | extract s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, sc in scores.items():
        overlap, exact = prf(sc.matched, sc.pred, sc.gold), prf(sc.exact, sc.pred, sc.gold)
        p, r, f, fe = overlap.precision, overlap.recall, overlap.f1, exact.f1
        spk = sc.speaker_ok / sc.with_source if sc.with_source else 0.0
        named = sc.named_ok / sc.named_total if sc.named_total else 0.0
        print(f"| {name} | {_pct(p)} | {_pct(r)} | **{_pct(f)}** | {_pct(fe)} | {_pct(spk)} ({sc.speaker_ok}/"
              f"{sc.with_source}) | **{_pct(named)}** ({sc.named_ok}/{sc.named_total}) | {sc.seconds:.1f} |")
    sc = scores["newsprism, whole article"]
    print(f"\nNamed speaker accuracy leaves out {sc.unnamed_gold} matched segments (newsprism, whole article) "
          "whose gold source has no name (\"sources\", \"the spokesman\"); he/she sources take the person "
          "read by hand (bench/gold/polnear_pronoun_sources.tsv).")
    print("\n## PolNeAR dev: indirect attributions (content without quote marks)\n")
    print("| system | gold | found | recall |")
    print("|---|---:|---:|---:|")
    for name in ("newsprism, whole article", "newsprism, per paragraph"):
        s = scores[name]
        print(f"| {name} | {s.indirect_gold} | {s.indirect_found} | "
              f"{_pct(s.indirect_found / s.indirect_gold if s.indirect_gold else 0)} |")
    if not args.skip_basil and (DATA / "basil").is_dir():
        print("\n## BASIL: quotes with a named speaker\n")
        print("| system | gold phrases | covered | named speaker acc. (of covered) |")
        print("|---|---:|---:|---:|")
        for name, (g, c, ok) in run_basil(nlp).items():
            print(f"| {name} | {g} | {c} | **{_pct(ok / c if c else 0)}** ({ok}/{c}) |")
    print("\n## Demo story: planted quote changes\n")
    print("| quote, article | truth | newsprism |")
    print("|---|---|---|")
    for ref, want, got in run_demo():
        print(f"| {ref} | {want} | {got} |")


if __name__ == "__main__":
    main()
