"""The abstractive brief against a fake OpenAI-compatible server on 127.0.0.1: good sentences are kept
with their citations, hallucinated ones are dropped with the reason, endpoint failures are clear."""

from __future__ import annotations

import importlib.util
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsprism.analysis.brief import build_brief
from newsprism.analysis.brief.llm import (
    DEFAULT_KEY_ENV,
    ChatModel,
    LlmError,
    OpenAIChat,
    PromptClaim,
    build_messages,
    parse_generated,
)
from newsprism.analysis.claims import ClaimAnalysis, analyze_claims
from newsprism.model import Story

pytestmark = pytest.mark.network


class _Fake(ThreadingHTTPServer):
    reply: str = ""
    status: int = 200
    raw: bytes | None = None
    delay: float = 0.0
    requests: list[dict[str, Any]]


class _Handler(BaseHTTPRequestHandler):
    server: _Fake

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.server.raw is not None:
            out = self.server.raw
        else:
            out = json.dumps({"choices": [{"message": {"role": "assistant", "content": self.server.reply}}]}).encode()
        try:
            self.send_response(self.server.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (the timeout test)
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[_Fake]:
    srv = _Fake(("127.0.0.1", 0), _Handler)
    srv.requests = []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def fake(server: _Fake) -> Iterator[_Fake]:
    server.reply, server.status, server.raw, server.delay = "", 200, None, 0.0
    server.requests.clear()
    yield server


def _url(server: _Fake) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/v1"


@pytest.fixture(scope="module")
def story() -> Story:
    path = Path(__file__).with_name("brief_story.py")
    spec = importlib.util.spec_from_file_location("brief_story", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.story()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def claims(story: Story) -> ClaimAnalysis:
    return analyze_claims(story)


def _claim(claims: ClaimAnalysis, needle: str) -> str:
    return next(c.id for c in claims.claims if any(needle in s.text for s in c.spans) and not c.single_source)


def test_good_sentences_kept_hallucinations_dropped(fake: _Fake, story: Story, claims: ClaimAnalysis,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    close, boats, cost = _claim(claims, "for six weeks"), _claim(claims, "40"), _claim(claims, "$2.3 million")
    fake.reply = "\n".join([
        f"The Quillmouth Harbor Authority approved closing the Ferrin Street pier for six weeks to replace "
        f"corroded pilings. [{close}]",
        f"- About 40 fishing boats will use the north basin during the repairs [{boats}].",
        f"The repairs will cost $9.7 million. [{cost}]",
        f"Harbor director Marta Quell said the pier was unsafe. [{boats}]",
        f"The repairs will cost $2.3 million, paid from the port's maintenance fund. [{cost}]",
        "Residents celebrated the decision with a parade downtown.",
        "The pier reopened after the repairs were finished. [c99]",
        f"Volcanic ash grounded every flight across the region. [{cost}]",
    ])
    monkeypatch.setenv(DEFAULT_KEY_ENV, "test-key")
    brief = build_brief(story, claims, llm=OpenAIChat(_url(fake), "fake-model"), length=80)

    request = fake.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer test-key"
    assert request["body"]["model"] == "fake-model"
    assert f"[{cost}]" in request["body"]["messages"][1]["content"]

    assert brief.mode == "abstractive" and brief.notes == ()
    kept = {s.text: s for s in brief.sentences}
    assert list(kept) == [
        "The Quillmouth Harbor Authority approved closing the Ferrin Street pier for six weeks to replace "
        "corroded pilings.",
        "About 40 fishing boats will use the north basin during the repairs.",
        "The repairs will cost $2.3 million, paid from the port's maintenance fund.",
    ]
    for s in brief.sentences:
        assert s.cites and s.sources and len(s.spans) == len(s.sources)
        assert all(story.article(sp.article_id).text[sp.start:sp.end] == sp.text for sp in s.spans)
        assert s.single_source == (s.independent_sources <= 1)
    assert kept["About 40 fishing boats will use the north basin during the repairs."].independent_sources >= 2

    reasons = {d.text: d.reason for d in brief.dropped}
    assert "number" in reasons["The repairs will cost $9.7 million."] and "$9.7 million" in reasons[
        "The repairs will cost $9.7 million."]
    assert "name" in reasons["Harbor director Marta Quell said the pier was unsafe."]
    assert reasons["Residents celebrated the decision with a parade downtown."] == "cites no claim"
    assert "c99" in reasons["The pier reopened after the repairs were finished."]
    assert "meaning" in reasons["Volcanic ash grounded every flight across the region."]
    assert not set(reasons) & set(kept)
    # beneath the brief: the same single-source list as in the extractive mode
    assert brief.single_source_claims == build_brief(story, claims, length=80).single_source_claims


def test_nothing_passes_falls_back_to_extractive(fake: _Fake, story: Story, claims: ClaimAnalysis) -> None:
    fake.reply = "Residents celebrated with a parade."
    brief = build_brief(story, claims, llm=OpenAIChat(_url(fake), "m"), length=60)
    assert brief.mode == "extractive" and brief.sentences
    assert brief.dropped[0].reason == "cites no claim"
    assert "no generated sentence passed the checks" in brief.notes[0]


def test_server_down_gives_the_extractive_brief_and_a_note(story: Story, claims: ClaimAnalysis) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    llm = OpenAIChat(f"http://127.0.0.1:{port}/v1", "m", timeout=5)
    brief = build_brief(story, claims, llm=llm, length=60)
    assert brief.mode == "extractive" and brief.sentences
    assert brief.text == build_brief(story, claims, length=60).text
    assert "could not reach the language model" in brief.notes[0] and "--llm-url" in brief.notes[0]
    with pytest.raises(LlmError, match=r"could not reach .*fix:"):
        llm.complete([{"role": "user", "content": "hi"}])


def test_http_errors_are_clear(fake: _Fake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DEFAULT_KEY_ENV, raising=False)
    llm = OpenAIChat(_url(fake), "m")
    fake.status = 401
    with pytest.raises(LlmError, match=DEFAULT_KEY_ENV):
        llm.complete([{"role": "user", "content": "hi"}])
    assert fake.requests[-1]["auth"] is None
    fake.status = 500
    with pytest.raises(LlmError, match="HTTP 500"):
        llm.complete([{"role": "user", "content": "hi"}])
    fake.status, fake.raw = 200, b"<html>not json</html>"
    with pytest.raises(LlmError, match="OpenAI-style chat completion"):
        llm.complete([{"role": "user", "content": "hi"}])
    fake.raw = json.dumps({"choices": [{"message": {"content": "  "}}]}).encode()
    with pytest.raises(LlmError, match="empty"):
        llm.complete([{"role": "user", "content": "hi"}])


def test_timeout_is_clear(fake: _Fake) -> None:
    fake.delay, fake.reply = 1.0, "late [c1]"
    with pytest.raises(LlmError, match=r"no answer within 0\.2 s"):
        OpenAIChat(_url(fake), "m", timeout=0.2).complete([{"role": "user", "content": "hi"}])


def test_any_chat_model_works(story: Story, claims: ClaimAnalysis) -> None:
    boats = _claim(claims, "40")

    class Canned:
        def complete(self, messages: Any) -> str:
            return f"About 40 fishing boats will use the north basin. [{boats}]"

    assert isinstance(Canned(), ChatModel)
    brief = build_brief(story, claims, llm=Canned(), length=40)
    assert brief.mode == "abstractive" and [s.cites for s in brief.sentences] == [(boats,)]


def test_parse_and_prompt() -> None:
    assert parse_generated("One fact. [c1]\n\n* Two facts [c2; c3].\nBrief:\nNo cite here.") == [
        ("One fact.", ("c1",)), ("Two facts.", ("c2", "c3")), ("No cite here.", ())]
    assert parse_generated("First [C4]. Second [c5] [c6].") == [("First.", ("c4",)), ("Second.", ("c5", "c6"))]
    messages = build_messages([PromptClaim("c1", "The pier closed.", 1), PromptClaim("c2", "Boats moved.", 3)], 50)
    assert messages[0]["role"] == "system" and "[c3]" in messages[0]["content"]
    assert "at most 50 words" in messages[1]["content"]
    assert "[c1] The pier closed. (1 outlet only)" in messages[1]["content"]
    assert "[c2] Boats moved. (3 independent outlets)" in messages[1]["content"]
