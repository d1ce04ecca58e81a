"""Who did what, where, and whether: the predications of a sentence, read from its parse.

A :class:`Predication` is one verb (or predicative adjective: "the ordinance is *symbolic*") with
its negation, its doer (the active subject or the passive agent), what it acts on (object or
passive subject), its places ("in Ohio") and the named entities among them. Comparing two
closely aligned sentences predication by predication gives the conservative conflict rules of
:func:`compare_predications`:

* polarity: the same predicate asserted in one and negated in the other, or two predicates from
  one antonym axis (passed / rejected, rose / fell, symbolic / enforceable) with opposite
  signs, about the same participants;
* actor: the same action on the same thing, done by different named doers;
* place: the same action at different named places (the caller also checks that the articles do not
  name both places: a town and its county are no conflict);
* attribution: the same words, said (say, tell, insist, ...) by different named speakers.

>>> from newsprism.nlp.spacy_pipeline import load
>>> nlp = load()
>>> a = predications(nlp("The council approved the plan."), 0, 30)
>>> b = predications(nlp("The council rejected the plan."), 0, 30)
>>> [(f.kind, f.left, f.right) for f in compare_predications(a, b)]
[('polarity', 'approved', 'rejected')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsprism.text.words import LIGHT_VERBS, SPEECH_VERBS, pick

__all__ = ["AXES", "PredFinding", "Predication", "compare_predications", "predications"]

# antonym axes: lemma -> [(axis, sign)]
AXES: dict[str, list[tuple[str, int]]] = {}
for _axis, _pos, _neg in (
    ("decide", "approve pass adopt accept ratify confirm uphold enact authorize okay greenlight",
     "reject defeat veto block overturn refuse scrap deny"),
    ("support", "support back favor endorse", "oppose condemn denounce"),
    ("win", "win", "lose"),
    ("change", "increase rise raise grow climb gain jump surge soar expand",
     "decrease fall drop decline cut shrink reduce lower plunge slash"),
    ("allow", "allow permit legalize", "ban prohibit forbid outlaw"),
    ("open", "open reopen", "close shut"),
    ("verdict", "convict", "acquit"),
    ("guilt", "guilty", "innocent"),
    ("legal", "legal lawful constitutional", "illegal unlawful unconstitutional"),
    ("binding", "enforceable binding mandatory", "symbolic nonbinding voluntary"),
    ("admit", "confirm admit acknowledge", "deny"),
    ("agree", "agree", "disagree"),
    ("include", "include", "exclude"),
    ("survive", "survive", "die"),
    ("succeed", "succeed", "fail"),
    ("increase_adj", "higher larger more", "lower smaller fewer"),
):
    for _w in _pos.split():
        AXES.setdefault(_w, []).append((_axis, 1))
    for _w in _neg.split():
        AXES.setdefault(_w, []).append((_axis, -1))

#: verbs of saying, whose clause is what was said (brief.evidence looks through the same set): the part of
#: SPEECH_VERBS this reader was tuned with, and "comment", which SPEECH_VERBS lacks
SAY_VERBS = pick(SPEECH_VERBS, """say tell state add claim insist argue write note explain emphasize emphasise warn
    declare announce assert stress remark reply respond contend maintain recall predict tweet charge""") | {"comment"}
# verbs that carry no polarity or actor of their own: the verbs of saying, and LIGHT_VERBS but "give",
# which is not in the list this reader was tuned with
_LIGHT = (LIGHT_VERBS - {"give"}) | SAY_VERBS
_HYPOTHETICAL = frozenset("if whether unless though although".split())
# verbs that put what follows in doubt: "many have speculated that the White House offered ..."
_ATTITUDE = frozenset("""speculate allege suspect rumor rumour believe think wonder doubt suggest question guess
    hope fear imagine assume suppose predict hypothesize promise claim allegation report speculation suggestion
    belief idea notion assertion argument pledge vow""".split())
_NEGATING_HEADS = frozenset("fail refuse decline".split())
_NAMED = ("PERSON", "ORG", "GPE", "NORP")
_PLACES = ("GPE", "LOC", "FAC")


@dataclass(frozen=True, slots=True)
class Predication:
    """One predicate of a sentence with its participants (lemmas and named-entity keys)."""

    lemma: str
    negated: bool
    start: int  # character offsets of the predicate phrase as written (aux + negation + verb)
    end: int
    text: str
    doers: frozenset[str]  # subject / agent lemmas
    doer_names: tuple[tuple[str, str], ...]  # (key, text) of named doers
    objects: frozenset[str]
    places: tuple[tuple[str, str, str], ...]  # (preposition, key, text)
    say: bool
    hypothetical: bool
    words: frozenset[str]  # every lemma of the sentence (to check "mentioned anywhere")
    finite: bool = True  # a tensed assertion, not "to pass" or "by putting"
    labels: tuple[str, ...] = ()  # entity labels of the named doers
    copula: bool = False  # a bare "is / was" (compared only in near-identical sentences)


@dataclass(frozen=True, slots=True)
class PredFinding:
    kind: str  # polarity | actor | place | attribution
    key: str  # what the two sides disagree about ("approve plan", "arrest suspect")
    left: str  # the value on the first sentence's side, as written
    right: str
    left_label: str  # normalised value used to group sides
    right_label: str


def _name_key(text: str) -> str:
    words = [w for w in text.replace("’", "'").replace("'s", "").split() if w[:1].isalnum()]
    return words[-1].lower() if words else text.lower()


def _entity_of(tok: Any) -> tuple[str, str] | None:
    """(key, text) of the named entity (or capitalised proper name) a token heads."""
    if tok.ent_type_ in _NAMED + _PLACES:
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None:
            return (ent.label_, ent.text)
    if tok.pos_ == "PROPN" and tok.text[:1].isupper():
        parts = [t for t in tok.subtree if t.dep_ in ("compound", "flat") or t.i == tok.i]
        parts = [t for t in parts if t.pos_ == "PROPN"]
        return ("PROPN", " ".join(t.text for t in sorted(parts, key=lambda t: t.i)))
    return None


def _with_conj(tok: Any) -> list[Any]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out.extend(_with_conj(c))
    return out


def _phrase(verb: Any) -> tuple[int, int, str]:
    toks = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < verb.i]
    lo = min(t.i for t in toks)
    span = verb.doc[lo: verb.i + 1]
    return int(span.start_char), int(span.end_char), span.text


_FINITE_TAGS = frozenset(("VBD", "VBZ", "VBP", "MD"))


def _is_finite(pred: Any) -> bool:
    if pred.tag_ in _FINITE_TAGS:
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS for c in pred.children)


def _is_hypothetical(tok: Any) -> bool:
    # "if they don't pass it", "whether ..." written before the predicate in its clause
    sent_start = tok.sent.start if tok.doc.has_annotation("SENT_START") else 0
    before = [t.lower_ for t in tok.doc[max(sent_start, tok.i - 8): tok.i]]
    if "," in before:
        before = before[len(before) - before[::-1].index(","):]
    if any(w in _HYPOTHETICAL for w in before):
        return True
    cur = tok
    for _ in range(4):
        if any(c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL for c in cur.children):
            return True
        if cur.dep_ in ("ccomp", "xcomp", "acl") and cur.head.lemma_.lower() in _ATTITUDE:
            return True  # "speculated that ...", "Trump's promises that Mexico will pay"
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return False


def predications(doc: Any, start: int, end: int) -> list[Predication]:
    """The predications of the sentence at ``start:end`` of ``doc``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    words = frozenset(t.lemma_.lower() for t in span if t.is_alpha)
    question = span.text.rstrip().endswith("?")
    out: list[Predication] = []
    for tok in span:
        pred = tok
        lemma = tok.lemma_.lower()
        copula = False
        if tok.pos_ == "VERB":
            pass
        elif tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "attr") and tok.head.pos_ in ("AUX", "VERB"):
            pred = tok.head  # negation, subject and aux sit on the copula
        elif tok.pos_ == "AUX" and tok.lemma_ == "be" and tok.dep_ in ("ROOT", "ccomp", "conj") and not any(
                c.dep_ == "acomp" and c.pos_ == "ADJ" for c in tok.children):
            copula = True  # "the speeches were (not) abroad"
        else:
            continue
        negated = any(c.dep_ == "neg" for c in pred.children)
        if pred is not tok:
            negated = negated or any(c.dep_ == "neg" for c in tok.children)
        # "failed to pass", "refused to approve": the head verb negates
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in _NEGATING_HEADS:
            negated = not negated
        doers: set[str] = set()
        names: list[tuple[str, str]] = []
        labels: list[str] = []
        objects: set[str] = set()
        places: list[tuple[str, str, str]] = []
        for c in pred.children:
            if c.dep_ == "nsubj":
                for s in _with_conj(c):
                    doers.add(s.lemma_.lower())
                    ent = _entity_of(s)
                    if ent is not None and ent[0] not in _PLACES:
                        names.append((_name_key(ent[1]), ent[1]))
                        labels.append(ent[0])
            elif c.dep_ == "nsubjpass":
                objects.update(s.lemma_.lower() for s in _with_conj(c))
            elif c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj":
                        for s in _with_conj(p):
                            doers.add(s.lemma_.lower())
                            ent = _entity_of(s)
                            if ent is not None and ent[0] not in _PLACES:
                                names.append((_name_key(ent[1]), ent[1]))
                                labels.append(ent[0])
            elif c.dep_ in ("dobj", "attr", "dative"):
                objects.update(s.lemma_.lower() for s in _with_conj(c))
            elif c.dep_ == "prep" and c.lower_ in ("in", "at", "near", "outside", "inside"):
                for p in c.children:
                    if p.dep_ == "pobj" and p.ent_type_ in _PLACES:
                        ent = next((e for e in doc.ents if e.start <= p.i < e.end), None)
                        if ent is not None:
                            places.append((c.lower_, ent.text.lower().removeprefix("the "), ent.text))
        if pred is not tok:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "for", "to"):
                    objects.update(p.lemma_.lower() for p in c.children if p.dep_ == "pobj")
        if lemma == "according":
            continue
        s0, e0, text = _phrase(tok if pred is tok else pred)
        if pred is not tok:
            e0 = int(tok.idx + len(tok.text))
            text = doc.text[s0:e0]
        out.append(Predication(
            lemma=lemma, negated=negated, start=s0, end=e0, text=text,
            doers=frozenset(d for d in doers if d.isalpha() and d not in ("who", "which", "that")),
            doer_names=tuple(names), objects=frozenset(o for o in objects if o.isalpha()),
            places=tuple(places), say=lemma in SAY_VERBS, hypothetical=question or _is_hypothetical(tok),
            words=words, finite=_is_finite(pred), labels=tuple(labels), copula=copula,
        ))
    # "according to X" names a speaker for the sentence
    for tok in span:
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            to = next(c for c in tok.children if c.lower_ == "to")
            for p in to.children:
                ent = _entity_of(p) if p.dep_ == "pobj" else None
                if ent is not None and ent[0] in ("PERSON", "PROPN", "ORG"):
                    out.append(Predication("say", False, int(tok.idx), int(p.idx + len(p.text)), "according to",
                                           frozenset(), ((_name_key(ent[1]), ent[1]),), frozenset(), (), True,
                                           False, words))
    return out


