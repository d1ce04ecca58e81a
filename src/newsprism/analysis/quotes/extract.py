"""Direct and indirect quotes in one article, each with its speaker and cue, as character offsets.

Direct quotes are the stretches inside quote marks (“…”, "…", and ‘…’ where it stands alone) that a
speech verb, a colon or "according to" attributes to someone:

* “We know,” she said. “We are ready.” -- one quote in two parts, split around the attribution;
* a paragraph-long quote with no closing mark, continued by a paragraph that reopens the quote;
* partial quotes inside a sentence: called the plan “reckless”;
* colon introductions: The mayor was blunt: “…”, also as a lead-in paragraph of its own ("Ellis
  continued:" with the quote as the next paragraph);
* “…,” according to the county.

The cue is found on the dependency parse (the speech verb the quoted words hang on, else the
nearest speech verb of the sentence, else the clause before a colon); the speaker is the cue's
subject (inverted "said Smith" included; through "by saying", "footage of X saying", "issued a
statement calling", "… but said"), resolved by :mod:`newsprism.analysis.quotes.speakers`, he/she by the
salience model of :mod:`newsprism.analysis.quotes.coref` told who speaks each quote. A quote with no cue
that opens a paragraph after a quoted speaker keeps that speaker. Short quoted phrases
that no speech verb governs ("sanctuary city", titles of shows) are scare quotes, not quotes.

Indirect speech (X said that …, X warned …, … according to X) comes out with ``direct=False``.

>>> from newsprism.model import Article, Annotation
>>> from newsprism.nlp.spacy_pipeline import load
>>> a = Article.create(id="a", outlet="X", text='Mayor Ann Lutz spoke. "We are ready," she said.')
>>> q, = extract_quotes(a, Annotation("a", (), (), (), doc=load()(a.text)))
>>> q.text(a), q.speaker, q.speaker_as_written, q.speaker_title, q.cue
('We are ready', 'Ann Lutz', 'she', 'Mayor', 'said')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from newsprism.analysis.quotes.coref import resolve_pronouns
from newsprism.analysis.quotes.speakers import PersonIndex, Speaker, person_index, resolve_speaker
from newsprism.model import Annotation, Article, Span
from newsprism.text.words import SPEECH_VERBS, pick

__all__ = [
    "SPEECH_VERBS",
    "QuoteMention",
    "QuotedStretch",
    "extract_quotes",
    "quoted_stretches",
]

# Cues that take a quoted phrase as their object or complement but do not report a statement.
_PHRASE_ONLY = pick(SPEECH_VERBS, "call describe dub label term brand")
_SUBJ = frozenset({"nsubj", "nsubjpass"})
_CLIMB = frozenset({"conj", "advcl", "xcomp", "pcomp"})

_OPEN_D = "“„«"
_CLOSE_D = "”»"
_STRAIGHT = '"'


@dataclass(frozen=True, slots=True)
class QuotedStretch:
    """Words inside one pair of quote marks (marks excluded); ``chain`` joins the paragraphs of a
    quote that runs on without a closing mark."""

    start: int
    end: int
    open_mark: int
    close_mark: int | None  # None: the quote runs to the end of its paragraph without closing
    paragraph: int
    chain: int


@dataclass(frozen=True, slots=True)
class QuoteMention:
    """One quote in one article. Offsets are into ``Article.text``.

    ``start``/``end`` run from the first to the last quoted character (for a quote split around
    its attribution this takes in the attribution); ``parts`` are the quoted stretches themselves,
    without the marks. For indirect speech (``direct`` False) the one part is the reported clause.
    ``speaker`` is the name resolved in this article (None when unknown), ``speaker_as_written``
    the words at the attribution ("she", "the spokesman", "Councilmember Gordon Vail"),
    ``speaker_title`` the person's title as written in this article. ``how`` tells how the
    attribution was found: cue, colon, according_to, previous (a quote that continues the
    previous paragraph's speaker) or none.
    """

    article_id: str
    start: int
    end: int
    parts: tuple[tuple[int, int], ...]
    direct: bool
    speaker: str | None = None
    speaker_as_written: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_title: str = ""
    speaker_label: str = ""
    cue: str | None = None
    cue_start: int | None = None
    how: str = "cue"

    def text(self, article: Article) -> str:
        """The quoted words: parts joined, a comma before the attribution read as a full stop."""
        return quote_text(article.text, self.parts)

    def span(self, article: Article) -> Span:
        """The Span from the first to the last quoted character."""
        return article.span(self.start, self.end)

    @property
    def speaker_span(self) -> tuple[int, int] | None:
        if self.speaker_start is None or self.speaker_end is None:
            return None
        return (self.speaker_start, self.speaker_end)


def quote_text(text: str, parts: Sequence[tuple[int, int]]) -> str:
    """Join quoted parts: a part that ends in a comma before a capitalised part ends in a full stop.

    >>> quote_text('"We know," she said. "We are ready."', [(1, 8), (22, 35)])
    'We know. We are ready.'
    """
    out: list[str] = []
    for k, (s, e) in enumerate(parts):
        seg = text[s:e].strip()
        if k + 1 < len(parts):
            nxt = text[parts[k + 1][0] : parts[k + 1][1]].lstrip()
            seg = seg.rstrip(",")
            if nxt[:1].isupper() and seg[-1:] not in ".?!…":
                seg += "."
        out.append(seg)
    return " ".join(out)


# ------------------------------------------------------------------------------ quote marks


def _is_opening_straight(par: str, i: int) -> bool:
    before = par[i - 1] if i > 0 else " "
    after = par[i + 1] if i + 1 < len(par) else " "
    return (before.isspace() or before in "([{—–-/:;,") and not after.isspace()


def _single_pairs(par: str) -> list[tuple[int, int]]:
    """‘…’ (or '…') used as the outer quote marks: an opener after a space or line start and a
    closer before a space or punctuation; apostrophes inside words never count."""
    out = []
    for m in re.finditer(r"(?:(?<=^)|(?<=[\s(\[—–]))([‘'])(?=\w)", par):
        o = m.start(1)
        closer = "’" if m.group(1) == "‘" else "'"
        j = o + 1
        while True:
            j = par.find(closer, j)
            if j < 0:
                break
            after = par[j + 1] if j + 1 < len(par) else " "
            if not par[j - 1].isspace() and (after.isspace() or after in ".,;:!?)—–”\""):
                out.append((o, j))
                break
            j += 1
        if out and out[-1][0] == o and len(par[o + 1 : out[-1][1]].split()) > 25:
            out.pop()
    return out


def quoted_stretches(text: str, paragraphs: Sequence[tuple[int, int]]) -> tuple[QuotedStretch, ...]:
    """Pair the quote marks of ``text``, paragraph by paragraph.

    Curly marks pair by direction; straight marks alternate. A paragraph that ends inside a quote
    continues it when the next paragraph opens with a quote mark (the news convention); otherwise
    the quote ends with its paragraph.

    >>> t = '“First part\\n\\n“Second part,” she said. Not "quoted'
    >>> [(t[s.start:s.end], s.chain) for s in quoted_stretches(t, ((0, 11), (13, len(t))))]
    [('First part', 0), ('Second part,', 0), ('quoted', 1)]
    """
    out: list[QuotedStretch] = []
    chain = -1
    carry = False  # the previous paragraph ended inside a quote that this one may continue
    for p, (ps, pe) in enumerate(paragraphs):
        par = text[ps:pe]
        open_at: int | None = None
        first_mark = True
        spans: list[tuple[int, int | None]] = []
        for i, ch in enumerate(par):
            if ch in _OPEN_D or ch in _CLOSE_D or ch == _STRAIGHT:
                if ch in _OPEN_D:
                    if open_at is not None and i > open_at + 1:
                        spans.append((open_at, i))  # an unclosed quote before a new one
                    open_at = i
                elif ch in _CLOSE_D:
                    if open_at is not None:
                        spans.append((open_at, i))
                        open_at = None
                    elif first_mark and carry:
                        pass
                else:  # straight: open when nothing is open, else close
                    if open_at is None or i == open_at + 1 or (_is_opening_straight(par, i) and not _closes(par, i)):
                        open_at = i
                    else:
                        spans.append((open_at, i))
                        open_at = None
                first_mark = False
        continues = carry and par[:1] in _OPEN_D + _STRAIGHT
        if open_at is not None:
            spans.append((open_at, None))
        singles = _single_pairs(par) if not spans else []
        spans.extend(singles)
        spans.sort(key=lambda x: x[0])
        next_opens = p + 1 < len(paragraphs) and text[paragraphs[p + 1][0] : paragraphs[p + 1][0] + 1] in (
            _OPEN_D + _STRAIGHT)
        for k, (o, c) in enumerate(spans):
            if not (k == 0 and continues and o == 0):
                chain += 1
            s, e = o + 1, (c if c is not None else len(par))
            while s < e and par[s].isspace():
                s += 1
            while e > s and par[e - 1].isspace():
                e -= 1
            if e > s:
                out.append(QuotedStretch(ps + s, ps + e, ps + o, ps + c if c is not None else None, p, chain))
        carry = bool(spans) and spans[-1][1] is None and next_opens
    return tuple(out)


def _closes(par: str, i: int) -> bool:
    before = par[i - 1] if i > 0 else " "
    after = par[i + 1] if i + 1 < len(par) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)—–")


# ------------------------------------------------------------------------------ the parse


def _token_index(doc: Any, length: int | None = None) -> list[int]:
    """char offset -> token index (-1 in whitespace), filled from spaCy's arrays of token starts and
    lengths (a Python loop over every character took a tenth of reading the quotes, issue 17).
    ``length``: the parsed text's length, where the caller has it (``doc.text`` joins every token)."""
    from spacy.attrs import IDX, LENGTH

    at = np.full((len(doc.text) if length is None else length) + 1, -1, dtype=np.int64)
    if len(doc):
        table = doc.to_array([IDX, LENGTH]).astype(np.int64)
        lengths = table[:, 1]
        token = np.repeat(np.arange(len(doc)), lengths)
        first = np.repeat(table[:, 0] - (np.cumsum(lengths) - lengths), lengths)
        at[first + np.arange(len(token))] = token
    return at.tolist()


def _tokens_in(doc: Any, at: Sequence[int], start: int, end: int) -> list[Any]:
    ids = sorted({at[c] for c in range(start, end) if at[c] >= 0})
    return [doc[i] for i in ids]


def _is_cue(tok: Any) -> bool:
    return (tok.lemma_.casefold() in SPEECH_VERBS and tok.pos_ in {"VERB", "AUX"}) or tok.lower_ in {
        "said", "says"} or (tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children))


