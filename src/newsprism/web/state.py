"""What the web app's routes share, reached from a request (below the app and its routers, so the
routers never import the app that includes them)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from jinja2 import Environment

from newsprism.web.jobs import Runner
from newsprism.web.store import Store
from newsprism.web.submission import Limits

__all__ = ["AppState", "state_of"]


@dataclass
class AppState:
    """What the routes share: the store, the runner, the limits and the template environment."""

    store: Store
    runner: Runner
    limits: Limits
    templates: Environment
    allow_private_urls: bool


def state_of(request: Request) -> AppState:
    """The app's shared state, from a request."""
    state: AppState = request.app.state.newsprism
    return state
