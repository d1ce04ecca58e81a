"""The neutral brief on a small fictional story (tests/analysis/brief/brief_story.py): ordering by independent
support, redundancy, the least loaded wording, the length budget, single-source labelling, the disputed
section, cleaning, and the span invariants."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from newsprism.analysis.brief import Brief, build_brief, prepare_brief
from newsprism.analysis.brief.output import budget_slack, fits_budget
from newsprism.analysis.brief.wording import clean_prefix, is_fragment, needs_context, wording_features
from newsprism.analysis.claims import ClaimAnalysis, analyze_claims
from newsprism.model import Article, Span, Story


def _story_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("brief_story", Path(__file__).with_name("brief_story.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def story() -> Story:
    return _story_module().story()


@pytest.fixture(scope="module")
def claims(story: Story) -> ClaimAnalysis:
    return analyze_claims(story)


@pytest.fixture(scope="module")
def full(story: Story, claims: ClaimAnalysis) -> Brief:
    """A budget large enough for every readable sentence."""
    return build_brief(story, claims, length=400)


def _check_spans(story: Story, brief: Brief) -> None:
    for s in brief.sentences:
        assert s.spans and len(s.spans) == len(s.sources)
        assert [sp.article_id for sp in s.spans] == list(s.sources)
        for sp in s.spans:
            assert story.article(sp.article_id).text[sp.start:sp.end] == sp.text
        own = s.spans[0].text
        assert s.text[1:] == own[1:] and s.text[:1].lower() == own[:1].lower()


# --- ordering and support ---------------------------------------------------------------------------


def test_best_supported_fact_comes_first(story: Story, claims: ClaimAnalysis) -> None:
    one = build_brief(story, claims, length=25)
    assert len(one.sentences) == 1
    top = one.sentences[0]
    assert top.independent_sources >= 2 and not top.single_source
    assert "Ferrin Street" in top.text  # the closure: the lead of every outlet


@pytest.mark.parametrize("length", [25, 50, 80, 120])
def test_single_source_facts_only_after_corroborated_ones(story: Story, claims: ClaimAnalysis, full: Brief,
                                                          length: int) -> None:
    brief = build_brief(story, claims, length=length)
    if any(s.single_source for s in brief.sentences):
        # every corroborated sentence left out is one that would not have fit
        multi_words = sum(s.words for s in brief.sentences if not s.single_source)
        have = {s.spans[0] for s in brief.sentences}
        for s in full.sentences:
            if not s.single_source and s.spans[0] not in have:
                assert not fits_budget(multi_words, s.words, length), s.text


def test_both_kinds_are_labelled(full: Brief) -> None:
    flags = [s.single_source for s in full.sentences]
    assert False in flags and True in flags
    for s in full.sentences:
        assert s.single_source == (s.independent_sources <= 1)


def test_copies_count_as_one_source(full: Brief) -> None:
    """The Gazette runs the Daily's story word for word: a fact only those two give is single-source."""
    ostrow = [s for s in full.sentences if "Ostrow" in s.text]
    assert ostrow, [s.text for s in full.sentences]
    assert ostrow[0].single_source and set(ostrow[0].sources) <= {"daily", "gazette"}
    assert ostrow[0].independent_sources == 1


# --- citations: a lone, loose match is not a source ----------------------------------------------------


def _citing_context(probs: dict[tuple[int, int], float], verbs: list[str | None]) -> SimpleNamespace:
    """What :meth:`BriefContext.corroborated` reads: sentence 0 in article ``a``, 1 in ``b``, 2 in ``c``."""
    units = [SimpleNamespace(index=k, article_id=a) for k, a in enumerate("abc")]
    return SimpleNamespace(units=units, prob=probs, verbs=verbs, threshold=0.34)


@pytest.mark.parametrize(("probs", "verbs", "kept"), [
    ({(0, 1): 0.65}, ["suspend", "resume", None], {"a"}),  # lone, loose, another verb: same topic, other fact
    ({(0, 1): 0.8}, ["suspend", "resume", None], {"a", "b"}),  # lone but close
    ({(0, 1): 0.65}, ["vote", "vote", None], {"a", "b"}),  # lone, loose, the same main verb
    ({(0, 1): 0.65, (0, 2): 0.65, (1, 2): 0.5}, [None, None, None], {"a", "b", "c"}),  # three outlets agree
    ({(0, 1): 0.65, (0, 2): 0.65, (1, 2): 0.1}, [None, None, None], {"a"}),  # b and c say different things
    ({(0, 1): 0.65, (0, 2): 0.9, (1, 2): 0.1}, [None, None, None], {"a", "c"}),
])
def test_citations_need_corroboration(probs: dict[tuple[int, int], float], verbs: list[str | None],
                                      kept: set[str]) -> None:
    from newsprism.analysis.brief.evidence import BriefContext

    ctx = _citing_context(probs, verbs)
    support = {"a": 0, **{"bc"[j - 1]: j for (i, j) in probs if i == 0}}
    best = {"bc"[j - 1]: p for (i, j), p in probs.items() if i == 0}
    assert set(BriefContext.corroborated(ctx, 0, support, best)) == kept  # type: ignore[arg-type]


