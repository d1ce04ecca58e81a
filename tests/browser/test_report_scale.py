"""report.html at 5, 20 and 40 articles, on a desktop and a phone: the first screen answers (counts,
brief with support and disputes, disputed points), the claim matrix filters and sorts, the reader
shows only the articles that state the selected claim, and a permalink highlights its claim.

The stories come from ``tests/report/story_maker.py`` (fictional, built without the models, so
each size renders in milliseconds). ``NEWSPRISM_UPDATE_SCREENSHOT=1`` also writes the first-screen
screenshots to ``docs/screenshot-report-<n>-<desktop|phone>.png``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import pytest

from newsprism.report.schema import Claim, Report

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MAX_DOCS_PNG = 300_000
SCREENS = {
    "desktop": {"viewport": {"width": 1400, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "device_scale_factor": 1},
}


def _story_maker() -> Any:
    spec = importlib.util.spec_from_file_location("story_maker", ROOT / "tests" / "report" / "story_maker.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=[5, 20, 40], ids=lambda n: f"{n}-articles")
def story(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, Path]:
    from newsprism.report.html import render_html

    report = _story_maker().story_report(request.param)
    path = tmp_path_factory.mktemp("scale") / f"report-{request.param}.html"
    path.write_text(render_html(report), encoding="utf-8")
    return report, path


def _open(browser: Any, screen: str, url: str) -> tuple[Any, Any, list[str], list[str]]:
    context = browser.new_context(**SCREENS[screen])
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    return context, page, errors, requests


def _disputed(report: Report, claim: Claim) -> bool:
    spans = [sp for x in report.contradictions for sd in x.sides for sp in sd.spans]
    return any(xs.article == cs.article and xs.start < cs.end and cs.start < xs.end
               for xs in spans for cs in claim.spans)


def _visible_rows(page: Any) -> list[str]:
    return page.eval_on_selector_all("tr.np-row", "rs => rs.filter(r => !r.hidden && r.offsetParent !== null)"
                                                  ".map(r => r.id.slice('np-claim-'.length))")


def _select(page: Any, name: str, value: str) -> None:
    page.locator(f".np-filters [name={name}]").select_option(value)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_first_screen_answers(browser: Any, story: tuple[Report, Path], screen: str, artifacts: Path) -> None:
    report, path = story
    n = len(report.story.articles)
    context, page, errors, requests = _open(browser, screen, path.as_uri())
    height = SCREENS[screen]["viewport"]["height"]  # type: ignore[index]

    glance = dict(zip(page.locator(".np-glance dt").all_text_contents(),
                      (d.split()[0] for d in page.locator(".np-glance dd").all_text_contents()), strict=True))
    multi = sum(1 for c in report.claims if not c.single_source)
    grouped = {a for g in report.provenance.groups for a in g}
    independent = len(report.provenance.groups) + sum(1 for a in report.story.articles if a.id not in grouped)
    assert glance == {"Corroborated claims": str(multi), "Single-source claims": str(len(report.claims) - multi),
                      "Disputed claims": str(sum(_disputed(report, c) for c in report.claims)),
                      "Independent sources": str(independent)}
    assert page.locator(".np-glance").bounding_box()["y"] < height / 2

    items = page.locator(".np-brief > li")
    assert items.count() == len(report.summary)
    for k, s in enumerate(report.summary):
        li = items.nth(k)
        assert s.text in (li.locator(".np-brief-s").text_content() or "")
        support = f"{len(s.sources)} outlets · {s.independent_sources} independent"
        assert li.locator(".np-support").text_content() == support
        flags = li.locator("a.np-flag")
        assert [f.get_attribute("href") for f in flags.all()] == [f"#np-x-{x}" for x in s.disputed]
    assert any(s.disputed for s in report.summary), "the story should have a disputed brief sentence"
    assert items.first.bounding_box()["y"] < height

    # the disputed points start on the first screen, each with its sides and who takes them
    disputed = page.locator("#np-disputed li")
    assert disputed.count() == len(report.contradictions) > 0
    assert page.locator("#np-disputed").bounding_box()["y"] < height
    for k, x in enumerate(report.contradictions):
        text = disputed.nth(k).text_content() or ""
        assert all(sd.value in text for sd in x.sides)
    if screen == "desktop":  # the whole answer fits on one desktop screen
        box = page.locator("#np-disputed").bounding_box()
        assert box["y"] + box["height"] <= height

    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= SCREENS[screen]["viewport"]["width"] + 1, f"the page scrolls sideways ({width}px)"  # type: ignore[index]
    shot = artifacts / f"report-{n}-{screen}.png"
    page.screenshot(path=str(shot))
    if os.environ.get("NEWSPRISM_UPDATE_SCREENSHOT"):
        docs_png = ROOT / "docs" / f"screenshot-report-{n}-{screen}.png"
        if screen == "desktop":
            page.set_viewport_size({"width": 1200, "height": 720})  # as docs/screenshot-report.png: smaller files
        page.screenshot(path=str(docs_png))
        assert docs_png.stat().st_size < MAX_DOCS_PNG
    assert errors == []
    assert requests == [path.as_uri()], "report.html must not load anything"
    context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_matrix_filters_and_sorts(browser: Any, story: tuple[Report, Path], screen: str) -> None:
    report, path = story
    context, page, errors, _ = _open(browser, screen, path.as_uri())
    everything = [c.id for c in report.claims if not c.single_source] + [c.id for c in report.claims if c.single_source]
    assert _visible_rows(page) == everything
    assert page.locator(".np-count").text_content() == f"{len(everything)} claims"

    _select(page, "level", "single")
    single = [c.id for c in report.claims if c.single_source]
    assert _visible_rows(page) == single
    assert page.locator(".np-count").text_content() == f"showing {len(single)} of {len(everything)} claims"
    _select(page, "level", "disputed")
    assert set(_visible_rows(page)) == {c.id for c in report.claims if _disputed(report, c)}

    page.locator(".np-filters button[type=reset]").click()
    page.wait_for_function(f"() => document.querySelectorAll('tr.np-row:not([hidden])').length === {len(everything)}")
    third = report.story.articles[2]  # no copies before it: column 3
    _select(page, "outlet", "3")
    assert set(_visible_rows(page)) == {c.id for c in report.claims if third.id in c.sources}
    assert page.locator("th.np-colsel").get_attribute("data-col") == "3"
    _select(page, "how", "out")  # what the third article leaves out
    assert set(_visible_rows(page)) == {c.id for c in report.claims if third.id not in c.sources} != set()
    _select(page, "how", "in")

    _select(page, "outlet", "")
    page.locator(".np-filters [name=q]").fill("FERR")
    assert set(_visible_rows(page)) == {c.id for c in report.claims if "ferr" in c.text.lower()} != set()
    page.locator(".np-filters [name=q]").fill("no such words anywhere")
    assert _visible_rows(page) == [] and page.locator(".np-nomatch").is_visible()
    page.locator(".np-filters [name=q]").fill("")

    _select(page, "sort", "few")
    counts = page.eval_on_selector_all("tbody:first-of-type tr.np-row", "rs => rs.map(r => +r.dataset.n)")
    assert counts == sorted(counts) and counts != []
    _select(page, "sort", "outlets")
    counts = page.eval_on_selector_all("tbody:first-of-type tr.np-row", "rs => rs.map(r => +r.dataset.n)")
    assert counts == sorted(counts, reverse=True)

    # the brief's counts are links that filter the matrix to what they count
    page.locator("a[data-np-filter=single]").click()
    assert page.locator(".np-filters [name=level]").input_value() == "single"
    assert _visible_rows(page) == single
    assert errors == []
    context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_reader_shows_the_articles_that_state_the_claim(browser: Any, story: tuple[Report, Path], screen: str,
                                                            artifacts: Path) -> None:
    report, path = story
    n = len(report.story.articles)
    context, page, errors, _ = _open(browser, screen, path.as_uri())
    claim = next(c for c in report.claims if 1 < len(c.sources) < n) if n > 5 else report.claims[2]
    page.locator(f"#np-claim-{claim.id} button.np-claim").click()

    shown = page.eval_on_selector_all(".np-col", "cs => cs.filter(c => c.offsetParent !== null)"
                                                 ".map(c => c.dataset.article)")
    assert set(shown) == set(claim.sources)
    for article in report.story.articles:
        got = page.eval_on_selector_all(f'.np-col[data-article="{article.id}"] .np-hl',
                                        "ss => ss.map(s => [+s.dataset.s, s.textContent])")
        want = sorted((s.start, s.text) for s in claim.spans if s.article == article.id)
        assert [(int(a), str(b)) for a, b in got] == want, article.id
    status = page.locator(".np-hlstatus").text_content() or ""
    assert f"in {len(set(claim.sources))} of {n} articles" in status
    if screen == "desktop" and n == 40:
        page.screenshot(path=str(artifacts / "report-40-claim-selected.png"))
        if os.environ.get("NEWSPRISM_UPDATE_SCREENSHOT"):
            page.set_viewport_size({"width": 1200, "height": 720})  # as docs/screenshot-report.png, and smaller
            page.evaluate("document.getElementById('np-claims').scrollIntoView()")
            docs_png = ROOT / "docs" / "screenshot-report-40-matrix.png"
            page.screenshot(path=str(docs_png))
            assert docs_png.stat().st_size < MAX_DOCS_PNG

    numbers = [str(k) for k, a in enumerate(report.story.articles, 1) if a.id in claim.sources]
    chips = page.locator(".np-hits button")
    assert chips.all_text_contents() == numbers  # one button per article stating it: jump there
    chips.last.click()
    box = page.locator(f"#np-a-{numbers[-1]}").bounding_box()
    assert 0 <= box["x"] < SCREENS[screen]["viewport"]["width"], "the button brings its article into view"  # type: ignore[index]
    if len(set(claim.sources)) < n:  # untick: every article again, the others dimmed
        page.locator(".np-only input").uncheck()
        assert page.eval_on_selector_all(".np-col", "cs => cs.filter(c => c.offsetParent !== null).length") == n
    page.locator(".np-clear").click()
    assert page.locator(".np-hl").count() == 0
    assert page.eval_on_selector_all(".np-col", "cs => cs.filter(c => c.offsetParent !== null).length") == n
    assert errors == []
    context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_permalink_highlights_its_claim_even_when_filtered_out(browser: Any, story: tuple[Report, Path],
                                                                  screen: str) -> None:
    report, path = story
    single = [c for c in report.claims if c.single_source]
    claim, other = single[-1], single[0]
    context, page, errors, _ = _open(browser, screen, path.as_uri() + f"#np-claim-{claim.id}")
    button = page.locator(f"#np-claim-{claim.id} button.np-claim")
    assert button.get_attribute("aria-pressed") == "true"
    assert page.locator(".np-hl").count() >= len(claim.spans)
    assert button.is_visible()
    box = button.bounding_box()
    assert 0 <= box["y"] < SCREENS[screen]["viewport"]["height"], "the permalinked claim is scrolled into view"  # type: ignore[index]

    _select(page, "level", "multi")  # hides the single-source claims, then a link to one arrives
    assert not page.locator(f"#np-claim-{other.id}").is_visible()
    page.evaluate(f"() => {{ window.location.hash = 'np-claim-{other.id}'; }}")
    page.wait_for_function(f"() => document.querySelector('#np-claim-{other.id} [aria-pressed=\"true\"]') !== null")
    assert page.locator(f"#np-claim-{other.id}").is_visible()
    assert page.locator(".np-filters [name=level]").input_value() == ""
    assert errors == []
    context.close()
