"""The brief on the demo story (examples/brenmoor-dam, truth.json written by hand) and on the real seed
story (../shared/seeds): the key facts are there, cited by several outlets, in neutral wording."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsprism.analysis.brief import Brief, build_brief
from newsprism.analysis.brief.output import BriefSentence
from newsprism.analysis.claims import ClaimAnalysis, analyze_claims
from newsprism.analysis.framing.profile import analyze_framing_full
from newsprism.model import Story
from newsprism.pipeline import analyze

DEMO = Path(__file__).parents[3] / "examples" / "brenmoor-dam"
SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"


@pytest.fixture(scope="module")
def demo() -> tuple[Story, ClaimAnalysis]:
    run = analyze([DEMO / "articles"])
    assert run.story is not None
    return run.story, analyze_claims(run.story)


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def plain(demo: tuple[Story, ClaimAnalysis]) -> Brief:
    """The brief from the claim matrix alone (no framing rows, no contradictions)."""
    return build_brief(*demo)


@pytest.fixture(scope="module")
def wired(demo: tuple[Story, ClaimAnalysis]) -> Brief:
    """The brief as the pipeline builds it: with the framing rows and the contradictions."""
    story, claims = demo
    contradictions = pytest.importorskip("newsprism.analysis.contradictions.detect")
    return build_brief(story, claims, framing=analyze_framing_full(story, claims),
                       contradictions=contradictions.find_contradictions(story, claims))


def _stating(brief: Brief, *patterns: str) -> list[BriefSentence]:
    return [s for s in brief.sentences if all(re.search(p, s.text, re.IGNORECASE) for p in patterns)]


KEY_FACTS = {
    "the vote and the amount": [r"7-2|seven\b.*\btwo\b", r"\$4\.8 million"],
    "the evacuation": [r"evacuat|ordered to leave|told to leave|residents"],
    "the crack": [r"\bcrack"],
    "the engineer's assessment": [r"Achterberg|engineer", r"stable|not (?:in )?(?:any |imminent )?danger|not at risk"],
}


@pytest.mark.parametrize("which", ["plain", "wired"])
@pytest.mark.parametrize("fact", sorted(KEY_FACTS))
def test_demo_brief_states_the_key_facts(request: pytest.FixtureRequest, which: str, fact: str) -> None:
    brief: Brief = request.getfixturevalue(which)
    found = _stating(brief, *KEY_FACTS[fact])
    assert found, (fact, [s.text for s in brief.sentences])
    for s in found:  # shared facts: cited by two or more independent outlets
        assert not s.single_source and s.independent_sources >= 2 and len(s.sources) >= 2, s


@pytest.mark.parametrize("which", ["plain", "wired"])
def test_demo_brief_is_neutral_and_right(request: pytest.FixtureRequest, which: str, truth: dict,
                                         demo: tuple[Story, ClaimAnalysis]) -> None:
    brief: Brief = request.getfixturevalue(which)
    story, _ = demo
    assert 120 <= brief.words <= 176
    assert "8.4" not in brief.text
    loaded = [p for entry in truth["loaded_language"] for p in entry["phrases"]]
    assert not [p for p in loaded if p.lower() in brief.text.lower()]
    for s in brief.sentences:
        assert s.cites and s.sources
        for sp in s.spans:
            assert story.article(sp.article_id).text[sp.start:sp.end] == sp.text
        assert not re.match(r"[A-Z]{3,}.*\((?:NPS|AP)\)", s.text)  # the wire's dateline is cut


def test_demo_disputed_and_single_source(wired: Brief, truth: dict) -> None:
    values = {side.value for d in wired.disputed for side in d.sides}
    assert "$8.4 million" in values and "$4.8 million" in values
    wrong = next(d for d in wired.disputed if any(s.value == "$8.4 million" for s in d.sides))
    assert next(s for s in wrong.sides if s.value == "$8.4 million").articles == ("brenmoor-bugle",)
    assert 1 <= len(wired.single_source_claims) <= 5
    planted = [f["evidence"][:40] for f in truth["single_source_facts"]]
    assert any(any(p in sp.text for p in planted) for item in wired.single_source_claims for sp in item.spans)
    # the amount's sentence never cites the outlet that got it wrong
    amount = _stating(wired, r"\$4\.8 million")[0]
    assert "brenmoor-bugle" not in amount.sources


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed story not found at {SEEDS}")
def test_seed_story_brief() -> None:
    run = analyze([SEEDS])
    assert run.story is not None
    brief = build_brief(run.story, analyze_claims(run.story))
    facts = {
        "the ordinance": [r"ordinance"],
        "what it bars": [r"resources|facilities|personnel", r"immigration"],
        "the school district's resolutions": [r"school|LAUSD", r"resolution|sanctuary"],
        "the federal response": [r"Trump|Homan|federal government|administration"],
    }
    for fact, patterns in facts.items():
        found = _stating(brief, *patterns)
        assert found, (fact, [s.text for s in brief.sentences])
        assert max(len(s.sources) for s in found) >= 3, (fact, [(s.text, s.sources) for s in found])
    assert all(not s.single_source for s in brief.sentences)
