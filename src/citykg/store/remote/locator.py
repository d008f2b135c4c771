"""Where a store is: a folder (the embedded store) or a SPARQL 1.1 endpoint, named by a
`sparql+http(s)://` URL or by a small TOML/YAML config file (docs/decisions/1601).

Credentials never come from the command line: from `$CITYKG_STORE_USER` /
`$CITYKG_STORE_PASSWORD`, or from the config file's `[credentials]` (a variable's name or a file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from citykg.errors import InputError

SCHEMES = {"sparql+http": "http", "sparql+https": "https"}
CONFIG_SUFFIXES = (".toml", ".yaml", ".yml")
USER_ENV = "CITYKG_STORE_USER"
PASSWORD_ENV = "CITYKG_STORE_PASSWORD"
#: the graph IRIs citykg writes under when the config names no prefix
DEFAULT_PREFIX = "https://w3id.org/citykg/store/"
DEFAULT_TIMEOUT = 60.0
DEFAULT_BATCH_BYTES = 4 * 1024 * 1024
_KEYS = {"query", "update", "graph-store", "prefix", "timeout", "batch-bytes", "credentials"}
_CREDENTIAL_KEYS = {"user", "password-env", "password-file"}


@dataclass(frozen=True)
class RemoteLocation:
    """A SPARQL 1.1 store: its endpoints, the graph prefix citykg may write under, limits."""

    query: str
    update: str
    graph_store: str | None = None
    prefix: str = DEFAULT_PREFIX
    timeout: float = DEFAULT_TIMEOUT
    batch_bytes: int = DEFAULT_BATCH_BYTES
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    #: what the user named (the URL or the config file), for messages
    named: str = ""

    def __str__(self) -> str:
        return self.named or self.query


def is_remote(text: str) -> bool:
    """Whether a `--store` value names an endpoint (a URL or a config file), not a folder."""
    if text.split("://", 1)[0].lower() in SCHEMES:
        return True
    path = Path(text)
    return path.suffix.lower() in CONFIG_SUFFIXES and path.is_file()


def locate(text: str) -> RemoteLocation:
    """The endpoint a `sparql+http(s)://` URL or a config file names.

    :raises InputError: for a URL citykg cannot use or a config file it cannot read.
    """
    if text.split("://", 1)[0].lower() in SCHEMES:
        return from_url(text)
    return from_config(Path(text))


def from_url(text: str) -> RemoteLocation:
    """`sparql+http://host:port/query`: Oxigraph server's (and Fuseki's) siblings `/update` and
    `/store` when the path ends in `/query`; else one URL for both, uploads by SPARQL Update."""
    query = _endpoint(text, "--store")
    parts = urlsplit(query)
    head, _, last = parts.path.rpartition("/")
    if last == "query":
        update = urlunsplit(parts._replace(path=f"{head}/update"))
        graph_store: str | None = urlunsplit(parts._replace(path=f"{head}/store"))
    else:
        update, graph_store = query, None
    user, password = os.environ.get(USER_ENV) or None, os.environ.get(PASSWORD_ENV) or None
    return RemoteLocation(query, update, graph_store, user=user, password=password, named=text)


def from_config(path: Path) -> RemoteLocation:
    import tomllib  # start-up time: only a config file needs a TOML or YAML reader

    import yaml

    where = str(path)
    try:
        raw = path.read_bytes()
        data: Any = tomllib.loads(raw.decode()) if path.suffix == ".toml" else yaml.safe_load(raw)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the store's config file: {exc}", where=where) from exc
    if not isinstance(data, dict):
        raise InputError("the store's config file holds no settings", where=where, hint=_CONFIG_HINT)
    unknown = sorted(set(map(str, data)) - _KEYS)
    if unknown:
        raise InputError(f"unknown setting '{unknown[0]}'", where=where, hint=_CONFIG_HINT)
    if "query" not in data:
        raise InputError("no 'query' URL (the SPARQL query endpoint)", where=where, hint=_CONFIG_HINT)
    query = _endpoint(_text(data, "query", where), f"{where}: query", scheme_needed=False)
    update = (
        _endpoint(_text(data, "update", where), f"{where}: update", scheme_needed=False)
        if "update" in data
        else query
    )
    graph_store = None
    if "graph-store" in data:
        graph_store = _endpoint(
            _text(data, "graph-store", where), f"{where}: graph-store", scheme_needed=False
        )
    prefix = _text(data, "prefix", where) if "prefix" in data else DEFAULT_PREFIX
    if urlsplit(prefix).scheme not in {"http", "https", "urn"} or prefix[-1] not in "/#:":
        raise InputError(
            f"the graph prefix {prefix!r} is no IRI ending in '/', '#' or ':'", where=f"{where}: prefix"
        )
    user, password = _credentials(data.get("credentials"), path)
    return RemoteLocation(
        query,
        update,
        graph_store,
        prefix=prefix,
        timeout=_number(data, "timeout", where, DEFAULT_TIMEOUT),
        batch_bytes=int(_number(data, "batch-bytes", where, DEFAULT_BATCH_BYTES)),
        user=user,
        password=password,
        named=where,
    )


_CONFIG_HINT = (
    "settings: query, update, graph-store (URLs), prefix, timeout, batch-bytes, and "
    "[credentials] user, password-env or password-file (docs/remote-store.md)"
)


def _endpoint(text: str, where: str, *, scheme_needed: bool = True) -> str:
    parts = urlsplit(text.strip())
    scheme = parts.scheme.lower()
    if scheme_needed:
        scheme = SCHEMES.get(scheme, "")
    if scheme not in {"http", "https"} or not parts.hostname:
        raise InputError(
            f"{text!r} is no SPARQL endpoint URL",
            where=where,
            hint="give sparql+http://HOST:PORT/PATH (the query endpoint), or a config file",
        )
    if parts.username or parts.password:
        raise InputError(
            "a user name or password in the store's URL is refused (it would show in the "
            "process list and shell history)",
            where=where,
            hint=f"set ${USER_ENV} and ${PASSWORD_ENV}, or use a config file's [credentials]",
        )
    if parts.query or parts.fragment:
        raise InputError(f"the endpoint URL {text!r} has a query or fragment", where=where)
    return urlunsplit((scheme, parts.netloc, parts.path or "/", "", ""))


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"'{key}' must be a text", where=where, hint=_CONFIG_HINT)
    return value.strip()


def _number(data: dict[str, Any], key: str, where: str, default: float) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 10**12:
        raise InputError(f"'{key}' must be a number above 0", where=f"{where}: {key}")
    return float(value)


def _credentials(data: object, config: Path) -> tuple[str | None, str | None]:
    where = f"{config}: credentials"
    if data is None:
        return None, None
    if not isinstance(data, dict) or set(map(str, data)) - _CREDENTIAL_KEYS:
        raise InputError("credentials take user, password-env or password-file", where=where)
    user = data.get("user")
    if user is not None and not isinstance(user, str):
        raise InputError("'user' must be a text", where=where)
    if "password-env" in data:
        name = str(data["password-env"])
        if name not in os.environ:
            raise InputError(f"the variable ${name} (the store's password) is not set", where=where)
        return user, os.environ[name]
    if "password-file" in data:
        secret = config.parent / str(data["password-file"])
        try:
            return user, secret.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the password file: {exc}", where=str(secret)) from exc
    return user, None
