"""Duplicates: exact and near, kept and linked; groups independent of arrival order."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.stream import dedup
from newsprism.stream.dedup import Deduplicator, fingerprint, fingerprints, jaccard, recheck

# Fictional wire copy (written for these tests) and another outlet's own story on the same event.
WIRE = (
    'OSK ISLAND (NPS) — The ferry to Osk Island resumed service on Monday after a two-week pause for '
    'engine repairs, the harbour office said.\n\n'
    'The first crossing left the mainland pier at 7:15 a.m. with 212 passengers, and tickets for the '
    'evening run sold out by noon.\n\n'
    'Harbour master Ilse Vantreek said a second boat would be added on weekends until the end of the '
    'month.\n\n'
    '"We are grateful for the patience of islanders who waited two weeks for this," Vantreek said in a '
    'statement.\n\n'
    "The repairs cost about $310,000 and were paid for by the county's transport fund, according to "
    'council records.\n\n'
    'Island shop owners said the pause had cut their sales by half, and several had closed early during '
    'the outage.'
)

OWN_STORY = (
    'Islanders cheered on Monday as the Osk ferry pulled away from the mainland pier again, two weeks '
    'after an engine failure stranded the service.\n\n'
    'Ilse Vantreek, who runs the harbour, told the Osk Daily that the county paid for the repairs and '
    'that weekend sailings would double.\n\n'
    'Some shop owners on the island were less cheerful: the outage, they said, came in the busiest '
    'fortnight of the year.\n\n'
    "The council has not said whether it will review the ferry operator's maintenance contract."
)


def _changed(text: str, share: float, seed: int) -> str:
    rng = random.Random(seed)
    tokens = text.split(" ")
    for i in rng.sample(range(len(tokens)), k=int(share * len(tokens))):
        tokens[i] = rng.choice(["blue", "quickly", "seven", "harbourside", "under", "merchant"])
    return " ".join(tokens)


def test_exact_duplicates_ignore_case_spacing_and_typography() -> None:
    a, b = fingerprints([WIRE, WIRE.upper().replace("'", "’").replace(" ", "  ")])
    assert a.text_hash == b.text_hash
    assert a.text_hash != fingerprint(WIRE + " Extra.").text_hash


def test_near_duplicates_trims_additions_and_changed_words() -> None:
    d = Deduplicator()
    assert d.add("wire", WIRE).kind is None
    paragraphs = WIRE.split("\n\n")
    trimmed = d.add("trimmed", "\n\n".join(paragraphs[:4]))
    added = d.add("added", WIRE + "\n\nThe ferry timetable is posted at the pier and on the county website.")
    changed = d.add("changed", _changed(WIRE, 0.12, seed=3))
    assert (trimmed.kind, added.kind, changed.kind) == ("near", "near", "near")
    assert {trimmed.canonical, added.canonical, changed.canonical} == {"wire"}
    assert 0 < changed.similarity <= 1


def test_another_outlets_story_on_the_same_event_is_not_a_duplicate() -> None:
    d = Deduplicator()
    d.add("wire", WIRE)
    assert d.add("own", OWN_STORY).kind is None
    assert recheck(WIRE, OWN_STORY) < dedup.RECHECK


def test_duplicates_are_kept_and_linked_to_the_first_seen() -> None:
    d = Deduplicator()
    d.add("first", WIRE)
    d.add("copy", WIRE)
    d.add("own", OWN_STORY)
    assert d.group("copy") == ("first", "copy")
    assert d.group("own") == ("own",)
    assert d.index.link_of("copy") == ("first", "exact", 1.0)  # type: ignore[attr-defined]


def test_band_keys_are_stable_and_signed_64_bit() -> None:
    fp = fingerprint(WIRE)
    keys = fp.bands()
    assert len(keys) == dedup.BANDS and len(set(keys)) == dedup.BANDS
    assert all(0 <= k < 2**63 for k in keys)
    assert keys == dedup.band_keys(np.array(fp.digest, copy=True))
    assert jaccard(fp.digest, fingerprint(WIRE).digest) == 1.0


def test_empty_and_tiny_texts_fingerprint() -> None:
    empty, one, three = fingerprints(["", "Dam.", "Dam holds firm"])
    assert empty.n_words == 0 and one.n_words == 1 and three.n_words == 3
    assert jaccard(one.digest, three.digest) < 1.0


def test_recheck_is_symmetric() -> None:
    a, b = WIRE, "\n\n".join(WIRE.split("\n\n")[:3])
    assert recheck(a, b) == recheck(b, a) == 1.0


# --- the properties: idempotent, and order-independent groups -------------------------------

_PARAS = WIRE.split("\n\n") + OWN_STORY.split("\n\n")


def _docs() -> list[tuple[str, str]]:
    """Originals and edited copies: trims, additions, changed words, exact copies."""
    out = [("wire", WIRE), ("own", OWN_STORY)]
    out.append(("wire-trim", "\n\n".join(WIRE.split("\n\n")[:4])))
    out.append(("wire-copy", WIRE))
    out.append(("wire-words", _changed(WIRE, 0.1, seed=1)))
    out.append(("own-more", OWN_STORY + "\n\n" + _PARAS[2]))
    out.append(("own-words", _changed(OWN_STORY, 0.08, seed=2)))
    out.append(("mix", "\n\n".join([_PARAS[0], _PARAS[7], _PARAS[4]])))
    return out


def test_the_property_set_has_real_groups() -> None:
    assert _partition(_docs()) == {frozenset({"wire", "wire-trim", "wire-copy", "wire-words"}),
                                   frozenset({"own", "own-more", "own-words"}), frozenset({"mix"})}


def _partition(order: list[tuple[str, str]]) -> set[frozenset[str]]:
    d = Deduplicator()
    for key, text in order:
        d.add(key, text)
    return {frozenset(d.group(k)) for k, _ in order}


@settings(max_examples=25, deadline=None)
@given(st.permutations(_docs()))
def test_groups_do_not_depend_on_arrival_order(order: list[tuple[str, str]]) -> None:
    assert _partition(list(order)) == _partition(_docs())


@settings(max_examples=15, deadline=None)
@given(st.permutations(_docs()))
def test_adding_again_changes_nothing(order: list[tuple[str, str]]) -> None:
    d = Deduplicator()
    for k, t in order:
        d.add(k, t)
    groups = {k: d.group(k) for k, _ in order}
    again = [d.add(k, t) for k, t in order]
    assert {k: d.group(k) for k, _ in order} == groups
    for verdict, (k, _) in zip(again, order, strict=True):
        assert verdict.canonical == d.canonical(k)
        assert (verdict.kind is None) == (d.canonical(k) == k)
