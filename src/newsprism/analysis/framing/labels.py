"""How each outlet names the same actor: the word-choice table of a story.

Mentions of actors are collected from every article's own words (outside quotation marks):

* named actors (PERSON, ORG, GPE, NORP entities) with the title or description the outlet gives
  them: "North Korean dictator Kim" vs "North Korea's leader Kim", "Kim, the reclusive leader";
  mentions of one name (surname / normalised name) form one actor;
* unnamed groups: noun phrases headed by a person or group noun ("undocumented immigrants",
  "illegal aliens", "the bureaucrats"); these are grouped across articles by their head noun and,
  with an embedder, by the cosine of their MiniLM embeddings.

An actor is kept when at least two articles name it and the wordings differ; each wording is
marked ``loaded`` when it carries a loaded label or evaluative word.

>>> from newsprism.nlp.spacy_pipeline import load
>>> nlp = load()
>>> texts = {"a": "Undocumented immigrants gathered downtown.", "b": "Illegal aliens gathered downtown."}
>>> docs = {k: nlp(t) for k, t in texts.items()}
>>> table = actor_labels(texts, docs, embedder=None, group_heads={"immigrant": "migrant", "alien": "migrant"})
>>> [(m.article_id, m.text, m.loaded) for m in table[0].mentions]
[('a', 'Undocumented immigrants', False), ('b', 'Illegal aliens', True)]
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsprism.analysis.claims.units import entity_key
from newsprism.analysis.framing.lexicon import FramingLexicon, load_lexicon
from newsprism.text.quoted import QuotedRegions, quoted_regions

__all__ = ["GROUP_NOUNS", "ActorLabels", "LabelMention", "actor_labels"]

#: Head nouns of phrases that name people or groups of people.
GROUP_NOUNS = frozenset("""
immigrant migrant alien refugee asylum-seeker newcomer foreigner resident citizen voter taxpayer worker employee
family community student teacher parent child kid youth official lawmaker legislator leader president administration
government regime authority agency bureaucrat bureaucracy protester demonstrator rioter looter activist advocate
critic opponent supporter ally backer donor lobbyist insider elite establishment regime dictator tyrant strongman
despot autocrat monarch militant terrorist rebel insurgent fighter extremist radical troop soldier officer police
cop agent deputy sheriff judge prosecutor attorney lawyer politician candidate nominee incumbent challenger
democrat republican liberal conservative progressive leftist rightist nationalist socialist populist mob crowd
gang thug criminal felon offender suspect victim survivor homeowner tenant renter owner landlord businessman
contractor company firm corporation council councilmember commissioner mayor governor senator representative
congressman congresswoman minister secretary spokesman spokeswoman spokesperson director chief chairman chair
diplomat envoy negotiator investigator inspector engineer expert analyst economist scientist researcher
dissenter hawk dove hardliner moderate partisan base faction wing caucus party committee campaign team staff aide
adviser advisor counsel nation country state city county state-run media press journalist reporter outlet
""".split())

_ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP")
_MOD_DEPS = ("compound", "amod", "nmod", "poss", "npadvmod")


@dataclass(frozen=True, slots=True)
class LabelMention:
    """One article's wording for an actor: offsets of the wording in the article, and whether it is loaded."""

    article_id: str
    start: int
    end: int
    text: str
    loaded: bool = False


