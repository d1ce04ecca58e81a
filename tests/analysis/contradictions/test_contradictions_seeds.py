"""On the real seed story (../shared/seeds, five outlets on the Los Angeles sanctuary ordinance): the
article that calls Jackie Goldberg a council president stands alone against the three that call her
the school board's president, and paraphrase between outlets raises nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.analysis.claims import analyze_claims
from newsprism.analysis.contradictions.detect import ContradictionRow, find_contradictions
from newsprism.pipeline import analyze

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed story not found at {SEEDS}")


@pytest.fixture(scope="module")
def rows() -> tuple[ContradictionRow, ...]:
    run = analyze([SEEDS])
    assert run.story is not None
    return find_contradictions(run.story, analyze_claims(run.story))


def test_goldbergs_wrong_title_stands_out(rows: tuple) -> None:
    roles = [r for r in rows if r.kind == "role" and "Goldberg" in r.subject]
    assert len(roles) == 1, [r.why for r in rows]
    row = roles[0]
    assert len(row.sides) == 2
    majority, outlier = row.sides
    assert len(outlier.articles) == 1 and "council" in outlier.value.lower()
    assert all("council" not in s.text.lower() for s in majority.spans)
    assert len(majority.articles) >= 3  # "Board President", "School board President", "president of the LAUSD board"
    assert row.outliers == outlier.articles


def test_no_other_conflict_from_paraphrase(rows: tuple) -> None:
    # 13-0 and "unanimously", "President-elect Donald Trump" and "President Trump", "former ICE Director"
    # and "border czar" Tom Homan are all consistent: only the Goldberg title is reported
    assert [r.kind for r in rows] == ["role"], [r.why for r in rows]
