"""The report's first screen and its long sections, without a browser: the counts, the brief's marks,
the disputed points, the matrix rows' filter data at 40 articles, quotes folded by speaker, and no
noise (word diffs only where words changed, one wording per actor label)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

from newsprism.report.html import render_html
from newsprism.report.html_view import build_view
from newsprism.report.markdown import render_markdown
from newsprism.report.schema import ActorLabelsOut, ArticleOut, LabelWording, Report, StoryOut


def _story_maker() -> Any:
    spec = importlib.util.spec_from_file_location("story_maker", Path(__file__).with_name("story_maker.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def big() -> Report:
    return _story_maker().story_report(40)


def _section(page: str, start: str, end: str) -> str:
    return page[page.index(start):page.index(end)]


def test_the_first_screen_holds_the_counts_the_brief_and_the_disputed_points(big: Report) -> None:
    page = render_html(big)
    first = _section(page, 'id="np-brief"', 'id="np-claims"')
    view = build_view(big)
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd><a [^>]*>(\d+)</a>", first))
    assert counts == {"Corroborated claims": str(len(view.claims_multi)),
                      "Single-source claims": str(len(view.claims_single)),
                      "Disputed claims": str(view.claims_disputed), "Independent sources": str(len(view.groups))}
    assert view.claims_disputed == 2 and len(view.groups) == 32  # the generator's two disputed claims; 8 copies
    for s in big.summary:
        assert f"{len(s.sources)} outlets · {s.independent_sources} independent" in first
    assert "disputed: $3.2 million vs $2.3 million" in first
    assert first.count("<li>") == len(big.summary) + len(big.contradictions)
    # the disputed points name the lone outlets and count the crowd
    assert "(33 outlets)" in first and "(7 outlets)" in first
    # the long sections come after it, in this order
    order = [page.index(f'id="{s}"') for s in ("np-brief", "np-claims", "np-contradictions", "np-provenance",
                                                "np-quotes", "np-framing")]
    assert order == sorted(order)


def test_matrix_rows_carry_what_the_filters_read(big: Report) -> None:
    page = render_html(big)
    number = {a.article.id: a.number for a in build_view(big).articles}
    rows = re.findall(r'<tr id="np-claim-(c\d+)" class="np-row" data-kind="(\w+)" data-disputed="(\d)" '
                      r'data-partial="\d" data-indep="(\d+)" data-n="(\d+)" data-order="\d+" data-in=" ([\d ]*) ">',
                      page)
    assert len(rows) == len(big.claims)
    claims = {c.id: c for c in big.claims}
    for cid, kind, disputed, indep, n, carriers in rows:
        c = claims[cid]
        assert kind == ("single" if c.single_source else "multi")
        assert int(indep) == c.independent_sources
        assert {int(k) for k in carriers.split()} == {number[a] for a in c.sources}
        assert int(n) == len(set(c.sources))
        assert disputed == ("1" if cid in ("c2", "c8") else "0")
    assert '<form class="np-filters" hidden' in page  # shown by the script: without it, no dead controls


def test_quotes_by_one_outlet_fold_under_their_speaker(big: Report) -> None:
    page = render_html(big)
    quotes = _section(page, 'id="np-quotes"', 'id="np-framing"')
    single = [q for q in big.quotes if len({o.span.article for o in q.occurrences}) == 1]
    assert len(single) == len(big.quotes) - 1 > 10
    assert quotes.count('<details class="np-qsingle">') == len({q.speaker for q in single})
    varga = re.search(r'<details class="np-qsingle"><summary><strong>Ilse Varga</strong> '
                      r'<span class="np-small">1 quote in ([^<]+)</span>', quotes)
    assert varga is not None and varga.group(1) == big.story.articles[2].outlet
    # only the altered occurrences get a word diff; the summary says how the outlets printed it, changes first;
    # the table is open when an outlet changed the words, unless it is long
    occ = big.quotes[0].occurrences
    altered = sum(1 for o in occ if o.variant == "altered")
    assert quotes.count("<del>is</del>") == altered > 0
    assert f"How {len(occ)} outlets printed it: {altered} altered · {len(occ) - altered} verbatim</summary>" in quotes
    assert '<details class="np-occwrap">' in quotes and '<details class="np-occwrap" open>' not in quotes
    small = render_html(_story_maker().story_report(5))
    assert '<details class="np-occwrap" open><summary>How 4 outlets printed it: 1 altered · 3 verbatim' in small


def test_an_actor_named_alike_is_not_marked_as_varying() -> None:
    arts = [ArticleOut(id=i, outlet=i.upper(), text="Dr. Ann Lee spoke.") for i in ("a", "b")]
    lab = ActorLabelsOut(actor="Ann Lee", kind="named", by_article={
        "a": [LabelWording(wording="county engineer dr", count=1)],
        "b": [LabelWording(wording="county engineer", count=2)]})
    report = Report(story=StoryOut(id="s", articles=arts), labels=[lab])
    view = build_view(report)
    assert [c.wordings for c in view.labels[0].cells] == [(("county engineer", 1, False),),
                                                         (("county engineer", 2, False),)]
    assert not view.labels[0].varies
    other = lab.model_copy(update={"by_article": {**lab.by_article, "b": [LabelWording(wording="the bureaucrat",
                                                                                         count=1, loaded=True)]}})
    assert build_view(report.model_copy(update={"labels": [other]})).labels[0].varies


def test_markdown_opens_with_the_same_answer(big: Report) -> None:
    md = render_markdown(big)
    brief = md[md.index("## Brief"):md.index("## Disputed")]
    view = build_view(big)
    assert (f"**At a glance:** {len(view.claims_multi)} corroborated claims, {len(view.claims_single)} single-source, "
            f"{view.claims_disputed} disputed; {len(view.groups)} independent sources among 40 articles.") in brief
    lines = [ln for ln in brief.splitlines() if re.match(r"\d+\. ", ln)]
    assert len(lines) == len(big.summary)
    assert lines[0].endswith("[40 outlets · 32 independent]")  # more than ten outlets: the count, not the list
    assert "**(disputed: $3.2 million vs $2.3 million — see Disputed)**" in lines[1]


def test_a_big_copy_group_draws_one_arrow_per_copy_and_lists_the_group() -> None:
    from newsprism.report.html_view import GRAPH_ALL_PAIRS
    from newsprism.report.schema import Provenance, ProvenancePair

    ids = [f"w{k}" for k in range(10)]
    arts = [ArticleOut(id=i, outlet=f"Wire {i}", text="The ferry sank.") for i in ids]
    pairs = [ProvenancePair(a=a, b=b, relation="copy", reuse=0.9 - 0.01 * (j - i), direction="a->b")
             for i, a in enumerate(ids) for j, b in enumerate(ids) if i < j]
    assert len(pairs) == 45 > GRAPH_ALL_PAIRS
    report = Report(story=StoryOut(id="s", articles=arts), provenance=Provenance(pairs=pairs, groups=[ids]))
    view = build_view(report)
    assert len(view.pairs) == 45
    # each later article keeps its strongest link: the article just before it
    assert sorted((e.a, e.b) for e in view.graph.edges) == sorted((ids[k - 1], ids[k]) for k in range(1, 10))
    page = render_html(report)
    assert "With 45 linked pairs, each article shows only its strongest link" in page
    assert page.count('<span class="np-badge g0">one source</span>') == 1
    few = report.model_copy(update={"provenance": Provenance(pairs=pairs[:GRAPH_ALL_PAIRS], groups=[ids])})
    assert len(build_view(few).graph.edges) == GRAPH_ALL_PAIRS