@dataclass(frozen=True)
class ActorLabels:
    """An actor and every article's wordings for it."""

    actor: str
    kind: str  # "named" (an entity) or "group" (an unnamed group of people)
    mentions: tuple[LabelMention, ...]

    def by_article(self) -> dict[str, list[tuple[str, int, bool]]]:
        """article id -> [(wording, times used, loaded)], most used first."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        loaded: dict[tuple[str, str], bool] = {}
        for m in self.mentions:
            w = _norm(m.text)
            counts[m.article_id][w] += 1
            loaded[(m.article_id, w)] = loaded.get((m.article_id, w), False) or m.loaded
        return {a: [(w, n, loaded[(a, w)]) for w, n in c.most_common()] for a, c in counts.items()}

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.article_id for m in self.mentions))


#: the level of government a group wording names: "federal government" and "local governments" are
#: two actors (one head noun, near vectors), "city officials" and "local officials" one
_LEVELS = {"federal": "federal", "national": "federal", "state": "state", "local": "local", "city": "local",
           "county": "local", "municipal": "local", "town": "local"}


def _level(text: str) -> str:
    """The level of government a wording names, or "".

    >>> _level("the federal government"), _level("City officials"), _level("immigrant families")
    ('federal', 'local', '')
    """
    return next((_LEVELS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _LEVELS), "")


def _norm(text: str) -> str:
    words = text.replace("’", "'").split()
    while words and words[0].lower() in ("the", "a", "an", "this", "that", "these", "those"):
        words = words[1:]
    return " ".join(words).strip(" ,.;:").lower()


def _is_loaded(tokens: Sequence[Any], lex: FramingLexicon) -> bool:
    for t in tokens:
        lower, lemma = t.lower_, t.lemma_.lower()
        if lex.in_section("actor_label", lower, lemma) or lex.in_section("loaded_word", lower, lemma):
            return True
        v = lex.vader.get(lower, lex.vader.get(lemma))
        if v is not None and abs(v) >= 2.0 and t.pos_ == "ADJ" and not lex.in_section("news_neutral", lower, lemma):
            return True
    text = " ".join(t.lower_ for t in tokens)
    return any(" ".join(p) in text for p in lex.phrases["actor_label"])


def _named_mentions(doc: Any, quoted: QuotedRegions, lex: FramingLexicon) -> list[tuple[str, str, int, int, bool]]:
    """(key, display name, start, end, loaded) of each description an entity is given: the words
    before the name in its noun phrase, and an apposition after it. A bare name says nothing of word
    choice and is left out."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in _ENTITY_LABELS or quoted.contains(ent.start_char, ent.end_char):
            continue
        name = ent.text.strip()
        if not re.search(r"[A-Za-z]", name):
            continue
        key = entity_key(name, ent.label_)
        if ent.label_ == "NORP":
            key = re.sub(r"(ic|ics|s|ans?)$", "", key)
        key = f"{ent.label_ if ent.label_ == 'PERSON' else 'ORG'}:{key}"
        root = ent.root
        left = [t for t in doc[root.left_edge.i:ent.start] if t.dep_ in _MOD_DEPS or t.pos_ in ("ADJ", "NOUN", "PROPN")]
        # a description before the name, inside its noun phrase: "North Korean dictator Kim Jong Un"
        if left and left[-1].i == ent.start - 1:
            lo = left[0].i
            while lo < ent.start and (doc[lo].pos_ in ("DET", "PUNCT") or doc[lo].dep_ == "poss"):
                lo += 1
            desc = doc[lo:ent.start]
            if len(desc) and any(t.is_alpha for t in desc) and not quoted.contains(desc.start_char, desc.end_char):
                out.append((key, name, desc.start_char, desc.end_char, _is_loaded(list(desc), lex)))
        # an apposition after it: "Kim, the nation's reclusive leader,"
        for child in root.rights:
            if child.dep_ == "appos" and child.i >= ent.end and child.pos_ == "NOUN":
                sub = doc[child.left_edge.i:child.i + 1]
                if not quoted.contains(sub.start_char, sub.end_char):
                    out.append((key, name, sub.start_char, sub.end_char, _is_loaded(list(sub), lex)))
    return out


def _group_mentions(doc: Any, quoted: QuotedRegions, lex: FramingLexicon) -> list[tuple[str, int, int, bool]]:
    """(head lemma, start, end, loaded) of unnamed person/group noun phrases."""
    out = []
    for chunk in doc.noun_chunks:
        root = chunk.root
        lemma = root.lemma_.lower()
        if root.pos_ != "NOUN" or quoted.contains(chunk.start_char, chunk.end_char):
            continue
        if any(t.ent_type_ in _ENTITY_LABELS for t in chunk):
            continue
        label = lex.in_section("actor_label", root.lower_, lemma)
        if lemma not in GROUP_NOUNS and not label:
            continue
        toks = [t for t in chunk if t.pos_ not in ("DET", "PRON", "PUNCT", "NUM") and t.dep_ != "poss"
                and not t.like_num and t.dep_ not in ("quantmod", "nummod") and t.pos_ != "ADV"]
        while toks and toks[0].pos_ not in ("ADJ", "NOUN", "PROPN", "VERB"):
            toks = toks[1:]
        if not toks:
            continue
        # a bare "officials" says nothing about word choice; keep modified phrases and labels
        if len(toks) == 1 and not label:
            continue
        out.append((lemma, toks[0].idx, toks[-1].idx + len(toks[-1].text), _is_loaded(toks, lex)))
    return out


