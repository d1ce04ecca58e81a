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

__all__ = ["IngestResult", "InputRecord", "LoadContext", "Status"]

Status = Literal["ok", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One input and what became of it.

    ``source`` is a path, URL, ``file.jsonl:3`` or ``feed.xml#2``; ``kind`` is the input kind
    it was read as (``text``, ``html``, ``jsonl``, ``json``, ``feed``, ``url``, ``directory``)
    or ``""`` when it was never read.
    """

    source: str
    status: Status
    article_ids: tuple[str, ...] = ()
    message: str = ""
    kind: str = ""


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


@dataclass(eq=False)
class LoadContext:
    """Mutable state of one load: ids handed out, the fetcher, and what was collected.

    ``fetch_links`` says whether a feed entry holding only a short summary may have its
    link fetched (None: yes for feeds fetched from a URL, and for feed files only when a
    fetcher was passed in). A fetcher made here (not passed in) is closed by ``close()``.
    """

    fetcher: Fetcher | None = None
    fetch_links: bool | None = None
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
    ) -> int:
        """Add an input record; returns its index (see ``update``)."""
        self.inputs.append(InputRecord(source, status, ids, message, kind))
        return len(self.inputs) - 1

    def update(self, index: int, **changes: object) -> None:
        """Change a record added earlier (a container's record, once its parts are known)."""
        self.inputs[index] = replace(self.inputs[index], **changes)  # type: ignore[arg-type]

    def fail(self, error: InputError, *, kind: str = "", source: str | None = None) -> int:
        """Record ``error`` and a failed record for its input."""
        self.errors.append(error)
        return self.record(source or error.source, "failed", message=error.problem, kind=kind)

    def result(self) -> IngestResult:
        return IngestResult(tuple(self.articles), tuple(self.errors), tuple(self.inputs))
