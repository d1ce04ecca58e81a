"""``newsprism serve``: a small web app over an embedded SQLite store.

Paste, upload or link the articles on one story; the analysis runs in the background and the
story opens as the same report as ``report.html``. A JSON API returns the report contract
(``newsprism.report/1``), with OpenAPI docs at ``/docs``. Needs the ``[web]`` extra
(``pip install 'newsprism[web]'``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from newsprism.errors import NewsprismError
from newsprism.web.submission import Limits

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["ServeOptionError", "WebExtraMissingError", "create_app", "host_names", "serve", "serve_limits"]


class WebExtraMissingError(NewsprismError):
    """A package of the ``[web]`` extra (FastAPI, uvicorn, ...) is not installed."""


def _require_extra() -> None:
    import importlib.util

    missing = [m for m in ("fastapi", "uvicorn", "multipart", "platformdirs", "jinja2")
               if importlib.util.find_spec(m) is None]
    if missing:
        raise WebExtraMissingError(f"the web app needs {', '.join(missing)} (fix: pip install 'newsprism[web]')")

LOOPBACK = ("127.0.0.1", "::1", "localhost")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
MAX_CONNECTIONS = 512  # open connections and requests in flight at once


def create_app(db: str | Path | None = None, **kw: object) -> FastAPI:
    """The FastAPI app (see :func:`newsprism.web.app.create_app` for the options)."""
    from newsprism.web.app import create_app as _create

    return _create(db, **kw)  # type: ignore[arg-type]


def serve(db: str | Path | None = None, *, host: str = "127.0.0.1", port: int = 8000,
          allow_private_urls: bool = False, workers: int | None = None, root_path: str = "",
          log_level: str = "info", embedder: str = "minilm-onnx", allowed_hosts: Sequence[str] | None = None,
          max_articles: int | None = None, max_queue: int | None = None, job_timeout: float | None = None,
          articles_store: str | Path | None = None) -> None:
    """Run the web app with uvicorn until interrupted (loopback only, unless ``host`` says otherwise).

    ``workers`` analyses run at once (default: half the CPUs, 1 to 4). The app answers to the
    loopback names, ``host`` itself and ``allowed_hosts`` (``*``: any). ``max_articles``,
    ``max_queue`` and ``job_timeout`` replace the defaults of :class:`~newsprism.web.submission.Limits`.
    ``articles_store``: also list the stories of this article store as they form, and make their
    reports (``/stream``; see :mod:`newsprism.web.stream`).

    Raises ``WebExtraMissingError`` when the ``[web]`` extra is not installed,
    ``ServeOptionError`` for an option out of range, and ``ModelUnavailableError`` when
    ``embedder`` names an optional model that is not installed.
    """
    limits = serve_limits(max_articles=max_articles, max_queue=max_queue, job_timeout=job_timeout)
    if workers is not None and workers < 1:
        raise ServeOptionError(f"--workers {workers}: at least 1 analysis must run at once (fix: --workers 1 or more)")
    _require_extra()
    import uvicorn

    from newsprism.web.app import create_app as _create
    from newsprism.web.store import default_db_path

    if embedder != "minilm-onnx":  # fail now, not in every job, when the optional model is missing
        from newsprism.nlp.embeddings import get_embedder

        get_embedder(embedder).embed(["newsprism"])
    path = Path(db) if db is not None else default_db_path()
    app = _create(path, allow_private_urls=allow_private_urls, workers=workers, embedder=embedder, limits=limits,
                  allowed_hosts=host_names(host, allowed_hosts), articles_store=articles_store)
    print(f"newsprism: serving http://{'[' + host + ']' if ':' in host else host}:{port}{root_path}/ "
          f"(store: {path}{f'; article store: {articles_store}, stories at /stream' if articles_store else ''}; "
          "Ctrl+C stops)", flush=True)
    if host not in LOOPBACK:
        print("newsprism: warning: listening beyond this machine; put it behind a proxy with authentication "
              "(see docs/serve.md)", flush=True)
    # open connections past the cap get 503 at once instead of piling up (page reads are cheap; the
    # analyses are bounded by the queue cap, not by this)
    uvicorn.run(app, host=host, port=port, root_path=root_path, log_level=log_level, proxy_headers=True,
                limit_concurrency=MAX_CONNECTIONS, timeout_keep_alive=5)


class ServeOptionError(NewsprismError):
    """An option of ``newsprism serve`` is out of range; the message names it and the fix."""


def serve_limits(*, max_articles: int | None = None, max_queue: int | None = None,
                 job_timeout: float | None = None) -> Limits:
    """The default limits with the options given replaced, each checked.

    >>> serve_limits(max_articles=50).max_articles
    50
    >>> serve_limits(job_timeout=0)
    Traceback (most recent call last):
    ...
    newsprism.web.ServeOptionError: --job-timeout 0: a story needs more than 0 seconds (fix: --job-timeout 60 or more)
    """
    limits = Limits()
    if max_articles is not None:
        if max_articles < 2:
            raise ServeOptionError(f"--max-articles {max_articles}: a story compares at least 2 articles "
                                   "(fix: --max-articles 2 or more)")
        limits = replace(limits, max_articles=max_articles)
    if max_queue is not None:
        if max_queue < 1:
            raise ServeOptionError(f"--max-queue {max_queue}: at least 1 story must be able to wait "
                                   "(fix: --max-queue 1 or more)")
        limits = replace(limits, max_queued=max_queue)
    if job_timeout is not None:
        if not job_timeout > 0 or job_timeout != job_timeout or job_timeout == float("inf"):
            raise ServeOptionError(f"--job-timeout {job_timeout:g}: a story needs more than 0 seconds "
                                   "(fix: --job-timeout 60 or more)")
        limits = replace(limits, job_timeout_s=float(job_timeout))
    return limits


def host_names(host: str, extra: Sequence[str] | None = None) -> tuple[str, ...]:
    """The ``Host`` names the app answers to: loopback's, the listening address when it is a
    specific one, and ``extra`` (say, the name a proxy serves it under).

    >>> host_names("127.0.0.1"), host_names("0.0.0.0", ["news.example.org"])
    (('localhost', '127.0.0.1', '::1'), ('localhost', '127.0.0.1', '::1', 'news.example.org'))
    """
    names = list(LOOPBACK_HOSTS)  # kept in step with newsprism.web.security's (that one needs starlette)
    if host not in ("0.0.0.0", "::", ""):
        names.append(host)
    names += [h.strip() for h in extra or () if h.strip()]
    return tuple(dict.fromkeys(n.lower() for n in names))
