"""What a load returns (``IngestResult``, ``InputRecord``) and the context ingesters fill.

Every input a user gave, and every file, JSONL line and feed entry inside one, gets an
``InputRecord``: nothing is dropped without a trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from newsprism.errors import InputError
from newsprism.model import Article

if TYPE_CHECKING:
    from newsprism.ingest.fetch import Fetcher

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "Checkpoint",
    "IngestResult",
    "InputRecord",
    "LoadContext",
    "Status",
    "printable",
    "printable_error",
]

Status = Literal["ok", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One input and what became of it.

    ``source`` is a path, URL, ``file.jsonl:3`` or ``feed.xml#2``; ``kind`` is the input kind
    it was read as (``text``, ``html``, ``jsonl``, ``json``, ``feed``, ``url``, ``directory``)
    or ``""`` when it was never read. ``code`` is the ``InputError`` code of a failed input
    (``not_found``, ``too_large``, ...) or why one was skipped (``hidden``, ``documentation``,
    ``symlink_loop``, ``duplicate``); None for an input that loaded.
    """

    source: str
    status: Status
    article_ids: tuple[str, ...] = ()
    message: str = ""
    kind: str = ""
    code: str | None = None


@dataclass(frozen=True, slots=True)
class IngestResult:
    """Articles loaded, errors met, and one record per input (see ``InputRecord``).

    >>> r = IngestResult()
    >>> (r.ok, len(r.articles), len(r.errors))
    (False, 0, 0)
    """

    articles: tuple[Article, ...] = ()
    errors: tuple[InputError, ...] = ()
    inputs: tuple[InputRecord, ...] = ()

    @property
    def ok(self) -> bool:
        """True when at least one article was loaded."""
        return bool(self.articles)

    def article(self, article_id: str) -> Article:
        """The loaded article with this id (KeyError if none)."""
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)


#: largest local file read, in bytes (``load_many(max_file_bytes=...)`` raises it per load)
DEFAULT_MAX_FILE_BYTES = 10_000_000


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """How much a ``LoadContext`` held at one moment (see ``LoadContext.rollback``)."""

    articles: int
    errors: int
    inputs: int


@dataclass(eq=False)
class LoadContext:
    """Mutable state of one load: ids handed out, the fetcher, and what was collected.

    ``fetch_links`` says whether a feed entry holding only a short summary may have its
    link fetched (None: yes for feeds fetched from a URL, and for feed files only when a
    fetcher was passed in). A fetcher made here (not passed in) is closed by ``close()``.
    ``max_file_bytes`` caps the size of each local file read.
    """

    fetcher: Fetcher | None = None
    fetch_links: bool | None = None
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    articles: list[Article] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    inputs: list[InputRecord] = field(default_factory=list)
    _ids: set[str] = field(default_factory=set)
    _own_fetcher: bool = False

    def get_fetcher(self) -> Fetcher:
        """The fetcher given, or a default one made on first use."""
        if self.fetcher is None:
            from newsprism.ingest.fetch import Fetcher

            self.fetcher = Fetcher()
            self._own_fetcher = True
        return self.fetcher

    def links_allowed(self, *, from_url: bool) -> bool:
        """May a feed's entry links be fetched (see ``fetch_links``)?"""
        if self.fetch_links is not None:
            return self.fetch_links
        return from_url or (self.fetcher is not None and not self._own_fetcher)

    def close(self) -> None:
        if self._own_fetcher and self.fetcher is not None:
            self.fetcher.close()
            self.fetcher = None
            self._own_fetcher = False

    def claim_id(self, base: str) -> str:
        """A unique id from ``base``: ``base``, then ``base-2``, ``base-3``, ..."""
        base = base or "article"
        candidate, n = base, 1
        while candidate in self._ids:
            n += 1
            candidate = f"{base}-{n}"
        self._ids.add(candidate)
        return candidate

    def add_article(self, article: Article) -> Article:
        """Keep ``article`` under a unique id (its own id is the wanted base)."""
        unique = self.claim_id(article.id)
        if unique != article.id:
            article = replace(article, id=unique)
        self.articles.append(article)
        return article

    def record(
        self,
        source: str,
        status: Status,
        *,
        ids: tuple[str, ...] = (),
        message: str = "",
        kind: str = "",
        code: str | None = None,
    ) -> int:
        """Add an input record; returns its index (see ``update``).

        The source and message are stored printable (see ``printable``): a file name that is
        not UTF-8 or holds control characters must not break the reports written from it.
        """
        self.inputs.append(InputRecord(printable(source), status, ids, printable(message), kind, code))
        return len(self.inputs) - 1

    def update(self, index: int, **changes: object) -> None:
        """Change a record added earlier (a container's record, once its parts are known)."""
        self.inputs[index] = replace(self.inputs[index], **changes)  # type: ignore[arg-type]

    def fail(self, error: InputError, *, kind: str = "", source: str | None = None) -> int:
        """Record ``error`` and a failed record for its input (with the error's code)."""
        error = printable_error(error)
        self.errors.append(error)
        return self.record(source or error.source, "failed", message=error.problem, kind=kind, code=error.code)

    def checkpoint(self) -> Checkpoint:
        """What the load holds now, to ``rollback`` to if reading one input blows up midway."""
        return Checkpoint(len(self.articles), len(self.errors), len(self.inputs))

    def rollback(self, cp: Checkpoint) -> None:
        """Forget every article, error and record added since ``cp`` (their ids are freed)."""
        self._ids.difference_update(a.id for a in self.articles[cp.articles :])
        del self.articles[cp.articles :], self.errors[cp.errors :], self.inputs[cp.inputs :]

    def result(self) -> IngestResult:
        return IngestResult(tuple(self.articles), tuple(self.errors), tuple(self.inputs))


def printable(text: str) -> str:
    """``text`` with control characters and lone surrogates written as escapes.

    A file name that is not UTF-8 reaches Python with its bad bytes as lone surrogates
    (``\\udcff`` for byte 0xff); such a name cannot be written to a UTF-8 report, and a
    control character in it would garble a terminal or a Markdown table.

    >>> printable("news/caf\\udce9.txt"), printable("a\\x1b[31mb"), printable("plain.txt")
    ('news/caf\\\\xe9.txt', 'a\\\\x1b[31mb', 'plain.txt')
    """
    if text.isprintable():
        return text
    out = []
    for c in text:
        n = ord(c)
        if 0xDC80 <= n <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{n - 0xDC00:02x}")
        elif 0xD800 <= n <= 0xDFFF:
            out.append(f"\\u{n:04x}")
        elif n < 0x20 or 0x7F <= n < 0xA0:
            out.append(f"\\x{n:02x}")
        else:
            out.append(c)
    return "".join(out)


def printable_error(error: InputError) -> InputError:
    """``error`` with a printable source and problem (the same object when already so)."""
    source, problem = printable(error.source), printable(error.problem)
    if source == error.source and problem == error.problem:
        return error
    return InputError(source, problem, error.fix, code=error.code)
