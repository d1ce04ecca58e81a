"""JSONL and JSON files: fields, per-line errors that name file:LINE, the other lines still load."""

from __future__ import annotations

import json
from pathlib import Path

from newsprism.ingest import load


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_fields_and_ids(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "wire.jsonl",
        [
            json.dumps({"text": "The dam held overnight.", "title": "Dam Holds", "outlet": "Osk Daily",
                        "url": "https://osk.example/dam", "published": "2024-03-05T09:30:00+01:00",
                        "id": "osk-dam", "author": "Tom Reyes"}),
            json.dumps({"text": "The pier opened on Sunday.", "url": "https://www.vell-post.example/pier"}),
            json.dumps({"text": "Fares stay the same.", "published": "not a date"}),
            "",
            json.dumps({"text": "The dam held, again.", "id": "osk-dam"}),
        ],
    )  # fmt: skip
    result = load(path)
    assert not result.errors
    a, b, c, d = result.articles
    assert (a.id, a.outlet, a.title, a.author, a.url) == (
        "osk-dam", "Osk Daily", "Dam Holds", "Tom Reyes", "https://osk.example/dam",
    )  # fmt: skip
    assert a.published is not None and a.published.utcoffset() is not None
    assert (b.id, b.outlet) == ("vell-post-example-pier", "vell-post.example")  # outlet from the URL's domain
    assert (c.id, c.outlet, c.published) == ("wire-3", "wire", None)  # <stem>-<line>, outlet from the stem
    assert d.id == "osk-dam-2"  # duplicate ids get -2
    assert a.source == f"{path}:1" and d.source == f"{path}:5"
    file_rec, *line_recs = result.inputs
    assert (file_rec.source, file_rec.status, file_rec.kind) == (str(path), "ok", "jsonl")
    assert file_rec.article_ids == (a.id, b.id, c.id, d.id)
    assert [r.source for r in line_recs] == [f"{path}:{n}" for n in (1, 2, 3, 5)]


def test_bad_lines_are_reported_and_others_load(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "mixed.jsonl",
        [
            json.dumps({"text": "The ferry resumed service."}),
            '{"text": "unterminated',
            json.dumps({"title": "No body"}),
            json.dumps({"text": 42}),
            json.dumps(["text", "in a list"]),
            json.dumps({"text": "   "}),
            json.dumps({"text": "Tickets sold out by noon."}),
        ],
    )
    result = load(path)
    assert [a.text for a in result.articles] == ["The ferry resumed service.", "Tickets sold out by noon."]
    assert [(e.source, e.code) for e in result.errors] == [
        (f"{path}:2", "bad_json"),
        (f"{path}:3", "no_text"),
        (f"{path}:4", "no_text"),
        (f"{path}:5", "bad_json"),
        (f"{path}:6", "no_text"),
    ]
    assert "not valid JSON" in result.errors[0].problem and '"text"' in result.errors[0].fix
    assert "number, not a string" in result.errors[2].problem
    statuses = [r.status for r in result.inputs]
    assert statuses == ["ok", "ok", "failed", "failed", "failed", "failed", "failed", "ok"]
    assert result.inputs[0].message == "2 of 7 lines loaded"


def test_all_lines_bad(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "bad.jsonl", ["{", "[]"])
    result = load(path)
    assert not result.articles
    assert result.inputs[0].status == "failed"
    assert len(result.errors) == 2


def test_empty_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "none.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    assert [e.code for e in load(path).errors] == ["empty"]


def test_dataset_field_spellings(tmp_path: Path) -> None:
    path = tmp_path / "dataset.json"
    path.write_text(
        json.dumps(
            {
                "source": "osk-daily",
                "headline": "Dam Holds",
                "date": "2024-03-05",
                "uuid": "d-1",
                "authors": ["Tom Reyes", "Ana Pell"],
                "body-paragraphs": [["The dam held.", "Engineers were relieved."], ["Roads reopened."]],
            }
        )
    )
    (a,) = load(path).articles
    assert (a.id, a.outlet, a.title, a.author) == ("d-1", "osk-daily", "Dam Holds", "Tom Reyes, Ana Pell")
    assert a.text == "The dam held. Engineers were relieved.\n\nRoads reopened."
    assert a.published is not None and a.published.isoformat() == "2024-03-05T00:00:00+00:00"


def test_json_list_and_object(tmp_path: Path) -> None:
    many = tmp_path / "batch.json"
    many.write_text(json.dumps({"articles": [{"text": "One."}, {"nope": 1}, {"text": "Two."}]}))
    result = load(many)
    assert [a.id for a in result.articles] == ["batch-1", "batch-3"]
    assert [e.source for e in result.errors] == [f"{many}[2]"]
    one = tmp_path / "single.json"
    one.write_text(json.dumps({"text": "Only one.", "outlet": "Osk Daily"}))
    result = load(one)
    assert [(a.id, a.outlet) for a in result.articles] == [("single", "Osk Daily")]
    assert [(r.source, r.status) for r in result.inputs] == [(str(one), "ok")]
    broken = tmp_path / "broken.json"
    broken.write_text('{"text": ')
    assert [e.code for e in load(broken).errors] == ["bad_json"]
