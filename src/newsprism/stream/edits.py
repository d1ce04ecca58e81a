"""Edits: what changed between two versions of an article, in words and in claims.

A URL fetched again with other text is a new version in the store (``newsprism.stream.store``).
:func:`word_diff` gives the word-level difference of two versions; :func:`claim_changes` runs the
claim analysis (:func:`newsprism.analysis.claims.analyze_claims`) on the story as it was and as it
is, and says which of the edited article's claims appeared, which vanished, and which changed
support (another number of articles stating them). :func:`edit_notes` puts both in the lines
that ``newsprism analyze --story`` adds to the report's notes.

>>> d = word_diff("The council voted 7-2 on Tuesday.", "The council voted 6-3 on Tuesday night.")
>>> d.removed, d.added, d.inline()
(1, 2, 'The council voted [-7-2-] {+6-3+} on Tuesday {+night+}.')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from newsprism.model import Article, Story
from newsprism.text.normalize import match_key

if TYPE_CHECKING:
    from newsprism.analysis.claims import ClaimAnalysis
    from newsprism.nlp.embeddings import Embedder
    from newsprism.stream.store import Store

__all__ = ["ArticleEdit", "ClaimChange", "WordDiff", "claim_changes", "edit_notes", "story_edits", "word_diff"]

# a word (with inner hyphens, apostrophes, points and commas: 7-2, it's, 4.8, 1,200) or a run of
# punctuation, each with the spaces after it
_TOKEN = re.compile(r"\w+(?:[-'’.,:/]\w+)*\s*|[^\w\s]+\s*|\s+")
_HAS_WORD = re.compile(r"\w")
_CLOSING = ".,;:!?)]}”’%…"

Op = Literal["=", "-", "+"]


@dataclass(frozen=True, slots=True)
class WordDiff:
    """A word diff: runs of kept (``=``), removed (``-``) and added (``+``) words, in order."""

    ops: tuple[tuple[Op, str], ...]

    @property
    def removed(self) -> int:
        """Words removed."""
        return sum(_words(t) for op, t in self.ops if op == "-")

    @property
    def added(self) -> int:
        """Words added."""
        return sum(_words(t) for op, t in self.ops if op == "+")

    def inline(self) -> str:
        """The new text with changes marked ``[-removed-]`` and ``{+added+}`` (git's word-diff style)."""
        return _join([text if op == "=" else _mark(op, text) for op, text in self.ops])

    def changes(self, context: int = 4, limit: int = 5) -> list[str]:
        """The first ``limit`` changes, each with up to ``context`` kept words either side.

        >>> word_diff("a b c d e f g", "a b X d e f g").changes(context=1)
        ['b [-c-] {+X+} d']
        """
        out: list[str] = []
        ops = list(self.ops)
        i = 0
        while i < len(ops) and len(out) < limit:
            if ops[i][0] == "=":
                i += 1
                continue
            j = i
            while j < len(ops) and ops[j][0] != "=":
                j += 1
            before = " ".join(ops[i - 1][1].split()[-context:]) if i > 0 else ""
            after = " ".join(ops[j][1].split()[:context]) if j < len(ops) else ""
            out.append(_join([before, *(_mark(op, t) for op, t in ops[i:j]), after]))
            i = j
        return out


def _words(text: str) -> int:
    return sum(1 for t in _TOKEN.findall(text) if _HAS_WORD.search(t))


def _mark(op: Op, text: str) -> str:
    return f"[-{text}-]" if op == "-" else f"{{+{text}+}}"


def _join(parts: Sequence[str]) -> str:
    """Runs joined with one space, except before punctuation."""
    out = ""
    for p in (p for p in parts if p):
        glue = p[0] in _CLOSING  # closing punctuation sticks to the word before
        out += p if not out or glue else " " + p
    return out


def word_diff(old: str, new: str) -> WordDiff:
    """The word diff from ``old`` to ``new``: words and punctuation compared exactly, whitespace ignored."""
    a = [t.strip() for t in _TOKEN.findall(old) if t.strip()]
    b = [t.strip() for t in _TOKEN.findall(new) if t.strip()]
    ops: list[tuple[Op, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", _join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", _join(a[i1:i2])))
        if j2 > j1:
            ops.append(("+", _join(b[j1:j2])))
    return WordDiff(tuple(ops))


@dataclass(frozen=True, slots=True)
class ClaimChange:
    """One claim of an edited article that changed: ``appeared`` (the new version states it, the
    old did not), ``vanished`` (the reverse), or ``support`` (stated by both, but the number of
    articles stating it changed). ``before`` / ``after``: the articles stating the claim in the
    story as it was and as it is (0: the claim was not there)."""

    kind: Literal["appeared", "vanished", "support"]
    text: str
    before: int = 0
    after: int = 0


@dataclass(frozen=True, slots=True)
class _Row:
    key: str  # the wording's match key
    text: str
    sources: frozenset[str]
    others: frozenset[tuple[str, int, int]]  # its sentences in the articles that did not change


def _rows(claims: ClaimAnalysis, edited: str) -> list[_Row]:
    return [_Row(match_key(c.text), c.text, frozenset(c.sources),
                 frozenset((s.article_id, s.start, s.end) for s in c.spans if s.article_id != edited))
            for c in claims.claims]


def _same(row: _Row, rows: Sequence[_Row], taken: set[int]) -> int | None:
    """The index of the claim in ``rows`` that is ``row``: same wording, else the most shared sentences
    of the unchanged articles."""
    best, shared = None, 0
    for i, r in enumerate(rows):
        if i in taken:
            continue
        if r.key == row.key:
            return i
        n = len(r.others & row.others)
        if n > shared:
            best, shared = i, n
    return best


def claim_changes(old: ClaimAnalysis, new: ClaimAnalysis, article_id: str) -> list[ClaimChange]:
    """The claims of ``article_id`` that appeared, vanished or changed support between two analyses
    of one story (the same articles, ``article_id`` in its old and its new version).

    A claim of one analysis is the same as one of the other when their wording is the same, or when
    they rest on the same sentences of the articles that did not change. ``before`` and ``after``
    count the articles stating the claim in each analysis (0: no such claim), so a claim the edit
    took out that others still state reads "vanished, 5 → 4 sources".
    """
    rows_old, rows_new = _rows(old, article_id), _rows(new, article_id)
    out: list[ClaimChange] = []
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    for i, row in enumerate(rows_new):  # what the article states now
        if article_id not in row.sources:
            continue
        j = _same(row, rows_old, taken_old)
        taken_new.add(i)
        if j is None:
            out.append(ClaimChange("appeared", row.text, 0, len(row.sources)))
            continue
        taken_old.add(j)
        before = rows_old[j]
        if article_id not in before.sources:
            out.append(ClaimChange("appeared", row.text, len(before.sources), len(row.sources)))
        elif len(before.sources) != len(row.sources):
            out.append(ClaimChange("support", row.text, len(before.sources), len(row.sources)))
    for j, row in enumerate(rows_old):  # what it stated before and does not any more
        if article_id not in row.sources or j in taken_old:
            continue
        k = _same(row, rows_new, taken_new)
        out.append(ClaimChange("vanished", row.text, len(row.sources), 0 if k is None else len(rows_new[k].sources)))
    return out


@dataclass(frozen=True, slots=True)
class ArticleEdit:
    """One stored article whose text changed: its previous and current versions and what changed."""

    article: Article  # the current version
    version: int
    previous_version: int
    previous_seen: str
    seen: str
    diff: WordDiff
    claims: tuple[ClaimChange, ...] = ()


def story_edits(store: Store, story: Story, *, embedder: Embedder | None = None,
                with_claims: bool = True) -> list[ArticleEdit]:
    """The edits of ``story``'s articles: each edited article's last version against the one before.

    ``story`` is annotated (as ``pipeline.analyze_story`` returns it): with ``with_claims``, the
    claims are analysed on it and on the story with the previous versions (only those annotated
    anew), to say which claims appeared, vanished or changed support.
    """
    edited = store.edited([a.id for a in story.articles])
    if not edited:
        return []
    edits = []
    old_articles = {}
    for article_id in edited:
        versions = store.versions(article_id)
        prev, cur = versions[-2], versions[-1]
        old_articles[article_id] = store.article(article_id, prev.version)
        edits.append(ArticleEdit(story.article(article_id), cur.version, prev.version, prev.seen, cur.seen,
                                 word_diff(prev.text, cur.text)))
    if not with_claims or not story.annotations:
        return edits
    from newsprism.analysis.claims import analyze_claims
    from newsprism.nlp.annotate import annotate

    old_ann = dict(zip(old_articles, annotate(list(old_articles.values()), embedder=embedder), strict=True))
    old_story = replace(
        story,
        articles=tuple(old_articles.get(a.id, a) for a in story.articles),
        annotations=tuple(old_ann.get(an.article_id, an) for an in story.annotations))
    old, new = analyze_claims(old_story), analyze_claims(story)
    return [replace(e, claims=tuple(claim_changes(old, new, e.article.id))) for e in edits]


def edit_notes(edits: Sequence[ArticleEdit], *, limit: int = 5) -> list[str]:
    """One plain-language note per edited article, for the report's notes.

    >>> a = Article.create(id="osk", outlet="Osk Daily", text="The council voted 6-3.")
    >>> e = ArticleEdit(a, 2, 1, "2026-03-03T10:00", "2026-03-03T12:00", word_diff("The council voted 7-2.", a.text),
    ...                 (ClaimChange("appeared", "The council voted 6-3.", 0, 1),))
    >>> print(edit_notes([e])[0])  # doctest: +NORMALIZE_WHITESPACE
    Osk Daily (osk) was edited: version 2, seen 2026-03-03T12:00, replaces version 1 (2026-03-03T10:00);
    1 word removed, 1 added: "The council voted [-7-2-] {+6-3+}.". Claims that appeared:
    "The council voted 6-3." (1 source).
    """
    notes = []
    for e in edits:
        changes = e.diff.changes(limit=limit)
        more = len(e.diff.changes(limit=10_000)) - len(changes)
        shown = "; ".join(f'"{c}"' for c in changes) + (f" and {more} more" if more > 0 else "")
        parts = [f"{e.article.outlet} ({e.article.id}) was edited: version {e.version}, seen {e.seen}, "
                 f"replaces version {e.previous_version} ({e.previous_seen}); "
                 f"{_n(e.diff.removed, 'word')} removed, {e.diff.added} added" + (f": {shown}." if shown else ".")]
        for kind, label in (("appeared", "Claims that appeared"), ("vanished", "Claims that vanished"),
                            ("support", "Claims whose support changed")):
            found = [c for c in e.claims if c.kind == kind]
            if not found:
                continue
            listed = "; ".join(_claim(c) for c in found[:limit])
            extra = f" and {len(found) - limit} more" if len(found) > limit else ""
            parts.append(f"{label}: {listed}{extra}.")
        notes.append(" ".join(parts))
    return notes


def _n(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _claim(c: ClaimChange) -> str:
    text = c.text if len(c.text) <= 160 else c.text[:157] + "…"
    if c.before and c.after:
        return f'"{text}" ({c.before} → {c.after} sources)'
    return f'"{text}" ({_n(c.after or c.before, "source")})'
