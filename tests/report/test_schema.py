"""The published JSON Schema is current, and reports validate against it."""

import json
from pathlib import Path

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from newsprism.model import Article, Story
from newsprism.report.build import build_report
from newsprism.report.schema import SCHEMA_VERSION, Report, json_schema

SCHEMA_FILE = Path(__file__).parents[2] / "docs" / "report.schema.json"


def test_published_schema_is_current() -> None:
    published = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert published == json.loads(json.dumps(json_schema())), (
        "docs/report.schema.json is stale: run `make schema` and commit it"
    )


def test_schema_names_the_contract_version() -> None:
    assert json_schema()["title"] == SCHEMA_VERSION == "newsprism.report/1"


def test_report_json_validates_and_round_trips() -> None:
    a = Article.create(id="a", outlet="Example Post", text="The dam held.\n\nWater rose.", title="Dam")
    report = build_report(Story(id="s", articles=(a,)), notes=["hello"])
    data = json.loads(report.to_json())
    jsonschema.validate(data, json_schema())
    assert data["schema"] == SCHEMA_VERSION
    assert Report.model_validate(data) == report


def test_missing_analyses_are_declared_not_faked() -> None:
    a = Article.create(id="a", outlet="X", text="Text.")
    report = build_report(Story(id="s", articles=(a,)))
    assert {s.name for s in report.analyses} == {
        "claims", "provenance", "contradictions", "quotes", "framing", "summary"}
    assert all(s.status == "not_implemented" and s.note for s in report.analyses)
    assert report.claims == [] and report.summary == []


@given(st.text(min_size=1, max_size=200), st.data())
def test_spans_round_trip(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    article = Article.create(id="a", outlet="X", text=text)
    span = article.span(start, end)
    assert article.text[span.start:span.end] == span.text
