"""Tabular exports: every item of the report gets its row, CSV and Parquet agree, nothing is lost.

The report is built by hand (a fictional ferry story in a fictional town), so every table has
rows of each kind: a claim carried by two articles and omitted by the third, a contradiction with
two sides, a quote in two variants, a copy pair in provenance.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsprism.report import tables
from newsprism.report.schema import (
    ArticleOut,
    Claim,
    ClaimSupport,
    Contradiction,
    ContradictionSide,
    Coverage,
    EvidencePair,
    Framing,
    Provenance,
    ProvenancePair,
    Quote,
    QuoteOccurrence,
    Report,
    SpanOut,
    StoryOut,
)
from newsprism.report.tables import TABLES, TablesUnavailableError, render_tables, report_tables, table_file_names
from newsprism.report.write import REPORT_FILE_NAMES, render_reports, write_reports

LEDGER = "The ferry resumed on Saturday. Fares rose to $4, the operator said. “We are back,” said Olu Adeyemi."
TIMES = "Ferries sailed again on Saturday. Fares rose to $5. “We are back on the water,” Adeyemi said."
POST = '=HYPERLINK("http://evil.example") The island waited. -1 degrees overnight.'


def _span(article: str, text: str, body: str) -> SpanOut:
    start = body.index(text)
    return SpanOut(article=article, start=start, end=start + len(text), text=text)


@pytest.fixture(scope="module")
def report() -> Report:
    ledger_s1 = _span("ledger", "The ferry resumed on Saturday.", LEDGER)
    times_s1 = _span("times", "Ferries sailed again on Saturday.", TIMES)
    ledger_fare = _span("ledger", "Fares rose to $4, the operator said.", LEDGER)
    times_fare = _span("times", "Fares rose to $5.", TIMES)
    return Report(
        story=StoryOut(id="ferry", title="Ferry back", articles=[
            ArticleOut(id="ledger", outlet="Fenwick Ledger", text=LEDGER, title="Ferry resumes",
                       published=datetime(2026, 5, 2, 9, 0, tzinfo=UTC), source="story/ledger.md"),
            ArticleOut(id="times", outlet="Tarrow Times", text=TIMES, url="https://times.example/ferry"),
            ArticleOut(id="post", outlet="Island Post", text=POST),
        ]),
        claims=[
            Claim(id="c1", text="The ferry resumed on Saturday.", spans=[ledger_s1, times_s1],
                  sources=["ledger", "times"], independent_sources=1, omitted_by=["post"], importance=0.9,
                  support=[ClaimSupport(article="ledger", level="states", span=ledger_s1),
                           ClaimSupport(article="times", level="states", span=times_s1),
                           ClaimSupport(article="post", level="related",
                                        span=_span("post", "The island waited.", POST))]),
            Claim(id="c2", text=POST[:31], spans=[_span("post", POST[:31], POST)], sources=["post"],
                  independent_sources=1, single_source=True, importance=0.2,
                  support=[ClaimSupport(article="post", level="states")]),
        ],
        contradictions=[Contradiction(id="x1", kind="number", subject="fare", why="fare: $4 vs $5", sides=[
            ContradictionSide(value="$4", spans=[ledger_fare], articles=["ledger"]),
            ContradictionSide(value="$5", spans=[times_fare], articles=["times", "post"]),
        ])],
        quotes=[Quote(id="q1", speaker="Olu Adeyemi", text="We are back", occurrences=[
            QuoteOccurrence(span=_span("ledger", "We are back", LEDGER), direct=True, variant="verbatim",
                            speaker_as_written="Olu Adeyemi"),
            QuoteOccurrence(span=_span("times", "We are back on the water", TIMES), direct=True,
                            variant="extended", speaker_as_written="Adeyemi", diff="back {+on the water+}"),
        ])],
        provenance=Provenance(
            pairs=[ProvenancePair(a="ledger", b="times", relation="rewrite", reuse=0.61, verbatim=0.2,
                                  paraphrase=0.61, order=0.9, direction="a->b",
                                  evidence=[EvidencePair(a=ledger_s1, b=times_s1)]),
                   ProvenancePair(a="ledger", b="post", relation="independent", reuse=0.05)],
            groups=[["ledger", "times"], ["post"]]),
        coverage=[Coverage(article="ledger", carries=["c1"]), Coverage(article="times", carries=["c1"]),
                  Coverage(article="post", carries=["c2"], omits=["c1"], single_source=["c2"])],
        framing=[Framing(article="ledger", subjectivity=0.1, rank=1), Framing(article="post", subjectivity=0.4,
                                                                             rank=2)],
    )


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_every_item_gets_its_row(report: Report) -> None:
    rows = report_tables(report)
    assert list(rows) == list(TABLES)
    assert [r["article"] for r in rows["articles"]] == ["ledger", "times", "post"]
    assert [r["claim"] for r in rows["claims"]] == ["c1", "c2"]
    assert len(rows["claim_support"]) == 2 * 3  # the matrix in long form: every claim x every article
    assert len(rows["quotes"]) == 2
    assert [(r["side"], r["article"]) for r in rows["contradictions"]] == [(1, "ledger"), (2, "times"), (2, "post")]
    assert [(r["a"], r["b"]) for r in rows["provenance"]] == [("ledger", "times"), ("ledger", "post")]
    for name, table in rows.items():  # each row has exactly the table's columns
        assert all(list(r) == list(TABLES[name]) for r in table), name


def test_rows_carry_the_report_values(report: Report) -> None:
    rows = report_tables(report)
    ledger, times, post = rows["articles"]
    assert (ledger["published"], ledger["claims_carried"], ledger["provenance_group"]) == (
        "2026-05-02T09:00:00+00:00", 1, 1)
    assert (times["subjectivity"], times["provenance_group"]) == (None, 1)  # no framing row: empty, not 0
    assert (post["claims_omitted"], post["claims_single_source"], post["subjectivity_rank"]) == (1, 1, 2)
    c1 = rows["claims"][0]
    assert (c1["sources"], c1["source_count"], c1["omitted_by"], c1["states"], c1["related"]) == (
        "ledger;times", 2, "post", 2, 1)
    support = {(r["claim"], r["article"]): r for r in rows["claim_support"]}
    assert support["c1", "times"]["carries"] and support["c1", "times"]["level"] == "states"
    assert support["c1", "post"]["omits"] and support["c1", "post"]["level"] == "related"
    assert support["c1", "post"]["sentence"] == "The island waited."
    assert support["c2", "ledger"]["level"] is None and support["c2", "ledger"]["sentence"] is None
    s = support["c1", "ledger"]
    assert LEDGER[s["start"]:s["end"]] == s["sentence"]  # offsets point into the article's text
    x_post = rows["contradictions"][2]
    assert (x_post["value"], x_post["sentence"], x_post["outlet"]) == ("$5", None, "Island Post")
    q = rows["quotes"][1]
    assert (q["speaker"], q["variant"], q["diff"], q["text"]) == (
        "Olu Adeyemi", "extended", "back {+on the water+}", "We are back on the water")
    p = rows["provenance"]
    assert (p[0]["evidence_pairs"], p[0]["same_group"], p[1]["same_group"]) == (1, True, False)


def test_csv_reads_back_and_defuses_formulas(report: Report) -> None:
    files = render_tables(report, "csv")
    assert list(files) == table_file_names("csv")
    articles = _csv_rows(str(files["report.articles.csv"]))
    assert [a["outlet"] for a in articles] == ["Fenwick Ledger", "Tarrow Times", "Island Post"]
    assert articles[1]["published"] == "" and articles[0]["words"] == str(len(LEDGER.split()))
    claims = _csv_rows(str(files["report.claims.csv"]))
    # a spreadsheet would run this cell; CSV quotes it with a leading ', Parquet keeps it exactly
    assert claims[1]["text"] == "'" + POST[:31] and claims[1]["single_source"] == "true"
    quotes = _csv_rows(str(files["report.quotes.csv"]))
    assert quotes[0]["text"] == "We are back" and quotes[1]["direct"] == "true"
    for name, text in files.items():
        assert str(text).splitlines()[0].split(",") == list(TABLES[name.split(".")[1]])


def test_parquet_keeps_types_and_exact_values(report: Report) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    files = render_tables(report, "parquet")
    assert list(files) == table_file_names("parquet")
    claims = pq.read_table(io.BytesIO(files["report.claims.parquet"])).to_pylist()
    assert claims[1]["text"] == POST[:31] and claims[1]["single_source"] is True
    articles = pq.read_table(io.BytesIO(files["report.articles.parquet"]))
    assert str(articles.schema.field("words").type) == "int64"
    assert articles.to_pylist()[1]["subjectivity"] is None
    for name, data in files.items():
        table = name.split(".")[1]
        assert pq.read_table(io.BytesIO(data)).to_pylist() == report_tables(report)[table]


def test_parquet_without_pyarrow_names_the_extra(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("pyarrow"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(TablesUnavailableError, match=r"newsprism\[tables\]"):
        tables.render_parquet(report, "claims")


def test_tables_join_the_report_set(report: Report, tmp_path: Path) -> None:
    # tables are files of the run's set: a later run without them removes them, never mixes runs
    out = tmp_path / "out"
    (out).mkdir()
    (out / "notes.csv").write_text("mine", encoding="utf-8")
    written = write_reports(report, out, ["csv", "json"])
    assert [p.name for p in written] == ["report.json", *table_file_names("csv")]
    assert set(table_file_names("parquet")) <= set(REPORT_FILE_NAMES)
    write_reports(report, out, ["md"])
    assert sorted(p.name for p in out.iterdir()) == ["notes.csv", "report.md"]
    with pytest.raises(ValueError, match="unknown report format pdf"):
        render_reports(report, ["pdf"])
