"""Plain text and Markdown articles: front matter, headline line, wrapped lines, Markdown.

>>> raw = "---\\noutlet: Brenmoor Courier\\n---\\nBridge Reopens\\n\\nThe bridge\\nreopened.\\n\\nIt rained."
>>> d = parse_text(raw)
>>> (d.outlet, d.title, d.body)
('Brenmoor Courier', 'Bridge Reopens', 'The bridge reopened.\\n\\nIt rained.')
"""

from __future__ import annotations

import re

from newsprism.ingest.common import Draft
from newsprism.ingest.dates import parse_date
from newsprism.text.artifacts import is_multi_sentence, is_title_case, wording_kind
from newsprism.text.normalize import match_key, normalize_text

__all__ = ["MARKDOWN_SUFFIXES", "TEXT_SUFFIXES", "parse_text"]

TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})

_FRONT_KEYS = {
    "outlet": "outlet", "site": "outlet", "source": "outlet", "publisher": "outlet",
    "title": "title", "headline": "title",
    "published": "published", "date": "published",
    "url": "url", "link": "url",
    "author": "author", "byline": "author",
    "id": "id",
}  # fmt: skip
_BULLET = re.compile(r"^\s*(?:[-*+•·▪●◦‣]\s+|\d{1,2}[.)]\s+)")
# Every repeat below is bounded (link text, emphasis, URLs): unbounded lazy or negated-class
# repeats retried from each "*", "[" or "![" of a hostile line take quadratic time (a 90 KB
# line of "*a " took 46 s); real emphasis and link texts are far shorter than the bounds.
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_MD_IMAGE = re.compile(r"!\[([^\[\]]{0,500})\]\([^)]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\[\]]{1,500})\]\((?:[^()\s]|\([^)]{0,500}\)){0,2000}(?:\s+\"[^\"]{0,500}\")?\)")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.{1,300}?)(?<=\S)\1")
_MD_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.{1,300}?)(?<=[^\s*])\*(?![\w*])")
_MD_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])(.{1,300}?)(?<=[^\s_])_(?![\w_])")
# A hard-wrapped column is 50 to 120 characters wide; wider lines are whole paragraphs.
_WRAP_MIN, _WRAP_MAX = 50, 120


