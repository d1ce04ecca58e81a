"""`newsprism serve` parses its options and hands them to newsprism.web.serve (nothing else)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import newsprism.web
from newsprism.cli import main


def test_serve_passes_its_options(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(newsprism.web, "serve", lambda db, **kw: seen.update(db=db, **kw))
    assert main(["serve", "--db", str(tmp_path / "s.db"), "--port", "8123", "--allow-private-urls",
                 "--root-path", "/newsprism/", "--embedder", "mpnet-torch"]) == 0
    assert seen == {"db": tmp_path / "s.db", "host": "127.0.0.1", "port": 8123, "allow_private_urls": True,
                    "workers": None, "root_path": "/newsprism", "embedder": "mpnet-torch", "allowed_hosts": None,
                    "max_articles": None, "max_queue": None, "job_timeout": None,
                    "articles_store": None}


def test_serve_articles_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from newsprism.stream.store import default_store_path

    seen: dict[str, Any] = {}
    monkeypatch.setattr(newsprism.web, "serve", lambda db, **kw: seen.update(db=db, **kw))
    assert main(["serve", "--articles-store", str(tmp_path / "a.sqlite3")]) == 0
    assert seen["articles_store"] == tmp_path / "a.sqlite3"
    assert main(["serve", "--articles-store"]) == 0  # alone: the store `newsprism ingest` fills by default
    assert seen["articles_store"] == default_store_path()


def test_serve_passes_its_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(newsprism.web, "serve", lambda db, **kw: seen.update(db=db, **kw))
    assert main(["serve", "--workers", "3", "--allowed-host", "news.example.org", "--allowed-host", ".corp.example",
                 "--max-articles", "50", "--max-queue", "5", "--job-timeout", "120"]) == 0
    assert (seen["workers"], seen["allowed_hosts"]) == (3, ["news.example.org", ".corp.example"])
    assert (seen["max_articles"], seen["max_queue"], seen["job_timeout"]) == (50, 5, 120.0)


@pytest.mark.parametrize(("flag", "value", "fix"), [
    ("--max-articles", "1", "--max-articles 2 or more"), ("--max-queue", "0", "--max-queue 1 or more"),
    ("--job-timeout", "0", "--job-timeout 60 or more"), ("--job-timeout", "nan", "--job-timeout 60 or more"),
    ("--job-timeout", "-5", "--job-timeout 60 or more"),
])
def test_a_limit_out_of_range_is_refused_before_serving(flag: str, value: str, fix: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:  # a usage error: exit 64, like every other (README, --help)
        main(["serve", "--db", str(tmp_path / "s.db"), flag, value])
    assert e.value.code == 64
    err = capsys.readouterr().err
    assert flag in err and fix in err and "Traceback" not in err
    assert not (tmp_path / "s.db").exists()


def test_the_listening_address_and_proxy_names_are_allowed_hosts() -> None:
    assert newsprism.web.host_names("127.0.0.1") == ("localhost", "127.0.0.1", "::1")
    assert newsprism.web.host_names("192.168.1.5", ["News.Example.org"]) == (
        "localhost", "127.0.0.1", "::1", "192.168.1.5", "news.example.org")
    assert "0.0.0.0" not in newsprism.web.host_names("0.0.0.0")


def test_serve_defaults_to_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(newsprism.web, "serve", lambda db, **kw: seen.update(db=db, **kw))
    assert main(["serve"]) == 0
    assert seen["db"] is None and seen["host"] == "127.0.0.1" and seen["port"] == 8000
    assert seen["allow_private_urls"] is False


def test_missing_web_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    def missing(db: object, **kw: object) -> None:
        raise newsprism.web.WebExtraMissingError("the web app needs fastapi (fix: pip install 'newsprism[web]')")

    monkeypatch.setattr(newsprism.web, "serve", missing)
    assert main(["serve"]) == 2
    assert "pip install 'newsprism[web]'" in capsys.readouterr().err


def test_serving_with_a_missing_optional_model_fails_at_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from newsprism.nlp import embeddings

    monkeypatch.setenv("NEWSPRISM_MODELS", str(tmp_path / "no-models"))
    monkeypatch.setattr(embeddings, "_INSTANCES", {})
    assert main(["serve", "--db", str(tmp_path / "s.db"), "--embedder", "mpnet-torch"]) == 2
    assert "make mpnet" in capsys.readouterr().err
    assert not (tmp_path / "s.db").exists()
