"""The build's digest cache, a file inside the store folder: what each file of the last build
gave (its digest, its submissions' reports, graphs, free-text labels and a digest of their
facts), so that a rebuild checks and maps only the files that changed.

It describes one generation (the one that build made live) and holds only while what decides
a file's result is unchanged: the shapes, ontology and vocabularies, the submission format,
citykg's code and the base IRI (together: its key). Anything else (another generation live, a
submit since, another key, an unreadable file) and the cache is not used: the build is a
cold one, and writes a new cache. Losing it costs time, never correctness.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from citykg.files import write_atomically
from citykg.resources import ontology_files, shapes_dir
from citykg.validation.report import Problem, Severity

CACHE_FILE = "build-cache.json"
FORMAT = 1


@dataclass(frozen=True)
class CachedSubmission:
    """One submission of a file as the last build assembled it."""

    problems: list[dict[str, Any]]  # its report's problems (Problem fields), demotion notes included
    graph: str | None = None
    title: str = ""
    facts: int = 0
    digest: str = ""
    labels: list[list[str]] = field(default_factory=list)  # [concept IRI, label in N-Triples form]
    demoted: list[str] = field(default_factory=list)  # concepts whose spelling here was not the first


@dataclass(frozen=True)
class CachedFile:
    sha256: str
    submissions: list[CachedSubmission]


@dataclass
class BuildCache:
    key: str
    generation: str  # the generation this describes, e.g. "gen-000004"
    files: dict[str, CachedFile] = field(default_factory=dict)  # by the path as given
    triples: int = 0  # the quads of its named graphs (counting them costs a scan of the store)

    def to_bytes(self) -> bytes:
        data = {"format": FORMAT, "key": self.key, "generation": self.generation, "triples": self.triples}
        data["files"] = {path: asdict(entry) for path, entry in self.files.items()}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read_cache(store_path: Path, *, key: str, generation: str | None) -> BuildCache | None:
    """The cache of `store_path` if it describes `generation` under `key`, else None."""
    if generation is None:
        return None
    try:
        data = json.loads((store_path / CACHE_FILE).read_bytes())
        if data.get("format") != FORMAT or data.get("key") != key or data.get("generation") != generation:
            return None
        files = {
            path: CachedFile(entry["sha256"], [CachedSubmission(**s) for s in entry["submissions"]])
            for path, entry in data["files"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, damaged or of another version: a cold build
    return BuildCache(key, generation, files, int(data["triples"]))


def write_cache(store_path: Path, cache: BuildCache) -> None:
    """Write the cache; a failure (disk full) only removes it, and the next build is cold."""
    try:
        write_atomically(store_path / CACHE_FILE, cache.to_bytes())
    except OSError:
        drop_cache(store_path)


def drop_cache(store_path: Path) -> None:
    with contextlib.suppress(OSError):
        (store_path / CACHE_FILE).unlink(missing_ok=True)


def cache_key(base: str) -> str:
    """What decides a file's result besides its bytes: shapes, ontology, vocabularies, the
    submission format, citykg's code, and the base IRI."""
    digest = hashlib.sha256(base.encode())
    digest.update(_code_digest().encode())
    return digest.hexdigest()


@cache
def _code_digest() -> str:
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    files = [*ontology_files(), *sorted(p for p in shapes_dir().rglob("*") if p.is_file())]
    files += sorted(package.rglob("*.py"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def problem_data(problem: Problem) -> dict[str, Any]:
    return {
        "severity": problem.severity.value,
        "message": problem.message,
        "field": problem.field,
        "value": problem.value,
        "where": problem.where,
        "suggestion": problem.suggestion,
        "from_shacl": problem.from_shacl,
    }


def problem(data: dict[str, Any]) -> Problem:
    fields = dict(data)
    fields["severity"] = Severity(str(fields["severity"]))
    return Problem(**fields)
