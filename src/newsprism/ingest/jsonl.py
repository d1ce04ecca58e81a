"""JSONL (one article object per line) and JSON (an object, or a list of them) files.

``text`` is required; ``title``, ``outlet``, ``url``, ``published``, ``id`` and ``author`` are
optional (common dataset spellings are accepted too: ``body``/``maintext``, ``headline``,
``date``, ``source``, ``authors``, ``uuid``; a body may be a list of paragraphs). A bad line
is an ``InputError`` naming ``file.jsonl:LINE``; the other lines load.
"""

from __future__ import annotations

import json
from functools import partial

from newsprism.errors import InputError
from newsprism.ingest.common import Draft, build_article, stem_of
from newsprism.ingest.dates import parse_date
from newsprism.ingest.guard import guarded
from newsprism.ingest.result import LoadContext

__all__ = ["draft_from_object", "load_json_text", "load_jsonl_text", "parse_json"]

_FIELDS_FIX = 'write one JSON object per line, like {"text": "...", "outlet": "...", "title": "..."}'


def draft_from_object(obj: object, *, where: str) -> Draft:
    """A Draft from one decoded JSON value; ``InputError`` (``bad_json``/``no_text``) if unusable.

    >>> draft_from_object({"text": "The dam held.", "outlet": "Osk Daily"}, where="a.jsonl:1").outlet
    'Osk Daily'
    >>> draft_from_object({"title": "No body"}, where="a.jsonl:2")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsprism.errors.InputError: a.jsonl:2: the object has no "text" field (fix: ...)
    """
    if not isinstance(obj, dict):
        raise InputError(
            where, f"the line is a JSON {_json_type(obj)}, not an object", _FIELDS_FIX, code="bad_json"
        )
    key = next((k for k in _ALIASES["text"] if obj.get(k) is not None), "text")
    text = _paragraphs(obj.get(key))
    if obj.get(key) is None:
        raise InputError(
            where, 'the object has no "text" field', 'add the article body as "text"', code="no_text"
        )
    if text is None:
        raise InputError(
            where,
            f'"{key}" is a JSON {_json_type(obj[key])}, not a string',
            f'put the article body in "{key}" as one string',
            code="no_text",
        )
    if not text.strip():
        raise InputError(where, f'"{key}" is empty', f'put the article body in "{key}"', code="no_text")
    return Draft(
        body=text,
        title=_field(obj, "title"),
        outlet=_field(obj, "outlet"),
        url=_field(obj, "url"),
        published=parse_date(next((obj[k] for k in _ALIASES["published"] if obj.get(k)), None)),
        author=_field(obj, "author"),
        id=_field(obj, "id"),
    )


# Other names for the fields, as common news datasets and scrapers write them (news-please,
# BASIL, ...); the documented name comes first and wins.
_ALIASES = {
    "text": ("text", "body", "content", "maintext", "article", "body-paragraphs"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "site_name", "publisher", "source", "source_domain"),
    "url": ("url", "link"),
    "published": ("published", "date", "date_publish", "published_at", "pubDate"),
    "author": ("author", "authors", "byline"),
    "id": ("id", "uuid"),
}


def _field(obj: dict[str, object], name: str) -> str | None:
    for key in _ALIASES[name]:
        value = obj.get(key)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ", ".join(value)  # "authors": ["Ana Pell", "Tom Reyes"]
        text = _str(value)
        if text and text.strip():
            return text
    return None


