"""`make lint` fails on an import circle, including one that import-linter's contracts let
through: a package's `__init__` and a module inside it importing each other."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def check_cycles(root: Path, package: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "import_cycles.py"), package],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_a_package_and_a_module_inside_it_importing_each_other_is_a_circle(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/cli/__init__.py": "group = 'shop'\nfrom shop.cli import submit\n",
            "shop/cli/submit.py": "import shop.store\nfrom shop.cli import group\n",
            "shop/store.py": "",
        },
    )
    result = check_cycles(tmp_path, "shop")
    assert result.returncode == 1
    assert "import circle among shop.cli, shop.cli.submit:" in result.stderr
    assert "shop.cli.submit -> shop.cli (line 2)" in result.stderr
    assert "shop.store" not in result.stderr  # imported, but not in the circle


def test_a_circle_through_three_modules_is_found_and_none_passes(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/a.py": "import shop.b\n",
            "shop/b.py": "import shop.c\n",
            "shop/c.py": "def late() -> None:\n    import shop.a\n",
        },
    )
    result = check_cycles(tmp_path, "shop")
    assert result.returncode == 1
    assert "import circle among shop.a, shop.b, shop.c:" in result.stderr

    (tmp_path / "shop" / "c.py").write_text("", encoding="utf-8")
    result = check_cycles(tmp_path, "shop")
    assert result.returncode == 0, result.stderr
    assert "no import circles among the 4 modules of shop" in result.stderr
