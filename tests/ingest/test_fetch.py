"""The Fetcher and URL dispatch with an injected httpx transport (no server needed)."""

from __future__ import annotations

import httpx
import pytest

from newsprism.ingest import Fetcher, load
from newsprism.ingest.fetch import USER_AGENT


def test_unsupported_scheme_is_reported() -> None:
    result = load("ftp://files.example/story.txt")
    assert [e.code for e in result.errors] == ["unsupported"]
    assert result.inputs[0].source == "ftp://files.example/story.txt"


def test_injected_transport() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["user-agent"] == USER_AGENT
        return httpx.Response(
            200, text="Pier Opens\n\nThe pier opened.", headers={"content-type": "text/plain"}
        )

    with Fetcher(transport=httpx.MockTransport(handler)) as fetcher:
        (a,) = load("https://www.osk-daily.example/news/pier-opens", fetcher=fetcher).articles
    assert a.outlet == "osk-daily.example"
    assert a.id == "osk-daily-example-news-pier-opens"


def test_injected_client_is_not_closed() -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(404)))
    with client:
        result = load("https://osk.example/a", fetcher=Fetcher(client))
        assert result.errors[0].code == "http_error"
        assert not client.is_closed


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (httpx.ConnectError("[Errno -2] Name or service not known"), "host name not found"),
        (httpx.ConnectTimeout("timed out"), "connecting timed out after 10 s"),
        (httpx.RemoteProtocolError("peer closed connection"), "the connection failed"),
    ],
)
def test_transport_failures_are_unreachable(exc: Exception, words: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    with Fetcher(transport=httpx.MockTransport(handler)) as fetcher:
        (err,) = load("https://osk-daily.example/dam", fetcher=fetcher).errors
    assert err.code == "unreachable" and words in err.problem
    assert err.source == "https://osk-daily.example/dam" and err.fix


def test_unknown_content_type_is_unsupported() -> None:
    reply = httpx.Response(200, content=b"BEGIN:VCALENDAR", headers={"content-type": "text/calendar"})
    with Fetcher(transport=httpx.MockTransport(lambda r: reply)) as fetcher:
        (err,) = load("https://osk-daily.example/cal", fetcher=fetcher).errors
    assert err.code == "unsupported" and "text/calendar" in err.problem
