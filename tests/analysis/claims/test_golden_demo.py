"""The golden test: the demo story's planted truths (examples/brenmoor-dam/truth.json),
written by hand before the analyses existed, must come out of the claim matrix."""

import json
from pathlib import Path

import pytest

from newsprism.pipeline import analyze
from newsprism.report.schema import Claim, Report

DEMO = Path(__file__).parents[3] / "examples" / "brenmoor-dam"


@pytest.fixture(scope="module")
def report() -> Report:
    run = analyze([DEMO / "articles"])
    assert run.report is not None and run.exit_code == 0
    return run.report


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))


def _claims_at(report: Report, article: str, evidence: str) -> list[Claim]:
    text = next(a.text for a in report.story.articles if a.id == article)
    start = text.find(evidence)
    assert start >= 0, f"truth evidence not in {article}: {evidence!r}"
    end = start + len(evidence)
    return [c for c in report.claims if any(s.article == article and s.start < end and start < s.end
                                            for s in c.spans)]


def test_every_shared_fact_is_one_multi_source_claim(report: Report, truth: dict) -> None:
    for fact in truth["shared_facts"]:
        carriers = set(fact["carried_by"])
        best = max((len(set(c.sources) & carriers)
                    for a, ev in fact["carried_by"].items() for c in _claims_at(report, a, ev)), default=0)
        assert best >= max(2, round(0.75 * len(carriers))), (fact["id"], fact["fact"], best, len(carriers))


def test_single_source_facts_are_flagged(report: Report, truth: dict) -> None:
    """Each planted single-source fact is a single-source claim, or, when its sentence also
    states a shared fact, a single-source detail (number or name) inside that claim."""

    def flagged(f: dict) -> bool:
        text = next(a.text for a in report.story.articles if a.id == f["article"])
        start = text.find(f["evidence"])
        end = start + len(f["evidence"])
        for c in _claims_at(report, f["article"], f["evidence"]):
            if c.single_source and f["article"] in c.sources:
                return True
            if any(d.article == f["article"] and start <= d.start and d.end <= end for d in c.details):
                return True
        return False

    missed = [f["id"] for f in truth["single_source_facts"] if not flagged(f)]
    assert len(missed) <= 1, missed


def test_rewrites_are_found_with_their_direction(report: Report, truth: dict) -> None:
    pairs = {(p.a, p.b): p for p in report.provenance.pairs}
    for d in truth["provenance"]["derived"]:
        src, dst = d["source"], d["derived"]
        p = pairs.get((src, dst)) or pairs[(dst, src)]
        assert p.relation in ("copy", "rewrite"), (src, dst, p.relation)
        expected = "a->b" if p.a == src else "b->a"
        assert p.direction == expected, (src, dst, p.direction)
        assert p.evidence


def test_two_rewrites_of_one_wire_share_a_source(report: Report, truth: dict) -> None:
    pairs = {frozenset((p.a, p.b)): p for p in report.provenance.pairs}
    for a, b in truth["provenance"]["siblings"]:
        p = pairs[frozenset((a, b))]
        assert (p.relation, p.direction) == ("shared_source", "unknown"), (a, b, p.relation)


def test_independent_articles_are_not_linked(report: Report, truth: dict) -> None:
    pairs = {frozenset((p.a, p.b)): p for p in report.provenance.pairs}
    for a, b in truth["provenance"]["independent_pairs"]:
        assert pairs[frozenset((a, b))].relation == "independent", (a, b)


def test_copies_count_as_one_independent_source(report: Report, truth: dict) -> None:
    derived = {d["derived"] for d in truth["provenance"]["derived"]}
    for c in report.claims:
        independent = [s for s in c.sources if s not in derived]
        assert c.independent_sources <= len(c.sources)
        assert c.independent_sources >= min(1, len(independent))


def test_every_claim_span_round_trips(report: Report) -> None:
    texts = {a.id: a.text for a in report.story.articles}
    for c in report.claims:
        assert c.sources and set(c.sources) == {s.article for s in c.spans}
        assert set(c.omitted_by).isdisjoint(c.sources)
        for s in c.spans:
            assert texts[s.article][s.start:s.end] == s.text
    for p in report.provenance.pairs:
        for e in p.evidence:
            assert texts[e.a.article][e.a.start:e.a.end] == e.a.text


def test_claims_are_ordered_by_importance(report: Report) -> None:
    scores = [c.importance for c in report.claims]
    assert scores == sorted(scores, reverse=True)
    assert not report.claims[0].single_source


def test_planted_artifacts_are_marked_not_deleted(report: Report, truth: dict) -> None:
    texts = {a.id: a.text for a in report.story.articles}
    for planted in truth["artifacts"]:
        start = texts[planted["article"]].find(planted["text"])
        assert start >= 0, f"artifact text was dropped from {planted['article']}: {planted['text']!r}"
        kinds = [x.kind for x in report.artifacts
                 if x.span.article == planted["article"] and x.span.start <= start < x.span.end]
        assert kinds == [planted["kind"]], (planted, kinds)