def _passive(cue: Any) -> bool:
    return any(c.dep_ == "auxpass" for c in cue.children)


def _agent(cue: Any) -> Any | None:
    for c in cue.children:
        if c.dep_ == "agent":
            for obj in c.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def _subject(cue: Any, para: tuple[int, int] | None = None, quoted: frozenset[int] = frozenset()) -> Any | None:
    """The speaker token of a cue: its subject, the subject of the verb it is chained to, the
    object of "according to", the agent of a passive ("was told by X"); else the nearest name
    before the cue in its sentence. Stays inside the cue's paragraph."""
    lo, hi = para if para is not None else (0, cue.doc[-1].idx + len(cue.doc[-1].text))

    def inside(t: Any) -> bool:
        return lo <= t.idx < hi and t.i not in quoted

    if cue.lower_ == "according":
        for to in cue.children:
            if to.lower_ == "to":
                for obj in to.children:
                    if obj.dep_ == "pobj" and inside(obj):
                        return obj
        return None
    if _passive(cue):
        agent = _agent(cue)
        return agent if agent is not None and inside(agent) else None
    tok = cue
    for _ in range(5):
        for child in tok.children:
            # the subject of a passive verb the cue hangs on speaks: "she was whisked off after saying"
            if (child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and tok.i != cue.i)) and inside(child) \
                    and child.ent_type_ not in {"DATE", "TIME"}:
                return child
        if tok.dep_ == "acl" and inside(tok.head) and tok.i == cue.i:
            # "footage of Trump saying", "Clinton, asking ...": the participle's noun speaks; "issued a
            # statement calling ...": the one who issued it
            noun = tok.head
            if noun.pos_ == "PROPN" or noun.ent_type_ in {"PERSON", "ORG"} or noun.lower_ in {"he", "she", "they"}:
                return noun
            # "footage of Trump saying": the parse hung the participle on "footage"
            of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" and c.i < tok.i), None)
            person = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if person is not None and person.pos_ == "PROPN" and inside(person) and tok.i - person.i <= 2:
                return person
            if noun.dep_ in {"dobj", "pobj"} and noun.head.pos_ in {"VERB", "AUX"} and inside(noun.head):
                tok = noun.head
                continue
            break
        # "said Smith" sometimes comes out as a direct object of the inverted verb ("telling Smith"
        # names the listener, so only say-verbs count)
        if tok.i == cue.i and tok.lemma_ == "say":
            for child in tok.rights:
                if child.dep_ in {"dobj", "attr"} and child.pos_ == "PROPN" and child.i == tok.i + 1:
                    return child
        if tok.dep_ in _CLIMB and tok.head.i != tok.i and inside(tok.head):
            # "X said the deal was rushed and warned that ...": a speech verb conjoined to a verb
            # inside another speech verb's complement belongs to that speech verb
            if tok.dep_ == "conj" and not _is_cue(tok.head):
                outer = next((a for a in tok.head.ancestors if _is_cue(a) and inside(a)), None)
                if outer is not None:
                    tok = outer
                    continue
            tok = tok.head
        elif tok.dep_ == "prep" and tok.pos_ == "ADP" and tok.i != cue.i and inside(tok.head):
            tok = tok.head  # "began by saying", "after saying": on to the verb the phrase hangs on
        else:
            break
    # "X said … but said “…”": a coordinated speech verb the parse hung inside the first one's
    # complement shares its subject
    doc = cue.doc
    if cue.i > 0 and doc[cue.i - 1].pos_ == "CCONJ":
        for a in cue.ancestors:
            if _is_cue(a) and inside(a):
                subj = next((c for c in a.children if c.dep_ == "nsubj" and inside(c)), None)
                if subj is not None:
                    return subj
    # the parse lost the subject: a name right after the cue ("Said Ellis:"), else the nearest
    # proper name before the cue in its sentence (brackets skipped: "Cummings (D-Md.) said")
    nxt = cue.i + 1
    if nxt < len(doc) and doc[nxt].pos_ == "PROPN" and inside(doc[nxt]) and doc[nxt].ent_type_ not in {
            "DATE", "TIME"}:
        while nxt + 1 < len(doc) and doc[nxt + 1].pos_ == "PROPN" and inside(doc[nxt + 1]):
            nxt += 1
        return doc[nxt]
    sent = cue.sent
    depth = 0
    for t in reversed(list(doc[max(sent.start, 0) : cue.i])):
        if not inside(t):
            break
        if t.text == ")":
            depth += 1
            continue
        if t.text == "(":
            depth = max(0, depth - 1)
            continue
        if depth:
            continue
        if t.pos_ == "PROPN" and t.dep_ not in {"compound", "pobj", "poss", "dobj"} and t.ent_type_ in {
                "PERSON", "ORG", ""} and not t.is_quote and not _in_apposition(t, cue):
            return t
        if t.pos_ in {"VERB"} and t.dep_ not in {"relcl", "acl", "amod"}:
            # "“…,” Sanders said, suggesting …": a participle after a speech verb shares its speaker
            if _is_cue(t) and cue.tag_ == "VBG" and t.i not in quoted:
                return _subject(t, para, quoted)
            break
    return None


