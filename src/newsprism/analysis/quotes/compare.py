"""Quotes across the articles of a story: who said what, in every outlet, and how each outlet
changed it.

1. :func:`extract_quotes` (``quote_extract``) finds each article's direct and indirect quotes.
2. :func:`match_quotes` groups the direct quotes that share their words (typography folded by
   ``match_key``) and classifies every occurrence against the group's common form (the wording
   most occurrences carry; on a tie the one that contains the most others):

   ========== =====================================================================
   verbatim   the same words
   trimmed    a stretch of the common form (words left out at the ends or in between)
   extended   the common form with more words around it
   altered    words changed inside the quote marks (``diff`` shows how)
   misattrib. the same words given to a different speaker than the majority's
   paraphrase reported speech (direct=False) by the same speaker that says the same thing
   ========== =====================================================================

   Indirect speech with no direct counterpart forms groups of its own (all ``paraphrase``).
3. :func:`speakers` sums up per speaker: which outlets quote them and how often.
4. :func:`misattributions` lists the same words given to different speakers, with the outlets
   on each side (the contradictions analysis turns them into ``attribution`` contradictions).

:func:`analyze_quotes` runs all of it on an annotated Story; ``report.build.quote_results`` maps the
groups onto the report contract (``newsprism.report.schema.Quote``).

>>> word_diff("The dam is not in imminent danger of failing", "The dam is not in any danger of failing")
'not in [-imminent-] {+any+} danger of'
>>> classify("We are ready, and nobody will be left", "We are ready")
'trimmed'
>>> classify("We can\\u2019t argue with water", "We can't argue with water")
'verbatim'
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations
from typing import Literal

import numpy as np

from newsprism.analysis.quotes.extract import QuoteMention, extract_quotes, quote_text
from newsprism.analysis.quotes.speakers import canonical_names
from newsprism.model import Span, Story
from newsprism.nlp.embeddings import Embedder, get_embedder
from newsprism.text.normalize import match_key
from newsprism.text.words import INDEFINITE_PRONOUNS, STOP_WORDS

__all__ = [
    "Misattribution",
    "Occurrence",
    "QuoteAnalysis",
    "QuoteGroup",
    "SpeakerSummary",
    "Variant",
    "analyze_quotes",
    "classify",
    "match_quotes",
    "misattributions",
    "quote_mentions",
    "speakers",
    "word_diff",
    "words",
]

Variant = Literal["verbatim", "trimmed", "extended", "altered", "paraphrase", "misattributed"]

_WORD = re.compile(r"\w+(?:'\w+)*")
# quotes are speech: the stop words, the indefinite pronouns, spoken contractions, and "very"
_STOP = STOP_WORDS | INDEFINITE_PRONOUNS | frozenset("very that's we're they're don't".split())
# Paraphrase of a quote by the same speaker: MiniLM cosine of the reported clause and the quote,
# plus PARAPHRASE_WORD_BONUS per shared word stem (up to 3), must reach PARAPHRASE_SCORE.
PARAPHRASE_SCORE = 0.45
PARAPHRASE_MIN_COSINE = 0.25
PARAPHRASE_WORD_BONUS = 0.12
INDIRECT_CLUSTER_COSINE = 0.8


def words(text: str) -> tuple[str, ...]:
    """The words of a quote for comparison: typography folded (``match_key``), case folded.

    >>> words("“Don’t wait—leave,” she said.")
    ("don't", 'wait', 'leave', 'she', 'said')
    """
    return tuple(_WORD.findall(match_key(text)))


def _orig_words(text: str) -> list[str]:
    folded = text.replace("’", "'").replace("‘", "'")
    return re.findall(r"\w+(?:'\w+)*", folded)


def _contains(big: Sequence[str], small: Sequence[str]) -> bool:
    n, m = len(big), len(small)
    if m == 0 or m > n:
        return m == 0
    first = small[0]
    return any(big[i] == first and tuple(big[i : i + m]) == tuple(small) for i in range(n - m + 1))


def classify(reference: str, occurrence: str) -> str:
    """How ``occurrence`` renders ``reference``: verbatim, trimmed, extended or altered.

    >>> classify("We are ready", "Yes. We are ready, we are")
    'extended'
    >>> classify("not in imminent danger", "not in any danger")
    'altered'
    """
    return _classify(words(reference), words(occurrence))


def _classify(ref: Sequence[str], occ: Sequence[str]) -> str:
    if tuple(ref) == tuple(occ):
        return "verbatim"
    if _contains(ref, occ):
        return "trimmed"
    if _contains(occ, ref):
        return "extended"
    ops = SequenceMatcher(None, list(ref), list(occ), autojunk=False).get_opcodes()
    equal = [k for k, op in enumerate(ops) if op[0] == "equal"]
    if not equal:
        return "altered"
    inner = ops[equal[0] : equal[-1] + 1]
    if any(op[0] in {"replace", "insert"} for op in inner):
        return "altered"
    head, tail = ops[: equal[0]], ops[equal[-1] + 1 :]
    for op in head + tail:  # a word or two swapped at an end is a change, not a run-on
        if op[0] == "replace" and op[2] - op[1] <= 2 and op[4] - op[3] <= 2:
            return "altered"
    if any(op[0] in {"insert", "replace"} for op in head + tail):
        return "extended"
    return "trimmed"


def word_diff(reference: str, occurrence: str, context: int = 2) -> str:
    """A word diff of ``occurrence`` against ``reference``: ``[-removed-] {+added+}`` with
    ``context`` words around each change; hunks are joined by " … ". Typography and case are
    ignored when comparing; the words are shown as written. Words only left out or added at the
    very ends (a quote cut short or run on) are not shown.

    >>> word_diff("We will never give up", "We will not give up")
    'We will [-never-] {+not+} give up'
    """
    ra, oa = _orig_words(reference), _orig_words(occurrence)
    rk, ok = [w.casefold() for w in ra], [w.casefold() for w in oa]
    ops = SequenceMatcher(None, rk, ok, autojunk=False).get_opcodes()
    while ops and ops[0][0] in {"insert", "delete"}:  # cut short or run on: not a change of words
        ops = ops[1:]
    while ops and ops[-1][0] in {"insert", "delete"}:
        ops = ops[:-1]
    hunks: list[str] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        before = ra[max(i1 - context, 0) : i1] if k > 0 and ops[k - 1][0] == "equal" else []
        after = ra[i2 : i2 + context] if k + 1 < len(ops) and ops[k + 1][0] == "equal" else []
        change = []
        if i2 > i1:
            change.append("[-" + " ".join(ra[i1:i2]) + "-]")
        if j2 > j1:
            change.append("{+" + " ".join(oa[j1:j2]) + "+}")
        hunks.append(" ".join([*before, *change, *after]))
    return " … ".join(hunks)


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One quote in one article, classified against its group's common form."""

    mention: QuoteMention
    span: Span  # first to last quoted character (the attribution of a split quote included)
    speaker: str | None  # story-level canonical name of the speaker this article gives
    variant: str  # a Variant
    diff: str | None = None  # word diff against the common form, for altered words

    @property
    def article_id(self) -> str:
        return self.span.article_id

    @property
    def direct(self) -> bool:
        return self.mention.direct

    @property
    def speaker_as_written(self) -> str | None:
        """The words at the attribution, with the name they stand for when they are not a name:
        "Holloway", "she (Ruth Kellerman)", "the retired teacher (Ruth Kellerman)"."""
        m = self.mention
        if m.speaker_as_written is None:
            return None
        if m.speaker and m.speaker.split()[-1] not in m.speaker_as_written:
            return f"{m.speaker_as_written} ({m.speaker})"
        return m.speaker_as_written


