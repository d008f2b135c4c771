"""The one exception family of citykg; the CLI turns these into messages and exit codes."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """Documented exit codes of the `citykg` command."""

    OK = 0
    DOES_NOT_CONFORM = 1
    USAGE_OR_UNREADABLE = 2
    BUG = 70


class CityKGError(Exception):
    """Base of every error citykg raises on purpose.

    `where` names the file, line or field; `hint` says what to do about it.
    """

    exit_code: ExitCode = ExitCode.USAGE_OR_UNREADABLE

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class InputError(CityKGError):
    """A file could not be read or parsed (syntax, encoding, size, duplicate keys...)."""


class NotConforming(CityKGError):
    """Data does not conform to the shapes; raised by commands that refuse to go on."""

    exit_code = ExitCode.DOES_NOT_CONFORM


class BuildRefused(NotConforming):
    """The build found problems and left the store as it was.

    `reports` are the validation reports (citykg.validation.report.Report) of the submissions
    checked, those with problems among them; typed loosely (Any) because errors.py sits below
    every other module and may not import validation.
    """

    def __init__(self, message: str, reports: Sequence[Any], *, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.reports = reports


class InconsistentData(NotConforming):
    """The data contradicts the ontology (an individual in two disjoint classes).

    `conflicts` are (individual, class, disjoint class) IRIs or blank-node labels.
    """

    def __init__(self, message: str, conflicts: list[tuple[str, str, str]], *, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.conflicts = conflicts


class QueryError(CityKGError):
    """A query is unknown, malformed, refused for safety, or timed out."""


class QueryTimeout(QueryError):
    """A query ran longer than its --timeout and was stopped."""


class ResultTooLarge(QueryError):
    """A query's answer has more rows or triples than its limit (a server's result-size limit)."""


class StoreError(CityKGError):
    """The store cannot be opened, is locked, or was left in an unusable state."""


class NoSuchVersion(CityKGError):
    """The city, wave or version asked for is not in the store or its history."""


class StoreDamaged(StoreError):
    """The store's CURRENT pointer or its live generation cannot be read: rebuild it."""


class OutputError(CityKGError):
    """An output file or folder was refused (a link, a device, inside a store, not ours) or
    could not be written (disk full, read-only)."""
