"""Progress on stderr: nothing for a fast command; plain lines in a log; a bar on a terminal;
nothing with --quiet; standard output never changes. Time comes from a fake clock, never a sleep."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from citykg import Store
from citykg.cli import progress as cli_progress
from citykg.cli.progress import Renderer, duration

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "catalog"
STAGE_NAMES = ("checking and loading files", "inferring")

Run = Callable[..., Result]


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += seconds


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def steps(renderer: Renderer, clock: Clock, name: str, total: int, *, every: float) -> None:
    """A stage of `total` steps, one every `every` seconds."""
    renderer.stage(name, total)
    for _ in range(total):
        clock.wait(every)
        renderer.advance()


def plain(clock: Clock) -> tuple[Renderer, io.StringIO]:
    stream = io.StringIO()
    return Renderer(stream, clock=clock), stream


def test_a_command_done_within_a_second_shows_nothing() -> None:
    clock = Clock()
    for stream in (io.StringIO(), Terminal()):
        renderer = Renderer(stream, clock=clock, width=80)
        steps(renderer, clock, "reading", 3, every=0.1)
        renderer.stage("inferring")
        clock.wait(0.6)
        renderer.tick()
        renderer.done()
        assert stream.getvalue() == ""


def test_plain_lines_after_a_second_begin_progress_and_end_of_each_stage() -> None:
    clock = Clock()
    renderer, stream = plain(clock)
    steps(renderer, clock, "reading", 2, every=0.25)
    steps(renderer, clock, "checking", 5, every=1.0)  # begins at 0.5 s: nothing shown yet
    renderer.stage("inferring")
    clock.wait(2.5)
    renderer.done()
    assert stream.getvalue().splitlines() == [
        # held until the first second passed, then shown
        "reading: 2/2 done in 0.5 s",
        "checking: 5 to do",
        "checking: 2/5 (40%), 2.0 s elapsed, about 3.0 s left",
        "checking: 3/5 (60%), 3.0 s elapsed, about 2.0 s left",
        "checking: 4/5 (80%), 4.0 s elapsed, about 1.0 s left",
        "checking: 5/5 done in 5.0 s",
        "inferring: started",
        "inferring: done in 2.5 s",
    ]


def test_plain_lines_come_every_ten_percent_but_at_most_one_a_second() -> None:
    clock = Clock()
    renderer, stream = plain(clock)
    clock.wait(2.0)
    steps(renderer, clock, "checking", 20, every=0.25)  # another tenth every 0.5 s
    renderer.done()
    lines = stream.getvalue().splitlines()
    assert lines == [
        "checking: 20 to do",
        "checking: 4/20 (20%), 1.0 s elapsed, about 4.0 s left",
        "checking: 8/20 (40%), 2.0 s elapsed, about 3.0 s left",
        "checking: 12/20 (60%), 3.0 s elapsed, about 2.0 s left",
        "checking: 16/20 (80%), 4.0 s elapsed, about 1.0 s left",
        "checking: 20/20 done in 5.0 s",
    ]


def test_a_long_step_shows_a_plain_line_every_five_seconds() -> None:
    clock = Clock()
    renderer, stream = plain(clock)
    renderer.stage("loading", 4)
    renderer.advance()
    clock.wait(0.5)
    renderer.tick()
    assert stream.getvalue() == ""
    clock.wait(0.5)  # the first second passes during the step: the stage is shown
    renderer.tick()
    assert stream.getvalue() == "loading: 4 to do\n"
    for _ in range(12):
        clock.wait(1.0)
        renderer.tick()
    renderer.done()
    assert stream.getvalue().splitlines()[1:] == [
        "loading: 1/4 (25%), 6.0 s elapsed, about 18 s left",
        "loading: 1/4 (25%), 11 s elapsed, about 33 s left",
        "loading: stopped at 1/4 after 13 s",
    ]


def test_a_terminal_gets_one_bar_redrawn_in_place_with_counts_and_time_left() -> None:
    clock = Clock()
    stream = Terminal()
    renderer = Renderer(stream, clock=clock, width=80)
    clock.wait(1.5)
    renderer.stage("checking", 40)
    for _ in range(20):
        clock.wait(0.3)
        renderer.advance()
    drawn = stream.getvalue()
    assert "\n" not in drawn, "the bar stays on one line while the stage runs"
    last = drawn.split("\r")[-1]
    assert last == "checking   [##########..........] 20/40  50%  6.0 s elapsed, 6.0 s left"
    assert len(last) < 80
    renderer.stage("inferring")
    clock.wait(12)
    renderer.tick()
    renderer.done()
    lines = stream.getvalue().split("\n")
    assert (
        lines[0].split("\r")[-1].rstrip()
        == "checking   [##########..........] 20/40  50%  stopped at 20/40 after 6.0 s"
    )
    assert lines[1].split("\r")[-1].rstrip() == "inferring  done in 12 s"
    assert lines[2] == ""


def test_a_terminal_bar_is_redrawn_at_most_ten_times_a_second() -> None:
    clock = Clock()
    stream = Terminal()
    renderer = Renderer(stream, clock=clock, width=80)
    clock.wait(1.5)
    steps(renderer, clock, "loading", 10_000, every=0.0001)  # all within a second
    assert 1 <= stream.getvalue().count("\r") <= 11
    renderer.done()
    assert stream.getvalue().endswith("\n")
    assert (
        stream.getvalue().split("\r")[-1].rstrip()
        == "loading    [##############] 10000/10000 100%  done in 1.0 s"
    )


def test_a_narrow_terminal_gets_a_line_that_fits() -> None:
    clock = Clock()
    stream = Terminal()
    renderer = Renderer(stream, clock=clock, width=40)
    clock.wait(1.5)
    renderer.stage("checking", 1200)
    clock.wait(3)
    renderer.advance(600)
    renderer.done()
    assert all(len(part.rstrip("\n")) < 40 for part in stream.getvalue().split("\r"))


def test_a_long_stage_name_keeps_a_bar_and_fits_the_terminal() -> None:
    clock = Clock()
    stream = Terminal()
    renderer = Renderer(stream, clock=clock, width=80)
    clock.wait(1.5)
    renderer.stage("checking and loading files", 12_000)
    clock.wait(65)
    renderer.advance(6_000)
    last = stream.getvalue().split("\r")[-1]
    assert last == "checking and loading files [###...]  6000/12000  50%  1:05 min, 1:05 min left"
    assert len(last) < 80


def test_the_thread_ticks_and_the_block_ends_the_stage_even_on_error() -> None:
    clock = Clock()
    renderer, stream = plain(clock)
    clock.wait(1.5)
    with pytest.raises(RuntimeError), renderer.ticking():
        renderer.stage("inferring")
        clock.wait(3)
        raise RuntimeError("the command failed")
    assert stream.getvalue().splitlines() == ["inferring: started", "inferring: done in 3.0 s"]
    renderer.stage("writing", 2)  # after done(): nothing more
    assert stream.getvalue().count("\n") == 2


def test_a_closed_stderr_does_not_stop_the_command() -> None:
    clock = Clock()
    renderer, stream = plain(clock)
    stream.close()
    clock.wait(2)
    renderer.stage("reading", 2)
    renderer.advance(2)
    renderer.done()


def test_durations_read_as_people_write_them() -> None:
    assert [duration(s) for s in (0.84, 42.4, 185, 3725)] == ["0.8 s", "42 s", "3:05 min", "1:02 h"]


# ------------------------------------------------------------------ through the API and the CLI


class Recorder:
    def __init__(self) -> None:
        self.stages: list[tuple[str, int | None, int]] = []
        self.finished = False

    def stage(self, name: str, total: int | None = None) -> None:
        self.stages.append((name, total, 0))

    def advance(self, steps: int = 1) -> None:
        name, total, done = self.stages[-1]
        self.stages[-1] = (name, total, done + steps)

    def done(self) -> None:
        self.finished = True


def test_a_build_reports_the_files_checked_and_loaded_then_inference(tmp_path: Path) -> None:
    recorder = Recorder()
    Store(tmp_path / "store").build([FIXTURES], progress=recorder)
    files = len(list(FIXTURES.iterdir()))
    assert recorder.stages == [("checking and loading files", files, files), ("inferring", None, 0)]
    assert recorder.finished


def test_a_publication_reports_each_file_written(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.build([FIXTURES])
    recorder = Recorder()
    publication = store.publish(tmp_path / "site", progress=recorder)
    files = len(publication.files)
    assert recorder.stages == [("selecting", None, 0), ("writing", files, files)]
    assert recorder.finished


@pytest.fixture
def slow_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every look at the clock takes 0.7 s: a command of a few steps runs for seconds."""
    ticks = itertools.count()
    monkeypatch.setattr(cli_progress, "clock", lambda: next(ticks) * 0.7)


