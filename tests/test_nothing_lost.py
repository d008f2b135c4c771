"""Nothing lost: a failed or killed submit or build leaves the store answering every catalog
query exactly as before, keeps every earlier export file intact, and leaves the store usable."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from _submit_support import CORPUS, HELSINKI, ROOT, catalog_answers, variant
from citykg.cli import cli
from citykg.errors import ExitCode
from citykg.store import graphs as store_module
from citykg.store.history import versions
from citykg.workflow.submit import submit

# each test builds a store, fails or kills a run and compares every catalog answer (kills: subprocesses)
pytestmark = pytest.mark.slow


def run(*args: str) -> int:
    return CliRunner().invoke(cli, list(args)).exit_code


@pytest.fixture
def pristine(tmp_path: Path) -> tuple[Path, Path]:
    """A store with two cities and an export of it."""
    location = tmp_path / "pristine"
    assert run("submit", str(HELSINKI), "--store", str(location)) == 0
    assert run("submit", str(CORPUS / "good" / "unicode-name.yaml"), "--store", str(location)) == 0
    export = tmp_path / "export.ttl"
    assert run("export", "-o", str(export), "--store", str(location)) == 0
    return location, export


def _resubmission(tmp_path: Path) -> Path:
    return variant(
        HELSINKI,
        tmp_path / "helsinki-v2.yaml",
        ("Jan Vapaavuori", "Juhana Vartiainen"),
        ("staff: 20}", "staff: 22}"),
    )


def _generations(location: Path) -> list[str]:
    return sorted(p.name for p in location.iterdir() if p.name.startswith("gen-"))


def test_exception_during_commit_changes_nothing(
    pristine: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location, export = pristine
    before, exported = catalog_answers(location), export.read_bytes()
    generations = _generations(location)

    def broken(self: store_module.OxigraphStore) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_module.OxigraphStore, "flush", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        submit(_resubmission(tmp_path), store_path=location)
    monkeypatch.undo()
    assert catalog_answers(location) == before
    assert export.read_bytes() == exported
    assert _generations(location) == generations  # the half-written generation is gone
    assert [v.current for v in versions(location, "Helsinki")] == [True]  # no ghost version
    # and the store is usable
    assert submit(_resubmission(tmp_path), store_path=location).committed


def test_a_bug_during_submit_exits_70_and_changes_nothing(
    pristine: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location, _ = pristine
    before = catalog_answers(location)
    monkeypatch.setattr("citykg.store.graphs.OxigraphStore.replace_graphs", lambda *a, **k: 1 / 0)
    result = CliRunner().invoke(cli, ["submit", str(_resubmission(tmp_path)), "--store", str(location)])
    assert result.exit_code == ExitCode.BUG
    assert "please report" in result.stderr
    monkeypatch.undo()
    assert catalog_answers(location) == before


def test_failed_build_and_validate_change_nothing(pristine: tuple[Path, Path], tmp_path: Path) -> None:
    location, export = pristine
    before, exported = catalog_answers(location), export.read_bytes()
    assert run("build", str(CORPUS / "bad" / "negative-staff.yaml"), "--store", str(location)) == 1
    assert run("build", str(CORPUS / "bad" / "utf16.yaml"), "--store", str(location)) == 2
    assert run("validate", str(CORPUS / "bad" / "typo-goal.yaml")) == 1
    assert run("export", "-o", str(export), "--store", str(tmp_path / "missing-store")) == 2
    assert catalog_answers(location) == before
    assert export.read_bytes() == exported


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    return env


def _submit_process(submission: Path, location: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "citykg", "submit", str(submission), "--store", str(location)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_submit_killed_at_random_points_leaves_the_store_as_before_or_after(
    pristine: tuple[Path, Path], tmp_path: Path
) -> None:
    location, export = pristine
    before, exported = catalog_answers(location), export.read_bytes()
    submission = _resubmission(tmp_path)

    # the state a completed submit gives, and how long one takes
    reference = tmp_path / "reference"
    shutil.copytree(location, reference)
    started = time.monotonic()
    assert _submit_process(submission, reference).wait() == 0
    duration = time.monotonic() - started
    after = catalog_answers(reference)
    assert after != before

    rng = random.Random(4)
    outcomes = {"before": 0, "after": 0}
    next_generation = f"gen-{int(_generations(location)[-1][4:]) + 1:06d}"
    for iteration in range(8):
        target = tmp_path / f"killed-{iteration}"
        shutil.copytree(location, target)
        process = _submit_process(submission, target)
        if iteration % 2:
            delay = rng.uniform(0, duration)  # anywhere in the run
            time.sleep(delay)
        else:  # inside the commit: once the new generation's folder appears
            deadline = time.monotonic() + 4 * duration
            while not (target / next_generation).exists() and time.monotonic() < deadline:
                time.sleep(0.0005)
            delay = rng.uniform(0, 0.6)
            time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        answers = catalog_answers(target)
        assert answers in (before, after), f"kill {iteration} left a store that is neither before nor after"
        outcomes["before" if answers == before else "after"] += 1
        assert export.read_bytes() == exported
        history = versions(target, "Helsinki")
        assert sum(v.current for v in history) == 1
        assert len({v.digest for v in history}) == len(history)
        # the store stays usable: the same submit now completes and gives the complete state
        assert submit(submission, store_path=target).committed
        assert catalog_answers(target) == after
    print(f"submit took {duration:.2f}s; killed runs left the store: {outcomes}")
    assert outcomes["before"] >= 1  # some kills did land before the commit
