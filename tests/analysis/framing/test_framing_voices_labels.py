"""Voices, labels and omission on fictional material written for these tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from newsprism.analysis.framing.labels import actor_labels
from newsprism.analysis.framing.profile import analyze_framing, subjectivity_score
from newsprism.analysis.framing.voices import (
    VoiceInput,
    classify_role,
    derive_voices,
    missing_roles,
    role_shares,
    voice_imbalance,
    voice_rows,
)
from newsprism.model import Article, Story
from newsprism.nlp.spacy_pipeline import load
from newsprism.text.quoted import QuotedRegions, quoted_regions


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load()


@pytest.mark.parametrize(("desc", "role"), [
    ("Harbor Commissioner", "official"),
    ("a spokeswoman for the state transport department", "official"),
    ("one of two members who voted against the plan", "opposition"),
    ("a longtime critic of the harbor board", "opposition"),
    ("director of Clean Quays Coalition, a nonprofit", "advocate"),
    ("a professor of coastal engineering at Norland University", "expert"),
    ("41, who rents a flat on Pier Street", "affected"),
    ("", "other"),
])
def test_roles_from_descriptions(desc: str, role: str) -> None:
    assert classify_role("Ada Quill", desc)[0] == role


def test_voice_rows_merge_speakers_and_share_words() -> None:
    rows = voice_rows([VoiceInput("Ada Quill", "Harbor Commissioner", 30), VoiceInput("Quill", "", 10),
                       VoiceInput("Bo Renn", "41, who rents a flat on Pier Street", 20)])
    assert [(r.speaker, r.role, r.count, r.words) for r in rows] == [
        ("Ada Quill", "official", 2, 40), ("Bo Renn", "affected", 1, 20)]
    shares = role_shares(rows)
    assert shares == {"official": pytest.approx(2 / 3, abs=1e-3), "affected": pytest.approx(1 / 3, abs=1e-3)}
    assert voice_imbalance(shares, shares) == 0.0
    assert missing_roles({"official": 1.0}, [shares]) == ("affected",)


def test_derive_voices_from_quote_marks(nlp: Any) -> None:
    text = ("Harbor Commissioner Ada Quill defended the plan. “We will keep the quay open all winter,” "
            "Quill said.\n\n“Nobody asked the people who live here what they wanted,” said Bo Renn, 41, "
            "who rents a flat on Pier Street.")
    doc = nlp(text)
    voices = {v.speaker: v for v in derive_voices(text, doc, QuotedRegions(quoted_regions(text)))}
    assert set(voices) == {"Ada Quill", "Bo Renn"}
    assert voices["Ada Quill"].words == 8
    rows = {r.speaker: r.role for r in voice_rows(voices.values())}
    assert rows == {"Ada Quill": "official", "Bo Renn": "affected"}


class _FakeEmbedder:
    """Puts words about migrants close together, everything else apart."""

    dim = 3

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = []
        for t in texts:
            if any(w in t for w in ("immigrant", "alien", "migrant")):
                rows.append([1.0, 0.05 * len(t) % 0.1, 0.0])
            else:
                rows.append([0.0, 0.0, 1.0])
        return np.asarray(rows, dtype=np.float32)


def test_labels_group_outlets_wordings_for_one_actor(nlp: Any) -> None:
    texts = {"a": "Undocumented immigrants rallied at the pier on Sunday.",
             "b": "Illegal aliens rallied at the pier on Sunday.",
             "c": "Harbor Commissioner Ada Quill spoke first. Recent migrants rallied at the pier."}
    docs = {k: nlp(t) for k, t in texts.items()}
    table = actor_labels(texts, docs, embedder=_FakeEmbedder())
    group = next(a for a in table if a.kind == "group")
    wordings = {aid: [w for w, _, _ in ws] for aid, ws in group.by_article().items()}
    assert wordings == {"a": ["undocumented immigrants"], "b": ["illegal aliens"], "c": ["recent migrants"]}
    loaded = {m.article_id: m.loaded for m in group.mentions}
    assert loaded == {"a": False, "b": True, "c": False}
    for m in group.mentions:
        assert texts[m.article_id][m.start:m.end] == m.text


@dataclass(frozen=True)
class _Claim:
    id: str
    omitted_by: tuple[str, ...]
    independent_sources: int

    @property
    def single_source(self) -> bool:
        return self.independent_sources <= 1


@dataclass(frozen=True)
class _Claims:
    claims: tuple[_Claim, ...]


def _story() -> Story:
    plain = Article.create(id="plain", outlet="Port Gazette", text=(
        "The harbor board voted 5-2 on Monday to close the north quay for repairs. "
        "“The quay is safe for now, but we will not take chances,” said Harbor Commissioner Ada Quill. "
        "“Nobody asked the people who live here,” said Bo Renn, 41, who rents a flat on Pier Street."))
    loaded = Article.create(id="loaded", outlet="Quay Voice", text=(
        "The reckless harbor board rammed through a shameful closure of the north quay. "
        "Bureaucrats should have fixed the crumbling quay years ago. "
        "“The quay is safe for now,” Harbor Commissioner Ada Quill insisted."))
    return Story(id="quay", articles=(loaded, plain))


def test_framing_rows_rank_and_explain(nlp: Any) -> None:
    claims = _Claims((_Claim("c1", ("loaded",), 2), _Claim("c2", ("loaded",), 1), _Claim("c3", (), 2)))
    rows = {r.article: r for r in analyze_framing(_story(), claims, embedder=None)}
    assert rows["plain"].rank == 1 and rows["loaded"].rank == 2
    assert rows["loaded"].subjectivity > rows["plain"].subjectivity
    assert rows["loaded"].omits == ("c1",)  # c2 rests on one source, c3 is carried
    assert rows["plain"].omits == ()
    assert "affected" in rows["loaded"].missing_voices
    assert {x.span.text for x in rows["loaded"].loaded} >= {"reckless", "rammed through", "Bureaucrats"}
    assert rows["loaded"].unattributed
    for row in rows.values():
        assert "loaded" in row.components.explain()
        for x in row.loaded:
            article = _story().article(row.article)
            assert article.text[x.span.start:x.span.end] == x.span.text and x.why


def test_voices_input_replaces_the_fallback(nlp: Any) -> None:
    given = {"plain": [VoiceInput("Cy Moss", "professor of hydrology at Norland University", 25)]}
    rows = {r.article: r for r in analyze_framing(_story(), None, given, embedder=None)}
    assert [(v.speaker, v.role) for v in rows["plain"].voices] == [("Cy Moss", "expert")]
    assert rows["loaded"].voices  # derived from its quote marks


def test_score_is_monotone() -> None:
    low = subjectivity_score(0.5, 0.0, 0.0, 0.0)[0]
    high = subjectivity_score(3.0, 0.3, 1.0, 0.5)[0]
    assert 0.0 <= low < high <= 1.0


@dataclass(frozen=True)
class _Mention:
    article_id: str
    parts: tuple[tuple[int, int], ...]
    direct: bool
    speaker: str | None
    speaker_title: str = ""
    speaker_as_written: str | None = None


def test_voices_from_a_quote_module() -> None:
    from newsprism.analysis.framing.voices import voices_from_quotes

    text = "“Keep the quay open,” said Harbor Commissioner Ada Quill. Someone shouted “no way”."
    mentions = [_Mention("a", ((1, 19),), True, "Ada Quill", "Harbor Commissioner", "Harbor Commissioner Ada Quill"),
                _Mention("a", ((71, 77),), True, None)]
    got = voices_from_quotes(mentions, {"a": text})
    assert got == {"a": [VoiceInput("Ada Quill", "Harbor Commissioner; Harbor Commissioner Ada Quill", 4, 1)]}
    assert voice_rows(got["a"])[0].role == "official"