def _in_apposition(tok: Any, stop: Any) -> bool:
    for a in tok.ancestors:
        if a.i == stop.i:
            return False
        if a.dep_ == "appos":
            return True
    return False


def _in_subject_of(cue: Any, toks: Sequence[Any]) -> bool:
    subj = _subject(cue)
    if subj is None:
        return False
    sub = {t.i for t in subj.subtree}
    return all(t.i in sub for t in toks if not t.is_punct)


@dataclass
class _Chain:
    stretches: list[QuotedStretch]
    cue: Any | None = None
    subj: Any | None = None
    how: str = "none"


class _Article:
    """Per-article state shared by the helpers below."""

    def __init__(self, article: Article, doc: Any):
        self.article = article
        self.doc = doc
        self.text = article.text
        self.paragraphs = article.paragraphs or ((0, len(article.text)),)
        self.stretches = quoted_stretches(self.text, self.paragraphs)
        self.at = _token_index(doc, len(self.text))  # the doc is the parse of this text
        # tokens inside any pair of marks (marks included)
        self.quoted_tok: set[int] = set()
        self.quoted_chars: list[tuple[int, int]] = []
        for s in self.stretches:
            lo = s.open_mark
            hi = s.close_mark + 1 if s.close_mark is not None else s.end
            self.quoted_chars.append((lo, hi))
            for t in _tokens_in(doc, self.at, lo, hi):
                self.quoted_tok.add(t.i)
        self.quoted_frozen = frozenset(self.quoted_tok)
        self.index: PersonIndex = person_index(doc, self.quoted_chars)
        self.sent_starts = [s.start for s in doc.sents]

    def in_quote(self, tok: Any) -> bool:
        return tok.i in self.quoted_tok

    def paragraph_of(self, char: int) -> int:
        for k, (s, e) in enumerate(self.paragraphs):
            if s <= char <= e:
                return k
        return -1


