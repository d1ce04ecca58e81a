"""The boundary around reading one input: whatever goes wrong becomes that input's error.

Each ingester turns the failures it knows (a missing file, bad JSON, an HTTP error) into an
``InputError`` itself. ``guarded`` is the net under them: any other exception raised while
reading one input (a parser bug, a recursion limit, memory) is turned into an
``InputError`` naming the input, what went wrong and a fix, what that input had added
half-way is rolled back, and the load goes on with the next input.

>>> from newsprism.ingest.result import LoadContext
>>> ctx = LoadContext()
>>> guarded(ctx, "a.json", "json", lambda: [].pop())
False
>>> ctx.errors[0].code, ctx.errors[0].problem
('read_failed', 'reading it as json failed (IndexError: pop from empty list)')
>>> guarded(ctx, "b.txt", "text", lambda: None), len(ctx.inputs)
(True, 1)
"""

from __future__ import annotations

from collections.abc import Callable

from newsprism.errors import InputError
from newsprism.ingest.result import LoadContext

__all__ = ["SAFETY_NET", "guarded", "unexpected_error"]

#: Turn unexpected exceptions into input errors. The fuzz tests switch it off, so that a
#: failure the ingesters do not yet handle on purpose shows up as the raw exception.
SAFETY_NET = True

_REPORT = "if the input looks fine, please report this as a newsprism bug, with the input attached"


def unexpected_error(source: str, exc: BaseException, kind: str = "") -> InputError:
    """An ``InputError`` for an exception no ingester expected while reading ``source``.

    >>> unexpected_error("deep.json", RecursionError("maximum recursion depth exceeded")).problem
    'it is nested too deeply to read (more levels than Python can follow)'
    """
    if isinstance(exc, RecursionError):
        return InputError(
            source,
            "it is nested too deeply to read (more levels than Python can follow)",
            "flatten the data: an article needs only a few levels of nesting",
            code="too_deep",
        )
    if isinstance(exc, MemoryError):
        return InputError(
            source,
            "it is too large to read in the memory available",
            "split it into smaller files, one article each",
            code="too_large",
        )
    what = f" as {kind}" if kind else ""
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return InputError(
        source,
        f"reading it{what} failed ({type(exc).__name__}{': ' + detail if detail else ''})",
        _REPORT,
        code="read_failed",
    )


def guarded(ctx: LoadContext, source: str, kind: str, read: Callable[[], None]) -> bool:
    """Run ``read`` (which loads ``source`` into ``ctx``); True when it raised nothing.

    An ``InputError`` that escapes ``read`` is recorded as the input's failure. Any other
    exception (``Exception``: an interrupt or exit still stops the run) rolls back what
    ``read`` added and is recorded as an ``unexpected_error``; with ``SAFETY_NET`` off it
    propagates instead.
    """
    cp = ctx.checkpoint()
    try:
        read()
    except InputError as e:
        ctx.rollback(cp)
        ctx.fail(e, kind=kind, source=source)
        return False
    except Exception as e:  # the boundary: one input never takes the others down
        if not SAFETY_NET:
            raise
        ctx.rollback(cp)
        ctx.fail(unexpected_error(source, e, kind), kind=kind, source=source)
        return False
    return True