def _args_agree(a: Predication, b: Predication, very_close: bool = False) -> bool:
    """The two predications are about the same participants (at least one shared, none at odds);
    in two near-identical sentences, participants the parse left out do not count against them."""
    shared = bool(a.doers & b.doers) or bool(a.objects & b.objects) or (
        very_close and a.doers == b.doers and a.objects == b.objects)
    doers_ok = not a.doers or not b.doers or bool(a.doers & b.doers)
    objects_ok = not a.objects or not b.objects or bool(a.objects & b.objects)
    return shared and doers_ok and objects_ok


def _opposed(a: Predication, b: Predication) -> tuple[str, int] | None:
    """The antonym axis ``a`` and ``b`` take opposite sides of (with ``a``'s sign), if any."""
    for axis, sa in AXES.get(a.lemma, ()):
        for axis_b, sb in AXES.get(b.lemma, ()):
            ea, eb = sa * (-1 if a.negated else 1), sb * (-1 if b.negated else 1)
            if axis == axis_b and ea != eb:
                return axis, ea
    return None


def compare_predications(left: Sequence[Predication], right: Sequence[Predication],
                         kinds: Iterable[str] = ("polarity", "actor", "place", "attribution"),
                         very_close: bool = False) -> list[PredFinding]:
    """Conflicts between two closely aligned sentences' predications (see the module doc).

    ``very_close``: the two sentences are near-identical (a rewrite), so predicates whose
    participants the parse missed on both sides may still be compared.
    """
    kinds = set(kinds)
    out: list[PredFinding] = []
    lw = left[0].words if left else frozenset()
    rw = right[0].words if right else frozenset()
    if "polarity" in kinds:
        out.extend(_polarity_findings(left, right, very_close))
    for a in left:
        for b in right:
            if a.lemma != b.lemma or a.hypothetical or b.hypothetical or a.negated or b.negated:
                continue
            if a.say and "attribution" in kinds:
                f = _different_names(a, b, lw, rw, "attribution", require_objects=False)
                if f:
                    out.append(f)
            elif not a.say and a.lemma not in _LIGHT and not a.copula:
                if "actor" in kinds and (a.objects & b.objects or very_close):
                    f = _different_names(a, b, lw, rw, "actor", require_objects=not very_close)
                    if f:
                        out.append(f)
                if "place" in kinds and a.places and b.places and _args_agree(a, b):
                    pa = {k for _, k, _ in a.places}
                    pb = {k for _, k, _ in b.places}
                    if not (pa & pb):
                        out.append(PredFinding("place", f"where: {a.lemma}", a.places[0][2], b.places[0][2],
                                               a.places[0][1], b.places[0][1]))
    return out


