"""`citykg --version` and shell completion start fast: the command loads no validator, reasoner,
JSON-LD processor or SPARQL engine until a command needs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("pyshacl", "owlrl", "pyld", "starlette", "uvicorn", "rdflib.plugins.sparql")

_PROBE = """
import json, os, sys
import citykg.cli
os.environ.update({"_CITYKG_COMPLETE": "bash_complete", "COMP_WORDS": "citykg ", "COMP_CWORD": "1"})
try:
    citykg.cli.main()
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules
               if m.split(".")[0] in ("pyshacl", "owlrl", "pyld", "starlette", "uvicorn")
               or m.startswith("rdflib.plugins.sparql"))
print(json.dumps(heavy))
"""


def test_completion_lists_the_commands_without_loading_the_heavy_parts() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("_CITYKG")}
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, env=env)
    *completions, loaded = done.stdout.strip().splitlines()
    assert json.loads(loaded) == [], f"loaded at start-up: {loaded} (all of {HEAVY} must wait)"
    commands = {line.split(",", 1)[1] for line in completions}
    assert commands == {
        "build",
        "export",
        "extract",
        "history",
        "publish",
        "queries",
        "query",
        "serve",
        "submit",
        "validate",
    }


def test_import_citykg_is_cheap_and_its_names_load_on_first_use() -> None:
    probe = (
        "import sys, citykg; before = sorted(m for m in sys.modules if m.startswith('citykg'));"
        "store = citykg.Store; print(before, 'pyshacl' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['citykg'] True"
