"""Property-based fuzz of every ingest kind through ``load_many``.

Property: whatever the input, ``load_many`` returns; the only errors are ``InputError`` with
a known code, a source, a problem and a fix; every input given has a record; every string
it produced can be written as UTF-8. The safety net is off (``guard.SAFETY_NET``), so an
exception that an ingester does not turn into an ``InputError`` on purpose fails the test.

The default run tries a few hundred inputs (derandomized: the same ones every run); the
slow gate (``-m slow``) tries 6,000 new random ones.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsprism.ingest.guard as guard
from newsprism.errors import INGEST_ERROR_CODES, InputError
from newsprism.ingest import Fetcher, IngestResult, load_many
from newsprism.ingest.result import printable

FAST_EXAMPLES = 40  # per kind: 9 kinds, 360 inputs in the default run
SLOW_EXAMPLES = 700  # per kind: 6,300 inputs in the slow gate
TIME_LIMIT = 20.0  # seconds for one load of one fuzzed input (they take milliseconds)

P = "The Vell dam held through the storm on Monday night, engineers said on Tuesday. "

# Pieces that broke ingest before (issue 16) or are known trouble for parsers.
HOSTILE = [
    "\x00", "\x01", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffe", "\uffff",
    "\ud800", "\udcff", "\U0001f600", "&#xD800;", "&#55296;", "&amp;#xD800;", "&#0;", "&#x110000;",
    "&#99999999999999999999;", "&#1;", "]]>", "<!--", "<![CDATA[", "<", ">", "&", "&amp;", '"', "'",
    "http://[1]/", "http://h:abc/", "http://[::1/", "https://", "//", "9" * 5000, "[" * 2000, "{" * 50,
    "*a " * 200, "_", "**", "![", "](", "# ", "---", "\n", "\r\n", "\r", "\t", " ", P,
]  # fmt: skip

pieces = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE))
hostile_text = st.lists(pieces, max_size=25).map("".join)
hostile_bytes = st.one_of(
    hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=300),
    hostile_text.map(lambda t: t.encode("utf-16", "surrogatepass")),
    hostile_text.map(lambda t: t.encode("cp1252", "replace")),
)

FIELDS = ["text", "body", "content", "maintext", "title", "headline", "url", "link", "published", "date",
          "outlet", "source", "id", "uuid", "author", "authors", "articles"]  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=6),
    max_leaves=15,
)


# Charset names a page may declare: real ones, Python codecs that are no text encoding,
# ones that raise on decoding ("undefined", "punycode"), escape decoders, junk.
CHARSETS = ["utf-8", "windows-1252", "iso-8859-1", "shift_jis", "utf-16", "utf-32", "utf-7", "undefined",
            "unicode_escape", "raw_unicode_escape", "punycode", "idna", "hex", "zlib", "rot13", "base64",
            "x-evil", "", "utf-8\x00", "\ud800"]  # fmt: skip


def _html(parts: tuple[str, str, str, str, str]) -> str:
    title, meta, body, raw, charset = parts
    return (
        f"<html><head><meta charset='{charset}'><title>{title}</title>"
        f"<meta property='article:published_time' content='{meta}'>"
        f"<meta property='og:site_name' content='{meta}'><script type='application/ld+json'>{raw}</script>"
        f"</head><body>{raw}<article><p>{body}</p>"
        f"<p>{P}{body}</p><figure><figcaption>{title}</figcaption></figure></article></body></html>"
    )


def _rss(parts: tuple[str, list[tuple[str, str, str, str]]]) -> str:
    channel, items = parts
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate><description>{b}</description></item>"
        for t, link, d, b in items
    )
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0">'
    return f"{head}<channel><title>{channel}</title>{entries}</channel></rss>"


def _atom(parts: tuple[str, list[tuple[str, str, str, str]]]) -> str:
    feed_title, items = parts
    entries = "".join(
        f'<entry><title>{t}</title><link href="{link}"/><updated>{d}</updated>'
        f'<content type="html">{b}</content></entry>'
        for t, link, d, b in items
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{feed_title}</title>{entries}</feed>'


entry = st.tuples(hostile_text, hostile_text, hostile_text, hostile_text)
feed_parts = st.tuples(hostile_text, st.lists(entry, min_size=1, max_size=3))

# One file: (suffix, content). Text is written as UTF-8 with lone surrogates kept as bytes.
FILE_KINDS: dict[str, st.SearchStrategy[tuple[str, str | bytes]]] = {
    "txt": st.tuples(st.just(".txt"), hostile_text),
    "md": st.tuples(st.just(".md"), hostile_text.map(lambda t: f"---\ntitle: {t[:30]}\n---\n# {t}\n\n{P}{t}")),
    "html": st.tuples(st.sampled_from([".html", ".htm", ""]),
                      st.one_of(st.tuples(hostile_text, hostile_text, hostile_text, hostile_text,
                                          st.sampled_from(CHARSETS)).map(_html),
                                hostile_text.map(lambda t: "<html>" + t))),
    "jsonl": st.tuples(st.sampled_from([".jsonl", ".ndjson"]),
                       st.lists(st.one_of(json_values.map(json.dumps), hostile_text), max_size=4).map("\n".join)),
    "json": st.tuples(st.just(".json"), st.one_of(json_values.map(json.dumps), hostile_text)),
    "feed": st.tuples(st.sampled_from([".xml", ".rss", ".atom"]),
                      st.one_of(feed_parts.map(_rss), feed_parts.map(_atom), hostile_text)),
    "bytes": st.tuples(st.sampled_from([".txt", ".md", ".html", ".jsonl", ".json", ".xml", ".bin", ""]),
                       hostile_bytes),
}  # fmt: skip


@contextlib.contextmanager
def strict() -> Iterator[None]:
    """No safety net: an exception no ingester turned into an InputError escapes the load."""
    saved, guard.SAFETY_NET = guard.SAFETY_NET, False
    try:
        yield
    finally:
        guard.SAFETY_NET = saved


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="newsprism-fuzz-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write(path: Path, content: str | bytes) -> None:
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))


def timed_load(sources: list[str], **kwargs: object) -> IngestResult:
    """``load_many`` that must finish in ``TIME_LIMIT`` s: these inputs are a few KB, so a
    slower load is a hang in the making (a quadratic regex, an unbounded read)."""
    started = time.monotonic()
    result = load_many(sources, **kwargs)  # type: ignore[arg-type]
    assert time.monotonic() - started < TIME_LIMIT, f"load_many({sources!r}) took over {TIME_LIMIT} s"
    return result


def check(result: IngestResult, sources: list[str]) -> None:
    """The property every load must hold, whatever it was given."""
    assert isinstance(result, IngestResult)
    for e in result.errors:
        assert isinstance(e, InputError), repr(e)  # HttpStatusError adds the status and Retry-After
        assert e.code in INGEST_ERROR_CODES and e.code != "read_failed", e
        assert e.source and e.problem and e.fix, e
        (e.source + e.problem + e.fix).encode("utf-8")
    recorded = {r.source for r in result.inputs}
    for source in sources:
        assert printable(source) in recorded, f"{source!r} has no record"
    for r in result.inputs:
        (r.source + r.message).encode("utf-8")
        assert r.status in ("ok", "failed", "skipped")
        assert r.status != "failed" or r.code, r
    for a in result.articles:
        assert a.text.strip()
        for value in (a.id, a.outlet, a.title, a.text, a.url, a.author, a.source):
            if value is not None:
                value.encode("utf-8")
        assert not any(ord(c) < 32 for c in a.outlet + a.id + (a.title or "")), a


def _fuzz_file(case: tuple[str, str | bytes]) -> None:
    suffix, content = case
    with scratch() as folder, strict():
        path = folder / f"input{suffix}"
        _write(path, content)
        check(timed_load([str(path)]), [str(path)])


# A folder: files with hostile names and contents, subfolders, symbolic links (to folders
# above, to files, to nothing, to /dev/zero) and FIFOs.
NAMES = st.one_of(
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="/\x00"), min_size=1, max_size=12),
    st.sampled_from(["README.md", ".hidden.txt", "a.txt", "b.jsonl", "c.html", "d.xml", "e.json", "\x1b\n.txt"]),
    st.binary(min_size=1, max_size=8).filter(lambda b: b"/" not in b and b"\x00" not in b).map(os.fsdecode),
).filter(lambda n: n not in (".", ".."))
ENTRY_KINDS = st.sampled_from(["file", "file", "file", "dir", "link_up", "link_file", "link_broken", "zero", "fifo"])
tree = st.lists(st.tuples(ENTRY_KINDS, st.lists(NAMES, min_size=1, max_size=3), st.sampled_from(list(FILE_KINDS))),
                max_size=8)  # fmt: skip


def _build_tree(
    root: Path, entries: list[tuple[str, list[str], str]], draw: Callable[[str], tuple[str, str | bytes]]
) -> None:
    for kind, parts, file_kind in entries:
        path = root.joinpath(*parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() or path.is_symlink():
                continue
            if kind == "file":
                suffix, content = draw(file_kind)
                _write(path.with_name(path.name + suffix) if suffix else path, content)
            elif kind == "dir":
                path.mkdir()
            elif kind == "link_up":
                path.symlink_to(root, target_is_directory=True)
            elif kind == "link_file":
                path.symlink_to(root / "a.txt")
            elif kind == "link_broken":
                path.symlink_to(root / "nowhere" / "gone.txt")
            elif kind == "zero":
                path.symlink_to("/dev/zero")
            elif kind == "fifo":
                os.mkfifo(path)
        except OSError:
            continue  # a name the file system refuses (too long, a file where a folder is wanted)


def _fuzz_folder(data: st.DataObject) -> None:
    entries = data.draw(tree)
    with scratch() as folder, strict():
        root = folder / "story"
        root.mkdir()
        _build_tree(root, entries, lambda k: data.draw(FILE_KINDS[k]))
        check(timed_load([str(root)]), [str(root)])


# URLs: fuzzed addresses and fuzzed responses, served by httpx.MockTransport (no network at all).
CONTENT_TYPES = ["text/html", "text/html; charset=utf-8", "text/html; charset=x-evil", "application/rss+xml",
                 "application/atom+xml", "text/xml", "text/plain", "text/markdown", "application/json",
                 "application/x-ndjson", "application/octet-stream", "image/png", "", ";;;",
                 "text/html; charset=", *(f"text/html; charset={c}" for c in CHARSETS if c.isprintable()),
                 "text/plain; charset=unicode_escape", "application/json; charset=undefined"]  # fmt: skip
url_text = st.one_of(
    hostile_text.map(lambda t: "http://news.example/" + t),
    hostile_text.map(lambda t: "http://" + t),
    st.sampled_from(["http://[::1/", "http://h:abc/", "http://[1]/", "http://" + "a" * 300 + ".example/",
                     "https://news.example:99999/", "http://news.example/%zz", "http://user@/"]),
)  # fmt: skip
response = st.tuples(
    st.sampled_from([200, 200, 200, 301, 404, 500]),
    st.sampled_from(CONTENT_TYPES),
    st.one_of(hostile_bytes, *(s.map(lambda c: c[1]) for s in FILE_KINDS.values())),
)


def _fuzz_url(url: str, answer: tuple[int, str, str | bytes]) -> None:
    status, ctype, body = answer
    content = body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")

    def handler(request: httpx.Request) -> httpx.Response:
        if status == 301:
            return httpx.Response(301, headers={"location": "/moved"})
        return httpx.Response(status, content=content, headers={"content-type": ctype} if ctype else {})

    with strict(), Fetcher(transport=httpx.MockTransport(handler)) as fetcher:
        check(timed_load([url], fetcher=fetcher, fetch_links=True), [url])


def _settings(n: int, *, slow: bool) -> settings:
    return settings(
        max_examples=n,
        deadline=None,
        derandomize=not slow,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


KINDS = list(FILE_KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_fuzz_file(kind: str) -> None:
    _settings(FAST_EXAMPLES, slow=False)(given(FILE_KINDS[kind])(_fuzz_file))()


def test_fuzz_folder() -> None:
    _settings(FAST_EXAMPLES, slow=False)(given(st.data())(_fuzz_folder))()


def test_fuzz_url() -> None:
    _settings(FAST_EXAMPLES, slow=False)(given(url_text, response)(_fuzz_url))()


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_fuzz_file_slow(kind: str) -> None:
    _settings(SLOW_EXAMPLES, slow=True)(given(FILE_KINDS[kind])(_fuzz_file))()


@pytest.mark.slow
def test_fuzz_folder_slow() -> None:
    _settings(SLOW_EXAMPLES, slow=True)(given(st.data())(_fuzz_folder))()


@pytest.mark.slow
def test_fuzz_url_slow() -> None:
    _settings(SLOW_EXAMPLES, slow=True)(given(url_text, response)(_fuzz_url))()


def test_many_inputs_at_once() -> None:
    """One load of every kind side by side: each input's failure stays its own."""
    with scratch() as folder, strict():
        sources = []
        inputs: list[tuple[str, str | bytes]] = [
            (".txt", "Dam Holds\n\n" + P), (".json", "[" * 50_000), (".xml", "&#xD800;"), (".jsonl", "9" * 5000),
            (".html", "<html>\x00"), (".md", "*a " * 1000), ("", b"\xff\xfe\x00"),
        ]  # fmt: skip
        for i, (suffix, content) in enumerate(inputs):
            path = folder / f"in{i}{suffix}"
            _write(path, content)
            sources.append(str(path))
        sources += ["http://[::1/", "http://h:abc/", str(folder / "missing.txt")]
        result = load_many(sources)
        check(result, sources)
        assert [a.id for a in result.articles][:1] == ["in0"]
