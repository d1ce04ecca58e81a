"""Faster drop-in runs of two of spaCy's rule components, with the same output (issue 17).

In ``en_core_web_sm`` the attribute ruler and the rule lemmatizer together took a quarter of the
pipeline's time, almost all of it Python work per token: the ruler ran 179 token patterns through
the ``Matcher`` at every token, and the lemmatizer's cache misses every token whose lemma is
settled early (its base-form check), so most tokens re-ran the rules. Both depend on a few of the
token's attributes only, so here each distinct combination is worked out once per process:

* :class:`IndexedAttributeRuler` answers the ruler's fixed-length patterns (plain values, ``IN``,
  ``NOT_IN`` and ``REGEX`` over ``TAG``, ``LOWER``, ``DEP``, ``IS_SPACE``) from tables keyed by
  those attributes and leaves any other pattern (operators, other attributes) to a ``Matcher`` of
  its own; the matches it returns, and so the attributes set, are the ones the ruler's own
  ``match`` returns.
* :class:`MemoLemmatizer` remembers the rule lemma of each (word, part of speech, morphology), the
  only things the rules read, and writes a document's lemmas in one ``Doc.from_array``.

:func:`speed_up` swaps them in on a loaded pipeline where the components are the expected kinds, and
leaves anything else (other models, lookup lemmatizers, user pipelines) as it is.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> speed_up(nlp)
[]
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

__all__ = ["IndexedAttributeRuler", "MemoLemmatizer", "drop_tensor", "speed_up"]

# token attributes the indexed patterns may test, with the Doc.to_array column of each
_COLUMNS = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE}


def _column_index(tests: list[tuple[int, Any]]) -> tuple[int, dict[Any, int], list[tuple[int, Any]]]:
    """A column's tests as (bits tested there, bits each value passes by equality or ``IN``, the
    other tests to run per value)."""
    tested = 0
    passed_by: dict[Any, int] = {}
    others = []
    for bit, test in tests:
        tested |= 1 << bit
        wanted = getattr(test, "wanted", None)
        if wanted is None:
            others.append((bit, test))
        for v in wanted or ():
            passed_by[v] = passed_by.get(v, 0) | 1 << bit
    return tested, passed_by, others


class _OneOf:
    """A test passed by the values in ``wanted`` (a pattern's plain value or ``IN`` list)."""

    def __init__(self, wanted: frozenset[Any]) -> None:
        self.wanted = wanted

    def __call__(self, v: Any) -> bool:
        return v in self.wanted


def _test(spec: Any) -> Any:
    """A one-value test for a pattern's attribute spec, or None where the spec is not indexable."""
    if isinstance(spec, (bool, str)):
        return _OneOf(frozenset([spec]))
    if isinstance(spec, dict) and len(spec) == 1:
        (op, values), = spec.items()
        if isinstance(values, list) and all(isinstance(x, str) for x in values):
            wanted = frozenset(values)
            if op == "IN":
                return _OneOf(wanted)
            if op == "NOT_IN":
                return lambda v: v not in wanted
        if op == "REGEX" and isinstance(values, str):
            return re.compile(values).search
    return None


class IndexedAttributeRuler(AttributeRuler):
    """An ``AttributeRuler`` whose fixed-length patterns are answered by tables (see module notes).

    Each token of each such pattern is a bit. For every value an attribute takes, the bits it lets
    through are remembered; a token's bits are the AND of its four values' bits, and a pattern of n
    tokens matches at i when token i + k has the pattern's k-th bit for every k.
    """

    def _plan(self) -> tuple[list[tuple[int, int, int]], list[list[Any]], Matcher | None]:
        plan = self.__dict__.get("_fastpath_plan")
        if plan is not None and plan[0] == len(self.attrs):
            return plan[1], plan[2], plan[3]
        bits: list[tuple[int, int, int]] = []  # bit b: (attr_id, its token k, pattern length n)
        tests: list[list[Any]] = [[] for _ in _COLUMNS]  # per column: (bit, test) of specs testing it
        rest = Matcher(self.vocab, validate=False)
        for attr_id in range(len(self.attrs)):
            for pattern in self.matcher.get(str(attr_id))[1]:
                specs = [[(list(_COLUMNS).index(k), _test(v)) for k, v in token.items()]
                         if set(token) <= set(_COLUMNS) else None for token in pattern]
                if all(spec is not None and all(t is not None for _, t in spec) for spec in specs):
                    for k, spec in enumerate(specs):
                        for column, test in spec or ():
                            tests[column].append((len(bits), test))
                        bits.append((attr_id, k, len(pattern)))
                else:
                    rest.add(self.vocab.strings.add(str(attr_id)), [pattern])
        matcher = rest if len(rest) else None
        self.__dict__["_fastpath_plan"] = (len(self.attrs), bits, tests, matcher)
        # per column: value hash -> bits it lets through; per token mask: the first bits it holds
        self.__dict__["_fastpath_masks"] = [{} for _ in _COLUMNS]
        self.__dict__["_fastpath_starts"] = {}
        self.__dict__["_fastpath_index"] = None
        return bits, tests, matcher

    def _mask(self, column: int, value: int, bits: list[Any], tests: list[list[Any]]) -> int:
        index = self.__dict__.get("_fastpath_index")
        if index is None:  # per column: bits tested there, bits passed by each value, other tests
            index = self.__dict__["_fastpath_index"] = [_column_index(t) for t in tests]
        tested, passed_by, others = index[column]
        v: Any = bool(value) if column == 3 else self.vocab.strings[value]
        mask = ((1 << len(bits)) - 1) & ~tested | passed_by.get(v, 0)
        for bit, test in others:
            if test(v):
                mask |= 1 << bit
        self.__dict__["_fastpath_masks"][column][value] = mask
        return mask

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int, int]]) -> None:
        # as AttributeRuler.set_annotations, without a Span made for each match
        for attr_id, _, start, end in matches:
            index = self.indices[attr_id]
            at = (start if index >= 0 else end) + index
            if not start <= at < end:
                super().set_annotations(doc, [(attr_id, _, start, end)])  # its error message
            set_token_attrs(doc[at], self.attrs[attr_id])

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        bits, tests, rest = self._plan()
        masks: list[dict[int, int]] = self.__dict__["_fastpath_masks"]
        starts_of: dict[int, tuple[tuple[int, int, int], ...]] = self.__dict__["_fastpath_starts"]
        strings = self.vocab.strings
        tag_m, lower_m, dep_m, space_m = masks
        token_masks = [
            (tag_m[tag] if tag in tag_m else self._mask(0, tag, bits, tests))
            & (lower_m[lower] if lower in lower_m else self._mask(1, lower, bits, tests))
            & (dep_m[dep] if dep in dep_m else self._mask(2, dep, bits, tests))
            & (space_m[space] if space in space_m else self._mask(3, space, bits, tests))
            for tag, lower, dep, space in doc.to_array(list(_COLUMNS.values())).tolist()
        ]
        found: set[tuple[int, int, int, int]] = set()
        for i, m in enumerate(token_masks):
            if not m:
                continue
            starts = starts_of.get(m)
            if starts is None:  # the patterns whose first token this mask lets through
                starts = starts_of[m] = tuple(
                    (b, attr_id, n) for b, (attr_id, k, n) in enumerate(bits) if k == 0 and m >> b & 1)
            for b, attr_id, n in starts:
                if n == 1 or (i + n <= len(token_masks)
                              and all(token_masks[i + k] >> (b + k) & 1 for k in range(1, n))):
                    found.add((attr_id, strings[str(attr_id)], i, i + n))
        if rest is not None:
            for m_id, start, end in rest(doc, allow_missing=True, as_spans=False):
                found.add((int(strings[m_id]), m_id, start, end))
        return sorted(found)


