"""README's examples work as written: `make demo`'s commands, the command-line block, the Python
example and the shell completion lines, run in a copy of the project's data/ folder with the
installed `citykg`; where README shows what they print, they print it. The Python example of
docs/publishing.md runs too."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import citykg
from serve_support import serve_command

pytestmark = pytest.mark.slow  # runs the installed command a dozen times and builds stores (~18 s)

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CITYKG = Path(sys.executable).with_name("citykg")


def blocks(section: str, language: str, document: str = README) -> list[str]:
    """The code blocks in `language` under the heading `section` (of README)."""
    body = document.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", body, flags=re.S)


def commands(block: str) -> list[list[str]]:
    """Each `citykg ...` line of a block as arguments (comments dropped)."""
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.startswith("citykg ")]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new folder holding data/, and `my-city.yaml` made as README says: Helsinki's
    submission with another mayor."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    helsinki = (ROOT / "data" / "submissions" / "helsinki-2020.yaml").read_text(encoding="utf-8")
    assert "Jan Vapaavuori" in helsinki
    (tmp_path / "my-city.yaml").write_text(helsinki.replace("Jan Vapaavuori", "Juhana Vartiainen"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CITYKG_STORE", raising=False)
    return tmp_path


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    assert args[0] == "citykg", args
    env = {k: v for k, v in os.environ.items() if k != "CITYKG_STORE"}
    return subprocess.run([str(CITYKG), *args[1:]], capture_output=True, text=True, check=False, env=env)


def test_the_demo_builds_the_store_the_readme_commands_find(project: Path) -> None:
    recipe = (ROOT / "Makefile").read_text().split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    demo = [shlex.split(line.strip().replace("$(BIN)/", "")) for line in recipe.splitlines()[1:]]
    for args in (a for a in demo if a[0] == "citykg"):
        assert "--store" not in args  # the default store, as README's next commands use
        assert run(args).returncode == 0, args
    assert (project / ".citykg" / "store" / "CURRENT").is_file()
    (shown,) = blocks("Set up and try it", "console")
    command, *printed = shown.splitlines()
    done = run(shlex.split(command.removeprefix("$ ")))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == printed


def test_the_serve_line_serves_the_home_page_at_the_url_readme_names(project: Path) -> None:
    (shown,) = [
        line
        for block in blocks("Set up and try it", "sh")
        for line in block.splitlines()
        if line.startswith("citykg serve")
    ]
    (line,) = commands(shown)
    (named,) = re.findall(r"open (http://\S+/)", shown)
    assert run(["citykg", "build", "data/"]).returncode == 0
    with socket.socket() as probe:  # README's port may be taken on this machine: another, free one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = named.replace(":8000/", f":{port}/")
    assert url != named  # README names the default port
    env = {k: v for k, v in os.environ.items() if k != "CITYKG_STORE"}
    with serve_command([str(CITYKG), *line[1:], "--port", str(port)], env) as served:
        assert served.printed.endswith(f" at {url}\n")
        home = served.get(url, headers={"Accept": "text/html"})
        assert home.status_code == 200 and "<h1>City innovation profiles</h1>" in home.text


def test_the_command_line_block_runs_as_written(project: Path) -> None:
    (block,) = blocks("Use it from the command line", "sh")
    lines = commands(block)
    assert len(lines) == 13
    for args in lines:
        done = run(args)
        assert done.returncode == 0, f"{shlex.join(args)}: {done.stderr}"
        if args[1:3] == ["history", "Helsinki"]:
            rows = done.stdout.splitlines()[1:]
            assert ["superseded" in rows[0], "current" in rows[1]] == [True, True], done.stdout
    assert (project / ".citykg" / "store" / "CURRENT").is_file()
    assert (project / "citykg.ttl").stat().st_size > 0
    assert (project / "site" / "catalog.ttl").is_file()
    assert (project / "extracted" / "helsinki.yaml").is_file()


def test_the_python_example_prints_what_readme_shows(project: Path) -> None:
    (example,) = blocks("Use it from Python", "python")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example, "README.md", "exec"), {})
    shown = [line.split("# ", 1)[1].strip() for line in example.splitlines() if "print(" in line]
    assert len(shown) == 3
    out = printed.getvalue().splitlines()
    for expected in shown:
        assert expected in out, f"README shows {expected!r}; the example printed {out}"
    assert (project / ".citykg" / "store" / "CURRENT").is_file()


def test_the_python_example_of_the_publishing_guide_runs(project: Path) -> None:
    citykg.Store().build(["data"])
    guide = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    (example,) = blocks("From Python", "python", guide)
    names: dict[str, object] = {}
    exec(compile(example, "docs/publishing.md", "exec"), names)
    assert (project / "site" / "citykg" / "catalog.ttl").is_file()
    assert "Open Data Office" in (project / "site" / "citykg" / "catalog.ttl").read_text()
    turtle = names["turtle"]
    assert isinstance(turtle, bytes) and b"Helsinki" in turtle and b"Durham" not in turtle


def test_the_completion_lines_give_a_script_for_each_shell() -> None:
    (block,) = blocks("Shell completion", "sh")
    shells = re.findall(r"_CITYKG_COMPLETE=(\w+)_source citykg", block)
    assert shells == ["bash", "zsh", "fish"]
    for shell in shells:
        env = {**os.environ, "_CITYKG_COMPLETE": f"{shell}_source"}
        done = subprocess.run([str(CITYKG)], capture_output=True, text=True, check=False, env=env)
        assert done.returncode == 0 and "_CITYKG_COMPLETE" in done.stdout, shell