def _paragraphs(value: object) -> str | None:
    """A body given as a string, a list of paragraphs, or a list of lists of sentences."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(_strings(v) for v in value):
        return "\n".join(" ".join(v) if isinstance(v, list) else v for v in value)
    return None


def _strings(value: object) -> bool:
    """A string, or a list of strings (sentences of one paragraph)."""
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _str(value: object) -> str | None:
    return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else None


def _json_type(value: object) -> str:
    names = {list: "array", dict: "object", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def load_jsonl_text(text: str, *, source: str, ctx: LoadContext) -> None:
    """Load every line of a JSONL file into ``ctx``: one record for the file, one per line."""
    file_rec = ctx.record(source, "ok", kind="jsonl")
    stem = stem_of(source)
    ids: list[str] = []
    n_lines = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        n_lines += 1
        where = f"{source}:{lineno}"
        # Each line is its own input: whatever goes wrong in it, the other lines load.
        read = partial(_load_item, line, where=where, fallback=f"{stem}-{lineno}", stem=stem,
                       ctx=ctx, kind="jsonl", parse="line")  # fmt: skip
        if guarded(ctx, where, "jsonl", read):
            ids.append(ctx.articles[-1].id)
    _finish(ctx, file_rec, source, ids, n_lines, "line")


def load_json_text(text: str, *, source: str, ctx: LoadContext) -> None:
    """Load a ``.json`` file: one article object, a list of them, or ``{"articles": [...]}``."""
    try:
        data = parse_json(text, where=source, what="file")
    except InputError as e:
        ctx.fail(e, kind="json")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    items = data if isinstance(data, list) else [data]
    file_rec = ctx.record(source, "ok", kind="json")
    stem = stem_of(source)
    ids: list[str] = []
    for i, obj in enumerate(items, start=1):
        where = f"{source}[{i}]" if isinstance(data, list) else source
        fallback = f"{stem}-{i}" if isinstance(data, list) else stem
        read = partial(_load_item, obj, where=where, fallback=fallback, stem=stem, ctx=ctx,
                       kind="json", parse=None, record=isinstance(data, list))  # fmt: skip
        if guarded(ctx, where, "json", read):
            ids.append(ctx.articles[-1].id)
    if not isinstance(data, list):
        if ids:
            ctx.update(file_rec, article_ids=tuple(ids), message="1 article")
        else:
            ctx.inputs.pop(file_rec)  # the failure above is the file's own record
        return
    _finish(ctx, file_rec, source, ids, len(items), "item")


def _load_item(
    raw: object,
    *,
    where: str,
    fallback: str,
    stem: str,
    ctx: LoadContext,
    kind: str,
    parse: str | None,
    record: bool = True,
) -> None:
    """One JSONL line (``parse="line"``: ``raw`` is its text) or one decoded JSON item."""
    obj = parse_json(raw, where=where, what=parse) if parse and isinstance(raw, str) else raw
    draft = draft_from_object(obj, where=where)
    art = ctx.add_article(build_article(draft, source=where, fallback_id=fallback, fallback_outlet=stem))
    if record:
        ctx.record(where, "ok", ids=(art.id,), kind=kind)


def parse_json(text: str, *, where: str, what: str = "line") -> object:
    """``json.loads(text)``; every way it can fail is an ``InputError`` (code ``bad_json``).

    Besides syntax errors: nesting deeper than Python's recursion limit, and integers of
    more than 4,300 digits (Python refuses to convert them, as a guard against slow parsing).

    >>> def problem(text):
    ...     try:
    ...         parse_json(text, where="a.json", what="file")
    ...     except InputError as e:
    ...         return e.problem[:44]
    >>> problem("[" * 100_000), problem('{"n": ' + "9" * 5000 + "}")
    ('the file is nested too deeply to read (array', 'the file holds a number of more than 4,300 d')
    """
    fix = (
        _FIELDS_FIX if what == "line" else "fix the JSON, or write one article object per line as .jsonl"
    )
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        at = f"column {e.colno}" if what == "line" else f"line {e.lineno}"
        raise InputError(where, f"the {what} is not valid JSON ({e.msg} at {at})", fix,
                         code="bad_json") from e  # fmt: skip
    except RecursionError as e:
        raise InputError(
            where,
            f"the {what} is nested too deeply to read (arrays or objects inside each other "
            "more than about a thousand levels down)",
            "flatten the data: an article object needs no deep nesting",
            code="bad_json",
        ) from e
    except ValueError as e:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise InputError(
            where,
            f"the {what} holds a number of more than 4,300 digits, which Python refuses to read",
            "write long numbers as strings, or remove them",
            code="bad_json",
        ) from e


def _finish(ctx: LoadContext, rec: int, source: str, ids: list[str], n: int, unit: str) -> None:
    if n == 0:
        ctx.inputs.pop(rec)
        ctx.fail(
            InputError(
                source,
                "the file is empty",
                "add one article object per line, or remove the file",
                code="empty",
            )
        )
    elif ids:
        ctx.update(rec, article_ids=tuple(ids), message=f"{len(ids)} of {n} {unit}s loaded")
    else:
        ctx.update(rec, status="failed", message=f"none of its {n} {unit}s gave an article",
                   code="nothing_usable")  # fmt: skip
