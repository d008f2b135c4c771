"""What every reader shares: size limit, decoding with clear errors."""

from __future__ import annotations

from pathlib import Path

from citykg.errors import InputError

MAX_INPUT_BYTES = 5 * 1024 * 1024  # documented in docs/submission-format.md
MAX_DIGITS = 100  # a whole number longer than this is refused (no field needs more than 15)


def read_bytes(path: Path) -> bytes:
    """The bytes of `path`, refusing missing, non-regular and oversized files."""
    if not path.exists():
        raise InputError("file not found", where=str(path), hint="check the path")
    if not path.is_file():
        raise InputError("not a regular file", where=str(path))
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise InputError(
            f"file is {size:,} bytes, over the limit of {MAX_INPUT_BYTES:,} bytes",
            where=str(path),
            hint="split it into one file per city and survey wave",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", where=str(path)) from exc


def decode_utf8(data: bytes, source: str) -> str:
    """UTF-8 text with a leading BOM removed; other encodings and NUL bytes are refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "file is UTF-16 encoded",
            where=source,
            hint="save it as UTF-8 (in most editors: Save As, encoding UTF-8)",
        )
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data[:offset].count(b"\n") + 1
        raise InputError(
            f"contains a NUL byte at byte offset {offset} (line {line})",
            where=source,
            hint="this is a binary file or not UTF-8 text; save it as UTF-8",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"is not valid UTF-8 at byte offset {exc.start} (line {line})",
            where=source,
            hint="save the file as UTF-8; Latin-1 or Windows-1252 files must be converted",
        ) from exc
    return text.removeprefix("\ufeff")


def whole_number(text: str, *, where: str) -> int:
    """The integer `text` (digits with an optional sign), refusing numbers of over MAX_DIGITS
    digits, which no field holds and which Python would not convert (over 4,300 digits)."""
    digits = len(text.lstrip("+-"))
    if digits > MAX_DIGITS:
        raise InputError(
            f"a whole number of {digits:,} digits is too long (at most {MAX_DIGITS} digits)",
            where=where,
            hint="check the number; no field of a submission holds more than a few digits",
        )
    return int(text)


def shorten(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters for a message, with '...' when cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."