def _segment_tokens(st: _Article, s: QuotedStretch) -> list[Any]:
    return [t for t in _tokens_in(st.doc, st.at, s.start, s.end) if not t.is_space]


def _ancestor_cue(st: _Article, toks: Sequence[Any], para: tuple[int, int]) -> Any | None:
    ids = {t.i for t in toks}
    roots = [t for t in toks if (t.head.i not in ids or t.head.i == t.i) and not t.is_punct]
    for r in roots:
        prev, h = r, r.head
        steps = 0
        while steps < 8 and para[0] <= h.idx < para[1]:
            steps += 1
            if not st.in_quote(h):
                if _is_cue(h) and prev.dep_ not in _SUBJ and not _in_subject_of(h, toks):
                    return _outer_cue(st, h, para)
                for c in h.children:
                    if c.lower_ == "according" and _is_cue(c) and c.i not in ids:
                        return c
            if h.head.i == h.i:
                break
            prev, h = h, h.head
        # a quote parsed as the root with the attribution hanging under it ("“We know,” she said")
        if r.head.i == r.i or r.dep_ == "ROOT":
            for c in r.children:
                if not st.in_quote(c) and _is_cue(c) and c.dep_ in {"parataxis", "ccomp", "conj", "advcl"} \
                        and para[0] <= c.idx < para[1]:
                    return c
    return None