class MemoLemmatizer(EnglishLemmatizer):
    """The English rule lemmatizer with one lemma remembered per (word, POS, morphology)."""

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule" or self.overwrite:
            return super().__call__(doc)
        if not self._validated:
            return super().__call__(doc)
        memo: dict[tuple[int, int, int], int] | None = self.__dict__.get("_fastpath_memo")
        if memo is None:
            memo = self.__dict__["_fastpath_memo"] = {}
            # the rules only ask whether a form is in the index: a dict answers without a list scan
            index = self.lookups.get_table("lemma_index", {})
            for pos, forms in list(index.items()):
                if isinstance(forms, list):
                    index[pos] = dict.fromkeys(forms)
        try:
            table = doc.to_array([LEMMA, ORTH, POS, MORPH])
            lemmas = table[:, 0].copy()
            for i, (lemma, orth, pos, morph) in enumerate(table.tolist()):
                if lemma == 0:
                    key = (orth, pos, morph)
                    found = memo.get(key)
                    if found is None:
                        found = memo[key] = self.vocab.strings.add(self.lemmatize(doc[i])[0])
                    lemmas[i] = found
            doc.from_array([LEMMA], lemmas.astype(np.uint64).reshape(-1, 1))  # type: ignore[arg-type]
            return doc
        except Exception as e:
            self.get_error_handler()(self.name, self, [doc], e)
            return doc


@Language.component("newsprism_drop_tensor")
def drop_tensor(doc: Doc) -> Doc:
    """Drop the tok2vec output a Doc keeps (96 floats a token): no analysis reads it (they read tags,
    the parse and entities; none asks spaCy for vectors or similarity), and spaCy's worker
    processes would otherwise pickle it back to the parent with every Doc (issue 17)."""
    doc.tensor = np.zeros((0,), dtype=np.float32)
    return doc


def speed_up(nlp: Any) -> list[str]:
    """Swap in the fast runs on ``nlp``'s components of the expected kinds; the names swapped."""
    swapped = []
    for name, component in nlp.pipeline:
        if type(component) is AttributeRuler:
            component.__class__ = IndexedAttributeRuler
            swapped.append(name)
        elif type(component) is EnglishLemmatizer and component.mode == "rule":
            component.__class__ = MemoLemmatizer
            swapped.append(name)
    return swapped
