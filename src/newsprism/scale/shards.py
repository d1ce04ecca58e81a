"""Archive shards -> Articles: JSONL (``.jsonl``, ``.jsonl.gz``), WARC (``.warc``, ``.warc.gz``) and Parquet.

A shard is read on its own, streamed where the format allows (JSONL line by line, WARC record by
record, Parquet row group by row group), so a worker holds one shard's articles at a time. Each
line, page or row is its own input, read inside the same error boundary as ``newsprism analyze``
(``newsprism.ingest.guard``): a bad one is an ``InputError`` naming ``shard:LINE`` (or
``shard#RECORD``, ``shard[ROW]``) and the others load. JSONL lines and Parquet rows take the
fields JSONL files take in ``newsprism analyze`` (``text``, ``title``, ``outlet``, ``url``,
``published``, ``id``, ``author``, with the common dataset spellings).

Articles travel between processes as JSON (:func:`article_to_json`, :func:`article_from_json`):
every field, paragraphs and marked artifacts included, so a worker rebuilds exactly the article
that was read.

>>> import json, pathlib, tempfile
>>> shard = pathlib.Path(tempfile.mkdtemp()) / "crawl-0001.jsonl"
>>> _ = shard.write_text(json.dumps({"text": "The dam held.", "outlet": "Osk Daily"}) + "\\n{oops\\n")
>>> got = read_shard(shard)
>>> [a.id for a in got.articles], [e.code for e in got.errors]
(['crawl-0001-1'], ['bad_json'])
>>> article_from_json(article_to_json(got.articles[0])) == got.articles[0]
True
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from newsprism.errors import InputError
from newsprism.ingest.common import build_article, stem_of
from newsprism.ingest.guard import guarded
from newsprism.ingest.jsonl import draft_from_object, parse_json
from newsprism.ingest.result import LoadContext
from newsprism.ingest.warc import WARC_SUFFIXES, is_warc
from newsprism.model import Article, Artifact

__all__ = ["JSONL_SUFFIXES", "PARQUET_SUFFIXES", "ShardRead", "article_from_json", "article_to_json",
           "expand_inputs", "read_shard", "shard_kind"]

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
PARQUET_SUFFIXES = (".parquet",)
#: the largest WARC record body read (an archive is streamed; this caps one page)
MAX_RECORD_BYTES = 50_000_000
_FIX_KIND = "give .jsonl(.gz), .warc(.gz) or .parquet shards, or a folder of them"


@dataclass
class ShardRead:
    """What one shard gave: its articles in file order, and an ``InputError`` per bad part."""

    articles: list[Article] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def shard_kind(path: Path) -> str | None:
    """``jsonl``, ``warc`` or ``parquet`` from the file name; None for anything else.

    >>> shard_kind(Path("a.jsonl.gz")), shard_kind(Path("b.warc.gz")), shard_kind(Path("c.parquet")), \
