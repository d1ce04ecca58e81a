"""What a user hands the web app for one story: pasted articles, uploaded files, URLs.

A ``Submission`` is kept in the store as JSON (file bodies base64-encoded) until its
analysis ends, so a run cut short by a restart is queued again instead of lost.

>>> s = Submission(title="Dam", texts=(PastedArticle(text="The dam held.", outlet="Example Post"),),
...                files=(Upload(name="a.txt", data=b"Hi"),), urls=("https://news.example/a",))
>>> Submission.from_json(s.to_json()) == s
True
>>> s.count
3
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field

__all__ = ["Limits", "PastedArticle", "Submission", "Upload"]

_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """What one submission may carry (checked before anything is stored) and what the server
    spends on it. ``max_articles`` counts articles after ingest: one JSONL file or feed can
    hold thousands, so the count of inputs alone does not bound the work.

    >>> Limits().max_articles, Limits().max_queued, Limits().job_timeout_s
    (200, 20, 900.0)
    """

    max_body_bytes: int = 25 * _MB  # a whole request
    max_file_bytes: int = 5 * _MB  # one uploaded file
    max_text_chars: int = 200_000  # one pasted article
    max_inputs: int = 100  # pasted articles + files + URLs
    max_articles: int = 200  # articles per story once files and feeds are expanded
    max_queued: int = 20  # stories queued or running at once; more are refused with 429
    job_timeout_s: float = 900.0  # one story's analysis; past it the story fails with the reason


@dataclass(frozen=True, slots=True)
class PastedArticle:
    """An article pasted as text, with optional metadata (front matter in the text works too)."""

    text: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded file: its name as the user's browser sent it, and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Submission:
    """Everything given for one story."""

    title: str | None = None
    texts: tuple[PastedArticle, ...] = ()
    files: tuple[Upload, ...] = ()
    urls: tuple[str, ...] = field(default=())
    #: a story of the article store (``newsprism serve --articles-store``) to analyse instead of
    #: inputs: set only by the server's own "refresh report" action, never from a form or the API
    stored_story: str | None = None

    @property
    def count(self) -> int:
        """How many inputs it holds."""
        return len(self.texts) + len(self.files) + len(self.urls)

    def to_json(self) -> str:
        """Serialise (file bodies as base64)."""
        return json.dumps({
            "title": self.title,
            "texts": [asdict(t) for t in self.texts],
            "files": [{"name": f.name, "data": base64.b64encode(f.data).decode("ascii")} for f in self.files],
            "urls": list(self.urls),
            **({"stored_story": self.stored_story} if self.stored_story is not None else {}),
        })

    @classmethod
    def from_json(cls, raw: str) -> Submission:
        """The inverse of :meth:`to_json`."""
        d = json.loads(raw)
        return cls(
            title=d.get("title"),
            texts=tuple(PastedArticle(**t) for t in d.get("texts", [])),
            files=tuple(Upload(f["name"], base64.b64decode(f["data"])) for f in d.get("files", [])),
            urls=tuple(d.get("urls", [])),
            stored_story=d.get("stored_story"),
        )
