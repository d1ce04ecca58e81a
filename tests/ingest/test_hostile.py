"""Hostile inputs, one at a time, between two good articles: each is a clear input error (or
loads cleanly), the good articles still load, and nothing raises.

The safety net (``guard.SAFETY_NET``) is off here: an input that only loads because the net
caught an unexpected exception fails the test with that exception's traceback. Every case
also runs inside a thread with a time limit, so a hang (a FIFO, ``/dev/zero``, a quadratic
regex) fails instead of stopping the suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import newsprism.ingest.guard as guard
from newsprism.errors import InputError
from newsprism.ingest import Fetcher, IngestResult, load_many
from newsprism.ingest.common import MAX_ARTICLE_CHARS
from newsprism.ingest.result import printable

P = "The Vell dam held through the storm on Monday night, engineers said on Tuesday morning. "
GOOD_TXT = "Dam Holds After Storm\n\n" + P * 3 + "\n"
GOOD_JSONL = json.dumps({"text": P * 3, "outlet": "Osk Daily", "id": "osk-daily"}) + "\n"
HTML = "<html><head><title>Dam Holds</title></head><body><article><p>{}</p><p>{}</p></article></body></html>"
RSS = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Osk Wire</title>{}</channel></rss>'
ITEM = "<item><title>{title}</title><link>{link}</link><description>{body}</description></item>"
TIME_LIMIT = 30.0  # seconds for one load of three inputs; the slowest case takes about 1 s


@dataclass(frozen=True)
class Case:
    """``make(folder, base_url)`` builds the hostile input and returns its source.

    ``codes``: the error codes the input may give (one at least must appear); None means
    it must load cleanly, with every string writable as UTF-8. ``kwargs`` go to load_many.
    """

    id: str
    make: Callable[[Path, str], str]
    codes: frozenset[str] | None
    kwargs: dict[str, object] = field(default_factory=dict)


def _file(name: str, content: str | bytes) -> Callable[[Path, str], str]:
    def make(folder: Path, base: str) -> str:
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
        return str(path)

    return make


def _url(path: str) -> Callable[[Path, str], str]:
    return lambda folder, base: base + path


def _literal(source: str) -> Callable[[Path, str], str]:
    return lambda folder, base: source


def _feed(*items: dict[str, str]) -> str:
    return RSS.format("".join(ITEM.format(**{"title": "Dam", "link": "", "body": P, **i}) for i in items))


def _deep_json(depth: int) -> str:
    return '{"text": ' + "[" * depth + "]" * depth + "}"


def _fifo(folder: Path, base: str) -> str:
    sub = folder / "with-fifo"
    sub.mkdir()
    (sub / "ok.txt").write_text(GOOD_TXT.replace("Dam Holds", "Dam Still Holds"))
    os.mkfifo(sub / "pipe.txt")
    return str(sub)


def _fifo_direct(folder: Path, base: str) -> str:
    os.mkfifo(folder / "pipe.txt")
    return str(folder / "pipe.txt")


def _socket_in_folder(folder: Path, base: str) -> str:
    sub = folder / "with-socket"
    sub.mkdir()
    (sub / "ok.txt").write_text(GOOD_TXT)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sub / "s.txt"))  # the socket file stays after close
    sock.close()
    return str(sub)


def _dev_zero_link(folder: Path, base: str) -> str:
    sub = folder / "with-zero"
    sub.mkdir()
    (sub / "ok.txt").write_text(GOOD_TXT)
    (sub / "zero.txt").symlink_to("/dev/zero")
    return str(sub)


def _dev_zero_direct(folder: Path, base: str) -> str:
    (folder / "zero.txt").symlink_to("/dev/zero")
    return str(folder / "zero.txt")


def _link_loop(folder: Path, base: str) -> str:
    sub = folder / "loop"
    (sub / "inner").mkdir(parents=True)
    (sub / "inner" / "ok.txt").write_text(GOOD_TXT)
    (sub / "inner" / "back").symlink_to(sub, target_is_directory=True)
    return str(sub)


def _broken_link(folder: Path, base: str) -> str:
    sub = folder / "broken"
    sub.mkdir()
    (sub / "ok.txt").write_text(GOOD_TXT)
    (sub / "gone.txt").symlink_to(folder / "does-not-exist.txt")
    return str(sub)


def _non_utf8_name(folder: Path, base: str) -> str:
    name = os.fsdecode(b"caf\xe9-\xff.txt")  # Latin-1 bytes: not UTF-8
    (folder / name).write_text(GOOD_TXT)
    return str(folder / name)


def _control_name(folder: Path, base: str) -> str:
    path = folder / "evil\x1b[31m\nname.txt"
    path.write_text(GOOD_TXT)
    return str(path)


def _empty_folder(folder: Path, base: str) -> str:
    (folder / "empty-folder").mkdir()
    return str(folder / "empty-folder")


def _only_hidden(folder: Path, base: str) -> str:
    sub = folder / "hidden-only"
    sub.mkdir()
    (sub / ".secret.txt").write_text(GOOD_TXT)
    return str(sub)


def _deep_folders(folder: Path, base: str) -> str:
    deep = folder / "deep"
    path = deep
    for _ in range(40):
        path = path / "d"
    path.mkdir(parents=True)
    (path / "empty.txt").write_text("")
    return str(deep)


def _big_file(folder: Path, base: str) -> str:
    (folder / "big.jsonl").write_text(GOOD_JSONL * 200)  # about 60 KB, over the 10 KB cap below
    return str(folder / "big.jsonl")


# fmt: off
CASES = [
    # --- plain text and Markdown ---
    Case("txt-empty", _file("empty.txt", ""), frozenset({"empty"})),
    Case("txt-blank", _file("blank.txt", " \n\t\n\r\n"), frozenset({"empty"})),
    Case("txt-invisible", _file("zw.txt", "\u200b\ufeff\u2060\n"), frozenset({"empty"})),
    Case("txt-nul", _file("nul.txt", b"abc\x00\x01\x02def" * 50), frozenset({"binary"})),
    Case("txt-pdf", _file("scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), frozenset({"binary"})),
    Case("txt-controls", _file("ctl.txt", bytes(range(1, 9)) * 100), frozenset({"binary"})),
    Case("txt-huge", _file("huge.txt", "word " * (MAX_ARTICLE_CHARS // 2)), frozenset({"too_large"})),
    Case("txt-one-article-too-long", _file("long.txt", P * (MAX_ARTICLE_CHARS // len(P) + 5)),
         frozenset({"too_large"})),
    Case("txt-over-file-cap", _file("cap.txt", GOOD_TXT * 200), frozenset({"too_large"}),
         {"max_file_bytes": 10_000}),
    Case("txt-invalid-utf8", _file("bad-utf8.txt", b"Dam \xed\xa0\x80 holds \xff\xfe here. " * 5), None),
    Case("txt-ansi-escapes", _file("ansi.txt", "Dam \x1b[31mHolds\x1b[0m\n\n" + P + "\x07\x1b]0;x\x07"), None),
    Case("txt-only-front-matter", _file("fm.txt", "---\noutlet: Osk\ntitle: Dam\n---\n"), frozenset({"empty"})),
    Case("md-emphasis-bomb", _file("em.md", "*a " * 30_000), None),  # was 46 s (quadratic regex)
    Case("md-bracket-bomb", _file("br.md", "[" * 100_000), None),
    Case("md-image-bomb", _file("img.md", "![" * 60_000), None),
    Case("md-heading-spaces", _file("h.md", "# " + " " * 100_000 + "x\n\n" + P), None),
    Case("md-strong-bomb", _file("st.md", "**a " * 30_000), None),
    Case("unknown-binary", _file("blob.dat", b"\x00\x01\x02\x03" * 64), frozenset({"binary"})),
    Case("unknown-text", _file("notes.xyz", "just some words"), frozenset({"unsupported"})),
    # --- HTML ---
    Case("html-empty", _file("empty.html", ""), frozenset({"empty"})),
    Case("html-nav-only", _file("nav.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>"),
         frozenset({"no_article"})),
    Case("html-script-only", _file("js.html", "<html><body><script>" + "var a=1;" * 500 + "</script></body></html>"),
         frozenset({"no_article"})),
    Case("html-deep-divs", _file("deep.html", "<html><body>" + "<div>" * 100_000 + "</body></html>"),
         frozenset({"no_article"})),
    Case("html-angle-soup", _file("soup.html", "<html>" + "<<>><</" * 5_000), frozenset({"no_article"})),
    Case("html-nul", _file("nul.html", b"<html><body>\x00\x00\x00" * 100), frozenset({"binary"})),
    Case("html-charrefs", _file("refs.html", HTML.format(P + "&#xD800;&#0;&#x110000;&#99999999999999999999;", P)),
         None),
    Case("html-control-chars", _file("ctl.html", HTML.format(P + "\x0b\x0c\x01", P + "\x1f")), None),
    Case("html-lone-surrogate-text", _file("sur.html", HTML.format(P + "\ud800", P)), None),
    Case("html-bogus-charset", _file("cs.html", '<meta charset="x-evil-9">' + HTML.format(P, P)), None),
    Case("html-utf32-declared", _file("u32.html", '<meta charset="utf-32">' + HTML.format(P, P)), None),
    Case("html-undefined-charset", _file("und.html", '<meta charset="undefined">' + HTML.format(P, P)), None),
    Case("html-punycode-charset", _file("puny.html", '<meta charset="punycode">' + HTML.format(P, P)), None),
    Case("html-escape-charset", _file("esc.html", '<meta charset="unicode_escape">' + HTML.format(P + "\\ud800", P)),
         None),
    Case("html-deep-json-ld", _file("ld.html", HTML.format(P, P).replace(
         "<head>", '<head><script type="application/ld+json">' + "[" * 100_000 + "</script>")), None),
    Case("html-digits-json-ld", _file("ld2.html", HTML.format(P, P).replace(
         "<head>", '<head><script type="application/ld+json">{"datePublished": ' + "9" * 5000 + "}</script>")),
         None),
    Case("html-utf16-declared", _file("u16.html", '<meta charset="utf-16">' + HTML.format(P, P)), None),
    Case("feed-undefined-encoding", _file("enc.xml", _feed({}).replace("utf-8", "undefined")), None),
    Case("html-over-file-cap", _file("big.html", HTML.format(P * 200, P)), frozenset({"too_large"}),
         {"max_file_bytes": 10_000}),
    # --- JSONL and JSON ---
    Case("json-deep", _file("deep.json", "[" * 100_000 + "]" * 100_000), frozenset({"bad_json"})),
    Case("jsonl-deep", _file("deep.jsonl", _deep_json(100_000) + "\n"), frozenset({"bad_json"})),
    Case("json-5000-digits", _file("n.json", '{"text": "' + P + '", "published": ' + "9" * 5000 + "}"),
         frozenset({"bad_json"})),
    Case("jsonl-5000-digits", _file("n.jsonl", '{"text": ' + "9" * 5000 + "}\n"), frozenset({"bad_json"})),
    Case("json-body-list-of-numbers", _file("nums.json", json.dumps({"text": [1, 2, 3]})), frozenset({"no_text"})),
    Case("json-body-nested-numbers", _file("nn.json", json.dumps({"body": [[1, True], [None]]})),
         frozenset({"no_text"})),
    Case("json-list-of-non-objects", _file("list.json", json.dumps([1, "two", None, [3]])), frozenset({"bad_json"})),
    Case("json-top-string", _file("s.json", json.dumps("just a string")), frozenset({"bad_json"})),
    Case("json-syntax", _file("bad.json", '{"text": "unterminated'), frozenset({"bad_json"})),
    Case("json-articles-not-list", _file("a.json", json.dumps({"articles": "none"})), frozenset({"no_text"})),
    Case("jsonl-surrogate-escape", _file("sur.jsonl", json.dumps({"text": P + "\ud800", "title": "\udcff"}) + "\n"),
         None),
    Case("jsonl-bad-urls", _file("urls.jsonl", "".join(json.dumps({"text": P, "url": u}) + "\n"
                                 for u in ("http://[1]/", "http://h:abc/", "http://[::1/"))), None),
    Case("jsonl-nan-inf", _file("nan.jsonl", '{"text": "' + P + '", "title": NaN, "published": 1e400}\n'), None),
    Case("jsonl-empty-object", _file("eo.jsonl", "{}\n"), frozenset({"no_text"})),
    Case("jsonl-empty-text", _file("et.jsonl", '{"text": ""}\n'), frozenset({"no_text"})),
    Case("jsonl-control-id", _file("cid.jsonl", json.dumps({"text": P, "id": "a\x1b\n\x00b", "outlet": "\x07"}) + "\n"),
         None),
    Case("jsonl-huge-text", _file("ht.jsonl", json.dumps({"text": P * (MAX_ARTICLE_CHARS // len(P) + 5)}) + "\n"),
         frozenset({"too_large"})),
    Case("jsonl-only-blank-lines", _file("blank.jsonl", "\n\n  \n"), frozenset({"empty"})),
    # --- RSS and Atom feeds ---
    Case("feed-surrogate-charref", _file("s.xml", _feed({"title": "a&#xD800;b", "body": P + "&#xD800;"})), None),
    Case("feed-escaped-surrogate", _file("e.xml", _feed({"body": "&lt;p&gt;" + P + "&amp;#xD800;&lt;/p&gt;"})), None),
    Case("feed-bad-code-points", _file("cp.xml", _feed({"body": P + "&#0;&#x110000;&#99999999999999;&#1;"})), None),
    Case("feed-raw-controls", _file("rc.xml", _feed({"body": "&lt;p&gt;" + P + "\x01\x02\x0b&lt;/p&gt;"})), None),
    Case("feed-link-bad-ipv6", _file("l1.xml", _feed({"link": "http://[1]/"})), None),
    Case("feed-link-malformed", _file("l2.xml", _feed({"link": "http://[::1/", "body": "Short teaser."})), None,
         {"fetch_links": True}),
    Case("feed-not-a-feed", _file("nf.xml", "this is not xml at all"), frozenset({"bad_feed"})),
    Case("feed-no-entries", _file("ne.xml", RSS.format("")), frozenset({"empty"})),
    Case("feed-entry-no-content", _file("nc.xml", _feed({"body": ""})), frozenset({"empty"})),
    Case("feed-billion-laughs", _file("bl.xml", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
         + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True))
         + "]>" + _feed({"body": P + "&i;"})[len('<?xml version="1.0" encoding="utf-8"?>'):]), None),
    Case("feed-deep-xml", _file("deep.atom", '<feed xmlns="http://www.w3.org/2005/Atom">' + "<x>" * 50_000),
         frozenset({"bad_feed", "empty"})),
    Case("feed-binary", _file("bin.rss", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), frozenset({"binary"})),
    # --- folders and special files ---
    Case("folder-fifo", _fifo, frozenset({"not_regular"})),
    Case("fifo-direct", _fifo_direct, frozenset({"not_regular"})),
    Case("folder-socket", _socket_in_folder, frozenset({"not_regular"})),
    Case("folder-dev-zero-link", _dev_zero_link, frozenset({"not_regular"})),
    Case("dev-zero-link-direct", _dev_zero_direct, frozenset({"not_regular"})),
    Case("dev-zero-direct", _literal("/dev/zero"), frozenset({"not_regular"})),
    Case("folder-broken-link", _broken_link, frozenset({"not_found"})),
    Case("folder-empty", _empty_folder, frozenset({"nothing_usable"})),
    Case("folder-only-hidden", _only_hidden, frozenset({"nothing_usable"})),
    Case("folder-deep-nesting", _deep_folders, frozenset({"empty"})),
    Case("file-over-cap", _big_file, frozenset({"too_large"}), {"max_file_bytes": 10_000}),
    Case("path-with-nul", _literal("/tmp/evil\x00name.txt"), frozenset({"unreadable"})),
    Case("path-too-long", _literal("/tmp/" + "n" * 300 + ".txt"), frozenset({"unreadable", "not_found"})),
    Case("path-missing", _literal("/nonexistent/newsprism/story.txt"), frozenset({"not_found"})),
    Case("path-unknown-user", _literal("~no-such-user-newsprism/story.txt"), frozenset({"not_found"})),
    # --- URLs (a server on 127.0.0.1 started here; nothing else is contacted) ---
    Case("url-bad-ipv6", _literal("http://[::1/"), frozenset({"bad_url"})),
    Case("url-bad-port", _literal("http://h:abc/"), frozenset({"bad_url"})),
    Case("url-bracket-not-ip", _literal("http://[1]/"), frozenset({"bad_url"})),
    Case("url-long-label", _literal("http://" + "a" * 300 + ".invalid/"), frozenset({"bad_url"})),
    Case("url-ftp", _literal("ftp://files.example/a.txt"), frozenset({"unsupported"})),
    Case("url-no-host", _literal("http:///path"), frozenset({"unsupported", "bad_url"})),
    Case("url-404", _url("/gone"), frozenset({"http_error"})),
    Case("url-500", _url("/broken"), frozenset({"http_error"})),
    Case("url-empty", _url("/empty"), frozenset({"empty"})),
    Case("url-redirect-loop", _url("/loop"), frozenset({"http_error"})),
    Case("url-too-large", _url("/big"), frozenset({"too_large"})),
    Case("url-deep-json", _url("/deep.json"), frozenset({"bad_json"})),
    Case("url-digits-jsonl", _url("/digits.jsonl"), frozenset({"bad_json"})),
    Case("url-octet-stream", _url("/blob"), frozenset({"unsupported", "binary"})),
    Case("url-image", _url("/image.png"), frozenset({"binary", "unsupported"})),
    Case("url-cut-off", _url("/cut"), frozenset({"unreachable"})),
    Case("url-bad-content-length", _url("/bad-length"), frozenset({"unreachable", "empty"})),
    Case("url-5000-digit-length", _url("/digits-length"), frozenset({"unreachable", "too_large"})),
    Case("url-nul-in-host", _literal("http://exa\x00mple.com/"), frozenset({"bad_url"})),
    Case("url-bad-idna", _literal("http://\u00e9\u0301" + "x" * 70 + ".com/"), frozenset({"bad_url"})),
    Case("url-feed-surrogates", _url("/feed.xml"), None),
    Case("url-html-controls", _url("/ctl.html"), None),
    Case("url-undefined-charset", _url("/undefined.html"), None),
    Case("url-escape-charset", _url("/escape.txt"), None),
]
# fmt: on


def _routes() -> dict[str, tuple[int, bytes, str, dict[str, str]]]:
    return {
        "/gone": (404, b"not here", "text/plain", {}),
        "/broken": (500, b"down", "text/plain", {}),
        "/empty": (200, b"", "text/html", {}),
        "/big": (200, b"<html><body>" + b"<p>word</p>" * 600_000 + b"</body></html>", "text/html", {}),
        "/deep.json": (200, _deep_json(50_000).encode(), "application/json", {}),
        "/digits.jsonl": (200, ('{"text": ' + "7" * 6000 + "}\n").encode(), "application/x-ndjson", {}),
        "/blob": (200, bytes(range(256)) * 4, "application/octet-stream", {}),
        "/image.png": (200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png", {}),
        "/feed.xml": (200, _feed({"title": "x&#xD800;", "body": P + "&amp;#xD800;&#0;"}).encode(),
                      "application/rss+xml", {}),
        "/ctl.html": (200, HTML.format(P + "\x01\x0b", P).encode(), "text/html; charset=utf-8", {}),
        "/undefined.html": (200, HTML.format(P, P).encode(), "text/html; charset=undefined", {}),
        "/escape.txt": (200, ("Dam\n\n" + P + "\\ud800").encode(), "text/plain; charset=unicode_escape", {}),
    }


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    routes = _routes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer()

        def _answer(self) -> None:
            if self.path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path == "/cut":  # promises 10,000 bytes, sends 10, hangs up
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "10000")
                self.end_headers()
                self.wfile.write(b"<html><bod")
                self.wfile.flush()
                self.close_connection = True
                return
            if self.path == "/trickle":  # one byte every 0.1 s, far slower than the read timeout
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
                return
            if self.path == "/digits-length":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "9" * 5000)
                self.end_headers()
                return
            if self.path == "/bad-length":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "ten")
                self.end_headers()
                return
            status, body, ctype, headers = routes.get(self.path, (404, b"no route", "text/plain", {}))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def load_in_time(sources: list[str], **kwargs: object) -> IngestResult:
    """``load_many(sources)`` in a thread: a hang fails the test after ``TIME_LIMIT`` s."""
    out: dict[str, object] = {}

    def run() -> None:
        try:
            out["result"] = load_many(sources, **kwargs)  # type: ignore[arg-type]
        except BaseException as e:  # handed to the test thread below
            out["error"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(TIME_LIMIT)
    assert not thread.is_alive(), f"load_many({sources!r}) still running after {TIME_LIMIT:g} s"
    if "error" in out:
        raise out["error"]  # type: ignore[misc]
    return out["result"]  # type: ignore[return-value]


def _writable(text: str | None) -> None:
    if text is not None:
        text.encode("utf-8")  # raises on a lone surrogate


def check_clean(result: IngestResult) -> None:
    """Every string the load produced can be written to a UTF-8 report, with no controls."""
    for a in result.articles:
        for value in (a.id, a.outlet, a.title, a.text, a.url, a.author, a.source):
            _writable(value)
        for value in (a.id, a.outlet, a.title or "", a.author or "", a.source):
            assert value.isprintable() or not any(c < " " for c in value), repr(value)
    for e in result.errors:
        assert isinstance(e, InputError)
        for value in (e.source, e.problem, e.fix):
            _writable(value)
        assert e.source.isprintable() or "\\x" in e.source, repr(e.source)
        assert e.problem and e.fix, e
    for r in result.inputs:
        _writable(r.source)
        _writable(r.message)
        if r.status == "failed":
            assert r.code, r


@pytest.fixture
def good(tmp_path: Path) -> list[str]:
    folder = tmp_path / "good"
    folder.mkdir()
    (folder / "courier.txt").write_text(GOOD_TXT)
    (folder / "osk.jsonl").write_text(GOOD_JSONL)
    return [str(folder / "courier.txt"), str(folder / "osk.jsonl")]


@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """No safety net: an exception the ingesters did not turn into an InputError escapes."""
    monkeypatch.setattr(guard, "SAFETY_NET", False)


@pytest.mark.usefixtures("strict")
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path, base_url: str, good: list[str]) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    hostile = case.make(folder, base_url)
    result = load_in_time([good[0], hostile, good[1]], **case.kwargs)

    ids = [a.id for a in result.articles]
    assert ids[0] == "courier" and "osk-daily" in ids, ids  # the good inputs around it still load
    check_clean(result)
    name = printable(hostile)
    assert any(r.source == name for r in result.inputs), "the hostile input has no record"
    errors = [e for e in result.errors if e.source.startswith(name)]
    if case.codes is None:
        assert not errors, errors
        assert len(result.articles) >= 3
        return
    codes = {e.code for e in errors}
    assert codes & case.codes, f"expected one of {sorted(case.codes)}, got {errors}"
    assert "read_failed" not in codes  # every failure here is one the ingesters name on purpose
    (rec,) = [r for r in result.inputs if r.source == name]
    if rec.status == "failed":
        assert rec.code in codes | {"nothing_usable"}, rec


def test_fifo_in_folder_is_reported_and_the_rest_loads(tmp_path: Path) -> None:
    source = _fifo(tmp_path, "")
    result = load_in_time([source])
    assert [a.title for a in result.articles] == ["Dam Still Holds After Storm"]
    (err,) = result.errors
    assert err.source.endswith("pipe.txt") and err.problem == "it is a named pipe (FIFO), not a regular file"


def test_symlinked_subfolder_is_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked.txt").write_text(GOOD_TXT)
    story = tmp_path / "story"
    story.mkdir()
    (story / "own.txt").write_text(GOOD_TXT)
    (story / "more").symlink_to(elsewhere, target_is_directory=True)
    result = load_in_time([str(story)])
    assert [a.id for a in result.articles] == ["own", "linked"]
    assert not result.errors
    assert str(story / "more" / "linked.txt") in {r.source for r in result.inputs}


def test_symlink_loop_is_read_once_and_recorded(tmp_path: Path) -> None:
    source = _link_loop(tmp_path, "")
    result = load_in_time([source])
    assert [a.id for a in result.articles] == ["ok"]
    (loop,) = [r for r in result.inputs if r.code == "symlink_loop"]
    assert loop.status == "skipped" and loop.source.endswith("back") and "already read as" in loop.message


def test_non_utf8_file_name_is_printable_everywhere(tmp_path: Path) -> None:
    source = _non_utf8_name(tmp_path, "")
    (article,) = load_in_time([source]).articles
    assert article.source.endswith("caf\\xe9-\\xff.txt")
    assert "\ufffd" in article.outlet and article.outlet.encode("utf-8")


def test_control_characters_never_reach_the_outlet(tmp_path: Path) -> None:
    (article,) = load_in_time([_control_name(tmp_path, "")]).articles
    assert article.outlet == "evil[31m name" and "\\x1b" in article.source and "\\x0a" in article.source


def test_file_cap_is_a_parameter(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text(GOOD_JSONL * 100)
    (err,) = load_many([path], max_file_bytes=1000).errors
    assert err.code == "too_large" and "0.001 MB" in err.problem and "--max-file-mb" in err.fix
    assert len(load_many([path], max_file_bytes=10**6).articles) == 100


def test_input_codes_in_records(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("notes")
    (tmp_path / ".hidden.txt").write_text(GOOD_TXT)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "ok.txt").write_text(GOOD_TXT)
    result = load_many([tmp_path, tmp_path / "missing.txt"])
    codes = {Path(r.source).name: (r.status, r.code) for r in result.inputs}
    assert codes == {
        tmp_path.name: ("ok", None),
        ".hidden.txt": ("skipped", "hidden"),
        "README.md": ("skipped", "documentation"),
        "empty.txt": ("failed", "empty"),
        "ok.txt": ("ok", None),
        "missing.txt": ("failed", "not_found"),
    }


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_unreadable_subfolder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(GOOD_TXT)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        result = load_many([tmp_path])
    finally:
        locked.chmod(0o755)
    assert [a.id for a in result.articles] == ["ok"]
    assert [(Path(e.source).name, e.code) for e in result.errors] == [("locked", "unreadable")]


def test_the_safety_net_turns_any_bug_into_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the net on (the default), even an exception no ingester expects is one input's error."""
    import newsprism.ingest.files as files

    real = files.parse_text

    def broken(raw: str, *, markdown: bool = False):  # type: ignore[no-untyped-def]
        if "Broken" in raw:
            raise ZeroDivisionError("a bug")
        return real(raw, markdown=markdown)

    monkeypatch.setattr(files, "parse_text", broken)
    (tmp_path / "a.txt").write_text(GOOD_TXT)
    (tmp_path / "b.txt").write_text("Broken\n\n" + P)
    (tmp_path / "c.txt").write_text(GOOD_TXT)
    result = load_many([tmp_path])
    assert [a.id for a in result.articles] == ["a", "c"]
    (err,) = result.errors
    assert (err.source, err.code) == (str(tmp_path / "b.txt"), "read_failed")
    assert err.problem == "reading it failed (ZeroDivisionError: a bug)" and "bug" in err.fix
    monkeypatch.setattr(guard, "SAFETY_NET", False)
    with pytest.raises(ZeroDivisionError):
        load_many([tmp_path / "b.txt"])