def parse_text(raw: str, *, markdown: bool = False) -> Draft:
    """Split ``raw`` into front matter, headline (title) and body; join hard-wrapped lines.

    The first line is the title when it is short and does not end in a full stop (and is
    not a byline, stamp or the like). With ``markdown``, ``#`` headings, emphasis, links
    and images are reduced to their text; subheadings are passed on as ``headings``.
    """
    meta, lines = _front_matter(raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    headings: list[str] = []
    captions: list[str] = []
    if markdown:
        lines = _markdown_lines(lines, headings, captions)
    lines = _unwrap(lines)
    title, lines = _take_title(lines, meta.get("title"), md_title=headings[0] if headings else None)
    if title and headings and match_key(headings[0]) == match_key(title):
        headings = headings[1:]
    body = "\n".join(lines).strip("\n")
    return Draft(
        body=body,
        title=title,
        outlet=meta.get("outlet"),
        url=meta.get("url"),
        published=parse_date(meta["published"]) if meta.get("published") else None,
        author=meta.get("author"),
        id=meta.get("id"),
        headings=tuple(headings),
        captions=tuple(captions),
    )


def _front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """``---`` / ``key: value`` lines / ``---`` at the very top; unknown keys are ignored."""
    first = lines[0].lstrip("\ufeff").strip() if lines else ""
    if first != "---":
        return {}, lines
    meta: dict[str, str] = {}
    for i, line in enumerate(lines[1:60], start=1):
        if line.strip() in ("---", "..."):
            return meta, lines[i + 1 :]
        key, sep, value = line.partition(":")
        if not sep and line.strip():
            return {}, lines  # not front matter after all: a rule line opening the text
        name = _FRONT_KEYS.get(key.strip().lower())
        if name and value.strip():
            meta[name] = value.strip().strip("\"'")
    return {}, lines


def _markdown_lines(lines: list[str], headings: list[str], captions: list[str]) -> list[str]:
    out = []
    for line in lines:
        if _MD_RULE.match(line) and not _BULLET.match(line.strip() + " x"):
            out.append("")
            continue
        m = _MD_HEADING.match(line)
        if m:
            # The closing "###" of an ATX heading goes (stripped here, not in the regex: linear).
            line = _md_inline(m.group(2).strip().rstrip("#").rstrip())
            headings.append(line)
            out.extend(["", line, ""])  # a heading is a paragraph of its own
            continue
        stripped = line.lstrip()
        if stripped.startswith(">"):
            line = stripped.lstrip("> ")
        image = _MD_IMAGE.fullmatch(line.strip())
        if image:
            if image.group(1).strip():
                captions.append(image.group(1).strip())
                out.append(image.group(1).strip())
            continue
        out.append(_md_inline(line))
    return out


def _md_inline(line: str) -> str:
    line = _MD_IMAGE.sub(r"\1", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_STRONG.sub(r"\2", line)
    line = _MD_EM_STAR.sub(r"\1", line)
    return _MD_EM_UNDER.sub(r"\1", line)


def _take_title(
    lines: list[str], meta_title: str | None, md_title: str | None
) -> tuple[str | None, list[str]]:
    """Take the headline line out of the body into the title.

    When front matter already gives the title, a first line repeating it stays in the body,
    where ``find_artifacts`` marks it ``repeated_headline``: what the user gave is kept.
    """
    idx = next((i for i, line in enumerate(lines) if line.strip()), None)
    if idx is None:
        return meta_title, lines
    first = normalize_text(lines[idx])
    rest = lines[idx + 1 :]
    has_more = any(line.strip() for line in rest)
    if meta_title:
        return meta_title, lines
    if md_title is not None and first == md_title and has_more:
        return first, rest
    if has_more and _headline_like(first):
        return first, rest
    return None, lines


def _headline_like(line: str) -> bool:
    if "\n" in line or len(line) > 150 or len(line.split()) > 25:
        return False
    if line.endswith((".", "。")):
        # "Small Steps Toward College Savings." is a headline with a stop added; a sentence is not.
        return is_title_case(line) and not is_multi_sentence(line) and wording_kind(line) is None
    if _BULLET.match(line) or line.endswith((":", ";", ",")):
        return False
    return wording_kind(line) is None  # "By Ana Pell", "Updated 3:04 p.m." are not titles


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines of a block; a file without blank lines is one paragraph per line.

    Two lines of a block are joined when the first was clearly wrapped: the next line's
    first word would not have fit on it (within the file's column width), or the first
    line stops mid-sentence and the next goes on in lower case. Bullets, and lines that
    end a sentence with room to spare, stay lines of their own.
    """
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled or all(line.strip() for line in lines[filled[0] : filled[-1] + 1]):
        return lines  # no blank line between paragraphs: one paragraph per line
    width = max((len(x.rstrip()) for x in lines if x.strip() and not _BULLET.match(x)), default=0)
    out: list[str] = []
    last = ""  # the previous physical line (out[-1] may hold several joined ones)
    first = next((x.strip() for x in lines if x.strip()), "")
    for line in lines:
        cur = line.strip()
        if last is first and is_title_case(first):
            last = ""  # a Title Case first line is a headline standing over its text
        if cur and last and _wrapped(last, cur, width):
            out[-1] = f"{out[-1]} {cur}"
        else:
            out.append(cur)
        last = cur
    return out


def _wrapped(prev: str, cur: str, width: int) -> bool:
    if _BULLET.match(prev) or _BULLET.match(cur) or _MD_HEADING.match(prev):
        return False
    if _WRAP_MIN <= width <= _WRAP_MAX and len(prev) + 1 + len(cur.split()[0]) >= width:
        return True
    return prev[-1] not in '.!?:;"”’)' and cur[0].islower()