def _different_names(a: Predication, b: Predication, lw: frozenset[str], rw: frozenset[str], kind: str,
                     require_objects: bool) -> PredFinding | None:
    if not a.doer_names or not b.doer_names:
        return None
    ka = {k for k, _ in a.doer_names}
    kb = {k for k, _ in b.doer_names}
    if ka & kb or _share_word(a.doer_names, b.doer_names):
        return None  # "Democrats" / "the Democratic Party": one actor named two ways
    if kind == "actor" and {_label_family(x) for x in a.labels} != {_label_family(x) for x in b.labels}:
        return None
    # a name the other sentence also mentions (in any role) is no evidence of a swap
    if any(k in rw for k in ka) or any(k in lw for k in kb):
        return None
    if require_objects and not (a.objects & b.objects):
        return None
    key = f"who {'said it' if kind == 'attribution' else a.lemma + ' ' + ' '.join(sorted(a.objects & b.objects))}"
    return PredFinding(kind, key.strip(), a.doer_names[0][1], b.doer_names[0][1],
                       a.doer_names[0][0], b.doer_names[0][0])


def _also_states(p: Predication, others: Sequence[Predication]) -> bool:
    """Another sentence's predications include ``p`` itself (same predicate, polarity, participants)."""
    return any(x.lemma == p.lemma and x.negated == p.negated and _args_agree(p, x, True) for x in others)