@dataclass(frozen=True)
class QuoteGroup:
    """One quote across the story: maps 1:1 onto ``report.schema.Quote``."""

    id: str
    speaker: str | None  # the majority's canonical speaker
    text: str  # the fullest version
    common: str  # the common form the variants are judged against
    occurrences: tuple[Occurrence, ...]

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(o.article_id for o in self.occurrences))

    @property
    def direct(self) -> bool:
        """True when some outlet quotes the words directly."""
        return any(o.direct for o in self.occurrences)


@dataclass(frozen=True)
class Misattribution:
    """The same words given to a different speaker than the majority's."""

    group_id: str
    text: str
    speaker: str  # the majority's speaker
    speaker_articles: tuple[str, ...]
    other_speaker: str
    other_articles: tuple[str, ...]
    spans: tuple[Span, ...]  # the misattributed occurrences
    speaker_spans: tuple[Span, ...]  # the occurrences with the majority's speaker


@dataclass(frozen=True)
class SpeakerSummary:
    """Who gets a voice: one speaker's quotes across the story."""

    speaker: str
    titles: tuple[str, ...]  # titles as written, in the order first seen
    articles: tuple[str, ...]  # the articles that quote them (directly or not)
    counts: tuple[tuple[str, int], ...]  # (article id, occurrences) per article
    direct: int
    indirect: int
    quotes: tuple[str, ...]  # group ids

    @property
    def total(self) -> int:
        return self.direct + self.indirect