def test_main_verb_looks_through_saying(story: Story) -> None:
    from newsprism.analysis.brief.evidence import _main_verb
    from newsprism.analysis.claims.units import story_units

    units, _ = story_units(story)
    verbs = {u.text[:30]: _main_verb(story, u) for u in units if u.article_id in ("wire", "daily")}
    assert verbs[next(t for t in verbs if "About 40 fishing boats" in t)] == "move"  # "..., Velder said"
    assert verbs[next(t for t in verbs if t.startswith("The pier was built"))] == "build"


def test_shared_words_count_what_other_outlets_also_say() -> None:
    from newsprism.analysis.brief.evidence import _shared_words

    u = [SimpleNamespace(index=0, article_id="a", terms=frozenset({"pier", "close", "monday"})),
         SimpleNamespace(index=1, article_id="b", terms=frozenset({"pier", "close"})),
         SimpleNamespace(index=2, article_id="c", terms=frozenset({"pier", "bait"}))]
    # "pier": both other articles (1.0); "close": one of two (0.5); "monday": none
    assert list(_shared_words(u)) == [1.5, 1.5, 1.0]  # type: ignore[arg-type]
    assert list(_shared_words(u[:1])) == [0.0]  # type: ignore[arg-type]


# --- redundancy and wording ---------------------------------------------------------------------------


def test_each_fact_once(full: Brief) -> None:
    texts = [s.text for s in full.sentences]
    assert sum("$2.3 million" in t for t in texts) == 1, texts
    assert sum(bool(re.search(r"\b40\b", t)) for t in texts) == 1, texts
    assert sum(bool(re.search(r"clos|shut", t)) for t in texts if "Ferrin Street" in t) == 1, texts


def test_least_loaded_wording_is_used(story: Story, claims: ClaimAnalysis, full: Brief) -> None:
    text = full.text
    for loaded in ("rammed", "reckless", "shoved", "cramped", "staggering price"):
        assert loaded not in text or any(loaded in s.text and s.single_source for s in full.sentences), loaded
    # the boats: the Ledger says it too, but its loaded sentence is a source, never the wording
    boats = next(s for s in full.sentences if re.search(r"\b40\b", s.text))
    assert boats.spans[0].article_id != "ledger"
    assert "ledger" in boats.sources


def test_framing_rows_are_read_when_given(story: Story, claims: ClaimAnalysis) -> None:
    from newsprism.analysis.framing.profile import analyze_framing_full

    framing = analyze_framing_full(story, claims, embedder=None)
    assert build_brief(story, claims, framing=framing, length=60).text == build_brief(story, claims, length=60).text


# --- length -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [10, 25, 40, 60, 120])
def test_length_budget(story: Story, claims: ClaimAnalysis, length: int) -> None:
    brief = build_brief(story, claims, length=length)
    assert brief.sentences
    assert brief.words <= length + budget_slack(length) or len(brief.sentences) == 1
    assert brief.length == length


def test_budget_rule() -> None:
    assert fits_budget(0, 20, 20) and fits_budget(0, 25, 20) and not fits_budget(0, 26, 20)
    with pytest.raises(ValueError, match="positive"):
        build_brief(Story(id="s", articles=()), analyze_claims(Story(id="s", articles=())), length=0)


# --- single source and disputed ----------------------------------------------------------------------------


def test_single_source_claims_worth_checking(story: Story, claims: ClaimAnalysis) -> None:
    brief = build_brief(story, claims, length=40)
    assert 0 < len(brief.single_source_claims) <= 5
    in_brief = {c for s in brief.sentences for c in s.cites}
    by_id = {c.id: c for c in claims.claims}
    for item in brief.single_source_claims:
        assert by_id[item.claim].single_source and item.claim not in in_brief
        assert item.spans[0].text[1:] == item.text[1:]
        assert item.sources == by_id[item.claim].sources
    assert any("Ostrow" in i.text and "Rena Ostrow" in i.why for i in brief.single_source_claims)


@dataclass(frozen=True)
class _Side:
    value: str
    spans: tuple[Span, ...]
    articles: tuple[str, ...]


@dataclass(frozen=True)
class _Contradiction:
    id: str
    kind: str
    subject: str
    sides: tuple[_Side, ...]
    why: str = "the repair cost differs"


def _cost_contradiction(story: Story) -> _Contradiction:
    def span(article: str, needle: str) -> Span:
        a = story.article(article)
        start = a.text.index(needle)
        return a.span(start, start + len(needle))

    return _Contradiction("x1", "number", "cost of the pier repairs", (
        _Side("$2.3 million", tuple(span(a, "$2.3 million") for a in ("daily", "gazette", "wire")),
              ("daily", "gazette", "wire")),
        _Side("$3.2 million", (span("ledger", "$3.2 million"),), ("ledger",)),
    ))


