"""Batches one thread queues and any free thread may run.

The pipeline groups a story's quotes in a thread beside the other analyses, and embedding their
reported speech is most of that work. When the main thread has finished its own stages it would
only wait; instead it takes the embedding batches still queued, so both cores finish the grouping
(issue 17). Each batch writes rows of its own, so which thread runs it changes nothing.

>>> share = WorkShare()
>>> rows = [0, 0, 0]
>>> def fill(k):
...     rows[k] = k + 1
>>> share.run_all([lambda k=k: fill(k) for k in range(3)])
>>> rows
[1, 2, 3]
"""

from __future__ import annotations

import functools
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

__all__ = ["WorkShare"]


class _Batch:
    """One ``run_all`` call's count of tasks still to finish, and its first error."""

    def __init__(self, left: int) -> None:
        self.left = left
        self.error: BaseException | None = None


class WorkShare:
    """A queue of tasks that the thread which queued them and any helping thread work off together."""

    def __init__(self) -> None:
        self._tasks: deque[Callable[[], None]] = deque()
        self._changed = threading.Condition()

    def run_all(self, tasks: Sequence[Callable[[], None]], helpers: int = 0) -> None:
        """Run ``tasks`` (in this thread, in ``helpers`` threads started for them, and in any thread
        that helps) and return when all have run; the first exception one raised is raised here,
        after the others have run."""
        batch = _Batch(len(tasks))

        def run(task: Callable[[], None]) -> None:
            try:
                task()
            except BaseException as exc:  # handed to the thread that queued it
                batch.error = batch.error or exc
            finally:
                with self._changed:
                    batch.left -= 1
                    self._changed.notify_all()

        with self._changed:
            self._tasks.extend(functools.partial(run, t) for t in tasks)
            self._changed.notify_all()
        finished = lambda: batch.left == 0  # noqa: E731
        if helpers:
            with ThreadPoolExecutor(helpers, thread_name_prefix="newsprism-batches") as pool:
                for _ in range(helpers):
                    pool.submit(self._work_until, finished)
                self._work_until(finished)
        else:
            self._work_until(finished)
        if batch.error is not None:
            raise batch.error

    def help_until_done(self, future: Future[Any]) -> None:
        """Run queued tasks until ``future`` is done (waiting while none is queued)."""
        future.add_done_callback(lambda _: self._wake())
        self._work_until(future.done)

    def _wake(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def _work_until(self, done: Callable[[], bool]) -> None:
        while True:
            with self._changed:
                while not self._tasks and not done():
                    self._changed.wait()
                if not self._tasks:
                    return
                task = self._tasks.popleft()
            task()