def _stems(names: Iterable[tuple[str, str]]) -> set[str]:
    return {w.lower()[:5] for _, text in names for w in text.replace("’", "'").split()
            if w[:1].isupper() and w.lower() not in ("the", "a", "an")}


def _share_word(a: Iterable[tuple[str, str]], b: Iterable[tuple[str, str]]) -> bool:
    return bool(_stems(a) & _stems(b))


def _label_family(label: str) -> str:
    return "PERSON" if label in ("PERSON", "PROPN") else "GROUP"


def _polarity_findings(left: Sequence[Predication], right: Sequence[Predication],
                       very_close: bool = False) -> list[PredFinding]:
    out: list[PredFinding] = []
    seen: set[str] = set()
    for a in left:
        if a.hypothetical or a.say or not a.finite:
            continue
        for b in right:
            if b.hypothetical or b.say or not b.finite or not _args_agree(a, b, very_close):
                continue
            if (a.copula or b.copula) and not very_close:
                continue
            if a.lemma == b.lemma:
                if a.negated == b.negated or (a.lemma in _LIGHT and not very_close):
                    continue  # "did not have a government account" / "had a private account"
                # the other sentence must not also state it the other way round
                if _also_states(a, right) or _also_states(b, left):
                    continue
                key = f"whether {a.lemma}"
                la = "-" if a.negated else "+"
            else:
                axis = _opposed(a, b)
                if axis is None:
                    continue
                # the other sentence also asserts this side ("the House passed it, the Senate rejected it")
                if _also_states(a, right) or _also_states(b, left):
                    continue
                key = f"whether {axis[0]}"
                la = "+" if axis[1] > 0 else "-"
            if key in seen:
                continue
            seen.add(key)
            out.append(PredFinding("polarity", key, a.text, b.text, la, "-" if la == "+" else "+"))
    return out
