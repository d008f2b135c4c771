"""Readers never fail while commits land (a generation is removed only when no reader holds
it), and writers queue on the store's lock: real processes, no sleeps: every wait is for a
condition (a file, a lock, a process), with a generous deadline."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from _submit_support import HELSINKI, ROOT, generations, variant
from citykg import Store
from citykg.workflow.submit import submit

pytestmark = pytest.mark.slow

TAMPERE = ROOT / "tests" / "data" / "publishing" / "tampere-2020.yaml"
MAYORS = ("Jan Vapaavuori", "Anna Aalto")
COMMITS = 20
DEADLINE = 300.0  # seconds: only ever reached when something is broken

# a reader: queries the store in a loop until told to stop, through the API or the CLI
READER = """
import json, subprocess, sys
from pathlib import Path
store, stop, ready, how = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
done, failures, answers = 0, [], set()
while not stop.exists():
    if how == "api":
        try:
            from citykg import Store
            rows = Store(store).query("people-and-roles").rows
            answers.update(str(r["person"]) for r in rows if str(r["role"]) == "mayor")
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
    else:
        run = subprocess.run([sys.executable, "-m", "citykg", "query", "people-and-roles", "-f", "json",
                              "--store", str(store)], capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"exit {run.returncode}: {run.stderr}")
        else:
            rows = json.loads(run.stdout)["results"]["bindings"]
            answers.update(r["person"]["value"] for r in rows if r["role"]["value"] == "mayor")
    done += 1
    ready.touch()
print(json.dumps({"queries": done, "failures": failures, "mayors": sorted(answers)}))
"""


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))


def _until(
    condition: Callable[[], bool], what: str, processes: tuple[subprocess.Popen[bytes], ...] = ()
) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        ended = [p for p in processes if p.poll() is not None]
        assert not ended, f"a process ended before {what}: exit {ended[0].returncode}"
        time.sleep(0.05)


def test_readers_in_a_loop_never_fail_during_20_commits(store_copy: Path, tmp_path: Path) -> None:
    versions = [
        variant(HELSINKI, tmp_path / f"helsinki-{i}.yaml", ("Jan Vapaavuori", mayor))
        for i, mayor in enumerate(MAYORS)
    ]
    stop = tmp_path / "stop"
    readers: list[tuple[subprocess.Popen[bytes], Path]] = []
    for how in ("api", "api", "cli"):
        ready = tmp_path / f"ready-{len(readers)}"
        process = subprocess.Popen(
            [sys.executable, "-c", READER, str(store_copy), str(stop), str(ready), how],
            stdout=subprocess.PIPE,
            env=_env(),
        )
        readers.append((process, ready))
    try:
        for process, ready in readers:
            _until(ready.exists, "the readers' first answers", (process,))
        for number in range(COMMITS):
            assert submit(versions[(number + 1) % 2], store_path=store_copy).committed
    finally:
        stop.touch()  # the readers stop (and are waited for below) whatever happened
        outputs = [process.communicate(timeout=DEADLINE)[0] for process, _ in readers]
    assert [process.returncode for process, _ in readers] == [0, 0, 0]
    reports = [json.loads(output) for output in outputs]
    for report in reports:
        assert report["failures"] == []
        assert report["queries"] > 0
        assert set(report["mayors"]) <= set(MAYORS)
    assert sum(r["queries"] for r in reports) >= COMMITS
    # once nobody reads them, the next commit removes every earlier generation
    assert submit(versions[0], store_path=store_copy).committed
    assert generations(store_copy) == [(store_copy / "CURRENT").read_text(encoding="utf-8").strip()]
    assert sorted(p.name for p in (store_copy / "readers").iterdir()) == generations(store_copy)


@contextmanager
def _holding_the_write_lock(location: Path) -> Iterator[None]:
    """What another writer does: hold the store's LOCK."""
    with open(location / "LOCK", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _waits_on_the_lock(process: subprocess.Popen[bytes], location: Path) -> bool:
    """The process has the store's LOCK open (a writer keeps it open while it waits its turn)."""
    lock = str(location / "LOCK")
    fds = Path(f"/proc/{process.pid}/fd")
    try:
        return any(os.readlink(fd) == lock for fd in fds.iterdir())
    except (FileNotFoundError, ProcessLookupError):
        return False  # it ended, or closed a descriptor while we looked


def _citykg(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "citykg", *args], env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def test_submits_queue_on_the_lock_and_give_up_clearly_after_wait(store_copy: Path, tmp_path: Path) -> None:
    resubmission = variant(HELSINKI, tmp_path / "helsinki-v2.yaml", ("Jan Vapaavuori", "Anna Aalto"))
    with _holding_the_write_lock(store_copy):
        impatient = _citykg("submit", str(resubmission), "--wait", "0", "--store", str(store_copy))
        _, stderr = impatient.communicate(timeout=DEADLINE)
        assert impatient.returncode == 2
        assert b"another citykg build or submit is writing this store (waited 0 s)" in stderr
        assert b"wait longer with --wait SECONDS" in stderr
        queued = [
            _citykg("submit", str(path), "--wait", str(DEADLINE), "--store", str(store_copy))
            for path in (resubmission, TAMPERE)
        ]
        for process in queued:
            _until(lambda p=process: _waits_on_the_lock(p, store_copy), "the submits to wait", (process,))  # type: ignore[misc]
        assert generations(store_copy) == ["gen-000001"]  # neither has landed
    for process in queued:
        _, stderr = process.communicate(timeout=DEADLINE)
        assert process.returncode == 0, stderr.decode()
    people = Store(store_copy).query("people-and-roles").rows
    assert {str(r["city"]) for r in people} == {"Helsinki", "Tampere"}
    assert "Anna Aalto" in {str(r["person"]) for r in people}
    assert len(Store(store_copy).history("Helsinki")) == 2  # the version it replaced is kept


def test_a_build_started_later_lands_after_one_started_earlier(store_copy: Path) -> None:
    earlier = _citykg(
        "build", str(HELSINKI), str(TAMPERE), "--wait", str(DEADLINE), "--store", str(store_copy)
    )

    def earlier_holds_the_lock() -> bool:
        with open(store_copy / "LOCK", "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            return False  # not yet: let go at once (closing the file)

    _until(earlier_holds_the_lock, "the first build to take the lock", (earlier,))
    later = _citykg("build", str(TAMPERE), "--wait", str(DEADLINE), "--store", str(store_copy))
    for process in (earlier, later):
        _, stderr = process.communicate(timeout=DEADLINE)
        assert process.returncode == 0, stderr.decode()
    # the later build is the store now, and it saw the earlier one: it kept what it dropped
    assert Store(store_copy).query("surveyed-cities").column("city") == ["Tampere"]
    assert b"kept 1 earlier version(s)" in stderr
    assert len(Store(store_copy).history("Helsinki")) == 1