def _progress_lines(stderr: str, names: tuple[str, ...]) -> list[str]:
    return [line for line in stderr.splitlines() if line.split(":")[0] in names]


def test_a_slow_build_shows_its_stages_on_stderr_and_quiet_silences_them(
    run_cli: Run, tmp_path: Path, slow_clock: None
) -> None:
    shown = run_cli("build", FIXTURES, "--store", tmp_path / "shown")
    quiet = run_cli("build", FIXTURES, "--store", tmp_path / "quiet", "--quiet")
    assert shown.exit_code == quiet.exit_code == 0
    assert shown.stdout == quiet.stdout == ""
    lines = _progress_lines(shown.stderr, STAGE_NAMES)
    ends = [line for line in lines if " done in " in line]
    files = len(list(FIXTURES.iterdir()))
    assert [line.split(":")[0] for line in ends] == list(STAGE_NAMES)
    assert ends[0].startswith(f"checking and loading files: {files}/{files} done in ")
    assert _progress_lines(quiet.stderr, STAGE_NAMES) == []
    others = [line for line in shown.stderr.splitlines() if line not in lines]
    assert others == [line.replace("/quiet", "/shown") for line in quiet.stderr.splitlines()]


def test_a_slow_publish_shows_the_files_written_and_quiet_silences_them(
    run_cli: Run, tmp_path: Path, slow_clock: None
) -> None:
    store = tmp_path / "store"
    assert run_cli("build", FIXTURES, "--store", store, "-q").exit_code == 0
    shown = run_cli("publish", tmp_path / "shown", "--store", store)
    quiet = run_cli("publish", tmp_path / "quiet", "--store", store, "-q")
    assert shown.exit_code == quiet.exit_code == 0
    assert shown.stdout == quiet.stdout != ""
    lines = _progress_lines(shown.stderr, ("selecting", "writing"))
    files = len(shown.stdout.splitlines())
    assert lines[-1].startswith(f"writing: {files}/{files} done in ")
    assert f"writing: {files} to do" in lines
    assert quiet.stderr.startswith(f"published {tmp_path / 'quiet'}: ")
    assert len(quiet.stderr.splitlines()) == 1
