"""``newsprism serve``: a small web app over an embedded SQLite store.

Paste, upload or link the articles on one story; the analysis runs in the background and the
story opens as the same report as ``report.html``. A JSON API returns the report contract
(``newsprism.report/1``), with OpenAPI docs at ``/docs``. Needs the ``[web]`` extra
(``pip install 'newsprism[web]'``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newsprism.errors import NewsprismError

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["WebExtraMissingError", "create_app", "serve"]


class WebExtraMissingError(NewsprismError):
    """A package of the ``[web]`` extra (FastAPI, uvicorn, ...) is not installed."""


def _require_extra() -> None:
    import importlib.util

    missing = [m for m in ("fastapi", "uvicorn", "multipart", "platformdirs", "jinja2")
               if importlib.util.find_spec(m) is None]
    if missing:
        raise WebExtraMissingError(f"the web app needs {', '.join(missing)} (fix: pip install 'newsprism[web]')")

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def create_app(db: str | Path | None = None, **kw: object) -> FastAPI:
    """The FastAPI app (see :func:`newsprism.web.app.create_app` for the options)."""
    from newsprism.web.app import create_app as _create

    return _create(db, **kw)  # type: ignore[arg-type]


def serve(db: str | Path | None = None, *, host: str = "127.0.0.1", port: int = 8000,
          allow_private_urls: bool = False, workers: int = 1, root_path: str = "",
          log_level: str = "info", embedder: str = "minilm-onnx") -> None:
    """Run the web app with uvicorn until interrupted (loopback only, unless ``host`` says otherwise).

    Raises ``WebExtraMissingError`` when the ``[web]`` extra is not installed, and
    ``ModelUnavailableError`` when ``embedder`` names an optional model that is not installed.
    """
    _require_extra()
    import uvicorn

    from newsprism.web.app import create_app as _create
    from newsprism.web.store import default_db_path

    if embedder != "minilm-onnx":  # fail now, not in every job, when the optional model is missing
        from newsprism.nlp.embeddings import get_embedder

        get_embedder(embedder).embed(["newsprism"])
    path = Path(db) if db is not None else default_db_path()
    app = _create(path, allow_private_urls=allow_private_urls, workers=workers, embedder=embedder)
    print(f"newsprism: serving http://{'[' + host + ']' if ':' in host else host}:{port}{root_path}/ "
          f"(store: {path}; Ctrl+C stops)", flush=True)
    if host not in LOOPBACK:
        print("newsprism: warning: listening beyond this machine; put it behind a proxy with authentication "
              "(see docs/serve.md)", flush=True)
    uvicorn.run(app, host=host, port=port, root_path=root_path, log_level=log_level, proxy_headers=True)
