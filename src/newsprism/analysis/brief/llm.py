"""The abstractive brief: a language model writes it from the claims, and every sentence is checked.

Any OpenAI-compatible chat endpoint works (a hosted API, vLLM, llama.cpp's server, Ollama's
``/v1``): :class:`OpenAIChat` POSTs to ``{url}/chat/completions`` with httpx, the key (if any)
read from an environment variable (``NEWSPRISM_LLM_KEY`` by default), never from a file or a flag.
Anything else with a ``complete(messages) -> str`` method is a :class:`ChatModel` too.

The model gets the story's claims, numbered (``[c3] text (4 independent outlets)``), and is asked
to cite the ids of the claims each sentence rests on. Each sentence it writes is then checked
against the evidence of the claims it cites (every sentence of every outlet in them):

1. it cites at least one claim, and only claims it was given;
2. every name in it (spaCy entities and proper nouns) appears in that evidence;
3. every number, amount and date in it matches one there (numbers up to rounding, 5%, or 12% when
   either side is hedged: "about", "nearly"; dates by their resolved day or their words);
4. it is close in meaning to the evidence: embedding cosine to the closest evidence sentence at
   least :data:`MIN_COSINE`.

A sentence that fails any check is dropped, with the reason, into ``Brief.dropped``: it is never
shown, and never shown uncited. The sources of a kept sentence are the outlets whose sentences in
the cited claims are close to it (cosine at least :data:`SOURCE_COSINE`).

Failures of the endpoint (unreachable, timeout, HTTP error, an answer that is not a chat
completion) raise :class:`LlmError`, which says what went wrong and what to do;
:func:`newsprism.analysis.brief.select.build_brief` catches it and returns the extractive brief with a
note.

>>> parse_generated("The council approved the repairs [c1]. Crews lowered the reservoir. [c2][c4]")
[('The council approved the repairs.', ('c1',)), ('Crews lowered the reservoir.', ('c2', 'c4'))]
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from newsprism.analysis.brief.output import BriefSentence, DroppedSentence, fits_budget
from newsprism.analysis.brief.wording import word_count
from newsprism.errors import NewsprismError
from newsprism.model import Span, Story
from newsprism.text.words import TITLE_WORDS, pick

if TYPE_CHECKING:
    from newsprism.analysis.claims import ClaimAnalysis
    from newsprism.nlp.embeddings import Embedder

__all__ = [
    "DEFAULT_KEY_ENV",
    "MIN_COSINE",
    "SOURCE_COSINE",
    "ChatModel",
    "LlmError",
    "OpenAIChat",
    "PromptClaim",
    "abstractive_sentences",
    "build_messages",
    "check_sentence",
    "parse_generated",
]

#: environment variable :class:`OpenAIChat` reads the API key from
DEFAULT_KEY_ENV = "NEWSPRISM_LLM_KEY"
#: a generated sentence is kept only when this close (cosine) to a sentence of the claims it cites
MIN_COSINE = 0.55
#: an outlet is a source of a kept sentence when one of its sentences in the cited claims is this close
SOURCE_COSINE = 0.5

_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"})
_CITE = re.compile(r"\[\s*((?:c\d+)(?:\s*[,;]\s*c\d+)*)\s*\]", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_WORD = re.compile(r"[\w’'\-.]+")
# words of a name that a generated sentence may add: the titles this check was written with (part of
# TITLE_WORDS), and the particles of names and places ("de la", "St.")
_TITLE_WORDS = pick(TITLE_WORDS, """mr mrs ms dr sen rep gov president mayor chair councilmember councilman
    councilwoman judge justice chief director secretary minister""") | frozenset("the of and de la st".split())


class LlmError(NewsprismError):
    """The language model endpoint could not give a usable answer (the message says why and what to do)."""


@runtime_checkable
class ChatModel(Protocol):
    """Anything that turns chat messages (``[{"role": ..., "content": ...}]``) into the reply text."""

    def complete(self, messages: Sequence[Mapping[str, str]]) -> str: ...


@dataclass(frozen=True)
class OpenAIChat:
    """An OpenAI-compatible chat-completions endpoint.

    ``url`` is the API base (``https://api.example.com/v1``, ``http://127.0.0.1:8080/v1``); the
    request goes to ``{url}/chat/completions``. The API key, when the endpoint needs one, comes
    from the environment variable named by ``key_env``.

    >>> OpenAIChat("http://127.0.0.1:9/v1/", "m").endpoint
    'http://127.0.0.1:9/v1/chat/completions'
    """

    url: str
    model: str
    key_env: str = DEFAULT_KEY_ENV
    timeout: float = 60.0
    temperature: float = 0.0
    max_tokens: int = 800

    @property
    def endpoint(self) -> str:
        return self.url.rstrip("/") + "/chat/completions"

    def complete(self, messages: Sequence[Mapping[str, str]]) -> str:
        """POST the messages and return the first choice's text; :class:`LlmError` on any failure."""
        import httpx

        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        payload = {"model": self.model, "messages": [dict(m) for m in messages],
                   "temperature": self.temperature, "max_tokens": self.max_tokens}
        where = self.endpoint
        try:
            resp = httpx.post(where, json=payload, headers=headers, timeout=self.timeout)
        except httpx.TimeoutException as err:
            raise LlmError(f"{where}: no answer within {self.timeout:g} s ({type(err).__name__}) "
                           "(fix: check that the model server is up, or raise the timeout)") from err
        except httpx.HTTPError as err:
            raise LlmError(f"could not reach the language model at {where}: {err} "
                           "(fix: check --llm-url and that the server is running)") from err
        if resp.status_code in (401, 403):
            raise LlmError(f"{where} refused the request (HTTP {resp.status_code}) "
                           f"(fix: put the API key in the environment variable {self.key_env})")
        if resp.status_code >= 400:
            raise LlmError(f"{where} answered HTTP {resp.status_code}: {resp.text[:200]!r} "
                           "(fix: check --llm-url and --llm-model)")
        try:
            data = resp.json()
            text = data["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as err:
            raise LlmError(f"{where} did not answer with an OpenAI-style chat completion "
                           f"(choices[0].message.content): {resp.text[:200]!r}") from err
        if not isinstance(text, str) or not text.strip():
            raise LlmError(f"{where} answered with an empty message (model {self.model!r})")
        return text


@dataclass(frozen=True)
class PromptClaim:
    """A claim as the model sees it: id, its least loaded wording, how many independent outlets."""

    id: str
    text: str
    independent_sources: int


_SYSTEM = (
    "You write short, neutral news briefs from a list of claims that several news outlets made about "
    "one story. Use only the claims given; add no fact, name, number or date that is not in them. "
    "Write plain, neutral sentences: no loaded or emotional words, no speculation, attribute opinions "
    "to who holds them. End every sentence with the ids of the claims it rests on, in square brackets, "
    "like [c3] or [c2][c5]. Put each sentence on its own line. If a claim comes from only one outlet, "
    "say so in the sentence (\"according to one outlet\")."
)


def build_messages(claims: Sequence[PromptClaim], length: int) -> list[dict[str, str]]:
    """The chat messages asking for a brief of about ``length`` words from ``claims``.

    >>> m = build_messages([PromptClaim("c1", "The dam cracked.", 3)], 80)
    >>> m[1]["content"].splitlines()[-1]
    '[c1] The dam cracked. (3 independent outlets)'
    """
    lines = []
    for c in claims:
        outlets = "1 outlet only" if c.independent_sources <= 1 else f"{c.independent_sources} independent outlets"
        lines.append(f"[{c.id}] {c.text} ({outlets})")
    user = (f"Write a neutral brief of this story in at most {length} words, most important facts first. "
            "Cite claim ids after every sentence.\n\nClaims:\n" + "\n".join(lines))
    return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": user}]


def parse_generated(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Split the model's answer into ``(sentence without citations, cited claim ids)``.

    Citation brackets after a sentence's full stop belong to that sentence; bullets and numbering
    are dropped.

    >>> parse_generated("- Voters approved it [c2, c5].\\n- A second line")
    [('Voters approved it.', ('c2', 'c5')), ('A second line', ())]
    """
    from newsprism.text.sentences import split_sentences

    out: list[tuple[str, list[str]]] = []
    for raw in text.splitlines():
        line = _BULLET.sub("", raw).strip().strip("*").strip()
        if not line or (line.endswith(":") and not _CITE.search(line)):
            continue
        for s, e, _ in split_sentences(line):
            piece = line[s:e]
            lead = re.match(r"^(?:\s*\[[^\]]*\]\s*)+", piece)
            if lead and out:  # "[c2]" that pysbd left at the start of the next sentence
                out[-1][1].extend(_ids(lead.group(0)))
                piece = piece[lead.end():]
            if not piece.strip():
                continue
            ids = _ids(piece)
            body = _CITE.sub("", piece)
            body = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", body)).strip()
            if body:
                out.append((body, ids))
    return [(t, tuple(dict.fromkeys(ids))) for t, ids in out]


def _ids(text: str) -> list[str]:
    return [x.strip().lower() for m in _CITE.finditer(text) for x in re.split(r"[,;]", m.group(1))]


# --- the checks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Evidence:
    """What the cited claims say: their sentences, words, names, figures and dates."""

    spans: tuple[Span, ...]
    words: frozenset[str]
    values: tuple[tuple[str, float, bool], ...]  # (kind, value, approximate)
    isos: frozenset[str]


def _words(text: str) -> set[str]:
    return {w.strip(".-’'").lower().removesuffix("’s").removesuffix("'s") for w in _WORD.findall(text)}


def _evidence(story: Story, spans: Sequence[Span], details: Sequence[Span] = ()) -> _Evidence:
    """The evidence of one claim; figures inside ``details`` (numbers only one of the claim's
    outlets gives) do not count, so a figure one outlet got wrong is never taken as support."""
    words: set[str] = set()
    values: list[tuple[str, float, bool]] = []
    isos: set[str] = set()
    for sp in spans:
        words |= _words(sp.text)
        try:
            ann = story.annotation(sp.article_id)
        except KeyError:
            ann = None
        quantities = ann.quantities if ann is not None else _quantities(sp.text, None, offset=sp.start)
        for q in quantities:
            if not (sp.start <= q.start and q.end <= sp.end):
                continue
            if any(d.article_id == sp.article_id and d.start <= q.start and q.end <= d.end for d in details):
                continue
            if q.iso:
                isos.add(q.iso)
            for v in (q.value, q.value2):
                if v is not None:
                    values.append((q.kind, v, q.approximate))
    return _Evidence(tuple(spans), frozenset(words), tuple(values), frozenset(isos))


def _quantities(text: str, doc: Any, offset: int = 0) -> list[Any]:
    from dataclasses import replace

    from newsprism.nlp.quantities import extract_quantities

    return [replace(q, start=q.start + offset, end=q.end + offset) for q in extract_quantities(text, doc)]


def _close(a: float, b: float, hedged: bool) -> bool:
    return abs(a - b) <= (0.12 if hedged else 0.05) * max(abs(a), abs(b)) + 1e-9


_MONEY, _PERCENT = "money", "percent"


def _value_supported(q: Any, ev: _Evidence) -> bool:
    vals = [v for v in (q.value, q.value2) if v is not None]
    if not vals:
        return True
    if _words(q.text) <= ev.words:  # written the same way in the evidence ("six weeks", "7-2")
        return True
    for v in vals:
        ok = False
        for kind, ev_v, approx in ev.values:
            if (q.kind == _MONEY) != (kind == _MONEY) or (q.kind == _PERCENT) != (kind == _PERCENT):
                continue
            if _close(v, ev_v, q.approximate or approx):
                ok = True
                break
        if not ok:
            return False
    return True


def _date_supported(q: Any, ev: _Evidence, published: Sequence[Any]) -> bool:
    from newsprism.nlp.dates import resolve_date

    for pub in published:
        iso = resolve_date(q.text, pub)
        if iso and iso in ev.isos:
            return True
    key = {w for w in _words(q.text) if w and w not in ("on", "the", "of", "in", "at", "a", "an", "this", "last",
                                                        "next", "early", "late", "by")}
    return bool(key) and key <= ev.words


def _name_words(text: str) -> set[str]:
    return {w for w in _words(text) if w and w not in _TITLE_WORDS and not w.isdigit()}


def check_sentence(text: str, cites: Sequence[str], evidence_by_claim: Mapping[str, Any],
                   *, story: Story, vector: np.ndarray, evidence_vectors: np.ndarray,
                   min_cosine: float = MIN_COSINE) -> str | None:
    """Why ``text`` (citing ``cites``) must be dropped, or None when every check passes.

    ``evidence_by_claim`` maps claim id -> its evidence; ``vector`` is the sentence's embedding,
    ``evidence_vectors`` the embeddings of the cited claims' sentences (same order as their spans).
    """
    if not cites:
        return "cites no claim"
    unknown = [c for c in cites if c not in evidence_by_claim]
    if unknown:
        return f"cites {', '.join(unknown)}, which it was not given"
    evs = [evidence_by_claim[c] for c in cites]
    ev = _Evidence(tuple(s for e in evs for s in e.spans), frozenset().union(*(e.words for e in evs)),
                   tuple(v for e in evs for v in e.values), frozenset().union(*(e.isos for e in evs)))
    from newsprism.nlp.spacy_pipeline import load

    doc = load()(text)
    for ent in doc.ents:
        if ent.label_ in _NAME_LABELS:
            missing = _name_words(ent.text) - ev.words
            if missing:
                return f"name not in the cited claims: {ent.text!r}"
    for tok in doc:
        if tok.pos_ == "PROPN" and not tok.is_sent_start and tok.ent_type_ == "" \
                and tok.text[:1].isupper() and tok.text.lower().strip(".") not in ev.words \
                and tok.text.lower() not in _TITLE_WORDS:
            return f"name not in the cited claims: {tok.text!r}"
    published = sorted({a.published for a in story.articles if a.published is not None
                        and any(s.article_id == a.id for s in ev.spans)}, key=str)
    for q in _quantities(text, doc):
        if q.kind in ("date", "time"):
            if not _date_supported(q, ev, published):
                return f"date not in the cited claims: {q.text!r}"
        elif q.kind != "ordinal" and not _value_supported(q, ev):
            return f"number not in the cited claims: {q.text!r}"
    if len(evidence_vectors):
        best = float(np.max(evidence_vectors @ vector))
        if best < min_cosine:
            return f"not close enough in meaning to the cited claims (cosine {best:.2f} < {min_cosine:.2f})"
    return None


def abstractive_sentences(story: Story, claims: ClaimAnalysis, prompt: Sequence[PromptClaim], model: ChatModel,
                          *, length: int, embedder: Embedder | None = None, min_cosine: float = MIN_COSINE,
                          exclude: Collection[tuple[str, int, int]] = ()
                          ) -> tuple[list[BriefSentence], list[DroppedSentence]]:
    """Ask ``model`` for a brief from the ``prompt`` claims; keep the sentences that pass every check.

    ``exclude`` holds sentences (article id, start, end) that are neither evidence nor sources:
    those stating a contradiction's minority value. Raises :class:`LlmError` when the model cannot
    be reached or answers with something unusable.
    """
    from newsprism.nlp.embeddings import get_embedder

    reply = model.complete(build_messages(prompt, length))
    parsed = parse_generated(reply)
    if not parsed:
        raise LlmError("the language model's answer held no sentence")
    given = {c.id for c in prompt}
    skip = set(exclude)
    rows = {c.id: c for c in claims.claims if c.id in given}
    kept_spans = {cid: tuple(s for s in row.spans if (s.article_id, s.start, s.end) not in skip)
                  for cid, row in rows.items()}
    evidence = {cid: _evidence(story, kept_spans[cid], rows[cid].details) for cid in rows}
    span_list = [s for spans in kept_spans.values() for s in spans]
    emb = embedder or get_embedder()
    span_vecs = emb.embed([s.text for s in span_list]) if span_list else np.zeros((0, 1), dtype=np.float32)
    vec_of = {(s.article_id, s.start, s.end): span_vecs[k] for k, s in enumerate(span_list)}
    sent_vecs = emb.embed([t for t, _ in parsed])
    group_of = {a: k for k, g in enumerate(claims.groups) for a in g}
    kept: list[BriefSentence] = []
    dropped: list[DroppedSentence] = []
    total = 0
    for (text, cites), vec in zip(parsed, sent_vecs, strict=True):
        cited_spans = [s for c in cites if c in rows for s in kept_spans[c]]
        ev_vecs = (np.vstack([vec_of[(s.article_id, s.start, s.end)] for s in cited_spans])
                   if cited_spans else np.zeros((0, len(vec)), dtype=np.float32))
        reason = check_sentence(text, cites, evidence, story=story, vector=vec, evidence_vectors=ev_vecs,
                                min_cosine=min_cosine)
        if reason is None and not fits_budget(total, word_count(text), length):
            reason = f"over the length budget of {length} words"
        if reason is not None:
            dropped.append(DroppedSentence(text, tuple(cites), reason))
            continue
        sims = ev_vecs @ vec
        best: dict[str, tuple[float, Span]] = {}
        for s, sim in zip(cited_spans, sims, strict=True):
            if s.article_id not in best or sim > best[s.article_id][0]:
                best[s.article_id] = (float(sim), s)
        chosen = [(sim, s) for sim, s in best.values() if sim >= SOURCE_COSINE] or [max(best.values(),
                                                                                       key=lambda t: t[0])]
        chosen.sort(key=lambda t: -t[0])
        sources = tuple(s.article_id for _, s in chosen)
        groups = len({group_of.get(a, a) for a in sources})
        kept.append(BriefSentence(text=text, cites=tuple(cites), sources=sources,
                                  spans=tuple(s for _, s in chosen), single_source=groups <= 1,
                                  independent_sources=groups))
        total += word_count(text)
    return kept, dropped
