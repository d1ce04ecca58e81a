"""The Ray engine gives the same stories and reports as the local engine (a local Ray, 2 CPUs), and
a story whose analysis fails on a worker is recorded while the rest goes on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsprism.scale.batch import run_batch

from . import archive
from .archive import install_fault, reports, write_archive

pytest.importorskip("pyarrow")
pytest.importorskip("rensa")
ray = pytest.importorskip("ray")

# Ray warns about its own deprecated settings from inside its code; not ours to fix
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.*")]


@pytest.fixture(scope="module")
def fault_switch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """While this file exists, a story mentioning ``archive.FAULT_MARK`` fails on the workers."""
    return tmp_path_factory.mktemp("fault") / "on"


@pytest.fixture(scope="module")
def local_ray(fault_switch: Path) -> Iterator[None]:
    # every worker process patches the test fault in as it starts (inert without the mark and the switch);
    # the fixtures module travels by value, the workers need not import the tests
    ray.cloudpickle.register_pickle_by_value(archive)

    def setup_fault() -> None:
        install_fault(fault_switch)

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False,
             runtime_env={"worker_process_setup_hook": setup_fault})
    try:
        yield
    finally:
        ray.shutdown()
        ray.cloudpickle.unregister_pickle_by_value(archive)


def _manifest(out: Path) -> dict[str, list[str]]:
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["story"]: sorted(row["articles"]) for row in map(json.loads, lines)}


def test_ray_and_local_engines_agree(tmp_path: Path, local_ray: None) -> None:
    rows = write_archive(tmp_path / "in", stories=34, outlets=5, shards=4)
    assert len(rows) > 200
    local = run_batch([tmp_path / "in"], tmp_path / "local", engine="local")
    on_ray = run_batch([tmp_path / "in"], tmp_path / "ray", engine="ray", workers=2)
    assert (on_ray.articles, on_ray.duplicates, on_ray.stories) == (local.articles, local.duplicates, local.stories)
    # every wire copy found (outlets whose wordings happen to coincide are near duplicates too)
    assert local.stories == 34 and local.duplicates >= 34
    assert _manifest(tmp_path / "ray") == _manifest(tmp_path / "local")  # same ids, same members
    assert reports(tmp_path / "ray") == reports(tmp_path / "local")  # same reports, but for the run metadata
    for name in ("articles", "claims", "stories"):
        import pyarrow.parquet as pq

        assert pq.read_table(tmp_path / "ray" / f"{name}.parquet").equals(
            pq.read_table(tmp_path / "local" / f"{name}.parquet")), name


def test_ray_workers_writing_into_a_shared_out(tmp_path: Path, local_ray: None) -> None:
    write_archive(tmp_path / "in", stories=3, outlets=3, shards=2)
    local = run_batch([tmp_path / "in"], tmp_path / "local", engine="local")
    shared = run_batch([tmp_path / "in"], tmp_path / "ray", engine="ray", workers=2, shared_out=True)
    assert shared.stories == local.stories == 3 and shared.seconds.get("write") is None  # the driver wrote nothing
    assert _manifest(tmp_path / "ray") == _manifest(tmp_path / "local")
    assert reports(tmp_path / "ray") == reports(tmp_path / "local")


def test_ray_a_failing_story_is_recorded_the_rest_goes_on_and_a_rerun_retries_it(
        tmp_path: Path, local_ray: None, fault_switch: Path) -> None:
    rows = write_archive(tmp_path / "in", stories=4, outlets=3, shards=2, fault=True)
    fault_switch.touch()
    try:
        first = run_batch([tmp_path / "in"], tmp_path / "ray", engine="ray", workers=2)
    finally:
        fault_switch.unlink()
    (failed,) = first.failed
    assert rows[0]["id"] in failed.articles and "ValueError: a test fault" in failed.problem
    assert (first.analysed, first.exit_code) == (first.stories - 1, 1) and first.stories == 4
    assert failed.story not in _manifest(tmp_path / "ray")
    assert json.loads((tmp_path / "ray" / "batch.json").read_text())["failed"][0]["story"] == failed.story

    again = run_batch([tmp_path / "in"], tmp_path / "ray", engine="ray", workers=2)
    assert (again.analysed, again.skipped, again.failed, again.exit_code) == (1, 3, [], 0)
    run_batch([tmp_path / "in"], tmp_path / "local", engine="local")
    assert reports(tmp_path / "ray") == reports(tmp_path / "local")  # the retried story as if it never failed