def _outer_cue(st: _Article, cue: Any, para: tuple[int, int]) -> Any:
    """"She says it underscores that Trump is “unfit”": a cue whose subject is "it" or "that"
    inside another speech verb's complement gives way to that speech verb."""
    subj = _subject(cue, para, st.quoted_frozen)
    if subj is None or subj.lower_ not in {"it", "this", "that", "which"}:
        return cue
    for a in cue.ancestors:
        if not para[0] <= a.idx < para[1] or st.in_quote(a):
            break
        if _is_cue(a) and a.lemma_ not in _PHRASE_ONLY:
            outer = _subject(a, para, st.quoted_frozen)
            if outer is not None and outer.lower_ not in {"it", "this", "that", "which"}:
                return a
    return cue


def _sentence_cue(st: _Article, s: QuotedStretch, toks: Sequence[Any]) -> Any | None:
    """The nearest speech verb outside quote marks in the sentences the quote starts and ends in."""
    doc = st.doc
    first, last = toks[0].i, toks[-1].i
    par_lo, par_hi = st.paragraphs[s.paragraph]
    # spaCy's sentences can run across a paragraph break: keep those touching the quote's paragraph
    sents = [sent for sent in doc.sents if sent.start <= last + 2 and sent.end >= first - 1
             and sent.start_char < par_hi and sent.end_char > par_lo]
    # "“…” said Smith." split off as its own sentence after the closing mark
    after = [sent for sent in doc.sents if sent.start >= last and sent.start <= last + 3
             and sent.start_char < par_hi]
    cands = []
    for sent in {x.start: x for x in sents + after[:1]}.values():
        for t in sent:
            if st.in_quote(t) or not _is_cue(t) or t.lemma_ in _PHRASE_ONLY or not par_lo <= t.idx < par_hi:
                continue
            if _subject(t, (par_lo, par_hi), st.quoted_frozen) is None and t.lower_ != "according":
                continue
            if _in_subject_of(t, toks):
                continue
            dist = first - t.i if t.i < first else t.i - last
            cands.append((dist, t.i, t))
    if not cands:
        return None
    return min(cands, key=lambda x: (x[0], x[1]))[2]