@dataclass(frozen=True)
class QuoteAnalysis:
    """Everything the quotes analysis found in a story."""

    mentions: tuple[QuoteMention, ...]  # every quote of every article, unresolved ones included
    groups: tuple[QuoteGroup, ...]
    speakers: tuple[SpeakerSummary, ...]
    misattributions: tuple[Misattribution, ...]


# ------------------------------------------------------------------------------ matching


def _stems(ws: Sequence[str]) -> set[str]:
    """Crude stems of the content words: plural -s dropped, first five letters ("contractor" and
    "contract" meet, so do "bids" and "bid")."""
    out = set()
    for w in ws:
        if w in _STOP or len(w) < 3 or w.isdigit():
            continue
        if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
            w = w[:-1]
        out.add(w[:5])
    return out


def _content(ws: Sequence[str]) -> int:
    return sum(1 for w in ws if w not in _STOP)


def _same_words(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two direct quotes share their words: a run of 3+ words with 2+ content words, and most of
    the shorter one matched."""
    if min(len(a), len(b)) < 2:
        return False
    sm = SequenceMatcher(None, list(a), list(b), autojunk=False)
    blocks = [bl for bl in sm.get_matching_blocks() if bl.size]
    if not blocks:
        return False
    longest = max(blocks, key=lambda bl: bl.size)
    run = a[longest.a : longest.a + longest.size]
    matched = sum(bl.size for bl in blocks)
    short = min(len(a), len(b))
    if longest.size == short and short >= 4:
        return True  # the whole shorter quote stands inside the longer one
    return longest.size >= 3 and _content(run) >= 2 and matched >= 0.7 * short


def _sharing_runs(quotes: Sequence[Sequence[str]], run: int = 3) -> list[tuple[int, int]]:
    """Pairs (x < y, in order) of word sequences that share a run of ``run`` words: the only pairs
    :func:`_same_words` can accept (both of its tests need a common run of 3+ words), found
    through an index of word runs instead of comparing every pair of quotes (issue 17).

    >>> _sharing_runs([["a", "b", "c", "d"], ["x", "b", "c", "d"], ["a", "b", "x"]])
    [(0, 1)]
    """
    posting: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for x, ws in enumerate(quotes):
        for g in {tuple(ws[k : k + run]) for k in range(len(ws) - run + 1)}:
            posting[g].append(x)
    pairs: set[tuple[int, int]] = set()
    for xs in posting.values():
        if len(xs) > 1:
            pairs.update(combinations(xs, 2))
    return sorted(pairs)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _common_form(forms: Sequence[tuple[str, ...]]) -> int:
    """Index of the common form: the most frequent wording; on a tie the one that contains the
    most others, then the longest."""
    counts = Counter(forms)
    def score(k: int) -> tuple[int, int, int, int]:
        f = forms[k]
        contains = sum(1 for g in forms if _contains(f, g))
        return (counts[f], contains, len(f), -k)
    return max(range(len(forms)), key=score)


def match_quotes(story: Story, mentions: Iterable[QuoteMention], *,
                 embedder: Embedder | None = None) -> tuple[QuoteGroup, ...]:
    """Group the mentions of a story into quotes and classify every occurrence.

    Direct mentions group by shared words; an indirect mention joins the direct quote of the same
    speaker it paraphrases (sentence-embedding cosine plus shared words); the other indirect
    mentions with a known speaker form paraphrase groups of their own. Indirect mentions with no
    resolved speaker are left out (they stay in ``QuoteAnalysis.mentions``).
    """
    texts = {a.id: a.text for a in story.articles}
    order = {a.id: k for k, a in enumerate(story.articles)}
    mentions = sorted((m for m in mentions if m.article_id in texts),
                      key=lambda m: (order[m.article_id], m.start, m.end))
    names = canonical_names(m.speaker for m in mentions if m.speaker)
    canon = [names.get(m.speaker, m.speaker) if m.speaker else None for m in mentions]
    qtext = [quote_text(texts[m.article_id], m.parts) for m in mentions]
    qwords = [words(t) for t in qtext]

    direct = [i for i, m in enumerate(mentions) if m.direct and qwords[i]]
    uf = _UnionFind(len(mentions))
    for x, y in _sharing_runs([qwords[i] for i in direct]):
        if _same_words(qwords[direct[x]], qwords[direct[y]]):
            uf.union(direct[x], direct[y])
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in direct:
        clusters[uf.find(i)].append(i)

    # indirect mentions: attach to the direct quote of the same speaker they paraphrase
    indirect = [i for i, m in enumerate(mentions) if not m.direct and canon[i] and qwords[i]]
    attached: dict[int, list[int]] = defaultdict(list)
    leftover: list[int] = []
    if indirect:
        emb = embedder or get_embedder()
        # only a group quoting someone who is also reported can take reported speech: the others
        # are not embedded at all (most of a story's quotes, issue 17)
        reported = Counter(canon[i] for i in indirect)
        roots = [r for r in clusters if any(canon[k] in reported for k in clusters[r] if canon[k])]
        ref_of = {r: clusters[r][_common_form([qwords[i] for i in clusters[r]])] for r in roots}
        # each group's speakers and word stems, once (not once per indirect mention, issue 17)
        group_speakers = [{canon[k] for k in clusters[r] if canon[k]} for r in roots]
        # likewise reported speech is compared only with its own speaker's words: a mention whose
        # speaker has no quote group and no other reported speech is never compared (its row stays 0)
        quoted = set().union(*group_speakers)
        needed = [x for x, i in enumerate(indirect) if canon[i] in quoted or reported[canon[i]] > 1]
        vecs = np.asarray(emb.embed([qtext[indirect[x]] for x in needed] + [qtext[ref_of[r]] for r in roots]),
                          dtype=np.float32).reshape(len(needed) + len(roots), emb.dim)
        iv = np.zeros((len(indirect), vecs.shape[1]), dtype=np.float32)
        iv[needed] = vecs[: len(needed)]
        rv = vecs[len(needed) :]
        group_stems: list[set[str] | None] = [None] * len(roots)
        for x, i in enumerate(indirect):
            best, best_score = None, 0.0
            for y, r in enumerate(roots):
                if canon[i] not in group_speakers[y]:
                    continue
                cos = float(iv[x] @ rv[y])
                stems = group_stems[y]
                if stems is None:
                    stems = group_stems[y] = {s for k in clusters[r] for s in _stems(qwords[k])}
                shared = len(_stems(qwords[i]) & stems)
                score = cos + PARAPHRASE_WORD_BONUS * min(shared, 3)
                if cos >= PARAPHRASE_MIN_COSINE and score >= PARAPHRASE_SCORE and score > best_score:
                    best, best_score = r, score
            if best is None:
                leftover.append(x)
            else:
                attached[best].append(i)
        # leftover indirect speech: one group per speaker and statement
        uf2 = _UnionFind(len(indirect))
        by_speaker: dict[str | None, list[int]] = defaultdict(list)  # only one speaker's words can group
        for x in leftover:
            by_speaker[canon[indirect[x]]].append(x)
        for same in by_speaker.values():
            for a_pos, x in enumerate(same):
                for y in same[a_pos + 1 :]:
                    if float(iv[x] @ iv[y]) >= INDIRECT_CLUSTER_COSINE:
                        uf2.union(x, y)
        para_groups: dict[int, list[int]] = defaultdict(list)
        for x in leftover:
            para_groups[uf2.find(x)].append(indirect[x])
    else:
        para_groups = {}

    def occurrence(i: int, variant: str, diff: str | None = None) -> Occurrence:
        m = mentions[i]
        return Occurrence(m, Span(m.article_id, m.start, m.end, texts[m.article_id][m.start:m.end]),
                          canon[i], variant, diff)

    built: list[tuple[tuple[int, int], QuoteGroup]] = []
    for root, members in clusters.items():
        forms = [qwords[i] for i in members]
        ref = members[_common_form(forms)]
        votes = Counter(canon[i] for i in members + attached.get(root, []) if canon[i])
        majority, top = votes.most_common(1)[0] if votes else (None, 0)
        occs = []
        for i in members:
            if canon[i] and majority and canon[i] != majority and top >= 2 and top > votes[canon[i]]:
                variant = "misattributed"
            else:
                variant = _classify(qwords[ref], qwords[i])
            diff = word_diff(qtext[ref], qtext[i]) if _classify(qwords[ref], qwords[i]) == "altered" else None
            occs.append(occurrence(i, variant, diff or None))
        for i in attached.get(root, []):
            occs.append(occurrence(i, "paraphrase"))
        fullest = max(members, key=lambda i: (len(qwords[i]), i == ref))
        occs.sort(key=lambda o: (order[o.article_id], o.span.start))
        first = min((order[o.article_id], o.span.start) for o in occs)
        group = QuoteGroup("", majority, qtext[fullest], qtext[ref], tuple(occs))
        built.append(((-len(group.articles), first[0] * 10**9 + first[1]), group))
    for members in para_groups.values():
        occs = sorted((occurrence(i, "paraphrase") for i in members),
                      key=lambda o: (order[o.article_id], o.span.start))
        longest = max(members, key=lambda i: len(qwords[i]))
        first = min((order[o.article_id], o.span.start) for o in occs)
        group = QuoteGroup("", canon[members[0]], qtext[longest], qtext[longest], tuple(occs))
        # direct quotes first, then reported speech; most outlets first
        built.append(((-len(group.articles) + 1000, first[0] * 10**9 + first[1]), group))
    built.sort(key=lambda kg: kg[0])
    return tuple(QuoteGroup(f"q{k}", g.speaker, g.text, g.common, g.occurrences)
                 for k, (_, g) in enumerate(built, 1))


# ------------------------------------------------------------------------------ summaries


def speakers(groups: Iterable[QuoteGroup]) -> tuple[SpeakerSummary, ...]:
    """Per speaker (as each outlet attributes the words): the outlets that quote them, how often,
    directly or not, and the titles they are given. Most-quoted first."""
    occ: dict[str, list[tuple[str, Occurrence]]] = defaultdict(list)
    for g in groups:
        for o in g.occurrences:
            if o.speaker:
                occ[o.speaker].append((g.id, o))
    out = []
    for name, items in occ.items():
        per_article = Counter(o.article_id for _, o in items)
        titles = tuple(dict.fromkeys(o.mention.speaker_title for _, o in items if o.mention.speaker_title))
        out.append(SpeakerSummary(
            speaker=name, titles=titles, articles=tuple(per_article), counts=tuple(per_article.items()),
            direct=sum(1 for _, o in items if o.direct), indirect=sum(1 for _, o in items if not o.direct),
            quotes=tuple(dict.fromkeys(gid for gid, _ in items)),
        ))
    out.sort(key=lambda s: (-len(s.articles), -s.total, s.speaker))
    return tuple(out)


def misattributions(groups: Iterable[QuoteGroup]) -> tuple[Misattribution, ...]:
    """The same words given to different speakers: one entry per (quote, other speaker), with the
    articles and spans on each side."""
    out = []
    for g in groups:
        wrong = [o for o in g.occurrences if o.variant == "misattributed"]
        if not wrong or g.speaker is None:
            continue
        right = [o for o in g.occurrences if o.speaker == g.speaker]
        by_speaker: dict[str, list[Occurrence]] = defaultdict(list)
        for o in wrong:
            by_speaker[o.speaker or ""].append(o)
        for other, occs in by_speaker.items():
            out.append(Misattribution(
                group_id=g.id, text=g.common, speaker=g.speaker,
                speaker_articles=tuple(dict.fromkeys(o.article_id for o in right)),
                other_speaker=other, other_articles=tuple(dict.fromkeys(o.article_id for o in occs)),
                spans=tuple(o.span for o in occs), speaker_spans=tuple(o.span for o in right),
            ))
    return tuple(out)


def quote_mentions(story: Story) -> tuple[QuoteMention, ...]:
    """Every quote of an annotated Story, article by article (``extract_quotes`` on each parse).

    >>> quote_mentions(Story(id="empty", articles=()))
    ()
    """
    mentions: list[QuoteMention] = []
    for article in story.articles:
        try:
            annotation = story.annotation(article.id)
        except KeyError:
            continue
        if annotation.doc is None:
            continue
        mentions.extend(extract_quotes(article, annotation))
    return tuple(mentions)


def analyze_quotes(story: Story, *, embedder: Embedder | None = None,
                   mentions: Sequence[QuoteMention] | None = None) -> QuoteAnalysis:
    """The quotes analysis of an annotated Story (``story.annotations`` filled by ``annotate``);
    ``mentions``, where already read by :func:`quote_mentions`, are not read again.

    >>> analyze_quotes(Story(id="empty", articles=())).groups
    ()
    """
    found = tuple(mentions) if mentions is not None else quote_mentions(story)
    groups = tuple(g for g in match_quotes(story, found, embedder=embedder) if not scare_quote(g))
    return QuoteAnalysis(found, groups, speakers(groups), misattributions(groups))


#: a quoted stretch this short that nobody is said to have said is a term in quote marks
SCARE_QUOTE_WORDS = 3


def scare_quote(group: QuoteGroup) -> bool:
    """Quote marks around a word or a short phrase with no speaker anywhere ("declared themselves
    “sanctuaries”"): the outlet distancing itself from a term, not a quotation of someone."""
    return (group.speaker is None and all(o.speaker is None for o in group.occurrences)
            and len(group.text.split()) <= SCARE_QUOTE_WORDS)