shard_kind(Path("d.txt"))
    ('jsonl', 'warc', 'parquet', None)
    """
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if is_warc(path):
        return "warc"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    return None


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """The shard files named by ``inputs`` (files, or folders searched recursively for shards), in
    a fixed order: inputs as given, each folder's shards sorted by path. Raises ``InputError`` for
    an input that does not exist, a file of another kind, or a folder without shards: a batch
    checks its inputs before any work, so a typo never costs hours.

    >>> expand_inputs(["/nonexistent/crawl"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsprism.errors.InputError: /nonexistent/crawl: no such file or folder (fix: check the path)
    """
    out: list[Path] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and shard_kind(p) is not None)
            if not found:
                raise InputError(str(path), "the folder holds no shards", _FIX_KIND, code="nothing_usable")
            out.extend(found)
        elif path.is_file():
            if shard_kind(path) is None:
                raise InputError(str(path), "not a shard kind newsprism batch reads", _FIX_KIND, code="unsupported")
            out.append(path)
        else:
            raise InputError(str(path), "no such file or folder", "check the path", code="not_found")
    seen: set[Path] = set()
    unique = []
    for p in out:  # a shard named twice (a file and its folder) is read once
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def read_shard(path: Path) -> ShardRead:
    """Every article of one shard (see the module docs); a shard that cannot be opened is one error."""
    ctx = LoadContext(max_file_bytes=MAX_RECORD_BYTES)
    source = str(path)
    kind = shard_kind(path)
    if kind is None:
        ctx.fail(InputError(source, "not a shard kind newsprism batch reads", _FIX_KIND, code="unsupported"))
    elif kind == "warc":
        from newsprism.ingest.warc import load_warc

        guarded(ctx, source, "warc", partial(load_warc, path, ctx, source=source))
    else:
        stem = stem_of(source)
        for suffix in (*JSONL_SUFFIXES, *PARQUET_SUFFIXES, *WARC_SUFFIXES):
            if path.name.lower().endswith(suffix):
                stem = path.name[: -len(suffix)]
                break
        try:
            items = _jsonl_items(path, source) if kind == "jsonl" else _parquet_items(path, source)
            for where, raw, n in items:
                guarded(ctx, where, kind, partial(_load_item, raw, where, f"{stem}-{n}", stem, ctx))
        except InputError as e:  # the shard itself cannot be read: what was read before stays
            ctx.fail(e, kind=kind)
    return ShardRead(ctx.articles, ctx.errors)


def _load_item(raw: object, where: str, fallback: str, stem: str, ctx: LoadContext) -> None:
    obj = parse_json(raw, where=where, what="line") if isinstance(raw, str) else raw
    draft = draft_from_object(obj, where=where)
    ctx.add_article(build_article(draft, source=where, fallback_id=fallback, fallback_outlet=stem))


def _jsonl_items(path: Path, source: str) -> Iterator[tuple[str, object, int]]:
    try:
        raw = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")  # noqa: SIM115
    except OSError as e:
        raise InputError(source, f"the shard cannot be opened ({e.strerror or e})", "check the path and its "
                         "permissions", code="unreadable") from None
    with raw, io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="") as f:
        n = 0
        try:
            for lineno, line in enumerate(f, start=1):
                if line.strip():
                    n += 1
                    yield f"{source}:{lineno}", line, lineno
        except (OSError, EOFError) as e:  # a truncated .gz: the lines before it stay
            raise InputError(source, f"the shard breaks off after line {n} ({type(e).__name__}: {e})",
                             "re-download or re-write the shard", code="bad_archive") from None


def _parquet_items(path: Path, source: str) -> Iterator[tuple[str, object, int]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(source, "reading Parquet shards needs pyarrow",
                         "pip install 'newsprism[ray]' (or 'newsprism[tables]')", code="unsupported") from None
    try:
        reader = pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises its own ArrowInvalid, OSError, ...
        raise InputError(source, f"not a readable Parquet file ({type(e).__name__}: {str(e)[:200]})",
                         "pass a Parquet file with one article per row", code="bad_archive") from None
    row = 0
    for batch in reader.iter_batches(batch_size=1024):  # one batch in memory at a time
        for obj in batch.to_pylist():
            row += 1
            yield f"{source}[{row}]", {k: (v.isoformat() if isinstance(v, datetime) else v)
                                       for k, v in obj.items()}, row


def article_to_json(article: Article) -> str:
    """``article`` as one JSON object, every field kept (see :func:`article_from_json`)."""
    return json.dumps({
        "id": article.id, "outlet": article.outlet, "text": article.text, "title": article.title,
        "url": article.url, "published": article.published.isoformat() if article.published else None,
        "author": article.author, "source": article.source, "paragraphs": article.paragraphs,
        "artifacts": [[x.start, x.end, x.kind, x.why] for x in article.artifacts],
    }, ensure_ascii=False)


def article_from_json(text: str) -> Article:
    """The Article :func:`article_to_json` wrote."""
    d = json.loads(text)
    return Article(
        id=d["id"], outlet=d["outlet"], text=d["text"], title=d["title"], url=d["url"],
        published=datetime.fromisoformat(d["published"]) if d["published"] else None, author=d["author"],
        source=d["source"], paragraphs=tuple((int(a), int(b)) for a, b in d["paragraphs"]),
        artifacts=tuple(Artifact(int(s), int(e), str(k), str(w)) for s, e, k, w in d["artifacts"]),
    )