def _cluster(vectors: np.ndarray, threshold: float) -> list[int]:
    """Average-linkage agglomerative clustering on cosine similarity; a cluster id per row."""
    n = len(vectors)
    clusters: list[list[int]] = [[i] for i in range(n)]
    if n < 2:
        return [0] * n
    sim = vectors @ vectors.T
    # each pair of clusters' mean similarity is computed once, when the later of the two is formed
    # (recomputing every pair after every merge made this cubic, issue 17); same values, same order
    ids, next_id = list(range(n)), n
    means: dict[tuple[int, int], float] = {}
    while True:
        best, pair = threshold, None
        for a in range(len(clusters)):
            for b in range(a + 1, len(clusters)):
                key = (ids[a], ids[b])
                s = means.get(key)
                if s is None:
                    s = means[key] = float(sim[np.ix_(clusters[a], clusters[b])].mean())
                if s > best:
                    best, pair = s, (a, b)
        if pair is None:
            break
        a, b = pair
        clusters[a] = clusters[a] + clusters[b]
        ids[a], next_id = next_id, next_id + 1  # a new cluster: none of its pairs are known yet
        del clusters[b], ids[b]
    out = [0] * n
    for k, members in enumerate(clusters):
        for i in members:
            out[i] = k
    return out


def actor_labels(texts: Mapping[str, str], docs: Mapping[str, Any], *, embedder: Any = None,
                 quoted: Mapping[str, QuotedRegions] | None = None, lexicon: FramingLexicon | None = None,
                 group_heads: Mapping[str, str] | None = None, threshold: float = 0.62,
                 min_articles: int = 2) -> tuple[ActorLabels, ...]:
    """The actors two or more articles name differently, with every article's wordings.

    ``texts`` / ``docs``: article id -> text / spaCy Doc. ``embedder`` (``embed(list[str])`` ->
    unit rows) merges unnamed-group phrases by meaning; without it they group by head noun
    (``group_heads`` maps head lemmas onto shared keys).
    """
    lex = lexicon or load_lexicon()
    heads = dict(group_heads or {})
    named: dict[str, list[LabelMention]] = defaultdict(list)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    groups: list[tuple[str, LabelMention]] = []
    for aid, text in texts.items():
        doc = docs[aid]
        q = quoted[aid] if quoted and aid in quoted else QuotedRegions(quoted_regions(text))
        for key, name, s, e, loaded in _named_mentions(doc, q, lex):
            named[key].append(LabelMention(aid, s, e, text[s:e], loaded))
            names[key][name] += 1
        for lemma, s, e, loaded in _group_mentions(doc, q, lex):
            level = _level(text[s:e])
            head = heads.get(lemma, lemma)
            groups.append((f"{level} {head}" if level else head, LabelMention(aid, s, e, text[s:e], loaded)))
    out: list[ActorLabels] = []
    for key, mentions in named.items():
        display = max(names[key], key=lambda n: (len(n.split()) > 1, names[key][n], len(n)))
        out.append(ActorLabels(display, "named", tuple(mentions)))
    # unnamed groups: by head key, then merged by embedding similarity of their wordings
    if groups:
        wordings = sorted({_norm(m.text) for _, m in groups})
        head_of: dict[str, str] = {}
        for head, m in groups:
            head_of.setdefault(_norm(m.text), head)
        ids = {w: head_of[w] for w in wordings}
        if embedder is not None and len(wordings) > 1:
            vecs = np.asarray(embedder.embed(wordings), dtype=np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
            # cluster the head groups: mean vector per head key
            keys = sorted(set(ids.values()))
            centroids = np.stack([vecs[[i for i, w in enumerate(wordings) if ids[w] == k]].mean(axis=0)
                                  for k in keys])
            centroids /= np.linalg.norm(centroids, axis=1, keepdims=True) + 1e-9
            merged = _cluster(centroids, threshold)
            # wordings at different levels of government never merge, however close their vectors
            remap = {k: f"g{merged[i]}|{k.split()[0] if k.split()[0] in _LEVELS.values() else ''}"
                     for i, k in enumerate(keys)}
            ids = {w: remap[k] for w, k in ids.items()}
        by_group: dict[str, list[LabelMention]] = defaultdict(list)
        for _, m in groups:
            by_group[ids[_norm(m.text)]].append(m)
        for mentions in by_group.values():
            common = Counter(_norm(m.text) for m in mentions).most_common(1)[0][0]
            out.append(ActorLabels(common, "group", tuple(mentions)))
    kept = []
    for actor in out:
        wordings_by_article = {a: {w for w, _, _ in ws} for a, ws in actor.by_article().items()}
        if len(wordings_by_article) < min_articles:
            continue
        all_wordings = set().union(*wordings_by_article.values())
        if len(all_wordings) < 2:
            continue
        order = list(texts)
        kept.append(ActorLabels(actor.actor, actor.kind,
                                tuple(sorted(actor.mentions, key=lambda m: (order.index(m.article_id), m.start)))))
    kept.sort(key=lambda a: (-len(a.articles), -len(a.mentions), a.actor))
    return tuple(kept)
