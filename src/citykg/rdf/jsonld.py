"""citykg's JSON-LD context, bundled, and a pyld document loader that never fetches anything.

The context in `ontology/context.jsonld` is published under a versioned IRI
(`CONTEXT_IRI`, served by `citykg serve` at its path under the base). Documents citykg writes
carry the context inline, so any JSON-LD processor reads them with no loader and no network
(`context_reference`); a publication served at a known URL may name its own copy instead.
Documents citykg reads may name the context by its IRI. The loader serves only that bundled
file: any other context a document names (a remote IRI, a file path, an `@import`) is
refused with an `InputError`, so no input can make citykg read a file or URL it was not given. Both
JSON-LD output (export) and JSON-LD input (submissions) use this module.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from citykg.errors import InputError
from citykg.resources import ontology_dir

CONTEXT_VERSION = "0.1"
CONTEXT_PATH = f"context/{CONTEXT_VERSION}.jsonld"  # the context's path under citykg's base IRI
ALIAS_PATH = "context.jsonld"
CONTEXT_IRI = f"https://w3id.org/citykg/{CONTEXT_PATH}"
CONTEXT_ALIAS = f"https://w3id.org/citykg/{ALIAS_PATH}"  # the unversioned name submissions may use
CONTEXT_FILE = "context.jsonld"
PUBLISHED_CONTEXT_FILE = f"context-{CONTEXT_VERSION}.jsonld"  # its name in a publication folder
FRAME_CITY_FILE = "frame-city.jsonld"

JsonLd = dict[str, Any] | list[Any]
ContextReference = str | dict[str, Any]
"""The value of `@context` in a document citykg writes: the context itself, or an IRI."""


def context_path() -> Path:
    return ontology_dir() / CONTEXT_FILE


@cache
def _context_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(context_path().read_text(encoding="utf-8"))
    return data


def context_document() -> dict[str, Any]:
    """The bundled context file as it is (`{"@context": {...}}`)."""
    return _context_document()


def context() -> dict[str, Any]:
    """The `@context` object of the bundled context (a fresh copy; callers may change it)."""
    value: dict[str, Any] = json.loads(json.dumps(_context_document()["@context"]))
    return value


def context_reference(download_base: str | None = None) -> ContextReference:
    """What a written document puts under `@context`: the context itself (the default: a
    standard processor then reads the document with no loader and nothing fetched), or, for a
    publication served from `download_base` (a URL ending in "/"), the IRI of the copy of the
    context that `citykg publish` writes there."""
    if download_base is None:
        return context()
    return download_base + PUBLISHED_CONTEXT_FILE


def bundled_documents() -> dict[str, dict[str, Any]]:
    """The only documents the loader serves: the context, by its versioned IRI or its alias."""
    return {CONTEXT_IRI: _context_document(), CONTEXT_ALIAS: _context_document()}


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader that serves the bundled context and refuses everything else."""
    document = bundled_documents().get(url)
    if document is None:
        raise InputError(
            f"the JSON-LD names the context {url!r}, which citykg does not accept",
            hint=f"use citykg's context {CONTEXT_IRI} (it is bundled; nothing is fetched)",
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(json.dumps(document)),
    }


def options(**extra: Any) -> dict[str, Any]:
    """pyld options with the refusing loader (and no base IRI taken from anywhere)."""
    return {"documentLoader": document_loader, **extra}


def _unwrap(exc: Exception) -> InputError | None:
    """The InputError the loader raised, if a pyld error was caused by one."""
    seen: set[int] = set()
    current: object = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, InputError):
            return current
        details = getattr(current, "details", None)
        cause = details.get("cause") if isinstance(details, dict) else None
        current = cause or getattr(current, "cause", None) or getattr(current, "__cause__", None)
    return None


def _pyld_error(exc: Exception, what: str) -> InputError:
    refused = _unwrap(exc)
    if refused is not None:
        return refused
    return InputError(f"{what}: {getattr(exc, 'message', None) or exc}", hint="check the JSON-LD document")


def to_rdf(document: JsonLd) -> list[ox.Quad]:
    """The quads of a JSON-LD document, through pyld with the refusing loader."""
    from pyld import jsonld  # start-up time: PyLD loads only where JSON-LD is read or written

    try:
        nquads = jsonld.to_rdf(document, options(format="application/n-quads"))
    except InputError:
        raise
    except (jsonld.JsonLdError, ValueError, TypeError, KeyError) as exc:
        raise _pyld_error(exc, "cannot read the JSON-LD") from exc
    return list(ox.parse(nquads.encode("utf-8"), ox.RdfFormat.N_QUADS))


def frame(document: JsonLd, frame_document: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """pyld framing with the refusing loader (use it on one small document at a time)."""
    from pyld import jsonld  # start-up time: PyLD loads only where JSON-LD is read or written

    try:
        result: dict[str, Any] = jsonld.frame(document, frame_document, options(omitGraph=True, **extra))
    except InputError:
        raise
    except (jsonld.JsonLdError, ValueError, TypeError, KeyError) as exc:
        raise _pyld_error(exc, "cannot frame the JSON-LD") from exc
    return result


@cache
def _frame_document(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ontology_dir() / name).read_text(encoding="utf-8"))
    return data


def city_frame() -> dict[str, Any]:
    """The frame of one nested document per city (`ontology/frame-city.jsonld`)."""
    value: dict[str, Any] = json.loads(json.dumps(_frame_document(FRAME_CITY_FILE)))
    return value
