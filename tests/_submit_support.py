"""Helpers shared by the submission tests (corpus, submit, kill): paths and catalog answers."""

from __future__ import annotations

from pathlib import Path

from citykg import Store
from citykg.queries.catalog import catalog
from citykg.queries.results import render
from citykg.rdf.formats import ResultFormat

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
HELSINKI = ROOT / "data" / "submissions" / "helsinki-2020.yaml"


def catalog_answers(store: Path) -> dict[str, str]:
    """Every catalog query, with its default parameters, answered as SPARQL JSON (rows) or
    canonical Turtle (graphs)."""
    answers = {}
    for name in sorted(catalog()):
        result = Store(store).query(name)
        answers[name] = render(result, ResultFormat.TURTLE if result.graph is not None else ResultFormat.JSON)
    return answers


def generations(location: Path) -> list[str]:
    """The generation folders of a store."""
    return sorted(p.name for p in location.iterdir() if p.name.startswith("gen-"))


def variant(source: Path, target: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of `source` at `target` with text replaced (each replacement must apply)."""
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    target.write_text(text, encoding="utf-8")
    return target