def test_a_failure_midway_rolls_back_that_input_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A feed whose parsing blows up after some entries loaded leaves no half-loaded entries."""
    import newsprism.ingest.files as files

    def explode(data: bytes, *, source: str, ctx, fetch_links: bool) -> None:  # type: ignore[no-untyped-def]
        ctx.add_article(ctx.articles[0].__class__.create(id="half", outlet="x", text="Half.", source=source))
        ctx.record(source + "#1", "ok", ids=("half",))
        raise RuntimeError("midway")

    monkeypatch.setattr(files, "load_feed_bytes", explode)
    (tmp_path / "a.txt").write_text(GOOD_TXT)
    (tmp_path / "b.xml").write_text(_feed({}))
    result = load_many([tmp_path / "a.txt", tmp_path / "b.xml", tmp_path / "a.txt"])
    assert [a.id for a in result.articles] == ["a", "a-2"]
    assert [(Path(r.source).name, r.status) for r in result.inputs] == [
        ("a.txt", "ok"), ("b.xml", "failed"), ("a.txt", "ok")
    ]


def test_a_trickling_server_cannot_hold_the_load(base_url: str, good: list[str]) -> None:
    """Each byte comes well within the read timeout; the download as a whole is cut off."""
    with Fetcher(total_timeout=0.5) as fetcher:
        started = time.monotonic()
        result = load_in_time([good[0], base_url + "/trickle"], fetcher=fetcher)
    assert time.monotonic() - started < 5
    (err,) = result.errors
    assert err.code == "unreachable" and "longer than 0.5 s" in err.problem
    assert [a.id for a in result.articles] == ["courier"]


def test_two_links_to_one_file_count_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD_TXT)
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    result = load_many([tmp_path])
    assert [a.id for a in result.articles] == ["a"]
    (dup,) = [r for r in result.inputs if r.status == "skipped"]
    assert (Path(dup.source).name, dup.code) == ("b.txt", "duplicate")
    assert dup.message == f"the same file as {tmp_path / 'a.txt'}"


def test_a_folder_with_too_many_entries_stops_with_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A link to / inside a story folder must not make newsprism read the whole disk."""
    import newsprism.ingest.directory as directory

    monkeypatch.setattr(directory, "MAX_DIR_ENTRIES", 5)
    for name in "abcdefgh":
        (tmp_path / f"{name}.txt").write_text(GOOD_TXT)
    result = load_many([tmp_path])
    assert [a.id for a in result.articles] == ["a", "b", "c", "d", "e"]
    (err,) = result.errors
    assert err.code == "too_large" and "more than 5 files and folders" in err.problem
    assert result.inputs[0].message == "5 articles from 5 files (stopped after 5 entries)"
    (tmp_path / "sub").mkdir()
    for name in "abcdef":
        (tmp_path / "sub" / f"{name}.bin").write_bytes(b"\x00" * 10)
    result = load_many([tmp_path / "sub"])
    assert (result.inputs[0].status, result.inputs[0].code) == ("failed", "too_large")
