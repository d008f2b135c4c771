"""citykg: a knowledge-graph builder for city innovation profiles.

    import citykg

    store = citykg.Store()                      # $CITYKG_STORE, else .citykg/store
    store.build(["data"])
    store.query("cities-with-data-partner", {"partner": "hospitals"}).column("city")

The names below are the public API (see `citykg.api`). They are loaded on first use, so that
`import citykg` (and the `citykg` command's start-up) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from citykg.api import Store, StrPath, catalog, extract, field_reports, validate
    from citykg.errors import (
        BuildRefused,
        CityKGError,
        ExitCode,
        InconsistentData,
        InputError,
        NoSuchVersion,
        NotConforming,
        OutputError,
        QueryError,
        QueryTimeout,
        StoreDamaged,
        StoreError,
    )
    from citykg.export.publish import Publication
    from citykg.progress import Progress
    from citykg.queries.catalog import CatalogQuery, Parameter
    from citykg.queries.results import QueryResult
    from citykg.rdf.formats import ExportFormat, Frame, InputFormat, Profile, ResultFormat
    from citykg.sources.text.extract import LineReport, TextExtraction
    from citykg.sources.text.report import FieldReport
    from citykg.store.history import Version
    from citykg.validation.report import Problem, Report, Severity
    from citykg.workflow.build import BuildResult
    from citykg.workflow.diff import Change, ChangeKind
    from citykg.workflow.submit import Review, SubmitResult

_WHERE: dict[str, str] = {
    # the store, and what needs none
    "Store": "citykg.api",
    "StrPath": "citykg.api",
    "catalog": "citykg.api",
    "extract": "citykg.api",
    "field_reports": "citykg.api",
    "validate": "citykg.api",
    # results
    "BuildResult": "citykg.workflow.build",
    "CatalogQuery": "citykg.queries.catalog",
    "Change": "citykg.workflow.diff",
    "FieldReport": "citykg.sources.text.report",
    "LineReport": "citykg.sources.text.extract",
    "Parameter": "citykg.queries.catalog",
    "Problem": "citykg.validation.report",
    "Progress": "citykg.progress",
    "Publication": "citykg.export.publish",
    "QueryResult": "citykg.queries.results",
    "Report": "citykg.validation.report",
    "Review": "citykg.workflow.submit",
    "SubmitResult": "citykg.workflow.submit",
    "TextExtraction": "citykg.sources.text.extract",
    "Version": "citykg.store.history",
    # closed sets
    "ChangeKind": "citykg.workflow.diff",
    "ExportFormat": "citykg.rdf.formats",
    "Frame": "citykg.rdf.formats",
    "InputFormat": "citykg.rdf.formats",
    "Profile": "citykg.rdf.formats",
    "ResultFormat": "citykg.rdf.formats",
    "Severity": "citykg.validation.report",
    # errors (every one a CityKGError) and the command's exit codes
    "BuildRefused": "citykg.errors",
    "CityKGError": "citykg.errors",
    "ExitCode": "citykg.errors",
    "InputError": "citykg.errors",
    "InconsistentData": "citykg.errors",
    "NoSuchVersion": "citykg.errors",
    "NotConforming": "citykg.errors",
    "OutputError": "citykg.errors",
    "QueryError": "citykg.errors",
    "QueryTimeout": "citykg.errors",
    "StoreDamaged": "citykg.errors",
    "StoreError": "citykg.errors",
}

__all__ = [
    "BuildRefused",
    "BuildResult",
    "CatalogQuery",
    "Change",
    "ChangeKind",
    "CityKGError",
    "ExitCode",
    "ExportFormat",
    "FieldReport",
    "Frame",
    "InconsistentData",
    "InputError",
    "InputFormat",
    "LineReport",
    "NoSuchVersion",
    "NotConforming",
    "OutputError",
    "Parameter",
    "Problem",
    "Profile",
    "Progress",
    "Publication",
    "QueryError",
    "QueryResult",
    "QueryTimeout",
    "Report",
    "ResultFormat",
    "Review",
    "Severity",
    "Store",
    "StoreDamaged",
    "StoreError",
    "StrPath",
    "SubmitResult",
    "TextExtraction",
    "Version",
    "__version__",
    "catalog",
    "extract",
    "field_reports",
    "validate",
]


def __getattr__(name: str) -> Any:
    """Load a public name on first use (PEP 562)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'citykg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})
