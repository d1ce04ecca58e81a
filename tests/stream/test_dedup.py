"""Duplicates: exact and near, kept and linked; groups independent of arrival order."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.model import Article
from newsprism.stream import dedup
from newsprism.stream.dedup import Deduplicator, fingerprint, fingerprints, jaccard, recheck
from newsprism.stream.store import Store

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


# The definitions the numpy scan must agree with: a word, and a word that ends a sentence.
_REF_WORD = re.compile(r"\w+(?:'\w+)*")
_REF_TOKEN = re.compile(r"(\w+(?:'\w+)*)([.!?…]+[\"'”’)\]]*(?=\s|$))?")
_TRICKY = [
    "", "a", "''", "a''b 'c' d'", "It’s O’Neil’s. x", "end.' next", "4.5% up!) ok?\" yes… no",
    "x_y __ 𝔘𝔫𝔦 😀 ab😀cd", "Straße ﬁne ＡＢＣ", "a.\u00a0b", "done.", "done.'", "tail?!", "k'",
    "Two  spaces.\n\nNew paragraph ends here!\tTab.", "«Quoted», he said. (Aside.) [Note.] Done",
    "\u0663\u0664 Arabic digits, ௫ Tamil five; ½ vulgar", "naïve café — résumé’s end.", WIRE, OWN_STORY,
]


def test_the_scan_finds_the_words_and_sentence_ends_of_the_regular_expressions() -> None:
    scan = dedup._scan(_TRICKY, spans=True)
    for i, text in enumerate(_TRICKY):
        folded = dedup._fold(text)
        lo, hi = scan.offsets[i], scan.offsets[i + 1]
        assert [tuple(s) for s in scan.spans[lo:hi].tolist()] == [m.span() for m in _REF_WORD.finditer(folded)], text
        assert scan.ends[lo:hi].tolist() == [bool(end) for _, end in _REF_TOKEN.findall(folded)], text
        assert hi - lo == len(dedup.words(text))


def test_word_hashes_are_one_per_word_and_stable_across_batches() -> None:
    big = dedup._scan(_TRICKY)
    seen: dict[str, int] = {}
    for i, text in enumerate(_TRICKY):
        alone = dedup._scan([text])
        lo, hi = big.offsets[i], big.offsets[i + 1]
        assert alone.hashes.tolist() == big.hashes[lo:hi].tolist()  # a word's hash ignores where it is
        for w, h in zip(dedup.words(text), alone.hashes.tolist(), strict=True):
            assert seen.setdefault(w, h) == h
    assert len(set(seen.values())) == len(seen)  # no two words share a hash here


def test_long_inputs_are_scanned_in_chunks_with_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [WIRE, "", OWN_STORY, "Short one.", WIRE.upper()]
    whole = fingerprints(texts)
    monkeypatch.setattr(dedup, "_SCAN_CHUNK", 200)  # smaller than one text: one chunk per text
    chunked = fingerprints(texts)
    assert [f.text_hash for f in chunked] == [f.text_hash for f in whole]
    assert all(np.array_equal(a.digest, b.digest) for a, b in zip(chunked, whole, strict=True))
    assert whole[0].text_hash == whole[4].text_hash and whole[1].n_words == 0


def test_the_recheck_floor_only_cuts_the_work_short() -> None:
    rng = random.Random(5)
    pairs = [(WIRE, OWN_STORY), (WIRE, _changed(WIRE, 0.3, seed=4)), (OWN_STORY, _changed(OWN_STORY, 0.5, seed=6))]
    pairs += [(WIRE, " ".join(rng.sample(WIRE.split(" "), k=60))) for _ in range(5)]
    for a, b in pairs:
        exact = recheck(a, b)
        cut = recheck(a, b, floor=dedup.RECHECK)
        assert (exact >= dedup.RECHECK) == (cut >= dedup.RECHECK)
        assert cut == exact or cut < dedup.RECHECK


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


@pytest.mark.parametrize("kept", [True, False], ids=["profiles kept", "rows from schema 2"])
def test_a_store_rechecks_from_its_kept_profiles_as_from_the_texts(
        kept: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # no profile stays in the deduplicator's memory: every re-check reads the store's (or its text)
    monkeypatch.setattr(dedup, "PROFILE_CACHE", 0)
    docs = [*_docs(), ("own-trim", "\n\n".join(OWN_STORY.split("\n\n")[1:])),
            ("wire-more-words", _changed(WIRE, 0.2, seed=3) + "\n\n" + _PARAS[5])]
    read, original = [], dedup.profile_from_words
    monkeypatch.setattr(dedup, "profile_from_words", lambda blob: read.append(1) or original(blob))
    fps = fingerprints(t for _, t in docs)
    in_memory = Deduplicator()
    want = [in_memory.add(k, t, fp) for (k, t), fp in zip(docs, fps, strict=True)]
    with Store(tmp_path / "s.sqlite3") as s, s.transaction():
        on_disk = Deduplicator(s)
        got = []
        for (key, text), fp in zip(docs, fps, strict=True):
            s.add_article(Article.create(id=key, outlet="Osk Daily", text=text, url=f"https://osk.example/{key}"),
                          fp=fp)
            if not kept:
                s.db.execute("UPDATE articles SET words=NULL")
            assert (s.profile_words(key) is not None) == kept
            got.append(on_disk.add(key, text, fp))
    assert got == want
    assert {v.kind for v in want} == {None, "exact", "near"}
    assert bool(read) == kept  # the borderline band was re-checked, from the kept profiles where kept
