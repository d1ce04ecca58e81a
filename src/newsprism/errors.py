"""One exception tree. Every error says what was wrong, where, and what to do.

>>> err = InputError("notes/empty.txt", "the file is empty", "add the article text or drop the file")
>>> str(err)
'notes/empty.txt: the file is empty (fix: add the article text or drop the file)'
"""

from __future__ import annotations


class NewsprismError(Exception):
    """Base of every error newsprism raises on purpose."""


class InputError(NewsprismError):
    """One input (file, URL, JSONL line, feed entry) could not be turned into an Article.

    ``source`` names the input, ``problem`` says what is wrong with it, ``fix`` what the
    user can do. ``code`` is a short stable tag (``empty``, ``binary``, ``no_article``,
    ``bad_json``, ``unreachable``, ``too_large``, ...) for programs and tests.
    """

    def __init__(self, source: str, problem: str, fix: str = "", *, code: str = "invalid") -> None:
        self.source = source
        self.problem = problem
        self.fix = fix
        self.code = code
        super().__init__(self.__str__())

    def __str__(self) -> str:
        msg = f"{self.source}: {self.problem}"
        return f"{msg} (fix: {self.fix})" if self.fix else msg

    def __reduce__(self):  # type: ignore[no-untyped-def]  # keep picklable across processes
        return (_rebuild_input_error, (self.source, self.problem, self.fix, self.code))


#: Every code an ``InputError`` raised while loading inputs (``newsprism.ingest``) carries.
#: ``read_failed`` is the safety net's: an exception no ingester expected (a bug to report).
INGEST_ERROR_CODES = frozenset(
    {
        "bad_archive",  # not a readable WARC archive, or one cut short
        "bad_feed",  # not an RSS/Atom feed, or the feed parser failed on it
        "bad_json",  # invalid JSON, nested too deeply, a number too long, not an object
        "bad_url",  # a malformed URL (bad IPv6 brackets, a port that is not a number, ...)
        "binary",  # an image, PDF, archive or NUL-filled data instead of text
        "empty",  # no text at all
        "http_error",  # the server answered 4xx/5xx, or redirected in a loop
        "no_article",  # an HTML page with no article text
        "no_text",  # a JSON object without a usable "text"
        "not_found",  # no such file (or a symbolic link to a missing one)
        "not_regular",  # a FIFO, socket, device or directory where a file was expected
        "nothing_usable",  # a folder, JSONL file or feed none of whose parts gave an article
        "read_failed",  # an unexpected exception, caught by the boundary around each input
        "too_deep",  # nesting deeper than Python can follow
        "too_large",  # over the per-file, per-response or per-article limit
        "unreachable",  # the site could not be reached, or the connection broke
        "unreadable",  # permissions, a link loop, a bad path
        "unsupported",  # a kind of file, URL scheme or content type newsprism does not read
    }
)


def _rebuild_input_error(source: str, problem: str, fix: str, code: str) -> InputError:
    return InputError(source, problem, fix, code=code)


class NothingUsableError(NewsprismError):
    """No input gave a usable article, so no report can be made."""


class EngineUnavailableError(NewsprismError):
    """The batch engine asked for cannot run here (Ray not installed, a cluster not reachable)."""


class ModelUnavailableError(NewsprismError):
    """A pinned model package (spaCy model, MiniLM ONNX) is not installed."""
