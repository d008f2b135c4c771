"""A full disk or a read-only store ends in exit 2 with that reason, never a traceback, and
changes nothing.

Standard output is sent to /dev/full (a real ENOSPC). The store's and the output files' faults
are injected where the file system reports them (the tests may run as root, for whom no folder
is read-only, and without the right to mount a small file system): the exact errors a 600 kB
tmpfs and a read-only bind mount raised (pyoxigraph's message carries no errno, only words).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from _submit_support import HELSINKI, ROOT, catalog_answers, generations, variant
from citykg.store import locks
from citykg.store.graphs import OxigraphStore

DISK_FULL = "No space left on device"
READ_ONLY = "Read-only file system"


@pytest.mark.slow
@pytest.mark.parametrize("command", [("export",), ("query", "surveyed-cities"), ("history", "Helsinki")])
def test_a_full_disk_behind_standard_output_exits_2(built_store: Path, command: tuple[str, ...]) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "citykg", *command, "--store", str(built_store)],
            stdout=full,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )
    stderr = done.stderr.decode()
    assert done.returncode == 2, stderr
    assert DISK_FULL in stderr and "Traceback" not in stderr and "Exception ignored" not in stderr


def test_a_full_disk_under_an_output_file_exits_2_and_leaves_the_old_file(
    built_store: Path, tmp_path: Path, run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.ttl"
    out.write_text("earlier export\n", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("citykg.files.os.fsync", full)
    result = run_cli("export", "-o", out, "--store", built_store)
    assert result.exit_code == 2
    assert f"{out}: cannot write the file: {DISK_FULL}" in result.stderr
    assert out.read_text(encoding="utf-8") == "earlier export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]  # no temporary file left


@pytest.mark.slow
@pytest.mark.parametrize("command", ["build", "submit"])
def test_a_full_disk_under_the_store_exits_2_and_changes_nothing(
    command: str,
    store_copy: Path,
    tmp_path: Path,
    run_cli: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before, earlier = catalog_answers(store_copy), generations(store_copy)
    source = variant(HELSINKI, tmp_path / "helsinki-v2.yaml", ("Jan Vapaavuori", "Anna Aalto"))

    def full(self: OxigraphStore) -> None:  # as pyoxigraph reports it
        where = f"{self.location}/000042.sst"
        raise OSError(f"IO error: {DISK_FULL}: While appending to file: {where}: {DISK_FULL}")

    monkeypatch.setattr(OxigraphStore, "flush", full)
    result = run_cli(command, source, "--store", store_copy)
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert f"{store_copy}: cannot write the store: {DISK_FULL}" in result.stderr
    assert "nothing was changed" in result.stderr
    assert catalog_answers(store_copy) == before
    assert generations(store_copy) == earlier


@pytest.mark.slow
def test_a_read_only_store_answers_queries_and_refuses_writes_with_exit_2(
    store_copy: Path, tmp_path: Path, run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = variant(HELSINKI, tmp_path / "helsinki-v2.yaml", ("Jan Vapaavuori", "Anna Aalto"))
    real_open = open

    def read_only(path: str | os.PathLike[str], mode: str = "r", *args: object, **kwargs: object) -> object:
        if any(flag in mode for flag in "wax+") and str(path).startswith(str(store_copy)):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(locks, "open", read_only, raising=False)
    before = catalog_answers(store_copy)
    for command in ("build", "submit"):
        result = run_cli(command, source, "--store", store_copy)
        assert result.exit_code == 2, result.output
        assert f"{store_copy}: cannot write the store: {READ_ONLY}" in result.stderr
        assert "make the folder writable" in result.stderr
    answered = run_cli("query", "surveyed-cities", "--store", store_copy)
    assert answered.exit_code == 0 and "Helsinki" in answered.stdout
    assert catalog_answers(store_copy) == before
