"""Bytes to text: BOM, then a declared charset, then UTF-8, then detection; binaries refused.

>>> decode_bytes("Caf\\u00e9 \\u201cnews\\u201d".encode("cp1252"), source="a.txt")
'Café “news”'
>>> decode_bytes("\\ufeffHello".encode("utf-16-le"), source="a.txt")
'Hello'
>>> decode_bytes(b"%PDF-1.7 ...", source="a.pdf")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
newsprism.errors.InputError: a.pdf: the file is binary (a PDF document), not text (fix: ...)
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from newsprism.errors import InputError

__all__ = ["binary_kind", "decode_bytes", "html_declared_charset", "text_codec", "xml_safe"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.epub)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"WARC/", "a WARC archive"),
)
# WHATWG: a page declaring Latin-1 or ASCII is decoded as windows-1252.
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "iso8859-1": "cp1252"}  # fmt: skip
_BINARY_FIX = "pass the article as text, HTML, JSONL or a feed (save or export it as text first)"


def binary_kind(data: bytes) -> str | None:
    """What binary thing ``data`` is (``"a PDF document"``), or None when it may be text."""
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    if data[4:8] == b"ftyp":
        return "a video file"
    if any(data.startswith(bom) for bom, _ in _BOMS) or _utf16_without_bom(data):
        return None
    sample = data[:8192]
    if b"\x00" in sample:
        return "it contains NUL bytes"
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if sample and controls / len(sample) > 0.1:
        return "it is mostly control bytes"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly ASCII has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        enc = "utf-16-le"
    elif even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        enc = "utf-16-be"
    else:
        return None
    text = sample[: len(sample) // 2 * 2].decode(enc, errors="replace")
    readable = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
    return enc if readable > 0.95 * len(text) else None  # else it is binary with NULs in it


def decode_bytes(data: bytes, *, source: str, declared: str | None = None) -> str:
    """Decode ``data``; ``declared`` is a charset from an HTTP header or an HTML ``<meta>``.

    Raises ``InputError`` (code ``binary``) for images, PDFs, archives and NUL-filled data.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, errors="replace")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    what = binary_kind(data)
    if what:
        raise InputError(source, f"the file is binary ({what}), not text", _BINARY_FIX, code="binary")
    encoding = _document_encoding(declared) if declared else None
    if encoding:
        text = _try(data, encoding)
        if text is not None:
            return text
    text = _try(data, "utf-8")
    if text is not None:
        return text
    return _detect(data)


# Python codecs that a page may name but that are no document encoding: escape decoders (which
# would turn "\\ud800" in the text into a lone surrogate), IDNA, and "undefined", which raises.
_NOT_DOCUMENT = frozenset({"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "utf-7"})


def text_codec(name: str) -> str | None:
    """``name`` when it names a codec that decodes a document's bytes to text, else None.

    Refused: unknown names, codecs that are no text encoding (``hex``, ``zlib``), and those
    in ``_NOT_DOCUMENT`` (escape decoders, IDNA, ``undefined``, which always raises).

    >>> text_codec("shift_jis"), text_codec("undefined"), text_codec("hex"), text_codec("x-evil")
    ('shift_jis', None, None, None)
    """
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("_", "-") in _NOT_DOCUMENT:
        return None
    return name


def _document_encoding(declared: str) -> str | None:
    """The Python codec for a declared charset, or None to ignore the declaration.

    Besides what ``text_codec`` refuses, UTF-16 and UTF-32 are ignored: real UTF-16 is found
    by its BOM or NUL bytes before this, so a page declaring it is not UTF-16 (HTML's rule).

    >>> _document_encoding("ISO-8859-1"), _document_encoding("undefined"), _document_encoding("utf-16")
    ('cp1252', None, None)
    """
    name = text_codec(_ALIASES.get(declared.strip().lower(), declared.strip()))
    if name is None or codecs.lookup(name).name.startswith(("utf-16", "utf-32")):
        return None
    return name


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeError, LookupError, ValueError):
        return None


def _detect(data: bytes) -> str:
    """Not UTF-8: prefer windows-1252 for Western text, else trust charset-normalizer.

    charset-normalizer often names a sibling code page (cp1250, cp1006) for short Western
    text, garbling its accents; cp1252 text decoded as cp1252 keeps most letters ASCII,
    while Cyrillic or Greek bytes decoded as cp1252 turn whole words into accented letters.
    """
    western = _try(data, "cp1252")
    if western is not None:
        letters = [c for c in western if c.isalpha()]
        high = sum(1 for c in letters if not c.isascii())
        if not letters or high / len(letters) < 0.3:
            return western
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best)
    return western if western is not None else data.decode("latin-1")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def html_declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` (or XML declaration) in its first 4 KB.

    >>> html_declared_charset(b'<html><head><meta charset="windows-1252">')
    'windows-1252'
    """
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii") if m else None


# Characters XML 1.0 cannot hold: lxml (under trafilatura and the feed summaries) refuses any
# string with one in it, so they are taken out (controls, U+FFFE/U+FFFF) or replaced
# (lone surrogates) before parsing. Body text loses nothing: normalisation drops controls.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters an XML parser refuses (NUL, controls, surrogates).

    >>> xml_safe("a\\x00b\\x0bc\\ud800d\\tok") == "abc\\ufffdd\\tok"
    True
    """
    text = _NOT_XML.sub("", text)
    return _SURROGATES.sub("\ufffd", text) if not text.isascii() else text
