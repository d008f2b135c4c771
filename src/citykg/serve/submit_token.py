"""The operator's token for committing from the web app: read once, when the app starts, from
the file `--token-file` names (never from the command line, where `ps` would show it), and
compared in constant time."""

from __future__ import annotations

import hmac
import stat
from pathlib import Path

from citykg.errors import InputError

#: fewer characters than this are too easily guessed
MIN_TOKEN_CHARS = 16

#: how an operator makes a good token
MAKE_ONE = (
    "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))' > FILE; chmod 600 FILE"
)


def read_token(path: Path) -> str:
    """The token in `path` (its first line, without surrounding spaces).

    :raises InputError: when the file is missing, no regular file, readable or writable by
        every user of the machine, not UTF-8, empty, or its token is shorter than MIN_TOKEN_CHARS.
    """
    where = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(f"cannot read the token file: {exc.strerror}", where=where, hint=MAKE_ONE) from exc
    if not stat.S_ISREG(info.st_mode):
        raise InputError("the token file is not a regular file", where=where, hint=MAKE_ONE)
    if info.st_mode & (stat.S_IROTH | stat.S_IWOTH):
        raise InputError(
            "the token file can be read or written by every user of this machine, "
            "so anyone logged in could commit submissions",
            where=where,
            hint=f"chmod 600 {path}",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the token file: {exc}", where=where, hint=MAKE_ONE) from exc
    lines = text.strip().splitlines()
    token = lines[0].strip() if lines else ""
    if not token:
        raise InputError("the token file is empty", where=where, hint=MAKE_ONE)
    if len(token) < MIN_TOKEN_CHARS:
        raise InputError(
            f"the token is {len(token)} characters; at least {MIN_TOKEN_CHARS} are needed",
            where=where,
            hint=MAKE_ONE,
        )
    return token


def token_matches(given: str, token: str) -> bool:
    """Whether `given` is `token`, in time that does not depend on where they differ."""
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))
