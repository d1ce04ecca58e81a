"""The public entry: dispatch, ids, records, encodings and every file-level error."""

from __future__ import annotations

from pathlib import Path

import newsprism
from newsprism.ingest import IngestResult, InputRecord, load, load_many

STORY = "The ferry resumed service on Monday, the harbour office said.\n"


def test_public_names() -> None:
    assert newsprism.load is load and newsprism.load_many is load_many
    assert newsprism.IngestResult is IngestResult
    assert InputRecord("a", "ok").status == "ok"


def test_missing_path(tmp_path: Path) -> None:
    result = load(tmp_path / "nope.txt")
    (err,) = result.errors
    assert err.code == "not_found" and "no such file" in err.problem
    assert result.inputs[0] == InputRecord(
        str(tmp_path / "nope.txt"), "failed", (), err.problem, "", "not_found"
    )


def test_missing_url_like_path_hints_scheme() -> None:
    (err,) = load("www.osk-daily.example/news/dam").errors
    assert "https://" in err.problem


def test_file_url(tmp_path: Path) -> None:
    path = tmp_path / "osk.txt"
    path.write_text(STORY)
    assert len(load(f"file://{path}").articles) == 1


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n")
    (err,) = load(path).errors
    assert (err.code, err.problem, err.fix) == (
        "empty",
        "the file is empty",
        "add the article text or remove the file",
    )


def test_only_invisible_characters_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "zw.txt"
    path.write_text("\u200b\u200b\n\ufeff")
    assert [e.code for e in load(path).errors] == ["empty"]


def test_binary_files(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "nul.txt").write_bytes(b"abc\x00\x01\x02def" * 20)
    result = load_many(sorted(tmp_path.iterdir()))
    assert [e.code for e in result.errors] == ["binary"] * 3
    assert "NUL" in result.errors[0].problem
    assert "PNG" in result.errors[1].problem and "PDF" in result.errors[2].problem


def test_utf16_files(tmp_path: Path) -> None:
    text = "Caf\u00e9 Reopens\n\nThe caf\u00e9 reopened with a \u201cnew\u201d menu \u2014 Ren\u00e9e said.\n"
    (tmp_path / "bom.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "le.txt").write_bytes(text.encode("utf-16-le"))
    (tmp_path / "be.txt").write_bytes(text.encode("utf-16-be"))
    result = load(tmp_path)
    assert not result.errors
    for a in result.articles:
        assert a.title == "Caf\u00e9 Reopens"
        assert a.text == "The caf\u00e9 reopened with a \u201cnew\u201d menu \u2014 Ren\u00e9e said."


def test_cp1252_and_latin1_files(tmp_path: Path) -> None:
    text = "The caf\u00e9 on Quay Street reopened with a \u201cnew\u201d menu \u2014 and old prices.\n"
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    latin = "Der B\u00fcrgermeister sagte, die Br\u00fccke sei \u00fcber Nacht gesperrt worden.\n"
    (tmp_path / "latin1.txt").write_bytes(latin.encode("latin-1"))
    result = load(tmp_path)
    by_id = {a.id: a.text for a in result.articles}
    assert by_id["cp1252"] == text.strip()
    assert by_id["latin1"] == latin.strip()


def test_cyrillic_cp1251_file(tmp_path: Path) -> None:
    text = "\u041f\u0430\u0440\u043e\u043c \u0432\u043e\u0437\u043e\u0431\u043d\u043e\u0432\u0438\u043b \u0440\u0435\u0439\u0441\u044b \u0432 \u043f\u043e\u043d\u0435\u0434\u0435\u043b\u044c\u043d\u0438\u043a, \u0441\u043e\u043e\u0431\u0449\u0438\u043b\u0438 \u0432 \u043f\u043e\u0440\u0442\u0443.\n"  # noqa: E501
    (tmp_path / "ru.txt").write_bytes(text.encode("cp1251") * 3)
    (a,) = load(tmp_path / "ru.txt").articles
    assert "\u043f\u043e\u0440\u0442\u0443" in a.text


def test_unique_ids_across_sources(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "courier.txt").write_text(STORY)
    (tmp_path / "b" / "courier.md").write_text(STORY)
    (tmp_path / "Courier!.txt").write_text(STORY)
    result = load_many([tmp_path / "a", tmp_path / "b", tmp_path / "Courier!.txt"])
    assert [a.id for a in result.articles] == ["courier", "courier-2", "courier-3"]
    assert result.inputs[2].article_ids == ("courier-2",)


def test_ids_are_deterministic(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "c.md"):
        (tmp_path / name).write_text(STORY)
    first = [a.id for a in load(tmp_path).articles]
    assert first == [a.id for a in load(tmp_path).articles] == ["a", "b", "c"]


def test_unknown_extension_sniffed_or_reported(tmp_path: Path) -> None:
    (tmp_path / "page.dat").write_text(
        "<!doctype html><html><body><article><p>" + "The pier opened to walkers on Sunday. " * 8
        + "</p></article></body></html>"
    )  # fmt: skip
    (tmp_path / "lines.log").write_text('{"text": "The pier opened."}\n')
    (tmp_path / "notes.docx").write_text("just words in a file with an odd extension")
    result = load_many(sorted(tmp_path.iterdir()))
    kinds = {Path(r.source).name: (r.kind, r.status) for r in result.inputs if ":" not in Path(r.source).name}
    assert kinds["page.dat"] == ("html", "ok")
    assert kinds["lines.log"] == ("jsonl", "ok")
    assert kinds["notes.docx"] == ("", "failed")
    (err,) = result.errors
    assert err.code == "unsupported" and ".docx" in err.problem


def test_inputs_cover_every_source(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(STORY)
    sources = [tmp_path / "ok.txt", tmp_path / "missing.txt", "gopher://old.example/x"]
    result = load_many(sources)
    assert [r.source for r in result.inputs] == [str(s) for s in sources]
    assert [r.status for r in result.inputs] == ["ok", "failed", "failed"]
    assert [e.code for e in result.errors] == ["not_found", "unsupported"]
    assert result.ok and result.article(result.articles[0].id) is result.articles[0]


def test_an_overlong_article_is_refused_and_the_rest_loads(tmp_path: Path) -> None:
    from newsprism.ingest.common import MAX_ARTICLE_CHARS

    (tmp_path / "dump.txt").write_text("The tide came in again. " * (MAX_ARTICLE_CHARS // 20), encoding="utf-8")
    (tmp_path / "short.txt").write_text("The tide came in once, the harbour master said.", encoding="utf-8")
    result = load(tmp_path)
    assert [a.id for a in result.articles] == ["short"]
    (err,) = result.errors
    assert err.code == "too_large" and "dump.txt" in err.source and "split it" in str(err)
