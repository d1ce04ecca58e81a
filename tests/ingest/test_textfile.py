"""Plain text and Markdown files: headline line, front matter, wrapping, Markdown syntax."""

from __future__ import annotations

from pathlib import Path

from newsprism.ingest import load
from newsprism.ingest.textfile import parse_text

WRAPPED = """Harbor Bridge Reopens After Long Repairs

The Harbor Bridge in Brenmoor reopened on Tuesday after eleven weeks of
repairs, the city transport office said. Traffic was light in the morning
and officials expected normal volume by the weekend.

Mayor Tomas Velle said the work was done on time.
Brenmoor officials did not say what the repairs cost.

- Night closures end Friday.
- Cyclists get a lane.
"""


def _load_one(path: Path):
    result = load(path)
    assert not result.errors, result.errors
    (article,) = result.articles
    return article


def test_headline_line_is_title(tmp_path: Path) -> None:
    path = tmp_path / "brenmoor-courier.txt"
    path.write_text("Quay Market Moves Indoors\nThe Saturday market moved into the old ferry hall.\n")
    a = _load_one(path)
    assert a.title == "Quay Market Moves Indoors"
    assert a.text == "The Saturday market moved into the old ferry hall."
    assert (a.id, a.outlet, a.source) == ("brenmoor-courier", "brenmoor-courier", str(path))


def test_first_line_sentence_is_not_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The market moved indoors.\nStallholders welcomed the roof.\n")
    a = _load_one(path)
    assert a.title is None
    assert a.text == "The market moved indoors.\n\nStallholders welcomed the roof."


def test_title_case_first_line_with_full_stop_is_title() -> None:
    d = parse_text("Small Steps Toward a Quieter Harbour.\nThe council voted to cap engine noise.")
    assert d.title == "Small Steps Toward a Quieter Harbour."
    assert parse_text("The Council Met. It Voted.\nMore text.").title is None


def test_headline_doubled_in_body_becomes_title(tmp_path: Path) -> None:
    path = tmp_path / "osk.txt"
    path.write_text(
        "The council has approved a new pier for Osk Island after a long and heated debate.\n"
        "Osk Island Gets Its Pier\nOsk Island Gets Its Pier\n"
        "The council approved the pier on Monday by nine votes to four, after two hours of debate.\n"
    )
    a = _load_one(path)
    assert a.title == "Osk Island Gets Its Pier"
    assert [x.kind for x in a.artifacts] == ["headline", "repeated_headline"]  # the lines stay, marked


def test_byline_first_line_is_not_title() -> None:
    d = parse_text("By Ana Pell\nThe market moved indoors.")
    assert d.title is None


def test_hard_wrapped_paragraphs_are_joined() -> None:
    d = parse_text(WRAPPED)
    assert d.title == "Harbor Bridge Reopens After Long Repairs"
    lines = d.body.split("\n")
    assert lines[0].startswith(
        "The Harbor Bridge in Brenmoor reopened on Tuesday after eleven weeks of repairs,"
    )
    assert lines[0].endswith("normal volume by the weekend.")
    # a line ending its sentence with room to spare stays a line; bullets stay lines
    assert "Mayor Tomas Velle said the work was done on time." in lines
    assert "- Night closures end Friday." in lines and "- Cyclists get a lane." in lines


def test_one_paragraph_per_line_stays_separate(tmp_path: Path) -> None:
    long_para = "The council met on Monday and talked for a long time about the harbour. " * 3
    path = tmp_path / "osk.txt"
    path.write_text(f"{long_para}\n{long_para}\n{long_para}\n")
    assert len(_load_one(path).paragraphs) == 3


def test_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text(
        '---\noutlet: Osk Daily\ntitle: "Dam Holds"\npublished: 2024-03-05T09:30:00+01:00\n'
        "url: https://osk-daily.example/dam\nauthor: Tom Reyes\nid: osk-dam\ncolour: blue\n---\n"
        "Dam Holds\n\nThe dam held overnight, engineers said.\n"
    )
    a = _load_one(path)
    assert (a.outlet, a.title, a.url, a.author, a.id) == (
        "Osk Daily", "Dam Holds", "https://osk-daily.example/dam", "Tom Reyes", "osk-dam",
    )  # fmt: skip
    assert a.published is not None and a.published.isoformat() == "2024-03-05T09:30:00+01:00"
    # the repeated title stays in the text, marked, never silently dropped
    assert a.text == "Dam Holds\n\nThe dam held overnight, engineers said."
    assert [(x.kind, a.text[x.start:x.end]) for x in a.artifacts] == [("repeated_headline", "Dam Holds")]


def test_front_matter_bad_date_is_none(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("---\npublished: the other day\n---\nThe dam held.\n")
    a = _load_one(path)
    assert a.published is None


def test_unclosed_front_matter_is_text() -> None:
    d = parse_text("---\nThe dam held.\nEngineers were relieved.")
    assert d.outlet is None and "The dam held." in d.body


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "vell-post.md"
    path.write_text(
        "# Orchard Harvest *Starts* Early\n\n"
        "Growers in the [Vell valley](https://vell.example/valley) began the **apple** harvest\n"
        "a week early, the _growers' association_ said on Monday in snake_case_file.\n\n"
        "![Pickers on ladders in a Vell orchard](pickers.jpg)\n\n"
        "## what the growers expect\n\n"
        "* Prices should hold.\n"
        "- Pickers are in short supply.\n"
        "• Cider presses open in October.\n\n"
        "> The trees did the work, one grower said.\n"
    )
    a = _load_one(path)
    assert a.title == "Orchard Harvest Starts Early"
    assert (
        "Growers in the Vell valley began the apple harvest a week early, the growers' association" in a.text
    )
    assert "snake_case_file" in a.text  # underscores inside words are not emphasis
    assert "#" not in a.text and "**" not in a.text and "](" not in a.text
    paras = [a.text[s:e] for s, e in a.paragraphs]
    assert "* Prices should hold." in paras and "- Pickers are in short supply." in paras
    assert "• Cider presses open in October." in paras
    assert "The trees did the work, one grower said." in paras
    kinds = {a.text[x.start : x.end]: x.kind for x in a.artifacts}
    assert kinds["what the growers expect"] == "section_label"  # a Markdown heading, even lower case
    assert kinds["Pickers on ladders in a Vell orchard"] == "caption"


def test_no_extension_is_text(tmp_path: Path) -> None:
    path = tmp_path / "NOTES"
    path.write_text("Pier Opens\n\nThe pier opened to walkers on Sunday.\n")
    a = _load_one(path)
    assert (a.id, a.title) == ("notes", "Pier Opens")


def test_crlf_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbfPier Opens\r\n\r\nThe pier opened.\r\nWalkers came.\r\n")
    a = _load_one(path)
    assert (a.title, a.text) == ("Pier Opens", "The pier opened.\n\nWalkers came.")
