"""The one exception family of citykg; the CLI turns these into messages and exit codes."""

from __future__ import annotations

from enum import IntEnum


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


class SubmissionError(CityKGError):
    """A submission is readable but its content cannot be mapped (wrong shape, refused terms)."""


class NotConforming(CityKGError):
    """Data does not conform to the shapes; raised by commands that refuse to go on."""

    exit_code = ExitCode.DOES_NOT_CONFORM


class QueryError(CityKGError):
    """A query is unknown, malformed, refused for safety, or timed out."""


class StoreError(CityKGError):
    """The store cannot be opened, is locked, or was left in an unusable state."""
