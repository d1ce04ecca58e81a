"""A report as flat tables, for pandas and spreadsheets: CSV (standard library) or Parquet.

Six tables, one row per thing, every row keyed by the report's own ids (article, claim, quote,
contradiction), so they join in pandas the way they nest in ``report.json``:

* ``articles``: one row per article (outlet, title, date, words, claims carried and omitted,
  subjectivity and its rank, provenance group);
* ``claims``: one row per claim (wording, importance, sources, independent sources, ...);
* ``claim_support``: the claim matrix in long form, one row per claim and article: whether the
  article carries the claim, its support level and the sentence it was judged on;
* ``quotes``: one row per occurrence of a quote (speaker, variant, direct or not, the words);
* ``contradictions``: one row per article on each side of a contradiction, with its sentence;
* ``provenance``: one row per pair of articles (relation, reuse scores, direction).

Lists of ids are joined with ``;`` (ids never hold one). Offsets (``start``, ``end``) are
character offsets into the article's ``text`` in ``report.json``. CSV is UTF-8, comma-separated,
one header row; a text cell that a spreadsheet would run as a formula (one starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return, e.g. from a hostile web page) gets a leading
``'`` in CSV only. Parquet keeps every value exactly, with typed columns; it needs ``pyarrow``
(``pip install 'newsprism[tables]'``).

>>> from newsprism.report.schema import ArticleOut, Report, StoryOut
>>> r = Report(story=StoryOut(id="s", articles=[ArticleOut(id="a", outlet="Harbor Gazette", text="=1+1 rain.")]))
>>> rows = report_tables(r)["articles"]
>>> rows[0]["article"], rows[0]["outlet"], rows[0]["words"]
('a', 'Harbor Gazette', 2)
>>> print(render_csv(r, "articles").splitlines()[0])
article,outlet,title,url,published,author,source,words,claims_carried,claims_omitted,claims_single_source,subjectivity,subjectivity_rank,provenance_group
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from newsprism.report.schema import Report, SpanOut

__all__ = ["TABLES", "TABLE_FORMATS", "TablesUnavailableError", "render_csv", "render_parquet", "render_tables",
           "report_tables", "table_file_names"]

Cell = str | int | float | bool | None
Row = dict[str, Cell]
ColumnType = Literal["str", "int", "float", "bool"]

#: table -> column -> type (the CSV header order; Parquet's column types).
TABLES: dict[str, dict[str, ColumnType]] = {
    "articles": {
        "article": "str", "outlet": "str", "title": "str", "url": "str", "published": "str", "author": "str",
        "source": "str", "words": "int", "claims_carried": "int", "claims_omitted": "int",
        "claims_single_source": "int", "subjectivity": "float", "subjectivity_rank": "int",
        "provenance_group": "int",
    },
    "claims": {
        "claim": "str", "text": "str", "importance": "float", "sources": "str", "source_count": "int",
        "independent_sources": "int", "single_source": "bool", "omitted_by": "str", "states": "int",
        "partial": "int", "contradicts": "int", "related": "int", "details": "str",
    },
    "claim_support": {
        "claim": "str", "article": "str", "outlet": "str", "carries": "bool", "omits": "bool", "level": "str",
        "sentence": "str", "start": "int", "end": "int",
    },
    "quotes": {
        "quote": "str", "speaker": "str", "quote_text": "str", "article": "str", "outlet": "str",
        "speaker_as_written": "str", "direct": "bool", "variant": "str", "diff": "str", "text": "str",
        "start": "int", "end": "int",
    },
    "contradictions": {
        "contradiction": "str", "kind": "str", "subject": "str", "why": "str", "side": "int", "value": "str",
        "article": "str", "outlet": "str", "sentence": "str", "start": "int", "end": "int",
    },
    "provenance": {
        "a": "str", "b": "str", "outlet_a": "str", "outlet_b": "str", "relation": "str", "reuse": "float",
        "verbatim": "float", "paraphrase": "float", "order": "float", "direction": "str",
        "evidence_pairs": "int", "same_group": "bool",
    },
}
#: the table formats, beside the single-file ones (json, md, html)
TABLE_FORMATS: tuple[str, ...] = ("csv", "parquet")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_EXTRA_FIX = "pip install 'newsprism[tables]' (it installs pyarrow), or ask for --format csv"


class TablesUnavailableError(RuntimeError):
    """Parquet was asked for but ``pyarrow`` is not installed; the message names the fix."""


def table_file_names(fmt: str) -> list[str]:
    """The files a table format writes, one per table: ``report.<table>.<fmt>``.

    >>> table_file_names("csv")[:2]
    ['report.articles.csv', 'report.claims.csv']
    """
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"unknown table format {fmt!r}; choose from {', '.join(TABLE_FORMATS)}")
    return [f"report.{name}.{fmt}" for name in TABLES]


def _ids(values: list[str]) -> str:
    return ";".join(values)


def report_tables(report: Report) -> dict[str, list[Row]]:
    """The report as rows: ``{table: [ {column: value} ]}``, every table of :data:`TABLES`, in order.

    Nothing is dropped: every article, claim, claim-article pair, quote occurrence,
    contradiction side and provenance pair gets its row.
    """
    articles = report.story.articles
    outlet = {a.id: a.outlet for a in articles}
    coverage = {c.article: c for c in report.coverage}
    framing = {f.article: f for f in report.framing}
    group_of = {a: i for i, group in enumerate(report.provenance.groups, 1) for a in group}

    def span_cells(span: SpanOut | None, text_column: str) -> Row:
        if span is None:
            return {text_column: None, "start": None, "end": None}
        return {text_column: span.text, "start": span.start, "end": span.end}

    rows: dict[str, list[Row]] = {name: [] for name in TABLES}
    for a in articles:
        cov, fr = coverage.get(a.id), framing.get(a.id)
        rows["articles"].append({
            "article": a.id, "outlet": a.outlet, "title": a.title, "url": a.url,
            "published": a.published.isoformat() if a.published else None, "author": a.author,
            "source": a.source, "words": len(a.text.split()),
            "claims_carried": len(cov.carries) if cov else None, "claims_omitted": len(cov.omits) if cov else None,
            "claims_single_source": len(cov.single_source) if cov else None,
            "subjectivity": fr.subjectivity if fr else None, "subjectivity_rank": fr.rank if fr else None,
            "provenance_group": group_of.get(a.id),
        })
    for c in report.claims:
        levels = [s.level for s in c.support]
        rows["claims"].append({
            "claim": c.id, "text": c.text, "importance": c.importance, "sources": _ids(c.sources),
            "source_count": len(c.sources), "independent_sources": c.independent_sources,
            "single_source": c.single_source, "omitted_by": _ids(c.omitted_by),
            **{level: levels.count(level) for level in ("states", "partial", "contradicts", "related")},
            "details": "; ".join(d.text for d in c.details),
        })
        support = {s.article: s for s in c.support}
        first_span: dict[str, SpanOut] = {}
        for span in c.spans:
            first_span.setdefault(span.article, span)
        for a in articles:
            judged = support.get(a.id)
            rows["claim_support"].append({
                "claim": c.id, "article": a.id, "outlet": a.outlet, "carries": a.id in c.sources,
                "omits": a.id in c.omitted_by, "level": judged.level if judged else None,
                **span_cells(judged.span if judged and judged.span else first_span.get(a.id), "sentence"),
            })
    for q in report.quotes:
        for occ in q.occurrences:
            rows["quotes"].append({
                "quote": q.id, "speaker": q.speaker, "quote_text": q.text, "article": occ.span.article,
                "outlet": outlet.get(occ.span.article), "speaker_as_written": occ.speaker_as_written,
                "direct": occ.direct, "variant": occ.variant, "diff": occ.diff, **span_cells(occ.span, "text"),
            })
    for x in report.contradictions:
        for side_no, side in enumerate(x.sides, 1):
            spans = {s.article: s for s in reversed(side.spans)}  # each article's first sentence on the side
            for art in dict.fromkeys([*side.articles, *(s.article for s in side.spans)]):
                rows["contradictions"].append({
                    "contradiction": x.id, "kind": x.kind, "subject": x.subject, "why": x.why, "side": side_no,
                    "value": side.value, "article": art, "outlet": outlet.get(art),
                    **span_cells(spans.get(art), "sentence"),
                })
    for p in report.provenance.pairs:
        rows["provenance"].append({
            "a": p.a, "b": p.b, "outlet_a": outlet.get(p.a), "outlet_b": outlet.get(p.b), "relation": p.relation,
            "reuse": p.reuse, "verbatim": p.verbatim, "paraphrase": p.paraphrase, "order": p.order,
            "direction": p.direction, "evidence_pairs": len(p.evidence),
            "same_group": p.a in group_of and group_of.get(p.a) == group_of.get(p.b),
        })
    return rows


def _csv_cell(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # a spreadsheet would run it as a formula
    if isinstance(value, bool):
        return "true" if value else "false"  # pandas reads these as booleans
    return value


def _csv(rows: list[Row], columns: Mapping[str, ColumnType]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(columns))
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return out.getvalue()


def render_csv(report: Report, table: str) -> str:
    """One table as CSV text (a header row, then one row per item; empty cells for None)."""
    return _csv(report_tables(report)[table], TABLES[table])


def _parquet(rows: list[Row], columns: Mapping[str, ColumnType]) -> bytes:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise TablesUnavailableError(f"Parquet tables need pyarrow, which is not installed (fix: {_EXTRA_FIX})") from e
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([(c, types[t]) for c, t in columns.items()])
    table = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows], schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


def render_parquet(report: Report, table: str) -> bytes:
    """One table as a Parquet file's bytes (typed columns, exact values); needs ``pyarrow``.

    Raises :class:`TablesUnavailableError`, naming the ``[tables]`` extra, when it is missing.
    """
    return _parquet(report_tables(report)[table], TABLES[table])


def render_tables(report: Report, fmt: str) -> dict[str, str | bytes]:
    """Every table in ``fmt`` (``csv``: text, ``parquet``: bytes), by file name (:func:`table_file_names`).

    >>> from newsprism.report.schema import ArticleOut, Report, StoryOut
    >>> r = Report(story=StoryOut(id="s", articles=[ArticleOut(id="a", outlet="X", text="Hi.")]))
    >>> sorted(render_tables(r, "csv"))[0]
    'report.articles.csv'
    """
    names = table_file_names(fmt)
    rows = report_tables(report)
    if fmt == "csv":
        return {name: _csv(rows[t], TABLES[t]) for name, t in zip(names, TABLES, strict=True)}
    return {name: _parquet(rows[t], TABLES[t]) for name, t in zip(names, TABLES, strict=True)}
