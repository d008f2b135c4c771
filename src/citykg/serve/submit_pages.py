"""The HTML of the submit form (with what a check found) and of a city's history
(templates/submit.html and history.html, on the site's base.html)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from citykg.errors import InputError
from citykg.serve.pages import Site, render
from citykg.store.history import Version
from citykg.workflow.submit import Review, SubmitResult

#: the formats a pasted submission may be in, as (value, what the list shows)
FORMATS = (
    ("yaml", "YAML"),
    ("json", "JSON"),
    ("csv", "CSV"),
    ("text", "profile page (text)"),
    ("turtle", "Turtle"),
    ("jsonld", "JSON-LD"),
)


def _render(template: str, url: str, *, submit: bool, current: str, **values: Any) -> str:
    return render(template, Site(url, url + "submit" if submit else None, current), **values)


def submit_page(
    url: str,
    *,
    csrf: str,
    result: SubmitResult | None = None,
    commit: bool = False,
    unreadable: InputError | None = None,
    refusal: str | None = None,
    form: dict[str, Any] | None = None,
) -> str:
    """The form, and below it what the last check found (or why it could not be read, or why
    the commit was refused)."""
    form = form or {}
    chosen = form.get("format") if form.get("format") in dict(FORMATS) else "yaml"
    return _render(
        "submit.html",
        url,
        submit=True,
        current="submit",
        action=url + "submit",
        csrf=csrf,
        formats=FORMATS,
        chosen=chosen,
        text=form.get("text") or "",
        reviews=[_review(r) for r in result.reviews] if result is not None else None,
        conforms=result.conforms if result is not None else None,
        commit=commit,
        unreadable=unreadable,
        refusal=refusal,
    )


def _review(review: Review) -> dict[str, Any]:
    stored = review.stored
    return {
        "title": review.title,
        "source": review.report.source,
        "conforms": review.report.conforms,
        "new": stored is None and review.checked.mapped is not None,
        "replaces": {"time": stored.time, "sources": ", ".join(stored.sources)} if stored else None,
        "problems": [
            {
                "severity": p.severity.value,
                "line": _line(p.where),
                "where": p.where or "",
                "field": p.field or "",
                "value": p.value,
                "message": p.message,
                "suggestion": p.suggestion,
            }
            for p in review.report.problems
        ],
        "changes": [c.as_json() for c in review.changes],
        "mapped": review.checked.mapped is not None,
    }


def _line(where: str | None) -> str:
    """The line of a problem's place (`file.yaml:13:5` is line 13), or ''."""
    if not where:
        return ""
    parts = where.rsplit(":", 2)
    numbers = [p for p in parts[1:] if p.isdigit()]
    return numbers[0] if numbers else ""


def history_url(url: str, base: str, city_iri: str) -> str | None:
    """The URL of a city's history page on the server at `url` (the store's base IRI `base`),
    or None when `city_iri` is no city IRI of the store (for a link from the city's page)."""
    country, _, city = city_iri.removeprefix(base + "id/city/").partition("/")
    if not city_iri.startswith(base + "id/city/") or not country or not city or "/" in city:
        return None
    return f"{url}cities/{quote(country)}/{quote(city)}/history"


def history_page(
    url: str,
    *,
    city_iri: str,
    city_url: str,
    name: str,
    found: list[Version],
    committed: bool,
    submit: bool,
) -> str:
    """The versions of a city's submissions, per wave, the current one marked (and, just after
    a commit, said)."""
    current = [v for v in found if v.current]
    return _render(
        "history.html",
        url,
        submit=submit,
        current="cities",
        city_iri=city_iri,
        city_url=city_url,
        name=name,
        versions=found,
        committed=current[-1] if committed and current else None,
    )
