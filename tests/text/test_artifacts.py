"""find_artifacts: what it must mark, and, as much, what it must leave alone."""

from __future__ import annotations

import pytest

from newsprism.model import ARTIFACT_KINDS
from newsprism.text.artifacts import find_artifacts, is_title_case, wording_kind
from newsprism.text.normalize import normalize_text

PROSE = (
    "The Harbor Bridge in Brenmoor reopened on Tuesday after eleven weeks of repairs, the city's "
    "transport office said in a statement."
)
PROSE2 = "Traffic was light in the morning, and officials expected the usual volume by the weekend."


def kinds_of(lines: list[str], title: str | None = None) -> dict[str, str]:
    text = normalize_text("\n".join(lines))
    return {text[a.start : a.end]: a.kind for a in find_artifacts(text, title)}


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Workers repaint the bridge railings. (Photo: Lena Fisk)", "caption"),
        ("The bridge at dusk. Jane Roe/Getty Images", "caption"),
        ("A crane lifts a beam into place (AP Photo/John Moor)", "caption"),
        ("Image: Brenmoor transport office", "caption"),
        ("Credit: Lena Fisk for the Courier", "caption"),
        ("Red ferry with white stripes near the harbour wall.", "caption"),
        ("By Ana Pell", "byline"),
        ("By Ana Pell and Tom Reyes, Reuters", "byline"),
        ("By ANA PELL, Staff Writer", "byline"),
        ("Ana Pell | Transport Reporter", "byline"),
        ("Reporting by Ana Pell; Editing by Tom Reyes", "byline"),
        ("Updated 3:04 p.m.", "dateline_stamp"),
        ("Published 3:04 p.m. ET Dec. 3, 2024", "dateline_stamp"),
        ("Last updated on March 5, 2024 at 9:30 am", "dateline_stamp"),
        ("Dec. 3, 2024, 3:04 p.m. ET", "dateline_stamp"),
        ("Updated 2 hours ago", "dateline_stamp"),
        ("Read more: Ferry fares to rise in spring", "read_more"),
        ("RELATED: Osk pier plan approved", "read_more"),
        ("Click here to see the full timetable.", "read_more"),
        ("Watch: The first crossing in ninety seconds", "read_more"),
        ("Sign up for our morning newsletter to get the news in your inbox.", "newsletter"),
        ("Subscribe to the Courier for unlimited access.", "newsletter"),
        ("Get the latest harbour news in our free weekly newsletter — sign up here.", "newsletter"),
        ("At a Glance", "section_label"),
        ("Key Points:", "section_label"),
        ("What to know", "section_label"),
    ],
)
def test_marks(line: str, kind: str) -> None:
    assert kinds_of([PROSE, line, PROSE2]) == {line: kind}


@pytest.mark.parametrize(
    "line",
    [
        "He declined to comment.",
        "Nobody was hurt.",
        "Police arrested two men in Brenmoor.",
        "Schools remain open until Friday.",
        "The vote passed 13-0.",
        "By Tuesday, the council had voted to close the bridge.",
        "Updated figures show the repairs cost more than planned.",
        "Watch closely, the mayor said, because the work is not finished.",
        "Readers can subscribe to alerts, the office said, but few have.",
        "The photo was taken by a bystander, police said.",
        "Getty Images said it would review its archive.",
        "Officials told Reuters the bridge was safe.",
        "“We are done,” she said.",
        "It was, officials said, a quiet reopening",
        "Related costs rose sharply this year, the audit found.",
        "Mayor Tomas Velle said the work was done on time and on budget.",
        "The ferry, the pier and the bridge all reopened in March.",
        "The Brenmoor Ferry Workers Union represents almost 900 crew members.",
        "The latest Reuters/Ipsos poll shows the mayor ahead by five points in the race.",
        "At least one councillor wasn’t quite ready to vote on the pier.",
        "She’ll present her plan in a speech on Friday in Port St. Osk.",
    ],
)
def test_leaves_prose_alone(line: str) -> None:
    assert kinds_of([PROSE, line, PROSE2]) == {}


def test_bullets_are_content() -> None:
    lines = [PROSE, "• Night Closures End", "- Cyclists get a lane", "* By Ana Pell", PROSE2]
    assert kinds_of(lines) == {}


