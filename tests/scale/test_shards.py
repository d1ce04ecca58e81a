"""Reading shards: JSONL (plain and gzip), Parquet and WARC; bad parts are errors, never silent."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from newsprism.errors import InputError
from newsprism.scale.shards import article_from_json, article_to_json, expand_inputs, read_shard

ROWS = [
    {"id": "osk-1", "outlet": "Osk Daily", "title": "Ferry halted", "text": "The ferry to Osk stopped on Monday.",
     "published": "2026-03-02T08:00:00+00:00"},
    {"id": "osk-2", "outlet": "Harbor Gazette", "text": "An engine broke down on the Osk ferry."},
]


def test_jsonl_gzip_and_bad_lines(tmp_path: Path) -> None:
    shard = tmp_path / "a.jsonl.gz"
    lines = [json.dumps(ROWS[0]), "{not json", json.dumps({"title": "no body"}), json.dumps(ROWS[1])]
    shard.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    got = read_shard(shard)
    assert [a.id for a in got.articles] == ["osk-1", "osk-2"]
    assert got.articles[0].published is not None and got.articles[0].title == "Ferry halted"
    assert [(e.source, e.code) for e in got.errors] == [(f"{shard}:2", "bad_json"), (f"{shard}:3", "no_text")]


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path) -> None:
    shard = tmp_path / "cut.jsonl.gz"
    data = gzip.compress(("\n".join(json.dumps(r) for r in ROWS * 2000) + "\n").encode())
    shard.write_bytes(data[: len(data) // 2])
    got = read_shard(shard)
    assert got.articles and got.errors[-1].code == "bad_archive" and got.errors[-1].source == str(shard)


def test_parquet(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    shard = tmp_path / "b.parquet"
    pq.write_table(pa.Table.from_pylist([*ROWS, {"id": "x", "outlet": "Y", "text": ""}]), shard)
    got = read_shard(shard)
    assert [a.id for a in got.articles] == ["osk-1", "osk-2"]
    assert [(e.source, e.code) for e in got.errors] == [(f"{shard}[3]", "no_text")]


def test_not_parquet_is_one_error(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    shard = tmp_path / "c.parquet"
    shard.write_text("hello")
    got = read_shard(shard)
    assert not got.articles and [e.code for e in got.errors] == ["bad_archive"]


def test_warc(tmp_path: Path) -> None:
    pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    shard = tmp_path / "d.warc.gz"
    body = ("<html><head><title>Ferry halted</title></head><body><article><h1>Ferry halted</h1>"
            + "<p>The ferry to Osk stopped running on Monday after an engine failure left passengers stranded.</p>" * 3
            + "</article></body></html>").encode()
    with open(shard, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record("https://osk.example/ferry", "response", payload=io.BytesIO(body),
                                           http_headers=headers)
        writer.write_record(record)
        record.raw_stream.close()  # warcio buffers the payload in a temporary file to measure it
    got = read_shard(shard)
    assert [a.url for a in got.articles] == ["https://osk.example/ferry"]
    assert "engine failure" in got.articles[0].text


def test_expand_inputs(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("sub/b.jsonl", "a.warc.gz", "notes.txt"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in expand_inputs([tmp_path])] == ["a.warc.gz", "b.jsonl"]
    with pytest.raises(InputError, match="not a shard kind"):
        expand_inputs([tmp_path / "notes.txt"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="holds no shards"):
        expand_inputs([tmp_path / "empty"])


def test_article_json_round_trip(tmp_path: Path) -> None:
    shard = tmp_path / "e.jsonl"
    shard.write_text(json.dumps({**ROWS[0], "text": "Photo: Ana Pell\n\nThe ferry stopped.\n\nRead more: ferries"}))
    [article] = read_shard(shard).articles
    assert article_from_json(article_to_json(article)) == article
