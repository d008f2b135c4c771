"""Where the data files the library reads live: ontology/, shapes/, queries/ and context files.

They sit at the top of the project (the single source of truth); an installed citykg finds
them next to its source tree (a checkout), under `<prefix>/share/citykg` (an installed wheel),
or where `CITYKG_HOME` points.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from citykg.errors import CityKGError


@cache
def project_root() -> Path:
    env = os.environ.get("CITYKG_HOME")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[2])  # a checkout (pip install -e .)
    candidates.append(Path(sys.prefix) / "share" / "citykg")  # an installed wheel
    for root in candidates:
        if (root / "ontology" / "citykg.ttl").is_file():
            return root
    raise CityKGError(
        "cannot find citykg's ontology/ folder",
        hint="reinstall citykg (pip install citykg, or pip install -e . in a checkout), or set CITYKG_HOME",
    )


def ontology_dir() -> Path:
    return project_root() / "ontology"


def shapes_dir() -> Path:
    return project_root() / "shapes"


def queries_dir() -> Path:
    return project_root() / "queries"


def ontology_files() -> list[Path]:
    return sorted(ontology_dir().glob("*.ttl"))


def shapes_files() -> list[Path]:
    return sorted(shapes_dir().glob("*.ttl"))
