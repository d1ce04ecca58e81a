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


def _rebuild_input_error(source: str, problem: str, fix: str, code: str) -> InputError:
    return InputError(source, problem, fix, code=code)


class NothingUsableError(NewsprismError):
    """No input gave a usable article, so no report can be made."""


class ModelUnavailableError(NewsprismError):
    """A pinned model package (spaCy model, MiniLM ONNX) is not installed."""
