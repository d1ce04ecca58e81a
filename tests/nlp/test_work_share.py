"""A thread that has finished its own work helps with another's batches (issue 17): every batch runs
once, errors reach the thread that queued them, and embedding with a helper gives the same rows."""

from __future__ import annotations

import functools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from newsprism.nlp.embeddings import Embedder, OnnxMiniLM, on_one_core
from newsprism.nlp.work_share import WorkShare


def test_every_task_runs_once_whichever_thread_takes_it() -> None:
    share = WorkShare()
    ran: list[tuple[int, str]] = []
    both = threading.Barrier(2, timeout=10)  # the first two tasks can only finish in two threads at once

    def task(k: int) -> None:
        if k < 2:
            both.wait()
        ran.append((k, threading.current_thread().name))

    with ThreadPoolExecutor(1, thread_name_prefix="owner") as pool:
        job = pool.submit(share.run_all, [functools.partial(task, k) for k in range(40)])
        share.help_until_done(job)
        job.result()
    assert sorted(k for k, _ in ran) == list(range(40))
    assert {name.split("_")[0] for _, name in ran} == {"owner", "MainThread"}


def test_a_task_error_is_raised_in_the_queueing_thread_after_the_rest_ran() -> None:
    share = WorkShare()
    ran: list[int] = []

    def task(k: int) -> None:
        if k == 3:
            raise ValueError("batch 3 failed")
        ran.append(k)

    with pytest.raises(ValueError, match="batch 3"):
        share.run_all([functools.partial(task, k) for k in range(6)])
    assert sorted(ran) == [0, 1, 2, 4, 5]


def test_helping_returns_when_the_other_work_ends_without_queueing_anything() -> None:
    share = WorkShare()
    with ThreadPoolExecutor(1) as pool:
        job = pool.submit(time.sleep, 0.05)
        share.help_until_done(job)
        assert job.done()
    share.run_all([])  # nothing to run: returns at once


def test_an_embedder_on_one_core_with_a_helper_gives_the_same_rows_and_pieces(embedder: Embedder) -> None:
    emb = embedder
    assert isinstance(emb, OnnxMiniLM)
    texts = [f"Crews worked through night {k} to shore up the cracked spillway of dam {k % 7}." * (1 + k % 3)
             for k in range(70)]
    want, want_tokens = emb.embed_with_tokens(texts)
    share = WorkShare()
    one = on_one_core(emb, share)
    assert isinstance(one, OnnxMiniLM) and one.threads == 1 and emb.share is None
    with ThreadPoolExecutor(1) as pool:
        job = pool.submit(one.embed_with_tokens, texts)
        share.help_until_done(job)
        got, got_tokens = job.result()
    assert np.array_equal(got, want)
    assert all(g.pieces == w.pieces and np.array_equal(g.vectors, w.vectors)
               for g, w in zip(got_tokens, want_tokens, strict=True))
