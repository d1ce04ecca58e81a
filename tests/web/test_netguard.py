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
    assert err.value.code == "blocked" and "127.0.0.1" in err.value.problem
    assert "allow-private-urls" in err.value.fix
    assert [q.url.host for q in seen] == [PUBLIC]  # the redirect target was never contacted


def test_blocked_hosts_are_never_contacted() -> None:
    seen, inner = _recording()
    with httpx.Client(transport=GuardedTransport(resolve=resolve, inner=inner)) as client:
        for url in ("http://sneaky.example/", "http://10.0.0.1/", "http://[::1]/"):
            with pytest.raises(InputError) as err:
                client.get(url)
            assert err.value.code == "blocked"
        with pytest.raises(httpx.ConnectError):
            client.get("http://nowhere.invalid/")
    assert seen == []


def test_allow_private_passes_requests_through_unchanged() -> None:
    seen, inner = _recording()
    with httpx.Client(transport=GuardedTransport(allow_private=True, resolve=resolve, inner=inner)) as client:
        assert client.get("http://127.0.0.1:9/x").status_code == 200
    assert str(seen[0].url) == "http://127.0.0.1:9/x"


# Every form an attacker may use to spell a private address; each must be refused at the first
# check, by the transport (connect time), and after a redirect.
PRIVATE_FORMS = [
    "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "255.255.255.255", "224.0.0.1", "192.0.0.1", "198.18.0.1",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1", "fec0:1::abcd",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",  # IPv4-mapped
    "::127.0.0.1", "::a9fe:a9fe", "::10.0.0.1",  # IPv4-compatible (deprecated, still routed by some stacks)
    "::ffff:0:7f00:1",  # SIIT IPv4-translated
    "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::c0a8:1",  # NAT64 well-known prefix
    "64:ff9b:1::a9fe:a9fe", "64:ff9b:1::808:808",  # NAT64 local-use prefix (RFC 8215): never public
    "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002:c0a8:101::1", "2002:a00:1:1::1",  # 6to4
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
    "2001:db8::1", "100::1",  # documentation, discard
    "fe80::1%eth0",  # zone id, as getaddrinfo may answer
]
PUBLIC_FORMS = ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4001::1", "::ffff:8.8.8.8",
                "64:ff9b::808:808", "2002:808:808::1"]


@pytest.mark.parametrize("address", PRIVATE_FORMS)
def test_private_forms_are_not_public(address: str) -> None:
    assert is_public(address) is False


@pytest.mark.parametrize("address", PUBLIC_FORMS)
def test_public_forms_are_public(address: str) -> None:
    assert is_public(address) is True


def _literal(address: str) -> str:
    return f"[{address.split('%')[0]}]" if ":" in address else address


@pytest.mark.parametrize("address", PRIVATE_FORMS)
def test_private_forms_are_blocked_as_literals_and_by_name(address: str) -> None:
    literal = check_url_allowed(f"http://{_literal(address)}:8080/latest/meta-data", allow_private=False,
                                resolve=lambda h, p: [address])
    named = check_url_allowed("http://rebind.example/", allow_private=False, resolve=lambda h, p: [address])
    assert literal is not None and literal.code == "blocked"
    assert named is not None and named.code == "blocked" and "--allow-private-urls" in named.fix


@pytest.mark.parametrize("address", PRIVATE_FORMS)
def test_a_redirect_to_any_private_form_is_blocked_not_unreachable(address: str) -> None:
    seen: list[httpx.Request] = []

    def site(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"location": f"http://{_literal(address)}/secret"})

    with Fetcher(transport=GuardedTransport(resolve=resolve, inner=httpx.MockTransport(site))) as fetcher, \
            pytest.raises(InputError) as err:
        fetcher.fetch("https://news.example/start")
    assert err.value.code == "blocked"
    assert len(seen) == 1  # the private address was never contacted


class Rebinding:
    """A DNS server under an attacker's control: public for the first answer, private after."""

    def __init__(self, private: str) -> None:
        self.private, self.calls = private, 0

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls += 1
        return [PUBLIC] if self.calls == 1 else [self.private]


@pytest.mark.parametrize("private", ["127.0.0.1", "169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::",
                                     "::ffff:10.0.0.1", "fec0::1"])
def test_dns_rebinding_between_check_and_connect_is_blocked(private: str) -> None:
    seen: list[httpx.Request] = []

    def site(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="secret", headers={"content-type": "text/plain"})

    rebinding = Rebinding(private)
    assert check_url_allowed("http://rebind.example/", allow_private=False, resolve=rebinding) is None
    with Fetcher(transport=GuardedTransport(resolve=rebinding, inner=httpx.MockTransport(site))) as fetcher, \
            pytest.raises(InputError) as err:
        fetcher.fetch("http://rebind.example/")
    assert err.value.code == "blocked" and seen == []


def test_the_connection_goes_to_the_checked_address_not_a_second_answer() -> None:
    seen: list[httpx.Request] = []
    answers = iter([[PUBLIC], ["127.0.0.1"]])
    transport = GuardedTransport(resolve=lambda h, p: next(answers), inner=httpx.MockTransport(
        lambda r: seen.append(r) or httpx.Response(200, text="ok", headers={"content-type": "text/plain"})))
    with httpx.Client(transport=transport) as client:
        assert client.get("http://news.example/a").status_code == 200
    assert [q.url.host for q in seen] == [PUBLIC]


def test_a_host_with_one_private_address_among_public_ones_is_blocked() -> None:
    problem = check_url_allowed("http://mixed.example/", allow_private=False,
                                resolve=lambda h, p: [PUBLIC, "2606:4700::1", "64:ff9b::a9fe:a9fe"])
    assert problem is not None and problem.code == "blocked" and "64:ff9b::a9fe:a9fe" in problem.problem


class _Drip(httpx.SyncByteStream):
    """A server that sends a byte every 20 ms, for ever (each wait is under any read timeout)."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        import time

        while True:
            time.sleep(0.02)
            yield b"x"


def test_a_dripping_response_is_cut_at_the_total_timeout() -> None:
    import time

    inner = httpx.MockTransport(lambda r: httpx.Response(200, headers={"content-type": "text/plain"},
                                                         stream=_Drip()))
    started = time.monotonic()
    with Fetcher(transport=GuardedTransport(resolve=resolve, inner=inner, total_timeout=0.3)) as fetcher, \
            pytest.raises(InputError) as err:
        fetcher.fetch("https://news.example/slow")
    assert err.value.code == "unreachable" and time.monotonic() - started < 3