def _colon_cue(st: _Article, s: QuotedStretch) -> tuple[Any, tuple[int, int]] | None:
    """The cue of a quote introduced by a colon, and the paragraph it stands in: "The mayor was
    blunt: “…”", or a lead-in paragraph of its own ("Caddell continued:" then the quote as the
    next paragraph)."""
    par_lo, par_hi = st.paragraphs[s.paragraph]
    j = s.open_mark - 1
    while j >= par_lo and st.text[j] == " ":
        j -= 1
    if j < par_lo and s.open_mark == par_lo and s.paragraph > 0:
        par_lo, par_hi = st.paragraphs[s.paragraph - 1]  # the paragraph before ends with the colon
        j = par_hi - 1
        while j >= par_lo and st.text[j].isspace():
            j -= 1
        if j < par_lo or _words(st.text[par_lo:j]) > 40:
            return None
    if j < 0 or st.text[j] != ":":
        return None
    i = st.at[j]
    if i < 0:
        return None
    colon = st.doc[i]
    para = (par_lo, par_hi)
    for t in reversed(list(st.doc[colon.sent.start : colon.i])):
        if _is_cue(t) and not st.in_quote(t) and par_lo <= t.idx < par_hi:
            return t, para  # "Said Ellis:", "told the council:"
    head = colon.head
    while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
        head = head.head
    if head.pos_ in {"VERB", "AUX"} and not st.in_quote(head) and par_lo <= head.idx < par_hi:
        return head, para
    # the parse hung the colon on the quote: take the verb of the clause before the colon
    for t in reversed(list(st.doc[colon.sent.start : colon.i])):
        if t.pos_ in {"VERB", "AUX"} and any(c.dep_ == "nsubj" for c in t.children) and par_lo <= t.idx < par_hi:
            return t, para
    return None


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _attribute(st: _Article, chain: _Chain) -> None:
    for s in chain.stretches:
        toks = _segment_tokens(st, s)
        if not toks:
            continue
        para = st.paragraphs[s.paragraph]
        cue = _ancestor_cue(st, toks, para)
        how = "cue"
        if cue is None:
            found = _colon_cue(st, s)
            if found is not None:
                cue, para = found
            how = "colon"
        short = _words(st.text[s.start : s.end]) < 4 and not _starts_sentence(st, s)
        if cue is None and not short:
            cue = _sentence_cue(st, s, toks)
            how = "cue"
        if cue is not None:
            chain.cue, chain.how = cue, ("according_to" if cue.lower_ == "according" else how)
            chain.subj = _subject(cue, para, st.quoted_frozen)
            return


def _starts_sentence(st: _Article, s: QuotedStretch) -> bool:
    j = s.open_mark - 1
    while j >= 0 and st.text[j] == " ":
        j -= 1
    return j < 0 or st.text[j] in ".!?\n:—–" or st.text[j] in _CLOSE_D + _STRAIGHT


def _speaker_of(st: _Article, subj: Any | None) -> Speaker | None:
    if subj is None:
        return None
    return resolve_speaker(subj, st.index, st.sent_starts)


def _clean_part(text: str, s: int, e: int) -> tuple[int, int]:
    while e > s and text[e - 1] in ", \n":
        e -= 1
    return s, e


