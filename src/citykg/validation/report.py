"""Validation reports as values: problems in plain words, each pointing at the submitted field or line."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rdflib import Graph


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    message: str
    field: str | None = None
    value: str | None = None
    where: str | None = None
    suggestion: str | None = None
    from_shacl: bool = False  # True when pyshacl reported it (it is then in Report.shacl_report)

    def render(self) -> str:
        text = f"{self.where}: " if self.where else ""
        text += f"{self.severity.value}: "
        if self.field:
            text += f"{self.field}: "
        if self.value is not None:
            text += f"{_short(self.value)!r} "
        text += self.message
        if self.suggestion:
            text += f" (did you mean '{self.suggestion}'?)"
        return text

    def as_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "where": self.where,
            "field": self.field,
            "value": self.value,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass
class Report:
    """What validating one submission found."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    shacl_report: Graph | None = None

    @property
    def conforms(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