def test_fact_box_lines_are_content_not_captions() -> None:
    lines = [PROSE, "Cost: $4.8 million from the reserve fund",
             "Shelter: Brenmoor High School gymnasium on Orchard Ave.", PROSE2,
             "Blue law book with a wooden gavel on a desk"]
    assert kinds_of(lines) == {"Blue law book with a wooden gavel on a desk": "caption"}


def test_subheadings_between_paragraphs() -> None:
    found = kinds_of([PROSE, "What Comes Next for the Bridge", PROSE2, "Costs and delays", PROSE])
    assert found == {"What Comes Next for the Bridge": "section_label", "Costs and delays": "section_label"}


def test_title_case_line_with_full_stop_is_a_heading() -> None:
    assert kinds_of([PROSE, "Joining Forces With the Harbour Board.", PROSE2]) == {
        "Joining Forces With the Harbour Board.": "section_label"
    }


def test_last_line_without_punctuation_is_not_a_heading() -> None:
    assert kinds_of([PROSE, PROSE2, "It was, officials said, a quiet day"]) == {}


def test_title_repeated_in_body() -> None:
    title = "Harbor Bridge Reopens After Repairs"
    found = kinds_of(
        ["Harbor Bridge Reopens After Repairs", PROSE, "harbor bridge reopens after repairs"], title
    )
    assert found == {
        "Harbor Bridge Reopens After Repairs": "repeated_headline",
        "harbor bridge reopens after repairs": "repeated_headline",
    }


def test_doubled_headline_and_dek_without_title() -> None:
    lines = [
        "The city has reopened its bridge after months of work, and traffic is back to normal.",
        "Bridge Reopens as City Counts the Cost",
        "Bridge Reopens as City Counts the Cost",
        "Brenmoor council members weigh the final bill for repairs amid questions over the delays.",
        PROSE,
        PROSE2,
    ]
    text = normalize_text("\n".join(lines))
    found = [(text[a.start : a.end], a.kind) for a in find_artifacts(text, None)]
    assert found == [(lines[1], "headline"), (lines[2], "repeated_headline"), (lines[3], "headline")]


def test_no_dek_after_a_single_subheading() -> None:
    lines = [
        PROSE,
        "Costs and Delays",
        "The council will weigh the final bill for the repairs next month.",
        PROSE2,
    ]
    assert kinds_of(lines) == {"Costs and Delays": "section_label"}


def test_headline_like_first_line_without_title() -> None:
    assert kinds_of(["Bridge Reopens After Repairs", PROSE]) == {"Bridge Reopens After Repairs": "headline"}


def test_markup_hints() -> None:
    text = normalize_text("\n".join([PROSE, "how the work was done", PROSE2, "The bridge at night.", PROSE]))
    found = find_artifacts(text, None, headings=["How the work was done"], captions=["The bridge at night."])
    assert [(text[a.start : a.end], a.kind) for a in found] == [
        ("how the work was done", "section_label"),
        ("The bridge at night.", "caption"),
    ]


def test_artifacts_are_whole_paragraphs_with_reasons() -> None:
    text = normalize_text("\n".join(["By Ana Pell", PROSE, "At a Glance", PROSE2, "Updated 3:04 p.m."]))
    for a in find_artifacts(text, None):
        assert a.kind in ARTIFACT_KINDS and a.why
        assert (a.start == 0 or text[a.start - 2 : a.start] == "\n\n") and text[a.end : a.end + 2] in (
            "",
            "\n\n",
        )


def test_helpers() -> None:
    assert is_title_case("Consequences for Federal and State Relations")
    assert not is_title_case("Consequences for federal and state relations")
    assert wording_kind("By Ana Pell") == ("byline", "byline")
    assert wording_kind("Harbor Bridge Reopens") is None


def test_empty_text() -> None:
    assert find_artifacts("", "A Title") == ()


def test_published_and_updated_stamp_on_one_line() -> None:
    text = "Published 9:40 a.m. ET May 2, 2026 | Updated 11:05 a.m. ET\n\nThe ferry sailed at noon."
    (artifact,) = find_artifacts(text, None)
    assert artifact.kind == "dateline_stamp" and text[artifact.start:artifact.end].endswith("a.m. ET")