def _mention(st: _Article, chain: _Chain, speaker: Speaker | None, how: str,
             inherited: QuoteMention | None = None) -> QuoteMention:
    parts = tuple(_clean_part(st.text, s.start, s.end) for s in chain.stretches)
    cue = chain.cue
    if inherited is not None:
        return QuoteMention(
            st.article.id, parts[0][0], parts[-1][1], parts, True, inherited.speaker, inherited.speaker_as_written,
            inherited.speaker_start, inherited.speaker_end, inherited.speaker_title, inherited.speaker_label,
            None, None, how)
    return QuoteMention(
        article_id=st.article.id, start=parts[0][0], end=parts[-1][1], parts=parts, direct=True,
        speaker=speaker.name if speaker else None,
        speaker_as_written=speaker.as_written if speaker else None,
        speaker_start=speaker.start if speaker else None, speaker_end=speaker.end if speaker else None,
        speaker_title=speaker.title if speaker else "", speaker_label=speaker.label if speaker else "",
        cue=cue.text if cue is not None else None, cue_start=cue.idx if cue is not None else None, how=how,
    )


def _direct(st: _Article) -> list[QuoteMention]:
    chains: dict[int, _Chain] = {}
    for s in st.stretches:
        chains.setdefault(s.chain, _Chain([])).stretches.append(s)
    for ch in chains.values():
        _attribute(st, ch)
    # he/she resolved again, knowing who speaks each quote: the speaker of one quote is the likeliest
    # "he" of the next
    speakers = [ch.subj.i for ch in chains.values() if ch.subj is not None]
    if speakers:
        idx = st.index
        st.index = replace(idx, pronouns=resolve_pronouns(st.doc, idx.mentions, idx.genders, st.quoted_tok, speakers))
    out: list[QuoteMention] = []
    prev_chain: _Chain | None = None
    for _cid, ch in sorted(chains.items()):
        first = ch.stretches[0]
        text = " ".join(st.text[s.start : s.end] for s in ch.stretches)
        if st.article.is_artifact(first.start, ch.stretches[-1].end):
            continue
        last = out[-1] if out else None
        same_par = last is not None and prev_chain is not None and \
            prev_chain.stretches[-1].paragraph == first.paragraph
        # split quote: “A,” she said. “B.” -- B has no cue of its own (or the same one) right after A's
        if (last is not None and same_par and prev_chain is not None and prev_chain.cue is not None
                and (ch.cue is None or ch.cue.i == prev_chain.cue.i)
                and last.end <= prev_chain.cue.idx < first.start and _starts_sentence(st, first)
                and _between_is_attribution(st, last.end, first.open_mark)):
            parts = last.parts + tuple(_clean_part(st.text, s.start, s.end) for s in ch.stretches)
            out[-1] = replace(last, end=parts[-1][1], parts=parts)
            prev_chain = ch if ch.cue is not None else prev_chain
            continue
        if ch.cue is not None:
            sp = _speaker_of(st, ch.subj)
            if ch.cue.lemma_ in _PHRASE_ONLY and _words(text) > 12 and sp is None:
                continue
            out.append(_mention(st, ch, sp, ch.how))
            prev_chain = ch
            continue
        # “…” ― Name: a dash attribution after the closing mark
        dash = _dash_speaker(st, ch)
        if dash is not None:
            out.append(_mention(st, ch, resolve_speaker(dash, st.index, st.sent_starts), "dash"))
            prev_chain = ch
            continue
        # no cue: a paragraph-opening quote continues the previous paragraph's speaker
        opens_par = first.open_mark == st.paragraphs[first.paragraph][0]
        if last is not None and opens_par and last.speaker is not None and prev_chain is not None and \
                first.paragraph - prev_chain.stretches[-1].paragraph == 1:
            out.append(_mention(st, ch, None, "previous", inherited=last))
            prev_chain = ch
            continue
        if _words(text) >= 6 and _starts_sentence(st, first) and _has_verb(st, first):
            out.append(_mention(st, ch, None, "none"))
            prev_chain = ch
    return out


def _dash_speaker(st: _Article, ch: _Chain) -> Any | None:
    """The head of a name written after a dash that follows the closing mark: “…” ― Ann Lutz."""
    last = ch.stretches[-1]
    if last.close_mark is None:
        return None
    m = re.match(r"[^\S\n]*[―—–-][^\S\n]*(?=[A-Z])", st.text[last.close_mark + 1 :])
    if not m:
        return None
    i = st.at[last.close_mark + 1 + m.end()]
    if i < 0:
        return None
    doc = st.doc
    j = i
    while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].text[:1].isupper() | (
            doc[j + 1].text in {"-", "."}):
        j += 1
    return doc[j] if doc[j].pos_ == "PROPN" else None