def test_disputed_section_and_minority_value_kept_out(story: Story, claims: ClaimAnalysis) -> None:
    brief = build_brief(story, claims, contradictions=[_cost_contradiction(story)], length=400)
    assert [(d.id, d.kind, [s.value for s in d.sides]) for d in brief.disputed] == [
        ("x1", "number", ["$2.3 million", "$3.2 million"])]
    assert brief.disputed[0].sides[1].articles == ("ledger",)
    assert "$3.2 million" not in brief.text
    cost = next(s for s in brief.sentences if "$2.3 million" in s.text)
    assert cost.disputed == ("x1",) and "ledger" not in cost.sources
    assert all(s.disputed == () for s in brief.sentences if s is not cost)


def test_a_context_read_ahead_takes_the_sides_as_a_whole_build_does(story: Story, claims: ClaimAnalysis) -> None:
    """The pipeline reads the story for the brief while the quotes are still grouped, and passes the
    contradictions in afterwards: the brief is the one built in one go."""
    contradictions = [_cost_contradiction(story)]
    ahead = prepare_brief(story, claims)
    assert ahead is not None and ahead.cands == {} and ahead.side_of == {}
    assert build_brief(story, claims, contradictions=contradictions, length=400, context=ahead) == build_brief(
        story, claims, contradictions=contradictions, length=400)
    assert prepare_brief(story, dataclasses.replace(claims, claims=())) is None  # nothing to brief


def test_contradiction_sides_without_articles_field(story: Story, claims: ClaimAnalysis) -> None:
    @dataclass(frozen=True)
    class Bare:
        value: str
        spans: tuple[Span, ...]

    c = _cost_contradiction(story)
    bare = _Contradiction(c.id, c.kind, c.subject, tuple(Bare(s.value, s.spans) for s in c.sides))
    brief = build_brief(story, claims, contradictions=[bare], length=60)
    assert brief.disputed[0].sides[0].articles == ("daily", "gazette", "wire")


# --- cleaning and invariants ---------------------------------------------------------------------------------


def test_spans_round_trip_and_datelines_are_cut(story: Story, full: Brief) -> None:
    _check_spans(story, full)
    assert not any(s.text.startswith("QUILLMOUTH") for s in full.sentences)
    assert all(s.text[:1].isupper() or s.text[:1] in "\"“'‘" for s in full.sentences)


def test_sentences_follow_the_articles_order(full: Brief) -> None:
    corroborated = [s for s in full.sentences if not s.single_source]
    assert "Ferrin Street" in corroborated[0].text  # every outlet leads with the closure


def test_clean_prefix() -> None:
    assert clean_prefix("WASHINGTON (AP) — Lawmakers met on Tuesday to vote.") == (
        18, "Lawmakers met on Tuesday to vote.")
    assert clean_prefix("LOS ANGELES — The city council passed the budget on Friday.")[1].startswith("The city")
    assert clean_prefix("However, the mayor vetoed the measure two days later.") == (
        9, "The mayor vetoed the measure two days later.")
    assert clean_prefix("A dam — the county's oldest — cracked after the storm.")[0] == 0
    assert clean_prefix("But.")[0] == 0  # too short to cut


def test_wording_features() -> None:
    text = '"We will rebuild it," the mayor said.'
    w = wording_features(text, 0, len(text), cleaned_start=0, quoted=[(0, 21)])
    assert not w.bare_quote and w.quoted > 0.5 and w.attributions == 1
    bare = '"We will rebuild it," he said.'
    assert wording_features(bare, 0, len(bare), cleaned_start=0, quoted=[(0, 21)]).bare_quote
    assert needs_context("They left early.") and not needs_context("The ferry left early.")
    assert is_fragment("Shelter: the high school gym") and not is_fragment("The ferry left early on Friday.")
    op = "I think the plan will fail badly."
    assert wording_features(op, 0, len(op), cleaned_start=0).first_person


def test_empty_and_single_article() -> None:
    empty = Story(id="e", articles=())
    assert build_brief(empty, analyze_claims(empty)).sentences == ()
    from newsprism.nlp.annotate import annotate

    a = Article.create(id="solo", outlet="Solo News",
                       text="The ferry resumed service on Friday after a week of repairs.")
    solo = Story(id="s", articles=(a,), annotations=annotate([a]))
    brief = build_brief(solo, analyze_claims(solo))
    assert [s.single_source for s in brief.sentences] == [True]
    assert brief.sentences[0].sources == ("solo",)


def test_headlines_are_embedded_by_the_model_that_embedded_the_story() -> None:
    from dataclasses import replace

    from newsprism.analysis.brief.evidence import _story_embedder
    from newsprism.model import Annotation, Story

    class Fake:
        name, dim = "minilm-torch", 384

    ann = Annotation(article_id="a", sentences=(), entities=(), quantities=(), embedder="minilm-onnx")
    story = Story(id="s", articles=(), annotations=(ann,))
    assert _story_embedder(story, Fake()).name == "minilm-onnx"  # type: ignore[arg-type]
    unknown = Story(id="s", articles=(), annotations=(replace(ann, embedder="someone-elses"),))
    assert _story_embedder(unknown, Fake()).name == "minilm-torch"  # type: ignore[arg-type]
