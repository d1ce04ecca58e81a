"""On the real seed story (../shared/seeds, five outlets on the Los Angeles sanctuary ordinance),
the shared facts come out as multi-source claims and the single-source details are flagged."""

import re
from pathlib import Path

import pytest

from newsprism.pipeline import analyze
from newsprism.report.schema import Report

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed story not found at {SEEDS}")


@pytest.fixture(scope="module")
def report() -> Report:
    run = analyze([SEEDS])
    assert run.report is not None
    return run.report


# each shared fact: every listed pattern must match one sentence of the claim, in 3+ articles
SHARED_FACTS = {
    "council passed the ordinance": [r"(council|ordinance)", r"(pass|approv|adopt)"],
    "city resources barred from immigration enforcement": [r"resources", r"immigration"],
    "school district resolutions": [r"(school|LAUSD)", r"(sanctuary|resolution)"],
    "Homan's response": [r"Homan"],
}


@pytest.mark.parametrize("fact", sorted(SHARED_FACTS))
def test_shared_fact_is_a_multi_source_claim(report: Report, fact: str) -> None:
    patterns = SHARED_FACTS[fact]

    def states(text: str) -> bool:
        return all(re.search(p, text, re.IGNORECASE) for p in patterns)

    best = max((len({s.article for s in c.spans if states(s.text)}) for c in report.claims), default=0)
    assert best >= 3, f"{fact}: at most {best} articles aligned"


def test_single_source_details_are_flagged(report: Report) -> None:
    single = [c for c in report.claims if c.single_source]
    assert single, "some claims rest on one outlet"
    assert any("Blumenfield" in s.text for c in single for s in c.spans)  # quoted by one outlet only