def _between_is_attribution(st: _Article, a: int, b: int) -> bool:
    between = st.text[a:b]
    return "\n" not in between and _words(between) <= 40


def _has_verb(st: _Article, s: QuotedStretch) -> bool:
    return any(t.pos_ in {"VERB", "AUX"} for t in _segment_tokens(st, s))


# ------------------------------------------------------------------------------ indirect


def _indirect(st: _Article, direct: Sequence[QuoteMention]) -> list[QuoteMention]:
    out: list[QuoteMention] = []
    doc = st.doc
    for tok in doc:
        if st.in_quote(tok) or not _is_cue(tok) or tok.lemma_ in _PHRASE_ONLY:
            continue
        if tok.lower_ == "according":
            head = tok.head
            if head.i == tok.i or st.in_quote(head):
                continue
            skip = {t.i for t in tok.subtree}
            content = [t for t in head.subtree if t.i not in skip and not t.is_punct]
            if not content:
                continue
            # the clause may start before or after the "according to" phrase; keep its longer side
            before = [t for t in content if t.i < tok.i]
            after = [t for t in content if t.i > tok.i]
            content = before if len(before) >= len(after) else after
        else:
            if _passive(tok) and _agent(tok) is None:
                continue  # "residents were told to leave": the addressee, not the speaker
            comps = [c for c in tok.children if c.dep_ == "ccomp" and c.i != tok.i]
            if not comps:
                continue
            # leave out a second speech verb conjoined inside ("... and warned that ..."): its own quote
            cut: set[int] = set()
            for t in comps[0].subtree:
                if t.dep_ == "conj" and _is_cue(t) and t.i != comps[0].i:
                    cut |= {x.i for x in t.subtree}
                    cut |= {c.i for c in t.head.children if c.dep_ == "cc" and t.head.i < c.i < t.i}
            content = [t for t in comps[0].subtree if t.i not in cut]
            while content and (content[0].is_punct or (content[0].dep_ == "mark" and content[0].lower_ == "that")):
                content = content[1:]
            while content and (content[-1].is_punct or content[-1].dep_ == "cc"):
                content = content[:-1]
        para = next(((a, b) for a, b in st.paragraphs if a <= tok.idx < b), (0, len(st.text)))
        content = [t for t in content if para[0] <= t.idx < para[1]]
        if sum(1 for t in content if not t.is_punct) < 3:
            continue
        s, e = content[0].idx, content[-1].idx + len(content[-1].text)
        if st.article.is_artifact(s, e):
            continue
        if any(qs < e and s < qe for qs, qe in st.quoted_chars):
            continue  # mixed or quoted content: the direct quote carries it
        subj = _subject(tok, para, st.quoted_frozen)
        sp = _speaker_of(st, subj)
        out.append(QuoteMention(
            article_id=st.article.id, start=s, end=e, parts=((s, e),), direct=False,
            speaker=sp.name if sp else None, speaker_as_written=sp.as_written if sp else None,
            speaker_start=sp.start if sp else None, speaker_end=sp.end if sp else None,
            speaker_title=sp.title if sp else "", speaker_label=sp.label if sp else "",
            cue=tok.text, cue_start=tok.idx, how="according_to" if tok.lower_ == "according" else "cue",
        ))
    return out


def extract_quotes(article: Article, annotation: Annotation, *, indirect: bool = True) -> tuple[QuoteMention, ...]:
    """Every direct quote (and, unless ``indirect`` is False, every indirect one) in the article,
    in text order. Reads ``annotation.doc``, the spaCy parse of ``article.text``."""
    doc = annotation.doc
    if doc is None:
        raise ValueError(f"annotation of {article.id!r} has no spaCy doc: run newsprism.nlp.annotate first")
    if not article.text.strip():
        return ()
    st = _Article(article, doc)
    direct = _direct(st)
    found = direct + (_indirect(st, direct) if indirect else [])
    return tuple(sorted(found, key=lambda m: (m.start, not m.direct, m.end)))
