"""Server-side fetching refuses private, loopback and non-http(s) addresses, redirects included."""

from __future__ import annotations

import httpx
import pytest

from newsprism.errors import InputError
from newsprism.ingest.fetch import Fetcher
from newsprism.web.netguard import GuardedTransport, check_url_allowed, is_public

PUBLIC = "93.184.215.14"
NAMES = {"news.example": [PUBLIC], "sneaky.example": [PUBLIC, "10.0.0.5"], "v6.example": ["::1"],
         "metadata.example": ["169.254.169.254"]}


def resolve(host: str, port: int) -> list[str]:
    if host in NAMES:
        return NAMES[host]
    if host.replace(".", "").isdigit() or ":" in host:
        return [host]
    raise OSError("Name or service not known")


@pytest.mark.parametrize(("address", "public"), [
    ("93.184.215.14", True), ("2606:2800:220:1::", True), ("127.0.0.1", False), ("10.1.2.3", False),
    ("172.16.0.1", False), ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
    ("0.0.0.0", False), ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
    ("224.0.0.1", False),
])
def test_is_public(address: str, public: bool) -> None:
    assert is_public(address) is public


@pytest.mark.parametrize(("url", "code"), [
    ("file:///etc/passwd", "unsupported"), ("ftp://news.example/a", "unsupported"), ("gopher://x/", "unsupported"),
    ("https:///nohost", "unsupported"), ("http://[::1", "unsupported"), ("http://localhost/", "unreachable"),
    ("http://127.0.0.1:8000/", "blocked"), ("http://sneaky.example/", "blocked"), ("http://v6.example/", "blocked"),
    ("http://metadata.example/latest", "blocked"), ("https://news.example/a", None),
])
def test_check_url_allowed(url: str, code: str | None) -> None:
    problem = check_url_allowed(url, allow_private=False, resolve=resolve)
    assert (problem.code if problem else None) == code
    if problem is not None and code == "blocked":
        assert "--allow-private-urls" in problem.fix


def test_operator_may_allow_private_addresses_but_not_other_schemes() -> None:
    assert check_url_allowed("http://127.0.0.1:8000/", allow_private=True, resolve=resolve) is None
    problem = check_url_allowed("file:///etc/passwd", allow_private=True, resolve=resolve)
    assert problem is not None and problem.code == "unsupported"


def _recording() -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def site(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/go-internal":
            return httpx.Response(302, headers={"location": "http://127.0.0.1:6379/"})
        if request.url.path == "/go-relative":
            return httpx.Response(302, headers={"location": "/final"})
        return httpx.Response(200, text="ok", headers={"content-type": "text/plain"})

    return seen, httpx.MockTransport(site)


def test_requests_are_pinned_to_the_checked_address() -> None:
    seen, inner = _recording()
    with httpx.Client(transport=GuardedTransport(resolve=resolve, inner=inner), follow_redirects=True) as client:
        r = client.get("https://news.example/go-relative")
    assert r.status_code == 200 and str(r.url) == "https://news.example/final"
    assert [str(q.url) for q in seen] == [f"https://{PUBLIC}/go-relative", f"https://{PUBLIC}/final"]
    assert all(q.headers["host"] == "news.example" for q in seen)
    assert all(q.extensions["sni_hostname"] == "news.example" for q in seen)


def test_redirects_to_private_addresses_are_blocked() -> None:
    seen, inner = _recording()
    with Fetcher(transport=GuardedTransport(resolve=resolve, inner=inner)) as fetcher, \
            pytest.raises(InputError) as err:
        fetcher.fetch("https://news.example/go-internal")
    assert err.value.code == "unreachable" and "127.0.0.1" in err.value.problem
    assert "allow-private-urls" in err.value.problem
    assert [q.url.host for q in seen] == [PUBLIC]  # the redirect target was never contacted


def test_blocked_hosts_are_never_contacted() -> None:
    seen, inner = _recording()
    with httpx.Client(transport=GuardedTransport(resolve=resolve, inner=inner)) as client:
        for url in ("http://sneaky.example/", "http://10.0.0.1/", "http://[::1]/", "http://nowhere.invalid/"):
            with pytest.raises(httpx.ConnectError):
                client.get(url)
    assert seen == []


def test_allow_private_passes_requests_through_unchanged() -> None:
    seen, inner = _recording()
    with httpx.Client(transport=GuardedTransport(allow_private=True, resolve=resolve, inner=inner)) as client:
        assert client.get("http://127.0.0.1:9/x").status_code == 200
    assert str(seen[0].url) == "http://127.0.0.1:9/x"
