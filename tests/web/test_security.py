"""The security middleware on its own: body limits (streamed too), headers, same-origin checks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("fastapi", reason="the web app tests need the [web] extra: pip install -e '.[web]'")

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from newsprism.web.security import PAGE_CSP, BodyLimit, SameOrigin, SecurityHeaders


def _app() -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    @app.get("/own")
    def own() -> dict[str, str]:
        return {}

    app.add_middleware(SameOrigin)
    app.add_middleware(BodyLimit, max_bytes=1000)
    app.add_middleware(SecurityHeaders)
    return app


def test_body_limit_by_length_and_by_stream() -> None:
    with TestClient(_app()) as client:
        assert client.post("/echo", content=b"x" * 1000).json() == {"size": 1000}
        assert client.post("/echo", content=b"x" * 1001).status_code == 413

        def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
            for _ in range(20):
                yield b"x" * 100

        r = client.post("/echo", content=chunks())
        assert r.status_code == 413 and "limit" in r.text
        assert r.headers["content-security-policy"] == PAGE_CSP


def test_same_origin() -> None:
    with TestClient(_app()) as client:
        assert client.post("/echo", content=b"", headers={"Origin": "http://testserver"}).status_code == 200
        assert client.post("/echo", content=b"", headers={"Origin": "null"}).status_code == 403
        assert client.post("/echo", content=b"", headers={"Origin": "http://attacker.example"}).status_code == 403
        proxied = {"Origin": "https://news.example.org", "X-Forwarded-Host": "news.example.org"}
        assert client.post("/echo", content=b"", headers=proxied).status_code == 200
        assert client.get("/own", headers={"Origin": "http://attacker.example"}).status_code == 200
        other_port = {"Origin": "http://testserver:3000", "Sec-Fetch-Site": "same-site"}
        assert client.post("/echo", content=b"", headers=other_port).status_code == 403
        assert client.post("/echo", content=b"", headers={"Sec-Fetch-Site": "same-site"}).status_code == 403
        assert client.post("/echo", content=b"", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200


def test_headers() -> None:
    with TestClient(_app()) as client:
        h = client.get("/own").headers
        assert h["content-security-policy"] == PAGE_CSP
        assert h["x-frame-options"] == "DENY" and h["referrer-policy"] == "same-origin"


def test_the_package_names_the_same_loopback_hosts_as_the_middleware() -> None:
    import newsprism.web
    from newsprism.web.security import LOOPBACK_HOSTS

    assert newsprism.web.LOOPBACK_HOSTS == LOOPBACK_HOSTS
