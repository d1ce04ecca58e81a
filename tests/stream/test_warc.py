"""WARC archives: HTML responses become articles; everything else is counted, not loaded."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

import pytest

from newsprism.ingest import load
from newsprism.stream.ingest import ingest
from newsprism.stream.store import Store

warcio = pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

PAGE = """<html><head><title>Ferry Resumes</title><meta property="og:site_name" content="Osk Daily">
<meta charset="{charset}"></head><body><article><h1>Ferry Resumes</h1>
<p>The ferry to Osk Island resumed service on Monday after a two-week pause for engine repairs, the harbour
office said in a statement on {day}.</p>
<p>Tickets for the first crossing sold out by noon, and a second boat was added for the evening run, said
harbour master Ilse Vantreek, who thanked islanders for their patience.</p></article></body></html>"""


def _write(path: Path, records: list[tuple[str, str, int, str, bytes]], *, gz: bool = True) -> Path:
    """records: (record type, target URI, HTTP status, content type, body)."""
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=gz)
        for rec_type, uri, status, ctype, body in records:
            if rec_type == "response":
                http = StatusAndHeaders(f"{status} {'OK' if status == 200 else 'Not Found'}",
                                        [("Content-Type", ctype)], protocol="HTTP/1.1")
                rec = w.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=http)
            else:
                rec = w.create_warc_record(uri, rec_type, payload=BytesIO(body),
                                           warc_content_type="application/http; msgtype=request")
            w.write_record(rec)
            rec.raw_stream.close()  # warcio buffers the payload in a temporary file to measure it
    return path


def _archive(tmp_path: Path, name: str = "crawl.warc.gz", gz: bool = True) -> Path:
    return _write(tmp_path / name, [
        ("request", "https://osk.example/ferry", 0, "", b"GET /ferry HTTP/1.1\r\nHost: osk.example\r\n\r\n"),
        ("response", "https://osk.example/ferry", 200, "text/html; charset=utf-8",
         PAGE.format(charset="utf-8", day="Monday").encode()),
        ("response", "https://osk.example/logo.png", 200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
        ("response", "https://osk.example/gone", 404, "text/html", b"<html><body>Not found</body></html>"),
        ("response", "https://osk.example/empty", 200, "text/html", b"<html><body><nav>Home</nav></body></html>"),
        ("response", "https://cal.example/ferry", 200, "text/html; charset=windows-1252",
         PAGE.format(charset="windows-1252", day="Mönday").encode("cp1252")),
    ], gz=gz)


@pytest.mark.parametrize("gz", [True, False])
def test_html_responses_become_articles(tmp_path: Path, gz: bool) -> None:
    path = _archive(tmp_path, "crawl.warc.gz" if gz else "crawl.warc", gz=gz)
    r = load(path)
    assert [a.url for a in r.articles] == ["https://osk.example/ferry", "https://cal.example/ferry"]
    assert r.articles[0].title == "Ferry Resumes" and "second boat" in r.articles[0].text
    assert "Mönday" in r.articles[1].text  # the HTTP header's charset was used
    archive = next(i for i in r.inputs if i.source == str(path))
    assert archive.kind == "warc" and archive.article_ids == tuple(a.id for a in r.articles)
    assert "2 of 3 HTML pages loaded; 3 other records" in archive.message
    assert [e.code for e in r.errors] == ["no_article"]  # the page with no article is named
    assert r.errors[0].source == f"{path}#5"


def test_a_file_that_is_not_warc_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc.gz"
    path.write_bytes(gzip.compress(b"these are plain notes, not an archive\n" * 10))
    r = load(path)
    assert not r.articles and r.errors[0].code == "bad_archive"
    assert "not a readable WARC archive" in r.errors[0].problem and r.errors[0].fix


def test_a_truncated_archive_keeps_what_was_read(tmp_path: Path) -> None:
    path = _archive(tmp_path, "whole.warc", gz=False)
    data = path.read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: data.rindex(b"WARC/1.") + 200])  # the last record cut short
    r = load(cut)
    assert [a.url for a in r.articles] == ["https://osk.example/ferry"]


def test_a_page_over_the_size_cap_is_that_pages_error(tmp_path: Path) -> None:
    big = PAGE.format(charset="utf-8", day="Monday").replace("</article>", "<p>" + "word " * 50_000 + "</p></article>")
    path = _write(tmp_path / "big.warc.gz", [("response", "https://osk.example/big", 200, "text/html", big.encode())])
    r = load(path, max_file_bytes=100_000)
    assert [e.code for e in r.errors] == ["too_large"]


def test_warc_into_the_store(tmp_path: Path) -> None:
    path = _archive(tmp_path)
    with Store(tmp_path / "s.sqlite3") as store:
        first = ingest([path], store, clusterer=None)
        again = ingest([path], store, clusterer=None)
    assert (first.new, first.near, len(first.errors)) == (1, 1, 1)  # the two pages differ by one word
    assert (again.unchanged, again.new) == (2, 0)


def test_a_warc_inside_a_folder_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "crawls"
    folder.mkdir()
    _archive(folder)
    (folder / "note.txt").write_text("Harbour Notes\n\nThe pier lights were repaired on Sunday night.\n")
    r = load(folder)
    urls = sorted(a.url or a.id for a in r.articles)
    assert urls == ["https://cal.example/ferry", "https://osk.example/ferry", "note"]
